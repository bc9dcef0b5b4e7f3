//! `run.json`: how a results folder came about. One schema for every
//! folder that holds simulated values: a run (also each scenario's folder of
//! a comparison), a whole sweep, a sweep shard and a merge of shards.
//!
//! It is provenance, not results: the golden files leave it out, and a
//! merged sweep differs from the unsharded one only here.

use std::io;
use std::path::Path;

use serde::{Deserialize, Serialize};

/// The file name.
pub const FILE_NAME: &str = "run.json";

/// What wrote a results folder.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RunKind {
    /// `trappe run`, or one scenario's folder of `trappe compare` (also a
    /// trappe 0.1 folder, whose `run.json` has no `kind`).
    #[default]
    Run,
    /// `trappe sweep` without shards.
    Sweep,
    /// One shard of `trappe sweep --shard K/N`.
    Shard,
    /// `trappe merge` of shards.
    Merge,
    /// `trappe sensitivity --method tornado` (one parameter at a time).
    Sensitivity,
}

/// What `--precision` achieved: replications were run in batches until
/// the 95 % CI half-width of one quantity met a target, or the cap.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PrecisionRecord {
    /// The target as given (`1%`, `50000`).
    pub target: String,
    /// What was measured: `cost:total, whole run` or its difference.
    pub metric: String,
    /// Replications used.
    pub replications: u64,
    /// The cap (`--replications`).
    pub cap: u64,
    /// Mean of the measured quantity (for a comparison: of the alternative
    /// furthest from its target).
    pub mean: f64,
    /// Its 95 % CI half-width.
    pub half_width: f64,
    /// The half-width the target allows at that mean.
    pub allowed: f64,
    /// Whether the target was met (else the cap was reached first).
    pub reached: bool,
}

/// The content of `run.json`. Fields that only some folders have are left
/// out of the file where they do not apply.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RunInfo {
    /// What wrote the folder.
    pub kind: RunKind,
    /// The trappe version that wrote it.
    pub version: String,
    /// The scenario's name (a sweep's: its base scenario's).
    pub scenario: String,
    /// The root seed.
    pub seed: u64,
    /// Replications whose values the folder holds (a sweep: over all its
    /// points).
    pub replications: u64,
    /// Sweeps: points with values in the folder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub points: Option<usize>,
    /// Sweeps: `K/N` of a shard (`1/1` for complete results).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shard: Option<String>,
    /// Shards: where the shard came from (`--shard`, a Slurm array
    /// variable, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shard_source: Option<String>,
    /// Merges: the shard folders merged.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub merged_from: Vec<String>,
    /// Worker threads (0 for a merge, which simulates nothing).
    pub threads: usize,
    /// Events the engine handled (a merge: the shards' sum).
    pub events: u64,
    /// Time cases were open, warm-up included, in years (a merge: the
    /// shards' sum).
    pub case_years: f64,
    /// Wall-clock seconds of the simulation (a merge: the shards' sum).
    pub wall_seconds: f64,
    /// `events / wall_seconds`.
    pub events_per_second: f64,
    /// `case_years / wall_seconds`.
    pub case_years_per_second: f64,
    /// Runs with `--precision`: what it achieved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub precision: Option<PrecisionRecord>,
}

impl RunInfo {
    /// Provenance of `kind` with its work measures; the speeds are derived
    /// here, once.
    pub fn new(kind: RunKind, scenario: &str, seed: u64, replications: u64) -> Self {
        Self {
            kind,
            version: env!("CARGO_PKG_VERSION").into(),
            scenario: scenario.into(),
            seed,
            replications,
            ..Self::default()
        }
    }

    /// Set the work measures (and the speeds derived from them).
    pub fn with_work(mut self, threads: usize, events: u64, case_years: f64, wall: f64) -> Self {
        self.threads = threads;
        self.events = events;
        self.case_years = case_years;
        self.wall_seconds = wall;
        self.events_per_second = events as f64 / wall.max(1e-9);
        self.case_years_per_second = case_years / wall.max(1e-9);
        self
    }

    /// Write `run.json` into `dir`.
    pub fn write(&self, dir: &Path) -> io::Result<()> {
        let json = serde_json::to_string_pretty(self).map_err(io::Error::other)?;
        std::fs::write(dir.join(FILE_NAME), json + "\n")
    }

    /// Read `run.json` of `dir`, if it is there and readable (fields it
    /// lacks take their defaults, so trappe 0.1 folders read too).
    pub fn read(dir: &Path) -> Option<Self> {
        let text = std::fs::read_to_string(dir.join(FILE_NAME)).ok()?;
        serde_json::from_str(&text).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_leaves_out_what_does_not_apply() {
        let dir = tempfile::tempdir().unwrap();
        let info = RunInfo::new(RunKind::Run, "Herning", 5, 6).with_work(2, 100, 3.5, 2.0);
        info.write(dir.path()).unwrap();
        let text = std::fs::read_to_string(dir.path().join(FILE_NAME)).unwrap();
        assert!(!text.contains("shard"), "{text}");
        assert!(text.contains("\"events_per_second\": 50.0"), "{text}");
        assert_eq!(RunInfo::read(dir.path()), Some(info));
    }

    #[test]
    fn reads_a_run_json_of_trappe_0_1() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(FILE_NAME),
            r#"{"version": "0.1.0", "scenario": "x", "seed": 1, "replications": 7,
                "threads": 2, "events": 3, "case_years": 1.0, "wall_seconds": 1.0,
                "events_per_second": 3.0, "case_years_per_second": 1.0}"#,
        )
        .unwrap();
        assert_eq!(RunInfo::read(dir.path()).unwrap().replications, 7);
    }
}
