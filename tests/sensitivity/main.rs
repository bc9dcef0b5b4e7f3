//! Tests of `trappe sensitivity`: Sobol indices against their closed form
//! (costs do not change the dynamics, so under common random numbers the
//! total cost is exactly linear in the rungs' `cost_per_year`, with their
//! child-years as weights), a parameter without effect, the tornado against
//! one-at-a-time `trappe run --set` runs, shards merged byte for byte,
//! regression coefficients from a Latin hypercube sweep, and bad input.
//!
//! All on the sweep tests' `small.toml`, which simulates in milliseconds.

#[path = "../common/mod.rs"]
mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use common::{Csv, run_bad as bad, run_ok as ok, trappe};

/// The sweep tests' small scenario.
fn small() -> PathBuf {
    common::root().join("tests/sweep/small.toml")
}

/// `trappe sensitivity SCENARIO… --out OUT -q ARGS…`.
fn sensitivity(scenarios: &[&Path], out: &Path, args: &[&str]) -> Command {
    let mut cmd = trappe();
    cmd.arg("sensitivity")
        .args(scenarios)
        .arg("--out")
        .arg(out)
        .arg("-q")
        .args(args);
    cmd
}

fn rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    Csv::read(path).maps()
}

fn num(row: &BTreeMap<String, String>, column: &str) -> f64 {
    row[column]
        .parse()
        .unwrap_or_else(|_| panic!("{column} = {} is not a number", row[column]))
}

/// The whole-run mean of `metric`/`step` in a run folder's totals.csv.
fn whole_run(dir: &Path, metric: &str, step: &str) -> f64 {
    rows(&dir.join("totals.csv"))
        .into_iter()
        .find(|r| r["span"] == "total" && r["metric"] == metric && r["step"] == step)
        .map(|r| num(&r, "mean"))
        .unwrap_or_else(|| panic!("no total {metric}:{step} in {}", dir.display()))
}

/// `trappe run SCENARIO --set …` into `out`.
fn run(scenario: &Path, out: &Path, set: &[&str]) {
    let mut cmd = trappe();
    cmd.arg("run")
        .arg(scenario)
        .arg("--out")
        .arg(out)
        .args(["-q", "--no-plots"]);
    for s in set {
        cmd.args(["--set", s]);
    }
    ok(&mut cmd);
}

const HOME: &str = "steps.home.cost_per_year";
const PLACED: &str = "steps.placed.cost_per_year";

fn sobol_args<'a>(samples: &'a str, metric: &'a str) -> Vec<&'a str> {
    vec![
        "--method",
        "sobol",
        "--samples",
        samples,
        "--vary",
        "steps.home.cost_per_year=50000.0..150000.0",
        "--vary",
        "steps.placed.cost_per_year=600000.0..1000000.0",
        "--metric",
        metric,
        "--no-plots",
    ]
}

fn index(rows: &[BTreeMap<String, String>], path: &str) -> BTreeMap<String, String> {
    rows.iter()
        .find(|r| r["parameter"] == path)
        .unwrap_or_else(|| panic!("no row for {path}"))
        .clone()
}

fn within(row: &BTreeMap<String, String>, which: &str, value: f64) -> bool {
    num(row, &format!("{which}_ci95_low")) <= value
        && value <= num(row, &format!("{which}_ci95_high"))
}

