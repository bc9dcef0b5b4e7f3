//! One parameter at a time: each varied parameter at its low and its high
//! value with every other at base, on common random numbers (replication
//! *i* of every run uses the streams of `(seed, i)`), so the difference
//! between the high and the low run is the parameter's effect, not noise.
//!
//! With an alternative scenario, the same values are set in both and the
//! measured value of replication *i* is `ALT(i) − SCENARIO(i)`: the
//! tornado then shows which assumption the savings hang on.
//!
//! `tornado.csv` has one row per parameter, sorted by swing (the absolute
//! effect high − low, largest first; ties keep the order given): the low
//! and high values, the metric's mean at each with its 95 % CI, and the
//! effect with its paired 95 % CI. Parameters' `[uncertainty]` draws are
//! switched off: a tornado moves one value on purpose.

use std::io;
use std::path::{Path, PathBuf};
use std::time::Instant;

use indicatif::ProgressBar;
use rayon::prelude::*;

use super::{PeriodChoice, Quantity, Record};
use crate::Error;
use crate::input::Location;
use crate::metrics::Layout;
use crate::model::{ReplicationOutput, simulate};
use crate::results::ReadError;
use crate::results::csv::{content_error, csv_writer, finish_csv, read_records};
use crate::results::number;
use crate::results::stats::{Summary, summarize, t975};
use crate::results::{Results, RunInfo, RunKind};
use crate::scenario::{Document, Override, Scenario};
use crate::sweep::design::{Level, Number, Values};
use crate::sweep::figures::MetricChoice;
use crate::sweep::{Parameter, point_scenario};

/// File name of the tornado table.
pub const TORNADO_CSV: &str = "tornado.csv";

/// Header of [`TORNADO_CSV`].
pub const TORNADO_HEADER: [&str; 14] = [
    "parameter",
    "low",
    "high",
    "base_mean",
    "mean_at_low",
    "ci95_low_at_low",
    "ci95_high_at_low",
    "mean_at_high",
    "ci95_low_at_high",
    "ci95_high_at_high",
    "effect",
    "effect_ci95_low",
    "effect_ci95_high",
    "swing",
];

/// What a researcher asks for.
#[derive(Debug, Clone)]
pub struct TornadoRequest {
    /// The scenario and, optionally, an alternative (then the measured
    /// value is the paired difference ALT − SCENARIO).
    pub scenarios: Vec<PathBuf>,
    /// `--vary PATH=LO..HI`.
    pub vary: Vec<Parameter>,
    /// `--set` applied to every run.
    pub set: Vec<Override>,
    /// `--replications` (default: the scenario's).
    pub replications: Option<u64>,
    /// `--seed` (default: the scenario's).
    pub seed: Option<u64>,
    /// `--metric`.
    pub metric: MetricChoice,
    /// `--period`.
    pub period: PeriodChoice,
}

/// One varied parameter: its path and its two ends.
#[derive(Debug, Clone, PartialEq)]
pub struct Swing {
    /// The `--set` path.
    pub path: String,
    /// Low value.
    pub low: Level,
    /// High value.
    pub high: Level,
}

/// A prepared tornado: every run's scenario, validated.
#[derive(Debug, Clone)]
pub struct Tornado {
    /// What is measured.
    pub quantity: Quantity,
    /// The parameters in the order given.
    pub swings: Vec<Swing>,
    /// The scenarios at base: one, or the base and the alternative.
    pub base: Vec<Scenario>,
    /// Per parameter, the scenarios at its low end then at its high end
    /// (each as many as `base`).
    pub ends: Vec<[Vec<Scenario>; 2]>,
    /// The request's `--vary` texts, for the record.
    pub given: Vec<String>,
    /// Things the researcher should know: a varied path that `[[changes]]`
    /// also set (the tornado's value holds for the whole run).
    pub notes: Vec<String>,
}

/// One row of `tornado.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct TornadoRow {
    /// The parameter.
    pub swing: Swing,
    /// The metric (or difference) at low.
    pub at_low: Summary,
    /// The metric (or difference) at high.
    pub at_high: Summary,
    /// High − low per replication (paired).
    pub effect: Summary,
}

