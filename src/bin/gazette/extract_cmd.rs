//! `gazette extract`: articles in, JSON / JSONL / text / HTML out.

use std::collections::HashSet;
use std::io::{self, BufRead, BufWriter, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use gazette::{Date, Document, Extractor, Options};
use serde_json::Value;

use crate::progress::Progress;
use crate::{DataArgs, FAILED, USAGE, report, write_failed};

/// How the input is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Input {
    /// Each file is one article (plain text or Markdown)
    Text,
    /// Each line is {"id","text","date"?}: one article per line
    Jsonl,
}

/// What is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One JSON object for one article; one object per line (with "file" or "id") for several
    Json,
    /// One JSON object per line, with "file" or "id"
    Jsonl,
    /// The readable form
    Text,
    /// One self-contained HTML page per article (several need --out)
    Html,
}

/// Options of `gazette extract`.
#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:\n  gazette extract article.md\n  gazette extract --format text article.md\n  \
                        gazette extract corpus.jsonl > out.jsonl\n  \
                        gazette extract --format html --out pages/ corpus.jsonl")]
pub struct Args {
    /// Article files; stdin when none is given or FILE is -
    #[arg(value_name = "FILE")]
    files: Vec<String>,
    /// Input format [default: jsonl for *.jsonl files and whenever --format jsonl is given, else text]
    #[arg(long, value_enum, value_name = "FORMAT")]
    input: Option<Input>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Json, value_name = "FORMAT")]
    format: Format,
    /// Write HTML pages into this directory (one ID.html or FILE.html per article)
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// The document date, YYYY-MM-DD (a JSONL line's "date" wins)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    date: Option<Date>,
    /// Keep quotes no one is named for (speaker null); left out by default
    #[arg(long)]
    unattributed_quotes: bool,
    #[command(flatten)]
    data: DataArgs,
    /// Worker threads for JSONL [default: all cores]
    #[arg(long, value_name = "N", value_parser = crate::positive)]
    threads: Option<usize>,
    /// No progress bar (it is shown for JSONL input when stderr is a terminal)
    #[arg(long, short)]
    quiet: bool,
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s).ok_or_else(|| format!("`{s}` is not a valid YYYY-MM-DD date"))
}

impl Args {
    fn input_of(&self, name: &str) -> Input {
        self.input.unwrap_or(if name.ends_with(".jsonl") || self.format == Format::Jsonl {
            Input::Jsonl
        } else {
            Input::Text
        })
    }
}

/// Where finished documents go, in input order.
struct Sink<'a> {
    out: &'a mut dyn Write,
    format: Format,
    /// Several documents: JSON as one line each, text with headers.
    many: bool,
    dir: Option<PathBuf>,
    used: HashSet<String>,
}

impl Sink<'_> {
    /// Writes one rendered document under `label` (`"file"` or `"id"` and
    /// its value); `name` names its HTML page.
    fn put(&mut self, key: &str, label: &Value, name: &str, rendered: &str) -> io::Result<()> {
        match self.format {
            Format::Jsonl => writeln!(self.out, "{}", with_field(key, label, rendered)),
            Format::Json if self.many => writeln!(self.out, "{}", with_field(key, label, rendered)),
            Format::Json => writeln!(self.out, "{rendered}"),
            Format::Text => {
                if self.many {
                    writeln!(self.out, "== {}", label.as_str().map_or_else(|| label.to_string(), str::to_string))?;
                }
                write!(self.out, "{rendered}")
            }
            Format::Html => match self.dir.clone() {
                None => write!(self.out, "{rendered}"),
                Some(dir) => {
                    let file = dir.join(format!("{}.html", self.page_name(name)));
                    std::fs::write(&file, rendered)
                        .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", file.display())))
                }
            },
        }
    }

    /// A JSONL error line (JSON formats only; the message is on stderr).
    fn error(&mut self, id: &Value, msg: &str) -> io::Result<()> {
        match self.format {
            Format::Json | Format::Jsonl => {
                writeln!(self.out, "{{\"id\":{id},\"error\":{}}}", Value::String(msg.into()))
            }
            _ => Ok(()),
        }
    }

    /// A file name from an id: safe characters only, unique in this run.
    fn page_name(&mut self, name: &str) -> String {
        let mut base: String =
            name.chars().map(|c| if c.is_alphanumeric() || "-_.".contains(c) { c } else { '_' }).collect();
        if base.trim_matches('.').is_empty() {
            base = format!("doc{base}");
        }
        let mut cand = base.clone();
        let mut n = 1;
        while !self.used.insert(cand.clone()) {
            n += 1;
            cand = format!("{base}-{n}");
        }
        cand
    }
}

