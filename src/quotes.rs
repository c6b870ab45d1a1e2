//! Stage 7: quotes. Finds direct quotes by their marks, then runs the
//! quote rules to attribute them and to find reported speech. A direct
//! quote interrupted by its attribution, or running over paragraphs, is one
//! record with several parts; a reported clause with a quoted fragment
//! inside is one `mixed` record.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::doc::{Ctx, Mention, Prov, Quote};
use crate::marks::mark;
use crate::rules::{Action, Arg, Match, Rule, Stage, StageRun, Unit, View};
use crate::span::Span;
use crate::tokens::{Kind, flag};
use crate::types::{EntityIdx, EntityType, Gender, MentionIdx, MentionKind, QuoteKind, TokenSpan, UnitType};

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
        // A quote closed after a full stop (`... "a little politics." Sanders
        // said he ...`) leaves the next sentence a statement of its own.
        let asks = qe >= 2 && matches!(ctx.word(qe - 2), "?" | "!" | "\u{2014}" | "-" | "--" | "\u{2026}");
        if let Some(next) = sents.get(b + 1)
            && asks
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

/// Who speaks in one match: the entity, its mention and the span reported.
struct Speaker {
    entity: Option<EntityIdx>,
    mention: Option<MentionIdx>,
    span: Option<Span>,
}

/// What one rule action attributes: the rule, the speaker and the cue.
struct Claim {
    ri: u32,
    who: Speaker,
    cue: Option<TokenSpan>,
}

impl Claim {
    /// The record of this claim with the given kind and parts.
    fn into_quote(self, kind: QuoteKind, parts: Vec<Span>) -> Quote {
        Quote {
            kind,
            parts,
            speaker: self.who.entity,
            speaker_mention: self.who.mention,
            speaker_span: self.who.span,
            cue: self.cue,
            prov: Prov::Rule(self.ri),
        }
    }
}

/// The speaker the `speaker` capture `sp` names: a person, organization or
/// group mention; with `unnamed` (`unnamed="yes"`: "a spokeswoman",
/// "officials") its words are kept, and a pronoun the entity stage left alone
/// gets the nearest person named before. `None` when no one who can speak is named.
fn speaker_of(ctx: &Ctx, sp: (u32, u32), unnamed: bool) -> Option<Speaker> {
    if unnamed {
        return Some(Speaker {
            entity: pronoun_speaker(ctx, sp.0, sp.1),
            mention: None,
            span: Some(ctx.bytes(TokenSpan::new(sp.0, sp.1))),
        });
    }
    let smi = ctx.mention_in(sp.0, sp.1, None)?;
    let speaker = ctx.mention(smi).entity?;
    if !matches!(ctx.entity(speaker).ty, EntityType::Person | EntityType::Organization | EntityType::Group) {
        return None;
    }
    let mm = ctx.mention(smi);
    let (a, b) = ctx.mention_span(mm.start, mm.end);
    Some(Speaker { entity: Some(speaker), mention: Some(smi), span: Some(Span::new(a, b)) })
}

/// Whether the quotes at mark pairs `parts` are a short title-case name or
/// title after a naming cue (`a print called "Cowboys and Indians"`) or after
/// a preposition or possessive (`on CBS's "Face the Nation"`), not a
/// statement (`called it "a disgrace"` stays).
fn is_naming(ctx: &Ctx, marks: &[(usize, usize)], cue: Option<TokenSpan>, parts: &[usize]) -> bool {
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
    // A show, book or article named after a preposition or a possessive:
    // `on Fox News Channel's "Hannity," Gingrich said`.
    let named_after = |k: usize| {
        let q = marks[k].0;
        q > 0
            && matches!(
                ctx.word(q - 1).to_lowercase().as_str(),
                "on" | "in" | "at" | "of" | "from" | "for" | "about" | "with" | "'s" | "\u{2019}s"
            )
    };
    parts.iter().all(|&k| words_in(ctx, marks[k].0, marks[k].1) <= 6 && title_case(k) && (naming || named_after(k)))
}

/// The speaker a cue's context gives: an entity, an unnamed source's words, or no one.
enum Who {
    /// The entity, and the mention naming it in the sentence when there is one.
    Entity(EntityIdx, Option<MentionIdx>),
    Unnamed(Span),
    Nobody,
}

impl Who {
    /// The speaker mention at index `i`, when it belongs to an entity.
    fn of_mention(ctx: &Ctx, i: usize) -> Option<Who> {
        Some(Who::Entity(ctx.mentions[i].entity?, Some(MentionIdx(i as u32))))
    }

    /// The person an unresolved `he` or `she` in tokens `[s, e)` refers to.
    fn pronoun_in(ctx: &Ctx, s: usize, e: usize) -> Who {
        (s..e).find_map(|i| pronoun_speaker(ctx, i as u32, i as u32 + 1)).map_or(Who::Nobody, |p| Who::Entity(p, None))
    }
}

/// Whether mention `m` can be a speaker: a person, organization or group,
/// not the object of a preposition (`talked about Trump`).
fn can_speak(ctx: &Ctx, m: &Mention) -> bool {
    can_speak_type(m)
        && !(m.start > 0
            && matches!(
                ctx.word(m.start as usize - 1).to_lowercase().as_str(),
                "about" | "by" | "with" | "of" | "to" | "for" | "from" | "against" | "on" | "at"
            ))
}

/// Whether mention `m` is of a type that can speak: a person, organization or group.
fn can_speak_type(m: &Mention) -> bool {
    matches!(m.ty, EntityType::Person | EntityType::Organization | EntityType::Group)
}

/// The person or group a sentence's lead-in before the quote at `qs` is
/// about ("Verizon said in a statement: \"...\""), not an object of a preposition.
fn lead_in_subject(ctx: &Ctx, qs: usize) -> Option<EntityIdx> {
    let sent = ctx.toks.sentence_of(qs);
    ctx.mentions_starting_in(sent.start as u32, qs as u32)
        .map(|i| &ctx.mentions[i])
        .find(|m| can_speak(ctx, m))
        .and_then(|m| m.entity)
}

