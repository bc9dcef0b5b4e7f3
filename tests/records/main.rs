//! Simulated case records (`trappe run --records`,
//! `trappe::records::simulated`): a run's records read back by `trappe
//! fit`, and agreeing with the run's own results to the spell.

mod backtest;
mod fit_report;
mod run_records;

#[path = "../common/mod.rs"]
mod common;
