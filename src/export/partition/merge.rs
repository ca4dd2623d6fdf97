//! Combining partitions: checking that they are the shards of one run, each exactly once,
//! and folding them into the aggregate a single machine would have.

use super::read::{Expect, read_data, read_info};
use super::{PartitionError, PartitionInfo};
use crate::montecarlo::MonteCarlo;
use crate::scenario::Scenario;
use crate::stats::hist::LogHistogram;
use std::path::{Path, PathBuf};

/// Checks that the partitions given, as `(shard index, folder)`, hold each of the `count`
/// shards exactly once; `what` names them in messages (`shard`, `sweep shard`). Memory is in
/// the number given, never in `count` (which comes from a file).
///
/// # Errors
/// A repeated, out-of-range or missing shard, naming the folders.
pub fn check_shard_set(
    given: &[(u32, &Path)],
    count: u32,
    what: &str,
) -> Result<(), PartitionError> {
    let mut sorted: Vec<(u32, &Path)> = given.to_vec();
    sorted.sort_by_key(|g| g.0);
    for w in sorted.windows(2) {
        if w[0].0 == w[1].0 {
            return Err(PartitionError::ShardTwice {
                index: w[0].0,
                count,
                first: w[0].1.to_path_buf(),
                second: w[1].1.to_path_buf(),
            });
        }
    }
    if let Some(&(_, dir)) = sorted.iter().find(|g| g.0 >= count) {
        return Err(PartitionError::ShardOutOfRange {
            dir: dir.to_path_buf(),
        });
    }
    if sorted.len() as u64 == u64::from(count) {
        return Ok(());
    }
    // Name the first few missing shards, walking the gaps between the given ones.
    const NAMED: usize = 10;
    let mut missing = Vec::new();
    let mut next = 0u32;
    let mut total = 0u64;
    for k in sorted.iter().map(|g| g.0).chain([count]) {
        total += u64::from(k - next);
        for m in next..k {
            if missing.len() == NAMED {
                break;
            }
            missing.push(format!("{m}/{count}"));
        }
        next = k + 1;
    }
    if total > missing.len() as u64 {
        missing.push(format!("and {} more", total - missing.len() as u64));
    }
    Err(PartitionError::MissingShards {
        what: what.to_string(),
        missing,
        first: given
            .first()
            .map_or_else(Default::default, |g| g.1.to_path_buf()),
    })
}

/// Partitions whose `partition.toml` and scenario were read and checked against each other:
/// the shards of one run, each once. Their data is read by [`Checked::load`].
#[derive(Debug)]
pub struct Checked {
    dirs: Vec<PathBuf>,
    infos: Vec<PartitionInfo>,
    scenario: Scenario,
}

/// Reads and checks every partition's `partition.toml` and scenario: sizes and checksums,
/// one scenario (by SHA-256), seed, replications, shard count and version for all, each
/// shard once, and `partition.toml` agreeing with its scenario.
///
/// # Errors
/// The first problem, naming the folder or file.
pub fn check(dirs: &[&Path]) -> crate::export::Result<Checked> {
    let Some(&dir0) = dirs.first() else {
        return Err(PartitionError::Empty.into());
    };
    let mut infos = Vec::with_capacity(dirs.len());
    let mut text0 = String::new();
    for (k, dir) in dirs.iter().enumerate() {
        let (info, text) = read_info(dir)?;
        if k == 0 {
            text0 = text;
        }
        infos.push(info);
    }
    let i0 = infos[0].clone();
    for (i, dir) in infos.iter().zip(dirs) {
        let differs = |what| PartitionError::DifferentRuns {
            first: dir0.to_path_buf(),
            other: dir.to_path_buf(),
            what,
        };
        if i.scenario.sha256 != i0.scenario.sha256 {
            return Err(differs("scenario").into());
        }
        if i.seed != i0.seed {
            return Err(differs("seed").into());
        }
        if i.replications != i0.replications {
            return Err(differs("replications").into());
        }
        if i.shard_count != i0.shard_count {
            return Err(differs("shard count").into());
        }
        if i.supportsim_version != i0.supportsim_version {
            return Err(PartitionError::DifferentVersions {
                first: dir0.to_path_buf(),
                first_version: i0.supportsim_version.clone(),
                other: dir.to_path_buf(),
                other_version: i.supportsim_version.clone(),
            }
            .into());
        }
    }
    let given: Vec<(u32, &Path)> = infos
        .iter()
        .zip(dirs)
        .map(|(i, d)| (i.shard_index, *d))
        .collect();
    check_shard_set(&given, i0.shard_count, "shard")?;
    let s = Scenario::from_toml_str(&text0, &dir0.join("scenario.resolved.toml"))
        .map_err(PartitionError::from)?;
    let disagrees = |what: String| PartitionError::Disagrees {
        path: dir0.join("partition.toml"),
        what,
    };
    if i0.scenario_name != s.name {
        return Err(disagrees(format!(
            "scenario_name = {:?}, the scenario is named {:?}",
            i0.scenario_name, s.name
        ))
        .into());
    }
    if i0.seed != s.run.seed || i0.replications != s.run.replications {
        return Err(disagrees(format!(
            "seed = {}, replications = {}, the scenario has seed {} and {} replications",
            i0.seed, i0.replications, s.run.seed, s.run.replications
        ))
        .into());
    }
    Ok(Checked {
        dirs: dirs.iter().map(|d| d.to_path_buf()).collect(),
        infos,
        scenario: s,
    })
}

