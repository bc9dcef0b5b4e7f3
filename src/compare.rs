//! Comparing scenarios with common random numbers (`trappe compare`).
//!
//! Every scenario is run with the same seed and the same number of
//! replications, so replication *i* of every scenario draws from the same
//! random streams — stream by stream for each kind of draw, see
//! [`crate::model::streams`]: the same referrals at the same times, the same
//! per-child luck. Identical parameters therefore give identical paths, and
//! differences between scenarios come from the policy, not from chance.
//!
//! Each alternative is compared with the first scenario (the base) through
//! the *paired* per-replication differences `alt(i) − base(i)`, summarised
//! like any metric (mean, Student-t 95 % CI, 5th/95th percentiles). Because
//! both runs share their luck, the differences vary far less than two
//! independent runs would, and the CI is correspondingly narrower.

pub mod totals;
pub mod transitions;

use std::io;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::metrics::Metric;
use crate::results::csv::{content_error, csv_writer, finish_csv, read_records};
use crate::results::folder::{COMPARE_CSV, COMPARE_JSON};
use crate::results::read::{ReadError, RunSummary};
use crate::results::stats::{Summary, summarize, t975};
use crate::results::{PeriodInfo, Results, number, write_run};
use crate::scenario::Scenario;

/// Header of `compare.csv`.
pub const CSV_HEADER: [&str; 12] = [
    "scenario",
    "period",
    "period_start",
    "period_end",
    "metric",
    "step",
    "mean",
    "diff_mean",
    "diff_ci95_low",
    "diff_ci95_high",
    "diff_p05",
    "diff_p95",
];

/// Folder names no scenario may take inside a comparison folder.
const RESERVED_KEYS: [&str; 1] = ["plots"];

/// Why scenarios cannot be compared.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum CompareError {
    /// Fewer than two scenarios.
    #[error("a comparison needs at least two scenarios")]
    TooFew,
    /// The scenarios report different periods.
    #[error(
        "'{scenario}' reports different periods from the base '{base}': scenarios must share start, horizon_years and period"
    )]
    Periods {
        /// The base's name.
        base: String,
        /// The mismatched scenario's name.
        scenario: String,
    },
    /// The scenarios were run with different seeds or replications, so
    /// their replications are not paired.
    #[error(
        "'{scenario}' was not run on the base's random streams (seed and replications must match '{base}')"
    )]
    Streams {
        /// The base's name.
        base: String,
        /// The mismatched scenario's name.
        scenario: String,
    },
    /// One name per scenario is needed.
    #[error("{keys} folder names for {scenarios} scenarios")]
    Keys {
        /// Names given.
        keys: usize,
        /// Scenarios given.
        scenarios: usize,
    },
}

/// Check, before simulating, that scenarios report the same periods
/// (start, horizon and period length), as a comparison needs.
pub fn check_periods(scenarios: &[Scenario]) -> Result<(), CompareError> {
    let Some(base) = scenarios.first() else {
        return Err(CompareError::TooFew);
    };
    let key = |s: &Scenario| {
        let t = s.settings();
        (s.start, t.horizon_years, t.period)
    };
    match scenarios.iter().find(|s| key(s) != key(base)) {
        Some(s) => Err(CompareError::Periods {
            base: base.name().into(),
            scenario: s.name().into(),
        }),
        None => Ok(()),
    }
}

/// Give every scenario the same seed and number of replications, so that
/// running them uses common random numbers.
pub fn use_common_streams(scenarios: &mut [Scenario], seed: u64, replications: u64) {
    for s in scenarios {
        s.set_seed(seed);
        s.set_replications(replications);
    }
}

/// Folder names for scenario files: the file stem, made safe for a path
/// and unique (a repeated stem gets `-2`, `-3`, …).
pub fn folder_keys(paths: &[PathBuf]) -> Vec<String> {
    let mut keys: Vec<String> = Vec::with_capacity(paths.len());
    for path in paths {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut base: String = stem
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        if base.is_empty() || base.starts_with('.') || RESERVED_KEYS.contains(&base.as_str()) {
            base = format!("scenario-{base}");
        }
        let mut key = base.clone();
        let mut n = 1;
        while keys.contains(&key) {
            n += 1;
            key = format!("{base}-{n}");
        }
        keys.push(key);
    }
    keys
}

