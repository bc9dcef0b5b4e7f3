//! Plots of a sweep: a metric against one varied parameter, with its 95 %
//! confidence band, one line per value of a second parameter; and a heat
//! map over two ranges.
//!
//! By default a plot shows the whole reported run: flows (costs,
//! child-years, counts) per year (sum over periods ÷ horizon), shares as
//! the share of the run's placed child-years, the follow-up delay averaged
//! over all follow-ups of the run, `count_end` at the end, and the other
//! averages weighted by period length. Each replication is aggregated
//! first and the CI is taken over replications, so it is exact.
//! `period` plots one reporting period instead.
//!
//! Grids draw lines with CI bands; Latin hypercube samples (whose points do
//! not line up) draw each point with its CI as an error bar, and their heat
//! maps average the points falling in each cell. With more parameters than
//! the two shown, a grid gets one file per combination of the others (up
//! to [`MAX_SLICES`]). Every plot is written as PNG and SVG into
//! `DIR/plots/`.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::design::Level;
use super::output::point_results;
use super::partial::ShardFolder;
use super::shard::Shard;
use super::{Method, Sweep, SweepError};
use crate::metrics::Metric;
use crate::plots::font::{FAMILY, ensure_registered};
use crate::results::Results;
use crate::results::stats::{summarize, t975};
use crate::scenario::describe::thousands;

/// At most this many files per metric for the combinations of parameters
/// not on the axes.
pub const MAX_SLICES: usize = 12;
/// At most this many lines (values of the second parameter) in one plot.
pub const MAX_LINES: usize = 12;

const SIZE: (u32, u32) = (1000, 650);

