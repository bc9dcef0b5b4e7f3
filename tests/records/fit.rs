//! Recovery: records simulated from a known scenario
//! (known-municipality.toml: about 2,100 open cases, age bands, destination
//! tables, a workforce, 10 years after a 5-year warm-up) are fitted from a
//! policy scenario that gets the hidden hazards wrong by factors of 2 and
//! assumes the legal-minimum follow-ups (policy-municipality.toml). The fit
//! must give back (a) the observable intensities and the 3-year projection
//! from the same start state, and (b) the effect of doubling the
//! follow-up frequency, within Monte Carlo and sampling error.
//!
//! Budget: the fits here use 6 replications per evaluation and 170 search
//! evaluations (the command's defaults are 10 and 200) on a 5-year window,
//! so the test stays near 3 minutes on 2 cores; the time is printed.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::fit_command;
use trappe::Scenario;
use trappe::metrics::Metric;
use trappe::monte_carlo;
use trappe::records::Records;
use trappe::records::bands::AgeBands;
use trappe::records::fit::objective::Role;
use trappe::records::fit::{FitOptions, Fitted, fit_records};
use trappe::records::observed::Window;
use trappe::records::simulated::simulate_records;
use trappe::scenario::file::toml_date;
use trappe::scenario::{CaseList, Initial, ScenarioFile};

fn here(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/records")
        .join(name)
}

/// Replication 0 of the known scenario as case records, the known
/// scenario, and the last 5 years as the window.
fn known_records() -> (Records, Scenario, Window) {
    let known = Scenario::load(&here("known-municipality.toml"), &[]).unwrap();
    let sim = simulate_records(&known, 0);
    let to = sim.history.extract;
    let from = to.checked_sub_months(chrono::Months::new(60)).unwrap();
    let records = Records {
        history: sim.history,
        follow_ups: Some(sim.follow_ups),
        places: sim.places,
    };
    (records, known, Window { from, to })
}

fn fit(records: &Records, window: Window, follow_ups: bool) -> Fitted {
    let policy = here("policy-municipality.toml");
    let bands = AgeBands::new(&[6.0, 12.0, 15.0], 18.0).unwrap();
    let options = FitOptions {
        replications: 6,
        max_evaluations: 170,
        restarts: 1,
        follow_ups,
    };
    let started = Instant::now();
    let fitted = fit_records(records, &policy, window, &bands, &options, &|_| {}).unwrap();
    eprintln!(
        "fit (follow-ups {follow_ups}): {} evaluations in {:.1} s, distance {:.1} → {:.1}",
        fitted.evaluations,
        started.elapsed().as_secs_f64(),
        fitted.start_distance,
        fitted.distance
    );
    fitted
}

/// `file` run for 3 years from `cases` (warm-up 0), `doubled`: every
/// follow-up twice as often.
fn three_years(mut file: ScenarioFile, cases: &CaseList, doubled: bool) -> Scenario {
    file.scenario.horizon_years = 3.0;
    file.scenario.warmup_years = 0.0;
    file.scenario.replications = 40;
    file.changes.clear();
    file.initial = Initial {
        counts: Default::default(),
        cases: Some("open-cases.csv".into()),
    };
    if doubled {
        for rung in &mut file.steps {
            if let Some(f) = &mut rung.follow_up {
                f.first_weeks /= 2.0;
                f.every_weeks /= 2.0;
            }
        }
    }
    let mut s = Scenario::from_file(file).unwrap();
    s.initial_cases = Some(cases.clone());
    s
}

/// Each replication's total of `metric` on `step` over the run.
fn totals(s: &Scenario, metric: Metric, step: &str) -> Vec<f64> {
    let results = monte_carlo::run(s);
    let row = results.layout.find(metric, step).unwrap();
    (0..results.replications())
        .map(|r| {
            (0..results.periods.len())
                .map(|k| results.value(r, k, row))
                .sum()
        })
        .collect()
}

fn mean_sd(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let m = x.iter().sum::<f64>() / n;
    let v = x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (n - 1.0);
    (m, v.sqrt())
}

/// The quantities the projections are compared on.
const PROJECTED: [(Metric, &str); 5] = [
    (Metric::PlacedChildYears, ""),
    (Metric::ChildYears, "prevention"),
    (Metric::ChildYears, "institution"),
    (Metric::MovesDown, ""),
    (Metric::MovesUp, ""),
];

