//! Shard partitions: what `run --shard K/N` writes and `merge` reads back.
//!
//! A shard runs replications `K, K+N, K+2N, ...` of a scenario and writes everything `merge`
//! needs to rebuild the whole run's aggregate exactly: each replication's metric values and
//! time series (bit-exact f64 in Parquet), the shard's histogram counts (integers, so their
//! sum does not depend on the split) and counters, plus the resolved scenario.
//! `partition.toml` records the SHA-256 and size of every data file and of the scenario.
//!
//! `merge` trusts nothing it reads: it bounds every file's size before reading it, checks
//! sizes and checksums, that the partitions are the shards of one run (same scenario hash,
//! seed, replications, shard count, version), each exactly once, that every table has the
//! columns, types and row count the scenario implies, and that each replication belongs to its
//! shard; only then it folds the replications in index order as a single machine would, and
//! the ordinary run outputs are written.

mod error;
mod merge;
mod read;

pub use error::{PartitionError, ShardSpecError};
pub use merge::{Checked, check, check_shard_set, merge};
pub use read::{Partition, read_bounded, sha256_hex, verify_file};

use super::Result;
use crate::montecarlo::MonteCarlo;
use crate::scenario::Scenario;
use polars::prelude::*;
use serde::{Deserialize, Serialize};

/// Version of the partition layout: `merge` refuses others (2: checksums and sizes).
pub const FORMAT: u32 = 2;

/// The data files of a partition, each listed with its checksum in `partition.toml`.
pub const DATA_FILES: [&str; 3] = ["values.parquet", "series.parquet", "histograms.parquet"];

/// Which part of a run one machine does: replications `i` with `i % count == index`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardSpec {
    /// 0-based shard index.
    pub index: u32,
    /// Number of shards.
    pub count: u32,
}

impl ShardSpec {
    /// Parses `K/N`, where `K` is a number or the name of an environment variable holding it
    /// (`SLURM_ARRAY_TASK_ID/8`, `$JOB_COMPLETION_INDEX/8`, `AWS_BATCH_JOB_ARRAY_INDEX/8`,
    /// `BATCH_TASK_INDEX/8`), read with `env`, optionally less an offset for 1-based task
    /// numbers (`SLURM_ARRAY_TASK_ID-1/8`).
    ///
    /// # Errors
    /// What is wrong with the spec, quoting it.
    pub fn parse(
        spec: &str,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<ShardSpec, ShardSpecError> {
        let owned = || spec.to_string();
        let (k, n) = spec
            .split_once('/')
            .ok_or_else(|| ShardSpecError::Form { spec: owned() })?;
        let count: u32 = n.trim().parse().map_err(|_| ShardSpecError::Count {
            spec: owned(),
            count: n.to_string(),
        })?;
        if count == 0 {
            return Err(ShardSpecError::ZeroCount { spec: owned() });
        }
        let k = k.trim();
        // `VAR-1` for schedulers that number array tasks from 1 (Slurm `--array=1-8`).
        let (k, offset) = match k.rsplit_once('-') {
            Some((var, d))
                if !var.is_empty() && !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()) =>
            {
                let offset: u32 = d.parse().map_err(|_| ShardSpecError::Index {
                    spec: owned(),
                    index: d.to_string(),
                })?;
                (var.trim(), offset)
            }
            _ => (k, 0),
        };
        let index_text = if k.chars().all(|c| c.is_ascii_digit()) && !k.is_empty() {
            k.to_string()
        } else {
            let var = k.trim_start_matches('$');
            env(var).ok_or_else(|| ShardSpecError::Unset {
                spec: owned(),
                var: var.to_string(),
            })?
        };
        let raw: u32 = index_text
            .trim()
            .parse()
            .map_err(|_| ShardSpecError::Index {
                spec: owned(),
                index: index_text.clone(),
            })?;
        let index = raw
            .checked_sub(offset)
            .ok_or_else(|| ShardSpecError::BelowOffset {
                spec: owned(),
                value: raw,
                offset,
            })?;
        if index >= count {
            return Err(ShardSpecError::IndexTooLarge {
                spec: owned(),
                index,
                count,
            });
        }
        Ok(ShardSpec { index, count })
    }

    /// The replications of `total` this shard runs, ascending.
    pub fn replications(&self, total: u32) -> Vec<u32> {
        (self.index..total).step_by(self.count as usize).collect()
    }
}

/// Size and SHA-256 (lower-case hex) of one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSum {
    /// Size in bytes.
    pub bytes: u64,
    /// SHA-256 of the contents.
    pub sha256: String,
}

impl FileSum {
    /// The size and checksum of `bytes`.
    pub fn of(bytes: &[u8]) -> FileSum {
        FileSum {
            bytes: bytes.len() as u64,
            sha256: sha256_hex(bytes),
        }
    }
}

/// `partition.toml`: what the shard ran.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartitionInfo {
    /// Partition layout version.
    pub format: u32,
    /// supportsim version that wrote it.
    pub supportsim_version: String,
    /// Scenario name.
    pub scenario_name: String,
    /// Size and SHA-256 of `scenario.resolved.toml`: the shards of one run have the same.
    pub scenario: FileSum,
    /// Master seed.
    pub seed: u64,
    /// Replications of the whole run.
    pub replications: u32,
    /// This shard's index.
    pub shard_index: u32,
    /// Number of shards.
    pub shard_count: u32,
    /// Replications of this shard stopped at the open-ticket cap.
    pub unstable: u32,
    /// Events processed by this shard.
    pub events: u64,
    /// Tickets created by this shard.
    pub tickets: u64,
    /// Size and SHA-256 of each data file ([`DATA_FILES`]).
    pub files: std::collections::BTreeMap<String, FileSum>,
}

