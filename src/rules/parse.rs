//! The rule language: lexer and parser. See `DESIGN.md` ("The rule
//! language") for the grammar; every error names file, line and column.

use crate::error::{Error, ErrorKind, column_of};

/// A pattern element, as written.
#[derive(Clone, Debug)]
pub(crate) enum Node {
    /// One token satisfying every condition.
    Token(Vec<Cond>),
    /// A whole gazetteer hit (`@type(key=val)`) or entity mention (`&type(kind=...)`).
    Unit {
        layer: Layer,
        name: String,
        filters: Vec<(String, String)>,
        at: Pos,
    },
    Seq(Vec<Node>),
    Alt(Vec<Node>),
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
        greedy: bool,
    },
    Capture(String, Box<Node>),
    SentStart,
    SentEnd,
    /// `<[conds]`: the token before this point meets the conditions (zero-width).
    Behind(Vec<Cond>),
}

/// Where an element was written, for errors found after parsing:
/// line number, 1-based column, and the line's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Pos {
    pub line: usize,
    pub col: usize,
    pub text: String,
}

/// Which layer a unit atom reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Layer {
    Gazetteer,
    Entity,
}

/// A condition on a single token.
#[derive(Clone, Debug)]
pub(crate) enum Cond {
    /// Case-insensitive literal alternatives (stored lower-case).
    Lit(Vec<String>),
    /// Exact-case literal alternatives (`="Said"`).
    ExactLit(Vec<String>),
    /// A regex over the whole token, compiled as `^(?:source)$`.
    Regex(regex::Regex),
    Shape(Shape),
    /// Token lies inside a gazetteer hit / an entity mention of this type.
    In(Layer, String, Vec<(String, String)>, Pos),
    Not(Box<Cond>),
    /// `[a|b]`: either condition.
    Or(Vec<Cond>),
    /// A `$NAME` used inside `[...]`: all of its conditions.
    And(Vec<Cond>),
    Any,
}

/// Token shapes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    Cap,
    Upper,
    Lower,
    Num,
    Punct,
    Word,
    Initial,
    Abbr,
    Start,
    Title,
    Glued,
    Newline,
    /// Any token of a sports news document (see `entities::is_sports`).
    Sports,
}

const SHAPES: &[(&str, Shape)] = &[
    ("Cap", Shape::Cap),
    ("Upper", Shape::Upper),
    ("Lower", Shape::Lower),
    ("Num", Shape::Num),
    ("Punct", Shape::Punct),
    ("Word", Shape::Word),
    ("Initial", Shape::Initial),
    ("Abbr", Shape::Abbr),
    ("Start", Shape::Start),
    ("Title", Shape::Title),
    ("Glued", Shape::Glued),
    ("Newline", Shape::Newline),
    ("Sports", Shape::Sports),
];

/// A parsed `@type(filters)` / `&type(filters)`: layer, type, filters, where.
type LayerRef = (Layer, String, Vec<(String, String)>, Pos);

/// An action argument.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Arg {
    Capture(String),
    Literal(String),
    /// `office_of(cap)`: the office held by the person `cap` refers to.
    OfficeOf(String),
}

/// `emit name(positional, key=value, ...)`.
#[derive(Clone, Debug)]
pub(crate) struct Action {
    pub name: String,
    pub positional: Vec<Arg>,
    pub named: Vec<(String, Arg)>,
    pub line: usize,
}