/// Summary of paired differences `alternative − base` over replications.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Difference {
    /// Mean difference.
    pub mean: f64,
    /// Lower end of the 95 % CI of the mean difference (paired t).
    pub ci95_low: f64,
    /// Upper end of the 95 % CI of the mean difference.
    pub ci95_high: f64,
    /// 5th percentile of the per-replication differences.
    pub p05: f64,
    /// 95th percentile of the per-replication differences.
    pub p95: f64,
}

/// Summarise per-replication paired differences (`t` is [`t975`] of n − 1).
pub fn summarize_difference(diffs: &[f64], t: f64) -> Difference {
    Difference::from_summary(&summarize(diffs, t))
}

pub use totals::{ComparisonTotals, break_even, probability_of_savings};

impl Difference {
    fn from_summary(s: &Summary) -> Self {
        Self {
            mean: s.mean,
            ci95_low: s.ci95_low,
            ci95_high: s.ci95_high,
            p05: s.p05,
            p95: s.p95,
        }
    }

    /// Half the width of the 95 % CI.
    pub fn half_width(&self) -> f64 {
        (self.ci95_high - self.ci95_low) / 2.0
    }
}

/// One row of `compare.csv`: a scenario's mean of one metric in one period,
/// and its paired difference from the base.
#[derive(Debug, Clone, PartialEq)]
pub struct ComparisonRow {
    /// Index of the scenario (0 = the base).
    pub scenario: usize,
    /// Period (0-based).
    pub period: usize,
    /// What is measured.
    pub metric: Metric,
    /// The `step` column (`""` for team-wide metrics).
    pub step: String,
    /// The scenario's mean over replications.
    pub mean: f64,
    /// Paired difference from the base (all zero for the base itself).
    pub diff: Difference,
}

/// Several scenarios run on common random numbers, each compared with the
/// first.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// Folder name of each scenario inside the comparison folder.
    pub keys: Vec<String>,
    /// Each scenario and its own summaries; the first is the base.
    pub runs: Vec<RunSummary>,
    /// Reporting periods (shared by all scenarios).
    pub periods: Vec<PeriodInfo>,
    /// Rows in scenario, period, metric order; metrics and steps are the
    /// base's rows that the scenario also has.
    pub rows: Vec<ComparisonRow>,
    /// The common root seed.
    pub seed: u64,
    /// Replications per scenario.
    pub replications: usize,
    /// Paired differences of totals per calendar year and over the whole
    /// run, and cumulative per period (`None` when read from a folder
    /// written before trappe had them).
    pub totals: Option<ComparisonTotals>,
}

/// `compare.json`: what a comparison folder holds, in order.
#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    version: String,
    seed: u64,
    replications: usize,
    common_random_numbers: bool,
    scenarios: Vec<ManifestEntry>,
}

#[derive(Debug, Serialize, Deserialize)]
struct ManifestEntry {
    folder: String,
    name: String,
}

