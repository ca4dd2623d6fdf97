//! Time-series layout: which series a replication samples, in column order.

use super::key::GroupKey;
use crate::scenario::Scenario;

/// Time-series layout: which series a replication samples, in column order.
#[derive(Debug, Clone)]
pub struct SeriesLayout {
    /// `(series, group)` per column.
    pub columns: Vec<(&'static str, GroupKey)>,
    /// Sample times (end of each interval) [minutes].
    pub times: Vec<f64>,
}

impl SeriesLayout {
    /// The layout for a scenario.
    pub fn new(s: &Scenario) -> Self {
        let mut columns = vec![
            ("arrivals_per_interval", GroupKey::all()),
            ("backlog_tickets", GroupKey::all()),
        ];
        for p in &s.pools {
            columns.push(("queue_tickets", GroupKey::pool(&p.name)));
        }
        if s.swarm.is_some() {
            columns.push(("swarm_requests_waiting", GroupKey::all()));
        }
        for p in &s.pools {
            columns.push(("busy_agents", GroupKey::pool(&p.name)));
        }
        for p in &s.pools {
            columns.push(("on_duty_agents", GroupKey::pool(&p.name)));
        }
        let dt = s.run.interval_min;
        let n = (s.run.window_end_min() / dt).floor() as usize;
        let times = (1..=n).map(|k| k as f64 * dt).collect();
        SeriesLayout { columns, times }
    }
}
