//! Merging shard folders into complete sweep results.
//!
//! Shards are accepted only if they are provably parts of one sweep: the
//! same trappe version as this one (the statistics code must be the code
//! that will summarise them), byte-identical `sweep.json` (design, seed,
//! replications) and `scenario.toml`, the same number of shards N, every
//! index 1..N exactly once, and each shard holding exactly the units the
//! design assigns to it. The merged values then go through the same writer
//! as an unsharded run, so the results are byte-identical to it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::output::write_complete;
use super::partial::ShardFolder;
use super::shard::{self, Shard};
use super::{Sweep, SweepError};
use crate::results::{Publication, RunInfo, RunKind};

/// Expand the command line's folders: a shard folder stands for itself; a
/// folder of shard folders (what `trappe sweep --shard` writes into
/// `--out`) for the shard folders in it, in name order.
pub fn shard_folders(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, SweepError> {
    let mut out = Vec::new();
    for dir in inputs {
        if ShardFolder::is_one(dir) {
            out.push(dir.clone());
            continue;
        }
        let entries = std::fs::read_dir(dir).map_err(|e| SweepError::Folder {
            path: dir.clone(),
            message: format!("not a shard folder and not readable as a folder: {e}"),
        })?;
        let mut inner: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| ShardFolder::is_one(p))
            .collect();
        if inner.is_empty() {
            return Err(SweepError::Folder {
                path: dir.clone(),
                message: "neither a shard folder (no shard.json) nor a folder of shard folders"
                    .into(),
            });
        }
        inner.sort();
        out.extend(inner);
    }
    Ok(out)
}

/// Why two `sweep.json` texts differ, in the researcher's terms.
fn difference(a: &str, b: &str) -> String {
    let parse = |t: &str| serde_json::from_str::<serde_json::Value>(t).unwrap_or_default();
    let (a, b) = (parse(a), parse(b));
    for (key, what) in [
        ("format", "file formats"),
        ("trappe_version", "trappe versions"),
        ("seed", "seeds"),
        ("replications", "numbers of replications"),
        ("scenario", "scenarios"),
        ("set", "--set overrides"),
        ("method", "designs (grid vs Latin hypercube)"),
        ("lhs_samples", "designs (Latin hypercube sizes)"),
        ("saltelli_samples", "designs (Saltelli sample sizes)"),
        ("parameters", "designs (varied parameters)"),
        ("points", "designs (points)"),
    ] {
        if a.get(key) != b.get(key) {
            let show =
                |v: &serde_json::Value| v.get(key).map_or("nothing".to_string(), |x| x.to_string());
            return format!("different {what}: {} vs {}", show(&a), show(&b));
        }
    }
    "different sweep.json files".into()
}

