//! Stage 9: events. Every event mention starts an event; event rules add
//! place, date and participants; events of one class that do not conflict
//! merge ("Bosnia's national election" and "the Oct. 7 vote").

use crate::doc::{Ctx, Event};
use crate::rules::{Stage, StageRun, View};
use crate::types::{EntityType, MentionIdx};

/// Two event dates agree when either is unknown or one contains the other
/// ("199X" and "1992/1995", "2018-10" and "2018-10-07").
fn dates_agree(a: Option<&str>, b: Option<&str>) -> bool {
    let (Some(a), Some(b)) = (a, b) else { return true };
    let key = |v: &str| v.split('/').next().unwrap_or(v).trim_end_matches('X').to_string();
    let (ka, kb) = (key(a), key(b));
    ka.starts_with(&kb) || kb.starts_with(&ka)
}

/// The first dated expression inside tokens `[s, e)` (dates are sorted by start).
fn date_in(ctx: &Ctx, s: u32, e: u32) -> Option<usize> {
    let from = ctx.dates.partition_point(|d| d.start < s);
    (from..ctx.dates.len())
        .take_while(|&k| ctx.dates[k].start < e)
        .find(|&k| ctx.dates[k].end <= e && ctx.dates[k].value.is_some())
}

/// Runs the stage.
pub(crate) fn run(ctx: &Ctx, view: &View) -> Vec<Event> {
    let (mut events, of_mention) = seed(ctx);
    if events.is_empty() {
        return events;
    }
    apply_rules(ctx, view, &mut events, &of_mention);
    merge(ctx, events)
}

/// Whether tokens `[s, e)` lie inside the name of a person, organization or
/// place ("the Congressional Black Caucus", "Conference of Mayors"): the
/// event word there is part of a name, not an event.
fn inside_name(ctx: &Ctx, s: u32, e: u32) -> bool {
    ctx.mentions_starting_in(s.saturating_sub(8), s + 1).any(|k| {
        let o = &ctx.mentions[k];
        matches!(o.ty, EntityType::Person | EntityType::Organization | EntityType::Place)
            && o.start <= s
            && e <= o.end
            && (o.start, o.end) != (s, e)
            && o.entity.is_some()
    })
}

/// One event per event mention, with the date inside it and a place that
/// opens it; `of_mention[m]` is the event of mention `m`.
fn seed(ctx: &Ctx) -> (Vec<Event>, Vec<Option<usize>>) {
    let mut events: Vec<Event> = Vec::new();
    let mut of_mention: Vec<Option<usize>> = vec![None; ctx.mentions.len()];
    for (i, m) in ctx.mentions.iter().enumerate() {
        if m.ty != EntityType::Event || inside_name(ctx, m.start, m.end) {
            continue;
        }
        of_mention[i] = Some(events.len());
        let date = date_in(ctx, m.start, m.end);
        // A place that opens the event phrase is where it happens: "the
        // Istanbul talks", "the Bosnian election" (not "US.-brokered").
        let place = ctx
            .mentions_starting_in(m.start, m.start + 1)
            .map(|k| &ctx.mentions[k])
            .find(|o| o.ty == EntityType::Place && o.end < m.end && o.entity.is_some())
            .filter(|o| ctx.word(o.end as usize) != "-")
            .and_then(|o| o.entity);
        events.push(Event {
            class: m.class.as_deref().unwrap_or("event").replace('_', " "),
            mentions: vec![MentionIdx(i as u32)],
            place,
            date,
            participants: vec![],
            prov: m.prov,
        });
    }
    (events, of_mention)
}

/// Event rules add place, date and participants (the first place and date win).
fn apply_rules(ctx: &Ctx, view: &View, events: &mut [Event], of_mention: &[Option<usize>]) {
    let windows = ctx.toks.windows();
    let mut run = StageRun::new(&ctx.model.rules, Stage::Events, &windows);
    while let Some((_, rule, matches)) = run.next(view) {
        for m in matches {
            for a in &rule.def.actions {
                let get = |k: &str| rule.arg_span(m, a, k);
                let Some((es, ee)) = get("event") else {
                    continue;
                };
                let Some(ev) = ctx.mention_in(es, ee, Some(EntityType::Event)).and_then(|mi| of_mention[mi.get()])
                else {
                    continue;
                };
                let ev = &mut events[ev];
                if let Some((s, e)) = get("place")
                    && let Some(p) = ctx.entity_in(s, e, Some(EntityType::Place))
                {
                    ev.place.get_or_insert(p);
                }
                if let Some((s, e)) = get("date")
                    && let Some(d) = date_in(ctx, s, e)
                {
                    ev.date.get_or_insert(d);
                }
                if let Some((s, e)) = get("participant")
                    && let Some(who) = ctx.entity_in(s, e, Some(EntityType::Person))
                    && !ev.participants.contains(&who)
                {
                    ev.participants.push(who);
                }
            }
        }
    }
}

/// Whether two events have a mention ending in the same word (the trigger,
/// case-insensitive): "the talks" and "the Istanbul talks".
fn shares_trigger(ctx: &Ctx, a: &Event, b: &Event) -> bool {
    let last = |m: &MentionIdx| ctx.word(ctx.mention(*m).end as usize - 1).to_lowercase();
    a.mentions.iter().any(|x| b.mentions.iter().any(|y| last(x) == last(y)))
}

/// Merges events of one class that are tied and do not disagree.
fn merge(ctx: &Ctx, events: Vec<Event>) -> Vec<Event> {
    let date_val = |ev: &Event| ev.date.and_then(|d| ctx.dates[d].value.clone());
    // How specific a date is: "1992/1995" over "199X".
    let specific = |d: Option<usize>| {
        d.and_then(|d| ctx.dates[d].value.as_deref()).map_or(0, |v| v.len() - v.matches('X').count() * 2)
    };
    let mut merged: Vec<Event> = Vec::new();
    for e in events {
        // One event when the class is the same, place and date do not
        // disagree, and something ties them: the same trigger word ("the
        // election" ... "the election"), or a place or date on each
        // ("Bosnia's national election" and "the Oct. 7 vote"). Two untied
        // mentions ("a poll", "the vote") stay two events.
        let anchored = |ev: &Event| ev.place.is_some() || ev.date.is_some();
        let target = merged.iter_mut().find(|o| {
            o.class == e.class
                && (o.place.is_none() || e.place.is_none() || o.place == e.place)
                && dates_agree(date_val(o).as_deref(), date_val(&e).as_deref())
                && (anchored(o) && anchored(&e) || shares_trigger(ctx, o, &e))
        });
        let Some(o) = target else {
            merged.push(e);
            continue;
        };
        o.mentions.extend(e.mentions);
        o.place = o.place.or(e.place);
        if specific(e.date) > specific(o.date) {
            o.date = e.date;
        }
        for p in e.participants {
            if !o.participants.contains(&p) {
                o.participants.push(p);
            }
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    #[test]
    fn date_agreement() {
        use super::dates_agree;
        assert!(dates_agree(Some("199X"), Some("1992/1995")));
        assert!(dates_agree(Some("2018-10"), Some("2018-10-07")));
        assert!(dates_agree(None, Some("2018-10-07")));
        assert!(!dates_agree(Some("2018-10-08"), Some("2018-10-07")));
    }
}
