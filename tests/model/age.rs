//! The rules of age bands and case-list start states (model version 2,
//! docs/model.md "Age" and "Start state from a case list"), each in a small
//! scenario whose consequence is deterministic: exact identities per
//! replication.

use trappe::Scenario;
use trappe::metrics::{Metric, Step};
use trappe::results::Results;
use trappe::scenario::{
    ByBand, CaseList, ExitRates, FollowUpPolicy, ListedCase, Period, Rung, ScenarioFile, Settings,
};

use crate::{close, start_date, value};

/// "Instantly": a hazard so high that it fires within seconds of model time.
const INSTANT: f64 = 1e6;

fn settings(horizon: f64, replications: u64, cuts: &[f64]) -> Settings {
    Settings {
        replications,
        seed: 99,
        period: Period::Year,
        age_bands: Some(cuts.to_vec()),
        ..Settings::new("age rules", start_date(), horizon)
    }
}

/// A scenario starting from `cases` (rung index + 1 as slot, 0 for
/// assessment), listed in code.
fn with_cases(file: ScenarioFile, cases: &[(usize, f64, f64)]) -> Scenario {
    let mut file = file;
    file.initial.cases = Some("listed in code".into());
    let mut scenario = crate::scenario(file);
    scenario.initial_cases = Some(CaseList {
        source: "listed in code".into(),
        cases: cases
            .iter()
            .map(|&(slot, age, years_on_place)| ListedCase {
                slot,
                age,
                years_on_place,
            })
            .collect(),
    });
    scenario
}

/// The by-age value of `metric`/`step` in band `band`, replication `r`,
/// period `k`.
fn by_age(results: &Results, r: usize, k: usize, metric: Metric, step: &str, band: usize) -> f64 {
    let layout = results.layout.by_age.as_ref().expect("age bands");
    let j = layout
        .rows
        .iter()
        .position(|row| row.metric == metric && row.step_name == step && row.band == band)
        .unwrap_or_else(|| panic!("no by-age row {} {step} {band}", metric.name()));
    let periods = results.periods.len();
    results.age_values[(r * periods + k) * layout.len() + j]
}

/// A band switch changes nothing but the hazards and counts nothing: a
/// child aged 5.5 with no hazards at all crosses the cut point at 6 half a
/// year in; every event count stays 0, it stays on its rung, and its
/// child-years split at the birthday between the bands. With an instant
/// `close` from the second band on, it closes right at the birthday.
#[test]
fn a_band_switch_changes_hazards_without_counting_anything() {
    let file = ScenarioFile::new(settings(2.0, 5, &[6.0]), vec![Rung::new("home")]);
    let results = trappe::monte_carlo::run(&with_cases(file, &[(1, 5.5, 0.0)]));
    for r in 0..5 {
        for k in 0..2 {
            for metric in [
                Metric::Referrals,
                Metric::Assessments,
                Metric::MovesDown,
                Metric::MovesUp,
                Metric::Crises,
                Metric::Closures,
                Metric::AgedOut,
            ] {
                assert_eq!(value(&results, r, k, metric, ""), 0.0, "{}", metric.name());
            }
            assert!(close(
                value(&results, r, k, Metric::ChildYears, "home"),
                1.0
            ));
            assert_eq!(value(&results, r, k, Metric::CountEnd, "home"), 1.0);
        }
        let year1 = |band| by_age(&results, r, 0, Metric::ChildYears, "home", band);
        assert!(
            close(year1(0), 0.5) && close(year1(1), 0.5),
            "split at the birthday"
        );
        assert_eq!(by_age(&results, r, 0, Metric::CountEnd, "home", 1), 1.0);
        assert_eq!(by_age(&results, r, 0, Metric::CountEnd, "home", 0), 0.0);
        assert!(close(
            by_age(&results, r, 1, Metric::ChildYears, "home", 1),
            1.0
        ));
    }

    let closing = Rung {
        exit: ExitRates {
            close: ByBand::Each(vec![0.0, INSTANT]),
        },
        ..Rung::new("home")
    };
    let file = ScenarioFile::new(settings(2.0, 5, &[6.0]), vec![closing]);
    let results = trappe::monte_carlo::run(&with_cases(file, &[(1, 5.5, 0.0)]));
    for r in 0..5 {
        assert_eq!(value(&results, r, 0, Metric::Closures, ""), 1.0);
        let years = value(&results, r, 0, Metric::ChildYears, "home");
        assert!(
            (years - 0.5).abs() < 1e-4,
            "closes at the birthday: {years}"
        );
    }
}

