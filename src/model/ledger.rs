//! The ledger (docs/model.md section 6): what one replication
//! accounts for, period by period. Time-weighted quantities (child-years,
//! costs, caseload) are integrated piecewise between events: the state is
//! constant in between, so each integral is exact, and discounting has a
//! closed form. At each period boundary the period's [`Tally`] becomes a
//! row of metrics.

use super::case::Latent;
use super::case_table::CaseTable;
use super::team::Team;
use super::waiting_lists::WaitingLists;
use crate::metrics::{AgeLayout, Layout, Metric, Step};
use crate::scenario::{Params, Scenario};
use crate::transitions::{Grid, Kind, Origin, Target};

/// The books of one replication.
#[derive(Debug, Clone)]
pub struct Ledger<'a> {
    layout: &'a Layout,
    /// Reporting periods in the run.
    periods: usize,
    /// The open period; `None` during the warm-up and after the last.
    period: Option<Tally>,
    /// When the open period began (model time).
    period_start: f64,
    /// Everything is integrated up to this time.
    last: f64,
    /// Total time cases were open, warm-up included (years).
    case_years: f64,
    /// The end of the warm-up: discounting counts from here.
    start: f64,
    /// ln(1 + discount rate).
    ln_discount: f64,
    /// Cost per child-year by rung, from the parameters in force.
    rung_costs: Vec<f64>,
    /// Caseload points by place slot (`assessment`, then rungs), likewise.
    place_points: Vec<f64>,
    /// Period-major values: period *k*, layout row *r* at `k × rows + r`.
    values: Vec<f64>,
    /// The cells transitions are counted in.
    grid: Grid,
    /// Period-major transition counts: period *k*, cell *c* at
    /// `k × cells + c` (allocated once; counting is one increment).
    transitions: Vec<u32>,
    /// Where the open period's transition counts begin.
    transitions_at: usize,
    /// With age bands: the by-age values, period-major like `values`
    /// (rows of the by-age layout); empty otherwise.
    age_values: Vec<f64>,
}

impl<'a> Ledger<'a> {
    /// Empty books for one replication of `scenario`, no period open yet.
    pub fn new(scenario: &Scenario, layout: &'a Layout) -> Self {
        let periods = scenario.period_count();
        let mut ledger = Self {
            layout,
            periods,
            period: None,
            period_start: 0.0,
            last: 0.0,
            case_years: 0.0,
            start: scenario.settings().warmup_years,
            ln_discount: scenario.file.costs.discount_rate.ln_1p(),
            rung_costs: Vec::new(),
            place_points: Vec::new(),
            values: vec![0.0; periods * layout.len()],
            grid: Grid::new(scenario.params.steps.len()),
            transitions: vec![0; periods * Grid::new(scenario.params.steps.len()).len()],
            transitions_at: 0,
            age_values: vec![0.0; periods * layout.by_age.as_ref().map_or(0, |a| a.len())],
        };
        ledger.reprice(&scenario.params);
        ledger
    }

    /// Read the per-rung costs and points of new parameters.
    pub fn reprice(&mut self, params: &Params) {
        self.rung_costs = params.steps.iter().map(|r| r.cost_per_year).collect();
        self.place_points = std::iter::once(params.intake.assessment_points)
            .chain(params.steps.iter().map(|r| r.points))
            .collect();
    }

