//! Shards merge into exactly the unsharded results, and only shards of one
//! sweep merge at all.

use std::fs;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

use crate::{assert_same_files, bad, ok, small, sweep, trappe};

const VARY: [&str; 4] = [
    "--vary",
    "workforce.caseworkers=1..4",
    "--replications",
    "6",
];

/// Run `small.toml` as `count` shards into `dir/name`; returns that folder.
fn shards(dir: &Path, name: &str, count: usize, extra: &[&str]) -> PathBuf {
    let out = dir.join(name);
    for k in 1..=count {
        let shard = format!("{k}/{count}");
        let mut args = VARY.to_vec();
        args.extend(["--shard", &shard]);
        args.extend(extra);
        ok(&mut sweep(&small(), &out, &args));
    }
    out
}

fn merge(inputs: &[&Path], out: &Path) -> assert_cmd::Command {
    let mut cmd = trappe();
    cmd.arg("merge")
        .args(inputs)
        .arg("--out")
        .arg(out)
        .arg("--no-plots");
    cmd
}

#[test]
fn merged_shards_are_byte_identical_to_the_unsharded_sweep() {
    let dir = TempDir::new().unwrap();
    let whole = dir.path().join("whole");
    ok(&mut sweep(&small(), &whole, &VARY));
    for count in [1, 3, 4, 7] {
        // 4 points: 3 shards deal whole points, 7 shards split replications.
        let parts = shards(dir.path(), &format!("parts{count}"), count, &[]);
        let merged = dir.path().join(format!("merged{count}"));
        ok(&mut merge(&[&parts], &merged));
        assert_same_files(&whole, &merged);
    }
}

#[test]
fn slurm_array_tasks_shard_themselves() {
    let dir = TempDir::new().unwrap();
    let whole = dir.path().join("whole");
    ok(&mut sweep(&small(), &whole, &VARY));
    let parts = dir.path().join("parts");
    // Like `sbatch --array=10-14:2`: ids 10, 12, 14.
    for id in ["10", "12", "14"] {
        let mut cmd = sweep(&small(), &parts, &VARY);
        cmd.env("SLURM_ARRAY_TASK_ID", id)
            .env("SLURM_ARRAY_TASK_COUNT", "3")
            .env("SLURM_ARRAY_TASK_MIN", "10")
            .env("SLURM_ARRAY_TASK_STEP", "2");
        let out = ok(&mut cmd);
        assert!(String::from_utf8_lossy(&out.stdout).contains("SLURM_ARRAY_TASK_ID"));
    }
    let names: Vec<String> = fs::read_dir(&parts)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for n in ["shard-1-of-3", "shard-2-of-3", "shard-3-of-3"] {
        assert!(names.contains(&n.to_string()), "{names:?}");
    }
    // Shard folders can also be named one by one.
    let merged = dir.path().join("merged");
    let folders: Vec<PathBuf> = (1..=3)
        .map(|k| parts.join(format!("shard-{k}-of-3")))
        .collect();
    let refs: Vec<&Path> = folders.iter().map(PathBuf::as_path).collect();
    ok(&mut merge(&refs, &merged));
    assert_same_files(&whole, &merged);
    // --no-auto-shard runs the whole sweep inside an array task.
    let mut cmd = sweep(&small(), &dir.path().join("inside"), &VARY);
    cmd.arg("--no-auto-shard")
        .env("SLURM_ARRAY_TASK_ID", "0")
        .env("SLURM_ARRAY_TASK_COUNT", "3");
    ok(&mut cmd);
    assert_same_files(&whole, &dir.path().join("inside"));
}

#[test]
fn a_missing_or_duplicated_shard_is_refused() {
    let dir = TempDir::new().unwrap();
    let parts = shards(dir.path(), "parts", 3, &[]);
    let one = parts.join("shard-1-of-3");
    let three = parts.join("shard-3-of-3");
    let err = bad(&mut merge(&[&one, &three], &dir.path().join("m1")));
    assert!(err.contains("shard 2/3 missing"), "{err}");
    let err = bad(&mut merge(&[&parts, &one], &dir.path().join("m2")));
    assert!(err.contains("shard 1/3 is given twice"), "{err}");
    assert!(!dir.path().join("m1").join("sweep.csv").exists());
}

