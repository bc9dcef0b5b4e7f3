//! The figures of a fit report: observed against fitted transition
//! intensities (one panel per age band, the records' 95 % interval as a
//! whisker and the fitted scenario's mean as a dot on it), and every
//! compared quantity's distance in standard errors with the ±2 SE band.
//! Drawn from a fit folder as read back ([`FitFolder`]), in its language.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::chart::{XyAxes, hline, whisker, xy_chart};
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::style::{
    self, AXIS, Extent, INK, LegendItem, MUTED, Mark, TICK, fit, header, legend, padded,
    rung_color, scenario_color, text, with_legend,
};
use super::{PlotError, font};
use crate::records::fit_folder::{FitFolder, FitRow, Verdict};

/// Height of one age band's panel in the intensity figure.
const PANEL_HEIGHT: u32 = 260;
/// Height of a panel's heading.
const PANEL_HEADING: u32 = 28;

/// The intensity rows of `folder`.
fn intensities(folder: &FitFolder) -> Vec<&FitRow> {
    folder
        .rows
        .iter()
        .filter(|r| r.quantity == "intensity" && r.ci95.is_some())
        .collect()
}

/// Each distinct value of `key` over `rows`, in order of first appearance.
fn distinct<'r>(rows: &[&'r FitRow], key: impl Fn(&'r FitRow) -> &'r str) -> Vec<&'r str> {
    let mut out: Vec<&str> = Vec::new();
    for r in rows {
        let k = key(r);
        if !out.contains(&k) {
            out.push(k);
        }
    }
    out
}

/// A group of slots: the destination and its first and last slot.
type Group<'r> = (&'r str, f64, f64);

/// One whisker's slot: (destination, place, x).
type Slot<'r> = (&'r str, &'r str, f64);

/// The x slot of every (destination, place) pair: grouped by destination
/// (places in the order rows leave them, which is the ladder's, then
/// `closed` and `aged_out`), the same place order in each group, one empty
/// slot between groups; and each group's (first slot, last slot).
fn slots<'r>(rows: &[&'r FitRow]) -> (Vec<Slot<'r>>, Vec<Group<'r>>) {
    let places = distinct(rows, |r| r.place.as_str());
    let mut destinations = distinct(rows, |r| r.destination.as_str());
    destinations.sort_by_key(|d| places.iter().position(|p| p == d).unwrap_or(places.len()));
    let mut out = Vec::new();
    let mut groups = Vec::new();
    let mut x = 0.0;
    for d in destinations {
        let first = x;
        for p in &places {
            if rows.iter().any(|r| r.destination == d && r.place == *p) {
                out.push((d, *p, x));
                x += 1.0;
            }
        }
        groups.push((d, first, x - 1.0));
        x += 1.0;
    }
    (out, groups)
}

/// Pixel size of the intensity figure for `folder` (taller with more age
/// bands), and never shorter than its legend needs.
pub fn intensity_size(folder: &FitFolder) -> (u32, u32) {
    let rows = intensities(folder);
    let bands = distinct(&rows, |r| r.age_band.as_str()).len().max(1) as u32;
    font::ensure_registered();
    let legend = style::legend_column_height(&intensity_legend(folder, &rows)).unwrap_or(0);
    (style::SIZE.0, 110 + (bands * PANEL_HEIGHT).max(legend))
}

/// The intensity figure's legend: a colour per place moved from, the
/// records' whisker and the fitted ring.
fn intensity_legend(folder: &FitFolder, rows: &[&FitRow]) -> Vec<LegendItem> {
    let w = &folder.language.words().fit;
    let places = distinct(rows, |r| r.place.as_str());
    let mut items: Vec<LegendItem> = places
        .iter()
        .enumerate()
        .map(|(i, p)| {
            LegendItem::new(
                Mark::Swatch(rung_color(i)),
                (w.from_legend)(&folder.place_name(p)),
            )
        })
        .collect();
    items.push(LegendItem::new(Mark::Whisker(MUTED), w.observed_legend));
    items.push(LegendItem::new(Mark::Ring(INK), w.fitted_legend));
    items
}

/// Observed against fitted intensities, one panel per age band; `None`
/// when the folder has no intensity rows.
pub fn intensity_svg(folder: &FitFolder) -> Result<Option<String>, PlotError> {
    if intensities(folder).is_empty() {
        return Ok(None);
    }
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, intensity_size(folder)).into_drawing_area();
        draw_intensities(&root, folder)?;
        root.present()?;
    }
    Ok(Some(svg))
}