/// Renders a document in the output format (JSON compact unless `pretty`).
fn render(format: Format, text: &str, doc: &Document, title: &str, pretty: bool) -> String {
    let json = |d: &Document| {
        let r = if pretty { serde_json::to_string_pretty(d) } else { serde_json::to_string(d) };
        r.unwrap_or_else(|e| format!("{{\"error\":{}}}", Value::String(e.to_string())))
    };
    match format {
        Format::Json | Format::Jsonl => json(doc),
        Format::Text => doc.to_string(),
        Format::Html => gazette::html::Page::new(text, doc).title(title).render(),
    }
}

/// `{"KEY":VALUE,` spliced in front of a serialized document.
fn with_field(key: &str, value: &Value, doc_json: &str) -> String {
    match doc_json.strip_prefix('{') {
        Some(rest) if rest.trim_start().starts_with('}') => format!("{{\"{key}\":{value}}}"),
        Some(rest) => format!("{{\"{key}\":{value},{rest}"),
        None => doc_json.to_string(),
    }
}

/// Runs `gazette extract`.
pub fn run(a: Args) -> ExitCode {
    let files = if a.files.is_empty() { vec!["-".to_string()] } else { a.files.clone() };
    let any_jsonl = files.iter().any(|f| a.input_of(f) == Input::Jsonl);
    if a.format == Format::Html && a.out.is_none() && (files.len() > 1 || any_jsonl) {
        report!("error: --format html with several articles needs --out DIR (one page per article)");
        return ExitCode::from(USAGE);
    }
    if let Some(dir) = &a.out {
        if a.format != Format::Html {
            report!("error: --out is for --format html");
            return ExitCode::from(USAGE);
        }
        if let Err(e) = std::fs::create_dir_all(dir) {
            report!("error: {}: {e}", dir.display());
            return ExitCode::from(FAILED);
        }
    }
    let ex = match a.data.extractor() {
        Ok(ex) => ex,
        Err(code) => return code,
    };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut sink = Sink {
        out: &mut out,
        format: a.format,
        many: files.len() > 1 || any_jsonl,
        dir: a.out.clone(),
        used: HashSet::new(),
    };
    let mut failed = false;
    for name in &files {
        let shown = if name == "-" { "<stdin>" } else { name.as_str() };
        let res = match a.input_of(name) {
            Input::Jsonl => run_jsonl(&ex, &a, name, shown, &mut sink),
            Input::Text => run_text(&ex, &a, name, shown, &mut sink),
        };
        match res {
            Ok(f) => failed |= f,
            Err(e) => return write_failed(&e),
        }
    }
    if let Err(e) = out.flush() {
        return write_failed(&e);
    }
    if failed { ExitCode::from(FAILED) } else { ExitCode::SUCCESS }
}

/// One article file; `Ok(true)` when it failed (reported).
fn run_text(ex: &Extractor, a: &Args, name: &str, shown: &str, sink: &mut Sink) -> io::Result<bool> {
    let bytes = match read_input(name) {
        Ok(b) => b,
        Err(e) => {
            report!("error: {shown}: {e}");
            return Ok(true);
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            report!("error: {}", utf8_error(shown, e.as_bytes(), 1));
            return Ok(true);
        }
    };
    let doc = match crate::extract_safely(
        ex,
        &text,
        &Options::default().with_date(a.date).with_unattributed_quotes(a.unattributed_quotes),
    ) {
        Ok(d) => d,
        Err(msg) => {
            report!("error: {shown}: {msg}");
            return Ok(true);
        }
    };
    let stem = std::path::Path::new(shown).file_stem().map_or_else(|| "stdin".into(), |s| s.to_string_lossy());
    let stem = if name == "-" { "stdin".into() } else { stem };
    let rendered = render(a.format, &text, &doc, shown, !sink.many);
    sink.put("file", &Value::String(shown.to_string()), &stem, &rendered)?;
    Ok(false)
}

/// Reads a file or stdin as bytes.
fn read_input(name: &str) -> io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    if name == "-" {
        io::stdin().lock().read_to_end(&mut buf)?;
    } else {
        buf = std::fs::read(name)?;
    }
    Ok(buf)
}

/// `file:line:col: invalid UTF-8` for the first bad byte.
fn utf8_error(name: &str, bytes: &[u8], base_line: usize) -> String {
    let valid = match std::str::from_utf8(bytes) {
        Ok(_) => return String::new(),
        Err(e) => &bytes[..e.valid_up_to()],
    };
    let line = base_line + valid.iter().filter(|&&b| b == b'\n').count();
    let from = valid.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    let col = String::from_utf8_lossy(&valid[from..]).chars().count() + 1;
    format!("{name}:{line}:{col}: invalid UTF-8")
}

