//! One replication: the ladder model of docs/model.md driven by the
//! generic [`EventQueue`]. Each `fn` below is one rule of the model; the
//! event loop in [`World::run`] only dispatches.

use rand::rngs::Xoshiro256PlusPlus;

use super::case::{Case, Latent, Place, Transition};
use super::caseworker::{Caseworker, Task, TaskKind, least_loaded};
use super::streams::{StreamKind, exponential, stream, uniform};
use super::tally::Tally;
use crate::event_queue::{EventQueue, Generation, Stamp};
use crate::metrics::Layout;
use crate::scenario::{Params, Scenario};

/// Weeks per year: the model's unit conversion (docs/model.md section 2).
pub const WEEKS_PER_YEAR: f64 = 52.0;

/// Rank of bookkeeping events (period boundaries, changes): they come before
/// anything else at the same instant, so a period's end state is the state
/// *before* that instant.
const BOOKKEEPING: u8 = 0;

/// What can happen. Small and `Copy`: the heap moves these around a lot.
#[derive(Debug, Clone, Copy)]
enum Event {
    /// Reporting boundary *k*: closes period *k* (if k ≥ 1), opens *k* + 1.
    Boundary(u32),
    /// The *k*-th scheduled `[[changes]]` entry takes effect.
    Change(u32),
    /// A new referral arrives.
    Referral(Stamp),
    /// A case's hidden state changes, it closes or ages out.
    Clock { case: u32, stamp: Stamp },
    /// A case's follow-up falls due.
    FollowUpDue { case: u32, stamp: Stamp },
    /// A case's assessment ends (its minimum duration has passed).
    AssessmentEnd { case: u32, stamp: Stamp },
    /// A caseworker finishes the task in hand.
    TaskDone { worker: u32, stamp: Stamp },
}

/// One replication's results.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplicationOutput {
    /// Period-major values: period *k*, layout row *r* at `k × rows + r`.
    pub values: Vec<f64>,
    /// Events handled (lazily cancelled ones not counted).
    pub events: u64,
    /// Total time cases were open, warm-up included (years).
    pub case_years: f64,
}

/// A slot in the case table. Generations outlive the case in the slot, so
/// an event left over from an earlier occupant can never match a new one.
#[derive(Debug, Clone, Default)]
struct Slot {
    case: Option<Case>,
    clock: Generation,
    schedule: Generation,
}

/// Simulate replication `replication` of `scenario`.
pub fn simulate(scenario: &Scenario, layout: &Layout, replication: u64) -> ReplicationOutput {
    World::new(scenario, layout, replication).run()
}

/// Cost per child-year of each rung.
fn rung_costs(params: &Params) -> Vec<f64> {
    params.steps.iter().map(|r| r.cost_per_year).collect()
}

/// Caseload points of each place slot (`assessment`, then rungs).
fn place_points(params: &Params) -> Vec<f64> {
    std::iter::once(params.intake.assessment_points)
        .chain(params.steps.iter().map(|r| r.points))
        .collect()
}

struct World<'a> {
    scenario: &'a Scenario,
    params: &'a Params,
    layout: &'a Layout,
    queue: EventQueue<Event>,
    replication: u64,
    arrivals: Xoshiro256PlusPlus,
    referral: Generation,
    slots: Vec<Slot>,
    free: Vec<usize>,
    next_serial: u64,
    workers: Vec<Caseworker>,
    active_workers: usize,
    next_task: u64,
    next_assignment: u64,
    /// Cases by place slot (`assessment`, then rungs).
    counts: Vec<u32>,
    /// Cost per child-year by rung, from `params` (flat, for `advance`).
    rung_costs: Vec<f64>,
    /// Caseload points by place slot, from `params`.
    place_points: Vec<f64>,
    open: u64,
    placed: u64,
    tally: Option<Tally>,
    period_start: f64,
    last: f64,
    case_years: f64,
    warmup: f64,
    /// End of the run (warm-up + horizon): nothing later is ever scheduled.
    end: f64,
    ln_discount: f64,
    /// True while the initial cases are being placed (no task starts yet).
    starting: bool,
    /// Pending period boundaries and changes (never stale).
    bookkeeping: usize,
    stale: u64,
    values: Vec<f64>,
}

