//! trappe: a discrete-event Monte Carlo simulator of the Danish child-welfare
//! intervention ladder (indsatstrappen), for policy what-if analysis.
//!
//! The crate is three layers (see `README.md`):
//! * [`event_queue`]: a small generic discrete-event core (clock + queue);
//! * [`scenario`] and [`model`]: the ladder model of `docs/model.md`, driven by a
//!   validated [`Scenario`];
//! * [`monte_carlo`] and [`results`]: parallel replications and the results
//!   contract (summary statistics, CSV/JSON outputs);
//! * [`input`]: reading input files, every mistake reported at its line;
//! * [`sweep`]: parameter sweeps over many points, shardable over a cluster;
//! * [`transitions`]: the catalogue of moves between places (`transitions.csv`);
//! * [`calibrate`]: fitting parameters to published figures;
//! * [`backtest`]: scoring a projection from a past day against the records;
//! * [`records`]: reading a municipality's case records and what they show
//!   directly (rates with standard errors, the open cases at a date);
//! * [`Error`]: the one error type of every command, which says whether a
//!   failure is the user's (bad input) or the machine's.
//! * [`mod@format`]: numbers as people read them, for tables, plots and reports;
//! * [`language`]: the words, numbers and dates of English and Danish outputs.

pub mod backtest;
pub mod calibrate;
pub mod compare;
pub mod error;
pub mod event_queue;
pub mod format;
pub mod input;
pub mod language;
pub mod metrics;
pub mod model;
pub mod monte_carlo;
pub mod plots;
pub mod records;
pub mod report;
pub mod results;
pub mod scenario;
pub mod sensitivity;
pub mod sweep;
pub mod transitions;
pub mod uncertainty;
pub mod workbook;

pub use error::Error;
pub use scenario::{Override, Scenario};
