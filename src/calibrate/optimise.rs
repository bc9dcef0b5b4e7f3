//! The optimiser driver: argmin's Nelder–Mead on the unit cube of the
//! parameter bounds (a log scale where asked), restarted from the best
//! point found with a fresh, smaller simplex, within a budget of objective
//! evaluations.
//!
//! It drives any [`Objective`]: `trappe calibrate`'s fit to published
//! figures ([`Calibration`]) and `trappe fit`'s fit to case records
//! ([`crate::records::fit`]) are two implementors of one search, so a
//! better search serves both.
//!
//! Points outside the cube are evaluated at the nearest point inside plus a
//! quadratic penalty, so the search stays within the bounds. A point the
//! objective calls infeasible (a remainder that would go negative) is not
//! simulated: it costs a large penalty that grows with the violation.

use std::sync::Mutex;

use argmin::core::{CostFunction, Error as ArgminError, Executor};
use argmin::solver::neldermead::NelderMead;

use super::{CalibrateError, Calibration};

/// A parameter's search interval: the optimiser works on the unit cube of
/// these, on a log scale where asked (rates that may be off by a factor).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Range {
    /// Lower bound.
    pub min: f64,
    /// Upper bound.
    pub max: f64,
    /// Search on a log scale.
    pub log: bool,
}

impl Range {
    /// The value at position `u` ∈ [0, 1] of the (log) interval; clamped
    /// into the bounds outside it.
    pub fn from_unit(&self, u: f64) -> f64 {
        if u <= 0.0 {
            return self.min;
        }
        if u >= 1.0 {
            return self.max;
        }
        if self.log {
            (self.min.ln() + u * (self.max.ln() - self.min.ln())).exp()
        } else {
            self.min + u * (self.max - self.min)
        }
    }

    /// The position in [0, 1] of `value` (clamped into the bounds).
    pub fn to_unit(&self, value: f64) -> f64 {
        let value = value.clamp(self.min, self.max);
        if self.log {
            (value.ln() - self.min.ln()) / (self.max.ln() - self.min.ln())
        } else {
            (value - self.min) / (self.max - self.min)
        }
    }
}

/// The objective at a point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    /// A point the objective can evaluate, and its value (smaller is better).
    Feasible(f64),
    /// A point that breaks a constraint, by how much (it is not simulated).
    Infeasible(f64),
}

/// The search went wrong in the optimiser itself (not in an evaluation).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct SearchFailed(pub String);

/// What [`fit`] minimises: a simulated objective of a few bounded
/// parameters, evaluated at fixed replication indices (common random
/// numbers) so it changes smoothly with the parameters.
pub trait Objective: Sync {
    /// Why an evaluation can fail.
    type Error: std::error::Error + Send + Sync + 'static + From<SearchFailed>;
    /// Each parameter's search interval.
    fn ranges(&self) -> Vec<Range>;
    /// Starting values (inside the ranges).
    fn start(&self) -> Vec<f64>;
    /// The objective at `values` with `replications` replications.
    fn evaluate(&self, values: &[f64], replications: u64) -> Result<Value, Self::Error>;
}

impl From<SearchFailed> for CalibrateError {
    fn from(e: SearchFailed) -> Self {
        CalibrateError::Evaluation(e.0)
    }
}

/// The calibration to published figures: Σ weight × ((mean − observed) /
/// tolerance)² over the targets; a remainder that would go negative is
/// infeasible.
impl Objective for Calibration {
    type Error = CalibrateError;

    fn ranges(&self) -> Vec<Range> {
        self.file.parameters.iter().map(|p| p.range()).collect()
    }

    fn start(&self) -> Vec<f64> {
        Calibration::start(self)
    }

    fn evaluate(&self, values: &[f64], replications: u64) -> Result<Value, CalibrateError> {
        if let Err((_, by)) = self.overrides(values) {
            return Ok(Value::Infeasible(by));
        }
        let results = self.simulate(values, Some(replications))?;
        let fits = Calibration::evaluate(self, &results)?;
        Ok(Value::Feasible(self.objective(&fits)))
    }
}

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

struct Problem<'a, O: Objective> {
    objective: &'a O,
    ranges: Vec<Range>,
    options: Options,
    tracker: &'a Mutex<Tracker>,
    progress: &'a (dyn Fn(&Progress) + Sync),
}

/// Penalty per unit of a remainder's violation (the objective of a fair
/// fit is of the order of the number of targets).
const INFEASIBLE: f64 = 1e6;

impl<O: Objective> Problem<'_, O> {
    fn values(&self, u: &[f64]) -> Vec<f64> {
        self.ranges
            .iter()
            .zip(u)
            .map(|(p, u)| p.from_unit(*u))
            .collect()
    }

    fn cost_at(&self, u: &[f64]) -> Result<f64, O::Error> {
        let outside: f64 = u
            .iter()
            .map(|x| (x - x.clamp(0.0, 1.0)).powi(2))
            .sum::<f64>();
        let values = self.values(u);
        match self
            .objective
            .evaluate(&values, self.options.replications)?
        {
            Value::Infeasible(by) => Ok(INFEASIBLE * (1.0 + by) + INFEASIBLE * outside),
            Value::Feasible(f) => Ok(f * (1.0 + 100.0 * outside) + 1e3 * outside),
        }
    }
}

