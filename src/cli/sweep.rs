//! `supportsim sweep FILE --vary KEY=VALUES ...`: a grid of scenario variants on common random
//! numbers, one table of every metric per point, charts, and the cost vs SLA frontier.

use super::common::{CommonArgs, RunContext, ShardArgs, default_out};
use super::outputs;
use crate::export::compare_report::fmt_mean_ci;
use crate::export::output::OutputDir;
use crate::export::partition::{self, FileSum, ShardSpec};
use crate::export::sweep::{SweepView, replications_df, sweep_df};
use crate::export::{OutputSet, tables};
use crate::montecarlo::MonteCarlo;
use crate::scenario::Scenario;
use crate::stats::paired::Direction;
use crate::study::sweep::{self, Point, PointResult, Vary, show};
use anyhow::{Context, Result, bail};
use clap::Args;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

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
    /// `model`, `demand.growth_per_month`, `pools.l1.headcount` (pools by name), `tiers.2.…`
    /// (tiers by level). Replaces the file's `[sweep] vary` list when given.
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

/// `sweep_partition.toml`: one shard of a sweep. The point results sit in `point-NNNNN/` run
/// partitions beside it; this file records the checksums of the base scenario and of each
/// point's `partition.toml` (which records those of its data files).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SweepPartition {
    format: u32,
    supportsim_version: String,
    scenario_file: String,
    /// Size and SHA-256 of `scenario.resolved.toml` (the base scenario).
    scenario: FileSum,
    vary: Vec<String>,
    frontier_metric: Option<String>,
    seed: u64,
    replications: u32,
    points: u32,
    shard_index: u32,
    shard_count: u32,
    /// Size and SHA-256 of `point-NNNNN/partition.toml`, by folder name.
    point_partitions: BTreeMap<String, FileSum>,
}

/// The layout version alone, read first so an old shard gets the right message.
#[derive(serde::Deserialize)]
struct Head {
    format: Option<u32>,
}

/// The largest `sweep_partition.toml` read (its point list is small).
const MAX_INFO_BYTES: u64 = 16 << 20;

/// Everything a sweep is defined by, before anything runs.
struct Plan {
    base: Scenario,
    varies: Vec<Vary>,
    points: Vec<Point>,
    scenarios: Vec<Scenario>,
    exprs: Vec<String>,
    seed: u64,
    reps: u32,
}

/// Builds the grid from a base scenario and `--vary` expressions (or the file's `[sweep]`).
fn plan(
    mut base: Scenario,
    file: &Path,
    vary: &[String],
    replications: Option<u32>,
    seed: Option<u64>,
    budget: &dyn Fn(&Scenario, u32, usize) -> Result<()>,
) -> Result<Plan> {
    let reps = replications.unwrap_or(base.run.replications);
    anyhow::ensure!(
        reps >= 2,
        "--replications must be at least 2 (for confidence intervals)"
    );
    let seed = seed.unwrap_or(base.run.seed);
    // Every point inherits these from the base tree: common random numbers.
    base.raw.run.replications = reps;
    base.raw.run.seed = seed;
    let (exprs, label) = if vary.is_empty() {
        let file = base.raw.sweep.as_ref().map(|s| s.vary.clone());
        (file.unwrap_or_default(), "[sweep] vary")
    } else {
        (vary.to_vec(), "--vary")
    };
    let tree = sweep::base_tree(&base.raw)?;
    let varies = sweep::parse_all(&exprs, &tree, label)?;
    let points = sweep::grid(&varies);
    // Before building every point's scenario: the estimate needs only the base and the count.
    budget(&base, reps, points.len())?;
    let scenarios: Vec<Scenario> = points
        .iter()
        .map(|p| sweep::apply(&tree, &p.settings, file))
        .collect::<Result<_, _>>()?;
    Ok(Plan {
        base,
        varies,
        points,
        scenarios,
        exprs,
        seed,
        reps,
    })
}

/// `--frontier-metric` names a metric of group `all` of the sweep's scenarios: checked before
/// anything runs.
fn check_frontier(frontier: Option<&str>, s: &Scenario) -> Result<()> {
    let Some(m) = frontier else { return Ok(()) };
    let catalog = crate::measure::Catalog::new(s);
    if catalog.find(m, "all").is_none() {
        return Err(unknown_frontier(
            m,
            catalog.defs.iter().map(|x| (x.metric, x.group.as_str())),
        ));
    }
    Ok(())
}

