//! The scenario file as typed data: one struct per TOML table of
//! docs/parameters.md, with its defaults.
//!
//! These structs double as the model's parameters (a [`Rung`] here is the
//! rung the simulation reads), so there is one source of truth for names,
//! defaults and units. Every struct refuses unknown keys, so a typo such as
//! `every_week` is an error instead of a silently ignored setting.

use chrono::NaiveDate;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

pub use super::age_bands::ByBand;
use crate::language::Language;

/// Weeks per year: how the file's weekly quantities (follow-up intervals,
/// hours per week) convert to model time, which is in years (docs/model.md section 2).
pub const WEEKS_PER_YEAR: f64 = 52.0;

/// Months per year: likewise for monthly quantities (workload hours).
pub const MONTHS_PER_YEAR: f64 = 12.0;

/// A calendar date as the TOML date `start` holds.
pub fn toml_date(day: NaiveDate) -> toml::value::Datetime {
    use chrono::Datelike;
    toml::value::Datetime {
        date: Some(toml::value::Date {
            year: day.year() as u16,
            month: day.month() as u8,
            day: day.day() as u8,
        }),
        time: None,
        offset: None,
    }
}

/// `[scenario]`: what the run is and how it is reported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Shown in outputs and legends.
    pub name: String,
    /// Calendar date of model time `warmup_years` (the end of the warm-up);
    /// reporting periods count from it.
    pub start: toml::value::Datetime,
    /// Reported time span in years.
    pub horizon_years: f64,
    /// Unreported time simulated before `start`, so the start state is
    /// realistic rather than the hand-written `[initial]` counts.
    #[serde(default)]
    pub warmup_years: f64,
    /// Number of Monte Carlo replications.
    #[serde(default = "default_replications")]
    pub replications: u64,
    /// Root seed; replication *i* always gets the same streams for a seed.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Length of a reporting period.
    #[serde(default)]
    pub period: Period,
    /// Currency label for costs (amounts are not converted).
    #[serde(default = "default_currency")]
    pub currency: String,
    /// Age at which a case ends by ageing out.
    #[serde(default = "default_exit_age")]
    pub exit_age: f64,
    /// Age band cut points (model version 2): hazards and entry shares may
    /// differ by band; absent means one band.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_bands: Option<Vec<f64>>,
    /// The language of the terminal tables, plots and report (`en` when
    /// absent; `--lang` overrides it). Not written when absent, so
    /// `scenario.toml` of a scenario without it stays as it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Language>,
}

impl Settings {
    /// Settings with the defaults of docs/parameters.md for everything but the
    /// three required keys.
    pub fn new(name: &str, start: NaiveDate, horizon_years: f64) -> Self {
        Self {
            name: name.into(),
            start: toml_date(start),
            horizon_years,
            warmup_years: 0.0,
            replications: default_replications(),
            seed: default_seed(),
            period: Period::Year,
            currency: default_currency(),
            exit_age: default_exit_age(),
            age_bands: None,
            language: None,
        }
    }
}

/// Reporting period length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    /// Calendar years from `start`.
    #[default]
    Year,
    /// Quarters from `start`.
    Quarter,
    /// Months from `start`.
    Month,
}

impl std::str::FromStr for Period {
    type Err = String;

    /// The period named as in the scenario file (`year`, `quarter`,
    /// `month`), for command-line options.
    fn from_str(text: &str) -> Result<Self, String> {
        match text {
            "year" => Ok(Period::Year),
            "quarter" => Ok(Period::Quarter),
            "month" => Ok(Period::Month),
            _ => Err(format!(
                "{text:?} is not a period: use year, quarter or month"
            )),
        }
    }
}

impl Period {
    /// Length in model years.
    pub fn years(self) -> f64 {
        f64::from(self.months()) / 12.0
    }

    /// The period's name in prose: "year", "quarter", "month".
    pub fn word(self) -> &'static str {
        self.name(Language::English)
    }

    /// The period's name in `lang`: `quarter`, `kvartal`.
    pub fn name(self, lang: Language) -> &'static str {
        let c = &lang.words().calendar;
        match self {
            Period::Year => c.year,
            Period::Quarter => c.quarter,
            Period::Month => c.month,
        }
    }

    /// "per quarter", "pr. kvartal": the unit of a per-period amount.
    pub fn per(self, lang: Language) -> String {
        format!("{} {}", lang.words().calendar.per, self.name(lang))
    }

    /// Length in calendar months, for period dates.
    pub fn months(self) -> u32 {
        match self {
            Period::Year => 12,
            Period::Quarter => 3,
            Period::Month => 1,
        }
    }
}

