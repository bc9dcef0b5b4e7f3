//! Latent need and crises (docs/model.md section 2): the hidden state of a case
//! on a rung, driven by competing hazards. A case has one pending *clock*
//! event: the earliest of its latent-state hazard, its `exit.close` hazard
//! and its ageing out. Hazards are memoryless, so the clock is simply
//! redrawn whenever the state, the rung or the rates change.

use super::case::{Latent, Place, Transition};
use super::replication::{Event, Replication};
use super::streams::{exponential, uniform};

impl Replication<'_> {
    /// Draw the case's next clock event: one exponential wait at the total
    /// rate, then which hazard it was, in proportion to the rates; ageing
    /// out if that comes first. Under assessment only ageing out applies.
    pub(super) fn schedule_clock(&mut self, i: usize) {
        let stamp = self.cases.void_clock(i);
        let (params, now) = (self.params, self.now());
        let c = self.cases.get_mut(i);
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
        let at = now + wait;
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

    /// The clock fires: the hidden state changes (and the clock is redrawn),
    /// or a crisis, closure or ageing out happens.
    pub(super) fn clock(&mut self, i: usize) {
        match self.cases.get(i).next {
            Transition::Improve => self.cases.set_latent(i, Latent::Ready),
            Transition::Worsen => self.cases.set_latent(i, Latent::NeedsMore),
            Transition::Relapse => self.cases.set_latent(i, Latent::Fit),
            Transition::Crisis => return self.crisis(i),
            Transition::Close => {
                self.ledger.count(|t| t.closures += 1);
                return self.end_case(i);
            }
            Transition::AgeOut => {
                self.ledger.count(|t| t.aged_out += 1);
                return self.end_case(i);
            }
        }
        self.schedule_clock(i);
    }

    /// An unplanned move one rung up (at the top: a new placement on the
    /// same rung); on a placement rung it is a breakdown.
    fn crisis(&mut self, i: usize) {
        let Place::Rung(r) = self.cases.get(i).place else {
            unreachable!("no hazards under assessment")
        };
        let breakdown = self.params.steps[r].placement;
        let cost = self.params.costs.per_breakdown * self.ledger.discount_at(self.now());
        self.ledger.count(|t| {
            t.crises += 1;
            if breakdown {
                t.breakdowns += 1;
                t.breakdown_cost += cost;
            }
        });
        let top = self.params.steps.len() - 1;
        if r == top {
            self.enter_rung(i, r);
        } else {
            self.enter_wanted(i, r + 1);
        }
    }
}
