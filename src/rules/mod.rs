//! The rule engine used by stages 6–9 (not a stage itself). Rules are data
//! (`data/rules/*.rules`); this module parses them ([`parse`]), compiles
//! their patterns against the gazetteer's types ([`engine`]), and runs one
//! stage's rules at a time ([`StageRun`]).

pub(crate) mod engine;
pub(crate) mod parse;

use crate::error::{Error, ErrorKind};
use crate::gazetteer::Gazetteer;
use crate::types::UnitType;
pub(crate) use engine::{Match, Program, Scratch, Unit, View};
pub(crate) use parse::{Action, Arg, RuleDef};

/// When a rule runs, decided by what it emits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Stage {
    /// Emits entities (`person(x)`, `place(x)`, ...).
    Entities,
    /// Emits relations (`holds_office(subject=.., office=.., object=..)`).
    Relations,
    /// Emits quote attributions (`quote(speaker=.., content=.., cue=..)`).
    Quotes,
    /// Adds place, date and participants to events (`event_info(event=.., ...)`).
    Events,
}

impl Stage {
    fn name(self) -> &'static str {
        match self {
            Stage::Entities => "entity",
            Stage::Relations => "relation",
            Stage::Quotes => "quote",
            Stage::Events => "event",
        }
    }

    /// Whether rules of this stage can see units of type `t`: quote units
    /// exist only while the quote stage runs.
    fn sees(self, t: UnitType) -> bool {
        t != UnitType::Quote || self == Stage::Quotes
    }
}

/// Runs the rules of one stage, one rule at a time, in load order: the one
/// way every stage runs its rules. The view may change between rules (the
/// entity stage adds the mentions each rule finds before the next runs).
pub(crate) struct StageRun<'r> {
    rules: &'r [Rule],
    stage: Stage,
    windows: &'r [(usize, usize)],
    /// Each token's window, when the windows are ascending and disjoint.
    win_of: Option<Vec<u32>>,
    next: usize,
    scratch: Scratch,
    matches: Vec<Match>,
}

impl<'r> StageRun<'r> {
    /// Rules of `stage` from `rules`, to be run over token `windows`.
    pub fn new(rules: &'r [Rule], stage: Stage, windows: &'r [(usize, usize)]) -> StageRun<'r> {
        let ordered = windows.iter().all(|&(s, e)| s <= e) && windows.windows(2).all(|w| w[0].1 <= w[1].0);
        let win_of = ordered.then(|| {
            let mut of = vec![u32::MAX; windows.last().map_or(0, |w| w.1)];
            for (k, &(s, e)) in windows.iter().enumerate() {
                of[s..e].iter_mut().for_each(|x| *x = k as u32);
            }
            of
        });
        StageRun { rules, stage, windows, win_of, next: 0, scratch: Scratch::default(), matches: Vec::new() }
    }

    /// The next rule of the stage (its index among all rules, the rule) and
    /// its matches over `view`; `None` when the stage's rules are done.
    pub fn next(&mut self, view: &View) -> Option<(u32, &'r Rule, &[Match])> {
        while let Some(rule) = self.rules.get(self.next) {
            let ri = self.next as u32;
            self.next += 1;
            if rule.stage == self.stage {
                rule.find_in(view, self.windows, self.win_of.as_deref(), &mut self.scratch, &mut self.matches);
                return Some((ri, rule, &self.matches));
            }
        }
        None
    }
}

/// Entity types an `emit` may create.
pub(crate) const ENTITY_ACTIONS: &[&str] = &["person", "organization", "place", "group", "office", "event"];

/// A compiled rule.
#[derive(Debug)]
pub(crate) struct Rule {
    pub def: RuleDef,
    pub prog: Program,
    pub stage: Stage,
}

impl Rule {
    /// The index of capture `name`.
    pub fn cap(&self, name: &str) -> Option<usize> {
        self.prog.captures.iter().position(|c| c == name)
    }

    /// All matches in the given token windows (sentences, or larger windows
    /// for quotes), replacing the contents of `out`.
    pub fn find_in(
        &self,
        view: &View,
        windows: &[(usize, usize)],
        win_of: Option<&[u32]>,
        scratch: &mut Scratch,
        out: &mut Vec<Match>,
    ) {
        out.clear();
        self.prog.find_windows(view, windows, win_of, scratch, out);
    }

