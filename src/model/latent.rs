//! Latent need and crises (docs/model.md section 2): the hidden state of a case
//! on a rung, driven by competing hazards. A case has one pending *clock*
//! event: the earliest of its latent-state hazard, its `exit.close` hazard
//! and its ageing out. Hazards are memoryless, so the clock is simply
//! redrawn whenever the state, the rung or the rates change.

use super::case::{Latent, Place, Transition};
use super::moves::Heading;
use super::replication::{Event, Replication};
use super::streams::{exponential, uniform};
use crate::scenario::AgeBands;
use crate::transitions::{Kind, Target};

/// When age band `band` of a child born at model time `born` ends, and
/// what happens then: the next band begins, or (in the last band) the
/// child ages out at `ages_out_at`.
pub(super) fn band_end(
    bands: &AgeBands,
    band: usize,
    born: f64,
    ages_out_at: f64,
) -> (f64, Transition) {
    if band + 1 < bands.count() {
        (born + bands.upper(band), Transition::NextBand)
    } else {
        (ages_out_at, Transition::AgeOut)
    }
}

impl Replication<'_> {
    /// Draw the case's next clock event: one exponential wait at the total
    /// rate, then which hazard it was, in proportion to the rates; ageing
    /// out if that comes first. Under assessment only ageing out applies.
    pub(super) fn schedule_clock(&mut self, i: usize) {
        let stamp = self.cases.void_clock(i);
        let (params, now) = (self.params, self.now());
        let c = self.cases.get_mut(i);
        let (rates, kinds, close): ([f64; 2], [Transition; 2], f64) = match c.place {
            Place::Assessment => ([0.0, 0.0], [Transition::Close; 2], 0.0),
            Place::Rung(r) => {
                let h = params.hazards(r, c.band);
                let (rates, kinds) = match c.latent {
                    Latent::Fit => (
                        [h.improve, h.worsen],
                        [Transition::Improve, Transition::Worsen],
                    ),
                    Latent::Ready => ([h.relapse, 0.0], [Transition::Relapse; 2]),
                    Latent::NeedsMore => ([h.crisis, 0.0], [Transition::Crisis; 2]),
                };
                (rates, kinds, h.close)
            }
        };
        let total = rates[0] + rates[1] + close;
        let wait = exponential(&mut c.latent_rng, total);
        let pick = uniform(&mut c.latent_rng) * total;
        let at = now + wait;
        // The clock fires at the end of the age band at the latest (with
        // one band: ageing out).
        let (time, next) = if at < c.band_ends_at {
            let next = if pick < rates[0] {
                kinds[0]
            } else if pick < rates[0] + rates[1] {
                kinds[1]
            } else {
                Transition::Close
            };
            (at, next)
        } else {
            (c.band_ends_at, c.band_end)
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

    /// The child's age reaches a cut point (model version 2): its hazards
    /// switch to the next band's from now on (the clock is redrawn);
    /// nothing else changes and nothing is counted.
    fn next_band(&mut self, i: usize) {
        let bands = &self.params.bands;
        let c = self.cases.get(i);
        let (place, band) = (c.place, c.band + 1);
        let (ends, end) = band_end(bands, band, c.born, c.ages_out_at);
        let c = self.cases.get_mut(i);
        (c.band, c.band_ends_at, c.band_end) = (band, ends, end);
        self.cases.change_band(place, band - 1, band);
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
                self.record_end(i, Target::Closed, Kind::Close);
                return self.end_case(i);
            }
            Transition::AgeOut => {
                self.ledger.count(|t| t.aged_out += 1);
                self.record_end(i, Target::AgedOut, Kind::AgeOut);
                return self.end_case(i);
            }
            Transition::NextBand => self.next_band(i),
        }
        self.schedule_clock(i);
    }

    /// An unplanned move to where `crisis_to` says (default: one rung up;
    /// at the top, or to the own rung: a new placement on the same rung);
    /// on a placement rung it is a breakdown.
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
        let to = self.destination(i, r, Heading::Crisis);
        self.move_from_rung(i, r, to, Kind::Crisis);
    }
}