/// The error for a `--frontier-metric` that names no metric of group `all` among `rows`
/// (metric, group), listing the ones it could name.
fn unknown_frontier<'a>(m: &str, rows: impl Iterator<Item = (&'a str, &'a str)>) -> anyhow::Error {
    let mut names: Vec<&str> = rows.filter(|(_, g)| *g == "all").map(|(x, _)| x).collect();
    names.dedup();
    anyhow::anyhow!(
        "--frontier-metric {m}: no metric {m:?} with group \"all\" (metrics: {})",
        names.join(", ")
    )
}

/// The frontier metric: the user's, else resolution attainment when any point has a
/// resolution target, else first-response attainment.
fn frontier_metric(
    frontier: Option<&str>,
    scenarios: &[Scenario],
    r: &PointResult,
) -> Result<String> {
    if let Some(m) = frontier {
        if crate::montecarlo::find_row(&r.summary, m, "all").is_none() {
            return Err(unknown_frontier(
                m,
                r.summary.iter().map(|x| (x.metric, x.group.as_str())),
            ));
        }
        return Ok(m.to_string());
    }
    let any = |f: fn(&crate::scenario::SlaTarget) -> bool| {
        scenarios.iter().any(|s| s.sla.targets.iter().any(f))
    };
    Ok(
        if any(|t| t.resolution.is_some()) || !any(|t| t.first_response.is_some()) {
            "sla_resolution_attainment".into()
        } else {
            "sla_first_response_attainment".into()
        },
    )
}

pub(super) fn sweep(args: &SweepArgs) -> Result<()> {
    args.common.check_values(2)?;
    let base = Scenario::load(&args.file)?;
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
                keep_all: true,
                keep_series: shard.is_some(),
                tickets: false,
            },
        )?;
        *budget_label.borrow_mut() = b.label();
        Ok(())
    };
    let Plan {
        base,
        varies,
        points,
        scenarios,
        exprs,
        seed,
        reps,
    } = plan(
        base,
        &args.file,
        &args.vary,
        args.common.replications,
        args.common.seed,
        &check_budget,
    )?;
    check_frontier(args.frontier_metric.as_deref(), &scenarios[0])?;
    let mine: Vec<usize> = match shard {
        Some(sh) => (sh.index as usize..points.len())
            .step_by(sh.count as usize)
            .collect(),
        None => (0..points.len()).collect(),
    };

    let RunContext { pool, out, quiet } = args.common.context(
        || default_out(&format!("sweep-{}", base.name), shard),
        base.warnings.clone(),
    )?;
    let total = reps as u64 * mine.len() as u64;
    let bar = super::progress_bar(total, quiet);
    bar.set_message(format!("{} points ({})", mine.len(), budget_label.borrow()));
    let tick = || {
        bar.inc(1);
        outputs::checkpoint();
    };
    if let Some(sh) = shard {
        let all: Vec<u32> = (0..reps).collect();
        let mut set = OutputSet::default();
        let mut point_partitions = BTreeMap::new();
        for &k in &mine {
            let mc = pool.install(|| MonteCarlo::run_shard(&scenarios[k], &all, &tick));
            let whole = ShardSpec { index: 0, count: 1 };
            for (name, bytes) in partition::partition_files(&scenarios[k], &mc, whole)? {
                if name == "partition.toml" {
                    point_partitions.insert(format!("point-{k:05}"), FileSum::of(&bytes));
                }
                set.add(format!("point-{k:05}/{name}"), bytes);
            }
        }
        let scenario = toml::to_string(&base.raw)?.into_bytes();
        bar.finish_and_clear();
        let info = SweepPartition {
            format: partition::FORMAT,
            supportsim_version: env!("CARGO_PKG_VERSION").to_string(),
            scenario_file: args.file.display().to_string(),
            vary: exprs,
            frontier_metric: args.frontier_metric.clone(),
            seed,
            replications: reps,
            points: points.len() as u32,
            shard_index: sh.index,
            shard_count: sh.count,
            scenario: FileSum::of(&scenario),
            point_partitions,
        };
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
                points.len(),
                done.dir.display()
            );
        }
        return Ok(());
    }
    let results = pool.install(|| sweep::evaluate(&scenarios, reps, &tick));
    bar.finish_and_clear();
    outputs::checkpoint();
    for ((p, s), r) in points.iter().zip(&scenarios).zip(&results) {
        let infinite = crate::montecarlo::infinite_in(&crate::measure::Catalog::new(s), &r.values);
        anyhow::ensure!(
            infinite.is_empty(),
            "point {}: infinite values for {}; nothing was written",
            p.label(),
            infinite.join(", ")
        );
    }
    let file = args.file.display().to_string();
    finish(
        &Plan {
            base,
            varies,
            points,
            scenarios,
            exprs: Vec::new(),
            seed,
            reps,
        },
        &results,
        &file,
        args.frontier_metric.as_deref(),
        quiet,
        out,
    )
}

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
pub(super) fn is_sweep_partition(dir: &Path) -> bool {
    dir.join("sweep_partition.toml").exists()
}

