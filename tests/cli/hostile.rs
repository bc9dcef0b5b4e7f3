//! Hostile input and hostile places (issue "a results folder is one whole
//! run or nothing"): every case a careful user or a fuzzer found either
//! finishes quickly or is refused with the file, key and line, and a
//! results folder is always one whole run or untouched.
//!
//! Tests that need to mount a small file system (full disk, read-only)
//! run where mounting is allowed (root in CI) and say `SKIPPED` on the
//! terminal otherwise.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Output, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

use crate::{Csv, describe_output, read, run_ok, scenario, trappe};

/// The shipped minimal scenario with `edit` applied to its text.
fn minimal_with(dir: &Path, name: &str, edit: impl FnOnce(String) -> String) -> PathBuf {
    let text = std::fs::read_to_string(scenario("minimal.toml")).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, edit(text)).unwrap();
    path
}

/// `trappe ARGS` with a time limit; the limit itself is a failure (a hang).
fn within(seconds: u64, args: &[&std::ffi::OsStr]) -> Output {
    let started = Instant::now();
    let output = trappe()
        .args(args)
        .timeout(Duration::from_secs(seconds))
        .output()
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(seconds),
        "trappe {args:?} did not finish within {seconds} s\n{}",
        describe_output(&output)
    );
    output
}

/// Exit code 2, nothing written to `out`, and stderr containing every one
/// of `wanted`; returns stderr.
fn refused(output: &Output, out: &Path, wanted: &[&str]) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(2), "{}", describe_output(output));
    for w in wanted {
        assert!(stderr.contains(w), "missing {w:?} in:\n{stderr}");
    }
    assert!(!out.exists(), "bad input wrote {}", out.display());
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

fn run_args<'a>(file: &'a Path, out: &'a Path, extra: &'a [&'a str]) -> Vec<&'a std::ffi::OsStr> {
    let mut v: Vec<&std::ffi::OsStr> = vec!["run".as_ref(), file.as_ref(), "--out".as_ref()];
    v.push(out.as_ref());
    v.extend(["-q", "--no-plots"].iter().map(std::ffi::OsStr::new));
    v.extend(extra.iter().map(std::ffi::OsStr::new));
    v
}

#[test]
fn implausible_rates_and_intervals_are_refused_at_their_line() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    for rate in ["1e308", "1e15", "1e7"] {
        let file = minimal_with(dir.path(), "referrals.toml", |t| {
            t.replace(
                "\n[initial]",
                &format!(
                    "\n[intake]\nreferrals_per_year = {rate}\nentry = {{ prevention = 1.0 }}\n\n[initial]"
                ),
            )
        });
        let output = within(20, &run_args(&file, &out, &[]));
        refused(
            &output,
            &out,
            &["referrals.toml:31:22: intake.referrals_per_year: must be between 0 and 1000000"],
        );
    }
    let file = minimal_with(dir.path(), "follow_up.toml", |t| {
        t.replace(
            "first_weeks = 13.0, every_weeks = 26.0",
            "first_weeks = 1e-300, every_weeks = 1e-300",
        )
    });
    let output = within(20, &run_args(&file, &out, &[]));
    refused(
        &output,
        &out,
        &[
            "follow_up.toml:26:29: steps.prevention.follow_up.first_weeks: must be at least 0.001 weeks",
            "follow_up.toml:26:51: steps.prevention.follow_up.every_weeks: must be at least 0.001 weeks",
        ],
    );
    let file = minimal_with(dir.path(), "hazard.toml", |t| {
        t.replace("latent = { improve = 0.5 }", "latent = { improve = 1e9 }")
    });
    let output = within(20, &run_args(&file, &out, &[]));
    refused(
        &output,
        &out,
        &[
            "hazard.toml:27:",
            "steps.prevention.latent.improve: must be between 0 and 1000000",
        ],
    );
}

#[test]
fn money_that_would_overflow_is_refused_and_the_largest_allowed_stays_finite() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    let file = minimal_with(dir.path(), "cost.toml", |t| {
        t.replace(
            "id = \"prevention\"           # required",
            "id = \"prevention\"\ncost_per_year = 1e308 # required",
        )
        .replace("prevention = 100 ", "prevention = 10 ")
    });
    let output = within(20, &run_args(&file, &out, &["--replications", "3"]));
    refused(
        &output,
        &out,
        &["cost.toml:22:17: steps.prevention.cost_per_year: must be between 0 and 1000000000000"],
    );
    // The largest amounts accepted, everywhere at once: every number in
    // every output is finite.
    let file = minimal_with(dir.path(), "rich.toml", |t| {
        t.replace(
            "id = \"prevention\"           # required",
            "id = \"prevention\"\ncost_per_year = 1e12 # required",
        )
        .replace("prevention = 100 ", "prevention = 100000 ")
            + "\n[workforce]\ncaseworkers = 1000\nsalary_per_year = 1e12\n\
               [costs]\nfixed_per_year = 1e12\nper_breakdown = 1e12\n"
    });
    let output = within(
        120,
        &run_args(
            &file,
            &out,
            &["--replications", "2", "--set", "scenario.horizon_years=0.1"],
        ),
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        describe_output(&output)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!stdout.contains("18,446,744,073,709,551,615"), "{stdout}");
    for name in ["summary.csv", "replications.csv", "run.json"] {
        let text = read(&out, name).to_lowercase();
        assert!(
            !text.contains("inf") && !text.contains("nan"),
            "{name} holds a non-finite number"
        );
    }
}

