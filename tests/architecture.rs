//! The library's modules form no import circles: no module imports a module
//! that imports it back, directly or through others. Checked at two levels:
//! between the top-level modules of `src/` (`results`, `compare`, `sweep`,
//! …), and between sibling files inside one module folder (`sweep/design.rs`
//! and `sweep/lhs.rs`; a folder's `mod.rs`, which declares and re-exports
//! its children, is left out at that level).
//!
//! Imports are read from the source text: `crate::NAME` anywhere in a file
//! (outside `#[cfg(test)]` modules) for the top level, and `super::NAME` /
//! `crate::TOP::NAME` for siblings.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The text of a file without its `#[cfg(test)]` module (tests may reach
/// anywhere) and without comments.
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => text,
    };
    text.lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The identifiers following `prefix` in `text` (`crate::` → `results`).
fn names_after(text: &str, prefix: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut rest = text;
    while let Some(i) = rest.find(prefix) {
        let before = rest[..i].chars().next_back();
        rest = &rest[i + prefix.len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // e.g. `mycrate::`
        }
        if let Some(group) = rest.strip_prefix('{') {
            // `prefix{a::x, b}`: the first name of each top-level item.
            let mut depth = 0;
            let mut item_start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_start = true,
                    c if item_start && (c.is_alphanumeric() || c == '_') => {
                        names.insert(identifier(&group[i..]));
                        item_start = false;
                    }
                    c if !c.is_whitespace() => item_start = false,
                    _ => {}
                }
            }
        } else if !identifier(rest).is_empty() {
            names.insert(identifier(rest));
        }
    }
    names
}

/// The identifier `text` starts with.
fn identifier(text: &str) -> String {
    text.chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// A circle in `graph`, as the modules along it, if there is one.
fn find_circle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|n| n == node) {
            let mut circle = path[i..].to_vec();
            circle.push(node.to_string());
            return Some(circle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(c) = visit(next, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|n| visit(n, graph, &mut Vec::new(), &mut done))
}

/// Import graphs of the library under `src`: the top level, and one per
/// module folder (its sibling files).
fn graphs(src: &Path) -> BTreeMap<String, BTreeMap<String, BTreeSet<String>>> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let mut graphs: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for file in files {
        let relative = file.strip_prefix(src).unwrap();
        let parts: Vec<String> = relative
            .iter()
            .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
            .collect();
        // The binary's command line uses the library as a client.
        if parts[0] == "main" || parts[0] == "cli" || parts[0] == "lib" {
            continue;
        }
        let top = parts[0].clone();
        let text = code(&fs::read_to_string(&file).unwrap());
        let top_level = graphs.entry(String::new()).or_default();
        let deps = top_level.entry(top.clone()).or_default();
        deps.extend(
            names_after(&text, "crate::")
                .into_iter()
                .filter(|d| *d != top),
        );
        if parts.len() == 2 && parts[1] != "mod" {
            let own = parts[1].clone();
            let mut siblings = names_after(&text, "super::");
            siblings.extend(names_after(&text, &format!("crate::{top}::")));
            let folder = graphs.entry(top.clone()).or_default();
            let deps = folder.entry(own.clone()).or_default();
            deps.extend(siblings.into_iter().filter(|d| *d != own));
        }
    }
    // Only edges between modules of the same level count.
    for graph in graphs.values_mut() {
        let nodes: BTreeSet<String> = graph.keys().cloned().collect();
        for deps in graph.values_mut() {
            deps.retain(|d| nodes.contains(d));
        }
    }
    graphs
}

#[test]
fn no_module_imports_a_module_that_imports_it_back() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let circles: Vec<String> = graphs(&src)
        .iter()
        .filter_map(|(folder, graph)| {
            find_circle(graph).map(|c| {
                let level = if folder.is_empty() {
                    "src/".to_string()
                } else {
                    format!("src/{folder}/")
                };
                format!("{level}: {}", c.join(" -> "))
            })
        })
        .collect();
    assert!(
        circles.is_empty(),
        "import circles:\n{}",
        circles.join("\n")
    );
}

#[test]
fn the_check_sees_a_circle() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    fs::create_dir(src.join("sweep")).unwrap();
    fs::write(src.join("results.rs"), "use crate::compare::CSV;\n").unwrap();
    fs::write(src.join("compare.rs"), "use crate::results::number;\n").unwrap();
    fs::write(src.join("sweep/mod.rs"), "pub mod design;\npub mod lhs;\n").unwrap();
    fs::write(
        src.join("sweep/design.rs"),
        "use super::{Error, lhs::sample};\n",
    )
    .unwrap();
    fs::write(
        src.join("sweep/lhs.rs"),
        "use crate::sweep::design::Range;\n#[cfg(test)]\nmod tests {\n    use crate::sweep::design::X;\n}\n",
    )
    .unwrap();
    let before = graphs(src);
    assert!(find_circle(&before[""]).is_some());
    assert!(find_circle(&before["sweep"]).is_some());
    fs::write(
        src.join("sweep/lhs.rs"),
        "#[cfg(test)]\nmod tests {\n    use crate::sweep::design::X;\n}\n",
    )
    .unwrap();
    assert!(find_circle(&graphs(src)["sweep"]).is_none());
}
