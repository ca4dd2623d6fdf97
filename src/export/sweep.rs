//! Tables and charts of `supportsim sweep`.

use super::Result;
use super::estimate::{MEAN_CI, opt};
use super::keys::key_columns;
use crate::chart::{self, BandSeries, CiBar, Curve, Rendered};
use crate::measure::{GroupKey, Kind};
use crate::montecarlo::SummaryRow;
use crate::study::sweep::{Point, PointResult, Vary, show};
use polars::prelude::*;
use toml::Value;

/// Everything the sweep outputs are made from, one entry per grid point in each slice.
#[derive(Debug, Clone, Copy)]
pub struct SweepView<'a> {
    /// The varied keys, in `--vary` order.
    pub varies: &'a [Vary],
    /// The grid points.
    pub points: &'a [Point],
    /// Monte Carlo results per point.
    pub results: &'a [PointResult],
    /// Cost per point: mean total cost per week [USD/week] when every point is priced, else
    /// paid agent-hours per week.
    pub cost: &'a [f64],
    /// Name of the cost: `cost_usd_per_week` or `agent_hours_per_week`.
    pub cost_name: &'a str,
    /// Pareto-optimal per point on cost versus the frontier metric.
    pub pareto: &'a [bool],
    /// The frontier's benefit metric (group `all`).
    pub frontier_metric: &'a str,
}

impl SweepView<'_> {
    /// Mean of `(metric, group)` at point `k` (NaN when the point lacks it).
    pub fn mean(&self, k: usize, metric: &str, group: &str) -> f64 {
        self.row(k, metric, group)
            .map_or(f64::NAN, |r| r.estimate.mean)
    }

    /// Summary row of `(metric, group)` at point `k`.
    pub fn row(&self, k: usize, metric: &str, group: &str) -> Option<&SummaryRow> {
        crate::montecarlo::find_row(&self.results[k].summary, metric, group)
    }
}

/// A column of one varied key's value per row, typed like the key's values over the whole
/// grid (`all`: integer, float, bool, or string when mixed), so every batch of a streamed
/// table has the same type.
fn key_column(name: &str, all: &[Value], vals: &[&Value]) -> Column {
    let name: PlSmallStr = name.into();
    if all.iter().all(|v| v.is_integer()) {
        Column::new(
            name,
            vals.iter().map(|v| v.as_integer()).collect::<Vec<_>>(),
        )
    } else if all.iter().all(|v| v.is_integer() || v.is_float()) {
        Column::new(
            name,
            vals.iter()
                .map(|v| v.as_float().or(v.as_integer().map(|i| i as f64)))
                .collect::<Vec<_>>(),
        )
    } else if all.iter().all(|v| v.is_bool()) {
        Column::new(name, vals.iter().map(|v| v.as_bool()).collect::<Vec<_>>())
    } else {
        Column::new(name, vals.iter().map(|v| show(v)).collect::<Vec<_>>())
    }
}

/// One row of the sweep table as streamed: point, (metric, group) and its estimate.
#[derive(Debug, Clone, Copy)]
pub struct TableRow<'a> {
    /// Grid point.
    pub point: u32,
    /// Metric name.
    pub metric: &'a str,
    /// The group's dimensions.
    pub key: &'a GroupKey,
    /// Replications with a finite value.
    pub n: u32,
    /// Mean over replications.
    pub mean: f64,
    /// Lower 95% confidence bound.
    pub ci_low: f64,
    /// Upper 95% confidence bound.
    pub ci_high: f64,
}