/// The files of one shard's partition, as (name, bytes).
///
/// # Errors
/// Table building or serialisation failures.
pub fn partition_files(
    s: &Scenario,
    mc: &MonteCarlo,
    shard: ShardSpec,
) -> Result<Vec<(String, Vec<u8>)>> {
    let (mut rep, mut metric, mut value) = (Vec::new(), Vec::new(), Vec::new());
    for (&i, vals) in mc.indices.iter().zip(&mc.values) {
        for (m, v) in vals.iter().enumerate() {
            rep.push(i);
            metric.push(m as u32);
            value.push(*v);
        }
    }
    let mut values = DataFrame::new_infer_height(vec![
        Column::new("replication".into(), rep),
        Column::new("metric_index".into(), metric),
        Column::new("value".into(), value),
    ])?;
    let (mut rep, mut cell, mut value) = (Vec::new(), Vec::new(), Vec::new());
    for (&i, ts) in mc.indices.iter().zip(&mc.rep_series) {
        for (c, v) in ts.iter().enumerate() {
            rep.push(i);
            cell.push(c as u32);
            value.push(*v);
        }
    }
    let mut series = DataFrame::new_infer_height(vec![
        Column::new("replication".into(), rep),
        Column::new("cell".into(), cell),
        Column::new("value".into(), value),
    ])?;
    let (mut kind, mut hist, mut bucket, mut count) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (name, hs) in [
        ("first_response", &mc.fr_hist),
        ("resolution", &mc.res_hist),
    ] {
        for (h, lh) in hs.iter().enumerate() {
            for (b, c) in lh.buckets() {
                kind.push(name);
                hist.push(h as u32);
                bucket.push(b as u32);
                count.push(c);
            }
        }
    }
    let mut hists = DataFrame::new_infer_height(vec![
        Column::new("kind".into(), kind),
        Column::new("hist".into(), hist),
        Column::new("bucket".into(), bucket),
        Column::new("count".into(), count),
    ])?;
    let scenario = toml::to_string(&s.raw)?.into_bytes();
    let data = [
        super::tables::parquet_bytes(&mut values)?,
        super::tables::parquet_bytes(&mut series)?,
        super::tables::parquet_bytes(&mut hists)?,
    ];
    let info = PartitionInfo {
        format: FORMAT,
        supportsim_version: env!("CARGO_PKG_VERSION").to_string(),
        scenario_name: s.name.clone(),
        scenario: FileSum::of(&scenario),
        seed: s.run.seed,
        replications: s.run.replications,
        shard_index: shard.index,
        shard_count: shard.count,
        unstable: mc.unstable,
        events: mc.events,
        tickets: mc.tickets,
        files: DATA_FILES
            .iter()
            .zip(&data)
            .map(|(n, b)| (n.to_string(), FileSum::of(b)))
            .collect(),
    };
    let mut out = vec![
        (
            "partition.toml".to_string(),
            format!(
                "# One shard of a supportsim run: combine the shards with `supportsim merge`.\n{}",
                toml::to_string(&info)?
            )
            .into_bytes(),
        ),
        ("scenario.resolved.toml".to_string(), scenario),
    ];
    out.extend(DATA_FILES.iter().map(|n| n.to_string()).zip(data));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Option<String> {
        (name == "SLURM_ARRAY_TASK_ID").then(|| "3".to_string())
    }

    #[test]
    fn shard_specs_parse_numbers_and_variables() {
        assert_eq!(
            ShardSpec::parse("1/4", env),
            Ok(ShardSpec { index: 1, count: 4 })
        );
        assert_eq!(
            ShardSpec::parse("SLURM_ARRAY_TASK_ID/8", env),
            Ok(ShardSpec { index: 3, count: 8 })
        );
        assert_eq!(
            ShardSpec::parse("$SLURM_ARRAY_TASK_ID/8", env)
                .unwrap()
                .index,
            3
        );
        assert_eq!(
            ShardSpec::parse("SLURM_ARRAY_TASK_ID-1/8", env),
            Ok(ShardSpec { index: 2, count: 8 })
        );
        assert_eq!(
            ShardSpec::parse("SLURM_ARRAY_TASK_ID-3/8", env),
            Ok(ShardSpec { index: 0, count: 8 })
        );
        assert_eq!(ShardSpec { index: 1, count: 3 }.replications(8), [1, 4, 7]);
    }

    #[test]
    fn bad_shard_specs_say_what_is_wrong() {
        for (spec, want) in [
            ("3", "expected K/N"),
            ("4/4", "must be below the shard count 4"),
            ("1/0", "at least 1"),
            ("1/x", "not a positive whole number"),
            ("JOB_COMPLETION_INDEX/4", "JOB_COMPLETION_INDEX is not set"),
            ("SLURM_ARRAY_TASK_ID-4/8", "is 3, below the offset 4"),
            ("SLURM_ARRAY_TASK_ID/2", "numbers its tasks from 1"),
        ] {
            let e = ShardSpec::parse(spec, env).unwrap_err().to_string();
            assert!(e.contains(want), "{spec}: {e}");
        }
    }
}
