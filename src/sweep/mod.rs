//! Parameter sweeps: one scenario run at many parameter settings
//! ("points"), on one machine or split over the tasks of a cluster job.
//!
//! * [`design`]: the varied parameters (`--vary PATH=LO..HI[:STEP]` or
//!   `PATH=[a, b]`, or a `[sweep.vary]` table) and the points: a full
//!   factorial grid, or a Latin hypercube ([`lhs`]) crossed with the
//!   discrete factors.
//! * A point is the base scenario plus one [`Override`] per varied
//!   parameter, loaded through the same code as `--set`, so its validation
//!   and error messages are the scenario's own. A swept parameter holds its
//!   point's value for the whole run: where a `[[changes]]` entry sets the
//!   same path, the point's value replaces the one written there (a note
//!   says so), so sweeping `workforce.caseworkers` of a scenario that hires
//!   at `start` sweeps the staffing actually in force.
//! * Every point runs the same replication indices with the same seed, so
//!   replication *i* of every point sees the same referrals and the same
//!   per-child luck (common random numbers): differences between points are
//!   policy, not noise, and curves are smooth.
//! * [`shard`]: a deterministic 1/N of the work per cluster task
//!   (`--shard K/N`, or Slurm / Kubernetes array variables); [`partial`]:
//!   the per-replication values a shard writes; [`merge`]: shards back into
//!   the complete results, byte-identical to an unsharded run, because both
//!   go through [`output::write_complete`] with the same values.
//! * [`figures`]: what the sweep plots show (metrics against a parameter
//!   with CIs, heat maps), drawn by `plots`.

pub mod design;
pub mod figures;
pub mod lhs;
pub mod merge;
pub mod output;
pub mod partial;
mod run;
pub mod shard;

use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use toml::Value;

pub use design::{Design, Level, Method, Parameter};
pub use run::{ShardResult, UnitResult, run_shard, work};
pub use shard::{Shard, Unit};

use crate::input::{self, InputError, KeyPath, Location, Problem};
use crate::scenario::{Document, Override, Scenario};

/// Format tag of `sweep.json`.
pub const SWEEP_FORMAT: &str = "trappe-sweep/1";

