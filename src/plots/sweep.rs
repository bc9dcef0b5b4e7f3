//! Drawing the figures of a sweep ([`crate::sweep::figures`] decides what
//! they show): a metric against a parameter, and a heat map over two
//! ranges, in the look of every other figure.

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::chart::{XyAxes, band, line, whisker, xy_chart};
use super::style::{
    AXIS, Extent, INK, LegendItem, Mark, TICK, header, legend, padded, rung_color, text,
    with_legend,
};
use super::{Figure, PLOTS_DIR, PlotError};
use crate::sweep::SweepError;
use crate::sweep::figures::{
    HeatFigure, LineFigure, PlotOptions, SweepFigure, Unit, sweep_figures,
};

/// The y label of the unmet-need panel of a cost figure.
const UNMET_NEED_PANEL: &str = "Unmet need (child-years per year)";

/// The y label of the follow-up-delay panel of a cost figure.
const DELAY_PANEL: &str = "Follow-up delay (weeks)";

/// Width of the colour bar (with its labels) beside a heat map.
const COLOUR_BAR: u32 = 190;

/// Draw the figures of the complete sweep in `dir` into `dir/plots`;
/// returns the files written (PNG and SVG of each).
pub fn write_sweep_plots(dir: &Path, options: &PlotOptions) -> Result<Vec<PathBuf>, SweepError> {
    let figures = sweep_figures(dir, options)?;
    let out = dir.join(PLOTS_DIR);
    let mut files = Vec::new();
    for f in &figures {
        let written = Figure::Sweep(f).write(&out).map_err(|e| SweepError::Plot {
            path: out.join(f.file_stem()),
            message: e.to_string(),
        })?;
        files.extend(written);
    }
    Ok(files)
}

/// The subtitle lines as one text for [`header`].
fn subtitle(lines: &[String]) -> String {
    lines.join("\n")
}

/// Draw a sweep figure.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    figure: &SweepFigure,
) -> Result<(), PlotError> {
    match figure {
        SweepFigure::Lines(f) => lines(root, f),
        SweepFigure::Heat(f) => heat_map(root, f),
    }
}

/// A metric against a parameter: lines with CI bands (grids) or points
/// with CI error bars (Latin hypercubes), one colour per series. A cost
/// figure has two panels below with the unmet need and the follow-up delay
/// at the same points (the welfare side of the cost).
fn lines<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    f: &LineFigure,
) -> Result<(), PlotError> {
    let area = header(root, &f.title, &subtitle(&f.subtitle))?;
    let (plot, legend_area) = with_legend(&area);
    match &f.welfare {
        None => panel(&plot, f, &f.series, &f.y_label, f.unit)?,
        Some(welfare) => {
            let height = plot.dim_in_pixel().1;
            let (top, rest) = plot.split_vertically(height * 50 / 100);
            let (middle, bottom) = rest.split_vertically(height * 25 / 100);
            panel(&top, f, &f.series, &f.y_label, f.unit)?;
            panel(
                &middle,
                f,
                &welfare.unmet_need,
                UNMET_NEED_PANEL,
                Unit::Number,
            )?;
            panel(&bottom, f, &welfare.delay, DELAY_PANEL, Unit::Number)?;
        }
    }
    let items: Vec<LegendItem> = f
        .series
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mark = if f.bands {
                Mark::LineBand(rung_color(i))
            } else {
                Mark::Whisker(rung_color(i))
            };
            LegendItem::new(mark, s.label.clone())
        })
        .collect();
    legend(&legend_area, &items)
}

