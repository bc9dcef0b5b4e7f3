//! The catalogue of reported metrics (docs/model.md section 8): names, units,
//! which rows each has, and their order in every output.
//!
//! One replication's results for one period are a flat row of `f64`s laid
//! out by [`Layout`]; every output (CSV, summaries, comparisons) walks the
//! same layout, so the order of rows is defined exactly once, here.

use crate::scenario::Params;

/// Number of metrics in [`Metric::ALL`].
const METRICS: usize = 29;

/// A reported quantity, in the order of docs/model.md section 8.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Metric {
    /// Time-weighted cases (child-years), by rung and `assessment`.
    ChildYears,
    /// Cases just before the period end, by rung and `assessment`.
    CountEnd,
    /// Child-years on placement rungs.
    PlacedChildYears,
    /// Each placement rung's share of placed child-years.
    PlacementShare,
    /// New referrals (initial `assessment` cases count at time 0).
    Referrals,
    /// Completed assessments, `none` outcomes included.
    Assessments,
    /// Planned moves down at follow-ups (time limits included, closures not).
    MovesDown,
    /// Planned moves up at follow-ups.
    MovesUp,
    /// Unplanned moves up from `needs_more`.
    Crises,
    /// Crises that start on a placement rung.
    Breakdowns,
    /// Breakdowns ÷ placement spells overlapping the period.
    BreakdownRate,
    /// Case ends other than ageing out.
    Closures,
    /// Cases that reached `exit_age`.
    AgedOut,
    /// Completed follow-ups, by rung.
    FollowUps,
    /// Completed follow-ups with delay ≤ `on_time_weeks`, by rung.
    FollowUpsOnTime,
    /// Mean delay of completed follow-ups past their due date.
    FollowUpDelayWeeks,
    /// Time-average open cases per caseworker.
    CaseloadMean,
    /// Time-average caseload points per caseworker.
    PointsMean,
    /// Costs, by rung plus `workforce`, `fixed`, `breakdowns`, `total`.
    Cost,
    /// Welfare: child-years spent in the latent state `needs_more`, by rung
    /// plus `total` (a need the measure does not meet yet; the model's, not
    /// observed). The `total` row lets reports, totals and comparisons give
    /// the all-rungs figure its own CI.
    UnmetNeedChildYears,
    /// Welfare: child-years spent in the latent state `ready`, by rung plus
    /// `total` (a more intrusive measure than needed).
    ReadyChildYears,
    /// Welfare: mean weeks from referral to leaving assessment, over the
    /// assessments completed in the period (0 if none).
    AssessmentWeeks,
    // ----- placement capacity: rows only for rungs with `capacity` at the
    // start or in any `[[changes]]` (none at all without capacity).
    /// Capacity: cases admitted from the rung's waiting list.
    Admissions,
    /// Capacity: decisions diverted because the wanted rung was full.
    Diverted,
    /// Capacity: cases waiting for the rung just before the period end.
    WaitingEnd,
    /// Capacity: child-years spent waiting for the rung.
    WaitingChildYears,
    /// Capacity: what children waiting for the rung cost where they wait
    /// (the price of the rung they are on), by wanted rung plus `total`:
    /// the part of the budget spent on children placed above the rung they
    /// need, so a planner sees what the shortage costs.
    WaitingCost,
    /// Capacity: the part of `waiting_cost` above the wanted rung's own
    /// price (what the same child-years would have cost there), by wanted
    /// rung plus `total`.
    WaitingExtraCost,
    /// Cases just after the period begins, by rung and `assessment`: for
    /// the first period the state at `start` as simulated (what the
    /// warm-up left, not the `[initial]` counts that seeded it).
    CountStart,
}

impl Metric {
    /// Every metric, in output order.
    pub const ALL: [Metric; METRICS] = [
        Metric::ChildYears,
        Metric::CountEnd,
        Metric::PlacedChildYears,
        Metric::PlacementShare,
        Metric::Referrals,
        Metric::Assessments,
        Metric::MovesDown,
        Metric::MovesUp,
        Metric::Crises,
        Metric::Breakdowns,
        Metric::BreakdownRate,
        Metric::Closures,
        Metric::AgedOut,
        Metric::FollowUps,
        Metric::FollowUpsOnTime,
        Metric::FollowUpDelayWeeks,
        Metric::CaseloadMean,
        Metric::PointsMean,
        Metric::Cost,
        Metric::UnmetNeedChildYears,
        Metric::ReadyChildYears,
        Metric::AssessmentWeeks,
        Metric::Admissions,
        Metric::Diverted,
        Metric::WaitingEnd,
        Metric::WaitingChildYears,
        Metric::WaitingCost,
        Metric::WaitingExtraCost,
        Metric::CountStart,
    ];

    /// How many metrics trappe 0.1 wrote: the first rows of [`Self::ALL`].
    /// Rows of these metrics are a compatibility contract (byte-identical
    /// for scenarios without new keys); later metrics follow them.
    pub const CORE: usize = 19;

