//! What a comparison adds up to: paired differences of the totals per
//! calendar year and over the whole run, the cumulative difference period
//! by period, the break-even period and the probability that an
//! alternative is cheaper (`compare_totals.csv`, `compare_cumulative.csv`).
//!
//! Everything is computed replication by replication: replication *i*'s
//! total of the alternative minus replication *i*'s total of the base, then
//! summarised. The CI of a whole-run difference therefore comes from the
//! paired sums, not from adding the periods' CIs.

use std::io;
use std::path::Path;

use chrono::NaiveDate;

use super::{Difference, summarize_difference};
use crate::metrics::Metric;
use crate::results::csv::{content_error, csv_writer, finish_csv, number, read_records};
use crate::results::read::ReadError;
use crate::results::stats::{Proportion, t975};
use crate::results::totals::{Span, cumulative_spans, is_summed, span_column, spans, total_rows};
use crate::results::{PeriodInfo, Results};

/// File name of the paired differences of totals.
pub const TOTALS_CSV: &str = "compare_totals.csv";
/// File name of the cumulative paired differences per period.
pub const CUMULATIVE_CSV: &str = "compare_cumulative.csv";

/// Header of `compare_totals.csv`.
pub const TOTALS_HEADER: [&str; 15] = [
    "scenario",
    "span",
    "span_start",
    "span_end",
    "metric",
    "step",
    "mean",
    "diff_mean",
    "diff_ci95_low",
    "diff_ci95_high",
    "diff_p05",
    "diff_p95",
    "p_below_zero",
    "p_below_zero_ci95_low",
    "p_below_zero_ci95_high",
];

/// Header of `compare_cumulative.csv`.
pub const CUMULATIVE_HEADER: [&str; 11] = [
    "scenario",
    "period",
    "period_start",
    "period_end",
    "metric",
    "step",
    "cum_diff_mean",
    "cum_diff_ci95_low",
    "cum_diff_ci95_high",
    "cum_diff_p05",
    "cum_diff_p95",
];

pub use crate::results::stats::probability_of_savings;

/// The first period (0-based) from which the mean cumulative difference
/// stays ≤ 0 to the end of the run; `None` when it ends above zero.
pub fn break_even(cumulative_means: &[f64]) -> Option<usize> {
    let after_last_rise = cumulative_means.iter().rposition(|d| *d > 0.0);
    match after_last_rise {
        None if cumulative_means.is_empty() => None,
        None => Some(0),
        Some(k) if k + 1 < cumulative_means.len() => Some(k + 1),
        Some(_) => None,
    }
}

/// A scenario's total of one metric over one span, and its paired
/// difference from the base.
#[derive(Debug, Clone, PartialEq)]
pub struct SpanDifference {
    /// Index of the scenario (0 = the base).
    pub scenario: usize,
    /// Index into [`ComparisonTotals::spans`].
    pub span: usize,
    /// What is measured.
    pub metric: Metric,
    /// The `step` column.
    pub step: String,
    /// The scenario's mean total over replications.
    pub mean: f64,
    /// Paired difference of the totals from the base.
    pub diff: Difference,
    /// Share of replications in which the difference is negative.
    pub below_zero: Proportion,
}

/// The running sum of one summed metric's paired difference up to a period.
#[derive(Debug, Clone, PartialEq)]
pub struct CumulativeDifference {
    /// Index of the scenario (0 = the base).
    pub scenario: usize,
    /// The last period summed (0-based).
    pub period: usize,
    /// What is measured.
    pub metric: Metric,
    /// The `step` column.
    pub step: String,
    /// Paired difference of the sums over periods 1..=period.
    pub diff: Difference,
}

/// Totals of a comparison: per span and cumulative per period.
#[derive(Debug, Clone, PartialEq)]
pub struct ComparisonTotals {
    /// The calendar years, then the whole run.
    pub spans: Vec<Span>,
    /// In scenario, span, metric order.
    pub rows: Vec<SpanDifference>,
    /// In scenario, period, metric order (summed metrics only).
    pub cumulative: Vec<CumulativeDifference>,
}

