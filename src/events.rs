//! Stage 9: events. Every event mention starts an event; event rules add
//! place, date and participants; a mention merges into an earlier event only
//! when it is the same event by evidence: the same name ("the New Hampshire
//! primary" again), or a definite anaphor for the nearest fitting event
//! ("Bosnia's national election" ... "the Oct. 7 vote"); two differently
//! named events never merge. A trigger that names an organization
//! ("Congress") or is used as a figure of speech ("the war on drugs") makes
//! no event. Only events with evidence of the event sense come out: a date,
//! a place, a participant, a name, or an event rule that matched ("the summit
//! was held"); a trigger noun alone ("elections", "the race", "his campaign")
//! is no event.

use std::collections::HashMap;

use crate::doc::{Ctx, Event};
use crate::rules::{Stage, StageRun, View};
use crate::tokens::{Case, flag};
use crate::types::{EntityType, MentionIdx, MentionKind};

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

/// Whether the trigger of the event phrase in tokens `[s, e)` names an
/// organization: an organization mention covers it ("Congress" in "running
/// for Congress", "the Brady Campaign" after "president of"), or the phrase
/// is the body of an office ("president of the Kestrel Campaign").
fn names_organization(ctx: &Ctx, s: u32, e: u32) -> bool {
    let Some(h) = ctx.event_trigger_in(s, e) else { return false };
    let covered = ctx.mentions_starting_in(h.start.saturating_sub(8), h.start + 1).any(|k| {
        let o = &ctx.mentions[k];
        // A name that ends in the trigger is an organization by the
        // gazetteer only (below); a rule that read the trigger as an
        // organization's suffix ("the Iowa Caucus") does not outweigh it.
        o.ty == EntityType::Organization && o.start <= h.start && h.end < o.end && o.entity.is_some()
    });
    // "running for Congress": the trigger is an organization of the gazetteer.
    let gaz = &ctx.model.gaz;
    let org = gaz.find_type("organization");
    let from = ctx.hits.partition_point(|x| x.start + 8 < h.start);
    let listed = ctx.hits[from..]
        .iter()
        .take_while(|x| x.start <= h.start)
        .any(|x| x.end >= h.end && gaz.entries.get(x.entry as usize).is_some_and(|en| Some(en.ty) == org));
    if covered || listed {
        return true;
    }
    // "the Board of Elections", "Commission on Elections": the trigger
    // completes the name of a body (an organization word and "of" / "on"
    // right before the phrase).
    let org_word = gaz.find_type("org_word");
    // The word before the trigger, inside the phrase or not ("Board Of Election").
    let t = h.start;
    let body_before = t >= 2
        && matches!(ctx.word(t as usize - 1).to_ascii_lowercase().as_str(), "of" | "on" | "for")
        && ctx.hits[ctx.hits.partition_point(|x| x.start + 8 < t - 1)..]
            .iter()
            .take_while(|x| x.start < t - 1)
            .any(|x| x.end == t - 1 && gaz.entries.get(x.entry as usize).is_some_and(|en| Some(en.ty) == org_word));
    if body_before && ctx.toks.tokens[h.start as usize].has(flag::CAP) {
        return true;
    }
    // "president of the Kestrel Campaign": a capitalized name after an
    // office and "of" / "at" is the body the office serves.
    let capitalized =
        ctx.toks.tokens[h.start as usize].has(flag::CAP) && ctx.toks.sentence_of(h.start as usize).case == Case::Normal;
    let mut k = s as usize;
    if k > 0 && ctx.word(k - 1).eq_ignore_ascii_case("the") {
        k -= 1;
    }
    capitalized
        && k > 0
        && matches!(ctx.word(k - 1).to_ascii_lowercase().as_str(), "of" | "at")
        && ctx.mentions_starting_in((k as u32).saturating_sub(8), k as u32).any(|j| {
            let o = &ctx.mentions[j];
            o.ty == EntityType::Office && o.end as usize == k - 1
        })
}

/// Whether the event phrase in tokens `[s, e)` is a figure of speech, not
/// an event: a "war on" something that names no place, organization or
/// group ("the war on women", "a war on drugs"), or "at war" as a state ("a
/// world at war").
fn figurative(ctx: &Ctx, s: u32, e: u32) -> bool {
    let Some(h) = ctx.event_trigger_in(s, e) else { return false };
    let trigger = ctx.word(h.start as usize).to_lowercase();
    if !matches!(trigger.as_str(), "war" | "wars" | "crusade") || h.end != e {
        return false;
    }
    let n = ctx.toks.tokens.len() as u32;
    let after_on = e < n && ctx.word(e as usize).eq_ignore_ascii_case("on");
    // "the war on Iraq", "a war on the Taliban": a named enemy, a war.
    let named_after = after_on
        && ctx.mentions_starting_in(e + 1, e + 3).any(|k| {
            let o = &ctx.mentions[k];
            matches!(o.ty, EntityType::Place | EntityType::Organization | EntityType::Group)
                && o.kind == MentionKind::Name
                && o.entity.is_some()
        });
    let at_war = s == h.start && s > 0 && ctx.word(s as usize - 1).eq_ignore_ascii_case("at");
    (after_on && !named_after) || at_war
}

