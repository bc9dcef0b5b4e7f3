//! How well the records pin each searched value down: the curvature of
//! the distance at the optimum.
//!
//! The distance is a sum of squared residuals r (observed against
//! simulated, in standard errors), so its Hessian is ≈ 2 JᵀJ with J the
//! residuals' derivatives, and the covariance of the fitted values is
//! 2 H⁻¹ = (JᵀJ)⁻¹ (the usual least-squares result for a χ² objective).
//! J needs two evaluations per value (central differences, common random
//! numbers), on the optimiser's own scale: the unit interval of each
//! value's range, on a log scale for the hazard multipliers.
//!
//! A direction along which the distance is flat — the records cannot tell
//! values apart along it — has a tiny eigenvalue of JᵀJ; its standard
//! error would exceed the whole range. A value with a visible share of
//! such a direction, or whose own standard error exceeds a quarter of its
//! range (a 95 % interval about as wide as the range), is *not
//! identified*: the fit reports that instead of a number.

use super::objective::RecordsObjective;
use crate::Error;
use crate::calibrate::optimise::{Objective, Range};

/// Step of the central differences on the unit scale (≈ ±13 % on a hazard
/// multiplier's ×1/20…×20 log range): large enough that the simulated
/// counts change by more than their common-random-number noise.
const STEP: f64 = 0.02;

/// A direction is flat when its standard error on the unit scale exceeds
/// this (half the range).
const FLAT: f64 = 0.5;

/// A value is not identified when its own standard error on the unit
/// scale exceeds this, or more than [`FLAT_SHARE`] of it lies along flat
/// directions.
const TOO_WIDE: f64 = 0.25;
const FLAT_SHARE: f64 = 0.05;

/// Standard errors of the searched values.
#[derive(Debug, Clone, PartialEq)]
pub struct Curvature {
    /// Each value's standard error on the unit scale (NaN when not
    /// identified).
    pub unit_se: Vec<f64>,
    /// Whether each value is identified.
    pub identified: Vec<bool>,
}

impl Curvature {
    /// The standard error of the value `i` (range `range`, value `x`) in
    /// its own units; for a multiplier the standard error of its logarithm
    /// (a relative error). `None` when not identified.
    pub fn se(&self, i: usize, range: &Range) -> Option<f64> {
        if !self.identified[i] {
            return None;
        }
        let width = if range.log {
            (range.max / range.min).ln()
        } else {
            range.max - range.min
        };
        Some(self.unit_se[i] * width)
    }
}

/// The curvature of `objective`'s distance at the searched values `x`,
/// with `replications` replications per evaluation; `tick` is called after
/// each evaluation.
pub fn at(
    objective: &RecordsObjective<'_>,
    x: &[f64],
    replications: u64,
    tick: &dyn Fn(),
) -> Result<Curvature, Error> {
    let ranges = objective.ranges();
    let n = x.len();
    let mut jacobian: Vec<Vec<f64>> = Vec::with_capacity(n);
    for i in 0..n {
        let u = ranges[i].to_unit(x[i]);
        let (lo, hi) = ((u - STEP).max(0.0), (u + STEP).min(1.0));
        let at = |ui: f64| -> Result<Vec<f64>, Error> {
            let mut y = x.to_vec();
            y[i] = ranges[i].from_unit(ui);
            let rows = objective.rows(&y, replications)?;
            tick();
            Ok(RecordsObjective::residuals(&rows))
        };
        let (down, up) = (at(lo)?, at(hi)?);
        jacobian.push(
            up.iter()
                .zip(&down)
                .map(|(a, b)| (a - b) / (hi - lo))
                .collect(),
        );
    }
    Ok(from_jacobian(&jacobian))
}

