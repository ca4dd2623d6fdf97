//! Customer behaviour beyond patience, as validated: retrials after a failed live contact,
//! chasers from email customers waiting for a reply.
//! Each rule is optional; a file without it keeps the behaviour (and the numbers) of files
//! written before it existed.

use super::Dist;

/// The optional customer-behaviour rules of a scenario.
#[derive(Debug, Clone, Default)]
pub struct Behaviour {
    /// Retrials after a failed live contact (`[customers.retrials]`).
    pub retrials: Option<Retrials>,
    /// Chasers of unanswered emails (`[customers.chasers]`).
    pub chasers: Option<Chasers>,
    /// Callbacks for phone customers who wait long (`[customers.callbacks]`).
    pub callbacks: Option<Callbacks>,
}

/// Why a live contact failed (what a retrial share applies to).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The customer gave up waiting and left no message.
    Abandoned,
    /// The channel was closed and the customer left no message.
    Closed,
    /// The queue was full and the customer left no message.
    Blocked,
}

/// `[customers.retrials]` after validation (see [`super::raw::RawRetrials`]).
#[derive(Debug, Clone)]
pub struct Retrials {
    /// Probability of a retrial after each kind of failure, indexed by [`Failure`].
    pub share: [f64; 3],
    /// Delay from the failed contact to the retrial [minutes].
    pub delay: Dist,
    /// Probability that a retrial is made on the other live channel.
    pub switch_p: f64,
    /// Most retrials per ticket.
    pub max: u8,
}

impl Retrials {
    /// The probability of retrying after `f`.
    #[inline]
    pub fn share_after(&self, f: Failure) -> f64 {
        self.share[f as usize]
    }
}

/// `[customers.chasers]` after validation (see [`super::raw::RawChasers`]).
#[derive(Debug, Clone)]
pub struct Chasers {
    /// Time until the next chaser while unanswered [minutes].
    pub patience: Dist,
    /// Agent work per chaser [minutes].
    pub read: Dist,
    /// Most chasers per ticket.
    pub max: u8,
}

/// `[customers.callbacks]` after validation (see [`super::raw::RawCallbacks`]).
#[derive(Debug, Clone)]
pub struct Callbacks {
    /// Wait in the queue at which a callback is offered [minutes].
    pub offer_after_min: f64,
    /// Probability that an offered customer accepts.
    pub accept_p: f64,
    /// Probability that an attempt finds the customer unreachable.
    pub unreachable_p: f64,
    /// Agent time of a failed attempt [minutes].
    pub failed_attempt_min: f64,
    /// Delay from a failed attempt to rejoining the queue [minutes].
    pub retry: Dist,
    /// Most attempts per callback.
    pub max_attempts: u8,
}

/// `[queues.scored]` after validation (see [`super::raw::RawScored`]).
#[derive(Debug, Clone, PartialEq)]
pub struct QueueScore {
    /// Base points per cell `priority * segments + segment`.
    pub base: Vec<f64>,
    /// Points per minute waited.
    pub per_minute: f64,
    /// Points of a ticket that entered its stage other than new (escalated, bounced back,
    /// handed over).
    pub escalated: f64,
}

impl QueueScore {
    /// The ticket's score minus `per_minute x now`, fixed when it joins a queue at
    /// `joined`: every waiting ticket's score grows at the same rate, so ordering by this
    /// key is ordering by the score at any instant.
    #[inline]
    pub fn key(&self, cell: usize, escalated: bool, joined: f64) -> f64 {
        let bonus = if escalated { self.escalated } else { 0.0 };
        self.base[cell] + bonus - self.per_minute * joined
    }
}
