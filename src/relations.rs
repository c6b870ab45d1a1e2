//! Stage 7: relations. Runs the relation rules over the resolved mentions
//! and turns their captures into relations between entities.

use std::collections::HashSet;

use crate::doc::{Ctx, Prov, Relation};

use crate::rules::{Arg, Match, Rule, Stage, StageRun, View};
use crate::tokens::{Case, flag};
use crate::types::{EntityIdx, EntityType, MentionKind, Status, TokenSpan};

fn cap(rule: &Rule, m: &Match, name: &str) -> Option<(u32, u32)> {
    rule.cap(name).and_then(|k| m.caps[k]).filter(|(s, e)| s < e)
}

/// The entity of a capture, or for a literal (`object="Republicans|Republican Party"`)
/// the organization or group of the document with one of those names.
fn entity_of(ctx: &Ctx, rule: &Rule, m: &Match, arg: Option<&Arg>) -> Option<EntityIdx> {
    match arg? {
        Arg::Capture(c) => {
            let (s, e) = cap(rule, m, c)?;
            state_of_label(ctx, s, e).or_else(|| ctx.entity_in(s, e, None))
        }
        Arg::Literal(names) => names.split('|').find_map(|name| {
            ctx.entities
                .iter()
                .position(|e| {
                    matches!(e.ty, EntityType::Organization | EntityType::Group) && e.name.eq_ignore_ascii_case(name)
                })
                .map(|k| EntityIdx(k as u32))
        }),
        Arg::OfficeOf(_) => None,
    }
}

fn office_of(ctx: &Ctx, rels: &[Relation], rule: &Rule, m: &Match, arg: Option<&Arg>) -> Option<String> {
    match arg? {
        Arg::Literal(l) => Some(l.clone()),
        Arg::Capture(c) => {
            let (s, e) = cap(rule, m, c)?;
            match ctx.entity_in(s, e, Some(EntityType::Office)) {
                Some(o) => Some(singular(ctx, s, e, &ctx.entity(o).name)),
                // A gazetteer phrase with a canonical form ("Sen." → "Senator").
                None => {
                    let gaz = &ctx.model.gaz;
                    let titles = [gaz.find_type("office"), gaz.find_type("honorific")];
                    let from = ctx.hits.partition_point(|h| h.start < s);
                    let canonical = ctx.hits[from..]
                        .iter()
                        .take_while(|h| h.start == s)
                        .filter(|h| h.end == e)
                        .filter_map(|h| gaz.entries.get(h.entry as usize))
                        .find(|en| titles.contains(&Some(en.ty)))
                        .map(|en| gaz.canonical(en).to_string());
                    Some(canonical.unwrap_or_else(|| ctx.slice(s, e).to_string()))
                }
            }
        }
        Arg::OfficeOf(c) => {
            let (s, e) = cap(rule, m, c)?;
            let who = ctx.entity_in(s, e, Some(EntityType::Person))?;
            rels.iter().find(|r| r.subject == who && r.predicate == "holds_office").and_then(|r| r.office.clone())
        }
    }
}

/// The state of a party-state label ("R-Texas", "D-N.Y.", "R-IN" in "Sen. X
/// (R-IN)"): the place of the document named by the part after the hyphen,
/// by name, as written, or by its US state code (`code=US-IN` in regions.tsv).
fn state_of_label(ctx: &Ctx, s: u32, e: u32) -> Option<EntityIdx> {
    if e != s + 1 {
        return None;
    }
    let (party, part) = ctx.slice(s, e).split_once('-')?;
    if !matches!(party, "R" | "D" | "I") || part.is_empty() {
        return None;
    }
    let code = format!("US-{}", part.replace('.', "").to_ascii_uppercase());
    let gaz = &ctx.model.gaz;
    let places = || ctx.entities.iter().enumerate().filter(|(_, ent)| ent.ty == EntityType::Place);
    let by_text = places().find(|(_, ent)| {
        ent.name.eq_ignore_ascii_case(part)
            || ent.mentions.iter().any(|&mi| {
                let mention = ctx.mention(mi);
                ctx.slice(mention.start, mention.end).eq_ignore_ascii_case(part)
            })
    });
    if let Some((k, _)) = by_text {
        return Some(EntityIdx(k as u32));
    }
    // The state's canonical names under its code (a rare label: one scan).
    let names: Vec<&str> = gaz
        .entries
        .iter()
        .filter(|en| gaz.attr(en, "code") == Some(code.as_str()))
        .map(|en| gaz.canonical(en))
        .collect();
    places().find(|(_, ent)| names.iter().any(|n| n.eq_ignore_ascii_case(&ent.name))).map(|(k, _)| EntityIdx(k as u32))
}

