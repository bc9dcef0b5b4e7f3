//! Bad targets files are refused before anything runs: exit code 2, a
//! message naming the targets file, the line and the key, and no output.
//!
//! Each case is the valid [`BASE`] targets file changed in exactly one way;
//! [`base_targets_file_runs`] shows the base itself is fine.

use std::path::{Path, PathBuf};

use tempfile::TempDir;

use crate::{describe_output, trappe};

const SCENARIO: &str = r#"[scenario]
name = "bad targets"
start = 2020-01-01
horizon_years = 2.0
replications = 4
period = "year"

[[steps]]
id = "prevention"
follow_up = { first_weeks = 13.0, every_weeks = 26.0 }
latent = { improve = 0.6, relapse = 1.0 }

[[steps]]
id = "foster"
placement = true
follow_up = { first_weeks = 13.0, every_weeks = 26.0 }
latent = { improve = 0.3, relapse = 1.0 }

[intake]
referrals_per_year = 30.0
entry = { none = 0.5, prevention = 0.3, foster = 0.2 }
"#;

const BASE: &str = r#"[calibrate]
replications = 4
max_evaluations = 3
restarts = 0

[[parameters]]
path = "steps.foster.latent.improve"
min = 0.1
max = 2.0

[[targets]]
name = "foster cases"
metric = "count_end"
step = "foster"
periods = 2
observed = 5.0
tolerance = 2.0
"#;

fn setup(targets: &str) -> (TempDir, PathBuf, PathBuf) {
    let dir = TempDir::new().unwrap();
    let scenario = dir.path().join("scenario.toml");
    std::fs::write(&scenario, SCENARIO).unwrap();
    let file = dir.path().join("targets.toml");
    std::fs::write(&file, targets).unwrap();
    (dir, scenario, file)
}

fn calibrate(scenario: &Path, targets: &Path, out: &Path) -> std::process::Output {
    trappe()
        .arg("calibrate")
        .arg(scenario)
        .arg("--targets")
        .arg(targets)
        .arg("--out")
        .arg(out)
        .arg("-q")
        .output()
        .expect("trappe starts")
}

/// The base with `from` replaced by `to`; the refusal must name `line`
/// of targets.toml and contain each of `expected`.
fn refused(from: &str, to: &str, line: usize, expected: &[&str]) {
    assert!(BASE.contains(from), "{from:?} is in the base");
    let (dir, scenario, targets) = setup(&BASE.replacen(from, to, 1));
    let out = dir.path().join("out");
    let output = calibrate(&scenario, &targets, &out);
    let text = describe_output(&output);
    assert_eq!(output.status.code(), Some(2), "exit code 2\n{text}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("targets.toml:{line}:")),
        "names line {line}\n{text}"
    );
    for e in expected {
        assert!(stderr.contains(e), "mentions {e:?}\n{text}");
    }
    assert!(!stderr.contains("panicked"), "{text}");
    assert!(!out.exists(), "nothing written\n{text}");
}

#[test]
fn base_targets_file_runs() {
    let (dir, scenario, targets) = setup(BASE);
    let out = dir.path().join("out");
    let output = calibrate(&scenario, &targets, &out);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        describe_output(&output)
    );
    let fit = std::fs::read_to_string(out.join("fit.csv")).unwrap();
    assert!(fit.starts_with("target,scenario,metric,step,periods,observed,tolerance,weight,mean,ci95_low,ci95_high,error,met\n"));
    assert_eq!(fit.lines().count(), 2);
    assert!(out.join("scenario.toml").is_file(), "the fitted scenario");
    assert!(out.join("fitted.toml").is_file());
}

#[test]
fn unknown_metric() {
    refused(
        "metric = \"count_end\"",
        "metric = \"placements\"",
        13,
        &[
            "targets[0].metric",
            "unknown metric 'placements'",
            "count_end",
        ],
    );
}

#[test]
fn unknown_step() {
    refused(
        "step = \"foster\"",
        "step = \"kinship\"",
        14,
        &["targets[0].step", "no step 'kinship'", "prevention, foster"],
    );
}

