//! `supportsim plan FILE [--target EXPR ...]`: a capacity plan over the months of `[plan]`:
//! when to hire, and how many, to keep every target through the horizon (see
//! [`crate::study::plan`]); tables per week and month with CIs, the hiring schedule, charts.

use super::common::{CommonArgs, RunContext};
use super::outputs;
use crate::export::plan::{
    attainment_chart, headcount_chart, hires_df, results_df, steps_df, targets_df,
};
use crate::export::{OutputSet, tables};
use crate::study::plan::{self, Evaluation, Measure, Outcome, PlanTarget, Settings, Setup, Span};
use anyhow::{Context, Result};
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `supportsim plan`.
#[derive(Debug, Args)]
#[command(
    mut_arg("replications", |a| a.help(
        "Replications per plan evaluation (overrides `plan.replications`, default 8).",
    )),
    mut_arg("seed", |a| a.help(
        "Seed of the search (overrides `run.seed`); the confirmation uses seed + 1,000,000.",
    )),
    mut_arg("out", |a| a.help("Output folder; default `outputs/plan-<scenario name>/`.")),
)]
pub struct PlanArgs {
    /// Scenario file (TOML) with a `[plan]` table.
    pub file: PathBuf,
    /// A target every month must meet, repeatable (replaces `plan.targets`), e.g.
    /// `first_response.all.attainment >= 0.9`, `resolution.P2.attainment >= 0.85`,
    /// `resolution.all.mean_hours <= 30`, `utilisation.l1 <= 0.85`.
    #[arg(long, value_name = "EXPR")]
    pub target: Vec<String>,
    /// One-sided confidence of the monthly bounds compared with the targets.
    #[arg(long, default_value_t = 0.95)]
    pub confidence: f64,
    /// Only simulate the file's hires (no search); targets are then optional.
    #[arg(long)]
    pub no_search: bool,
    /// Replications, seed, threads, output folder, quiet.
    #[command(flatten)]
    pub common: CommonArgs,
}

