//! Stage 10: output. The public result types (serde JSON, both ways) and
//! the readable text form.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::doc::{Ctx, Entity as Ent, Event as Ev, Prov, Quote as Q, Relation as Rel};
use crate::span::Span;
use crate::types::{EntityIdx, EntityType, MentionIdx, MentionKind, QuoteKind, Status, TokenSpan};

/// The result of extracting one document.
///
/// Every span is a half-open byte range into the input (serialized as flat
/// `start`/`end` fields), and every `text` equals the input bytes
/// `[start, end)`. Every item carries `rule`: the rule id or
/// `gazetteer:FILE:LINE` that produced it. The type reads back what it
/// writes:
///
/// ```
/// let doc = gazette::Extractor::new().extract("Russian Foreign Minister Sergei Lavrov spoke.");
/// let json = serde_json::to_string(&doc).unwrap();
/// let back: gazette::Document = serde_json::from_str(&json).unwrap();
/// assert_eq!(back, doc);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Document {
    /// The document date used to normalize dates (`YYYY-MM-DD`), if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// People, organizations, places, offices and groups, with all mentions.
    #[serde(default)]
    pub entities: Vec<Entity>,
    /// Relations between entities (`holds_office`, `candidate_for`, ...).
    #[serde(default)]
    pub relations: Vec<Relation>,
    /// Direct and reported quotes with their speakers.
    #[serde(default)]
    pub quotes: Vec<Quote>,
    /// Events with class, date, place and participants.
    #[serde(default)]
    pub events: Vec<Event>,
    /// Date expressions with normalized values.
    #[serde(default)]
    pub dates: Vec<DateMention>,
}

/// An entity and its mentions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Entity {
    /// Unique id within the document (`E1`, `E2`, ...), in order of first mention.
    pub id: String,
    /// What the entity is (JSON field `type`).
    #[serde(rename = "type")]
    pub kind: EntityType,
    /// Canonical name: the gazetteer's canonical form, else the longest name mention.
    pub name: String,
    /// Every mention, in text order.
    pub mentions: Vec<Mention>,
}

/// One mention of an entity or event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Mention {
    /// Byte span in the input.
    #[serde(flatten)]
    pub span: Span,
    /// The input text at `span`.
    pub text: String,
    /// How it refers: name, demonym, nominal or pronoun.
    pub kind: MentionKind,
    /// Rule id or gazetteer entry that produced it.
    pub rule: String,
}

/// A relation: `subject — office — object`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Relation {
    /// `holds_office`, `candidate_for`, `affiliated_with`, ... (rules may add their own).
    pub predicate: String,
    /// Entity id of the subject.
    pub subject: String,
    /// Canonical office name, for office relations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office: Option<String>,
    /// Entity id of the object, if any (none when the text names no place or body).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// The standing of the fact (`former`, `acting`, ...); absent for a current office.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// Byte span of the evidence.
    #[serde(flatten)]
    pub span: Span,
    /// The evidence text.
    pub text: String,
    /// Rule id.
    pub rule: String,
}

/// A span of text with its bytes: a quote part, a speaker mention.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Part {
    /// Byte span in the input.
    #[serde(flatten)]
    pub span: Span,
    /// The input text at `span`.
    pub text: String,
}

/// A quote.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Quote {
    /// Direct (inside quotation marks), indirect (reported speech) or mixed
    /// (a reported clause with a quoted fragment inside).
    pub kind: QuoteKind,
    /// Byte span of the content (for direct quotes, just inside the marks;
    /// for a split quote, from the first part's start to the last part's end).
    #[serde(flatten)]
    pub span: Span,
    /// The content at `span`.
    pub text: String,
    /// The parts of a quote split by its attribution (absent when one part).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Part>,
    /// Entity id of the speaker, if known.
    pub speaker: Option<String>,
    /// Where the words naming the speaker entity are here ("he", "the
    /// Russian", "Lavrov"); absent when `speaker` is null.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker_mention: Option<Part>,
    /// The words naming the speaker here; set also when `speaker` is null
    /// for an unnamed source ("a spokeswoman", "officials").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker_text: Option<String>,
    /// Where `speaker_text` is, when `speaker` is null (an unnamed source).
    ///
    /// Why not `speaker_mention`: the shared quote scorer
    /// (`score_quotes.py`, rule 5c) fails with a `TypeError` on a null
    /// speaker that has a `speaker_mention`, so an unnamed source's span
    /// has a field of its own until the scorer is fixed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker_text_span: Option<Part>,
    /// The canonical name of the office the speaker holds, when the text says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker_office: Option<String>,
    /// The speech verb or phrase.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cue: Option<String>,
    /// Where the cue is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cue_span: Option<Part>,
    /// Rule id.
    pub rule: String,
}

