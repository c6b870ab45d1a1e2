//! Names from context: which entities come out of short invented texts.

use gazette::Extractor;

/// (text, entity type, entity name that must come out, a name that must not come out as a person)
const CASES: &[(&str, &str, &str, &str)] = &[
    (
        "The supplier, Quillon & Marsh LLC, signed on Friday, Quillon & Marsh said in a statement.",
        "organization",
        "Quillon & Marsh LLC",
        "Marsh",
    ),
    (
        "Shares of Dravenport Holdings Inc. rose; Dravenport Holdings said sales grew.",
        "organization",
        "Dravenport Holdings Inc.",
        "Dravenport Holdings",
    ),
    ("In the summer she flew to Crete with her sister.", "place", "Crete", "Crete"),
    (
        "Fighters of the Pan-Lusitanian Defence Front (PLDF) attacked. Later the PLDF said it withdrew.",
        "organization",
        "PLDF",
        "PLDF",
    ),
];

#[test]
fn a_place_opening_a_sports_event_name_is_not_the_place() {
    let ex = Extractor::new();
    let doc = ex.extract("She reached the third round of the U.S. Open on Friday in New York.");
    let places: Vec<&str> = doc
        .entities
        .iter()
        .filter(|e| type_of(e) == "place")
        .flat_map(|e| e.mentions.iter())
        .map(|m| m.text.as_str())
        .collect();
    assert_eq!(places, ["New York"]);
}

/// The entity's type as the JSON output spells it.
fn type_of(e: &gazette::Entity) -> String {
    serde_json::to_value(e).ok().and_then(|v| v["type"].as_str().map(str::to_string)).unwrap_or_default()
}

#[test]
fn names_from_context() {
    let ex = Extractor::new();
    let mut failures = Vec::new();
    for (text, ty, name, not_person) in CASES {
        let doc = ex.extract(text);
        let found = doc.entities.iter().find(|e| e.name == *name && type_of(e) == *ty);
        match found {
            None => failures.push(format!("{text:?}: no {ty} {name:?}")),
            // Every mention of the short form joins the full name.
            Some(e) if *ty == "organization" && e.mentions.len() < 2 => {
                failures.push(format!("{text:?}: {name:?} has {} mention(s)", e.mentions.len()))
            }
            _ => {}
        }
        let person =
            doc.entities.iter().any(|e| type_of(e) == "person" && e.mentions.iter().any(|m| m.text == *not_person));
        if person {
            failures.push(format!("{text:?}: {not_person:?} came out as a person"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A name the document typed once is that type at its other uses too ("one
/// sense per discourse"), also in an all-caps headline; a name the document
/// types two ways is left alone.
#[test]
fn a_name_keeps_its_type_through_the_document() {
    let ex = Extractor::new();
    let cases: &[(&str, &str, &str, usize)] = &[
        (
            "SOCCER - DRAVELO KEEP TOP SPOT.\nSOCCER - RESULTS.\nDravelo 2 Kestwick 1\nDravelo are top of the table.",
            "organization",
            "Dravelo",
            3,
        ),
        (
            "Fighting was reported in the town of Qaravell. Residents said Qaravell was quiet on Sunday.",
            "place",
            "Qaravell",
            2,
        ),
    ];
    for (text, ty, name, uses) in cases {
        let doc = ex.extract(text);
        let mentions: usize = doc
            .entities
            .iter()
            .filter(|e| type_of(e) == *ty && e.mentions.iter().any(|m| m.text.eq_ignore_ascii_case(name)))
            .map(|e| e.mentions.iter().filter(|m| m.text.eq_ignore_ascii_case(name)).count())
            .sum();
        assert_eq!(mentions, *uses, "{text:?}: {ty} {name:?}");
    }
}
