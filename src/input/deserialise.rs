//! From TOML values to typed sections, collecting every problem.
//!
//! Each section (and each entry of an array of tables) is deserialised on
//! its own, so that a typo in one table and a wrong type in the third entry
//! of another are reported together, not one per attempt.

use serde::de::DeserializeOwned;
use toml::{Table, Value};

use super::{KeyPath, Problem, Segment};

/// Deserialise one value at `at`; on failure record every type problem
/// in it (see [`section_cut`]) and give `None`.
pub fn section<T: DeserializeOwned>(
    value: &Value,
    at: KeyPath,
    problems: &mut Vec<Problem>,
) -> Option<T> {
    let mut cut = Vec::new();
    let read = section_cut(value, at, problems, &mut cut);
    if cut.is_empty() { read } else { None }
}

/// How many mistakes one value may have before the rest go unreported:
/// every retry deserialises the value again.
const MAX_CUTS: usize = 64;

/// Deserialise one value at `at`, recording every type problem in it, not
/// only the first: serde stops at the first mistake, so the offending key
/// is recorded, cut out of a copy, and the copy read again, until it reads
/// or the mistake cannot be cut (an array element, a key serde cannot
/// name, a required key). Returns the value read without the cut keys (so
/// that its other parts can still be checked) and adds their paths to
/// `cut`; `None` when even that does not read.
pub fn section_cut<T: DeserializeOwned>(
    value: &Value,
    at: KeyPath,
    problems: &mut Vec<Problem>,
    cut: &mut Vec<KeyPath>,
) -> Option<T> {
    let mut copy = value.clone();
    let mut removed: Vec<KeyPath> = Vec::new();
    let mut result = None;
    for _ in 0..MAX_CUTS {
        match serde_path_to_error::deserialize::<_, T>(copy.clone()) {
            Ok(v) => {
                result = Some(v);
                break;
            }
            Err(e) => {
                let rendered = e.path().to_string();
                let inner = KeyPath::parse_serde(&rendered);
                let message = e.inner().message();
                // A required key we cut is now missing: its own problem
                // already says what is wrong with it.
                let missing_cut =
                    missing_field(message).is_some_and(|name| removed.contains(&inner.key(name)));
                if missing_cut {
                    break;
                }
                problems.push(Problem::new(at.join(&inner), plain_words(message)));
                if rendered.contains('?') || removed.contains(&inner) || !remove(&mut copy, &inner)
                {
                    break;
                }
                removed.push(inner);
            }
        }
    }
    cut.extend(removed.iter().map(|r| at.join(r)));
    result
}

/// The key named by serde's "missing field `name`" message.
fn missing_field(message: &str) -> Option<&str> {
    message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
}

/// Remove the key at `path` from `value`; false when the path does not
/// end in a key or leads nowhere (an array element is never removed, so
/// that later indices still match the file).
fn remove(value: &mut Value, path: &KeyPath) -> bool {
    let Some((Segment::Key(last), parents)) = path.0.split_last() else {
        return false;
    };
    let mut here = value;
    for segment in parents {
        let next = match segment {
            Segment::Key(k) => here.get_mut(k.as_str()),
            Segment::Index(i) => here.get_mut(*i),
        };
        match next {
            Some(v) => here = v,
            None => return false,
        }
    }
    here.as_table_mut()
        .is_some_and(|t| t.remove(last.as_str()).is_some())
}

/// Deserialise every entry of the array of tables `doc[key]` (absent =
/// none). An entry that fails is `None`, with its problems recorded, so the
/// others can still be checked and indices still match the file.
pub fn entries<T: DeserializeOwned>(
    doc: &Table,
    key: &str,
    problems: &mut Vec<Problem>,
) -> Vec<Option<T>> {
    let mut cut = Vec::new();
    entries_cut(doc, key, problems, &mut cut)
        .into_iter()
        .enumerate()
        .map(|(i, entry)| {
            let prefix = KeyPath::keys(&[key]).index(i);
            entry.filter(|_| !cut.iter().any(|c| c.0.starts_with(&prefix.0)))
        })
        .collect()
}

/// [`entries`], each entry read as [`section_cut`] reads a value: an entry
/// with a mistake that can be cut is still given, its cut keys in `cut`.
pub fn entries_cut<T: DeserializeOwned>(
    doc: &Table,
    key: &str,
    problems: &mut Vec<Problem>,
    cut: &mut Vec<KeyPath>,
) -> Vec<Option<T>> {
    match doc.get(key) {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, item)| section_cut(item, KeyPath::keys(&[key]).index(i), problems, cut))
            .collect(),
        Some(other) => {
            problems.push(Problem::new(
                KeyPath::keys(&[key]),
                format!(
                    "must be an array of tables ([[{key}]]), got a {}",
                    other.type_str()
                ),
            ));
            Vec::new()
        }
    }
}

