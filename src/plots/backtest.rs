//! The fan chart of a backtest: one small panel per series (cases on each
//! place, placed child-years, moves down, moves up), each with the
//! projection's median, 50 % and 90 % bands over the periods and the
//! records' actual values as dots, so a reader sees at a glance where the
//! records leave the band. Drawn in English, like the backtest report.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::chart::{Axes, band, period_chart, period_xs, whisker};
use super::style::{
    ASSESSMENT, Extent, INK, MUTED, fit, header, padded, period_labels, rung_color, text,
};
use super::{Figure, PlotError};
use crate::backtest::{Backtest, Series};
use crate::language::Language;
use crate::records::codes::Place;

/// The one language of the backtest figure and report.
pub const BACKTEST_LANGUAGE: Language = Language::English;

/// File name (without extension) of the fan chart.
pub const FAN: &str = "backtest_fan";

/// Panels per row.
const COLUMNS: u32 = 3;
/// Height of one row of panels, in pixels.
const PANEL_HEIGHT: u32 = 330;

/// The figure's title.
pub fn title(b: &Backtest) -> String {
    format!("Backtest: projection from {} against the records", b.at)
}

/// How to read the figure.
pub const CAPTION: &str = "One panel per quantity. Line: the projection's median; dark band: \
    its 50 % band; light band: its 90 % band (5th–95th percentile over replications); dots: \
    what the records show. A calibrated model leaves about one dot in ten outside the light band.";

/// Pixel size: three panels a row.
pub fn size(b: &Backtest) -> (u32, u32) {
    let rows = (b.series.len() as u32).div_ceil(COLUMNS);
    (1200, 110 + rows * PANEL_HEIGHT)
}

/// A panel's heading and colour.
fn label(b: &Backtest, s: Series) -> (String, RGBColor) {
    match s {
        Series::Cases(Place::Assessment) => ("Cases under assessment".into(), ASSESSMENT),
        Series::Cases(Place::Rung(i)) => (
            format!("Cases: {}", b.scenario.params.steps[i].label),
            rung_color(i),
        ),
        Series::PlacedChildYears => ("Placed child-years".into(), INK),
        Series::MovesDown => ("Moves down the ladder".into(), MUTED),
        Series::MovesUp => ("Moves up the ladder".into(), MUTED),
    }
}

/// Draw the fan chart on `root` (of [`size`]).
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    b: &Backtest,
) -> Result<(), PlotError> {
    let num = BACKTEST_LANGUAGE.numbers();
    let coverage = b.scores(None).coverage().map_or("–".into(), |c| {
        format!("{} %", num.decimals(100.0 * c, 1))
    });
    let subtitle = format!(
        "{}: {} replications from the open cases on {}. The 90 % band covers {coverage} of the cells.",
        b.scenario.name(),
        num.thousands(b.replications as f64),
        b.at
    );
    let area = header(root, &title(b), &subtitle)?;
    let rows = (b.series.len() as u32).div_ceil(COLUMNS) as usize;
    let panels = area.split_evenly((rows, COLUMNS as usize));
    let labels = period_labels(&b.periods, b.scenario.settings().period, BACKTEST_LANGUAGE);
    let xs = period_xs(b.periods.len());
    for (&s, panel) in b.series.iter().zip(&panels) {
        let (heading, color) = label(b, s);
        let style = text(18.0, &INK);
        let width = panel.dim_in_pixel().0.saturating_sub(80);
        panel.draw_text(&fit(panel, &heading, &style, width)?, &style, (70, 4))?;
        let plot = panel.split_vertically(28).1;
        let cells: Vec<_> = b.cells_of(s).collect();
        let pick = |f: fn(&crate::backtest::Cell) -> f64| -> Vec<f64> {
            cells.iter().map(|c| f(c)).collect()
        };
        let (p05, p25, p50) = (
            pick(|c| c.band.p05),
            pick(|c| c.band.p25),
            pick(|c| c.band.p50),
        );
        let (p75, p95, actual) = (
            pick(|c| c.band.p75),
            pick(|c| c.band.p95),
            pick(|c| c.actual),
        );
        let high = p95.iter().chain(&actual).copied().fold(0.0, f64::max);
        let y_format = |v: &f64| num.plain(crate::format::significant(*v, 2));
        let mut chart = period_chart(
            &plot,
            &Axes {
                labels: &labels,
                x_desc: "",
                y_desc: "",
                y_format: &y_format,
                y_label_width: 56,
            },
            padded(0.0, high.max(1.0), Extent::FromZero),
        )?;
        if xs.len() == 1 {
            whisker(&mut chart, 0.0, (p05[0], p50[0], p95[0]), color, 0.1)?;
        } else {
            band(&mut chart, &xs, &p05, &p95, color)?;
            // The 50 % band twice over the 90 % band: three layers of
            // the one band shade, so it reads darker.
            band(&mut chart, &xs, &p25, &p75, color)?;
            band(&mut chart, &xs, &p25, &p75, color)?;
            chart.draw_series(LineSeries::new(
                xs.iter().copied().zip(p50.iter().copied()),
                color.stroke_width(3),
            ))?;
        }
        chart.draw_series(
            xs.iter()
                .copied()
                .zip(actual.iter().copied())
                .map(|p| Circle::new(p, 5, INK.filled())),
        )?;
    }
    Ok(())
}

/// Write `backtest_fan.png` and `.svg` into `dir`.
pub fn write_fan(b: &Backtest, dir: &std::path::Path) -> Result<(), PlotError> {
    Figure::Backtest(b).write(dir)?;
    Ok(())
}
