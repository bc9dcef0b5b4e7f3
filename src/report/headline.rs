//! The headline numbers of a run or comparison — total cost, unmet need
//! beside it, placed child-years, the top placement rung's share and
//! breakdowns, per period —
//! and how each is written. The terminal tables and the HTML report use the
//! same list, so they always agree.

use std::fmt::Write;

use crate::compare::{Comparison, ComparisonTotals};
use crate::format::Numbers;
use crate::language::Language;
use crate::metrics::Metric;
use crate::results::PeriodInfo;
use crate::results::read::RunSummary;
use crate::results::stats::Proportion;
use crate::results::totals::Span;
use crate::scenario::Scenario;

/// How a headline value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An amount in the scenario's currency, whole units with separators.
    Money,
    /// Child-years, one decimal.
    ChildYears,
    /// A fraction shown as a percentage (differences in percentage points).
    Share,
    /// A count (a mean over replications, so one decimal).
    Count,
}

impl Kind {
    /// A value in `lang`: `12,773,206`, `17.3`, `25.0 %`.
    pub fn value(self, lang: Language, x: f64) -> String {
        let n: Numbers = lang.numbers();
        let x = x + 0.0; // no "-0"
        match self {
            Kind::Money => n.thousands(x),
            Kind::ChildYears | Kind::Count => n.decimals(x, 1),
            Kind::Share => n.percent(x, 1),
        }
    }

    /// A difference in `lang`, always signed: `+126,794`, `-0.4`,
    /// `-11.9 pp`.
    pub fn difference(self, lang: Language, x: f64) -> String {
        let n = lang.numbers();
        let body = match self {
            Kind::Money => n.thousands(x.abs()),
            Kind::ChildYears | Kind::Count => n.decimals(x.abs(), 2),
            Kind::Share => format!(
                "{} {}",
                n.decimals(x.abs() * 100.0, 1),
                lang.words().headline.percentage_points
            ),
        };
        let zero = body.chars().all(|c| !c.is_ascii_digit() || c == '0');
        let sign = if zero {
            "±"
        } else if x < 0.0 {
            "-"
        } else {
            "+"
        };
        format!("{sign}{body}")
    }
}

/// One headline metric.
#[derive(Debug, Clone, PartialEq)]
pub struct HeadlineMetric {
    /// Title with unit, e.g. "Total cost (DKK per quarter)".
    pub title: String,
    /// Title of its total over a calendar year or the whole run, e.g.
    /// "Total cost (DKK)".
    pub total_title: String,
    /// The metric.
    pub metric: Metric,
    /// Its `step` (`""` for team-wide).
    pub step: String,
    /// How values are written.
    pub kind: Kind,
    /// The language of the titles and values.
    pub lang: Language,
}

impl HeadlineMetric {
    /// A value of this metric, written in its language.
    pub fn value(&self, x: f64) -> String {
        self.kind.value(self.lang, x)
    }

    /// A signed difference of this metric, written in its language.
    pub fn difference(&self, x: f64) -> String {
        self.kind.difference(self.lang, x)
    }

    /// A 95 % CI of this metric, `[a, b]` (Danish `[a; b]`).
    pub fn value_ci(&self, low: f64, high: f64) -> String {
        let n = self.lang.numbers();
        n.interval(&self.value(low), &self.value(high))
    }

    /// A 95 % CI of a difference of this metric, signed.
    pub fn difference_ci(&self, low: f64, high: f64) -> String {
        let n = self.lang.numbers();
        n.interval(&self.difference(low), &self.difference(high))
    }
}

