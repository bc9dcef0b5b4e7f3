//! Fitting a policy scenario to case records with a progress bar of
//! evaluations: what `trappe backtest` runs before it projects (and what
//! what `trappe fit` runs).

use std::path::Path;

use super::{Result, progress_bar_of};
use trappe::records::Records;
use trappe::records::bands::AgeBands;
use trappe::records::fit::{self, FitOptions, Fitted};
use trappe::records::observed::Window;

/// Replications per evaluation of a fit, by default (as `trappe fit
/// --replications`).
pub const FIT_REPLICATIONS: u64 = 10;
/// Evaluations a fit's search may use, by default (as `trappe fit
/// --max-evaluations`).
pub const MAX_EVALUATIONS: usize = 200;

/// Fit the policy scenario at `policy` to `records` in `window` by age
/// `bands`, with `replications` per evaluation and at most
/// `max_evaluations`, showing a progress bar of evaluations unless
/// `quiet`. The records' follow-up cadence is used when they have
/// follow-ups.
pub fn fit_with_progress(
    records: &Records,
    policy: &Path,
    (window, bands): (Window, &AgeBands),
    (replications, max_evaluations): (u64, usize),
    quiet: bool,
) -> Result<Fitted> {
    let options = FitOptions {
        replications,
        max_evaluations,
        follow_ups: records.follow_ups.is_some(),
        ..FitOptions::default()
    };
    let bar = progress_bar_of(1, quiet, "evaluations");
    bar.set_message("fitting");
    let fitted = fit::fit_records(records, policy, window, bands, &options, &|p| {
        bar.set_length(p.total as u64);
        bar.set_position(p.evaluations as u64);
        bar.set_message(format!("{} (best distance {:.1})", p.stage, p.best));
    })?;
    bar.finish_and_clear();
    Ok(fitted)
}