/// Why a sweep cannot be prepared, run, merged or plotted.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SweepError {
    /// The design is invalid (bad `--vary`, `--lhs`, `[sweep]` table).
    #[error("{0}")]
    Design(String),
    /// The base scenario (or the `[sweep]` table in it) is invalid.
    #[error("{0}")]
    Scenario(#[from] InputError),
    /// One point's scenario is invalid.
    #[error("sweep point {point} ({values}) is not a valid scenario:\n{source}")]
    Point {
        /// 1-based point id.
        point: usize,
        /// `path=value, …`.
        values: String,
        /// The scenario's own error.
        source: InputError,
    },
    /// Shard folders that cannot be merged (different designs, seeds or
    /// versions; a shard missing or given twice).
    #[error("cannot merge: {0}")]
    Merge(String),
    /// A sweep or shard folder is incomplete or damaged.
    #[error("{}: {message}", path.display())]
    Folder {
        /// The folder or file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// Reading or writing files failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The error.
        source: io::Error,
    },
    /// Drawing a plot failed.
    #[error("plot {}: {message}", path.display())]
    Plot {
        /// The plot file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}

impl SweepError {
    /// Whether the error is the user's input (exit code 2) rather than a
    /// failure of the machine (exit code 1).
    pub fn is_bad_input(&self) -> bool {
        !matches!(self, SweepError::Io { .. } | SweepError::Plot { .. })
    }

    /// An I/O error with what was being done.
    pub fn io(context: impl Into<String>, source: io::Error) -> Self {
        SweepError::Io {
            context: context.into(),
            source,
        }
    }

    fn folder(path: &Path, message: impl Into<String>) -> Self {
        SweepError::Folder {
            path: path.to_path_buf(),
            message: message.into(),
        }
    }
}

/// What a researcher asks for: a scenario file and how to vary it.
#[derive(Debug, Clone, Default)]
pub struct SweepRequest {
    /// The scenario file; it may hold a `[sweep]` table.
    pub scenario: PathBuf,
    /// Parameters from the command line (they replace a `[sweep.vary]`
    /// entry of the same path).
    pub vary: Vec<Parameter>,
    /// `--lhs N` (overrides `[sweep] lhs`).
    pub lhs: Option<usize>,
    /// A Saltelli design of N base samples (`trappe sensitivity --method
    /// sobol`); overrides both.
    pub saltelli: Option<usize>,
    /// `--set` overrides applied to every point (not varied).
    pub set: Vec<Override>,
    /// `--replications`.
    pub replications: Option<u64>,
    /// `--seed`: the simulation seed, which also draws the Latin hypercube.
    pub seed: Option<u64>,
}

/// A prepared sweep: the design and a validated scenario per point.
#[derive(Debug, Clone)]
pub struct Sweep {
    /// Parameters and points.
    pub design: Design,
    /// The base scenario: the file with the fixed overrides (`--set`,
    /// `--replications`, `--seed`), before any varied parameter.
    pub base: Scenario,
    /// The scenario of each point, in point order.
    pub points: Vec<Scenario>,
    /// The fixed `--set` overrides, for the record.
    pub set: Vec<String>,
    /// Things the researcher should know (e.g. a varied parameter that
    /// `[[changes]]` also set).
    pub notes: Vec<String>,
}

/// `sweep.json`.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct SpecFile {
    format: String,
    trappe_version: String,
    scenario: String,
    seed: u64,
    replications: u64,
    method: String,
    lhs_samples: Option<usize>,
    /// Saltelli designs only (absent from other sweeps' files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    saltelli_samples: Option<usize>,
    set: Vec<String>,
    parameters: Vec<ParameterSpec>,
    common_random_numbers: String,
    point_count: usize,
    points: Vec<Vec<serde_json::Value>>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct ParameterSpec {
    path: String,
    values: String,
    sampled: bool,
}

const CRN_NOTE: &str = "replication i of every point uses the random streams of (seed, i)";

impl Sweep {
    /// Read the scenario (and its `[sweep]` table), combine it with the
    /// request, expand the design and validate every point.
    pub fn prepare(request: &SweepRequest) -> Result<Self, SweepError> {
        let mut doc = Document::read(&request.scenario)?;
        let (mut parameters, mut method) = read_sweep_table(&doc)?;
        doc.table.remove("sweep");
        for p in &request.vary {
            match parameters.iter_mut().find(|q| q.path == p.path) {
                Some(q) => *q = p.clone(),
                None => parameters.push(p.clone()),
            }
        }
        if let Some(n) = request.lhs {
            method = Method::Lhs(n);
        }
        if let Some(n) = request.saltelli {
            method = Method::Saltelli(n);
        }
        let fixed = request.set.clone();
        if let Some(p) = parameters
            .iter()
            .find(|p| request.set.iter().any(|o| o.path == p.path))
        {
            return Err(SweepError::Design(format!(
                "'{}' is both set (--set) and varied",
                p.path
            )));
        }
        let run_options = |scenario: &mut Scenario| {
            if let Some(n) = request.replications {
                scenario.set_replications(n);
            }
            if let Some(seed) = request.seed {
                scenario.set_seed(seed);
            }
        };
        let mut base = Scenario::from_document(doc.clone(), &fixed)?;
        run_options(&mut base);
        let design = Design::new(parameters, method, base.settings().seed)?;
        // Validate every point against the user's own file, so messages
        // point at its lines.
        let mut checked = Vec::with_capacity(design.points.len());
        let mut notes = Vec::new();
        for point in 0..design.points.len() {
            let mut overrides = fixed.clone();
            overrides.extend(design.overrides(point));
            let (scenario, held) = point_scenario(&doc, &overrides, &design.overrides(point))
                .map_err(|mut source| {
                    // Problems the scenario blames on `--set path=value` of a
                    // varied path came from `--vary`: say so.
                    for problem in &mut source.problems {
                        for (o, p) in design.overrides(point).iter().zip(&design.parameters) {
                            if problem.location == Location::Argument(format!("--set {o}")) {
                                problem.location =
                                    Location::Argument(format!("--vary {p} (here {o})"));
                            }
                        }
                    }
                    SweepError::Point {
                        point: point + 1,
                        values: design.describe_point(point),
                        source,
                    }
                })?;
            if point == 0 {
                notes = held;
            }
            let mut scenario = scenario;
            run_options(&mut scenario);
            checked.push(scenario);
        }
        let set = request.set.iter().map(ToString::to_string).collect();
        let sweep = Self::build(design, base, set, notes)?;
        // The resolved file determines the scenario (compared as TOML: rung
        // labels are filled in after [[changes]] are resolved, so the
        // structs may differ in labels alone).
        if let Some(p) = (0..checked.len())
            .find(|&p| checked[p].to_toml_here() != sweep.points[p].to_toml_here())
        {
            return Err(SweepError::Design(format!(
                "internal error: point {} resolves differently from scenario.toml than from {}; \
                 please report this",
                p + 1,
                request.scenario.display()
            )));
        }
        Ok(sweep)
    }

    /// Build point scenarios from the resolved base (the way merge and plot
    /// rebuild them from `scenario.toml`).
    fn build(
        design: Design,
        base: Scenario,
        set: Vec<String>,
        notes: Vec<String>,
    ) -> Result<Self, SweepError> {
        // A case list by the path it was read from, so the points find it.
        let doc = Document::from_text("scenario.toml", &base.to_toml_here())?;
        let points = (0..design.points.len())
            .map(|point| {
                let varied = design.overrides(point);
                point_scenario(&doc, &varied, &varied)
                    .map(|(s, _)| s)
                    .map_err(|source| SweepError::Point {
                        point: point + 1,
                        values: design.describe_point(point),
                        source,
                    })
            })
            .collect::<Result<_, _>>()?;
        Ok(Self {
            design,
            base,
            points,
            set,
            notes,
        })
    }

    /// Rebuild a sweep from its `sweep.json` and `scenario.toml` texts.
    pub fn from_parts(
        where_: &Path,
        sweep_json: &str,
        scenario_toml: &str,
    ) -> Result<Self, SweepError> {
        let spec: SpecFile = serde_json::from_str(sweep_json)
            .map_err(|e| SweepError::folder(where_, format!("sweep.json is not readable: {e}")))?;
        if spec.format != SWEEP_FORMAT {
            return Err(SweepError::folder(
                where_,
                format!(
                    "sweep.json has format '{}', this trappe reads '{SWEEP_FORMAT}'",
                    spec.format
                ),
            ));
        }
        // Named by its place in the folder, so a case list beside it
        // (initial_cases.csv) is found there.
        let name = where_.join("scenario.toml").display().to_string();
        let base = Scenario::from_toml_str(&name, scenario_toml, &[])?;
        let parameters = spec
            .parameters
            .iter()
            .map(|p| Parameter::new(&p.path, &p.values))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| SweepError::folder(where_, format!("sweep.json: {e}")))?;
        let method = match (spec.lhs_samples, spec.saltelli_samples) {
            (_, Some(n)) => Method::Saltelli(n),
            (Some(n), None) => Method::Lhs(n),
            (None, None) => Method::Grid,
        };
        let design = Design::new(parameters, method, base.settings().seed)?;
        let sweep = Self::build(design, base, spec.set.clone(), Vec::new())?;
        if sweep.spec_text(&spec.trappe_version) != sweep_json {
            return Err(SweepError::folder(
                where_,
                "sweep.json does not match its own design and scenario.toml (edited by hand?)",
            ));
        }
        Ok(sweep)
    }

    /// The trappe version a `sweep.json` text was written by.
    pub fn version_of(sweep_json: &str) -> Option<String> {
        serde_json::from_str::<serde_json::Value>(sweep_json)
            .ok()?
            .get("trappe_version")?
            .as_str()
            .map(str::to_owned)
    }

    /// Rebuild a sweep from a folder holding `sweep.json` and
    /// `scenario.toml` (a sweep, a shard, or merged results).
    pub fn from_folder(dir: &Path) -> Result<Self, SweepError> {
        let read = |name: &str| {
            std::fs::read_to_string(dir.join(name))
                .map_err(|e| SweepError::folder(dir, format!("cannot read {name}: {e}")))
        };
        Self::from_parts(dir, &read("sweep.json")?, &read("scenario.toml")?)
    }

    /// Replications per point.
    pub fn replications(&self) -> u64 {
        self.base.settings().replications
    }

    /// The seed (of the simulation and of the Latin hypercube).
    pub fn seed(&self) -> u64 {
        self.base.settings().seed
    }

    /// The text of `sweep.json`: design, seed, versions. It holds no timing,
    /// so it is identical for a run, each of its shards and their merge.
    pub fn spec_json(&self) -> String {
        self.spec_text(env!("CARGO_PKG_VERSION"))
    }

    fn spec_text(&self, version: &str) -> String {
        let spec = SpecFile {
            format: SWEEP_FORMAT.into(),
            trappe_version: version.into(),
            scenario: self.base.name().into(),
            seed: self.seed(),
            replications: self.replications(),
            method: match self.design.method {
                Method::Grid => "grid".into(),
                Method::Lhs(_) => "latin hypercube".into(),
                Method::Saltelli(_) => "saltelli".into(),
            },
            lhs_samples: match self.design.method {
                Method::Lhs(n) => Some(n),
                _ => None,
            },
            saltelli_samples: match self.design.method {
                Method::Saltelli(n) => Some(n),
                _ => None,
            },
            set: self.set.clone(),
            parameters: self
                .design
                .parameters
                .iter()
                .map(|p| ParameterSpec {
                    path: p.path.clone(),
                    values: p.spec(),
                    sampled: self.design.method.is_sampled() && p.is_sampled(),
                })
                .collect(),
            common_random_numbers: CRN_NOTE.into(),
            point_count: self.design.points.len(),
            points: self
                .design
                .points
                .iter()
                .map(|p| p.iter().map(Level::to_json).collect())
                .collect(),
        };
        serde_json::to_string_pretty(&spec).expect("sweep.json serializes") + "\n"
    }
}

/// The `[sweep]` table of a scenario file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SweepTable {
    /// Parameter path = range text, list or single value (as `--vary`).
    #[serde(default)]
    vary: toml::Table,
    /// Latin hypercube samples (absent: a full grid).
    lhs: Option<usize>,
}

