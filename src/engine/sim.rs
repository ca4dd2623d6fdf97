//! The discrete-event loop for one replication of the tiered model.
//!
//! ```text
//!  arrival ──► deflected? ──yes──► counted, gone
//!     │no
//!     ▼
//!  tier 1 queue ──► agent: work (+ write-up if the ticket needs a higher level)
//!     ▲                 │resolve                 │escalate
//!     │bounce back      ▼                        ▼
//!     └──────────── resolved        handoff delay (+ customer re-explain round trip)
//!                                                ▼
//!                       tier 2 queue ──► agent: re-gather + work (+ write-up) ──► ... ──► L4 vendor delay
//! ```
//!
//! Queues are per tier and priority (non-preemptive: P1 first, then first-in first-out by the
//! time the ticket entered that tier's queue); optionally live tickets awaiting a first
//! response go first (`[queues] order = "live_first"`). Customers on live channels abandon when their
//! patience runs out before a first response. An agent finishes the ticket in hand when a pool
//! goes off duty, then leaves.
//!
//! Two optional per-pool rules (README, `[[pools]]`): under chat concurrency an agent holds up
//! to k chats at once (exactly, per agent: `ChatAgents`), and under an occupancy cap c an
//! agent rests d x (1 - c) / c after d minutes of work before taking anything new.
//!
//! Events live in a binary heap keyed by (time, sequence number): events at the same time
//! are processed in the order they were scheduled (first in, first out), which makes every
//! run deterministic. Tickets live in a slab with a free list, and queues hold slab indices,
//! so the hot loop does not allocate once queues and the slab have grown to their working size.

use super::record::{Catalog, Recorder};
use super::rng::{Purpose, SimRng, stream, ticket_rng};
use crate::scenario::{CHAT, EMAIL, QueueOrder, Scenario, SwarmPriority};
use rand::{Rng, RngExt};
use rand_distr::{Distribution, Exp1, Gamma};
use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};

/// What happens at an event.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Arrival,
    /// An agent finishes the current step of a ticket.
    Done {
        ticket: u32,
        /// The ticket's service count when scheduled (stale after a hand-over).
        svc: u32,
    },
    /// A ticket becomes ready to join the queue of its current tier.
    Enqueue {
        ticket: u32,
    },
    /// A waiting customer's patience runs out (ignored if answered meanwhile).
    Abandon {
        ticket: u32,
        generation: u32,
    },
    /// The L4 vendor resolves a ticket.
    VendorDone {
        ticket: u32,
    },
    /// A swarm session ends: the owner is free, the ticket is resolved (or goes to the vendor).
    SessionDone {
        ticket: u32,
    },
    /// A swarm helper is back at its own work after its context switch.
    HelperFree {
        pool: u32,
        /// Minutes the helper worked: session and context switch (for an occupancy cap).
        worked: f32,
    },
    /// An agent's rest under an occupancy cap is over.
    Rested {
        pool: u32,
    },
    /// A pool's staffing changes to `schedule[index]`.
    Staffing {
        pool: u32,
        index: u32,
    },
    /// A shift of a pool with hand-over ends: `shift_ends[index]`.
    ShiftEnd {
        pool: u32,
        index: u32,
    },
    /// A time-series sample.
    Sample,
}

#[derive(Debug, Clone, Copy)]
struct Event {
    /// `time.to_bits()`: simulated times are never negative, and the bit patterns of
    /// non-negative floats sort like the floats, so integer comparison suffices (and is faster).
    key: u64,
    seq: u64,
    kind: Kind,
}

impl Event {
    #[inline]
    fn time(&self) -> f64 {
        f64::from_bits(self.key)
    }
}

impl PartialEq for Event {
    fn eq(&self, o: &Self) -> bool {
        self.key == o.key && self.seq == o.seq
    }
}
impl Eq for Event {}
impl PartialOrd for Event {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Event {
    // Reversed: BinaryHeap is a max-heap and we want the earliest (time, seq) first.
    #[inline]
    fn cmp(&self, o: &Self) -> Ordering {
        (o.key, o.seq).cmp(&(self.key, self.seq))
    }
}

/// What the agent will do when the current step ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Resolve,
    Escalate,
    BounceBack,
    /// The owner hands the ticket to the L4 vendor (no tier above to escalate to).
    Vendor,
    /// The owner asks for a swarm session with experts.
    Swarm,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Free,
    Queued,
    InService,
    Away,
    /// Waiting for the helpers of a swarm session.
    AwaitingSwarm,
    InSession,
}

#[derive(Debug, Clone, Copy)]
struct Ticket {
    arrival: f64,
    /// First response time [minutes since arrival]; NaN until answered. Only feeds per-ticket
    /// records (the statistics record it at full precision when it happens), so f32 suffices
    /// and keeps the ticket small: tickets are copied on the hot path.
    first_response: f32,
    /// Arrival sequence number within the replication.
    number: u32,
    work_key: u64,
    route_key: u64,
    /// When the current swarm request was made [minutes].
    swarm_at: f64,
    generation: u32,
    channel: u8,
    priority: u8,
    segment: u8,
    level: u8,
    tier: u8,
    handoffs: u8,
    re_explains: u8,
    /// Bit k set: the escalation into tier k already bounced once.
    bounced: u8,
    /// Minutes the resolution clock stood still while waiting on the customer.
    paused: f32,
    /// Helpers of the swarm request.
    helpers: u8,
    /// Tier whose pool provides the helpers.
    expert_tier: u8,
    state: State,
    outcome: Outcome,
    responded: bool,
    measured: bool,
    /// Arrived at the current tier by escalation: the receiver re-gathers context.
    escalated_in: bool,
    /// Bounced back to this tier: the agent only re-writes the escalation.
    returned: bool,
    ever_escalated: bool,
    /// Was resolved with a swarm session.
    swarmed: bool,
    /// Services started (a `Done` event of an earlier service is stale).
    svc: u32,
    /// When the current service step ends [minutes].
    due: f64,
    /// Work left when handed over at a shift end [minutes].
    remaining: f32,
    /// Handed over at a shift end and waiting to be taken over.
    handed: bool,
    /// When the current service step or swarm session started [minutes].
    started: f64,
    /// Chat agent (index into the pool's [`ChatAgents`]) holding this chat under chat
    /// concurrency; [`NO_AGENT`] otherwise.
    agent: u32,
}

/// `Ticket::agent` of a ticket not held as a concurrent chat.
const NO_AGENT: u32 = u32::MAX;

impl Default for Ticket {
    fn default() -> Self {
        Ticket {
            arrival: 0.0,
            first_response: f32::NAN,
            number: 0,
            work_key: 0,
            route_key: 0,
            swarm_at: 0.0,
            generation: 0,
            channel: 0,
            priority: 0,
            segment: 0,
            level: 0,
            tier: 0,
            handoffs: 0,
            re_explains: 0,
            bounced: 0,
            paused: 0.0,
            helpers: 0,
            expert_tier: 0,
            state: State::Free,
            outcome: Outcome::Resolve,
            responded: false,
            measured: false,
            escalated_in: false,
            returned: false,
            ever_escalated: false,
            swarmed: false,
            svc: 0,
            due: 0.0,
            remaining: 0.0,
            handed: false,
            started: 0.0,
            agent: NO_AGENT,
        }
    }
}

/// Per-ticket random stream ids: one per (tier, activity), so the same activity of the same
/// ticket draws the same numbers under every model (common random numbers across designs),
/// however differently the models order the work.
#[inline]
const fn sid(tier: usize, slot: u32) -> u32 {
    ((tier as u32) << 8) | slot
}
/// Work-key slots.
const WORK: u32 = 0;
const WRITE_UP: u32 = 1;
const REGATHER: u32 = 2;
const REWRITE: u32 = 3;
const SESSION: u32 = 4;
const BRIEF: u32 = 5;
/// Helper h's context switch uses slot `SWITCH + h`.
const SWITCH: u32 = 16;
/// Route-key slots.
const ESCALATE: u32 = 0x40;
const ESCALATE_AGAIN: u32 = 0x41;
const BOUNCE: u32 = 0x42;
const BOUNCE_DELAY: u32 = 0x43;
const HELPERS: u32 = 0x44;
const LEARN: u32 = 0x45;
const QUALITY: u32 = 0x46;

