//! Checking a rule's inline examples against an extracted document.

use crate::Document;

fn names(doc: &Document, id: &str) -> Vec<String> {
    doc.entity(id).map_or_else(Vec::new, |e| {
        let mut v = vec![e.name.to_lowercase()];
        v.extend(e.mentions.iter().map(|m| m.text.to_lowercase()));
        v
    })
}

fn is(doc: &Document, id: Option<&str>, want: &str) -> bool {
    id.is_some_and(|id| names(doc, id).contains(&want.to_lowercase()))
}

/// Whether `doc` contains what an example promises: `TYPE "mention"`,
/// `event "mention"`, `quote "speaker"`, or `PREDICATE "subject" ["office"] "object" ["status"]`
/// (an empty object `""` promises a relation without an object).
pub(crate) fn holds(doc: &Document, what: &str, args: &[String]) -> bool {
    let arg = |i: usize| args.get(i).map(String::as_str).unwrap_or("");
    match what {
        "person" | "organization" | "place" | "group" | "office" => {
            doc.entities.iter().any(|e| e.kind.as_str() == what && e.mentions.iter().any(|m| m.text == arg(0)))
        }
        "event" => doc.events.iter().any(|e| e.mentions.iter().any(|m| m.text == arg(0))),
        "date" => doc.dates.iter().any(|d| d.value.as_deref() == Some(arg(0))),
        "quote" => doc.quotes.iter().any(|q| {
            is(doc, q.speaker.as_deref(), arg(0)) || q.speaker.is_none() && q.speaker_text.as_deref() == Some(arg(0))
        }),
        pred => doc.relations.iter().any(|r| {
            let (office, object) = if args.len() >= 3 { (Some(arg(1)), arg(2)) } else { (None, arg(1)) };
            r.predicate == pred
                && is(doc, Some(&r.subject), arg(0))
                && office.is_none_or(|o| r.office.as_deref().is_some_and(|ro| ro.eq_ignore_ascii_case(o)))
                && if object.is_empty() { r.object.is_none() } else { is(doc, r.object.as_deref(), object) }
                && (args.len() < 4 || r.status.map_or("", |s| s.as_str()) == arg(3))
        }),
    }
}
