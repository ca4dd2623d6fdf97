//! Staffing requirements per pool per interval over a typical week, analytically: the
//! planner's first step, before a roster is built or anything is simulated.
//!
//! # Method
//! The week is the `week`-th whole week of the measured window (0 = the first, starting at
//! the end of the warm-up), cut into intervals of `interval_min` minutes. Per interval `j`:
//!
//! 1. **Arrivals**: the file's mean arrival rate over the interval (weekday and hour profile,
//!    growth and surges of that week; daily multipliers at their mean of 1), split by
//!    segment, channel and priority with the file's mixes. Work per ticket comes from
//!    [`work_split`], the expected-load walk over the model's own step function, split into
//!    the first step (what a live customer waits for) and later work.
//! 2. **Live contacts** (chat, phone) at the entry pool: the fewest *servers* meeting every
//!    first-response target that applies to the channel's tickets in that interval (a
//!    target on a business-hours calendar applies only while its clock runs), Erlang A when
//!    the file gives the channel's patience (its mean), else Erlang C, with the mean
//!    first-step work as handle time; `--live-target` replaces the file's targets. Under
//!    FIFO every contact sees the same wait, so the largest of the per-target answers meets
//!    them all. A chat agent holds `chat_concurrency` chats, so chat servers are divided by
//!    it. Under an occupancy cap c an agent rests d (1 - c) / c after work of d minutes, so
//!    the handle time of the queue is the mean first-step work / c, and servers >= load / c.
//!    A goal of 1 is taken as
//!    [`MAX_GOAL`]. With no target in force, the live load only counts as work (step 4).
//!    While the channel's `[access]` hours are closed there is no live queue: contacts
//!    leaving a message become email work. Contacts abandoning (Erlang A, at the staffing
//!    found) leave a message with `abandon_to_email_probability`, also email work.
//! 3. **Deferred work** (email first steps, all later steps, messages) is spread within its
//!    SLA window by the rule in [`spread`]: email first steps within the cell's
//!    first-response limit, later steps within its resolution limit, on the target's clock;
//!    a cell without that target uses [`DEFAULT_WINDOW_MIN`] on the wall clock. Later chat
//!    work takes 1/`chat_concurrency` of an agent, as in the load estimate.
//! 4. **Incident work** (`[incidents]`): incident tickets and outreach checks, counted in
//!    the interval they arrive in by the rule in [`incidents`].
//! 5. **Agents on duty** = max(ceil(live agents), ceil((live busy agents + deferred
//!    erlangs + incident erlangs) / occupancy cap)): deferred and incident work first fill
//!    the idle time the live service level leaves (blending), and more agents come only when
//!    the total work exceeds what the occupancy cap allows. **Scheduled agents** = ceil(on duty / (1 - shrinkage)) (a merged
//!    pool takes the largest shrinkage of its file pools). Chat and phone are sized apart
//!    (no pooling between live channels: conservative).
//!
//! The file's own staffing is shown next to it (mean agents on duty and scheduled over the
//! interval) with the gap (scheduled minus required; negative = short).
//!
//! What this ignores, by construction, is what the simulation exists for: backlog carried
//! between intervals, the randomness of deferred work, escalation delays, shrinkage
//! variability, and priority order within a queue.

mod incidents;
pub mod spread;

use crate::model::Policy;
use crate::model::load::{WorkSplit, work_split};
use crate::scenario::analysis::mean_arrival_rate;
use crate::scenario::calendar::local_label;
use crate::scenario::{Scenario, ScenarioError, agent_minutes};
use crate::stats::erlang::{ErlangError, QueueInput, metrics, min_agents};
use spread::{Window, spread};
use std::path::Path;

/// Window of deferred work whose ticket has no target of that kind [minutes, wall clock].
pub const DEFAULT_WINDOW_MIN: f64 = 1440.0;

/// Highest service-level goal the Erlang search is asked for (a goal of 1 is unreachable).
pub const MAX_GOAL: f64 = 0.999;

/// Minutes per week.
const WEEK_MIN: f64 = 7.0 * 1440.0;

/// What to compute.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Interval length [minutes]: a multiple of 15 dividing a day.
    pub interval_min: f64,
    /// Which whole week of the measured window (0 = the first).
    pub week: u32,
    /// `(limit [minutes], goal)` for every live contact, 24x7, instead of the file's
    /// first-response targets.
    pub live_target: Option<(f64, f64)>,
}

