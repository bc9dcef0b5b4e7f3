//! `[uncertainty]`: parameters that are not known exactly, each with a
//! distribution, so that every replication runs on its own plausible set of
//! values (probabilistic sensitivity analysis).
//!
//! The table maps a `--set` path to a distribution. Checking it here, once,
//! means a replication never meets an impossible value: the distribution's
//! whole support must give a valid scenario (a probability's distribution
//! stays in [0, 1], a rate's at or above 0), which is tested by resolving
//! the scenario at both ends of the support.
//!
//! Drawn values replace the scenario's *base* values; `[[changes]]` are then
//! resolved from the drawn base as usual, so a value a change sets later is
//! the change's (a policy lever), while every other drawn value carries on
//! through the changes. A path given with `--set` is fixed at that value
//! and not drawn.

use indexmap::IndexMap;
use toml::{Table, Value};

use super::distribution::{Distribution, DistributionSpec};
use super::file::ScenarioFile;
use super::{Scenario, document, overrides};
use crate::format::{ENGLISH, significant};
use crate::input::{KeyPath, Problem};

/// The `[uncertainty]` table as written: parameter path → distribution.
pub type UncertaintyTable = IndexMap<String, DistributionSpec>;

/// One checked uncertain parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct UncertainParameter {
    /// The `--set` path it replaces.
    pub path: String,
    /// Where its values come from.
    pub distribution: Distribution,
    /// The parameter is a whole number (a count of caseworkers or cases):
    /// draws are rounded to the nearest integer.
    pub integer: bool,
}

/// How far out an open end of a support is checked, in standard
/// deviations from the mean: far enough that a draw beyond it does not
/// happen in practice, near enough that a rate's plausibility limit (which
/// validation enforces) does not refuse every lognormal or gamma.
const FAR_SDS: f64 = 40.0;

/// Stand-in for an open end when even that is not finite.
const FAR: f64 = 1e12;

/// Check `file.uncertainty` against the (valid) rest of the file.
pub(super) fn compile(file: &ScenarioFile) -> Result<Vec<UncertainParameter>, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut out = Vec::new();
    let mut fixed = file.clone();
    fixed.uncertainty.clear();
    let table = Table::try_from(&fixed).expect("a scenario always serializes");
    for (path, spec) in &file.uncertainty {
        let at = KeyPath::keys(&["uncertainty", path]);
        let fail = |problems: &mut Vec<Problem>, key: Option<&str>, message: String| {
            let at = key.map_or_else(|| at.clone(), |k| at.key(k));
            problems.push(Problem::new(at, message));
        };
        let distribution = match Distribution::from_spec(spec) {
            Ok(d) => d,
            Err((key, message)) => {
                fail(&mut problems, key, message);
                continue;
            }
        };
        if let Some(message) = not_drawable(path) {
            fail(&mut problems, None, message);
            continue;
        }
        let integer = match current_value(&table, path) {
            Ok(Some(Value::Integer(_))) => true,
            Ok(Some(Value::Float(_)) | None) => false,
            Ok(Some(other)) => {
                fail(
                    &mut problems,
                    None,
                    format!(
                        "'{path}' is a {}, not a number, so it cannot be drawn",
                        other.type_str()
                    ),
                );
                continue;
            }
            Err(message) => {
                fail(&mut problems, None, message);
                continue;
            }
        };
        let parameter = UncertainParameter {
            path: path.clone(),
            distribution,
            integer,
        };
        let (lo, hi) = distribution.support();
        let (mean, variance) = distribution.moments();
        let far = FAR_SDS * variance.sqrt();
        for (end, value, stand_in) in [("lower", lo, mean - far), ("upper", hi, mean + far)] {
            let checked = if value.is_finite() {
                value
            } else {
                stand_in.clamp(-FAR, FAR)
            };
            if let Err(problem) = resolve_with(&fixed, &[(&parameter, checked)]) {
                let reach = if value.is_finite() {
                    format!(
                        "the distribution reaches {} (its {end} end)",
                        ENGLISH.exact(significant(parameter.value(value), 6))
                    )
                } else {
                    format!("the distribution has no {end} end (truncate it with lo and hi)")
                };
                let rule = problem
                    .rsplit_once(", got ")
                    .map_or(problem.as_str(), |(r, _)| r);
                fail(&mut problems, None, format!("{reach}, but {rule}"));
                break;
            }
        }
        out.push(parameter);
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

impl UncertainParameter {
    /// The value a draw `x` stands for (rounded for a whole-number
    /// parameter).
    pub fn value(&self, x: f64) -> f64 {
        if self.integer { x.round() } else { x }
    }
}

/// Why `path` may not be uncertain, if it may not: the run's own settings
/// and the initial state are not model parameters.
fn not_drawable(path: &str) -> Option<String> {
    let first = path.split('.').next().unwrap_or("");
    match first {
        "scenario" => Some("scenario.* settings say what to run, they cannot be uncertain".into()),
        "changes" | "uncertainty" => Some(format!("'{path}' is not a parameter path")),
        _ => None,
    }
}

/// The value at a `--set` path of a scenario table (`None`: not set,
/// the default applies). An error when the path cannot exist.
fn current_value<'a>(table: &'a Table, path: &str) -> Result<Option<&'a Value>, String> {
    let parts: Vec<&str> = path.split('.').collect();
    let (mut here, rest): (Option<&Value>, &[&str]) = if parts[0] == "steps" {
        let id = parts
            .get(1)
            .ok_or("a steps path needs a rung id: steps.<id>.<key>")?;
        let rung = table
            .get("steps")
            .and_then(Value::as_array)
            .and_then(|a| {
                a.iter()
                    .find(|r| r.get("id").and_then(Value::as_str) == Some(id))
            })
            .ok_or_else(|| format!("no rung with id '{id}'"))?;
        (Some(rung), &parts[2..])
    } else {
        (None, &parts[..])
    };
    for (i, key) in rest.iter().enumerate() {
        here = match (i, here) {
            (0, None) => table.get(*key),
            (_, Some(v)) => v.get(*key),
            (_, None) => None,
        };
    }
    Ok(here)
}

