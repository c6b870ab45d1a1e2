//! Events: which mentions make one event, and which words are no event.
//! Invented texts.

use gazette::{Date, Document, Extractor, Options};

fn extract(text: &str) -> Document {
    Extractor::new().extract_with(text, &Options::default().with_date(Date::parse("2016-03-01")))
}

/// The mention texts of each event that has one of `words` among them.
fn events_with(doc: &Document, word: &str) -> Vec<Vec<String>> {
    doc.events
        .iter()
        .map(|e| e.mentions.iter().map(|m| m.text.clone()).collect::<Vec<_>>())
        .filter(|ms| ms.iter().any(|m| m.to_lowercase().contains(word)))
        .collect()
}

#[test]
fn differently_named_events_stay_apart() {
    // Two named festivals on the same day, no place: never one event.
    let doc = extract("Crowds filled the Lantern Festival on Monday. The Dragon Festival on Monday drew fewer.");
    let festivals = events_with(&doc, "festival");
    assert_eq!(festivals.len(), 2, "{festivals:?}");
}

#[test]
fn a_definite_anaphor_joins_the_nearest_event() {
    let doc = extract(
        "Voters in Latvia chose a new parliament in the national election on Sunday. \
         Observers said the vote was calm.",
    );
    let elections = events_with(&doc, "election");
    assert_eq!(elections.len(), 1, "{elections:?}");
    assert!(elections[0].iter().any(|m| m == "vote"), "{elections:?}");
}

#[test]
fn bare_and_owned_triggers_do_not_merge() {
    // "voting" used twice, and two people's campaigns: no tie between them.
    let doc = extract(
        "Tom Hale ended his presidential campaign in Ohio on Monday. Ana Ruiz said the presidential \
         campaign in Iowa had been long. Voting began in Iowa at noon. Hale was criticised for voting \
         against the bill.",
    );
    let campaigns = events_with(&doc, "campaign");
    assert!(campaigns.iter().all(|ms| ms.len() == 1), "{campaigns:?}");
    let voting = events_with(&doc, "voting");
    assert!(voting.iter().all(|ms| ms.len() == 1), "{voting:?}");
}

#[test]
fn an_organization_is_no_event() {
    let doc = extract(
        "Ana Ruiz is running for Congress in the 7th district. Tom Hale, president of the Lantern Campaign, \
         spoke at the rally in Ohio on Monday.",
    );
    let kinds: Vec<&str> = doc.events.iter().map(|e| e.name.as_str()).collect();
    assert!(!kinds.iter().any(|n| n.contains("Congress") || n.contains("Lantern")), "{kinds:?}");
    assert!(kinds.iter().any(|n| n.contains("rally")), "{kinds:?}");
}

#[test]
fn figurative_wars_are_no_events() {
    let doc = extract(
        "Ana Ruiz wrote a book on the war on drugs in 2010. Her country was at war. \
         The war in Iraq began in 2003.",
    );
    let wars = events_with(&doc, "war");
    assert_eq!(wars.len(), 1, "{wars:?}");
    assert_eq!(wars[0], vec!["war".to_string()], "{wars:?}");
}

#[test]
fn a_body_named_for_elections_is_no_election() {
    let doc = extract("The Board of Elections in Ohio met on Monday. The primary motives of the board were clear.");
    let names: Vec<&str> = doc.events.iter().map(|e| e.name.as_str()).collect();
    assert!(names.iter().all(|n| !n.contains("Election") && !n.contains("primary")), "{names:?}");
}

#[test]
fn polls_are_surveys() {
    let doc = extract("Tom Hale led the polls in Ohio on Monday.");
    assert!(doc.events.iter().all(|e| e.kind != "election"), "{:?}", doc.events);
}
