//! `compare_transitions.csv`: each scenario's mean moves by (from, to,
//! kind) and period beside its paired difference from the base. The base's
//! rows differ by 0; an alternative's mean equals the mean in its own
//! `transitions.csv`, and its mean difference is its mean minus the base's
//! (0 where a scenario never has the move). Here the alternative sends
//! every foster crisis to a new foster family, which the base never does.

use std::collections::BTreeMap;

use tempfile::TempDir;

use crate::{Csv, compare, edited_copy, scenario};

/// (scenario key, period, from, to, kind) → mean, from a comparison's or a
/// run's CSV (a run's rows get the key `run`).
fn means(csv: &Csv, key: Option<&str>) -> BTreeMap<(String, String, String, String, String), f64> {
    let col = |n: &str| csv.col(n);
    csv.rows
        .iter()
        .map(|r| {
            let scenario = key.map_or_else(|| r[col("scenario")].clone(), str::to_string);
            (
                (
                    scenario,
                    r[col("period")].clone(),
                    r[col("from")].clone(),
                    r[col("to")].clone(),
                    r[col("kind")].clone(),
                ),
                r[col("mean")].parse().unwrap(),
            )
        })
        .collect()
}

#[test]
fn compare_writes_paired_differences_of_transitions() {
    let dir = TempDir::new().unwrap();
    let base = scenario("herning-sverigesmodel.toml");
    let alt = edited_copy(
        dir.path(),
        "no-new-family.toml",
        "herning-sverigesmodel.toml",
        |t| {
            // `extends` merges rungs by id, and tables key by key: this
            // sets every entry of foster's table (the shipped one sends
            // most foster crises to a new foster family; this one none).
            format!(
                "{t}\n[[steps]]\nid = \"foster\"\ncrisis_to = {{ foster = 0.0, institution = 1.0 }}\n"
            )
        },
    );
    let out = dir.path().join("cmp");
    compare(&base, &alt, &out, &["--no-plots", "--report"]);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        html.contains(
            "a crisis stays on foster (a new placement there) 70 %, goes to institution 30 %</li>"
        ),
        "the report says where the base's moves go"
    );
    assert!(
        html.contains("a crisis goes to institution 100 %</li>"),
        "the report says where the alternative's moves go"
    );
    assert_eq!(
        html.matches("Moves between places: ").count(),
        4,
        "a table per scenario"
    );
    let csv = Csv::read(&out.join("compare_transitions.csv"));
    assert_eq!(
        csv.header.join(","),
        "scenario,period,period_start,period_end,from,to,kind,mean,diff_mean,diff_ci95_low,diff_ci95_high,diff_p05,diff_p95"
    );
    let all = means(&csv, None);
    let diff_col = csv.col("diff_mean");
    let mut own_rung = 0.0;
    for row in &csv.rows {
        let d: f64 = row[diff_col].parse().unwrap();
        let key = |s: &str| {
            (
                s.to_string(),
                row[1].clone(),
                row[4].clone(),
                row[5].clone(),
                row[6].clone(),
            )
        };
        let base_mean = all[&key("herning-sverigesmodel")];
        let mean = all[&key(&row[0])];
        assert!(
            (d - (mean - base_mean)).abs() < 1e-9,
            "{row:?}: diff {d} vs {mean} - {base_mean}"
        );
        if row[0] == "no-new-family" && row[4] == "foster" && row[5] == "foster" {
            assert_eq!(row[6], "crisis");
            assert_eq!(mean, 0.0, "the alternative never has foster -> foster");
            own_rung += base_mean;
        }
    }
    assert!(own_rung > 0.0, "the base's foster crises stay on foster");
    for (key, folder) in [
        ("herning-sverigesmodel", "herning-sverigesmodel"),
        ("no-new-family", "no-new-family"),
    ] {
        let run = means(
            &Csv::read(&out.join(folder).join("transitions.csv")),
            Some(key),
        );
        for (k, m) in &run {
            assert!((all[k] - m).abs() < 1e-9, "{k:?}: {m} vs {}", all[k]);
        }
        let rows = all.keys().filter(|k| k.0 == key).count();
        assert!(rows >= run.len(), "{key}: every move of its own run");
    }
}

/// The report's table of moves between places (like KORA's figure 2):
/// rows from, columns to, per-year and whole-run means, written by `run
/// --report` and again, identically, by `trappe report` from the folder
/// (read back from `transitions.csv`).
#[test]
fn the_report_has_a_table_of_moves_between_places() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("run");
    crate::run_ok(
        crate::trappe()
            .arg("run")
            .arg(scenario("herning-sverigesmodel.toml"))
            .arg("--out")
            .arg(&out)
            .args(["--replications", "10", "-q", "--report", "--no-plots"])
            .args(["--lang", "en"]),
    );
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let table = |html: &str| -> String {
        let start = html.find("id=\"moves\"").expect("a moves section");
        let end = start + html[start..].find("</table>").expect("a table");
        html[start..end].to_string()
    };
    let moves = table(&html);
    for expected in [
        "Moves between places: mean per year (whole run of 2 years below)",
        "Under assessment",
        "Anbringelse på institution",
        "Closed",
        "Aged out",
    ] {
        assert!(
            moves.contains(expected),
            "moves table lacks {expected:?}: {moves}"
        );
    }
    crate::run_ok(crate::trappe().arg("report").arg(&out));
    let again = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert_eq!(
        table(&again),
        moves,
        "trappe report reads the same moves back"
    );
}
