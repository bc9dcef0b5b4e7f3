//! The catalogue of transitions (docs/model.md, `transitions.csv`): every
//! move between places, by origin, destination and kind, and the one flat
//! index that the engine counts them in and every output reads them from.
//!
//! A replication counts transitions in a flat array of
//! `periods × cells` counters, allocated once; a cell is one
//! (from, to, kind) triple. Cells are numbered so that walking them in
//! index order gives the row order of `transitions.csv`: `from`
//! (`assessment`, then the ladder), `to` (the ladder, `closed`,
//! `aged_out`), then `kind` in the order of [`Kind::ALL`].

/// Number of kinds in [`Kind::ALL`].
const KINDS: usize = 8;

/// Why a case moved, in output order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// The assessment's outcome (`none` → `closed`).
    Entry,
    /// A planned move down at a follow-up (a detected `ready`; to `closed`
    /// from the lowest rung or by `down_to`).
    Down,
    /// A planned move up at a follow-up (a detected `needs_more`).
    Up,
    /// A move down because of the time limit alone (nothing detected).
    TimeLimit,
    /// A crisis (to the own rung: a new placement there).
    Crisis,
    /// Admission from a waiting list to the rung the case waited for
    /// (placement capacity).
    Admission,
    /// The `exit.close` hazard.
    Close,
    /// The child reached `exit_age`.
    AgeOut,
}

impl Kind {
    /// Every kind, in output order.
    pub const ALL: [Kind; KINDS] = [
        Kind::Entry,
        Kind::Down,
        Kind::Up,
        Kind::TimeLimit,
        Kind::Crisis,
        Kind::Admission,
        Kind::Close,
        Kind::AgeOut,
    ];

    /// The name in `transitions.csv`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Entry => "entry",
            Kind::Down => "down",
            Kind::Up => "up",
            Kind::TimeLimit => "time_limit",
            Kind::Crisis => "crisis",
            Kind::Admission => "admission",
            Kind::Close => "close",
            Kind::AgeOut => "age_out",
        }
    }

    /// The kind named `name` in `transitions.csv`.
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// Where a transition starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Under assessment.
    Assessment,
    /// On the rung with this ladder index.
    Rung(usize),
}

/// Where a transition ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// On the rung with this ladder index.
    Rung(usize),
    /// The case closed.
    Closed,
    /// The child aged out.
    AgedOut,
}

/// One (from, to, kind) triple.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    /// Origin.
    pub from: Origin,
    /// Destination.
    pub to: Target,
    /// Why.
    pub kind: Kind,
}

/// The cells of a ladder of `rungs` rungs and their flat index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grid {
    rungs: usize,
}

impl Grid {
    /// The grid of a ladder with `rungs` rungs.
    pub fn new(rungs: usize) -> Self {
        Self { rungs }
    }

    /// Number of cells: (`assessment` + rungs) × (rungs + `closed` +
    /// `aged_out`) × kinds.
    pub fn len(&self) -> usize {
        (self.rungs + 1) * (self.rungs + 2) * KINDS
    }

    /// Whether the grid has no cells (never: there is always `assessment`).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The flat index of a cell.
    pub fn index(&self, from: Origin, to: Target, kind: Kind) -> usize {
        let from = match from {
            Origin::Assessment => 0,
            Origin::Rung(r) => r + 1,
        };
        let to = match to {
            Target::Rung(r) => r,
            Target::Closed => self.rungs,
            Target::AgedOut => self.rungs + 1,
        };
        (from * (self.rungs + 2) + to) * KINDS + kind as usize
    }

    /// The cell at a flat index.
    pub fn cell(&self, index: usize) -> Cell {
        let kind = Kind::ALL[index % KINDS];
        let to = (index / KINDS) % (self.rungs + 2);
        let from = index / KINDS / (self.rungs + 2);
        Cell {
            from: if from == 0 {
                Origin::Assessment
            } else {
                Origin::Rung(from - 1)
            },
            to: if to < self.rungs {
                Target::Rung(to)
            } else if to == self.rungs {
                Target::Closed
            } else {
                Target::AgedOut
            },
            kind,
        }
    }

    /// A cell's `from` and `to` as written in `transitions.csv`, with
    /// `ids` the ladder's rung ids.
    pub fn names<'a>(&self, cell: Cell, ids: &'a [String]) -> (&'a str, &'a str) {
        let from = match cell.from {
            Origin::Assessment => "assessment",
            Origin::Rung(r) => ids[r].as_str(),
        };
        let to = match cell.to {
            Target::Rung(r) => ids[r].as_str(),
            Target::Closed => "closed",
            Target::AgedOut => "aged_out",
        };
        (from, to)
    }

    /// The index of the cell named (`from`, `to`, `kind`) in
    /// `transitions.csv`, if the ladder `ids` has one.
    pub fn find(&self, from: &str, to: &str, kind: &str, ids: &[String]) -> Option<usize> {
        let rung = |id: &str| ids.iter().position(|r| r == id);
        let from = match from {
            "assessment" => Origin::Assessment,
            id => Origin::Rung(rung(id)?),
        };
        let to = match to {
            "closed" => Target::Closed,
            "aged_out" => Target::AgedOut,
            id => Target::Rung(rung(id)?),
        };
        Some(self.index(from, to, Kind::from_name(kind)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_round_trip_and_follow_the_output_order() {
        let grid = Grid::new(3);
        let mut last = None;
        for i in 0..grid.len() {
            let c = grid.cell(i);
            assert_eq!(grid.index(c.from, c.to, c.kind), i);
            if let Some(prev) = last {
                assert!(i > prev);
            }
            last = Some(i);
        }
        // assessment < rung 0 < rung 2; rungs < closed < aged_out; kinds in order.
        let at = |f, t, k| grid.index(f, t, k);
        assert!(
            at(Origin::Assessment, Target::AgedOut, Kind::AgeOut)
                < at(Origin::Rung(0), Target::Rung(0), Kind::Entry)
        );
        assert!(
            at(Origin::Rung(1), Target::Rung(2), Kind::AgeOut)
                < at(Origin::Rung(1), Target::Closed, Kind::Entry)
        );
        assert!(
            at(Origin::Rung(1), Target::Closed, Kind::AgeOut)
                < at(Origin::Rung(1), Target::AgedOut, Kind::Entry)
        );
        assert!(
            at(Origin::Rung(2), Target::Rung(2), Kind::Down)
                < at(Origin::Rung(2), Target::Rung(2), Kind::Up)
        );
        let ids: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        let i = grid.find("b", "closed", "time_limit", &ids).unwrap();
        assert_eq!(grid.names(grid.cell(i), &ids), ("b", "closed"));
        assert_eq!(grid.cell(i).kind, Kind::TimeLimit);
        assert_eq!(grid.find("x", "closed", "down", &ids), None);
    }
}
