//! The import graph matches DESIGN.md's stage diagram: no stage module
//! refers to a later stage.

/// The stages in pipeline order (DESIGN.md, "The pipeline").
const STAGES: &[&str] =
    &["input", "tokens", "gazetteer", "dates", "marks", "entities", "relations", "quotes", "events", "output"];

#[test]
fn no_stage_imports_a_later_stage() {
    let src = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
    let mut problems = Vec::new();
    for (k, stage) in STAGES.iter().enumerate() {
        let path = format!("{src}/{stage}.rs");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        for later in &STAGES[k + 1..] {
            let refs = [format!("crate::{later}::"), format!("crate::{later};"), format!("crate::{{{later}")];
            for (n, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                if refs.iter().any(|r| code.contains(r.as_str())) || code.contains(&format!("use crate::{{{later},")) {
                    problems.push(format!("src/{stage}.rs:{}: refers to the later stage `{later}`", n + 1));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
