//! The command line: arguments in, validated options out, one function per
//! subcommand. `main` only calls [`run`] and maps errors to exit codes.

mod backtest;
mod calibrate;
mod compare;
mod fit;
mod fit_progress;
mod merge;
mod plot;
mod record_args;
mod report;
mod run;
mod sensitivity;
mod sweep;

use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

use trappe::language::Language;
use trappe::scenario::describe::describe;
use trappe::sweep::figures::MetricChoice;
use trappe::uncertainty::precision::{self, Target};
use trappe::{Error, Override, Scenario};

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
    Run(run::RunArgs),
    /// Validate a scenario and describe it in words.
    Check(CheckArgs),
    /// Run several scenarios on common random numbers and compare each with
    /// the first.
    Compare(compare::CompareArgs),
    /// Redraw the plots of a results folder without re-simulating.
    Plot(plot::PlotArgs),
    /// Write report.html for a results folder without re-simulating.
    Report(report::ReportArgs),
    /// Run a scenario over a grid or Latin hypercube of parameter values
    /// (whole, or one shard of a cluster job array).
    Sweep(sweep::SweepArgs),
    /// Merge the shard folders of a sweep into its complete results.
    Merge(merge::MergeArgs),
    /// Which assumption drives the answer: a tornado (one parameter at a
    /// time, also of the difference between two scenarios), Sobol indices,
    /// or regression coefficients from a Latin hypercube sweep.
    Sensitivity(sensitivity::SensitivityArgs),
    /// Fit behavioural parameters of scenarios to published figures
    /// (targets file), and write fit.csv and the fitted scenarios.
    Calibrate(calibrate::CalibrateArgs),
    /// Read a municipality's case records, write what they show directly
    /// (observed rates with 95 % intervals, the open cases at a date), and
    /// fit the policy scenario to them (the hidden hazards by simulation).
    Fit(fit::FitArgs),
    /// Project from the open cases of the records on a past day (--at) to
    /// a later one and score the projection against what the records show
    /// (coverage of the 90 % band, mean absolute percentage error).
    Backtest(backtest::BacktestArgs),
}

/// Options shared by commands that load one scenario.
#[derive(Debug, Args)]
struct ScenarioArgs {
    /// Scenario TOML file.
    scenario: PathBuf,
    #[command(flatten)]
    model: ModelArgs,
}

impl ScenarioArgs {
    /// The scenario, validated, with the options applied.
    fn load(&self) -> Result<Scenario> {
        self.model.load(&self.scenario)
    }
}

/// How the command line changes a scenario: parameter overrides, and how
/// many replications to run from which seed. Declared once for every
/// command that simulates scenario files.
#[derive(Debug, Args)]
struct ModelArgs {
    /// Override a parameter, e.g. `--set workforce.caseworkers=8` or
    /// `--set steps.institution.follow_up.every_weeks=6` (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE", value_parser = parse_override)]
    set: Vec<Override>,
    /// Number of replications (instead of scenario.replications).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    replications: Option<u64>,
    /// Root random seed (instead of scenario.seed; a TOML integer, so at
    /// most 9223372036854775807).
    #[arg(long, value_parser = clap::value_parser!(u64).range(0..=i64::MAX as u64))]
    seed: Option<u64>,
    /// Run every replication on the scenario's base values, ignoring its
    /// `[uncertainty]` table.
    #[arg(long)]
    no_uncertainty: bool,
}

impl ModelArgs {
    /// Load and validate `path` with the `--set` overrides, then apply
    /// `--replications` and `--seed` (typed options, not overrides: a
    /// problem in the file is reported at its own line).
    fn load(&self, path: &Path) -> Result<Scenario> {
        let mut scenario = Scenario::load(path, &self.set)?;
        if let Some(n) = self.replications {
            scenario.set_replications(n);
        }
        if let Some(seed) = self.seed {
            scenario.set_seed(seed);
        }
        if self.no_uncertainty {
            scenario.drop_uncertainty();
        }
        Ok(scenario)
    }
}

/// `--lang`: the language of what a command writes for people (terminal
/// tables, plots, report). Declared once for every such command.
#[derive(Debug, Args)]
struct LanguageArgs {
    /// Language of the terminal tables, plots and report: `da` (Danish) or
    /// `en` (English). Wins over the scenario's `scenario.language`.
    #[arg(long, value_name = "da|en")]
    lang: Option<Language>,
}

