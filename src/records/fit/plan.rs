//! What a fit does with each value of the policy scenario: set it from
//! the records, search it by simulation, or keep the policy's, and why.
//!
//! *Set directly* (each an observed quantity with its sampling error):
//! referrals per year, the age weights and the entry mix by band; a rung's
//! `exit.close` per band where nothing else closes a case there (any rung
//! but the lowest whose `down_to` does not lead to `closed`: there the
//! observed closure intensity *is* the hazard); a rung's `down_to` from the
//! shares of the lower rungs its moves down led to; and, with
//! `--follow-ups`, each rung's `first_weeks` and `every_weeks` from the
//! cadence the records show.
//!
//! *Searched*: one multiplier per rung × hazard (`improve`, `worsen`,
//! `crisis`) on every band's policy value, so the policy's age shape is
//! kept and the search has few dimensions (×1/20 to ×20, log scale), and
//! `detection` (0.05 to 1).
//!
//! *Kept*: `relapse` (it acts only between a case becoming ready and the
//! follow-up that would see it, which intensities cannot tell from a lower
//! `improve`), `up_to` and `crisis_to` (a move up is a detected need or a
//! crisis, and the records do not say which), the lowest rung's
//! `exit.close` (its closures are planned moves or the hazard, the records
//! do not say which: the planned share is fitted through `improve`), and a
//! hazard the policy sets to 0 in every band (a multiplier cannot move it).

use chrono::NaiveDate;
use indexmap::IndexMap;
use toml::Value;

use crate::Error;
use crate::calibrate::optimise::Range;
use crate::format::significant;
use crate::records::Records;
use crate::records::bands::AgeBands;
use crate::records::codes::Place;
use crate::records::observed::{Estimate, Observed, Quantity, Window};
use crate::records::open_cases::{self, OpenCase};
use crate::results::number;
use crate::scenario::file::toml_date;
use crate::scenario::{
    ByBand, CaseList, Document, Initial, LatentRates, ListedCase, Override, Scenario,
};

/// The case list every fitted scenario names (beside it in the output).
pub const OPEN_CASES: &str = "open-cases.csv";

/// A hidden hazard a multiplier scales.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hazard {
    /// `latent.improve`.
    Improve,
    /// `latent.worsen`.
    Worsen,
    /// `latent.crisis`.
    Crisis,
}

impl Hazard {
    /// Every hazard that is searched.
    pub const ALL: [Hazard; 3] = [Hazard::Improve, Hazard::Worsen, Hazard::Crisis];

    /// Its key under `latent`.
    pub fn key(self) -> &'static str {
        match self {
            Hazard::Improve => "improve",
            Hazard::Worsen => "worsen",
            Hazard::Crisis => "crisis",
        }
    }

    fn of(self, rates: &LatentRates) -> &ByBand {
        match self {
            Hazard::Improve => &rates.improve,
            Hazard::Worsen => &rates.worsen,
            Hazard::Crisis => &rates.crisis,
        }
    }
}

/// What a searched value moves.
#[derive(Debug, Clone, PartialEq)]
pub enum Knob {
    /// A multiplier on a rung's hazard in every band (the policy's values).
    Multiplier {
        /// The policy's value.
        policy: ByBand,
    },
    /// `follow_up.detection` itself.
    Detection,
}

/// A value the search moves.
#[derive(Debug, Clone, PartialEq)]
pub struct Searched {
    /// Its `--set` path.
    pub path: String,
    /// What it moves.
    pub knob: Knob,
    /// Its search interval.
    pub range: Range,
    /// Where the search starts (the policy's value: multiplier 1).
    pub start: f64,
}

impl Searched {
    /// The scenario value at search value `x`, to `digits` significant
    /// digits.
    pub fn value(&self, x: f64, digits: u32) -> Value {
        match &self.knob {
            Knob::Detection => Value::Float(significant(x, digits)),
            Knob::Multiplier { policy } => match policy {
                ByBand::All(v) => Value::Float(significant(v * x, digits)),
                ByBand::Each(values) => Value::Array(
                    values
                        .iter()
                        .map(|v| Value::Float(significant(v * x, digits)))
                        .collect(),
                ),
            },
        }
    }

    /// The policy's value as written.
    pub fn policy_text(&self, detection: f64) -> String {
        match &self.knob {
            Knob::Detection => number(detection),
            Knob::Multiplier { policy } => policy.to_string(),
        }
    }
}

