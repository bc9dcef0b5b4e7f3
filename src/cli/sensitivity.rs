//! `trappe sensitivity`: which assumption drives the answer? A tornado
//! (one parameter at a time, optionally of the difference between two
//! scenarios), Sobol indices (a Saltelli design run as a sweep, shardable),
//! or regression coefficients from an existing Latin hypercube sweep.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::sweep::{ShardRun, parse_metric, parse_parameter, parse_shard};
use super::{ExecutionArgs, ModelArgs, Result, begin, progress_bar, thread_pool};
use trappe::Error;
use trappe::format::ENGLISH;
use trappe::plots::PLOTS_DIR;
use trappe::plots::sensitivity::{self as charts, BarChart, BarSeries};
use trappe::results::Publication;
use trappe::sensitivity::regression::{self, Coefficient, REGRESSION_CSV, Regression};
use trappe::sensitivity::sobol::{self, Index, SOBOL_CSV};
use trappe::sensitivity::tornado::{self, TORNADO_CSV, Tornado, TornadoRequest, TornadoResult};
use trappe::sensitivity::{PeriodChoice, Quantity, Record, SENSITIVITY_JSON};
use trappe::sweep::figures::MetricChoice;
use trappe::sweep::output::{write_complete, write_shard};
use trappe::sweep::{Parameter, Shard, Sweep, SweepError, SweepRequest, run_shard, work};

/// How sensitivity is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SensitivityMethod {
    /// One parameter at a time at its low and high value (tornado.csv).
    Tornado,
    /// Sobol first-order and total indices from a Saltelli design
    /// (sobol.csv).
    Sobol,
}

/// Arguments of `trappe sensitivity`.
#[derive(Debug, Args)]
pub struct SensitivityArgs {
    /// The scenario and, optionally, an alternative: then the tornado
    /// measures ALT − SCENARIO per replication (which assumption drives
    /// the savings?).
    #[arg(value_name = "SCENARIO [ALT]", num_args = 0..=2)]
    scenarios: Vec<PathBuf>,
    #[command(flatten)]
    model: ModelArgs,
    /// A parameter and its range (repeatable): `PATH=LO..HI`, paths as for
    /// --set. The tornado runs LO and HI; Sobol samples the range.
    #[arg(long = "vary", value_name = "PATH=LO..HI", value_parser = parse_parameter)]
    vary: Vec<Parameter>,
    /// tornado (default) or sobol.
    #[arg(long, value_enum, default_value = "tornado")]
    method: SensitivityMethod,
    /// Sobol: base samples N of the Saltelli design (N × (parameters + 2)
    /// points, each run --replications times).
    #[arg(long, value_name = "N", default_value_t = 64)]
    samples: usize,
    /// Instead of simulating: regression coefficients (SRC, PRCC) from the
    /// points of an existing Latin hypercube sweep folder.
    #[arg(long, value_name = "SWEEP_DIR", conflicts_with_all = ["scenarios", "vary", "shard"])]
    from: Option<PathBuf>,
    /// What is measured, e.g. `cost:total`, `placed_child_years`,
    /// `unmet_need_child_years`.
    #[arg(long, value_name = "METRIC[:STEP]", value_parser = parse_metric)]
    metric: MetricChoice,
    /// `total` (the whole run, as totals.csv totals it) or a reporting
    /// period K (1-based).
    #[arg(long, value_name = "K|total", default_value = "total", value_parser = parse_period)]
    period: PeriodChoice,
    /// Output folder (created if missing; a Sobol shard writes into
    /// DIR/shard-K-of-N).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Sobol: run only shard K of N and write partial results for `trappe
    /// merge` (as for sweeps; Slurm and Kubernetes array variables too).
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    shard: Option<Shard>,
    /// Run the whole design even inside a Slurm or Kubernetes job array.
    #[arg(long, conflicts_with = "shard")]
    no_auto_shard: bool,
    /// Do not draw the chart.
    #[arg(long)]
    no_plots: bool,
    /// Also write a self-contained DIR/report.html (the chart and the
    /// table).
    #[arg(long)]
    report: bool,
    #[command(flatten)]
    execution: ExecutionArgs,
}