impl LanguageArgs {
    /// Write `scenario`'s outputs in the chosen language, if one was chosen.
    fn apply(&self, scenario: &mut Scenario) {
        if let Some(lang) = self.lang {
            scenario.set_language(lang);
        }
    }
}

/// `--precision` for `run` and `compare`: replications in batches until
/// the 95 % CI of one whole-run quantity is narrow enough, up to
/// `--replications`.
#[derive(Debug, Args)]
struct PrecisionArgs {
    /// Target 95 % CI half-width: relative (`1%` of the mean) or absolute
    /// (`50000`, in the metric's unit). Runs batches up to --replications.
    #[arg(long, value_name = "TARGET", value_parser = parse_target)]
    precision: Option<Target>,
    /// The quantity whose precision counts, summed over the whole run (in
    /// `compare`: its difference from the base).
    #[arg(long, value_name = "METRIC[:STEP]", default_value = "cost:total", value_parser = sweep::parse_metric)]
    precision_metric: MetricChoice,
}

impl PrecisionArgs {
    /// Run `scenarios` (one, or a base and alternatives on common random
    /// numbers) to the target on `pool`, up to the base's replications.
    fn run(
        &self,
        pool: &rayon::ThreadPool,
        scenarios: &[Scenario],
        target: Target,
        quiet: bool,
    ) -> Result<(
        Vec<trappe::results::Results>,
        trappe::results::run_info::PrecisionRecord,
    )> {
        for s in scenarios {
            precision::check_metric(s, &self.precision_metric).map_err(Error::input)?;
        }
        let cap = scenarios[0].settings().replications;
        Ok(pool.install(|| {
            precision::run_to_precision(scenarios, &self.precision_metric, target, cap, |n, hw, allowed| {
                if !quiet {
                    eprintln!("precision: {n} replications, 95 % CI half-width {hw:.4e} (target {allowed:.4e})");
                }
            })
        }))
    }

    /// The unit of the precision metric, for messages.
    fn unit<'s>(&self, scenario: &'s Scenario) -> &'s str {
        if self.precision_metric.metric == trappe::metrics::Metric::Cost {
            &scenario.settings().currency
        } else {
            self.precision_metric.metric.unit()
        }
    }
}

fn parse_target(text: &str) -> std::result::Result<Target, String> {
    text.parse()
}

/// Options shared by commands that simulate.
#[derive(Debug, Args)]
struct ExecutionArgs {
    /// Worker threads (default: all cores, or RAYON_NUM_THREADS).
    #[arg(long)]
    threads: Option<usize>,
    /// No progress bar.
    #[arg(long, short)]
    quiet: bool,
    /// Run even when the estimated work is above the limit (see README,
    /// "Limits").
    #[arg(long)]
    force: bool,
}

impl ExecutionArgs {
    /// Refuse a run whose estimated number of events is implausibly large
    /// (a typo, most likely), unless `--force`.
    fn check_work(&self, events: f64) -> Result<()> {
        match trappe::scenario::work::refusal(events) {
            Some(why) if !self.force => Err(Error::input(why)),
            _ => Ok(()),
        }
    }
}

#[derive(Debug, Args)]
struct CheckArgs {
    #[command(flatten)]
    scenario: ScenarioArgs,
    #[command(flatten)]
    language: LanguageArgs,
    /// Also print the resolved scenario as TOML (`extends` followed, `--set`
    /// applied, defaults filled in): what `run` writes as scenario.toml.
    #[arg(long)]
    resolved: bool,
}

/// Options for what `run` and `compare` write besides the results.
#[derive(Debug, Args)]
struct OutputArgs {
    /// Do not draw plots (by default PNG and SVG files go to DIR/plots).
    #[arg(long)]
    no_plots: bool,
    /// Also write a self-contained DIR/report.html.
    #[arg(long)]
    report: bool,
}

fn parse_override(text: &str) -> std::result::Result<Override, String> {
    text.parse()
}

/// What every subcommand returns: the library's error says whether a
/// failure is the user's (exit code 2) or not (1).
type Result<T> = std::result::Result<T, Error>;

