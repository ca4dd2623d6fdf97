//! Incident measurement (`[incidents]`): incidents and prevented ones, durations, tickets
//! per incident and duplicates, the incident share of tickets, detection and notification
//! times, response teams, SLA attainment of incident tickets and of ordinary tickets that
//! arrived during an incident, and the price of proactive care. Catalog entries only for
//! files with `[incidents]`.

use super::catalog::{GroupKey, Kind, Quantity};
use super::recorder::Recorder;
use crate::engine::{Incident, MARK_DURING, MARK_INCIDENT, Ticket};
use crate::scenario::Scenario;
use crate::scenario::incidents::MONTH_MIN;

/// Incident counters of one replication (incidents that start in the measured window,
/// tickets that arrive in it).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IncidentCounts {
    /// Incidents that happened.
    pub incidents: u64,
    /// Incidents monitoring prevented.
    pub prevented: u64,
    /// Their durations, summed [minutes].
    pub duration_sum: f64,
    /// Contacts (tickets) of those incidents, wherever they arrived.
    pub contacts: u64,
    /// Of which repeat contacts.
    pub duplicates: u64,
    /// Measured incident tickets.
    pub tickets: u64,
    /// Measured non-deflected tickets of any kind.
    pub all_tickets: u64,
    /// Incidents support detected, and the times from start to detection, summed [minutes].
    pub detected: u64,
    /// See `detected`.
    pub detect_sum: f64,
    /// Incidents notified, and the times from start to notification, summed [minutes].
    pub notified: u64,
    /// See `notified`.
    pub notify_sum: f64,
    /// Incidents with a response team, and the agents pulled, summed.
    pub teams: u64,
    /// See `teams`.
    pub team_agents: u64,
    /// Per group (0: incident tickets, 1: ordinary tickets that arrived during an incident)
    /// and target kind (0: first response, 1: resolution): (covered, met).
    pub sla: [[(u64, u64); 2]; 2],
    /// Proactive care [USD/week].
    pub care_usd_per_week: f64,
}

/// One incident metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncidentMetric {
    /// Incidents that happened.
    Incidents,
    /// Incidents prevented.
    Prevented,
    /// Mean duration [minutes].
    Duration,
    /// Tickets per incident.
    TicketsPerIncident,
    /// Repeat contacts / contacts.
    DuplicateShare,
    /// Incident tickets / tickets.
    TicketShare,
    /// Detected / happened.
    DetectedShare,
    /// Mean time from start to detection [minutes].
    Detection,
    /// Mean time from start to notification [minutes].
    Notification,
    /// Mean agents pulled per incident with a response team.
    ResponseAgents,
    /// Attainment of a group: (group, resolution?); group 2 = ordinary tickets outside
    /// incidents.
    Sla(u8, bool),
    /// Proactive care over the window [USD].
    CareCost,
}

impl Recorder {
    /// A measured ticket arrived (not deflected): counted for the incident ticket share.
    #[inline]
    pub(super) fn incident_arrived(&mut self, t: &Ticket) {
        if let Some(c) = &mut self.incidents {
            c.all_tickets += 1;
            c.tickets += u64::from(t.mark & MARK_INCIDENT != 0);
        }
    }

    /// Measured ticket `t` with incident marks met (or missed) a target.
    #[inline]
    pub(super) fn incident_sla(&mut self, t: &Ticket, resolution: bool, met: bool) {
        let group = if t.mark & MARK_INCIDENT != 0 {
            0
        } else if t.mark & MARK_DURING != 0 {
            1
        } else {
            return;
        };
        if let Some(c) = &mut self.incidents {
            let e = &mut c.sla[group][usize::from(resolution)];
            e.0 += 1;
            e.1 += u64::from(met);
        }
    }

    /// The replication ended: the incidents that started (or would have) in the window.
    pub fn incidents_ended(&mut self, _s: &Scenario, list: &[Incident]) {
        let (w0, w1) = self.window;
        let Some(c) = &mut self.incidents else { return };
        for x in list.iter().filter(|x| x.start >= w0 && x.start < w1) {
            if x.prevented {
                c.prevented += 1;
                continue;
            }
            c.incidents += 1;
            c.duration_sum += x.end - x.start;
            c.contacts += x.contacts;
            c.duplicates += x.duplicates;
            if x.detected_at.is_finite() {
                c.detected += 1;
                c.detect_sum += x.detected_at - x.start;
            }
            if x.notified_at.is_finite() {
                c.notified += 1;
                c.notify_sum += x.notified_at - x.start;
            }
            if !x.team.is_empty() {
                c.teams += 1;
                c.team_agents += x.team.iter().map(|&(_, k)| u64::from(k)).sum::<u64>();
            }
        }
    }

