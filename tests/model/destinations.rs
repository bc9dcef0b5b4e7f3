//! The rules of "where moves go" (docs/model.md section 3, model version
//! 2), each in a small scenario whose consequence is exact in every
//! replication: a crisis to the own rung starts a new placement spell,
//! `down_to = { closed = 1 }` turns moves down into closures, `up_to` skips
//! rungs, the time limit and a detected `ready` are told apart in
//! `transitions.csv`, and a table set by `[[changes]]` applies from then on.

use trappe::metrics::Metric;
use trappe::results::Results;
use trappe::scenario::{
    ChangeSpec, Destinations, FollowUpPolicy, Period, Rung, ScenarioFile, Settings,
};
use trappe::transitions::{Kind, Origin, Target};

use crate::{close, start_date, value};

/// "Instantly": a hazard so high the state changes within seconds.
const INSTANT: f64 = 1e6;

fn settings(horizon: f64, period: Period, seed: u64) -> Settings {
    Settings {
        replications: 20,
        seed,
        period,
        ..Settings::new("destinations", start_date(), horizon)
    }
}

fn table(pairs: &[(&str, f64)]) -> Option<Destinations> {
    Some(pairs.iter().map(|(id, p)| (id.to_string(), *p)).collect())
}

fn every(weeks: f64) -> Option<FollowUpPolicy> {
    Some(FollowUpPolicy {
        first_weeks: weeks,
        every_weeks: weeks,
        hours: 0.0,
    })
}

/// How often (from, to, kind) happened in replication `r`, period `k`.
fn moves(results: &Results, r: usize, k: usize, from: Origin, to: Target, kind: Kind) -> f64 {
    let cell = results.transition_grid().index(from, to, kind);
    results.transition(r, k, cell)
}

/// Every transition of replication `r`, period `k`, summed.
fn all_moves(results: &Results, r: usize, k: usize) -> f64 {
    (0..results.transition_grid().len())
        .map(|c| results.transition(r, k, c))
        .sum()
}

/// A crisis to the own rung is a new placement there: the case stays on
/// the rung (counts change only by ageing out), every
/// crisis is a breakdown starting a new spell (breakdown rate = breakdowns
/// ÷ (placed at the start + crises)), and `transitions.csv` shows it with
/// `from` = `to`.
#[test]
fn a_crisis_to_the_own_rung_starts_a_new_spell_there() {
    let foster = Rung {
        placement: true,
        crisis_to: table(&[("foster", 1.0)]),
        ..Rung::new("foster")
    };
    let mut steps = vec![Rung::new("prevention"), foster, Rung::new("institution")];
    steps[1].latent.worsen = (2.0).into();
    steps[1].latent.crisis = (3.0).into();
    let mut file = ScenarioFile::new(settings(2.0, Period::Quarter, 5), steps);
    file.initial.insert("foster".into(), 25);
    let results = crate::run(file);
    let mut crises_seen = 0.0;
    for r in 0..results.replications() {
        let mut placed_before = 25.0;
        for k in 0..results.periods.len() {
            let v = |m: Metric, step: &str| value(&results, r, k, m, step);
            let at = format!("replication {r}, quarter {}", k + 1);
            let aged = v(Metric::AgedOut, "");
            let placed = v(Metric::CountEnd, "foster");
            assert_eq!(placed, placed_before - aged, "{at}: the case moved");
            assert_eq!(v(Metric::CountEnd, "institution"), 0.0, "{at}");
            let crises = v(Metric::Crises, "");
            assert_eq!(v(Metric::Breakdowns, ""), crises, "{at}");
            let rate = v(Metric::BreakdownRate, "");
            assert!(
                close(rate, crises / (placed_before + crises)),
                "{at}: every crisis starts a spell: rate {rate}, crises {crises}"
            );
            placed_before = placed;
            let own = moves(
                &results,
                r,
                k,
                Origin::Rung(1),
                Target::Rung(1),
                Kind::Crisis,
            );
            assert_eq!(own, crises, "{at}: foster -> foster crises");
            assert_eq!(
                all_moves(&results, r, k),
                crises + aged,
                "{at}: other moves"
            );
            crises_seen += crises;
        }
    }
    assert!(
        crises_seen > 100.0,
        "the scenario has crises: {crises_seen}"
    );
}

/// `down_to = { closed = 1 }` on a middle rung: a detected `ready` closes
/// the case (a closure, not a move down), whatever rungs lie below.
#[test]
fn down_to_closed_is_a_closure() {
    let mut steps = vec![Rung::new("low"), Rung::new("mid"), Rung::new("high")];
    steps[1].follow_up = every(13.0);
    steps[1].latent.improve = (INSTANT).into();
    steps[1].down_to = table(&[("closed", 1.0)]);
    let mut file = ScenarioFile::new(settings(2.0, Period::Year, 7), steps);
    file.intake.referrals_per_year = 40.0;
    file.intake.age_max = 10.0;
    file.intake.entry.insert("mid".into(), 1.0.into());
    let results = crate::run(file);
    let mut closed = 0.0;
    for r in 0..results.replications() {
        for k in 0..results.periods.len() {
            let v = |m: Metric, step: &str| value(&results, r, k, m, step);
            let at = format!("replication {r}, year {}", k + 1);
            assert_eq!(v(Metric::MovesDown, ""), 0.0, "{at}");
            assert_eq!(v(Metric::CountEnd, "low"), 0.0, "{at}");
            let follow_ups = v(Metric::FollowUps, "mid");
            assert_eq!(
                v(Metric::Closures, ""),
                follow_ups,
                "{at}: each follow-up closes"
            );
            let down = moves(&results, r, k, Origin::Rung(1), Target::Closed, Kind::Down);
            assert_eq!(down, follow_ups, "{at}: mid -> closed (down)");
            closed += down;
        }
    }
    assert!(closed > 100.0, "the scenario closes cases: {closed}");
}