impl Action {
    pub fn get(&self, key: &str) -> Option<&Arg> {
        self.named.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

/// An inline example: text plus what must (or must not) come out.
#[derive(Clone, Debug)]
pub(crate) struct Example {
    pub text: String,
    pub negated: bool,
    pub what: String,
    pub args: Vec<String>,
    pub line: usize,
}

/// One parsed rule.
#[derive(Clone, Debug)]
pub(crate) struct RuleDef {
    pub id: String,
    pub pattern: Node,
    pub actions: Vec<Action>,
    pub priority: i32,
    pub examples: Vec<Example>,
    pub file: String,
    pub line: usize,
}

struct Lexer<'a> {
    file: &'a str,
    line_no: usize,
    line: &'a str,
    pos: usize,
    /// For a pattern continued over several `when` lines: where each line's
    /// part starts in `line` (the joined text), so errors point at the real line.
    segs: &'a [Seg],
}

/// One `when` line's part of a joined pattern.
#[derive(Clone, Debug)]
struct Seg {
    /// Offset of the part in the joined text.
    at: usize,
    line_no: usize,
    line: String,
    /// Offset of the part in its own line.
    line_off: usize,
}

impl<'a> Lexer<'a> {
    fn err(&self, at: usize, msg: impl Into<String>) -> Error {
        let p = self.pos_of(at);
        Error::new(ErrorKind::Rule, self.file, p.line, p.col, msg).with_line_text(&p.text)
    }
    fn pos_of(&self, at: usize) -> Pos {
        match self.segs.iter().rev().find(|s| s.at <= at).filter(|_| self.segs.len() > 1) {
            Some(seg) => {
                let byte = (at - seg.at + seg.line_off).min(seg.line.len());
                Pos { line: seg.line_no, col: column_of(&seg.line, byte), text: seg.line.clone() }
            }
            None => Pos { line: self.line_no, col: column_of(self.line, at), text: self.line.to_string() },
        }
    }
    fn rest(&self) -> &'a str {
        &self.line[self.pos..]
    }
    fn skip_ws(&mut self) {
        while self.pos < self.line.len() && self.line.as_bytes()[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
        if self.rest().starts_with('#') {
            self.pos = self.line.len();
        }
    }
    fn peek(&mut self) -> Option<char> {
        self.skip_ws();
        self.rest().chars().next()
    }
    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }
    fn expect(&mut self, c: char) -> Result<(), Error> {
        if self.eat(c) {
            Ok(())
        } else {
            let found = self.peek().map_or("end of line".to_string(), |f| format!("`{f}`"));
            Err(self.err(self.pos, format!("expected `{c}`, found {found}")))
        }
    }
    fn ident(&mut self) -> Option<&'a str> {
        self.skip_ws();
        let r = self.rest();
        let n = r.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.' || c == '-')).unwrap_or(r.len());
        if n == 0 || !r.as_bytes()[0].is_ascii_alphabetic() && r.as_bytes()[0] != b'_' {
            return None;
        }
        self.pos += n;
        Some(&r[..n])
    }
    fn string(&mut self) -> Result<String, Error> {
        self.skip_ws();
        let start = self.pos;
        if !self.eat('"') {
            return Err(self.err(start, "expected a string in double quotes"));
        }
        let mut out = String::new();
        let mut chars = self.rest().char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    self.pos += i + 1;
                    return Ok(out);
                }
                '\\' => match chars.next() {
                    Some((_, 'n')) => out.push('\n'),
                    Some((_, e)) => out.push(e),
                    None => break,
                },
                c => out.push(c),
            }
        }
        Err(self.err(start, "unterminated string"))
    }
    fn number(&mut self) -> Option<u32> {
        self.skip_ws();
        let r = self.rest();
        let n = r.find(|c: char| !c.is_ascii_digit()).unwrap_or(r.len());
        if n == 0 {
            return None;
        }
        self.pos += n;
        // Too many digits saturate, so the bounds check reports them.
        Some(r[..n].parse().unwrap_or(u32::MAX))
    }
    /// `(key=val, key=val)` right after an `@type` / `&type`, no space before `(`.
    fn filters(&mut self) -> Result<Vec<(String, String)>, Error> {
        let mut out = Vec::new();
        if !self.rest().starts_with('(') {
            return Ok(out);
        }
        self.pos += 1;
        loop {
            let at = self.pos;
            let Some(k) = self.ident() else {
                return Err(self.err(at, "expected `key=value` in a filter"));
            };
            self.expect('=')?;
            let v = if self.peek() == Some('"') {
                self.string()?
            } else {
                self.skip_ws();
                let r = self.rest();
                let n = r.find(|c: char| c == ',' || c == ')' || c.is_whitespace()).unwrap_or(r.len());
                if n == 0 {
                    return Err(self.err(self.pos, "expected a value"));
                }
                self.pos += n;
                r[..n].to_string()
            };
            out.push((k.to_string(), v));
            if self.eat(')') {
                return Ok(out);
            }
            self.expect(',')?;
        }
    }
}

