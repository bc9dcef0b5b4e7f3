//! Running a shard of a sweep: every (point, replication) of its units in
//! one parallel pass, so two cores stay busy even when a point has few
//! replications.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Instant;

use indicatif::ProgressBar;
use rayon::prelude::*;

use super::Sweep;
use super::shard::{self, Shard, Unit};
use crate::metrics::Layout;
use crate::model::{ReplicationOutput, simulate};
use crate::results::{RunInfo, RunKind};

/// The values of one unit: its replications, each period by layout row
/// (the order of [`crate::results::Results::values`]).
#[derive(Debug, Clone)]
pub struct UnitResult {
    /// Which point and replications.
    pub unit: Unit,
    /// Replication-major values.
    pub values: Vec<f64>,
    /// Events simulated.
    pub events: u64,
    /// Case-years simulated.
    pub case_years: f64,
}

/// Everything one shard computed.
#[derive(Debug, Clone)]
pub struct ShardResult {
    /// Which shard.
    pub shard: Shard,
    /// Its units, in order.
    pub units: Vec<UnitResult>,
    /// Wall-clock time.
    pub wall_seconds: f64,
}

impl ShardResult {
    /// Events over all units.
    pub fn events(&self) -> u64 {
        self.units.iter().map(|u| u.events).sum()
    }

    /// Case-years over all units.
    pub fn case_years(&self) -> f64 {
        self.units.iter().map(|u| u.case_years).sum()
    }

    /// Its `run.json`: a whole sweep, or a shard when it is one part of
    /// several or was chosen by `source` (`--shard`, a job-array variable).
    pub fn run_info(&self, sweep: &Sweep, threads: usize, source: Option<String>) -> RunInfo {
        let kind = if self.shard == Shard::WHOLE && source.is_none() {
            RunKind::Sweep
        } else {
            RunKind::Shard
        };
        let points: std::collections::BTreeSet<usize> =
            self.units.iter().map(|u| u.unit.point).collect();
        let replications = self
            .units
            .iter()
            .map(|u| u.unit.replications.end - u.unit.replications.start)
            .sum();
        RunInfo {
            points: Some(points.len()),
            shard: Some(self.shard.to_string()),
            shard_source: source,
            ..RunInfo::new(kind, sweep.base.name(), sweep.seed(), replications)
        }
        .with_work(threads, self.events(), self.case_years(), self.wall_seconds)
    }
}

/// Replications shard `shard` runs (the length of its progress bar).
pub fn work(sweep: &Sweep, shard: Shard) -> u64 {
    shard::units(sweep.points.len(), sweep.replications(), shard)
        .iter()
        .map(|u| u.replications.end - u.replications.start)
        .sum()
}

/// Run shard `shard` on the current rayon pool, ticking `progress` once per
/// replication; its message counts finished points.
pub fn run_shard(sweep: &Sweep, shard: Shard, progress: &ProgressBar) -> ShardResult {
    let started = Instant::now();
    let units = shard::units(sweep.points.len(), sweep.replications(), shard);
    let layouts: Vec<Layout> = sweep
        .points
        .iter()
        .map(|s| Layout::new(&s.params))
        .collect();
    let tasks: Vec<(usize, u64)> = units
        .iter()
        .enumerate()
        .flat_map(|(i, u)| u.replications.clone().map(move |r| (i, r)))
        .collect();
    let remaining: Vec<AtomicU64> = units
        .iter()
        .map(|u| AtomicU64::new(u.replications.end - u.replications.start))
        .collect();
    let finished = AtomicUsize::new(0);
    let total = units.len();
    progress.set_message(format!("0/{total} points"));
    let outputs: Vec<ReplicationOutput> = tasks
        .par_iter()
        .map(|&(i, rep)| {
            let point = units[i].point;
            let out = simulate(&sweep.points[point], &layouts[point], rep);
            progress.inc(1);
            if remaining[i].fetch_sub(1, Ordering::Relaxed) == 1 {
                let done = finished.fetch_add(1, Ordering::Relaxed) + 1;
                progress.set_message(format!("{done}/{total} points"));
            }
            out
        })
        .collect();
    progress.finish_and_clear();
    let mut outputs = outputs.into_iter();
    let units = units
        .into_iter()
        .map(|unit| {
            let n = (unit.replications.end - unit.replications.start) as usize;
            let mut result = UnitResult {
                unit,
                values: Vec::new(),
                events: 0,
                case_years: 0.0,
            };
            for out in outputs.by_ref().take(n) {
                result.values.extend_from_slice(&out.values);
                result.events += out.events;
                result.case_years += out.case_years;
            }
            result
        })
        .collect();
    ShardResult {
        shard,
        units,
        wall_seconds: started.elapsed().as_secs_f64(),
    }
}