fn parse_period(text: &str) -> std::result::Result<PeriodChoice, String> {
    text.parse()
}

/// `trappe sensitivity`.
pub fn run(args: SensitivityArgs) -> Result<()> {
    if let Some(dir) = &args.from {
        return from_sweep(dir, &args);
    }
    if args.scenarios.is_empty() {
        return Err(Error::input(
            "give a SCENARIO file (and optionally an ALT), or --from SWEEP_DIR",
        ));
    }
    match args.method {
        SensitivityMethod::Tornado => tornado(&args),
        SensitivityMethod::Sobol => sobol_run(&args),
    }
}

fn say(line: String) {
    let _ = writeln!(std::io::stdout().lock(), "{line}");
}

fn tornado(args: &SensitivityArgs) -> Result<()> {
    if args.shard.is_some() {
        return Err(Error::input(
            "--shard applies to --method sobol; a tornado runs 2 × parameters + 1 points",
        ));
    }
    let request = TornadoRequest {
        scenarios: args.scenarios.clone(),
        vary: args.vary.clone(),
        set: args.model.set.clone(),
        replications: args.model.replications,
        seed: args.model.seed,
        metric: args.metric.clone(),
        period: args.period,
    };
    let tornado = Tornado::prepare(&request)?;
    for note in &tornado.notes {
        eprintln!("note: {note}");
    }
    let per_run: f64 = tornado
        .base
        .iter()
        .map(|s| trappe::scenario::work::estimated_events(s, 1))
        .sum();
    args.execution.check_work(
        per_run * tornado.replications() as f64 * (1 + 2 * tornado.swings.len()) as f64,
    )?;
    let stage = begin(&args.out)?;
    let pool = thread_pool(args.execution.threads)?;
    say(format!(
        "Tornado of {} over {} parameter{}: {} runs × {} replications, seed {}",
        tornado.measured(),
        tornado.swings.len(),
        if tornado.swings.len() == 1 { "" } else { "s" },
        tornado.base.len() * (1 + 2 * tornado.swings.len()),
        tornado.replications(),
        tornado.base[0].settings().seed
    ));
    let bar = progress_bar(tornado.work(), args.execution.quiet);
    let result = pool.install(|| tornado.run(&bar));
    let cannot = |e| Error::io("write results to", &args.out, e);
    tornado
        .write(stage.path(), &result, pool.current_num_threads())
        .map_err(cannot)?;
    if !args.no_plots {
        let subtitle = format!(
            "{}\n{} replications per run on common random numbers; largest swing on top",
            tornado.measured(),
            tornado.replications()
        );
        charts::write_tornado(
            &stage.path().join(PLOTS_DIR),
            &result,
            &tornado.axis(),
            &subtitle,
        )?;
    }
    if args.report {
        let sentences = vec![
            format!("What is measured: {}.", tornado.measured()),
            format!(
                "Each parameter at its low and its high value, every other at base, {} \
                 replications per run on common random numbers; effect = high − low with the 95 % \
                 CI of the paired differences; rows sorted by swing.",
                tornado.replications()
            ),
        ];
        write_report(
            stage.path(),
            "Tornado: one parameter at a time",
            &sentences,
            TORNADO_CSV,
            charts::TORNADO,
        )?;
    }
    stage.publish().map_err(cannot)?;
    say(format!(
        "Base: {}",
        ENGLISH.thousands(result.base.mean.round())
    ));
    for row in &result.rows {
        say(format!(
            "  {:<44} {:>12} → {:>12}  swing {}",
            format!(
                "{} ({} → {})",
                row.swing.path, row.swing.low, row.swing.high
            ),
            ENGLISH.thousands(row.at_low.mean.round()),
            ENGLISH.thousands(row.at_high.mean.round()),
            ENGLISH.thousands(row.swing().round())
        ));
    }
    say(format!(
        "Results in {}: tornado.csv, sensitivity.json{}",
        args.out.display(),
        if args.no_plots {
            ""
        } else {
            ", plots/tornado.png"
        }
    ));
    Ok(())
}

