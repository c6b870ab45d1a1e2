//! Stage 9: output. The public result types (serde JSON) and the readable
//! text form.

use std::fmt;

use serde::Serialize;

use crate::doc::{Ctx, Prov, ty};
use crate::rules::engine::{ENTITY_TYPES, KINDS};

/// The result of extracting one document.
///
/// Every `start`/`end` is a half-open byte offset into the input, and every
/// `text` equals the input bytes `[start, end)`. Every item carries `rule`:
/// the rule id or `gazetteer:FILE:LINE` that produced it.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Document {
    /// The document date used to normalize dates (`YYYY-MM-DD`), if known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// People, organizations, places, offices and groups, with all mentions.
    pub entities: Vec<Entity>,
    /// Relations between entities (`holds_office`, `candidate_for`, ...).
    pub relations: Vec<Relation>,
    /// Direct and reported quotes with their speakers.
    pub quotes: Vec<Quote>,
    /// Events with class, date, place and participants.
    pub events: Vec<Event>,
    /// Date expressions with normalized values.
    pub dates: Vec<DateMention>,
}

/// An entity and its mentions.
#[derive(Clone, Debug, Serialize)]
pub struct Entity {
    /// Unique id within the document (`E1`, `E2`, ...).
    pub id: String,
    /// `person`, `organization`, `place`, `office` or `group`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Canonical name.
    pub name: String,
    /// Every mention, in text order.
    pub mentions: Vec<Mention>,
}

/// One mention of an entity or event.
#[derive(Clone, Debug, Serialize)]
pub struct Mention {
    /// Start byte offset.
    pub start: usize,
    /// End byte offset (exclusive).
    pub end: usize,
    /// The input text `[start, end)`.
    pub text: String,
    /// `name`, `demonym`, `nominal` or `pronoun`.
    pub kind: String,
    /// Rule id or gazetteer entry that produced it.
    pub rule: String,
}

/// A relation: `subject — office — object`.
#[derive(Clone, Debug, Serialize)]
pub struct Relation {
    /// `holds_office`, `candidate_for`, `affiliated_with`, ...
    pub predicate: String,
    /// Entity id of the subject.
    pub subject: String,
    /// Canonical office name, for office relations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub office: Option<String>,
    /// Entity id of the object, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// Start of the evidence.
    pub start: usize,
    /// End of the evidence.
    pub end: usize,
    /// The evidence text.
    pub text: String,
    /// Rule id.
    pub rule: String,
}

/// A span of text.
#[derive(Clone, Debug, Serialize)]
pub struct Part {
    /// Start byte offset.
    pub start: usize,
    /// End byte offset.
    pub end: usize,
    /// The text.
    pub text: String,
}

/// A quote.
#[derive(Clone, Debug, Serialize)]
pub struct Quote {
    /// `direct` (inside quotation marks) or `indirect` (reported speech).
    pub kind: String,
    /// Start of the content (for direct quotes, just inside the marks).
    pub start: usize,
    /// End of the content.
    pub end: usize,
    /// The content, from the first part's start to the last part's end.
    pub text: String,
    /// The parts of a quote split by its attribution (absent when one part).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Part>,
    /// Entity id of the speaker.
    pub speaker: Option<String>,
    /// The words naming the speaker here ("he", "the Russian", "Lavrov").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speaker_mention: Option<Part>,
    /// The speech verb or phrase.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cue: Option<String>,
    /// Rule id.
    pub rule: String,
}

/// An event.
#[derive(Clone, Debug, Serialize)]
pub struct Event {
    /// Unique id within the document (`V1`, ...).
    pub id: String,
    /// Event class: `election`, `war`, `news conference`, ...
    #[serde(rename = "type")]
    pub kind: String,
    /// A name for the event (its longest mention).
    pub name: String,
    /// Normalized date, if known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Entity id of the place.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// Entity ids of participants.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub participants: Vec<String>,
    /// Mentions of the event.
    pub mentions: Vec<Mention>,
    /// Rule or gazetteer entry of its first mention.
    pub rule: String,
}

