//! `--set`, `--replications` and `--seed` change the resolved scenario and
//! the run.

use std::path::{Path, PathBuf};

use tempfile::TempDir;

use crate::{Csv, read, run_ok, scenario, trappe};

fn run(dir: &TempDir, name: &str, file: &Path, args: &[&str]) -> PathBuf {
    let out = dir.path().join(name);
    run_ok(
        trappe()
            .arg("run")
            .arg(file)
            .arg("--out")
            .arg(&out)
            .arg("-q")
            .args(args),
    );
    out
}

fn resolved(out: &Path) -> toml::Table {
    read(out, "scenario.toml")
        .parse()
        .expect("scenario.toml is TOML")
}

/// Mean of `metric`/`step` in period 1 of summary.csv.
fn first_period_mean(out: &Path, metric: &str, step: &str) -> f64 {
    let csv = Csv::read(&out.join("summary.csv"));
    let (p, m, s, mean) = (
        csv.col("period"),
        csv.col("metric"),
        csv.col("step"),
        csv.col("mean"),
    );
    let row = csv
        .rows
        .iter()
        .find(|r| r[p] == "1" && r[m] == metric && r[s] == step)
        .unwrap_or_else(|| panic!("no {metric}/{step} row"));
    row[mean].parse().unwrap()
}

#[test]
fn set_changes_the_resolved_scenario_and_the_run() {
    let dir = TempDir::new().unwrap();
    let file = scenario("herning-baseline.toml");
    let plain = run(&dir, "plain", &file, &["--replications", "3"]);
    let eight = run(
        &dir,
        "eight",
        &file,
        &[
            "--replications",
            "3",
            "--set",
            "workforce.caseworkers=8",
            "--set",
            "steps.institution.follow_up.every_weeks=6",
        ],
    );
    let (a, b) = (resolved(&plain), resolved(&eight));
    assert_eq!(a["workforce"]["caseworkers"].as_integer(), Some(4));
    assert_eq!(b["workforce"]["caseworkers"].as_integer(), Some(8));
    let every = |t: &toml::Table| {
        t["steps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"].as_str() == Some("institution"))
            .map(|s| s["follow_up"]["every_weeks"].as_float())
            .unwrap()
    };
    assert_eq!(every(&a), Some(26.0));
    assert_eq!(every(&b), Some(6.0));
    // Nothing else in the resolved scenario changed.
    let mut b_back = b.clone();
    b_back["workforce"]["caseworkers"] = toml::Value::Integer(4);
    for step in b_back["steps"].as_array_mut().unwrap() {
        if step["id"].as_str() == Some("institution") {
            step["follow_up"]["every_weeks"] = toml::Value::Float(26.0);
        }
    }
    assert_eq!(a, b_back);
    // The baseline has no changes, so the workforce cost of a quarter is
    // caseworkers × salary × 1/4 in every replication.
    let salary = 500_000.0;
    for (out, n) in [(&plain, 4.0), (&eight, 8.0)] {
        let cost = first_period_mean(out, "cost", "workforce");
        assert!(
            (cost - n * salary / 4.0).abs() < 1e-6 * cost,
            "{n} caseworkers cost {cost} a quarter"
        );
    }
}

#[test]
fn set_can_create_a_workforce() {
    // `--set` may create [workforce] (docs/parameters.md), with its defaults.
    let dir = TempDir::new().unwrap();
    let out = run(
        &dir,
        "out",
        &scenario("minimal.toml"),
        &["--replications", "2", "--set", "workforce.caseworkers=3"],
    );
    let t = resolved(&out);
    let w = t["workforce"].as_table().expect("a [workforce] section");
    assert_eq!(w["caseworkers"].as_integer(), Some(3));
    assert_eq!(w["hours_per_week"].as_float(), Some(37.0));
    assert_eq!(w["min_task_share"].as_float(), Some(0.1));
    assert!(first_period_mean(&out, "caseload_mean", "") > 0.0);
}

#[test]
fn replications_option_sets_the_number_of_replications() {
    let dir = TempDir::new().unwrap();
    let out = run(
        &dir,
        "out",
        &scenario("herning-sverigesmodel.toml"),
        &["--replications", "7"],
    );
    let csv = Csv::read(&out.join("replications.csv"));
    let ids: Vec<String> = csv.distinct("replication").into_iter().collect();
    assert_eq!(ids.len(), 7, "{ids:?}");
    let info: serde_json::Value = serde_json::from_str(&read(&out, "run.json")).unwrap();
    assert_eq!(info["replications"].as_u64(), Some(7));
    assert_eq!(
        resolved(&out)["scenario"]["replications"].as_integer(),
        Some(7)
    );
}

#[test]
fn seed_option_sets_the_seed() {
    let dir = TempDir::new().unwrap();
    let out = run(
        &dir,
        "out",
        &scenario("minimal.toml"),
        &["--replications", "2", "--seed", "42"],
    );
    let info: serde_json::Value = serde_json::from_str(&read(&out, "run.json")).unwrap();
    assert_eq!(info["seed"].as_u64(), Some(42));
    assert_eq!(resolved(&out)["scenario"]["seed"].as_integer(), Some(42));
}

/// Runs `trappe run minimal.toml` with `args`, requiring exit code 2 and no
/// output folder; returns stderr.
fn refused(args: &[&str]) -> String {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    let output = trappe()
        .arg("run")
        .arg(scenario("minimal.toml"))
        .arg("--out")
        .arg(&out)
        .arg("-q")
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!out.exists());
    stderr
}

#[test]
fn replications_zero_names_the_option() {
    let stderr = refused(&["--replications", "0"]);
    assert!(stderr.contains("--replications"), "{stderr}");
    assert!(!stderr.contains("--set"), "{stderr}");
}

#[test]
fn seed_beyond_toml_integers_is_refused_by_its_name() {
    let stderr = refused(&["--seed", "18446744073709551615"]);
    assert!(stderr.contains("--seed"), "{stderr}");
    assert!(!stderr.contains("=-1"), "the seed is not wrapped: {stderr}");
}