/// `supportsim merge` of sweep shards: rebuilds the grid from the stored base scenario and
/// `--vary` expressions, reads every point's results and writes what one machine writes.
pub(super) fn merge_sweep(
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
    let mut results = Vec::with_capacity(plan.points.len());
    for k in 0..plan.points.len() {
        outputs::checkpoint();
        let d = &dirs
            .iter()
            .zip(&infos)
            .find(|(_, (i, _))| k % i.shard_count as usize == i.shard_index as usize)
            .expect("every shard present")
            .0;
        let (info, _) = infos
            .iter()
            .find(|(i, _)| k % i.shard_count as usize == i.shard_index as usize)
            .expect("every shard present");
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
            toml::to_string(&s.raw)? == toml::to_string(&plan.scenarios[k].raw)?,
            "{}: the point's scenario is not point {k} of the stored sweep ({}): the partition was edited",
            pd.display(),
            plan.points[k].label()
        );
        results.push(PointResult {
            summary: mc.summary(),
            values: mc.values,
            unstable: mc.unstable,
            tickets: mc.tickets,
        });
    }
    finish(
        &plan,
        &results,
        &i0.scenario_file,
        i0.frontier_metric.as_deref(),
        quiet,
        out_dir,
    )
}

/// Frontier, tables, charts, provenance and the terminal table of a finished sweep.
fn finish(
    p: &Plan,
    results: &[PointResult],
    file: &str,
    frontier: Option<&str>,
    quiet: bool,
    out_dir: OutputDir,
) -> Result<()> {
    let (base, varies, points, scenarios, seed, reps) =
        (&p.base, &p.varies, &p.points, &p.scenarios, p.seed, p.reps);

    let metric = frontier_metric(frontier, scenarios, &results[0])?;
    // Money when every point is priced (the run's full cost: pay, invoices, vendor, credits,
    // penalties), else paid agent-hours.
    let priced = scenarios.iter().all(|s| s.costs.is_some());
    let cost_name = if priced {
        "cost_usd_per_week"
    } else {
        "agent_hours_per_week"
    };
    let cost: Vec<f64> = if priced {
        results
            .iter()
            .map(|r| {
                crate::montecarlo::find_row(&r.summary, "cost_usd_per_week", "all")
                    .map_or(f64::NAN, |x| x.estimate.mean)
            })
            .collect()
    } else {
        scenarios.iter().map(sweep::agent_hours_per_week).collect()
    };
    let sign = match Direction::of(&metric) {
        Direction::LowerIsBetter => -1.0,
        _ => 1.0,
    };
    let benefit: Vec<(f64, f64)> = results
        .iter()
        .zip(&cost)
        .map(|(r, &c)| {
            let m = crate::montecarlo::find_row(&r.summary, &metric, "all")
                .map_or(f64::NAN, |x| x.estimate.mean);
            (c, sign * m)
        })
        .collect();
    let pareto = sweep::pareto(&benefit);
    let view = SweepView {
        varies,
        points,
        results,
        cost: &cost,
        cost_name,
        pareto: &pareto,
        frontier_metric: &metric,
    };

    let mut set = OutputSet::default();
    let mut table = sweep_df(&view)?;
    set.add("sweep.csv", tables::csv_bytes(&mut table)?);
    set.add("sweep.parquet", tables::parquet_bytes(&mut table)?);
    let mut reps_df = replications_df(&view)?;
    set.add("replications.parquet", tables::parquet_bytes(&mut reps_df)?);
    crate::export::sweep_report::add_charts_and_report(&mut set, &view, base, seed, reps)?;
    set.add(
        "sweep_info.toml",
        info(file, base, varies, &view, seed, reps).into_bytes(),
    );
    set.add(
        "scenario.resolved.toml",
        toml::to_string(&base.raw)?.into_bytes(),
    );
    let done = outputs::commit(out_dir, &set)?;
    if quiet {
        return Ok(());
    }
    let mut out = std::io::stdout().lock();
    print_sweep(&mut out, &base.name, &view, seed, reps)?;
    outputs::print_written(&mut out, &done, "")?;
    Ok(())
}

