//! From TOML values to typed sections, collecting every problem.
//!
//! Each section (and each entry of an array of tables) is deserialised on
//! its own, so that a typo in one table and a wrong type in the third entry
//! of another are reported together, not one per attempt.

use serde::de::DeserializeOwned;
use toml::{Table, Value};

use super::{KeyPath, Problem};

/// Deserialise one value at `at`; on failure record its first problem at
/// the key path serde reports, in plain words.
pub fn section<T: DeserializeOwned>(
    value: &Value,
    at: KeyPath,
    problems: &mut Vec<Problem>,
) -> Option<T> {
    match serde_path_to_error::deserialize::<_, T>(value.clone()) {
        Ok(v) => Some(v),
        Err(e) => {
            let inner = KeyPath::parse_serde(&e.path().to_string());
            problems.push(Problem::new(
                at.join(&inner),
                plain_words(e.inner().message()),
            ));
            None
        }
    }
}

/// Deserialise every entry of the array of tables `doc[key]` (absent =
/// none). An entry that fails is `None`, with its problem recorded, so the
/// others can still be checked and indices still match the file.
pub fn entries<T: DeserializeOwned>(
    doc: &Table,
    key: &str,
    problems: &mut Vec<Problem>,
) -> Vec<Option<T>> {
    match doc.get(key) {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, item)| section(item, KeyPath::keys(&[key]).index(i), problems))
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
