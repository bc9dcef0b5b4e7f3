//! What the plots of a sweep show, as numbers: a metric against one varied
//! parameter with its 95 % confidence interval, one line per value of a
//! second parameter; and a heat map over two ranges. Drawing them is
//! `plots::sweep`'s job; nothing here knows about pixels.
//!
//! By default a figure shows the whole reported run: flows (costs,
//! child-years, counts) per year (sum over periods ÷ horizon), shares as
//! the share of the run's placed child-years, the follow-up delay averaged
//! over all follow-ups of the run (`assessment_weeks` over all completed
//! assessments), `count_end` at the end, and the other
//! averages weighted by period length. Each replication is aggregated
//! first and the CI is taken over replications, so it is exact.
//! `period` shows one reporting period instead.
//!
//! Grids get lines with CI bands; Latin hypercube samples (whose points do
//! not line up) get each point with its CI as an error bar and a smoothed
//! [`trend`] of the means, on an x axis spanning the varied range; their
//! heat maps cut the two ranges into equal bins ([`bin_means`]) and average
//! the points falling in each cell. With more parameters than
//! the two shown, a grid gets one figure per combination of the others (up
//! to [`MAX_SLICES`]).

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use super::design::{Level, Number, Values};
use super::output::point_results;
use super::partial::ShardFolder;
use super::shard::Shard;
use super::{Design, Sweep, SweepError};
use crate::format::ENGLISH;
use crate::metrics::{Layout, Metric};
use crate::results::Results;
use crate::results::stats::{summarize, t975};
use crate::scenario::labels::parameter_label;

/// At most this many figures per metric for the combinations of
/// parameters not on the axes.
pub const MAX_SLICES: usize = 12;
/// At most this many lines (values of the second parameter) in one figure.
pub const MAX_LINES: usize = 12;

/// A metric to plot: a metric name and, for metrics with rows by step, the
/// step (`cost:total`, `placement_share:institution`,
/// `follow_up_delay_weeks`). `placement_share` alone means the highest
/// placement rung; `cost`, `unmet_need_child_years` and
/// `ready_child_years` alone mean their `total`.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricChoice {
    /// The metric.
    pub metric: Metric,
    /// The step (`None`: team-wide, or the default step).
    pub step: Option<String>,
}

impl FromStr for MetricChoice {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let (name, step) = match text.split_once(':') {
            Some((n, s)) => (n.trim(), Some(s.trim().to_string())),
            None => (text.trim(), None),
        };
        let metric = Metric::from_name(name).ok_or_else(|| {
            let names: Vec<&str> = Metric::ALL.iter().map(|m| m.name()).collect();
            format!("unknown metric '{name}' (one of {})", names.join(", "))
        })?;
        Ok(Self { metric, step })
    }
}

impl fmt::Display for MetricChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.step {
            Some(s) => write!(f, "{}:{s}", self.metric.name()),
            None => f.write_str(self.metric.name()),
        }
    }
}

/// What to plot.
#[derive(Debug, Clone, Default)]
pub struct PlotOptions {
    /// Metrics; empty: total cost per year and the highest placement
    /// rung's share of placed child-years.
    pub metrics: Vec<MetricChoice>,
    /// Parameter on the x axis; default: the first numeric varied one.
    pub x: Option<String>,
    /// Parameter drawn as one line per value; default: the next varied one
    /// with at most [`MAX_LINES`] values.
    pub lines: Option<String>,
    /// Plot this reporting period (1-based) instead of the whole run.
    pub period: Option<usize>,
}

/// Mean and 95 % CI of a metric at a point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// Mean over replications.
    pub mean: f64,
    /// Lower end of the 95 % CI of the mean.
    pub low: f64,
    /// Upper end of the 95 % CI of the mean.
    pub high: f64,
}

/// What a metric's values are, so axes and labels write them right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// An amount in the scenario's currency.
    Money,
    /// A fraction 0–1, shown as a percentage.
    Share,
    /// Anything else (counts, weeks, cases).
    Number,
}

impl Unit {
    /// A value of this unit for an axis or colour scale.
    pub fn format(self, v: f64) -> String {
        match self {
            Unit::Money => ENGLISH.thousands(v),
            Unit::Share => ENGLISH.percent(v, 1),
            Unit::Number => ENGLISH.plain(v),
        }
    }

    /// A short value of this unit for a heat-map cell: `47.2 M`, `12.5 %`.
    pub fn format_compact(self, v: f64) -> String {
        match self {
            Unit::Share => ENGLISH.percent(v, 1),
            _ => ENGLISH.compact(v),
        }
    }
}

/// One line of a line figure: a value of the second parameter (or all
/// points), with the estimate at each x.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Legend text (`workforce.caseworkers = 4`).
    pub label: String,
    /// (x, estimate), sorted by x.
    pub points: Vec<(f64, Estimate)>,
    /// A smoothed trend of the means through scattered (sampled) points,
    /// [`trend`] of `points`; empty for grids, whose lines join the points.
    pub trend: Vec<(f64, f64)>,
}

