//! The precise rules of docs/model.md section 9, each in a small scenario built so that
//! the rule's consequence is (nearly) deterministic: an exact identity per
//! replication where possible, a Monte Carlo check (|mean − exact| ≤ 4 SE,
//! false alarm ≈ 6.3e-5 per check) where not.

use trappe::metrics::Metric;
use trappe::results::Results;
use trappe::scenario::{
    ChangeSpec, ExitRates, FollowUpPolicy, LatentRates, Period, Rung, ScenarioFile, Settings,
    Workforce,
};

use crate::{close, period_end, period_length, start_date, value, z_score};

/// Monte Carlo standard errors allowed (see the module docs).
const TOLERANCE_SE: f64 = 4.0;

/// "Instantly": a hazard so high that the state changes within microseconds
/// of model time (mean 1e-6 years ≈ 30 s).
const INSTANT: f64 = 1e6;

fn settings(horizon: f64, period: Period, replications: u64, seed: u64) -> Settings {
    Settings {
        replications,
        seed,
        period,
        ..Settings::new("rules", start_date(), horizon)
    }
}

fn follow_up(first_weeks: f64, every_weeks: f64) -> Option<FollowUpPolicy> {
    Some(FollowUpPolicy {
        first_weeks,
        every_weeks,
        hours: 0.0,
    })
}

/// A two-rung ladder: `low` (no follow-ups, no hazards: cases stay) and
/// `high`, a placement rung with the given follow-up schedule.
fn low_high(high_follow_up: Option<FollowUpPolicy>) -> Vec<Rung> {
    let high = Rung {
        placement: true,
        follow_up: high_follow_up,
        ..Rung::new("high")
    };
    vec![Rung::new("low"), high]
}

/// Referrals at `lambda` a year, all to `high`, assessed at once, too young
/// to age out within a few years.
fn refer_to_high(file: &mut ScenarioFile, lambda: f64) {
    file.intake.referrals_per_year = lambda;
    file.intake.age_max = 10.0;
    file.intake.entry.insert("high".into(), (1.0).into());
}

fn sum_over_periods(results: &Results, r: usize, metric: Metric, step: &str) -> f64 {
    (0..results.periods.len())
        .map(|k| value(results, r, k, metric, step))
        .sum()
}

/// (a) With detection 1 and `improve` instant, cases on `high` are `ready`
/// all the time, yet they move down only at their follow-up, `first_weeks`
/// = 52 after entry: so a case referred in year k is on `high` at the end
/// of year k and moves down in year k + 1, and every follow-up is a move.
#[test]
fn moves_down_happen_only_at_follow_ups() {
    let mut steps = low_high(follow_up(52.0, 13.0));
    steps[1].latent.improve = (INSTANT).into();
    let mut file = ScenarioFile::new(settings(3.0, Period::Year, 20, 11), steps);
    refer_to_high(&mut file, 30.0);
    let results = crate::run(file);
    for r in 0..results.replications() {
        let v = |k: usize, m: Metric, step: &str| value(&results, r, k, m, step);
        let mut referred_before = 0.0;
        for k in 0..results.periods.len() {
            let at = format!("replication {r}, year {}", k + 1);
            let moves = v(k, Metric::MovesDown, "");
            assert_eq!(
                moves,
                v(k, Metric::FollowUps, "high"),
                "{at}: a follow-up without a move"
            );
            let expected = if k == 0 {
                0.0
            } else {
                v(k - 1, Metric::Referrals, "")
            };
            assert_eq!(
                moves, expected,
                "{at}: moves down are not last year's referrals"
            );
            assert_eq!(
                v(k, Metric::CountEnd, "high"),
                v(k, Metric::Referrals, ""),
                "{at}"
            );
            assert_eq!(v(k, Metric::CountEnd, "low"), referred_before, "{at}");
            referred_before += v(k, Metric::Referrals, "");
        }
        assert!(referred_before > 0.0);
    }
}

