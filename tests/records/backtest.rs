//! `trappe backtest` and `trappe::backtest` on simulated records: with the
//! model that made the records, the 90 % band covers about 90 % of the
//! cells; the command refuses a bad `--at`/`--until` and writes nothing;
//! `backtest.csv` has its documented shape.

use std::path::Path;

use chrono::NaiveDate;
use indicatif::ProgressBar;
use tempfile::TempDir;

use crate::common::{Csv, run_bad, run_ok, shipped, trappe};
use trappe::Scenario;
use trappe::backtest::{self, CSV_HEADER, Quantity, SCORES_HEADER, projection};
use trappe::records::open_cases::open_on;
use trappe::records::simulated::{CODES_TOML, EPISODES_CSV, simulate_records};

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// The shipped Herning baseline (five years of warm-up, so its records
/// reach back before `start`), run for `years` after its start.
fn herning(years: f64) -> Scenario {
    let set = format!("scenario.horizon_years={years}").parse().unwrap();
    Scenario::load(&shipped("herning-baseline.toml"), &[set]).unwrap()
}

/// Independent record sets (replications 0, 1, … of the true model).
const HISTORIES: u64 = 5;
/// Replications of each projection.
const REPLICATIONS: u64 = 200;

#[test]
fn with_the_true_model_the_90_percent_band_covers_about_90_percent_of_the_cells() {
    // Truth: Herning's baseline run three years past 1 January 2013. Each
    // record set is projected from its open cases on that day to 1
    // January 2016 by the same model (another seed, so the projection
    // shares no random numbers with the records), quarterly: 12 periods ×
    // 9 series (assessment and five rungs, placed child-years, moves down
    // and up) = 108 cells a set, 540 in all (fewer: all-zero cells are not
    // scored). With independent cells the coverage's binomial SE would be
    // √(0.9 × 0.1 / 540) ≈ 1.3 points; the cells of one series share one
    // future, which inflates it several times (design effect up to the 12
    // periods of a series: SE ≤ 4.5 points), so 75 % is more than 3 SE
    // below 90 % even then. Quantiles of 200 replications add little (the
    // 5 % quantile's own coverage error is about √(0.05 × 0.95 / 200) ≈ 1.5
    // points at each end).
    let truth = herning(3.0);
    let (at, until) = (date("2013-01-01"), date("2016-01-01"));
    let mut model = truth.clone();
    model.set_seed(truth.settings().seed + 1);
    let options = projection::Options {
        replications: Some(REPLICATIONS),
        period: None,
    };
    let (mut inside, mut cells) = (0, 0);
    let mut by_quantity = [(0, 0); 3];
    for rep in 0..HISTORIES {
        let records = simulate_records(&truth, rep);
        let b = backtest::backtest(
            &records.history,
            &model,
            (at, until),
            options,
            &ProgressBar::hidden(),
        )
        .unwrap();
        assert_eq!((b.periods.len(), b.series.len()), (12, 9));
        assert_eq!(b.replications, REPLICATIONS as usize);
        // The projection starts from the records' open cases on `at`.
        let listed = b.scenario.initial_cases.as_ref().unwrap().cases.len();
        assert_eq!(listed, open_on(&records.history, at).len());
        let s = b.scores(None);
        inside += s.inside;
        cells += s.cells;
        for (k, q) in Quantity::ALL.into_iter().enumerate() {
            let s = b.scores(Some(q));
            by_quantity[k].0 += s.inside;
            by_quantity[k].1 += s.cells;
        }
    }
    let coverage = inside as f64 / cells as f64;
    let per_quantity: Vec<String> = Quantity::ALL
        .iter()
        .zip(by_quantity)
        .map(|(q, (i, n))| format!("{} {i}/{n}", q.name()))
        .collect();
    eprintln!(
        "coverage of the 90 % band with the true model: {inside}/{cells} = {:.1} % ({})",
        100.0 * coverage,
        per_quantity.join(", ")
    );
    assert!(cells >= 400, "too few cells scored: {cells}");
    assert!(
        coverage >= 0.75,
        "the 90 % band covers only {:.1} % of {cells} cells",
        100.0 * coverage
    );
}

/// Replication 0's records of the shipped Herning baseline (extract 2 January
/// 2015) in `dir`.
fn records(dir: &Path) {
    simulate_records(&herning(2.0), 0).write(dir).unwrap();
}

/// `trappe backtest` on the records in `dir` with `extra` arguments.
fn backtest_cmd(dir: &Path, extra: &[&str]) -> assert_cmd::Command {
    let mut cmd = trappe();
    cmd.current_dir(dir)
        .args(["backtest", EPISODES_CSV, "--codes", CODES_TOML, "--policy"])
        .arg(shipped("herning-baseline.toml"))
        .args(["--extract-date", "2015-01-02", "--out", "out"])
        .args(extra);
    cmd
}