/// An office named in the plural ("opposition leaders") in the singular, from
/// the canonical form of its plural head (`number=plural` in offices.tsv).
fn singular(ctx: &Ctx, s: u32, e: u32, name: &str) -> String {
    let gaz = &ctx.model.gaz;
    let from = ctx.hits.partition_point(|h| h.start < s);
    let head = ctx.hits[from..]
        .iter()
        .take_while(|h| h.start < e)
        .filter(|h| h.end == e)
        .filter_map(|h| Some((h, gaz.entries.get(h.entry as usize)?)))
        .find(|(_, en)| gaz.attr(en, "number") == Some("plural"));
    let Some((h, en)) = head else { return name.to_string() };
    let plural = ctx.slice(h.start, h.end);
    let words = name.split(' ').count();
    let plural_words = plural.split(' ').count();
    if words < plural_words || !name.to_lowercase().ends_with(&plural.to_lowercase()) {
        return gaz.canonical(en).to_string();
    }
    let keep: Vec<&str> = name.split(' ').take(words - plural_words).collect();
    let mut out = keep.join(" ");
    if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(gaz.canonical(en));
    out
}

/// The `relation=` attribute of the office's head (the longest office entry of
/// the gazetteer ending where the capture ends): `occupation` for ranks,
/// sports roles and professions ("political science professor"), except
/// with a public place level ("City Attorney"), which makes it an office.
fn head_relation(ctx: &Ctx, rule: &Rule, m: &Match, arg: Option<&Arg>) -> Option<String> {
    let Some(Arg::Capture(c)) = arg else { return None };
    let (s, e) = cap(rule, m, c)?;
    let gaz = &ctx.model.gaz;
    let office = gaz.find_type("office")?;
    let modifier = gaz.find_type("office_mod");
    let from = ctx.hits.partition_point(|h| h.start < s);
    let hits = &ctx.hits[from..];
    let head = hits
        .iter()
        .take_while(|h| h.start < e)
        .filter(|h| h.end == e)
        .filter_map(|h| Some((h, gaz.entries.get(h.entry as usize)?)))
        .filter(|(_, en)| en.ty == office)
        .min_by_key(|(h, _)| h.start)?;
    let relation = gaz.attr(head.1, "relation")?;
    let place_level = hits.iter().take_while(|h| h.start < head.0.start).any(|h| {
        gaz.entries
            .get(h.entry as usize)
            .is_some_and(|en| Some(en.ty) == modifier && gaz.attr(en, "class") == Some("place_level"))
    });
    if relation == "occupation" && place_level { None } else { Some(relation.to_string()) }
}

/// The status an action gives: `status=cap` (the captured words, "former",
/// "ex-", "acting" ...) or `status="former"`.
fn status_of(ctx: &Ctx, rule: &Rule, m: &Match, arg: Option<&Arg>) -> Option<Status> {
    match arg? {
        Arg::Literal(l) => Status::from_word(l),
        Arg::Capture(c) => {
            let (s, e) = cap(rule, m, c)?;
            // A word split by the tokenizer ("one - time") counts whole.
            let whole: String = ctx.slice(s, e).split_whitespace().collect();
            Status::from_word(&whole).or_else(|| (s..e).find_map(|t| Status::from_word(ctx.slice(t, t + 1))))
        }
        Arg::OfficeOf(_) => None,
    }
}

