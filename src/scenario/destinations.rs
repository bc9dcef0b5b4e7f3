//! Where moves go (model version 2, docs/model.md "Where moves go"): a
//! rung's `down_to`, `up_to` and `crisis_to` tables, resolved from ids to
//! ladder indices once, when the parameters are built, so the model draws
//! a destination with one uniform number and a short scan.
//!
//! A rung without a table keeps the one-rung default *without drawing*:
//! that is what keeps scenarios without these keys byte-identical to
//! trappe 0.1 (no extra random numbers are consumed).

use super::file::{Destinations, Rung};
use crate::language::Language;

/// Where a move leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Destination {
    /// The rung with this ladder index.
    Rung(usize),
    /// The case closes (only a planned move down may close).
    Closed,
}

/// The name `closed` has in destination tables.
pub const CLOSED: &str = "closed";

/// A resolved destination table: destinations with cumulative
/// probabilities, in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct DestinationTable {
    /// (destination, probability of this or an earlier entry); entries
    /// with probability 0 are left out.
    cumulative: Vec<(Destination, f64)>,
}

impl DestinationTable {
    /// Resolve a validated table against the ladder (`None` if an id is
    /// unknown, which validation rules out).
    fn resolve(table: &Destinations, steps: &[Rung]) -> Option<Self> {
        let mut acc = 0.0;
        let mut cumulative = Vec::with_capacity(table.len());
        for (id, &p) in table {
            let to = if id == CLOSED {
                Destination::Closed
            } else {
                Destination::Rung(steps.iter().position(|r| &r.id == id)?)
            };
            acc += p;
            if p > 0.0 {
                cumulative.push((to, acc));
            }
        }
        Some(Self { cumulative })
    }

    /// The destination for a uniform number `u` in [0, 1): the first entry
    /// whose cumulative probability exceeds `u` (the last entry when
    /// rounding leaves `u` above the total), as the entry draw does.
    pub fn pick(&self, u: f64) -> Destination {
        self.cumulative
            .iter()
            .find(|(_, acc)| u < *acc)
            .or(self.cumulative.last())
            .map(|(to, _)| *to)
            .expect("validated tables sum to 1")
    }

    /// The destinations with their probabilities, in file order.
    pub fn shares(&self) -> impl Iterator<Item = (Destination, f64)> + '_ {
        let mut before = 0.0;
        self.cumulative.iter().map(move |&(to, acc)| {
            let p = acc - before;
            before = acc;
            (to, p)
        })
    }
}

/// One rung's destination tables; `None` = the one-rung default.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RungMoves {
    /// `down_to`.
    pub down: Option<DestinationTable>,
    /// `up_to`.
    pub up: Option<DestinationTable>,
    /// `crisis_to`.
    pub crisis: Option<DestinationTable>,
}

impl RungMoves {
    /// Every rung's tables, resolved (a validated ladder).
    pub fn for_ladder(steps: &[Rung]) -> Vec<RungMoves> {
        let resolve =
            |t: &Option<Destinations>| t.as_ref().and_then(|t| DestinationTable::resolve(t, steps));
        steps
            .iter()
            .map(|r| RungMoves {
                down: resolve(&r.down_to),
                up: resolve(&r.up_to),
                crisis: resolve(&r.crisis_to),
            })
            .collect()
    }

    /// Whether the rung has no table at all (every move is the default).
    pub fn is_default(&self) -> bool {
        self.down.is_none() && self.up.is_none() && self.crisis.is_none()
    }
}

impl RungMoves {
    /// Rung `r`'s tables in words, for `check` and reports: "a move down
    /// goes to kinship 50 %, closed 50 %; a crisis stays on foster (a new
    /// placement) 60 %, goes to institution 40 %". `None` without tables.
    pub fn words(&self, r: usize, steps: &[Rung], lang: Language) -> Option<String> {
        if self.is_default() {
            return None;
        }
        let w = &lang.words().moves;
        let numbers = lang.numbers();
        let name = |to: Destination| match to {
            Destination::Rung(d) => steps[d].id.clone(),
            Destination::Closed => w.closed_destination.to_string(),
        };
        let share = |p: f64| numbers.plain_percent(significant_share(p) / 100.0);
        let mut parts = Vec::new();
        for (what, table) in w.kinds.iter().zip([&self.down, &self.up, &self.crisis]) {
            let Some(table) = table else { continue };
            let stay: Vec<String> = table
                .shares()
                .filter(|(to, _)| *to == Destination::Rung(r))
                .map(|(_, p)| (w.stays)(&steps[r].id, &share(p)))
                .collect();
            let go: Vec<String> = table
                .shares()
                .filter(|(to, _)| *to != Destination::Rung(r))
                .map(|(to, p)| format!("{} {}", name(to), share(p)))
                .collect();
            let mut words = stay;
            if !go.is_empty() {
                words.push((w.goes_to)(&go.join(", ")));
            }
            parts.push(format!("{what} {}", words.join(", ")));
        }
        Some(format!("{}: {}", steps[r].id, parts.join("; ")))
    }
}

/// A probability as a percentage with at most three significant digits.
fn significant_share(p: f64) -> f64 {
    crate::format::significant(p * 100.0, 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_by_cumulative_share_and_skips_zero_entries() {
        let steps = [Rung::new("a"), Rung::new("b"), Rung::new("c")];
        let table: Destinations = [
            ("b".into(), 0.25),
            ("a".into(), 0.0),
            ("closed".into(), 0.75),
        ]
        .into_iter()
        .collect();
        let t = DestinationTable::resolve(&table, &steps).unwrap();
        assert_eq!(t.pick(0.0), Destination::Rung(1));
        assert_eq!(t.pick(0.2499), Destination::Rung(1));
        assert_eq!(t.pick(0.25), Destination::Closed);
        assert_eq!(t.pick(0.999_999_9), Destination::Closed);
        let moves = RungMoves {
            down: Some(t.clone()),
            ..RungMoves::default()
        };
        assert_eq!(
            moves.words(0, &steps, Language::English).unwrap(),
            "a: a move down goes to b 25 %, closed (the case ends) 75 %"
        );
        let shares: Vec<_> = t.shares().collect();
        assert_eq!(
            shares,
            [(Destination::Rung(1), 0.25), (Destination::Closed, 0.75)]
        );
    }
}
