//! The terminal table and the provenance file (`sweep_info.toml`) of a finished sweep.

use super::plan::PointFacts;
use crate::export::compare_report::fmt_mean_ci;
use crate::export::sweep::SweepView;
use crate::scenario::Scenario;
use crate::study::plan::SATURATED;
use crate::study::sweep::{Point, Vary, show};
use anyhow::Result;
use std::io::Write;

/// `sweep_info.toml`: provenance, the cost axis and one `[[point]]` per grid point.
pub(super) fn info(
    file: &str,
    base: &Scenario,
    varies: &[Vary],
    (v, over): (&SweepView, &[Vec<Overloaded>]),
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
        let pools: Vec<String> = over[k].iter().map(|o| format!("{:?}", o.pool)).collect();
        s.push_str(&format!(
            "\n[[point]]\nindex = {k}\nsettings = {:?}\n{} = {}\npareto_optimal = {}\nunstable_replications = {}\n# Pools whose estimated offered load reaches their capacity and which the simulation keeps at least {:.0}% busy.\noverloaded_pools = [{}]\n",
            p.label(),
            v.cost_name,
            v.cost[k],
            v.pareto[k],
            v.results[k].unstable,
            SATURATED * 100.0,
            pools.join(", ")
        ));
    }
    s
}

/// One pool that cannot keep up at one point.
pub(super) struct Overloaded {
    /// Pool name.
    pub pool: String,
    /// `validate`'s estimated busy share (offered load over capacity, at least 1).
    pub estimated: f64,
    /// Simulated utilisation (mean over replications).
    pub simulated: f64,
}

/// Per point, the pools that cannot keep up: the estimated offered load reaches their
/// capacity and the simulation agrees, keeping them at least [`SATURATED`] busy (an
/// overloaded pool upstream can hold the work back, as in `plan`'s warning). Their queues
/// grow through the window, so the point's means describe the tickets served, not a steady
/// state.
pub(super) fn overloaded(v: &SweepView, facts: &[PointFacts]) -> Vec<Vec<Overloaded>> {
    v.results
        .iter()
        .zip(facts)
        .map(|(r, f)| {
            f.over_capacity
                .iter()
                .filter_map(|(pool, estimated)| {
                    let simulated = crate::montecarlo::find_row(
                        &r.summary,
                        "utilisation",
                        &format!("pool={pool}"),
                    )?
                    .estimate
                    .mean;
                    (simulated >= SATURATED).then(|| Overloaded {
                        pool: pool.clone(),
                        estimated: *estimated,
                        simulated,
                    })
                })
                .collect()
        })
        .collect()
}

/// Rows printed in the terminal at most; the table files have every point.
const MAX_ROWS: usize = 60;

/// The terminal table: one row per point with its settings, cost, headline means and 95% CIs,
/// and the Pareto-optimal points flagged.
pub(super) fn print_sweep(
    out: &mut impl Write,
    name: &str,
    (v, over): (&SweepView, &[Vec<Overloaded>]),
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
    let flagged: Vec<String> = v
        .points
        .iter()
        .zip(over)
        .filter(|(_, o)| !o.is_empty())
        .map(|(p, o)| {
            let pools: Vec<String> = o
                .iter()
                .map(|x| {
                    format!(
                        "{} needs {:.0}% of its capacity, {:.0}% busy",
                        x.pool,
                        x.estimated * 100.0,
                        x.simulated * 100.0
                    )
                })
                .collect();
            format!("#{} ({}: {})", p.index, p.label(), pools.join(", "))
        })
        .collect();
    if !flagged.is_empty() {
        writeln!(
            out,
            "WARNING: a pool cannot keep up at these points (its estimated offered load reaches its capacity and the simulation keeps it at least {:.0}% busy): its queue grows through the window, so times there describe the tickets it got to, not a steady state: {}",
            SATURATED * 100.0,
            flagged.join("; ")
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
    let mut t = crate::cli::table::new();
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
