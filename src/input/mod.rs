//! Reading user input files so that every mistake is reported at once, at
//! its place: scenarios (with `extends` and `[sweep]`), calibration targets,
//! and the tabular files still to come share this one layer, so all of them
//! say `file:line:column: key.path: message` in the same words.
//!
//! * [`KeyPath`]: where in a TOML document (`steps[2].latent.improve`).
//! * [`Problem`]: a mistake at a key path, found while checking the content;
//!   [`Source::locate`] turns it into a [`LocatedProblem`] with a line and
//!   column. A [`Location`] is a place in a file (a TOML key or a CSV cell),
//!   a whole file, or a command-line argument.
//! * [`InputError`]: every located problem of one input.
//! * [`Table`]: a CSV file with a header row, each cell locatable by line
//!   and column (case records, case lists).
//! * [`section`] and [`entries`]: deserialise a TOML table or an array of
//!   tables, recording the first mistake in each at its key path with
//!   serde's message in plain words.

mod deserialise;
mod key_path;
mod problem;
mod source;
mod table;

pub use deserialise::{entries, entries_cut, section, section_cut, unknown_keys};
pub use key_path::{KeyPath, Segment};
pub use problem::{Field, InputError, LocatedProblem, Location, Problem};
pub use source::{Source, Tree};
pub use table::{Row, Table};
