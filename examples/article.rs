//! Runs gazette on an article and prints what it found.
//!
//! ```text
//! cargo run --release --example article              # the founding example article
//! cargo run --release --example article -- FILE.md   # your own
//! cargo run --release --example article -- FILE.md --json
//! ```

use std::process::ExitCode;

/// The founding example: The Moscow Times reprinting Reuters, 2018-09-21.
const SEED: &str = include_str!("../tests/fixtures/lavrov-bosnia-2018.md");

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let json = args.iter().any(|a| a == "--json");
    let text = match args.iter().find(|a| !a.starts_with("--")) {
        Some(path) => match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: {path}: {e}");
                return ExitCode::from(1);
            }
        },
        None => SEED.to_string(),
    };
    let doc = gazette::Extractor::new().extract(&text);
    if json {
        match serde_json::to_string_pretty(&doc) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(1);
            }
        }
    } else {
        print!("{doc}");
    }
    ExitCode::SUCCESS
}