/// The outcome: rows sorted by swing, the base value, the work done.
#[derive(Debug, Clone)]
pub struct TornadoResult {
    /// Rows, largest swing first.
    pub rows: Vec<TornadoRow>,
    /// The metric (or difference) with every parameter at base.
    pub base: Summary,
    /// Events simulated.
    pub events: u64,
    /// Case-years simulated.
    pub case_years: f64,
    /// Wall-clock seconds.
    pub wall_seconds: f64,
}

impl TornadoRow {
    /// |high − low|.
    pub fn swing(&self) -> f64 {
        self.effect.mean.abs()
    }
}

fn level(n: Number) -> Level {
    match n {
        Number::Int(i) => Level::Int(i),
        Number::Float(f) => Level::Float(f),
    }
}

impl Tornado {
    /// Read the scenario files, check the request and build every run's
    /// scenario. Every problem (a list instead of a range, an unknown path,
    /// a value the scenario refuses, an unknown metric row) is reported in
    /// one error naming the option, file and line.
    pub fn prepare(request: &TornadoRequest) -> Result<Self, Error> {
        let mut problems: Vec<String> = Vec::new();
        let mut swings = Vec::new();
        for (i, p) in request.vary.iter().enumerate() {
            if request.vary[..i].iter().any(|q| q.path == p.path) {
                problems.push(format!("--vary {p}: '{}' is varied twice", p.path));
            }
            if request.set.iter().any(|o| o.path == p.path) {
                problems.push(format!(
                    "--vary {p}: '{}' is both set (--set) and varied",
                    p.path
                ));
            }
            match &p.values {
                Values::Range(r) => swings.push(Swing {
                    path: p.path.clone(),
                    low: level(r.low),
                    high: level(r.high),
                }),
                Values::List(_) => problems.push(format!(
                    "--vary {p}: a tornado needs a range LO..HI (its low and high value)"
                )),
            }
        }
        if request.vary.is_empty() {
            problems.push("nothing to vary: give --vary PATH=LO..HI (repeatable)".into());
        }
        if request.scenarios.is_empty() || request.scenarios.len() > 2 {
            problems.push("give a scenario and at most one alternative".into());
        }
        let docs: Vec<Document> = request
            .scenarios
            .iter()
            .map(|p| Document::read(p))
            .collect::<Result<_, _>>()?;
        let mut base = Vec::new();
        for doc in &docs {
            match Scenario::from_document(doc.clone(), &request.set) {
                Ok(s) => base.push(s),
                Err(e) => problems.push(e.to_string()),
            }
        }
        if !problems.is_empty() || base.len() != docs.len() {
            return Err(Error::input(problems.join("\n")));
        }
        let seed = request.seed.unwrap_or(base[0].settings().seed);
        let replications = request
            .replications
            .unwrap_or(base[0].settings().replications);
        let common = |s: &mut Scenario| {
            s.set_seed(seed);
            s.set_replications(replications);
            s.drop_uncertainty();
        };
        base.iter_mut().for_each(common);
        if base.len() == 2 && base[0].period_count() != base[1].period_count() {
            problems.push(format!(
                "{} and {} report different periods; a paired difference needs the same",
                base[0].name(),
                base[1].name()
            ));
        }
        let mut quantity = None;
        for s in &base {
            match Quantity::resolve(&request.metric, request.period, s) {
                Ok(q) => quantity = Some(q),
                Err(e) => problems.push(e),
            }
        }
        let mut notes: Vec<String> = Vec::new();
        let mut ends = Vec::with_capacity(swings.len());
        for (swing, p) in swings.iter().zip(&request.vary) {
            let mut pair: [Vec<Scenario>; 2] = [Vec::new(), Vec::new()];
            for (end, value) in [&swing.low, &swing.high].into_iter().enumerate() {
                let o = Override {
                    path: swing.path.clone(),
                    value: value.to_toml(),
                };
                let mut overrides = request.set.clone();
                overrides.push(o.clone());
                for doc in &docs {
                    match point_scenario(doc, &overrides, std::slice::from_ref(&o)) {
                        Ok((mut s, held)) => {
                            for note in held {
                                let note = format!(
                                    "{}: {}",
                                    s.name(),
                                    note.replace("the sweep replaces", "the tornado replaces")
                                );
                                if !notes.contains(&note) {
                                    notes.push(note);
                                }
                            }
                            common(&mut s);
                            pair[end].push(s);
                        }
                        Err(mut e) => {
                            for problem in &mut e.problems {
                                if problem.location == Location::Argument(format!("--set {o}")) {
                                    problem.location =
                                        Location::Argument(format!("--vary {p} (here {o})"));
                                }
                            }
                            let text = e.to_string();
                            if !problems.contains(&text) {
                                problems.push(text);
                            }
                        }
                    }
                }
            }
            ends.push(pair);
        }
        if !problems.is_empty() {
            return Err(Error::input(problems.join("\n")));
        }
        Ok(Self {
            quantity: quantity.expect("resolved for every scenario"),
            swings,
            base,
            ends,
            given: request.vary.iter().map(ToString::to_string).collect(),
            notes,
        })
    }

