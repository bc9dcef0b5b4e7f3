//! The files of a sweep folder.
//!
//! A complete sweep (run unsharded, or merged from shards) holds:
//! * `sweep.csv`: one row per point × period × metric × step, columns
//!   `point`, one per varied parameter, then the columns of `summary.csv`
//!   (`period, period_start, period_end, metric, step, mean, sd, ci95_low,
//!   ci95_high, p05, p50, p95`), computed by [`crate::results::Results`]
//!   exactly as `trappe run` computes them;
//! * `points.csv`: `point` and one column per varied parameter;
//! * `sweep.json` (design, seed, versions) and `scenario.toml` (the base
//!   scenario);
//! * `values.bin` + `shard.json`: every replication's values (see
//!   [`super::partial`]);
//! * `run.json`: threads, events, case-years and wall time (the only file
//!   that differs between an unsharded run and a merge).
//!
//! A shard folder holds the same minus `sweep.csv`, with only its units in
//! `values.bin`. Everything except `run.json` is a function of the design
//! and the values alone, which is what makes a merge byte-identical.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::partial::{MANIFEST_FILE, VALUES_FILE, ValuesWriter, write_manifest};
use super::shard::{Shard, Unit};
use super::{ShardResult, Sweep, SweepError};
use crate::metrics::Layout;
use crate::model::ReplicationOutput;
use crate::results::Results;
use crate::results::stats::Summary;

/// The columns of `summary.csv` (MODEL.md section 4), which `sweep.csv`
/// repeats after its point and parameter columns.
pub use crate::results::SUMMARY_HEADER as SUMMARY_COLUMNS;
/// Numbers are formatted exactly as in `summary.csv`.
pub use crate::results::number;

/// How the results came about, for `run.json`.
#[derive(Debug, Clone, Serialize)]
pub struct RunInfo {
    /// `sweep`, `shard` or `merge`.
    pub kind: String,
    /// This trappe's version.
    pub trappe_version: String,
    /// `K/N` of a shard (`1/1` for complete results).
    pub shard: String,
    /// Where the shard came from (`--shard`, a Slurm array variable, …).
    pub shard_source: Option<String>,
    /// Folders merged, for a merge.
    pub merged_from: Vec<String>,
    /// Points with values here.
    pub points: usize,
    /// Replications simulated here, over all points.
    pub replications: u64,
    /// Worker threads (0 for a merge).
    pub threads: usize,
    /// Events simulated.
    pub events: u64,
    /// Case-years simulated (warm-up included).
    pub case_years: f64,
    /// Wall-clock seconds (for a merge: the shards' sum).
    pub wall_seconds: f64,
}

impl RunInfo {
    /// Provenance of a shard run (or, with [`Shard::WHOLE`], a whole sweep).
    pub fn of_run(result: &ShardResult, threads: usize, source: Option<String>) -> Self {
        let points: std::collections::BTreeSet<usize> =
            result.units.iter().map(|u| u.unit.point).collect();
        Self {
            kind: if result.shard == Shard::WHOLE && source.is_none() {
                "sweep".into()
            } else {
                "shard".into()
            },
            trappe_version: env!("CARGO_PKG_VERSION").into(),
            shard: result.shard.to_string(),
            shard_source: source,
            merged_from: Vec::new(),
            points: points.len(),
            replications: result
                .units
                .iter()
                .map(|u| u.unit.replications.end - u.unit.replications.start)
                .sum(),
            threads,
            events: result.events(),
            case_years: result.case_years(),
            wall_seconds: result.wall_seconds,
        }
    }
}

/// A point's values as [`Results`] (for summaries and plots).
pub fn point_results(sweep: &Sweep, point: usize, values: Vec<f64>) -> Result<Results, SweepError> {
    let scenario = &sweep.points[point];
    let layout = Layout::new(&scenario.params);
    let per_replication = layout.len() * scenario.period_count();
    let expected = per_replication as u64 * sweep.replications();
    if values.len() as u64 != expected {
        return Err(SweepError::Design(format!(
            "point {} has {} values, expected {expected} ({} replications × {} periods × {} rows)",
            point + 1,
            values.len(),
            sweep.replications(),
            scenario.period_count(),
            layout.len()
        )));
    }
    let outputs = values
        .chunks_exact(per_replication.max(1))
        .map(|c| ReplicationOutput {
            values: c.to_vec(),
            events: 0,
            case_years: 0.0,
        })
        .collect();
    Ok(Results::new(scenario.clone(), layout, 0, outputs, 0.0))
}

/// A staging folder inside `dir`: files are written there and renamed into
/// place at the end, so a failed run never leaves half-written files next
/// to good ones.
struct Staging {
    dir: PathBuf,
    temp: tempfile::TempDir,
    names: Vec<&'static str>,
}

impl Staging {
    fn new(dir: &Path) -> Result<Self, SweepError> {
        let fail = |e| SweepError::io(format!("cannot create {}", dir.display()), e);
        fs::create_dir_all(dir).map_err(fail)?;
        let temp = tempfile::Builder::new()
            .prefix(".trappe-staging-")
            .tempdir_in(dir)
            .map_err(fail)?;
        Ok(Self {
            dir: dir.to_path_buf(),
            temp,
            names: Vec::new(),
        })
    }

    fn path(&mut self, name: &'static str) -> PathBuf {
        self.names.push(name);
        self.temp.path().join(name)
    }

    fn write(&mut self, name: &'static str, text: &str) -> Result<(), SweepError> {
        let path = self.path(name);
        fs::write(&path, text).map_err(|e| self.fail(e))
    }