/// The headline metrics for a scenario's ladder and currency, titled in
/// `lang` with their units ("per quarter", the currency, child-years).
pub fn headline_metrics(scenario: &Scenario, lang: Language) -> Vec<HeadlineMetric> {
    let s = scenario.settings();
    let w = &lang.words().headline;
    let per = s.period.per(lang);
    let cur = lang.currency(&s.currency);
    let unit = lang.words().welfare.child_years;
    let mut out = vec![
        HeadlineMetric {
            title: format!("{} ({cur} {per})", w.total_cost),
            total_title: format!("{} ({cur})", w.total_cost),
            metric: Metric::Cost,
            step: "total".into(),
            kind: Kind::Money,
            lang,
        },
        HeadlineMetric {
            title: format!("{} ({unit} {per})", lang.words().welfare.unmet_need),
            total_title: format!("{} ({unit})", lang.words().welfare.unmet_need),
            metric: Metric::UnmetNeedChildYears,
            step: "total".into(),
            kind: Kind::ChildYears,
            lang,
        },
        HeadlineMetric {
            title: format!("{} ({per})", w.placed_child_years),
            total_title: w.placed_child_years.into(),
            metric: Metric::PlacedChildYears,
            step: String::new(),
            kind: Kind::ChildYears,
            lang,
        },
    ];
    if let Some(top) = scenario.params.steps.iter().rev().find(|r| r.placement) {
        let title = (w.top_share)(&lang.rung_name(&top.id, &top.label));
        out.push(HeadlineMetric {
            total_title: title.clone(),
            title,
            metric: Metric::PlacementShare,
            step: top.id.clone(),
            kind: Kind::Share,
            lang,
        });
    }
    out.push(HeadlineMetric {
        title: format!("{} ({per})", w.breakdowns),
        total_title: w.breakdowns.into(),
        metric: Metric::Breakdowns,
        step: String::new(),
        kind: Kind::Count,
        lang,
    });
    out.extend(capacity_headlines(scenario, lang));
    out
}

/// Placement capacity's headlines, for a scenario with places: per rung
/// with places, the time children spend waiting for it and the diverted
/// decisions, then what waiting costs (all rungs): the budget spent on
/// children placed above the rung they wait for, so a planner sees what
/// the shortage costs.
fn capacity_headlines(scenario: &Scenario, lang: Language) -> Vec<HeadlineMetric> {
    let p = &scenario.params;
    let s = scenario.settings();
    let w = &lang.words().capacity;
    let per = s.period.per(lang);
    let mut out = Vec::new();
    for &r in &p.capacity_rungs {
        let rung = &p.steps[r];
        let name = lang.rung_name(&rung.id, &rung.label);
        out.push(HeadlineMetric {
            title: format!("{} ({per})", (w.waiting_for)(&name)),
            total_title: (w.waiting_for)(&name),
            metric: Metric::WaitingChildYears,
            step: rung.id.clone(),
            kind: Kind::ChildYears,
            lang,
        });
        out.push(HeadlineMetric {
            title: format!("{} ({per})", (w.diverted)(&name)),
            total_title: (w.diverted)(&name),
            metric: Metric::Diverted,
            step: rung.id.clone(),
            kind: Kind::Count,
            lang,
        });
    }
    if !p.capacity_rungs.is_empty() {
        let cur = lang.currency(&s.currency);
        out.push(HeadlineMetric {
            title: format!("{} ({cur} {per})", w.waiting_cost),
            total_title: format!("{} ({cur})", w.waiting_cost),
            metric: Metric::WaitingCost,
            step: "total".into(),
            kind: Kind::Money,
            lang,
        });
    }
    out
}

/// A span as a row label: the year, or "Whole run (2013-01-01 –
/// 2015-01-01)" (in Danish with Danish dates).
pub fn span_label(span: &Span, lang: Language) -> String {
    if span.is_whole_run() {
        let (from, to) = match lang {
            Language::English => (span.start.to_string(), span.end.to_string()),
            Language::Danish => (
                lang.date(span.start),
                lang.date(span.end.pred_opt().unwrap_or(span.end)),
            ),
        };
        format!("{} ({from} – {to})", lang.words().totals.whole_run)
    } else {
        span.label.clone()
    }
}

/// A period as a row label: "2014-01-01 – 2014-04-01" in English (ISO
/// dates, the end exclusive as in the CSV files), "1. jan. 2014 – 31. mar.
/// 2014" in Danish (the last day included, as Danish tables write it).
pub fn period_label(p: &PeriodInfo, lang: Language) -> String {
    match lang {
        Language::English => format!("{} – {}", p.start, p.end),
        Language::Danish => format!(
            "{} – {}",
            lang.date(p.start),
            lang.date(p.end.pred_opt().unwrap_or(p.end))
        ),
    }
}

