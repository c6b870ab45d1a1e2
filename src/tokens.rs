//! Stage 2: tokens and sentences.
//!
//! The tokenizer walks the original text once. ASCII is handled byte by byte
//! (the fast path); a run that contains non-ASCII characters is split with
//! Unicode word boundaries (`unicode-segmentation`). Markup found by the
//! input stage is skipped, so it never starts, ends or forms a token.

use crate::input::Source;
use crate::span::Span;
use unicode_segmentation::UnicodeSegmentation;

/// Token flags (bit set).
pub(crate) mod flag {
    /// First character is an upper-case letter.
    pub const CAP: u16 = 1;
    /// Every letter is upper case and there are at least two.
    pub const UPPER: u16 = 1 << 1;
    /// First character is a lower-case letter.
    pub const LOWER: u16 = 1 << 2;
    /// Whitespace or markup precedes the token.
    pub const SPACE_BEFORE: u16 = 1 << 3;
    /// A line break precedes the token.
    pub const NL_BEFORE: u16 = 1 << 4;
    /// A blank line precedes the token.
    pub const PARA_BEFORE: u16 = 1 << 5;
    /// Markup (Markdown, URL) precedes the token.
    pub const MARKUP_BEFORE: u16 = 1 << 6;
    /// The token ends with an abbreviation period (`Oct.`, `U.S.`, `J.`).
    pub const ABBR: u16 = 1 << 7;
    /// First token of its sentence.
    pub const SENT_START: u16 = 1 << 8;
    /// The abbreviation is a title or initial (`Mr.`, `Gen.`, `J.`): never sentence-final.
    pub const ABBR_TITLE: u16 = 1 << 9;
}

/// Coarse token class.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Word,
    Number,
    Punct,
}

/// One token: a span of the original text plus shape flags.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Token {
    pub span: Span,
    pub kind: Kind,
    pub flags: u16,
}

impl Token {
    pub fn has(&self, f: u16) -> bool {
        self.flags & f != 0
    }
}

/// How a sentence is capitalized: in title-case and all-caps lines
/// capitalization says nothing about names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Case {
    Normal,
    Title,
    Upper,
}

/// A sentence: a range of token indices.
#[derive(Clone, Debug)]
pub(crate) struct Sentence {
    pub start: usize,
    pub end: usize,
    pub case: Case,
}

/// The tokens and sentences of one document.
#[derive(Debug, Default)]
pub(crate) struct Tokens {
    pub tokens: Vec<Token>,
    pub sentences: Vec<Sentence>,
    /// Sentence index of each token.
    pub sent_of: Vec<u32>,
    /// Hash of each token's lower-case form ([`lower_hash`]), for fast literal tests.
    pub lower: Vec<u64>,
}

impl Tokens {
    pub fn text<'a>(&self, text: &'a str, i: usize) -> &'a str {
        &text[self.tokens[i].span.range()]
    }
    /// Each sentence as a token window `(start, end)`.
    pub fn windows(&self) -> Vec<(usize, usize)> {
        self.sentences.iter().map(|s| (s.start, s.end)).collect()
    }

    pub fn sentence_of(&self, i: usize) -> &Sentence {
        &self.sentences[self.sent_of[i] as usize]
    }
}

/// Hash of a word's lower-case form (no allocation for ASCII words).
pub(crate) fn lower_hash(w: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = crate::hash::FxHasher::default();
    if w.is_ascii() {
        let mut buf = [0u8; 32];
        for chunk in w.as_bytes().chunks(32) {
            let b = &mut buf[..chunk.len()];
            b.copy_from_slice(chunk);
            b.make_ascii_lowercase();
            h.write(b);
        }
    } else {
        h.write(w.to_lowercase().as_bytes());
    }
    h.finish()
}