#[test]
fn a_run_implying_implausible_work_needs_force() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    let file = scenario("large-municipality.toml");
    let output = within(20, &run_args(&file, &out, &["--replications", "1000000"]));
    refused(&output, &out, &["events", "--force"]);
    // Within the limit, the same scenario is not refused (checked without
    // running it: the output place is a file, refused next).
    std::fs::write(&out, "a file").unwrap();
    let output = within(20, &run_args(&file, &out, &["--replications", "100"]));
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        describe_output(&output)
    );
}

#[test]
fn a_huge_name_and_absurd_threads_finish_quickly() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    let name = "x".repeat(50_000);
    let file = minimal_with(dir.path(), "long.toml", |t| {
        t.replace("name = \"Minimal example\"", &format!("name = \"{name}\""))
    });
    // With plots: the title shortener measures each character once.
    let output = within(
        30,
        &[
            "run".as_ref(),
            file.as_os_str(),
            "--out".as_ref(),
            out.as_os_str(),
            "-q".as_ref(),
            "--replications".as_ref(),
            "2".as_ref(),
            "--report".as_ref(),
        ],
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        describe_output(&output)
    );
    assert!(out.join("plots/budget.png").is_file());
    let output = within(
        30,
        &run_args(
            &scenario("minimal.toml"),
            &out,
            &["--replications", "2", "--threads", "10000"],
        ),
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        describe_output(&output)
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--threads 10000 capped at"), "{stderr}");
    let info: serde_json::Value = serde_json::from_str(&read(&out, "run.json")).unwrap();
    let cores = std::thread::available_parallelism().map_or(1, usize::from) as u64;
    assert!(info["threads"].as_u64().unwrap() <= 8 * cores, "{info}");
}

#[test]
fn locations_survive_options_missing_sections_and_big_integers() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    // --replications is not an override: the file's own line is named.
    let file = minimal_with(dir.path(), "no_horizon.toml", |t| {
        t.replace("horizon_years = 5.0 ", "# no horizon ")
    });
    let output = within(
        20,
        &run_args(&file, &out, &["--replications", "2", "--seed", "3"]),
    );
    let stderr = refused(
        &output,
        &out,
        &["no_horizon.toml:12:1: scenario: missing field `horizon_years`"],
    );
    assert!(!stderr.contains("--set"), "{stderr}");

    let file = minimal_with(dir.path(), "no_scenario.toml", |t| {
        t.replace("[scenario]", "[nothing]")
    });
    let output = within(20, &run_args(&file, &out, &[]));
    let stderr = refused(
        &output,
        &out,
        &["scenario: missing (every scenario needs a [scenario] section"],
    );
    assert!(!stderr.contains("missing field `name`"), "{stderr}");

    let file = minimal_with(dir.path(), "big.toml", |t| {
        t.replace(
            "horizon_years = 5.0",
            "horizon_years = 18446744073709551615",
        )
    });
    let output = within(20, &run_args(&file, &out, &[]));
    refused(
        &output,
        &out,
        &[
            "big.toml:15:17: scenario.horizon_years: ",
            "TOML integers run from",
        ],
    );
}

#[test]
fn type_errors_in_changes_are_at_their_key_in_both_forms() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    let table_form = minimal_with(dir.path(), "table.toml", |t| {
        t + "\n[[changes]]\nat_years = 1.0\n[changes.set]\n\
             \"steps.prevention.follow_up.hours\" = 1.0\n\
             \"steps.prevention.latent.improve\" = \"fast\"\n"
    });
    let output = within(20, &run_args(&table_form, &out, &[]));
    refused(
        &output,
        &out,
        &[
            "table.toml:49:37: changes[0].set.\"steps.prevention.latent.improve\": invalid type: string \"fast\", expected a number",
        ],
    );
    let inline_form = minimal_with(dir.path(), "inline.toml", |t| {
        t + "\n[[changes]]\nat_years = 1.0\nset = { \"steps.prevention.latent.improve\" = \"fast\" }\n"
    });
    let output = within(20, &run_args(&inline_form, &out, &[]));
    refused(
        &output,
        &out,
        &["inline.toml:47:45: changes[0].set.\"steps.prevention.latent.improve\": invalid type"],
    );
}

