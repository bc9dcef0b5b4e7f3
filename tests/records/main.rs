//! Case records: simulated records of known scenarios, and fitting
//! scenarios to records (docs/model.md section 5).
//!
//! One module per behaviour; shared helpers live here.

mod fit;

#[path = "../common/mod.rs"]
#[allow(dead_code)]
mod common;