/// A metric against one parameter, one series per value of another.
#[derive(Debug, Clone, PartialEq)]
pub struct LineFigure {
    /// File name without extension.
    pub file_stem: String,
    /// Title.
    pub title: String,
    /// Lines under the title: scenario, what is shown, the slice.
    pub subtitle: Vec<String>,
    /// The x parameter.
    pub x_label: String,
    /// The metric with its unit.
    pub y_label: String,
    /// The metric's unit.
    pub unit: Unit,
    /// The x axis for sampled designs: the varied range, so the axis
    /// shows where the sample could have fallen (`None`: fit the data).
    pub x_range: Option<(f64, f64)>,
    /// Names of the x values when the parameter is not numeric (x is then
    /// the index 0, 1, …).
    pub categories: Option<Vec<String>>,
    /// The lines.
    pub series: Vec<Series>,
    /// Lines with CI bands (a grid); `false`: points with CI error bars (a
    /// Latin hypercube, whose points do not line up).
    pub bands: bool,
    /// The welfare side of a cost figure at the same points, drawn on
    /// panels below (a point can be cheap because work is not done or
    /// needs are not met). `None` for other metrics.
    pub welfare: Option<Welfare>,
}

/// The welfare panels of a cost figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Welfare {
    /// Mean follow-up delay (weeks).
    pub delay: Vec<Series>,
    /// Unmet need, all rungs (child-years per year: the mean number of
    /// children whose need the measure does not meet; or in the period).
    pub unmet_need: Vec<Series>,
}

/// Mean follow-up delay (weeks) above which a cheap point is flagged as
/// cheap because work is late.
pub const LATE_WEEKS: f64 = 4.0;

/// One cell of a heat map.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cell {
    /// Left and right edge.
    pub x: (f64, f64),
    /// Bottom and top edge.
    pub y: (f64, f64),
    /// The mean there (`None`: no point fell in the cell).
    pub value: Option<f64>,
}

/// A metric over two ranges.
#[derive(Debug, Clone, PartialEq)]
pub struct HeatFigure {
    /// File name without extension.
    pub file_stem: String,
    /// Title (the metric with its unit).
    pub title: String,
    /// Lines under the title.
    pub subtitle: Vec<String>,
    /// The x parameter.
    pub x_label: String,
    /// The y parameter.
    pub y_label: String,
    /// The metric's unit.
    pub unit: Unit,
    /// The cells, tiling the plotted area.
    pub cells: Vec<Cell>,
}

/// One figure of a sweep.
#[derive(Debug, Clone, PartialEq)]
pub enum SweepFigure {
    /// A metric against a parameter.
    Lines(LineFigure),
    /// A metric over two ranges.
    Heat(HeatFigure),
}

impl SweepFigure {
    /// File name without extension.
    pub fn file_stem(&self) -> &str {
        match self {
            SweepFigure::Lines(f) => &f.file_stem,
            SweepFigure::Heat(f) => &f.file_stem,
        }
    }

    /// The title.
    pub fn title(&self) -> &str {
        match self {
            SweepFigure::Lines(f) => &f.title,
            SweepFigure::Heat(f) => &f.title,
        }
    }
}

/// A metric resolved against the sweep: which layout rows it reads.
#[derive(Debug, Clone)]
struct Resolved {
    metric: Metric,
    step: String,
}

impl Resolved {
    fn slug(&self) -> String {
        if self.step.is_empty() {
            self.metric.name().to_string()
        } else {
            format!("{}-{}", self.metric.name(), self.step)
        }
    }

    fn is_flow(&self) -> bool {
        !matches!(
            self.metric,
            Metric::PlacementShare
                | Metric::FollowUpDelayWeeks
                | Metric::AssessmentWeeks
                | Metric::CountEnd
                | Metric::CountStart
                | Metric::BreakdownRate
                | Metric::CaseloadMean
                | Metric::PointsMean
        )
    }

    fn label(&self, currency: &str, whole_run: bool) -> String {
        let per_year = if whole_run && self.is_flow() {
            " per year"
        } else {
            ""
        };
        match (self.metric, self.step.as_str()) {
            (Metric::Cost, "total") => format!("Total cost{per_year} ({currency})"),
            (Metric::Cost, s) => format!("Cost{per_year}: {s} ({currency})"),
            (Metric::PlacementShare, s) => {
                let mut chars = s.chars();
                let first = chars.next().map(|c| c.to_uppercase().to_string());
                format!(
                    "{}{} share of placed child-years",
                    first.unwrap_or_default(),
                    chars.as_str()
                )
            }
            (Metric::FollowUpDelayWeeks, _) => "Follow-up delay (weeks, mean)".into(),
            (Metric::AssessmentWeeks, _) => "Referral to end of assessment (weeks, mean)".into(),
            (Metric::UnmetNeedChildYears, "total") => {
                format!("Unmet need (child-years{per_year}, all rungs)")
            }
            (Metric::UnmetNeedChildYears, s) => format!("Unmet need (child-years{per_year}): {s}"),
            (Metric::ReadyChildYears, "total") => {
                format!("Ready for less (child-years{per_year}, all rungs)")
            }
            (Metric::ReadyChildYears, s) => {
                format!("Ready for less (child-years{per_year}): {s}")
            }
            (Metric::CountEnd, s) => format!("Cases at the end: {s}"),
            (Metric::CountStart, s) => format!("Cases at the start: {s}"),
            (m, "") => format!("{}{per_year}", m.name().replace('_', " ")),
            (m, s) => format!("{}{per_year}: {s}", m.name().replace('_', " ")),
        }
    }

