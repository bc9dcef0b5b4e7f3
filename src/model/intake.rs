//! Intake and assessment (docs/model.md section 5): the start state,
//! referrals arriving as a Poisson process, the assessment of each new
//! case, and the entry draw that places it on a rung (or closes it).

use rand::rngs::Xoshiro256PlusPlus;

use super::case::{Case, Latent, Place, Transition};
use super::caseworker::TaskKind;
use super::replication::{Event, Replication};
use super::streams::{StreamKind, stream, uniform};
use crate::scenario::Params;
use crate::scenario::file::WEEKS_PER_YEAR;

impl Replication<'_> {
    /// Open a new case (counted nowhere yet) with its own random streams
    /// and an age drawn by `age`; returns its slot.
    fn new_case(&mut self, age: impl FnOnce(&mut Xoshiro256PlusPlus, &Params) -> f64) -> usize {
        let s = self.scenario.settings();
        let serial = self.cases.new_serial();
        let mut decision_rng = stream(s.seed, self.replication, StreamKind::CaseDecisions, serial);
        let age = age(&mut decision_rng, self.params);
        let now = self.now();
        self.cases.insert(Case {
            place: Place::Assessment,
            latent: Latent::Fit,
            entered: now,
            ages_out_at: now + (s.exit_age - age).max(0.0),
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
    /// case assigned as it is placed (docs/model.md section 9).
    pub(super) fn place_initial_cases(&mut self) {
        let file = &self.scenario.file;
        let exit_age = self.scenario.settings().exit_age;
        let initial_age = |rng: &mut Xoshiro256PlusPlus, p: &Params| {
            let lo = p.intake.age_min;
            lo + uniform(rng) * (exit_age - lo)
        };
        for _ in 0..file.initial.get("assessment").copied().unwrap_or(0) {
            let i = self.new_case(initial_age);
            self.start_assessment(i);
        }
        for r in 0..self.params.steps.len() {
            let id = &self.params.steps[r].id;
            for _ in 0..file.initial.get(id).copied().unwrap_or(0) {
                let i = self.new_case(initial_age);
                // The first follow-up falls uniformly within one interval.
                let first = self.params.steps[r]
                    .follow_up
                    .map(|f| uniform(&mut self.cases.get_mut(i).decision_rng) * f.every_weeks);
                self.team.assign(self.cases.get_mut(i));
                self.settle(i, r, first);
            }
        }
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

    /// A referral arrives: a new case, age uniform on [`age_min`,
    /// `age_max`], goes under assessment.
    pub(super) fn referral(&mut self) {
        let i = self.new_case(|rng, p| {
            p.intake.age_min + uniform(rng) * (p.intake.age_max - p.intake.age_min)
        });
        self.start_assessment(i);
        self.schedule_referral();
    }

    /// A referral becomes a case under assessment (docs/model.md section 5): its
    /// caseworker gets an assessment task due now; with unlimited capacity
    /// it ends after `assessment_min_weeks`.
    fn start_assessment(&mut self, i: usize) {
        self.ledger.count(|t| t.referrals += 1);
        let now = self.now();
        let min_weeks = self.params.intake.assessment_min_weeks;
        self.team.assign(self.cases.get_mut(i));
        self.cases.arrive(Place::Assessment, false);
        let c = self.cases.get_mut(i);
        c.place = Place::Assessment;
        c.entered = now;
        c.referred = now;
        c.assessment_ends_no_sooner = now + min_weeks / WEEKS_PER_YEAR;
        let ends = c.assessment_ends_no_sooner;
        self.team.take_on(self.cases.get(i), self.params);
        let stamp = self.cases.void_schedule(i);
        if !self.hand_over(i, now, TaskKind::Assessment, stamp) {
            self.at(
                ends,
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
        let u = uniform(&mut self.cases.get_mut(i).decision_rng);
        let entry = &self.params.entry;
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
            self.end_case(i);
        } else {
            self.enter_wanted(i, choice);
        }
    }
}
