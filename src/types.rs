//! The core vocabulary every stage shares: entity types, mention kinds,
//! quote kinds and genders, typed indices, and token ranges.
//!
//! The public enums serialize to the lower-case strings of the JSON output
//! contract (`"person"`, `"pronoun"`, `"direct"`).

use std::fmt;

use serde::{Deserialize, Serialize};

/// What an entity is.
///
/// ```
/// use gazette::EntityType;
/// assert_eq!(EntityType::from_name("place"), Some(EntityType::Place));
/// assert_eq!(EntityType::Place.to_string(), "place");
/// assert_eq!(serde_json::to_string(&EntityType::Office).unwrap(), "\"office\"");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum EntityType {
    /// A person (`Sergei Lavrov`).
    Person,
    /// An organization: a company, party, ministry, team, newspaper.
    Organization,
    /// A place: a country, region, city, facility.
    Place,
    /// An office or title (`Foreign Minister`).
    Office,
    /// A group of people named by nationality, religion or politics (`Bosnian Serbs`).
    Group,
    /// An event (`the Oct. 7 vote`); listed in `Document::events`, not `entities`.
    Event,
}

impl EntityType {
    /// Every entity type, in the order of their rule-layer bits.
    pub const ALL: [EntityType; 6] = [
        EntityType::Person,
        EntityType::Organization,
        EntityType::Place,
        EntityType::Office,
        EntityType::Group,
        EntityType::Event,
    ];

    /// The name used in JSON, rules (`&person`) and gazetteer types.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Person => "person",
            EntityType::Organization => "organization",
            EntityType::Place => "place",
            EntityType::Office => "office",
            EntityType::Group => "group",
            EntityType::Event => "event",
        }
    }

    /// The type named `name` (`"person"`), if any.
    pub fn from_name(name: &str) -> Option<EntityType> {
        EntityType::ALL.into_iter().find(|t| t.as_str() == name)
    }

    /// Names (person, organization, place, group) never overlap each other;
    /// offices and events are layers of their own (see DESIGN.md).
    pub(crate) fn is_name(self) -> bool {
        matches!(self, EntityType::Person | EntityType::Organization | EntityType::Place | EntityType::Group)
    }
}

impl fmt::Display for EntityType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// How a mention refers to its entity.
///
/// ```
/// use gazette::MentionKind;
/// assert_eq!(MentionKind::from_name("pronoun"), Some(MentionKind::Pronoun));
/// assert_eq!(MentionKind::Demonym.as_str(), "demonym");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum MentionKind {
    /// A proper name (`Sergei Lavrov`, `Lavrov`, `Russia`).
    Name,
    /// An adjective or people-name for a place (`Russian` → Russia).
    Demonym,
    /// A common noun phrase (`the Russian`, `the minister`) resolved by coreference.
    Nominal,
    /// A pronoun (`he`, `she`) resolved by coreference.
    Pronoun,
}

impl MentionKind {
    /// Every kind, in the order of their rule-layer bits.
    pub const ALL: [MentionKind; 4] =
        [MentionKind::Name, MentionKind::Demonym, MentionKind::Nominal, MentionKind::Pronoun];

    /// The name used in JSON and in rules (`&person:pronoun`).
    pub fn as_str(self) -> &'static str {
        match self {
            MentionKind::Name => "name",
            MentionKind::Demonym => "demonym",
            MentionKind::Nominal => "nominal",
            MentionKind::Pronoun => "pronoun",
        }
    }

    /// The kind named `name`, if any.
    pub fn from_name(name: &str) -> Option<MentionKind> {
        MentionKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// Nominals and pronouns refer through coreference; names and demonyms name.
    pub(crate) fn is_reference(self) -> bool {
        matches!(self, MentionKind::Nominal | MentionKind::Pronoun)
    }
}

impl fmt::Display for MentionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// Whether a quote gives the words as spoken or reports them.
///
/// ```
/// use gazette::QuoteKind;
/// assert_eq!(serde_json::to_string(&QuoteKind::Indirect).unwrap(), "\"indirect\"");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum QuoteKind {
    /// The words inside quotation marks.
    Direct,
    /// Reported speech (`he said the talks were useful`).
    Indirect,
    /// A reported clause with a quoted fragment inside (`said talks were "constructive"`).
    Mixed,
}

impl QuoteKind {
    /// The name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            QuoteKind::Direct => "direct",
            QuoteKind::Indirect => "indirect",
            QuoteKind::Mixed => "mixed",
        }
    }
}

impl fmt::Display for QuoteKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// A person's grammatical gender, as far as names, honorifics and pronouns tell.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Gender {
    #[default]
    Unknown,
    Male,
    Female,
}

