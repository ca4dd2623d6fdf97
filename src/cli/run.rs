//! `supportsim run FILE`: replications in parallel, then tables, charts, provenance and a
//! terminal summary.

use super::common::{CommonArgs, RunContext, ShardArgs, default_out};
use super::outputs;
use super::validate::{human_min, pct};
use crate::budget::Work;
use crate::export::partition;
use crate::export::{OutputSet, charts, report, run_report, tables, tickets};
use crate::measure::Kind;
use crate::montecarlo::{MonteCarlo, SummaryRow, Verdict, find_row as find};
use crate::scenario::Scenario;
use anyhow::Result;
use clap::Args;
use comfy_table::{Cell, Color};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::Instant;

/// Arguments of `supportsim run`.
#[derive(Debug, Args)]
#[command(mut_arg("shard", |a| a.help(
    "Run only shard K of N (replications K, K+N, K+2N, ...; K is 0-based) and write a \
     partition for `supportsim merge` to `outputs/<name>/shard-K-of-N/` (or `--out`). K may \
     name an environment variable: `SLURM_ARRAY_TASK_ID/8`, `JOB_COMPLETION_INDEX/8`.",
)))]
pub struct RunArgs {
    /// Scenario file (TOML).
    pub file: PathBuf,
    /// Replications, seed, threads, output folder, quiet.
    #[command(flatten)]
    pub common: CommonArgs,
    /// Also write one record per measured ticket to `tickets/part-NNNNN.parquet` (one part per
    /// replication, streamed in batches).
    #[arg(long)]
    pub tickets: bool,
    /// Terminal output: a human-readable summary, or JSON for scripts.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// `--shard K/N`.
    #[command(flatten)]
    pub shard: ShardArgs,
}

/// How `run` reports on standard output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Tables for people.
    Table,
    /// One JSON document (summary rows and files written) for scripts.
    Json,
}