/// Standard errors and identification from the residuals' derivatives
/// (`columns[i]` = ∂r/∂uᵢ).
pub fn from_jacobian(columns: &[Vec<f64>]) -> Curvature {
    let n = columns.len();
    let mut fisher = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..n {
            fisher[i][j] = columns[i].iter().zip(&columns[j]).map(|(a, b)| a * b).sum();
        }
    }
    let (values, vectors) = symmetric_eigen(fisher);
    let mut variance = vec![0.0; n];
    let mut flat_share = vec![0.0; n];
    for (k, &lambda) in values.iter().enumerate() {
        let flat = lambda.is_nan() || lambda <= 0.0 || 1.0 / lambda.sqrt() > FLAT;
        for i in 0..n {
            let v = vectors[i][k];
            if flat {
                flat_share[i] += v * v;
            } else {
                variance[i] += v * v / lambda;
            }
        }
    }
    let unit_se: Vec<f64> = variance.iter().map(|v| v.sqrt()).collect();
    let identified: Vec<bool> = (0..n)
        .map(|i| flat_share[i] <= FLAT_SHARE && unit_se[i] <= TOO_WIDE)
        .collect();
    Curvature {
        unit_se: unit_se
            .iter()
            .zip(&identified)
            .map(|(&s, &ok)| if ok { s } else { f64::NAN })
            .collect(),
        identified,
    }
}

/// Eigenvalues and eigenvectors (columns) of a symmetric matrix, by cyclic
/// Jacobi rotations: a handful of parameters, so simplicity wins.
fn symmetric_eigen(mut a: Vec<Vec<f64>>) -> (Vec<f64>, Vec<Vec<f64>>) {
    let n = a.len();
    let mut v: Vec<Vec<f64>> = (0..n)
        .map(|i| (0..n).map(|j| f64::from(u8::from(i == j))).collect())
        .collect();
    for _sweep in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i][j] * a[i][j])
            .sum();
        let scale: f64 = (0..n).map(|i| a[i][i] * a[i][i]).sum::<f64>();
        if off <= 1e-24 * scale.max(1e-300) {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                if a[p][q].abs() < 1e-300 {
                    continue;
                }
                let theta = (a[q][q] - a[p][p]) / (2.0 * a[p][q]);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for row in a.iter_mut() {
                    let (akp, akq) = (row[p], row[q]);
                    row[p] = c * akp - s * akq;
                    row[q] = s * akp + c * akq;
                }
                let (low, high) = a.split_at_mut(q);
                for (x, y) in low[p].iter_mut().zip(high[0].iter_mut()) {
                    let (apk, aqk) = (*x, *y);
                    *x = c * apk - s * aqk;
                    *y = s * apk + c * aqk;
                }
                for row in v.iter_mut() {
                    let (vkp, vkq) = (row[p], row[q]);
                    row[p] = c * vkp - s * vkq;
                    row[q] = s * vkp + c * vkq;
                }
            }
        }
    }
    ((0..n).map(|i| a[i][i]).collect(), v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eigen_decomposition_rebuilds_the_matrix() {
        let m = vec![
            vec![4.0, 1.0, 0.5],
            vec![1.0, 3.0, 0.2],
            vec![0.5, 0.2, 1.0],
        ];
        let (values, vectors) = symmetric_eigen(m.clone());
        for i in 0..3 {
            for j in 0..3 {
                let rebuilt: f64 = (0..3)
                    .map(|k| vectors[i][k] * values[k] * vectors[j][k])
                    .sum();
                assert!((rebuilt - m[i][j]).abs() < 1e-10, "{i},{j}");
            }
        }
    }

    #[test]
    fn a_direction_the_residuals_do_not_see_is_not_identified() {
        // r = 10 (u0 + u1), 0·u2 … plus a residual that sees u0 alone: u0
        // and u1 are pinned by the two together; u2 moves nothing.
        let columns = vec![vec![10.0, 20.0], vec![10.0, 0.0], vec![0.0, 0.0]];
        let c = from_jacobian(&columns);
        assert_eq!(c.identified, [true, true, false]);
        // (JᵀJ)⁻¹ of [[500, 100], [100, 100]]: variances 1/400 and 1/80.
        assert!((c.unit_se[0] - (1.0f64 / 400.0).sqrt()).abs() < 1e-9);
        assert!((c.unit_se[1] - (500.0f64 / 40000.0).sqrt()).abs() < 1e-9);
        // A ridge: two values seen only through their sum.
        let ridge = from_jacobian(&[vec![10.0, 10.0], vec![10.0, 10.0]]);
        assert_eq!(ridge.identified, [false, false]);
    }
}
