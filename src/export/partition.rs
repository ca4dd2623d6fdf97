//! Shard partitions: what `run --shard K/N` writes and `merge` reads back.
//!
//! A shard runs replications `K, K+N, K+2N, ...` of a scenario and writes everything `merge`
//! needs to rebuild the whole run's aggregate exactly: each replication's metric values and
//! time series (bit-exact f64 in Parquet), the shard's histogram counts (integers, so their
//! sum does not depend on the split) and counters, plus the resolved scenario. `merge` checks
//! that the partitions belong together, folds the replications in index order as a single
//! machine would, and writes the ordinary run outputs.

use crate::montecarlo::MonteCarlo;
use crate::scenario::Scenario;
use crate::stats::hist::LogHistogram;
use anyhow::{Context, Result, anyhow, bail, ensure};
use polars::prelude::*;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Version of the partition layout: `merge` refuses others.
pub const FORMAT: u32 = 1;

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
    /// (`SLURM_ARRAY_TASK_ID/8`, `$JOB_COMPLETION_INDEX/8`), read with `env`.
    ///
    /// # Errors
    /// A message saying what is wrong with the spec.
    pub fn parse(spec: &str, env: impl Fn(&str) -> Option<String>) -> Result<ShardSpec, String> {
        let (k, n) = spec.split_once('/').ok_or_else(|| {
            format!("--shard {spec:?}: expected K/N, e.g. 0/4 or SLURM_ARRAY_TASK_ID/4")
        })?;
        let count: u32 = n.trim().parse().map_err(|_| {
            format!("--shard {spec:?}: the shard count {n:?} is not a positive whole number")
        })?;
        if count == 0 {
            return Err(format!(
                "--shard {spec:?}: the shard count must be at least 1"
            ));
        }
        let k = k.trim();
        let index_text = if k.chars().all(|c| c.is_ascii_digit()) && !k.is_empty() {
            k.to_string()
        } else {
            let var = k.trim_start_matches('$');
            env(var).ok_or_else(|| {
                format!("--shard {spec:?}: environment variable {var} is not set (the job scheduler sets it for each task)")
            })?
        };
        let index: u32 = index_text.trim().parse().map_err(|_| {
            format!("--shard {spec:?}: shard index {index_text:?} is not a whole number")
        })?;
        if index >= count {
            return Err(format!(
                "--shard {spec:?}: shard index {index} must be below the shard count {count} (indices are 0-based)"
            ));
        }
        Ok(ShardSpec { index, count })
    }

    /// The replications of `total` this shard runs, ascending.
    pub fn replications(&self, total: u32) -> Vec<u32> {
        (self.index..total).step_by(self.count as usize).collect()
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
    let info = PartitionInfo {
        format: FORMAT,
        supportsim_version: env!("CARGO_PKG_VERSION").to_string(),
        scenario_name: s.name.clone(),
        seed: s.run.seed,
        replications: s.run.replications,
        shard_index: shard.index,
        shard_count: shard.count,
        unstable: mc.unstable,
        events: mc.events,
        tickets: mc.tickets,
    };
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
    Ok(vec![
        (
            "partition.toml".into(),
            format!(
                "# One shard of a supportsim run: combine the shards with `supportsim merge`.\n{}",
                toml::to_string(&info)?
            )
            .into_bytes(),
        ),
        (
            "scenario.resolved.toml".into(),
            toml::to_string(&s.raw)?.into_bytes(),
        ),
        (
            "values.parquet".into(),
            super::tables::parquet_bytes(&mut values)?,
        ),
        (
            "series.parquet".into(),
            super::tables::parquet_bytes(&mut series)?,
        ),
        (
            "histograms.parquet".into(),
            super::tables::parquet_bytes(&mut hists)?,
        ),
    ])
}

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
    let f = std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    anyhow::Context::with_context(ParquetReader::new(f).finish(), || {
        format!("{} is not a readable Parquet file", path.display())
    })
}

