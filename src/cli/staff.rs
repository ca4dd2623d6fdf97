//! `supportsim staff FILE --target EXPR ...`: the lowest-cost headcount per pool meeting every
//! target with its one-sided confidence bound, found by marginal analysis on common random
//! numbers and confirmed on fresh seeds (see [`crate::study::staff`]).

use super::common::{CommonArgs, RunContext, ShardArgs, default_out};
use super::outputs;
use crate::export::partition;
use crate::export::staff::{search_log_df, staffing_df, targets_df};
use crate::export::{OutputSet, tables};
use crate::montecarlo::MonteCarlo;
use crate::scenario::Scenario;
use crate::scenario::limits::MAX_REPLICATIONS;
use crate::study::staff::{self, Outcome, Problem};
use anyhow::{Context, Result};
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `supportsim staff`.
#[derive(Debug, Args)]
#[command(
    mut_arg("replications", |a| a.help(
        "Replications per search evaluation (overrides `run.replications`).",
    )),
    mut_arg("seed", |a| a.help(
        "Seed of the search (overrides `run.seed`); the confirmation uses seed + 1,000,000.",
    )),
    mut_arg("out", |a| a.help(
        "Output folder; default `outputs/staff-<scenario name>/` (with `--shard`, \
         `outputs/staff-<name>/shard-K-of-N/`).",
    )),
    mut_arg("shard", |a| a.help(
        "Repeat the (deterministic) search, then run only shard K of N of the confirmation \
         replications of the answer and write a run partition for `supportsim merge`.",
    )),
)]
pub struct StaffArgs {
    /// Scenario file (TOML).
    pub file: PathBuf,
    /// A target, repeatable: `<what> >= <number>` or `<what> <= <number>`, e.g.
    /// `first_response.P1.attainment >= 0.95`, `resolution.all.p90_hours <= 24`,
    /// `abandonment <= 0.05`, `utilisation.l2 <= 0.85`.
    #[arg(long, value_name = "EXPR", required = true)]
    pub target: Vec<String>,
    /// Pools whose headcount is searched, comma-separated; default: every pool. The others
    /// keep the file's headcount.
    #[arg(long, value_name = "A,B")]
    pub pools: Option<String>,
    /// One-sided confidence of the bounds compared with the targets.
    #[arg(long, default_value_t = 0.95)]
    pub confidence: f64,
    /// Replications of the confirmation run; default: the search's.
    #[arg(long)]
    pub confirm_replications: Option<u32>,
    /// Replications, seed, threads, output folder, quiet.
    #[command(flatten)]
    pub common: CommonArgs,
    /// `--shard K/N`.
    #[command(flatten)]
    pub shard: ShardArgs,
}

