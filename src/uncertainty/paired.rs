//! Paired policy answers: in how many plausible futures is the alternative
//! better than the base?
//!
//! In `trappe compare`, replication *i* of every scenario runs on the same
//! random streams and, for every uncertain parameter the scenarios list
//! alike, on the same drawn value (draws are indexed by parameter path, see
//! [`crate::model::parameter_draws`]). So `alt(i) − base(i)` is the
//! policy's effect in one possible world, and the share of replications in
//! which it is negative is the probability that the policy is better —
//! over parameter uncertainty as well as luck when the scenario has
//! `[uncertainty]`, over luck alone when it has not. Each share comes with
//! a Wilson score 95 % interval (it stays inside [0, 1] and behaves near 0
//! and 1, where policy answers often are).

use std::io;
use std::path::Path;

use crate::format::ENGLISH;
use crate::metrics::Metric;
use crate::plots::paired::{DifferenceSeries, write_cost_difference_histogram};
use crate::plots::{PLOTS_DIR, PlotError};
use crate::results::csv::{csv_writer, finish_csv};
use crate::results::stats::{summarize, t975};
use crate::results::{Results, number};

/// File name of the paired answers in a comparison folder.
pub const PAIRED_CSV: &str = "paired.csv";

/// Header of `paired.csv`.
pub const CSV_HEADER: [&str; 12] = [
    "scenario",
    "period",
    "metric",
    "step",
    "better_when",
    "replications",
    "better",
    "p_better",
    "p_better_ci95_low",
    "p_better_ci95_high",
    "diff_mean",
    "diff_ci95_half_width",
];

/// An outcome on which a policy can be better: lower is better for all of
/// them, and all are amounts per period, so a whole run is their sum.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outcome {
    /// The metric.
    pub metric: Metric,
    /// Its `step` (`""` for team-wide).
    pub step: &'static str,
    /// What "better" is, in words: "saves money".
    pub better: &'static str,
}

/// The outcomes paired answers are given for.
pub const OUTCOMES: [Outcome; 4] = [
    Outcome {
        metric: Metric::Cost,
        step: "total",
        better: "saves money",
    },
    Outcome {
        metric: Metric::Breakdowns,
        step: "",
        better: "reduces breakdowns",
    },
    Outcome {
        metric: Metric::Crises,
        step: "",
        better: "reduces crises (unmet need turning acute)",
    },
    Outcome {
        metric: Metric::PlacedChildYears,
        step: "",
        better: "reduces placed child-years",
    },
];

/// One answer: one alternative, one period (or the whole run), one outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct PairedAnswer {
    /// The alternative's name.
    pub scenario: String,
    /// 1-based period, `None` for the whole run.
    pub period: Option<usize>,
    /// The outcome.
    pub outcome: Outcome,
    /// Replications compared.
    pub replications: usize,
    /// Replications in which the alternative was strictly better.
    pub better: usize,
    /// Wilson 95 % interval of the probability of being better.
    pub ci95: (f64, f64),
    /// Mean of `alt − base`.
    pub diff_mean: f64,
    /// Half-width of the Student-t 95 % CI of that mean.
    pub diff_half_width: f64,
}

impl PairedAnswer {
    /// The share of replications in which the alternative was better.
    pub fn p_better(&self) -> f64 {
        self.better as f64 / self.replications as f64
    }
}

/// Wilson score 95 % interval for `k` successes in `n` trials.
pub fn wilson95(k: usize, n: usize) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let z = 1.959_963_984_540_054;
    let (n, p) = (n as f64, k as f64 / n as f64);
    let denominator = 1.0 + z * z / n;
    let centre = (p + z * z / (2.0 * n)) / denominator;
    let half = z / denominator * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt();
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// Per-replication values of an outcome: one vector per period, then the
/// whole run (their sum) last.
fn per_replication(results: &Results, outcome: Outcome) -> Option<Vec<Vec<f64>>> {
    let row = results.layout.find(outcome.metric, outcome.step)?;
    let mut columns: Vec<Vec<f64>> = (0..results.periods.len())
        .map(|k| results.column(k, row))
        .collect();
    let whole = (0..results.replications())
        .map(|r| columns.iter().map(|c| c[r]).sum())
        .collect();
    columns.push(whole);
    Some(columns)
}

/// The whole-run total cost of each replication (the sum over periods).
pub fn whole_run_cost(results: &Results) -> Vec<f64> {
    per_replication(results, OUTCOMES[0])
        .and_then(|mut c| c.pop())
        .unwrap_or_default()
}