impl<'a> World<'a> {
    fn new(scenario: &'a Scenario, layout: &'a Layout, replication: u64) -> Self {
        let s = scenario.settings();
        let params = &scenario.params;
        let rungs = params.steps.len();
        let workers = params.workforce.map_or(0, |w| w.caseworkers as usize);
        Self {
            scenario,
            params,
            layout,
            queue: EventQueue::new(),
            replication,
            arrivals: stream(s.seed, replication, StreamKind::Arrivals, 0),
            referral: Generation::default(),
            slots: Vec::new(),
            free: Vec::new(),
            next_serial: 0,
            workers: (0..workers).map(|_| Caseworker::new(rungs)).collect(),
            active_workers: workers,
            next_task: 0,
            next_assignment: 0,
            counts: vec![0; rungs + 1],
            rung_costs: rung_costs(params),
            place_points: place_points(params),
            open: 0,
            placed: 0,
            tally: None,
            period_start: 0.0,
            last: 0.0,
            case_years: 0.0,
            warmup: s.warmup_years,
            end: s.warmup_years + s.horizon_years,
            ln_discount: scenario.file.costs.discount_rate.ln_1p(),
            starting: true,
            bookkeeping: scenario.period_count() + 1 + scenario.changes.len(),
            stale: 0,
            values: vec![0.0; scenario.period_count() * layout.len()],
        }
    }

    fn now(&self) -> f64 {
        self.queue.now()
    }

    /// Schedule a model event. Events after the end of the run are dropped
    /// (they could never happen), and when lazily cancelled events come to
    /// outnumber the live ones the queue is compacted, so memory follows
    /// the number of open cases rather than the number of events.
    fn at(&mut self, time: f64, event: Event) {
        if time >= self.end {
            return;
        }
        self.queue.schedule(time, event);
        // At most: a clock and a follow-up per case, a task per caseworker,
        // the next referral, and the bookkeeping events.
        let live = 2 * self.open as usize + self.active_workers + 1 + self.bookkeeping;
        if self.queue.len() > 2 * live + 64 {
            let (slots, workers, referral) = (&self.slots, &self.workers, self.referral);
            self.queue.retain(|e| match *e {
                Event::Boundary(_) | Event::Change(_) => true,
                Event::Referral(stamp) => referral.is_current(stamp),
                Event::Clock { case, stamp } => slots[case as usize].clock.is_current(stamp),
                Event::FollowUpDue { case, stamp } | Event::AssessmentEnd { case, stamp } => {
                    slots[case as usize].schedule.is_current(stamp)
                }
                Event::TaskDone { worker, stamp } => {
                    workers[worker as usize].work.is_current(stamp)
                }
            });
        }
    }

    fn run(mut self) -> ReplicationOutput {
        let s = self.scenario.settings();
        let periods = self.scenario.period_count();
        for k in 1..=periods {
            let end = if k == periods {
                s.horizon_years
            } else {
                k as f64 * s.period.years()
            };
            self.queue
                .schedule_ranked(self.warmup + end, BOOKKEEPING, Event::Boundary(k as u32));
        }
        if self.warmup > 0.0 {
            self.queue
                .schedule_ranked(self.warmup, BOOKKEEPING, Event::Boundary(0));
        } else {
            self.boundary(0);
        }
        for (k, change) in self.scenario.changes.iter().enumerate() {
            self.queue.schedule_ranked(
                self.warmup + change.at_years,
                BOOKKEEPING,
                Event::Change(k as u32),
            );
        }
        self.place_initial_cases();
        // Caseworkers start on their queues only once the whole start state
        // is in place, so the first task's capacity sees every initial case.
        self.starting = false;
        for w in 0..self.active_workers {
            self.start_next_task(w);
        }
        self.schedule_referral();

        while let Some((time, event)) = self.queue.pop() {
            self.advance(time);
            match event {
                Event::Boundary(k) => {
                    self.boundary(k as usize);
                    if k as usize == periods {
                        break;
                    }
                }
                Event::Change(k) => self.change(k as usize),
                Event::Referral(stamp) if self.referral.is_current(stamp) => self.referral(),
                Event::Clock { case, stamp }
                    if self.slots[case as usize].clock.is_current(stamp) =>
                {
                    self.clock(case as usize)
                }
                Event::FollowUpDue { case, stamp }
                    if self.slots[case as usize].schedule.is_current(stamp) =>
                {
                    self.follow_up_due(case as usize)
                }
                Event::AssessmentEnd { case, stamp }
                    if self.slots[case as usize].schedule.is_current(stamp) =>
                {
                    self.finish_assessment(case as usize)
                }
                Event::TaskDone { worker, stamp }
                    if self.workers[worker as usize].work.is_current(stamp) =>
                {
                    self.task_done(worker as usize)
                }
                _ => self.stale += 1,
            }
        }
        ReplicationOutput {
            events: self.queue.delivered() - self.stale,
            case_years: self.case_years,
            values: self.values,
        }
    }

