//! # gazette
//!
//! Reads English news articles and says who is who, who holds which office
//! where, what happened and who said what — with a gazetteer, declarative
//! rules and resolution passes, no statistical model and no network.
//!
//! ```
//! use gazette::Extractor;
//!
//! let ex = Extractor::new();
//! let doc = ex.extract(
//!     "Russian Foreign Minister Sergei Lavrov arrived in Sarajevo on Friday. \
//!      \"We support Bosnia's sovereignty,\" he said.",
//! );
//! let lavrov = doc.entities.iter().find(|e| e.name == "Sergei Lavrov").unwrap();
//! assert_eq!(lavrov.kind, gazette::EntityType::Person);
//! assert!(doc.relations.iter().any(|r| r.subject == lavrov.id && r.office.as_deref() == Some("Foreign Minister")));
//! assert_eq!(doc.quotes[0].speaker.as_deref(), Some(lavrov.id.as_str()));
//! ```
//!
//! Every span is a half-open byte range into the original input; see
//! [`Document`] for the output contract and `DESIGN.md` for the pipeline.

#![warn(missing_docs)]
#![forbid(unsafe_code)]

mod dates;
mod doc;
mod entities;
mod error;
pub mod eval;
mod events;
mod examples;
mod gazetteer;
mod hash;
pub mod html;
mod input;
mod marks;
mod model;
mod output;
mod quotes;
mod relations;
mod rules;
mod span;
mod tokens;
mod types;

use std::sync::Arc;

/// The README's examples, compiled and run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

pub use dates::Date;
pub use error::{Error, ErrorKind};
pub use output::{DateMention, Document, Entity, Event, Mention, Part, Quote, Relation};
pub use span::Span;
pub use types::{EntityType, MentionKind, QuoteKind, Status};

use model::Model;

/// The extractor: loaded data and compiled rules. Build it once and share
/// it; it is `Send + Sync` and cheap to clone.
///
/// ```
/// fn assert_send_sync<T: Send + Sync>() {}
/// assert_send_sync::<gazette::Extractor>();
/// ```
#[derive(Clone, Debug)]
pub struct Extractor {
    model: Arc<Model>,
}

/// Per-document options.
///
/// ```
/// use gazette::{Date, Options};
/// let opts = Options::default().with_date(Date::parse("2018-09-21"));
/// assert_eq!(opts.date.map(|d| d.to_string()).as_deref(), Some("2018-09-21"));
/// ```
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct Options {
    /// The document's date, for normalizing "Friday" or "Oct. 7". When
    /// `None`, a date found in the text (byline, dateline) is used.
    pub date: Option<Date>,
    /// Whether to keep quotes whose speaker nothing in reach names: a quote
    /// standing alone with no attribution, credit or quote before it to
    /// continue. `false` (the default) leaves them out, since a quote record
    /// answers "who said what"; `true` keeps them with `speaker: null`.
    pub unattributed_quotes: bool,
}

impl Options {
    /// These options with the document date set (or cleared with `None`).
    pub fn with_date(mut self, date: Option<Date>) -> Options {
        self.date = date;
        self
    }

    /// These options keeping (or leaving out) quotes with no speaker.
    ///
    /// ```
    /// use gazette::{Extractor, Options};
    /// let text = "The hall was quiet.\n\n\"Nobody expected the vote to go this way.\"";
    /// let ex = Extractor::new();
    /// assert!(ex.extract(text).quotes.is_empty());
    /// let all = ex.extract_with(text, &Options::default().with_unattributed_quotes(true));
    /// assert_eq!(all.quotes.len(), 1);
    /// assert!(all.quotes[0].speaker.is_none());
    /// ```
    pub fn with_unattributed_quotes(mut self, keep: bool) -> Options {
        self.unattributed_quotes = keep;
        self
    }
}

impl Extractor {
    /// The extractor with the embedded default data.
    ///
    /// # Panics
    /// Only if the embedded data itself is malformed, which the test suite
    /// rules out.
    pub fn new() -> Extractor {
        match &*model::DEFAULT {
            Ok(m) => Extractor { model: Arc::clone(m) },
            Err(e) => panic!("embedded data is malformed: {e}"),
        }
    }

    /// A builder, to add gazetteer and rule files or leave out the defaults.
    pub fn builder() -> ExtractorBuilder {
        ExtractorBuilder { defaults: true, gazetteers: Vec::new(), rules: Vec::new() }
    }

    /// Extracts entities, relations, quotes, events and dates.
    pub fn extract(&self, text: &str) -> Document {
        self.extract_with(text, &Options::default())
    }