/// One JSONL input line, parsed or not.
enum Job {
    Doc { id: Value, text: String, date: Option<Date>, bytes: u64 },
    Bad { id: Value, msg: String, bytes: u64 },
}

/// serde_json's message without its own " at line L column C".
fn json_message(e: &serde_json::Error) -> String {
    let s = e.to_string();
    let tail = format!(" at line {} column {}", e.line(), e.column());
    s.strip_suffix(&tail).map_or_else(|| s.clone(), str::to_string)
}

fn parse_line(shown: &str, line_no: usize, line: &[u8]) -> Option<Job> {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if line.iter().all(|b| b.is_ascii_whitespace()) {
        return None;
    }
    let bytes = line.len() as u64 + 1;
    let bad =
        |id: Value, col: usize, msg: &str| Some(Job::Bad { id, msg: format!("{shown}:{line_no}:{col}: {msg}"), bytes });
    let Ok(s) = std::str::from_utf8(line) else {
        return Some(Job::Bad { id: Value::Null, msg: utf8_error(shown, line, line_no), bytes });
    };
    let v: Value = match serde_json::from_str(s) {
        Ok(v) => v,
        Err(e) => return bad(Value::Null, e.column(), &format!("not JSON: {}", json_message(&e))),
    };
    if !v.is_object() {
        return bad(Value::Null, 1, "not a JSON object {\"id\",\"text\"}");
    }
    let id = v.get("id").cloned().unwrap_or(Value::Null);
    let Some(text) = v.get("text").and_then(|t| t.as_str()) else {
        let what = if v.get("text").is_some() { "\"text\" is not a string" } else { "no \"text\" string field" };
        return bad(id, 1, what);
    };
    let date = match v.get("date") {
        None | Some(Value::Null) => None,
        Some(d) => match d.as_str().and_then(Date::parse) {
            Some(d) => Some(d),
            None => return bad(id, 1, "\"date\" is not a YYYY-MM-DD string"),
        },
    };
    Some(Job::Doc { id, text: text.to_string(), date, bytes })
}

/// Processes a JSONL stream in batches, in parallel, writing in input
/// order; `Ok(true)` when some line failed (reported, and the rest done).
fn run_jsonl(ex: &Extractor, a: &Args, name: &str, shown: &str, sink: &mut Sink) -> io::Result<bool> {
    let (reader, size): (Box<dyn BufRead>, Option<u64>) = if name == "-" {
        (Box::new(io::BufReader::new(io::stdin())), None)
    } else {
        match std::fs::File::open(name) {
            Ok(f) => {
                let size = f.metadata().ok().map(|m| m.len());
                (Box::new(io::BufReader::new(f)), size)
            }
            Err(e) => {
                report!("error: {shown}: {e}");
                return Ok(true);
            }
        }
    };
    let progress = Progress::bytes(size, a.quiet);
    let threads = crate::threads(a.threads);
    let mut failed = false;
    let mut lines = reader.split(b'\n');
    let mut line_no = 0;
    loop {
        let mut batch: Vec<Job> = Vec::with_capacity(256);
        while batch.len() < 256 {
            match lines.next() {
                None => break,
                Some(Err(e)) => {
                    progress.suspend(|| report!("error: {shown}: {e}"));
                    failed = true;
                    break;
                }
                Some(Ok(l)) => {
                    line_no += 1;
                    batch.extend(parse_line(shown, line_no, &l));
                }
            }
        }
        if batch.is_empty() {
            break;
        }
        let run = |job: &Job| match job {
            Job::Doc { id, text, date, bytes } => {
                let title = id.as_str().map_or_else(|| id.to_string(), str::to_string);
                let res = crate::extract_safely(
                    ex,
                    text,
                    &Options::default().with_date(date.or(a.date)).with_unattributed_quotes(a.unattributed_quotes),
                )
                .map(|d| render(a.format, text, &d, &title, false));
                progress.add(1, *bytes);
                res
            }
            Job::Bad { bytes, .. } => {
                progress.add(0, *bytes);
                Ok(String::new())
            }
        };
        let results = crate::parallel(&batch, threads, run, || Err("internal error: worker failed".to_string()));
        for (job, res) in batch.iter().zip(results) {
            let (id, msg) = match (job, res) {
                (Job::Bad { id, msg, .. }, _) => (id, msg.clone()),
                (Job::Doc { id, .. }, Err(msg)) => (id, format!("{shown}: document {id}: {msg}")),
                (Job::Doc { id, .. }, Ok(rendered)) => {
                    let name = id.as_str().map_or_else(|| id.to_string(), str::to_string);
                    sink.put("id", id, &name, &rendered)?;
                    continue;
                }
            };
            progress.suspend(|| report!("error: {msg}"));
            failed = true;
            sink.error(id, &msg)?;
        }
    }
    progress.finish();
    Ok(failed)
}
