//! Figures of one run: budget, unmet need, placement mix, cases by rung,
//! follow-up delay and caseload.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::PlotError;
use super::chart::{Axes, band, line, period_chart, period_xs, stacked_bars, whisker};
use super::style::{
    ASSESSMENT, BREAKDOWNS, Extent, FIXED, INK, LegendItem, Mark, WORKFORCE, header, legend, note,
    padded, period_axis, period_labels, rung_color, text, with_legend,
};
use crate::language::{FigureWords, Language};
use crate::metrics::Metric;
use crate::results::read::RunSummary;

/// The run's language.
fn lang(r: &RunSummary) -> Language {
    r.scenario.language()
}

/// The figure words of the run's language.
fn words(r: &RunSummary) -> &'static FigureWords {
    &lang(r).words().figures
}

/// "Projected budget per quarter".
pub fn budget_title(r: &RunSummary) -> String {
    (words(r).budget_title)(r.scenario.settings().period.name(lang(r)))
}

fn subtitle(r: &RunSummary) -> String {
    (words(r).run_subtitle)(r.scenario.name(), r.replications)
}

/// Per-period values of `f(summary)` for one row (0 where absent).
fn series(
    r: &RunSummary,
    metric: Metric,
    step: &str,
    f: impl Fn(f64, f64, f64) -> f64,
) -> Vec<f64> {
    (0..r.table.periods.len())
        .map(|k| {
            r.table
                .get(metric, step, k)
                .map_or(0.0, |s| f(s.mean, s.p05, s.p95))
        })
        .collect()
}

/// Budget: cost components stacked, total with its 90 % band.
pub fn budget<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: &RunSummary,
) -> Result<(), PlotError> {
    let s = r.scenario.settings();
    let (lang, w) = (lang(r), words(r));
    let num = lang.numbers();
    let area = header(
        root,
        &budget_title(r),
        &(w.budget_subtitle)(r.scenario.name(), r.replications),
    )?;
    let (plot, legend_area) = with_legend(&area);
    let mean = |step: &str| r.table.means(Metric::Cost, step);
    let mut layers: Vec<(Vec<f64>, RGBColor, String)> = r
        .scenario
        .params
        .steps
        .iter()
        .enumerate()
        .map(|(i, rung)| (mean(&rung.id), rung_color(i), rung.label.clone()))
        .collect();
    layers.push((mean("workforce"), WORKFORCE, w.workforce_cost.into()));
    layers.push((mean("fixed"), FIXED, w.fixed_cost.into()));
    layers.push((mean("breakdowns"), BREAKDOWNS, w.breakdown_cost.into()));
    layers.retain(|(v, _, _)| v.iter().any(|&x| x > 0.0));

    let total = |f: fn(f64, f64, f64) -> f64| series(r, Metric::Cost, "total", f);
    let (t_mean, t_low, t_high) = (total(|m, _, _| m), total(|_, l, _| l), total(|_, _, h| h));
    let n = r.table.periods.len();
    let stack_max = (0..n)
        .map(|k| layers.iter().map(|l| l.0[k].max(0.0)).sum::<f64>())
        .fold(0.0, f64::max);
    let y = padded(
        0.0,
        t_high.iter().copied().fold(stack_max, f64::max),
        Extent::FromZero,
    );
    if layers.is_empty() && t_high.iter().all(|&v| v == 0.0) {
        return note(&plot, w.no_costs);
    }
    let labels = period_labels(&r.table.periods, s.period, lang);
    let y_desc = (w.money_per_period)(&lang.currency(&s.currency), &s.period.per(lang));
    let mut chart = period_chart(
        &plot,
        &Axes {
            labels: &labels,
            x_desc: &period_axis(s.period, lang),
            y_desc: &y_desc,
            y_format: &|v| num.money(*v),
            y_label_width: 150,
        },
        y,
    )?;
    let bars: Vec<(Vec<f64>, RGBColor)> = layers.iter().map(|l| (l.0.clone(), l.1)).collect();
    stacked_bars(&mut chart, &bars, 0.62)?;
    for k in 0..n {
        whisker(
            &mut chart,
            k as f64,
            (t_low[k], t_mean[k], t_high[k]),
            INK,
            0.08,
        )?;
    }
    let mut items: Vec<LegendItem> = layers
        .iter()
        .rev()
        .map(|(_, c, label)| LegendItem::new(Mark::Swatch(*c), label.clone()))
        .collect();
    items.push(LegendItem::new(Mark::Whisker(INK), w.total_band));
    legend(&legend_area, &items)
}

