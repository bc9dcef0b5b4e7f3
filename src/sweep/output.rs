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
//! * `run.json` ([`crate::results::RunInfo`]): threads, events, case-years
//!   and wall time (the only file that differs between an unsharded run and
//!   a merge).
//!
//! A shard folder holds the same minus `sweep.csv`, with only its units in
//! `values.bin`. Everything except `run.json` is a function of the design
//! and the values alone, which is what makes a merge byte-identical.
//!
//! The writers fill a folder that is not yet visible (a
//! [`crate::results::Publication`]'s staging folder); the caller publishes
//! it once plots are drawn too.

use std::fs;
use std::io;
use std::path::Path;

use super::partial::{VALUES_FILE, ValuesWriter, write_manifest};
use super::shard::{Shard, Unit};
use super::{ShardResult, Sweep, SweepError};
use crate::metrics::Layout;
use crate::model::ReplicationOutput;
use crate::results::csv::{csv_writer, finish_csv};
use crate::results::files::SummaryTableWriter;
use crate::results::folder::{SHARD_JSON, SWEEP_CSV, SWEEP_JSON};
use crate::results::{Results, RunInfo};

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
            transitions: Vec::new(),
            events: 0,
            case_years: 0.0,
            by_age: Vec::new(),
        })
        .collect();
    Ok(Results::new(scenario.clone(), layout, 0, outputs, 0.0))
}

fn fail(e: io::Error) -> SweepError {
    SweepError::io("cannot write the sweep's files", e)
}

/// `points.csv`: `point` and one column per varied parameter.
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
    finish_csv(w)
}

/// The files every sweep folder starts with.
fn write_design(dir: &Path, sweep: &Sweep) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    fs::write(dir.join(SWEEP_JSON), sweep.spec_json())?;
    crate::results::files::write_scenario(dir, &sweep.base)?;
    write_points(sweep, &dir.join("points.csv"))
}

/// Write shard `result` into `dir` (published as `OUT/shard-K-of-N`).
pub fn write_shard(
    dir: &Path,
    sweep: &Sweep,
    result: &ShardResult,
    info: &RunInfo,
) -> Result<(), SweepError> {
    write_design(dir, sweep).map_err(fail)?;
    let mut values = ValuesWriter::create(&dir.join(VALUES_FILE)).map_err(fail)?;
    for u in &result.units {
        values.push(&u.unit, &u.values).map_err(fail)?;
    }
    let manifest = values.finish(result.shard).map_err(fail)?;
    write_manifest(&dir.join(SHARD_JSON), &manifest).map_err(fail)?;
    info.write(dir).map_err(fail)
}

/// Write complete results into `dir`: `values_of(p)` gives point `p`'s
/// values (all replications, replication-major), points in order.
pub fn write_complete(
    dir: &Path,
    sweep: &Sweep,
    values_of: &mut dyn FnMut(usize) -> Result<Vec<f64>, SweepError>,
    info: &RunInfo,
) -> Result<(), SweepError> {
    write_design(dir, sweep).map_err(fail)?;
    let mut values = ValuesWriter::create(&dir.join(VALUES_FILE)).map_err(fail)?;
    let mut lead_columns: Vec<String> = vec!["point".into()];
    lead_columns.extend(sweep.design.parameters.iter().map(|p| p.path.clone()));
    let mut table =
        SummaryTableWriter::create(&dir.join(SWEEP_CSV), &lead_columns).map_err(fail)?;
    for point in 0..sweep.points.len() {
        let data = values_of(point)?;
        let unit = Unit {
            point,
            replications: 0..sweep.replications(),
        };
        values.push(&unit, &data).map_err(fail)?;
        let results = point_results(sweep, point, data)?;
        let mut lead = vec![(point + 1).to_string()];
        lead.extend(sweep.design.points[point].iter().map(ToString::to_string));
        table.write(&lead, &results).map_err(fail)?;
    }
    table.finish().map_err(fail)?;
    let manifest = values.finish(Shard::WHOLE).map_err(fail)?;
    write_manifest(&dir.join(SHARD_JSON), &manifest).map_err(fail)?;
    info.write(dir).map_err(fail)
}
