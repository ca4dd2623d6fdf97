//! What one replication measures: counters and time integrals, fed by the engine's events
//! (see [`super::observe`]). Never per-ticket lists, so memory does not grow with tickets.

use super::integral::Integral;
use crate::model::Policy;
use crate::scenario::{Costs, Pool, Scenario};
use crate::stats::hist::LogHistogram;

/// Where the pooled histograms of a group live: all tickets, then each priority, then each
/// segment. One place computes the slots, so the catalog and the recorder cannot disagree.
#[derive(Debug, Clone, Copy)]
pub struct HistSlots {
    priorities: usize,
    segments: usize,
}

impl HistSlots {
    /// The layout for a scenario.
    pub fn new(s: &Scenario) -> Self {
        HistSlots {
            priorities: s.priority_count(),
            segments: s.segment_count(),
        }
    }
    /// Slot of priority `p`.
    #[inline]
    pub fn priority(&self, p: usize) -> usize {
        1 + p
    }
    /// Slot of segment `s`.
    #[inline]
    pub fn segment(&self, s: usize) -> usize {
        1 + self.priorities + s
    }
    /// Number of slots.
    pub fn len(&self) -> usize {
        1 + self.priorities + self.segments
    }
    /// True if there are no slots (never: "all" always has one).
    pub fn is_empty(&self) -> bool {
        false
    }
}

/// A wait distribution: count, waits above zero, sum, a histogram for quantiles, and counts
/// within each threshold.
#[derive(Debug, Clone)]
pub struct WaitStats {
    /// Waits recorded.
    pub n: u64,
    /// Waits longer than zero.
    pub positive: u64,
    /// Sum of waits [minutes].
    pub sum_min: f64,
    /// Histogram of waits [minutes].
    pub hist: LogHistogram,
    /// Per threshold j of [`Recorder::wait_thresholds_min`] (or the abandonment thresholds):
    /// waits at or below it and above every threshold before it; the last entry counts the
    /// waits above all of them (or NaN). [`WaitStats::within`] sums them.
    first_within: Vec<u64>,
}

impl WaitStats {
    fn new(thresholds: usize) -> Self {
        WaitStats {
            n: 0,
            positive: 0,
            sum_min: 0.0,
            hist: LogHistogram::new(),
            first_within: vec![0; thresholds + 1],
        }
    }

    /// Records one wait [minutes] against `thresholds` [minutes], which ascend.
    #[inline]
    pub fn record(&mut self, wait: f64, thresholds: &[f64]) {
        self.n += 1;
        self.positive += u64::from(wait > 0.0);
        self.sum_min += wait;
        self.hist.record(wait);
        // One count per wait instead of one per threshold: the first threshold it is within
        // (thresholds ascend, so it is within every later one too).
        let j = thresholds
            .iter()
            .take_while(|&&t| wait > t || wait.is_nan())
            .count();
        if let Some(c) = self.first_within.get_mut(j) {
            *c += 1;
        }
    }

    /// Waits at or below threshold `i` (of the thresholds given to [`WaitStats::record`]).
    pub fn within(&self, i: usize) -> u64 {
        self.first_within[..=i].iter().sum()
    }
}

/// Thresholds of the share of abandoners that abandoned within t [minutes].
pub const ABANDON_THRESHOLDS_MIN: [f64; 5] = [1.0, 2.0, 5.0, 10.0, 30.0];

/// The thresholds stage waits are counted against: the distinct limits of the scenario's
/// first-response targets on the 24x7 clock [minutes], ascending.
pub fn wait_thresholds_min(s: &Scenario) -> Vec<f64> {
    let mut v: Vec<f64> = s
        .sla
        .targets
        .iter()
        .filter_map(|t| t.first_response)
        .filter(|t| t.clock.is_none())
        .map(|t| t.limit_min)
        .collect();
    v.sort_by(f64::total_cmp);
    v.dedup();
    v
}

/// What the measured, non-deflected contacts of one live channel met when they arrived.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AccessCounts {
    /// Contacts that arrived on the channel.
    pub offered: u64,
    /// Found it closed and left a message (an email ticket).
    pub closed_message: u64,
    /// Found it closed and went away.
    pub turned_away: u64,
    /// Found its queue full and left a message.
    pub blocked_message: u64,
    /// Found its queue full and went away.
    pub blocked_lost: u64,
}

