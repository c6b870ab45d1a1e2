//! Stage 6: entities. Turns gazetteer hits and entity-rule matches into
//! mentions, resolves overlaps, merges name variants into entities, and
//! resolves pronouns and nominals ("he", "the Russian") to people.
//!
//! # Overlap policy: `priority, then longest, then leftmost`
//! Candidates are taken in order of rule priority (higher first), then
//! length in tokens (longer first), then start (earlier first), then the
//! order they were produced in; a candidate is kept when it overlaps no kept
//! candidate of its layer. Layers: names (person, organization, place,
//! group), offices, events. Names never overlap each other; an office or
//! an event may contain names ("US." inside "US.-brokered peace deal").

use std::collections::{HashMap, HashSet};

use crate::doc::{Ctx, Entity, Mention, Prov};
use crate::rules::{Action, Arg, Match, Rule, Stage, StageRun, Unit, View};
use crate::tokens::{Case, flag};
use crate::types::{EntityIdx, EntityType, Gender, MentionIdx, MentionKind, UnitType};

/// The overlap layer of a type: names never overlap each other; offices
/// and events are layers of their own.
pub(crate) fn layer(t: EntityType) -> u8 {
    match t {
        EntityType::Office => 1,
        EntityType::Event => 2,
        _ => 0,
    }
}

/// Words that end the name of a sports event after a place ("U.S. Open").
/// The entry of type `ty` (a one-word data list: `pronoun`, `nominal_cue`,
/// `event_tail` in `function_words.tsv`) that token `i` is, if any.
fn word_entry<'g>(ctx: &Ctx<'g>, i: usize, ty: Option<u16>) -> Option<&'g crate::gazetteer::Entry> {
    let ty = ty?;
    let gaz = &ctx.model.gaz;
    let from = ctx.hits.partition_point(|h| (h.start as usize) < i);
    ctx.hits[from..]
        .iter()
        .take_while(|h| h.start as usize == i)
        .filter(|h| h.end as usize == i + 1)
        .map(|h| &gaz.entries[h.entry as usize])
        .find(|e| e.ty == ty)
}

/// A name mention that a built-in pass of this stage adds (`rule` is its
/// provenance, `entities.*`).
fn builtin_name(start: u32, end: u32, ty: EntityType, rule: &'static str, priority: i32) -> Mention {
    Mention {
        start,
        end,
        ty,
        kind: MentionKind::Name,
        canonical: None,
        prov: Prov::Builtin(rule),
        priority,
        entity: None,
        class: None,
    }
}

/// Keeps the candidates that win under the overlap policy, in text order.
pub(crate) fn resolve_overlaps(cands: Vec<Mention>) -> Vec<Mention> {
    let mut order: Vec<usize> = (0..cands.len()).collect();
    order.sort_by_key(|&i| {
        let c = &cands[i];
        (std::cmp::Reverse(c.priority), std::cmp::Reverse(c.end - c.start), c.start, i)
    });
    // One bit per token and layer: a candidate is kept when none of its
    // tokens is taken in its layer (linear in the candidates' lengths).
    let n = cands.iter().map(|c| c.end as usize).max().unwrap_or(0);
    let mut taken = vec![0u8; n];
    let mut keep = vec![false; cands.len()];
    for i in order {
        let c = &cands[i];
        let bit = 1u8 << layer(c.ty);
        let span = c.start as usize..c.end as usize;
        if taken[span.clone()].iter().any(|t| t & bit != 0) {
            continue;
        }
        taken[span].iter_mut().for_each(|t| *t |= bit);
        keep[i] = true;
    }
    let mut out: Vec<Mention> = cands.into_iter().zip(keep).filter(|(_, k)| *k).map(|(c, _)| c).collect();
    out.sort_by_key(|m| (m.start, m.end, m.ty));
    out
}

/// The rule view's entity layer: these mentions plus the document's dates.
pub(crate) fn units_of(mentions: &[Mention], ctx: &Ctx) -> Vec<Unit> {
    let mut units: Vec<Unit> = mentions
        .iter()
        .map(|m| Unit { start: m.start, end: m.end, ty: UnitType::Entity(m.ty), kind: m.kind })
        .collect();
    for d in &ctx.dates {
        units.push(Unit { start: d.start, end: d.end, ty: UnitType::Date, kind: MentionKind::Name });
    }
    units
}

/// Whether the document is sports news: a sports word (`sports_word`
/// entries) in the headline; or scores ("2-1", "6-3", not dates) and
/// distinct sports words together: three scores, or one score and one sports
/// word, or three different sports words.
fn is_sports(ctx: &Ctx) -> bool {
    let gaz = &ctx.model.gaz;
    let Some(sw) = gaz.find_type("sports_word") else { return false };
    // A sports word in the headline ("SOCCER - ...", "Tennis: ...") settles it.
    let headline_end = ctx.toks.sentences.first().map_or(0, |s| s.end) as u32;
    if ctx.hits.iter().take_while(|h| h.start < headline_end).any(|h| gaz.entries[h.entry as usize].ty == sw) {
        return true;
    }
    // Words that also occur in other news ("golf", "swimming") count only in the headline.
    let mut kinds: Vec<u32> = ctx
        .hits
        .iter()
        .filter(|h| {
            let e = &gaz.entries[h.entry as usize];
            e.ty == sw && gaz.attr(e, "headline") != Some("1")
        })
        .map(|h| h.entry)
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    let words = kinds.len();
    let toks = &ctx.toks.tokens;
    // "1996-08-30" is a date, not a score.
    let mut in_date = vec![false; toks.len()];
    for d in &ctx.dates {
        in_date[d.start as usize..d.end as usize].iter_mut().for_each(|x| *x = true);
    }
    let scores = (2..toks.len())
        .filter(|&i| {
            !in_date[i]
                && toks[i - 2].kind == crate::tokens::Kind::Number
                && ctx.word(i - 1) == "-"
                && toks[i].kind == crate::tokens::Kind::Number
                && !toks[i - 1].has(flag::SPACE_BEFORE)
                && !toks[i].has(flag::SPACE_BEFORE)
                && ctx.word(i).len() <= 3
                && ctx.word(i - 2).len() <= 3
        })
        .count();
    scores >= 3 || (scores >= 1 && words >= 1) || words >= 3
}

