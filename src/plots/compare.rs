//! Figures of a comparison: each scenario's levels, and the paired
//! differences from the base with their 95 % CIs.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::PlotError;
use super::chart::{Axes, band, hline, line, period_chart, period_xs, whisker};
use super::style::{
    Extent, INK, LegendItem, Mark, header, legend, legend_height, padded, period_axis,
    period_labels, scenario_color, text,
};
use crate::compare::Comparison;
use crate::language::{FigureWords, Language};
use crate::metrics::Metric;
use crate::scenario::Settings;

fn settings(c: &Comparison) -> &Settings {
    c.runs[0].scenario.settings()
}

/// The comparison's language (the base scenario's).
fn lang(c: &Comparison) -> Language {
    c.runs[0].scenario.language()
}

/// The figure words of the comparison's language.
fn words(c: &Comparison) -> &'static FigureWords {
    &lang(c).words().figures
}

/// The base's top placement rung (the "institution" of the ladder).
fn top(c: &Comparison) -> String {
    c.runs[0]
        .top_placement()
        .unwrap_or("institution")
        .to_string()
}

/// The top rung's id in words ("institution"), for titles.
fn top_label(c: &Comparison) -> String {
    let id = top(c);
    let label = c.runs[0]
        .scenario
        .params
        .steps
        .iter()
        .find(|r| r.id == id)
        .map_or(id.as_str(), |r| r.label.as_str());
    lang(c).rung_name(&id, label)
}

/// Title of the levels figure.
pub fn levels_title(c: &Comparison) -> String {
    (words(c).levels_title)(&top_label(c))
}

/// Title of the cost-difference figure.
pub fn cost_title(c: &Comparison) -> String {
    (words(c).cost_difference_title)(settings(c).period.name(lang(c)))
}

/// Title of the cumulative cost-difference figure.
pub fn cumulative_title(c: &Comparison) -> String {
    words(c).cumulative_title.into()
}

/// Title of the share-difference figure.
pub fn share_title(c: &Comparison) -> String {
    (words(c).share_difference_title)(&top_label(c))
}

/// An area split in two.
type Split<DB> = (DrawingArea<DB, Shift>, DrawingArea<DB, Shift>);

/// Split `area` into the plot and a legend at the bottom sized for `items`.
fn with_bottom_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    items: &[LegendItem],
) -> Result<Split<DB>, PlotError> {
    let (w, h) = area.dim_in_pixel();
    let need = legend_height(area, items, w.saturating_sub(48))?;
    let (plot, legend) = area.split_vertically(h.saturating_sub(need));
    Ok((plot, legend.margin(0, 0, 24, 24)))
}

/// A scenario's name, the base marked as such.
fn legend_name(c: &Comparison, i: usize) -> String {
    let name = c.runs[i].scenario.name();
    if i == 0 {
        (words(c).base_legend)(name)
    } else {
        name.to_string()
    }
}

/// Each scenario's total cost and top-rung share, with 90 % bands.
pub fn levels<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &Comparison,
) -> Result<(), PlotError> {
    let s = settings(c);
    let (lang, w) = (lang(c), words(c));
    let num = lang.numbers();
    let area = header(
        root,
        &levels_title(c),
        &(w.levels_subtitle)(s.period.name(lang), c.replications),
    )?;
    let items: Vec<LegendItem> = (0..c.runs.len())
        .map(|i| LegendItem::new(Mark::LineBand(scenario_color(i)), legend_name(c, i)))
        .collect();
    let (panels, legend_area) = with_bottom_legend(&area, &items)?;
    let h = panels.dim_in_pixel().1;
    let (upper, lower) = panels.split_vertically(h / 2);
    let labels = period_labels(&c.periods, s.period, lang);
    let x_desc = period_axis(s.period, lang);
    let top = top(c);
    let cost_desc = (w.money_per_period)(&lang.currency(&s.currency), &s.period.per(lang));
    let share_title = (w.top_share)(&top_label(c));
    let panel = |area: &DrawingArea<DB, Shift>,
                 title: &str,
                 metric: Metric,
                 step: &str,
                 scale: f64,
                 y_desc: &str,
                 y_format: &dyn Fn(&f64) -> String,
                 y_label_width: u32|
     -> Result<(), PlotError> {
        area.draw_text(&super::style::capitalise(title), &text(19.0, &INK), (16, 0))?;
        let body = area.split_vertically(30).1;
        let get = |i: usize, f: fn(&crate::results::stats::Summary) -> f64| -> Vec<f64> {
            (0..c.periods.len())
                .map(|k| {
                    c.runs[i]
                        .table
                        .get(metric, step, k)
                        .map_or(0.0, |s| f(s) * scale)
                })
                .collect()
        };
        let high = (0..c.runs.len())
            .flat_map(|i| get(i, |s| s.p95))
            .fold(0.0, f64::max);
        let mut chart = period_chart(
            &body,
            &Axes {
                labels: &labels,
                x_desc: &x_desc,
                y_desc,
                y_format,
                y_label_width,
            },
            padded(0.0, high, Extent::FromZero),
        )?;
        let xs = period_xs(c.periods.len());
        for i in 0..c.runs.len() {
            band(
                &mut chart,
                &xs,
                &get(i, |s| s.p05),
                &get(i, |s| s.p95),
                scenario_color(i),
            )?;
        }
        for i in 0..c.runs.len() {
            line(&mut chart, &xs, &get(i, |s| s.mean), scenario_color(i))?;
        }
        Ok(())
    };
    panel(
        &upper,
        w.total_cost,
        Metric::Cost,
        "total",
        1.0,
        &cost_desc,
        &|v| num.money(*v),
        150,
    )?;
    panel(
        &lower,
        &share_title,
        Metric::PlacementShare,
        &top,
        100.0,
        w.share_axis,
        &|v| num.percent(*v / 100.0, 0),
        150,
    )?;
    legend(&legend_area, &items)
}

