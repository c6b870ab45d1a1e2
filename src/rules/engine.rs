//! The rule engine: compiles patterns to a small program and runs it with a
//! bounded backtracker over one sentence at a time.
//!
//! Why a backtracker: patterns are short and sentences are short, and a
//! visited set of (instruction, position) pairs makes every search linear
//! in `instructions × tokens` (the same argument as regex's bounded
//! backtracker): a state that failed once fails again.

use regex::Regex;

use super::parse::{Cond, Layer, Node, Pos, Shape};
use crate::error::{Error, ErrorKind};
use crate::gazetteer::{Gazetteer, Hit};
use crate::tokens::{Case, Kind, Tokens, flag};
use crate::types::{MentionKind, UnitType};

/// A span in the entity layer that patterns can match as a unit.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Unit {
    pub start: u32,
    pub end: u32,
    pub ty: UnitType,
    pub kind: MentionKind,
}

/// Everything a pattern can look at in one document.
#[derive(Clone)]
pub(crate) struct View<'a> {
    pub text: &'a str,
    pub toks: &'a Tokens,
    pub gaz: &'a Gazetteer,
    pub hits: &'a [Hit],
    /// `hit_first[i]`: index of the first hit starting at or after token `i`.
    hit_first: Vec<u32>,
    /// Hits covering each token: `cover[cover_at[i]..cover_at[i+1]]`.
    cover_at: Vec<u32>,
    cover: Vec<u32>,
    pub units: Vec<Unit>,
    unit_first: Vec<u32>,
    unit_cover: Vec<u16>,
    /// Gazetteer types (bit = type id, types 0..64) of the hits covering each token.
    gaz_mask: Vec<u64>,
    /// Entity type and kind of the units covering each token (bit = type * 4 + kind).
    unit_kind_cover: Vec<u32>,
    /// Per sentence: the gazetteer types and entity types found in it.
    sent_gaz: Vec<u64>,
    sent_units: Vec<u16>,
    /// Gazetteer types of the hits starting at each token.
    gaz_start: Vec<u64>,
    /// Entity types of the units starting at each token.
    unit_start: Vec<u16>,
    /// Whether the document is sports news (the `Sports` token class).
    pub sports: bool,
    /// Token positions by lower-case hash bucket (see [`View::lit_bucket`]).
    lit_index: PosIndex,
    lit_shift: u32,
    /// Token positions by flag: capitalized, all caps, sentence start.
    flag_index: PosIndex,
    /// Token positions by gazetteer type: where a hit starts, what hits cover.
    gaz_start_index: PosIndex,
    gaz_cover_index: PosIndex,
    /// Token positions by entity-layer type: where a unit starts, what units cover.
    /// Per entity-layer type: how many tokens a unit starts at, and how
    /// many units cover (positions come from `units` itself, on demand).
    unit_start_count: [u32; UnitType::ALL.len()],
    unit_cover_count: [u32; UnitType::ALL.len()],
}

/// Token positions grouped by a small integer key, each group ascending:
/// `pos[at[k]..at[k + 1]]` (a counting sort, built in linear time).
#[derive(Clone, Debug, Default)]
struct PosIndex {
    at: Vec<u32>,
    pos: Vec<u32>,
}

impl PosIndex {
    /// The index of `(key, position)` pairs given in ascending position order.
    fn build<I: Iterator<Item = (usize, u32)>>(keys: usize, pairs: impl Fn() -> I) -> PosIndex {
        let mut at = vec![0u32; keys + 1];
        for (k, _) in pairs() {
            at[k + 1] += 1;
        }
        for k in 0..keys {
            at[k + 1] += at[k];
        }
        let mut fill = at.clone();
        let mut pos = vec![0u32; at[keys] as usize];
        for (k, p) in pairs() {
            pos[fill[k] as usize] = p;
            fill[k] += 1;
        }
        PosIndex { at, pos }
    }

    fn get(&self, k: usize) -> &[u32] {
        match (self.at.get(k), self.at.get(k + 1)) {
            (Some(&a), Some(&b)) => &self.pos[a as usize..b as usize],
            _ => &[],
        }
    }
}

/// The positions of set bits of `m`, lowest first.
fn bits(mut m: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        (m != 0).then(|| {
            let b = m.trailing_zeros() as usize;
            m &= m - 1;
            b
        })
    })
}

