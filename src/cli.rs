//! The command line: arguments in, validated options out, one function per
//! subcommand. `main` only calls [`run`] and maps errors to exit codes.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use trappe::metrics::Metric;
use trappe::monte_carlo;
use trappe::results::{Results, write_run};
use trappe::scenario::describe::{describe, thousands};
use trappe::{Override, Scenario};

/// trappe: simulate the child-welfare intervention ladder and compare
/// policies (caseload, follow-up frequency, time limits) on costs and
/// placement mixes.
#[derive(Debug, Parser)]
#[command(name = "trappe", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run a scenario's replications and write results to a folder.
    Run(RunArgs),
    /// Validate a scenario and describe it in words.
    Check(CheckArgs),
}

/// Options shared by commands that load a scenario.
#[derive(Debug, Args)]
struct ScenarioArgs {
    /// Scenario TOML file.
    scenario: PathBuf,
    /// Override a parameter, e.g. `--set workforce.caseworkers=8` or
    /// `--set steps.institution.follow_up.every_weeks=6` (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE", value_parser = parse_override)]
    set: Vec<Override>,
    /// Number of replications (overrides scenario.replications).
    #[arg(long)]
    replications: Option<u64>,
    /// Root random seed (overrides scenario.seed).
    #[arg(long)]
    seed: Option<u64>,
}

#[derive(Debug, Args)]
struct RunArgs {
    #[command(flatten)]
    scenario: ScenarioArgs,
    /// Output folder (created if missing; existing result files are replaced).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Worker threads (default: all cores, or RAYON_NUM_THREADS).
    #[arg(long)]
    threads: Option<usize>,
    /// No progress bar.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Debug, Args)]
struct CheckArgs {
    #[command(flatten)]
    scenario: ScenarioArgs,
}

fn parse_override(text: &str) -> Result<Override, String> {
    text.parse()
}

/// Bad input from the user: exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BadInput(pub String);

/// Run the command line.
pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Run(args) => run_command(args),
        Command::Check(args) => {
            let scenario = load(&args.scenario)?;
            print!("{}", describe(&scenario));
            println!("\nOK: {} is valid.", args.scenario.scenario.display());
            Ok(())
        }
    }
}

fn load(args: &ScenarioArgs) -> Result<Scenario> {
    let mut overrides = args.set.clone();
    if let Some(n) = args.replications {
        overrides.push(Override {
            path: "scenario.replications".into(),
            value: toml::Value::Integer(i64::try_from(n).unwrap_or(i64::MAX)),
        });
    }
    if let Some(seed) = args.seed {
        overrides.push(Override {
            path: "scenario.seed".into(),
            value: toml::Value::Integer(seed as i64),
        });
    }
    Scenario::load(&args.scenario, &overrides).map_err(|e| BadInput(e.to_string()).into())
}

fn progress_bar(len: u64, quiet: bool) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} {msg} [{bar:40}] {pos}/{len} replications ({per_sec}, ETA {eta})",
        )
        .expect("static template")
        .progress_chars("=> "),
    );
    bar
}

fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        if n == 0 {
            return Err(BadInput("--threads must be at least 1".into()).into());
        }
        builder = builder.num_threads(n);
    }
    builder.build().context("cannot start worker threads")
}

fn run_command(args: RunArgs) -> Result<()> {
    let scenario = load(&args.scenario)?;
    let pool = thread_pool(args.threads)?;
    let bar = progress_bar(scenario.settings().replications, args.quiet);
    bar.set_message(scenario.name().to_string());
    let results = pool.install(|| monte_carlo::run_with_progress(&scenario, &bar));
    write_run(&results, &args.out, pool.current_num_threads())
        .with_context(|| format!("cannot write results to {}", args.out.display()))?;
    print!("{}", headline(&results));
    println!("Results in {}", display_dir(&args.out));
    Ok(())
}

fn display_dir(dir: &Path) -> String {
    dir.display().to_string()
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
    let _ = writeln!(
        o,
        "{:<23}  {:<24}  {:<24}  {}",
        "period",
        "placed child-years",
        format!("{} share", top.as_deref().unwrap_or("top rung")),
        format!("total cost ({cur})")
    );
    for (k, p) in results.periods.iter().enumerate() {
        let placed = results.summary(Metric::PlacedChildYears, "", k);
        let share = top
            .as_deref()
            .and_then(|t| results.summary(Metric::PlacementShare, t, k));
        let cost = results.summary(Metric::Cost, "total", k);
        let fmt = |s: Option<trappe::results::stats::Summary>, f: &dyn Fn(f64) -> String| {
            s.map_or("-".into(), |s| format!("{} [{}, {}]", f(s.mean), f(s.ci95_low), f(s.ci95_high)))
        };
        let _ = writeln!(
            o,
            "{:<23}  {:<24}  {:<24}  {}",
            format!("{} – {}", p.start, p.end),
            fmt(placed, &|x| format!("{x:.1}")),
            fmt(share, &|x| format!("{:.1} %", x * 100.0)),
            fmt(cost, &|x| thousands(x)),
        );
    }
    o
}
