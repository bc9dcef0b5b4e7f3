//! The distance a fit minimises: the window scenario simulated at fixed
//! replication indices (common random numbers), each replication's case
//! records estimated exactly as the real ones, and the simulated mean of
//! every observed quantity compared with the observed value in units of
//! their combined standard error.
//!
//! *Fitted* quantities (in the distance): the transition intensities out
//! of every rung, to every destination but `aged_out` (ageing out follows
//! from the ages alone). Everything else is a *check*, compared but not
//! fitted: what was set directly (referrals, age weights, entry mix),
//! moves out of assessment, ageing out, and the follow-up cadence.
//!
//! An observed count of 0 gets the standard error of a count of 1 (a
//! Poisson count of 0 is compatible with a mean near 1), so a zero does not
//! weigh infinitely.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::plan::Plan;
use crate::Error;
use crate::calibrate::optimise::{Objective, Range, Value};
use crate::records::Records;
use crate::records::bands::AgeBands;
use crate::records::codes::Places;
use crate::records::observed::{Estimate, Observed, Quantity, Window};
use crate::records::simulated::simulate_records;

/// Whether an observed quantity is fitted or only compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// In the distance the search minimises.
    Fitted,
    /// Compared only.
    Check,
}

/// One observed quantity against its simulated mean.
#[derive(Debug, Clone, PartialEq)]
pub struct RowFit {
    /// The observed estimate.
    pub observed: Estimate,
    /// The observed value's standard error as used (zero counts floored).
    pub observed_se: f64,
    /// The simulated mean over the replications.
    pub fitted: f64,
    /// Its Monte Carlo standard error (sd / √replications).
    pub fitted_se: f64,
    /// (fitted − observed) / √(observed_se² + fitted_se²); NaN where
    /// neither has a standard error.
    pub distance: f64,
    /// Fitted or a check.
    pub role: Role,
}

impl RowFit {
    /// `fits` (|distance| ≤ 2), `misses` or `check`.
    pub fn verdict(&self) -> &'static str {
        match self.role {
            Role::Check => "check",
            Role::Fitted if self.distance.abs() <= 2.0 => "fits",
            Role::Fitted => "misses",
        }
    }
}

/// The records fit's objective, for [`crate::calibrate::optimise::fit`].
pub struct RecordsObjective<'a> {
    plan: &'a Plan,
    observed: &'a Observed,
    places: &'a Places,
    bands: &'a AgeBands,
    window: Window,
    follow_ups: bool,
    roles: Vec<Role>,
}

type Key<'k> = (Quantity, &'k str, &'k str, &'k str);

fn key(e: &Estimate) -> Key<'_> {
    (e.quantity, &e.place, &e.age_band, &e.destination)
}

impl<'a> RecordsObjective<'a> {
    /// The objective of `plan` against `observed` (estimated from
    /// `records` in `window` by `bands`).
    pub fn new(
        plan: &'a Plan,
        observed: &'a Observed,
        records: &'a Records,
        bands: &'a AgeBands,
        window: Window,
    ) -> Self {
        let roles = observed
            .rows
            .iter()
            .map(|e| {
                let fitted = e.quantity == Quantity::Intensity
                    && e.place != "assessment"
                    && e.destination != "aged_out";
                if fitted { Role::Fitted } else { Role::Check }
            })
            .collect();
        Self {
            plan,
            observed,
            places: &records.places,
            bands,
            window,
            follow_ups: records.follow_ups.is_some(),
            roles,
        }
    }

    /// What each of `replications` replications of the window scenario at
    /// searched values `x` shows, estimated as the records are.
    fn simulate(&self, x: &[f64], replications: u64) -> Result<Vec<Observed>, Error> {
        let scenario = self.plan.window_scenario(x, replications)?;
        Ok((0..replications)
            .into_par_iter()
            .map(|rep| {
                let sim = simulate_records(&scenario, rep);
                Observed::estimate(
                    &sim.history,
                    self.follow_ups.then_some(sim.follow_ups.as_slice()),
                    self.places,
                    self.bands,
                    self.window,
                )
            })
            .collect())
    }

    /// Every observed quantity against the simulation at `x`.
    pub fn rows(&self, x: &[f64], replications: u64) -> Result<Vec<RowFit>, Error> {
        let runs = self.simulate(x, replications)?;
        let tables: Vec<BTreeMap<Key<'_>, f64>> = runs
            .iter()
            .map(|o| o.rows.iter().map(|e| (key(e), e.value)).collect())
            .collect();
        Ok(self
            .observed
            .rows
            .iter()
            .zip(&self.roles)
            .map(|(e, &role)| {
                let k = key(e);
                // A rate or share a replication does not show is 0 there; a
                // mean it does not show (no follow-ups) is left out.
                let values: Vec<f64> = tables
                    .iter()
                    .filter_map(|t| match (t.get(&k), e.quantity) {
                        (Some(v), _) => Some(*v),
                        (None, Quantity::FollowUpWeeks | Quantity::FirstFollowUpWeeks) => None,
                        (None, _) => Some(0.0),
                    })
                    .collect();
                let n = values.len() as f64;
                let mean = values.iter().sum::<f64>() / n;
                let sd = if values.len() > 1 {
                    (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
                } else {
                    0.0
                };
                let fitted_se = sd / n.sqrt();
                let observed_se = match e.quantity {
                    _ if e.base <= 0.0 => e.se,
                    Quantity::Intensity | Quantity::ReferralsPerYear => {
                        (e.count.max(1) as f64).sqrt() / e.base
                    }
                    Quantity::AgeWeight | Quantity::EntryShare => e.se.max(1.0 / e.base),
                    Quantity::FollowUpWeeks | Quantity::FirstFollowUpWeeks => e.se,
                };
                let scale = (observed_se.powi(2) + fitted_se.powi(2)).sqrt();
                let distance = if scale > 0.0 && n > 0.0 {
                    (mean - e.value) / scale
                } else {
                    f64::NAN
                };
                RowFit {
                    observed: e.clone(),
                    observed_se,
                    fitted: mean,
                    fitted_se,
                    distance,
                    role,
                }
            })
            .collect())
    }

    /// The distances of the fitted quantities (residuals of the χ² distance).
    pub fn residuals(rows: &[RowFit]) -> Vec<f64> {
        rows.iter()
            .filter(|r| r.role == Role::Fitted)
            .map(|r| {
                if r.distance.is_finite() {
                    r.distance
                } else {
                    0.0
                }
            })
            .collect()
    }

    /// Σ distance² over the fitted quantities.
    pub fn distance(&self, rows: &[RowFit]) -> f64 {
        Self::residuals(rows).iter().map(|d| d * d).sum()
    }
}

impl Objective for RecordsObjective<'_> {
    type Error = Error;

    fn ranges(&self) -> Vec<Range> {
        self.plan.parameters.iter().map(|p| p.range).collect()
    }

    fn start(&self) -> Vec<f64> {
        self.plan.parameters.iter().map(|p| p.start).collect()
    }

    fn evaluate(&self, values: &[f64], replications: u64) -> Result<Value, Error> {
        let rows = self.rows(values, replications)?;
        Ok(Value::Feasible(self.distance(&rows)))
    }
}
