//! The scenario file as written: serde types mirroring the TOML, one struct per table.
//!
//! Everything here is only what the user typed (plus documented defaults); nothing is checked
//! beyond types and unknown keys. `validate` turns it into a typed [`crate::scenario::Scenario`].
//! Field docs are the scenario reference: each names its unit and default.

use super::dist::DistSpec;
use serde::{Deserialize, Serialize};

mod access;
mod customers;
mod incidents;
mod initial_state;
mod modes;
mod ordered_map;
mod plan;
mod pools;
mod roster;
mod skills;
mod tier0;
mod triage;

pub use access::{RawAccess, RawChannelAccess};
pub use customers::{RawCallbacks, RawChasers, RawRetrials, RawScored};
pub use incidents::{
    RawIncidents, RawMonitoring, RawNotifications, RawOutreach, RawResponse, RawScheduledIncident,
    RawSeverity,
};
pub use initial_state::{RawInitialState, RawOpenGroup};
pub use modes::{Clock, Day, Model, QueueRule, Reroute, Sourcing, SwarmRule};
pub use ordered_map::OrderedMap;
pub use plan::{RawHire, RawPlan};
pub use pools::{RawContract, RawHours, RawPool, RawRamp, RawShift};
pub use roster::{RawRoster, RawRosterPool};
pub use skills::{
    FreeAgent, NextTicket, RawCategories, RawCategoryProfile, RawRank, RawRouting, RawRule,
    RawSkill, RawSkillDesign,
};
pub use tier0::{RawBotChannel, RawBotSegment, RawTier0};
pub use triage::RawTriage;

/// The whole scenario file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    /// Scenario name; names the output folder `outputs/<name>/`. Letters, digits, `-`, `_`.
    pub name: String,
    /// Free text shown in summaries. Default: empty.
    #[serde(default)]
    pub description: String,
    /// Support model: `"tiered"`, `"pooled_tiered"`, `"swarm"` or `"hybrid"` (the names of
    /// [`Model`]). Default `"tiered"`.
    /// Every model runs on the same demand and the same pools: changing this one key compares designs.
    // Kept as text, checked by `validate` through [`Model::from_name`]: `compare --models`,
    // the run report and `supportsim validate` read and write it as a string.
    #[serde(default = "default_model")]
    pub model: String,
    /// Simulation run settings.
    #[serde(default)]
    pub run: RawRun,
    /// Ticket demand.
    pub demand: RawDemand,
    /// Staff pools.
    pub pools: Vec<RawPool>,
    /// The tier ladder: level 1..=k, each served by one pool.
    pub tiers: Vec<RawTier>,
    /// Queue discipline of the tier queues.
    #[serde(default)]
    pub queues: RawQueues,
    /// Escalation mechanics between tiers.
    #[serde(default)]
    pub escalation: RawEscalation,
    /// External L4 vendor (needed when any ticket has required level 4).
    #[serde(default)]
    pub vendor: Option<RawVendor>,
    /// Customer behaviour.
    #[serde(default)]
    pub customers: RawCustomers,
    /// Access to the live channels: opening hours and queue limits.
    #[serde(default)]
    pub access: RawAccess,
    /// Tier 0: a bot or knowledge base in front of the first human stage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier0: Option<RawTier0>,
    /// Triage: classifying each ticket and sending it to the tier it needs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub triage: Option<RawTriage>,
    /// Incidents, the tickets they cause, and proactive care.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incidents: Option<RawIncidents>,
    /// Ticket categories (domains); absent: one default category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub categories: Option<RawCategories>,
    /// Skills-based routing: eligible pools per level and category, overflow delays.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routing: Option<RawRouting>,
    /// SLA targets.
    #[serde(default)]
    pub sla: Vec<RawSla>,
    /// Business-hours calendars that SLA clocks can run on (`clock = "<name>"`).
    #[serde(default)]
    pub calendars: Vec<RawCalendar>,
    /// Pooled-tiered settings (used when `model = "pooled_tiered"`, ignored otherwise).
    #[serde(default)]
    pub pooled: Option<RawPooled>,
    /// Swarm settings (used when `model = "swarm"` or `"hybrid"`, ignored otherwise).
    #[serde(default)]
    pub swarm: Option<RawSwarm>,
    /// Parameter sweep for `supportsim sweep` (ignored by every other command).
    #[serde(default)]
    pub sweep: Option<RawSweep>,
    /// Named cross-training designs for `supportsim sweep --vary skill_design=...` (ignored
    /// by every other command; `docs/skills.md`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skill_designs: Option<OrderedMap<RawSkillDesign>>,
    /// Shift patterns for `supportsim roster` (ignored by every other command).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roster: Option<RawRoster>,
    /// Capacity plan over months for `supportsim plan` (ignored by every other command).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<RawPlan>,
    /// Tickets already open at t = 0 (`docs/history.md`). Default: an empty system.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_state: Option<RawInitialState>,
}