/// Draw the intensity figure on `root`.
pub fn draw_intensities<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    folder: &FitFolder,
) -> Result<(), PlotError> {
    font::ensure_registered();
    let w = &folder.language.words().fit;
    let area = header(root, w.intensity_title, w.intensity_subtitle)?;
    let (plot, legend_area) = with_legend(&area);
    let rows = intensities(folder);
    let places = distinct(&rows, |r| r.place.as_str());
    let bands = distinct(&rows, |r| r.age_band.as_str());
    let (slots, groups) = slots(&rows);
    let n = slots.last().map_or(1.0, |s| s.2 + 1.0);
    let color = |place: &str| rung_color(places.iter().position(|p| *p == place).unwrap_or(0));
    let group_names: Vec<(f64, String)> = groups
        .iter()
        .map(|(d, first, last)| ((first + last) / 2.0, folder.place_name(d)))
        .collect();
    let panels = plot.split_evenly((bands.len(), 1));
    for (band, panel) in bands.iter().zip(&panels) {
        let (heading, body) = panel.split_vertically(PANEL_HEADING);
        heading.draw_text(
            &(w.panel)(&folder.band_name(band)),
            &text(AXIS, &INK),
            (16, 6),
        )?;
        let in_band: Vec<&&FitRow> = rows.iter().filter(|r| r.age_band == *band).collect();
        let top = in_band
            .iter()
            .flat_map(|r| [r.ci95.map_or(0.0, |c| c.1), r.fitted.unwrap_or(0.0)])
            .fold(0.0_f64, f64::max);
        let n_fmt = folder.language.numbers();
        let mut chart = xy_chart(
            &body,
            &XyAxes {
                x_desc: "",
                y_desc: w.intensity_axis,
                x_format: &|_| String::new(),
                y_format: &|v| n_fmt.plain(crate::format::significant(*v, 2)),
                x_labels: 2,
                y_label_width: 90,
            },
            -0.7..n - 0.3,
            padded(0.0, top.max(1e-9), Extent::FromZero),
        )?;
        // Each group's name under its middle, shortened to its width.
        let tick = text(TICK, &INK).pos(Pos::new(HPos::Center, VPos::Top));
        for ((mid, name), (_, first, last)) in group_names.iter().zip(&groups) {
            let (left, y) = chart.backend_coord(&(first - 0.5, 0.0));
            let (right, _) = chart.backend_coord(&(last + 0.5, 0.0));
            let (x, _) = chart.backend_coord(&(*mid, 0.0));
            let width = (right - left).max(0) as u32;
            root.draw_text(&fit(root, name, &tick, width)?, &tick, (x, y + 8))?;
        }
        for r in in_band {
            let Some(&(_, _, x)) = slots
                .iter()
                .find(|(d, p, _)| *d == r.destination && *p == r.place)
            else {
                continue;
            };
            let (low, high) = r.ci95.unwrap_or((r.observed, r.observed));
            let c = color(&r.place);
            whisker(&mut chart, x, (low, r.observed, high), c, 0.25)?;
            if let Some(f) = r.fitted {
                chart.draw_series([
                    Circle::new((x, f), 5, WHITE.filled()),
                    Circle::new((x, f), 5, INK.stroke_width(2)),
                ])?;
            }
        }
        for (_, first, _) in &groups {
            if *first > 0.0 {
                let x = first - 1.0;
                chart.draw_series(std::iter::once(PathElement::new(
                    vec![(x, 0.0), (x, top.max(1e-9) * 1.08)],
                    style::GRID.stroke_width(1),
                )))?;
            }
        }
    }
    legend(&legend_area, &intensity_legend(folder, &rows))
}

/// Every compared quantity's distance in standard errors, with the ±2 SE
/// band; `None` when nothing was compared.
pub fn distance_svg(folder: &FitFolder) -> Result<Option<String>, PlotError> {
    if !folder.rows.iter().any(FitRow::compared) {
        return Ok(None);
    }
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, style::SIZE).into_drawing_area();
        draw_distances(&root, folder)?;
        root.present()?;
    }
    Ok(Some(svg))
}

/// The ±2 SE band: the base colour, light.
const BAND: RGBColor = RGBColor(226, 234, 242);

/// The furthest the distance axis reaches, in SE.
const LIMIT: f64 = 6.0;

/// How many of the worst misses are named on the distance figure.
const NAMED_MISSES: usize = 3;

