//! Scoring extraction against hand annotations (what spaCy's `Scorer` is
//! to spaCy), used by `gazette eval` and the fixture tests.
//!
//! Two kinds of gold are read:
//! - **document gold** ([`GoldDoc`]: entities by name and aliases,
//!   relations, quotes, dates; the `*.gold.json` fixtures, or one object per
//!   line of a JSONL file joined to its text by `id`), scored by names with
//!   [`Scorer::score_doc`], by the same rules as `tools/score.py doc`;
//! - **span gold** ([`SpanDoc`]: the text with typed byte spans, from JSONL
//!   or a CoNLL-2003 column file), scored by exact span and leniently (same
//!   type, inside the gold phrase, containing its head word) with
//!   [`SpanScorer`].
//!
//! ```
//! use gazette::eval::{GoldDoc, Scorer};
//! let gold: GoldDoc = serde_json::from_str(r#"{"entities":[
//!     {"type":"person","name":"Ivica Dacic","aliases":["Dacic"]},
//!     {"type":"place","name":"Serbia"}],
//!   "relations":[{"subject":"Ivica Dacic","predicate":"holds_office",
//!     "office":"Foreign Minister","object":"Serbia"}]}"#).unwrap();
//! let doc = gazette::Extractor::new().extract("Serbian Foreign Minister Ivica Dacic spoke.");
//! let mut scorer = Scorer::new();
//! let score = scorer.score_doc(&gold, &doc);
//! assert_eq!((score.entities_found, score.relations_found), (2, 1));
//! let person = &scorer.totals().entities["person"];
//! assert_eq!((person.tp, person.fn_), (1, 0));
//! assert_eq!(scorer.totals().relations["holds_office"].f1(), 1.0);
//! ```
//!
//! Every spurious item and wrong speaker names the rule or gazetteer entry
//! that produced it (`[rule]` at the end of its description).

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::{Document, Entity, Quote, Relation};

/// Normalizes a name for comparison: lower case, no leading "the", no
/// apostrophes, trimmed punctuation (`norm` of `score.py`).
fn norm(s: &str) -> String {
    let lower = s.trim().to_lowercase();
    let lower = lower.strip_prefix("the ").unwrap_or(&lower);
    let mut out = String::with_capacity(lower.len());
    let mut space = false;
    for c in lower.chars() {
        if c.is_whitespace() || c == '\'' || c == '\u{2019}' {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out.trim_matches(|c| c == ' ' || c == '.' || c == ',').to_string()
}

/// Office names compare case-, hyphen- and gender-insensitively
/// ("Director-General" = "director general", "spokesman" = "spokesperson").
fn norm_office(s: &str) -> String {
    let n = norm(s);
    let n: String =
        n.chars().map(|c| if c == '-' || ('\u{2010}'..='\u{2015}').contains(&c) { ' ' } else { c }).collect();
    n.split_whitespace()
        .map(|w| match w {
            "spokesman" | "spokeswoman" => "spokesperson",
            w => w,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A gold entity of the document format.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GoldEntity {
    /// person, organization, place, office, group, event or date.
    #[serde(rename = "type")]
    pub kind: String,
    /// Canonical name (the ISO 8601 value for dates).
    pub name: String,
    /// Other surface forms.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Neither a miss when absent nor false when present.
    #[serde(default)]
    pub optional: bool,
}

/// Where a gold relation is stated: an exact substring of the article, or
/// its `[start, end]` byte offsets.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(untagged)]
pub enum Evidence {
    /// The words of the article that state the fact.
    Text(String),
    /// Half-open byte offsets `[start, end]` into the article.
    Span([usize; 2]),
}

/// A gold relation.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GoldRelation {
    /// Subject name.
    pub subject: String,
    /// Predicate (`holds_office`, `member_of`, ...).
    pub predicate: String,
    /// Office, for office relations.
    #[serde(default)]
    pub office: Option<String>,
    /// Object name; `null` (or absent) when the text names none, and then
    /// only an output relation without an object matches.
    #[serde(default)]
    pub object: Option<String>,
    /// `former`, `acting`, `elect`, ... when the text says so; scored as
    /// right/total over the relations found.
    #[serde(default)]
    pub status: Option<String>,
    /// Other readings that count as right (their fields override these).
    #[serde(default)]
    pub alternatives: Vec<serde_json::Map<String, serde_json::Value>>,
    /// Neither a miss when absent nor false when present.
    #[serde(default)]
    pub optional: bool,
    /// Where the article states it, if given.
    #[serde(default)]
    pub evidence: Option<Evidence>,
}

/// A gold quote.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GoldQuote {
    /// `direct` or `indirect`.
    pub kind: String,
    /// The content (for direct quotes, what stands inside the marks).
    pub text: String,
    /// Speaker's canonical name, or null for unnamed sources.
    #[serde(default)]
    pub speaker: Option<String>,
    /// Neither a miss when absent nor false when present.
    #[serde(default)]
    pub optional: bool,
}

/// One annotated document: a `*.gold.json` file, or one line of a gold
/// JSONL file (then `id` joins it to its text).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GoldDoc {
    /// Document id (a string or a number in JSONL).
    #[serde(default, deserialize_with = "id_string")]
    pub id: String,
    /// The article file, relative to the gold file (`*.gold.json` only).
    #[serde(default)]
    pub file: String,
    /// Document date (`YYYY-MM-DD`), passed to the extractor.
    #[serde(default)]
    pub document_date: Option<String>,
    /// Entities (and dates, as entities of type `date`).
    #[serde(default)]
    pub entities: Vec<GoldEntity>,
    /// Relations.
    #[serde(default)]
    pub relations: Vec<GoldRelation>,
    /// Quotes.
    #[serde(default)]
    pub quotes: Vec<GoldQuote>,
}

fn id_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => s,
        serde_json::Value::Null => String::new(),
        v => v.to_string(),
    })
}