#[test]
fn a_fit_recovers_the_known_municipality() {
    let (records, known, window) = known_records();
    let fitted = fit(&records, window, true);

    // (a1) The observable intensities: with the truth inside the fitted
    // family, Σ distance² over n fitted intensities is χ²-like with about
    // n − p degrees of freedom; its mean is ≤ n and its sd ≈ √(2n). Allow
    // mean + 4 sd.
    let n = fitted
        .rows
        .iter()
        .filter(|r| r.role == Role::Fitted)
        .count() as f64;
    let bound = n + 4.0 * (2.0 * n).sqrt();
    eprintln!("{n} fitted intensities, χ² bound {bound:.1}");
    assert!(
        fitted.distance <= bound,
        "distance {:.1} over {n} intensities (bound {bound:.1})",
        fitted.distance
    );
    assert!(fitted.distance < fitted.start_distance);

    // The fitted scenario loads and names its case list.
    let dir = tempfile::tempdir().unwrap();
    fitted.write(dir.path(), &records).unwrap();
    let reloaded = Scenario::load(&dir.path().join("scenario.toml"), &[]).unwrap();
    assert_eq!(
        reloaded.initial_cases.map(|l| l.cases),
        fitted.scenario.initial_cases.clone().map(|l| l.cases)
    );
    assert_eq!(reloaded.params, fitted.scenario.params);

    // (a2) The 3-year projection from the same start state. The fitted
    // values come from one realisation of 5 years of records, so the
    // projection carries their sampling error: about one realisation's
    // spread of the 3-year quantity (sd across replications), scaled by
    // √(3/5) for the 5 years of data against the 3 projected. Plus the
    // Monte Carlo error of both means. Allow 3 of that combined SE.
    let cases = fitted.scenario.initial_cases.clone().unwrap();
    let mut known_file = known.file.clone();
    known_file.scenario.start = toml_date(window.to);
    let known3 = three_years(known_file.clone(), &cases, false);
    let fitted3 = three_years(fitted.scenario.file.clone(), &cases, false);
    for (metric, step) in PROJECTED {
        let (k, f) = (
            totals(&known3, metric, step),
            totals(&fitted3, metric, step),
        );
        let ((mk, sk), (mf, sf)) = (mean_sd(&k), mean_sd(&f));
        let n = k.len() as f64;
        let se = (sk * sk / n + sf * sf / n + sk * sk * 3.0 / 5.0).sqrt();
        eprintln!(
            "3-year {} {step}: known {mk:.1}, fitted {mf:.1} (tolerance {:.1})",
            metric.name(),
            3.0 * se
        );
        assert!(
            (mf - mk).abs() <= 3.0 * se,
            "{} {step}: fitted {mf:.1} vs known {mk:.1}, 3 SE = {:.1}",
            metric.name(),
            3.0 * se
        );
    }

    // (b) The effect of doubling the follow-up frequency, with and without
    // the records' follow-ups. Paired replications (common random numbers)
    // make each effect's Monte Carlo error small; its sampling error from
    // the records is taken, as above, as the per-replication sd of the
    // effect scaled by √(3/5).
    let without = fit(&records, window, false);
    let known_doubled = three_years(known_file, &cases, true);
    for (metric, step) in [(Metric::PlacedChildYears, ""), (Metric::MovesDown, "")] {
        let effect = |base: &Scenario, doubled: &Scenario| -> (f64, f64) {
            let (a, b) = (totals(base, metric, step), totals(doubled, metric, step));
            let d: Vec<f64> = b.iter().zip(&a).map(|(b, a)| b - a).collect();
            mean_sd(&d)
        };
        let (ek, sk) = effect(&known3, &known_doubled);
        let (ef, sf) = effect(
            &fitted3,
            &three_years(fitted.scenario.file.clone(), &cases, true),
        );
        let base_without = three_years(without.scenario.file.clone(), &cases, false);
        let (ew, _) = effect(
            &base_without,
            &three_years(without.scenario.file.clone(), &cases, true),
        );
        let n = 40.0;
        let se = (sk * sk / n + sf * sf / n + sk * sk * 3.0 / 5.0).sqrt();
        eprintln!(
            "doubled follow-ups, effect on 3-year {} {step}: known {ek:.1}, fitted with \
             follow-ups {ef:.1} (tolerance {:.1}), without {ew:.1}",
            metric.name(),
            3.0 * se
        );
        assert!(
            (ef - ek).abs() <= 3.0 * se,
            "{}: effect fitted {ef:.1} vs known {ek:.1}, 3 SE = {:.1}",
            metric.name(),
            3.0 * se
        );
    }
}

