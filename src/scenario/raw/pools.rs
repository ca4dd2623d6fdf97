//! `[[pools]]`: agents, their shifts, contracts and ramp-up, as written in the file.

use super::{Day, OrderedMap, RawSkill, Sourcing, default_workdays};
use serde::{Deserialize, Serialize};

/// `[[pools]]`: a group of interchangeable agents.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPool {
    /// Pool name, referenced by `tiers[].pool`.
    pub name: String,
    /// Agents on duty during working hours [agents]. Omit (or 0) when the pool lists `shifts`.
    #[serde(default)]
    pub headcount: u32,
    /// Working hours in `demand.timezone`. Default: always on duty (24x7). Not with `shifts`.
    #[serde(default)]
    pub hours: Option<RawHours>,
    /// Shifts, each with its own days, hours, time zone and headcount; their headcounts add up
    /// where they overlap (follow-the-sun coverage). Instead of `headcount` and `hours`.
    #[serde(default)]
    pub shifts: Vec<RawShift>,
    /// Shrinkage: fraction of scheduled time lost to breaks, meetings, training and absence,
    /// in [0, 1). Available agents = scheduled x (1 - shrinkage), spread over the schedule
    /// (see README). Default 0.
    #[serde(default)]
    pub shrinkage: f64,
    /// Chats an agent may hold at once, 1..=8: an agent holding chats takes only chat-kind
    /// tickets; asynchronous and voice tickets need an agent with nothing in hand (see
    /// docs/scenario.md). Default 1.
    #[serde(default = "one_chat")]
    pub chat_concurrency: u32,
    /// Occupancy cap in (0, 1]: after work of d minutes an agent rests d x (1 - c) / c minutes
    /// before taking new work (see README). Default 1 (no cap).
    #[serde(default = "no_cap")]
    pub max_occupancy: f64,
    /// Loaded cost of an internal agent per paid hour [USD/hour]; paid hours are scheduled
    /// hours (shrinkage included). Default: none (no cost reported).
    #[serde(default)]
    pub cost_per_hour_usd: Option<f64>,
    /// Hand-over at shift end [minutes]: when a shift ends, the tickets its leaving agents
    /// hold go back to the queue with their remaining work, and the agent who picks one up
    /// spends this long taking it over first. Default: none (an agent finishes the ticket in
    /// hand, then leaves).
    #[serde(default)]
    pub handover_min: Option<f64>,
    /// Who employs the pool: `"internal"` (priced by `cost_per_hour_usd`) or `"outsourced"`
    /// (a BPO/MSP priced by `[pools.contract]`). Default `"internal"`.
    #[serde(default)]
    pub sourcing: Sourcing,
    /// The outsourcing contract; required for (and only for) `sourcing = "outsourced"`.
    #[serde(default)]
    pub contract: Option<RawContract>,
    /// Proficiency: every work time of this pool's tiers is multiplied by this factor
    /// (1.15 = 15% slower than the file's work times). Default 1.
    #[serde(default = "one")]
    pub work_time_factor: f64,
    /// Resolve quality: of the tickets this pool's tier could resolve, the share it does
    /// resolve; the rest are escalated to the next tier (0.85 = resolves 85% of what the
    /// file's tier would). Default 1. No effect on the top tier.
    #[serde(default = "one")]
    pub resolve_factor: f64,
    /// New-hire ramp: the work-time factor starts `start_factor` times higher at
    /// `run.start_date` and falls linearly to 1 over `weeks`. Default: no ramp.
    #[serde(default)]
    pub ramp: Option<RawRamp>,
    /// Skills: the categories the pool serves, each with its proficiency, the primary one
    /// first. Default: every category at the pool's own factors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skills: Option<OrderedMap<RawSkill>>,
}

fn one() -> f64 {
    1.0
}

