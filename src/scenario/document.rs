//! From TOML text to a [`ScenarioFile`]: syntax, `extends`, per-section
//! deserialization, and mapping every problem back to a file and line.
//!
//! Sections (and each `[[steps]]` / `[[changes]]` entry) are deserialized one
//! by one so that a typo in `[intake]` and a wrong type in the third rung are
//! reported together, not one per attempt.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use toml::de::{DeTable, DeValue};
use toml::{Table, Value};

use super::file::{ChangeSpec, Rung, ScenarioFile};
use super::overrides::Override;
use super::problem::{InputError, KeyPath, LocatedProblem, Problem, Segment};

/// How deep `extends` chains may go before we suspect a mistake.
const MAX_EXTENDS_DEPTH: usize = 16;

/// One TOML file that contributed to a scenario, kept for locating problems.
#[derive(Debug, Clone)]
pub struct Layer {
    /// Path as given (or a name for in-memory text).
    pub name: String,
    /// The file's text.
    pub text: String,
}

/// A merged scenario document with the layers it came from (the scenario
/// file first, then what it extends, recursively).
#[derive(Debug, Clone)]
pub struct Document {
    /// The merged table (`extends` removed, overrides not yet applied).
    pub table: Table,
    /// Contributing files, most specific first.
    pub layers: Vec<Layer>,
}

/// The `id` of a `[[steps]]` entry, if it has a string one.
fn id_of(rung: &Value) -> Option<&str> {
    rung.get("id").and_then(Value::as_str)
}

impl Document {
    /// Read a scenario file, following `extends`.
    pub fn read(path: &Path) -> Result<Self, InputError> {
        let mut layers = Vec::new();
        let table = read_layer(path, &mut layers, 0)?;
        Ok(Self { table, layers })
    }

    /// A document from in-memory text (`extends` resolved against the
    /// current directory).
    pub fn from_text(name: &str, text: &str) -> Result<Self, InputError> {
        let table = parse_layer(name, text)?;
        let mut layers = vec![Layer {
            name: name.into(),
            text: text.into(),
        }];
        let table = resolve_extends(table, Path::new("."), name, &mut layers, 0)?;
        Ok(Self { table, layers })
    }

    /// Turn problems at key paths into an [`InputError`] with locations.
    pub fn locate(&self, problems: Vec<Problem>, overrides: &[Override]) -> InputError {
        let parsed: Vec<Option<toml::Spanned<DeTable<'_>>>> = self
            .layers
            .iter()
            .map(|l| DeTable::parse(&l.text).ok())
            .collect();
        let mut located = Vec::with_capacity(problems.len());
        for problem in problems {
            let key = self.display_path(&problem.path);
            let set_by = overrides.iter().find(|o| {
                let op = o.path.split('.').collect::<Vec<_>>().join(".");
                key == op
                    || key.starts_with(&format!("{op}."))
                    || op.starts_with(&format!("{key}."))
            });
            let location = match set_by {
                Some(o) => format!("--set {o}"),
                None => self.find(&problem.path, &parsed),
            };
            located.push(LocatedProblem {
                location,
                key,
                message: problem.message,
            });
        }
        InputError {
            file: self.layers[0].name.clone(),
            problems: located,
        }
    }

