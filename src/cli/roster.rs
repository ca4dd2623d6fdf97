//! `supportsim roster FILE --target EXPR ...`: how many agents work each allowed shift
//! pattern to cover the interval requirements at least cost (an integer program), then
//! simulated and repaired until every target holds (see [`crate::study::roster`]).

use super::common::{CommonArgs, RunContext, default_out};
use super::outputs;
use crate::export::roster::{coverage_chart, coverage_df, roster_df, rounds_df, sla_df};
use crate::export::{OutputSet, tables};
use crate::scenario::Scenario;
use crate::scenario::limits::MAX_REPLICATIONS;
use crate::study::requirements;
use crate::study::roster::repair::{Evaluation, Stop};
use crate::study::roster::{self, Outcome, Settings};
use crate::study::staff::{self, Target};
use anyhow::{Context, Result};
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `supportsim roster`.
#[derive(Debug, Args)]
#[command(
    mut_arg("replications", |a| a.help(
        "Replications per simulate-and-repair round (overrides `run.replications`).",
    )),
    mut_arg("seed", |a| a.help(
        "Seed of the rounds (overrides `run.seed`); the confirmation uses seed + 1,000,000.",
    )),
    mut_arg("out", |a| a.help("Output folder; default `outputs/roster-<scenario name>/`.")),
)]
pub struct RosterArgs {
    /// Scenario file (TOML); its optional `[roster]` section lists the allowed patterns.
    pub file: PathBuf,
    /// A target the simulated roster must meet, repeatable (as for `staff`), e.g.
    /// `first_response.P1.attainment >= 0.8`, `resolution.all.p90_hours <= 24`.
    #[arg(long, value_name = "EXPR", required = true)]
    pub target: Vec<String>,
    /// One-sided confidence of the bounds compared with the targets.
    #[arg(long, default_value_t = 0.95)]
    pub confidence: f64,
    /// Requirement interval length [minutes].
    #[arg(long, default_value_t = 30, value_parser = clap::builder::TypedValueParser::map(
        clap::builder::PossibleValuesParser::new(["15", "30"]),
        |s: String| s.parse::<u32>().expect("15 or 30"),
    ))]
    pub interval: u32,
    /// Which whole week of the measured window the requirements are taken from (1 = the
    /// first after the warm-up).
    #[arg(long, default_value_t = 1)]
    pub week: u32,
    /// Most simulate-and-repair rounds after the first roster (overrides
    /// `roster.max_repairs`; default 6).
    #[arg(long)]
    pub max_repairs: Option<u32>,
    /// Most simulations of the trim that removes agents no target needs once every target
    /// holds (overrides `roster.max_trim_evaluations`; default 200; 0 = no trim).
    #[arg(long)]
    pub max_trim_evaluations: Option<u32>,
    /// Replications of the confirmation run; default: the rounds'.
    #[arg(long)]
    pub confirm_replications: Option<u32>,
    /// Replications, seed, threads, output folder, quiet.
    #[command(flatten)]
    pub common: CommonArgs,
}