impl<'a> View<'a> {
    pub fn new(text: &'a str, toks: &'a Tokens, gaz: &'a Gazetteer, hits: &'a [Hit]) -> View<'a> {
        let n = toks.tokens.len();
        let mut hit_first = vec![hits.len() as u32; n + 1];
        for (k, h) in hits.iter().enumerate().rev() {
            hit_first[h.start as usize] = k as u32;
        }
        for i in (0..n).rev() {
            hit_first[i] = hit_first[i].min(hit_first[i + 1]);
        }
        let mut count = vec![0u32; n + 1];
        for h in hits {
            for t in h.start..h.end {
                count[t as usize] += 1;
            }
        }
        let mut cover_at = vec![0u32; n + 1];
        for i in 0..n {
            cover_at[i + 1] = cover_at[i] + count[i];
        }
        let mut fill = cover_at.clone();
        let mut cover = vec![0u32; cover_at[n] as usize];
        for (k, h) in hits.iter().enumerate() {
            for t in h.start..h.end {
                cover[fill[t as usize] as usize] = k as u32;
                fill[t as usize] += 1;
            }
        }
        let mut gaz_mask = vec![0u64; n];
        let mut gaz_start = vec![0u64; n];
        for h in hits {
            let ty = gaz.entries[h.entry as usize].ty;
            if ty < 64 {
                gaz_start[h.start as usize] |= 1 << ty;
                for t in h.start..h.end {
                    gaz_mask[t as usize] |= 1 << ty;
                }
            }
        }
        let mut v = View {
            text,
            toks,
            gaz,
            hits,
            hit_first,
            cover_at,
            cover,
            units: vec![],
            unit_first: vec![],
            unit_cover: vec![],
            unit_kind_cover: vec![],
            sent_gaz: vec![],
            sent_units: vec![],
            gaz_mask,
            gaz_start,
            unit_start: vec![],
            sports: false,
            lit_index: PosIndex::default(),
            lit_shift: 63,
            flag_index: PosIndex::default(),
            gaz_start_index: PosIndex::default(),
            gaz_cover_index: PosIndex::default(),
            unit_start_count: Default::default(),
            unit_cover_count: Default::default(),
        };
        // About one token per bucket, between 2^6 and 2^12 buckets.
        let lit_bits = n.next_power_of_two().trailing_zeros().clamp(6, 12);
        v.lit_shift = 64 - lit_bits;
        let shift = v.lit_shift;
        v.lit_index = PosIndex::build(1 << lit_bits, || {
            toks.lower.iter().enumerate().map(move |(i, h)| ((h >> shift) as usize, i as u32))
        });
        v.flag_index = PosIndex::build(FLAG_KEYS.len(), || {
            toks.tokens.iter().enumerate().flat_map(|(i, t)| {
                FLAG_KEYS.iter().enumerate().filter(move |(_, f)| t.has(**f)).map(move |(k, _)| (k, i as u32))
            })
        });
        let (gs, gm) = (&v.gaz_start, &v.gaz_mask);
        v.gaz_start_index =
            PosIndex::build(64, || gs.iter().enumerate().flat_map(|(i, &m)| bits(m).map(move |b| (b, i as u32))));
        v.gaz_cover_index =
            PosIndex::build(64, || gm.iter().enumerate().flat_map(|(i, &m)| bits(m).map(move |b| (b, i as u32))));
        v.sent_gaz =
            toks.sentences.iter().map(|st| v.gaz_mask[st.start..st.end].iter().fold(0, |a, m| a | m)).collect();
        v.set_units(vec![]);
        v
    }

    /// A copy of this view with another entity layer.
    pub fn with_units(&self, units: Vec<Unit>) -> View<'a> {
        let mut v = self.clone();
        v.set_units(units);
        v
    }

    /// Replaces the entity layer.
    pub fn set_units(&mut self, mut units: Vec<Unit>) {
        let n = self.toks.tokens.len();
        units.sort_by_key(|u| (u.start, std::cmp::Reverse(u.end)));
        // The per-token tables are refilled in place: the entity stage
        // replaces the layer after every rule that found something.
        self.unit_first.clear();
        self.unit_first.resize(n + 1, units.len() as u32);
        for (k, u) in units.iter().enumerate().rev() {
            self.unit_first[u.start as usize] = k as u32;
        }
        for i in (0..n).rev() {
            self.unit_first[i] = self.unit_first[i].min(self.unit_first[i + 1]);
        }
        for table in [&mut self.unit_cover, &mut self.unit_start] {
            table.clear();
            table.resize(n, 0);
        }
        self.unit_kind_cover.clear();
        self.unit_kind_cover.resize(n, 0);
        for u in &units {
            if (u.start as usize) < n {
                self.unit_start[u.start as usize] |= 1 << u.ty.index();
            }
            for t in u.start..u.end.min(n as u32) {
                self.unit_cover[t as usize] |= 1 << u.ty.index();
                self.unit_kind_cover[t as usize] |= 1 << (u.ty.index() * 4 + u.kind as u32);
            }
        }
        self.units = units;
        self.unit_start_count = Default::default();
        self.unit_cover_count = Default::default();
        let mut covered_to = [0u32; UnitType::ALL.len()];
        let mut last_start = [u32::MAX; UnitType::ALL.len()];
        for u in &self.units {
            let t = u.ty.index() as usize;
            if (u.start as usize) < n && last_start[t] != u.start {
                self.unit_start_count[t] += 1;
                last_start[t] = u.start;
            }
            let (a, b) = (u.start.max(covered_to[t]), u.end.min(n as u32));
            if a < b {
                self.unit_cover_count[t] += b - a;
                covered_to[t] = b;
            }
        }
        let sent_units: Vec<u16> = self
            .toks
            .sentences
            .iter()
            .map(|st| self.unit_cover[st.start..st.end].iter().fold(0, |a, m| a | m))
            .collect();
        self.sent_units = sent_units;
    }

    /// How many positions `key` allows (for a literal, its bucket's size).
    fn key_size(&self, key: &Key) -> usize {
        match *key {
            Key::Lit(h) => self.lit_index.get((h >> self.lit_shift) as usize).len(),
            Key::Flag(k) => self.flag_index.get(k as usize).len(),
            Key::GazStart(t) => self.gaz_start_index.get(t as usize).len(),
            Key::GazCover(t) => self.gaz_cover_index.get(t as usize).len(),
            Key::UnitStart(t) => self.unit_start_count.get(t as usize).map_or(0, |&c| c as usize),
            Key::UnitCover(t) => self.unit_cover_count.get(t as usize).map_or(0, |&c| c as usize),
        }
    }

    fn hits_at(&self, i: usize) -> &[Hit] {
        let a = self.hit_first[i] as usize;
        let b = self.hit_first[i + 1] as usize;
        &self.hits[a..b]
    }

    fn covering(&self, i: usize) -> impl Iterator<Item = &Hit> {
        self.cover[self.cover_at[i] as usize..self.cover_at[i + 1] as usize].iter().map(|&k| &self.hits[k as usize])
    }

    /// Appends the positions `key` allows (exactly) to `out`, ascending.
    fn key_positions(&self, key: &Key, out: &mut Vec<u32>) {
        let n = self.toks.tokens.len() as u32;
        match *key {
            Key::Lit(h) => out.extend(
                self.lit_index
                    .get((h >> self.lit_shift) as usize)
                    .iter()
                    .filter(|&&p| self.toks.lower[p as usize] == h),
            ),
            Key::Flag(k) => out.extend_from_slice(self.flag_index.get(k as usize)),
            Key::GazStart(t) => out.extend_from_slice(self.gaz_start_index.get(t as usize)),
            Key::GazCover(t) => out.extend_from_slice(self.gaz_cover_index.get(t as usize)),
            // Units are sorted by start: starts come ascending, and the
            // covered tokens of overlapping units are taken once.
            Key::UnitStart(t) => {
                let mut last = u32::MAX;
                for u in self.units.iter().filter(|u| u.ty.index() == t as u32 && u.start < n) {
                    if u.start != last {
                        out.push(u.start);
                        last = u.start;
                    }
                }
            }
            Key::UnitCover(t) => {
                let mut covered_to = 0;
                for u in self.units.iter().filter(|u| u.ty.index() == t as u32) {
                    let (a, b) = (u.start.max(covered_to), u.end.min(n));
                    if a < b {
                        out.extend(a..b);
                        covered_to = b;
                    }
                }
            }
        }
    }

    fn units_at(&self, i: usize) -> &[Unit] {
        &self.units[self.unit_first[i] as usize..self.unit_first[i + 1] as usize]
    }
}

/// Token flags with a position index, in key order.
const FLAG_KEYS: [u16; 3] = [flag::CAP, flag::UPPER, flag::SENT_START];

/// A token feature with a position index in the view: a necessary
/// condition for some instruction to consume the token.
#[derive(Clone, Copy, Debug)]
enum Key {
    /// The token's lower-case hash is this one.
    Lit(u64),
    /// The token has `FLAG_KEYS[k]`.
    Flag(u8),
    /// A gazetteer hit of this type starts at the token.
    GazStart(u16),
    /// A gazetteer hit of this type covers the token.
    GazCover(u16),
    /// A unit of this type (`UnitType::index`) starts at the token.
    UnitStart(u8),
    /// A unit of this type covers the token.
    UnitCover(u8),
}

