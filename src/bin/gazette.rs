//! The `gazette` command line. See `gazette --help`.

use std::io::{self, BufRead, BufWriter, Read, Write};
use std::process::ExitCode;

use gazette::{Date, Document, Extractor, Options};

const USAGE: &str = "\
gazette — entities, relations, quotes and events from news articles

USAGE:
    gazette extract [OPTIONS] [FILE...]     (stdin when no FILE or FILE is -)
    gazette eval [OPTIONS] GOLD...          (see `gazette eval --help`)

EXTRACT OPTIONS:
    --format json|jsonl|text   json (default): one JSON object per document;
                               jsonl: each input line is {\"id\",\"text\",\"date\"?},
                               each output line the result with its id;
                               text: the readable form
    --date YYYY-MM-DD          the document date (a JSONL line's \"date\" wins)
    --rules FILE               add a rule file (repeatable)
    --gazetteer FILE           add a gazetteer file (repeatable)
    --no-defaults              do not load the embedded data
    --threads N                worker threads for JSONL (default: all cores)

EXIT STATUS: 0 success, 1 some input failed (the rest was processed),
             2 usage or configuration error.
";

struct Args {
    format: String,
    date: Option<Date>,
    rules: Vec<String>,
    gazetteers: Vec<String>,
    defaults: bool,
    threads: usize,
    files: Vec<String>,
}

fn usage_error(msg: &str) -> ExitCode {
    eprintln!("error: {msg}\n\n{USAGE}");
    ExitCode::from(2)
}

fn parse_args(argv: &[String]) -> Result<Args, String> {
    let mut a = Args {
        format: "json".into(),
        date: None,
        rules: vec![],
        gazetteers: vec![],
        defaults: true,
        threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
        files: vec![],
    };
    let mut it = argv.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().cloned().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--format" => {
                a.format = value("--format")?;
                if !["json", "jsonl", "text"].contains(&a.format.as_str()) {
                    return Err(format!("--format must be json, jsonl or text, not `{}`", a.format));
                }
            }
            "--date" => {
                let v = value("--date")?;
                a.date = Some(Date::parse(&v).ok_or_else(|| format!("--date `{v}` is not a valid YYYY-MM-DD date"))?);
            }
            "--rules" => a.rules.push(value("--rules")?),
            "--gazetteer" => a.gazetteers.push(value("--gazetteer")?),
            "--no-defaults" => a.defaults = false,
            "--threads" => {
                let v = value("--threads")?;
                a.threads = v
                    .parse()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| format!("--threads `{v}` is not a positive number"))?;
            }
            "-" => a.files.push("-".into()),
            s if s.starts_with('-') => return Err(format!("unknown option `{s}`")),
            s => a.files.push(s.to_string()),
        }
    }
    Ok(a)
}

