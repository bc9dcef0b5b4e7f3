//! Charts of `trappe sensitivity`: the tornado (each parameter's low and
//! high run as bars from the base value, largest swing on top) and paired
//! bars per parameter for Sobol indices (with bootstrap CIs) and for
//! regression coefficients. All on the shared chart parts and look.

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;

use super::chart::{XyAxes, xy_chart};
use super::style::{
    self, Extent, INK, LegendItem, Mark, TICK, header, legend, padded, scenario_color, text,
    with_legend,
};
use super::{PlotError, font};
use crate::format::ENGLISH;
use crate::scenario::labels::parameter_label;
use crate::sensitivity::tornado::TornadoResult;

/// File stem of the tornado chart.
pub const TORNADO: &str = "tornado";
/// File stem of the Sobol index chart.
pub const SOBOL: &str = "sobol";
/// File stem of the regression chart.
pub const REGRESSION: &str = "regression";

/// A chart that can be drawn on any backend (PNG and SVG).
trait Drawable {
    fn draw_on<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), PlotError>;
}

struct TornadoChart<'a> {
    result: &'a TornadoResult,
    measured: &'a str,
    subtitle: &'a str,
}

impl Drawable for TornadoChart<'_> {
    fn draw_on<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        draw_tornado(root, self.result, self.measured, self.subtitle)
    }
}

impl Drawable for BarChart {
    fn draw_on<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        draw_bars(root, self)
    }
}

/// Write `DIR/STEM.png` and `.svg`, drawn by `draw`; returns both paths.
fn write_both(dir: &Path, stem: &str, chart: &impl Drawable) -> Result<Vec<PathBuf>, PlotError> {
    std::fs::create_dir_all(dir)?;
    let png = dir.join(format!("{stem}.png"));
    {
        let root = BitMapBackend::new(&png, style::SIZE).into_drawing_area();
        chart.draw_on(&root)?;
        root.present()?;
    }
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, style::SIZE).into_drawing_area();
        chart.draw_on(&root)?;
        root.present()?;
    }
    let svg_path = dir.join(format!("{stem}.svg"));
    std::fs::write(&svg_path, svg)?;
    Ok(vec![png, svg_path])
}

/// Draw the tornado of `result` on `root`: `measured` says what the x axis
/// is (the metric, or ALT − SCENARIO).
pub fn draw_tornado<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    result: &TornadoResult,
    measured: &str,
    subtitle: &str,
) -> Result<(), PlotError> {
    font::ensure_registered();
    let area = header(
        root,
        "What drives the answer: one parameter at a time",
        subtitle,
    )?;
    let (plot, legend_area) = with_legend(&area);
    let n = result.rows.len();
    let base = result.base.mean;
    let ends = result.rows.iter().flat_map(|r| {
        [
            r.at_low.ci95_low,
            r.at_low.ci95_high,
            r.at_high.ci95_low,
            r.at_high.ci95_high,
        ]
    });
    let (lo, hi) = ends.fold((base, base), |(l, h), x| (l.min(x), h.max(x)));
    let x = padded(lo, hi, Extent::Data);
    let x_desc = measured.to_string();
    let mut chart = xy_chart(
        &plot,
        &XyAxes {
            x_desc: &x_desc,
            y_desc: "",
            x_format: &|v| ENGLISH.compact(*v),
            y_format: &|_| String::new(),
            x_labels: 7,
            y_label_width: 12,
        },
        x.clone(),
        -0.7..n as f64 - 0.3,
    )?;
    let (low_color, high_color) = (scenario_color(0), scenario_color(1));
    for (i, row) in result.rows.iter().enumerate() {
        let y = (n - 1 - i) as f64;
        for (s, color) in [(&row.at_low, low_color), (&row.at_high, high_color)] {
            chart.draw_series(std::iter::once(Rectangle::new(
                [(base, y - 0.32), (s.mean, y + 0.12)],
                color.mix(0.75).filled(),
            )))?;
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(s.ci95_low, y - 0.1), (s.ci95_high, y - 0.1)],
                INK.stroke_width(1),
            )))?;
        }
        let label = format!(
            "{} ({} → {})",
            parameter_label(&row.swing.path),
            row.swing.low,
            row.swing.high
        );
        chart.draw_series(std::iter::once(Text::new(
            label,
            (x.start, y + 0.45),
            text(TICK, &INK),
        )))?;
    }
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(base, -0.7), (base, n as f64 - 0.3)],
        INK.stroke_width(2),
    )))?;
    legend(
        &legend_area,
        &[
            LegendItem::new(Mark::Swatch(low_color), "at the low value"),
            LegendItem::new(Mark::Swatch(high_color), "at the high value"),
            LegendItem::new(
                Mark::Whisker(INK),
                format!(
                    "line: base ({}); thin lines: 95 % CI",
                    ENGLISH.compact(base)
                ),
            ),
        ],
    )
}