/// The speaker of the quote ending closest before `p0` (`ends` maps quote
/// ends to speakers), when it is near and no other person is named between.
fn previous_quote_speaker(
    ctx: &Ctx,
    ends: &BTreeMap<usize, Option<EntityIdx>>,
    qs: usize,
    p0: Span,
) -> Option<EntityIdx> {
    let (gap_start, who) = ends.range(..=p0.start).next_back().map(|(&end, &who)| (end, who))?;
    let who = who?;
    let gap_tok = ctx.toks.tokens.partition_point(|t| t.span.start < gap_start) as u32;
    let names_between = ctx.mentions_starting_in(gap_tok, qs as u32).any(|i| {
        let m = &ctx.mentions[i];
        m.ty == EntityType::Person && m.kind == MentionKind::Name && m.entity != Some(who)
    });
    let gap = &ctx.text[gap_start..p0.start];
    let near = gap.len() < 2000 && gap.matches('\n').count() <= 2;
    (!names_between && near).then_some(who)
}

/// An unnamed source as the subject right before the speech verb at token
/// `cue`, within `[from, cue)`: a determiner and up to four lower-case words
/// (`a man yelled`, `The ad targets`, `one P&G Amiens employee told`),
/// with no name among them. Its byte span, or `None`.
fn unnamed_subject(ctx: &Ctx, from: usize, cue: usize) -> Option<Span> {
    let stop = from.max(cue.saturating_sub(6));
    let mut i = cue;
    while i > stop {
        i -= 1;
        let w = ctx.word(i).to_lowercase();
        if matches!(
            w.as_str(),
            "a" | "an" | "the" | "one" | "another" | "some" | "several" | "many" | "most" | "others"
        ) {
            // The determiner opens the clause: `..., and a man yelled`, not
            // `who has in the past described`.
            let opens = i == ctx.toks.sentence_of(i).start
                || matches!(
                    ctx.word(i - 1).to_lowercase().as_str(),
                    "," | ";" | ":" | "and" | "but" | "while" | "when" | "as" | "because" | "yet"
                );
            if !opens
                || ctx.mentions_starting_in(i as u32, cue as u32).any(|m| ctx.mentions[m].kind == MentionKind::Name)
            {
                return None;
            }
            return Some(ctx.bytes(TokenSpan::new(i as u32, cue as u32)));
        }
        if !is_word(ctx, i) || mark(ctx.word(i)).is_some() {
            return None;
        }
    }
    None
}

/// The person the sentence before the quote at `qs` is about: "Coach Dara
/// Lund walked to the podium. \"We will be back...\"".
fn previous_sentence_person(ctx: &Ctx, qs: usize, p0: Span, speech: &[bool]) -> Option<EntityIdx> {
    let toks = &ctx.toks.tokens;
    let si = ctx.toks.sent_of[qs] as usize;
    let prev = ctx.toks.sentences.get(si.checked_sub(1)?)?;
    let gap = &ctx.text[toks[prev.end - 1].span.end..p0.start];
    if gap.matches('\n').count() > 2 {
        return None;
    }
    // Its subject: the first person it names, at the start of the sentence
    // or of its main clause (`On Monday, Lund walked ...`), and the only
    // person it names.
    let people = || {
        ctx.mentions_starting_in(prev.start as u32, prev.end as u32)
            .map(|i| &ctx.mentions[i])
            .filter(|m| m.ty == EntityType::Person && matches!(m.kind, MentionKind::Name | MentionKind::Pronoun))
    };
    let first = people().next()?;
    let who = first.entity?;
    let at = first.start as usize;
    let opens = words_in(ctx, prev.start, at) <= 2 || (at > prev.start && ctx.word(at - 1) == ",");
    // And it is a speech act (`Howard continued his remarks.`), or a short
    // sentence leading into the quote in the same paragraph (`Coach Dara
    // Lund walked to the podium. "We will..."`). On PolNeAR train the
    // person of any other previous sentence was the speaker one time in three.
    let speaks = (prev.start..prev.end).any(|i| speech[i]);
    let leads_in =
        !gap.contains('\n') && words_in(ctx, prev.start, prev.end) <= 12 && words_in(ctx, prev.start, at) <= 1;
    (opens && (speaks || leads_in) && people().all(|m| m.entity == Some(who))).then_some(who)
}

/// The person a credit line right after the quote ending at token `qend`
/// names: a sentence or paragraph that opens with a dash and a name
/// (`"..." ¶ - Bernie Sanders.`).
fn dash_credit(ctx: &Ctx, qend: usize) -> Option<EntityIdx> {
    let si = ctx.toks.sent_of[qend.checked_sub(1)?] as usize;
    let next = ctx.toks.sentences.get(si + 1)?;
    if next.start >= next.end {
        return None;
    }
    let gap = ctx.text.get(ctx.toks.tokens[qend - 1].span.end..ctx.toks.tokens[next.start].span.start)?;
    if gap.matches('\n').count() > 2 {
        return None;
    }
    // The dash is a token, or markup the input layer read as a list bullet.
    let dash = |w: &str| matches!(w, "-" | "--" | "\u{2014}" | "\u{2013}");
    let dashed = dash(ctx.word(next.start)) || gap.rsplit('\n').next().is_some_and(|l| dash(l.trim()));
    let name_at = if dash(ctx.word(next.start)) { next.start + 1 } else { next.start };
    let m = ctx
        .mentions_starting_in(name_at as u32, name_at as u32 + 1)
        .map(|i| &ctx.mentions[i])
        .find(|m| m.ty == EntityType::Person && m.kind == MentionKind::Name)?;
    // Without a dash, a paragraph of its own that is only the name and its
    // affiliation (`Maren Okafor, Center for Budget Research.`).
    let credit_only = gap.contains('\n')
        && next.end - next.start <= 16
        && (m.end as usize..next.end).all(|i| {
            let t = &ctx.toks.tokens[i];
            t.kind == Kind::Punct
                || t.has(flag::CAP)
                || matches!(ctx.word(i), "of" | "for" | "and" | "on" | "at" | "the")
                || ctx.word(i).starts_with(|c: char| c.is_ascii_digit())
        });
    if dashed || credit_only { m.entity } else { None }
}