/// Splits status words off an office name: "President-elect" → ("President",
/// elect), "ex-minister" → ("minister", former), "acting director" →
/// ("director", acting).
fn split_status(office: &str) -> (String, Option<Status>) {
    let mut o = office.trim();
    let mut st = None;
    for suffix in ["-elect", " elect", "-designate", " designate"] {
        if o.len() > suffix.len() && o.is_char_boundary(o.len() - suffix.len()) {
            let (head, tail) = o.split_at(o.len() - suffix.len());
            if tail.eq_ignore_ascii_case(suffix) {
                st = Status::from_word(tail);
                o = head.trim_end();
            }
        }
    }
    loop {
        let lower = o.to_ascii_lowercase();
        if lower.starts_with("ex-") && o.len() > 3 {
            st = st.or(Some(Status::Former));
            o = &o[3..];
            continue;
        }
        let Some((first, rest)) = o.split_once(' ') else { break };
        match Status::from_word(first) {
            Some(s) if !rest.is_empty() => {
                st = st.or(Some(s));
                o = rest.trim_start();
            }
            _ => break,
        }
    }
    (o.to_string(), st)
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
                let mut status = status_of(ctx, rule, m, a.get("status"));
                let office = office.map(|o| {
                    let (o, st) = split_status(&o);
                    status = status.or(st);
                    o
                });
                if object == Some(subject) {
                    continue;
                }
                // Type constraints are data on the action: `subject_type="place|organization"`,
                // `object_type="place"` (located_in, capital_of in relations.rules).
                let type_ok = |key: &str, e: Option<EntityIdx>| match a.get(key) {
                    Some(Arg::Literal(types)) => {
                        e.is_some_and(|e| types.split('|').any(|t| t == ctx.entity(e).ty.as_str()))
                    }
                    _ => true,
                };
                if !type_ok("subject_type", Some(subject)) || !type_ok("object_type", object) {
                    continue;
                }
                // Ranks, sports roles and professions named without the body
                // they serve are occupations, not offices (`relation=occupation`
                // in offices.tsv): no holds_office fact.
                if a.name == "holds_office"
                    && object.is_none()
                    && head_relation(ctx, rule, m, a.get("office")).as_deref() == Some("occupation")
                {
                    continue;
                }
                let r = Relation {
                    predicate: a.name.clone(),
                    subject,
                    office,
                    object,
                    status,
                    evidence: TokenSpan::new(m.start, m.end),
                    prov: Prov::Rule(ri),
                };
                // No duplicates; one office reading per person and evidence start.
                let key = (r.predicate.clone(), r.subject, r.object, r.office.clone());
                let clash_key = (r.subject, r.office.clone(), r.evidence.start);
                let clash = r.predicate == "holds_office" && clashes.contains(&clash_key);
                if !seen.insert(key.clone()) {
                    // The same fact again: a status found by another action fills in.
                    if let Some(st) = r.status
                        && let Some(prev) = rels.iter_mut().find(|p| {
                            p.status.is_none()
                                && (p.predicate.as_str(), p.subject, p.object, p.office.as_deref())
                                    == (key.0.as_str(), key.1, key.2, key.3.as_deref())
                        })
                    {
                        prev.status = Some(st);
                    }
                } else if !clash {
                    if r.predicate == "holds_office" {
                        clashes.insert(clash_key);
                    }
                    rels.push(r);
                }
            }
        }
    }
    definite_descriptions(ctx, &mut rels);
    // A fact without its object adds nothing when the same person holds the
    // same office with an object elsewhere.
    let with_object: HashSet<(String, EntityIdx, Option<String>)> = rels
        .iter()
        .filter(|r| r.object.is_some())
        .map(|r| (r.predicate.clone(), r.subject, r.office.as_ref().map(|o| o.to_lowercase())))
        .collect();
    rels.retain(|r| {
        r.object.is_some()
            || !with_object.contains(&(r.predicate.clone(), r.subject, r.office.as_ref().map(|o| o.to_lowercase())))
    });
    rels
}

