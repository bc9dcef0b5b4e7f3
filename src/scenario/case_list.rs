//! A start state from a case list (model version 2, docs/model.md "Start
//! state from a case list"): `[initial] cases = "open-cases.csv"` names a
//! CSV file of the open cases at time 0, one per row, with columns `place`
//! (`assessment` or a rung id), `age` (years) and optionally
//! `years_on_place` (years already spent there; empty = 0).
//!
//! A municipality knows its open cases, their ages and how long they have
//! been placed, so it can start from them instead of counts with random
//! ages. Every bad cell is reported at once, at its file, line and column.

use std::path::Path;

use super::file::ScenarioFile;
use crate::format::ENGLISH;
use crate::input::{Field, LocatedProblem, Source};

/// The columns a case list may have, in the order they are written back.
pub const COLUMNS: [&str; 3] = ["place", "age", "years_on_place"];

/// One open case at time 0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ListedCase {
    /// Place slot: 0 = `assessment`, rung *i* = *i* + 1.
    pub slot: usize,
    /// Age at time 0, in years (below `exit_age`).
    pub age: f64,
    /// Years already spent on the place (under assessment: since the
    /// referral), ≥ 0.
    pub years_on_place: f64,
}

/// A case list, read and checked against the ladder.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseList {
    /// The path it was read from, relative to the working folder (for
    /// messages, descriptions, and rebuilding the scenario from text).
    pub source: String,
    /// The cases in file order.
    pub cases: Vec<ListedCase>,
}

/// Why a case list could not be used.
#[derive(Debug, Clone, PartialEq)]
pub enum CaseListError {
    /// The file cannot be read at all (a problem of `initial.cases`).
    Unreadable(String),
    /// Rows or the header are wrong, each problem at its place in the file.
    Content(Vec<LocatedProblem>),
}

impl CaseList {
    /// Read the case list at `path` (shown as `name`) for the ladder and
    /// `exit_age` of `file`.
    pub fn read(path: &Path, name: &str, file: &ScenarioFile) -> Result<Self, CaseListError> {
        let source = Source::read(path).map_err(|e| {
            CaseListError::Unreadable(format!(
                "cannot read the case list '{name}': {}",
                e.problems
                    .first()
                    .map_or_else(String::new, |p| p.message.clone())
            ))
        })?;
        let source = Source {
            name: name.to_string(),
            text: source.text,
        };
        parse(&source, file)
    }

    /// The cases at each place slot (`assessment`, then the rungs), for
    /// descriptions and workload estimates.
    pub fn counts(&self, rungs: usize) -> Vec<u32> {
        let mut counts = vec![0; rungs + 1];
        for c in &self.cases {
            counts[c.slot] += 1;
        }
        counts
    }

    /// The list as CSV text with every column, as `scenario.toml`'s copy
    /// beside the results (every digit, so it reads back the same).
    pub fn to_csv(&self, file: &ScenarioFile) -> String {
        let mut out = COLUMNS.join(",");
        out.push('\n');
        for c in &self.cases {
            let place = match c.slot {
                0 => "assessment",
                s => file.steps[s - 1].id.as_str(),
            };
            out.push_str(&format!(
                "{place},{},{}\n",
                ENGLISH.exact(c.age),
                ENGLISH.exact(c.years_on_place)
            ));
        }
        out
    }
}