    /// Whether trappe 0.1 wrote this metric (see [`Self::CORE`]).
    pub fn is_core(self) -> bool {
        (self as usize) < Self::CORE
    }

    /// The name used in CSV files.
    pub fn name(self) -> &'static str {
        match self {
            Metric::ChildYears => "child_years",
            Metric::CountEnd => "count_end",
            Metric::PlacedChildYears => "placed_child_years",
            Metric::PlacementShare => "placement_share",
            Metric::Referrals => "referrals",
            Metric::Assessments => "assessments",
            Metric::MovesDown => "moves_down",
            Metric::MovesUp => "moves_up",
            Metric::Crises => "crises",
            Metric::Breakdowns => "breakdowns",
            Metric::BreakdownRate => "breakdown_rate",
            Metric::Closures => "closures",
            Metric::AgedOut => "aged_out",
            Metric::FollowUps => "follow_ups",
            Metric::FollowUpsOnTime => "follow_ups_on_time",
            Metric::FollowUpDelayWeeks => "follow_up_delay_weeks",
            Metric::CaseloadMean => "caseload_mean",
            Metric::PointsMean => "points_mean",
            Metric::Cost => "cost",
            Metric::UnmetNeedChildYears => "unmet_need_child_years",
            Metric::ReadyChildYears => "ready_child_years",
            Metric::AssessmentWeeks => "assessment_weeks",
            Metric::Admissions => "admissions",
            Metric::Diverted => "diverted",
            Metric::WaitingEnd => "waiting_end",
            Metric::WaitingChildYears => "waiting_child_years",
            Metric::WaitingCost => "waiting_cost",
            Metric::WaitingExtraCost => "waiting_extra_cost",
            Metric::CountStart => "count_start",
        }
    }

    /// Look a metric up by its CSV name.
    pub fn from_name(name: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.name() == name)
    }

    /// Unit, for READMEs, plots and reports (`{currency}` is substituted).
    pub fn unit(self) -> &'static str {
        match self {
            Metric::ChildYears
            | Metric::PlacedChildYears
            | Metric::UnmetNeedChildYears
            | Metric::ReadyChildYears
            | Metric::WaitingChildYears => "child-years",
            Metric::CountEnd | Metric::CountStart | Metric::WaitingEnd => "cases",
            Metric::PlacementShare | Metric::BreakdownRate => "fraction (0–1)",
            Metric::FollowUpDelayWeeks | Metric::AssessmentWeeks => "weeks",
            Metric::CaseloadMean => "cases per caseworker",
            Metric::PointsMean => "points per caseworker",
            Metric::Cost | Metric::WaitingCost | Metric::WaitingExtraCost => "{currency}",
            _ => "count per period",
        }
    }
}

/// Which step a row is for: team-wide, `assessment`, a rung, or a cost
/// component.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Team-wide metric (empty `step` column).
    Team,
    /// Cases under assessment.
    Assessment,
    /// A rung, by index into the ladder.
    Rung(usize),
    /// Workforce cost.
    Workforce,
    /// Fixed cost.
    Fixed,
    /// Breakdown cost.
    BreakdownCost,
    /// Total over the rows before it: cost, or welfare child-years over
    /// all rungs.
    Total,
}

/// One row of a period's results.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// What is measured.
    pub metric: Metric,
    /// For which step.
    pub step: Step,
    /// The `step` column text (`""` for team-wide rows).
    pub step_name: String,
}

/// The rows of one period, in output order, for one ladder.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Rows in order.
    pub rows: Vec<Row>,
    /// Index of the first row of each metric, by `Metric as usize`.
    first: [usize; METRICS],
    /// With `scenario.age_bands`: the rows of the results by age.
    pub by_age: Option<AgeLayout>,
}

impl Layout {
    /// The layout for a ladder (rung ids and placement flags are fixed for a
    /// run, so the layout is too).
    pub fn new(params: &Params) -> Self {
        let ids: Vec<&str> = params.steps.iter().map(|r| r.id.as_str()).collect();
        let mut rows = Vec::new();
        let mut first = [0; METRICS];
        for metric in Metric::ALL {
            first[metric as usize] = rows.len();
            let mut push = |step: Step, name: &str| {
                rows.push(Row {
                    metric,
                    step,
                    step_name: name.to_string(),
                })
            };
            let by_rung = |push: &mut dyn FnMut(Step, &str)| {
                for (i, id) in ids.iter().enumerate() {
                    push(Step::Rung(i), id);
                }
            };
            match metric {
                Metric::ChildYears | Metric::CountEnd | Metric::CountStart => {
                    push(Step::Assessment, "assessment");
                    by_rung(&mut push);
                }
                Metric::PlacementShare => {
                    for (i, r) in params.steps.iter().enumerate() {
                        if r.placement {
                            push(Step::Rung(i), &r.id);
                        }
                    }
                }
                Metric::FollowUps | Metric::FollowUpsOnTime => by_rung(&mut push),
                Metric::UnmetNeedChildYears | Metric::ReadyChildYears => {
                    by_rung(&mut push);
                    push(Step::Total, "total");
                }
                Metric::Cost => {
                    by_rung(&mut push);
                    push(Step::Workforce, "workforce");
                    push(Step::Fixed, "fixed");
                    push(Step::BreakdownCost, "breakdowns");
                    push(Step::Total, "total");
                }
                Metric::Admissions
                | Metric::Diverted
                | Metric::WaitingEnd
                | Metric::WaitingChildYears => {
                    for &r in &params.capacity_rungs {
                        push(Step::Rung(r), ids[r]);
                    }
                }
                Metric::WaitingCost | Metric::WaitingExtraCost => {
                    for &r in &params.capacity_rungs {
                        push(Step::Rung(r), ids[r]);
                    }
                    if !params.capacity_rungs.is_empty() {
                        push(Step::Total, "total");
                    }
                }
                _ => push(Step::Team, ""),
            }
        }
        let by_age = (params.bands.count() > 1).then(|| AgeLayout::new(params));
        Self {
            rows,
            first,
            by_age,
        }
    }