/// FIFO queues of one pool by class (served in index order), holding (ticket, generation).
/// Classes 0..4 are P1..P4; with live-first ordering, 0..4 are live tickets awaiting a first
/// response and 4..8 everything else.
#[derive(Debug, Default)]
struct TierQueue {
    by_class: [VecDeque<(u32, u32)>; 8],
    /// Live entries (abandoned ones stay in the deques until popped).
    len: usize,
    /// Live chat entries.
    chats: usize,
}

/// The agents of one pool holding chats under chat concurrency (`chat_concurrency` > 1), by
/// slot: each agent that takes a first chat gets a slot until it holds none again. Pools are
/// small, so routing scans the slots.
#[derive(Debug, Default)]
struct ChatAgents {
    /// Chats held per slot (0 = slot unused).
    load: Vec<u8>,
    /// When the slot's agent took its first chat [minutes].
    since: Vec<f64>,
    /// Unused slots.
    unused: Vec<u32>,
}

#[derive(Debug, Default, Clone, Copy)]
struct PoolState {
    staffed: u32,
    busy: u32,
    /// Free agents held for a waiting swarm request (rule `swarm_first`).
    held: u32,
    /// Agents resting under an occupancy cap: on duty, neither busy nor free.
    resting: u32,
}

impl PoolState {
    #[inline]
    fn free(&self) -> u32 {
        self.staffed.saturating_sub(self.busy + self.resting)
    }
}

/// How a measured ticket ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TicketOutcome {
    /// Resolved by an agent or the vendor.
    Resolved,
    /// The customer abandoned a live wait (and left no message).
    Abandoned,
    /// Deflected by self-service (never reached an agent).
    Deflected,
    /// Still open when the run ended.
    Unresolved,
}

impl TicketOutcome {
    /// Lower-case name used in tables.
    pub fn name(self) -> &'static str {
        match self {
            TicketOutcome::Resolved => "resolved",
            TicketOutcome::Abandoned => "abandoned",
            TicketOutcome::Deflected => "deflected",
            TicketOutcome::Unresolved => "unresolved",
        }
    }
}

/// One measured ticket, as handed to a [`TicketSink`] when it ends.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TicketRecord {
    /// Arrival sequence number within the replication (deflected tickets included).
    pub ticket: u64,
    /// Arrival time [minutes since simulation start].
    pub arrival_min: f64,
    /// Channel index (see `scenario::CHANNELS`; a message left after abandoning is email).
    pub channel: u8,
    /// Priority index (0 = P1).
    pub priority: u8,
    /// Segment index.
    pub segment: u8,
    /// Required level 0..4.
    pub required_level: u8,
    /// How it ended.
    pub outcome: TicketOutcome,
    /// First response time [minutes]; NaN if never answered.
    pub first_response_min: f64,
    /// Resolution time [minutes]; NaN unless resolved.
    pub resolution_min: f64,
    /// Handoffs (escalations and bounce backs).
    pub handoffs: u8,
    /// Customer re-explain round trips.
    pub re_explains: u8,
}

/// Receives every measured ticket of one replication as it ends (opt-in per-ticket output).
/// The engine only calls it; where the records go (a file, a test vector) is the caller's.
/// The engine is generic over the sink, so the default [`NoSink`] costs nothing.
pub trait TicketSink {
    /// False only for sinks that discard everything: the engine then skips building records.
    const ENABLED: bool = true;
    /// One ticket ended.
    fn record(&mut self, r: &TicketRecord);
}

/// The sink of ordinary runs: records nothing.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoSink;

impl TicketSink for NoSink {
    const ENABLED: bool = false;
    #[inline]
    fn record(&mut self, _: &TicketRecord) {}
}

impl<K: TicketSink + ?Sized> TicketSink for &mut K {
    const ENABLED: bool = K::ENABLED;
    #[inline]
    fn record(&mut self, r: &TicketRecord) {
        (**self).record(r);
    }
}

/// Time-series layout: which series a replication samples, in column order.
#[derive(Debug, Clone)]
pub struct SeriesLayout {
    /// `(series, group)` per column.
    pub columns: Vec<(&'static str, String)>,
    /// Sample times (end of each interval) [minutes].
    pub times: Vec<f64>,
}

impl SeriesLayout {
    /// The layout for a scenario.
    pub fn new(s: &Scenario) -> Self {
        let mut columns = vec![
            ("arrivals_per_interval", "all".to_string()),
            ("backlog_tickets", "all".to_string()),
        ];
        for p in &s.pools {
            columns.push(("queue_tickets", format!("pool={}", p.name)));
        }
        if s.swarm.is_some() {
            columns.push(("swarm_requests_waiting", "all".to_string()));
        }
        for p in &s.pools {
            columns.push(("busy_agents", format!("pool={}", p.name)));
        }
        for p in &s.pools {
            columns.push(("on_duty_agents", format!("pool={}", p.name)));
        }
        let dt = s.run.interval_min;
        let n = (s.run.window_end_min() / dt).floor() as usize;
        let times = (1..=n).map(|k| k as f64 * dt).collect();
        SeriesLayout { columns, times }
    }
}

/// Everything one replication produces.
#[derive(Debug, Clone)]
pub struct ReplicationResult {
    /// Replication index.
    pub index: u32,
    /// One value per catalog entry (NaN = no data).
    pub values: Vec<f64>,
    /// The recorder (histograms for pooled quantiles).
    pub recorder: Recorder,
    /// Time series, row-major `[time][column]` per [`SeriesLayout`].
    pub series: Vec<f64>,
}

/// One replication of a scenario.
pub struct Simulation<'a, K: TicketSink = NoSink> {
    s: &'a Scenario,
    sink: K,
    arrivals_seen: u64,
    now: f64,
    seq: u64,
    heap: BinaryHeap<Event>,
    pending_arrival: Option<Event>,
    tickets: Vec<Ticket>,
    free: Vec<u32>,
    queues: Vec<TierQueue>,
    pools: Vec<PoolState>,
    /// Per pool: agents holding chats under chat concurrency.
    chats: Vec<ChatAgents>,
    /// Per pool that hands over at shift end: tickets in service on a whole agent.
    in_service: Vec<Vec<u32>>,
    rec: Recorder,
    arrivals: SimRng,
    attributes: SimRng,
    work: SimRng,
    routing: SimRng,
    patience: SimRng,
    /// Waiting swarm requests by priority, oldest first.
    swarm_q: [VecDeque<u32>; 4],
    swarm_pending: usize,
    /// Pools whose experts the first waiting request could not get (scratch for `try_sessions`).
    blocked: Vec<bool>,
    /// Swarm sessions finished (owner learning).
    sessions_done: u64,
    segment: usize,
    day_mult: Vec<f64>,
    segment_cum: Vec<f64>,
    mix_cum: Vec<([f64; 3], [f64; 4], [f64; 5])>,
    /// Per segment: the only possible channel, priority, level (draws skipped when certain).
    mix_single: Vec<[Option<usize>; 3]>,
    open_total: u32,
    open_measured: u64,
    interval_arrivals: u64,
    series: Vec<f64>,
    layout_cols: usize,
    sample_index: usize,
    sample_times: Vec<f64>,
}

fn cumulative<const N: usize>(p: &[f64; N]) -> [f64; N] {
    let mut c = [0.0; N];
    let mut acc = 0.0;
    for i in 0..N {
        acc += p[i];
        c[i] = acc;
    }
    // Guard the last bucket against rounding so a uniform draw always lands somewhere.
    c[N - 1] = f64::INFINITY;
    c
}

