//! Which assumption does the answer hang on? Three ways to ask, each
//! written into a results folder by `trappe sensitivity`:
//!
//! * [`tornado`]: one parameter at a time at its low and its high value,
//!   everything else at base, on common random numbers; with an
//!   alternative scenario the answer is the paired difference
//!   ALT − SCENARIO ("which assumption drives the savings?").
//! * [`sobol`]: variance-based indices (first-order and total) from a
//!   Saltelli design run as a sweep ([`crate::sweep::Method::Saltelli`]),
//!   so it shards and merges like any sweep.
//! * [`regression`]: standardised regression coefficients and partial rank
//!   correlations from the points of an existing Latin hypercube sweep,
//!   without new simulation.
//!
//! All three measure one [`Quantity`]: a metric (`cost:total`) over the
//! whole run (per replication, totalled as `totals.csv` totals it) or in
//! one reporting period.

pub mod regression;
pub mod sobol;
pub mod tornado;

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::Error;
use crate::metrics::{Layout, Metric};
use crate::results::Results;
use crate::results::totals::{has_total, span_column, spans};
use crate::scenario::Scenario;
use crate::sweep::Sweep;
use crate::sweep::figures::MetricChoice;
use crate::sweep::output::point_results;
use crate::sweep::partial::ShardFolder;

/// File of a sensitivity folder that records what was measured and how.
pub const SENSITIVITY_JSON: &str = "sensitivity.json";
/// Format tag of [`SENSITIVITY_JSON`].
pub const SENSITIVITY_FORMAT: &str = "trappe-sensitivity/1";

/// Over what stretch of the run a metric is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PeriodChoice {
    /// The whole run: each replication's total over every period, the way
    /// `totals.csv` totals it (sums for flows, weighted means for shares
    /// and averages).
    #[default]
    Total,
    /// One reporting period (1-based).
    Period(usize),
}

/// `total` or a 1-based period number.
impl FromStr for PeriodChoice {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text == "total" {
            return Ok(PeriodChoice::Total);
        }
        match text.parse::<usize>() {
            Ok(k) if k >= 1 => Ok(PeriodChoice::Period(k)),
            _ => Err(format!(
                "'{text}' is not a period: give `total` or a period number 1, 2, …"
            )),
        }
    }
}

impl fmt::Display for PeriodChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PeriodChoice::Total => f.write_str("total"),
            PeriodChoice::Period(k) => write!(f, "{k}"),
        }
    }
}

/// What a sensitivity analysis measures: one metric row over the whole run
/// or in one period, resolved against a scenario's layout.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    /// The metric.
    pub metric: Metric,
    /// Its step (`""` for team-wide metrics).
    pub step: String,
    /// Whole run or one period.
    pub period: PeriodChoice,
}

impl Quantity {
    /// Resolve `choice` for `scenario`: `cost`, `unmet_need_child_years`
    /// and `ready_child_years` alone mean their `total`,
    /// `placement_share` alone the highest placement rung. Errors say
    /// which steps exist, that a metric has no whole-run total, or how many
    /// periods the run has.
    pub fn resolve(
        choice: &MetricChoice,
        period: PeriodChoice,
        scenario: &Scenario,
    ) -> Result<Self, String> {
        let step = match (&choice.step, choice.metric) {
            (Some(s), _) => s.clone(),
            (None, Metric::Cost | Metric::UnmetNeedChildYears | Metric::ReadyChildYears) => {
                "total".into()
            }
            (None, Metric::PlacementShare) => scenario
                .params
                .steps
                .iter()
                .rev()
                .find(|r| r.placement)
                .map(|r| r.id.clone())
                .ok_or("--metric placement_share: the scenario has no placement rung")?,
            (None, _) => String::new(),
        };
        let layout = Layout::new(&scenario.params);
        if layout.find(choice.metric, &step).is_none() {
            let steps: Vec<&str> = layout
                .rows
                .iter()
                .filter(|r| r.metric == choice.metric)
                .map(|r| r.step_name.as_str())
                .collect();
            return Err(format!(
                "--metric {choice}: {} has no such row (steps: {})",
                scenario.name(),
                steps.join(", ")
            ));
        }
        match period {
            PeriodChoice::Total if !has_total(choice.metric) => {
                return Err(format!(
                    "--metric {choice}: {} has no whole-run total (see totals.csv); give \
                     --period K",
                    choice.metric.name()
                ));
            }
            PeriodChoice::Period(k) if k > scenario.period_count() => {
                return Err(format!(
                    "--period {k}: {} reports {} periods",
                    scenario.name(),
                    scenario.period_count()
                ));
            }
            _ => {}
        }
        Ok(Self {
            metric: choice.metric,
            step,
            period,
        })
    }