impl Comparison {
    /// Compare simulated results (the first is the base); `keys` names each
    /// scenario's folder. The results must share periods, seed and
    /// replications (see [`use_common_streams`]).
    pub fn new(keys: Vec<String>, results: &[Results]) -> Result<Self, CompareError> {
        if results.len() < 2 {
            return Err(CompareError::TooFew);
        }
        if keys.len() != results.len() {
            return Err(CompareError::Keys {
                keys: keys.len(),
                scenarios: results.len(),
            });
        }
        let base = &results[0];
        for r in &results[1..] {
            let names = || (base.scenario.name().into(), r.scenario.name().into());
            if r.periods != base.periods {
                let (base, scenario) = names();
                return Err(CompareError::Periods { base, scenario });
            }
            if r.replications() != base.replications()
                || r.first_replication != base.first_replication
                || r.scenario.settings().seed != base.scenario.settings().seed
            {
                let (base, scenario) = names();
                return Err(CompareError::Streams { base, scenario });
            }
        }
        let n = base.replications();
        let t = if n > 1 { t975(n - 1) } else { f64::NAN };
        let mut rows = Vec::new();
        for (s, alt) in results.iter().enumerate() {
            for k in 0..base.periods.len() {
                for (j, row) in base.layout.rows.iter().enumerate() {
                    let Some(ja) = alt.layout.find(row.metric, &row.step_name) else {
                        continue;
                    };
                    let diffs: Vec<f64> = (0..n)
                        .map(|r| alt.value(r, k, ja) - base.value(r, k, j))
                        .collect();
                    let mean = (0..n).map(|r| alt.value(r, k, ja)).sum::<f64>() / n as f64;
                    rows.push(ComparisonRow {
                        scenario: s,
                        period: k,
                        metric: row.metric,
                        step: row.step_name.clone(),
                        mean,
                        diff: Difference::from_summary(&summarize(&diffs, t)),
                    });
                }
            }
        }
        Ok(Self {
            keys,
            runs: results.iter().map(RunSummary::from_results).collect(),
            periods: base.periods.clone(),
            rows,
            seed: base.scenario.settings().seed,
            replications: n,
            totals: Some(ComparisonTotals::new(results)),
        })
    }

    /// Scenario names, base first.
    pub fn names(&self) -> Vec<&str> {
        self.runs.iter().map(|r| r.scenario.name()).collect()
    }

    /// The row of scenario `scenario` for `metric`/`step` in `period`
    /// (0-based).
    pub fn get(
        &self,
        scenario: usize,
        metric: Metric,
        step: &str,
        period: usize,
    ) -> Option<&ComparisonRow> {
        self.rows.iter().find(|r| {
            r.scenario == scenario && r.period == period && r.metric == metric && r.step == step
        })
    }

    /// Half-width of the 95 % CI of the difference in means had the two
    /// scenarios been run on independent streams, estimated from each
    /// scenario's own spread over replications (Welch-type, equal n):
    /// `t(0.975, 2n−2) · √((sd_base² + sd_alt²) / n)`.
    pub fn independent_half_width(
        &self,
        scenario: usize,
        metric: Metric,
        step: &str,
        period: usize,
    ) -> Option<f64> {
        let n = self.replications;
        if n < 2 {
            return None;
        }
        let base = self.runs[0].table.get(metric, step, period)?;
        let alt = self.runs.get(scenario)?.table.get(metric, step, period)?;
        Some(t975(2 * n - 2) * ((base.sd * base.sd + alt.sd * alt.sd) / n as f64).sqrt())
    }

    /// Write the comparison into `dir`: `compare.csv`, `compare.json`, and
    /// each scenario's own results (`write_run`) in its sub-folder. `results`
    /// are the ones the comparison was built from. Write into a
    /// [`crate::results::Publication`]'s folder, so it appears whole.
    pub fn write(&self, results: &[Results], dir: &Path, threads: usize) -> io::Result<()> {
        std::fs::create_dir_all(dir)?;
        for (key, r) in self.keys.iter().zip(results) {
            write_run(r, &dir.join(key), threads)?;
        }
        self.write_csv(&dir.join(COMPARE_CSV))?;
        transitions::write(results, &self.keys, &dir.join(transitions::TRANSITIONS_CSV))?;
        if let Some(totals) = &self.totals {
            totals.write(dir, &self.keys, &self.periods)?;
        }
        let manifest = Manifest {
            version: env!("CARGO_PKG_VERSION").into(),
            seed: self.seed,
            replications: self.replications,
            common_random_numbers: true,
            scenarios: self
                .keys
                .iter()
                .zip(&self.runs)
                .map(|(k, r)| ManifestEntry {
                    folder: k.clone(),
                    name: r.scenario.name().into(),
                })
                .collect(),
        };
        let json = serde_json::to_string_pretty(&manifest).map_err(io::Error::other)?;
        std::fs::write(dir.join(COMPARE_JSON), json + "\n")
    }