/// Keys of which one must hold where condition `c` holds; `None` when no
/// indexed feature is implied.
fn cond_keys(c: &CCond) -> Option<Vec<Key>> {
    match c {
        CCond::Lit(_, hs) => Some(hs.iter().map(|&h| Key::Lit(h)).collect()),
        CCond::ExactLit(ls) => Some(ls.iter().map(|l| Key::Lit(crate::tokens::lower_hash(l))).collect()),
        CCond::Shape(Shape::Cap) => Some(vec![Key::Flag(0)]),
        CCond::Shape(Shape::Upper) => Some(vec![Key::Flag(1)]),
        CCond::Shape(Shape::Start) => Some(vec![Key::Flag(2)]),
        CCond::InGaz(g) if g.ty < 64 => Some(vec![Key::GazCover(g.ty)]),
        CCond::InEnt(EntTest { ty: Some(t), .. }) => Some(vec![Key::UnitCover(t.index() as u8)]),
        CCond::Or(cs) => {
            let mut all = Vec::new();
            for c in cs {
                all.extend(cond_keys(c)?);
            }
            Some(all)
        }
        CCond::And(cs) => cs.iter().filter_map(cond_keys).min_by_key(Vec::len),
        _ => None,
    }
}

/// The ways to find where instruction `inst` can consume a token: each
/// option a list of keys of which one must hold (all must be checked).
fn inst_keys(inst: &Inst) -> Vec<Vec<Key>> {
    match inst {
        Inst::Tok(t) => t.all.iter().filter_map(cond_keys).collect(),
        Inst::Gaz(g) if g.ty < 64 => vec![vec![Key::GazStart(g.ty)]],
        Inst::Ent(EntTest { ty: Some(t), .. }) => vec![vec![Key::UnitStart(t.index() as u8)]],
        _ => Vec::new(),
    }
}

/// Whether every way from the start to a consuming instruction (or to
/// `Match`) passes `^`: the pattern can match only at a window's start.
fn anchored(insts: &[Inst]) -> bool {
    let mut seen = vec![false; insts.len()];
    let mut stack = vec![0usize];
    while let Some(pc) = stack.pop() {
        if std::mem::replace(&mut seen[pc], true) {
            continue;
        }
        match &insts[pc] {
            Inst::Match | Inst::Tok(_) | Inst::Gaz(_) | Inst::Ent(_) => return false,
            Inst::Start => {}
            Inst::Split(a, b) => {
                stack.push(*a);
                stack.push(*b);
            }
            Inst::Jmp(a) => stack.push(*a),
            Inst::Save(_) | Inst::End | Inst::Behind(_) => stack.push(pc + 1),
        }
    }
    true
}

/// The conditions on one token, compiled: the flag, gazetteer-type and
/// entity-type conditions become bit masks tested at once; the others run
/// after them, cheapest first (conditions are pure, so order is free).
#[derive(Clone, Debug)]
struct TokTest {
    /// Every condition, as written (for the start analyses).
    all: Vec<CCond>,
    req_flags: u16,
    no_flags: u16,
    req_gaz: u64,
    no_gaz: u64,
    req_unit: u16,
    no_unit: u16,
    /// The conditions the masks do not cover, cheapest first.
    rest: Vec<CCond>,
}

/// The token flag a shape tests, and whether the shape wants it set.
fn shape_flag(s: Shape) -> Option<(u16, bool)> {
    Some(match s {
        Shape::Cap => (flag::CAP, true),
        Shape::Upper => (flag::UPPER, true),
        Shape::Lower => (flag::LOWER, true),
        Shape::Abbr => (flag::ABBR, true),
        Shape::Start => (flag::SENT_START, true),
        Shape::Newline => (flag::NL_BEFORE, true),
        Shape::Glued => (flag::SPACE_BEFORE, false),
        _ => return None,
    })
}

/// A rough cost rank of testing `c` (lower is cheaper).
fn cost(c: &CCond) -> u8 {
    match c {
        CCond::Shape(_) | CCond::Any => 0,
        CCond::InEnt(_) => 1,
        CCond::Lit(..) | CCond::ExactLit(_) => 2,
        CCond::InGaz(_) => 3,
        CCond::Not(x) => cost(x),
        CCond::Or(_) | CCond::And(_) => 4,
        CCond::Regex(_) => 5,
    }
}

impl TokTest {
    fn new(all: Vec<CCond>) -> TokTest {
        let mut t = TokTest {
            all: Vec::new(),
            req_flags: 0,
            no_flags: 0,
            req_gaz: 0,
            no_gaz: 0,
            req_unit: 0,
            no_unit: 0,
            rest: Vec::new(),
        };
        for c in &all {
            let (inner, want) = match c {
                CCond::Not(x) => (&**x, false),
                x => (x, true),
            };
            match inner {
                CCond::Shape(s) if shape_flag(*s).is_some() => {
                    let (f, set) = shape_flag(*s).unwrap_or((0, true));
                    if set == want {
                        t.req_flags |= f;
                    } else {
                        t.no_flags |= f;
                    }
                }
                CCond::InGaz(g) if g.filters.is_empty() && g.ty < 64 => {
                    if want {
                        t.req_gaz |= 1 << g.ty;
                    } else {
                        t.no_gaz |= 1 << g.ty;
                    }
                }
                CCond::InEnt(EntTest { ty: Some(ty), kinds: None }) => {
                    if want {
                        t.req_unit |= 1 << ty.index();
                    } else {
                        t.no_unit |= 1 << ty.index();
                    }
                }
                _ => t.rest.push(c.clone()),
            }
        }
        t.rest.sort_by_key(cost);
        t.all = all;
        t
    }

    /// Whether every condition holds at token `i`.
    #[inline]
    fn ok(&self, v: &View, i: usize) -> bool {
        let f = v.toks.tokens[i].flags;
        if f & self.req_flags != self.req_flags || f & self.no_flags != 0 {
            return false;
        }
        if self.req_gaz | self.no_gaz != 0 {
            let g = v.gaz_mask[i];
            if g & self.req_gaz != self.req_gaz || g & self.no_gaz != 0 {
                return false;
            }
        }
        if self.req_unit | self.no_unit != 0 {
            let u = v.unit_cover[i];
            if u & self.req_unit != self.req_unit || u & self.no_unit != 0 {
                return false;
            }
        }
        self.rest.iter().all(|c| test(c, v, i))
    }
}

/// A compiled test on the gazetteer layer: type and attribute filters.
#[derive(Clone, Debug)]
struct GazTest {
    ty: u16,
    filters: Vec<(String, String)>,
}

impl GazTest {
    fn ok(&self, gaz: &Gazetteer, h: &Hit) -> bool {
        let e = &gaz.entries[h.entry as usize];
        e.ty == self.ty
            && self.filters.iter().all(|(k, v)| match k.as_str() {
                "mention" => (e.mention == MentionKind::Demonym) == (v == "demonym"),
                "canonical" => gaz.canonical(e) == v,
                "ambiguous" => e.ambiguous == (v != "0"),
                _ => gaz.attr(e, k) == Some(v.as_str()),
            })
    }
}

