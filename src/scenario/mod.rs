//! Scenario files: TOML in, a validated [`Scenario`] out.
//!
//! `raw` mirrors the file (serde, unknown keys rejected), `validate` checks every value and
//! builds the typed scenario (rate tables, staffing schedules, lookup tables), `calendar`
//! maps simulated minutes to local time with a real time-zone database, and `analysis` gives
//! the analytic offered-load estimates that `supportsim validate` prints.
//!
//! Simulated time is in minutes from local midnight of `run.start_date` in `demand.timezone`.

pub mod analysis;
pub mod backlog;
pub mod behaviour;
pub mod calendar;
pub mod channels;
pub mod dist;
pub mod error;
pub mod incidents;
pub mod limits;
pub mod priorities;
pub mod raw;
mod read;
pub mod residual;
pub mod skills;
pub mod starter;
pub mod tier0;
pub mod trace;
pub mod triage;
mod validate;

pub use behaviour::{Behaviour, Callbacks, Chasers, Failure, QueueScore, Retrials};
pub use channels::{ChannelKind, Channels, DEFAULT_CHANNELS, MAX_CHANNELS, in_mask};
pub use dist::{Dist, DistSpec, RawDist};
pub use error::{Problem, ScenarioError};
pub use incidents::Incidents;
pub use priorities::{DEFAULT_PRIORITIES, MAX_PRIORITIES};
pub use raw::RawScenario;
pub use read::{parse_raw, read_scenario_text};
pub use tier0::{BotChannel, Tier0, WorkRank};
pub use triage::Triage;

use std::path::Path;

/// Minutes per day.
pub const DAY_MIN: f64 = 1440.0;

/// Labour, contract, vendor and SLA-penalty prices after validation.
///
/// Money is counted per invoice week: week `w` covers measured minutes
/// `[warmup + w x 7 days, warmup + (w + 1) x 7 days)` (the last one may be shorter). Tickets
/// count in the week they arrived.
#[derive(Debug, Clone, PartialEq)]
pub struct Costs {
    /// One entry per pool of the file (before any model merges pools).
    pub pools: Vec<PoolCost>,
    /// Vendor price [USD/ticket].
    pub vendor_per_ticket: f64,
    /// Length of each invoice week [weeks] (1 except a shorter last one).
    pub weeks: Vec<f64>,
    /// First day of each invoice week (local date in the run's time zone).
    pub week_starts: Vec<jiff::civil::Date>,
    /// Whether any SLA target has a penalty per breach.
    pub penalties: bool,
    /// Labour known before the run (hourly pay, hourly contracts with their floors), all
    /// pools, per week [USD/week]; per-ticket contracts and credits are not in it.
    pub labour_per_week: f64,
    /// Tier-0 price per bot conversation [USD/conversation], when priced.
    pub bot_per_conversation: Option<f64>,
}

/// The price of one file pool.
#[derive(Debug, Clone, PartialEq)]
pub struct PoolCost {
    /// File pool name.
    pub name: String,
    /// Internal or outsourced.
    pub sourcing: raw::Sourcing,
    /// Hour-based bill per invoice week [USD]: scheduled hours x cost per hour (internal),
    /// or logged hours with the contract's floor, flex band and premium (outsourced).
    pub hourly_usd: Vec<f64>,
    /// Price per ticket handled [USD/ticket] (0 unless the contract is per ticket).
    pub per_ticket_usd: f64,
    /// Tickets billed per week at least (per-ticket contracts) [tickets/week].
    pub minimum_tickets_per_week: f64,
    /// Indices of `Scenario::tiers` this pool staffs (whose handled tickets it bills).
    pub tiers: Vec<usize>,
    /// SLA credits, when the contract puts part of the invoice at risk.
    pub credit: Option<Credit>,
}

/// SLA credits of an outsourced contract.
#[derive(Debug, Clone, PartialEq)]
pub struct Credit {
    /// Cap on credits per week as a share of the week's invoice.
    pub at_risk_share: f64,
    /// Credit per missed target as a share of the week's invoice.
    pub per_miss_share: f64,
    /// Targets that earn a credit when a week's attainment is below goal:
    /// (index into `Sla::targets`, true = resolution, false = first response).
    pub targets: Vec<(u16, bool)>,
}