/// True-positive, false-positive and false-negative counts, with the
/// derived precision, recall and F1 (0 when undefined).
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Counts {
    /// Gold items found.
    pub tp: usize,
    /// Output items matching no gold item.
    pub fp: usize,
    /// Gold items not found.
    #[serde(rename = "fn")]
    pub fn_: usize,
}

impl Counts {
    /// `tp / (tp + fp)`.
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    /// `tp / (tp + fn)`.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    /// The harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 }
    }
    fn add(&mut self, o: &Counts) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b > 0 { a as f64 / b as f64 } else { 0.0 }
}

/// A count of right answers among those that could be judged.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Accuracy {
    /// Right.
    pub right: usize,
    /// Judged.
    pub total: usize,
}

impl Accuracy {
    /// `right / total` (0 when nothing was judged).
    pub fn ratio(&self) -> f64 {
        ratio(self.right, self.total)
    }
}

/// Per-type counts of document-gold scoring, for one document or summed
/// over many ([`Scorer::totals`]).
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct Totals {
    /// Entities by gold type (`person`, `place`, ..., `event`); false
    /// positives are spurious person/place/organization entities.
    pub entities: BTreeMap<String, Counts>,
    /// Relations by predicate.
    pub relations: BTreeMap<String, Counts>,
    /// Relations found whose gold gives a `status`: how many have it right.
    pub status: Accuracy,
    /// Quotes by kind (`direct`, `indirect`).
    pub quotes: BTreeMap<String, Counts>,
    /// Quotes found, by kind: how many have the right speaker.
    pub speakers: BTreeMap<String, Accuracy>,
    /// Dates (false positives counted only where the gold annotates dates).
    pub dates: Counts,
}

impl Totals {
    fn add(&mut self, o: &Totals) {
        for (mine, theirs) in [(&mut self.entities, &o.entities), (&mut self.relations, &o.relations)] {
            for (k, c) in theirs {
                mine.entry(k.clone()).or_default().add(c);
            }
        }
        for (k, c) in &o.quotes {
            self.quotes.entry(k.clone()).or_default().add(c);
        }
        for (k, a) in &o.speakers {
            let s = self.speakers.entry(k.clone()).or_default();
            s.right += a.right;
            s.total += a.total;
        }
        self.status.right += o.status.right;
        self.status.total += o.status.total;
        self.dates.add(&o.dates);
    }

    /// Micro-averaged counts over all entity types.
    pub fn entities_all(&self) -> Counts {
        sum(self.entities.values())
    }
    /// Micro-averaged counts over all predicates.
    pub fn relations_all(&self) -> Counts {
        sum(self.relations.values())
    }
    /// Micro-averaged counts over both quote kinds.
    pub fn quotes_all(&self) -> Counts {
        sum(self.quotes.values())
    }
}

fn sum<'a>(it: impl Iterator<Item = &'a Counts>) -> Counts {
    let mut t = Counts::default();
    it.for_each(|c| t.add(c));
    t
}

/// Which output items of a document are errors, by id or index, for
/// showing them in place (the HTML view of `gazette eval --html`).
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct Flagged {
    /// Ids of spurious entities.
    pub entities: Vec<String>,
    /// Indexes into `Document::relations` of false relations.
    pub relations: Vec<usize>,
    /// Indexes into `Document::quotes` of false quotes.
    pub quotes: Vec<usize>,
    /// Indexes into `Document::quotes` of quotes with a wrong speaker.
    pub wrong_speakers: Vec<usize>,
}