/// Most scheduled agents a pool may need in one interval before the answer is taken for a
/// mistake in the file (a shrinkage near 1, an occupancy cap near 0) rather than a plan.
pub const MAX_REQUIRED_AGENTS: f64 = 1e6;

/// Why requirements cannot be computed.
#[derive(Debug, thiserror::Error)]
pub enum RequirementsError {
    /// The interval is not on the 15-minute grid or does not divide a day.
    #[error(
        "interval of {got} min: must be a multiple of 15 minutes that divides a day (15, 30, 60 ...)"
    )]
    Interval {
        /// The interval given [minutes].
        got: f64,
    },
    /// The week asked for is not inside the measured window.
    #[error(
        "--week {}: the measured window holds {weeks} whole week(s) (run.horizon_days = {days}); {}lengthen run.horizon_days to at least {}",
        week + 1,
        if *weeks == 0 { String::new() } else if *weeks == 1 { "choose --week 1 or ".to_string() } else { format!("choose a week from 1 to {weeks}, or ") },
        7 * (week + 1)
    )]
    Week {
        /// Week asked for (0-based).
        week: u32,
        /// Whole weeks in the window.
        weeks: u32,
        /// Horizon [days].
        days: f64,
    },
    /// A pool would need more agents than any organisation has: its shrinkage or occupancy
    /// cap (or its load) is far outside the plausible.
    #[error(
        "pool {pool:?} would need {} scheduled agents in an interval (shrinkage {shrinkage}, max_occupancy {max_occupancy}): more than {MAX_REQUIRED_AGENTS}; check pools.{pool}.shrinkage and max_occupancy (typical: 0.3 and 0.85) and the demand",
        crate::format::Num(*.agents)
    )]
    TooManyAgents {
        /// The pool.
        pool: String,
        /// Scheduled agents found.
        agents: f64,
        /// The pool's shrinkage.
        shrinkage: f64,
        /// The pool's occupancy cap.
        max_occupancy: f64,
    },
    /// The live target is not a positive limit and a goal in (0, 1].
    #[error("live target {limit_min} min at {goal}: needs a limit > 0 and a goal in (0, 1]")]
    LiveTarget {
        /// Limit [minutes].
        limit_min: f64,
        /// Goal.
        goal: f64,
    },
    /// The Erlang formulas failed for one interval.
    #[error("pool {pool:?}, {channel} at {at}: {source}")]
    Erlang {
        /// Pool name.
        pool: String,
        /// Channel name.
        channel: String,
        /// Interval label.
        at: String,
        /// Cause.
        source: ErlangError,
    },
    /// The scenario with shrinkage removed (for the scheduled headcount) did not validate.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
}

/// One interval of one pool.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Interval start [simulated minutes].
    pub start_min: f64,
    /// Live contacts arriving at this pool's first step, on chat channels and on voice
    /// channels [contacts/interval].
    pub live_contacts: [f64; 2],
    /// How the live requirement was found: `erlang_c`, `erlang_a`, `load` (no target in
    /// force), `closed` (channel closed), or empty (no live contacts).
    pub live_method: &'static str,
    /// Agents on duty for live contacts (servers / concurrency) [agents].
    pub live_agents: f64,
    /// Mean agents busy with live contacts (answered load / concurrency) [agents].
    pub live_busy: f64,
    /// Deferred work the interval absorbs after spreading [erlangs].
    pub deferred_erlangs: f64,
    /// Incident tickets' and outreach checks' work arriving in the interval (`[incidents]`;
    /// 0 without) [erlangs].
    pub incident_erlangs: f64,
    /// Required agents on duty [agents].
    pub required_on_duty: u32,
    /// Required scheduled agents (shrinkage added) [agents].
    pub required_scheduled: u32,
    /// The file's mean agents on duty over the interval [agents].
    pub file_on_duty: f64,
    /// The file's mean scheduled agents over the interval [agents].
    pub file_scheduled: f64,
}

impl Row {
    /// Scheduled minus required scheduled agents (negative: short) [agents].
    pub fn gap(&self) -> f64 {
        self.file_scheduled - f64::from(self.required_scheduled)
    }
}

