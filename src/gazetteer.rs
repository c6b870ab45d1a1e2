//! Stage 3: the gazetteer. Loads TSV data files (see `data/README.md`) and
//! finds every entry in a tokenized document.
//!
//! Single-token entries (given names, surnames, most places) are hash
//! look-ups per token; multi-token phrases ("Banja Luka", "news
//! conference") go into two tries over token hashes (exact case and lower
//! case) walked from each token, so a hit always starts and ends on token
//! boundaries: "US" never matches inside "USE". See DESIGN.md for why
//! this replaced Aho-Corasick automata.

use std::borrow::Cow;

use crate::hash::FxMap;

use crate::error::{Error, ErrorKind, column_of};
use crate::input;
use crate::tokens::{self, Case, Kind, Tokens, flag};
use crate::types::MentionKind;

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

/// One data line. Entries hold offsets into their file's text, not copies:
/// loading 100k entries allocates nothing per entry. 36 bytes an entry (a
/// million-entry user list is 36 MB): the canonical name and the other
/// attributes are read from the line's fields when asked for.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Entry {
    pub ty: TypeId,
    pub file: u16,
    pub mention: MentionKind,
    pub case: CaseMode,
    pub requires_the: bool,
    /// 1-based line number.
    pub line: u32,
    /// The phrase: a byte range of the file's text.
    phrase: (u32, u32),
    /// The line's fields after the phrase (`key=value`, tab-separated), a
    /// byte range of the file's text, parsed on demand.
    fields: (u32, u32),
    /// Index of the directive defaults in force for this line.
    defaults: u32,
    /// `ambiguous=1` (also a common word: needs context).
    pub ambiguous: bool,
    /// `context=sports` (counts only in sports news).
    pub sports_only: bool,
}

impl Entry {
    /// A placeholder, overwritten by parsing.
    const EMPTY: Entry = Entry {
        ty: 0,
        file: 0,
        mention: MentionKind::Name,
        case: CaseMode::Exact,
        requires_the: false,
        line: 0,
        phrase: (0, 0),
        fields: (0, 0),
        defaults: 0,
        ambiguous: false,
        sports_only: false,
    };
}

/// Line fields with a meaning of their own: [`Gazetteer::attr`] does not
/// answer them from the line.
const RESERVED: &[&str] = &["type", "case", "mention", "requires", "canonical"];

/// Resolved `#@` directive defaults.
#[derive(Clone, Debug, Default, PartialEq)]
struct Directive {
    ty: Option<TypeId>,
    case: Option<CaseMode>,
    mention: Option<MentionKind>,
    requires_the: Option<bool>,
    canonical: Option<String>,
    ambiguous: bool,
    sports_only: bool,
    /// Every `key=value`, for attribute look-ups.
    pairs: Vec<(String, String)>,
}

/// A gazetteer match: tokens `[start, end)` and the entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Hit {
    pub start: u32,
    pub end: u32,
    pub entry: u32,
}

/// Phrase → entry ids, keyed by the phrase's 64-bit hash so no key is
/// copied; a look-up checks the entry's phrase, so a hash collision costs a
/// comparison, never a wrong hit. Most phrases have one entry, stored
/// inline; the rest point into `more`.
#[derive(Debug, Default)]
struct IdTable {
    map: std::collections::HashMap<u64, u32, std::hash::BuildHasherDefault<crate::hash::IdentityHasher>>,
    more: Vec<Vec<u32>>,
}

const MANY: u32 = 1 << 31;

fn hash_str(s: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = crate::hash::FxHasher::default();
    h.write(s.as_bytes());
    h.finish()
}

/// Adds entry `id` under `key`: one id is stored inline, a second one moves
/// them to a list in `more` and the slot holds `MANY | list index`.
fn add_id<K: std::hash::Hash + Eq, S: std::hash::BuildHasher>(
    map: &mut std::collections::HashMap<K, u32, S>,
    more: &mut Vec<Vec<u32>>,
    key: K,
    id: u32,
) {
    match map.entry(key) {
        std::collections::hash_map::Entry::Vacant(v) => {
            v.insert(id);
        }
        std::collections::hash_map::Entry::Occupied(mut o) => {
            let v = o.get_mut();
            if *v & MANY != 0 {
                more[(*v & !MANY) as usize].push(id);
            } else {
                more.push(vec![*v, id]);
                *v = (more.len() - 1) as u32 | MANY;
            }
        }
    }
}

impl IdTable {
    fn insert_hashed(&mut self, hash: u64, id: u32) {
        add_id(&mut self.map, &mut self.more, hash, id);
    }

    fn get(&self, key: &str) -> &[u32] {
        self.get_hashed(hash_str(key))
    }

    /// The ids under a key's hash ([`hash_str`] of the key).
    fn get_hashed(&self, hash: u64) -> &[u32] {
        match self.map.get(&hash) {
            None => &[],
            Some(v) if *v & MANY != 0 => &self.more[(*v & !MANY) as usize],
            Some(v) => std::slice::from_ref(v),
        }
    }