#[test]
fn unknown_parameter_path() {
    refused(
        "path = \"steps.foster.latent.improve\"",
        "path = \"steps.foster.latent.improv\"",
        7,
        &[
            "parameters[0].path",
            "steps.foster.latent.improv",
            "unknown field",
        ],
    );
}

#[test]
fn unknown_rung_in_path() {
    refused(
        "path = \"steps.foster.latent.improve\"",
        "path = \"steps.fostr.latent.improve\"",
        7,
        &["parameters[0].path", "no rung with id 'fostr'"],
    );
}

#[test]
fn bounds_reversed() {
    refused(
        "min = 0.1\nmax = 2.0",
        "min = 2.0\nmax = 0.1",
        9,
        &[
            "parameters[0].max",
            "bounds reversed",
            "min = 2 is not below max = 0.1",
        ],
    );
}

#[test]
fn log_scale_needs_positive_bounds() {
    refused(
        "min = 0.1\nmax = 2.0",
        "min = 0.0\nmax = 2.0\nlog = true",
        8,
        &["parameters[0].min", "log scale needs min > 0"],
    );
}

#[test]
fn period_out_of_range() {
    refused(
        "periods = 2",
        "periods = 3",
        15,
        &[
            "targets[0].periods",
            "period 3 is out of range",
            "periods 1 to 2",
        ],
    );
}

#[test]
fn date_outside_the_run() {
    refused(
        "periods = 2",
        "periods = [2020-01-01, 2023-06-30]",
        15,
        &["targets[0].periods", "2023-06-30 is in no period"],
    );
}

#[test]
fn unknown_key_in_a_target() {
    refused(
        "tolerance = 2.0",
        "tolerance = 2.0\ntolerence = 1.0",
        18,
        &["targets[0].tolerence", "unknown field `tolerence`"],
    );
}

#[test]
fn change_without_from() {
    refused(
        "periods = 2",
        "to = 2\nchange = \"relative\"",
        11,
        &["targets[0].from", "missing"],
    );
}

#[test]
fn wrong_type_in_the_same_words_as_a_scenario() {
    refused(
        "replications = 4",
        "replications = 4.5",
        2,
        &[
            "calibrate.replications",
            "expected a whole number, 0 or more (a TOML integer)",
        ],
    );
}

#[test]
fn wrong_type_in_a_list_names_the_element() {
    refused(
        "path = \"steps.foster.latent.improve\"",
        "paths = [\"steps.foster.latent.improve\", 3]",
        7,
        &["parameters[0].paths[1]", "expected a string"],
    );
}

#[test]
fn every_syntax_error_at_its_line() {
    refused("observed = 5.0", "observed = ", 16, &["TOML syntax error"]);
}

#[test]
fn moves_with_an_unknown_rung() {
    refused(
        "metric = \"count_end\"\nstep = \"foster\"",
        "moves = { from = \"fostr\" }",
        13,
        &[
            "targets[0].moves",
            "from: no 'fostr'",
            "assessment, prevention, foster",
        ],
    );
}

#[test]
fn moves_with_an_unknown_kind_or_direction() {
    refused(
        "metric = \"count_end\"\nstep = \"foster\"",
        "moves = { kind = [\"up\", \"crises\"] }",
        13,
        &["targets[0].moves", "kind: no 'crises'", "crisis"],
    );
    refused(
        "metric = \"count_end\"\nstep = \"foster\"",
        "moves = { direction = \"sideways\" }",
        13,
        &[
            "targets[0].moves",
            "'sideways'",
            "\"up\", \"down\" or \"same\"",
        ],
    );
}

#[test]
fn moves_and_metric_together_or_neither() {
    refused(
        "step = \"foster\"",
        "moves = { kind = \"up\" }",
        14,
        &["targets[0].moves", "`metric` or `moves`, not both"],
    );
    refused(
        "metric = \"count_end\"\nstep = \"foster\"",
        "step = \"foster\"",
        11,
        &["targets[0].metric", "missing"],
    );
}

#[test]
fn moves_filter_with_a_step() {
    refused(
        "metric = \"count_end\"",
        "moves = { to = \"foster\" }",
        14,
        &["targets[0].step", "not `step`"],
    );
}