/// One pool's requirements over the week.
#[derive(Debug, Clone, PartialEq)]
pub struct PoolRequirements {
    /// Pool name (as the model uses it).
    pub pool: String,
    /// Shrinkage used.
    pub shrinkage: f64,
    /// Occupancy cap.
    pub max_occupancy: f64,
    /// One row per interval.
    pub rows: Vec<Row>,
}

/// Per-pool totals over the week.
#[derive(Debug, Clone, PartialEq)]
pub struct PoolSummary {
    /// Required scheduled agent-hours [hours/week].
    pub required_hours: f64,
    /// The file's scheduled agent-hours [hours/week].
    pub file_hours: f64,
    /// Most scheduled agents required in one interval, and the interval's index.
    pub peak: (u32, usize),
    /// Intervals where the file schedules fewer agents than required.
    pub short_intervals: usize,
    /// Agent-hours missing in those intervals [hours/week].
    pub short_hours: f64,
}

impl PoolRequirements {
    /// Totals over the week, for intervals of `interval_min` minutes.
    pub fn summary(&self, interval_min: f64) -> PoolSummary {
        let h = interval_min / 60.0;
        let mut peak = (0, 0);
        for (j, r) in self.rows.iter().enumerate() {
            if r.required_scheduled > peak.0 {
                peak = (r.required_scheduled, j);
            }
        }
        let short: Vec<f64> = self
            .rows
            .iter()
            .map(|r| (-r.gap()).max(0.0))
            .filter(|g| *g > 1e-9)
            .collect();
        PoolSummary {
            required_hours: self
                .rows
                .iter()
                .map(|r| f64::from(r.required_scheduled) * h)
                .sum(),
            file_hours: self.rows.iter().map(|r| r.file_scheduled * h).sum(),
            peak,
            short_intervals: short.len(),
            short_hours: short.iter().sum::<f64>() * h,
        }
    }
}

/// Requirements of every pool.
#[derive(Debug, Clone, PartialEq)]
pub struct Requirements {
    /// Settings used.
    pub settings: Settings,
    /// Start of the week [simulated minutes].
    pub week_start_min: f64,
    /// Local label of each interval start, like `2026-01-12 08:00 Mon`.
    pub labels: Vec<String>,
    /// Per pool, in the scenario's pool order.
    pub pools: Vec<PoolRequirements>,
    /// The file has `[incidents]` (the table then shows `incident_erlangs`).
    pub incidents: bool,
}

