//! Stage 1: input. Finds Markdown markup and URLs in the original text so
//! later stages can skip them while keeping offsets into the original.
//!
//! Nothing is copied: the result is a sorted list of byte ranges that are
//! markup (never text), plus the heading lines.

use crate::span::Span;

/// The original text with its markup located.
#[derive(Debug, Default)]
pub(crate) struct Source {
    /// Sorted, non-overlapping byte ranges that are markup, not text.
    pub markup: Vec<Span>,
    /// Byte ranges of heading lines (`# ...`), content only.
    pub headings: Vec<Span>,
}

fn is_url_start(rest: &[u8]) -> bool {
    rest.starts_with(b"http://") || rest.starts_with(b"https://") || rest.starts_with(b"www.")
}

/// Scans `text` once, left to right, and returns its markup.
pub(crate) fn scan(text: &str) -> Source {
    let b = text.as_bytes();
    let mut src = Source::default();
    // Spans are collected in any order and merged by `normalize` at the end.
    let push = |v: &mut Vec<Span>, s: usize, e: usize| {
        if s < e {
            v.push(Span::new(s, e));
        }
    };
    let mut i = 0;
    let mut line_start = true;
    while i < b.len() {
        let c = b[i];
        if line_start {
            line_start = false;
            i = line_start_markup(b, i, &mut src);
            continue;
        }
        match c {
            b'\n' => {
                line_start = true;
                i += 1;
            }
            b'*' | b'_' | b'`' | b'~' => {
                let mut k = i;
                while k < b.len() && b[k] == c {
                    k += 1;
                }
                // `_` inside a word (snake_case) is text; emphasis marks touch a word on one side only.
                let before_word = i > 0 && b[i - 1].is_ascii_alphanumeric();
                let after_word = k < b.len() && b[k].is_ascii_alphanumeric();
                // Two backticks opening a word are a quotation mark (``A,'' he said).
                let quote_mark = c == b'`' && k - i == 2 && after_word && !before_word;
                if !(c == b'_' && before_word && after_word) && (c != b'~' || k - i >= 2) && !quote_mark {
                    push(&mut src.markup, i, k);
                }
                i = k;
            }
            b'!' if b.get(i + 1) == Some(&b'[') => {
                push(&mut src.markup, i, i + 1);
                i += 1;
            }
            b'[' => {
                // A link only when a matching `](` follows on the same line.
                if let Some(close) = find_link_close(b, i + 1) {
                    push(&mut src.markup, i, i + 1);
                    let end = find_paren_end(b, close + 2);
                    // The text between stays text; `](target)` is markup.
                    push(&mut src.markup, close, end);
                    i += 1;
                } else {
                    i += 1;
                }
            }
            b'<' if is_url_start(&b[i + 1..]) || b[i + 1..].starts_with(b"mailto:") => {
                let mut k = i + 1;
                while k < b.len() && b[k] != b'>' && !b[k].is_ascii_whitespace() {
                    k += 1;
                }
                let end = if k < b.len() && b[k] == b'>' { k + 1 } else { k };
                push(&mut src.markup, i, end);
                i = end;
            }
            _ if (i == 0 || !b[i - 1].is_ascii_alphanumeric()) && is_url_start(&b[i..]) => {
                let mut k = i;
                while k < b.len() && !b[k].is_ascii_whitespace() && !matches!(b[k], b'>' | b')' | b'"' | b'<') {
                    k += 1;
                }
                // Trailing sentence punctuation is not part of a URL.
                while k > i && matches!(b[k - 1], b'.' | b',' | b';' | b':') {
                    k -= 1;
                }
                push(&mut src.markup, i, k);
                i = k;
            }
            _ => i += 1,
        }
    }
    normalize(&mut src.markup);
    src
}

/// Markup at the start of a line that begins at `i`: a heading's `#`s
/// (the heading's text is recorded), a bullet or a block-quote mark.
/// Returns where scanning goes on; leading indentation is skipped.
fn line_start_markup(b: &[u8], i: usize, src: &mut Source) -> usize {
    let mut j = i;
    while j < b.len() && (b[j] == b' ' || b[j] == b'\t') {
        j += 1;
    }
    let mut k = j;
    while k < b.len() && b[k] == b'#' && k - j < 6 {
        k += 1;
    }
    if k > j && (k == b.len() || b[k] == b' ') {
        src.markup.push(Span::new(j, k));
        src.headings.push(Span::new(k, memchr_nl(b, k)));
        return k;
    }
    if j + 1 < b.len() && matches!(b[j], b'-' | b'*' | b'+' | b'>') && b[j + 1] == b' ' {
        src.markup.push(Span::new(j, j + 1));
        return j + 1;
    }
    j
}

fn memchr_nl(b: &[u8], from: usize) -> usize {
    b[from..].iter().position(|&c| c == b'\n').map_or(b.len(), |p| from + p)
}

/// Position of `]` that is followed by `(`, on the same line, not nested.
fn find_link_close(b: &[u8], from: usize) -> Option<usize> {
    let mut k = from;
    while k < b.len() && b[k] != b'\n' {
        match b[k] {
            b'[' => return None,
            b']' => {
                return if b.get(k + 1) == Some(&b'(') { Some(k) } else { None };
            }
            _ => k += 1,
        }
    }
    None
}

/// End (exclusive) of `(target)` starting at `open` (the byte after `(`).
fn find_paren_end(b: &[u8], open: usize) -> usize {
    let mut depth = 1;
    let mut k = open;
    while k < b.len() && b[k] != b'\n' {
        match b[k] {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return k + 1;
                }
            }
            _ => {}
        }
        k += 1;
    }
    k
}

fn normalize(v: &mut Vec<Span>) {
    v.sort();
    let mut out: Vec<Span> = Vec::with_capacity(v.len());
    for s in v.drain(..) {
        match out.last_mut() {
            Some(last) if last.end >= s.start => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    }
    *v = out;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(text: &str) -> Vec<&str> {
        scan(text).markup.iter().map(|s| &text[s.range()]).collect()
    }

    #[test]
    fn markdown_markup() {
        let cases: &[(&str, &[&str])] = &[
            ("# Title here", &["#"]),
            ("**Bold** text", &["**", "**"]),
            ("By [Reuters](#) today", &["[", "](#)"]),
            ("see <https://x.com/a> now", &["<https://x.com/a>"]),
            ("at https://x.com/a.", &["https://x.com/a"]),
            ("snake_case stays", &[]),
            ("[a] and (b)", &[]),
            ("![alt](img.png)", &["![", "](img.png)"]),
        ];
        for (text, want) in cases {
            assert_eq!(&marked(text), want, "{text}");
        }
    }

    #[test]
    fn headings() {
        let t = "# Head line\nbody";
        let s = scan(t);
        assert_eq!(&t[s.headings[0].range()], " Head line");
    }
}