/// Rows `rows` of the sweep table (one per point, metric and group).
///
/// Columns: `point`, one column per varied key (named by its path, typed like its values),
/// the cost (`cost_usd_per_week` when every point is priced, else `agent_hours_per_week`),
/// `pareto_optimal`, `metric`, the key columns `dims` (the same for every batch: those of
/// every key of the sweep, [`super::keys::key_dims`]), `n_replications`, `mean`,
/// `ci_low`, `ci_high`. `pareto_optimal` refers to cost versus the frontier metric and is
/// repeated on every row of the point.
pub fn sweep_batch(v: &SweepView, dims: &[usize], rows: &[TableRow]) -> Result<DataFrame> {
    let point: Vec<usize> = rows.iter().map(|r| r.point as usize).collect();
    let mut cols = vec![Column::new(
        "point".into(),
        rows.iter().map(|r| r.point).collect::<Vec<_>>(),
    )];
    for (j, vary) in v.varies.iter().enumerate() {
        let vals: Vec<&Value> = point.iter().map(|&k| &v.points[k].settings[j].1).collect();
        cols.push(key_column(&vary.key, &vary.values, &vals));
    }
    let f = |g: fn(&TableRow) -> f64| rows.iter().map(|r| opt(g(r))).collect::<Vec<_>>();
    cols.extend([
        Column::new(
            v.cost_name.into(),
            point.iter().map(|&k| opt(v.cost[k])).collect::<Vec<_>>(),
        ),
        Column::new(
            "pareto_optimal".into(),
            point.iter().map(|&k| v.pareto[k]).collect::<Vec<_>>(),
        ),
        Column::new(
            "metric".into(),
            rows.iter().map(|r| r.metric).collect::<Vec<_>>(),
        ),
    ]);
    let keys: Vec<&GroupKey> = rows.iter().map(|r| r.key).collect();
    cols.extend(key_columns(dims, &keys)?);
    cols.extend([
        Column::new(
            MEAN_CI[0].0.into(),
            rows.iter().map(|r| r.n).collect::<Vec<_>>(),
        ),
        Column::new(MEAN_CI[1].0.into(), f(|r| r.mean)),
        Column::new(MEAN_CI[2].0.into(), f(|r| r.ci_low)),
        Column::new(MEAN_CI[3].0.into(), f(|r| r.ci_high)),
    ]);
    Ok(DataFrame::new_infer_height(cols)?)
}

/// One replication value as streamed: point, replication, (metric, group), value.
#[derive(Debug, Clone, Copy)]
pub struct ValueRow<'a> {
    /// Grid point.
    pub point: u32,
    /// Replication index.
    pub replication: u32,
    /// Metric name.
    pub metric: &'a str,
    /// The group's dimensions.
    pub key: &'a GroupKey,
    /// The value (NaN or infinite becomes a null).
    pub value: f64,
}

/// Rows of the replications table, long format: `point, replication, metric`, the key
/// columns `dims`, `value`. Rows of the same replication index ran on the same random streams.
pub fn replications_batch(dims: &[usize], rows: &[ValueRow]) -> Result<DataFrame> {
    let keys: Vec<&GroupKey> = rows.iter().map(|r| r.key).collect();
    let mut cols = vec![
        Column::new(
            "point".into(),
            rows.iter().map(|r| r.point).collect::<Vec<_>>(),
        ),
        Column::new(
            "replication".into(),
            rows.iter().map(|r| r.replication).collect::<Vec<_>>(),
        ),
        Column::new(
            "metric".into(),
            rows.iter().map(|r| r.metric).collect::<Vec<_>>(),
        ),
    ];
    cols.extend(key_columns(dims, &keys)?);
    cols.push(Column::new(
        "value".into(),
        rows.iter().map(|r| opt(r.value)).collect::<Vec<_>>(),
    ));
    Ok(DataFrame::new_infer_height(cols)?)
}

/// Whether a summary row is kept in memory for the frontier, the charts and the terminal
/// table after its point has been streamed to disk: the charted and headline metrics, the
/// cost, both SLA attainments (either can be the default frontier), pool utilisation and the
/// user's frontier metric, all of group `all` except utilisation.
pub fn kept(metric: &str, group: &str, frontier: Option<&str>) -> bool {
    if metric == "utilisation" {
        return true;
    }
    group == "all"
        && (CHARTED.iter().any(|(m, ..)| *m == metric)
            || matches!(
                metric,
                "cost_usd_per_week" | "sla_first_response_attainment" | "sla_resolution_attainment"
            )
            || frontier == Some(metric))
}

/// Metrics charted against the first varied key: (metric, group, title, y label).
const CHARTED: [(&str, &str, &str, &str); 4] = [
    (
        "resolution_time_min",
        "all",
        "Resolution time",
        "mean resolution time [minutes]",
    ),
    (
        "first_response_time_min",
        "all",
        "First response time",
        "mean first response time [minutes]",
    ),
    (
        "sla_resolution_attainment",
        "all",
        "SLA resolution attainment",
        "tickets within resolution target [%]",
    ),
    (
        "abandonment_rate",
        "all",
        "Abandonment",
        "live contacts abandoned [%]",
    ),
];

