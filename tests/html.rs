//! The HTML view (`gazette::html`): escaping of article text and data,
//! balanced highlights, unknown speakers, evaluation errors in place.

use gazette::Extractor;
use gazette::eval::{GoldDoc, Scorer};
use gazette::html::{Page, render};

#[test]
fn data_file_text_is_escaped_too() {
    let ex = Extractor::builder()
        .gazetteer_str("mine.tsv", "#@ type=organization class=company\nA&B <Widgets>\n")
        .build()
        .unwrap();
    let text = "Shares of A&B <Widgets> rose & fell.";
    let doc = ex.extract(text);
    assert!(doc.entities.iter().any(|e| e.name == "A&B <Widgets>"), "{doc:?}");
    let page = render(text, &doc);
    assert!(!page.contains("<Widgets>"), "{page}");
    assert!(page.contains("data-name=\"A&amp;B &lt;Widgets&gt;\""), "{page}");
    assert!(page.contains(" rose &amp; fell."), "{page}");
}

#[test]
fn highlights_are_balanced_and_self_contained() {
    let text = include_str!("fixtures/lavrov-bosnia-2018.md");
    let doc = Extractor::new().extract(text);
    let page = render(text, &doc);
    assert_eq!(page.matches("<mark ").count(), page.matches("</mark>").count());
    assert_eq!(page.matches("<q ").count(), page.matches("</q>").count());
    assert!(page.matches("<mark ").count() > 60, "every mention is highlighted");
    for outside in ["src=", "href=", "<script", "<link", "<img", "@import", "url("] {
        assert!(!page.contains(outside), "{outside}");
    }
}

#[test]
fn a_quote_without_a_speaker_says_so() {
    let text = "\"We will not stop,\" a protester shouted.";
    let doc: gazette::Document = serde_json::from_str(
        r#"{"entities":[],"relations":[],"events":[],"dates":[],"quotes":[{"kind":"direct","start":1,"end":17,
            "text":"We will not stop","speaker":null,"cue":"shouted","rule":"test"}]}"#,
    )
    .unwrap();
    let page = render(text, &doc);
    assert!(page.contains("<span class=\"speaker unknown\" data-quote=\"Q1\""), "{page}");
    assert!(page.contains("data-speaker=\"speaker unknown\">We will not stop</q>"), "{page}");
}

#[test]
fn eval_view_marks_errors_in_place_and_lists_the_missing() {
    let text = "Sergei Lavrov met Ivica Dacic in Paris.";
    let gold: GoldDoc = serde_json::from_str(
        r#"{"id":"t","entities":[{"type":"person","name":"Sergei Lavrov"},{"type":"person","name":"Ivica Dacic"},
            {"type":"place","name":"Belgrade"}]}"#,
    )
    .unwrap();
    let doc = Extractor::new().extract(text);
    let score = Scorer::new().score_doc(&gold, &doc);
    assert!(score.entities_spurious.iter().any(|s| s.contains("Paris")), "{score:?}");
    let page = Page::new(text, &doc).title("t").score(&score).render();
    assert!(page.contains("id=\"review\""), "{page}");
    assert!(page.contains("place:Belgrade"), "the missing entity is listed: {page}");
    let paris = page.split("<mark ").find(|m| m.contains("data-name=\"Paris\"")).expect("Paris is highlighted");
    assert!(paris.contains(" err\""), "the spurious entity is outlined: {paris}");
}