/// `up_to` skips rungs; a move by the time limit alone is `time_limit`,
/// a detected `ready` past the limit is `down`; `down_to` skips rungs too.
#[test]
fn up_to_and_down_to_skip_rungs_and_kinds_tell_the_reason() {
    let mut steps: Vec<Rung> = ["a", "b", "c", "d"].map(Rung::new).to_vec();
    // a: needs_more at once, detected at the first follow-up: up to d.
    steps[0].follow_up = every(4.0);
    steps[0].latent.worsen = (INSTANT).into();
    steps[0].up_to = table(&[("d", 1.0)]);
    // d: nothing hidden changes; the time limit moves the case down to b.
    steps[3].follow_up = every(10.0);
    steps[3].max_years = Some(0.1);
    steps[3].down_to = table(&[("b", 1.0)]);
    // b: ready at once, detected at the first follow-up past the time
    // limit: a `down` move to closed, not `time_limit`.
    steps[1].follow_up = every(30.0);
    steps[1].max_years = Some(0.1);
    steps[1].latent.improve = (INSTANT).into();
    steps[1].down_to = table(&[("closed", 1.0)]);
    let mut file = ScenarioFile::new(settings(3.0, Period::Year, 11), steps);
    file.initial.insert("a".into(), 30);
    file.intake.age_min = 0.0;
    file.intake.age_max = 10.0;
    let results = crate::run(file);
    for r in 0..results.replications() {
        let sum = |from, to, kind| {
            (0..results.periods.len())
                .map(|k| moves(&results, r, k, from, to, kind))
                .sum::<f64>()
        };
        let aged: f64 = (0..results.periods.len())
            .map(|k| value(&results, r, k, Metric::AgedOut, ""))
            .sum();
        let up = sum(Origin::Rung(0), Target::Rung(3), Kind::Up);
        let limit = sum(Origin::Rung(3), Target::Rung(1), Kind::TimeLimit);
        let down = sum(Origin::Rung(1), Target::Closed, Kind::Down);
        // Initial ages are uniform on [0, 18): a few age out on the way.
        assert!(up + aged >= 30.0 && up <= 30.0, "replication {r}: up {up}");
        assert!(limit <= up && limit + aged >= up, "{r}: limit {limit}");
        assert!(down <= limit && down + aged >= limit, "{r}: down {down}");
        assert!(up >= 20.0, "replication {r}: up {up}");
        let total: f64 = (0..results.periods.len())
            .map(|k| all_moves(&results, r, k))
            .sum();
        assert_eq!(
            total,
            up + limit + down + aged,
            "replication {r}: other moves"
        );
    }
}

/// A `[[changes]]` entry that sets `crisis_to` replaces the table whole
/// from its time on: crises from `foster` go up to `institution` (the
/// default) in year 1 and stay on `foster` in year 2.
#[test]
fn a_table_set_by_a_change_applies_from_then_on() {
    let mut steps = vec![
        Rung::new("prevention"),
        Rung {
            placement: true,
            ..Rung::new("foster")
        },
        Rung {
            placement: true,
            ..Rung::new("institution")
        },
    ];
    steps[1].latent.worsen = (3.0).into();
    steps[1].latent.crisis = (3.0).into();
    let mut file = ScenarioFile::new(settings(2.0, Period::Year, 13), steps);
    file.initial.insert("foster".into(), 40);
    file.intake.age_min = 0.0;
    file.intake.age_max = 5.0;
    file.intake.referrals_per_year = 20.0;
    file.intake.entry.insert("foster".into(), 1.0.into());
    let foster_only: toml::Table = "foster = 1.0".parse().unwrap();
    file.changes.push(ChangeSpec {
        at_years: 1.0,
        set: [(
            "steps.foster.crisis_to".to_string(),
            toml::Value::Table(foster_only),
        )]
        .into_iter()
        .collect(),
    });
    let results = crate::run(file);
    let (mut before, mut after) = (0.0, 0.0);
    for r in 0..results.replications() {
        let crises = |k| value(&results, r, k, Metric::Crises, "");
        let up = |k| {
            moves(
                &results,
                r,
                k,
                Origin::Rung(1),
                Target::Rung(2),
                Kind::Crisis,
            )
        };
        let stay = |k| {
            moves(
                &results,
                r,
                k,
                Origin::Rung(1),
                Target::Rung(1),
                Kind::Crisis,
            )
        };
        assert_eq!(up(0), crises(0), "replication {r}: year 1 goes up");
        assert_eq!(stay(0), 0.0, "replication {r}");
        assert_eq!(stay(1), crises(1), "replication {r}: year 2 stays");
        assert_eq!(up(1), 0.0, "replication {r}");
        before += up(0);
        after += stay(1);
    }
    assert!(before > 100.0 && after > 100.0, "{before} {after}");
    let final_table = &results.scenario.final_params().moves[1];
    assert!(final_table.crisis.is_some() && final_table.down.is_none());
}
