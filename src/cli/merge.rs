//! `supportsim merge DIR...`: combines the partitions of `run --shard K/N` (or `sweep --shard
//! K/N`) into the outputs a single-machine run (or sweep) writes, after checking every
//! partition (sizes, checksums, types, one run) before reading its data.

use super::outputs;
use super::run::{print_summary, run_outputs};
use crate::export::partition;
use anyhow::Result;
use clap::Args;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Arguments of `supportsim merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Partition folders written by `supportsim run --shard K/N` or `supportsim sweep --shard
    /// K/N`, one per shard (any order).
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
    /// Output folder; default `outputs/<scenario name>/` (`outputs/sweep-<name>/` for sweeps).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print nothing but errors.
    #[arg(long)]
    pub quiet: bool,
    /// Write into an output folder that holds files supportsim did not write (its earlier
    /// supportsim outputs are replaced, the other files are kept), and merge above the
    /// memory budget.
    #[arg(long)]
    pub force: bool,
}

pub(super) fn merge(args: &MergeArgs) -> Result<()> {
    if let Some(out) = &args.out {
        refuse_out_in_inputs(out, &args.dirs)?;
    }
    let sweeps = args
        .dirs
        .iter()
        .filter(|d| super::sweep::is_sweep_partition(d))
        .count();
    if sweeps == args.dirs.len() {
        return super::sweep::merge_sweep(&args.dirs, args.out.as_deref(), args.force, args.quiet);
    }
    anyhow::ensure!(
        sweeps == 0,
        "some folders hold sweep shards and some run shards: merge the shards of one job at a time"
    );
    let dirs: Vec<&Path> = args.dirs.iter().map(PathBuf::as_path).collect();
    let checked = partition::check(&dirs)?;
    // Every shard's replications (their time series included) are held together, then the
    // whole run's tables are built: estimated before any data is read.
    let whole = checked.scenario();
    let budget = crate::budget::estimate(
        whole,
        crate::budget::Work {
            keep_series: true,
            series_table: true,
            replication_table: true,
            ..crate::budget::Work::simulations(1, whole.run.replications, 1)
        },
    );
    if !args.force {
        budget.check(crate::budget::Limits::default(), 1)?;
    }
    let dir = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("outputs").join(&checked.scenario().name));
    let out = outputs::prepare(&dir, args.force, args.quiet)?;
    let (s, mc) = checked.load(&outputs::checkpoint)?;
    let run_info = format!(
        "# Provenance of this output folder\nsupportsim_version = \"{}\"\nscenario_name = {:?}\nseed = {}\nreplications = {}\nmerged_from = {:?}\n",
        env!("CARGO_PKG_VERSION"),
        s.name,
        s.run.seed,
        s.run.replications,
        args.dirs
            .iter()
            .map(|d| d.display().to_string())
            .collect::<Vec<_>>(),
    );
    let (rows, set) = run_outputs(&s, &mc, run_info, false)?;
    let done = outputs::commit(out, &set)?;
    if args.quiet {
        return Ok(());
    }
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "merged {} shards", args.dirs.len())?;
    print_summary(&mut stdout, &s, &mc, &rows)?;
    outputs::print_written(&mut stdout, &done, "")?;
    Ok(())
}

/// Refuses an output folder that is one of the shard folders or lies inside one: the commit
/// replaces the output folder as a whole, so the shard's partition would be lost.
fn refuse_out_in_inputs(out: &Path, dirs: &[PathBuf]) -> Result<()> {
    // The output may not exist yet: compare its nearest existing ancestor's real path.
    let real = |p: &Path| -> Option<PathBuf> {
        let mut tail = Vec::new();
        let mut cur = p.to_path_buf();
        loop {
            if let Ok(c) = std::fs::canonicalize(&cur) {
                return Some(tail.iter().rev().fold(c, |acc: PathBuf, t| acc.join(t)));
            }
            tail.push(cur.file_name()?.to_owned());
            cur = cur.parent()?.to_path_buf();
            if cur.as_os_str().is_empty() {
                cur = PathBuf::from(".");
            }
        }
    };
    let Some(target) = real(out) else {
        return Ok(());
    };
    for d in dirs {
        if let Ok(shard) = std::fs::canonicalize(d)
            && target.starts_with(&shard)
        {
            anyhow::bail!(
                "--out {}: is the shard folder {} or inside it; merging replaces the output folder as a whole and would delete the shard: choose a folder outside the shards, e.g. their parent",
                out.display(),
                d.display()
            );
        }
    }
    Ok(())
}
