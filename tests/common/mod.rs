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

/// Pieces that hostile-input tests join at random: names, quotes, markup,
/// dates, odd characters (shared by the property and robustness tests).
#[allow(dead_code)]
pub const PIECES: &[&str] = &[
    "Sergei Lavrov",
    "Lavrov",
    "Foreign Minister",
    "Russian",
    "Bosnia",
    "he",
    "the",
    "said",
    "\"",
    "\u{201c}",
    "\u{201d}",
    "'",
    "\u{2019}s",
    "**",
    "# ",
    "[",
    "](",
    ")",
    "<https://x.y/z>",
    "https://a.b",
    ".",
    ",",
    "-",
    "U.S.",
    "Oct.",
    "7",
    "1992-95",
    "Friday",
    " ",
    "\n",
    "\n\n",
    "\t",
    "\u{e9}",
    "\u{1f600}",
    "\u{200b}",
    "\u{feff}",
    "<script>",
    "&amp;",
    "&",
    "\r\n",
    "\u{0301}",
    "Mr.",
    "(",
    "TASS",
    "/",
    ":",
    "--",
    "\u{2014}",
    "Sergei",
    "#",
    "\u{65e5}\u{672c}",
    "e\u{301}",
    "who",
    "is",
    "running",
    "for",
    "Banja Luka",
    "_",
    "`",
    "!",
    "?",
    "...",
    "\u{0}",
];
