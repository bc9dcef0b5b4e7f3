//! The team (docs/model.md section 4): who gets a new case, whose
//! queue a task joins, the capacity a task is worked at, and hiring and
//! letting go. A scenario without `[workforce]` has an *unlimited* team:
//! nobody is assigned, nothing queues, and every task is done when due, so
//! the rules never ask whether there is a workforce.
//!
//! [`Team`] is the state; `tasks.rs` holds the rules that put caseworkers
//! to work on the event queue.

use super::case::Case;
use super::case_table::CaseTable;
use super::caseworker::{Caseworker, Task, TaskKind};
use crate::event_queue::Stamp;
use crate::scenario::{Params, Workforce};

/// What became of a task handed to the team.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handoff {
    /// Unlimited capacity: nobody queues; the task is done when due.
    DoneWhenDue,
    /// In its caseworker's queue, behind other work (or before the start).
    Queued,
    /// In the queue of this caseworker, who is idle and starts work now.
    Idle(usize),
}

/// The caseworkers, or an unlimited team.
#[derive(Debug, Clone)]
pub struct Team {
    /// Terms of employment in force; `None`: unlimited capacity.
    workforce: Option<Workforce>,
    /// Every caseworker ever employed in this run: those in post are the
    /// first `active`; the others keep their generation stamps so that
    /// their leftover events stay recognisably stale.
    workers: Vec<Caseworker>,
    /// Caseworkers in post.
    active: usize,
    /// Tasks created so far (creation order breaks ties of due dates).
    tasks: u64,
    /// Assignments made so far ("assignment order").
    assignments: u64,
    /// True while the start state is placed: tasks queue but nobody starts.
    on_hold: bool,
}

impl Team {
    /// The team of `params`, on hold until [`Self::release`].
    pub fn new(params: &Params) -> Self {
        let rungs = params.steps.len();
        let n = params.workforce.map_or(0, |w| w.caseworkers as usize);
        Self {
            workforce: params.workforce,
            workers: (0..n).map(|_| Caseworker::new(rungs)).collect(),
            active: n,
            tasks: 0,
            assignments: 0,
            on_hold: true,
        }
    }

    /// Caseworkers in post and their terms; `None` for an unlimited team.
    pub fn staff(&self) -> Option<(usize, &Workforce)> {
        self.workforce.as_ref().map(|w| (self.active, w))
    }

    /// Caseworkers in post (0 for an unlimited team).
    pub fn active(&self) -> usize {
        self.active
    }

    /// Let caseworkers start on their queues (once the start state is in
    /// place, so the first task's capacity sees every initial case).
    pub fn release(&mut self) {
        self.on_hold = false;
    }

    /// Assign a case to the caseworker in post with the fewest points
    /// (ties: lowest index). Counts it in nobody's caseload yet: see
    /// [`Self::take_on`].
    pub fn assign(&mut self, case: &mut Case) {
        if self.workforce.is_none() {
            return;
        }
        let mut best = 0;
        let mut best_points = f64::INFINITY;
        for (i, w) in self.workers[..self.active].iter().enumerate() {
            if w.points() < best_points {
                best = i;
                best_points = w.points();
            }
        }
        self.assignments += 1;
        case.worker = best;
        case.assigned = self.assignments;
    }

    /// The case's caseworker takes it on at its place.
    pub fn take_on(&mut self, case: &Case, params: &Params) {
        if self.workforce.is_some() {
            self.workers[case.worker].add_case(case.place.slot(), params);
        }
    }

    /// The case's caseworker gives it up (before it moves or ends).
    pub fn give_up(&mut self, case: &Case, params: &Params) {
        if self.workforce.is_some() {
            self.workers[case.worker].remove_case(case.place.slot(), params);
        }
    }

