//! Tickets in flight: their attributes, where they are ([`Phase`]), how they entered the
//! stage they are at ([`Entry`]), and the slab that stores them.
//!
//! Queues and events hold slab ids plus a generation: a ticket that moved on (answered,
//! re-queued, released) bumps its generation, so stale queue entries and patience timers are
//! recognised and skipped instead of searched for and removed.

use crate::model::Outcome;

/// Where a ticket is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// The slab slot is unused.
    Free,
    /// Waiting in its stage's queue.
    Queued,
    /// An agent is working on it.
    InService,
    /// Between stages (handoff delay, customer round trip) or at the vendor.
    Away,
    /// Its owner asked for a swarm; waiting for the helpers.
    AwaitingSwarm,
    /// In a swarm session.
    InSession,
}

impl Phase {
    /// Whether the engine may move a ticket from `self` to `to`. Checked in debug builds at
    /// every transition; the table is the engine's life cycle of a ticket.
    pub fn may_become(self, to: Phase) -> bool {
        use Phase::*;
        matches!(
            (self, to),
            // A contact refused at the door may try again later (a retrial).
            (Free, Queued | Away)
                // A message left after abandoning, or a hand-over, re-queues the ticket; a
                // customer who abandons may try again later.
                | (Queued, Queued | InService | Away | Free)
                | (InService, Queued | Away | AwaitingSwarm | Free)
                | (Away, Queued | Free)
                | (AwaitingSwarm, InSession)
                | (InSession, Away | Free)
        )
    }
}

/// How a ticket joined the queue of its current stage: what its next service starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// First stage, or nothing owed: the agent starts on the work.
    New,
    /// Escalated in: the receiver re-gathers context (and may bounce it back).
    Escalated,
    /// Bounced back from the stage above: the agent only re-writes the escalation.
    Returned,
    /// Sent here by triage by mistake: the agent discovers the misroute after part of the
    /// work, then it goes back to triage or on to the right tier.
    Misrouted,
    /// Put down at a shift end: whoever takes it over does the hand-over, then the work that
    /// was left ([`Ticket::remaining_min`]); its outcome was decided when the work started.
    HandedOver,
}

/// `Ticket::agent` of a ticket not held as a concurrent chat.
pub const NO_AGENT: u32 = u32::MAX;

