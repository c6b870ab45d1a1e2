//! The internal document model shared by the pipeline stages. Each stage
//! fills its own fields and reads only those of the stages before it.

use crate::dates::{self, Date};
use crate::gazetteer::Hit;
use crate::model::Model;
use crate::tokens::Tokens;

/// Entity-layer types (index = `Mention::ty`), as in `rules::engine::ENTITY_TYPES`.
pub(crate) mod ty {
    pub const PERSON: u8 = 0;
    pub const ORGANIZATION: u8 = 1;
    pub const PLACE: u8 = 2;
    pub const OFFICE: u8 = 3;
    pub const GROUP: u8 = 4;
    pub const EVENT: u8 = 5;
    pub const DATE: u8 = 6;
    pub const QUOTE: u8 = 7;
}

/// Mention kinds (index = `Mention::kind`).
pub(crate) mod kind {
    pub const NAME: u8 = 0;
    pub const DEMONYM: u8 = 1;
    pub const NOMINAL: u8 = 2;
    pub const PRONOUN: u8 = 3;
}

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

/// A mention: tokens `[start, end)` of one type.
#[derive(Clone, Debug)]
pub(crate) struct Mention {
    pub start: u32,
    pub end: u32,
    pub ty: u8,
    pub kind: u8,
    /// Canonical name from the gazetteer, if any.
    pub canonical: Option<Box<str>>,
    pub prov: Prov,
    pub priority: i32,
    /// Entity index, set by the entity stage.
    pub entity: u32,
    /// Event class (for event mentions).
    pub class: Option<Box<str>>,
}

/// An entity: mentions that refer to one thing.
#[derive(Clone, Debug)]
pub(crate) struct Entity {
    pub ty: u8,
    pub name: String,
    pub mentions: Vec<u32>,
    /// 'm', 'f' or '?' for persons.
    pub gender: char,
    /// Country/place an office-holder is tied to by a demonym before the name.
    pub affiliation: Option<u32>,
    /// The office named right before a person's name ("Foreign Minister Ivica Dacic").
    pub office: Option<u32>,
}

/// A relation between entities.
#[derive(Clone, Debug)]
pub(crate) struct Relation {
    pub predicate: String,
    pub subject: u32,
    pub office: Option<String>,
    pub object: Option<u32>,
    pub start: u32,
    pub end: u32,
    pub prov: Prov,
}

/// A quote (direct or reported).
#[derive(Clone, Debug)]
pub(crate) struct Quote {
    pub direct: bool,
    /// Byte spans of the content (several for a quote split by its attribution).
    pub parts: Vec<(usize, usize)>,
    pub speaker: Option<u32>,
    /// The mention that names the speaker here (a pronoun, a nominal, a name).
    pub speaker_mention: Option<u32>,
    pub cue: Option<(u32, u32)>,
    pub prov: Prov,
}

/// An event: its mentions and attributes.
#[derive(Clone, Debug)]
pub(crate) struct Event {
    pub class: String,
    pub mentions: Vec<u32>,
    pub place: Option<u32>,
    pub date: Option<usize>,
    pub participants: Vec<u32>,
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
    pub mentions: Vec<Mention>,
    pub entities: Vec<Entity>,
    pub relations: Vec<Relation>,
    pub quotes: Vec<Quote>,
    pub events: Vec<Event>,
    /// Mention indices sorted by start token (built after the entity stage).
    pub by_start: Vec<u32>,
}

impl Ctx<'_> {
    /// Rebuilds `by_start` after mentions were added.
    pub fn index_mentions(&mut self) {
        let mut v: Vec<u32> = (0..self.mentions.len() as u32).collect();
        v.sort_by_key(|&i| self.mentions[i as usize].start);
        self.by_start = v;
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
