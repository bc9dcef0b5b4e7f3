//! Writing a run's results: `summary.csv`, `replications.csv`,
//! `scenario.toml` and `run.json` (MODEL.md section 4).
//!
//! Files are first written into a staging folder inside the output folder
//! and only renamed into place once all of them are complete, so a failed
//! or interrupted run never leaves a half-written result next to good ones.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use serde::Serialize;

use super::Results;

/// Header of `summary.csv`.
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

/// `run.json`: provenance and the engine's work measures.
#[derive(Debug, Serialize)]
struct RunInfo<'a> {
    version: &'a str,
    scenario: &'a str,
    seed: u64,
    replications: usize,
    threads: usize,
    events: u64,
    case_years: f64,
    wall_seconds: f64,
    events_per_second: f64,
    case_years_per_second: f64,
}

/// Format a number the same way on every platform: shortest round-trip
/// decimal, integers without a fraction.
pub fn number(x: f64) -> String {
    if x == 0.0 {
        "0".into() // no "-0"
    } else {
        format!("{x}")
    }
}

/// Write all result files of `results` into `dir` (created if missing).
pub fn write_run(results: &Results, dir: &Path, threads: usize) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    let staging = tempfile::Builder::new()
        .prefix(".trappe-staging-")
        .tempdir_in(dir)?;
    let stage = staging.path();
    write_summary(results, &stage.join("summary.csv"))?;
    write_replications(results, &stage.join("replications.csv"))?;
    fs::write(stage.join("scenario.toml"), results.scenario.to_toml())?;
    let info = RunInfo {
        version: env!("CARGO_PKG_VERSION"),
        scenario: results.scenario.name(),
        seed: results.scenario.settings().seed,
        replications: results.replications(),
        threads,
        events: results.events,
        case_years: results.case_years,
        wall_seconds: results.wall_seconds,
        events_per_second: results.events as f64 / results.wall_seconds.max(1e-9),
        case_years_per_second: results.case_years / results.wall_seconds.max(1e-9),
    };
    let json = serde_json::to_string_pretty(&info).map_err(io::Error::other)?;
    fs::write(stage.join("run.json"), json + "\n")?;
    for name in [
        "summary.csv",
        "replications.csv",
        "scenario.toml",
        "run.json",
    ] {
        fs::rename(stage.join(name), dir.join(name))?;
    }
    Ok(())
}

fn csv_writer(path: &Path) -> io::Result<csv::Writer<BufWriter<fs::File>>> {
    Ok(csv::Writer::from_writer(BufWriter::new(fs::File::create(
        path,
    )?)))
}

fn write_summary(results: &Results, path: &Path) -> io::Result<()> {
    let mut w = csv_writer(path)?;
    w.write_record(SUMMARY_HEADER)?;
    let rows = results.layout.len();
    for (i, s) in results.summaries().iter().enumerate() {
        let period = &results.periods[i / rows];
        let row = &results.layout.rows[i % rows];
        w.write_record([
            period.index.to_string(),
            period.start.to_string(),
            period.end.to_string(),
            row.metric.name().to_string(),
            row.step_name.clone(),
            number(s.mean),
            number(s.sd),
            number(s.ci95_low),
            number(s.ci95_high),
            number(s.p05),
            number(s.p50),
            number(s.p95),
        ])?;
    }
    w.into_inner().map_err(|e| e.into_error())?.flush()
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
    w.into_inner().map_err(|e| e.into_error())?.flush()
}
