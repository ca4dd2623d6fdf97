//! Reading one shard's partition back, trusting nothing: every file's size is bounded before
//! it is read, sizes and SHA-256 checksums must match `partition.toml`, and every table must
//! have the columns, types and row count the scenario implies.

use super::{DATA_FILES, FORMAT, FileSum, PartitionError, PartitionInfo};
use crate::export::{ExportError, Result};
use crate::stats::hist::BUCKETS;
use polars::prelude::*;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The largest `partition.toml` read.
const MAX_INFO_BYTES: u64 = 1 << 20;
/// The largest resolved scenario read.
const MAX_SCENARIO_BYTES: u64 = 16 << 20;

/// One shard's data, read back and checked.
#[derive(Debug)]
pub struct Partition {
    /// `partition.toml`.
    pub info: PartitionInfo,
    /// `(replication, values, series)`.
    pub reps: Vec<(u32, Vec<f64>, Vec<f64>)>,
    /// Histogram counts as `(first response?, hist, bucket, count)`.
    pub buckets: Vec<(bool, usize, usize, u64)>,
}

/// What the scenario implies about a shard's tables.
#[derive(Debug, Clone, Copy)]
pub struct Expect {
    /// Metrics per replication.
    pub metrics: usize,
    /// Time-series cells per replication, at most.
    pub cells: usize,
    /// Histograms per kind.
    pub groups: usize,
}

/// SHA-256 of `bytes`, lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Reads a regular file of at most `max` bytes (devices, pipes and larger files are refused
/// before anything is allocated).
///
/// # Errors
/// A missing, unreadable, special or too large file, naming it.
pub fn read_bounded(path: &Path, max: u64) -> Result<Vec<u8>> {
    let read = |source| ExportError::Read {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(read)?;
    if !meta.is_file() {
        return Err(PartitionError::NotAFile {
            path: path.to_path_buf(),
        }
        .into());
    }
    if meta.len() > max {
        return Err(PartitionError::TooLarge {
            path: path.to_path_buf(),
            bytes: meta.len(),
            max,
        }
        .into());
    }
    let mut buf = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path)
        .and_then(|f| f.take(max + 1).read_to_end(&mut buf))
        .map_err(read)?;
    if buf.len() as u64 > max {
        return Err(PartitionError::TooLarge {
            path: path.to_path_buf(),
            bytes: buf.len() as u64,
            max,
        }
        .into());
    }
    Ok(buf)
}

/// Reads `path`, whose size and checksum are recorded as `sum`, refusing it before reading
/// when the record exceeds `max`.
///
/// # Errors
/// A file too large, of another size or checksum, naming it.
pub fn verify_file(path: &Path, sum: &FileSum, max: u64) -> Result<Vec<u8>> {
    read_checked(path, sum, max)
}

fn read_checked(path: &Path, sum: &FileSum, max: u64) -> Result<Vec<u8>> {
    if sum.bytes > max {
        return Err(PartitionError::TooLarge {
            path: path.to_path_buf(),
            bytes: sum.bytes,
            max,
        }
        .into());
    }
    // One byte more than recorded, so a longer file is seen as such.
    let bytes = match read_bounded(path, sum.bytes + 1) {
        Err(ExportError::Partition(PartitionError::TooLarge { bytes, .. })) => {
            return Err(PartitionError::Size {
                path: path.to_path_buf(),
                bytes,
                recorded: sum.bytes,
            }
            .into());
        }
        r => r?,
    };
    if bytes.len() as u64 != sum.bytes {
        return Err(PartitionError::Size {
            path: path.to_path_buf(),
            bytes: bytes.len() as u64,
            recorded: sum.bytes,
        }
        .into());
    }
    if sha256_hex(&bytes) != sum.sha256 {
        return Err(PartitionError::Checksum {
            path: path.to_path_buf(),
        }
        .into());
    }
    Ok(bytes)
}

/// The layout version alone, read before the rest so an old partition gets the right message.
#[derive(serde::Deserialize)]
struct Head {
    format: Option<u32>,
}

