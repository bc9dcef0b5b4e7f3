//! An input file's text, kept so that key paths can be pointed at by line
//! and column.

use std::ops::Range;
use std::path::Path;

use toml::Table;
use toml::de::{DeTable, DeValue};

use super::{Field, InputError, KeyPath, LocatedProblem, Location, Problem, Segment};

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
    pub fn read(path: &Path) -> Result<Self, InputError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| InputError::whole_file(&name, format!("cannot read the file: {e}")))?;
        Ok(Self { name, text })
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
        self.text
            .parse::<Table>()
            .map_err(|e| InputError::whole_file(&self.name, format!("TOML error: {}", e.message())))
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