/// The gazetteer's entity candidates: each hit of an entity type, except
/// persons and events (found by rules) and the hits their context rules out.
fn gazetteer_candidates(ctx: &Ctx, sports: bool) -> Vec<Mention> {
    let model = ctx.model;
    let gaz = &model.gaz;
    let mut cands: Vec<Mention> = Vec::new();
    for h in &ctx.hits {
        let e = &gaz.entries[h.entry as usize];
        // `context=sports` entries (places used as team names) count only in sports news.
        if e.sports_only && !sports {
            continue;
        }
        // Event triggers become events only through the event rules, which
        // tell the noun ("the vote") from the verb ("to vote").
        let Some(t) = model.entity_type(e.ty).filter(|t| !matches!(t, EntityType::Person | EntityType::Event)) else {
            continue;
        };
        let first = &ctx.toks.tokens[h.start as usize];
        if e.ambiguous && (first.has(flag::SENT_START) || ctx.toks.sentence_of(h.start as usize).case != Case::Normal) {
            continue;
        }
        let is_demonym = e.mention == MentionKind::Demonym;
        // A place that opens the name of a sports event is not the place:
        // "the U.S. Open", "the Atlanta Games", "the Hong Kong Open".
        if t == EntityType::Place
            && !is_demonym
            && ctx.toks.tokens.get(h.end as usize).is_some_and(|n| n.has(flag::CAP))
            && word_entry(ctx, h.end as usize, gaz.find_type("event_tail")).is_some()
        {
            continue;
        }
        cands.push(Mention {
            start: h.start,
            end: h.end,
            ty: t,
            kind: e.mention,
            canonical: Some(gaz.canonical(e).into()),
            prov: Prov::Gaz(h.entry),
            priority: if is_demonym {
                -1
            } else if e.sports_only {
                1
            } else {
                0
            },
            entity: None,
            class: None,
        });
    }
    cands
}

/// The candidate one entity action `a` of rule `ri` emits for match `m`, if any.
fn rule_candidate(ctx: &Ctx, ri: u32, rule: &Rule, m: &Match, a: &Action) -> Option<Mention> {
    let Some(Arg::Capture(c)) = a.positional.first() else {
        return None;
    };
    let (s, e) = rule.cap(c).and_then(|k| m.caps[k])?;
    if s >= e {
        return None;
    }
    let t = EntityType::from_name(&a.name)?;
    let k = match a.get("kind") {
        Some(Arg::Literal(k)) => MentionKind::from_name(k).unwrap_or(MentionKind::Name),
        _ => MentionKind::Name,
    };
    let class = match a.get("class") {
        Some(Arg::Literal(c)) => Some(c.as_str().into()),
        _ if t == EntityType::Event => event_class_in(ctx, s, e),
        _ => None,
    };
    Some(Mention {
        start: s,
        end: e,
        ty: t,
        kind: k,
        canonical: None,
        prov: Prov::Rule(ri),
        priority: rule.def.priority,
        entity: None,
        class,
    })
}

/// Runs the entity rules, adding their candidates to `cands`. The entity
/// layer changes only when a rule added candidates; each rule sees what the
/// rules before it found.
fn add_rule_candidates(ctx: &Ctx, sports: bool, cands: &mut Vec<Mention>) {
    let mut view = View::new(ctx.text, &ctx.toks, &ctx.model.gaz, &ctx.hits);
    view.sports = sports;
    view.set_units(units_of(cands, ctx));
    let mut units_for = cands.len();
    let windows = ctx.toks.windows();
    let mut run = StageRun::new(&ctx.model.rules, Stage::Entities, &windows);
    while let Some((ri, rule, matches)) = run.next(&view) {
        for m in matches {
            cands.extend(rule.def.actions.iter().filter_map(|a| rule_candidate(ctx, ri, rule, m, a)));
        }
        if cands.len() != units_for {
            view.set_units(units_of(cands, ctx));
            units_for = cands.len();
        }
    }
}

/// Runs the stage: writes the document's mentions and entities.
pub(crate) fn run(ctx: &mut Ctx) {
    let sports = is_sports(ctx);
    let mut cands = gazetteer_candidates(ctx, sports);
    add_rule_candidates(ctx, sports, &mut cands);
    add_acronyms(ctx, &mut cands);
    add_org_short_names(ctx, &mut cands);
    let mut mentions = resolve_overlaps(cands);
    add_name_variants(ctx, &mut mentions);
    add_name_repeats(ctx, &mut mentions);
    ctx.mentions = mentions;
    build_entities(ctx);
    resolve_nominals(ctx);
    resolve_pronouns(ctx);
    resolve_relative_who(ctx);
    resolve_it_speaker(ctx);
    ctx.index_mentions();
}

/// The acronym in parentheses at token `i` ("(PLDF)"): two to eight capitals
/// (with `&` or `-`), in a sentence of normal case.
fn acronym_at<'c>(ctx: &'c Ctx, i: usize) -> Option<&'c str> {
    let acr = ctx.word(i);
    let letters = acr.chars().filter(|c| c.is_ascii_uppercase()).count();
    let ok = ctx.word(i - 1) == "("
        && ctx.word(i + 1) == ")"
        && ctx.toks.tokens[i].has(flag::UPPER)
        && (2..=8).contains(&letters)
        && acr.chars().all(|c| c.is_ascii_uppercase() || c == '&' || c == '-')
        && ctx.toks.sentence_of(i).case == Case::Normal;
    ok.then_some(acr)
}

/// The start of a long form ending at token `before` whose capitalized words
/// (and "of", "for", "and", "the", "&") spell `acr` and which holds an
/// organization word ("Front", "Union", "Party"): "Comprehensive Test Ban
/// Treaty (CTBT)" is no organization.
fn spelled_org_start(ctx: &Ctx, acr: &str, before: u32) -> Option<usize> {
    let toks = &ctx.toks.tokens;
    let gaz = &ctx.model.gaz;
    let want: Vec<char> = acr.chars().filter(char::is_ascii_uppercase).collect();
    let mut k = before as usize;
    let mut got: Vec<char> = Vec::new();
    let mut start = None;
    while k > 0 && got.len() < want.len() {
        k -= 1;
        let w = ctx.word(k);
        if toks[k].has(flag::NL_BEFORE) && got.len() + 1 < want.len() {
            break;
        }
        if toks[k].has(flag::CAP) {
            // "Pan-Lusitanian": each capitalized part counts.
            let parts: Vec<char> =
                w.split('-').filter_map(|p| p.chars().next()).filter(char::is_ascii_uppercase).collect();
            got.splice(0..0, parts);
            start = Some(k);
        } else if !matches!(w, "of" | "for" | "and" | "the" | "&" | "de" | "du" | "des" | "la" | "del") {
            break;
        }
    }
    let org_word = gaz.find_type("org_word");
    let has_org_word = |s: usize| {
        let from = ctx.hits.partition_point(|h| (h.start as usize) < s);
        ctx.hits[from..]
            .iter()
            .take_while(|h| h.start < before)
            .any(|h| Some(gaz.entries[h.entry as usize].ty) == org_word)
    };
    start.filter(|&s| got == want && want.len() >= 2 && has_org_word(s))
}

