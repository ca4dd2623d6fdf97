//! `[incidents]`: outages and other incidents as a process, the tickets their affected
//! customers send, and proactive care (monitoring, notifications, outreach). Absent: no
//! incidents (files written before these keys keep their numbers).

use super::{OrderedMap, RawChannelMix};
use crate::scenario::dist::DistSpec;
use serde::{Deserialize, Serialize};

/// `[incidents]`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIncidents {
    /// Customer accounts per segment (the customer base an incident affects a share of):
    /// `{ enterprise = 300, smb = 12000 }`; segments of `demand.segments`, missing ones 0.
    #[serde(default)]
    pub accounts: OrderedMap<f64>,
    /// Incidents per month (a Poisson process over the whole run; a month is 30.4375 days).
    /// Default 0: only the `scheduled` ones.
    #[serde(default)]
    pub rate_per_month: f64,
    /// Severity classes (at least one).
    #[serde(default)]
    pub severities: Vec<RawSeverity>,
    /// Scripted incidents, beside (or instead of) the random ones.
    #[serde(default)]
    pub scheduled: Vec<RawScheduledIncident>,
    /// Probability that an affected customer contacts support (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_in_probability: Option<f64>,
    /// Per-segment overrides of `call_in_probability`.
    #[serde(default)]
    pub call_in_by_segment: OrderedMap<f64>,
    /// Channel mix of incident contacts. Default: each segment's demand channel mix.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channels: Option<RawChannelMix>,
    /// From the incident's start to a calling customer's first contact [minutes] (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_delay_min: Option<DistSpec>,
    /// Probability that a contact is followed by another one from the same customer.
    /// Default 0.
    #[serde(default)]
    pub repeat_share: f64,
    /// From a contact to the customer's next one [minutes] (required when `repeat_share` > 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat_delay_min: Option<DistSpec>,
    /// Most contacts per customer and incident (1..=100). Default 10.
    #[serde(default = "ten")]
    pub max_contacts: u32,
    /// Agent time on a ticket of a known (detected) incident: link it to the parent, reply
    /// [minutes] (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link_min: Option<DistSpec>,
    /// Reports (tickets of an undetected incident that reach an agent, each worked in full)
    /// after which support detects the incident. 0 = never by reports. Default 3.
    #[serde(default = "three")]
    pub detect_after_reports: u32,
    /// From the fix to the notification that closes every open child ticket [minutes].
    /// Default 0.
    #[serde(default)]
    pub resolution_notice_min: f64,
    /// Agent time per linked child ticket when it is closed in bulk [minutes]. Default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub close_min: Option<DistSpec>,
    /// Proactive monitoring.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monitoring: Option<RawMonitoring>,
    /// Proactive notifications (status page, banners, texts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notifications: Option<RawNotifications>,
    /// Proactive outreach (health checks) to high-value segments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outreach: Option<RawOutreach>,
    /// Category of incident tickets under `[categories]` (a name of `categories.mix`), so
    /// `[routing]` can send them to named pools. Default: the category named `"incident"`
    /// when there is one, else the first category of `categories.mix`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
}

fn ten() -> u32 {
    10
}

fn three() -> u32 {
    3
}

/// `[[incidents.severities]]`: one severity class.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSeverity {
    /// Name (letters, digits, `-`, `_`), referenced by `scheduled[].severity`.
    pub name: String,
    /// Share of random incidents of this severity (shares sum to 1). Default 1 for a single
    /// severity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<f64>,
    /// Priority of its tickets (one of `demand.priority_names`). Default: the second
    /// priority (`"P2"` with the default names; the only one when the file has one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<String>,
    /// Required level of a full diagnosis (1..=3). Default 1.
    #[serde(default = "one")]
    pub level: u8,
    /// Duration from start to fix [minutes] (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_min: Option<DistSpec>,
    /// Share of every segment's accounts affected (required unless every segment has
    /// `affected_by_segment`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affected_share: Option<f64>,
    /// Per-segment overrides of `affected_share`.
    #[serde(default)]
    pub affected_by_segment: OrderedMap<f64>,
    /// Major-incident response team pulled for the incident.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<RawResponse>,
}

fn one() -> u8 {
    1
}

/// `response`: the team a severe incident pulls from the queues: named pools, or an
/// incident swarm (`swarm = true`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawResponse {
    /// Agents per pool: `{ l2 = 2, l3 = 1 }`. Required unless `swarm = true`.
    #[serde(default, skip_serializing_if = "OrderedMap::is_empty")]
    pub pools: OrderedMap<u32>,
    /// An incident swarm: one owner from the owner pool (the swarm model's, else tier 1's)
    /// and `experts` from the pool of the tier the severity's level needs, as the swarm
    /// model pulls helpers. Default false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub swarm: bool,
    /// Experts of an incident swarm (1..). Default: drawn from `swarm.helpers` when the
    /// model swarms, else 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub experts: Option<u32>,
    /// From detection to the team being assembled [minutes]. Default 27 (industry survey
    /// average).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assembly_min: Option<DistSpec>,
}

/// `[[incidents.scheduled]]`: a scripted incident.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScheduledIncident {
    /// Start, from the start of the simulation [days] (fractions allowed).
    pub start_day: f64,
    /// Severity name.
    pub severity: String,
    /// Duration [minutes]. Default: drawn from the severity's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_min: Option<f64>,
    /// Share of every segment's accounts affected. Default: the severity's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affected_share: Option<f64>,
}

/// `[incidents.monitoring]`: proactive monitoring.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMonitoring {
    /// Share of incidents monitoring detects (an assumption: no public figure).
    pub detect_share: f64,
    /// Detection this long before the start [minutes]. Default 0 (at the start).
    #[serde(default)]
    pub lead_min: f64,
    /// Share of detected incidents prevented (they never happen). Default 0.
    #[serde(default)]
    pub prevent_share: f64,
    /// Share cut from the duration of detected incidents that happen. Default 0.
    #[serde(default)]
    pub shorten_share: f64,
    /// Price of the monitoring [USD/month]. Default 0.
    #[serde(default)]
    pub cost_usd_per_month: f64,
}

/// `[incidents.notifications]`: proactive notifications of detected incidents.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNotifications {
    /// Multiplies the call-in probability of customers who have not contacted support when
    /// the notification goes out (0.5 = half as many call).
    pub call_in_factor: f64,
    /// From detection to the notification [minutes]. Default 0.
    #[serde(default)]
    pub delay_min: f64,
    /// Price of the status page and messaging [USD/month]. Default 0.
    #[serde(default)]
    pub cost_usd_per_month: f64,
}

/// `[incidents.outreach]`: proactive health checks of high-value accounts.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOutreach {
    /// Segments whose accounts get health checks.
    pub segments: Vec<String>,
    /// Pool whose agents do them (a pool that staffs a tier).
    pub pool: String,
    /// Agent time per account per month [minutes].
    pub minutes_per_account_per_month: f64,
    /// Multiplies the call-in probability of those accounts in an incident. Default 1.
    #[serde(default = "unit")]
    pub call_in_factor: f64,
    /// Price beyond the agents' time [USD/month]. Default 0.
    #[serde(default)]
    pub cost_usd_per_month: f64,
}

fn unit() -> f64 {
    1.0
}
