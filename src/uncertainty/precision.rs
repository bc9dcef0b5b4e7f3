//! Replications to a precision: run replications in batches until the 95 %
//! confidence interval of one whole-run quantity is as narrow as asked,
//! up to a cap.
//!
//! The quantity is a metric summed over all reported periods (by default
//! the whole-run total cost) for one scenario, or its paired difference
//! `alt − base` for each alternative of a comparison (every alternative
//! must meet the target). After each batch the Student-t half-width is
//! compared with the target; the next batch size depends only on the
//! values so far, and those depend only on the seed (replication *i*
//! always draws the same streams), so the number of replications used is
//! the same for any thread count.

use std::fmt;
use std::str::FromStr;

use crate::format::{ENGLISH, significant};
use crate::monte_carlo;
use crate::results::Results;
use crate::results::RunInfo;
use crate::results::run_info::PrecisionRecord;
use crate::results::stats::{summarize, t975};
use crate::scenario::Scenario;
use crate::sweep::figures::MetricChoice;

/// Replications in the first batch (fewer when the cap is lower): enough
/// for a standard deviation to mean something.
pub const FIRST_BATCH: u64 = 40;
/// The smallest later batch.
pub const MIN_BATCH: u64 = 20;

/// How narrow the 95 % CI must be.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Target {
    /// Half-width at most this fraction of the absolute mean (`1%`).
    Relative(f64),
    /// Half-width at most this amount, in the metric's unit (`50000`).
    Absolute(f64),
}

impl FromStr for Target {
    type Err = String;

    /// `1%` (relative) or `50000` (absolute); must be greater than 0.
    fn from_str(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let (number, relative) = match text.strip_suffix('%') {
            Some(n) => (n.trim(), true),
            None => (text, false),
        };
        let value: f64 = number
            .replace('_', "")
            .parse()
            .map_err(|_| format!("'{text}' is not a precision: give a percentage such as 1% or an amount such as 50000"))?;
        if !(value.is_finite() && value > 0.0) {
            return Err(format!(
                "the precision must be greater than 0, got '{text}'"
            ));
        }
        Ok(if relative {
            Target::Relative(value / 100.0)
        } else {
            Target::Absolute(value)
        })
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Relative(r) => write!(f, "{}%", ENGLISH.exact(significant(r * 100.0, 6))),
            Target::Absolute(a) => write!(f, "{}", ENGLISH.exact(*a)),
        }
    }
}

impl Target {
    /// The largest half-width allowed for an estimate with this mean.
    pub fn allowed(&self, mean: f64) -> f64 {
        match *self {
            Target::Relative(r) => r * mean.abs(),
            Target::Absolute(a) => a,
        }
    }
}

/// One line for the terminal about what a precision run achieved.
pub fn describe(record: &PrecisionRecord, unit: &str) -> String {
    let this = record;
    {
        let hw = ENGLISH.plain(significant(this.half_width, 4));
        let allowed = ENGLISH.plain(significant(this.allowed, 4));
        if this.reached {
            format!(
                "Precision: {} replications; 95 % CI half-width of {} is {hw} {unit} (target {}: at most {allowed}).",
                this.replications, this.metric, this.target
            )
        } else {
            format!(
                "Precision target {} NOT reached within the cap of {} replications: the 95 % CI half-width of {} is {hw} {unit}, the target allows {allowed}. Results are written for {} replications; raise --replications to go further.",
                this.target, this.cap, this.metric, this.replications
            )
        }
    }
}

/// Add `record` to the `run.json` already written in `dir`.
pub fn record_in(dir: &std::path::Path, record: &PrecisionRecord) -> std::io::Result<()> {
    let mut info = RunInfo::read(dir).ok_or_else(|| {
        std::io::Error::other(format!("no readable run.json in {}", dir.display()))
    })?;
    info.precision = Some(record.clone());
    info.write(dir)
}

/// Append `more` (the next replications) to `results`.
fn extend(results: &mut Results, more: Results) {
    results.values.extend(more.values);
    results.transitions.extend(more.transitions);
    results.events += more.events;
    results.case_years += more.case_years;
    results.wall_seconds += more.wall_seconds;
}

/// The per-replication values of `choice` summed over periods.
fn whole_run(results: &Results, row: usize) -> Vec<f64> {
    (0..results.replications())
        .map(|r| {
            (0..results.periods.len())
                .map(|k| results.value(r, k, row))
                .sum()
        })
        .collect()
}

/// The step a metric choice names: the given one, else `total` for costs
/// and team-wide (`""`) otherwise.
fn step_of(choice: &MetricChoice) -> String {
    match &choice.step {
        Some(s) => s.clone(),
        None if choice.metric == crate::metrics::Metric::Cost => "total".into(),
        None => String::new(),
    }
}

