//! End-to-end tests of the `trappe` binary: what a user sees on the command
//! line and finds in the output folder (docs/model.md, docs/parameters.md and the README's "Results").
//!
//! One module per behaviour; shared helpers live here.

mod bad_input;
mod check;
mod determinism;
mod fuzz;
mod hostile;
mod overrides;
mod precision;
mod records;
mod results_contract;
mod totals;
mod transitions;
mod uncertainty;

#[path = "../common/mod.rs"]
mod common;

use std::path::Path;

pub use common::{Csv, describe_output, run_ok, shipped as scenario, trappe};

/// The result files the `run` command writes (docs/model.md section 8).
pub const RESULT_FILES: [&str; 7] = [
    "totals.csv",
    "results.xlsx",
    "summary.csv",
    "replications.csv",
    "transitions.csv",
    "scenario.toml",
    "run.json",
];

/// Read a result file as text.
pub fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name))
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.join(name).display()))
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
