//! Scenarios: the file format (docs/parameters.md), validation, `--set`
//! overrides, `extends`, and the time-varying parameter sets the model runs
//! on.
//!
//! A loaded [`Scenario`] is always valid: the model never has to check a
//! parameter again. `[[changes]]` are resolved up front into complete
//! parameter sets ([`ScheduledChange`]), each validated like the original,
//! so a change that would make the scenario invalid (e.g. caseworkers = 0)
//! is refused before anything runs.

pub mod age_bands;
pub mod case_list;
pub mod dates;
pub mod describe;
pub mod destinations;
pub mod distribution;
mod document;
pub mod file;
pub mod labels;
mod overrides;
pub mod uncertainty;
mod validate;
pub mod work;

use std::path::Path;

use chrono::NaiveDate;

pub use crate::input::{InputError, KeyPath, LocatedProblem, Problem};
pub use age_bands::{AgeBands, ByBand};
pub use case_list::{CaseList, CaseListError, ListedCase};
pub use document::Document;
pub use file::{
    ChangeSpec, Costs, Destinations, ExitRates, FollowUpPolicy, FollowUpSettings, Initial, Intake,
    LatentRates, Period, Rung, ScenarioFile, Settings, Workforce,
};
pub use overrides::Override;
pub use uncertainty::{UncertainParameter, UncertaintyTable};
pub use validate::RESERVED_IDS;

/// Everything the model reads that a `[[changes]]` entry may alter.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    /// The ladder, least intrusive first.
    pub steps: Vec<Rung>,
    /// Detection probability and on-time window.
    pub follow_up: FollowUpSettings,
    /// Referrals and assessment.
    pub intake: Intake,
    /// `None`: unlimited caseworker capacity.
    pub workforce: Option<Workforce>,
    /// Fixed and breakdown costs.
    pub costs: Costs,
    /// `entry` as probabilities, one row per age band: band *b*'s row is
    /// `entry[b × (rungs + 1)..]`, indexed like `steps`, plus `none` last.
    pub entry: Vec<f64>,
    /// Each rung's destination tables (`down_to`, `up_to`, `crisis_to`),
    /// resolved to ladder indices; indexed like `steps`.
    pub moves: Vec<destinations::RungMoves>,
    /// The age bands (one without `scenario.age_bands`).
    pub bands: AgeBands,
    /// The hazards of every (rung, band), resolved once: rung *r*, band
    /// *b* at `r × bands + b`, so the model reads one flat table whatever
    /// the number of bands.
    pub hazards: Vec<Hazards>,
    /// Rungs whose places are counted (placement capacity): those with
    /// `capacity` at the start or in any `[[changes]]` entry, in ladder
    /// order. The same in every parameter set of a scenario, so the
    /// capacity metrics have one layout for the whole run; empty for a
    /// scenario without capacity, which then pays nothing for it.
    pub capacity_rungs: Vec<usize>,
}

/// The per-year hazards of a case on one rung in one age band.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Hazards {
    /// `fit → ready`.
    pub improve: f64,
    /// `fit → needs_more`.
    pub worsen: f64,
    /// `ready → fit`.
    pub relapse: f64,
    /// Crisis from `needs_more`.
    pub crisis: f64,
    /// `exit.close`.
    pub close: f64,
}

impl Params {
    fn from_file(file: &ScenarioFile) -> Self {
        let bands = AgeBands::new(file.scenario.age_bands.as_deref(), file.scenario.exit_age);
        let share = |id: &str, b: usize| file.intake.entry.get(id).map_or(0.0, |v| v.get(b));
        let mut entry = Vec::with_capacity(bands.count() * (file.steps.len() + 1));
        let mut hazards = Vec::with_capacity(bands.count() * file.steps.len());
        for b in 0..bands.count() {
            entry.extend(file.steps.iter().map(|r| share(&r.id, b)));
            entry.push(share("none", b));
        }
        for r in &file.steps {
            for b in 0..bands.count() {
                let l = &r.latent;
                hazards.push(Hazards {
                    improve: l.improve.get(b),
                    worsen: l.worsen.get(b),
                    relapse: l.relapse.get(b),
                    crisis: l.crisis.get(b),
                    close: r.exit.close.get(b),
                });
            }
        }
        Self {
            steps: file.steps.clone(),
            follow_up: file.follow_up,
            intake: file.intake.clone(),
            workforce: file.workforce,
            costs: file.costs,
            entry,
            moves: destinations::RungMoves::for_ladder(&file.steps),
            bands,
            hazards,
            capacity_rungs: Vec::new(),
        }
    }

