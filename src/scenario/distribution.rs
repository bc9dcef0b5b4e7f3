//! The distributions an uncertain parameter may have, as written in the
//! scenario file and as checked and sampled.
//!
//! A [`DistributionSpec`] is the inline table the user wrote (kept as
//! written, so `scenario.toml` records it); [`Distribution::from_spec`]
//! checks it and turns the user's parameters (a median and a 95th
//! percentile, a mean and a standard deviation) into the distribution's own.

use rand::{Rng, RngExt};
use rand_distr::{Beta, Distribution as _, Gamma, LogNormal, Normal, Open01, Triangular, Uniform};
use serde::{Deserialize, Serialize};
use statrs::distribution::{Continuous, ContinuousCDF, Normal as StdNormal};

/// The 95th percentile of the standard normal, for `lognormal` given its
/// median and 95th percentile.
const Z95: f64 = 1.644_853_626_951_472_2;

/// One `[uncertainty]` entry as written: `dist` names the family, the other
/// keys are its parameters (which ones each family takes is in
/// [`Distribution::from_spec`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DistributionSpec {
    /// `uniform`, `triangular`, `normal`, `lognormal`, `gamma` or `beta`.
    pub dist: String,
    /// Lower end (uniform, triangular; normal: optional truncation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lo: Option<f64>,
    /// Most likely value (triangular).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<f64>,
    /// Upper end (uniform, triangular; normal: optional truncation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hi: Option<f64>,
    /// Mean (normal before truncation, gamma, beta).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mean: Option<f64>,
    /// Standard deviation, in the parameter's own units (normal before
    /// truncation, lognormal, gamma, beta).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sd: Option<f64>,
    /// Median (lognormal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub median: Option<f64>,
    /// 95th percentile (lognormal, instead of `sd`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub p95: Option<f64>,
}

/// A checked distribution in its own parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Distribution {
    /// Every value in `[lo, hi)` equally likely.
    Uniform {
        /// Lower end.
        lo: f64,
        /// Upper end.
        hi: f64,
    },
    /// Density rising linearly from `lo` to `mode`, falling to `hi`.
    Triangular {
        /// Lower end.
        lo: f64,
        /// Most likely value.
        mode: f64,
        /// Upper end.
        hi: f64,
    },
    /// Normal with `mean` and `sd`, truncated to `[lo, hi]` (infinite ends
    /// when not truncated); sampled by inversion.
    Normal {
        /// Mean before truncation.
        mean: f64,
        /// Standard deviation before truncation.
        sd: f64,
        /// Lower bound (−∞ when none).
        lo: f64,
        /// Upper bound (+∞ when none).
        hi: f64,
    },
    /// `exp(N(mu, sigma²))`.
    LogNormal {
        /// Mean of the logarithm (ln of the median).
        mu: f64,
        /// Standard deviation of the logarithm.
        sigma: f64,
    },
    /// Gamma with `shape` and `scale` (mean = shape × scale).
    Gamma {
        /// Shape k.
        shape: f64,
        /// Scale θ.
        scale: f64,
    },
    /// Beta(alpha, beta) on `(0, 1)`.
    Beta {
        /// First shape.
        alpha: f64,
        /// Second shape.
        beta: f64,
    },
}