pub(super) fn run(args: &RunArgs) -> Result<()> {
    args.common.check_values(1)?;
    let mut s = super::load::scenario(&args.file)?;
    if let Some(n) = args.common.replications {
        s.run.replications = n;
        s.raw.run.replications = n;
    }
    if let Some(seed) = args.common.seed {
        s.run.seed = seed;
        s.raw.run.seed = seed;
    }
    let shard = args.shard.spec()?;
    anyhow::ensure!(
        !(shard.is_some() && args.tickets),
        "--tickets cannot be combined with --shard: run the per-ticket records without sharding"
    );
    let reps = s.run.replications;
    let shard_reps = shard.map(|sh| sh.replications(reps));
    let todo = shard_reps.as_ref().map_or(reps as u64, |v| v.len() as u64);
    let budget = args.common.budget(
        &s,
        Work {
            scenarios: 1,
            replications: todo as u32,
            threads: args.common.thread_count(),
            keep_all: false,
            keep_series: shard.is_some(),
            tickets: args.tickets,
            series_table: shard.is_none(),
            replication_table: true,
        },
    )?;
    if args.common.xlsx && shard.is_none() {
        // The table's length is known from the file: refuse before the runs, not after.
        crate::export::xlsx::check_rows("timeseries", crate::budget::series_table_rows(&s))?;
    }
    let RunContext { pool, out, quiet } = args
        .common
        .context(|| default_out(&s.name, shard), s.warnings.clone())?;
    let bar = super::progress_bar(todo, quiet);
    bar.set_message(format!("{} ({})", s.name, budget.label()));
    let started = Instant::now();
    let parts = if args.tickets {
        Some(tickets::TicketParts::new(&s, out.staging())?)
    } else {
        None
    };
    let tick = || {
        bar.inc(1);
        outputs::checkpoint();
    };
    let mc = pool.install(|| match (&parts, &shard_reps) {
        (_, Some(idx)) => MonteCarlo::run_shard(&s, idx, &tick),
        (Some(p), None) => {
            MonteCarlo::run_with_sinks(&s, reps, &tick, |i| p.open(i), |_, k| p.close(k))
        }
        (None, None) => MonteCarlo::run(&s, reps, &tick),
    });
    bar.finish_and_clear();
    outputs::checkpoint();
    let elapsed = started.elapsed().as_secs_f64();
    let infinite = mc.infinite_metrics();
    anyhow::ensure!(
        infinite.is_empty(),
        "{}: the run produced infinite values for {}; nothing was written (lower the prices or volumes that overflow)",
        args.file.display(),
        infinite.join(", ")
    );

    if let Some(sh) = shard {
        let mut set = OutputSet::default();
        for (name, bytes) in partition::partition_files(&s, &mc, sh)? {
            set.add(name, bytes);
        }
        let done = outputs::commit(out, &set)?;
        if !quiet {
            println!(
                "shard {}/{} of {}: ran {} of {} replications ({} tickets) in {elapsed:.2} s; partition written to {}/",
                sh.index,
                sh.count,
                s.name,
                mc.values.len(),
                reps,
                mc.tickets,
                done.dir.display()
            );
            println!(
                "combine all {} shards with: supportsim merge <shard folders...> --out <folder>",
                sh.count
            );
        }
        return Ok(());
    }

    let run_info = format!(
        "# Provenance of this output folder\nsupportsim_version = \"{}\"\nscenario_file = {:?}\nscenario_name = {:?}\nseed = {}\nreplications = {}\nthreads = {}\n",
        env!("CARGO_PKG_VERSION"),
        args.file.display().to_string(),
        s.name,
        s.run.seed,
        reps,
        pool.current_num_threads(),
    );
    if let Some(p) = &parts {
        p.finish()?;
    }
    let (rows, set) = run_outputs(&s, &mc, run_info, args.common.xlsx)?;
    let done = outputs::commit(out, &set)?;
    if quiet {
        return Ok(());
    }
    let mut out = std::io::stdout().lock();
    if args.format == OutputFormat::Json {
        let files: Vec<PathBuf> = done.files.iter().map(|f| done.dir.join(f)).collect();
        let doc = json_summary(&s, &mc, &rows, &files, pool.current_num_threads());
        serde_json::to_writer_pretty(&mut out, &doc)?;
        writeln!(out)?;
        return Ok(());
    }
    // Timing goes to stderr: standard output stays identical between runs (snapshot-testable).
    eprintln!(
        "simulated {} tickets, {} events in {:.2} s ({:.2} M tickets/s)",
        mc.tickets,
        mc.events,
        elapsed,
        mc.tickets as f64 / elapsed.max(1e-9) / 1e6
    );
    print_summary(&mut out, &s, &mc, &rows)?;
    outputs::print_written(&mut out, &done, "")?;
    Ok(())
}

/// The outputs of a whole run (tables, charts, report, provenance) as one set, and the
/// summary rows. Shared by `run` and `merge`, so merged shards give the same files as one
/// machine. With `xlsx`, also `tables.xlsx`: summary, timeseries and weekly costs.
pub(super) fn run_outputs(
    s: &Scenario,
    mc: &MonteCarlo,
    run_info: String,
    xlsx: bool,
) -> Result<(Vec<SummaryRow>, OutputSet)> {
    let rows = mc.summary();
    let mut set = OutputSet::default();
    let mut summary = tables::summary_df(&rows)?;
    set.add("summary.csv", tables::csv_bytes(&mut summary)?);
    set.add("summary.parquet", tables::parquet_bytes(&mut summary)?);
    let mut reps_df = tables::replications_df(mc)?;
    set.add("replications.parquet", tables::parquet_bytes(&mut reps_df)?);
    let mut ts = tables::timeseries_df(mc, s)?;
    set.add("timeseries.parquet", tables::parquet_bytes(&mut ts)?);
    set.add("timeseries.csv", tables::csv_bytes(&mut ts)?);
    let weekly = tables::costs_weekly_df(s, &rows)?;
    if let Some(mut weekly) = weekly.clone() {
        set.add("costs_weekly.csv", tables::csv_bytes(&mut weekly)?);
        set.add("costs_weekly.parquet", tables::parquet_bytes(&mut weekly)?);
    }
    if xlsx {
        let mut sheets = vec![("summary", &summary), ("timeseries", &ts)];
        if let Some(w) = &weekly {
            sheets.push(("costs_weekly", w));
        }
        set.add("tables.xlsx", crate::export::xlsx::workbook(&sheets)?);
    }
    outputs::checkpoint();
    let rendered = charts::run_charts(s, mc, &rows)?;
    let report = run_report::run_report(s, mc, &rows, &rendered);
    set.add("report.html", report::render(&report).into_bytes());
    for (name, r) in rendered {
        set.add(format!("charts/{name}.svg"), r.svg.into_bytes());
        set.add(format!("charts/{name}.png"), r.png);
    }
    set.add(
        "scenario.resolved.toml",
        toml::to_string(&s.raw)?.into_bytes(),
    );
    set.add("run_info.toml", run_info.into_bytes());
    Ok((rows, set))
}