#[test]
fn sobol_indices_match_the_closed_form_for_linear_costs() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sobol");
    ok(&mut sensitivity(
        &[&small()],
        &out,
        &sobol_args("128", "cost:total"),
    ));
    // Weights: each rung's child-years over the same replications (costs do
    // not change the dynamics, so every point has these).
    let base = dir.path().join("base");
    run(&small(), &base, &[]);
    let w_home = whole_run(&base, "child_years", "home");
    let w_placed = whole_run(&base, "child_years", "placed");
    let var = |lo: f64, hi: f64| (hi - lo) * (hi - lo) / 12.0;
    let v_home = w_home * w_home * var(50_000.0, 150_000.0);
    let v_placed = w_placed * w_placed * var(600_000.0, 1_000_000.0);
    let expected = [
        (HOME, v_home / (v_home + v_placed)),
        (PLACED, v_placed / (v_home + v_placed)),
    ];
    let found = rows(&out.join("sobol.csv"));
    assert_eq!(found.len(), 2);
    for (path, share) in expected {
        let row = index(&found, path);
        // An additive model: first-order and total index are the same.
        for which in ["first_order", "total"] {
            assert!(
                within(&row, which, share),
                "{path}: {which} CI [{}, {}] misses the closed form {share}",
                row[&format!("{which}_ci95_low")],
                row[&format!("{which}_ci95_high")]
            );
        }
    }
    // The CIs are informative, not [0, 1].
    let placed = index(&found, PLACED);
    assert!(num(&placed, "total_ci95_high") - num(&placed, "total_ci95_low") < 0.5);
    let record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("sensitivity.json")).unwrap())
            .unwrap();
    assert_eq!(record["method"], "sobol");
    assert_eq!(record["metric"], "cost:total");
    assert_eq!(record["samples"], 128);
}

#[test]
fn a_parameter_without_effect_gets_zero_indices() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sobol");
    // The home rung's cost does not depend on the placed rung's price.
    ok(&mut sensitivity(
        &[&small()],
        &out,
        &sobol_args("64", "cost:home"),
    ));
    let found = rows(&out.join("sobol.csv"));
    let placed = index(&found, PLACED);
    assert_eq!(num(&placed, "total"), 0.0, "no effect, exactly");
    assert!(within(&placed, "first_order", 0.0), "{placed:?}");
    let home = index(&found, HOME);
    assert!(within(&home, "total", 1.0), "{home:?}");
    assert!(within(&home, "first_order", 1.0), "{home:?}");
}

#[test]
fn sobol_shards_merge_into_the_unsharded_results() {
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole");
    ok(&mut sensitivity(
        &[&small()],
        &whole,
        &sobol_args("16", "cost:total"),
    ));
    let shards = dir.path().join("shards");
    for k in 1..=3 {
        let mut args = sobol_args("16", "cost:total");
        let shard = format!("{k}/3");
        args.extend(["--shard", &shard]);
        ok(&mut sensitivity(&[&small()], &shards, &args));
    }
    let merged = dir.path().join("merged");
    ok(trappe()
        .arg("merge")
        .arg(&shards)
        .arg("--out")
        .arg(&merged)
        .arg("--no-plots"));
    for name in [
        "sobol.csv",
        "sensitivity.json",
        "sweep.csv",
        "points.csv",
        "sweep.json",
        "scenario.toml",
        "values.bin",
    ] {
        let a = std::fs::read(whole.join(name)).unwrap();
        let b = std::fs::read(merged.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(a == b, "{name} differs between the run and the merge");
    }
    // Shards measuring different things are not merged.
    let other = dir.path().join("other");
    for k in 1..=3 {
        let mut args = sobol_args("16", if k == 3 { "cost:home" } else { "cost:total" });
        let shard = format!("{k}/3");
        args.extend(["--shard", &shard]);
        ok(&mut sensitivity(&[&small()], &other, &args));
    }
    let err = bad(trappe()
        .arg("merge")
        .arg(&other)
        .arg("--out")
        .arg(dir.path().join("nope")));
    assert!(err.contains("sensitivity.json"), "{err}");
}

#[test]
fn the_tornado_matches_one_at_a_time_runs() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("tornado");
    let vary = [
        ("steps.placed.cost_per_year", "600000.0", "1000000.0"),
        ("follow_up.detection", "0.6", "0.9"),
        ("costs.per_breakdown", "0.0", "20000.0"),
    ];
    let mut args = vec!["--metric", "cost:total", "--period", "total"];
    let specs: Vec<String> = vary
        .iter()
        .map(|(p, lo, hi)| format!("{p}={lo}..{hi}"))
        .collect();
    for s in &specs {
        args.extend(["--vary", s]);
    }
    ok(&mut sensitivity(&[&small()], &out, &args));
    let table = rows(&out.join("tornado.csv"));
    // By hand: each end as its own run.
    let mut by_hand = Vec::new();
    for (i, (path, lo, hi)) in vary.iter().enumerate() {
        let mut at = Vec::new();
        for (j, value) in [lo, hi].into_iter().enumerate() {
            let folder = dir.path().join(format!("run-{i}-{j}"));
            run(&small(), &folder, &[&format!("{path}={value}")]);
            at.push(whole_run(&folder, "cost", "total"));
        }
        let row = table
            .iter()
            .find(|r| r["parameter"] == *path)
            .unwrap_or_else(|| panic!("no row for {path}"));
        for (column, value) in [("mean_at_low", at[0]), ("mean_at_high", at[1])] {
            let got = num(row, column);
            assert!(
                (got - value).abs() <= 1e-9 * value.abs(),
                "{path} {column}: tornado {got}, run {value}"
            );
        }
        assert!((num(row, "swing") - (at[1] - at[0]).abs()).abs() <= 1e-6 * at[0].abs());
        by_hand.push((path.to_string(), (at[1] - at[0]).abs()));
    }
    by_hand.sort_by(|a, b| b.1.total_cmp(&a.1));
    let order: Vec<&str> = table.iter().map(|r| r["parameter"].as_str()).collect();
    let expected: Vec<&str> = by_hand.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(order, expected, "sorted by swing");
    assert!(out.join("plots/tornado.png").is_file());
}

