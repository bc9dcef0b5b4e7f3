//! Totals per calendar year and for the whole run (`totals.csv`,
//! `compare_totals.csv`, `compare_cumulative.csv`, `results.xlsx`),
//! recomputed by hand from every replication's values in
//! `replications.csv`.

use std::collections::BTreeMap;
use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};
use tempfile::TempDir;

use crate::{Csv, run_ok, scenario, trappe};

const REPLICATIONS: usize = 40;
/// t(0.975, 39), from tables.
const T975_39: f64 = 2.022_690_911_734_728;

/// Per replication: (period, metric, step) → value.
type Values = BTreeMap<(usize, String, String), f64>;

fn replications(dir: &Path) -> Vec<Values> {
    let csv = Csv::read(&dir.join("replications.csv"));
    let mut out: Vec<Values> = vec![Values::new(); REPLICATIONS];
    for r in &csv.rows {
        let rep: usize = r[0].parse().unwrap();
        out[rep].insert(
            (r[1].parse().unwrap(), r[2].clone(), r[3].clone()),
            r[4].parse().unwrap(),
        );
    }
    out
}

/// The periods of each calendar year of the Herning scenarios (quarters of
/// 2013 and 2014) and of the whole run.
fn spans() -> [(&'static str, std::ops::RangeInclusive<usize>); 3] {
    [("2013", 1..=4), ("2014", 5..=8), ("total", 1..=8)]
}

fn sum(v: &Values, periods: &std::ops::RangeInclusive<usize>, metric: &str, step: &str) -> f64 {
    periods
        .clone()
        .map(|k| v[&(k, metric.to_string(), step.to_string())])
        .sum()
}

fn mean_ci(xs: &[f64]) -> (f64, f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let sd = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    let half = T975_39 * sd / n.sqrt();
    (mean, mean - half, mean + half)
}

fn close(a: f64, b: f64, what: &str) {
    assert!(
        (a - b).abs() <= 1e-9 * (1.0 + a.abs().max(b.abs())),
        "{what}: {a} vs {b}"
    );
}

/// The row of a CSV whose named columns have the given values.
fn row<'a>(csv: &'a Csv, keys: &[(&str, &str)]) -> &'a Vec<String> {
    csv.rows
        .iter()
        .find(|r| keys.iter().all(|(c, v)| r[csv.col(c)] == *v))
        .unwrap_or_else(|| panic!("no row {keys:?}"))
}

fn num(csv: &Csv, r: &[String], col: &str) -> f64 {
    r[csv.col(col)].parse().unwrap()
}

fn compare(out: &Path) {
    let reps = REPLICATIONS.to_string();
    run_ok(
        trappe()
            .arg("compare")
            .arg(scenario("herning-baseline.toml"))
            .arg(scenario("herning-sverigesmodel.toml"))
            .arg("--out")
            .arg(out)
            .args(["--replications", &reps, "--no-plots", "-q"]),
    );
}