fn sobol_run(args: &SensitivityArgs) -> Result<()> {
    if args.scenarios.len() != 1 {
        return Err(Error::input(
            "--method sobol takes one scenario (a tornado takes an alternative)",
        ));
    }
    let request = SweepRequest {
        scenario: args.scenarios[0].clone(),
        vary: args.vary.clone(),
        lhs: None,
        saltelli: Some(args.samples),
        set: args.model.set.clone(),
        replications: args.model.replications,
        seed: args.model.seed,
    };
    let sweep = Sweep::prepare(&request)?;
    for note in &sweep.notes {
        eprintln!("note: {note}");
    }
    let quantity =
        Quantity::resolve(&args.metric, args.period, &sweep.base).map_err(Error::input)?;
    let record = sobol::record(&sweep, &quantity);
    let ShardRun {
        shard,
        source,
        which,
        target,
        stage,
        pool,
    } = ShardRun::start(
        &sweep,
        (args.shard, args.no_auto_shard),
        &args.out,
        &args.execution,
    )?;
    say(format!(
        "Sobol indices of {}: Saltelli design of {} base samples × ({} parameters + 2) = {} \
         points × {} replications, seed {}",
        quantity.describe(),
        args.samples,
        sweep.design.parameters.len(),
        sweep.points.len(),
        sweep.replications(),
        sweep.seed()
    ));
    let bar = progress_bar(work(&sweep, which), args.execution.quiet);
    let mut result = pool.install(|| run_shard(&sweep, which, &bar));
    let threads = pool.current_num_threads();
    let cannot = |e| Error::io("write results to", &target, e);
    let info = result.run_info(&sweep, threads, source);
    if let Some(s) = shard {
        write_shard(stage.path(), &sweep, &result, &info)?;
        record.write(stage.path()).map_err(cannot)?;
        stage.publish().map_err(cannot)?;
        say(format!(
            "Partial results of shard {s} in {}; when all {} are done: trappe merge {} --out RESULTS",
            target.display(),
            s.count,
            args.out.display()
        ));
        return Ok(());
    }
    let mut values_of = |point: usize| -> std::result::Result<Vec<f64>, SweepError> {
        Ok(std::mem::take(&mut result.units[point].values))
    };
    write_complete(stage.path(), &sweep, &mut values_of, &info)?;
    let found = finish_sobol(&stage, &sweep, &record, args.no_plots)?;
    if args.report {
        let sentences = vec![
            format!("What is measured: {}.", quantity.describe()),
            format!(
                "Sobol indices over independent uniform ranges: Saltelli design of {} base \
                 samples × {} replications, Jansen estimators, 95 % CIs from {} bootstrap \
                 resamples. First order: the share of the variance a parameter explains alone; \
                 total: with its interactions.",
                args.samples,
                sweep.replications(),
                sobol::BOOTSTRAP
            ),
        ];
        write_report(
            stage.path(),
            "Sobol indices",
            &sentences,
            SOBOL_CSV,
            charts::SOBOL,
        )?;
    }
    stage.publish().map_err(cannot)?;
    say_indices(&found, &args.out);
    Ok(())
}

