//! Helpers shared by the integration tests.

/// Asserts that every span in `doc` slices `text` to the reported text.
pub fn check_spans(text: &str, doc: &gazette::Document) {
    let check = |span: gazette::Span, t: &str| {
        let (s, e) = (span.start, span.end);
        assert!(s <= e && e <= text.len(), "span {s}..{e} out of range");
        assert_eq!(text.get(s..e), Some(t), "span {s}..{e}");
    };
    for e in &doc.entities {
        for m in &e.mentions {
            check(m.span, &m.text);
        }
    }
    for r in &doc.relations {
        check(r.span, &r.text);
    }
    for q in &doc.quotes {
        check(q.span, &q.text);
        for p in &q.parts {
            check(p.span, &p.text);
        }
    }
    for ev in &doc.events {
        for m in &ev.mentions {
            check(m.span, &m.text);
        }
    }
    for d in &doc.dates {
        check(d.span, &d.text);
    }
}