/// A validated scenario: every invariant the engine relies on holds.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Name (safe as a folder name).
    pub name: String,
    /// Free text.
    pub description: String,
    /// Support model.
    pub model: ModelKind,
    /// Run settings.
    pub run: RunSettings,
    /// Demand.
    pub demand: Demand,
    /// Staff pools as the model uses them: the file's pools, with those the model merges
    /// (pooled L1+L2 queue, case owners) combined into one.
    pub pools: Vec<Pool>,
    /// Tier ladder, index 0 is level 1. Tiers served by the same pool share one queue.
    pub tiers: Vec<Tier>,
    /// Swarm mechanics (models `swarm` and `hybrid`).
    pub swarm: Option<Swarm>,
    /// Queue discipline.
    pub queue_order: QueueOrder,
    /// The score of [`QueueOrder::Scored`] (`None` under the other disciplines).
    pub queue_score: Option<QueueScore>,
    /// Escalation mechanics.
    pub escalation: Escalation,
    /// L4 vendor delay [minutes], if any ticket can need it.
    pub vendor: Option<Dist>,
    /// Channels: names and kinds (`[demand] channel_kinds`, default email, chat, phone).
    pub channels: Channels,
    /// Patience per channel (index by channel; asynchronous channels are always `None`)
    /// [minutes].
    pub patience: Vec<Option<Dist>>,
    /// Probability an abandoning live customer leaves a message (a ticket of the message
    /// channel, [`Channels::message`]).
    pub abandon_to_email_p: f64,
    /// Per channel: opening hours and queue limit (asynchronous: always open, unlimited).
    pub access: Vec<ChannelAccess>,
    /// Tier 0 (a bot in front of the first human stage), when the file has `[tier0]`.
    pub tier0: Option<Tier0>,
    /// Triage before the first tier, when the file has `[triage]`.
    pub triage: Option<Triage>,
    /// Categories, pool skills and skills-based routing, when the file uses any of them.
    pub skills: Option<skills::Skills>,
    /// Optional customer behaviour: retrials, chasers.
    pub behaviour: Behaviour,
    /// Incidents and proactive care, when the file has `[incidents]`.
    pub incidents: Option<Incidents>,
    /// SLA targets.
    pub sla: Sla,
    /// Prices, when the file gives any.
    pub costs: Option<Costs>,
    /// Paid agent-hours per week: scheduled hours (shrinkage is paid) over the measured
    /// window, summed over pools, scaled to 7 days [agent-hours/week].
    pub paid_agent_hours_per_week: f64,
    /// Per pool of the file (in file order): scheduled agents as full-time equivalents of
    /// 40 paid hours a week over the measured window (shrinkage is paid) [FTE].
    pub scheduled_fte: Vec<(String, f64)>,
    /// Non-fatal findings (utilisation >= 1, surges outside the run...).
    pub warnings: Vec<String>,
    /// Arrivals replayed from `[demand] trace` instead of the Poisson process.
    pub trace: Option<std::sync::Arc<trace::Trace>>,
    /// Open tickets at t = 0 from `[initial_state]`.
    pub backlog: Option<std::sync::Arc<backlog::Backlog>>,
    /// The file as parsed, defaults filled in: written next to results for provenance.
    pub raw: RawScenario,
}

/// Support model selected by the `model` key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelKind {
    /// Tier 1..k queues with escalation and handoffs.
    Tiered,
    /// Tiered routing and handoffs, but tiers 1..=n share one queue and one merged pool: the
    /// control that separates what pooling gains from what collaboration gains.
    PooledTiered,
    /// One intake pool of case owners who keep every ticket, pulling experts into swarm sessions.
    Swarm,
    /// A tiered L1 front line; escalations go to a dispatch swarm of owners instead of L2/L3 queues.
    Hybrid,
}

impl ModelKind {
    /// The name used in scenario files and tables.
    pub fn name(self) -> &'static str {
        match self {
            ModelKind::Tiered => "tiered",
            ModelKind::PooledTiered => "pooled_tiered",
            ModelKind::Swarm => "swarm",
            ModelKind::Hybrid => "hybrid",
        }
    }
}

/// Who gets a free agent first when a pool has both queued tickets and swarm requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SwarmPriority {
    /// Free experts are held for the oldest, most urgent request; an owner returns to a ready
    /// session before taking a new ticket.
    SwarmFirst,
    /// Queued tickets first; sessions only get agents left free.
    QueueFirst,
}