    /// Integrate everything time-weighted from the last event up to `t`,
    /// under `params`, with the cases and team as they have been since.
    pub fn advance(
        &mut self,
        t: f64,
        params: &Params,
        cases: &CaseTable,
        team: &Team,
        waiting: Option<&WaitingLists>,
    ) {
        let dt = t - self.last;
        if dt <= 0.0 {
            return;
        }
        let open = cases.open() as f64;
        self.case_years += open * dt;
        if let Some(tally) = &mut self.period {
            // ∫ (1+r)^−(u−start) du over [last, t], exactly.
            let weight = if self.ln_discount > 0.0 {
                let at = |u: f64| (-self.ln_discount * (u - self.start)).exp();
                (at(self.last) - at(t)) / self.ln_discount
            } else {
                dt
            };
            let counts = cases.by_place();
            let latent = cases.by_latent();
            tally.child_years[0] += f64::from(counts[0]) * dt;
            let mut points = f64::from(counts[0]) * self.place_points[0];
            for i in 0..self.rung_costs.len() {
                let n = f64::from(counts[i + 1]);
                tally.child_years[i + 1] += n * dt;
                let states = &latent[i + 1];
                tally.unmet_need[i] += f64::from(states[Latent::NeedsMore as usize]) * dt;
                tally.ready[i] += f64::from(states[Latent::Ready as usize]) * dt;
                tally.rung_cost[i] += n * self.rung_costs[i] * weight;
                points += n * self.place_points[i + 1];
            }
            tally.fixed_cost += params.costs.fixed_per_year * weight;
            if let Some((n, terms)) = team.staff() {
                let n = n as f64;
                tally.workforce_cost += terms.salary_per_year * n * weight;
                tally.caseload_time += open / n * dt;
                tally.points_time += points / n * dt;
            }
            if let Some(age) = &mut tally.by_age {
                age.integrate(cases.by_place_band(), &self.rung_costs, dt, weight);
            }
            if let Some(lists) = waiting {
                let waiting = [
                    &mut tally.waiting_years[..],
                    &mut tally.waiting_cost[..],
                    &mut tally.waiting_extra_cost[..],
                ];
                lists.integrate(waiting, dt, weight, &self.rung_costs);
            }
        }
        self.last = t;
    }

    /// Boundary `k` at time `now`: close period `k` (if k ≥ 1) into its
    /// rows, and open period `k` + 1 (if any), in which the placement
    /// spells now open overlap.
    pub fn boundary(
        &mut self,
        k: usize,
        now: f64,
        params: &Params,
        cases: &CaseTable,
        waiting: Option<&WaitingLists>,
    ) {
        if let Some(mut tally) = self.period.take() {
            if let Some(lists) = waiting {
                lists.count_end(&mut tally.waiting_end);
            }
            let rows = self.layout.len();
            let out = &mut self.values[(k - 1) * rows..k * rows];
            tally.close(
                params,
                self.layout,
                now - self.period_start,
                cases.by_place(),
                out,
            );
            if let (Some(age), Some(layout)) = (&tally.by_age, &self.layout.by_age) {
                let rows = layout.len();
                let out = &mut self.age_values[(k - 1) * rows..k * rows];
                age.close(params, layout, cases.by_place_band(), out);
            }
        }
        if k < self.periods {
            let mut tally = Tally::open(
                params.steps.len(),
                cases.placed(),
                cases.by_place(),
                waiting.is_some(),
            );
            tally.by_age = self
                .layout
                .by_age
                .as_ref()
                .map(|a| AgeTally::open(params.steps.len(), a.bands));
            self.period = Some(tally);
            self.period_start = now;
            self.transitions_at = k * self.grid.len();
        }
    }

    /// Record something in the open period (nothing is recorded during the
    /// warm-up).
    pub fn count(&mut self, f: impl FnOnce(&mut Tally)) {
        if let Some(t) = &mut self.period {
            f(t);
        }
    }

    /// Record a transition in the open period (nothing is recorded during
    /// the warm-up).
    pub fn record(&mut self, from: Origin, to: Target, kind: Kind) {
        if self.period.is_some() {
            self.transitions[self.transitions_at + self.grid.index(from, to, kind)] += 1;
        }
    }

    /// Record something by age band in the open period (only with age
    /// bands; nothing during the warm-up).
    pub fn count_by_age(&mut self, f: impl FnOnce(&mut AgeTally)) {
        if let Some(t) = &mut self.period
            && let Some(age) = &mut t.by_age
        {
            f(age);
        }
    }

    /// Present value factor of a cost incurred at time `t`.
    pub fn discount_at(&self, t: f64) -> f64 {
        (-self.ln_discount * (t - self.start)).exp()
    }

    /// The finished books: the values of every period, the by-age values
    /// (empty without age bands), the transition counts of every period,
    /// and the total case-years.
    pub fn close_books(self) -> (Vec<f64>, Vec<f64>, Vec<u32>, f64) {
        (
            self.values,
            self.age_values,
            self.transitions,
            self.case_years,
        )
    }
}