pub(super) fn plan(args: &PlanArgs) -> Result<()> {
    args.common.check_values(2)?;
    anyhow::ensure!(
        args.confidence > 0.5 && args.confidence <= crate::study::staff::MAX_CONFIDENCE,
        "--confidence {}: must be above 0.5 and at most {}, e.g. 0.95 (closer to 1, the bound of a few replications is too wide for any staffing to meet)",
        args.confidence,
        crate::study::staff::MAX_CONFIDENCE
    );
    let base = super::load::scenario(&args.file)?;
    let setup = plan::setup(&base, &args.file)?;
    let targets = if !args.target.is_empty() {
        plan::plan_targets(&args.target, &setup)?
    } else if args.no_search && setup.plan.targets.is_empty() {
        Vec::new()
    } else {
        plan::file_targets(&setup, &args.file)?
    };
    let st = Settings {
        targets,
        confidence: args.confidence,
        seed: args.common.seed.unwrap_or(base.run.seed),
        replications: args.common.replications.unwrap_or(setup.plan.replications),
        max_hires: if args.no_search {
            0
        } else {
            setup.plan.max_hires
        },
    };
    // Each hire the search adds costs one evaluation of every replication over the whole
    // horizon, on either seed: the estimate takes the bound (the start, up to max_hires
    // hires over both walks, the confirmation's start and the file's own schedule on it).
    let budget = args.common.budget(
        &setup.scenario,
        crate::budget::Work::simulations(
            3 + u64::from(st.max_hires),
            st.replications,
            args.common.thread_count(),
        ),
    )?;
    let RunContext { pool, out, quiet } = args.common.context(
        || PathBuf::from("outputs").join(format!("plan-{}", base.name)),
        // The file's own warnings: the plan scenario's would judge the file's staff against
        // every month's grown demand, which is what the plan answers.
        base.warnings.clone(),
    )?;
    let bar = super::replication_spinner(
        quiet,
        format!(
            "capacity plan of {} over {} months (at most {} evaluations: {})",
            base.name,
            setup.plan.horizon_months,
            3 + st.max_hires,
            budget.label()
        ),
    );
    let tick = || {
        bar.inc(1);
        outputs::checkpoint();
    };
    let started = std::time::Instant::now();
    let outcome = pool.install(|| plan::search(&setup, &st, &tick));
    bar.finish_and_clear();
    outputs::checkpoint();
    let elapsed = started.elapsed().as_secs_f64();
    let unstable = outcome.confirm.reps.iter().filter(|r| r.unstable).count();
    let req = plan::requirements(&setup);

    let mut set = OutputSet::default();
    let mut results = Vec::new();
    for (name, e, monthly) in [
        ("plan_monthly", &outcome.confirm, true),
        ("plan_weekly", &outcome.confirm, false),
        ("plan_monthly_before", &outcome.before_confirm, true),
    ] {
        let mut df = results_df(&setup, e, monthly, &req)?;
        set.add(format!("{name}.csv"), tables::csv_bytes(&mut df)?);
        set.add(format!("{name}.parquet"), tables::parquet_bytes(&mut df)?);
        results.push((name, df));
    }
    let mut hires = hires_df(&setup, &outcome)?;
    set.add("hires.csv", tables::csv_bytes(&mut hires)?);
    let mut steps = steps_df(&setup, &outcome)?;
    set.add("search_log.csv", tables::csv_bytes(&mut steps)?);
    let mut tg = targets_df(&setup, &st.targets, &outcome.confirm, st.confidence)?;
    set.add("targets.csv", tables::csv_bytes(&mut tg)?);
    if args.common.xlsx {
        let mut sheets: Vec<(&str, &polars::prelude::DataFrame)> =
            results.iter().map(|(n, df)| (*n, df)).collect();
        sheets.extend([("hires", &hires), ("targets", &tg), ("search_log", &steps)]);
        set.add("tables.xlsx", crate::export::xlsx::workbook(&sheets)?);
    }
    let attainment = attainment_chart(&setup, &st.targets, &outcome.confirm)?;
    let headcount = headcount_chart(&setup, &outcome.confirm, &req)?;
    crate::export::plan_report::add_report(
        &mut set,
        &setup,
        &st,
        &outcome,
        &attainment,
        &headcount,
    )?;
    for (name, c) in [
        ("attainment_per_month", attainment),
        ("headcount_per_month", headcount),
    ] {
        set.add(format!("charts/{name}.svg"), c.svg.into_bytes());
        set.add(format!("charts/{name}.png"), c.png);
    }
    set.add(
        "plan_info.toml",
        info(args, &setup, &st, &outcome, elapsed).into_bytes(),
    );
    let done = outputs::commit(out, &set).context("writing the plan's outputs")?;
    if quiet {
        return Ok(());
    }
    let mut o = std::io::stdout().lock();
    print_plan(&mut o, &setup, &st, &outcome, elapsed)?;
    if unstable > 0 {
        writeln!(
            o,
            "warning: {unstable} replication(s) stopped at run.max_open_tickets (queues grew without bound)"
        )?;
    }
    for w in plan::overloaded(&setup, &outcome.confirm, &req) {
        writeln!(o, "{}", overload_warning(&setup, &w))?;
    }
    outputs::print_written(&mut o, &done, "")?;
    Ok(())
}

/// The warning for a pool the plan leaves overloaded: where, by how much, and the fix.
fn overload_warning(setup: &plan::Setup, w: &plan::Overload) -> String {
    let h = &setup.horizon;
    let name = &setup.pools[w.pool];
    let first = w.months[0];
    let last = w.months[w.months.len() - 1];
    let span = if first == last {
        format!("the month from {}", h.month_label(first))
    } else if w.months.len() == last - first + 1 {
        format!(
            "every month from {} to {}",
            h.month_label(first),
            h.month_label(last)
        )
    } else {
        format!(
            "{} months between {} and {}",
            w.months.len(),
            h.month_label(first),
            h.month_label(last)
        )
    };
    format!(
        "warning: pool {name} cannot keep up in {span}: in {} the work routed to it needs {:.1} productive agents even at full occupancy and the plan gives it {:.1}, so it falls behind (its queue grows, or an overloaded pool before it holds the work back). The targets do not stop this: add one that does, e.g. --target 'utilisation.{name} <= 0.9' or a resolution target on the tickets it serves",
        h.month_label(w.worst_month),
        w.need_agents,
        w.productive_agents
    )
}

fn money(setup: &Setup, x: f64) -> String {
    if setup.cost_unit() == "usd" {
        format!("${}", thousands(x))
    } else {
        format!("{} agent-hours", thousands(x))
    }
}

fn thousands(x: f64) -> String {
    let s = format!("{:.0}", x.abs());
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if x < 0.0 { format!("-{out}") } else { out }
}

