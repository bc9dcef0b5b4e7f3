//! Totals over calendar years and over the whole run (`totals.csv`).
//!
//! A council budgets by year, so every summable metric is added up over
//! the periods of each calendar year and of the whole run *per replication*
//! first; means, CIs and percentiles are then taken over those
//! per-replication sums (never by adding the periods' CIs, which would
//! ignore how periods co-vary).
//!
//! Spans follow the period calendar: a period belongs to the calendar year
//! in which it starts, so a partial first or last year is its own span,
//! labelled by the year. What each metric's total means:
//! - summed: counts, child-years (the welfare metrics
//!   `unmet_need_child_years` and `ready_child_years` included) and costs;
//! - recomputed over the span from summed parts: `placement_share`
//!   (weighted by placed child-years), `follow_up_delay_weeks` (weighted by
//!   completed follow-ups), `caseload_mean` and `points_mean` (weighted by
//!   period length);
//! - left out: `count_end` and `count_start` (stocks: see the span's last
//!   and first periods in `summary.csv`), `breakdown_rate` (its denominator, spells
//!   overlapping a period, does not add up over periods) and
//!   `assessment_weeks` (a waiting time, read per period: a council asks
//!   how long a referral waits *now*, not on average over years of
//!   changing capacity; the per-period means are in `summary.csv`).

use std::io;
use std::ops::Range;
use std::path::Path;

use chrono::{Datelike, NaiveDate};

use super::csv::{content_error, csv_writer, finish_csv, read_records, summary_at, summary_cells};
use super::stats::{Summary, summarize, t975};
use super::{PeriodInfo, ReadError, Results, RowKey};
use crate::metrics::Metric;

/// File name of a run's totals.
pub const TOTALS_CSV: &str = "totals.csv";

/// Label of the whole-run span.
pub const WHOLE_RUN: &str = "total";

/// Header of `totals.csv`.
pub const TOTALS_HEADER: [&str; 12] = [
    "span",
    "span_start",
    "span_end",
    "metric",
    "step",
    "mean",
    "sd",
    "ci95_low",
    "ci95_high",
    "p05",
    "p50",
    "p95",
];

/// A stretch of consecutive periods that is totalled: a calendar year, the
/// whole run, or (for cumulative differences) the periods up to one.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    /// The calendar year (`"2014"`) or [`WHOLE_RUN`].
    pub label: String,
    /// First day of its first period.
    pub start: NaiveDate,
    /// Exclusive end of its last period.
    pub end: NaiveDate,
    /// Its periods (0-based).
    pub periods: Range<usize>,
}

impl Span {
    /// Whether this is the whole run.
    pub fn is_whole_run(&self) -> bool {
        self.label == WHOLE_RUN
    }
}

/// The calendar years of `periods` (a period counts in the year it starts)
/// followed by the whole run.
pub fn spans(periods: &[PeriodInfo]) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    for (k, p) in periods.iter().enumerate() {
        let label = p.start.year().to_string();
        match out.last_mut() {
            Some(s) if s.label == label => {
                s.end = p.end;
                s.periods.end = k + 1;
            }
            _ => out.push(Span {
                label,
                start: p.start,
                end: p.end,
                periods: k..k + 1,
            }),
        }
    }
    if let (Some(first), Some(last)) = (periods.first(), periods.last()) {
        out.push(Span {
            label: WHOLE_RUN.into(),
            start: first.start,
            end: last.end,
            periods: 0..periods.len(),
        });
    }
    out
}

/// The periods 1..=k of the run for every k: what cumulative sums run over.
pub fn cumulative_spans(periods: &[PeriodInfo]) -> Vec<Span> {
    periods
        .iter()
        .enumerate()
        .map(|(k, p)| Span {
            label: p.index.to_string(),
            start: periods[0].start,
            end: p.end,
            periods: 0..k + 1,
        })
        .collect()
}

/// How a metric is totalled over a span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    /// Added up.
    Sum,
    /// Weighted mean of the periods' values with the given weight.
    Weighted(Weight),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Weight {
    PlacedChildYears,
    CompletedFollowUps,
    PeriodLength,
}