    /// Number of rows per period.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there are no rows (never, for a valid ladder).
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Index of the first row of `metric` (for by-rung metrics, the rows
    /// follow in the order `new` pushes them).
    pub fn start(&self, metric: Metric) -> usize {
        self.first[metric as usize]
    }

    /// Index of the row for `metric` and `step_name`, if there is one.
    pub fn find(&self, metric: Metric, step_name: &str) -> Option<usize> {
        let end = self
            .first
            .get(metric as usize + 1)
            .copied()
            .unwrap_or(self.rows.len());
        (self.start(metric)..end).find(|&i| self.rows[i].step_name == step_name)
    }
}

/// The metrics reported by age band (model version 2), in output order.
pub const BY_AGE: [Metric; 5] = [
    Metric::ChildYears,
    Metric::CountEnd,
    Metric::Referrals,
    Metric::PlacedChildYears,
    Metric::Cost,
];

/// One row of a period's results by age: a metric for a step in a band.
#[derive(Debug, Clone, PartialEq)]
pub struct AgeRow {
    /// What is measured.
    pub metric: Metric,
    /// For which step ([`Step::Team`], [`Step::Assessment`] or a rung).
    pub step: Step,
    /// The `step` column text.
    pub step_name: String,
    /// Age band index (youngest first).
    pub band: usize,
    /// The `age_band` column text (`"6-12"`).
    pub band_name: String,
}

/// The rows of one period of `summary_by_age.csv`: [`BY_AGE`] in order,
/// then step (`assessment` and the rungs for `child_years`/`count_end`, the
/// rungs for `cost`), then band.
#[derive(Debug, Clone, PartialEq)]
pub struct AgeLayout {
    /// Rows in order.
    pub rows: Vec<AgeRow>,
    /// Number of age bands.
    pub bands: usize,
}

impl AgeLayout {
    /// The by-age layout of a ladder and its age bands.
    pub fn new(params: &Params) -> Self {
        let labels = params.bands.labels();
        let mut rows = Vec::new();
        for metric in BY_AGE {
            let mut steps = Vec::new();
            if matches!(metric, Metric::ChildYears | Metric::CountEnd) {
                steps.push((Step::Assessment, "assessment".to_string()));
            }
            if matches!(metric, Metric::Referrals | Metric::PlacedChildYears) {
                steps.push((Step::Team, String::new()));
            } else {
                steps.extend(
                    params
                        .steps
                        .iter()
                        .enumerate()
                        .map(|(i, r)| (Step::Rung(i), r.id.clone())),
                );
            }
            for (step, step_name) in steps {
                for (band, band_name) in labels.iter().enumerate() {
                    rows.push(AgeRow {
                        metric,
                        step: step.clone(),
                        step_name: step_name.clone(),
                        band,
                        band_name: band_name.clone(),
                    });
                }
            }
        }
        Self {
            rows,
            bands: labels.len(),
        }
    }

    /// Number of rows per period.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there are no rows (never, for a valid ladder).
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;

    fn layout() -> Layout {
        let text = "[scenario]\nname = \"t\"\nstart = 2024-01-01\nhorizon_years = 1.0\n\
                    [[steps]]\nid = \"home\"\n[[steps]]\nid = \"foster\"\nplacement = true\n";
        Layout::new(&Scenario::from_toml_str("t", text, &[]).unwrap().params)
    }

    #[test]
    fn welfare_metrics_follow_the_core_metrics() {
        let l = layout();
        let core_end = l.start(Metric::UnmetNeedChildYears);
        assert!(l.rows[..core_end].iter().all(|r| r.metric.is_core()));
        let names: Vec<(&str, &str)> = l.rows[core_end..]
            .iter()
            .map(|r| (r.metric.name(), r.step_name.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("unmet_need_child_years", "home"),
                ("unmet_need_child_years", "foster"),
                ("unmet_need_child_years", "total"),
                ("ready_child_years", "home"),
                ("ready_child_years", "foster"),
                ("ready_child_years", "total"),
                ("assessment_weeks", ""),
                ("count_start", "assessment"),
                ("count_start", "home"),
                ("count_start", "foster"),
            ]
        );
    }
}
