//! `--precision`: replications in batches until the 95 % CI half-width of
//! the whole-run total cost meets the target, the same count for any
//! thread count, and a clear message (results still written) at the cap.

use std::collections::BTreeMap;
use std::path::Path;

use tempfile::TempDir;

use crate::{Csv, read, run_ok, scenario, trappe};

fn run_json(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&read(dir, "run.json")).unwrap()
}

/// Half-width of the Student-t 95 % CI of the whole-run total cost,
/// recomputed from replications.csv.
fn half_width_from_replications(dir: &Path) -> (usize, f64, f64) {
    let csv = Csv::read(&dir.join("replications.csv"));
    let mut total: BTreeMap<u64, f64> = BTreeMap::new();
    for row in &csv.rows {
        if row[2] == "cost" && row[3] == "total" {
            *total.entry(row[0].parse().unwrap()).or_insert(0.0) += row[4].parse::<f64>().unwrap();
        }
    }
    let n = total.len();
    let mean = total.values().sum::<f64>() / n as f64;
    let var = total.values().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    let t = trappe::results::stats::t975(n - 1);
    (n, mean, t * (var / n as f64).sqrt())
}

fn run(out: &Path, args: &[&str]) -> String {
    let output = run_ok(
        trappe()
            .arg("run")
            .arg(scenario("herning-baseline.toml"))
            .arg("--out")
            .arg(out)
            .args(["-q", "--no-plots"])
            .args(args),
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn stops_when_the_half_width_meets_the_target_whatever_the_threads() {
    let dir = TempDir::new().unwrap();
    let (one, two) = (dir.path().join("one"), dir.path().join("two"));
    let shown = run(&one, &["--precision", "2%", "--threads", "1"]);
    run(&two, &["--precision", "2%", "--threads", "2"]);
    let (a, b) = (run_json(&one), run_json(&two));
    assert_eq!(
        a["precision"]["replications"],
        b["precision"]["replications"]
    );
    assert_eq!(a["replications"], a["precision"]["replications"]);
    assert!(read(&one, "summary.csv") == read(&two, "summary.csv"));
    assert_eq!(a["precision"]["reached"], true);
    let (n, mean, hw) = half_width_from_replications(&one);
    assert_eq!(a["precision"]["replications"].as_u64(), Some(n as u64));
    assert!(n < 1000, "stopped before the cap: {n}");
    assert!(
        hw <= 0.02 * mean.abs(),
        "half-width {hw} above 2 % of {mean}"
    );
    let recorded = a["precision"]["half_width"].as_f64().unwrap();
    assert!((recorded - hw).abs() <= 1e-6 * hw, "{recorded} vs {hw}");
    assert!(
        shown.contains("Precision:") && shown.contains("target 2%"),
        "{shown}"
    );
    // scenario.toml records the count, so it reproduces the run.
    assert!(read(&one, "scenario.toml").contains(&format!("replications = {n}\n")));
}

#[test]
fn an_unreachable_target_says_so_and_writes_the_cap() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("cap");
    let shown = run(&out, &["--precision", "0.01%", "--replications", "60"]);
    assert!(
        shown.contains("NOT reached within the cap of 60"),
        "{shown}"
    );
    let info = run_json(&out);
    assert_eq!(info["precision"]["reached"], false);
    assert_eq!(info["replications"], 60);
    assert_eq!(half_width_from_replications(&out).0, 60);
}

#[test]
fn compare_runs_the_pair_to_a_precision_of_the_difference() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("pair");
    let output = run_ok(
        trappe()
            .arg("compare")
            .arg(scenario("herning-baseline.toml"))
            .arg(scenario("herning-sverigesmodel.toml"))
            .arg("--out")
            .arg(&out)
            .args([
                "-q",
                "--no-plots",
                "--precision",
                "400000",
                "--threads",
                "2",
            ]),
    );
    let shown = String::from_utf8_lossy(&output.stdout);
    assert!(shown.contains("difference in cost:total"), "{shown}");
    let (b, a) = (
        run_json(&out.join("herning-baseline")),
        run_json(&out.join("herning-sverigesmodel")),
    );
    assert_eq!(a["replications"], b["replications"]);
    assert!(b["precision"]["half_width"].as_f64().unwrap() <= 400_000.0);
}
