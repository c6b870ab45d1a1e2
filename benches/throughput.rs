//! Throughput and resource use.
//!
//! ```text
//! cargo bench --bench throughput [-- [--mb N] [FILE.jsonl ...]]
//! cargo bench --bench throughput -- --big-gazetteer 1000000 [--copy]
//! cargo bench --bench throughput -- --load-only N
//! ```
//!
//! The first form prints: load time (embedded data parsed, tables and tries
//! built; median of fresh builds), then over a corpus of article texts (the
//! "text" fields of JSONL files; by default CoNLL-2003 dev + train from
//! `../shared`, else the test fixtures; repeated until it holds `--mb` MB,
//! default 25) on one thread: MB/s of article text, docs/s, ns per token and
//! the time per pipeline stage; on all cores: MB/s and the speed-up; the
//! floor: a bare Aho-Corasick scan (leftmost-longest) of every gazetteer
//! phrase over the same bytes, and end to end as a fraction of it; peak RSS
//! (VmHWM).
//!
//! `--load-only N` prints the load figures only, over N fresh builds.
//!
//! The second form measures a user gazetteer of N generated entries (a
//! company watchlist): load time and peak RSS of the whole process. The
//! generated text is handed to the builder (as `gazetteer_file` does with
//! what it reads); with `--copy` the builder gets a `&str` and copies it.

use std::time::{Duration, Instant};

use gazette::{Extractor, Options};

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(str::to_string))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse::<f64>().ok()))
        .map_or(0.0, |kb| kb / 1024.0)
}

fn load_docs(files: &[String], min_mb: f64) -> Vec<String> {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut files = files.to_vec();
    if files.is_empty() {
        for f in ["conll2003-testa.jsonl", "conll2003-train.jsonl"] {
            let p = format!("{root}/../shared/corpora/conll2003/{f}");
            if std::path::Path::new(&p).exists() {
                files.push(p);
            }
        }
    }
    let mut docs = Vec::new();
    for f in &files {
        let Ok(text) = std::fs::read_to_string(f) else {
            eprintln!("cannot read {f}");
            continue;
        };
        for line in text.lines() {
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(line)
                && let Some(t) = v.get("text").and_then(|t| t.as_str())
            {
                docs.push(t.to_string());
            }
        }
    }
    if docs.is_empty() {
        let dir = format!("{root}/tests/fixtures");
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "txt" || x == "md") {
                docs.extend(std::fs::read_to_string(&p).ok());
            }
        }
    }
    let base = docs.clone();
    let mb = |d: &[String]| d.iter().map(String::len).sum::<usize>() as f64 / 1e6;
    while !base.is_empty() && mb(&docs) < min_mb {
        docs.extend(base.iter().cloned());
    }
    docs
}

/// Every phrase of the embedded gazetteer files (the first field of each data line).
fn gazetteer_phrases() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data/gazetteer");
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let Ok(text) = std::fs::read_to_string(e.path()) else { continue };
        for line in text.lines() {
            let l = line.trim_start_matches('\u{feff}');
            if l.is_empty() || l.starts_with('#') {
                continue;
            }
            if let Some(p) = l.split('\t').next().filter(|p| !p.is_empty()) {
                out.push(p.to_string());
            }
        }
    }
    out
}