/// Requirements per pool per interval (see the module documentation for the method).
///
/// # Errors
/// Bad settings, a week outside the measured window, or an Erlang failure (named by pool,
/// channel and interval).
pub fn requirements(s: &Scenario, set: Settings) -> Result<Requirements, RequirementsError> {
    let dt = set.interval_min;
    let on_grid = dt >= 15.0 && (dt / 15.0).fract() == 0.0 && (1440.0 / dt).fract() == 0.0;
    if !on_grid {
        return Err(RequirementsError::Interval { got: dt });
    }
    if let Some((limit, goal)) = set.live_target
        && !(limit.is_finite() && limit > 0.0 && goal > 0.0 && goal <= 1.0)
    {
        return Err(RequirementsError::LiveTarget {
            limit_min: limit,
            goal,
        });
    }
    let weeks = (s.run.horizon_min / WEEK_MIN + 1e-9).floor() as u32;
    if set.week >= weeks {
        return Err(RequirementsError::Week {
            week: set.week,
            weeks,
            days: s.run.horizon_min / 1440.0,
        });
    }
    let from = s.run.warmup_min + f64::from(set.week) * WEEK_MIN;
    let n = (WEEK_MIN / dt) as usize;
    let starts: Vec<f64> = (0..n).map(|j| from + j as f64 * dt).collect();
    let labels: Vec<String> = starts
        .iter()
        .map(|&t| local_label(s.run.start_date, &s.run.timezone, t))
        .collect();
    let lambda: Vec<f64> = starts
        .iter()
        .map(|&t| mean_arrival_rate(s, t, t + dt))
        .collect();

    let split = work_split(s);
    let policy = Policy::new(s);
    let entry = policy.stages[0].pool;
    let np = s.pools.len();
    let mut windows = Windows::default();
    let ns = s.segment_count();
    // deferred[pool][window][j]: agent-minutes arriving in interval j.
    let mut deferred: Vec<Vec<Vec<f64>>> = vec![Vec::new(); np];
    let mut add = |pool: usize, w: usize, j: usize, x: f64| {
        let d = &mut deferred[pool];
        if d.len() <= w {
            d.resize(w + 1, vec![0.0; n]);
        }
        d[w][j] += x;
    };
    let share = |pool: usize, c: usize| {
        if s.channels.is_chat(c) {
            1.0 / f64::from(s.pools[pool].chat_concurrency.max(1))
        } else {
            1.0
        }
    };
    // Email-like arrivals of segment g: `count` tickets carrying email work (messages count
    // as email tickets); `c` is the channel whose work they carry, `first` whether their
    // first step is deferred too.
    let mut rows_live = vec![(0.0, 0.0, [0.0; 2], ""); n];
    for j in 0..n {
        let mid = starts[j] + 0.5 * dt;
        for (g, sg) in split.iter().enumerate() {
            let mix = &s.demand.mixes[g];
            let seg = lambda[j] * dt * s.demand.segment_probs[g];
            for (c, pc) in mix.channel.iter().enumerate() {
                if *pc == 0.0 {
                    continue;
                }
                for (q, pq) in mix.priority.iter().enumerate() {
                    let mass = seg * pc * pq;
                    if mass == 0.0 {
                        continue;
                    }
                    let (fr, rs) = windows.of_cell(s, q * ns + g);
                    for p in 0..np {
                        let sp: &WorkSplit = &sg[c];
                        if s.channels.is_asynchronous(c) && sp.first[p] > 0.0 {
                            add(p, fr, j, mass * sp.first[p]);
                        }
                        if sp.later[p] > 0.0 {
                            add(p, rs, j, mass * sp.later[p] * share(p, c));
                        }
                    }
                }
            }
        }
        // Live contacts at the entry pool.
        for c in s.channels.live() {
            // The table's two live columns: chat channels, voice channels.
            let k = if s.channels.is_chat(c) { 0 } else { 1 };
            let live =
                live_interval(s, set, &split, entry, c, lambda[j], dt, mid).map_err(|source| {
                    RequirementsError::Erlang {
                        pool: s.pools[entry].name.clone(),
                        channel: s.channels.name(c).to_string(),
                        at: labels[j].clone(),
                        source,
                    }
                })?;
            let Some(live) = live else { continue };
            let row = &mut rows_live[j];
            row.0 += live.agents;
            row.1 += live.busy;
            row.2[k] += live.contacts;
            if row.3.is_empty() || live.method == "erlang_a" {
                row.3 = live.method;
            }
            // Messages: email work of the segment, in the cell's email windows.
            if live.message_share > 0.0 {
                for (g, sg) in split.iter().enumerate() {
                    let mix = &s.demand.mixes[g];
                    let seg = lambda[j] * dt * s.demand.segment_probs[g] * mix.channel[c];
                    for (q, pq) in mix.priority.iter().enumerate() {
                        let mass = seg * pq * live.message_share;
                        if mass == 0.0 {
                            continue;
                        }
                        let (fr, rs) = windows.of_cell(s, q * ns + g);
                        let sp = &sg[s.channels.message()];
                        for p in 0..np {
                            if sp.first[p] > 0.0 {
                                add(p, fr, j, mass * sp.first[p]);
                            }
                            if sp.later[p] > 0.0 {
                                add(p, rs, j, mass * sp.later[p]);
                            }
                        }
                    }
                }
            }
        }
    }

    // Spread each window's work over its clock and add up per pool.
    let open: Vec<Vec<f64>> = windows
        .list
        .iter()
        .map(|w| {
            starts
                .iter()
                .map(|&t| match w.clock {
                    None => dt,
                    Some(c) => s.sla.clocks[c as usize].elapsed(t, t + dt),
                })
                .collect()
        })
        .collect();
    let incident = incidents::incident_work(s, &policy, &starts, dt, WEEK_MIN);
    let unshrunk = without_shrinkage(s)?;
    let mut pools = Vec::with_capacity(np);
    for (p, pool) in s.pools.iter().enumerate() {
        let mut absorbed = vec![0.0; n];
        for (w, work) in deferred[p].iter().enumerate() {
            let out = spread(work, &open[w], dt, windows.list[w].limit_min);
            for (a, x) in absorbed.iter_mut().zip(out) {
                *a += x;
            }
        }
        let shrinkage = shrinkage_of(s, p);
        let cap = pool.max_occupancy;
        let rows: Vec<Row> = (0..n)
            .map(|j| {
                let t = starts[j];
                let (live_agents, live_busy, contacts, method) = if p == entry {
                    rows_live[j]
                } else {
                    (0.0, 0.0, [0.0; 2], "")
                };
                let deferred_erlangs = absorbed[j] / dt;
                let incident_erlangs = incident[p][j];
                let up = |x: f64| (x - 1e-9).ceil().max(0.0);
                // Without incidents the sum is the old one bit for bit (x + 0.0 = x).
                let work = live_busy + deferred_erlangs + incident_erlangs;
                let on_duty = up(live_agents).max(up(work / cap));
                let scheduled = (on_duty / (1.0 - shrinkage) - 1e-9).ceil().max(0.0);
                if scheduled.is_nan() || scheduled > MAX_REQUIRED_AGENTS {
                    return Err(RequirementsError::TooManyAgents {
                        pool: pool.name.clone(),
                        agents: scheduled,
                        shrinkage,
                        max_occupancy: cap,
                    });
                }
                Ok(Row {
                    start_min: t,
                    live_contacts: contacts,
                    live_method: method,
                    live_agents,
                    live_busy,
                    deferred_erlangs,
                    incident_erlangs,
                    required_on_duty: on_duty as u32,
                    required_scheduled: scheduled as u32,
                    file_on_duty: agent_minutes(&pool.schedule, t, t + dt) / dt,
                    file_scheduled: agent_minutes(&unshrunk[p], t, t + dt) / dt,
                })
            })
            .collect::<Result<_, _>>()?;
        pools.push(PoolRequirements {
            pool: pool.name.clone(),
            shrinkage,
            max_occupancy: cap,
            rows,
        });
    }
    Ok(Requirements {
        settings: set,
        week_start_min: from,
        labels,
        pools,
        incidents: s.incidents.is_some(),
    })
}

