//! Helpers shared by the integration tests.

/// Asserts that every span in `doc` slices `text` to the reported text.
pub fn check_spans(text: &str, doc: &gazette::Document) {
    let check = |s: usize, e: usize, t: &str| {
        assert!(s <= e && e <= text.len(), "span {s}..{e} out of range");
        assert_eq!(text.get(s..e), Some(t), "span {s}..{e}");
    };
    for e in &doc.entities {
        for m in &e.mentions {
            check(m.start, m.end, &m.text);
        }
    }
    for r in &doc.relations {
        check(r.start, r.end, &r.text);
    }
    for q in &doc.quotes {
        check(q.start, q.end, &q.text);
        for p in &q.parts {
            check(p.start, p.end, &p.text);
        }
    }
    for ev in &doc.events {
        for m in &ev.mentions {
            check(m.start, m.end, &m.text);
        }
    }
    for d in &doc.dates {
        check(d.start, d.end, &d.text);
    }
}
