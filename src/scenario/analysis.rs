//! Analytic estimates from a validated scenario: the mean arrival rate, and the warnings
//! drawn from the offered load per pool.
//!
//! The load itself is computed by [`crate::model::load`] from the model's own step
//! function, so it cannot drift from the engine's routing; it is re-exported here.

use super::Scenario;
pub use crate::model::load::{PoolLoad, pool_loads};

/// Mean arrival rate over `[from, to)` [tickets/minute], before deflection, with daily
/// multipliers at their mean of 1.
pub fn mean_arrival_rate(s: &Scenario, from: f64, to: f64) -> f64 {
    let segs = &s.demand.segments;
    let span = s.run.span_min();
    let mut area = 0.0;
    for (i, seg) in segs.iter().enumerate() {
        let end = segs.get(i + 1).map_or(span, |x| x.start_min);
        let (a, b) = (seg.start_min.max(from), end.min(to));
        if b > a {
            area += (b - a) * seg.rate_per_min;
        }
    }
    area / (to - from)
}

/// Non-fatal findings shown by `validate` and `run`.
pub fn warnings(s: &Scenario) -> Vec<String> {
    let mut out = Vec::new();
    for l in pool_loads(s) {
        if l.utilisation >= 1.0 {
            out.push(format!(
                "pool {:?}: estimated utilisation {:.2} >= 1 (offered {:.1} erlangs vs {:.1} agents on duty on average): its queue grows without bound, results describe an overloaded system bounded only by the horizon and run.max_open_tickets",
                l.pool, l.utilisation, l.offered_erlangs, l.mean_staffed
            ));
        } else if l.utilisation >= 0.95 {
            out.push(format!(
                "pool {:?}: estimated utilisation {:.2} is close to 1: waits will be long and slow to settle; consider a longer warm-up",
                l.pool, l.utilisation
            ));
        }
    }
    if s.sla.targets.is_empty() {
        out.push("no [[sla]] targets: SLA attainment will not be reported".to_string());
    }
    out
}
