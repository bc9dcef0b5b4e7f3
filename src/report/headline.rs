//! The headline numbers of a run or comparison — total cost, unmet need
//! beside it, placed child-years, the top placement rung's share and
//! breakdowns, per period —
//! and how each is written. The terminal tables and the HTML report use the
//! same list, so they always agree.

use std::fmt::Write;

use crate::compare::{Comparison, ComparisonTotals};
use crate::format::ENGLISH;
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
    /// A value: `12,773,206`, `17.3`, `25.0 %`.
    pub fn value(self, x: f64) -> String {
        let x = x + 0.0; // no "-0"
        match self {
            Kind::Money => ENGLISH.thousands(x),
            Kind::ChildYears | Kind::Count => ENGLISH.decimals(x, 1),
            Kind::Share => ENGLISH.percent(x, 1),
        }
    }

    /// A difference, always signed: `+126,794`, `-0.4`, `-11.9 pp`.
    pub fn difference(self, x: f64) -> String {
        let body = match self {
            Kind::Money => ENGLISH.thousands(x.abs()),
            Kind::ChildYears | Kind::Count => ENGLISH.decimals(x.abs(), 2),
            Kind::Share => format!("{} pp", ENGLISH.decimals(x.abs() * 100.0, 1)),
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
}

/// The headline metrics for a scenario's ladder and currency.
pub fn headline_metrics(scenario: &Scenario) -> Vec<HeadlineMetric> {
    let s = scenario.settings();
    let period = match s.period {
        crate::scenario::Period::Year => "year",
        crate::scenario::Period::Quarter => "quarter",
        crate::scenario::Period::Month => "month",
    };
    let mut out = vec![
        HeadlineMetric {
            title: format!("Total cost ({} per {period})", s.currency),
            total_title: format!("Total cost ({})", s.currency),
            metric: Metric::Cost,
            step: "total".into(),
            kind: Kind::Money,
        },
        HeadlineMetric {
            title: format!(
                "{} ({} {} {period})",
                welfare_words::UNMET_NEED,
                welfare_words::CHILD_YEARS,
                welfare_words::PER
            ),
            total_title: format!(
                "{} ({})",
                welfare_words::UNMET_NEED,
                welfare_words::CHILD_YEARS
            ),
            metric: Metric::UnmetNeedChildYears,
            step: "total".into(),
            kind: Kind::ChildYears,
        },
        HeadlineMetric {
            title: format!("Placed child-years (per {period})"),
            total_title: "Placed child-years".into(),
            metric: Metric::PlacedChildYears,
            step: String::new(),
            kind: Kind::ChildYears,
        },
    ];
    if let Some(top) = scenario.params.steps.iter().rev().find(|r| r.placement) {
        let title = format!(
            "{} share of placed child-years",
            crate::plots::style::capitalise(&top.id.replace('_', " "))
        );
        out.push(HeadlineMetric {
            total_title: title.clone(),
            title,
            metric: Metric::PlacementShare,
            step: top.id.clone(),
            kind: Kind::Share,
        });
    }
    out.push(HeadlineMetric {
        title: format!("Placement breakdowns (per {period})"),
        total_title: "Placement breakdowns".into(),
        metric: Metric::Breakdowns,
        step: String::new(),
        kind: Kind::Count,
    });
    out.extend(capacity_headlines(scenario, period));
    out
}

/// Placement capacity's headlines, for a scenario with places: per rung
/// with places, the time children spend waiting for it and the diverted
/// decisions, then what waiting costs (all rungs): the budget spent on
/// children placed above the rung they wait for, so a planner sees what
/// the shortage costs.
fn capacity_headlines(scenario: &Scenario, period: &str) -> Vec<HeadlineMetric> {
    let p = &scenario.params;
    let mut out = Vec::new();
    for &r in &p.capacity_rungs {
        let id = &p.steps[r].id;
        let name = id.replace('_', " ");
        out.push(HeadlineMetric {
            title: format!("Child-years waiting for {name} (per {period})"),
            total_title: format!("Child-years waiting for {name}"),
            metric: Metric::WaitingChildYears,
            step: id.clone(),
            kind: Kind::ChildYears,
        });
        out.push(HeadlineMetric {
            title: format!("Diverted placements, {name} full (per {period})"),
            total_title: format!("Diverted placements, {name} full"),
            metric: Metric::Diverted,
            step: id.clone(),
            kind: Kind::Count,
        });
    }
    if !p.capacity_rungs.is_empty() {
        let currency = &scenario.settings().currency;
        out.push(HeadlineMetric {
            title: format!("{} ({currency} per {period})", capacity_words::WAITING_COST),
            total_title: format!("{} ({currency})", capacity_words::WAITING_COST),
            metric: Metric::WaitingCost,
            step: "total".into(),
            kind: Kind::Money,
        });
    }
    out
}

/// The words of placement capacity wherever they are shown.
pub mod capacity_words {
    /// The cost of waiting, before its unit.
    pub const WAITING_COST: &str =
        "Cost of waiting: spent on children placed above the rung they wait for";
}

/// The words of the welfare metrics wherever they are shown beside cost
/// (headline, paired answers, sweep and report figures), in one place for
/// translation.
pub mod welfare_words {
    /// Headline title of unmet need (all rungs), before its unit.
    pub const UNMET_NEED: &str = "Unmet need, all rungs";
    /// The unit of unmet need.
    pub const CHILD_YEARS: &str = "child-years";
    /// "per" before a period name.
    pub const PER: &str = "per";
    /// Paired answer: the alternative costs less.
    pub const SAVES_MONEY: &str = "saves money";
    /// Paired answer: less time in `needs_more`.
    pub const REDUCES_UNMET_NEED: &str = "reduces unmet need";
    /// Paired answer: fewer breakdowns.
    pub const REDUCES_BREAKDOWNS: &str = "reduces breakdowns";
    /// Paired answer: fewer crises.
    pub const REDUCES_CRISES: &str = "reduces crises (unmet need turning acute)";
    /// Paired answer: fewer placed child-years.
    pub const REDUCES_PLACED: &str = "reduces placed child-years";
    /// The cost-versus-unmet-need view, before its four shares.
    pub const COST_AND_NEED: &str = "Cost and unmet need together, whole run";
    /// Quadrant: cheaper and less unmet need.
    pub const CHEAPER_LESS_NEED: &str = "cheaper with less unmet need";
    /// Quadrant: cheaper, unmet need not reduced (the saving has a welfare
    /// price).
    pub const CHEAPER_MORE_NEED: &str = "cheaper, unmet need not reduced";
    /// Quadrant: not cheaper, unmet need reduced.
    pub const DEARER_LESS_NEED: &str = "not cheaper, unmet need reduced";
    /// Quadrant: better on neither.
    pub const DEARER_MORE_NEED: &str = "better on neither";
    /// "in" before a share.
    pub const IN: &str = "in";
}

/// The words of the totals in the terminal tables, the report and the
/// workbook, in one place.
pub mod totals_words {
    /// Heading of the totals of a run.
    pub const RUN_HEADING: &str =
        "Totals per calendar year and for the whole run: mean [95 % CI] of each replication's sum";
    /// Heading of the totals of a comparison.
    pub const COMPARE_HEADING: &str = "Totals per calendar year and for the whole run: difference = alternative − base, mean [95 % CI] of the paired per-replication sums";
    /// The whole run, as a row label.
    pub const WHOLE_RUN: &str = "Whole run";
    /// Column header of spans.
    pub const SPAN: &str = "year";
    /// The probability of savings, before its value.
    pub const PROBABILITY_OF_SAVINGS: &str =
        "Probability the alternative costs less over the whole run";
    /// Break-even, before the period.
    pub const BREAK_EVEN: &str = "Break-even (cumulative total cost difference ≤ 0 from then on)";
    /// No break-even within the run.
    pub const NO_BREAK_EVEN: &str = "not within the run";
    /// The break-even is the first period.
    pub const FROM_THE_START: &str = "from the first period";
    /// The report's "At a glance" lead for a run.
    pub const RUN_GLANCE: &str = "Totals per calendar year and for the whole run: the mean over replications of each replication's sum, with its 95 % confidence interval. Shares are over the span's placed child-years.";
    /// The report's "At a glance" lead for an alternative (after its name).
    pub const COMPARE_GLANCE: &str = "minus the base, totalled per calendar year and over the whole run: the mean of the paired per-replication differences with its 95 % confidence interval.";
    /// Label of the probability-of-savings fact.
    pub const SAVINGS_FACT: &str = "Probability of lower total cost over the whole run";
    /// Label of the break-even fact.
    pub const BREAK_EVEN_FACT: &str = "Break-even period";
    /// Under the break-even fact.
    pub const BREAK_EVEN_NOTE: &str = "cumulative total cost difference ≤ 0 from then on";
    /// Note on shares and the 95 % interval of a probability.
    pub const PROBABILITY_NOTE: &str =
        "share of replications with a negative paired difference, Wilson 95 % interval";
}

/// A span as a row label: the year, or "Whole run (2013-01-01 – 2015-01-01)".
pub fn span_label(span: &Span) -> String {
    if span.is_whole_run() {
        format!(
            "{} ({} – {})",
            totals_words::WHOLE_RUN,
            span.start,
            span.end
        )
    } else {
        span.label.clone()
    }
}

/// A period as a row label: "2014-01-01 – 2014-04-01".
pub fn period_label(p: &PeriodInfo) -> String {
    format!("{} – {}", p.start, p.end)
}

/// The break-even of a comparison's alternative in words.
pub fn break_even_text(totals: &ComparisonTotals, periods: &[PeriodInfo], alt: usize) -> String {
    match totals.break_even(alt) {
        None => totals_words::NO_BREAK_EVEN.into(),
        Some(0) => totals_words::FROM_THE_START.into(),
        Some(k) => format!(
            "period {} ({})",
            periods[k].index,
            period_label(&periods[k])
        ),
    }
}

/// A probability with its interval: "85.0 % [79.4 %, 89.3 %]".
pub fn probability_text(p: &Proportion) -> String {
    format!(
        "{} [{}, {}]",
        ENGLISH.percent(p.share, 1),
        ENGLISH.percent(p.ci95_low, 1),
        ENGLISH.percent(p.ci95_high, 1)
    )
}

/// A run as a terminal table: for every headline metric, per period, the
/// mean with its 95 % CI (the same list and wording as the report).
pub fn run_text(run: &RunSummary) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{} — {} replications, mean [95 % CI]",
        run.scenario.name(),
        run.replications
    );
    for h in headline_metrics(&run.scenario) {
        let _ = writeln!(o, "  {}", h.title);
        let _ = writeln!(o, "    {:<23}  mean [95 % CI]", "period");
        for (k, p) in run.table.periods.iter().enumerate() {
            let Some(s) = run.table.get(h.metric, &h.step, k) else {
                continue;
            };
            let _ = writeln!(
                o,
                "    {:<23}  {} [{}, {}]",
                format!("{} – {}", p.start, p.end),
                h.kind.value(s.mean),
                h.kind.value(s.ci95_low),
                h.kind.value(s.ci95_high),
            );
        }
    }
    if let Some(totals) = &run.totals {
        let _ = writeln!(o, "{}", totals_words::RUN_HEADING);
        for h in headline_metrics(&run.scenario) {
            let _ = writeln!(o, "  {}", h.total_title);
            for (i, span) in totals.spans.iter().enumerate() {
                let Some(s) = totals.get(h.metric, &h.step, i) else {
                    continue;
                };
                let _ = writeln!(
                    o,
                    "    {:<40}  {} [{}, {}]",
                    span_label(span),
                    h.kind.value(s.mean),
                    h.kind.value(s.ci95_low),
                    h.kind.value(s.ci95_high),
                );
            }
        }
    }
    o
}

