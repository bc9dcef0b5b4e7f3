//! Moves and case ends (docs/model.md section 2): what every move does,
//! whatever rule decided it. A case leaves its place (counts, caseload,
//! placement spell, the case log's spell), then settles on the new rung with latent `fit`, time
//! on rung reset and a fresh follow-up schedule; anything pending for its
//! old place (a follow-up, a queued or half-done task) is void.
//!
//! The rules decide *that* a case moves (the crisis in `latent.rs`, the
//! decision in `follow_up.rs`, the entry draw in `intake.rs`); this file
//! decides where a planned move or crisis leads (a rung's `down_to`,
//! `up_to`, `crisis_to`, or the next rung), records every move in
//! `transitions.csv`'s counters and carries it out.

use super::case::{Latent, Place};
use super::case_log::SpellEnd;
use super::replication::Replication;
use super::streams::uniform;
use crate::scenario::destinations::Destination;
use crate::scenario::file::WEEKS_PER_YEAR;
use crate::transitions::{Kind, Origin, Target};

/// Which of a rung's destination tables a move reads.
#[derive(Debug, Clone, Copy)]
pub(super) enum Heading {
    /// A planned move down (`down_to`; default the next rung down, or
    /// `closed` from the lowest rung).
    Down,
    /// A planned move up (`up_to`; default the next rung up).
    Up,
    /// A crisis (`crisis_to`; default the next rung up, the top rung
    /// itself).
    Crisis,
}

impl Replication<'_> {
    /// Where case `i`'s move from rung `r` leads. With a table for the
    /// move, one uniform number from the case's decision stream picks the
    /// destination; without one the default applies and nothing is drawn
    /// (so scenarios without tables keep trappe 0.1's streams).
    pub(super) fn destination(&mut self, i: usize, r: usize, heading: Heading) -> Destination {
        let params = self.params;
        let moves = &params.moves[r];
        let top = params.steps.len() - 1;
        let (table, default) = match heading {
            Heading::Down => (
                &moves.down,
                match r {
                    0 => Destination::Closed,
                    _ => Destination::Rung(r - 1),
                },
            ),
            Heading::Up => (&moves.up, Destination::Rung((r + 1).min(top))),
            Heading::Crisis => (&moves.crisis, Destination::Rung((r + 1).min(top))),
        };
        match table {
            None => default,
            Some(table) => table.pick(uniform(&mut self.cases.get_mut(i).decision_rng)),
        }
    }

    /// Record a move of case `i` from rung `r` and carry it out: to a rung
    /// (the own rung included: a new placement there), or closed. A move to
    /// another rung needs a place there (`capacity.rs`): when it is full
    /// the case is diverted, and what is recorded is where it went; a
    /// diverted move down that finds no room below leaves the case where
    /// it is, records nothing and returns false.
    pub(super) fn move_from_rung(
        &mut self,
        i: usize,
        r: usize,
        to: Destination,
        kind: Kind,
    ) -> bool {
        match to {
            Destination::Rung(d) if d == r => {
                self.ledger.record(Origin::Rung(r), Target::Rung(r), kind);
                self.enter_rung(i, r);
                true
            }
            Destination::Rung(d) => match self.enter_wanted(i, d) {
                Some(entered) => {
                    self.ledger
                        .record(Origin::Rung(r), Target::Rung(entered), kind);
                    true
                }
                None => false,
            },
            Destination::Closed => {
                self.ledger.record(Origin::Rung(r), Target::Closed, kind);
                self.end_case(i);
                true
            }
        }
    }

    /// Record that case `i` ends (closed or aged out) from where it is.
    pub(super) fn record_end(&mut self, i: usize, to: Target, kind: Kind) {
        let from = match self.cases.get(i).place {
            Place::Assessment => Origin::Assessment,
            Place::Rung(r) => Origin::Rung(r),
        };
        self.ledger.record(from, to, kind);
    }

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
        let now = self.now();
        self.log(|log| log.moved(i, Place::Rung(r), now));
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
        let band = c.band;
        self.cases.arrive(Place::Rung(r), rung.placement, band);
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
        let (place, band) = (c.place, c.band);
        let placement = match place {
            Place::Rung(r) => self.params.steps[r].placement,
            Place::Assessment => false,
        };
        self.team.give_up(c, self.params);
        self.cases.depart(place, placement, band);
    }

    /// End a case: it leaves the ladder and its pending events are void.
    /// It aged out when it ends at its `ages_out_at`, else it closed.
    pub(super) fn end_case(&mut self, i: usize) {
        let now = self.now();
        let c = self.cases.get(i);
        let (left, ages_out_at) = (c.place, c.ages_out_at);
        self.log(|log| {
            let reason = if now >= ages_out_at {
                SpellEnd::AgedOut
            } else {
                SpellEnd::Closed
            };
            log.ended(i, now, reason)
        });
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
