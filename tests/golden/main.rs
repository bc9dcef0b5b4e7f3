//! Golden outputs: every command that writes results (`run`, `compare`,
//! `sweep` whole and sharded + `merge`, `calibrate --no-fit`) on the shipped
//! scenarios with fixed seeds and small replication counts, checked byte for
//! byte against copies committed under `tests/golden/expected/`.
//!
//! These files are what trappe 0.1 wrote. Results published with trappe must
//! stay reproducible, so a refactoring, a new feature or a dependency bump
//! must not change one byte of them. If a change of results is ever
//! deliberate, regenerate the copies with
//!
//! ```sh
//! TRAPPE_BLESS=1 cargo test --release --test golden
//! ```
//!
//! and say why in the commit message.

#[path = "../common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use common::{root, run_ok, trappe};

/// One command and the files of its output folder that must not change.
struct Case {
    name: &'static str,
    args: &'static [&'static str],
    files: &'static [&'static str],
}

const REPS: &str = "6";

const CASES: &[Case] = &[
    Case {
        name: "run-herning",
        args: &[
            "run",
            "scenarios/herning-sverigesmodel.toml",
            "--replications",
            REPS,
            "--seed",
            "5",
        ],
        files: &["summary.csv", "replications.csv", "scenario.toml"],
    },
    Case {
        name: "run-large",
        args: &[
            "run",
            "scenarios/large-municipality.toml",
            "--replications",
            "2",
            "--seed",
            "3",
        ],
        files: &["summary.csv", "replications.csv", "scenario.toml"],
    },
    Case {
        name: "run-minimal",
        args: &["run", "scenarios/minimal.toml", "--replications", "20"],
        files: &["summary.csv", "replications.csv", "scenario.toml"],
    },
    Case {
        name: "compare-herning",
        args: &[
            "compare",
            "scenarios/herning-baseline.toml",
            "scenarios/herning-sverigesmodel.toml",
            "--replications",
            REPS,
            "--seed",
            "9",
        ],
        files: &[
            "compare.csv",
            "herning-baseline/summary.csv",
            "herning-baseline/replications.csv",
            "herning-sverigesmodel/summary.csv",
            "herning-sverigesmodel/replications.csv",
        ],
    },
    Case {
        name: "sweep-grid",
        args: &[
            "sweep",
            "scenarios/herning-baseline.toml",
            "--vary",
            "workforce.caseworkers=3..5",
            "--replications",
            "4",
        ],
        files: &["sweep.csv", "points.csv", "scenario.toml"],
    },
    Case {
        name: "sweep-lhs",
        args: &[
            "sweep",
            "scenarios/herning-baseline.toml",
            "--vary",
            "steps.foster.follow_up.every_weeks=6.0..26.0",
            "--vary",
            "workforce.caseworkers=[3, 6]",
            "--lhs",
            "3",
            "--replications",
            "3",
            "--seed",
            "17",
        ],
        files: &["sweep.csv", "points.csv"],
    },
    Case {
        name: "calibrate-herning",
        args: &[
            "calibrate",
            "scenarios/herning-baseline.toml",
            "scenarios/herning-sverigesmodel.toml",
            "--targets",
            "scenarios/herning-targets.toml",
            "--no-fit",
            "--check-replications",
            REPS,
        ],
        files: &["fit.csv", "fitted.toml"],
    },
];

fn expected(case: &str, file: &str) -> PathBuf {
    root().join("tests/golden/expected").join(case).join(file)
}

/// Run `trappe` from the repository root (the cases use relative paths,
/// which `calibrate` records in `fitted.toml`) and require success.
fn ok(cmd: &mut Command) {
    run_ok(cmd.current_dir(root()));
}

fn bless() -> bool {
    std::env::var_os("TRAPPE_BLESS").is_some()
}

/// Compare `actual` with the committed copy (or write it when blessing).
/// Returns a description of the first difference, if any.
fn check(case: &str, file: &str, actual: &Path) -> Option<String> {
    let got = std::fs::read(actual).unwrap_or_else(|e| panic!("{case}: {file}: {e}"));
    let path = expected(case, file);
    if bless() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &got).unwrap();
        return None;
    }
    let want = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    if got == want {
        return None;
    }
    let (got, want) = (
        String::from_utf8_lossy(&got),
        String::from_utf8_lossy(&want),
    );
    let line = got
        .lines()
        .zip(want.lines())
        .position(|(a, b)| a != b)
        .unwrap_or(got.lines().count().min(want.lines().count()));
    Some(format!(
        "{case}/{file} differs from the golden copy at line {}:\n  golden: {}\n  now:    {}",
        line + 1,
        want.lines().nth(line).unwrap_or("<end of file>"),
        got.lines().nth(line).unwrap_or("<end of file>"),
    ))
}

#[test]
fn every_command_writes_the_golden_files() {
    let dir = tempfile::tempdir().unwrap();
    let mut differences = Vec::new();
    for case in CASES {
        let out = dir.path().join(case.name);
        ok(trappe()
            .args(case.args)
            .arg("--out")
            .arg(&out)
            .args(["--quiet"])
            .args(if case.args[0] == "calibrate" {
                &[][..]
            } else {
                &["--no-plots"][..]
            }));
        for file in case.files {
            differences.extend(check(case.name, file, &out.join(file)));
        }
    }
    assert!(differences.is_empty(), "{}", differences.join("\n\n"));
}

/// A sweep run as two shards and merged is the same sweep, byte for byte,
/// as the golden whole run.
#[test]
fn sharded_and_merged_sweep_equals_the_golden_sweep() {
    let dir = tempfile::tempdir().unwrap();
    let shards = dir.path().join("shards");
    let grid = &CASES.iter().find(|c| c.name == "sweep-grid").unwrap().args;
    for shard in ["1/2", "2/2"] {
        ok(trappe()
            .args(grid.iter())
            .args(["--out"])
            .arg(&shards)
            .args(["--shard", shard, "--quiet"]));
    }
    let merged = dir.path().join("merged");
    ok(trappe()
        .arg("merge")
        .arg(shards.join("shard-1-of-2"))
        .arg(shards.join("shard-2-of-2"))
        .arg("--out")
        .arg(&merged)
        .arg("--no-plots"));
    if bless() {
        return;
    }
    let differences: Vec<String> = ["sweep.csv", "points.csv", "scenario.toml"]
        .iter()
        .filter_map(|file| check("sweep-grid", file, &merged.join(file)))
        .collect();
    assert!(differences.is_empty(), "{}", differences.join("\n\n"));
}