fn rule(metric: Metric) -> Option<Rule> {
    match metric {
        Metric::CountEnd
        | Metric::CountStart
        | Metric::BreakdownRate
        | Metric::AssessmentWeeks
        | Metric::WaitingEnd => None,
        Metric::PlacementShare => Some(Rule::Weighted(Weight::PlacedChildYears)),
        Metric::FollowUpDelayWeeks => Some(Rule::Weighted(Weight::CompletedFollowUps)),
        Metric::CaseloadMean | Metric::PointsMean => Some(Rule::Weighted(Weight::PeriodLength)),
        _ => Some(Rule::Sum),
    }
}

/// Whether `metric` has a total over a span (see the module notes).
pub fn has_total(metric: Metric) -> bool {
    rule(metric).is_some()
}

/// Whether `metric`'s total is a sum of the periods' values (counts,
/// child-years, costs), so its running sum over periods is meaningful.
pub fn is_summed(metric: Metric) -> bool {
    rule(metric) == Some(Rule::Sum)
}

/// Layout rows of `results` that have a total, as (layout index, key).
pub fn total_rows(results: &Results) -> Vec<(usize, RowKey)> {
    results
        .layout
        .rows
        .iter()
        .enumerate()
        .filter(|(_, r)| has_total(r.metric))
        .map(|(j, r)| {
            (
                j,
                RowKey {
                    metric: r.metric,
                    step: r.step_name.clone(),
                },
            )
        })
        .collect()
}

/// Replication `r`'s total of layout row `row` over `span`.
pub fn replication_total(results: &Results, r: usize, span: &Span, row: usize) -> f64 {
    let metric = results.layout.rows[row].metric;
    let value = |k: usize| results.value(r, k, row);
    match rule(metric) {
        None | Some(Rule::Sum) => span.periods.clone().map(value).sum(),
        Some(Rule::Weighted(w)) => {
            let weight = |k: usize| match w {
                Weight::PlacedChildYears => {
                    let j = results.layout.start(Metric::PlacedChildYears);
                    results.value(r, k, j)
                }
                Weight::CompletedFollowUps => {
                    let first = results.layout.start(Metric::FollowUps);
                    (first..)
                        .take_while(|&j| {
                            results
                                .layout
                                .rows
                                .get(j)
                                .is_some_and(|x| x.metric == Metric::FollowUps)
                        })
                        .map(|j| results.value(r, k, j))
                        .sum()
                }
                Weight::PeriodLength => {
                    let p = &results.periods[k];
                    (p.end - p.start).num_days() as f64
                }
            };
            let (num, den) = span.periods.clone().fold((0.0, 0.0), |(n, d), k| {
                let w = weight(k);
                (n + w * value(k), d + w)
            });
            if den > 0.0 { num / den } else { 0.0 }
        }
    }
}

/// Every replication's total of layout row `row` over `span`.
pub fn span_column(results: &Results, span: &Span, row: usize) -> Vec<f64> {
    (0..results.replications())
        .map(|r| replication_total(results, r, span, row))
        .collect()
}

/// Summaries over replications of every metric's total over every span:
/// the content of `totals.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Totals {
    /// The calendar years, then the whole run.
    pub spans: Vec<Span>,
    /// The rows of each span, in output order.
    pub rows: Vec<RowKey>,
    /// Span-major summaries: span *s*, row *j* at `s × rows + j`.
    pub values: Vec<Summary>,
}

impl Totals {
    /// Totals of simulated results.
    pub fn from_results(results: &Results) -> Self {
        let spans = spans(&results.periods);
        let rows = total_rows(results);
        let n = results.replications();
        let t = if n > 1 { t975(n - 1) } else { f64::NAN };
        let values = spans
            .iter()
            .flat_map(|s| rows.iter().map(move |(j, _)| (s, *j)))
            .map(|(s, j)| summarize(&span_column(results, s, j), t))
            .collect();
        Self {
            spans,
            rows: rows.into_iter().map(|(_, k)| k).collect(),
            values,
        }
    }