/// An attribution inside another's reported content ("Memon said she
/// believed ...") is part of that content, not a record of its own: drops it.
fn drop_nested(ctx: &Ctx, found: &mut Vec<Found>) {
    let toks = &ctx.toks.tokens;
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
                    // Two unnamed sources are not the same speaker.
                    spans
                        .iter()
                        .any(|&(o, a, b, who)| o != n && a <= at && at < b && who.is_some() && who == f.quote.speaker)
                })
        })
        .collect();
    let mut keep = nested.iter().map(|&x| !x);
    found.retain(|_| keep.next().unwrap_or(true));
}

/// An embedded post's element as scraped pages keep it:
/// `<tweet author="@handle" ...>TEXT</tweet>` (group 1: the attributes,
/// group 2: the text).
static POST_ELEMENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"<tweet\b([^>]*)>([^<]+)</tweet>"#).unwrap_or_else(|e| panic!("POST_ELEMENT: {e}")));

/// The credit an embedded post ends with: `— Name (@handle) Month D, YYYY`
/// (group 1: the name, group 2: the handle).
static POST_CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:—|–|--?)[ \t]*([^\n()—–]{1,60}?)[ \t]*\((@\w{1,30})\)[ \t]*[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}")
        .unwrap_or_else(|e| panic!("POST_CREDIT: {e}"))
});

/// The handle an embedded post's element names as its author (`author="@x"`, `tweet-author="@x"`).
static POST_AUTHOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\b(?:tweet-)?author="([^"]{1,40})""#).unwrap_or_else(|e| panic!("POST_AUTHOR: {e}"))
});

/// The stage's per-document state: the quote marks, which marks and cues
/// are taken, and the records found so far.
struct Attribution<'c, 'a> {
    ctx: &'c Ctx<'a>,
    marks: Vec<(usize, usize)>,
    continued: Vec<bool>,
    speech: Vec<bool>,
    used_quote: Vec<bool>,
    /// The cues taken, as (start, end) token pairs.
    used_cue: std::collections::HashSet<(u32, u32)>,
    /// For each token, whether a taken cue starts there.
    cue_start: Vec<bool>,
    found: Vec<Found>,
}

impl<'c, 'a> Attribution<'c, 'a> {
    /// The state for a document: its marks, nothing taken yet.
    fn new(ctx: &'c Ctx<'a>) -> Self {
        let marks: Vec<(usize, usize)> = ctx.quote_marks.iter().map(|t| (t.start as usize, t.end as usize)).collect();
        Attribution {
            ctx,
            continued: continued(ctx, &marks),
            speech: speech_tokens(ctx),
            used_quote: vec![false; marks.len()],
            used_cue: std::collections::HashSet::new(),
            cue_start: vec![false; ctx.toks.tokens.len()],
            found: Vec::new(),
            marks,
        }
    }

    /// Attributes one action of one match: records a quote unless a check turns it down.
    fn attribute(&mut self, ri: u32, rule: &Rule, m: &Match, a: &Action) {
        let get = |k: &str| rule.arg_span(m, a, k);
        let Some(ct) = get("content") else {
            return;
        };
        let cue = get("cue").map(|(s, e)| TokenSpan::new(s, e));
        if cue.is_some_and(|c| self.used_cue.contains(&(c.start, c.end))) {
            return;
        }
        // `speaker="none"`: the text names no source ("Trump seemed to
        // waver", "Asked whether ..."): the record has no speaker at all.
        let who = if matches!(a.get("speaker"), Some(Arg::Literal(l)) if l == "none") {
            Speaker { entity: None, mention: None, span: None }
        } else {
            let Some(sp) = get("speaker") else {
                return;
            };
            let unnamed = matches!(a.get("unnamed"), Some(Arg::Literal(_)));
            let Some(who) = speaker_of(self.ctx, sp, unnamed) else {
                return;
            };
            who
        };
        let Some(parts) = self.direct_parts(m, ct, get("rest")) else {
            return;
        };
        let claim = Claim { ri, who, cue };
        let found = if parts.is_empty() {
            self.reported(ct, claim)
        } else if is_naming(self.ctx, &self.marks, cue, &parts) {
            None
        } else {
            // Words the `content` capture holds after its last quote
            // (`"Boots on the ground" would be wise, Milic said`) make it mixed.
            let tail = (get("rest").is_none()).then_some(ct.1 as usize);
            self.direct_or_mixed(parts, claim, tail)
        };
        let Some(f) = found else {
            return;
        };
        if let Some(c) = cue {
            self.used_cue.insert((c.start, c.end));
            if let Some(x) = self.cue_start.get_mut(c.start as usize) {
                *x = true;
            }
        }
        self.found.push(f);
    }

    /// The mark pairs the `content` capture `ct` or the `rest` capture of
    /// match `m` holds (direct when a capture starts at the opening mark; a
    /// quoted phrase inside reported words leaves them reported). `None` when
    /// one of them is already taken.
    fn direct_parts(&self, m: &Match, ct: (u32, u32), rest: Option<(u32, u32)>) -> Option<Vec<usize>> {
        let marks = &self.marks;
        let mut parts: Vec<usize> = Vec::new();
        let mut clash = false;
        // Marks are sorted: only those starting inside the match can lie in a capture.
        let first = marks.partition_point(|&(qs, _)| qs < m.start as usize);
        let last = marks.partition_point(|&(qs, _)| qs < m.end as usize);
        for (k, &(qs, qe)) in marks.iter().enumerate().take(last).skip(first) {
            let inside = |c: Option<(u32, u32)>| c.is_some_and(|(s, e)| s as usize == qs && qe <= e as usize);
            if inside(Some(ct)) || inside(rest) {
                clash |= self.used_quote[k];
                parts.push(k);
            }
        }
        (!clash).then_some(parts)
    }

