//! `trappe fit`: read a municipality's case records, check them, and fit
//! the policy scenario to them (`trappe::records::fit`): what the records
//! show directly is set, the hidden need hazards and `detection` are
//! fitted by simulation. Writes the fitted scenario.toml, open-cases.csv,
//! observed.csv, fit.csv and parameters.csv, with a progress bar and a
//! short summary. `--no-fit` writes only what the records show.

use std::io::Write;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Args;

use super::fit_progress::{FIT_REPLICATIONS, MAX_EVALUATIONS, fit_with_progress};
use super::record_args::{ReadRecords, RecordArgs, parse_date};
use super::{Result, begin};
use trappe::Error;
use trappe::records::bands::AgeBands;
use trappe::records::fit::Fitted;
use trappe::records::fit::objective::Role;
use trappe::records::fit::output::{OBSERVED_CSV, OPEN_CASES_CSV};
use trappe::records::observed::{Observed, Quantity, Window};
use trappe::records::{self, open_cases};

/// Arguments of `trappe fit`.
#[derive(Debug, Args)]
#[command(
    after_help = "Writes DIR/observed.csv (referrals per year, age weights, entry \
    mix by age band, transition intensities per place × age band × destination, follow-up \
    cadence; each with its standard error and 95 % interval) and DIR/open-cases.csv (the \
    open cases at --to as a case list).\n\nThen fits the policy scenario to the records: \
    referrals, age weights, entry mix, closures and moves down are set from them; the hidden \
    need hazards (improve, worsen, crisis per rung) and detection are fitted by simulating \
    the window under the policy's follow-up practice (with --follow-ups: the cadence the \
    records show) until the simulated transition intensities match the observed ones. \
    Writes DIR/scenario.toml (the policy with every value set, commented with its standard \
    error and source; it starts on --to from open-cases.csv), DIR/fit.csv (observed vs \
    fitted, distance in standard errors) and DIR/parameters.csv. Hazards the records cannot \
    tell apart are reported as not identified; see the README, \"What records identify\"."
)]
pub struct FitArgs {
    #[command(flatten)]
    records: RecordArgs,
    /// Output folder: scenario.toml, open-cases.csv, observed.csv, fit.csv,
    /// parameters.csv.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Last day of the window and the day of the open-case list (default:
    /// the extract date).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    to: Option<NaiveDate>,
    /// Replications per evaluation of the fit (the same replication
    /// indices every time: common random numbers).
    #[arg(long, value_name = "N", default_value_t = FIT_REPLICATIONS,
          value_parser = clap::value_parser!(u64).range(2..=10_000))]
    replications: u64,
    /// Evaluations the search may use (the standard errors need 2 more per
    /// fitted value, the final check 1).
    #[arg(long, value_name = "N", default_value_t = MAX_EVALUATIONS as u64,
          value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    max_evaluations: u64,
    /// Only write what the records show (observed.csv, open-cases.csv):
    /// no fit.
    #[arg(long)]
    no_fit: bool,
    /// No progress bar and no summary on stdout.
    #[arg(long, short)]
    quiet: bool,
}

/// `trappe fit`.
pub fn run(args: FitArgs) -> Result<()> {
    let extract = args.records.extract_date;
    let to = args.to.unwrap_or(extract);
    if to > extract {
        return Err(Error::input(format!(
            "--to {to}: after the extract date {extract}, the records show nothing"
        )));
    }
    let ReadRecords {
        places,
        bands,
        records,
        ..
    } = args.records.read()?;
    let history = &records.history;
    let window = args.records.window(&records, to, "--to")?;
    if !args.no_fit {
        return fit_and_write(&args, &records, window, &bands);
    }
    let observed = Observed::estimate(
        history,
        records.follow_ups.as_deref(),
        &places,
        &bands,
        window,
    );
    let open = open_cases::open_on(history, to);
    let stage = begin(&args.out)?;
    let cannot = |e| Error::io("write to", &args.out, e);
    observed
        .write(&stage.path().join(OBSERVED_CSV))
        .map_err(cannot)?;
    open_cases::write(&open, &places, &stage.path().join(OPEN_CASES_CSV)).map_err(cannot)?;
    stage.publish().map_err(cannot)?;
    if !args.quiet {
        summary(&records, &observed, &open, window);
        println!(
            "Results in {} ({OBSERVED_CSV}, {OPEN_CASES_CSV}).",
            args.out.display()
        );
    }
    Ok(())
}