pub(super) fn staff(args: &StaffArgs) -> Result<()> {
    args.common.check_values(2)?;
    if let Some(n) = args.confirm_replications {
        anyhow::ensure!(
            (2..=MAX_REPLICATIONS).contains(&n),
            "--confirm-replications must be between 2 and {MAX_REPLICATIONS}, got {n}"
        );
    }
    let base = super::load::scenario(&args.file)?;
    let reps = args.common.replications.unwrap_or(base.run.replications);
    let confirm_reps = args.confirm_replications.unwrap_or(reps);
    let seed = args.common.seed.unwrap_or(base.run.seed);
    let problem = staff::problem(
        &base,
        &args.file,
        &args.target,
        args.pools.as_deref(),
        args.confidence,
        seed,
        reps,
        confirm_reps,
    )?;
    let shard = args.shard.spec()?;
    // The search's evaluations run one after another, so its memory is that of the largest;
    // its time is that of every expected evaluation and the confirmation.
    let evaluations = crate::budget::staff_evaluations(problem.pools.len());
    let threads = args.common.thread_count();
    let budget = args
        .common
        .budget(
            &base,
            crate::budget::staff_work(
                problem.pools.len(),
                reps,
                confirm_reps,
                threads,
                shard.is_some(),
            ),
        )
        .with_context(|| {
            format!(
                "staffing search of {} pool(s): about {evaluations} evaluations x {reps} replications, then a confirmation of {confirm_reps} replications",
                problem.pools.len()
            )
        })?;
    let RunContext { pool, out, quiet } = args.common.context(
        || default_out(&format!("staff-{}", base.name), shard),
        base.warnings.clone(),
    )?;
    let bar = super::replication_spinner(
        quiet,
        format!(
            "staffing search on {} (~{evaluations} evaluations, {})",
            base.name,
            budget.label()
        ),
    );
    let tick = || {
        bar.inc(1);
        outputs::checkpoint();
    };

    if let Some(sh) = shard {
        // Every shard repeats the deterministic search, then runs its share of the
        // confirmation replications of the search's answer.
        let mut ev = staff::Evaluator::new(&problem, seed, reps, &tick);
        let start = staff::erlang_start(&base, &problem.pools);
        let answer = pool.install(|| staff::search_from(&mut ev, &start))?;
        let cseed = staff::confirmation_seed(seed);
        let s = problem.scenario(&answer.headcount, cseed, confirm_reps)?;
        let idx = sh.replications(confirm_reps);
        let mc = pool.install(|| MonteCarlo::run_shard(&s, &idx, &tick));
        bar.finish_and_clear();
        outputs::checkpoint();
        let mut set = OutputSet::default();
        for (name, bytes) in partition::partition_files(&s, &mc, sh)? {
            set.add(name, bytes);
        }
        set.add(
            "scenario.staffed.toml",
            staffed_toml(&s, &problem, &answer.headcount)?,
        );
        let done = outputs::commit(out, &set)?;
        if !quiet {
            let plan: Vec<String> = problem
                .pools
                .iter()
                .zip(&answer.headcount)
                .map(|(p, h)| format!("{p}={h}"))
                .collect();
            println!(
                "shard {}/{}: search answer {} ({} evaluations); ran {} of {} confirmation replications (seed {cseed}); partition written to {}/",
                sh.index,
                sh.count,
                plan.join(", "),
                ev.log.len(),
                mc.values.len(),
                confirm_reps,
                done.dir.display()
            );
            println!(
                "combine all {} shards with: supportsim merge <shard folders...> --out <folder>, then check the targets on its summary.csv",
                sh.count
            );
        }
        return Ok(());
    }

    let outcome = pool.install(|| staff::search(&problem, &base, &tick))?;
    bar.finish_and_clear();
    outputs::checkpoint();
    let staffed = problem.scenario(
        &outcome.confirmed.headcount,
        outcome.confirmation_seed,
        confirm_reps,
    )?;

    let mut set = OutputSet::default();
    let mut st = staffing_df(&problem, &outcome)?;
    set.add("staffing.csv", tables::csv_bytes(&mut st)?);
    set.add("staffing.parquet", tables::parquet_bytes(&mut st)?);
    let mut tg = targets_df(&problem, &outcome.confirmed)?;
    set.add("targets.csv", tables::csv_bytes(&mut tg)?);
    let mut log = search_log_df(&outcome, problem.cost)?;
    set.add("search_log.csv", tables::csv_bytes(&mut log)?);
    if args.common.xlsx {
        let sheets = [("staffing", &st), ("targets", &tg), ("search_log", &log)];
        set.add("tables.xlsx", crate::export::xlsx::workbook(&sheets)?);
    }
    set.add(
        "scenario.staffed.toml",
        staffed_toml(&staffed, &problem, &outcome.confirmed.headcount)?,
    );
    set.add(
        "staff_info.toml",
        info(args, &base, &problem, &outcome).into_bytes(),
    );
    crate::export::staff_report::add_report(&mut set, &base, &staffed, &problem, &outcome)?;
    let done = outputs::commit(out, &set)?;
    if quiet {
        return Ok(());
    }
    let mut out = std::io::stdout().lock();
    print_staff(&mut out, &base, &problem, &outcome)?;
    let note = format!(
        " (run the answer with: supportsim run {}/scenario.staffed.toml)",
        done.dir.display()
    );
    outputs::print_written(&mut out, &done, &note)?;
    Ok(())
}

/// The staffed scenario as TOML, runnable with `supportsim run` (its seed and replications
/// are the confirmation's).
fn staffed_toml(s: &Scenario, p: &Problem, h: &[u32]) -> Result<Vec<u8>> {
    let plan: Vec<String> = p
        .pools
        .iter()
        .zip(h)
        .map(|(n, h)| format!("{n}={h}"))
        .collect();
    Ok(format!(
        "# Staffed by `supportsim staff`: {}; seed and replications are the confirmation run's.\n{}",
        plan.join(", "),
        toml::to_string(&s.raw)?
    )
    .into_bytes())
}