#[test]
fn bad_bytes_devices_fifos_and_huge_files_are_refused_before_reading() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    let utf8 = dir.path().join("latin1.toml");
    let mut bytes = std::fs::read(scenario("minimal.toml")).unwrap();
    let at = bytes.windows(7).position(|w| w == b"Minimal").unwrap();
    bytes[at + 1] = 0xE9; // Latin-1 'é'
    std::fs::write(&utf8, bytes).unwrap();
    let output = within(20, &run_args(&utf8, &out, &[]));
    refused(
        &output,
        &out,
        &["latin1.toml:13:10: the file is not UTF-8 text"],
    );

    let output = within(10, &["check".as_ref(), "/dev/zero".as_ref()]);
    refused(
        &output,
        &out,
        &["/dev/zero: cannot read the file: it is not a regular file"],
    );

    let fifo = dir.path().join("fifo.toml");
    let made = Process::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        let output = within(10, &["check".as_ref(), fifo.as_os_str()]);
        refused(
            &output,
            &out,
            &["fifo.toml: cannot read the file: it is not a regular file"],
        );
    } else {
        skipped("a FIFO as scenario", "mkfifo is not available");
    }

    let huge = dir.path().join("huge.toml");
    let file = std::fs::File::create(&huge).unwrap();
    file.set_len(64 * 1024 * 1024).unwrap(); // sparse: no disk used
    let output = within(10, &["check".as_ref(), huge.as_os_str()]);
    refused(
        &output,
        &out,
        &["huge.toml: the file is 67108864 bytes, more than"],
    );
}

#[test]
fn a_long_bad_value_is_echoed_short() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    let value = "z".repeat(100_000);
    let file = minimal_with(dir.path(), "long_value.toml", |t| {
        t.replace(
            "horizon_years = 5.0",
            &format!("horizon_years = \"{value}\""),
        )
    });
    let output = within(20, &run_args(&file, &out, &[]));
    let stderr = refused(&output, &out, &["characters left out", "expected a number"]);
    assert!(stderr.len() < 2_000, "{} bytes of error", stderr.len());
}

/// Say on the terminal (past the test harness's capture) that a test did
/// not run here, and why.
fn skipped(test: &str, why: &str) {
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {why}");
}

/// A small tmpfs mounted for one test, unmounted when dropped; `None`
/// (after saying so) where mounting is not allowed.
struct SmallDisk {
    path: PathBuf,
    _dir: TempDir,
}

impl SmallDisk {
    fn mount(test: &str, options: &str) -> Option<Self> {
        let dir = TempDir::new().unwrap();
        let path = dir.path().join("disk");
        std::fs::create_dir(&path).unwrap();
        let status = Process::new("mount")
            .args(["-t", "tmpfs", "-o", options, "tmpfs"])
            .arg(&path)
            .stderr(Stdio::null())
            .status();
        if status.is_ok_and(|s| s.success()) {
            Some(Self { path, _dir: dir })
        } else {
            skipped(test, "mounting a tmpfs is not allowed here (needs root)");
            None
        }
    }

    fn remount_read_only(&self) {
        let status = Process::new("mount")
            .args(["-o", "remount,ro"])
            .arg(&self.path)
            .status()
            .unwrap();
        assert!(status.success());
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Process::new("umount").arg(&self.path).status();
    }
}

