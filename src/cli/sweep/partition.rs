//! Sweep shards: the `sweep_partition.toml` a shard writes beside its points' run partitions,
//! reading it back with every checksum checked, and `supportsim merge` of sweep shards.

use super::plan::plan;
use super::write::Sink;
use crate::cli::outputs;
use crate::export::partition::{self, FileSum};
use crate::scenario::Scenario;
use crate::study::sweep::PointResult;
use anyhow::{Context, Result, bail};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// `sweep_partition.toml`: one shard of a sweep. The point results sit in `point-NNNNN/` run
/// partitions beside it; this file records the checksums of the base scenario and of each
/// point's `partition.toml` (which records those of its data files).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SweepPartition {
    pub(super) format: u32,
    pub(super) supportsim_version: String,
    pub(super) scenario_file: String,
    /// Size and SHA-256 of `scenario.resolved.toml` (the base scenario).
    pub(super) scenario: FileSum,
    pub(super) vary: Vec<String>,
    pub(super) frontier_metric: Option<String>,
    pub(super) seed: u64,
    pub(super) replications: u32,
    pub(super) points: u32,
    pub(super) shard_index: u32,
    pub(super) shard_count: u32,
    /// Size and SHA-256 of `point-NNNNN/partition.toml`, by folder name.
    pub(super) point_partitions: BTreeMap<String, FileSum>,
}

/// The layout version alone, read first so an old shard gets the right message.
#[derive(serde::Deserialize)]
struct Head {
    format: Option<u32>,
}

/// The largest `sweep_partition.toml` read (its point list is small).
const MAX_INFO_BYTES: u64 = 16 << 20;

/// Reads and checks `sweep_partition.toml` and the base scenario of a sweep shard.
fn read_sweep_partition(d: &Path) -> Result<(SweepPartition, String)> {
    let path = d.join("sweep_partition.toml");
    let bytes = partition::read_bounded(&path, MAX_INFO_BYTES).with_context(|| {
        format!(
            "{} is not a sweep shard partition (no readable sweep_partition.toml)",
            d.display()
        )
    })?;
    let text =
        String::from_utf8(bytes).with_context(|| format!("{} is not UTF-8", path.display()))?;
    let head: Head =
        toml::from_str(&text).with_context(|| format!("{} is malformed", path.display()))?;
    anyhow::ensure!(
        head.format == Some(partition::FORMAT),
        "{}: partition format {} is not the {} this supportsim reads (re-run the shard with this version)",
        path.display(),
        head.format.unwrap_or(0),
        partition::FORMAT
    );
    let info: SweepPartition =
        toml::from_str(&text).with_context(|| format!("{} is malformed", path.display()))?;
    let scenario =
        partition::verify_file(&d.join("scenario.resolved.toml"), &info.scenario, 16 << 20)?;
    let scenario = String::from_utf8(scenario)
        .with_context(|| format!("{}/scenario.resolved.toml is not UTF-8", d.display()))?;
    Ok((info, scenario))
}

/// Whether `dir` holds a sweep shard's partition (rather than a run's).
pub(in crate::cli) fn is_sweep_partition(dir: &Path) -> bool {
    dir.join("sweep_partition.toml").exists()
}

/// `supportsim merge` of sweep shards: rebuilds the grid from the stored base scenario and
/// `--vary` expressions, reads every point's results and writes what one machine writes.
pub(in crate::cli) fn merge_sweep(
    dirs: &[PathBuf],
    out: Option<&Path>,
    force: bool,
    quiet: bool,
) -> Result<()> {
    let mut infos = Vec::new();
    for d in dirs {
        infos.push(read_sweep_partition(d)?);
    }
    let (i0, text0) = infos[0].clone();
    for ((i, _), d) in infos.iter().zip(dirs) {
        let what = if i.scenario != i0.scenario {
            Some("base scenario")
        } else if i.vary != i0.vary {
            Some("--vary list")
        } else if i.seed != i0.seed {
            Some("seed")
        } else if i.replications != i0.replications {
            Some("replications")
        } else if i.shard_count != i0.shard_count || i.points != i0.points {
            Some("shard or point count")
        } else if i.frontier_metric != i0.frontier_metric {
            Some("frontier metric")
        } else if i.supportsim_version != i0.supportsim_version {
            Some("supportsim version")
        } else {
            None
        };
        if let Some(what) = what {
            bail!(
                "{} and {} are shards of different sweeps: their {what} differ",
                dirs[0].display(),
                d.display()
            );
        }
    }
    let given: Vec<(u32, &Path)> = infos
        .iter()
        .zip(dirs)
        .map(|((i, _), d)| (i.shard_index, d.as_path()))
        .collect();
    partition::check_shard_set(&given, i0.shard_count, "sweep shard")?;
    let origin = PathBuf::from(&i0.scenario_file);
    let base = Scenario::from_toml_str(&text0, &dirs[0].join("scenario.resolved.toml"))?;
    let plan = plan(
        base,
        &origin,
        &i0.vary,
        Some(i0.replications),
        Some(i0.seed),
        &|_, _, _| Ok(()),
    )?;
    anyhow::ensure!(
        plan.points.len() == i0.points as usize,
        "the stored sweep defines {} points, the shards say {}",
        plan.points.len(),
        i0.points
    );
    let dir = out.map_or_else(
        || Path::new("outputs").join(format!("sweep-{}", plan.base.name)),
        Path::to_path_buf,
    );
    let out_dir = outputs::prepare(&dir, force, quiet)?;
    let mut sink = Sink::new(out_dir, i0.frontier_metric.as_deref())?;
    for k in 0..plan.points.len() {
        outputs::checkpoint();
        let Some((d, (info, _))) = dirs
            .iter()
            .zip(&infos)
            .find(|(_, (i, _))| k % i.shard_count as usize == i.shard_index as usize)
        else {
            bail!("no shard holds point {k} of the sweep");
        };
        let name = format!("point-{k:05}");
        let pd = d.join(&name);
        let sum = info.point_partitions.get(&name).with_context(|| {
            format!(
                "{}: sweep_partition.toml has no checksum for {name}/partition.toml",
                d.display()
            )
        })?;
        partition::verify_file(&pd.join("partition.toml"), sum, 1 << 20)?;
        let (s, mc) = partition::merge(&[pd.as_path()])?;
        anyhow::ensure!(
            toml::to_string(&s.raw)? == toml::to_string(&plan.scenario(k)?.raw)?,
            "{}: the point's scenario is not point {k} of the stored sweep ({}): the partition was edited",
            pd.display(),
            plan.points[k].label()
        );
        sink.push(PointResult {
            summary: mc.summary(),
            values: mc.values,
            unstable: mc.unstable,
            tickets: mc.tickets,
        })?;
    }
    sink.finish(&plan, &i0.scenario_file, quiet, false)
}