    fn write_csv(&self, path: &Path) -> io::Result<()> {
        let mut w = csv_writer(path)?;
        w.write_record(CSV_HEADER)?;
        for row in &self.rows {
            let p = &self.periods[row.period];
            let d = &row.diff;
            w.write_record([
                self.keys[row.scenario].clone(),
                p.index.to_string(),
                p.start.to_string(),
                p.end.to_string(),
                row.metric.name().into(),
                row.step.clone(),
                number(row.mean),
                number(d.mean),
                number(d.ci95_low),
                number(d.ci95_high),
                number(d.p05),
                number(d.p95),
            ])?;
        }
        finish_csv(w)
    }

    /// Read a comparison folder written by [`Comparison::write`].
    pub fn read(dir: &Path) -> Result<Self, ReadError> {
        let manifest_path = dir.join(COMPARE_JSON);
        let text = std::fs::read_to_string(&manifest_path).map_err(|source| ReadError::Io {
            path: manifest_path.clone(),
            source,
        })?;
        let manifest: Manifest = serde_json::from_str(&text).map_err(|e| ReadError::Content {
            path: manifest_path.clone(),
            line: e.line() as u64,
            message: e.to_string(),
        })?;
        let keys: Vec<String> = manifest
            .scenarios
            .iter()
            .map(|s| s.folder.clone())
            .collect();
        let runs = keys
            .iter()
            .map(|k| RunSummary::read(&dir.join(k)))
            .collect::<Result<Vec<_>, _>>()?;
        let path = dir.join(COMPARE_CSV);
        let (periods, rows) = read_csv(&path, &keys)?;
        let totals = ComparisonTotals::read(dir, &keys, &periods)?;
        Ok(Self {
            keys,
            runs,
            periods,
            rows,
            seed: manifest.seed,
            replications: manifest.replications,
            totals,
        })
    }
}

/// Read `compare.csv` rows, mapping the `scenario` column to indices of
/// `keys`.
fn read_csv(
    path: &Path,
    keys: &[String],
) -> Result<(Vec<PeriodInfo>, Vec<ComparisonRow>), ReadError> {
    let content = |line: u64, message: String| content_error(path, line, message);
    let mut periods: Vec<PeriodInfo> = Vec::new();
    let mut rows = Vec::new();
    for record in read_records(path, &CSV_HEADER)? {
        let (line, record) = record?;
        let field = |c: usize| record.get(c).unwrap_or("");
        let scenario = keys
            .iter()
            .position(|k| k == field(0))
            .ok_or_else(|| content(line, format!("unknown scenario '{}'", field(0))))?;
        let index: usize = field(1)
            .parse()
            .map_err(|_| content(line, format!("bad period '{}'", field(1))))?;
        if index == 0 {
            return Err(content(line, "periods count from 1".into()));
        }
        if index > periods.len() {
            let date = |c: usize| {
                NaiveDate::parse_from_str(field(c), "%Y-%m-%d")
                    .map_err(|_| content(line, format!("bad date '{}'", field(c))))
            };
            if index != periods.len() + 1 {
                return Err(content(line, format!("period {index} out of order")));
            }
            periods.push(PeriodInfo {
                index,
                start: date(2)?,
                end: date(3)?,
            });
        }
        let metric = Metric::from_name(field(4))
            .ok_or_else(|| content(line, format!("unknown metric '{}'", field(4))))?;
        let mut x = [0.0; 6];
        for (v, c) in x.iter_mut().zip(6..12) {
            *v = field(c)
                .parse()
                .map_err(|_| content(line, format!("bad number '{}'", field(c))))?;
        }
        rows.push(ComparisonRow {
            scenario,
            period: index - 1,
            metric,
            step: field(5).into(),
            mean: x[0],
            diff: Difference {
                mean: x[1],
                ci95_low: x[2],
                ci95_high: x[3],
                p05: x[4],
                p95: x[5],
            },
        });
    }
    Ok((periods, rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_keys_are_unique_and_safe() {
        let keys = folder_keys(&[
            PathBuf::from("a/base.toml"),
            PathBuf::from("b/base.toml"),
            PathBuf::from("my scenario.toml"),
            PathBuf::from("plots.toml"),
        ]);
        assert_eq!(keys, ["base", "base-2", "my_scenario", "scenario-plots"]);
    }
}
