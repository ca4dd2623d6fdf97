//! Per-ticket output: how each measured ticket ended, handed to a [`TicketSink`] (opt-in;
//! the default [`NoSink`] costs nothing because the engine is generic over the sink).

use crate::engine::Ticket;

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
    /// Found its live channel closed and went away (left no message).
    TurnedAway,
    /// Found its live channel's queue full and went away (left no message).
    Blocked,
    /// Resolved by the tier-0 bot (and not back as a repeat contact).
    Contained,
}

impl TicketOutcome {
    /// Lower-case name used in tables.
    pub fn name(self) -> &'static str {
        match self {
            TicketOutcome::Resolved => "resolved",
            TicketOutcome::Abandoned => "abandoned",
            TicketOutcome::Deflected => "deflected",
            TicketOutcome::Unresolved => "unresolved",
            TicketOutcome::TurnedAway => "turned_away",
            TicketOutcome::Blocked => "blocked",
            TicketOutcome::Contained => "contained",
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
    /// Channel index (see `Scenario::channels`; a message left after abandoning is on the message channel).
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
    /// Channel at arrival (before a message left after abandoning moved it to the message channel).
    pub arrival_channel: u8,
    /// Priority at arrival (before the bot raised it).
    pub arrival_priority: u8,
    /// Category index (0 without `[categories]`).
    pub category: u8,
    /// Open at t = 0 (`[initial_state]`) rather than a new arrival.
    pub backlog: bool,
}

impl TicketRecord {
    /// The record of ticket `t` ending at `now` with `outcome`.
    #[inline]
    pub fn of(t: &Ticket, now: f64, outcome: TicketOutcome) -> Self {
        TicketRecord {
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
            arrival_channel: t.arrival_channel,
            arrival_priority: t.arrival_priority,
            category: t.category,
            backlog: t.backlog,
        }
    }
}

/// Receives every measured ticket of one replication as it ends (opt-in per-ticket output).
/// The engine only calls it; where the records go (a file, a test vector) is the caller's.
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
