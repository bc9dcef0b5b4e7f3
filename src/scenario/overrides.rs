//! Parameter paths: `--set path=value` on the command line and the `set`
//! tables of `[[changes]]` share one syntax, `section.key` or
//! `steps.<rung id>.key[.subkey]`, so a what-if tried on the command line can
//! be pasted into a scenario file unchanged.

use std::str::FromStr;

use toml::{Table, Value};

use crate::input::{KeyPath, Segment};

/// One `path=value` override.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    /// Dotted parameter path, e.g. `steps.institution.follow_up.every_weeks`.
    pub path: String,
    /// The value, parsed as TOML (a bare word that is not TOML is a string).
    pub value: Value,
}

impl FromStr for Override {
    type Err = String;

    /// Parse `path=value`; the value is read as a TOML value, so `8`,
    /// `0.5`, `true`, `2014-01-01` and `"text"` keep their types.
    fn from_str(text: &str) -> Result<Self, String> {
        let (path, raw) = text
            .split_once('=')
            .ok_or_else(|| format!("'{text}' is not of the form path=value"))?;
        let path = path.trim();
        let raw = raw.trim();
        if path.is_empty() || path.split('.').any(str::is_empty) {
            return Err(format!("'{path}' is not a parameter path"));
        }
        if raw.is_empty() {
            return Err(format!("no value given for '{path}'"));
        }
        let value = match format!("v = {raw}").parse::<Table>() {
            Ok(mut t) => t.remove("v").unwrap_or(Value::String(raw.into())),
            Err(_) if is_bare_word(raw) => Value::String(raw.into()),
            Err(e) => {
                return Err(format!(
                    "the value of '{path}' is not a TOML value: {}",
                    e.message()
                ));
            }
        };
        Ok(Self {
            path: path.into(),
            value,
        })
    }
}

/// A key path of the scenario `table` spelled the way `--set` and
/// `[[changes]]` write it: `steps[2].latent.improve` becomes
/// `steps.foster.latent.improve`, and a key holding a dot is quoted.
pub fn spelled(table: &Table, path: &KeyPath) -> String {
    let mut out = String::new();
    let mut value: Option<&Value> = None;
    for (depth, segment) in path.0.iter().enumerate() {
        let piece = match segment {
            Segment::Key(k) => {
                value = match value {
                    None if depth == 0 => table.get(k),
                    Some(v) => v.get(k),
                    None => None,
                };
                if k.contains('.') {
                    format!("\"{k}\"")
                } else {
                    k.clone()
                }
            }
            Segment::Index(i) => {
                value = value.and_then(|v| v.get(*i));
                let id = value.and_then(|v| v.get("id")).and_then(Value::as_str);
                match id {
                    Some(id) if !id.is_empty() => id.to_string(),
                    _ => {
                        out.push_str(&format!("[{i}]"));
                        continue;
                    }
                }
            }
        };
        if !out.is_empty() {
            out.push('.');
        }
        out.push_str(&piece);
    }
    out
}

/// Text that `--set` reads as a string without quotes: letters, digits,
/// spaces, `_` and `-`, when it is not also a TOML value (`8`, `true`).
fn is_bare_word(raw: &str) -> bool {
    raw.chars()
        .all(|c| c.is_alphanumeric() || " _-".contains(c))
}

/// Shows the override as it is typed on the command line: a string that
/// needs no quotes there (`workforce.caseworkers=abc`) is shown without.
impl std::fmt::Display for Override {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.value {
            Value::String(s)
                if !s.is_empty()
                    && s.trim() == s
                    && is_bare_word(s)
                    && format!("v = {s}").parse::<Table>().is_err() =>
            {
                write!(f, "{}={s}", self.path)
            }
            value => write!(f, "{}={value}", self.path),
        }
    }
}

