//! Stage 3: the gazetteer. Loads TSV data files (see `data/README.md`) and
//! finds every entry in a tokenized document.
//!
//! Single-token entries (given names, surnames, most places) are hash
//! look-ups per token; multi-token phrases ("Banja Luka", "news
//! conference") go into two Aho-Corasick automata (case-sensitive and ASCII
//! case-insensitive) run over a normalized copy of the token stream, and a
//! hit counts only when it starts and ends on token boundaries, so "US"
//! never matches inside "USE".

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use crate::error::{Error, ErrorKind, column_of};
use crate::input;
use crate::tokens::{self, Case, Kind, Tokens, flag};

/// Interned gazetteer type (`place`, `office`, `given_name`, ...).
pub(crate) type TypeId = u16;

/// How an entry's phrase must match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CaseMode {
    /// As written (an ALL-CAPS form also matches inside all-caps lines).
    Exact,
    /// Case-insensitive.
    Fold,
}

/// What kind of mention a phrase makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MentionKind {
    Name,
    Demonym,
}

/// One data line.
#[derive(Clone, Debug)]
pub(crate) struct Entry {
    pub phrase: Box<str>,
    pub ty: TypeId,
    pub canonical: Box<str>,
    pub mention: MentionKind,
    pub case: CaseMode,
    pub requires_the: bool,
    pub attrs: Vec<(Box<str>, Box<str>)>,
    pub file: u16,
    pub line: u32,
}

impl Entry {
    pub fn attr(&self, key: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| &**k == key).map(|(_, v)| &**v)
    }
}

/// A gazetteer match: tokens `[start, end)` and the entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Hit {
    pub start: u32,
    pub end: u32,
    pub entry: u32,
}

/// All loaded entries plus the structures that find them.
#[derive(Debug, Default)]
pub(crate) struct Gazetteer {
    pub entries: Vec<Entry>,
    pub types: Vec<String>,
    pub files: Vec<String>,
    exact: HashMap<Box<str>, Vec<u32>>,
    fold: HashMap<Box<str>, Vec<u32>>,
    multi_exact: Vec<(String, Vec<u32>)>,
    multi_fold: Vec<(String, Vec<u32>)>,
    ac_exact: Option<AhoCorasick>,
    ac_fold: Option<AhoCorasick>,
}

impl Gazetteer {
    /// The id of type `name`, interning it.
    pub fn type_id(&mut self, name: &str) -> TypeId {
        if let Some(i) = self.types.iter().position(|t| t == name) {
            return i as TypeId;
        }
        self.types.push(name.to_string());
        (self.types.len() - 1) as TypeId
    }

    /// The id of type `name` if any entry or rule uses it.
    pub fn find_type(&self, name: &str) -> Option<TypeId> {
        self.types.iter().position(|t| t == name).map(|i| i as TypeId)
    }

    pub fn type_name(&self, t: TypeId) -> &str {
        &self.types[t as usize]
    }

    /// `gazetteer:FILE:LINE` provenance of an entry.
    pub fn provenance(&self, e: u32) -> String {
        let e = &self.entries[e as usize];
        format!("gazetteer:{}:{}", self.files[e.file as usize], e.line)
    }

