//! `trappe run --records RDIR`: replication 0's case records, checked
//! against what the same run reports. Every check here is exact (counts
//! of one replication compared with counts of the same replication), so
//! there are no tolerances; the one place where days blur model time, a
//! move within half a day of the end of the warm-up, is bounded from both
//! sides.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use tempfile::TempDir;

use crate::common::{Csv, run_bad, run_ok, shipped, trappe};
use crate::fit_command;
use trappe::Scenario;
use trappe::metrics::Layout;
use trappe::model::{simulate, simulate_with_log};
use trappe::records::codes::Place;
use trappe::records::episodes::EndReason;
use trappe::records::simulated::{
    CODES_TOML, EPISODES_CSV, FOLLOW_UPS_CSV, SimulatedRecords, simulate_records,
};
use trappe::scenario::dates::day_at;
use trappe::transitions::Grid;

/// Age bands, a case list and destination tables; a warm-up of five years.
const SCENARIOS: [&str; 2] = ["teenagers.toml", "herning-baseline.toml"];

/// `trappe run NAME --records` into `dir`; returns (results, records).
fn run(dir: &Path, name: &str, threads: &str) -> (PathBuf, PathBuf) {
    let (out, records) = (dir.join("out"), dir.join("records"));
    let output = run_ok(
        trappe()
            .arg("run")
            .arg(shipped(name))
            .args(["--replications", "2", "--no-plots", "-q", "--lang", "en"])
            .arg("--out")
            .arg(&out)
            .arg("--records")
            .arg(&records)
            .env("RAYON_NUM_THREADS", threads),
    );
    let said = format!(
        "Case records of replication 0 in {} (extract date {})",
        records.display(),
        extract(&load(name))
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains(&said), "{stdout}");
    (out, records)
}

/// The extract date of a run: the end of its horizon.
fn extract(scenario: &Scenario) -> NaiveDate {
    day_at(scenario.start, scenario.settings().horizon_years)
}

fn load(name: &str) -> Scenario {
    Scenario::load(&shipped(name), &[]).expect("a shipped scenario")
}

#[test]
fn trappe_fit_reads_the_records_of_a_run() {
    for name in SCENARIOS {
        let dir = TempDir::new().unwrap();
        let (_, records) = run(dir.path(), name, "2");
        let mut files: Vec<String> = fs::read_dir(&records)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        assert_eq!(files, [CODES_TOML, EPISODES_CSV, FOLLOW_UPS_CSV], "{name}");
        let fit = dir.path().join("fit");
        let output = run_ok(
            fit_command(
                &records,
                &extract(&load(name)).to_string(),
                &shipped(name),
                &fit,
            )
            .arg("--no-fit"),
        );
        let observed = Csv::read(&fit.join("observed.csv"));
        let quantities = observed.distinct("quantity");
        for q in ["referrals_per_year", "intensity", "follow_up_weeks"] {
            assert!(quantities.contains(q), "{name}: no {q} in observed.csv");
        }
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(stdout.contains("Records: "), "{name}: {stdout}");
    }
}

#[test]
fn the_open_spells_at_the_extract_date_are_the_cases_at_the_end_of_the_run() {
    for name in SCENARIOS {
        let dir = TempDir::new().unwrap();
        let (out, records) = run(dir.path(), name, "2");
        let episodes = Csv::read(&records.join(EPISODES_CSV));
        let (place, end) = (episodes.col("place"), episodes.col("end"));
        let mut open: BTreeMap<String, f64> = BTreeMap::new();
        for row in episodes.rows.iter().filter(|r| r[end].is_empty()) {
            *open.entry(row[place].clone()).or_default() += 1.0;
        }
        let replications = Csv::read(&out.join("replications.csv"));
        let c = |n: &str| replications.col(n);
        let last = replications
            .rows
            .iter()
            .map(|r| r[c("period")].parse::<u32>().unwrap())
            .max()
            .unwrap();
        let mut at_end: BTreeMap<String, f64> = BTreeMap::new();
        for r in &replications.rows {
            if r[c("replication")] == "0"
                && r[c("period")] == last.to_string()
                && r[c("metric")] == "count_end"
            {
                let n: f64 = r[c("value")].parse().unwrap();
                if n > 0.0 {
                    at_end.insert(r[c("step")].clone(), n);
                }
            }
        }
        assert_eq!(
            open, at_end,
            "{name}: open spells vs count_end of replication 0"
        );
        assert!(open.values().sum::<f64>() > 100.0, "{name}: a real check");
    }
}