impl<O: Objective> CostFunction for Problem<'_, O> {
    type Param = Vec<f64>;
    type Output = f64;

    fn cost(&self, u: &Self::Param) -> Result<f64, ArgminError> {
        {
            let t = self.tracker.lock().expect("not poisoned");
            // The best point so far (the start, or a restart's first
            // vertex): the objective is deterministic (fixed seeds), so its
            // known value is reused instead of spending an evaluation.
            if t.evaluations > 0 && *u == t.best_u {
                return Ok(t.best);
            }
            if t.evaluations >= self.options.max_evaluations {
                return Err(ArgminError::msg("evaluation budget used up"));
            }
        }
        let f = self.cost_at(u).map_err(ArgminError::new)?;
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

/// Fit the parameters: evaluate the start values, then Nelder–Mead from
/// them and `options.restarts` restarts from the best point with smaller
/// simplices, until the budget is used. The outcome is the best point
/// evaluated, the start included, so its objective is never above
/// `start_objective`. `progress` is called after every evaluation.
pub fn fit<O: Objective>(
    objective: &O,
    options: Options,
    progress: &(dyn Fn(&Progress) + Sync),
) -> Result<Outcome, O::Error> {
    let ranges = objective.ranges();
    let start: Vec<f64> = ranges
        .iter()
        .zip(objective.start())
        .map(|(p, v)| p.to_unit(v))
        .collect();
    let tracker = Mutex::new(Tracker {
        evaluations: 0,
        best: f64::INFINITY,
        best_u: start.clone(),
        restart: 0,
        start_objective: f64::NAN,
    });
    // The start is the first candidate: whatever the search does later, the
    // outcome is never worse than the values it was given.
    if options.max_evaluations > 0 {
        let problem = Problem {
            objective,
            ranges: ranges.clone(),
            options,
            tracker: &tracker,
            progress,
        };
        problem
            .cost(&start)
            .map_err(|e| match e.downcast::<O::Error>() {
                Ok(err) => err,
                Err(e) => SearchFailed(e.to_string()).into(),
            })?;
    }
    let mut runs = 0;
    for restart in 0..=options.restarts {
        let (from, used) = {
            let mut t = tracker.lock().expect("not poisoned");
            t.restart = restart;
            (t.best_u.clone(), t.evaluations)
        };
        // argmin's Nelder–Mead evaluates its whole first simplex without
        // handling errors, so a run starts only if the budget covers it (the
        // first vertex, the best point, is known already).
        if used + start.len() > options.max_evaluations {
            break;
        }
        runs += 1;
        let step = 0.15 / (1.0 + restart as f64);
        let problem = Problem {
            objective,
            ranges: ranges.clone(),
            options,
            tracker: &tracker,
            progress,
        };
        let solver = NelderMead::new(simplex(&from, step))
            .with_sd_tolerance(1e-4)
            .map_err(|e| O::Error::from(SearchFailed(e.to_string())))?;
        let result = Executor::new(problem, solver)
            .configure(|s| s.max_iters(options.max_evaluations as u64))
            .run();
        if let Err(e) = result {
            // A used-up budget ends the search; anything else is a real error.
            match e.downcast::<O::Error>() {
                Ok(err) => return Err(err),
                Err(e) if e.to_string().contains("budget") => break,
                Err(e) => return Err(SearchFailed(e.to_string()).into()),
            }
        }
    }
    let t = tracker.into_inner().expect("not poisoned");
    let values = ranges
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Document, Scenario};

    /// A small calibration whose start is exactly the truth: nothing the
    /// search tries can beat it (up to noise it cannot exploit: the seeds
    /// are fixed, so any other point has a larger objective or the same).
    fn calibration(start: f64) -> Calibration {
        let text = r#"[scenario]
name = "keep the best"
start = 2020-01-01
horizon_years = 1.0
replications = 20
seed = 5

[[steps]]
id = "prevention"
follow_up = { first_weeks = 13.0, every_weeks = 26.0 }
latent = { improve = 0.6, relapse = 1.0 }

[intake]
referrals_per_year = 40.0
entry = { none = 0.5, prevention = 0.5 }
"#;
        let document = Document::from_text("keep.toml", text).unwrap();
        let scenario = Scenario::from_document(document.clone(), &[]).unwrap();
        let input = super::super::Input {
            path: "keep.toml".into(),
            key: "keep".into(),
            document,
            scenario,
        };
        let targets = format!(
            "[[parameters]]\npath = \"intake.referrals_per_year\"\nmin = 10.0\nmax = 100.0\nstart = {start:?}\n\n[[targets]]\nname = \"referrals\"\nmetric = \"referrals\"\nperiods = 1\nobserved = 40.0\ntolerance = 5.0\n"
        );
        Calibration::from_parts(vec![input], "targets.toml", &targets).unwrap()
    }

    #[test]
    fn the_start_is_a_candidate_and_the_outcome_is_never_worse() {
        for start in [40.0, 12.0, 95.0] {
            let c = calibration(start);
            for budget in [1, 3, 30] {
                let options = Options {
                    replications: 20,
                    max_evaluations: budget,
                    restarts: 2,
                };
                let outcome = fit(&c, options, &|_| {}).unwrap();
                assert!(outcome.evaluations <= budget);
                assert!(
                    outcome.objective <= outcome.start_objective,
                    "start {start}, budget {budget}: {} > {}",
                    outcome.objective,
                    outcome.start_objective
                );
                let at_start = c.objective(
                    &c.evaluate(&c.simulate(&[start], Some(20)).unwrap())
                        .unwrap(),
                );
                assert_eq!(outcome.start_objective, at_start, "the start was evaluated");
                if budget == 1 {
                    assert_eq!(outcome.values, vec![start], "one evaluation: the start");
                }
            }
        }
    }
}
