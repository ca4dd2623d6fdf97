//! What each metric is: its unit and which way is better, in one table. The catalog names
//! metrics from here; comparisons, sweeps and the staffing search read directions from here
//! instead of keeping lists of their own. A new metric is one line here plus its catalog
//! entry and its recorder counter.

use crate::stats::paired::Direction;
use Direction::{HigherIsBetter as Higher, LowerIsBetter as Lower, Neutral};

/// One metric's description.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MetricInfo {
    /// snake_case name with its unit suffix, as in every table.
    pub name: &'static str,
    /// Unit, as written in docs and axis labels.
    pub unit: &'static str,
    /// Which way is better.
    pub direction: Direction,
}

const fn m(name: &'static str, unit: &'static str, direction: Direction) -> MetricInfo {
    MetricInfo {
        name,
        unit,
        direction,
    }
}

/// Every metric a scenario can report.
pub const METRICS: &[MetricInfo] = &[
    m("tickets_arrived", "tickets", Neutral),
    m("tickets_deflected", "tickets", Neutral),
    m("deflection_rate", "fraction", Neutral),
    m("arrival_rate_per_hour", "tickets/hour", Neutral),
    m("tickets_resolved", "tickets", Neutral),
    m("tickets_abandoned", "tickets", Lower),
    m("tickets_unresolved_at_end", "tickets", Lower),
    m("first_response_time_min", "minutes", Lower),
    m("resolution_time_min", "minutes", Lower),
    m("first_response_time_p90_min", "minutes", Lower),
    m("resolution_time_p90_min", "minutes", Lower),
    m("initial_wait_min", "minutes", Lower),
    m("abandonment_rate", "fraction", Lower),
    m("sla_first_response_attainment", "fraction", Higher),
    m("sla_resolution_attainment", "fraction", Higher),
    m("first_contact_resolution_rate", "fraction", Higher),
    m("escalation_rate", "fraction", Neutral),
    m("handoffs_per_ticket", "handoffs", Lower),
    m("re_explains_per_ticket", "round trips", Lower),
    m("utilisation", "fraction", Neutral),
    m("past_shift_end_hours_per_week", "agent-hours/week", Lower),
    m("queue_length_mean_tickets", "tickets", Lower),
    m("swarm_rate", "fraction", Neutral),
    m("swarm_wait_min", "minutes", Lower),
    m("helpers_per_swarm", "helpers", Neutral),
    m("agent_minutes_per_ticket", "minutes", Lower),
    m("shift_handovers_per_ticket", "hand-overs", Neutral),
    m("labour_cost_usd", "USD", Lower),
    m("sla_credit_usd", "USD", Neutral),
    m("sla_penalty_usd", "USD", Neutral),
    m("vendor_cost_usd", "USD", Lower),
    m("cost_usd", "USD", Lower),
    m("cost_usd_per_week", "USD/week", Lower),
    m("cost_per_resolved_ticket_usd", "USD/ticket", Lower),
    m("weekly_cost_usd", "USD", Neutral),
    m("tickets_in_system_mean", "tickets", Lower),
    m("time_in_system_min", "minutes", Lower),
    m("unstable_replication", "fraction", Lower),
    m("stage_wait_probability", "fraction", Lower),
    m("stage_wait_min", "minutes", Lower),
    m("stage_wait_p50_min", "minutes", Lower),
    m("stage_wait_p90_min", "minutes", Lower),
    m("stage_wait_within_share", "fraction", Higher),
    m("time_to_abandon_min", "minutes", Neutral),
    m("time_to_abandon_p50_min", "minutes", Neutral),
    m("time_to_abandon_p90_min", "minutes", Neutral),
    m("abandoned_within_share", "fraction", Neutral),
    m("tickets_refused", "tickets", Lower),
    m("contacts_offered", "contacts", Neutral),
    m("contacts_answered", "contacts", Neutral),
    m("contacts_turned_away", "contacts", Lower),
    m("contacts_blocked_lost", "contacts", Lower),
    m("contacts_left_message", "contacts", Neutral),
    m("blocking_probability", "fraction", Lower),
    m("closed_share", "fraction", Lower),
    m("bot_involvement_rate", "fraction", Neutral),
    m("bot_containment_rate", "fraction", Higher),
    m("bot_net_containment_rate", "fraction", Higher),
    m("bot_leakage_rate", "fraction", Lower),
    m("bot_repeat_contacts", "contacts", Lower),
    m("bot_conversations", "contacts", Neutral),
    m("time_in_bot_min", "minutes", Neutral),
    m("first_human_response_after_bot_min", "minutes", Lower),
    m("bot_priority_bumps", "contacts", Neutral),
    m("bot_cost_usd", "USD", Lower),
    m("triage_misroute_rate", "fraction", Lower),
    m("triage_time_min", "minutes", Lower),
    m("routing_attempts_per_ticket", "attempts", Lower),
    m("steps_to_resolve", "steps", Lower),
    m("triage_priority_corrected_share", "fraction", Neutral),
    m("contacts", "contacts", Neutral),
    m("retrial_contacts", "contacts", Neutral),
    m("retrials_per_ticket", "retrials", Lower),
    m("chasers", "chasers", Lower),
    m("chasers_per_ticket", "chasers", Lower),
    m("callbacks_offered", "callbacks", Neutral),
    m("callbacks_accepted", "callbacks", Neutral),
    m("callback_share", "fraction", Neutral),
    m("callback_success_rate", "fraction", Higher),
    m("callback_attempts_per_callback", "attempts", Lower),
    m("callbacks_lost", "callbacks", Lower),
    m("incidents", "incidents", Neutral),
    m("incident_duration_min", "minutes", Lower),
    m("incident_tickets_per_incident", "tickets", Lower),
    m("incident_duplicate_share", "fraction", Lower),
    m("incident_ticket_share", "fraction", Lower),
    m("incident_detected_share", "fraction", Higher),
    m("incident_detection_min", "minutes", Lower),
    m("incidents_prevented", "incidents", Higher),
    m("incident_notification_min", "minutes", Lower),
    m("incident_response_agents", "agents", Neutral),
    m("incident_care_cost_usd", "USD", Lower),
    m("preferred_pool_share", "fraction", Neutral),
    m("backlog_tickets", "tickets", Neutral),
    m("backlog_clear_time_h", "hours", Lower),
];

/// The description of metric `name`, if it is one.
pub fn info(name: &str) -> Option<&'static MetricInfo> {
    METRICS.iter().find(|m| m.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_carry_their_unit() {
        for (i, a) in METRICS.iter().enumerate() {
            assert!(
                METRICS[i + 1..].iter().all(|b| b.name != a.name),
                "{} twice",
                a.name
            );
            let suffix_ok = match a.unit {
                "minutes" => a.name.ends_with("_min") || a.name.contains("minutes"),
                "USD" | "USD/week" | "USD/ticket" => a.name.contains("usd"),
                "tickets/hour" => a.name.ends_with("_per_hour"),
                _ => true,
            };
            assert!(suffix_ok, "{} does not say its unit {}", a.name, a.unit);
        }
    }
}