fn build_extractor(a: &Args) -> Result<Extractor, gazette::Error> {
    let mut b = Extractor::builder().defaults(a.defaults);
    for g in &a.gazetteers {
        b = b.gazetteer_file(g)?;
    }
    for r in &a.rules {
        b = b.rules_file(r)?;
    }
    b.build()
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

fn to_json(doc: &Document) -> String {
    serde_json::to_string(doc).unwrap_or_else(|e| format!("{{\"error\":{}}}", serde_json::Value::String(e.to_string())))
}

/// `{"KEY":VALUE,` spliced in front of a serialized document.
fn with_field(key: &str, value: &serde_json::Value, doc_json: &str) -> String {
    format!("{{\"{key}\":{value},{}", &doc_json[1..])
}

fn extract_cmd(argv: &[String]) -> ExitCode {
    let a = match parse_args(argv) {
        Ok(a) => a,
        Err(e) => return usage_error(&e),
    };
    let ex = match build_extractor(&a) {
        Ok(ex) => ex,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let files = if a.files.is_empty() { vec!["-".to_string()] } else { a.files.clone() };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut failed = false;
    let opts = Options::default().with_date(a.date);
    for name in &files {
        let shown = if name == "-" { "<stdin>" } else { name.as_str() };
        if a.format == "jsonl" {
            match run_jsonl(&ex, name, shown, &opts, a.threads, &mut out) {
                Ok(f) => failed |= f,
                Err(e) => return write_failed(&e),
            }
            continue;
        }
        let bytes = match read_input(name) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("error: {shown}: {e}");
                failed = true;
                continue;
            }
        };
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: {}", utf8_error(shown, e.as_bytes(), 1));
                failed = true;
                continue;
            }
        };
        let doc = match extract_safely(&ex, &text, &opts) {
            Ok(d) => d,
            Err(msg) => {
                eprintln!("error: {shown}: {msg}");
                failed = true;
                continue;
            }
        };
        let res = if a.format == "text" {
            if files.len() > 1 {
                let _ = writeln!(out, "== {shown}");
            }
            write!(out, "{doc}")
        } else if files.len() > 1 {
            writeln!(out, "{}", with_field("file", &serde_json::Value::String(shown.to_string()), &to_json(&doc)))
        } else {
            serde_json::to_string_pretty(&doc).map_err(io::Error::other).and_then(|s| writeln!(out, "{s}"))
        };
        if let Err(e) = res {
            return write_failed(&e);
        }
    }
    if let Err(e) = out.flush() {
        return write_failed(&e);
    }
    if failed { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

/// A closed pipe (`| head`) ends quietly; any other write error is a failure.
fn write_failed(e: &io::Error) -> ExitCode {
    if e.kind() == io::ErrorKind::BrokenPipe {
        return ExitCode::SUCCESS;
    }
    eprintln!("error: writing output: {e}");
    ExitCode::from(1)
}

/// One JSONL input line, parsed or not.
enum Job {
    Doc { id: serde_json::Value, text: String, date: Option<Date> },
    Bad { id: serde_json::Value, msg: String },
}

fn parse_line(shown: &str, line_no: usize, line: &[u8]) -> Option<Job> {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if line.iter().all(|b| b.is_ascii_whitespace()) {
        return None;
    }
    let s = match std::str::from_utf8(line) {
        Ok(s) => s,
        Err(_) => {
            return Some(Job::Bad { id: serde_json::Value::Null, msg: utf8_error(shown, line, line_no) });
        }
    };
    let v: serde_json::Value = match serde_json::from_str(s) {
        Ok(v) => v,
        Err(e) => {
            return Some(Job::Bad {
                id: serde_json::Value::Null,
                msg: format!("{shown}:{line_no}:{}: {e}", e.column()),
            });
        }
    };
    let id = v.get("id").cloned().unwrap_or(serde_json::Value::Null);
    let Some(text) = v.get("text").and_then(|t| t.as_str()) else {
        return Some(Job::Bad { id, msg: format!("{shown}:{line_no}:1: no \"text\" string field") });
    };
    let date = match v.get("date") {
        None | Some(serde_json::Value::Null) => None,
        Some(d) => match d.as_str().and_then(Date::parse) {
            Some(d) => Some(d),
            None => {
                return Some(Job::Bad { id, msg: format!("{shown}:{line_no}:1: \"date\" is not a YYYY-MM-DD string") });
            }
        },
    };
    Some(Job::Doc { id, text: text.to_string(), date })
}

/// Processes a JSONL stream in batches, in parallel, writing in input order.
fn run_jsonl(
    ex: &Extractor,
    name: &str,
    shown: &str,
    opts: &Options,
    threads: usize,
    out: &mut impl Write,
) -> io::Result<bool> {
    let reader: Box<dyn BufRead> = if name == "-" {
        Box::new(io::BufReader::new(io::stdin()))
    } else {
        match std::fs::File::open(name) {
            Ok(f) => Box::new(io::BufReader::new(f)),
            Err(e) => {
                eprintln!("error: {shown}: {e}");
                return Ok(true);
            }
        }
    };
    let mut failed = false;
    let mut lines = reader.split(b'\n');
    let mut line_no = 0;
    loop {
        let mut batch: Vec<Job> = Vec::with_capacity(256);
        while batch.len() < 256 {
            match lines.next() {
                None => break,
                Some(Err(e)) => {
                    eprintln!("error: {shown}: {e}");
                    failed = true;
                    break;
                }
                Some(Ok(l)) => {
                    line_no += 1;
                    if let Some(j) = parse_line(shown, line_no, &l) {
                        batch.push(j);
                    }
                }
            }
        }
        if batch.is_empty() {
            break;
        }
        let results = process_batch(ex, &batch, opts, threads);
        for (job, res) in batch.iter().zip(results) {
            match job {
                Job::Bad { id, msg } => {
                    eprintln!("error: {msg}");
                    failed = true;
                    writeln!(out, "{{\"id\":{id},\"error\":{}}}", serde_json::Value::String(msg.clone()))?;
                }
                Job::Doc { id, .. } => {
                    let line = match res {
                        Ok(json) => with_field("id", id, &json),
                        Err(msg) => {
                            eprintln!("error: {shown}: document {id}: {msg}");
                            failed = true;
                            format!("{{\"id\":{id},\"error\":{}}}", serde_json::Value::String(msg))
                        }
                    };
                    writeln!(out, "{line}")?;
                }
            }
        }
    }
    Ok(failed)
}

/// Extracts one document; a bug that panics becomes an error for this
/// document only, so the others still come out.
fn extract_safely(ex: &Extractor, text: &str, opts: &Options) -> Result<Document, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| ex.extract_with(text, opts))).map_err(|p| {
        let what = p.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| p.downcast_ref::<String>().cloned());
        format!("internal error: {}", what.unwrap_or_else(|| "panic".into()))
    })
}

fn process_batch(ex: &Extractor, batch: &[Job], opts: &Options, threads: usize) -> Vec<Result<String, String>> {
    let run = |job: &Job| match job {
        Job::Doc { text, date, .. } => {
            extract_safely(ex, text, &Options::default().with_date(date.or(opts.date))).map(|d| to_json(&d))
        }
        Job::Bad { .. } => Ok(String::new()),
    };
    if threads <= 1 || batch.len() < 2 {
        return batch.iter().map(run).collect();
    }
    let chunk = batch.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> =
            batch.chunks(chunk).map(|c| s.spawn(move || c.iter().map(run).collect::<Vec<_>>())).collect();
        handles
            .into_iter()
            .zip(batch.chunks(chunk))
            .flat_map(|(h, c)| h.join().unwrap_or_else(|_| vec![Err("internal error: worker failed".into()); c.len()]))
            .collect()
    })
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    match argv.first().map(String::as_str) {
        Some("extract") => extract_cmd(&argv[1..]),
        Some("eval") => gazette::eval::cli(&argv[1..]),
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some(other) => usage_error(&format!("unknown command `{other}`")),
        None => usage_error("no command given"),
    }
}