/// Callbacks of measured tickets (`[customers.callbacks]`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CallbackCounts {
    /// Phone contacts that joined a queue unanswered (first contacts and retrials).
    pub phone_waits: u64,
    /// Callbacks offered (customers who waited the offer time).
    pub offered: u64,
    /// Callbacks accepted.
    pub accepted: u64,
    /// Attempts made by agents (failed and successful).
    pub attempts: u64,
    /// Attempts that reached the customer (each callback connects at most once).
    pub connected: u64,
    /// Callbacks whose last attempt failed: the customer is lost.
    pub lost: u64,
}

/// Counters for one priority x segment cell (measured tickets only).
#[derive(Debug, Clone, Default)]
pub struct Cell {
    /// Arrived in the measured window (deflected included).
    pub arrived: u64,
    /// Deflected by self-service.
    pub deflected: u64,
    /// Found their live channel closed or full and went away.
    pub refused: u64,
    /// Got a first response.
    pub responded: u64,
    /// Sum of first-response times [minutes].
    pub fr_sum: f64,
    /// Resolved.
    pub resolved: u64,
    /// Sum of resolution times [minutes].
    pub res_sum: f64,
    /// Abandoned while waiting.
    pub abandoned: u64,
    /// Still open when the run ended.
    pub unresolved: u64,
    /// Tickets covered by a first-response target / meeting it.
    pub fr_covered: u64,
    /// Met the first-response target.
    pub fr_met: u64,
    /// Covered by a resolution target.
    pub res_covered: u64,
    /// Met the resolution target.
    pub res_met: u64,
    /// Resolved by the first agent who touched them.
    pub fcr: u64,
    /// Resolved after at least one escalation.
    pub escalated: u64,
    /// Handoffs summed over resolved tickets.
    pub handoffs: u64,
    /// Re-explains summed over resolved tickets.
    pub re_explains: u64,
    /// Time in system summed over resolved and abandoned tickets [minutes].
    pub sojourn_sum: f64,
    /// Resolved with a swarm session.
    pub swarmed: u64,
}

