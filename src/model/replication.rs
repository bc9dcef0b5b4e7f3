//! One replication: the state of the model, the events that change it, and
//! the loop that hands each event to its rule. The rules themselves live
//! one group per file beside this one (see [`super`]).

use super::case_log::CaseLog;
use super::case_table::CaseTable;
use super::ledger::Ledger;
use super::referrals::Referrals;
use super::team::Team;
use super::waiting_lists::WaitingLists;
use crate::event_queue::{EventQueue, Stamp};
use crate::metrics::Layout;
use crate::scenario::{Params, Scenario};

/// Rank of bookkeeping events (period boundaries, changes): they come before
/// anything else at the same instant, so a period's end state is the state
/// *before* that instant.
const BOOKKEEPING: u8 = 0;

/// What can happen. Small and `Copy`: the heap moves these around a lot.
#[derive(Debug, Clone, Copy)]
pub(super) enum Event {
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

impl Event {
    /// Whether the event still applies: nothing it was stamped with has
    /// been voided since (lazy cancellation). The one liveness check, used
    /// both when an event comes out of the queue and when the queue is
    /// compacted.
    fn is_live(&self, cases: &CaseTable, team: &Team, referrals: &Referrals) -> bool {
        match *self {
            Event::Boundary(_) | Event::Change(_) => true,
            Event::Referral(stamp) => referrals.is_current(stamp),
            Event::Clock { case, stamp } => cases.clock_is_current(case as usize, stamp),
            Event::FollowUpDue { case, stamp } | Event::AssessmentEnd { case, stamp } => {
                cases.schedule_is_current(case as usize, stamp)
            }
            Event::TaskDone { worker, stamp } => team.work_is_current(worker as usize, stamp),
        }
    }
}

/// One replication's results.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplicationOutput {
    /// Period-major values: period *k*, layout row *r* at `k × rows + r`.
    pub values: Vec<f64>,
    /// Period-major transition counts: period *k*, cell *c* of
    /// [`crate::transitions::Grid`] at `k × cells + c` (empty when not
    /// kept, e.g. a sweep point read back from its values).
    pub transitions: Vec<u32>,
    /// Events handled (lazily cancelled ones not counted).
    pub events: u64,
    /// Total time cases were open, warm-up included (years).
    pub case_years: f64,
    /// With age bands: period-major values of the by-age layout rows
    /// (empty otherwise).
    pub by_age: Vec<f64>,
}

/// Simulate replication `replication` of `scenario`.
pub fn simulate(scenario: &Scenario, layout: &Layout, replication: u64) -> ReplicationOutput {
    Replication::new(scenario, layout, replication).run().0
}

/// Simulate replication `replication` of `scenario` as [`simulate`] does
/// (the same run, the same output) and also keep its case log: the
/// spells and follow-ups its case records would show.
pub fn simulate_with_log(
    scenario: &Scenario,
    layout: &Layout,
    replication: u64,
) -> (ReplicationOutput, CaseLog) {
    let mut run = Replication::new(scenario, layout, replication);
    run.log = Some(CaseLog::default());
    let (output, log) = run.run();
    (output, log.expect("the log was kept"))
}

/// The state of one replication: owned components, changed by the rules.
pub(super) struct Replication<'a> {
    pub(super) scenario: &'a Scenario,
    /// The parameters in force (a `[[changes]]` entry swaps them).
    pub(super) params: &'a Params,
    pub(super) replication: u64,
    queue: EventQueue<Event>,
    pub(super) cases: CaseTable,
    pub(super) team: Team,
    pub(super) referrals: Referrals,
    pub(super) ledger: Ledger<'a>,
    /// Placement capacity's waiting lists; `None` for a scenario without
    /// capacity (`capacity.rs`).
    pub(super) waiting: Option<WaitingLists>,
    /// The case log (`case_log.rs`); `None` unless asked for
    /// ([`simulate_with_log`]): then no hook does anything.
    pub(super) log: Option<CaseLog>,
    /// End of the run (warm-up + horizon): nothing later is ever scheduled.
    end: f64,
    /// Pending period boundaries and changes (never stale).
    bookkeeping: usize,
    /// Stale events that came out of the queue.
    stale: u64,
}