/// (a) A follow-up sees the hidden state with probability `detection`:
/// with `ready` instant and detection 0.3, a fraction 0.3 of follow-ups on
/// `high` are moves down (each follow-up is an independent Bernoulli trial,
/// so the binomial standard error applies).
#[test]
fn detection_is_the_chance_a_follow_up_sees_the_state() {
    let detection = 0.3;
    let mut steps = low_high(follow_up(4.0, 4.0));
    steps[1].latent.improve = (INSTANT).into();
    let mut file = ScenarioFile::new(settings(2.0, Period::Year, 40, 12), steps);
    file.follow_up.detection = detection;
    refer_to_high(&mut file, 30.0);
    let results = crate::run(file);
    let (mut moves, mut trials) = (0.0, 0.0);
    for r in 0..results.replications() {
        moves += sum_over_periods(&results, r, Metric::MovesDown, "");
        trials += sum_over_periods(&results, r, Metric::FollowUps, "high");
    }
    let se = (detection * (1.0 - detection) / trials).sqrt();
    let z = (moves / trials - detection).abs() / se;
    assert!(trials > 1000.0, "too few follow-ups to test: {trials}");
    assert!(
        z <= TOLERANCE_SE,
        "{moves} moves in {trials} follow-ups: z = {z:.2}"
    );
}

/// Initial cases get a first follow-up due uniformly on (0, `every_weeks`)
/// (docs/model.md section 9). With `ready` instant and detection 1 each leaves `high`
/// at that follow-up, unless it aged out first (residual age uniform on
/// (0, 18], independent): E[count_end(high, t)] = N (1 − t/0.5)⁺ (1 − t/18)
/// for `every_weeks` = 26.
#[test]
fn initial_cases_are_first_followed_up_uniformly_within_one_interval() {
    let n = 100;
    let mut steps = low_high(follow_up(1.0, 26.0));
    steps[1].latent.improve = (INSTANT).into();
    let mut file = ScenarioFile::new(settings(1.0, Period::Month, 300, 13), steps);
    file.initial.insert("high".into(), n);
    let results = crate::run(file);
    let interval = 26.0 / 52.0;
    for k in 0..results.periods.len() {
        let t = period_end(&results, k);
        let expected = f64::from(n) * (1.0 - t / interval).max(0.0) * (1.0 - t / 18.0);
        let column = results.column(k, crate::row(&results, Metric::CountEnd, "high"));
        let z = z_score(&column, expected);
        assert!(
            z <= TOLERANCE_SE,
            "month {}: count_end(high) vs {expected}: z = {z:.2}",
            k + 1
        );
    }
    for r in 0..results.replications() {
        for k in 0..results.periods.len() {
            let moves = value(&results, r, k, Metric::MovesDown, "");
            assert_eq!(moves, value(&results, r, k, Metric::FollowUps, "high"));
        }
    }
}

/// (a) A rung that gains follow-ups through a `[[changes]]` entry gives its
/// cases a first follow-up `first_weeks` after the change (docs/model.md section 9):
/// `high` has no follow-ups until 0.55 years, then 13-weekly ones, so its
/// `ready` cases all move down at exactly 0.55 + 0.25 = 0.8 years, in month
/// 10 (which covers [0.75, 0.833)), and not a moment before.
#[test]
fn a_rung_that_gains_follow_ups_follows_up_first_weeks_after_the_change() {
    let n = 40;
    let mut steps = low_high(None);
    steps[1].latent.improve = (INSTANT).into();
    let mut file = ScenarioFile::new(settings(1.5, Period::Month, 20, 18), steps);
    file.initial.insert("high".into(), n);
    file.changes.push(ChangeSpec {
        at_years: 0.55,
        set: [
            ("steps.high.follow_up.first_weeks", 13.0),
            ("steps.high.follow_up.every_weeks", 13.0),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), toml::Value::from(v)))
        .collect(),
    });
    let results = crate::run(file);
    for r in 0..results.replications() {
        let v = |k: usize, m: Metric, step: &str| value(&results, r, k, m, step);
        let mut aged = 0.0;
        for k in 0..results.periods.len() {
            let at = format!("replication {r}, month {}", k + 1);
            aged += v(k, Metric::AgedOut, "");
            let (high, low) = (
                v(k, Metric::CountEnd, "high"),
                v(k, Metric::CountEnd, "low"),
            );
            let moves = v(k, Metric::MovesDown, "");
            assert_eq!(high + low, f64::from(n) - aged, "{at}: cases lost");
            assert_eq!(moves, v(k, Metric::FollowUps, "high"), "{at}");
            if k < 9 {
                assert_eq!(
                    (moves, low),
                    (0.0, 0.0),
                    "{at}: a move before the first follow-up"
                );
            } else {
                assert_eq!(high, 0.0, "{at}: not moved at the first follow-up");
            }
            if k == 9 {
                assert!(moves > 0.0, "{at}");
            }
        }
    }
}