/// Draws an index from cumulative probabilities, skipping the draw for a certain outcome so
/// single-category mixes cost nothing.
#[inline]
fn pick(rng: &mut SimRng, cum: &[f64], probs_single: Option<usize>) -> usize {
    if let Some(i) = probs_single {
        return i;
    }
    let u: f64 = rng.random();
    cum.iter().position(|c| u < *c).unwrap_or(cum.len() - 1)
}

fn single<const N: usize>(p: &[f64; N]) -> Option<usize> {
    let mut nz = (0..N).filter(|&i| p[i] > 0.0);
    match (nz.next(), nz.next()) {
        (Some(i), None) => Some(i),
        _ => None,
    }
}

impl<'a> Simulation<'a, NoSink> {
    /// Prepares replication `index` of `s`.
    pub fn new(s: &'a Scenario, index: u32) -> Self {
        Simulation::with_sink(s, index, NoSink)
    }
}

impl<'a, K: TicketSink> Simulation<'a, K> {
    /// Prepares replication `index` of `s`, sending every measured ticket to `sink` as it ends.
    pub fn with_sink(s: &'a Scenario, index: u32, sink: K) -> Self {
        let seed = s.run.seed;
        let rep = index as u64;
        let mut arrivals = stream(seed, rep, Purpose::Arrivals);
        let day_mult = if s.demand.daily_cv > 0.0 {
            let shape = 1.0 / (s.demand.daily_cv * s.demand.daily_cv);
            let g = Gamma::new(shape, 1.0 / shape).expect("validated cv");
            (0..s.demand.days)
                .map(|_| g.sample(&mut arrivals))
                .collect()
        } else {
            vec![1.0; s.demand.days.max(1) as usize]
        };
        let mut acc = 0.0;
        let mut segment_cum: Vec<f64> = s
            .demand
            .segment_probs
            .iter()
            .map(|p| {
                acc += p;
                acc
            })
            .collect();
        if let Some(last) = segment_cum.last_mut() {
            *last = f64::INFINITY;
        }
        let mix_cum = s
            .demand
            .mixes
            .iter()
            .map(|m| {
                (
                    cumulative(&m.channel),
                    cumulative(&m.priority),
                    cumulative(&m.level),
                )
            })
            .collect();
        let mix_single = s
            .demand
            .mixes
            .iter()
            .map(|m| [single(&m.channel), single(&m.priority), single(&m.level)])
            .collect();
        let layout = SeriesLayout::new(s);
        let pools: Vec<PoolState> = vec![PoolState::default(); s.pools.len()];
        Simulation {
            s,
            sink,
            arrivals_seen: 0,
            now: 0.0,
            seq: 0,
            heap: BinaryHeap::with_capacity(1024),
            pending_arrival: None,
            tickets: Vec::with_capacity(1024),
            free: Vec::with_capacity(1024),
            queues: (0..s.pools.len()).map(|_| TierQueue::default()).collect(),
            pools,
            chats: (0..s.pools.len()).map(|_| ChatAgents::default()).collect(),
            in_service: vec![Vec::new(); s.pools.len()],
            rec: Recorder::new(s),
            arrivals,
            attributes: stream(seed, rep, Purpose::Attributes),
            work: stream(seed, rep, Purpose::WorkTimes),
            routing: stream(seed, rep, Purpose::Routing),
            patience: stream(seed, rep, Purpose::Patience),
            swarm_q: Default::default(),
            swarm_pending: 0,
            blocked: vec![false; s.pools.len()],
            sessions_done: 0,
            segment: 0,
            day_mult,
            segment_cum,
            mix_cum,
            mix_single,
            open_total: 0,
            open_measured: 0,
            interval_arrivals: 0,
            series: Vec::with_capacity(layout.times.len() * layout.columns.len()),
            layout_cols: layout.columns.len(),
            sample_index: 0,
            sample_times: layout.times,
        }
    }

    #[inline]
    fn event(&mut self, time: f64, kind: Kind) -> Event {
        debug_assert!(time >= self.now, "events are never scheduled in the past");
        self.seq += 1;
        Event {
            // `+ 0.0` turns a -0.0 into 0.0, whose bits sort first.
            key: (time + 0.0).to_bits(),
            seq: self.seq,
            kind,
        }
    }

    #[inline]
    fn emit(&mut self, t: &Ticket, outcome: TicketOutcome) {
        if K::ENABLED {
            let now = self.now;
            self.sink.record(&TicketRecord {
                ticket: t.number as u64,
                arrival_min: t.arrival,
                channel: t.channel,
                priority: t.priority,
                segment: t.segment,
                required_level: t.level,
                outcome,
                first_response_min: t.first_response as f64,
                resolution_min: if outcome == TicketOutcome::Resolved {
                    now - t.arrival
                } else {
                    f64::NAN
                },
                handoffs: t.handoffs,
                re_explains: t.re_explains,
            });
        }
    }

    #[inline]
    fn schedule(&mut self, time: f64, kind: Kind) {
        let ev = self.event(time, kind);
        self.heap.push(ev);
    }

    /// Schedules the next arrival. The one pending arrival is kept out of the heap (it is half
    /// of all events) and merged with the heap's head by the same (time, sequence) order.
    fn schedule_next_arrival(&mut self) {
        let next = self.next_arrival();
        self.pending_arrival = next.map(|t| self.event(t, Kind::Arrival));
    }

    /// The earliest event, from the heap or the pending arrival.
    #[inline]
    fn pop_event(&mut self) -> Option<Event> {
        match (self.pending_arrival, self.heap.peek()) {
            (Some(a), Some(h)) if (h.key, h.seq) < (a.key, a.seq) => self.heap.pop(),
            (Some(a), _) => {
                self.pending_arrival = None;
                Some(a)
            }
            (None, _) => self.heap.pop(),
        }
    }

    /// Next arrival time of the non-homogeneous Poisson process after `self.now`, by
    /// inverting the integrated rate across piecewise-constant segments (exact, no thinning).
    fn next_arrival(&mut self) -> Option<f64> {
        let segs = &self.s.demand.segments;
        let span = self.s.run.span_min();
        let mut e: f64 = Exp1.sample(&mut self.arrivals);
        let mut t = self.now;
        loop {
            let seg = segs[self.segment];
            let end = segs.get(self.segment + 1).map_or(span, |x| x.start_min);
            let rate = seg.rate_per_min * self.day_mult[seg.day as usize];
            if rate > 0.0 {
                let dt = e / rate;
                if t + dt < end {
                    return Some(t + dt);
                }
                e -= (end - t) * rate;
            }
            if self.segment + 1 >= segs.len() {
                return None;
            }
            self.segment += 1;
            t = end;
        }
    }

    fn alloc(&mut self) -> u32 {
        match self.free.pop() {
            Some(i) => i,
            None => {
                self.tickets.push(Ticket::default());
                (self.tickets.len() - 1) as u32
            }
        }
    }

    fn release(&mut self, id: u32) {
        let t = &mut self.tickets[id as usize];
        t.generation = t.generation.wrapping_add(1);
        t.state = State::Free;
        self.free.push(id);
        self.open_total -= 1;
        let (w0, w1) = self.rec.window;
        let v = self.rec.in_system.value() - 1.0;
        self.rec.in_system.set(self.now, v, w0, w1);
    }

