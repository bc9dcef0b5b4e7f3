//! The look shared by every figure: size, fonts, colours, headers, legends,
//! axis labels and number formats.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::PlotError;
use super::font::FAMILY;
use crate::language::Language;
use crate::results::PeriodInfo;
use crate::scenario::Period;

/// Pixel size of most figures (PNG and SVG alike).
pub const SIZE: (u32, u32) = (1000, 580);

/// Font sizes in pixels.
pub const TITLE: f64 = 28.0;
/// Subtitle under the title.
pub const SUBTITLE: f64 = 17.0;
/// Axis descriptions.
pub const AXIS: f64 = 18.0;
/// Tick labels.
pub const TICK: f64 = 17.0;
/// Legend entries.
pub const LEGEND: f64 = 16.0;
/// Height of the header (title and subtitle).
const HEADER: u32 = 80;

/// Near-black for text and marks.
pub const INK: RGBColor = RGBColor(33, 37, 41);
/// Grey for secondary text.
pub const MUTED: RGBColor = RGBColor(95, 99, 104);
/// Light grey for grid lines.
pub const GRID: RGBColor = RGBColor(225, 228, 232);

/// Rung colours, least intrusive first (Tableau 10, colour-blind safe in
/// sequence: blue, green, yellow, orange, red, then others).
const RUNGS: [RGBColor; 9] = [
    RGBColor(78, 121, 167),
    RGBColor(89, 161, 79),
    RGBColor(237, 201, 72),
    RGBColor(242, 142, 43),
    RGBColor(225, 87, 89),
    RGBColor(176, 122, 161),
    RGBColor(118, 183, 178),
    RGBColor(255, 157, 167),
    RGBColor(156, 117, 95),
];
/// Cases under assessment.
pub const ASSESSMENT: RGBColor = RGBColor(160, 160, 160);
/// Workforce cost.
pub const WORKFORCE: RGBColor = RGBColor(92, 112, 128);
/// Fixed cost.
pub const FIXED: RGBColor = RGBColor(186, 176, 172);
/// Breakdown cost.
pub const BREAKDOWNS: RGBColor = RGBColor(110, 64, 120);
/// Scenario colours: base first.
const SCENARIOS: [RGBColor; 6] = [
    RGBColor(31, 78, 121),
    RGBColor(200, 70, 50),
    RGBColor(46, 139, 87),
    RGBColor(128, 100, 162),
    RGBColor(214, 140, 20),
    RGBColor(80, 80, 80),
];

/// The colour of the `i`-th rung of a ladder.
pub fn rung_color(i: usize) -> RGBColor {
    RUNGS[i % RUNGS.len()]
}

/// The colour of the `i`-th scenario of a comparison.
pub fn scenario_color(i: usize) -> RGBColor {
    SCENARIOS[i % SCENARIOS.len()]
}

/// A text style of the embedded font.
pub fn text(size: f64, color: &RGBColor) -> TextStyle<'static> {
    TextStyle {
        font: (FAMILY, size).into_font(),
        color: color.to_backend_color(),
        pos: Pos::new(HPos::Left, VPos::Top),
    }
}

/// Tick labels for periods: "Q3 2014" for calendar quarters, the year for
/// calendar years, otherwise the month and year each starts ("Aug 2013"),
/// in `lang`.
pub fn period_labels(periods: &[PeriodInfo], period: Period, lang: Language) -> Vec<String> {
    use chrono::Datelike;
    periods
        .iter()
        .map(|p| {
            let (m, d) = (p.start.month(), p.start.day());
            match period {
                Period::Year if m == 1 && d == 1 => p.start.format("%Y").to_string(),
                Period::Quarter if d == 1 && (m - 1) % 3 == 0 => {
                    lang.quarter((m - 1) / 3 + 1, p.start.year())
                }
                _ => lang.month_year(p.start),
            }
        })
        .collect()
}

/// Description of the period axis ("Quarter starting").
pub fn period_axis(period: Period, lang: Language) -> String {
    (lang.words().calendar.period_axis)(period.name(lang))
}

pub use crate::language::capitalise;

/// The tick label at position `x`: the period's label at every
/// `stride`-th whole period, empty elsewhere.
pub fn label_at(labels: &[String], x: f64, stride: usize) -> String {
    let k = x.round();
    if (x - k).abs() > 1e-6 || k < 0.0 || !(k as usize).is_multiple_of(stride.max(1)) {
        return String::new();
    }
    labels.get(k as usize).cloned().unwrap_or_default()
}

/// Where a value axis begins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extent {
    /// Take in zero: amounts and counts read against zero (bars, levels,
    /// differences from a base).
    FromZero,
    /// Hug the data: differences between sweep points would flatten
    /// against a zero line far below them.
    Data,
}

