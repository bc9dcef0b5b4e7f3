//! End-to-end tests of the `trappe` binary: what a user sees on the command
//! line and finds in the output folder (MODEL.md sections 2.7, 3 and 4).
//!
//! One module per behaviour; shared helpers live here.

mod bad_input;
mod check;
mod determinism;
mod overrides;
mod results_contract;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

/// A `trappe` command with a clean environment for thread settings, so a
/// `RAYON_NUM_THREADS` in the caller's shell cannot change what is tested.
pub fn trappe() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_trappe"));
    cmd.env_remove("RAYON_NUM_THREADS");
    cmd
}

/// Absolute path of a shipped scenario.
pub fn scenario(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name)
}

/// Stdout and stderr as text, for assertion messages.
pub fn describe_output(output: &Output) -> String {
    format!(
        "exit status: {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Run and require exit code 0.
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

/// The result files the `run` command writes (MODEL.md section 4).
pub const RESULT_FILES: [&str; 4] = [
    "summary.csv",
    "replications.csv",
    "scenario.toml",
    "run.json",
];

/// Read a result file as text.
pub fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name))
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.join(name).display()))
}

/// A parsed CSV file: header and records.
pub struct Csv {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Csv {
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
}

/// Rung ids in ladder order and whether each is a placement, from a
/// scenario file.
pub fn ladder(path: &Path) -> Vec<(String, bool)> {
    let text = std::fs::read_to_string(path).expect("scenario readable");
    let doc: toml::Table = text.parse().expect("scenario is TOML");
    doc["steps"]
        .as_array()
        .expect("[[steps]]")
        .iter()
        .map(|s| {
            (
                s["id"].as_str().expect("rung id").to_owned(),
                s.get("placement")
                    .and_then(toml::Value::as_bool)
                    .unwrap_or(false),
            )
        })
        .collect()
}
