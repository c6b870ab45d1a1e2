//! Quote kinds learned from news, table-driven with invented text: each case
//! names a quote by a piece of its text and says what it must come out as.

use gazette::{Document, Extractor, Quote, QuoteKind};

/// What a case expects of the quote whose text contains `piece`.
struct Case {
    text: &'static str,
    piece: &'static str,
    /// `None`: no quote may contain `piece`.
    want: Option<(QuoteKind, Option<&'static str>)>,
}

const fn yes(text: &'static str, piece: &'static str, kind: QuoteKind, speaker: &'static str) -> Case {
    Case { text, piece, want: Some((kind, Some(speaker))) }
}

const fn unsourced(text: &'static str, piece: &'static str) -> Case {
    Case { text, piece, want: Some((QuoteKind::Indirect, None)) }
}

const fn no(text: &'static str, piece: &'static str) -> Case {
    Case { text, piece, want: None }
}

const CASES: &[Case] = &[
    // A quoted fragment no rule attributed: its clause is a mixed record,
    // spoken by the subject before the last speech verb before it.
    yes(
        "Lena Osei praised the council and mused that the budget was \"a disaster waiting to happen.\"",
        "a disaster waiting",
        QuoteKind::Mixed,
        "Lena Osei",
    ),
    // A participle continues the attribution before it in the sentence.
    yes(
        "\"We are not done,\" Lena Osei said on Monday, remarking that the count \"will go on for weeks.\"",
        "will go on for weeks",
        QuoteKind::Mixed,
        "Lena Osei",
    ),
    // The attribution may follow a fragment that no rule took.
    yes(
        "\"It was a very long night for all of us,\" groused Tomas Verhoef, 41, a volunteer.",
        "a very long night",
        QuoteKind::Direct,
        "Tomas Verhoef",
    ),
    // A long quote inside a sentence with no verb of its own takes the sentence's subject.
    yes(
        "Lena Osei has long held that \"no city can grow without its rivers\" in her speeches.",
        "no city can grow",
        QuoteKind::Mixed,
        "Lena Osei",
    ),
    // A title-case title and a short scare quote without a speech verb are not statements.
    no(
        "Lena Osei, curator of \"Rivers and Bridges from the Valley Collection\" at the museum, left.",
        "Rivers and Bridges",
    ),
    no("The so-called \"river tax\" was dropped by Lena Osei in June.", "river tax"),
    // An embedded post is its author's words: the credit's name, else the element's author handle.
    yes(
        "Reporters noted the hats.\n\n<tweet id=\"7711\" author=\"@lenavoss\">Both senators briefly wore the new hats at the rally. — Lena Voss (@lenavoss) September 1, 2016</tweet>.",
        "briefly wore the new hats",
        QuoteKind::Direct,
        "Lena Voss",
    ),
    yes(
        "Reporters noted the hats.\n\nIt was a long night for everyone in the hall. — Omar Haddad (@ohaddad) September 2, 2016",
        "a long night for everyone",
        QuoteKind::Direct,
        "Omar Haddad",
    ),
    // A short sentence leading into the quote gives its subject as the speaker.
    yes(
        "The season ended on Sunday.\n\nCoach Dara Lund walked to the podium. \"We will be back next season, and stronger.\"",
        "We will be back",
        QuoteKind::Direct,
        "Dara Lund",
    ),
    // A person merely mentioned in the paragraph before is no speaker: the
    // quote has none and is left out by default.
    no(
        "Dara Lund sold the house in the valley to a developer from the city last spring.\n\n\"Nobody here was ever asked about the new road.\"",
        "Nobody here",
    ),
    // A paragraph with only a name and its affiliation credits the quote above it.
    yes(
        "Critics were unmoved.\n\n\"I worry that we may see the same mistakes again next year.\"\n\nMaren Okafor, Center for Budget Research.",
        "the same mistakes",
        QuoteKind::Direct,
        "Maren Okafor",
    ),
    // With no one named in its sentence, a fragment is left alone.
    no("Nobody expected that \"the river would rise so fast this spring\" in the valley.", "the river would rise"),
    // A single word a rule found as a speaker's name lends itself to its later uses.
    yes(
        "\"We will not give up the fight,\" Wendlik said. Later Wendlik said the count was rigged.",
        "the count was rigged",
        QuoteKind::Indirect,
        "Wendlik",
    ),
    // A show named after a preposition or possessive is not a statement.
    no("Appearing on CBS's \"Face the Nation,\" Zoran Milic said the deal was dead.", "Face the Nation"),
    yes(
        "Appearing on CBS's \"Face the Nation,\" Zoran Milic said the deal was dead.",
        "the deal was dead",
        QuoteKind::Indirect,
        "Zoran Milic",
    ),
    // The closing mark after the sentence's stop belongs to the fragment.
    yes("Zoran Milic said the plan was a \"big mistake.\"", "big mistake.\"", QuoteKind::Mixed, "Zoran Milic"),
    // Reported content before its attribution, with a quoted fragment inside.
    yes(
        "\"Boots on the ground\" would be the wise course, Zoran Milic said.",
        "would be the wise course",
        QuoteKind::Mixed,
        "Zoran Milic",
    ),
    yes(
        "The plan is not good enough, said Zoran Milic, a senior analyst at the Ludlow Institute.",
        "not good enough",
        QuoteKind::Indirect,
        "Zoran Milic",
    ),
    // A quote closed after a full stop does not take the next sentence's attribution.
    yes(
        "Zoran Milic said the talks touched on \"a little bit of politics.\" Peter Kovac said he left early.",
        "he left early",
        QuoteKind::Indirect,
        "Peter Kovac",
    ),
    yes(
        "Zoran Milic said the talks touched on \"a little bit of politics.\" Peter Kovac said he left early.",
        "a little bit of politics",
        QuoteKind::Mixed,
        "Zoran Milic",
    ),
    // A mixed record's clause runs on after the fragment, up to the next attribution.
    yes(
        "Zoran Milic said he was \"not ready\" to back the plan this year, and suggested that talks go on.",
        "to back the plan this year",
        QuoteKind::Mixed,
        "Zoran Milic",
    ),
    // `according to` names a source whatever its words; two unnamed sources
    // are not one speaker, so neither record swallows the other.
    yes(
        "According to the FBI summary, the aide asked the firm to delete the emails.",
        "the aide asked the firm",
        QuoteKind::Indirect,
        "FBI summary",
    ),
    no("According to the FBI summary, the aide asked the firm to delete the emails.", "According to the FBI"),
    // Attributions that name no source: appearances, expectations, questions.
    unsourced("Mr. Zoran Milic seemed to overstay his welcome in the state.", "overstay his welcome"),
    unsourced("Turnout is widely expected to rise to a record this year.", "rise to a record"),
    unsourced("Asked whether he would run again, Zoran Milic said he would not.", "whether he would run again"),
    // A credit line after a quote names its speaker.
    yes(
        "\"Big companies pay almost nothing in taxes.\"\n\n- Zoran Milic.\n\nThe issue is complex.",
        "pay almost nothing",
        QuoteKind::Direct,
        "Zoran Milic",
    ),
];

fn speaker_name<'d>(doc: &'d Document, q: &Quote) -> Option<&'d str> {
    let id = q.speaker.as_deref()?;
    doc.entities.iter().find(|e| e.id == id).map(|e| e.name.as_str())
}

