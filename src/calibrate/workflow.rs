//! A whole calibration as `trappe calibrate` runs it: search for the best
//! parameters (or keep the scenarios' own), round them to the targets
//! file's significant digits, check the fit at each scenario's full
//! replications against the starting values (the better one is kept), and
//! set the values into copies of the user's files. The command line only prints what [`Calibration::run`]
//! reports and returns; a library user gets the same calibration.

use super::fitted_files::{FittedFile, fitted_files};
use super::optimise::{self, Options, Progress};
use super::{CalibrateError, Calibration, TargetFit};
use crate::format::significant;
use crate::monte_carlo;
use crate::scenario::Scenario;

/// What to do.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Plan {
    /// The search's budget, or `None` to evaluate the scenarios' current
    /// values only (checking shipped, already fitted scenarios).
    pub search: Option<Options>,
    /// Replications of the final check (default: each scenario's own, so
    /// the check reports what `trappe run` on a fitted file gives).
    pub check_replications: Option<u64>,
}

/// How far the calibration has come, for whoever shows progress.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Stage<'a> {
    /// The search starts with these options.
    Searching(&'a Options),
    /// One evaluation of the objective is done.
    Evaluated(&'a Progress),
    /// The search is over.
    Searched(&'a optimise::Outcome),
    /// The final check starts, with these replications per scenario.
    Checking(&'a [u64]),
}

/// Everything a calibration produced.
#[derive(Debug, Clone)]
pub struct Calibrated {
    /// The parameters' values in the scenarios as given.
    pub start: Vec<f64>,
    /// The fitted values, rounded (equal to `start` without a search, or
    /// when the start did better in the final check).
    pub values: Vec<f64>,
    /// The search's outcome, if there was a search.
    pub search: Option<optimise::Outcome>,
    /// The scenarios with the fitted values, at their check replications.
    pub fitted: Vec<Scenario>,
    /// The user's scenario files (every file of each `extends` chain) with
    /// the fitted values set in place.
    pub files: Vec<FittedFile>,
    /// Each target's simulated value in the final check.
    pub fits: Vec<TargetFit>,
    /// The objective of the final check.
    pub objective: f64,
    /// The starting values' objective in the same final check (only when
    /// there was a search).
    pub start_objective: Option<f64>,
    /// Whether the search found nothing better than the starting values in
    /// the final check, so `values` are the start.
    pub kept_start: bool,
}

impl Calibrated {
    /// How many targets the final check meets.
    pub fn met(&self, calibration: &Calibration) -> usize {
        calibration
            .file
            .targets
            .iter()
            .zip(&self.fits)
            .filter(|(t, f)| f.met(t))
            .count()
    }
}

impl Calibration {
    /// Search (per `plan`), round, and check the fit. Runs on the current
    /// rayon pool; `progress` is told each stage.
    ///
    /// The starting values are a candidate too: when the rounded fit does
    /// worse in the final check than the scenarios' own values (the search
    /// ran on fewer replications, and rounding moves the point), the start
    /// is kept and [`Calibrated::kept_start`] says so. A calibration never
    /// hands back values worse than it was given.
    pub fn run(
        &self,
        plan: &Plan,
        progress: &(dyn Fn(Stage<'_>) + Sync),
    ) -> Result<Calibrated, CalibrateError> {
        let start = self.start();
        let (fitted_values, search) = match plan.search {
            None => (start.clone(), None),
            Some(options) => {
                progress(Stage::Searching(&options));
                let outcome =
                    optimise::fit(self, options, &|p: &Progress| progress(Stage::Evaluated(p)))?;
                progress(Stage::Searched(&outcome));
                let digits = self.file.settings.significant_digits;
                let rounded = outcome
                    .values
                    .iter()
                    .map(|v| significant(*v, digits))
                    .collect();
                (rounded, Some(outcome))
            }
        };
        let check =
            |values: &[f64]| -> Result<(Vec<Scenario>, Vec<TargetFit>, f64), CalibrateError> {
                let scenarios = self.scenarios(values, plan.check_replications)?;
                let results: Vec<_> = scenarios.iter().map(monte_carlo::run).collect();
                let fits = self.evaluate(&results)?;
                let objective = self.objective(&fits);
                Ok((scenarios, fits, objective))
            };
        let replications: Vec<u64> = self
            .scenarios(&fitted_values, plan.check_replications)?
            .iter()
            .map(|s| s.settings().replications)
            .collect();
        progress(Stage::Checking(&replications));
        let (mut fitted, mut fits, mut objective) = check(&fitted_values)?;
        let mut values = fitted_values;
        let mut start_objective = None;
        let mut kept_start = false;
        if search.is_some() {
            let (at_start, start_fits, start_value) = check(&start)?;
            start_objective = Some(start_value);
            if start_value <= objective {
                (fitted, fits, objective, values) =
                    (at_start, start_fits, start_value, start.clone());
                kept_start = true;
            }
        }
        let overrides = self.overrides(&values).map_err(|(path, by)| {
            CalibrateError::Evaluation(format!("{path} would be negative (by {by})"))
        })?;
        let files = fitted_files(&self.inputs, &overrides).map_err(CalibrateError::Evaluation)?;
        Ok(Calibrated {
            start,
            values,
            search,
            fitted,
            files,
            fits,
            objective,
            start_objective,
            kept_start,
        })
    }
}
