//! Tests of `trappe calibrate`: the optimiser recovers known parameters,
//! the shipped Herning pair meets its published targets (and stops meeting
//! them when the Swedish model's levers are reverted), and bad targets
//! files are refused with located errors and exit code 2.
//!
//! One module per behaviour; shared helpers live here.

mod bad_targets;
mod fitted_files;
mod herning;
mod moves;
mod recovery;

#[path = "../common/mod.rs"]
mod common;

pub use common::{describe_output, shipped, trappe};