/// Write `DIR/tornado.png` and `.svg`.
pub fn write_tornado(
    dir: &Path,
    result: &TornadoResult,
    measured: &str,
    subtitle: &str,
) -> Result<Vec<PathBuf>, PlotError> {
    write_both(
        dir,
        TORNADO,
        &TornadoChart {
            result,
            measured,
            subtitle,
        },
    )
}

/// One series of paired bars: a name, a value per parameter and, where
/// known, its 95 % CI.
#[derive(Debug, Clone)]
pub struct BarSeries {
    /// Legend label.
    pub name: String,
    /// One value per parameter.
    pub values: Vec<f64>,
    /// CIs (empty: none).
    pub intervals: Vec<(f64, f64)>,
}

/// What a paired-bar chart shows.
#[derive(Debug, Clone)]
pub struct BarChart {
    /// Title.
    pub title: String,
    /// Subtitle lines.
    pub subtitle: String,
    /// The y axis.
    pub y_desc: String,
    /// The parameters' paths, one group of bars each.
    pub parameters: Vec<String>,
    /// Two (or more) series drawn side by side.
    pub series: Vec<BarSeries>,
}

/// Draw `figure` on `root`: one band per parameter (first on top), its
/// name above the band and one horizontal bar per series in it, CIs as
/// thin lines with caps.
pub fn draw_bars<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    figure: &BarChart,
) -> Result<(), PlotError> {
    font::ensure_registered();
    let area = header(root, &figure.title, &figure.subtitle)?;
    let (plot, legend_area) = with_legend(&area);
    let n = figure.parameters.len();
    let all = figure.series.iter().flat_map(|s| {
        s.values
            .iter()
            .copied()
            .chain(s.intervals.iter().flat_map(|&(a, b)| [a, b]))
    });
    let (lo, hi) = all.fold((0.0_f64, 0.0_f64), |(l, h), x| (l.min(x), h.max(x)));
    let x = padded(lo, hi.max(lo + 1e-9), Extent::FromZero);
    let mut chart = xy_chart(
        &plot,
        &XyAxes {
            x_desc: &figure.y_desc,
            y_desc: "",
            x_format: &|v| ENGLISH.decimals(*v, 2),
            y_format: &|_| String::new(),
            x_labels: 7,
            y_label_width: 12,
        },
        x.clone(),
        -0.7..n as f64 - 0.3,
    )?;
    let m = figure.series.len().max(1) as f64;
    let height = 0.5 / m;
    let mut items = Vec::new();
    for (k, s) in figure.series.iter().enumerate() {
        let color = scenario_color(k);
        for (i, v) in s.values.iter().enumerate() {
            let top = (n - 1 - i) as f64 + 0.15 - k as f64 * height;
            let y = top - height * 0.45;
            chart.draw_series(std::iter::once(Rectangle::new(
                [(0.0, top - height * 0.9), (*v, top)],
                color.mix(0.75).filled(),
            )))?;
            if let Some(&(a, b)) = s.intervals.get(i) {
                let cap = height * 0.3;
                chart.draw_series([
                    PathElement::new(vec![(a, y), (b, y)], INK.stroke_width(2)),
                    PathElement::new(vec![(a, y - cap), (a, y + cap)], INK.stroke_width(2)),
                    PathElement::new(vec![(b, y - cap), (b, y + cap)], INK.stroke_width(2)),
                ])?;
            }
        }
        items.push(LegendItem::new(Mark::Swatch(color), s.name.clone()));
    }
    for (i, p) in figure.parameters.iter().enumerate() {
        chart.draw_series(std::iter::once(Text::new(
            parameter_label(p),
            (x.start, (n - 1 - i) as f64 + 0.45),
            text(TICK, &INK),
        )))?;
    }
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(0.0, -0.7), (0.0, n as f64 - 0.3)],
        INK.stroke_width(1),
    )))?;
    if figure.series.iter().any(|s| !s.intervals.is_empty()) {
        items.push(LegendItem::new(Mark::Whisker(INK), "95 % CI (bootstrap)"));
    }
    legend(&legend_area, &items)
}

/// Write `DIR/STEM.png` and `.svg` of `figure`.
pub fn write_bars(dir: &Path, stem: &str, figure: &BarChart) -> Result<Vec<PathBuf>, PlotError> {
    write_both(dir, stem, figure)
}
