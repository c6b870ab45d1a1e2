//! Stage 7: relations. Runs the relation rules over the resolved mentions
//! and turns their captures into relations between entities.

use std::collections::HashSet;

use crate::doc::{Ctx, Prov, Relation};
use crate::rules::{Arg, Match, Rule, Stage, StageRun, View};
use crate::types::{EntityIdx, EntityType, TokenSpan};

fn cap(rule: &Rule, m: &Match, name: &str) -> Option<(u32, u32)> {
    rule.cap(name).and_then(|k| m.caps[k]).filter(|(s, e)| s < e)
}

fn entity_of(ctx: &Ctx, rule: &Rule, m: &Match, arg: Option<&Arg>) -> Option<EntityIdx> {
    match arg? {
        Arg::Capture(c) => {
            let (s, e) = cap(rule, m, c)?;
            ctx.entity_in(s, e, None)
        }
        _ => None,
    }
}

fn office_of(ctx: &Ctx, rels: &[Relation], rule: &Rule, m: &Match, arg: Option<&Arg>) -> Option<String> {
    match arg? {
        Arg::Literal(l) => Some(l.clone()),
        Arg::Capture(c) => {
            let (s, e) = cap(rule, m, c)?;
            match ctx.entity_in(s, e, Some(EntityType::Office)) {
                Some(o) => Some(ctx.entity(o).name.clone()),
                None => Some(ctx.slice(s, e).to_string()),
            }
        }
        Arg::OfficeOf(c) => {
            let (s, e) = cap(rule, m, c)?;
            let who = ctx.entity_in(s, e, Some(EntityType::Person))?;
            rels.iter().find(|r| r.subject == who && r.predicate == "holds_office").and_then(|r| r.office.clone())
        }
    }
}

/// Runs the stage over `view` (the entity layer of the resolved mentions).
pub(crate) fn run(ctx: &Ctx, view: &View) -> Vec<Relation> {
    let model = ctx.model;
    let windows = ctx.toks.windows();
    let mut rels: Vec<Relation> = Vec::new();
    let mut seen: HashSet<(String, EntityIdx, Option<EntityIdx>, Option<String>)> = HashSet::new();
    let mut clashes: HashSet<(EntityIdx, Option<String>, u32)> = HashSet::new();
    let mut run = StageRun::new(&model.rules, Stage::Relations, &windows);
    while let Some((ri, rule, matches)) = run.next(view) {
        for m in matches {
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
                let is_place = |e: EntityIdx| ctx.entity(e).ty == EntityType::Place;
                let subject_ok = match a.name.as_str() {
                    "located_in" => is_place(subject) || ctx.entity(subject).ty == EntityType::Organization,
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
                    evidence: TokenSpan::new(m.start, m.end),
                    prov: Prov::Rule(ri),
                };
                // No duplicates; one office reading per person and evidence start.
                let key = (r.predicate.clone(), r.subject, r.object, r.office.clone());
                let clash_key = (r.subject, r.office.clone(), r.evidence.start);
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
