//! The internal document model shared by the pipeline stages: what the
//! text-level passes found (tokens, gazetteer hits, dates, quote marks) and
//! what the entity stage resolved (mentions, entities), with the look-ups
//! later stages share. Relations, quotes and events are returned by their
//! stages, not stored here.

use crate::dates::{self, Date};
use crate::gazetteer::Hit;
use crate::model::Model;

use crate::span::Span;
use crate::tokens::Tokens;
use crate::types::{EntityIdx, EntityType, Gender, MentionIdx, MentionKind, QuoteKind, Status, TokenSpan};

/// What produced an item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Prov {
    /// A gazetteer entry.
    Gaz(u32),
    /// A rule (index into the model's rules).
    Rule(u32),
    /// A built-in pass of the pipeline (name variants, pronouns, ...).
    Builtin(&'static str),
}

/// A mention: tokens `[start, end)` (token indices, not bytes) of one type.
#[derive(Clone, Debug)]
pub(crate) struct Mention {
    pub start: u32,
    pub end: u32,
    pub ty: EntityType,
    pub kind: MentionKind,
    /// Canonical name from the gazetteer, if any.
    pub canonical: Option<Box<str>>,
    pub prov: Prov,
    pub priority: i32,
    /// The entity, once the entity stage has grouped mentions.
    pub entity: Option<EntityIdx>,
    /// Event class (for event mentions).
    pub class: Option<Box<str>>,
}

/// An entity: mentions that refer to one thing.
#[derive(Clone, Debug)]
pub(crate) struct Entity {
    pub ty: EntityType,
    pub name: String,
    pub mentions: Vec<MentionIdx>,
    /// For persons: from given names, honorifics and resolved pronouns.
    pub gender: Gender,
    /// Country/place an office-holder is tied to by a demonym before the name.
    pub affiliation: Option<EntityIdx>,
    /// The office named right before a person's name ("Foreign Minister Ivica Dacic").
    pub office: Option<EntityIdx>,
}

/// A relation between entities.
#[derive(Clone, Debug)]
pub(crate) struct Relation {
    pub predicate: String,
    pub subject: EntityIdx,
    pub office: Option<String>,
    pub object: Option<EntityIdx>,
    /// Former, acting, ... (none for a current office).
    pub status: Option<Status>,
    /// The tokens of the evidence.
    pub evidence: TokenSpan,
    pub prov: Prov,
}

/// A quote (direct or reported).
#[derive(Clone, Debug)]
pub(crate) struct Quote {
    pub kind: QuoteKind,
    /// Byte spans of the content (several for a quote split by its attribution).
    pub parts: Vec<Span>,
    pub speaker: Option<EntityIdx>,
    /// The mention that names the speaker here (a pronoun, a nominal, a name).
    pub speaker_mention: Option<MentionIdx>,
    /// Byte span of the words naming the speaker here: the mention's, or
    /// an unnamed source's ("a spokeswoman") when `speaker` is `None`.
    pub speaker_span: Option<Span>,
    /// The tokens of the cue (the speech verb).
    pub cue: Option<TokenSpan>,
    pub prov: Prov,
}

/// An event: its mentions and attributes.
#[derive(Clone, Debug)]
pub(crate) struct Event {
    pub class: String,
    pub mentions: Vec<MentionIdx>,
    pub place: Option<EntityIdx>,
    /// Index into `Ctx::dates`.
    pub date: Option<usize>,
    pub participants: Vec<EntityIdx>,
    pub prov: Prov,
}

/// One document moving through the pipeline.
pub(crate) struct Ctx<'a> {
    pub text: &'a str,
    pub model: &'a Model,
    pub toks: Tokens,
    pub hits: Vec<Hit>,
    pub doc_date: Option<Date>,
    pub dates: Vec<dates::Found>,
    /// Quotation-mark pairs, as token ranges from the opening mark to just
    /// after the closing one (or to the paragraph end when unclosed).
    pub quote_marks: Vec<TokenSpan>,
    /// Resolved mentions and entities: written by the entity stage only.
    pub mentions: Vec<Mention>,
    pub entities: Vec<Entity>,
    /// Mention indices sorted by start token.
    by_start: Vec<u32>,
}

impl<'a> Ctx<'a> {
    /// The event trigger hit inside tokens `[s, e)`: the longest ("news
    /// conference" over "conference"), then the last.
    pub fn event_trigger_in(&self, s: u32, e: u32) -> Option<&Hit> {
        let gaz = &self.model.gaz;
        let from = self.hits.partition_point(|h| h.start < s);
        self.hits[from..]
            .iter()
            .take_while(|h| h.start < e)
            .filter(|h| h.end <= e)
            .filter(|h| self.model.entity_type(gaz.entries[h.entry as usize].ty) == Some(EntityType::Event))
            .max_by_key(|h| (h.end - h.start, h.start))
    }