/// Record every top-level key of `doc` that is not one of `known`.
pub fn unknown_keys(doc: &Table, known: &[&str], problems: &mut Vec<Problem>) {
    for key in doc.keys() {
        if !known.contains(&key.as_str()) {
            problems.push(Problem::new(
                KeyPath::keys(&[key]),
                format!("unknown key, expected one of {}", known.join(", ")),
            ));
        }
    }
}

/// A deserialiser message in the input's terms rather than Rust's:
/// `expected f64` becomes `expected a number`, `expected struct Workforce`
/// becomes `expected a table`, and so on.
fn plain_words(message: &str) -> String {
    const WORDS: [(&str, &str); 7] = [
        ("expected f64", "expected a number"),
        (
            "expected u64",
            "expected a whole number, 0 or more (a TOML integer)",
        ),
        (
            "expected usize",
            "expected a whole number, 0 or more (a TOML integer)",
        ),
        (
            "expected u32",
            "expected a whole number from 0 to 4294967295 (a TOML integer)",
        ),
        ("expected a map", "expected a table"),
        (
            "expected a TOML datetime",
            "expected a TOML date such as 2013-08-01",
        ),
        ("expected a sequence", "expected an array"),
    ];
    let mut out = message.to_string();
    for (rust, plain) in WORDS {
        out = out.replace(rust, plain);
    }
    while let Some(at) = out.find("expected struct ") {
        let name_start = at + "expected struct ".len();
        let name_end = out[name_start..]
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map_or(out.len(), |i| name_start + i);
        out.replace_range(at..name_end, "expected a table");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Entry {
        #[allow(dead_code)]
        n: u64,
        #[allow(dead_code)]
        x: Option<f64>,
    }

    fn doc(text: &str) -> Table {
        text.parse().unwrap()
    }

    #[test]
    fn every_entry_reports_its_own_problem() {
        let d = doc("[[e]]\nn = 1\n[[e]]\nn = -1\n[[e]]\nn = 2\nx = \"a\"\n");
        let mut problems = Vec::new();
        let got = entries::<Entry>(&d, "e", &mut problems);
        assert_eq!(
            got.iter().map(Option::is_some).collect::<Vec<_>>(),
            [true, false, false]
        );
        let paths: Vec<String> = problems.iter().map(|p| p.path.to_string()).collect();
        assert_eq!(paths, ["e[1].n", "e[2].x"]);
        assert!(
            problems[1].message.contains("expected a number"),
            "{problems:?}"
        );
    }

    #[test]
    fn every_type_problem_of_one_value_is_reported() {
        let d = doc("[[e]]\nn = -1\nx = \"a\"\n[[e]]\nn = 1\nx = \"b\"\n");
        let mut problems = Vec::new();
        let mut cut = Vec::new();
        let got = entries_cut::<Entry>(&d, "e", &mut problems, &mut cut);
        let paths: Vec<String> = problems.iter().map(|p| p.path.to_string()).collect();
        // `n` is required: once cut, the first entry no longer reads, and
        // its absence is not reported again.
        assert_eq!(paths, ["e[0].n", "e[0].x", "e[1].x"]);
        assert_eq!(
            got.iter().map(Option::is_some).collect::<Vec<_>>(),
            [false, true]
        );
        let cut: Vec<String> = cut.iter().map(ToString::to_string).collect();
        assert_eq!(cut, ["e[0].n", "e[0].x", "e[1].x"]);
        // The plain reading gives no entry with a problem.
        let mut again = Vec::new();
        let plain = entries::<Entry>(&d, "e", &mut again);
        assert!(plain.iter().all(Option::is_none));
        assert_eq!(again.len(), 3);
    }

    #[test]
    fn a_table_where_an_array_belongs() {
        let mut problems = Vec::new();
        assert!(entries::<Entry>(&doc("[e]\nn = 1\n"), "e", &mut problems).is_empty());
        assert_eq!(
            problems[0].message,
            "must be an array of tables ([[e]]), got a table"
        );
    }

    #[test]
    fn rust_words_become_plain() {
        assert_eq!(
            plain_words("invalid type: string \"a\", expected struct Workforce"),
            "invalid type: string \"a\", expected a table"
        );
        assert_eq!(plain_words("expected usize"), plain_words("expected u64"));
    }
}
