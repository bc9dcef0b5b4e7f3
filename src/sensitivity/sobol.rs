//! Sobol indices: how much of the variance of the answer each parameter
//! explains alone (first order, S) and with all its interactions (total,
//! ST), over the parameters' ranges taken as independent uniforms.
//!
//! The points are Saltelli's design ([`crate::sweep::Method::Saltelli`]),
//! run as a sweep: every point runs the same replications (common random
//! numbers), so it shards and merges like any sweep, and this module only
//! reads a complete folder's values. The model output of point *p* is the
//! mean over replications of the measured quantity, f(p). With N base
//! samples, A, B and A_B^i the design's blocks and V the variance of the
//! 2N outputs of A and B (n − 1 denominator), Jansen's estimators are
//!
//! * ST_i = (1 / 2N) Σ_j (f(A)_j − f(A_B^i)_j)² / V
//! * S_i  = (V − (1 / 2N) Σ_j (f(B)_j − f(A_B^i)_j)²) / V
//!
//! Their 95 % CIs are percentile intervals over [`BOOTSTRAP`] resamples of
//! the N rows j (with replacement), drawn from the seed (see
//! [`crate::sweep::lhs::generator`], tagged), so they are reproducible.

use std::io;
use std::path::Path;

use rand::Rng;

use super::{Quantity, Record, SENSITIVITY_JSON, point_means};
use crate::Error;
use crate::results::ReadError;
use crate::results::csv::{content_error, csv_writer, finish_csv, read_records};
use crate::results::number;
use crate::results::stats::quantile_sorted;
use crate::sweep::{Method, Sweep, lhs};

/// File name of the indices.
pub const SOBOL_CSV: &str = "sobol.csv";

/// Header of [`SOBOL_CSV`].
pub const SOBOL_HEADER: [&str; 9] = [
    "parameter",
    "range",
    "first_order",
    "first_order_ci95_low",
    "first_order_ci95_high",
    "total",
    "total_ci95_low",
    "total_ci95_high",
    "samples",
];

/// Bootstrap resamples for the CIs.
pub const BOOTSTRAP: usize = 1000;

/// Mixed into the seed for the bootstrap's stream.
const BOOTSTRAP_TAG: u64 = 0x424F_4F54_5354_5250;

/// First-order and total index of one parameter, with 95 % CIs.
#[derive(Debug, Clone, PartialEq)]
pub struct Index {
    /// The `--set` path.
    pub path: String,
    /// Its range as given.
    pub range: String,
    /// First-order index S.
    pub first: f64,
    /// 95 % CI of S.
    pub first_ci: (f64, f64),
    /// Total index ST.
    pub total: f64,
    /// 95 % CI of ST.
    pub total_ci: (f64, f64),
}

/// Jansen's estimators for the rows `rows` (indices into 0..N) of the
/// outputs `y` of a Saltelli design with `n` base samples and `k`
/// parameters: (S_i, ST_i) for each parameter.
pub fn jansen(y: &[f64], n: usize, k: usize, rows: &[usize]) -> Vec<(f64, f64)> {
    let a = |j: usize| y[j];
    let b = |j: usize| y[n + j];
    let ab = |i: usize, j: usize| y[(2 + i) * n + j];
    let m = rows.len() as f64;
    let mean = rows.iter().map(|&j| a(j) + b(j)).sum::<f64>() / (2.0 * m);
    let variance = rows
        .iter()
        .map(|&j| (a(j) - mean).powi(2) + (b(j) - mean).powi(2))
        .sum::<f64>()
        / (2.0 * m - 1.0).max(1.0);
    (0..k)
        .map(|i| {
            if variance <= 0.0 {
                return (0.0, 0.0);
            }
            let total = rows.iter().map(|&j| (a(j) - ab(i, j)).powi(2)).sum::<f64>() / (2.0 * m);
            let first = rows.iter().map(|&j| (b(j) - ab(i, j)).powi(2)).sum::<f64>() / (2.0 * m);
            ((variance - first) / variance, total / variance)
        })
        .collect()
}

/// The indices of a Saltelli design's outputs `y` with bootstrap CIs.
pub fn indices(sweep: &Sweep, y: &[f64], seed: u64) -> Vec<Index> {
    let Method::Saltelli(n) = sweep.design.method else {
        return Vec::new();
    };
    let k = sweep.design.parameters.len();
    let all: Vec<usize> = (0..n).collect();
    let point = jansen(y, n, k, &all);
    let mut rng = lhs::generator(seed ^ BOOTSTRAP_TAG);
    let mut draws: Vec<Vec<(f64, f64)>> = vec![Vec::with_capacity(BOOTSTRAP); k];
    let mut rows = vec![0usize; n];
    for _ in 0..BOOTSTRAP {
        for r in rows.iter_mut() {
            *r = ((u128::from(rng.next_u64()) * n as u128) >> 64) as usize;
        }
        for (i, e) in jansen(y, n, k, &rows).into_iter().enumerate() {
            draws[i].push(e);
        }
    }
    let interval = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        (quantile_sorted(&v, 0.025), quantile_sorted(&v, 0.975))
    };
    sweep
        .design
        .parameters
        .iter()
        .zip(point)
        .zip(draws)
        .map(|((p, (first, total)), d)| Index {
            path: p.path.clone(),
            range: p.spec(),
            first,
            first_ci: interval(d.iter().map(|e| e.0).collect()),
            total,
            total_ci: interval(d.iter().map(|e| e.1).collect()),
        })
        .collect()
}