/// `[sweep]`: the grid `supportsim sweep` runs when no `--vary` is given on the command line.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSweep {
    /// Varied keys, each `"KEY=VALUES"` exactly as for `--vary`: a scalar key by its dotted path
    /// (`pools.l1.headcount`, `demand.growth_per_month`, `model`) and either a list `a,b,c`
    /// or an inclusive range `lo..hi:step` in the key's own unit. The grid is their Cartesian product.
    #[serde(default)]
    pub vary: Vec<String>,
}

/// `[pooled]`: which tiers share one queue and one merged pool in the pooled-tiered model.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPooled {
    /// Tiers 1..=`levels` share one queue, served by their pools merged into one. Default 2.
    #[serde(default = "default_pooled_levels")]
    pub levels: u8,
}

fn default_pooled_levels() -> u8 {
    2
}

/// `[swarm]`: intelligent-swarming mechanics (models `swarm` and `hybrid`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSwarm {
    /// Highest required level a case owner resolves alone. The pools of the owner tiers are merged
    /// into one owner pool: tiers 1..=`owner_level` (swarm) or 2..=`owner_level` (hybrid).
    /// Default: one below the top tier (at least 1 for swarm, 2 for hybrid).
    #[serde(default)]
    pub owner_level: Option<u8>,
    /// Distribution of the number of helpers a swarm request asks for: keys `"1"`..`"8"`
    /// (helpers), values probabilities summing to 1. Default `{ 1 = 1.0 }`.
    #[serde(default)]
    pub helpers: Option<OrderedMap<f64>>,
    /// Coordination overhead: fraction added to the session time (0.1 = sessions take 10% longer). Default 0.
    #[serde(default)]
    pub coordination_overhead: f64,
    /// Time each helper needs to get back into its own work after a session [minutes]. Default 0.
    #[serde(default)]
    pub context_switch_min: Option<DistSpec>,
    /// Time the owner spends briefing the helpers at the start of a session (everyone in the session is occupied) [minutes]. Default 0.
    #[serde(default)]
    pub brief_min: Option<DistSpec>,
    /// Session time before coordination overhead [minutes]. Default: the work time, for the
    /// ticket's channel, of the tier of the level the ticket needs (the expert's own work, done together).
    #[serde(default)]
    pub session_min: Option<DistSpec>,
    /// Who gets a free agent first when a pool has both queued tickets and swarm requests:
    /// `"swarm_first"` (default: free experts are held for the oldest most urgent request, and an owner
    /// returns to a ready session before taking a new ticket) or `"queue_first"` (queued tickets first;
    /// sessions get only agents left free).
    #[serde(default)]
    pub priority: SwarmRule,
    /// Optional learning: owners solve above their level alone with a probability that grows with swarms joined.
    #[serde(default)]
    pub learning: Option<RawLearning>,
}

impl Default for RawSwarm {
    fn default() -> Self {
        RawSwarm {
            owner_level: None,
            helpers: None,
            coordination_overhead: 0.0,
            context_switch_min: None,
            brief_min: None,
            session_min: None,
            priority: SwarmRule::default(),
            learning: None,
        }
    }
}

/// `[swarm.learning]`: owners learn from the swarms they join.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLearning {
    /// Added to the solve-alone probability per swarm joined, averaged over the owner pool's headcount [probability/swarm].
    pub gain_per_swarm: f64,
    /// Cap of the solve-alone probability.
    pub max_solo_probability: f64,
}

fn default_model() -> String {
    Model::default().name().to_string()
}