    /// Extracts with per-document options (the document date).
    ///
    /// ```
    /// use gazette::{Date, Extractor, Options};
    /// let opts = Options::default().with_date(Date::parse("2018-09-21"));
    /// let doc = Extractor::new().extract_with("The vote is on Oct. 7.", &opts);
    /// assert_eq!(doc.dates[0].value.as_deref(), Some("2018-10-07"));
    /// ```
    pub fn extract_with(&self, text: &str, opts: &Options) -> Document {
        self.pipeline(text, opts, &mut |_| {})
    }

    /// Extracts like [`Extractor::extract_with`] and measures each stage:
    /// for benchmarks and for finding where a corpus spends its time.
    ///
    /// ```
    /// let ex = gazette::Extractor::new();
    /// let p = ex.profile("Serbia's Foreign Minister Ivica Dacic said so.", &Default::default());
    /// assert_eq!(p.stages.len(), 10);
    /// assert!(p.tokens > 5 && p.document.entities.len() >= 2);
    /// ```
    pub fn profile(&self, text: &str, opts: &Options) -> Profile {
        let mut stages = Vec::with_capacity(10);
        let mut last = std::time::Instant::now();
        let mut tokens = 0;
        let document = self.pipeline(text, opts, &mut |ev| match ev {
            Step::Done(name) => {
                let now = std::time::Instant::now();
                stages.push((name, now - last));
                last = now;
            }
            Step::Tokens(n) => tokens = n,
        });
        Profile { document, stages, tokens }
    }

    /// The stages, in order; each reads only what the ones before it made
    /// (DESIGN.md, "The pipeline"). `step` hears when each stage is done.
    fn pipeline(&self, text: &str, opts: &Options, step: &mut dyn FnMut(Step)) -> Document {
        // 1-3. Text-level passes: markup mask, tokens, gazetteer hits.
        let src = input::scan(text);
        step(Step::Done("input"));
        let toks = tokens::tokenize(text, &src);
        step(Step::Tokens(toks.tokens.len()));
        step(Step::Done("tokens"));
        let hits = self.model.gaz.find(text, &toks);
        step(Step::Done("gazetteer"));
        // 4. Dates, normalized against the document date.
        let doc_date = opts.date.or_else(|| dates::document_date(text, &toks));
        let found_dates = dates::find(text, &toks, doc_date);
        step(Step::Done("dates"));
        // 5. Quotation marks, paired once for every later stage.
        let quote_marks = marks::pair(text, &toks);
        step(Step::Done("marks"));
        let mut ctx = doc::Ctx::new(text, &self.model, toks, hits, doc_date, found_dates, quote_marks);
        // 6. Entities: mentions, overlaps, name variants, coreference.
        entities::run(&mut ctx);
        step(Step::Done("entities"));
        // 7-9. Relations, quotes and events over one view of the resolved mentions.
        let mut view = rules::View::new(text, &ctx.toks, &self.model.gaz, &ctx.hits);
        view.set_units(entities::units_of(&ctx.mentions, &ctx));
        let relations = relations::run(&ctx, &view);
        step(Step::Done("relations"));
        let quotes = quotes::run(&ctx, &view, opts.unattributed_quotes);
        step(Step::Done("quotes"));
        let events = events::run(&ctx, &view);
        step(Step::Done("events"));
        // 10. The public document.
        let doc = output::build(&ctx, &output::Found { relations, quotes, events });
        step(Step::Done("output"));
        doc
    }

    /// Extracts from bytes that should be UTF-8 text (a file's contents, a
    /// network body); `name` is used in the error.
    ///
    /// # Errors
    /// [`ErrorKind::Input`] naming the line and column of the first byte
    /// that is not UTF-8; nothing is extracted then.
    ///
    /// ```
    /// use gazette::{ErrorKind, Extractor, Options};
    /// let ex = Extractor::new();
    /// let err = ex.extract_bytes("in.txt", b"Paris\nis \xff nice", &Options::default()).unwrap_err();
    /// assert_eq!((err.kind(), err.line(), err.column()), (ErrorKind::Input, 2, 4));
    /// assert!(ex.extract_bytes("in.txt", b"Paris", &Options::default()).is_ok());
    /// ```
    pub fn extract_bytes(&self, name: &str, bytes: &[u8], opts: &Options) -> Result<Document, Error> {
        let text = std::str::from_utf8(bytes).map_err(|e| Error::utf8(ErrorKind::Input, name, bytes, e))?;
        Ok(self.extract_with(text, opts))
    }

