//! Caseworkers at work (docs/model.md section 4): a task
//! handed to the team, the next task started at the capacity in force, and
//! a finished task's outcome applied before the caseworker reads capacity
//! for the next one. The team's state is in `team.rs`.

use super::case::Place;
use super::caseworker::TaskKind;
use super::replication::{Event, Replication};
use super::team::Handoff;
use crate::event_queue::Stamp;
use crate::scenario::file::WEEKS_PER_YEAR;

impl Replication<'_> {
    /// Hand a task for case `i` to the team; `false` when the team is
    /// unlimited and the caller does the task at once.
    pub(super) fn hand_over(&mut self, i: usize, due: f64, kind: TaskKind, stamp: Stamp) -> bool {
        match self.team.add_task(self.cases.get(i), i, due, kind, stamp) {
            Handoff::DoneWhenDue => false,
            Handoff::Queued => true,
            Handoff::Idle(w) => {
                self.start_next_task(w);
                true
            }
        }
    }

    /// Caseworker `w` takes the most urgent live task; its duration uses
    /// the capacity and hours in force now (docs/model.md section 9).
    pub(super) fn start_next_task(&mut self, w: usize) {
        let Some((task, stamp)) = self.team.take_next_task(w, &self.cases) else {
            return;
        };
        let hours = match task.kind {
            TaskKind::Assessment => self.params.intake.assessment_hours,
            TaskKind::FollowUp => match self.cases.get(task.case).place {
                Place::Rung(r) => self.params.steps[r].follow_up.map_or(0.0, |f| f.hours),
                Place::Assessment => 0.0,
            },
        };
        let weeks = hours / self.team.task_capacity(w);
        self.at(
            self.now() + weeks / WEEKS_PER_YEAR,
            Event::TaskDone {
                worker: w as u32,
                stamp,
            },
        );
    }

    /// Every idle caseworker in post starts work.
    pub(super) fn start_idle_workers(&mut self) {
        for w in 0..self.team.active() {
            if self.team.is_idle(w) {
                self.start_next_task(w);
            }
        }
    }

    /// Caseworker `w` completes a task: its outcome applies (if the case
    /// has not moved or ended meanwhile), then the next task starts.
    pub(super) fn task_done(&mut self, w: usize) {
        let task = self.team.finish_task(w);
        if self.cases.schedule_is_current(task.case, task.stamp) {
            match task.kind {
                TaskKind::FollowUp => self.complete_follow_up(task.case, task.due),
                TaskKind::Assessment => self.assessment_done(task.case),
            }
        }
        if self.team.is_idle(w) {
            self.start_next_task(w);
        }
    }
}