/// An event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Event {
    /// Unique id within the document (`V1`, ...).
    pub id: String,
    /// Event class: `election`, `war`, `news conference`, ... (JSON field `type`).
    #[serde(rename = "type")]
    pub kind: String,
    /// A name for the event (its longest mention).
    pub name: String,
    /// Normalized date (ISO 8601), if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Entity id of the place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// Entity ids of participants.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub participants: Vec<String>,
    /// Mentions of the event.
    pub mentions: Vec<Mention>,
    /// Rule or gazetteer entry of its first mention.
    pub rule: String,
}

/// A date expression.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DateMention {
    /// Byte span in the input.
    #[serde(flatten)]
    pub span: Span,
    /// The input text at `span`.
    pub text: String,
    /// ISO 8601 value (`2018-10-07`, `2018-10`, `1992/1995`, `199X`), if resolvable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
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

fn part(ctx: &Ctx, span: Span) -> Part {
    Part { span, text: ctx.text[span.range()].to_string() }
}

/// What the later stages found, handed to [`build`].
pub(crate) struct Found {
    pub relations: Vec<Rel>,
    pub quotes: Vec<Q>,
    pub events: Vec<Ev>,
}

/// Builds the public document from the resolved document and the later
/// stages' results.
pub(crate) fn build(ctx: &Ctx, found: &Found) -> Document {
    let ids = entity_ids(ctx);
    let id = |e: EntityIdx| ids[e.get()].clone();
    let mut doc = Document { date: ctx.doc_date.map(|d| d.to_string()), ..Default::default() };
    doc.entities = entities(ctx, &ids);
    doc.relations = found.relations.iter().map(|r| relation(ctx, r, &id)).collect();
    doc.quotes = found.quotes.iter().filter_map(|q| quote(ctx, q, &found.relations, &id)).collect();
    doc.events = found.events.iter().enumerate().map(|(n, ev)| event(ctx, n, ev, &id)).collect();
    doc.dates = ctx
        .dates
        .iter()
        .map(|d| {
            let span = ctx.bytes(TokenSpan::new(d.start, d.end));
            DateMention {
                span,
                text: ctx.text[span.range()].to_string(),
                value: d.value.clone(),
                rule: d.rule.to_string(),
            }
        })
        .collect();
    doc
}

/// Output ids (`E1`, ...) by entity index, in order of first mention;
/// events are listed separately and get none.
fn entity_ids(ctx: &Ctx) -> Vec<String> {
    let mut ids = vec![String::new(); ctx.entities.len()];
    for (n, &k) in entity_order(ctx).iter().enumerate() {
        ids[k] = format!("E{}", n + 1);
    }
    ids
}

fn entity_order(ctx: &Ctx) -> Vec<usize> {
    let mut order: Vec<usize> = (0..ctx.entities.len()).filter(|&k| ctx.entities[k].ty != EntityType::Event).collect();
    let first = |k: usize| ctx.entities[k].mentions.iter().map(|&m| ctx.mention(m).start).min().unwrap_or(0);
    order.sort_by_key(|&k| (first(k), k));
    order
}

fn mention(ctx: &Ctx, mi: MentionIdx) -> Mention {
    let m = ctx.mention(mi);
    let (s, e) = ctx.mention_span(m.start, m.end);
    Mention { span: Span::new(s, e), text: ctx.text[s..e].to_string(), kind: m.kind, rule: prov(ctx, m.prov) }
}

