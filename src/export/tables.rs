//! Polars tables of a Monte Carlo run, and their CSV / Parquet bytes.
//!
//! Column names are snake_case; units live in metric names (`resolution_time_min`) or column
//! names (`interval_end_hours`). Missing values (a metric with no data) are nulls, not NaN.

use super::Result;
use super::estimate::{FULL, Stat, estimate_columns, opt};
use crate::measure::Kind;
use crate::montecarlo::{MonteCarlo, SummaryRow};
use crate::scenario::Scenario;
use crate::scenario::calendar::local_label;
use polars::prelude::*;

/// The summary table: one row per (metric, group).
///
/// Columns: `metric, group, n_replications, mean, std_dev, std_error, ci_low, ci_high,
/// p50, p90, p99, goal`. Quantile columns are pooled over every ticket of every replication
/// (time metrics only); `goal` is set on per-target SLA attainment rows.
pub fn summary_df(rows: &[SummaryRow]) -> Result<DataFrame> {
    let q = |k: usize| -> Vec<Option<f64>> {
        rows.iter()
            .map(|r| r.quantiles.and_then(|q| opt(q[k])))
            .collect()
    };
    let estimates: Vec<_> = rows.iter().map(|r| Some(&r.estimate)).collect();
    let mut cols = vec![
        Column::new(
            "metric".into(),
            rows.iter().map(|r| r.metric).collect::<Vec<_>>(),
        ),
        Column::new(
            "group".into(),
            rows.iter().map(|r| r.group.as_str()).collect::<Vec<_>>(),
        ),
    ];
    cols.extend(estimate_columns(&estimates, &FULL));
    cols.extend([
        Column::new("p50".into(), q(0)),
        Column::new("p90".into(), q(1)),
        Column::new("p99".into(), q(2)),
        Column::new(
            "goal".into(),
            rows.iter().map(|r| r.goal).collect::<Vec<_>>(),
        ),
    ]);
    Ok(DataFrame::new_infer_height(cols)?)
}

/// The weekly cost table of a priced scenario: one row per invoice week and line item.
///
/// Columns: `week_start` (local date), `item` (`pool=<name>`, `sla_credits`, `vendor`,
/// `sla_penalties`, `total`), `cost_usd` (mean over replications; credits positive, to be
/// subtracted), `std_error`, `ci_low`, `ci_high`. `None` when nothing is priced.
pub fn costs_weekly_df(s: &Scenario, rows: &[SummaryRow]) -> Result<Option<DataFrame>> {
    let Some(c) = &s.costs else {
        return Ok(None);
    };
    let (mut week, mut item, mut estimates) = (vec![], vec![], vec![]);
    for day in &c.week_starts {
        let prefix = format!("week={day} ");
        for r in rows.iter().filter(|r| r.metric == "weekly_cost_usd") {
            if let Some(it) = r.group.strip_prefix(&prefix) {
                week.push(day.to_string());
                item.push(it.to_string());
                estimates.push(Some(&r.estimate));
            }
        }
    }
    let mut cols = vec![
        Column::new("week_start".into(), week),
        Column::new("item".into(), item),
    ];
    cols.extend(estimate_columns(
        &estimates,
        &[
            ("cost_usd", Stat::Mean),
            ("std_error", Stat::StdError),
            ("ci_low", Stat::CiLow),
            ("ci_high", Stat::CiHigh),
        ],
    ));
    Ok(Some(DataFrame::new_infer_height(cols)?))
}

/// One row per (replication, metric, group): `replication, metric, group, value`.
pub fn replications_df(mc: &MonteCarlo) -> Result<DataFrame> {
    let m = mc.catalog.defs.len();
    let n = mc.values.len();
    let mut rep = Vec::with_capacity(n * m);
    let mut metric = Vec::with_capacity(n * m);
    let mut group = Vec::with_capacity(n * m);
    let mut value = Vec::with_capacity(n * m);
    for (&r, vals) in mc.indices.iter().zip(&mc.values) {
        for (d, v) in mc.catalog.defs.iter().zip(vals) {
            rep.push(r);
            metric.push(d.metric);
            group.push(d.group.as_str());
            value.push(opt(*v));
        }
    }
    Ok(DataFrame::new_infer_height(vec![
        Column::new("replication".into(), rep),
        Column::new("metric".into(), metric),
        Column::new("group".into(), group),
        Column::new("value".into(), value),
    ])?)
}

