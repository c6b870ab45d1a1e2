//! Stage 7: quotes. Finds direct quotes by their marks, then runs the
//! quote rules to attribute them and to find reported speech. A direct
//! quote interrupted by its attribution, or running over paragraphs, is one
//! record with several parts; a reported clause with a quoted fragment
//! inside is one `mixed` record.

use std::collections::BTreeMap;

use crate::doc::{Ctx, Prov, Quote};
use crate::marks::mark;
use crate::rules::{Arg, Stage, StageRun, Unit, View};
use crate::span::Span;
use crate::tokens::{Kind, flag};
use crate::types::{EntityIdx, EntityType, Gender, MentionKind, QuoteKind, TokenSpan, UnitType};

/// For each quote-mark pair, whether it was left open at the end of its
/// paragraph and the next paragraph opens with a mark: news style for a
/// quote that runs over paragraphs.
fn continued(ctx: &Ctx, marks: &[(usize, usize)]) -> Vec<bool> {
    (0..marks.len())
        .map(|k| {
            marks
                .get(k + 1)
                .is_some_and(|n| n.0 == marks[k].1 && ctx.toks.tokens.get(n.0).is_some_and(|t| t.has(flag::NL_BEFORE)))
        })
        .collect()
}

fn content_span(ctx: &Ctx, s: usize, e: usize) -> Option<Span> {
    // Inside the marks, without them.
    let toks = &ctx.toks.tokens;
    let mut a = s;
    let mut b = e;
    if a < b && mark(ctx.word(a)).is_some() {
        a += 1;
    }
    if b > a && mark(ctx.word(b - 1)).is_some() {
        b -= 1;
    }
    (a < b).then(|| Span::new(toks[a].span.start, toks[b - 1].span.end))
}

fn trim_punct(ctx: &Ctx, mut s: u32, mut e: u32) -> (u32, u32) {
    while s < e && ctx.toks.tokens[s as usize].kind == Kind::Punct && mark(ctx.word(s as usize)).is_none() {
        s += 1;
    }
    while e > s
        && ctx.toks.tokens[e as usize - 1].kind == Kind::Punct
        && !matches!(ctx.word(e as usize - 1), ")")
        && mark(ctx.word(e as usize - 1)).is_none()
    {
        e -= 1;
    }
    (s, e)
}

/// Windows of whole sentences: sentences joined by a quote that runs from
/// one into the next form one window ("He said, \"A. B.\""). Each rule runs
/// once per window, so the work stays linear even with a stray mark.
fn quote_windows(ctx: &Ctx, marks: &[(usize, usize)], speech: &[bool]) -> Vec<(usize, usize)> {
    let sents = &ctx.toks.sentences;
    let toks = &ctx.toks.tokens;
    let mut join = vec![false; sents.len()];
    for &(qs, qe) in marks {
        let (a, b) = (ctx.toks.sent_of[qs] as usize, ctx.toks.sent_of[qe - 1] as usize);
        join[a..b].iter_mut().for_each(|j| *j = true);
        // `"Is that all?" Trump said.`: the question mark ended the sentence,
        // but the attribution that follows on the line belongs to the quote.
        if let Some(next) = sents.get(b + 1)
            && sents[b].end == qe
            && !toks[next.start].has(flag::NL_BEFORE)
            && (next.start..next.end.min(next.start + 6)).any(|i| speech[i])
        {
            join[b] = true;
        }
    }
    let mut out = Vec::new();
    let mut k = 0;
    while k < sents.len() {
        let start = sents[k].start;
        while join[k] && k + 1 < sents.len() {
            k += 1;
        }
        out.push((start, sents[k].end));
        k += 1;
    }
    out
}

/// For each token, whether it lies in a speech verb.
fn speech_tokens(ctx: &Ctx) -> Vec<bool> {
    let mut out = vec![false; ctx.toks.tokens.len()];
    if let Some(t) = ctx.model.gaz.find_type("speech_verb") {
        for h in ctx.hits.iter().filter(|h| ctx.model.gaz.entries[h.entry as usize].ty == t) {
            for i in h.start..h.end {
                if let Some(x) = out.get_mut(i as usize) {
                    *x = true;
                }
            }
        }
    }
    out
}

