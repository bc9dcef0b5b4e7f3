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
mod merge;
mod model;
mod shards;

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

/// A `trappe` command with no inherited sharding or thread variables.
pub fn trappe() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_trappe"));
    for var in [
        "RAYON_NUM_THREADS",
        "SLURM_ARRAY_TASK_ID",
        "SLURM_ARRAY_TASK_COUNT",
        "SLURM_ARRAY_TASK_MIN",
        "SLURM_ARRAY_TASK_MAX",
        "SLURM_ARRAY_TASK_STEP",
        "JOB_COMPLETION_INDEX",
        "TRAPPE_SHARDS",
    ] {
        cmd.env_remove(var);
    }
    cmd
}

/// The test scenario.
pub fn small() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sweep/small.toml")
}

/// A shipped scenario.
pub fn shipped(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name)
}

/// Stdout and stderr, for assertion messages.
pub fn describe(output: &Output) -> String {
    format!(
        "exit status: {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Run and require success.
pub fn ok(cmd: &mut Command) -> Output {
    let output = cmd.output().expect("trappe starts");
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
    output
}

/// Run and require exit code 2 (bad input); returns stderr.
pub fn bad(cmd: &mut Command) -> String {
    let output = cmd.output().expect("trappe starts");
    assert_eq!(output.status.code(), Some(2), "{}", describe(&output));
    String::from_utf8_lossy(&output.stderr).into_owned()
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
    let mut reader = csv::Reader::from_path(path)
        .unwrap_or_else(|e| panic!("cannot open {}: {e}", path.display()));
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    reader
        .records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.expect("record").iter().map(str::to_owned))
                .collect()
        })
        .collect()
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