/// A metric to plot: a metric name and, for metrics with rows by step, the
/// step (`cost:total`, `placement_share:institution`,
/// `follow_up_delay_weeks`). `placement_share` alone means the highest
/// placement rung.
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
#[derive(Debug, Clone, Copy)]
struct Stat {
    mean: f64,
    low: f64,
    high: f64,
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
                | Metric::CountEnd
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
            (Metric::CountEnd, s) => format!("Cases at the end: {s}"),
            (m, "") => format!("{}{per_year}", m.name().replace('_', " ")),
            (m, s) => format!("{}{per_year}: {s}", m.name().replace('_', " ")),
        }
    }

    fn kind(&self) -> Kind {
        match self.metric {
            Metric::Cost => Kind::Money,
            Metric::PlacementShare | Metric::BreakdownRate => Kind::Share,
            _ => Kind::Plain,
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Money,
    Share,
    Plain,
}

fn format_value(kind: Kind, v: f64) -> String {
    match kind {
        Kind::Money => thousands(v),
        Kind::Share => format!("{:.1} %", v * 100.0),
        Kind::Plain => {
            if v.abs() >= 1000.0 {
                thousands(v)
            } else {
                let s = format!("{v:.2}");
                s.trim_end_matches('0').trim_end_matches('.').to_string()
            }
        }
    }
}

/// A compact label for a heat-map cell: `47.2 M`, `830 k`, `12.5 %`.
fn format_short(kind: Kind, v: f64) -> String {
    match kind {
        Kind::Share => format!("{:.1} %", v * 100.0),
        _ if v.abs() >= 1e6 => format!("{:.1} M", v / 1e6),
        _ if v.abs() >= 1e4 => format!("{:.0} k", v / 1e3),
        _ => format_value(Kind::Plain, v),
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
    let layout = crate::metrics::Layout::new(&base.params);
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
            (None, Metric::Cost) => "total".into(),
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
    let row = layout.find(m.metric, &m.step)?;
    let k = results.periods.len();
    let n = results.replications();
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
        Metric::FollowUpDelayWeeks => {
            let counts: Vec<usize> = (0..layout.len())
                .filter(|&j| layout.rows[j].metric == Metric::FollowUps)
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

/// Plot the complete sweep in `dir` into `dir/plots`; returns the files.
pub fn plot_folder(dir: &Path, options: &PlotOptions) -> Result<Vec<PathBuf>, SweepError> {
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
    let metrics = resolve(&sweep, &options.metrics)?;
    let mut stats: Vec<Vec<Option<Stat>>> = vec![Vec::new(); metrics.len()];
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
            stats[m].push(per_replication(&results, metric, options.period).map(|v| {
                let s = summarize(&v, t);
                Stat {
                    mean: s.mean,
                    low: s.ci95_low,
                    high: s.ci95_high,
                }
            }));
        }
    }
    draw_all(&sweep, &metrics, &stats, options, &dir.join("plots"))
}

/// Which parameters go where.
struct Axes {
    x: usize,
    lines: Option<usize>,
    heat: Option<(usize, usize)>,
}

fn distinct(sweep: &Sweep, param: usize) -> Vec<Level> {
    let mut out: Vec<Level> = Vec::new();
    for p in &sweep.design.points {
        if !out.contains(&p[param]) {
            out.push(p[param].clone());
        }
    }
    out
}

fn numeric(levels: &[Level]) -> bool {
    levels.iter().all(|l| l.as_f64().is_some())
}

fn param_index(sweep: &Sweep, path: &str) -> Result<usize, SweepError> {
    sweep
        .design
        .parameters
        .iter()
        .position(|p| p.path == path)
        .ok_or_else(|| {
            let paths: Vec<&str> = sweep
                .design
                .parameters
                .iter()
                .map(|p| p.path.as_str())
                .collect();
            SweepError::Design(format!(
                "'{path}' is not varied in this sweep (varied: {})",
                paths.join(", ")
            ))
        })
}

fn choose_axes(sweep: &Sweep, options: &PlotOptions) -> Result<Axes, SweepError> {
    let params = &sweep.design.parameters;
    let levels: Vec<Vec<Level>> = (0..params.len()).map(|i| distinct(sweep, i)).collect();
    let sampled =
        |i: usize| matches!(sweep.design.method, Method::Lhs(_)) && params[i].is_sampled();
    let x = match &options.x {
        Some(path) => param_index(sweep, path)?,
        None => (0..params.len())
            .find(|&i| levels[i].len() > 1 && numeric(&levels[i]))
            .or_else(|| (0..params.len()).find(|&i| levels[i].len() > 1))
            .unwrap_or(0),
    };
    let lines = match &options.lines {
        Some(path) => {
            let i = param_index(sweep, path)?;
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
fn slices(sweep: &Sweep, shown: &[usize]) -> Vec<(String, Vec<usize>)> {
    if matches!(sweep.design.method, Method::Lhs(_)) {
        return vec![(String::new(), (0..sweep.points.len()).collect())];
    }
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for (p, levels) in sweep.design.points.iter().enumerate() {
        let key: Vec<String> = levels
            .iter()
            .enumerate()
            .filter(|(i, _)| !shown.contains(i))
            .map(|(i, l)| format!("{}={l}", sweep.design.parameters[i].path))
            .collect();
        let key = key.join(", ");
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, members)) => members.push(p),
            None => groups.push((key, vec![p])),
        }
    }
    groups
}

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

const COLORS: [RGBColor; 10] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
];

fn draw_all(
    sweep: &Sweep,
    metrics: &[Resolved],
    stats: &[Vec<Option<Stat>>],
    options: &PlotOptions,
    out: &Path,
) -> Result<Vec<PathBuf>, SweepError> {
    ensure_registered();
    std::fs::create_dir_all(out)
        .map_err(|e| SweepError::io(format!("cannot create {}", out.display()), e))?;
    let axes = choose_axes(sweep, options)?;
    let params = &sweep.design.parameters;
    let n = sweep.replications();
    let settings = sweep.base.settings();
    let currency = settings.currency.clone();
    let whole_run = options.period.is_none();
    let when = match options.period {
        None => format!(
            "whole run: {} years from {}",
            format_value(Kind::Plain, settings.horizon_years),
            settings.start
        ),
        Some(k) => format!("period {k}"),
    };
    let lhs = matches!(sweep.design.method, Method::Lhs(_));
    let mut files = Vec::new();
    for (m, metric) in metrics.iter().enumerate() {
        let y_label = metric.label(&currency, whole_run);
        // Line plots (or error-bar scatters for Latin hypercubes).
        let mut shown = vec![axes.x];
        shown.extend(axes.lines);
        let groups = slices(sweep, &shown);
        for (key, members) in groups.iter().take(MAX_SLICES) {
            let x_levels = distinct(sweep, axes.x);
            let categories = (!numeric(&x_levels))
                .then(|| x_levels.iter().map(ToString::to_string).collect::<Vec<_>>());
            let x_of = |p: usize| -> f64 {
                let level = &sweep.design.points[p][axes.x];
                match &categories {
                    Some(_) => x_levels.iter().position(|l| l == level).unwrap_or(0) as f64,
                    None => level.as_f64().unwrap_or(0.0),
                }
            };
            let line_levels = axes.lines.map(|l| distinct(sweep, l));
            let mut series: Vec<Series> = Vec::new();
            let count = line_levels.as_ref().map_or(1, Vec::len);
            for s in 0..count {
                let mut pts: Vec<(f64, Stat)> = members
                    .iter()
                    .filter(|&&p| match (&line_levels, axes.lines) {
                        (Some(levels), Some(l)) => sweep.design.points[p][l] == levels[s],
                        _ => true,
                    })
                    .filter_map(|&p| stats[m][p].map(|st| (x_of(p), st)))
                    .collect();
                pts.sort_by(|a, b| a.0.total_cmp(&b.0));
                let label = match (&line_levels, axes.lines) {
                    (Some(levels), Some(l)) => format!("{} = {}", params[l].path, levels[s]),
                    _ => "mean, 95 % CI".into(),
                };
                series.push(Series {
                    label,
                    color: COLORS[s % COLORS.len()],
                    points: pts,
                });
            }
            let mut subtitle = format!(
                "{}\nmean and 95 % CI over {n} replications (common random numbers); {when}",
                sweep.base.name()
            );
            if !key.is_empty() {
                subtitle = format!("{subtitle}\n{key}");
            }
            let figure = LineFigure {
                title: format!("{y_label} vs {}", params[axes.x].path),
                subtitle,
                x_label: params[axes.x].path.clone(),
                y_label: y_label.clone(),
                kind: metric.kind(),
                categories,
                series,
                band: !lhs,
            };
            let mut name = format!("{}-vs-{}", metric.slug(), slug(&params[axes.x].path));
            if groups.len() > 1 {
                name = format!("{name}-at-{}", slug(key));
            }
            files.extend(save(&figure, &out.join(name))?);
        }
        // Heat map.
        if let Some((hx, hy)) = axes.heat {
            let groups = slices(sweep, &[hx, hy]);
            for (key, members) in groups.iter().take(MAX_SLICES) {
                let cells = if lhs {
                    binned_cells(sweep, members, hx, hy, &stats[m])
                } else {
                    grid_cells(sweep, members, hx, hy, &stats[m])
                };
                let mut subtitle = format!(
                    "{}\nmean over {n} replications; {when}{}",
                    sweep.base.name(),
                    if lhs {
                        "; cells average the sampled points in them"
                    } else {
                        ""
                    }
                );
                if !key.is_empty() {
                    subtitle = format!("{subtitle}\n{key}");
                }
                let figure = HeatFigure {
                    title: y_label.clone(),
                    subtitle,
                    x_label: params[hx].path.clone(),
                    y_label: params[hy].path.clone(),
                    kind: metric.kind(),
                    cells,
                };
                let mut name = format!(
                    "{}-heatmap-{}-by-{}",
                    metric.slug(),
                    slug(&params[hx].path),
                    slug(&params[hy].path)
                );
                if groups.len() > 1 {
                    name = format!("{name}-at-{}", slug(key));
                }
                files.extend(save(&figure, &out.join(name))?);
            }
        }
    }
    Ok(files)
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

fn grid_cells(
    sweep: &Sweep,
    members: &[usize],
    hx: usize,
    hy: usize,
    stats: &[Option<Stat>],
) -> Vec<Cell> {
    let at = |p: usize, i: usize| sweep.design.points[p][i].as_f64().unwrap_or(0.0);
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
                value: stats[p].map(|s| s.mean),
            }
        })
        .collect()
}

