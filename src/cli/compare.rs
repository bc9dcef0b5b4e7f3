//! `trappe compare`: run several scenarios on common random numbers and
//! compare each with the first.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use super::{
    BadInput, ExecutionArgs, OutputArgs, begin, load_file, parse_override, progress_bar,
    thread_pool,
};
use trappe::compare::{Comparison, check_periods, folder_keys, use_common_streams};
use trappe::report::headline::comparison_text;
use trappe::{Override, monte_carlo, plots, report};

/// Arguments of `trappe compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Scenario files: the base first, then one or more alternatives.
    #[arg(required = true, num_args = 2.., value_name = "SCENARIO")]
    scenarios: Vec<PathBuf>,
    /// Output folder: compare.csv, compare.json, plots/, and each
    /// scenario's own results in a sub-folder named after its file.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Override a parameter in every scenario (repeatable), as for `run`.
    #[arg(long = "set", value_name = "PATH=VALUE", value_parser = parse_override)]
    set: Vec<Override>,
    /// Replications of every scenario (default: the base's).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    replications: Option<u64>,
    /// Root seed of every scenario (default: the base's).
    #[arg(long, value_parser = clap::value_parser!(u64).range(0..=i64::MAX as u64))]
    seed: Option<u64>,
    #[command(flatten)]
    output: OutputArgs,
    #[command(flatten)]
    execution: ExecutionArgs,
}

/// `trappe compare`.
pub fn run(args: CompareArgs) -> Result<()> {
    let base = load_file(&args.scenarios[0], &args.set, args.replications, args.seed)?;
    let seed = base.settings().seed;
    let replications = base.settings().replications;
    let mut scenarios = vec![base];
    for path in &args.scenarios[1..] {
        let s = load_file(path, &args.set, args.replications, args.seed)?;
        if s.settings().seed != seed && args.seed.is_none() {
            eprintln!(
                "note: {} sets seed {}; every scenario runs with the base's seed {seed} (common random numbers)",
                path.display(),
                s.settings().seed
            );
        }
        scenarios.push(s);
    }
    check_periods(&scenarios).map_err(|e| BadInput(e.to_string()))?;
    use_common_streams(&mut scenarios, seed, replications);
    let stage = begin(&args.out)?;

    let pool = thread_pool(args.execution.threads)?;
    let results: Vec<_> = scenarios
        .iter()
        .map(|s| {
            let bar = progress_bar(replications, args.execution.quiet);
            bar.set_message(s.name().to_string());
            pool.install(|| monte_carlo::run_with_progress(s, &bar))
        })
        .collect();
    let keys = folder_keys(&args.scenarios);
    let comparison =
        Comparison::new(keys.clone(), &results).map_err(|e| BadInput(e.to_string()))?;
    let threads = pool.current_num_threads();
    let cannot = || format!("cannot write results to {}", args.out.display());
    let dir = stage.path();
    comparison
        .write(&results, dir, threads)
        .with_context(cannot)?;
    if !args.output.no_plots {
        plots::write_comparison_figures(&comparison, &dir.join(plots::PLOTS_DIR))
            .with_context(cannot)?;
        for (key, run) in keys.iter().zip(&comparison.runs) {
            plots::write_run_figures(run, &dir.join(key).join(plots::PLOTS_DIR))
                .with_context(cannot)?;
        }
    }
    if args.output.report {
        report::write(dir, &report::comparison_report(&comparison)?).with_context(cannot)?;
    }
    stage.publish().with_context(cannot)?;

    let mut stdout = std::io::stdout().lock();
    // A closed stdout (e.g. piped into `head`) is not a failure of the run.
    let _ = write!(stdout, "{}", comparison_text(&comparison));
    let _ = writeln!(stdout, "\nResults in {}", args.out.display());
    if args.output.report {
        let _ = writeln!(
            stdout,
            "Report: {}",
            args.out.join(report::FILE_NAME).display()
        );
    }
    Ok(())
}