    fn unit(&self) -> Unit {
        match self.metric {
            Metric::Cost => Unit::Money,
            Metric::PlacementShare | Metric::BreakdownRate => Unit::Share,
            _ => Unit::Number,
        }
    }
}

fn resolve(sweep: &Sweep, choices: &[MetricChoice]) -> Result<Vec<Resolved>, SweepError> {
    let base = &sweep.base;
    let top = base
        .params
        .steps
        .iter()
        .rev()
        .find(|r| r.placement)
        .map(|r| r.id.clone());
    let defaults = [
        MetricChoice {
            metric: Metric::Cost,
            step: Some("total".into()),
        },
        MetricChoice {
            metric: Metric::PlacementShare,
            step: None,
        },
    ];
    let list = if choices.is_empty() {
        &defaults[..]
    } else {
        choices
    };
    let layout = Layout::new(&base.params);
    let mut out = Vec::new();
    for c in list {
        let step = match (&c.step, c.metric) {
            (Some(s), _) => s.clone(),
            (None, Metric::PlacementShare) => match &top {
                Some(t) => t.clone(),
                None if choices.is_empty() => continue,
                None => {
                    return Err(SweepError::Design(
                        "placement_share: the scenario has no placement rung".into(),
                    ));
                }
            },
            (None, Metric::Cost | Metric::UnmetNeedChildYears | Metric::ReadyChildYears) => {
                "total".into()
            }
            (None, _) => String::new(),
        };
        if layout.find(c.metric, &step).is_none() {
            let steps: Vec<&str> = layout
                .rows
                .iter()
                .filter(|r| r.metric == c.metric)
                .map(|r| r.step_name.as_str())
                .collect();
            return Err(SweepError::Design(format!(
                "no metric {}{}{} in this scenario (steps: {})",
                c.metric.name(),
                if step.is_empty() { "" } else { ":" },
                step,
                steps.join(", ")
            )));
        }
        out.push(Resolved {
            metric: c.metric,
            step,
        });
    }
    Ok(out)
}

/// One replication's value of `m` over the whole run (or in `period`).
fn per_replication(results: &Results, m: &Resolved, period: Option<usize>) -> Option<Vec<f64>> {
    let layout = &results.layout;
    let k = results.periods.len();
    let n = results.replications();
    let row = layout.find(m.metric, &m.step)?;
    if let Some(p) = period {
        return (1..=k).contains(&p).then(|| results.column(p - 1, row));
    }
    let s = results.scenario.settings();
    let horizon = s.horizon_years;
    let length = |i: usize| {
        if i + 1 == k {
            horizon - (k - 1) as f64 * s.period.years()
        } else {
            s.period.years()
        }
    };
    let sum = |r: usize, j: usize| (0..k).map(|i| results.value(r, i, j)).sum::<f64>();
    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
    let values = match m.metric {
        Metric::PlacementShare => {
            let placed = layout.find(Metric::PlacedChildYears, "")?;
            let years = layout.find(Metric::ChildYears, &m.step)?;
            (0..n)
                .map(|r| ratio(sum(r, years), sum(r, placed)))
                .collect()
        }
        Metric::FollowUpDelayWeeks | Metric::AssessmentWeeks => {
            // A mean over events: weighted by the events of each period.
            let events = if m.metric == Metric::AssessmentWeeks {
                Metric::Assessments
            } else {
                Metric::FollowUps
            };
            let counts: Vec<usize> = (0..layout.len())
                .filter(|&j| layout.rows[j].metric == events)
                .collect();
            (0..n)
                .map(|r| {
                    let (mut weighted, mut total) = (0.0, 0.0);
                    for i in 0..k {
                        let c: f64 = counts.iter().map(|&j| results.value(r, i, j)).sum();
                        weighted += c * results.value(r, i, row);
                        total += c;
                    }
                    ratio(weighted, total)
                })
                .collect()
        }
        Metric::CountEnd => results.column(k - 1, row),
        Metric::CountStart => results.column(0, row),
        Metric::BreakdownRate | Metric::CaseloadMean | Metric::PointsMean => (0..n)
            .map(|r| {
                (0..k)
                    .map(|i| results.value(r, i, row) * length(i))
                    .sum::<f64>()
                    / horizon
            })
            .collect(),
        _ => (0..n).map(|r| sum(r, row) / horizon).collect(),
    };
    Some(values)
}