/// Run the command line. SIGINT and SIGTERM remove unfinished results
/// folders (the previous results stay) and exit with 130.
pub fn run(cli: Cli) -> Result<()> {
    ctrlc::set_handler(|| {
        eprintln!("\ninterrupted: unfinished results removed, previous results untouched");
        trappe::results::Publication::abandon_all_and_exit(130)
    })
    .map_err(|e| Error::Failed(format!("cannot install the interrupt handler: {e}")))?;
    match cli.command {
        Command::Run(args) => run::run(args),
        Command::Compare(args) => compare::run(args),
        Command::Plot(args) => plot::run(args),
        Command::Report(args) => report::run(args),
        Command::Sweep(args) => sweep::run(args),
        Command::Merge(args) => merge::run(args),
        Command::Sensitivity(args) => sensitivity::run(args),
        Command::Calibrate(args) => calibrate::run(args),
        Command::Fit(args) => fit::run(args),
        Command::Backtest(args) => backtest::run(args),
        Command::Check(args) => check(&args),
    }
}

/// `trappe check`: describe the resolved scenario, name the files it was
/// resolved from, and with `--resolved` print it as TOML.
fn check(args: &CheckArgs) -> Result<()> {
    let mut scenario = args.scenario.load()?;
    args.language.apply(&mut scenario);
    let words = &scenario.language().words().check;
    print!("{}", describe(&scenario));
    let doc = trappe::scenario::Document::read(&args.scenario.scenario);
    if let Some(doc) = doc.ok().filter(|d| d.layers.len() > 1) {
        let chain: Vec<&str> = doc.layers.iter().map(|l| l.name.as_str()).collect();
        println!(
            "\n{}",
            (words.resolved_from)(&chain.join(words.which_extends), args.resolved)
        );
    }
    if args.resolved {
        println!("\n{}", words.resolved_heading);
        print!("{}", scenario.to_toml());
    }
    println!(
        "\n{}",
        (words.valid)(&args.scenario.scenario.display().to_string())
    );
    Ok(())
}

/// Start building the results folder `out`, before any simulation, so an
/// output place that cannot be used fails at once.
fn begin(out: &Path) -> Result<trappe::results::Publication> {
    trappe::results::Publication::begin(out).map_err(|e| Error::io("write results to", out, e))
}

/// A progress bar of replications on stderr (hidden when `quiet` or not a
/// terminal).
fn progress_bar(len: u64, quiet: bool) -> ProgressBar {
    progress_bar_of(len, quiet, "replications")
}

/// A progress bar counting `unit` (a plural noun) on stderr.
fn progress_bar_of(len: u64, quiet: bool, unit: &str) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(&format!(
            "{{spinner}} {{msg}} [{{bar:40}}] {{pos}}/{{len}} {unit} ({{rate}}, ETA {{eta}})"
        ))
        .expect("static template")
        .with_key(
            "rate",
            |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = w.write_str(&rate_text(state.per_sec()));
            },
        )
        .progress_chars("=> "),
    );
    bar
}

/// A progress rate as people read it: whole replications per second with
/// thousands separators ("1,245/s", not indicatif's "1,245.2358/s").
fn rate_text(per_sec: f64) -> String {
    let per_sec = if per_sec.is_finite() {
        per_sec.max(0.0)
    } else {
        0.0
    };
    format!("{}/s", trappe::format::ENGLISH.thousands(per_sec.round()))
}

/// Most worker threads per core: results do not depend on the thread
/// count, and beyond a few threads per core more only cost memory and
/// start-up time (10,000 threads took two minutes to run 2 replications).
const MAX_THREADS_PER_CORE: usize = 8;

/// The rayon pool for `--threads`, capped at [`MAX_THREADS_PER_CORE`] per
/// core (with a note).
fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        if n == 0 {
            return Err(Error::input("--threads must be at least 1"));
        }
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let cap = MAX_THREADS_PER_CORE * cores;
        if n > cap {
            eprintln!(
                "note: --threads {n} capped at {cap} ({MAX_THREADS_PER_CORE} per core on \
                 {cores} cores); results do not depend on the thread count"
            );
        }
        builder = builder.num_threads(n.min(cap));
    }
    builder
        .build()
        .map_err(|e| Error::Failed(format!("cannot start worker threads: {e}")))
}

#[cfg(test)]
mod rate_tests {
    use super::rate_text;

    #[test]
    fn progress_rates_are_whole_numbers() {
        assert_eq!(rate_text(1245.2358), "1,245/s");
        assert_eq!(rate_text(0.4), "0/s");
        assert_eq!(rate_text(f64::INFINITY), "0/s");
    }
}
