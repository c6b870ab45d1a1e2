//! Property tests over hostile input: arbitrary strings and Markdown-like
//! text never make gazette panic, every span slices the input on character
//! boundaries, the JSON reads back into the same `Document`, and the HTML
//! view escapes everything.

use gazette::{Document, Extractor};
use proptest::prelude::*;

mod common;

use common::PIECES;

fn markdownish() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..80).prop_map(|v| v.concat())
}

fn check(text: &str) {
    let ex = Extractor::new();
    let doc = ex.extract(text);
    common::check_spans(text, &doc);
    let json = serde_json::to_string(&doc).expect("serializes");
    let back: Document = serde_json::from_str(&json).expect("reads back");
    assert_eq!(back, doc);
    let page = gazette::html::render(text, &doc);
    assert!(!page.contains("<script"), "unescaped <script> in the page");
}

proptest! {
    // 256 cases each; PROPTEST_CASES=100000 for a long run.
    #[test]
    fn arbitrary_strings(text in any::<String>()) {
        check(&text);
    }

    #[test]
    fn markdown_like_text(text in markdownish()) {
        check(&text);
    }
}