/// The scenario with `values` in place of its base values, resolved and
/// validated. The error is the first problem, in words, with its path.
pub(super) fn resolve_with(
    fixed: &ScenarioFile,
    values: &[(&UncertainParameter, f64)],
) -> Result<Scenario, String> {
    let mut table = Table::try_from(fixed).expect("a scenario always serializes");
    for (parameter, x) in values {
        let value = if parameter.integer {
            Value::Integer(parameter.value(*x) as i64)
        } else {
            Value::Float(*x)
        };
        overrides::apply(&mut table, &parameter.path, value)?;
    }
    let first = |problems: Vec<Problem>| {
        problems.into_iter().next().map_or_else(
            || "the scenario is not valid".to_string(),
            |p| format!("{}: {}", overrides::spelled(&table, &p.path), p.message),
        )
    };
    let file = document::to_scenario_file(&table).map_err(first)?;
    Scenario::from_file(file).map_err(first)
}

#[cfg(test)]
mod tests {
    use crate::scenario::Scenario;

    const BASE: &str = r#"
[scenario]
name = "u"
start = 2020-01-01
horizon_years = 1.0
[[steps]]
id = "a"
cost_per_year = 100.0
latent = { improve = 0.5 }
[follow_up]
detection = 0.5
[workforce]
caseworkers = 4
"#;

    fn load(extra: &str) -> Result<Scenario, String> {
        Scenario::from_toml_str("u.toml", &format!("{BASE}{extra}"), &[]).map_err(|e| e.to_string())
    }

    #[test]
    fn supports_must_give_valid_values() {
        let ok = load(
            "[uncertainty]\n\"follow_up.detection\" = { dist = \"beta\", mean = 0.5, sd = 0.1 }\n",
        )
        .unwrap();
        assert_eq!(ok.uncertainty.len(), 1);
        let err = load("[uncertainty]\n\"follow_up.detection\" = { dist = \"normal\", mean = 0.5, sd = 0.1 }\n")
            .unwrap_err();
        assert!(err.contains("uncertainty.\"follow_up.detection\""), "{err}");
        assert!(err.contains("at most 1"), "{err}");
        let err = load("[uncertainty]\n\"steps.a.latent.improve\" = { dist = \"uniform\", lo = -1.0, hi = 1.0 }\n")
            .unwrap_err();
        assert!(err.contains("lower end"), "{err}");
        let err = load("[uncertainty]\n\"steps.b.latent.improve\" = { dist = \"uniform\", lo = 0.0, hi = 1.0 }\n")
            .unwrap_err();
        assert!(err.contains("no rung with id 'b'"), "{err}");
        let err = load("[uncertainty]\n\"steps.a.latent.improv\" = { dist = \"uniform\", lo = 0.0, hi = 1.0 }\n")
            .unwrap_err();
        assert!(err.contains("improv"), "{err}");
        let err =
            load("[uncertainty]\n\"scenario.seed\" = { dist = \"uniform\", lo = 0.0, hi = 1.0 }\n")
                .unwrap_err();
        assert!(err.contains("cannot be uncertain"), "{err}");
    }

    #[test]
    fn whole_numbers_are_rounded() {
        let s = load("[uncertainty]\n\"workforce.caseworkers\" = { dist = \"uniform\", lo = 2.0, hi = 6.0 }\n")
            .unwrap();
        let p = &s.uncertainty[0];
        assert!(p.integer);
        let drawn = s.with_values(&[3.6]);
        assert_eq!(drawn.file.workforce.unwrap().caseworkers, 4);
    }
}
