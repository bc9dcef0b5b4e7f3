//! `trappe report DIR`: write `report.html` for a results folder (run,
//! comparison, complete sweep or fit) from its saved results, without
//! re-simulating.

use std::path::PathBuf;

use clap::Args;

use super::{LanguageArgs, Result};
use trappe::Error;
use trappe::compare::Comparison;
use trappe::language::Language;
use trappe::records::fit_folder::{FIT_CSV, FitFolder};
use trappe::report;
use trappe::results::read::{RunSummary, SavedKind};
use trappe::sweep::Sweep;
use trappe::sweep::figures::{PlotOptions, sweep_figures};
use trappe::uncertainty::paired;

/// Arguments of `trappe report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// A results folder written by `trappe run`, `trappe compare`, `trappe
    /// sweep`, `trappe merge` or `trappe fit`.
    dir: PathBuf,
    #[command(flatten)]
    language: LanguageArgs,
}

/// `trappe report`.
pub fn run(args: ReportArgs) -> Result<()> {
    let dir = &args.dir;
    // The words of the line printed at the end: the chosen language, else
    // English (the saved scenario's language is not read twice for it).
    let words = &args.language.lang.unwrap_or_default().words().headline;
    let html = match SavedKind::detect(dir) {
        // A fit folder (trappe fit) holds fit.csv and none of the others.
        None if dir.join(FIT_CSV).is_file() => {
            let mut folder = FitFolder::read(dir)?;
            if let Some(lang) = args.language.lang {
                folder.language = lang;
            }
            report::fit_report_of(&folder)?
        }
        Some(SavedKind::Comparison) => {
            let paired = paired::read_saved(dir, args.language.lang).unwrap_or_default();
            let mut comparison = Comparison::read(dir)?;
            for run in &mut comparison.runs {
                args.language.apply(&mut run.scenario);
            }
            report::comparison_report_with(
                &comparison,
                &paired.sentences,
                paired.histogram_svg.as_deref(),
            )?
        }
        Some(SavedKind::Run) => {
            let mut run = RunSummary::read(dir)?;
            args.language.apply(&mut run.scenario);
            report::run_report(&run)?
        }
        Some(SavedKind::Sweep) => {
            if args.language.lang == Some(Language::Danish) {
                return Err(Error::input(
                    "reports of a sweep are in English only (its figures are drawn in English); leave out --lang da",
                ));
            }
            let sweep = Sweep::from_folder(dir)?;
            let figures = sweep_figures(dir, &PlotOptions::default())?;
            report::sweep_report(&sweep, &figures)?
        }
        Some(SavedKind::Shard) => {
            return Err(Error::input(format!(
                "{} is one shard of a sweep: merge the shards first (trappe merge), then report the merged folder",
                dir.display()
            )));
        }
        Some(other) => {
            return Err(Error::input(format!(
                "reports of a {other} folder are not supported yet"
            )));
        }
        None => {
            return Err(Error::input(format!(
                "{} holds no results to report (no compare.csv, summary.csv, sweep.csv or fit.csv)",
                dir.display()
            )));
        }
    };
    report::write(dir, &html).map_err(|e| Error::io("write", &dir.join(report::FILE_NAME), e))?;
    println!(
        "{}: {}",
        words.report_at,
        dir.join(report::FILE_NAME).display()
    );
    Ok(())
}