    /// Parses one data file and adds its entries (call [`Gazetteer::build`] after).
    pub fn add_file(&mut self, name: &str, text: &str) -> Result<(), Error> {
        let file = self.files.len() as u16;
        self.files.push(name.to_string());
        let mut defaults: Vec<(String, String)> = Vec::new();
        for (n, raw) in text.lines().enumerate() {
            let line_no = n + 1;
            let line = raw.strip_suffix('\r').unwrap_or(raw);
            let err = |col: usize, msg: String| {
                Error::new(ErrorKind::Gazetteer, name, line_no, col, msg).with_line_text(line)
            };
            if let Some(rest) = line.strip_prefix("#@") {
                defaults.clear();
                let base = line.len() - rest.len();
                // `key=value` pairs separated by spaces; a word without `=`
                // continues the previous value (`class=news conference`).
                let mut off = 0;
                for part in rest.split(' ') {
                    if !part.is_empty() {
                        match (part.split_once('='), defaults.last_mut()) {
                            (Some((k, v)), _) if !k.is_empty() => defaults.push((k.to_string(), v.to_string())),
                            (None, Some(last)) => {
                                last.1.push(' ');
                                last.1.push_str(part);
                            }
                            _ => {
                                return Err(err(
                                    column_of(line, base + off),
                                    format!("directive field `{part}` is not key=value"),
                                ));
                            }
                        }
                    }
                    off += part.len() + 1;
                }
                continue;
            }
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let mut fields = line.split('\t');
            let phrase = fields.next().unwrap_or("").trim();
            if phrase.is_empty() {
                return Err(err(1, "empty phrase".into()));
            }
            let mut attrs: Vec<(String, String)> = defaults.clone();
            let mut off = line.find('\t').map_or(line.len(), |p| p + 1);
            for f in fields {
                if !f.is_empty() {
                    let Some((k, v)) = f.split_once('=') else {
                        return Err(err(column_of(line, off), format!("field `{f}` is not key=value")));
                    };
                    if k.is_empty() || k.contains(' ') {
                        return Err(err(column_of(line, off), format!("bad attribute name `{k}`")));
                    }
                    attrs.retain(|(ek, _)| ek != k);
                    attrs.push((k.to_string(), v.to_string()));
                }
                off += f.len() + 1;
            }
            let take = |attrs: &mut Vec<(String, String)>, key: &str| {
                attrs.iter().position(|(k, _)| k == key).map(|i| attrs.remove(i).1)
            };
            let Some(ty) = take(&mut attrs, "type") else {
                return Err(err(1, "no `type` (give it on the line or in a `#@ type=...` directive)".into()));
            };
            let col_of = |key: &str| line.find(&format!("{key}=")).map_or(1, |p| column_of(line, p));
            let case = match take(&mut attrs, "case").as_deref() {
                None | Some("exact") => CaseMode::Exact,
                Some("fold") => CaseMode::Fold,
                Some(other) => {
                    return Err(err(col_of("case"), format!("case must be `exact` or `fold`, not `{other}`")));
                }
            };
            let mention = match take(&mut attrs, "mention").as_deref() {
                None | Some("name") => MentionKind::Name,
                Some("demonym") => MentionKind::Demonym,
                Some(other) => {
                    return Err(err(col_of("mention"), format!("mention must be `name` or `demonym`, not `{other}`")));
                }
            };
            let requires_the = match take(&mut attrs, "requires").as_deref() {
                None => false,
                Some("the") => true,
                Some(other) => {
                    return Err(err(col_of("requires"), format!("requires must be `the`, not `{other}`")));
                }
            };
            let canonical = take(&mut attrs, "canonical").unwrap_or_else(|| phrase.to_string());
            let ty = self.type_id(&ty);
            self.entries.push(Entry {
                phrase: phrase.into(),
                ty,
                canonical: canonical.into(),
                mention,
                case,
                requires_the,
                attrs: attrs.into_iter().map(|(k, v)| (k.into_boxed_str(), v.into_boxed_str())).collect(),
                file,
                line: line_no as u32,
            });
        }
        Ok(())
    }

    /// Builds the look-up tables and automata. Call once after all files.
    pub fn build(&mut self) {
        self.exact.clear();
        self.fold.clear();
        let mut multi_exact: HashMap<String, Vec<u32>> = HashMap::new();
        let mut multi_fold: HashMap<String, Vec<u32>> = HashMap::new();
        for (id, e) in self.entries.iter().enumerate() {
            let id = id as u32;
            let (norm, ntok) = normalize_phrase(&e.phrase);
            match (ntok, e.case) {
                (0, _) => {}
                (1, CaseMode::Exact) => self.exact.entry(norm.into()).or_default().push(id),
                (1, CaseMode::Fold) => self.fold.entry(norm.to_lowercase().into()).or_default().push(id),
                (_, CaseMode::Exact) => multi_exact.entry(norm).or_default().push(id),
                (_, CaseMode::Fold) => multi_fold.entry(norm.to_lowercase()).or_default().push(id),
            }
        }
        self.multi_exact = multi_exact.into_iter().collect();
        self.multi_fold = multi_fold.into_iter().collect();
        self.multi_exact.sort();
        self.multi_fold.sort();
        self.ac_exact = build_ac(&self.multi_exact, false);
        self.ac_fold = build_ac(&self.multi_fold, true);
    }