/// Swarm mechanics after validation (models `swarm` and `hybrid`).
#[derive(Debug, Clone)]
pub struct Swarm {
    /// Index of the first owner tier: tickets reaching it stay with one owner to the end.
    pub owner_tier: usize,
    /// Highest required level an owner resolves alone (tiers `owner_tier..owner_level` are the
    /// owners' own work, all served by the owner pool).
    pub owner_level: u8,
    /// The owner pool (index into `Scenario::pools`).
    pub owner_pool: usize,
    /// Cumulative probabilities of 1, 2, ... helpers.
    pub helpers_cum: Vec<f64>,
    /// Mean helpers per request.
    pub helpers_mean: f64,
    /// Fraction added to the session time.
    pub overhead: f64,
    /// Per-helper context switch after a session [minutes].
    pub context_switch: Dist,
    /// Owner's briefing at session start [minutes].
    pub brief: Dist,
    /// Session time [minutes]; `None` = the needed tier's work time for the ticket's channel.
    pub session: Option<Dist>,
    /// Queue versus swarm priority rule.
    pub priority: SwarmPriority,
    /// `(gain per swarm joined per owner, cap)` of the solve-alone probability.
    pub learning: Option<(f64, f64)>,
}
/// In which order a tier's waiting tickets are taken (always non-preemptive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueOrder {
    /// By priority, then first in, first out.
    Priority,
    /// Live tickets (chat, phone) awaiting a first response before all others; within each
    /// class by priority, then first in, first out.
    LiveFirst,
    /// Highest score first ([`Scenario::queue_score`]), then first in, first out.
    Scored,
}

/// `[run]` after validation; durations in minutes.
#[derive(Debug, Clone)]
pub struct RunSettings {
    /// Local start date.
    pub start_date: jiff::civil::Date,
    /// Time zone of the demand profile and pool hours.
    pub timezone: jiff::tz::TimeZone,
    /// Warm-up [minutes].
    pub warmup_min: f64,
    /// Measured period [minutes].
    pub horizon_min: f64,
    /// Longest drain after the measured period [minutes].
    pub drain_min: f64,
    /// Replications.
    pub replications: u32,
    /// Master seed.
    pub seed: u64,
    /// Time-series interval [minutes].
    pub interval_min: f64,
    /// Open-ticket cap per replication [tickets].
    pub max_open_tickets: u32,
    /// Starts of the report periods of the measured window [minutes], ascending, the first
    /// at the window's start: when set (only by `supportsim plan`), the recorder also counts
    /// SLA attainment and resolutions per period (`measure::periods`). `None` in every
    /// scenario file.
    pub periods: Option<std::sync::Arc<[f64]>>,
}

impl RunSettings {
    /// End of the measured window [minutes].
    pub fn window_end_min(&self) -> f64 {
        self.warmup_min + self.horizon_min
    }
    /// End of everything simulated, drain included [minutes].
    pub fn span_min(&self) -> f64 {
        self.warmup_min + self.horizon_min + self.drain_min
    }
}

/// A stretch of constant arrival rate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateSegment {
    /// Start [minutes].
    pub start_min: f64,
    /// Rate before the daily multiplier [tickets/minute].
    pub rate_per_min: f64,
    /// Local day index from the start date, selecting the daily dispersion multiplier.
    pub day: u32,
}

/// Demand after validation.
#[derive(Debug, Clone)]
pub struct Demand {
    /// Piecewise-constant arrival rate covering `[0, run.span_min())`.
    pub segments: Vec<RateSegment>,
    /// Number of local days covered (daily multipliers to draw).
    pub days: u32,
    /// CV of the daily gamma multiplier (0 = none).
    pub daily_cv: f64,
    /// The daily multiplier's distribution (mean 1, CV `daily_cv`), `None` when `daily_cv`
    /// is 0; validated, so the engine only samples it.
    pub daily_multiplier: Option<rand_distr::Gamma<f64>>,
    /// Priority names, most urgent first (`[demand] priority_names`, default `P1`..`P4`):
    /// a ticket's priority is an index into it, 1 to [`MAX_PRIORITIES`] long.
    pub priority_names: Vec<String>,
    /// Segment names, in file order.
    pub segment_names: Vec<String>,
    /// Segment probabilities.
    pub segment_probs: Vec<f64>,
    /// Mixes per segment (same order as `segment_names`).
    pub mixes: Vec<SegmentMix>,
}

/// Channel, priority and required-level probabilities of one segment.
#[derive(Debug, Clone, PartialEq)]
pub struct SegmentMix {
    /// Per channel (index into `Scenario::channels`).
    pub channel: Vec<f64>,
    /// Per priority (index into `Demand::priority_names`).
    pub priority: Vec<f64>,
    /// Per required level (0..4).
    pub level: [f64; 5],
}

