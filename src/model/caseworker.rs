//! A caseworker: finite hours, a queue of tasks served one at a time in
//! earliest-due-date order, and a set of assigned cases (docs/model.md section 4).

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::event_queue::{Generation, Stamp};
use crate::scenario::Params;

/// What a task is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskKind {
    /// A §50 assessment of a new referral.
    Assessment,
    /// A follow-up (SEL §70).
    FollowUp,
}

/// A unit of caseworker work for one case.
#[derive(Debug, Clone, Copy)]
pub struct Task {
    /// When it was due; the queue serves the earliest first.
    pub due: f64,
    /// Creation order, breaking ties between equal due dates.
    pub created: u64,
    /// The case (slot index).
    pub case: usize,
    /// The case's schedule stamp when the task was made: a case that moves
    /// or ends bumps it, voiding the task.
    pub stamp: Stamp,
    /// Assessment or follow-up.
    pub kind: TaskKind,
}

impl PartialEq for Task {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Task {}
impl PartialOrd for Task {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Task {
    /// Reversed for `BinaryHeap`: the earliest due (then oldest) is greatest.
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .due
            .total_cmp(&self.due)
            .then_with(|| other.created.cmp(&self.created))
    }
}

/// One caseworker.
#[derive(Debug, Clone, Default)]
pub struct Caseworker {
    /// Tasks waiting, earliest due first.
    pub queue: BinaryHeap<Task>,
    /// The task being worked on.
    pub busy: Option<Task>,
    /// Cancels the pending task-completion event when work is abandoned.
    pub work: Generation,
    /// Assigned cases by place slot (`assessment`, then rungs). Change it
    /// only through [`Caseworker::add_case`] / [`Caseworker::remove_case`],
    /// which keep the cached sums below exact.
    cases: Vec<u32>,
    /// Caseload points, recomputed from `cases` whenever they change.
    points: f64,
    /// Continuous workload in hours per month, likewise.
    monthly_load: f64,
}

impl Caseworker {
    /// An idle caseworker with no cases, for a ladder of `rungs` rungs.
    pub fn new(rungs: usize) -> Self {
        Self {
            cases: vec![0; rungs + 1],
            ..Self::default()
        }
    }

    /// Take on a case at place `slot`.
    pub fn add_case(&mut self, slot: usize, params: &Params) {
        self.cases[slot] += 1;
        self.recount(params);
    }

    /// Give up a case at place `slot`.
    pub fn remove_case(&mut self, slot: usize, params: &Params) {
        self.cases[slot] -= 1;
        self.recount(params);
    }

    /// Recompute the cached points and workload from the case counts (also
    /// after a change of parameters). Recomputed, not updated by
    /// differences, so the sums are exact and ties between caseworkers stay
    /// ties.
    pub fn recount(&mut self, params: &Params) {
        let mut points = f64::from(self.cases[0]) * params.intake.assessment_points;
        let mut monthly = 0.0;
        for (rung, &n) in params.steps.iter().zip(&self.cases[1..]) {
            points += f64::from(n) * rung.points;
            monthly += f64::from(n) * rung.workload_hours_per_month;
        }
        self.points = points;
        self.monthly_load = monthly;
    }

    /// Caseload points: Σ cases × points of their place.
    pub fn points(&self) -> f64 {
        self.points
    }

    /// Continuous workload of the assigned cases, hours per month (the
    /// *L* of the task capacity, [`crate::scenario::Workforce::task_capacity`]).
    pub fn monthly_load(&self) -> f64 {
        self.monthly_load
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(due: f64, created: u64) -> Task {
        Task {
            due,
            created,
            case: 0,
            stamp: Generation::default().stamp(),
            kind: TaskKind::FollowUp,
        }
    }

    #[test]
    fn queue_serves_earliest_due_then_oldest() {
        let mut q = BinaryHeap::new();
        for (due, created) in [(2.0, 0), (1.0, 3), (1.0, 1), (0.5, 9)] {
            q.push(task(due, created));
        }
        let order: Vec<(f64, u64)> =
            std::iter::from_fn(|| q.pop().map(|t| (t.due, t.created))).collect();
        assert_eq!(order, [(0.5, 9), (1.0, 1), (1.0, 3), (2.0, 0)]);
    }
}
