//! Case records: a municipality's own history of children's spells on the
//! ladder, read, checked and turned into what they show directly.
//!
//! * [`codes`]: the codes file (register code → `assessment` or a rung id)
//!   and the places of a ladder.
//! * [`episodes`]: the generic `episodes.csv`, read into raw spells that
//!   remember their cells; [`ssda903`]: England's SSDA903 return, read
//!   into the same spells.
//! * [`history`]: the spells checked against each other and the extract
//!   date (overlaps, ends before starts, ...), with derived end reasons.
//! * [`follow_ups`]: the optional `follow_ups.csv` (or SSDA903 reviews).
//! * [`bands`]: the age bands estimates are given for.
//! * [`observed`]: referrals, age weights, entry mix, transition
//!   intensities and follow-up cadence, each with its standard error.
//! * [`open_cases`]: the open cases at a date as a case list.
//! * [`fit`]: fitting a policy scenario to the records (the hidden
//!   hazards by simulation).
//! * [`fit_folder`]: a `trappe fit` output folder read back, for its
//!   report.
//! * [`simulated`]: one replication of a scenario as the records it
//!   would leave, assembled by the same checks.
//!
//! [`read`] is the one entry: it reads every file and reports every
//! problem of every file in one [`RecordsError`].

pub mod bands;
pub mod codes;
pub mod episodes;
pub mod fit;
pub mod fit_folder;
pub mod follow_ups;
pub mod history;
pub mod observed;
pub mod open_cases;
pub mod simulated;
pub mod ssda903;

use std::fmt;
use std::path::Path;

use chrono::NaiveDate;

use crate::input::{InputError, LocatedProblem, Location, Source, Table};
use codes::{Codes, Places};
use follow_ups::FollowUp;
use history::History;

/// Which kind of episodes file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format<'a> {
    /// trappe's `episodes.csv` (ISO dates).
    Generic,
    /// An SSDA903 episodes file, with the header file giving birth dates.
    Ssda903 {
        /// The header file (`CHILD, SEX, DOB`).
        header: &'a Path,
    },
}

/// What to read.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// The episodes file.
    pub episodes: &'a Path,
    /// Its format.
    pub format: Format<'a>,
    /// The codes file.
    pub codes: &'a Path,
    /// The follow-ups file, if any (with SSDA903: the reviews file).
    pub follow_ups: Option<&'a Path>,
    /// The day the records were taken.
    pub extract: NaiveDate,
    /// The ladder's places (from the policy scenario).
    pub places: Places,
    /// Age at which cases end (from the policy scenario).
    pub exit_age: f64,
}

/// Records read and checked.
#[derive(Debug, Clone)]
pub struct Records {
    /// Every child's spells.
    pub history: History,
    /// Completed follow-ups, when a follow-ups file was given.
    pub follow_ups: Option<Vec<FollowUp>>,
    /// The ladder's places.
    pub places: Places,
}

impl Records {
    /// The records as they stood on `day` ([`History::as_of`]; follow-ups
    /// done later dropped): what a backtest may fit on.
    pub fn as_of(&self, day: NaiveDate) -> Records {
        Records {
            history: self.history.as_of(day),
            follow_ups: self
                .follow_ups
                .as_ref()
                .map(|all| all.iter().filter(|f| f.date <= day).copied().collect()),
            places: self.places.clone(),
        }
    }
}

/// Everything wrong with the records, file by file.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordsError {
    /// One error per file with problems, in the order found.
    pub files: Vec<InputError>,
}

impl fmt::Display for RecordsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.files.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for RecordsError {}

/// A file's problems grouped into per-file errors.
fn by_file(problems: Vec<LocatedProblem>, files: &mut Vec<InputError>) {
    for p in problems {
        let file = match &p.location {
            Location::File(f) | Location::Position { file: f, .. } | Location::Argument(f) => {
                f.clone()
            }
        };
        match files.iter_mut().find(|e| e.file == file) {
            Some(e) => e.problems.push(p),
            None => files.push(InputError {
                file,
                problems: vec![p],
            }),
        }
    }
}

/// A CSV file as a table: unreadable files and unreadable CSV are
/// problems, the table (as far as readable) is still returned.
fn table(
    path: &Path,
    errors: &mut Vec<InputError>,
    problems: &mut Vec<LocatedProblem>,
) -> Option<Table> {
    match Source::read(path) {
        Err(e) => {
            errors.push(e);
            None
        }
        Ok(source) => {
            let (t, found) = Table::parse(source);
            problems.extend(found);
            Some(t)
        }
    }
}

/// Read and check every file of `request`; every problem of every file
/// at once.
pub fn read(request: &Request<'_>) -> Result<Records, RecordsError> {
    let mut errors = Vec::new();
    let mut problems = Vec::new();
    let codes = match Source::read(request.codes).and_then(|s| Codes::parse(&s, &request.places)) {
        Ok(c) => Some(c),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let episodes = table(request.episodes, &mut errors, &mut problems);
    let raw = match (request.format, &episodes) {
        (_, None) => Vec::new(),
        (Format::Generic, Some(t)) => episodes::read_generic(t, &mut problems),
        (Format::Ssda903 { header }, Some(t)) => match table(header, &mut errors, &mut problems) {
            Some(h) => ssda903::read(t, &h, request.exit_age, &mut problems),
            None => Vec::new(),
        },
    };
    let history = History::assemble(
        &raw,
        codes.as_ref(),
        request.extract,
        request.exit_age,
        &mut problems,
    );
    let layout = match request.format {
        Format::Generic => follow_ups::GENERIC,
        Format::Ssda903 { .. } => follow_ups::SSDA903,
    };
    let follow_ups = request.follow_ups.and_then(|path| {
        table(path, &mut errors, &mut problems)
            .map(|t| follow_ups::read(&t, layout, &history, &mut problems))
    });
    by_file(problems, &mut errors);
    if errors.is_empty() {
        Ok(Records {
            history,
            follow_ups,
            places: request.places.clone(),
        })
    } else {
        Err(RecordsError { files: errors })
    }
}