/// A staff pool after validation.
#[derive(Debug, Clone)]
pub struct Pool {
    /// Name.
    pub name: String,
    /// Agents on duty during working hours (summed over merged pools).
    pub headcount: u32,
    /// Names of the scenario file's pools that make up this pool (one unless merged).
    pub members: Vec<String>,
    /// Staffing changes `(time [minutes], agents on duty)`, sorted, first at time 0.
    pub schedule: Vec<(f64, u32)>,
    /// Hand-over time at shift end [minutes]; `None`: agents finish the ticket in hand.
    pub handover_min: Option<f64>,
    /// Shift ends: `(time [minutes], scheduled agents leaving)`, sorted (times where the
    /// scheduled headcount falls, before shrinkage).
    pub shift_ends: Vec<(f64, u32)>,
    /// Chats an agent may hold at once (1 = one ticket at a time).
    pub chat_concurrency: u8,
    /// Occupancy cap c in (0, 1]: rest d x (1 - c) / c after d minutes of work (1 = none).
    pub max_occupancy: f64,
}

impl Pool {
    /// Agents on duty at time `t_min`.
    pub fn staffed_at(&self, t_min: f64) -> u32 {
        let i = self.schedule.partition_point(|(t, _)| *t <= t_min);
        if i == 0 { 0 } else { self.schedule[i - 1].1 }
    }

    /// Whether the agents on duty change during the run (shifts start or end), so agents can
    /// be present past a shift's end.
    pub fn staffing_changes(&self) -> bool {
        self.schedule.len() > 1
    }

    /// Most agents ever on duty [agents].
    pub fn max_staffed(&self) -> u32 {
        self.schedule.iter().map(|&(_, n)| n).max().unwrap_or(0)
    }

    /// Mean agents on duty over `[from, to)` [agents].
    pub fn mean_staffed(&self, from: f64, to: f64) -> f64 {
        agent_minutes(&self.schedule, from, to) / (to - from)
    }
}

/// Agent-minutes of a `(time, agents)` step schedule over `[from, to)`.
pub fn agent_minutes(schedule: &[(f64, u32)], from: f64, to: f64) -> f64 {
    let mut area = 0.0;
    for (i, (t, n)) in schedule.iter().enumerate() {
        let end = schedule.get(i + 1).map_or(f64::INFINITY, |x| x.0);
        let (a, b) = (t.max(from), end.min(to));
        if b > a {
            area += (b - a) * *n as f64;
        }
    }
    area
}

/// One tier after validation.
#[derive(Debug, Clone)]
pub struct Tier {
    /// Level (1-based).
    pub level: u8,
    /// Index into `Scenario::pools`.
    pub pool: usize,
    /// Work time per channel [minutes].
    pub work: Vec<Dist>,
    /// Write-up time when escalating from this tier [minutes].
    pub write_up: Dist,
    /// Re-gather time when receiving an escalation [minutes].
    pub regather: Dist,
    /// Index of the file pool that staffs this tier (before any model merges pools).
    pub file_pool: usize,
    /// Work-time multiplier of that pool (proficiency).
    pub work_factor: f64,
    /// Share of resolvable tickets this tier resolves; the rest escalate.
    pub resolve_factor: f64,
    /// New-hire ramp: (extra factor at time 0, minutes until it reaches 0).
    pub ramp: Option<(f64, f64)>,
}

impl Tier {
    /// Work-time multiplier at simulated minute `t` (proficiency x ramp).
    #[inline]
    pub fn factor_at(&self, t: f64) -> f64 {
        match self.ramp {
            None => self.work_factor,
            Some((extra, len)) => self.work_factor * (1.0 + extra * (1.0 - t / len).max(0.0)),
        }
    }
}

/// How customers reach one channel, as validated (see [`raw::RawChannelAccess`]).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ChannelAccess {
    /// The file has an `[access.<channel>]` table: its metrics are reported.
    pub reported: bool,
    /// Opening hours: index into [`Sla::clocks`]; `None` = open 24x7.
    pub hours: Option<u16>,
    /// Probability that a contact finding the channel closed leaves a message.
    pub closed_message_p: f64,
    /// Most contacts of the channel waiting at the entry stage's pool; `None` = no limit.
    pub queue_limit: Option<u32>,
    /// Probability that a blocked contact leaves a message.
    pub blocked_message_p: f64,
    /// Closed while fewer agents than this are on duty at the entry stage's pool.
    pub min_agents_on_duty: u32,
}