/// `[[steps]]`: one rung of the intervention ladder, least intrusive first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rung {
    /// Identifier used in `entry`, `initial`, `--set` paths and outputs.
    pub id: String,
    /// Human-readable name (defaults to the id).
    #[serde(default)]
    pub label: String,
    /// Whether a case on this rung is placed outside the home; placement
    /// rungs make up placed child-years, shares and breakdowns.
    #[serde(default)]
    pub placement: bool,
    /// Cost of one child-year on this rung.
    #[serde(default)]
    pub cost_per_year: f64,
    /// Caseload weight of a case on this rung (Borås-style points).
    #[serde(default = "one")]
    pub points: f64,
    /// Continuous caseworker time a case on this rung takes.
    #[serde(default)]
    pub workload_hours_per_month: f64,
    /// Time limit: at the first follow-up after this long on the rung the
    /// case steps down unless more need was detected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_years: Option<f64>,
    /// Follow-up schedule; a rung without one is never followed up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up: Option<FollowUpPolicy>,
    /// Hazards of the hidden need state (per year).
    #[serde(default)]
    pub latent: LatentRates,
    /// Hazard of the case ending while on this rung (per year).
    #[serde(default)]
    pub exit: ExitRates,
    /// Where a planned move down leads (a detected `ready` or the time
    /// limit): lower rung id or `closed` → probability. Absent: the next
    /// rung down (`closed` from the lowest), drawing nothing (model
    /// version 2; docs/model.md "Where moves go").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub down_to: Option<Destinations>,
    /// Where a detected `needs_more` leads: higher rung id → probability.
    /// Absent: the next rung up. Not allowed on the top rung.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub up_to: Option<Destinations>,
    /// Where a crisis leads: this rung (a new placement here) or a higher
    /// one → probability. Absent: the next rung up (the top rung: itself).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crisis_to: Option<Destinations>,
    /// Places on this rung (model version 2, docs/model.md "Placement
    /// capacity"): when they are all taken, a child who needs one goes to
    /// the next rung up with room and waits. `None`: no limit. Never on
    /// the top rung, the last resort. A TOML integer, so `40.0` is refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<u32>,
}

/// A destination table as written in the file: place id → probability,
/// in file order (resolved into ladder indices by
/// [`super::destinations::RungMoves`]).
pub type Destinations = IndexMap<String, f64>;

impl Rung {
    /// A rung with every optional key at its default: no cost, no
    /// hazards, no follow-up, 1 point.
    pub fn new(id: &str) -> Self {
        Self {
            id: id.into(),
            label: String::new(),
            placement: false,
            cost_per_year: 0.0,
            points: 1.0,
            workload_hours_per_month: 0.0,
            max_years: None,
            follow_up: None,
            latent: LatentRates::default(),
            exit: ExitRates::default(),
            down_to: None,
            up_to: None,
            crisis_to: None,
            capacity: None,
        }
    }
}

/// A rung's follow-up schedule (SEL §70 "opfølgning").
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowUpPolicy {
    /// Weeks from entering the rung to the first follow-up.
    pub first_weeks: f64,
    /// Weeks from a completed follow-up to the next one.
    pub every_weeks: f64,
    /// Caseworker hours one follow-up takes.
    #[serde(default)]
    pub hours: f64,
}

/// Per-year hazards of the hidden need state on a rung (docs/model.md
/// section 2), each a number or one per age band.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LatentRates {
    /// `fit → ready`: the child could do with less.
    #[serde(default)]
    pub improve: ByBand,
    /// `fit → needs_more`.
    #[serde(default)]
    pub worsen: ByBand,
    /// `ready → fit`: the chance to step down passes.
    #[serde(default)]
    pub relapse: ByBand,
    /// From `needs_more`: an unplanned move up (a breakdown on a placement).
    #[serde(default)]
    pub crisis: ByBand,
}