/// Abbreviations that take a period: titles (never end a sentence) and others.
const TITLE_ABBR: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "capt", "maj", "adm", "gov", "sen", "rep", "rev", "st",
    "hon", "pres", "cmdr", "cpl", "pvt", "fr", "msgr", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "no", "vs", "mt", "ft", "ave", "approx", "dept", "est", "fig", "gov",
];
const OTHER_ABBR: &[&str] = &[
    "inc", "corp", "co", "ltd", "jr", "sr", "bros", "etc", "plc", "univ", "assn", "mon", "tue", "tues", "wed", "thu",
    "thur", "thurs", "fri", "sat", "sun",
];

fn is_abbr(word: &str, list: &[&str]) -> bool {
    word.len() <= 5 && list.iter().any(|a| a.eq_ignore_ascii_case(word))
}

/// Words that may start a sentence after an ambiguous abbreviation (`U.S.`, `Inc.`).
const STARTERS: &[&str] = &[
    "The", "He", "She", "It", "They", "We", "I", "But", "And", "In", "A", "An", "This", "That", "There", "His", "Her",
    "Its", "Their", "On", "At", "As", "For", "If", "When", "While", "After", "Some", "Many", "Mr.",
];

fn is_alnum_at(text: &str, i: usize) -> bool {
    let b = text.as_bytes()[i];
    if b.is_ascii() {
        return b.is_ascii_alphanumeric();
    }
    let Some(c) = text[i..].chars().next() else {
        return false;
    };
    c.is_alphanumeric() || text[..i].chars().next_back().is_some_and(|p| mojibake_tail(p, c))
}

/// Whether `c` after `prev` is the tail of a letter in UTF-8 read as
/// Latin-1, as scraped text often holds ("FranÃ§ois"): a Latin-1 symbol
/// right after `Ã` or `Â`.
fn mojibake_tail(prev: char, c: char) -> bool {
    matches!(prev, 'Ã' | 'Â') && ('\u{80}'..='\u{BF}').contains(&c)
}

/// Whether `w` holds UTF-8 read as Latin-1 (`FranÃ§ois`): such a word is
/// one token, not split where a Latin-1 symbol stands for a letter's tail.
fn is_mojibake(w: &str) -> bool {
    w.chars().zip(w.chars().skip(1)).any(|(a, b)| mojibake_tail(a, b))
}

fn char_len(text: &str, i: usize) -> usize {
    text[i..].chars().next().map_or(1, |c| c.len_utf8())
}

fn is_apostrophe(text: &str, i: usize) -> Option<usize> {
    let b = text.as_bytes();
    if b[i] == b'\'' {
        Some(1)
    } else if text[i..].starts_with('\u{2019}') {
        Some(3)
    } else {
        None
    }
}

/// Tokenizes `text` whose markup is described by `src`.
pub(crate) fn tokenize(text: &str, src: &Source) -> Tokens {
    let b = text.as_bytes();
    let mut toks: Vec<Token> = Vec::with_capacity(text.len() / 5);
    let mut markup = src.markup.iter().peekable();
    let mut pending: u16 = 0;
    let mut newlines = 0u32;
    let mut i = 0;
    while i < b.len() {
        if let Some(m) = markup.peek()
            && m.start <= i
        {
            let end = m.end;
            markup.next();
            if end > i {
                pending |= flag::MARKUP_BEFORE | flag::SPACE_BEFORE;
                i = end;
            }
            continue;
        }
        let limit = markup.peek().map_or(b.len(), |m| m.start);
        let c = b[i];
        if c.is_ascii_whitespace() {
            pending |= flag::SPACE_BEFORE;
            if c == b'\n' {
                newlines += 1;
            }
            i += 1;
            continue;
        }
        if !c.is_ascii() {
            let ch = text[i..].chars().next().unwrap_or(' ');
            if ch.is_whitespace() {
                pending |= flag::SPACE_BEFORE;
                i += ch.len_utf8();
                continue;
            }
        }
        if newlines > 0 {
            pending |= flag::NL_BEFORE;
        }
        if newlines > 1 {
            pending |= flag::PARA_BEFORE;
        }
        newlines = 0;
        let start = i;
        if is_alnum_at(text, i) {
            let (end, kind, extra) = scan_word(text, i, limit);
            if !text[start..end].is_ascii() && kind == Kind::Word && !is_mojibake(&text[start..end]) {
                push_unicode_words(text, start, end, pending, &mut toks);
            } else {
                toks.push(make(text, start, end, kind, pending | extra));
            }
            pending = 0;
            i = end;
            continue;
        }
        let prev_word = toks.last().is_some_and(|t| t.span.end == i && t.kind != Kind::Punct);
        let (end, kind) = scan_punct(text, i, limit, prev_word);
        toks.push(make(text, i, end.min(b.len()), kind, pending));
        pending = 0;
        i = end;
    }
    let lower = toks.iter().map(|t| lower_hash(&text[t.span.range()])).collect();
    let mut t = Tokens { tokens: toks, sentences: Vec::new(), sent_of: Vec::new(), lower };
    split_sentences(text, src, &mut t);
    t
}