/// Acronyms defined in the text: "the Pan-Lusitanian Defence Front (PLDF)"
/// ... "the PLDF said". The acronym in parentheses right after a name takes
/// the name's type (an organization when the name is new but its initials
/// spell the acronym, and then the long form is one too) and keeps it
/// everywhere in the document.
fn add_acronyms(ctx: &Ctx, cands: &mut Vec<Mention>) {
    let n = ctx.toks.tokens.len();
    let mut defined: Vec<(&str, EntityType)> = Vec::new();
    let mut add: Vec<(u32, u32, EntityType)> = Vec::new();
    // Candidates by end token, each list in candidate order (built once,
    // when the first acronym shows up: no scan of all candidates per acronym).
    let mut by_end: Option<HashMap<u32, Vec<usize>>> = None;
    for i in 2..n.saturating_sub(1) {
        let Some(acr) = acronym_at(ctx, i) else {
            continue;
        };
        let before = (i - 1) as u32;
        let by_end = by_end.get_or_insert_with(|| {
            let mut m: HashMap<u32, Vec<usize>> = HashMap::new();
            for (k, c) in cands.iter().enumerate() {
                m.entry(c.end).or_default().push(k);
            }
            m
        });
        // A name (not a person) ending right before the parenthesis.
        let named = by_end
            .get(&before)
            .into_iter()
            .flatten()
            .map(|&k| &cands[k])
            .filter(|c| c.end == before && c.kind == MentionKind::Name && layer(c.ty) == 0)
            .filter(|c| c.ty != EntityType::Person)
            .max_by_key(|c| (c.priority, c.end - c.start));
        let ty = match named {
            Some(c) => c.ty,
            None => {
                let Some(s) = spelled_org_start(ctx, acr, before) else {
                    continue;
                };
                add.push((s as u32, before, EntityType::Organization));
                EntityType::Organization
            }
        };
        if !defined.iter().any(|(a, _)| *a == acr) {
            defined.push((acr, ty));
        }
    }
    // Every use of each defined acronym, acronym by acronym, in one pass
    // over the tokens.
    let which: HashMap<&str, usize> = defined.iter().enumerate().map(|(k, (a, _))| (*a, k)).collect();
    let mut uses: Vec<(usize, u32)> = Vec::new();
    if !which.is_empty() {
        for i in 0..n {
            if let Some(&k) = which.get(ctx.word(i)) {
                uses.push((k, i as u32));
            }
        }
    }
    uses.sort_unstable();
    add.extend(uses.into_iter().map(|(k, i)| (i, i + 1, defined[k].1)));
    cands.extend(add.into_iter().map(|(s, e, ty)| builtin_name(s, e, ty, "entities.acronym", 1)));
}

/// An organization named with a company suffix ("Barrow & Tedd LLC",
/// "Norvale Foods Inc.") is the same organization without it elsewhere in
/// the document ("Barrow & Tedd said"), never a person: the short form
/// becomes an organization candidate that outranks name rules.
fn add_org_short_names(ctx: &Ctx, cands: &mut Vec<Mention>) {
    let gaz = &ctx.model.gaz;
    let Some(org_word) = gaz.find_type("org_word") else { return };
    let toks = &ctx.toks.tokens;
    // Token runs of the short forms, as words.
    let mut shorts: Vec<(Vec<&str>, String)> = Vec::new();
    for c in
        cands.iter().filter(|c| c.ty == EntityType::Organization && c.kind == MentionKind::Name && c.end - c.start >= 2)
    {
        let last = c.end - 1;
        let from = ctx.hits.partition_point(|h| h.start < last);
        let corporate = ctx.hits[from..].iter().take_while(|h| h.start == last).any(|h| {
            let e = &gaz.entries[h.entry as usize];
            e.ty == org_word && h.end == c.end && gaz.attr(e, "class") == Some("corporate")
        });
        if !corporate {
            continue;
        }
        // "Barrow & Tedd, LLC": the comma goes with the suffix.
        let mut end = last;
        while end > c.start && ctx.word(end as usize - 1) == "," {
            end -= 1;
        }
        if end == c.start || !toks[c.start as usize].has(flag::CAP) || !toks[end as usize - 1].has(flag::CAP) {
            continue;
        }
        let words: Vec<&str> = (c.start..end).map(|i| ctx.word(i as usize)).collect();
        if !shorts.iter().any(|(w, _)| *w == words) {
            shorts.push((words, norm_ws(ctx.slice(c.start, c.end))));
        }
    }
    // Short forms by first word: one pass over the tokens finds every use
    // of every short form; uses are then ordered short form by short form.
    let mut by_first: HashMap<&str, Vec<usize>> = HashMap::new();
    for (k, (words, _)) in shorts.iter().enumerate() {
        by_first.entry(words[0]).or_default().push(k);
    }
    let mut uses: Vec<(usize, usize)> = Vec::new();
    if !by_first.is_empty() {
        for i in 0..toks.len() {
            let Some(ks) = by_first.get(ctx.word(i)) else { continue };
            for &k in ks {
                let words = &shorts[k].0;
                let n = words.len();
                if i + n <= toks.len()
                    && (0..n).all(|j| ctx.word(i + j) == words[j])
                    // Not followed by more capitalized words ("Barrow & Tedd Holdings").
                    && toks.get(i + n).is_none_or(|t| !t.has(flag::CAP) || t.has(flag::NL_BEFORE))
                {
                    uses.push((k, i));
                }
            }
        }
    }
    uses.sort_unstable();
    let add: Vec<(u32, u32, &String)> =
        uses.into_iter().map(|(k, i)| (i as u32, (i + shorts[k].0.len()) as u32, &shorts[k].1)).collect();
    for (s, e, full) in add {
        let mut m = builtin_name(s, e, EntityType::Organization, "entities.org_short_name", 1);
        m.canonical = Some(full.as_str().into());
        cands.push(m);
    }
}

/// The class of the last event trigger inside tokens `[s, e)`.
fn event_class_in(ctx: &Ctx, s: u32, e: u32) -> Option<Box<str>> {
    let gaz = &ctx.model.gaz;
    ctx.event_trigger_in(s, e)
        .map(|h| &gaz.entries[h.entry as usize])
        .map(|en| gaz.attr(en, "class").unwrap_or(gaz.canonical(en)).replace('_', " ").into())
}