struct PatternParser<'a, 'm> {
    lx: Lexer<'a>,
    macros: &'m [(String, Node)],
    depth: usize,
    /// The file's regexes, each compiled once.
    regexes: &'m mut Regexes,
}

/// Compiled regexes by wrapped pattern.
type Regexes = std::collections::HashMap<String, regex::Regex>;

/// How deeply groups and negations may nest in one pattern.
const MAX_DEPTH: usize = 64;

impl PatternParser<'_, '_> {
    fn alt(&mut self) -> Result<Node, Error> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.lx.err(self.lx.pos, format!("groups nest more than {MAX_DEPTH} deep")));
        }
        let r = self.alt_inner();
        self.depth -= 1;
        r
    }

    fn alt_inner(&mut self) -> Result<Node, Error> {
        let mut alts = vec![self.seq()?];
        while self.lx.eat('|') {
            alts.push(self.seq()?);
        }
        Ok(if alts.len() == 1 { alts.pop().unwrap_or(Node::Seq(vec![])) } else { Node::Alt(alts) })
    }

    fn seq(&mut self) -> Result<Node, Error> {
        let mut items = Vec::new();
        while let Some(c) = self.lx.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let prim = self.primary()?;
            items.push(self.quant(prim)?);
        }
        Ok(if items.len() == 1 { items.pop().unwrap_or(Node::Seq(vec![])) } else { Node::Seq(items) })
    }

    fn quant(&mut self, node: Node) -> Result<Node, Error> {
        let at = self.lx.pos;
        let (min, max) = if self.lx.rest().starts_with('?') {
            self.lx.pos += 1;
            (0, Some(1))
        } else if self.lx.rest().starts_with('*') {
            self.lx.pos += 1;
            (0, None)
        } else if self.lx.rest().starts_with('+') {
            self.lx.pos += 1;
            (1, None)
        } else if self.lx.rest().starts_with('{') {
            self.lx.pos += 1;
            let min = self.lx.number();
            let max = if self.lx.eat(',') { self.lx.number() } else { min };
            self.lx.expect('}')?;
            if min.is_none() && max.is_none() {
                return Err(self.lx.err(at, "a repetition needs a count: `{n}`, `{n,m}` or `{,m}`"));
            }
            let min = min.unwrap_or(0);
            if max.is_some_and(|m| m < min || m > 50) || max.is_none() && min > 50 {
                return Err(self.lx.err(at, "repetition bounds must satisfy min <= max <= 50"));
            }
            (min, max)
        } else {
            return Ok(node);
        };
        if matches!(node, Node::SentStart | Node::SentEnd | Node::Behind(_)) {
            return Err(self.lx.err(at, "an anchor cannot be repeated"));
        }
        let greedy = if self.lx.rest().starts_with('?') {
            self.lx.pos += 1;
            false
        } else {
            true
        };
        Ok(Node::Repeat { node: Box::new(node), min, max, greedy })
    }

    fn primary(&mut self) -> Result<Node, Error> {
        let at = self.lx.pos;
        match self.lx.peek() {
            Some('(') => {
                self.lx.pos += 1;
                // Capture: `(name: ...)`
                let save = self.lx.pos;
                if let Some(name) = self.lx.ident()
                    && self.lx.eat(':')
                {
                    let inner = self.alt()?;
                    self.lx.expect(')')?;
                    return Ok(Node::Capture(name.to_string(), Box::new(inner)));
                }
                self.lx.pos = save;
                let inner = self.alt()?;
                self.lx.expect(')')?;
                Ok(inner)
            }
            Some('[') => {
                self.lx.pos += 1;
                let mut conds = Vec::new();
                while self.lx.peek() != Some(']') {
                    if self.lx.peek().is_none() {
                        return Err(self.lx.err(self.lx.pos, "unclosed `[`: expected `]`"));
                    }
                    let first = self.cond()?;
                    if self.lx.peek() == Some('|') {
                        let mut alts = vec![first];
                        while self.lx.eat('|') {
                            alts.push(self.cond()?);
                        }
                        conds.push(Cond::Or(alts));
                    } else {
                        conds.push(first);
                    }
                }
                self.lx.pos += 1;
                if conds.is_empty() {
                    return Err(self.lx.err(at, "empty token condition `[]`"));
                }
                Ok(Node::Token(conds))
            }
            Some('^') => {
                self.lx.pos += 1;
                Ok(Node::SentStart)
            }
            Some('<') => {
                self.lx.pos += 1;
                match self.primary()? {
                    Node::Token(conds) => Ok(Node::Behind(conds)),
                    _ => Err(self.lx.err(at, "`<` takes one token condition: `<[...]` or `<\"word\"`")),
                }
            }
            Some('$') => {
                self.lx.pos += 1;
                if let Some(name) =
                    self.lx.rest().starts_with(|c: char| c.is_alphabetic()).then(|| self.lx.ident()).flatten()
                {
                    return match self.macros.iter().rev().find(|(n, _)| n == name) {
                        Some((_, node)) => Ok(node.clone()),
                        None => Err(self.lx.err(
                            at,
                            format!("unknown definition `${name}` (define it first with `define {name} = ...`)"),
                        )),
                    };
                }
                Ok(Node::SentEnd)
            }
            Some('@') | Some('&') => {
                let (layer, name, filters, pos) = self.layer_ref(at)?;
                Ok(Node::Unit { layer, name, filters, at: pos })
            }
            Some(_) => Ok(Node::Token(vec![self.cond()?])),
            None => Err(self.lx.err(at, "expected a pattern element")),
        }
    }

    /// `@type(filters)` or `&type(filters)` starting at byte `at`.
    fn layer_ref(&mut self, at: usize) -> Result<LayerRef, Error> {
        let layer = if self.lx.eat('@') {
            Layer::Gazetteer
        } else {
            self.lx.pos += 1;
            Layer::Entity
        };
        let name = self.lx.ident().ok_or_else(|| self.lx.err(at + 1, "expected a type name"))?.to_string();
        let filters = self.lx.filters()?;
        Ok((layer, name, filters, self.lx.pos_of(at)))
    }

    fn cond(&mut self) -> Result<Cond, Error> {
        let at = self.lx.pos;
        match self.lx.peek() {
            Some('!') => {
                self.lx.pos += 1;
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(self.lx.err(at, format!("negations nest more than {MAX_DEPTH} deep")));
                }
                let inner = self.cond();
                self.depth -= 1;
                Ok(Cond::Not(Box::new(inner?)))
            }
            Some('"') => {
                let s = self.lx.string()?;
                Ok(Cond::Lit(s.split('|').map(str::to_lowercase).collect()))
            }
            Some('=') => {
                self.lx.pos += 1;
                let s = self.lx.string()?;
                Ok(Cond::ExactLit(s.split('|').map(str::to_string).collect()))
            }
            Some('/') => {
                self.lx.pos += 1;
                let r = self.lx.rest();
                let Some(end) = r.find('/') else {
                    return Err(self.lx.err(at, "unterminated regex: expected closing `/`"));
                };
                let re = r[..end].to_string();
                self.lx.pos += end + 1;
                let icase = self.lx.rest().starts_with('i');
                if icase {
                    self.lx.pos += 1;
                }
                let wrapped = format!("{}^(?:{re})$", if icase { "(?i)" } else { "" });
                if let Some(compiled) = self.regexes.get(&wrapped) {
                    return Ok(Cond::Regex(compiled.clone()));
                }
                match regex::Regex::new(&wrapped) {
                    Ok(compiled) => {
                        self.regexes.insert(wrapped, compiled.clone());
                        Ok(Cond::Regex(compiled))
                    }
                    Err(e) => {
                        Err(self.lx.err(at + 1, format!("bad regex: {}", e.to_string().lines().last().unwrap_or(""))))
                    }
                }
            }
            Some('@') | Some('&') => {
                let (layer, name, filters, pos) = self.layer_ref(at)?;
                Ok(Cond::In(layer, name, filters, pos))
            }
            Some('$') => {
                self.lx.pos += 1;
                let name = self.lx.ident().ok_or_else(|| self.lx.err(at, "expected a definition name after `$`"))?;
                match self.macros.iter().rev().find(|(n, _)| n == name) {
                    Some((_, Node::Token(cs))) => Ok(if cs.len() == 1 { cs[0].clone() } else { Cond::And(cs.clone()) }),
                    Some(_) => Err(self.lx.err(
                        at,
                        format!("`${name}` is not a single-token pattern, so it cannot stand inside `[...]`"),
                    )),
                    None => Err(self.lx.err(at, format!("unknown definition `${name}`"))),
                }
            }
            Some('_') if !self.lx.rest()[1..].starts_with(|c: char| c.is_alphanumeric()) => {
                self.lx.pos += 1;
                Ok(Cond::Any)
            }
            Some(_) => {
                let Some(id) = self.lx.ident() else {
                    let c = self.lx.peek().unwrap_or(' ');
                    return Err(self.lx.err(at, format!("unexpected `{c}`")));
                };
                match SHAPES.iter().find(|(n, _)| *n == id) {
                    Some((_, s)) => Ok(Cond::Shape(*s)),
                    None => Err(self.lx.err(
                        at,
                        format!("unknown token class `{id}` (known: Cap, Upper, Lower, Num, Punct, Word, Initial, Abbr, Start, Title, Glued, Newline, Sports; literals go in quotes)"),
                    )),
                }
            }
            None => Err(self.lx.err(at, "expected a token condition")),
        }
    }
}

