//! Scoring extraction against annotated fixtures, with blame.
//!
//! Three gold formats are read:
//! - the document gold format (`*.gold.json`: entities with aliases,
//!   relations, quotes, events; see the README), scored by names the way
//!   `score.py doc` does;
//! - JSONL with gold byte spans (`{"id","text","mentions":[{"start","end","type"}]}`),
//!   scored by exact span and leniently (same type, inside the gold phrase,
//!   containing its head word);
//! - CoNLL-2003 column files (token ... tag), scored by exact span.
//!
//! Every spurious item and wrong speaker is charged to the rule or
//! gazetteer entry that produced it.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::{Document, Extractor, Options};

/// Normalizes a name for comparison: lower case, no leading "the", no
/// apostrophes, trimmed punctuation.
pub fn norm(s: &str) -> String {
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

/// A gold entity of the document format.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct GoldEntity {
    /// person, organization, place, office, group, event or date.
    #[serde(rename = "type")]
    pub kind: String,
    /// Canonical name (ISO value for dates).
    pub name: String,
    /// Other surface forms.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Neither a miss when absent nor false when present.
    #[serde(default)]
    pub optional: bool,
}

/// A gold relation.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct GoldRelation {
    /// Subject name.
    pub subject: String,
    /// Predicate.
    pub predicate: String,
    /// Office, for office relations.
    #[serde(default)]
    pub office: Option<String>,
    /// Object name.
    pub object: String,
    /// Other readings that count as right (fields override).
    #[serde(default)]
    pub alternatives: Vec<serde_json::Map<String, serde_json::Value>>,
    /// Optional item.
    #[serde(default)]
    pub optional: bool,
    /// Evidence text.
    #[serde(default)]
    pub evidence: String,
}

/// A gold quote.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct GoldQuote {
    /// direct or indirect.
    pub kind: String,
    /// The content.
    pub text: String,
    /// Speaker's canonical name, or null for unnamed sources.
    #[serde(default)]
    pub speaker: Option<String>,
    /// Optional item.
    #[serde(default)]
    pub optional: bool,
}

/// A document gold file.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct GoldDoc {
    /// Document id.
    #[serde(default)]
    pub id: String,
    /// The article file, relative to the gold file.
    #[serde(default)]
    pub file: String,
    /// Document date.
    #[serde(default)]
    pub document_date: Option<String>,
    /// Entities.
    pub entities: Vec<GoldEntity>,
    /// Relations.
    #[serde(default)]
    pub relations: Vec<GoldRelation>,
    /// Quotes.
    #[serde(default)]
    pub quotes: Vec<GoldQuote>,
}

/// Counts and itemized errors for one document.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
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
}

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

fn words(s: &str) -> HashSet<String> {
    s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(|w| w.to_string()).collect()
}

fn cover(gold: &str, cand: &str) -> f64 {
    let g = words(&norm(gold));
    let c = words(&norm(cand));
    let inter = g.intersection(&c).count() as f64;
    if c.is_empty() || inter / (c.len() as f64) < 0.3 {
        return 0.0;
    }
    inter / (g.len().max(1) as f64)
}

fn quote_overlap(q: &crate::Quote, gold: &str) -> f64 {
    let mut best = cover(gold, &q.text);
    for p in &q.parts {
        best = best.max(cover(gold, &p.text));
    }
    best
}