    /// The summary of `metric`/`step` over span `span` (index into `spans`).
    pub fn get(&self, metric: Metric, step: &str, span: usize) -> Option<&Summary> {
        let row = self
            .rows
            .iter()
            .position(|r| r.metric == metric && r.step == step)?;
        self.values.get(span * self.rows.len() + row)
    }

    /// Index of the whole-run span.
    pub fn whole_run(&self) -> usize {
        self.spans.len().saturating_sub(1)
    }

    /// Write `totals.csv`.
    pub fn write(&self, path: &Path) -> io::Result<()> {
        let mut w = csv_writer(path)?;
        w.write_record(TOTALS_HEADER)?;
        for (i, s) in self.values.iter().enumerate() {
            let span = &self.spans[i / self.rows.len()];
            let row = &self.rows[i % self.rows.len()];
            let mut record = vec![
                span.label.clone(),
                span.start.to_string(),
                span.end.to_string(),
                row.metric.name().to_string(),
                row.step.clone(),
            ];
            record.extend(summary_cells(s));
            w.write_record(&record)?;
        }
        finish_csv(w)
    }

    /// Read a `totals.csv` written by [`Totals::write`]; `periods` are the
    /// run's periods (from `summary.csv`), which give each span its periods.
    pub fn read(path: &Path, periods: &[PeriodInfo]) -> Result<Self, ReadError> {
        let content = |line: u64, message: String| content_error(path, line, message);
        let spans = spans(periods);
        let mut rows: Vec<RowKey> = Vec::new();
        let mut values = Vec::new();
        for record in read_records(path, &TOTALS_HEADER)? {
            let (line, record) = record?;
            let field = |c: usize| record.get(c).unwrap_or("");
            let metric = Metric::from_name(field(3))
                .ok_or_else(|| content(line, format!("unknown metric '{}'", field(3))))?;
            let key = RowKey {
                metric,
                step: field(4).to_owned(),
            };
            if values.len() == rows.len() && spans.first().is_some_and(|s| s.label == field(0)) {
                rows.push(key);
            } else if rows.get(values.len() % rows.len().max(1)) != Some(&key) {
                return Err(content(
                    line,
                    "rows differ from the first span's rows".into(),
                ));
            }
            let span = values.len() / rows.len().max(1);
            if spans.get(span).map(|s| s.label.as_str()) != Some(field(0)) {
                return Err(content(
                    line,
                    format!("span '{}' does not match summary.csv's periods", field(0)),
                ));
            }
            values.push(summary_at(&record, 5).map_err(|m| content(line, m))?);
        }
        if rows.is_empty() || values.len() != spans.len() * rows.len() {
            return Err(content(1, "incomplete totals (a span cut short)".into()));
        }
        Ok(Self {
            spans,
            rows,
            values,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, 1).unwrap()
    }

    fn quarters(from: NaiveDate, n: usize) -> Vec<PeriodInfo> {
        super::super::calendar::period_dates(from, 3, n as f64 / 4.0, n)
            .into_iter()
            .enumerate()
            .map(|(k, (start, end))| PeriodInfo {
                index: k + 1,
                start,
                end,
            })
            .collect()
    }

    #[test]
    fn a_partial_year_is_its_own_span() {
        let s = spans(&quarters(d(2013, 7), 6));
        let labels: Vec<&str> = s.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["2013", "2014", "total"]);
        assert_eq!(s[0].periods, 0..2);
        assert_eq!(s[1].periods, 2..6);
        assert_eq!((s[1].start, s[1].end), (d(2014, 1), d(2015, 1)));
        assert_eq!(s[2].periods, 0..6);
    }

    #[test]
    fn cumulative_spans_grow_by_one_period() {
        let c = cumulative_spans(&quarters(d(2013, 1), 3));
        assert_eq!(c[2].periods, 0..3);
        assert_eq!(c[0].start, c[2].start);
    }
}
