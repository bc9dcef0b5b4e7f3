//! The targets file of `trappe calibrate`: which parameters to fit (by their
//! `--set` paths, with bounds), and which simulated quantities should match
//! which observed figures. Parsed and checked against the scenarios before
//! anything runs; every problem names the file, the key and the line, like
//! the scenario loader's.
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
//! ```

use std::ops::Range;
use std::path::Path;

use chrono::NaiveDate;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use toml::de::{DeTable, DeValue};
use toml::{Table, Value};

use crate::metrics::{Layout, Metric};
use crate::results::PeriodInfo;
use crate::scenario::{Document, InputError, LocatedProblem, Override, Scenario};

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

    /// The value at position `u` ∈ [0, 1] of the (log) search interval.
    pub fn from_unit(&self, u: f64) -> f64 {
        if u <= 0.0 {
            return self.min;
        }
        if u >= 1.0 {
            return self.max;
        }
        if self.log {
            (self.min.ln() + u * (self.max.ln() - self.min.ln())).exp()
        } else {
            self.min + u * (self.max - self.min)
        }
    }

    /// The position of `value` in the (log) search interval.
    pub fn to_unit(&self, value: f64) -> f64 {
        let value = value.clamp(self.min, self.max);
        if self.log {
            (value.ln() - self.min.ln()) / (self.max.ln() - self.min.ln())
        } else {
            (value - self.min) / (self.max - self.min)
        }
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
    /// The metric.
    pub metric: Metric,
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

/// One step of a key path in the targets file.
#[derive(Debug, Clone, PartialEq)]
enum Part {
    Key(String),
    Index(usize),
}

type Path_ = Vec<Part>;

fn key(parts: &[&str]) -> Path_ {
    parts.iter().map(|k| Part::Key((*k).into())).collect()
}

fn at(base: &str, i: usize, k: &str) -> Path_ {
    let mut p = key(&[base]);
    p.push(Part::Index(i));
    if !k.is_empty() {
        p.push(Part::Key(k.into()));
    }
    p
}

fn dotted(path: &Path_) -> String {
    let mut out = String::new();
    for part in path {
        match part {
            Part::Key(k) if out.is_empty() => out.push_str(k),
            Part::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Part::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawParameter {
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    paths: Option<Vec<String>>,
    min: f64,
    max: f64,
    #[serde(default)]
    log: bool,
    #[serde(default)]
    start: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRemainder {
    path: String,
    of: Vec<String>,
    #[serde(default = "one")]
    total: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPer {
    metric: String,
    #[serde(default)]
    step: Option<Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    name: String,
    #[serde(default)]
    scenario: Option<String>,
    metric: String,
    #[serde(default)]
    step: Option<Value>,
    #[serde(default)]
    per: Option<RawPer>,
    #[serde(default)]
    periods: Option<Value>,
    #[serde(default)]
    from: Option<Value>,
    #[serde(default)]
    to: Option<Value>,
    #[serde(default)]
    change: Option<String>,
    #[serde(default)]
    combine: Option<String>,
    observed: f64,
    tolerance: f64,
    #[serde(default = "one")]
    weight: f64,
}

fn one() -> f64 {
    1.0
}

/// Problems found so far: key path and message.
struct Problems(Vec<(Path_, String)>);

impl Problems {
    fn push(&mut self, path: Path_, message: impl Into<String>) {
        self.0.push((path, message.into()));
    }
}

/// Deserialize one value, recording its first error at its key path.
fn section<T: DeserializeOwned>(value: &Value, base: Path_, problems: &mut Problems) -> Option<T> {
    match serde_path_to_error::deserialize::<_, T>(value.clone()) {
        Ok(v) => Some(v),
        Err(e) => {
            let mut path = base;
            let inner = e.path().to_string();
            if inner != "." {
                for k in inner.split('.').filter(|k| !k.is_empty() && *k != "?") {
                    path.push(Part::Key(k.into()));
                }
            }
            let message = e
                .inner()
                .message()
                .replace("expected f64", "expected a number")
                .replace("expected u64", "expected a whole number (a TOML integer)")
                .replace("expected usize", "expected a whole number (a TOML integer)")
                .replace("expected u32", "expected a whole number (a TOML integer)")
                .replace("expected a sequence", "expected an array");
            problems.push(path, message);
            None
        }
    }
}

/// Read a targets file and check it against the scenarios it will be
/// measured in.
pub fn read(path: &Path, scenarios: &[ScenarioInfo]) -> Result<TargetsFile, InputError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| InputError::whole_file(&name, format!("cannot read the file: {e}")))?;
    parse(&name, &text, scenarios)
}

/// Parse a targets file from text (`name` is used in messages).
pub fn parse(
    name: &str,
    text: &str,
    scenarios: &[ScenarioInfo],
) -> Result<TargetsFile, InputError> {
    let table: Table = text.parse().map_err(|e: toml::de::Error| {
        let location = match e.span() {
            Some(span) => {
                let (line, col) = line_col(text, span.start);
                format!("{name}:{line}:{col}")
            }
            None => name.to_string(),
        };
        InputError {
            file: name.into(),
            problems: vec![LocatedProblem {
                location,
                key: String::new(),
                message: format!("TOML syntax error: {}", e.message()),
            }],
        }
    })?;
    let mut problems = Problems(Vec::new());
    let file = check(&table, scenarios, &mut problems);
    if problems.0.is_empty()
        && let Some(file) = file
    {
        return Ok(file);
    }
    Err(locate(name, text, problems))
}

fn check(
    table: &Table,
    scenarios: &[ScenarioInfo],
    problems: &mut Problems,
) -> Option<TargetsFile> {
    const SECTIONS: [&str; 4] = ["calibrate", "parameters", "remainders", "targets"];
    for k in table.keys() {
        if !SECTIONS.contains(&k.as_str()) {
            problems.push(
                key(&[k]),
                format!("unknown key, expected one of {}", SECTIONS.join(", ")),
            );
        }
    }
    let settings: Settings = match table.get("calibrate") {
        Some(v) => section(v, key(&["calibrate"]), problems).unwrap_or_default(),
        None => Settings::default(),
    };
    if settings.replications < 2 {
        problems.push(
            key(&["calibrate", "replications"]),
            "must be at least 2 (a confidence interval needs two replications)",
        );
    }
    if settings.max_evaluations == 0 {
        problems.push(key(&["calibrate", "max_evaluations"]), "must be at least 1");
    }
    if !(1..=15).contains(&settings.significant_digits) {
        problems.push(
            key(&["calibrate", "significant_digits"]),
            "must be from 1 to 15",
        );
    }

    let parameters = entries::<RawParameter>(table, "parameters", problems);
    let remainders = entries::<RawRemainder>(table, "remainders", problems);
    let targets = entries::<RawTarget>(table, "targets", problems);

    let mut fitted_paths: Vec<String> = Vec::new();
    let mut out_parameters = Vec::new();
    if parameters.is_empty() && table.get("parameters").is_none() {
        problems.push(
            key(&["parameters"]),
            "missing: name at least one [[parameters]] entry to fit",
        );
    }
    for (i, p) in parameters.into_iter().enumerate() {
        let Some(p) = p else { continue };
        let paths = match (p.path, p.paths) {
            (Some(one), None) => vec![one],
            (None, Some(many)) if !many.is_empty() => many,
            (None, Some(_)) => {
                problems.push(at("parameters", i, "paths"), "must name at least one path");
                continue;
            }
            (None, None) => {
                problems.push(
                    at("parameters", i, ""),
                    "needs `path` (one parameter) or `paths` (a tie: one value for all)",
                );
                continue;
            }
            (Some(_), Some(_)) => {
                problems.push(
                    at("parameters", i, "paths"),
                    "give either `path` or `paths`, not both",
                );
                continue;
            }
        };
        let field = if paths.len() == 1 { "path" } else { "paths" };
        let mut ok = true;
        for path in &paths {
            if let Err(message) = check_path(path, Some(p.min), scenarios) {
                problems.push(at("parameters", i, field), message);
                ok = false;
            } else if fitted_paths.contains(path) {
                problems.push(
                    at("parameters", i, field),
                    format!("'{path}' is fitted twice"),
                );
                ok = false;
            }
            fitted_paths.push(path.clone());
        }
        if !(p.min.is_finite() && p.max.is_finite()) {
            problems.push(at("parameters", i, "min"), "bounds must be finite numbers");
            ok = false;
        } else if p.min >= p.max {
            problems.push(
                at("parameters", i, "max"),
                format!(
                    "bounds reversed or empty: min = {} is not below max = {}",
                    p.min, p.max
                ),
            );
            ok = false;
        } else if p.log && p.min <= 0.0 {
            problems.push(
                at("parameters", i, "min"),
                format!("a log scale needs min > 0, got {}", p.min),
            );
            ok = false;
        }
        if let Some(s) = p.start
            && ok
            && !(p.min..=p.max).contains(&s)
        {
            problems.push(
                at("parameters", i, "start"),
                format!("{s} is outside the bounds [{}, {}]", p.min, p.max),
            );
            ok = false;
        }
        if ok {
            let start = p.start.or_else(|| {
                scenarios
                    .iter()
                    .find_map(|s| current_value(&s.table, &paths[0]))
                    .map(|v| v.clamp(p.min, p.max))
            });
            out_parameters.push(Parameter {
                paths,
                min: p.min,
                max: p.max,
                log: p.log,
                start,
            });
        }
    }

    let mut out_remainders = Vec::new();
    for (i, r) in remainders.into_iter().enumerate() {
        let Some(r) = r else { continue };
        let mut ok = true;
        if fitted_paths.contains(&r.path) {
            problems.push(
                at("remainders", i, "path"),
                format!("'{}' is fitted, so it cannot also be a remainder", r.path),
            );
            ok = false;
        } else if let Err(message) = check_path(&r.path, None, scenarios) {
            problems.push(at("remainders", i, "path"), message);
            ok = false;
        }
        if r.of.is_empty() {
            problems.push(at("remainders", i, "of"), "must name at least one path");
            ok = false;
        }
        for path in &r.of {
            if !fitted_paths.contains(path)
                && let Err(message) = check_path(path, None, scenarios)
            {
                problems.push(at("remainders", i, "of"), message);
                ok = false;
            }
        }
        if ok {
            out_remainders.push(Remainder {
                path: r.path,
                total: r.total,
                of: r.of,
            });
        }
    }

    if targets.is_empty() && table.get("targets").is_none() {
        problems.push(
            key(&["targets"]),
            "missing: name at least one [[targets]] entry",
        );
    }
    let mut out_targets = Vec::new();
    for (i, t) in targets.into_iter().enumerate() {
        let Some(t) = t else { continue };
        if let Some(target) = compile_target(i, t, scenarios, problems) {
            out_targets.push(target);
        }
    }
    Some(TargetsFile {
        settings,
        parameters: out_parameters,
        remainders: out_remainders,
        targets: out_targets,
    })
}

fn compile_target(
    i: usize,
    t: RawTarget,
    scenarios: &[ScenarioInfo],
    problems: &mut Problems,
) -> Option<Target> {
    let before = problems.0.len();
    let all_names = || {
        scenarios
            .iter()
            .map(|s| s.names[0].clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let scenario = match &t.scenario {
        Some(name) => {
            let found = scenarios
                .iter()
                .position(|s| s.names.iter().any(|n| n == name));
            if found.is_none() {
                problems.push(
                    at("targets", i, "scenario"),
                    format!(
                        "no scenario '{name}' on the command line (given: {})",
                        all_names()
                    ),
                );
            }
            found
        }
        None if scenarios.len() == 1 => Some(0),
        None => {
            problems.push(
                at("targets", i, "scenario"),
                format!(
                    "missing: several scenarios are given, so name one ({})",
                    all_names()
                ),
            );
            None
        }
    };
    let metric = Metric::from_name(&t.metric);
    if metric.is_none() {
        let names: Vec<&str> = Metric::ALL.iter().map(|m| m.name()).collect();
        problems.push(
            at("targets", i, "metric"),
            format!(
                "unknown metric '{}', expected one of {}",
                t.metric,
                names.join(", ")
            ),
        );
    }
    let mut rows = Vec::new();
    let mut steps = Vec::new();
    if let (Some(s), Some(metric)) = (scenario, metric) {
        let info = &scenarios[s];
        match resolve_steps(&info.layout, metric, t.step.as_ref()) {
            Ok((names, r)) => {
                steps = names;
                rows = r;
            }
            Err(message) => problems.push(at("targets", i, "step"), message),
        }
    }
    let mut per = None;
    if let (Some(s), Some(raw)) = (scenario, &t.per) {
        match Metric::from_name(&raw.metric) {
            None => problems.push(
                at("targets", i, "per"),
                format!("unknown metric '{}' in per", raw.metric),
            ),
            Some(m) => match resolve_steps(&scenarios[s].layout, m, raw.step.as_ref()) {
                Ok((names, r)) => per = Some((m, names, r)),
                Err(message) => problems.push(at("targets", i, "per"), message),
            },
        }
    }
    let combine = match t.combine.as_deref() {
        None | Some("sum") => Combine::Sum,
        Some("mean") => Combine::Mean,
        Some(other) => {
            problems.push(
                at("targets", i, "combine"),
                format!("'{other}': expected \"sum\" or \"mean\""),
            );
            Combine::Sum
        }
    };
    let change = match t.change.as_deref() {
        None => None,
        Some("difference") => Some(Change::Difference),
        Some("relative") => Some(Change::Relative),
        Some(other) => {
            problems.push(
                at("targets", i, "change"),
                format!("'{other}': expected \"difference\" or \"relative\""),
            );
            None
        }
    };
    if !(t.tolerance.is_finite() && t.tolerance > 0.0) {
        problems.push(
            at("targets", i, "tolerance"),
            format!("must be a positive number, got {}", t.tolerance),
        );
    }
    if !(t.weight.is_finite() && t.weight >= 0.0) {
        problems.push(
            at("targets", i, "weight"),
            format!("must be 0 or more, got {}", t.weight),
        );
    }
    if !t.observed.is_finite() {
        problems.push(at("targets", i, "observed"), "must be a finite number");
    }
    let mut measure = None;
    let mut periods_text = String::new();
    if let Some(s) = scenario {
        let periods = &scenarios[s].periods;
        let span = |field: &str, value: &Option<Value>, problems: &mut Problems| match value {
            None => {
                problems.push(at("targets", i, field), "missing");
                None
            }
            Some(v) => match resolve_periods(v, periods) {
                Ok(r) => Some(r),
                Err(message) => {
                    problems.push(at("targets", i, field), message);
                    None
                }
            },
        };
        let text =
            |r: &Range<usize>| format!("{} – {}", periods[r.start].start, periods[r.end - 1].end);
        match (&t.change, &t.periods) {
            (Some(_), Some(_)) => problems.push(
                at("targets", i, "periods"),
                "a change target takes `from` and `to`, not `periods`",
            ),
            (Some(_), None) => {
                let from = span("from", &t.from, problems);
                let to = span("to", &t.to, problems);
                if let (Some(from), Some(to), Some(change)) = (from, to, change) {
                    periods_text = format!("{} → {}", text(&from), text(&to));
                    measure = Some(Measure::Change { from, to, change });
                }
            }
            (None, _) => {
                if t.from.is_some() || t.to.is_some() {
                    problems.push(
                        at("targets", i, if t.from.is_some() { "from" } else { "to" }),
                        "`from` and `to` need `change = \"difference\"` or `\"relative\"`",
                    );
                }
                if let Some(r) = span("periods", &t.periods, problems) {
                    periods_text = text(&r);
                    measure = Some(Measure::Span(r));
                }
            }
        }
    }
    if problems.0.len() > before {
        return None;
    }
    Some(Target {
        name: t.name,
        scenario: scenario?,
        metric: metric?,
        steps,
        rows,
        per,
        measure: measure?,
        combine,
        observed: t.observed,
        tolerance: t.tolerance,
        weight: t.weight,
        periods_text,
    })
}

/// Step names and layout rows for `metric` (a string, a list, or absent).
fn resolve_steps(
    layout: &Layout,
    metric: Metric,
    step: Option<&Value>,
) -> Result<(Vec<String>, Vec<usize>), String> {
    let names: Vec<String> = match step {
        None => vec![String::new()],
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) if !items.is_empty() => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| "steps must be strings".to_string())
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err("expected a step name or a non-empty list of step names".into()),
    };
    let valid: Vec<&str> = layout
        .rows
        .iter()
        .filter(|r| r.metric == metric)
        .map(|r| r.step_name.as_str())
        .collect();
    let mut rows = Vec::new();
    for n in &names {
        match layout.find(metric, n) {
            Some(r) => rows.push(r),
            None if valid == [""] => {
                return Err(format!(
                    "{} is team-wide: leave out `step` (got '{n}')",
                    metric.name()
                ));
            }
            None => {
                return Err(format!(
                    "{} has no step '{n}'; expected {}",
                    metric.name(),
                    valid.join(", ")
                ));
            }
        }
    }
    Ok((names, rows))
}

/// A period index or date, or `[first, last]`, as a 0-based range.
fn resolve_periods(value: &Value, periods: &[PeriodInfo]) -> Result<Range<usize>, String> {
    let one = |v: &Value| -> Result<usize, String> {
        let describe = || {
            format!(
                "the scenario has periods 1 to {} ({} to {})",
                periods.len(),
                periods[0].start,
                periods[periods.len() - 1].end
            )
        };
        match v {
            Value::Integer(k) => {
                if *k >= 1 && (*k as usize) <= periods.len() {
                    Ok(*k as usize - 1)
                } else {
                    Err(format!("period {k} is out of range: {}", describe()))
                }
            }
            Value::Datetime(d) => {
                let date = d
                    .date
                    .and_then(|d| {
                        NaiveDate::from_ymd_opt(
                            i32::from(d.year),
                            u32::from(d.month),
                            u32::from(d.day),
                        )
                    })
                    .ok_or_else(|| format!("'{d}' is not a calendar date"))?;
                periods
                    .iter()
                    .position(|p| p.start <= date && date < p.end)
                    .ok_or_else(|| format!("{date} is in no period: {}", describe()))
            }
            // A TOML date read through serde arrives as its text.
            Value::String(text) => match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                Ok(date) => periods
                    .iter()
                    .position(|p| p.start <= date && date < p.end)
                    .ok_or_else(|| format!("{date} is in no period: {}", describe())),
                Err(_) => Err(format!(
                    "'{text}' is not a period: expected a period number or a date such as 2014-12-01"
                )),
            },
            other => Err(format!(
                "expected a period number or a date, got a {}",
                other.type_str()
            )),
        }
    };
    match value {
        Value::Array(items) if items.len() == 2 => {
            let (a, b) = (one(&items[0])?, one(&items[1])?);
            if a > b {
                return Err(format!(
                    "first period ({}) is after the last ({})",
                    a + 1,
                    b + 1
                ));
            }
            Ok(a..b + 1)
        }
        Value::Array(_) => Err("expected one period, or [first, last]".into()),
        v => one(v).map(|k| k..k + 1),
    }
}

/// Whether `path` is a numeric parameter every scenario can take.
fn check_path(path: &str, trial: Option<f64>, scenarios: &[ScenarioInfo]) -> Result<(), String> {
    if path.starts_with("scenario.") || path.starts_with("initial.") || path.starts_with("changes")
    {
        return Err(format!(
            "'{path}': scenario.*, initial.* and changes cannot be fitted"
        ));
    }
    for s in scenarios {
        // Try the scenario's own value (or the lower bound), so that checks
        // across keys, such as entry shares summing to one, still hold.
        let value = current_value(&s.table, path).or(trial).unwrap_or(0.0);
        let set = Override {
            path: path.into(),
            value: Value::Float(value),
        };
        if let Err(e) = Scenario::from_document(s.document.clone(), &[set]) {
            let why: Vec<String> = e
                .problems
                .iter()
                .map(|p| {
                    if p.key.is_empty() {
                        p.message.clone()
                    } else {
                        format!("{}: {}", p.key, p.message)
                    }
                })
                .collect();
            return Err(format!(
                "'{path}' is not a numeric parameter of {} ({})",
                s.names[0],
                why.join("; ")
            ));
        }
        let known = current_value(&s.table, path);
        if known.is_none() && !path_has_default(path) {
            return Err(format!(
                "'{path}' is not a numeric parameter of {}",
                s.names[0]
            ));
        }
    }
    Ok(())
}

/// Keys absent from a resolved scenario that still have a numeric meaning
/// (entry shares default to 0).
fn path_has_default(path: &str) -> bool {
    path.starts_with("intake.entry.") || path.ends_with(".max_years")
}

/// The current numeric value at a `--set` path of a resolved scenario table.
pub fn current_value(table: &Table, path: &str) -> Option<f64> {
    let parts: Vec<&str> = path.split('.').collect();
    let (mut here, rest): (&Value, &[&str]) = if parts[0] == "steps" {
        let id = parts.get(1)?;
        let rung = table
            .get("steps")?
            .as_array()?
            .iter()
            .find(|r| r.get("id").and_then(Value::as_str) == Some(id))?;
        (rung, &parts[2..])
    } else {
        (table.get(parts[0])?, &parts[1..])
    };
    for k in rest {
        here = here.get(k)?;
    }
    match here {
        Value::Float(f) => Some(*f),
        Value::Integer(i) => Some(*i as f64),
        _ => None,
    }
}

/// Deserialize every entry of an array of tables (absent = empty); failed
/// entries are `None`, with their problem recorded.
fn entries<T: DeserializeOwned>(
    table: &Table,
    name: &str,
    problems: &mut Problems,
) -> Vec<Option<T>> {
    match table.get(name) {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, v)| section(v, at(name, i, ""), problems))
            .collect(),
        Some(other) => {
            problems.push(
                key(&[name]),
                format!(
                    "must be an array of tables ([[{name}]]), got a {}",
                    other.type_str()
                ),
            );
            Vec::new()
        }
    }
}

/// Turn problems at key paths into an [`InputError`] with `file:line:col`.
fn locate(name: &str, text: &str, problems: Problems) -> InputError {
    let root = DeTable::parse(text).ok();
    let located = problems
        .0
        .into_iter()
        .map(|(path, message)| {
            let location =
                root.as_ref()
                    .and_then(|r| span_of(r, &path))
                    .map_or(name.to_string(), |offset| {
                        let (line, col) = line_col(text, offset);
                        format!("{name}:{line}:{col}")
                    });
            LocatedProblem {
                location,
                key: dotted(&path),
                message,
            }
        })
        .collect();
    InputError {
        file: name.into(),
        problems: located,
    }
}

/// Byte offset of the deepest part of `path` present in the document.
fn span_of(root: &toml::Spanned<DeTable<'_>>, path: &Path_) -> Option<usize> {
    let mut table: Option<&DeTable<'_>> = Some(root.get_ref());
    let mut here: Option<&DeValue<'_>> = None;
    let mut found = None;
    for part in path {
        let next = match (part, table, here) {
            (Part::Key(k), Some(t), _) => t.get(k.as_str()),
            (Part::Index(n), _, Some(DeValue::Array(items))) => items.get(*n),
            _ => None,
        };
        let Some(next) = next else { break };
        found = Some(next.span().start);
        here = Some(next.get_ref());
        table = next.get_ref().as_table();
    }
    found
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}