    /// A key path rendered the way `--set` spells it: `steps.<id>.…`.
    pub fn display_path(&self, path: &KeyPath) -> String {
        let mut out = String::new();
        let mut value: Option<&Value> = None;
        for (depth, segment) in path.0.iter().enumerate() {
            let piece = match segment {
                Segment::Key(k) => {
                    value = match value {
                        None if depth == 0 => self.table.get(k),
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

    /// `file:line:col` of the deepest part of `path` present in any layer;
    /// just the file when no part of it is (a missing section has no line).
    fn find(&self, path: &KeyPath, parsed: &[Option<toml::Spanned<DeTable<'_>>>]) -> String {
        let mut best: Option<(usize, usize, std::ops::Range<usize>)> = None;
        for (li, root) in parsed.iter().enumerate() {
            let Some(root) = root else { continue };
            let (depth, span) = self.walk(root, path);
            if best.as_ref().is_none_or(|(d, _, _)| depth > *d) {
                best = Some((depth, li, span));
            }
        }
        match best {
            Some((depth, li, span)) if depth > 0 => {
                let layer = &self.layers[li];
                let (line, col) = line_col(&layer.text, span.start);
                format!("{}:{line}:{col}", layer.name)
            }
            _ => self.layers[0].name.clone(),
        }
    }

    /// Follow `path` into one layer; array elements under `steps` are matched
    /// by rung id, since `extends` merges rungs by id. The k-th rung with an
    /// id is matched to the k-th entry with that id in the layer, so a
    /// duplicate id is reported where the duplicate is, not at the first.
    fn walk(
        &self,
        root: &toml::Spanned<DeTable<'_>>,
        path: &KeyPath,
    ) -> (usize, std::ops::Range<usize>) {
        let mut span = 0..0;
        let mut depth = 0;
        let mut here: Option<&DeValue<'_>> = None;
        let mut table: Option<&DeTable<'_>> = Some(root.get_ref());
        let mut merged: Option<&Value> = None;
        for (i, segment) in path.0.iter().enumerate() {
            let next = match (segment, table, here) {
                (Segment::Key(k), Some(t), _) => {
                    merged = if i == 0 {
                        self.table.get(k)
                    } else {
                        merged.and_then(|m| m.get(k))
                    };
                    t.get(k.as_str())
                }
                (Segment::Index(n), _, Some(DeValue::Array(items))) => {
                    let all = merged.and_then(Value::as_array);
                    let id = all.and_then(|a| a.get(*n)).and_then(id_of);
                    let earlier_same_id = all.map_or(0, |a| {
                        a.iter()
                            .take(*n)
                            .filter(|v| id.is_some() && id_of(v) == id)
                            .count()
                    });
                    merged = merged.and_then(|m| m.get(*n));
                    let by_id = id.and_then(|id| {
                        let mut same = items.iter().filter(|item| {
                            item.get_ref().get("id").and_then(|v| v.get_ref().as_str()) == Some(id)
                        });
                        let first = same.clone().next();
                        same.nth(earlier_same_id).or(first)
                    });
                    by_id.or_else(|| items.get(*n))
                }
                _ => None,
            };
            let Some(next) = next else { break };
            span = next.span();
            depth = i + 1;
            here = Some(next.get_ref());
            table = next.get_ref().as_table();
        }
        if depth == 0 {
            span = 0..0;
        }
        (depth, span)
    }
}

fn read_layer(path: &Path, layers: &mut Vec<Layer>, depth: usize) -> Result<Table, InputError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| InputError::whole_file(&name, format!("cannot read the file: {e}")))?;
    let table = parse_layer(&name, &text)?;
    layers.push(Layer {
        name: name.clone(),
        text,
    });
    let dir = path.parent().unwrap_or(Path::new("."));
    resolve_extends(table, dir, &name, layers, depth)
}

fn parse_layer(name: &str, text: &str) -> Result<Table, InputError> {
    let (_, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        let problems = errors
            .iter()
            .map(|e| {
                let location = match e.span() {
                    Some(span) => {
                        let (line, col) = line_col(text, span.start);
                        format!("{name}:{line}:{col}")
                    }
                    None => name.to_string(),
                };
                LocatedProblem {
                    location,
                    key: String::new(),
                    message: format!("TOML syntax error: {}", e.message()),
                }
            })
            .collect();
        return Err(InputError {
            file: name.into(),
            problems,
        });
    }
    text.parse::<Table>()
        .map_err(|e| InputError::whole_file(name, format!("TOML error: {}", e.message())))
}

fn resolve_extends(
    mut table: Table,
    dir: &Path,
    name: &str,
    layers: &mut Vec<Layer>,
    depth: usize,
) -> Result<Table, InputError> {
    let Some(extends) = table.remove("extends") else {
        return Ok(table);
    };
    let here = Document {
        table: table.clone(),
        layers: layers.clone(),
    };
    let fail = |message: String| {
        let mut err = here.locate(
            vec![Problem::new(KeyPath::keys(&["extends"]), message)],
            &[],
        );
        err.file = name.into();
        err
    };
    let Some(base) = extends.as_str() else {
        return Err(fail(format!(
            "must be a file path string, got a {}",
            extends.type_str()
        )));
    };
    if depth >= MAX_EXTENDS_DEPTH {
        return Err(fail(format!(
            "more than {MAX_EXTENDS_DEPTH} levels of extends (a cycle?)"
        )));
    }
    let base_path: PathBuf = dir.join(base);
    let canonical = base_path.canonicalize().ok();
    if layers
        .iter()
        .any(|l| Path::new(&l.name).canonicalize().ok() == canonical && canonical.is_some())
    {
        return Err(fail(format!("'{base}' extends itself (a cycle)")));
    }
    if !base_path.is_file() {
        return Err(fail(format!("cannot read '{}'", base_path.display())));
    }
    let base_table = read_layer(&base_path, layers, depth + 1)?;
    Ok(merge(base_table, table))
}

/// `child` over `base`: tables merge key by key, `[[steps]]` merge by rung
/// id (new ids are appended), everything else is replaced.
fn merge(mut base: Table, child: Table) -> Table {
    for (key, value) in child {
        let merged = match (base.remove(&key), value) {
            (Some(Value::Table(b)), Value::Table(c)) => Value::Table(merge(b, c)),
            (Some(Value::Array(mut b)), Value::Array(c)) if key == "steps" => {
                for step in c {
                    let id = step.get("id").and_then(Value::as_str).map(str::to_owned);
                    let slot = id.as_deref().and_then(|id| {
                        b.iter()
                            .position(|s| s.get("id").and_then(Value::as_str) == Some(id))
                    });
                    match (slot, step) {
                        (Some(i), Value::Table(c)) => {
                            if let Value::Table(old) = &mut b[i] {
                                *old = merge(std::mem::take(old), c);
                            }
                        }
                        (_, step) => b.push(step),
                    }
                }
                Value::Array(b)
            }
            (_, value) => value,
        };
        base.insert(key, merged);
    }
    base
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// Deserialize one value, recording the key path of the first error in it.
fn section<T: DeserializeOwned>(
    value: &Value,
    at: KeyPath,
    problems: &mut Vec<Problem>,
) -> Option<T> {
    match serde_path_to_error::deserialize::<_, T>(value.clone()) {
        Ok(v) => Some(v),
        Err(e) => {
            let inner = KeyPath::parse_serde(&e.path().to_string());
            problems.push(Problem::new(
                at.join(&inner),
                plain_words(e.inner().message()),
            ));
            None
        }
    }
}

/// A deserializer message in the scenario's terms rather than Rust's:
/// `expected f64` becomes `expected a number`, `expected struct Workforce`
/// becomes `expected a table`, and so on.
fn plain_words(message: &str) -> String {
    const WORDS: [(&str, &str); 6] = [
        ("expected f64", "expected a number"),
        (
            "expected u64",
            "expected a whole number, 0 or more (a TOML integer)",
        ),
        (
            "expected u32",
            "expected a whole number from 0 to 4294967295 (a TOML integer)",
        ),
        ("expected a map", "expected a table"),
        (
            "expected a TOML datetime",
            "expected a TOML date such as 2013-08-01",
        ),
        ("expected a sequence", "expected an array"),
    ];
    let mut out = message.to_string();
    for (rust, plain) in WORDS {
        out = out.replace(rust, plain);
    }
    while let Some(at) = out.find("expected struct ") {
        let name_start = at + "expected struct ".len();
        let name_end = out[name_start..]
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map_or(out.len(), |i| name_start + i);
        out.replace_range(at..name_end, "expected a table");
    }
    out
}

/// Deserialize a whole scenario table section by section.
pub fn to_scenario_file(doc: &Table) -> Result<ScenarioFile, Vec<Problem>> {
    const SECTIONS: [&str; 8] = [
        "scenario",
        "steps",
        "follow_up",
        "intake",
        "initial",
        "workforce",
        "costs",
        "changes",
    ];
    let mut problems = Vec::new();
    for key in doc.keys() {
        if !SECTIONS.contains(&key.as_str()) {
            problems.push(Problem::new(
                KeyPath::keys(&[key]),
                format!("unknown key, expected one of {}", SECTIONS.join(", ")),
            ));
        }
    }
    let get = |k: &str| doc.get(k);
    let required = |k: &str, what: &str, problems: &mut Vec<Problem>| {
        if get(k).is_none() {
            problems.push(Problem::new(
                KeyPath::keys(&[k]),
                format!("missing ({what})"),
            ));
        }
    };
    required(
        "scenario",
        "every scenario needs a [scenario] section with name, start and horizon_years",
        &mut problems,
    );
    required(
        "steps",
        "the ladder needs at least one [[steps]] entry with an id",
        &mut problems,
    );

    let scenario =
        get("scenario").and_then(|v| section(v, KeyPath::keys(&["scenario"]), &mut problems));
    let steps = entries::<Rung>(get("steps"), "steps", &mut problems);
    let changes = entries::<ChangeSpec>(get("changes"), "changes", &mut problems);
    // Sections with defaults: absent means the default, present is read on
    // its own so each reports its own first error.
    fn optional<T: DeserializeOwned + Default>(
        doc: &Table,
        key: &str,
        problems: &mut Vec<Problem>,
    ) -> T {
        doc.get(key)
            .and_then(|v| section(v, KeyPath::keys(&[key]), problems))
            .unwrap_or_default()
    }
    let follow_up = optional(doc, "follow_up", &mut problems);
    let intake = optional(doc, "intake", &mut problems);
    let initial = optional(doc, "initial", &mut problems);
    let costs = optional(doc, "costs", &mut problems);
    let workforce = doc
        .get("workforce")
        .and_then(|v| section(v, KeyPath::keys(&["workforce"]), &mut problems));
    match (scenario, steps, changes) {
        (Some(scenario), Some(steps), Some(changes)) if problems.is_empty() => Ok(ScenarioFile {
            scenario,
            steps,
            follow_up,
            intake,
            initial,
            workforce,
            costs,
            changes,
        }),
        _ => Err(problems),
    }
}

/// Deserialize an array of tables entry by entry (absent = empty).
fn entries<T: DeserializeOwned>(
    value: Option<&Value>,
    key: &str,
    problems: &mut Vec<Problem>,
) -> Option<Vec<T>> {
    let Some(value) = value else {
        return Some(Vec::new());
    };
    let Some(items) = value.as_array() else {
        problems.push(Problem::new(
            KeyPath::keys(&[key]),
            format!(
                "must be an array of tables ([[{key}]]), got a {}",
                value.type_str()
            ),
        ));
        return None;
    };
    let before = problems.len();
    let out: Vec<Option<T>> = items
        .iter()
        .enumerate()
        .map(|(i, item)| section(item, KeyPath::keys(&[key]).index(i), problems))
        .collect();
    (problems.len() == before).then(|| out.into_iter().flatten().collect())
}
