//! `trappe sweep`: run a scenario over a grid or Latin hypercube of
//! parameter values, whole or as one shard of a cluster job.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::{ExecutionArgs, Result, ScenarioArgs, begin, progress_bar, thread_pool};
use trappe::Error;
use trappe::plots::write_sweep_plots;
use trappe::results::Publication;
use trappe::sweep::figures::{MetricChoice, PlotOptions};
use trappe::sweep::output::{write_complete, write_shard};
use trappe::sweep::{Method, Parameter, Shard, Sweep, SweepError, SweepRequest, run_shard, work};

/// Arguments of `trappe sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    #[command(flatten)]
    scenario: ScenarioArgs,
    /// Vary a parameter (repeatable): `PATH=LO..HI` (integers: every value;
    /// decimals: sampled by --lhs), `PATH=LO..HI:STEP`, or a list
    /// `PATH=[a,b,c]`. Paths are those of --set. A swept value holds for
    /// the whole run, also where [[changes]] set the same path.
    #[arg(long = "vary", value_name = "PATH=VALUES", value_parser = parse_parameter)]
    vary: Vec<Parameter>,
    /// Latin hypercube of N samples over the ranges without a step, crossed
    /// with the lists, instead of a full grid. Drawn from --seed.
    #[arg(long, value_name = "N")]
    lhs: Option<usize>,
    /// Output folder (created if missing). A shard writes into
    /// DIR/shard-K-of-N.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Run only shard K of N (1-based) and write partial results for
    /// `trappe merge`. Without it, SLURM_ARRAY_TASK_ID/_COUNT (or
    /// JOB_COMPLETION_INDEX with TRAPPE_SHARDS) choose the shard.
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    shard: Option<Shard>,
    /// Run the whole sweep even inside a Slurm or Kubernetes job array.
    #[arg(long, conflicts_with = "shard")]
    no_auto_shard: bool,
    /// Metric to plot (repeatable), e.g. `cost:total`,
    /// `placement_share:institution`, `follow_up_delay_weeks`. Default:
    /// total cost per year and the top placement rung's share.
    #[arg(long = "plot", value_name = "METRIC[:STEP]", value_parser = parse_metric)]
    plot: Vec<MetricChoice>,
    /// Do not draw plots.
    #[arg(long)]
    no_plots: bool,
    #[command(flatten)]
    execution: ExecutionArgs,
}

pub fn parse_parameter(text: &str) -> std::result::Result<Parameter, String> {
    text.parse()
}

pub fn parse_shard(text: &str) -> std::result::Result<Shard, String> {
    text.parse()
}

/// `--plot METRIC[:STEP]`.
pub fn parse_metric(text: &str) -> std::result::Result<MetricChoice, String> {
    text.parse()
}

/// `trappe plot DIR` options for sweep folders.
#[derive(Debug, Args, Default)]
pub struct SweepPlotArgs {
    /// Sweep folders: metric to plot (repeatable), e.g. `cost:total`,
    /// `placement_share:institution`, `follow_up_delay_weeks`.
    #[arg(long = "metric", value_name = "METRIC[:STEP]", value_parser = parse_metric)]
    metrics: Vec<MetricChoice>,
    /// Sweep folders: the varied parameter on the x axis.
    #[arg(long, value_name = "PATH")]
    x: Option<String>,
    /// Sweep folders: the varied parameter drawn as one line per value.
    #[arg(long, value_name = "PATH")]
    lines: Option<String>,
    /// Sweep folders: plot this period (1-based) instead of the whole run.
    #[arg(long, value_name = "K")]
    period: Option<usize>,
}

impl SweepPlotArgs {
    /// Whether any sweep-only option was given.
    pub fn any(&self) -> bool {
        !self.metrics.is_empty()
            || self.x.is_some()
            || self.lines.is_some()
            || self.period.is_some()
    }
}

/// `trappe plot DIR` for a sweep folder.
pub fn plot(dir: &std::path::Path, args: SweepPlotArgs) -> Result<()> {
    let options = PlotOptions {
        metrics: args.metrics,
        x: args.x,
        lines: args.lines,
        period: args.period,
    };
    let pngs = draw(dir, &options)?;
    say_plots(pngs, dir);
    Ok(())
}

/// Draw the default plots (or `metrics`) of the complete sweep being built
/// in `stage`; returns how many PNGs were drawn.
pub fn draw_plots(stage: &Publication, metrics: Vec<MetricChoice>) -> Result<usize> {
    let options = PlotOptions {
        metrics,
        ..PlotOptions::default()
    };
    draw(stage.path(), &options)
}

/// Say where the plots of the sweep folder `out` are.
pub fn say_plots(pngs: usize, out: &std::path::Path) {
    let _ = writeln!(
        std::io::stdout().lock(),
        "Plots: {pngs} PNG (+ SVG) in {}",
        out.join("plots").display()
    );
}

fn draw(dir: &std::path::Path, options: &PlotOptions) -> Result<usize> {
    let files = write_sweep_plots(dir, options)?;
    Ok(files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "png"))
        .count())
}