    /// Runs the replication to the end and returns its results.
    pub fn run(mut self, catalog: &Catalog) -> ReplicationResult {
        let (w0, w1) = self.rec.window;
        for p in 0..self.s.pools.len() {
            self.schedule(
                0.0,
                Kind::Staffing {
                    pool: p as u32,
                    index: 0,
                },
            );
        }
        for (p, pool) in self.s.pools.iter().enumerate() {
            if let (Some(_), Some(&(t, _))) = (pool.handover_min, pool.shift_ends.first()) {
                self.schedule(
                    t,
                    Kind::ShiftEnd {
                        pool: p as u32,
                        index: 0,
                    },
                );
            }
        }
        self.schedule_next_arrival();
        if let Some(&t) = self.sample_times.first() {
            self.schedule(t, Kind::Sample);
        }
        let span = self.s.run.span_min();
        let max_open = self.s.run.max_open_tickets;
        while let Some(ev) = self.pop_event() {
            let time = ev.time();
            if time > span {
                break;
            }
            self.now = time;
            self.rec.events += 1;
            match ev.kind {
                Kind::Arrival => self.on_arrival(),
                Kind::Done { ticket, svc } => {
                    if self.tickets[ticket as usize].svc == svc {
                        self.on_done(ticket);
                    }
                }
                Kind::ShiftEnd { pool, index } => self.on_shift_end(pool as usize, index as usize),
                Kind::Enqueue { ticket } => self.enqueue(ticket),
                Kind::Abandon { ticket, generation } => self.on_abandon(ticket, generation),
                Kind::VendorDone { ticket } => self.resolve(ticket),
                Kind::SessionDone { ticket } => self.on_session_done(ticket),
                Kind::HelperFree { pool, worked } => {
                    self.end_work(pool as usize, 1, worked as f64);
                    self.dispatch(pool as usize);
                }
                Kind::Rested { pool } => {
                    self.pools[pool as usize].resting -= 1;
                    self.dispatch(pool as usize);
                }
                Kind::Staffing { pool, index } => self.on_staffing(pool as usize, index as usize),
                Kind::Sample => self.on_sample(),
            }
            if self.now >= w1 && self.open_measured == 0 {
                break;
            }
            if self.open_total > max_open {
                self.rec.unstable = true;
                break;
            }
        }
        // Close the time integrals at the end of the window (or where the run stopped).
        let end = self.now.max(w1);
        for i in 0..self.pools.len() {
            self.rec.busy[i].advance(end, w0, w1);
            self.rec.staffed[i].advance(end, w0, w1);
        }
        for q in &mut self.rec.queued {
            q.advance(end, w0, w1);
        }
        self.rec.in_system.advance(end, w0, w1);
        // Measured tickets still open: unresolved, and breaches of every target they have.
        let ns = self.rec.segments;
        for t in &self.tickets {
            if t.state == State::Free || !t.measured {
                continue;
            }
            let cell_i = t.priority as usize * ns + t.segment as usize;
            let cell = &mut self.rec.cells[cell_i];
            cell.unresolved += 1;
            if self.s.sla.resolution_of[cell_i].is_some() {
                cell.res_covered += 1;
                let k = self.s.sla.resolution_of[cell_i].unwrap() as usize;
                self.rec.count_target(k, true, t.arrival, false);
            }
            if !t.responded
                && let Some(i) = self.s.sla.first_response_of[cell_i]
            {
                self.rec.cells[cell_i].fr_covered += 1;
                self.rec.count_target(i as usize, false, t.arrival, false);
            }
        }
        if K::ENABLED {
            let mut open: Vec<Ticket> = self
                .tickets
                .iter()
                .filter(|t| t.state != State::Free && t.measured)
                .copied()
                .collect();
            open.sort_by_key(|t| t.number);
            for t in &open {
                self.emit(t, TicketOutcome::Unresolved);
            }
        }
        let values = catalog
            .defs
            .iter()
            .map(|d| self.rec.value(&d.quantity))
            .collect();
        ReplicationResult {
            index: 0,
            values,
            recorder: self.rec,
            series: self.series,
        }
    }

    fn on_arrival(&mut self) {
        let now = self.now;
        self.schedule_next_arrival();
        self.rec.tickets += 1;
        self.arrivals_seen += 1;
        let number = (self.arrivals_seen - 1) as u32;
        self.interval_arrivals += 1;
        let seg = pick(
            &mut self.attributes,
            &self.segment_cum,
            (self.segment_cum.len() == 1).then_some(0),
        );
        let (cc, pc, lc) = &self.mix_cum[seg];
        let [cs, ps, ls] = self.mix_single[seg];
        let channel = pick(&mut self.attributes, cc, cs);
        let priority = pick(&mut self.attributes, pc, ps);
        let level = pick(&mut self.attributes, lc, ls);
        let work_key: u64 = self.work.next_u64();
        let route_key: u64 = self.routing.next_u64();
        let patience = self.s.patience[channel]
            .as_ref()
            .map(|d| d.sample(&mut self.patience));
        let (w0, w1) = self.rec.window;
        let measured = now >= w0 && now < w1;
        let ns = self.rec.segments;
        if measured {
            let cell = &mut self.rec.cells[priority * ns + seg];
            cell.arrived += 1;
            if level == 0 {
                cell.deflected += 1;
            } else {
                self.rec.channel_arrived[channel] += 1;
            }
        }
        if level == 0 {
            if measured && K::ENABLED {
                let t = Ticket {
                    arrival: now,
                    number,
                    channel: channel as u8,
                    priority: priority as u8,
                    segment: seg as u8,
                    ..Ticket::default()
                };
                self.emit(&t, TicketOutcome::Deflected);
            }
            return;
        }
        let id = self.alloc();
        let t = &mut self.tickets[id as usize];
        let generation = t.generation;
        *t = Ticket {
            arrival: now,
            work_key,
            route_key,
            generation,
            channel: channel as u8,
            priority: priority as u8,
            segment: seg as u8,
            level: level as u8,
            measured,
            number,
            ..Ticket::default()
        };
        self.open_total += 1;
        if measured {
            self.open_measured += 1;
        }
        let v = self.rec.in_system.value() + 1.0;
        self.rec.in_system.set(now, v, w0, w1);
        if let Some(p) = patience
            && channel != EMAIL
        {
            self.schedule(
                now + p,
                Kind::Abandon {
                    ticket: id,
                    generation,
                },
            );
        }
        self.enqueue(id);
    }

    /// Changes a pool's busy count by `delta` and records it.
    #[inline]
    fn set_busy(&mut self, pool: usize, delta: i32) {
        let ps = &mut self.pools[pool];
        ps.busy = ps.busy.wrapping_add_signed(delta);
        let (w0, w1) = self.rec.window;
        let busy = ps.busy as f64;
        self.rec.busy[pool].set(self.now, busy, w0, w1);
    }

    /// Puts a ticket in its tier's pool queue, or straight to a free agent.
    #[inline]
    fn enqueue(&mut self, id: u32) {
        let t = &mut self.tickets[id as usize];
        let tier = t.tier as usize;
        t.state = State::Queued;
        let chat = t.channel as usize == CHAT;
        let pool = self.s.tiers[tier].pool;
        let ps = self.pools[pool];
        if (ps.busy + ps.held + ps.resting < ps.staffed && self.queues[pool].len == 0)
            || (chat && self.queues[pool].chats == 0 && self.chat_room(pool).is_some())
        {
            self.start_service(id, tier);
            return;
        }
        let t = &self.tickets[id as usize];
        let generation = t.generation;
        let class = match self.s.queue_order {
            QueueOrder::Priority => t.priority as usize,
            QueueOrder::LiveFirst if t.channel as usize != EMAIL && !t.responded => {
                t.priority as usize
            }
            QueueOrder::LiveFirst => 4 + t.priority as usize,
        };
        let q = &mut self.queues[pool];
        q.by_class[class].push_back((id, generation));
        q.len += 1;
        q.chats += usize::from(chat);
        let (w0, w1) = self.rec.window;
        self.rec.queued[pool].set(self.now, q.len as f64, w0, w1);
    }

    /// Pops the next live ticket of a pool's queue (skipping abandoned entries).
    fn pop_queue(&mut self, pool: usize) -> Option<u32> {
        let q = &mut self.queues[pool];
        if q.len == 0 {
            return None;
        }
        for dq in q.by_class.iter_mut() {
            while let Some((id, g)) = dq.pop_front() {
                let t = &self.tickets[id as usize];
                if t.generation == g && t.state == State::Queued {
                    q.len -= 1;
                    q.chats -= usize::from(t.channel as usize == CHAT);
                    let (w0, w1) = self.rec.window;
                    self.rec.queued[pool].set(self.now, q.len as f64, w0, w1);
                    return Some(id);
                }
            }
        }
        None
    }

