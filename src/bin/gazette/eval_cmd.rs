//! `gazette eval`: argument handling and printing around the library's
//! scorers (`gazette::eval`).

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use gazette::eval::{Counts, DocScore, Evidence, GoldDoc, Scorer, SpanDoc, SpanScorer, Totals};
use gazette::{Date, Document, Extractor, Options};
use serde::{Deserialize, Serialize};

use crate::progress::Progress;
use crate::{DataArgs, FAILED, USAGE, report, write_failed};

/// The long help of `gazette eval`.
pub const LONG_ABOUT: &str = "Score extraction against annotated gold files.\n\n\
    GOLD is a document gold file (*.gold.json, the article beside it as named by its \"file\"); a JSONL file \
    with gold spans (*.jsonl: {\"id\",\"text\",\"mentions\":[{\"start\",\"end\",\"type\"}]}); with --texts, a \
    JSONL file of document gold objects with an \"id\" and no text, joined by id to the texts of CORPUS.jsonl; \
    or a CoNLL-2003 column file (any other name).\n\n\
    Prints the totals first (precision, recall and F1 per type over all gold files), then each document's \
    errors with their sentence, and the rules behind the errors.";

/// Options of `gazette eval`.
#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:\n  gazette eval tests/fixtures/*.gold.json\n  \
    gazette eval --texts corpus.jsonl facts.gold.jsonl\n  gazette eval --html review/ tests/fixtures/*.gold.json\n  \
    gazette eval --save base.json GOLD...; gazette eval --compare base.json GOLD...")]
pub struct Args {
    /// Gold files
    #[arg(value_name = "GOLD", required = true)]
    golds: Vec<String>,
    /// Texts for JSONL document gold, joined by "id" ({"id","text","date"?} lines)
    #[arg(long, value_name = "CORPUS.jsonl")]
    texts: Option<String>,
    #[command(flatten)]
    data: DataArgs,
    /// Span types to score in span gold
    #[arg(long, value_name = "a,b,c", value_delimiter = ',', default_value = "person,place,organization")]
    types: Vec<String>,
    /// Print the scores as JSON instead of the report
    #[arg(long)]
    json: bool,
    /// Write one HTML page per document-gold document, errors marked, into DIR
    #[arg(long, value_name = "DIR")]
    html: Option<PathBuf>,
    /// Save the scores as a baseline
    #[arg(long, value_name = "FILE")]
    save: Option<String>,
    /// Show what changed since a saved baseline
    #[arg(long, value_name = "BASELINE.json")]
    compare: Option<String>,
    /// Errors listed per section
    #[arg(long, value_name = "N", default_value_t = 30)]
    errors: usize,
    /// Worker threads [default: all cores]
    #[arg(long, value_name = "N", value_parser = crate::positive)]
    threads: Option<usize>,
    /// No progress bar (it is shown for corpora when stderr is a terminal)
    #[arg(long, short)]
    quiet: bool,
}

/// The results of one eval run, as printed by `--json` and saved by `--save`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct Report {
    /// Document-gold totals over all documents.
    #[serde(default)]
    totals: Totals,
    /// Document-gold scores by document id.
    docs: BTreeMap<String, DocScore>,
    /// Span scores per file: type -> counts (exact).
    spans: BTreeMap<String, BTreeMap<String, Counts>>,
    /// Lenient span scores per file.
    spans_lenient: BTreeMap<String, BTreeMap<String, Counts>>,
}

/// One document-gold document to score.
struct Item {
    id: String,
    gold: GoldDoc,
    text: String,
    date: Option<Date>,
}

/// State of one run.
struct Run<'a> {
    a: &'a Args,
    ex: Extractor,
    scorer: Scorer,
    report: Report,
    /// The per-document errors and the span sections, printed after the totals.
    details: String,
    blame: Vec<String>,
    failed: bool,
}

/// Runs `gazette eval`.
pub fn run(a: Args) -> ExitCode {
    let ex = match a.data.extractor() {
        Ok(ex) => ex,
        Err(code) => return code,
    };
    if let Some(dir) = &a.html
        && let Err(e) = std::fs::create_dir_all(dir)
    {
        report!("error: {}: {e}", dir.display());
        return ExitCode::from(FAILED);
    }
    let corpus = match &a.texts {
        None => None,
        Some(path) => match read_corpus(path) {
            Ok(c) => Some(c),
            Err(e) => {
                report!("error: {e}");
                return ExitCode::from(USAGE);
            }
        },
    };
    let mut run = Run {
        a: &a,
        ex,
        scorer: Scorer::new(),
        report: Report::default(),
        details: String::new(),
        blame: vec![],
        failed: false,
    };
    for path in &a.golds {
        if path.ends_with(".json") {
            let items = run.gold_file(path);
            run.score_items(items);
        } else if path.ends_with(".jsonl") && corpus.is_some() {
            let items = corpus.as_ref().map(|c| run.gold_lines(path, c)).unwrap_or_default();
            run.score_items(items);
        } else {
            run.span_file(path);
        }
    }
    run.finish()
}

/// `{"id","text","date"?}` lines by id.
fn read_corpus(path: &str) -> Result<HashMap<String, (String, Option<Date>)>, String> {
    #[derive(Deserialize)]
    struct Line {
        #[serde(default)]
        id: serde_json::Value,
        text: String,
        #[serde(default)]
        date: Option<String>,
    }
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let mut map = HashMap::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let l: Line =
            serde_json::from_str(line).map_err(|e| format!("{path}:{}:{}: {}", n + 1, e.column(), msg(&e)))?;
        map.insert(id_string(&l.id), (l.text, l.date.as_deref().and_then(Date::parse)));
    }
    Ok(map)
}

fn id_string(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        v => v.to_string(),
    }
}

/// serde_json's message without its own position.
fn msg(e: &serde_json::Error) -> String {
    let s = e.to_string();
    s.strip_suffix(&format!(" at line {} column {}", e.line(), e.column())).map_or_else(|| s.clone(), str::to_string)
}

impl Run<'_> {
    fn error(&mut self, m: String) {
        report!("error: {m}");
        self.failed = true;
    }

    /// A `*.gold.json` file and the article beside it.
    fn gold_file(&mut self, path: &str) -> Vec<Item> {
        let gold: GoldDoc = match std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|t| serde_json::from_str(&t).map_err(|e| format!("{}:{}: {}", e.line(), e.column(), msg(&e))))
        {
            Ok(g) => g,
            Err(e) => {
                self.error(format!("{path}:{e}"));
                return vec![];
            }
        };
        let dir = Path::new(path).parent().unwrap_or(Path::new("."));
        match std::fs::read_to_string(dir.join(&gold.file)) {
            Ok(text) => {
                let id = if gold.id.is_empty() { path.to_string() } else { gold.id.clone() };
                let date = gold.document_date.as_deref().and_then(Date::parse);
                vec![Item { id, gold, text, date }]
            }
            Err(e) => {
                self.error(format!("{path}: article {}: {e}", gold.file));
                vec![]
            }
        }
    }

    /// A JSONL file of document gold joined to the corpus texts by id.
    fn gold_lines(&mut self, path: &str, corpus: &HashMap<String, (String, Option<Date>)>) -> Vec<Item> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                self.error(format!("{path}: {e}"));
                return vec![];
            }
        };
        let mut items = Vec::new();
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let gold: GoldDoc = match serde_json::from_str(line) {
                Ok(g) => g,
                Err(e) => {
                    self.error(format!("{path}:{}:{}: {}", n + 1, e.column(), msg(&e)));
                    continue;
                }
            };
            let Some((text, corpus_date)) = corpus.get(&gold.id) else {
                let texts = self.a.texts.as_deref().unwrap_or("");
                self.error(format!("{path}:{}:1: no text with id {:?} in {texts}", n + 1, gold.id));
                continue;
            };
            let date = gold.document_date.as_deref().and_then(Date::parse).or(*corpus_date);
            items.push(Item { id: gold.id.clone(), gold, text: text.clone(), date });
        }
        items
    }

    fn score_items(&mut self, items: Vec<Item>) {
        let progress = Progress::docs(items.len(), self.a.quiet);
        let ex = &self.ex;
        let run = |it: &Item| {
            let d = crate::extract_safely(ex, &it.text, &Options::default().with_date(it.date));
            progress.add(1, 0);
            d
        };
        let docs = crate::parallel(&items, crate::threads(self.a.threads), run, || Err("worker failed".into()));
        progress.finish();
        for (it, doc) in items.iter().zip(docs) {
            let doc = doc.unwrap_or_else(|e| {
                self.error(format!("{}: {e}", it.id));
                Document::default()
            });
            let s = self.scorer.score_doc(&it.gold, &doc);
            self.print_doc(it, &s);
            if let Some(dir) = &self.a.html {
                let page = gazette::html::Page::new(&it.text, &doc).title(&it.id).score(&s).render();
                let file = dir.join(format!("{}.html", safe_name(&it.id)));
                if let Err(e) = std::fs::write(&file, page) {
                    self.error(format!("{}: {e}", file.display()));
                }
            }
            self.report.docs.insert(it.id.clone(), s);
        }
    }

    fn print_doc(&mut self, it: &Item, s: &DocScore) {
        let out = &mut self.details;
        let _ = writeln!(
            out,
            "{}: entities {}/{} spurious {}; relations {}/{} false {}{}; quotes {}/{} speakers {}/{} false {}; dates {}/{}",
            it.id,
            s.entities_found,
            s.entities_required,
            s.entities_spurious.len(),
            s.relations_found,
            s.relations_required,
            s.relations_false.len(),
            if s.status_total > 0 { format!(" status {}/{}", s.status_right, s.status_total) } else { String::new() },
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
            for i in items.iter().take(self.a.errors) {
                let _ = writeln!(out, "    {label}: {i}");
                if let Some(ctx) = item_context(&it.text, &it.gold, label, i) {
                    let _ = writeln!(out, "        in: {ctx}");
                }
            }
        }
        for list in [&s.entities_spurious, &s.relations_false, &s.quotes_problems, &s.quotes_false] {
            self.blame.extend(list.iter().filter(|i| !i.starts_with("missed")).cloned());
        }
    }

    /// A span gold file: JSONL with spans, or CoNLL columns.
    fn span_file(&mut self, path: &str) {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => return self.error(format!("{path}: {e}")),
        };
        let docs: Vec<SpanDoc> =
            if path.ends_with(".jsonl") { self.span_lines(path, &text) } else { SpanDoc::from_conll(&text) };
        let progress = Progress::docs(docs.len(), self.a.quiet);
        let ex = &self.ex;
        let run = |d: &SpanDoc| {
            let opts = Options::default().with_date(d.date.as_deref().and_then(Date::parse));
            // A panicking document scores as an empty result.
            let doc = crate::extract_safely(ex, &d.text, &opts).unwrap_or_default();
            progress.add(1, 0);
            doc
        };
        let results = crate::parallel(&docs, crate::threads(self.a.threads), run, Document::default);
        progress.finish();
        let types: Vec<&str> = self.a.types.iter().map(String::as_str).collect();
        let mut score = SpanScorer::new(&types);
        for (g, d) in docs.iter().zip(&results) {
            score.score(g, d);
        }
        self.print_spans(path, docs.len(), &score);
        self.report.spans.insert(path.to_string(), score.exact().clone());
        self.report.spans_lenient.insert(path.to_string(), score.lenient().clone());
    }

    fn span_lines(&mut self, path: &str, text: &str) -> Vec<SpanDoc> {
        let mut v = Vec::new();
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<SpanDoc>(line) {
                Ok(d) => match d.bad_mention() {
                    Some((k, m)) => self.error(format!(
                        "{path}:{}:1: mention {} has span {}..{}, not a range of the text",
                        n + 1,
                        k + 1,
                        m.start,
                        m.end
                    )),
                    None => v.push(d),
                },
                Err(e) => self.error(format!("{path}:{}:{}: {}", n + 1, e.column(), msg(&e))),
            }
        }
        v
    }

    fn print_spans(&mut self, path: &str, n: usize, score: &SpanScorer) {
        let max = self.a.errors;
        let out = &mut self.details;
        let _ = writeln!(out, "{path}: {n} documents");
        let blame: Vec<String> = score.spurious().iter().map(|s| format!("{} [{}]", s.text, s.rule)).collect();
        let _ = writeln!(out, "  spurious mentions by rule:");
        for (rule, n) in blame_table(&blame).iter().take(max) {
            let _ = writeln!(out, "    {n:5}  {rule}");
        }
        let _ = writeln!(out, "  missing ({} total, first {max}):", score.missing().len());
        for m in score.missing().iter().take(max) {
            let _ = writeln!(out, "    {} {} \"{}\" in: {}", m.doc, m.kind, m.text, m.context);
        }
        let _ = writeln!(out, "  spurious ({} total, first {max}):", score.spurious().len());
        for m in score.spurious().iter().take(max) {
            let _ = writeln!(out, "    {} {} \"{}\" [{}] in: {}", m.doc, m.kind, m.text, m.rule, m.context);
        }
    }

    fn finish(mut self) -> ExitCode {
        self.report.totals = self.scorer.totals().clone();
        let mut out = totals_table(&self.report, self.scorer.documents());
        out.push('\n');
        out.push_str(&self.details);
        if !self.blame.is_empty() && self.a.errors > 0 {
            let _ = writeln!(out, "Errors by rule (spurious entities, false relations and quotes, wrong speakers):");
            for (rule, n) in blame_table(&self.blame).iter().take(self.a.errors) {
                let _ = writeln!(out, "  {n:5}  {rule}");
            }
        }
        if let Some(base) = &self.a.compare {
            match std::fs::read_to_string(base)
                .map_err(|e| e.to_string())
                .and_then(|t| serde_json::from_str::<Report>(&t).map_err(|e| e.to_string()))
            {
                Ok(old) => out.push_str(&compare_reports(&old, &self.report)),
                Err(e) => self.error(format!("{base}: {e}")),
            }
        }
        let json = serde_json::to_string_pretty(&self.report).unwrap_or_default();
        if let Some(path) = &self.a.save
            && let Err(e) = std::fs::write(path, &json)
        {
            self.error(format!("{path}: {e}"));
        }
        let mut stdout = std::io::stdout().lock();
        let res = if self.a.json { writeln!(stdout, "{json}") } else { write!(stdout, "{out}") };
        if let Err(e) = res.and_then(|_| stdout.flush()) {
            return write_failed(&e);
        }
        if self.failed { ExitCode::from(FAILED) } else { ExitCode::SUCCESS }
    }
}

/// A file name from a document id.
fn safe_name(id: &str) -> String {
    let s: String = id.chars().map(|c| if c.is_alphanumeric() || "-_.".contains(c) { c } else { '_' }).collect();
    if s.trim_matches('.').is_empty() { format!("doc{s}") } else { s }
}

fn row(out: &mut String, label: &str, c: &Counts, extra: &str) {
    let _ = writeln!(
        out,
        "  {label:22} {:>6.3} {:>6.3} {:>6.3} {:>6} {:>6} {:>6}{extra}",
        c.precision(),
        c.recall(),
        c.f1(),
        c.tp,
        c.fp,
        c.fn_
    );
}

/// The totals: per-type precision, recall and F1.
fn totals_table(r: &Report, docs: usize) -> String {
    let mut out = String::new();
    let head = format!("  {:22} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6}", "", "P", "R", "F1", "tp", "fp", "fn");
    if docs > 0 {
        let t = &r.totals;
        let _ = writeln!(out, "Totals over {docs} document{} (document gold):", if docs == 1 { "" } else { "s" });
        let _ = writeln!(out, "{head}");
        row(&mut out, "entities", &t.entities_all(), "");
        for (k, c) in &t.entities {
            row(&mut out, &format!("  {k}"), c, "");
        }
        row(&mut out, "relations", &t.relations_all(), "");
        for (k, c) in &t.relations {
            row(&mut out, &format!("  {k}"), c, "");
        }
        if t.status.total > 0 {
            let _ = writeln!(
                out,
                "  {:22} {}/{} ({:.3}) of the facts found",
                "  status right",
                t.status.right,
                t.status.total,
                t.status.ratio()
            );
        }
        let speakers = |k: Option<&str>| {
            let (right, total) = match k {
                Some(k) => t.speakers.get(k).map_or((0, 0), |a| (a.right, a.total)),
                None => t.speakers.values().fold((0, 0), |(r, n), a| (r + a.right, n + a.total)),
            };
            if total > 0 {
                format!("   speakers {right}/{total} ({:.3})", right as f64 / total as f64)
            } else {
                String::new()
            }
        };
        row(&mut out, "quotes", &t.quotes_all(), &speakers(None));
        for (k, c) in &t.quotes {
            row(&mut out, &format!("  {k}"), c, &speakers(Some(k)));
        }
        row(&mut out, "dates", &t.dates, "");
        out.push_str(
            "  (entity fp: spurious person/place/organization entities; date fp only where the gold has dates)\n",
        );
    }
    for (file, exact) in &r.spans {
        let _ = writeln!(out, "Totals for {file} (span gold; exact spans / lenient):");
        let _ = writeln!(out, "{head}");
        let lenient = r.spans_lenient.get(file);
        let mut te = Counts::default();
        let mut tl = Counts::default();
        for (t, c) in exact {
            row(&mut out, &format!("{t} exact"), c, "");
            if let Some(l) = lenient.and_then(|l| l.get(t)) {
                row(&mut out, &format!("{t} lenient"), l, "");
                tl = add(tl, l);
            }
            te = add(te, c);
        }
        row(&mut out, "micro exact", &te, "");
        row(&mut out, "micro lenient", &tl, "");
    }
    out
}

fn add(a: Counts, b: &Counts) -> Counts {
    let mut c = a;
    c.tp += b.tp;
    c.fp += b.fp;
    c.fn_ += b.fn_;
    c
}

/// The line of the article where an error item's words first occur.
fn item_context(article: &str, gold: &GoldDoc, label: &str, item: &str) -> Option<String> {
    let body = item.split(" [").next().unwrap_or(item);
    let needles: Vec<String> = match label {
        "missing relation" => {
            let subject = body.split(" | ").next().unwrap_or("");
            match gold
                .relations
                .iter()
                .find(|r| r.subject == subject && r.evidence.is_some())
                .and_then(|r| r.evidence.as_ref())
            {
                Some(Evidence::Span([s, e])) if article.get(*s..*e).is_some() => {
                    return Some(gazette::eval::line_context(article, *s, *e));
                }
                Some(Evidence::Text(t)) => vec![t.clone()],
                _ => vec![],
            }
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
        if let Some(p) = lower.find(&n.to_lowercase())
            && article.is_char_boundary(p)
        {
            return Some(gazette::eval::line_context(article, p, p));
        }
    }
    None
}

/// Items grouped by the rule in their trailing `[rule]`, most first.
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

/// What got better and worse between two reports, document by document.
fn compare_reports(old: &Report, new: &Report) -> String {
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
        d("status", o.status_right, n.status_right, true);
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
            let micro = |m: &BTreeMap<String, Counts>| m.values().fold(Counts::default(), add).f1();
            let _ = writeln!(out, "  {file}: micro F1 {:.3} -> {:.3}", micro(o), micro(n));
        }
    }
    out
}
