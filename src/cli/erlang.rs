//! `supportsim erlang c|a`: analytic M/M/n (Erlang C) and M/M/n+M (Erlang A) metrics and
//! the fewest agents for a service-level target.

use super::validate::{human_min, pct};
use crate::format::Num;
use crate::stats::erlang::{QueueInput, QueueMetrics, metrics, min_agents};
use anyhow::{Result, bail};
use clap::{Args, Subcommand};
use std::io::Write;

/// Arguments of `supportsim erlang`.
#[derive(Debug, Args)]
pub struct ErlangArgs {
    #[command(subcommand)]
    model: ErlangModel,
}

#[derive(Debug, Subcommand)]
enum ErlangModel {
    /// Erlang C: M/M/n, customers never abandon.
    C(QueueArgs),
    /// Erlang A: M/M/n+M, exponential patience (abandonment).
    A {
        #[command(flatten)]
        queue: QueueArgs,
        /// Mean customer patience [minutes].
        #[arg(long, allow_negative_numbers = true)]
        patience_min: f64,
    },
}

#[derive(Debug, Args)]
struct QueueArgs {
    /// Arrival rate [contacts/hour].
    #[arg(long, allow_negative_numbers = true)]
    arrivals_per_hour: f64,
    /// Average handle time [minutes].
    #[arg(long, allow_negative_numbers = true)]
    aht_min: f64,
    /// Agents on duty; omit to only size staffing with --service-level.
    #[arg(long, allow_negative_numbers = true)]
    agents: Option<u32>,
    /// Service-level threshold: answered within this many seconds.
    #[arg(long, allow_negative_numbers = true, default_value_t = 20.0)]
    target_sec: f64,
    /// Service-level goal (fraction, e.g. 0.8): prints the fewest agents that reach it.
    #[arg(long, allow_negative_numbers = true)]
    service_level: Option<f64>,
}

pub(super) fn erlang(args: &ErlangArgs) -> Result<()> {
    let (q, patience, name) = match &args.model {
        ErlangModel::C(q) => (q, None, "Erlang C (M/M/n)"),
        ErlangModel::A {
            queue,
            patience_min,
        } => (queue, Some(*patience_min), "Erlang A (M/M/n+M)"),
    };
    // Checked here, in the user's flags and units, so no message names an internal field.
    positive_flag("--arrivals-per-hour", q.arrivals_per_hour, "e.g. 100")?;
    positive_flag("--aht-min", q.aht_min, "e.g. 6")?;
    if let Some(p) = patience {
        positive_flag("--patience-min", p, "e.g. 3")?;
    }
    let erlangs = q.arrivals_per_hour / 60.0 * q.aht_min;
    if !erlangs.is_normal() {
        bail!(
            "--arrivals-per-hour {} x --aht-min {} is an offered load of {} erlangs, too small for the formulas to compute; give values whose product / 60 is at least 1e-300 (e.g. --arrivals-per-hour 100 --aht-min 6)",
            Num(q.arrivals_per_hour),
            Num(q.aht_min),
            Num(erlangs)
        );
    }
    if !q.target_sec.is_finite() || q.target_sec < 0.0 {
        bail!(
            "--target-sec {}: must be a number of seconds, 0 or more (e.g. 20)",
            Num(q.target_sec)
        );
    }
    if let Some(g) = q.service_level
        && !(g.is_finite() && (0.0..1.0).contains(&g))
    {
        bail!(
            "--service-level {g}: must be a fraction at least 0 and below 1 (e.g. 0.8 for 80%); 1 would need infinitely many agents"
        );
    }
    if q.agents == Some(0) {
        bail!("--agents 0: at least one agent is needed (e.g. --agents 5)");
    }
    if q.agents.is_none() && q.service_level.is_none() {
        bail!(
            "give --agents N to evaluate a staffing level, --service-level X to size one, or both"
        );
    }
    let rate = q.arrivals_per_hour / 60.0;
    let target_min = q.target_sec / 60.0;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{name}: {} contacts/hour, AHT {} min{}, offered load {:.2} erlangs",
        Num(q.arrivals_per_hour),
        Num(q.aht_min),
        patience.map_or(String::new(), |p| format!(", mean patience {} min", Num(p))),
        rate * q.aht_min
    )?;
    let mut rows: Vec<(String, QueueMetrics, u32)> = Vec::new();
    if let Some(n) = q.agents {
        let input = QueueInput {
            arrival_rate_per_min: rate,
            mean_service_min: q.aht_min,
            agents: n,
            mean_patience_min: patience,
        };
        rows.push((
            format!("{n} agents (given)"),
            metrics(&input, Some(target_min))?,
            n,
        ));
    }
    if let Some(goal) = q.service_level {
        let (n, m) = min_agents(rate, q.aht_min, patience, target_min, goal)?;
        rows.push((
            format!(
                "{n} agents (fewest for {} in {} s)",
                pct(goal),
                Num(q.target_sec)
            ),
            m,
            n,
        ));
    }
    let mut t = super::table::new();
    t.set_header(vec![
        "staffing",
        "P(wait)",
        "mean wait (all)",
        "mean wait (answered)",
        &format!("answered within {} s", Num(q.target_sec)),
        "abandonment",
        "occupancy",
    ]);
    for (label, m, _) in &rows {
        t.add_row(vec![
            label.clone(),
            pct3(m.p_wait),
            human_min(m.mean_wait_min),
            human_min(m.mean_wait_served_min),
            m.service_level.map_or("-".into(), pct3),
            pct3(m.p_abandon),
            pct3(m.occupancy),
        ]);
    }
    writeln!(out, "{t}")?;
    Ok(())
}

/// Refuses a flag value that is not a finite number above 0, or above the bound scenarios
/// put on rates and durations (past it, products such as the offered load overflow).
fn positive_flag(flag: &str, value: f64, example: &str) -> Result<()> {
    if !value.is_finite() || value <= 0.0 {
        bail!(
            "{flag} {}: must be a number above 0 ({example})",
            Num(value)
        );
    }
    let max = crate::scenario::limits::MAX_DURATION_MIN;
    if value > max {
        bail!("{flag} {value:e}: must be at most {max:e} ({example})");
    }
    Ok(())
}

fn pct3(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}
