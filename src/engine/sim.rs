//! One replication: the state of the simulated support organisation and the event loop.
//!
//! ```text
//!  arrival ──► deflected? ──yes──► counted, gone
//!     │no
//!     ▼
//!  stage queue ──► agent: model::plan_step (work, then resolve / escalate / bounce / swarm)
//!     ▲                 │resolve                 │escalate
//!     │bounce back      ▼                        ▼
//!     └──────────── resolved        handoff delay (+ customer re-explain round trip)
//!                                                ▼
//!                       next stage's queue ──► ... ──► L4 vendor delay
//! ```
//!
//! The work is split by concern over this folder: [`super::kernel`] orders events,
//! [`super::flow`] moves tickets between stages, [`super::agents`] keeps pool state (chat
//! slots, rests, shifts, hand-over), [`super::sessions`] runs swarm sessions, and what is
//! measured goes to the observers of [`crate::measure`]. The engine never prints and never
//! touches files.

use super::agents::{ChatAgents, PoolState};
use super::arrivals::{AttributeSampler, Source};
use super::incidents::IncidentRun;
use super::kernel::{EventKind, EventQueue};
use super::queues::PoolQueue;
use super::rng::{Purpose, SimRng, stream};
use super::ticket::{Phase, Slab};
use crate::measure::{
    Catalog, NoSink, Observer, Recorder, SeriesLayout, SinkObserver, TicketOutcome, TicketSink,
};
use crate::model::Policy;
use crate::model::swarm::SwarmDesk;
use crate::scenario::Scenario;

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
    pub(super) s: &'a Scenario,
    pub(super) policy: Policy,
    pub(super) sink: SinkObserver<K>,
    pub(super) rec: Recorder,
    pub(super) now: f64,
    pub(super) events: EventQueue,
    pub(super) source: Source,
    pub(super) attributes: AttributeSampler,
    pub(super) work: SimRng,
    pub(super) routing: SimRng,
    pub(super) patience: SimRng,
    /// Work and routing keys of the `[initial_state]` tickets.
    pub(super) backlog_keys: SimRng,
    pub(super) arrivals_seen: u64,
    pub(super) slab: Slab,
    /// One queue per pool, then (under category routing) one per (tier, category).
    pub(super) queues: Vec<PoolQueue>,
    /// The scenario's skills when tier stages route by category.
    pub(super) routed: Option<&'a crate::scenario::skills::Skills>,
    pub(super) pools: Vec<PoolState>,
    /// Per pool: agents holding chats under chat concurrency.
    pub(super) chats: Vec<ChatAgents>,
    /// Per pool that hands over at shift end: tickets in service on a whole agent.
    pub(super) in_service: Vec<Vec<u32>>,
    pub(super) desk: SwarmDesk,
    /// Scratch: tickets whose sessions the desk just started.
    pub(super) started: Vec<u32>,
    /// Swarm sessions finished (owner learning).
    pub(super) sessions_done: u64,
    pub(super) open_total: u32,
    pub(super) open_measured: u64,
    pub(super) interval_arrivals: u64,
    series: Vec<f64>,
    layout_cols: usize,
    sample_index: usize,
    sample_times: Vec<f64>,
    /// The replication's incidents (`None` without `[incidents]`).
    pub(super) inc: Option<Box<IncidentRun>>,
    /// Incidents going on now (ordinary tickets arriving meanwhile are marked).
    pub(super) active_incidents: u32,
    /// The scenario's chat and live channel masks, copied here because the hot path tests
    /// them ([`crate::scenario::in_mask`]) for every ticket: one load instead of two through `s`.
    pub(super) chat_mask: u32,
    /// See `chat_mask`.
    pub(super) live_mask: u32,
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
        let layout = SeriesLayout::new(s);
        let np = s.pools.len();
        let policy = Policy::new(s);
        let inc = s
            .incidents
            .as_ref()
            .map(|inc| Box::new(IncidentRun::new(s, inc, &policy, rep)));
        Simulation {
            s,
            policy,
            sink: SinkObserver(sink),
            rec: Recorder::new(s),
            now: 0.0,
            events: EventQueue::default(),
            source: Source::new(s, stream(seed, rep, Purpose::Arrivals)),
            backlog_keys: stream(seed, rep, Purpose::Backlog),
            attributes: AttributeSampler::new(s, stream(seed, rep, Purpose::Attributes)),
            work: stream(seed, rep, Purpose::WorkTimes),
            routing: stream(seed, rep, Purpose::Routing),
            patience: stream(seed, rep, Purpose::Patience),
            arrivals_seen: 0,
            slab: Slab::default(),
            queues: (0..np + category_queues(s))
                .map(|_| PoolQueue::new(s.priority_count(), s.channels.chat_mask()))
                .collect(),
            routed: s.skills.as_ref().filter(|k| k.queues_by_category),
            pools: vec![PoolState::default(); np],
            chats: (0..np).map(|_| ChatAgents::default()).collect(),
            in_service: vec![Vec::new(); np],
            desk: SwarmDesk::new(np, s.priority_count()),
            started: Vec::new(),
            sessions_done: 0,
            open_total: 0,
            open_measured: 0,
            interval_arrivals: 0,
            series: Vec::with_capacity(layout.times.len() * layout.columns.len()),
            layout_cols: layout.columns.len(),
            sample_index: 0,
            sample_times: layout.times,
            inc,
            active_incidents: 0,
            chat_mask: s.channels.chat_mask(),
            live_mask: s.channels.live_mask(),
        }
    }

    /// Schedules `kind` at `time` (never in the past).
    #[inline]
    pub(super) fn schedule(&mut self, time: f64, kind: EventKind) {
        debug_assert!(time >= self.now, "events are never scheduled in the past");
        self.events.schedule(time, kind);
    }

    /// Draws the next arrival time and makes it the pending arrival.
    #[inline(always)]
    pub(super) fn schedule_next_arrival(&mut self) {
        let next = self.source.next_after(self.s, self.now);
        self.events.set_next_arrival(next);
    }

    /// Runs the replication to the end and returns its results.
    pub fn run(mut self, catalog: &Catalog) -> ReplicationResult {
        for p in 0..self.s.pools.len() {
            self.schedule(
                0.0,
                EventKind::Staffing {
                    pool: p as u32,
                    index: 0,
                },
            );
        }
        for (p, pool) in self.s.pools.iter().enumerate() {
            if let (Some(_), Some(&(t, _))) = (pool.handover_min, pool.shift_ends.first()) {
                self.events.schedule(
                    t,
                    EventKind::ShiftEnd {
                        pool: p as u32,
                        index: 0,
                    },
                );
            }
        }
        if self.s.backlog.is_some() {
            self.seed_backlog();
        }
        self.schedule_next_arrival();
        if self.inc.is_some() {
            self.schedule_incidents();
        }
        if let Some(&t) = self.sample_times.first() {
            self.schedule(t, EventKind::Sample);
        }
        let span = self.s.run.span_min();
        let max_open = self.s.run.max_open_tickets;
        let w1 = self.rec.window.1;
        while let Some(ev) = self.events.pop() {
            let time = ev.time();
            if time > span {
                break;
            }
            self.now = time;
            self.rec.events += 1;
            match ev.kind {
                EventKind::Arrival => self.on_arrival(),
                EventKind::Done { ticket, svc } => {
                    if self.slab.get(ticket).svc == svc {
                        self.on_done(ticket);
                    }
                }
                EventKind::ShiftEnd { pool, index } => {
                    self.on_shift_end(pool as usize, index as usize)
                }
                EventKind::Enqueue { ticket } => self.enqueue(ticket),
                EventKind::Abandon { ticket, generation } => self.on_abandon(ticket, generation),
                EventKind::Retry { ticket } => self.on_retry(ticket),
                EventKind::Chase { ticket, generation } => self.on_chase(ticket, generation),
                EventKind::CallbackOffer { ticket, generation } => {
                    self.on_callback_offer(ticket, generation)
                }
                EventKind::VendorDone { ticket } => self.resolve(ticket),
                EventKind::SessionDone { ticket } => self.on_session_done(ticket),
                EventKind::HelperFree { pool, worked } => {
                    self.end_work(pool as usize, 1, worked as f64);
                    self.dispatch(pool as usize);
                }
                EventKind::Rested { pool } => {
                    self.pools[pool as usize].resting -= 1;
                    self.note_present(pool as usize);
                    self.dispatch(pool as usize);
                }
                EventKind::Staffing { pool, index } => {
                    self.on_staffing(pool as usize, index as usize)
                }
                EventKind::Overflow { pool } => self.dispatch(pool as usize),
                EventKind::Sample => self.on_sample(),
                EventKind::Incident { what, index } => self.on_incident(what, index as usize),
                EventKind::IncidentContact { incident, contact } => {
                    self.on_incident_contact(incident as usize, contact)
                }
                EventKind::Outreach => self.on_outreach(),
            }
            if self.now >= w1 && self.open_measured == 0 {
                break;
            }
            if self.open_total > max_open {
                self.rec.unstable = true;
                break;
            }
        }
        self.finish(catalog)
    }

    /// Closes the time integrals, counts what is still open, and computes the values.
    fn finish(mut self, catalog: &Catalog) -> ReplicationResult {
        // Close the time integrals at the end of the window (or where the run stopped).
        self.rec.close(self.now);
        // Measured tickets still open: unresolved, and breaches of every target they have.
        for t in self.slab.iter() {
            if t.phase != Phase::Free && t.measured {
                self.rec.open_at_end(self.s, t);
            }
        }
        if K::ENABLED {
            let mut open: Vec<_> = self
                .slab
                .iter()
                .filter(|t| t.phase != Phase::Free && t.measured)
                .copied()
                .collect();
            open.sort_by_key(|t| t.number);
            for t in &open {
                self.sink
                    .ticket_ended(t, self.now, TicketOutcome::Unresolved);
            }
        }
        if let Some(run) = &self.inc {
            self.rec.incidents_ended(self.s, &run.list);
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

    /// Frees a ticket's slot: one ticket fewer in the system.
    #[inline(always)]
    pub(super) fn release(&mut self, id: u32) {
        self.slab.release(id);
        self.open_total -= 1;
        self.rec.in_system_changed(self.now, -1.0);
    }

    fn on_sample(&mut self) {
        self.series.push(self.interval_arrivals as f64);
        self.interval_arrivals = 0;
        self.series.push(self.open_total as f64);
        for p in 0..self.pools.len() {
            let len = self.pool_queue_len(p);
            self.series.push(len as f64);
        }
        if self.s.swarm.is_some() {
            self.series.push(self.desk.pending() as f64);
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
            self.schedule(t, EventKind::Sample);
        }
    }
}

/// Category queues of a scenario: one per (tier, category) under category routing.
fn category_queues(s: &Scenario) -> usize {
    s.skills
        .as_ref()
        .filter(|k| k.queues_by_category)
        .map_or(0, |k| s.tiers.len() * k.count())
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