/// Whether white text reads well on `c`.
fn dark(c: RGBColor) -> bool {
    let RGBColor(r, g, b) = c;
    0.299 * f64::from(r) + 0.587 * f64::from(g) + 0.114 * f64::from(b) < 150.0
}

/// Placement mix: each placement rung's share, stacked to 100 %.
pub fn placement_mix<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: &RunSummary,
) -> Result<(), PlotError> {
    let s = r.scenario.settings();
    let (lang, w) = (lang(r), words(r));
    let num = lang.numbers();
    let area = header(root, w.placement_mix_title, &subtitle(r))?;
    let (plot, legend_area) = with_legend(&area);
    let n = r.table.periods.len();
    let placements: Vec<(usize, &crate::scenario::Rung)> = r
        .scenario
        .params
        .steps
        .iter()
        .enumerate()
        .filter(|(_, rung)| rung.placement)
        .collect();
    if placements.is_empty() {
        return note(&plot, w.no_placements);
    }
    let mut layers: Vec<(Vec<f64>, RGBColor)> = placements
        .iter()
        .map(|(i, rung)| {
            (
                r.table.means(Metric::PlacementShare, &rung.id),
                rung_color(*i),
            )
        })
        .collect();
    for k in 0..n {
        let sum: f64 = layers.iter().map(|l| l.0[k]).sum();
        for l in &mut layers {
            l.0[k] = if sum > 0.0 { 100.0 * l.0[k] / sum } else { 0.0 };
        }
    }
    let labels = period_labels(&r.table.periods, s.period, lang);
    let mut chart = period_chart(
        &plot,
        &Axes {
            labels: &labels,
            x_desc: &period_axis(s.period, lang),
            y_desc: w.placement_share_axis,
            y_format: &|v| num.percent(*v / 100.0, 0),
            y_label_width: 100,
        },
        0.0..100.0,
    )?;
    stacked_bars(&mut chart, &layers, 0.62)?;
    for k in 0..n {
        let mut base = 0.0;
        for (values, color) in &layers {
            let h = values[k];
            if h >= 4.0 {
                let ink = if dark(*color) { WHITE } else { INK };
                chart.draw_series(std::iter::once(Text::new(
                    num.percent(h / 100.0, 0),
                    (k as f64, base + h / 2.0),
                    text(15.0, &ink).pos(Pos::new(HPos::Center, VPos::Center)),
                )))?;
            }
            base += h;
        }
    }
    let items: Vec<LegendItem> = placements
        .iter()
        .rev()
        .map(|(i, rung)| LegendItem::new(Mark::Swatch(rung_color(*i)), rung.label.clone()))
        .collect();
    legend(&legend_area, &items)
}

/// Average cases on each rung (child-years ÷ period length), with bands.
pub fn cases_by_rung<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: &RunSummary,
) -> Result<(), PlotError> {
    let s = r.scenario.settings();
    let (lang, w) = (lang(r), words(r));
    let num = lang.numbers();
    let mut lines: Vec<(String, RGBColor, String)> =
        vec![("assessment".into(), ASSESSMENT, w.under_assessment.into())];
    lines.extend(rung_lines(r));
    let y_desc = (w.children_axis)(s.period.name(lang));
    let per_child = |k: usize| {
        let years = r.period_years(k);
        if years > 0.0 { 1.0 / years } else { 0.0 }
    };
    lines_with_bands(
        root,
        r,
        (w.cases_by_rung_title, &y_desc, &|v| num.decimals(*v, 0)),
        Metric::ChildYears,
        &lines,
        &per_child,
    )
}