    /// Replications per run.
    pub fn replications(&self) -> u64 {
        self.base[0].settings().replications
    }

    /// Replications simulated in all (the progress bar's length).
    pub fn work(&self) -> u64 {
        self.replications() * self.base.len() as u64 * (1 + 2 * self.swings.len() as u64)
    }

    /// Every scenario to run: base first, then each parameter's low and
    /// high; within each, the scenario then the alternative.
    fn runs(&self) -> Vec<&Scenario> {
        let mut out: Vec<&Scenario> = self.base.iter().collect();
        for [low, high] in &self.ends {
            out.extend(low.iter());
            out.extend(high.iter());
        }
        out
    }

    /// Simulate every run on the current rayon pool in one parallel pass
    /// (ticking `progress` per replication) and summarise.
    pub fn run(&self, progress: &ProgressBar) -> TornadoResult {
        let started = Instant::now();
        let runs = self.runs();
        let layouts: Vec<Layout> = runs.iter().map(|s| Layout::new(&s.params)).collect();
        let n = self.replications();
        let tasks: Vec<(usize, u64)> = (0..runs.len())
            .flat_map(|i| (0..n).map(move |r| (i, r)))
            .collect();
        let outputs: Vec<ReplicationOutput> = tasks
            .par_iter()
            .map(|&(i, r)| {
                let out = simulate(runs[i], &layouts[i], r);
                progress.inc(1);
                out
            })
            .collect();
        progress.finish_and_clear();
        let events = outputs.iter().map(|o| o.events).sum();
        let case_years = outputs.iter().map(|o| o.case_years).sum();
        let mut outputs = outputs.into_iter();
        let per_run: Vec<Vec<f64>> = runs
            .iter()
            .zip(layouts)
            .map(|(scenario, layout)| {
                let mine = outputs.by_ref().take(n as usize).collect();
                let results = Results::new((*scenario).clone(), layout, 0, mine, 0.0);
                self.quantity.per_replication(&results)
            })
            .collect();
        // One measured series per group of scenarios (value or ALT − SCENARIO).
        let s = self.base.len();
        let measured = |group: usize| -> Vec<f64> {
            if s == 1 {
                per_run[group].clone()
            } else {
                per_run[2 * group + 1]
                    .iter()
                    .zip(&per_run[2 * group])
                    .map(|(alt, base)| alt - base)
                    .collect()
            }
        };
        let t = if n > 1 {
            t975(n as usize - 1)
        } else {
            f64::NAN
        };
        let base = summarize(&measured(0), t);
        let mut rows: Vec<TornadoRow> = self
            .swings
            .iter()
            .enumerate()
            .map(|(i, swing)| {
                let low = measured(1 + 2 * i);
                let high = measured(2 + 2 * i);
                let effect: Vec<f64> = high.iter().zip(&low).map(|(h, l)| h - l).collect();
                TornadoRow {
                    swing: swing.clone(),
                    at_low: summarize(&low, t),
                    at_high: summarize(&high, t),
                    effect: summarize(&effect, t),
                }
            })
            .collect();
        rows.sort_by(|a, b| b.swing().total_cmp(&a.swing()));
        TornadoResult {
            rows,
            base,
            events,
            case_years,
            wall_seconds: started.elapsed().as_secs_f64(),
        }
    }

    /// `sensitivity.json` of this tornado.
    pub fn record(&self) -> Record {
        Record {
            scenarios: self.base.iter().map(|s| s.name().to_string()).collect(),
            parameters: self.given.clone(),
            seed: self.base[0].settings().seed,
            replications: self.replications(),
            ..Record::new("tornado", &self.quantity)
        }
    }

    /// What is measured, in words (see [`measured`]).
    pub fn measured(&self) -> String {
        measured(&self.quantity, &self.base)
    }

