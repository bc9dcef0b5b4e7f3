//! Fitting a scenario to case records (`trappe fit`): what the records show
//! directly is set directly, and the hidden need hazards and `detection`,
//! which records never show, are fitted by simulation.
//!
//! * [`plan`]: which values are set from the records (referrals, age
//!   weights, entry mix, `exit.close` where closures are only the hazard,
//!   `down_to`, with `--follow-ups` the follow-up cadence), which are
//!   fitted (one multiplier per rung × hazard on the policy's age shape,
//!   and `detection`), and which are kept from the policy, and why.
//! * [`objective`]: the distance the search minimises. The *window
//!   scenario* (the policy's rungs, costs, workforce and follow-up tables,
//!   starting on the window's first day from the cases open then, running
//!   to its last day) is simulated for fixed replication indices (common
//!   random numbers); each replication's case records are read by the same
//!   estimator as the real ones ([`super::observed::Observed::estimate`]),
//!   so the estimator's own biases (day rounding, censoring) cancel. The
//!   distance is Σ ((simulated mean − observed) / √(se_obs² + se_mc²))²
//!   over the transition intensities out of every rung.
//! * The search is [`crate::calibrate::optimise::fit`], the one
//!   Nelder–Mead driver `trappe calibrate` uses too.
//! * [`curvature`]: standard errors from the curvature of the distance at
//!   the optimum; a flat direction is reported as *not identified*.
//! * [`output`]: `scenario.toml`, `fit.csv` and `parameters.csv`.

pub mod curvature;
pub mod objective;
pub mod output;
pub mod plan;

use std::path::Path;
use std::time::Instant;

use crate::Error;
use crate::calibrate::optimise::{self, Objective, Options, SearchFailed};
use crate::scenario::{Document, Scenario};
use objective::{RecordsObjective, RowFit};
use plan::Plan;

use super::Records;
use super::bands::AgeBands;
use super::observed::{Observed, Window};
use super::open_cases::{self, OpenCase};

pub use output::{FIT_HEADER, PARAMETERS_HEADER, ParameterRow};

/// How hard to search.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FitOptions {
    /// Replications per evaluation (the same indices every time).
    pub replications: u64,
    /// Evaluations of the distance in the search (the curvature and the
    /// final check come on top: 2 per fitted parameter, and 1).
    pub max_evaluations: usize,
    /// Restarts of the search from the best point.
    pub restarts: usize,
    /// Use the follow-up cadence the records show (needs a follow-ups
    /// file) instead of the policy's follow-up tables.
    pub follow_ups: bool,
}

impl Default for FitOptions {
    fn default() -> Self {
        Self {
            replications: 10,
            max_evaluations: 200,
            restarts: 2,
            follow_ups: true,
        }
    }
}

/// Where the fit is, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    /// What is being done: `"search"`, `"curvature"` or `"check"`.
    pub stage: &'static str,
    /// Evaluations done, over all stages.
    pub evaluations: usize,
    /// Evaluations planned, over all stages (the search may stop early).
    pub total: usize,
    /// Best distance so far.
    pub best: f64,
}

/// Everything a fit produced.
#[derive(Debug, Clone)]
pub struct Fitted {
    /// The policy scenario with every fitted and directly set value,
    /// starting on `window.to` from the cases open then (warm-up 0), ready
    /// to run.
    pub scenario: Scenario,
    /// The same as `scenario.toml` text: the policy file's own text with
    /// the values edited in place and commented.
    pub toml: String,
    /// The cases open on `window.to` (the start state, `open-cases.csv`).
    pub open_cases: Vec<OpenCase>,
    /// Everything the records show in the window.
    pub observed: Observed,
    /// Observed against fitted, one per observed quantity (`fit.csv`).
    pub rows: Vec<RowFit>,
    /// Every parameter: fitted, set from the records or kept
    /// (`parameters.csv`).
    pub parameters: Vec<ParameterRow>,
    /// The distance at the start (the policy's values).
    pub start_distance: f64,
    /// The distance at the fitted values.
    pub distance: f64,
    /// Evaluations used (search, curvature, check).
    pub evaluations: usize,
    /// Wall time in seconds.
    pub seconds: f64,
}

impl Fitted {
    /// Write `scenario.toml`, `open-cases.csv`, `observed.csv`, `fit.csv`
    /// and `parameters.csv` into `dir` (a results publication's folder).
    pub fn write(&self, dir: &Path, records: &Records) -> std::io::Result<()> {
        std::fs::write(dir.join(output::SCENARIO_TOML), &self.toml)?;
        open_cases::write(
            &self.open_cases,
            &records.places,
            &dir.join(output::OPEN_CASES_CSV),
        )?;
        self.observed.write(&dir.join(output::OBSERVED_CSV))?;
        output::write_fit_csv(&self.rows, &dir.join(output::FIT_CSV))?;
        output::write_parameters_csv(&self.parameters, &dir.join(output::PARAMETERS_CSV))
    }
}

impl From<SearchFailed> for Error {
    fn from(e: SearchFailed) -> Self {
        Error::Failed(e.0)
    }
}

/// Fit the policy scenario at `policy` to `records` in `window`, by age
/// `bands`: set what the records show, search the hidden hazards and
/// `detection`, and measure how well they are pinned down. `progress` is
/// told after every evaluation.
pub fn fit_records(
    records: &Records,
    policy: &Path,
    window: Window,
    bands: &AgeBands,
    options: &FitOptions,
    progress: &(dyn Fn(&Progress) + Sync),
) -> Result<Fitted, Error> {
    let started = Instant::now();
    let document = Document::read(policy)?;
    let observed = Observed::estimate(
        &records.history,
        records.follow_ups.as_deref(),
        &records.places,
        bands,
        window,
    );
    let use_cadence = options.follow_ups && records.follow_ups.is_some();
    let plan = Plan::new(document, &observed, records, bands, window, use_cadence)?;
    let objective = RecordsObjective::new(&plan, &observed, records, bands, window);
    let n = plan.parameters.len();
    let total = options.max_evaluations + 2 * n + 1;
    let done = std::sync::atomic::AtomicUsize::new(0);
    let tell = |stage: &'static str, best: f64| {
        let evaluations = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        progress(&Progress {
            stage,
            evaluations,
            total,
            best,
        });
    };
    let search = Options {
        replications: options.replications,
        max_evaluations: options.max_evaluations,
        restarts: options.restarts,
    };
    let outcome = if n == 0 {
        None
    } else {
        Some(optimise::fit(&objective, search, &|p| {
            tell("search", p.best)
        })?)
    };
    let best = outcome
        .as_ref()
        .map_or_else(|| objective.start(), |o| o.values.clone());
    let curvature = curvature::at(&objective, &best, options.replications, &|| {
        tell(
            "curvature",
            outcome.as_ref().map_or(f64::NAN, |o| o.objective),
        )
    })?;
    let rows = objective.rows(&best, options.replications)?;
    let distance = objective.distance(&rows);
    tell("check", distance);
    let start_distance = outcome.as_ref().map_or(distance, |o| o.start_objective);
    let overrides = plan.output_overrides(&best);
    let toml = output::scenario_toml(&plan, &best, &curvature, &overrides)?;
    let scenario = plan.final_scenario(&overrides)?;
    let parameters = output::parameter_rows(&plan, &best, &curvature);
    Ok(Fitted {
        scenario,
        toml,
        open_cases: open_cases::open_on(&records.history, window.to),
        observed,
        rows,
        parameters,
        start_distance,
        distance,
        evaluations: done.into_inner(),
        seconds: started.elapsed().as_secs_f64(),
    })
}