/// Escalation mechanics after validation.
#[derive(Debug, Clone)]
pub struct Escalation {
    /// Handoff delay [minutes].
    pub handoff_delay: Dist,
    /// Probability of a re-explain round trip per escalation.
    pub re_explain_p: f64,
    /// Customer round trip [minutes].
    pub re_explain_delay: Dist,
    /// Probability of a bounce back per escalation hop.
    pub bounce_back_p: f64,
}

/// SLA targets and which target covers which priority x segment cell.
#[derive(Debug, Clone, Default)]
pub struct Sla {
    /// Targets in file order.
    pub targets: Vec<SlaTarget>,
    /// First-response target index per cell `priority * segments + segment`.
    pub first_response_of: Vec<Option<u16>>,
    /// Resolution target index per cell.
    pub resolution_of: Vec<Option<u16>>,
    /// Per cell, its targets with their index: the two tables above resolved once, so the
    /// recorder's per-ticket SLA check is one lookup.
    pub cells: Vec<CellTargets>,
    /// Business-hours clocks of the `[[calendars]]` targets run on (`Target::clock` indexes).
    pub clocks: Vec<calendar::BusinessClock>,
}

/// The SLA targets covering one priority x segment cell, with their index in
/// [`Sla::targets`].
#[derive(Debug, Clone, Copy, Default)]
pub struct CellTargets {
    /// First-response target.
    pub first_response: Option<(usize, Target)>,
    /// Resolution target.
    pub resolution: Option<(usize, Target)>,
}

impl Sla {
    /// Minutes on `target`'s clock between simulated times `from` and `to` (wall minutes on
    /// the 24x7 clock, business minutes on a calendar's).
    #[inline]
    pub fn clock_minutes(&self, target: &Target, from: f64, to: f64) -> f64 {
        match target.clock {
            None => to - from,
            Some(c) => self.clocks[c as usize].elapsed(from, to),
        }
    }
}

/// One `[[sla]]` entry.
#[derive(Debug, Clone)]
pub struct SlaTarget {
    /// Label such as `P1/enterprise`, `P2/*` or `*/smb`.
    pub label: String,
    /// First-response limit and goal.
    pub first_response: Option<Target>,
    /// Resolution limit and goal.
    pub resolution: Option<Target>,
}

/// A time limit and the fraction of tickets that must meet it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target {
    /// Limit [minutes on the target's clock].
    pub limit_min: f64,
    /// Goal fraction (0, 1].
    pub goal: f64,
    /// Index into `Sla::clocks`; `None` = the 24x7 wall clock.
    pub clock: Option<u16>,
    /// The clock stops while the ticket waits on the customer (re-explain round trips).
    pub pause_on_customer: bool,
    /// Paid to the customer per ticket that misses the limit [USD] (0 = none).
    pub penalty_usd: f64,
}

impl Scenario {
    /// Scheduled FTE of model pool `p` (40 paid hours a week), over the file pools merged
    /// into it.
    pub fn pool_scheduled_fte(&self, p: &Pool) -> f64 {
        self.scheduled_fte
            .iter()
            .filter(|(name, _)| p.members.contains(name))
            .map(|(_, f)| f)
            .sum()
    }

