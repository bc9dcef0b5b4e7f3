//! Helpers shared by the test binaries that drive the `trappe` command
//! (`tests/cli`, `tests/compare`, `tests/sweep`, `tests/calibrate`,
//! `tests/golden`): one definition each, included with
//! `#[path = "../common/mod.rs"] mod common;`. Not every binary uses every
//! helper.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

/// A `trappe` command with no inherited thread or sharding settings, so a
/// `RAYON_NUM_THREADS` or a Slurm job array in the caller's shell cannot
/// change what is tested.
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

/// The repository's root (where `scenarios/` is).
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Absolute path of a shipped scenario (or targets) file.
pub fn shipped(name: &str) -> PathBuf {
    root().join("scenarios").join(name)
}

/// Exit status, stdout and stderr as text, for assertion messages.
pub fn describe_output(output: &Output) -> String {
    format!(
        "exit status: {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Run and require exit code 0; returns the output.
pub fn run_ok(cmd: &mut Command) -> Output {
    let output = cmd.output().expect("trappe starts");
    assert_eq!(
        output.status.code(),
        Some(0),
        "expected success\n{}",
        describe_output(&output)
    );
    output
}

/// Run and require exit code 2 (bad input); returns stderr.
pub fn run_bad(cmd: &mut Command) -> String {
    let output = cmd.output().expect("trappe starts");
    assert_eq!(
        output.status.code(),
        Some(2),
        "expected exit code 2\n{}",
        describe_output(&output)
    );
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A parsed CSV file: header and records, as text.
pub struct Csv {
    /// Column names.
    pub header: Vec<String>,
    /// Records, each as many fields as the header.
    pub rows: Vec<Vec<String>>,
}

impl Csv {
    /// Read a whole CSV file (fails the test if it is not well-formed).
    pub fn read(path: &Path) -> Self {
        let mut reader = csv::Reader::from_path(path)
            .unwrap_or_else(|e| panic!("cannot open {}: {e}", path.display()));
        let header = reader
            .headers()
            .expect("a header row")
            .iter()
            .map(str::to_owned)
            .collect();
        let rows = reader
            .records()
            .map(|r| {
                r.expect("a well-formed CSV record")
                    .iter()
                    .map(str::to_owned)
                    .collect()
            })
            .collect();
        Self { header, rows }
    }

    /// Index of a column by name.
    pub fn col(&self, name: &str) -> usize {
        self.header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in {:?}", self.header))
    }

    /// Distinct values of a column.
    pub fn distinct(&self, name: &str) -> BTreeSet<String> {
        let c = self.col(name);
        self.rows.iter().map(|r| r[c].clone()).collect()
    }

    /// The records as maps from column name to text.
    pub fn maps(&self) -> Vec<BTreeMap<String, String>> {
        self.rows
            .iter()
            .map(|r| self.header.iter().cloned().zip(r.iter().cloned()).collect())
            .collect()
    }
}