#[derive(Clone, Debug)]
struct EntTest {
    ty: Option<UnitType>,
    kinds: Option<Vec<MentionKind>>,
}

impl EntTest {
    fn ok(&self, u: &Unit) -> bool {
        self.ty.is_none_or(|t| t == u.ty) && self.kinds.as_ref().is_none_or(|k| k.contains(&u.kind))
    }
}

#[derive(Clone, Debug)]
enum CCond {
    /// Lower-case literals and their hashes (see `tokens::lower_hash`),
    /// in ascending hash order.
    Lit(Vec<String>, Vec<u64>),
    ExactLit(Vec<String>),
    Regex(Regex),
    Shape(Shape),
    InGaz(GazTest),
    InEnt(EntTest),
    Not(Box<CCond>),
    Or(Vec<CCond>),
    And(Vec<CCond>),
    Any,
}

#[derive(Clone, Debug)]
enum Inst {
    Tok(TokTest),
    Gaz(GazTest),
    Ent(EntTest),
    Split(usize, usize),
    Jmp(usize),
    Save(usize),
    Start,
    End,
    Behind(TokTest),
    Match,
}

/// A compiled pattern.
#[derive(Clone, Debug)]
pub(crate) struct Program {
    insts: Vec<Inst>,
    pub captures: Vec<String>,
    /// Gazetteer types of which at least one must occur in the sentence.
    need_gaz: Option<u16>,
    need_ent: Option<UnitType>,
    /// Every gazetteer type (< 64) and entity-layer type the pattern cannot
    /// match without, as units or as token conditions ([`required`]).
    need_gaz_all: u64,
    need_ent_all: u16,
    /// Sets of lower-case hashes: from each set, one must occur in a window
    /// (each set is a mandatory literal token; empty: none known).
    need_lits: Vec<Vec<u64>>,
    /// Every `&type` the pattern names, with where (for stage checks).
    pub unit_refs: Vec<(UnitType, Pos)>,
    /// The instructions that can consume the first token of a match (all of
    /// them, conservatively); `None` when a match can be empty.
    firsts: Option<Vec<usize>>,
    /// Bit tests implied by `firsts`, one per first instruction.
    cheap: Vec<Cheap>,
    /// Per first instruction, the indexed ways to find where it can start
    /// ([`inst_keys`]); `None` when some first instruction has none.
    start_keys: Option<Vec<Vec<Vec<Key>>>>,
    /// Whether matches can start only at a window's start ([`anchored`]).
    anchored: bool,
}

pub(crate) fn compile_err(file: &str, at: &Pos, msg: String) -> Error {
    Error::new(ErrorKind::Rule, file, at.line, at.col, msg).with_line_text(&at.text)
}

struct Compiler<'g> {
    gaz: &'g Gazetteer,
    file: &'g str,
    insts: Vec<Inst>,
    captures: Vec<String>,
    unit_refs: Vec<(UnitType, Pos)>,
}

/// The most instructions one rule may compile to (repetitions multiply).
pub(crate) const MAX_INSTS: usize = 20_000;

impl Compiler<'_> {
    fn gaz_test(&self, name: &str, filters: &[(String, String)], at: &Pos) -> Result<GazTest, Error> {
        let ty = self.gaz.find_type(name).ok_or_else(|| {
            compile_err(
                self.file,
                at,
                format!("unknown gazetteer type `{name}` (known: {})", self.gaz.types.join(", ")),
            )
        })?;
        Ok(GazTest { ty, filters: filters.to_vec() })
    }

    fn ent_test(&mut self, name: &str, filters: &[(String, String)], at: &Pos) -> Result<EntTest, Error> {
        let ty = if name == "any" {
            None
        } else {
            let known = || UnitType::ALL.map(|t| t.as_str()).join(", ");
            Some(UnitType::from_name(name).ok_or_else(|| {
                compile_err(self.file, at, format!("unknown entity type `{name}` (known: any, {})", known()))
            })?)
        };
        let mut kinds = None;
        for (k, v) in filters {
            if k != "kind" {
                return Err(compile_err(self.file, at, format!("entity filter `{k}` is not supported (use kind=...)")));
            }
            let mut ks = Vec::new();
            for part in v.split('|') {
                ks.push(MentionKind::from_name(part).ok_or_else(|| {
                    let known = MentionKind::ALL.map(|k| k.as_str()).join(", ");
                    compile_err(self.file, at, format!("unknown mention kind `{part}` (known: {known})"))
                })?);
            }
            kinds = Some(ks);
        }
        if let Some(t) = ty {
            self.unit_refs.push((t, at.clone()));
        }
        Ok(EntTest { ty, kinds })
    }

    fn cond(&mut self, c: &Cond) -> Result<CCond, Error> {
        Ok(match c {
            Cond::Lit(v) => {
                // Sorted by hash, for a binary search in `test`.
                let mut pairs: Vec<(u64, String)> =
                    v.iter().map(|l| (crate::tokens::lower_hash(l), l.clone())).collect();
                pairs.sort();
                let (hs, ls) = pairs.into_iter().unzip();
                CCond::Lit(ls, hs)
            }
            Cond::ExactLit(v) => CCond::ExactLit(v.clone()),
            // Compiled once by the parser (repetition copies share it).
            Cond::Regex(re) => CCond::Regex(re.clone()),
            Cond::Shape(s) => CCond::Shape(*s),
            Cond::In(Layer::Gazetteer, n, f, at) => CCond::InGaz(self.gaz_test(n, f, at)?),
            Cond::In(Layer::Entity, n, f, at) => CCond::InEnt(self.ent_test(n, f, at)?),
            Cond::Not(c) => CCond::Not(Box::new(self.cond(c)?)),
            Cond::And(v) => CCond::And(v.iter().map(|c| self.cond(c)).collect::<Result<_, _>>()?),
            Cond::Or(v) => CCond::Or(v.iter().map(|c| self.cond(c)).collect::<Result<_, _>>()?),
            Cond::Any => CCond::Any,
        })
    }

    fn node(&mut self, n: &Node) -> Result<(), Error> {
        if self.insts.len() > MAX_INSTS {
            return Err(Error::new(
                ErrorKind::Rule,
                self.file,
                0,
                0,
                format!("the pattern compiles to more than {MAX_INSTS} instructions: nested repetitions multiply"),
            ));
        }
        match n {
            Node::Token(cs) => {
                let cs = cs.iter().map(|c| self.cond(c)).collect::<Result<Vec<_>, _>>()?;
                self.insts.push(Inst::Tok(TokTest::new(cs)));
            }
            Node::Unit { layer: Layer::Gazetteer, name, filters, at } => {
                let t = self.gaz_test(name, filters, at)?;
                self.insts.push(Inst::Gaz(t));
            }
            Node::Unit { layer: Layer::Entity, name, filters, at } => {
                let t = self.ent_test(name, filters, at)?;
                self.insts.push(Inst::Ent(t));
            }
            Node::Seq(v) => {
                for x in v {
                    self.node(x)?;
                }
            }
            Node::Alt(v) => {
                let mut jumps = Vec::new();
                for (k, x) in v.iter().enumerate() {
                    if k + 1 < v.len() {
                        let split = self.insts.len();
                        self.insts.push(Inst::Split(split + 1, 0));
                        self.node(x)?;
                        jumps.push(self.insts.len());
                        self.insts.push(Inst::Jmp(0));
                        let next = self.insts.len();
                        self.insts[split] = Inst::Split(split + 1, next);
                    } else {
                        self.node(x)?;
                    }
                }
                let end = self.insts.len();
                for j in jumps {
                    self.insts[j] = Inst::Jmp(end);
                }
            }
            Node::Repeat { node, min, max, greedy } => {
                for _ in 0..*min {
                    self.node(node)?;
                }
                match max {
                    None => {
                        let split = self.insts.len();
                        self.insts.push(Inst::Split(0, 0));
                        self.node(node)?;
                        self.insts.push(Inst::Jmp(split));
                        let end = self.insts.len();
                        self.insts[split] =
                            if *greedy { Inst::Split(split + 1, end) } else { Inst::Split(end, split + 1) };
                    }
                    Some(m) => {
                        let mut splits = Vec::new();
                        for _ in *min..*m {
                            splits.push(self.insts.len());
                            self.insts.push(Inst::Split(0, 0));
                            self.node(node)?;
                        }
                        let end = self.insts.len();
                        for s in splits {
                            self.insts[s] = if *greedy { Inst::Split(s + 1, end) } else { Inst::Split(end, s + 1) };
                        }
                    }
                }
            }
            Node::Capture(name, inner) => {
                let idx = match self.captures.iter().position(|c| c == name) {
                    Some(i) => i,
                    None => {
                        self.captures.push(name.clone());
                        self.captures.len() - 1
                    }
                };
                self.insts.push(Inst::Save(2 * idx));
                self.node(inner)?;
                self.insts.push(Inst::Save(2 * idx + 1));
            }
            Node::SentStart => self.insts.push(Inst::Start),
            Node::Behind(cs) => {
                let cs = cs.iter().map(|c| self.cond(c)).collect::<Result<Vec<_>, _>>()?;
                self.insts.push(Inst::Behind(TokTest::new(cs)));
            }
            Node::SentEnd => self.insts.push(Inst::End),
        }
        Ok(())
    }
}