    /// Takes the mark pairs `inner` for a record; `None` when one is taken already.
    fn take_marks(&mut self, inner: Vec<usize>) -> Option<Vec<usize>> {
        if inner.iter().any(|&k| self.used_quote[k]) {
            return None;
        }
        for &k in &inner {
            self.used_quote[k] = true;
        }
        Some(inner)
    }

    /// Embedded posts (tweets as news pages print them): the post's text is a
    /// direct record spoken by the name its credit gives (`— Name (@handle)
    /// Month D, YYYY`), else by the handle its element names as author. A
    /// post's text is its author's own words, quotation marks or not.
    fn embedded_posts(&mut self) {
        let ctx = self.ctx;
        let text = ctx.text;
        // Each post: its text's byte range and where its author is named.
        let mut posts: Vec<(usize, usize, Option<Span>)> = Vec::new();
        for m in POST_ELEMENT.captures_iter(text) {
            let (Some(attrs), Some(body)) = (m.get(1), m.get(2)) else {
                continue;
            };
            let (start, mut end) = (body.start(), body.end());
            let mut who = POST_AUTHOR
                .captures(attrs.as_str())
                .and_then(|a| a.get(1))
                .map(|h| Span::new(attrs.start() + h.start(), attrs.start() + h.end()));
            if let Some(c) = POST_CREDIT.captures(body.as_str()).filter(|c| c.get(0).is_some_and(|g| g.start() > 0))
                && let (Some(all), Some(name)) = (c.get(0), c.get(1))
            {
                end = start + all.start();
                who = Some(Span::new(start + name.start(), start + name.end()));
            }
            posts.push((start, end, who));
        }
        // Outside elements: the credit ends a line that holds the post.
        for c in POST_CREDIT.captures_iter(text) {
            let (Some(all), Some(name)) = (c.get(0), c.get(1)) else {
                continue;
            };
            if posts.iter().any(|&(s, e, _)| s <= all.start() && all.start() <= e + 4) {
                continue;
            }
            let start = text[..all.start()].rfind('\n').map_or(0, |i| i + 1);
            if text[start..all.start()].split_whitespace().count() >= 4 {
                posts.push((start, all.start(), Some(Span::new(name.start(), name.end()))));
            }
        }
        let toks = &ctx.toks.tokens;
        for (start, end, who) in posts {
            let t0 = toks.partition_point(|t| t.span.start < start);
            let t1 = toks.partition_point(|t| t.span.start < end);
            let (t0, t1) = trim_punct(ctx, t0 as u32, t1 as u32);
            if t1 <= t0 || words_in(ctx, t0 as usize, t1 as usize) < 4 {
                continue;
            }
            let inner: Vec<usize> = (0..self.marks.len())
                .filter(|&k| self.marks[k].0 >= t0 as usize && self.marks[k].1 <= t1 as usize)
                .collect();
            let Some(marks) = self.take_marks(inner) else {
                continue;
            };
            // The credit's name as an entity when the entity stage found one; else its words.
            let who = who.map(|sp| {
                let w0 = toks.partition_point(|t| t.span.start < sp.start) as u32;
                let w1 = toks.partition_point(|t| t.span.start < sp.end) as u32;
                let mi = ctx.mention_in(w0, w1, None).filter(|&mi| {
                    matches!(ctx.mention(mi).ty, EntityType::Person | EntityType::Organization | EntityType::Group)
                });
                (mi, sp)
            });
            let (entity, mention, span) = match who {
                Some((Some(mi), sp)) => (ctx.mention(mi).entity, Some(mi), Some(sp)),
                Some((None, sp)) => (None, None, Some(sp)),
                None => (None, None, None),
            };
            let quote = Quote {
                kind: QuoteKind::Direct,
                parts: vec![ctx.bytes(TokenSpan::new(t0, t1))],
                speaker: entity,
                speaker_mention: mention.filter(|_| entity.is_some()),
                speaker_span: span.filter(|_| entity.is_none()),
                cue: None,
                prov: Prov::Builtin("quotes.embedded_post"),
            };
            self.found.push(Found { quote, marks });
        }
    }

    /// Gives back the mark pairs `inner` taken by a record that was dropped.
    fn release(&mut self, inner: &[usize]) {
        for &k in inner {
            self.used_quote[k] = false;
        }
    }

    /// The token range of a mixed record around the quotes `[q0, q1)`: words
    /// before the opening mark in its clause (after the cue when the cue comes
    /// first), or words after the closing mark when the attribution comes
    /// first, make a reported clause with a quoted fragment (`Cruz warned that
    /// the "Washington cartel" is nervous`). `None` when the quotes stand alone.
    ///
    /// `content_end` is where the rule's content capture ends: words it holds
    /// after the closing mark belong to the clause too.
    fn mixed_extent(
        &self,
        q0: usize,
        q1: usize,
        cue: Option<TokenSpan>,
        content_end: Option<usize>,
    ) -> Option<(usize, usize)> {
        let ctx = self.ctx;
        let sent = ctx.toks.sentence_of(q0);
        let cue_first = cue.is_some_and(|c| (c.end as usize) <= q0);
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
        // Up to another attribution that follows, and the `and` or comma
        // before it: `he was "not ready" to back Trump, and suggested that ...`.
        let send = match (q1..send).find(|&i| self.speech[i]) {
            Some(v) => (q1..v).rev().find(|&i| matches!(ctx.word(i), "," | ";" | "and" | "but")).unwrap_or(v),
            None => send,
        };
        let tail = cue_first && words_in(ctx, q1, send) > 0;
        let captured = content_end.filter(|&ce| ce > q1 && words_in(ctx, q1, ce) > 0);
        if !(lead || tail || captured.is_some()) {
            return None;
        }
        let s = if lead { a } else { q0 };
        let e = match captured {
            Some(ce) => trim_punct(ctx, q1 as u32, ce as u32).1 as usize,
            None if tail => trim_punct(ctx, q1 as u32, send as u32).1 as usize,
            None => q1,
        };
        Some((s, e.max(q1)))
    }

