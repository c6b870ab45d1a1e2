//! Scores every annotated fixture in `tests/fixtures/` against committed
//! floors (`tests/fixtures/floors.json`) that may only rise: a change that
//! lowers any score fails and lists what regressed.

use std::collections::BTreeMap;
use std::path::Path;

use gazette::eval::{DocScore, GoldDoc, score_doc};
use gazette::{Date, Extractor, Options};
use serde::Deserialize;

mod common;
use common::check_spans;

/// Floors for one fixture: counts that must not fall, and error counts
/// that must not grow.
#[derive(Debug, Deserialize)]
struct Floor {
    entities_found: usize,
    entities_spurious_max: usize,
    relations_found: usize,
    relations_false_max: usize,
    quotes_found: usize,
    speakers_right: usize,
    quotes_false_max: usize,
    dates_found: usize,
}

fn fixtures() -> Vec<(GoldDoc, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut out = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(&dir).unwrap().filter_map(|e| e.ok()).map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.to_string_lossy().ends_with(".gold.json") {
            let gold: GoldDoc = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            let text = std::fs::read_to_string(dir.join(&gold.file)).unwrap();
            out.push((gold, text));
        }
    }
    out
}

fn score(ex: &Extractor, gold: &GoldDoc, text: &str) -> (DocScore, gazette::Document) {
    let opts = Options::default().with_date(gold.document_date.as_deref().and_then(Date::parse));
    let doc = ex.extract_with(text, &opts);
    (score_doc(gold, &doc), doc)
}

#[test]
fn fixture_scores_do_not_fall() {
    let floors: BTreeMap<String, Floor> =
        serde_json::from_str(include_str!("fixtures/floors.json")).expect("floors.json parses");
    let ex = Extractor::new();
    let all = fixtures();
    assert!(all.len() >= 10, "at least 10 annotated fixtures");
    let mut problems = Vec::new();
    let mut raised = Vec::new();
    for (gold, text) in &all {
        let (s, _) = score(&ex, gold, text);
        let Some(f) = floors.get(&gold.id) else {
            problems.push(format!("{}: no floor in floors.json", gold.id));
            continue;
        };
        let checks: [(&str, usize, usize, bool, &Vec<String>); 8] = [
            ("entities found", s.entities_found, f.entities_found, true, &s.entities_missing),
            ("spurious entities", s.entities_spurious.len(), f.entities_spurious_max, false, &s.entities_spurious),
            ("relations found", s.relations_found, f.relations_found, true, &s.relations_missing),
            ("false relations", s.relations_false.len(), f.relations_false_max, false, &s.relations_false),
            ("quotes found", s.quotes_found, f.quotes_found, true, &s.quotes_problems),
            ("speakers right", s.speakers_right, f.speakers_right, true, &s.quotes_problems),
            ("false quotes", s.quotes_false.len(), f.quotes_false_max, false, &s.quotes_false),
            ("dates found", s.dates_found, f.dates_found, true, &s.dates_missing),
        ];
        for (label, got, floor, higher_better, items) in checks {
            let worse = if higher_better { got < floor } else { got > floor };
            let better = if higher_better { got > floor } else { got < floor };
            if worse {
                problems.push(format!(
                    "{}: {label} {got} (floor {floor}); items:\n      {}",
                    gold.id,
                    items.join("\n      ")
                ));
            } else if better {
                raised.push(format!("{}: {label} {got} (floor {floor})", gold.id));
            }
        }
    }
    if !raised.is_empty() {
        eprintln!("Scores above their floors (raise them in tests/fixtures/floors.json):\n  {}", raised.join("\n  "));
    }
    assert!(problems.is_empty(), "fixture scores fell:\n  {}", problems.join("\n  "));
}

#[test]
fn founding_article_is_fully_extracted() {
    let ex = Extractor::new();
    let (gold, text) = fixtures().into_iter().find(|(g, _)| g.id == "lavrov-bosnia-2018").unwrap();
    let (s, doc) = score(&ex, &gold, &text);
    assert_eq!(s.entities_found, s.entities_required, "missing: {:?}", s.entities_missing);
    assert!(s.entities_spurious.len() <= 1, "spurious: {:?}", s.entities_spurious);
    assert_eq!((s.relations_found, s.relations_required), (5, 5), "missing: {:?}", s.relations_missing);
    let false_office = s.relations_false.iter().filter(|r| r.contains("holds_office") || r.contains("candidate_for"));
    assert_eq!(false_office.count(), 0, "false: {:?}", s.relations_false);
    assert_eq!((s.quotes_found, s.speakers_right), (6, 6), "{:?}", s.quotes_problems);
    let election = doc.events.iter().find(|e| e.kind == "election").expect("an election event");
    assert_eq!(election.date.as_deref(), Some("2018-10-07"));
}

#[test]
fn every_span_slices_the_input() {
    let ex = Extractor::new();
    for (gold, text) in fixtures() {
        let (_, doc) = score(&ex, &gold, &text);
        check_spans(&text, &doc);
    }
}
