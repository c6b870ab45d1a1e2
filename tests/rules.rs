//! Every rule's inline examples must come out as promised.

#[test]
fn rule_examples() {
    let ex = gazette::Extractor::new();
    let failures = ex.check_examples();
    assert!(
        failures.is_empty(),
        "{} rule examples failed:\n{}",
        failures.len(),
        failures.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn every_rule_has_an_id_and_the_ids_are_unique() {
    let ex = gazette::Extractor::new();
    let ids = ex.rule_ids();
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), ids.len());
}