    /// The hazards of rung `rung` in age band `band`.
    pub fn hazards(&self, rung: usize, band: usize) -> &Hazards {
        &self.hazards[rung * self.bands.count() + band]
    }

    /// The entry shares of age band `band`: one per rung, `none` last.
    pub fn entry(&self, band: usize) -> &[f64] {
        let n = self.steps.len() + 1;
        &self.entry[band * n..(band + 1) * n]
    }
}

/// Parameters that take effect at a time into the run.
#[derive(Debug, Clone, PartialEq)]
pub struct ScheduledChange {
    /// Years after `start` (after the warm-up).
    pub at_years: f64,
    /// The complete parameter set from then on.
    pub params: Params,
}

/// A validated scenario, ready to simulate.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// The resolved file: defaults filled in, overrides applied. Written
    /// back out as `scenario.toml` with the results.
    pub file: ScenarioFile,
    /// Calendar date of the end of the warm-up.
    pub start: NaiveDate,
    /// Parameters in force from time 0.
    pub params: Params,
    /// Later parameter sets, in the order they apply.
    pub changes: Vec<ScheduledChange>,
    /// `[uncertainty]`, checked: the parameters each replication draws
    /// (empty: every replication runs on the values above).
    pub uncertainty: Vec<UncertainParameter>,
    /// `[initial] cases`: the case list, read (model version 2); `None`
    /// when the start state is counts.
    pub initial_cases: Option<CaseList>,
}

impl Scenario {
    /// Load, validate and resolve a scenario file with `--set` overrides.
    pub fn load(path: &Path, overrides: &[Override]) -> Result<Self, InputError> {
        Self::from_document(Document::read(path)?, overrides)
    }

    /// Like [`Scenario::load`], from text (`name` is used in messages).
    pub fn from_toml_str(
        name: &str,
        text: &str,
        overrides: &[Override],
    ) -> Result<Self, InputError> {
        Self::from_document(Document::from_text(name, text)?, overrides)
    }

    /// Validate a scenario built in code.
    pub fn from_file(file: ScenarioFile) -> Result<Self, Vec<Problem>> {
        let problems = validate::validate(&file);
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut file = file;
        for rung in &mut file.steps {
            if rung.label.is_empty() {
                rung.label = rung.id.clone();
            }
        }
        let mut changes = resolve_changes(&file)?;
        let mut params = Params::from_file(&file);
        // Capacity: which rungs ever have places, for every parameter set.
        let capacity_rungs: Vec<usize> = (0..file.steps.len())
            .filter(|&r| {
                std::iter::once(&params)
                    .chain(changes.iter().map(|c| &c.params))
                    .any(|p| p.steps[r].capacity.is_some())
            })
            .collect();
        params.capacity_rungs.clone_from(&capacity_rungs);
        for change in &mut changes {
            change.params.capacity_rungs.clone_from(&capacity_rungs);
        }
        let uncertainty = if file.uncertainty.is_empty() {
            Vec::new()
        } else {
            uncertainty::compile(&file)?
        };
        Ok(Self {
            start: file.start_date().expect("validated"),
            params,
            changes,
            uncertainty,
            initial_cases: None,
            file,
        })
    }

    /// Read the case list of `[initial] cases` (if any), its path taken
    /// relative to `dir` (the folder of the scenario file that names it).
    /// A scenario built in code with `cases` runs no cases until this is
    /// called.
    pub fn read_case_list(&mut self, dir: &Path) -> Result<(), CaseListError> {
        if let Some(cases) = &self.file.initial.cases {
            let path = dir.join(cases);
            let list = CaseList::read(&path, &path.display().to_string(), &self.file)?;
            self.initial_cases = Some(list);
        }
        Ok(())
    }

    /// The scenario as TOML text that can be read from any folder: as
    /// [`Scenario::to_toml`], but a case list is named by the path it was
    /// read from (relative to the working folder), not relative to the
    /// scenario file. For rebuilding scenarios from text (sweep points).
    pub fn to_toml_here(&self) -> String {
        match &self.initial_cases {
            None => self.to_toml(),
            Some(list) => {
                let mut copy = self.clone();
                copy.file.initial.cases = Some(list.source.clone());
                copy.to_toml()
            }
        }
    }