    /// The non-empty token range that action argument `key` captured in `m`.
    pub fn arg_span(&self, m: &Match, a: &Action, key: &str) -> Option<(u32, u32)> {
        match a.get(key) {
            Some(Arg::Capture(c)) => self.cap(c).and_then(|i| m.caps[i]).filter(|(s, e)| s < e),
            _ => None,
        }
    }
}

fn action_stage(a: &Action) -> Stage {
    if ENTITY_ACTIONS.contains(&a.name.as_str()) {
        Stage::Entities
    } else if a.name == "quote" {
        Stage::Quotes
    } else if a.name == "event_info" {
        Stage::Events
    } else {
        Stage::Relations
    }
}

/// Parses and compiles one rule file.
pub(crate) fn load(file: &str, text: &str, gaz: &Gazetteer) -> Result<Vec<Rule>, Error> {
    let defs = parse::parse_file(file, text)?;
    let lines: Vec<&str> = text.lines().collect();
    defs.into_iter().map(|def| compile_rule(file, &lines, def, gaz)).collect()
}

/// Compiles one parsed rule and checks its stage and each action's arguments.
fn compile_rule(file: &str, lines: &[&str], def: RuleDef, gaz: &Gazetteer) -> Result<Rule, Error> {
    // Errors found while compiling without a position of their own point at the rule.
    let prog = engine::compile(&def.pattern, gaz, file).map_err(|e| {
        if e.line() == 0 {
            Error::new(ErrorKind::Rule, file, def.line, 1, format!("rule `{}`: {}", def.id, e.message()))
                .with_line_text(lines.get(def.line - 1).copied().unwrap_or(""))
        } else {
            e
        }
    })?;
    let stage = action_stage(&def.actions[0]);
    if let Some((t, at)) = prog.unit_refs.iter().find(|(t, _)| !stage.sees(*t)) {
        return Err(engine::compile_err(
            file,
            at,
            format!(
                "rule `{}` is a{} {} rule and cannot see `&{}` (quote units exist only for quote rules)",
                def.id,
                if stage == Stage::Entities { "n" } else { "" },
                stage.name(),
                t.as_str()
            ),
        ));
    }
    for a in &def.actions {
        check_action(file, lines, &def, &prog, stage, a)?;
    }
    Ok(Rule { def, prog, stage })
}

/// Checks one action of rule `def`: its stage, that its captures exist, the
/// arguments its stage needs, and its `kind`.
fn check_action(
    file: &str,
    lines: &[&str],
    def: &RuleDef,
    prog: &Program,
    stage: Stage,
    a: &Action,
) -> Result<(), Error> {
    let known_kinds = ["name", "demonym"];
    let err = |msg: String| {
        Error::new(ErrorKind::Rule, file, a.line, 1, msg).with_line_text(lines.get(a.line - 1).copied().unwrap_or(""))
    };
    if action_stage(a) != stage {
        return Err(err(format!(
            "rule `{}` mixes stages: `{}` cannot go with `{}`",
            def.id, a.name, def.actions[0].name
        )));
    }
    let mut caps: Vec<&str> = Vec::new();
    for arg in a.positional.iter().chain(a.named.iter().map(|(_, v)| v)) {
        match arg {
            Arg::Capture(c) | Arg::OfficeOf(c) => caps.push(c),
            Arg::Literal(_) => {}
        }
    }
    for c in caps {
        if !prog.captures.iter().any(|x| x == c) {
            return Err(err(format!(
                "`{c}` is not a capture of rule `{}` (captures: {})",
                def.id,
                prog.captures.join(", ")
            )));
        }
    }
    let need: &[&str] = match stage {
        Stage::Entities => &[],
        Stage::Quotes => &["speaker", "content"],
        Stage::Events => &["event"],
        Stage::Relations => &["subject"],
    };
    for k in need {
        if a.get(k).is_none() {
            return Err(err(format!("`{}` needs `{k}=...`", a.name)));
        }
    }
    if let Some(Arg::Literal(k)) = a.get("kind")
        && !known_kinds.contains(&k.as_str())
    {
        return Err(err(format!(
            "kind=\"{k}\" is not supported in rules (use \"name\" or \"demonym\"; nominals and pronouns are resolved by the pipeline)"
        )));
    }
    if stage == Stage::Entities && a.positional.len() != 1 {
        return Err(err(format!("`{}(...)` takes one capture", a.name)));
    }
    Ok(())
}
