//! `trappe fit`: read a municipality's case records, check them, and write
//! what they show directly (observed.csv, with 95 % intervals) and the open
//! cases at a date (open-cases.csv, a case list a scenario can start
//! from). Fitting the hidden need hazards by simulation is not built yet.

use std::io::Write;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Args;

use super::record_args::{ReadRecords, RecordArgs, parse_date};
use super::{Result, begin};
use trappe::Error;
use trappe::records::observed::{Observed, Quantity, Window};
use trappe::records::{self, open_cases};

/// The file written with every observed quantity.
pub const OBSERVED_CSV: &str = "observed.csv";
/// The file written with the open cases at `--to`.
pub const OPEN_CASES_CSV: &str = "open-cases.csv";

/// Arguments of `trappe fit`.
#[derive(Debug, Args)]
#[command(
    after_help = "Writes DIR/observed.csv (referrals per year, age weights, entry \
    mix by age band, transition intensities per place × age band × destination, follow-up \
    cadence; each with its standard error and 95 % interval) and DIR/open-cases.csv (the \
    open cases at --to as a case list).\n\nNot built yet: fitting the hidden need hazards \
    (improve, worsen, relapse, crisis) and detection by simulation, and writing a fitted \
    scenario. Records alone do not identify them; see the README, \"From case records\"."
)]
pub struct FitArgs {
    #[command(flatten)]
    records: RecordArgs,
    /// Output folder: observed.csv and open-cases.csv.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Last day of the window and the day of the open-case list (default:
    /// the extract date).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    to: Option<NaiveDate>,
    /// No summary on stdout.
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
        summary(&args, &records, &observed, &open, window);
    }
    Ok(())
}

/// The short summary on stdout.
fn summary(
    args: &FitArgs,
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
    let _ = writeln!(
        o,
        "Not built yet: fitting the hidden need hazards and detection to these intensities \
         (they are identified only through the follow-up practice)."
    );
    let _ = writeln!(
        o,
        "Results in {} ({OBSERVED_CSV}, {OPEN_CASES_CSV}).",
        args.out.display()
    );
}
