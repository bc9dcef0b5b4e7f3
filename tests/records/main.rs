//! Case records (docs/model.md section 5): simulated records
//! (`trappe run --records`, `trappe::records::simulated`) read back by
//! `trappe fit` and agreeing with the run's own results to the spell; and
//! fitting a scenario to records (`trappe fit`, `trappe::records::fit`) and
//! its report; backtesting a fit (`trappe backtest`).
//!
//! One module per behaviour; shared helpers live here.

mod backtest;
mod fit;
mod fit_report;
mod run_records;

#[path = "../common/mod.rs"]
mod common;
