//! Each replication's values of the scenario's uncertain parameters.
//!
//! Replication *r* draws parameter `path` as the first draw of stream
//! `(seed, r, Parameters, path_index(path))` (see [`super::streams`]),
//! before it simulates anything and from a stream no other draw uses: the
//! values depend on the seed, the replication and the path only, so they
//! are the same for any thread count or shard, and a scenario without
//! `[uncertainty]` draws nothing (its results are unchanged).

use super::streams::{StreamKind, path_index, stream};
use crate::scenario::Scenario;

/// Replication `replication`'s values, one per entry of
/// [`Scenario::uncertainty`] in order (rounded for whole-number
/// parameters); empty without uncertainty.
pub fn draw(scenario: &Scenario, replication: u64) -> Vec<f64> {
    let seed = scenario.settings().seed;
    scenario
        .uncertainty
        .iter()
        .map(|p| {
            let mut rng = stream(
                seed,
                replication,
                StreamKind::Parameters,
                path_index(&p.path),
            );
            p.value(p.distribution.sample(&mut rng))
        })
        .collect()
}

/// The scenario replication `replication` runs: with its drawn values, or
/// `None` when the scenario has no uncertain parameters (run it as is).
pub fn scenario_for(scenario: &Scenario, replication: u64) -> Option<Scenario> {
    if scenario.uncertainty.is_empty() {
        None
    } else {
        Some(scenario.with_values(&draw(scenario, replication)))
    }
}
