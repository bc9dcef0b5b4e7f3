//! The headline numbers of a run or comparison — total cost, placed
//! child-years, the top placement rung's share and breakdowns, per period —
//! and how each is written. The terminal tables and the HTML report use the
//! same list, so they always agree.

use std::fmt::Write;

use crate::compare::Comparison;
use crate::format::ENGLISH;
use crate::metrics::Metric;
use crate::results::read::RunSummary;
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
            metric: Metric::Cost,
            step: "total".into(),
            kind: Kind::Money,
        },
        HeadlineMetric {
            title: format!("Placed child-years (per {period})"),
            metric: Metric::PlacedChildYears,
            step: String::new(),
            kind: Kind::ChildYears,
        },
    ];
    if let Some(top) = scenario.params.steps.iter().rev().find(|r| r.placement) {
        out.push(HeadlineMetric {
            title: format!(
                "{} share of placed child-years",
                crate::plots::style::capitalise(&top.id.replace('_', " "))
            ),
            metric: Metric::PlacementShare,
            step: top.id.clone(),
            kind: Kind::Share,
        });
    }
    out.push(HeadlineMetric {
        title: format!("Placement breakdowns (per {period})"),
        metric: Metric::Breakdowns,
        step: String::new(),
        kind: Kind::Count,
    });
    out
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
    }
    o
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
