//! Calibration: fit behavioural parameters so that simulated means match
//! published figures (`trappe calibrate`).
//!
//! * [`targets`]: the targets file — parameters to fit (`--set` paths with
//!   bounds, log scales, ties, remainders) and targets (a metric, steps,
//!   a period or span of periods, summed or averaged, or a change between
//!   two spans; an observed value, a tolerance and a weight).
//! * The objective is Σ weight × ((simulated mean − observed) / tolerance)²
//!   over all targets, in one or several scenarios at once (a baseline and a
//!   policy scenario sharing behavioural parameters). Every evaluation runs
//!   the same replication indices with each scenario's own seed (common
//!   random numbers), so the objective changes smoothly with the
//!   parameters and a derivative-free optimiser can follow it.
//! * [`optimise`]: argmin's Nelder–Mead on the unit cube of the bounds, with
//!   restarts from the best point found.
//! * [`output`]: `fit.csv`, `fitted.toml` and the printed table.
//! * [`fitted_files`]: the user's scenario files with the fitted values set
//!   in place (comments, layout and `extends` kept).
//! * [`workflow`]: a whole calibration (search, round, check), as the
//!   command line runs it.
//!
//! A target's value is computed **per replication** and then summarised
//! over replications (mean and Student-t 95 % CI). For a relative change
//! (`to / from − 1`) and for a ratio (`per`), that is the mean of the
//! per-replication ratios, not the ratio of means: a published figure is
//! one realisation's ratio, and the per-replication ratio is what a
//! replication would have published. Denominators in the Herning targets
//! (placed child-years of a half-year) are far from zero, where the two
//! differ by a fraction of the Monte Carlo error.

mod compile;
pub mod fitted_files;
pub mod optimise;
pub mod output;
pub mod targets;
pub mod workflow;

use std::path::{Path, PathBuf};

use toml::Value;

use crate::format::significant;
use crate::input::Source;
use crate::monte_carlo;
use crate::results::Results;
use crate::results::stats::t975;
use crate::scenario::{Document, InputError, Override, Scenario};
pub use targets::{Combine, Measure, Parameter, Remainder, Target, TargetsFile};

/// Why a calibration cannot be set up or run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CalibrateError {
    /// A scenario or the targets file is invalid (exit code 2).
    #[error("{0}")]
    Input(#[from] InputError),
    /// The fitted values make a scenario invalid, or a target cannot be
    /// computed (a zero denominator).
    #[error("{0}")]
    Evaluation(String),
}

/// One scenario taking part in a calibration.
#[derive(Debug, Clone)]
pub struct Input {
    /// The file as given.
    pub path: PathBuf,
    /// Its stem, the name targets use (`herning-baseline`).
    pub key: String,
    /// The document (with `extends` followed).
    pub document: Document,
    /// The scenario as loaded, without fitted values.
    pub scenario: Scenario,
}

/// Scenarios plus targets: everything needed to evaluate the objective.
#[derive(Debug, Clone)]
pub struct Calibration {
    /// The scenarios, in command-line order.
    pub inputs: Vec<Input>,
    /// The parsed targets file.
    pub file: TargetsFile,
}

/// A target's simulated value summarised over replications.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TargetFit {
    /// Mean over replications.
    pub mean: f64,
    /// Lower end of the 95 % CI of the mean.
    pub ci95_low: f64,
    /// Upper end of the 95 % CI of the mean.
    pub ci95_high: f64,
    /// Replications.
    pub replications: usize,
}

impl TargetFit {
    /// Whether the mean is within the target's tolerance.
    pub fn met(&self, target: &Target) -> bool {
        (self.mean - target.observed).abs() <= target.tolerance * (1.0 + 1e-12)
    }
}

/// The file stem of a path, as targets name scenarios.
fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

