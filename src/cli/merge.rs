//! `trappe merge`: combine the shards of a sweep into its complete results.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::sensitivity::{finish_sobol, say_indices};
use super::sweep::{draw_plots, parse_metric, say_plots};
use super::{Result, begin};
use trappe::Error;
use trappe::sensitivity::sobol;
use trappe::sweep::Method;
use trappe::sweep::figures::MetricChoice;
use trappe::sweep::merge::{merge, shard_folders};

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
    let sweep = merge(&args.shards, &stage)?;
    if matches!(sweep.design.method, Method::Saltelli(_)) {
        // A Sobol design: its indices, not the sweep's plots.
        let record = sobol::shards_record(&shard_folders(&args.shards)?)?;
        let found = finish_sobol(&stage, &sweep, &record, args.no_plots)?;
        stage
            .publish()
            .map_err(|e| Error::io("write results to", &args.out, e))?;
        say_indices(&found, &args.out);
        return Ok(());
    }
    let pngs = if args.no_plots {
        None
    } else {
        Some(draw_plots(&stage, args.plot)?)
    };
    stage
        .publish()
        .map_err(|e| Error::io("write results to", &args.out, e))?;
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