/// Fit the policy to the records, write everything, print the summary.
fn fit_and_write(
    args: &FitArgs,
    records: &records::Records,
    window: Window,
    bands: &AgeBands,
) -> Result<()> {
    let stage = begin(&args.out)?;
    let fitted = fit_with_progress(
        records,
        &args.records.policy,
        (window, bands),
        (args.replications, args.max_evaluations as usize),
        args.quiet,
    )?;
    let cannot = |e| Error::io("write to", &args.out, e);
    fitted.write(stage.path(), records).map_err(cannot)?;
    // The report reads the files just written, the same way `trappe
    // report DIR` does, so the two can never disagree.
    let html = trappe::report::fit_report(stage.path())?;
    trappe::report::write(stage.path(), &html).map_err(cannot)?;
    stage.publish().map_err(cannot)?;
    if !args.quiet {
        summary(records, &fitted.observed, &fitted.open_cases, window);
        fit_summary(args, &fitted);
    }
    Ok(())
}

/// What fits, what misses, what is not identified.
fn fit_summary(args: &FitArgs, fitted: &Fitted) {
    let mut o = std::io::stdout().lock();
    let fitted_rows: Vec<_> = fitted
        .rows
        .iter()
        .filter(|r| r.role == Role::Fitted)
        .collect();
    let misses: Vec<_> = fitted_rows
        .iter()
        .filter(|r| r.verdict() == "misses")
        .collect();
    let _ = writeln!(
        o,
        "Fit: {} evaluations in {:.0} s; distance {:.1} at the policy's values, {:.1} fitted \
         (Σ squared distances in standard errors over {} intensities).",
        fitted.evaluations,
        fitted.seconds,
        fitted.start_distance,
        fitted.distance,
        fitted_rows.len()
    );
    let _ = writeln!(
        o,
        "Intensities within 2 standard errors: {} of {}.",
        fitted_rows.len() - misses.len(),
        fitted_rows.len()
    );
    for r in misses.iter().take(8) {
        let e = &r.observed;
        let _ = writeln!(
            o,
            "  misses: {} → {} ({}): observed {:.3}, fitted {:.3} ({:+.1} SE)",
            e.place, e.destination, e.age_band, e.value, r.fitted, r.distance
        );
    }
    let flat: Vec<&str> = fitted
        .parameters
        .iter()
        .filter(|p| p.identified == "no")
        .map(|p| p.parameter.as_str())
        .collect();
    if flat.is_empty() {
        let _ = writeln!(o, "Every fitted value is identified by the records.");
    } else {
        let _ = writeln!(
            o,
            "Not identified (the records fit as well over a wide range): {}.",
            flat.join(", ")
        );
    }
    let _ = writeln!(
        o,
        "Results in {} (scenario.toml, {OPEN_CASES_CSV}, {OBSERVED_CSV}, fit.csv, parameters.csv).",
        args.out.display()
    );
}

/// The short summary on stdout.
fn summary(
    records: &records::Records,
    observed: &Observed,
    open: &[open_cases::OpenCase],
    window: Window,
) {
    let n = trappe::format::ENGLISH;
    let h = &records.history;
    let mut o = std::io::stdout().lock();
    let open_at_extract = h.episodes.iter().filter(|e| e.end.is_none()).count();
    let _ = writeln!(
        o,
        "Records: {} children, {} spells ({} open at the extract date {}); window {} to {} ({} years).",
        n.thousands(h.children.len() as f64),
        n.thousands(h.episodes.len() as f64),
        n.thousands(open_at_extract as f64),
        h.extract,
        window.from,
        window.to,
        n.decimals(window.years(), 1)
    );
    if let Some(r) = observed.first(Quantity::ReferralsPerYear) {
        let _ = writeln!(
            o,
            "Referrals: {} per year (95 % CI {} to {}).",
            n.decimals(r.value, 1),
            n.decimals(r.ci95_low, 1),
            n.decimals(r.ci95_high, 1)
        );
    }
    let mut counts: Vec<String> = Vec::new();
    for place in records.places.all() {
        let k = open.iter().filter(|c| c.place == place).count();
        if k > 0 {
            counts.push(format!(
                "{} {}",
                records.places.name(place),
                n.thousands(k as f64)
            ));
        }
    }
    let _ = writeln!(
        o,
        "Open cases on {}: {} ({}).",
        window.to,
        n.thousands(open.len() as f64),
        if counts.is_empty() {
            "none".to_string()
        } else {
            counts.join(", ")
        }
    );
    let rates = observed
        .rows
        .iter()
        .filter(|r| r.quantity == Quantity::Intensity)
        .count();
    let _ = writeln!(
        o,
        "Transition intensities: {rates} place × age band × destination rows."
    );
    if observed.past_exit_age > 0 {
        let _ = writeln!(
            o,
            "Note: {} spells run past the exit age; only the time before it is counted.",
            observed.past_exit_age
        );
    }
}