impl Checked {
    /// The run's scenario.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// Reads every partition's data (checked, see [`super::read::read_data`]) and folds the
    /// replications into the aggregate a single-machine run gives. `between` is called
    /// before each partition (an interruption check).
    ///
    /// # Errors
    /// The first file that fails its checks, or replications that do not make the run.
    pub fn load(self, between: &dyn Fn()) -> crate::export::Result<(Scenario, MonteCarlo)> {
        let s = self.scenario;
        let groups = crate::measure::Recorder::new(&s).fr_hist.len();
        let layout = crate::measure::SeriesLayout::new(&s);
        let expect = Expect {
            metrics: crate::measure::Catalog::new(&s).defs.len(),
            cells: layout.times.len() * layout.columns.len(),
            groups,
        };
        let replications = self.infos[0].replications;
        let mut fr: Vec<LogHistogram> = vec![LogHistogram::new(); groups];
        let mut res: Vec<LogHistogram> = vec![LogHistogram::new(); groups];
        let mut totals = vec![0u64; 2 * groups];
        let (mut unstable, mut events, mut tickets) = (0u32, 0u64, 0u64);
        let mut reps = Vec::new();
        for (dir, info) in self.dirs.iter().zip(self.infos) {
            between();
            let p = read_data(dir, info, expect)?;
            unstable = unstable
                .checked_add(p.info.unstable)
                .ok_or(PartitionError::Overflow { what: "unstable" })?;
            events = events
                .checked_add(p.info.events)
                .ok_or(PartitionError::Overflow { what: "events" })?;
            tickets = tickets
                .checked_add(p.info.tickets)
                .ok_or(PartitionError::Overflow { what: "tickets" })?;
            for (is_fr, h, b, c) in p.buckets {
                let t = &mut totals[h + if is_fr { 0 } else { groups }];
                *t = t.checked_add(c).ok_or(PartitionError::Overflow {
                    what: "histogram counts",
                })?;
                let v = if is_fr { &mut fr } else { &mut res };
                v[h].add_bucket(b, c).map_err(PartitionError::from)?;
            }
            reps.extend(p.reps);
        }
        let mc = MonteCarlo::from_parts(&s, reps, fr, res, unstable, events, tickets)
            .map_err(PartitionError::from)?;
        if mc.values.len() != replications as usize {
            return Err(PartitionError::ReplicationCount {
                held: mc.values.len(),
                expected: replications,
            }
            .into());
        }
        Ok((s, mc))
    }
}

/// Checks and combines the partitions in `dirs` into the scenario and the aggregate a
/// single-machine run of it gives (see [`check`] and [`Checked::load`]).
///
/// # Errors
/// Partitions that are damaged, foreign or incomplete, naming the file and the problem.
pub fn merge(dirs: &[&Path]) -> crate::export::Result<(Scenario, MonteCarlo)> {
    check(dirs)?.load(&|| ())
}
