//! Per-category measurement (`[categories]` / `[routing]`): first-response and resolution
//! times and SLA attainment by ticket category, and the share of steps at routed stages
//! that the rule's preferred pool took (the rest overflowed). Catalog entries only for files
//! with skills.

use super::catalog::{GroupKey, Kind, Quantity};
use super::recorder::Recorder;
use crate::engine::Ticket;
use crate::scenario::Scenario;

/// Counters of one category (measured tickets).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CategoryCounts {
    /// First responses.
    pub responded: u64,
    /// First response times, summed [minutes].
    pub fr_sum: f64,
    /// First responses covered by a first-response target, and those within it.
    pub fr_covered: u64,
    /// See `fr_covered`.
    pub fr_met: u64,
    /// Resolved tickets.
    pub resolved: u64,
    /// Resolution times, summed [minutes].
    pub res_sum: f64,
    /// Resolved tickets covered by a resolution target, and those within it.
    pub res_covered: u64,
    /// See `res_covered`.
    pub res_met: u64,
    /// Steps at routed stages.
    pub steps: u64,
    /// Of those, taken by the rule's preferred (first) pool.
    pub preferred: u64,
}

/// One per-category metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CategoryMetric {
    /// Mean first response [minutes].
    FirstResponse,
    /// Share of first responses within the first-response target.
    FirstResponseSla,
    /// Mean resolution time [minutes].
    Resolution,
    /// Share of resolutions within the resolution target.
    ResolutionSla,
    /// Share of routed steps taken by the preferred pool.
    Preferred,
    /// Resolved tickets.
    Resolved,
}

impl Recorder {
    /// A step of measured ticket `t` started at `now` at tier `tier` (`first`: its first
    /// response).
    #[inline]
    pub(super) fn category_step(
        &mut self,
        s: &Scenario,
        t: &Ticket,
        tier: usize,
        now: f64,
        first: bool,
    ) {
        let Some(k) = &s.skills else { return };
        let c = &mut self.categories[t.category as usize];
        if k.queues_by_category && tier < s.tiers.len() {
            c.steps += 1;
            c.preferred +=
                u64::from(k.routes[tier][t.category as usize][0].pool == t.pool as usize);
        }
        if first {
            let fr = now - t.arrival;
            c.responded += 1;
            c.fr_sum += fr;
            let cell = t.priority as usize * s.segment_count() + t.segment as usize;
            if let Some((_, target)) = s.sla.cells[cell].first_response {
                c.fr_covered += 1;
                c.fr_met +=
                    u64::from(s.sla.clock_minutes(&target, t.arrival, now) <= target.limit_min);
            }
        }
    }

    /// Measured ticket `t` was resolved at `now`.
    #[inline]
    pub(super) fn category_resolved(&mut self, s: &Scenario, t: &Ticket, now: f64) {
        let c = &mut self.categories[t.category as usize];
        let res = now - t.arrival;
        c.resolved += 1;
        c.res_sum += res;
        let cell = t.priority as usize * s.segment_count() + t.segment as usize;
        if let Some((_, target)) = s.sla.cells[cell].resolution {
            let mut clock = s.sla.clock_minutes(&target, t.arrival, now);
            if target.pause_on_customer {
                clock -= t.paused as f64;
            }
            c.res_covered += 1;
            c.res_met += u64::from(clock <= target.limit_min);
        }
    }

    /// The value of a per-category metric.
    pub(super) fn category_value(&self, m: CategoryMetric, cat: usize) -> f64 {
        let Some(c) = self.categories.get(cat) else {
            return f64::NAN;
        };
        let ratio = |a: f64, n: u64| if n == 0 { f64::NAN } else { a / n as f64 };
        match m {
            CategoryMetric::FirstResponse => ratio(c.fr_sum, c.responded),
            CategoryMetric::FirstResponseSla => ratio(c.fr_met as f64, c.fr_covered),
            CategoryMetric::Resolution => ratio(c.res_sum, c.resolved),
            CategoryMetric::ResolutionSla => ratio(c.res_met as f64, c.res_covered),
            CategoryMetric::Preferred => ratio(c.preferred as f64, c.steps),
            CategoryMetric::Resolved => c.resolved as f64,
        }
    }
}

/// Catalog entries per category, grouped `category=<name>` (none without skills).
pub(super) fn category_entries(
    s: &Scenario,
    push: &mut impl FnMut(&'static str, GroupKey, Quantity, Kind, Option<f64>, Option<(bool, usize)>),
) {
    let Some(k) = &s.skills else { return };
    let has_fr = s.sla.targets.iter().any(|t| t.first_response.is_some());
    let has_res = s.sla.targets.iter().any(|t| t.resolution.is_some());
    for (c, name) in k.names.iter().enumerate() {
        let group = GroupKey::category(name);
        let mut metrics = vec![
            ("tickets_resolved", CategoryMetric::Resolved, Kind::Count),
            (
                "first_response_time_min",
                CategoryMetric::FirstResponse,
                Kind::Duration,
            ),
            (
                "resolution_time_min",
                CategoryMetric::Resolution,
                Kind::Duration,
            ),
        ];
        if has_fr {
            metrics.push((
                "sla_first_response_attainment",
                CategoryMetric::FirstResponseSla,
                Kind::Fraction,
            ));
        }
        if has_res {
            metrics.push((
                "sla_resolution_attainment",
                CategoryMetric::ResolutionSla,
                Kind::Fraction,
            ));
        }
        if k.queues_by_category {
            metrics.push((
                "preferred_pool_share",
                CategoryMetric::Preferred,
                Kind::Fraction,
            ));
        }
        for (metric, m, kind) in metrics {
            push(
                metric,
                group.clone(),
                Quantity::Category(m, c),
                kind,
                None,
                None,
            );
        }
    }
}