fn binned_cells(
    sweep: &Sweep,
    members: &[usize],
    hx: usize,
    hy: usize,
    stats: &[Option<Stat>],
) -> Vec<Cell> {
    let at = |p: usize, i: usize| sweep.design.points[p][i].as_f64().unwrap_or(0.0);
    let bounds = |i: usize| match &sweep.design.parameters[i].values {
        super::design::Values::Range(r) => {
            let lo = match r.low {
                super::design::Number::Int(v) => v as f64,
                super::design::Number::Float(v) => v,
            };
            let hi = match r.high {
                super::design::Number::Int(v) => v as f64 + if r.is_integer() { 1.0 } else { 0.0 },
                super::design::Number::Float(v) => v,
            };
            (lo, hi.max(lo + 1e-9))
        }
        super::design::Values::List(_) => (0.0, 1.0),
    };
    let bins = ((members.len() as f64 / 3.0).sqrt().floor() as usize).clamp(2, 12);
    let ((x0, x1), (y0, y1)) = (bounds(hx), bounds(hy));
    let mut sums: BTreeMap<(usize, usize), (f64, usize)> = BTreeMap::new();
    for &p in members {
        let Some(s) = stats[p] else { continue };
        let bx = (((at(p, hx) - x0) / (x1 - x0)) * bins as f64).floor() as usize;
        let by = (((at(p, hy) - y0) / (y1 - y0)) * bins as f64).floor() as usize;
        let e = sums
            .entry((bx.min(bins - 1), by.min(bins - 1)))
            .or_insert((0.0, 0));
        e.0 += s.mean;
        e.1 += 1;
    }
    let (wx, wy) = ((x1 - x0) / bins as f64, (y1 - y0) / bins as f64);
    let mut cells = Vec::new();
    for bx in 0..bins {
        for by in 0..bins {
            cells.push(Cell {
                x: (x0 + bx as f64 * wx, x0 + (bx + 1) as f64 * wx),
                y: (y0 + by as f64 * wy, y0 + (by + 1) as f64 * wy),
                value: sums.get(&(bx, by)).map(|(s, c)| s / *c as f64),
            });
        }
    }
    cells
}

