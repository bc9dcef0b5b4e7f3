//! Figures of one run: budget, unmet need, placement mix, cases by rung,
//! follow-up delay and caseload.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::PlotError;
use super::chart::{Axes, band, line, period_chart, period_xs, stacked_bars, whisker};
use super::style::{
    ASSESSMENT, BREAKDOWNS, Extent, FIXED, INK, LegendItem, Mark, WORKFORCE, header, legend, note,
    padded, period_axis, period_labels, period_word, rung_color, text, with_legend,
};
use crate::format::ENGLISH;
use crate::metrics::Metric;
use crate::results::read::RunSummary;

/// "Projected budget per quarter".
pub fn budget_title(r: &RunSummary) -> String {
    format!(
        "Projected budget per {}",
        period_word(r.scenario.settings().period)
    )
}

fn subtitle(r: &RunSummary) -> String {
    format!("{} · {} replications", r.scenario.name(), r.replications)
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
    let area = header(
        root,
        &budget_title(r),
        &format!(
            "{} · mean of {} replications",
            r.scenario.name(),
            r.replications
        ),
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
    layers.push((
        mean("workforce"),
        WORKFORCE,
        "Caseworkers (salaries)".into(),
    ));
    layers.push((mean("fixed"), FIXED, "Fixed programme costs".into()));
    layers.push((
        mean("breakdowns"),
        BREAKDOWNS,
        "Placement breakdowns".into(),
    ));
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
        return note(
            &plot,
            "No costs: every cost parameter of this scenario is 0",
        );
    }
    let labels = period_labels(&r.table.periods, s.period);
    let y_desc = format!("{} per {}", s.currency, period_word(s.period));
    let mut chart = period_chart(
        &plot,
        &Axes {
            labels: &labels,
            x_desc: &period_axis(s.period),
            y_desc: &y_desc,
            y_format: &|v| ENGLISH.money(*v),
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
    items.push(LegendItem::new(
        Mark::Whisker(INK),
        "Total: mean and 90 % band (5th–95th percentile)",
    ));
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
    let area = header(
        root,
        "Placement mix: share of placed child-years by rung",
        &subtitle(r),
    )?;
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
        return note(&plot, "This ladder has no placement rungs.");
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
    let labels = period_labels(&r.table.periods, s.period);
    let mut chart = period_chart(
        &plot,
        &Axes {
            labels: &labels,
            x_desc: &period_axis(s.period),
            y_desc: "Share of placed child-years (%)",
            y_format: &|v| format!("{} %", ENGLISH.decimals(*v, 0)),
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
                    format!("{} %", ENGLISH.decimals(h, 0)),
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

/// Title of the unmet-need figure.
pub const UNMET_NEED_TITLE: &str = "Unmet need: child-years in 'needs more' by rung";

/// Average cases on each rung (child-years ÷ period length), with bands.
pub fn cases_by_rung<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: &RunSummary,
) -> Result<(), PlotError> {
    let s = r.scenario.settings();
    let mut lines: Vec<(String, RGBColor, String)> =
        vec![("assessment".into(), ASSESSMENT, "Under assessment".into())];
    lines.extend(rung_lines(r));
    let y_desc = format!("Children (average over the {})", period_word(s.period));
    let per_child = |k: usize| {
        let years = r.period_years(k);
        if years > 0.0 { 1.0 / years } else { 0.0 }
    };
    lines_with_bands(
        root,
        r,
        ("Cases by rung: average number of children", &y_desc, &|v| {
            ENGLISH.decimals(*v, 0)
        }),
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
    let mut lines = rung_lines(r);
    lines.push(("total".into(), INK, "All rungs".into()));
    let y_desc = format!("Child-years per {}", period_word(s.period));
    lines_with_bands(
        root,
        r,
        (UNMET_NEED_TITLE, &y_desc, &|v| {
            ENGLISH.plain(crate::format::significant(*v, 2))
        }),
        Metric::UnmetNeedChildYears,
        &lines,
        &|_| 1.0,
    )
}

/// Title of the waiting-list figure (placement capacity).
pub const WAITING_TITLE: &str = "Waiting lists: children waiting for a place at period end";

/// Title of the diverted-placements figure (placement capacity).
pub const DIVERTED_TITLE: &str = "Diverted placements: decisions that found the rung full";

/// Placement capacity: the children waiting for each rung with places just
/// before each period's end, with bands.
pub fn waiting<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: &RunSummary,
) -> Result<(), PlotError> {
    lines_with_bands(
        root,
        r,
        (WAITING_TITLE, "Children waiting", &|v| {
            ENGLISH.plain(crate::format::significant(*v, 2))
        }),
        Metric::WaitingEnd,
        &capacity_lines(r),
        &|_| 1.0,
    )
}

/// Placement capacity: decisions diverted per period because the wanted
/// rung was full, by wanted rung, with bands.
pub fn diverted<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: &RunSummary,
) -> Result<(), PlotError> {
    let y_desc = format!("Diverted per {}", period_word(r.scenario.settings().period));
    lines_with_bands(
        root,
        r,
        (DIVERTED_TITLE, &y_desc, &|v| {
            ENGLISH.plain(crate::format::significant(*v, 2))
        }),
        Metric::Diverted,
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
    let labels = period_labels(&r.table.periods, s.period);
    let mut chart = period_chart(
        &plot,
        &Axes {
            labels: &labels,
            x_desc: &period_axis(s.period),
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
    let area = header(root, "Follow-up delay and caseload", &subtitle(r))?;
    let h = area.dim_in_pixel().1;
    let (panels, legend_area) = area.split_vertically(h.saturating_sub(44));
    let w = panels.dim_in_pixel().0;
    let (left, right) = panels.split_horizontally(w / 2);
    let labels = period_labels(&r.table.periods, s.period);
    let x_desc = period_axis(s.period);
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
        let y_format = move |v: &f64| ENGLISH.decimals(*v, decimals);
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
        "Follow-up delay past due date",
        Metric::FollowUpDelayWeeks,
        "Weeks (mean over follow-ups)",
        1,
    )?;
    if r.scenario.final_params().workforce.is_some() {
        panel(
            &right,
            "Caseload",
            Metric::CaseloadMean,
            "Open cases per caseworker",
            0,
        )?;
    } else {
        note(&right, "No [workforce]: unlimited capacity, no caseload")?;
    }
    let legend_area = legend_area.margin(0, 0, 24, 0);
    legend(
        &legend_area,
        &[LegendItem::new(
            Mark::LineBand(color),
            "Mean, with the range of 90 % of replications shaded",
        )],
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
