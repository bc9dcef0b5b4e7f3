//! Danish outputs: `--lang da` (and the shipped Herning scenarios'
//! `language = "da"`) write the report and the terminal tables in Danish
//! with no English left, and `--lang en` still writes English.
//!
//! What is checked is every word a reader sees: the report's text with its
//! tags stripped (figure titles, axes and legends are `<text>` in the
//! inline SVGs, so they are read too) and the terminal output. The user's
//! own words are taken out first: scenario names, rung ids and labels come
//! from the scenario files, and `<code>`, `[table]` and file names are
//! identifiers, not prose.

use std::path::Path;

use tempfile::TempDir;

use super::{REPS, run_ok, scenario, trappe};

/// English words that must not appear in a Danish output. Months are
/// matched with their case (Danish writes `jan.`, English `Jan`); the
/// other words in any case. Words that are Danish too (`for`, `at`, `to`,
/// `budget`, `interval`, `model`, `start`, `under`) cannot be told apart
/// and are not listed.
const ENGLISH_WORDS: &[&str] = &[
    "the",
    "and",
    "of",
    "per",
    "with",
    "from",
    "in",
    "by",
    "is",
    "are",
    "cost",
    "costs",
    "total",
    "totals",
    "difference",
    "differences",
    "base",
    "alternative",
    "replications",
    "replication",
    "period",
    "periods",
    "child-years",
    "child-year",
    "caseworker",
    "caseworkers",
    "follow-up",
    "follow-ups",
    "placement",
    "placements",
    "placed",
    "share",
    "mean",
    "year",
    "years",
    "quarter",
    "month",
    "whole",
    "break-even",
    "probability",
    "saves",
    "money",
    "unmet",
    "need",
    "figures",
    "methods",
    "glance",
    "scenarios",
    "confidence",
    "CI",
    "assessment",
    "breakdowns",
    "cases",
    "weeks",
    "hours",
    "shaded",
    "lines",
    "dots",
    "whiskers",
    "caseload",
    "rung",
    "rungs",
    "children",
    "cumulative",
    "starting",
    "percentage",
    "points",
    "pp",
    "generated",
    "report",
    "random",
    "numbers",
    "paired",
    "SEL",
];

/// Months as English abbreviates them.
const ENGLISH_MONTHS: &[&str] = &[
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The user's own words in the Herning files: scenario names, rung ids and
/// labels (`SEL` in a label is the file's, not trappe's).
const USER_WORDS: &[&str] = &[
    "Herning, Swedish-model districts: old practice (baseline)",
    "Herning, Swedish-model districts: Swedish model from Aug 2013",
    "Forebyggelse (SEL §11, §52)",
    "home_based",
    "prevention",
    "kinship",
    "foster",
    "institution",
];

/// `text` without markup: no `<style>`, `<code>` contents or tags, and
/// entities decoded.
fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    for (open, close) in [("<style>", "</style>"), ("<code>", "</code>")] {
        out.clear();
        while let Some(i) = rest.find(open) {
            out.push_str(&rest[..i]);
            rest = rest[i..]
                .find(close)
                .map_or("", |j| &rest[i + j + close.len()..]);
        }
        out.push_str(rest);
        rest = Box::leak(out.clone().into_boxed_str());
    }
    let mut text = String::new();
    let mut in_tag = false;
    for c in out.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    // Runs of white space (not the no-break space) as one space, so a name
    // wrapped over two lines of a legend is still the name.
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
        .split_ascii_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The English words left in `text` once the user's own words, `[table]`
/// names and file names are taken out.
fn english_in(text: &str) -> Vec<String> {
    let mut text = text.to_string();
    for user in USER_WORDS {
        text = text.replace(user, " ");
    }
    let words: Vec<&str> = text
        .split(|c: char| {
            !(c.is_alphanumeric() || c == '-' || c == '[' || c == ']' || c == '.' || c == '_')
        })
        .map(|w| w.trim_matches(|c| c == '.' || c == '-'))
        .filter(|w| !w.is_empty())
        .filter(|w| !(w.starts_with('[') && w.ends_with(']')))
        .filter(|w| !w.contains('_') && ![".csv", ".toml", ".html"].iter().any(|e| w.ends_with(e)))
        .collect();
    let mut found: Vec<String> = words
        .iter()
        .flat_map(|w| w.split('.'))
        .filter(|w| {
            ENGLISH_MONTHS.contains(w) || ENGLISH_WORDS.iter().any(|e| e.eq_ignore_ascii_case(w))
        })
        .map(str::to_string)
        .collect();
    found.sort();
    found.dedup();
    found
}

/// `trappe compare` of the Herning pair into `out` with `lang` and a
/// report; its terminal output.
fn compare(out: &Path, lang: &[&str]) -> String {
    let output = run_ok(
        trappe()
            .arg("compare")
            .arg(scenario("herning-baseline.toml"))
            .arg(scenario("herning-sverigesmodel.toml"))
            .arg("--out")
            .arg(out)
            .args(["--replications", REPS, "-q", "--report"])
            .args(lang),
    );
    String::from_utf8_lossy(&output.stdout).replace(&out.display().to_string(), " ")
}

#[test]
fn a_danish_report_and_terminal_have_no_english() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    let terminal = compare(&out, &["--lang", "da"]);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("<html lang=\"da\">"));
    let text = visible_text(&html);
    for danish in [
        "Overblik",
        "Samlede udgifter (kr.), hele perioden",
        "Balancepunkt",
        "Sandsynlighed for lavere samlede udgifter over hele perioden",
        "årsbørn",
        "sagsbehandler",
        "opfølgning",
        "indsatstrappen",
        "Barnets lov",
        "1. jan. 2013",
        "1. kvt. 2013",
    ] {
        assert!(text.contains(danish), "the Danish report lacks {danish:?}");
    }
    let leaks = english_in(&text);
    assert!(leaks.is_empty(), "English in the Danish report: {leaks:?}");
    assert!(
        terminal.contains("Samlede udgifter (kr. pr. kvartal)"),
        "{terminal}"
    );
    assert!(terminal.contains("Parrede svar"), "{terminal}");
    let leaks = english_in(&terminal);
    assert!(
        leaks.is_empty(),
        "English in the Danish terminal output: {leaks:?}\n{terminal}"
    );
    // Danish numbers: thousands with dots, decimal commas, `%` after a
    // no-break space.
    assert!(text.contains("\u{a0}%"));
    assert!(terminal.contains(",0\u{a0}%"), "{terminal}");
}

#[test]
fn the_language_check_finds_english() {
    // Guards the check above against passing vacuously.
    assert_eq!(
        english_in("Samlede udgifter: Total cost per quarter, 1 Jan 2014"),
        ["Jan", "Total", "cost", "per", "quarter"]
    );
    assert!(
        english_in("Samlede udgifter pr. kvartal, 1. jan. 2014 [initial] summary.csv").is_empty()
    );
    assert_eq!(
        visible_text("<style>p{}</style><p>a<code>the</code> &amp; <b>b</b></p>"),
        "a & b"
    );
}

#[test]
fn english_is_chosen_with_lang_en() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    let terminal = compare(&out, &["--lang", "en"]);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("Total cost (DKK), whole run"));
    assert!(terminal.contains("Total cost (DKK per quarter)"));
    // `trappe report --lang da` redraws the same folder in Danish.
    run_ok(trappe().arg("report").arg(&out).args(["--lang", "da"]));
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("<html lang=\"da\">"));
    assert!(html.contains("Samlede udgifter (kr.), hele perioden"));
}
