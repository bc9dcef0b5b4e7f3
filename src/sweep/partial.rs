//! Partial results: what a shard writes so that shards can be merged into
//! exactly the results of an unsharded run.
//!
//! Means alone cannot be merged into exact SDs, CIs and percentiles, so a
//! shard keeps every replication's value:
//! * `values.bin`: little-endian IEEE-754 f64 values (exact by
//!   construction), unit after unit in the order of `shard.json`; within a
//!   unit replication-major (replication, then period, then row), rows in
//!   the order of the point's `sweep.csv` rows for one period;
//! * `shard.json`: which shard of how many, its units (1-based point,
//!   first replication, replications, values), the byte length and an
//!   FNV-1a-64 checksum of `values.bin`;
//! * `sweep.json` and `scenario.toml`: the design and the base scenario,
//!   identical in every shard of one sweep (merge compares them).
//!
//! A complete sweep folder holds the same two files as "shard 1/1" with one
//! unit per point, so plots can compute any statistic from it.

use std::fs::{self, File};
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::SweepError;
use super::shard::{Shard, Unit};
use crate::results::folder::{SHARD_JSON, SavedKind};

/// Format tag of `shard.json`.
pub const VALUES_FORMAT: &str = "trappe-sweep-values/1";
/// The values file.
pub const VALUES_FILE: &str = "values.bin";

const LAYOUT: &str = "little-endian f64; units in order; within a unit replication-major \
                      (replication, period, row), rows as in sweep.csv";

/// `shard.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`VALUES_FORMAT`].
    pub format: String,
    /// 1-based shard index.
    pub shard: usize,
    /// Number of shards.
    pub shards: usize,
    /// How `values.bin` is laid out, in words.
    pub layout: String,
    /// Units in file order.
    pub units: Vec<UnitEntry>,
    /// Length of `values.bin`.
    pub values_bytes: u64,
    /// FNV-1a-64 of `values.bin`, hex.
    pub values_fnv1a64: String,
}

/// One unit in `shard.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitEntry {
    /// 1-based point id.
    pub point: usize,
    /// First replication index.
    pub first_replication: u64,
    /// Number of replications.
    pub replications: u64,
    /// Number of f64 values.
    pub values: u64,
}

impl UnitEntry {
    /// As a [`Unit`] (0-based point).
    pub fn unit(&self) -> Unit {
        Unit {
            point: self.point - 1,
            replications: self.first_replication..self.first_replication + self.replications,
        }
    }
}