#[test]
fn a_tornado_of_two_scenarios_measures_the_paired_difference() {
    let dir = tempfile::tempdir().unwrap();
    let alt = dir.path().join("alt.toml");
    let text = std::fs::read_to_string(small()).unwrap();
    std::fs::write(
        &alt,
        text.replace(
            "name = \"Sweep test\"",
            "name = \"Sweep test, more follow-up\"",
        )
        .replace(
            "every_weeks = 13.0, hours = 3.0",
            "every_weeks = 6.0, hours = 3.0",
        ),
    )
    .unwrap();
    let out = dir.path().join("tornado");
    ok(&mut sensitivity(
        &[&small(), &alt],
        &out,
        &[
            "--vary",
            "steps.placed.cost_per_year=600000.0..1000000.0",
            "--metric",
            "cost:total",
            "--no-plots",
            "--report",
        ],
    ));
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        report.contains("Sweep test, more follow-up − Sweep test"),
        "the report names the difference"
    );
    assert!(report.contains("steps.placed.cost_per_year"));
    let row = rows(&out.join("tornado.csv")).remove(0);
    for (column, value) in [("mean_at_low", "600000.0"), ("mean_at_high", "1000000.0")] {
        let set = format!("{PLACED}={value}");
        let (a, b) = (
            dir.path().join(format!("a{value}")),
            dir.path().join(format!("b{value}")),
        );
        run(&small(), &a, &[&set]);
        run(&alt, &b, &[&set]);
        let difference = whole_run(&b, "cost", "total") - whole_run(&a, "cost", "total");
        let got = num(&row, column);
        assert!(
            (got - difference).abs() <= 1e-6 * whole_run(&a, "cost", "total"),
            "{column}: tornado {got}, runs {difference}"
        );
    }
    assert!(out.join("alternative.toml").is_file());
}