    /// Every hit in the document, sorted by start, longest first.
    pub fn find(&self, text: &str, toks: &Tokens) -> Vec<Hit> {
        let mut hits = Vec::new();
        let mut lower = String::new();
        let mut titled = String::new();
        for (i, t) in toks.tokens.iter().enumerate() {
            if t.kind == Kind::Punct && t.span.len() == 1 {
                continue;
            }
            let w = &text[t.span.range()];
            let mut push = |ids: &Vec<u32>| {
                for &e in ids {
                    hits.push(Hit { start: i as u32, end: i as u32 + 1, entry: e });
                }
            };
            let mut found = false;
            if let Some(ids) = self.exact.get(w) {
                push(ids);
                found = true;
            }
            let base = if t.has(flag::ABBR) { w.strip_suffix('.').unwrap_or(w) } else { w };
            if base.len() != w.len()
                && let Some(ids) = self.exact.get(base)
            {
                push(ids);
                found = true;
            }
            if !found && t.has(flag::UPPER) && toks.sentence_of(i).case == Case::Upper {
                titlecase_into(base, &mut titled);
                if let Some(ids) = self.exact.get(titled.as_str()) {
                    push(ids);
                }
            }
            lower.clear();
            lower.extend(base.chars().flat_map(char::to_lowercase));
            if let Some(ids) = self.fold.get(lower.as_str()) {
                push(ids);
            }
        }
        if self.ac_exact.is_some() || self.ac_fold.is_some() {
            self.find_multi(text, toks, &mut hits);
        }
        hits.retain(|h| {
            let e = &self.entries[h.entry as usize];
            !e.requires_the || (h.start > 0 && toks.text(text, h.start as usize - 1).eq_ignore_ascii_case("the"))
        });
        hits.sort_by_key(|h| (h.start, std::cmp::Reverse(h.end), h.entry));
        hits.dedup();
        hits
    }

    fn find_multi(&self, text: &str, toks: &Tokens, hits: &mut Vec<Hit>) {
        // The normalized stream: tokens joined by one space where the text had
        // space, a newline between sentences; all-caps lines title-cased.
        let mut norm = String::with_capacity(text.len());
        let mut starts = Vec::with_capacity(toks.tokens.len());
        let mut ends = Vec::with_capacity(toks.tokens.len());
        let mut titled = String::new();
        for (i, t) in toks.tokens.iter().enumerate() {
            if t.has(flag::SENT_START) && i > 0 {
                norm.push('\n');
            } else if t.has(flag::SPACE_BEFORE) && i > 0 {
                norm.push(' ');
            }
            starts.push(norm.len());
            let w = &text[t.span.range()];
            if t.has(flag::UPPER) && toks.sentence_of(i).case == Case::Upper && !w.contains('.') {
                titlecase_into(w, &mut titled);
                norm.push_str(&titled);
            } else {
                norm.push_str(w);
            }
            ends.push(norm.len());
        }
        let mut add = |ac: &AhoCorasick, pats: &Vec<(String, Vec<u32>)>| {
            for m in ac.find_overlapping_iter(&norm) {
                let (Ok(s), Ok(e)) = (starts.binary_search(&m.start()), ends.binary_search(&m.end())) else {
                    continue;
                };
                for &id in &pats[m.pattern().as_usize()].1 {
                    hits.push(Hit { start: s as u32, end: e as u32 + 1, entry: id });
                }
            }
        };
        if let Some(ac) = &self.ac_exact {
            add(ac, &self.multi_exact);
        }
        if let Some(ac) = &self.ac_fold {
            add(ac, &self.multi_fold);
        }
    }
}