/// The figures of the complete sweep in `dir`, as `options` asks.
pub fn sweep_figures(dir: &Path, options: &PlotOptions) -> Result<Vec<SweepFigure>, SweepError> {
    let sweep = Sweep::from_folder(dir)?;
    let folder = ShardFolder::open(dir)?;
    if folder.shard() != Shard::WHOLE {
        return Err(SweepError::Folder {
            path: dir.to_path_buf(),
            message: format!(
                "is shard {} of a sweep; merge the shards first (trappe merge)",
                folder.shard()
            ),
        });
    }
    let mut metrics = resolve(&sweep, &options.metrics)?;
    // The welfare side of cost figures rides along as the last, hidden
    // metrics: the follow-up delay and the unmet need (all rungs).
    let wanted = metrics.len();
    for (metric, step) in [
        (Metric::FollowUpDelayWeeks, ""),
        (Metric::UnmetNeedChildYears, "total"),
    ] {
        metrics.push(Resolved {
            metric,
            step: step.into(),
        });
    }
    let mut estimates: Vec<Vec<Option<Estimate>>> = vec![Vec::new(); metrics.len()];
    for point in 0..sweep.points.len() {
        let entry = &folder.manifest.units[point];
        if entry.point != point + 1 {
            return Err(SweepError::Folder {
                path: dir.to_path_buf(),
                message: "shard.json does not list the points in order".into(),
            });
        }
        let results = point_results(&sweep, point, folder.read_unit(point)?)?;
        let n = results.replications();
        let t = if n > 1 { t975(n - 1) } else { f64::NAN };
        for (m, metric) in metrics.iter().enumerate() {
            estimates[m].push(per_replication(&results, metric, options.period).map(|v| {
                let s = summarize(&v, t);
                Estimate {
                    mean: s.mean,
                    low: s.ci95_low,
                    high: s.ci95_high,
                }
            }));
        }
    }
    let unmet_need = estimates.pop().expect("the unmet need was estimated");
    let delay = estimates.pop().expect("the delay was estimated");
    metrics.truncate(wanted);
    figures(&sweep, &metrics, &estimates, (&delay, &unmet_need), options)
}

/// Which parameters go where.
#[derive(Debug, PartialEq)]
struct Axes {
    x: usize,
    lines: Option<usize>,
    heat: Option<(usize, usize)>,
}

/// The distinct levels of parameter `param`, in order of appearance.
fn distinct(design: &Design, param: usize) -> Vec<Level> {
    let mut out: Vec<Level> = Vec::new();
    for p in &design.points {
        if !out.contains(&p[param]) {
            out.push(p[param].clone());
        }
    }
    out
}

fn numeric(levels: &[Level]) -> bool {
    levels.iter().all(|l| l.as_f64().is_some())
}

fn param_index(design: &Design, path: &str) -> Result<usize, SweepError> {
    design
        .parameters
        .iter()
        .position(|p| p.path == path)
        .ok_or_else(|| {
            let paths: Vec<&str> = design.parameters.iter().map(|p| p.path.as_str()).collect();
            SweepError::Design(format!(
                "'{path}' is not varied in this sweep (varied: {})",
                paths.join(", ")
            ))
        })
}

fn choose_axes(design: &Design, options: &PlotOptions) -> Result<Axes, SweepError> {
    let params = &design.parameters;
    let levels: Vec<Vec<Level>> = (0..params.len()).map(|i| distinct(design, i)).collect();
    let sampled = |i: usize| design.method.is_sampled() && params[i].is_sampled();
    let x = match &options.x {
        Some(path) => param_index(design, path)?,
        None => (0..params.len())
            .find(|&i| levels[i].len() > 1 && numeric(&levels[i]))
            .or_else(|| (0..params.len()).find(|&i| levels[i].len() > 1))
            .unwrap_or(0),
    };
    let lines = match &options.lines {
        Some(path) => {
            let i = param_index(design, path)?;
            if i == x {
                return Err(SweepError::Design(format!(
                    "'{path}' cannot be both the x axis and the lines"
                )));
            }
            Some(i)
        }
        None => (0..params.len())
            .find(|&i| i != x && !sampled(i) && (2..=MAX_LINES).contains(&levels[i].len())),
    };
    let ranges: Vec<usize> = (0..params.len())
        .filter(|&i| params[i].is_range() && levels[i].len() > 1 && numeric(&levels[i]))
        .collect();
    let heat = match lines {
        Some(l) if ranges.contains(&x) && ranges.contains(&l) => Some((x, l)),
        _ if ranges.len() >= 2 => {
            let first = if ranges.contains(&x) { x } else { ranges[0] };
            ranges.iter().find(|&&i| i != first).map(|&i| (first, i))
        }
        _ => None,
    };
    Ok(Axes { x, lines, heat })
}