/// One panel of a line figure: `series` against the figure's x axis.
fn panel<DB: DrawingBackend>(
    plot: &DrawingArea<DB, Shift>,
    f: &LineFigure,
    series: &[crate::sweep::figures::Series],
    y_label: &str,
    unit: Unit,
) -> Result<(), PlotError> {
    let points = series.iter().flat_map(|s| s.points.iter());
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for (x, e) in points {
        x0 = x0.min(*x);
        x1 = x1.max(*x);
        y0 = y0.min(e.low);
        y1 = y1.max(e.high);
    }
    let x = match (&f.categories, f.x_range) {
        (Some(c), _) => -0.5..c.len() as f64 - 0.5,
        (None, Some((lo, hi))) => lo..hi,
        (None, None) => padded(x0, x1, Extent::Data),
    };
    let y = padded(y0, y1, Extent::Data);
    let y_format = move |v: &f64| unit.format(*v);
    let x_format = |v: &f64| match &f.categories {
        Some(c) => {
            let i = v.round();
            if (v - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < c.len() {
                c[i as usize].clone()
            } else {
                String::new()
            }
        }
        None => Unit::Number.format(*v),
    };
    let mut chart = xy_chart(
        plot,
        &XyAxes {
            x_desc: &f.x_label,
            y_desc: y_label,
            x_format: &x_format,
            y_format: &y_format,
            x_labels: f.categories.as_ref().map_or(10, |c| c.len() * 2 + 1),
            y_label_width: if f.unit == Unit::Money { 150 } else { 100 },
        },
        x.clone(),
        y,
    )?;
    let cap = 0.008 * (x.end - x.start);
    for (i, s) in series.iter().enumerate() {
        let color = rung_color(i);
        let xs: Vec<f64> = s.points.iter().map(|(x, _)| *x).collect();
        let pick = |g: fn(&crate::sweep::figures::Estimate) -> f64| -> Vec<f64> {
            s.points.iter().map(|(_, e)| g(e)).collect()
        };
        if f.bands {
            band(&mut chart, &xs, &pick(|e| e.low), &pick(|e| e.high), color)?;
            line(&mut chart, &xs, &pick(|e| e.mean), color)?;
        } else {
            for (x, e) in &s.points {
                whisker(&mut chart, *x, (e.low, e.mean, e.high), color, cap)?;
            }
            if s.trend.len() > 1 {
                chart.draw_series(std::iter::once(PathElement::new(
                    s.trend.clone(),
                    color.mix(0.85).stroke_width(3),
                )))?;
            }
        }
    }
    Ok(())
}

/// A metric over two ranges: coloured cells with their values, and a
/// labelled colour bar.
fn heat_map<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    f: &HeatFigure,
) -> Result<(), PlotError> {
    let area = header(root, &f.title, &subtitle(&f.subtitle))?;
    let width = area.dim_in_pixel().0;
    let (main, bar) = area.split_horizontally(width.saturating_sub(COLOUR_BAR));
    let edge = |pick: fn(&crate::sweep::figures::Cell) -> f64, low: bool| {
        let init = if low { f64::MAX } else { f64::MIN };
        f.cells
            .iter()
            .map(pick)
            .fold(init, |a, b| if low { a.min(b) } else { a.max(b) })
    };
    let x = edge(|c| c.x.0, true)..edge(|c| c.x.1, false);
    let y = edge(|c| c.y.0, true)..edge(|c| c.y.1, false);
    let values: Vec<f64> = f.cells.iter().filter_map(|c| c.value).collect();
    let v0 = values.iter().copied().fold(f64::MAX, f64::min);
    let v1 = values.iter().copied().fold(f64::MIN, f64::max);
    let scale = if values.is_empty() {
        0.0..1.0
    } else if v1 > v0 {
        v0..v1
    } else {
        padded(v0, v1, Extent::Data)
    };
    let plain = |v: &f64| Unit::Number.format(*v);
    let mut chart = xy_chart(
        &main,
        &XyAxes {
            x_desc: &f.x_label,
            y_desc: &f.y_label,
            x_format: &plain,
            y_format: &plain,
            x_labels: 10,
            y_label_width: 90,
        },
        x,
        y,
    )?;
    let color_of = |v: f64| ViridisRGB.get_color_normalized(v, scale.start, scale.end);
    chart.draw_series(f.cells.iter().map(|c| {
        let fill = match c.value {
            Some(v) => color_of(v).filled(),
            None => RGBColor(230, 230, 230).filled(),
        };
        Rectangle::new([(c.x.0, c.y.0), (c.x.1, c.y.1)], fill)
    }))?;
    if f.cells.len() <= 150 {
        chart.draw_series(f.cells.iter().filter_map(|c| {
            let v = c.value?;
            let light = (v - scale.start) / (scale.end - scale.start) > 0.6;
            let ink = if light { INK } else { WHITE };
            Some(Text::new(
                f.unit.format_compact(v),
                ((c.x.0 + c.x.1) / 2.0, (c.y.0 + c.y.1) / 2.0),
                text(TICK - 3.0, &ink).pos(Pos::new(HPos::Center, VPos::Center)),
            ))
        }))?;
    }
    // The colour bar, labelled with the metric.
    let unit = f.unit;
    let y_format = move |v: &f64| unit.format_compact(*v);
    let no_label = |_: &f64| String::new();
    let mut bar_chart = ChartBuilder::on(&bar)
        .margin_top(10)
        .margin_right(8)
        .x_label_area_size(64)
        .y_label_area_size(100)
        .build_cartesian_2d(0.0..1.0, scale.clone())?;
    bar_chart
        .configure_mesh()
        .disable_mesh()
        .disable_x_axis()
        .axis_style(INK.mix(0.6).stroke_width(1))
        .y_labels(7)
        .x_label_formatter(&no_label)
        .y_label_formatter(&y_format)
        .label_style(text(TICK, &INK))
        .axis_desc_style(text(AXIS, &INK))
        .y_desc(format!("Colour: {}", f.title))
        .draw()?;
    let steps = 100;
    let (a, b) = (scale.start, scale.end);
    bar_chart.draw_series((0..steps).map(|i| {
        let lo = a + (b - a) * i as f64 / steps as f64;
        let hi = a + (b - a) * (i + 1) as f64 / steps as f64;
        Rectangle::new([(0.0, lo), (1.0, hi)], color_of((lo + hi) / 2.0).filled())
    }))?;
    Ok(())
}
