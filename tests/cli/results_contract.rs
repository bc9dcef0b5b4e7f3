//! The results contract (docs/model.md section 8): which files `trappe run`
//! writes, their headers, and that every core metric is there for every
//! period.

use std::collections::{BTreeMap, BTreeSet};

use tempfile::TempDir;

use crate::{Csv, RESULT_FILES, ladder, read, run_ok, scenario, trappe};

const REPLICATIONS: usize = 20;

const SUMMARY_HEADER: &str =
    "period,period_start,period_end,metric,step,mean,sd,ci95_low,ci95_high,p05,p50,p95";
const REPLICATIONS_HEADER: &str = "replication,period,metric,step,value";

/// Every (metric, step) row one period must have, in the order of
/// the README's metric table: metrics in its order; within a metric,
/// `assessment`, then the rungs in ladder order, then cost components.
fn expected_rows(steps: &[(String, bool)]) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    let mut push = |metric: &str, step: &str| rows.push((metric.to_owned(), step.to_owned()));
    for metric in ["child_years", "count_end"] {
        push(metric, "assessment");
        for (id, _) in steps {
            push(metric, id);
        }
    }
    push("placed_child_years", "");
    for (id, placement) in steps {
        if *placement {
            push("placement_share", id);
        }
    }
    for metric in [
        "referrals",
        "assessments",
        "moves_down",
        "moves_up",
        "crises",
        "breakdowns",
        "breakdown_rate",
        "closures",
        "aged_out",
    ] {
        push(metric, "");
    }
    for metric in ["follow_ups", "follow_ups_on_time"] {
        for (id, _) in steps {
            push(metric, id);
        }
    }
    for metric in ["follow_up_delay_weeks", "caseload_mean", "points_mean"] {
        push(metric, "");
    }
    for (id, _) in steps {
        push("cost", id);
    }
    for component in ["workforce", "fixed", "breakdowns", "total"] {
        push("cost", component);
    }
    // Model version 2: the welfare metrics follow the core metrics.
    for metric in ["unmet_need_child_years", "ready_child_years"] {
        for (id, _) in steps {
            push(metric, id);
        }
        push(metric, "total");
    }
    push("assessment_weeks", "");
    // The cases at the period's start (the simulated state at `start` in
    // the first period).
    push("count_start", "assessment");
    for (id, _) in steps {
        push("count_start", id);
    }
    rows
}

fn num(text: &str, what: &str) -> f64 {
    let x: f64 = text
        .parse()
        .unwrap_or_else(|e| panic!("{what}: {text:?} is not a number: {e}"));
    assert!(x.is_finite(), "{what}: {text} is not finite");
    x
}

