//! `[uncertainty]`: every replication runs on its own draw of the uncertain
//! parameters, reproducibly, and the drawn values are the ones simulated.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

use crate::common::run_bad;
use crate::{Csv, read, run_ok, scenario, trappe};

/// The Herning baseline with four uncertain parameters: two hazards, a
/// probability and a unit cost.
fn uncertain_baseline(dir: &Path, extra: &str) -> PathBuf {
    let path = dir.join("uncertain.toml");
    let text = format!(
        r#"extends = "{}"

[uncertainty]
"steps.institution.latent.improve" = {{ dist = "lognormal", median = 0.958, p95 = 1.6 }}
"follow_up.detection" = {{ dist = "beta", mean = 0.9, sd = 0.05 }}
"steps.institution.cost_per_year" = {{ dist = "triangular", lo = 900000.0, mode = 1160000.0, hi = 1500000.0 }}
"workforce.caseworkers" = {{ dist = "uniform", lo = 3.5, hi = 6.5 }}
{extra}"#,
        scenario("herning-baseline.toml").display()
    );
    std::fs::write(&path, text).unwrap();
    path
}

fn run(file: &Path, out: &Path, args: &[&str]) {
    run_ok(
        trappe()
            .arg("run")
            .arg(file)
            .arg("--out")
            .arg(out)
            .args(["-q", "--no-plots", "--replications", "16"])
            .args(args),
    );
}

#[test]
fn draws_are_the_same_for_any_thread_count() {
    let dir = TempDir::new().unwrap();
    let file = uncertain_baseline(dir.path(), "");
    let (one, two) = (dir.path().join("one"), dir.path().join("two"));
    run(&file, &one, &["--threads", "1"]);
    run(&file, &two, &["--threads", "2"]);
    for name in [
        "summary.csv",
        "replications.csv",
        "parameters.csv",
        "scenario.toml",
    ] {
        assert!(
            read(&one, name) == read(&two, name),
            "{name} differs by thread count"
        );
    }
}

#[test]
fn each_replication_runs_on_its_drawn_values() {
    let dir = TempDir::new().unwrap();
    let file = uncertain_baseline(dir.path(), "");
    let out = dir.path().join("out");
    run(&file, &out, &[]);
    let params = Csv::read(&out.join("parameters.csv"));
    assert_eq!(params.header, ["replication", "path", "value"]);
    assert_eq!(params.rows.len(), 16 * 4);
    let mut drawn: BTreeMap<(String, String), f64> = BTreeMap::new();
    for row in &params.rows {
        drawn.insert((row[0].clone(), row[1].clone()), row[2].parse().unwrap());
    }
    let cost = |rep: &str| drawn[&(rep.to_string(), "steps.institution.cost_per_year".into())];
    // Every replication gets its own values, inside the support, and
    // whole numbers where the parameter is one.
    let costs: Vec<f64> = (0..16).map(|r| cost(&r.to_string())).collect();
    assert!(costs.iter().all(|c| (900_000.0..=1_500_000.0).contains(c)));
    assert!(costs.windows(2).all(|w| w[0] != w[1]));
    for r in 0..16 {
        let n = drawn[&(r.to_string(), "workforce.caseworkers".into())];
        assert!(n.fract() == 0.0 && (4.0..=6.0).contains(&n), "{n}");
    }
    // Costs are child-years × the drawn cost per child-year (undiscounted).
    let reps = Csv::read(&out.join("replications.csv"));
    let mut years = BTreeMap::new();
    let mut spent = BTreeMap::new();
    for row in &reps.rows {
        if row[3] == "institution" {
            let key = (row[0].clone(), row[1].clone());
            match row[2].as_str() {
                "child_years" => years.insert(key, row[4].parse::<f64>().unwrap()),
                "cost" => spent.insert(key, row[4].parse::<f64>().unwrap()),
                _ => None,
            };
        }
    }
    let mut checked = 0;
    for (key, y) in &years {
        if *y > 0.0 {
            let ratio = spent[key] / y;
            assert!(
                (ratio / cost(&key.0) - 1.0).abs() < 1e-9,
                "{key:?}: {ratio}"
            );
            checked += 1;
        }
    }
    assert!(checked > 16);
    // scenario.toml records the table, so the run can be repeated.
    assert!(read(&out, "scenario.toml").contains("[uncertainty.\"follow_up.detection\"]"));
}

#[test]
fn without_uncertainty_the_results_are_the_base_scenarios() {
    let dir = TempDir::new().unwrap();
    let file = uncertain_baseline(dir.path(), "");
    let (off, plain) = (dir.path().join("off"), dir.path().join("plain"));
    run(&file, &off, &["--no-uncertainty"]);
    run(&scenario("herning-baseline.toml"), &plain, &[]);
    for name in ["summary.csv", "replications.csv"] {
        assert!(
            read(&off, name) == read(&plain, name),
            "{name}: --no-uncertainty changed the results"
        );
    }
    assert!(!off.join("parameters.csv").exists() && !plain.join("parameters.csv").exists());
    // A path fixed with --set is not drawn.
    let fixed = dir.path().join("fixed");
    run(&file, &fixed, &["--set", "follow_up.detection=0.5"]);
    let params = read(&fixed, "parameters.csv");
    assert!(!params.contains("follow_up.detection") && params.contains("cost_per_year"));
}

#[test]
fn bad_distributions_are_refused_with_key_and_line() {
    let cases: [(&str, &str); 6] = [
        (
            "\"follow_up.detection\" = { dist = \"normal\", mean = 0.9, sd = 0.1 }",
            "no lower end",
        ),
        (
            "\"steps.foster.latent.improve\" = { dist = \"uniform\", lo = -0.1, hi = 0.1 }",
            "at least 0",
        ),
        (
            "\"steps.foster.latent.improve\" = { dist = \"beta\", mean = 0.5, sd = 0.6 }",
            "too large for a beta",
        ),
        (
            "\"steps.nowhere.latent.improve\" = { dist = \"gamma\", mean = 1.0, sd = 0.5 }",
            "no rung with id 'nowhere'",
        ),
        (
            "\"steps.foster.latent.improv\" = { dist = \"gamma\", mean = 1.0, sd = 0.5 }",
            "improv",
        ),
        (
            "\"steps.foster.latent.improve\" = { dist = \"cauchy\", lo = 1.0 }",
            "unknown distribution",
        ),
    ];
    for (entry, words) in cases {
        let dir = TempDir::new().unwrap();
        let text = format!(
            "extends = \"{}\"\n\n[uncertainty]\n{entry}\n",
            scenario("herning-baseline.toml").display()
        );
        let file = dir.path().join("bad.toml");
        std::fs::write(&file, text).unwrap();
        let out = dir.path().join("out");
        let err = run_bad(
            trappe()
                .arg("run")
                .arg(&file)
                .arg("--out")
                .arg(&out)
                .arg("-q"),
        );
        assert!(err.contains("bad.toml:4:"), "{entry}: no line 4 in\n{err}");
        assert!(err.contains("uncertainty.\""), "{entry}: no key in\n{err}");
        assert!(err.contains(words), "{entry}: expected '{words}' in\n{err}");
        assert!(!out.exists(), "{entry}: results written");
    }
}