    /// Hand the case's caseworker a task due at `due`, stamped with the
    /// case's schedule.
    pub fn add_task(
        &mut self,
        case: &Case,
        slot: usize,
        due: f64,
        kind: TaskKind,
        stamp: Stamp,
    ) -> Handoff {
        if self.workforce.is_none() {
            return Handoff::DoneWhenDue;
        }
        let created = self.tasks;
        self.tasks += 1;
        let w = case.worker;
        self.workers[w].queue.push(Task {
            due,
            created,
            case: slot,
            stamp,
            kind,
        });
        if self.workers[w].busy.is_none() && !self.on_hold {
            Handoff::Idle(w)
        } else {
            Handoff::Queued
        }
    }

    /// Caseworker `w` takes the most urgent task that still applies, if any,
    /// and returns it with the stamp for its completion.
    pub fn take_next_task(&mut self, w: usize, cases: &CaseTable) -> Option<(Task, Stamp)> {
        let worker = &mut self.workers[w];
        while let Some(task) = worker.queue.pop() {
            if cases.schedule_is_current(task.case, task.stamp) {
                worker.busy = Some(task);
                return Some((task, worker.work.bump()));
            }
        }
        None
    }

    /// Caseworker `w`'s task capacity in hours per week, as of now.
    pub fn task_capacity(&self, w: usize) -> f64 {
        let terms = self
            .workforce
            .as_ref()
            .expect("only teams with a [workforce] have caseworkers");
        terms.task_capacity(self.workers[w].monthly_load())
    }

    /// Caseworker `w` finishes the task in hand.
    pub fn finish_task(&mut self, w: usize) -> Task {
        self.workers[w]
            .busy
            .take()
            .expect("a current TaskDone has a task")
    }

    /// Whether caseworker `w` has no task in hand.
    pub fn is_idle(&self, w: usize) -> bool {
        self.workers[w].busy.is_none()
    }

    /// Whether a task completion stamped `stamp` still applies to `w`.
    pub fn work_is_current(&self, w: usize, stamp: Stamp) -> bool {
        self.workers[w].work.is_current(stamp)
    }

    /// The case (slot `slot`) moved or ended: work in progress on it is
    /// lost. Returns the caseworker who is now idle, if any.
    pub fn abandon_work_on(&mut self, case: &Case, slot: usize) -> Option<usize> {
        self.workforce?;
        let w = case.worker;
        let worker = &mut self.workers[w];
        if worker.busy.is_some_and(|t| t.case == slot) {
            worker.busy = None;
            worker.work.bump();
            Some(w)
        } else {
            None
        }
    }

    /// New parameters from a `[[changes]]` entry: caseloads are recounted
    /// with the new points and workloads, then the team is resized.
    pub fn apply(&mut self, params: &Params, cases: &mut CaseTable) {
        for w in &mut self.workers {
            w.recount(params);
        }
        if let (Some(_), Some(new)) = (self.workforce, params.workforce) {
            self.resize(new.caseworkers as usize, params, cases);
        }
        self.workforce = params.workforce;
    }