/// Draw the distance figure on `root`.
pub fn draw_distances<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    folder: &FitFolder,
) -> Result<(), PlotError> {
    font::ensure_registered();
    let w = &folder.language.words().fit;
    let area = header(root, w.distance_title, w.distance_subtitle)?;
    let (plot, legend_area) = with_legend(&area);
    let points: Vec<(f64, &FitRow, f64)> = folder
        .rows
        .iter()
        .filter_map(|r| r.distance.map(|d| (r, d)))
        .enumerate()
        .map(|(i, (r, d))| (i as f64, r, d))
        .collect();
    let n = points.len() as f64;
    // The axis shows the misses of the fit (up to the worst fitted one,
    // but no further than ±LIMIT SE); checks beyond it sit on its edge as
    // triangles with their distance written beside them.
    let fitted_worst = points
        .iter()
        .filter(|p| p.1.verdict != Verdict::Check)
        .fold(2.5_f64, |m, p| m.max(p.2.abs()));
    let limit = fitted_worst.min(LIMIT);
    let (lo, hi) = points.iter().fold((-2.5_f64, 2.5_f64), |(l, h), p| {
        (l.min(p.2.max(-limit)), h.max(p.2.min(limit)))
    });
    let n_fmt = folder.language.numbers();
    let mut chart = xy_chart(
        &plot,
        &XyAxes {
            x_desc: "",
            y_desc: w.distance_axis,
            x_format: &|_| String::new(),
            y_format: &|v| n_fmt.plain(crate::format::significant(*v, 2)),
            x_labels: 2,
            y_label_width: 70,
        },
        -0.5..n - 0.5,
        padded(lo, hi, Extent::Data),
    )?;
    chart.draw_series(std::iter::once(Rectangle::new(
        [(-0.5, -2.0), (n - 0.5, 2.0)],
        BAND.filled(),
    )))?;
    hline(&mut chart, 0.0, n as usize)?;
    let (fits, misses) = (scenario_color(0), scenario_color(1));
    for &(x, r, d) in &points {
        if d.abs() > limit {
            let edge = limit.copysign(d);
            let tip = if d > 0.0 { -7 } else { 7 };
            let (px, py) = chart.backend_coord(&(x, edge));
            let color = match r.verdict {
                Verdict::Fits => fits,
                Verdict::Misses => misses,
                Verdict::Check => MUTED,
            };
            root.draw(&Polygon::new(
                vec![(px, py + tip), (px - 6, py - tip), (px + 6, py - tip)],
                color.filled(),
            ))?;
            let label = format!("{} SE", n_fmt.decimals(d, 1));
            let style = text(TICK, &MUTED).pos(Pos::new(HPos::Right, VPos::Center));
            root.draw_text(&label, &style, (px - 10, py))?;
            continue;
        }
        match r.verdict {
            Verdict::Fits => {
                chart.draw_series(std::iter::once(Circle::new((x, d), 5, fits.filled())))?
            }
            Verdict::Misses => {
                chart.draw_series(std::iter::once(Circle::new((x, d), 6, misses.filled())))?
            }
            Verdict::Check => chart.draw_series(std::iter::once(Circle::new(
                (x, d),
                5,
                MUTED.stroke_width(2),
            )))?,
        };
    }
    let mut worst: Vec<&(f64, &FitRow, f64)> = points
        .iter()
        .filter(|p| p.1.verdict == Verdict::Misses)
        .collect();
    worst.sort_by(|a, b| b.2.abs().total_cmp(&a.2.abs()));
    for &&(x, r, d) in worst.iter().take(NAMED_MISSES) {
        // Named on the side with more room, above or below the dot.
        let (px, py) = chart.backend_coord(&(x, d.clamp(-limit, limit)));
        let label = folder.describe(r);
        let size = root.estimate_text_size(&label, &text(TICK, &INK))?;
        let width = root.dim_in_pixel().0 as i32;
        let left = (px + 10).min(width - 290 - size.0 as i32).max(4);
        let dy = if d > 0.0 { 6 } else { -(size.1 as i32) - 6 };
        root.draw_text(&label, &text(TICK, &INK), (left, py + dy))?;
    }
    legend(
        &legend_area,
        &[
            LegendItem::new(Mark::Swatch(BAND), w.band_legend),
            LegendItem::new(Mark::Dot(fits), w.fits_legend),
            LegendItem::new(Mark::Dot(misses), w.misses_legend),
            LegendItem::new(Mark::Ring(MUTED), w.check_legend),
        ],
    )
}