/// Set `path` to `value` in a scenario document, creating missing tables.
///
/// `steps.<id>.…` addresses the `[[steps]]` entry with that id. Returns the
/// index of that rung, if any, so callers can map errors back.
pub fn apply(doc: &mut Table, path: &str, value: Value) -> Result<(), String> {
    let parts: Vec<&str> = path.split('.').collect();
    let (table, rest) = if parts[0] == "steps" {
        let id = parts
            .get(1)
            .ok_or_else(|| "a steps path needs a rung id: steps.<id>.<key>".to_string())?;
        if parts.len() < 3 {
            return Err(format!("'{path}' needs a key after the rung id"));
        }
        let steps = doc
            .get_mut("steps")
            .and_then(Value::as_array_mut)
            .ok_or("the scenario has no [[steps]]")?;
        let rung = steps
            .iter_mut()
            .filter_map(Value::as_table_mut)
            .find(|t| t.get("id").and_then(Value::as_str) == Some(id))
            .ok_or_else(|| format!("no rung with id '{id}'"))?;
        if let [table @ ("down_to" | "up_to" | "crisis_to"), _, ..] = &parts[2..] {
            return Err(format!(
                "a destination table is set whole: write steps.{id}.{table} = {{ ... }} with \
                 every destination"
            ));
        }
        (rung, &parts[2..])
    } else {
        (doc, &parts[..])
    };
    let (last, parents) = rest.split_last().expect("paths are non-empty");
    let mut here = table;
    for (depth, key) in parents.iter().enumerate() {
        let entry = here
            .entry(key.to_string())
            .or_insert_with(|| Value::Table(Table::new()));
        here = entry.as_table_mut().ok_or_else(|| {
            format!(
                "'{}' is not a table, so '{path}' cannot be set",
                parents[..=depth].join(".")
            )
        })?;
    }
    here.insert(last.to_string(), value);
    Ok(())
}

/// Why a `[[changes]]` entry may not set `path` (docs/model.md section 7), if it may not.
pub fn forbidden_in_change(path: &str, has_workforce: bool) -> Option<String> {
    let parts: Vec<&str> = path.split('.').collect();
    match parts.as_slice() {
        ["scenario", ..] | ["initial", ..] => Some(format!(
            "'{path}' cannot change during a run (scenario.* and initial.* are fixed)"
        )),
        ["steps", _, "id" | "label" | "placement"] => Some(format!(
            "'{path}' cannot change during a run (a rung's id, label and placement are fixed)"
        )),
        ["costs", "discount_rate"] => Some("costs.discount_rate cannot change during a run".into()),
        ["changes", ..] => Some("a change cannot set changes".into()),
        ["workforce", ..] if !has_workforce => Some(format!(
            "'{path}' needs a [workforce] section in the scenario (capacity is unlimited without one)"
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Table {
        r#"
[scenario]
name = "x"
[[steps]]
id = "a"
[[steps]]
id = "b"
latent = { improve = 1.0 }
"#
        .parse()
        .unwrap()
    }

    #[test]
    fn parses_typed_values() {
        let o: Override = "workforce.caseworkers=8".parse().unwrap();
        assert_eq!(o.value, Value::Integer(8));
        let o: Override = "scenario.name=Big town".parse().unwrap();
        assert_eq!(o.value, Value::String("Big town".into()));
        assert!("novalue".parse::<Override>().is_err());
        assert!("a..b=1".parse::<Override>().is_err());
        assert!("x=[1,".parse::<Override>().is_err());
    }

    #[test]
    fn displays_as_typed() {
        for text in [
            "workforce.caseworkers=abc",
            "scenario.name=Big town",
            "workforce.caseworkers=8",
            "steps.institution.latent.improve=-1",
            "scenario.name=\"8\"",
            "scenario.name=\"true\"",
            "scenario.name=\"a.b\"",
        ] {
            let o: Override = text.parse().unwrap();
            assert_eq!(o.to_string(), text);
            assert_eq!(o.to_string().parse::<Override>().unwrap(), o);
        }
    }

    #[test]
    fn sets_rung_keys_by_id_and_creates_tables() {
        let mut d = doc();
        apply(&mut d, "steps.b.latent.worsen", Value::Float(0.5)).unwrap();
        apply(&mut d, "workforce.caseworkers", Value::Integer(3)).unwrap();
        let b = &d["steps"][1]["latent"];
        assert_eq!(b["worsen"].as_float(), Some(0.5));
        assert_eq!(b["improve"].as_float(), Some(1.0));
        assert_eq!(d["workforce"]["caseworkers"].as_integer(), Some(3));
        assert!(apply(&mut d, "steps.zzz.points", Value::Float(1.0)).is_err());
        assert!(apply(&mut d, "scenario.name.x", Value::Float(1.0)).is_err());
    }

    #[test]
    fn changes_may_not_touch_fixed_things() {
        assert!(forbidden_in_change("scenario.seed", true).is_some());
        assert!(forbidden_in_change("steps.a.placement", true).is_some());
        assert!(forbidden_in_change("workforce.caseworkers", false).is_some());
        assert!(forbidden_in_change("workforce.caseworkers", true).is_none());
        assert!(forbidden_in_change("steps.a.follow_up.every_weeks", true).is_none());
    }
}
