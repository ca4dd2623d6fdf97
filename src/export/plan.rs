//! Tables and charts of `supportsim plan`: results per week and per month with CIs, the
//! hiring schedule, the search's steps, the targets per month; attainment per month against
//! goal, and headcount against requirement per month.

use super::Result;
use crate::chart::{self, BandSeries, Curve, Rendered};
use crate::measure::GroupKey;
use crate::study::plan::{Evaluation, Measure, Outcome, PlanTarget, Setup, Span, search};
use polars::prelude::*;

/// One reported row kind: metric, group, its measure and the factor to the table's unit.
pub struct Reported {
    /// Metric name (unit in the name).
    pub metric: String,
    /// Group (`all`, `target=P1/enterprise`, `pool=l1`).
    pub group: String,
    /// What it measures.
    pub measure: Measure,
    /// Factor from the measure's unit to the metric's.
    pub scale: f64,
}

/// Everything the week and month tables report, in order.
pub fn reported(setup: &Setup) -> Vec<Reported> {
    let s = &setup.scenario;
    let row = |metric: &str, group: String, measure, scale| Reported {
        metric: metric.to_string(),
        group,
        measure,
        scale,
    };
    let all = |res| crate::study::plan::measures::group_cells(s, "all", res).unwrap_or_default();
    let mut out = Vec::new();
    if !s.sla.targets.is_empty() {
        for (res, metric) in [
            (false, "sla_first_response_attainment"),
            (true, "sla_resolution_attainment"),
        ] {
            out.push(row(
                metric,
                "all".into(),
                Measure::Attainment {
                    resolution: res,
                    cells: all(res),
                },
                1.0,
            ));
            for t in &s.sla.targets {
                let has = if res {
                    t.resolution.is_some()
                } else {
                    t.first_response.is_some()
                };
                let g = format!("target={}", t.label);
                if let (true, Some(cells)) =
                    (has, crate::study::plan::measures::group_cells(s, &g, res))
                {
                    out.push(row(
                        metric,
                        g,
                        Measure::Attainment {
                            resolution: res,
                            cells,
                        },
                        1.0,
                    ));
                }
            }
        }
    }
    out.push(row(
        "resolution_time_hours",
        "all".into(),
        Measure::ResolutionMin(all(true)),
        1.0 / 60.0,
    ));
    out.push(row("backlog_tickets", "all".into(), Measure::Backlog, 1.0));
    for (q, p) in s.pools.iter().enumerate() {
        out.push(row(
            "utilisation",
            format!("pool={}", p.name),
            Measure::Utilisation(q),
            1.0,
        ));
    }
    for (p, name) in setup.pools.iter().enumerate() {
        let g = format!("pool={name}");
        out.push(row(
            "headcount_agents",
            g.clone(),
            Measure::Headcount(p),
            1.0,
        ));
        out.push(row(
            "productive_agents",
            g.clone(),
            Measure::Productive(p),
            1.0,
        ));
        out.push(row(
            "departures_agents",
            g.clone(),
            Measure::Departures(p),
            1.0,
        ));
        out.push(row("hires_agents", g, Measure::Hires(p), 1.0));
    }
    out.push(row(
        &format!("cost_{}", setup.cost_unit()),
        "all".into(),
        Measure::Cost,
        1.0,
    ));
    out
}

