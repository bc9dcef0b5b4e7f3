//! The codes file: which place on the ladder each register code means.
//!
//! Registers and case systems write places as their own codes (Statistics
//! Denmark's `21` is a foster family, England's `U4` too). A small TOML
//! table maps each code to `assessment` or a rung id of the policy
//! scenario, so the user's records need no editing:
//!
//! ```toml
//! "21" = "foster"
//! "7" = "institution"
//! ```
//!
//! Every value is checked against the scenario's ladder; a code that maps
//! to no known place is reported at its line.

use std::collections::HashMap;

use toml::Value;

use crate::input::{InputError, KeyPath, Problem, Source};
use crate::scenario::Scenario;

/// The place word for a child being assessed (before any measure).
pub const ASSESSMENT: &str = "assessment";

/// Where a child is: being assessed, or on a rung of the ladder (its index
/// in the scenario's `steps`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Place {
    /// Referred and being assessed.
    Assessment,
    /// On the rung with this index in the ladder.
    Rung(usize),
}

/// The ladder's places by name: `assessment` and the rung ids, in ladder
/// order. Shared by the codes, the estimates and the case list so a place
/// is written the same way everywhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Places {
    /// Rung ids, least intrusive first.
    pub rungs: Vec<String>,
}

impl Places {
    /// The name of `place` (`assessment` or a rung id).
    pub fn name(&self, place: Place) -> &str {
        match place {
            Place::Assessment => ASSESSMENT,
            Place::Rung(i) => &self.rungs[i],
        }
    }

    /// The place called `name`, if the ladder has one.
    pub fn find(&self, name: &str) -> Option<Place> {
        if name == ASSESSMENT {
            return Some(Place::Assessment);
        }
        self.rungs.iter().position(|r| r == name).map(Place::Rung)
    }

    /// Every place, assessment first, then the rungs in ladder order.
    pub fn all(&self) -> impl Iterator<Item = Place> + '_ {
        std::iter::once(Place::Assessment).chain((0..self.rungs.len()).map(Place::Rung))
    }

    /// The places of `scenario`'s ladder.
    pub fn of(scenario: &Scenario) -> Self {
        Self {
            rungs: scenario.params.steps.iter().map(|r| r.id.clone()).collect(),
        }
    }

    /// A codes file mapping every place to itself (`"foster" = "foster"`),
    /// for records written with the ladder's own names (simulated
    /// records): what [`Codes::identity`] reads.
    pub fn identity_codes(&self) -> String {
        self.all()
            .map(|p| {
                let name = Value::String(self.name(p).to_string());
                format!("{name} = {name}\n")
            })
            .collect()
    }
}

/// A codes file, read and checked: code → place.
#[derive(Debug, Clone)]
pub struct Codes {
    map: HashMap<String, Place>,
}

impl Codes {
    /// Read the codes file `source` against `places`: every key a code,
    /// every value `assessment` or a rung id. All problems at once.
    pub fn parse(source: &Source, places: &Places) -> Result<Self, InputError> {
        let table = source.parse_toml()?;
        let mut problems = Vec::new();
        let mut map = HashMap::new();
        for (code, value) in &table {
            let at = KeyPath::keys(&[code]);
            match value {
                Value::String(name) => match places.find(name) {
                    Some(place) => {
                        map.insert(code.trim().to_string(), place);
                    }
                    None => problems.push(Problem::new(
                        at,
                        format!(
                            "unknown place {name:?}: a code maps to {ASSESSMENT} or a rung id of \
                             the policy scenario ({})",
                            places.rungs.join(", ")
                        ),
                    )),
                },
                other => problems.push(Problem::new(
                    at,
                    format!(
                        "must be a place name in quotes (\"{ASSESSMENT}\" or a rung id), not a {}",
                        other.type_str()
                    ),
                )),
            }
        }
        if map.is_empty() && problems.is_empty() {
            return Err(InputError::whole_file(
                &source.name,
                "maps no codes: write one line per code, such as \"21\" = \"foster\"",
            ));
        }
        if problems.is_empty() {
            Ok(Self { map })
        } else {
            Err(source.locate(problems))
        }
    }

    /// Every place of `places` under its own name: the codes of
    /// [`Places::identity_codes`], for records made in memory.
    pub fn identity(places: &Places) -> Self {
        Self {
            map: places
                .all()
                .map(|p| (places.name(p).to_string(), p))
                .collect(),
        }
    }

    /// The place a code means (codes are compared without surrounding
    /// spaces).
    pub fn place(&self, code: &str) -> Option<Place> {
        self.map.get(code.trim()).copied()
    }

    /// How many codes the file maps.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether the file maps no code (never true for a parsed file).
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places() -> Places {
        Places {
            rungs: vec!["prevention".into(), "foster".into()],
        }
    }

    #[test]
    fn codes_map_to_places() {
        let s = Source::from_text("c.toml", "\"21\" = \"foster\"\nA = \"assessment\"\n");
        let c = Codes::parse(&s, &places()).unwrap();
        assert_eq!(c.place("21"), Some(Place::Rung(1)));
        assert_eq!(c.place("A"), Some(Place::Assessment));
        assert_eq!(c.place("22"), None);
    }

    #[test]
    fn the_identity_codes_read_back_as_the_identity() {
        let places = Places {
            rungs: vec!["prevention".into(), "foster \"x\"".into()],
        };
        let text = places.identity_codes();
        let read = Codes::parse(&Source::from_text("c.toml", &text), &places).unwrap();
        let made = Codes::identity(&places);
        assert_eq!(read.len(), 3, "{text}");
        for p in places.all() {
            assert_eq!(read.place(places.name(p)), Some(p), "{text}");
            assert_eq!(made.place(places.name(p)), Some(p));
        }
    }

    #[test]
    fn unknown_places_are_located() {
        let s = Source::from_text(
            "c.toml",
            "\"21\" = \"foster\"\n\"7\" = \"institution\"\n\"8\" = 3\n",
        );
        let e = Codes::parse(&s, &places()).unwrap_err().to_string();
        assert!(
            e.contains("c.toml:2:7: 7: unknown place \"institution\""),
            "{e}"
        );
        assert!(e.contains("c.toml:3:7: 8: must be a place name"), "{e}");
    }
}
