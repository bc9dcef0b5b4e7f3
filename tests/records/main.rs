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

use std::path::Path;

use trappe::records::simulated::{CODES_TOML, EPISODES_CSV, FOLLOW_UPS_CSV};

/// `trappe fit` on the records a run wrote to `records` (with their
/// follow-ups), extracted on `extract`, against `policy`, into `out`.
fn fit_command(records: &Path, extract: &str, policy: &Path, out: &Path) -> assert_cmd::Command {
    let mut cmd = common::trappe();
    cmd.arg("fit")
        .arg(records.join(EPISODES_CSV))
        .arg("--codes")
        .arg(records.join(CODES_TOML))
        .arg("--follow-ups")
        .arg(records.join(FOLLOW_UPS_CSV))
        .arg("--policy")
        .arg(policy)
        .args(["--extract-date", extract])
        .arg("--out")
        .arg(out);
    cmd
}