    // ----- time-weighted bookkeeping -------------------------------------

    /// Integrate everything time-weighted from the last event up to `t`.
    fn advance(&mut self, t: f64) {
        let dt = t - self.last;
        if dt <= 0.0 {
            return;
        }
        self.case_years += self.open as f64 * dt;
        if let Some(tally) = &mut self.tally {
            let p = self.params;
            // ∫ (1+r)^−(u−start) du over [last, t], exactly.
            let weight = if self.ln_discount > 0.0 {
                let at = |u: f64| (-self.ln_discount * (u - self.warmup)).exp();
                (at(self.last) - at(t)) / self.ln_discount
            } else {
                dt
            };
            tally.child_years[0] += f64::from(self.counts[0]) * dt;
            let mut points = f64::from(self.counts[0]) * self.place_points[0];
            for i in 0..self.rung_costs.len() {
                let n = f64::from(self.counts[i + 1]);
                tally.child_years[i + 1] += n * dt;
                tally.rung_cost[i] += n * self.rung_costs[i] * weight;
                points += n * self.place_points[i + 1];
            }
            tally.fixed_cost += p.costs.fixed_per_year * weight;
            if let Some(w) = &p.workforce {
                let n = self.active_workers as f64;
                tally.workforce_cost += w.salary_per_year * n * weight;
                tally.caseload_time += self.open as f64 / n * dt;
                tally.points_time += points / n * dt;
            }
        }
        self.last = t;
    }

    /// Close period `k` (if any) and open the next (if any).
    fn boundary(&mut self, k: usize) {
        let now = self.now();
        if let Some(tally) = self.tally.take() {
            let rows = self.layout.len();
            let out = &mut self.values[(k - 1) * rows..k * rows];
            tally.close(
                self.params,
                self.layout,
                now - self.period_start,
                &self.counts,
                out,
            );
        }
        if k < self.scenario.period_count() {
            self.tally = Some(Tally::open(self.params.steps.len(), self.placed));
            self.period_start = now;
        }
    }

    fn count(&mut self, f: impl FnOnce(&mut Tally)) {
        if let Some(t) = &mut self.tally {
            f(t);
        }
    }

    /// Present value factor of a cost incurred now.
    fn discount_now(&self) -> f64 {
        (-self.ln_discount * (self.now() - self.warmup)).exp()
    }

    // ----- cases coming and going ----------------------------------------

    /// Open a new case (not yet placed anywhere) and return its slot.
    fn new_case(&mut self, age: impl FnOnce(&mut Xoshiro256PlusPlus, &Params) -> f64) -> usize {
        let seed = self.scenario.settings().seed;
        let serial = self.next_serial;
        self.next_serial += 1;
        let mut decision_rng = stream(seed, self.replication, StreamKind::CaseDecisions, serial);
        let age = age(&mut decision_rng, self.params);
        let case = Case {
            place: Place::Assessment,
            latent: Latent::Fit,
            entered: self.now(),
            ages_out_at: self.now() + (self.scenario.settings().exit_age - age).max(0.0),
            worker: 0,
            assigned: 0,
            assessment_ends_no_sooner: self.now(),
            next: Transition::AgeOut,
            latent_rng: stream(seed, self.replication, StreamKind::CaseLatent, serial),
            decision_rng,
        };
        let slot = self.free.pop().unwrap_or_else(|| {
            self.slots.push(Slot::default());
            self.slots.len() - 1
        });
        self.slots[slot].case = Some(case);
        self.open += 1;
        slot
    }

    fn case(&self, i: usize) -> &Case {
        self.slots[i]
            .case
            .as_ref()
            .expect("events for closed cases are stale")
    }