impl Calibration {
    /// Load scenarios and a targets file, checking the targets against
    /// the scenarios.
    pub fn load(scenarios: &[PathBuf], targets: &Path) -> Result<Self, CalibrateError> {
        let mut inputs = Vec::new();
        for path in scenarios {
            let document = Document::read(path)?;
            let scenario = Scenario::from_document(document.clone(), &[])?;
            inputs.push(Input {
                path: path.clone(),
                key: stem(path),
                document,
                scenario,
            });
        }
        let targets = Source::read(targets)?;
        Self::from_parts(inputs, &targets.name, &targets.text)
    }

    /// Set up from loaded scenarios and the targets file's text.
    pub fn from_parts(inputs: Vec<Input>, name: &str, text: &str) -> Result<Self, CalibrateError> {
        let infos: Vec<targets::ScenarioInfo> = inputs
            .iter()
            .map(|i| {
                let results = Results::new(
                    i.scenario.clone(),
                    crate::metrics::Layout::new(&i.scenario.params),
                    0,
                    Vec::new(),
                    0.0,
                );
                let file_name = i
                    .path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                targets::ScenarioInfo {
                    names: vec![i.key.clone(), file_name, i.path.display().to_string()],
                    layout: results.layout,
                    periods: results.periods,
                    table: toml::Table::try_from(&i.scenario.file)
                        .expect("a scenario always serializes"),
                    document: i.document.clone(),
                    ids: i
                        .scenario
                        .params
                        .steps
                        .iter()
                        .map(|r| r.id.clone())
                        .collect(),
                }
            })
            .collect();
        let file = compile::parse(name, text, &infos)?;
        Ok(Self { inputs, file })
    }

    /// Starting values of the parameters.
    pub fn start(&self) -> Vec<f64> {
        self.file
            .parameters
            .iter()
            .map(|p| {
                p.start.unwrap_or_else(|| {
                    if p.log {
                        (p.min * p.max).sqrt()
                    } else {
                        0.5 * (p.min + p.max)
                    }
                })
            })
            .collect()
    }

    /// The overrides that put `values` (one per parameter) into a scenario,
    /// remainders included. Err names a remainder that went negative, with
    /// by how much.
    pub fn overrides(&self, values: &[f64]) -> Result<Vec<Override>, (String, f64)> {
        let mut out = Vec::new();
        for (p, v) in self.file.parameters.iter().zip(values) {
            for path in &p.paths {
                out.push(Override {
                    path: path.clone(),
                    value: Value::Float(*v),
                });
            }
        }
        let table = toml::Table::try_from(&self.inputs[0].scenario.file)
            .expect("a scenario always serializes");
        for r in &self.file.remainders {
            let mut rest = r.total;
            for path in &r.of {
                let fitted = out
                    .iter()
                    .find(|o| &o.path == path)
                    .and_then(|o| o.value.as_float());
                rest -= fitted
                    .or_else(|| compile::current_value(&table, path))
                    .unwrap_or(0.0);
            }
            if rest < 0.0 {
                return Err((r.path.clone(), -rest));
            }
            out.push(Override {
                path: r.path.clone(),
                // 12 digits: the sum stays exact to validation's 1e-6, and
                // float noise (0.48869999999999997) stays out of the files.
                value: Value::Float(significant(rest, 12)),
            });
        }
        Ok(out)
    }

    /// The scenarios with `values` applied, with `replications` (None: each
    /// scenario's own).
    pub fn scenarios(
        &self,
        values: &[f64],
        replications: Option<u64>,
    ) -> Result<Vec<Scenario>, CalibrateError> {
        let overrides = self.overrides(values).map_err(|(path, by)| {
            CalibrateError::Evaluation(format!("{path} would be negative (by {by})"))
        })?;
        self.inputs
            .iter()
            .map(|i| {
                let mut scenario = Scenario::from_document(i.document.clone(), &overrides)
                    .map_err(|e| CalibrateError::Evaluation(e.to_string()))?;
                if let Some(n) = replications {
                    scenario.set_replications(n);
                }
                Ok(scenario)
            })
            .collect()
    }

    /// Simulate every scenario at `values` (on the current rayon pool).
    pub fn simulate(
        &self,
        values: &[f64],
        replications: Option<u64>,
    ) -> Result<Vec<Results>, CalibrateError> {
        Ok(self
            .scenarios(values, replications)?
            .iter()
            .map(monte_carlo::run)
            .collect())
    }

