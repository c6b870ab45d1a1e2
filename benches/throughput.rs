//! Throughput and resource use: `cargo bench --bench throughput [-- FILE.jsonl ...]`.
//!
//! Prints load time (embedded data parse + table build), MB/s and
//! docs/s on one thread and on all cores, and peak memory (VmHWM).
//! Input: JSONL files with a "text" field; by default the CoNLL-2003 dev
//! and train files from `../shared` when present, else the test fixtures.

use std::time::Instant;

use gazette::Extractor;

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(str::to_string))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse::<f64>().ok()))
        .map_or(0.0, |kb| kb / 1024.0)
}

fn load_docs(args: &[String]) -> Vec<String> {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut files: Vec<String> = args.iter().filter(|a| !a.starts_with('-')).cloned().collect();
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
        let base = docs.clone();
        for _ in 0..50 {
            docs.extend(base.iter().cloned());
        }
    }
    docs
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let rss0 = peak_rss_mb();
    let t = Instant::now();
    let ex = Extractor::new();
    let load = t.elapsed();
    let rss_load = peak_rss_mb();
    println!(
        "load: {:.1} ms (embedded data, tables and tries), peak RSS after load {:.1} MB (+{:.1} MB)",
        load.as_secs_f64() * 1e3,
        rss_load,
        rss_load - rss0
    );
    // A fresh model (defaults plus one user entry) five times: the median.
    let mut times: Vec<f64> = (0..5)
        .map(|_| {
            let t = Instant::now();
            let custom = Extractor::builder().gazetteer_str("x.tsv", "#@ type=place\nXyzzy\n").build();
            assert!(custom.is_ok());
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    println!("load, median of 5 fresh builds: {:.1} ms (min {:.1}, max {:.1})", times[2], times[0], times[4]);
    let docs = load_docs(&args);
    let bytes: usize = docs.iter().map(String::len).sum();
    println!("corpus: {} docs, {:.2} MB", docs.len(), bytes as f64 / 1e6);
    // Warm up, then one thread.
    for d in docs.iter().take(20) {
        ex.extract(d);
    }
    let t = Instant::now();
    let mut items = 0usize;
    for d in &docs {
        let doc = ex.extract(d);
        items += doc.entities.len();
    }
    let s = t.elapsed().as_secs_f64();
    println!("1 thread:  {:.1} MB/s, {:.0} docs/s ({items} entities)", bytes as f64 / 1e6 / s, docs.len() as f64 / s);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let t = Instant::now();
    let chunk = docs.len().div_ceil(threads);
    std::thread::scope(|sc| {
        for c in docs.chunks(chunk) {
            let ex = ex.clone();
            sc.spawn(move || c.iter().map(|d| ex.extract(d).entities.len()).sum::<usize>());
        }
    });
    let s = t.elapsed().as_secs_f64();
    println!("{threads} threads: {:.1} MB/s, {:.0} docs/s", bytes as f64 / 1e6 / s, docs.len() as f64 / s);
    println!("peak RSS: {:.1} MB", peak_rss_mb());
}
