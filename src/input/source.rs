//! An input file's text, kept so that key paths can be pointed at by line
//! and column.

use std::io::Read;
use std::ops::Range;
use std::path::Path;

use toml::Table;
use toml::de::{DeTable, DeValue};

use super::{Field, InputError, KeyPath, LocatedProblem, Location, Problem, Segment};

/// The largest input file read, in bytes (16 MiB): far beyond any scenario
/// or targets file, small enough that a wrong path (a disk image, a log)
/// is refused at once.
pub const MAX_INPUT_BYTES: u64 = 16 * 1024 * 1024;

/// One input file: its name as the user gave it, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Path as given (or a name for in-memory text).
    pub name: String,
    /// The file's text.
    pub text: String,
}

impl Source {
    /// Read a file; failing to read it is a problem with the file as a whole.
    ///
    /// Only regular files up to [`MAX_INPUT_BYTES`] are read: a device such
    /// as `/dev/zero` would be read until memory runs out and a FIFO would
    /// block forever, and no scenario or targets file is that large. Text
    /// that is not UTF-8 is refused at the line and column of the first bad
    /// byte.
    pub fn read(path: &Path) -> Result<Self, InputError> {
        let name = path.display().to_string();
        let refuse = |message: String| InputError::whole_file(&name, message);
        let meta =
            std::fs::metadata(path).map_err(|e| refuse(format!("cannot read the file: {}", e)))?;
        if !meta.is_file() {
            let kind = if meta.is_dir() {
                "a folder"
            } else {
                "not a regular file (a device, FIFO or socket)"
            };
            return Err(refuse(format!("cannot read the file: it is {kind}")));
        }
        if meta.len() > MAX_INPUT_BYTES {
            return Err(refuse(format!(
                "the file is {} bytes, more than the {MAX_INPUT_BYTES} an input file may have",
                meta.len()
            )));
        }
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .and_then(|f| f.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes))
            .map_err(|e| refuse(format!("cannot read the file: {}", e)))?;
        if bytes.len() as u64 > MAX_INPUT_BYTES {
            return Err(refuse(format!(
                "the file has more than the {MAX_INPUT_BYTES} bytes an input file may have"
            )));
        }
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Self { name, text }),
            Err(e) => {
                let good = e.utf8_error().valid_up_to();
                let bytes = e.into_bytes();
                let before = Self {
                    name: name.clone(),
                    text: String::from_utf8_lossy(&bytes[..good]).into_owned(),
                };
                Err(InputError {
                    file: name,
                    problems: vec![LocatedProblem {
                        location: before.location(good),
                        field: None,
                        message: format!(
                            "the file is not UTF-8 text (byte 0x{:02X} cannot start or continue \
                             a character); save it as UTF-8",
                            bytes[good]
                        ),
                    }],
                })
            }
        }
    }

    /// Text held in memory, named `name` in messages.
    pub fn from_text(name: &str, text: &str) -> Self {
        Self {
            name: name.into(),
            text: text.into(),
        }
    }

    /// The text as a TOML table; every syntax error is reported, each at
    /// its line.
    pub fn parse_toml(&self) -> Result<Table, InputError> {
        let (_, errors) = DeTable::parse_recoverable(&self.text);
        if !errors.is_empty() {
            let problems = errors
                .iter()
                .map(|e| LocatedProblem {
                    location: match e.span() {
                        Some(span) => self.location(span.start),
                        None => Location::File(self.name.clone()),
                    },
                    field: None,
                    message: format!("TOML syntax error: {}", e.message()),
                })
                .collect();
            return Err(InputError {
                file: self.name.clone(),
                problems,
            });
        }
        // The text is TOML; what is left are values TOML cannot hold, such
        // as an integer beyond 64 bits: name the key and its place.
        self.text.parse::<Table>().map_err(|e| {
            let at = e.span().map(|span| span.start);
            let key = at.and_then(|at| self.tree().and_then(|t| t.path_at(at)));
            InputError {
                file: self.name.clone(),
                problems: vec![LocatedProblem {
                    location: at.map_or(Location::File(self.name.clone()), |at| self.location(at)),
                    field: key.map(|k| Field::Key(k.to_string())),
                    message: match e.message() {
                        m if m.contains("too large") || m.contains("too small") => {
                            format!("{m}: TOML integers run from {} to {}", i64::MIN, i64::MAX)
                        }
                        m => m.to_string(),
                    },
                }],
            }
        })
    }

    /// The line and column of a byte offset into the text (a TOML key, a
    /// CSV cell).
    pub fn location(&self, offset: usize) -> Location {
        let before = &self.text[..offset.min(self.text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Location::Position {
            file: self.name.clone(),
            line,
            column,
        }
    }

    /// Locate problems of a single TOML file, naming each key path as
    /// written (`targets[0].metric`).
    pub fn locate(&self, problems: Vec<Problem>) -> InputError {
        let tree = self.tree();
        let problems = problems
            .into_iter()
            .map(|problem| {
                let found = tree.as_ref().and_then(|t| t.find(&problem.path, |_| None));
                LocatedProblem {
                    location: found.map_or(Location::File(self.name.clone()), |(_, at)| at),
                    field: Some(Field::Key(problem.path.to_string())),
                    message: problem.message,
                }
            })
            .collect();
        InputError {
            file: self.name.clone(),
            problems,
        }
    }

    /// The text's syntax tree with spans, or `None` if it does not parse
    /// (then there is nothing to point into).
    pub fn tree(&self) -> Option<Tree<'_>> {
        DeTable::parse(&self.text)
            .ok()
            .map(|root| Tree { source: self, root })
    }
}