/// Counts and itemized errors for one document.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct DocScore {
    /// Required entities found.
    pub entities_found: usize,
    /// Required entities.
    pub entities_required: usize,
    /// Required entities not found (`type:name`).
    pub entities_missing: Vec<String>,
    /// Output person/place/organization entities that match no gold name,
    /// each with the rule or entry that made its first mention.
    pub entities_spurious: Vec<String>,
    /// Required relations found.
    pub relations_found: usize,
    /// Required relations.
    pub relations_required: usize,
    /// Required relations not found.
    pub relations_missing: Vec<String>,
    /// Output relations matching no gold relation, with their rule.
    pub relations_false: Vec<String>,
    /// Relations found whose gold has a `status`, with it right.
    #[serde(default)]
    pub status_right: usize,
    /// Relations found whose gold has a `status`.
    #[serde(default)]
    pub status_total: usize,
    /// Required quotes found.
    pub quotes_found: usize,
    /// Of those, with the right speaker.
    pub speakers_right: usize,
    /// Required quotes.
    pub quotes_required: usize,
    /// Missed quotes and wrong speakers (with the rule).
    pub quotes_problems: Vec<String>,
    /// Output quotes matching no gold quote.
    pub quotes_false: Vec<String>,
    /// Required dates found.
    pub dates_found: usize,
    /// Required dates.
    pub dates_required: usize,
    /// Required dates missed.
    pub dates_missing: Vec<String>,
    /// The same, by type.
    #[serde(default)]
    pub totals: Totals,
    /// The output items that are errors.
    #[serde(default)]
    pub flagged: Flagged,
}

/// Scores documents against document gold and sums per-type counts.
///
/// `score_doc` follows `tools/score.py doc` (the shared scorer): an entity
/// is found when an output entity of its type carries its name or an alias;
/// a relation matches on predicate, subject, object (a gold `null` object
/// only matches an output relation without one) and office; an output
/// relation without an object that would match a gold fact with any object
/// is incomplete, not false; a quote matches at >= 60% word coverage.
#[derive(Clone, Debug, Default)]
pub struct Scorer {
    totals: Totals,
    docs: usize,
}

impl Scorer {
    /// An empty scorer.
    pub fn new() -> Scorer {
        Scorer::default()
    }

    /// Scores one document and adds its counts to the totals.
    pub fn score_doc(&mut self, gold: &GoldDoc, doc: &Document) -> DocScore {
        let s = score_doc(gold, doc);
        self.totals.add(&s.totals);
        self.docs += 1;
        s
    }

    /// The counts summed over every document scored so far.
    pub fn totals(&self) -> &Totals {
        &self.totals
    }

    /// How many documents were scored.
    pub fn documents(&self) -> usize {
        self.docs
    }
}

/// The type name of an entity (`person`, ...).
fn ty(e: &Entity) -> String {
    e.kind.to_string()
}

/// The entity's normalized names: its name and its name mentions.
fn ent_names(doc: &Document, id: &str) -> HashSet<String> {
    let mut s = HashSet::new();
    if let Some(e) = doc.entity(id) {
        s.insert(norm(&e.name));
        for m in &e.mentions {
            if m.kind == crate::MentionKind::Name {
                s.insert(norm(&m.text));
            }
        }
    }
    s.remove("");
    s
}

/// The names of an output relation end: none for a missing end.
fn ref_names(doc: &Document, id: Option<&str>) -> HashSet<String> {
    id.map(|i| ent_names(doc, i)).unwrap_or_default()
}

/// All names of the gold entity called `name` (or just `name`).
fn gold_names(name: &str, gold: &GoldDoc) -> HashSet<String> {
    let n = norm(name);
    for g in &gold.entities {
        if norm(&g.name) == n || g.aliases.iter().any(|a| norm(a) == n) {
            let mut s: HashSet<String> = g.aliases.iter().map(|a| norm(a)).collect();
            s.insert(norm(&g.name));
            return s;
        }
    }
    HashSet::from([n])
}

/// Words of a normalized text (`\w+`).
fn words(s: &str) -> HashSet<String> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '_')).filter(|w| !w.is_empty()).map(str::to_string).collect()
}

/// Share of the gold words covered by a candidate that is mostly gold words.
fn cover(gold: &str, cand: &str) -> f64 {
    let g = words(&norm(gold));
    let c = words(&norm(cand));
    let inter = g.intersection(&c).count() as f64;
    if inter / (c.len().max(1) as f64) < 0.3 {
        return 0.0;
    }
    inter / (g.len().max(1) as f64)
}

fn quote_overlap(q: &Quote, gold: &str) -> f64 {
    q.parts.iter().fold(cover(gold, &q.text), |best, p| best.max(cover(gold, &p.text)))
}

/// The relation's `status` (`former`, ...), if the output has one.
fn status_of(r: &Relation) -> Option<String> {
    let v = serde_json::to_value(r).ok()?;
    v.get("status")?.as_str().map(str::to_string)
}

