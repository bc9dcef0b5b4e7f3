//! Checking a targets file against the scenarios it is measured in, and
//! compiling it into [`Parameter`]s, [`Remainder`]s and [`Target`]s: every
//! parameter path must be a numeric parameter of every scenario, every
//! metric, step and period must exist in the scenario a target names.
//! Problems are collected at key paths of the targets file and located in
//! its text.

use std::ops::Range;

use chrono::NaiveDate;
use toml::{Table, Value};

use super::targets::{
    Change, Combine, Measure, Moves, Parameter, RawMoves, RawParameter, RawRemainder, RawTarget,
    Remainder, ScenarioInfo, Settings, Target, TargetsFile,
};
use crate::input::{self, InputError, KeyPath, Problem, Source};
use crate::metrics::{Layout, Metric};
use crate::results::PeriodInfo;
use crate::scenario::{Override, Scenario};
use crate::transitions::{Grid, Kind, Origin, Target as TransitionTarget};

/// Parse a targets file from text (`name` is used in messages) and check
/// it against the scenarios it will be measured in.
pub fn parse(
    name: &str,
    text: &str,
    scenarios: &[ScenarioInfo],
) -> Result<TargetsFile, InputError> {
    let source = Source::from_text(name, text);
    let table = source.parse_toml()?;
    let mut problems = Vec::new();
    match check(&table, scenarios, &mut problems) {
        Some(file) if problems.is_empty() => Ok(file),
        _ => Err(source.locate(problems)),
    }
}

/// The key path of field `k` of entry `i` of the array of tables `base`
/// (the entry itself when `k` is empty).
fn at(base: &str, i: usize, k: &str) -> KeyPath {
    let entry = KeyPath::keys(&[base]).index(i);
    if k.is_empty() { entry } else { entry.key(k) }
}