impl ComparisonTotals {
    /// Paired totals of `results` (the first is the base; checked by
    /// [`super::Comparison::new`] to share periods and streams).
    pub fn new(results: &[Results]) -> Self {
        let base = &results[0];
        let n = base.replications();
        let t = if n > 1 { t975(n - 1) } else { f64::NAN };
        let spans = spans(&base.periods);
        let cumulative_spans = cumulative_spans(&base.periods);
        let base_rows = total_rows(base);
        let mut rows = Vec::new();
        let mut cumulative = Vec::new();
        for (s, alt) in results.iter().enumerate() {
            let matched: Vec<_> = base_rows
                .iter()
                .filter_map(|(j, key)| {
                    let ja = alt.layout.find(key.metric, &key.step)?;
                    Some((*j, ja, key))
                })
                .collect();
            for (i, span) in spans.iter().enumerate() {
                for (j, ja, key) in &matched {
                    let a = span_column(alt, span, *ja);
                    let b = span_column(base, span, *j);
                    let diffs: Vec<f64> = a.iter().zip(&b).map(|(a, b)| a - b).collect();
                    rows.push(SpanDifference {
                        scenario: s,
                        span: i,
                        metric: key.metric,
                        step: key.step.clone(),
                        mean: a.iter().sum::<f64>() / n as f64,
                        diff: summarize_difference(&diffs, t),
                        below_zero: probability_of_savings(&diffs),
                    });
                }
            }
            for (k, span) in cumulative_spans.iter().enumerate() {
                for (j, ja, key) in matched.iter().filter(|m| is_summed(m.2.metric)) {
                    let a = span_column(alt, span, *ja);
                    let b = span_column(base, span, *j);
                    let diffs: Vec<f64> = a.iter().zip(&b).map(|(a, b)| a - b).collect();
                    cumulative.push(CumulativeDifference {
                        scenario: s,
                        period: k,
                        metric: key.metric,
                        step: key.step.clone(),
                        diff: summarize_difference(&diffs, t),
                    });
                }
            }
        }
        Self {
            spans,
            rows,
            cumulative,
        }
    }

    /// The row of `scenario` for `metric`/`step` over span `span`.
    pub fn get(
        &self,
        scenario: usize,
        metric: Metric,
        step: &str,
        span: usize,
    ) -> Option<&SpanDifference> {
        self.rows.iter().find(|r| {
            r.scenario == scenario && r.span == span && r.metric == metric && r.step == step
        })
    }

    /// Index of the whole-run span.
    pub fn whole_run(&self) -> usize {
        self.spans.len().saturating_sub(1)
    }

    /// The cumulative differences of `metric`/`step` for `scenario`, period
    /// by period.
    pub fn cumulative_of(&self, scenario: usize, metric: Metric, step: &str) -> Vec<&Difference> {
        self.cumulative
            .iter()
            .filter(|c| c.scenario == scenario && c.metric == metric && c.step == step)
            .map(|c| &c.diff)
            .collect()
    }

    /// The break-even period (0-based) of total cost for `scenario`: the
    /// first from which its mean cumulative difference stays ≤ 0.
    pub fn break_even(&self, scenario: usize) -> Option<usize> {
        let means: Vec<f64> = self
            .cumulative_of(scenario, Metric::Cost, "total")
            .iter()
            .map(|d| d.mean)
            .collect();
        break_even(&means)
    }

    /// The probability that `scenario` costs less than the base over the
    /// whole run.
    pub fn probability_of_savings(&self, scenario: usize) -> Option<Proportion> {
        self.get(scenario, Metric::Cost, "total", self.whole_run())
            .map(|r| r.below_zero)
    }

    /// Write `compare_totals.csv` and `compare_cumulative.csv` into `dir`;
    /// `keys` name the scenarios.
    pub fn write(&self, dir: &Path, keys: &[String], periods: &[PeriodInfo]) -> io::Result<()> {
        let mut w = csv_writer(&dir.join(TOTALS_CSV))?;
        w.write_record(TOTALS_HEADER)?;
        for r in &self.rows {
            let span = &self.spans[r.span];
            let d = &r.diff;
            let p = &r.below_zero;
            let mut record = vec![
                keys[r.scenario].clone(),
                span.label.clone(),
                span.start.to_string(),
                span.end.to_string(),
                r.metric.name().into(),
                r.step.clone(),
            ];
            record.extend(
                [
                    r.mean,
                    d.mean,
                    d.ci95_low,
                    d.ci95_high,
                    d.p05,
                    d.p95,
                    p.share,
                    p.ci95_low,
                    p.ci95_high,
                ]
                .map(number),
            );
            w.write_record(&record)?;
        }
        finish_csv(w)?;
        let mut w = csv_writer(&dir.join(CUMULATIVE_CSV))?;
        w.write_record(CUMULATIVE_HEADER)?;
        for c in &self.cumulative {
            let p = &periods[c.period];
            let d = &c.diff;
            let mut record = vec![
                keys[c.scenario].clone(),
                p.index.to_string(),
                p.start.to_string(),
                p.end.to_string(),
                c.metric.name().into(),
                c.step.clone(),
            ];
            record.extend([d.mean, d.ci95_low, d.ci95_high, d.p05, d.p95].map(number));
            w.write_record(&record)?;
        }
        finish_csv(w)
    }

