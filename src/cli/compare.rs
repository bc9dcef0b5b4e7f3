//! `trappe compare`: run several scenarios on common random numbers and
//! compare each with the first.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::{
    ExecutionArgs, LanguageArgs, ModelArgs, OutputArgs, PrecisionArgs, Result, begin, progress_bar,
    thread_pool,
};
use trappe::compare::{Comparison, check_periods, folder_keys, use_common_streams};
use trappe::report::headline::comparison_text;
use trappe::uncertainty::{paired, precision};
use trappe::{Error, monte_carlo, plots, report};

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
    /// Overrides, replications and seed for every scenario (without
    /// `--replications`/`--seed`: the base's, so that all run on common
    /// random numbers).
    #[command(flatten)]
    model: ModelArgs,
    #[command(flatten)]
    output: OutputArgs,
    #[command(flatten)]
    language: LanguageArgs,
    #[command(flatten)]
    precision: PrecisionArgs,
    #[command(flatten)]
    execution: ExecutionArgs,
}

/// `trappe compare`.
pub fn run(args: CompareArgs) -> Result<()> {
    let mut base = args.model.load(&args.scenarios[0])?;
    args.language.apply(&mut base);
    let seed = base.settings().seed;
    let replications = base.settings().replications;
    let mut scenarios = vec![base];
    for path in &args.scenarios[1..] {
        let mut s = args.model.load(path)?;
        // Every scenario writes in the base's language (or --lang).
        if s.language() != scenarios[0].language() {
            s.set_language(scenarios[0].language());
        }
        if s.settings().seed != seed && args.model.seed.is_none() {
            eprintln!(
                "note: {} sets seed {}; every scenario runs with the base's seed {seed} (common random numbers)",
                path.display(),
                s.settings().seed
            );
        }
        if s.file.uncertainty != scenarios[0].file.uncertainty {
            eprintln!(
                "note: {}'s [uncertainty] differs from the base's: only parameters both list with the same distribution get the same draws",
                path.display()
            );
        }
        scenarios.push(s);
    }
    check_periods(&scenarios)?;
    use_common_streams(&mut scenarios, seed, replications);
    let events = scenarios
        .iter()
        .map(|s| trappe::scenario::work::estimated_events(s, replications))
        .sum();
    args.execution.check_work(events)?;
    let stage = begin(&args.out)?;

    let pool = thread_pool(args.execution.threads)?;
    let (results, precision) = match args.precision.precision {
        Some(target) => {
            let (all, record) =
                args.precision
                    .run(&pool, &scenarios, target, args.execution.quiet)?;
            (all, Some(record))
        }
        None => {
            let all: Vec<_> = scenarios
                .iter()
                .map(|s| {
                    let bar = progress_bar(replications, args.execution.quiet);
                    bar.set_message(s.name().to_string());
                    pool.install(|| monte_carlo::run_with_progress(s, &bar))
                })
                .collect();
            (all, None)
        }
    };
    let keys = folder_keys(&args.scenarios);
    let comparison = Comparison::new(keys.clone(), &results)?;
    let threads = pool.current_num_threads();
    let cannot = |e| Error::io("write results to", &args.out, e);
    let dir = stage.path();
    comparison.write(&results, dir, threads).map_err(cannot)?;
    if let Some(record) = &precision {
        for key in &keys {
            precision::record_in(&dir.join(key), record).map_err(cannot)?;
        }
    }
    trappe::workbook::write_comparison(&comparison, &dir.join(trappe::workbook::XLSX))
        .map_err(cannot)?;
    if !args.output.no_plots {
        plots::write_comparison_figures(&comparison, &dir.join(plots::PLOTS_DIR))?;
        for (key, run) in keys.iter().zip(&comparison.runs) {
            plots::write_run_figures(run, &dir.join(key).join(plots::PLOTS_DIR))?;
        }
    }
    let paired = paired::write_paired(&results, dir, !args.output.no_plots)?;
    if args.output.report {
        let html = report::comparison_report_with(
            &comparison,
            &paired.sentences,
            paired.histogram_svg.as_deref(),
        )?;
        report::write(dir, &html).map_err(cannot)?;
    }
    stage.publish().map_err(cannot)?;

    let words = &scenarios[0].language().words().headline;
    let mut stdout = std::io::stdout().lock();
    // A closed stdout (e.g. piped into `head`) is not a failure of the run.
    let _ = write!(stdout, "{}", comparison_text(&comparison));
    if let Some(record) = &precision {
        let unit = args.precision.unit(&scenarios[0]);
        let _ = writeln!(stdout, "\n{}", precision::describe(record, unit));
    }
    let _ = writeln!(stdout, "\n{}:", words.paired_answers);
    for line in &paired.sentences {
        let _ = writeln!(stdout, "  {line}");
    }
    let _ = writeln!(stdout, "\n{} {}", words.results_in, args.out.display());
    if args.output.report {
        let _ = writeln!(
            stdout,
            "{}: {}",
            words.report_at,
            args.out.join(report::FILE_NAME).display()
        );
    }
    Ok(())
}