/// Pushes a non-ASCII word run split at Unicode word boundaries; the first
/// token gets the `pending` flags.
fn push_unicode_words(text: &str, start: usize, end: usize, pending: u16, toks: &mut Vec<Token>) {
    let mut first = true;
    for (off, w) in text[start..end].split_word_bound_indices() {
        let s = start + off;
        let f = if first { pending } else { 0 };
        first = false;
        if w.chars().all(char::is_whitespace) {
            continue;
        }
        let k = if w.chars().next().is_some_and(|c| c.is_alphanumeric()) { Kind::Word } else { Kind::Punct };
        toks.push(make(text, s, s + w.len(), k, f));
    }
}

/// Scans punctuation at `i`: `...` and `--` runs as one token, the clitic
/// `'s` after a word (`prev_word`) as a word ("Bosnia's"), anything else
/// one character. Returns its end and kind.
fn scan_punct(text: &str, i: usize, limit: usize, prev_word: bool) -> (usize, Kind) {
    let b = text.as_bytes();
    let mut end = i + char_len(text, i);
    match b[i] {
        b'.' | b'-' => {
            while end < limit && b[end] == b[i] {
                end += 1;
            }
        }
        // Doubled apostrophes and backticks are quotation marks: ``A,'' he said.
        b'`' | b'\'' if end < limit && b[end] == b[i] => end += 1,
        _ => {
            if let Some(al) = is_apostrophe(text, i) {
                let after = i + al;
                if prev_word
                    && after < limit
                    && matches!(b[after], b's' | b'S')
                    && (after + 1 >= limit || !is_alnum_at(text, after + 1))
                {
                    return (after + 1, Kind::Word);
                }
            }
        }
    }
    (end, Kind::Punct)
}

