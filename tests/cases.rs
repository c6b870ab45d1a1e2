//! Every bug-report case in `tests/fixtures/cases/` comes out fully right:
//! all required entities, relations and quotes found, every speaker right,
//! and nothing spurious or false (the rule of `../shared/cases/README.md`).

use std::path::Path;

use gazette::eval::{GoldDoc, score_doc};
use gazette::{Date, Extractor, Options};

mod common;

#[test]
fn every_case_is_fully_right() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cases");
    let mut golds: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/fixtures/cases exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".gold.json"))
        .collect();
    golds.sort();
    assert!(!golds.is_empty(), "no cases in {}", dir.display());
    let ex = Extractor::new();
    let mut problems = Vec::new();
    for path in &golds {
        let gold: GoldDoc = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let text = std::fs::read_to_string(dir.join(&gold.file)).unwrap();
        let opts = Options::default().with_date(gold.document_date.as_deref().and_then(Date::parse));
        let doc = ex.extract_with(&text, &opts);
        common::check_spans(&text, &doc);
        let s = score_doc(&gold, &doc);
        let name = path.file_name().unwrap().to_string_lossy();
        let mut bad = Vec::new();
        bad.extend(s.entities_missing.iter().map(|x| format!("missing entity {x}")));
        bad.extend(s.entities_spurious.iter().map(|x| format!("spurious entity {x}")));
        bad.extend(s.relations_missing.iter().map(|x| format!("missing relation {x}")));
        bad.extend(s.relations_false.iter().map(|x| format!("false relation {x}")));
        bad.extend(s.quotes_problems.iter().map(|x| format!("quote: {x}")));
        bad.extend(s.quotes_false.iter().map(|x| format!("false quote {x}")));
        if !bad.is_empty() {
            problems.push(format!("{name}:\n  {}", bad.join("\n  ")));
        }
    }
    assert!(problems.is_empty(), "cases not fully right:\n{}", problems.join("\n"));
}