/// Caseworker tasks are served one at a time, and a task of h hours takes
/// h / capacity weeks, capacity = max(C − L, min_task_share × C) (docs/model.md
/// sections 4 and 9). One caseworker, C = 40 h/week, and cases on a rung with no
/// hazards and follow-ups every 0.001 weeks: after the first one falls due
/// (within 0.001 weeks of the start) the caseworker is never idle, so the
/// k-th follow-up completes at ε + k·D, D = hours / capacity, ε < 0.001
/// weeks. With D = 0.9 weeks, by the end of months 1..5 (4.33, 8.67, 13,
/// 17.33, 21.67 weeks) 4, 9, 14, 19, 24 follow-ups are done. Two ways to
/// the capacity: (i) 13 cases with 4 h/month of workload, L = 12 h/week,
/// capacity 28, hours 25.2; (ii) 20 cases with 8 h/month, L = 36.9 h/week,
/// capacity floored at 0.25 × 40 = 10, hours 9. Exact in every replication
/// in which nobody ages out (exit_age 150, so almost all).
#[test]
fn tasks_take_hours_over_capacity_one_at_a_time() {
    for (cases, workload, min_task_share, hours) in [(13, 4.0, 0.1, 25.2), (20, 8.0, 0.25, 9.0)] {
        let waiting = Rung {
            workload_hours_per_month: workload,
            follow_up: Some(FollowUpPolicy {
                first_weeks: 0.001,
                every_weeks: 0.001,
                hours,
            }),
            ..Rung::new("waiting")
        };
        let mut file =
            ScenarioFile::new(settings(5.0 / 12.0, Period::Month, 20, 19), vec![waiting]);
        file.scenario.exit_age = 150.0;
        file.initial.insert("waiting".into(), cases);
        file.workforce = Some(Workforce {
            caseworkers: 1,
            hours_per_week: 40.0,
            case_work_share: 1.0,
            min_task_share,
            salary_per_year: 0.0,
        });
        let results = crate::run(file);
        let mut checked = 0;
        for r in 0..results.replications() {
            if sum_over_periods(&results, r, Metric::AgedOut, "") > 0.0 {
                continue;
            }
            checked += 1;
            let mut done = 0.0;
            for (k, expected) in [4.0, 9.0, 14.0, 19.0, 24.0].into_iter().enumerate() {
                done += value(&results, r, k, Metric::FollowUps, "waiting");
                let at = format!("hours {hours}: replication {r}, month {}", k + 1);
                assert_eq!(done, expected, "{at}: follow-ups done");
            }
        }
        assert!(checked >= 15, "only {checked} replications without ageing");
    }
}

/// The start state is one instant: at time 0 a caseworker has all its
/// initial cases, so the first task's capacity must count the continuous
/// workload of the initial rung cases (docs/model.md section 9: capacity is read when
/// a task starts; initial cases are placed at time 0). One caseworker,
/// C = 40 h/week, 20 initial cases with 8 h/month (L = 36.9 h/week, so the
/// capacity is floored at 0.25 × 40 = 10 h/week) and 1 initial assessment
/// of 10 hours, `entry` none: the assessment takes 1 week, so just before
/// 0.01 years (0.52 weeks) it is still open.
#[test]
fn the_first_task_sees_the_whole_start_state() {
    let waiting = Rung {
        workload_hours_per_month: 8.0,
        ..Rung::new("waiting")
    };
    let mut file = ScenarioFile::new(settings(0.01, Period::Month, 1, 20), vec![waiting]);
    file.scenario.exit_age = 150.0;
    file.intake.assessment_hours = 10.0;
    file.intake.entry.insert("none".into(), (1.0).into());
    file.initial.insert("assessment".into(), 1);
    file.initial.insert("waiting".into(), 20);
    file.workforce = Some(Workforce {
        caseworkers: 1,
        hours_per_week: 40.0,
        case_work_share: 1.0,
        min_task_share: 0.25,
        salary_per_year: 0.0,
    });
    let results = crate::run(file);
    assert_eq!(value(&results, 0, 0, Metric::AgedOut, ""), 0.0);
    assert_eq!(
        value(&results, 0, 0, Metric::CountEnd, "assessment"),
        1.0,
        "the 10-hour assessment finished before 0.52 weeks: capacity above 10 h/week"
    );
}