/// Months of `e` where some target misses, as labels.
fn missing(setup: &Setup, st: &Settings, e: &Evaluation) -> Vec<String> {
    plan::search::check_months(setup, st, e)
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.met())
        .map(|(m, _)| setup.horizon.month_label(m))
        .collect()
}

fn print_plan(
    o: &mut impl Write,
    setup: &Setup,
    st: &Settings,
    out: &Outcome,
    elapsed: f64,
) -> Result<()> {
    let p = &setup.plan;
    let h = &setup.horizon;
    let volume = match (&p.volume_factors, p.growth_per_month) {
        (Some(_), _) => "monthly volume factors".to_string(),
        (None, Some(g)) => format!("growth {:.1}%/month", g * 100.0),
        (None, None) => format!(
            "growth {:.1}%/month (demand)",
            setup.scenario.raw.demand.growth_per_month * 100.0
        ),
    };
    let attr: Vec<String> = setup
        .pools
        .iter()
        .zip(&p.attrition)
        .filter(|(_, r)| **r > 0.0)
        .map(|(n, r)| format!("{n} {:.1}%", r * 100.0))
        .collect();
    writeln!(
        o,
        "capacity plan of {}: {} months from {}, {volume}\nattrition per month: {}; training {} weeks",
        setup.scenario.name,
        h.months.len(),
        h.month_label(0),
        if attr.is_empty() {
            "none".to_string()
        } else {
            attr.join(", ")
        },
        p.training_weeks
    )?;
    writeln!(
        o,
        "{} replications per evaluation, seed {} (fresh seed {}), {} evaluations in {elapsed:.1} s",
        st.replications, st.seed, out.confirm.seed, out.evaluations
    )?;
    let before = missing(setup, st, &out.before_confirm);
    writeln!(
        o,
        "with the file's hires only (fresh seed): {}",
        if st.targets.is_empty() {
            "no targets given".to_string()
        } else if before.is_empty() {
            "every target holds in every month".to_string()
        } else {
            format!(
                "targets miss in {} of {} months, the first {}",
                before.len(),
                h.months.len(),
                before[0]
            )
        }
    )?;
    let mut t = super::table::new();
    t.set_header(vec!["hire date", "pool", "count", "on duty from", "source"]);
    let training = jiff::Span::new().days((p.training_weeks * 7.0).round() as i64);
    for (hr, src) in p
        .hires
        .iter()
        .map(|x| (x, "file"))
        .chain(out.added.iter().map(|x| (x, "search")))
    {
        t.add_row(vec![
            hr.date.to_string(),
            setup.pools[hr.pool].clone(),
            hr.count.to_string(),
            hr.date.checked_add(training).unwrap_or(hr.date).to_string(),
            src.to_string(),
        ]);
    }
    if p.hires.is_empty() && out.added.is_empty() {
        writeln!(o, "hiring schedule: no hires")?;
    } else {
        writeln!(
            o,
            "hiring schedule ({} hired by the search):",
            out.added.iter().map(|x| x.count).sum::<u32>()
        )?;
        writeln!(o, "{t}")?;
    }
    let (cb, ca) = (
        out.before_confirm.total_cost(setup),
        out.confirm.total_cost(setup),
    );
    writeln!(
        o,
        "cost over the horizon (labour{}): {} (95% CI {} .. {}); file's hires only: {}",
        if setup.cost_unit() == "usd" && p.hire_cost_usd > 0.0 {
            " + hiring"
        } else {
            ""
        },
        money(setup, ca.mean),
        money(setup, ca.ci_low),
        money(setup, ca.ci_high),
        money(setup, cb.mean)
    )?;
    let checks = plan::search::check_months(setup, st, &out.confirm);
    let before_checks = plan::search::check_months(setup, st, &out.before_confirm);
    let fr = (!setup.scenario.sla.targets.is_empty()).then(|| Measure::Attainment {
        resolution: false,
        cells: plan::measures::group_cells(&setup.scenario, "all", false).unwrap_or_default(),
    });
    let mut t = super::table::new();
    let mut header = vec![
        "month".to_string(),
        "targets met (before)".to_string(),
        "worst margin".to_string(),
    ];
    if fr.is_some() {
        header.push("first resp. all".into());
    }
    header.push(format!("agents {}", setup.pools.join("/")));
    header.push("cost".into());
    t.set_header(header);
    for m in 0..h.months.len() {
        let c = &checks[m];
        let met = c.results.iter().filter(|r| r.met).count();
        let met_before = before_checks[m].results.iter().filter(|r| r.met).count();
        let worst = c
            .results
            .iter()
            .zip(&st.targets)
            .map(|(r, t)| (r.margin, t))
            .min_by(|a, b| (a.0 / a.1.target.norm()).total_cmp(&(b.0 / b.1.target.norm())));
        let mut row = vec![
            format!(
                "{}{}",
                h.month_label(m),
                if plan::search::reachable(setup, m) {
                    ""
                } else {
                    " *"
                }
            ),
            format!("{met}/{} ({met_before})", st.targets.len()),
            worst.map_or("-".into(), |(x, t)| fmt_margin(x, t)),
        ];
        if let Some(ms) = &fr {
            let e = out.confirm.estimate(setup, Span::Month(m), ms);
            row.push(format!(
                "{:.1}% [{:.1}, {:.1}]",
                e.mean * 100.0,
                e.ci_low * 100.0,
                e.ci_high * 100.0
            ));
        }
        let heads: Vec<String> = (0..setup.pools.len())
            .map(|p| {
                let e = out
                    .confirm
                    .estimate(setup, Span::Month(m), &Measure::Headcount(p));
                format!("{:.1}", e.mean)
            })
            .collect();
        row.push(heads.join("/"));
        let ks = setup.periods_of(Span::Month(m));
        let cost = crate::stats::summary::Estimate::from_values(
            out.confirm
                .reps
                .iter()
                .map(|r| r.value(setup, &ks, &Measure::Cost)),
        );
        row.push(money(setup, cost.mean));
        t.add_row(row);
    }
    writeln!(
        o,
        "per month on a fresh seed ({} replications; margin: one-sided {:.0}% bound - threshold):",
        st.replications,
        st.confidence * 100.0
    )?;
    writeln!(o, "{t}")?;
    if !out.unreachable.is_empty() {
        writeln!(
            o,
            "* before a hire can finish {} weeks of training: no schedule fixes a miss there",
            p.training_weeks
        )?;
    }
    let stop = match out.stop {
        _ if st.max_hires == 0 => "none (--no-search): the file's hires only".to_string(),
        plan::Stop::Met => format!(
            "every reachable month meets every target on both seeds ({} added on the fresh seed)",
            out.added_on_confirmation
        ),
        plan::Stop::Limit => {
            "stopped at plan.max_hires with a month missing: raise it or check the targets"
                .to_string()
        }
    };
    writeln!(o, "search: {stop}")?;
    let fresh = missing(setup, st, &out.confirm);
    if !fresh.is_empty() && !st.targets.is_empty() {
        writeln!(
            o,
            "on the fresh seed, targets miss in {} month(s), the first {}",
            fresh.len(),
            fresh[0]
        )?;
    }
    Ok(())
}

