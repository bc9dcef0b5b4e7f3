//! Writing a run's results into a folder: `summary.csv`,
//! `replications.csv`, `transitions.csv`, `scenario.toml` and `run.json`
//! (docs/model.md section 8),
//! `parameters.csv` when parameters are uncertain,
//! and the CSV helpers every results table is written with.
//!
//! Writers fill a folder that is not yet visible to readers (a
//! [`super::Publication`]'s staging folder, or a sub-folder of one), so none
//! of them needs to care about half-written files.

use std::fs;
use std::io;
use std::path::Path;

use super::Results;
use super::csv::{CsvFile, csv_writer, finish_csv, number, summary_cells};
use super::folder::{
    INITIAL_CASES_CSV, PARAMETERS_CSV, REPLICATIONS_BY_AGE_CSV, REPLICATIONS_CSV, SCENARIO_TOML,
    SUMMARY_BY_AGE_CSV, SUMMARY_CSV, TRANSITIONS_CSV,
};
use super::run_info::{RunInfo, RunKind};
use crate::model::parameter_draws;

/// Header of `summary.csv`; `sweep.csv` repeats it after its point and
/// parameter columns.
pub const SUMMARY_HEADER: [&str; 12] = [
    "period",
    "period_start",
    "period_end",
    "metric",
    "step",
    "mean",
    "sd",
    "ci95_low",
    "ci95_high",
    "p05",
    "p50",
    "p95",
];

/// The summary table of `summary.csv`, with optional leading columns in
/// front (a sweep's point and parameter values).
pub struct SummaryTableWriter {
    csv: CsvFile,
}

impl SummaryTableWriter {
    /// Create `path` and write the header: `lead` columns, then
    /// [`SUMMARY_HEADER`].
    pub fn create(path: &Path, lead: &[String]) -> io::Result<Self> {
        let mut csv = csv_writer(path)?;
        let mut header = lead.to_vec();
        header.extend(SUMMARY_HEADER.iter().map(|s| (*s).to_string()));
        csv.write_record(&header)?;
        Ok(Self { csv })
    }

    /// Create `summary_by_age.csv` at `path`: [`SUMMARY_HEADER`] with an
    /// `age_band` column after `step` (model version 2).
    pub fn create_by_age(path: &Path) -> io::Result<Self> {
        let mut csv = csv_writer(path)?;
        let mut header: Vec<&str> = SUMMARY_HEADER[..5].to_vec();
        header.push("age_band");
        header.extend(&SUMMARY_HEADER[5..]);
        csv.write_record(&header)?;
        Ok(Self { csv })
    }

    /// One row per period × layout row of `results`, each starting with
    /// `lead` (as many values as the header's leading columns).
    pub fn write(&mut self, lead: &[String], results: &Results) -> io::Result<()> {
        let rows = results.layout.len();
        for (i, s) in results.summaries().iter().enumerate() {
            let row = &results.layout.rows[i % rows];
            let key = [row.metric.name().to_string(), row.step_name.clone()];
            self.record(lead, &results.periods[i / rows], &key, s)?;
        }
        Ok(())
    }

    /// For a table made with [`Self::create_by_age`]: one row per period ×
    /// by-age row of `results` (nothing without age bands).
    pub fn write_by_age(&mut self, results: &Results) -> io::Result<()> {
        let Some((layout, summaries)) = results.age_summaries() else {
            return Ok(());
        };
        let rows = layout.len();
        for (i, s) in summaries.iter().enumerate() {
            let row = &layout.rows[i % rows];
            let key = [
                row.metric.name().to_string(),
                row.step_name.clone(),
                row.band_name.clone(),
            ];
            self.record(&[], &results.periods[i / rows], &key, s)?;
        }
        Ok(())
    }

    /// One row: `lead`, the period, the row's `key` columns, the summary.
    fn record(
        &mut self,
        lead: &[String],
        period: &super::PeriodInfo,
        key: &[String],
        s: &super::stats::Summary,
    ) -> io::Result<()> {
        let mut record: Vec<String> = lead.to_vec();
        record.extend([
            period.index.to_string(),
            period.start.to_string(),
            period.end.to_string(),
        ]);
        record.extend_from_slice(key);
        record.extend(summary_cells(s));
        Ok(self.csv.write_record(&record)?)
    }

    /// Flush the file to disk.
    pub fn finish(self) -> io::Result<()> {
        finish_csv(self.csv)
    }
}

