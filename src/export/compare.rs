//! Tables and charts of `supportsim compare`.

use super::Result;
use super::charts::{cdf_points, sla_markers};
use super::estimate::{MEAN_CI, Stat, estimate_columns, opt};
use crate::chart::{self, CiBar, Curve, Rendered};
use crate::study::compare::{ComparisonRow, Design, find};
use polars::prelude::*;

/// The comparison table: one row per (metric, group, design).
///
/// Columns: `metric`, the key columns the rows use ([`super::keys`]), `design, model, n_replications, mean, ci_low, ci_high, baseline,
/// diff_mean, diff_std_error, diff_ci_low, diff_ci_high, unpaired_ci_low, unpaired_ci_high,
/// direction, better, confidence, practical_threshold`. `diff_*` are the paired differences `design - baseline`
/// over replications; `unpaired_*` is Welch's interval ignoring the pairing; `better` is
/// `design`, `baseline`, `no_difference`, `no_practical_difference` (significant, but smaller
/// than `practical_threshold`, in the metric's unit) or empty (neutral metric, or the
/// baseline's own row); `confidence` is the one-sided confidence that the favoured side is
/// better.
pub fn comparison_df(designs: &[Design], rows: &[ComparisonRow]) -> Result<DataFrame> {
    let base = designs.first().map_or("", |d| d.label);
    let estimates: Vec<_> = rows.iter().map(|r| Some(&r.estimate)).collect();
    let paired: Vec<_> = rows.iter().map(|r| r.paired.as_ref()).collect();
    let keys: Vec<_> = rows.iter().map(|r| &r.key).collect();
    let mut cols = vec![Column::new(
        "metric".into(),
        rows.iter().map(|r| r.metric).collect::<Vec<_>>(),
    )];
    cols.extend(super::keys::keys_of(&keys)?);
    cols.extend([
        Column::new(
            "design".into(),
            rows.iter()
                .map(|r| designs[r.design].label)
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "model".into(),
            rows.iter()
                .map(|r| designs[r.design].scenario.model.name())
                .collect::<Vec<_>>(),
        ),
    ]);
    cols.extend(estimate_columns(&estimates, &MEAN_CI));
    cols.push(Column::new(
        "baseline".into(),
        rows.iter().map(|_| base).collect::<Vec<_>>(),
    ));
    cols.extend(estimate_columns(
        &paired,
        &[
            ("diff_mean", Stat::Mean),
            ("diff_std_error", Stat::StdError),
            ("diff_ci_low", Stat::CiLow),
            ("diff_ci_high", Stat::CiHigh),
        ],
    ));
    cols.extend([
        Column::new(
            "unpaired_ci_low".into(),
            rows.iter()
                .map(|r| r.unpaired.and_then(|w| opt(w.ci_low)))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "unpaired_ci_high".into(),
            rows.iter()
                .map(|r| r.unpaired.and_then(|w| opt(w.ci_high)))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "direction".into(),
            rows.iter().map(|r| r.direction.name()).collect::<Vec<_>>(),
        ),
        Column::new(
            "better".into(),
            rows.iter().map(|r| r.better.name()).collect::<Vec<_>>(),
        ),
        Column::new(
            "confidence".into(),
            rows.iter().map(|r| opt(r.confidence)).collect::<Vec<_>>(),
        ),
        Column::new(
            "practical_threshold".into(),
            rows.iter()
                .map(|r| opt(r.practical_threshold))
                .collect::<Vec<_>>(),
        ),
    ]);
    Ok(DataFrame::new_infer_height(cols)?)
}

/// Every design's replication values, long format: `design, replication, metric`, the key
/// columns, `value`. Rows of the same replication index saw the same demand.
pub fn replications_df(designs: &[Design]) -> Result<DataFrame> {
    let (mut design, mut rep, mut metric, mut keys, mut value) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for d in designs {
        for (r, vals) in d.mc.values.iter().enumerate() {
            for (def, v) in d.mc.catalog.defs.iter().zip(vals) {
                design.push(d.label);
                rep.push(r as u32);
                metric.push(def.metric);
                keys.push(&def.key);
                value.push(opt(*v));
            }
        }
    }
    let mut cols = vec![
        Column::new("design".into(), design),
        Column::new("replication".into(), rep),
        Column::new("metric".into(), metric),
    ];
    cols.extend(super::keys::keys_of(&keys)?);
    cols.push(Column::new("value".into(), value));
    Ok(DataFrame::new_infer_height(cols)?)
}