/// The comparison as a terminal table: for every alternative and headline
/// metric, per period, base, alternative, and the paired difference with
/// its 95 % CI.
pub fn comparison_text(c: &Comparison) -> String {
    let mut o = String::new();
    let base = &c.runs[0];
    let _ = writeln!(
        o,
        "{} replications per scenario, seed {}, common random numbers; difference = alternative − base, mean [95 % CI] of the paired differences",
        c.replications, c.seed
    );
    let _ = writeln!(o, "Base: {}", base.scenario.name());
    for (i, alt) in c.runs.iter().enumerate().skip(1) {
        let _ = writeln!(o, "\nAlternative: {}", alt.scenario.name());
        for h in headline_metrics(&base.scenario) {
            let _ = writeln!(o, "  {}", h.title);
            let _ = writeln!(
                o,
                "    {:<23}  {:>14}  {:>14}  difference [95 % CI]",
                "period", "base", "alternative"
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
                    "    {:<23}  {:>14}  {:>14}  {} [{}, {}]",
                    format!("{} – {}", p.start, p.end),
                    h.kind.value(b.mean),
                    h.kind.value(a.mean),
                    h.kind.difference(d.mean),
                    h.kind.difference(d.ci95_low),
                    h.kind.difference(d.ci95_high),
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
    let _ = writeln!(o, "  {}", totals_words::COMPARE_HEADING);
    for h in headline_metrics(&c.runs[0].scenario) {
        let _ = writeln!(o, "  {}", h.total_title);
        let _ = writeln!(
            o,
            "    {:<40}  {:>14}  {:>14}  difference [95 % CI]",
            totals_words::SPAN,
            "base",
            "alternative"
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
                "    {:<40}  {:>14}  {:>14}  {} [{}, {}]",
                span_label(span),
                h.kind.value(b.mean),
                h.kind.value(a.mean),
                h.kind.difference(d.mean),
                h.kind.difference(d.ci95_low),
                h.kind.difference(d.ci95_high),
            );
        }
    }
    let _ = writeln!(
        o,
        "  {}: {}",
        totals_words::BREAK_EVEN,
        break_even_text(totals, &c.periods, alt)
    );
    if let Some(p) = totals.probability_of_savings(alt) {
        let _ = writeln!(
            o,
            "  {}: {} ({})",
            totals_words::PROBABILITY_OF_SAVINGS,
            probability_text(&p),
            totals_words::PROBABILITY_NOTE
        );
    }
}

#[cfg(test)]
mod tests {
    use super::Kind;

    #[test]
    fn differences_are_signed() {
        assert_eq!(Kind::Money.difference(-126_794.4), "-126,794");
        assert_eq!(Kind::Money.difference(5.0), "+5");
        assert_eq!(Kind::Money.difference(0.0), "±0");
        assert_eq!(Kind::Share.difference(-0.119), "-11.9 pp");
        assert_eq!(Kind::Count.difference(0.001), "±0.00");
        assert_eq!(Kind::ChildYears.difference(-0.123), "-0.12");
        assert_eq!(Kind::Share.value(0.25), "25.0 %");
    }
}