/// Accumulators for the current period.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    /// Child-years by place slot (`assessment`, then rungs).
    pub child_years: Vec<f64>,
    /// Child-years in latent state `needs_more`, by rung.
    pub unmet_need: Vec<f64>,
    /// Child-years in latent state `ready`, by rung.
    pub ready: Vec<f64>,
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
    /// Σ weeks from referral to leaving assessment, over completed ones.
    pub assessment_weeks: f64,
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
    /// Cases by place slot when the period opened.
    pub count_start: Vec<u32>,
    /// With age bands: the period's accumulators by band.
    pub by_age: Option<AgeTally>,
    /// Capacity, by wanted rung (empty without capacity): admissions from
    /// the waiting list.
    pub admissions: Vec<u64>,
    /// Capacity: decisions diverted because the rung was full.
    pub diverted: Vec<u64>,
    /// Capacity: cases waiting just before the period end.
    pub waiting_end: Vec<u64>,
    /// Capacity: child-years spent waiting.
    pub waiting_years: Vec<f64>,
    /// Capacity: what children cost while they wait, at the price of the
    /// rung they wait on.
    pub waiting_cost: Vec<f64>,
    /// Capacity: the part of `waiting_cost` above the wanted rung's price.
    pub waiting_extra_cost: Vec<f64>,
}

/// Accumulators by age band for the current period (model version 2).
#[derive(Debug, Clone, Default)]
pub struct AgeTally {
    bands: usize,
    /// Child-years by place slot and band (`slot × bands + band`).
    child_years: Vec<f64>,
    /// Cost by rung and band (`rung × bands + band`).
    cost: Vec<f64>,
    /// Referrals by band at referral.
    pub referrals: Vec<u64>,
}

impl AgeTally {
    /// A fresh period for `rungs` rungs and `bands` bands.
    pub fn open(rungs: usize, bands: usize) -> Self {
        Self {
            bands,
            child_years: vec![0.0; (rungs + 1) * bands],
            cost: vec![0.0; rungs * bands],
            referrals: vec![0; bands],
        }
    }

    /// Integrate `dt` years of the cases by place and band (`counts`, as
    /// [`CaseTable::by_place_band`]); `weight` is the discounted length.
    fn integrate(&mut self, counts: &[u32], rung_costs: &[f64], dt: f64, weight: f64) {
        let b = self.bands;
        let (assessment, on_rungs) = counts.split_at(b);
        let (assessment_years, rung_years) = self.child_years.split_at_mut(b);
        for (acc, &n) in assessment_years.iter_mut().zip(assessment) {
            *acc += f64::from(n) * dt;
        }
        // One pass over (rung, band): child-years and cost together.
        for (((years, cost), counts), &rung_cost) in rung_years
            .chunks_exact_mut(b)
            .zip(self.cost.chunks_exact_mut(b))
            .zip(on_rungs.chunks_exact(b))
            .zip(rung_costs)
        {
            for ((y, c), &n) in years.iter_mut().zip(cost.iter_mut()).zip(counts) {
                let n = f64::from(n);
                *y += n * dt;
                // Associated as the ledger's own cost row, so the bands
                // add up to it.
                *c += n * rung_cost * weight;
            }
        }
    }

    /// Write this period's by-age metrics into `out` (one per row of
    /// `layout`); `count_end` as [`CaseTable::by_place_band`].
    fn close(&self, params: &Params, layout: &AgeLayout, count_end: &[u32], out: &mut [f64]) {
        let b = self.bands;
        for (value, row) in out.iter_mut().zip(&layout.rows) {
            let slot = match row.step {
                Step::Assessment => 0,
                Step::Rung(i) => i + 1,
                _ => 0,
            };
            *value = match row.metric {
                Metric::ChildYears => self.child_years[slot * b + row.band],
                Metric::CountEnd => f64::from(count_end[slot * b + row.band]),
                Metric::Referrals => self.referrals[row.band] as f64,
                Metric::PlacedChildYears => params
                    .steps
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| r.placement)
                    .map(|(i, _)| self.child_years[(i + 1) * b + row.band])
                    .sum(),
                Metric::Cost => self.cost[(slot - 1) * b + row.band],
                _ => unreachable!("not reported by age"),
            };
        }
    }
}