/// `[run]`: horizon, warm-up, replications and seed.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRun {
    /// Local calendar date (in `demand.timezone`) at which simulated time starts, `YYYY-MM-DD`. Default `2026-01-05` (a Monday).
    #[serde(default = "default_start_date")]
    pub start_date: String,
    /// Warm-up discarded from statistics [days]. Default 7.
    #[serde(default = "default_warmup")]
    pub warmup_days: f64,
    /// Measured period after warm-up [days]. Default 28.
    #[serde(default = "default_horizon")]
    pub horizon_days: f64,
    /// Longest time after the measured period to let its tickets finish [days]. Default 14.
    #[serde(default = "default_drain")]
    pub drain_days: f64,
    /// Monte Carlo replications. Default 100.
    #[serde(default = "default_replications")]
    pub replications: u32,
    /// Master seed. Default 1.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Time-series sampling interval [minutes]. Default 60.
    #[serde(default = "default_interval")]
    pub timeseries_interval_min: f64,
    /// Open tickets at which a replication is stopped and flagged unstable [tickets]. Default 1,000,000.
    #[serde(default = "default_max_open")]
    pub max_open_tickets: u32,
}

fn default_start_date() -> String {
    "2026-01-05".to_string()
}
fn default_warmup() -> f64 {
    7.0
}
fn default_horizon() -> f64 {
    28.0
}
fn default_drain() -> f64 {
    14.0
}
fn default_replications() -> u32 {
    100
}
fn default_seed() -> u64 {
    1
}
fn default_interval() -> f64 {
    60.0
}
fn default_max_open() -> u32 {
    1_000_000
}

impl Default for RawRun {
    fn default() -> Self {
        RawRun {
            start_date: default_start_date(),
            warmup_days: default_warmup(),
            horizon_days: default_horizon(),
            drain_days: default_drain(),
            replications: default_replications(),
            seed: default_seed(),
            timeseries_interval_min: default_interval(),
            max_open_tickets: default_max_open(),
        }
    }
}

/// `[demand]`: how many tickets arrive, when, and what they are.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDemand {
    /// Average volume [tickets/week] (give this or `tickets_per_hour`).
    #[serde(default)]
    pub tickets_per_week: Option<f64>,
    /// Average volume [tickets/hour] (give this or `tickets_per_week`).
    #[serde(default)]
    pub tickets_per_hour: Option<f64>,
    /// IANA time zone of the weekly/daily profile and of pool hours. Default `"UTC"`.
    #[serde(default = "default_tz")]
    pub timezone: String,
    /// Relative volume Monday..Sunday (7 numbers >= 0). Default flat.
    #[serde(default)]
    pub weekday_weights: Option<Vec<f64>>,
    /// Relative volume per local hour 0..23 (24 numbers >= 0). Default flat.
    #[serde(default)]
    pub hour_weights: Option<Vec<f64>>,
    /// Compound volume growth [fraction/month] (a month is 30.4375 days). Default 0.
    #[serde(default)]
    pub growth_per_month: f64,
    /// Day-to-day over-dispersion: coefficient of variation of a mean-1 gamma multiplier per local day. Default 0 (Poisson).
    #[serde(default)]
    pub daily_dispersion_cv: f64,
    /// Surge events (outages).
    #[serde(default)]
    pub surges: Vec<RawSurge>,
    /// Channel mix (fractions summing to 1), keyed by the channel names.
    pub channels: RawChannelMix,
    /// The file's channels and their kinds, in index order (1 to 8 unique names), e.g.
    /// `{ email = "asynchronous", chat = "chat", phone = "voice" }`, which is the default.
    /// The kind decides behaviour: `asynchronous` tickets wait without patience and take a
    /// whole agent; `chat` and `voice` are live (patience, retrials, `[access]`,
    /// `live_first`); `chat` can be packed (`max_concurrent_chats`); `voice` can be offered
    /// callbacks. Left messages and chasers use the first asynchronous channel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel_kinds: Option<OrderedMap<crate::scenario::ChannelKind>>,
    /// The file's priorities, most urgent first (1 to 8 unique names). Default
    /// `["P1", "P2", "P3", "P4"]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority_names: Option<Vec<String>>,
    /// Priority mix (fractions summing to 1), keyed by the priority names.
    pub priorities: RawPriorityMix,
    /// Segment mix: user-named segments with fractions summing to 1.
    pub segments: OrderedMap<f64>,
    /// Required-level mix, keys 0..4 (0 = deflected by self-service, 4 = vendor).
    pub required_level: RawLevelMix,
    /// Per-segment overrides of the channel, priority and required-level mixes.
    #[serde(default)]
    pub by_segment: OrderedMap<RawSegmentMix>,
    /// Arrival trace: a CSV file (path relative to the scenario file) whose rows are the
    /// arrivals, replacing the Poisson process (`docs/history.md`). Default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<String>,
}

