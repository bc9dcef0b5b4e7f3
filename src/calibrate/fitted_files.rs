//! The fitted copies of the user's own scenario files: each file's text as
//! written, with every fitted value set where that key lives, so comments,
//! layout, number style and `extends` survive a calibration.
//!
//! Where a value goes: a fitted path is set in the most specific file of
//! each scenario's `extends` chain that writes the key (a parameter
//! inherited from a base file is set in the base file); a key no file
//! writes (it had its default) is added to the least specific file that has
//! the enclosing rung, or to the chain's base file. Every file of every
//! chain gets a fitted copy, named by its file name, so the copies extend
//! each other exactly as the originals do; an `extends` path that pointed
//! into another folder is changed to the copy's name.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use toml_edit::{DocumentMut, InlineTable, Item, TableLike, Value};

use super::Input;
use crate::scenario::Override;

/// One fitted copy of a scenario file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FittedFile {
    /// The file it copies, as the user named it.
    pub original: String,
    /// Its name in the output folder (the original's file name).
    pub name: String,
    /// The original text with the fitted values set.
    pub text: String,
}

/// One distinct file of the chains, with its parsed text.
struct File {
    original: String,
    canonical: PathBuf,
    name: String,
    doc: DocumentMut,
}

/// The key path of a `--set` path: `steps.<id>.rest` addresses a rung by id.
enum Target<'a> {
    Rung(&'a str, Vec<&'a str>),
    Keys(Vec<&'a str>),
}

fn target(path: &str) -> Target<'_> {
    let parts: Vec<&str> = path.split('.').collect();
    match parts.as_slice() {
        ["steps", id, rest @ ..] if !rest.is_empty() => Target::Rung(id, rest.to_vec()),
        _ => Target::Keys(parts),
    }
}

/// The `[[steps]]` table with `id` in a document, if it has one.
fn rung_mut<'d>(doc: &'d mut DocumentMut, id: &str) -> Option<&'d mut dyn TableLike> {
    let steps = doc.get_mut("steps")?;
    if steps.is_array_of_tables() {
        return steps
            .as_array_of_tables_mut()?
            .iter_mut()
            .find(|t| t.get("id").and_then(Item::as_str) == Some(id))
            .map(|t| t as &mut dyn TableLike);
    }
    steps
        .as_array_mut()?
        .iter_mut()
        .filter_map(Value::as_inline_table_mut)
        .find(|t| t.get("id").and_then(Value::as_str) == Some(id))
        .map(|t| t as &mut dyn TableLike)
}

/// The table a target's keys start from, if the document has it.
fn root_mut<'d>(doc: &'d mut DocumentMut, target: &Target<'_>) -> Option<&'d mut dyn TableLike> {
    match target {
        Target::Rung(id, _) => rung_mut(doc, id),
        Target::Keys(_) => Some(doc.as_table_mut() as &mut dyn TableLike),
    }
}

fn keys<'t>(target: &'t Target<'_>) -> &'t [&'t str] {
    match target {
        Target::Rung(_, keys) | Target::Keys(keys) => keys,
    }
}

/// Whether the document writes the value at `target`.
fn writes(doc: &mut DocumentMut, target: &Target<'_>) -> bool {
    let Some(mut here) = root_mut(doc, target) else {
        return false;
    };
    let (last, parents) = keys(target).split_last().expect("paths have a key");
    for key in parents {
        match here.get_mut(key).and_then(Item::as_table_like_mut) {
            Some(next) => here = next,
            None => return false,
        }
    }
    here.get(last).is_some_and(Item::is_value)
}

/// Set the value at `target`, keeping the old value's comments and spacing;
/// missing tables are created (inline below the top level).
fn set(doc: &mut DocumentMut, target: &Target<'_>, value: &Value) -> bool {
    let top_level = matches!(target, Target::Keys(_));
    let Some(mut here) = root_mut(doc, target) else {
        return false;
    };
    let (last, parents) = keys(target).split_last().expect("paths have a key");
    for (depth, key) in parents.iter().enumerate() {
        if here.get(key).and_then(Item::as_table_like).is_none() {
            let table = if top_level && depth == 0 {
                toml_edit::table()
            } else {
                Item::Value(Value::InlineTable(InlineTable::new()))
            };
            here.insert(key, table);
        }
        here = here
            .get_mut(key)
            .and_then(Item::as_table_like_mut)
            .expect("just made sure it is a table");
    }
    match here.get_mut(last).and_then(Item::as_value_mut) {
        Some(old) => {
            let decor = old.decor().clone();
            *old = value.clone();
            *old.decor_mut() = decor;
        }
        None => {
            here.insert(last, Item::Value(value.clone()));
        }
    }
    true
}

/// A TOML value as the format-preserving editor holds it.
fn edit_value(value: &toml::Value) -> Result<Value, String> {
    value
        .to_string()
        .parse::<Value>()
        .map_err(|e| format!("cannot write {value} into a scenario file: {e}"))
}

/// The canonical path of a file, for telling files apart.
fn canonical(name: &str) -> PathBuf {
    Path::new(name)
        .canonicalize()
        .unwrap_or_else(|_| PathBuf::from(name))
}