    /// Pops the first live chat of a pool's queue, in queue order (other tickets stay).
    fn pop_chat(&mut self, pool: usize) -> Option<u32> {
        let q = &mut self.queues[pool];
        for dq in q.by_class.iter_mut() {
            let found = dq.iter().position(|&(id, g)| {
                let t = &self.tickets[id as usize];
                t.generation == g && t.state == State::Queued && t.channel as usize == CHAT
            });
            if let Some(i) = found {
                let (id, _) = dq.remove(i).expect("found");
                q.len -= 1;
                q.chats -= 1;
                let (w0, w1) = self.rec.window;
                self.rec.queued[pool].set(self.now, q.len as f64, w0, w1);
                return Some(id);
            }
        }
        None
    }

    /// Under chat concurrency, the chat agent a new chat of `pool` joins: the one holding the
    /// most chats below the limit (packing keeps whole agents free for email and phone),
    /// lowest slot first. None without concurrency, when no chat agent has room, or while the
    /// pool has agents in excess of those on duty (after a shift end nobody knows which agent
    /// is leaving, so no chat joins anyone then).
    fn chat_room(&self, pool: usize) -> Option<u32> {
        let k = self.s.pools[pool].chat_concurrency;
        let ps = &self.pools[pool];
        if k <= 1 || ps.busy + ps.resting > ps.staffed {
            return None;
        }
        let mut best: Option<(usize, u8)> = None;
        for (i, &l) in self.chats[pool].load.iter().enumerate() {
            if l > 0 && l < k && best.is_none_or(|(_, b)| l > b) {
                best = Some((i, l));
            }
        }
        best.map(|(i, _)| i as u32)
    }

    /// An agent of `pool` takes ticket `id`: a chat under chat concurrency joins a chat agent
    /// with room, else (like any other ticket) occupies a free agent, which then counts busy.
    fn occupy(&mut self, pool: usize, id: u32) {
        let now = self.now;
        let t = &mut self.tickets[id as usize];
        t.started = now;
        if self.s.pools[pool].chat_concurrency > 1 && t.channel as usize == CHAT {
            let slot = match self.chat_room(pool) {
                Some(a) => a,
                None => {
                    let c = &mut self.chats[pool];
                    let a = c.unused.pop().unwrap_or_else(|| {
                        c.load.push(0);
                        c.since.push(0.0);
                        (c.load.len() - 1) as u32
                    });
                    c.since[a as usize] = now;
                    self.set_busy(pool, 1);
                    a
                }
            };
            self.chats[pool].load[slot as usize] += 1;
            self.tickets[id as usize].agent = slot;
            return;
        }
        self.set_busy(pool, 1);
    }

    /// The agent of `pool` working ticket `id` is done with it. A chat agent still holding
    /// chats stays busy; any other agent is free again, after its rest under an occupancy cap
    /// (a chat agent's work item is the whole span it held chats).
    fn vacate(&mut self, pool: usize, id: u32) {
        let now = self.now;
        let t = &mut self.tickets[id as usize];
        let mut worked = now - t.started;
        let slot = std::mem::replace(&mut t.agent, NO_AGENT);
        if slot != NO_AGENT {
            let c = &mut self.chats[pool];
            let a = slot as usize;
            c.load[a] -= 1;
            if c.load[a] > 0 {
                return;
            }
            c.unused.push(slot);
            worked = now - c.since[a];
        }
        self.end_work(pool, 1, worked);
    }

    /// `n` agents of `pool` finish work items of `worked` minutes each: free at once, or under
    /// an occupancy cap c free after resting worked x (1 - c) / c.
    fn end_work(&mut self, pool: usize, n: u32, worked: f64) {
        self.set_busy(pool, -(n as i32));
        let c = self.s.pools[pool].max_occupancy;
        if c < 1.0 {
            self.pools[pool].resting += n;
            let back = self.now + worked * (1.0 - c) / c;
            for _ in 0..n {
                self.schedule(back, Kind::Rested { pool: pool as u32 });
            }
        }
    }

    /// Under chat concurrency, gives waiting chats to chat agents with room, in queue order:
    /// waiting email and phone tickets, which need a whole agent, do not hold them back.
    fn dispatch_chats(&mut self, pool: usize) {
        while self.queues[pool].chats > 0 && self.chat_room(pool).is_some() {
            let Some(id) = self.pop_chat(pool) else {
                break;
            };
            let tier = self.tickets[id as usize].tier as usize;
            self.start_service(id, tier);
        }
    }

    fn start_service(&mut self, id: u32, tier: usize) {
        let now = self.now;
        let s = self.s;
        if self.tickets[id as usize].handed {
            self.take_over(id, tier);
            return;
        }
        let solo_p = self.solo_probability();
        let t = &mut self.tickets[id as usize];
        t.state = State::InService;
        let tier_cfg = &s.tiers[tier];
        let ch = t.channel as usize;
        let (wk, rk) = (t.work_key, t.route_key);
        let draw = |d: &crate::scenario::Dist, id: u32| d.sample(&mut ticket_rng(wk, id));
        let owner = s.swarm.as_ref().filter(|w| w.owner_tier == tier);
        let mut dur = 0.0;
        let outcome = if t.returned {
            t.returned = false;
            dur += draw(&tier_cfg.write_up, sid(tier, REWRITE));
            Outcome::Escalate
        } else {
            let mut bounce = false;
            if t.escalated_in {
                dur += draw(&tier_cfg.regather, sid(tier, REGATHER));
                let bit = 1u8 << tier;
                if t.bounced & bit == 0
                    && s.escalation.bounce_back_p > 0.0
                    && ticket_rng(rk, sid(tier, BOUNCE)).random::<f64>()
                        < s.escalation.bounce_back_p
                {
                    t.bounced |= bit;
                    bounce = true;
                }
            }
            let level = t.level as usize;
            if bounce {
                Outcome::BounceBack
            } else if let Some(w) = owner {
                // The owner works every level it can, in one go: no write-up, no requeue.
                let own = w.owner_level as usize;
                for j in tier..level.min(own) {
                    dur += draw(&s.tiers[j].work[ch], sid(j, WORK));
                }
                let n = s.tiers.len();
                if level <= own {
                    Outcome::Resolve
                } else if own < n
                    && !(solo_p > 0.0 && ticket_rng(rk, LEARN).random::<f64>() < solo_p)
                {
                    Outcome::Swarm
                } else {
                    // Alone above its level (learning, or no expert tier exists): the owner
                    // does the experts' work itself; level 4 then goes to the vendor.
                    for j in own..level.min(n) {
                        dur += draw(&s.tiers[j].work[ch], sid(j, WORK));
                    }
                    if level > n {
                        dur += draw(&s.tiers[n - 1].write_up, sid(n - 1, WRITE_UP));
                        Outcome::Vendor
                    } else {
                        Outcome::Resolve
                    }
                }
            } else {
                dur += draw(&tier_cfg.work[ch], sid(tier, WORK));
                // A pool that resolves less than the file's tier would (resolve_factor < 1)
                // passes the rest of its resolvable tickets up.
                let passed_up = tier_cfg.resolve_factor < 1.0
                    && tier + 1 < s.tiers.len()
                    && ticket_rng(rk, sid(tier, QUALITY)).random::<f64>()
                        >= tier_cfg.resolve_factor;
                if level <= tier + 1 && !passed_up {
                    Outcome::Resolve
                } else {
                    dur += draw(&tier_cfg.write_up, sid(tier, WRITE_UP));
                    Outcome::Escalate
                }
            }
        };
        t.outcome = outcome;
        dur *= tier_cfg.factor_at(now);
        let first = !t.responded;
        if first {
            t.first_response = (now - t.arrival) as f32;
        }
        t.responded = true;
        let (measured, arrival, channel, cell_i) = (
            t.measured,
            t.arrival,
            t.channel as usize,
            t.priority as usize * self.rec.segments + t.segment as usize,
        );
        self.occupy(tier_cfg.pool, id);
        if measured {
            if self.rec.costs.is_some() {
                let i = tier * self.rec.weeks + self.rec.week_of(arrival);
                self.rec.week_handled[i] += 1;
            }
            if first {
                self.record_first_response(arrival, channel, cell_i);
            }
        }
        self.begin(id, tier_cfg.pool, now + dur);
    }

