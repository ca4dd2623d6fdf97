//! `supportsim sweep FILE --vary KEY=VALUES ...`: a grid of scenario variants on common random
//! numbers, one table of every metric per point, charts, and the cost vs SLA frontier.
//!
//! - `mod.rs`: the arguments and the run: points in chunks on the thread pool, each point's
//!   scenario built when it runs, results handed on in grid order.
//! - `plan.rs`: the grid and its validation, before anything runs.
//! - `write.rs`: streaming the points' tables to the staging folder, then the frontier,
//!   tables, charts and commit.
//! - `print.rs`: the terminal table and `sweep_info.toml`.
//! - `partition.rs`: `--shard` partitions and `merge` of them.

mod partition;
mod plan;
mod print;
mod write;

pub(super) use partition::{is_sweep_partition, merge_sweep};

use super::common::{CommonArgs, RunContext, ShardArgs, default_out};
use super::outputs;
use crate::export::OutputSet;
use crate::export::partition::{self as run_partition, FileSum, ShardSpec};
use crate::montecarlo::MonteCarlo;
use crate::scenario::Scenario;
use crate::study::sweep::PointResult;
use anyhow::Result;
use clap::Args;
use partition::SweepPartition;
use plan::{Plan, check_frontier};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::PathBuf;
use write::Sink;

/// Arguments of `supportsim sweep`.
#[derive(Debug, Args)]
#[command(
    mut_arg("replications", |a| a.help(
        "Replications per point (overrides the file's `run.replications`).",
    )),
    mut_arg("seed", |a| a.help(
        "Master seed shared by every point (overrides the file's `run.seed`).",
    )),
    mut_arg("out", |a| a.help("Output folder; default `outputs/sweep-<scenario name>/`.")),
    mut_arg("shard", |a| a.help(
        "Run only shard K of N: points K, K+N, K+2N, ... (K 0-based, or an environment \
         variable such as `SLURM_ARRAY_TASK_ID`), writing a partition for `supportsim merge` \
         to `outputs/sweep-<name>/shard-K-of-N/` (or `--out`).",
    )),
)]
pub struct SweepArgs {
    /// Scenario file (TOML): the base every point changes.
    pub file: PathBuf,
    /// A varied key and its values, repeatable: `KEY=a,b,c` or `KEY=lo..hi:step` (inclusive of
    /// hi when it lands on the grid; step 1 when omitted). KEY is a scalar key's dotted path:
    /// `model`, `demand.growth_per_month`, `pools.l1.headcount` (pools by name; a pool staffed
    /// by shifts: `pools.l1.shifts.early.headcount`, shifts by name), `tiers.2.…` (tiers by
    /// level). Replaces the file's `[sweep] vary` list when given.
    #[arg(long, value_name = "KEY=VALUES")]
    pub vary: Vec<String>,
    /// Replications, seed, threads, output folder, quiet.
    #[command(flatten)]
    pub common: CommonArgs,
    /// Benefit axis of the cost frontier, a metric of group `all`; default
    /// `sla_resolution_attainment` (`sla_first_response_attainment` when the file has only
    /// first-response targets).
    #[arg(long)]
    pub frontier_metric: Option<String>,
    /// `--shard K/N`.
    #[command(flatten)]
    pub shard: ShardArgs,
}