impl Gender {
    /// From a data attribute (`gender=m`, `gender=f`).
    pub fn from_attr(v: &str) -> Gender {
        match v {
            "m" | "male" => Gender::Male,
            "f" | "female" => Gender::Female,
            _ => Gender::Unknown,
        }
    }

    /// Whether a referent of gender `self` may be referred to as `other`.
    pub fn agrees(self, other: Gender) -> bool {
        self == Gender::Unknown || other == Gender::Unknown || self == other
    }
}

/// What a rule's `&type` unit can stand on: an entity mention, a date or a
/// quote (the quote layer exists only for quote rules).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum UnitType {
    Entity(EntityType),
    Date,
    Quote,
}

impl UnitType {
    /// Every unit type, in bit order.
    pub const ALL: [UnitType; 8] = [
        UnitType::Entity(EntityType::Person),
        UnitType::Entity(EntityType::Organization),
        UnitType::Entity(EntityType::Place),
        UnitType::Entity(EntityType::Office),
        UnitType::Entity(EntityType::Group),
        UnitType::Entity(EntityType::Event),
        UnitType::Date,
        UnitType::Quote,
    ];

    /// Its bit index in the rule engine's per-token sets (0..8).
    #[inline]
    pub fn index(self) -> u32 {
        match self {
            UnitType::Entity(EntityType::Person) => 0,
            UnitType::Entity(EntityType::Organization) => 1,
            UnitType::Entity(EntityType::Place) => 2,
            UnitType::Entity(EntityType::Office) => 3,
            UnitType::Entity(EntityType::Group) => 4,
            UnitType::Entity(EntityType::Event) => 5,
            UnitType::Date => 6,
            UnitType::Quote => 7,
        }
    }

    /// The name rules use (`&date`).
    pub fn as_str(self) -> &'static str {
        match self {
            UnitType::Entity(t) => t.as_str(),
            UnitType::Date => "date",
            UnitType::Quote => "quote",
        }
    }

    /// The unit type named `name`, if any.
    pub fn from_name(name: &str) -> Option<UnitType> {
        UnitType::ALL.into_iter().find(|t| t.as_str() == name)
    }
}

/// Index of an entity in the document's entity list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct EntityIdx(pub u32);

impl EntityIdx {
    pub fn get(self) -> usize {
        self.0 as usize
    }
}

/// Index of a mention in the document's mention list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct MentionIdx(pub u32);

impl MentionIdx {
    pub fn get(self) -> usize {
        self.0 as usize
    }
}

/// A half-open range of token indices `[start, end)` — never bytes (bytes
/// are [`Span`](crate::Span)).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct TokenSpan {
    pub start: u32,
    pub end: u32,
}

impl TokenSpan {
    pub fn new(start: u32, end: u32) -> TokenSpan {
        TokenSpan { start, end }
    }
}

/// The standing of an office-holder fact: held before, held for now, or about
/// to be held. Serialized as a lower-case string (`"former"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Status {
    /// No longer holds it (`former`, `ex-`, `then-`, `was ... head of`).
    Former,
    /// Holds it for the time being (`acting`).
    Acting,
    /// Holds it until a successor comes (`interim`).
    Interim,
    /// Elected, not yet in office (`-elect`).
    Elect,
    /// Named, not yet in office (`-designate`).
    Designate,
    /// Died in office or since (`the late`).
    Late,
    /// About to leave (`outgoing`).
    Outgoing,
    /// About to take it (`incoming`).
    Incoming,
}

impl Status {
    /// The status a word (or prefix) of a title expresses: `former`, `ex`,
    /// `acting`, `interim`, `elect`, `designate`, `late`, `outgoing`, `incoming`.
    pub fn from_word(w: &str) -> Option<Status> {
        let w = w.trim_matches(|c: char| c == '-' || c == '.' || c.is_whitespace()).to_ascii_lowercase();
        Some(match w.as_str() {
            "former" | "formerly" | "ex" | "onetime" | "one-time" | "erstwhile" | "retired" | "was" | "then" => {
                Status::Former
            }
            "acting" => Status::Acting,
            "interim" | "caretaker" => Status::Interim,
            "elect" => Status::Elect,
            "designate" => Status::Designate,
            "late" => Status::Late,
            "outgoing" => Status::Outgoing,
            "incoming" => Status::Incoming,
            _ => return None,
        })
    }

    /// The lower-case name, as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Former => "former",
            Status::Acting => "acting",
            Status::Interim => "interim",
            Status::Elect => "elect",
            Status::Designate => "designate",
            Status::Late => "late",
            Status::Outgoing => "outgoing",
            Status::Incoming => "incoming",
        }
    }
}
