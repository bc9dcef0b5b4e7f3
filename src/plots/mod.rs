//! Plots of results (PNG and SVG) with plotters, rendered with an embedded
//! font so they work on machines without any installed fonts.
//!
//! A [`Figure`] names one plot of one run, comparison or sweep; it can be
//! drawn to an SVG string (for reports) or written as `NAME.png` and
//! `NAME.svg`. Figures are drawn from summaries ([`RunSummary`],
//! [`Comparison`], a sweep's [`SweepFigure`]), which come either straight
//! from a simulation or from a results folder, so `trappe plot DIR`
//! redraws exactly what `trappe run` drew. Every figure shares one look
//! (`style`), one set of chart parts (`chart`) and one way to be saved
//! ([`Figure::write`]).

mod chart;
mod compare;
pub mod fit;
pub mod font;
pub mod paired;
mod run;
pub mod sensitivity;
pub mod style;
mod sweep;

use std::io;
use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_backend::DrawingErrorKind;
use plotters_bitmap::BitMapBackendError;

use crate::compare::Comparison;
use crate::results::Publication;
use crate::results::read::RunSummary;
use crate::sweep::figures::SweepFigure;
pub use sweep::write_sweep_plots;

/// Name of the folder plots go into, inside a results folder.
pub const PLOTS_DIR: &str = "plots";

/// Why a plot could not be drawn or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PlotError {
    /// The drawing failed.
    #[error("cannot draw a plot: {0}")]
    Draw(String),
    /// A file could not be written.
    #[error("cannot write a plot: {0}")]
    Io(#[from] io::Error),
    /// A plot file could not be saved (a full disk, say): its path and the
    /// operating system's reason, in words.
    #[error("cannot write {}: {reason}", path.display())]
    File {
        /// The PNG or SVG file.
        path: PathBuf,
        /// Why, e.g. "No space left on device (os error 28)".
        reason: String,
    },
}

impl PlotError {
    /// Failing to write `path`, for `reason`.
    fn file(path: &Path, reason: impl ToString) -> Self {
        PlotError::File {
            path: path.to_path_buf(),
            reason: reason.to_string(),
        }
    }
}

/// Why saving a bitmap to `path` failed, in words: plotters shows its
/// backend errors as `Debug` dumps (`ImageError(IoError(Custom { … }))`),
/// so the reason is taken from the error inside.
fn png_not_saved(path: &Path, e: DrawingAreaErrorKind<BitMapBackendError>) -> PlotError {
    match e {
        DrawingAreaErrorKind::BackendError(DrawingErrorKind::DrawingError(inner)) => match inner {
            BitMapBackendError::IOError(io) => PlotError::file(path, io),
            BitMapBackendError::ImageError(image) => PlotError::file(path, image),
            BitMapBackendError::InvalidBuffer => {
                PlotError::file(path, "the image buffer is invalid")
            }
        },
        other => other.into(),
    }
}

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for PlotError {
    fn from(e: DrawingAreaErrorKind<E>) -> Self {
        PlotError::Draw(e.to_string())
    }
}