/// The lower-case hashes of a mandatory literal token: a token with a
/// literal condition (`"said|says"`), or an alternation of such tokens. One
/// of them must occur in a window for the pattern to match there.
fn needed_literals(n: &Node) -> Option<Vec<u64>> {
    match n {
        Node::Token(conds) => conds.iter().find_map(|c| match c {
            Cond::Lit(v) => Some(v.iter().map(|l| crate::tokens::lower_hash(l)).collect()),
            _ => None,
        }),
        Node::Alt(alts) => {
            let mut all = Vec::new();
            for a in alts {
                all.extend(needed_literals(a)?);
            }
            Some(all)
        }
        Node::Capture(_, x) => needed_literals(x),
        Node::Seq(v) => v.iter().find_map(needed_literals),
        Node::Repeat { node, min, .. } if *min > 0 => needed_literals(node),
        _ => None,
    }
}

/// The literal sets a window must hold for `n` to match in it: the first
/// mandatory literal token (in pattern order), and every other mandatory
/// one of at most 64 words ("who" after ",": a rare word cuts far more
/// windows than a comma; a set of hundreds of words costs more look-ups
/// than it saves).
fn literal_filter(n: &Node) -> Vec<Vec<u64>> {
    fn sets(n: &Node, out: &mut Vec<Vec<u64>>) {
        match n {
            Node::Seq(v) => v.iter().for_each(|x| sets(x, out)),
            Node::Capture(_, x) => sets(x, out),
            Node::Repeat { node, min, .. } if *min > 0 => sets(node, out),
            _ => out.extend(needed_literals(n)),
        }
    }
    let mut all = Vec::new();
    sets(n, &mut all);
    let mut keep = Vec::new();
    for (k, set) in all.into_iter().enumerate() {
        if k == 0 || set.len() <= 64 {
            keep.push(set);
        }
    }
    keep
}

/// Mandatory unit atoms of a pattern (for the per-sentence prefilter).
fn needs(n: &Node, gaz: &Gazetteer, g: &mut Option<u16>, e: &mut Option<UnitType>) {
    match n {
        Node::Unit { layer: Layer::Gazetteer, name, .. } if g.is_none() => {
            *g = gaz.find_type(name);
        }
        Node::Unit { layer: Layer::Entity, name, .. } if e.is_none() => {
            *e = UnitType::from_name(name);
        }
        Node::Seq(v) => v.iter().for_each(|x| needs(x, gaz, g, e)),
        Node::Capture(_, x) => needs(x, gaz, g, e),
        Node::Repeat { node, min, .. } if *min > 0 => needs(node, gaz, g, e),
        _ => {}
    }
}

/// Adds to the masks every gazetteer type (< 64) and entity-layer type that
/// any match of `n` must contain: mandatory units, and the plain type
/// conditions of mandatory tokens (`[@org_word Cap]` needs an `org_word`).
fn required(n: &Node, gaz: &Gazetteer, g: &mut u64, e: &mut u16) {
    fn cond(c: &Cond, gaz: &Gazetteer, g: &mut u64, e: &mut u16) {
        match c {
            Cond::In(Layer::Gazetteer, name, ..) => {
                if let Some(t) = gaz.find_type(name).filter(|&t| t < 64) {
                    *g |= 1 << t;
                }
            }
            Cond::In(Layer::Entity, name, ..) => {
                if let Some(t) = UnitType::from_name(name) {
                    *e |= 1 << t.index();
                }
            }
            Cond::And(cs) => cs.iter().for_each(|c| cond(c, gaz, g, e)),
            _ => {}
        }
    }
    match n {
        Node::Token(cs) => cs.iter().for_each(|c| cond(c, gaz, g, e)),
        Node::Unit { layer: Layer::Gazetteer, name, .. } => {
            if let Some(t) = gaz.find_type(name).filter(|&t| t < 64) {
                *g |= 1 << t;
            }
        }
        Node::Unit { layer: Layer::Entity, name, .. } => {
            if let Some(t) = UnitType::from_name(name) {
                *e |= 1 << t.index();
            }
        }
        Node::Seq(v) => v.iter().for_each(|x| required(x, gaz, g, e)),
        Node::Capture(_, x) => required(x, gaz, g, e),
        Node::Repeat { node, min, .. } if *min > 0 => required(node, gaz, g, e),
        _ => {}
    }
}

