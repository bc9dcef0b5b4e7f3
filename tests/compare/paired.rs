//! Paired policy answers: with `[uncertainty]`, replication *i* of base and
//! alternative runs on the same drawn parameters, and `paired.csv`'s
//! probability of saving money is the share of replications in which the
//! alternative's whole-run cost is lower, recomputed here from each
//! scenario's own `replications.csv`.

use std::collections::BTreeMap;
use std::path::Path;

use tempfile::TempDir;

use crate::{Csv, compare, scenario};

const TABLE: &str = r#"
[uncertainty]
"steps.institution.latent.improve" = { dist = "lognormal", median = 0.958, p95 = 1.6 }
"follow_up.detection" = { dist = "beta", mean = 0.9, sd = 0.05 }
"steps.institution.cost_per_year" = { dist = "triangular", lo = 900000.0, mode = 1160000.0, hi = 1500000.0 }
"#;

/// The Herning pair, each extending the shipped file and adding [`TABLE`].
fn pair(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let write = |name: &str, shipped: &str| {
        let path = dir.join(name);
        let text = format!("extends = \"{}\"\n{TABLE}", scenario(shipped).display());
        std::fs::write(&path, text).unwrap();
        path
    };
    (
        write("base.toml", "herning-baseline.toml"),
        write("alt.toml", "herning-sverigesmodel.toml"),
    )
}

/// Whole-run total cost per replication, from a run's replications.csv.
fn whole_run_cost(dir: &Path) -> BTreeMap<u64, f64> {
    let csv = Csv::read(&dir.join("replications.csv"));
    let mut out = BTreeMap::new();
    for row in &csv.rows {
        if row[2] == "cost" && row[3] == "total" {
            *out.entry(row[0].parse().unwrap()).or_insert(0.0) += row[4].parse::<f64>().unwrap();
        }
    }
    out
}

#[test]
fn probability_of_savings_is_the_paired_share() {
    let dir = TempDir::new().unwrap();
    let (base, alt) = pair(dir.path());
    let out = dir.path().join("out");
    compare(&base, &alt, &out, &["--no-plots", "--threads", "1"]);
    // Same draws in both scenarios.
    let read = |p: &Path| std::fs::read_to_string(p).unwrap();
    assert_eq!(
        read(&out.join("base/parameters.csv")),
        read(&out.join("alt/parameters.csv"))
    );
    let (b, a) = (
        whole_run_cost(&out.join("base")),
        whole_run_cost(&out.join("alt")),
    );
    let n = b.len();
    let better = b.iter().filter(|(r, cost)| a[r] < **cost).count();
    let mean = b.iter().map(|(r, cost)| a[r] - cost).sum::<f64>() / n as f64;
    let paired = Csv::read(&out.join("paired.csv"));
    let whole = paired
        .maps()
        .into_iter()
        .find(|m| m["period"] == "total" && m["metric"] == "cost")
        .expect("a whole-run cost row");
    assert_eq!(whole["replications"], n.to_string());
    assert_eq!(whole["better"], better.to_string());
    let p: f64 = whole["p_better"].parse().unwrap();
    assert!((p - better as f64 / n as f64).abs() < 1e-12);
    let (lo, hi): (f64, f64) = (
        whole["p_better_ci95_low"].parse().unwrap(),
        whole["p_better_ci95_high"].parse().unwrap(),
    );
    assert!(lo <= p && p <= hi && lo >= 0.0 && hi <= 1.0);
    let diff: f64 = whole["diff_mean"].parse().unwrap();
    assert!(
        (diff - mean).abs() < 1e-6 * mean.abs().max(1.0),
        "{diff} vs {mean}"
    );
    // Period rows too, for every outcome.
    for metric in ["cost", "breakdowns", "crises", "placed_child_years"] {
        assert!(
            paired
                .maps()
                .iter()
                .any(|m| m["metric"] == metric && m["period"] == "1")
        );
    }
}

#[test]
fn paired_answers_do_not_depend_on_threads_and_are_reported() {
    let dir = TempDir::new().unwrap();
    let (base, alt) = pair(dir.path());
    let (one, two) = (dir.path().join("one"), dir.path().join("two"));
    let shown = compare(&base, &alt, &one, &["--threads", "1", "--report"]);
    compare(&base, &alt, &two, &["--threads", "2", "--no-plots"]);
    let read = |p: &Path| std::fs::read_to_string(p).unwrap();
    assert_eq!(read(&one.join("paired.csv")), read(&two.join("paired.csv")));
    let stdout = String::from_utf8_lossy(&shown.stdout);
    assert!(
        stdout.contains("saves money in") && stdout.contains("plausible futures"),
        "{stdout}"
    );
    assert!(one.join("plots/paired_cost_difference.png").exists());
    let report = read(&one.join("report.html"));
    assert!(report.contains("Paired answers") && report.contains("saves money in"));
    // `trappe report DIR` redraws the same report from the saved files.
    std::fs::remove_file(one.join("report.html")).unwrap();
    crate::run_ok(crate::trappe().arg("report").arg(&one));
    assert!(
        read(&one.join("report.html")) == report,
        "trappe report differs from compare --report"
    );
}
