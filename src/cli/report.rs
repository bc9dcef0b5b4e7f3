//! `trappe report DIR`: write `report.html` for a results folder from its
//! saved results, without re-simulating.

use std::path::PathBuf;

use clap::Args;

use super::{LanguageArgs, Result};
use trappe::Error;
use trappe::compare::Comparison;
use trappe::report;
use trappe::results::read::{RunSummary, SavedKind};
use trappe::uncertainty::paired;

/// Arguments of `trappe report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// A results folder written by `trappe run` or `trappe compare`.
    dir: PathBuf,
    #[command(flatten)]
    language: LanguageArgs,
}

/// `trappe report`.
pub fn run(args: ReportArgs) -> Result<()> {
    let dir = &args.dir;
    let html = match SavedKind::detect(dir) {
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
        Some(other) => {
            return Err(Error::input(format!(
                "reports of a {other} folder are not supported yet"
            )));
        }
        None => {
            return Err(Error::input(format!(
                "{} holds no results to report (no compare.csv or summary.csv)",
                dir.display()
            )));
        }
    };
    report::write(dir, &html).map_err(|e| Error::io("write", &dir.join(report::FILE_NAME), e))?;
    println!("Report: {}", dir.join(report::FILE_NAME).display());
    Ok(())
}