    fn case_mut(&mut self, i: usize) -> &mut Case {
        self.slots[i]
            .case
            .as_mut()
            .expect("events for closed cases are stale")
    }

    /// `[initial]`: assessments first, then the rungs in ladder order, each
    /// case assigned as it is placed (docs/model.md section 9).
    fn place_initial_cases(&mut self) {
        let file = &self.scenario.file;
        let initial_age = |rng: &mut Xoshiro256PlusPlus, p: &Params| {
            let (lo, hi) = (p.intake.age_min, self.scenario.settings().exit_age);
            lo + uniform(rng) * (hi - lo)
        };
        for _ in 0..file.initial.get("assessment").copied().unwrap_or(0) {
            let i = self.new_case(initial_age);
            self.start_assessment(i);
        }
        for r in 0..self.params.steps.len() {
            let id = &self.params.steps[r].id;
            for _ in 0..file.initial.get(id).copied().unwrap_or(0) {
                let i = self.new_case(initial_age);
                // The first follow-up falls uniformly within one interval.
                let first = self.params.steps[r]
                    .follow_up
                    .map(|f| uniform(&mut self.case_mut(i).decision_rng) * f.every_weeks);
                self.assign(i);
                self.settle(i, r, first);
            }
        }
    }

    fn schedule_referral(&mut self) {
        let stamp = self.referral.bump();
        let wait = exponential(&mut self.arrivals, self.params.intake.referrals_per_year);
        if wait.is_finite() {
            self.at(self.now() + wait, Event::Referral(stamp));
        }
    }

    fn referral(&mut self) {
        let i = self.new_case(|rng, p| {
            p.intake.age_min + uniform(rng) * (p.intake.age_max - p.intake.age_min)
        });
        self.start_assessment(i);
        self.schedule_referral();
    }

    /// A referral becomes a case under assessment (docs/model.md sections 5 and 9).
    fn start_assessment(&mut self, i: usize) {
        self.count(|t| t.referrals += 1);
        let now = self.now();
        let min_weeks = self.params.intake.assessment_min_weeks;
        let worker = self.assign(i);
        self.counts[0] += 1;
        if let Some(w) = worker {
            self.workers[w].add_case(0, self.params);
        }
        let c = self.case_mut(i);
        c.place = Place::Assessment;
        c.entered = now;
        c.assessment_ends_no_sooner = now + min_weeks / WEEKS_PER_YEAR;
        let ends = c.assessment_ends_no_sooner;
        let stamp = self.slots[i].schedule.bump();
        match worker {
            Some(w) => self.add_task(w, i, now, TaskKind::Assessment, stamp),
            None => self.at(
                ends,
                Event::AssessmentEnd {
                    case: i as u32,
                    stamp,
                },
            ),
        }
        self.schedule_clock(i);
    }

    /// The assessment's outcome: a rung drawn from `entry`, or `none`.
    fn finish_assessment(&mut self, i: usize) {
        self.count(|t| t.assessments += 1);
        let u = uniform(&mut self.case_mut(i).decision_rng);
        let entry = &self.params.entry;
        let mut acc = 0.0;
        let mut choice = entry
            .iter()
            .rposition(|&p| p > 0.0)
            .unwrap_or(entry.len() - 1);
        for (k, &p) in entry.iter().enumerate() {
            acc += p;
            if u < acc && p > 0.0 {
                choice = k;
                break;
            }
        }
        if choice == self.params.steps.len() {
            self.count(|t| t.closures += 1);
            self.end_case(i);
        } else {
            self.enter_rung(i, choice);
        }
    }

    /// Move a case to rung `r`: it leaves where it was; see [`Self::settle`].
    fn enter_rung(&mut self, i: usize, r: usize) {
        self.leave(i);
        self.settle(i, r, None);
    }

    /// Put a case on rung `r` and reset its hidden state, time on rung and
    /// follow-up schedule (docs/model.md section 2). `first_due_weeks` overrides the
    /// rung's `first_weeks` (initial cases).
    fn settle(&mut self, i: usize, r: usize, first_due_weeks: Option<f64>) {
        let now = self.now();
        let placement = self.params.steps[r].placement;
        let c = self.case_mut(i);
        c.place = Place::Rung(r);
        c.latent = Latent::Fit;
        c.entered = now;
        let worker = c.worker;
        self.counts[r + 1] += 1;
        if self.params.workforce.is_some() {
            self.workers[worker].add_case(r + 1, self.params);
        }
        if placement {
            self.placed += 1;
            self.count(|t| t.spells += 1);
        }
        self.void_schedule(i);
        if let Some(f) = self.params.steps[r].follow_up {
            let weeks = first_due_weeks.unwrap_or(f.first_weeks);
            self.schedule_follow_up(i, now + weeks / WEEKS_PER_YEAR);
        }
        self.schedule_clock(i);
    }

