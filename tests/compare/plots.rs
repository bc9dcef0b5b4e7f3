//! Plots: written by default as valid PNG and SVG with the expected titles
//! and legends, redrawn identically from saved results, and rendered with
//! the embedded font on a machine without fonts.

use std::path::{Path, PathBuf};

use tempfile::TempDir;

use crate::{Image, REPS, compare, run_ok, scenario, trappe};

const RUN_PLOTS: [&str; 5] = [
    "budget",
    "unmet_need",
    "placement_mix",
    "cases_by_rung",
    "follow_up_caseload",
];
const COMPARE_PLOTS: [&str; 5] = [
    "compare_cost_difference",
    "compare_unmet_need_difference",
    "compare_cumulative_cost_difference",
    "compare_institution_share_difference",
    "compare_levels",
];

/// `trappe run` of the Swedish-model scenario into `dir/name`, in English
/// (the wording these tests read).
fn run(dir: &Path, name: &str, extra: &[&str]) -> PathBuf {
    let out = dir.join(name);
    run_ok(
        trappe()
            .arg("run")
            .arg(scenario("herning-sverigesmodel.toml"))
            .arg("--out")
            .arg(&out)
            .args(["--replications", REPS, "-q", "--lang", "en"])
            .args(extra),
    );
    out
}

/// All text drawn in an SVG file (text elements joined by spaces), after
/// checking that the file is well-formed XML with an `<svg>` root.
fn svg_text(path: &Path) -> String {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let doc = roxmltree::Document::parse(&text)
        .unwrap_or_else(|e| panic!("{} is not well-formed XML: {e}", path.display()));
    assert_eq!(
        doc.root_element().tag_name().name(),
        "svg",
        "{}",
        path.display()
    );
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Check a PNG/SVG pair exists, is valid and not blank; returns the SVG text.
fn check_pair(dir: &Path, stem: &str) -> String {
    let png = dir.join(format!("{stem}.png"));
    let image = Image::read(&png);
    assert!(image.width >= 800 && image.height >= 400, "{stem}.png size");
    assert!(image.colours() > 10, "{stem}.png is not blank");
    let ink = image.ink_share(0, 0, image.width, image.height);
    assert!(ink > 0.02 && ink < 0.8, "{stem}.png ink share {ink}");
    svg_text(&dir.join(format!("{stem}.svg")))
}

#[test]
fn run_writes_valid_plots_with_titles_and_legends() {
    let dir = TempDir::new().unwrap();
    let out = run(dir.path(), "run", &[]);
    let plots = out.join("plots");
    let texts: Vec<String> = RUN_PLOTS.iter().map(|s| check_pair(&plots, s)).collect();
    let budget = &texts[0];
    for expected in [
        "Projected budget per quarter",
        "DKK per quarter",
        "Familiepleje",
        "Caseworkers (salaries)",
        "Fixed programme costs",
        "90 % band",
        "Herning, Swedish-model districts: Swedish model from Aug 2013",
    ] {
        assert!(
            budget.contains(expected),
            "budget.svg lacks {expected:?}: {budget}"
        );
    }
    // Periods are labelled by when they start ("Q1 2013", "Aug 2013").
    let saved = trappe::results::read::RunSummary::read(&out).unwrap();
    let labels = trappe::plots::style::period_labels(
        &saved.table.periods,
        saved.scenario.settings().period,
        saved.scenario.language(),
    );
    assert!(
        budget.contains(&labels[0]),
        "budget.svg lacks {:?}: {budget}",
        labels[0]
    );
    assert!(labels[0].contains("2013"), "{labels:?}");
    // Thousands separators on the money axis.
    assert!(
        budget
            .split(' ')
            .any(|w| w.len() >= 9 && w.matches(',').count() == 2),
        "money ticks like 10,000,000: {budget}"
    );
    assert!(texts[1].contains("Unmet need"), "unmet_need.svg title");
    assert!(texts[1].contains("All rungs"));
    assert!(texts[2].contains("Share of placed child-years (%)"));
    assert!(texts[2].contains("Anbringelse på institution"));
    assert!(texts[3].contains("Under assessment"));
    assert!(texts[4].contains("Open cases per caseworker"));
    assert!(texts[4].contains("Weeks"));
}

#[test]
fn no_plots_means_no_plots() {
    let dir = TempDir::new().unwrap();
    let out = run(dir.path(), "run", &["--no-plots"]);
    assert!(out.join("summary.csv").is_file());
    assert!(!out.join("plots").exists());
}

#[test]
fn compare_writes_difference_plots_with_scenario_names_in_legends() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    compare(
        &scenario("herning-baseline.toml"),
        &scenario("herning-sverigesmodel.toml"),
        &out,
        &[],
    );
    for stem in COMPARE_PLOTS {
        let text = check_pair(&out.join("plots"), stem);
        for name in [
            "Herning, Swedish-model districts: Swedish model from Aug 2013",
            "old practice (baseline)",
        ] {
            assert!(
                text.contains(name),
                "{stem}.svg legend lacks {name:?}: {text}"
            );
        }
    }
    let cost = svg_text(&out.join("plots/compare_cost_difference.svg"));
    assert!(cost.contains("Difference in total cost from the base, per quarter"));
    assert!(cost.contains("95 % CI"));
    let share = svg_text(&out.join("plots/compare_institution_share_difference.svg"));
    assert!(share.contains("Percentage points"));
    // Each scenario's own plots.
    for key in ["herning-baseline", "herning-sverigesmodel"] {
        for stem in RUN_PLOTS {
            check_pair(&out.join(key).join("plots"), stem);
        }
    }
}

