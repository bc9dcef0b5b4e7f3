//! Sensitivity from an existing Latin hypercube sweep, without new
//! simulation: the points' values of the varied parameters against the
//! mean over replications of the measured quantity at each point.
//!
//! * Standardised regression coefficients (SRC): the least-squares
//!   coefficients of the quantity on the parameters, both scaled to mean 0
//!   and standard deviation 1. For a model close to linear (R² near 1),
//!   SRC_i² is the share of the variance due to parameter i.
//! * Partial rank correlation coefficients (PRCC): the correlation of the
//!   ranks of parameter i and of the quantity after removing, by linear
//!   regression on the ranks, what the other parameters explain. It
//!   measures monotone influence and does not need linearity.
//!
//! Parameters that are not numeric or take one value only are left out
//! (a note says which).

use std::io;
use std::path::Path;

use super::{PeriodChoice, Quantity, Record, mean, point_means};
use crate::Error;
use crate::results::ReadError;
use crate::results::csv::{content_error, csv_writer, finish_csv, read_records};
use crate::results::folder::SavedKind;
use crate::results::number;
use crate::sweep::figures::MetricChoice;
use crate::sweep::{Method, Sweep};

/// File name of the coefficients.
pub const REGRESSION_CSV: &str = "regression.csv";

/// Header of [`REGRESSION_CSV`].
pub const REGRESSION_HEADER: [&str; 5] = ["parameter", "src", "prcc", "r2", "points"];

/// One parameter's coefficients.
#[derive(Debug, Clone, PartialEq)]
pub struct Coefficient {
    /// The `--set` path.
    pub path: String,
    /// Standardised regression coefficient.
    pub src: f64,
    /// Partial rank correlation coefficient.
    pub prcc: f64,
}

/// The coefficients of a sweep, with the fit's R² and the points used.
#[derive(Debug, Clone, PartialEq)]
pub struct Regression {
    /// Per parameter used, in the sweep's order.
    pub coefficients: Vec<Coefficient>,
    /// R² of the linear fit of the quantity on the parameters.
    pub r2: f64,
    /// Number of points.
    pub points: usize,
    /// Parameters left out, and why.
    pub notes: Vec<String>,
    /// What was measured.
    pub quantity: Quantity,
    /// The sweep's base scenario's name.
    pub scenario: String,
    /// The sweep's seed.
    pub seed: u64,
}

/// Least squares of `y` on `columns` plus an intercept: the coefficients
/// (intercept first) and the residuals; `None` when the columns are
/// collinear.
pub fn least_squares(columns: &[&[f64]], y: &[f64]) -> Option<(Vec<f64>, Vec<f64>)> {
    let n = y.len();
    let p = columns.len() + 1;
    let x = |r: usize, c: usize| if c == 0 { 1.0 } else { columns[c - 1][r] };
    // Normal equations (X'X) b = X'y, solved by Gaussian elimination with
    // partial pivoting on the augmented matrix.
    let mut m = vec![vec![0.0; p + 1]; p];
    for (i, row) in m.iter_mut().enumerate() {
        for (j, cell) in row.iter_mut().take(p).enumerate() {
            *cell = (0..n).map(|r| x(r, i) * x(r, j)).sum();
        }
        row[p] = (0..n).map(|r| x(r, i) * y[r]).sum();
    }
    let scale = m
        .iter()
        .map(|r| r[..p].iter().fold(0.0_f64, |a, v| a.max(v.abs())))
        .fold(0.0, f64::max);
    for c in 0..p {
        let pivot = (c..p).max_by(|&a, &b| m[a][c].abs().total_cmp(&m[b][c].abs()))?;
        if m[pivot][c].abs() <= 1e-12 * scale.max(1e-300) {
            return None;
        }
        m.swap(c, pivot);
        let pivot_row = m[c].clone();
        for (r, row) in m.iter_mut().enumerate() {
            if r != c {
                let f = row[c] / pivot_row[c];
                for (cell, v) in row.iter_mut().zip(&pivot_row).skip(c) {
                    *cell -= f * v;
                }
            }
        }
    }
    let b: Vec<f64> = (0..p).map(|i| m[i][p] / m[i][i]).collect();
    let residuals = (0..n)
        .map(|r| y[r] - (0..p).map(|c| b[c] * x(r, c)).sum::<f64>())
        .collect();
    Some((b, residuals))
}