/// Everything one replication measures.
#[derive(Debug, Clone)]
pub struct Recorder {
    /// Segments in the scenario.
    pub segments: usize,
    /// Cells indexed `priority * segments + segment`.
    pub cells: Vec<Cell>,
    /// First-response histograms: all, each priority, then each segment.
    pub fr_hist: Vec<LogHistogram>,
    /// Resolution histograms, same layout.
    pub res_hist: Vec<LogHistogram>,
    /// Histogram slots of the groups.
    pub slots: HistSlots,
    /// Per channel: non-deflected measured arrivals.
    pub channel_arrived: Vec<u64>,
    /// Per channel: abandoned.
    pub channel_abandoned: Vec<u64>,
    /// Per channel: sum and count of initial waits (until first agent or abandonment) [minutes].
    pub channel_wait: Vec<(f64, u64)>,
    /// Per channel: measured first responses to tickets of the channel.
    pub channel_answered: Vec<u64>,
    /// Per channel: what live contacts met at the door (counted for channels with access
    /// rules only).
    pub channel_access: Vec<AccessCounts>,
    /// Bit `c` set: channel `c` is live ([`crate::scenario::Channels::live_mask`]).
    pub live_mask: u32,
    /// Per channel: retrials admitted to the channel (live abandonment divides by first
    /// contacts and retrials).
    pub channel_retried: Vec<u64>,
    /// Contacts of measured non-deflected tickets: first contacts and retrials.
    pub contacts: u64,
    /// Retrials of measured tickets.
    pub retrial_contacts: u64,
    /// Chasers of measured tickets.
    pub chasers: u64,
    /// Callbacks of measured tickets.
    pub callbacks: CallbackCounts,
    /// Per stage a ticket can queue at: waits from joining the stage's queue to a step's start.
    pub stage_waits: Vec<WaitStats>,
    /// Thresholds of `stage_waits` [minutes].
    pub wait_thresholds_min: Vec<f64>,
    /// Waits of live customers until they abandoned [minutes], against
    /// [`ABANDON_THRESHOLDS_MIN`].
    pub abandon_wait: WaitStats,
    /// Per SLA target: (covered, met) for first response and for resolution.
    pub target_fr: Vec<(u64, u64)>,
    /// Per SLA target: resolution (covered, met).
    pub target_res: Vec<(u64, u64)>,
    /// Busy agents per pool.
    pub busy: Vec<Integral>,
    /// Agents on duty per pool.
    pub staffed: Vec<Integral>,
    /// Agents present per pool: on duty, or still working (or resting) past their shift's
    /// end, max(on duty, busy + resting). Utilisation divides by it, so it never exceeds 1.
    pub present: Vec<Integral>,
    /// Per pool: whether `present` is kept (staffing changes during the run); otherwise the
    /// agents present are always those on duty.
    pub tracks_present: Vec<bool>,
    /// Queue length per pool.
    pub queued: Vec<Integral>,
    /// Prices (a copy of the scenario's), when anything is priced.
    pub costs: Option<Costs>,
    /// Invoice weeks of the window (1 when nothing is priced).
    pub weeks: usize,
    /// Per SLA target: goals of (first response, resolution) (0 where absent).
    pub goals: Vec<[f64; 2]>,
    /// Per SLA target: penalties per breach of (first response, resolution) [USD].
    pub penalties: Vec<[f64; 2]>,
    /// Measured tickets handed over at a shift end (each hand-over counted).
    pub handovers: u64,
    /// Measured tickets handed to the vendor.
    pub vendor_tickets: u64,
    /// Per invoice week (of arrival): measured tickets handed to the vendor.
    pub week_vendor: Vec<u64>,
    /// Per tier x invoice week (`tier * weeks + week`): measured tickets the tier handled
    /// (counted only when priced, like the two below).
    pub week_handled: Vec<u64>,
    /// Per SLA target x invoice week: first response (covered, met).
    pub week_fr: Vec<(u64, u64)>,
    /// Per SLA target x invoice week: resolution (covered, met).
    pub week_res: Vec<(u64, u64)>,
    /// Per channel: what tier 0 did with the measured contacts (empty without `[tier0]`).
    pub bot: Vec<super::bot::BotCounts>,
    /// Per invoice week (of arrival): measured bot conversations (counted when priced).
    pub week_bot: Vec<u64>,
    /// Per week of the measured window, for a maturing bot: (contacts offered to the bot's
    /// channels, contained for good).
    pub bot_weeks: Vec<(u64, u64)>,
    /// Per-category counters (empty without skills).
    pub categories: Vec<super::categories::CategoryCounts>,
    /// Backlog clearing and per-origin counters (`None` without `[initial_state]`).
    pub backlog: Option<super::origin::BacklogState>,
    /// Triage counters (`None` without `[triage]`).
    pub triage: Option<super::triage::TriageCounts>,
    /// Incident counters (`None` without `[incidents]`).
    pub incidents: Option<Box<super::incidents::IncidentCounts>>,
    /// Counters per report period (`None` unless `run.periods` is set: `supportsim plan`).
    pub periods: Option<Box<super::periods::Periods>>,
    /// Swarm sessions started for measured tickets.
    pub swarms: u64,
    /// Waits of those sessions from request to start, summed [minutes].
    pub swarm_wait_sum: f64,
    /// Helpers of those sessions, summed.
    pub helpers_sum: u64,
    /// Open (non-deflected) tickets in the system.
    pub in_system: Integral,
    /// Measured window [minutes].
    pub window: (f64, f64),
    /// Stopped early at the open-ticket cap.
    pub unstable: bool,
    /// Events processed.
    pub events: u64,
    /// Tickets created (whole run, measured or not).
    pub tickets: u64,
}