    /// The x axis of the chart (see [`axis`]).
    pub fn axis(&self) -> String {
        axis(&self.quantity, &self.base)
    }

    /// Write `tornado.csv`, `sensitivity.json`, `run.json` and the
    /// scenarios as run at base (`scenario.toml`, and `alternative.toml`)
    /// into `dir`.
    pub fn write(&self, dir: &Path, result: &TornadoResult, threads: usize) -> io::Result<()> {
        write_csv(&dir.join(TORNADO_CSV), result)?;
        self.record().write(dir)?;
        std::fs::write(dir.join("scenario.toml"), self.base[0].to_toml())?;
        if let Some(alt) = self.base.get(1) {
            std::fs::write(dir.join("alternative.toml"), alt.to_toml())?;
        }
        RunInfo::new(
            RunKind::Sensitivity,
            self.base[0].name(),
            self.base[0].settings().seed,
            self.work(),
        )
        .with_work(
            threads,
            result.events,
            result.case_years,
            result.wall_seconds,
        )
        .write(dir)
    }
}

/// What a tornado of `quantity` over the scenarios `base` (one, or the
/// base and the alternative) measures, in words: the metric, or the
/// difference ALT − BASE.
pub fn measured(quantity: &Quantity, base: &[Scenario]) -> String {
    match base {
        [first, alt] => format!("{} − {}: {}", alt.name(), first.name(), quantity.describe()),
        _ => quantity.describe(),
    }
}

/// The x axis of a tornado chart: what is measured, shortly, with its unit.
pub fn axis(quantity: &Quantity, base: &[Scenario]) -> String {
    let unit = match base.first() {
        Some(s) if quantity.metric == crate::metrics::Metric::Cost => s.settings().currency.clone(),
        _ => quantity.metric.unit().to_string(),
    };
    let what = if base.len() == 2 {
        "alternative − base"
    } else {
        "value"
    };
    format!("{}, {what} ({unit})", quantity.describe())
}

/// Read `tornado.csv` back (for `trappe plot`): the rows in file order and
/// the base value. Parameter values come back as text, as written.
pub fn read_csv(path: &Path) -> Result<(Vec<TornadoRow>, Summary), ReadError> {
    let mut rows = Vec::new();
    let mut base = None;
    for record in read_records(path, &TORNADO_HEADER)? {
        let (line, r) = record?;
        let x = |i: usize| -> Result<f64, ReadError> {
            r[i].parse().map_err(|_| {
                content_error(
                    path,
                    line,
                    format!("{} '{}' is not a number", TORNADO_HEADER[i], &r[i]),
                )
            })
        };
        let summary = |mean: f64, low: f64, high: f64| Summary {
            mean,
            sd: f64::NAN,
            ci95_low: low,
            ci95_high: high,
            p05: f64::NAN,
            p50: f64::NAN,
            p95: f64::NAN,
        };
        base = Some(summary(x(3)?, x(3)?, x(3)?));
        rows.push(TornadoRow {
            swing: Swing {
                path: r[0].to_string(),
                low: Level::Text(r[1].to_string()),
                high: Level::Text(r[2].to_string()),
            },
            at_low: summary(x(4)?, x(5)?, x(6)?),
            at_high: summary(x(7)?, x(8)?, x(9)?),
            effect: summary(x(10)?, x(11)?, x(12)?),
        });
    }
    let base = base.ok_or_else(|| content_error(path, 1, "no parameter rows".into()))?;
    Ok((rows, base))
}

/// Write `tornado.csv`.
fn write_csv(path: &Path, result: &TornadoResult) -> io::Result<()> {
    let mut w = csv_writer(path)?;
    w.write_record(TORNADO_HEADER)?;
    for row in &result.rows {
        w.write_record([
            row.swing.path.clone(),
            row.swing.low.to_string(),
            row.swing.high.to_string(),
            number(result.base.mean),
            number(row.at_low.mean),
            number(row.at_low.ci95_low),
            number(row.at_low.ci95_high),
            number(row.at_high.mean),
            number(row.at_high.ci95_low),
            number(row.at_high.ci95_high),
            number(row.effect.mean),
            number(row.effect.ci95_low),
            number(row.effect.ci95_high),
            number(row.swing()),
        ])?;
    }
    finish_csv(w)
}