/// Scans a word or number starting at `i`; returns its end, kind and flags.
fn scan_word(text: &str, i: usize, limit: usize) -> (usize, Kind, u16) {
    let b = text.as_bytes();
    let kind = if b[i].is_ascii_digit() { Kind::Number } else { Kind::Word };
    // Acronyms with periods: U.S., U.N., a.m.
    if b[i].is_ascii_alphabetic()
        && i + 3 < limit.max(i + 3)
        && i + 2 < b.len()
        && b[i + 1] == b'.'
        && b.get(i + 2).is_some_and(|c| c.is_ascii_alphabetic())
        && b.get(i + 3) == Some(&b'.')
    {
        let mut k = i;
        while k + 1 < limit && b[k].is_ascii_alphabetic() && b[k + 1] == b'.' {
            k += 2;
        }
        return (k, Kind::Word, flag::ABBR);
    }
    let mut k = i;
    loop {
        while k < limit && is_alnum_at(text, k) {
            k += char_len(text, k);
        }
        if k >= limit {
            break;
        }
        let c = b[k];
        // Inner apostrophe followed by letters (O'Brien), but not the clitic 's.
        if let Some(al) = is_apostrophe(text, k) {
            let a = k + al;
            if a < limit && is_alnum_at(text, a) {
                let s_clitic = matches!(b[a], b's' | b'S') && (a + 1 >= limit || !is_alnum_at(text, a + 1));
                if !s_clitic {
                    k = a;
                    continue;
                }
            }
            break;
        }
        // Numbers: 1,000 and 3.5
        if kind == Kind::Number && matches!(c, b',' | b'.' | b':') && k + 1 < limit && b[k + 1].is_ascii_digit() {
            k += 1;
            continue;
        }
        // Capitalized hyphenated compounds stay whole: Jean-Claude, Bosnia-Herzegovina.
        if c == b'-'
            && k + 1 < limit
            && b[k + 1].is_ascii_uppercase()
            && b[i].is_ascii_uppercase()
            && kind == Kind::Word
        {
            k += 1;
            continue;
        }
        break;
    }
    // A period that belongs to the word.
    if k < b.len() && b[k] == b'.' && kind == Kind::Word && b.get(k + 1) != Some(&b'.') {
        let word = &text[i..k];
        let single_cap = word.len() == 1 && b[i].is_ascii_uppercase();
        if single_cap || is_abbr(word, TITLE_ABBR) {
            return (k + 1, kind, flag::ABBR | flag::ABBR_TITLE);
        }
        let glued = b.get(k + 1).is_some_and(|c| *c == b'-' || c.is_ascii_alphabetic());
        if is_abbr(word, OTHER_ABBR) || glued {
            return (k + 1, kind, flag::ABBR);
        }
    }
    (k, kind, 0)
}

fn make(text: &str, s: usize, e: usize, kind: Kind, mut flags: u16) -> Token {
    let w = &text[s..e];
    let mut chars = w.chars();
    if let Some(first) = chars.next() {
        if first.is_uppercase() {
            flags |= flag::CAP;
        } else if first.is_lowercase() {
            flags |= flag::LOWER;
        }
    }
    let mut letters = 0;
    let mut upper = true;
    for ch in w.chars() {
        if ch.is_alphabetic() {
            letters += 1;
            if !ch.is_uppercase() {
                upper = false;
            }
        }
    }
    if letters >= 2 && upper {
        flags |= flag::UPPER;
    }
    Token { span: Span::new(s, e), kind, flags }
}

fn is_closer(w: &str) -> bool {
    matches!(w, "\"" | "'" | "''" | "\u{201d}" | "\u{2019}" | ")" | "]")
}

fn is_terminal(w: &str) -> bool {
    matches!(w, "." | "!" | "?" | "..." | "\u{2026}") || w.starts_with("..")
}