fn fmt_value(r: &SummaryRow) -> (String, String) {
    let e = &r.estimate;
    let f = |x: f64| match r.kind {
        Kind::Count => {
            if !x.is_finite() {
                "-".into()
            } else {
                // One precision per row, chosen from the mean, so bounds line up with it.
                let digits = if e.mean.abs() >= 100.0 {
                    0
                } else if e.mean.abs() >= 10.0 {
                    1
                } else {
                    3
                };
                format!("{x:.digits$}")
            }
        }
        kind => crate::format::fmt_like(kind, e.mean, x),
    };
    let ci = if e.ci_low.is_finite() {
        format!("{} .. {}", f(e.ci_low), f(e.ci_high))
    } else {
        "-".into()
    };
    (f(e.mean), ci)
}

/// The terminal summary: headline metrics, SLA targets, pools.
pub(crate) fn print_summary(
    out: &mut impl Write,
    s: &Scenario,
    mc: &MonteCarlo,
    rows: &[SummaryRow],
) -> Result<()> {
    writeln!(
        out,
        "{} — {} replications of {:.1} d measured after {:.1} d warm-up, seed {}",
        s.name,
        mc.values.len(),
        s.run.horizon_min / 1440.0,
        s.run.warmup_min / 1440.0,
        s.run.seed
    )?;
    writeln!(
        out,
        "simulated {} tickets, {} events",
        mc.tickets, mc.events
    )?;
    if mc.unstable > 0 {
        writeln!(
            out,
            "WARNING: {} of {} replications hit run.max_open_tickets ({}) and stopped early: the system is overloaded",
            mc.unstable,
            mc.values.len(),
            s.run.max_open_tickets
        )?;
    }
    let mut t = super::table::new();
    t.set_header(vec!["metric", "mean", "95% CI", "P50", "P90", "P99"]);
    let headline = [
        ("tickets_arrived", "all", "tickets arrived (window)"),
        (
            "arrival_rate_per_hour",
            "all",
            "arrivals per hour (after deflection)",
        ),
        (
            "first_response_time_min",
            "all",
            "first response time (MTTA)",
        ),
        ("resolution_time_min", "all", "resolution time (MTTR)"),
        ("abandonment_rate", "all", "abandonment (chat + phone)"),
        (
            "first_contact_resolution_rate",
            "all",
            "first contact resolution",
        ),
        ("escalation_rate", "all", "escalation rate"),
        ("handoffs_per_ticket", "all", "handoffs per ticket"),
        ("re_explains_per_ticket", "all", "re-explains per ticket"),
        (
            "sla_first_response_attainment",
            "all",
            "SLA first response met",
        ),
        ("sla_resolution_attainment", "all", "SLA resolution met"),
        (
            "tickets_unresolved_at_end",
            "all",
            "tickets unresolved at end",
        ),
    ];
    for (m, g, label) in headline {
        if let Some(r) = find(rows, m, g) {
            let (mean, ci) = fmt_value(r);
            let q = |k: usize| r.quantiles.map_or(String::new(), |q| human_min(q[k]));
            t.add_row(vec![label.to_string(), mean, ci, q(0), q(1), q(2)]);
        }
    }
    writeln!(out, "{t}")?;

    if !s.sla.targets.is_empty() {
        let mut t = super::table::new();
        t.set_header(vec![
            "SLA target",
            "first response",
            "attained [95% CI]",
            "resolution",
            "attained [95% CI]",
        ]);
        for tg in &s.sla.targets {
            let cell =
                |metric: &str, target: Option<crate::scenario::Target>| -> (String, String) {
                    let Some(target) = target else {
                        return ("-".into(), "-".into());
                    };
                    let lim = format!(
                        "{} in {}",
                        pct(target.goal),
                        crate::format::limit_label(&s.sla, &target)
                    );
                    match find(rows, metric, &format!("target={}", tg.label)) {
                        Some(r) if r.estimate.n > 0 => {
                            let e = r.estimate;
                            let verdict = match r.verdict(target.goal) {
                                Verdict::Meets => "meets",
                                Verdict::Misses => "MISSES",
                                Verdict::Borderline => "borderline",
                            };
                            (
                                lim,
                                format!(
                                    "{:.1}% [{:.1}, {:.1}] {verdict}",
                                    e.mean * 100.0,
                                    e.ci_low * 100.0,
                                    e.ci_high * 100.0
                                ),
                            )
                        }
                        _ => (lim, "no tickets".into()),
                    }
                };
            let (a, b) = cell("sla_first_response_attainment", tg.first_response);
            let (c, d) = cell("sla_resolution_attainment", tg.resolution);
            t.add_row(vec![
                Cell::new(crate::format::target_who(&tg.label)),
                Cell::new(a),
                verdict_cell(b),
                Cell::new(c),
                verdict_cell(d),
            ]);
        }
        writeln!(out, "{t}")?;
    }

    let mut t = super::table::new();
    // Headcount three ways, because planners mean the first and queues feel the others; and,
    // where shifts end, the work finished after them, which is present time and so keeps
    // utilisation below validate's offered load over agents on duty.
    let shifts_end = s.pools.iter().any(crate::scenario::Pool::staffing_changes);
    let header = &crate::export::run_report::POOL_COLUMNS[..if shifts_end { 7 } else { 6 }];
    t.set_header(header.to_vec());
    for p in &s.pools {
        if let Some(r) = find(rows, "utilisation", &format!("pool={}", p.name)) {
            let (mean, ci) = fmt_value(r);
            let (head, late) = crate::export::run_report::pool_cells(s, p, rows);
            let mut row = head.to_vec();
            row.extend([mean, ci]);
            if shifts_end {
                row.push(late);
            }
            t.add_row(row);
        }
    }
    writeln!(out, "{t}")?;
    if let Some(c) = &s.costs {
        print_costs(out, c, rows)?;
    }
    Ok(())
}