fn info(
    file: &str,
    base: &Scenario,
    varies: &[Vary],
    v: &SweepView,
    seed: u64,
    reps: u32,
) -> String {
    let vary: Vec<String> = varies
        .iter()
        .map(|x| {
            let vals: Vec<String> = x.values.iter().map(show).collect();
            format!("{:?}", format!("{}={}", x.key, vals.join(",")))
        })
        .collect();
    let mut s = format!(
        "# Provenance of this output folder\nsupportsim_version = \"{}\"\nscenario_file = {:?}\nscenario_name = {:?}\nseed = {seed}\nreplications = {reps}\nvary = [{}]\nfrontier_metric = {:?}\n# Cost axis: mean total cost per week over replications when every point is priced, else paid (scheduled) agent-hours per week.\ncost = {:?}\n",
        env!("CARGO_PKG_VERSION"),
        file,
        base.name,
        vary.join(", "),
        v.frontier_metric,
        v.cost_name,
    );
    for (k, p) in v.points.iter().enumerate() {
        s.push_str(&format!(
            "\n[[point]]\nindex = {k}\nsettings = {:?}\n{} = {}\npareto_optimal = {}\nunstable_replications = {}\n",
            p.label(),
            v.cost_name,
            v.cost[k],
            v.pareto[k],
            v.results[k].unstable
        ));
    }
    s
}

/// Rows printed in the terminal at most; the table files have every point.
const MAX_ROWS: usize = 60;

/// The terminal table: one row per point with its settings, cost, headline means and 95% CIs,
/// and the Pareto-optimal points flagged.
fn print_sweep(
    out: &mut impl Write,
    name: &str,
    v: &SweepView,
    seed: u64,
    reps: u32,
) -> Result<()> {
    writeln!(
        out,
        "sweep of {name} — {} points x {reps} replications on common random numbers (seed {seed})",
        v.points.len()
    )?;
    let unstable: Vec<String> = v
        .points
        .iter()
        .zip(v.results)
        .filter(|(_, r)| r.unstable > 0)
        .map(|(p, r)| format!("#{} ({}: {} overloaded)", p.index, p.label(), r.unstable))
        .collect();
    if !unstable.is_empty() {
        writeln!(
            out,
            "WARNING: replications stopped at run.max_open_tickets (results there are not steady state): {}",
            unstable.join("; ")
        )?;
    }
    let mut metrics: Vec<(&str, &str)> = vec![
        ("first_response_time_min", "first response"),
        ("resolution_time_min", "resolution"),
        ("sla_resolution_attainment", "SLA resolution met"),
        ("abandonment_rate", "abandonment"),
    ];
    if !metrics.iter().any(|(m, _)| *m == v.frontier_metric) {
        metrics.push((v.frontier_metric, v.frontier_metric));
    }
    metrics.retain(|(m, _)| (0..v.points.len()).any(|k| v.mean(k, m, "all").is_finite()));
    let mut t = super::table::new();
    let mut header = vec!["#".to_string()];
    header.extend(v.varies.iter().map(|x| x.key.clone()));
    header.push(if v.cost_name == "cost_usd_per_week" {
        "USD/week".into()
    } else {
        "agent-h/week".into()
    });
    header.extend(metrics.iter().map(|(_, l)| format!("{l} [95% CI]")));
    header.push("Pareto".into());
    t.set_header(header);
    for (k, p) in v.points.iter().enumerate().take(MAX_ROWS) {
        t.add_row(row(v, k, p, &metrics));
    }
    writeln!(out, "{t}")?;
    if v.points.len() > MAX_ROWS {
        writeln!(
            out,
            "... {} more points in sweep.csv",
            v.points.len() - MAX_ROWS
        )?;
    }
    let best: Vec<String> = v
        .points
        .iter()
        .filter(|p| v.pareto[p.index])
        .map(|p| format!("#{} ({})", p.index, p.label()))
        .collect();
    writeln!(
        out,
        "Pareto-optimal on {} vs {} (no other point costs no more and does at least as well): {}",
        if v.cost_name == "cost_usd_per_week" {
            "USD/week"
        } else {
            "agent-hours/week"
        },
        v.frontier_metric,
        if best.is_empty() {
            "none (metric missing)".into()
        } else {
            best.join(", ")
        }
    )?;
    Ok(())
}

fn row(v: &SweepView, k: usize, p: &Point, metrics: &[(&str, &str)]) -> Vec<String> {
    let mut cells = vec![k.to_string()];
    cells.extend(p.settings.iter().map(|(_, x)| show(x)));
    cells.push(format!("{:.0}", v.cost[k]));
    for (m, _) in metrics {
        cells.push(v.row(k, m, "all").map_or("-".into(), |r| {
            if !r.estimate.mean.is_finite() {
                return "-".into();
            }
            fmt_mean_ci(r.kind, &r.estimate)
        }));
    }
    cells.push(if v.pareto[k] {
        "✓".into()
    } else {
        String::new()
    });
    cells
}