fn entities(ctx: &Ctx, ids: &[String]) -> Vec<Entity> {
    entity_order(ctx)
        .into_iter()
        .map(|k| {
            let e: &Ent = &ctx.entities[k];
            let mut ms = e.mentions.clone();
            let key = |m: &MentionIdx| (ctx.mention(*m).start, ctx.mention(*m).end);
            ms.sort_by_key(key);
            ms.dedup_by_key(|m| key(m));
            Entity {
                id: ids[k].clone(),
                kind: e.ty,
                name: e.name.clone(),
                mentions: ms.into_iter().map(|m| mention(ctx, m)).collect(),
            }
        })
        .collect()
}

fn relation(ctx: &Ctx, r: &Rel, id: &dyn Fn(EntityIdx) -> String) -> Relation {
    let span = ctx.bytes(r.evidence);
    Relation {
        predicate: r.predicate.clone(),
        subject: id(r.subject),
        office: r.office.clone(),
        object: r.object.map(id),
        status: r.status,
        span,
        text: ctx.text[span.range()].to_string(),
        rule: prov(ctx, r.prov),
    }
}

fn quote(ctx: &Ctx, q: &Q, rels: &[Rel], id: &dyn Fn(EntityIdx) -> String) -> Option<Quote> {
    let (f, l) = (q.parts.first()?, q.parts.last()?);
    let span = Span::new(f.start, l.end);
    // The office the speaker holds: the last one the text gives before the
    // quote, else the first after it.
    let speaker_office = q.speaker.and_then(|who| {
        let at = |r: &&Rel| ctx.bytes(r.evidence).start;
        let held = || rels.iter().filter(|r| r.subject == who && r.predicate == "holds_office");
        held()
            .filter(|r| at(r) < f.start)
            .max_by_key(at)
            .or_else(|| held().min_by_key(at))
            .and_then(|r| r.office.clone())
    });
    // The words naming the speaker: the rule's capture, else the mention.
    let who = q.speaker_span.or_else(|| {
        let m = ctx.mention(q.speaker_mention?);
        Some(ctx.bytes(TokenSpan::new(m.start, m.end)))
    });
    Some(Quote {
        kind: q.kind,
        span,
        text: ctx.text[span.range()].to_string(),
        parts: if q.parts.len() > 1 { q.parts.iter().map(|&p| part(ctx, p)).collect() } else { vec![] },
        speaker: q.speaker.map(id),
        speaker_mention: who.filter(|_| q.speaker.is_some()).map(|s| part(ctx, s)),
        speaker_text: who.map(|s| ctx.text[s.range()].to_string()),
        speaker_text_span: who.filter(|_| q.speaker.is_none()).map(|s| part(ctx, s)),
        speaker_office,
        cue: q.cue.map(|c| ctx.slice(c.start, c.end).to_string()),
        cue_span: q.cue.map(|c| part(ctx, ctx.bytes(c))),
        rule: prov(ctx, q.prov),
    })
}

fn event(ctx: &Ctx, n: usize, ev: &Ev, id: &dyn Fn(EntityIdx) -> String) -> Event {
    let mentions: Vec<Mention> = ev.mentions.iter().map(|&m| mention(ctx, m)).collect();
    let name = mentions
        .iter()
        .max_by_key(|m| (m.text.split_whitespace().count(), std::cmp::Reverse(m.span.start)))
        .map_or_else(String::new, |m| m.text.clone());
    Event {
        id: format!("V{}", n + 1),
        kind: ev.class.clone(),
        name,
        date: ev.date.and_then(|d| ctx.dates[d].value.clone()),
        place: ev.place.map(id),
        participants: ev.participants.iter().map(|&p| id(p)).collect(),
        mentions,
        rule: prov(ctx, ev.prov),
    }
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

/// The readable text form: entities, relations, quotes, events and dates,
/// each section only when it has items.
///
/// ```
/// let doc = gazette::Extractor::new().extract("Russian Foreign Minister Sergei Lavrov met students on Friday.");
/// let text = doc.to_string();
/// assert!(text.contains("Sergei Lavrov \u{2014} Foreign Minister \u{2014} Russia"));
/// assert!(text.contains("Friday: not resolved (no document date)"));
/// assert!(!text.contains("Quotes:"));
/// ```
impl fmt::Display for Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(d) = &self.date {
            writeln!(f, "Date: {d}")?;
        }
        let empty = self.entities.is_empty() && self.relations.is_empty() && self.quotes.is_empty();
        if empty && self.events.is_empty() && self.dates.is_empty() {
            return writeln!(f, "Nothing found.");
        }
        self.fmt_entities(f)?;
        self.fmt_relations(f)?;
        self.fmt_quotes(f)?;
        self.fmt_events(f)?;
        self.fmt_dates(f)
    }
}

