//! What a calibration writes back: the user's own files with the fitted
//! values set in place (comments, layout and `extends` kept), which load to
//! exactly the fitted values, and never values worse than the start.

use std::path::Path;

use tempfile::TempDir;
use trappe::Scenario;
use trappe::calibrate::Calibration;
use trappe::calibrate::optimise::Options;
use trappe::calibrate::workflow::Plan;

use crate::common::{describe_output, trappe};

const BASE: &str = r#"# base.toml: old practice.
# A comment the fit must keep.

[scenario]
name = "base"
start = 2020-01-01
horizon_years = 2.0
warmup_years = 1.0
replications = 40
seed = 3
period = "year"

[[steps]]
id = "prevention"
follow_up = { first_weeks = 13.0, every_weeks = 26.0 }
latent = { improve = 0.6, relapse = 1.0 }   # improve: fitted
exit = { close = 0.3 }

[[steps]]
id = "foster"
placement = true
follow_up = { first_weeks = 13.0, every_weeks = 26.0 }
latent = { improve = 0.3, worsen = 0.1, relapse = 1.0, crisis = 2.0 }

[intake]
referrals_per_year = 50.0   # fitted
entry = { none = 0.5, prevention = 0.4, foster = 0.1 }

[initial]
prevention = 20
foster = 8
"#;

const VARIANT: &str = r#"# variant.toml: the same with faster follow-ups.
extends = "base.toml"   # everything else as in the base

[scenario]
name = "variant"

[[changes]]
at_years = 0.5
set = { "steps.foster.follow_up.every_weeks" = 13.0 }   # the policy
"#;

const TARGETS: &str = r#"[calibrate]
replications = 20
max_evaluations = 12
restarts = 1
significant_digits = 3

[[parameters]]
path = "intake.referrals_per_year"
min = 20.0
max = 150.0
log = true

[[parameters]]
path = "steps.prevention.latent.improve"
min = 0.1
max = 3.0
log = true

[[parameters]]
path = "steps.foster.latent.crisis"
min = 0.5
max = 6.0

[[targets]]
name = "referrals"
scenario = "variant"
metric = "referrals"
periods = 1
observed = 80.0
tolerance = 5.0

[[targets]]
name = "prevention cases"
scenario = "base"
metric = "count_end"
step = "prevention"
periods = 2
observed = 30.0
tolerance = 5.0
"#;

fn setup() -> TempDir {
    let dir = TempDir::new().unwrap();
    std::fs::write(dir.path().join("base.toml"), BASE).unwrap();
    std::fs::write(dir.path().join("variant.toml"), VARIANT).unwrap();
    std::fs::write(dir.path().join("targets.toml"), TARGETS).unwrap();
    dir
}

fn calibrate(dir: &Path, extra: &[&str]) -> std::path::PathBuf {
    let out = dir.join("out");
    let output = trappe()
        .current_dir(dir)
        .args([
            "calibrate",
            "variant.toml",
            "base.toml",
            "--targets",
            "targets.toml",
        ])
        .args(["--out", "out", "-q"])
        .args(extra)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        describe_output(&output)
    );
    out
}

/// The `[fitted]` values of fitted.toml, by path.
fn fitted_values(out: &Path) -> Vec<(String, f64)> {
    let text = std::fs::read_to_string(out.join("fitted.toml")).unwrap();
    let table: toml::Table = text.parse().unwrap();
    table["fitted"]
        .as_table()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_float().unwrap()))
        .collect()
}

#[test]
fn fitted_files_keep_comments_and_extends_and_load_to_the_fitted_values() {
    let dir = setup();
    let out = calibrate(dir.path(), &[]);
    let base = std::fs::read_to_string(out.join("base.toml")).unwrap();
    let variant = std::fs::read_to_string(out.join("variant.toml")).unwrap();

    // Every comment line and the extends line survive.
    for line in BASE.lines().chain(VARIANT.lines()) {
        if line.starts_with('#') {
            assert!(
                base.contains(line) || variant.contains(line),
                "lost {line:?}"
            );
        }
    }
    assert!(variant.contains("extends = \"base.toml\"   # everything else as in the base"));
    assert!(variant.contains("# the policy"));
    assert!(base.contains("# improve: fitted"));
    assert!(
        base.contains("[[steps]]\nid = \"foster\""),
        "layout kept:\n{base}"
    );
    // Inherited parameters are set in the file that defines them: the
    // variant's own text is unchanged apart from the header.
    assert!(variant.ends_with(VARIANT), "{variant}");

    // Loading the fitted copies gives the fitted values, in both scenarios.
    let fitted = fitted_values(&out);
    assert_eq!(fitted.len(), 3);
    for file in ["base.toml", "variant.toml"] {
        let scenario = Scenario::load(&out.join(file), &[]).unwrap();
        let table = toml::Table::try_from(&scenario.file).unwrap();
        for (path, value) in &fitted {
            let mut here = toml::Value::Table(table.clone());
            let mut parts = path.split('.');
            while let Some(key) = parts.next() {
                here = if key == "steps" {
                    let id = parts.next().unwrap();
                    here["steps"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .find(|r| r["id"].as_str() == Some(id))
                        .unwrap()
                        .clone()
                } else {
                    here[key].clone()
                };
            }
            assert_eq!(here.as_float(), Some(*value), "{file}: {path}");
        }
    }
}

#[test]
fn without_a_search_the_files_are_the_users_own() {
    let dir = setup();
    let out = calibrate(dir.path(), &["--no-fit"]);
    let base = std::fs::read_to_string(out.join("base.toml")).unwrap();
    assert!(
        base.ends_with(BASE),
        "unchanged values, unchanged text:\n{base}"
    );
}

#[test]
fn a_calibration_never_returns_worse_than_its_start() {
    let dir = setup();
    let calibration = Calibration::load(
        &[
            dir.path().join("variant.toml"),
            dir.path().join("base.toml"),
        ],
        &dir.path().join("targets.toml"),
    )
    .unwrap();
    // Budgets from "the start only" to a short search, checked at other
    // replications than the search used (where a fit can lose).
    for budget in [1, 4, 12] {
        let plan = Plan {
            search: Some(Options {
                replications: 10,
                max_evaluations: budget,
                restarts: 1,
            }),
            check_replications: Some(60),
        };
        let calibrated = calibration.run(&plan, &|_| {}).unwrap();
        let start = calibrated
            .start_objective
            .expect("a search checks its start");
        assert!(
            calibrated.objective <= start,
            "budget {budget}: {} > start {start}",
            calibrated.objective
        );
        if calibrated.kept_start {
            assert_eq!(calibrated.values, calibrated.start);
        }
    }
}