/// (b) `max_years` = 1 with follow-ups every 4 weeks and no hidden change
/// (improve = worsen = 0): every case on `high` steps down at its first
/// follow-up at or after 1 year on the rung, so no one moves before month
/// 13, everyone still there moves in month 13 (which ends at 1.083 >
/// 1 + 4/52), every follow-up in month 13 is such a move, and `high` is
/// empty from then on.
#[test]
fn time_limit_moves_cases_down_at_the_first_follow_up_after_max_years() {
    let n = 50;
    let mut steps = low_high(follow_up(20.0, 4.0));
    steps[1].max_years = Some(1.0);
    let mut file = ScenarioFile::new(settings(1.5, Period::Month, 20, 14), steps);
    file.initial.insert("high".into(), n);
    let results = crate::run(file);
    for r in 0..results.replications() {
        let v = |k: usize, m: Metric, step: &str| value(&results, r, k, m, step);
        let mut aged = 0.0;
        let mut moved = 0.0;
        for k in 0..results.periods.len() {
            let at = format!("replication {r}, month {}", k + 1);
            aged += v(k, Metric::AgedOut, "");
            let moves = v(k, Metric::MovesDown, "");
            moved += moves;
            let (high, low) = (
                v(k, Metric::CountEnd, "high"),
                v(k, Metric::CountEnd, "low"),
            );
            assert_eq!(high + low, f64::from(n) - aged, "{at}: cases lost");
            assert_eq!(
                v(k, Metric::MovesUp, "") + v(k, Metric::Closures, ""),
                0.0,
                "{at}"
            );
            if k < 12 {
                assert_eq!(moves, 0.0, "{at}: a move before the time limit");
                assert_eq!(low, 0.0, "{at}");
            } else {
                assert_eq!(high, 0.0, "{at}: still on the time-limited rung");
            }
            if k == 12 {
                assert_eq!(
                    moves,
                    v(k, Metric::FollowUps, "high"),
                    "{at}: a follow-up without a move"
                );
            }
        }
        assert!(moved > 0.0);
    }
}

/// (b) A time-limit move from the lowest rung is a closure.
#[test]
fn time_limit_on_the_lowest_rung_closes_the_case() {
    let n = 50;
    let only = Rung {
        follow_up: follow_up(20.0, 4.0),
        max_years: Some(0.5),
        ..Rung::new("only")
    };
    let mut file = ScenarioFile::new(settings(1.0, Period::Month, 20, 15), vec![only]);
    file.initial.insert("only".into(), n);
    let results = crate::run(file);
    for r in 0..results.replications() {
        let closed = sum_over_periods(&results, r, Metric::Closures, "");
        let aged = sum_over_periods(&results, r, Metric::AgedOut, "");
        assert_eq!(closed + aged, f64::from(n), "replication {r}");
        assert!(closed > 0.0);
        assert_eq!(sum_over_periods(&results, r, Metric::MovesDown, ""), 0.0);
        for k in 0..results.periods.len() {
            let count = value(&results, r, k, Metric::CountEnd, "only");
            // Month 7 ends at 0.583 > 0.5 + 4/52.
            if k >= 6 {
                assert_eq!(count, 0.0, "replication {r}, month {}", k + 1);
            } else {
                assert!(
                    count > 0.0,
                    "replication {r}, month {}: closed early",
                    k + 1
                );
            }
        }
    }
}