/// One plot of one run or comparison.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum Figure<'a> {
    /// Projected budget per period, stacked by rung plus workforce, fixed
    /// and breakdown costs, with the 90 % band of the total.
    Budget(&'a RunSummary),
    /// Unmet need per period by rung and for all rungs, with 90 % bands:
    /// the welfare side beside the budget.
    UnmetNeed(&'a RunSummary),
    /// Placement mix over time: each placement rung's share of placed
    /// child-years, stacked.
    PlacementMix(&'a RunSummary),
    /// Average number of cases on each rung (and under assessment) per
    /// period, with 90 % bands.
    CasesByRung(&'a RunSummary),
    /// Follow-up delay and caseload per caseworker, with 90 % bands.
    FollowUpCaseload(&'a RunSummary),
    /// Placement capacity: children waiting for each rung with places at
    /// period end, with 90 % bands.
    Waiting(&'a RunSummary),
    /// Placement capacity: decisions diverted because the rung was full.
    Diverted(&'a RunSummary),
    /// Placement capacity: difference in the cost of waiting from the base
    /// per period, with 95 % CIs.
    WaitingCostDifference(&'a Comparison),
    /// Each scenario's total cost and institution share per period.
    Levels(&'a Comparison),
    /// Difference in total cost from the base per period, with 95 % CIs.
    CostDifference(&'a Comparison),
    /// Difference in unmet need (all rungs) from the base per period, with
    /// 95 % CIs: the welfare side beside the cost difference.
    UnmetNeedDifference(&'a Comparison),
    /// Difference in institution share from the base per period, with 95 %
    /// CIs.
    ShareDifference(&'a Comparison),
    /// Running sum of the total-cost difference from the base, with its
    /// 95 % CI band and the break-even period.
    CumulativeCostDifference(&'a Comparison),
    /// A figure of a sweep: a metric against a parameter, or a heat map.
    Sweep(&'a SweepFigure),
}

impl<'a> Figure<'a> {
    /// The figures of one run, in report order.
    pub fn for_run(run: &'a RunSummary) -> Vec<Figure<'a>> {
        let mut figures = vec![
            Figure::Budget(run),
            Figure::UnmetNeed(run),
            Figure::PlacementMix(run),
            Figure::CasesByRung(run),
            Figure::FollowUpCaseload(run),
        ];
        if !run.scenario.params.capacity_rungs.is_empty() {
            figures.extend([Figure::Waiting(run), Figure::Diverted(run)]);
        }
        figures
    }

    /// The figures of a comparison as a whole, in report order (each
    /// scenario's own figures come from [`Figure::for_run`]).
    pub fn for_comparison(comparison: &'a Comparison) -> Vec<Figure<'a>> {
        let mut figures = vec![
            Figure::CostDifference(comparison),
            Figure::UnmetNeedDifference(comparison),
        ];
        if comparison.totals.is_some() {
            figures.push(Figure::CumulativeCostDifference(comparison));
        }
        // Capacity rows are compared where the base has them (a base
        // without places: give it ample places, which changes nothing).
        if !comparison.runs[0].scenario.params.capacity_rungs.is_empty() {
            figures.push(Figure::WaitingCostDifference(comparison));
        }
        figures.extend([
            Figure::ShareDifference(comparison),
            Figure::Levels(comparison),
        ]);
        figures
    }

    /// File name without extension.
    pub fn file_stem(&self) -> &str {
        match self {
            Figure::Budget(_) => "budget",
            Figure::UnmetNeed(_) => "unmet_need",
            Figure::UnmetNeedDifference(_) => "compare_unmet_need_difference",
            Figure::PlacementMix(_) => "placement_mix",
            Figure::CasesByRung(_) => "cases_by_rung",
            Figure::FollowUpCaseload(_) => "follow_up_caseload",
            Figure::Waiting(_) => "waiting",
            Figure::Diverted(_) => "diverted",
            Figure::WaitingCostDifference(_) => "compare_waiting_cost_difference",
            Figure::Levels(_) => "compare_levels",
            Figure::CostDifference(_) => "compare_cost_difference",
            Figure::ShareDifference(_) => "compare_institution_share_difference",
            Figure::CumulativeCostDifference(_) => "compare_cumulative_cost_difference",
            Figure::Sweep(f) => f.file_stem(),
        }
    }

    /// The figure's title (also drawn on it).
    pub fn title(&self) -> String {
        match self {
            Figure::Budget(r) => run::budget_title(r),
            Figure::UnmetNeed(r) => figure_words(r).unmet_need_title.into(),
            Figure::UnmetNeedDifference(c) => compare::unmet_need_title(c),
            Figure::PlacementMix(r) => figure_words(r).placement_mix_title.into(),
            Figure::CasesByRung(r) => figure_words(r).cases_by_rung_title.into(),
            Figure::FollowUpCaseload(r) => figure_words(r).follow_up_title.into(),
            Figure::Waiting(r) => lang_of(r).words().capacity.waiting_title.into(),
            Figure::Diverted(r) => lang_of(r).words().capacity.diverted_title.into(),
            Figure::WaitingCostDifference(c) => compare::waiting_cost_title(c),
            Figure::Levels(c) => compare::levels_title(c),
            Figure::CostDifference(c) => compare::cost_title(c),
            Figure::ShareDifference(c) => compare::share_title(c),
            Figure::CumulativeCostDifference(c) => compare::cumulative_title(c),
            Figure::Sweep(f) => f.title().to_string(),
        }
    }

    /// A sentence saying how to read the figure (for reports), in the
    /// language of its run or comparison.
    pub fn caption(&self) -> String {
        let run = |r: &RunSummary, i: usize| figure_words(r).run_captions[i].to_string();
        let compare = |c: &Comparison, i: usize| {
            c.runs[0]
                .scenario
                .language()
                .words()
                .figures
                .compare_captions[i]
                .to_string()
        };
        match self {
            Figure::Budget(r) => run(r, 0),
            Figure::UnmetNeed(r) => run(r, 1),
            Figure::PlacementMix(r) => run(r, 2),
            Figure::CasesByRung(r) => run(r, 3),
            Figure::FollowUpCaseload(r) => run(r, 4),
            Figure::Levels(c) => compare(c, 0),
            Figure::CumulativeCostDifference(c) => compare(c, 1),
            Figure::Waiting(r) => lang_of(r).words().capacity.waiting_caption.into(),
            Figure::Diverted(r) => lang_of(r).words().capacity.diverted_caption.into(),
            Figure::CostDifference(c)
            | Figure::UnmetNeedDifference(c)
            | Figure::WaitingCostDifference(c)
            | Figure::ShareDifference(c) => compare(c, 2),
            Figure::Sweep(SweepFigure::Lines(_)) => "The mean over replications at each sweep point, with the 95 % confidence interval of that mean (shaded, or whiskers for sampled points). Every point uses the same random numbers, so differences between points are the parameter's effect.".into(),
            Figure::Sweep(SweepFigure::Heat(_)) => "Each cell's colour and number: the mean over replications at the sweep point (or the sampled points) in it; grey cells hold no point.".into(),
        }
    }

    /// Pixel size (the same for PNG and SVG).
    pub fn size(&self) -> (u32, u32) {
        match self {
            Figure::Levels(_) => (style::SIZE.0, 800),
            _ => style::SIZE,
        }
    }

    /// Draw the figure on a drawing area of [`Figure::size`].
    pub fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        font::ensure_registered();
        match self {
            Figure::Budget(r) => run::budget(root, r),
            Figure::UnmetNeed(r) => run::unmet_need(root, r),
            Figure::UnmetNeedDifference(c) => compare::unmet_need_difference(root, c),
            Figure::PlacementMix(r) => run::placement_mix(root, r),
            Figure::CasesByRung(r) => run::cases_by_rung(root, r),
            Figure::FollowUpCaseload(r) => run::follow_up_caseload(root, r),
            Figure::Waiting(r) => run::waiting(root, r),
            Figure::Diverted(r) => run::diverted(root, r),
            Figure::WaitingCostDifference(c) => compare::waiting_cost_difference(root, c),
            Figure::Levels(c) => compare::levels(root, c),
            Figure::CostDifference(c) => compare::cost_difference(root, c),
            Figure::ShareDifference(c) => compare::share_difference(root, c),
            Figure::CumulativeCostDifference(c) => compare::cumulative_cost_difference(root, c),
            Figure::Sweep(f) => sweep::draw(root, f),
        }
    }

    /// The figure as an SVG document.
    pub fn to_svg(&self) -> Result<String, PlotError> {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, self.size()).into_drawing_area();
            self.draw(&root)?;
            root.present()?;
        }
        Ok(svg)
    }

    /// Write the figure as a PNG file.
    pub fn write_png(&self, path: &Path) -> Result<(), PlotError> {
        let root = BitMapBackend::new(path, self.size()).into_drawing_area();
        self.draw(&root)?;
        root.present().map_err(|e| png_not_saved(path, e))
    }

    /// Write `STEM.png` and `STEM.svg` into `dir`; returns both paths.
    pub fn write(&self, dir: &Path) -> Result<[PathBuf; 2], PlotError> {
        std::fs::create_dir_all(dir).map_err(|e| PlotError::file(dir, e))?;
        let png = dir.join(format!("{}.png", self.file_stem()));
        let svg = dir.join(format!("{}.svg", self.file_stem()));
        self.write_png(&png)?;
        std::fs::write(&svg, self.to_svg()?).map_err(|e| PlotError::file(&svg, e))?;
        Ok([png, svg])
    }
}

/// The figure words of a run's language.
fn figure_words(r: &RunSummary) -> &'static crate::language::FigureWords {
    &lang_of(r).words().figures
}

/// The language a run's figures are drawn in.
fn lang_of(r: &RunSummary) -> crate::language::Language {
    r.scenario.language()
}

/// Write a run's figures into `dir/plots`, replacing older ones atomically.
pub fn write_run_plots(run: &RunSummary, dir: &Path) -> Result<(), PlotError> {
    let stage = Publication::begin(&dir.join(PLOTS_DIR))?;
    write_run_figures(run, stage.path())?;
    Ok(stage.publish()?)
}

/// Write a comparison's figures into `dir/plots` and each scenario's own
/// figures into `dir/<scenario>/plots`, replacing older ones atomically.
pub fn write_comparison_plots(comparison: &Comparison, dir: &Path) -> Result<(), PlotError> {
    let stage = Publication::begin(&dir.join(PLOTS_DIR))?;
    write_comparison_figures(comparison, stage.path())?;
    stage.publish()?;
    for (key, run) in comparison.keys.iter().zip(&comparison.runs) {
        write_run_plots(run, &dir.join(key))?;
    }
    Ok(())
}

/// Write a run's figures into `plots_dir` (not atomic; see
/// [`write_run_plots`]).
pub fn write_run_figures(run: &RunSummary, plots_dir: &Path) -> Result<(), PlotError> {
    for figure in Figure::for_run(run) {
        figure.write(plots_dir)?;
    }
    Ok(())
}

/// Write a comparison's own figures into `plots_dir` (not atomic; see
/// [`write_comparison_plots`]).
pub fn write_comparison_figures(
    comparison: &Comparison,
    plots_dir: &Path,
) -> Result<(), PlotError> {
    for figure in Figure::for_comparison(comparison) {
        figure.write(plots_dir)?;
    }
    Ok(())
}