fn short(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

/// Scores one document against its gold annotation (the rules of
/// `tools/score.py doc`; see [`Scorer`]).
pub fn score_doc(gold: &GoldDoc, doc: &Document) -> DocScore {
    let mut s = DocScore::default();
    score_entities(gold, doc, &mut s);
    score_relations(gold, doc, &mut s);
    score_quotes(gold, doc, &mut s);
    s
}

/// Scores the entities and dates: gold ones found or missing, output ones
/// spurious or merging two gold entities.
fn score_entities(gold: &GoldDoc, doc: &Document, s: &mut DocScore) {
    score_required_entities(gold, doc, s);
    score_spurious_entities(gold, doc, s);
    score_merged_entities(gold, doc, s);
}

/// Whether the output date `d` matches the gold entity `g` by value or text.
fn date_matches(g: &GoldEntity, d: &crate::DateMention) -> bool {
    let names: HashSet<String> = g.aliases.iter().map(|a| norm(a)).chain([norm(&g.name)]).collect();
    d.value.as_deref().map(norm) == Some(norm(&g.name)) || names.contains(&norm(&d.text))
}

/// Whether the output holds the gold entity `g` (`event_names`: each output
/// event's normalized names).
fn gold_entity_found(g: &GoldEntity, doc: &Document, event_names: &[HashSet<String>]) -> bool {
    let mut names: HashSet<String> = g.aliases.iter().map(|a| norm(a)).collect();
    names.insert(norm(&g.name));
    match g.kind.as_str() {
        "date" => doc.dates.iter().any(|d| date_matches(g, d)),
        "event" => {
            event_names.iter().any(|n| !n.is_disjoint(&names))
                || doc.entities.iter().any(|e| ty(e) == "event" && !ent_names(doc, &e.id).is_disjoint(&names))
        }
        t => doc.entities.iter().any(|e| ty(e) == t && !ent_names(doc, &e.id).is_disjoint(&names)),
    }
}

/// Counts each required gold entity and date as found or missing, and the
/// output dates no gold date matches (when the document has gold dates).
fn score_required_entities(gold: &GoldDoc, doc: &Document, s: &mut DocScore) {
    let event_names: Vec<HashSet<String>> = doc
        .events
        .iter()
        .map(|e| {
            let mut n: HashSet<String> = e.mentions.iter().map(|m| norm(&m.text)).collect();
            n.insert(norm(&e.name));
            n
        })
        .collect();
    for g in gold.entities.iter().filter(|g| !g.optional) {
        let ok = gold_entity_found(g, doc, &event_names);
        s.entities_required += 1;
        let c = if g.kind == "date" {
            s.dates_required += 1;
            s.dates_found += usize::from(ok);
            if !ok {
                s.dates_missing.push(format!("date:{}", g.name));
            }
            &mut s.totals.dates
        } else {
            s.totals.entities.entry(g.kind.clone()).or_default()
        };
        if ok {
            c.tp += 1;
            s.entities_found += 1;
        } else {
            c.fn_ += 1;
            s.entities_missing.push(format!("{}:{}", g.kind, g.name));
        }
    }
    let gold_dates: Vec<&GoldEntity> = gold.entities.iter().filter(|g| g.kind == "date").collect();
    if !gold_dates.is_empty() {
        s.totals.dates.fp += doc.dates.iter().filter(|d| !gold_dates.iter().any(|g| date_matches(g, d))).count();
    }
}

/// Counts as spurious each output person, place or organization named by no
/// gold entity.
fn score_spurious_entities(gold: &GoldDoc, doc: &Document, s: &mut DocScore) {
    let mut all_gold = HashSet::new();
    for g in &gold.entities {
        all_gold.insert(norm(&g.name));
        all_gold.extend(g.aliases.iter().map(|a| norm(a)));
    }
    for e in &doc.entities {
        let t = ty(e);
        if ["person", "place", "organization"].contains(&t.as_str()) && ent_names(doc, &e.id).is_disjoint(&all_gold) {
            let rule = e.mentions.first().map_or("", |m| m.rule.as_str());
            s.entities_spurious.push(format!("{t}:{} [{rule}]", e.name));
            s.flagged.entities.push(e.id.clone());
            s.totals.entities.entry(t).or_default().fp += 1;
        }
    }
}

/// One output entity carrying the names of two gold entities of its type
/// (two people merged into one) is spurious too, as in score.py.
fn score_merged_entities(gold: &GoldDoc, doc: &Document, s: &mut DocScore) {
    for e in &doc.entities {
        let t = ty(e);
        if !["person", "place", "organization"].contains(&t.as_str()) {
            continue;
        }
        let names = ent_names(doc, &e.id);
        let mut hits: Vec<&str> = gold
            .entities
            .iter()
            .filter(|g| {
                g.kind == t && (names.contains(&norm(&g.name)) || g.aliases.iter().any(|a| names.contains(&norm(a))))
            })
            .map(|g| g.name.as_str())
            .collect();
        hits.sort_unstable();
        hits.dedup();
        if hits.len() >= 2 {
            s.entities_spurious.push(format!("merged:{t}:{}", hits.join(" + ")));
            s.flagged.entities.push(e.id.clone());
            s.totals.entities.entry(t).or_default().fp += 1;
        }
    }
}

/// One reading of a gold relation: subject, object (None: the text names
/// none), office.
type Reading = (String, Option<String>, Option<String>);

fn readings(g: &GoldRelation) -> Vec<Reading> {
    let mut v = vec![(g.subject.clone(), g.object.clone(), g.office.clone())];
    for alt in &g.alternatives {
        let get = |k: &str, d: &Option<String>| match alt.get(k) {
            Some(v) => v.as_str().map(str::to_string),
            None => d.clone(),
        };
        v.push((
            get("subject", &Some(g.subject.clone())).unwrap_or_default(),
            get("object", &g.object),
            get("office", &g.office),
        ));
    }
    v
}

/// Does output relation `r` state gold relation `g`? With `any_object`,
/// the object is not compared.
fn rel_match(gold: &GoldDoc, doc: &Document, g: &GoldRelation, r: &Relation, any_object: bool) -> bool {
    if r.predicate != g.predicate {
        return false;
    }
    let subj = ref_names(doc, Some(&r.subject));
    let obj = ref_names(doc, r.object.as_deref());
    readings(g).iter().any(|(gs, go, goffice)| {
        if subj.is_disjoint(&gold_names(gs, gold)) {
            return false;
        }
        let obj_ok = match go {
            _ if any_object => true,
            None => obj.is_empty(),
            Some(o) => !obj.is_disjoint(&gold_names(o, gold)),
        };
        let office_ok = goffice.as_deref().is_none_or(|go| {
            let ro = norm_office(r.office.as_deref().unwrap_or(""));
            norm_office(go) == ro
                || gold
                    .entities
                    .iter()
                    .filter(|e| norm(&e.name) == norm(go))
                    .any(|e| e.aliases.iter().any(|a| norm_office(a) == ro))
        });
        obj_ok && office_ok
    })
}

fn score_relations(gold: &GoldDoc, doc: &Document, s: &mut DocScore) {
    let mut matched = vec![false; doc.relations.len()];
    for g in &gold.relations {
        let hits: Vec<usize> =
            (0..doc.relations.len()).filter(|&i| rel_match(gold, doc, g, &doc.relations[i], false)).collect();
        for &i in &hits {
            matched[i] = true;
        }
        if g.optional {
            continue;
        }
        s.relations_required += 1;
        let c = s.totals.relations.entry(g.predicate.clone()).or_default();
        if hits.is_empty() {
            c.fn_ += 1;
            s.relations_missing.push(format!(
                "{} | {} | {} | {}",
                g.subject,
                g.predicate,
                g.office.as_deref().unwrap_or(""),
                g.object.as_deref().unwrap_or("(none)")
            ));
            continue;
        }
        c.tp += 1;
        s.relations_found += 1;
        if let Some(want) = &g.status {
            s.status_total += 1;
            let right = hits.iter().any(|&i| status_of(&doc.relations[i]).is_some_and(|st| norm(&st) == norm(want)));
            s.status_right += usize::from(right);
        }
    }
    s.totals.status = Accuracy { right: s.status_right, total: s.status_total };
    let name_of = |id: &str| doc.entity(id).map_or_else(|| id.to_string(), |e| e.name.clone());
    for (i, r) in doc.relations.iter().enumerate() {
        if matched[i] {
            continue;
        }
        // A true fact without its object is incomplete, not false.
        if r.object.as_deref().is_none_or(|o| ref_names(doc, Some(o)).is_empty())
            && gold.relations.iter().any(|g| rel_match(gold, doc, g, r, true))
        {
            continue;
        }
        s.totals.relations.entry(r.predicate.to_string()).or_default().fp += 1;
        s.flagged.relations.push(i);
        s.relations_false.push(format!(
            "{} | {} | {} | {} [{}]",
            name_of(&r.subject),
            r.predicate,
            r.office.as_deref().unwrap_or(""),
            r.object.as_deref().map(name_of).unwrap_or_default(),
            r.rule
        ));
    }
}

fn score_quotes(gold: &GoldDoc, doc: &Document, s: &mut DocScore) {
    let name_of = |id: &str| doc.entity(id).map_or_else(|| id.to_string(), |e| e.name.clone());
    let mut used = vec![false; doc.quotes.len()];
    for g in &gold.quotes {
        if g.optional {
            for (i, q) in doc.quotes.iter().enumerate() {
                used[i] |= quote_overlap(q, &g.text) >= 0.6;
            }
            continue;
        }
        let best = (0..doc.quotes.len())
            .max_by(|&a, &b| quote_overlap(&doc.quotes[a], &g.text).total_cmp(&quote_overlap(&doc.quotes[b], &g.text)));
        let hit = best.filter(|&b| quote_overlap(&doc.quotes[b], &g.text) >= 0.6);
        s.quotes_required += 1;
        let c = s.totals.quotes.entry(g.kind.clone()).or_default();
        let Some(b) = hit else {
            c.fn_ += 1;
            s.quotes_problems.push(format!("missed {}: {}", g.kind, short(&g.text, 50)));
            continue;
        };
        c.tp += 1;
        used[b] = true;
        s.quotes_found += 1;
        let q = &doc.quotes[b];
        let said = ref_names(doc, q.speaker.as_deref());
        let right = match &g.speaker {
            Some(gs) => !said.is_disjoint(&gold_names(gs, gold)),
            None => said.is_empty(),
        };
        let acc = s.totals.speakers.entry(g.kind.clone()).or_default();
        acc.total += 1;
        if right {
            acc.right += 1;
            s.speakers_right += 1;
        } else {
            let who = q.speaker.as_deref().map(name_of).unwrap_or_else(|| "nobody".into());
            s.flagged.wrong_speakers.push(b);
            s.quotes_problems.push(format!(
                "wrong speaker {who} (gold {}): {} [{}]",
                g.speaker.as_deref().unwrap_or("none"),
                short(&g.text, 50),
                q.rule
            ));
        }
    }
    for (i, q) in doc.quotes.iter().enumerate() {
        if !used[i] {
            s.totals.quotes.entry(q.kind.to_string()).or_default().fp += 1;
            s.flagged.quotes.push(i);
            s.quotes_false.push(format!("{} [{}]", short(&q.text, 60), q.rule));
        }
    }
}

/// A gold span mention (span gold formats).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[non_exhaustive]
pub struct SpanMention {
    /// Start byte offset.
    pub start: usize,
    /// End byte offset (exclusive).
    pub end: usize,
    /// Type (`person`, `place`, `organization`, `misc`, ...).
    #[serde(rename = "type")]
    pub kind: String,
    /// Head word (GUM), for lenient scoring.
    #[serde(default)]
    pub head: Option<String>,
}

/// A document with gold spans: `{"id","text","date"?,"mentions":[...]}`.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[non_exhaustive]
pub struct SpanDoc {
    /// Id.
    #[serde(default)]
    pub id: serde_json::Value,
    /// Text.
    pub text: String,
    /// Document date (`YYYY-MM-DD`), if given.
    #[serde(default)]
    pub date: Option<String>,
    /// Gold mentions.
    #[serde(default)]
    pub mentions: Vec<SpanMention>,
}

impl SpanDoc {
    /// The first mention whose span is not a range of the text on
    /// character boundaries, if any (index and mention).
    pub fn bad_mention(&self) -> Option<(usize, &SpanMention)> {
        self.mentions.iter().enumerate().find(|(_, m)| self.text.get(m.start..m.end).is_none())
    }

    /// Reads a CoNLL-2003 column file (`token ... tag`, IOB tags, documents
    /// split at `-DOCSTART-`) into documents with gold spans. Tokens are
    /// joined with single spaces, one sentence per line; ids are `conll-N`.
    ///
    /// ```
    /// let d = gazette::eval::SpanDoc::from_conll("Peter NNP B-NP B-PER\nBlackburn NNP I-NP I-PER\n");
    /// assert_eq!((d[0].text.as_str(), d[0].mentions[0].end), ("Peter Blackburn", 15));
    /// ```
    pub fn from_conll(text: &str) -> Vec<SpanDoc> {
        read_conll(text)
    }
}

/// One span error: a missing gold mention or a spurious output mention.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct SpanError {
    /// Document id.
    pub doc: String,
    /// Type.
    #[serde(rename = "type")]
    pub kind: String,
    /// The mention's text.
    pub text: String,
    /// About 160 characters of its line.
    pub context: String,
    /// The rule or gazetteer entry behind a spurious mention (empty for a
    /// missing one).
    pub rule: String,
}