/// Pools with a utilisation chart at most (more would be a chart per pool nobody reads).
const MAX_POOL_CHARTS: usize = 4;

fn file_safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Series label of a point: the settings of every key but the first (or `fallback`).
fn series_label(p: &Point, fallback: &str) -> String {
    let rest: Vec<String> = p.settings[1..]
        .iter()
        .map(|(k, v)| {
            if k == "model" {
                show(v)
            } else {
                format!("{k}={}", show(v))
            }
        })
        .collect();
    if rest.is_empty() {
        fallback.to_string()
    } else {
        rest.join(", ")
    }
}

/// The charts of `supportsim sweep`, as (file stem, rendering): each headline metric against
/// the first varied key (one series per combination of the other keys), and the cost versus
/// frontier-metric scatter with the Pareto-optimal points joined.
pub fn sweep_charts(v: &SweepView) -> Result<Vec<(String, Rendered)>> {
    let Some(first) = v.varies.first() else {
        return Ok(Vec::new());
    };
    let mut charted: Vec<(String, String, String, String)> = CHARTED
        .iter()
        .filter(|(m, g, ..)| (0..v.points.len()).any(|k| v.mean(k, m, g).is_finite()))
        .map(|(m, g, t, y)| (m.to_string(), g.to_string(), t.to_string(), y.to_string()))
        .collect();
    let pools: Vec<(String, String)> = v.results[0]
        .summary
        .iter()
        .filter(|r| r.metric == "utilisation")
        .map(|r| (r.group.clone(), r.key.pool.clone().unwrap_or_default()))
        .collect();
    if pools.len() <= MAX_POOL_CHARTS {
        for (g, name) in pools {
            charted.push((
                "utilisation".into(),
                g,
                format!("Utilisation of {name}"),
                "time busy [%]".into(),
            ));
        }
    }
    let numeric = first.values.iter().all(|x| x.is_integer() || x.is_float());
    // Series in order of first appearance, each with its points in grid order.
    let mut series: Vec<(String, Vec<usize>)> = Vec::new();
    for (k, p) in v.points.iter().enumerate() {
        let label = series_label(p, "mean, 95% CI");
        match series.iter_mut().find(|s| s.0 == label) {
            Some(s) => s.1.push(k),
            None => series.push((label, vec![k])),
        }
    }
    let mut out = Vec::new();
    for (metric, group, title, y_label) in &charted {
        let kind = v
            .results
            .iter()
            .find_map(|r| crate::montecarlo::find_row(&r.summary, metric, group))
            .map(|r| r.kind);
        let percent = kind == Some(Kind::Fraction);
        // Times read in hours once they pass two hours (as the tables write them).
        let largest = (0..v.points.len())
            .filter_map(|k| v.row(k, metric, group))
            .map(|r| r.estimate.ci_high.max(r.estimate.mean))
            .filter(|x| x.is_finite())
            .fold(0.0f64, f64::max);
        let hours = matches!(kind, Some(Kind::Time | Kind::Duration)) && largest > 120.0;
        let scale = if hours { 1.0 / 60.0 } else { 1.0 };
        let y_label = if hours {
            y_label.replace("[minutes]", "[hours]")
        } else {
            y_label.clone()
        };
        let title = format!("{title} vs {} (mean, 95% CI)", first.key);
        let stem = if group == "all" {
            format!("{metric}_vs_{}", first.key)
        } else {
            format!("{metric}_{group}_vs_{}", first.key)
        };
        let chart = if numeric {
            let bands: Vec<BandSeries> = series
                .iter()
                .map(|(name, ks)| {
                    let est = |k: usize, f: fn(&SummaryRow) -> f64| {
                        v.row(k, metric, group).map_or(f64::NAN, f) * scale
                    };
                    BandSeries {
                        name: name.clone(),
                        x: ks
                            .iter()
                            .map(|&k| {
                                let x = &v.points[k].settings[0].1;
                                x.as_float()
                                    .or(x.as_integer().map(|i| i as f64))
                                    .unwrap_or(f64::NAN)
                            })
                            .collect(),
                        mean: ks.iter().map(|&k| est(k, |r| r.estimate.mean)).collect(),
                        low: ks.iter().map(|&k| est(k, |r| r.estimate.ci_low)).collect(),
                        high: ks.iter().map(|&k| est(k, |r| r.estimate.ci_high)).collect(),
                    }
                })
                .collect();
            chart::lines_with_bands(&title, &first.key, &y_label, &bands)?
        } else {
            let bars: Vec<CiBar> = v
                .points
                .iter()
                .enumerate()
                .filter_map(|(k, p)| {
                    let r = v.row(k, metric, group)?;
                    let mut e = r.estimate;
                    e.mean *= scale;
                    e.ci_low *= scale;
                    e.ci_high *= scale;
                    Some(CiBar::of_estimate(
                        show(&p.settings[0].1),
                        series_label(p, metric),
                        &e,
                        None,
                    ))
                })
                .collect();
            let range = if percent {
                (0.0, 1.0)
            } else {
                (f64::NAN, f64::NAN)
            };
            chart::grouped_bars_ci(&title, &first.key, &y_label, &bars, range, percent)?
        };
        out.push((file_safe(&stem), chart));
    }
    out.push(("frontier".to_string(), frontier(v)?));
    Ok(out)
}