/// The person an unresolved `he` or `she` at tokens `[s, e)` most likely
/// refers to: the nearest person named before it, within a few sentences,
/// whose gender does not clash.
fn pronoun_speaker(ctx: &Ctx, s: u32, e: u32) -> Option<EntityIdx> {
    if e != s + 1 {
        return None;
    }
    let want = match ctx.word(s as usize).to_lowercase().as_str() {
        "he" => Gender::Male,
        "she" => Gender::Female,
        _ => return None,
    };
    let si = ctx.toks.sent_of[s as usize] as usize;
    let from = ctx.toks.sentences[si.saturating_sub(3)].start as u32;
    let mut best = None;
    for i in ctx.mentions_starting_in(from, s) {
        let m = &ctx.mentions[i];
        if m.ty != EntityType::Person || m.kind != MentionKind::Name {
            continue;
        }
        let Some(ent) = m.entity else {
            continue;
        };
        let g = ctx.entity(ent).gender;
        if g == want || g == Gender::Unknown {
            best = Some(ent);
        }
    }
    best
}

fn is_word(ctx: &Ctx, i: usize) -> bool {
    ctx.toks.tokens[i].kind != Kind::Punct
}

/// Number of word tokens in `[s, e)`.
fn words_in(ctx: &Ctx, s: usize, e: usize) -> usize {
    (s..e).filter(|&i| is_word(ctx, i)).count()
}

/// A quote's attribution and shape, while the stage runs.
struct Found {
    quote: Quote,
    /// Mark pairs (indices into the marks) the record holds as parts.
    marks: Vec<usize>,
}

