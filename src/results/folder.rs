//! The kinds of results folder and the names of the files that tell them
//! apart, in one place: `trappe plot` and `trappe report` ask here what a
//! folder holds, and every writer takes its file names from here.

use std::fmt;
use std::path::Path;

/// A run's summaries over replications (docs/model.md section 8).
pub const SUMMARY_CSV: &str = "summary.csv";
/// A run's per-replication values.
pub const REPLICATIONS_CSV: &str = "replications.csv";
/// With `scenario.age_bands`: a run's summaries by age band.
pub const SUMMARY_BY_AGE_CSV: &str = "summary_by_age.csv";
/// With `scenario.age_bands`: a run's per-replication values by age band.
pub const REPLICATIONS_BY_AGE_CSV: &str = "replications_by_age.csv";
/// With `[initial] cases`: the copy of the case list that the folder's
/// `scenario.toml` names.
pub const INITIAL_CASES_CSV: &str = "initial_cases.csv";
/// The resolved scenario (a sweep's: its base scenario).
pub const SCENARIO_TOML: &str = "scenario.toml";
/// Each replication's values of the uncertain parameters (only when the
/// scenario has `[uncertainty]`).
pub const PARAMETERS_CSV: &str = "parameters.csv";
/// A run's moves between places by period, origin, destination and kind.
pub const TRANSITIONS_CSV: &str = "transitions.csv";
/// A comparison's table of paired differences.
pub const COMPARE_CSV: &str = "compare.csv";
/// A comparison's manifest (scenario order, names, seed).
pub const COMPARE_JSON: &str = "compare.json";
/// A complete sweep's summaries, one block of rows per point.
pub const SWEEP_CSV: &str = "sweep.csv";
/// A sweep's design, seed and versions.
pub const SWEEP_JSON: &str = "sweep.json";
/// The index of a sweep folder's `values.bin` (shards and complete sweeps).
pub const SHARD_JSON: &str = "shard.json";

/// What kind of results a folder holds, judged by the files in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SavedKind {
    /// A `trappe compare` folder (`compare.csv`, one sub-folder per scenario).
    Comparison,
    /// A `trappe run` folder (`summary.csv`).
    Run,
    /// A complete sweep, run whole or merged (`sweep.csv`, `sweep.json`).
    Sweep,
    /// One shard of a sweep, to be merged (`shard.json`, `sweep.json`, no
    /// `sweep.csv`).
    Shard,
}

impl SavedKind {
    /// Recognise a results folder; `None` when it holds none of the kinds.
    pub fn detect(dir: &Path) -> Option<SavedKind> {
        let has = |name: &str| dir.join(name).is_file();
        if has(COMPARE_CSV) {
            Some(SavedKind::Comparison)
        } else if has(SWEEP_JSON) && has(SWEEP_CSV) {
            Some(SavedKind::Sweep)
        } else if has(SWEEP_JSON) && has(SHARD_JSON) {
            Some(SavedKind::Shard)
        } else if has(SUMMARY_CSV) {
            Some(SavedKind::Run)
        } else {
            None
        }
    }
}

impl fmt::Display for SavedKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SavedKind::Comparison => "comparison",
            SavedKind::Run => "run",
            SavedKind::Sweep => "sweep",
            SavedKind::Shard => "sweep shard",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_told_apart_by_their_files() {
        let dir = tempfile::tempdir().unwrap();
        let kind = |files: &[&str]| {
            let d = tempfile::tempdir_in(dir.path()).unwrap();
            for f in files {
                std::fs::write(d.path().join(f), "").unwrap();
            }
            SavedKind::detect(d.path())
        };
        assert_eq!(kind(&[]), None);
        assert_eq!(kind(&[SUMMARY_CSV]), Some(SavedKind::Run));
        assert_eq!(
            kind(&[COMPARE_CSV, COMPARE_JSON]),
            Some(SavedKind::Comparison)
        );
        assert_eq!(kind(&[SWEEP_JSON, SHARD_JSON]), Some(SavedKind::Shard));
        assert_eq!(
            kind(&[SWEEP_JSON, SHARD_JSON, SWEEP_CSV]),
            Some(SavedKind::Sweep)
        );
    }
}