/// Replication 0 of the shipped teenagers scenario written as records into
/// `dir/records`; returns that folder and the extract date.
fn teenager_records(dir: &Path) -> (PathBuf, String) {
    let scenario = Scenario::load(&crate::common::shipped("teenagers.toml"), &[]).unwrap();
    let sim = simulate_records(&scenario, 0);
    let records = dir.join("records");
    std::fs::create_dir(&records).unwrap();
    sim.write(&records).unwrap();
    (records, sim.history.extract.to_string())
}

/// `trappe fit` end to end on the records of a shipped scenario, with a
/// tiny budget (2 replications, 3 search evaluations): every file is
/// written, fit.csv and parameters.csv have their exact headers, the
/// fitted scenario.toml passes `trappe check` and runs, and `trappe report`
/// makes the fit report of the folder.
#[test]
fn trappe_fit_writes_a_scenario_that_checks_and_runs() {
    use crate::common::{Csv, run_ok, shipped, trappe};
    use trappe::records::fit::{FIT_HEADER, PARAMETERS_HEADER};

    let dir = tempfile::tempdir().unwrap();
    let (records, extract) = teenager_records(dir.path());
    let out = dir.path().join("fit");
    let output = run_ok(
        fit_command(&records, &extract, &shipped("teenagers.toml"), &out).args([
            "--replications",
            "2",
            "--max-evaluations",
            "3",
        ]),
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    for said in ["Fit: ", "Intensities within 2 standard errors", "fit.csv"] {
        assert!(stdout.contains(said), "{said:?} not in {stdout}");
    }
    let fit = Csv::read(&out.join("fit.csv"));
    assert_eq!(fit.header, FIT_HEADER);
    let verdicts = fit.distinct("verdict");
    assert!(verdicts.contains("check"), "{verdicts:?}");
    assert!(
        verdicts
            .iter()
            .all(|v| ["fits", "misses", "check"].contains(&v.as_str()))
    );
    let parameters = Csv::read(&out.join("parameters.csv"));
    assert_eq!(parameters.header, PARAMETERS_HEADER);
    let names = parameters.distinct("parameter");
    for p in [
        "steps.foster.latent.improve",
        "follow_up.detection",
        "intake.referrals_per_year",
        "steps.foster.latent.relapse",
    ] {
        assert!(names.contains(p), "{p} not in parameters.csv");
    }
    for f in ["observed.csv", "open-cases.csv", "scenario.toml"] {
        assert!(out.join(f).exists(), "{f}");
    }
    let text = std::fs::read_to_string(out.join("scenario.toml")).unwrap();
    assert!(text.contains("cases = \"open-cases.csv\""), "{text}");
    assert!(text.contains("fitted by simulation"), "{text}");
    run_ok(trappe().arg("check").arg(out.join("scenario.toml")));
    // The fit report reads the folder as written.
    run_ok(trappe().arg("report").arg(&out));
    assert!(out.join("report.html").exists());
    run_ok(
        trappe()
            .arg("run")
            .arg(out.join("scenario.toml"))
            .args(["--replications", "2", "--no-plots", "-q"])
            .arg("--out")
            .arg(dir.path().join("run")),
    );
}

/// What a fit can see before it simulates is refused at once: exit 2, the
/// option or file named, nothing written.
#[test]
fn a_policy_the_fit_cannot_follow_is_refused_before_the_search() {
    use crate::common::{run_bad, shipped};

    let dir = tempfile::tempdir().unwrap();
    let (records, extract) = teenager_records(dir.path());
    let out = dir.path().join("fit");
    let teenagers = shipped("teenagers.toml");
    let stderr =
        run_bad(fit_command(&records, &extract, &teenagers, &out).args(["--age-bands", "5,10"]));
    assert!(stderr.contains("--age-bands [5, 10]"), "{stderr}");
    assert!(stderr.contains("age_bands = [6, 12, 15]"), "{stderr}");
    let extending = dir.path().join("extending.toml");
    std::fs::write(
        &extending,
        format!(
            "extends = {:?}\n\n[scenario]\nname = \"extends\"\n",
            teenagers.display().to_string()
        ),
    )
    .unwrap();
    let stderr = run_bad(&mut fit_command(&records, &extract, &extending, &out));
    assert!(stderr.contains("extends"), "{stderr}");
    assert!(stderr.contains("--resolved"), "{stderr}");
    assert!(!out.exists(), "nothing may be written");
}