/// The long table of `e` per week (`monthly` false) or per month: `week|month, start_date,
/// metric`, the key columns (`target`, `pool`: null where a row has none; see
/// [`super::keys`]), `n_replications, mean, ci_low, ci_high` (95% t-based CIs across
/// replications). Monthly tables add `requirement_agents` rows (an estimate: no CI).
pub fn results_df(
    setup: &Setup,
    e: &Evaluation,
    monthly: bool,
    requirements: &[Vec<f64>],
) -> Result<DataFrame> {
    let h = &setup.horizon;
    let n = if monthly {
        h.months.len()
    } else {
        h.weeks.len()
    };
    let rows = reported(setup);
    let (mut idx, mut date, mut metric, mut group) = (vec![], vec![], vec![], vec![]);
    let (mut reps, mut mean, mut lo, mut hi) = (vec![], vec![], vec![], vec![]);
    for k in 0..n {
        let span = if monthly {
            Span::Month(k)
        } else {
            Span::Week(k)
        };
        let d = if monthly {
            h.month_dates[k]
        } else {
            h.week_dates[k]
        };
        for r in &rows {
            let est = e.estimate(setup, span, &r.measure);
            idx.push(k as u32 + 1);
            date.push(d.to_string());
            metric.push(r.metric.clone());
            group.push(r.group.clone());
            reps.push(est.n as u32);
            mean.push(est.mean * r.scale);
            lo.push(est.ci_low * r.scale);
            hi.push(est.ci_high * r.scale);
        }
        if monthly {
            for (p, name) in setup.pools.iter().enumerate() {
                idx.push(k as u32 + 1);
                date.push(d.to_string());
                metric.push("requirement_agents".into());
                group.push(format!("pool={name}"));
                reps.push(0);
                mean.push(
                    requirements
                        .get(p)
                        .and_then(|r| r.get(k))
                        .copied()
                        .unwrap_or(f64::NAN),
                );
                lo.push(f64::NAN);
                hi.push(f64::NAN);
            }
        }
    }
    let keys: Vec<GroupKey> = group.iter().map(|g| key_of(g)).collect();
    let key_refs: Vec<&GroupKey> = keys.iter().collect();
    let mut columns = vec![
        Column::new(if monthly { "month" } else { "week" }.into(), idx),
        super::keys::date_column(
            "start_date".into(),
            date.iter().map(|d| d.parse::<jiff::civil::Date>().ok()),
        )?,
        Column::new("metric".into(), metric),
    ];
    columns.extend(super::keys::keys_of(&key_refs)?);
    columns.extend([
        Column::new("n_replications".into(), reps),
        Column::new("mean".into(), mean),
        Column::new("ci_low".into(), lo),
        Column::new("ci_high".into(), hi),
    ]);
    Ok(DataFrame::new_infer_height(columns)?)
}

/// The typed key of a reported row's group (`all`, `target=P1/enterprise`, `pool=l1`).
fn key_of(group: &str) -> GroupKey {
    match group.split_once('=') {
        Some(("target", label)) => GroupKey::target(label),
        Some(("pool", name)) => GroupKey::pool(name),
        _ => GroupKey::all(),
    }
}

/// The hiring schedule: `date, pool, count, source (file|search), on_duty_from`.
pub fn hires_df(setup: &Setup, o: &Outcome) -> Result<DataFrame> {
    let (mut date, mut pool, mut count, mut source, mut duty) =
        (vec![], vec![], vec![], vec![], vec![]);
    let training = jiff::Span::new().days((setup.plan.training_weeks * 7.0).round() as i64);
    for (h, src) in setup
        .plan
        .hires
        .iter()
        .map(|h| (h, "file"))
        .chain(o.added.iter().map(|h| (h, "search")))
    {
        date.push(h.date.to_string());
        pool.push(setup.pools[h.pool].clone());
        count.push(h.count);
        source.push(src);
        duty.push(h.date.checked_add(training).unwrap_or(h.date).to_string());
    }
    Ok(DataFrame::new_infer_height(vec![
        Column::new("date".into(), date),
        Column::new("pool".into(), pool),
        Column::new("count".into(), count),
        Column::new("source".into(), source),
        Column::new("on_duty_from".into(), duty),
    ])?)
}

/// The search's steps: `step, month, target, margin, pool, date, seed (search|confirmation)`.
pub fn steps_df(setup: &Setup, o: &Outcome) -> Result<DataFrame> {
    let st = &o.steps;
    Ok(DataFrame::new_infer_height(vec![
        Column::new("step".into(), (1..=st.len() as u32).collect::<Vec<_>>()),
        Column::new(
            "month".into(),
            st.iter()
                .map(|x| setup.horizon.month_label(x.month))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "target".into(),
            st.iter().map(|x| x.target.clone()).collect::<Vec<_>>(),
        ),
        Column::new(
            "margin".into(),
            st.iter().map(|x| x.margin).collect::<Vec<_>>(),
        ),
        Column::new(
            "pool".into(),
            st.iter()
                .map(|x| setup.pools[x.pool].clone())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "date".into(),
            st.iter().map(|x| x.date.to_string()).collect::<Vec<_>>(),
        ),
        Column::new(
            "seed".into(),
            st.iter()
                .map(|x| {
                    if x.confirmation {
                        "confirmation"
                    } else {
                        "search"
                    }
                })
                .collect::<Vec<_>>(),
        ),
    ])?)
}