pub(super) fn roster(args: &RosterArgs) -> Result<()> {
    args.common.check_values(2)?;
    anyhow::ensure!(
        args.week >= 1,
        "--week {}: weeks count from 1 (the first whole week after the warm-up)",
        args.week
    );
    if let Some(n) = args.confirm_replications {
        anyhow::ensure!(
            (2..=MAX_REPLICATIONS).contains(&n),
            "--confirm-replications must be between 2 and {MAX_REPLICATIONS}, got {n}"
        );
    }
    let started = std::time::Instant::now();
    let base = super::load::scenario(&args.file)?;
    let reps = args.common.replications.unwrap_or(base.run.replications);
    let targets = staff::parse_targets(&args.target, &base)?;
    let settings = Settings {
        requirements: requirements::Settings {
            interval_min: f64::from(args.interval),
            week: args.week - 1,
            live_target: None,
        },
        targets,
        confidence: args.confidence,
        seed: args.common.seed.unwrap_or(base.run.seed),
        replications: reps,
        confirm_replications: args.confirm_replications.unwrap_or(reps),
        max_repairs: args
            .max_repairs
            .or(base.raw.roster.as_ref().and_then(|r| r.max_repairs))
            .unwrap_or(roster::DEFAULT_MAX_REPAIRS),
        max_trim_evaluations: args
            .max_trim_evaluations
            .or(base
                .raw
                .roster
                .as_ref()
                .and_then(|r| r.max_trim_evaluations))
            .unwrap_or(roster::DEFAULT_MAX_TRIM_EVALUATIONS),
    };
    // The bound, not the typical count: the trim stops at the first target it breaks in
    // each pattern, so most rosters use a fraction of its evaluations.
    let most =
        crate::budget::roster_simulations(settings.max_repairs, settings.max_trim_evaluations);
    args.common
        .budget(
            &base,
            crate::budget::roster_work(
                settings.max_repairs,
                settings.max_trim_evaluations,
                reps,
                settings.confirm_replications,
                args.common.thread_count(),
            ),
        )
        .with_context(|| {
            format!(
                "roster: up to {most} simulations x {reps} replications (the first round, {} repairs, {} trim evaluations), then a confirmation of {} replications; lower --max-trim-evaluations, --max-repairs or --replications",
                settings.max_repairs, settings.max_trim_evaluations, settings.confirm_replications
            )
        })?;
    let RunContext { pool, out, quiet } = args.common.context(
        || default_out(&format!("roster-{}", base.name), None),
        base.warnings.clone(),
    )?;
    let bar = super::replication_spinner(quiet, format!("roster of {}", base.name));
    let tick = || {
        bar.inc(1);
        outputs::checkpoint();
    };
    let o = pool
        .install(|| roster::roster(&base, &args.file, &settings, &tick, &outputs::checkpoint))
        .with_context(|| format!("roster of {}", args.file.display()))?;
    bar.finish_and_clear();
    outputs::checkpoint();

    let last = &o.last().roster;
    let rostered = roster::scenario(&base, &o.patterns, last, &args.file)?;
    let mut set = OutputSet::default();
    let mut df = roster_df(&o, &base)?;
    set.add("roster.csv", tables::csv_bytes(&mut df)?);
    let mut cov = coverage_df(&o, &base)?;
    set.add("coverage.csv", tables::csv_bytes(&mut cov)?);
    set.add("coverage.parquet", tables::parquet_bytes(&mut cov)?);
    let mut rounds = rounds_df(&o, &settings.targets, settings.seed)?;
    set.add("rounds.csv", tables::csv_bytes(&mut rounds)?);
    let mut sla = sla_df(&o)?;
    set.add("sla.csv", tables::csv_bytes(&mut sla)?);
    for fp in roster::rostered_pools(&base) {
        let c = coverage_chart(&o, &base, fp)?;
        let name = format!("coverage_{}", base.raw.pools[fp].name);
        set.add(format!("charts/{name}.svg"), c.svg.into_bytes());
        set.add(format!("charts/{name}.png"), c.png);
    }
    let mut raw = rostered.raw.clone();
    raw.run.seed = o.confirmation_seed;
    raw.run.replications = settings.confirm_replications;
    set.add(
        "scenario.rostered.toml",
        format!(
            "# Rostered by `supportsim roster` ({} shifts, {:.0} {} a week); seed and replications are the confirmation run's.\n{}",
            last.agents.iter().filter(|a| **a > 0).count(),
            o.confirmed.cost,
            o.cost_model.name(),
            toml::to_string(&raw)?
        )
        .into_bytes(),
    );
    set.add(
        "roster_info.toml",
        info(args, &base, &settings, &o).into_bytes(),
    );
    let done = outputs::commit(out, &set)?;
    if quiet {
        return Ok(());
    }
    let mut w = std::io::stdout().lock();
    print_roster(
        &mut w,
        &base,
        &settings,
        &o,
        started.elapsed().as_secs_f64(),
    )?;
    let note = format!(
        " (run the roster with: supportsim run {}/scenario.rostered.toml)",
        done.dir.display()
    );
    outputs::print_written(&mut w, &done, &note)?;
    Ok(())
}