    /// Every target's simulated mean and CI in `results` (one per scenario).
    pub fn evaluate(&self, results: &[Results]) -> Result<Vec<TargetFit>, CalibrateError> {
        self.file
            .targets
            .iter()
            .map(|t| target_fit(t, &results[t.scenario]))
            .collect()
    }

    /// The objective of target fits: Σ weight × ((mean − observed) / tolerance)².
    pub fn objective(&self, fits: &[TargetFit]) -> f64 {
        self.file
            .targets
            .iter()
            .zip(fits)
            .map(|(t, f)| t.weight * ((f.mean - t.observed) / t.tolerance).powi(2))
            .sum()
    }
}

/// One replication's value over a span of periods (with its denominator).
fn span_value(
    results: &Results,
    r: usize,
    target: &Target,
    periods: &std::ops::Range<usize>,
) -> Option<f64> {
    let sum = |rows: &[usize]| -> f64 {
        let mut s = 0.0;
        for k in periods.clone() {
            for &row in rows {
                s += results.value(r, k, row);
            }
        }
        match target.combine {
            Combine::Sum => s,
            Combine::Mean => s / periods.len() as f64,
        }
    };
    let value = match &target.moves {
        None => sum(&target.rows),
        Some(moves) => {
            let mut s = 0.0;
            for k in periods.clone() {
                for &cell in &moves.cells {
                    s += results.transition(r, k, cell);
                }
            }
            match target.combine {
                Combine::Sum => s,
                Combine::Mean => s / periods.len() as f64,
            }
        }
    };
    match &target.per {
        None => Some(value),
        Some((_, _, rows)) => {
            let d = sum(rows);
            (d != 0.0).then(|| value / d)
        }
    }
}

/// One replication's value of a target.
pub fn replication_value(results: &Results, r: usize, target: &Target) -> Option<f64> {
    match &target.measure {
        Measure::Span(p) => span_value(results, r, target, p),
        Measure::Change { from, to, change } => {
            let a = span_value(results, r, target, from)?;
            let b = span_value(results, r, target, to)?;
            match change {
                targets::Change::Difference => Some(b - a),
                targets::Change::Relative => (a != 0.0).then(|| b / a - 1.0),
            }
        }
    }
}

/// Mean and 95 % CI of a target over the replications in `results`.
pub fn target_fit(target: &Target, results: &Results) -> Result<TargetFit, CalibrateError> {
    let n = results.replications();
    let mut values = Vec::with_capacity(n);
    for r in 0..n {
        values.push(replication_value(results, r, target).ok_or_else(|| {
            CalibrateError::Evaluation(format!(
                "target '{}': a denominator is zero in replication {}",
                target.name,
                results.first_replication + r as u64
            ))
        })?);
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    let half = if n > 1 {
        let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        t975(n - 1) * (var / n as f64).sqrt()
    } else {
        0.0
    };
    Ok(TargetFit {
        mean,
        ci95_low: mean - half,
        ci95_high: mean + half,
        replications: n,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_cube_round_trips_on_linear_and_log_scales() {
        for log in [false, true] {
            let p = Parameter {
                paths: vec!["x".into()],
                min: 0.05,
                max: 4.0,
                log,
                start: None,
            };
            for v in [0.05, 0.3, 1.0, 4.0] {
                assert!((p.from_unit(p.to_unit(v)) - v).abs() < 1e-12);
            }
            assert_eq!(p.from_unit(-0.5), 0.05, "clamped into the bounds");
            assert!((p.from_unit(1.5) - 4.0).abs() < 1e-12);
        }
        let log = Parameter {
            paths: vec!["x".into(), "y".into()],
            min: 0.1,
            max: 10.0,
            log: true,
            start: None,
        };
        assert!((log.from_unit(0.5) - 1.0).abs() < 1e-12, "geometric middle");
        assert_eq!(log.name(), "x (+1 tied)");
    }
}