/// Something that can be drawn on any plotters backend.
trait Figure {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String>;
}

/// Write `figure` as `stem.png` and `stem.svg`.
fn save(figure: &impl Figure, stem: &Path) -> Result<Vec<PathBuf>, SweepError> {
    let png = stem.with_extension("png");
    let svg = stem.with_extension("svg");
    let fail = |path: &Path, message: String| SweepError::Plot {
        path: path.to_path_buf(),
        message,
    };
    {
        let root = BitMapBackend::new(&png, SIZE).into_drawing_area();
        figure.draw(&root).map_err(|e| fail(&png, e))?;
        root.present().map_err(|e| fail(&png, e.to_string()))?;
    }
    {
        let root = SVGBackend::new(&svg, SIZE).into_drawing_area();
        figure.draw(&root).map_err(|e| fail(&svg, e))?;
        root.present().map_err(|e| fail(&svg, e.to_string()))?;
    }
    Ok(vec![png, svg])
}

fn text<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

/// Title and subtitle above the plot; returns the area below.
fn header<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    subtitle: &str,
) -> Result<DrawingArea<DB, Shift>, String> {
    root.fill(&WHITE).map_err(text)?;
    let lines: Vec<&str> = subtitle.lines().collect();
    let (head, body) = root.split_vertically(50 + 18 * lines.len() as u32);
    head.draw_text(title, &(FAMILY, 22).into_font().color(&BLACK), (20, 12))
        .map_err(text)?;
    let grey = (FAMILY, 13).into_font().color(&RGBColor(90, 90, 90));
    for (i, line) in lines.iter().enumerate() {
        head.draw_text(line, &grey, (20, 44 + 18 * i as i32))
            .map_err(text)?;
    }
    Ok(body)
}