/// Paired answers of every alternative (`results[1..]`) against the base
/// (`results[0]`), which were run on common random numbers.
pub fn answers(results: &[Results]) -> Vec<PairedAnswer> {
    let Some((base, alternatives)) = results.split_first() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for alt in alternatives {
        for outcome in OUTCOMES {
            let (Some(b), Some(a)) = (
                per_replication(base, outcome),
                per_replication(alt, outcome),
            ) else {
                continue;
            };
            let periods = b.len() - 1;
            for (k, (bk, ak)) in b.iter().zip(&a).enumerate() {
                let diffs: Vec<f64> = ak.iter().zip(bk).map(|(x, y)| x - y).collect();
                let n = diffs.len();
                let better = diffs.iter().filter(|d| **d < 0.0).count();
                let t = if n > 1 { t975(n - 1) } else { f64::NAN };
                let s = summarize(&diffs, t);
                out.push(PairedAnswer {
                    scenario: alt.scenario.name().to_string(),
                    period: (k < periods).then_some(k + 1),
                    outcome,
                    replications: n,
                    better,
                    ci95: wilson95(better, n),
                    diff_mean: s.mean,
                    diff_half_width: (s.ci95_high - s.ci95_low) / 2.0,
                });
            }
        }
    }
    out
}

/// Write `paired.csv` (period `total` = the whole run).
pub fn write_csv(answers: &[PairedAnswer], path: &Path) -> io::Result<()> {
    let mut w = csv_writer(path)?;
    w.write_record(CSV_HEADER)?;
    for a in answers {
        w.write_record([
            a.scenario.clone(),
            a.period.map_or_else(|| "total".into(), |k| k.to_string()),
            a.outcome.metric.name().to_string(),
            a.outcome.step.to_string(),
            "lower".into(),
            a.replications.to_string(),
            a.better.to_string(),
            number(a.p_better()),
            number(a.ci95.0),
            number(a.ci95.1),
            number(a.diff_mean),
            number(a.diff_half_width),
        ])?;
    }
    finish_csv(w)
}

/// The answers in sentences for the terminal and the report: for each
/// alternative, the whole run on every outcome, then cost period by period.
/// `uncertain`: the runs drew uncertain parameters ("plausible futures"),
/// else the spread is luck alone ("replications").
pub fn sentences(answers: &[PairedAnswer], currency: &str, uncertain: bool) -> Vec<String> {
    let futures = if uncertain {
        "plausible futures"
    } else {
        "replications (chance alone: no [uncertainty])"
    };
    let pct = |p: f64| ENGLISH.percent(p, 0).replace(" %", "");
    let share = |a: &PairedAnswer| {
        format!(
            "{} % [{} %, {} %]",
            pct(a.p_better()),
            pct(a.ci95.0),
            pct(a.ci95.1)
        )
    };
    let mut out = Vec::new();
    let mut names: Vec<&str> = answers.iter().map(|a| a.scenario.as_str()).collect();
    names.dedup();
    for name in names {
        let mine: Vec<&PairedAnswer> = answers.iter().filter(|a| a.scenario == name).collect();
        let whole: Vec<&&PairedAnswer> = mine.iter().filter(|a| a.period.is_none()).collect();
        let Some(cost) = whole.iter().find(|a| a.outcome.metric == Metric::Cost) else {
            continue;
        };
        let mut line = format!(
            "{name}: over the whole run it {} in {} of {} {futures} (mean difference {} {currency} ± {})",
            cost.outcome.better,
            share(cost),
            cost.replications,
            signed_money(cost.diff_mean),
            ENGLISH.thousands(cost.diff_half_width),
        );
        for a in whole.iter().filter(|a| a.outcome.metric != Metric::Cost) {
            line.push_str(&format!(
                ", {} in {} (mean {})",
                a.outcome.better,
                share(a),
                ENGLISH.plain(crate::format::significant(a.diff_mean, 3))
            ));
        }
        line.push('.');
        out.push(line);
        let by_period: Vec<String> = mine
            .iter()
            .filter(|a| a.period.is_some() && a.outcome.metric == Metric::Cost)
            .map(|a| format!("period {}: {}", a.period.unwrap_or(0), share(a)))
            .collect();
        out.push(format!(
            "  Saves money, by period: {}.",
            by_period.join("; ")
        ));
    }
    out
}

/// What `compare` shows of the paired answers.
#[derive(Debug, Clone, Default)]
pub struct PairedReport {
    /// Every answer (what `paired.csv` holds).
    pub answers: Vec<PairedAnswer>,
    /// The answers in sentences.
    pub sentences: Vec<String>,
    /// The histogram of the whole-run cost difference (SVG), when plots
    /// are drawn.
    pub histogram_svg: Option<String>,
}

