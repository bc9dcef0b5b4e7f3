//! The HTML report: every section, the figures inline, and nothing that
//! would make a browser fetch anything.

use std::path::Path;

use tempfile::TempDir;
use trappe::report::SECTIONS;

use crate::{REPS, compare, run_ok, scenario, trappe};

/// Panics unless `html` is a self-contained page: no scripts, no external
/// resources, no URLs at all, links only to its own sections.
pub fn assert_self_contained(html: &str) {
    let lower = html.to_lowercase();
    for forbidden in [
        "http://",
        "https://",
        "<script",
        "<link",
        "<img",
        "<iframe",
        "<object",
        "<embed",
        "@import",
        "url(",
        "src=",
        "xlink:href",
        "srcset",
    ] {
        assert!(
            !lower.contains(forbidden),
            "report contains {forbidden:?} near: {}",
            lower
                .find(forbidden)
                .map(|i| &html[i.saturating_sub(80)..(i + 80).min(html.len())])
                .unwrap_or("")
        );
    }
    for (i, _) in lower.match_indices("href=\"") {
        let target = &html[i + 6..];
        assert!(
            target.starts_with('#'),
            "only in-page links: {}",
            &target[..40.min(target.len())]
        );
    }
}

fn assert_sections(html: &str) {
    let mut last = 0;
    for id in SECTIONS {
        let at = html
            .find(&format!("id=\"{id}\""))
            .unwrap_or_else(|| panic!("section {id} missing"));
        assert!(at > last, "section {id} out of order");
        last = at;
    }
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(
        html.contains("@page") && html.contains("A4"),
        "print rules for A4"
    );
}

fn read(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("report.html")).expect("report.html written")
}

#[test]
fn comparison_report_is_complete_and_self_contained() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    compare(
        &scenario("herning-baseline.toml"),
        &scenario("herning-sverigesmodel.toml"),
        &out,
        &["--report"],
    );
    let html = read(&out);
    assert_sections(&html);
    assert_self_contained(&html);
    let seed = trappe::Scenario::load(&scenario("herning-baseline.toml"), &[])
        .unwrap()
        .settings()
        .seed;
    for expected in [
        // The scenarios in words.
        "Herning, Swedish-model districts: old practice (baseline)",
        "Herning, Swedish-model districts: Swedish model from Aug 2013",
        "What differs",
        "caseworkers",
        "Implied caseload",
        "Follow-up policy",
        "institution: time limit (years)",
        // The headline table.
        "Total cost (DKK per quarter)",
        "Placed child-years",
        "Institution share of placed child-years",
        "Placement breakdowns",
        "Difference [95 % CI]",
        // The methods.
        "Common random numbers",
        &format!("<strong>{REPS}</strong> times with root seed <strong>{seed}</strong>"),
        "confidence interval",
    ] {
        assert!(html.contains(expected), "report lacks {expected:?}");
    }
    // The paired cost-difference histogram, five comparison figures (levels,
    // cost, share, cumulative cost and unmet-need differences) plus five per
    // scenario, inline.
    assert_eq!(html.matches("<svg ").count(), 1 + 5 + 2 * 5);
    // "At a glance": whole-run and yearly totals, savings and break-even.
    for expected in [
        "Total cost (DKK), whole run",
        "Probability of lower total cost over the whole run",
        "Break-even period",
        "<td class=\"text\">2014</td>",
        "Cumulative difference in total cost from the base",
    ] {
        assert!(html.contains(expected), "report lacks {expected:?}");
    }
    assert!(html.contains("Difference in total cost from the base"));
}

#[test]
fn run_report_matches_the_report_command() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("run");
    run_ok(
        trappe()
            .arg("run")
            .arg(scenario("herning-sverigesmodel.toml"))
            .arg("--out")
            .arg(&out)
            .args(["--replications", REPS, "-q", "--report", "--no-plots"])
            .args(["--lang", "en"]),
    );
    let html = read(&out);
    assert_sections(&html);
    assert_self_contained(&html);
    assert_eq!(html.matches("<svg ").count(), 5);
    assert!(html.contains("Projected budget per quarter"));
    // The cases at `start` as simulated, beside the `[initial]` counts
    // that seeded the warm-up.
    assert!(html.contains("Cases when the warm-up begins ([initial])"));
    assert!(html.contains("Cases at start as simulated (after the warm-up, mean)"));
    assert!(
        html.contains("48.6 → 24.3 cases"),
        "implied caseload before and after the change, with the cases at start as simulated"
    );
    std::fs::remove_file(out.join("report.html")).unwrap();
    run_ok(trappe().arg("report").arg(&out));
    assert!(
        read(&out) == html,
        "trappe report DIR rebuilds the same report"
    );
}

#[test]
fn report_command_rebuilds_a_comparison_report() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    compare(
        &scenario("herning-baseline.toml"),
        &scenario("herning-sverigesmodel.toml"),
        &out,
        &["--no-plots"],
    );
    assert!(!out.join("report.html").exists());
    run_ok(trappe().arg("report").arg(&out));
    let html = read(&out);
    assert_sections(&html);
    assert_self_contained(&html);
}

#[test]
fn the_self_containment_check_catches_external_resources() {
    // Guards the check above against passing vacuously.
    for bad in [
        "<img src=\"x.png\">",
        "<link rel=\"stylesheet\" href=\"https://example.org/a.css\">",
        "<style>body { background: url(a.png) }</style>",
        "<script>1</script>",
        "<a href=\"other.html\">x</a>",
    ] {
        let result = std::panic::catch_unwind(|| assert_self_contained(bad));
        assert!(result.is_err(), "{bad} passed the check");
    }
    assert_self_contained("<a href=\"#methods\">Methods</a>");
}
