//! Stage 6: relations. Runs the relation rules over the resolved mentions
//! and turns their captures into relations between entities.

use std::collections::HashSet;

use crate::doc::{Ctx, Prov, Relation, ty};
use crate::rules::{Arg, Match, Rule, Scratch, Stage, View};

/// The mention a capture stands for: the one spanning it exactly, else
/// the longest inside it (people first).
pub(crate) fn mention_in(ctx: &Ctx, s: u32, e: u32, want: Option<u8>) -> Option<usize> {
    let mut best: Option<(usize, (bool, bool, u32))> = None;
    for i in ctx.mentions_starting_in(s, e) {
        let m = &ctx.mentions[i];
        if m.end > e || m.entity == u32::MAX || want.is_some_and(|w| w != m.ty) {
            continue;
        }
        if m.ty == ty::OFFICE && want != Some(ty::OFFICE) || m.ty == ty::EVENT && want != Some(ty::EVENT) {
            continue;
        }
        let key = (m.start == s && m.end == e, m.ty == ty::PERSON, m.end - m.start);
        if best.is_none_or(|(_, k)| key > k) {
            best = Some((i, key));
        }
    }
    best.map(|(i, _)| i)
}

fn cap(rule: &Rule, m: &Match, name: &str) -> Option<(u32, u32)> {
    rule.cap(name).and_then(|k| m.caps[k]).filter(|(s, e)| s < e)
}

fn entity_of(ctx: &Ctx, rule: &Rule, m: &Match, arg: Option<&Arg>) -> Option<u32> {
    match arg? {
        Arg::Capture(c) => {
            let (s, e) = cap(rule, m, c)?;
            mention_in(ctx, s, e, None).map(|i| ctx.mentions[i].entity)
        }
        _ => None,
    }
}

fn office_of(ctx: &Ctx, rels: &[Relation], rule: &Rule, m: &Match, arg: Option<&Arg>) -> Option<String> {
    match arg? {
        Arg::Literal(l) => Some(l.clone()),
        Arg::Capture(c) => {
            let (s, e) = cap(rule, m, c)?;
            match mention_in(ctx, s, e, Some(ty::OFFICE)) {
                Some(i) => Some(ctx.entities[ctx.mentions[i].entity as usize].name.clone()),
                None => Some(ctx.slice(s, e).to_string()),
            }
        }
        Arg::OfficeOf(c) => {
            let (s, e) = cap(rule, m, c)?;
            let who = ctx.mentions[mention_in(ctx, s, e, Some(ty::PERSON))?].entity;
            rels.iter().find(|r| r.subject == who && r.predicate == "holds_office").and_then(|r| r.office.clone())
        }
    }
}

/// Runs the stage over `view` (the entity layer of the resolved mentions).
pub(crate) fn run(ctx: &Ctx, view: &View) -> Vec<Relation> {
    let model = ctx.model;
    let windows = ctx.toks.windows();
    let mut scratch = Scratch::default();
    let mut rels: Vec<Relation> = Vec::new();
    let mut seen: HashSet<(String, u32, Option<u32>, Option<String>)> = HashSet::new();
    let mut clashes: HashSet<(u32, Option<String>, u32)> = HashSet::new();
    let mut matches = Vec::new();
    for (ri, rule) in model.rules.iter().enumerate() {
        if rule.stage != Stage::Relations {
            continue;
        }
        rule.find_in(view, &windows, &mut scratch, &mut matches);
        for m in &matches {
            for a in &rule.def.actions {
                let Some(subject) = entity_of(ctx, rule, m, a.get("subject")) else {
                    continue;
                };
                let object = entity_of(ctx, rule, m, a.get("object"));
                if a.get("object").is_some() && object.is_none() {
                    continue;
                }
                let office = office_of(ctx, &rels, rule, m, a.get("office"));
                if a.get("office").is_some() && office.is_none() {
                    continue;
                }
                if object == Some(subject) {
                    continue;
                }
                // Places (and organizations) are located in places; capitals are places.
                let is_place = |e: u32| ctx.entities[e as usize].ty == ty::PLACE;
                let subject_ok = match a.name.as_str() {
                    "located_in" => is_place(subject) || ctx.entities[subject as usize].ty == ty::ORGANIZATION,
                    _ => is_place(subject),
                };
                if matches!(a.name.as_str(), "located_in" | "capital_of")
                    && !(subject_ok && object.is_some_and(is_place))
                {
                    continue;
                }
                let r = Relation {
                    predicate: a.name.clone(),
                    subject,
                    office,
                    object,
                    start: m.start,
                    end: m.end,
                    prov: Prov::Rule(ri as u32),
                };
                // No duplicates; one office reading per person and evidence start.
                let key = (r.predicate.clone(), r.subject, r.object, r.office.clone());
                let clash_key = (r.subject, r.office.clone(), r.start);
                let clash = r.predicate == "holds_office" && clashes.contains(&clash_key);
                if !clash && seen.insert(key) {
                    if r.predicate == "holds_office" {
                        clashes.insert(clash_key);
                    }
                    rels.push(r);
                }
            }
        }
    }
    rels
}
