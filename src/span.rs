//! Half-open byte spans into the original input.

use serde::{Deserialize, Serialize};

/// A half-open byte range `[start, end)` into the original input text.
///
/// Every position gazette reports is a byte offset into the text that was
/// passed to [`Extractor::extract`](crate::Extractor::extract), never into a
/// cleaned or normalized copy.
///
/// ```
/// use gazette::Span;
/// let s = Span::new(2, 5);
/// assert_eq!(&"a bcd e"[s.range()], "bcd");
/// assert_eq!(s.len(), 3);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Span {
    /// Inclusive start byte offset.
    pub start: usize,
    /// Exclusive end byte offset.
    pub end: usize,
}

impl Span {
    /// Creates a span; `start` must not exceed `end`.
    pub fn new(start: usize, end: usize) -> Span {
        debug_assert!(start <= end);
        Span { start, end }
    }

    /// The span as a `Range<usize>`, for slicing.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start..self.end
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// True when the span covers no bytes.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// True when `other` lies within this span.
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// True when the spans share at least one byte.
    pub fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}