/// Per-year hazards of a case ending on a rung (a number or one per age
/// band).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExitRates {
    /// The case closes (family moves away, etc.), whatever its need state.
    #[serde(default)]
    pub close: ByBand,
}

/// `[follow_up]`: scenario-wide follow-up settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowUpSettings {
    /// Probability that a follow-up sees the hidden need state.
    #[serde(default = "one")]
    pub detection: f64,
    /// A follow-up done within this many weeks of its due date is on time.
    #[serde(default = "two")]
    pub on_time_weeks: f64,
}

impl Default for FollowUpSettings {
    fn default() -> Self {
        Self {
            detection: 1.0,
            on_time_weeks: 2.0,
        }
    }
}

/// `[intake]`: new referrals that become cases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Intake {
    /// Poisson rate of referrals per year.
    #[serde(default)]
    pub referrals_per_year: f64,
    /// Caseworker hours of a §50 assessment.
    #[serde(default)]
    pub assessment_hours: f64,
    /// An assessment never ends sooner than this after referral.
    #[serde(default)]
    pub assessment_min_weeks: f64,
    /// Caseload points of a case under assessment.
    #[serde(default = "one")]
    pub assessment_points: f64,
    /// Where an assessed case goes: rung id (or `none`, closed) →
    /// probability, a number or one per age band (band at assessment
    /// completion).
    #[serde(default)]
    pub entry: IndexMap<String, ByBand>,
    /// Youngest age at referral.
    #[serde(default)]
    pub age_min: f64,
    /// Oldest age at referral (must be below `exit_age`).
    #[serde(default = "default_age_max")]
    pub age_max: f64,
    /// Weight of each age band among referrals (model version 2); absent:
    /// ages uniform on [`age_min`, `age_max`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_weights: Option<Vec<f64>>,
}

impl Default for Intake {
    fn default() -> Self {
        Self {
            referrals_per_year: 0.0,
            assessment_hours: 0.0,
            assessment_min_weeks: 0.0,
            assessment_points: 1.0,
            entry: IndexMap::new(),
            age_min: 0.0,
            age_max: default_age_max(),
            age_weights: None,
        }
    }
}

/// `[workforce]`: the caseworker team; absent means unlimited capacity.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Workforce {
    /// Number of caseworkers (at least 1).
    pub caseworkers: u32,
    /// Contract hours per week.
    #[serde(default = "default_hours_per_week")]
    pub hours_per_week: f64,
    /// Share of the hours that goes to case work.
    #[serde(default = "one")]
    pub case_work_share: f64,
    /// Task capacity never falls below this share of the case-work hours.
    #[serde(default = "default_min_task_share")]
    pub min_task_share: f64,
    /// Yearly cost of one caseworker.
    #[serde(default)]
    pub salary_per_year: f64,
}

impl Workforce {
    /// Weekly case-work hours `C = hours_per_week × case_work_share`.
    pub fn case_work_hours(&self) -> f64 {
        self.hours_per_week * self.case_work_share
    }

    /// Task hours per week of a caseworker whose cases take `monthly_load`
    /// hours a month of continuous work (docs/model.md section 9): max(C − L,
    /// `min_task_share` × C), L = `monthly_load` × 12 / 52. The one home of
    /// this arithmetic: the model reads it when a task starts, `check`
    /// shows it for the initial caseload.
    pub fn task_capacity(&self, monthly_load: f64) -> f64 {
        let c = self.case_work_hours();
        let load = monthly_load * MONTHS_PER_YEAR / WEEKS_PER_YEAR;
        (c - load).max(self.min_task_share * c)
    }
}

/// `[costs]`: costs that are not per child-year.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Costs {
    /// Fixed yearly programme cost (e.g. Herning's DKK 750,000).
    #[serde(default)]
    pub fixed_per_year: f64,
    /// Cost of one placement breakdown.
    #[serde(default)]
    pub per_breakdown: f64,
    /// Yearly discount rate applied continuously to every cost flow.
    #[serde(default)]
    pub discount_rate: f64,
}

/// `[[changes]]`: parameter overrides from a time into the run on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeSpec {
    /// Years after `start` (after the warm-up).
    pub at_years: f64,
    /// Parameter path (as for `--set`) → new value.
    pub set: IndexMap<String, toml::Value>,
}

