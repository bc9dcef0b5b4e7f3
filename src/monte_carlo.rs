//! Parallel Monte Carlo: many independent replications of one scenario.
//!
//! Replication *i* always draws from the streams derived from
//! `(seed, i)` (see [`crate::model::streams`]), whichever thread runs it,
//! and results are gathered in replication order, so the output is
//! byte-identical for any thread count. A scenario with `[uncertainty]`
//! first draws replication *i*'s parameter values from their own streams
//! (see [`crate::model::parameter_draws`]).

use std::ops::Range;
use std::time::Instant;

use indicatif::{ParallelProgressIterator, ProgressBar};
use rayon::prelude::*;

use crate::metrics::Layout;
use crate::model::{ReplicationOutput, parameter_draws, simulate};
use crate::results::Results;
use crate::scenario::Scenario;

/// Run replications `range` of `scenario` on the current rayon pool,
/// ticking `progress` once per replication (`ProgressBar::hidden()` for
/// none).
pub fn run_range(scenario: &Scenario, range: Range<u64>, progress: &ProgressBar) -> Results {
    let started = Instant::now();
    let layout = Layout::new(&scenario.params);
    let outputs: Vec<ReplicationOutput> = range
        .clone()
        .into_par_iter()
        .progress_with(progress.clone())
        .map(|rep| match parameter_draws::scenario_for(scenario, rep) {
            Some(drawn) => simulate(&drawn, &layout, rep),
            None => simulate(scenario, &layout, rep),
        })
        .collect();
    progress.finish_and_clear();
    Results::new(
        scenario.clone(),
        layout,
        range.start,
        outputs,
        started.elapsed().as_secs_f64(),
    )
}

/// Run all of the scenario's replications, with a progress bar.
pub fn run_with_progress(scenario: &Scenario, progress: &ProgressBar) -> Results {
    run_range(scenario, 0..scenario.settings().replications, progress)
}

/// Run all of the scenario's replications silently: the library entry point.
pub fn run(scenario: &Scenario) -> Results {
    run_with_progress(scenario, &ProgressBar::hidden())
}