    /// The value of an incident metric.
    pub(super) fn incident_value(&self, m: IncidentMetric) -> f64 {
        let Some(c) = &self.incidents else {
            return f64::NAN;
        };
        let ratio = |a: f64, n: u64| if n == 0 { f64::NAN } else { a / n as f64 };
        match m {
            IncidentMetric::Incidents => c.incidents as f64,
            IncidentMetric::Prevented => c.prevented as f64,
            IncidentMetric::Duration => ratio(c.duration_sum, c.incidents),
            IncidentMetric::TicketsPerIncident => ratio(c.contacts as f64, c.incidents),
            IncidentMetric::DuplicateShare => ratio(c.duplicates as f64, c.contacts),
            IncidentMetric::TicketShare => ratio(c.tickets as f64, c.all_tickets),
            IncidentMetric::DetectedShare => ratio(c.detected as f64, c.incidents),
            IncidentMetric::Detection => ratio(c.detect_sum, c.detected),
            IncidentMetric::Notification => ratio(c.notify_sum, c.notified),
            IncidentMetric::ResponseAgents => ratio(c.team_agents as f64, c.teams),
            IncidentMetric::Sla(g, res) => {
                let k = usize::from(res);
                let (covered, met) = if g < 2 {
                    c.sla[g as usize][k]
                } else {
                    // Outside incidents: every covered ticket minus the two groups.
                    let (mut cov, mut met) = (0, 0);
                    for cell in &self.cells {
                        let (a, b) = if res {
                            (cell.res_covered, cell.res_met)
                        } else {
                            (cell.fr_covered, cell.fr_met)
                        };
                        cov += a;
                        met += b;
                    }
                    (
                        cov - c.sla[0][k].0 - c.sla[1][k].0,
                        met - c.sla[0][k].1 - c.sla[1][k].1,
                    )
                };
                ratio(met as f64, covered)
            }
            IncidentMetric::CareCost => {
                c.care_usd_per_week * (self.window.1 - self.window.0) / (7.0 * 1440.0)
            }
        }
    }
}

/// Proactive care of a scenario [USD/week] (0 without `[incidents]`).
pub fn care_usd_per_week(s: &Scenario) -> f64 {
    s.incidents
        .as_ref()
        .map_or(0.0, |i| i.care_usd_per_month * 7.0 * 1440.0 / MONTH_MIN)
}

/// Catalog entries of incidents (none for files without `[incidents]`).
pub(super) fn incident_entries(
    s: &Scenario,
    push: &mut impl FnMut(&'static str, GroupKey, Quantity, Kind, Option<f64>, Option<(bool, usize)>),
) {
    let Some(inc) = &s.incidents else { return };
    use IncidentMetric as M;
    let mut metrics = vec![
        ("incidents", M::Incidents, Kind::Count),
        ("incident_duration_min", M::Duration, Kind::Duration),
        (
            "incident_tickets_per_incident",
            M::TicketsPerIncident,
            Kind::Count,
        ),
        (
            "incident_duplicate_share",
            M::DuplicateShare,
            Kind::Fraction,
        ),
        ("incident_ticket_share", M::TicketShare, Kind::Fraction),
        ("incident_detected_share", M::DetectedShare, Kind::Fraction),
        ("incident_detection_min", M::Detection, Kind::Duration),
    ];
    if inc.monitoring.is_some() {
        metrics.push(("incidents_prevented", M::Prevented, Kind::Count));
    }
    if inc.notifications.is_some() {
        metrics.push(("incident_notification_min", M::Notification, Kind::Duration));
    }
    if inc.severities.iter().any(|x| x.response.is_some()) {
        metrics.push(("incident_response_agents", M::ResponseAgents, Kind::Count));
    }
    for (metric, m, kind) in metrics {
        push(
            metric,
            GroupKey::all(),
            Quantity::Incident(m),
            kind,
            None,
            None,
        );
    }
    let fr = s.sla.targets.iter().any(|t| t.first_response.is_some());
    let res = s.sla.targets.iter().any(|t| t.resolution.is_some());
    for (metric, on, resolution) in [
        ("sla_first_response_attainment", fr, false),
        ("sla_resolution_attainment", res, true),
    ] {
        if !on {
            continue;
        }
        for (g, kind, arrived) in [
            (0u8, "incident", None),
            (1, "other", Some("during_incident")),
            (2, "other", Some("outside_incident")),
        ] {
            push(
                metric,
                GroupKey {
                    ticket_kind: Some(kind),
                    arrived,
                    ..GroupKey::default()
                },
                Quantity::Incident(M::Sla(g, resolution)),
                Kind::Fraction,
                None,
                None,
            );
        }
    }
    if s.costs.is_some() && inc.care_usd_per_month > 0.0 {
        push(
            "incident_care_cost_usd",
            GroupKey::all(),
            Quantity::Incident(M::CareCost),
            Kind::Count,
            None,
            None,
        );
    }
}