/// The cost table: each pool's pay or invoice, credits, vendor, penalties and the total, for
/// the measured window and per week.
fn print_costs(
    out: &mut impl Write,
    c: &crate::scenario::Costs,
    rows: &[SummaryRow],
) -> Result<()> {
    let weeks: f64 = c.weeks.iter().sum();
    let mut t = super::table::new();
    t.set_header(vec!["cost [USD]", "window", "95% CI", "per week"]);
    let mut line = |label: String, r: Option<&SummaryRow>, sign: f64| {
        if let Some(r) = r {
            let e = &r.estimate;
            let m = |x: f64| format!("{:.0}", sign * x);
            let (a, b) = if sign < 0.0 {
                (e.ci_high, e.ci_low)
            } else {
                (e.ci_low, e.ci_high)
            };
            let ci = if a.is_finite() && e.std_error > 0.0 {
                format!("{} .. {}", m(a), m(b))
            } else {
                "-".into()
            };
            t.add_row(vec![label, m(e.mean), ci, m(e.mean / weeks)]);
        }
    };
    for pc in &c.pools {
        let kind = match pc.sourcing {
            crate::scenario::raw::Sourcing::Internal => "internal pay",
            crate::scenario::raw::Sourcing::Outsourced => "outsourced invoice",
        };
        let g = format!("pool={}", pc.name);
        line(
            format!("{} ({kind})", pc.name),
            find(rows, "labour_cost_usd", &g),
            1.0,
        );
        line(
            format!("{} SLA credits", pc.name),
            find(rows, "sla_credit_usd", &g),
            -1.0,
        );
    }
    line(
        "L4 vendor".into(),
        find(rows, "vendor_cost_usd", "all"),
        1.0,
    );
    line(
        "SLA penalties".into(),
        find(rows, "sla_penalty_usd", "all"),
        1.0,
    );
    line("total".into(), find(rows, "cost_usd", "all"), 1.0);
    writeln!(out, "{t}")?;
    if let Some(r) = find(rows, "cost_per_resolved_ticket_usd", "all") {
        let e = &r.estimate;
        if !e.mean.is_finite() {
            writeln!(
                out,
                "cost per resolved ticket: - (no measured ticket was resolved in any replication)"
            )?;
        } else if !e.ci_low.is_finite() {
            writeln!(out, "cost per resolved ticket: ${:.2}", e.mean)?;
        } else {
            writeln!(
                out,
                "cost per resolved ticket: ${:.2} (95% CI {:.2} .. {:.2})",
                e.mean, e.ci_low, e.ci_high
            )?;
        }
    }
    Ok(())
}