fn names(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn a_full_disk_fails_cleanly_and_keeps_the_previous_results() {
    let Some(disk) = SmallDisk::mount("full disk", "size=400k") else {
        return;
    };
    let out = disk.path.join("results");
    let minimal = scenario("minimal.toml");
    run_ok(
        trappe()
            .arg("run")
            .arg(&minimal)
            .arg("--out")
            .arg(&out)
            .args(["--replications", "2", "-q"]),
    );
    let before = read(&out, "summary.csv");
    let plots_before = names(&out.join("plots"));
    // Plots on (they fill the disk) and off (the CSVs do).
    for extra in [
        &["--replications", "40"][..],
        &["--replications", "400", "--no-plots"],
    ] {
        let output = trappe()
            .arg("run")
            .arg(&minimal)
            .arg("--out")
            .arg(&out)
            .arg("-q")
            .args(extra)
            .timeout(Duration::from_secs(60))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{extra:?}: {stderr}");
        assert!(stderr.contains("No space left on device"), "{stderr}");
        assert!(stderr.contains("untouched"), "{stderr}");
        for dump in ["Custom {", "IoError(", "ImageError("] {
            assert!(!stderr.contains(dump), "a Debug dump: {stderr}");
        }
        assert_eq!(read(&out, "summary.csv"), before, "{extra:?}");
        assert_eq!(names(&out.join("plots")), plots_before, "{extra:?}");
        assert_eq!(names(&disk.path), BTreeSet::from(["results".to_string()]));
    }
}

#[test]
fn a_read_only_or_unwritable_place_is_refused_before_simulating() {
    // A run that would take hours if the output place were checked after
    // simulating.
    let long = |out: &Path| {
        let mut cmd = trappe();
        cmd.arg("run")
            .arg(scenario("large-municipality.toml"))
            .arg("--out")
            .arg(out)
            .args(["--replications", "1000000", "--force", "--no-plots", "-q"])
            .timeout(Duration::from_secs(20));
        cmd
    };
    if let Some(disk) = SmallDisk::mount("read-only output place", "size=100k") {
        std::fs::create_dir(disk.path.join("results")).unwrap();
        disk.remount_read_only();
        for out in [disk.path.join("results"), disk.path.join("new")] {
            let output = long(&out).output().unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(1), "{stderr}");
            assert!(
                stderr.contains(&format!("cannot write results to {}", out.display()))
                    && stderr.contains("Read-only file system"),
                "{stderr}"
            );
        }
    }
    // A folder this user may not write to (as root, checked as `nobody`).
    let dir = TempDir::new().unwrap();
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    let results = dir.path().join("results");
    std::fs::create_dir(&results).unwrap();
    std::fs::write(results.join("summary.csv"), "old").unwrap();
    chmod("555", &locked);
    chmod("555", &results);
    chmod("777", dir.path());
    let root = Process::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    for out in [locked.join("results"), results.clone()] {
        let mut cmd = if root {
            let mut c = Process::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(env!("CARGO_BIN_EXE_trappe"));
            c
        } else {
            Process::new(env!("CARGO_BIN_EXE_trappe"))
        };
        cmd.arg("run")
            .arg(scenario("large-municipality.toml"))
            .arg("--out")
            .arg(&out)
            .args(["--replications", "1000000", "--force", "--no-plots", "-q"]);
        let Ok(output) = assert_cmd::Command::from_std(cmd)
            .timeout(Duration::from_secs(20))
            .output()
        else {
            skipped("unwritable output place", "setpriv is not available");
            return;
        };
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{}: {stderr}", out.display());
        assert!(
            stderr.contains(&format!("cannot write results to {}", out.display()))
                && stderr.contains("Permission denied"),
            "{stderr}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(results.join("summary.csv")).unwrap(),
        "old"
    );
}

fn chmod(mode: &str, path: &Path) {
    assert!(
        Process::new("chmod")
            .arg(mode)
            .arg(path)
            .status()
            .unwrap()
            .success()
    );
}

#[test]
fn two_runs_into_one_folder_one_fails_fast_the_other_is_whole() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("results");
    let start = |name: &str, replications: &str| {
        Process::new(env!("CARGO_BIN_EXE_trappe"))
            .arg("run")
            .arg(scenario("large-municipality.toml"))
            .arg("--out")
            .arg(&out)
            .args(["--replications", replications, "-q", "--threads", "1"])
            .args(["--set", &format!("scenario.name={name}")])
            .env_remove("RAYON_NUM_THREADS")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let started = Instant::now();
    let a = start("Run A", "3");
    let b = start("Run B", "4");
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    let outcomes = [("Run A", 3, &a), ("Run B", 4, &b)];
    let winners: Vec<_> = outcomes
        .iter()
        .filter(|o| o.2.status.code() == Some(0))
        .collect();
    let losers: Vec<_> = outcomes
        .iter()
        .filter(|o| o.2.status.code() == Some(1))
        .collect();
    assert_eq!(
        (winners.len(), losers.len()),
        (1, 1),
        "A: {}\nB: {}",
        describe_output(&a),
        describe_output(&b)
    );
    let stderr = String::from_utf8_lossy(&losers[0].2.stderr);
    assert!(stderr.contains("another trappe (process "), "{stderr}");
    assert!(stderr.contains("is writing results to"), "{stderr}");
    assert!(started.elapsed() < Duration::from_secs(120));

    // Every file is the winner's.
    let (name, replications, _) = winners[0];
    let info: serde_json::Value = serde_json::from_str(&read(&out, "run.json")).unwrap();
    assert_eq!(info["scenario"].as_str(), Some(*name), "{info}");
    assert_eq!(info["replications"].as_u64(), Some(*replications));
    let resolved: toml::Table = read(&out, "scenario.toml").parse().unwrap();
    assert_eq!(resolved["scenario"]["name"].as_str(), Some(*name));
    let reps = Csv::read(&out.join("replications.csv")).distinct("replication");
    assert_eq!(reps.len() as u64, *replications);
    let svg = read(&out.join("plots"), "budget.svg");
    assert!(svg.contains(name), "the budget plot is not {name}'s");
    assert_eq!(names(dir.path()), BTreeSet::from(["results".to_string()]));
}