/// Time series over replications, long format: `interval_end_hours, local_time, in_warmup,
/// series, group, mean, ci_low, ci_high`. Snapshots are taken at the end of each interval;
/// `arrivals_per_interval` counts arrivals (deflected included) during the interval.
pub fn timeseries_df(mc: &MonteCarlo, s: &Scenario) -> Result<DataFrame> {
    let cols = mc.layout.columns.len();
    let nt = mc.layout.times.len();
    let mut t_h = Vec::with_capacity(nt * cols);
    let mut local = Vec::with_capacity(nt * cols);
    let mut warm = Vec::with_capacity(nt * cols);
    let mut series = Vec::with_capacity(nt * cols);
    let mut group = Vec::with_capacity(nt * cols);
    let (mut mean, mut lo, mut hi) = (Vec::new(), Vec::new(), Vec::new());
    for (k, &t) in mc.layout.times.iter().enumerate() {
        let label = local_label(s.run.start_date, &s.run.timezone, t);
        for (c, (name, g)) in mc.layout.columns.iter().enumerate() {
            let (m, l, h) = mc.series.estimate(k * cols + c);
            t_h.push(t / 60.0);
            local.push(label.clone());
            warm.push(t <= s.run.warmup_min);
            series.push(*name);
            group.push(g.as_str());
            mean.push(opt(m));
            lo.push(opt(l));
            hi.push(opt(h));
        }
    }
    Ok(DataFrame::new_infer_height(vec![
        Column::new("interval_end_hours".into(), t_h),
        Column::new("local_time".into(), local),
        Column::new("in_warmup".into(), warm),
        Column::new("series".into(), series),
        Column::new("group".into(), group),
        Column::new("mean".into(), mean),
        Column::new("ci_low".into(), lo),
        Column::new("ci_high".into(), hi),
    ])?)
}

/// CSV bytes with a header row.
pub fn csv_bytes(df: &mut DataFrame) -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    CsvWriter::new(&mut buf).include_header(true).finish(df)?;
    Ok(buf)
}

/// Parquet bytes (zstd-compressed, written single-threaded so bytes never depend on scheduling).
pub fn parquet_bytes(df: &mut DataFrame) -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    ParquetWriter::new(&mut buf)
        .with_compression(ParquetCompression::Zstd(None))
        .set_parallel(false)
        .finish(df)?;
    Ok(buf)
}

/// Writes a Parquet file at `path` one row group at a time: `batch(len)` gives the next
/// `len` rows as a single-chunk table, for each length of `groups`. The file is byte-identical
/// to [`parquet_bytes`] of the whole table when `groups` are the row groups Polars would
/// choose for it (`export::sweep_rows::row_groups`).
///
/// # Errors
/// The file cannot be created or written, or a batch fails.
pub fn write_parquet_batches(
    path: &std::path::Path,
    groups: Vec<usize>,
    mut batch: impl FnMut(usize) -> Result<DataFrame>,
) -> Result<()> {
    let fail = |source| super::ExportError::Write {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::create(path).map_err(fail)?;
    let mut writer = None;
    for len in groups {
        let df = batch(len)?;
        let w = match &mut writer {
            Some(w) => w,
            None => writer.insert(
                ParquetWriter::new(file.try_clone().map_err(fail)?)
                    .with_compression(ParquetCompression::Zstd(None))
                    .set_parallel(false)
                    .batched(df.schema())?,
            ),
        };
        w.write_batch(&df)?;
    }
    if let Some(w) = writer {
        w.finish()?;
    }
    Ok(())
}

/// Whether a summary row is a duration (for formatting).
pub fn is_duration(kind: Kind) -> bool {
    matches!(kind, Kind::Time | Kind::Duration)
}