/// Reads the partition in `dir`.
///
/// # Errors
/// Missing or malformed files, naming the file.
pub fn read_partition(dir: &Path) -> Result<Partition> {
    let info_path = dir.join("partition.toml");
    let text = std::fs::read_to_string(&info_path).with_context(|| {
        format!(
            "{} is not a shard partition (no readable partition.toml; write one with `supportsim run --shard K/N --out {}`)",
            dir.display(),
            dir.display()
        )
    })?;
    let info: PartitionInfo =
        toml::from_str(&text).with_context(|| format!("{} is malformed", info_path.display()))?;
    ensure!(
        info.format == FORMAT,
        "{}: partition format {} is not the {} this supportsim reads",
        info_path.display(),
        info.format,
        FORMAT
    );
    let scenario_path = dir.join("scenario.resolved.toml");
    let scenario_text = std::fs::read_to_string(&scenario_path)
        .with_context(|| format!("cannot read {}", scenario_path.display()))?;

    let mut by_rep: std::collections::BTreeMap<u32, (Vec<f64>, Vec<f64>)> = Default::default();
    let df = read_parquet(&dir.join("values.parquet"))?;
    let (r, m, v) = (
        df.column("replication")?.u32()?,
        df.column("metric_index")?.u32()?,
        df.column("value")?.f64()?,
    );
    for ((r, m), v) in r.iter().zip(m.iter()).zip(v.iter()) {
        let (r, m) = (
            r.ok_or_else(|| anyhow!("null replication in values.parquet"))?,
            m.ok_or_else(|| anyhow!("null metric index in values.parquet"))?,
        );
        let vals = &mut by_rep.entry(r).or_default().0;
        ensure!(
            m as usize == vals.len(),
            "{}: values out of order",
            dir.display()
        );
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
            r.ok_or_else(|| anyhow!("null replication in series.parquet"))?,
            c.ok_or_else(|| anyhow!("null cell in series.parquet"))?,
        );
        let ts = &mut by_rep
            .get_mut(&r)
            .ok_or_else(|| anyhow!("{}: series of unknown replication {r}", dir.display()))?
            .1;
        ensure!(
            c as usize == ts.len(),
            "{}: series out of order",
            dir.display()
        );
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
            bail!("{}: null in histograms.parquet", dir.display());
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

/// Checks that the partitions given, as `(shard index, folder)`, hold each of the `count`
/// shards exactly once; `what` names them in messages (`shard`, `sweep shard`).
///
/// # Errors
/// A repeated, out-of-range or missing shard, naming the folders.
pub fn check_shard_set(given: &[(u32, &Path)], count: u32, what: &str) -> Result<()> {
    let mut seen: Vec<Option<&Path>> = vec![None; count as usize];
    for &(k, dir) in given {
        match seen.get_mut(k as usize) {
            Some(slot @ None) => *slot = Some(dir),
            Some(Some(other)) => bail!(
                "shard {k}/{count} is given twice: {} and {}",
                other.display(),
                dir.display()
            ),
            None => bail!("{}: shard index out of range", dir.display()),
        }
    }
    let missing: Vec<String> = seen
        .iter()
        .enumerate()
        .filter(|(_, s)| s.is_none())
        .map(|(k, _)| format!("{k}/{count}"))
        .collect();
    ensure!(
        missing.is_empty(),
        "missing {what}{} {} of {} (each shard's folder must be given)",
        if missing.len() > 1 { "s" } else { "" },
        missing.join(", "),
        given
            .first()
            .map_or_else(String::new, |g| g.1.display().to_string())
    );
    Ok(())
}

/// Combines partitions into the scenario and the aggregate a single-machine run of it gives.
///
/// # Errors
/// Partitions of different runs (scenario, seed, replications, shard count), a missing or
/// repeated shard, or data that does not fit the scenario.
pub fn merge(dirs: &[&Path], parts: Vec<Partition>) -> Result<(Scenario, MonteCarlo)> {
    let Some(first) = parts.first() else {
        bail!("merge needs at least one partition folder");
    };
    let (i0, text0, dir0) = (first.info.clone(), first.scenario_text.clone(), dirs[0]);
    for (p, dir) in parts.iter().zip(dirs) {
        let i = &p.info;
        if p.scenario_text != text0
            || i.seed != i0.seed
            || i.replications != i0.replications
            || i.shard_count != i0.shard_count
        {
            bail!(
                "{} and {} are shards of different runs (scenario, seed, replications or shard count differ)",
                dir0.display(),
                dir.display()
            );
        }
        if i.supportsim_version != i0.supportsim_version {
            bail!(
                "{} was written by supportsim {} and {} by {}: merge shards of one version",
                dir0.display(),
                i0.supportsim_version,
                dir.display(),
                i.supportsim_version
            );
        }
    }
    let given: Vec<(u32, &Path)> = parts
        .iter()
        .zip(dirs)
        .map(|(p, d)| (p.info.shard_index, *d))
        .collect();
    check_shard_set(&given, i0.shard_count, "shard")?;
    let s = Scenario::from_toml_str(&text0, &dir0.join("scenario.resolved.toml"))?;
    let mut fr: Vec<LogHistogram> = Vec::new();
    let mut res: Vec<LogHistogram> = Vec::new();
    let (mut unstable, mut events, mut tickets) = (0, 0, 0);
    let mut reps = Vec::new();
    for p in parts {
        unstable += p.info.unstable;
        events += p.info.events;
        tickets += p.info.tickets;
        for (is_fr, h, b, c) in p.buckets {
            let v = if is_fr { &mut fr } else { &mut res };
            if v.len() <= h {
                v.resize(h + 1, LogHistogram::new());
            }
            v[h].add_bucket(b, c).map_err(anyhow::Error::msg)?;
        }
        reps.extend(p.reps);
    }
    // Histogram lists have one entry per group whatever the data: size them like a run does.
    let groups = crate::engine::Recorder::new(&s).fr_hist.len();
    fr.resize(groups.max(fr.len()), LogHistogram::new());
    res.resize(groups.max(res.len()), LogHistogram::new());
    let mc = MonteCarlo::from_parts(&s, reps, fr, res, unstable, events, tickets)
        .map_err(anyhow::Error::msg)?;
    ensure!(
        mc.values.len() == i0.replications as usize,
        "the shards hold {} replications, the run has {}",
        mc.values.len(),
        i0.replications
    );
    Ok((s, mc))
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
        ] {
            let e = ShardSpec::parse(spec, env).unwrap_err();
            assert!(e.contains(want), "{spec}: {e}");
        }
    }
}
