//! The HTML view of a document (what displaCy is to spaCy): one
//! self-contained page — no scripts, fonts or anything else fetched — with
//! the article text, every mention highlighted by type (colour and a small
//! label), pronoun and nominal mentions tied to their entity (the entity's
//! colour, its name on hover), quotes marked with their speakers, the facts
//! list, events with dates, dates, and a legend.
//!
//! All text from the article and from data files is escaped.
//!
//! ```
//! let text = "Russian Foreign Minister Sergei Lavrov said <b>hi</b> & left.";
//! let doc = gazette::Extractor::new().extract(text);
//! let page = gazette::html::render(text, &doc);
//! assert!(page.starts_with("<!DOCTYPE html>"));
//! assert!(page.contains("data-type=\"person\""));
//! assert!(page.contains("&lt;b&gt;hi&lt;/b&gt; &amp; left"));
//! ```
//!
//! Elements a program (or a browser test) can look for: every mention is a
//! `<mark class="m TYPE KIND" data-entity="E1" data-type="person"
//! data-kind="name">`; every quote piece a `<q class="quote direct"
//! data-quote="Q1" data-speaker="Sergei Lavrov">` preceded at its start by
//! `<span class="speaker" data-quote="Q1">`; the facts are `<li
//! class="fact">` in `<ul id="facts">`.

use std::fmt::Write as _;

use crate::Document;
use crate::eval::DocScore;

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Shows at most one blank line in a row (Markdown sources have many).
/// Tags hold no line breaks: attribute values are escaped single lines.
fn collapse_blank_lines(h: &str) -> String {
    let mut out = String::with_capacity(h.len());
    let mut newlines = 0;
    for c in h.chars() {
        if c == '\n' {
            newlines += 1;
            if newlines > 2 {
                continue;
            }
        } else if c != '\r' && c != ' ' {
            newlines = 0;
        }
        out.push(c);
    }
    out
}

/// Renders `doc`, extracted from `text`, as a self-contained HTML page.
pub fn render(text: &str, doc: &Document) -> String {
    Page::new(text, doc).render()
}

/// A page to render, with an optional title and evaluation errors.
#[derive(Clone, Debug)]
pub struct Page<'a> {
    text: &'a str,
    doc: &'a Document,
    title: String,
    score: Option<&'a DocScore>,
}

/// The entity types in legend order, with their highlight colours.
const TYPES: &[(&str, &str)] = &[
    ("person", "#ffd9a8"),
    ("organization", "#b9dcff"),
    ("place", "#c3efc3"),
    ("office", "#f3c9f0"),
    ("group", "#fff1a3"),
    ("event", "#ffc4c4"),
    ("date", "#dcdcdc"),
];

/// A distinct colour per entity (golden-angle hues).
fn entity_colour(index: usize) -> String {
    format!("hsl({}, 65%, 40%)", (index * 137) % 360)
}

/// One highlight to place in the text.
struct Mark {
    start: usize,
    end: usize,
    /// Element attributes (already escaped).
    attrs: String,
    /// The small label after the text (already escaped).
    label: String,
}