fn is_word_name(ctx: &Ctx, i: usize) -> bool {
    ctx.toks.tokens[i].has(flag::CAP)
}

/// The full names and surnames of the persons named in the document, for
/// finding their other uses.
struct KnownNames<'c> {
    full: HashMap<String, ()>,
    surname: HashMap<&'c str, u32>,
    /// The same in capitals, for all-caps headlines ("TENNIS - OKAFOR UPSETS LINDQVIST").
    full_upper: HashMap<String, ()>,
    surname_upper: HashMap<String, ()>,
    /// Words in the longest full name.
    max_len: usize,
}

impl<'c> KnownNames<'c> {
    /// Collects the names of the person name mentions of two words or more,
    /// and the single capitalized words a rule found as a person's name
    /// ("\"...,\" Wendlik said" lends "Wendlik" to its later uses).
    fn collect(ctx: &'c Ctx, mentions: &[Mention]) -> Self {
        let mut full: HashMap<String, ()> = HashMap::new();
        let mut surname: HashMap<&str, u32> = HashMap::new();
        for m in mentions.iter() {
            if m.ty == EntityType::Person
                && m.kind == MentionKind::Name
                && m.end - m.start == 1
                && matches!(m.prov, Prov::Rule(_))
                && ctx.word(m.start as usize).chars().count() > 2
                && ctx.toks.tokens[m.start as usize].has(flag::CAP)
                && !ctx.toks.tokens[m.start as usize].has(flag::UPPER)
            {
                *surname.entry(ctx.word(m.start as usize)).or_default() += 1;
            }
            if m.ty == EntityType::Person && m.kind == MentionKind::Name && m.end - m.start >= 2 {
                full.insert(norm_ws(ctx.slice(m.start, m.end)), ());
                let last = ctx.word(m.end as usize - 1);
                if last.chars().count() > 1 && ctx.toks.tokens[m.end as usize - 1].has(flag::CAP) {
                    *surname.entry(last).or_default() += 1;
                }
                // Family name first ("Wang Yi", "Kim Jong-un"): a known surname
                // that is not a given name stands for the person too.
                let first = m.start as usize;
                if m.end - m.start == 2 && name_count(ctx, first, "surname") > name_count(ctx, first, "given_name") {
                    *surname.entry(ctx.word(first)).or_default() += 1;
                }
            }
        }
        KnownNames {
            max_len: full.keys().map(|k| k.split(' ').count()).max().unwrap_or(0),
            full_upper: full.keys().map(|k| (k.to_uppercase(), ())).collect(),
            surname_upper: surname.keys().map(|k| (k.to_uppercase(), ())).collect(),
            full,
            surname,
        }
    }

    /// The length of the longest known full name at token `i`, on one line
    /// and with none of its tokens `covered`.
    fn full_name_at(&self, ctx: &Ctx, covered: &[bool], i: usize) -> Option<usize> {
        let n = ctx.toks.tokens.len();
        (2..=self.max_len).rev().find(|&len| {
            if i + len > n
                || (i..i + len).any(|k| covered[k])
                || (i + 1..i + len).any(|k| ctx.toks.tokens[k].has(flag::NL_BEFORE))
            {
                return false;
            }
            let words = norm_ws(ctx.slice(i as u32, (i + len) as u32));
            self.full.contains_key(&words) || (caps_line(ctx, i) && self.full_upper.contains_key(&words))
        })
    }

    /// Whether token `i` is a known surname (in capitals on an all-caps line).
    fn is_surname(&self, ctx: &Ctx, i: usize) -> bool {
        let w = ctx.word(i);
        self.surname.contains_key(w)
            || (caps_line(ctx, i) && ctx.toks.tokens[i].has(flag::UPPER) && self.surname_upper.contains_key(w))
    }
}

/// Whether token `i` lies in an all-caps sentence (a headline).
fn caps_line(ctx: &Ctx, i: usize) -> bool {
    ctx.toks.sentence_of(i).case == Case::Upper
}

/// For each token, whether a name mention covers it.
fn name_covered(ctx: &Ctx, mentions: &[Mention]) -> Vec<bool> {
    let mut covered = vec![false; ctx.toks.tokens.len()];
    for m in mentions.iter() {
        if m.ty.is_name() {
            for t in m.start..m.end {
                covered[t as usize] = true;
            }
        }
    }
    covered
}

/// For each token, whether gazetteer types mark it as a not-name word ("League", "Minister").
fn common_words(ctx: &Ctx) -> Vec<bool> {
    let gaz = &ctx.model.gaz;
    let not_name: Vec<Option<u16>> = ["office", "role", "org_word", "event", "speech_verb", "sports_word"]
        .iter()
        .map(|t| gaz.find_type(t))
        .collect();
    let mut common_word = vec![false; ctx.toks.tokens.len()];
    for h in &ctx.hits {
        if not_name.contains(&Some(gaz.entries[h.entry as usize].ty)) {
            for t in h.start..h.end {
                common_word[t as usize] = true;
            }
        }
    }
    common_word
}

/// Adds person mentions for later (or earlier) uses of a known person's full
/// name or surname that nothing else claimed: "Lavrov" after "Sergei Lavrov".
fn add_name_variants(ctx: &Ctx, mentions: &mut Vec<Mention>) {
    let names = KnownNames::collect(ctx, mentions);
    if names.surname.is_empty() {
        return;
    }
    let n = ctx.toks.tokens.len();
    let covered = name_covered(ctx, mentions);
    let common_word = common_words(ctx);
    let mut added = Vec::new();
    let mut i = 0;
    while i < n {
        if covered[i] || !is_word_name(ctx, i) {
            i += 1;
            continue;
        }
        if let Some(len) = names.full_name_at(ctx, &covered, i) {
            added.push((i as u32, (i + len) as u32));
            i += len;
            continue;
        }
        let next_is_name = !caps_line(ctx, i)
            && i + 1 < n
            && is_word_name(ctx, i + 1)
            && ctx.toks.tokens[i + 1].has(flag::SPACE_BEFORE)
            && !covered[i + 1];
        if names.is_surname(ctx, i) && !next_is_name && !common_word[i] {
            added.push((i as u32, i as u32 + 1));
        }
        i += 1;
    }
    mentions.extend(added.into_iter().map(|(s, e)| builtin_name(s, e, EntityType::Person, "entities.name_variant", 0)));
    mentions.sort_by_key(|m| (m.start, m.end, m.ty));
}