    /// `cost:total` (or `follow_ups_total` style names without a step).
    pub fn name(&self) -> String {
        if self.step.is_empty() {
            self.metric.name().to_string()
        } else {
            format!("{}:{}", self.metric.name(), self.step)
        }
    }

    /// `cost:total, whole run` or `cost:total, period 3`, for titles.
    pub fn describe(&self) -> String {
        match self.period {
            PeriodChoice::Total => format!("{}, whole run", self.name()),
            PeriodChoice::Period(k) => format!("{}, period {k}", self.name()),
        }
    }

    /// Every replication's value in `results`.
    pub fn per_replication(&self, results: &Results) -> Vec<f64> {
        let Some(row) = results.layout.find(self.metric, &self.step) else {
            return Vec::new();
        };
        match self.period {
            PeriodChoice::Period(k) => results.column(k - 1, row),
            PeriodChoice::Total => match spans(&results.periods).pop() {
                Some(whole) => span_column(results, &whole, row),
                None => Vec::new(),
            },
        }
    }

    /// The mean over replications in `results`.
    pub fn mean(&self, results: &Results) -> f64 {
        let v = self.per_replication(results);
        v.iter().sum::<f64>() / v.len().max(1) as f64
    }
}

/// `sensitivity.json`: the method, what was measured, and the design's
/// own settings, identical in a Sobol run, each of its shards and their
/// merge.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// [`SENSITIVITY_FORMAT`].
    pub format: String,
    /// The trappe version that wrote it.
    pub trappe_version: String,
    /// `tornado`, `sobol` or `regression`.
    pub method: String,
    /// The metric (`cost:total`).
    pub metric: String,
    /// `total` or a period number.
    pub period: String,
    /// The scenarios: one, or the base and the alternative (tornado).
    pub scenarios: Vec<String>,
    /// The varied parameters as given (`PATH=LO..HI`).
    pub parameters: Vec<String>,
    /// Root seed (simulation, design and bootstrap).
    pub seed: u64,
    /// Replications per point (0 for regression, which simulates nothing).
    pub replications: u64,
    /// Sobol: base samples N.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub samples: Option<usize>,
    /// Sobol: bootstrap resamples for the CIs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bootstrap: Option<usize>,
}

impl Record {
    /// A record of `method` measuring `quantity`, other fields empty.
    pub fn new(method: &str, quantity: &Quantity) -> Self {
        Self {
            format: SENSITIVITY_FORMAT.into(),
            trappe_version: env!("CARGO_PKG_VERSION").into(),
            method: method.into(),
            metric: quantity.name(),
            period: quantity.period.to_string(),
            scenarios: Vec::new(),
            parameters: Vec::new(),
            seed: 0,
            replications: 0,
            samples: None,
            bootstrap: None,
        }
    }

    /// The JSON text (pretty, newline-terminated).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("sensitivity.json serializes") + "\n"
    }

    /// Write it into `dir`.
    pub fn write(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::write(dir.join(SENSITIVITY_JSON), self.to_json())
    }

    /// The quantity it records, resolved again for `scenario`.
    pub fn quantity(&self, scenario: &Scenario) -> Result<Quantity, String> {
        let choice: MetricChoice = self.metric.parse()?;
        Quantity::resolve(&choice, self.period.parse()?, scenario)
    }
}

/// Mean of `values` (0 for none).
fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len().max(1) as f64
}

/// The mean over replications of `quantity` at every point of the
/// complete sweep folder `dir`, in point order: the model output that
/// Sobol indices and regressions explain.
pub fn point_means(dir: &Path, sweep: &Sweep, quantity: &Quantity) -> Result<Vec<f64>, Error> {
    let folder = ShardFolder::open(dir)?;
    (0..sweep.points.len())
        .map(|p| {
            let results = point_results(sweep, p, folder.read_unit(p)?)?;
            Ok(quantity.mean(&results))
        })
        .collect()
}
