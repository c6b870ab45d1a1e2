//! Office facts across sentences (rel.definite_description). Invented texts.

use gazette::{Document, Extractor};

fn facts(doc: &Document) -> Vec<(String, String, String, String)> {
    let name = |id: &Option<String>| {
        id.as_ref().and_then(|id| doc.entities.iter().find(|e| &e.id == id)).map_or(String::new(), |e| e.name.clone())
    };
    doc.relations
        .iter()
        .filter(|r| r.predicate == "holds_office")
        .map(|r| {
            (
                name(&Some(r.subject.clone())),
                r.office.clone().unwrap_or_default(),
                name(&r.object),
                r.status.map(|s| s.as_str().to_string()).unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn a_definite_description_names_the_previous_subject() {
    let doc = Extractor::new()
        .extract("Libertarian candidate Tom Hale's doctor calls him fit.\n\nThe former Ohio governor is a triathlete.");
    let f = facts(&doc);
    assert!(f.contains(&("Tom Hale".into(), "governor".into(), "Ohio".into(), "former".into())), "{f:?}");
}

#[test]
fn a_description_of_another_place_is_someone_else() {
    // Hale governs Texas: "the Ohio governor" is not him.
    let doc = Extractor::new()
        .extract("Texas Governor Tom Hale spoke first. Hale said the plan would fail. The Ohio governor disagreed.");
    let f = facts(&doc);
    assert!(!f.iter().any(|(s, _, o, _)| s == "Tom Hale" && o == "Ohio"), "{f:?}");
}

#[test]
fn two_people_before_leave_the_description_open() {
    let doc = Extractor::new().extract("Tom Hale met Ana Ruiz on Monday. The Ohio governor said little.");
    let f = facts(&doc);
    assert!(!f.iter().any(|(_, _, o, _)| o == "Ohio"), "{f:?}");
}