fn default_tz() -> String {
    "UTC".to_string()
}

/// `[[demand.surges]]`: a period of multiplied arrival rate.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSurge {
    /// Start, counted from the start of the simulation [days] (fractions allowed).
    pub start_day: f64,
    /// Duration [hours].
    pub duration_hours: f64,
    /// Arrival-rate multiplier during the surge (>= 0).
    pub multiplier: f64,
}

/// A channel mix `{ email = .., chat = .., phone = .. }` keyed by the file's channel names
/// (`demand.channel_kinds`, default `email`, `chat`, `phone`); missing channels are 0.
pub type RawChannelMix = OrderedMap<f64>;

/// A priority mix `{ P1 = .., P2 = .. }` keyed by the file's priority names
/// (`demand.priority_names`, default `P1`..`P4`); missing priorities are 0.
pub type RawPriorityMix = OrderedMap<f64>;

/// A required-level mix `{ 0 = .., 1 = .., 2 = .., 3 = .., 4 = .. }`; missing levels are 0.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLevelMix {
    /// Deflected by self-service (never reaches an agent).
    #[serde(rename = "0")]
    pub l0: Option<f64>,
    /// Resolvable at tier 1.
    #[serde(rename = "1")]
    pub l1: Option<f64>,
    /// Needs tier 2.
    #[serde(rename = "2")]
    pub l2: Option<f64>,
    /// Needs tier 3.
    #[serde(rename = "3")]
    pub l3: Option<f64>,
    /// Needs the external vendor.
    #[serde(rename = "4")]
    pub l4: Option<f64>,
}

/// `[demand.by_segment.<name>]`: mixes that differ for one segment.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSegmentMix {
    /// Channel mix for this segment.
    pub channels: Option<RawChannelMix>,
    /// Priority mix for this segment.
    pub priorities: Option<RawPriorityMix>,
    /// Required-level mix for this segment.
    pub required_level: Option<RawLevelMix>,
}

/// `[[tiers]]`: one rung of the escalation ladder.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTier {
    /// Level 1..3; tiers must be listed as 1, 2, 3 without gaps.
    pub level: u8,
    /// Name of the pool that staffs this tier.
    pub pool: String,
    /// Hands-on work time per channel [minutes].
    pub work_time: RawWorkTime,
    /// Time the sending agent spends writing up an escalation from this tier [minutes]. Default 0.
    #[serde(default)]
    pub write_up_min: Option<DistSpec>,
    /// Time the receiving agent at this tier spends re-gathering context on an escalated ticket [minutes]. Default 0.
    #[serde(default)]
    pub regather_min: Option<DistSpec>,
}

/// Work time per channel `{ default = .., email = .., chat = .. }`, keyed by the file's
/// channel names; `default` covers channels not listed.
pub type RawWorkTime = OrderedMap<DistSpec>;

/// `[queues]`: in which order waiting tickets are taken.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQueues {
    /// `"priority"`: P1 first, then first in, first out. `"live_first"`: live (chat- and
    /// voice-kind) tickets waiting for a first response go before every other ticket, each class by
    /// priority then first in, first out. `"scored"`: highest score first (`[queues.scored]`).
    /// Default `"priority"`.
    #[serde(default)]
    pub order: QueueRule,
    /// The score of `order = "scored"`.
    #[serde(default)]
    pub scored: Option<RawScored>,
}

/// `[escalation]`: what a handoff between tiers costs.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEscalation {
    /// Delay between the sender finishing the write-up and the ticket joining the next queue [minutes]. Default 0.
    #[serde(default)]
    pub handoff_delay_min: Option<DistSpec>,
    /// Probability the customer must re-explain after an escalation (adds a customer round trip). Default 0.
    #[serde(default)]
    pub re_explain_probability: f64,
    /// Customer round-trip time when re-explaining [minutes]; required when `re_explain_probability` > 0.
    #[serde(default)]
    pub re_explain_delay_min: Option<DistSpec>,
    /// Probability the receiving tier bounces an escalated ticket back to the sender (at most once per hop). Default 0.
    #[serde(default)]
    pub bounce_back_probability: f64,
}