impl Recorder {
    /// An empty recorder for a scenario.
    pub fn new(s: &Scenario) -> Self {
        let ns = s.segment_count();
        let weeks = s.costs.as_ref().map_or(1, |c| c.weeks.len());
        let slots = HistSlots::new(s);
        let thresholds = wait_thresholds_min(s);
        Recorder {
            segments: ns,
            cells: vec![Cell::default(); s.priority_count() * ns],
            fr_hist: (0..slots.len()).map(|_| LogHistogram::new()).collect(),
            res_hist: (0..slots.len()).map(|_| LogHistogram::new()).collect(),
            slots,
            channel_arrived: vec![0; s.channels.len()],
            channel_abandoned: vec![0; s.channels.len()],
            channel_wait: vec![(0.0, 0); s.channels.len()],
            channel_answered: vec![0; s.channels.len()],
            channel_access: vec![AccessCounts::default(); s.channels.len()],
            channel_retried: vec![0; s.channels.len()],
            live_mask: s.channels.live_mask(),
            contacts: 0,
            retrial_contacts: 0,
            chasers: 0,
            callbacks: CallbackCounts::default(),
            stage_waits: (0..Policy::new(s).queue_stages())
                .map(|_| WaitStats::new(thresholds.len()))
                .collect(),
            wait_thresholds_min: thresholds,
            abandon_wait: WaitStats::new(ABANDON_THRESHOLDS_MIN.len()),
            target_fr: vec![(0, 0); s.sla.targets.len()],
            target_res: vec![(0, 0); s.sla.targets.len()],
            busy: vec![Integral::default(); s.pools.len()],
            staffed: vec![Integral::default(); s.pools.len()],
            present: vec![Integral::default(); s.pools.len()],
            tracks_present: s.pools.iter().map(Pool::staffing_changes).collect(),
            queued: vec![Integral::default(); s.pools.len()],
            costs: s.costs.clone(),
            weeks,
            goals: s
                .sla
                .targets
                .iter()
                .map(|t| [t.first_response, t.resolution].map(|x| x.map_or(0.0, |x| x.goal)))
                .collect(),
            penalties: s
                .sla
                .targets
                .iter()
                .map(|t| [t.first_response, t.resolution].map(|x| x.map_or(0.0, |x| x.penalty_usd)))
                .collect(),
            handovers: 0,
            vendor_tickets: 0,
            week_vendor: vec![0; weeks],
            week_handled: vec![0; s.tiers.len() * weeks],
            week_fr: vec![(0, 0); s.sla.targets.len() * weeks],
            week_res: vec![(0, 0); s.sla.targets.len() * weeks],
            bot: if s.tier0.is_some() {
                vec![super::bot::BotCounts::default(); s.channels.len()]
            } else {
                Vec::new()
            },
            week_bot: vec![0; weeks],
            bot_weeks: vec![(0, 0); super::bot::maturity_weeks(s).len()],
            categories: vec![
                super::categories::CategoryCounts::default();
                s.skills.as_ref().map_or(0, |k| k.count())
            ],
            backlog: s
                .backlog
                .as_ref()
                .map(|_| super::origin::BacklogState::default()),
            triage: s
                .triage
                .as_ref()
                .map(|_| super::triage::TriageCounts::default()),
            incidents: s.incidents.as_ref().map(|_| {
                Box::new(super::incidents::IncidentCounts {
                    care_usd_per_week: super::incidents::care_usd_per_week(s),
                    ..Default::default()
                })
            }),
            periods: s.run.periods.as_ref().map(|starts| {
                Box::new(super::periods::Periods::new(
                    starts.clone(),
                    s.priority_count() * ns,
                ))
            }),
            swarms: 0,
            swarm_wait_sum: 0.0,
            helpers_sum: 0,
            in_system: Integral::default(),
            window: (s.run.warmup_min, s.run.window_end_min()),
            unstable: false,
            events: 0,
            tickets: 0,
        }
    }

    /// Invoice week of a measured ticket that arrived at `arrival` [minutes].
    #[inline]
    pub fn week_of(&self, arrival: f64) -> usize {
        if self.weeks == 1 {
            return 0;
        }
        // `as u32`: a cheaper saturating conversion than `as usize`, and the same week once
        // capped by the last one.
        let w = ((arrival - self.window.0) / (7.0 * 1440.0)).max(0.0) as u32 as usize;
        w.min(self.weeks - 1)
    }

    /// Counts a measured ticket against SLA target `k` (first response or resolution), in
    /// total and, when the scenario is priced (credits and penalties need it), in the invoice
    /// week it arrived.
    #[inline]
    pub fn count_target(&mut self, k: usize, resolution: bool, arrival: f64, met: bool) {
        let total = if resolution {
            &mut self.target_res[k]
        } else {
            &mut self.target_fr[k]
        };
        total.0 += 1;
        total.1 += u64::from(met);
        if self.costs.is_some() {
            let i = k * self.weeks + self.week_of(arrival);
            let week = if resolution {
                &mut self.week_res[i]
            } else {
                &mut self.week_fr[i]
            };
            week.0 += 1;
            week.1 += u64::from(met);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_within_each_threshold_are_counted_as_one_count_per_threshold_would() {
        let thresholds = [0.5, 1.0, 5.0, 30.0];
        let mut w = WaitStats::new(thresholds.len());
        let mut each = [0u64; 4];
        let mut x = 3u64;
        for i in 0..10_000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            // Exactly on a threshold now and then, zero, and NaN.
            let wait = match i % 50 {
                0 => thresholds[(x >> 60) as usize % 4],
                1 => 0.0,
                2 => f64::NAN,
                _ => (x >> 11) as f64 / (1u64 << 53) as f64 * 40.0,
            };
            w.record(wait, &thresholds);
            for (c, t) in each.iter_mut().zip(&thresholds) {
                *c += u64::from(wait <= *t);
            }
        }
        for (i, c) in each.iter().enumerate() {
            assert_eq!(w.within(i), *c, "threshold {i}");
        }
        assert_eq!(w.n, 10_000);
    }
}
