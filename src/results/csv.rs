//! The one way results are written as CSV: a buffered file, flushed with
//! its errors reported, and one number format for every value, so every
//! CSV trappe writes reads the same on every platform. A leaf module: the
//! writers of each results file (files.rs, totals.rs, compare, sweeps) use
//! it, and it uses none of them.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::Path;

/// Format a number the same way on every platform: shortest round-trip
/// decimal, integers without a fraction. Every number in a results CSV goes
/// through here.
pub fn number(x: f64) -> String {
    if x == 0.0 {
        "0".into() // no "-0"
    } else {
        format!("{x}")
    }
}

/// A buffered CSV file.
pub type CsvFile = csv::Writer<BufWriter<fs::File>>;

/// Create the CSV file `path`.
pub fn csv_writer(path: &Path) -> io::Result<CsvFile> {
    Ok(csv::Writer::from_writer(BufWriter::new(fs::File::create(
        path,
    )?)))
}

/// Flush a CSV file to disk, reporting any error.
pub fn finish_csv(w: CsvFile) -> io::Result<()> {
    w.into_inner().map_err(|e| e.into_error())?.flush()
}