/// Adds organization and place mentions for the other uses of a name the
/// document already gave one type ("one sense per discourse"): `Heerenveen`
/// found in a results line is `Heerenveen` in every line, `BLACKBURN` in an
/// all-caps headline is the `Blackburn` of the story. A name the document
/// gives two types (`Boston` the city and the team) is left alone, and so is
/// a use inside a longer run of capitalized words (`Seat` in `Seat Ibiza`).
fn add_name_repeats(ctx: &Ctx, mentions: &mut Vec<Mention>) {
    let key = |s: u32, e: u32| norm_ws(ctx.slice(s, e)).to_lowercase();
    let mut types: HashMap<String, Option<EntityType>> = HashMap::new();
    // The first words of the names, so that most tokens are passed over
    // without building the text of every window.
    let mut firsts: HashSet<String> = HashSet::new();
    let mut max_len = 0;
    for m in mentions.iter().filter(|m| m.kind == MentionKind::Name && m.ty.is_name()) {
        firsts.insert(ctx.word(m.start as usize).to_lowercase());
        let ty = matches!(m.ty, EntityType::Organization | EntityType::Place).then_some(m.ty);
        types
            .entry(key(m.start, m.end))
            .and_modify(|t| {
                if *t != ty {
                    *t = None
                }
            })
            .or_insert(ty);
        max_len = max_len.max((m.end - m.start) as usize);
    }
    types.retain(|_, t| t.is_some());
    if types.is_empty() {
        return;
    }
    let n = ctx.toks.tokens.len();
    let covered = name_covered(ctx, mentions);
    let common_word = common_words(ctx);
    let free_name = |k: usize| !covered[k] && is_word_name(ctx, k) && !common_word[k];
    // Next to another free name word the use may be part of a longer name,
    // except in an all-caps headline, where every word is capitalized.
    let next_to_name = |k: usize| !caps_line(ctx, k) && free_name(k);
    let mut added = Vec::new();
    let mut i = 0;
    while i < n {
        if !free_name(i)
            || (i > 0 && !ctx.toks.tokens[i].has(flag::SENT_START) && next_to_name(i - 1))
            || !firsts.contains(&ctx.word(i).to_lowercase())
        {
            i += 1;
            continue;
        }
        let found = (1..=max_len.min(n - i)).rev().find_map(|len| {
            let e = i + len;
            let one_line = (i + 1..e).all(|k| !ctx.toks.tokens[k].has(flag::NL_BEFORE) && !covered[k]);
            let alone = e == n || ctx.toks.tokens[e].has(flag::NL_BEFORE) || !next_to_name(e);
            if !one_line || !alone || !is_word_name(ctx, e - 1) {
                return None;
            }
            types.get(&key(i as u32, e as u32)).copied().flatten().map(|ty| (e, ty))
        });
        match found {
            Some((e, ty)) => {
                added.push((i as u32, e as u32, ty));
                i = e;
            }
            None => i += 1,
        }
    }
    mentions.extend(added.into_iter().map(|(s, e, ty)| builtin_name(s, e, ty, "entities.name_repeat", 0)));
    mentions.sort_by_key(|m| (m.start, m.end, m.ty));
}

/// The largest `count=` among the hits of type `ty` (given_name, surname)
/// starting at token `i`; 0 when there is none.
fn name_count(ctx: &Ctx, i: usize, ty: &str) -> u64 {
    let gaz = &ctx.model.gaz;
    let Some(t) = gaz.find_type(ty) else { return 0 };
    let from = ctx.hits.partition_point(|h| (h.start as usize) < i);
    ctx.hits[from..]
        .iter()
        .take_while(|h| h.start as usize == i)
        .map(|h| &gaz.entries[h.entry as usize])
        .filter(|e| e.ty == t)
        .map(|e| gaz.attr(e, "count").and_then(|c| c.parse().ok()).unwrap_or(1))
        .max()
        .unwrap_or(0)
}

fn norm_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Groups mentions into entities.
/// People named in full, indexed for joining single names to them.
#[derive(Default)]
struct People {
    by_first_last: HashMap<(String, String), EntityIdx>,
    by_last: HashMap<String, Vec<EntityIdx>>,
    by_first: HashMap<String, Vec<EntityIdx>>,
    /// Token positions of each person's full-name mentions, in text order.
    full_at: HashMap<EntityIdx, Vec<u32>>,
    /// The first `by_last` key under each upper-case form ("OKAFOR" → "Okafor").
    last_by_upper: HashMap<String, String>,
}

impl People {
    fn add(&mut self, e: EntityIdx, name: &str, pos: u32) {
        let words: Vec<&str> = name.split(' ').collect();
        if words.len() < 2 {
            return;
        }
        let (first, last) = (words[0].to_string(), words[words.len() - 1].to_string());
        if !self.by_last.contains_key(&last) {
            self.last_by_upper.entry(last.to_uppercase()).or_insert_with(|| last.clone());
        }
        self.by_first_last.entry((first.clone(), last.clone())).or_insert(e);
        for (map, key) in [(&mut self.by_last, last), (&mut self.by_first, first)] {
            let v = map.entry(key).or_default();
            if !v.contains(&e) {
                v.push(e);
            }
        }
        self.full_at.entry(e).or_default().push(pos);
    }

    /// The person under `key` named in full most often before `pos`, the
    /// nearest before `pos` among equals (else the nearest after): after
    /// "Hillary Clinton" three times and "Chelsea Clinton" once, "Clinton"
    /// is Hillary; after one "Bill Clinton" and one "Hillary Clinton" it is
    /// the one named last.
    fn nearest(&self, map: &HashMap<String, Vec<EntityIdx>>, key: &str, pos: u32) -> Option<EntityIdx> {
        map.get(key)?
            .iter()
            .filter_map(|&e| {
                let at = self.full_at.get(&e)?;
                let k = at.partition_point(|&p| p <= pos);
                let d = if k > 0 { (0, pos - at[k - 1]) } else { (1, at[0] - pos) };
                Some(((std::cmp::Reverse(k), d), e))
            })
            .min()
            .map(|(_, e)| e)
    }
}

