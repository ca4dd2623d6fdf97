//! The outputs of `supportsim backtest`: the week-by-week table (long: one row per week and
//! metric) and one chart per metric, the history's line over the simulation's 95% band.

use super::{OutputSet, Result, tables};
use crate::chart::{self, BandSeries};
use crate::study::backtest::{METRICS, WeekRow};
use polars::prelude::*;

/// The comparison as a table: `week`, `week_start`, `metric`, `history`, `sim_mean`,
/// `sim_low`, `sim_high` (the central 95% of the replications) and `outside`.
///
/// # Errors
/// Polars errors.
pub fn backtest_df(rows: &[WeekRow]) -> Result<DataFrame> {
    let mut week = Vec::new();
    let mut start = Vec::new();
    let mut metric = Vec::new();
    let (mut h, mut m, mut lo, mut hi, mut out) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for r in rows {
        for (k, (name, _)) in METRICS.iter().enumerate() {
            week.push(r.week as u32);
            start.push(r.start.to_string());
            metric.push(*name);
            h.push(r.history[k]);
            m.push(r.sim_mean[k]);
            lo.push(r.sim_low[k]);
            hi.push(r.sim_high[k]);
            out.push(r.outside[k]);
        }
    }
    Ok(DataFrame::new_infer_height(vec![
        Column::new("week".into(), week),
        Column::new("week_start".into(), start),
        Column::new("metric".into(), metric),
        Column::new("history".into(), h),
        Column::new("sim_mean".into(), m),
        Column::new("sim_low".into(), lo),
        Column::new("sim_high".into(), hi),
        Column::new("outside".into(), out),
    ])?)
}

/// What each metric's chart calls it.
fn label(metric: &str) -> (&'static str, &'static str) {
    match metric {
        "tickets" => ("Tickets per week", "Tickets"),
        "first_response_median_min" => ("First response, median", "Minutes"),
        "first_response_p90_min" => ("First response, P90", "Minutes"),
        "resolution_median_min" => ("Resolution, median", "Minutes"),
        "resolution_p90_min" => ("Resolution, P90", "Minutes"),
        "sla_first_response_attainment" => ("First-response SLA attainment", "Within target"),
        _ => ("Resolution SLA attainment", "Within target"),
    }
}

/// The table (CSV and Parquet) and a chart per metric the history has, as files.
///
/// # Errors
/// Polars or chart errors.
pub fn backtest_outputs(name: &str, rows: &[WeekRow], xlsx: bool) -> Result<OutputSet> {
    let mut set = OutputSet::default();
    let mut df = backtest_df(rows)?;
    set.add("backtest.csv", tables::csv_bytes(&mut df)?);
    set.add("backtest.parquet", tables::parquet_bytes(&mut df)?);
    if xlsx {
        set.add(
            "tables.xlsx",
            crate::export::xlsx::workbook(&[("backtest", &df)])?,
        );
    }
    let Some(first) = rows.first() else {
        return Ok(set);
    };
    for (k, (metric, _)) in METRICS.iter().enumerate() {
        if rows.iter().all(|r| !r.history[k].is_finite()) {
            continue;
        }
        // x: days since the first Monday, at each week's middle.
        let x: Vec<f64> = rows.iter().map(|r| 7.0 * r.week as f64 + 3.5).collect();
        let sim = BandSeries {
            name: "simulated (mean, central 95% of replications)".into(),
            x: x.clone(),
            mean: rows.iter().map(|r| r.sim_mean[k]).collect(),
            low: rows.iter().map(|r| r.sim_low[k]).collect(),
            high: rows.iter().map(|r| r.sim_high[k]).collect(),
        };
        let hist = BandSeries {
            name: format!(
                "history ({} of {} weeks outside)",
                rows.iter().filter(|r| r.outside[k]).count(),
                rows.len()
            ),
            x,
            mean: rows.iter().map(|r| r.history[k]).collect(),
            low: vec![],
            high: vec![],
        };
        let (title, y) = label(metric);
        let r = chart::lines_with_bands_dated(
            &format!("{name}: {title}, history vs simulation"),
            "Week",
            y,
            &[sim, hist],
            first.start,
        )?;
        set.add(format!("charts/backtest_{metric}.png"), r.png);
        set.add(format!("charts/backtest_{metric}.svg"), r.svg.into_bytes());
    }
    Ok(set)
}
