//! The results contract (docs/model.md section 8): per-replication values, their
//! summaries over replications, and the folders every command writes.
//!
//! One writer for every results folder: [`Publication`] builds a folder in
//! staging and swaps it in whole; [`files`] writes the tables; [`RunInfo`]
//! is the one `run.json`; [`folder`] names the files and tells the kinds of
//! folder apart.

pub mod calendar;
pub mod csv;
pub mod files;
pub mod folder;
mod publish;
pub mod read;
pub mod run_info;
pub mod stats;
pub mod totals;
pub mod transitions;

use std::io;
use std::path::PathBuf;

use chrono::NaiveDate;

pub use csv::number;
pub use files::{SUMMARY_HEADER, write_run};
pub use publish::Publication;
pub use run_info::{RunInfo, RunKind};

use crate::metrics::{Layout, Metric};
use crate::model::ReplicationOutput;
use crate::scenario::{InputError, Scenario};
use stats::{Summary, summarize, t975};

/// One reporting period.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodInfo {
    /// 1-based index.
    pub index: usize,
    /// First day.
    pub start: NaiveDate,
    /// Day after the last (exclusive end).
    pub end: NaiveDate,
}

/// The outcome of running replications of one scenario.
#[derive(Debug, Clone)]
pub struct Results {
    /// The scenario as run.
    pub scenario: Scenario,
    /// Row layout of each period.
    pub layout: Layout,
    /// Reporting periods.
    pub periods: Vec<PeriodInfo>,
    /// Index of the first replication held (non-zero for a shard).
    pub first_replication: u64,
    /// Replication-major values: replication *r*, period *k*, row *j* at
    /// `(r × periods + k) × rows + j`.
    pub values: Vec<f64>,
    /// Replication-major transition counts: replication *r*, period *k*,
    /// cell *c* of [`crate::transitions::Grid`] at `(r × periods + k) ×
    /// cells + c`; empty when the replications did not keep them (a sweep
    /// point read back from its values).
    pub transitions: Vec<u32>,
    /// With age bands, the by-age values laid out like `values` over the
    /// rows of `layout.by_age`; empty without age bands (and for results
    /// rebuilt from files that do not keep them).
    pub age_values: Vec<f64>,
    /// Events handled, over all replications.
    pub events: u64,
    /// Case-years simulated (warm-up included), over all replications.
    pub case_years: f64,
    /// Wall-clock time of the simulation.
    pub wall_seconds: f64,
}

impl Results {
    /// Gather replication outputs (in replication order).
    pub fn new(
        scenario: Scenario,
        layout: Layout,
        first_replication: u64,
        outputs: Vec<ReplicationOutput>,
        wall_seconds: f64,
    ) -> Self {
        let s = scenario.settings();
        let periods = calendar::period_dates(
            scenario.start,
            s.period.months(),
            s.horizon_years,
            scenario.period_count(),
        )
        .into_iter()
        .enumerate()
        .map(|(k, (start, end))| PeriodInfo {
            index: k + 1,
            start,
            end,
        })
        .collect();
        let events = outputs.iter().map(|o| o.events).sum();
        let case_years = outputs.iter().map(|o| o.case_years).sum();
        let transitions = if outputs.iter().all(|o| !o.transitions.is_empty()) {
            outputs
                .iter()
                .flat_map(|o| o.transitions.iter().copied())
                .collect()
        } else {
            Vec::new()
        };
        let mut values = Vec::new();
        let mut age_values = Vec::new();
        for o in outputs {
            values.extend(o.values);
            age_values.extend(o.by_age);
        }
        Self {
            scenario,
            layout,
            periods,
            first_replication,
            values,
            transitions,
            age_values,
            events,
            case_years,
            wall_seconds,
        }
    }

    /// Number of replications held.
    pub fn replications(&self) -> usize {
        self.values.len() / (self.periods.len() * self.layout.len()).max(1)
    }

    /// The value of layout row `row` in period `period` (0-based) of the
    /// `r`-th replication held.
    pub fn value(&self, r: usize, period: usize, row: usize) -> f64 {
        self.values[(r * self.periods.len() + period) * self.layout.len() + row]
    }

    /// All replications' values of one row in one period.
    pub fn column(&self, period: usize, row: usize) -> Vec<f64> {
        (0..self.replications())
            .map(|r| self.value(r, period, row))
            .collect()
    }

    /// Summaries for every period × row, period-major.
    pub fn summaries(&self) -> Vec<Summary> {
        let n = self.replications();
        let t = if n > 1 { t975(n - 1) } else { f64::NAN };
        (0..self.periods.len())
            .flat_map(|k| (0..self.layout.len()).map(move |j| (k, j)))
            .map(|(k, j)| summarize(&self.column(k, j), t))
            .collect()
    }

    /// With age bands: the by-age layout and, per period × by-age row
    /// (period-major), the summary over replications; `None` when the
    /// results hold no by-age values.
    pub fn age_summaries(&self) -> Option<(&crate::metrics::AgeLayout, Vec<Summary>)> {
        let layout = self.layout.by_age.as_ref()?;
        if self.age_values.is_empty() {
            return None;
        }
        let (rows, periods) = (layout.len(), self.periods.len());
        let n = self.replications();
        let t = if n > 1 { t975(n - 1) } else { f64::NAN };
        let summaries = (0..periods * rows)
            .map(|i| {
                let column: Vec<f64> = (0..n)
                    .map(|r| self.age_values[r * periods * rows + i])
                    .collect();
                summarize(&column, t)
            })
            .collect();
        Some((layout, summaries))
    }

    /// Summary of one metric (`step` = rung id, `assessment`, cost
    /// component, or `""` for team-wide) in one period (0-based).
    pub fn summary(&self, metric: Metric, step: &str, period: usize) -> Option<Summary> {
        let row = self.layout.find(metric, step)?;
        let n = self.replications();
        let t = if n > 1 { t975(n - 1) } else { f64::NAN };
        Some(summarize(&self.column(period, row), t))
    }

    /// The highest placement rung's id (the "institution" of a ladder).
    pub fn top_placement(&self) -> Option<&str> {
        self.scenario
            .params
            .steps
            .iter()
            .rev()
            .find(|r| r.placement)
            .map(|r| r.id.as_str())
    }
}

/// Why saved results could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// A file could not be opened or read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
    /// A CSV file is malformed.
    #[error("{}: {source}", path.display())]
    Csv {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: ::csv::Error,
    },
    /// A file is well-formed but its content is not what trappe writes.
    #[error("{}, line {line}: {message}", path.display())]
    Content {
        /// The file.
        path: PathBuf,
        /// 1-based line (the header is line 1).
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// The saved `scenario.toml` does not load.
    #[error("{0}")]
    Scenario(#[from] InputError),
}

/// One row of a period's summary: a metric for a step (`""` for team-wide
/// metrics).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowKey {
    /// What is measured.
    pub metric: Metric,
    /// The `step` column (rung id, `assessment`, cost component or `""`).
    pub step: String,
}