    /// Remove a case from the counts of its place (and caseworker).
    fn leave(&mut self, i: usize) {
        let (place, worker) = (self.case(i).place, self.case(i).worker);
        let slot = place.slot();
        self.counts[slot] -= 1;
        if self.params.workforce.is_some() {
            self.workers[worker].remove_case(slot, self.params);
        }
        if let Place::Rung(r) = place
            && self.params.steps[r].placement
        {
            self.placed -= 1;
        }
    }

    /// Close a case: it leaves the ladder and its pending events are void.
    fn end_case(&mut self, i: usize) {
        self.leave(i);
        self.slots[i].clock.bump();
        self.void_schedule(i);
        self.slots[i].case = None;
        self.free.push(i);
        self.open -= 1;
    }

    // ----- hidden need and hazards ---------------------------------------

    /// Draw the case's next clock event: the earliest of its competing
    /// hazards (docs/model.md section 2) and ageing out.
    fn schedule_clock(&mut self, i: usize) {
        let stamp = self.slots[i].clock.bump();
        let params = self.params;
        let c = self.slots[i].case.as_mut().expect("open case");
        let (rates, kinds): ([f64; 2], [Transition; 2]) = match c.place {
            Place::Assessment => ([0.0, 0.0], [Transition::Close; 2]),
            Place::Rung(r) => {
                let l = params.steps[r].latent;
                match c.latent {
                    Latent::Fit => (
                        [l.improve, l.worsen],
                        [Transition::Improve, Transition::Worsen],
                    ),
                    Latent::Ready => ([l.relapse, 0.0], [Transition::Relapse; 2]),
                    Latent::NeedsMore => ([l.crisis, 0.0], [Transition::Crisis; 2]),
                }
            }
        };
        let close = match c.place {
            Place::Assessment => 0.0,
            Place::Rung(r) => params.steps[r].exit.close,
        };
        let total = rates[0] + rates[1] + close;
        let wait = exponential(&mut c.latent_rng, total);
        let pick = uniform(&mut c.latent_rng) * total;
        let at = self.queue.now() + wait;
        let (time, next) = if at < c.ages_out_at {
            let next = if pick < rates[0] {
                kinds[0]
            } else if pick < rates[0] + rates[1] {
                kinds[1]
            } else {
                Transition::Close
            };
            (at, next)
        } else {
            (c.ages_out_at, Transition::AgeOut)
        };
        c.next = next;
        self.at(
            time,
            Event::Clock {
                case: i as u32,
                stamp,
            },
        );
    }

    fn clock(&mut self, i: usize) {
        let c = self.case_mut(i);
        match c.next {
            Transition::Improve => c.latent = Latent::Ready,
            Transition::Worsen => c.latent = Latent::NeedsMore,
            Transition::Relapse => c.latent = Latent::Fit,
            Transition::Crisis => return self.crisis(i),
            Transition::Close => {
                self.count(|t| t.closures += 1);
                return self.end_case(i);
            }
            Transition::AgeOut => {
                self.count(|t| t.aged_out += 1);
                return self.end_case(i);
            }
        }
        self.schedule_clock(i);
    }

    /// An unplanned move one rung up (at the top: a new placement on the
    /// same rung); on a placement rung it is a breakdown.
    fn crisis(&mut self, i: usize) {
        let Place::Rung(r) = self.case(i).place else {
            unreachable!("no hazards under assessment")
        };
        let breakdown = self.params.steps[r].placement;
        let cost = self.params.costs.per_breakdown * self.discount_now();
        self.count(|t| {
            t.crises += 1;
            if breakdown {
                t.breakdowns += 1;
                t.breakdown_cost += cost;
            }
        });
        let top = self.params.steps.len() - 1;
        self.enter_rung(i, (r + 1).min(top));
    }

    // ----- follow-ups and caseworkers ------------------------------------

