//! Stage 8: quotes. Runs the quote rules over the paired quote marks
//! (stage 5) and the resolved mentions to attribute direct quotes and to
//! find reported speech.

use crate::doc::{Ctx, Prov, Quote};
use crate::marks::mark;
use crate::rules::{Stage, StageRun, Unit, View};
use crate::span::Span;
use crate::tokens::Kind;
use crate::types::{EntityIdx, EntityType, MentionKind, QuoteKind, TokenSpan, UnitType};

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
    while s < e && ctx.toks.tokens[s as usize].kind == Kind::Punct {
        s += 1;
    }
    while e > s && ctx.toks.tokens[e as usize - 1].kind == Kind::Punct && !matches!(ctx.word(e as usize - 1), ")") {
        e -= 1;
    }
    (s, e)
}

/// Windows of whole sentences: sentences joined by a quote that runs from
/// one into the next form one window ("He said, \"A. B.\""). Each rule runs
/// once per window, so the work stays linear even with a stray mark.
fn quote_windows(ctx: &Ctx, marks: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let sents = &ctx.toks.sentences;
    let mut join = vec![false; sents.len()];
    for &(qs, qe) in marks {
        let (a, b) = (ctx.toks.sent_of[qs] as usize, ctx.toks.sent_of[qe - 1] as usize);
        join[a..b].iter_mut().for_each(|j| *j = true);
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

/// Runs the stage over `view` (the resolved mentions), with the quote marks
/// added as a layer of its own that only quote rules see.
pub(crate) fn run(ctx: &Ctx, view: &View) -> Vec<Quote> {
    let model = ctx.model;
    let marks: Vec<(usize, usize)> = ctx.quote_marks.iter().map(|t| (t.start as usize, t.end as usize)).collect();
    let mut units = view.units.clone();
    for &(s, e) in &marks {
        units.push(Unit { start: s as u32, end: e as u32, ty: UnitType::Quote, kind: MentionKind::Name });
    }
    let view = &view.with_units(units);
    // A quote may run over several sentences ("He said, \"A. B.\""): each
    // sentence's window grows to cover the quotes that overlap it.
    let windows = quote_windows(ctx, &marks);
    let mut quotes: Vec<Quote> = Vec::new();
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
                let Some(smi) = ctx.mention_in(sp.0, sp.1, None) else {
                    continue;
                };
                let Some(speaker) = ctx.mention(smi).entity else {
                    continue;
                };
                if !matches!(ctx.entity(speaker).ty, EntityType::Person | EntityType::Organization | EntityType::Group)
                {
                    continue;
                }
                // Direct: the content (and `rest`) captures hold quote marks.
                let mut parts = Vec::new();
                let mut direct = false;
                // Marks are sorted: only those starting inside the match can lie in a capture.
                let first = marks.partition_point(|&(qs, _)| qs < m.start as usize);
                let last = marks.partition_point(|&(qs, _)| qs < m.end as usize);
                for (k, &(qs, qe)) in marks.iter().enumerate().take(last).skip(first) {
                    // Direct when the capture is the quote (it starts at the mark); a
                    // quoted phrase inside reported words leaves them reported.
                    let inside = |c: Option<(u32, u32)>| c.is_some_and(|(s, e)| s as usize == qs && qe <= e as usize);
                    if inside(Some(ct)) || inside(get("rest")) {
                        direct = true;
                        if used_quote[k] {
                            parts.clear();
                            break;
                        }
                        if let Some(p) = content_span(ctx, qs, qe) {
                            parts.push((k, p));
                        }
                    }
                }
                if direct && parts.is_empty() {
                    continue;
                }
                // A one-word quote ("frank") is a scare quote, not what was said.
                if direct && parts.iter().all(|(_, p)| !ctx.text[p.range()].trim().contains(' ')) {
                    continue;
                }
                let parts: Vec<Span> = if direct {
                    for (k, _) in &parts {
                        used_quote[*k] = true;
                    }
                    parts.into_iter().map(|(_, p)| p).collect()
                } else {
                    let (s, mut e) = trim_punct(ctx, ct.0, ct.1);
                    if s >= e || e - s < 3 {
                        continue;
                    }
                    // Keep quotation marks balanced: `needed "a border policy".`
                    let marks_in = (s..e).filter(|&t| mark(ctx.word(t as usize)).is_some()).count();
                    if marks_in % 2 == 1 && (e as usize) < ctx.toks.tokens.len() && mark(ctx.word(e as usize)).is_some()
                    {
                        e += 1;
                    }
                    // Reported speech never contains a quote we already attributed.
                    vec![ctx.bytes(TokenSpan::new(s, e))]
                };
                if let Some(c) = cue {
                    used_cue.push(c);
                }
                quotes.push(Quote {
                    kind: if direct { QuoteKind::Direct } else { QuoteKind::Indirect },
                    parts,
                    speaker: Some(speaker),
                    speaker_mention: Some(smi),
                    cue,
                    prov: Prov::Rule(ri),
                });
            }
        }
    }
    // Unattributed direct quotes of four words or more: a quote that follows
    // a direct quote closely, with no other person named in between, keeps
    // its speaker. `ends` maps each direct quote's end to its speaker.
    let mut ends: std::collections::BTreeMap<usize, Option<EntityIdx>> = std::collections::BTreeMap::new();
    let mut reported: Vec<Span> =
        quotes.iter().filter(|q| q.kind != QuoteKind::Direct).flat_map(|q| q.parts.iter().copied()).collect();
    reported.sort_unstable();
    for q in quotes.iter().filter(|q| q.kind == QuoteKind::Direct) {
        if let Some(l) = q.parts.last() {
            ends.insert(l.end, q.speaker);
        }
    }
    for (k, &(qs, qe)) in marks.iter().enumerate() {
        if used_quote[k] {
            continue;
        }
        let words = (qs..qe).filter(|&i| ctx.toks.tokens[i].kind == Kind::Word).count();
        if words < 4 {
            continue;
        }
        let Some(p) = content_span(ctx, qs, qe) else {
            continue;
        };
        // A quoted phrase inside reported speech is part of that quote.
        let r = reported.partition_point(|x| x.start <= p.start);
        if r > 0 && p.end <= reported[r - 1].end {
            continue;
        }
        let prev = ends.range(..=p.start).next_back().map(|(&end, &who)| (end, who));
        let speaker = prev.and_then(|(gap_start, who)| {
            let who = who?;
            let gap_tok = ctx.toks.tokens.partition_point(|t| t.span.start < gap_start) as u32;
            let names_between = ctx.mentions_starting_in(gap_tok, qs as u32).any(|i| {
                let m = &ctx.mentions[i];
                m.ty == EntityType::Person && m.kind == MentionKind::Name && m.entity != Some(who)
            });
            let gap = &ctx.text[gap_start..p.start];
            let near = gap.len() < 2000 && gap.matches('\n').count() <= 2;
            (!names_between && near).then_some(who)
        });
        ends.insert(p.end, speaker);
        quotes.push(Quote {
            kind: QuoteKind::Direct,
            parts: vec![p],
            speaker,
            speaker_mention: None,
            cue: None,
            prov: Prov::Builtin("quotes.unattributed"),
        });
    }
    quotes.sort_by_key(|q| q.parts.first().map_or(0, |p| p.start));
    quotes
}