/// Runs the stage over `view` (the resolved mentions), with the quote marks
/// added as a layer of its own that only quote rules see.
pub(crate) fn run(ctx: &Ctx, view: &View) -> Vec<Quote> {
    let model = ctx.model;
    let toks = &ctx.toks.tokens;
    let marks: Vec<(usize, usize)> = ctx.quote_marks.iter().map(|t| (t.start as usize, t.end as usize)).collect();
    let continued = continued(ctx, &marks);
    let mut units = view.units.clone();
    for &(s, e) in &marks {
        units.push(Unit { start: s as u32, end: e as u32, ty: UnitType::Quote, kind: MentionKind::Name });
    }
    let view = &view.with_units(units);
    // A quote may run over several sentences ("He said, \"A. B.\""): each
    // sentence's window grows to cover the quotes that overlap it.
    let speech = speech_tokens(ctx);
    let windows = quote_windows(ctx, &marks, &speech);
    let mut found: Vec<Found> = Vec::new();
    let mut used_quote = vec![false; marks.len()];
    let mut used_cue: Vec<TokenSpan> = Vec::new();
    let mut run = StageRun::new(&model.rules, Stage::Quotes, &windows);
    while let Some((ri, rule, matches)) = run.next(view) {
        for m in matches {
            for a in &rule.def.actions {
                let get = |k: &str| rule.arg_span(m, a, k);
                let (Some(sp), Some(ct)) = (get("speaker"), get("content")) else {
                    continue;
                };
                let cue = get("cue").map(|(s, e)| TokenSpan::new(s, e));
                if cue.is_some_and(|c| used_cue.contains(&c)) {
                    continue;
                }
                // `unnamed="yes"`: the speaker is not a named entity ("a
                // spokeswoman", "officials"); its words are kept.
                let unnamed = matches!(a.get("unnamed"), Some(Arg::Literal(_)));
                let (speaker, smi) = if unnamed {
                    // A pronoun the entity stage left alone: the nearest person named before.
                    (pronoun_speaker(ctx, sp.0, sp.1), None)
                } else {
                    let Some(smi) = ctx.mention_in(sp.0, sp.1, None) else {
                        continue;
                    };
                    let Some(speaker) = ctx.mention(smi).entity else {
                        continue;
                    };
                    if !matches!(
                        ctx.entity(speaker).ty,
                        EntityType::Person | EntityType::Organization | EntityType::Group
                    ) {
                        continue;
                    }
                    (Some(speaker), Some(smi))
                };
                let speaker_span = Some(match smi {
                    Some(i) => {
                        let mm = ctx.mention(i);
                        let (a, b) = ctx.mention_span(mm.start, mm.end);
                        Span::new(a, b)
                    }
                    None => ctx.bytes(TokenSpan::new(sp.0, sp.1)),
                });
                // Direct: the content (and `rest`) captures hold quote marks.
                let mut parts: Vec<usize> = Vec::new();
                let mut clash = false;
                // Marks are sorted: only those starting inside the match can lie in a capture.
                let first = marks.partition_point(|&(qs, _)| qs < m.start as usize);
                let last = marks.partition_point(|&(qs, _)| qs < m.end as usize);
                for (k, &(qs, qe)) in marks.iter().enumerate().take(last).skip(first) {
                    // Direct when the capture is the quote (it starts at the mark); a
                    // quoted phrase inside reported words leaves them reported.
                    let inside = |c: Option<(u32, u32)>| c.is_some_and(|(s, e)| s as usize == qs && qe <= e as usize);
                    if inside(Some(ct)) || inside(get("rest")) {
                        clash |= used_quote[k];
                        parts.push(k);
                    }
                }
                if clash {
                    continue;
                }
                let direct = !parts.is_empty();
                // `a print called "Cowboys and Indians"`: a title-case name or title, not
                // a statement (`called it "a disgrace"` stays).
                let naming = cue.is_some_and(|c| {
                    matches!(
                        ctx.word(c.start as usize).to_lowercase().as_str(),
                        "called" | "calls" | "named" | "titled" | "entitled" | "dubbed" | "nicknamed" | "labeled"
                    )
                });
                let title_case = |k: usize| {
                    (marks[k].0..marks[k].1)
                        .filter(|&i| is_word(ctx, i) && ctx.word(i).len() > 3)
                        .all(|i| ctx.toks.tokens[i].has(flag::CAP))
                };
                if direct
                    && naming
                    && parts.iter().all(|&k| words_in(ctx, marks[k].0, marks[k].1) <= 6 && title_case(k))
                {
                    continue;
                }
                let quote = if direct {
                    let (q0, q1) = (marks[parts[0]].0, marks[parts[parts.len() - 1]].1);
                    let sent = ctx.toks.sentence_of(q0);
                    let cue_first = cue.is_some_and(|c| (c.end as usize) <= q0);
                    // Words before the opening mark in its clause (after the cue when
                    // the cue comes first) make it a reported clause with a quoted
                    // fragment: `Cruz warned that the "Washington cartel" is nervous`.
                    let clause = match cue {
                        Some(c) if cue_first => c.end as usize,
                        _ => sent.start,
                    };
                    let mut a = clause.max(sent.start.min(q0));
                    while a < q0 && (!is_word(ctx, a) || ctx.word(a).eq_ignore_ascii_case("that")) {
                        a += 1;
                    }
                    // `By this time, "..."` and `He said: "..."` stay direct.
                    let colon = q0 > 0 && matches!(ctx.word(q0 - 1), ":" | ",");
                    let lead = a < q0 && !colon;
                    // Words after the closing mark, to the end of its sentence, when
                    // the attribution comes first.
                    let send = ctx.toks.sentence_of(q1 - 1).end;
                    // Not when another attribution follows: `..."A" and insisted that ...`.
                    let tail = cue_first && words_in(ctx, q1, send) > 0 && !(q1..send).any(|i| speech[i]);
                    if lead || tail {
                        let s = if lead { a } else { q0 };
                        let e = if tail { trim_punct(ctx, q1 as u32, send as u32).1 as usize } else { q1 };
                        let e = e.max(q1);
                        // Every quote inside belongs to the record.
                        let inner: Vec<usize> =
                            (0..marks.len()).filter(|&k| marks[k].0 >= s && marks[k].1 <= e).collect();
                        if inner.iter().any(|&k| used_quote[k]) {
                            continue;
                        }
                        for &k in &inner {
                            used_quote[k] = true;
                        }
                        Found {
                            quote: Quote {
                                kind: QuoteKind::Mixed,
                                parts: vec![ctx.bytes(TokenSpan::new(s as u32, e as u32))],
                                speaker,
                                speaker_mention: smi,
                                speaker_span,
                                cue,
                                prov: Prov::Rule(ri),
                            },
                            marks: inner,
                        }
                    } else {
                        let spans: Vec<Span> =
                            parts.iter().filter_map(|&k| content_span(ctx, marks[k].0, marks[k].1)).collect();
                        if spans.is_empty() {
                            continue;
                        }
                        // A one-word quote after its cue ("called it "frank"") is a
                        // scare quote, not what was said; `"Quiet," he demanded` is.
                        if cue_first && spans.iter().all(|p| !ctx.text[p.range()].trim().contains(' ')) {
                            continue;
                        }
                        for &k in &parts {
                            used_quote[k] = true;
                        }
                        Found {
                            quote: Quote {
                                kind: QuoteKind::Direct,
                                parts: spans,
                                speaker,
                                speaker_mention: smi,
                                speaker_span,
                                cue,
                                prov: Prov::Rule(ri),
                            },
                            marks: parts,
                        }
                    }
                } else {
                    let (s, mut e) = trim_punct(ctx, ct.0, ct.1);
                    if s >= e || e - s < 3 {
                        continue;
                    }
                    // Keep quotation marks balanced: `needed "a border policy".`
                    let marks_in = (s..e).filter(|&t| mark(ctx.word(t as usize)).is_some()).count();
                    if marks_in % 2 == 1 && (e as usize) < toks.len() && mark(ctx.word(e as usize)).is_some() {
                        e += 1;
                    }
                    // Quotes inside make it mixed; reported speech never holds a
                    // quote already attributed.
                    let inner: Vec<usize> =
                        (0..marks.len()).filter(|&k| marks[k].0 < e as usize && marks[k].1 > s as usize).collect();
                    if inner.iter().any(|&k| used_quote[k]) {
                        continue;
                    }
                    for &k in &inner {
                        used_quote[k] = true;
                    }
                    Found {
                        quote: Quote {
                            kind: if inner.is_empty() { QuoteKind::Indirect } else { QuoteKind::Mixed },
                            parts: vec![ctx.bytes(TokenSpan::new(s, e))],
                            speaker,
                            speaker_mention: smi,
                            speaker_span,
                            cue,
                            prov: Prov::Rule(ri),
                        },
                        marks: inner,
                    }
                };
                if let Some(c) = cue {
                    used_cue.push(c);
                }
                found.push(quote);
            }
        }
    }
    // A quote split by its attribution (`"A," she said. "B."`) or running
    // over paragraphs is one record: the parts that follow join it.
    for f in found.iter_mut() {
        if f.quote.kind != QuoteKind::Direct {
            continue;
        }
        let Some(&(mut k)) = f.marks.last() else {
            continue;
        };
        let cue_after = f.quote.cue.is_some_and(|c| c.start as usize >= marks[k].1);
        let cue_tok = f.quote.cue.map(|c| c.start as usize);
        loop {
            let n = k + 1;
            if n >= marks.len() || used_quote[n] {
                break;
            }
            let gap = marks[k].1..marks[n].0;
            // After the cue, the gap holds only the rest of the attribution
            // ("said on Sunday in Iowa."), not another clause ("and her husband cut in").
            // Nor a second cue that introduces the next part ("..., adding, \"B\"").
            let cue_end = f.quote.cue.map_or(0, |c| c.end as usize);
            let rest_clause = cue_tok.is_some_and(|c| {
                (c..gap.end.saturating_sub(1)).any(|i| ctx.word(i) == "," && matches!(ctx.word(i + 1), "and" | "but"))
                    || (cue_end..gap.end).any(|i| speech[i] && i + 1 < gap.end && matches!(ctx.word(i + 1), "," | ":"))
            });
            let joins = continued[k]
                || (cue_after
                    && cue_tok.is_some_and(|c| gap.contains(&c))
                    && !rest_clause
                    && gap.len() <= 60
                    && !gap.clone().chain([marks[n].0]).any(|i| toks[i].has(flag::PARA_BEFORE)));
            if !joins {
                break;
            }
            // The part that joins stands as its own statement: it starts a
            // sentence or follows the attribution's comma or colon, and ends
            // its sentence.
            let (ns, ne) = marks[n];
            let own = words_in(ctx, ctx.toks.sentence_of(ns).start, ns) == 0
                || (ns > 0 && matches!(ctx.word(ns - 1), "," | ":"));
            if !continued[k] && (!own || words_in(ctx, ne, ctx.toks.sentence_of(ne - 1).end) > 0) {
                break;
            }
            let Some(p) = content_span(ctx, marks[n].0, marks[n].1) else {
                break;
            };
            used_quote[n] = true;
            f.quote.parts.push(p);
            f.marks.push(n);
            k = n;
        }
    }
    // An attribution inside another's reported content ("Memon said she
    // believed ...") is part of that content, not a record of its own.
    let spans: Vec<(usize, usize, usize, Option<EntityIdx>)> = found
        .iter()
        .enumerate()
        .filter(|(_, f)| f.quote.kind != QuoteKind::Direct)
        .filter_map(|(n, f)| Some((n, f.quote.parts.first()?.start, f.quote.parts.last()?.end, f.quote.speaker)))
        .collect();
    let nested: Vec<bool> = found
        .iter()
        .enumerate()
        .map(|(n, f)| {
            f.quote.kind != QuoteKind::Direct
                && f.quote.cue.is_some_and(|c| {
                    let at = toks[c.start as usize].span.start;
                    spans.iter().any(|&(o, a, b, who)| o != n && a <= at && at < b && who == f.quote.speaker)
                })
        })
        .collect();
    let mut keep = nested.iter().map(|&x| !x);
    found.retain(|_| keep.next().unwrap_or(true));
    let mut quotes: Vec<Quote> = Vec::new();
    // Unattributed direct quotes of four words or more that stand as their
    // own statement (at the start of a sentence, or after a colon): a quote
    // that follows a direct quote closely, with no other person named in
    // between, keeps its speaker. `ends` maps each quote's end to its speaker.
    let mut ends: BTreeMap<usize, Option<EntityIdx>> = BTreeMap::new();
    for f in &found {
        if let Some(l) = f.quote.parts.last() {
            ends.insert(l.end, f.quote.speaker);
        }
    }
    let mut k = 0;
    while k < marks.len() {
        let qs = marks[k].0;
        if used_quote[k] {
            k += 1;
            continue;
        }
        // A quote running over paragraphs takes its continuations along.
        let mut last = k;
        while continued[last] && last + 1 < marks.len() && !used_quote[last + 1] {
            last += 1;
        }
        let chain: Vec<usize> = (k..=last).collect();
        let next = last + 1;
        let words: usize = chain.iter().map(|&c| words_in(ctx, marks[c].0, marks[c].1)).sum();
        let sent = ctx.toks.sentence_of(qs);
        let before = words_in(ctx, sent.start, qs) == 0 || (qs > 0 && matches!(ctx.word(qs - 1), ":" | ","));
        let qend = marks[chain[chain.len() - 1]].1;
        let send = ctx.toks.sentence_of(qend - 1).end;
        let after = words_in(ctx, qend, send) == 0;
        if words < 4 || !before || !after {
            k = next;
            continue;
        }
        let parts: Vec<Span> = chain.iter().filter_map(|&c| content_span(ctx, marks[c].0, marks[c].1)).collect();
        let Some(p0) = parts.first().copied() else {
            k = next;
            continue;
        };
        // Introduced by its own sentence ("Verizon said in a statement: \"...\"",
        // "As Weiner put it in his memo, \"...\""): the subject there speaks.
        let lead_in = words_in(ctx, sent.start, qs) > 0;
        let subject = lead_in
            .then(|| {
                ctx.mentions_starting_in(sent.start as u32, qs as u32)
                    .map(|i| &ctx.mentions[i])
                    .find(|m| {
                        matches!(m.ty, EntityType::Person | EntityType::Organization | EntityType::Group)
                            && !(m.start > 0
                                && matches!(
                                    ctx.word(m.start as usize - 1).to_lowercase().as_str(),
                                    "about" | "by" | "with" | "of" | "to" | "for" | "from" | "against" | "on" | "at"
                                ))
                    })
                    .and_then(|m| m.entity)
            })
            .flatten();
        let prev = ends.range(..=p0.start).next_back().map(|(&end, &who)| (end, who));
        let speaker = if lead_in { subject } else { None };
        let speaker = speaker.or_else(|| {
            prev.and_then(|(gap_start, who)| {
                let who = who?;
                let gap_tok = toks.partition_point(|t| t.span.start < gap_start) as u32;
                let names_between = ctx.mentions_starting_in(gap_tok, qs as u32).any(|i| {
                    let m = &ctx.mentions[i];
                    m.ty == EntityType::Person && m.kind == MentionKind::Name && m.entity != Some(who)
                });
                let gap = &ctx.text[gap_start..p0.start];
                let near = gap.len() < 2000 && gap.matches('\n').count() <= 2;
                (!names_between && near).then_some(who)
            })
        });
        // Else the person the previous sentence is about: "Coach Dara Lund
        // walked to the podium. \"We will be back...\"".
        let speaker = speaker.or_else(|| {
            let si = ctx.toks.sent_of[qs] as usize;
            let prev = ctx.toks.sentences.get(si.checked_sub(1)?)?;
            let gap = &ctx.text[toks[prev.end - 1].span.end..p0.start];
            if gap.matches('\n').count() > 2 {
                return None;
            }
            ctx.mentions_starting_in(prev.start as u32, prev.end as u32)
                .map(|i| &ctx.mentions[i])
                .find(|m| m.ty == EntityType::Person && matches!(m.kind, MentionKind::Name | MentionKind::Pronoun))
                .and_then(|m| m.entity)
        });
        if let Some(l) = parts.last() {
            ends.insert(l.end, speaker);
        }
        quotes.push(Quote {
            kind: QuoteKind::Direct,
            parts,
            speaker,
            speaker_mention: None,
            speaker_span: None,
            cue: None,
            prov: Prov::Builtin("quotes.unattributed"),
        });
        k = next;
    }
    quotes.extend(found.into_iter().map(|f| f.quote));
    quotes.sort_by_key(|q| q.parts.first().map_or(0, |p| p.start));
    quotes
}