/// The distinct deferred-work windows, with the default one.
#[derive(Default)]
struct Windows {
    list: Vec<Window>,
}

impl Windows {
    fn id(&mut self, w: Window) -> usize {
        match self.list.iter().position(|x| *x == w) {
            Some(i) => i,
            None => {
                self.list.push(w);
                self.list.len() - 1
            }
        }
    }

    /// The (first-response, resolution) windows of a priority x segment cell.
    fn of_cell(&mut self, s: &Scenario, cell: usize) -> (usize, usize) {
        let pick = |t: Option<crate::scenario::Target>| match t {
            Some(t) => Window {
                limit_min: t.limit_min,
                clock: t.clock,
            },
            None => Window {
                limit_min: DEFAULT_WINDOW_MIN,
                clock: None,
            },
        };
        let targets = s.sla.cells.get(cell).copied().unwrap_or_default();
        let fr = targets.first_response.map(|(_, t)| t);
        let rs = targets.resolution.map(|(_, t)| t);
        (self.id(pick(fr)), self.id(pick(rs)))
    }
}

/// The live requirement of one channel in one interval.
struct Live {
    /// Agents on duty the service level needs (servers / concurrency; 0 without a target).
    agents: f64,
    /// Mean agents busy with the channel (answered load / concurrency).
    busy: f64,
    /// Contacts arriving in the interval.
    contacts: f64,
    /// `erlang_c`, `erlang_a`, `load` or `closed`.
    method: &'static str,
    /// Share of the channel's contacts that become email work (closed or abandoned).
    message_share: f64,
}