/// The charts of `supportsim compare`, as (file stem, rendering).
pub fn compare_charts(
    designs: &[Design],
    rows: &[ComparisonRow],
) -> Result<Vec<(String, Rendered)>> {
    let mut out = vec![
        ("resolution_cdf".to_string(), cdf_overlay(designs, false)?),
        (
            "first_response_cdf".to_string(),
            cdf_overlay(designs, true)?,
        ),
    ];
    let with_sla = designs.iter().any(|d| !d.scenario.sla.targets.is_empty());
    // Every design's priorities, first seen first (designs of one file share them).
    let mut priorities: Vec<&str> = Vec::new();
    for d in designs {
        for p in &d.scenario.demand.priority_names {
            if !priorities.contains(&p.as_str()) {
                priorities.push(p);
            }
        }
    }
    if with_sla {
        for (metric, what, stem) in [
            (
                "sla_resolution_attainment",
                "resolution",
                "sla_resolution_by_priority",
            ),
            (
                "sla_first_response_attainment",
                "first response",
                "sla_first_response_by_priority",
            ),
        ] {
            let mut bars = Vec::new();
            for p in &priorities {
                let g = format!("priority={p}");
                for (k, d) in designs.iter().enumerate() {
                    if let Some(r) = find(rows, metric, &g, k).filter(|r| r.estimate.n > 0) {
                        bars.push(bar(r, p.to_string(), d.label));
                    }
                }
            }
            out.push((
                stem.to_string(),
                chart::grouped_bars_ci(
                    &format!("SLA {what} attainment by priority (mean, 95% CI)"),
                    "priority",
                    "tickets within target [%]",
                    &bars,
                    (0.0, 1.0),
                    true,
                )?,
            ));
        }
    }
    for (metric, title, y, stem) in [
        (
            "handoffs_per_ticket",
            "Handoffs per resolved ticket (mean, 95% CI)",
            "handoffs per ticket",
            "handoffs_per_ticket",
        ),
        (
            "agent_minutes_per_ticket",
            "Agent time per ticket (mean, 95% CI)",
            "agent minutes per ticket [minutes]",
            "agent_minutes_per_ticket",
        ),
        (
            "cost_per_resolved_ticket_usd",
            "Cost per resolved ticket (mean, 95% CI)",
            "USD per resolved ticket",
            "cost_per_resolved_ticket",
        ),
    ] {
        if !(0..designs.len()).any(|k| find(rows, metric, "all", k).is_some()) {
            continue;
        }
        let bars: Vec<CiBar> = designs
            .iter()
            .enumerate()
            .filter_map(|(k, d)| {
                find(rows, metric, "all", k).map(|r| bar(r, d.label.into(), d.label))
            })
            .collect();
        out.push((
            stem.to_string(),
            chart::grouped_bars_ci(title, "design", y, &bars, (f64::NAN, f64::NAN), false)?,
        ));
    }
    out.push((
        "paired_differences".to_string(),
        differences(designs, rows)?,
    ));
    Ok(out)
}

fn bar(r: &ComparisonRow, category: String, series: &str) -> CiBar {
    CiBar::of_estimate(category, series.to_string(), &r.estimate, None)
}

/// Resolution (or first-response) time CDFs of every design over all tickets, overlaid, with
/// the baseline's SLA limits marked.
fn cdf_overlay(designs: &[Design], first_response: bool) -> Result<Rendered> {
    let curves: Vec<Curve> = designs
        .iter()
        .filter_map(|d| {
            let h = if first_response {
                d.mc.fr_hist.first()
            } else {
                d.mc.res_hist.first()
            }?;
            Some(Curve {
                name: d.label.to_string(),
                points: cdf_points(h),
            })
        })
        .collect();
    let markers = designs
        .first()
        .map_or_else(Vec::new, |d| sla_markers(d.scenario, first_response));
    let what = if first_response {
        "first response"
    } else {
        "resolution"
    };
    Ok(chart::curves(
        &format!("{what} time distribution per design (CDF; lines = SLA limits)"),
        &format!("{what} time [minutes, log scale]"),
        "tickets within time [%]",
        &curves,
        &markers,
        true,
        true,
    )?)
}

/// Headline metrics whose paired differences are charted, relative to the baseline mean.
const HEADLINE: [(&str, &str, &str); 7] = [
    ("first_response_time_min", "all", "first response time"),
    ("resolution_time_min", "all", "resolution time"),
    ("resolution_time_p90_min", "all", "resolution P90"),
    ("abandonment_rate", "all", "abandonment"),
    ("handoffs_per_ticket", "all", "handoffs/ticket"),
    ("agent_minutes_per_ticket", "all", "agent min/ticket"),
    ("sla_resolution_attainment", "all", "SLA resolution met"),
];

/// Paired differences from the baseline for the headline metrics, as a percentage of the
/// baseline's mean (the CI scaled by the same mean; the baseline mean's own uncertainty is
/// small next to the difference's under common random numbers).
fn differences(designs: &[Design], rows: &[ComparisonRow]) -> Result<Rendered> {
    let mut bars = Vec::new();
    for (metric, group, label) in HEADLINE {
        let Some(base) = find(rows, metric, group, 0) else {
            continue;
        };
        let m = base.estimate.mean;
        if !(m.is_finite() && m.abs() > 1e-12) {
            continue;
        }
        for (k, d) in designs.iter().enumerate().skip(1) {
            if let Some(p) = find(rows, metric, group, k).and_then(|r| r.paired) {
                bars.push(CiBar {
                    category: label.to_string(),
                    series: d.label.to_string(),
                    mean: p.mean / m.abs(),
                    ci_low: p.ci_low / m.abs(),
                    ci_high: p.ci_high / m.abs(),
                    goal: None,
                });
            }
        }
    }
    let base = designs.first().map_or("", |d| d.label);
    Ok(chart::grouped_bars_ci(
        &format!("Paired difference from {base} (% of its mean, 95% CI)"),
        "metric",
        "difference from baseline [% of baseline mean]",
        &bars,
        (f64::NAN, f64::NAN),
        true,
    )?)
}
