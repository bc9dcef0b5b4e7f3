//! Reproducibility (docs/model.md section 8): the same scenario, seed and
//! replications give byte-identical CSVs whatever the number of threads,
//! and the written `scenario.toml` reproduces the run.

use std::path::{Path, PathBuf};

use tempfile::TempDir;

use crate::{read, run_ok, scenario, trappe};

const REPLICATIONS: &str = "12";

/// Run the Swedish-model scenario into `dir/name` with extra arguments and
/// environment; returns the output folder.
fn run(dir: &TempDir, name: &str, file: &Path, args: &[&str], env: Option<&str>) -> PathBuf {
    let out = dir.path().join(name);
    let mut cmd = trappe();
    cmd.arg("run")
        .arg(file)
        .arg("--out")
        .arg(&out)
        .arg("-q")
        .args(args);
    if let Some(threads) = env {
        cmd.env("RAYON_NUM_THREADS", threads);
    }
    run_ok(&mut cmd);
    out
}

fn assert_same(a: &Path, b: &Path, file: &str) {
    let (x, y) = (read(a, file), read(b, file));
    assert!(
        x == y,
        "{file} differs between {} and {}",
        a.display(),
        b.display()
    );
}

fn threads_in(dir: &Path) -> u64 {
    let info: serde_json::Value = serde_json::from_str(&read(dir, "run.json")).unwrap();
    info["threads"].as_u64().expect("threads in run.json")
}

#[test]
fn results_do_not_depend_on_rayon_num_threads() {
    let dir = TempDir::new().unwrap();
    let file = scenario("herning-sverigesmodel.toml");
    let args = ["--replications", REPLICATIONS];
    let one = run(&dir, "one", &file, &args, Some("1"));
    let two = run(&dir, "two", &file, &args, Some("2"));
    assert_eq!(threads_in(&one), 1, "RAYON_NUM_THREADS=1 is honoured");
    assert_eq!(threads_in(&two), 2, "RAYON_NUM_THREADS=2 is honoured");
    assert_same(&one, &two, "summary.csv");
    assert_same(&one, &two, "replications.csv");
    assert_same(&one, &two, "transitions.csv");
    assert_same(&one, &two, "scenario.toml");
}

#[test]
fn results_do_not_depend_on_threads_option() {
    let dir = TempDir::new().unwrap();
    let file = scenario("herning-sverigesmodel.toml");
    let one = run(
        &dir,
        "one",
        &file,
        &["--replications", REPLICATIONS, "--threads", "1"],
        None,
    );
    let two = run(
        &dir,
        "two",
        &file,
        &["--replications", REPLICATIONS, "--threads", "2"],
        None,
    );
    assert_eq!(threads_in(&one), 1);
    assert_eq!(threads_in(&two), 2);
    assert_same(&one, &two, "summary.csv");
    assert_same(&one, &two, "replications.csv");
    assert_same(&one, &two, "transitions.csv");
}

#[test]
fn the_seed_matters() {
    // Guards the tests above: identical files must come from determinism,
    // not from outputs that ignore the random streams.
    let dir = TempDir::new().unwrap();
    let file = scenario("herning-sverigesmodel.toml");
    let a = run(&dir, "a", &file, &["--replications", "5"], None);
    let b = run(
        &dir,
        "b",
        &file,
        &["--replications", "5", "--seed", "2014"],
        None,
    );
    assert_ne!(read(&a, "summary.csv"), read(&b, "summary.csv"));
    assert_ne!(read(&a, "replications.csv"), read(&b, "replications.csv"));
}

#[test]
fn rerunning_the_resolved_scenario_reproduces_the_results() {
    let dir = TempDir::new().unwrap();
    let file = scenario("herning-sverigesmodel.toml");
    // Overrides must be baked into scenario.toml, so use some.
    let first = run(
        &dir,
        "first",
        &file,
        &[
            "--replications",
            REPLICATIONS,
            "--seed",
            "99",
            "--set",
            "steps.foster.latent.improve=0.3",
        ],
        None,
    );
    let resolved = first.join("scenario.toml");
    let again = run(&dir, "again", &resolved, &[], None);
    assert_same(&first, &again, "summary.csv");
    assert_same(&first, &again, "replications.csv");
    assert_same(&first, &again, "transitions.csv");
    // Resolving a resolved scenario changes nothing.
    assert_same(&first, &again, "scenario.toml");
}

#[test]
fn resolved_scenario_round_trips_for_every_shipped_scenario() {
    let dir = TempDir::new().unwrap();
    for name in [
        "minimal.toml",
        "herning-baseline.toml",
        "herning-sverigesmodel.toml",
    ] {
        let first = run(
            &dir,
            &format!("{name}-1"),
            &scenario(name),
            &["--replications", "4"],
            None,
        );
        let again = run(
            &dir,
            &format!("{name}-2"),
            &first.join("scenario.toml"),
            &[],
            None,
        );
        assert_same(&first, &again, "summary.csv");
        assert_same(&first, &again, "scenario.toml");
    }
}
