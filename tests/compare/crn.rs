//! Common random numbers: identical parameters give identical paths, and
//! pairing makes differences far more precise than independent runs.

use tempfile::TempDir;
use trappe::compare::{CSV_HEADER, CompareError, Comparison};
use trappe::metrics::Metric;
use trappe::results::Results;
use trappe::results::stats::t975;
use trappe::{Override, Scenario, monte_carlo};

use crate::{Csv, REPS, compare, edited_copy, scenario};

fn load(name: &str, sets: &[&str]) -> Scenario {
    let overrides: Vec<Override> = sets.iter().map(|s| s.parse().unwrap()).collect();
    Scenario::load(&scenario(name), &overrides).unwrap()
}

/// Every `diff_*` value of the non-base rows of `compare.csv`.
fn alternative_diffs(csv: &Csv) -> Vec<String> {
    let scenario = csv.col("scenario");
    let first = csv.rows[0][scenario].clone();
    let cols: Vec<usize> = CSV_HEADER[7..].iter().map(|c| csv.col(c)).collect();
    csv.rows
        .iter()
        .filter(|r| r[scenario] != first)
        .flat_map(|r| cols.iter().map(|&c| r[c].clone()).collect::<Vec<_>>())
        .collect()
}

#[test]
fn a_scenario_compared_with_itself_differs_by_exactly_zero() {
    let dir = TempDir::new().unwrap();
    let file = scenario("herning-sverigesmodel.toml");
    let out = dir.path().join("out");
    compare(&file, &file, &out, &["--no-plots"]);
    let csv = Csv::read(&out.join("compare.csv"));
    assert_eq!(csv.header, CSV_HEADER);
    let diffs = alternative_diffs(&csv);
    assert!(diffs.len() > 100, "compare.csv has the alternative's rows");
    assert!(
        diffs.iter().all(|d| d == "0"),
        "every paired difference is exactly 0: {:?}",
        diffs.iter().find(|d| *d != "0")
    );
    // Both runs are kept, in their own folders.
    assert!(out.join("herning-sverigesmodel/summary.csv").is_file());
    assert!(out.join("herning-sverigesmodel-2/summary.csv").is_file());
}

#[test]
fn compare_forces_the_base_seed_so_a_copy_with_another_seed_is_identical() {
    let dir = TempDir::new().unwrap();
    let copy = edited_copy(dir.path(), "copy.toml", "herning-baseline.toml", |t| {
        t.replace("seed = 2013", "seed = 77")
            .replace("(baseline)\"", "(copy)\"")
    });
    let out = dir.path().join("out");
    compare(
        &scenario("herning-baseline.toml"),
        &copy,
        &out,
        &["--no-plots"],
    );
    let diffs = alternative_diffs(&Csv::read(&out.join("compare.csv")));
    assert!(!diffs.is_empty() && diffs.iter().all(|d| d == "0"));
    let resolved = std::fs::read_to_string(out.join("copy/scenario.toml")).unwrap();
    assert!(resolved.contains("seed = 2013"), "{resolved}");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("compare.json")).unwrap()).unwrap();
    assert_eq!(manifest["seed"], 2013);
    assert_eq!(manifest["replications"], REPS.parse::<u64>().unwrap());
}

#[test]
fn a_real_difference_is_not_zero_and_base_rows_match_the_base_run() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    compare(
        &scenario("herning-baseline.toml"),
        &scenario("herning-sverigesmodel.toml"),
        &out,
        &["--no-plots"],
    );
    let csv = Csv::read(&out.join("compare.csv"));
    let (sc, metric, step, period, mean, diff) = (
        csv.col("scenario"),
        csv.col("metric"),
        csv.col("step"),
        csv.col("period"),
        csv.col("mean"),
        csv.col("diff_mean"),
    );
    let row = |who: &str, m: &str, s: &str, p: &str| {
        csv.rows
            .iter()
            .find(|r| r[sc] == who && r[metric] == m && r[step] == s && r[period] == p)
            .unwrap_or_else(|| panic!("no row {who} {m} {s} {p}"))
            .clone()
    };
    // By the last period the Swedish model's 4 extra caseworkers are paid.
    let last = csv.rows.last().unwrap()[period].clone();
    let alt = row("herning-sverigesmodel", "cost", "workforce", &last);
    let workforce: f64 = alt[diff].parse().unwrap();
    assert!(
        workforce > 400_000.0,
        "4 more caseworkers cost more: {workforce}"
    );
    // The base's own mean is the mean in its summary.csv.
    let base = row("herning-baseline", "cost", "total", "2");
    let summary = Csv::read(&out.join("herning-baseline/summary.csv"));
    let (m, s, p, mu) = (
        summary.col("metric"),
        summary.col("step"),
        summary.col("period"),
        summary.col("mean"),
    );
    let own = summary
        .rows
        .iter()
        .find(|r| r[m] == "cost" && r[s] == "total" && r[p] == "2")
        .unwrap();
    assert_eq!(base[mean], own[mu]);
}