    /// Runs every rule's inline `example` lines and returns one
    /// [`ErrorKind::Example`] error (at the example's file and line) per
    /// example that did not come out as promised; empty when all pass.
    ///
    /// ```
    /// let failures = gazette::Extractor::new().check_examples();
    /// assert!(failures.is_empty(), "{failures:#?}");
    /// ```
    pub fn check_examples(&self) -> Vec<Error> {
        let mut failures = Vec::new();
        for r in &self.model.rules {
            for ex in &r.def.examples {
                let doc = self.extract(&ex.text);
                let found = examples::holds(&doc, &ex.what, &ex.args);
                if found == ex.negated {
                    failures.push(Error::new(
                        ErrorKind::Example,
                        &r.def.file,
                        ex.line,
                        0,
                        format!(
                            "rule `{}`: example {:?} => {}{} {:?}: {}",
                            r.def.id,
                            ex.text,
                            if ex.negated { "!" } else { "" },
                            ex.what,
                            ex.args,
                            if ex.negated { "came out, but must not" } else { "did not come out" }
                        ),
                    ));
                }
            }
        }
        failures
    }

    /// Ids of all loaded rules, in the order they run.
    pub fn rule_ids(&self) -> Vec<&str> {
        self.model.rules.iter().map(|r| r.def.id.as_str()).collect()
    }
}

impl Default for Extractor {
    fn default() -> Extractor {
        Extractor::new()
    }
}

/// Progress of the pipeline, for [`Extractor::profile`].
enum Step {
    Tokens(usize),
    Done(&'static str),
}

/// What [`Extractor::profile`] measured on one document.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Profile {
    /// The extracted document (the same as `extract_with` gives).
    pub document: Document,
    /// Each stage's name (`input`, `tokens`, `gazetteer`, `dates`, `marks`,
    /// `entities`, `relations`, `quotes`, `events`, `output`) and wall time.
    pub stages: Vec<(&'static str, std::time::Duration)>,
    /// Number of tokens in the document.
    pub tokens: usize,
}

/// Builds an [`Extractor`] from the defaults plus the user's own files.
///
/// ```
/// use gazette::Extractor;
/// let ex = Extractor::builder()
///     .gazetteer_str("mine.tsv", "#@ type=organization\nAcme Widgets\n")
///     .build()
///     .unwrap();
/// let doc = ex.extract("Shares of Acme Widgets rose.");
/// assert!(doc.entities.iter().any(|e| e.name == "Acme Widgets" && e.kind == gazette::EntityType::Organization));
/// ```
#[derive(Clone, Debug)]
pub struct ExtractorBuilder {
    defaults: bool,
    gazetteers: Vec<(String, String)>,
    rules: Vec<(String, String)>,
}

impl ExtractorBuilder {
    /// Whether to load the embedded default data (default: yes).
    pub fn defaults(mut self, yes: bool) -> Self {
        self.defaults = yes;
        self
    }

    /// Adds a gazetteer file's text under `name` (used in errors and
    /// provenance). A `String` is taken as it is (a big list is not copied).
    pub fn gazetteer_str(mut self, name: &str, text: impl Into<String>) -> Self {
        self.gazetteers.push((name.to_string(), text.into()));
        self
    }

    /// Adds a rule file's text under `name`.
    pub fn rules_str(mut self, name: &str, text: &str) -> Self {
        self.rules.push((name.to_string(), text.to_string()));
        self
    }

    /// Reads and adds a gazetteer file.
    pub fn gazetteer_file(self, path: impl AsRef<std::path::Path>) -> Result<Self, Error> {
        let mut this = self;
        this.gazetteers.push(read(path.as_ref())?);
        Ok(this)
    }

    /// Reads and adds a rule file.
    pub fn rules_file(self, path: impl AsRef<std::path::Path>) -> Result<Self, Error> {
        let (name, text) = read(path.as_ref())?;
        Ok(self.rules_str(&name, &text))
    }

    /// Loads everything; errors name the file, line and column.
    pub fn build(self) -> Result<Extractor, Error> {
        if self.defaults && self.gazetteers.is_empty() && self.rules.is_empty() {
            return Ok(Extractor::new());
        }
        Ok(Extractor { model: Arc::new(Model::load(self.defaults, self.gazetteers, &self.rules)?) })
    }
}

fn read(path: &std::path::Path) -> Result<(String, String), Error> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| Error::io(&name, e))?;
    match String::from_utf8(bytes) {
        Ok(s) => Ok((name, s)),
        Err(e) => Err(Error::utf8(ErrorKind::Io, &name, e.as_bytes(), e.utf8_error())),
    }
}