impl Document {
    fn fmt_entities(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.entities.is_empty() {
            writeln!(f, "Entities:")?;
        }
        for e in &self.entities {
            let mut forms: Vec<&str> = Vec::new();
            for m in &e.mentions {
                if !forms.contains(&m.text.as_str()) {
                    forms.push(&m.text);
                }
            }
            let kind = e.kind.to_string();
            writeln!(f, "  {:4} {:13} {}  [{}x: {}]", e.id, kind, e.name, e.mentions.len(), forms.join(" | "))?;
        }
        Ok(())
    }

    fn fmt_relations(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.relations.is_empty() {
            writeln!(f, "Relations:")?;
        }
        for r in &self.relations {
            let subj = self.name_of(&Some(r.subject.clone()));
            let mut mid = r.office.clone().unwrap_or_else(|| r.predicate.to_string());
            if let Some(st) = r.status {
                mid = format!("{mid} ({})", st.as_str());
            }
            match &r.object {
                Some(_) => {
                    let o = self.name_of(&r.object);
                    writeln!(f, "  {subj} \u{2014} {mid} \u{2014} {o}   ({}, {})", r.predicate, r.rule)?
                }
                None => writeln!(f, "  {subj} \u{2014} {mid}   ({}, {})", r.predicate, r.rule)?,
            }
        }
        Ok(())
    }

    fn fmt_quotes(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.quotes.is_empty() {
            writeln!(f, "Quotes:")?;
        }
        for q in &self.quotes {
            let who = match (&q.speaker, &q.speaker_text) {
                (Some(_), _) => self.name_of(&q.speaker),
                (None, Some(words)) => format!("{words} (unnamed source)"),
                (None, None) => "speaker unknown".to_string(),
            };
            let via = q
                .speaker_mention
                .as_ref()
                .filter(|m| m.text != who)
                .map_or_else(String::new, |m| format!(" (as \"{}\")", m.text));
            let cue = q.cue.as_deref().map_or_else(String::new, |c| format!(" {c}"));
            let text = if q.text.chars().count() > 90 {
                format!("{}...", q.text.chars().take(90).collect::<String>())
            } else {
                q.text.clone()
            };
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            writeln!(f, "  {who}{via}{cue} [{}]: \u{201c}{text}\u{201d}", q.kind)?;
        }
        Ok(())
    }

    fn fmt_events(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.events.is_empty() {
            writeln!(f, "Events:")?;
        }
        for e in &self.events {
            let mut line = format!("  {:4} {:16} {}", e.id, e.kind.to_string(), e.name);
            match &e.date {
                Some(d) => line.push_str(&format!(", {d}")),
                None => line.push_str(", date unknown"),
            }
            if e.place.is_some() {
                line.push_str(&format!(", in {}", self.name_of(&e.place)));
            }
            if !e.participants.is_empty() {
                let who: Vec<String> = e.participants.iter().map(|p| self.name_of(&Some(p.clone()))).collect();
                line.push_str(&format!("; with {}", who.join(", ")));
            }
            writeln!(f, "{line}")?;
        }
        Ok(())
    }

    fn fmt_dates(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.dates.is_empty() {
            writeln!(f, "Dates:")?;
        }
        for d in &self.dates {
            match &d.value {
                Some(v) => writeln!(f, "  {} = {v}", d.text)?,
                None if self.date.is_none() => writeln!(f, "  {}: not resolved (no document date)", d.text)?,
                None => writeln!(f, "  {}: not resolved to a date", d.text)?,
            }
        }
        Ok(())
    }
}