/// A parsed TOML text with the place of every key, to find key paths in.
pub struct Tree<'a> {
    source: &'a Source,
    root: toml::Spanned<DeTable<'a>>,
}

impl Tree<'_> {
    /// How many segments of `path` this file holds, and where the deepest
    /// of them is; `None` when not even the first is in it.
    ///
    /// An array element is found by position, unless `by_id` names it for
    /// the path up to and including its index: `(id, k)` means the k-th
    /// element (from 0) whose `id` key is `id` (the first if there are
    /// fewer). Files that merge arrays by id (`extends`) need this, since a
    /// merged rung's index need not be its index in any one file.
    pub fn find(
        &self,
        path: &KeyPath,
        by_id: impl Fn(&KeyPath) -> Option<(String, usize)>,
    ) -> Option<(usize, Location)> {
        let mut span: Range<usize> = 0..0;
        let mut depth = 0;
        let mut here: Option<&DeValue<'_>> = None;
        let mut table: Option<&DeTable<'_>> = Some(self.root.get_ref());
        for (i, segment) in path.0.iter().enumerate() {
            let next = match (segment, table, here) {
                (Segment::Key(k), Some(t), _) => t.get(k.as_str()),
                (Segment::Index(n), _, Some(DeValue::Array(items))) => {
                    let prefix = KeyPath(path.0[..=i].to_vec());
                    let named = by_id(&prefix).and_then(|(id, k)| {
                        let mut same = items.iter().filter(|item| {
                            item.get_ref().get("id").and_then(|v| v.get_ref().as_str())
                                == Some(id.as_str())
                        });
                        let first = same.clone().next();
                        same.nth(k).or(first)
                    });
                    named.or_else(|| items.get(*n))
                }
                _ => None,
            };
            let Some(next) = next else { break };
            span = next.span();
            depth = i + 1;
            here = Some(next.get_ref());
            table = next.get_ref().as_table();
        }
        (depth > 0).then(|| (depth, self.source.location(span.start)))
    }

    /// The key path of the innermost value whose text holds byte `offset`.
    pub fn path_at(&self, offset: usize) -> Option<KeyPath> {
        fn inside(value: &toml::Spanned<DeValue<'_>>, offset: usize, path: &mut KeyPath) -> bool {
            // A table's span may be just its header, so look inside tables
            // and arrays whatever their span.
            match value.get_ref() {
                DeValue::Table(t) => {
                    for (key, v) in t.iter() {
                        path.0.push(Segment::Key(key.get_ref().to_string()));
                        if inside(v, offset, path) {
                            return true;
                        }
                        path.0.pop();
                    }
                }
                DeValue::Array(items) => {
                    for (i, v) in items.iter().enumerate() {
                        path.0.push(Segment::Index(i));
                        if inside(v, offset, path) {
                            return true;
                        }
                        path.0.pop();
                    }
                }
                _ => return value.span().contains(&offset),
            }
            false
        }
        let mut path = KeyPath::root();
        for (key, v) in self.root.get_ref().iter() {
            path.0.push(Segment::Key(key.get_ref().to_string()));
            if inside(v, offset, &mut path) {
                return Some(path);
            }
            path.0.pop();
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "[a]\nx = 1\n\n[[b]]\nid = \"p\"\n\n[[b]]\nid = \"q\"\ny = \"é\"\n";

    fn at(line: usize, column: usize) -> Location {
        Location::Position {
            file: "t.toml".into(),
            line,
            column,
        }
    }

    #[test]
    fn lines_and_columns_count_characters() {
        let s = Source::from_text("t.toml", "é = 1\nab = 2\n");
        assert_eq!(s.location(0), at(1, 1));
        assert_eq!(s.location(s.text.find('1').unwrap()), at(1, 5));
        assert_eq!(s.location(s.text.find("ab").unwrap()), at(2, 1));
    }

    #[test]
    fn finds_the_deepest_key_present() {
        let s = Source::from_text("t.toml", TEXT);
        let tree = s.tree().unwrap();
        let x = KeyPath::keys(&["a", "x"]);
        assert_eq!(tree.find(&x, |_| None), Some((2, at(2, 5))));
        let missing = KeyPath::keys(&["a", "z"]);
        assert_eq!(tree.find(&missing, |_| None).unwrap().0, 1);
        assert_eq!(tree.find(&KeyPath::keys(&["c"]), |_| None), None);
    }

    #[test]
    fn finds_array_entries_by_position_or_id() {
        let s = Source::from_text("t.toml", TEXT);
        let tree = s.tree().unwrap();
        let y = KeyPath::keys(&["b"]).index(1).key("y");
        assert_eq!(tree.find(&y, |_| None), Some((3, at(9, 5))));
        let id_of_q = KeyPath::keys(&["b"]).index(0).key("id");
        let by_id = |_: &KeyPath| Some(("q".to_string(), 0));
        assert_eq!(tree.find(&id_of_q, by_id), Some((3, at(8, 6))));
    }

    #[test]
    fn reports_every_syntax_error_at_its_line() {
        let s = Source::from_text("t.toml", "a = \nb = 1\nc = ]\n");
        let e = s.parse_toml().unwrap_err();
        assert!(e.problems.len() >= 2, "{e}");
        assert!(e.to_string().contains("t.toml:1:"), "{e}");
    }
}
