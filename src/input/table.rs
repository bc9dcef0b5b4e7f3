//! Tabular input files (CSV with a header row), read so that every cell
//! can be pointed at by line and column, and every header mistake is
//! reported together with the row mistakes.
//!
//! Case records and case lists come from spreadsheets and registers, where
//! a mistake is a cell: the user must be told the file, the line, the
//! column (as an editor counts it) and the column's name. A [`Table`] keeps
//! each row's cells as text with the byte offset where each cell starts in
//! the file, so a check of any cell, or of two rows against each other, can
//! be located after the fact with [`Table::at`].

use super::{Field, LocatedProblem, Source};

/// A CSV file read whole: its columns, and its rows as text with the place
/// of each cell.
#[derive(Debug, Clone)]
pub struct Table {
    /// The file, for locating cells.
    source: Source,
    /// Byte offset of the start of every line, to locate a cell without
    /// rescanning the file (files of 100,000 rows are read).
    line_starts: Vec<usize>,
    /// Column names as written in the header, trimmed.
    pub columns: Vec<String>,
    /// The data rows, in file order.
    pub rows: Vec<Row>,
}

/// One data row: its 1-based line and its cells.
#[derive(Debug, Clone)]
pub struct Row {
    /// 1-based line of the row's start in the file (the header is line 1).
    pub line: usize,
    /// Cell texts, trimmed, one per header column (missing cells are empty).
    pub cells: Vec<String>,
    /// Byte offset of each cell's start in the file, for [`Table::at`].
    starts: Vec<usize>,
}