pub(super) fn sweep(args: &SweepArgs) -> Result<()> {
    args.common.check_values(2)?;
    let base = crate::cli::load::scenario(&args.file)?;
    let shard = args.shard.spec()?;
    let threads = args.common.thread_count();
    let budget_label = std::cell::RefCell::new(String::new());
    let check_budget = |s: &Scenario, reps: u32, points: usize| -> Result<()> {
        let mine = match shard {
            Some(sh) => points
                .saturating_sub(sh.index as usize)
                .div_ceil(sh.count as usize),
            None => points,
        };
        let b = args.common.budget(
            s,
            crate::budget::Work {
                scenarios: mine as u64,
                replications: reps,
                threads,
                // A sweep streams each point's replication rows to scratch files as the
                // point ends (`export::sweep_rows`): its peak is flat in the points (174 MB at
                // 50 and at 200 points of 200 replications), not every point's values at once.
                keep_all: false,
                keep_series: shard.is_some(),
                tickets: false,
                series_table: false,
                replication_table: true,
            },
        )?;
        *budget_label.borrow_mut() = b.label();
        if args.common.xlsx && shard.is_none() {
            // One row per metric per point, known before any point is built or run
            // (estimated on the base's metrics; the sheet is checked again when written).
            let metrics = crate::measure::Catalog::new(s).defs.len();
            crate::export::xlsx::check_rows("sweep", (points * metrics) as f64)?;
        }
        Ok(())
    };
    let plan = plan::plan(
        base,
        &args.file,
        &args.vary,
        args.common.replications,
        args.common.seed,
        &check_budget,
    )?;
    check_frontier(args.frontier_metric.as_deref(), &plan.scenario(0)?)?;
    let (reps, n) = (plan.reps, plan.points.len());

    let mine: Vec<usize> = match shard {
        Some(sh) => (sh.index as usize..n).step_by(sh.count as usize).collect(),
        None => (0..n).collect(),
    };

    let RunContext { pool, out, quiet } = args.common.context(
        || default_out(&format!("sweep-{}", plan.base.name), shard),
        plan.base
            .warnings
            .iter()
            .chain(&plan.notes)
            .cloned()
            .collect::<Vec<_>>(),
    )?;
    let total = reps as u64 * mine.len() as u64;
    let bar = super::progress_bar(total, quiet);
    bar.set_message(format!("{} points ({})", mine.len(), budget_label.borrow()));
    let tick = || {
        bar.inc(1);
        outputs::checkpoint();
    };
    // Points run a chunk at a time on the pool and are handed on in grid order, so outputs
    // do not depend on the thread count and only a chunk's full results are in memory.
    let chunk = (threads * 4).max(4);
    if let Some(sh) = shard {
        let mut out = out;
        let all: Vec<u32> = (0..reps).collect();
        let mut point_partitions = BTreeMap::new();
        for ks in mine.chunks(chunk) {
            let done: Vec<Result<(usize, OutputSet)>> = pool.install(|| {
                ks.par_iter()
                    .map(|&k| {
                        let s = plan.scenario(k)?;
                        let mc = MonteCarlo::run_shard(&s, &all, &tick);
                        let whole = ShardSpec { index: 0, count: 1 };
                        let mut set = OutputSet::default();
                        for (name, bytes) in run_partition::partition_files(&s, &mc, whole)? {
                            set.add(format!("point-{k:05}/{name}"), bytes);
                        }
                        Ok((k, set))
                    })
                    .collect()
            });
            for d in done {
                let (k, set) = d?;
                outputs::checkpoint();
                let name = format!("point-{k:05}");
                if let Some(bytes) = set.get(&format!("{name}/partition.toml")) {
                    point_partitions.insert(name, FileSum::of(bytes));
                }
                out.write(&set)?;
            }
        }
        let base = &plan.base;
        let scenario = toml::to_string(&base.raw)?.into_bytes();
        bar.finish_and_clear();
        let info = SweepPartition {
            format: run_partition::FORMAT,
            supportsim_version: env!("CARGO_PKG_VERSION").to_string(),
            scenario_file: args.file.display().to_string(),
            vary: plan.exprs.clone(),
            frontier_metric: args.frontier_metric.clone(),
            seed: plan.seed,
            replications: reps,
            points: n as u32,
            shard_index: sh.index,
            shard_count: sh.count,
            scenario: FileSum::of(&scenario),
            point_partitions,
        };
        let mut set = OutputSet::default();
        set.add(
            "sweep_partition.toml",
            format!(
                "# One shard of a supportsim sweep: combine the shards with `supportsim merge`.\n{}",
                toml::to_string(&info)?
            )
            .into_bytes(),
        );
        set.add("scenario.resolved.toml", scenario);
        let done = outputs::commit(out, &set)?;
        if !quiet {
            println!(
                "shard {}/{} of the sweep of {}: ran {} of {} points x {reps} replications; partition written to {}/",
                sh.index,
                sh.count,
                base.name,
                mine.len(),
                n,
                done.dir.display()
            );
        }
        return Ok(());
    }
    let mut sink = Sink::new(out, args.frontier_metric.as_deref())?;
    for ks in mine.chunks(chunk) {
        let done: Vec<Result<PointResult>> =
            pool.install(|| ks.par_iter().map(|&k| run_point(&plan, k, &tick)).collect());
        outputs::checkpoint();
        for r in done {
            sink.push(r?)?;
        }
    }
    bar.finish_and_clear();
    outputs::checkpoint();
    sink.finish(
        &plan,
        &args.file.display().to_string(),
        quiet,
        args.common.xlsx,
    )
}

/// Runs point `k` and checks every value is finite.
fn run_point(plan: &Plan, k: usize, tick: &(dyn Fn() + Sync)) -> Result<PointResult> {
    let s = plan.scenario(k)?;
    let mc = MonteCarlo::run(&s, plan.reps, tick);
    let infinite = crate::montecarlo::infinite_in(&crate::measure::Catalog::new(&s), &mc.values);
    anyhow::ensure!(
        infinite.is_empty(),
        "point {}: infinite values for {}; nothing was written",
        plan.points[k].label(),
        infinite.join(", ")
    );
    Ok(PointResult {
        summary: mc.summary(),
        values: mc.values,
        unstable: mc.unstable,
        tickets: mc.tickets,
    })
}