/// FNV-1a, 64 bit: a small checksum against truncated or damaged files.
#[derive(Debug, Clone, Copy)]
pub struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv1a {
    /// Add bytes.
    pub fn update(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    /// The checksum as 16 hex digits.
    pub fn hex(self) -> String {
        format!("{:016x}", self.0)
    }
}

/// Writes `values.bin` unit by unit and produces the manifest.
#[derive(Debug)]
pub struct ValuesWriter {
    out: BufWriter<File>,
    hash: Fnv1a,
    bytes: u64,
    units: Vec<UnitEntry>,
}

impl ValuesWriter {
    /// Create `path`.
    pub fn create(path: &Path) -> io::Result<Self> {
        Ok(Self {
            out: BufWriter::new(File::create(path)?),
            hash: Fnv1a::default(),
            bytes: 0,
            units: Vec::new(),
        })
    }

    /// Append one unit's values.
    pub fn push(&mut self, unit: &Unit, values: &[f64]) -> io::Result<()> {
        let mut buf = Vec::with_capacity(values.len() * 8);
        for v in values {
            buf.extend_from_slice(&v.to_le_bytes());
        }
        self.out.write_all(&buf)?;
        self.hash.update(&buf);
        self.bytes += buf.len() as u64;
        self.units.push(UnitEntry {
            point: unit.point + 1,
            first_replication: unit.replications.start,
            replications: unit.replications.end - unit.replications.start,
            values: values.len() as u64,
        });
        Ok(())
    }

    /// Flush and return the manifest of shard `shard`.
    pub fn finish(mut self, shard: Shard) -> io::Result<Manifest> {
        self.out.flush()?;
        self.out.get_ref().sync_all()?;
        Ok(Manifest {
            format: VALUES_FORMAT.into(),
            shard: shard.index,
            shards: shard.count,
            layout: LAYOUT.into(),
            units: self.units,
            values_bytes: self.bytes,
            values_fnv1a64: self.hash.hex(),
        })
    }
}

/// Write a manifest as pretty JSON.
pub fn write_manifest(path: &Path, manifest: &Manifest) -> io::Result<()> {
    let text = serde_json::to_string_pretty(manifest).map_err(io::Error::other)?;
    fs::write(path, text + "\n")
}

/// A folder with partial results (a shard, or a complete sweep as 1/1),
/// checked: manifest readable, values file of the right length and
/// checksum.
#[derive(Debug, Clone)]
pub struct ShardFolder {
    /// The folder.
    pub path: PathBuf,
    /// Its `shard.json`.
    pub manifest: Manifest,
    /// Its `sweep.json` text.
    pub sweep_json: String,
    /// Its `scenario.toml` text.
    pub scenario_toml: String,
    offsets: Vec<u64>,
}

impl ShardFolder {
    /// Whether `dir` looks like a folder of partial results (a shard, or
    /// a complete sweep).
    pub fn is_one(dir: &Path) -> bool {
        matches!(
            SavedKind::detect(dir),
            Some(SavedKind::Shard | SavedKind::Sweep)
        )
    }

    /// Open and check `dir`.
    pub fn open(dir: &Path) -> Result<Self, SweepError> {
        let bad = |message: String| SweepError::Folder {
            path: dir.to_path_buf(),
            message,
        };
        let read = |name: &str| {
            fs::read_to_string(dir.join(name)).map_err(|e| bad(format!("cannot read {name}: {e}")))
        };
        let manifest: Manifest = serde_json::from_str(&read(SHARD_JSON)?)
            .map_err(|e| bad(format!("{SHARD_JSON} is not readable: {e}")))?;
        if manifest.format != VALUES_FORMAT {
            return Err(bad(format!(
                "{SHARD_JSON} has format '{}', this trappe reads '{VALUES_FORMAT}'",
                manifest.format
            )));
        }
        Shard::new(manifest.shard, manifest.shards)
            .map_err(|e| bad(format!("{SHARD_JSON}: {e}")))?;
        let mut offsets = Vec::with_capacity(manifest.units.len());
        let mut at = 0u64;
        for u in &manifest.units {
            if u.point == 0 {
                return Err(bad(format!("{SHARD_JSON}: point ids start at 1")));
            }
            offsets.push(at);
            at += u.values * 8;
        }
        if at != manifest.values_bytes {
            return Err(bad(format!(
                "{SHARD_JSON} lists {at} bytes of values but says {}",
                manifest.values_bytes
            )));
        }
        let values = dir.join(VALUES_FILE);
        let file =
            File::open(&values).map_err(|e| bad(format!("cannot open {VALUES_FILE}: {e}")))?;
        let mut reader = BufReader::with_capacity(1 << 20, file);
        let mut hash = Fnv1a::default();
        let mut len = 0u64;
        let mut buf = vec![0u8; 1 << 20];
        loop {
            let n = reader
                .read(&mut buf)
                .map_err(|e| bad(format!("cannot read {VALUES_FILE}: {e}")))?;
            if n == 0 {
                break;
            }
            hash.update(&buf[..n]);
            len += n as u64;
        }
        if len != manifest.values_bytes || hash.hex() != manifest.values_fnv1a64 {
            return Err(bad(format!(
                "{VALUES_FILE} is damaged or incomplete ({len} bytes, checksum {}; \
                 {SHARD_JSON} expects {} bytes, checksum {})",
                hash.hex(),
                manifest.values_bytes,
                manifest.values_fnv1a64
            )));
        }
        Ok(Self {
            path: dir.to_path_buf(),
            sweep_json: read("sweep.json")?,
            scenario_toml: read("scenario.toml")?,
            manifest,
            offsets,
        })
    }

    /// Which shard this is.
    pub fn shard(&self) -> Shard {
        Shard {
            index: self.manifest.shard,
            count: self.manifest.shards,
        }
    }

    /// The values of unit `i` (in manifest order).
    pub fn read_unit(&self, i: usize) -> Result<Vec<f64>, SweepError> {
        let path = self.path.join(VALUES_FILE);
        let fail = |e: io::Error| SweepError::io(format!("cannot read {}", path.display()), e);
        let mut file = File::open(&path).map_err(fail)?;
        file.seek(SeekFrom::Start(self.offsets[i])).map_err(fail)?;
        let mut bytes = vec![0u8; self.manifest.units[i].values as usize * 8];
        file.read_exact(&mut bytes).map_err(fail)?;
        Ok(bytes
            .chunks_exact(8)
            .map(|c| f64::from_le_bytes(c.try_into().expect("chunks of 8 bytes")))
            .collect())
    }
}