/// Positional and named (`key=value`) action arguments.
type Args = (Vec<Arg>, Vec<(String, Arg)>);

fn parse_args(lx: &mut Lexer) -> Result<Args, Error> {
    let mut pos = Vec::new();
    let mut named = Vec::new();
    lx.expect('(')?;
    if lx.eat(')') {
        return Ok((pos, named));
    }
    loop {
        let arg_val = |lx: &mut Lexer| -> Result<Arg, Error> {
            if lx.peek() == Some('"') {
                return Ok(Arg::Literal(lx.string()?));
            }
            let at = lx.pos;
            let id = lx.ident().ok_or_else(|| lx.err(at, "expected a capture name or a \"literal\""))?;
            if id == "office_of" {
                lx.expect('(')?;
                let at = lx.pos;
                let c = lx.ident().ok_or_else(|| lx.err(at, "expected a capture name"))?;
                lx.expect(')')?;
                return Ok(Arg::OfficeOf(c.to_string()));
            }
            Ok(Arg::Capture(id.to_string()))
        };
        let save = lx.pos;
        let key = lx.ident();
        if key.is_some() && lx.eat('=') {
            let v = arg_val(lx)?;
            named.push((key.unwrap_or_default().to_string(), v));
        } else {
            lx.pos = save;
            pos.push(arg_val(lx)?);
        }
        if lx.eat(')') {
            return Ok((pos, named));
        }
        lx.expect(',')?;
    }
}

