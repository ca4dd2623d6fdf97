//! Reading one shard's partition back: `partition.toml`, the resolved scenario and the
//! values, series and histogram Parquet files.

use super::{FORMAT, PartitionError, PartitionInfo};
use crate::export::{ExportError, Result};
use polars::prelude::*;
use std::path::Path;

/// One shard's partition, read back.
#[derive(Debug)]
pub struct Partition {
    /// `partition.toml`.
    pub info: PartitionInfo,
    /// The resolved scenario text.
    pub scenario_text: String,
    /// `(replication, values, series)`.
    pub reps: Vec<(u32, Vec<f64>, Vec<f64>)>,
    /// Histogram counts as `(first response?, hist, bucket, count)`.
    pub buckets: Vec<(bool, usize, usize, u64)>,
}

fn read_parquet(path: &Path) -> Result<DataFrame> {
    let f = std::fs::File::open(path).map_err(|source| ExportError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    ParquetReader::new(f)
        .finish()
        .map_err(|source| ExportError::NotParquet {
            path: path.to_path_buf(),
            source,
        })
}

/// Reads the partition in `dir`.
///
/// # Errors
/// Missing or malformed files, naming the file.
pub fn read_partition(dir: &Path) -> Result<Partition> {
    let info_path = dir.join("partition.toml");
    let text =
        std::fs::read_to_string(&info_path).map_err(|source| ExportError::NotAPartition {
            dir: dir.to_path_buf(),
            source,
        })?;
    let info: PartitionInfo = toml::from_str(&text).map_err(|source| ExportError::Malformed {
        path: info_path.clone(),
        source,
    })?;
    if info.format != FORMAT {
        return Err(PartitionError::Format {
            path: info_path,
            found: info.format,
            expected: FORMAT,
        }
        .into());
    }
    let scenario_path = dir.join("scenario.resolved.toml");
    let scenario_text =
        std::fs::read_to_string(&scenario_path).map_err(|source| ExportError::Read {
            path: scenario_path.clone(),
            source,
        })?;
    let null = |what, file| PartitionError::Null { what, file };
    let out_of_order = |what| PartitionError::OutOfOrder {
        dir: dir.to_path_buf(),
        what,
    };

    let mut by_rep: std::collections::BTreeMap<u32, (Vec<f64>, Vec<f64>)> = Default::default();
    let df = read_parquet(&dir.join("values.parquet"))?;
    let (r, m, v) = (
        df.column("replication")?.u32()?,
        df.column("metric_index")?.u32()?,
        df.column("value")?.f64()?,
    );
    for ((r, m), v) in r.iter().zip(m.iter()).zip(v.iter()) {
        let (r, m) = (
            r.ok_or_else(|| null("replication", "values.parquet"))?,
            m.ok_or_else(|| null("metric index", "values.parquet"))?,
        );
        let vals = &mut by_rep.entry(r).or_default().0;
        if m as usize != vals.len() {
            return Err(out_of_order("values").into());
        }
        vals.push(v.unwrap_or(f64::NAN));
    }
    let df = read_parquet(&dir.join("series.parquet"))?;
    let (r, c, v) = (
        df.column("replication")?.u32()?,
        df.column("cell")?.u32()?,
        df.column("value")?.f64()?,
    );
    for ((r, c), v) in r.iter().zip(c.iter()).zip(v.iter()) {
        let (r, c) = (
            r.ok_or_else(|| null("replication", "series.parquet"))?,
            c.ok_or_else(|| null("cell", "series.parquet"))?,
        );
        let ts = &mut by_rep
            .get_mut(&r)
            .ok_or_else(|| PartitionError::UnknownReplication {
                dir: dir.to_path_buf(),
                replication: r,
            })?
            .1;
        if c as usize != ts.len() {
            return Err(out_of_order("series").into());
        }
        ts.push(v.unwrap_or(f64::NAN));
    }
    let df = read_parquet(&dir.join("histograms.parquet"))?;
    let (k, h, b, c) = (
        df.column("kind")?.str()?,
        df.column("hist")?.u32()?,
        df.column("bucket")?.u32()?,
        df.column("count")?.u64()?,
    );
    let mut buckets = Vec::with_capacity(df.height());
    for (((k, h), b), c) in k.iter().zip(h.iter()).zip(b.iter()).zip(c.iter()) {
        let (Some(k), Some(h), Some(b), Some(c)) = (k, h, b, c) else {
            return Err(PartitionError::NullHistogram {
                dir: dir.to_path_buf(),
            }
            .into());
        };
        buckets.push((k == "first_response", h as usize, b as usize, c));
    }
    Ok(Partition {
        info,
        scenario_text,
        reps: by_rep.into_iter().map(|(i, (v, s))| (i, v, s)).collect(),
        buckets,
    })
}
