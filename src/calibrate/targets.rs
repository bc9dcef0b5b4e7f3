//! The targets file of `trappe calibrate`: which parameters to fit (by their
//! `--set` paths, with bounds), and which simulated quantities should match
//! which observed figures. Parsed and checked against the scenarios before
//! anything runs (by `compile.rs`); every problem names the file, the
//! key and the line, through the same [`crate::input`] layer as scenarios.
//! This file holds the format: what is written, and what it compiles into.
//!
//! ```toml
//! [calibrate]                    # optional; defaults shown
//! replications = 100             # per scenario and objective evaluation
//! max_evaluations = 600          # budget over all restarts
//! restarts = 2                   # Nelder–Mead restarts after the first run
//! significant_digits = 4         # fitted values are rounded to this
//!
//! [[parameters]]
//! path = "steps.institution.latent.improve"   # any numeric --set path
//! min = 0.1
//! max = 3.0
//! log = true                     # optional: search on a log scale
//! start = 0.85                   # optional: default the scenario's value
//!
//! [[parameters]]                 # a tie: one value written to every path
//! paths = ["steps.foster.latent.relapse", "steps.kinship.latent.relapse"]
//! min = 0.2
//! max = 6.0
//!
//! [[remainders]]                 # path = total − the sum of `of`
//! path = "intake.entry.none"
//! of = ["intake.entry.prevention", "intake.entry.foster"]
//! total = 1.0                    # optional, default 1
//!
//! [[targets]]
//! name = "institution share, end-2014"
//! scenario = "herning-sverigesmodel"  # file stem or name; optional with one scenario
//! metric = "placement_share"
//! step = "institution"           # a step, or a list (summed); omit for team-wide
//! periods = 2014-12-01           # a period (1-based index or a date in it),
//!                                # or [first, last] (inclusive)
//! combine = "sum"                # over periods: "sum" (default) or "mean"
//! per = { metric = "placed_child_years" }  # optional denominator, same periods
//! observed = 0.13
//! tolerance = 0.03               # met when |simulated mean − observed| ≤ tolerance
//! weight = 1.0                   # optional; objective term weight × (error / tolerance)²
//!
//! [[targets]]                    # a change between two spans of periods
//! name = "placed child-years, change"
//! metric = "placed_child_years"
//! from = [2013-07-01, 2013-12-31]
//! to = [2014-07-01, 2014-12-31]
//! change = "relative"            # "relative" (to / from − 1) or "difference" (to − from)
//! observed = -0.06
//! tolerance = 0.04
//!
//! [[targets]]                    # moves on record (transitions.csv) instead of a metric
//! name = "moves up"
//! moves = { kind = ["up", "crisis"], direction = "up" }  # optional filters:
//!                                # kind, from, to (names or lists, as in
//!                                # transitions.csv) and direction ("up",
//!                                # "down", "same": rung to rung by ladder order)
//! periods = [2013-08-01, 2014-12-01]
//! observed = 6
//! tolerance = 4
//! ```

use std::ops::Range;

use serde::Deserialize;
use toml::{Table, Value};

use crate::metrics::{Layout, Metric};
use crate::results::PeriodInfo;
use crate::scenario::Document;

/// Defaults and budget from `[calibrate]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// Replications per scenario and objective evaluation (fixed seeds:
    /// every evaluation runs the same replication indices).
    pub replications: u64,
    /// Objective evaluations over all restarts.
    pub max_evaluations: usize,
    /// Nelder–Mead restarts from the best point after the first run.
    pub restarts: usize,
    /// Fitted values are rounded to this many significant digits before
    /// the final check and before they are written.
    pub significant_digits: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            replications: 100,
            max_evaluations: 600,
            restarts: 2,
            significant_digits: 4,
        }
    }
}

/// A fitted parameter: one value, written to one or more `--set` paths.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// The paths that receive the value (a tie when more than one).
    pub paths: Vec<String>,
    /// Lower bound.
    pub min: f64,
    /// Upper bound.
    pub max: f64,
    /// Search on a log scale.
    pub log: bool,
    /// Starting value (from the file, else the first scenario's value,
    /// clamped into the bounds, else the middle of the bounds).
    pub start: Option<f64>,
}

impl Parameter {
    /// A short name: the first path, with `(+n tied)` for a tie.
    pub fn name(&self) -> String {
        match self.paths.len() {
            1 => self.paths[0].clone(),
            n => format!("{} (+{} tied)", self.paths[0], n - 1),
        }
    }

    /// Its search interval, as the optimiser sees it.
    pub fn range(&self) -> super::optimise::Range {
        super::optimise::Range {
            min: self.min,
            max: self.max,
            log: self.log,
        }
    }

    /// The value at position `u` ∈ [0, 1] of the (log) search interval.
    pub fn from_unit(&self, u: f64) -> f64 {
        self.range().from_unit(u)
    }

    /// The position in [0, 1] of `value` (clamped into the bounds).
    pub fn to_unit(&self, value: f64) -> f64 {
        self.range().to_unit(value)
    }
}

/// A derived value: `path = total − Σ of` (e.g. the `none` share of an
/// entry mix, so the shares still sum to one).
#[derive(Debug, Clone, PartialEq)]
pub struct Remainder {
    /// The path that receives the remainder.
    pub path: String,
    /// What the paths sum to.
    pub total: f64,
    /// The other paths (fitted, or fixed at the first scenario's value).
    pub of: Vec<String>,
}