fn big_gazetteer(n: usize, copy: bool) {
    let words = ["Acme", "Northshore", "Halden", "Kestrel", "Valley", "Marine", "Cable", "Global", "Pacific", "Union"];
    let kinds = ["Holdings", "Group", "Works", "Bank", "Airlines", "Partners", "Industries", "Capital"];
    let mut tsv = String::from("#@ type=organization class=company\n");
    for i in 0..n {
        let (a, b, c) = (words[i % 10], words[(i / 10) % 10], kinds[(i / 100) % 8]);
        tsv.push_str(&format!("{a} {b} {c} {i}\n"));
    }
    println!("user gazetteer: {n} entries, {:.1} MB of TSV", tsv.len() as f64 / 1e6);
    // The list is handed over, as `gazetteer_file` hands over what it
    // reads; `--copy` passes a `&str` (the builder copies it, and the
    // process holds the text twice while loading).
    let t = Instant::now();
    let b = Extractor::builder();
    let b = if copy { b.gazetteer_str("watchlist.tsv", &tsv) } else { b.gazetteer_str("watchlist.tsv", tsv) };
    let ex = b.build().expect("the generated gazetteer loads");
    let load = t.elapsed();
    let doc = ex.extract("Shares of Kestrel Valley Works 1234 rose after Acme Northshore Holdings 1 said so.");
    println!(
        "load with defaults: {:.0} ms; peak RSS of the process {:.0} MB; {} organizations found in a test sentence",
        load.as_secs_f64() * 1e3,
        peak_rss_mb(),
        doc.entities.len()
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let flag = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)?.parse::<f64>().ok());
    if let Some(n) = flag("--big-gazetteer") {
        big_gazetteer(n as usize, args.iter().any(|a| a == "--copy"));
        return;
    }
    let files: Vec<String> = args
        .iter()
        .enumerate()
        .filter(|(i, a)| !a.starts_with('-') && !args[i.saturating_sub(1)].starts_with("--"))
        .map(|(_, a)| a.clone())
        .collect();
    let rss0 = peak_rss_mb();
    let t = Instant::now();
    let ex = Extractor::new();
    let load = t.elapsed();
    println!(
        "load: {:.1} ms (embedded data, tables and tries), peak RSS after load {:.1} MB (+{:.1} MB)",
        load.as_secs_f64() * 1e3,
        peak_rss_mb(),
        peak_rss_mb() - rss0
    );
    let builds = flag("--load-only").map_or(5, |n| (n as usize).max(1));
    let mut times: Vec<f64> = (0..builds)
        .map(|_| {
            let t = Instant::now();
            let custom = Extractor::builder().gazetteer_str("x.tsv", "#@ type=place\nXyzzy\n").build();
            assert!(custom.is_ok());
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    println!(
        "load, median of {builds} fresh builds: {:.1} ms (min {:.1}, max {:.1})",
        times[builds / 2],
        times[0],
        times[builds - 1]
    );
    if flag("--load-only").is_some() {
        return;
    }

    let docs = load_docs(&files, flag("--mb").unwrap_or(25.0));
    let bytes: usize = docs.iter().map(String::len).sum();
    let mb = bytes as f64 / 1e6;
    println!("corpus: {} docs, {mb:.2} MB of article text", docs.len());
    for d in docs.iter().take(50) {
        ex.extract(d);
    }

    // One thread, with the time per stage.
    let opts = Options::default();
    let mut stages: Vec<(&'static str, Duration)> = Vec::new();
    let mut tokens = 0usize;
    let t = Instant::now();
    for d in &docs {
        let p = ex.profile(d, &opts);
        tokens += p.tokens;
        if stages.is_empty() {
            stages = p.stages.clone();
        } else {
            for (acc, (_, dt)) in stages.iter_mut().zip(&p.stages) {
                acc.1 += *dt;
            }
        }
    }
    let one = t.elapsed().as_secs_f64();
    println!(
        "1 thread: {:.2} MB/s, {:.0} docs/s, {:.0} ns per token ({tokens} tokens)",
        mb / one,
        docs.len() as f64 / one,
        one * 1e9 / tokens as f64
    );
    let total: f64 = stages.iter().map(|(_, d)| d.as_secs_f64()).sum();
    let breakdown: Vec<String> = stages
        .iter()
        .map(|(n, d)| {
            format!(
                "{n} {:.0}% ({:.0} ns/token)",
                d.as_secs_f64() / total * 100.0,
                d.as_secs_f64() * 1e9 / tokens as f64
            )
        })
        .collect();
    println!("  stages: {}", breakdown.join(", "));

    // All cores.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let t = Instant::now();
    let chunk = docs.len().div_ceil(threads);
    std::thread::scope(|sc| {
        for c in docs.chunks(chunk) {
            let ex = ex.clone();
            sc.spawn(move || c.iter().map(|d| ex.extract(d).entities.len()).sum::<usize>());
        }
    });
    let all = t.elapsed().as_secs_f64();
    println!("{threads} threads: {:.2} MB/s ({:.2}x one thread)", mb / all, one / all);

    // The floor: a bare scan of the same gazetteer over the same bytes.
    let phrases = gazetteer_phrases();
    let t = Instant::now();
    let ac = aho_corasick::AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::LeftmostLongest)
        .build(&phrases)
        .expect("the phrases build an automaton");
    let build = t.elapsed();
    let t = Instant::now();
    let found: usize = docs.iter().map(|d| ac.find_iter(d).count()).sum();
    let scan = t.elapsed().as_secs_f64();
    println!(
        "floor: aho-corasick over {} gazetteer phrases (built in {:.0} ms): {:.1} MB/s ({found} matches); end to end is {:.3} of it",
        phrases.len(),
        build.as_secs_f64() * 1e3,
        mb / scan,
        scan / one
    );
    println!("peak RSS: {:.1} MB", peak_rss_mb());
}
