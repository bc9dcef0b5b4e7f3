//! `trappe merge`: combine the shards of a sweep into its complete results.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use super::begin;
use super::sweep::{draw_plots, failure, parse_metric, say_plots};
use trappe::sweep::merge::merge;
use trappe::sweep::plot::MetricChoice;

/// Arguments of `trappe merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Shard folders (`OUT/shard-K-of-N`), or the folders holding them.
    #[arg(required = true, value_name = "SHARD_DIR")]
    shards: Vec<PathBuf>,
    /// Output folder for the complete results (created if missing).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Metric to plot (repeatable), as for `trappe sweep --plot`.
    #[arg(long = "plot", value_name = "METRIC[:STEP]", value_parser = parse_metric)]
    plot: Vec<MetricChoice>,
    /// Do not draw plots.
    #[arg(long)]
    no_plots: bool,
}

/// `trappe merge`.
pub fn run(args: MergeArgs) -> Result<()> {
    let stage = begin(&args.out)?;
    let sweep = merge(&args.shards, &stage).map_err(failure)?;
    let pngs = if args.no_plots {
        None
    } else {
        Some(draw_plots(&stage, args.plot)?)
    };
    stage
        .publish()
        .with_context(|| format!("cannot write results to {}", args.out.display()))?;
    let _ = writeln!(
        std::io::stdout().lock(),
        "Merged {} points × {} replications of {} into {}",
        sweep.points.len(),
        sweep.replications(),
        sweep.base.name(),
        args.out.display()
    );
    if let Some(pngs) = pngs {
        say_plots(pngs, &args.out);
    }
    Ok(())
}