impl<'a> Page<'a> {
    /// A page for `doc`, extracted from `text`.
    pub fn new(text: &'a str, doc: &'a Document) -> Page<'a> {
        Page { text, doc, title: String::new(), score: None }
    }

    /// Sets the page title (a file name or document id).
    pub fn title(mut self, title: &str) -> Page<'a> {
        self.title = title.to_string();
        self
    }

    /// Shows evaluation errors: spurious entities, false relations and
    /// quotes and wrong speakers are marked in place; missing items listed.
    pub fn score(mut self, score: &'a DocScore) -> Page<'a> {
        self.score = Some(score);
        self
    }

    /// The HTML page.
    pub fn render(&self) -> String {
        let mut h = String::with_capacity(self.text.len() * 3 + 4096);
        let title = if self.title.is_empty() { "gazette".to_string() } else { format!("{} — gazette", self.title) };
        let _ = write!(
            h,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>{}</title><style>{}</style></head><body>\n<header><h1>{}</h1>",
            escape(&title),
            self.css(),
            escape(if self.title.is_empty() { "gazette" } else { &self.title })
        );
        if let Some(d) = &self.doc.date {
            let _ = write!(h, "<p class=\"docdate\">Document date: <time>{}</time></p>", escape(d));
        }
        h.push_str("</header>\n<main>\n<article id=\"text\">");
        h.push_str(&self.body());
        h.push_str("</article>\n<aside>");
        self.legend(&mut h);
        self.review(&mut h);
        self.facts(&mut h);
        self.quotes(&mut h);
        self.events(&mut h);
        self.dates(&mut h);
        self.entities(&mut h);
        h.push_str("</aside>\n</main>\n<footer>Made by gazette: every highlight names the rule or gazetteer entry behind it (hover).</footer>\n</body></html>\n");
        h
    }

    fn css(&self) -> String {
        let mut css = String::from(
            "body{font-family:Georgia,'Times New Roman',serif;margin:0;color:#222;background:#fafafa}\
             header{padding:.6em 1.5em;background:#263238;color:#fff}header h1{font-size:1.2em;margin:0}\
             .docdate{margin:.2em 0 0;font-size:.85em;color:#cfd8dc}\
             main{display:flex;flex-wrap:wrap;gap:1.5em;padding:1em 1.5em}\
             #text{flex:3 1 34em;white-space:pre-wrap;line-height:2.1;background:#fff;padding:1em 1.5em;\
             border:1px solid #ddd;border-radius:6px;font-size:1.02em}\
             aside{flex:2 1 22em;font-family:system-ui,sans-serif;font-size:.9em}\
             aside section{background:#fff;border:1px solid #ddd;border-radius:6px;padding:.4em 1em;margin-bottom:1em}\
             aside h2{font-size:1em;margin:.4em 0}aside ul{padding-left:1.2em;margin:.3em 0}\
             mark.m{padding:.1em .2em;border-radius:.3em;border-bottom:3px solid var(--ent,transparent);color:inherit}\
             mark.m.pronoun,mark.m.nominal,mark.m.demonym{background:transparent;border:2px dashed var(--ent,#999);\
             border-radius:.3em}\
             .lbl{font:bold .62em system-ui,sans-serif;text-transform:uppercase;margin-left:.3em;vertical-align:middle;\
             color:#444;white-space:nowrap}\
             .ref{font:.68em system-ui,sans-serif;margin-left:.25em;color:var(--ent,#555);white-space:nowrap}\
             q.quote{quotes:none;background:linear-gradient(transparent 60%,#fff3b0 60%)}\
             q.quote.indirect{background:linear-gradient(transparent 60%,#e0f0ff 60%)}\
             .speaker{font:bold .7em system-ui,sans-serif;background:#37474f;color:#fff;border-radius:.8em;\
             padding:.1em .5em;margin-right:.2em;white-space:nowrap}\
             .speaker.unknown{background:#9e9e9e}\
             .swatch{display:inline-block;padding:0 .5em;border-radius:.3em;margin:.1em .2em .1em 0}\
             .err{outline:2px solid #d32f2f;outline-offset:1px}li.err{outline:none;color:#b71c1c}\
             .missing li{color:#b71c1c}.muted{color:#777}\
             footer{font:.8em system-ui,sans-serif;color:#777;padding:0 1.5em 1em}",
        );
        for (t, c) in TYPES {
            let _ = write!(css, "mark.m.{t}{{background:{c}}}.swatch.{t}{{background:{c}}}");
        }
        css
    }

    fn entity_index(&self, id: &str) -> Option<usize> {
        self.doc.entities.iter().position(|e| e.id == id)
    }

    fn name_of(&self, id: &str) -> String {
        self.doc.entity(id).map_or_else(|| id.to_string(), |e| e.name.clone())
    }

    fn flagged_entity(&self, id: &str) -> bool {
        self.score.is_some_and(|s| s.flagged.entities.iter().any(|e| e == id))
    }

    /// Every mention, event mention and date, as marks.
    fn marks(&self) -> Vec<Mark> {
        let mut marks = Vec::new();
        for (i, e) in self.doc.entities.iter().enumerate() {
            let ty = e.kind.to_string();
            let err = if self.flagged_entity(&e.id) { " err" } else { "" };
            for m in &e.mentions {
                let kind = m.kind.to_string();
                let tip = format!("{} ({}, {}) — {} [{}]", e.name, e.id, ty, kind, m.rule);
                let label = if kind == "name" {
                    format!("<span class=\"lbl\">{}</span>", escape(&ty))
                } else {
                    format!("<span class=\"ref\">→ {}</span>", escape(&e.name))
                };
                marks.push(Mark {
                    start: m.span.start,
                    end: m.span.end,
                    attrs: format!(
                        "class=\"m {ty} {kind}{err}\" style=\"--ent:{}\" data-entity=\"{}\" data-type=\"{}\" \
                         data-kind=\"{}\" data-name=\"{}\" title=\"{}\"",
                        entity_colour(i),
                        escape(&e.id),
                        escape(&ty),
                        escape(&kind),
                        escape(&e.name),
                        escape(&tip)
                    ),
                    label,
                });
            }
        }
        for ev in &self.doc.events {
            for m in &ev.mentions {
                let tip = format!("{} event {}: {} [{}]", ev.kind, ev.id, ev.name, ev.rule);
                marks.push(Mark {
                    start: m.span.start,
                    end: m.span.end,
                    attrs: format!(
                        "class=\"m event\" data-event=\"{}\" data-type=\"event\" data-kind=\"{}\" title=\"{}\"",
                        escape(&ev.id),
                        escape(&ev.kind.to_string()),
                        escape(&tip)
                    ),
                    label: format!("<span class=\"lbl\">{}</span>", escape(&ev.kind.to_string())),
                });
            }
        }
        for d in &self.doc.dates {
            let value = d.value.as_deref().unwrap_or("unresolved");
            marks.push(Mark {
                start: d.span.start,
                end: d.span.end,
                attrs: format!(
                    "class=\"m date\" data-type=\"date\" data-value=\"{}\" title=\"{} [{}]\"",
                    escape(value),
                    escape(value),
                    escape(&d.rule)
                ),
                label: format!("<span class=\"lbl\">{}</span>", escape(value)),
            });
        }
        let text = self.text;
        marks.retain(|m| m.start < m.end && text.get(m.start..m.end).is_some());
        marks.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
        // Keep properly nested marks only (an inner one inside an outer one).
        let mut kept: Vec<Mark> = Vec::new();
        let mut open: Vec<usize> = Vec::new();
        for m in marks {
            while open.last().is_some_and(|&end| end <= m.start) {
                open.pop();
            }
            if open.last().is_none_or(|&end| m.end <= end) {
                open.push(m.end);
                kept.push(m);
            }
        }
        kept
    }

    /// Quote pieces: (start, end, quote index, first piece of its quote).
    fn quote_pieces(&self) -> Vec<(usize, usize, usize, bool)> {
        let mut v = Vec::new();
        for (i, q) in self.doc.quotes.iter().enumerate() {
            let parts: Vec<(usize, usize)> = if q.parts.is_empty() {
                vec![(q.span.start, q.span.end)]
            } else {
                q.parts.iter().map(|p| (p.span.start, p.span.end)).collect()
            };
            for (k, (s, e)) in parts.into_iter().enumerate() {
                if s < e && self.text.get(s..e).is_some() {
                    v.push((s, e, i, k == 0));
                }
            }
        }
        v.sort();
        // Overlapping pieces: the earlier one wins.
        let mut out: Vec<(usize, usize, usize, bool)> = Vec::new();
        for p in v {
            if out.last().is_none_or(|l| l.1 <= p.0) {
                out.push(p);
            }
        }
        out
    }

    fn speaker_badge(&self, qi: usize) -> String {
        let q = &self.doc.quotes[qi];
        let wrong = self.score.is_some_and(|s| s.flagged.wrong_speakers.contains(&qi));
        let (who, class) = match &q.speaker {
            Some(id) => (self.name_of(id), "speaker"),
            None => ("speaker unknown".to_string(), "speaker unknown"),
        };
        let via = q
            .speaker_mention
            .as_ref()
            .map(|m| &m.text)
            .or(q.speaker_text.as_ref())
            .map_or_else(String::new, |t| format!(" (as “{t}”)"));
        format!(
            "<span class=\"{class}{}\" data-quote=\"Q{}\" title=\"{} {}{} [{}]\">{}</span>",
            if wrong { " err" } else { "" },
            qi + 1,
            escape(q.kind.to_string().as_str()),
            escape(q.cue.as_deref().unwrap_or("quote")),
            escape(&via),
            escape(&q.rule),
            escape(&who)
        )
    }

    /// The article text with the marks and quotes.
    fn body(&self) -> String {
        let text = self.text;
        let marks = self.marks();
        let pieces = self.quote_pieces();
        let mut cuts: Vec<usize> = vec![0, text.len()];
        for m in &marks {
            cuts.extend([m.start, m.end]);
        }
        for p in &pieces {
            cuts.extend([p.0, p.1]);
        }
        cuts.sort_unstable();
        cuts.dedup();
        let mut h = String::with_capacity(text.len() * 3);
        let mut stack: Vec<&Mark> = Vec::new();
        let mut next_mark = 0;
        for w in cuts.windows(2) {
            let (a, b) = (w[0], w[1]);
            while stack.last().is_some_and(|m| m.end <= a) {
                if let Some(m) = stack.pop() {
                    let _ = write!(h, "{}</mark>", m.label);
                }
            }
            let piece = pieces.iter().find(|p| p.0 <= a && b <= p.1);
            if let Some(&(s, _, qi, true)) = piece
                && s == a
            {
                h.push_str(&self.speaker_badge(qi));
            }
            while next_mark < marks.len() && marks[next_mark].start == a {
                let _ = write!(h, "<mark {}>", marks[next_mark].attrs);
                stack.push(&marks[next_mark]);
                next_mark += 1;
            }
            let chunk = escape(&text[a..b]);
            match piece {
                Some(&(_, _, qi, _)) => {
                    let q = &self.doc.quotes[qi];
                    let who = q.speaker.as_deref().map_or_else(|| "speaker unknown".to_string(), |s| self.name_of(s));
                    let err = self.score.is_some_and(|s| s.flagged.quotes.contains(&qi));
                    let _ = write!(
                        h,
                        "<q class=\"quote {}{}\" data-quote=\"Q{}\" data-speaker=\"{}\">{chunk}</q>",
                        escape(&q.kind.to_string()),
                        if err { " err" } else { "" },
                        qi + 1,
                        escape(&who)
                    );
                }
                None => h.push_str(&chunk),
            }
        }
        while let Some(m) = stack.pop() {
            let _ = write!(h, "{}</mark>", m.label);
        }
        collapse_blank_lines(h.trim_start_matches(['\n', '\r', ' ']))
    }

    fn legend(&self, h: &mut String) {
        h.push_str("<section id=\"legend\"><h2>Legend</h2><p>");
        for (t, _) in TYPES {
            let _ = write!(h, "<span class=\"swatch {t}\">{t}</span>");
        }
        h.push_str(
            "</p><p class=\"muted\">A dashed box is a pronoun, nominal or demonym: its colour and its arrow name \
             the entity it refers to (hover for details). <span class=\"speaker\">Name</span> opens a quote; \
             yellow underlay: direct quote, blue: reported speech.",
        );
        if self.score.is_some() {
            h.push_str(" <span class=\"err\">Red outline</span>: an error against the gold annotation.");
        }
        h.push_str("</p></section>");
    }

    fn review(&self, h: &mut String) {
        let Some(s) = self.score else { return };
        let _ = write!(
            h,
            "<section id=\"review\" class=\"missing\"><h2>Against the gold</h2><p class=\"muted\">entities {}/{}, \
             relations {}/{}, quotes {}/{} (speakers {}), dates {}/{}</p><ul>",
            s.entities_found,
            s.entities_required,
            s.relations_found,
            s.relations_required,
            s.quotes_found,
            s.quotes_required,
            s.speakers_right,
            s.dates_found,
            s.dates_required
        );
        let lists = [
            ("missing", &s.entities_missing),
            ("spurious", &s.entities_spurious),
            ("missing relation", &s.relations_missing),
            ("false relation", &s.relations_false),
            ("quote", &s.quotes_problems),
            ("false quote", &s.quotes_false),
        ];
        for (label, items) in lists {
            for i in items {
                let _ = write!(h, "<li><b>{}</b>: {}</li>", escape(label), escape(i));
            }
        }
        h.push_str("</ul></section>");
    }

    fn facts(&self, h: &mut String) {
        if self.doc.relations.is_empty() {
            return;
        }
        h.push_str("<section><h2>Facts</h2><ul id=\"facts\">");
        for (i, r) in self.doc.relations.iter().enumerate() {
            let err = self.score.is_some_and(|s| s.flagged.relations.contains(&i));
            let mid = r.office.clone().unwrap_or_else(|| r.predicate.to_string());
            let obj = r.object.as_deref().map(|o| format!(" — {}", escape(&self.name_of(o)))).unwrap_or_default();
            let _ = write!(
                h,
                "<li class=\"fact{}\" title=\"{} [{}]: “{}”\">{} — {}{obj} <span class=\"muted\">({})</span></li>",
                if err { " err" } else { "" },
                escape(&r.predicate.to_string()),
                escape(&r.rule),
                escape(&r.text),
                escape(&self.name_of(&r.subject)),
                escape(&mid),
                escape(&r.predicate.to_string())
            );
        }
        h.push_str("</ul></section>");
    }

    fn quotes(&self, h: &mut String) {
        if self.doc.quotes.is_empty() {
            return;
        }
        h.push_str("<section><h2>Quotes</h2><ul id=\"quotes\">");
        for (i, q) in self.doc.quotes.iter().enumerate() {
            let text: String = q.text.chars().take(140).collect();
            let more = if text.len() < q.text.len() { "…" } else { "" };
            let _ = write!(
                h,
                "<li>{} {} <span class=\"muted\">[{}]</span>: “{}{more}”</li>",
                self.speaker_badge(i),
                escape(q.cue.as_deref().unwrap_or("")),
                escape(&q.kind.to_string()),
                escape(&text)
            );
        }
        h.push_str("</ul></section>");
    }

    fn events(&self, h: &mut String) {
        if self.doc.events.is_empty() {
            return;
        }
        h.push_str("<section><h2>Events</h2><ul id=\"events\">");
        for e in &self.doc.events {
            let _ = write!(h, "<li><b>{}</b> {}", escape(&e.kind.to_string()), escape(&e.name));
            match &e.date {
                Some(d) => {
                    let _ = write!(h, ", <time>{}</time>", escape(d));
                }
                None => h.push_str(", <span class=\"muted\">date unknown</span>"),
            }
            if let Some(p) = &e.place {
                let _ = write!(h, ", in {}", escape(&self.name_of(p)));
            }
            if !e.participants.is_empty() {
                let who: Vec<String> = e.participants.iter().map(|p| escape(&self.name_of(p))).collect();
                let _ = write!(h, "; with {}", who.join(", "));
            }
            h.push_str("</li>");
        }
        h.push_str("</ul></section>");
    }

    fn dates(&self, h: &mut String) {
        if self.doc.dates.is_empty() {
            return;
        }
        h.push_str("<section><h2>Dates</h2><ul id=\"dates\">");
        for d in &self.doc.dates {
            match &d.value {
                Some(v) => {
                    let _ = write!(h, "<li>{} = <time>{}</time></li>", escape(&d.text), escape(v));
                }
                None => {
                    let _ =
                        write!(h, "<li>{} <span class=\"muted\">(not resolved to a date)</span></li>", escape(&d.text));
                }
            }
        }
        h.push_str("</ul></section>");
    }

    fn entities(&self, h: &mut String) {
        if self.doc.entities.is_empty() {
            return;
        }
        h.push_str("<section><h2>Entities</h2><ul id=\"entities\">");
        for (i, e) in self.doc.entities.iter().enumerate() {
            let ty = e.kind.to_string();
            let idx = self.entity_index(&e.id).unwrap_or(i);
            let _ = write!(
                h,
                "<li{}><span class=\"swatch {}\" style=\"border-bottom:3px solid {}\">{}</span> {} <span class=\"muted\">\
                 {}, {} mention{}</span></li>",
                if self.flagged_entity(&e.id) { " class=\"err\"" } else { "" },
                escape(&ty),
                entity_colour(idx),
                escape(&ty),
                escape(&e.name),
                escape(&e.id),
                e.mentions.len(),
                if e.mentions.len() == 1 { "" } else { "s" }
            );
        }
        h.push_str("</ul></section>");
    }
}