/// How values over a span of periods are combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Combine {
    /// Sum over the periods (counts, child-years, costs).
    Sum,
    /// Mean over the periods (shares, rates).
    Mean,
}

/// A change between two spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// `to − from`.
    Difference,
    /// `to / from − 1` (per replication; see the module docs of
    /// [`crate::calibrate`]).
    Relative,
}

/// What a target measures: one span of periods, or a change between two.
#[derive(Debug, Clone, PartialEq)]
pub enum Measure {
    /// The combined value over these periods (0-based, end exclusive).
    Span(Range<usize>),
    /// A change from one span to another.
    Change {
        /// Earlier span.
        from: Range<usize>,
        /// Later span.
        to: Range<usize>,
        /// Difference or relative change.
        change: Change,
    },
}

/// One compiled target.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// Name shown in tables.
    pub name: String,
    /// Index of the scenario it is measured in.
    pub scenario: usize,
    /// The metric (`None` for a target over [`Target::moves`]).
    pub metric: Option<Metric>,
    /// Transition cells summed instead of a metric's rows (a `moves`
    /// target: KORA counts moves by origin, destination and kind, which no
    /// single metric holds, e.g. crises that end on a higher rung).
    pub moves: Option<Moves>,
    /// Step names (summed); `[""]` for team-wide metrics.
    pub steps: Vec<String>,
    /// Layout rows of `steps`.
    pub rows: Vec<usize>,
    /// Denominator: metric, steps and rows, over the same periods.
    pub per: Option<(Metric, Vec<String>, Vec<usize>)>,
    /// Over which periods.
    pub measure: Measure,
    /// Sum or mean over periods.
    pub combine: Combine,
    /// The published figure.
    pub observed: f64,
    /// Met when the simulated mean is within this of `observed`.
    pub tolerance: f64,
    /// Weight of the squared standardised error in the objective.
    pub weight: f64,
    /// The periods as written, for tables (`2014-01-01 – 2015-01-01`).
    pub periods_text: String,
}

/// The transitions a `moves` target sums.
#[derive(Debug, Clone, PartialEq)]
pub struct Moves {
    /// Cells of [`crate::transitions::Grid`] (summed).
    pub cells: Vec<usize>,
    /// The filters as written, for tables (`kind up+crisis, direction up`).
    pub text: String,
}

/// What a scenario offers targets: its name(s), layout and periods.
#[derive(Debug, Clone)]
pub struct ScenarioInfo {
    /// Names a target may use: the file stem, the file name, the path.
    pub names: Vec<String>,
    /// Row layout.
    pub layout: Layout,
    /// Reporting periods.
    pub periods: Vec<PeriodInfo>,
    /// The resolved scenario as a TOML table (for current values).
    pub table: Table,
    /// The scenario document (for trying parameter paths).
    pub document: Document,
    /// The ladder's rung ids (for `moves` targets).
    pub ids: Vec<String>,
}

/// A parsed and checked targets file.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetsFile {
    /// `[calibrate]`.
    pub settings: Settings,
    /// `[[parameters]]`.
    pub parameters: Vec<Parameter>,
    /// `[[remainders]]`.
    pub remainders: Vec<Remainder>,
    /// `[[targets]]`.
    pub targets: Vec<Target>,
}

/// A `[[parameters]]` entry as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawParameter {
    #[serde(default)]
    pub(super) path: Option<String>,
    #[serde(default)]
    pub(super) paths: Option<Vec<String>>,
    pub(super) min: f64,
    pub(super) max: f64,
    #[serde(default)]
    pub(super) log: bool,
    #[serde(default)]
    pub(super) start: Option<f64>,
}

/// A `[[remainders]]` entry as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRemainder {
    pub(super) path: String,
    pub(super) of: Vec<String>,
    #[serde(default = "one")]
    pub(super) total: f64,
}

/// The `per` table of a target as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPer {
    pub(super) metric: String,
    #[serde(default)]
    pub(super) step: Option<Value>,
}

/// The `moves` table of a target as written: each filter a name or a
/// list of names; absent = any.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMoves {
    #[serde(default)]
    pub(super) kind: Option<Value>,
    #[serde(default)]
    pub(super) from: Option<Value>,
    #[serde(default)]
    pub(super) to: Option<Value>,
    #[serde(default)]
    pub(super) direction: Option<String>,
}

/// A `[[targets]]` entry as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTarget {
    pub(super) name: String,
    #[serde(default)]
    pub(super) scenario: Option<String>,
    #[serde(default)]
    pub(super) metric: Option<String>,
    #[serde(default)]
    pub(super) moves: Option<RawMoves>,
    #[serde(default)]
    pub(super) step: Option<Value>,
    #[serde(default)]
    pub(super) per: Option<RawPer>,
    #[serde(default)]
    pub(super) periods: Option<Value>,
    #[serde(default)]
    pub(super) from: Option<Value>,
    #[serde(default)]
    pub(super) to: Option<Value>,
    #[serde(default)]
    pub(super) change: Option<String>,
    #[serde(default)]
    pub(super) combine: Option<String>,
    pub(super) observed: f64,
    pub(super) tolerance: f64,
    #[serde(default = "one")]
    pub(super) weight: f64,
}

fn one() -> f64 {
    1.0
}
