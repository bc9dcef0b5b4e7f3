//! `trappe run`: simulate one scenario and write the results contract.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use super::{ExecutionArgs, OutputArgs, ScenarioArgs, begin, load, progress_bar, thread_pool};
use trappe::metrics::Metric;
use trappe::results::read::RunSummary;
use trappe::results::{Results, write_run};
use trappe::scenario::describe::thousands;
use trappe::{monte_carlo, plots, report};

/// Arguments of `trappe run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    scenario: ScenarioArgs,
    /// Output folder (created if missing; existing result files are replaced).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    #[command(flatten)]
    output: OutputArgs,
    #[command(flatten)]
    execution: ExecutionArgs,
}

/// `trappe run`.
pub fn run(args: RunArgs) -> Result<()> {
    let scenario = load(&args.scenario)?;
    let stage = begin(&args.out)?;
    let pool = thread_pool(args.execution.threads)?;
    let bar = progress_bar(scenario.settings().replications, args.execution.quiet);
    bar.set_message(scenario.name().to_string());
    let results = pool.install(|| monte_carlo::run_with_progress(&scenario, &bar));
    let cannot = || format!("cannot write results to {}", args.out.display());
    write_run(&results, stage.path(), pool.current_num_threads()).with_context(cannot)?;
    let summary = RunSummary::from_results(&results);
    if !args.output.no_plots {
        plots::write_run_figures(&summary, &stage.path().join(plots::PLOTS_DIR))
            .with_context(cannot)?;
    }
    if args.output.report {
        report::write(stage.path(), &report::run_report(&summary)?).with_context(cannot)?;
    }
    stage.publish().with_context(cannot)?;
    let mut stdout = std::io::stdout().lock();
    // A closed stdout (e.g. piped into `head`) is not a failure of the run.
    let _ = write!(stdout, "{}", headline(&results));
    let _ = writeln!(stdout, "Results in {}", args.out.display());
    if args.output.report {
        let _ = writeln!(
            stdout,
            "Report: {}",
            args.out.join(report::FILE_NAME).display()
        );
    }
    Ok(())
}

/// Per period: placed child-years, institution share, total cost, each with
/// its 95 % CI.
pub fn headline(results: &Results) -> String {
    use std::fmt::Write;
    let mut o = String::new();
    let n = results.replications();
    let cur = &results.scenario.settings().currency;
    let top = results.top_placement().map(str::to_owned);
    let _ = writeln!(
        o,
        "{} — {} replications, mean [95 % CI]",
        results.scenario.name(),
        n
    );
    let share_title = format!("{} share", top.as_deref().unwrap_or("top rung"));
    let _ = writeln!(
        o,
        "{:<23}  {:<24}  {share_title:<24}  total cost ({cur})",
        "period", "placed child-years",
    );
    for (k, p) in results.periods.iter().enumerate() {
        let placed = results.summary(Metric::PlacedChildYears, "", k);
        let share = top
            .as_deref()
            .and_then(|t| results.summary(Metric::PlacementShare, t, k));
        let cost = results.summary(Metric::Cost, "total", k);
        let fmt = |s: Option<trappe::results::stats::Summary>, f: &dyn Fn(f64) -> String| {
            s.map_or("-".into(), |s| {
                // -0.0 prints as "-0.0"; adding 0.0 turns it into +0.0.
                let g = |x: f64| f(x + 0.0);
                format!("{} [{}, {}]", g(s.mean), g(s.ci95_low), g(s.ci95_high))
            })
        };
        let dates = format!("{} – {}", p.start, p.end);
        let placed = fmt(placed, &|x| format!("{x:.1}"));
        let share = fmt(share, &|x| format!("{:.1} %", x * 100.0));
        let cost = fmt(cost, &|x| thousands(x));
        let _ = writeln!(o, "{dates:<23}  {placed:<24}  {share:<24}  {cost}");
    }
    o
}