/// One ticket in the system.
#[derive(Debug, Clone, Copy)]
pub struct Ticket {
    /// Arrival [minutes].
    pub arrival: f64,
    /// First response [minutes since arrival]; NaN until answered. Only feeds per-ticket
    /// records (the recorder takes it at full precision when it happens), so f32 suffices
    /// and keeps the ticket small: tickets are copied on the hot path.
    pub first_response: f32,
    /// Arrival sequence number within the replication.
    pub number: u32,
    /// Key of the ticket's work-time streams (common random numbers across designs).
    pub work_key: u64,
    /// Key of the ticket's routing-decision streams.
    pub route_key: u64,
    /// When the current swarm request was made [minutes].
    pub swarm_at: f64,
    /// Bumped whenever queue entries and timers of the ticket go stale.
    pub generation: u32,
    /// Channel index.
    pub channel: u8,
    /// Priority index (0 = P1).
    pub priority: u8,
    /// Segment index.
    pub segment: u8,
    /// Required level (1..=4; level 0 tickets are deflected and never stored).
    pub level: u8,
    /// Current stage (index into the model's stages).
    pub stage: u8,
    /// Handoffs so far (escalations and bounce backs).
    pub handoffs: u8,
    /// Customer re-explain round trips so far.
    pub re_explains: u8,
    /// Retrials so far (contacts after the first; `[customers.retrials]`).
    pub retrials: u8,
    /// Chasers sent while waiting for a first response (`[customers.chasers]`).
    pub chasers: u8,
    /// Callback state (`[customers.callbacks]`): 0 none; n >= 1 accepted, with n - 1 attempts
    /// failed so far.
    pub callback: u8,
    /// Bit k set: the escalation into stage k already bounced once.
    pub bounced: u8,
    /// Minutes the resolution clock stood still while waiting on the customer.
    pub paused: f32,
    /// Helpers of the swarm request.
    pub helpers: u8,
    /// Stage whose pool provides the helpers.
    pub expert_stage: u8,
    /// Category index (0 without `[categories]`).
    pub category: u8,
    /// Under category routing: the pool serving (or last serving) the ticket.
    pub pool: u8,
    /// Where the ticket is.
    pub phase: Phase,
    /// How it joined its current stage.
    pub entry: Entry,
    /// What the current step ends with.
    pub outcome: Outcome,
    /// Answered at least once.
    pub responded: bool,
    /// Arrived in the measured window.
    pub measured: bool,
    /// Escalated at least once.
    pub ever_escalated: bool,
    /// Resolved with a swarm session.
    pub swarmed: bool,
    /// Met the tier-0 bot and then reached a human (leaked, or a repeat contact).
    pub met_bot: bool,
    /// Triage classifications so far.
    pub routes: u8,
    /// Service steps started so far (triage included).
    pub steps: u16,
    /// Services started (a `Done` event of an earlier service is stale).
    pub svc: u32,
    /// When the current service step ends [minutes].
    pub due: f64,
    /// Work left when handed over at a shift end [minutes].
    pub remaining_min: f32,
    /// When the current service step or swarm session started [minutes].
    pub started: f64,
    /// When the ticket joined its current stage's queue [minutes].
    pub stage_since: f64,
    /// Chat agent (index into the pool's chat slots) holding this chat under chat
    /// concurrency; [`NO_AGENT`] otherwise.
    pub agent: u32,
    /// Parent incident (index into the replication's incidents), [`NO_INCIDENT`] for an
    /// ordinary ticket, [`OUTREACH`] for a proactive health check (`[incidents]`).
    pub incident: u32,
    /// Incident marks: bits [`MARK_INCIDENT`], [`MARK_DUPLICATE`], [`MARK_DURING`],
    /// [`MARK_LINKED`] (0 for every ticket of a file without incidents).
    pub mark: u8,
    /// Channel at arrival (`channel` may become the message channel later: a message left).
    pub arrival_channel: u8,
    /// Priority at arrival (`priority` may rise in the bot).
    pub arrival_priority: u8,
    /// Open at t = 0 (`[initial_state]`), not a new arrival.
    pub backlog: bool,
    /// Work of the first service step from a trace row [minutes]; NaN: drawn.
    pub first_work_min: f64,
}

/// `Ticket::number` of the first backlog ticket: far above any arrival's, so new arrivals
/// keep their numbers with and without a backlog.
pub const BACKLOG_NUMBER_BASE: u32 = 3_000_000_000;

/// `Ticket::incident` of an ordinary ticket.
pub const NO_INCIDENT: u32 = u32::MAX;
/// `Ticket::incident` of a proactive health check (agent work, never measured).
pub const OUTREACH: u32 = u32::MAX - 1;
/// Mark: a child ticket of an incident.
pub const MARK_INCIDENT: u8 = 1;
/// Mark: a repeat contact (a duplicate of the account's first ticket about the incident).
pub const MARK_DUPLICATE: u8 = 2;
/// Mark: an ordinary ticket that arrived while an incident was going on.
pub const MARK_DURING: u8 = 4;
/// Mark: linked to its known incident, waiting for the fix.
pub const MARK_LINKED: u8 = 8;

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
            stage: 0,
            handoffs: 0,
            re_explains: 0,
            retrials: 0,
            chasers: 0,
            callback: 0,
            bounced: 0,
            paused: 0.0,
            helpers: 0,
            expert_stage: 0,
            category: 0,
            pool: 0,
            phase: Phase::Free,
            entry: Entry::New,
            outcome: Outcome::Resolve,
            responded: false,
            measured: false,
            ever_escalated: false,
            swarmed: false,
            met_bot: false,
            routes: 0,
            steps: 0,
            svc: 0,
            due: 0.0,
            remaining_min: 0.0,
            started: 0.0,
            stage_since: 0.0,
            agent: NO_AGENT,
            incident: NO_INCIDENT,
            mark: 0,
            arrival_channel: 0,
            arrival_priority: 0,
            backlog: false,
            first_work_min: f64::NAN,
        }
    }
}

impl Ticket {
    /// Moves the ticket to `to`, checking the life cycle in debug builds.
    #[inline]
    pub fn go(&mut self, to: Phase) {
        debug_assert!(
            self.phase.may_become(to),
            "ticket {}: {:?} -> {to:?} is not a ticket transition",
            self.number,
            self.phase
        );
        self.phase = to;
    }
}