/// Scores output name mentions against gold spans, summing per-type counts
/// over documents: exact (same span and type) and lenient (same type,
/// inside the gold phrase, containing its head word).
///
/// ```
/// use gazette::eval::{SpanDoc, SpanScorer};
/// let gold = &SpanDoc::from_conll("Sergei NNP B-NP B-PER\nLavrov NNP I-NP I-PER\nspoke VBD B-VP O\n")[0];
/// let mut scorer = SpanScorer::new(&["person"]);
/// scorer.score(gold, &gazette::Extractor::new().extract(&gold.text));
/// assert_eq!(scorer.exact()["person"].tp, 1);
/// ```
#[derive(Clone, Debug, Default)]
pub struct SpanScorer {
    types: Vec<String>,
    exact: BTreeMap<String, Counts>,
    lenient: BTreeMap<String, Counts>,
    missing: Vec<SpanError>,
    spurious: Vec<SpanError>,
}

/// About 160 characters of the line around the byte range `[s, e)` of
/// `text` (80 characters before `s` and 80 from `s`, within the line), tabs
/// as spaces: the context column of error listings. `s` and `e` must be
/// character boundaries with `s <= e`.
///
/// ```
/// let text = "first line\nAna Ruiz met Tom Hale.\nlast line";
/// assert_eq!(gazette::eval::line_context(text, 11, 19), "Ana Ruiz met Tom Hale.");
/// ```
pub fn line_context(text: &str, s: usize, e: usize) -> String {
    let a = text[..s].rfind('\n').map_or(0, |p| p + 1);
    let b = text[e..].find('\n').map_or(text.len(), |p| e + p);
    let before: String = text[a..s].chars().rev().take(80).collect::<Vec<_>>().into_iter().rev().collect();
    let after: String = text[s..b].chars().take(80).collect();
    format!("{before}{after}").replace('\t', " ")
}