/// (b) Detected `needs_more` overrides the time limit, and at the top rung
/// it is not a move: the latent state resets and the next follow-up is due
/// `every_weeks` (4) later, not `first_weeks` (20). With `worsen` instant
/// every follow-up sees `needs_more`, so nobody ever moves and each case
/// gets exactly 13 follow-ups in the year (at u + 4j/52, u uniform on
/// (0, 4/52), j = 0..12) unless it ages out first.
#[test]
fn detected_needs_more_at_the_top_blocks_the_time_limit() {
    let n = 50;
    let mut steps = low_high(follow_up(20.0, 4.0));
    steps[1].max_years = Some(0.5);
    steps[1].latent.worsen = (INSTANT).into();
    let mut file = ScenarioFile::new(settings(1.0, Period::Quarter, 20, 16), steps);
    file.initial.insert("high".into(), n);
    let results = crate::run(file);
    for r in 0..results.replications() {
        let s = |m: Metric, step: &str| sum_over_periods(&results, r, m, step);
        let at = format!("replication {r}");
        assert_eq!(
            s(Metric::MovesDown, "") + s(Metric::MovesUp, "") + s(Metric::Crises, ""),
            0.0,
            "{at}"
        );
        let last = results.periods.len() - 1;
        let aged = s(Metric::AgedOut, "");
        assert_eq!(
            value(&results, r, last, Metric::CountEnd, "high"),
            f64::from(n) - aged,
            "{at}"
        );
        let follow_ups = s(Metric::FollowUps, "high");
        assert!(
            follow_ups <= 13.0 * f64::from(n),
            "{at}: {follow_ups} follow-ups"
        );
        assert!(
            follow_ups >= 13.0 * (f64::from(n) - aged),
            "{at}: {follow_ups} follow-ups"
        );
    }
}

/// A crisis at the top rung is a new placement on the same rung and a
/// breakdown; a crisis into a placement rung starts a placement spell. So
/// with no intake and no follow-ups, breakdown_rate = breakdowns ÷ (placed
/// at the period's start + crises in the period), exactly.
#[test]
fn crises_start_new_placement_spells() {
    let hazards = |mut r: Rung| {
        r.latent.worsen = (2.0).into();
        r.latent.crisis = (3.0).into();
        r
    };
    let placed = |id| Rung {
        placement: true,
        ..Rung::new(id)
    };
    let steps = vec![
        hazards(Rung::new("prevention")),
        hazards(placed("foster")),
        hazards(placed("institution")),
    ];
    let mut file = ScenarioFile::new(settings(2.0, Period::Quarter, 20, 17), steps);
    for (id, n) in [("prevention", 30), ("foster", 20), ("institution", 10)] {
        file.initial.insert(id.into(), n);
    }
    let results = crate::run(file);
    for r in 0..results.replications() {
        let v = |k: usize, m: Metric, step: &str| value(&results, r, k, m, step);
        let mut placed_before = 30.0;
        for k in 0..results.periods.len() {
            let at = format!("replication {r}, quarter {}", k + 1);
            let (crises, breakdowns) = (v(k, Metric::Crises, ""), v(k, Metric::Breakdowns, ""));
            let spells = placed_before + crises;
            let rate = v(k, Metric::BreakdownRate, "");
            assert!(
                close(rate, breakdowns / spells),
                "{at}: rate {rate} vs {breakdowns}/{spells}"
            );
            placed_before =
                v(k, Metric::CountEnd, "foster") + v(k, Metric::CountEnd, "institution");
        }
        assert!(sum_over_periods(&results, r, Metric::Breakdowns, "") > 0.0);
    }
}