#[test]
fn plot_redraws_the_same_figures_from_saved_results() {
    let dir = TempDir::new().unwrap();
    // A run folder.
    let out = run(dir.path(), "run", &[]);
    let before: Vec<String> = RUN_PLOTS
        .iter()
        .map(|s| std::fs::read_to_string(out.join(format!("plots/{s}.svg"))).unwrap())
        .collect();
    std::fs::remove_dir_all(out.join("plots")).unwrap();
    run_ok(trappe().arg("plot").arg(&out));
    for (stem, old) in RUN_PLOTS.iter().zip(&before) {
        let new = std::fs::read_to_string(out.join(format!("plots/{stem}.svg"))).unwrap();
        assert!(
            new == *old,
            "{stem}.svg differs when redrawn from summary.csv"
        );
        check_pair(&out.join("plots"), stem);
    }
    // A comparison folder.
    let cmp = dir.path().join("cmp");
    compare(
        &scenario("herning-baseline.toml"),
        &scenario("herning-sverigesmodel.toml"),
        &cmp,
        &["--no-plots"],
    );
    assert!(!cmp.join("plots").exists());
    run_ok(trappe().arg("plot").arg(&cmp));
    for stem in COMPARE_PLOTS {
        check_pair(&cmp.join("plots"), stem);
    }
    check_pair(&cmp.join("herning-baseline/plots"), "budget");
    // Anything else is refused with a clear message.
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let output = trappe().arg("plot").arg(&empty).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no results"));
}

#[test]
fn plots_render_text_with_no_system_fonts() {
    let dir = TempDir::new().unwrap();
    let out = run(dir.path(), "run", &["--no-plots"]);
    let no_fonts = dir.path().join("no-fonts");
    std::fs::create_dir(&no_fonts).unwrap();
    run_ok(
        trappe()
            .arg("plot")
            .arg(&out)
            .env("FONTCONFIG_FILE", "")
            .env("FONTCONFIG_PATH", &no_fonts)
            .env("XDG_DATA_DIRS", "")
            .env("XDG_DATA_HOME", &no_fonts)
            .env("HOME", &no_fonts),
    );
    let image = Image::read(&out.join("plots/budget.png"));
    // The title band holds only text: with no font it would be empty.
    let title = image.ink_share(20, 10, 500, 50);
    assert!(title > 0.03, "title text drawn (ink share {title})");
    let blank = image.ink_share(image.width - 200, 10, image.width, 50);
    assert!(
        blank < title / 5.0,
        "title band right of the title is empty"
    );
}
