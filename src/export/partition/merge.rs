//! Combining partitions: checking that they are the shards of one run, each exactly once,
//! and folding them into the aggregate a single machine would have.

use super::{Partition, PartitionError};
use crate::montecarlo::MonteCarlo;
use crate::scenario::Scenario;
use crate::stats::hist::LogHistogram;
use std::path::Path;

/// Checks that the partitions given, as `(shard index, folder)`, hold each of the `count`
/// shards exactly once; `what` names them in messages (`shard`, `sweep shard`).
///
/// # Errors
/// A repeated, out-of-range or missing shard, naming the folders.
pub fn check_shard_set(
    given: &[(u32, &Path)],
    count: u32,
    what: &str,
) -> Result<(), PartitionError> {
    let mut seen: Vec<Option<&Path>> = vec![None; count as usize];
    for &(k, dir) in given {
        match seen.get_mut(k as usize) {
            Some(slot @ None) => *slot = Some(dir),
            Some(Some(other)) => {
                return Err(PartitionError::ShardTwice {
                    index: k,
                    count,
                    first: other.to_path_buf(),
                    second: dir.to_path_buf(),
                });
            }
            None => {
                return Err(PartitionError::ShardOutOfRange {
                    dir: dir.to_path_buf(),
                });
            }
        }
    }
    let missing: Vec<String> = seen
        .iter()
        .enumerate()
        .filter(|(_, s)| s.is_none())
        .map(|(k, _)| format!("{k}/{count}"))
        .collect();
    if !missing.is_empty() {
        return Err(PartitionError::MissingShards {
            what: what.to_string(),
            missing,
            first: given
                .first()
                .map_or_else(Default::default, |g| g.1.to_path_buf()),
        });
    }
    Ok(())
}

/// Combines partitions into the scenario and the aggregate a single-machine run of it gives.
///
/// # Errors
/// Partitions of different runs (scenario, seed, replications, shard count), a missing or
/// repeated shard, or data that does not fit the scenario.
pub fn merge(
    dirs: &[&Path],
    parts: Vec<Partition>,
) -> Result<(Scenario, MonteCarlo), PartitionError> {
    let Some(first) = parts.first() else {
        return Err(PartitionError::Empty);
    };
    let (i0, text0, dir0) = (first.info.clone(), first.scenario_text.clone(), dirs[0]);
    for (p, dir) in parts.iter().zip(dirs) {
        let i = &p.info;
        if p.scenario_text != text0
            || i.seed != i0.seed
            || i.replications != i0.replications
            || i.shard_count != i0.shard_count
        {
            return Err(PartitionError::DifferentRuns {
                first: dir0.to_path_buf(),
                other: dir.to_path_buf(),
            });
        }
        if i.supportsim_version != i0.supportsim_version {
            return Err(PartitionError::DifferentVersions {
                first: dir0.to_path_buf(),
                first_version: i0.supportsim_version.clone(),
                other: dir.to_path_buf(),
                other_version: i.supportsim_version.clone(),
            });
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
            v[h].add_bucket(b, c)?;
        }
        reps.extend(p.reps);
    }
    // Histogram lists have one entry per group whatever the data: size them like a run does.
    let groups = crate::engine::Recorder::new(&s).fr_hist.len();
    fr.resize(groups.max(fr.len()), LogHistogram::new());
    res.resize(groups.max(res.len()), LogHistogram::new());
    let mc = MonteCarlo::from_parts(&s, reps, fr, res, unstable, events, tickets)?;
    if mc.values.len() != i0.replications as usize {
        return Err(PartitionError::ReplicationCount {
            held: mc.values.len(),
            expected: i0.replications,
        });
    }
    Ok((s, mc))
}