/// Check a parsed targets file; `None` when something could not be
/// compiled (its problems are in `problems`).
fn check(
    table: &Table,
    scenarios: &[ScenarioInfo],
    problems: &mut Vec<Problem>,
) -> Option<TargetsFile> {
    const SECTIONS: [&str; 4] = ["calibrate", "parameters", "remainders", "targets"];
    input::unknown_keys(table, &SECTIONS, problems);
    let settings: Settings = match table.get("calibrate") {
        Some(v) => input::section(v, KeyPath::keys(&["calibrate"]), problems).unwrap_or_default(),
        None => Settings::default(),
    };
    if settings.replications < 2 {
        problems.push(Problem::new(
            KeyPath::keys(&["calibrate", "replications"]),
            "must be at least 2 (a confidence interval needs two replications)",
        ));
    }
    if settings.max_evaluations == 0 {
        problems.push(Problem::new(
            KeyPath::keys(&["calibrate", "max_evaluations"]),
            "must be at least 1",
        ));
    }
    if !(1..=15).contains(&settings.significant_digits) {
        problems.push(Problem::new(
            KeyPath::keys(&["calibrate", "significant_digits"]),
            "must be from 1 to 15",
        ));
    }

    let parameters = input::entries::<RawParameter>(table, "parameters", problems);
    let remainders = input::entries::<RawRemainder>(table, "remainders", problems);
    let targets = input::entries::<RawTarget>(table, "targets", problems);

    let mut fitted_paths: Vec<String> = Vec::new();
    let mut out_parameters = Vec::new();
    if parameters.is_empty() && table.get("parameters").is_none() {
        problems.push(Problem::new(
            KeyPath::keys(&["parameters"]),
            "missing: name at least one [[parameters]] entry to fit",
        ));
    }
    for (i, p) in parameters.into_iter().enumerate() {
        let Some(p) = p else { continue };
        let paths = match (p.path, p.paths) {
            (Some(one), None) => vec![one],
            (None, Some(many)) if !many.is_empty() => many,
            (None, Some(_)) => {
                problems.push(Problem::new(
                    at("parameters", i, "paths"),
                    "must name at least one path",
                ));
                continue;
            }
            (None, None) => {
                problems.push(Problem::new(
                    at("parameters", i, ""),
                    "needs `path` (one parameter) or `paths` (a tie: one value for all)",
                ));
                continue;
            }
            (Some(_), Some(_)) => {
                problems.push(Problem::new(
                    at("parameters", i, "paths"),
                    "give either `path` or `paths`, not both",
                ));
                continue;
            }
        };
        let field = if paths.len() == 1 { "path" } else { "paths" };
        let mut ok = true;
        for path in &paths {
            if let Err(message) = check_path(path, Some(p.min), scenarios) {
                problems.push(Problem::new(at("parameters", i, field), message));
                ok = false;
            } else if fitted_paths.contains(path) {
                problems.push(Problem::new(
                    at("parameters", i, field),
                    format!("'{path}' is fitted twice"),
                ));
                ok = false;
            }
            fitted_paths.push(path.clone());
        }
        if !(p.min.is_finite() && p.max.is_finite()) {
            problems.push(Problem::new(
                at("parameters", i, "min"),
                "bounds must be finite numbers",
            ));
            ok = false;
        } else if p.min >= p.max {
            problems.push(Problem::new(
                at("parameters", i, "max"),
                format!(
                    "bounds reversed or empty: min = {} is not below max = {}",
                    p.min, p.max
                ),
            ));
            ok = false;
        } else if p.log && p.min <= 0.0 {
            problems.push(Problem::new(
                at("parameters", i, "min"),
                format!("a log scale needs min > 0, got {}", p.min),
            ));
            ok = false;
        }
        if let Some(s) = p.start
            && ok
            && !(p.min..=p.max).contains(&s)
        {
            problems.push(Problem::new(
                at("parameters", i, "start"),
                format!("{s} is outside the bounds [{}, {}]", p.min, p.max),
            ));
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
            problems.push(Problem::new(
                at("remainders", i, "path"),
                format!("'{}' is fitted, so it cannot also be a remainder", r.path),
            ));
            ok = false;
        } else if let Err(message) = check_path(&r.path, None, scenarios) {
            problems.push(Problem::new(at("remainders", i, "path"), message));
            ok = false;
        }
        if r.of.is_empty() {
            problems.push(Problem::new(
                at("remainders", i, "of"),
                "must name at least one path",
            ));
            ok = false;
        }
        for path in &r.of {
            if !fitted_paths.contains(path)
                && let Err(message) = check_path(path, None, scenarios)
            {
                problems.push(Problem::new(at("remainders", i, "of"), message));
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
        problems.push(Problem::new(
            KeyPath::keys(&["targets"]),
            "missing: name at least one [[targets]] entry",
        ));
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
    problems: &mut Vec<Problem>,
) -> Option<Target> {
    let before = problems.len();
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
                problems.push(Problem::new(
                    at("targets", i, "scenario"),
                    format!(
                        "no scenario '{name}' on the command line (given: {})",
                        all_names()
                    ),
                ));
            }
            found
        }
        None if scenarios.len() == 1 => Some(0),
        None => {
            problems.push(Problem::new(
                at("targets", i, "scenario"),
                format!(
                    "missing: several scenarios are given, so name one ({})",
                    all_names()
                ),
            ));
            None
        }
    };
    let metric = match (&t.metric, &t.moves) {
        (Some(name), None) => {
            let metric = Metric::from_name(name);
            if metric.is_none() {
                let names: Vec<&str> = Metric::ALL.iter().map(|m| m.name()).collect();
                problems.push(Problem::new(
                    at("targets", i, "metric"),
                    format!(
                        "unknown metric '{name}', expected one of {}",
                        names.join(", ")
                    ),
                ));
            }
            metric
        }
        (Some(_), Some(_)) => {
            problems.push(Problem::new(
                at("targets", i, "moves"),
                "a target takes `metric` or `moves`, not both",
            ));
            None
        }
        (None, None) => {
            problems.push(Problem::new(
                at("targets", i, "metric"),
                "missing: a target needs `metric` (or `moves`, a sum of transitions)",
            ));
            None
        }
        (None, Some(_)) => None,
    };
    let mut rows = Vec::new();
    let mut steps = Vec::new();
    if let (Some(s), Some(metric)) = (scenario, metric) {
        let info = &scenarios[s];
        match resolve_steps(&info.layout, metric, t.step.as_ref()) {
            Ok((names, r)) => {
                steps = names;
                rows = r;
            }
            Err(message) => problems.push(Problem::new(at("targets", i, "step"), message)),
        }
    }
    let mut moves = None;
    if let (Some(s), Some(raw)) = (scenario, &t.moves) {
        if t.step.is_some() {
            problems.push(Problem::new(
                at("targets", i, "step"),
                "a `moves` target filters with `moves.from` and `moves.to`, not `step`",
            ));
        }
        match resolve_moves(raw, &scenarios[s].ids) {
            Ok(m) => moves = Some(m),
            Err(message) => problems.push(Problem::new(at("targets", i, "moves"), message)),
        }
    }
    let mut per = None;
    if let (Some(s), Some(raw)) = (scenario, &t.per) {
        match Metric::from_name(&raw.metric) {
            None => problems.push(Problem::new(
                at("targets", i, "per"),
                format!("unknown metric '{}' in per", raw.metric),
            )),
            Some(m) => match resolve_steps(&scenarios[s].layout, m, raw.step.as_ref()) {
                Ok((names, r)) => per = Some((m, names, r)),
                Err(message) => problems.push(Problem::new(at("targets", i, "per"), message)),
            },
        }
    }
    let combine = match t.combine.as_deref() {
        None | Some("sum") => Combine::Sum,
        Some("mean") => Combine::Mean,
        Some(other) => {
            problems.push(Problem::new(
                at("targets", i, "combine"),
                format!("'{other}': expected \"sum\" or \"mean\""),
            ));
            Combine::Sum
        }
    };
    let change = match t.change.as_deref() {
        None => None,
        Some("difference") => Some(Change::Difference),
        Some("relative") => Some(Change::Relative),
        Some(other) => {
            problems.push(Problem::new(
                at("targets", i, "change"),
                format!("'{other}': expected \"difference\" or \"relative\""),
            ));
            None
        }
    };
    if !(t.tolerance.is_finite() && t.tolerance > 0.0) {
        problems.push(Problem::new(
            at("targets", i, "tolerance"),
            format!("must be a positive number, got {}", t.tolerance),
        ));
    }
    if !(t.weight.is_finite() && t.weight >= 0.0) {
        problems.push(Problem::new(
            at("targets", i, "weight"),
            format!("must be 0 or more, got {}", t.weight),
        ));
    }
    if !t.observed.is_finite() {
        problems.push(Problem::new(
            at("targets", i, "observed"),
            "must be a finite number",
        ));
    }
    let mut measure = None;
    let mut periods_text = String::new();
    if let Some(s) = scenario {
        let periods = &scenarios[s].periods;
        let span = |field: &str, value: &Option<Value>, problems: &mut Vec<Problem>| match value {
            None => {
                problems.push(Problem::new(at("targets", i, field), "missing"));
                None
            }
            Some(v) => match resolve_periods(v, periods) {
                Ok(r) => Some(r),
                Err(message) => {
                    problems.push(Problem::new(at("targets", i, field), message));
                    None
                }
            },
        };
        let text =
            |r: &Range<usize>| format!("{} – {}", periods[r.start].start, periods[r.end - 1].end);
        match (&t.change, &t.periods) {
            (Some(_), Some(_)) => problems.push(Problem::new(
                at("targets", i, "periods"),
                "a change target takes `from` and `to`, not `periods`",
            )),
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
                    problems.push(Problem::new(
                        at("targets", i, if t.from.is_some() { "from" } else { "to" }),
                        "`from` and `to` need `change = \"difference\"` or `\"relative\"`",
                    ));
                }
                if let Some(r) = span("periods", &t.periods, problems) {
                    periods_text = text(&r);
                    measure = Some(Measure::Span(r));
                }
            }
        }
    }
    if problems.len() > before {
        return None;
    }
    Some(Target {
        name: t.name,
        scenario: scenario?,
        metric,
        moves,
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

/// The names a `moves` filter lists (a string, a non-empty list, or
/// absent = `None`: any), each checked against `valid`.
fn filter_names(
    field: &str,
    value: Option<&Value>,
    valid: &[String],
) -> Result<Option<Vec<String>>, String> {
    let names: Vec<String> = match value {
        None => return Ok(None),
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) if !items.is_empty() => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| format!("{field}: names must be strings"))
            })
            .collect::<Result<_, _>>()?,
        Some(_) => {
            return Err(format!(
                "{field}: expected a name or a non-empty list of names"
            ));
        }
    };
    if let Some(bad) = names.iter().find(|n| !valid.contains(n)) {
        return Err(format!(
            "{field}: no '{bad}'; expected one of {}",
            valid.join(", ")
        ));
    }
    Ok(Some(names))
}

