//! What `run`, `compare`, `sweep` and `staff` share: the common options (one flattened clap
//! struct; each subcommand rewords the help where the meaning differs, e.g. replications *per
//! point*) and the run context every one of them sets up before simulating.

use crate::export::output::OutputDir;
use crate::export::partition::ShardSpec;
use anyhow::{Context, Result};
use clap::Args;
use std::path::PathBuf;

/// Options of every simulating subcommand.
#[derive(Debug, Clone, Args)]
pub struct CommonArgs {
    /// Replications (overrides `run.replications`).
    #[arg(long)]
    pub replications: Option<u32>,
    /// Master seed (overrides `run.seed`).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads; default: one per core. Results are identical for any value.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Output folder; default `outputs/<scenario name>/`.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print nothing but errors.
    #[arg(long)]
    pub quiet: bool,
    /// Write into an output folder that holds files supportsim did not write: its earlier
    /// supportsim outputs are replaced, the other files are kept.
    #[arg(long)]
    pub force: bool,
}

/// `--shard K/N` of the subcommands that can split their work over machines.
#[derive(Debug, Clone, Args)]
pub struct ShardArgs {
    /// Run only shard K of N and write a partition for `supportsim merge`. K may name an
    /// environment variable: `SLURM_ARRAY_TASK_ID/8`.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
}

impl ShardArgs {
    /// The parsed spec, reading an index variable from the environment.
    ///
    /// # Errors
    /// A malformed spec or an unset variable.
    pub fn spec(&self) -> Result<Option<ShardSpec>> {
        Ok(self
            .shard
            .as_deref()
            .map(|spec| ShardSpec::parse(spec, |v| std::env::var(v).ok()))
            .transpose()?)
    }
}

/// The default output folder `outputs/<name>/`, with `shard-K-of-N/` below it for a shard.
pub fn default_out(name: &str, shard: Option<ShardSpec>) -> PathBuf {
    let d = PathBuf::from("outputs").join(name);
    match shard {
        Some(sh) => d.join(format!("shard-{}-of-{}", sh.index, sh.count)),
        None => d,
    }
}

/// Where and how a subcommand runs: its worker pool and its prepared output folder.
pub struct RunContext {
    /// Worker threads for the replications (`--threads`, default one per core).
    pub pool: rayon::ThreadPool,
    /// The output folder: checked, with its staging folder ready.
    pub out: OutputDir,
    /// `--quiet`.
    pub quiet: bool,
}

impl CommonArgs {
    /// Chooses the output folder (`--out`, else `default_out`) and prepares it (conflicts,
    /// foreign files, orphaned temporaries, the staging folder), prints `warnings` (unless
    /// `--quiet`), and starts the worker pool: in this order, so a bad folder fails before
    /// anything else happens.
    ///
    /// # Errors
    /// An output folder that cannot be used, or worker threads that cannot start.
    pub fn context(
        &self,
        default_out: impl FnOnce() -> PathBuf,
        warnings: impl IntoIterator<Item = String>,
    ) -> Result<RunContext> {
        let dir = self.out.clone().unwrap_or_else(default_out);
        let out = super::outputs::prepare(&dir, self.force, self.quiet)?;
        if !self.quiet {
            for w in warnings {
                eprintln!("warning: {w}");
            }
        }
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(self.threads.unwrap_or(0))
            .build()
            .context("cannot start worker threads")?;
        Ok(RunContext {
            pool,
            out,
            quiet: self.quiet,
        })
    }
}