/// Paired differences of one metric from the base, per period, with 95 %
/// CI whiskers for every alternative.
#[allow(clippy::too_many_arguments)]
fn differences<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &Comparison,
    title: &str,
    metric: Metric,
    step: &str,
    scale: f64,
    y_desc: &str,
    y_format: &dyn Fn(&f64) -> String,
    y_label_width: u32,
    unit: &str,
) -> Result<(), PlotError> {
    let s = settings(c);
    let (lang, w) = (lang(c), words(c));
    let area = header(root, title, &(w.differences_subtitle)(c.replications))?;
    let alternatives: Vec<usize> = (1..c.runs.len()).collect();
    let base = c.runs[0].scenario.name();
    let items: Vec<LegendItem> = alternatives
        .iter()
        .map(|&i| {
            LegendItem::new(
                Mark::Whisker(scenario_color(i)),
                (w.minus_base)(c.runs[i].scenario.name(), base),
            )
        })
        .collect();
    let (plot, legend_area) = with_bottom_legend(&area, &items)?;
    let n = c.periods.len();
    let rows: Vec<Vec<Option<(f64, f64, f64)>>> = alternatives
        .iter()
        .map(|&i| {
            (0..n)
                .map(|k| {
                    c.get(i, metric, step, k).map(|r| {
                        (
                            r.diff.ci95_low * scale,
                            r.diff.mean * scale,
                            r.diff.ci95_high * scale,
                        )
                    })
                })
                .collect()
        })
        .collect();
    let lo = rows
        .iter()
        .flatten()
        .flatten()
        .map(|v| v.0)
        .fold(0.0, f64::min);
    let hi = rows
        .iter()
        .flatten()
        .flatten()
        .map(|v| v.2)
        .fold(0.0, f64::max);
    let labels = period_labels(&c.periods, s.period, lang);
    let mut chart = period_chart(
        &plot,
        &Axes {
            labels: &labels,
            x_desc: &period_axis(s.period, lang),
            y_desc,
            y_format,
            y_label_width,
        },
        if lo == 0.0 && hi == 0.0 {
            -1.0..1.0 // identical scenarios: zero in the middle
        } else {
            padded(lo, hi, Extent::FromZero)
        },
    )?;
    hline(&mut chart, 0.0, n)?;
    let m = alternatives.len() as f64;
    for (j, (&i, row)) in alternatives.iter().zip(&rows).enumerate() {
        let offset = (j as f64 - (m - 1.0) / 2.0) * 0.14;
        for (k, v) in row.iter().enumerate() {
            if let Some(v) = v {
                whisker(&mut chart, k as f64 + offset, *v, scenario_color(i), 0.06)?;
                if alternatives.len() == 1 {
                    // The value, just beyond the whisker's end away from zero.
                    let (y, dy, side) = if v.1 <= 0.0 {
                        (v.0, 8, VPos::Top)
                    } else {
                        (v.2, -8, VPos::Bottom)
                    };
                    chart.draw_series(std::iter::once(
                        EmptyElement::at((k as f64, y))
                            + Text::new(
                                format!("{}{unit}", y_format(&v.1)),
                                (0, dy),
                                text(15.0, &INK).pos(Pos::new(HPos::Center, side)),
                            ),
                    ))?;
                }
            }
        }
    }
    legend(&legend_area, &items)
}

/// Difference in total cost from the base.
pub fn cost_difference<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &Comparison,
) -> Result<(), PlotError> {
    money_difference(root, c, &cost_title(c), Metric::Cost)
}

/// Difference from the base in a money metric's `total` row (total cost,
/// the cost of waiting), in the currency per period.
fn money_difference<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &Comparison,
    title: &str,
    metric: Metric,
) -> Result<(), PlotError> {
    let s = settings(c);
    let lang = lang(c);
    let num = lang.numbers();
    let y_desc = (words(c).money_per_period)(&lang.currency(&s.currency), &s.period.per(lang));
    differences(
        root,
        c,
        title,
        metric,
        "total",
        1.0,
        &y_desc,
        &|v| {
            let m = num.money(*v);
            if *v > 0.5 { format!("+{m}") } else { m }
        },
        150,
        "",
    )
}

/// Title of the unmet-need difference figure.
pub fn unmet_need_title(c: &Comparison) -> String {
    (words(c).unmet_need_difference_title)(settings(c).period.name(lang(c)))
}

