//! Golden outputs: every command that writes results (`run`, `compare`,
//! `sweep` whole and sharded + `merge`, `calibrate --no-fit`) on the shipped
//! scenarios with fixed seeds and small replication counts, checked byte for
//! byte against copies committed under `tests/golden/expected/`.
//!
//! These files are what trappe 0.1 wrote. Results published with trappe must
//! stay reproducible, so a refactoring, a new feature or a dependency bump
//! must not change one byte of them. Later versions add metrics (rows) to the
//! result tables, so in `summary.csv`, `replications.csv`, `compare.csv`,
//! `sweep.csv` and `fit.csv` only the header and the rows of the metrics
//! trappe 0.1 wrote ([`CORE_METRICS`], by the `metric` column) are compared,
//! in order and byte for byte; rows of newer metrics are ignored. Every
//! other file is compared whole. If a change of results is ever
//! deliberate, regenerate the copies with
//!
//! ```sh
//! TRAPPE_BLESS=1 cargo test --release --test golden
//! ```
//!
//! and say why in the commit message.
//!
//! The commands read frozen copies of the 0.1 scenario and targets files
//! under `tests/golden/inputs/scenarios/` (they run from
//! `tests/golden/inputs/`, so the relative paths are 0.1's): the shipped
//! files under `scenarios/` may be refitted without changing what 0.1
//! published.

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

/// The metrics trappe 0.1 wrote, whose rows are the compatibility contract.
const CORE_METRICS: [&str; 19] = [
    "child_years",
    "count_end",
    "placed_child_years",
    "placement_share",
    "referrals",
    "assessments",
    "moves_down",
    "moves_up",
    "crises",
    "breakdowns",
    "breakdown_rate",
    "closures",
    "aged_out",
    "follow_ups",
    "follow_ups_on_time",
    "follow_up_delay_weeks",
    "caseload_mean",
    "points_mean",
    "cost",
];

/// Result tables with a `metric` column, compared on the core rows only.
const TABLES: [&str; 5] = [
    "summary.csv",
    "replications.csv",
    "compare.csv",
    "sweep.csv",
    "fit.csv",
];

/// The fields of one CSV line (quoted fields may hold commas and doubled
/// quotes, as in `fit.csv`'s target names).
fn fields(line: &str) -> Vec<String> {
    let (mut out, mut field, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut field)),
            _ => field.push(c),
        }
    }
    out.push(field);
    out
}

/// The line the shipped Danish scenarios gained after 0.1 to write their
/// tables, plots and report in Danish. It changes no number: the language
/// is a setting of the outputs for people, not of the model. So this one
/// line, and nothing else, is left out when `scenario.toml` is compared.
const LANGUAGE_LINE: &str = "language = \"da\"\n";

/// What of `text` (the file `file`) is compared: for the result tables, the
/// header and the rows of [`CORE_METRICS`], in order; for `scenario.toml`
/// all but [`LANGUAGE_LINE`]; else all of it.
fn compared(file: &str, text: &str) -> String {
    let name = file.rsplit('/').next().unwrap_or(file);
    if name == "scenario.toml" {
        return text.replacen(LANGUAGE_LINE, "", 1);
    }
    if !TABLES.contains(&name) {
        return text.to_string();
    }
    let mut lines = text.split_inclusive('\n');
    let Some(header) = lines.next() else {
        return String::new();
    };
    let Some(column) = fields(header.trim_end()).iter().position(|f| f == "metric") else {
        return text.to_string();
    };
    let mut out = header.to_string();
    for line in lines {
        let metric = fields(line.trim_end_matches(['\n', '\r']))
            .get(column)
            .cloned();
        if metric.is_some_and(|m| CORE_METRICS.contains(&m.as_str())) {
            out.push_str(line);
        }
    }
    out
}

/// A description of the first difference between `got` and `want` (the
/// golden copy) as `file` is compared, if any.
fn difference(file: &str, got: &[u8], want: &[u8]) -> Option<String> {
    let (got, want) = (
        compared(file, &String::from_utf8_lossy(got)),
        compared(file, &String::from_utf8_lossy(want)),
    );
    if got == want {
        return None;
    }
    let line = got
        .lines()
        .zip(want.lines())
        .position(|(a, b)| a != b)
        .unwrap_or(got.lines().count().min(want.lines().count()));
    Some(format!(
        "{file} differs from the golden copy at compared line {}:\n  golden: {}\n  now:    {}",
        line + 1,
        want.lines().nth(line).unwrap_or("<end of file>"),
        got.lines().nth(line).unwrap_or("<end of file>"),
    ))
}

fn expected(case: &str, file: &str) -> PathBuf {
    root().join("tests/golden/expected").join(case).join(file)
}

/// The folder the commands run from: frozen copies of the 0.1 inputs
/// live in its `scenarios/`.
fn inputs() -> PathBuf {
    root().join("tests/golden/inputs")
}

/// Run `trappe` from [`inputs`] (the cases use relative paths, which
/// `calibrate` records in `fitted.toml`) and require success.
fn ok(cmd: &mut Command) {
    run_ok(cmd.current_dir(inputs()));
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
    difference(file, &got, &want).map(|d| format!("{case}/{d}"))
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

/// The comparator ignores rows of metrics newer than 0.1 but still catches
/// a one-byte change of a 0.1 row, a lost row, or a changed header.
#[test]
fn the_comparator_ignores_new_metrics_only() {
    let golden = "period,metric,step,mean\n\
                  1,child_years,home,1.5\n\
                  1,cost,total,7\n";
    let newer = "period,metric,step,mean\n\
                 1,child_years,home,1.5\n\
                 1,cost,total,7\n\
                 1,unmet_need_child_years,home,0.25\n\
                 1,assessment_weeks,,6\n";
    for file in TABLES {
        assert_eq!(difference(file, newer.as_bytes(), golden.as_bytes()), None);
    }
    let changed = newer.replace("1.5", "1.6");
    let d = difference("summary.csv", changed.as_bytes(), golden.as_bytes()).unwrap();
    assert!(d.contains("line 2") && d.contains("1.6"), "{d}");
    let lost = newer.replace("1,cost,total,7\n", "");
    assert!(difference("summary.csv", lost.as_bytes(), golden.as_bytes()).is_some());
    let header = newer.replace("mean", "avg");
    assert!(difference("sweep.csv", header.as_bytes(), golden.as_bytes()).is_some());
    // Other files are compared whole: an added line is a difference.
    assert!(difference("scenario.toml", newer.as_bytes(), golden.as_bytes()).is_some());
    // Only the language line of the Danish scenarios is left out.
    let toml = "[scenario]\nname = \"a\"\nexit_age = 18.0\n";
    let danish = toml.replace("18.0\n", "18.0\nlanguage = \"da\"\n");
    assert_eq!(
        difference("scenario.toml", danish.as_bytes(), toml.as_bytes()),
        None
    );
    let english = toml.replace("18.0\n", "18.0\nlanguage = \"en\"\n");
    assert!(difference("scenario.toml", english.as_bytes(), toml.as_bytes()).is_some());
    // Quoted fields with commas (fit.csv's target names) are one field.
    let fit = "target,scenario,metric\n\"a, b\",s,child_years\n";
    let fit_new = format!("{fit}\"c\",s,ready_child_years\n");
    assert_eq!(
        difference("fit.csv", fit_new.as_bytes(), fit.as_bytes()),
        None
    );
    let fit_changed = fit.replace("a, b", "a; b");
    assert!(difference("fit.csv", fit_changed.as_bytes(), fit.as_bytes()).is_some());
}