impl<'a> Replication<'a> {
    pub(super) fn new(scenario: &'a Scenario, layout: &'a Layout, replication: u64) -> Self {
        let s = scenario.settings();
        let params = &scenario.params;
        Self {
            scenario,
            params,
            replication,
            queue: EventQueue::new(),
            cases: CaseTable::new(params.steps.len(), params.bands.count()),
            team: Team::new(params),
            referrals: Referrals::new(s.seed, replication),
            ledger: Ledger::new(scenario, layout),
            waiting: WaitingLists::new(params),
            log: None,
            end: s.warmup_years + s.horizon_years,
            bookkeeping: scenario.period_count() + 1 + scenario.changes.len(),
            stale: 0,
        }
    }

    pub(super) fn now(&self) -> f64 {
        self.queue.now()
    }

    /// Schedule a model event. Events after the end of the run are dropped
    /// (they could never happen), and when lazily cancelled events come to
    /// outnumber the live ones the queue is compacted, so memory follows
    /// the number of open cases rather than the number of events.
    pub(super) fn at(&mut self, time: f64, event: Event) {
        if time >= self.end {
            return;
        }
        self.queue.schedule(time, event);
        // At most: a clock and a follow-up per case, a task per caseworker,
        // the next referral, and the bookkeeping events.
        let live = 2 * self.cases.open() as usize + self.team.active() + 1 + self.bookkeeping;
        if self.queue.len() > 2 * live + 64 {
            let (cases, team, referrals) = (&self.cases, &self.team, &self.referrals);
            self.queue.retain(|e| e.is_live(cases, team, referrals));
        }
    }

    /// Schedule the bookkeeping, place the start state, then hand every
    /// event to its rule until the last period closes. Returns the output
    /// and the case log, if one was kept.
    fn run(mut self) -> (ReplicationOutput, Option<CaseLog>) {
        let s = self.scenario.settings();
        let (warmup, periods) = (s.warmup_years, self.scenario.period_count());
        for k in 1..=periods {
            let end = if k == periods {
                s.horizon_years
            } else {
                k as f64 * s.period.years()
            };
            self.queue
                .schedule_ranked(warmup + end, BOOKKEEPING, Event::Boundary(k as u32));
        }
        if warmup > 0.0 {
            self.queue
                .schedule_ranked(warmup, BOOKKEEPING, Event::Boundary(0));
        } else {
            self.boundary(0);
        }
        for (k, change) in self.scenario.changes.iter().enumerate() {
            self.queue.schedule_ranked(
                warmup + change.at_years,
                BOOKKEEPING,
                Event::Change(k as u32),
            );
        }
        self.place_initial_cases();
        self.team.release();
        self.start_idle_workers();
        self.schedule_referral();

        while let Some((time, event)) = self.queue.pop() {
            self.ledger.advance(
                time,
                self.params,
                &self.cases,
                &self.team,
                self.waiting.as_ref(),
            );
            if !event.is_live(&self.cases, &self.team, &self.referrals) {
                self.stale += 1;
                continue;
            }
            #[cfg(test)]
            let before = self.cases.by_place().to_vec();
            match event {
                Event::Boundary(k) => {
                    self.boundary(k as usize);
                    if k as usize == periods {
                        break;
                    }
                }
                Event::Change(k) => self.change(k as usize),
                Event::Referral(_) => self.referral(),
                Event::Clock { case, .. } => self.clock(case as usize),
                Event::FollowUpDue { case, .. } => self.follow_up_due(case as usize),
                Event::AssessmentEnd { case, .. } => self.finish_assessment(case as usize),
                Event::TaskDone { worker, .. } => self.task_done(worker as usize),
            }
            #[cfg(test)]
            self.check_places(&before);
        }
        let (values, by_age, transitions, case_years) = self.ledger.close_books();
        let output = ReplicationOutput {
            events: self.queue.delivered() - self.stale,
            case_years,
            values,
            transitions,
            by_age,
        };
        (output, self.log)
    }

    /// Write to the case log, if one is kept (nothing otherwise).
    pub(super) fn log(&mut self, entry: impl FnOnce(&mut CaseLog)) {
        if let Some(log) = &mut self.log {
            entry(log);
        }
    }

    /// Reporting boundary `k`.
    fn boundary(&mut self, k: usize) {
        let now = self.now();
        self.ledger
            .boundary(k, now, self.params, &self.cases, self.waiting.as_ref());
    }
}