/// The key a person's name `text` at mention `m` groups under: the name of
/// the person named in full it joins, else the text itself.
fn person_key(people: &People, entities: &[Entity], m: &Mention, text: &str) -> String {
    let words: Vec<&str> = text.split(' ').collect();
    let first = words.first().copied().unwrap_or("");
    let last = words.last().copied().unwrap_or("");
    let found = if words.len() > 1 {
        // "Marc Hill" joins "Marc Lamont Hill": same first and last word.
        people.by_first_last.get(&(first.to_string(), last.to_string())).copied()
    } else {
        // A surname (else a given name) joins the person named in full
        // nearest before it (else nearest after): "Mohamed" after
        // "Ahmed Mohamed" is Ahmed, not his father named later.
        // An all-caps headline word ("OKAFOR") joins "Okafor".
        let upper_key = || {
            let is_upper = last.chars().any(char::is_alphabetic) && !last.chars().any(char::is_lowercase);
            let key = people.last_by_upper.get(last).filter(|_| is_upper)?;
            people.nearest(&people.by_last, key, m.start)
        };
        people
            .nearest(&people.by_last, last, m.start)
            .or_else(|| people.nearest(&people.by_first, last, m.start))
            .or_else(upper_key)
    };
    match found {
        Some(k) => entities[k.get()].name.clone(),
        None => text.to_string(),
    }
}

/// The gender a given name starting mention `m` carries in the gazetteer.
fn given_name_gender(ctx: &Ctx, m: &Mention) -> Option<Gender> {
    let gaz = &ctx.model.gaz;
    let g = ctx.model.t_given?;
    let first = m.start as usize;
    let from = ctx.hits.partition_point(|h| (h.start as usize) < first);
    ctx.hits[from..]
        .iter()
        .take_while(|h| h.start as usize == first)
        .filter(|h| gaz.entries[h.entry as usize].ty == g)
        .find_map(|h| gaz.attr(&gaz.entries[h.entry as usize], "gender").map(Gender::from_attr))
        .filter(|g| *g != Gender::Unknown)
}

/// Groups the name mentions into entities by key (persons with several
/// tokens first, so single tokens can join them).
fn group_mentions(ctx: &Ctx) -> Vec<Entity> {
    let mut entities: Vec<Entity> = Vec::new();
    let mut people = People::default();
    let mut by_key: HashMap<(EntityType, String), EntityIdx> = HashMap::new();
    let mut order: Vec<usize> = (0..ctx.mentions.len()).collect();
    order.sort_by_key(|&i| {
        let m = &ctx.mentions[i];
        (m.ty != EntityType::Person || m.end - m.start < 2, m.start)
    });
    for i in order {
        let m = &ctx.mentions[i];
        if m.kind.is_reference() {
            continue;
        }
        let text = norm_ws(ctx.slice(m.start, m.end));
        let key = match (&m.canonical, m.ty) {
            (Some(c), _) => c.to_string(),
            (None, EntityType::Person) => person_key(&people, &entities, m, &text),
            (None, EntityType::Event) => format!("{}#{}", m.class.as_deref().unwrap_or("event"), i),
            (None, _) => text.clone(),
        };
        let e = *by_key.entry((m.ty, key.clone())).or_insert_with(|| {
            entities.push(Entity {
                ty: m.ty,
                name: key.clone(),
                mentions: Vec::new(),
                gender: Gender::Unknown,
                affiliation: None,
                office: None,
            });
            EntityIdx((entities.len() - 1) as u32)
        });
        entities[e.get()].mentions.push(MentionIdx(i as u32));
        if m.ty == EntityType::Person && m.canonical.is_none() {
            people.add(e, &text, m.start);
        }
        // The longest name wins as the person's name.
        if m.ty == EntityType::Person && text.split(' ').count() > entities[e.get()].name.split(' ').count() {
            let old = std::mem::replace(&mut entities[e.get()].name, text.clone());
            by_key.insert((m.ty, old), e);
            by_key.insert((m.ty, text.clone()), e);
        }
        if m.ty == EntityType::Person
            && entities[e.get()].gender == Gender::Unknown
            && let Some(g) = given_name_gender(ctx, m)
        {
            entities[e.get()].gender = g;
        }
    }
    entities
}

/// Honorifics and titles with a `gender=` attribute in the data give
/// gender: "Mr. Smith", "Queen Rania".
fn add_title_genders(ctx: &Ctx, entities: &mut [Entity]) {
    let gaz = &ctx.model.gaz;
    let titled: Vec<u16> = ["honorific", "office"].iter().filter_map(|t| gaz.find_type(t)).collect();
    for e in entities.iter_mut().filter(|e| e.ty == EntityType::Person) {
        for &mi in &e.mentions {
            let m = &ctx.mentions[mi.get()];
            if m.start == 0 {
                continue;
            }
            let prev = m.start - 1;
            let from = ctx.hits.partition_point(|h| h.start < prev);
            let gender = ctx.hits[from..]
                .iter()
                .take_while(|h| h.start == prev)
                .filter(|h| h.end == m.start)
                .map(|h| &gaz.entries[h.entry as usize])
                .filter(|en| titled.contains(&en.ty))
                .find_map(|en| gaz.attr(en, "gender").map(Gender::from_attr));
            if let Some(g) = gender.filter(|g| *g != Gender::Unknown) {
                e.gender = g;
            }
        }
    }
}

/// Affiliation and office: a demonym or place, and an office, within the
/// few tokens before a person's name ("Russian Foreign Minister Sergei
/// Lavrov"). Mentions are sorted by start, so the window is a slice.
fn add_affiliations(ctx: &Ctx, entities: &mut [Entity]) {
    let n = ctx.toks.tokens.len();
    let mut office_at: Vec<Option<EntityIdx>> = vec![None; n];
    for m in ctx.mentions.iter().filter(|m| m.ty == EntityType::Office) {
        for t in m.start..m.end {
            office_at[t as usize] = m.entity;
        }
    }
    for e in entities.iter_mut().filter(|e| e.ty == EntityType::Person) {
        for &mi in &e.mentions {
            let m = &ctx.mentions[mi.get()];
            if m.start == 0 {
                continue;
            }
            let lo = m.start.saturating_sub(5);
            if e.office.is_none() {
                e.office = office_at[m.start as usize - 1];
            }
            let from = ctx.mentions.partition_point(|o| o.start < lo);
            let to = ctx.mentions.partition_point(|o| o.start < m.start);
            let before = ctx.mentions[from..to].iter().rfind(|o| o.end <= m.start && o.ty == EntityType::Place);
            if let Some(p) = before {
                let between_ok = (p.end..m.start).all(|t| {
                    let tok = &ctx.toks.tokens[t as usize];
                    tok.has(flag::CAP)
                        || ctx.toks.text(ctx.text, t as usize).ends_with("'s")
                        || office_at[t as usize].is_some()
                });
                if between_ok && e.affiliation.is_none() {
                    e.affiliation = p.entity;
                }
            }
        }
    }
}