/// A value set from the records.
#[derive(Debug, Clone, PartialEq)]
pub struct Direct {
    /// The override that sets it.
    pub set: Override,
    /// The policy's value, as written.
    pub policy: String,
    /// Its standard error, as written (a number or one per band).
    pub se: String,
    /// Which observed quantity it is.
    pub source: String,
}

/// A value kept from the policy, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Kept {
    /// Its `--set` path.
    pub path: String,
    /// The value, as written.
    pub value: String,
    /// Why it is not fitted.
    pub reason: String,
}

/// The plan of a fit: the policy, the values set, searched and kept, and
/// the start states.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The policy scenario file.
    pub document: Document,
    /// The policy as loaded.
    pub policy: Scenario,
    /// Values set from the records.
    pub direct: Vec<Direct>,
    /// Values the search moves, in search order.
    pub parameters: Vec<Searched>,
    /// Values kept from the policy.
    pub kept: Vec<Kept>,
    /// The observation window.
    pub window: Window,
    /// The cases open on the window's first day (the window scenario's start).
    pub window_cases: CaseList,
    /// The cases open on its last day (the fitted scenario's start).
    pub end_cases: CaseList,
}

/// The records' open cases as a scenario case list, with the values
/// `open-cases.csv` holds.
fn case_list(cases: &[OpenCase]) -> CaseList {
    CaseList {
        source: OPEN_CASES.into(),
        cases: cases
            .iter()
            .map(|c| ListedCase {
                slot: match c.place {
                    Place::Assessment => 0,
                    Place::Rung(i) => i + 1,
                },
                age: open_cases::cut(c.age),
                years_on_place: open_cases::cut(c.years_on_place),
            })
            .collect(),
    }
}

/// One number per band: a plain number with one band.
fn per_band(values: &[f64], digits: u32) -> Value {
    match values {
        [one] => Value::Float(significant(*one, digits)),
        _ => Value::Array(
            values
                .iter()
                .map(|v| Value::Float(significant(*v, digits)))
                .collect(),
        ),
    }
}

