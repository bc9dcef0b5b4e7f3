//! The optimiser driver: argmin's Nelder–Mead on the unit cube of the
//! parameter bounds (a log scale where asked), restarted from the best
//! point found with a fresh, smaller simplex, within a budget of objective
//! evaluations.
//!
//! Points outside the cube are evaluated at the nearest point inside plus a
//! quadratic penalty, so the search stays within the bounds. A remainder
//! that would go negative is not simulated: it costs a large penalty that
//! grows with the violation.

use std::sync::Mutex;

use argmin::core::{CostFunction, Error as ArgminError, Executor};
use argmin::solver::neldermead::NelderMead;

use super::{CalibrateError, Calibration};

/// Budget and evaluation settings of one fit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// Replications per scenario and evaluation (fixed seeds).
    pub replications: u64,
    /// Objective evaluations over all restarts.
    pub max_evaluations: usize,
    /// Restarts after the first run.
    pub restarts: usize,
}

/// What the optimiser reports as it goes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    /// Evaluations so far.
    pub evaluations: usize,
    /// Budget.
    pub max_evaluations: usize,
    /// 0 for the first run, then 1, 2, … for restarts.
    pub restart: usize,
    /// This evaluation's objective.
    pub objective: f64,
    /// Best objective so far.
    pub best: f64,
    /// Whether this evaluation improved on the best.
    pub improved: bool,
}

/// The outcome of a fit.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Best parameter values found (unrounded).
    pub values: Vec<f64>,
    /// Their objective at the fitting replications.
    pub objective: f64,
    /// Objective at the start values.
    pub start_objective: f64,
    /// Evaluations used.
    pub evaluations: usize,
    /// Runs done (1 + restarts that started).
    pub runs: usize,
}

struct Tracker {
    evaluations: usize,
    best: f64,
    best_u: Vec<f64>,
    restart: usize,
    start_objective: f64,
}

struct Problem<'a> {
    calibration: &'a Calibration,
    options: Options,
    tracker: &'a Mutex<Tracker>,
    progress: &'a (dyn Fn(&Progress) + Sync),
}

/// Penalty per unit of a remainder's violation (the objective of a fair
/// fit is of the order of the number of targets).
const INFEASIBLE: f64 = 1e6;

impl Problem<'_> {
    fn values(&self, u: &[f64]) -> Vec<f64> {
        self.calibration
            .file
            .parameters
            .iter()
            .zip(u)
            .map(|(p, u)| p.from_unit(*u))
            .collect()
    }

    fn objective(&self, u: &[f64]) -> Result<f64, CalibrateError> {
        let outside: f64 = u
            .iter()
            .map(|x| (x - x.clamp(0.0, 1.0)).powi(2))
            .sum::<f64>();
        let values = self.values(u);
        if let Err((_, by)) = self.calibration.overrides(&values) {
            return Ok(INFEASIBLE * (1.0 + by) + INFEASIBLE * outside);
        }
        let results = self
            .calibration
            .simulate(&values, Some(self.options.replications))?;
        let fits = self.calibration.evaluate(&results)?;
        Ok(self.calibration.objective(&fits) * (1.0 + 100.0 * outside) + 1e3 * outside)
    }
}

impl CostFunction for Problem<'_> {
    type Param = Vec<f64>;
    type Output = f64;

    fn cost(&self, u: &Self::Param) -> Result<f64, ArgminError> {
        if self.tracker.lock().expect("not poisoned").evaluations >= self.options.max_evaluations {
            return Err(ArgminError::msg("evaluation budget used up"));
        }
        let f = self.objective(u).map_err(ArgminError::new)?;
        let mut t = self.tracker.lock().expect("not poisoned");
        t.evaluations += 1;
        if t.evaluations == 1 {
            t.start_objective = f;
        }
        let improved = f < t.best;
        if improved {
            t.best = f;
            t.best_u = u.clone();
        }
        (self.progress)(&Progress {
            evaluations: t.evaluations,
            max_evaluations: self.options.max_evaluations,
            restart: t.restart,
            objective: f,
            best: t.best,
            improved,
        });
        Ok(f)
    }
}

/// A simplex around `x` with edge `step` along each axis (inward where a
/// step would leave the cube).
fn simplex(x: &[f64], step: f64) -> Vec<Vec<f64>> {
    let mut out = vec![x.to_vec()];
    for i in 0..x.len() {
        let mut v = x.to_vec();
        v[i] = if v[i] + step <= 1.0 {
            v[i] + step
        } else {
            v[i] - step
        };
        out.push(v);
    }
    out
}

/// Fit the parameters: Nelder–Mead from the start values, then
/// `options.restarts` restarts from the best point with smaller simplices,
/// until the budget is used. `progress` is called after every evaluation.
pub fn fit(
    calibration: &Calibration,
    options: Options,
    progress: &(dyn Fn(&Progress) + Sync),
) -> Result<Outcome, CalibrateError> {
    let start: Vec<f64> = calibration
        .file
        .parameters
        .iter()
        .zip(calibration.start())
        .map(|(p, v)| p.to_unit(v))
        .collect();
    let tracker = Mutex::new(Tracker {
        evaluations: 0,
        best: f64::INFINITY,
        best_u: start.clone(),
        restart: 0,
        start_objective: f64::NAN,
    });
    let mut runs = 0;
    for restart in 0..=options.restarts {
        let (from, used) = {
            let mut t = tracker.lock().expect("not poisoned");
            t.restart = restart;
            (t.best_u.clone(), t.evaluations)
        };
        if used >= options.max_evaluations {
            break;
        }
        runs += 1;
        let step = 0.15 / (1.0 + restart as f64);
        let problem = Problem {
            calibration,
            options,
            tracker: &tracker,
            progress,
        };
        let solver = NelderMead::new(simplex(&from, step))
            .with_sd_tolerance(1e-4)
            .map_err(|e| CalibrateError::Evaluation(e.to_string()))?;
        let result = Executor::new(problem, solver)
            .configure(|s| s.max_iters(options.max_evaluations as u64))
            .run();
        if let Err(e) = result {
            // A used-up budget ends the search; anything else is a real error.
            match e.downcast::<CalibrateError>() {
                Ok(err) => return Err(err),
                Err(e) if e.to_string().contains("budget") => break,
                Err(e) => return Err(CalibrateError::Evaluation(e.to_string())),
            }
        }
    }
    let t = tracker.into_inner().expect("not poisoned");
    let values = calibration
        .file
        .parameters
        .iter()
        .zip(&t.best_u)
        .map(|(p, u)| p.from_unit(*u))
        .collect();
    Ok(Outcome {
        values,
        objective: t.best,
        start_objective: t.start_objective,
        evaluations: t.evaluations,
        runs,
    })
}