    /// Hire (new caseworkers take the next indices and start empty) or let
    /// go (the highest indices go, in ascending order; each one's cases, in
    /// assignment order, are assigned again one by one, and their tasks
    /// follow the cases with their due dates; a task in progress restarts).
    fn resize(&mut self, to: usize, params: &Params, cases: &mut CaseTable) {
        let from = self.active;
        self.active = to;
        if to > from {
            while self.workers.len() < to {
                self.workers.push(Caseworker::new(params.steps.len()));
            }
            return;
        }
        for w in to..from {
            for i in cases.assigned_to(w) {
                self.give_up(cases.get(i), params);
                self.assign(cases.get_mut(i));
                self.take_on(cases.get(i), params);
            }
            let leaving = &mut self.workers[w];
            leaving.work.bump();
            let mut tasks: Vec<Task> = leaving.busy.take().into_iter().collect();
            tasks.extend(std::mem::take(&mut leaving.queue).into_vec());
            for task in tasks {
                if cases.schedule_is_current(task.case, task.stamp) {
                    let target = cases.get(task.case).worker;
                    self.workers[target].queue.push(task);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::case::Place;
    use crate::model::case::tests::case_at;
    use crate::scenario::Scenario;

    /// Two rungs (`home`: 1 point, 26 h/month; `foster`: 3 points), and
    /// `[workforce]` if `caseworkers` is given.
    fn params(caseworkers: Option<u32>) -> Params {
        let mut text = "[scenario]\nname = \"t\"\nstart = 2024-01-01\nhorizon_years = 1.0\n\
            [[steps]]\nid = \"home\"\nworkload_hours_per_month = 26.0\n\
            [[steps]]\nid = \"foster\"\npoints = 3.0\n"
            .to_string();
        if let Some(n) = caseworkers {
            text += &format!("[workforce]\ncaseworkers = {n}\nhours_per_week = 37.0\n");
        }
        Scenario::from_toml_str("t", &text, &[]).unwrap().params
    }

    /// Open a case on rung `r` and give it to the team.
    fn open(team: &mut Team, cases: &mut CaseTable, r: usize, p: &Params) -> usize {
        let i = cases.insert(case_at(Place::Rung(r)));
        team.assign(cases.get_mut(i));
        team.take_on(cases.get(i), p);
        i
    }

    #[test]
    fn new_cases_go_to_the_fewest_points_ties_lowest_index() {
        let p = params(Some(3));
        let (mut team, mut cases) = (Team::new(&p), CaseTable::new(2, 1));
        let workers: Vec<usize> = [1, 1, 0, 0]
            .map(|r| {
                let i = open(&mut team, &mut cases, r, &p);
                cases.get(i).worker
            })
            .to_vec();
        // 3 points to 0 and 1, 1 point to 2, then 2 again (1 < 3).
        assert_eq!(workers, [0, 1, 2, 2]);
    }

    #[test]
    fn task_capacity_is_what_the_workload_leaves_floored() {
        let p = params(Some(1));
        let (mut team, mut cases) = (Team::new(&p), CaseTable::new(2, 1));
        assert_eq!(team.task_capacity(0), 37.0);
        open(&mut team, &mut cases, 0, &p);
        // 26 hours a month are 26 × 12 / 52 = 6 hours a week.
        assert!((team.task_capacity(0) - 31.0).abs() < 1e-12);
        for _ in 0..9 {
            open(&mut team, &mut cases, 0, &p);
        }
        assert!(
            (team.task_capacity(0) - 3.7).abs() < 1e-12,
            "min_task_share"
        );
    }

    #[test]
    fn an_unlimited_team_assigns_nobody_and_does_tasks_when_due() {
        let p = params(None);
        let (mut team, mut cases) = (Team::new(&p), CaseTable::new(2, 1));
        let i = open(&mut team, &mut cases, 1, &p);
        assert!(team.staff().is_none());
        let stamp = cases.schedule(i);
        let handoff = team.add_task(cases.get(i), i, 0.0, TaskKind::FollowUp, stamp);
        assert_eq!(handoff, Handoff::DoneWhenDue);
        assert_eq!(team.abandon_work_on(cases.get(i), i), None);
    }

    #[test]
    fn letting_go_reassigns_cases_in_assignment_order_and_their_tasks_follow() {
        let p = params(Some(3));
        let (mut team, mut cases) = (Team::new(&p), CaseTable::new(2, 1));
        let opened: Vec<usize> = (0..3).map(|_| open(&mut team, &mut cases, 0, &p)).collect();
        let last = opened[2];
        assert_eq!(cases.get(last).worker, 2);
        team.release();
        let stamp = cases.schedule(last);
        let handoff = team.add_task(cases.get(last), last, 0.5, TaskKind::FollowUp, stamp);
        assert_eq!(handoff, Handoff::Idle(2));

        let fewer = params(Some(1));
        team.apply(&fewer, &mut cases);
        assert_eq!(team.active(), 1);
        for (serial, &i) in (4..).zip(&opened[1..]) {
            assert_eq!((cases.get(i).worker, cases.get(i).assigned), (0, serial));
        }
        let (task, _) = team.take_next_task(0, &cases).expect("the task followed");
        assert_eq!((task.case, task.due), (last, 0.5));
    }
}