/// An axis range over `lo..hi` with 8 % headroom (and, from zero, room
/// below zero only when the data go there).
pub fn padded(lo: f64, hi: f64, extent: Extent) -> std::ops::Range<f64> {
    if !(lo.is_finite() && hi.is_finite()) {
        return 0.0..1.0;
    }
    if extent == Extent::Data {
        if hi - lo <= f64::EPSILON * hi.abs().max(1.0) {
            let d = if lo == 0.0 { 1.0 } else { lo.abs() * 0.05 };
            return lo - d..hi + d;
        }
        let pad = 0.08 * (hi - lo);
        return lo - pad..hi + pad;
    }
    let (lo, hi) = (lo.min(0.0), hi.max(0.0));
    let span = hi - lo;
    if span <= 0.0 {
        return 0.0..1.0;
    }
    let pad = 0.08 * span;
    let low = if lo < 0.0 { lo - pad } else { lo };
    // All-negative data still get a little room above the zero line.
    let high = if hi > 0.0 { hi + pad } else { pad / 2.0 };
    low..high
}

/// Draw the title and subtitle at the top of `root`; returns the area
/// below them. Each line of `subtitle` is one line under the title,
/// shortened to fit.
pub fn header<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    subtitle: &str,
) -> Result<DrawingArea<DB, Shift>, PlotError> {
    root.fill(&WHITE)?;
    let w = root.dim_in_pixel().0;
    root.draw_text(title, &text(TITLE, &INK), (24, 16))?;
    let style = text(SUBTITLE, &MUTED);
    let line_h = SUBTITLE as u32 + 6;
    let mut lines = 0;
    for (i, s) in subtitle.lines().enumerate() {
        let line = fit(root, s, &style, w.saturating_sub(48))?;
        let y = 16 + TITLE as i32 + 10 + (i as u32 * line_h) as i32;
        root.draw_text(&line, &style, (24, y))?;
        lines += 1;
    }
    let extra = line_h * lines.max(1_u32).saturating_sub(1);
    Ok(root.split_vertically(HEADER + extra).1)
}

/// `s`, shortened with an ellipsis to fit `width` pixels.
pub fn fit<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &str,
    style: &TextStyle,
    width: u32,
) -> Result<String, PlotError> {
    if area.estimate_text_size(s, style)?.0 <= width {
        return Ok(s.to_string());
    }
    // One pass: add characters while their widths and the ellipsis fit
    // (never re-measuring the whole string, which made a 10,000-character
    // name take most of a minute), then check the result once as a whole
    // (kerning may make it a little wider than the sum).
    let ellipsis = area.estimate_text_size("…", style)?.0;
    let mut kept = String::new();
    let mut used = ellipsis;
    for ch in s.chars() {
        let mut buf = [0; 4];
        used += area.estimate_text_size(ch.encode_utf8(&mut buf), style)?.0;
        if used > width {
            break;
        }
        kept.push(ch);
    }
    while !kept.is_empty() && area.estimate_text_size(&format!("{kept}…"), style)?.0 > width {
        kept.pop();
    }
    Ok(if kept.is_empty() {
        String::new()
    } else {
        kept + "…"
    })
}

/// Words of `s` in lines no wider than `width` pixels.
pub fn wrap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &str,
    style: &TextStyle,
    width: u32,
) -> Result<Vec<String>, PlotError> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in s.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if !line.is_empty() && area.estimate_text_size(&candidate, style)?.0 > width {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    Ok(lines)
}

/// Width of the legend column to the right of a chart.
const LEGEND_WIDTH: u32 = 280;

/// Split `area` into the chart and a legend column on its right.
pub fn with_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
) -> (DrawingArea<DB, Shift>, DrawingArea<DB, Shift>) {
    let w = area.dim_in_pixel().0;
    let (plot, legend) = area.split_horizontally(w.saturating_sub(LEGEND_WIDTH));
    (plot, legend_column(&legend))
}

/// The legend column inside its strip: the margins [`with_legend`] leaves.
fn legend_column<DB: DrawingBackend>(strip: &DrawingArea<DB, Shift>) -> DrawingArea<DB, Shift> {
    strip.margin(14, 0, 6, 10)
}

/// Height in pixels the legend column of [`with_legend`] needs for
/// `items`, top margin included: for a figure whose height must be chosen
/// before it is drawn (so a short chart with a long legend is not clipped).
/// Measured on a scratch canvas with the same fonts.
pub fn legend_column_height(items: &[LegendItem]) -> Result<u32, PlotError> {
    let mut scratch = String::new();
    let strip = SVGBackend::with_string(&mut scratch, (LEGEND_WIDTH, 1)).into_drawing_area();
    let column = legend_column(&strip);
    let width = column.dim_in_pixel().0;
    Ok(14 + legend_height(&column, items, width)?)
}

/// How a legend entry is drawn.
#[derive(Debug, Clone, Copy)]
pub enum Mark {
    /// A filled square (a bar or stacked area).
    Swatch(RGBColor),
    /// A line with a dot, over a light band (a mean and its 90 % band).
    LineBand(RGBColor),
    /// A dot with a vertical whisker (a mean and an interval).
    Whisker(RGBColor),
    /// A filled dot (a point estimate).
    Dot(RGBColor),
    /// A ring (a point of another kind, drawn over others).
    Ring(RGBColor),
}

/// One legend entry.
#[derive(Debug, Clone)]
pub struct LegendItem {
    /// What is drawn.
    pub mark: Mark,
    /// The label (wrapped to the legend's width).
    pub label: String,
}