    fn fail(&self, e: io::Error) -> SweepError {
        SweepError::io(format!("cannot write to {}", self.dir.display()), e)
    }

    fn commit(self) -> Result<(), SweepError> {
        for name in &self.names {
            fs::rename(self.temp.path().join(name), self.dir.join(name))
                .map_err(|e| self.fail(e))?;
        }
        Ok(())
    }
}

fn csv_writer(path: &Path) -> io::Result<csv::Writer<BufWriter<fs::File>>> {
    Ok(csv::Writer::from_writer(BufWriter::new(fs::File::create(
        path,
    )?)))
}

fn write_points(sweep: &Sweep, path: &Path) -> io::Result<()> {
    let mut w = csv_writer(path)?;
    let mut header = vec!["point".to_string()];
    header.extend(sweep.design.parameters.iter().map(|p| p.path.clone()));
    w.write_record(&header)?;
    for (i, levels) in sweep.design.points.iter().enumerate() {
        let mut row = vec![(i + 1).to_string()];
        row.extend(levels.iter().map(ToString::to_string));
        w.write_record(&row)?;
    }
    w.into_inner().map_err(|e| e.into_error())?.flush()
}

/// The files every sweep folder starts with.
fn write_design(stage: &mut Staging, sweep: &Sweep) -> Result<(), SweepError> {
    stage.write("sweep.json", &sweep.spec_json())?;
    stage.write("scenario.toml", &sweep.base.to_toml())?;
    let path = stage.path("points.csv");
    write_points(sweep, &path).map_err(|e| stage.fail(e))
}

fn write_run_json(stage: &mut Staging, info: &RunInfo) -> Result<(), SweepError> {
    let text = serde_json::to_string_pretty(info).expect("run.json serializes") + "\n";
    stage.write("run.json", &text)
}

/// Write shard `result` into `dir` (normally `OUT/shard-K-of-N`).
pub fn write_shard(
    dir: &Path,
    sweep: &Sweep,
    result: &ShardResult,
    info: &RunInfo,
) -> Result<(), SweepError> {
    let mut stage = Staging::new(dir)?;
    write_design(&mut stage, sweep)?;
    let path = stage.path(VALUES_FILE);
    let mut values = ValuesWriter::create(&path).map_err(|e| stage.fail(e))?;
    for u in &result.units {
        values.push(&u.unit, &u.values).map_err(|e| stage.fail(e))?;
    }
    let manifest = values.finish(result.shard).map_err(|e| stage.fail(e))?;
    let path = stage.path(MANIFEST_FILE);
    write_manifest(&path, &manifest).map_err(|e| stage.fail(e))?;
    write_run_json(&mut stage, info)?;
    stage.commit()
}

/// Write complete results into `dir`: `values_of(p)` gives point `p`'s
/// values (all replications, replication-major), points in order.
pub fn write_complete(
    dir: &Path,
    sweep: &Sweep,
    values_of: &mut dyn FnMut(usize) -> Result<Vec<f64>, SweepError>,
    info: &RunInfo,
) -> Result<(), SweepError> {
    let mut stage = Staging::new(dir)?;
    write_design(&mut stage, sweep)?;
    let values_path = stage.path(VALUES_FILE);
    let mut values = ValuesWriter::create(&values_path).map_err(|e| stage.fail(e))?;
    let csv_path = stage.path("sweep.csv");
    let mut csv = csv_writer(&csv_path).map_err(|e| stage.fail(e))?;
    let mut header: Vec<String> = vec!["point".into()];
    header.extend(sweep.design.parameters.iter().map(|p| p.path.clone()));
    header.extend(SUMMARY_COLUMNS.iter().map(|s| (*s).to_string()));
    csv.write_record(&header)
        .map_err(|e| stage.fail(e.into()))?;
    for point in 0..sweep.points.len() {
        let data = values_of(point)?;
        values
            .push(
                &Unit {
                    point,
                    replications: 0..sweep.replications(),
                },
                &data,
            )
            .map_err(|e| stage.fail(e))?;
        let results = point_results(sweep, point, data)?;
        let mut lead = vec![(point + 1).to_string()];
        lead.extend(sweep.design.points[point].iter().map(ToString::to_string));
        write_rows(&mut csv, &lead, &results).map_err(|e| stage.fail(e))?;
    }
    csv.into_inner()
        .map_err(|e| e.into_error())
        .and_then(|mut w| w.flush())
        .map_err(|e| stage.fail(e))?;
    let manifest = values.finish(Shard::WHOLE).map_err(|e| stage.fail(e))?;
    let path = stage.path(MANIFEST_FILE);
    write_manifest(&path, &manifest).map_err(|e| stage.fail(e))?;
    write_run_json(&mut stage, info)?;
    stage.commit()
}

/// One point's summary rows, in the order and format of `summary.csv`.
fn write_rows(
    w: &mut csv::Writer<BufWriter<fs::File>>,
    lead: &[String],
    results: &Results,
) -> io::Result<()> {
    let rows = results.layout.len();
    for (i, s) in results.summaries().iter().enumerate() {
        let period = &results.periods[i / rows];
        let row = &results.layout.rows[i % rows];
        let Summary {
            mean,
            sd,
            ci95_low,
            ci95_high,
            p05,
            p50,
            p95,
        } = *s;
        let mut record: Vec<String> = lead.to_vec();
        record.extend([
            period.index.to_string(),
            period.start.to_string(),
            period.end.to_string(),
            row.metric.name().to_string(),
            row.step_name.clone(),
        ]);
        record.extend([mean, sd, ci95_low, ci95_high, p05, p50, p95].map(number));
        w.write_record(&record)?;
    }
    Ok(())
}