/// Reads and checks `partition.toml` and the resolved scenario of the partition in `dir`.
///
/// # Errors
/// A folder without a partition, a malformed or other-version `partition.toml`, or a
/// scenario whose size or checksum does not match.
pub fn read_info(dir: &Path) -> Result<(PartitionInfo, String)> {
    let info_path = dir.join("partition.toml");
    if !info_path.is_file() {
        return Err(ExportError::NotAPartition {
            dir: dir.to_path_buf(),
            source: std::io::Error::from(std::io::ErrorKind::NotFound),
        });
    }
    let bytes = read_bounded(&info_path, MAX_INFO_BYTES)?;
    let text = String::from_utf8(bytes).map_err(|_| PartitionError::NotText {
        path: info_path.clone(),
    })?;
    let malformed = |source| ExportError::Malformed {
        path: info_path.clone(),
        source,
    };
    let head: Head = toml::from_str(&text).map_err(malformed)?;
    if head.format != Some(FORMAT) {
        return Err(PartitionError::Format {
            path: info_path,
            found: head.format.unwrap_or(0),
            expected: FORMAT,
        }
        .into());
    }
    let info: PartitionInfo = toml::from_str(&text).map_err(malformed)?;
    let scenario_path = dir.join("scenario.resolved.toml");
    let bytes = read_checked(&scenario_path, &info.scenario, MAX_SCENARIO_BYTES)?;
    let scenario = String::from_utf8(bytes).map_err(|_| PartitionError::NotText {
        path: scenario_path,
    })?;
    Ok((info, scenario))
}

/// Replications of a run of `total` that shard `index` of `count` runs.
pub fn shard_size(total: u32, index: u32, count: u32) -> u64 {
    if index >= total || count == 0 {
        0
    } else {
        u64::from((total - 1 - index) / count) + 1
    }
}

/// A file's size bound: generous bytes per row over the rows the scenario allows, plus room
/// for Parquet's metadata.
fn max_bytes(rows: u64) -> u64 {
    rows.saturating_mul(64).saturating_add(1 << 20)
}