/// The fitted copies of every file of the inputs' `extends` chains, with
/// `overrides` (the fitted values) set in place. Err says why a value could
/// not be placed.
pub fn fitted_files(inputs: &[Input], overrides: &[Override]) -> Result<Vec<FittedFile>, String> {
    let mut files: Vec<File> = Vec::new();
    let mut chains: Vec<Vec<usize>> = Vec::new();
    let mut names = BTreeSet::new();
    for input in inputs {
        let mut chain = Vec::new();
        for layer in &input.document.layers {
            let path = canonical(&layer.name);
            let index = match files.iter().position(|f| f.canonical == path) {
                Some(i) => i,
                None => {
                    let file_name = Path::new(&layer.name).file_name().map_or_else(
                        || "scenario.toml".into(),
                        |n| n.to_string_lossy().into_owned(),
                    );
                    let name = unique_name(&file_name, &mut names);
                    let doc = layer
                        .text
                        .parse::<DocumentMut>()
                        .map_err(|e| format!("{}: {e}", layer.name))?;
                    files.push(File {
                        original: layer.name.clone(),
                        canonical: path,
                        name,
                        doc,
                    });
                    files.len() - 1
                }
            };
            chain.push(index);
        }
        chains.push(chain);
    }

    for chain in &chains {
        for o in overrides {
            let value = edit_value(&o.value)?;
            let target = target(&o.path);
            let writer = chain
                .iter()
                .copied()
                .find(|&i| writes(&mut files[i].doc, &target));
            let home = writer.or_else(|| {
                chain
                    .iter()
                    .rev()
                    .copied()
                    .find(|&i| root_mut(&mut files[i].doc, &target).is_some())
            });
            let placed = home.is_some_and(|i| set(&mut files[i].doc, &target, &value));
            if !placed {
                return Err(format!(
                    "no file of the scenario has a place for {}",
                    o.path
                ));
            }
        }
        // Each copy extends the copy of its base.
        for pair in chain.windows(2) {
            let base = files[pair[1]].name.clone();
            let doc = &mut files[pair[0]].doc;
            if let Some(old) = doc.get_mut("extends").and_then(Item::as_value_mut)
                && old.as_str() != Some(base.as_str())
            {
                let decor = old.decor().clone();
                *old = Value::from(base);
                *old.decor_mut() = decor;
            }
        }
    }

    Ok(files
        .into_iter()
        .map(|f| FittedFile {
            original: f.original,
            name: f.name,
            text: f.doc.to_string(),
        })
        .collect())
}

/// `name`, or `stem-2.toml`, `stem-3.toml`, … if it is taken.
fn unique_name(name: &str, taken: &mut BTreeSet<String>) -> String {
    let mut candidate = name.to_string();
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, "toml"));
    let mut n = 2;
    while !taken.insert(candidate.clone()) {
        candidate = format!("{stem}-{n}.{ext}");
        n += 1;
    }
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edited(text: &str, path: &str, value: f64) -> String {
        let mut doc = text.parse::<DocumentMut>().unwrap();
        let value = edit_value(&toml::Value::Float(value)).unwrap();
        assert!(set(&mut doc, &target(path), &value));
        doc.to_string()
    }

    #[test]
    fn a_value_is_replaced_in_place_with_its_comment() {
        let text = "# head\n[intake]\nreferrals_per_year = 128.0  # fitted\nage_max = 17.5\n";
        assert_eq!(
            edited(text, "intake.referrals_per_year", 131.5),
            "# head\n[intake]\nreferrals_per_year = 131.5  # fitted\nage_max = 17.5\n"
        );
    }

    #[test]
    fn inline_tables_and_rungs_by_id_are_edited_in_place() {
        let text = "[[steps]]\nid = \"a\"\nlatent = { improve = 0.5, crisis = 3.0 }  # note\n\n[[steps]]\nid = \"b\"\nlatent = { improve = 0.1 }\n";
        let out = edited(text, "steps.b.latent.improve", 0.25);
        assert!(
            out.contains("id = \"b\"\nlatent = { improve = 0.25 }"),
            "{out}"
        );
        let out = edited(text, "steps.a.latent.crisis", 2.5);
        assert!(
            out.contains("latent = { improve = 0.5, crisis = 2.5 }  # note"),
            "{out}"
        );
    }

    #[test]
    fn a_missing_key_is_added_where_it_belongs() {
        let out = edited("[[steps]]\nid = \"a\"\n", "steps.a.latent.worsen", 0.1);
        let table: toml::Table = out.parse().unwrap();
        assert_eq!(table["steps"][0]["latent"]["worsen"].as_float(), Some(0.1));
        let out = edited("[scenario]\nname = \"x\"\n", "follow_up.detection", 0.9);
        let table: toml::Table = out.parse().unwrap();
        assert_eq!(table["follow_up"]["detection"].as_float(), Some(0.9));
    }

    #[test]
    fn names_stay_unique() {
        let mut taken = BTreeSet::new();
        assert_eq!(unique_name("a.toml", &mut taken), "a.toml");
        assert_eq!(unique_name("a.toml", &mut taken), "a-2.toml");
    }
}
