//! The one way results are written as CSV: a buffered file, flushed with
//! its errors reported, and one number format for every value, so every
//! CSV trappe writes reads the same on every platform; and the one way they
//! are read back: the header checked, every record with its line number,
//! errors naming the file and line. A leaf module: the writers and readers
//! of each results file (files.rs, totals.rs, compare, sweeps) use it, and
//! it uses none of them (only the shared [`ReadError`]).

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use super::ReadError;
use super::stats::Summary;

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

/// A [`Summary`]'s seven statistics as CSV cells, in the order every
/// results file writes them (`mean,sd,ci95_low,ci95_high,p05,p50,p95`).
pub fn summary_cells(s: &Summary) -> [String; 7] {
    [s.mean, s.sd, s.ci95_low, s.ci95_high, s.p05, s.p50, s.p95].map(number)
}

/// Read back what [`summary_cells`] wrote, from columns `first..first + 7`
/// of `record`; the error names the number that does not parse.
pub fn summary_at(record: &csv::StringRecord, first: usize) -> Result<Summary, String> {
    let mut x = [0.0; 7];
    for (v, c) in x.iter_mut().zip(first..first + 7) {
        let cell = record.get(c).unwrap_or("");
        *v = cell.parse().map_err(|_| format!("bad number '{cell}'"))?;
    }
    let [mean, sd, ci95_low, ci95_high, p05, p50, p95] = x;
    Ok(Summary {
        mean,
        sd,
        ci95_low,
        ci95_high,
        p05,
        p50,
        p95,
    })
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

/// A CSV error while reading `path`.
fn csv_error(path: &Path, source: csv::Error) -> ReadError {
    ReadError::Csv {
        path: path.to_owned(),
        source,
    }
}

/// The error for content of `path` at 1-based `line` (the header is line
/// 1) that is not what trappe writes.
pub fn content_error(path: &Path, line: u64, message: String) -> ReadError {
    ReadError::Content {
        path: path.to_owned(),
        line,
        message,
    }
}

/// Open the results CSV `path`, check that its header is `header`, and
/// give its records with their 1-based line numbers.
pub fn read_records<'p>(
    path: &'p Path,
    header: &[&str],
) -> Result<impl Iterator<Item = Result<(u64, csv::StringRecord), ReadError>> + 'p, ReadError> {
    let mut reader = csv::Reader::from_path(path).map_err(|e| csv_error(path, e))?;
    if reader
        .headers()
        .map_err(|e| csv_error(path, e))?
        .iter()
        .ne(header.iter().copied())
    {
        return Err(content_error(
            path,
            1,
            format!("expected the header {}", header.join(",")),
        ));
    }
    Ok(reader
        .into_records()
        .enumerate()
        .map(move |(i, r)| r.map(|r| (i as u64 + 2, r)).map_err(|e| csv_error(path, e))))
}