/// Cost versus the frontier metric, one dot colour per model when `model` varies, the
/// Pareto-optimal points joined in order of cost.
fn frontier(v: &SweepView) -> Result<Rendered> {
    let model_key = v.varies.iter().position(|x| x.key == "model");
    let mut groups: Vec<Curve> = Vec::new();
    for (k, p) in v.points.iter().enumerate() {
        let name = model_key.map_or("sweep points".to_string(), |j| show(&p.settings[j].1));
        let pt = (v.cost[k], v.mean(k, v.frontier_metric, "all"));
        match groups.iter_mut().find(|c| c.name == name) {
            Some(c) => c.points.push(pt),
            None => groups.push(Curve {
                name,
                points: vec![pt],
            }),
        }
    }
    let mut best: Vec<(f64, f64)> = (0..v.points.len())
        .filter(|&k| v.pareto[k])
        .map(|k| (v.cost[k], v.mean(k, v.frontier_metric, "all")))
        .collect();
    best.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let front = Curve {
        name: "Pareto-optimal".into(),
        points: best,
    };
    let percent = v
        .results
        .iter()
        .find_map(|r| crate::montecarlo::find_row(&r.summary, v.frontier_metric, "all"))
        .is_some_and(|r| r.kind == Kind::Fraction);
    // Every point is labelled with its settings when there are few, else the frontier only.
    let labelled = |k: usize| v.pareto[k] || v.points.len() <= MAX_LABELLED_POINTS;
    let mut order: Vec<usize> = (0..v.points.len()).filter(|&k| labelled(k)).collect();
    // Frontier points claim their label places first.
    order.sort_by_key(|&k| !v.pareto[k]);
    let labels: Vec<(f64, f64, String)> = order
        .into_iter()
        .map(|k| {
            (
                v.cost[k],
                v.mean(k, v.frontier_metric, "all"),
                point_short_label(&v.points[k]),
            )
        })
        .collect();
    Ok(chart::scatter_labelled(
        &format!(
            "Cost vs {} (Pareto-optimal points joined)",
            v.frontier_metric
        ),
        if v.cost_name == "cost_usd_per_week" {
            "total cost per week [USD] (mean)"
        } else {
            "paid agent-hours per week [agent-hours]"
        },
        &format!("{} (mean)", v.frontier_metric),
        &groups,
        Some(&front),
        percent,
        &labels,
    )?)
}

/// Points of a frontier chart that are all labelled; beyond this only the Pareto-optimal ones.
const MAX_LABELLED_POINTS: usize = 12;

/// A point's settings in a few characters: `#3 swarm, growth_per_month=0.05` (the last part of
/// each key, the bare value for `model`).
fn point_short_label(p: &Point) -> String {
    let parts: Vec<String> = p
        .settings
        .iter()
        .map(|(k, x)| {
            if k == "model" {
                show(x)
            } else {
                let short = k.rsplit('.').next().unwrap_or(k);
                // `pools.l1.headcount` -> `l1.headcount`: the pool matters.
                let short = if short == "headcount" {
                    k.strip_prefix("pools.").unwrap_or(k)
                } else {
                    short
                };
                format!("{short}={}", show(x))
            }
        })
        .collect();
    format!("#{} {}", p.index, parts.join(", "))
}