#[test]
fn totals_are_sums_of_each_replication_and_compare_totals_are_paired() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("c");
    compare(&out);
    let base = replications(&out.join("herning-baseline"));
    let alt = replications(&out.join("herning-sverigesmodel"));
    let totals = Csv::read(&out.join("herning-sverigesmodel/totals.csv"));
    let compare_totals = Csv::read(&out.join("compare_totals.csv"));
    assert_eq!(totals.distinct("span").len(), 3);
    for (span, periods) in spans() {
        // Summed: total cost and placed child-years.
        for (metric, step) in [
            ("cost", "total"),
            ("placed_child_years", ""),
            ("cost", "foster"),
        ] {
            let xs: Vec<f64> = alt.iter().map(|v| sum(v, &periods, metric, step)).collect();
            let (mean, low, high) = mean_ci(&xs);
            let r = row(
                &totals,
                &[("span", span), ("metric", metric), ("step", step)],
            );
            close(num(&totals, r, "mean"), mean, "mean");
            close_ci(num(&totals, r, "ci95_low"), low, "ci95_low");
            close_ci(num(&totals, r, "ci95_high"), high, "ci95_high");
        }
        // A share over a span is weighted by placed child-years.
        let shares: Vec<f64> = alt
            .iter()
            .map(|v| {
                sum(v, &periods, "child_years", "institution")
                    / sum(v, &periods, "placed_child_years", "")
            })
            .collect();
        let r = row(
            &totals,
            &[
                ("span", span),
                ("metric", "placement_share"),
                ("step", "institution"),
            ],
        );
        close(
            num(&totals, r, "mean"),
            mean_ci(&shares).0,
            "institution share",
        );
        // Stocks have no total.
        assert!(
            !totals
                .rows
                .iter()
                .any(|r| r[3] == "count_end" || r[3] == "breakdown_rate")
        );

        // The paired difference of the totals, and the share of
        // replications in which the alternative costs less.
        let diffs: Vec<f64> = alt
            .iter()
            .zip(&base)
            .map(|(a, b)| sum(a, &periods, "cost", "total") - sum(b, &periods, "cost", "total"))
            .collect();
        let (mean, low, high) = mean_ci(&diffs);
        let r = row(
            &compare_totals,
            &[
                ("scenario", "herning-sverigesmodel"),
                ("span", span),
                ("metric", "cost"),
                ("step", "total"),
            ],
        );
        close(num(&compare_totals, r, "diff_mean"), mean, "diff mean");
        close_ci(num(&compare_totals, r, "diff_ci95_low"), low, "diff ci low");
        close_ci(
            num(&compare_totals, r, "diff_ci95_high"),
            high,
            "diff ci high",
        );
        let below = diffs.iter().filter(|d| **d < 0.0).count() as f64 / diffs.len() as f64;
        close(
            num(&compare_totals, r, "p_below_zero"),
            below,
            "probability of savings",
        );
        assert!(num(&compare_totals, r, "p_below_zero_ci95_low") <= below);
        assert!(num(&compare_totals, r, "p_below_zero_ci95_high") >= below);
    }

    // The whole-run CI comes from the paired sums, not from adding the
    // years' CIs (which would be wider: the years' errors partly cancel or
    // add, and adding half-widths ignores that).
    let half = |span: &str| {
        let r = row(
            &compare_totals,
            &[
                ("scenario", "herning-sverigesmodel"),
                ("span", span),
                ("metric", "cost"),
                ("step", "total"),
            ],
        );
        (num(&compare_totals, r, "diff_ci95_high") - num(&compare_totals, r, "diff_ci95_low")) / 2.0
    };
    assert!(half("total") < half("2013") + half("2014"));

    // The cumulative difference up to the last period is the whole-run
    // difference; up to period 4 it is 2013's.
    let cumulative = Csv::read(&out.join("compare_cumulative.csv"));
    for (period, span) in [("8", "total"), ("4", "2013")] {
        let c = row(
            &cumulative,
            &[
                ("scenario", "herning-sverigesmodel"),
                ("period", period),
                ("metric", "cost"),
                ("step", "total"),
            ],
        );
        let t = row(
            &compare_totals,
            &[
                ("scenario", "herning-sverigesmodel"),
                ("span", span),
                ("metric", "cost"),
                ("step", "total"),
            ],
        );
        close(
            num(&cumulative, c, "cum_diff_mean"),
            num(&compare_totals, t, "diff_mean"),
            "cumulative",
        );
        close_ci(
            num(&cumulative, c, "cum_diff_ci95_low"),
            num(&compare_totals, t, "diff_ci95_low"),
            "cumulative CI",
        );
    }
}

fn sheet(path: &Path, name: &str) -> Vec<Vec<Data>> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let range = wb.worksheet_range(name).unwrap();
    range.rows().map(|r| r.to_vec()).collect()
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn float(d: &Data) -> f64 {
    match d {
        Data::Float(x) => *x,
        Data::Int(i) => *i as f64,
        other => panic!("expected a number, found {other:?}"),
    }
}

