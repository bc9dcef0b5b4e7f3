//! The distribution of the paired whole-run cost difference: a histogram
//! of `alt(i) − base(i)` over replications, one colour per alternative,
//! with zero marked, so a reader sees at once in how many futures the
//! policy saves money and by how much.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::chart::{XyAxes, xy_chart};
use super::style::{self, INK, LegendItem, Mark, header, legend, scenario_color, with_legend};
use super::{PlotError, font};
use crate::language::Language;

/// File stem of the histogram (PNG and SVG) in a comparison's `plots/`.
pub const COST_DIFFERENCE_HISTOGRAM: &str = "paired_cost_difference";

/// Number of bins.
const BINS: usize = 30;

/// One alternative's whole-run cost differences and its probability of
/// saving money, for the legend.
#[derive(Debug, Clone)]
pub struct DifferenceSeries {
    /// The alternative's name.
    pub name: String,
    /// `alt(i) − base(i)` per replication.
    pub differences: Vec<f64>,
    /// The legend's summary ("saves money in 87 % [84 %, 90 %]").
    pub summary: String,
}

/// Draw the histogram on `root`.
pub fn draw_cost_difference_histogram<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    series: &[DifferenceSeries],
    currency: &str,
    subtitle: &str,
    lang: Language,
) -> Result<(), PlotError> {
    font::ensure_registered();
    let (w, n) = (&lang.words().figures, lang.numbers());
    let area = header(root, w.histogram_title, subtitle)?;
    let (plot, legend_area) = with_legend(&area);
    let all = series.iter().flat_map(|s| s.differences.iter().copied());
    let (lo, hi) = all.fold((0.0_f64, 0.0_f64), |(l, h), x| (l.min(x), h.max(x)));
    let (lo, hi) = if hi > lo {
        (lo, hi)
    } else {
        (lo - 1.0, hi + 1.0)
    };
    let width = (hi - lo) / BINS as f64;
    let counts: Vec<Vec<usize>> = series
        .iter()
        .map(|s| {
            let mut c = vec![0; BINS];
            for x in &s.differences {
                c[(((x - lo) / width) as usize).min(BINS - 1)] += 1;
            }
            c
        })
        .collect();
    let top = counts.iter().flatten().copied().max().unwrap_or(1).max(1) as f64;
    let x_desc = (w.histogram_axis)(&lang.currency(currency));
    let mut chart = xy_chart(
        &plot,
        &XyAxes {
            x_desc: &x_desc,
            y_desc: w.replications_axis,
            x_format: &|v| n.compact(*v),
            y_format: &|v| format!("{v:.0}"),
            x_labels: 8,
            y_label_width: 70,
        },
        lo - width..hi + width,
        0.0..top * 1.1,
    )?;
    let mut items = Vec::new();
    for (i, (s, c)) in series.iter().zip(&counts).enumerate() {
        let color = scenario_color(i + 1);
        chart.draw_series(c.iter().enumerate().filter(|(_, n)| **n > 0).map(|(b, n)| {
            let x0 = lo + b as f64 * width;
            Rectangle::new(
                [(x0, 0.0), (x0 + width, *n as f64)],
                color.mix(0.55).filled(),
            )
        }))?;
        items.push(LegendItem::new(
            Mark::Swatch(color),
            format!("{}: {}", s.name, s.summary),
        ));
    }
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(0.0, 0.0), (0.0, top * 1.1)],
        INK.stroke_width(2),
    )))?;
    legend(&legend_area, &items)
}

/// The histogram as an SVG document (for the report).
pub fn cost_difference_histogram_svg(
    series: &[DifferenceSeries],
    currency: &str,
    subtitle: &str,
    lang: Language,
) -> Result<String, PlotError> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, style::SIZE).into_drawing_area();
        draw_cost_difference_histogram(&root, series, currency, subtitle, lang)?;
        root.present()?;
    }
    Ok(svg)
}

/// Write `DIR/paired_cost_difference.png` and `.svg`; returns the SVG.
pub fn write_cost_difference_histogram(
    dir: &Path,
    series: &[DifferenceSeries],
    currency: &str,
    subtitle: &str,
    lang: Language,
) -> Result<String, PlotError> {
    std::fs::create_dir_all(dir)?;
    let png = dir.join(format!("{COST_DIFFERENCE_HISTOGRAM}.png"));
    {
        let root = BitMapBackend::new(&png, style::SIZE).into_drawing_area();
        draw_cost_difference_histogram(&root, series, currency, subtitle, lang)?;
        root.present()?;
    }
    let svg = cost_difference_histogram_svg(series, currency, subtitle, lang)?;
    std::fs::write(dir.join(format!("{COST_DIFFERENCE_HISTOGRAM}.svg")), &svg)?;
    Ok(svg)
}
