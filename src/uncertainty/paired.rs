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

use crate::language::Language;
use crate::metrics::Metric;
use crate::plots::paired::{DifferenceSeries, write_cost_difference_histogram};
use crate::plots::{PLOTS_DIR, PlotError};
use crate::results::csv::{csv_writer, finish_csv};
use crate::results::stats::{Proportion, probability_of_savings, summarize, t975};
use crate::results::{Results, number};

/// File name of the paired answers in a comparison folder.
pub const PAIRED_CSV: &str = "paired.csv";

/// File name of the cost-versus-unmet-need counts in a comparison folder.
pub const COST_AND_NEED_CSV: &str = "paired_cost_and_need.csv";

/// Header of [`COST_AND_NEED_CSV`]: replications per quadrant of
/// (whole-run cost difference, unmet-need difference).
pub const COST_AND_NEED_HEADER: [&str; 6] = [
    "scenario",
    "replications",
    "cheaper_less_need",
    "cheaper_not_less_need",
    "not_cheaper_less_need",
    "neither",
];

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
}

/// What "better" is on `metric`, in words of `lang`: "saves money".
pub fn better_words(lang: Language, metric: Metric) -> &'static str {
    let w = &lang.words().welfare;
    match metric {
        Metric::Cost => w.saves_money,
        Metric::UnmetNeedChildYears => w.reduces_unmet_need,
        Metric::Breakdowns => w.reduces_breakdowns,
        Metric::Crises => w.reduces_crises,
        _ => w.reduces_placed,
    }
}