/// Live contacts of channel `c` at the entry pool in the interval `[mid - dt/2, mid + dt/2)`.
#[allow(clippy::too_many_arguments)]
fn live_interval(
    s: &Scenario,
    set: Settings,
    split: &[Vec<WorkSplit>],
    entry: usize,
    c: usize,
    lambda: f64,
    dt: f64,
    mid: f64,
) -> Result<Option<Live>, ErlangError> {
    let ns = s.segment_count();
    // Arrival rate of non-deflected contacts and their mean first-step work.
    let (mut rate, mut work) = (0.0, 0.0);
    for (g, sg) in split.iter().enumerate() {
        let mix = &s.demand.mixes[g];
        let r = lambda * s.demand.segment_probs[g] * mix.channel[c];
        rate += r * (1.0 - mix.level[0]);
        work += r * sg[c].first[entry];
    }
    if rate <= 0.0 || work <= 0.0 {
        return Ok(None);
    }
    let contacts = rate * dt;
    let access = &s.access[c];
    if let Some(h) = access.hours
        && !s.sla.clocks[h as usize].is_open(mid)
    {
        return Ok(Some(Live {
            agents: 0.0,
            busy: 0.0,
            contacts,
            method: "closed",
            message_share: access.closed_message_p,
        }));
    }
    let aht = work / rate;
    let pool = &s.pools[entry];
    let k = if s.channels.is_chat(c) {
        f64::from(pool.chat_concurrency.max(1))
    } else {
        1.0
    };
    let cap = pool.max_occupancy;
    let load = rate * aht;
    // Targets in force: the file's first-response targets of the channel's cells whose clock
    // runs now, or the one given.
    let mut targets: Vec<(f64, f64)> = Vec::new();
    match set.live_target {
        Some(t) => targets.push(t),
        None => {
            for g in 0..ns {
                let mix = &s.demand.mixes[g];
                if mix.channel[c] == 0.0 || mix.level[0] >= 1.0 {
                    continue;
                }
                for q in 0..s.priority_count() {
                    if mix.priority[q] == 0.0 {
                        continue;
                    }
                    let Some((_, t)) = s.sla.cells[q * ns + g].first_response else {
                        continue;
                    };
                    let runs = t
                        .clock
                        .is_none_or(|k| s.sla.clocks[k as usize].is_open(mid));
                    if runs && !targets.contains(&(t.limit_min, t.goal)) {
                        targets.push((t.limit_min, t.goal));
                    }
                }
            }
        }
    }
    if targets.is_empty() {
        return Ok(Some(Live {
            agents: 0.0,
            busy: load / k,
            contacts,
            method: "load",
            message_share: 0.0,
        }));
    }
    let patience = s.patience[c].as_ref().map(|d| d.mean());
    // Under an occupancy cap c the engine rests an agent d (1 - c) / c after work of d
    // minutes, so a server is held d / c per contact: the queue is Erlang C / A at that
    // holding time, not at the work time.
    let held = aht / cap;
    let mut servers = 0;
    for (limit, goal) in targets {
        let (n, _) = min_agents(rate, held, patience, limit, goal.min(MAX_GOAL))?;
        servers = servers.max(n);
    }
    // The occupancy cap as a floor on servers.
    servers = servers.max((load / cap - 1e-9).ceil() as u32);
    let abandon = match patience {
        None => 0.0,
        Some(_) => {
            let m = metrics(
                &QueueInput {
                    arrival_rate_per_min: rate,
                    mean_service_min: held,
                    agents: servers,
                    mean_patience_min: patience,
                },
                None,
            )?;
            m.p_abandon
        }
    };
    Ok(Some(Live {
        agents: f64::from(servers) / k,
        busy: load * (1.0 - abandon) / k,
        contacts,
        method: if patience.is_some() {
            "erlang_a"
        } else {
            "erlang_c"
        },
        message_share: abandon * s.abandon_to_email_p,
    }))
}

/// Scheduled agents per pool before shrinkage: the same file validated with every pool's
/// shrinkage at 0.
pub(crate) fn without_shrinkage(s: &Scenario) -> Result<Vec<Vec<(f64, u32)>>, RequirementsError> {
    if s.raw.pools.iter().all(|p| p.shrinkage == 0.0) {
        return Ok(s.pools.iter().map(|p| p.schedule.clone()).collect());
    }
    let mut raw = s.raw.clone();
    for p in &mut raw.pools {
        p.shrinkage = 0.0;
    }
    let u = Scenario::from_raw(raw, Path::new(&s.name))?;
    Ok(u.pools.into_iter().map(|p| p.schedule).collect())
}

/// Shrinkage of a (possibly merged) pool: the largest of its file pools'.
fn shrinkage_of(s: &Scenario, pool: usize) -> f64 {
    s.pools[pool]
        .members
        .iter()
        .filter_map(|m| s.raw.pools.iter().find(|r| &r.name == m))
        .map(|r| r.shrinkage)
        .fold(0.0, f64::max)
}

#[cfg(test)]
mod tests;