/// A date expression.
#[derive(Clone, Debug, Serialize)]
pub struct DateMention {
    /// Start byte offset.
    pub start: usize,
    /// End byte offset.
    pub end: usize,
    /// The text.
    pub text: String,
    /// ISO 8601 value (`2018-10-07`, `2018-10`, `1992/1995`, `199X`), if resolvable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Rule id.
    pub rule: String,
}

fn prov(ctx: &Ctx, p: Prov) -> String {
    match p {
        Prov::Gaz(e) => ctx.model.gaz.provenance(e),
        Prov::Rule(r) => ctx.model.rules[r as usize].def.id.clone(),
        Prov::Builtin(s) => s.to_string(),
    }
}

fn part(ctx: &Ctx, s: usize, e: usize) -> Part {
    Part { start: s, end: e, text: ctx.text[s..e].to_string() }
}

/// Builds the public document from the pipeline's state.
pub(crate) fn build(ctx: &Ctx) -> Document {
    let mut doc = Document { date: ctx.doc_date.map(|d| d.to_string()), ..Default::default() };
    // Entity ids in order of first mention; events are listed separately.
    let mut ids = vec![String::new(); ctx.entities.len()];
    let mut order: Vec<usize> = (0..ctx.entities.len()).filter(|&k| ctx.entities[k].ty != ty::EVENT).collect();
    let first = |k: usize| ctx.entities[k].mentions.iter().map(|&m| ctx.mentions[m as usize].start).min().unwrap_or(0);
    order.sort_by_key(|&k| (first(k), k));
    let mention = |mi: u32| {
        let m = &ctx.mentions[mi as usize];
        let (s, e) = ctx.mention_span(m.start, m.end);
        Mention {
            start: s,
            end: e,
            text: ctx.text[s..e].to_string(),
            kind: KINDS[m.kind as usize].to_string(),
            rule: prov(ctx, m.prov),
        }
    };
    for (n, &k) in order.iter().enumerate() {
        let e = &ctx.entities[k];
        ids[k] = format!("E{}", n + 1);
        let mut ms: Vec<u32> = e.mentions.clone();
        ms.sort_by_key(|&m| (ctx.mentions[m as usize].start, ctx.mentions[m as usize].end));
        ms.dedup_by_key(|m| (ctx.mentions[*m as usize].start, ctx.mentions[*m as usize].end));
        doc.entities.push(Entity {
            id: ids[k].clone(),
            kind: ENTITY_TYPES[e.ty as usize].to_string(),
            name: e.name.clone(),
            mentions: ms.into_iter().map(mention).collect(),
        });
    }
    for r in &ctx.relations {
        let (s, e) = ctx.span(r.start, r.end);
        doc.relations.push(Relation {
            predicate: r.predicate.clone(),
            subject: ids[r.subject as usize].clone(),
            office: r.office.clone(),
            object: r.object.map(|o| ids[o as usize].clone()),
            start: s,
            end: e,
            text: ctx.text[s..e].to_string(),
            rule: prov(ctx, r.prov),
        });
    }
    for q in &ctx.quotes {
        let (Some(f), Some(l)) = (q.parts.first(), q.parts.last()) else {
            continue;
        };
        doc.quotes.push(Quote {
            kind: if q.direct { "direct" } else { "indirect" }.to_string(),
            start: f.0,
            end: l.1,
            text: ctx.text[f.0..l.1].to_string(),
            parts: if q.parts.len() > 1 { q.parts.iter().map(|&(s, e)| part(ctx, s, e)).collect() } else { vec![] },
            speaker: q.speaker.map(|s| ids[s as usize].clone()),
            speaker_mention: q.speaker_mention.map(|m| {
                let m = &ctx.mentions[m as usize];
                let (s, e) = ctx.span(m.start, m.end);
                part(ctx, s, e)
            }),
            cue: q.cue.map(|(s, e)| ctx.slice(s, e).to_string()),
            rule: prov(ctx, q.prov),
        });
    }
    for (n, ev) in ctx.events.iter().enumerate() {
        let mentions: Vec<Mention> = ev.mentions.iter().map(|&m| mention(m)).collect();
        let name = mentions
            .iter()
            .max_by_key(|m| (m.text.split_whitespace().count(), std::cmp::Reverse(m.start)))
            .map_or_else(String::new, |m| m.text.clone());
        doc.events.push(Event {
            id: format!("V{}", n + 1),
            kind: ev.class.clone(),
            name,
            date: ev.date.and_then(|d| ctx.dates[d].value.clone()),
            place: ev.place.map(|p| ids[p as usize].clone()),
            participants: ev.participants.iter().map(|&p| ids[p as usize].clone()).collect(),
            mentions,
            rule: prov(ctx, ev.prov),
        });
    }
    for d in &ctx.dates {
        let (s, e) = ctx.span(d.start, d.end);
        doc.dates.push(DateMention {
            start: s,
            end: e,
            text: ctx.text[s..e].to_string(),
            value: d.value.clone(),
            rule: d.rule.to_string(),
        });
    }
    doc
}