    fn schedule_follow_up(&mut self, i: usize, due: f64) {
        let stamp = self.slots[i].schedule.bump();
        self.at(
            due,
            Event::FollowUpDue {
                case: i as u32,
                stamp,
            },
        );
    }

    /// A follow-up falls due: done at once with unlimited capacity, else
    /// queued with the case's caseworker.
    fn follow_up_due(&mut self, i: usize) {
        let now = self.now();
        if self.params.workforce.is_none() {
            return self.complete_follow_up(i, now);
        }
        let worker = self.case(i).worker;
        let stamp = self.slots[i].schedule.stamp();
        self.add_task(worker, i, now, TaskKind::FollowUp, stamp);
    }

    /// The follow-up decision (docs/model.md sections 3 and 9).
    fn complete_follow_up(&mut self, i: usize, due: f64) {
        let now = self.now();
        let p = self.params;
        let Place::Rung(r) = self.case(i).place else {
            unreachable!("follow-ups are only scheduled on rungs")
        };
        let delay = (now - due) * WEEKS_PER_YEAR;
        let on_time = delay <= p.follow_up.on_time_weeks + 1e-9;
        self.count(|t| {
            t.follow_ups[r] += 1;
            t.on_time[r] += u64::from(on_time);
            t.delay_weeks += delay;
        });
        let c = self.case_mut(i);
        let detected = uniform(&mut c.decision_rng) < p.follow_up.detection;
        let seen = if detected { c.latent } else { Latent::Fit };
        let rung = &p.steps[r];
        let limited = rung.max_years.is_some_and(|m| now - c.entered >= m);
        let top = p.steps.len() - 1;
        let every = rung.follow_up.map_or(f64::INFINITY, |f| f.every_weeks);
        if seen == Latent::NeedsMore {
            if r < top {
                self.count(|t| t.moves_up += 1);
                self.enter_rung(i, r + 1);
            } else {
                c.latent = Latent::Fit;
                self.schedule_clock(i);
                self.schedule_follow_up(i, now + every / WEEKS_PER_YEAR);
            }
        } else if seen == Latent::Ready || limited {
            if r == 0 {
                self.count(|t| t.closures += 1);
                self.end_case(i);
            } else {
                self.count(|t| t.moves_down += 1);
                self.enter_rung(i, r - 1);
            }
        } else {
            self.schedule_follow_up(i, now + every / WEEKS_PER_YEAR);
        }
    }

    /// Assign a new case to the caseworker with the fewest points.
    fn assign(&mut self, i: usize) -> Option<usize> {
        self.params.workforce?;
        let w = least_loaded(&self.workers, self.active_workers);
        self.next_assignment += 1;
        let serial = self.next_assignment;
        let c = self.case_mut(i);
        c.worker = w;
        c.assigned = serial;
        Some(w)
    }

    fn add_task(&mut self, w: usize, case: usize, due: f64, kind: TaskKind, stamp: Stamp) {
        let created = self.next_task;
        self.next_task += 1;
        self.workers[w].queue.push(Task {
            due,
            created,
            case,
            stamp,
            kind,
        });
        if self.workers[w].busy.is_none() && !self.starting {
            self.start_next_task(w);
        }
    }

    fn task_is_live(&self, t: &Task) -> bool {
        self.slots[t.case].case.is_some() && self.slots[t.case].schedule.is_current(t.stamp)
    }

    /// Take the most urgent live task; its duration uses the capacity and
    /// hours in force now (docs/model.md section 9).
    fn start_next_task(&mut self, w: usize) {
        while let Some(task) = self.workers[w].queue.pop() {
            if !self.task_is_live(&task) {
                continue;
            }
            let hours = match task.kind {
                TaskKind::Assessment => self.params.intake.assessment_hours,
                TaskKind::FollowUp => match self.case(task.case).place {
                    Place::Rung(r) => self.params.steps[r].follow_up.map_or(0.0, |f| f.hours),
                    Place::Assessment => 0.0,
                },
            };
            let capacity = self.workers[w].task_capacity(self.params);
            let weeks = hours / capacity;
            let stamp = self.workers[w].work.bump();
            self.workers[w].busy = Some(task);
            self.at(
                self.now() + weeks / WEEKS_PER_YEAR,
                Event::TaskDone {
                    worker: w as u32,
                    stamp,
                },
            );
            return;
        }
    }