#[test]
fn the_moves_in_the_records_are_the_transitions_of_the_run() {
    for name in SCENARIOS {
        let scenario = load(name);
        let layout = Layout::new(&scenario.params);
        let (output, log) = simulate_with_log(&scenario, &layout, 0);
        assert!(
            output == simulate(&scenario, &layout, 0),
            "{name}: keeping the log changes the run"
        );
        let records = SimulatedRecords::from_log(&scenario, &log);
        let ids: Vec<String> = scenario.params.steps.iter().map(|r| r.id.clone()).collect();
        let grid = Grid::new(ids.len());
        let mut engine: BTreeMap<(String, String), u32> = BTreeMap::new();
        for (k, &n) in output.transitions.iter().enumerate() {
            let (from, to) = grid.names(grid.cell(k % grid.len()), &ids);
            *engine.entry((from.into(), to.into())).or_default() += n;
        }
        engine.retain(|_, n| *n > 0);
        // The horizon's first day holds the moves of its first half day
        // and of the warm-up's last half day: counted on and after it the
        // records give an upper bound, strictly after it a lower one
        // (without a warm-up nothing happens before it: exact).
        let h = &records.history;
        let start = scenario.start;
        let (mut upper, mut lower) = (BTreeMap::new(), BTreeMap::new());
        for e in &h.episodes {
            let (Some(end), Some(reason)) = (e.end, e.reason) else {
                continue;
            };
            let to = match reason {
                EndReason::Moved => records.places.name(h.episodes[e.next.unwrap()].place),
                EndReason::Closed => "closed",
                EndReason::AgedOut => "aged_out",
            };
            let key = (records.places.name(e.place).to_string(), to.to_string());
            if end >= start {
                *upper.entry(key.clone()).or_insert(0u32) += 1;
            }
            if end > start {
                *lower.entry(key).or_insert(0u32) += 1;
            }
        }
        if scenario.settings().warmup_years == 0.0 {
            assert_eq!(upper, engine, "{name}");
        }
        for key in engine.keys().chain(upper.keys()) {
            let get = |m: &BTreeMap<(String, String), u32>| m.get(key).copied().unwrap_or(0);
            assert!(
                get(&lower) <= get(&engine) && get(&engine) <= get(&upper),
                "{name}: {key:?}: records {}..{}, run {}",
                get(&lower),
                get(&upper),
                get(&engine)
            );
        }
        let total: u32 = engine.values().sum();
        assert!(total > 300, "{name}: {total} transitions, a real check");
        assert!(
            h.episodes.iter().any(|e| e.place == Place::Assessment),
            "{name}"
        );
    }
}

#[test]
fn the_library_and_the_command_write_the_same_records() {
    let name = SCENARIOS[0];
    let dir = TempDir::new().unwrap();
    let (_, records) = run(dir.path(), name, "1");
    let written = dir.path().join("written");
    fs::create_dir(&written).unwrap();
    simulate_records(&load(name), 0).write(&written).unwrap();
    for file in [EPISODES_CSV, FOLLOW_UPS_CSV, CODES_TOML] {
        assert!(
            fs::read(records.join(file)).unwrap() == fs::read(written.join(file)).unwrap(),
            "{file}"
        );
    }
}

#[test]
fn records_change_no_result_and_do_not_depend_on_the_threads() {
    let name = SCENARIOS[1];
    let dir = TempDir::new().unwrap();
    let (one, one_records) = run(&dir.path().join("one"), name, "1");
    let (two, two_records) = run(&dir.path().join("two"), name, "2");
    let without = dir.path().join("without");
    run_ok(
        trappe()
            .arg("run")
            .arg(shipped(name))
            .args(["--replications", "2", "--no-plots", "-q", "--lang", "en"])
            .arg("--out")
            .arg(&without),
    );
    let mut compared = 0;
    for entry in fs::read_dir(&without).unwrap() {
        let file = entry.unwrap().file_name();
        let file = file.to_string_lossy();
        // run.json holds the timing and the thread count.
        if file.ends_with(".csv") || file == "scenario.toml" {
            let base = fs::read(without.join(&*file)).unwrap();
            assert!(base == fs::read(one.join(&*file)).unwrap(), "{file}");
            assert!(base == fs::read(two.join(&*file)).unwrap(), "{file}");
            compared += 1;
        }
    }
    assert!(compared >= 5, "{compared} files compared");
    for file in [EPISODES_CSV, FOLLOW_UPS_CSV, CODES_TOML] {
        assert!(
            fs::read(one_records.join(file)).unwrap() == fs::read(two_records.join(file)).unwrap(),
            "{file} depends on RAYON_NUM_THREADS"
        );
    }
}

#[test]
fn a_records_folder_inside_the_results_is_refused() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    for records in [out.clone(), out.join("records")] {
        let stderr = run_bad(
            trappe()
                .arg("run")
                .arg(shipped("minimal.toml"))
                .args(["--replications", "1", "-q", "--out"])
                .arg(&out)
                .arg("--records")
                .arg(&records),
        );
        assert!(stderr.contains("--records"), "{stderr}");
        assert!(!out.exists(), "nothing written");
    }
}