/// Parses a whole rule file.
/// Ends the rule being read: it needs an `emit` line and an id of its own.
fn finish_rule(file: &str, lines: &[&str], cur: &mut Option<RuleDef>, rules: &mut Vec<RuleDef>) -> Result<(), Error> {
    let Some(r) = cur.take() else { return Ok(()) };
    let line_text = lines.get(r.line - 1).copied().unwrap_or("");
    if r.actions.is_empty() {
        return Err(Error::new(ErrorKind::Rule, file, r.line, 1, format!("rule `{}` has no `emit` line", r.id))
            .with_line_text(line_text));
    }
    if rules.iter().any(|o| o.id == r.id) {
        return Err(Error::new(ErrorKind::Rule, file, r.line, 6, format!("duplicate rule id `{}`", r.id))
            .with_line_text(line_text));
    }
    rules.push(r);
    Ok(())
}

/// `emit NAME(args)`, after the keyword.
fn parse_emit(lx: &mut Lexer) -> Result<Action, Error> {
    let at = lx.pos;
    let name = lx.ident().ok_or_else(|| lx.err(at, "expected an action name"))?.to_string();
    let (positional, named) = parse_args(lx)?;
    if lx.peek().is_some() {
        return Err(lx.err(lx.pos, "unexpected text after the action"));
    }
    Ok(Action { name, positional, named, line: lx.line_no })
}

