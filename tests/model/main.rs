//! Model tests: the simulator checked against what docs/model.md says
//! it must do, one module per kind of evidence.
//!
//! * [`exactness`]: without caseworkers and follow-ups the model is a
//!   continuous-time Markov chain; simulated means must match the exact
//!   expectations (matrix exponentials) within Monte Carlo error.
//! * [`conservation`]: property tests over random scenarios: cases are
//!   neither created nor lost, and the bookkeeping identities hold in every
//!   replication.
//! * [`capacity`]: fewer caseworkers for the same caseload mean later
//!   follow-ups and more crises, far outside Monte Carlo noise.
//! * [`places`]: placement capacity: ample places change nothing, a
//!   shortage makes children wait on dearer rungs.
//! * [`rules`]: small near-deterministic scenarios for the precise rules of
//!   docs/model.md section 9.
//! * [`destinations`]: the rules of where moves go (`down_to`, `up_to`,
//!   `crisis_to`) and how `transitions.csv` records them.
//!
//! Statistical checks use a fixed seed, so every run of this binary sees the
//! same numbers; the tolerances still come from the Monte Carlo standard
//! error, so a check says "this is what the model's expectation is" and not
//! "this is what one run happened to give".

mod age;
mod capacity;
mod conservation;
mod destinations;
mod exactness;
mod places;
mod rules;

use chrono::NaiveDate;
use trappe::Scenario;
use trappe::metrics::Metric;
use trappe::results::Results;
use trappe::scenario::ScenarioFile;

/// The start date used by every scenario built here.
pub fn start_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 1, 1).expect("a valid date")
}

/// Validate a scenario built in code, failing the test with the problems.
pub fn scenario(file: ScenarioFile) -> Scenario {
    match Scenario::from_file(file) {
        Ok(s) => s,
        Err(problems) => panic!("test scenario is invalid: {problems:#?}"),
    }
}

/// Validate and run a scenario built in code.
pub fn run(file: ScenarioFile) -> Results {
    trappe::monte_carlo::run(&scenario(file))
}

/// The layout row of a metric for a step (`""` for team-wide metrics).
pub fn row(results: &Results, metric: Metric, step: &str) -> usize {
    results
        .layout
        .find(metric, step)
        .unwrap_or_else(|| panic!("no row for {} / '{step}'", metric.name()))
}

/// Value of `metric`/`step` in replication `r`, period `k` (0-based).
pub fn value(results: &Results, r: usize, k: usize, metric: Metric, step: &str) -> f64 {
    results.value(r, k, row(results, metric, step))
}

/// Length in years of period `k` (0-based): the last may be shorter.
pub fn period_length(results: &Results, k: usize) -> f64 {
    let s = results.scenario.settings();
    let p = s.period.years();
    let end = if k + 1 == results.periods.len() {
        s.horizon_years
    } else {
        (k + 1) as f64 * p
    };
    end - k as f64 * p
}

/// Model time (years after `start`) at which period `k` (0-based) ends.
pub fn period_end(results: &Results, k: usize) -> f64 {
    let s = results.scenario.settings();
    if k + 1 == results.periods.len() {
        s.horizon_years
    } else {
        (k + 1) as f64 * s.period.years()
    }
}

/// Sample mean and standard deviation (n − 1).
pub fn mean_sd(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, var.sqrt())
}

/// How many Monte Carlo standard errors `values`' mean is from `expected`:
/// `|mean − expected| / (sd / √n)`. A sample without spread must hit the
/// expectation exactly (up to rounding): 0 if it does, infinity if not.
pub fn z_score(values: &[f64], expected: f64) -> f64 {
    let (mean, sd) = mean_sd(values);
    let se = sd / (values.len() as f64).sqrt();
    let gap = (mean - expected).abs();
    if se > 0.0 {
        gap / se
    } else if gap <= 1e-9 * expected.abs().max(1.0) {
        0.0
    } else {
        f64::INFINITY
    }
}

/// Relative closeness for identities that hold up to floating-point
/// rounding (sums of many small time-weighted pieces).
pub fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}
