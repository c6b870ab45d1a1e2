//! The `gazette` command line. See `gazette --help`.

#![forbid(unsafe_code)]

use std::io::{self, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod eval_cmd;
mod extract_cmd;
mod progress;

/// Writes a line to stderr; a closed stderr is ignored (never a panic).
macro_rules! report {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($t)*);
    }};
}
pub(crate) use report;

/// Exit status: an input failed, the rest was processed.
pub const FAILED: u8 = 1;
/// Exit status: usage or configuration error.
pub const USAGE: u8 = 2;

#[derive(Parser)]
#[command(
    name = "gazette",
    version,
    about = "Entities, relations, quotes and events from English news articles",
    long_about = "Entities, relations, quotes and events from English news articles.\n\n\
                  Exit status: 0 success; 1 some input failed (the rest was processed) or the output \
                  could not be written; 2 usage or configuration error.",
    propagate_version = true,
    arg_required_else_help = true
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Extract from articles (files, or stdin) and print JSON, text or HTML
    Extract(extract_cmd::Args),
    /// Score extraction against annotated gold files
    #[command(long_about = eval_cmd::LONG_ABOUT)]
    Eval(eval_cmd::Args),
}

/// The data options shared by the subcommands.
#[derive(clap::Args, Clone, Debug)]
pub struct DataArgs {
    /// Add a rule file (repeatable)
    #[arg(long = "rules", value_name = "FILE")]
    pub rules: Vec<String>,
    /// Add a gazetteer file (repeatable)
    #[arg(long = "gazetteer", value_name = "FILE")]
    pub gazetteers: Vec<String>,
    /// Do not load the embedded data
    #[arg(long)]
    pub no_defaults: bool,
}

impl DataArgs {
    /// The extractor, or the configuration error (exit status 2) reported.
    pub fn extractor(&self) -> Result<gazette::Extractor, ExitCode> {
        let build = || {
            let mut b = gazette::Extractor::builder().defaults(!self.no_defaults);
            for g in &self.gazetteers {
                b = b.gazetteer_file(g)?;
            }
            for r in &self.rules {
                b = b.rules_file(r)?;
            }
            b.build()
        };
        build().map_err(|e| {
            report!("error: {e}");
            ExitCode::from(USAGE)
        })
    }
}

/// Worker threads: the given number, else all cores.
pub fn threads(n: Option<usize>) -> usize {
    n.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// A positive number, for `--threads`.
pub fn positive(s: &str) -> Result<usize, String> {
    s.parse::<usize>().ok().filter(|n| *n > 0).ok_or_else(|| format!("`{s}` is not a positive number"))
}

/// A closed pipe (`| head`) ends quietly; any other write error is a failure.
pub fn write_failed(e: &io::Error) -> ExitCode {
    if e.kind() == io::ErrorKind::BrokenPipe {
        return ExitCode::SUCCESS;
    }
    report!("error: writing output: {e}");
    ExitCode::from(FAILED)
}

/// Extracts one document; a bug that panics becomes an error for this
/// document only, so the others still come out.
pub fn extract_safely(
    ex: &gazette::Extractor,
    text: &str,
    opts: &gazette::Options,
) -> Result<gazette::Document, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| ex.extract_with(text, opts))).map_err(|p| {
        let what = p.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| p.downcast_ref::<String>().cloned());
        format!("internal error: {}", what.unwrap_or_else(|| "panic".into()))
    })
}

/// Runs `f` over `items` on `threads` threads, results in input order.
pub fn parallel<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync,
    lost: impl Fn() -> R,
) -> Vec<R> {
    if threads <= 1 || items.len() < 2 {
        return items.iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|s| {
        let handles: Vec<_> =
            items.chunks(chunk).map(|c| s.spawn(move || c.iter().map(f).collect::<Vec<_>>())).collect();
        handles
            .into_iter()
            .zip(items.chunks(chunk))
            .flat_map(|(h, c)| h.join().unwrap_or_else(|_| c.iter().map(|_| lost()).collect()))
            .collect()
    })
}

fn main() -> ExitCode {
    // A panic message must not panic itself on a closed stderr.
    std::panic::set_hook(Box::new(|info| {
        let _ = writeln!(io::stderr(), "internal error: {info}");
    }));
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { ExitCode::from(USAGE) } else { ExitCode::SUCCESS };
        }
    };
    match cli.cmd {
        Cmd::Extract(a) => extract_cmd::run(a),
        Cmd::Eval(a) => eval_cmd::run(a),
    }
}