/// Ticket storage with a free list: ids are reused, so memory stays flat in the number of
/// tickets, and the hot loop does not allocate once the slab has grown to its working size.
#[derive(Debug)]
pub struct Slab {
    tickets: Vec<Ticket>,
    free: Vec<u32>,
}

impl Default for Slab {
    fn default() -> Self {
        // 256 tickets (32 KiB) cover the open tickets of most runs; more grow the Vec. A
        // 1,024-ticket start was 128 KiB, malloc's mmap threshold: a fresh mapping and its
        // page faults on every replication.
        Slab {
            tickets: Vec::with_capacity(256),
            free: Vec::with_capacity(256),
        }
    }
}

impl Slab {
    /// A free id (its ticket keeps its generation; the caller fills the rest).
    #[inline]
    pub fn alloc(&mut self) -> u32 {
        match self.free.pop() {
            Some(i) => i,
            None => {
                self.tickets.push(Ticket::default());
                (self.tickets.len() - 1) as u32
            }
        }
    }

    /// Frees an id: its generation moves on, so every entry still naming it goes stale.
    #[inline]
    pub fn release(&mut self, id: u32) {
        let t = &mut self.tickets[id as usize];
        t.generation = t.generation.wrapping_add(1);
        t.go(Phase::Free);
        self.free.push(id);
    }

    /// The ticket with id `id`.
    #[inline]
    pub fn get(&self, id: u32) -> &Ticket {
        debug_assert!((id as usize) < self.tickets.len());
        // SAFETY: ids come only from `alloc`, which hands out indices of pushed slots, and the
        // slab never shrinks.
        unsafe { self.tickets.get_unchecked(id as usize) }
    }

    /// The ticket with id `id`, mutably.
    #[inline]
    pub fn get_mut(&mut self, id: u32) -> &mut Ticket {
        debug_assert!((id as usize) < self.tickets.len());
        // SAFETY: as in `get`.
        unsafe { self.tickets.get_unchecked_mut(id as usize) }
    }

    /// Every slot, free ones included (their phase is [`Phase::Free`]).
    pub fn iter(&self) -> impl Iterator<Item = &Ticket> {
        self.tickets.iter()
    }

    /// Whether queue entry `(id, generation)` still names a ticket waiting in a queue.
    #[inline]
    pub fn is_waiting(&self, id: u32, generation: u32) -> bool {
        let t = &self.tickets[id as usize];
        t.generation == generation && t.phase == Phase::Queued
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_life_cycle_allows_every_path_the_engine_takes_and_nothing_else() {
        use Phase::*;
        let all = [Free, Queued, InService, Away, AwaitingSwarm, InSession];
        let allowed = [
            (Free, Queued),
            (Free, Away),
            (Queued, Queued),
            (Queued, Away),
            (Queued, InService),
            (Queued, Free),
            (InService, Queued),
            (InService, Away),
            (InService, AwaitingSwarm),
            (InService, Free),
            (Away, Queued),
            (Away, Free),
            (AwaitingSwarm, InSession),
            (InSession, Away),
            (InSession, Free),
        ];
        for a in all {
            for b in all {
                assert_eq!(a.may_become(b), allowed.contains(&(a, b)), "{a:?} -> {b:?}");
            }
        }
    }

    #[test]
    fn released_ids_are_reused_and_their_old_entries_go_stale() {
        let mut slab = Slab::default();
        let a = slab.alloc();
        slab.get_mut(a).go(Phase::Queued);
        let g = slab.get(a).generation;
        assert!(slab.is_waiting(a, g));
        slab.get_mut(a).go(Phase::InService);
        assert!(!slab.is_waiting(a, g), "in service is not waiting");
        slab.release(a);
        let b = slab.alloc();
        assert_eq!(a, b, "the free list hands the id out again");
        slab.get_mut(b).go(Phase::Queued);
        assert!(!slab.is_waiting(a, g), "the old generation stays stale");
        assert!(slab.is_waiting(b, g.wrapping_add(1)));
        assert_eq!(slab.iter().count(), 1, "memory stays at the working size");
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "is not a ticket transition")]
    fn an_impossible_transition_is_caught_in_debug_builds() {
        let mut t = Ticket::default();
        t.go(Phase::InSession);
    }
}