/// One event per event mention, with the date inside it and a place that
/// opens it, and whether it is a name (see [`named`]); `of_mention[m]` is
/// the event of mention `m`.
fn seed(ctx: &Ctx) -> (Vec<(Event, bool)>, Vec<Option<usize>>) {
    let mut events: Vec<(Event, bool)> = Vec::new();
    let mut of_mention: Vec<Option<usize>> = vec![None; ctx.mentions.len()];
    for (i, m) in ctx.mentions.iter().enumerate() {
        if m.ty != EntityType::Event
            || inside_name(ctx, m.start, m.end)
            || owned(ctx, m.start, m.end)
            || names_organization(ctx, m.start, m.end)
            || figurative(ctx, m.start, m.end)
        {
            continue;
        }
        of_mention[i] = Some(events.len());
        // A date inside the phrase, or a date's possessive before it
        // ("February's primaries").
        let possessive_date = (m.start >= 2 && matches!(ctx.word(m.start as usize - 1), "'s" | "’s"))
            .then(|| {
                let from = ctx.dates.partition_point(|d| d.end < m.start - 1);
                (from..ctx.dates.len())
                    .take_while(|&k| ctx.dates[k].end < m.start)
                    .find(|&k| ctx.dates[k].end == m.start - 1 && ctx.dates[k].value.is_some())
            })
            .flatten();
        let date = date_in(ctx, m.start, m.end).or(possessive_date);
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

/// The word right before mention `m`, lower-cased ("the", "his", "a"), and
/// for a possessive the possessor ("rubio" in "Rubio's campaign"); a date
/// possessive ("Tuesday's primary") counts as "the".
fn determiner(ctx: &Ctx, m: MentionIdx, dated: &[bool]) -> Option<String> {
    let start = ctx.mention(m).start as usize;
    if start == 0 {
        return None;
    }
    let w = ctx.word(start - 1).to_lowercase();
    if matches!(w.as_str(), "'s" | "’s") {
        if start < 2 {
            return None;
        }
        // The possessive follows a date ("Tuesday's primary").
        let dated = dated.get(start - 2).copied().unwrap_or(false)
            || matches!(
                ctx.word(start - 2).to_lowercase().as_str(),
                "week" | "month" | "year" | "weekend" | "night" | "today" | "yesterday" | "tomorrow" | "day"
            );
        if dated {
            return Some("the".to_string());
        }
        return Some(ctx.word(start - 2).to_lowercase());
    }
    Some(w)
}

/// Whether mention `m` is a definite anaphor: "the vote", "this summit",
/// "the Oct. 7 vote" (a date may stand among its modifiers), "Bosnia's war"
/// (a possessive that is no owner, see [`owner`]).
fn definite(ctx: &Ctx, m: MentionIdx, dated: &[bool]) -> bool {
    let lead = |w: &str| matches!(w, "the" | "this" | "that" | "these" | "those");
    let mention = ctx.mention(m);
    let start = mention.start as usize;
    let possessive = start > 0 && matches!(ctx.word(start - 1), "'s" | "’s");
    lead(&ctx.word(start).to_lowercase())
        || determiner(ctx, m, dated).is_some_and(|w| lead(&w))
        || possessive && owner(ctx, m, dated).is_none()
}

/// Who owns mention `m`: a possessive pronoun ("his campaign") or a person
/// named before it ("Rubio's campaign"), else `None`; a place's possessive
/// is where the event happens ("Bosnia's war"), not an owner.
fn owner(ctx: &Ctx, m: MentionIdx, dated: &[bool]) -> Option<String> {
    let d = determiner(ctx, m, dated)?;
    if matches!(d.as_str(), "his" | "her" | "its" | "their" | "our" | "my" | "your") {
        return Some(d);
    }
    let start = ctx.mention(m).start;
    if start < 2 || !matches!(ctx.word(start as usize - 1), "'s" | "’s") {
        return None;
    }
    let person = ctx.mentions_starting_in(start.saturating_sub(8), start - 1).any(|k| {
        let o = &ctx.mentions[k];
        o.ty == EntityType::Person && o.end == start - 1
    });
    person.then_some(d)
}

/// The modifiers of mention `m` that are not a date: "the Oct. 7 vote" ->
/// [], "the national election" -> ["national"].
fn content_modifiers(ctx: &Ctx, m: MentionIdx, dated: &[bool]) -> Vec<String> {
    let mention = ctx.mention(m);
    (mention.start..mention.end.saturating_sub(1))
        .filter(|&i| !dated.get(i as usize).copied().unwrap_or(false))
        .map(|i| ctx.word(i as usize).to_lowercase())
        .filter(|w| !matches!(w.as_str(), "the" | "a" | "an" | "this" | "that" | "its" | "their" | "his" | "her"))
        .collect()
}

/// Whether event `b` (one new mention) is the same event as `a` by
/// evidence: the same name (the same words before the same trigger, and
/// the same owner: "the New Hampshire primary" ... "Tuesday's New Hampshire
/// primary"), or a definite anaphor ("the vote", "the Oct. 7 vote", "the
/// talks") with no words of its own that differ from `a`'s, for the nearest
/// compatible event (the caller looks back from the latest). Two events
/// named differently never merge, nor does an indefinite one ("an election")
/// or a bare trigger ("voting ... voting").
fn same_event(feats: &Feats, a: &Event, a_named: bool, b: &Event, b_named: bool, loose: bool) -> bool {
    let f = |m: &MentionIdx| feats.get(*m);
    b.mentions.iter().any(|y| {
        let fy = f(y);
        if fy.det.as_deref().is_some_and(|w| matches!(w, "a" | "an" | "another")) {
            return false;
        }
        let same_name = a.mentions.iter().any(|x| {
            let fx = f(x);
            fx.last == fy.last && (!fy.mods.is_empty() || b_named) && fx.mods == fy.mods && fx.owner == fy.owner
        });
        if same_name {
            return true;
        }
        // A definite anaphor: its own words (dates aside) are none, or those
        // of a mention of `a` with the same trigger; never a second name.
        if b_named || fy.owner.is_some() || !fy.definite {
            return false;
        }
        let same_trigger = a.mentions.iter().any(|x| f(x).last == fy.last);
        if !fy.cmods.is_empty() {
            // "the general election" is a name of its own unless `a` has it.
            // ... and not one owned by someone ("his presidential campaign").
            return a.mentions.iter().any(|x| {
                let fx = f(x);
                fx.last == fy.last && fx.cmods == fy.cmods && fx.owner.is_none()
            });
        }
        // "the election" ... "the election"; "the Oct. 7 vote" for "Bosnia's
        // national election" (another trigger: only for a named or anchored
        // event, and only an unambiguous trigger: "the polls" may be a survey).
        // The other trigger needs a tie by evidence: the anaphor's own date
        // (agreeing with the event's, checked by the caller) or place ("the
        // Oct. 7 vote"; not "the raid" for an attack told of long before).
        // Or it follows one of the event's mentions closely (in the same or
        // the next two sentences: "The election was held in May. The vote
        // was fair.").
        let near = a.mentions.iter().any(|x| fy.sent.saturating_sub(f(x).sent) <= 2);
        let tied = b.date.is_some() || b.place.is_some() && a.place == b.place || near;
        // An ambiguous trigger owned at every mention ("his campaign") is
        // not what "this campaign" means.
        let owned_only = fy.ambiguous && a.mentions.iter().all(|x| f(x).owner.is_some());
        same_trigger && !owned_only
            || loose && tied && (a_named || a.place.is_some() || a.date.is_some()) && !fy.ambiguous
    })
}

/// What [`same_event`] asks of each event mention, computed once per
/// mention (a long document holds thousands of events, and each is
/// compared with every earlier one).
struct Feat {
    /// The trigger word in the singular: "caucuses" and "caucus" name one event.
    last: String,
    mods: Vec<String>,
    cmods: Vec<String>,
    owner: Option<String>,
    det: Option<String>,
    definite: bool,
    ambiguous: bool,
    named: bool,
    sent: u32,
}

/// The [`Feat`] of every event mention, by mention index, and the event
/// classes (so that indexes keyed by class outlive the events moved into
/// the merged list).
struct Feats {
    feat: HashMap<u32, Feat>,
    classes: Vec<String>,
}

impl Feats {
    fn new(ctx: &Ctx, events: &[(Event, bool)]) -> Feats {
        // Tokens inside a date, for the possessive and modifier checks.
        let mut dated = vec![false; ctx.toks.tokens.len()];
        for d in &ctx.dates {
            for i in d.start..d.end {
                if let Some(x) = dated.get_mut(i as usize) {
                    *x = true;
                }
            }
        }
        let mut map = HashMap::new();
        let mut classes: Vec<String> = events.iter().map(|(e, _)| e.class.clone()).collect();
        classes.sort_unstable();
        classes.dedup();
        for m in events.iter().flat_map(|(e, _)| e.mentions.iter()) {
            map.entry(m.get() as u32).or_insert_with(|| {
                let mention = ctx.mention(*m);
                let w = ctx.word(mention.end as usize - 1).to_lowercase();
                let stem = if ["ses", "xes", "ches", "shes"].iter().any(|x| w.ends_with(x)) {
                    w.strip_suffix("es")
                } else if ["ss", "us", "is"].iter().any(|x| w.ends_with(x)) {
                    None
                } else {
                    w.strip_suffix('s')
                };
                Feat {
                    last: stem.map_or(w.clone(), str::to_string),
                    mods: modifiers(ctx, *m),
                    cmods: content_modifiers(ctx, *m, &dated),
                    owner: owner(ctx, *m, &dated),
                    det: determiner(ctx, *m, &dated),
                    definite: definite(ctx, *m, &dated),
                    ambiguous: ambiguous(ctx, *m),
                    named: named(ctx, mention.start, mention.end),
                    sent: ctx.toks.sent_of[mention.start as usize],
                }
            });
        }
        Feats { feat: map, classes }
    }

    fn get(&self, m: MentionIdx) -> &Feat {
        // Every event mention was given its features in `new`.
        &self.feat[&(m.get() as u32)]
    }

    /// Event `e`'s class, as stored here.
    fn class(&self, e: &Event) -> &str {
        self.classes.binary_search(&e.class).map_or("", |i| self.classes[i].as_str())
    }
}

/// Whether the trigger of mention `m` is marked `ambiguous=1` ("polls", "campaign").
fn ambiguous(ctx: &Ctx, m: MentionIdx) -> bool {
    let m = ctx.mention(m);
    ctx.event_trigger_in(m.start, m.end).is_some_and(|h| ctx.model.gaz.entries[h.entry as usize].ambiguous)
}

/// Merges each event into the nearest earlier event of its class that is
/// the same event by evidence ([`same_event`]) and does not disagree on
/// place or date (an event is evident when one of its mentions is).
fn merge(ctx: &Ctx, events: Vec<(Event, bool)>) -> Vec<(Event, bool)> {
    let date_val = |ev: &Event| ev.date.and_then(|d| ctx.dates[d].value.as_deref());
    // How specific a date is: "1992/1995" over "199X".
    let specific = |d: Option<usize>| {
        d.and_then(|d| ctx.dates[d].value.as_deref()).map_or(0, |v| v.len() - v.matches('X').count() * 2)
    };
    let feats = Feats::new(ctx, &events);
    let is_named = |ev: &Event| ev.mentions.iter().any(|&m| feats.get(m).named);
    let mut merged: Vec<(Event, bool)> = Vec::new();
    // Whether each merged event is named (one of its mentions is).
    let mut merged_named: Vec<bool> = Vec::new();
    // The merged events of each class, and of each class and trigger word
    // (ascending): only an event sharing a trigger word can be the same by
    // its words, so the strict search looks at those alone.
    let mut by_class: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_trigger: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for (e, evident) in events {
        let e_named = is_named(&e);
        let e_date = date_val(&e);
        // The nearest event that is the same by its words, else the nearest
        // named or anchored one a definite anaphor with another trigger fits.
        let fits = |k: usize, loose: bool| {
            let o = &merged[k].0;
            o.class == e.class
                && (o.place.is_none() || e.place.is_none() || o.place == e.place)
                && dates_agree(date_val(o), e_date)
                && same_event(&feats, o, merged_named[k], &e, e_named, loose)
        };
        let mut strict: Vec<usize> = e
            .mentions
            .iter()
            .filter_map(|&m| by_trigger.get(&(feats.class(&e), feats.get(m).last.as_str())))
            .flatten()
            .copied()
            .collect();
        strict.sort_unstable();
        strict.dedup();
        let k =
            strict.iter().rev().copied().find(|&k| fits(k, false)).or_else(|| {
                by_class.get(feats.class(&e)).and_then(|ks| ks.iter().rev().copied().find(|&k| fits(k, true)))
            });
        let Some(k) = k else {
            let k = merged.len();
            by_class.entry(feats.class(&e)).or_default().push(k);
            for &m in &e.mentions {
                let key = (feats.class(&e), feats.get(m).last.as_str());
                let ks = by_trigger.entry(key).or_default();
                if ks.last() != Some(&k) {
                    ks.push(k);
                }
            }
            merged.push((e, evident));
            merged_named.push(e_named);
            continue;
        };
        merged_named[k] |= e_named;
        for &m in &e.mentions {
            let ks = by_trigger.entry((feats.class(&merged[k].0), feats.get(m).last.as_str())).or_default();
            if let Err(at) = ks.binary_search(&k) {
                ks.insert(at, k);
            }
        }
        let (o, o_evident) = &mut merged[k];
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
