//! Fuzzes the extractor (with the embedded data): no panic on any text,
//! every span slices the input, the JSON reads back, the HTML view renders.

#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;

static EX: LazyLock<gazette::Extractor> = LazyLock::new(gazette::Extractor::new);

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let doc = EX.extract(text);
    let check = |s: gazette::Span, t: &str| assert_eq!(text.get(s.range()), Some(t), "span {s:?}");
    for e in &doc.entities {
        e.mentions.iter().for_each(|m| check(m.span, &m.text));
    }
    doc.relations.iter().for_each(|r| check(r.span, &r.text));
    for q in &doc.quotes {
        check(q.span, &q.text);
        q.parts.iter().for_each(|p| check(p.span, &p.text));
    }
    for ev in &doc.events {
        ev.mentions.iter().for_each(|m| check(m.span, &m.text));
    }
    doc.dates.iter().for_each(|d| check(d.span, &d.text));
    let json = serde_json::to_string(&doc).expect("serializes");
    let back: gazette::Document = serde_json::from_str(&json).expect("reads back");
    assert_eq!(back, doc);
    let page = gazette::html::render(text, &doc);
    assert!(!page.contains("<script"));
});
