//! The documentation a user needs ships with the product: nothing in the
//! repository points outside it, and every relative link in `README.md` and
//! `docs/*.md` leads to a file in the repository (and, with `#anchor`, to a
//! heading in it). A fresh clone must be enough to write a scenario for a
//! new municipality.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root (the crate root).
fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Files the repository holds: `git ls-files` where git knows the checkout,
/// otherwise every file outside `target/` and hidden folders.
fn repository_files() -> Vec<PathBuf> {
    let listed = Command::new("git")
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .current_dir(root())
        .output();
    if let Ok(out) = listed
        && out.status.success()
        && !out.stdout.is_empty()
    {
        return out
            .stdout
            .split(|&b| b == 0)
            .filter(|name| !name.is_empty())
            .map(|name| PathBuf::from(String::from_utf8_lossy(name).into_owned()))
            .filter(|p| root().join(p).is_file())
            .collect();
    }
    let mut files = Vec::new();
    walk(&root(), Path::new(""), &mut files);
    files
}

fn walk(root: &Path, relative: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(root.join(relative)).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || (relative.as_os_str().is_empty() && name == "target") {
            continue;
        }
        let path = relative.join(&*name);
        if entry.file_type().unwrap().is_dir() {
            walk(root, &path, out);
        } else {
            out.push(path);
        }
    }
}

/// Names of documents outside the product that it must never point at.
/// Spelled in pieces so this file does not mention them itself.
fn outside_references() -> [String; 2] {
    [
        format!("{}/{}", "..", "shared"),
        format!("{}.{}", "MODEL", "md"),
    ]
}

#[test]
fn nothing_points_outside_the_repository() {
    let golden = Path::new("tests").join("golden");
    let mut offenders = Vec::new();
    for file in repository_files() {
        if file.starts_with(&golden) {
            continue; // committed outputs of an earlier version, never edited
        }
        let Ok(bytes) = fs::read(root().join(&file)) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        for (n, line) in text.lines().enumerate() {
            for needle in outside_references() {
                if line.contains(&needle) {
                    offenders.push(format!("{}:{}: mentions {needle}", file.display(), n + 1));
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "the product must explain itself (docs/), not point outside the repository:\n{}",
        offenders.join("\n")
    );
}

/// Link targets of inline Markdown links `[text](target)` outside code
/// blocks and code spans.
fn links(markdown: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut in_code_block = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_code_block = !in_code_block;
            continue;
        }
        if in_code_block {
            continue;
        }
        // Drop code spans: `[a](b)` inside backticks is not a link.
        let prose: String = line
            .split('`')
            .enumerate()
            .map(|(i, part)| if i % 2 == 0 { part } else { "" })
            .collect();
        let mut rest = prose.as_str();
        while let Some(i) = rest.find("](") {
            rest = &rest[i + 2..];
            if let Some(end) = rest.find(')') {
                found.push(rest[..end].trim().to_string());
                rest = &rest[end..];
            }
        }
    }
    found
}

/// GitHub's anchor for a heading: lower case, punctuation dropped, spaces
/// to hyphens.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// Anchors of every heading of a Markdown document.
fn anchors(markdown: &str) -> Vec<String> {
    let mut in_code_block = false;
    let mut found = Vec::new();
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_code_block = !in_code_block;
        } else if !in_code_block && line.starts_with('#') {
            found.push(anchor(
                line.trim_start_matches('#').replace('`', "").as_str(),
            ));
        }
    }
    found
}

/// The user documentation: README.md and every Markdown file under docs/.
fn user_docs() -> Vec<PathBuf> {
    let mut docs = vec![PathBuf::from("README.md")];
    let mut in_docs: Vec<PathBuf> = fs::read_dir(root().join("docs"))
        .expect("docs/ exists")
        .map(|e| PathBuf::from("docs").join(e.unwrap().file_name()))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    in_docs.sort();
    docs.extend(in_docs);
    docs
}

