//! Follow-ups and decisions (docs/model.md section 2): a due follow-up
//! becomes a task for the case's caseworker; when it is done, the
//! caseworker may detect the hidden state and the case moves down, up,
//! closes or stays.

use super::case::{Latent, Place};
use super::caseworker::TaskKind;
use super::moves::Heading;
use super::replication::{Event, Replication};
use super::streams::uniform;
use crate::scenario::destinations::Destination;
use crate::scenario::file::WEEKS_PER_YEAR;
use crate::transitions::Kind;

impl Replication<'_> {
    /// The case's next follow-up falls due at `due`.
    pub(super) fn schedule_follow_up(&mut self, i: usize, due: f64) {
        let stamp = self.cases.void_schedule(i);
        self.at(
            due,
            Event::FollowUpDue {
                case: i as u32,
                stamp,
            },
        );
    }

    /// A follow-up falls due: a task for the caseworker, or done at once
    /// with unlimited capacity.
    pub(super) fn follow_up_due(&mut self, i: usize) {
        let now = self.now();
        let stamp = self.cases.schedule(i);
        if !self.hand_over(i, now, TaskKind::FollowUp, stamp) {
            self.complete_follow_up(i, now);
        }
    }

    /// The follow-up decision (docs/model.md section 2), for a follow-up that was
    /// due at `due`: count it (on time or late), detect the hidden state or
    /// see `fit`, then move up on `needs_more` (at the top: stay, latent
    /// reset), move down or close on `ready` or past `max_years`, else stay
    /// until the next follow-up `every_weeks` from now. Where a move leads
    /// is the rung's `up_to`/`down_to` (default: one rung).
    pub(super) fn complete_follow_up(&mut self, i: usize, due: f64) {
        let now = self.now();
        let p = self.params;
        let Place::Rung(r) = self.cases.get(i).place else {
            unreachable!("follow-ups are only scheduled on rungs")
        };
        self.log(|log| log.followed_up(i, now));
        let delay = (now - due) * WEEKS_PER_YEAR;
        let on_time = delay <= p.follow_up.on_time_weeks + 1e-9;
        self.ledger.count(|t| {
            t.follow_ups[r] += 1;
            t.on_time[r] += u64::from(on_time);
            t.delay_weeks += delay;
        });
        let c = self.cases.get_mut(i);
        let detected = uniform(&mut c.decision_rng) < p.follow_up.detection;
        let seen = if detected { c.latent } else { Latent::Fit };
        let rung = &p.steps[r];
        let limited = rung.max_years.is_some_and(|m| now - c.entered >= m);
        let top = p.steps.len() - 1;
        let every = rung.follow_up.map_or(f64::INFINITY, |f| f.every_weeks);
        if seen == Latent::NeedsMore {
            if r < top {
                self.ledger.count(|t| t.moves_up += 1);
                let to = self.destination(i, r, Heading::Up);
                self.move_from_rung(i, r, to, Kind::Up);
            } else {
                self.cases.set_latent(i, Latent::Fit);
                self.schedule_clock(i);
                self.schedule_follow_up(i, now + every / WEEKS_PER_YEAR);
            }
        } else if seen == Latent::Ready || limited {
            if self.is_waiting(i) {
                // A waiting case does not ask again (capacity.rs): no
                // decision, nothing drawn; it stays.
                self.schedule_follow_up(i, now + every / WEEKS_PER_YEAR);
                return;
            }
            let kind = match seen {
                Latent::Ready => Kind::Down,
                _ => Kind::TimeLimit,
            };
            let to = self.destination(i, r, Heading::Down);
            match to {
                Destination::Closed => {
                    self.ledger.count(|t| t.closures += 1);
                    self.move_from_rung(i, r, to, kind);
                }
                Destination::Rung(_) => {
                    if self.move_from_rung(i, r, to, kind) {
                        self.ledger.count(|t| t.moves_down += 1);
                    } else {
                        // Diverted, and no rung below this one has room:
                        // it stays (capacity.rs).
                        self.schedule_follow_up(i, now + every / WEEKS_PER_YEAR);
                    }
                }
            }
        } else {
            self.schedule_follow_up(i, now + every / WEEKS_PER_YEAR);
        }
    }
}