/// Numbers as written in a scenario: one, or `[a, b]`.
fn text(values: &[f64]) -> String {
    match values {
        [one] => number(significant(*one, 4)),
        _ => format!(
            "[{}]",
            values
                .iter()
                .map(|v| number(significant(*v, 4)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// A destination table as written: `{ kinship = 0.5, foster = 0.5 }`.
fn destinations_text(table: &crate::scenario::Destinations) -> String {
    let parts: Vec<String> = table
        .iter()
        .map(|(k, v)| format!("{k} = {}", number(*v)))
        .collect();
    format!("{{ {} }}", parts.join(", "))
}

/// Shares that sum to 1 exactly (to float precision) after rounding: each
/// rounded to 6 decimals, the largest taking the remainder.
fn shares(values: &mut [f64]) {
    let largest = (0..values.len())
        .max_by(|&a, &b| values[a].total_cmp(&values[b]))
        .unwrap_or(0);
    let mut rest = 1.0;
    for (i, v) in values.iter_mut().enumerate() {
        if i != largest {
            *v = (*v * 1e6).round() / 1e6;
            rest -= *v;
        }
    }
    if let Some(v) = values.get_mut(largest) {
        // 1 − (numbers of 6 decimals) has 6 decimals too, up to float noise.
        *v = ((rest * 1e6).round() / 1e6).max(0.0);
    }
}

/// The observed estimates of one quantity, by (place, band, destination).
fn find<'a>(
    observed: &'a Observed,
    quantity: Quantity,
    place: &str,
    band: &str,
    destination: &str,
) -> Option<&'a Estimate> {
    observed.rows.iter().find(|r| {
        r.quantity == quantity
            && r.place == place
            && r.age_band == band
            && r.destination == destination
    })
}

impl Plan {
    /// Decide, for the policy in `document` and what the records show, what
    /// is set, searched and kept. `cadence`: set the follow-up tables from
    /// the records' follow-ups.
    pub fn new(
        document: Document,
        observed: &Observed,
        records: &Records,
        bands: &AgeBands,
        window: Window,
        cadence: bool,
    ) -> Result<Self, Error> {
        let layers = &document.layers;
        if layers.len() > 1 {
            return Err(Error::input(format!(
                "{}: the policy scenario extends {}; a fit writes one scenario file, so give it \
                 a policy without `extends` (`trappe check {} --resolved` prints one)",
                layers[0].name, layers[1].name, layers[0].name
            )));
        }
        let policy = Scenario::from_document(document.clone(), &[])?;
        let file = &policy.file;
        let labels: Vec<String> = (0..bands.len()).map(|b| bands.label(b)).collect();
        let mut direct = Vec::new();
        let mut kept = Vec::new();
        let mut add = |path: String, value: Value, policy: String, se: String, source: &str| {
            direct.push(Direct {
                set: Override { path, value },
                policy,
                se,
                source: source.into(),
            })
        };
        // Age bands: the fit's, which must be the policy's where it has any.
        match &file.scenario.age_bands {
            Some(cuts) if cuts.as_slice() != bands.cuts() => {
                return Err(Error::input(format!(
                    "--age-bands {}: the policy scenario has age_bands = {}; a fit writes its \
                     values by the policy's bands (omit --age-bands)",
                    text(bands.cuts()),
                    text(cuts)
                )));
            }
            None if bands.len() > 1 => add(
                "scenario.age_bands".into(),
                Value::Array(bands.cuts().iter().map(|c| Value::Float(*c)).collect()),
                "none".into(),
                String::new(),
                "--age-bands",
            ),
            _ => {}
        }
        if let Some(r) = observed.first(Quantity::ReferralsPerYear) {
            add(
                "intake.referrals_per_year".into(),
                Value::Float(significant(r.value, 4)),
                number(file.intake.referrals_per_year),
                number(significant(r.se, 2)),
                "records: new cases per year",
            );
        }
        let weights: Vec<&Estimate> = labels
            .iter()
            .filter_map(|l| find(observed, Quantity::AgeWeight, "", l, ""))
            .collect();
        if bands.len() > 1 && weights.len() == bands.len() {
            let w: Vec<f64> = weights.iter().map(|e| e.value).collect();
            let se: Vec<f64> = weights.iter().map(|e| e.se).collect();
            add(
                "intake.age_weights".into(),
                per_band(&w, 4),
                file.intake
                    .age_weights
                    .as_ref()
                    .map_or("none".into(), |w| text(w)),
                text(&se),
                "records: share of new cases by age at referral",
            );
        }
        // Entry mix: every id the policy or the records name, per band; a
        // band the records show no entries in keeps the policy's shares.
        let mut ids: Vec<String> = file.intake.entry.keys().cloned().collect();
        for r in observed
            .rows
            .iter()
            .filter(|r| r.quantity == Quantity::EntryShare)
        {
            if !ids.contains(&r.destination) {
                ids.push(r.destination.clone());
            }
        }
        let policy_share = |id: &str, b: usize| file.intake.entry.get(id).map_or(0.0, |v| v.get(b));
        let mut table = vec![vec![0.0; bands.len()]; ids.len()];
        let mut errors = vec![vec![0.0; bands.len()]; ids.len()];
        let mut seen_any = false;
        for (b, label) in labels.iter().enumerate() {
            let seen = observed
                .rows
                .iter()
                .any(|r| r.quantity == Quantity::EntryShare && &r.age_band == label);
            seen_any |= seen;
            let mut column: Vec<f64> =
                ids.iter()
                    .map(|id| match seen {
                        true => find(observed, Quantity::EntryShare, "", label, id)
                            .map_or(0.0, |e| e.value),
                        false => policy_share(id, b),
                    })
                    .collect();
            shares(&mut column);
            for (k, id) in ids.iter().enumerate() {
                table[k][b] = column[k];
                errors[k][b] =
                    find(observed, Quantity::EntryShare, "", label, id).map_or(0.0, |e| e.se);
            }
        }
        if seen_any {
            for (k, id) in ids.iter().enumerate() {
                add(
                    format!("intake.entry.{id}"),
                    per_band(&table[k], 12),
                    file.intake
                        .entry
                        .get(id)
                        .map_or("0".into(), |v| v.to_string()),
                    text(&errors[k]),
                    "records: where new cases went after assessment, by band",
                );
            }
        }
        let mut parameters = Vec::new();
        let ids: Vec<&str> = file.steps.iter().map(|r| r.id.as_str()).collect();
        for (r, rung) in file.steps.iter().enumerate() {
            let id = &rung.id;
            // exit.close: the hazard is all that closes a case here when
            // planned moves down never lead to `closed`.
            let closes = r == 0
                || rung
                    .down_to
                    .as_ref()
                    .is_some_and(|d| d.contains_key("closed"));
            let path = format!("steps.{id}.exit.close");
            if closes {
                kept.push(Kept {
                    path,
                    value: rung.exit.close.to_string(),
                    reason: "closures here are planned moves down or the close hazard, and the \
                             records do not say which: the hazard is kept, the planned share is \
                             fitted through improve"
                        .into(),
                });
            } else {
                let mut values = Vec::new();
                let mut se = Vec::new();
                let mut any = false;
                for (b, label) in labels.iter().enumerate() {
                    let at_risk = observed.rows.iter().any(|e| {
                        e.quantity == Quantity::Intensity && &e.place == id && &e.age_band == label
                    });
                    match find(observed, Quantity::Intensity, id, label, "closed") {
                        Some(e) => {
                            any = true;
                            values.push(e.value);
                            se.push(e.se);
                        }
                        None if at_risk => {
                            any = true;
                            values.push(0.0);
                            se.push(0.0);
                        }
                        None => {
                            values.push(rung.exit.close.get(b));
                            se.push(f64::NAN);
                        }
                    }
                }
                if any {
                    add(
                        path,
                        per_band(&values, 4),
                        rung.exit.close.to_string(),
                        text(&se),
                        "records: closures per year at risk",
                    );
                }
            }
            // down_to: where moves to lower rungs led (pooled over bands).
            if r > 0 {
                let counts: Vec<usize> = ids[..r]
                    .iter()
                    .map(|to| {
                        observed
                            .rows
                            .iter()
                            .filter(|e| {
                                e.quantity == Quantity::Intensity
                                    && &e.place == id
                                    && e.destination == *to
                            })
                            .map(|e| e.count)
                            .sum()
                    })
                    .collect();
                let total: usize = counts.iter().sum();
                let closed = rung
                    .down_to
                    .as_ref()
                    .and_then(|d| d.get("closed").copied())
                    .unwrap_or(0.0);
                if total > 0 {
                    let mut values: Vec<f64> = counts
                        .iter()
                        .map(|&k| (1.0 - closed) * k as f64 / total as f64)
                        .collect();
                    if closed > 0.0 {
                        values.push(closed);
                    }
                    shares(&mut values);
                    let mut names: Vec<&str> = ids[..r].to_vec();
                    if closed > 0.0 {
                        names.push("closed");
                    }
                    let mut table = toml::Table::new();
                    let mut se = Vec::new();
                    for ((name, v), k) in names.iter().zip(&values).zip(&counts) {
                        if *v > 0.0 || (*name == "closed") {
                            table.insert((*name).into(), Value::Float(*v));
                        }
                        let p = *k as f64 / total as f64;
                        se.push((p * (1.0 - p) / total as f64).sqrt());
                    }
                    add(
                        format!("steps.{id}.down_to"),
                        Value::Table(table),
                        rung.down_to
                            .as_ref()
                            .map_or("next rung down".into(), destinations_text),
                        text(&se),
                        "records: shares of the lower rungs moves down led to",
                    );
                }
            }
            if cadence && let Some(f) = rung.follow_up {
                for (quantity, key, policy) in [
                    (Quantity::FirstFollowUpWeeks, "first_weeks", f.first_weeks),
                    (Quantity::FollowUpWeeks, "every_weeks", f.every_weeks),
                ] {
                    if let Some(e) =
                        find(observed, quantity, id, "all", "").filter(|e| e.count >= 3)
                    {
                        add(
                            format!("steps.{id}.follow_up.{key}"),
                            Value::Float(significant(e.value, 3)),
                            number(policy),
                            number(significant(e.se, 2)),
                            "records: mean weeks between follow-ups (follow-ups file)",
                        );
                    }
                }
            }
            for hazard in Hazard::ALL {
                let policy_value = hazard.of(&rung.latent);
                let path = format!("steps.{id}.latent.{}", hazard.key());
                if policy_value.max() > 0.0 {
                    parameters.push(Searched {
                        path,
                        knob: Knob::Multiplier {
                            policy: policy_value.clone(),
                        },
                        range: Range {
                            min: 1.0 / 20.0,
                            max: 20.0,
                            log: true,
                        },
                        start: 1.0,
                    });
                } else {
                    kept.push(Kept {
                        path,
                        value: policy_value.to_string(),
                        reason: "0 in the policy in every band: a multiplier cannot move it".into(),
                    });
                }
            }
            kept.push(Kept {
                path: format!("steps.{id}.latent.relapse"),
                value: rung.latent.relapse.to_string(),
                reason: "not identified by transition intensities (it shortens the time a case is \
                         ready, as a lower improve would)"
                    .into(),
            });
            for (key, table) in [("up_to", &rung.up_to), ("crisis_to", &rung.crisis_to)] {
                if r + 1 < file.steps.len() {
                    kept.push(Kept {
                        path: format!("steps.{id}.{key}"),
                        value: table.as_ref().map_or("default".into(), destinations_text),
                        reason: "a move up is a detected need or a crisis and the records do not \
                                 say which"
                            .into(),
                    });
                }
            }
        }
        parameters.push(Searched {
            path: "follow_up.detection".into(),
            knob: Knob::Detection,
            range: Range {
                min: 0.05,
                max: 1.0,
                log: false,
            },
            start: file.follow_up.detection.clamp(0.05, 1.0),
        });
        Ok(Self {
            document,
            window,
            window_cases: case_list(&open_cases::open_on(&records.history, window.from)),
            end_cases: case_list(&open_cases::open_on(&records.history, window.to)),
            policy,
            direct,
            parameters,
            kept,
        })
    }

    /// The overrides that give the policy every set value and the searched
    /// values `x` (to `digits` significant digits).
    pub fn overrides(&self, x: &[f64], digits: u32) -> Vec<Override> {
        self.direct
            .iter()
            .map(|d| d.set.clone())
            .chain(self.parameters.iter().zip(x).map(|(p, &x)| Override {
                path: p.path.clone(),
                value: p.value(x, digits),
            }))
            .collect()
    }

    /// The overrides written into `scenario.toml`: the values (4
    /// significant digits), and the start on the window's last day without
    /// a warm-up.
    pub fn output_overrides(&self, x: &[f64]) -> Vec<Override> {
        let mut out = self.overrides(x, 4);
        out.push(Override {
            path: "scenario.start".into(),
            value: Value::Datetime(toml_date(self.window.to)),
        });
        out.push(Override {
            path: "scenario.warmup_years".into(),
            value: Value::Float(0.0),
        });
        out
    }

    /// The policy with `overrides`, starting from `cases` (a case list
    /// read in memory); `window` also sets `start`, the horizon and the
    /// replications and drops `[[changes]]` and `[uncertainty]` (the
    /// records show the practice of their own time).
    fn build(
        &self,
        overrides: &[Override],
        cases: &CaseList,
        window: Option<(NaiveDate, f64, u64)>,
    ) -> Result<Scenario, Error> {
        let loaded = Scenario::from_document(self.document.clone(), overrides)?;
        let mut file = loaded.file;
        file.initial = Initial {
            counts: IndexMap::new(),
            cases: Some(OPEN_CASES.into()),
        };
        if let Some((start, horizon, replications)) = window {
            file.scenario.start = toml_date(start);
            file.scenario.horizon_years = horizon;
            file.scenario.warmup_years = 0.0;
            file.scenario.replications = replications;
            file.changes.clear();
            file.uncertainty.clear();
        }
        let mut scenario = Scenario::from_file(file).map_err(|problems| {
            Error::Failed(format!(
                "the fitted values make the policy scenario invalid: {}",
                problems
                    .iter()
                    .map(|p| format!("{}: {}", p.path, p.message))
                    .collect::<Vec<_>>()
                    .join("; ")
            ))
        })?;
        scenario.initial_cases = Some(cases.clone());
        Ok(scenario)
    }

    /// The window scenario at searched values `x`: from the cases open on
    /// the window's first day to its last day.
    pub fn window_scenario(&self, x: &[f64], replications: u64) -> Result<Scenario, Error> {
        self.build(
            &self.overrides(x, 12),
            &self.window_cases,
            Some((self.window.from, self.window.years(), replications)),
        )
    }

    /// The fitted scenario (`scenario.toml` as a scenario): the policy with
    /// `overrides` ([`Plan::output_overrides`]), from the cases open on the
    /// window's last day.
    pub fn final_scenario(&self, overrides: &[Override]) -> Result<Scenario, Error> {
        self.build(overrides, &self.end_cases, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounded_shares_still_sum_to_one() {
        let mut v = vec![1.0 / 3.0, 1.0 / 3.0, 1.0 / 3.0 + 1e-9, 0.0];
        shares(&mut v);
        assert!((v.iter().sum::<f64>() - 1.0).abs() < 1e-12, "{v:?}");
        assert_eq!(v[0], 0.333333);
        assert_eq!(v[3], 0.0);
    }

    #[test]
    fn a_multiplier_keeps_the_age_shape() {
        let p = Searched {
            path: "steps.a.latent.improve".into(),
            knob: Knob::Multiplier {
                policy: ByBand::Each(vec![0.4, 0.2]),
            },
            range: Range {
                min: 0.05,
                max: 20.0,
                log: true,
            },
            start: 1.0,
        };
        assert_eq!(
            p.value(1.5, 4),
            Value::Array(vec![Value::Float(0.6), Value::Float(0.3)])
        );
        assert_eq!(p.policy_text(0.9), "[0.4, 0.2]");
    }
}