    /// The record for captured quotes at mark pairs `parts`: mixed when words
    /// of the clause lie outside the marks, else direct.
    fn direct_or_mixed(&mut self, parts: Vec<usize>, claim: Claim, content_end: Option<usize>) -> Option<Found> {
        let (q0, q1) = (self.marks[parts[0]].0, self.marks[parts[parts.len() - 1]].1);
        let cue_first = claim.cue.is_some_and(|c| (c.end as usize) <= q0);
        let Some((s, e)) = self.mixed_extent(q0, q1, claim.cue, content_end) else {
            return self.direct(parts, cue_first, claim);
        };
        // Every quote inside belongs to the record.
        let inner: Vec<usize> =
            (0..self.marks.len()).filter(|&k| self.marks[k].0 >= s && self.marks[k].1 <= e).collect();
        let marks = self.take_marks(inner)?;
        let parts = vec![self.ctx.bytes(TokenSpan::new(s as u32, e as u32))];
        Some(Found { quote: claim.into_quote(QuoteKind::Mixed, parts), marks })
    }

    /// A direct record of the quotes at mark pairs `parts`, unless they are a
    /// scare quote: one word after its cue ("called it "frank"", while
    /// `"Quiet," he demanded` is what was said).
    fn direct(&mut self, parts: Vec<usize>, cue_first: bool, claim: Claim) -> Option<Found> {
        let ctx = self.ctx;
        let spans: Vec<Span> =
            parts.iter().filter_map(|&k| content_span(ctx, self.marks[k].0, self.marks[k].1)).collect();
        if spans.is_empty() {
            return None;
        }
        if cue_first && spans.iter().all(|p| !ctx.text[p.range()].trim().contains(' ')) {
            return None;
        }
        for &k in &parts {
            self.used_quote[k] = true;
        }
        Some(Found { quote: claim.into_quote(QuoteKind::Direct, spans), marks: parts })
    }

    /// A reported-speech record for the `content` capture `ct`: indirect, or
    /// mixed when quotes lie inside (never one already attributed).
    fn reported(&mut self, ct: (u32, u32), claim: Claim) -> Option<Found> {
        let ctx = self.ctx;
        let (s, mut e) = trim_punct(ctx, ct.0, ct.1);
        if s >= e || e - s < 3 {
            return None;
        }
        // Keep quotation marks balanced: `needed "a border policy".`
        let marks_in = (s..e).filter(|&t| mark(ctx.word(t as usize)).is_some()).count();
        if marks_in % 2 == 1 {
            // The closing mark may follow the sentence's last stop: `a "big ticket."`
            let n = ctx.toks.tokens.len();
            let mut k = e as usize;
            while k < n && k < e as usize + 2 && ctx.toks.tokens[k].kind == Kind::Punct && mark(ctx.word(k)).is_none() {
                k += 1;
            }
            if k < n && mark(ctx.word(k)).is_some() {
                e = k as u32 + 1;
            }
        }
        let inner: Vec<usize> =
            (0..self.marks.len()).filter(|&k| self.marks[k].0 < e as usize && self.marks[k].1 > s as usize).collect();
        let inner = self.take_marks(inner)?;
        let kind = if inner.is_empty() { QuoteKind::Indirect } else { QuoteKind::Mixed };
        Some(Found { quote: claim.into_quote(kind, vec![ctx.bytes(TokenSpan::new(s, e))]), marks: inner })
    }

    /// A quote split by its attribution (`"A," she said. "B."`) or running
    /// over paragraphs is one record: joins the parts that follow each direct record.
    fn join_continuations(&mut self) {
        let mut found = std::mem::take(&mut self.found);
        for f in found.iter_mut().filter(|f| f.quote.kind == QuoteKind::Direct) {
            self.extend_record(f);
        }
        self.found = found;
    }

    /// Appends to the direct record `f` the quotes that continue it.
    fn extend_record(&mut self, f: &mut Found) {
        let Some(&(mut k)) = f.marks.last() else {
            return;
        };
        let cue_after = f.quote.cue.is_some_and(|c| c.start as usize >= self.marks[k].1);
        loop {
            let mut n = k + 1;
            if cue_after && self.title_in_attribution(&f.quote, n) {
                n += 1;
            }
            if n >= self.marks.len() || self.used_quote[n] || !self.part_joins(&f.quote, cue_after, k, n) {
                break;
            }
            let Some(p) = content_span(self.ctx, self.marks[n].0, self.marks[n].1) else {
                break;
            };
            self.used_quote[n] = true;
            f.quote.parts.push(p);
            f.marks.push(n);
            k = n;
        }
    }

    /// Whether the quote at mark pair `n` is a short title or name quoted
    /// inside the attribution that follows the record's first part (`"A,"
    /// she said on NBC's "Meet the Press." "B."`): the part after it may still
    /// continue the record.
    fn title_in_attribution(&self, quote: &Quote, n: usize) -> bool {
        let ctx = self.ctx;
        let (Some(cue), Some(&(ns, ne))) = (quote.cue, self.marks.get(n)) else {
            return false;
        };
        let cue_end = cue.end as usize;
        cue_end <= ns
            && cue_end > 0
            && ctx.toks.sentence_of(cue_end - 1).end > ns
            && words_in(ctx, ns, ne) <= 6
            && !(cue_end..=ns).any(|i| ctx.toks.tokens[i].has(flag::PARA_BEFORE))
    }