/// `[pools.contract]`: how an outsourced pool is billed.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawContract {
    /// Price per logged hour [USD/hour]: hours the provider's agents are available to take
    /// work (scheduled hours less shrinkage). Exactly one of this and `price_per_ticket_usd`.
    #[serde(default)]
    pub price_per_logged_hour_usd: Option<f64>,
    /// Price per ticket the pool handles [USD/ticket] (each ticket counted once per visit to
    /// one of the pool's tiers).
    #[serde(default)]
    pub price_per_ticket_usd: Option<f64>,
    /// Scheduled hours of one seat (one FTE) per week [hours/week]. Default 40.
    #[serde(default = "default_seat_hours")]
    pub seat_hours_per_week: f64,
    /// Contracted seats [FTE]. Default: the pool's scheduled hours per week / seat hours.
    #[serde(default)]
    pub seats: Option<f64>,
    /// Flex band: the volume may move within `seats x (1 +- flex)` at the contract price;
    /// below it the floor `seats x (1 - flex)` is billed, above it the excess is billed at
    /// `over_flex_price_factor` times the price. Default 0 (no band: floor = cap = seats
    /// only when `seats` is given).
    #[serde(default)]
    pub flex: f64,
    /// Price multiplier for logged hours above the flex band. Default 1.
    #[serde(default = "one")]
    pub over_flex_price_factor: f64,
    /// Seats billed every week even when idle or not scheduled [FTE]. Default 0.
    #[serde(default)]
    pub minimum_seats: f64,
    /// Tickets billed every week at least (per-ticket pricing) [tickets/week]. Default 0.
    #[serde(default)]
    pub minimum_tickets_per_week: f64,
    /// Share of the weekly invoice at risk as SLA credits, in [0, 1]. Default 0.
    #[serde(default)]
    pub at_risk_share: f64,
    /// SLA targets whose weekly attainment below goal earns a credit, as
    /// `"first_response P1/enterprise"` or `"resolution P2/*"` (measure, then the target's
    /// label: priority/segment with `*` for any).
    #[serde(default)]
    pub credit_targets: Vec<String>,
    /// Credit per missed target and week as a share of that week's invoice. Default:
    /// `at_risk_share / number of credit targets` (all missed = the whole share).
    #[serde(default)]
    pub credit_per_miss_share: Option<f64>,
}

fn default_seat_hours() -> f64 {
    40.0
}

/// `ramp`: a new team's work-time factor decaying over weeks.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRamp {
    /// Extra work-time factor at the start (1.5 = 50% slower), >= 1.
    pub start_factor: f64,
    /// Weeks until tenured speed [weeks], > 0.
    pub weeks: f64,
}

fn one_chat() -> u32 {
    1
}
fn no_cap() -> f64 {
    1.0
}

/// `[[pools.shifts]]`: a weekly shift.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawShift {
    /// Optional label (shown in error messages).
    #[serde(default)]
    pub name: Option<String>,
    /// Days the shift starts on: any of `mon tue wed thu fri sat sun`. Default Monday to Friday.
    #[serde(default = "default_workdays")]
    pub days: Vec<Day>,
    /// Local start time `HH:MM` (multiple of 15 minutes).
    pub start: String,
    /// Local end time `HH:MM` (multiple of 15 minutes); at or before `start` = the next day
    /// (overnight shift).
    pub end: String,
    /// IANA time zone of `start`, `end` and `days`. Default: `demand.timezone`.
    #[serde(default)]
    pub timezone: Option<String>,
    /// Agents scheduled on the shift [agents].
    pub headcount: u32,
}

/// Weekly working hours: on duty on `days` from `start` to `end` local time.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHours {
    /// Days on duty: any of `mon tue wed thu fri sat sun` (any letter case).
    // Text, checked by `validate` through [`Day::from_name`], because callers outside
    // `scenario/` build these hours from strings.
    pub days: Vec<String>,
    /// Local start time `HH:MM` (multiple of 15 minutes).
    pub start: String,
    /// Local end time `HH:MM` (multiple of 15 minutes, after `start`; `24:00` allowed).
    pub end: String,
}