/// Unmet need per period (child-years in the hidden state `needs_more`),
/// by rung and for all rungs, with bands: the welfare side of the budget.
pub fn unmet_need<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: &RunSummary,
) -> Result<(), PlotError> {
    let s = r.scenario.settings();
    let (lang, w) = (lang(r), words(r));
    let num = lang.numbers();
    let mut lines = rung_lines(r);
    lines.push(("total".into(), INK, w.all_rungs.into()));
    let y_desc = (w.child_years_axis)(&s.period.per(lang));
    lines_with_bands(
        root,
        r,
        (w.unmet_need_title, &y_desc, &|v| {
            num.plain(crate::format::significant(*v, 2))
        }),
        Metric::UnmetNeedChildYears,
        &lines,
        &|_| 1.0,
    )
}

/// Placement capacity: the children waiting for each rung with places just
/// before each period's end, with bands.
pub fn waiting<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: &RunSummary,
) -> Result<(), PlotError> {
    let w = &lang(r).words().capacity;
    capacity_figure(
        root,
        r,
        (w.waiting_title, w.children_waiting),
        Metric::WaitingEnd,
    )
}

/// Placement capacity: decisions diverted per period because the wanted
/// rung was full, by wanted rung, with bands.
pub fn diverted<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: &RunSummary,
) -> Result<(), PlotError> {
    let w = &lang(r).words().capacity;
    let y_desc = (w.diverted_axis)(&r.scenario.settings().period.per(lang(r)));
    capacity_figure(root, r, (w.diverted_title, &y_desc), Metric::Diverted)
}

/// One line per rung with places of a capacity `metric`, with bands,
/// under (title, y-axis description).
fn capacity_figure<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: &RunSummary,
    (title, y_desc): (&str, &str),
    metric: Metric,
) -> Result<(), PlotError> {
    let num = lang(r).numbers();
    lines_with_bands(
        root,
        r,
        (title, y_desc, &|v| {
            num.plain(crate::format::significant(*v, 2))
        }),
        metric,
        &capacity_lines(r),
        &|_| 1.0,
    )
}

/// (step, colour, label) of every rung with places, in ladder order.
fn capacity_lines(r: &RunSummary) -> Vec<(String, RGBColor, String)> {
    let steps = &r.scenario.params.steps;
    r.scenario
        .params
        .capacity_rungs
        .iter()
        .map(|&i| (steps[i].id.clone(), rung_color(i), steps[i].label.clone()))
        .collect()
}

/// (step, colour, label) of every rung, in ladder order.
fn rung_lines(r: &RunSummary) -> Vec<(String, RGBColor, String)> {
    r.scenario
        .params
        .steps
        .iter()
        .enumerate()
        .map(|(i, rung)| (rung.id.clone(), rung_color(i), rung.label.clone()))
        .collect()
}

/// A chart's title, y-axis description and y-axis number format.
type TitledAxes<'a> = (&'a str, &'a str, &'a dyn Fn(&f64) -> String);