impl Tally {
    /// A fresh period for a ladder of `rungs` rungs, with `placed` cases
    /// already in placement (their spells overlap the period),
    /// `count_start` cases by place slot, and `capacity` if the scenario
    /// has waiting lists to account for.
    pub fn open(rungs: usize, placed: u64, count_start: &[u32], capacity: bool) -> Self {
        let waiting = if capacity { rungs } else { 0 };
        Self {
            admissions: vec![0; waiting],
            diverted: vec![0; waiting],
            waiting_end: vec![0; waiting],
            waiting_years: vec![0.0; waiting],
            waiting_cost: vec![0.0; waiting],
            waiting_extra_cost: vec![0.0; waiting],
            child_years: vec![0.0; rungs + 1],
            unmet_need: vec![0.0; rungs],
            ready: vec![0.0; rungs],
            rung_cost: vec![0.0; rungs],
            follow_ups: vec![0; rungs],
            on_time: vec![0; rungs],
            spells: placed,
            count_start: count_start.to_vec(),
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
                Metric::CountStart => f64::from(self.count_start[slot]),
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
                Metric::UnmetNeedChildYears => match row.step {
                    Step::Rung(i) => self.unmet_need[i],
                    _ => self.unmet_need.iter().sum(),
                },
                Metric::ReadyChildYears => match row.step {
                    Step::Rung(i) => self.ready[i],
                    _ => self.ready.iter().sum(),
                },
                Metric::AssessmentWeeks => ratio(self.assessment_weeks, self.assessments as f64),
                // Capacity: rows exist only for rungs with places.
                Metric::Admissions => self.admissions[slot - 1] as f64,
                Metric::Diverted => self.diverted[slot - 1] as f64,
                Metric::WaitingEnd => self.waiting_end[slot - 1] as f64,
                Metric::WaitingChildYears => self.waiting_years[slot - 1],
                Metric::WaitingCost => match row.step {
                    Step::Rung(i) => self.waiting_cost[i],
                    _ => self.waiting_cost.iter().sum(),
                },
                Metric::WaitingExtraCost => match row.step {
                    Step::Rung(i) => self.waiting_extra_cost[i],
                    _ => self.waiting_extra_cost.iter().sum(),
                },
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::case::Place;

    fn scenario(discount_rate: f64) -> Scenario {
        let text = format!(
            "[scenario]\nname = \"t\"\nstart = 2024-01-01\nhorizon_years = 2.0\n\
             [[steps]]\nid = \"home\"\ncost_per_year = 100.0\n\
             [costs]\nfixed_per_year = 10.0\ndiscount_rate = {discount_rate}\n"
        );
        Scenario::from_toml_str("t", &text, &[]).unwrap()
    }

    #[test]
    fn costs_are_integrated_pro_rata_and_discounted_continuously() {
        for r in [0.0, 0.03] {
            let s = scenario(r);
            let layout = Layout::new(&s.params);
            let team = Team::new(&s.params);
            let mut cases = CaseTable::new(1, 1);
            cases.arrive(Place::Rung(0), false, 0);
            cases.arrive(Place::Rung(0), false, 0);
            let mut ledger = Ledger::new(&s, &layout);
            ledger.boundary(0, 0.0, &s.params, &cases, None);
            // Two steps: the integral is exact whatever the events between.
            ledger.advance(0.25, &s.params, &cases, &team, None);
            ledger.advance(1.0, &s.params, &cases, &team, None);
            let tally = ledger.period.as_ref().unwrap();
            let weight = if r > 0.0 {
                (1.0 - 1.0 / (1.0 + r)) / f64::ln(1.0 + r)
            } else {
                1.0
            };
            assert!(
                (tally.child_years[1] - 2.0).abs() < 1e-12,
                "never discounted"
            );
            assert!((tally.rung_cost[0] - 200.0 * weight).abs() < 1e-9);
            assert!((tally.fixed_cost - 10.0 * weight).abs() < 1e-9);
            assert_eq!(tally.workforce_cost, 0.0, "an unlimited team costs nothing");
            assert!((ledger.discount_at(1.0) - 1.0 / (1.0 + r)).abs() < 1e-12);
        }
    }
}