/// Write all result files of `results` into `dir` (created if missing).
pub fn write_run(results: &Results, dir: &Path, threads: usize) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    let mut summary = SummaryTableWriter::create(&dir.join(SUMMARY_CSV), &[])?;
    summary.write(&[], results)?;
    summary.finish()?;
    write_replications(results, &dir.join(REPLICATIONS_CSV))?;
    if let Some(table) = super::transitions::TransitionTable::from_results(results) {
        table.write(&dir.join(TRANSITIONS_CSV), &results.periods)?;
    }
    if results.age_summaries().is_some() {
        let mut by_age = SummaryTableWriter::create_by_age(&dir.join(SUMMARY_BY_AGE_CSV))?;
        by_age.write_by_age(results)?;
        by_age.finish()?;
        write_replications_by_age(results, &dir.join(REPLICATIONS_BY_AGE_CSV))?;
    }
    if !results.scenario.uncertainty.is_empty() {
        write_parameters(results, &dir.join(PARAMETERS_CSV))?;
    }
    super::totals::Totals::from_results(results).write(&dir.join(super::totals::TOTALS_CSV))?;
    write_scenario(dir, &results.scenario)?;
    RunInfo::new(
        RunKind::Run,
        results.scenario.name(),
        results.scenario.settings().seed,
        results.replications() as u64,
    )
    .with_work(
        threads,
        results.events,
        results.case_years,
        results.wall_seconds,
    )
    .write(dir)
}

/// `scenario.toml`, the resolved scenario, so the folder can be rerun and
/// redrawn on its own: with a case list, the list is written beside it as
/// [`INITIAL_CASES_CSV`] (every column, in the results' number format) and
/// `scenario.toml` names that copy.
pub fn write_scenario(dir: &Path, scenario: &crate::scenario::Scenario) -> io::Result<()> {
    let Some(list) = &scenario.initial_cases else {
        return fs::write(dir.join(SCENARIO_TOML), scenario.to_toml());
    };
    fs::write(dir.join(INITIAL_CASES_CSV), list.to_csv(&scenario.file))?;
    let mut copy = scenario.clone();
    copy.file.initial.cases = Some(INITIAL_CASES_CSV.into());
    fs::write(dir.join(SCENARIO_TOML), copy.to_toml())
}

/// `parameters.csv`: replication, path, value for every uncertain
/// parameter (drawn again: the draws are a function of seed, replication
/// and path only).
fn write_parameters(results: &Results, path: &Path) -> io::Result<()> {
    let mut w = csv_writer(path)?;
    w.write_record(["replication", "path", "value"])?;
    for r in 0..results.replications() as u64 {
        let replication = results.first_replication + r;
        let values = parameter_draws::draw(&results.scenario, replication);
        for (p, value) in results.scenario.uncertainty.iter().zip(values) {
            w.write_record([replication.to_string().as_str(), &p.path, &number(value)])?;
        }
    }
    finish_csv(w)
}

fn write_replications(results: &Results, path: &Path) -> io::Result<()> {
    let mut w = csv_writer(path)?;
    w.write_record(["replication", "period", "metric", "step", "value"])?;
    for r in 0..results.replications() {
        let replication = (results.first_replication + r as u64).to_string();
        for (k, period) in results.periods.iter().enumerate() {
            let index = period.index.to_string();
            for (j, row) in results.layout.rows.iter().enumerate() {
                w.write_record([
                    replication.as_str(),
                    index.as_str(),
                    row.metric.name(),
                    row.step_name.as_str(),
                    number(results.value(r, k, j)).as_str(),
                ])?;
            }
        }
    }
    finish_csv(w)
}

/// `replications_by_age.csv` (model version 2): every replication's by-age
/// values, `replication,period,metric,step,age_band,value`.
fn write_replications_by_age(results: &Results, path: &Path) -> io::Result<()> {
    let Some(layout) = &results.layout.by_age else {
        return Ok(());
    };
    let mut w = csv_writer(path)?;
    w.write_record([
        "replication",
        "period",
        "metric",
        "step",
        "age_band",
        "value",
    ])?;
    let (rows, periods) = (layout.len(), results.periods.len());
    for r in 0..results.replications() {
        let replication = (results.first_replication + r as u64).to_string();
        for (k, period) in results.periods.iter().enumerate() {
            let index = period.index.to_string();
            for (j, row) in layout.rows.iter().enumerate() {
                let value = results.age_values[(r * periods + k) * rows + j];
                w.write_record([
                    replication.as_str(),
                    index.as_str(),
                    row.metric.name(),
                    row.step_name.as_str(),
                    row.band_name.as_str(),
                    number(value).as_str(),
                ])?;
            }
        }
    }
    finish_csv(w)
}