/// Difference in unmet need (all rungs) from the base: the welfare side
/// beside [`cost_difference`].
pub fn unmet_need_difference<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &Comparison,
) -> Result<(), PlotError> {
    let num = lang(c).numbers();
    differences(
        root,
        c,
        &unmet_need_title(c),
        Metric::UnmetNeedChildYears,
        "total",
        1.0,
        words(c).child_years,
        &|v| {
            if v.abs() < 0.005 {
                "0".into() // never "-0.00"
            } else {
                let sign = if *v > 0.0 { "+" } else { "" };
                format!("{sign}{}", num.decimals(*v, 2))
            }
        },
        100,
        "",
    )
}

/// Title of the cost-of-waiting difference figure (placement capacity).
pub fn waiting_cost_title(c: &Comparison) -> String {
    let s = settings(c);
    (lang(c).words().capacity.waiting_cost_difference_title)(
        s.period.name(lang(c)),
        &lang(c).currency(&s.currency),
    )
}

/// Placement capacity: difference in what is spent on children placed
/// above the rung they wait for, from the base.
pub fn waiting_cost_difference<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &Comparison,
) -> Result<(), PlotError> {
    money_difference(root, c, &waiting_cost_title(c), Metric::WaitingCost)
}

/// Difference in the top placement rung's share from the base, in
/// percentage points.
pub fn share_difference<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &Comparison,
) -> Result<(), PlotError> {
    let lang = lang(c);
    let num = lang.numbers();
    let unit = format!(" {}", lang.words().headline.percentage_points);
    differences(
        root,
        c,
        &share_title(c),
        Metric::PlacementShare,
        &top(c),
        100.0,
        words(c).percentage_points,
        &|v| {
            if v.abs() < 0.05 {
                "0".into() // never "-0.0"
            } else {
                let sign = if *v > 0.0 { "+" } else { "" };
                format!("{sign}{}", num.decimals(*v, 1))
            }
        },
        100,
        &unit,
    )
}

/// The running sum of the paired total-cost difference from the start of
/// the run to the end of each period, with its 95 % CI band: where the
/// line crosses below zero for good, the alternative has paid for itself.
pub fn cumulative_cost_difference<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &Comparison,
) -> Result<(), PlotError> {
    let s = settings(c);
    let (lang, w) = (lang(c), words(c));
    let num = lang.numbers();
    let Some(totals) = &c.totals else {
        return Ok(());
    };
    let labels = period_labels(&c.periods, s.period, lang);
    let breaks: Vec<String> = (1..c.runs.len())
        .map(|i| match totals.break_even(i) {
            Some(k) => (w.break_even_at)(&labels[k]),
            None => w.no_break_even.into(),
        })
        .collect();
    let area = header(
        root,
        &cumulative_title(c),
        &(w.cumulative_subtitle)(s.period.name(lang), c.replications),
    )?;
    let base = c.runs[0].scenario.name();
    let items: Vec<LegendItem> = (1..c.runs.len())
        .map(|i| {
            LegendItem::new(
                Mark::LineBand(scenario_color(i)),
                format!(
                    "{}: {}",
                    (w.minus_base)(c.runs[i].scenario.name(), base),
                    breaks[i - 1]
                ),
            )
        })
        .collect();
    let (plot, legend_area) = with_bottom_legend(&area, &items)?;
    let n = c.periods.len();
    let series: Vec<Vec<crate::compare::Difference>> = (1..c.runs.len())
        .map(|i| {
            totals
                .cumulative_of(i, Metric::Cost, "total")
                .into_iter()
                .copied()
                .collect()
        })
        .collect();
    let lo = series
        .iter()
        .flatten()
        .map(|d| d.ci95_low)
        .fold(0.0, f64::min);
    let hi = series
        .iter()
        .flatten()
        .map(|d| d.ci95_high)
        .fold(0.0, f64::max);
    let y_format = |v: &f64| {
        let m = num.money(*v);
        if *v > 0.5 { format!("+{m}") } else { m }
    };
    let mut chart = period_chart(
        &plot,
        &Axes {
            labels: &labels,
            x_desc: &period_axis(s.period, lang),
            y_desc: &(w.cumulative_axis)(&lang.currency(&s.currency)),
            y_format: &y_format,
            y_label_width: 150,
        },
        if lo == 0.0 && hi == 0.0 {
            -1.0..1.0
        } else {
            padded(lo, hi, Extent::FromZero)
        },
    )?;
    hline(&mut chart, 0.0, n)?;
    let xs = period_xs(n);
    for (j, d) in series.iter().enumerate() {
        let low: Vec<f64> = d.iter().map(|d| d.ci95_low).collect();
        let high: Vec<f64> = d.iter().map(|d| d.ci95_high).collect();
        band(&mut chart, &xs, &low, &high, scenario_color(j + 1))?;
    }
    for (j, d) in series.iter().enumerate() {
        let mean: Vec<f64> = d.iter().map(|d| d.mean).collect();
        line(&mut chart, &xs, &mean, scenario_color(j + 1))?;
    }
    legend(&legend_area, &items)
}