    /// Cases at the start by place slot (`assessment`, then the rungs):
    /// the counts of `[initial]`, or of its case list.
    pub fn initial_counts(&self) -> Vec<u32> {
        match &self.initial_cases {
            Some(list) => list.counts(self.params.steps.len()),
            None => std::iter::once("assessment")
                .chain(self.params.steps.iter().map(|r| r.id.as_str()))
                .map(|id| self.file.initial.get(id).copied().unwrap_or(0))
                .collect(),
        }
    }

    /// Apply overrides to a document, then validate.
    pub fn from_document(mut doc: Document, overrides: &[Override]) -> Result<Self, InputError> {
        let mut problems = Vec::new();
        let pristine = doc.clone();
        for o in overrides {
            if let Err(message) = overrides::apply(&mut doc.table, &o.path, o.value.clone()) {
                let key = KeyPath::keys(&o.path.split('.').collect::<Vec<_>>());
                problems.push(Problem::new(key, message));
            }
        }
        if !problems.is_empty() {
            return Err(pristine.locate(problems, overrides));
        }
        // A value fixed with --set is not drawn.
        if let Some(toml::Value::Table(uncertain)) = doc.table.get_mut("uncertainty") {
            for o in overrides {
                uncertain.remove(&o.path);
            }
        }
        let mut scenario = document::to_scenario_file(&doc.table)
            .and_then(Self::from_file)
            .map_err(|problems| doc.locate(problems, overrides))?;
        if scenario.file.initial.cases.is_none() {
            return Ok(scenario);
        }
        let dir = doc.folder_of(&["initial", "cases"]);
        match scenario.read_case_list(&dir) {
            Ok(()) => Ok(scenario),
            Err(CaseListError::Unreadable(message)) => {
                let at = KeyPath::keys(&["initial", "cases"]);
                Err(doc.locate(vec![Problem::new(at, message)], overrides))
            }
            Err(CaseListError::Content(problems)) => Err(InputError {
                file: doc.layers[0].name.clone(),
                problems,
            }),
        }
    }

    /// Run `replications` replications instead of the file's. How many
    /// replications to run is a choice of precision, not of the model, so
    /// commands set it on the validated scenario (an error in the file
    /// still points at the file, not at an option); `scenario.toml`
    /// records it.
    ///
    /// # Panics
    /// If `replications` is outside 1 to 1,000,000,
    /// the range validation allows (command-line options are range-checked).
    pub fn set_replications(&mut self, replications: u64) {
        assert!(
            (1..=validate::MAX_REPLICATIONS).contains(&replications),
            "replications out of range: {replications}"
        );
        self.file.scenario.replications = replications;
    }

    /// Draw from root seed `seed` instead of the file's (see
    /// [`Scenario::set_replications`] for why this is not an override).
    ///
    /// # Panics
    /// If `seed` is not a TOML integer (above `i64::MAX`), so that
    /// `scenario.toml` could not record it.
    pub fn set_seed(&mut self, seed: u64) {
        assert!(i64::try_from(seed).is_ok(), "seed out of range: {seed}");
        self.file.scenario.seed = seed;
    }

    /// The scenario one replication runs: `values` (one per entry of
    /// [`Scenario::uncertainty`], in order) in place of the base values,
    /// `[[changes]]` resolved from them, and no uncertainty left.
    ///
    /// # Panics
    /// If the values make the scenario invalid, which the checks at load
    /// time rule out for values inside each distribution's support (a
    /// constraint between several drawn values could still be broken).
    pub fn with_values(&self, values: &[f64]) -> Scenario {
        let mut fixed = self.file.clone();
        fixed.uncertainty.clear();
        let pairs: Vec<_> = self
            .uncertainty
            .iter()
            .zip(values.iter().copied())
            .collect();
        let mut drawn = uncertainty::resolve_with(&fixed, &pairs)
            .unwrap_or_else(|problem| panic!("drawn parameters are invalid: {problem}"));
        drawn.initial_cases = self.initial_cases.clone();
        drawn
    }