/// The whole scenario file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// `[scenario]`.
    pub scenario: Settings,
    /// `[[steps]]`, the ladder.
    pub steps: Vec<Rung>,
    /// `[follow_up]`.
    #[serde(default)]
    pub follow_up: FollowUpSettings,
    /// `[intake]`.
    #[serde(default)]
    pub intake: Intake,
    /// `[initial]`: rung id or `assessment` → number of cases at time 0,
    /// or a case list (`cases = "open-cases.csv"`).
    #[serde(default)]
    pub initial: Initial,
    /// `[workforce]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workforce: Option<Workforce>,
    /// `[costs]`.
    #[serde(default)]
    pub costs: Costs,
    /// `[[changes]]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<ChangeSpec>,
    /// `[uncertainty]`: parameter path → distribution, as written.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub uncertainty: IndexMap<String, super::distribution::DistributionSpec>,
}

impl ScenarioFile {
    /// A scenario with these settings and ladder and defaults elsewhere
    /// (no intake, no initial cases, unlimited capacity, no costs).
    pub fn new(scenario: Settings, steps: Vec<Rung>) -> Self {
        Self {
            scenario,
            steps,
            follow_up: FollowUpSettings::default(),
            intake: Intake::default(),
            initial: Initial::default(),
            workforce: None,
            costs: Costs::default(),
            changes: Vec::new(),
            uncertainty: IndexMap::new(),
        }
    }

    /// The `start` date as a calendar date.
    pub fn start_date(&self) -> Option<NaiveDate> {
        let date = self.scenario.start.date?;
        NaiveDate::from_ymd_opt(
            i32::from(date.year),
            u32::from(date.month),
            u32::from(date.day),
        )
    }
}

/// `[initial]`: the start state, as counts by place (rung id or
/// `assessment` → cases) or as a case list (`cases`, a CSV file of open
/// cases, model version 2; the two cannot be mixed). Reads as the map of
/// counts, so code that only knows counts keeps working.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Initial {
    /// Cases by place.
    pub counts: IndexMap<String, u32>,
    /// `cases`: the case list's path, relative to the scenario file.
    pub cases: Option<String>,
}

impl std::ops::Deref for Initial {
    type Target = IndexMap<String, u32>;
    fn deref(&self) -> &Self::Target {
        &self.counts
    }
}

impl std::ops::DerefMut for Initial {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.counts
    }
}

impl FromIterator<(String, u32)> for Initial {
    fn from_iter<I: IntoIterator<Item = (String, u32)>>(iter: I) -> Self {
        Self {
            counts: iter.into_iter().collect(),
            cases: None,
        }
    }
}

impl<'a> IntoIterator for &'a Initial {
    type Item = (&'a String, &'a u32);
    type IntoIter = indexmap::map::Iter<'a, String, u32>;
    fn into_iter(self) -> Self::IntoIter {
        self.counts.iter()
    }
}

impl Serialize for Initial {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        for (k, v) in &self.counts {
            map.serialize_entry(k, v)?;
        }
        if let Some(cases) = &self.cases {
            map.serialize_entry("cases", cases)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Initial {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct InitialVisitor;
        impl<'de> serde::de::Visitor<'de> for InitialVisitor {
            type Value = Initial;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a table of case counts by place, or cases = \"<file.csv>\"")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Initial, A::Error> {
                let mut initial = Initial::default();
                while let Some(key) = map.next_key::<String>()? {
                    if key == "cases" {
                        initial.cases = Some(map.next_value()?);
                    } else {
                        let count = map.next_value()?;
                        initial.counts.insert(key, count);
                    }
                }
                Ok(initial)
            }
        }
        deserializer.deserialize_map(InitialVisitor)
    }
}

fn one() -> f64 {
    1.0
}
fn two() -> f64 {
    2.0
}
fn default_replications() -> u64 {
    1000
}
fn default_seed() -> u64 {
    1
}
fn default_currency() -> String {
    "DKK".into()
}
fn default_exit_age() -> f64 {
    18.0
}
fn default_age_max() -> f64 {
    17.5
}
fn default_hours_per_week() -> f64 {
    37.0
}
fn default_min_task_share() -> f64 {
    0.1
}
