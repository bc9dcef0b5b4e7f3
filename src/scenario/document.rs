//! From TOML text to a [`ScenarioFile`]: `extends`, per-section
//! deserialization (through [`crate::input`]), and mapping every problem
//! back to the file and line it came from, across the files of an `extends`
//! chain.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use toml::{Table, Value};

use super::file::{ChangeSpec, Rung, ScenarioFile};
use super::overrides::{self, Override};
use crate::input::{
    self, Field, InputError, KeyPath, LocatedProblem, Location, Problem, Source, Tree,
};

/// How deep `extends` chains may go before we suspect a mistake.
const MAX_EXTENDS_DEPTH: usize = 16;

/// A merged scenario document with the files it came from (the scenario
/// file first, then what it extends, recursively).
#[derive(Debug, Clone)]
pub struct Document {
    /// The merged table (`extends` removed, overrides not yet applied).
    pub table: Table,
    /// Contributing files, most specific first.
    pub layers: Vec<Source>,
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
        let source = Source::from_text(name, text);
        let table = source.parse_toml()?;
        let mut layers = vec![source];
        let table = resolve_extends(table, Path::new("."), name, &mut layers, 0)?;
        Ok(Self { table, layers })
    }

    /// The folder of the most specific file of the chain that sets the key
    /// at `path` (the scenario file's own folder if none does): relative
    /// paths in a file are read from where that file is.
    pub fn folder_of(&self, path: &[&str]) -> PathBuf {
        let sets = |layer: &Source| {
            layer.parse_toml().ok().is_some_and(|t| {
                let mut here = Some(&Value::Table(t));
                for key in path {
                    here = here.and_then(|v| v.get(*key));
                }
                here.is_some()
            })
        };
        let layer = self
            .layers
            .iter()
            .find(|l| sets(l))
            .unwrap_or(&self.layers[0]);
        match Path::new(&layer.name).parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            _ => PathBuf::from("."),
        }
    }

    /// Turn problems at key paths into an [`InputError`] with locations:
    /// the `--set` override responsible, else the deepest part of the key
    /// path found in any file of the chain.
    pub fn locate(&self, problems: Vec<Problem>, overrides: &[Override]) -> InputError {
        let trees: Vec<Option<Tree<'_>>> = self.layers.iter().map(Source::tree).collect();
        let mut located = Vec::with_capacity(problems.len());
        for problem in problems {
            let key = overrides::spelled(&self.table, &problem.path);
            let set_by = overrides.iter().find(|o| {
                let op = o.path.split('.').collect::<Vec<_>>().join(".");
                key == op
                    || key.starts_with(&format!("{op}."))
                    || op.starts_with(&format!("{key}."))
            });
            let location = match set_by {
                Some(o) => Location::Argument(format!("--set {o}")),
                None => self.find(&problem.path, &trees),
            };
            located.push(LocatedProblem {
                location,
                field: Some(Field::Key(key)),
                message: problem.message,
            });
        }
        InputError {
            file: self.layers[0].name.clone(),
            problems: located,
        }
    }

    /// Where the deepest part of `path` present in any layer is; just the
    /// file when no part of it is (a missing section has no line).
    ///
    /// Array elements are matched by rung id, since `extends` merges rungs
    /// by id. The k-th rung with an id is matched to the k-th entry with
    /// that id in the layer, so a duplicate id is reported where the
    /// duplicate is, not at the first.
    fn find(&self, path: &KeyPath, trees: &[Option<Tree<'_>>]) -> Location {
        let by_id = |prefix: &KeyPath| {
            let (last, array) = prefix.0.split_last()?;
            let input::Segment::Index(n) = last else {
                return None;
            };
            let all = value_at(&self.table, array)?.as_array()?;
            let id = id_of(all.get(*n)?)?;
            let earlier = all[..*n].iter().filter(|v| id_of(v) == Some(id)).count();
            Some((id.to_string(), earlier))
        };
        let mut best: Option<(usize, Location)> = None;
        for tree in trees.iter().flatten() {
            if let Some((depth, at)) = tree.find(path, by_id)
                && best.as_ref().is_none_or(|(d, _)| depth > *d)
            {
                best = Some((depth, at));
            }
        }
        best.map_or_else(|| Location::File(self.layers[0].name.clone()), |(_, at)| at)
    }
}

/// The value at a key path of a TOML table, if it is there.
fn value_at<'a>(table: &'a Table, path: &[input::Segment]) -> Option<&'a Value> {
    let (first, rest) = path.split_first()?;
    let input::Segment::Key(k) = first else {
        return None;
    };
    let mut here = table.get(k)?;
    for segment in rest {
        here = match segment {
            input::Segment::Key(k) => here.get(k)?,
            input::Segment::Index(i) => here.get(*i)?,
        };
    }
    Some(here)
}

fn read_layer(path: &Path, layers: &mut Vec<Source>, depth: usize) -> Result<Table, InputError> {
    let source = Source::read(path)?;
    let table = source.parse_toml()?;
    let name = source.name.clone();
    layers.push(source);
    let dir = path.parent().unwrap_or(Path::new("."));
    resolve_extends(table, dir, &name, layers, depth)
}