/// Scores one document against its gold annotation (the rules of
/// `score.py doc`).
pub fn score_doc(gold: &GoldDoc, doc: &Document) -> DocScore {
    let mut s = DocScore::default();
    let all_events: Vec<HashSet<String>> = doc
        .events
        .iter()
        .map(|e| {
            let mut n: HashSet<String> = e.mentions.iter().map(|m| norm(&m.text)).collect();
            n.insert(norm(&e.name));
            n
        })
        .collect();
    for g in gold.entities.iter().filter(|g| !g.optional) {
        let mut names: HashSet<String> = g.aliases.iter().map(|a| norm(a)).collect();
        names.insert(norm(&g.name));
        let ok = match g.kind.as_str() {
            "date" => {
                s.dates_required += 1;
                let ok = doc
                    .dates
                    .iter()
                    .any(|d| d.value.as_deref().map(norm) == Some(norm(&g.name)) || names.contains(&norm(&d.text)));
                if ok {
                    s.dates_found += 1;
                } else {
                    s.dates_missing.push(format!("date:{}", g.name));
                }
                ok
            }
            "event" => {
                all_events.iter().any(|n| !n.is_disjoint(&names))
                    || doc
                        .entities
                        .iter()
                        .any(|e| e.kind == crate::EntityType::Event && !ent_names(doc, &e.id).is_disjoint(&names))
            }
            t => doc.entities.iter().any(|e| e.kind.as_str() == t && !ent_names(doc, &e.id).is_disjoint(&names)),
        };
        s.entities_required += 1;
        if ok {
            s.entities_found += 1;
        } else {
            s.entities_missing.push(format!("{}:{}", g.kind, g.name));
        }
    }
    let mut all_gold = HashSet::new();
    for g in &gold.entities {
        all_gold.insert(norm(&g.name));
        all_gold.extend(g.aliases.iter().map(|a| norm(a)));
    }
    for e in &doc.entities {
        if ["person", "place", "organization"].contains(&e.kind.as_str())
            && ent_names(doc, &e.id).is_disjoint(&all_gold)
        {
            let rule = e.mentions.first().map_or("", |m| m.rule.as_str());
            s.entities_spurious.push(format!("{}:{} [{}]", e.kind, e.name, rule));
        }
    }
    // Relations.
    let rel_match = |g: &GoldRelation, r: &crate::Relation| {
        if r.predicate != g.predicate {
            return false;
        }
        let mut options = vec![(g.subject.clone(), g.object.clone(), g.office.clone())];
        for alt in &g.alternatives {
            let get = |k: &str, d: &Option<String>| {
                alt.get(k).and_then(|v| v.as_str()).map(str::to_string).or_else(|| d.clone())
            };
            options.push((
                get("subject", &Some(g.subject.clone())).unwrap_or_default(),
                get("object", &Some(g.object.clone())).unwrap_or_default(),
                get("office", &g.office),
            ));
        }
        options.iter().any(|(subj, obj, office)| {
            let subj_ok = !ent_names(doc, &r.subject).is_disjoint(&gold_names(subj, gold));
            let obj_ok = r.object.as_deref().is_some_and(|o| !ent_names(doc, o).is_disjoint(&gold_names(obj, gold)));
            let office_ok = match office {
                None => true,
                Some(o) => r.office.as_deref().is_some_and(|ro| gold_names(o, gold).contains(&norm(ro))),
            };
            subj_ok && obj_ok && office_ok
        })
    };
    let mut matched = vec![false; doc.relations.len()];
    for g in &gold.relations {
        let hits: Vec<usize> = (0..doc.relations.len()).filter(|&i| rel_match(g, &doc.relations[i])).collect();
        for &i in &hits {
            matched[i] = true;
        }
        if !g.optional {
            s.relations_required += 1;
            if hits.is_empty() {
                s.relations_missing.push(format!(
                    "{} | {} | {} | {}",
                    g.subject,
                    g.predicate,
                    g.office.as_deref().unwrap_or(""),
                    g.object
                ));
            } else {
                s.relations_found += 1;
            }
        }
    }
    let name_of = |id: &str| doc.entity(id).map_or_else(|| id.to_string(), |e| e.name.clone());
    for (i, r) in doc.relations.iter().enumerate() {
        if !matched[i] {
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
    // Quotes.
    let mut used = vec![false; doc.quotes.len()];
    for g in &gold.quotes {
        let best = (0..doc.quotes.len())
            .max_by(|&a, &b| quote_overlap(&doc.quotes[a], &g.text).total_cmp(&quote_overlap(&doc.quotes[b], &g.text)));
        let hit = best.filter(|&b| quote_overlap(&doc.quotes[b], &g.text) >= 0.6);
        if g.optional {
            for (i, q) in doc.quotes.iter().enumerate() {
                if quote_overlap(q, &g.text) >= 0.6 {
                    used[i] = true;
                }
            }
            continue;
        }
        s.quotes_required += 1;
        let short: String = g.text.chars().take(50).collect();
        match hit {
            Some(b) => {
                used[b] = true;
                s.quotes_found += 1;
                let q = &doc.quotes[b];
                let right = match (&g.speaker, &q.speaker) {
                    (Some(gs), Some(qs)) => !ent_names(doc, qs).is_disjoint(&gold_names(gs, gold)),
                    (None, None) => true,
                    _ => false,
                };
                if right {
                    s.speakers_right += 1;
                } else {
                    let who = q.speaker.as_deref().map(name_of).unwrap_or_else(|| "nobody".into());
                    s.quotes_problems.push(format!(
                        "wrong speaker {who} (gold {}): {short} [{}]",
                        g.speaker.as_deref().unwrap_or("none"),
                        q.rule
                    ));
                }
            }
            None => s.quotes_problems.push(format!("missed {}: {short}", g.kind)),
        }
    }
    for (i, q) in doc.quotes.iter().enumerate() {
        if !used[i] {
            s.quotes_false.push(format!("{} [{}]", q.text.chars().take(60).collect::<String>(), q.rule));
        }
    }
    s
}

/// Precision, recall and F1 from counts.
pub fn prf(tp: usize, fp: usize, fn_: usize) -> (f64, f64, f64) {
    let p = if tp + fp > 0 { tp as f64 / (tp + fp) as f64 } else { 0.0 };
    let r = if tp + fn_ > 0 { tp as f64 / (tp + fn_) as f64 } else { 0.0 };
    let f = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
    (p, r, f)
}

/// A gold span mention (JSONL and CoNLL formats).
#[derive(Clone, Debug, Deserialize)]
pub struct SpanMention {
    /// Start byte.
    pub start: usize,
    /// End byte.
    pub end: usize,
    /// Type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Head word (GUM), for lenient scoring.
    #[serde(default)]
    pub head: Option<String>,
}

/// A document with gold spans.
#[derive(Clone, Debug, Deserialize)]
pub struct SpanDoc {
    /// Id.
    #[serde(default)]
    pub id: serde_json::Value,
    /// Text.
    pub text: String,
    /// Date, if given.
    #[serde(default)]
    pub date: Option<String>,
    /// Gold mentions.
    #[serde(default)]
    pub mentions: Vec<SpanMention>,
}

/// Per-type span counts: `type -> [tp, fp, fn]`, and the errors.
#[derive(Clone, Debug, Default)]
pub struct SpanScore {
    /// Exact-span counts per type.
    pub exact: BTreeMap<String, [usize; 3]>,
    /// Lenient counts per type.
    pub lenient: BTreeMap<String, [usize; 3]>,
    /// Missing mentions: (doc id, type, text, context).
    pub missing: Vec<(String, String, String, String)>,
    /// Spurious mentions: (doc id, type, text, context, rule).
    pub spurious: Vec<(String, String, String, String, String)>,
}

/// About 160 characters of the line around `[s, e)`.
fn context(text: &str, s: usize, e: usize) -> String {
    let a = text[..s].rfind('\n').map_or(0, |p| p + 1);
    let b = text[e..].find('\n').map_or(text.len(), |p| e + p);
    let before: String = text[a..s].chars().rev().take(80).collect::<Vec<_>>().into_iter().rev().collect();
    let after: String = text[s..b].chars().take(80).collect();
    format!("{before}{after}").replace('\t', " ")
}

/// Scores predicted name mentions (kind `name`) of `types` against gold spans.
pub fn score_spans(gold: &SpanDoc, doc: &Document, types: &[&str], score: &mut SpanScore) {
    let id = match &gold.id {
        serde_json::Value::String(s) => s.clone(),
        v => v.to_string(),
    };
    let mut pred: Vec<(usize, usize, String, String)> = Vec::new();
    for e in &doc.entities {
        if !types.contains(&e.kind.as_str()) {
            continue;
        }
        for m in &e.mentions {
            if m.kind == crate::MentionKind::Name {
                pred.push((m.span.start, m.span.end, e.kind.to_string(), m.rule.clone()));
            }
        }
    }
    for t in types {
        let g: HashSet<(usize, usize)> =
            gold.mentions.iter().filter(|m| m.kind == *t).map(|m| (m.start, m.end)).collect();
        let p: HashMap<(usize, usize), String> =
            pred.iter().filter(|x| x.2 == *t).map(|x| ((x.0, x.1), x.3.clone())).collect();
        let c = score.exact.entry(t.to_string()).or_default();
        for k in &g {
            if p.contains_key(k) {
                c[0] += 1;
            } else {
                c[2] += 1;
                let ctx = context(&gold.text, k.0, k.1);
                score.missing.push((id.clone(), t.to_string(), gold.text[k.0..k.1].to_string(), ctx));
            }
        }
        for (k, rule) in &p {
            if !g.contains(k) {
                c[1] += 1;
                let ctx = context(&gold.text, k.0, k.1);
                score.spurious.push((id.clone(), t.to_string(), gold.text[k.0..k.1].to_string(), ctx, rule.clone()));
            }
        }
        // Lenient: a prediction inside the gold phrase containing its head word.
        let lc = score.lenient.entry(t.to_string()).or_default();
        let mut used = HashSet::new();
        let gl: Vec<&SpanMention> = gold.mentions.iter().filter(|m| m.kind == *t).collect();
        let mut pl: Vec<(usize, usize)> = p.keys().copied().collect();
        pl.sort();
        let mut tp = 0;
        for m in &gl {
            for (i, &(s, e)) in pl.iter().enumerate() {
                if used.contains(&i) || s < m.start || e > m.end {
                    continue;
                }
                let head_ok = m.head.as_deref().is_none_or(|h| gold.text[s..e].contains(h));
                if head_ok {
                    used.insert(i);
                    tp += 1;
                    break;
                }
            }
        }
        lc[0] += tp;
        lc[1] += pl.len() - used.len();
        lc[2] += gl.len() - tp;
    }
}

/// Reads a CoNLL-2003 column file into documents with gold spans.
/// Tokens are joined with single spaces, one sentence per line.
pub fn read_conll(text: &str) -> Vec<SpanDoc> {
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

const EVAL_USAGE: &str = "\
gazette eval — score extraction against annotated fixtures

USAGE:
    gazette eval [OPTIONS] GOLD...

GOLD is a document gold file (*.gold.json, the article beside it as named by
its \"file\"), a JSONL file with gold spans (*.jsonl), or a CoNLL-2003 column
file (*.txt, *.conll).

OPTIONS:
    --rules FILE, --gazetteer FILE   add rule / gazetteer files (repeatable)
    --types a,b,c                    span types to score (default person,place,organization)
    --json                           print the scores as JSON
    --save FILE                      save the scores as a baseline
    --compare BASELINE.json          show what changed since a saved run
    --errors N                       errors listed per section (default 30)
    --threads N                      worker threads (default: all cores)
";

/// The results of one eval run, as saved by `--save`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Report {
    /// Document-format scores by document id.
    pub docs: BTreeMap<String, DocScore>,
    /// Span scores per file: type -> [tp, fp, fn] (exact) and lenient.
    pub spans: BTreeMap<String, BTreeMap<String, [usize; 3]>>,
    /// Lenient span scores per file.
    pub spans_lenient: BTreeMap<String, BTreeMap<String, [usize; 3]>>,
}

/// The line of the article where an error item's words first occur.
fn item_context(article: &str, gold: &GoldDoc, label: &str, item: &str) -> Option<String> {
    let body = item.split(" [").next().unwrap_or(item);
    let needles: Vec<String> = match label {
        "missing relation" => {
            let parts: Vec<&str> = body.split(" | ").collect();
            let g =
                gold.relations.iter().find(|r| Some(&r.subject.as_str()) == parts.first() && !r.evidence.is_empty());
            g.map(|r| vec![r.evidence.clone()]).unwrap_or_default()
        }
        "false relation" => vec![body.split(" | ").next().unwrap_or("").to_string()],
        "missing entity" | "spurious entity" | "missing date" => {
            let name = body.split_once(':').map_or(body, |(_, n)| n).to_string();
            let mut v = vec![name.clone()];
            if let Some(g) = gold.entities.iter().find(|g| g.name == name) {
                v.extend(g.aliases.iter().cloned());
            }
            v
        }
        _ => vec![body.split(": ").last().unwrap_or("").chars().take(30).collect()],
    };
    let lower = article.to_lowercase();
    for n in needles.iter().filter(|n| n.len() > 1) {
        if let Some(p) = lower.find(&n.to_lowercase()) {
            if !article.is_char_boundary(p) {
                continue;
            }
            return Some(context(article, p, p));
        }
    }
    None
}

fn fmt_prf(c: &[usize; 3]) -> String {
    let (p, r, f) = prf(c[0], c[1], c[2]);
    format!("P {p:.3} R {r:.3} F1 {f:.3}  (tp {} fp {} fn {})", c[0], c[1], c[2])
}

fn blame_table(items: &[String]) -> Vec<(String, usize)> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for i in items {
        if let (Some(a), Some(b)) = (i.rfind('['), i.rfind(']'))
            && a < b
        {
            *counts.entry(i[a + 1..b].to_string()).or_default() += 1;
        }
    }
    let mut v: Vec<(String, usize)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}

/// Runs `gazette eval` with command-line arguments; returns the exit code.
pub fn cli(argv: &[String]) -> std::process::ExitCode {
    use std::process::ExitCode;
    let mut rules = Vec::new();
    let mut gazetteers = Vec::new();
    let mut types = vec!["person".to_string(), "place".to_string(), "organization".to_string()];
    let mut json = false;
    let mut save = None;
    let mut compare = None;
    let mut max_err = 30usize;
    let mut threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut golds = Vec::new();
    let mut it = argv.iter();
    while let Some(a) = it.next() {
        let takes_value = ["--rules", "--gazetteer", "--types", "--save", "--compare", "--errors", "--threads"];
        let val = if takes_value.contains(&a.as_str()) {
            match it.next() {
                Some(v) => v.clone(),
                None => {
                    eprintln!("error: {a} needs a value\n\n{EVAL_USAGE}");
                    return ExitCode::from(2);
                }
            }
        } else {
            String::new()
        };
        let number = |v: &str| v.parse::<usize>().ok();
        match a.as_str() {
            "--rules" => rules.push(val),
            "--gazetteer" => gazetteers.push(val),
            "--types" => types = val.split(',').map(str::to_string).collect(),
            "--json" => json = true,
            "--save" => save = Some(val),
            "--compare" => compare = Some(val),
            "--errors" | "--threads" => match number(&val) {
                Some(n) if a == "--errors" => max_err = n,
                Some(n) if n > 0 => threads = n,
                _ => {
                    eprintln!("error: {a} takes a number, not `{val}`\n\n{EVAL_USAGE}");
                    return ExitCode::from(2);
                }
            },
            "-h" | "--help" => {
                print!("{EVAL_USAGE}");
                return ExitCode::SUCCESS;
            }
            s if s.starts_with('-') => {
                eprintln!("error: unknown option `{s}`\n\n{EVAL_USAGE}");
                return ExitCode::from(2);
            }
            s => golds.push(s.to_string()),
        }
    }
    if golds.is_empty() {
        eprintln!("error: no gold files given\n\n{EVAL_USAGE}");
        return ExitCode::from(2);
    }
    let mut b = Extractor::builder();
    for g in &gazetteers {
        b = match b.gazetteer_file(g) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        };
    }
    for r in &rules {
        b = match b.rules_file(r) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        };
    }
    let ex = match b.build() {
        Ok(ex) => ex,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let type_refs: Vec<&str> = types.iter().map(String::as_str).collect();
    let mut report = Report::default();
    let mut doc_blame: Vec<String> = Vec::new();
    let mut failed = false;
    let mut out = String::new();
    use std::fmt::Write as _;
    for path in &golds {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: {path}: {e}");
                failed = true;
                continue;
            }
        };
        if path.ends_with(".json") {
            let gold: GoldDoc = match serde_json::from_str(&text) {
                Ok(g) => g,
                Err(e) => {
                    eprintln!("error: {path}:{}:{}: {e}", e.line(), e.column());
                    failed = true;
                    continue;
                }
            };
            let dir = std::path::Path::new(path).parent().unwrap_or(std::path::Path::new("."));
            let article = match std::fs::read_to_string(dir.join(&gold.file)) {
                Ok(a) => a,
                Err(e) => {
                    eprintln!("error: {path}: article {}: {e}", gold.file);
                    failed = true;
                    continue;
                }
            };
            let opts = Options::default().with_date(gold.document_date.as_deref().and_then(crate::Date::parse));
            let doc = ex.extract_with(&article, &opts);
            let s = score_doc(&gold, &doc);
            let id = if gold.id.is_empty() { path.clone() } else { gold.id.clone() };
            let _ = writeln!(
                out,
                "{id}: entities {}/{} spurious {}; relations {}/{} false {}; quotes {}/{} speakers {}/{} false {}; dates {}/{}",
                s.entities_found,
                s.entities_required,
                s.entities_spurious.len(),
                s.relations_found,
                s.relations_required,
                s.relations_false.len(),
                s.quotes_found,
                s.quotes_required,
                s.speakers_right,
                s.quotes_required,
                s.quotes_false.len(),
                s.dates_found,
                s.dates_required
            );
            for (label, items) in [
                ("missing entity", &s.entities_missing),
                ("spurious entity", &s.entities_spurious),
                ("missing relation", &s.relations_missing),
                ("false relation", &s.relations_false),
                ("quote", &s.quotes_problems),
                ("false quote", &s.quotes_false),
                ("missing date", &s.dates_missing),
            ] {
                for i in items.iter().take(max_err) {
                    let _ = writeln!(out, "    {label}: {i}");
                    if let Some(ctx) = item_context(&article, &gold, label, i) {
                        let _ = writeln!(out, "        in: {ctx}");
                    }
                }
            }
            for list in [&s.entities_spurious, &s.relations_false, &s.quotes_problems, &s.quotes_false] {
                doc_blame.extend(list.iter().filter(|i| !i.starts_with("missed")).cloned());
            }
            report.docs.insert(id, s);
            continue;
        }
        // Span formats.
        let docs: Vec<SpanDoc> = if path.ends_with(".jsonl") {
            let mut v = Vec::new();
            for (n, line) in text.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                match serde_json::from_str::<SpanDoc>(line) {
                    Ok(d) => {
                        let bad = d.mentions.iter().position(|m| {
                            m.start > m.end
                                || m.end > d.text.len()
                                || !d.text.is_char_boundary(m.start)
                                || !d.text.is_char_boundary(m.end)
                        });
                        match bad {
                            Some(k) => {
                                eprintln!(
                                    "error: {path}:{}:1: mention {} has span {}..{}, not a range of the text",
                                    n + 1,
                                    k + 1,
                                    d.mentions[k].start,
                                    d.mentions[k].end
                                );
                                failed = true;
                            }
                            None => v.push(d),
                        }
                    }
                    Err(e) => {
                        eprintln!("error: {path}:{}:{}: {e}", n + 1, e.column());
                        failed = true;
                    }
                }
            }
            v
        } else {
            read_conll(&text)
        };
        let results: Vec<Document> = run_parallel(&ex, &docs, threads);
        let mut score = SpanScore::default();
        for (g, d) in docs.iter().zip(&results) {
            score_spans(g, d, &type_refs, &mut score);
        }
        let _ = writeln!(out, "{path}: {} documents", docs.len());
        let mut tot = [0usize; 3];
        let mut ltot = [0usize; 3];
        for (t, c) in &score.exact {
            let _ = writeln!(out, "  {t:14} exact   {}", fmt_prf(c));
            (0..3).for_each(|i| tot[i] += c[i]);
        }
        for (t, c) in &score.lenient {
            let _ = writeln!(out, "  {t:14} lenient {}", fmt_prf(c));
            (0..3).for_each(|i| ltot[i] += c[i]);
        }
        let _ = writeln!(out, "  {:14} exact   {}", "micro", fmt_prf(&tot));
        let _ = writeln!(out, "  {:14} lenient {}", "micro", fmt_prf(&ltot));
        let blame: Vec<String> = score.spurious.iter().map(|s| format!("{} [{}]", s.2, s.4)).collect();
        let _ = writeln!(out, "  spurious mentions by rule:");
        for (rule, n) in blame_table(&blame).iter().take(max_err) {
            let _ = writeln!(out, "    {n:5}  {rule}");
        }
        let _ = writeln!(out, "  missing ({} total, first {max_err}):", score.missing.len());
        for (id, t, txt, ctx) in score.missing.iter().take(max_err) {
            let _ = writeln!(out, "    {id} {t} \"{txt}\" in: {ctx}");
        }
        let _ = writeln!(out, "  spurious ({} total, first {max_err}):", score.spurious.len());
        for (id, t, txt, ctx, rule) in score.spurious.iter().take(max_err) {
            let _ = writeln!(out, "    {id} {t} \"{txt}\" [{rule}] in: {ctx}");
        }
        report.spans.insert(path.clone(), score.exact.clone());
        report.spans_lenient.insert(path.clone(), score.lenient.clone());
    }
    if !doc_blame.is_empty() && max_err > 0 {
        let _ = writeln!(out, "Errors by rule (spurious entities, false relations and quotes, wrong speakers):");
        for (rule, n) in blame_table(&doc_blame).iter().take(max_err) {
            let _ = writeln!(out, "  {n:5}  {rule}");
        }
    }
    if let Some(base) = &compare {
        match std::fs::read_to_string(base)
            .map_err(|e| e.to_string())
            .and_then(|t| serde_json::from_str::<Report>(&t).map_err(|e| e.to_string()))
        {
            Ok(old) => out.push_str(&compare_reports(&old, &report)),
            Err(e) => {
                eprintln!("error: {base}: {e}");
                failed = true;
            }
        }
    }
    if let Some(path) = &save
        && let Err(e) = serde_json::to_string_pretty(&report)
            .map_err(|e| e.to_string())
            .and_then(|s| std::fs::write(path, s).map_err(|e| e.to_string()))
    {
        eprintln!("error: {path}: {e}");
        failed = true;
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&report).unwrap_or_default());
    } else {
        print!("{out}");
    }
    if failed { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

fn run_parallel(ex: &Extractor, docs: &[SpanDoc], threads: usize) -> Vec<Document> {
    // A panicking document scores as an empty result instead of shifting the others.
    let run = |d: &SpanDoc| {
        let opts = Options::default().with_date(d.date.as_deref().and_then(crate::Date::parse));
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| ex.extract_with(&d.text, &opts))).unwrap_or_default()
    };
    if threads <= 1 || docs.len() < 2 {
        return docs.iter().map(run).collect();
    }
    let chunk = docs.len().div_ceil(threads);
    std::thread::scope(|s| {
        let hs: Vec<_> = docs.chunks(chunk).map(|c| s.spawn(move || c.iter().map(run).collect::<Vec<_>>())).collect();
        hs.into_iter()
            .zip(docs.chunks(chunk))
            .flat_map(|(h, c)| h.join().unwrap_or_else(|_| vec![Document::default(); c.len()]))
            .collect()
    })
}

