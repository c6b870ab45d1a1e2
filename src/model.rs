//! The loaded, immutable model: gazetteer plus compiled rules. Built once
//! and shared (`Arc`) by every extraction, across threads.

use std::borrow::Cow;
use std::sync::{Arc, LazyLock};

use crate::error::{Error, ErrorKind};
use crate::gazetteer::{Gazetteer, TypeId};
use crate::rules::{self, Rule};
use crate::types::EntityType;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// Gazetteer types the pipeline itself relies on (rules may use any type).
const CORE_TYPES: &[&str] = &[
    "place",
    "organization",
    "office",
    "group",
    "event",
    "given_name",
    "surname",
    "speech_verb",
    "role",
    "honorific",
    "org_word",
];

#[derive(Debug)]
pub(crate) struct Model {
    pub gaz: Gazetteer,
    pub rules: Vec<Rule>,
    pub t_given: Option<TypeId>,
    /// Entity-layer type of each gazetteer type (`place` → place), by type id.
    ent_types: Vec<Option<EntityType>>,
}

/// The embedded default data, loaded once.
pub(crate) static DEFAULT: LazyLock<Result<Arc<Model>, Error>> =
    LazyLock::new(|| Model::load(true, Vec::new(), &[]).map(Arc::new));

impl Model {
    /// The entity-layer type a gazetteer type stands for, if any.
    pub fn entity_type(&self, t: TypeId) -> Option<EntityType> {
        self.ent_types.get(t as usize).copied().flatten()
    }

    /// Loads the embedded data (when `defaults`) plus the given sources
    /// (name, text), in that order. The gazetteer texts are kept, not
    /// copied (entries point into them).
    pub fn load(
        defaults: bool,
        gazetteers: Vec<(String, String)>,
        rule_files: &[(String, String)],
    ) -> Result<Model, Error> {
        let mut gaz = Gazetteer::default();
        for t in CORE_TYPES {
            gaz.type_id(t);
        }
        let mut files: Vec<(String, Cow<'static, str>)> = Vec::new();
        if defaults {
            files.extend(embedded::GAZETTEER.iter().map(|(n, t)| (n.to_string(), Cow::Borrowed(*t))));
        }
        files.extend(gazetteers.into_iter().map(|(n, t)| (n, Cow::Owned(t))));
        gaz.add_files(files)?;
        // The rules need only the gazetteer's types, known once its files
        // are parsed: they compile while its tables are built.
        let (tables, rules) = std::thread::scope(|s| {
            let g = &gaz;
            let tables = s.spawn(move || g.tables());
            let rules = load_rules(defaults, rule_files, g);
            (tables.join(), rules)
        });
        match tables {
            Ok(t) => gaz.set_tables(t),
            Err(panic) => std::panic::resume_unwind(panic),
        }
        let rules = rules?;
        let t_given = gaz.find_type("given_name");
        let ent_types = gaz.types.iter().map(|t| EntityType::from_name(t)).collect();
        Ok(Model { gaz, rules, t_given, ent_types })
    }
}

/// Compiles the embedded rules (when `defaults`) and then the given files,
/// in that order; a rule id may be used once.
fn load_rules(defaults: bool, rule_files: &[(String, String)], gaz: &Gazetteer) -> Result<Vec<Rule>, Error> {
    let mut rules = Vec::new();
    let mut add = |name: &str, text: &str| -> Result<(), Error> {
        for r in rules::load(name, text, gaz)? {
            if let Some(prev) = rules.iter().find(|p: &&Rule| p.def.id == r.def.id) {
                return Err(Error::new(
                    ErrorKind::Rule,
                    name,
                    r.def.line,
                    1,
                    format!("rule id `{}` is already used in {}:{}", r.def.id, prev.def.file, prev.def.line),
                ));
            }
            rules.push(r);
        }
        Ok(())
    };
    if defaults {
        for (name, text) in embedded::RULES {
            add(name, text)?;
        }
    }
    for (name, text) in rule_files {
        add(name, text)?;
    }
    Ok(rules)
}
