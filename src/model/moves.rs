//! Moves and case ends (docs/model.md section 2): what every move does,
//! whatever rule decided it. A case leaves its place (counts, caseload,
//! placement spell), then settles on the new rung with latent `fit`, time
//! on rung reset and a fresh follow-up schedule; anything pending for its
//! old place (a follow-up, a queued or half-done task) is void.
//!
//! The rules choose *where* a move goes (the crisis in `latent.rs`, the
//! decision in `follow_up.rs`, the entry draw in `intake.rs`); this file
//! carries it out.

use super::case::{Latent, Place};
use super::replication::Replication;
use crate::scenario::file::WEEKS_PER_YEAR;

impl Replication<'_> {
    /// Move a case to rung `r`: it leaves where it was; see [`Self::settle`].
    /// The place it left may admit a waiting case (`capacity.rs`).
    pub(super) fn enter_rung(&mut self, i: usize, r: usize) {
        let left = self.relocate(i, r);
        self.free_place(left);
    }

    /// Move a case to rung `r` without yet admitting anyone to the place
    /// it left, which it returns (for `capacity.rs`: a diverted case joins
    /// its waiting list before the place it left is filled again).
    pub(super) fn relocate(&mut self, i: usize, r: usize) -> Place {
        let left = self.cases.get(i).place;
        self.leave(i);
        self.settle(i, r, None);
        left
    }

    /// Put a case on rung `r` and reset its hidden state, time on rung and
    /// follow-up schedule (docs/model.md section 2). `first_due_weeks` overrides the
    /// rung's `first_weeks` (initial cases).
    pub(super) fn settle(&mut self, i: usize, r: usize, first_due_weeks: Option<f64>) {
        let now = self.now();
        let params = self.params;
        let rung = &params.steps[r];
        let c = self.cases.get_mut(i);
        debug_assert_eq!(c.latent, Latent::Fit, "a case leaves its place fit");
        c.place = Place::Rung(r);
        c.entered = now;
        self.cases.arrive(Place::Rung(r), rung.placement);
        self.team.take_on(self.cases.get(i), params);
        if rung.placement {
            self.ledger.count(|t| t.spells += 1);
        }
        self.void_schedule(i);
        if let Some(f) = rung.follow_up {
            let weeks = first_due_weeks.unwrap_or(f.first_weeks);
            self.schedule_follow_up(i, now + weeks / WEEKS_PER_YEAR);
        }
        self.schedule_clock(i);
    }

    /// Take a case out of the counts of its place (and its caseworker's
    /// caseload, and any waiting list); its hidden state resets to `fit`.
    fn leave(&mut self, i: usize) {
        self.stop_waiting(i);
        self.cases.set_latent(i, Latent::Fit);
        let c = self.cases.get(i);
        let place = c.place;
        let placement = match place {
            Place::Rung(r) => self.params.steps[r].placement,
            Place::Assessment => false,
        };
        self.team.give_up(c, self.params);
        self.cases.depart(place, placement);
    }

    /// End a case: it leaves the ladder and its pending events are void.
    pub(super) fn end_case(&mut self, i: usize) {
        let left = self.cases.get(i).place;
        self.leave(i);
        self.cases.void_clock(i);
        self.void_schedule(i);
        self.cases.remove(i);
        self.free_place(left);
    }

    /// The case moved or ended: its pending follow-up and task are void,
    /// and work in progress on it is lost (its caseworker starts the next
    /// task).
    fn void_schedule(&mut self, i: usize) {
        self.cases.void_schedule(i);
        if let Some(w) = self.team.abandon_work_on(self.cases.get(i), i) {
            self.start_next_task(w);
        }
    }
}
