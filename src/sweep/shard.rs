//! Splitting a sweep's work into N deterministic shards.
//!
//! The work is every (point, replication) pair. It is cut into *units*: one
//! unit per point when there are at least as many points as shards;
//! otherwise each point's replications are cut into `N / gcd(P, N)` equal
//! blocks, so the number of units is a multiple of N and every shard gets
//! the same amount of work. Units are numbered point by point and dealt
//! round-robin: unit *u* goes to shard `u mod N` (0-based), which spreads
//! cheap and expensive regions of the design over all shards. A shard
//! therefore never holds two units of the same point, and the shards
//! together cover every (point, replication) exactly once.

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

/// Shard `index` of `count` (1-based index, as written: `--shard 2/4`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Shard {
    /// Which shard, 1 ≤ index ≤ count.
    pub index: usize,
    /// How many shards.
    pub count: usize,
}

impl Shard {
    /// The whole sweep as one shard.
    pub const WHOLE: Shard = Shard { index: 1, count: 1 };

    /// A shard, checked.
    pub fn new(index: usize, count: usize) -> Result<Self, String> {
        if count == 0 || index == 0 || index > count {
            return Err(format!(
                "shard {index}/{count} does not exist: K/N needs 1 ≤ K ≤ N"
            ));
        }
        Ok(Self { index, count })
    }

    /// Folder name of this shard's partial results: `shard-02-of-04`.
    pub fn folder_name(&self) -> String {
        let width = self.count.to_string().len();
        format!(
            "shard-{:0width$}-of-{:0width$}",
            self.index,
            self.count,
            width = width
        )
    }

    /// The shard a job-array task should run, from its environment
    /// (`var` looks a variable up), and where that came from:
    /// * Slurm job arrays: `SLURM_ARRAY_TASK_ID`, `SLURM_ARRAY_TASK_COUNT`,
    ///   and `SLURM_ARRAY_TASK_MIN` / `_STEP` (ids may start anywhere and
    ///   be strided: shard = (ID − MIN) / STEP + 1);
    /// * Kubernetes Indexed Jobs: `JOB_COMPLETION_INDEX` (0-based), with the
    ///   count in `TRAPPE_SHARDS` (Kubernetes does not export one).
    ///
    /// `Ok(None)` when neither is set.
    pub fn from_env(
        var: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<(Self, String)>, String> {
        let number = |name: &str| -> Result<Option<u64>, String> {
            match var(name) {
                None => Ok(None),
                Some(v) if v.trim().is_empty() => Ok(None),
                Some(v) => v
                    .trim()
                    .parse::<u64>()
                    .map(Some)
                    .map_err(|_| format!("{name}={v} is not a whole number")),
            }
        };
        if let Some(id) = number("SLURM_ARRAY_TASK_ID")? {
            let count = number("SLURM_ARRAY_TASK_COUNT")?.ok_or(
                "SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not; pass --shard K/N",
            )?;
            let min = number("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0);
            let step = number("SLURM_ARRAY_TASK_STEP")?.unwrap_or(1).max(1);
            let offset = id.checked_sub(min).filter(|o| o % step == 0);
            let index = offset.map(|o| o / step).filter(|&i| i < count).ok_or_else(|| {
                format!(
                    "cannot derive a shard from SLURM_ARRAY_TASK_ID={id} (MIN={min}, STEP={step}, \
                     COUNT={count}): use an evenly spaced --array range, or pass --shard K/N"
                )
            })?;
            let shard = Shard::new(index as usize + 1, count as usize)?;
            return Ok(Some((
                shard,
                format!("from SLURM_ARRAY_TASK_ID={id} of {count} array tasks"),
            )));
        }
        if let Some(index) = number("JOB_COMPLETION_INDEX")? {
            let count = number("TRAPPE_SHARDS")?.ok_or(
                "JOB_COMPLETION_INDEX is set but the number of shards is not: set TRAPPE_SHARDS \
                 to the Job's completions, or pass --shard K/N",
            )?;
            let shard = Shard::new(index as usize + 1, count as usize).map_err(|e| {
                format!("JOB_COMPLETION_INDEX={index} with TRAPPE_SHARDS={count}: {e}")
            })?;
            return Ok(Some((
                shard,
                format!("from JOB_COMPLETION_INDEX={index} of TRAPPE_SHARDS={count}"),
            )));
        }
        Ok(None)
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// `K/N`.
impl FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let bad = || format!("'{text}' is not a shard K/N (e.g. 2/4)");
        let (k, n) = text.split_once('/').ok_or_else(bad)?;
        let k = k.trim().parse().map_err(|_| bad())?;
        let n = n.trim().parse().map_err(|_| bad())?;
        Shard::new(k, n)
    }
}

/// A piece of work: replications `replications` of point `point`
/// (0-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// 0-based point index.
    pub point: usize,
    /// Replication indices.
    pub replications: Range<u64>,
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// Blocks each point's replications are cut into for `shards` shards.
pub fn blocks_per_point(points: usize, shards: usize) -> usize {
    if points == 0 || points >= shards {
        1
    } else {
        shards / gcd(points, shards)
    }
}

/// The units of shard `shard`, in order (empty units are left out).
pub fn units(points: usize, replications: u64, shard: Shard) -> Vec<Unit> {
    let blocks = blocks_per_point(points, shard.count);
    let total = points * blocks;
    (shard.index - 1..total)
        .step_by(shard.count)
        .map(|u| {
            let (point, block) = (u / blocks, u % blocks);
            let cut = |b: usize| (u128::from(replications) * b as u128 / blocks as u128) as u64;
            Unit {
                point,
                replications: cut(block)..cut(block + 1),
            }
        })
        .filter(|u| !u.replications.is_empty())
        .collect()
}