/// Check that `shards` are the complete set of one sweep's shards and
/// return that sweep.
pub fn check(shards: &[ShardFolder]) -> Result<Sweep, SweepError> {
    let Some(first) = shards.first() else {
        return Err(SweepError::Merge("no shard folders given".into()));
    };
    let this = env!("CARGO_PKG_VERSION");
    for s in shards {
        let version = Sweep::version_of(&s.sweep_json).unwrap_or_else(|| "unknown".into());
        if version != this {
            return Err(SweepError::Merge(format!(
                "{} was written by trappe {version}, this is trappe {this}; merge with the \
                 trappe that ran the shards",
                s.path.display()
            )));
        }
    }
    for s in &shards[1..] {
        if s.sweep_json != first.sweep_json {
            return Err(SweepError::Merge(format!(
                "{} and {} are shards of different sweeps: {}",
                first.path.display(),
                s.path.display(),
                difference(&first.sweep_json, &s.sweep_json)
            )));
        }
        if s.scenario_toml != first.scenario_toml {
            return Err(SweepError::Merge(format!(
                "{} and {} are shards of different sweeps: their base scenarios \
                 (scenario.toml) differ",
                first.path.display(),
                s.path.display()
            )));
        }
        if s.shard().count != first.shard().count {
            return Err(SweepError::Merge(format!(
                "{} is shard {} but {} is shard {}: shards of different splits",
                first.path.display(),
                first.shard(),
                s.path.display(),
                s.shard()
            )));
        }
    }
    let count = first.shard().count;
    let mut by_index: BTreeMap<usize, &ShardFolder> = BTreeMap::new();
    for s in shards {
        if let Some(other) = by_index.insert(s.shard().index, s) {
            return Err(SweepError::Merge(format!(
                "shard {} is given twice: {} and {}",
                s.shard(),
                other.path.display(),
                s.path.display()
            )));
        }
    }
    let missing: Vec<String> = (1..=count)
        .filter(|i| !by_index.contains_key(i))
        .map(|i| format!("{i}/{count}"))
        .collect();
    if !missing.is_empty() {
        return Err(SweepError::Merge(format!(
            "shard{} {} missing (have {})",
            if missing.len() == 1 { "" } else { "s" },
            missing.join(", "),
            by_index
                .keys()
                .map(|i| format!("{i}/{count}"))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let sweep = Sweep::from_parts(&first.path, &first.sweep_json, &first.scenario_toml)?;
    for s in shards {
        let expected = shard::units(sweep.points.len(), sweep.replications(), s.shard());
        let actual: Vec<_> = s.manifest.units.iter().map(|u| u.unit()).collect();
        if actual != expected {
            return Err(SweepError::Merge(format!(
                "{} does not hold the work of shard {} of this design (its units differ)",
                s.path.display(),
                s.shard()
            )));
        }
    }
    Ok(sweep)
}

/// Merge shard folders (see [`shard_folders`]) into complete results in
/// the folder `out` is building; returns the sweep, for plotting.
pub fn merge(inputs: &[PathBuf], out: &Publication) -> Result<Sweep, SweepError> {
    let dirs = shard_folders(inputs)?;
    refuse_target_holding(&dirs, out.target())?;
    let shards = dirs
        .iter()
        .map(|d| ShardFolder::open(d))
        .collect::<Result<Vec<_>, _>>()?;
    let sweep = check(&shards)?;
    // Where each point's replications are: (shard, unit), by first replication.
    let mut pieces: Vec<Vec<(u64, usize, usize)>> = vec![Vec::new(); sweep.points.len()];
    for (s, folder) in shards.iter().enumerate() {
        for (u, entry) in folder.manifest.units.iter().enumerate() {
            pieces[entry.point - 1].push((entry.first_replication, s, u));
        }
    }
    for p in &mut pieces {
        p.sort_unstable();
    }
    let mut values_of = |point: usize| -> Result<Vec<f64>, SweepError> {
        let mut values = Vec::new();
        for &(_, s, u) in &pieces[point] {
            values.extend(shards[s].read_unit(u)?);
        }
        Ok(values)
    };
    // The shards' work, summed (a shard without a readable run.json adds 0).
    let runs: Vec<RunInfo> = shards
        .iter()
        .map(|s| RunInfo::read(&s.path).unwrap_or_default())
        .collect();
    let info = RunInfo {
        points: Some(sweep.points.len()),
        shard: Some(Shard::WHOLE.to_string()),
        merged_from: dirs.iter().map(|d| d.display().to_string()).collect(),
        ..RunInfo::new(
            RunKind::Merge,
            sweep.base.name(),
            sweep.seed(),
            sweep.replications() * sweep.points.len() as u64,
        )
    }
    .with_work(
        0,
        runs.iter().map(|r| r.events).sum(),
        runs.iter().map(|r| r.case_years).sum(),
        runs.iter().map(|r| r.wall_seconds).sum(),
    );
    write_complete(out.path(), &sweep, &mut values_of, &info)?;
    Ok(sweep)
}

/// Publishing replaces the output folder whole, so it must not be (or
/// hold) one of the shards being merged.
fn refuse_target_holding(shards: &[PathBuf], target: &Path) -> Result<(), SweepError> {
    let Ok(target) = target.canonicalize() else {
        return Ok(()); // does not exist yet, so holds nothing
    };
    for dir in shards {
        if dir.canonicalize().is_ok_and(|d| d.starts_with(&target)) {
            return Err(SweepError::Merge(format!(
                "--out {} holds the shard folder {} and would be replaced by the merged \
                 results; choose another output folder",
                target.display(),
                dir.display()
            )));
        }
    }
    Ok(())
}
