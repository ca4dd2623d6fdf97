//! What `run`, `compare`, `sweep` and `staff` share: the common options (one flattened clap
//! struct; each subcommand rewords the help where the meaning differs, e.g. replications *per
//! point*) and the run context every one of them sets up before simulating.

use crate::budget::{Budget, Limits, Work};
use crate::export::output::OutputDir;
use crate::export::partition::ShardSpec;
use crate::scenario::Scenario;
use crate::scenario::limits::MAX_REPLICATIONS;
use anyhow::{Context, Result};
use clap::Args;
use std::path::PathBuf;

/// Options of every simulating subcommand.
#[derive(Debug, Clone, Args)]
pub struct CommonArgs {
    /// Replications (overrides `run.replications`).
    #[arg(long, value_parser = replications_value)]
    pub replications: Option<u32>,
    /// Master seed (overrides `run.seed`).
    #[arg(long, value_parser = seed_value)]
    pub seed: Option<u64>,
    /// Worker threads; default: one per core. Results are identical for any value.
    #[arg(long, value_parser = threads_value)]
    pub threads: Option<usize>,
    /// Output folder; default a folder under `outputs/` named after the scenario and the
    /// command (`outputs/<name>/` for run, `outputs/<name>-backtest/`, `outputs/staff-<name>/`
    /// ...; see docs/commands.md).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print nothing but errors.
    #[arg(long)]
    pub quiet: bool,
    /// Also write `tables.xlsx`: one Excel sheet per table (numbers as numbers, dates and
    /// times as Excel datetimes), in the output folder with the rest.
    #[arg(long)]
    pub xlsx: bool,
    /// Run even when the resource estimate exceeds the limits (2 GB of memory, one hour,
    /// 20 GB of per-ticket records), and write into an output folder that holds files
    /// supportsim did not write (they are kept; its earlier outputs are replaced).
    #[arg(long)]
    pub force: bool,
}

/// `v` as a whole number, else the message `expected a whole number {range}`: clap's own
/// (`invalid digit found in string`, or `-5 is not in 0..=4294967295` offering a 0 that is
/// refused) does not say what the option takes. Ranges are checked by
/// [`CommonArgs::check_values`].
fn whole<T: std::str::FromStr>(v: &str, range: impl FnOnce() -> String) -> Result<T, String> {
    v.trim()
        .parse()
        .map_err(|_| format!("expected a whole number {}", range()))
}

fn replications_value(v: &str) -> Result<u32, String> {
    whole(v, || {
        format!(
            "of replications from 1 (2 where confidence intervals are needed) to {MAX_REPLICATIONS}"
        )
    })
}

fn seed_value(v: &str) -> Result<u64, String> {
    whole(v, || format!("from 0 to {}", i64::MAX))
}

fn threads_value(v: &str) -> Result<usize, String> {
    whole(v, || format!("of threads from 1 to {MAX_THREADS}"))
}

/// Most worker threads `--threads` accepts (each thread has its own stack and replication).
pub const MAX_THREADS: usize = 1024;

/// Largest shard count `--shard K/N` accepts.
pub const MAX_SHARDS: u32 = 100_000;

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
        let spec = self
            .shard
            .as_deref()
            .map(|spec| ShardSpec::parse(spec, |v| std::env::var(v).ok()))
            .transpose()?;
        if let Some(sh) = spec {
            anyhow::ensure!(
                sh.count <= MAX_SHARDS,
                "--shard {}: {} shards; at most {MAX_SHARDS} are supported",
                self.shard.as_deref().unwrap_or_default(),
                sh.count
            );
        }
        Ok(spec)
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
    /// Checks `--replications`, `--seed` and `--threads` before anything is read or run:
    /// `min_replications` is the subcommand's least (2 where confidence intervals are needed).
    ///
    /// # Errors
    /// The first value out of range, naming the option and its range.
    pub fn check_values(&self, min_replications: u32) -> Result<()> {
        if let Some(n) = self.replications {
            anyhow::ensure!(
                n >= min_replications,
                "--replications must be at least {min_replications}{}, got {n}",
                if min_replications > 1 {
                    " (for confidence intervals)"
                } else {
                    ""
                }
            );
            anyhow::ensure!(
                n <= MAX_REPLICATIONS,
                "--replications {n}: at most {MAX_REPLICATIONS} are supported (1,000 give confidence intervals a thirtieth as wide as one replication's spread)"
            );
        }
        if let Some(seed) = self.seed {
            // Seeds are written back into TOML files (scenario.resolved.toml), whose integers
            // are signed 64-bit.
            anyhow::ensure!(
                seed <= i64::MAX as u64,
                "--seed {seed}: must be at most {} (a TOML integer)",
                i64::MAX
            );
        }
        if let Some(t) = self.threads {
            anyhow::ensure!(
                (1..=MAX_THREADS).contains(&t),
                "--threads {t}: must be between 1 and {MAX_THREADS} (omit it for one thread per core)"
            );
        }
        Ok(())
    }

    /// Worker threads the command will use.
    pub fn thread_count(&self) -> usize {
        self.threads.unwrap_or_else(|| {
            std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
        })
    }

    /// The resource estimate of `work` on scenarios like `s`, refused above the limits unless
    /// `--force`.
    ///
    /// # Errors
    /// [`BudgetError`](crate::budget::BudgetError) with the estimate and how to lower it.
    pub fn budget(&self, s: &Scenario, work: Work) -> Result<Budget> {
        let b = crate::budget::estimate(s, work);
        if !self.force {
            b.check(Limits::default(), work.threads)?;
        }
        Ok(b)
    }

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