/// The transition cells a `moves` filter selects on the ladder `ids`.
fn resolve_moves(raw: &RawMoves, ids: &[String]) -> Result<Moves, String> {
    let grid = Grid::new(ids.len());
    let kinds: Vec<String> = Kind::ALL.iter().map(|k| k.name().to_string()).collect();
    let origins: Vec<String> = std::iter::once("assessment".to_string())
        .chain(ids.iter().cloned())
        .collect();
    let destinations: Vec<String> = ids
        .iter()
        .cloned()
        .chain(["closed".to_string(), "aged_out".to_string()])
        .collect();
    let kind = filter_names("kind", raw.kind.as_ref(), &kinds)?;
    let from = filter_names("from", raw.from.as_ref(), &origins)?;
    let to = filter_names("to", raw.to.as_ref(), &destinations)?;
    let direction = match raw.direction.as_deref() {
        None => None,
        Some(d @ ("up" | "down" | "same")) => Some(d),
        Some(other) => {
            return Err(format!(
                "direction: '{other}': expected \"up\", \"down\" or \"same\""
            ));
        }
    };
    let keep = |list: &Option<Vec<String>>, name: &str| {
        list.as_ref().is_none_or(|l| l.iter().any(|n| n == name))
    };
    let cells: Vec<usize> = (0..grid.len())
        .filter(|&c| {
            let cell = grid.cell(c);
            let (f, t) = grid.names(cell, ids);
            let along = match (direction, cell.from, cell.to) {
                (None, _, _) => true,
                (Some(d), Origin::Rung(a), TransitionTarget::Rung(b)) => match d {
                    "up" => b > a,
                    "down" => b < a,
                    _ => b == a,
                },
                (Some(_), _, _) => false,
            };
            along && keep(&kind, cell.kind.name()) && keep(&from, f) && keep(&to, t)
        })
        .collect();
    let mut text = Vec::new();
    for (field, list) in [("kind", &kind), ("from", &from), ("to", &to)] {
        if let Some(l) = list {
            text.push(format!("{field} {}", l.join("+")));
        }
    }
    if let Some(d) = direction {
        text.push(format!("direction {d}"));
    }
    Ok(Moves {
        cells,
        text: if text.is_empty() {
            "all moves".to_string()
        } else {
            text.join(", ")
        },
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
                .map(|p| match &p.field {
                    Some(field) => format!("{field}: {}", p.message),
                    None => p.message.clone(),
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