fn padded(lo: f64, hi: f64, share: f64) -> (f64, f64) {
    if !(lo.is_finite() && hi.is_finite()) {
        return (0.0, 1.0);
    }
    if hi - lo <= f64::EPSILON * hi.abs().max(1.0) {
        let d = if lo == 0.0 { 1.0 } else { lo.abs() * 0.05 };
        return (lo - d, hi + d);
    }
    let pad = (hi - lo) * share;
    (lo - pad, hi + pad)
}

struct Series {
    label: String,
    color: RGBColor,
    points: Vec<(f64, Stat)>,
}

struct LineFigure {
    title: String,
    subtitle: String,
    x_label: String,
    y_label: String,
    kind: Kind,
    categories: Option<Vec<String>>,
    series: Vec<Series>,
    band: bool,
}

impl Figure for LineFigure {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let body = header(root, &self.title, &self.subtitle)?;
        let all = self.series.iter().flat_map(|s| s.points.iter());
        let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for (x, s) in all {
            x0 = x0.min(*x);
            x1 = x1.max(*x);
            y0 = y0.min(s.low);
            y1 = y1.max(s.high);
        }
        let (x0, x1) = match &self.categories {
            Some(c) => (-0.5, c.len() as f64 - 0.5),
            None => padded(x0, x1, 0.03),
        };
        let (y0, y1) = padded(y0, y1, 0.06);
        let mut chart = ChartBuilder::on(&body)
            .margin(20)
            .margin_top(4)
            .x_label_area_size(55)
            .y_label_area_size(105)
            .build_cartesian_2d(x0..x1, y0..y1)
            .map_err(text)?;
        let kind = self.kind;
        let y_format = move |v: &f64| format_value(kind, *v);
        let x_format = |v: &f64| match &self.categories {
            Some(c) => {
                let i = v.round();
                if (v - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < c.len() {
                    c[i as usize].clone()
                } else {
                    String::new()
                }
            }
            None => format_value(Kind::Plain, *v),
        };
        chart
            .configure_mesh()
            .x_desc(self.x_label.as_str())
            .y_desc(self.y_label.as_str())
            .label_style((FAMILY, 14))
            .axis_desc_style((FAMILY, 15))
            .x_labels(self.categories.as_ref().map_or(12, |c| c.len() * 2 + 1))
            .y_labels(10)
            .x_label_formatter(&x_format)
            .y_label_formatter(&y_format)
            .bold_line_style(RGBColor(225, 225, 225))
            .light_line_style(TRANSPARENT)
            .draw()
            .map_err(text)?;
        for s in &self.series {
            let color = s.color;
            if self.band && s.points.len() > 1 {
                let mut outline: Vec<(f64, f64)> =
                    s.points.iter().map(|(x, st)| (*x, st.high)).collect();
                outline.extend(s.points.iter().rev().map(|(x, st)| (*x, st.low)));
                chart
                    .draw_series(std::iter::once(Polygon::new(
                        outline,
                        color.mix(0.18).filled(),
                    )))
                    .map_err(text)?;
            }
            if self.band {
                chart
                    .draw_series(LineSeries::new(
                        s.points.iter().map(|(x, st)| (*x, st.mean)),
                        color.stroke_width(2),
                    ))
                    .map_err(text)?
                    .label(s.label.as_str())
                    .legend(move |(x, y)| {
                        PathElement::new(vec![(x, y), (x + 22, y)], color.stroke_width(3))
                    });
            } else {
                chart
                    .draw_series(s.points.iter().map(|(x, st)| {
                        ErrorBar::new_vertical(*x, st.low, st.mean, st.high, color.mix(0.6), 6)
                    }))
                    .map_err(text)?
                    .label(s.label.as_str())
                    .legend(move |(x, y)| Circle::new((x + 10, y), 4, color.filled()));
            }
            chart
                .draw_series(
                    s.points
                        .iter()
                        .map(|(x, st)| Circle::new((*x, st.mean), 3, color.filled())),
                )
                .map_err(text)?;
        }
        chart
            .configure_series_labels()
            .label_font((FAMILY, 13))
            .background_style(WHITE.mix(0.85))
            .border_style(RGBColor(200, 200, 200))
            .position(SeriesLabelPosition::UpperRight)
            .draw()
            .map_err(text)?;
        Ok(())
    }
}