#[test]
fn regression_from_a_latin_hypercube_sweep() {
    let dir = tempfile::tempdir().unwrap();
    let sweep = dir.path().join("sweep");
    ok(trappe()
        .arg("sweep")
        .arg(small())
        .arg("--out")
        .arg(&sweep)
        .args(["-q", "--no-plots", "--lhs", "40"])
        .args(["--vary", "steps.home.cost_per_year=50000.0..150000.0"])
        .args(["--vary", "steps.placed.cost_per_year=600000.0..1000000.0"]));
    let out = dir.path().join("regression");
    ok(trappe()
        .arg("sensitivity")
        .arg("--from")
        .arg(&sweep)
        .args(["--metric", "cost:total", "--out"])
        .arg(&out));
    let table = rows(&out.join("regression.csv"));
    let home = index(&table, HOME);
    let placed = index(&table, PLACED);
    // Exactly linear: R² = 1, and SRC_i = w_i sd(x_i) / sd(y) with w_i the
    // rung's child-years and sd(x_i) the sample sd of the points' values.
    assert!(num(&home, "r2") > 1.0 - 1e-9, "{home:?}");
    let base = dir.path().join("base");
    run(&small(), &base, &[]);
    let points = Csv::read(&sweep.join("points.csv"));
    let sd = |path: &str| {
        let c = points.col(path);
        let x: Vec<f64> = points.rows.iter().map(|r| r[c].parse().unwrap()).collect();
        let m = x.iter().sum::<f64>() / x.len() as f64;
        (x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (x.len() - 1) as f64).sqrt()
    };
    let expected = whole_run(&base, "child_years", "placed") * sd(PLACED)
        / (whole_run(&base, "child_years", "home") * sd(HOME));
    let ratio = num(&placed, "src") / num(&home, "src");
    assert!(
        (ratio - expected).abs() <= 1e-6 * expected,
        "SRC ratio {ratio}, closed form {expected}"
    );
    // Ranks of a noiseless monotone model: the partial correlations are high.
    assert!(
        num(&placed, "prcc") > 0.9 && num(&home, "prcc") > 0.5,
        "{table:?}"
    );
    assert!(out.join("plots/regression.png").is_file());
}

#[test]
fn bad_input_is_named_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec!["--vary".into(), "follow_up.detection=0.9..0.5".into()],
            "HI is below LO",
        ),
        (
            vec![
                "--vary".into(),
                "steps.nowhere.cost_per_year=1.0..2.0".into(),
            ],
            "steps.nowhere",
        ),
        (
            vec![
                "--vary".into(),
                "follow_up.detection=0.5..0.9".into(),
                "--metric".into(),
                "costs".into(),
            ],
            "unknown metric 'costs'",
        ),
        (
            vec![
                "--vary".into(),
                "follow_up.detection=0.5..0.9".into(),
                "--metric".into(),
                "cost:nowhere".into(),
            ],
            "cost:nowhere",
        ),
    ];
    for (args, expected) in cases {
        let mut cmd = trappe();
        cmd.arg("sensitivity")
            .arg(small())
            .arg("--out")
            .arg(&out)
            .args(&args);
        if !args.iter().any(|a| a == "--metric") {
            cmd.args(["--metric", "cost:total"]);
        }
        let err = bad(&mut cmd);
        assert!(err.contains(expected), "{args:?}: {err}");
        assert!(!out.exists(), "{args:?} wrote {}", out.display());
    }
    // --from a grid sweep, and from a run folder.
    let grid = dir.path().join("grid");
    ok(trappe()
        .arg("sweep")
        .arg(small())
        .arg("--out")
        .arg(&grid)
        .args(["-q", "--no-plots", "--vary", "workforce.caseworkers=2..3"]));
    let err = bad(trappe()
        .args(["sensitivity", "--metric", "cost:total", "--from"])
        .arg(&grid)
        .arg("--out")
        .arg(&out));
    assert!(
        err.contains("--from") && err.contains("Latin hypercube"),
        "{err}"
    );
    let plain = dir.path().join("plain");
    run(&small(), &plain, &[]);
    let err = bad(trappe()
        .args(["sensitivity", "--metric", "cost:total", "--from"])
        .arg(&plain)
        .arg("--out")
        .arg(&out));
    assert!(err.contains("not a sweep"), "{err}");
    assert!(!out.exists());
}

