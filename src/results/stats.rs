//! Statistics over replications (docs/model.md section 8): mean, sd with n − 1, a
//! Student-t 95 % confidence interval for the mean, and R type-7 quantiles.

use statrs::distribution::{ContinuousCDF, StudentsT};

/// Summary of one metric over replications.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// Sample mean.
    pub mean: f64,
    /// Sample standard deviation (n − 1); 0 for one replication.
    pub sd: f64,
    /// Lower end of the 95 % CI of the mean.
    pub ci95_low: f64,
    /// Upper end of the 95 % CI of the mean.
    pub ci95_high: f64,
    /// 5th percentile.
    pub p05: f64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
}

/// t(0.975, df): the multiplier of the standard error for a 95 % CI.
pub fn t975(df: usize) -> f64 {
    StudentsT::new(0.0, 1.0, df as f64)
        .expect("df ≥ 1 is a valid t distribution")
        .inverse_cdf(0.975)
}

/// Quantile `p` of sorted values by linear interpolation between order
/// statistics (R type 7, numpy's default).
pub fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Summarise `values` (at least one); `t` is [`t975`] of `values.len() − 1`
/// (passed in because it is the same for every row of a run).
pub fn summarize(values: &[f64], t: f64) -> Summary {
    let n = values.len();
    let mean = values.iter().sum::<f64>() / n as f64;
    if n == 1 {
        return Summary {
            mean,
            sd: 0.0,
            ci95_low: mean,
            ci95_high: mean,
            p05: mean,
            p50: mean,
            p95: mean,
        };
    }
    let var = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1) as f64;
    let sd = var.sqrt();
    let half = t * sd / (n as f64).sqrt();
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    Summary {
        mean,
        sd,
        ci95_low: mean - half,
        ci95_high: mean + half,
        p05: quantile_sorted(&sorted, 0.05),
        p50: quantile_sorted(&sorted, 0.5),
        p95: quantile_sorted(&sorted, 0.95),
    }
}

/// A share of replications with its 95 % confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Proportion {
    /// Observed share (0–1).
    pub share: f64,
    /// Lower end of the Wilson 95 % interval.
    pub ci95_low: f64,
    /// Upper end of the Wilson 95 % interval.
    pub ci95_high: f64,
}

/// The share `successes / n` with its Wilson score 95 % interval, which
/// stays inside [0, 1] and is not degenerate at 0 or 1 (unlike the normal
/// approximation): with 1000 replications all cheaper, the interval is
/// [0.996, 1], not [1, 1].
pub fn wilson95(successes: usize, n: usize) -> Proportion {
    if n == 0 {
        return Proportion {
            share: f64::NAN,
            ci95_low: 0.0,
            ci95_high: 1.0,
        };
    }
    let z = 1.959_963_984_540_054;
    let n = n as f64;
    let p = successes as f64 / n;
    let z2n = z * z / n;
    let centre = (p + z2n / 2.0) / (1.0 + z2n);
    let half = z / (1.0 + z2n) * (p * (1.0 - p) / n + z2n / (4.0 * n)).sqrt();
    Proportion {
        share: p,
        ci95_low: (centre - half).max(0.0),
        ci95_high: (centre + half).min(1.0),
    }
}

/// A rate `count / exposure` with its exact (Garwood) 95 % interval for a
/// Poisson count: the interval of the counts' chi-square quantiles over
/// the exposure. It stays at or above 0 and is not degenerate when
/// nothing was seen (0 events in 10 years: [0, 0.37] per year), unlike
/// rate ± 1.96 standard errors. Used for observed transition intensities
/// and referral rates in case records.
pub fn poisson95(count: usize, exposure: f64) -> (f64, f64) {
    use statrs::distribution::ChiSquared;
    if exposure <= 0.0 {
        return (0.0, f64::INFINITY);
    }
    let quantile = |df: f64, p: f64| {
        ChiSquared::new(df)
            .expect("df > 0 is a valid chi-square distribution")
            .inverse_cdf(p)
    };
    let k = count as f64;
    let low = if count == 0 {
        0.0
    } else {
        quantile(2.0 * k, 0.025) / 2.0
    };
    let high = quantile(2.0 * (k + 1.0), 0.975) / 2.0;
    (low / exposure, high / exposure)
}

/// The probability that an alternative is cheaper (or lower on any
/// metric): the share of replications whose paired difference
/// `alt − base` is negative, with its Wilson 95 % interval. A difference
/// of exactly zero does not count as a saving. The one definition behind
/// the comparison totals and the paired policy answers.
pub fn probability_of_savings(paired_differences: &[f64]) -> Proportion {
    let below = paired_differences.iter().filter(|d| **d < 0.0).count();
    wilson95(below, paired_differences.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_matches_published_examples() {
        // Newcombe (1998), example: 81 of 263 → 0.2553 to 0.3662.
        let p = wilson95(81, 263);
        assert!(
            (p.ci95_low - 0.2553).abs() < 5e-4 && (p.ci95_high - 0.3662).abs() < 5e-4,
            "{p:?}"
        );
        let none = wilson95(0, 10);
        assert!(none.ci95_low == 0.0 && (none.ci95_high - 0.2775).abs() < 5e-4);
    }

    #[test]
    fn wilson_matches_a_worked_example() {
        // 8 of 10: Wilson 95 % interval [0.4902, 0.9433] (e.g. R's prop.test
        // without continuity correction).
        let p = wilson95(8, 10);
        assert_eq!(p.share, 0.8);
        assert!((p.ci95_low - 0.490_162).abs() < 1e-5, "{p:?}");
        assert!((p.ci95_high - 0.943_318).abs() < 1e-5, "{p:?}");
        let all = wilson95(1000, 1000);
        assert!(all.ci95_low > 0.99 && all.ci95_low < 1.0 && all.ci95_high == 1.0);
    }

    #[test]
    fn t_quantiles_match_tables() {
        assert!((t975(1) - 12.706_204_736).abs() < 1e-6);
        assert!((t975(9) - 2.262_157_163).abs() < 1e-6);
        assert!((t975(999) - 1.962_341_461).abs() < 1e-6);
    }

    #[test]
    fn type7_quantiles_match_numpy() {
        // numpy.quantile([1, 2, 3, 4, 10], [0.05, 0.5, 0.95]) = [1.2, 3.0, 8.8]
        let s = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert!((quantile_sorted(&s, 0.05) - 1.2).abs() < 1e-12);
        assert_eq!(quantile_sorted(&s, 0.5), 3.0);
        assert!((quantile_sorted(&s, 0.95) - 8.8).abs() < 1e-12);
    }

    #[test]
    fn summary_of_known_sample() {
        let s = summarize(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0], t975(7));
        assert_eq!(s.mean, 5.0);
        assert!((s.sd - 2.138_089_935).abs() < 1e-9);
        let half = t975(7) * s.sd / 8f64.sqrt();
        assert!((s.ci95_high - 5.0 - half).abs() < 1e-12);
    }

    #[test]
    fn one_replication_collapses_to_the_mean() {
        let s = summarize(&[3.5], f64::NAN);
        assert_eq!((s.sd, s.ci95_low, s.p05, s.p95), (0.0, 3.5, 3.5, 3.5));
    }
}
