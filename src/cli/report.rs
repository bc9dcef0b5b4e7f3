//! `trappe report DIR`: write `report.html` for a results folder from its
//! saved results, without re-simulating.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::Args;

use super::BadInput;
use trappe::compare::Comparison;
use trappe::report;
use trappe::results::read::{RunSummary, SavedKind};

/// Arguments of `trappe report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// A results folder written by `trappe run` or `trappe compare`.
    dir: PathBuf,
}

/// `trappe report`.
pub fn run(args: ReportArgs) -> Result<()> {
    let dir = &args.dir;
    let bad = |e: trappe::results::read::ReadError| BadInput(e.to_string());
    let html = match SavedKind::detect(dir) {
        Some(SavedKind::Comparison) => {
            report::comparison_report(&Comparison::read(dir).map_err(bad)?)?
        }
        Some(SavedKind::Run) => report::run_report(&RunSummary::read(dir).map_err(bad)?)?,
        Some(other) => bail!("reports of a {other} folder are not supported yet"),
        None => {
            return Err(BadInput(format!(
                "{} holds no results to report (no compare.csv or summary.csv)",
                dir.display()
            ))
            .into());
        }
    };
    report::write(dir, &html)
        .with_context(|| format!("cannot write {}", dir.join(report::FILE_NAME).display()))?;
    println!("Report: {}", dir.join(report::FILE_NAME).display());
    Ok(())
}