/// `example "TEXT" => [!]WHAT "ARG"...`, after the keyword.
fn parse_example(lx: &mut Lexer) -> Result<Example, Error> {
    let text = lx.string()?;
    lx.skip_ws();
    if !lx.rest().starts_with("=>") {
        return Err(lx.err(lx.pos, "expected `=>` after the example text"));
    }
    lx.pos += 2;
    let negated = lx.eat('!');
    let at = lx.pos;
    let what = lx
        .ident()
        .ok_or_else(|| lx.err(at, "expected what the example yields (person, holds_office, quote, ...)"))?
        .to_string();
    let mut args = Vec::new();
    while lx.peek().is_some() {
        args.push(lx.string()?);
    }
    Ok(Example { text, negated, what, args, line: lx.line_no })
}

pub(crate) fn parse_file(file: &str, text: &str) -> Result<Vec<RuleDef>, Error> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rules: Vec<RuleDef> = Vec::new();
    let mut macros: Vec<(String, Node)> = Vec::new();
    let mut regexes = Regexes::new();
    let mut pending_when: Option<(usize, String, usize, Vec<Seg>)> = None;
    let mut cur: Option<RuleDef> = None;
    let lines: Vec<&str> = text.lines().collect();
    let finish = |cur: &mut Option<RuleDef>, rules: &mut Vec<RuleDef>| finish_rule(file, &lines, cur, rules);
    for (n, raw) in lines.iter().enumerate() {
        let line_no = n + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = line.len() - trimmed.len();
        let mut lx = Lexer { file, line_no, line, pos: indent, segs: &[] };
        let kw = lx.ident().unwrap_or("");
        let err_at = |lx: &Lexer, msg: String| lx.err(indent, msg);
        if kw != "when"
            && let Some((wl, pat, start, segs)) = pending_when.take()
        {
            let r = cur.as_mut().ok_or_else(|| err_at(&lx, "`when` outside a rule".into()))?;
            r.pattern = parse_pattern(file, wl, &pat, start, &segs, &macros, &mut regexes)?;
        }
        match kw {
            "rule" if indent == 0 => {
                finish(&mut cur, &mut rules)?;
                let at = lx.pos;
                let id = lx.ident().ok_or_else(|| lx.err(at, "expected a rule id after `rule`"))?;
                if lx.peek().is_some() {
                    return Err(lx.err(lx.pos, "unexpected text after the rule id"));
                }
                cur = Some(RuleDef {
                    id: id.to_string(),
                    pattern: Node::Seq(vec![]),
                    actions: vec![],
                    priority: 0,
                    examples: vec![],
                    file: file.to_string(),
                    line: line_no,
                });
            }
            "define" if indent == 0 => {
                finish(&mut cur, &mut rules)?;
                let at = lx.pos;
                let name = lx.ident().ok_or_else(|| lx.err(at, "expected a name after `define`"))?.to_string();
                lx.expect('=')?;
                let node = parse_pattern(file, line_no, line, lx.pos, &[], &macros, &mut regexes)?;
                macros.push((name, node));
            }
            "when" | "emit" | "priority" | "example" if indent > 0 => {
                let Some(r) = cur.as_mut() else {
                    return Err(err_at(&lx, format!("`{kw}` outside a rule (start one with `rule ID`)")));
                };
                match kw {
                    "when" => {
                        // Several `when` lines continue one pattern.
                        match pending_when.as_mut() {
                            Some((_, p, _, segs)) => {
                                p.push(' ');
                                segs.push(Seg { at: p.len(), line_no, line: line.to_string(), line_off: lx.pos });
                                p.push_str(&line[lx.pos..]);
                            }
                            None => {
                                let first = Seg { at: 0, line_no, line: line.to_string(), line_off: 0 };
                                pending_when = Some((line_no, line.to_string(), lx.pos, vec![first]));
                            }
                        }
                    }
                    "emit" => r.actions.push(parse_emit(&mut lx)?),
                    "priority" => {
                        let neg = lx.eat('-');
                        let at = lx.pos;
                        let v = lx.number().ok_or_else(|| lx.err(at, "expected an integer"))? as i32;
                        r.priority = if neg { -v } else { v };
                    }
                    _ => r.examples.push(parse_example(&mut lx)?),
                }
            }
            _ => {
                let found = trimmed.split_whitespace().next().unwrap_or("");
                let expected = if indent == 0 {
                    "`rule ID` or `define NAME = pattern`"
                } else {
                    "`when`, `emit`, `priority` or `example`"
                };
                return Err(err_at(&lx, format!("expected {expected}, found `{found}`")));
            }
        }
    }
    if let Some((wl, pat, start, segs)) = pending_when.take()
        && let Some(r) = cur.as_mut()
    {
        r.pattern = parse_pattern(file, wl, &pat, start, &segs, &macros, &mut regexes)?;
    }
    finish(&mut cur, &mut rules)?;
    Ok(rules)
}

