//! Tables and charts of `supportsim roster`.

use super::Result;
use crate::chart::{self, Curve, Rendered};
use crate::montecarlo::SummaryRow;
use crate::scenario::Scenario;
use crate::study::roster::repair::Evaluation;
use crate::study::roster::{Outcome, coverage, model_pool};
use crate::study::staff::Target;
use polars::prelude::*;

/// The roster table: one row per pattern with agents, `pool, shift, days, start, end,
/// timezone, paid_hours_per_week, agents, cost_per_week` (cost of all its agents).
pub fn roster_df(o: &Outcome, s: &Scenario) -> Result<DataFrame> {
    let r = &o.last().roster;
    let (mut pool, mut shift, mut days, mut start, mut end, mut tz) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    let (mut hours, mut agents, mut cost) = (vec![], vec![], vec![]);
    for (p, a) in o.patterns.iter().zip(&r.agents) {
        if *a == 0 {
            continue;
        }
        pool.push(s.raw.pools[p.pool].name.clone());
        shift.push(p.label());
        days.push(crate::study::roster::patterns::days_label(&p.days));
        start.push(crate::study::roster::patterns::hhmm(u32::from(p.start_min)));
        end.push(crate::study::roster::patterns::hhmm(u32::from(p.end_min())));
        tz.push(p.timezone.clone());
        hours.push(p.hours_per_week);
        agents.push(*a);
        cost.push(p.cost_per_week * f64::from(*a));
    }
    Ok(DataFrame::new_infer_height(vec![
        Column::new("pool".into(), pool),
        Column::new("shift".into(), shift),
        Column::new("days".into(), days),
        Column::new("start".into(), start),
        Column::new("end".into(), end),
        Column::new("timezone".into(), tz),
        Column::new("paid_hours_per_week".into(), hours),
        Column::new("agents".into(), agents),
        Column::new("cost_per_week".into(), cost),
    ])?)
}

/// Coverage per pool and interval: `pool, interval_start, hour_of_week, required_scheduled,
/// repair_extra, rostered_scheduled, file_scheduled, surplus` (rostered minus required with
/// the repairs' extra).
pub fn coverage_df(o: &Outcome, s: &Scenario) -> Result<DataFrame> {
    let req = &o.requirements;
    let dt = req.settings.interval_min;
    let (mut pool, mut label, mut hour) = (vec![], vec![], vec![]);
    let (mut need, mut extra, mut got, mut file, mut surplus) =
        (vec![], vec![], vec![], vec![], vec![]);
    for fp in crate::study::roster::rostered_pools(s) {
        let Ok(m) = model_pool(s, fp) else { continue };
        let cov = coverage(&o.patterns, &o.last().roster, fp);
        for (j, row) in req.pools[m].rows.iter().enumerate() {
            pool.push(s.raw.pools[fp].name.clone());
            label.push(req.labels[j].clone());
            hour.push(j as f64 * dt / 60.0);
            need.push(row.required_scheduled);
            extra.push(o.extra[fp][j]);
            got.push(cov[j]);
            file.push(row.file_scheduled);
            surplus.push(cov[j] - f64::from(row.required_scheduled + o.extra[fp][j]));
        }
    }
    Ok(DataFrame::new_infer_height(vec![
        Column::new("pool".into(), pool),
        Column::new("interval_start".into(), label),
        Column::new("hour_of_week".into(), hour),
        Column::new("required_scheduled".into(), need),
        Column::new("repair_extra".into(), extra),
        Column::new("rostered_scheduled".into(), got),
        Column::new("file_scheduled".into(), file),
        Column::new("surplus".into(), surplus),
    ])?)
}

/// Rounds of the simulate-and-repair loop, the trimmed roster (`trimmed`) and the
/// confirmation: `round, seed, cost_per_week,
/// target, mean, bound, margin, met`.
pub fn rounds_df(o: &Outcome, targets: &[Target], seed: u64) -> Result<DataFrame> {
    let (mut round, mut seeds, mut cost, mut target) = (vec![], vec![], vec![], vec![]);
    let (mut mean, mut bound, mut margin, mut met) = (vec![], vec![], vec![], vec![]);
    let mut push = |name: String, sd: u64, e: &Evaluation| {
        for (t, r) in targets.iter().zip(&e.targets) {
            round.push(name.clone());
            seeds.push(sd);
            cost.push(e.cost);
            target.push(t.expr.clone());
            mean.push(r.mean);
            bound.push(r.bound);
            margin.push(r.margin);
            met.push(r.met);
        }
    };
    push("file".into(), seed, &o.file);
    for (i, r) in o.rounds.iter().enumerate() {
        push(i.to_string(), seed, &r.eval);
    }
    if let Some(t) = &o.trim {
        push("trimmed".into(), seed, &t.round.eval);
    }
    push("confirmation".into(), o.confirmation_seed, &o.confirmed);
    Ok(DataFrame::new_infer_height(vec![
        Column::new("round".into(), round),
        Column::new("seed".into(), seeds),
        Column::new("cost_per_week".into(), cost),
        Column::new("target".into(), target),
        Column::new("mean".into(), mean),
        Column::new("bound".into(), bound),
        Column::new("margin".into(), margin),
        Column::new("met".into(), met),
    ])?)
}

