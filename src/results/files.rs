//! Writing a run's results into a folder: `summary.csv`,
//! `replications.csv`, `scenario.toml` and `run.json` (MODEL.md section 4),
//! and the CSV helpers every results table is written with.
//!
//! Writers fill a folder that is not yet visible to readers (a
//! [`super::Publication`]'s staging folder, or a sub-folder of one), so none
//! of them needs to care about half-written files.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use super::Results;
use super::folder::{REPLICATIONS_CSV, SCENARIO_TOML, SUMMARY_CSV};
use super::run_info::{RunInfo, RunKind};

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

/// Format a number the same way on every platform: shortest round-trip
/// decimal, integers without a fraction. Every number in a results CSV goes
/// through here.
pub fn number(x: f64) -> String {
    if x == 0.0 {
        "0".into() // no "-0"
    } else {
        format!("{x}")
    }
}

/// A buffered CSV file.
pub type CsvFile = csv::Writer<BufWriter<fs::File>>;

/// Create the CSV file `path`.
pub fn csv_writer(path: &Path) -> io::Result<CsvFile> {
    Ok(csv::Writer::from_writer(BufWriter::new(fs::File::create(
        path,
    )?)))
}

/// Flush a CSV file to disk, reporting any error.
pub fn finish_csv(w: CsvFile) -> io::Result<()> {
    w.into_inner().map_err(|e| e.into_error())?.flush()
}

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

    /// One row per period × layout row of `results`, each starting with
    /// `lead` (as many values as the header's leading columns).
    pub fn write(&mut self, lead: &[String], results: &Results) -> io::Result<()> {
        let rows = results.layout.len();
        for (i, s) in results.summaries().iter().enumerate() {
            let period = &results.periods[i / rows];
            let row = &results.layout.rows[i % rows];
            let mut record: Vec<String> = lead.to_vec();
            record.extend([
                period.index.to_string(),
                period.start.to_string(),
                period.end.to_string(),
                row.metric.name().to_string(),
                row.step_name.clone(),
            ]);
            record.extend([s.mean, s.sd, s.ci95_low, s.ci95_high, s.p05, s.p50, s.p95].map(number));
            self.csv.write_record(&record)?;
        }
        Ok(())
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
    super::totals::Totals::from_results(results).write(&dir.join(super::totals::TOTALS_CSV))?;
    fs::write(dir.join(SCENARIO_TOML), results.scenario.to_toml())?;
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