fn build_ac(pats: &[(String, Vec<u32>)], fold: bool) -> Option<AhoCorasick> {
    if pats.is_empty() {
        return None;
    }
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::Standard)
        .ascii_case_insensitive(fold)
        .kind(Some(AhoCorasickKind::ContiguousNFA))
        .build(pats.iter().map(|(p, _)| p.as_str()))
        .ok()
}

fn titlecase_into(w: &str, out: &mut String) {
    out.clear();
    let mut first = true;
    for c in w.chars() {
        if first {
            out.push(c);
            first = false;
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

/// Tokenizes a phrase the way documents are tokenized and joins the tokens
/// with single spaces where the phrase had space. Returns the form and the
/// number of tokens.
pub(crate) fn normalize_phrase(phrase: &str) -> (String, usize) {
    let src = input::Source::default();
    let toks = tokens::tokenize(phrase, &src);
    let mut out = String::with_capacity(phrase.len());
    for (i, t) in toks.tokens.iter().enumerate() {
        if i > 0 && t.has(flag::SPACE_BEFORE) {
            out.push(' ');
        }
        out.push_str(&phrase[t.span.range()]);
    }
    (out, toks.tokens.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits(data: &str, text: &str) -> Vec<String> {
        let mut g = Gazetteer::default();
        g.add_file("t.tsv", data).unwrap();
        g.build();
        let toks = tokens::tokenize(text, &input::scan(text));
        g.find(text, &toks)
            .iter()
            .map(|h| {
                let s = toks.tokens[h.start as usize].span.start;
                let e = toks.tokens[h.end as usize - 1].span.end;
                format!("{}={}", &text[s..e], g.entries[h.entry as usize].canonical)
            })
            .collect()
    }

    #[test]
    fn boundaries_and_longest() {
        let data = "#@ type=place\nUS\tcanonical=United States\nBanja Luka\nLuka\n";
        assert_eq!(hits(data, "USE the US"), ["US=United States"]);
        assert_eq!(hits(data, "in Banja  Luka"), ["Banja  Luka=Banja Luka", "Luka=Luka"]);
        assert_eq!(hits(data, "the US.-brokered deal"), ["US.=United States"]);
    }

    #[test]
    fn case_policy() {
        let data = "#@ type=office case=fold\nforeign minister\tcanonical=Foreign Minister\n#@ type=place\nLondon\n";
        assert_eq!(hits(data, "Foreign Minister X"), ["Foreign Minister=Foreign Minister"]);
        assert_eq!(hits(data, "the foreign minister"), ["foreign minister=Foreign Minister"]);
        assert_eq!(hits(data, "london calling"), Vec::<String>::new());
        assert_eq!(hits(data, "LONDON IS BIG TODAY"), ["LONDON=London"]);
    }

    #[test]
    fn requires_the() {
        let data = "#@ type=place\nWest\trequires=the\n";
        assert_eq!(hits(data, "ties with the West"), ["West=West"]);
        assert!(hits(data, "West Indian").is_empty());
    }

    #[test]
    fn errors_name_the_line() {
        let mut g = Gazetteer::default();
        let e = g.add_file("w.tsv", "#@ =place\n").unwrap_err();
        assert_eq!((e.line(), e.column()), (1, 4));
        let e = g.add_file("x.tsv", "#@ type=place\nParis\tcountry\n").unwrap_err();
        assert_eq!((e.file(), e.line(), e.column()), ("x.tsv", 2, 7));
        let e = g.add_file("y.tsv", "Paris\n").unwrap_err();
        assert!(e.message().contains("type"), "{e}");
        let e = g.add_file("z.tsv", "#@ type=office\nmayor\tcase=loud\n").unwrap_err();
        assert_eq!(e.column(), 7, "{e}");
    }
}
