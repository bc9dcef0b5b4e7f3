//! What one replication records during one reporting period, and how it
//! becomes a row of metrics (docs/model.md section 8).
//!
//! Time-weighted quantities (child-years, costs, caseload) are integrated
//! piecewise between events: the state is constant in between, so each
//! integral is exact, and discounting has a closed form.

use crate::metrics::{Layout, Metric, Step};
use crate::scenario::Params;

/// Accumulators for the current period.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    /// Child-years by place slot (`assessment`, then rungs).
    pub child_years: Vec<f64>,
    /// Cost by rung.
    pub rung_cost: Vec<f64>,
    /// Salary cost.
    pub workforce_cost: f64,
    /// Fixed cost.
    pub fixed_cost: f64,
    /// Breakdown cost.
    pub breakdown_cost: f64,
    /// ∫ open cases ÷ caseworkers dt.
    pub caseload_time: f64,
    /// ∫ points ÷ caseworkers dt.
    pub points_time: f64,
    /// Event counts.
    pub referrals: u64,
    /// Completed assessments.
    pub assessments: u64,
    /// Planned moves down.
    pub moves_down: u64,
    /// Planned moves up.
    pub moves_up: u64,
    /// Unplanned moves up.
    pub crises: u64,
    /// Crises on a placement rung.
    pub breakdowns: u64,
    /// Case ends other than ageing out.
    pub closures: u64,
    /// Ageing out.
    pub aged_out: u64,
    /// Completed follow-ups by rung.
    pub follow_ups: Vec<u64>,
    /// On-time follow-ups by rung.
    pub on_time: Vec<u64>,
    /// Σ follow-up delays in weeks.
    pub delay_weeks: f64,
    /// Placement spells overlapping the period.
    pub spells: u64,
}

impl Tally {
    /// A fresh period for a ladder of `rungs` rungs, with `placed` cases
    /// already in placement (their spells overlap the period).
    pub fn open(rungs: usize, placed: u64) -> Self {
        Self {
            child_years: vec![0.0; rungs + 1],
            rung_cost: vec![0.0; rungs],
            follow_ups: vec![0; rungs],
            on_time: vec![0; rungs],
            spells: placed,
            ..Self::default()
        }
    }

    /// Write this period's metrics into `out` (one row per layout row).
    ///
    /// `length` is the period's length in years, `count_end` the cases by
    /// place slot just before its end.
    pub fn close(
        &self,
        params: &Params,
        layout: &Layout,
        length: f64,
        count_end: &[u32],
        out: &mut [f64],
    ) {
        let placed: f64 = params
            .steps
            .iter()
            .enumerate()
            .filter(|(_, r)| r.placement)
            .map(|(i, _)| self.child_years[i + 1])
            .sum();
        let completed: u64 = self.follow_ups.iter().sum();
        let cost_total = self.rung_cost.iter().sum::<f64>()
            + self.workforce_cost
            + self.fixed_cost
            + self.breakdown_cost;
        let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
        for (value, row) in out.iter_mut().zip(&layout.rows) {
            let slot = match row.step {
                Step::Assessment => 0,
                Step::Rung(i) => i + 1,
                _ => usize::MAX,
            };
            *value = match row.metric {
                Metric::ChildYears => self.child_years[slot],
                Metric::CountEnd => f64::from(count_end[slot]),
                Metric::PlacedChildYears => placed,
                Metric::PlacementShare => ratio(self.child_years[slot], placed),
                Metric::Referrals => self.referrals as f64,
                Metric::Assessments => self.assessments as f64,
                Metric::MovesDown => self.moves_down as f64,
                Metric::MovesUp => self.moves_up as f64,
                Metric::Crises => self.crises as f64,
                Metric::Breakdowns => self.breakdowns as f64,
                Metric::BreakdownRate => ratio(self.breakdowns as f64, self.spells as f64),
                Metric::Closures => self.closures as f64,
                Metric::AgedOut => self.aged_out as f64,
                Metric::FollowUps => self.follow_ups[slot - 1] as f64,
                Metric::FollowUpsOnTime => self.on_time[slot - 1] as f64,
                Metric::FollowUpDelayWeeks => ratio(self.delay_weeks, completed as f64),
                Metric::CaseloadMean => ratio(self.caseload_time, length),
                Metric::PointsMean => ratio(self.points_time, length),
                Metric::Cost => match row.step {
                    Step::Rung(i) => self.rung_cost[i],
                    Step::Workforce => self.workforce_cost,
                    Step::Fixed => self.fixed_cost,
                    Step::BreakdownCost => self.breakdown_cost,
                    _ => cost_total,
                },
            };
        }
    }
}
