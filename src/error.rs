//! Errors with a file, a 1-based line and column, and a caret under the fault.

use std::fmt;
use std::sync::Arc;

/// What went wrong, broadly: match on it to decide what to do.
///
/// ```
/// use gazette::{Extractor, ErrorKind};
/// let err = Extractor::builder().gazetteer_file("/no/such/file.tsv").unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::Io);
/// assert!(std::error::Error::source(&err).is_some()); // the io::Error
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A rule file could not be parsed or compiled.
    Rule,
    /// A gazetteer data line is malformed.
    Gazetteer,
    /// A file could not be read (the `io::Error` is the [`source`](std::error::Error::source)).
    Io,
    /// Input could not be used: a document that is not UTF-8, a bad JSONL line.
    Input,
    /// A rule's inline example did not produce what it promised.
    Example,
}

/// An error that names where it happened.
///
/// Its `Display` form prints `file:line:column: message`, the offending
/// line, and a caret under the column, the way `regex-syntax` does:
///
/// ```
/// use gazette::Extractor;
/// let err = Extractor::builder()
///     .rules_str("my.rules", "rule r1\n  when [Cap\n  emit person(x)\n")
///     .build()
///     .unwrap_err();
/// let text = err.to_string();
/// assert!(text.starts_with("my.rules:2:"), "{text}");
/// assert!(text.contains('^'));
/// ```
#[derive(Clone, Debug)]
pub struct Error {
    kind: ErrorKind,
    file: String,
    line: usize,
    column: usize,
    message: String,
    source_line: Option<String>,
    source: Option<Arc<dyn std::error::Error + Send + Sync>>,
}

impl Error {
    /// An error of `kind` at `file:line:column` (1-based; 0 when not
    /// applicable). Programs that read their own inputs (a JSONL corpus, say)
    /// use it to report a bad line the way gazette does.
    ///
    /// ```
    /// use gazette::{Error, ErrorKind};
    /// let e = Error::new(ErrorKind::Input, "corpus.jsonl", 5, 2, "expected a JSON object");
    /// assert_eq!(e.to_string(), "corpus.jsonl:5:2: expected a JSON object");
    /// ```
    pub fn new(kind: ErrorKind, file: &str, line: usize, column: usize, message: impl Into<String>) -> Error {
        Error { kind, file: file.to_string(), line, column, message: message.into(), source_line: None, source: None }
    }

    /// An I/O error on `file`, keeping the `io::Error` as the source.
    pub(crate) fn io(file: &str, err: std::io::Error) -> Error {
        let mut e = Error::new(ErrorKind::Io, file, 0, 0, err.to_string());
        e.source = Some(Arc::new(err));
        e
    }

    /// The error for bytes that are not UTF-8, located at the first bad byte.
    pub(crate) fn utf8(kind: ErrorKind, file: &str, bytes: &[u8], err: std::str::Utf8Error) -> Error {
        let valid = &bytes[..err.valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
        let col = String::from_utf8_lossy(&valid[line_start..]).chars().count() + 1;
        let mut e = Error::new(kind, file, line, col, "invalid UTF-8");
        e.source = Some(Arc::new(err));
        e
    }

    pub(crate) fn with_line_text(mut self, text: &str) -> Error {
        self.source_line = Some(text.to_string());
        self
    }

    /// The broad kind of error.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }
    /// The file (or name given to an in-memory source).
    pub fn file(&self) -> &str {
        &self.file
    }
    /// 1-based line number (0 when not applicable).
    pub fn line(&self) -> usize {
        self.line
    }
    /// 1-based column in characters (0 when not applicable).
    pub fn column(&self) -> usize {
        self.column
    }
    /// The message without location.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (0, _) => write!(f, "{}: {}", self.file, self.message)?,
            (l, 0) => write!(f, "{}:{}: {}", self.file, l, self.message)?,
            (l, c) => write!(f, "{}:{}:{}: {}", self.file, l, c, self.message)?,
        }
        if let Some(src) = &self.source_line {
            let num = self.line.to_string();
            write!(f, "\n{:w$} |\n{} | {}", "", num, src, w = num.len())?;
            if self.column > 0 {
                let pad: String =
                    src.chars().take(self.column - 1).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
                write!(f, "\n{:w$} | {}^", "", pad, w = num.len())?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// 1-based column (in chars) of byte offset `byte` within `line`.
pub(crate) fn column_of(line: &str, byte: usize) -> usize {
    line.get(..byte.min(line.len())).map_or(1, |s| s.chars().count() + 1)
}
