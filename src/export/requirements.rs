//! Table and charts of `supportsim requirements`.

use super::Result;
use crate::chart::{self, Curve, Rendered};
use crate::study::requirements::Requirements;
use polars::prelude::*;

/// One row per pool and interval: `pool, interval_start (local label), hour_of_week,
/// chat_contacts, phone_contacts, live_method, live_agents, live_busy, deferred_erlangs,
/// required_on_duty, required_scheduled, file_on_duty, file_scheduled, gap` (agents; gap =
/// file scheduled minus required scheduled, negative = short); with `[incidents]`,
/// `incident_erlangs` after `deferred_erlangs`. `chat_contacts` sums the chat-kind channels
/// and `phone_contacts` the voice-kind ones (the names of today's default channels).
pub fn requirements_df(r: &Requirements) -> Result<DataFrame> {
    let dt = r.settings.interval_min;
    let mut pool = Vec::new();
    let mut label = Vec::new();
    let mut hour = Vec::new();
    let (mut chat, mut phone) = (Vec::new(), Vec::new());
    let mut method = Vec::new();
    let (mut live, mut busy, mut deferred) = (Vec::new(), Vec::new(), Vec::new());
    let mut incident = Vec::new();
    let (mut on_duty, mut scheduled) = (Vec::new(), Vec::new());
    let (mut file_on, mut file_sched, mut gap) = (Vec::new(), Vec::new(), Vec::new());
    for p in &r.pools {
        for (j, row) in p.rows.iter().enumerate() {
            pool.push(p.pool.clone());
            label.push(r.labels[j].clone());
            hour.push(j as f64 * dt / 60.0);
            chat.push(row.live_contacts[0]);
            phone.push(row.live_contacts[1]);
            method.push(row.live_method);
            live.push(row.live_agents);
            busy.push(row.live_busy);
            deferred.push(row.deferred_erlangs);
            incident.push(row.incident_erlangs);
            on_duty.push(row.required_on_duty);
            scheduled.push(row.required_scheduled);
            file_on.push(row.file_on_duty);
            file_sched.push(row.file_scheduled);
            gap.push(row.gap());
        }
    }
    let mut columns = vec![
        Column::new("pool".into(), pool),
        Column::new("interval_start".into(), label),
        Column::new("hour_of_week".into(), hour),
        Column::new("chat_contacts".into(), chat),
        Column::new("phone_contacts".into(), phone),
        Column::new("live_method".into(), method),
        Column::new("live_agents".into(), live),
        Column::new("live_busy".into(), busy),
        Column::new("deferred_erlangs".into(), deferred),
    ];
    if r.incidents {
        columns.push(Column::new("incident_erlangs".into(), incident));
    }
    columns.extend([
        Column::new("required_on_duty".into(), on_duty),
        Column::new("required_scheduled".into(), scheduled),
        Column::new("file_on_duty".into(), file_on),
        Column::new("file_scheduled".into(), file_sched),
        Column::new("gap".into(), gap),
    ]);
    Ok(DataFrame::new_infer_height(columns)?)
}

/// Required vs scheduled agents of pool `p` over the week, as steps per interval.
pub fn requirements_chart(name: &str, r: &Requirements, p: usize) -> Result<Rendered> {
    let dt = r.settings.interval_min / 60.0;
    let pr = &r.pools[p];
    let steps = |y: &dyn Fn(usize) -> f64| -> Vec<(f64, f64)> {
        let mut pts = Vec::with_capacity(2 * pr.rows.len());
        for j in 0..pr.rows.len() {
            pts.push((j as f64 * dt, y(j)));
            pts.push(((j + 1) as f64 * dt, y(j)));
        }
        pts
    };
    let curves = [
        Curve {
            name: "required (scheduled)".into(),
            points: steps(&|j| f64::from(pr.rows[j].required_scheduled)),
        },
        Curve {
            name: "file (scheduled)".into(),
            points: steps(&|j| pr.rows[j].file_scheduled),
        },
        Curve {
            name: "required (on duty)".into(),
            points: steps(&|j| f64::from(pr.rows[j].required_on_duty)),
        },
    ];
    let start = r.labels.first().map_or("", String::as_str);
    Ok(chart::curves(
        &format!(
            "{name}: pool {} agents per interval vs requirement",
            pr.pool
        ),
        &format!("hours from {start} (local)"),
        "agents",
        &curves,
        &[],
        false,
        false,
    )?)
}
