//! Placement capacity (docs/model.md, "Placement capacity") seen from the
//! outside: places that are never short change nothing, and a shortage
//! sends children up the ladder to wait. (The rules step by step, and the
//! invariants after every event, are unit tests in `src/model/capacity.rs`,
//! where the waiting lists can be seen.)

use std::path::Path;

use trappe::Scenario;
use trappe::metrics::Metric;
use trappe::results::Results;

use crate::{mean_sd, value};

fn shipped(name: &str, overrides: &[String]) -> Results {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name);
    let overrides: Vec<trappe::Override> = overrides
        .iter()
        .map(|o| o.parse().expect("a valid override"))
        .collect();
    let scenario = Scenario::load(&path, &overrides).expect("the shipped scenario loads");
    trappe::monte_carlo::run(&scenario)
}

/// With more places than there could ever be cases, capacity draws nothing
/// and changes nothing: every row the no-capacity run has is identical, to
/// the bit, and nobody is diverted, waits or is admitted.
#[test]
fn places_beyond_any_demand_change_nothing() {
    let base = [
        "scenario.replications=40".to_string(),
        "scenario.warmup_years=2.0".to_string(),
    ];
    let plain = shipped("herning-sverigesmodel.toml", &base);
    let mut ample = base.to_vec();
    for id in ["prevention", "home_based", "kinship", "foster"] {
        ample.push(format!("steps.{id}.capacity=1000000"));
    }
    let roomy = shipped("herning-sverigesmodel.toml", &ample);
    assert_eq!(plain.events, roomy.events, "the same events");
    let mut compared = 0;
    for (row, r) in plain.layout.rows.iter().enumerate() {
        let other = roomy
            .layout
            .find(r.metric, &r.step_name)
            .expect("every row is still there");
        for rep in 0..plain.replications() {
            for k in 0..plain.periods.len() {
                let (a, b) = (plain.value(rep, k, row), roomy.value(rep, k, other));
                assert_eq!(
                    a.to_bits(),
                    b.to_bits(),
                    "{} / {} replication {rep} period {k}",
                    r.metric.name(),
                    r.step_name
                );
                compared += 1;
            }
        }
    }
    assert!(compared > 1000);
    for r in roomy.layout.rows.iter().filter(|r| !r.metric.is_core()) {
        if matches!(
            r.metric,
            Metric::Admissions
                | Metric::Diverted
                | Metric::WaitingEnd
                | Metric::WaitingChildYears
                | Metric::WaitingCost
                | Metric::WaitingExtraCost
        ) {
            let row = roomy.layout.find(r.metric, &r.step_name).unwrap();
            for k in 0..roomy.periods.len() {
                assert!(roomy.column(k, row).iter().all(|&v| v == 0.0));
            }
        }
    }
}

/// The shipped shortage: foster care never holds more children than its
/// places (the start state fits), children wait in every replication's
/// run, and the waiting is paid for at institution prices: the cost of
/// waiting for foster care is exactly (institution − foster price) more
/// than foster care would have cost, per child-year waited, when everyone
/// waits in an institution (the rung above foster care).
#[test]
fn a_shortage_of_foster_families_fills_institutions_with_waiting_children() {
    let results = shipped(
        "foster-shortage.toml",
        &["scenario.replications=100".to_string()],
    );
    let s = &results.scenario;
    let foster = s
        .params
        .steps
        .iter()
        .position(|r| r.id == "foster")
        .unwrap();
    let places = f64::from(s.params.steps[foster].capacity.expect("foster has places"));
    let (foster_price, institution_price) = (
        s.params.steps[foster].cost_per_year,
        s.params.steps[foster + 1].cost_per_year,
    );
    let mut waited = Vec::new();
    for rep in 0..results.replications() {
        let mut total = 0.0;
        for k in 0..results.periods.len() {
            let v = |m: Metric, step: &str| value(&results, rep, k, m, step);
            assert!(v(Metric::CountEnd, "foster") <= places);
            let years = v(Metric::WaitingChildYears, "foster");
            let extra = v(Metric::WaitingExtraCost, "foster");
            let cost = v(Metric::WaitingCost, "foster");
            let tolerance = 1e-6 * cost.max(1.0);
            assert!((cost - years * institution_price).abs() <= tolerance);
            assert!((extra - years * (institution_price - foster_price)).abs() <= tolerance);
            assert!(v(Metric::Admissions, "foster") <= v(Metric::MovesDown, ""));
            total += years;
        }
        waited.push(total);
    }
    let (mean, sd) = mean_sd(&waited);
    let se = sd / (waited.len() as f64).sqrt();
    assert!(
        mean > 4.0 * se && mean > 1.0,
        "children wait for foster care: {mean} child-years (se {se})"
    );
}