    fn task_done(&mut self, w: usize) {
        let task = self.workers[w]
            .busy
            .take()
            .expect("a current TaskDone has a task");
        if self.task_is_live(&task) {
            match task.kind {
                TaskKind::FollowUp => self.complete_follow_up(task.case, task.due),
                TaskKind::Assessment => {
                    let ends = self.case(task.case).assessment_ends_no_sooner;
                    if self.now() >= ends {
                        self.finish_assessment(task.case);
                    } else {
                        let stamp = self.slots[task.case].schedule.stamp();
                        self.at(
                            ends,
                            Event::AssessmentEnd {
                                case: task.case as u32,
                                stamp,
                            },
                        );
                    }
                }
            }
        }
        if self.workers[w].busy.is_none() {
            self.start_next_task(w);
        }
    }

    /// The case moved or ended: its pending follow-up and task are void,
    /// and work in progress on it is lost.
    fn void_schedule(&mut self, i: usize) {
        self.slots[i].schedule.bump();
        if self.params.workforce.is_none() {
            return;
        }
        let w = self.case(i).worker;
        if self.workers[w].busy.is_some_and(|t| t.case == i) {
            self.workers[w].busy = None;
            self.workers[w].work.bump();
            self.start_next_task(w);
        }
    }

    // ----- changes -------------------------------------------------------

    /// A `[[changes]]` entry takes effect (docs/model.md section 7).
    fn change(&mut self, k: usize) {
        let old = self.params;
        let new = &self.scenario.changes[k].params;
        self.params = new;
        let now = self.now();
        // Costs, points and workloads per rung may have changed.
        self.rung_costs = rung_costs(new);
        self.place_points = place_points(new);
        for w in &mut self.workers {
            w.recount(new);
        }
        if let (Some(o), Some(n)) = (old.workforce, new.workforce) {
            self.resize_team(o.caseworkers as usize, n.caseworkers as usize);
        }
        for i in 0..self.slots.len() {
            let Some(Place::Rung(r)) = self.slots[i].case.as_ref().map(|c| c.place) else {
                continue;
            };
            let (before, after) = (&old.steps[r], &new.steps[r]);
            if let (None, Some(f)) = (before.follow_up, after.follow_up) {
                self.schedule_follow_up(i, now + f.first_weeks / WEEKS_PER_YEAR);
            }
            if before.latent != after.latent || before.exit != after.exit {
                self.schedule_clock(i); // hazards are memoryless
            }
        }
        if old.intake.referrals_per_year != new.intake.referrals_per_year {
            self.schedule_referral();
        }
        for w in 0..self.active_workers {
            if self.workers[w].busy.is_none() {
                self.start_next_task(w);
            }
        }
    }

    /// Hire (new caseworkers start empty) or let go (the highest indices go;
    /// their cases, in assignment order, go to whoever has the fewest points,
    /// and their tasks follow the cases).
    fn resize_team(&mut self, from: usize, to: usize) {
        let rungs = self.params.steps.len();
        if to > from {
            while self.workers.len() < to {
                self.workers.push(Caseworker::new(rungs));
            }
            self.active_workers = to;
            return;
        }
        self.active_workers = to;
        for w in to..from {
            let mut cases: Vec<(u64, usize)> = self
                .slots
                .iter()
                .enumerate()
                .filter_map(|(i, s)| {
                    s.case
                        .as_ref()
                        .filter(|c| c.worker == w)
                        .map(|c| (c.assigned, i))
                })
                .collect();
            cases.sort_unstable();
            for (_, i) in cases {
                let slot = self.case(i).place.slot();
                self.workers[w].remove_case(slot, self.params);
                let target = least_loaded(&self.workers, to);
                self.workers[target].add_case(slot, self.params);
                self.next_assignment += 1;
                let serial = self.next_assignment;
                let c = self.case_mut(i);
                c.worker = target;
                c.assigned = serial;
            }
            let leaving = &mut self.workers[w];
            leaving.work.bump();
            let mut tasks: Vec<Task> = leaving.busy.take().into_iter().collect();
            tasks.extend(std::mem::take(&mut leaving.queue).into_vec());
            for task in tasks {
                if self.task_is_live(&task) {
                    let target = self.case(task.case).worker;
                    self.workers[target].queue.push(task);
                }
            }
        }
    }
}