struct Cell {
    x: (f64, f64),
    y: (f64, f64),
    value: Option<f64>,
}

struct HeatFigure {
    title: String,
    subtitle: String,
    x_label: String,
    y_label: String,
    kind: Kind,
    cells: Vec<Cell>,
}

impl Figure for HeatFigure {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let body = header(root, &self.title, &self.subtitle)?;
        let width = body.dim_in_pixel().0;
        let (main, bar) = body.split_horizontally(width.saturating_sub(170));
        let fold = |f: fn(f64, f64) -> f64, init: f64, g: fn(&Cell) -> f64| {
            self.cells.iter().map(g).fold(init, f)
        };
        let x0 = fold(f64::min, f64::MAX, |c| c.x.0);
        let x1 = fold(f64::max, f64::MIN, |c| c.x.1);
        let y0 = fold(f64::min, f64::MAX, |c| c.y.0);
        let y1 = fold(f64::max, f64::MIN, |c| c.y.1);
        let values: Vec<f64> = self.cells.iter().filter_map(|c| c.value).collect();
        let v0 = values.iter().copied().fold(f64::MAX, f64::min);
        let v1 = values.iter().copied().fold(f64::MIN, f64::max);
        let (v0, v1) = if values.is_empty() {
            (0.0, 1.0)
        } else if v1 > v0 {
            (v0, v1)
        } else {
            padded(v0, v1, 0.0)
        };
        let mut chart = ChartBuilder::on(&main)
            .margin(20)
            .margin_top(4)
            .x_label_area_size(55)
            .y_label_area_size(90)
            .build_cartesian_2d(x0..x1, y0..y1)
            .map_err(text)?;
        let plain = |v: &f64| format_value(Kind::Plain, *v);
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc(self.x_label.as_str())
            .y_desc(self.y_label.as_str())
            .label_style((FAMILY, 14))
            .axis_desc_style((FAMILY, 15))
            .x_label_formatter(&plain)
            .y_label_formatter(&plain)
            .draw()
            .map_err(text)?;
        let color_of = |v: f64| ViridisRGB.get_color_normalized(v, v0, v1);
        chart
            .draw_series(self.cells.iter().map(|c| {
                let fill = match c.value {
                    Some(v) => color_of(v).filled(),
                    None => RGBColor(230, 230, 230).filled(),
                };
                Rectangle::new([(c.x.0, c.y.0), (c.x.1, c.y.1)], fill)
            }))
            .map_err(text)?;
        if self.cells.len() <= 150 {
            let kind = self.kind;
            chart
                .draw_series(self.cells.iter().filter_map(|c| {
                    let v = c.value?;
                    let light = (v - v0) / (v1 - v0) > 0.6;
                    let ink = if light { BLACK } else { WHITE };
                    let style = (FAMILY, 11)
                        .into_font()
                        .color(&ink)
                        .pos(Pos::new(HPos::Center, VPos::Center));
                    Some(Text::new(
                        format_short(kind, v),
                        ((c.x.0 + c.x.1) / 2.0, (c.y.0 + c.y.1) / 2.0),
                        style,
                    ))
                }))
                .map_err(text)?;
        }
        // Colour bar.
        let mut scale = ChartBuilder::on(&bar)
            .margin(20)
            .margin_top(4)
            .x_label_area_size(55)
            .y_label_area_size(100)
            .build_cartesian_2d(0.0..1.0, v0..v1)
            .map_err(text)?;
        let kind = self.kind;
        let y_format = move |v: &f64| format_value(kind, *v);
        scale
            .configure_mesh()
            .disable_mesh()
            .disable_x_axis()
            .label_style((FAMILY, 12))
            .y_labels(8)
            .y_label_formatter(&y_format)
            .draw()
            .map_err(text)?;
        let steps = 100;
        scale
            .draw_series((0..steps).map(|i| {
                let a = v0 + (v1 - v0) * i as f64 / steps as f64;
                let b = v0 + (v1 - v0) * (i + 1) as f64 / steps as f64;
                Rectangle::new([(0.0, a), (1.0, b)], color_of((a + b) / 2.0).filled())
            }))
            .map_err(text)?;
        Ok(())
    }
}