/// Entry after assessment uses the band at assessment *completion*: a
/// child referred at 9.99 and assessed for at least 4 weeks is 10 when the
/// assessment ends, so it takes band 10-18's entry (`old`), not 0-10's.
/// Referrals drawn with `age_weights` [1, 0] are all in the first band and
/// enter `young`; the referral counts by band say so too.
#[test]
fn entry_uses_the_band_at_assessment_completion_and_age_weights_pick_bands() {
    let steps = vec![Rung::new("young"), Rung::new("old")];
    let mut file = ScenarioFile::new(settings(1.0, 4, &[10.0]), steps);
    file.intake.assessment_min_weeks = 4.0;
    file.intake
        .entry
        .insert("young".into(), ByBand::Each(vec![1.0, 0.0]));
    file.intake
        .entry
        .insert("old".into(), ByBand::Each(vec![0.0, 1.0]));
    let results = trappe::monte_carlo::run(&with_cases(file.clone(), &[(0, 9.99, 0.0)]));
    for r in 0..4 {
        assert_eq!(value(&results, r, 0, Metric::CountEnd, "old"), 1.0);
        assert_eq!(value(&results, r, 0, Metric::CountEnd, "young"), 0.0);
        assert_eq!(
            by_age(&results, r, 0, Metric::Referrals, "", 0),
            1.0,
            "band at referral"
        );
    }

    file.intake.referrals_per_year = 50.0;
    file.intake.age_max = 16.0; // nobody ages out within the year
    file.intake.age_weights = Some(vec![1.0, 0.0]);
    let results = trappe::monte_carlo::run(&crate::scenario(file.clone()));
    for r in 0..4 {
        let referred = value(&results, r, 0, Metric::Referrals, "");
        assert!(referred > 10.0);
        assert_eq!(by_age(&results, r, 0, Metric::Referrals, "", 0), referred);
        assert_eq!(by_age(&results, r, 0, Metric::Referrals, "", 1), 0.0);
        assert_eq!(value(&results, r, 0, Metric::CountEnd, "old"), 0.0);
    }
    file.intake.age_weights = Some(vec![0.0, 1.0]);
    let results = trappe::monte_carlo::run(&crate::scenario(file));
    for r in 0..4 {
        let referred = value(&results, r, 0, Metric::Referrals, "");
        assert_eq!(by_age(&results, r, 0, Metric::Referrals, "", 1), referred);
        let assessed = value(&results, r, 0, Metric::Assessments, "");
        assert_eq!(value(&results, r, 0, Metric::CountEnd, "old"), assessed);
        assert_eq!(value(&results, r, 0, Metric::CountEnd, "young"), 0.0);
    }
}

/// `years_on_place` counts: towards `max_years` on a rung (a case listed
/// two years into a one-year limit steps down at its first follow-up,
/// one listed at 0 years does not), and under assessment as time since the
/// referral (`assessment_min_weeks` already passed: assessed at once).
#[test]
fn time_already_on_the_place_counts() {
    let high = Rung {
        placement: true,
        max_years: Some(1.0),
        follow_up: Some(FollowUpPolicy {
            first_weeks: 13.0,
            every_weeks: 13.0,
            hours: 0.0,
        }),
        ..Rung::new("high")
    };
    let steps = vec![Rung::new("low"), high];
    let mut file = ScenarioFile::new(settings(0.5, 3, &[12.0]), steps);
    file.intake.assessment_min_weeks = 8.0;
    file.intake.entry.insert("low".into(), 1.0.into());
    let listed = [(2, 8.0, 2.0), (2, 9.0, 0.0), (0, 14.0, 0.5), (0, 15.0, 0.0)];
    let results = trappe::monte_carlo::run(&with_cases(file, &listed));
    for r in 0..3 {
        assert_eq!(value(&results, r, 0, Metric::MovesDown, ""), 1.0);
        assert_eq!(value(&results, r, 0, Metric::CountEnd, "high"), 1.0);
        assert_eq!(value(&results, r, 0, Metric::Assessments, ""), 2.0);
        // Waits: 26 weeks (referred half a year ago, at once) and 8.
        let weeks = value(&results, r, 0, Metric::AssessmentWeeks, "");
        assert!(close(weeks, (0.5 * 52.0 + 8.0) / 2.0), "{weeks}");
        assert_eq!(by_age(&results, r, 0, Metric::CountEnd, "low", 1), 2.0);
        assert_eq!(by_age(&results, r, 0, Metric::CountEnd, "low", 0), 1.0);
        assert_eq!(by_age(&results, r, 0, Metric::CountEnd, "high", 0), 1.0);
    }
}

/// Results by age add up: in every replication and period, the by-age rows
/// of a metric sum over the bands to the metric's own row (child-years,
/// counts, referrals, placed child-years, cost). And with age bands, age
/// weights, a workforce and a case-list start all on (the shipped
/// teenagers example), cases are conserved in every replication: listed
/// cases + referrals = closures + aged out + open at the end.
#[test]
fn results_by_age_sum_to_the_totals() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/teenagers.toml");
    let mut scenario = Scenario::load(std::path::Path::new(path), &[]).unwrap();
    scenario.set_replications(20);
    assert_eq!(
        scenario.initial_cases.as_ref().map(|l| l.cases.len()),
        Some(300)
    );
    let results = trappe::monte_carlo::run(&scenario);
    let layout = results.layout.by_age.clone().unwrap();
    for r in 0..results.replications() {
        for k in 0..results.periods.len() {
            for row in layout.rows.iter().filter(|row| row.band == 0) {
                let sum: f64 = (0..layout.bands)
                    .map(|b| by_age(&results, r, k, row.metric, &row.step_name, b))
                    .sum();
                let total = value(&results, r, k, row.metric, &row.step_name);
                assert!(
                    close(sum, total),
                    "{} {}: {sum} by age, {total} in all",
                    row.metric.name(),
                    row.step_name
                );
                assert!(!matches!(row.step, Step::Workforce));
            }
        }
        let periods = 0..results.periods.len();
        let sum = |metric: Metric| -> f64 {
            periods
                .clone()
                .map(|k| value(&results, r, k, metric, ""))
                .sum()
        };
        let last = results.periods.len() - 1;
        let open: f64 = std::iter::once("assessment")
            .chain(scenario.params.steps.iter().map(|s| s.id.as_str()))
            .map(|id| value(&results, r, last, Metric::CountEnd, id))
            .sum();
        let listed = 300.0 - 24.0; // listed assessments count as referrals
        let cases_in = listed + sum(Metric::Referrals);
        let cases_out = sum(Metric::Closures) + sum(Metric::AgedOut) + open;
        assert_eq!(cases_in, cases_out, "replication {r}: cases are conserved");
    }
}
