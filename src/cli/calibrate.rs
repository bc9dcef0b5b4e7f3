//! `trappe calibrate`: fit behavioural parameters of one or more scenarios
//! to published figures, then check the fit at full replications.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;

use super::{BadInput, begin, thread_pool};
use trappe::calibrate::optimise::{self, Options, Progress};
use trappe::calibrate::{CalibrateError, Calibration, output, round_significant};

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
    /// Worker threads (default: all cores, or RAYON_NUM_THREADS).
    #[arg(long)]
    threads: Option<usize>,
    /// No progress lines.
    #[arg(long, short)]
    quiet: bool,
}

fn input(e: CalibrateError) -> anyhow::Error {
    match e {
        CalibrateError::Input(e) => BadInput(e.to_string()).into(),
        other => anyhow::Error::new(other),
    }
}

/// `trappe calibrate`.
pub fn run(args: CalibrateArgs) -> Result<()> {
    let calibration = Calibration::load(&args.scenarios, &args.targets).map_err(input)?;
    let stage = begin(&args.out)?;
    let pool = thread_pool(args.threads)?;
    let settings = &calibration.file.settings;
    let options = Options {
        replications: args.replications.unwrap_or(settings.replications),
        max_evaluations: args.max_evaluations.unwrap_or(settings.max_evaluations),
        restarts: args.restarts.unwrap_or(settings.restarts),
    };
    let started = Instant::now();
    let names: Vec<String> = calibration
        .file
        .parameters
        .iter()
        .map(|p| p.name())
        .collect();
    let start = calibration.start();
    let values = if args.no_fit {
        start.clone()
    } else {
        if !args.quiet {
            eprintln!(
                "Fitting {} parameters to {} targets in {} scenario(s): Nelder–Mead, {} replications per scenario and evaluation (fixed seeds), up to {} evaluations, {} restarts",
                names.len(),
                calibration.file.targets.len(),
                calibration.inputs.len(),
                options.replications,
                options.max_evaluations,
                options.restarts
            );
        }
        let quiet = args.quiet;
        let report = move |p: &Progress| {
            if !quiet && (p.improved || p.evaluations.is_multiple_of(25)) {
                eprintln!(
                    "  eval {:>4}/{}  run {}  objective {:>10.3}  best {:>10.3}{}  ({:.0} s)",
                    p.evaluations,
                    p.max_evaluations,
                    p.restart + 1,
                    p.objective,
                    p.best,
                    if p.improved { " *" } else { "" },
                    started.elapsed().as_secs_f64()
                );
            }
        };
        let outcome = pool
            .install(|| optimise::fit(&calibration, options, &report))
            .map_err(input)?;
        if !args.quiet {
            eprintln!(
                "Search done: {} evaluations in {} run(s), objective {:.3} → {:.3} ({:.0} s)",
                outcome.evaluations,
                outcome.runs,
                outcome.start_objective,
                outcome.objective,
                started.elapsed().as_secs_f64()
            );
        }
        let digits = settings.significant_digits;
        outcome
            .values
            .iter()
            .map(|v| round_significant(*v, digits))
            .collect()
    };
    let fitted = calibration
        .scenarios(&values, args.check_replications)
        .map_err(input)?;
    if !args.quiet {
        let n: Vec<String> = fitted
            .iter()
            .map(|s| s.settings().replications.to_string())
            .collect();
        eprintln!("Checking the fit with {} replications …", n.join(" + "));
    }
    let results: Vec<_> = pool.install(|| fitted.iter().map(trappe::monte_carlo::run).collect());
    let fits = calibration.evaluate(&results).map_err(input)?;
    let objective = calibration.objective(&fits);
    let command = format!(
        "trappe calibrate {} --targets {}",
        args.scenarios
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(" "),
        args.targets.display()
    );
    let fitted_toml = output::fitted_toml(&calibration, &values, &command, objective);
    output::write(stage.path(), &calibration, &fitted, &fits, &fitted_toml)
        .and_then(|()| stage.publish())
        .with_context(|| format!("cannot write to {}", args.out.display()))?;

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
    for ((p, s), v) in calibration.file.parameters.iter().zip(&start).zip(&values) {
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
    let _ = write!(o, "{}", output::table(&calibration, &fits));
    let met = calibration
        .file
        .targets
        .iter()
        .zip(&fits)
        .filter(|(t, f)| f.met(t))
        .count();
    for (t, f) in calibration.file.targets.iter().zip(&fits) {
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
    let _ = writeln!(
        o,
        "\n{met} of {} targets met; objective {objective:.3}; {:.0} s. Results in {} (fit.csv, fitted.toml, fitted scenarios).",
        fits.len(),
        started.elapsed().as_secs_f64(),
        args.out.display()
    );
    Ok(())
}
