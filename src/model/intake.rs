//! Intake and assessment (docs/model.md section 5): the start state,
//! referrals arriving as a Poisson process, the assessment of each new
//! case, and the entry draw that places it on a rung (or closes it).

use rand::rngs::Xoshiro256PlusPlus;

use super::case::{Case, Latent, Place, Transition};
use super::caseworker::TaskKind;
use super::latent::band_end;
use super::replication::{Event, Replication};
use super::streams::{StreamKind, stream, uniform};
use crate::scenario::Params;
use crate::scenario::file::WEEKS_PER_YEAR;
use crate::transitions::{Kind, Origin, Target};

impl Replication<'_> {
    /// Open a new case (counted nowhere yet) with its own random streams
    /// and an age drawn by `age`; returns its slot.
    fn new_case(&mut self, age: impl FnOnce(&mut Xoshiro256PlusPlus, &Params) -> f64) -> usize {
        let s = self.scenario.settings();
        let serial = self.cases.new_serial();
        let mut decision_rng = stream(s.seed, self.replication, StreamKind::CaseDecisions, serial);
        let age = age(&mut decision_rng, self.params);
        let now = self.now();
        let ages_out_at = now + (s.exit_age - age).max(0.0);
        let (born, band) = (now - age, self.params.bands.band_of(age));
        let (band_ends_at, band_end) = band_end(&self.params.bands, band, born, ages_out_at);
        self.cases.insert(Case {
            place: Place::Assessment,
            latent: Latent::Fit,
            entered: now,
            ages_out_at,
            band,
            band_ends_at,
            band_end,
            born,
            worker: 0,
            assigned: 0,
            referred: now,
            assessment_ends_no_sooner: now,
            next: Transition::AgeOut,
            latent_rng: stream(s.seed, self.replication, StreamKind::CaseLatent, serial),
            decision_rng,
        })
    }

    /// `[initial]`: assessments first, then the rungs in ladder order, each
    /// case assigned as it is placed (docs/model.md section 9); from a case
    /// list, within each place in file order.
    pub(super) fn place_initial_cases(&mut self) {
        if let Some(list) = &self.scenario.initial_cases {
            return self.place_listed_cases(&list.cases);
        }
        let file = &self.scenario.file;
        let exit_age = self.scenario.settings().exit_age;
        let initial_age = |rng: &mut Xoshiro256PlusPlus, p: &Params| {
            let lo = p.intake.age_min;
            lo + uniform(rng) * (exit_age - lo)
        };
        for _ in 0..file.initial.get("assessment").copied().unwrap_or(0) {
            let i = self.new_case(initial_age);
            self.start_assessment(i, self.now());
        }
        for r in 0..self.params.steps.len() {
            let id = &self.params.steps[r].id;
            for _ in 0..file.initial.get(id).copied().unwrap_or(0) {
                let i = self.new_case(initial_age);
                self.place_initial(i, r, 0.0);
            }
        }
    }

    /// A start state from a case list (model version 2): each listed case
    /// with its age; an assessment referred `years_on_place` before time 0,
    /// a rung case with that time already on the rung.
    fn place_listed_cases(&mut self, cases: &[crate::scenario::ListedCase]) {
        for slot in 0..=self.params.steps.len() {
            for c in cases.iter().filter(|c| c.slot == slot) {
                let i = self.new_case(|_, _| c.age);
                match slot {
                    0 => self.start_assessment(i, self.now() - c.years_on_place),
                    s => self.place_initial(i, s - 1, c.years_on_place),
                }
            }
        }
    }

    /// Put a start-state case on rung `r` with `years_on_rung` already
    /// there: its first follow-up falls uniformly within one interval.
    fn place_initial(&mut self, i: usize, r: usize, years_on_rung: f64) {
        let first = self.params.steps[r]
            .follow_up
            .map(|f| uniform(&mut self.cases.get_mut(i).decision_rng) * f.every_weeks);
        self.team.assign(self.cases.get_mut(i));
        self.settle(i, r, first);
        let c = self.cases.get_mut(i);
        c.entered -= years_on_rung;
        let (born, since) = (c.born, c.entered);
        self.log(|log| log.admit(i, born, Place::Rung(r), since));
    }

    /// Draw the next referral's arrival.
    pub(super) fn schedule_referral(&mut self) {
        let (stamp, wait) = self
            .referrals
            .draw_next(self.params.intake.referrals_per_year);
        if wait.is_finite() {
            self.at(self.now() + wait, Event::Referral(stamp));
        }
    }

    /// A referral arrives: a new case goes under assessment, its age
    /// uniform on [`age_min`, `age_max`], or with `age_weights` uniform on
    /// a band drawn by weight (within [`age_min`, `age_max`]).
    pub(super) fn referral(&mut self) {
        let i = self.new_case(|rng, p| {
            let (lo, hi) = (p.intake.age_min, p.intake.age_max);
            match &p.intake.age_weights {
                None => lo + uniform(rng) * (hi - lo),
                Some(weights) => {
                    let total: f64 = weights.iter().sum();
                    let pick = uniform(rng) * total;
                    let mut acc = 0.0;
                    let mut band = weights.iter().rposition(|&w| w > 0.0).unwrap_or(0);
                    for (b, &w) in weights.iter().enumerate() {
                        acc += w;
                        if pick < acc && w > 0.0 {
                            band = b;
                            break;
                        }
                    }
                    let from = p.bands.lower(band).max(lo);
                    let to = p.bands.upper(band).min(hi);
                    from + uniform(rng) * (to - from)
                }
            }
        });
        self.start_assessment(i, self.now());
        self.schedule_referral();
    }

    /// A referral becomes a case under assessment (docs/model.md section 5): its
    /// caseworker gets an assessment task due at the referral; with
    /// unlimited capacity it ends after `assessment_min_weeks`. `referred`
    /// is now, or earlier for a listed start-state case.
    fn start_assessment(&mut self, i: usize, referred: f64) {
        let band = self.cases.get(i).band;
        self.ledger.count(|t| t.referrals += 1);
        self.ledger.count_by_age(|t| t.referrals[band] += 1);
        let now = self.now();
        let min_weeks = self.params.intake.assessment_min_weeks;
        self.team.assign(self.cases.get_mut(i));
        self.cases.arrive(Place::Assessment, false, band);
        let c = self.cases.get_mut(i);
        c.place = Place::Assessment;
        c.entered = now;
        c.referred = referred;
        c.assessment_ends_no_sooner = referred + min_weeks / WEEKS_PER_YEAR;
        let (ends, born) = (c.assessment_ends_no_sooner, c.born);
        self.log(|log| log.admit(i, born, Place::Assessment, referred));
        self.team.take_on(self.cases.get(i), self.params);
        let stamp = self.cases.void_schedule(i);
        if !self.hand_over(i, referred, TaskKind::Assessment, stamp) {
            self.at(
                ends.max(now),
                Event::AssessmentEnd {
                    case: i as u32,
                    stamp,
                },
            );
        }
        self.schedule_clock(i);
    }

    /// The assessment task is done: the case leaves assessment now, or when
    /// `assessment_min_weeks` have passed since the referral.
    pub(super) fn assessment_done(&mut self, i: usize) {
        let ends = self.cases.get(i).assessment_ends_no_sooner;
        if self.now() >= ends {
            self.finish_assessment(i);
        } else {
            let stamp = self.cases.schedule(i);
            self.at(
                ends,
                Event::AssessmentEnd {
                    case: i as u32,
                    stamp,
                },
            );
        }
    }

    /// The assessment's outcome: one uniform number against the cumulative
    /// `entry` shares in ladder order, then `none` (closed after
    /// assessment).
    pub(super) fn finish_assessment(&mut self, i: usize) {
        let weeks = (self.now() - self.cases.get(i).referred) * WEEKS_PER_YEAR;
        self.ledger.count(|t| {
            t.assessments += 1;
            t.assessment_weeks += weeks;
        });
        let c = self.cases.get_mut(i);
        let u = uniform(&mut c.decision_rng);
        // The band at assessment completion (model version 2).
        let entry = self.params.entry(c.band);
        let mut acc = 0.0;
        let mut choice = entry
            .iter()
            .rposition(|&p| p > 0.0)
            .unwrap_or(entry.len() - 1);
        for (k, &p) in entry.iter().enumerate() {
            acc += p;
            if u < acc && p > 0.0 {
                choice = k;
                break;
            }
        }
        if choice == self.params.steps.len() {
            self.ledger.count(|t| t.closures += 1);
            self.ledger
                .record(Origin::Assessment, Target::Closed, Kind::Entry);
            self.end_case(i);
        } else {
            if let Some(entered) = self.enter_wanted(i, choice) {
                self.ledger
                    .record(Origin::Assessment, Target::Rung(entered), Kind::Entry);
            }
        }
    }
}
