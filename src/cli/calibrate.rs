//! `trappe calibrate`: fit behavioural parameters of one or more scenarios
//! to published figures, then check the fit at full replications.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use clap::Args;

use super::{ExecutionArgs, Result, begin, thread_pool};
use trappe::Error;
use trappe::calibrate::optimise::Options;
use trappe::calibrate::workflow::{Calibrated, Plan, Stage};
use trappe::calibrate::{Calibration, output};

/// Arguments of `trappe calibrate`.
#[derive(Debug, Args)]
pub struct CalibrateArgs {
    /// Scenario files the targets are measured in (they usually share
    /// behavioural parameters through `extends`).
    #[arg(required = true)]
    scenarios: Vec<PathBuf>,
    /// Targets file: parameters to fit (with bounds) and targets.
    #[arg(long, value_name = "TARGETS.toml")]
    targets: PathBuf,
    /// Output folder: fit.csv, fitted.toml and the fitted scenarios.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Replications per scenario and evaluation (default: the targets
    /// file's `calibrate.replications`, else 100).
    #[arg(long, value_parser = clap::value_parser!(u64).range(2..=100_000))]
    replications: Option<u64>,
    /// Evaluation budget (default: `calibrate.max_evaluations`, else 600).
    #[arg(long)]
    max_evaluations: Option<usize>,
    /// Nelder–Mead restarts (default: `calibrate.restarts`, else 2).
    #[arg(long)]
    restarts: Option<usize>,
    /// Replications of the final check that fit.csv reports (default: each
    /// scenario's own, which is what `trappe run` on the fitted file gives).
    #[arg(long, value_parser = clap::value_parser!(u64).range(2..=1_000_000))]
    check_replications: Option<u64>,
    /// Skip the search: evaluate the targets at the scenarios' current
    /// values (a check of shipped, already fitted scenarios).
    #[arg(long)]
    no_fit: bool,
    #[command(flatten)]
    execution: ExecutionArgs,
}

/// `trappe calibrate`.
pub fn run(args: CalibrateArgs) -> Result<()> {
    let calibration = Calibration::load(&args.scenarios, &args.targets)?;
    let stage = begin(&args.out)?;
    let pool = thread_pool(args.execution.threads)?;
    let settings = &calibration.file.settings;
    let plan = Plan {
        search: (!args.no_fit).then(|| Options {
            replications: args.replications.unwrap_or(settings.replications),
            max_evaluations: args.max_evaluations.unwrap_or(settings.max_evaluations),
            restarts: args.restarts.unwrap_or(settings.restarts),
        }),
        check_replications: args.check_replications,
    };
    let started = Instant::now();
    let quiet = args.execution.quiet;
    let progress = |stage: Stage<'_>| {
        if !quiet {
            show_progress(&calibration, stage, started);
        }
    };
    let calibrated = pool.install(|| calibration.run(&plan, &progress))?;
    let command = format!(
        "trappe calibrate {} --targets {}",
        args.scenarios
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(" "),
        args.targets.display()
    );
    let fitted_toml = output::fitted_toml(
        &calibration,
        &calibrated.values,
        &command,
        calibrated.objective,
    );
    output::write(
        stage.path(),
        &calibration,
        &calibrated.files,
        &calibrated.fits,
        &fitted_toml,
    )
    .and_then(|()| stage.publish())
    .map_err(|e| Error::io("write to", &args.out, e))?;
    print_outcome(&args, &calibration, &calibrated, started);
    Ok(())
}

/// Progress lines on stderr.
fn show_progress(calibration: &Calibration, stage: Stage<'_>, started: Instant) {
    let seconds = started.elapsed().as_secs_f64();
    match stage {
        Stage::Searching(options) => eprintln!(
            "Fitting {} parameters to {} targets in {} scenario(s): Nelder–Mead, {} replications per scenario and evaluation (fixed seeds), up to {} evaluations, {} restarts",
            calibration.file.parameters.len(),
            calibration.file.targets.len(),
            calibration.inputs.len(),
            options.replications,
            options.max_evaluations,
            options.restarts
        ),
        Stage::Evaluated(p) if p.improved || p.evaluations.is_multiple_of(25) => eprintln!(
            "  eval {:>4}/{}  run {}  objective {:>10.3}  best {:>10.3}{}  ({seconds:.0} s)",
            p.evaluations,
            p.max_evaluations,
            p.restart + 1,
            p.objective,
            p.best,
            if p.improved { " *" } else { "" },
        ),
        Stage::Evaluated(_) => {}
        Stage::Searched(outcome) => eprintln!(
            "Search done: {} evaluations in {} run(s), objective {:.3} → {:.3} ({seconds:.0} s)",
            outcome.evaluations, outcome.runs, outcome.start_objective, outcome.objective,
        ),
        Stage::Checking(replications) => {
            let n: Vec<String> = replications.iter().map(u64::to_string).collect();
            eprintln!("Checking the fit with {} replications …", n.join(" + "));
        }
    }
}

/// The parameters, the targets table, the targets not met and a closing
/// line, on stdout.
fn print_outcome(
    args: &CalibrateArgs,
    calibration: &Calibration,
    calibrated: &Calibrated,
    started: Instant,
) {
    let fits = &calibrated.fits;
    let mut o = std::io::stdout().lock();
    let _ = writeln!(
        o,
        "Parameters ({}):",
        if args.no_fit {
            "as in the scenarios"
        } else {
            "start → fitted"
        }
    );
    for ((p, s), v) in calibration
        .file
        .parameters
        .iter()
        .zip(&calibrated.start)
        .zip(&calibrated.values)
    {
        let _ = writeln!(
            o,
            "  {:<58} {:>12} → {:<12} [{}, {}]{}",
            p.name(),
            format!("{s:.4}"),
            format!("{v:.4}"),
            p.min,
            p.max,
            if p.log { " log" } else { "" }
        );
    }
    let _ = writeln!(o);
    let _ = write!(o, "{}", output::table(calibration, fits));
    for (t, f) in calibration.file.targets.iter().zip(fits) {
        if !f.met(t) {
            let pc = output::is_percent(t);
            let _ = writeln!(
                o,
                "Not met: {} ({}): simulated mean {} [95 % CI {}, {}] is {:+.2} tolerances from the observed {}.",
                t.name,
                calibration.inputs[t.scenario].key,
                output::show(f.mean, pc),
                output::show(f.ci95_low, pc),
                output::show(f.ci95_high, pc),
                (f.mean - t.observed) / t.tolerance,
                output::show(t.observed, pc),
            );
        }
    }
    if let Some(start) = calibrated.start_objective {
        if calibrated.kept_start {
            let _ = writeln!(
                o,
                "\nThe search found nothing better than the starting values at the check's replications (objective {:.3} at the start): the starting values are kept.",
                start
            );
        } else {
            let _ = writeln!(
                o,
                "\nObjective at the check's replications: {:.3} at the start → {:.3} fitted.",
                start, calibrated.objective
            );
        }
    }
    let _ = writeln!(
        o,
        "\n{} of {} targets met; objective {:.3}; {:.0} s. Results in {} (fit.csv, fitted.toml, fitted copies of the scenario files).",
        calibrated.met(calibration),
        fits.len(),
        calibrated.objective,
        started.elapsed().as_secs_f64(),
        args.out.display()
    );
}
