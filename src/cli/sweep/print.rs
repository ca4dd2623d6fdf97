//! The terminal table and the provenance file (`sweep_info.toml`) of a finished sweep.

use crate::export::compare_report::fmt_mean_ci;
use crate::export::sweep::SweepView;
use crate::scenario::Scenario;
use crate::study::sweep::{Point, Vary, show};
use anyhow::Result;
use std::io::Write;

/// `sweep_info.toml`: provenance, the cost axis and one `[[point]]` per grid point.
pub(super) fn info(
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
pub(super) fn print_sweep(
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
