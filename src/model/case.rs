//! A case: one child on the ladder (docs/model.md section 2).

use rand::rngs::Xoshiro256PlusPlus;

/// Where a case is: under assessment, or on a rung (by ladder index).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// §50 child assessment ("afklaring").
    Assessment,
    /// On the rung with this index.
    Rung(usize),
}

impl Place {
    /// Index into per-state arrays: `assessment` is 0, rung *i* is *i* + 1.
    pub fn slot(self) -> usize {
        match self {
            Place::Assessment => 0,
            Place::Rung(i) => i + 1,
        }
    }
}

/// The hidden need state (docs/model.md section 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Latent {
    /// The rung matches the need.
    Fit,
    /// The child could do with less.
    Ready,
    /// The child needs more; a crisis looms.
    NeedsMore,
}

/// What the case's pending clock event will do when it fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    /// `fit → ready`.
    Improve,
    /// `fit → needs_more`.
    Worsen,
    /// `ready → fit`.
    Relapse,
    /// Unplanned move up from `needs_more`.
    Crisis,
    /// The case closes (`exit.close`).
    Close,
    /// The child reaches `exit_age`.
    AgeOut,
    /// The child's age reaches the next age band's cut point: hazards
    /// switch, nothing is counted (model version 2).
    NextBand,
}

/// One open case.
#[derive(Debug, Clone)]
pub struct Case {
    /// Assessment or rung.
    pub place: Place,
    /// Hidden need state (always `Fit` under assessment).
    pub latent: Latent,
    /// When the case entered its current place.
    pub entered: f64,
    /// When the child reaches `exit_age`.
    pub ages_out_at: f64,
    /// The child's age band (always 0 without `scenario.age_bands`).
    pub band: usize,
    /// When the current age band ends: the next cut point's birthday, or
    /// `ages_out_at` in the last band. The clock fires then at the latest.
    pub band_ends_at: f64,
    /// What happens at `band_ends_at`: [`Transition::NextBand`], or
    /// [`Transition::AgeOut`] in the last band.
    pub band_end: Transition,
    /// Model time of birth (time − age), for the band birthdays.
    pub born: f64,
    /// Index of the assigned caseworker (0 without a workforce).
    pub worker: usize,
    /// Global assignment counter when assigned, for "assignment order".
    pub assigned: u64,
    /// When the case was referred (its assessment began; 0 for cases under
    /// assessment at the start). Kept apart from `entered` because a start
    /// state may place a case referred before time 0.
    pub referred: f64,
    /// Under assessment: the earliest time it may end (referral +
    /// `assessment_min_weeks`).
    pub assessment_ends_no_sooner: f64,
    /// What the pending clock event does.
    pub next: Transition,
    /// Hidden dynamics and exit hazards.
    pub latent_rng: Xoshiro256PlusPlus,
    /// Attributes and follow-up decisions.
    pub decision_rng: Xoshiro256PlusPlus,
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::model::streams::{StreamKind, stream};

    /// A fresh case at `place`, for the unit tests of the components.
    pub(crate) fn case_at(place: Place) -> Case {
        Case {
            place,
            latent: Latent::Fit,
            entered: 0.0,
            ages_out_at: 10.0,
            band: 0,
            band_ends_at: 10.0,
            band_end: Transition::AgeOut,
            born: -8.0,
            worker: 0,
            assigned: 0,
            referred: 0.0,
            assessment_ends_no_sooner: 0.0,
            next: Transition::AgeOut,
            latent_rng: stream(1, 0, StreamKind::CaseLatent, 0),
            decision_rng: stream(1, 0, StreamKind::CaseDecisions, 0),
        }
    }

    #[test]
    fn assessment_comes_before_the_rungs() {
        assert_eq!(Place::Assessment.slot(), 0);
        assert_eq!(Place::Rung(2).slot(), 3);
    }
}