/// Groups mentions into entities, links each mention to its entity, and
/// fills in gender, office and affiliation.
fn build_entities(ctx: &mut Ctx) {
    let mut entities = group_mentions(ctx);
    for (k, e) in entities.iter().enumerate() {
        for &m in &e.mentions {
            ctx.mentions[m.get()].entity = Some(EntityIdx(k as u32));
        }
    }
    add_title_genders(ctx, &mut entities);
    add_affiliations(ctx, &mut entities);
    ctx.entities = entities;
}

/// "the Russian said" → the person tied to Russia mentioned most recently.
fn resolve_nominals(ctx: &mut Ctx) {
    let n = ctx.mentions.len();
    let cue = ctx.model.gaz.find_type("nominal_cue");
    let mut add = Vec::new();
    let verb_like = |ctx: &Ctx, i: u32| match ctx.toks.tokens.get(i as usize) {
        None => true,
        Some(t) => t.kind == crate::tokens::Kind::Punct || word_entry(ctx, i as usize, cue).is_some(),
    };
    for i in 0..n {
        let m = &ctx.mentions[i];
        let is_demonym = m.kind == MentionKind::Demonym && m.end - m.start == 1;
        let is_office = m.ty == EntityType::Office;
        let Some(target) = m.entity.filter(|_| (is_demonym || is_office) && m.start > 0) else {
            continue;
        };
        // Between `the` and an office may stand status words and a place:
        // "the former president", "the Florida senator".
        let mut lead = m.start as usize;
        if is_office {
            while lead > 1 && m.start as usize - lead < 2 {
                let w = ctx.word(lead - 1);
                let status = matches!(
                    w.to_lowercase().as_str(),
                    "former" | "then" | "outgoing" | "incoming" | "current" | "longtime" | "retired"
                );
                let cap = ctx.toks.tokens[lead - 1].has(flag::CAP) && !w.eq_ignore_ascii_case("the");
                if !(status || cap) {
                    break;
                }
                lead -= 1;
            }
        }
        if lead == 0 || !ctx.word(lead - 1).eq_ignore_ascii_case("the") {
            continue;
        }
        // "the Chinese minister said": a demonym and an office together.
        let office_after = if is_demonym {
            let k = ctx.mentions.partition_point(|o| o.start < m.end);
            ctx.mentions[k..]
                .iter()
                .take_while(|o| o.start == m.end)
                .find(|o| o.ty == EntityType::Office && o.entity.is_some())
        } else {
            None
        };
        let end = office_after.map_or(m.end, |o| o.end);
        if !verb_like(ctx, end) {
            continue;
        }
        // "the Russian said" → the last person tied to Russia; "the minister
        // said" → the last person named with an office ending in "minister".
        let place = is_demonym.then_some(target);
        let office = if is_demonym { office_after.and_then(|o| o.entity) } else { Some(target) };
        let office_word = office.map(|o| ctx.entity(o).name.rsplit(' ').next().unwrap_or("").to_lowercase());
        let fits = |e: &Entity| {
            place.is_none_or(|p| e.affiliation == Some(p))
                && office.is_none_or(|target| {
                    e.office.is_some_and(|o| {
                        let name = ctx.entity(o).name.to_lowercase();
                        o == target || office_word.as_ref().is_some_and(|w| name.ends_with(w.as_str()))
                    })
                })
        };
        // Nominals refer to recent discourse: look back at most 200 mentions.
        let person = ctx.mentions[i.saturating_sub(200)..i]
            .iter()
            .rev()
            .filter(|o| o.ty == EntityType::Person && o.kind == MentionKind::Name)
            .filter_map(|o| o.entity)
            .find(|&e| fits(ctx.entity(e)));
        if let Some(p) = person {
            let rule = if is_demonym { "entities.nominal_demonym" } else { "entities.nominal_office" };
            add.push((lead as u32 - 1, end, p, rule));
        }
    }
    for (s, e, p, rule) in add {
        push_ref(ctx, s, e, p, MentionKind::Nominal, rule);
    }
}

fn push_ref(ctx: &mut Ctx, s: u32, e: u32, entity: EntityIdx, k: MentionKind, rule: &'static str) {
    let idx = MentionIdx(ctx.mentions.len() as u32);
    let ty = ctx.entities[entity.get()].ty;
    ctx.mentions.push(Mention {
        start: s,
        end: e,
        ty,
        kind: k,
        canonical: None,
        prov: Prov::Builtin(rule),
        priority: 0,
        entity: Some(entity),
        class: None,
    });
    ctx.entities[entity.get()].mentions.push(idx);
}

/// Resolves third-person pronouns to people: first the people earlier in
/// the same sentence, leftmost first; then earlier sentences, each
/// leftmost first (subjects come first in English). Gender must agree.
/// People named inside quotation marks are talked about, not talking
/// (`"Trump is wrong," she said`), and sentences wholly inside a quote do
/// not count towards how far back the pass looks.
fn resolve_pronouns(ctx: &mut Ctx) {
    let n = ctx.toks.tokens.len();
    let pronoun_type = ctx.model.gaz.find_type("pronoun");
    let in_quote = quoted_tokens(ctx);
    let quoted_sentence: Vec<bool> =
        ctx.toks.sentences.iter().map(|s| s.start < s.end && in_quote[s.start..s.end].iter().all(|&q| q)).collect();
    // Person mentions by sentence, in text order within each: every look-up
    // stays inside one sentence, so the pass is linear in the document.
    let mut by_sent: Vec<Vec<(u32, EntityIdx)>> = vec![Vec::new(); ctx.toks.sentences.len()];
    let mut persons: Vec<(u32, u32, EntityIdx)> = ctx
        .mentions
        .iter()
        .filter(|m| m.ty == EntityType::Person && !in_quote[m.start as usize])
        .filter_map(|m| Some((m.start, ctx.toks.sent_of[m.start as usize], m.entity?)))
        .collect();
    persons.sort();
    for (p, s, e) in persons {
        by_sent[s as usize].push((p, e));
    }
    let mut resolved: Vec<(u32, EntityIdx)> = Vec::new();
    for (i, &quoted) in in_quote.iter().enumerate().take(n) {
        let Some(pronoun) = word_entry(ctx, i, pronoun_type) else {
            continue;
        };
        let gender = ctx.model.gaz.attr(pronoun, "gender").map_or(Gender::Unknown, Gender::from_attr);
        if quoted {
            continue;
        }
        let sent = ctx.toks.sent_of[i] as usize;
        let compatible = |e: EntityIdx| ctx.entities[e.get()].gender.agrees(gender);
        // Same sentence, leftmost first, before the pronoun; then each of
        // the four sentences before (not counting those inside a quote, up
        // to twelve), leftmost first.
        let mut found = by_sent[sent].iter().take_while(|(p, _)| (*p as usize) < i).find(|(_, e)| compatible(*e));
        let mut counted = 0;
        for back in 1..=12 {
            if found.is_some() || back > sent || counted == 4 {
                break;
            }
            counted += usize::from(!quoted_sentence[sent - back]);
            found = by_sent[sent - back].iter().find(|(_, e)| compatible(*e));
        }
        if let Some(&(_, e)) = found {
            if ctx.entities[e.get()].gender == Gender::Unknown {
                ctx.entities[e.get()].gender = gender;
            }
            resolved.push((i as u32, e));
            let bucket = &mut by_sent[sent];
            let pos = bucket.partition_point(|x| x.0 < i as u32);
            bucket.insert(pos, (i as u32, e));
        }
    }
    for (i, e) in resolved {
        push_ref(ctx, i, i + 1, e, MentionKind::Pronoun, "entities.pronoun");
    }
}

