//! `trappe backtest`: project from the open cases of the records on a past
//! day to a later one and score the projection against what the records
//! show happened (see [`trappe::backtest`]).

use std::io::Write;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Args;

use super::fit_progress::{FIT_REPLICATIONS, MAX_EVALUATIONS, fit_with_progress};
use super::record_args::{ReadRecords, RecordArgs, parse_date};
use super::{ExecutionArgs, Result, begin, progress_bar, thread_pool};
use trappe::backtest::{self, Backtest, Quantity, projection};
use trappe::scenario::Period;
use trappe::scenario::work::estimated_events;
use trappe::{Error, plots, report};

/// The file with one row per scored cell.
pub const BACKTEST_CSV: &str = "backtest.csv";
/// The file with the scores, overall and per quantity.
pub const SCORES_CSV: &str = "backtest_scores.csv";
/// The folder with the fit on the records before `--at`.
pub const FIT_DIR: &str = "fit";

/// Arguments of `trappe backtest`.
#[derive(Debug, Args)]
#[command(
    after_help = "Writes DIR/backtest.csv (per quantity × step × period: the actual value, \
    the projected mean and 5/25/50/75/95 % quantiles, whether the 90 % band covers the actual \
    value, the absolute percentage error), DIR/backtest_scores.csv (coverage of the 90 % band \
    and MAPE, overall and per quantity), DIR/scenario.toml with DIR/initial_cases.csv (the \
    projection, rerunnable with trappe run), DIR/plots/backtest_fan.png/.svg and \
    DIR/report.html, and in DIR/fit/ what trappe fit writes for the records before --at.\n\n\
    The model projected is the policy scenario fitted on the records as they stood on --at \
    (later spells dropped, later ends censored, later follow-ups dropped) over the window \
    --from to --at; with --no-fit, the policy scenario as given."
)]
pub struct BacktestArgs {
    #[command(flatten)]
    records: RecordArgs,
    /// The day the projection starts from: the open cases of the records
    /// that day are its start state.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    at: NaiveDate,
    /// The day the projection ends (default: the extract date); at most
    /// the extract date.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    until: Option<NaiveDate>,
    /// Output folder.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Replications of the projection (default: the policy scenario's).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    replications: Option<u64>,
    /// Reporting period of the scores: year, quarter or month (default:
    /// the policy scenario's).
    #[arg(long, value_name = "year|quarter|month")]
    period: Option<Period>,
    /// Project the policy scenario as given instead of fitting it on the
    /// records before --at (to score a hand-made or calibrated scenario).
    #[arg(long)]
    no_fit: bool,
    /// Replications per evaluation of the fit.
    #[arg(long, value_name = "N", default_value_t = FIT_REPLICATIONS,
          value_parser = clap::value_parser!(u64).range(2..=10_000))]
    fit_replications: u64,
    /// Evaluations the fit's search may use.
    #[arg(long, value_name = "N", default_value_t = MAX_EVALUATIONS)]
    max_evaluations: usize,
    /// Do not draw the fan chart.
    #[arg(long)]
    no_plots: bool,
    #[command(flatten)]
    execution: ExecutionArgs,
}