#[test]
fn results_on_different_streams_are_refused() {
    let a = load("minimal.toml", &["scenario.replications=3"]);
    let b = load(
        "minimal.toml",
        &["scenario.replications=3", "scenario.seed=2"],
    );
    let err = Comparison::new(
        vec!["a".into(), "b".into()],
        &[monte_carlo::run(&a), monte_carlo::run(&b)],
    )
    .unwrap_err();
    assert!(matches!(err, CompareError::Streams { .. }), "{err}");
}

/// Welch half-width of the 95 % CI of mean(b) − mean(a) for independent
/// samples of equal size.
fn independent_half_width(a: &Results, b: &Results, row: usize, period: usize) -> f64 {
    let var = |r: &Results| {
        let v = r.column(period, row);
        let n = v.len() as f64;
        let m = v.iter().sum::<f64>() / n;
        v.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n - 1.0)
    };
    let n = a.replications();
    t975(2 * n - 2) * ((var(a) + var(b)) / n as f64).sqrt()
}

#[test]
fn pairing_narrows_the_ci_at_least_threefold_against_independent_streams() {
    // One lever: the number of caseworkers. Independent = the alternative
    // run with a different seed.
    let reps = "scenario.replications=300";
    let base = load("herning-baseline.toml", &[reps]);
    let alt = load("herning-baseline.toml", &[reps, "workforce.caseworkers=8"]);
    let independent = load(
        "herning-baseline.toml",
        &[reps, "workforce.caseworkers=8", "scenario.seed=2014"],
    );
    let rb = monte_carlo::run(&base);
    let ra = monte_carlo::run(&alt);
    let ri = monte_carlo::run(&independent);
    let comparison = Comparison::new(vec!["base".into(), "alt".into()], &[rb.clone(), ra]).unwrap();
    for (metric, step) in [(Metric::Cost, "total"), (Metric::PlacedChildYears, "")] {
        let row = rb.layout.find(metric, step).unwrap();
        for k in 0..rb.periods.len() {
            let paired = comparison
                .get(1, metric, step, k)
                .unwrap()
                .diff
                .half_width();
            let indep = independent_half_width(&rb, &ri, row, k);
            let ratio = indep / paired;
            eprintln!(
                "{} {step} period {}: paired ±{paired:.4}, independent ±{indep:.4}, ratio {ratio:.1}",
                metric.name(),
                k + 1
            );
            assert!(
                ratio >= 3.0,
                "{} {step} period {}: paired CI ±{paired} is not 3× narrower than independent ±{indep}",
                metric.name(),
                k + 1
            );
        }
    }
}

#[test]
fn scenarios_with_different_periods_are_refused_before_simulating() {
    let dir = tempfile::TempDir::new().unwrap();
    let started = std::time::Instant::now();
    let output = crate::trappe()
        .arg("compare")
        .arg(scenario("herning-baseline.toml"))
        .arg(scenario("minimal.toml"))
        .arg("--out")
        .arg(dir.path().join("out"))
        .args(["--replications", "100000", "-q"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "bad input");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("different periods"), "{stderr}");
    assert!(
        started.elapsed().as_secs() < 20,
        "refused before running 100,000 replications"
    );
    assert!(!dir.path().join("out").exists(), "nothing written");
}