/// A sentence that opens with "the", status words, a named place or
/// organization and an office, followed by a lower-case word ("The former
/// Kestrel governor is a triathlete."), describes a person named in the
/// sentence before it: the one person named there, or the person the entity
/// stage resolved the description to ("the minister said"). Gives
/// holds_office with that object and status (`rel.definite_description`).
fn definite_descriptions(ctx: &Ctx, rels: &mut Vec<Relation>) {
    let sents = &ctx.toks.sentences;
    let n = ctx.toks.tokens.len();
    for k in 1..sents.len() {
        let (s, end) = (sents[k].start, sents[k].end.min(n));
        if sents[k].case != Case::Normal || end < s + 3 || !ctx.word(s).eq_ignore_ascii_case("the") {
            continue;
        }
        let mut i = s + 1;
        let mut status = None;
        while i < end
            && let Some(st) = Status::from_word(ctx.word(i))
        {
            status = status.or(Some(st));
            i += 1;
        }
        let at = |i: usize, ok: &dyn Fn(EntityType) -> bool| {
            ctx.mentions_starting_in(i as u32, i as u32 + 1)
                .map(|j| &ctx.mentions[j])
                .filter(|m| ok(m.ty) && m.entity.is_some() && (m.end as usize) <= end)
                .max_by_key(|m| m.end)
        };
        let Some(holder) = at(i, &|t| matches!(t, EntityType::Place | EntityType::Organization)) else {
            continue;
        };
        let Some(office) = at(holder.end as usize, &|t| t == EntityType::Office) else {
            continue;
        };
        let next = office.end as usize;
        let verb_like = next < end
            && ctx.toks.tokens[next].kind == crate::tokens::Kind::Word
            && !ctx.toks.tokens[next].has(flag::CAP)
            && !matches!(ctx.word(next), "of" | "and" | "or" | "in" | "for" | "to" | "at" | "from" | "on" | "with");
        if !verb_like {
            continue;
        }
        // The person: the entity stage's reading of the description, else
        // the one person named in the sentence before.
        let resolved = ctx
            .mentions_starting_in(s as u32, s as u32 + 1)
            .map(|j| &ctx.mentions[j])
            .find(|m| m.ty == EntityType::Person && m.kind == MentionKind::Nominal)
            .and_then(|m| m.entity);
        // The person named there must be its subject: the first person
        // mentioned, in its first words (at most 30 words before), and the
        // only one named.
        let prev = &sents[k - 1];
        let people: Vec<&crate::doc::Mention> = ctx
            .mentions_starting_in(prev.start as u32, prev.end as u32)
            .map(|j| &ctx.mentions[j])
            .filter(|m| m.ty == EntityType::Person && m.entity.is_some())
            .collect();
        let only = people
            .first()
            .filter(|m| m.kind == MentionKind::Name && (m.start as usize) < prev.start + 6 && m.end as usize + 30 > s)
            .and_then(|m| m.entity)
            .filter(|&p| people.iter().all(|m| m.kind != MentionKind::Name || m.entity == Some(p)));
        let (Some(subject), Some(object), Some(o)) = (resolved.or(only), holder.entity, office.entity) else {
            continue;
        };
        let (name, st) = split_status(&singular(ctx, office.start, office.end, &ctx.entity(o).name));
        let same = |r: &Relation| {
            r.predicate == "holds_office"
                && r.subject == subject
                && r.object == Some(object)
                && r.office.as_deref().is_some_and(|x| x.eq_ignore_ascii_case(&name))
        };
        // Not someone who holds an office of another kind ("Spokeswoman Ivo
        // Tam says ... The former governor has").
        let head = |o: &str| o.rsplit(' ').next().unwrap_or("").to_lowercase();
        // Nor one who holds it for another place ("The Ohio governor" is not
        // the Kestrel governor named before).
        let other = rels.iter().any(|r| {
            r.predicate == "holds_office"
                && r.subject == subject
                && r.office.as_deref().is_some_and(|x| head(x) != head(&name) || r.object.is_some_and(|o| o != object))
        });
        if object == subject || other || rels.iter().any(same) {
            continue;
        }
        rels.push(Relation {
            predicate: "holds_office".to_string(),
            subject,
            office: Some(name),
            object: Some(object),
            status: status.or(st),
            evidence: TokenSpan::new(s as u32, office.end),
            prov: Prov::Builtin("rel.definite_description"),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_words_split_off() {
        assert_eq!(split_status("President-elect"), ("President".to_string(), Some(Status::Elect)));
        assert_eq!(split_status("ex-minister"), ("minister".to_string(), Some(Status::Former)));
        assert_eq!(split_status("acting director"), ("director".to_string(), Some(Status::Acting)));
        assert_eq!(split_status("Foreign Minister"), ("Foreign Minister".to_string(), None));
        assert_eq!(split_status("former"), ("former".to_string(), None));
        assert_eq!(split_status(""), (String::new(), None));
    }
}
