//! Chart selection for a run: which summary rows become which chart (the drawing itself is
//! in [`crate::chart`]).

use crate::chart::{self, BandSeries, CiBar, Rendered};
use crate::montecarlo::{MonteCarlo, SummaryRow};
use crate::scenario::{PRIORITIES, Scenario};
use anyhow::Result;

fn row<'a>(rows: &'a [SummaryRow], metric: &str, group: &str) -> Option<&'a SummaryRow> {
    rows.iter().find(|r| r.metric == metric && r.group == group)
}

/// The charts of `supportsim run`, as (file stem, rendering).
pub fn run_charts(
    s: &Scenario,
    mc: &MonteCarlo,
    rows: &[SummaryRow],
) -> Result<Vec<(String, Rendered)>> {
    let mut out = Vec::new();
    if !s.sla.targets.is_empty() {
        out.push((
            "sla_attainment_by_priority".to_string(),
            sla_by_priority(s, rows)?,
        ));
        out.push((
            "sla_attainment_by_target".to_string(),
            sla_by_target(s, rows)?,
        ));
    }
    out.push(("backlog_over_time".to_string(), backlog(s, mc)?));
    Ok(out)
}

/// The goal shared by every target covering priority `p`, if they agree.
fn common_goal(s: &Scenario, p: usize, fr: bool) -> Option<f64> {
    let ns = s.segment_count();
    let table = if fr {
        &s.sla.first_response_of
    } else {
        &s.sla.resolution_of
    };
    let mut goals = (0..ns).filter_map(|sg| table[p * ns + sg]).map(|i| {
        let t = &s.sla.targets[i as usize];
        if fr { t.first_response } else { t.resolution }.map(|x| x.goal)
    });
    let first = goals.next()??;
    goals.all(|g| g == Some(first)).then_some(first)
}

fn bar(r: &SummaryRow, category: String, series: &str, goal: Option<f64>) -> CiBar {
    CiBar {
        category,
        series: series.to_string(),
        mean: r.estimate.mean,
        ci_low: r.estimate.ci_low,
        ci_high: r.estimate.ci_high,
        goal,
    }
}

fn sla_by_priority(s: &Scenario, rows: &[SummaryRow]) -> Result<Rendered> {
    let mut bars = Vec::new();
    for (p, name) in PRIORITIES.iter().enumerate() {
        for (metric, series, fr) in [
            ("sla_first_response_attainment", "first response", true),
            ("sla_resolution_attainment", "resolution", false),
        ] {
            if let Some(r) =
                row(rows, metric, &format!("priority={name}")).filter(|r| r.estimate.n > 0)
            {
                bars.push(bar(r, name.to_string(), series, common_goal(s, p, fr)));
            }
        }
    }
    Ok(chart::grouped_bars_ci(
        &format!(
            "{}: SLA attainment by priority (mean, 95% CI; dashes = goal)",
            s.name
        ),
        "priority",
        "tickets within target [%]",
        &bars,
        (0.0, 1.0),
        true,
    )?)
}

fn sla_by_target(s: &Scenario, rows: &[SummaryRow]) -> Result<Rendered> {
    let mut bars = Vec::new();
    for t in &s.sla.targets {
        let g = format!("target={}", t.label);
        if let (Some(r), Some(tg)) = (
            row(rows, "sla_first_response_attainment", &g),
            t.first_response,
        ) && r.estimate.n > 0
        {
            bars.push(bar(r, t.label.clone(), "first response", Some(tg.goal)));
        }
        if let (Some(r), Some(tg)) = (row(rows, "sla_resolution_attainment", &g), t.resolution)
            && r.estimate.n > 0
        {
            bars.push(bar(r, t.label.clone(), "resolution", Some(tg.goal)));
        }
    }
    Ok(chart::grouped_bars_ci(
        &format!(
            "{}: SLA attainment by target (mean, 95% CI; dashes = goal)",
            s.name
        ),
        "SLA target (priority/segment)",
        "tickets within target [%]",
        &bars,
        (0.0, 1.0),
        true,
    )?)
}

fn backlog(s: &Scenario, mc: &MonteCarlo) -> Result<Rendered> {
    let cols = mc.layout.columns.len();
    let mut series = Vec::new();
    for (c, (name, group)) in mc.layout.columns.iter().enumerate() {
        let label = match (*name, group.as_str()) {
            ("backlog_tickets", _) => "all open tickets".to_string(),
            ("queue_tickets", g) => format!("waiting at {}", g.replace("tier=", "tier ")),
            _ => continue,
        };
        let mut b = BandSeries {
            name: label,
            x: Vec::new(),
            mean: Vec::new(),
            low: Vec::new(),
            high: Vec::new(),
        };
        for (k, &t) in mc.layout.times.iter().enumerate() {
            let (m, lo, hi) = mc.series.estimate(k * cols + c);
            b.x.push(t / 1440.0);
            b.mean.push(m);
            b.low.push(if lo.is_finite() { lo } else { m });
            b.high.push(if hi.is_finite() { hi } else { m });
        }
        series.push(b);
    }
    Ok(chart::lines_with_bands(
        &format!("{}: backlog over time (mean, 95% CI band)", s.name),
        &format!(
            "time since start [days] (warm-up ends at day {:.0})",
            s.run.warmup_min / 1440.0
        ),
        "tickets",
        &series,
    )?)
}