/// Points grouped by the levels of the parameters not in `shown` (grid
/// designs only; a Latin hypercube is one group).
fn slices(design: &Design, shown: &[usize]) -> Vec<(String, String, Vec<usize>)> {
    if design.method.is_sampled() {
        return vec![(
            String::new(),
            String::new(),
            (0..design.points.len()).collect(),
        )];
    }
    let mut groups: Vec<(String, String, Vec<usize>)> = Vec::new();
    for (p, levels) in design.points.iter().enumerate() {
        let others = || {
            levels
                .iter()
                .enumerate()
                .filter(|(i, _)| !shown.contains(i))
                .map(|(i, l)| (&design.parameters[i].path, l))
        };
        // The key (for file names) keeps the paths; the words name them.
        let key: Vec<String> = others().map(|(path, l)| format!("{path}={l}")).collect();
        let words: Vec<String> = others()
            .map(|(path, l)| format!("{} = {l}", parameter_label(path)))
            .collect();
        let key = key.join(", ");
        match groups.iter_mut().find(|(k, _, _)| *k == key) {
            Some((_, _, members)) => members.push(p),
            None => groups.push((key, words.join(", "), vec![p])),
        }
    }
    groups
}

/// `text` as a file-name part: letters, digits and `-`, the rest `_`.
fn slug(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// A note when the cheapest of `members` is cheap because follow-ups are
/// late there: its mean follow-up delay is over [`LATE_WEEKS`].
fn cheap_because_late(
    design: &Design,
    members: &[usize],
    cost: &[Option<Estimate>],
    delay: &[Option<Estimate>],
) -> Option<String> {
    let cheapest = members
        .iter()
        .copied()
        .filter_map(|p| cost[p].map(|e| (p, e.mean)))
        .min_by(|a, b| a.1.total_cmp(&b.1))?
        .0;
    let late = delay[cheapest]?.mean;
    if late <= LATE_WEEKS {
        return None;
    }
    let at: Vec<String> = design.points[cheapest]
        .iter()
        .zip(&design.parameters)
        .map(|(level, p)| format!("{} = {level}", parameter_label(&p.path)))
        .collect();
    Some(format!(
        "Cheapest at {} only because work is left undone: follow-ups {} weeks late (lower panel)",
        at.join(", "),
        ENGLISH.decimals(late, 1)
    ))
}

/// What a period figure adds to its file name (`-period-8`), so `plot
/// --period K` never overwrites the whole-run figures.
fn period_suffix(period: Option<usize>) -> String {
    period.map_or_else(String::new, |k| format!("-period-{k}"))
}

/// The figures for `metrics`, given each metric's estimate at each point.
fn figures(
    sweep: &Sweep,
    metrics: &[Resolved],
    estimates: &[Vec<Option<Estimate>>],
    (delay, unmet_need): (&[Option<Estimate>], &[Option<Estimate>]),
    options: &PlotOptions,
) -> Result<Vec<SweepFigure>, SweepError> {
    let design = &sweep.design;
    let axes = choose_axes(design, options)?;
    let params = &design.parameters;
    let n = sweep.replications();
    let settings = sweep.base.settings();
    let whole_run = options.period.is_none();
    let when = match options.period {
        None => format!(
            "whole run: {} years from {}",
            ENGLISH.plain(settings.horizon_years),
            settings
                .start
                .date
                .and_then(|d| chrono::NaiveDate::from_ymd_opt(
                    d.year.into(),
                    d.month.into(),
                    d.day.into()
                ))
                .map_or_else(|| settings.start.to_string(), crate::format::long_date)
        ),
        Some(k) => format!("period {k}"),
    };
    let lhs = design.method.is_sampled();
    let mut out = Vec::new();
    for (m, metric) in metrics.iter().enumerate() {
        let y_label = metric.label(&settings.currency, whole_run);
        // Lines (or error-bar scatters for Latin hypercubes).
        let mut shown = vec![axes.x];
        shown.extend(axes.lines);
        let groups = slices(design, &shown);
        let x_levels = distinct(design, axes.x);
        let categories = (!numeric(&x_levels))
            .then(|| x_levels.iter().map(ToString::to_string).collect::<Vec<_>>());
        let x_of = |p: usize| -> f64 {
            let level = &design.points[p][axes.x];
            match &categories {
                Some(_) => x_levels.iter().position(|l| l == level).unwrap_or(0) as f64,
                None => level.as_f64().unwrap_or(0.0),
            }
        };
        let line_levels = axes.lines.map(|l| distinct(design, l));
        for (key, words, members) in groups.iter().take(MAX_SLICES) {
            let count = line_levels.as_ref().map_or(1, Vec::len);
            let series_of = |estimates: &[Option<Estimate>]| -> Vec<Series> {
                (0..count)
                    .map(|s| {
                        let mut points: Vec<(f64, Estimate)> = members
                            .iter()
                            .filter(|&&p| match (&line_levels, axes.lines) {
                                (Some(levels), Some(l)) => design.points[p][l] == levels[s],
                                _ => true,
                            })
                            .filter_map(|&p| estimates[p].map(|e| (x_of(p), e)))
                            .collect();
                        points.sort_by(|a, b| a.0.total_cmp(&b.0));
                        let label = match (&line_levels, axes.lines) {
                            (Some(levels), Some(l)) => {
                                format!("{} = {}", parameter_label(&params[l].path), levels[s])
                            }
                            _ => "mean, 95 % CI".into(),
                        };
                        let trend = if lhs {
                            let means: Vec<(f64, f64)> =
                                points.iter().map(|(x, e)| (*x, e.mean)).collect();
                            trend(&means, TREND_POINTS)
                        } else {
                            Vec::new()
                        };
                        Series {
                            label,
                            points,
                            trend,
                        }
                    })
                    .collect()
            };
            let series = series_of(&estimates[m]);
            let is_cost = metric.metric == Metric::Cost;
            let mut subtitle = vec![
                sweep.base.name().to_string(),
                format!("mean and 95 % CI over {n} replications (common random numbers); {when}"),
            ];
            if lhs {
                subtitle.push("line: smoothed trend of the means (local linear regression)".into());
            }
            let mut file_stem = format!("{}-vs-{}", metric.slug(), slug(&params[axes.x].path));
            if groups.len() > 1 {
                file_stem = format!("{file_stem}-at-{}", slug(key));
            }
            file_stem.push_str(&period_suffix(options.period));
            if !words.is_empty() {
                subtitle.push(words.clone());
            }
            if is_cost && let Some(note) = cheap_because_late(design, members, &estimates[m], delay)
            {
                subtitle.push(note);
            }
            out.push(SweepFigure::Lines(LineFigure {
                file_stem,
                title: format!("{y_label} vs {}", parameter_label(&params[axes.x].path)),
                subtitle,
                x_label: parameter_label(&params[axes.x].path),
                y_label: y_label.clone(),
                unit: metric.unit(),
                categories: categories.clone(),
                x_range: if lhs && categories.is_none() {
                    range_bounds(design, axes.x)
                } else {
                    None
                },
                series,
                bands: !lhs,
                welfare: is_cost.then(|| Welfare {
                    delay: series_of(delay),
                    unmet_need: series_of(unmet_need),
                }),
            }));
        }
        // Heat map.
        if let Some((hx, hy)) = axes.heat {
            let groups = slices(design, &[hx, hy]);
            for (key, words, members) in groups.iter().take(MAX_SLICES) {
                let means: Vec<Option<f64>> =
                    estimates[m].iter().map(|e| e.map(|e| e.mean)).collect();
                let cells = if lhs {
                    binned_cells(design, members, (hx, hy), &means)
                } else {
                    grid_cells(design, members, (hx, hy), &means)
                };
                let mut subtitle = vec![
                    sweep.base.name().to_string(),
                    format!(
                        "mean over {n} replications; {when}{}",
                        if lhs {
                            "; cells average the sampled points in them (grey: none)"
                        } else {
                            ""
                        }
                    ),
                ];
                if !words.is_empty() {
                    subtitle.push(words.clone());
                }
                let mut file_stem = format!(
                    "{}-heatmap-{}-by-{}",
                    metric.slug(),
                    slug(&params[hx].path),
                    slug(&params[hy].path)
                );
                if groups.len() > 1 {
                    file_stem = format!("{file_stem}-at-{}", slug(key));
                }
                file_stem.push_str(&period_suffix(options.period));
                out.push(SweepFigure::Heat(HeatFigure {
                    file_stem,
                    title: y_label.clone(),
                    subtitle,
                    x_label: parameter_label(&params[hx].path),
                    y_label: parameter_label(&params[hy].path),
                    unit: metric.unit(),
                    cells,
                }));
            }
        }
    }
    Ok(out)
}

/// Cell edges around sorted centres: midpoints, half a gap beyond the ends.
fn edges(centres: &[f64]) -> Vec<f64> {
    let n = centres.len();
    let mut e = Vec::with_capacity(n + 1);
    let gap = |i: usize| centres[i + 1] - centres[i];
    e.push(centres[0] - if n > 1 { gap(0) / 2.0 } else { 0.5 });
    e.extend(centres.windows(2).map(|w| (w[0] + w[1]) / 2.0));
    e.push(centres[n - 1] + if n > 1 { gap(n - 2) / 2.0 } else { 0.5 });
    e
}

fn sorted_numbers(values: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut v: Vec<f64> = values.collect();
    v.sort_by(f64::total_cmp);
    v.dedup();
    v
}

/// One cell per grid point of `members`, centred on its levels of the
/// parameters `hx` and `hy`, holding `means[point]`.
fn grid_cells(
    design: &Design,
    members: &[usize],
    (hx, hy): (usize, usize),
    means: &[Option<f64>],
) -> Vec<Cell> {
    let at = |p: usize, i: usize| design.points[p][i].as_f64().unwrap_or(0.0);
    let xs = sorted_numbers(members.iter().map(|&p| at(p, hx)));
    let ys = sorted_numbers(members.iter().map(|&p| at(p, hy)));
    let (ex, ey) = (edges(&xs), edges(&ys));
    members
        .iter()
        .map(|&p| {
            let i = xs.iter().position(|&x| x == at(p, hx)).unwrap_or(0);
            let j = ys.iter().position(|&y| y == at(p, hy)).unwrap_or(0);
            Cell {
                x: (ex[i], ex[i + 1]),
                y: (ey[j], ey[j + 1]),
                value: means[p],
            }
        })
        .collect()
}

/// The varied range of parameter `i` (low, high), `None` for lists.
/// Integer ranges end at their highest value, so axes stay within what
/// was varied.
fn range_bounds(design: &Design, i: usize) -> Option<(f64, f64)> {
    match &design.parameters[i].values {
        Values::Range(r) => {
            let lo = match r.low {
                Number::Int(v) => v as f64,
                Number::Float(v) => v,
            };
            let hi = match r.high {
                Number::Int(v) => v as f64,
                Number::Float(v) => v,
            };
            Some((lo, hi.max(lo + 1e-9)))
        }
        Values::List(_) => None,
    }
}

/// Bins a side for a heat map of `n` sampled points: about three points
/// per cell, 2 to 12 bins a side.
pub fn bins_for(n: usize) -> usize {
    ((n as f64 / 3.0).sqrt().floor() as usize).clamp(2, 12)
}

/// The ranges of `hx` and `hy` cut into equal bins ([`bins_for`]); each
/// cell holds the average of `means` over the points in it.
fn binned_cells(
    design: &Design,
    members: &[usize],
    (hx, hy): (usize, usize),
    means: &[Option<f64>],
) -> Vec<Cell> {
    let at = |p: usize, i: usize| design.points[p][i].as_f64().unwrap_or(0.0);
    let bounds = |i: usize| range_bounds(design, i).unwrap_or((0.0, 1.0));
    let points: Vec<(f64, f64, f64)> = members
        .iter()
        .filter_map(|&p| means[p].map(|m| (at(p, hx), at(p, hy), m)))
        .collect();
    bin_means(&points, bounds(hx), bounds(hy), bins_for(members.len()))
}

/// Heat-map cells from scattered `(x, y, value)` points: the rectangle
/// `x_range` × `y_range` cut into `bins` × `bins` equal cells (column by
/// column, bottom to top), each holding the mean value of the points in
/// it, `None` where none fell. A point on a top or right edge belongs to
/// the last cell; points outside the ranges are clamped into the edge
/// cells. Cells never reach beyond the ranges.
pub fn bin_means(
    points: &[(f64, f64, f64)],
    (x0, x1): (f64, f64),
    (y0, y1): (f64, f64),
    bins: usize,
) -> Vec<Cell> {
    let bins = bins.max(1);
    let index = |v: f64, lo: f64, hi: f64| -> usize {
        let b = ((v - lo) / (hi - lo) * bins as f64).floor();
        if b.is_finite() && b > 0.0 {
            (b as usize).min(bins - 1)
        } else {
            0
        }
    };
    let mut sums = vec![(0.0, 0usize); bins * bins];
    for &(x, y, v) in points {
        let cell = &mut sums[index(x, x0, x1) * bins + index(y, y0, y1)];
        cell.0 += v;
        cell.1 += 1;
    }
    let (wx, wy) = ((x1 - x0) / bins as f64, (y1 - y0) / bins as f64);
    let edge = |lo: f64, hi: f64, w: f64, b: usize| if b == bins { hi } else { lo + b as f64 * w };
    let mut cells = Vec::with_capacity(bins * bins);
    for bx in 0..bins {
        for by in 0..bins {
            let (sum, count) = sums[bx * bins + by];
            cells.push(Cell {
                x: (edge(x0, x1, wx, bx), edge(x0, x1, wx, bx + 1)),
                y: (edge(y0, y1, wy, by), edge(y0, y1, wy, by + 1)),
                value: (count > 0).then(|| sum / count as f64),
            });
        }
    }
    cells
}

/// Points along a sampled series' trend line.
pub const TREND_POINTS: usize = 60;

/// A smoothed trend through scattered `(x, y)` points, at `at` evenly
/// spaced x from the smallest x to the largest: a local linear regression
/// (LOESS of degree 1) with Gaussian weights of bandwidth a sixth of the x
/// range. It follows a straight line exactly, needs no random numbers,
/// and does not depend on the order of `points`. Empty for fewer than two
/// distinct x.
pub fn trend(points: &[(f64, f64)], at: usize) -> Vec<(f64, f64)> {
    let finite: Vec<(f64, f64)> = points
        .iter()
        .copied()
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .collect();
    let x0 = finite.iter().map(|p| p.0).fold(f64::INFINITY, f64::min);
    let x1 = finite.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max);
    if finite.len() < 2 || x1 <= x0 || at < 2 {
        return Vec::new();
    }
    let h = (x1 - x0) / 6.0;
    (0..at)
        .map(|i| {
            let x = x0 + (x1 - x0) * i as f64 / (at - 1) as f64;
            let (mut sw, mut sx, mut sy, mut sxx, mut sxy) = (0.0, 0.0, 0.0, 0.0, 0.0);
            for &(px, py) in &finite {
                let d = (px - x) / h;
                let w = (-0.5 * d * d).exp();
                let dx = px - x;
                sw += w;
                sx += w * dx;
                sy += w * py;
                sxx += w * dx * dx;
                sxy += w * dx * py;
            }
            // Fit y = a + b (px − x); the trend at x is a.
            let det = sw * sxx - sx * sx;
            let y = if det > 1e-12 * sw * sxx.max(f64::MIN_POSITIVE) {
                (sxx * sy - sx * sxy) / det
            } else {
                sy / sw
            };
            (x, y)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep::{Method, Parameter};

    fn design(specs: &[(&str, &str)], method: Method) -> Design {
        let parameters = specs
            .iter()
            .map(|(path, spec)| Parameter::new(path, spec).unwrap())
            .collect();
        Design::new(parameters, method, 7).unwrap()
    }

    #[test]
    fn metric_choices_parse_and_print() {
        let c: MetricChoice = "cost:total".parse().unwrap();
        assert_eq!(c.metric, Metric::Cost);
        assert_eq!(c.to_string(), "cost:total");
        let c: MetricChoice = "follow_up_delay_weeks".parse().unwrap();
        assert_eq!(c.step, None);
        assert!("nonsense".parse::<MetricChoice>().is_err());
    }

    #[test]
    fn axes_prefer_numeric_x_and_short_lists_as_lines() {
        let d = design(
            &[
                ("scenario.period", "[\"year\", \"quarter\"]"),
                ("a.b", "1..4"),
                ("c.d", "0.5..1.0:0.25"),
            ],
            Method::Grid,
        );
        let axes = choose_axes(&d, &PlotOptions::default()).unwrap();
        assert_eq!(axes.x, 1, "the first numeric parameter");
        assert_eq!(axes.lines, Some(0));
        assert_eq!(axes.heat, Some((1, 2)), "two ranges");
        let options = PlotOptions {
            x: Some("c.d".into()),
            lines: Some("a.b".into()),
            ..PlotOptions::default()
        };
        let axes = choose_axes(&d, &options).unwrap();
        assert_eq!((axes.x, axes.lines, axes.heat), (2, Some(1), Some((2, 1))));
        let both = PlotOptions {
            x: Some("a.b".into()),
            lines: Some("a.b".into()),
            ..PlotOptions::default()
        };
        assert!(choose_axes(&d, &both).is_err());
    }

    #[test]
    fn grids_slice_by_the_parameters_not_shown() {
        let d = design(&[("a.b", "1..2"), ("c.d", "[5, 6, 7]")], Method::Grid);
        let groups = slices(&d, &[0]);
        assert_eq!(groups.len(), 3);
        assert_eq!(
            groups[0],
            ("c.d=5".to_string(), "c.d = 5".to_string(), vec![0, 3])
        );
        assert_eq!(
            slices(&d, &[0, 1]),
            vec![(String::new(), String::new(), (0..6).collect())]
        );
        assert_eq!(slug("c.d=5, e=x"), "c_d_5__e_x");
    }

    #[test]
    fn grid_cells_tile_the_levels() {
        assert_eq!(edges(&[1.0, 2.0, 4.0]), [0.5, 1.5, 3.0, 5.0]);
        assert_eq!(edges(&[3.0]), [2.5, 3.5]);
        let d = design(&[("a.b", "1..2"), ("c.d", "[10, 20]")], Method::Grid);
        let means = [Some(1.0), Some(2.0), None, Some(4.0)];
        let cells = grid_cells(&d, &[0, 1, 2, 3], (0, 1), &means);
        assert_eq!(cells.len(), 4);
        assert_eq!(cells[0].x, (0.5, 1.5));
        assert_eq!(cells[0].y, (5.0, 15.0));
        assert_eq!(cells[2].value, None);
    }

    #[test]
    fn sampled_points_are_averaged_in_bins_within_the_ranges() {
        let d = design(&[("a.b", "0.0..1.0"), ("c.d", "0.0..1.0")], Method::Lhs(12));
        let means: Vec<Option<f64>> = (0..12).map(|p| Some(p as f64)).collect();
        let cells = binned_cells(&d, &(0..12).collect::<Vec<_>>(), (0, 1), &means);
        assert_eq!(cells.len(), 4, "12 points: 2 × 2 bins");
        for c in &cells {
            assert!(c.x.0 >= 0.0 && c.x.1 <= 1.0 && c.y.0 >= 0.0 && c.y.1 <= 1.0);
        }
        let filled: Vec<f64> = cells.iter().filter_map(|c| c.value).collect();
        assert!(!filled.is_empty());
        assert!(filled.iter().all(|v| (0.0..=11.0).contains(v)));
    }

    #[test]
    fn units_write_values() {
        assert_eq!(Unit::Money.format(12_500_000.0), "12,500,000");
        assert_eq!(Unit::Share.format(0.125), "12.5 %");
        assert_eq!(Unit::Number.format(0.6000000000000001), "0.6");
        assert_eq!(Unit::Money.format_compact(47_230_000.0), "47.2 M");
    }
}