    /// Hands a ticket to the L4 vendor, which resolves it at `at`; counts it for the vendor
    /// bill when measured.
    fn hand_to_vendor(&mut self, id: u32, at: f64) {
        let t = &self.tickets[id as usize];
        if t.measured {
            self.rec.vendor_tickets += 1;
            let w = self.rec.week_of(t.arrival);
            self.rec.week_vendor[w] += 1;
        }
        self.schedule(at, Kind::VendorDone { ticket: id });
    }

    /// Probability that an owner solves above its level alone, grown by the swarms the owner
    /// pool has joined (per head), capped; 0 without learning.
    #[inline]
    fn solo_probability(&self) -> f64 {
        match self
            .s
            .swarm
            .as_ref()
            .and_then(|w| w.learning.map(|l| (w, l)))
        {
            Some((w, (gain, cap))) => {
                let heads = self.s.pools[w.owner_pool].headcount.max(1) as f64;
                (gain * self.sessions_done as f64 / heads).min(cap)
            }
            None => 0.0,
        }
    }

    fn record_first_response(&mut self, arrival: f64, channel: usize, cell_i: usize) {
        let fr = self.now - arrival;
        let ns = self.rec.segments;
        let (p, sg) = (cell_i / ns, cell_i % ns);
        let cell = &mut self.rec.cells[cell_i];
        cell.responded += 1;
        cell.fr_sum += fr;
        self.rec.fr_hist[0].record(fr);
        self.rec.fr_hist[1 + p].record(fr);
        self.rec.fr_hist[5 + sg].record(fr);
        let w = &mut self.rec.channel_wait[channel];
        w.0 += fr;
        w.1 += 1;
        if let Some(i) = self.s.sla.first_response_of[cell_i] {
            let target = self.s.sla.targets[i as usize]
                .first_response
                .expect("indexed");
            let limit = target.limit_min;
            let met = self.s.sla.clock_minutes(&target, arrival, self.now) <= limit;
            cell.fr_covered += 1;
            cell.fr_met += u64::from(met);
            self.rec.count_target(i as usize, false, arrival, met);
        }
    }

    fn on_done(&mut self, id: u32) {
        let now = self.now;
        let s = self.s;
        let tier = self.tickets[id as usize].tier as usize;
        let pool = s.tiers[tier].pool;
        if s.pools[pool].handover_min.is_some() {
            let list = &mut self.in_service[pool];
            if let Some(i) = list.iter().position(|&x| x == id) {
                list.swap_remove(i);
            }
        }
        self.vacate(pool, id);
        let t = &mut self.tickets[id as usize];
        match t.outcome {
            Outcome::Resolve => self.resolve(id),
            Outcome::Escalate => {
                t.handoffs = t.handoffs.saturating_add(1);
                t.ever_escalated = true;
                t.state = State::Away;
                // A second escalation from this tier (after a bounce back) draws afresh.
                let again = t.bounced & (1u8 << (tier + 1)) != 0;
                let slot = if again { ESCALATE_AGAIN } else { ESCALATE };
                let mut route = ticket_rng(t.route_key, sid(tier, slot));
                let mut delay = s.escalation.handoff_delay.sample(&mut route);
                if tier + 1 < s.tiers.len() {
                    t.tier += 1;
                    t.escalated_in = true;
                    if s.escalation.re_explain_p > 0.0
                        && route.random::<f64>() < s.escalation.re_explain_p
                    {
                        t.re_explains = t.re_explains.saturating_add(1);
                        let wait = s.escalation.re_explain_delay.sample(&mut route);
                        // The customer's round trip: SLA clocks with pause_on_customer stop.
                        let cell = t.priority as usize * self.rec.segments + t.segment as usize;
                        if let Some(k) = s.sla.resolution_of[cell] {
                            let tg = s.sla.targets[k as usize].resolution.expect("indexed");
                            if tg.pause_on_customer {
                                let from = now + delay;
                                t.paused += s.sla.clock_minutes(&tg, from, from + wait) as f32;
                            }
                        }
                        delay += wait;
                    }
                    self.schedule(now + delay, Kind::Enqueue { ticket: id });
                } else {
                    let vendor = s
                        .vendor
                        .as_ref()
                        .expect("validated: level 4 needs a vendor");
                    delay += vendor.sample(&mut route);
                    self.hand_to_vendor(id, now + delay);
                }
            }
            Outcome::Vendor => {
                t.state = State::Away;
                let mut route = ticket_rng(t.route_key, sid(tier, ESCALATE));
                let vendor = s
                    .vendor
                    .as_ref()
                    .expect("validated: level 4 needs a vendor");
                let delay = vendor.sample(&mut route);
                self.hand_to_vendor(id, now + delay);
            }
            Outcome::BounceBack => {
                t.handoffs = t.handoffs.saturating_add(1);
                t.state = State::Away;
                t.tier -= 1;
                t.escalated_in = false;
                t.returned = true;
                let mut route = ticket_rng(t.route_key, sid(tier, BOUNCE_DELAY));
                let delay = s.escalation.handoff_delay.sample(&mut route);
                self.schedule(now + delay, Kind::Enqueue { ticket: id });
            }
            Outcome::Swarm => self.request_swarm(id),
        }
        self.dispatch(pool);
    }

    /// The owner asks for a swarm: draws the helper count and joins the request queue.
    fn request_swarm(&mut self, id: u32) {
        let s = self.s;
        let w = s
            .swarm
            .as_ref()
            .expect("swarm outcome implies swarm settings");
        let t = &mut self.tickets[id as usize];
        t.state = State::AwaitingSwarm;
        t.swarm_at = self.now;
        let needed = (t.level as usize).min(s.tiers.len()) - 1;
        let u: f64 = ticket_rng(t.route_key, HELPERS).random();
        let k = w
            .helpers_cum
            .iter()
            .position(|c| u < *c)
            .unwrap_or(w.helpers_cum.len() - 1)
            + 1;
        t.helpers = k as u8;
        t.expert_tier = needed as u8;
        self.swarm_q[t.priority as usize].push_back(id);
        self.swarm_pending += 1;
        // The owner's pool is dispatched by the caller; the expert pool may already be free.
        let e = s.tiers[needed].pool;
        if e != w.owner_pool {
            self.dispatch(e);
        }
    }