    /// Whether the quote at mark pair `n` continues `quote`, whose last part
    /// is mark pair `k`: over paragraphs, or after the attribution that
    /// follows the record's first part (`cue_after`) when the part stands as
    /// its own statement.
    fn part_joins(&self, quote: &Quote, cue_after: bool, k: usize, n: usize) -> bool {
        let ctx = self.ctx;
        let (marks, toks) = (&self.marks, &ctx.toks.tokens);
        let cue_tok = quote.cue.map(|c| c.start as usize);
        let gap = marks[k].1..marks[n].0;
        // After the cue, the gap holds only the rest of the attribution
        // ("said on Sunday in Iowa."), not another clause ("and her husband cut in").
        // Nor a second cue that introduces the next part ("..., adding, \"B\"").
        let cue_end = quote.cue.map_or(0, |c| c.end as usize);
        let rest_clause = cue_tok.is_some_and(|c| {
            (c..gap.end.saturating_sub(1)).any(|i| ctx.word(i) == "," && matches!(ctx.word(i + 1), "and" | "but"))
                || (cue_end..gap.end).any(|i| self.speech[i] && i + 1 < gap.end && matches!(ctx.word(i + 1), "," | ":"))
        });
        // The attribution ends its paragraph and the next paragraph opens
        // with the quote: `"A," she said.` / `"B."` is one record.
        let next_paragraph = cue_tok.is_some_and(|c| {
            let sent = ctx.toks.sentence_of(c);
            sent.start <= marks[k].1 && sent.end == marks[n].0
        }) && toks[marks[n].0].has(flag::NL_BEFORE);
        let joins = self.continued[k]
            || (cue_after
                && cue_tok.is_some_and(|c| gap.contains(&c))
                && !rest_clause
                && gap.len() <= 60
                && !gap.clone().any(|i| toks[i].has(flag::PARA_BEFORE))
                && (next_paragraph || !toks[marks[n].0].has(flag::PARA_BEFORE)));
        if !joins {
            return false;
        }
        // The part that joins stands as its own statement: it starts a
        // sentence or follows the attribution's comma or colon, and ends
        // its sentence.
        let (ns, ne) = marks[n];
        let own =
            words_in(ctx, ctx.toks.sentence_of(ns).start, ns) == 0 || (ns > 0 && matches!(ctx.word(ns - 1), "," | ":"));
        self.continued[k] || (own && words_in(ctx, ne, ctx.toks.sentence_of(ne - 1).end) == 0)
    }

    /// Unattributed direct quotes of four words or more that stand as their
    /// own statement (at the start of a sentence, or after a colon), each
    /// with the speaker its context suggests.
    fn unattributed(&mut self) -> Vec<Quote> {
        let mut quotes: Vec<Quote> = Vec::new();
        // `ends` maps each quote's end to its speaker.
        let mut ends: BTreeMap<usize, Option<EntityIdx>> = BTreeMap::new();
        for f in &self.found {
            if let Some(l) = f.quote.parts.last() {
                ends.insert(l.end, f.quote.speaker);
            }
        }
        let mut k = 0;
        while k < self.marks.len() {
            if self.used_quote[k] {
                k += 1;
                continue;
            }
            // A quote running over paragraphs takes its continuations along.
            let mut last = k;
            while self.continued[last] && last + 1 < self.marks.len() && !self.used_quote[last + 1] {
                last += 1;
            }
            if let Some(q) = self.unattributed_quote(k, last, &ends) {
                if let Some(l) = q.parts.last() {
                    ends.insert(l.end, q.speaker);
                }
                quotes.push(q);
                k = last + 1;
                continue;
            }
            match self.fragment_quote(k, &ends) {
                Some((q, upto)) => {
                    if let Some(l) = q.parts.last() {
                        ends.insert(l.end, q.speaker);
                    }
                    quotes.push(q);
                    k = upto;
                }
                None => k += 1,
            }
        }
        quotes
    }

    /// The unattributed record for the chain of mark pairs `[k, last]`, when
    /// it has four words or more and stands as its own statement.
    fn unattributed_quote(&self, k: usize, last: usize, ends: &BTreeMap<usize, Option<EntityIdx>>) -> Option<Quote> {
        let ctx = self.ctx;
        let marks = &self.marks;
        let qs = marks[k].0;
        let words: usize = (k..=last).map(|c| words_in(ctx, marks[c].0, marks[c].1)).sum();
        let sent = ctx.toks.sentence_of(qs);
        let before = words_in(ctx, sent.start, qs) == 0 || (qs > 0 && matches!(ctx.word(qs - 1), ":" | ","));
        let qend = marks[last].1;
        let send = ctx.toks.sentence_of(qend - 1).end;
        let after = words_in(ctx, qend, send) == 0;
        if words < 4 || !before || !after {
            return None;
        }
        let parts: Vec<Span> = (k..=last).filter_map(|c| content_span(ctx, marks[c].0, marks[c].1)).collect();
        let p0 = parts.first().copied()?;
        // Introduced by its own sentence ("Verizon said in a statement: \"...\"",
        // "As Weiner put it in his memo, \"...\""): the subject there speaks;
        // else the speaker of a direct quote just before, with no other person
        // named in between; else the person the previous sentence is about.
        // A lead-in with a speech verb (`..., adding: "..."`), in the
        // sentence or as a paragraph of its own that ends in a colon
        // (`Dr. Ward stated:` / `"..."`), names the speaker as a cue does.
        let lead_in = words_in(ctx, sent.start, qs) > 0;
        let colon_para = !lead_in
            && sent.start > 0
            && ctx.word(sent.start - 1) == ":"
            && ctx.toks.tokens[sent.start].has(flag::NL_BEFORE);
        let lead = if lead_in {
            Some((sent.start, qs))
        } else if colon_para {
            Some((ctx.toks.sentence_of(sent.start - 1).start, sent.start - 1))
        } else {
            None
        };
        let cue = lead.and_then(|(a, b)| (a..b).rev().find(|&i| self.speech[i]).map(|c| (a, c)));
        let mut unnamed = None;
        let mut speaker_mention = None;
        let mut cue_unresolved = false;
        let speaker = match cue {
            Some((a, c)) => match self.cue_subject(a, c, ends) {
                Who::Entity(e, m) => {
                    speaker_mention = m;
                    Some(e)
                }
                Who::Unnamed(sp) => {
                    unnamed = Some(sp);
                    None
                }
                // `It added, "..."`: the attribution is there; its subject
                // is not resolved, and the context is no better guide.
                Who::Nobody => {
                    cue_unresolved = true;
                    unnamed = (a..c)
                        .rev()
                        .find(|&i| {
                            matches!(ctx.word(i).to_lowercase().as_str(), "he" | "she" | "it" | "they" | "we" | "i")
                        })
                        .map(|i| ctx.bytes(TokenSpan::new(i as u32, i as u32 + 1)));
                    None
                }
            },
            None if lead_in => lead_in_subject(ctx, qs),
            None => None,
        };
        let (speaker, how) = if cue_unresolved {
            // A pronoun subject continues the quote before it, if any.
            match previous_quote_speaker(ctx, ends, qs, p0) {
                Some(p) => {
                    unnamed = None;
                    (Some(p), "quotes.unattributed.previous_quote")
                }
                None => (None, "quotes.unattributed.cue"),
            }
        } else if unnamed.is_some() {
            (None, "quotes.unattributed.unnamed")
        } else if speaker.is_some() {
            (speaker, if cue.is_some() { "quotes.unattributed.cue" } else { "quotes.unattributed.lead_in" })
        } else if let Some(p) = dash_credit(ctx, qend) {
            (Some(p), "quotes.unattributed.dash_credit")
        } else if let Some(p) = previous_quote_speaker(ctx, ends, qs, p0) {
            (Some(p), "quotes.unattributed.previous_quote")
        } else if let Some(p) = previous_sentence_person(ctx, qs, p0, &self.speech) {
            (Some(p), "quotes.unattributed.previous_sentence")
        } else {
            (None, "quotes.unattributed")
        };
        Some(Quote {
            kind: QuoteKind::Direct,
            parts,
            speaker,
            speaker_mention: speaker_mention.filter(|_| speaker.is_some()),
            speaker_span: unnamed,
            cue: cue.map(|(_, c)| TokenSpan::new(c as u32, c as u32 + 1)),
            prov: Prov::Builtin(how),
        })
    }