impl LegendItem {
    /// A legend entry.
    pub fn new(mark: Mark, label: impl Into<String>) -> Self {
        Self {
            mark,
            label: label.into(),
        }
    }
}

/// Height in pixels a legend needs at `width`.
pub fn legend_height<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    items: &[LegendItem],
    width: u32,
) -> Result<u32, PlotError> {
    let style = text(LEGEND, &INK);
    let mut lines = 0;
    for item in items {
        lines += wrap(area, &item.label, &style, width.saturating_sub(40))?
            .len()
            .max(1);
    }
    Ok(lines as u32 * (LEGEND as u32 + 6) + items.len() as u32 * 6 + 12)
}

/// Draw a legend, one entry under the other, in `area` (its full width).
pub fn legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    items: &[LegendItem],
) -> Result<(), PlotError> {
    let style = text(LEGEND, &INK);
    let width = area.dim_in_pixel().0;
    let line_h = LEGEND as i32 + 6;
    let mut y = 8;
    for item in items {
        let cy = y + line_h / 2;
        match item.mark {
            Mark::Swatch(c) => {
                area.draw(&Rectangle::new([(4, cy - 8), (22, cy + 8)], c.filled()))?;
            }
            Mark::LineBand(c) => {
                area.draw(&Rectangle::new(
                    [(0, cy - 8), (26, cy + 8)],
                    c.mix(0.18).filled(),
                ))?;
                area.draw(&PathElement::new(
                    vec![(0, cy), (26, cy)],
                    c.stroke_width(3),
                ))?;
                area.draw(&Circle::new((13, cy), 4, c.filled()))?;
            }
            Mark::Whisker(c) => {
                area.draw(&PathElement::new(
                    vec![(13, cy - 9), (13, cy + 9)],
                    c.stroke_width(2),
                ))?;
                for dy in [-9, 9] {
                    area.draw(&PathElement::new(
                        vec![(8, cy + dy), (18, cy + dy)],
                        c.stroke_width(2),
                    ))?;
                }
                area.draw(&Circle::new((13, cy), 5, c.filled()))?;
            }
            Mark::Dot(c) => {
                area.draw(&Circle::new((13, cy), 6, c.filled()))?;
            }
            Mark::Ring(c) => {
                area.draw(&Circle::new((13, cy), 6, WHITE.filled()))?;
                area.draw(&Circle::new((13, cy), 6, c.stroke_width(2)))?;
            }
        }
        let lines = wrap(area, &item.label, &style, width.saturating_sub(40))?;
        for (i, line) in lines.iter().enumerate() {
            area.draw_text(
                line,
                &style.pos(Pos::new(HPos::Left, VPos::Center)),
                (36, cy + i as i32 * line_h),
            )?;
        }
        y += lines.len().max(1) as i32 * line_h + 6;
    }
    Ok(())
}

/// Draw "nothing to show" in the middle of an area.
pub fn note<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, s: &str) -> Result<(), PlotError> {
    let (w, h) = area.dim_in_pixel();
    area.draw_text(
        s,
        &text(AXIS, &MUTED).pos(Pos::new(HPos::Center, VPos::Center)),
        (w as i32 / 2, h as i32 / 2),
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_only_at_whole_periods() {
        let labels = vec!["Aug 2013".to_string(), "Nov 2013".to_string()];
        assert_eq!(label_at(&labels, 1.0, 1), "Nov 2013");
        assert_eq!(label_at(&labels, 0.5, 1), "");
        assert_eq!(label_at(&labels, 2.0, 1), "");
        assert_eq!(label_at(&labels, 1.0, 2), "");
        assert_eq!(label_at(&labels, 0.0, 2), "Aug 2013");
    }

    #[test]
    fn calendar_quarters_are_named() {
        use chrono::NaiveDate;
        let period = |y, m| PeriodInfo {
            index: 1,
            start: NaiveDate::from_ymd_opt(y, m, 1).unwrap(),
            end: NaiveDate::from_ymd_opt(y, m, 1).unwrap(),
        };
        let labels = period_labels(
            &[period(2013, 7), period(2013, 8)],
            Period::Quarter,
            Language::English,
        );
        assert_eq!(labels, ["Q3 2013", "Aug 2013"]);
        let labels = period_labels(&[period(2024, 1)], Period::Year, Language::English);
        assert_eq!(labels, ["2024"]);
    }

    #[test]
    fn ranges_include_zero_and_headroom() {
        let r = padded(10.0, 20.0, Extent::FromZero);
        assert_eq!(r.start, 0.0);
        assert!(r.end > 20.0);
        let r = padded(-5.0, -1.0, Extent::FromZero);
        assert!(r.start < -5.0 && r.end > 0.0 && r.end < 0.5);
        let r = padded(0.0, 0.0, Extent::FromZero);
        assert!(r.end > r.start);
        let r = padded(40.0, 50.0, Extent::Data);
        assert!(r.start > 30.0 && r.start < 40.0 && r.end > 50.0);
        let r = padded(7.0, 7.0, Extent::Data);
        assert!(r.start < 7.0 && r.end > 7.0);
    }
}