fn split_sentences(text: &str, src: &Source, t: &mut Tokens) {
    let toks = &mut t.tokens;
    let n = toks.len();
    let mut bounds = vec![0usize];
    let mut i = 0;
    while i < n {
        let w = &text[toks[i].span.range()];
        let mut cut = None;
        if toks[i].kind == Kind::Punct && is_terminal(w) {
            let mut j = i + 1;
            while j < n && !toks[j].has(flag::SPACE_BEFORE) && is_closer(&text[toks[j].span.range()]) {
                j += 1;
            }
            // A dash on the same line attributes what came before: "...game." - Ingram
            let dash = j < n
                && !toks[j].has(flag::NL_BEFORE)
                && matches!(&text[toks[j].span.range()], "-" | "--" | "\u{2014}" | "\u{2013}");
            if j < n && toks[j].has(flag::SPACE_BEFORE) && !toks[j].has(flag::LOWER) && !dash {
                cut = Some(j);
            }
        } else if toks[i].has(flag::ABBR) && !toks[i].has(flag::ABBR_TITLE) && i + 1 < n {
            let next = &text[toks[i + 1].span.range()];
            if toks[i + 1].has(flag::SPACE_BEFORE) && STARTERS.contains(&next) {
                cut = Some(i + 1);
            }
        }
        if cut.is_none() && i + 1 < n && toks[i + 1].has(flag::NL_BEFORE) {
            let next = toks[i + 1];
            let prev_end = toks[i].span.end;
            // Headings are sorted: the last one starting at or before here.
            let h = src.headings.partition_point(|h| h.start <= prev_end);
            let in_heading = h > 0 && prev_end <= src.headings[h - 1].end;
            let starts_lower = next.has(flag::LOWER);
            // "X said:" at a line's end introduces what the next line says.
            let colon = w == ":";
            // A line that ends in a comma or a function word was wrapped
            // mid-sentence; otherwise a line is a paragraph, a heading or a
            // dateline (scraped news puts one paragraph on a line).
            // A hyphen counts only glued to its word ("exam-\nple"); a spaced
            // dash ending a table row ("TEXAS 74 54 .578 -") ends the row.
            let wrapped = matches!(w, "," | ";")
                || (w == "-" && !toks[i].has(flag::SPACE_BEFORE))
                || (toks[i].kind == Kind::Word
                    && w.len() <= 5
                    && FUNCTION_WORDS.iter().any(|f| f.eq_ignore_ascii_case(w))
                    && w != "s");
            if in_heading || (!starts_lower && !colon && !wrapped) {
                cut = Some(i + 1);
            }
        }
        if let Some(c) = cut {
            if c > *bounds.last().unwrap_or(&0) {
                bounds.push(c);
            }
            i = c;
        } else {
            i += 1;
        }
    }
    bounds.push(n);
    bounds.dedup();
    t.sent_of = vec![0; n];
    for w in bounds.windows(2) {
        let (s, e) = (w[0], w[1]);
        if s >= e {
            continue;
        }
        toks[s].flags |= flag::SENT_START;
        let idx = t.sentences.len() as u32;
        for k in s..e {
            t.sent_of[k] = idx;
        }
        let case = sentence_case(text, &toks[s..e], s == 0);
        t.sentences.push(Sentence { start: s, end: e, case });
    }
}

const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "the", "of", "for", "and", "or", "but", "in", "on", "at", "to", "by", "with", "from", "as", "amid",
    "vs", "v", "into", "over", "after", "is", "are", "was", "be", "s",
];