/// The shard to run and where that choice came from: `--shard`, else (unless
/// `no_auto_shard`) a Slurm or Kubernetes job-array variable, else none.
fn choose_shard(
    given: Option<Shard>,
    no_auto_shard: bool,
) -> Result<(Option<Shard>, Option<String>)> {
    Ok(match given {
        Some(s) => (Some(s), Some("--shard".to_string())),
        None if no_auto_shard => (None, None),
        None => match Shard::from_env(|k| std::env::var(k).ok()).map_err(Error::input)? {
            Some((s, why)) => (Some(s), Some(why)),
            None => (None, None),
        },
    })
}

/// A sweep's points (a grid, a Latin hypercube or a Saltelli design) made
/// ready to run, whole or as one shard: which shard and why, the folder it
/// publishes into and its stage, and the thread pool, after the work
/// estimate passed. `trappe sweep` and `trappe sensitivity --method sobol`
/// both start here.
pub struct ShardRun {
    /// The shard given or found in a job array; `None`: the whole sweep.
    pub shard: Option<Shard>,
    /// Where the shard came from (`--shard` or the job-array variable).
    pub source: Option<String>,
    /// The points run: the shard, or the whole sweep.
    pub which: Shard,
    /// The results folder (a shard's own subfolder of `--out`).
    pub target: PathBuf,
    /// The stage the results are written into before they are published.
    pub stage: Publication,
    /// The worker threads.
    pub pool: rayon::ThreadPool,
}

impl ShardRun {
    /// Choose the shard, check the work it implies (every point estimated
    /// like the base scenario) and open the results stage under `out`.
    pub fn start(
        sweep: &Sweep,
        (given, no_auto_shard): (Option<Shard>, bool),
        out: &std::path::Path,
        execution: &ExecutionArgs,
    ) -> Result<Self> {
        let (shard, source) = choose_shard(given, no_auto_shard)?;
        let target = match shard {
            Some(s) => out.join(s.folder_name()),
            None => out.to_path_buf(),
        };
        let which = shard.unwrap_or(Shard::WHOLE);
        let base = trappe::scenario::work::estimated_events(&sweep.base, 1);
        execution.check_work(base * work(sweep, which) as f64)?;
        Ok(Self {
            shard,
            source,
            which,
            stage: begin(&target)?,
            target,
            pool: thread_pool(execution.threads)?,
        })
    }
}

/// `trappe sweep`.
pub fn run(args: SweepArgs) -> Result<()> {
    let request = SweepRequest {
        scenario: args.scenario.scenario.clone(),
        vary: args.vary.clone(),
        lhs: args.lhs,
        saltelli: None,
        set: args.scenario.model.set.clone(),
        replications: args.scenario.model.replications,
        seed: args.scenario.model.seed,
    };
    let sweep = Sweep::prepare(&request)?;
    for note in &sweep.notes {
        eprintln!("note: {note}");
    }
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
    let mut stdout = std::io::stdout().lock();
    let design = match sweep.design.method {
        Method::Grid => "grid".to_string(),
        Method::Lhs(n) => format!("Latin hypercube of {n}"),
        Method::Saltelli(n) => format!("Saltelli design of {n} base samples"),
    };
    let _ = writeln!(
        stdout,
        "{}: {} points ({design} over {}) × {} replications, seed {}",
        sweep.base.name(),
        sweep.points.len(),
        sweep
            .design
            .parameters
            .iter()
            .map(|p| p.path.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        sweep.replications(),
        sweep.seed()
    );
    if let Some(s) = shard {
        let _ = writeln!(
            stdout,
            "Shard {s} ({}): {} of {} replications",
            source.as_deref().unwrap_or("--shard"),
            work(&sweep, s),
            sweep.replications() * sweep.points.len() as u64
        );
    }
    drop(stdout);
    let bar = progress_bar(work(&sweep, which), args.execution.quiet);
    let mut result = pool.install(|| run_shard(&sweep, which, &bar));
    let threads = pool.current_num_threads();
    let cannot = |e| Error::io("write results to", &target, e);
    let info = result.run_info(&sweep, threads, source);
    if let Some(s) = shard {
        write_shard(stage.path(), &sweep, &result, &info)?;
        stage.publish().map_err(cannot)?;
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(
            stdout,
            "Partial results of shard {s} in {}",
            target.display()
        );
        let _ = writeln!(
            stdout,
            "When all {} shards are done: trappe merge {} --out RESULTS",
            s.count,
            args.out.display()
        );
        return Ok(());
    }
    let mut values_of = |point: usize| -> std::result::Result<Vec<f64>, SweepError> {
        Ok(std::mem::take(&mut result.units[point].values))
    };
    write_complete(stage.path(), &sweep, &mut values_of, &info)?;
    let pngs = if args.no_plots {
        None
    } else {
        Some(draw_plots(&stage, args.plot)?)
    };
    stage.publish().map_err(cannot)?;
    let _ = writeln!(
        std::io::stdout().lock(),
        "Results in {}: sweep.csv, points.csv, sweep.json",
        args.out.display()
    );
    if let Some(pngs) = pngs {
        say_plots(pngs, &args.out);
    }
    Ok(())
}