/// A ladder with follow-ups and continuous workload, busy caseworkers, and
/// intake: the caseworkers' tasks are in progress when the team changes.
fn busy_team(caseworkers: u32, seed: u64) -> ScenarioFile {
    let rung = |id: &str, points: f64| Rung {
        points,
        workload_hours_per_month: 2.0,
        follow_up: Some(FollowUpPolicy {
            first_weeks: 4.0,
            every_weeks: 8.0,
            hours: 6.0,
        }),
        latent: LatentRates {
            improve: 0.5.into(),
            worsen: 0.3.into(),
            relapse: 1.0.into(),
            crisis: 2.0.into(),
        },
        exit: ExitRates { close: 0.2.into() },
        ..Rung::new(id)
    };
    let mut file = ScenarioFile::new(
        settings(2.0, Period::Quarter, 20, seed),
        vec![rung("prevention", 3.0), rung("foster", 7.0)],
    );
    file.intake.referrals_per_year = 40.0;
    file.intake.assessment_hours = 10.0;
    file.intake.assessment_min_weeks = 4.0;
    file.intake.assessment_points = 2.0;
    for (id, p) in [("none", 0.3), ("prevention", 0.5), ("foster", 0.2)] {
        file.intake.entry.insert(id.into(), (p).into());
    }
    for (id, n) in [("assessment", 10), ("prevention", 40), ("foster", 20)] {
        file.initial.insert(id.into(), n);
    }
    file.workforce = Some(Workforce {
        caseworkers,
        hours_per_week: 37.0,
        case_work_share: 0.7,
        min_task_share: 0.1,
        salary_per_year: 500_000.0,
    });
    file
}

fn set_caseworkers(at_years: f64, n: i64) -> ChangeSpec {
    ChangeSpec {
        at_years,
        set: [("workforce.caseworkers".to_string(), toml::Value::from(n))]
            .into_iter()
            .collect(),
    }
}

/// Caseload and points per caseworker in period `k` of replication `r`,
/// from child-years: (Σ child-years, Σ points × child-years) ÷ length.
fn load_from_child_years(results: &Results, r: usize, k: usize) -> (f64, f64) {
    let p = &results.scenario.params;
    let assessment = value(results, r, k, Metric::ChildYears, "assessment");
    let (mut cases, mut points) = (assessment, assessment * p.intake.assessment_points);
    for rung in &p.steps {
        let cy = value(results, r, k, Metric::ChildYears, &rung.id);
        cases += cy;
        points += cy * rung.points;
    }
    let length = period_length(results, k);
    (cases / length, points / length)
}

/// (c) Hiring from 2 to 6 caseworkers at a period boundary: in each period
/// caseload_mean = open cases (time-averaged) ÷ the caseworkers of that
/// period, exactly; the same for points.
#[test]
fn hiring_lowers_the_caseload_exactly() {
    let mut file = busy_team(2, 21);
    file.changes.push(set_caseworkers(1.0, 6));
    let results = crate::run(file);
    for r in 0..results.replications() {
        for k in 0..results.periods.len() {
            let team = if k < 4 { 2.0 } else { 6.0 };
            let (cases, points) = load_from_child_years(&results, r, k);
            let at = format!("replication {r}, quarter {}", k + 1);
            let caseload = value(&results, r, k, Metric::CaseloadMean, "");
            assert!(
                close(caseload, cases / team),
                "{at}: caseload {caseload} vs {cases}/{team}"
            );
            let pm = value(&results, r, k, Metric::PointsMean, "");
            assert!(
                close(pm, points / team),
                "{at}: points {pm} vs {points}/{team}"
            );
            let salary = value(&results, r, k, Metric::Cost, "workforce");
            let length = period_length(&results, k);
            assert!(
                close(salary, 500_000.0 * team * length),
                "{at}: salary {salary}"
            );
        }
    }
}