/// Compiles a parsed pattern against the loaded gazetteer types.
pub(crate) fn compile(pattern: &Node, gaz: &Gazetteer, file: &str) -> Result<Program, Error> {
    let mut c = Compiler { gaz, file, insts: Vec::new(), captures: Vec::new(), unit_refs: Vec::new() };
    c.node(pattern)?;
    c.insts.push(Inst::Match);
    let (mut need_gaz, mut need_ent) = (None, None);
    needs(pattern, gaz, &mut need_gaz, &mut need_ent);
    let (mut need_gaz_all, mut need_ent_all) = (0, 0);
    required(pattern, gaz, &mut need_gaz_all, &mut need_ent_all);
    let firsts = first_insts(&c.insts);
    let cheap = firsts.as_ref().map_or_else(Vec::new, |f| f.iter().map(|&pc| Cheap::of(&c.insts[pc])).collect());
    let need_lits = literal_filter(pattern);
    let start_keys = firsts.as_ref().and_then(|f| {
        f.iter().map(|&pc| Some(inst_keys(&c.insts[pc])).filter(|k| !k.is_empty())).collect::<Option<Vec<_>>>()
    });
    let anchored = anchored(&c.insts);
    Ok(Program {
        insts: c.insts,
        captures: c.captures,
        need_gaz,
        need_ent,
        need_gaz_all,
        need_ent_all,
        need_lits,
        unit_refs: c.unit_refs,
        firsts,
        cheap,
        start_keys,
        anchored,
    })
}

/// A necessary condition for a first instruction, checkable with a few bit
/// operations: every set bit must be present at the token.
#[derive(Clone, Copy, Debug, Default)]
struct Cheap {
    flags: u16,
    gaz: u64,
    gaz_start: u64,
    unit: u16,
    unit_start: u16,
}

impl Cheap {
    fn of(inst: &Inst) -> Cheap {
        let mut c = Cheap::default();
        match inst {
            Inst::Tok(t) => {
                for cond in &t.all {
                    match cond {
                        CCond::Shape(Shape::Cap) => c.flags |= flag::CAP,
                        CCond::Shape(Shape::Lower) => c.flags |= flag::LOWER,
                        CCond::Shape(Shape::Upper) => c.flags |= flag::UPPER,
                        CCond::Shape(Shape::Start) => c.flags |= flag::SENT_START,
                        CCond::InGaz(g) if g.ty < 64 => c.gaz |= 1 << g.ty,
                        CCond::InEnt(EntTest { ty: Some(t), .. }) => c.unit |= 1 << t.index(),
                        _ => {}
                    }
                }
            }
            Inst::Gaz(g) if g.ty < 64 => c.gaz_start |= 1 << g.ty,
            Inst::Ent(EntTest { ty: Some(t), .. }) => c.unit_start |= 1 << t.index(),
            _ => {}
        }
        c
    }

    #[inline]
    fn passes(&self, v: &View, i: usize) -> bool {
        v.toks.tokens[i].flags & self.flags == self.flags
            && v.gaz_mask[i] & self.gaz == self.gaz
            && v.gaz_start[i] & self.gaz_start == self.gaz_start
            && v.unit_cover[i] & self.unit == self.unit
            && v.unit_start[i] & self.unit_start == self.unit_start
    }
}

/// The consuming instructions reachable from the start without consuming
/// (anchors count as passable); `None` if `Match` is reachable so.
fn first_insts(insts: &[Inst]) -> Option<Vec<usize>> {
    let mut seen = vec![false; insts.len()];
    let mut stack = vec![0usize];
    let mut out = Vec::new();
    while let Some(pc) = stack.pop() {
        if std::mem::replace(&mut seen[pc], true) {
            continue;
        }
        match &insts[pc] {
            Inst::Match => return None,
            Inst::Tok(_) | Inst::Gaz(_) | Inst::Ent(_) => out.push(pc),
            Inst::Split(a, b) => {
                stack.push(*a);
                stack.push(*b);
            }
            Inst::Jmp(a) => stack.push(*a),
            Inst::Save(_) | Inst::Start | Inst::End | Inst::Behind(_) => stack.push(pc + 1),
        }
    }
    Some(out)
}

fn lit_eq(w: &str, lit: &str) -> bool {
    if w.is_ascii() { w.eq_ignore_ascii_case(lit) } else { w.to_lowercase() == lit }
}

fn test(c: &CCond, v: &View, i: usize) -> bool {
    let t = &v.toks.tokens[i];
    let word = || &v.text[t.span.range()];
    match c {
        CCond::Lit(ls, hs) => {
            let h = v.toks.lower[i];
            let k = hs.partition_point(|&x| x < h);
            hs[k..].iter().take_while(|&&x| x == h).zip(&ls[k..]).any(|(_, l)| lit_eq(word(), l))
        }
        CCond::ExactLit(ls) => ls.iter().any(|l| l == word()),
        CCond::Regex(r) => r.is_match(word()),
        CCond::Shape(s) => match s {
            Shape::Cap => t.has(flag::CAP),
            Shape::Upper => t.has(flag::UPPER),
            Shape::Lower => t.has(flag::LOWER),
            Shape::Num => t.kind == Kind::Number,
            Shape::Punct => t.kind == Kind::Punct,
            Shape::Word => t.kind == Kind::Word,
            // "J." or a run of initials "K.C." (two or three letters).
            Shape::Initial => {
                (t.has(flag::ABBR_TITLE) && t.span.len() == 2)
                    || (t.has(flag::ABBR) && matches!(t.span.len(), 4 | 6) && {
                        let b = &v.text.as_bytes()[t.span.range()];
                        b.chunks(2).all(|c| c[0].is_ascii_uppercase() && c[1] == b'.')
                    })
            }
            Shape::Abbr => t.has(flag::ABBR),
            Shape::Start => t.has(flag::SENT_START),
            Shape::Title => v.toks.sentence_of(i).case != Case::Normal,
            Shape::Glued => !t.has(flag::SPACE_BEFORE),
            Shape::Newline => t.has(flag::NL_BEFORE),
            Shape::Sports => v.sports,
        },
        CCond::InGaz(g) if g.filters.is_empty() && g.ty < 64 => v.gaz_mask[i] & (1 << g.ty) != 0,
        CCond::InGaz(g) => (g.ty >= 64 || v.gaz_mask[i] & (1 << g.ty) != 0) && v.covering(i).any(|h| g.ok(v.gaz, h)),
        CCond::InEnt(e) => match (e.ty, &e.kinds) {
            (Some(ty), None) => v.unit_cover[i] & (1 << ty.index()) != 0,
            (ty, kinds) => {
                let covered = v.unit_kind_cover[i];
                let types = match ty {
                    Some(t) => t.index()..t.index() + 1,
                    None => 0..UnitType::ALL.len() as u32,
                };
                types.into_iter().any(|t| match kinds {
                    Some(ks) => ks.iter().any(|&k| covered & (1 << (t * 4 + k as u32)) != 0),
                    None => covered & (0xF << (t * 4)) != 0,
                })
            }
        },
        CCond::Not(c) => !test(c, v, i),
        CCond::Or(cs) => cs.iter().any(|c| test(c, v, i)),
        CCond::And(cs) => cs.iter().all(|c| test(c, v, i)),
        CCond::Any => true,
    }
}