fn fmt_margin(x: f64, t: &PlanTarget) -> String {
    if !x.is_finite() {
        return "no data".into();
    }
    match t.target.unit {
        "fraction" => format!("{:+.1} pp", x * 100.0),
        u => format!("{x:+.2} {u}"),
    }
}

fn info(args: &PlanArgs, setup: &Setup, st: &Settings, o: &Outcome, elapsed: f64) -> String {
    let targets: Vec<String> = st
        .targets
        .iter()
        .map(|t| format!("{:?}", t.target.expr))
        .collect();
    format!(
        "# Provenance of this output folder\nsupportsim_version = \"{}\"\nscenario_file = {:?}\nscenario_name = {:?}\nhorizon_months = {}\nplan_start = {:?}\ntargets = [{}]\nconfidence = {}\nseed = {}\nconfirmation_seed = {}\nreplications = {}\nevaluations = {}\nhires_added = {}\nsteps_on_confirmation = {}\nstop = {:?}\ncost_unit = {:?}\nelapsed_s = {:.1}\n",
        env!("CARGO_PKG_VERSION"),
        args.file.display().to_string(),
        setup.scenario.name,
        setup.horizon.months.len(),
        setup.horizon.month_dates[0].to_string(),
        targets.join(", "),
        st.confidence,
        st.seed,
        o.confirm.seed,
        st.replications,
        o.evaluations,
        o.added.iter().map(|h| h.count).sum::<u32>(),
        o.added_on_confirmation,
        format!("{:?}", o.stop).to_lowercase(),
        setup.cost_unit(),
        elapsed
    )
}