/// Every target in every month of `e`: `month, target, mean, bound, margin, met, reachable`.
pub fn targets_df(
    setup: &Setup,
    targets: &[PlanTarget],
    e: &Evaluation,
    confidence: f64,
) -> Result<DataFrame> {
    let (mut month, mut target, mut mean, mut bound, mut margin, mut met, mut reach) =
        (vec![], vec![], vec![], vec![], vec![], vec![], vec![]);
    for m in 0..setup.horizon.months.len() {
        for t in targets {
            let r = t.check(setup, e, m, confidence);
            month.push(setup.horizon.month_label(m));
            target.push(t.target.expr.clone());
            mean.push(r.mean);
            bound.push(r.bound);
            margin.push(r.margin);
            met.push(r.met);
            reach.push(search::reachable(setup, m));
        }
    }
    Ok(DataFrame::new_infer_height(vec![
        Column::new("month".into(), month),
        Column::new("target".into(), target),
        Column::new("mean".into(), mean),
        Column::new("bound".into(), bound),
        Column::new("margin".into(), margin),
        Column::new("met".into(), met),
        Column::new("reachable".into(), reach),
    ])?)
}

/// Attainment per month (mean and 95% CI band) of every attainment target, with its goal as
/// a flat line.
pub fn attainment_chart(setup: &Setup, targets: &[PlanTarget], e: &Evaluation) -> Result<Rendered> {
    let months = setup.horizon.months.len();
    let x: Vec<f64> = (1..=months).map(|m| m as f64).collect();
    let mut series = Vec::new();
    for t in targets {
        if !matches!(t.measure, Measure::Attainment { .. }) {
            continue;
        }
        let est: Vec<_> = (0..months)
            .map(|m| e.estimate(setup, Span::Month(m), &t.measure))
            .collect();
        series.push(BandSeries {
            name: t.target.expr.clone(),
            x: x.clone(),
            mean: est.iter().map(|e| e.mean).collect(),
            low: est.iter().map(|e| e.ci_low).collect(),
            high: est.iter().map(|e| e.ci_high).collect(),
        });
        series.push(BandSeries {
            name: format!("goal {}", t.target.threshold),
            x: x.clone(),
            mean: vec![t.target.threshold; months],
            low: vec![t.target.threshold; months],
            high: vec![t.target.threshold; months],
        });
    }
    Ok(chart::lines_with_bands(
        &format!("{}: SLA attainment per month vs goal", setup.scenario.name),
        &format!("plan month (1 = {})", setup.horizon.month_label(0)),
        "attainment (95% CI)",
        &series,
    )?)
}

/// Paid and productive agents per month (means) against the occupancy requirement, per
/// file pool.
pub fn headcount_chart(
    setup: &Setup,
    e: &Evaluation,
    requirements: &[Vec<f64>],
) -> Result<Rendered> {
    let months = setup.horizon.months.len();
    let step = |y: &dyn Fn(usize) -> f64| -> Vec<(f64, f64)> {
        let mut pts = Vec::with_capacity(2 * months);
        for m in 0..months {
            pts.push((m as f64 + 1.0, y(m)));
            pts.push((m as f64 + 2.0, y(m)));
        }
        pts
    };
    let mut curves = Vec::new();
    for (p, name) in setup.pools.iter().enumerate() {
        curves.push(Curve {
            name: format!("{name} headcount"),
            points: step(&|m| {
                e.estimate(setup, Span::Month(m), &Measure::Headcount(p))
                    .mean
            }),
        });
        curves.push(Curve {
            name: format!("{name} requirement"),
            points: step(&|m| requirements[p][m]),
        });
    }
    Ok(chart::curves(
        &format!(
            "{}: headcount and requirement per month",
            setup.scenario.name
        ),
        &format!("plan month (1 = {})", setup.horizon.month_label(0)),
        "agents",
        &curves,
        &[],
        false,
        false,
    )?)
}