    /// Run every replication on the base values (`--no-uncertainty`):
    /// `scenario.toml` then records no `[uncertainty]` either.
    pub fn drop_uncertainty(&mut self) {
        self.file.uncertainty.clear();
        self.uncertainty.clear();
    }

    /// The resolved scenario as TOML (what `scenario.toml` contains).
    pub fn to_toml(&self) -> String {
        toml::to_string(&self.file).expect("a scenario always serializes")
    }

    /// The language its outputs for people are written in
    /// (`scenario.language`, English when absent).
    pub fn language(&self) -> crate::language::Language {
        self.file.scenario.language.unwrap_or_default()
    }

    /// Write its outputs in `lang` (`--lang`, which wins over the file's
    /// `scenario.language`; recorded in `scenario.toml`). Draws nothing
    /// and changes no result.
    pub fn set_language(&mut self, lang: crate::language::Language) {
        self.file.scenario.language = Some(lang);
    }

    /// The scenario's name.
    pub fn name(&self) -> &str {
        &self.file.scenario.name
    }

    /// Settings from `[scenario]`.
    pub fn settings(&self) -> &Settings {
        &self.file.scenario
    }

    /// Number of reporting periods (the last may be shorter).
    pub fn period_count(&self) -> usize {
        let s = &self.file.scenario;
        let exact = s.horizon_years / s.period.years();
        (exact - 1e-9).ceil().max(1.0) as usize
    }

    /// Parameters in force at the end of the run (for summaries).
    pub fn final_params(&self) -> &Params {
        self.changes.last().map_or(&self.params, |c| &c.params)
    }
}

/// Resolve `[[changes]]` into complete parameter sets, in time order (file
/// order at equal times), each one validated.
fn resolve_changes(file: &ScenarioFile) -> Result<Vec<ScheduledChange>, Vec<Problem>> {
    let mut order: Vec<usize> = (0..file.changes.len()).collect();
    order.sort_by(|&a, &b| {
        file.changes[a]
            .at_years
            .total_cmp(&file.changes[b].at_years)
    });
    let base_problems = validate::validate(file);
    let mut state = file.clone();
    state.changes.clear();
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for i in order {
        let change = &file.changes[i];
        let at = KeyPath::keys(&["changes"]).index(i).key("set");
        let mut table = toml::Table::try_from(&state).expect("a scenario always serializes");
        let mut ok = true;
        for (path, value) in &change.set {
            let key_at = at.key(path);
            let refused = overrides::forbidden_in_change(path, file.workforce.is_some())
                .or_else(|| overrides::apply(&mut table, path, value.clone()).err());
            if let Some(message) = refused {
                problems.push(Problem::new(key_at, message));
                ok = false;
            }
        }
        if !ok {
            continue;
        }
        match document::to_scenario_file(&table) {
            Ok(next) => {
                let new: Vec<Problem> = validate::validate(&next)
                    .into_iter()
                    .filter(|p| !base_problems.contains(p))
                    .collect();
                if new.is_empty() {
                    out.push(ScheduledChange {
                        at_years: change.at_years,
                        params: Params::from_file(&next),
                    });
                    state = next;
                } else {
                    for p in new {
                        let dotted = overrides::spelled(&table, &p.path);
                        // Inside a table the change sets whole (a
                        // destination table): at that set key.
                        let inside = change
                            .set
                            .keys()
                            .find(|k| dotted.starts_with(&format!("{k}.")));
                        problems.push(match (change.set.get(&dotted), inside) {
                            (Some(_), _) => Problem::new(at.key(&dotted), p.message),
                            (None, Some(k)) => Problem::new(
                                at.key(k),
                                format!("{}: {}", &dotted[k.len() + 1..], p.message),
                            ),
                            (None, None) => Problem::new(
                                at.clone(),
                                format!("after this change, {dotted}: {}", p.message),
                            ),
                        });
                    }
                }
            }
            Err(errs) => {
                // A wrong type in a set value: at that value's own key, in
                // the change's spelling (`steps.<id>.…`).
                for p in errs {
                    let dotted = overrides::spelled(&table, &p.path);
                    let set = change
                        .set
                        .keys()
                        .find(|k| dotted == **k || dotted.starts_with(&format!("{k}.")));
                    problems.push(match set {
                        Some(k) => Problem::new(at.key(k), p.message),
                        None => Problem::new(at.clone(), format!("{dotted}: {}", p.message)),
                    });
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}