/// `trappe backtest`.
pub fn run(args: BacktestArgs) -> Result<()> {
    let extract = args.records.extract_date;
    let (at, until) = (args.at, args.until.unwrap_or(extract));
    if until > extract {
        return Err(Error::input(format!(
            "--until {until}: after the extract date {extract}, the records show nothing to score against"
        )));
    }
    if at >= until {
        return Err(Error::input(format!(
            "--at {at} must be before --until {until} (nothing to project)"
        )));
    }
    let ReadRecords {
        policy,
        bands,
        records,
        ..
    } = args.records.read()?;
    // The records before --at: what the fit may use; the projection
    // starts from the cases open on --at.
    let window = args.records.window(&records, at, "--at")?;
    let options = projection::Options {
        replications: args.replications,
        period: args.period,
    };
    let replications = options
        .replications
        .unwrap_or(policy.settings().replications);
    let mut sized = policy.clone();
    sized.set_replications(replications);
    args.execution
        .check_work(estimated_events(&sized, replications))?;
    let stage = begin(&args.out)?;
    let pool = thread_pool(args.execution.threads)?;
    let past = records.as_of(at);
    let fitted = if args.no_fit {
        None
    } else {
        Some(pool.install(|| {
            fit_with_progress(
                &past,
                &args.records.policy,
                (window, &bands),
                (args.fit_replications, args.max_evaluations),
                args.execution.quiet,
            )
        })?)
    };
    let model = fitted.as_ref().map_or(&policy, |f| &f.scenario);
    let bar = progress_bar(replications, args.execution.quiet);
    bar.set_message(format!("backtest {at} to {until}"));
    let result =
        pool.install(|| backtest::backtest(&records.history, model, (at, until), options, &bar));
    let scored = result.map_err(|problems| {
        Error::input(format!(
            "{}: the projection from {at} is not a valid scenario: {}",
            args.records.policy.display(),
            problems
                .iter()
                .map(|p| p.message.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        ))
    })?;
    let cannot = |e| Error::io("write results to", &args.out, e);
    let dir = stage.path();
    scored.write_csv(&dir.join(BACKTEST_CSV)).map_err(cannot)?;
    scored.write_scores(&dir.join(SCORES_CSV)).map_err(cannot)?;
    trappe::results::files::write_scenario(dir, &scored.scenario).map_err(cannot)?;
    if let Some(f) = &fitted {
        let fit_dir = dir.join(FIT_DIR);
        std::fs::create_dir_all(&fit_dir).map_err(cannot)?;
        f.write(&fit_dir, &past).map_err(cannot)?;
    }
    if !args.no_plots {
        plots::backtest::write_fan(&scored, &dir.join(plots::PLOTS_DIR))?;
    }
    report::write(dir, &report::backtest::backtest_report(&scored)?).map_err(cannot)?;
    stage.publish().map_err(cannot)?;
    if !args.execution.quiet {
        summary(&scored, &args);
    }
    Ok(())
}

/// The scores on stdout.
fn summary(b: &Backtest, args: &BacktestArgs) {
    let n = trappe::format::ENGLISH;
    let mut o = std::io::stdout().lock();
    let model = if args.no_fit {
        "the policy scenario as given".to_string()
    } else {
        format!(
            "the policy scenario fitted on the records before {} (see {}/)",
            b.at, FIT_DIR
        )
    };
    let _ = writeln!(o, "Model: {model}.");
    let _ = writeln!(
        o,
        "Backtest of {}: from the {} open cases on {} to {}, {} replications, {} periods.",
        b.scenario.name(),
        b.scenario
            .initial_cases
            .as_ref()
            .map_or(0, |l| l.cases.len()),
        b.at,
        b.until,
        n.thousands(b.replications as f64),
        b.periods.len()
    );
    let line = |name: &str, q: Option<Quantity>| {
        let s = b.scores(q);
        let coverage = s
            .coverage()
            .map_or("–".into(), |c| format!("{} %", n.decimals(100.0 * c, 1)));
        let mape = s
            .mape
            .map_or("–".into(), |m| format!("{} %", n.decimals(m, 1)));
        format!(
            "  {name:<20} 90 % band covers {coverage} of {} cells; MAPE {mape}",
            s.cells
        )
    };
    let _ = writeln!(o, "{}", line("all", None));
    for q in Quantity::ALL {
        let _ = writeln!(o, "{}", line(q.name(), Some(q)));
    }
    let _ = writeln!(
        o,
        "Results in {} ({BACKTEST_CSV}, {SCORES_CSV}, {}).",
        args.out.display(),
        report::FILE_NAME
    );
}