/// The case of a sentence: all capitals, title case (a headline) or normal.
/// `first` says the sentence opens the document, where a headline may end in
/// a period ("Senator Backs Farm Bill In Final Vote.").
fn sentence_case(text: &str, toks: &[Token], first: bool) -> Case {
    let (mut words, mut caps, mut uppers, mut letters_words) = (0, 0, 0, 0);
    for t in toks {
        if t.kind != Kind::Word {
            continue;
        }
        let w = &text[t.span.range()];
        if !w.chars().next().is_some_and(char::is_alphabetic) {
            continue;
        }
        letters_words += 1;
        if t.has(flag::UPPER) || (w.len() == 1 && t.has(flag::CAP)) {
            uppers += 1;
        }
        if w.len() <= 5 && FUNCTION_WORDS.iter().any(|f| f.eq_ignore_ascii_case(w)) {
            continue;
        }
        words += 1;
        if t.has(flag::CAP) {
            caps += 1;
        }
    }
    // A list of names ("Mike Hulbert, Brian Henninger, Tiger Woods,") is
    // all capitals too, but headlines have neither commas nor a final period
    // (except the document's first line, its headline).
    let last = toks.len().saturating_sub(1);
    let listy = toks.iter().enumerate().any(|(k, t)| {
        t.kind == Kind::Punct
            && match &text[t.span.range()] {
                "," | ";" => true,
                "." => !(first && k == last),
                _ => false,
            }
    });
    if letters_words >= 3 && uppers * 10 >= letters_words * 8 {
        Case::Upper
    } else if !listy && words >= 4 && caps * 10 >= words * 9 {
        Case::Title
    } else {
        Case::Normal
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input;

    fn toks(text: &str) -> Vec<String> {
        let t = tokenize(text, &input::scan(text));
        t.tokens.iter().map(|k| text[k.span.range()].to_string()).collect()
    }

    fn sents(text: &str) -> Vec<String> {
        let t = tokenize(text, &input::scan(text));
        t.sentences
            .iter()
            .map(|s| text[t.tokens[s.start].span.start..t.tokens[s.end - 1].span.end].to_string())
            .collect()
    }

    macro_rules! token_cases {
        ($($name:ident: $text:expr => [$($tok:expr),*];)*) => {$(
            #[test]
            fn $name() {
                let want: Vec<String> = vec![$($tok.to_string()),*];
                assert_eq!(toks($text), want);
            }
        )*};
    }

    token_cases! {
        possessive: "Bosnia's war" => ["Bosnia", "'s", "war"];
        curly_possessive: "Serbia\u{2019}s FM" => ["Serbia", "\u{2019}s", "FM"];
        acronym: "the U.S. army" => ["the", "U.S.", "army"];
        glued_period: "the US.-brokered deal" => ["the", "US.", "-", "brokered", "deal"];
        month_abbr: "the Oct. 7 vote" => ["the", "Oct.", "7", "vote"];
        initials: "J. R. Smith" => ["J.", "R.", "Smith"];
        hyphen_lower: "inter-ethnic" => ["inter", "-", "ethnic"];
        hyphen_caps: "Bosnia-Herzegovina" => ["Bosnia-Herzegovina"];
        numbers: "1,000 and 3.5 in 1992-95" => ["1,000", "and", "3.5", "in", "1992", "-", "95"];
        obrien: "O'Brien said" => ["O'Brien", "said"];
        markdown: "**Bold** [link](http://x.y)" => ["Bold", "link"];
        quotes: "\u{201c}We,\u{201d} he" => ["\u{201c}", "We", ",", "\u{201d}", "he"];
        doubled_marks: "``We,'' he" => ["``", "We", ",", "''", "he"];
        unicode: "Zürich café" => ["Zürich", "café"];
        mojibake: "Fran\u{c3}\u{a7}ois Hollande" => ["Fran\u{c3}\u{a7}ois", "Hollande"];
    }

    #[test]
    fn sentences() {
        assert_eq!(sents("Mr. Smith went. He left."), ["Mr. Smith went.", "He left."]);
        assert_eq!(sents("on Oct. 7 he voted."), ["on Oct. 7 he voted."]);
        assert_eq!(sents("will support\n\nhis plans. Next"), ["will support\n\nhis plans.", "Next"]);
        assert_eq!(sents("# Head\n\nBody text."), ["Head", "Body text."]);
        assert_eq!(sents("\"Go,\" he said. \"Now.\" Then"), ["\"Go,\" he said.", "\"Now.\"", "Then"]);
        assert_eq!(sents("LONDON 1996-08-30\nWest Indian"), ["LONDON 1996-08-30", "West Indian"]);
        assert_eq!(sents("He tweeted:\n\"Cool clock.\""), ["He tweeted:\n\"Cool clock.\""]);
        assert_eq!(
            sents("A long caption line that has no final punctuation at all - Ann Lee\nNext"),
            ["A long caption line that has no final punctuation at all - Ann Lee", "Next"]
        );
        assert_eq!(sents("a line wrapped after the\nWhite House said"), ["a line wrapped after the\nWhite House said"]);
    }

    #[test]
    fn case_of_headlines() {
        let text = "Russia Backs Bosnia's Integrity Amid Serb Calls for Secession";
        let t = tokenize(text, &input::scan(text));
        assert_eq!(t.sentences[0].case, Case::Title);
        let text = "Senator Backs Farm Bill In Final Vote.\nShe said so.";
        let t = tokenize(text, &input::scan(text));
        assert_eq!(t.sentences[0].case, Case::Title);
        let text = "He said so.\nMike Hulbert Beat Brian Henninger Last Week.";
        let t = tokenize(text, &input::scan(text));
        assert_eq!(t.sentences[1].case, Case::Normal);
        let text = "CRICKET - LEICESTERSHIRE TAKE OVER AT TOP";
        let t = tokenize(text, &input::scan(text));
        assert_eq!(t.sentences[0].case, Case::Upper);
    }
}
