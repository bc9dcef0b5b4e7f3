//! The follow-ups file: the day of every completed follow-up (review) of a
//! child. It shows the old practice's follow-up cadence, which is what the
//! hidden need dynamics must be separated from.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::episodes::{Cell, date_cell};
use super::history::History;
use crate::input::{LocatedProblem, Table};

/// Columns of `follow_ups.csv`.
pub const COLUMNS: [&str; 2] = ["child_id", "date"];
/// The columns used of an SSDA903 reviews file (`CHILD, DOB, REVIEW,
/// REVIEW_CODE`; the others are allowed and not used).
pub const SSDA903_COLUMNS: [&str; 2] = ["CHILD", "REVIEW"];

/// How a follow-ups file is written: its child and date columns, whether
/// other columns are allowed, and its date format (strftime, as shown).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// Child id and date columns.
    pub columns: [&'static str; 2],
    /// Whether columns beyond those are allowed.
    pub others: bool,
    /// Date format: strftime and as shown to users.
    pub dates: (&'static str, &'static str),
}

/// trappe's `follow_ups.csv`.
pub const GENERIC: Layout = Layout {
    columns: COLUMNS,
    others: false,
    dates: ("%Y-%m-%d", "YYYY-MM-DD"),
};

/// An SSDA903 reviews file: each review of a looked-after child is a
/// follow-up.
pub const SSDA903: Layout = Layout {
    columns: SSDA903_COLUMNS,
    others: true,
    dates: ("%d/%m/%Y", "dd/mm/yyyy"),
};

/// One completed follow-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct FollowUp {
    /// Index into [`History::children`].
    pub child: usize,
    /// The day it was done.
    pub date: NaiveDate,
}

/// Read a follow-ups file written as `layout` against the children of `history`: every date
/// valid and not after the extract date, every child one the episodes
/// know. Sorted by child and date.
pub fn read(
    table: &Table,
    layout: Layout,
    history: &History,
    problems: &mut Vec<LocatedProblem>,
) -> Vec<FollowUp> {
    let found = table.columns(&layout.columns, &[], layout.others, problems);
    let (Some(child), Some(date)) = (found[0], found[1]) else {
        return Vec::new();
    };
    let index: HashMap<&str, usize> = history
        .children
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    let mut out = Vec::with_capacity(table.rows.len());
    for (r, row) in table.rows.iter().enumerate() {
        let id = &row.cells[child];
        let known = match index.get(id.as_str()) {
            Some(&k) => Some(k),
            None => {
                let message = if id.is_empty() {
                    "is empty".to_string()
                } else {
                    format!("child {id} has no spell in the episodes file")
                };
                problems.push(table.at(r, child, message));
                None
            }
        };
        let text = &row.cells[date];
        let day = if text.is_empty() {
            let message = format!("is empty; a date ({}) is required", layout.dates.1);
            problems.push(table.at(r, date, message));
            None
        } else {
            let (format, shown) = layout.dates;
            date_cell(text, format, shown, || Cell::of(table, r, date), problems)
        };
        if let Some(d) = day
            && d > history.extract
        {
            problems.push(table.at(
                r,
                date,
                format!(
                    "the follow-up {d} is after the extract date {}",
                    history.extract
                ),
            ));
        }
        if let (Some(child), Some(date)) = (known, day) {
            out.push(FollowUp { child, date });
        }
    }
    out.sort();
    out
}