/// The outcomes paired answers are given for (unmet need next to cost:
/// the welfare side of a saving).
pub const OUTCOMES: [Outcome; 5] = [
    Outcome {
        metric: Metric::Cost,
        step: "total",
    },
    Outcome {
        metric: Metric::UnmetNeedChildYears,
        step: "total",
    },
    Outcome {
        metric: Metric::Breakdowns,
        step: "",
    },
    Outcome {
        metric: Metric::Crises,
        step: "",
    },
    Outcome {
        metric: Metric::PlacedChildYears,
        step: "",
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
    /// The probability of being better with its Wilson 95 % interval.
    pub probability: Proportion,
    /// Mean of `alt − base`.
    pub diff_mean: f64,
    /// Half-width of the Student-t 95 % CI of that mean.
    pub diff_half_width: f64,
}

impl PairedAnswer {
    /// The share of replications in which the alternative was better.
    pub fn p_better(&self) -> f64 {
        self.probability.share
    }
}

/// Cost against unmet need for one alternative over the whole run: in how
/// many replications it is better (strictly lower than the base) on both,
/// on cost alone, on unmet need alone, or on neither. A saving bought with
/// unmet need shows as "cheaper, unmet need not reduced".
#[derive(Debug, Clone, PartialEq)]
pub struct CostAndNeed {
    /// The alternative's name.
    pub scenario: String,
    /// Replications compared.
    pub replications: usize,
    /// Replications per quadrant, in [`COST_AND_NEED_HEADER`] order.
    pub counts: [usize; 4],
}

impl CostAndNeed {
    /// The share of quadrant `q` with its Wilson 95 % interval.
    pub fn share(&self, q: usize) -> Proportion {
        crate::results::stats::wilson95(self.counts[q], self.replications)
    }
}

/// The cost-versus-unmet-need view of every alternative (`results[1..]`)
/// against the base (`results[0]`).
pub fn cost_and_need(results: &[Results]) -> Vec<CostAndNeed> {
    let whole = |r: &Results, o: Outcome| per_replication(r, o).and_then(|mut c| c.pop());
    let Some((base, alternatives)) = results.split_first() else {
        return Vec::new();
    };
    let (Some(base_cost), Some(base_need)) = (whole(base, OUTCOMES[0]), whole(base, OUTCOMES[1]))
    else {
        return Vec::new();
    };
    alternatives
        .iter()
        .filter_map(|alt| {
            let (cost, need) = (whole(alt, OUTCOMES[0])?, whole(alt, OUTCOMES[1])?);
            let mut counts = [0; 4];
            for r in 0..cost.len() {
                let cheaper = cost[r] - base_cost[r] < 0.0;
                let less_need = need[r] - base_need[r] < 0.0;
                counts[usize::from(!cheaper) * 2 + usize::from(!less_need)] += 1;
            }
            Some(CostAndNeed {
                scenario: alt.scenario.name().to_string(),
                replications: cost.len(),
                counts,
            })
        })
        .collect()
}

/// Write [`COST_AND_NEED_CSV`].
pub fn write_cost_and_need(views: &[CostAndNeed], path: &Path) -> io::Result<()> {
    let mut w = csv_writer(path)?;
    w.write_record(COST_AND_NEED_HEADER)?;
    for v in views {
        let mut record = vec![v.scenario.clone(), v.replications.to_string()];
        record.extend(v.counts.iter().map(ToString::to_string));
        w.write_record(&record)?;
    }
    finish_csv(w)
}

/// Read [`COST_AND_NEED_CSV`] (empty when absent: a folder from before).
fn read_cost_and_need(path: &Path) -> Vec<CostAndNeed> {
    let Ok(mut reader) = csv::Reader::from_path(path) else {
        return Vec::new();
    };
    reader
        .records()
        .map_while(|r| {
            let r = r.ok()?;
            let count = |i: usize| r.get(i)?.parse::<usize>().ok();
            Some(CostAndNeed {
                scenario: r.get(0)?.to_string(),
                replications: count(1)?,
                counts: [count(2)?, count(3)?, count(4)?, count(5)?],
            })
        })
        .collect()
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
                let probability = probability_of_savings(&diffs);
                // share = better / n exactly, so this recovers the count.
                let better = (probability.share * n as f64).round() as usize;
                let t = if n > 1 { t975(n - 1) } else { f64::NAN };
                let s = summarize(&diffs, t);
                out.push(PairedAnswer {
                    scenario: alt.scenario.name().to_string(),
                    period: (k < periods).then_some(k + 1),
                    outcome,
                    replications: n,
                    better,
                    probability,
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
            number(a.probability.ci95_low),
            number(a.probability.ci95_high),
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
pub fn sentences(
    answers: &[PairedAnswer],
    cost_and_need: &[CostAndNeed],
    currency: &str,
    uncertain: bool,
    lang: Language,
) -> Vec<String> {
    let (w, wel, n) = (&lang.words().paired, &lang.words().welfare, lang.numbers());
    let currency = lang.currency(currency);
    let futures = if uncertain {
        w.plausible_futures
    } else {
        w.chance_alone
    };
    let pct = |p: f64| n.percent(p, 0);
    let share = |a: &PairedAnswer| {
        format!(
            "{} {}",
            pct(a.p_better()),
            n.interval(&pct(a.probability.ci95_low), &pct(a.probability.ci95_high))
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
        let mut line = (w.whole_run)(
            name,
            better_words(lang, cost.outcome.metric),
            &share(cost),
            cost.replications,
            futures,
            &signed_money(cost.diff_mean, lang),
            &currency,
            &n.thousands(cost.diff_half_width),
        );
        for a in whole.iter().filter(|a| a.outcome.metric != Metric::Cost) {
            line.push_str(&(w.other_outcome)(
                better_words(lang, a.outcome.metric),
                &share(a),
                &n.plain(crate::format::significant(a.diff_mean, 3)),
            ));
        }
        line.push('.');
        out.push(line);
        let by_period: Vec<String> = mine
            .iter()
            .filter(|a| a.period.is_some() && a.outcome.metric == Metric::Cost)
            .map(|a| (w.period_share)(a.period.unwrap_or(0), &share(a)))
            .collect();
        out.push(format!("  {}: {}.", w.by_period, by_period.join("; ")));
        if let Some(v) = cost_and_need.iter().find(|v| v.scenario == name) {
            let quadrants = [
                wel.cheaper_less_need,
                wel.cheaper_more_need,
                wel.dearer_less_need,
                wel.dearer_more_need,
            ];
            let parts: Vec<String> = quadrants
                .iter()
                .enumerate()
                .map(|(q, label)| {
                    let p = v.share(q);
                    format!(
                        "{label} {} {} {}",
                        wel.in_,
                        pct(p.share),
                        n.interval(&pct(p.ci95_low), &pct(p.ci95_high))
                    )
                })
                .collect();
            out.push(format!("  {}: {}.", wel.cost_and_need, parts.join("; ")));
        }
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
    let views = cost_and_need(results);
    write_cost_and_need(&views, &dir.join(COST_AND_NEED_CSV))?;
    let Some(base) = results.first() else {
        return Ok(PairedReport::default());
    };
    let currency = base.scenario.settings().currency.clone();
    let lang = base.scenario.language();
    let uncertain = results.iter().any(|r| !r.scenario.uncertainty.is_empty());
    let sentences = sentences(&answers, &views, &currency, uncertain, lang);
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
                        (lang.words().paired.histogram_summary)(
                            &lang.numbers().percent(c.p_better(), 0),
                            c.replications,
                        )
                    }),
                }
            })
            .collect();
        let subtitle = (lang.words().paired.histogram_subtitle)(uncertain);
        histogram_svg = Some(write_cost_difference_histogram(
            &dir.join(PLOTS_DIR),
            &series,
            &currency,
            &subtitle,
            lang,
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
/// `lang` overrides the base scenario's language (`trappe report --lang`).
pub fn read_saved(dir: &Path, lang: Option<Language>) -> Option<PairedReport> {
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
            probability: Proportion {
                share: number(7)?,
                ci95_low: number(8)?,
                ci95_high: number(9)?,
            },
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
    let base_scenario = &base.runs.first()?.scenario;
    let currency = base_scenario.settings().currency.clone();
    let lang = lang.unwrap_or_else(|| base_scenario.language());
    let svg = dir.join(PLOTS_DIR).join(format!(
        "{}.svg",
        crate::plots::paired::COST_DIFFERENCE_HISTOGRAM
    ));
    Some(PairedReport {
        sentences: sentences(
            &answers,
            &read_cost_and_need(&dir.join(COST_AND_NEED_CSV)),
            &currency,
            uncertain,
            lang,
        ),
        answers,
        histogram_svg: std::fs::read_to_string(svg).ok(),
    })
}

/// A money amount with its sign: `+1,200`, `-3,700,000`.
fn signed_money(x: f64, lang: Language) -> String {
    let m = lang.numbers().thousands(x);
    if x.round() > 0.0 { format!("+{m}") } else { m }
}
