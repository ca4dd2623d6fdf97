//! Triage measurement: classifications, misroutes, triage time, priority corrections and the
//! steps and routing attempts of resolved tickets; catalog entries only for files with
//! `[triage]`.

use super::catalog::{GroupKey, Kind, Quantity};
use super::recorder::Recorder;
use crate::engine::Ticket;
use crate::scenario::Scenario;

/// Triage counters of the measured tickets.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TriageCounts {
    /// Classifications made.
    pub classifications: u64,
    /// Classifications that sent the ticket to a wrong tier.
    pub misroutes: u64,
    /// Minutes of classification work, summed.
    pub minutes: f64,
    /// Classifications whose time was recorded.
    pub timed: u64,
    /// Tickets looked at for a priority correction.
    pub assessed: u64,
    /// Tickets whose priority triage changed.
    pub corrected: u64,
    /// Resolved tickets.
    pub resolved: u64,
    /// Classifications of the resolved tickets, summed.
    pub routes_sum: u64,
    /// Service steps of the resolved tickets (triage included), summed.
    pub steps_sum: u64,
}

/// One triage metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TriageMetric {
    /// Misroutes / classifications.
    MisrouteRate,
    /// Mean classification time [minutes].
    Time,
    /// Mean classifications per resolved ticket.
    RoutingAttempts,
    /// Mean service steps per resolved ticket.
    Steps,
    /// Share of tickets whose priority triage changed.
    Corrected,
}

impl Recorder {
    /// A measured ticket was classified (`wrong`: misrouted).
    #[inline]
    pub fn triage_routed(&mut self, wrong: bool) {
        if let Some(tg) = &mut self.triage {
            tg.classifications += 1;
            tg.misroutes += u64::from(wrong);
        }
    }

    /// A classification of a measured ticket took `minutes`.
    #[inline]
    pub fn triage_time(&mut self, minutes: f64) {
        if let Some(tg) = &mut self.triage {
            tg.minutes += minutes;
            tg.timed += 1;
        }
    }

    /// Triage looked at a measured ticket's priority (`changed`: corrected it).
    #[inline]
    pub fn triage_corrected(&mut self, changed: bool) {
        if let Some(tg) = &mut self.triage {
            tg.assessed += 1;
            tg.corrected += u64::from(changed);
        }
    }

    /// Measured ticket `t` was resolved: its routing attempts and steps.
    #[inline]
    pub(super) fn triage_resolved(&mut self, t: &Ticket) {
        if let Some(tg) = &mut self.triage {
            tg.resolved += 1;
            tg.routes_sum += u64::from(t.routes);
            tg.steps_sum += u64::from(t.steps);
        }
    }

    /// The value of a triage metric.
    pub(super) fn triage_value(&self, m: TriageMetric) -> f64 {
        let Some(tg) = &self.triage else {
            return f64::NAN;
        };
        let ratio = |a: f64, n: u64| if n == 0 { f64::NAN } else { a / n as f64 };
        match m {
            TriageMetric::MisrouteRate => ratio(tg.misroutes as f64, tg.classifications),
            TriageMetric::Time => ratio(tg.minutes, tg.timed),
            TriageMetric::RoutingAttempts => ratio(tg.routes_sum as f64, tg.resolved),
            TriageMetric::Steps => ratio(tg.steps_sum as f64, tg.resolved),
            TriageMetric::Corrected => ratio(tg.corrected as f64, tg.assessed),
        }
    }
}

/// Catalog entries of triage (none for files without `[triage]`).
pub(super) fn triage_entries(
    s: &Scenario,
    push: &mut impl FnMut(&'static str, GroupKey, Quantity, Kind, Option<f64>, Option<(bool, usize)>),
) {
    let Some(tr) = &s.triage else { return };
    let mut metrics = vec![
        (
            "triage_misroute_rate",
            TriageMetric::MisrouteRate,
            Kind::Fraction,
        ),
        ("triage_time_min", TriageMetric::Time, Kind::Duration),
        (
            "routing_attempts_per_ticket",
            TriageMetric::RoutingAttempts,
            Kind::Count,
        ),
        ("steps_to_resolve", TriageMetric::Steps, Kind::Count),
    ];
    if tr.correction_p > 0.0 {
        metrics.push((
            "triage_priority_corrected_share",
            TriageMetric::Corrected,
            Kind::Fraction,
        ));
    }
    for (metric, m, kind) in metrics {
        push(
            metric,
            GroupKey::all(),
            Quantity::Triage(m),
            kind,
            None,
            None,
        );
    }
}
