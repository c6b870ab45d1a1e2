//! Stage 9: events. Every event mention starts an event; event rules add
//! place, date and participants; events of one class that do not conflict
//! merge ("Bosnia's national election" and "the Oct. 7 vote"). Only events
//! with evidence of the event sense come out: a date, a place, a participant,
//! a name, or an event rule that matched ("the summit was held"); a trigger
//! noun alone ("elections", "the race", "his campaign") is no event.

use crate::doc::{Ctx, Event};
use crate::rules::{Stage, StageRun, View};
use crate::tokens::{Case, flag};
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
        return vec![];
    }
    apply_rules(ctx, view, &mut events, &of_mention);
    merge(ctx, events).into_iter().filter(|(e, evident)| *evident || has_anchor(e)).map(|(e, _)| e).collect()
}

/// Whether an event has a place, a date or a participant.
fn has_anchor(e: &Event) -> bool {
    e.place.is_some() || e.date.is_some() || !e.participants.is_empty()
}

/// Whether the event phrase in tokens `[s, e)` is a name: its trigger is
/// capitalized inside a normal sentence ("the Bosnian War", "Lantern
/// Festival"), or a place, organization or person names it ("the US.-brokered
/// peace deal", "the Kestrel Party congress"). Triggers marked `ambiguous=1`
/// ("campaign", "race", "Congress") are names of other things as often, so
/// they count only at the end of a longer capitalized name ("the Google
/// Science Fair").
fn named(ctx: &Ctx, s: u32, e: u32) -> bool {
    let Some(h) = ctx.event_trigger_in(s, e) else { return false };
    if ctx.toks.sentence_of(h.start as usize).case != Case::Normal {
        return false;
    }
    let cap = |i: u32| {
        let t = &ctx.toks.tokens[i as usize];
        t.has(flag::CAP) && !t.has(flag::SENT_START)
    };
    if ctx.model.gaz.entries[h.entry as usize].ambiguous {
        // Only as the end of a longer capitalized name: "the Google Science Fair".
        return cap(h.start) && h.start > s && cap(h.start - 1);
    }
    cap(h.start)
        || ctx.mentions_starting_in(s, h.start).any(|k| {
            let o = &ctx.mentions[k];
            matches!(o.ty, EntityType::Place | EntityType::Organization | EntityType::Person)
                && o.end <= h.start
                && o.entity.is_some()
        })
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

/// Whether the event phrase in tokens `[s, e)` is an ambiguous trigger
/// owned by a person ("the Trump campaign", "the Sanders campaign"): the
/// organization, not an event (a body before it is not an owner: "the
/// Senate race").
fn owned(ctx: &Ctx, s: u32, e: u32) -> bool {
    let Some(h) = ctx.event_trigger_in(s, e) else { return false };
    ctx.model.gaz.entries[h.entry as usize].ambiguous
        && ctx.mentions_starting_in(s.saturating_sub(8), h.start).any(|k| {
            let o = &ctx.mentions[k];
            o.ty == EntityType::Person && o.end == h.start && o.entity.is_some()
        })
}

/// One event per event mention, with the date inside it and a place that
/// opens it, and whether it is a name (see [`named`]); `of_mention[m]` is
/// the event of mention `m`.
fn seed(ctx: &Ctx) -> (Vec<(Event, bool)>, Vec<Option<usize>>) {
    let mut events: Vec<(Event, bool)> = Vec::new();
    let mut of_mention: Vec<Option<usize>> = vec![None; ctx.mentions.len()];
    for (i, m) in ctx.mentions.iter().enumerate() {
        if m.ty != EntityType::Event || inside_name(ctx, m.start, m.end) || owned(ctx, m.start, m.end) {
            continue;
        }
        of_mention[i] = Some(events.len());
        let date = date_in(ctx, m.start, m.end);
        // A place among the modifiers of the event phrase is where it
        // happens: "the Istanbul talks", "the Bosnian election", "the 2012
        // Benghazi attack" (not "US.-brokered").
        let place = ctx
            .mentions_starting_in(m.start, m.end)
            .map(|k| &ctx.mentions[k])
            .find(|o| o.ty == EntityType::Place && o.end < m.end && o.entity.is_some())
            .filter(|o| ctx.word(o.end as usize) != "-")
            .and_then(|o| o.entity);
        let ev = Event {
            class: m.class.as_deref().unwrap_or("event").replace('_', " "),
            mentions: vec![MentionIdx(i as u32)],
            place,
            date,
            participants: vec![],
            prov: m.prov,
        };
        events.push((ev, named(ctx, m.start, m.end)));
    }
    (events, of_mention)
}

/// Event rules add place, date and participants (the first place and date
/// win); a rule that matches an event is evidence of the event sense, also
/// one that adds nothing (`event_info(event=e)` after "was held").
fn apply_rules(ctx: &Ctx, view: &View, events: &mut [(Event, bool)], of_mention: &[Option<usize>]) {
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
                let (ev, evident) = &mut events[ev];
                *evident = true;
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

/// The lower-cased words of mention `m` before its last word, without
/// determiners: "the national election" -> ["national"].
fn modifiers(ctx: &Ctx, m: MentionIdx) -> Vec<String> {
    let m = ctx.mention(m);
    (m.start..m.end.saturating_sub(1))
        .map(|i| ctx.word(i as usize).to_lowercase())
        .filter(|w| !matches!(w.as_str(), "the" | "a" | "an" | "this" | "that" | "its" | "their" | "his" | "her"))
        .collect()
}

/// Whether event `b` (one new mention) ties to event `a` by its trigger: a
/// mention of `a` ends in the same word (case-insensitive), and no mention
/// of `a` has other modifiers than `b`'s: "the talks" joins "the Istanbul
/// talks", "the Senate race" does not join "the governor's race", a bare
/// "the shooting" joins the last shooting event only, and "an election"
/// joins none.
fn shares_trigger(ctx: &Ctx, a: &Event, b: &Event) -> bool {
    let last = |m: &MentionIdx| ctx.word(ctx.mention(*m).end as usize - 1).to_lowercase();
    b.mentions.iter().any(|y| {
        // "an election": a new one.
        let start = ctx.mention(*y).start as usize;
        if start > 0 && matches!(ctx.word(start - 1).to_lowercase().as_str(), "a" | "an" | "another") {
            return false;
        }
        let my = modifiers(ctx, *y);
        a.mentions.iter().any(|x| last(x) == last(y))
            && a.mentions.iter().all(|x| {
                let mx = modifiers(ctx, *x);
                mx.is_empty() || my.is_empty() || mx == my
            })
    })
}

/// Merges events of one class that are tied and do not disagree (an event
/// is evident when one of its mentions is).
fn merge(ctx: &Ctx, events: Vec<(Event, bool)>) -> Vec<(Event, bool)> {
    let date_val = |ev: &Event| ev.date.and_then(|d| ctx.dates[d].value.clone());
    // How specific a date is: "1992/1995" over "199X".
    let specific = |d: Option<usize>| {
        d.and_then(|d| ctx.dates[d].value.as_deref()).map_or(0, |v| v.len() - v.matches('X').count() * 2)
    };
    let mut merged: Vec<(Event, bool)> = Vec::new();
    for (e, evident) in events {
        // One event when the class is the same, place and date do not
        // disagree, and something ties them: the same trigger word ("the
        // election" ... "the election"), or a place or date on each
        // ("Bosnia's national election" and "the Oct. 7 vote"). Two untied
        // mentions ("a poll", "the vote") stay two events.
        let anchored = |ev: &Event| ev.place.is_some() || ev.date.is_some();
        let target = merged.iter_mut().rev().find(|(o, _)| {
            o.class == e.class
                && (o.place.is_none() || e.place.is_none() || o.place == e.place)
                && dates_agree(date_val(o).as_deref(), date_val(&e).as_deref())
                && (anchored(o) && anchored(&e) || shares_trigger(ctx, o, &e))
        });
        let Some((o, o_evident)) = target else {
            merged.push((e, evident));
            continue;
        };
        *o_evident |= evident;
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
