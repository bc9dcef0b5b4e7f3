//! Tests of parameter sweeps: designs (grids, ranges, lists, Latin
//! hypercubes), sharding (every replication of every point exactly once),
//! merging (byte-identical to an unsharded run, refusals), the command
//! line, and what the model says a caseworker sweep must show.
//!
//! Most tests use `small.toml` (two rungs, a workforce, and a
//! `[[changes]]` entry that sets `workforce.caseworkers`), which simulates
//! in milliseconds.

mod cli;
mod design;
mod figures;
mod merge;
mod model;
mod shards;

#[path = "../common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
pub use common::{Csv, describe_output as describe, run_bad as bad, run_ok as ok, shipped, trappe};

/// The test scenario.
pub fn small() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sweep/small.toml")
}

/// `trappe sweep SCENARIO --out OUT -q --no-plots ARGS…`.
pub fn sweep(scenario: &Path, out: &Path, args: &[&str]) -> Command {
    let mut cmd = trappe();
    cmd.arg("sweep")
        .arg(scenario)
        .arg("--out")
        .arg(out)
        .args(["-q", "--no-plots"])
        .args(args);
    cmd
}

/// Rows of a CSV file as maps from column name to text.
pub fn rows(path: &Path) -> Vec<std::collections::BTreeMap<String, String>> {
    Csv::read(path).maps()
}

/// The files of a complete sweep that must not depend on how it was run.
pub const DETERMINISTIC_FILES: [&str; 6] = [
    "sweep.csv",
    "points.csv",
    "sweep.json",
    "scenario.toml",
    "shard.json",
    "values.bin",
];

/// Require byte-identical files in two folders.
pub fn assert_same_files(a: &Path, b: &Path) {
    for name in DETERMINISTIC_FILES {
        let x = std::fs::read(a.join(name)).unwrap_or_else(|e| panic!("{name} in {a:?}: {e}"));
        let y = std::fs::read(b.join(name)).unwrap_or_else(|e| panic!("{name} in {b:?}: {e}"));
        assert!(x == y, "{name} differs between {a:?} and {b:?}");
    }
}