    /// Starts every waiting swarm session whose owner and helpers are free, most urgent and
    /// oldest first. A request that cannot start blocks later requests for the same expert
    /// pool (no overtaking: big swarms are not starved) and, under `swarm_first`, holds that
    /// pool's free agents so they do not take queue work meanwhile.
    fn try_sessions(&mut self) {
        let s = self.s;
        let Some(w) = s.swarm.as_ref() else {
            return;
        };
        for p in &mut self.pools {
            p.held = 0;
        }
        if self.swarm_pending == 0 {
            return;
        }
        let hold = w.priority == SwarmPriority::SwarmFirst;
        let owner = w.owner_pool;
        self.blocked.iter_mut().for_each(|b| *b = false);
        'classes: for class in 0..4 {
            let mut i = 0;
            while i < self.swarm_q[class].len() {
                let id = self.swarm_q[class][i];
                let t = &self.tickets[id as usize];
                let e = s.tiers[t.expert_tier as usize].pool;
                let k = t.helpers as u32;
                if self.blocked[e] {
                    i += 1;
                    continue;
                }
                let owner_free = self.pools[owner].free();
                let ready = if e == owner {
                    owner_free > k
                } else {
                    owner_free >= 1 && self.pools[e].free() >= k
                };
                if ready {
                    self.swarm_q[class].remove(i);
                    self.swarm_pending -= 1;
                    self.start_session(id);
                    continue;
                }
                self.blocked[e] = true;
                if hold && (e != owner || owner_free > 0) {
                    self.pools[e].held = self.pools[e].free();
                }
                if owner_free == 0 {
                    break 'classes;
                }
                i += 1;
            }
        }
    }

    /// Owner and helpers start a session together.
    fn start_session(&mut self, id: u32) {
        let s = self.s;
        let w = s.swarm.as_ref().expect("sessions imply swarm settings");
        let now = self.now;
        let t = &mut self.tickets[id as usize];
        t.state = State::InSession;
        t.swarmed = true;
        t.started = now;
        let tier = t.expert_tier as usize;
        let e = s.tiers[tier].pool;
        let k = t.helpers as i32;
        let ch = t.channel as usize;
        let session = w.session.as_ref().unwrap_or(&s.tiers[tier].work[ch]);
        let dur = w
            .brief
            .sample(&mut ticket_rng(t.work_key, sid(tier, BRIEF)))
            + session.sample(&mut ticket_rng(t.work_key, sid(tier, SESSION))) * (1.0 + w.overhead);
        let (measured, wait) = (t.measured, now - t.swarm_at);
        if measured {
            self.rec.swarms += 1;
            self.rec.swarm_wait_sum += wait;
            self.rec.helpers_sum += k as u64;
        }
        self.set_busy(w.owner_pool, 1);
        self.set_busy(e, k);
        self.schedule(now + dur, Kind::SessionDone { ticket: id });
    }

    fn on_session_done(&mut self, id: u32) {
        let s = self.s;
        let w = s.swarm.as_ref().expect("sessions imply swarm settings");
        let now = self.now;
        self.sessions_done += 1;
        let t = self.tickets[id as usize];
        let worked = now - t.started;
        self.end_work(w.owner_pool, 1, worked);
        let tier = t.expert_tier as usize;
        let e = s.tiers[tier].pool;
        let mut back_now = 0;
        for h in 0..t.helpers as u32 {
            let c = w
                .context_switch
                .sample(&mut ticket_rng(t.work_key, sid(tier, SWITCH + h)));
            if c > 0.0 {
                self.schedule(
                    now + c,
                    Kind::HelperFree {
                        pool: e as u32,
                        worked: (worked + c) as f32,
                    },
                );
            } else {
                back_now += 1;
            }
        }
        if back_now > 0 {
            self.end_work(e, back_now, worked);
        }
        if t.level as usize > s.tiers.len() {
            self.tickets[id as usize].state = State::Away;
            let mut route = ticket_rng(t.route_key, sid(tier, ESCALATE));
            let vendor = s
                .vendor
                .as_ref()
                .expect("validated: level 4 needs a vendor");
            let delay = vendor.sample(&mut route);
            self.hand_to_vendor(id, now + delay);
        } else {
            self.resolve(id);
        }
        self.dispatch(w.owner_pool);
        if e != w.owner_pool {
            self.dispatch(e);
        }
    }

    /// Lets idle on-duty agents of a pool take waiting tickets and start ready swarm sessions,
    /// in the order the swarm priority rule says.
    fn dispatch(&mut self, pool: usize) {
        let swarm_rule = self.s.swarm.as_ref().map(|w| w.priority);
        if self.swarm_pending > 0 && swarm_rule == Some(SwarmPriority::SwarmFirst) {
            self.try_sessions();
        }
        loop {
            let ps = self.pools[pool];
            if ps.busy + ps.held + ps.resting >= ps.staffed {
                break;
            }
            match self.pop_queue(pool) {
                Some(id) => {
                    let tier = self.tickets[id as usize].tier as usize;
                    self.start_service(id, tier);
                }
                None => break,
            }
        }
        if self.s.pools[pool].chat_concurrency > 1 {
            self.dispatch_chats(pool);
        }
        if self.swarm_pending > 0 && swarm_rule == Some(SwarmPriority::QueueFirst) {
            self.try_sessions();
        }
    }

    #[inline]
    fn resolve(&mut self, id: u32) {
        let now = self.now;
        let t = &self.tickets[id as usize];
        if t.measured {
            let t = *t;
            let ns = self.rec.segments;
            let cell_i = t.priority as usize * ns + t.segment as usize;
            let res = now - t.arrival;
            let cell = &mut self.rec.cells[cell_i];
            cell.resolved += 1;
            cell.res_sum += res;
            cell.sojourn_sum += res;
            cell.fcr += u64::from(t.handoffs == 0);
            cell.escalated += u64::from(t.ever_escalated);
            cell.handoffs += t.handoffs as u64;
            cell.re_explains += t.re_explains as u64;
            cell.swarmed += u64::from(t.swarmed);
            if let Some(i) = self.s.sla.resolution_of[cell_i] {
                let target = self.s.sla.targets[i as usize].resolution.expect("indexed");
                let limit = target.limit_min;
                let mut clock = self.s.sla.clock_minutes(&target, t.arrival, now);
                if target.pause_on_customer {
                    clock -= t.paused as f64;
                }
                let met = clock <= limit;
                cell.res_covered += 1;
                cell.res_met += u64::from(met);
                self.rec.count_target(i as usize, true, t.arrival, met);
            }
            self.rec.res_hist[0].record(res);
            self.rec.res_hist[1 + t.priority as usize].record(res);
            self.rec.res_hist[5 + t.segment as usize].record(res);
            self.open_measured -= 1;
            self.emit(&t, TicketOutcome::Resolved);
        }
        self.release(id);
    }

    fn on_abandon(&mut self, id: u32, generation: u32) {
        let t = self.tickets[id as usize];
        if t.generation != generation || t.state != State::Queued || t.responded {
            return;
        }
        let pool = self.s.tiers[t.tier as usize].pool;
        self.queues[pool].len -= 1;
        self.queues[pool].chats -= usize::from(t.channel as usize == CHAT);
        let (w0, w1) = self.rec.window;
        let len = self.queues[pool].len as f64;
        self.rec.queued[pool].set(self.now, len, w0, w1);
        if t.measured {
            self.rec.channel_abandoned[t.channel as usize] += 1;
        }
        let p = self.s.abandon_to_email_p;
        if p > 0.0 && ticket_rng(t.route_key, u32::MAX).random::<f64>() < p {
            // The customer leaves a message: the same ticket continues as email. Its old queue
            // entry goes stale (new generation) and it rejoins at the back of the queue.
            let tk = &mut self.tickets[id as usize];
            tk.channel = EMAIL as u8;
            tk.generation = tk.generation.wrapping_add(1);
            self.enqueue(id);
            return;
        }
        if t.measured {
            let ns = self.rec.segments;
            let cell_i = t.priority as usize * ns + t.segment as usize;
            let wait = self.now - t.arrival;
            let cell = &mut self.rec.cells[cell_i];
            cell.abandoned += 1;
            cell.sojourn_sum += wait;
            let ch = t.channel as usize;
            self.rec.channel_wait[ch].0 += wait;
            self.rec.channel_wait[ch].1 += 1;
            // An abandoned ticket never got a response nor a resolution: it breaches both.
            if let Some(i) = self.s.sla.first_response_of[cell_i] {
                cell.fr_covered += 1;
                self.rec.count_target(i as usize, false, t.arrival, false);
            }
            if let Some(i) = self.s.sla.resolution_of[cell_i] {
                self.rec.cells[cell_i].res_covered += 1;
                self.rec.count_target(i as usize, true, t.arrival, false);
            }
            self.open_measured -= 1;
            self.emit(&t, TicketOutcome::Abandoned);
        }
        self.release(id);
    }

    /// Schedules the end of the ticket's service step at `due`, and tracks it for hand-over
    /// when its pool hands over at shift end (concurrent chats excepted).
    fn begin(&mut self, id: u32, pool: usize, due: f64) {
        let t = &mut self.tickets[id as usize];
        t.svc = t.svc.wrapping_add(1);
        t.due = due;
        let (svc, whole_agent) = (t.svc, t.agent == NO_AGENT);
        if whole_agent && self.s.pools[pool].handover_min.is_some() {
            self.in_service[pool].push(id);
        }
        self.schedule(due, Kind::Done { ticket: id, svc });
    }

    /// An agent takes over a ticket handed over at a shift end: the hand-over time, then the
    /// work that was left (its outcome was decided when the work started).
    fn take_over(&mut self, id: u32, tier: usize) {
        let pool = self.s.tiers[tier].pool;
        let handover = self.s.pools[pool].handover_min.unwrap_or(0.0);
        let t = &mut self.tickets[id as usize];
        t.handed = false;
        t.state = State::InService;
        let due = self.now + handover + t.remaining as f64;
        self.occupy(pool, id);
        self.begin(id, pool, due);
    }

    /// A shift ends in a pool that hands over: as many agents as are now busy beyond those on
    /// duty (at most the shift's leavers) put down their tickets, most recently started first;
    /// each ticket rejoins its queue with the work it has left.
    fn on_shift_end(&mut self, pool: usize, index: usize) {
        let p = &self.s.pools[pool];
        let (_, leaving) = p.shift_ends[index];
        if let Some(&(t, _)) = p.shift_ends.get(index + 1) {
            self.schedule(
                t,
                Kind::ShiftEnd {
                    pool: pool as u32,
                    index: index as u32 + 1,
                },
            );
        }
        let on_duty = p.staffed_at(self.now);
        // The staffing change at this instant may not have been processed yet (same-time
        // events run in scheduling order): apply it now so handed tickets do not restart on
        // the leaving agents. The Staffing event then sets the same value again.
        if self.pools[pool].staffed != on_duty {
            self.set_staffed(pool, on_duty);
        }
        let ps = self.pools[pool];
        let excess = (ps.busy + ps.resting).saturating_sub(on_duty).min(leaving);
        for _ in 0..excess {
            let list = &self.in_service[pool];
            let Some((i, &id)) = list.iter().enumerate().max_by(|a, b| {
                let (x, y) = (&self.tickets[*a.1 as usize], &self.tickets[*b.1 as usize]);
                x.started.total_cmp(&y.started).then(a.1.cmp(b.1))
            }) else {
                break;
            };
            self.in_service[pool].swap_remove(i);
            let now = self.now;
            let t = &mut self.tickets[id as usize];
            t.remaining = (t.due - now).max(0.0) as f32;
            t.svc = t.svc.wrapping_add(1);
            t.handed = true;
            // Old queue entries and patience timers of this ticket go stale.
            t.generation = t.generation.wrapping_add(1);
            let measured = t.measured;
            self.set_busy(pool, -1);
            self.rec.handovers += u64::from(measured);
            self.enqueue(id);
        }
    }

    fn on_staffing(&mut self, pool: usize, index: usize) {
        let sched = &self.s.pools[pool].schedule;
        let (_, n) = sched[index];
        if let Some(&(t, _)) = sched.get(index + 1) {
            self.schedule(
                t,
                Kind::Staffing {
                    pool: pool as u32,
                    index: index as u32 + 1,
                },
            );
        }
        self.set_staffed(pool, n);
        self.dispatch(pool);
    }

    /// Sets a pool's agents on duty and records it.
    fn set_staffed(&mut self, pool: usize, n: u32) {
        self.pools[pool].staffed = n;
        let (w0, w1) = self.rec.window;
        self.rec.staffed[pool].set(self.now, n as f64, w0, w1);
    }

    fn on_sample(&mut self) {
        self.series.push(self.interval_arrivals as f64);
        self.interval_arrivals = 0;
        self.series.push(self.open_total as f64);
        for q in &self.queues {
            self.series.push(q.len as f64);
        }
        if self.s.swarm.is_some() {
            self.series.push(self.swarm_pending as f64);
        }
        for p in &self.pools {
            self.series.push(p.busy as f64);
        }
        for p in &self.pools {
            self.series.push(p.staffed as f64);
        }
        debug_assert_eq!(self.series.len() % self.layout_cols, 0);
        self.sample_index += 1;
        if let Some(&t) = self.sample_times.get(self.sample_index) {
            self.schedule(t, Kind::Sample);
        }
    }
}