#[test]
fn a_bad_at_or_until_is_refused_and_nothing_is_written() {
    let dir = TempDir::new().unwrap();
    records(dir.path());
    for (args, expected) in [
        (
            vec!["--at", "2014-06-01", "--until", "2014-01-01"],
            "--at 2014-06-01 must be before --until 2014-01-01",
        ),
        (
            vec!["--at", "2014-01-01", "--until", "2014-01-01"],
            "must be before --until",
        ),
        (
            vec!["--at", "2014-01-01", "--until", "2015-06-01"],
            "--until 2015-06-01: after the extract date 2015-01-02",
        ),
        (
            vec!["--at", "2016-01-01"],
            "--at 2016-01-01 must be before --until 2015-01-02",
        ),
        (vec!["--at", "1990-01-01"], "must be before --at 1990-01-01"),
        (
            vec!["--at", "2014-13-01"],
            "is not a date written YYYY-MM-DD",
        ),
        (
            vec!["--at", "2014-01-01", "--period", "week"],
            "not a period",
        ),
    ] {
        let stderr = run_bad(&mut backtest_cmd(dir.path(), &args));
        assert!(
            stderr.contains(expected),
            "{args:?}: expected {expected:?} in\n{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(
            !dir.path().join("out").exists(),
            "{args:?}: nothing may be written"
        );
    }
}

#[test]
fn backtest_csv_has_one_row_per_series_and_period_in_order() {
    let dir = TempDir::new().unwrap();
    records(dir.path());
    run_ok(&mut backtest_cmd(
        dir.path(),
        &[
            "--at",
            "2014-01-01",
            "--until",
            "2015-01-01",
            "--replications",
            "20",
            "--no-fit",
            "-q",
        ],
    ));
    let out = dir.path().join("out");
    let csv = Csv::read(&out.join("backtest.csv"));
    assert_eq!(csv.header, CSV_HEADER);
    let steps = [
        ("count_end", "assessment"),
        ("count_end", "prevention"),
        ("count_end", "home_based"),
        ("count_end", "kinship"),
        ("count_end", "foster"),
        ("count_end", "institution"),
        ("placed_child_years", ""),
        ("moves", "down"),
        ("moves", "up"),
    ];
    let quarters = [
        "2014-01-01",
        "2014-04-01",
        "2014-07-01",
        "2014-10-01",
        "2015-01-01",
    ];
    assert_eq!(csv.rows.len(), steps.len() * 4);
    let col = |name: &str| csv.col(name);
    for (i, row) in csv.rows.iter().enumerate() {
        let (k, (quantity, step)) = (i / steps.len(), steps[i % steps.len()]);
        assert_eq!(row[col("quantity")], quantity, "row {i}");
        assert_eq!(row[col("step")], step, "row {i}");
        assert_eq!(row[col("period")], (k + 1).to_string());
        assert_eq!(row[col("period_start")], quarters[k]);
        assert_eq!(row[col("period_end")], quarters[k + 1]);
        let number = |name: &str| row[col(name)].parse::<f64>().unwrap();
        let (p05, p25, p50, p75, p95) = (
            number("p05"),
            number("p25"),
            number("p50"),
            number("p75"),
            number("p95"),
        );
        assert!(
            p05 <= p25 && p25 <= p50 && p50 <= p75 && p75 <= p95,
            "row {i}"
        );
        let actual = number("actual");
        let expected = if actual == 0.0 && p05 == 0.0 && p95 == 0.0 {
            ""
        } else if p05 <= actual && actual <= p95 {
            "1"
        } else {
            "0"
        };
        assert_eq!(row[col("inside_90")], expected, "row {i}");
        assert_eq!(row[col("ape")].is_empty(), actual == 0.0, "row {i}");
    }
    let scores = Csv::read(&out.join("backtest_scores.csv"));
    assert_eq!(scores.header, SCORES_HEADER);
    let names: Vec<&str> = scores.rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(names, ["all", "count_end", "placed_child_years", "moves"]);
    // The scores add up to the rows.
    let inside = csv
        .rows
        .iter()
        .filter(|r| r[col("inside_90")] == "1")
        .count();
    assert_eq!(scores.rows[0][scores.col("inside_90")], inside.to_string());
    for file in [
        "report.html",
        "scenario.toml",
        "initial_cases.csv",
        "plots/backtest_fan.png",
        "plots/backtest_fan.svg",
    ] {
        assert!(out.join(file).is_file(), "{file}");
    }
    assert!(!out.join("fit").exists(), "--no-fit fits nothing");
    // The projection folder reruns on its own.
    run_ok(trappe().arg("check").arg(out.join("scenario.toml")));
}

#[test]
fn by_default_the_model_is_fitted_on_the_records_before_at() {
    let dir = TempDir::new().unwrap();
    records(dir.path());
    let args = [
        "--at",
        "2014-01-01",
        "--replications",
        "20",
        "--fit-replications",
        "2",
        "--max-evaluations",
        "10",
    ];
    let output = run_ok(backtest_cmd(dir.path(), &args).args(["--follow-ups", "follow_ups.csv"]));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("fitted on the records before 2014-01-01"),
        "{stdout}"
    );
    let out = dir.path().join("out");
    for file in ["scenario.toml", "fit.csv", "parameters.csv", "observed.csv"] {
        assert!(out.join("fit").join(file).is_file(), "fit/{file}");
    }
    // The projection is the fitted scenario, not the policy: a fitted
    // value differs.
    let fitted = Scenario::load(&out.join("fit/scenario.toml"), &[]).unwrap();
    let projected = Scenario::load(&out.join("scenario.toml"), &[]).unwrap();
    let policy = herning(2.0);
    let hazards = |s: &Scenario| s.params.hazards.clone();
    assert_eq!(hazards(&projected), hazards(&fitted));
    assert_ne!(hazards(&projected), hazards(&policy));
}
