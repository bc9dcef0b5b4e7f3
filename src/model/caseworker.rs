//! A caseworker: finite hours, a queue of tasks served one at a time in
//! earliest-due-date order, and a set of assigned cases (MODEL.md 2.3).

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
    /// Assigned cases by place slot (`assessment`, then rungs).
    pub cases: Vec<u32>,
}

impl Caseworker {
    /// An idle caseworker with no cases, for a ladder of `rungs` rungs.
    pub fn new(rungs: usize) -> Self {
        Self {
            cases: vec![0; rungs + 1],
            ..Self::default()
        }
    }

    /// Caseload points: Σ cases × points of their place.
    pub fn points(&self, params: &Params) -> f64 {
        let mut total = f64::from(self.cases[0]) * params.intake.assessment_points;
        for (rung, &n) in params.steps.iter().zip(&self.cases[1..]) {
            total += f64::from(n) * rung.points;
        }
        total
    }

    /// Number of open cases assigned.
    pub fn caseload(&self) -> u32 {
        self.cases.iter().sum()
    }

    /// Task hours per week: max(C − L, min_task_share × C), where L is the
    /// continuous workload of the assigned cases.
    pub fn task_capacity(&self, params: &Params) -> f64 {
        let w = params
            .workforce
            .as_ref()
            .expect("only teams with a [workforce] have caseworkers");
        let c = w.case_work_hours();
        let monthly: f64 = params
            .steps
            .iter()
            .zip(&self.cases[1..])
            .map(|(r, &n)| f64::from(n) * r.workload_hours_per_month)
            .sum();
        let load = monthly * 12.0 / 52.0;
        (c - load).max(w.min_task_share * c)
    }
}

/// The caseworker with the fewest points (ties: lowest index) among the
/// first `n`.
pub fn least_loaded(workers: &[Caseworker], n: usize, params: &Params) -> usize {
    let mut best = 0;
    let mut best_points = f64::INFINITY;
    for (i, w) in workers[..n].iter().enumerate() {
        let p = w.points(params);
        if p < best_points {
            best = i;
            best_points = p;
        }
    }
    best
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