/// (c) Letting caseworkers go mid-period (6 → 2 at 0.6 years, inside
/// quarter 3) with tasks queued and in progress: no panic, cases conserved,
/// and the caseload in quarter 3 lies strictly between the 6- and
/// 2-caseworker values, exact afterwards. Also 2 → 6 mid-period.
#[test]
fn caseworkers_can_leave_and_join_mid_period() {
    for (from, to) in [(6u32, 2i64), (2, 6)] {
        let mut file = busy_team(from, 22);
        file.changes.push(set_caseworkers(0.6, to));
        let initial_on_rungs = 60.0;
        let results = crate::run(file);
        for r in 0..results.replications() {
            let v = |k: usize, m: Metric, step: &str| value(&results, r, k, m, step);
            let mut open = initial_on_rungs;
            for k in 0..results.periods.len() {
                let at = format!("{from} → {to}: replication {r}, quarter {}", k + 1);
                let open_end: f64 = ["assessment", "prevention", "foster"]
                    .iter()
                    .map(|p| v(k, Metric::CountEnd, p))
                    .sum();
                open += v(k, Metric::Referrals, "")
                    - v(k, Metric::Closures, "")
                    - v(k, Metric::AgedOut, "");
                assert_eq!(open_end, open, "{at}: cases not conserved");
                let (cases, _) = load_from_child_years(&results, r, k);
                let caseload = v(k, Metric::CaseloadMean, "");
                let (before, after) = (f64::from(from), to as f64);
                match k {
                    0 | 1 => assert!(close(caseload, cases / before), "{at}"),
                    2 => {
                        let (lo, hi) = (cases / before.max(after), cases / before.min(after));
                        assert!(
                            lo < caseload && caseload < hi,
                            "{at}: {caseload} not in ({lo}, {hi})"
                        );
                    }
                    _ => assert!(close(caseload, cases / after), "{at}"),
                }
            }
        }
    }
}

/// (d) Without a `[workforce]` capacity is unlimited: every follow-up is
/// done when due (delay 0, all on time), caseload metrics are 0, and an
/// assessment lasts exactly `assessment_min_weeks`. Starting empty with
/// Poisson referrals at λ, the expected child-years under assessment in
/// year 1 are λ (d − d²/2) and in year 2 λ d, d = 8/52.
#[test]
fn unlimited_capacity_does_everything_on_time() {
    let rung = |id: &str, weeks: f64| Rung {
        follow_up: Some(FollowUpPolicy {
            first_weeks: weeks,
            every_weeks: weeks,
            hours: 5.0,
        }),
        latent: LatentRates {
            improve: 1.0.into(),
            worsen: 0.5.into(),
            relapse: 1.0.into(),
            crisis: 2.0.into(),
        },
        ..Rung::new(id)
    };
    let steps = vec![rung("prevention", 6.0), rung("institution", 3.0)];
    let mut file = ScenarioFile::new(settings(2.0, Period::Year, 400, 23), steps);
    let lambda = 50.0;
    file.intake.referrals_per_year = lambda;
    file.intake.assessment_hours = 30.0;
    file.intake.assessment_min_weeks = 8.0;
    file.intake.age_max = 10.0;
    for (id, p) in [("none", 0.2), ("prevention", 0.5), ("institution", 0.3)] {
        file.intake.entry.insert(id.into(), (p).into());
    }
    file.initial.insert("prevention".into(), 30);
    let results = crate::run(file);
    let mut follow_ups = 0.0;
    for r in 0..results.replications() {
        let v = |k: usize, m: Metric, step: &str| value(&results, r, k, m, step);
        for k in 0..results.periods.len() {
            for id in ["prevention", "institution"] {
                let done = v(k, Metric::FollowUps, id);
                assert_eq!(v(k, Metric::FollowUpsOnTime, id), done);
                follow_ups += done;
            }
            for m in [
                Metric::FollowUpDelayWeeks,
                Metric::CaseloadMean,
                Metric::PointsMean,
            ] {
                assert_eq!(v(k, m, ""), 0.0, "{}", m.name());
            }
        }
    }
    assert!(follow_ups > 0.0);
    let d = 8.0 / 52.0;
    for (k, expected) in [(0, lambda * (d - d * d / 2.0)), (1, lambda * d)] {
        let column = results.column(k, crate::row(&results, Metric::ChildYears, "assessment"));
        let z = z_score(&column, expected);
        assert!(
            z <= TOLERANCE_SE,
            "year {}: assessment child-years vs {expected}: z = {z:.2}",
            k + 1
        );
    }
}