#[test]
fn quote_kinds() {
    let ex = Extractor::new();
    let mut failures = Vec::new();
    for c in CASES {
        let doc = ex.extract(c.text);
        let q = doc.quotes.iter().find(|q| q.text.contains(c.piece));
        let got = q.map(|q| (q.kind, speaker_name(&doc, q).or(q.speaker_text.as_deref())));
        if got != c.want {
            failures.push(format!("{:?}: quote with {:?} -> {got:?}, want {:?}", c.text, c.piece, c.want));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A short title quoted inside the attribution of a split quote (a show,
/// a slogan) does not end the record: the part after it is still one record
/// with the part before.
#[test]
fn split_quote_with_title_in_attribution() {
    let ex = Extractor::new();
    let text = "\"It is more of a consideration than it was,\" Zoran Milic said in an interview on \
                Ludlow TV's \"Morning Hour.\" \"You do not have to be the perfect candidate any more.\"";
    let doc = ex.extract(text);
    let q = doc.quotes.iter().find(|q| q.text.contains("more of a consideration"));
    let parts = q.map(|q| q.parts.len());
    assert_eq!(parts, Some(2), "{:#?}", doc.quotes);
    assert!(!doc.quotes.iter().any(|q| q.parts.iter().any(|p| p.text.contains("Morning Hour"))), "{:#?}", doc.quotes);
}

/// A quote whose attribution ends its paragraph continues in the next
/// paragraph when that paragraph opens with a quote: one record; a paragraph
/// that opens with other words first starts a record of its own.
#[test]
fn split_quote_over_paragraph_after_attribution() {
    let ex = Extractor::new();
    let text = "\"We have waited long enough for this road,\" Zoran Milic said on Monday.\n\n\
                \"Now the county has to keep its word to the people of the valley.\"\n\n\
                The county said it would. \"We always keep our word to the valley,\" Peter Kovac said.\n\n\
                Later he spoke again. \"The road will be ready by the end of next year.\"";
    let doc = ex.extract(text);
    let first = doc.quotes.iter().find(|q| q.text.contains("waited long enough"));
    assert_eq!(first.map(|q| q.parts.len()), Some(2), "{:#?}", doc.quotes);
    let second = doc.quotes.iter().find(|q| q.text.contains("keep our word"));
    // A single-part record lists no parts.
    assert!(second.is_some_and(|q| q.parts.len() <= 1), "{:#?}", doc.quotes);
}
