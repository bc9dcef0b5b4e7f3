//! `trappe fit`: read a municipality's case records, check them, and write
//! what they show directly (observed.csv, with 95 % intervals) and the open
//! cases at a date (open-cases.csv, a case list a scenario can start
//! from). Fitting the hidden need hazards by simulation is not built yet.

use std::io::Write;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, ValueEnum};

use super::{Result, begin};
use trappe::records::bands::AgeBands;
use trappe::records::codes::Places;
use trappe::records::observed::{Observed, Quantity, Window};
use trappe::records::{self, Format, Request, open_cases};
use trappe::{Error, Scenario};

/// The file written with every observed quantity.
pub const OBSERVED_CSV: &str = "observed.csv";
/// The file written with the open cases at `--to`.
pub const OPEN_CASES_CSV: &str = "open-cases.csv";

/// Which kind of episodes file is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum RecordFormat {
    /// trappe's episodes.csv: child_id, birth_date, place, start, end,
    /// [end_reason]; dates YYYY-MM-DD.
    Generic,
    /// England's SSDA903 episodes file (dates dd/mm/yyyy), with --header.
    Ssda903,
}

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
    /// The episodes file (one row per spell of a child on one place).
    episodes: PathBuf,
    /// Codes file: each place code of the records → `assessment` or a rung
    /// id of the policy scenario (shipped: codes/dst-anbringelsessted.toml,
    /// codes/ssda903-place.toml).
    #[arg(long, value_name = "CODES.toml")]
    codes: PathBuf,
    /// The scenario whose ladder (rung ids) and exit age the records are
    /// read against.
    #[arg(long, value_name = "SCENARIO.toml")]
    policy: PathBuf,
    /// The day the records were taken (YYYY-MM-DD): open spells are
    /// censored there.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    extract_date: NaiveDate,
    /// Output folder: observed.csv and open-cases.csv.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Completed follow-ups (child_id, date; with `--format ssda903` the
    /// reviews file: CHILD, REVIEW): adds the observed follow-up cadence
    /// per place.
    #[arg(long, value_name = "FOLLOW_UPS.csv")]
    follow_ups: Option<PathBuf>,
    /// First day of the observation window (default: the first spell's
    /// start).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    from: Option<NaiveDate>,
    /// Last day of the window and the day of the open-case list (default:
    /// the extract date).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    to: Option<NaiveDate>,
    /// Age band cut points in years, e.g. `6,12,15` (default: the policy
    /// scenario's `age_bands`, or one band without them).
    #[arg(long, value_name = "AGES", value_delimiter = ',')]
    age_bands: Vec<f64>,
    /// The episodes file's format.
    #[arg(long, value_enum, default_value = "generic")]
    format: RecordFormat,
    /// SSDA903 header file (CHILD, SEX, DOB): birth dates; required with
    /// `--format ssda903`.
    #[arg(long, value_name = "HEADER.csv")]
    header: Option<PathBuf>,
    /// No summary on stdout.
    #[arg(long, short)]
    quiet: bool,
}

fn parse_date(text: &str) -> std::result::Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("{text:?} is not a date written YYYY-MM-DD"))
}

/// `trappe fit`.
pub fn run(args: FitArgs) -> Result<()> {
    let scenario = Scenario::load(&args.policy, &[])?;
    let places = Places::of(&scenario);
    let exit_age = scenario.settings().exit_age;
    let cuts = match (&args.age_bands[..], &scenario.settings().age_bands) {
        ([], Some(policy)) => policy.clone(),
        (given, _) => given.to_vec(),
    };
    let bands =
        AgeBands::new(&cuts, exit_age).map_err(|e| Error::input(format!("--age-bands: {e}")))?;
    let format = match (args.format, &args.header) {
        (RecordFormat::Generic, None) => Format::Generic,
        (RecordFormat::Generic, Some(_)) => {
            return Err(Error::input(
                "--header is for --format ssda903 (the SSDA903 header file)",
            ));
        }
        (RecordFormat::Ssda903, Some(header)) => Format::Ssda903 { header },
        (RecordFormat::Ssda903, None) => {
            return Err(Error::input(
                "--format ssda903 needs --header HEADER.csv (the header file with CHILD, SEX, DOB)",
            ));
        }
    };
    let extract = args.extract_date;
    let to = args.to.unwrap_or(extract);
    if to > extract {
        return Err(Error::input(format!(
            "--to {to}: after the extract date {extract}, the records show nothing"
        )));
    }
    let records = records::read(&Request {
        episodes: &args.episodes,
        format,
        codes: &args.codes,
        follow_ups: args.follow_ups.as_deref(),
        extract,
        places: places.clone(),
        exit_age,
    })?;
    let history = &records.history;
    let first = history.episodes.iter().map(|e| e.start).min();
    let Some(from) = args.from.or(first) else {
        return Err(Error::input(format!(
            "{}: the file holds no spells",
            args.episodes.display()
        )));
    };
    if from >= to {
        return Err(Error::input(format!(
            "--from {from} must be before --to {to} (the window is empty)"
        )));
    }
    let window = Window { from, to };
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