/// (e) The same scenario and seed give identical results, also on one
/// thread; another seed gives different results.
#[test]
fn same_seed_same_results_other_seed_other_results() {
    let mut file = busy_team(3, 31);
    file.changes.push(set_caseworkers(0.6, 5));
    file.scenario.replications = 8;
    let scenario = crate::scenario(file.clone());
    let a = trappe::monte_carlo::run(&scenario);
    let b = trappe::monte_carlo::run(&scenario);
    let single = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a thread pool")
        .install(|| trappe::monte_carlo::run(&scenario));
    let bits = |r: &Results| r.values.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&a), bits(&b), "same seed, different results");
    assert_eq!(
        bits(&a),
        bits(&single),
        "results depend on the thread count"
    );
    file.scenario.seed += 1;
    let other = crate::run(file);
    assert_ne!(bits(&a), bits(&other), "another seed, same results");
    // Replications differ from each other too.
    let rows = a.layout.len() * a.periods.len();
    assert_ne!(a.values[..rows], a.values[rows..2 * rows]);
}

/// (f) Welfare: a case held in `needs_more` with no follow-ups (nothing
/// ever sees it) and no crises accrues unmet need for all its time there.
/// `worsen` is instant, so each case leaves `fit` within 1e-4 years of
/// model time (an Exp(1e6) wait exceeds 1e-4 years with probability
/// e^-100): unmet need equals child-years up to that, and no time is
/// `ready`, exactly.
#[test]
fn a_case_held_in_needs_more_accrues_unmet_need_for_its_time_there() {
    let n = 40;
    let mut steps = low_high(None);
    steps[1].latent.worsen = (INSTANT).into();
    let mut file = ScenarioFile::new(settings(2.0, Period::Quarter, 10, 41), steps);
    file.initial.insert("high".into(), n);
    file.intake.age_min = 17.0; // some age out: time there ends with the case
    let results = crate::run(file);
    let mut aged = 0.0;
    for r in 0..results.replications() {
        for k in 0..results.periods.len() {
            let v = |m: Metric, step: &str| value(&results, r, k, m, step);
            let at = format!("replication {r}, quarter {}", k + 1);
            let (years, unmet) = (
                v(Metric::ChildYears, "high"),
                v(Metric::UnmetNeedChildYears, "high"),
            );
            let fit_before = if k == 0 { f64::from(n) * 1e-4 } else { 0.0 };
            assert!(
                unmet <= years && unmet >= years - fit_before - 1e-9,
                "{at}: unmet need {unmet} vs child-years {years}"
            );
            assert_eq!(v(Metric::ReadyChildYears, "high"), 0.0, "{at}");
            assert_eq!(v(Metric::UnmetNeedChildYears, "low"), 0.0, "{at}");
            assert_eq!(v(Metric::Crises, ""), 0.0, "{at}");
            aged += v(Metric::AgedOut, "");
        }
    }
    assert!(aged > 0.0, "cases aged out during the run");
}

/// (g) With unlimited capacity and no assessment hours, every assessment
/// takes exactly `assessment_min_weeks` from referral, initial cases under
/// assessment (referred at time 0) included; a period without completed
/// assessments reports 0.
#[test]
fn assessment_weeks_is_the_minimum_with_unlimited_capacity() {
    let mut file = ScenarioFile::new(
        settings(2.0, Period::Quarter, 10, 43),
        low_high(follow_up(26.0, 26.0)),
    );
    file.intake.referrals_per_year = 20.0;
    file.intake.assessment_min_weeks = 6.0;
    file.intake.assessment_hours = 0.0;
    file.intake.age_max = 10.0;
    file.intake.entry.insert("low".into(), (1.0).into());
    file.initial.insert("assessment".into(), 5);
    let results = crate::run(file);
    let mut assessed = 0.0;
    for r in 0..results.replications() {
        for k in 0..results.periods.len() {
            let v = |m: Metric| value(&results, r, k, m, "");
            let (count, weeks) = (v(Metric::Assessments), v(Metric::AssessmentWeeks));
            let want = if count > 0.0 { 6.0 } else { 0.0 };
            assert!(
                close(weeks, want),
                "replication {r}, quarter {}: {weeks} weeks over {count} assessments",
                k + 1
            );
            assessed += count;
        }
    }
    assert!(assessed > 0.0);
}