/// `Name, who ...`: the relative pronoun refers to the person named right
/// before its comma ("Kovac, who said he would not run").
fn resolve_relative_who(ctx: &mut Ctx) {
    // The first person named (in mention order) ending at each token.
    let mut ending: Vec<Option<EntityIdx>> = vec![None; ctx.toks.tokens.len() + 1];
    for m in ctx.mentions.iter().filter(|m| m.ty == EntityType::Person && m.kind == MentionKind::Name) {
        if let (Some(e), Some(slot)) = (m.entity, ending.get_mut(m.end as usize))
            && slot.is_none()
        {
            *slot = Some(e);
        }
    }
    let mut found = Vec::new();
    for i in 2..ctx.toks.tokens.len() {
        if !ctx.word(i).eq_ignore_ascii_case("who") || ctx.word(i - 1) != "," {
            continue;
        }
        if let Some(e) = ending[i - 1] {
            found.push((i as u32, e));
        }
    }
    for (i, e) in found {
        push_ref(ctx, i, i + 1, e, MentionKind::Pronoun, "entities.relative_pronoun");
    }
}

/// `"...," it said.`: an `it` that speaks, right after a quote or at the
/// start of a sentence and before a speech verb, is the organization named
/// last before it (outside quotes, in its sentence or the three before).
fn resolve_it_speaker(ctx: &mut Ctx) {
    let Some(speech) = ctx.model.gaz.find_type("speech_verb") else {
        return;
    };
    let in_quote = quoted_tokens(ctx);
    let n = ctx.toks.tokens.len();
    // Organizations named outside quotes, by (start, mention order).
    let mut orgs: Vec<(u32, usize)> = ctx
        .mentions
        .iter()
        .enumerate()
        .filter(|(_, m)| m.ty == EntityType::Organization && m.kind == MentionKind::Name && !in_quote[m.start as usize])
        .map(|(k, m)| (m.start, k))
        .collect();
    orgs.sort_unstable();
    let mut found = Vec::new();
    for (i, &quoted) in in_quote.iter().enumerate().take(n.saturating_sub(1)) {
        if quoted || !ctx.word(i).eq_ignore_ascii_case("it") {
            continue;
        }
        let sent = ctx.toks.sent_of[i] as usize;
        let opens = ctx.toks.sentences[sent].start == i || (i > 0 && crate::marks::mark(ctx.word(i - 1)).is_some());
        let from_hit = ctx.hits.partition_point(|h| (h.start as usize) < i + 1);
        let speaks = ctx.hits[from_hit..]
            .iter()
            .take_while(|h| h.start as usize == i + 1)
            .any(|h| ctx.model.gaz.entries[h.entry as usize].ty == speech);
        if !opens || !speaks {
            continue;
        }
        let from = ctx.toks.sentences[sent.saturating_sub(3)].start as u32;
        // The one starting last (the later in mention order on a tie) that ends before `it`.
        let upto = orgs.partition_point(|&(start, _)| (start as usize) < i);
        let org = orgs[..upto]
            .iter()
            .rev()
            .take_while(|&&(start, _)| start >= from)
            .map(|&(_, k)| &ctx.mentions[k])
            .find(|m| (m.end as usize) <= i)
            .and_then(|m| m.entity);
        if let Some(e) = org {
            found.push((i as u32, e));
        }
    }
    for (i, e) in found {
        push_ref(ctx, i, i + 1, e, MentionKind::Pronoun, "entities.it_speaker");
    }
}

/// Which tokens stand inside quotation marks.
fn quoted_tokens(ctx: &Ctx) -> Vec<bool> {
    let mut v = vec![false; ctx.toks.tokens.len()];
    for q in &ctx.quote_marks {
        v[q.start as usize..q.end as usize].iter_mut().for_each(|x| *x = true);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(start: u32, end: u32, t: EntityType, priority: i32) -> Mention {
        Mention {
            start,
            end,
            ty: t,
            kind: MentionKind::Name,
            canonical: None,
            prov: Prov::Builtin("t"),
            priority,
            entity: None,
            class: None,
        }
    }

    #[test]
    fn overlap_policy() {
        // (start, end, type, priority) → kept?
        type Case<'a> = (&'a [(u32, u32, EntityType, i32)], &'a [(u32, u32)]);
        let cases: &[Case] = &[
            // longest wins
            (&[(0, 1, EntityType::Place, 0), (0, 2, EntityType::Person, 0)], &[(0, 2)]),
            // priority beats length
            (&[(0, 1, EntityType::Place, 5), (0, 2, EntityType::Person, 0)], &[(0, 1)]),
            // same length: leftmost
            (&[(1, 3, EntityType::Place, 0), (0, 2, EntityType::Person, 0)], &[(0, 2)]),
            // different layers may overlap
            (&[(0, 3, EntityType::Event, 0), (0, 1, EntityType::Place, 0)], &[(0, 1), (0, 3)]),
        ];
        for (input, want) in cases {
            let got: Vec<(u32, u32)> = resolve_overlaps(input.iter().map(|&(s, e, t, p)| cand(s, e, t, p)).collect())
                .iter()
                .map(|m| (m.start, m.end))
                .collect();
            assert_eq!(&got, want, "{input:?}");
        }
    }
}
