//! Polars tables of a Monte Carlo run, and their CSV / Parquet bytes.
//!
//! Column names are snake_case; units live in metric names (`resolution_time_min`) or column
//! names (`interval_end_hours`). Missing values (a metric with no data) are nulls, not NaN.

use super::Result;
use super::estimate::{FULL, Stat, estimate_columns, opt};
use super::keys::{csv_ready, date_column, datetime_column, key_dims, keys_of, zone_name};
use crate::measure::Kind;
use crate::montecarlo::{MonteCarlo, SummaryRow};
use crate::scenario::Scenario;
use crate::scenario::calendar::origin;
use polars::prelude::*;

/// The summary table: one row per (metric, group).
///
/// Columns: `metric`, the key columns the rows use (`priority`, `segment`, `pool` ...; see
/// [`super::keys`]), `n_replications, mean, std_dev, std_error, ci_low, ci_high, p50, p90,
/// p99, goal`. Quantile columns are pooled over every ticket of every replication (time
/// metrics only); `goal` is set on per-target SLA attainment rows (the column is left out when
/// no row has a goal, so it is never a column of nulls only).
pub fn summary_df(rows: &[SummaryRow]) -> Result<DataFrame> {
    let q = |k: usize| -> Vec<Option<f64>> {
        rows.iter()
            .map(|r| r.quantiles.and_then(|q| opt(q[k])))
            .collect()
    };
    let estimates: Vec<_> = rows.iter().map(|r| Some(&r.estimate)).collect();
    let keys: Vec<_> = rows.iter().map(|r| &r.key).collect();
    let mut cols = vec![Column::new(
        "metric".into(),
        rows.iter().map(|r| r.metric).collect::<Vec<_>>(),
    )];
    cols.extend(keys_of(&keys)?);
    cols.extend(estimate_columns(&estimates, &FULL));
    cols.extend([
        Column::new("p50".into(), q(0)),
        Column::new("p90".into(), q(1)),
        Column::new("p99".into(), q(2)),
    ]);
    if rows.iter().any(|r| r.goal.is_some()) {
        cols.push(Column::new(
            "goal".into(),
            rows.iter().map(|r| r.goal).collect::<Vec<_>>(),
        ));
    }
    Ok(DataFrame::new_infer_height(cols)?)
}

/// The weekly cost table of a priced scenario: one row per invoice week and line item.
///
/// Columns: `week_start` (Date, local), `item` (`labour`, `sla_credits`, `vendor`,
/// `sla_penalties`, `bot`, `incident_care`, `total`), `pool` (the pool of a `labour` line,
/// else null), `cost_usd` (mean over replications; credits positive, to be subtracted),
/// `std_error`, `ci_low`, `ci_high`. `None` when nothing is priced.
pub fn costs_weekly_df(s: &Scenario, rows: &[SummaryRow]) -> Result<Option<DataFrame>> {
    let Some(c) = &s.costs else {
        return Ok(None);
    };
    let (mut week, mut item, mut pool, mut estimates) = (vec![], vec![], vec![], vec![]);
    for day in &c.week_starts {
        for r in rows.iter().filter(|r| r.metric == "weekly_cost_usd") {
            if r.key.week == Some(*day) {
                week.push(Some(*day));
                item.push(r.key.item);
                pool.push(r.key.pool.as_deref());
                estimates.push(Some(&r.estimate));
            }
        }
    }
    let mut cols = vec![
        date_column("week_start".into(), week.into_iter())?,
        Column::new("item".into(), item),
        Column::new("pool".into(), pool),
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

/// One row per (replication, metric, group): `replication, metric`, the key columns,
/// `value`.
pub fn replications_df(mc: &MonteCarlo) -> Result<DataFrame> {
    let m = mc.catalog.defs.len();
    let n = mc.values.len();
    let mut rep = Vec::with_capacity(n * m);
    let mut metric = Vec::with_capacity(n * m);
    let mut keys = Vec::with_capacity(n * m);
    let mut value = Vec::with_capacity(n * m);
    for (&r, vals) in mc.indices.iter().zip(&mc.values) {
        for (d, v) in mc.catalog.defs.iter().zip(vals) {
            rep.push(r);
            metric.push(d.metric);
            keys.push(&d.key);
            value.push(opt(*v));
        }
    }
    let dims = key_dims(mc.catalog.defs.iter().map(|d| &d.key));
    let mut cols = vec![
        Column::new("replication".into(), rep),
        Column::new("metric".into(), metric),
    ];
    cols.extend(super::keys::key_columns(&dims, &keys)?);
    cols.push(Column::new("value".into(), value));
    Ok(DataFrame::new_infer_height(cols)?)
}

/// Time series over replications, long format: `interval_end_hours, local_time, in_warmup,
/// series`, the key columns (`pool`), `mean, ci_low, ci_high`. `local_time` is the end of the
/// interval as a timestamp in the scenario's time zone (`[run] timezone`). Snapshots are taken
/// at the end of each interval; `arrivals_per_interval` counts arrivals (deflected included)
/// during the interval.
pub fn timeseries_df(mc: &MonteCarlo, s: &Scenario) -> Result<DataFrame> {
    let cols = mc.layout.columns.len();
    let nt = mc.layout.times.len();
    let t0 = origin(s.run.start_date, &s.run.timezone).ok();
    let mut t_h = Vec::with_capacity(nt * cols);
    let mut local = Vec::with_capacity(nt * cols);
    let mut warm = Vec::with_capacity(nt * cols);
    let mut series = Vec::with_capacity(nt * cols);
    let mut keys = Vec::with_capacity(nt * cols);
    let (mut mean, mut lo, mut hi) = (Vec::new(), Vec::new(), Vec::new());
    for (k, &t) in mc.layout.times.iter().enumerate() {
        let at = t0.and_then(|t0| {
            t0.checked_add(jiff::SignedDuration::from_secs((t * 60.0).round() as i64))
                .ok()
        });
        for (c, (name, g)) in mc.layout.columns.iter().enumerate() {
            let (m, l, h) = mc.series.estimate(k * cols + c);
            // Every series counts tickets or agents: its lower bound is cut at 0, its support.
            let l = if l < 0.0 { 0.0 } else { l };
            t_h.push(t / 60.0);
            local.push(at);
            warm.push(t <= s.run.warmup_min);
            series.push(*name);
            keys.push(g);
            mean.push(opt(m));
            lo.push(opt(l));
            hi.push(opt(h));
        }
    }
    let mut columns = vec![
        Column::new("interval_end_hours".into(), t_h),
        datetime_column(
            "local_time".into(),
            zone_name(&s.run.timezone),
            local.into_iter(),
        )?,
        Column::new("in_warmup".into(), warm),
        Column::new("series".into(), series),
    ];
    columns.extend(keys_of(&keys)?);
    columns.extend([
        Column::new("mean".into(), mean),
        Column::new("ci_low".into(), lo),
        Column::new("ci_high".into(), hi),
    ]);
    Ok(DataFrame::new_infer_height(columns)?)
}

/// CSV bytes with a header row. Time-zone-aware timestamps are written as RFC 3339 text with
/// their local offset, dates as `YYYY-MM-DD` ([`csv_ready`]); nulls as empty fields.
pub fn csv_bytes(df: &mut DataFrame) -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    let mut text = csv_ready(df)?;
    let df = text.as_mut().unwrap_or(df);
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
