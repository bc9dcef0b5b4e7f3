//! The case-record arguments that `trappe fit` and `trappe backtest` share
//! (the episodes file, its codes and format, the policy scenario whose
//! ladder they are read against, the extract date, follow-ups, the window
//! start and the age bands), declared once and read once.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, ValueEnum};

use super::Result;
use trappe::records::bands::AgeBands;
use trappe::records::codes::Places;
use trappe::records::observed::Window;
use trappe::records::{self, Format, Records, Request};
use trappe::{Error, Scenario};

/// Which kind of episodes file is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum RecordFormat {
    /// trappe's episodes.csv: child_id, birth_date, place, start, end,
    /// [end_reason]; dates YYYY-MM-DD.
    Generic,
    /// England's SSDA903 episodes file (dates dd/mm/yyyy), with --header.
    Ssda903,
}

/// Where a municipality's case records are and how to read them.
#[derive(Debug, Args)]
pub struct RecordArgs {
    /// The episodes file (one row per spell of a child on one place).
    pub episodes: PathBuf,
    /// Codes file: each place code of the records → `assessment` or a rung
    /// id of the policy scenario (shipped: codes/dst-anbringelsessted.toml,
    /// codes/ssda903-place.toml).
    #[arg(long, value_name = "CODES.toml")]
    codes: PathBuf,
    /// The scenario whose ladder (rung ids) and exit age the records are
    /// read against.
    #[arg(long, value_name = "SCENARIO.toml")]
    pub policy: PathBuf,
    /// The day the records were taken (YYYY-MM-DD): open spells are
    /// censored there.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub extract_date: NaiveDate,
    /// Completed follow-ups (child_id, date; with `--format ssda903` the
    /// reviews file: CHILD, REVIEW): adds the observed follow-up cadence
    /// per place.
    #[arg(long, value_name = "FOLLOW_UPS.csv")]
    follow_ups: Option<PathBuf>,
    /// First day of the observation window (default: the first day any
    /// spell ends — before it an extract holds only the spells still open
    /// then; see the README, "From case records").
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    from: Option<NaiveDate>,
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
}

/// A date argument written YYYY-MM-DD.
pub fn parse_date(text: &str) -> std::result::Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("{text:?} is not a date written YYYY-MM-DD"))
}

/// The records read against the policy scenario, with what they were
/// read against.
pub struct ReadRecords {
    /// The policy scenario (its ladder and exit age).
    pub policy: Scenario,
    /// The ladder's places.
    pub places: Places,
    /// The age bands estimates are given for.
    pub bands: AgeBands,
    /// The records, checked.
    pub records: Records,
}

impl RecordArgs {
    /// Load the policy scenario, check the age bands and the format
    /// options, and read every records file (every problem at once).
    pub fn read(&self) -> Result<ReadRecords> {
        let policy = Scenario::load(&self.policy, &[])?;
        let places = Places::of(&policy);
        let exit_age = policy.settings().exit_age;
        let cuts = match (&self.age_bands[..], &policy.settings().age_bands) {
            ([], Some(from_policy)) => from_policy.clone(),
            (given, _) => given.to_vec(),
        };
        let bands = AgeBands::new(&cuts, exit_age)
            .map_err(|e| Error::input(format!("--age-bands: {e}")))?;
        let format = match (self.format, &self.header) {
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
        let records = records::read(&Request {
            episodes: &self.episodes,
            format,
            codes: &self.codes,
            follow_ups: self.follow_ups.as_deref(),
            extract: self.extract_date,
            places: places.clone(),
            exit_age,
        })?;
        Ok(ReadRecords {
            policy,
            places,
            bands,
            records,
        })
    }

    /// The observation window ending on `to` (given as the argument
    /// `to_arg`, for messages): from `--from`, or the first day the
    /// records are complete ([`records::history::History::complete_from`]).
    pub fn window(&self, records: &Records, to: NaiveDate, to_arg: &str) -> Result<Window> {
        let Some(from) = self.from.or(records.history.complete_from()) else {
            return Err(Error::input(format!(
                "{}: the file holds no spells",
                self.episodes.display()
            )));
        };
        if from >= to {
            return Err(Error::input(format!(
                "--from {from} must be before {to_arg} {to} (the window is empty)"
            )));
        }
        Ok(Window { from, to })
    }
}