/// Ranks 1..n, ties sharing their average rank.
pub fn ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut out = vec![0.0; values.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && values[order[j + 1]] == values[order[i]] {
            j += 1;
        }
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for &o in &order[i..=j] {
            out[o] = rank;
        }
        i = j + 1;
    }
    out
}

fn standardised(values: &[f64]) -> Vec<f64> {
    let m = mean(values);
    let sd = (values.iter().map(|v| (v - m).powi(2)).sum::<f64>()
        / (values.len() as f64 - 1.0).max(1.0))
    .sqrt();
    values.iter().map(|v| (v - m) / sd).collect()
}

fn correlation(a: &[f64], b: &[f64]) -> f64 {
    let (ma, mb) = (mean(a), mean(b));
    let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = a.iter().map(|x| (x - ma).powi(2)).sum();
    let vb: f64 = b.iter().map(|y| (y - mb).powi(2)).sum();
    if va <= 0.0 || vb <= 0.0 {
        0.0
    } else {
        cov / (va * vb).sqrt()
    }
}

/// SRC and PRCC of `outputs` on the parameter columns `columns` (named
/// `paths`). Errors when there are too few points or the columns are
/// collinear.
pub fn coefficients(
    paths: &[String],
    columns: &[Vec<f64>],
    outputs: &[f64],
) -> Result<(Vec<Coefficient>, f64), String> {
    let n = outputs.len();
    let k = columns.len();
    if n < k + 2 {
        return Err(format!(
            "{n} points are too few for {k} parameters (need at least {})",
            k + 2
        ));
    }
    let y_spread = outputs.iter().any(|v| *v != outputs[0]);
    let zs: Vec<Vec<f64>> = columns.iter().map(|c| standardised(c)).collect();
    let z_refs: Vec<&[f64]> = zs.iter().map(Vec::as_slice).collect();
    let (src, r2) = if y_spread {
        let zy = standardised(outputs);
        let (b, res) = least_squares(&z_refs, &zy)
            .ok_or("the varied parameters are collinear in this sweep")?;
        let ss_res: f64 = res.iter().map(|r| r * r).sum();
        let ss_tot: f64 = zy.iter().map(|v| v * v).sum();
        (b[1..].to_vec(), 1.0 - ss_res / ss_tot)
    } else {
        (vec![0.0; k], 0.0)
    };
    let rx: Vec<Vec<f64>> = columns.iter().map(|c| ranks(c)).collect();
    let ry = ranks(outputs);
    let mut prcc = Vec::with_capacity(k);
    for i in 0..k {
        let others: Vec<&[f64]> = (0..k)
            .filter(|&j| j != i)
            .map(|j| rx[j].as_slice())
            .collect();
        let (_, ex) = least_squares(&others, &rx[i])
            .ok_or("the varied parameters are collinear in this sweep")?;
        let (_, ey) = least_squares(&others, &ry)
            .ok_or("the varied parameters are collinear in this sweep")?;
        prcc.push(correlation(&ex, &ey));
    }
    Ok((
        paths
            .iter()
            .zip(src.into_iter().zip(prcc))
            .map(|(p, (src, prcc))| Coefficient {
                path: p.clone(),
                src,
                prcc,
            })
            .collect(),
        r2,
    ))
}

/// The coefficients of the complete Latin hypercube sweep in `dir` for the
/// metric `choice` over `period`.
pub fn from_sweep(
    dir: &Path,
    choice: &MetricChoice,
    period: PeriodChoice,
) -> Result<Regression, Error> {
    let bad = |why: String| Error::input(format!("--from {}: {why}", dir.display()));
    match SavedKind::detect(dir) {
        Some(SavedKind::Sweep) => {}
        Some(SavedKind::Shard) => {
            return Err(bad(
                "is one shard of a sweep; merge the shards first (trappe merge)".into(),
            ));
        }
        Some(other) => {
            return Err(bad(format!(
                "holds the results of a {other}, not a sweep (trappe sweep --lhs N)"
            )));
        }
        None => {
            return Err(bad(
                "is not a sweep results folder (no sweep.json and sweep.csv)".into(),
            ));
        }
    }
    let sweep = Sweep::from_folder(dir)?;
    if !matches!(sweep.design.method, Method::Lhs(_)) {
        return Err(bad(
            "is not a Latin hypercube sweep; regression needs sampled points (trappe sweep \
             --lhs N)"
                .into(),
        ));
    }
    let quantity = Quantity::resolve(choice, period, &sweep.base).map_err(Error::input)?;
    let outputs = point_means(dir, &sweep, &quantity)?;
    let mut paths = Vec::new();
    let mut columns = Vec::new();
    let mut notes = Vec::new();
    for (i, p) in sweep.design.parameters.iter().enumerate() {
        let column: Option<Vec<f64>> = sweep.design.points.iter().map(|l| l[i].as_f64()).collect();
        match column {
            None => notes.push(format!(
                "{} is left out: its values are not numbers",
                p.path
            )),
            Some(c) if c.iter().all(|v| *v == c[0]) => {
                notes.push(format!("{} is left out: it takes one value", p.path));
            }
            Some(c) => {
                paths.push(p.path.clone());
                columns.push(c);
            }
        }
    }
    if columns.is_empty() {
        return Err(bad(
            "no varied parameter takes several numeric values".into()
        ));
    }
    let (coefficients, r2) = coefficients(&paths, &columns, &outputs).map_err(bad)?;
    Ok(Regression {
        coefficients,
        r2,
        points: outputs.len(),
        notes,
        quantity,
        scenario: sweep.base.name().to_string(),
        seed: sweep.seed(),
    })
}