/// What got better and worse between two reports, document by document.
pub fn compare_reports(old: &Report, new: &Report) -> String {
    use std::fmt::Write as _;
    let mut out = String::from("Compared with the baseline:\n");
    for (id, n) in &new.docs {
        let Some(o) = old.docs.get(id) else {
            let _ = writeln!(out, "  {id}: new");
            continue;
        };
        let mut diffs = Vec::new();
        let mut d = |label: &str, a: usize, b: usize, higher_better: bool| {
            if a != b {
                let better = (b > a) == higher_better;
                diffs.push(format!("{label} {a}->{b} ({})", if better { "better" } else { "worse" }));
            }
        };
        d("entities", o.entities_found, n.entities_found, true);
        d("spurious", o.entities_spurious.len(), n.entities_spurious.len(), false);
        d("relations", o.relations_found, n.relations_found, true);
        d("false relations", o.relations_false.len(), n.relations_false.len(), false);
        d("quotes", o.quotes_found, n.quotes_found, true);
        d("speakers", o.speakers_right, n.speakers_right, true);
        d("dates", o.dates_found, n.dates_found, true);
        let newly: Vec<&String> = n.entities_missing.iter().filter(|m| !o.entities_missing.contains(m)).collect();
        let fixed: Vec<&String> = o.entities_missing.iter().filter(|m| !n.entities_missing.contains(m)).collect();
        if diffs.is_empty() && newly.is_empty() && fixed.is_empty() {
            continue;
        }
        let _ = writeln!(out, "  {id}: {}", diffs.join(", "));
        for m in fixed {
            let _ = writeln!(out, "      now found: {m}");
        }
        for m in newly {
            let _ = writeln!(out, "      now missing: {m}");
        }
    }
    for (file, n) in &new.spans {
        if let Some(o) = old.spans.get(file) {
            let micro = |m: &BTreeMap<String, [usize; 3]>| {
                let mut t = [0; 3];
                for c in m.values() {
                    (0..3).for_each(|i| t[i] += c[i]);
                }
                prf(t[0], t[1], t[2]).2
            };
            let _ = writeln!(out, "  {file}: micro F1 {:.3} -> {:.3}", micro(o), micro(n));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalization() {
        assert_eq!(norm("The Balkans"), "balkans");
        assert_eq!(norm("Bosnia's  war."), "bosnia s war");
        assert_eq!(norm("US."), "us");
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
}