    /// Who speaks through the speech verb at token `c` in the sentence that
    /// starts at token `s0`: a participle (`Law said, noting that ...`)
    /// continues the attribution of a quote before it in the sentence; an
    /// unnamed subject (`a man yelled`) is kept as words; else the first
    /// person, organization or group named before the verb, outside quote
    /// marks and not after a preposition, or a pronoun's person.
    fn cue_subject(&self, s0: usize, c: usize, ends: &BTreeMap<usize, Option<EntityIdx>>) -> Who {
        let ctx = self.ctx;
        let toks = &ctx.toks.tokens;
        let before = toks[s0].span.start..toks[c].span.start;
        if ctx.word(c).ends_with("ing")
            && let Some((_, &Some(who))) = ends.range(before).next_back()
        {
            return Who::Entity(who, None);
        }
        if let Some(sp) = unnamed_subject(ctx, s0, c) {
            return Who::Unnamed(sp);
        }
        let quoted = |m: &Mention| self.in_quote(m.start as usize);
        let ok = |i: &usize| !quoted(&ctx.mentions[*i]) && can_speak(ctx, &ctx.mentions[*i]);
        // The name right before the verb (`..., and when Rubio thanked them,
        // Ana Ruiz also said`), else the first one the sentence names.
        // `this tweet from Rikkie Vance who tweeted`: a relative pronoun
        // makes the name before it the subject, preposition or not.
        let relative = |e: usize| e < c && matches!(ctx.word(e).to_lowercase().as_str(), "who" | "which" | "that");
        let adjacent = ctx.mentions_starting_in(s0 as u32, c as u32).find(|&i| {
            let m = &ctx.mentions[i];
            let e = m.end as usize;
            let between_ok =
                e <= c && (e..c).all(|j| ctx.toks.tokens[j].kind != Kind::Punct && !ctx.toks.tokens[j].has(flag::CAP));
            between_ok && c - e <= 2 && (ok(&i) || (relative(e) && !quoted(m) && can_speak_type(m)))
        });
        adjacent
            .or_else(|| ctx.mentions_starting_in(s0 as u32, c as u32).find(ok))
            .and_then(|i| Who::of_mention(ctx, i))
            .unwrap_or_else(|| Who::pronoun_in(ctx, s0, c))
    }

    /// Who speaks through the speech verb at token `c` that follows a quote
    /// ending at token `qe`, in a sentence ending at `send`: the first name
    /// after the quote (`"...," former speechwriter Noam Neusner wrote`), an
    /// unnamed source before or after the verb, or a pronoun's person.
    fn source_after(&self, qe: usize, c: usize, send: usize) -> Who {
        let ctx = self.ctx;
        let named = ctx.mentions_starting_in(qe as u32, send as u32).find(|&i| can_speak(ctx, &ctx.mentions[i]));
        if let Some(who) = named.and_then(|i| Who::of_mention(ctx, i)) {
            return who;
        }
        match unnamed_subject(ctx, qe, c).or_else(|| unnamed_subject(ctx, c + 1, send)) {
            Some(sp) => Who::Unnamed(sp),
            None => Who::pronoun_in(ctx, qe, send),
        }
    }

    /// Whether token `at` lies inside a quote (marks are sorted and disjoint).
    fn in_quote(&self, at: usize) -> bool {
        let k = self.marks.partition_point(|&(a, _)| a <= at);
        k > 0 && at < self.marks[k - 1].1
    }