    /// Read the files [`ComparisonTotals::write`] wrote, or `None` for a
    /// folder written before trappe had them.
    pub fn read(
        dir: &Path,
        keys: &[String],
        periods: &[PeriodInfo],
    ) -> Result<Option<Self>, ReadError> {
        let totals_path = dir.join(TOTALS_CSV);
        let cumulative_path = dir.join(CUMULATIVE_CSV);
        if !totals_path.is_file() || !cumulative_path.is_file() {
            return Ok(None);
        }
        let spans = spans(periods);
        let mut rows = Vec::new();
        for_each_record(
            &totals_path,
            &TOTALS_HEADER,
            keys,
            |line, scenario, f, x| {
                let span = spans
                    .iter()
                    .position(|s| s.label == f(1))
                    .ok_or_else(|| (line, format!("unknown span '{}'", f(1))))?;
                rows.push(SpanDifference {
                    scenario,
                    span,
                    metric: metric(line, &f(4))?,
                    step: f(5),
                    mean: x[0],
                    diff: Difference {
                        mean: x[1],
                        ci95_low: x[2],
                        ci95_high: x[3],
                        p05: x[4],
                        p95: x[5],
                    },
                    below_zero: Proportion {
                        share: x[6],
                        ci95_low: x[7],
                        ci95_high: x[8],
                    },
                });
                Ok(())
            },
        )?;
        let mut cumulative = Vec::new();
        for_each_record(
            &cumulative_path,
            &CUMULATIVE_HEADER,
            keys,
            |line, scenario, f, x| {
                let period = periods
                    .iter()
                    .position(|p| p.index.to_string() == f(1))
                    .ok_or_else(|| (line, format!("unknown period '{}'", f(1))))?;
                cumulative.push(CumulativeDifference {
                    scenario,
                    period,
                    metric: metric(line, &f(4))?,
                    step: f(5),
                    diff: Difference {
                        mean: x[0],
                        ci95_low: x[1],
                        ci95_high: x[2],
                        p05: x[3],
                        p95: x[4],
                    },
                });
                Ok(())
            },
        )?;
        Ok(Some(Self {
            spans,
            rows,
            cumulative,
        }))
    }
}

type LineError = (u64, String);

fn metric(line: u64, name: &str) -> Result<Metric, LineError> {
    Metric::from_name(name).ok_or_else(|| (line, format!("unknown metric '{name}'")))
}

/// Read a CSV with `header` whose first column names a scenario of `keys`
/// and whose columns from the seventh on are numbers; call `row` with the
/// line, the scenario index, the text fields and the numbers.
fn for_each_record(
    path: &Path,
    header: &[&str],
    keys: &[String],
    mut row: impl FnMut(u64, usize, &dyn Fn(usize) -> String, &[f64]) -> Result<(), LineError>,
) -> Result<(), ReadError> {
    let content = |(line, message): LineError| content_error(path, line, message);
    for record in read_records(path, header)? {
        let (line, record) = record?;
        let f = |c: usize| record.get(c).unwrap_or("").to_string();
        let scenario = keys
            .iter()
            .position(|k| *k == f(0))
            .ok_or_else(|| content((line, format!("unknown scenario '{}'", f(0)))))?;
        for c in [2, 3] {
            NaiveDate::parse_from_str(&f(c), "%Y-%m-%d")
                .map_err(|_| content((line, format!("bad date '{}'", f(c)))))?;
        }
        let numbers = (6..header.len())
            .map(|c| {
                f(c).parse::<f64>()
                    .map_err(|_| content((line, format!("bad number '{}'", f(c)))))
            })
            .collect::<Result<Vec<f64>, _>>()?;
        row(line, scenario, &f, &numbers).map_err(content)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn break_even_is_where_the_running_sum_stays_at_or_below_zero() {
        assert_eq!(break_even(&[3.0, 1.0, -2.0, -5.0]), Some(2));
        // dips below zero, rises again, then stays below
        assert_eq!(break_even(&[3.0, -1.0, 0.5, -0.1, 0.0]), Some(3));
        assert_eq!(break_even(&[-1.0, -2.0]), Some(0));
        assert_eq!(break_even(&[-1.0, 2.0]), None);
        assert_eq!(break_even(&[]), None);
    }

    #[test]
    fn probability_of_savings_counts_strictly_negative_pairs() {
        let p = probability_of_savings(&[-1.0, -2.0, 0.0, 3.0, -0.5, 1.0, -4.0, -1.0, 2.0, -3.0]);
        assert_eq!(p.share, 0.6);
        assert!(p.ci95_low < 0.6 && p.ci95_high > 0.6);
        assert_eq!(probability_of_savings(&[0.0; 5]).share, 0.0);
    }
}