#[test]
fn the_workbook_holds_the_csvs_numbers() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("c");
    compare(&out);
    let xlsx = out.join("results.xlsx");
    let totals = Csv::read(&out.join("herning-sverigesmodel/totals.csv"));
    let alt_name = "Herning, Swedish-model districts: Swedish model from Aug 2013";

    // Overview: scenario, measure, year, mean, CI low, CI high, p05, p95.
    let overview = sheet(&xlsx, "Overview");
    assert_eq!(text(&overview[0][3]), "Mean");
    let r = overview
        .iter()
        .find(|r| {
            text(&r[0]) == alt_name
                && text(&r[1]) == "Total cost (DKK)"
                && text(&r[2]) == "Whole run"
        })
        .expect("whole-run total cost of the alternative");
    let t = row(
        &totals,
        &[("span", "total"), ("metric", "cost"), ("step", "total")],
    );
    for (c, col) in [
        (3, "mean"),
        (4, "ci95_low"),
        (5, "ci95_high"),
        (6, "p05"),
        (7, "p95"),
    ] {
        assert_eq!(float(&r[c]), num(&totals, t, col), "Overview {col}");
    }

    // Budget: every cost row of the alternative, every year.
    let budget = sheet(&xlsx, "Budget");
    assert_eq!(
        budget[0].iter().skip(2).map(text).collect::<Vec<_>>(),
        ["2013", "2014", "Whole run"]
    );
    let alt_rows: Vec<&Vec<Data>> = budget.iter().filter(|r| text(&r[0]) == alt_name).collect();
    let cost_steps: Vec<&Vec<String>> = totals
        .rows
        .iter()
        .filter(|r| r[3] == "cost" && r[0] == "2013")
        .collect();
    assert_eq!(alt_rows.len(), cost_steps.len());
    for (xl, step) in alt_rows.iter().zip(&cost_steps) {
        for (c, span) in [(2, "2013"), (3, "2014"), (4, "total")] {
            let t = row(
                &totals,
                &[("span", span), ("metric", "cost"), ("step", &step[4])],
            );
            assert_eq!(
                float(&xl[c]),
                num(&totals, t, "mean"),
                "Budget {} {span}",
                step[4]
            );
        }
    }

    // Placements: placed child-years.
    let placements = sheet(&xlsx, "Placements");
    let r = placements
        .iter()
        .find(|r| text(&r[0]) == alt_name && text(&r[1]).starts_with("All placements"))
        .unwrap();
    let t = row(
        &totals,
        &[
            ("span", "2014"),
            ("metric", "placed_child_years"),
            ("step", ""),
        ],
    );
    assert_eq!(float(&r[3]), num(&totals, t, "mean"));

    // Differences and savings against compare_totals.csv.
    let ct = Csv::read(&out.join("compare_totals.csv"));
    let t = row(
        &ct,
        &[
            ("scenario", "herning-sverigesmodel"),
            ("span", "total"),
            ("metric", "cost"),
            ("step", "total"),
        ],
    );
    let diffs = sheet(&xlsx, "Differences");
    let r = diffs
        .iter()
        .find(|r| text(&r[1]) == "Total cost (DKK)" && text(&r[2]) == "Whole run")
        .unwrap();
    for (c, col) in [
        (5, "diff_mean"),
        (6, "diff_ci95_low"),
        (7, "diff_ci95_high"),
        (10, "p_below_zero"),
    ] {
        assert_eq!(float(&r[c]), num(&ct, t, col), "Differences {col}");
    }
    let savings = sheet(&xlsx, "Savings");
    assert_eq!(float(&savings[1][1]), num(&ct, t, "p_below_zero"));
    assert_eq!(float(&savings[1][2]), num(&ct, t, "p_below_zero_ci95_low"));
    // Break-even: Q1 2014 in the Herning pair (the cumulative difference
    // rises in H2 2013 with the programme's cost, then falls).
    assert_eq!(text(&savings[1][4]), "2014-01-01");
}

/// CI ends: statrs' t quantile and the tabled one agree to ~1e-8.
fn close_ci(a: f64, b: f64, what: &str) {
    assert!(
        (a - b).abs() <= 1e-7 * (1.0 + a.abs().max(b.abs())),
        "{what}: {a} vs {b}"
    );
}