#[test]
fn the_saltelli_design_is_a_b_and_a_with_one_column_of_b() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sobol");
    let mut args = sobol_args("8", "cost:total");
    args.extend(["--replications", "1"]);
    ok(&mut sensitivity(&[&small()], &out, &args));
    let points = Csv::read(&out.join("points.csv"));
    let n = 8;
    assert_eq!(points.rows.len(), n * 4, "N × (k + 2)");
    let value = |row: usize, path: &str| points.rows[row][points.col(path)].clone();
    for (i, path) in [HOME, PLACED].into_iter().enumerate() {
        for j in 0..n {
            let ab = (2 + i) * n + j;
            for (k, other) in [HOME, PLACED].into_iter().enumerate() {
                let from = if k == i { n + j } else { j };
                assert_eq!(value(ab, other), value(from, other), "A_B^{path} row {j}");
            }
        }
    }
    // A and B are the two halves of one Latin hypercube: every stratum of
    // each range once in A.
    let c = points.col(HOME);
    let mut strata: Vec<usize> = points.rows[..n]
        .iter()
        .map(|r| ((r[c].parse::<f64>().unwrap() - 50_000.0) / 100_000.0 * n as f64) as usize)
        .collect();
    strata.sort();
    assert_eq!(strata, (0..n).collect::<Vec<_>>());
}

#[test]
fn a_tornado_is_the_same_for_any_thread_count_and_reads_one_period() {
    let dir = tempfile::tempdir().unwrap();
    let mut outs = Vec::new();
    for threads in ["1", "2"] {
        let out = dir.path().join(format!("t{threads}"));
        ok(&mut sensitivity(
            &[&small()],
            &out,
            &[
                "--vary",
                "follow_up.detection=0.6..0.9",
                "--metric",
                "placed_child_years",
                "--period",
                "3",
                "--threads",
                threads,
                "--no-plots",
            ],
        ));
        outs.push(out);
    }
    for name in ["tornado.csv", "sensitivity.json", "scenario.toml"] {
        assert_eq!(
            std::fs::read(outs[0].join(name)).unwrap(),
            std::fs::read(outs[1].join(name)).unwrap(),
            "{name}"
        );
    }
    // Period 3 of a run at the low value, from its summary.csv.
    let low = dir.path().join("low");
    run(&small(), &low, &["follow_up.detection=0.6"]);
    let summary = rows(&low.join("summary.csv"));
    let expected = summary
        .iter()
        .find(|r| r["period"] == "3" && r["metric"] == "placed_child_years")
        .map(|r| num(r, "mean"))
        .unwrap();
    let row = rows(&outs[0].join("tornado.csv")).remove(0);
    assert!((num(&row, "mean_at_low") - expected).abs() <= 1e-9 * expected);
    let record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(outs[0].join("sensitivity.json")).unwrap())
            .unwrap();
    assert_eq!(record["period"], "3");
    assert_eq!(record["method"], "tornado");
}

#[test]
fn plot_redraws_the_charts_of_sensitivity_folders() {
    let dir = tempfile::tempdir().unwrap();
    let tornado = dir.path().join("tornado");
    ok(&mut sensitivity(
        &[&small()],
        &tornado,
        &["--vary", "follow_up.detection=0.6..0.9", "--metric", "cost"],
    ));
    let sobol = dir.path().join("sobol");
    let mut args = sobol_args("8", "cost:total");
    args.retain(|a| *a != "--no-plots");
    ok(&mut sensitivity(&[&small()], &sobol, &args));
    for (folder, stem) in [(&tornado, "tornado"), (&sobol, "sobol")] {
        let svg = folder.join(format!("plots/{stem}.svg"));
        let drawn = std::fs::read(&svg).unwrap();
        std::fs::remove_dir_all(folder.join("plots")).unwrap();
        ok(trappe().arg("plot").arg(folder));
        assert!(
            std::fs::read(&svg).unwrap() == drawn,
            "{stem}.svg redrawn differently"
        );
    }
}