    /// A quoted fragment inside a sentence no rule attributed (`Graham said
    /// that Trump "melted down last night."`, `it is "very strange that ..."`):
    /// the sentence's clause around it is a `mixed` record. Its clause starts
    /// after the last speech verb before the fragment, else at the sentence
    /// start; a fragment of fewer than four words needs that verb (a scare
    /// quote is not speech). Title-case names and markup values are left out.
    /// Returns the record and the first mark pair after it.
    fn fragment_quote(&mut self, k: usize, ends: &BTreeMap<usize, Option<EntityIdx>>) -> Option<(Quote, usize)> {
        let ctx = self.ctx;
        let (qs, qe) = self.marks[k];
        let words = words_in(ctx, qs, qe);
        if words == 0 || (qs > 0 && ctx.word(qs - 1) == "=") {
            return None;
        }
        // A title (`curator of "Andy Warhol: Photographs and Prints from the
        // University Collection"`): every word but the small ones capitalized.
        let small = |w: &str| {
            matches!(
                w.to_lowercase().as_str(),
                "a" | "an"
                    | "the"
                    | "and"
                    | "or"
                    | "but"
                    | "of"
                    | "in"
                    | "on"
                    | "at"
                    | "to"
                    | "for"
                    | "from"
                    | "with"
                    | "by"
                    | "as"
                    | "vs"
            )
        };
        let title_case = (qs..qe)
            .filter(|&i| is_word(ctx, i) && !small(ctx.word(i)))
            .all(|i| ctx.toks.tokens[i].has(flag::CAP) || ctx.word(i).starts_with(|c: char| c.is_ascii_digit()));
        if title_case && words <= 12 {
            return None;
        }
        let sent = ctx.toks.sentence_of(qs);
        let (s0, send) = (sent.start, ctx.toks.sentence_of(qe - 1).end);
        let cue = (s0..qs).rev().find(|&i| self.speech[i]);
        // `"...," former speechwriter Noam Neusner wrote`: the attribution follows.
        let cue_after = if cue.is_none() { (qe..send).find(|&i| self.speech[i]) } else { None };
        if cue.is_none() && cue_after.is_none() && words < 4 {
            return None;
        }
        let mut s = cue.map_or(s0, |c| c + 1);
        while s < qs && (!is_word(ctx, s) || ctx.word(s).eq_ignore_ascii_case("that")) && mark(ctx.word(s)).is_none() {
            s += 1;
        }
        let end = if cue_after.is_some() { qe } else { send };
        let (s, e) = trim_punct(ctx, s as u32, end as u32);
        let (s, e) = (s as usize, (e as usize).max(qe));
        if self.cue_start[s..e].iter().any(|&x| x) {
            return None;
        }
        let inner: Vec<usize> = (k..self.marks.len()).take_while(|&j| self.marks[j].1 <= e).collect();
        let upto = k + inner.len();
        let inner = self.take_marks(inner)?;
        let direct = s == qs && e == qe;
        let parts: Vec<Span> = if direct {
            inner.iter().filter_map(|&j| content_span(ctx, self.marks[j].0, self.marks[j].1)).collect()
        } else {
            vec![ctx.bytes(TokenSpan::new(s as u32, e as u32))]
        };
        if parts.is_empty() {
            self.release(&inner);
            return None;
        }
        let who = match (cue, cue_after) {
            (Some(c), _) => self.cue_subject(s0, c, ends),
            (None, Some(c)) => self.source_after(qe, c, send),
            (None, None) => lead_in_subject(ctx, qs).map_or(Who::Nobody, |e| Who::Entity(e, None)),
        };
        let how = match (cue, cue_after) {
            (Some(_), _) => "quotes.fragment.cue_before",
            (None, Some(_)) => "quotes.fragment.cue_after",
            (None, None) => "quotes.fragment.no_cue",
        };
        let (speaker, speaker_mention, speaker_span, how) = match who {
            Who::Entity(e, m) => (Some(e), m, None, how),
            Who::Unnamed(sp) => (None, None, Some(sp), "quotes.fragment.unnamed"),
            // No one in the sentence: the context is no guide for a fragment.
            Who::Nobody => {
                self.release(&inner);
                return None;
            }
        };
        let cue = cue.or(cue_after).map(|c| TokenSpan::new(c as u32, c as u32 + 1));
        Some((
            Quote {
                kind: if direct { QuoteKind::Direct } else { QuoteKind::Mixed },
                parts,
                speaker,
                speaker_mention,
                speaker_span,
                cue,
                prov: Prov::Builtin(how),
            },
            upto,
        ))
    }

    /// All records in text order: the unattributed quotes and the found ones.
    fn finish(mut self) -> Vec<Quote> {
        let mut quotes = self.unattributed();
        quotes.extend(self.found.into_iter().map(|f| f.quote));
        quotes.sort_by_key(|q| q.parts.first().map_or(0, |p| p.start));
        quotes
    }
}

/// Runs the stage over `view` (the resolved mentions), with the quote marks
/// added as a layer of its own that only quote rules see.
///
/// With `keep_unattributed`, quotes that nothing names a speaker for are kept
/// (with no speaker); else they are left out.
pub(crate) fn run(ctx: &Ctx, view: &View, keep_unattributed: bool) -> Vec<Quote> {
    let mut state = Attribution::new(ctx);
    state.embedded_posts();
    let mut units = view.units.clone();
    for &(s, e) in &state.marks {
        units.push(Unit { start: s as u32, end: e as u32, ty: UnitType::Quote, kind: MentionKind::Name });
    }
    let view = &view.with_units(units);
    // A quote may run over several sentences ("He said, \"A. B.\""): each
    // sentence's window grows to cover the quotes that overlap it.
    let windows = quote_windows(ctx, &state.marks, &state.speech);
    let mut run = StageRun::new(&ctx.model.rules, Stage::Quotes, &windows);
    while let Some((ri, rule, matches)) = run.next(view) {
        for m in matches {
            for a in &rule.def.actions {
                state.attribute(ri, rule, m, a);
            }
        }
    }
    state.join_continuations();
    drop_nested(ctx, &mut state.found);
    let mut quotes = state.finish();
    if !keep_unattributed {
        quotes.retain(|q| q.prov != Prov::Builtin("quotes.unattributed"));
    }
    quotes
}