#[test]
fn run_writes_the_contracted_files() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("results");
    let file = scenario("herning-sverigesmodel.toml");
    let reps = REPLICATIONS.to_string();
    run_ok(trappe().arg("run").arg(&file).arg("--out").arg(&out).args([
        "--replications",
        &reps,
        "-q",
    ]));
    for name in RESULT_FILES {
        assert!(out.join(name).is_file(), "{name} missing");
    }
    let leftovers: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !RESULT_FILES.contains(&n.as_str()) && n != "plots")
        .collect();
    assert!(leftovers.is_empty(), "unexpected files: {leftovers:?}");

    // The resolved scenario (the Swedish model extends the baseline).
    let steps = ladder(&out.join("scenario.toml"));
    assert_eq!(steps.len(), 5, "the Herning ladder has five rungs");
    let expected = expected_rows(&steps);

    // summary.csv
    let summary_text = read(&out, "summary.csv");
    assert_eq!(summary_text.lines().next(), Some(SUMMARY_HEADER));
    let summary = Csv::read(&out.join("summary.csv"));
    let col = |name: &str| summary.col(name);
    let (period, start, end, metric, step) = (
        col("period"),
        col("period_start"),
        col("period_end"),
        col("metric"),
        col("step"),
    );
    // The shipped Herning pair: 2 years by calendar quarter from 2013-01-01.
    let mut by_period: BTreeMap<usize, Vec<&Vec<String>>> = BTreeMap::new();
    for row in &summary.rows {
        assert_eq!(row.len(), 12, "row {row:?}");
        let k: usize = row[period].parse().expect("period is an integer");
        by_period.entry(k).or_default().push(row);
    }
    assert_eq!(
        by_period.keys().copied().collect::<Vec<_>>(),
        (1..=8).collect::<Vec<_>>()
    );
    let mut previous_end: Option<String> = None;
    for (k, rows) in &by_period {
        let got: Vec<(String, String)> = rows
            .iter()
            .map(|r| (r[metric].clone(), r[step].clone()))
            .collect();
        assert_eq!(
            got, expected,
            "period {k}: rows differ from the core and welfare metrics in contract order"
        );
        let dates: BTreeSet<(&str, &str)> = rows
            .iter()
            .map(|r| (r[start].as_str(), r[end].as_str()))
            .collect();
        assert_eq!(dates.len(), 1, "period {k} has one start and end");
        let (s, e) = dates.into_iter().next().unwrap();
        for d in [s, e] {
            assert!(
                d.len() == 10 && d.as_bytes()[4] == b'-' && d.as_bytes()[7] == b'-',
                "{d} is not an ISO date"
            );
        }
        assert!(s < e, "period {k}: {s} .. {e}");
        if let Some(prev) = &previous_end {
            assert_eq!(prev, s, "period {k} starts where the last ended");
        } else {
            assert_eq!(s, "2013-01-01");
        }
        previous_end = Some(e.to_owned());
    }
    assert_eq!(previous_end.as_deref(), Some("2015-01-01"));

    for row in &summary.rows {
        let what = format!("{} {} period {}", row[metric], row[step], row[period]);
        let v: Vec<f64> = (5..12).map(|i| num(&row[i], &what)).collect();
        let [mean, sd, lo, hi, p05, p50, p95] = v[..] else {
            unreachable!()
        };
        let eps = 1e-9 * mean.abs().max(1.0);
        assert!(sd >= 0.0, "{what}: sd {sd}");
        assert!(
            lo <= mean + eps && mean <= hi + eps,
            "{what}: CI {lo} {mean} {hi}"
        );
        assert!(
            p05 <= p50 + eps && p50 <= p95 + eps,
            "{what}: {p05} {p50} {p95}"
        );
    }

    // replications.csv
    let reps_text = read(&out, "replications.csv");
    assert_eq!(reps_text.lines().next(), Some(REPLICATIONS_HEADER));
    let replications = Csv::read(&out.join("replications.csv"));
    let ids = replications.distinct("replication");
    assert_eq!(ids.len(), REPLICATIONS, "replication ids {ids:?}");
    assert_eq!(
        replications.rows.len(),
        REPLICATIONS * summary.rows.len(),
        "one value per replication and summary row"
    );
    // Each summary mean is the mean of its replication values.
    let (rp, rm, rs, rv) = (
        replications.col("period"),
        replications.col("metric"),
        replications.col("step"),
        replications.col("value"),
    );
    let mut sums: BTreeMap<(String, String, String), (f64, usize)> = BTreeMap::new();
    for row in &replications.rows {
        let e = sums
            .entry((row[rp].clone(), row[rm].clone(), row[rs].clone()))
            .or_default();
        e.0 += num(&row[rv], "value");
        e.1 += 1;
    }
    for row in &summary.rows {
        let key = (row[period].clone(), row[metric].clone(), row[step].clone());
        let (sum, n) = sums[&key];
        assert_eq!(n, REPLICATIONS, "{key:?}");
        let mean = num(&row[5], "mean");
        assert!(
            (sum / n as f64 - mean).abs() <= 1e-9 * mean.abs().max(1.0),
            "{key:?}: mean of replications {} vs summary {mean}",
            sum / n as f64
        );
    }

    // scenario.toml: the resolved scenario, replications overridden.
    let resolved: toml::Table = read(&out, "scenario.toml").parse().unwrap();
    assert_eq!(
        resolved["scenario"]["replications"].as_integer(),
        Some(REPLICATIONS as i64)
    );
    assert_eq!(resolved["scenario"]["seed"].as_integer(), Some(2013));

    // run.json
    let info: serde_json::Value = serde_json::from_str(&read(&out, "run.json")).unwrap();
    assert_eq!(info["version"].as_str(), Some(env!("CARGO_PKG_VERSION")));
    assert_eq!(info["seed"].as_u64(), Some(2013));
    assert_eq!(info["replications"].as_u64(), Some(REPLICATIONS as u64));
    assert!(info["threads"].as_u64().is_some_and(|t| t >= 1), "{info}");
    assert!(info["events"].as_u64().is_some_and(|e| e > 0), "{info}");
    assert!(
        info["case_years"].as_f64().is_some_and(|c| c > 0.0),
        "{info}"
    );
    assert!(
        info["wall_seconds"].as_f64().is_some_and(|w| w >= 0.0),
        "{info}"
    );
}

#[test]
fn rerunning_into_the_same_folder_replaces_the_results() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("results");
    let file = scenario("herning-baseline.toml");
    let run = |reps: &str| {
        run_ok(trappe().arg("run").arg(&file).arg("--out").arg(&out).args([
            "--replications",
            reps,
            "-q",
        ]));
        Csv::read(&out.join("replications.csv"))
            .distinct("replication")
            .len()
    };
    assert_eq!(run("6"), 6);
    assert_eq!(run("3"), 3);
    let names: BTreeSet<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let mut expected: BTreeSet<String> = RESULT_FILES.iter().map(|s| s.to_string()).collect();
    expected.insert("plots".into()); // drawn by default (--no-plots to skip)
    assert_eq!(names, expected);
}

