//! The open cases at a date, as a case list a scenario can start from
//! (`[initial] cases = "open-cases.csv"`): one row per child with an open
//! spell that day, giving its `place`, its `age` in years and
//! `years_on_place` (time since the spell started).

use std::io;
use std::path::Path;

use chrono::NaiveDate;

use super::codes::{Place, Places};
use super::history::{History, years_between};
use crate::results::csv::{csv_writer, finish_csv, number};
use crate::scenario::{CaseList, ListedCase};

/// Header of `open-cases.csv`, the case-list format.
pub const HEADER: [&str; 3] = ["place", "age", "years_on_place"];

/// One open case.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OpenCase {
    /// Where the child is.
    pub place: Place,
    /// Age on the day (years).
    pub age: f64,
    /// Years since the spell started.
    pub years_on_place: f64,
}

/// The cases open on `day`: spells that started on or before it and end
/// after it (or are open at the extract date), of children younger than
/// the exit age; in the order of the ladder (assessment first), then of
/// the records.
pub fn open_on(history: &History, day: NaiveDate) -> Vec<OpenCase> {
    let mut cases: Vec<OpenCase> = history
        .episodes
        .iter()
        .filter(|e| e.start <= day && e.end.is_none_or(|end| end > day))
        .filter(|e| day < history.exit_day(e.child))
        .map(|e| OpenCase {
            place: e.place,
            // Days / 365.25 may read the day before the exit birthday as
            // the exit age itself: keep ages below it.
            age: history.age(e.child, day).min(history.exit_age - 1e-4),
            years_on_place: years_between(e.start, day),
        })
        .collect();
    cases.sort_by_key(|c| c.place);
    cases
}

/// `cases` as a scenario's case list held in memory (no file), for a
/// simulation that starts from them (`trappe backtest`); `source` names
/// them in descriptions ("open cases on 2021-01-01").
pub fn case_list(cases: &[OpenCase], source: &str) -> CaseList {
    CaseList {
        source: source.to_string(),
        cases: cases
            .iter()
            .map(|c| ListedCase {
                slot: match c.place {
                    Place::Assessment => 0,
                    Place::Rung(r) => r + 1,
                },
                age: c.age,
                years_on_place: c.years_on_place,
            })
            .collect(),
    }
}

/// Ages and durations cut to 4 decimals (under an hour; down, so an age
/// stays below the exit age): days are what records hold. A scenario
/// started from the list in memory uses the same values as one that reads
/// the file.
pub fn cut(x: f64) -> f64 {
    (x * 1e4).floor() / 1e4
}

fn rounded(x: f64) -> String {
    number(cut(x))
}

/// Write `cases` as a case list at `path`.
pub fn write(cases: &[OpenCase], places: &Places, path: &Path) -> io::Result<()> {
    let mut w = csv_writer(path)?;
    w.write_record(HEADER)?;
    for c in cases {
        w.write_record([
            places.name(c.place),
            &rounded(c.age),
            &rounded(c.years_on_place),
        ])?;
    }
    finish_csv(w)
}