/// Read `regression.csv` back (for `trappe plot`): the coefficients, R²
/// and the number of points.
pub fn read_csv(path: &Path) -> Result<(Vec<Coefficient>, f64, usize), ReadError> {
    let mut out = Vec::new();
    let (mut r2, mut points) = (f64::NAN, 0);
    for record in read_records(path, &REGRESSION_HEADER)? {
        let (line, r) = record?;
        let bad = |i: usize| {
            content_error(
                path,
                line,
                format!("{} '{}' is not a number", REGRESSION_HEADER[i], &r[i]),
            )
        };
        let x = |i: usize| r[i].parse::<f64>().map_err(|_| bad(i));
        out.push(Coefficient {
            path: r[0].to_string(),
            src: x(1)?,
            prcc: x(2)?,
        });
        r2 = x(3)?;
        points = r[4].parse().map_err(|_| bad(4))?;
    }
    Ok((out, r2, points))
}

impl Regression {
    /// Write `regression.csv` and `sensitivity.json` into `dir`.
    pub fn write(&self, dir: &Path) -> io::Result<()> {
        let mut w = csv_writer(&dir.join(REGRESSION_CSV))?;
        w.write_record(REGRESSION_HEADER)?;
        for c in &self.coefficients {
            w.write_record([
                c.path.clone(),
                number(c.src),
                number(c.prcc),
                number(self.r2),
                self.points.to_string(),
            ])?;
        }
        finish_csv(w)?;
        Record {
            scenarios: vec![self.scenario.clone()],
            parameters: self.coefficients.iter().map(|c| c.path.clone()).collect(),
            seed: self.seed,
            ..Record::new("regression", &self.quantity)
        }
        .write(dir)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_share_their_average_rank() {
        assert_eq!(ranks(&[3.0, 1.0, 3.0, 2.0]), vec![3.5, 1.0, 3.5, 2.0]);
    }

    #[test]
    fn least_squares_recovers_an_exact_plane() {
        let x1 = [1.0, 2.0, 3.0, 4.0, 5.0];
        let x2 = [2.0, -1.0, 0.5, 3.0, 1.0];
        let y: Vec<f64> = (0..5).map(|i| 1.5 + 2.0 * x1[i] - 3.0 * x2[i]).collect();
        let (b, res) = least_squares(&[&x1, &x2], &y).unwrap();
        for (got, want) in b.iter().zip([1.5, 2.0, -3.0]) {
            assert!((got - want).abs() < 1e-9, "{b:?}");
        }
        assert!(res.iter().all(|r| r.abs() < 1e-9));
        // Collinear columns have no unique fit.
        let twice: Vec<f64> = x1.iter().map(|v| 2.0 * v).collect();
        assert!(least_squares(&[&x1, &twice], &y).is_none());
    }

    #[test]
    fn a_monotone_but_curved_effect_has_prcc_one() {
        let x1: Vec<f64> = (0..12).map(|i| i as f64).collect();
        let x2: Vec<f64> = (0..12).map(|i| ((i * 7) % 12) as f64).collect();
        let y: Vec<f64> = x1.iter().map(|v| v.powi(3)).collect();
        let (c, r2) = coefficients(&["a".into(), "b".into()], &[x1, x2], &y).unwrap();
        assert!((c[0].prcc - 1.0).abs() < 1e-9, "{c:?}");
        assert!(c[1].prcc.abs() < 1e-6, "{c:?}");
        assert!(r2 < 1.0 && r2 > 0.8);
    }
}