/// Names in a folder, sorted.
fn names(dir: &std::path::Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn a_results_folder_is_replaced_whole() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("results");
    let file = scenario("minimal.toml");
    let run = |extra: &[&str]| {
        run_ok(
            trappe()
                .arg("run")
                .arg(&file)
                .arg("--out")
                .arg(&out)
                .args(["--replications", "2", "-q"])
                .args(extra),
        );
    };
    run(&["--report"]);
    assert!(out.join("report.html").is_file());
    assert!(out.join("plots").is_dir());
    // A run without --report or plots leaves no old report or plots
    // beside its new results.
    run(&["--no-plots"]);
    let expected: BTreeSet<String> = RESULT_FILES.iter().map(|s| s.to_string()).collect();
    assert_eq!(names(&out), expected);
    // Nothing is left beside the folder either.
    assert_eq!(names(dir.path()), BTreeSet::from(["results".to_string()]));
}

#[test]
fn staging_left_by_a_killed_run_is_removed_by_the_next_run() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("results");
    let killed = dir.path().join(".results.trappe-staging-99999-0");
    std::fs::create_dir(&killed).unwrap();
    std::fs::write(killed.join("summary.csv"), "half a file").unwrap();
    run_ok(
        trappe()
            .arg("run")
            .arg(scenario("minimal.toml"))
            .arg("--out")
            .arg(&out)
            .args(["--replications", "2", "--no-plots", "-q"]),
    );
    assert_eq!(names(dir.path()), BTreeSet::from(["results".to_string()]));
}

#[test]
fn an_output_place_that_is_a_file_is_refused_before_simulating() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("results");
    std::fs::write(&out, "not a folder").unwrap();
    let output = trappe()
        .arg("run")
        .arg(scenario("minimal.toml"))
        .arg("--out")
        .arg(&out)
        .args(["--replications", "1000000", "--no-plots"])
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("is not a folder"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "not a folder");
}

/// A long `trappe run` into `out`, started in the background; returns once
/// it holds the lock on `out` (it is then simulating).
fn start_long_run(out: &std::path::Path) -> std::process::Child {
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_trappe"))
        .arg("run")
        .arg(scenario("large-municipality.toml"))
        .arg("--out")
        .arg(out)
        .args(["--replications", "1000000", "--no-plots", "-q", "--force"])
        .env_remove("RAYON_NUM_THREADS")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let lock = lock_file(out);
    let started = std::time::Instant::now();
    while !lock.exists() {
        assert!(started.elapsed().as_secs() < 30, "no lock after 30 s");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child
}

fn lock_file(out: &std::path::Path) -> std::path::PathBuf {
    let name = out.file_name().unwrap().to_string_lossy();
    out.with_file_name(format!(".{name}.trappe-lock"))
}

fn signal(child: &std::process::Child, name: &str) {
    let status = std::process::Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// Earlier results in `out`; returns its summary.csv.
fn earlier_results(out: &std::path::Path) -> String {
    run_ok(
        trappe()
            .arg("run")
            .arg(scenario("minimal.toml"))
            .arg("--out")
            .arg(out)
            .args(["--replications", "2", "--no-plots", "-q"]),
    );
    read(out, "summary.csv")
}

#[test]
fn a_second_run_into_the_same_folder_fails_at_once() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("results");
    let before = earlier_results(&out);
    let mut first = start_long_run(&out);
    let second = trappe()
        .arg("run")
        .arg(scenario("minimal.toml"))
        .arg("--out")
        .arg(&out)
        .args(["--replications", "2", "--no-plots", "-q"])
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("another trappe (process {})", first.id())),
        "{stderr}"
    );
    signal(&first, "KILL");
    first.wait().unwrap();
    assert_eq!(read(&out, "summary.csv"), before);
}

#[test]
fn sigint_and_sigterm_remove_the_unfinished_results() {
    for name in ["INT", "TERM"] {
        let dir = TempDir::new().unwrap();
        let out = dir.path().join("results");
        let before = earlier_results(&out);
        let first = start_long_run(&out);
        signal(&first, name);
        let output = first.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(130), "SIG{name}: {stderr}");
        assert!(stderr.contains("interrupted"), "SIG{name}: {stderr}");
        // No staging folder, no lock: only the previous, complete results.
        assert_eq!(
            names(dir.path()),
            BTreeSet::from(["results".to_string()]),
            "SIG{name}"
        );
        assert_eq!(read(&out, "summary.csv"), before, "SIG{name}");
    }
}

#[test]
fn after_sigkill_the_next_run_cleans_up() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("results");
    let before = earlier_results(&out);
    let mut first = start_long_run(&out);
    signal(&first, "KILL");
    first.wait().unwrap();
    assert_eq!(read(&out, "summary.csv"), before);
    assert!(
        names(dir.path()).len() > 1,
        "a killed run leaves its staging"
    );
    earlier_results(&out);
    assert_eq!(names(dir.path()), BTreeSet::from(["results".to_string()]));
}