impl Document {
    /// The entity with id `id`.
    pub fn entity(&self, id: &str) -> Option<&Entity> {
        self.entities.iter().find(|e| e.id == id)
    }

    fn name_of(&self, id: &Option<String>) -> String {
        id.as_deref().and_then(|i| self.entity(i)).map_or_else(|| "?".to_string(), |e| e.name.clone())
    }
}

/// The readable text form: entities, relations, quotes, events, dates.
impl fmt::Display for Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(d) = &self.date {
            writeln!(f, "Date: {d}")?;
        }
        writeln!(f, "Entities:")?;
        for e in &self.entities {
            let mut forms: Vec<&str> = Vec::new();
            for m in &e.mentions {
                if !forms.contains(&m.text.as_str()) {
                    forms.push(&m.text);
                }
            }
            writeln!(f, "  {:4} {:13} {}  [{}x: {}]", e.id, e.kind, e.name, e.mentions.len(), forms.join(" | "))?;
        }
        writeln!(f, "Relations:")?;
        for r in &self.relations {
            let subj = self.name_of(&Some(r.subject.clone()));
            let obj = r.object.as_ref().map(|_| self.name_of(&r.object));
            let mid = r.office.clone().unwrap_or_else(|| r.predicate.clone());
            match obj {
                Some(o) => writeln!(f, "  {subj} \u{2014} {mid} \u{2014} {o}   ({}, {})", r.predicate, r.rule)?,
                None => writeln!(f, "  {subj} \u{2014} {mid}   ({}, {})", r.predicate, r.rule)?,
            }
        }
        writeln!(f, "Quotes:")?;
        for q in &self.quotes {
            let who = q.speaker.as_ref().map_or_else(|| "(unknown)".to_string(), |_| self.name_of(&q.speaker));
            let via = q
                .speaker_mention
                .as_ref()
                .filter(|m| m.text != who)
                .map_or_else(String::new, |m| format!(" (as \"{}\")", m.text));
            let text = if q.text.chars().count() > 90 {
                format!("{}...", q.text.chars().take(90).collect::<String>())
            } else {
                q.text.clone()
            };
            writeln!(
                f,
                "  {who}{via} {} [{}]: \u{201c}{}\u{201d}",
                q.cue.as_deref().unwrap_or("-"),
                q.kind,
                text.replace('\n', " ")
            )?;
        }
        writeln!(f, "Events:")?;
        for e in &self.events {
            let place = e.place.as_ref().map(|_| self.name_of(&e.place)).unwrap_or_default();
            let who: Vec<String> = e.participants.iter().map(|p| self.name_of(&Some(p.clone()))).collect();
            writeln!(
                f,
                "  {:4} {:16} {}  date={} place={} participants={}",
                e.id,
                e.kind,
                e.name,
                e.date.as_deref().unwrap_or("-"),
                if place.is_empty() { "-" } else { &place },
                if who.is_empty() { "-".to_string() } else { who.join(", ") }
            )?;
        }
        writeln!(f, "Dates:")?;
        for d in &self.dates {
            writeln!(f, "  {} = {}", d.text, d.value.as_deref().unwrap_or("?"))?;
        }
        Ok(())
    }
}