/// One match: the token span and each capture's token range.
#[derive(Clone, Debug)]
pub(crate) struct Match {
    pub start: u32,
    pub end: u32,
    pub caps: Vec<Option<(u32, u32)>>,
}

enum Frame {
    Try(usize, usize),
    Restore(usize, Option<u32>),
}

/// Reusable search state.
#[derive(Default)]
pub(crate) struct Scratch {
    /// Generation stamp per (instruction, position): a state is visited when
    /// its stamp equals `generation`, so starting over costs no clearing.
    visited: Vec<u32>,
    generation: u32,
    stack: Vec<Frame>,
    slots: Vec<Option<u32>>,
    ends: Vec<usize>,
    /// The current rule's possible start positions in the document, ascending.
    starts: Vec<u32>,
    /// Where the current rule's needed literals occur: ascending within
    /// each set, the sets one after another (`lit_ends`: where each ends).
    lit_pos: Vec<u32>,
    lit_ends: Vec<usize>,
}

impl Scratch {
    /// Forgets every visited state (in O(1), except once per 2^32 calls).
    fn next_gen(&mut self) {
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.visited.iter_mut().for_each(|v| *v = 0);
            self.generation = 1;
        }
    }
}

impl Program {
    /// All non-overlapping matches in each of the token `windows`, in
    /// window order, leftmost first within each; appended to `out`.
    ///
    /// Only positions where a first instruction can consume a token are
    /// tried: they come from the view's position indexes (the rarest key
    /// of each first instruction, chosen per document), so a rule costs
    /// time where it can start, not at every token.
    ///
    /// `win_of`, when given, maps each token to its window (`u32::MAX` for
    /// none) for windows that are ascending and disjoint: then the work
    /// follows the start positions, and windows without one cost nothing.
    pub fn find_windows(
        &self,
        v: &View,
        windows: &[(usize, usize)],
        win_of: Option<&[u32]>,
        scratch: &mut Scratch,
        out: &mut Vec<Match>,
    ) {
        let mut starts = std::mem::take(&mut scratch.starts);
        let mut lit_pos = std::mem::take(&mut scratch.lit_pos);
        let mut lit_ends = std::mem::take(&mut scratch.lit_ends);
        let indexed = self.start_positions(v, &mut starts);
        lit_pos.clear();
        lit_ends.clear();
        for set in &self.need_lits {
            let from = lit_pos.len();
            for &h in set {
                v.key_positions(&Key::Lit(h), &mut lit_pos);
            }
            lit_pos[from..].sort_unstable();
            lit_ends.push(lit_pos.len());
        }
        // Whether every needed set has a literal in `[s, e)`.
        let has_lit = |s: usize, e: usize| {
            let mut from = 0;
            lit_ends.iter().all(|&to| {
                let set = &lit_pos[from..to];
                from = to;
                let a = set.partition_point(|&p| (p as usize) < s);
                set.get(a).is_some_and(|&p| (p as usize) < e)
            })
        };
        if indexed && let Some(win_of) = win_of {
            let mut k = 0;
            while let Some(&p) = starts.get(k) {
                let Some(&w) = win_of.get(p as usize) else { break };
                let Some(&(s, e)) = windows.get(w as usize) else {
                    k += 1;
                    continue;
                };
                let b = k + starts[k..].partition_point(|&q| (q as usize) < e);
                if !(self.anchored && p as usize != s) && has_lit(s, e) {
                    self.find_all(v, s, e, Some(&starts[k..b]), scratch, out);
                }
                k = b;
            }
            scratch.starts = starts;
            scratch.lit_pos = lit_pos;
            scratch.lit_ends = lit_ends;
            return;
        }
        for &(s, e) in windows {
            if s >= e {
                continue;
            }
            let from = if indexed {
                let a = starts.partition_point(|&p| (p as usize) < s);
                let b = starts.partition_point(|&p| (p as usize) < e);
                if a == b || (self.anchored && starts[a] as usize != s) {
                    continue;
                }
                Some(&starts[a..b])
            } else {
                None
            };
            if !has_lit(s, e) {
                continue;
            }
            self.find_all(v, s, e, from, scratch, out);
        }
        scratch.starts = starts;
        scratch.lit_pos = lit_pos;
        scratch.lit_ends = lit_ends;
    }

    /// Fills `out` with the positions (ascending) where a match can start,
    /// for a program whose every first instruction has index keys; `false`
    /// (every position possible) otherwise.
    fn start_positions(&self, v: &View, out: &mut Vec<u32>) -> bool {
        out.clear();
        let Some(per_inst) = &self.start_keys else { return false };
        let mut lists = 0;
        for options in per_inst {
            let size = |keys: &Vec<Key>| keys.iter().map(|k| v.key_size(k)).sum::<usize>();
            let Some(best) = options.iter().min_by_key(|k| size(k)) else { return false };
            for k in best {
                v.key_positions(k, out);
                lists += 1;
            }
        }
        if lists > 1 {
            out.sort_unstable();
            out.dedup();
        }
        true
    }

    /// All non-overlapping matches in window `[s, e)`, leftmost first,
    /// trying only the positions in `starts` (when given; all within the
    /// window, ascending).
    fn find_all(
        &self,
        v: &View,
        s: usize,
        e: usize,
        starts: Option<&[u32]>,
        scratch: &mut Scratch,
        out: &mut Vec<Match>,
    ) {
        // Skip windows that lack a type the pattern cannot match without.
        let (first, last) = (v.toks.sent_of[s] as usize, v.toks.sent_of[e - 1] as usize);
        if let Some(g) = self.need_gaz {
            let has = if g < 64 {
                v.sent_gaz[first..=last].iter().any(|m| m & (1 << g) != 0)
            } else {
                let (a, b) = (v.hit_first[s] as usize, v.hit_first[e] as usize);
                v.hits[a..b].iter().any(|h| v.gaz.entries[h.entry as usize].ty == g)
            };
            if !has {
                return;
            }
        }
        if let Some(t) = self.need_ent
            && !v.sent_units[first..=last].iter().any(|m| m & (1 << t.index()) != 0)
        {
            return;
        }
        if self.need_gaz_all != 0
            && v.sent_gaz[first..=last].iter().fold(0, |a, m| a | m) & self.need_gaz_all != self.need_gaz_all
        {
            return;
        }
        if self.need_ent_all != 0
            && v.sent_units[first..=last].iter().fold(0, |a, m| a | m) & self.need_ent_all != self.need_ent_all
        {
            return;
        }
        let width = e - s + 1;
        let states = self.insts.len() * width;
        if scratch.visited.len() < states {
            scratch.visited.resize(states, 0);
        }
        scratch.next_gen();
        let mut pos = s;
        let mut next = 0;
        loop {
            if let Some(starts) = starts {
                while starts.get(next).is_some_and(|&p| (p as usize) < pos) {
                    next += 1;
                }
                match starts.get(next) {
                    Some(&p) => pos = p as usize,
                    None => break,
                }
            }
            if pos >= e || (self.anchored && pos > s) {
                break;
            }
            if !self.may_start(v, pos, e) {
                pos += 1;
                continue;
            }
            match self.run(v, s, e, pos, scratch) {
                Some(end) => {
                    let caps = (0..self.captures.len())
                        .map(|k| match (scratch.slots[2 * k], scratch.slots[2 * k + 1]) {
                            (Some(a), Some(b)) => Some((a, b)),
                            _ => None,
                        })
                        .collect();
                    out.push(Match { start: pos as u32, end: end as u32, caps });
                    pos = if end > pos { end } else { pos + 1 };
                    scratch.next_gen();
                }
                None => pos += 1,
            }
        }
    }