impl Table {
    /// Parse `source` as CSV with a header row: the table, and the
    /// problems found (none for a well-formed file). Rows whose field count
    /// differs from the header's are reported (and kept, padded, so their
    /// other cells can still be checked); text the CSV reader cannot parse
    /// is reported at its line. The table is returned either way, so its
    /// cells can still be checked and every problem reported at once.
    pub fn parse(source: Source) -> (Self, Vec<LocatedProblem>) {
        let mut problems = Vec::new();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(source.text.as_bytes());
        let mut columns = Vec::new();
        let mut rows = Vec::new();
        let mut record = csv::StringRecord::new();
        let mut first = true;
        loop {
            let offset = reader.position().byte() as usize;
            match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    let at = e.position().map_or(offset, |p| p.byte() as usize);
                    problems.push(LocatedProblem {
                        location: source.location(at),
                        field: None,
                        message: format!("not readable as CSV: {e}"),
                    });
                    continue;
                }
            }
            let mut start = record.position().map_or(offset, |p| p.byte() as usize);
            let mut line = record.position().map_or(1, |p| p.line() as usize);
            // The reader's position of a row after blank lines is the first
            // blank line's: step over them to the row's own first cell.
            while let Some(&b) = source.text.as_bytes().get(start) {
                match b {
                    b'\n' => line += 1,
                    b'\r' => {}
                    _ => break,
                }
                start += 1;
            }
            if first {
                first = false;
                columns = record.iter().map(|c| c.trim().to_string()).collect();
                continue;
            }
            if record.iter().all(|c| c.trim().is_empty()) {
                continue; // a blank line, as spreadsheets leave at the end
            }
            let starts = cell_starts(&source.text, start, record.len());
            if record.len() != columns.len() {
                problems.push(LocatedProblem {
                    location: source.location(start),
                    field: None,
                    message: format!(
                        "the row has {} cells, the header has {} columns",
                        record.len(),
                        columns.len()
                    ),
                });
            }
            let mut cells: Vec<String> = record.iter().map(|c| c.trim().to_string()).collect();
            let mut starts = starts;
            while cells.len() < columns.len() {
                cells.push(String::new());
                starts.push(*starts.last().unwrap_or(&start));
            }
            rows.push(Row {
                line,
                cells,
                starts,
            });
        }
        if first {
            problems.push(LocatedProblem {
                location: super::Location::File(source.name.clone()),
                field: None,
                message: "the file is empty: a header row is required".into(),
            });
        }
        let line_starts = std::iter::once(0)
            .chain(source.text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let table = Self {
            source,
            line_starts,
            columns,
            rows,
        };
        (table, problems)
    }

    /// The file's name as given.
    pub fn name(&self) -> &str {
        &self.source.name
    }

    /// Find the columns named in `required` and `optional` (by name, in any
    /// order): their indices, `None` for an absent optional column. A
    /// missing required column, a repeated column or (when `others` is
    /// false) a column not named at all is a problem on the header line.
    pub fn columns(
        &self,
        required: &[&str],
        optional: &[&str],
        others: bool,
        problems: &mut Vec<LocatedProblem>,
    ) -> Vec<Option<usize>> {
        let header = self.source.location(0);
        let say = |problems: &mut Vec<LocatedProblem>, message: String| {
            problems.push(LocatedProblem {
                location: header.clone(),
                field: None,
                message,
            })
        };
        for (i, name) in self.columns.iter().enumerate() {
            if self.columns[..i].contains(name) {
                say(problems, format!("the column {name} appears twice"));
            } else if !others
                && !required.contains(&name.as_str())
                && !optional.contains(&name.as_str())
            {
                say(
                    problems,
                    format!(
                        "unknown column {name:?}; the columns are {}",
                        required
                            .iter()
                            .chain(optional)
                            .copied()
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            }
        }
        let missing: Vec<&str> = required
            .iter()
            .copied()
            .filter(|r| !self.columns.iter().any(|c| c == r))
            .collect();
        if !missing.is_empty() {
            say(
                problems,
                format!(
                    "missing column{} {} (the header row must name {})",
                    if missing.len() == 1 { "" } else { "s" },
                    missing.join(", "),
                    required.join(", ")
                ),
            );
        }
        required
            .iter()
            .chain(optional)
            .map(|name| self.columns.iter().position(|c| c == name))
            .collect()
    }

    /// A problem at row `row`'s cell in column `column`.
    pub fn at(&self, row: usize, column: usize, message: impl Into<String>) -> LocatedProblem {
        let offset = self.rows[row].starts[column];
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let line_start = self.line_starts[line - 1];
        LocatedProblem {
            location: super::Location::Position {
                file: self.source.name.clone(),
                line,
                column: self.source.text[line_start..offset].chars().count() + 1,
            },
            field: self.columns.get(column).map(|c| Field::Column(c.clone())),
            message: message.into(),
        }
    }
}

/// Byte offsets of the first `n` cells of the CSV row starting at `start`
/// in `text`: commas outside double quotes separate cells.
fn cell_starts(text: &str, start: usize, n: usize) -> Vec<usize> {
    let mut starts = vec![start];
    let mut quoted = false;
    for (i, b) in text.as_bytes()[start..].iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => {
                starts.push(start + i + 1);
                if starts.len() == n {
                    break;
                }
            }
            b'\n' if !quoted => break,
            _ => {}
        }
    }
    starts.truncate(n.max(1));
    while starts.len() < n {
        starts.push(*starts.last().expect("one start"));
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_located_by_line_and_column() {
        let s = Source::from_text("e.csv", "a,b,c\n1,\"x,y\",3\n\n4,5,6\n");
        let (t, problems) = Table::parse(s);
        assert!(problems.is_empty());
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].cells, ["1", "x,y", "3"]);
        assert_eq!(t.at(0, 2, "bad").to_string(), "e.csv:2:9: c: bad");
        assert_eq!(t.at(1, 1, "bad").to_string(), "e.csv:4:3: b: bad");
    }

    #[test]
    fn header_problems_are_all_reported() {
        let s = Source::from_text("e.csv", "a,z,a\n1,2,3\n");
        let (t, mut problems) = Table::parse(s);
        let found = t.columns(&["a", "b"], &["c"], false, &mut problems);
        assert_eq!(found, [Some(0), None, None]);
        let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(problems.len(), 3, "{text:?}");
        assert!(text[0].contains("unknown column \"z\""), "{text:?}");
        assert!(text[1].contains("appears twice"), "{text:?}");
        assert!(text[2].contains("missing column b"), "{text:?}");
    }

    #[test]
    fn short_rows_are_reported_and_padded() {
        let s = Source::from_text("e.csv", "a,b\n1\n");
        let (t, problems) = Table::parse(s);
        assert_eq!(t.rows[0].cells, ["1", ""]);
        assert!(
            problems[0].to_string().starts_with("e.csv:2:1:"),
            "{problems:?}"
        );
    }
}
