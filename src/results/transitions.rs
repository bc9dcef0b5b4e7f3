//! `transitions.csv` (docs/model.md, results): every move between places
//! by period, origin, destination and kind, summarised over replications
//! like `summary.csv`. Written from simulated [`Results`], read back for
//! reports.
//!
//! A (from, to, kind) triple gets a row in every period when it happens at
//! least once in any replication and period; rows are ordered by period,
//! then by the triple's cell index (see [`crate::transitions`]).

use std::io;
use std::path::Path;

use chrono::NaiveDate;

use super::csv::{content_error, csv_writer, finish_csv, read_records, summary_at, summary_cells};
use super::stats::{Summary, summarize, t975};
use super::{PeriodInfo, ReadError, Results};
use crate::transitions::{Grid, Kind};

/// Header of `transitions.csv`.
pub const TRANSITIONS_HEADER: [&str; 13] = [
    "period",
    "period_start",
    "period_end",
    "from",
    "to",
    "kind",
    "mean",
    "sd",
    "ci95_low",
    "ci95_high",
    "p05",
    "p50",
    "p95",
];

impl Results {
    /// The ladder's transition cells.
    pub fn transition_grid(&self) -> Grid {
        Grid::new(self.scenario.params.steps.len())
    }

    /// Whether the replications kept their transition counts.
    pub fn has_transitions(&self) -> bool {
        !self.transitions.is_empty()
    }

    /// How often cell `cell` happened in period `period` (0-based) of the
    /// `r`-th replication held (0 when the counts were not kept).
    pub fn transition(&self, r: usize, period: usize, cell: usize) -> f64 {
        let cells = self.transition_grid().len();
        self.transitions
            .get((r * self.periods.len() + period) * cells + cell)
            .map_or(0.0, |&n| f64::from(n))
    }

    /// The cells that happen at least once in any replication and period,
    /// in output order.
    pub fn used_transition_cells(&self) -> Vec<usize> {
        let cells = self.transition_grid().len();
        let mut used = vec![false; cells];
        for (i, &n) in self.transitions.iter().enumerate() {
            used[i % cells] |= n > 0;
        }
        (0..cells).filter(|&c| used[c]).collect()
    }
}

/// One row of `transitions.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct TransitionRow {
    /// Period (0-based).
    pub period: usize,
    /// `assessment` or a rung id.
    pub from: String,
    /// A rung id, `closed` or `aged_out`.
    pub to: String,
    /// Why the case moved.
    pub kind: Kind,
    /// Statistics over replications of the number of such moves.
    pub summary: Summary,
}

/// The content of `transitions.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct TransitionTable {
    /// Rows in output order.
    pub rows: Vec<TransitionRow>,
}

impl TransitionTable {
    /// Summaries of simulated results (`None` when the replications did
    /// not keep their transition counts).
    pub fn from_results(results: &Results) -> Option<Self> {
        if !results.has_transitions() {
            return None;
        }
        let grid = results.transition_grid();
        let ids = rung_ids(results);
        let cells = results.used_transition_cells();
        let n = results.replications();
        let t = if n > 1 { t975(n - 1) } else { f64::NAN };
        let mut rows = Vec::with_capacity(cells.len() * results.periods.len());
        for k in 0..results.periods.len() {
            for &c in &cells {
                let values: Vec<f64> = (0..n).map(|r| results.transition(r, k, c)).collect();
                let cell = grid.cell(c);
                let (from, to) = grid.names(cell, &ids);
                rows.push(TransitionRow {
                    period: k,
                    from: from.into(),
                    to: to.into(),
                    kind: cell.kind,
                    summary: summarize(&values, t),
                });
            }
        }
        Some(Self { rows })
    }

    /// Write `transitions.csv` to `path`.
    pub fn write(&self, path: &Path, periods: &[PeriodInfo]) -> io::Result<()> {
        let mut w = csv_writer(path)?;
        w.write_record(TRANSITIONS_HEADER)?;
        for row in &self.rows {
            let p = &periods[row.period];
            let s = &row.summary;
            let mut record = vec![
                p.index.to_string(),
                p.start.to_string(),
                p.end.to_string(),
                row.from.clone(),
                row.to.clone(),
                row.kind.name().to_string(),
            ];
            record.extend(summary_cells(s));
            w.write_record(&record)?;
        }
        finish_csv(w)
    }

    /// Read a `transitions.csv` written for `periods`.
    pub fn read(path: &Path, periods: &[PeriodInfo]) -> Result<Self, ReadError> {
        let content = |line: u64, message: String| content_error(path, line, message);
        let mut rows = Vec::new();
        for record in read_records(path, &TRANSITIONS_HEADER)? {
            let (line, record) = record?;
            let field = |c: usize| record.get(c).unwrap_or("");
            let index: usize = field(0)
                .parse()
                .map_err(|_| content(line, format!("bad period '{}'", field(0))))?;
            let period = periods
                .iter()
                .position(|p| p.index == index)
                .ok_or_else(|| content(line, format!("no period {index} in summary.csv")))?;
            for c in [1, 2] {
                NaiveDate::parse_from_str(field(c), "%Y-%m-%d")
                    .map_err(|_| content(line, format!("bad date '{}'", field(c))))?;
            }
            let kind = Kind::from_name(field(5))
                .ok_or_else(|| content(line, format!("unknown kind '{}'", field(5))))?;
            let summary = summary_at(&record, 6).map_err(|m| content(line, m))?;
            rows.push(TransitionRow {
                period,
                from: field(3).into(),
                to: field(4).into(),
                kind,
                summary,
            });
        }
        Ok(Self { rows })
    }
}

/// The ladder's rung ids, in order.
pub fn rung_ids(results: &Results) -> Vec<String> {
    results
        .scenario
        .params
        .steps
        .iter()
        .map(|r| r.id.clone())
        .collect()
}
