//! Reading saved results back from an output folder, so plots and reports
//! can be redrawn without re-simulating (`trappe plot DIR`, `trappe report
//! DIR`).
//!
//! A run folder is read from its `summary.csv` (the statistics over
//! replications) and its `scenario.toml` (the resolved scenario, loaded and
//! validated again). The same [`RunSummary`] is built in memory straight
//! from [`Results`] after a simulation, so plots and reports have one input
//! type whichever way the numbers arrived.

use std::path::Path;

use chrono::NaiveDate;

use super::csv::{content_error, read_records, summary_at};
pub use super::folder::SavedKind;
use super::folder::{SCENARIO_TOML, SUMMARY_CSV};
use super::run_info::RunInfo;
use super::stats::Summary;
use super::{PeriodInfo, Results, SUMMARY_HEADER};
pub use super::{ReadError, RowKey};
use crate::metrics::Metric;
use crate::scenario::Scenario;

/// Summaries over replications of every row in every period: the content
/// of `summary.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryTable {
    /// Reporting periods.
    pub periods: Vec<PeriodInfo>,
    /// Rows of each period, in output order.
    pub rows: Vec<RowKey>,
    /// Period-major summaries: period *k*, row *j* at `k × rows + j`.
    pub values: Vec<Summary>,
}

impl SummaryTable {
    /// Summaries of simulated results.
    pub fn from_results(results: &Results) -> Self {
        Self {
            periods: results.periods.clone(),
            rows: results
                .layout
                .rows
                .iter()
                .map(|r| RowKey {
                    metric: r.metric,
                    step: r.step_name.clone(),
                })
                .collect(),
            values: results.summaries(),
        }
    }

    /// Read a `summary.csv` as `trappe run` writes it.
    pub fn read(path: &Path) -> Result<Self, ReadError> {
        let content = |line: u64, message: String| content_error(path, line, message);
        let records = read_records(path, &SUMMARY_HEADER)?;
        let mut table = SummaryTable {
            periods: Vec::new(),
            rows: Vec::new(),
            values: Vec::new(),
        };
        for record in records {
            let (line, record) = record?;
            let field = |c: usize| record.get(c).unwrap_or("");
            let index: usize = field(0)
                .parse()
                .map_err(|_| content(line, format!("bad period '{}'", field(0))))?;
            let date = |c: usize| {
                NaiveDate::parse_from_str(field(c), "%Y-%m-%d")
                    .map_err(|_| content(line, format!("bad date '{}'", field(c))))
            };
            let metric = Metric::from_name(field(3))
                .ok_or_else(|| content(line, format!("unknown metric '{}'", field(3))))?;
            let key = RowKey {
                metric,
                step: field(4).to_owned(),
            };
            let summary = summary_at(&record, 5).map_err(|m| content(line, m))?;
            match table.periods.last() {
                Some(p) if p.index == index => {}
                last => {
                    if index != last.map_or(1, |p| p.index + 1) {
                        return Err(content(line, format!("period {index} out of order")));
                    }
                    table.periods.push(PeriodInfo {
                        index,
                        start: date(1)?,
                        end: date(2)?,
                    });
                }
            }
            if table.periods.len() == 1 {
                table.rows.push(key);
            } else {
                let j = table.values.len() % table.rows.len().max(1);
                if table.rows.get(j) != Some(&key) {
                    return Err(content(
                        line,
                        "rows differ from the first period's rows".into(),
                    ));
                }
            }
            table.values.push(summary);
        }
        if table.values.is_empty() || table.values.len() != table.periods.len() * table.rows.len() {
            return Err(content(
                1,
                "incomplete summary (no rows, or a period cut short)".into(),
            ));
        }
        Ok(table)
    }

    /// Index of the row for `metric` and `step`.
    pub fn row(&self, metric: Metric, step: &str) -> Option<usize> {
        self.rows
            .iter()
            .position(|r| r.metric == metric && r.step == step)
    }

    /// The summary of `metric`/`step` in period `period` (0-based).
    pub fn get(&self, metric: Metric, step: &str, period: usize) -> Option<&Summary> {
        let row = self.row(metric, step)?;
        self.values.get(period * self.rows.len() + row)
    }

    /// The mean of `metric`/`step` in each period (0 where the row is
    /// absent).
    pub fn means(&self, metric: Metric, step: &str) -> Vec<f64> {
        (0..self.periods.len())
            .map(|k| self.get(metric, step, k).map_or(0.0, |s| s.mean))
            .collect()
    }
}

/// A scenario and the summaries of its replications: what plots and
/// reports of one run are drawn from.
#[derive(Debug, Clone)]
pub struct RunSummary {
    /// The resolved scenario as run.
    pub scenario: Scenario,
    /// Statistics over replications.
    pub table: SummaryTable,
    /// Number of replications summarised.
    pub replications: usize,
    /// Totals per calendar year and for the whole run (`None` for a folder
    /// written before trappe had `totals.csv`).
    pub totals: Option<super::totals::Totals>,
    /// Moves by origin, destination and kind (`None` for a folder written
    /// before trappe had `transitions.csv`).
    pub transitions: Option<super::transitions::TransitionTable>,
}

impl RunSummary {
    /// Summarise simulated results.
    pub fn from_results(results: &Results) -> Self {
        Self {
            scenario: results.scenario.clone(),
            table: SummaryTable::from_results(results),
            replications: results.replications(),
            totals: Some(super::totals::Totals::from_results(results)),
            transitions: super::transitions::TransitionTable::from_results(results),
        }
    }

    /// Read a run folder (`summary.csv` and `scenario.toml`).
    pub fn read(dir: &Path) -> Result<Self, ReadError> {
        let scenario = Scenario::load(&dir.join(SCENARIO_TOML), &[])?;
        let table = SummaryTable::read(&dir.join(SUMMARY_CSV))?;
        let totals_path = dir.join(super::totals::TOTALS_CSV);
        let totals = if totals_path.is_file() {
            Some(super::totals::Totals::read(&totals_path, &table.periods)?)
        } else {
            None
        };
        let transitions_path = dir.join(super::folder::TRANSITIONS_CSV);
        let transitions = if transitions_path.is_file() {
            Some(super::transitions::TransitionTable::read(
                &transitions_path,
                &table.periods,
            )?)
        } else {
            None
        };
        let replications = RunInfo::read(dir)
            .map(|info| info.replications)
            .filter(|&n| n > 0)
            .unwrap_or(scenario.settings().replications);
        Ok(Self {
            scenario,
            table,
            replications: usize::try_from(replications).unwrap_or(usize::MAX),
            totals,
            transitions,
        })
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

    /// Length of period `k` (0-based) in years (the last may be shorter).
    pub fn period_years(&self, k: usize) -> f64 {
        let s = self.scenario.settings();
        let p = s.period.years();
        (s.horizon_years - k as f64 * p).clamp(0.0, p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_a_foreign_csv() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("summary.csv");
        std::fs::write(&path, "a,b\n1,2\n").unwrap();
        let err = SummaryTable::read(&path).unwrap_err();
        assert!(err.to_string().contains("expected the header"), "{err}");
    }
}
