//! The fit report (`report.html` of a fit folder) from hand-written
//! `fit.csv`, `parameters.csv` and `observed.csv` beside a fitted
//! `scenario.toml`: `trappe report DIR` finds the folder's kind, writes a
//! page with every section, both figures and no NaN, in the scenario's
//! language or `--lang`; a damaged file is named with its line and column,
//! and nothing is written. `TRAPPE_SCREENSHOT_DIR` keeps the pages for a
//! human (and headless Chromium) to look at.

use std::fmt::Write;
use std::fs;
use std::path::Path;

use tempfile::TempDir;

use crate::common::{run_bad, run_ok, shipped, trappe};

const PLACES: [&str; 5] = [
    "prevention",
    "home_based",
    "kinship",
    "foster",
    "institution",
];
const BANDS: [&str; 4] = ["0-6", "6-12", "12-15", "15-18"];

/// A fit folder of the Herning ladder: intensities out of every rung to
/// every other rung and `closed` in every band (two of them missing by
/// 3.4 and 2.6 SE), checks of referrals and follow-ups, one value not
/// identified, one kept, one set directly.
fn write_folder(dir: &Path) {
    fs::create_dir_all(dir).unwrap();
    fs::copy(shipped("herning-baseline.toml"), dir.join("scenario.toml")).unwrap();
    let mut fit = String::from(
        "quantity,place,age_band,destination,observed,observed_se,fitted,fitted_se,distance_se,verdict\n",
    );
    let mut observed = String::from(
        "quantity,place,age_band,destination,count,base,value,se,ci95_low,ci95_high,unit\n",
    );
    for (b, band) in BANDS.iter().enumerate() {
        for (p, place) in PLACES.iter().enumerate() {
            for (d, dest) in PLACES.iter().chain(&["closed"]).enumerate() {
                if dest == place {
                    continue;
                }
                // Deterministic values of the size real intensities have.
                let value = if (*place, *dest) == ("foster", "institution") {
                    0.31
                } else if *dest == "closed" {
                    0.6
                } else {
                    0.04 + 0.03 * ((p + d + b) % 4) as f64
                };
                let exposure = 120.0;
                let count = (value * exposure).round();
                let value = count / exposure;
                let se = count.max(1.0).sqrt() / exposure;
                let distance = match (*place, *dest, *band) {
                    ("foster", "institution", "12-15") => -3.4,
                    ("kinship", "foster", "15-18") => 2.6,
                    _ => ((p * 7 + d * 3 + b * 5) % 9) as f64 / 3.0 - 1.3,
                };
                let fitted_se = se / 4.0;
                let fitted = value + distance * (se * se + fitted_se * fitted_se).sqrt();
                let verdict = if distance.abs() <= 2.0 {
                    "fits"
                } else {
                    "misses"
                };
                writeln!(
                    fit,
                    "intensity,{place},{band},{dest},{value},{se},{fitted},{fitted_se},{distance},{verdict}"
                )
                .unwrap();
                writeln!(
                    observed,
                    "intensity,{place},{band},{dest},{count},{exposure},{value},{se},{},{},per year",
                    (value - 1.96 * se).max(0.0),
                    value + 1.96 * se
                )
                .unwrap();
            }
        }
    }
    fit.push_str("referrals_per_year,,all,,88.5,3.1,87.9,0.4,-0.19,check\n");
    fit.push_str("follow_up_weeks,foster,all,,14.2,0.8,26,0.1,14.6,check\n");
    fit.push_str("first_follow_up_weeks,foster,all,,6.1,,,,,check\n");
    fs::write(dir.join("fit.csv"), fit).unwrap();
    fs::write(dir.join("observed.csv"), observed).unwrap();
    fs::write(
        dir.join("parameters.csv"),
        "parameter,policy_value,fitted_value,se,identified,source\n\
         steps.foster.improve,0.25,0.31,0.03,yes,fitted by simulation: ×1.24 the policy's in every band\n\
         follow_up.detection,0.5,0.5,,no,fitted by simulation\n\
         intake.referrals_per_year,80,88.5,3.1,yes,set from the records' referrals\n\
         steps.institution.crisis,0.02,0.02,,kept,policy (kept: the records show no crisis)\n",
    )
    .unwrap();
}

fn report(dir: &Path, lang: Option<&str>) -> String {
    let mut cmd = trappe();
    cmd.arg("report").arg(dir);
    if let Some(lang) = lang {
        cmd.args(["--lang", lang]);
    }
    run_ok(&mut cmd);
    fs::read_to_string(dir.join("report.html")).unwrap()
}

/// Keep `html` for a human when `TRAPPE_SCREENSHOT_DIR` is set.
fn keep(html: &str, name: &str) {
    if let Some(dir) = std::env::var_os("TRAPPE_SCREENSHOT_DIR") {
        fs::create_dir_all(&dir).unwrap();
        fs::write(Path::new(&dir).join(name), html).unwrap();
    }
}

#[test]
fn a_fit_folder_gets_a_report_with_every_section_in_its_language() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("fit");
    write_folder(&dir);
    let da = report(&dir, None);
    keep(&da, "fit-report-da.html");
    let en = report(&dir, Some("en"));
    keep(&en, "fit-report-en.html");
    for (html, lang) in [(&da, "da"), (&en, "en")] {
        assert!(html.contains(&format!("<html lang=\"{lang}\">")));
        for id in trappe::report::FIT_SECTIONS {
            assert!(
                html.contains(&format!("<h2 id=\"{id}\">")),
                "{lang}: section {id}"
            );
        }
        assert_eq!(html.matches("<svg").count(), 2, "{lang}: both figures");
        assert!(
            !html.contains("NaN") && !html.contains("inf<") && !html.contains(">inf"),
            "{lang}"
        );
    }
    // 100 fitted intensities, 2 of them miss; 2 of the 3 checks compared.
    assert!(
        en.contains("98 of 100 fitted quantities lie within 2 standard errors"),
        "{en}"
    );
    assert!(en.contains("2 more were compared but not fitted (checks); 1 of them"));
    assert!(en.contains("foster → institution, 12–15: observed"));
    assert!(en.contains(", 3.4 SE</li>"));
    assert!(en.contains("The records cannot pin down"));
    assert!(en.contains("keeps the policy&#39;s value (0.5)"));
    assert!(en.contains("Kept from the policy, not fitted: institution: "));
    assert!(da.contains("98 af 100 tilpassede størrelser"));
    assert!(
        da.contains("Familiepleje → Anbringelse på institution, 12–15 år"),
        "Danish names rungs by label"
    );
}

#[test]
fn a_damaged_fit_folder_is_named_and_nothing_is_written() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("fit");
    write_folder(&dir);
    let fit = fs::read_to_string(dir.join("fit.csv")).unwrap();
    let damaged = fit.replacen(",fits\n", ",fine\n", 1);
    fs::write(dir.join("fit.csv"), damaged).unwrap();
    let err = run_bad(trappe().arg("report").arg(&dir));
    assert!(err.contains("fit.csv, line "), "{err}");
    assert!(err.contains("column `verdict`: `fine`"), "{err}");
    assert!(!dir.join("report.html").exists());
    fs::write(dir.join("fit.csv"), fit).unwrap();
    fs::write(dir.join("parameters.csv"), "parameter,value\n").unwrap();
    let err = run_bad(trappe().arg("report").arg(&dir));
    assert!(
        err.contains("parameters.csv, line 1: expected the header parameter,policy_value"),
        "{err}"
    );
    assert!(!dir.join("report.html").exists());
}