    fn reset(&mut self, capacity: usize) {
        self.map = std::collections::HashMap::with_capacity_and_hasher(capacity, Default::default());
        self.more.clear();
    }
}

/// The look-up structures [`Gazetteer::tables`] builds.
#[derive(Debug, Default)]
pub(crate) struct Tables {
    exact: IdTable,
    fold: IdTable,
    multi_exact: Trie,
    multi_fold: Trie,
}

/// All loaded entries plus the structures that find them.
#[derive(Debug, Default)]
pub(crate) struct Gazetteer {
    pub entries: Vec<Entry>,
    pub types: Vec<String>,
    pub files: Vec<String>,
    /// Each file's text; entries point into it.
    texts: Vec<Cow<'static, str>>,
    /// Directive defaults (`#@ ...`), referenced by entries.
    directives: Vec<Directive>,
    exact: IdTable,
    fold: IdTable,
    /// Multi-word phrases, as tries over token hashes.
    multi_exact: Trie,
    multi_fold: Trie,
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

    fn slice(&self, file: u16, (s, e): (u32, u32)) -> &str {
        &self.texts[file as usize][s as usize..e as usize]
    }

    /// The entry's phrase as written.
    pub fn phrase(&self, e: &Entry) -> &str {
        self.slice(e.file, e.phrase)
    }