/// Read `[sweep]`: `vary` (path → range text, list or value) and `lhs`.
fn read_sweep_table(doc: &Document) -> Result<(Vec<Parameter>, Method), SweepError> {
    let Some(table) = doc.table.get("sweep") else {
        return Ok((Vec::new(), Method::Grid));
    };
    let at = KeyPath::keys(&["sweep"]);
    let mut problems = Vec::new();
    let mut parameters = Vec::new();
    let mut method = Method::Grid;
    if let Some(sweep) = input::section::<SweepTable>(table, at.clone(), &mut problems) {
        for (path, spec) in &sweep.vary {
            match Parameter::from_toml(path, spec) {
                Ok(p) => parameters.push(p),
                Err(e) => problems.push(Problem::new(at.key("vary").key(path), e)),
            }
        }
        match sweep.lhs {
            Some(0) => problems.push(Problem::new(
                at.key("lhs"),
                "must be a positive integer (the number of Latin hypercube samples)",
            )),
            Some(n) => method = Method::Lhs(n),
            None => {}
        }
    }
    if problems.is_empty() {
        Ok((parameters, method))
    } else {
        Err(doc.locate(problems, &[]).into())
    }
}

/// A point's scenario: `overrides` applied to `doc`, after replacing the
/// values of `varied` paths in every `[[changes]]` entry that sets them.
/// Also returns a note per replaced path.
pub fn point_scenario(
    doc: &Document,
    overrides: &[Override],
    varied: &[Override],
) -> Result<(Scenario, Vec<String>), InputError> {
    let mut doc = doc.clone();
    let mut notes = Vec::new();
    let start = doc
        .table
        .get("scenario")
        .and_then(|s| s.get("start"))
        .and_then(Value::as_datetime)
        .and_then(|d| d.date)
        .and_then(|d| chrono::NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into()));
    if let Some(Value::Array(changes)) = doc.table.get_mut("changes") {
        for o in varied {
            let mut at = Vec::new();
            for (i, change) in changes.iter_mut().enumerate() {
                let years = change
                    .get("at_years")
                    .and_then(|v| v.as_float().or_else(|| v.as_integer().map(|i| i as f64)));
                let when = match (years, start) {
                    (Some(y), Some(start)) => format!(
                        "from {}",
                        crate::format::long_date(crate::scenario::dates::date_at(start, y))
                    ),
                    (Some(y), None) => format!(
                        "{} years after start",
                        crate::format::ENGLISH.decimals(y, 2)
                    ),
                    _ => "at an unknown time".into(),
                };
                if let Some(slot) = change
                    .get_mut("set")
                    .and_then(Value::as_table_mut)
                    .and_then(|set| set.get_mut(&o.path))
                {
                    *slot = o.value.clone();
                    at.push(format!("entry {} ({when})", i + 1,));
                }
            }
            if !at.is_empty() {
                notes.push(format!(
                    "{} is also set by [[changes]] {}; the sweep replaces it there, so each \
                     point holds its value for the whole run",
                    o.path,
                    at.join(", ")
                ));
            }
        }
    }
    let scenario = Scenario::from_document(doc, overrides)?;
    Ok((scenario, notes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sweep_table(text: &str) -> Result<(Vec<Parameter>, Method), String> {
        let doc = Document::from_text("s.toml", text).unwrap();
        read_sweep_table(&doc).map_err(|e| e.to_string())
    }

    #[test]
    fn reads_vary_in_file_order_and_lhs() {
        let (parameters, method) =
            sweep_table("[sweep]\nlhs = 4\n[sweep.vary]\n\"b.x\" = \"1..2\"\n\"a.y\" = [1, 2]\n")
                .unwrap();
        let paths: Vec<&str> = parameters.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["b.x", "a.y"]);
        assert_eq!(method, Method::Lhs(4));
    }

    #[test]
    fn mistakes_name_key_and_line() {
        let err = sweep_table("[sweep]\nlhs = 0\nbogus = 1\n").unwrap_err();
        assert!(
            err.contains("s.toml:3:") && err.contains("sweep.bogus"),
            "{err}"
        );
        let err = sweep_table("[sweep]\nlhs = 0\n").unwrap_err();
        assert!(
            err.contains("s.toml:2:") && err.contains("sweep.lhs"),
            "{err}"
        );
        let err = sweep_table("[sweep]\nvary = 3\n").unwrap_err();
        assert!(
            err.contains("s.toml:2:") && err.contains("expected a table"),
            "{err}"
        );
    }
}