fn resolve_extends(
    mut table: Table,
    dir: &Path,
    name: &str,
    layers: &mut Vec<Source>,
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

/// Deserialize a whole scenario table section by section.
pub fn to_scenario_file(doc: &Table) -> Result<ScenarioFile, Vec<Problem>> {
    const SECTIONS: [&str; 9] = [
        "scenario",
        "steps",
        "follow_up",
        "intake",
        "initial",
        "workforce",
        "costs",
        "changes",
        "uncertainty",
    ];
    let mut problems = Vec::new();
    input::unknown_keys(doc, &SECTIONS, &mut problems);
    let required = |k: &str, what: &str, problems: &mut Vec<Problem>| {
        if doc.get(k).is_none() {
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

    // Every section is read with its type mistakes cut out, so that one
    // run reports all of them and the checks of what did read.
    let mut cut = Vec::new();
    let mut whole = true;
    let scenario = doc
        .get("scenario")
        .and_then(|v| input::section_cut(v, KeyPath::keys(&["scenario"]), &mut problems, &mut cut));
    let steps: Option<Vec<Rung>> = input::entries_cut(doc, "steps", &mut problems, &mut cut)
        .into_iter()
        .collect();
    let changes: Option<Vec<ChangeSpec>> =
        input::entries_cut(doc, "changes", &mut problems, &mut cut)
            .into_iter()
            .collect();
    // Sections with defaults: absent means the default, present is read on
    // its own so each reports its own errors.
    fn optional<T: DeserializeOwned + Default>(
        doc: &Table,
        key: &str,
        problems: &mut Vec<Problem>,
        cut: &mut Vec<KeyPath>,
        whole: &mut bool,
    ) -> T {
        match doc.get(key) {
            None => T::default(),
            Some(v) => {
                input::section_cut(v, KeyPath::keys(&[key]), problems, cut).unwrap_or_else(|| {
                    *whole = false;
                    T::default()
                })
            }
        }
    }
    let follow_up = optional(doc, "follow_up", &mut problems, &mut cut, &mut whole);
    let intake = optional(doc, "intake", &mut problems, &mut cut, &mut whole);
    let initial = optional(doc, "initial", &mut problems, &mut cut, &mut whole);
    let costs = optional(doc, "costs", &mut problems, &mut cut, &mut whole);
    let uncertainty = optional(doc, "uncertainty", &mut problems, &mut cut, &mut whole);
    let workforce = match doc.get("workforce") {
        None => None,
        Some(v) => {
            let read =
                input::section_cut(v, KeyPath::keys(&["workforce"]), &mut problems, &mut cut);
            whole &= read.is_some();
            read
        }
    };
    let (Some(scenario), Some(steps), Some(changes)) = (scenario, steps, changes) else {
        return Err(problems);
    };
    let file = ScenarioFile {
        scenario,
        steps,
        follow_up,
        intake,
        initial,
        workforce,
        costs,
        changes,
        uncertainty,
    };
    if problems.is_empty() {
        return Ok(file);
    }
    if whole && !cut.is_empty() {
        problems.extend(checks_beside_cuts(doc, &file, &cut));
    }
    Err(problems)
}

/// The checks of a file read with keys cut out, except those that could
/// only repeat a type mistake or judge the default that stood in for a cut
/// key: checks in a section or rung (or `[[changes]]` entry) with a cut key,
/// and checks whose message names a cut key (`scenario.exit_age`). Rungs
/// are named by id in checks and by index in cuts.
fn checks_beside_cuts(doc: &Table, file: &ScenarioFile, cut: &[KeyPath]) -> Vec<Problem> {
    let rungs = doc.get("steps").and_then(Value::as_array);
    let by_id = |path: &KeyPath| -> KeyPath {
        match path.0.as_slice() {
            [input::Segment::Key(k), input::Segment::Index(i), rest @ ..] if k == "steps" => {
                match rungs.and_then(|r| r.get(*i)).and_then(id_of) {
                    Some(id) => {
                        let mut out = KeyPath::keys(&["steps", id]);
                        out.0.extend(rest.iter().cloned());
                        out
                    }
                    None => path.clone(),
                }
            }
            _ => path.clone(),
        }
    };
    let cut: Vec<KeyPath> = cut.iter().map(by_id).collect();
    // The section, or the rung or change within `steps` or `changes`.
    let scope = |path: &KeyPath| -> KeyPath {
        let depth = match path.0.first() {
            Some(input::Segment::Key(k)) if k == "steps" || k == "changes" => 2,
            _ => 1,
        };
        KeyPath(path.0.iter().take(depth).cloned().collect())
    };
    let scopes: Vec<KeyPath> = cut.iter().map(scope).collect();
    let named: Vec<String> = cut.iter().map(ToString::to_string).collect();
    super::validate::validate(file)
        .into_iter()
        .filter(|p| {
            let path = by_id(&p.path);
            !scopes.iter().any(|s| path.0.starts_with(&s.0))
                && !named.iter().any(|n| p.message.contains(n.as_str()))
        })
        .collect()
}