/// Compute the indices of the complete Saltelli sweep in `dir` as
/// `record` says and write `sobol.csv` and `sensitivity.json` there.
/// Run and merge both end here, so their files are identical.
pub fn complete(dir: &Path, sweep: &Sweep, record: &Record) -> Result<Vec<Index>, Error> {
    let quantity = record.quantity(&sweep.base).map_err(Error::input)?;
    let y = point_means(dir, sweep, &quantity)?;
    let found = indices(sweep, &y, sweep.seed());
    let cannot = |e| Error::io("write results to", dir, e);
    write_csv(&dir.join(SOBOL_CSV), sweep, &found).map_err(cannot)?;
    record.write(dir).map_err(cannot)?;
    Ok(found)
}

/// The `sensitivity.json` of a Sobol design measuring `quantity`.
pub fn record(sweep: &Sweep, quantity: &Quantity) -> Record {
    let samples = match sweep.design.method {
        Method::Saltelli(n) => Some(n),
        _ => None,
    };
    Record {
        scenarios: vec![sweep.base.name().to_string()],
        parameters: sweep
            .design
            .parameters
            .iter()
            .map(ToString::to_string)
            .collect(),
        seed: sweep.seed(),
        replications: sweep.replications(),
        samples,
        bootstrap: Some(BOOTSTRAP),
        ..Record::new("sobol", quantity)
    }
}

/// Read `sensitivity.json` of the shard folders `dirs`: all must hold the
/// same text (the same metric and settings).
pub fn shards_record(dirs: &[std::path::PathBuf]) -> Result<Record, Error> {
    let mut first: Option<(String, &Path)> = None;
    for dir in dirs {
        let path = dir.join(SENSITIVITY_JSON);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Error::input(format!(
                "{}: a Sobol shard must hold {SENSITIVITY_JSON}: {e}",
                dir.display()
            ))
        })?;
        match &first {
            None => first = Some((text, dir)),
            Some((t, d)) if *t != text => {
                return Err(Error::input(format!(
                    "cannot merge: {} and {} measure different things ({SENSITIVITY_JSON} differs)",
                    d.display(),
                    dir.display()
                )));
            }
            Some(_) => {}
        }
    }
    let (text, dir) = first.ok_or_else(|| Error::input("no shard folders given"))?;
    serde_json::from_str(&text).map_err(|e| {
        Error::input(format!(
            "{}: {SENSITIVITY_JSON} is not readable: {e}",
            dir.display()
        ))
    })
}

/// Read `sobol.csv` back (for `trappe plot`).
pub fn read_csv(path: &Path) -> Result<Vec<Index>, ReadError> {
    let mut out = Vec::new();
    for record in read_records(path, &SOBOL_HEADER)? {
        let (line, r) = record?;
        let x = |i: usize| {
            r[i].parse::<f64>().map_err(|_| {
                content_error(
                    path,
                    line,
                    format!("{} '{}' is not a number", SOBOL_HEADER[i], &r[i]),
                )
            })
        };
        out.push(Index {
            path: r[0].to_string(),
            range: r[1].to_string(),
            first: x(2)?,
            first_ci: (x(3)?, x(4)?),
            total: x(5)?,
            total_ci: (x(6)?, x(7)?),
        });
    }
    Ok(out)
}

fn write_csv(path: &Path, sweep: &Sweep, found: &[Index]) -> io::Result<()> {
    let samples = match sweep.design.method {
        Method::Saltelli(n) => n,
        _ => 0,
    };
    let mut w = csv_writer(path)?;
    w.write_record(SOBOL_HEADER)?;
    for i in found {
        w.write_record([
            i.path.clone(),
            i.range.clone(),
            number(i.first),
            number(i.first_ci.0),
            number(i.first_ci.1),
            number(i.total),
            number(i.total_ci.0),
            number(i.total_ci.1),
            samples.to_string(),
        ])?;
    }
    finish_csv(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// f = 2 x₀ + x₁ on A, B and A_B^i built from given columns: Jansen's
    /// total index is exact for each row pair of an additive model.
    #[test]
    fn jansen_is_exact_in_its_differences_for_an_additive_model() {
        let a = [[0.1, 0.9], [0.4, 0.2], [0.7, 0.5], [0.3, 0.8]];
        let b = [[0.6, 0.3], [0.2, 0.7], [0.9, 0.1], [0.5, 0.4]];
        let f = |x: [f64; 2]| 2.0 * x[0] + x[1];
        let n = a.len();
        let mut y: Vec<f64> = a.iter().map(|&x| f(x)).collect();
        y.extend(b.iter().map(|&x| f(x)));
        for i in 0..2 {
            for j in 0..n {
                let mut x = a[j];
                x[i] = b[j][i];
                y.push(f(x));
            }
        }
        let rows: Vec<usize> = (0..n).collect();
        let found = jansen(&y, n, 2, &rows);
        let values: Vec<f64> = y[..2 * n].to_vec();
        let m = values.iter().sum::<f64>() / (2 * n) as f64;
        let v = values.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (2 * n - 1) as f64;
        for (i, w) in [2.0, 1.0].into_iter().enumerate() {
            let total = (0..n)
                .map(|j| (w * (a[j][i] - b[j][i])).powi(2))
                .sum::<f64>()
                / (2 * n) as f64
                / v;
            assert!(
                (found[i].1 - total).abs() < 1e-12,
                "{i}: {found:?} vs {total}"
            );
        }
    }

    #[test]
    fn a_constant_output_has_zero_indices() {
        let y = vec![5.0; 4 * 3];
        assert_eq!(jansen(&y, 3, 2, &[0, 1, 2]), vec![(0.0, 0.0); 2]);
    }
}