#[test]
fn every_relative_link_in_the_docs_resolves_inside_the_repository() {
    let repo = root().canonicalize().unwrap();
    let mut broken = Vec::new();
    let mut checked = 0;
    for doc in user_docs() {
        let text = fs::read_to_string(root().join(&doc)).unwrap();
        let dir = root().join(&doc).parent().unwrap().to_path_buf();
        for link in links(&text) {
            if link.contains("://") || link.starts_with("mailto:") {
                continue;
            }
            checked += 1;
            let (path, fragment) = match link.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (link.as_str(), None),
            };
            let target = if path.is_empty() {
                root().join(&doc)
            } else {
                dir.join(path)
            };
            let Ok(resolved) = target.canonicalize() else {
                broken.push(format!("{}: {link}: no such file", doc.display()));
                continue;
            };
            if !resolved.starts_with(&repo) {
                broken.push(format!("{}: {link}: outside the repository", doc.display()));
                continue;
            }
            if let Some(fragment) = fragment {
                let is_markdown = resolved.extension().is_some_and(|e| e == "md");
                let headings = fs::read_to_string(&resolved)
                    .map(|t| anchors(&t))
                    .unwrap_or_default();
                if is_markdown && !headings.iter().any(|h| h == fragment) {
                    broken.push(format!("{}: {link}: no heading #{fragment}", doc.display()));
                }
            }
        }
    }
    assert!(
        checked >= 10,
        "only {checked} relative links found: is the link reader broken?"
    );
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn the_link_reader_finds_links_and_skips_code() {
    let text = "See [a](docs/a.md) and `[b](not-a-link)`.\n```\n[c](in-code)\n```\n[d](#x-y)";
    assert_eq!(links(text), vec!["docs/a.md", "#x-y"]);
    assert_eq!(
        anchor("5. Warm-up: how long, and how to check it settled"),
        "5-warm-up-how-long-and-how-to-check-it-settled"
    );
}

#[test]
fn the_docs_cover_what_a_new_municipality_needs() {
    let read = |p: &str| fs::read_to_string(root().join(p)).unwrap();
    let model = read("docs/model.md");
    for term in [
        "fit",
        "ready",
        "needs_more",
        "min_task_share",
        "earliest due date",
    ] {
        assert!(
            model.contains(term),
            "docs/model.md does not explain {term}"
        );
    }
    // Every key of the scenario format appears in the parameter reference.
    let parameters = read("docs/parameters.md");
    let keys = [
        "name",
        "start",
        "horizon_years",
        "warmup_years",
        "replications",
        "seed",
        "period",
        "currency",
        "exit_age",
        "capacity",
        "id",
        "label",
        "placement",
        "cost_per_year",
        "points",
        "workload_hours_per_month",
        "max_years",
        "first_weeks",
        "every_weeks",
        "hours",
        "improve",
        "worsen",
        "relapse",
        "crisis",
        "close",
        "down_to",
        "up_to",
        "crisis_to",
        "detection",
        "on_time_weeks",
        "referrals_per_year",
        "assessment_hours",
        "assessment_min_weeks",
        "assessment_points",
        "entry",
        "age_min",
        "age_max",
        "caseworkers",
        "hours_per_week",
        "case_work_share",
        "min_task_share",
        "salary_per_year",
        "fixed_per_year",
        "per_breakdown",
        "discount_rate",
        "at_years",
        "set",
        "extends",
    ];
    for key in keys {
        assert!(
            parameters.contains(&format!("`{key}`")) || parameters.contains(&format!(".{key}`")),
            "docs/parameters.md does not describe `{key}`"
        );
    }
    let guide = read("docs/your-municipality.md");
    for term in [
        "warmup_years",
        "count_end",
        "trappe calibrate",
        "trappe check",
    ] {
        assert!(
            guide.contains(term),
            "docs/your-municipality.md does not mention {term}"
        );
    }
}