fn stop_text(s: Stop) -> &'static str {
    match s {
        Stop::Met => "every target holds",
        Stop::Limit => "LIMIT REACHED: a target still fails after the most repair rounds",
        Stop::NoShortfall => {
            "STOPPED: a target fails but no pool's queue shows a shortfall to add agents to"
        }
    }
}

fn info(args: &RosterArgs, s: &Scenario, set: &Settings, o: &Outcome) -> String {
    let targets: Vec<String> = set
        .targets
        .iter()
        .map(|t| format!("{:?}", t.expr))
        .collect();
    format!(
        "# Provenance of this output folder\nsupportsim_version = \"{}\"\nscenario_file = {:?}\nscenario_name = {:?}\ntargets = [{}]\nconfidence = {}\ninterval_min = {}\nweek = {}\nseed = {}\nreplications = {}\nconfirmation_seed = {}\nconfirmation_replications = {}\nmax_repairs = {}\nmax_trim_evaluations = {}\nrounds = {}\nstop = {:?}\ntrim_evaluations = {}\ntrim_removed_agents = {}\ntrim_restored_agents = {}\ntrim_limit_reached = {}\npatterns = {}\ncost = {:?}\nfile_cost_per_week = {}\nroster_cost_per_week = {}\nprogram_cost_per_week = {}\nprogram_optimal = {}\nuncovered_intervals = {}\n",
        env!("CARGO_PKG_VERSION"),
        args.file.display().to_string(),
        s.name,
        targets.join(", "),
        set.confidence,
        args.interval,
        args.week,
        set.seed,
        set.replications,
        o.confirmation_seed,
        set.confirm_replications,
        set.max_repairs,
        set.max_trim_evaluations,
        o.rounds.len(),
        stop_text(o.stop),
        o.trim.as_ref().map_or(0, |t| t.evaluations),
        o.trim.as_ref().map_or(0, |t| t.removed.len()),
        o.trim.as_ref().map_or(0, |t| t.restored),
        o.trim.as_ref().is_some_and(|t| t.limit_reached),
        o.patterns.len(),
        o.cost_model.name(),
        o.file.cost,
        o.confirmed.cost,
        o.repaired().roster.cost_per_week,
        o.repaired().roster.optimal,
        o.last().roster.uncovered.len(),
    )
}

fn num(x: f64, unit: &str) -> String {
    if !x.is_finite() {
        return "-".into();
    }
    if unit == "fraction" {
        format!("{:.1}%", x * 100.0)
    } else {
        format!("{x:.2} {unit}")
    }
}

fn cell(t: &Target, e: &Evaluation, k: usize) -> String {
    let r = &e.targets[k];
    format!(
        "{} ({}{})",
        num(r.mean, t.unit),
        num(r.bound, t.unit),
        if r.met { "" } else { " NO" }
    )
}