/// Write `sobol.csv`, `sensitivity.json` and (unless `no_plots`) the chart
/// into the complete Saltelli sweep being built in `stage`: the end of both
/// an unsharded run and `trappe merge`.
pub fn finish_sobol(
    stage: &Publication,
    sweep: &Sweep,
    record: &Record,
    no_plots: bool,
) -> Result<Vec<Index>> {
    let found = sobol::complete(stage.path(), sweep, record)?;
    if !no_plots {
        charts::write_bars(
            &stage.path().join(PLOTS_DIR),
            charts::SOBOL,
            &sobol_chart(&found, record),
        )?;
    }
    Ok(found)
}

/// The bar chart of Sobol indices.
fn sobol_chart(found: &[Index], record: &Record) -> BarChart {
    BarChart {
        title: "Sobol indices: share of the variance each parameter explains".into(),
        subtitle: format!(
            "{}; {} base samples × {} replications; first order: alone, total: with \
                 interactions",
            record.metric,
            record.samples.unwrap_or(0),
            record.replications
        ),
        y_desc: "Share of the variance of the result".into(),
        parameters: found.iter().map(|i| i.path.clone()).collect(),
        series: vec![
            BarSeries {
                name: "first order (S)".into(),
                values: found.iter().map(|i| i.first).collect(),
                intervals: found.iter().map(|i| i.first_ci).collect(),
            },
            BarSeries {
                name: "total (ST)".into(),
                values: found.iter().map(|i| i.total).collect(),
                intervals: found.iter().map(|i| i.total_ci).collect(),
            },
        ],
    }
}

/// The bar chart of regression coefficients.
fn regression_chart(coefficients: &[Coefficient], what: &str, r2: f64, points: usize) -> BarChart {
    BarChart {
        title: "Regression on the sweep's points".into(),
        subtitle: format!(
            "{what}; {points} points; linear fit R² = {}",
            ENGLISH.decimals(r2, 2)
        ),
        y_desc: "Coefficient".into(),
        parameters: coefficients.iter().map(|c| c.path.clone()).collect(),
        series: vec![
            BarSeries {
                name: "standardised regression coefficient".into(),
                values: coefficients.iter().map(|c| c.src).collect(),
                intervals: Vec::new(),
            },
            BarSeries {
                name: "partial rank correlation".into(),
                values: coefficients.iter().map(|c| c.prcc).collect(),
                intervals: Vec::new(),
            },
        ],
    }
}

/// Write `report.html` into `dir`: `sentences`, the chart `stem` (if
/// drawn) and the table `csv`.
fn write_report(
    dir: &Path,
    title: &str,
    sentences: &[String],
    csv: &str,
    stem: &str,
) -> Result<()> {
    let table =
        std::fs::read_to_string(dir.join(csv)).map_err(|e| Error::io("read", &dir.join(csv), e))?;
    let svg = std::fs::read_to_string(dir.join(PLOTS_DIR).join(format!("{stem}.svg"))).ok();
    let html = trappe::report::sensitivity_report(title, sentences, svg.as_deref(), &table);
    trappe::report::write(dir, &html)
        .map_err(|e| Error::io("write", &dir.join(trappe::report::FILE_NAME), e))
}

/// Whether `dir` holds the results of `trappe sensitivity`.
pub fn is_sensitivity_folder(dir: &Path) -> bool {
    dir.join(SENSITIVITY_JSON).is_file()
}