fn info(args: &StaffArgs, base: &Scenario, p: &Problem, o: &Outcome) -> String {
    let q = |v: &[String]| {
        v.iter()
            .map(|x| format!("{x:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let targets: Vec<String> = p.targets.iter().map(|t| t.expr.clone()).collect();
    let mut s = format!(
        "# Provenance of this output folder\nsupportsim_version = \"{}\"\nscenario_file = {:?}\nscenario_name = {:?}\ntargets = [{}]\npools = [{}]\nconfidence = {}\nseed = {}\nreplications = {}\nconfirmation_seed = {}\nconfirmation_replications = {}\n# Cost until money costs exist: mean agents on duty over the measured window, summed over pools, x 168 h.\ncost = {:?}\nplanning_occupancy = {}\nsearch_evaluations = {}\nconfirmation_evaluations = {}\ngrid_size_over_explored_ranges = {}\nagents_added_on_confirmation = {}\nsearch_answer_cost = {}\nanswer_cost = {}\n",
        env!("CARGO_PKG_VERSION"),
        args.file.display().to_string(),
        base.name,
        q(&targets),
        q(&p.pools),
        p.confidence,
        p.seed,
        p.replications,
        o.confirmation_seed,
        p.confirm_replications,
        p.cost.name(),
        staff::PLANNING_OCCUPANCY,
        o.search_log.len(),
        o.confirmation_log.len(),
        o.grid_size,
        o.added_on_confirmation,
        o.search_answer.cost,
        o.confirmed.cost,
    );
    s.push_str("\n[answer]\n");
    for (n, h) in o.pools.iter().zip(&o.confirmed.headcount) {
        s.push_str(&format!("{n} = {h}\n"));
    }
    s
}

fn num(x: f64, unit: &str) -> String {
    if !x.is_finite() {
        return "-".into();
    }
    if unit == "fraction" {
        format!("{:.2}%", x * 100.0)
    } else {
        format!("{x:.2} {unit}")
    }
}

/// A margin: percentage points for a share (a margin of 6.1% of 95% would be 5.8 points).
fn margin(x: f64, unit: &str) -> String {
    if x.is_finite() && unit == "fraction" {
        format!("{:+.2} pp", x * 100.0)
    } else {
        num(x, unit)
    }
}

fn print_staff(out: &mut impl Write, base: &Scenario, p: &Problem, o: &Outcome) -> Result<()> {
    writeln!(
        out,
        "staffing search on {} — {} replications per evaluation on common random numbers (seed {}), one-sided {}% bounds",
        base.name,
        p.replications,
        p.seed,
        p.confidence * 100.0
    )?;
    let mut t = super::table::new();
    t.set_header(vec![
        "pool",
        "file headcount",
        "stability floor",
        "Erlang start",
        "search answer",
        "answer",
    ]);
    for (i, n) in o.pools.iter().enumerate() {
        t.add_row(vec![
            n.clone(),
            o.file_headcount[i].to_string(),
            p.floor[i].to_string(),
            o.start[i].to_string(),
            o.search_answer.headcount[i].to_string(),
            o.confirmed.headcount[i].to_string(),
        ]);
    }
    writeln!(out, "{t}")?;
    writeln!(
        out,
        "cost: {:.1} {} (search answer {:.1})",
        o.confirmed.cost,
        p.cost.name(),
        o.search_answer.cost
    )?;
    let mut t = super::table::new();
    t.set_header(vec!["target", "mean", "bound", "margin", "met"]);
    for (tg, r) in p.targets.iter().zip(&o.confirmed.targets) {
        t.add_row(vec![
            tg.expr.clone(),
            num(r.mean, tg.unit),
            num(r.bound, tg.unit),
            margin(r.margin, tg.unit),
            if r.met { "yes".into() } else { "NO".into() },
        ]);
    }
    writeln!(
        out,
        "confirmation on fresh random numbers (seed {}, {} replications):",
        o.confirmation_seed, p.confirm_replications
    )?;
    writeln!(out, "{t}")?;
    let at_floor: Vec<&str> = o
        .pools
        .iter()
        .enumerate()
        .filter(|&(i, _)| p.floor[i] > 0 && o.confirmed.headcount[i] == p.floor[i])
        .map(|(_, n)| n.as_str())
        .collect();
    if let Some(first) = at_floor.first() {
        // A shift unit (`l1.shifts.night`) is targeted through its pool.
        let pool = crate::study::staff::pool_of_unit(first);
        writeln!(
            out,
            "note: {} {} at the stability floor (the least headcount whose estimated utilisation is below 1). The search may not go lower, so the load sets {}, not the targets, and a pool there runs near full utilisation with long queues. If that matters, add a target that covers it, e.g. --target 'utilisation.{pool} <= 0.9' or a resolution target",
            at_floor.join(", "),
            if at_floor.len() == 1 { "is" } else { "are" },
            if at_floor.len() == 1 { "it" } else { "them" },
        )?;
    }
    if o.added_on_confirmation > 0 {
        writeln!(
            out,
            "the search answer failed a target on the confirmation seed: {} agent(s) were added by marginal analysis on that seed",
            o.added_on_confirmation
        )?;
    }
    writeln!(
        out,
        "evaluations: {} in the search, {} in the confirmation; the full grid over the explored ranges has {} vectors",
        o.search_log.len(),
        o.confirmation_log.len(),
        o.grid_size
    )?;
    if o.confirmed.unstable > 0 {
        writeln!(
            out,
            "WARNING: {} confirmation replications hit run.max_open_tickets",
            o.confirmed.unstable
        )?;
    }
    Ok(())
}