impl SpanScorer {
    /// A scorer for mentions of these types.
    pub fn new(types: &[&str]) -> SpanScorer {
        SpanScorer { types: types.iter().map(|t| t.to_string()).collect(), ..Default::default() }
    }

    /// Exact-span counts by type.
    pub fn exact(&self) -> &BTreeMap<String, Counts> {
        &self.exact
    }
    /// Lenient counts by type.
    pub fn lenient(&self) -> &BTreeMap<String, Counts> {
        &self.lenient
    }
    /// Gold mentions not found exactly.
    pub fn missing(&self) -> &[SpanError] {
        &self.missing
    }
    /// Output mentions matching no gold span exactly.
    pub fn spurious(&self) -> &[SpanError] {
        &self.spurious
    }

    /// Scores one document's name mentions (kind `name`) against its gold
    /// spans (mentions outside the text are skipped; see
    /// [`SpanDoc::bad_mention`]).
    pub fn score(&mut self, gold: &SpanDoc, doc: &Document) {
        let id = match &gold.id {
            serde_json::Value::String(s) => s.clone(),
            v => v.to_string(),
        };
        let text = &gold.text;
        let mut pred: Vec<(usize, usize, String, String)> = Vec::new();
        for e in &doc.entities {
            for m in e.mentions.iter().filter(|m| m.kind == crate::MentionKind::Name) {
                if text.get(m.span.range()).is_some() {
                    pred.push((m.span.start, m.span.end, ty(e), m.rule.clone()));
                }
            }
        }
        let valid: Vec<&SpanMention> = gold.mentions.iter().filter(|m| text.get(m.start..m.end).is_some()).collect();
        for t in self.types.clone() {
            let g: HashSet<(usize, usize)> = valid.iter().filter(|m| m.kind == t).map(|m| (m.start, m.end)).collect();
            let p: HashMap<(usize, usize), String> =
                pred.iter().filter(|x| x.2 == t).map(|x| ((x.0, x.1), x.3.clone())).collect();
            let err = |k: &(usize, usize), rule: &str| SpanError {
                doc: id.clone(),
                kind: t.clone(),
                text: text[k.0..k.1].to_string(),
                context: line_context(text, k.0, k.1),
                rule: rule.to_string(),
            };
            let c = self.exact.entry(t.clone()).or_default();
            let mut gs: Vec<&(usize, usize)> = g.iter().collect();
            gs.sort();
            for k in gs {
                if p.contains_key(k) {
                    c.tp += 1;
                } else {
                    c.fn_ += 1;
                    self.missing.push(err(k, ""));
                }
            }
            let mut ps: Vec<(&(usize, usize), &String)> = p.iter().collect();
            ps.sort();
            for (k, rule) in ps {
                if !g.contains(k) {
                    c.fp += 1;
                    self.spurious.push(err(k, rule));
                }
            }
            let gl: Vec<&SpanMention> = valid.iter().copied().filter(|m| m.kind == t).collect();
            let mut pl: Vec<(usize, usize)> = p.keys().copied().collect();
            pl.sort();
            let lc = self.lenient.entry(t.clone()).or_default();
            lc.add(&lenient(text, &gl, &pl));
        }
    }
}