fn print_roster(
    out: &mut impl Write,
    s: &Scenario,
    set: &Settings,
    o: &Outcome,
    secs: f64,
) -> Result<()> {
    let unit = o.cost_model.name();
    writeln!(
        out,
        "roster of {} — {} patterns, requirements in {}-minute intervals of the week from {}; {} replications per round (seed {}), one-sided {}% bounds",
        s.name,
        o.patterns.len(),
        o.requirements.settings.interval_min,
        o.requirements.labels.first().map_or("", String::as_str),
        set.replications,
        set.seed,
        set.confidence * 100.0
    )?;
    let last = &o.last().roster;
    let mut t = super::table::new();
    t.set_header(vec![
        "pool",
        "shift",
        "agents",
        "paid h/week each",
        "cost/week",
    ]);
    for (p, a) in o.patterns.iter().zip(&last.agents) {
        if *a > 0 {
            t.add_row(vec![
                s.raw.pools[p.pool].name.clone(),
                p.label(),
                a.to_string(),
                format!("{:.0}", p.hours_per_week),
                format!("{:.0}", p.cost_per_week * f64::from(*a)),
            ]);
        }
    }
    writeln!(out, "{t}")?;
    let mut t = super::table::new();
    let mut header = vec!["target".to_string(), "file's shifts".into()];
    header.push("round 0 (program)".into());
    if o.rounds.len() > 1 {
        header.push(format!("round {} (repaired)", o.rounds.len() - 1));
    }
    if let Some(t) = &o.trim {
        header.push(format!("trimmed (-{} agents)", t.removed.len()));
    }
    header.push(format!("confirmation (seed {})", o.confirmation_seed));
    t.set_header(header);
    for (k, tg) in set.targets.iter().enumerate() {
        let mut row = vec![
            tg.expr.clone(),
            cell(tg, &o.file, k),
            cell(tg, &o.rounds[0].eval, k),
        ];
        if o.rounds.len() > 1 {
            row.push(cell(tg, &o.repaired().eval, k));
        }
        if let Some(t) = &o.trim {
            row.push(cell(tg, &t.round.eval, k));
        }
        row.push(cell(tg, &o.confirmed, k));
        t.add_row(row);
    }
    let mut costs = vec!["cost/week".to_string(), format!("{:.0}", o.file.cost)];
    costs.push(format!("{:.0}", o.rounds[0].eval.cost));
    if o.rounds.len() > 1 {
        costs.push(format!("{:.0}", o.repaired().eval.cost));
    }
    if let Some(t) = &o.trim {
        costs.push(format!("{:.0}", t.round.eval.cost));
    }
    costs.push(format!("{:.0}", o.confirmed.cost));
    t.add_row(costs);
    writeln!(
        out,
        "simulated targets: mean (one-sided bound); cost in {unit}"
    )?;
    writeln!(out, "{t}")?;
    let raised: usize = o
        .rounds
        .iter()
        .map(|r| r.raised.iter().map(|x| x.1.len()).sum::<usize>())
        .sum();
    writeln!(
        out,
        "{}: {} round(s), {} interval requirement(s) raised by one agent; confirmation {}; roster {:.0} vs file {:.0} {unit} ({:+.1}%); program {}; {:.1} s",
        stop_text(o.stop),
        o.rounds.len(),
        raised,
        if o.confirmed.feasible {
            "meets every target"
        } else {
            "MISSES a target"
        },
        o.confirmed.cost,
        o.file.cost,
        100.0 * (o.confirmed.cost / o.file.cost - 1.0),
        if last.optimal {
            "optimal"
        } else {
            "stopped at its time limit (best found)"
        },
        secs
    )?;
    if let Some(t) = &o.trim {
        writeln!(
            out,
            "trim: {} agent(s) removed that no target needed ({} simulation(s){}){}; --max-trim-evaluations 0 keeps the program's roster",
            t.removed.len(),
            t.evaluations,
            if t.limit_reached {
                ", LIMIT REACHED: more removals were left untried"
            } else {
                ""
            },
            if t.restored > 0 {
                format!(
                    "; {} put back because the fresh seed missed a target",
                    t.restored
                )
            } else {
                String::new()
            },
        )?;
    }
    if let Some(t) = o.trim.as_ref().filter(|t| !t.floored.is_empty()) {
        let pools: Vec<String> = t
            .floored
            .iter()
            .map(|(p, u)| {
                format!(
                    "{} (one agent fewer: estimated utilisation {:.0}%)",
                    s.raw.pools[*p].name,
                    100.0 * u
                )
            })
            .collect();
        writeln!(
            out,
            "note: the trim stopped at the stability floor of {}: the load sets those pools, not the targets, and a pool there runs near full utilisation with long queues. If that matters, add a target that covers it, e.g. --target 'utilisation.{} <= 0.9' or a resolution target",
            pools.join(", "),
            s.raw.pools[t.floored[0].0].name
        )?;
    }
    if !last.uncovered.is_empty() {
        writeln!(
            out,
            "warning: {} interval(s) have a requirement no allowed pattern covers (see coverage.csv); widen [roster] starts, lengths or days",
            last.uncovered.len()
        )?;
    }
    Ok(())
}