/// Check that `choice` names a row of `scenario`'s results, before
/// anything runs.
pub fn check_metric(scenario: &Scenario, choice: &MetricChoice) -> Result<(), String> {
    let layout = crate::metrics::Layout::new(&scenario.params);
    let step = step_of(choice);
    layout
        .find(choice.metric, &step)
        .map(|_| ())
        .ok_or_else(|| {
            format!(
                "--precision-metric: '{}' has no step '{step}' in {}",
                choice.metric.name(),
                scenario.name()
            )
        })
}

/// (mean, half-width, allowed) of the quantity for the results so far: the
/// whole-run value of one scenario, or for each alternative its paired
/// difference from the base; the entry furthest from its target.
fn worst(results: &[Results], row: usize, target: Target) -> (f64, f64, f64) {
    let base = whole_run(&results[0], row);
    let quantities: Vec<Vec<f64>> = if results.len() == 1 {
        vec![base]
    } else {
        results[1..]
            .iter()
            .map(|alt| {
                whole_run(alt, row)
                    .iter()
                    .zip(&base)
                    .map(|(a, b)| a - b)
                    .collect()
            })
            .collect()
    };
    let n = base_len(results);
    let t = if n > 1 { t975(n - 1) } else { f64::INFINITY };
    quantities
        .iter()
        .map(|q| {
            let s = summarize(q, t);
            let hw = if n > 1 {
                (s.ci95_high - s.ci95_low) / 2.0
            } else {
                f64::INFINITY
            };
            (s.mean, hw, target.allowed(s.mean))
        })
        .max_by(|a, b| (a.1 / a.2).total_cmp(&(b.1 / b.2)))
        .expect("at least one scenario")
}

fn base_len(results: &[Results]) -> usize {
    results[0].replications()
}

/// Run `scenarios` (one, or a base and alternatives on common random
/// numbers) in batches until the target is met or `cap` replications have
/// run; `on_batch` is told (replications so far, half-width, allowed) after
/// each batch. Every scenario's replications are set to the number used,
/// so `scenario.toml` reproduces the run.
pub fn run_to_precision(
    scenarios: &[Scenario],
    choice: &MetricChoice,
    target: Target,
    cap: u64,
    mut on_batch: impl FnMut(u64, f64, f64),
) -> (Vec<Results>, PrecisionRecord) {
    let layout = crate::metrics::Layout::new(&scenarios[0].params);
    let row = layout
        .find(choice.metric, &step_of(choice))
        .expect("checked with check_metric");
    let hidden = indicatif::ProgressBar::hidden();
    let mut done = 0;
    let mut next = cap.min(FIRST_BATCH);
    let mut results: Vec<Results> = Vec::new();
    loop {
        for (i, s) in scenarios.iter().enumerate() {
            let batch = monte_carlo::run_range(s, done..next, &hidden);
            match results.get_mut(i) {
                Some(r) => extend(r, batch),
                None => results.push(batch),
            }
        }
        done = next;
        let (mean, hw, allowed) = worst(&results, row, target);
        on_batch(done, hw, allowed);
        let reached = hw <= allowed;
        if reached || done >= cap {
            for r in &mut results {
                r.scenario.set_replications(done);
            }
            let what = if scenarios.len() == 1 {
                format!("{}:{}, whole run", choice.metric.name(), step_of(choice))
            } else {
                format!(
                    "the difference in {}:{} from the base, whole run",
                    choice.metric.name(),
                    step_of(choice)
                )
            };
            let record = PrecisionRecord {
                target: target.to_string(),
                metric: what,
                replications: done,
                cap,
                mean,
                half_width: hw,
                allowed,
                reached,
            };
            return (results, record);
        }
        // The half-width shrinks like 1/√n: aim 10 % past the estimate,
        // at least MIN_BATCH more, at most four times as many, never past
        // the cap.
        let needed = if allowed > 0.0 {
            (done as f64 * (hw / allowed).powi(2) * 1.1).ceil()
        } else {
            f64::INFINITY
        };
        let wanted = if needed.is_finite() {
            needed as u64
        } else {
            u64::MAX
        };
        next = wanted
            .clamp(
                done + MIN_BATCH,
                done.saturating_mul(4).max(done + MIN_BATCH),
            )
            .min(cap);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_parse() {
        assert_eq!("1%".parse::<Target>(), Ok(Target::Relative(0.01)));
        assert_eq!("50_000".parse::<Target>(), Ok(Target::Absolute(50_000.0)));
        assert!("0%".parse::<Target>().is_err());
        assert!("-5".parse::<Target>().is_err());
        assert!("lots".parse::<Target>().is_err());
        assert_eq!(Target::Relative(0.01).to_string(), "1%");
        assert!((Target::Relative(0.1).allowed(-200.0) - 20.0).abs() < 1e-9);
    }
}