    /// The fields after an entry's phrase.
    fn fields<'a>(&'a self, e: &Entry) -> impl Iterator<Item = &'a str> {
        split_ascii(self.slice(e.file, e.fields), b'\t').filter(|f| !f.is_empty())
    }

    /// The entry's canonical name: the line's (last) `canonical=` unless it
    /// repeats the phrase, else its directive's, else the phrase.
    pub fn canonical<'a>(&'a self, e: &'a Entry) -> &'a str {
        let phrase = self.phrase(e);
        let own = self.fields(e).filter_map(|f| f.strip_prefix("canonical=")).last();
        match own.filter(|c| *c != phrase) {
            Some(c) => c,
            None => match &self.directives[e.defaults as usize].canonical {
                Some(c) => c,
                None => phrase,
            },
        }
    }

    /// Attribute `key` of entry `e`: from its line, else from its directive.
    /// The keys that set an entry's type, case, mention kind, `requires` and
    /// canonical name come from the directive only.
    pub fn attr<'a>(&'a self, e: &'a Entry, key: &str) -> Option<&'a str> {
        if !RESERVED.contains(&key) {
            for f in self.fields(e) {
                if let Some(v) = f.strip_prefix(key).and_then(|r| r.strip_prefix('=')) {
                    return Some(v);
                }
            }
        }
        self.directives.get(e.defaults as usize)?.pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// `gazetteer:FILE:LINE` provenance of an entry.
    pub fn provenance(&self, e: u32) -> String {
        let e = &self.entries[e as usize];
        format!("gazetteer:{}:{}", self.files[e.file as usize], e.line)
    }

    /// Parses one data file and adds its entries (call [`Gazetteer::build`] after).
    #[cfg(test)]
    pub fn add_file(&mut self, name: &str, text: &str) -> Result<(), Error> {
        self.add_files(vec![(name.to_string(), Cow::Owned(text.to_string()))])
    }

    /// Parses several files, in parallel, and adds their entries in order.
    /// Text that lives forever (the embedded data) is borrowed, not copied.
    /// Each file parses straight into its own slice of the final entry list
    /// (room for one entry a line), which is then closed up in place: a big
    /// list is never held twice.
    pub fn add_files(&mut self, files: Vec<(String, Cow<'static, str>)>) -> Result<(), Error> {
        let first = self.files.len();
        let n = files.len();
        for (name, text) in files {
            self.files.push(name);
            self.texts.push(text);
        }
        let old = self.entries.len();
        // At most one entry a line.
        let room: Vec<usize> =
            self.texts[first..].iter().map(|t| t.bytes().filter(|&b| b == b'\n').count() + 1).collect();
        self.entries.resize(old + room.iter().sum::<usize>(), Entry::EMPTY);
        let threads = std::thread::available_parallelism().map_or(1, |t| t.get()).min(n).max(1);
        let texts = &self.texts;
        let names = &self.files;
        let mut slots: Vec<Option<&mut [Entry]>> = Vec::with_capacity(n);
        let mut rest = &mut self.entries[old..];
        for &r in &room {
            let (a, b) = rest.split_at_mut(r);
            slots.push(Some(a));
            rest = b;
        }
        // Largest files first, each to the least loaded thread.
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_key(|&k| std::cmp::Reverse(texts[first + k].len()));
        // Per thread: bytes of text, and (file, its entry slice) pairs.
        type Group<'a> = (usize, Vec<(usize, &'a mut [Entry])>);
        let mut groups: Vec<Group> = (0..threads).map(|_| (0, Vec::new())).collect();
        for k in order {
            if let (Some(g), Some(slot)) = (groups.iter_mut().min_by_key(|g| g.0), slots[k].take()) {
                g.0 += texts[first + k].len();
                g.1.push((k, slot));
            }
        }
        let mut results: Vec<(usize, Result<Parsed, Error>)> = std::thread::scope(|s| {
            let handles: Vec<_> = groups
                .into_iter()
                .map(|(_, g)| {
                    s.spawn(move || {
                        g.into_iter()
                            .map(|(k, out)| {
                                let f = first + k;
                                (k, parse(&names[f], f as u16, &texts[f], out))
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect()
        });
        results.sort_by_key(|r| r.0);
        let mut write = old;
        let mut read = old;
        for ((_, r), room) in results.into_iter().zip(room) {
            let p = match r {
                Ok(p) => p,
                Err(e) => {
                    self.entries.truncate(old);
                    return Err(e);
                }
            };
            let map: Vec<TypeId> = p.types.iter().map(|t| self.type_id(t)).collect();
            let base = self.directives.len() as u32;
            for mut d in p.directives {
                d.ty = d.ty.map(|t| map[t as usize]);
                self.directives.push(d);
            }
            self.entries.copy_within(read..read + p.count, write);
            for e in &mut self.entries[write..write + p.count] {
                e.ty = map[e.ty as usize];
                e.defaults += base;
            }
            write += p.count;
            read += room;
        }
        self.entries.truncate(write);
        Ok(())
    }

    /// Builds the look-up tables and tries. Call once after all files.
    #[cfg(test)]
    ///
    /// Tables are sized from a quick count (a phrase with a space goes to
    /// a trie, one without to a single-word table), then entries are
    /// classified (normalized and hashed, on all cores) a block at a time
    /// and added, so the keys of a big list are never all held at once.
    pub fn build(&mut self) {
        let t = self.tables();
        self.set_tables(t);
    }

    /// Installs tables made by [`Gazetteer::tables`].
    pub fn set_tables(&mut self, t: Tables) {
        (self.exact, self.fold, self.multi_exact, self.multi_fold) = (t.exact, t.fold, t.multi_exact, t.multi_fold);
    }

    /// The look-up tables and tries for the entries loaded so far (what
    /// [`Gazetteer::build`] installs); needs only shared access, so the
    /// rules can be compiled meanwhile.
    pub fn tables(&self) -> Tables {
        let mut sizes = [0usize; 4];
        for e in &self.entries {
            let multi = self.slice(e.file, e.phrase).contains(' ');
            sizes[multi as usize * 2 + (e.case == CaseMode::Fold) as usize] += 1;
        }
        let mut multi_exact = Trie::default();
        let mut multi_fold = Trie::default();
        let mut exact = IdTable::default();
        let mut fold = IdTable::default();
        exact.reset(sizes[0]);
        fold.reset(sizes[1]);
        multi_exact.reserve(sizes[2]);
        multi_fold.reserve(sizes[3]);
        let threads = std::thread::available_parallelism().map_or(1, |t| t.get()).max(1);
        const BLOCK: usize = 1 << 15;
        let this = self;
        for (r, round) in self.entries.chunks(BLOCK * threads).enumerate() {
            let base = r * BLOCK * threads;
            let parts: Vec<Classified> = std::thread::scope(|s| {
                let hs: Vec<_> = round
                    .chunks(BLOCK)
                    .enumerate()
                    .map(|(k, c)| s.spawn(move || this.classify(c, (base + k * BLOCK) as u32)))
                    .collect();
                hs.into_iter().map(|h| h.join().unwrap_or_default()).collect()
            });
            for p in parts {
                for (h, id) in p.singles_exact {
                    exact.insert_hashed(h, id);
                }
                for (h, id) in p.singles_fold {
                    fold.insert_hashed(h, id);
                }
                for (keys, id) in p.multi_exact.iter() {
                    multi_exact.insert(keys, id);
                }
                for (keys, id) in p.multi_fold.iter() {
                    multi_fold.insert(keys, id);
                }
            }
        }
        Tables { exact, fold, multi_exact, multi_fold }
    }

    /// Normalized keys of `entries` (whose first id is `base`).
    fn classify(&self, entries: &[Entry], base: u32) -> Classified {
        let mut c = Classified::default();
        for (k, e) in entries.iter().enumerate() {
            let id = base + k as u32;
            let (norm, ntok) = normalize_phrase(self.slice(e.file, e.phrase));
            match (ntok, e.case) {
                (0, _) => {}
                (1, CaseMode::Exact) => {
                    c.singles_exact.push((hash_str(&norm), id));
                    // "Fla." is one token before a space, two ("Fla" ".") before a comma.
                    if let Some(stem) = norm.strip_suffix('.') {
                        c.multi_exact.push([hash_str(stem), hash_str(".")], id);
                    }
                }
                (1, CaseMode::Fold) => c.singles_fold.push((crate::tokens::lower_hash(&norm), id)),
                (_, CaseMode::Exact) => c.multi_exact.push(phrase_tokens(&norm).iter().map(|w| hash_str(w)), id),
                (_, CaseMode::Fold) => {
                    // "quarter-final" is three tokens, but "QUARTER-FINAL" or
                    // "Quarter-Final" is one (capitalized compounds stay whole).
                    if !norm.contains(' ') {
                        c.singles_fold.push((crate::tokens::lower_hash(&norm), id));
                    }
                    c.multi_fold.push(phrase_tokens(&norm).iter().map(|w| crate::tokens::lower_hash(w)), id)
                }
            }
        }
        c
    }

    /// Every hit in the document, sorted by start, longest first.
    pub fn find(&self, text: &str, toks: &Tokens) -> Vec<Hit> {
        let mut hits = Vec::new();
        let mut lower = String::new();
        let mut titled = String::new();
        // Each token's text hashed once, for the single-word table and the tries.
        let word_hash: Vec<u64> = toks.tokens.iter().map(|t| hash_str(&text[t.span.range()])).collect();
        for (i, t) in toks.tokens.iter().enumerate() {
            if t.kind == Kind::Punct && t.span.len() == 1 {
                continue;
            }
            let w = &text[t.span.range()];
            // Tables are keyed by hash: check the phrase itself.
            let mut push = |ids: &[u32], key: &str, fold: bool| {
                let mut any = false;
                for &e in ids {
                    let p = self.phrase(&self.entries[e as usize]).trim();
                    let same = if !fold {
                        p == key
                    } else if p.is_ascii() {
                        p.eq_ignore_ascii_case(key)
                    } else {
                        p.to_lowercase() == key
                    };
                    if same {
                        hits.push(Hit { start: i as u32, end: i as u32 + 1, entry: e });
                        any = true;
                    }
                }
                any
            };
            let mut found = push(self.exact.get_hashed(word_hash[i]), w, false);
            let base = if t.has(flag::ABBR) { w.strip_suffix('.').unwrap_or(w) } else { w };
            if base.len() != w.len() {
                found |= push(self.exact.get(base), base, false);
            }
            // ALL-CAPS forms (headlines, datelines, tables) also match the
            // capitalized entry: in all-caps lines any word, elsewhere words
            // of three letters or more (so "US" stays the acronym).
            if !found && t.has(flag::UPPER) && (base.len() >= 3 || toks.sentence_of(i).case == Case::Upper) {
                titlecase_into(base, &mut titled);
                push(self.exact.get(titled.as_str()), &titled, false);
            }
            // The lower-case form: for an ASCII token, its hash is the
            // tokenizer's (no string is built unless the table has the hash).
            let ids = if base.is_ascii() && base.len() == w.len() {
                self.fold.get_hashed(toks.lower[i])
            } else {
                lower.clear();
                lower.extend(base.chars().flat_map(char::to_lowercase));
                self.fold.get(lower.as_str())
            };
            if !ids.is_empty() {
                lower.clear();
                lower.extend(base.chars().flat_map(char::to_lowercase));
                push(ids, &lower, true);
            }
        }
        if !self.multi_exact.is_empty() || !self.multi_fold.is_empty() {
            self.find_multi(text, toks, &word_hash, &mut hits);
        }
        hits.retain(|h| {
            let e = &self.entries[h.entry as usize];
            !e.requires_the || (h.start > 0 && toks.text(text, h.start as usize - 1).eq_ignore_ascii_case("the"))
        });
        hits.sort_by_key(|h| (h.start, std::cmp::Reverse(h.end), h.entry));
        hits.dedup();
        hits
    }

    fn find_multi(&self, text: &str, toks: &Tokens, word_hash: &[u64], hits: &mut Vec<Hit>) {
        // Each token's key: the hash of its text, title-cased for ALL-CAPS
        // words in all-caps lines and in runs of two or more all-caps words
        // ("NEW YORK 1996-08-30"), but not for a lone acronym before a
        // capitalized word ("USA Today", "BNP Paribas").
        let mut titled = String::new();
        let upper = |k: usize| toks.tokens.get(k).is_some_and(|x| x.has(flag::UPPER));
        let keys: Vec<u64> = toks
            .tokens
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let w = &text[t.span.range()];
                let in_caps_run = (i > 0 && upper(i - 1)) || upper(i + 1);
                if t.has(flag::UPPER) && (toks.sentence_of(i).case == Case::Upper || in_caps_run) && !w.contains('.') {
                    titlecase_into(w, &mut titled);
                    hash_str(&titled)
                } else {
                    word_hash[i]
                }
            })
            .collect();
        for s in &toks.sentences {
            for i in s.start..s.end {
                self.multi_exact.walk(&keys, i, s.end, hits);
                self.multi_fold.walk(&toks.lower, i, s.end, hits);
            }
        }
    }
}

/// A trie over token hashes: phrases of several words, matched token by
/// token from each start (so matches always fall on token boundaries, and
/// any whitespace between words matches). Building it is a hash insert per
/// word; a failed look-up costs one probe per token.
///
/// Compact: an edge is 12 bytes in one hash table, keyed by the token's
/// hash mixed with its parent node (`key ^ mix(parent)`, which for a given
/// parent is one-to-one, so checking the child's parent makes the key
/// exact); parents and phrase ends are dense arrays indexed by node. A
/// million-phrase list takes about 35 MB.
#[derive(Debug)]
struct Trie {
    edges: std::collections::HashMap<EdgeKey, u32, std::hash::BuildHasherDefault<crate::hash::IdentityHasher>>,
    /// Edges whose mixed key another edge already took (astronomically rare).
    spill: FxMap<(u32, u64), u32>,
    /// Each node's parent (the root's is itself).
    parent: Vec<u32>,
    /// Entries ending at each node: `NONE`, the entry id, or `MANY | k` for
    /// the several ids in `more[k]` (most nodes end one phrase: no allocation).
    ends: Vec<u32>,
    more: Vec<Vec<u32>>,
    /// How many nodes end a phrase.
    phrases: usize,
}

/// A trie edge's key: a token hash mixed with the parent node, as two
/// halves so that an edge packs into 12 bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct EdgeKey([u32; 2]);

impl std::hash::Hash for EdgeKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_u64(self.0[0] as u64 | (self.0[1] as u64) << 32);
    }
}

const NONE: u32 = u32::MAX;

impl Default for Trie {
    fn default() -> Self {
        Trie {
            edges: Default::default(),
            spill: FxMap::default(),
            parent: vec![0],
            ends: vec![NONE],
            more: Vec::new(),
            phrases: 0,
        }
    }
}

impl Trie {
    fn is_empty(&self) -> bool {
        self.phrases == 0
    }

    fn reserve(&mut self, phrases: usize) {
        self.edges.reserve(phrases);
        self.parent.reserve(phrases);
        self.ends.reserve(phrases);
    }

    fn edge_key(node: u32, k: u64) -> EdgeKey {
        // An odd multiplier: one-to-one on node ids.
        let m = k ^ (node as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        EdgeKey([m as u32, (m >> 32) as u32])
    }

    /// The child of `node` under token hash `k`.
    #[inline]
    fn child(&self, node: u32, k: u64) -> Option<u32> {
        let &c = self.edges.get(&Self::edge_key(node, k))?;
        if self.parent[c as usize] == node {
            Some(c)
        } else if self.spill.is_empty() {
            None
        } else {
            self.spill.get(&(node, k)).copied()
        }
    }

    fn insert(&mut self, keys: &[u64], id: u32) {
        let mut node = 0;
        for &k in keys {
            node = match self.child(node, k) {
                Some(n) => n,
                None => {
                    let n = self.parent.len() as u32;
                    self.parent.push(node);
                    self.ends.push(NONE);
                    match self.edges.entry(Self::edge_key(node, k)) {
                        std::collections::hash_map::Entry::Vacant(v) => {
                            v.insert(n);
                        }
                        std::collections::hash_map::Entry::Occupied(_) => {
                            self.spill.insert((node, k), n);
                        }
                    }
                    n
                }
            };
        }
        let slot = &mut self.ends[node as usize];
        if *slot == NONE {
            *slot = id;
            self.phrases += 1;
        } else if *slot & MANY != 0 {
            self.more[(*slot & !MANY) as usize].push(id);
        } else {
            self.more.push(vec![*slot, id]);
            *slot = (self.more.len() - 1) as u32 | MANY;
        }
    }

    /// Every phrase that starts at token `i` and ends before `end`.
    fn walk(&self, keys: &[u64], i: usize, end: usize, hits: &mut Vec<Hit>) {
        let mut node = 0;
        for (j, &k) in keys.iter().enumerate().take(end).skip(i) {
            let Some(n) = self.child(node, k) else { return };
            node = n;
            let v = self.ends[node as usize];
            if j > i && v != NONE {
                let ids = if v & MANY != 0 { &self.more[(v & !MANY) as usize][..] } else { std::slice::from_ref(&v) };
                hits.extend(ids.iter().map(|&entry| Hit { start: i as u32, end: j as u32 + 1, entry }));
            }
        }
    }
}

/// The tokens of a normalized phrase (words separated by single spaces
/// where the phrase had space; glued tokens are split by the tokenizer).
fn phrase_tokens(norm: &str) -> Vec<&str> {
    if norm.bytes().all(|b| b.is_ascii_alphanumeric() || b == b' ') {
        return norm.split(' ').collect();
    }
    let toks = tokens::tokenize(norm, &input::Source::default());
    toks.tokens.iter().map(|t| &norm[t.span.range()]).collect()
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

/// Entry ids by key kind, as `Gazetteer::classify` sorts them.
#[derive(Default)]
struct Classified {
    singles_exact: Vec<(u64, u32)>,
    singles_fold: Vec<(u64, u32)>,
    multi_exact: Phrases,
    multi_fold: Phrases,
}

/// Token-hash sequences of multi-word phrases, flat: one allocation for
/// all of them, not one per phrase.
#[derive(Default)]
struct Phrases {
    keys: Vec<u64>,
    /// Each phrase's end in `keys` and its entry id.
    ends: Vec<(u32, u32)>,
}

impl Phrases {
    fn push(&mut self, keys: impl IntoIterator<Item = u64>, id: u32) {
        self.keys.extend(keys);
        self.ends.push((self.keys.len() as u32, id));
    }

    /// Each phrase's keys and entry id, in push order.
    fn iter(&self) -> impl Iterator<Item = (&[u64], u32)> {
        let mut start = 0;
        self.ends.iter().map(move |&(end, id)| {
            let keys = &self.keys[start as usize..end as usize];
            start = end;
            (keys, id)
        })
    }
}

/// What parsing one file gives besides its entries: how many it wrote,
/// and its directives, with file-local type ids.
#[derive(Default)]
struct Parsed {
    count: usize,
    directives: Vec<Directive>,
    types: Vec<String>,
}

fn local_type(types: &mut Vec<String>, name: &str) -> TypeId {
    match types.iter().position(|t| t == name) {
        Some(i) => i as TypeId,
        None => {
            types.push(name.to_string());
            (types.len() - 1) as TypeId
        }
    }
}

/// Parses one file into `out` (room for one entry a line). Type ids in the
/// entries are local to it (`Parsed::types`).
fn parse(name: &str, file: u16, text: &str, out: &mut [Entry]) -> Result<Parsed, Error> {
    // A byte-order mark is not part of the first line. (Offsets stay those of the file.)
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut p = Parsed::default();
    let mut dir = Directive::default();
    p.directives.push(dir.clone());
    let mut dir_index = 0u32;
    let mut line_start = bom;
    for (n, raw) in split_ascii(&text[bom..], b'\n').enumerate() {
        let here = line_start;
        line_start += raw.len() + 1;
        let line_no = n + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let err =
            |col: usize, msg: String| Error::new(ErrorKind::Gazetteer, name, line_no, col, msg).with_line_text(line);
        if let Some(rest) = line.strip_prefix("#@") {
            dir = parse_directive(&mut p.types, line, rest).map_err(|(off, msg)| err(column_of(line, off), msg))?;
            p.directives.push(dir.clone());
            dir_index = (p.directives.len() - 1) as u32;
            continue;
        }
        // Comments: `#` then a space or nothing ("#MeToo" is an entry).
        if line == "#" || line.starts_with("# ") || line.starts_with("#\t") || line.trim().is_empty() {
            continue;
        }
        let tab = line.bytes().position(|b| b == b'\t').unwrap_or(line.len());
        let phrase = &line[..tab];
        let lead = phrase.len() - phrase.trim_start().len();
        let phrase_t = phrase.trim();
        if phrase_t.is_empty() {
            return Err(err(1, "empty phrase".into()));
        }
        let Fields { ty, case, mention, requires_the, ambiguous, sports_only } =
            entry_fields(&mut p.types, &dir, line, tab, err)?;
        let Some(ty) = ty else {
            return Err(err(1, "no `type` (give it on the line or in a `#@ type=...` directive)".into()));
        };
        let abs = |(s, e): (usize, usize)| ((here + s) as u32, (here + e) as u32);
        let Some(slot) = out.get_mut(p.count) else {
            return Err(err(1, "more entries than lines".into()));
        };
        *slot = Entry {
            ty,
            file,
            mention: mention.unwrap_or(MentionKind::Name),
            case: case.unwrap_or(CaseMode::Exact),
            requires_the: requires_the.unwrap_or(false),
            line: line_no as u32,
            phrase: abs((lead, lead + phrase_t.len())),
            fields: abs(((tab + 1).min(line.len()), line.len())),
            defaults: dir_index,
            ambiguous,
            sports_only,
        };
        p.count += 1;
    }
    Ok(p)
}

/// `s.split(b as char)` for an ASCII byte `b`, by a plain byte scan (the
/// `char` searcher costs more per call than these short lines need).
fn split_ascii(s: &str, b: u8) -> impl Iterator<Item = &str> {
    let mut rest = Some(s);
    std::iter::from_fn(move || {
        let r = rest?;
        match r.bytes().position(|x| x == b) {
            // An ASCII byte is a char boundary.
            Some(i) => {
                rest = r.get(i + 1..);
                r.get(..i)
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

/// An entry line's settings: its directive's defaults, overridden by the
/// line's own fields.
struct Fields {
    ty: Option<TypeId>,
    case: Option<CaseMode>,
    mention: Option<MentionKind>,
    requires_the: Option<bool>,
    ambiguous: bool,
    sports_only: bool,
}

/// Reads the tab-separated `key=value` fields after the phrase (which ends
/// at byte `tab` of `line`) over the defaults of `dir`.
fn entry_fields(
    types: &mut Vec<String>,
    dir: &Directive,
    line: &str,
    tab: usize,
    err: impl Fn(usize, String) -> Error,
) -> Result<Fields, Error> {
    let (mut ty, mut case, mut mention, mut requires_the) = (dir.ty, dir.case, dir.mention, dir.requires_the);
    let (mut ambiguous, mut sports_only) = (dir.ambiguous, dir.sports_only);
    let mut off = tab + 1;
    if tab < line.len() {
        for f in split_ascii(&line[tab + 1..], b'\t') {
            if !f.is_empty() {
                let Some((k, v)) = f.bytes().position(|b| b == b'=').map(|i| (&f[..i], &f[i + 1..])) else {
                    return Err(err(column_of(line, off), format!("field `{f}` is not key=value")));
                };
                if k.is_empty() || k.contains(' ') {
                    return Err(err(column_of(line, off), format!("bad attribute name `{k}`")));
                }
                let bad = |what: &str| err(column_of(line, off), format!("{k} must be {what}, not `{v}`"));
                match k {
                    "type" => ty = Some(local_type(types, v)),
                    "case" => case = Some(parse_case(v).ok_or_else(|| bad("`exact` or `fold`"))?),
                    "mention" => mention = Some(parse_mention(v).ok_or_else(|| bad("`name` or `demonym`"))?),
                    "requires" => requires_the = Some(v == "the" || return Err(bad("`the`"))),
                    "ambiguous" => ambiguous = v != "0",
                    "context" => sports_only = v == "sports",
                    _ => {}
                }
            }
            off += f.len() + 1;
        }
    }
    Ok(Fields { ty, case, mention, requires_the, ambiguous, sports_only })
}

/// Parses `#@ key=value ...`: pairs separated by spaces; a word without
/// `=` continues the previous value (`class=news conference`).
fn parse_directive(types: &mut Vec<String>, line: &str, rest: &str) -> Result<Directive, (usize, String)> {
    let base = line.len() - rest.len();
    let mut pairs: Vec<(String, String, usize)> = Vec::new();
    let mut off = 0;
    for part in rest.split(' ') {
        if !part.is_empty() {
            match (part.split_once('='), pairs.last_mut()) {
                (Some((k, v)), _) if !k.is_empty() => pairs.push((k.to_string(), v.to_string(), base + off)),
                (None, Some(last)) => {
                    last.1.push(' ');
                    last.1.push_str(part);
                }
                _ => return Err((base + off, format!("directive field `{part}` is not key=value"))),
            }
        }
        off += part.len() + 1;
    }
    let mut d = Directive::default();
    for (k, v, at) in &pairs {
        let bad = |what: &str| (*at, format!("{k} must be {what}, not `{v}`"));
        match k.as_str() {
            "type" => d.ty = Some(local_type(types, v)),
            "case" => d.case = Some(parse_case(v).ok_or_else(|| bad("`exact` or `fold`"))?),
            "mention" => d.mention = Some(parse_mention(v).ok_or_else(|| bad("`name` or `demonym`"))?),
            "requires" if v == "the" => d.requires_the = Some(true),
            "requires" => return Err(bad("`the`")),
            "canonical" => d.canonical = Some(v.clone()),
            "ambiguous" => d.ambiguous = v != "0",
            "context" => d.sports_only = v == "sports",
            _ => {}
        }
    }
    d.pairs = pairs.into_iter().map(|(k, v, _)| (k, v)).collect();
    Ok(d)
}

fn parse_case(v: &str) -> Option<CaseMode> {
    match v {
        "exact" => Some(CaseMode::Exact),
        "fold" => Some(CaseMode::Fold),
        _ => None,
    }
}

fn parse_mention(v: &str) -> Option<MentionKind> {
    match v {
        "name" => Some(MentionKind::Name),
        "demonym" => Some(MentionKind::Demonym),
        _ => None,
    }
}

/// Tokenizes a phrase the way documents are tokenized and joins the tokens
/// with single spaces where the phrase had space. Returns the form and the
/// number of tokens.
pub(crate) fn normalize_phrase(phrase: &str) -> (std::borrow::Cow<'_, str>, usize) {
    // Fast path: words of letters and digits separated by single spaces
    // tokenize to themselves (most entries).
    // An abbreviation ("Mo.", "Calif.") is one token, as in text.
    if let Some(stem) = phrase.strip_suffix('.')
        && !stem.is_empty()
        && stem.chars().all(|c| c.is_alphabetic())
    {
        return (phrase.into(), 1);
    }
    // Latin letters with diacritics (below U+0250) are word characters too.
    if phrase.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ' || (c.is_alphabetic() && (c as u32) < 0x250))
        && !phrase.is_empty()
        && !phrase.starts_with(' ')
        && !phrase.ends_with(' ')
        && !phrase.contains("  ")
    {
        return (phrase.into(), phrase.bytes().filter(|&b| b == b' ').count() + 1);
    }
    let src = input::Source::default();
    let toks = tokens::tokenize(phrase, &src);
    let mut out = String::with_capacity(phrase.len());
    for (i, t) in toks.tokens.iter().enumerate() {
        if i > 0 && t.has(flag::SPACE_BEFORE) {
            out.push(' ');
        }
        out.push_str(&phrase[t.span.range()]);
    }
    (out.into(), toks.tokens.len())
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
                format!("{}={}", &text[s..e], g.canonical(&g.entries[h.entry as usize]))
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
        let data = "#@ type=organization\nUSA Today\n#@ type=place\nNew York\n";
        assert_eq!(hits(data, "read USA Today daily"), ["USA Today=USA Today"]);
        assert_eq!(hits(data, "NEW YORK 1996-08-30"), ["NEW YORK=New York"]);
    }

    #[test]
    fn flags_from_lines_and_directives() {
        let mut g = Gazetteer::default();
        g.add_file("f.tsv", "#@ type=place context=sports\nLeeds\nNice\tambiguous=1\tcontext=\n").unwrap();
        assert!(g.entries[0].sports_only && !g.entries[0].ambiguous);
        assert!(g.entries[1].ambiguous && !g.entries[1].sports_only);
    }

    #[test]
    fn comments_and_bom() {
        let mut g = Gazetteer::default();
        g.add_file("c.tsv", "\u{feff}#@ type=organization\n# a comment\n#MeToo\n").unwrap();
        assert_eq!(g.entries.len(), 1);
        assert_eq!(g.phrase(&g.entries[0]), "#MeToo");
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

    #[test]
    fn entries_are_compact() {
        assert!(std::mem::size_of::<Entry>() <= 36);
    }

    #[test]
    fn canonical_and_attributes_from_the_line() {
        let mut g = Gazetteer::default();
        let data = "#@ type=org canonical=Dir Name gender=f\nAlpha\tclass=x\tcanonical=Al\tgender=m\nBeta\tcanonical=Beta\n\
                    Gamma\tcanonical=G1\tcanonical=G2\tclass=y\nDelta\n";
        g.add_file("a.tsv", data).unwrap();
        let names: Vec<&str> = g.entries.iter().map(|e| g.canonical(e)).collect();
        // A line's canonical that repeats the phrase leaves the directive's.
        assert_eq!(names, ["Al", "Dir Name", "G2", "Dir Name"]);
        let e = &g.entries;
        assert_eq!((g.attr(&e[0], "gender"), g.attr(&e[0], "class")), (Some("m"), Some("x")));
        assert_eq!((g.attr(&e[2], "gender"), g.attr(&e[2], "class")), (Some("f"), Some("y")));
        assert_eq!(g.attr(&e[3], "class"), None);
        // Keys with a meaning of their own come from the directive.
        assert_eq!(g.attr(&e[0], "canonical"), Some("Dir Name"));
    }

    #[test]
    fn several_files_keep_their_order_and_lines() {
        let mut g = Gazetteer::default();
        let a = ("a.tsv".to_string(), Cow::Owned("# c\n#@ type=place\n\nParis\n# c\nLyon\n".to_string()));
        let b = ("b.tsv".to_string(), Cow::Owned("#@ type=person\nAnna Berg\n".to_string()));
        let c = ("c.tsv".to_string(), Cow::Owned("Rome\ttype=place\n\n\n".to_string()));
        g.add_files(vec![a, b, c]).unwrap();
        let got: Vec<String> = (0..g.entries.len() as u32)
            .map(|i| format!("{} {}", g.phrase(&g.entries[i as usize]), g.provenance(i)))
            .collect();
        assert_eq!(
            got,
            [
                "Paris gazetteer:a.tsv:4",
                "Lyon gazetteer:a.tsv:6",
                "Anna Berg gazetteer:b.tsv:2",
                "Rome gazetteer:c.tsv:1"
            ]
        );
        assert_eq!(g.types[g.entries[2].ty as usize], "person");
        // A bad file adds nothing.
        assert!(g.add_files(vec![("d.tsv".to_string(), Cow::Owned("X\ttype=place\nY\n".to_string()))]).is_err());
        assert_eq!(g.entries.len(), 4);
    }

    #[test]
    fn trie_shares_prefixes_and_survives_key_collisions() {
        let mut t = Trie::default();
        t.insert(&[1, 2], 0);
        t.insert(&[1, 2, 3], 1);
        t.insert(&[1, 2], 2);
        t.insert(&[1, 4], 3);
        // An edge whose mixed key equals an existing edge's from another parent.
        let a = t.child(0, 1).unwrap();
        let clash = 4 ^ (a as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 0x9e37_79b9_7f4a_7c15;
        assert_eq!(Trie::edge_key(0, clash), Trie::edge_key(a, 4));
        t.insert(&[clash, 9], 4);
        assert_eq!(t.spill.len(), 1);
        let mut hits = Vec::new();
        t.walk(&[1, 2, 3, clash, 9], 0, 5, &mut hits);
        t.walk(&[1, 2, 3, clash, 9], 3, 5, &mut hits);
        t.walk(&[1, 9], 0, 2, &mut hits);
        let got: Vec<(u32, u32, u32)> = hits.iter().map(|h| (h.start, h.end, h.entry)).collect();
        assert_eq!(got, [(0, 2, 0), (0, 2, 2), (0, 3, 1), (3, 5, 4)]);
    }
}
