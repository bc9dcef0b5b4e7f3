//! What the model says a caseworker sweep of the Herning Swedish-model
//! scenario must show (docs/model.md sections 4 and 6).
//!
//! * More caseworkers means more task capacity, so follow-ups are done
//!   sooner: the follow-up delay falls with every caseworker added.
//! * Total cost = placements + salaries + fixed. Salaries rise by one
//!   salary per caseworker; placement costs fall only while extra capacity
//!   still speeds up follow-ups. Once follow-ups are on time (mean delay
//!   under a week; about 6 caseworkers in this scenario) placement costs
//!   are flat and total cost rises with every caseworker. Below that the model makes no
//!   monotone promise: with 2 caseworkers assessments back up and children
//!   wait unassessed, which costs nothing in the model, so total cost is
//!   not monotone over the whole range.

use tempfile::TempDir;

use crate::{ok, rows, shipped, sweep};

#[test]
fn follow_up_delay_falls_and_cost_rises_once_follow_ups_are_on_time() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    ok(&mut sweep(
        &shipped("herning-sverigesmodel.toml"),
        &out,
        &[
            "--vary",
            "workforce.caseworkers=2..10",
            "--replications",
            "20",
        ],
    ));
    let table = rows(&out.join("sweep.csv"));
    // Whole-run values per caseworker count: sums of period means.
    let total = |metric: &str, step: &str| -> Vec<f64> {
        (2..=10)
            .map(|c| {
                table
                    .iter()
                    .filter(|r| {
                        r["workforce.caseworkers"] == c.to_string()
                            && r["metric"] == metric
                            && r["step"] == step
                    })
                    .map(|r| r["mean"].parse::<f64>().unwrap())
                    .sum()
            })
            .collect()
    };
    let delay = total("follow_up_delay_weeks", "");
    assert!(
        delay.windows(2).all(|w| w[1] < w[0]),
        "follow-up delay must fall with every caseworker: {delay:?}"
    );
    let workforce = total("cost", "workforce");
    let step = workforce[1] - workforce[0];
    assert!(
        workforce
            .windows(2)
            .all(|w| ((w[1] - w[0]) - step).abs() < 1e-6 * step),
        "salaries rise by one salary per caseworker: {workforce:?}"
    );
    // Where follow-ups are on time (mean delay under a week in every
    // period), extra capacity no longer lowers placement costs, so total
    // cost must rise with every caseworker.
    let periods = table
        .iter()
        .filter(|r| r["point"] == "1" && r["metric"] == "follow_up_delay_weeks")
        .count() as f64;
    let first_on_time = delay
        .iter()
        .position(|d| d / periods < 1.0)
        .expect("enough caseworkers make follow-ups timely");
    assert!(
        first_on_time < 6,
        "on time only from {} caseworkers: {delay:?}",
        first_on_time + 2
    );
    let cost = total("cost", "total");
    assert!(
        cost[first_on_time..].windows(2).all(|w| w[1] > w[0]),
        "from {} caseworkers on (follow-ups on time), total cost must rise: {cost:?}",
        first_on_time + 2
    );
}