/// One line per (step, colour, label) of `metric` per period, each value
/// times `scale(period)`, with its 90 % band (5th–95th percentile).
fn lines_with_bands<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: &RunSummary,
    (title, y_desc, y_format): TitledAxes,
    metric: Metric,
    lines: &[(String, RGBColor, String)],
    scale: &dyn Fn(usize) -> f64,
) -> Result<(), PlotError> {
    let s = r.scenario.settings();
    let area = header(root, title, &subtitle(r))?;
    let (plot, legend_area) = with_legend(&area);
    let per_child = |f: fn(f64, f64, f64) -> f64, step: &str| -> Vec<f64> {
        series(r, metric, step, f)
            .into_iter()
            .enumerate()
            .map(|(k, v)| v * scale(k))
            .collect()
    };
    let high = lines
        .iter()
        .flat_map(|(id, _, _)| per_child(|_, _, h| h, id))
        .fold(0.0, f64::max);
    let labels = period_labels(&r.table.periods, s.period, lang(r));
    let mut chart = period_chart(
        &plot,
        &Axes {
            labels: &labels,
            x_desc: &period_axis(s.period, lang(r)),
            y_desc,
            y_format,
            y_label_width: 90,
        },
        padded(0.0, high, Extent::FromZero),
    )?;
    let xs = period_xs(r.table.periods.len());
    for (id, color, _) in lines {
        band(
            &mut chart,
            &xs,
            &per_child(|_, l, _| l, id),
            &per_child(|_, _, h| h, id),
            *color,
        )?;
    }
    for (id, color, _) in lines {
        line(&mut chart, &xs, &per_child(|m, _, _| m, id), *color)?;
    }
    let items: Vec<LegendItem> = lines
        .iter()
        .map(|(_, c, label)| LegendItem::new(Mark::LineBand(*c), label.clone()))
        .collect();
    legend(&legend_area, &items)
}

/// Follow-up delay (left) and caseload per caseworker (right).
pub fn follow_up_caseload<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: &RunSummary,
) -> Result<(), PlotError> {
    let s = r.scenario.settings();
    let (lang, words) = (lang(r), words(r));
    let num = lang.numbers();
    let area = header(root, words.follow_up_title, &subtitle(r))?;
    let h = area.dim_in_pixel().1;
    let (panels, legend_area) = area.split_vertically(h.saturating_sub(44));
    let w = panels.dim_in_pixel().0;
    let (left, right) = panels.split_horizontally(w / 2);
    let labels = period_labels(&r.table.periods, s.period, lang);
    let x_desc = period_axis(s.period, lang);
    let color = rung_color(0);
    let panel = |area: &DrawingArea<DB, Shift>,
                 title: &str,
                 metric: Metric,
                 y_desc: &str,
                 decimals: usize|
     -> Result<(), PlotError> {
        area.draw_text(title, &text(19.0, &INK), (16, 0))?;
        let body = area.split_vertically(30).1;
        let mean = series(r, metric, "", |m, _, _| m);
        let low = series(r, metric, "", |_, l, _| l);
        let high = series(r, metric, "", |_, _, h| h);
        let top = high.iter().copied().fold(0.0, f64::max);
        let y_format = move |v: &f64| num.decimals(*v, decimals);
        let mut chart = period_chart(
            &body,
            &Axes {
                labels: &labels,
                x_desc: &x_desc,
                y_desc,
                y_format: &y_format,
                y_label_width: 90,
            },
            padded(0.0, top, Extent::FromZero),
        )?;
        let xs = period_xs(mean.len());
        band(&mut chart, &xs, &low, &high, color)?;
        line(&mut chart, &xs, &mean, color)
    };
    panel(
        &left,
        words.delay_panel,
        Metric::FollowUpDelayWeeks,
        words.delay_axis,
        1,
    )?;
    if r.scenario.final_params().workforce.is_some() {
        panel(
            &right,
            words.caseload_panel,
            Metric::CaseloadMean,
            words.caseload_axis,
            0,
        )?;
    } else {
        note(&right, words.no_caseload)?;
    }
    let legend_area = legend_area.margin(0, 0, 24, 0);
    legend(
        &legend_area,
        &[LegendItem::new(Mark::LineBand(color), words.mean_band)],
    )
}

#[cfg(test)]
mod tests {
    use super::dark;
    use plotters::style::RGBColor;

    #[test]
    fn picks_readable_label_ink() {
        assert!(dark(RGBColor(31, 78, 121)));
        assert!(!dark(RGBColor(237, 201, 72)));
    }
}