/// A problem with one entry: the key of the entry it concerns (`None`:
/// the entry as a whole) and what is wrong.
pub type SpecProblem = (Option<&'static str>, String);

impl Distribution {
    /// Check a written entry and convert it. Every family lists the keys it
    /// takes; a key it does not take is an error rather than ignored.
    pub fn from_spec(spec: &DistributionSpec) -> Result<Self, SpecProblem> {
        let given: [(&'static str, Option<f64>); 7] = [
            ("lo", spec.lo),
            ("mode", spec.mode),
            ("hi", spec.hi),
            ("mean", spec.mean),
            ("sd", spec.sd),
            ("median", spec.median),
            ("p95", spec.p95),
        ];
        let takes: &[&str] = match spec.dist.as_str() {
            "uniform" => &["lo", "hi"],
            "triangular" => &["lo", "mode", "hi"],
            "normal" => &["mean", "sd", "lo", "hi"],
            "lognormal" => &["median", "p95", "sd"],
            "gamma" | "beta" => &["mean", "sd"],
            other => {
                return Err((
                    Some("dist"),
                    format!(
                        "unknown distribution '{other}', expected one of uniform, triangular, normal, lognormal, gamma, beta"
                    ),
                ));
            }
        };
        for (key, value) in given {
            if let Some(v) = value {
                if !takes.contains(&key) {
                    return Err((
                        Some(key),
                        format!("{} takes {}, not {key}", spec.dist, takes.join(", ")),
                    ));
                }
                if !v.is_finite() {
                    return Err((Some(key), format!("must be a finite number, got {v}")));
                }
            }
        }
        let need = |key: &'static str, value: Option<f64>| {
            value.ok_or((None, format!("{} needs {key}", spec.dist)))
        };
        let positive = |key: &'static str, value: f64| {
            if value > 0.0 {
                Ok(value)
            } else {
                Err((Some(key), format!("must be greater than 0, got {value}")))
            }
        };
        match spec.dist.as_str() {
            "uniform" => {
                let (lo, hi) = (need("lo", spec.lo)?, need("hi", spec.hi)?);
                if hi <= lo {
                    return Err((Some("hi"), format!("must be greater than lo ({lo})")));
                }
                Ok(Self::Uniform { lo, hi })
            }
            "triangular" => {
                let lo = need("lo", spec.lo)?;
                let mode = need("mode", spec.mode)?;
                let hi = need("hi", spec.hi)?;
                if hi <= lo {
                    return Err((Some("hi"), format!("must be greater than lo ({lo})")));
                }
                if !(lo..=hi).contains(&mode) {
                    return Err((
                        Some("mode"),
                        format!("must lie between lo ({lo}) and hi ({hi})"),
                    ));
                }
                Ok(Self::Triangular { lo, mode, hi })
            }
            "normal" => {
                let mean = need("mean", spec.mean)?;
                let sd = positive("sd", need("sd", spec.sd)?)?;
                let lo = spec.lo.unwrap_or(f64::NEG_INFINITY);
                let hi = spec.hi.unwrap_or(f64::INFINITY);
                if hi <= lo {
                    return Err((Some("hi"), format!("must be greater than lo ({lo})")));
                }
                let d = Self::Normal { mean, sd, lo, hi };
                // Bounds that leave (almost) nothing of the distribution
                // are a mistake, and inversion would lose all precision.
                let std = StdNormal::standard();
                let mass = std.cdf((hi - mean) / sd) - std.cdf((lo - mean) / sd);
                if mass < 1e-6 {
                    return Err((
                        None,
                        format!(
                            "lo and hi keep almost none of normal(mean {mean}, sd {sd}) (probability {mass:.1e})"
                        ),
                    ));
                }
                Ok(d)
            }
            "lognormal" => {
                let median = positive("median", need("median", spec.median)?)?;
                let sigma = match (spec.p95, spec.sd) {
                    (Some(p95), None) => {
                        if p95 <= median {
                            return Err((
                                Some("p95"),
                                format!("must be greater than the median ({median})"),
                            ));
                        }
                        (p95 / median).ln() / Z95
                    }
                    (None, Some(sd)) => {
                        let sd = positive("sd", sd)?;
                        // sd² = median² · w · (w − 1) with w = exp(σ²).
                        let r = sd / median;
                        let w = 0.5 * (1.0 + (1.0 + 4.0 * r * r).sqrt());
                        w.ln().sqrt()
                    }
                    (Some(_), Some(_)) => {
                        return Err((Some("sd"), "give p95 or sd, not both".into()));
                    }
                    (None, None) => {
                        return Err((None, "lognormal needs median and p95 (or sd)".into()));
                    }
                };
                Ok(Self::LogNormal {
                    mu: median.ln(),
                    sigma,
                })
            }
            "gamma" => {
                let mean = positive("mean", need("mean", spec.mean)?)?;
                let sd = positive("sd", need("sd", spec.sd)?)?;
                Ok(Self::Gamma {
                    shape: (mean / sd).powi(2),
                    scale: sd * sd / mean,
                })
            }
            "beta" => {
                let mean = need("mean", spec.mean)?;
                if !(mean > 0.0 && mean < 1.0) {
                    return Err((
                        Some("mean"),
                        format!("must be strictly between 0 and 1, got {mean}"),
                    ));
                }
                let sd = positive("sd", need("sd", spec.sd)?)?;
                let limit = mean * (1.0 - mean);
                if sd * sd >= limit {
                    return Err((
                        Some("sd"),
                        format!(
                            "too large for a beta with mean {mean}: must be below {:.4} (= √(mean·(1−mean)))",
                            limit.sqrt()
                        ),
                    ));
                }
                let nu = limit / (sd * sd) - 1.0;
                Ok(Self::Beta {
                    alpha: mean * nu,
                    beta: (1.0 - mean) * nu,
                })
            }
            _ => unreachable!("families are matched above"),
        }
    }

    /// The smallest and largest values a draw can take (infinite when
    /// unbounded; 0 for the open lower end of lognormal and gamma).
    pub fn support(&self) -> (f64, f64) {
        match *self {
            Self::Uniform { lo, hi } | Self::Triangular { lo, hi, .. } => (lo, hi),
            Self::Normal { lo, hi, .. } => (lo, hi),
            Self::LogNormal { .. } | Self::Gamma { .. } => (0.0, f64::INFINITY),
            Self::Beta { .. } => (0.0, 1.0),
        }
    }

    /// One draw.
    pub fn sample(&self, rng: &mut impl Rng) -> f64 {
        match *self {
            Self::Uniform { lo, hi } => Uniform::new(lo, hi).expect("checked").sample(rng),
            Self::Triangular { lo, mode, hi } => {
                Triangular::new(lo, hi, mode).expect("checked").sample(rng)
            }
            Self::Normal { mean, sd, lo, hi } => {
                if lo.is_infinite() && hi.is_infinite() {
                    Normal::new(mean, sd).expect("checked").sample(rng)
                } else {
                    // Inversion keeps one uniform per draw, whatever the bounds.
                    let std = StdNormal::standard();
                    let (a, b) = (std.cdf((lo - mean) / sd), std.cdf((hi - mean) / sd));
                    let u: f64 = rng.sample(Open01);
                    (mean + sd * std.inverse_cdf(a + u * (b - a))).clamp(lo, hi)
                }
            }
            Self::LogNormal { mu, sigma } => {
                LogNormal::new(mu, sigma).expect("checked").sample(rng)
            }
            Self::Gamma { shape, scale } => Gamma::new(shape, scale).expect("checked").sample(rng),
            Self::Beta { alpha, beta } => Beta::new(alpha, beta).expect("checked").sample(rng),
        }
    }

    /// The distribution's mean and variance (for tests, documentation, and
    /// checking how far out an open end reaches).
    pub fn moments(&self) -> (f64, f64) {
        match *self {
            Self::Uniform { lo, hi } => ((lo + hi) / 2.0, (hi - lo).powi(2) / 12.0),
            Self::Triangular { lo, mode, hi } => (
                (lo + mode + hi) / 3.0,
                (lo * lo + mode * mode + hi * hi - lo * mode - lo * hi - mode * hi) / 18.0,
            ),
            Self::Normal { mean, sd, lo, hi } => {
                let std = StdNormal::standard();
                let (a, b) = ((lo - mean) / sd, (hi - mean) / sd);
                let z = std.cdf(b) - std.cdf(a);
                let (pa, pb) = (std.pdf(a), std.pdf(b));
                let xa = if a.is_finite() { a * pa } else { 0.0 };
                let xb = if b.is_finite() { b * pb } else { 0.0 };
                let shift = (pa - pb) / z;
                (
                    mean + sd * shift,
                    sd * sd * (1.0 + (xa - xb) / z - shift * shift),
                )
            }
            Self::LogNormal { mu, sigma } => {
                let s2 = sigma * sigma;
                (
                    (mu + s2 / 2.0).exp(),
                    (s2.exp() - 1.0) * (2.0 * mu + s2).exp(),
                )
            }
            Self::Gamma { shape, scale } => (shape * scale, shape * scale * scale),
            Self::Beta { alpha, beta } => {
                let n = alpha + beta;
                (alpha / n, alpha * beta / (n * n * (n + 1.0)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::streams::{StreamKind, stream};

    fn spec(text: &str) -> DistributionSpec {
        toml::from_str(text).unwrap()
    }

    /// Sample mean and variance of 40,000 seeded draws match the
    /// distribution's: the mean within 5 standard errors (σ/√n), the
    /// variance within 5 standard errors of the sample variance
    /// (√((m4 − σ⁴)/n), m4 estimated from the sample).
    fn check_moments(d: Distribution, expected_mean: f64, expected_var: f64) {
        let (mean, var) = d.moments();
        assert!(
            (mean - expected_mean).abs() < 1e-9 * (1.0 + expected_mean.abs()),
            "{d:?}: mean {mean}"
        );
        assert!(
            (var - expected_var).abs() < 1e-9 * (1.0 + expected_var),
            "{d:?}: var {var}"
        );
        let n = 40_000;
        let mut rng = stream(7, 0, StreamKind::Parameters, 1);
        let xs: Vec<f64> = (0..n).map(|_| d.sample(&mut rng)).collect();
        let (lo, hi) = d.support();
        assert!(
            xs.iter().all(|x| (lo..=hi).contains(x)),
            "{d:?}: a draw outside its support"
        );
        let m = xs.iter().sum::<f64>() / n as f64;
        let v = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1) as f64;
        let m4 = xs.iter().map(|x| (x - m).powi(4)).sum::<f64>() / n as f64;
        let se_mean = (var / n as f64).sqrt();
        let se_var = ((m4 - v * v) / n as f64).sqrt();
        assert!(
            (m - mean).abs() < 5.0 * se_mean,
            "{d:?}: sample mean {m} vs {mean}"
        );
        assert!(
            (v - var).abs() < 5.0 * se_var,
            "{d:?}: sample variance {v} vs {var}"
        );
    }

    #[test]
    fn sample_moments_match_the_parameters() {
        let d = |t: &str| Distribution::from_spec(&spec(t)).unwrap();
        check_moments(d("dist = 'uniform'\nlo = 2.0\nhi = 5.0"), 3.5, 0.75);
        check_moments(
            d("dist = 'triangular'\nlo = 0.0\nmode = 1.0\nhi = 4.0"),
            5.0 / 3.0,
            (1.0 + 16.0 - 4.0) / 18.0,
        );
        check_moments(d("dist = 'normal'\nmean = 10.0\nsd = 2.0"), 10.0, 4.0);
        // Truncated at the mean from below: the half-normal, mean
        // μ + σ√(2/π), variance σ²(1 − 2/π).
        let pi = std::f64::consts::PI;
        check_moments(
            d("dist = 'normal'\nmean = 10.0\nsd = 2.0\nlo = 10.0"),
            10.0 + 2.0 * (2.0 / pi).sqrt(),
            4.0 * (1.0 - 2.0 / pi),
        );
        check_moments(d("dist = 'gamma'\nmean = 3.0\nsd = 1.5"), 3.0, 2.25);
        check_moments(d("dist = 'beta'\nmean = 0.3\nsd = 0.1"), 0.3, 0.01);
        // Lognormal given its sd: the sd is the value's own.
        check_moments(
            d("dist = 'lognormal'\nmedian = 1.0\nsd = 0.5"),
            {
                let w: f64 = 0.5 * (1.0 + (1.0_f64 + 4.0 * 0.25).sqrt());
                w.sqrt()
            },
            0.25,
        );
    }

    #[test]
    fn lognormal_p95_is_the_95th_percentile() {
        let d =
            Distribution::from_spec(&spec("dist = 'lognormal'\nmedian = 0.4\np95 = 0.7")).unwrap();
        let n = 40_000;
        let mut rng = stream(3, 0, StreamKind::Parameters, 0);
        let mut xs: Vec<f64> = (0..n).map(|_| d.sample(&mut rng)).collect();
        xs.sort_by(f64::total_cmp);
        // Share of draws below 0.7 is 0.95 ± 5 binomial standard errors.
        let below = xs.iter().filter(|&&x| x < 0.7).count() as f64 / n as f64;
        assert!(
            (below - 0.95).abs() < 5.0 * (0.95 * 0.05 / n as f64).sqrt(),
            "{below}"
        );
        let half = xs.iter().filter(|&&x| x < 0.4).count() as f64 / n as f64;
        assert!(
            (half - 0.5).abs() < 5.0 * (0.25 / n as f64).sqrt(),
            "{half}"
        );
    }

    #[test]
    fn impossible_parameters_are_refused_at_their_key() {
        let err = |t: &str| Distribution::from_spec(&spec(t)).unwrap_err();
        assert_eq!(err("dist = 'beta'\nmean = 0.5\nsd = 0.6").0, Some("sd"));
        assert_eq!(err("dist = 'beta'\nmean = 1.5\nsd = 0.1").0, Some("mean"));
        assert_eq!(err("dist = 'uniform'\nlo = 2.0\nhi = 1.0").0, Some("hi"));
        assert_eq!(
            err("dist = 'uniform'\nlo = 2.0\nmode = 1.0\nhi = 3.0").0,
            Some("mode")
        );
        assert_eq!(
            err("dist = 'triangular'\nlo = 0.0\nmode = 5.0\nhi = 3.0").0,
            Some("mode")
        );
        assert_eq!(
            err("dist = 'lognormal'\nmedian = 0.4\np95 = 0.3").0,
            Some("p95")
        );
        assert_eq!(err("dist = 'gamma'\nmean = 1.0\nsd = 0.0").0, Some("sd"));
        assert_eq!(
            err("dist = 'normal'\nmean = 0.0\nsd = 1.0\nlo = 50.0").0,
            None
        );
        assert_eq!(err("dist = 'poisson'\nmean = 1.0").0, Some("dist"));
        assert!(err("dist = 'uniform'\nlo = 1.0").1.contains("needs hi"));
    }
}