/// The break-even of a comparison's alternative in words.
pub fn break_even_text(
    totals: &ComparisonTotals,
    periods: &[PeriodInfo],
    alt: usize,
    lang: Language,
) -> String {
    let w = &lang.words().totals;
    match totals.break_even(alt) {
        None => w.no_break_even.into(),
        Some(0) => w.from_the_start.into(),
        Some(k) => format!(
            "{} {} ({})",
            w.period,
            periods[k].index,
            period_label(&periods[k], lang)
        ),
    }
}

/// A probability with its interval: "85.0 % [79.4 %, 89.3 %]".
pub fn probability_text(p: &Proportion, lang: Language) -> String {
    let n = lang.numbers();
    format!(
        "{} {}",
        n.percent(p.share, 1),
        n.interval(&n.percent(p.ci95_low, 1), &n.percent(p.ci95_high, 1))
    )
}

/// A run as a terminal table in the scenario's language: for every
/// headline metric, per period, the mean with its 95 % CI (the same list
/// and wording as the report).
pub fn run_text(run: &RunSummary) -> String {
    let lang = run.scenario.language();
    let w = &lang.words().headline;
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{} — {} {}, {}",
        run.scenario.name(),
        run.replications,
        w.replications,
        w.mean_ci
    );
    let width = period_width(&run.table.periods, lang);
    for h in headline_metrics(&run.scenario, lang) {
        let _ = writeln!(o, "  {}", h.title);
        let _ = writeln!(o, "    {:<width$}  {}", w.period, w.mean_ci);
        for (k, p) in run.table.periods.iter().enumerate() {
            let Some(s) = run.table.get(h.metric, &h.step, k) else {
                continue;
            };
            let _ = writeln!(
                o,
                "    {:<width$}  {} {}",
                period_label(p, lang),
                h.value(s.mean),
                h.value_ci(s.ci95_low, s.ci95_high),
            );
        }
    }
    if let Some(totals) = &run.totals {
        let _ = writeln!(o, "{}", lang.words().totals.run_heading);
        let width = span_width(&totals.spans, lang);
        for h in headline_metrics(&run.scenario, lang) {
            let _ = writeln!(o, "  {}", h.total_title);
            for (i, span) in totals.spans.iter().enumerate() {
                let Some(s) = totals.get(h.metric, &h.step, i) else {
                    continue;
                };
                let _ = writeln!(
                    o,
                    "    {:<width$}  {} {}",
                    span_label(span, lang),
                    h.value(s.mean),
                    h.value_ci(s.ci95_low, s.ci95_high),
                );
            }
        }
    }
    o
}

/// The width of the period column: 23 characters in English (two ISO
/// dates), wider for Danish dates.
fn period_width(periods: &[PeriodInfo], lang: Language) -> usize {
    periods
        .iter()
        .map(|p| period_label(p, lang).chars().count())
        .max()
        .unwrap_or(0)
        .max(23)
}

/// The width of the span column: 40 characters, or the longest label.
fn span_width(spans: &[Span], lang: Language) -> usize {
    spans
        .iter()
        .map(|s| span_label(s, lang).chars().count())
        .max()
        .unwrap_or(0)
        .max(40)
}

