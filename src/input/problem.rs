//! What is wrong with an input, and where.
//!
//! A planner who mistypes a key must be told the file, the key and the line,
//! and every mistake at once rather than one per run. So checks collect
//! [`Problem`]s (a key path plus a message), and the file they came from
//! turns them into one [`InputError`] whose lines each carry a [`Location`].

use std::fmt;

use super::KeyPath;

/// One thing wrong with a TOML input, at a key path (not yet located).
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Where in the document.
    pub path: KeyPath,
    /// What is wrong, in words.
    pub message: String,
}

impl Problem {
    /// A problem at `path`.
    pub fn new(path: KeyPath, message: impl Into<String>) -> Self {
        Self {
            path,
            message: message.into(),
        }
    }
}

/// Where the user should look: a place in a file, a whole file, or a
/// command-line argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A file as a whole: it is unreadable, or the key is absent from it
    /// (a missing section has no line).
    File(String),
    /// A place in a file: a TOML key or a CSV cell. Line and column are
    /// 1-based; the column counts characters, as editors do.
    Position {
        /// The file as given.
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column, in characters.
        column: usize,
    },
    /// A command-line argument that caused the problem, as typed
    /// (`--set workforce.caseworkers=0`).
    Argument(String),
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File(file) | Location::Argument(file) => f.write_str(file),
            Location::Position { file, line, column } => write!(f, "{file}:{line}:{column}"),
        }
    }
}

/// What inside the location a problem is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    /// A TOML key path, spelled the way the user would write it
    /// (`steps.foster.latent.improve`, `targets[0].metric`).
    Key(String),
    /// A CSV column, by its header name.
    Column(String),
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Field::Key(name) | Field::Column(name) => f.write_str(name),
        }
    }
}

/// A problem with its location resolved for the user.
#[derive(Debug, Clone, PartialEq)]
pub struct LocatedProblem {
    /// Where to look.
    pub location: Location,
    /// The key or column concerned; `None` for a problem with the file as
    /// a whole (unreadable, bad syntax).
    pub field: Option<Field>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for LocatedProblem {
    /// `file:line:column: key.path: message`, the one wording of every
    /// input. A key or message that echoes a very long value is cut to a
    /// readable length.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = readable(&self.message);
        match &self.field {
            Some(field) => write!(
                f,
                "{}: {}: {message}",
                self.location,
                readable(&field.to_string())
            ),
            None => write!(f, "{}: {message}", self.location),
        }
    }
}

/// Longest key or message shown in full, in characters.
const READABLE_CHARS: usize = 300;

/// `text`, or when it is longer than [`READABLE_CHARS`] (a 100,000-character
/// value echoed back), its start and end with the count of what was left
/// out between them; one pass over the text.
fn readable(text: &str) -> std::borrow::Cow<'_, str> {
    let total = text.chars().count();
    if total <= READABLE_CHARS {
        return text.into();
    }
    let (head, tail) = (200, 60);
    let start: String = text.chars().take(head).collect();
    let end_at = text
        .char_indices()
        .nth(total - tail)
        .map_or(text.len(), |(i, _)| i);
    format!(
        "{start} … [{} characters left out] … {}",
        total - head - tail,
        &text[end_at..]
    )
    .into()
}

/// Bad input: every problem found in one file (and its overrides).
#[derive(Debug, Clone, PartialEq)]
pub struct InputError {
    /// The file the problems are in.
    pub file: String,
    /// All problems, in the order they were found.
    pub problems: Vec<LocatedProblem>,
}

impl InputError {
    /// An error that is about the file as a whole (unreadable, missing).
    pub fn whole_file(file: &str, message: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            problems: vec![LocatedProblem {
                location: Location::File(file.into()),
                field: None,
                message: message.into(),
            }],
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        writeln!(
            f,
            "{}: {n} problem{}:",
            self.file,
            if n == 1 { "" } else { "s" }
        )?;
        for p in &self.problems {
            writeln!(f, "  {p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for InputError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_toml_key_and_a_csv_cell_read_alike() {
        let key = LocatedProblem {
            location: Location::Position {
                file: "targets.toml".into(),
                line: 13,
                column: 1,
            },
            field: Some(Field::Key("targets[0].metric".into())),
            message: "unknown metric".into(),
        };
        let cell = LocatedProblem {
            location: Location::Position {
                file: "places.csv".into(),
                line: 4,
                column: 9,
            },
            field: Some(Field::Column("age".into())),
            message: "must be 0 or more".into(),
        };
        assert_eq!(
            key.to_string(),
            "targets.toml:13:1: targets[0].metric: unknown metric"
        );
        assert_eq!(cell.to_string(), "places.csv:4:9: age: must be 0 or more");
    }

    #[test]
    fn long_echoes_are_cut() {
        let value = "x".repeat(100_000);
        let p = LocatedProblem {
            location: Location::File("a.toml".into()),
            field: Some(Field::Key(format!("steps.{value}"))),
            message: format!("invalid type: string \"{value}\", expected a number"),
        };
        let shown = p.to_string();
        assert!(shown.len() < 1000, "{} characters", shown.len());
        assert!(shown.contains("characters left out"), "{shown}");
        assert!(shown.ends_with("expected a number"), "{shown}");
        assert_eq!(readable("short"), "short");
    }

    #[test]
    fn counts_problems() {
        let e = InputError::whole_file("a.toml", "cannot read the file");
        assert_eq!(
            e.to_string(),
            "a.toml: 1 problem:\n  a.toml: cannot read the file\n"
        );
    }
}
