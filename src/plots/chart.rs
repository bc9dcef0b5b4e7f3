//! Building blocks of every chart: the axes (over reporting periods or any
//! x), bands, lines, stacked bars and whiskers.

use std::ops::Range;

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use super::PlotError;
use super::style::{AXIS, GRID, INK, TICK, label_at, text};

/// A chart with a number on each axis (for period charts, period *k* at
/// x = k).
pub type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// What a period chart's axes show.
pub struct Axes<'f> {
    /// Tick label of each period.
    pub labels: &'f [String],
    /// Description of the x axis.
    pub x_desc: &'f str,
    /// Description of the y axis, with its unit.
    pub y_desc: &'f str,
    /// Format of y tick labels.
    pub y_format: &'f dyn Fn(&f64) -> String,
    /// Width of the y tick label area in pixels.
    pub y_label_width: u32,
}

/// What the axes of a chart over any x show.
pub struct XyAxes<'f> {
    /// Description of the x axis.
    pub x_desc: &'f str,
    /// Description of the y axis, with its unit.
    pub y_desc: &'f str,
    /// Format of x tick labels.
    pub x_format: &'f dyn Fn(&f64) -> String,
    /// Format of y tick labels.
    pub y_format: &'f dyn Fn(&f64) -> String,
    /// About how many x ticks.
    pub x_labels: usize,
    /// Width of the y tick label area in pixels.
    pub y_label_width: u32,
}

/// Build a period chart on `area` over `y` and draw its axes and grid.
pub fn period_chart<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    axes: &Axes<'_>,
    y: Range<f64>,
) -> Result<Chart<'a, DB>, PlotError> {
    let n = axes.labels.len().max(1);
    // Label every period, or every k-th when the labels would collide.
    let style = text(TICK, &INK);
    let mut widest = 0;
    for label in axes.labels {
        widest = widest.max(area.estimate_text_size(label, &style)?.0);
    }
    let plot_width = area
        .dim_in_pixel()
        .0
        .saturating_sub(axes.y_label_width + 32);
    let per_period = f64::from(plot_width.max(1)) / n as f64;
    let stride = ((f64::from(widest) + 16.0) / per_period).ceil().max(1.0) as usize;
    let labels = axes.labels;
    let x_format = move |x: &f64| label_at(labels, *x, stride);
    xy_chart(
        area,
        &XyAxes {
            x_desc: axes.x_desc,
            y_desc: axes.y_desc,
            x_format: &x_format,
            y_format: axes.y_format,
            x_labels: n + 1,
            y_label_width: axes.y_label_width,
        },
        -0.5..n as f64 - 0.5,
        y,
    )
}

/// Build a chart on `area` over `x` and `y` and draw its axes and
/// horizontal grid lines, in the look every figure shares.
pub fn xy_chart<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    axes: &XyAxes<'_>,
    x: Range<f64>,
    y: Range<f64>,
) -> Result<Chart<'a, DB>, PlotError> {
    let mut chart = ChartBuilder::on(area)
        .margin_top(10)
        .margin_right(24)
        .margin_left(8)
        .x_label_area_size(64)
        .y_label_area_size(axes.y_label_width)
        .build_cartesian_2d(x, y)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .bold_line_style(GRID.stroke_width(1))
        .light_line_style(WHITE.mix(0.0))
        .axis_style(INK.mix(0.6).stroke_width(1))
        .x_labels(axes.x_labels)
        .y_labels(7)
        .x_label_formatter(axes.x_format)
        .y_label_formatter(axes.y_format)
        .label_style(text(TICK, &INK))
        .axis_desc_style(text(AXIS, &INK))
        .x_desc(axes.x_desc)
        .y_desc(axes.y_desc)
        .draw()?;
    Ok(chart)
}

/// The x positions of `n` periods: 0, 1, …
pub fn period_xs(n: usize) -> Vec<f64> {
    (0..n).map(|k| k as f64).collect()
}

/// A shaded band between `low` and `high` at the positions `xs`.
pub fn band<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    xs: &[f64],
    low: &[f64],
    high: &[f64],
    color: RGBColor,
) -> Result<(), PlotError> {
    if low.len() < 2 {
        return Ok(());
    }
    let mut points: Vec<(f64, f64)> = xs.iter().copied().zip(high.iter().copied()).collect();
    points.extend(xs.iter().copied().zip(low.iter().copied()).rev());
    chart.draw_series(std::iter::once(Polygon::new(
        points,
        color.mix(0.16).filled(),
    )))?;
    Ok(())
}

/// A line through `values` at the positions `xs`, with a dot at each.
pub fn line<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    xs: &[f64],
    values: &[f64],
    color: RGBColor,
) -> Result<(), PlotError> {
    let points: Vec<(f64, f64)> = xs.iter().copied().zip(values.iter().copied()).collect();
    chart.draw_series(LineSeries::new(points.clone(), color.stroke_width(3)))?;
    chart.draw_series(
        points
            .into_iter()
            .map(|p| Circle::new(p, 4, color.filled())),
    )?;
    Ok(())
}

/// Stacked bars: `layers[i][k]` is layer *i*'s height in period *k*,
/// stacked bottom-up in the order given.
pub fn stacked_bars<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    layers: &[(Vec<f64>, RGBColor)],
    width: f64,
) -> Result<(), PlotError> {
    let n = layers.first().map_or(0, |l| l.0.len());
    for k in 0..n {
        let mut base = 0.0;
        for (values, color) in layers {
            let h = values[k].max(0.0);
            if h > 0.0 {
                let x = k as f64;
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(x - width / 2.0, base), (x + width / 2.0, base + h)],
                    color.filled(),
                )))?;
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(x - width / 2.0, base), (x + width / 2.0, base + h)],
                    WHITE.stroke_width(1),
                )))?;
            }
            base += h;
        }
    }
    Ok(())
}

/// A whisker from `low` to `high` with a dot at `mid`, at position `x`.
pub fn whisker<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    x: f64,
    (low, mid, high): (f64, f64, f64),
    color: RGBColor,
    cap: f64,
) -> Result<(), PlotError> {
    let style = color.stroke_width(2);
    chart.draw_series([
        PathElement::new(vec![(x, low), (x, high)], style),
        PathElement::new(vec![(x - cap, low), (x + cap, low)], style),
        PathElement::new(vec![(x - cap, high), (x + cap, high)], style),
    ])?;
    chart.draw_series(std::iter::once(Circle::new((x, mid), 6, color.filled())))?;
    Ok(())
}

/// A horizontal reference line at `y`.
pub fn hline<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    y: f64,
    n: usize,
) -> Result<(), PlotError> {
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(-0.5, y), (n as f64 - 0.5, y)],
        INK.mix(0.7).stroke_width(1),
    )))?;
    Ok(())
}