#[test]
fn shards_of_different_sweeps_are_refused() {
    let dir = TempDir::new().unwrap();
    let base = shards(dir.path(), "base", 2, &[]);
    let seeded = shards(dir.path(), "seeded", 2, &["--seed", "99"]);
    let other = dir.path().join("other");
    for k in 1..=2 {
        let shard = format!("{k}/2");
        ok(&mut sweep(
            &small(),
            &other,
            &[
                "--vary",
                "workforce.caseworkers=1..5",
                "--replications",
                "6",
                "--shard",
                &shard,
            ],
        ));
    }
    let split3 = shards(dir.path(), "split3", 3, &[]);
    let out = dir.path().join("out");
    let first = base.join("shard-1-of-2");
    let cases = [
        (seeded.join("shard-2-of-2"), "different seeds: 11 vs 99"),
        (other.join("shard-2-of-2"), "different designs"),
        (split3.join("shard-2-of-3"), "different splits"),
    ];
    for (second, needle) in cases {
        let err = bad(&mut merge(&[&first, &second], &out));
        assert!(err.contains(needle), "{needle}: {err}");
    }
}

/// Copy a shard folder (flat) to `to`.
fn copy(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

#[test]
fn shards_of_another_version_or_damaged_shards_are_refused() {
    let dir = TempDir::new().unwrap();
    let parts = shards(dir.path(), "parts", 2, &[]);
    let out = dir.path().join("out");
    let first = parts.join("shard-1-of-2");
    // Another trappe version wrote shard 2.
    let old = dir.path().join("old");
    copy(&parts.join("shard-2-of-2"), &old);
    let json = fs::read_to_string(old.join("sweep.json")).unwrap();
    let version = format!("\"trappe_version\": \"{}\"", env!("CARGO_PKG_VERSION"));
    assert!(json.contains(&version), "{json}");
    fs::write(
        old.join("sweep.json"),
        json.replace(&version, "\"trappe_version\": \"0.0.0-old\""),
    )
    .unwrap();
    let err = bad(&mut merge(&[&first, &old], &out));
    assert!(err.contains("trappe 0.0.0-old"), "{err}");
    // A truncated values file.
    let cut = dir.path().join("cut");
    copy(&parts.join("shard-2-of-2"), &cut);
    let bytes = fs::read(cut.join("values.bin")).unwrap();
    fs::write(cut.join("values.bin"), &bytes[..bytes.len() - 8]).unwrap();
    let err = bad(&mut merge(&[&first, &cut], &out));
    assert!(err.contains("damaged or incomplete"), "{err}");
    // A folder that holds no shard.
    let err = bad(&mut merge(&[dir.path().join("nothing").as_path()], &out));
    assert!(err.contains("not a shard folder"), "{err}");
}

#[test]
fn merge_records_its_shards_and_refuses_to_replace_them() {
    let dir = TempDir::new().unwrap();
    let parts = shards(dir.path(), "parts", 2, &[]);
    let shard_info = |k: usize| -> serde_json::Value {
        let path = parts.join(format!("shard-{k}-of-2")).join("run.json");
        serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
    };
    let merged = dir.path().join("merged");
    ok(&mut merge(&[&parts], &merged));
    let info: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(merged.join("run.json")).unwrap()).unwrap();
    assert_eq!(info["kind"], "merge");
    assert_eq!(info["shard"], "1/1");
    assert_eq!(info["threads"], 0);
    assert_eq!(info["replications"], 24);
    assert_eq!(info["merged_from"].as_array().map(Vec::len), Some(2));
    let events: u64 = (1..=2)
        .map(|k| shard_info(k)["events"].as_u64().unwrap())
        .sum();
    assert_eq!(info["events"].as_u64(), Some(events));
    assert_eq!(shard_info(1)["kind"], "shard");
    assert_eq!(shard_info(1)["shard_source"], "--shard");
    // Publishing replaces --out whole, so it may not hold the shards.
    let err = bad(&mut merge(&[&parts], &parts));
    assert!(err.contains("holds the shard folder"), "{err}");
    assert!(parts.join("shard-1-of-2").join("values.bin").is_file());
}