/// Runs replication `index` of a scenario.
pub fn simulate(s: &Scenario, catalog: &Catalog, index: u32) -> ReplicationResult {
    let mut r = Simulation::new(s, index).run(catalog);
    r.index = index;
    r
}

/// Runs replication `index`, sending every measured ticket to `sink` as it ends.
pub fn simulate_with_sink<K: TicketSink>(
    s: &Scenario,
    catalog: &Catalog,
    index: u32,
    sink: &mut K,
) -> ReplicationResult {
    let mut r = Simulation::with_sink(s, index, sink).run(catalog);
    r.index = index;
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One pool of agents at chat concurrency 3.
    fn chat_pool() -> Scenario {
        let text = r#"
name = "packing"
[demand]
tickets_per_hour = 10
channels = { email = 0.5, chat = 0.5 }
priorities = { P3 = 1.0 }
segments = { all = 1.0 }
required_level = { 1 = 1.0 }
[[pools]]
name = "agents"
headcount = 3
chat_concurrency = 3
[[tiers]]
level = 1
pool = "agents"
work_time.default = 10
"#;
        Scenario::from_toml_str(text, std::path::Path::new("<test>")).unwrap()
    }

    /// Puts a new ticket of `channel` in service on pool 0, as `start_service` does.
    fn take(sim: &mut Simulation<'_>, channel: usize) -> u32 {
        let id = sim.alloc();
        sim.tickets[id as usize].channel = channel as u8;
        sim.occupy(0, id);
        id
    }

    #[test]
    fn a_new_chat_joins_the_busiest_chat_agent_with_room() {
        let s = chat_pool();
        let mut sim = Simulation::new(&s, 0);
        sim.pools[0].staffed = 3;
        // Packing: the first agent fills up before a second one takes a chat.
        let c: Vec<u32> = (0..4).map(|_| take(&mut sim, CHAT)).collect();
        assert_eq!(sim.chats[0].load, [3, 1]);
        assert_eq!(sim.pools[0].busy, 2);
        // An email takes a whole agent; chat agents are untouched.
        let e = take(&mut sim, EMAIL);
        assert_eq!(sim.pools[0].busy, 3);
        assert_eq!(sim.tickets[e as usize].agent, NO_AGENT);
        // A freed chat place goes to the agent holding the most chats below the limit.
        sim.vacate(0, c[0]);
        assert_eq!(sim.chats[0].load, [2, 1]);
        let c4 = take(&mut sim, CHAT);
        assert_eq!(
            (sim.tickets[c4 as usize].agent, sim.chats[0].load.as_slice()),
            (0, &[3, 1][..])
        );
        // Ties go to the first slot.
        sim.vacate(0, c[1]);
        sim.vacate(0, c[2]);
        assert_eq!(sim.chats[0].load, [1, 1]);
        take(&mut sim, CHAT);
        assert_eq!(sim.chats[0].load, [2, 1]);
        // An agent holding no chat any more is free (its slot is reused later).
        sim.vacate(0, c[3]);
        assert_eq!(sim.chats[0].load, [2, 0]);
        assert_eq!(sim.pools[0].busy, 2);
        // After a shift end leaves more agents busy than on duty, no chat joins anyone.
        sim.pools[0].staffed = 1;
        assert_eq!(sim.chat_room(0), None);
        sim.pools[0].staffed = 2;
        assert_eq!(sim.chat_room(0), Some(0));
        sim.vacate(0, e);
        take(&mut sim, CHAT);
        take(&mut sim, CHAT);
        assert_eq!(sim.chats[0].load, [3, 1]);
        assert_eq!(sim.pools[0].busy, 2);
    }
}
