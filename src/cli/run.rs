//! `trappe run`: simulate one scenario and write the results contract.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;

use super::{
    ExecutionArgs, LanguageArgs, OutputArgs, PrecisionArgs, Result, ScenarioArgs, begin,
    progress_bar, thread_pool,
};
use trappe::records::simulated::simulate_records;
use trappe::report::headline::run_text;
use trappe::results::read::RunSummary;
use trappe::results::write_run;
use trappe::scenario::work::estimated_events;
use trappe::uncertainty::precision;
use trappe::{Error, monte_carlo, plots, report};

/// Arguments of `trappe run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    scenario: ScenarioArgs,
    /// Output folder (created if missing; existing result files are replaced).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Also write replication 0's case records to this folder (its own,
    /// replaced whole like the results): episodes.csv, follow_ups.csv and
    /// codes.toml, as `trappe fit` reads them; the extract date is the end
    /// of the run. The results are the same with or without it.
    #[arg(long, value_name = "RDIR")]
    records: Option<PathBuf>,
    #[command(flatten)]
    output: OutputArgs,
    #[command(flatten)]
    language: LanguageArgs,
    #[command(flatten)]
    precision: PrecisionArgs,
    #[command(flatten)]
    execution: ExecutionArgs,
}

/// `trappe run`.
pub fn run(args: RunArgs) -> Result<()> {
    let mut scenario = args.scenario.load()?;
    args.language.apply(&mut scenario);
    let words = &scenario.language().words().headline;
    let replications = scenario.settings().replications;
    args.execution
        .check_work(estimated_events(&scenario, replications))?;
    if let Some(dir) = &args.records {
        apart(&args.out, dir)?;
    }
    let stage = begin(&args.out)?;
    let records_stage = args.records.as_deref().map(begin).transpose()?;
    let pool = thread_pool(args.execution.threads)?;
    let (results, precision) = match args.precision.precision {
        Some(target) => {
            let (mut all, record) = args.precision.run(
                &pool,
                std::slice::from_ref(&scenario),
                target,
                args.execution.quiet,
            )?;
            (all.remove(0), Some(record))
        }
        None => {
            let bar = progress_bar(scenario.settings().replications, args.execution.quiet);
            bar.set_message(scenario.name().to_string());
            (
                pool.install(|| monte_carlo::run_with_progress(&scenario, &bar)),
                None,
            )
        }
    };
    let cannot = |e| Error::io("write results to", &args.out, e);
    write_run(&results, stage.path(), pool.current_num_threads()).map_err(cannot)?;
    if let Some(record) = &precision {
        precision::record_in(stage.path(), record).map_err(cannot)?;
    }
    let summary = RunSummary::from_results(&results);
    trappe::workbook::write_run(&summary, &stage.path().join(trappe::workbook::XLSX))
        .map_err(cannot)?;
    if !args.output.no_plots {
        plots::write_run_figures(&summary, &stage.path().join(plots::PLOTS_DIR))?;
    }
    if args.output.report {
        report::write(stage.path(), &report::run_report(&summary)?).map_err(cannot)?;
    }
    let mut extract = None;
    if let Some(records) = &records_stage {
        let simulated = simulate_records(&scenario, 0);
        simulated
            .write(records.path())
            .map_err(|e| Error::io("write case records to", records.target(), e))?;
        extract = Some(simulated.history.extract);
    }
    stage.publish().map_err(cannot)?;
    if let Some(records) = records_stage {
        let target = records.target().to_path_buf();
        records
            .publish()
            .map_err(|e| Error::io("write case records to", &target, e))?;
    }
    let mut stdout = std::io::stdout().lock();
    // A closed stdout (e.g. piped into `head`) is not a failure of the run.
    let _ = write!(stdout, "{}", run_text(&summary));
    if let Some(record) = &precision {
        let _ = writeln!(
            stdout,
            "{}",
            precision::describe(record, args.precision.unit(&scenario))
        );
    }
    let _ = writeln!(stdout, "{} {}", words.results_in, args.out.display());
    if let (Some(dir), Some(extract)) = (&args.records, extract) {
        let (dir, extract) = (dir.display().to_string(), extract.to_string());
        let _ = writeln!(stdout, "{}", (words.records_in)(&dir, &extract));
    }
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

/// Refuse a records folder that is the results folder or lies inside it
/// (or holds it): each is replaced whole when published, which would take
/// the other with it.
fn apart(out: &Path, records: &Path) -> Result<()> {
    let whole = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (a, b) = (whole(out), whole(records));
    if a.starts_with(&b) || b.starts_with(&a) {
        return Err(Error::input(format!(
            "--records {}: give a folder apart from --out {} (each is replaced whole)",
            records.display(),
            out.display()
        )));
    }
    Ok(())
}
