//! What is wrong with an input, and where.
//!
//! A planner who mistypes a key must be told the file, the key and the line,
//! and every mistake at once rather than one per run. So validation collects
//! [`Problem`]s (a key path plus a message) and the loader turns them into
//! one [`InputError`] whose lines each carry a location.

use std::fmt;

/// One step of a key path: a table key or an array index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// A table key.
    Key(String),
    /// An array element.
    Index(usize),
}

/// A key path such as `steps[2].latent.improve`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KeyPath(pub Vec<Segment>);

impl KeyPath {
    /// The empty path (the document root).
    pub fn root() -> Self {
        Self(Vec::new())
    }

    /// A path of plain keys, e.g. `["intake", "entry"]`.
    pub fn keys(keys: &[&str]) -> Self {
        Self(keys.iter().map(|k| Segment::Key((*k).into())).collect())
    }

    /// This path extended by a key.
    pub fn key(&self, key: &str) -> Self {
        let mut out = self.clone();
        out.0.push(Segment::Key(key.into()));
        out
    }

    /// This path extended by an array index.
    pub fn index(&self, index: usize) -> Self {
        let mut out = self.clone();
        out.0.push(Segment::Index(index));
        out
    }

    /// This path followed by another.
    pub fn join(&self, tail: &KeyPath) -> Self {
        let mut out = self.clone();
        out.0.extend(tail.0.iter().cloned());
        out
    }

    /// Whether `prefix` is a prefix of (or equal to) this path.
    pub fn starts_with(&self, prefix: &KeyPath) -> bool {
        self.0.len() >= prefix.0.len() && self.0[..prefix.0.len()] == prefix.0[..]
    }

    /// The path as `--set` spells it: `steps[i]` becomes `steps.<id>`.
    pub fn dotted(&self, steps: &[crate::scenario::Rung]) -> String {
        let mut parts = Vec::new();
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Key(k) => parts.push(k.clone()),
                Segment::Index(n) => {
                    let is_rung = i == 1 && parts.first().is_some_and(|p| p == "steps");
                    match steps.get(*n).filter(|_| is_rung) {
                        Some(rung) => parts.push(rung.id.clone()),
                        None => parts.push(format!("[{n}]")),
                    }
                }
            }
        }
        parts.join(".")
    }

    /// Parse serde_path_to_error's rendering (`a.b[3].c`).
    pub fn parse_serde(text: &str) -> Self {
        let mut out = Vec::new();
        if text == "." {
            return Self(out);
        }
        for part in text.split('.') {
            let mut rest = part;
            if let Some(open) = rest.find('[') {
                if open > 0 {
                    out.push(Segment::Key(rest[..open].into()));
                }
                rest = &rest[open..];
                while let Some(close) = rest.find(']') {
                    if let Ok(i) = rest[1..close].parse() {
                        out.push(Segment::Index(i));
                    }
                    rest = &rest[close + 1..];
                }
            } else if !rest.is_empty() && rest != "?" {
                out.push(Segment::Key(rest.into()));
            }
        }
        Self(out)
    }
}

impl fmt::Display for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(top level)");
        }
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Key(k) if k.contains('.') || k.is_empty() => write!(f, "[\"{k}\"]")?,
                Segment::Key(k) if i == 0 => f.write_str(k)?,
                Segment::Key(k) => write!(f, ".{k}")?,
                Segment::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// One thing wrong with a scenario, at a key path.
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

/// A problem with its location resolved for the user.
#[derive(Debug, Clone, PartialEq)]
pub struct LocatedProblem {
    /// `file:line:column`, or the command-line override responsible.
    pub location: String,
    /// The key path, rendered with rung ids where possible.
    pub key: String,
    /// What is wrong.
    pub message: String,
}

/// Bad input: every problem found in one file (and its overrides).
#[derive(Debug, Clone, PartialEq)]
pub struct InputError {
    /// The file the problems are in.
    pub file: String,
    /// All problems, in document order where known.
    pub problems: Vec<LocatedProblem>,
}

impl InputError {
    /// An error that is about the file as a whole (unreadable, missing).
    pub fn whole_file(file: &str, message: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            problems: vec![LocatedProblem {
                location: file.into(),
                key: String::new(),
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
            if p.key.is_empty() {
                writeln!(f, "  {}: {}", p.location, p.message)?;
            } else {
                writeln!(f, "  {}: {}: {}", p.location, p.key, p.message)?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for InputError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_serde_paths() {
        let p = KeyPath::parse_serde("steps[2].latent.improve");
        assert_eq!(p.to_string(), "steps[2].latent.improve");
        assert_eq!(p.0.len(), 4);
        assert_eq!(KeyPath::parse_serde(".").0.len(), 0);
    }

    #[test]
    fn quotes_dotted_keys() {
        let p = KeyPath::keys(&["changes"])
            .index(0)
            .key("set")
            .key("workforce.caseworkers");
        assert_eq!(p.to_string(), "changes[0].set[\"workforce.caseworkers\"]");
    }
}