    /// Reads, parses and validates a scenario file.
    ///
    /// # Errors
    /// [`ScenarioError::Io`] when unreadable; [`ScenarioError::Invalid`] naming the key path
    /// and the problem otherwise.
    pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
        let text = read_scenario_text(path)?;
        Self::from_toml_str(&text, path)
    }

    /// Parses and validates scenario text; `origin` names it in error messages.
    ///
    /// # Errors
    /// [`ScenarioError::Invalid`] with every problem found.
    pub fn from_toml_str(text: &str, origin: &Path) -> Result<Scenario, ScenarioError> {
        let raw = parse_raw(text, origin)?;
        Self::from_raw(raw, origin)
    }

    /// Validates an already parsed scenario (used after `--set` style overrides).
    ///
    /// # Errors
    /// [`ScenarioError::Invalid`] with every problem found.
    pub fn from_raw(raw: RawScenario, origin: &Path) -> Result<Scenario, ScenarioError> {
        let mut s = validate::validate(raw).map_err(|p| ScenarioError::invalid(origin, p))?;
        if s.raw.demand.trace.is_none() && s.raw.initial_state.is_none() {
            return Ok(s);
        }
        let mut p = error::Problems::default();
        if let Some(rel) = s.raw.demand.trace.clone() {
            // The load warnings were computed from the volume keys; with the trace in place
            // they follow its arrivals instead.
            let key_warnings = analysis::warnings(&s);
            s.trace = trace::load(&s, origin, &rel, &mut p).map(std::sync::Arc::new);
            if s.trace.is_some() {
                s.warnings.retain(|w| !key_warnings.contains(w));
                s.warnings.extend(analysis::warnings(&s));
            }
            if let Some(t) = s.trace.as_ref() {
                let file = t.file.display();
                if t.after_end > 0 {
                    let (rows, verb) = plural_rows(t.after_end);
                    let (be, them) = if t.after_end == 1 {
                        ("is", "it")
                    } else {
                        ("are", "them")
                    };
                    s.warnings.push(format!(
                        "demand.trace: {rows} of {file} {verb} after the run's end and \
                         {be} ignored; lengthen run.horizon_days or run.drain_days to \
                         simulate {them}"
                    ));
                }
                let (from, to) = (s.run.warmup_min, s.run.window_end_min());
                let measured = t
                    .rows
                    .iter()
                    .filter(|r| r.time_min >= from && r.time_min < to)
                    .count();
                if t.rows.is_empty() {
                    s.warnings.push(format!(
                        "demand.trace: {file} has no arrival inside the simulated span; \
                         the run sees only backlog and incident tickets, if any"
                    ));
                } else if measured == 0 {
                    // Every row is in the warm-up or the drain: the run simulates them but
                    // its measured window holds none, which is never what the user meant.
                    let (rows, _) = plural_rows(t.rows.len());
                    s.warnings.push(format!(
                        "demand.trace: none of the {rows} of {file} falls in the measured \
                         window (minute {} to {}); they arrive in the warm-up or the drain \
                         and no measured metric sees them; set run.warmup_days = 0 or \
                         shift arrival_min",
                        crate::format::Num(from),
                        crate::format::Num(to)
                    ));
                }
            }
        }
        if let Some(init) = s.raw.initial_state.clone() {
            s.backlog = backlog::load(&s, origin, &init, &mut p).map(std::sync::Arc::new);
            let oldest = s.backlog.as_ref().and_then(|b| b.tickets.first());
            if let Some(o) = oldest.filter(|_| init.age_on_business_clocks && p.is_empty()) {
                // Oldest first: the look-back is the oldest age, no more.
                validate::extend_calendars_back(&mut s.sla.clocks, o.age_min, &mut p);
            }
        }
        if !p.is_empty() {
            return Err(ScenarioError::invalid(origin, p.0));
        }
        absolute_data_paths(&mut s.raw, origin);
        Ok(s)
    }

    /// Number of segments.
    pub fn segment_count(&self) -> usize {
        self.demand.segment_names.len()
    }

    /// Number of priorities (1 to [`MAX_PRIORITIES`]).
    pub fn priority_count(&self) -> usize {
        self.demand.priority_names.len()
    }

    /// The name of priority `p` (an index into `Demand::priority_names`).
    pub fn priority_name(&self, p: usize) -> &str {
        &self.demand.priority_names[p]
    }
}

/// Makes the data files' paths (`demand.trace`, `initial_state.file`) absolute, read from
/// `origin`'s folder: the file as run is written into output folders (`scenario.resolved.toml`,
/// a shard's copy that `merge` reads, a sweep's points), and from there a relative path would
/// name a file that is not there. A path that is not UTF-8 is left as given.
fn absolute_data_paths(raw: &mut RawScenario, origin: &Path) {
    let absolute = |rel: &mut String| {
        let full = trace::resolve(origin, rel);
        if let Some(text) = std::path::absolute(&full)
            .ok()
            .and_then(|p| p.to_str().map(str::to_string))
        {
            *rel = text;
        }
    };
    if let Some(t) = raw.demand.trace.as_mut() {
        absolute(t);
    }
    if let Some(f) = raw.initial_state.as_mut().and_then(|i| i.file.as_mut()) {
        absolute(f);
    }
}

/// "1 row", "arrives" or "N rows", "arrive".
fn plural_rows(n: usize) -> (String, &'static str) {
    if n == 1 {
        ("1 row".to_string(), "arrives")
    } else {
        (format!("{n} rows"), "arrive")
    }
}