/// SLA attainment per target cell with 95% CIs, of the file's shifts and of the confirmed
/// roster: `metric`, the key columns (`priority`, `target`), `goal, file_mean, file_ci_low, file_ci_high, roster_mean,
/// roster_ci_low, roster_ci_high`.
pub fn sla_df(o: &Outcome) -> Result<DataFrame> {
    let pick = |rows: &[SummaryRow]| -> Vec<SummaryRow> {
        rows.iter()
            .filter(|r| r.metric.starts_with("sla_") || r.metric == "abandonment_rate")
            .filter(|r| {
                r.group == "all"
                    || r.group.starts_with("target=")
                    || r.group.starts_with("priority=")
            })
            .cloned()
            .collect()
    };
    let file = pick(&o.file.summary);
    let rost = pick(&o.confirmed.summary);
    let (mut metric, mut keys, mut goal) = (vec![], vec![], vec![]);
    let (mut fm, mut fl, mut fh, mut rm, mut rl, mut rh) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    for r in &rost {
        let f = file
            .iter()
            .find(|x| x.metric == r.metric && x.group == r.group);
        metric.push(r.metric.to_string());
        keys.push(&r.key);
        goal.push(r.goal);
        fm.push(f.map(|x| x.estimate.mean));
        fl.push(f.map(|x| x.estimate.ci_low));
        fh.push(f.map(|x| x.estimate.ci_high));
        rm.push(r.estimate.mean);
        rl.push(r.estimate.ci_low);
        rh.push(r.estimate.ci_high);
    }
    let mut cols = vec![Column::new("metric".into(), metric)];
    cols.extend(super::keys::keys_of(&keys)?);
    cols.extend([
        Column::new("goal".into(), goal),
        Column::new("file_mean".into(), fm),
        Column::new("file_ci_low".into(), fl),
        Column::new("file_ci_high".into(), fh),
        Column::new("roster_mean".into(), rm),
        Column::new("roster_ci_low".into(), rl),
        Column::new("roster_ci_high".into(), rh),
    ]);
    Ok(DataFrame::new_infer_height(cols)?)
}

/// Rostered vs required scheduled agents of file pool `fp` over the week, as steps.
pub fn coverage_chart(o: &Outcome, s: &Scenario, fp: usize) -> Result<Rendered> {
    let req = &o.requirements;
    let dt = req.settings.interval_min / 60.0;
    let m = model_pool(s, fp).unwrap_or(0);
    let rows = &req.pools[m].rows;
    let cov = coverage(&o.patterns, &o.last().roster, fp);
    let steps = |y: &dyn Fn(usize) -> f64| -> Vec<(f64, f64)> {
        let mut pts = Vec::with_capacity(2 * rows.len());
        for j in 0..rows.len() {
            pts.push((j as f64 * dt, y(j)));
            pts.push(((j + 1) as f64 * dt, y(j)));
        }
        pts
    };
    let curves = [
        Curve {
            name: "rostered (scheduled)".into(),
            points: steps(&|j| cov[j]),
        },
        Curve {
            name: "required + repairs".into(),
            points: steps(&|j| f64::from(rows[j].required_scheduled + o.extra[fp][j])),
        },
        Curve {
            name: "required (analytic)".into(),
            points: steps(&|j| f64::from(rows[j].required_scheduled)),
        },
        Curve {
            name: "file (scheduled)".into(),
            points: steps(&|j| rows[j].file_scheduled),
        },
    ];
    let start = req.labels.first().map_or("", String::as_str);
    Ok(chart::curves(
        &format!(
            "{}: pool {} roster vs requirement",
            s.name, s.raw.pools[fp].name
        ),
        &format!("hours from {start} (local)"),
        "scheduled agents",
        &curves,
        &[],
        false,
        false,
    )?)
}
