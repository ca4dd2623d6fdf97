//! `supportsim merge DIR...`: combines the partitions of `run --shard K/N` (or `sweep --shard
//! K/N`) into the outputs a single-machine run (or sweep) writes.

use super::run::{print_summary, write_run_outputs};
use crate::export::check_writable;
use crate::export::partition::{self, read_partition};
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
}

pub(super) fn merge(args: &MergeArgs) -> Result<()> {
    let sweeps = args
        .dirs
        .iter()
        .filter(|d| super::sweep::is_sweep_partition(d))
        .count();
    if sweeps == args.dirs.len() {
        return super::sweep::merge_sweep(&args.dirs, args.out.as_deref(), args.quiet);
    }
    anyhow::ensure!(
        sweeps == 0,
        "some folders hold sweep shards and some run shards: merge the shards of one job at a time"
    );
    let parts = args
        .dirs
        .iter()
        .map(|d| read_partition(d))
        .collect::<Result<Vec<_>, _>>()?;
    let dirs: Vec<&Path> = args.dirs.iter().map(PathBuf::as_path).collect();
    let (s, mc) = partition::merge(&dirs, parts)?;
    let out_dir = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("outputs").join(&s.name));
    check_writable(&out_dir)?;
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
    let (rows, names, written) = write_run_outputs(&s, &mc, run_info, &out_dir)?;
    if args.quiet {
        return Ok(());
    }
    let mut out = std::io::stdout().lock();
    writeln!(out, "merged {} shards", args.dirs.len())?;
    print_summary(&mut out, &s, &mc, &rows)?;
    writeln!(
        out,
        "\nwrote {} files to {}/",
        written.len(),
        out_dir.display()
    )?;
    for n in &names {
        writeln!(out, "  {}", n.display())?;
    }
    Ok(())
}
