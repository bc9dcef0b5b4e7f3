//! Key paths: the address of a value in a TOML document.

use std::fmt;

/// One step of a key path: a table key or an array index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// A table key.
    Key(String),
    /// An array element.
    Index(usize),
}

/// A key path such as `steps[2].latent.improve`: what a problem names, and
/// what [`crate::input::Source::locate`] follows to find its line.
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

    /// Parse serde_path_to_error's rendering (`a.b[3].c`; `.` is the root,
    /// `?` an unknown step).
    pub(super) fn parse_serde(text: &str) -> Self {
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
    /// `a.b[3].c`; a key holding a dot (a `--set` path inside a `set`
    /// table) is quoted: `changes[0].set["workforce.caseworkers"]`.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_serde_paths() {
        let p = KeyPath::parse_serde("steps[2].latent.improve");
        assert_eq!(p.to_string(), "steps[2].latent.improve");
        assert_eq!(p.0.len(), 4);
        assert_eq!(KeyPath::parse_serde(".").0.len(), 0);
        assert_eq!(
            KeyPath::parse_serde("paths[1]"),
            KeyPath::keys(&["paths"]).index(1)
        );
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