/// The comparison as a terminal table in the base scenario's language: for
/// every alternative and headline metric, per period, base, alternative,
/// and the paired difference with its 95 % CI.
pub fn comparison_text(c: &Comparison) -> String {
    let mut o = String::new();
    let base = &c.runs[0];
    let lang = base.scenario.language();
    let w = &lang.words().headline;
    let _ = writeln!(o, "{}", (w.compare_lead)(c.replications, c.seed));
    let _ = writeln!(o, "{}: {}", w.base_role, base.scenario.name());
    let width = period_width(&c.periods, lang);
    for (i, alt) in c.runs.iter().enumerate().skip(1) {
        let _ = writeln!(o, "\n{}: {}", w.alternative_role, alt.scenario.name());
        for h in headline_metrics(&base.scenario, lang) {
            let _ = writeln!(o, "  {}", h.title);
            let _ = writeln!(
                o,
                "    {:<width$}  {:>14}  {:>14}  {}",
                w.period, w.base, w.alternative, w.difference_ci
            );
            for (k, p) in c.periods.iter().enumerate() {
                let (Some(b), Some(a)) = (
                    c.get(0, h.metric, &h.step, k),
                    c.get(i, h.metric, &h.step, k),
                ) else {
                    continue;
                };
                let d = &a.diff;
                let _ = writeln!(
                    o,
                    "    {:<width$}  {:>14}  {:>14}  {} {}",
                    period_label(p, lang),
                    h.value(b.mean),
                    h.value(a.mean),
                    h.difference(d.mean),
                    h.difference_ci(d.ci95_low, d.ci95_high),
                );
            }
        }
        if let Some(totals) = &c.totals {
            totals_text(&mut o, c, totals, i);
        }
    }
    o
}

/// An alternative's totals: per year and whole run, the break-even and the
/// probability of savings.
fn totals_text(o: &mut String, c: &Comparison, totals: &ComparisonTotals, alt: usize) {
    let lang = c.runs[0].scenario.language();
    let (w, t) = (&lang.words().headline, &lang.words().totals);
    let _ = writeln!(o, "  {}", t.compare_heading);
    let width = span_width(&totals.spans, lang);
    for h in headline_metrics(&c.runs[0].scenario, lang) {
        let _ = writeln!(o, "  {}", h.total_title);
        let _ = writeln!(
            o,
            "    {:<width$}  {:>14}  {:>14}  {}",
            t.span, w.base, w.alternative, w.difference_ci
        );
        for (i, span) in totals.spans.iter().enumerate() {
            let (Some(b), Some(a)) = (
                totals.get(0, h.metric, &h.step, i),
                totals.get(alt, h.metric, &h.step, i),
            ) else {
                continue;
            };
            let d = &a.diff;
            let _ = writeln!(
                o,
                "    {:<width$}  {:>14}  {:>14}  {} {}",
                span_label(span, lang),
                h.value(b.mean),
                h.value(a.mean),
                h.difference(d.mean),
                h.difference_ci(d.ci95_low, d.ci95_high),
            );
        }
    }
    let _ = writeln!(
        o,
        "  {}: {}",
        t.break_even,
        break_even_text(totals, &c.periods, alt, lang)
    );
    if let Some(p) = totals.probability_of_savings(alt) {
        let _ = writeln!(
            o,
            "  {}: {} ({})",
            t.probability_of_savings,
            probability_text(&p, lang),
            t.probability_note
        );
    }
}

#[cfg(test)]
mod tests {
    use super::Kind;
    use crate::language::Language::{Danish, English};

    #[test]
    fn differences_are_signed() {
        assert_eq!(Kind::Money.difference(English, -126_794.4), "-126,794");
        assert_eq!(Kind::Money.difference(English, 5.0), "+5");
        assert_eq!(Kind::Money.difference(English, 0.0), "±0");
        assert_eq!(Kind::Share.difference(English, -0.119), "-11.9 pp");
        assert_eq!(Kind::Count.difference(English, 0.001), "±0.00");
        assert_eq!(Kind::ChildYears.difference(English, -0.123), "-0.12");
        assert_eq!(Kind::Share.value(English, 0.25), "25.0 %");
    }

    #[test]
    fn danish_values() {
        assert_eq!(Kind::Money.difference(Danish, -126_794.4), "-126.794");
        assert_eq!(Kind::Money.value(Danish, 1_234_567.0), "1.234.567");
        assert_eq!(Kind::Share.value(Danish, 0.125), "12,5\u{a0}%");
        assert_eq!(Kind::Share.difference(Danish, -0.119), "-11,9 pct.-point");
        assert_eq!(Kind::ChildYears.value(Danish, 17.25), "17,2");
    }
}