/// Reads a checked Parquet file, refusing a row count above `max_rows` (or different from
/// it, when `exact`) before decoding, and columns of other names or types.
fn read_table(
    path: &Path,
    sum: &FileSum,
    max_rows: u64,
    exact: bool,
    columns: &[(&'static str, DataType)],
) -> Result<DataFrame> {
    let bytes = read_checked(path, sum, max_bytes(max_rows))?;
    let not_parquet = |source| ExportError::NotParquet {
        path: path.to_path_buf(),
        source,
    };
    let mut reader = ParquetReader::new(std::io::Cursor::new(bytes));
    let rows = reader.num_rows().map_err(not_parquet)? as u64;
    if rows > max_rows || (exact && rows != max_rows) {
        return Err(PartitionError::Rows {
            path: path.to_path_buf(),
            rows,
            expected: max_rows,
            exact,
        }
        .into());
    }
    let df = reader.finish().map_err(not_parquet)?;
    for (name, ty) in columns {
        let Ok(c) = df.column(name) else {
            return Err(PartitionError::MissingColumn {
                path: path.to_path_buf(),
                column: name,
            }
            .into());
        };
        if c.dtype() != ty {
            return Err(PartitionError::ColumnType {
                path: path.to_path_buf(),
                column: name,
                found: c.dtype().to_string(),
                expected: ty.to_string(),
            }
            .into());
        }
    }
    Ok(df)
}

/// Reads the data files of the partition in `dir` (whose `partition.toml` is `info`, already
/// checked against the run), as the scenario's shape `expect` allows.
///
/// # Errors
/// Any file that is missing, too large, of the wrong size or checksum, retyped, of the wrong
/// row count, or holding replications or histograms outside the run.
pub fn read_data(dir: &Path, info: PartitionInfo, expect: Expect) -> Result<Partition> {
    let sum = |name: &'static str| -> Result<(PathBuf, FileSum)> {
        let path = dir.join(name);
        let s = info
            .files
            .get(name)
            .cloned()
            .ok_or_else(|| PartitionError::NoChecksum { path: path.clone() })?;
        Ok((path, s))
    };
    let n = shard_size(info.replications, info.shard_index, info.shard_count);
    let foreign = |path: &Path, replication: u32| PartitionError::ForeignReplication {
        path: path.to_path_buf(),
        replication,
        index: info.shard_index,
        count: info.shard_count,
    };
    let belongs = |r: u32| {
        r < info.replications && info.shard_count > 0 && r % info.shard_count == info.shard_index
    };
    let null = |path: &Path| PartitionError::Null {
        path: path.to_path_buf(),
    };
    let out_of_order = |path: &Path| PartitionError::OutOfOrder {
        path: path.to_path_buf(),
    };

    let mut by_rep: std::collections::BTreeMap<u32, (Vec<f64>, Vec<f64>)> = Default::default();
    let (path, s) = sum(DATA_FILES[0])?;
    let df = read_table(
        &path,
        &s,
        n.saturating_mul(expect.metrics as u64),
        true,
        &[
            ("replication", DataType::UInt32),
            ("metric_index", DataType::UInt32),
            ("value", DataType::Float64),
        ],
    )?;
    let (r, m, v) = (
        df.column("replication")?.u32()?,
        df.column("metric_index")?.u32()?,
        df.column("value")?.f64()?,
    );
    for ((r, m), v) in r.iter().zip(m.iter()).zip(v.iter()) {
        let (Some(r), Some(m)) = (r, m) else {
            return Err(null(&path).into());
        };
        if !belongs(r) {
            return Err(foreign(&path, r).into());
        }
        let vals = &mut by_rep.entry(r).or_default().0;
        if m as usize != vals.len() || vals.len() >= expect.metrics {
            return Err(out_of_order(&path).into());
        }
        vals.push(v.unwrap_or(f64::NAN));
    }

    let (path, s) = sum(DATA_FILES[1])?;
    let df = read_table(
        &path,
        &s,
        n.saturating_mul(expect.cells as u64),
        false,
        &[
            ("replication", DataType::UInt32),
            ("cell", DataType::UInt32),
            ("value", DataType::Float64),
        ],
    )?;
    let (r, c, v) = (
        df.column("replication")?.u32()?,
        df.column("cell")?.u32()?,
        df.column("value")?.f64()?,
    );
    for ((r, c), v) in r.iter().zip(c.iter()).zip(v.iter()) {
        let (Some(r), Some(c)) = (r, c) else {
            return Err(null(&path).into());
        };
        let Some(entry) = by_rep.get_mut(&r) else {
            return Err(foreign(&path, r).into());
        };
        let ts = &mut entry.1;
        if c as usize != ts.len() {
            return Err(out_of_order(&path).into());
        }
        ts.push(v.unwrap_or(f64::NAN));
    }

    let (path, s) = sum(DATA_FILES[2])?;
    let df = read_table(
        &path,
        &s,
        (2 * expect.groups * BUCKETS) as u64,
        false,
        &[
            ("kind", DataType::String),
            ("hist", DataType::UInt32),
            ("bucket", DataType::UInt32),
            ("count", DataType::UInt64),
        ],
    )?;
    let (k, h, b, c) = (
        df.column("kind")?.str()?,
        df.column("hist")?.u32()?,
        df.column("bucket")?.u32()?,
        df.column("count")?.u64()?,
    );
    let mut buckets = Vec::with_capacity(df.height());
    for (((k, h), b), c) in k.iter().zip(h.iter()).zip(b.iter()).zip(c.iter()) {
        let (Some(k), Some(h), Some(b), Some(c)) = (k, h, b, c) else {
            return Err(null(&path).into());
        };
        let is_fr = match k {
            "first_response" => true,
            "resolution" => false,
            _ => {
                return Err(PartitionError::Histogram {
                    path,
                    what: format!("unknown kind {k:?}"),
                }
                .into());
            }
        };
        if h as usize >= expect.groups || b as usize >= BUCKETS {
            return Err(PartitionError::Histogram {
                path,
                what: format!(
                    "histogram {h} bucket {b} is outside the {} histograms of {BUCKETS} buckets the scenario has",
                    expect.groups
                ),
            }
            .into());
        }
        buckets.push((is_fr, h as usize, b as usize, c));
    }
    if u64::from(info.unstable) > n {
        return Err(PartitionError::Counter {
            path: dir.join("partition.toml"),
            what: format!(
                "unstable = {} but the shard ran {n} replications",
                info.unstable
            ),
        }
        .into());
    }
    Ok(Partition {
        info,
        reps: by_rep.into_iter().map(|(i, (v, s))| (i, v, s)).collect(),
        buckets,
    })
}