/// Lenient counts: a prediction inside the gold phrase containing its head
/// word, paired greedily.
fn lenient(text: &str, gl: &[&SpanMention], pl: &[(usize, usize)]) -> Counts {
    let mut used = HashSet::new();
    let mut tp = 0;
    for m in gl {
        for (i, &(s, e)) in pl.iter().enumerate() {
            if used.contains(&i) || s < m.start || e > m.end {
                continue;
            }
            if m.head.as_deref().is_none_or(|h| text[s..e].contains(h)) {
                used.insert(i);
                tp += 1;
                break;
            }
        }
    }
    Counts { tp, fp: pl.len() - used.len(), fn_: gl.len() - tp }
}
/// Reads a CoNLL-2003 column file into documents with gold spans.
/// Tokens are joined with single spaces, one sentence per line.
fn read_conll(text: &str) -> Vec<SpanDoc> {
    let mut docs = Vec::new();
    let mut cur = SpanDoc { id: serde_json::Value::Null, text: String::new(), date: None, mentions: vec![] };
    let mut open: Option<(usize, String)> = None;
    let mut line_start = true;
    let close = |cur: &mut SpanDoc, open: &mut Option<(usize, String)>, end: usize| {
        if let Some((s, t)) = open.take() {
            cur.mentions.push(SpanMention { start: s, end, kind: t, head: None });
        }
    };
    let mut last_end = 0;
    for line in text.lines() {
        let cols: Vec<&str> = line.split_whitespace().collect();
        if cols.first() == Some(&"-DOCSTART-") {
            close(&mut cur, &mut open, last_end);
            if !cur.text.is_empty() {
                docs.push(std::mem::replace(
                    &mut cur,
                    SpanDoc { id: serde_json::Value::Null, text: String::new(), date: None, mentions: vec![] },
                ));
            }
            line_start = true;
            continue;
        }
        if cols.is_empty() {
            close(&mut cur, &mut open, last_end);
            if !line_start {
                cur.text.push('\n');
                line_start = true;
            }
            continue;
        }
        let tag = cols.last().copied().unwrap_or("O");
        if !line_start {
            cur.text.push(' ');
        }
        line_start = false;
        let start = cur.text.len();
        cur.text.push_str(cols[0]);
        let end = cur.text.len();
        let (bio, ty) = tag.split_once('-').unwrap_or((tag, ""));
        let ty = match ty {
            "PER" => "person",
            "LOC" => "place",
            "ORG" => "organization",
            "MISC" => "misc",
            _ => "",
        };
        let continues = bio == "I" && open.as_ref().is_some_and(|(_, t)| t == ty);
        if !continues {
            close(&mut cur, &mut open, last_end);
            if !ty.is_empty() {
                open = Some((start, ty.to_string()));
            }
        }
        last_end = end;
    }
    close(&mut cur, &mut open, last_end);
    if !cur.text.is_empty() {
        docs.push(cur);
    }
    for (i, d) in docs.iter_mut().enumerate() {
        d.id = serde_json::Value::String(format!("conll-{}", i + 1));
    }
    docs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalization() {
        assert_eq!(norm("The Balkans"), "balkans");
        assert_eq!(norm("Bosnia's  war."), "bosnia s war");
        assert_eq!(norm("US."), "us");
        assert_eq!(norm_office("Director-General"), "director general");
        assert_eq!(norm_office("Spokeswoman"), "spokesperson");
    }

    #[test]
    fn counts() {
        let c = Counts { tp: 3, fp: 1, fn_: 3 };
        assert_eq!((c.precision(), c.recall()), (0.75, 0.5));
        assert!((c.f1() - 0.6).abs() < 1e-9);
        assert_eq!(Counts::default().f1(), 0.0);
    }

    #[test]
    fn conll_reader() {
        let text = "-DOCSTART- -X- O O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\nGerman JJ B-NP B-MISC\ncall NN I-NP O\n\nPeter NNP B-NP B-PER\nBlackburn NNP I-NP I-PER\n";
        let d = read_conll(text);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].text, "EU rejects German call\nPeter Blackburn");
        let spans: Vec<(&str, &str)> =
            d[0].mentions.iter().map(|m| (&d[0].text[m.start..m.end], m.kind.as_str())).collect();
        assert_eq!(spans, [("EU", "organization"), ("German", "misc"), ("Peter Blackburn", "person")]);
    }

    #[test]
    fn gold_jsonl_line_with_offsets_status_and_null_object() {
        let g: GoldDoc = serde_json::from_str(
            r#"{"id":7,"document_date":"2020-01-02","entities":[],"relations":[
              {"subject":"A","predicate":"holds_office","office":"mayor","object":null,"status":"former","evidence":[3,9]},
              {"subject":"B","predicate":"member_of","object":"C"}]}"#,
        )
        .unwrap();
        assert_eq!(g.id, "7");
        assert_eq!(g.relations[0].object, None);
        assert_eq!(g.relations[0].evidence, Some(Evidence::Span([3, 9])));
        assert_eq!(g.relations[1].evidence, None);
    }
}