/// The `--format json` document: provenance, every summary row (NaN as null), files written.
fn json_summary(
    s: &Scenario,
    mc: &MonteCarlo,
    rows: &[SummaryRow],
    written: &[PathBuf],
    threads: usize,
) -> serde_json::Value {
    let num = |x: f64| {
        if x.is_finite() {
            serde_json::json!(x)
        } else {
            serde_json::Value::Null
        }
    };
    let metrics: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            let q = r.quantiles.unwrap_or([f64::NAN; 3]);
            let mut row = serde_json::json!({
                "metric": r.metric,
                "group": r.group,
                "n_replications": r.estimate.n,
                "mean": num(r.estimate.mean),
                "std_error": num(r.estimate.std_error),
                "ci_low": num(r.estimate.ci_low),
                "ci_high": num(r.estimate.ci_high),
                "p50": num(q[0]),
                "p90": num(q[1]),
                "p99": num(q[2]),
                "goal": r.goal,
            });
            if let Some(fields) = row.as_object_mut() {
                fields.extend(key_fields(&r.key));
            }
            row
        })
        .collect();
    serde_json::json!({
        "scenario": s.name,
        "supportsim_version": env!("CARGO_PKG_VERSION"),
        "seed": s.run.seed,
        "replications": mc.values.len(),
        "threads": threads,
        "unstable_replications": mc.unstable,
        "tickets_simulated": mc.tickets,
        "metrics": metrics,
        "files": written.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
    })
}

/// Colours only for a person at a terminal: never when `NO_COLOR` is set (any value, per
/// no-color.org) or when standard output is a pipe or a file.
fn colour_enabled() -> bool {
    std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal()
}

/// An attainment cell, green when the CI says the goal is met, red when missed, yellow when
/// the CI straddles the goal.
fn verdict_cell(text: String) -> Cell {
    let colour = if text.ends_with("meets") {
        Some(Color::Green)
    } else if text.ends_with("MISSES") {
        Some(Color::Red)
    } else if text.ends_with("borderline") {
        Some(Color::Yellow)
    } else {
        None
    };
    match colour {
        Some(c) if colour_enabled() => Cell::new(text).fg(c),
        _ => Cell::new(text),
    }
}

/// The typed dimensions of a group for the JSON summary (`"priority": "P1"`, `"week":
/// "2026-01-12"`, ...): only those the group has, as the tables' key columns.
fn key_fields(k: &crate::measure::GroupKey) -> Vec<(String, serde_json::Value)> {
    let text = |name: &str, v: Option<&str>| v.map(|v| (name.to_string(), serde_json::json!(v)));
    [
        text("priority", k.priority.as_deref()),
        text("segment", k.segment.as_deref()),
        text("channel", k.channel.as_deref()),
        text("target", k.target.as_deref()),
        text("stage", k.stage.as_deref()),
        text("pool", k.pool.as_deref()),
        k.within_min
            .map(|w| ("within_min".to_string(), serde_json::json!(w))),
        k.week
            .map(|d| ("week".to_string(), serde_json::json!(d.to_string()))),
        text("item", k.item),
        text("category", k.category.as_deref()),
        text("origin", k.origin),
        text("ticket_kind", k.ticket_kind),
        text("arrived", k.arrived),
    ]
    .into_iter()
    .flatten()
    .collect()
}