    /// A document after the text-level passes, before the entity stage.
    pub fn new(
        text: &'a str,
        model: &'a Model,
        toks: Tokens,
        hits: Vec<Hit>,
        doc_date: Option<Date>,
        dates: Vec<dates::Found>,
        quote_marks: Vec<TokenSpan>,
    ) -> Ctx<'a> {
        Ctx {
            text,
            model,
            toks,
            hits,
            doc_date,
            dates,
            quote_marks,
            mentions: Vec::new(),
            entities: Vec::new(),
            by_start: Vec::new(),
        }
    }

    /// Indexes the mentions by start; the entity stage calls it when its
    /// mentions are final.
    pub fn index_mentions(&mut self) {
        let mut v: Vec<u32> = (0..self.mentions.len() as u32).collect();
        v.sort_by_key(|&i| self.mentions[i as usize].start);
        self.by_start = v;
    }

    /// The entity `e`.
    pub fn entity(&self, e: EntityIdx) -> &Entity {
        &self.entities[e.get()]
    }

    /// The mention `m`.
    pub fn mention(&self, m: MentionIdx) -> &Mention {
        &self.mentions[m.get()]
    }

    /// The mention a capture stands for: the one spanning tokens `[s, e)`
    /// exactly, else the longest inside it (people first). Offices and
    /// events count only when asked for (`want`).
    pub fn mention_in(&self, s: u32, e: u32, want: Option<EntityType>) -> Option<MentionIdx> {
        let mut best: Option<(usize, (bool, bool, u32))> = None;
        for i in self.mentions_starting_in(s, e) {
            let m = &self.mentions[i];
            if m.end > e || m.entity.is_none() || want.is_some_and(|w| w != m.ty) {
                continue;
            }
            if matches!(m.ty, EntityType::Office | EntityType::Event) && want != Some(m.ty) {
                continue;
            }
            let key = (m.start == s && m.end == e, m.ty == EntityType::Person, m.end - m.start);
            if best.is_none_or(|(_, k)| key > k) {
                best = Some((i, key));
            }
        }
        best.map(|(i, _)| MentionIdx(i as u32))
    }

    /// The entity of the mention [`Ctx::mention_in`] finds.
    pub fn entity_in(&self, s: u32, e: u32, want: Option<EntityType>) -> Option<EntityIdx> {
        self.mention_in(s, e, want).and_then(|m| self.mention(m).entity)
    }

    /// Indices of the mentions that start in tokens `[s, e)`.
    pub fn mentions_starting_in(&self, s: u32, e: u32) -> impl Iterator<Item = usize> + '_ {
        let from = self.by_start.partition_point(|&i| self.mentions[i as usize].start < s);
        self.by_start[from..].iter().map(|&i| i as usize).take_while(move |&i| self.mentions[i].start < e)
    }

    /// Byte span of tokens `[s, e)`.
    pub fn span(&self, s: u32, e: u32) -> (usize, usize) {
        let e = e.max(s + 1);
        (self.toks.tokens[s as usize].span.start, self.toks.tokens[e as usize - 1].span.end)
    }

    /// Byte span of a token range.
    pub fn bytes(&self, t: TokenSpan) -> Span {
        let (s, e) = self.span(t.start, t.end);
        Span::new(s, e)
    }

    /// Byte span of a mention. A sentence-final abbreviation's period ends
    /// the sentence too, so it is left out: "Lear Corp." gives "Lear Corp".
    pub fn mention_span(&self, s: u32, e: u32) -> (usize, usize) {
        let (a, mut b) = self.span(s, e);
        let last = e.max(s + 1) as usize - 1;
        let t = &self.toks.tokens[last];
        let sentence_end = self.toks.sentence_of(last).end == last + 1;
        if t.has(crate::tokens::flag::ABBR) && sentence_end && self.text[..b].ends_with('.') && b - a > 2 {
            b -= 1;
        }
        (a, b)
    }

    /// Text of tokens `[s, e)`.
    pub fn slice(&self, s: u32, e: u32) -> &str {
        let (a, b) = self.span(s, e);
        &self.text[a..b]
    }

    pub fn word(&self, i: usize) -> &str {
        self.toks.text(self.text, i)
    }
}