/// Compute the paired answers of a comparison (`results[0]` the base),
/// write `paired.csv` into `dir` and, with `plots`, the histogram into
/// `dir/plots`.
pub fn write_paired(
    results: &[Results],
    dir: &Path,
    plots: bool,
) -> Result<PairedReport, PlotError> {
    let answers = answers(results);
    write_csv(&answers, &dir.join(PAIRED_CSV))?;
    let Some(base) = results.first() else {
        return Ok(PairedReport::default());
    };
    let currency = base.scenario.settings().currency.clone();
    let uncertain = results.iter().any(|r| !r.scenario.uncertainty.is_empty());
    let sentences = sentences(&answers, &currency, uncertain);
    let mut histogram_svg = None;
    if plots {
        let base_cost = whole_run_cost(base);
        let series: Vec<DifferenceSeries> = results[1..]
            .iter()
            .map(|alt| {
                let cost = answers.iter().find(|a| {
                    a.scenario == alt.scenario.name()
                        && a.period.is_none()
                        && a.outcome.metric == Metric::Cost
                });
                DifferenceSeries {
                    name: alt.scenario.name().to_string(),
                    differences: whole_run_cost(alt)
                        .iter()
                        .zip(&base_cost)
                        .map(|(a, b)| a - b)
                        .collect(),
                    summary: cost.map_or_else(String::new, |c| {
                        format!(
                            "saves money in {} of {}",
                            ENGLISH.percent(c.p_better(), 0),
                            c.replications
                        )
                    }),
                }
            })
            .collect();
        let subtitle = format!(
            "Replications by whole-run cost difference (paired: same random numbers{})",
            if uncertain {
                " and drawn parameters"
            } else {
                ""
            }
        );
        histogram_svg = Some(write_cost_difference_histogram(
            &dir.join(PLOTS_DIR),
            &series,
            &currency,
            &subtitle,
        )?);
    }
    Ok(PairedReport {
        answers,
        sentences,
        histogram_svg,
    })
}

/// The paired answers saved in a comparison folder `dir` (`paired.csv`,
/// the histogram's SVG when plots were drawn), for `trappe report DIR`;
/// `None` for a folder without `paired.csv`.
pub fn read_saved(dir: &Path) -> Option<PairedReport> {
    let mut reader = csv::Reader::from_path(dir.join(PAIRED_CSV)).ok()?;
    let mut answers = Vec::new();
    for record in reader.records() {
        let r = record.ok()?;
        let field = |i: usize| r.get(i).unwrap_or("");
        let number = |i: usize| field(i).parse::<f64>().ok();
        let outcome = *OUTCOMES
            .iter()
            .find(|o| o.metric.name() == field(2) && o.step == field(3))?;
        answers.push(PairedAnswer {
            scenario: field(0).to_string(),
            period: field(1).parse().ok(),
            outcome,
            replications: field(5).parse().ok()?,
            better: field(6).parse().ok()?,
            ci95: (number(8)?, number(9)?),
            diff_mean: number(10)?,
            diff_half_width: number(11)?,
        });
    }
    // Scenario sub-folders hold parameters.csv when parameters were drawn.
    let uncertain = std::fs::read_dir(dir).ok()?.flatten().any(|e| {
        e.path()
            .join(crate::results::folder::PARAMETERS_CSV)
            .is_file()
    });
    let base = crate::compare::Comparison::read(dir).ok()?;
    let currency = base.runs.first()?.scenario.settings().currency.clone();
    let svg = dir.join(PLOTS_DIR).join(format!(
        "{}.svg",
        crate::plots::paired::COST_DIFFERENCE_HISTOGRAM
    ));
    Some(PairedReport {
        sentences: sentences(&answers, &currency, uncertain),
        answers,
        histogram_svg: std::fs::read_to_string(svg).ok(),
    })
}

/// A money amount with its sign: `+1,200`, `-3,700,000`.
fn signed_money(x: f64) -> String {
    let m = ENGLISH.thousands(x);
    if x.round() > 0.0 { format!("+{m}") } else { m }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_matches_a_published_example() {
        // Newcombe (1998), example: 81 of 263 → 0.2553 to 0.3662.
        let (lo, hi) = wilson95(81, 263);
        assert!(
            (lo - 0.2553).abs() < 5e-4 && (hi - 0.3662).abs() < 5e-4,
            "{lo} {hi}"
        );
        let (lo, hi) = wilson95(0, 10);
        assert!(lo == 0.0 && (hi - 0.2775).abs() < 5e-4, "{hi}");
        assert!((wilson95(10, 10).1 - 1.0).abs() < 1e-12);
    }
}
