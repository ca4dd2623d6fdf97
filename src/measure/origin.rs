//! Backlog vs new tickets (`[initial_state]`): how long the starting backlog takes to clear,
//! and first response, resolution and SLA attainment grouped `origin=backlog|new`. Catalog
//! entries only for files with a backlog; without one no counter is touched.

use super::catalog::{GroupKey, Kind, Quantity};
use super::recorder::Recorder;
use crate::engine::Ticket;
use crate::scenario::Scenario;

/// Counters of one origin (measured tickets). Attainment counts breaches like the overall
/// `sla_*_attainment`: abandoned and still-open tickets miss the targets they have not met.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct OriginCounts {
    /// First responses given in the run.
    pub responded: u64,
    /// First response times, summed [minutes since arrival].
    pub fr_sum: f64,
    /// Tickets covered by a first-response target, and those that met it.
    pub fr_covered: u64,
    /// See `fr_covered`.
    pub fr_met: u64,
    /// Resolved tickets.
    pub resolved: u64,
    /// Resolution times, summed [minutes since arrival].
    pub res_sum: f64,
    /// Tickets covered by a resolution target, and those that met it.
    pub res_covered: u64,
    /// See `res_covered`.
    pub res_met: u64,
    /// Still open at the end.
    pub unresolved: u64,
}

/// The backlog's clearing state.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct BacklogState {
    /// Tickets of the backlog.
    pub total: u64,
    /// Of those, still open.
    pub open: u64,
    /// When the last one ended [minutes]; NaN while any is open.
    pub cleared_min: f64,
    /// Per origin: 0 new, 1 backlog.
    pub by_origin: [OriginCounts; 2],
}

/// One per-origin metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OriginMetric {
    /// Mean first response [minutes].
    FirstResponse,
    /// First-response attainment.
    FirstResponseSla,
    /// Mean resolution time [minutes].
    Resolution,
    /// Resolution attainment.
    ResolutionSla,
    /// Resolved tickets.
    Resolved,
    /// Open at the end.
    Unresolved,
    /// Backlog tickets at t = 0 (origin-free).
    BacklogTickets,
    /// Hours until the last backlog ticket ended (NaN if some never did).
    ClearTime,
}

impl Recorder {
    /// A backlog ticket was stored at t = 0.
    pub fn backlog_stored(&mut self) {
        let b = self.backlog.get_or_insert_with(Default::default);
        b.total += 1;
        b.open += 1;
        b.cleared_min = f64::NAN;
    }

    #[inline]
    fn origin(&mut self, t: &Ticket) -> Option<&mut OriginCounts> {
        self.backlog
            .as_mut()
            .map(|b| &mut b.by_origin[usize::from(t.backlog)])
    }

    /// A backlog ticket ended (resolved or abandoned) at `now`.
    fn backlog_ended(&mut self, t: &Ticket, now: f64) {
        if let Some(b) = self.backlog.as_mut()
            && t.backlog
        {
            b.open -= 1;
            if b.open == 0 {
                b.cleared_min = now;
            }
        }
    }

    /// First response of `t` at `now`; `met`: within its target (`None`: no target).
    #[inline]
    pub(super) fn origin_first_response(&mut self, t: &Ticket, fr: f64, met: Option<bool>) {
        if let Some(c) = self.origin(t) {
            c.responded += 1;
            c.fr_sum += fr;
            if let Some(m) = met {
                c.fr_covered += 1;
                c.fr_met += u64::from(m);
            }
        }
    }

    /// `t` resolved at `now` after `res` minutes; `met`: within its resolution target.
    #[inline]
    pub(super) fn origin_resolved(&mut self, t: &Ticket, now: f64, res: f64, met: Option<bool>) {
        if let Some(c) = self.origin(t) {
            c.resolved += 1;
            c.res_sum += res;
            if let Some(m) = met {
                c.res_covered += 1;
                c.res_met += u64::from(m);
            }
            self.backlog_ended(t, now);
        }
    }

    /// `t` ended unanswered or is still open: a breach of each target it has not met
    /// (`fr`, `res`: whether it has such a target); `open`: still open at the end.
    pub(super) fn origin_breach(&mut self, t: &Ticket, now: f64, fr: bool, res: bool, open: bool) {
        if let Some(c) = self.origin(t) {
            c.fr_covered += u64::from(fr);
            c.res_covered += u64::from(res);
            c.unresolved += u64::from(open);
            if !open {
                self.backlog_ended(t, now);
            }
        }
    }

    /// The value of a per-origin metric (`origin`: 0 new, 1 backlog).
    pub(super) fn origin_value(&self, m: OriginMetric, origin: usize) -> f64 {
        let Some(b) = &self.backlog else {
            return f64::NAN;
        };
        let c = &b.by_origin[origin.min(1)];
        let ratio = |a: f64, n: u64| if n == 0 { f64::NAN } else { a / n as f64 };
        match m {
            OriginMetric::FirstResponse => ratio(c.fr_sum, c.responded),
            OriginMetric::FirstResponseSla => ratio(c.fr_met as f64, c.fr_covered),
            OriginMetric::Resolution => ratio(c.res_sum, c.resolved),
            OriginMetric::ResolutionSla => ratio(c.res_met as f64, c.res_covered),
            OriginMetric::Resolved => c.resolved as f64,
            OriginMetric::Unresolved => c.unresolved as f64,
            OriginMetric::BacklogTickets => b.total as f64,
            OriginMetric::ClearTime => b.cleared_min / 60.0,
        }
    }
}

/// Catalog entries of a file with `[initial_state]` (none otherwise): the backlog's size and
/// clearing time, then per origin `origin=backlog|new` the outcome and SLA metrics.
pub(super) fn origin_entries(
    s: &Scenario,
    push: &mut impl FnMut(&'static str, GroupKey, Quantity, Kind, Option<f64>, Option<(bool, usize)>),
) {
    if s.backlog.is_none() {
        return;
    }
    push(
        "backlog_tickets",
        GroupKey::all(),
        Quantity::Origin(OriginMetric::BacklogTickets, 1),
        Kind::Count,
        None,
        None,
    );
    push(
        "backlog_clear_time_h",
        GroupKey::all(),
        Quantity::Origin(OriginMetric::ClearTime, 1),
        Kind::Count,
        None,
        None,
    );
    let has_fr = s.sla.targets.iter().any(|t| t.first_response.is_some());
    let has_res = s.sla.targets.iter().any(|t| t.resolution.is_some());
    for (o, name) in [(1, "backlog"), (0, "new")] {
        let group = GroupKey::origin(name);
        let mut metrics = vec![
            ("tickets_resolved", OriginMetric::Resolved, Kind::Count),
            (
                "tickets_unresolved_at_end",
                OriginMetric::Unresolved,
                Kind::Count,
            ),
            (
                "first_response_time_min",
                OriginMetric::FirstResponse,
                Kind::Duration,
            ),
            (
                "resolution_time_min",
                OriginMetric::Resolution,
                Kind::Duration,
            ),
        ];
        if has_fr {
            metrics.push((
                "sla_first_response_attainment",
                OriginMetric::FirstResponseSla,
                Kind::Fraction,
            ));
        }
        if has_res {
            metrics.push((
                "sla_resolution_attainment",
                OriginMetric::ResolutionSla,
                Kind::Fraction,
            ));
        }
        for (metric, m, kind) in metrics {
            push(
                metric,
                group.clone(),
                Quantity::Origin(m, o),
                kind,
                None,
                None,
            );
        }
    }
}
