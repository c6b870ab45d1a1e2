//! The output contract read back: the CLI's JSON loads into
//! `gazette::Document` and serializes to the same JSON.

use std::process::Command;

#[test]
fn cli_json_reads_back_into_document() {
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/lavrov-bosnia-2018.md");
    let out = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["extract", "--format", "json", fixture])
        .output()
        .expect("the gazette binary runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json = String::from_utf8(out.stdout).expect("UTF-8 JSON");
    let doc: gazette::Document = serde_json::from_str(&json).expect("the CLI's JSON reads into Document");
    assert!(!doc.entities.is_empty() && !doc.quotes.is_empty() && !doc.relations.is_empty());
    let again: serde_json::Value = serde_json::to_value(&doc).unwrap();
    let original: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(again, original, "Document -> JSON differs from the CLI's JSON");
    // And the library gives the same document as the CLI.
    let text = std::fs::read_to_string(fixture).unwrap();
    assert_eq!(gazette::Extractor::new().extract(&text), doc);
}

#[test]
fn errors_have_a_kind_a_location_and_a_source() {
    use gazette::{ErrorKind, Extractor};
    let err = Extractor::builder().rules_str("mine.rules", "rule r1\n  when (p: &quote)\n  emit person(p)\n").build();
    let err = err.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Rule);
    assert_eq!((err.file(), err.line()), ("mine.rules", 2));
    assert!(err.message().contains("cannot see `&quote`"), "{err}");
    let err = Extractor::builder().rules_file("/nonexistent/x.rules").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Io);
    assert!(std::error::Error::source(&err).is_some());
}