/// Parses a pattern that starts at byte `start` of `text` (a rule line,
/// with any continuation `when` lines appended), so columns are exact.
fn parse_pattern(
    file: &str,
    line_no: usize,
    text: &str,
    start: usize,
    segs: &[Seg],
    macros: &[(String, Node)],
    regexes: &mut Regexes,
) -> Result<Node, Error> {
    let mut p = PatternParser { lx: Lexer { file, line_no, line: text, pos: start, segs }, macros, depth: 0, regexes };
    let node = p.alt()?;
    if let Some(c) = p.lx.peek() {
        return Err(p.lx.err(p.lx.pos, format!("unexpected `{c}`")));
    }
    Ok(node)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> (usize, usize, String) {
        let e = parse_file("t.rules", text).unwrap_err();
        (e.line(), e.column(), e.message().to_string())
    }

    #[test]
    fn parses_a_rule() {
        let r = parse_file(
            "t.rules",
            "define NAME = [Cap !Start]+\nrule a.b\n  when (o: @office) (p: $NAME)\n  emit person(p)\n  priority 5\n  example \"Mayor Jo Lee said\" => person \"Jo Lee\"\n",
        )
        .unwrap();
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].id, "a.b");
        assert_eq!(r[0].priority, 5);
        assert_eq!(r[0].examples[0].args, ["Jo Lee"]);
    }

    #[test]
    fn error_positions() {
        assert_eq!(err("rule x\n  when [Cap\n  emit person(x)\n").0, 2);
        let (l, c, m) = err("rule x\n  when [Capp]\n  emit person(x)\n");
        assert_eq!((l, c), (2, 9), "{m}");
        let (l, c, _) = err("rule x\n  when \"a\" /(/\n  emit person(x)\n");
        assert_eq!((l, c), (2, 13));
        let (l, _, m) = err("rule x\n  when \"a\"\n");
        assert_eq!(l, 1);
        assert!(m.contains("emit"));
        let (l, c, _) = err("rule x\n  when \"a\"{3,1}\n  emit a(x)\n");
        assert_eq!((l, c), (2, 11));
        let (l, c, _) = err("rule x\n  wen \"a\"\n");
        assert_eq!((l, c), (2, 3));
        let (_, _, m) = err("rule x\n  when $FOO\n  emit a(x)\n");
        assert!(m.contains("FOO"));
        let (l, c, _) = err("rule x\n  when \"a\"\n  when [Capp]\n  emit a(x)\n");
        assert_eq!((l, c), (3, 9));
        let deep = format!("rule x\n  when {}\"a\"{}\n  emit a(x)\n", "(".repeat(500), ")".repeat(500));
        assert!(err(&deep).2.contains("nest"));
        let (_, _, m) = err("rule x\n  when \"a\"{99999999999} \"b\"\n  emit a(x)\n");
        assert!(m.contains("bounds"), "{m}");
        let (_, _, m) = err("rule x\n  when \"a\"{,}\n  emit a(x)\n");
        assert!(m.contains("count"), "{m}");
        let (l, c, m) = err("rule x\n  when <(\"a\" \"b\")\n  emit a(x)\n");
        assert_eq!((l, c), (2, 8), "{m}");
        let (_, _, m) = err("rule x\n  when <[Cap]*\n  emit a(x)\n");
        assert!(m.contains("repeated"), "{m}");
    }
}