    /// Whether some first instruction can consume the token at `pos`.
    fn may_start(&self, v: &View, pos: usize, e: usize) -> bool {
        let Some(firsts) = &self.firsts else { return true };
        if !self.cheap.iter().any(|c| c.passes(v, pos)) {
            return false;
        }
        firsts.iter().any(|&pc| match &self.insts[pc] {
            Inst::Tok(t) => t.ok(v, pos),
            Inst::Gaz(g) => v.hits_at(pos).iter().any(|h| h.end as usize <= e && g.ok(v.gaz, h)),
            Inst::Ent(t) => v.units_at(pos).iter().any(|u| u.end as usize <= e && t.ok(u)),
            _ => true,
        })
    }

    fn run(&self, v: &View, s: usize, e: usize, start: usize, sc: &mut Scratch) -> Option<usize> {
        let width = e - s + 1;
        sc.slots.clear();
        sc.slots.resize(2 * self.captures.len(), None);
        sc.stack.clear();
        sc.stack.push(Frame::Try(0, start));
        while let Some(f) = sc.stack.pop() {
            let (mut pc, mut pos) = match f {
                Frame::Try(pc, pos) => (pc, pos),
                Frame::Restore(slot, old) => {
                    sc.slots[slot] = old;
                    continue;
                }
            };
            loop {
                let bit = pc * width + (pos - s);
                if sc.visited[bit] == sc.generation {
                    break;
                }
                sc.visited[bit] = sc.generation;
                match &self.insts[pc] {
                    Inst::Match => return Some(pos),
                    Inst::Tok(t) => {
                        if pos < e && t.ok(v, pos) {
                            pc += 1;
                            pos += 1;
                        } else {
                            break;
                        }
                    }
                    Inst::Gaz(g) => {
                        if pos >= e {
                            break;
                        }
                        sc.ends.clear();
                        for h in v.hits_at(pos) {
                            if (h.end as usize) <= e && g.ok(v.gaz, h) && !sc.ends.contains(&(h.end as usize)) {
                                sc.ends.push(h.end as usize);
                            }
                        }
                        if !self.branch(pc, &mut pos, sc) {
                            break;
                        }
                        pc += 1;
                    }
                    Inst::Ent(t) => {
                        if pos >= e {
                            break;
                        }
                        sc.ends.clear();
                        for u in v.units_at(pos) {
                            if (u.end as usize) <= e && t.ok(u) && !sc.ends.contains(&(u.end as usize)) {
                                sc.ends.push(u.end as usize);
                            }
                        }
                        if !self.branch(pc, &mut pos, sc) {
                            break;
                        }
                        pc += 1;
                    }
                    Inst::Split(a, b) => {
                        sc.stack.push(Frame::Try(*b, pos));
                        pc = *a;
                    }
                    Inst::Jmp(a) => pc = *a,
                    Inst::Save(slot) => {
                        sc.stack.push(Frame::Restore(*slot, sc.slots[*slot]));
                        sc.slots[*slot] = Some(pos as u32);
                        pc += 1;
                    }
                    Inst::Behind(t) => {
                        if pos > s && t.ok(v, pos - 1) {
                            pc += 1;
                        } else {
                            break;
                        }
                    }
                    Inst::Start => {
                        if pos == s {
                            pc += 1;
                        } else {
                            break;
                        }
                    }
                    Inst::End => {
                        // End of sentence, allowing trailing punctuation.
                        let mut k = pos;
                        while k < e && v.toks.tokens[k].kind == Kind::Punct {
                            k += 1;
                        }
                        if k == e {
                            pc += 1;
                        } else {
                            break;
                        }
                    }
                }
            }
        }
        None
    }

    /// Continues with the longest unit end, queueing the shorter ones.
    fn branch(&self, pc: usize, pos: &mut usize, sc: &mut Scratch) -> bool {
        if sc.ends.is_empty() {
            return false;
        }
        sc.ends.sort_unstable();
        for &end in &sc.ends[..sc.ends.len() - 1] {
            sc.stack.push(Frame::Try(pc + 1, end));
        }
        *pos = sc.ends[sc.ends.len() - 1];
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(when: &str) -> Node {
        let text = format!("rule t.x\n  when {when}\n  emit quote(speaker=s)\n");
        let mut defs = crate::rules::parse::parse_file("t.rules", &text).unwrap();
        defs.remove(0).pattern
    }

    #[test]
    fn every_mandatory_literal_of_a_few_words_filters_windows() {
        let h = crate::tokens::lower_hash;
        let sets = literal_filter(&pattern(r#"(s: [Cap]) "," "who" ("said" | "told") "that"? [Lower]"#));
        assert_eq!(sets, [vec![h(",")], vec![h("who")], vec![h("said"), h("told")]]);
        // Optional parts and alternatives without a literal add nothing.
        let sets = literal_filter(&pattern(r#"(s: [Cap]) ("," | [Punct]) "who"? [Lower]{0,2} "said""#));
        assert_eq!(sets, [vec![h("said")]]);
        // The first needed literal is kept even when it has many words; a
        // later one of many words is left out.
        let many: Vec<String> = (0..70).map(|i| format!("\"w{i}\"")).collect();
        let alts = format!("({})", many.join(" | "));
        let sets = literal_filter(&pattern(&format!(r#"(s: [Cap]) {alts} "x" {alts}"#)));
        assert_eq!(sets.iter().map(Vec::len).collect::<Vec<_>>(), [70, 1]);
        let sets = literal_filter(&pattern(r#"(s: [Cap]) "and" [Lower] "said|told|added""#));
        assert_eq!(sets, [vec![h("and")], vec![h("said"), h("told"), h("added")]]);
    }
}