fn parse(source: &Source, file: &ScenarioFile) -> Result<CaseList, CaseListError> {
    let mut problems = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(source.text.as_bytes());
    let mut records = reader.records();
    let cell = |record: &csv::StringRecord, k: usize| -> usize {
        // Byte offset of field k in the file (exact for unquoted fields).
        let start = record.position().map_or(0, |p| p.byte() as usize);
        start + (0..k).map(|j| record[j].len() + 1).sum::<usize>()
    };
    let problem = |offset: usize, column: &str, message: String| LocatedProblem {
        location: source.location(offset),
        field: Some(Field::Column(column.to_string())),
        message,
    };
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => {
            return Err(CaseListError::Content(vec![LocatedProblem {
                location: source.location(e.position().map_or(0, |p| p.byte() as usize)),
                field: None,
                message: format!("not a CSV file: {e}"),
            }]));
        }
        None => {
            return Err(CaseListError::Content(vec![LocatedProblem {
                location: source.location(0),
                field: None,
                message: "the case list is empty: it needs a header row \
                          (place,age,years_on_place)"
                    .into(),
            }]));
        }
    };
    let mut at = [None; 3];
    for (k, name) in header.iter().enumerate() {
        let name = name.trim();
        match COLUMNS.iter().position(|c| *c == name) {
            Some(c) if at[c].is_none() => at[c] = Some(k),
            Some(_) => problems.push(problem(
                cell(&header, k),
                name,
                "this column appears twice".into(),
            )),
            None => problems.push(problem(
                cell(&header, k),
                name,
                format!("unknown column, expected {}", COLUMNS.join(", ")),
            )),
        }
    }
    for required in [0, 1] {
        if at[required].is_none() {
            problems.push(LocatedProblem {
                location: source.location(0),
                field: Some(Field::Column(COLUMNS[required].into())),
                message: format!(
                    "the header row has no '{}' column (a header row is required: \
                     place,age,years_on_place)",
                    COLUMNS[required]
                ),
            });
        }
    }
    if !problems.is_empty() {
        return Err(CaseListError::Content(problems));
    }
    let exit_age = file.scenario.exit_age;
    let places: Vec<&str> = std::iter::once("assessment")
        .chain(file.steps.iter().map(|r| r.id.as_str()))
        .collect();
    let mut cases = Vec::new();
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(LocatedProblem {
                    location: source.location(e.position().map_or(0, |p| p.byte() as usize)),
                    field: None,
                    message: format!("not a CSV row: {e}"),
                });
                continue;
            }
        };
        if record.iter().all(|f| f.trim().is_empty()) {
            continue; // a blank line
        }
        if record.len() != header.len() {
            problems.push(LocatedProblem {
                location: source.location(cell(&record, 0)),
                field: None,
                message: format!(
                    "has {} fields, but the header has {}",
                    record.len(),
                    header.len()
                ),
            });
            continue;
        }
        let field = |c: usize| at[c].map(|k| (record[k].trim(), cell(&record, k)));
        let mut ok = true;
        let (place, offset) = field(0).expect("checked above");
        let slot = places.iter().position(|p| *p == place);
        if slot.is_none() {
            problems.push(problem(
                offset,
                "place",
                format!(
                    "'{place}' is not a place: use 'assessment' or a rung id ({})",
                    places[1..].join(", ")
                ),
            ));
            ok = false;
        } else if slot == Some(0) && file.intake.entry.is_empty() {
            problems.push(problem(
                offset,
                "place",
                "a case under assessment needs intake.entry (where assessed cases go)".into(),
            ));
            ok = false;
        }
        let mut number = |c: usize, empty: Option<f64>, max: f64, what: &str| {
            let (text, offset) = field(c)?;
            let value = match (text.parse::<f64>(), empty) {
                (_, Some(default)) if text.is_empty() => default,
                (Ok(v), _) if v.is_finite() && v >= 0.0 && v < max => v,
                _ => {
                    problems.push(problem(offset, COLUMNS[c], format!("{what}, got '{text}'")));
                    ok = false;
                    return None;
                }
            };
            Some(value)
        };
        let age = number(
            1,
            None,
            exit_age,
            &format!(
                "must be an age in years, at least 0 and below scenario.exit_age ({})",
                ENGLISH.exact(exit_age)
            ),
        );
        let years = number(
            2,
            Some(0.0),
            f64::INFINITY,
            "must be a number of years, 0 or more (or empty for 0)",
        )
        .unwrap_or(0.0);
        if ok && let (Some(slot), Some(age)) = (slot, age) {
            cases.push(ListedCase {
                slot,
                age,
                years_on_place: years,
            });
        }
    }
    if problems.is_empty() {
        Ok(CaseList {
            source: source.name.clone(),
            cases,
        })
    } else {
        Err(CaseListError::Content(problems))
    }
}
