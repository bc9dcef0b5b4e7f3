//! `trappe plot DIR`: redraw the plots of a results folder from its saved
//! results, without re-simulating.

use std::path::PathBuf;

use clap::Args;

use super::{LanguageArgs, Result};
use trappe::Error;
use trappe::compare::Comparison;
use trappe::plots;
use trappe::results::read::{RunSummary, SavedKind};

/// Arguments of `trappe plot`.
#[derive(Debug, Args)]
pub struct PlotArgs {
    /// A results folder written by `trappe run`, `trappe compare`,
    /// `trappe sweep`, `trappe merge` or `trappe sensitivity`.
    dir: PathBuf,
    #[command(flatten)]
    sweep: super::sweep::SweepPlotArgs,
    #[command(flatten)]
    language: LanguageArgs,
}

/// `trappe plot`: what is drawn depends on what the folder holds.
pub fn run(args: PlotArgs) -> Result<()> {
    let dir = &args.dir;
    let kind = SavedKind::detect(dir);
    if super::sensitivity::is_sensitivity_folder(dir) && !args.sweep.any() {
        return super::sensitivity::plot(dir);
    }
    if matches!(kind, Some(SavedKind::Sweep | SavedKind::Shard)) {
        if args.language.lang == Some(trappe::language::Language::Danish) {
            return Err(Error::input(
                "sweep plots are drawn in English only; leave out --lang da",
            ));
        }
        return super::sweep::plot(dir, args.sweep);
    }
    if args.sweep.any() {
        return Err(Error::input(
            "--metric, --x, --lines and --period apply to sweep folders only",
        ));
    }
    match kind {
        Some(SavedKind::Comparison) => {
            let mut comparison = Comparison::read(dir)?;
            for run in &mut comparison.runs {
                args.language.apply(&mut run.scenario);
            }
            plots::write_comparison_plots(&comparison, dir)?;
            println!(
                "Plots in {} and in each scenario's {}/ folder",
                dir.join(plots::PLOTS_DIR).display(),
                plots::PLOTS_DIR
            );
        }
        Some(SavedKind::Run) => {
            let mut run = RunSummary::read(dir)?;
            args.language.apply(&mut run.scenario);
            plots::write_run_plots(&run, dir)?;
            println!("Plots in {}", dir.join(plots::PLOTS_DIR).display());
        }
        // Further kinds of results folder (e.g. a sweep) get their branch here.
        Some(other) => {
            return Err(Error::input(format!(
                "plots of a {other} folder are not supported yet"
            )));
        }
        None => {
            return Err(Error::input(format!(
                "{} holds no results to plot (no compare.csv or summary.csv)",
                dir.display()
            )));
        }
    }
    Ok(())
}
