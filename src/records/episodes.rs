//! Episodes: one row per spell of a child on one place, as read from a file
//! before the spells are checked against each other.
//!
//! Two file formats give the same [`RawEpisode`]s: trappe's generic
//! `episodes.csv` (read here) and England's SSDA903 return
//! ([`super::ssda903`]). Each raw episode remembers the cell every value
//! came from, so the checks in [`super::history`] that compare spells can
//! still name the file, line and column of the mistake.

use chrono::NaiveDate;

use crate::input::{Field, LocatedProblem, Location, Table};

/// Columns of the generic `episodes.csv`, required ones first.
pub const REQUIRED: [&str; 5] = ["child_id", "birth_date", "place", "start", "end"];
/// Optional columns of the generic `episodes.csv`.
pub const OPTIONAL: [&str; 1] = ["end_reason"];

/// Why a spell ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EndReason {
    /// The child went on to another spell that starts the day this ends.
    Moved,
    /// The case ended.
    Closed,
    /// The child reached the exit age (18th birthday).
    AgedOut,
}

impl EndReason {
    /// The word used in files (`moved`, `closed`, `aged_out`).
    pub fn word(self) -> &'static str {
        match self {
            EndReason::Moved => "moved",
            EndReason::Closed => "closed",
            EndReason::AgedOut => "aged_out",
        }
    }

    /// The reason a word names.
    pub fn from_word(word: &str) -> Option<Self> {
        [EndReason::Moved, EndReason::Closed, EndReason::AgedOut]
            .into_iter()
            .find(|r| r.word() == word)
    }
}

/// Where a value came from: a cell of an input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// The place in the file.
    pub location: Location,
    /// The column's name as the file spells it.
    pub column: String,
}

impl Cell {
    /// A problem at this cell.
    pub fn problem(&self, message: impl Into<String>) -> LocatedProblem {
        LocatedProblem {
            location: self.location.clone(),
            field: Some(Field::Column(self.column.clone())),
            message: message.into(),
        }
    }

    /// The cell at row `row`, column `column` of `table`.
    pub fn of(table: &Table, row: usize, column: usize) -> Self {
        let p = table.at(row, column, "");
        Self {
            location: p.location,
            column: table.columns[column].clone(),
        }
    }
}

/// One spell as read, every value parsed as far as its own cell allows
/// (`None` where the cell was wrong, its problem already recorded).
#[derive(Debug, Clone)]
pub struct RawEpisode {
    /// The child's identifier.
    pub child: String,
    /// Birth date.
    pub birth: Option<NaiveDate>,
    /// Place code, as written.
    pub code: String,
    /// First day on the place.
    pub start: Option<NaiveDate>,
    /// Day the spell ended; `None` = open at the extract date.
    pub end: Option<NaiveDate>,
    /// Why it ended, when the file says.
    pub reason: Option<EndReason>,
    /// Where each value came from.
    pub at: EpisodeCells,
}

/// The cells of one raw episode's values.
#[derive(Debug, Clone)]
pub struct EpisodeCells {
    /// Child id.
    pub child: Cell,
    /// Birth date (in SSDA903, the header file's cell).
    pub birth: Cell,
    /// Place code.
    pub place: Cell,
    /// Start date.
    pub start: Cell,
    /// End date.
    pub end: Cell,
    /// End reason (the end cell where the file has no such column).
    pub reason: Cell,
}

impl EpisodeCells {
    /// The cells of row `row` (0-based, after the header) of a generic
    /// episodes file named `file` with the columns in the order of
    /// [`REQUIRED`] then [`OPTIONAL`], as trappe writes it: for records
    /// made in memory, so that a problem names the line the spell has
    /// once written.
    pub fn written(file: &str, row: usize) -> Self {
        let cell = |column: &str| Cell {
            location: Location::Position {
                file: file.to_string(),
                line: row + 2,
                column: 1,
            },
            column: column.to_string(),
        };
        let [child, birth, place, start, end] = REQUIRED.map(cell);
        let [reason] = OPTIONAL.map(cell);
        Self {
            child,
            birth,
            place,
            start,
            end,
            reason,
        }
    }
}

/// A date cell: `None` (with a problem) when it is not a date in `format`
/// (`%Y-%m-%d` or `%d/%m/%Y`, described to the user as `shown`).
pub fn date_cell(
    text: &str,
    format: &str,
    shown: &str,
    cell: impl FnOnce() -> Cell,
    problems: &mut Vec<LocatedProblem>,
) -> Option<NaiveDate> {
    match NaiveDate::parse_from_str(text, format) {
        Ok(d) => Some(d),
        Err(_) => {
            problems.push(cell().problem(format!("{text:?} is not a date written {shown}")));
            None
        }
    }
}

/// Read a generic `episodes.csv` table into raw episodes; cell problems
/// (empty required cells, bad dates, unknown end reasons, missing columns)
/// go to `problems`.
pub fn read_generic(table: &Table, problems: &mut Vec<LocatedProblem>) -> Vec<RawEpisode> {
    let found = table.columns(&REQUIRED, &OPTIONAL, false, problems);
    let Some(cols) = found[..REQUIRED.len()]
        .iter()
        .copied()
        .collect::<Option<Vec<usize>>>()
    else {
        return Vec::new(); // missing columns: reported, nothing more to read
    };
    let (child, birth, place, start, end) = (cols[0], cols[1], cols[2], cols[3], cols[4]);
    let reason = found[REQUIRED.len()];
    let iso = |r: usize, c: usize, required: bool, problems: &mut Vec<LocatedProblem>| {
        let text = &table.rows[r].cells[c];
        if text.is_empty() {
            if required {
                problems.push(table.at(r, c, "is empty; a date (YYYY-MM-DD) is required"));
            }
            return None;
        }
        date_cell(
            text,
            "%Y-%m-%d",
            "YYYY-MM-DD",
            || Cell::of(table, r, c),
            problems,
        )
    };
    let mut episodes = Vec::with_capacity(table.rows.len());
    for (r, row) in table.rows.iter().enumerate() {
        for c in [child, place] {
            if row.cells[c].is_empty() {
                problems.push(table.at(r, c, "is empty"));
            }
        }
        let reason_value = reason.and_then(|c| {
            let word = &row.cells[c];
            if word.is_empty() {
                return None;
            }
            let found = EndReason::from_word(word);
            if found.is_none() {
                problems.push(table.at(
                    r,
                    c,
                    format!("{word:?} is not an end reason: moved, closed, aged_out or empty"),
                ));
            }
            found
        });
        episodes.push(RawEpisode {
            child: row.cells[child].clone(),
            birth: iso(r, birth, true, problems),
            code: row.cells[place].clone(),
            start: iso(r, start, true, problems),
            end: iso(r, end, false, problems),
            reason: reason_value,
            at: EpisodeCells {
                child: Cell::of(table, r, child),
                birth: Cell::of(table, r, birth),
                place: Cell::of(table, r, place),
                start: Cell::of(table, r, start),
                end: Cell::of(table, r, end),
                reason: Cell::of(table, r, reason.unwrap_or(end)),
            },
        });
    }
    episodes
}