/// `trappe plot DIR` for a sensitivity folder: redraw its chart from the
/// saved table.
pub fn plot(dir: &Path) -> Result<()> {
    let path = dir.join(SENSITIVITY_JSON);
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io("read", &path, e))?;
    let record: Record = serde_json::from_str(&text)
        .map_err(|e| Error::input(format!("{}: not readable: {e}", path.display())))?;
    let plots = dir.join(PLOTS_DIR);
    match record.method.as_str() {
        "tornado" => {
            let mut base = vec![trappe::Scenario::load(&dir.join("scenario.toml"), &[])?];
            let alt = dir.join("alternative.toml");
            if alt.is_file() {
                base.push(trappe::Scenario::load(&alt, &[])?);
            }
            let quantity = record.quantity(&base[0]).map_err(Error::input)?;
            let (rows, at_base) = tornado::read_csv(&dir.join(TORNADO_CSV))?;
            let result = TornadoResult {
                rows,
                base: at_base,
                events: 0,
                case_years: 0.0,
                wall_seconds: 0.0,
            };
            let subtitle = format!(
                "{}\n{} replications per run on common random numbers; largest swing on top",
                tornado::measured(&quantity, &base),
                record.replications
            );
            charts::write_tornado(&plots, &result, &tornado::axis(&quantity, &base), &subtitle)?;
        }
        "sobol" => {
            let found = sobol::read_csv(&dir.join(SOBOL_CSV))?;
            charts::write_bars(&plots, charts::SOBOL, &sobol_chart(&found, &record))?;
        }
        "regression" => {
            let (coefficients, r2, points) = regression::read_csv(&dir.join(REGRESSION_CSV))?;
            let what = match record.period.as_str() {
                "total" => format!("{}, whole run", record.metric),
                k => format!("{}, period {k}", record.metric),
            };
            charts::write_bars(
                &plots,
                charts::REGRESSION,
                &regression_chart(&coefficients, &what, r2, points),
            )?;
        }
        other => {
            return Err(Error::input(format!(
                "{}: unknown method '{other}'",
                path.display()
            )));
        }
    }
    say(format!("Plots in {}", plots.display()));
    Ok(())
}

/// Print the indices and where they are.
pub fn say_indices(found: &[Index], out: &Path) {
    for i in found {
        say(format!(
            "  {:<44} S {:>6} [{}, {}]   ST {:>6} [{}, {}]",
            i.path,
            ENGLISH.decimals(i.first, 3),
            ENGLISH.decimals(i.first_ci.0, 3),
            ENGLISH.decimals(i.first_ci.1, 3),
            ENGLISH.decimals(i.total, 3),
            ENGLISH.decimals(i.total_ci.0, 3),
            ENGLISH.decimals(i.total_ci.1, 3)
        ));
    }
    say(format!(
        "Results in {}: sobol.csv, sensitivity.json, sweep.csv, points.csv",
        out.display()
    ));
}

fn from_sweep(dir: &Path, args: &SensitivityArgs) -> Result<()> {
    let found: Regression = regression::from_sweep(dir, &args.metric, args.period)?;
    for note in &found.notes {
        eprintln!("note: {note}");
    }
    let stage = begin(&args.out)?;
    let cannot = |e| Error::io("write results to", &args.out, e);
    found.write(stage.path()).map_err(cannot)?;
    if !args.no_plots {
        let figure = regression_chart(
            &found.coefficients,
            &found.quantity.describe(),
            found.r2,
            found.points,
        );
        charts::write_bars(&stage.path().join(PLOTS_DIR), charts::REGRESSION, &figure)?;
    }
    if args.report {
        let sentences = vec![
            format!(
                "What is measured: {}, the mean over replications at each of the {} points of \
                 the Latin hypercube sweep {}.",
                found.quantity.describe(),
                found.points,
                dir.display()
            ),
            "src: standardised regression coefficient; prcc: partial rank correlation \
             coefficient; r2: R² of the linear fit."
                .to_string(),
        ];
        write_report(
            stage.path(),
            "Regression on a sweep",
            &sentences,
            REGRESSION_CSV,
            charts::REGRESSION,
        )?;
    }
    stage.publish().map_err(cannot)?;
    for c in &found.coefficients {
        say(format!(
            "  {:<44} SRC {:>6}   PRCC {:>6}",
            c.path,
            ENGLISH.decimals(c.src, 3),
            ENGLISH.decimals(c.prcc, 3)
        ));
    }
    say(format!(
        "R² of the linear fit: {}. Results in {}: regression.csv, sensitivity.json",
        ENGLISH.decimals(found.r2, 3),
        args.out.display()
    ));
    Ok(())
}