/// `[vendor]`: the external L4 vendor, modelled as a delay without capacity limits.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawVendor {
    /// Time from hand-over to the vendor until resolution [minutes].
    pub delay_min: DistSpec,
    /// Price per ticket handed to the vendor [USD/ticket]. Default: none.
    #[serde(default)]
    pub cost_per_ticket_usd: Option<f64>,
}

/// `[customers]`: customer behaviour.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCustomers {
    /// Patience on live channels before abandoning a wait for first response [minutes]. Default: infinite.
    #[serde(default)]
    pub patience: RawPatience,
    /// Probability that a customer who abandons a live wait leaves a message instead, which
    /// becomes a ticket on the message channel (the first asynchronous one, `email` by
    /// default), keeping its arrival time and joining the back of the queue. Default 0.
    #[serde(default)]
    pub abandon_to_email_probability: f64,
    /// Retrials after a failed live contact. Default: none.
    #[serde(default)]
    pub retrials: Option<RawRetrials>,
    /// Chasers from customers on the message channel (the first asynchronous one) waiting
    /// for a first response. Default: none.
    #[serde(default)]
    pub chasers: Option<RawChasers>,
    /// Callbacks (virtual hold) for voice-kind customers who wait long. Default: none.
    #[serde(default)]
    pub callbacks: Option<RawCallbacks>,
}

/// Patience per live channel `{ chat = .., phone = .. }` [minutes], keyed by the file's
/// live channel names.
pub type RawPatience = OrderedMap<DistSpec>;

/// `[[sla]]`: targets for tickets of one priority and/or segment.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSla {
    /// `P1`..`P4`; omitted = every priority.
    #[serde(default)]
    pub priority: Option<String>,
    /// A segment name; omitted = every segment.
    #[serde(default)]
    pub segment: Option<String>,
    /// First-response target.
    #[serde(default)]
    pub first_response: Option<RawTarget>,
    /// Resolution target.
    #[serde(default)]
    pub resolution: Option<RawTarget>,
}

/// One SLA target: a time limit (`target_min` or `target_hours`), a goal and a clock.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTarget {
    /// Time limit [minutes].
    #[serde(default)]
    pub target_min: Option<f64>,
    /// Time limit [hours].
    #[serde(default)]
    pub target_hours: Option<f64>,
    /// Fraction of tickets that must meet the limit (0..1]. Default 0.9.
    #[serde(default = "default_goal")]
    pub goal: f64,
    /// Clock the limit runs on: `"24x7"` (wall clock) or the name of a `[[calendars]]` entry
    /// (the limit then counts business minutes of that calendar). Default `"24x7"`.
    #[serde(default)]
    pub clock: Clock,
    /// Stop the clock while the ticket waits on the customer (the re-explain round trip after
    /// an escalation). Default false.
    #[serde(default)]
    pub pause_on_customer: bool,
    /// What the company pays its customer per ticket that misses this limit [USD/breach].
    /// Default none.
    #[serde(default)]
    pub penalty_usd_per_breach: Option<f64>,
}

/// `[[calendars]]`: business hours in a time zone, for SLA clocks.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCalendar {
    /// Name used by `clock = "<name>"` in SLA targets.
    pub name: String,
    /// IANA time zone of the business hours (e.g. `"Europe/Berlin"`); daylight saving included.
    pub timezone: String,
    /// Working days: any of `mon tue wed thu fri sat sun`. Default Monday to Friday.
    #[serde(default = "default_workdays")]
    pub days: Vec<Day>,
    /// Local opening time `HH:MM`. Default `"09:00"`.
    #[serde(default = "default_open")]
    pub start: String,
    /// Local closing time `HH:MM` (after `start`; `24:00` allowed). Default `"17:00"`.
    #[serde(default = "default_close")]
    pub end: String,
    /// Holidays (closed all day), local dates `YYYY-MM-DD`. Default none.
    #[serde(default)]
    pub holidays: Vec<String>,
}

pub(super) fn default_workdays() -> Vec<Day> {
    vec![Day::Mon, Day::Tue, Day::Wed, Day::Thu, Day::Fri]
}

fn default_open() -> String {
    "09:00".to_string()
}
fn default_close() -> String {
    "17:00".to_string()
}

fn default_goal() -> f64 {
    0.9
}
