//! `[customers.retrials]`: what customers do after a live contact failed (they gave up
//! waiting, or found the channel closed or full): some try again later.
//! `[customers.chasers]`: message-channel (`email`) customers who wait long for a reply send chasers.
//! `[queues.scored]`: the score of the scored queue discipline (priorities that rise with
//! waiting).

use super::super::dist::DistSpec;
use super::OrderedMap;
use serde::{Deserialize, Serialize};

/// `[customers.retrials]`: a share of the customers whose live contact failed try again
/// after a delay, on the same live channel or the other one. A retrial is the same ticket
/// (counted once, its clocks running from its first contact). Absent: nobody retries.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRetrials {
    /// Of the live customers who abandon a wait and leave no message, the share that try
    /// again. Default 0.
    #[serde(default)]
    pub abandoned_share: f64,
    /// Of the contacts that find their channel closed and leave no message, the share that
    /// try again. Default 0.
    #[serde(default)]
    pub closed_share: f64,
    /// Of the contacts blocked by a full queue that leave no message, the share that try
    /// again. Default 0.
    #[serde(default)]
    pub blocked_share: f64,
    /// Time from the failed contact to the retrial [minutes]; required when a share > 0.
    #[serde(default)]
    pub delay_min: Option<DistSpec>,
    /// Share of retrials made on the other live kind (a chat customer retries on the first
    /// voice channel, a voice customer on the first chat channel, where the file has one);
    /// the rest retry on the channel that failed. Default 0.
    #[serde(default)]
    pub switch_share: f64,
    /// Most retrials per ticket [retrials]; a customer who fails again after that gives up.
    /// Default 3.
    #[serde(default = "default_max_retrials")]
    pub max_retrials: u32,
}

fn default_max_retrials() -> u32 {
    3
}

/// `[customers.chasers]`: a customer on the message channel (the first asynchronous one)
/// still waiting for a first response after a patience time sends a chaser ("any news?"),
/// another contact on the same ticket; the agent who answers the ticket reads and replies to
/// each one. Absent: no chasers.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawChasers {
    /// Time from joining the queue on the message channel (or from the previous chaser) until the next
    /// chaser, while no agent has answered [minutes]. Required.
    #[serde(default)]
    pub patience_min: Option<DistSpec>,
    /// Agent work per chaser, added to the first response's step [minutes]. Default 0.
    #[serde(default)]
    pub read_min: Option<DistSpec>,
    /// Most chasers per ticket [chasers]. Default 3.
    #[serde(default = "default_max_chasers")]
    pub max_chasers: u32,
}

fn default_max_chasers() -> u32 {
    3
}

/// `[customers.callbacks]`: virtual hold on voice-kind channels. A voice customer who has waited
/// `offer_after_min` in the queue is offered a callback and accepts with `accept_share`. An
/// accepted callback keeps its place in the queue and no longer abandons; when its turn comes
/// the agent calls the customer, who may be unreachable: that attempt takes the agent
/// `failed_attempt_min`, and the callback rejoins the queue after `retry_after_min`, up to
/// `max_attempts` attempts in all. Absent: no callbacks.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCallbacks {
    /// Minutes a voice customer has waited in the queue when the callback is offered [minutes].
    /// Required.
    #[serde(default)]
    pub offer_after_min: Option<f64>,
    /// Share of offered customers who accept a callback. Required.
    #[serde(default)]
    pub accept_share: Option<f64>,
    /// Probability that a callback attempt finds the customer unreachable. Default 0.
    #[serde(default)]
    pub unreachable_share: f64,
    /// Agent time of an attempt that fails (dialling, ringing, a voicemail) [minutes]. Default 1.
    #[serde(default = "default_failed_attempt_min")]
    pub failed_attempt_min: f64,
    /// Delay from a failed attempt until the callback rejoins the back of the queue [minutes].
    /// Required when attempts can fail and be retried.
    #[serde(default)]
    pub retry_after_min: Option<DistSpec>,
    /// Most attempts per callback [attempts]; after the last failed one the customer is lost
    /// (counted as abandoned). Default 3.
    #[serde(default = "default_max_attempts")]
    pub max_attempts: u32,
}

fn default_failed_attempt_min() -> f64 {
    1.0
}

fn default_max_attempts() -> u32 {
    3
}

/// `[queues.scored]`: with `queues.order = "scored"` a free agent takes the waiting ticket
/// with the highest score = base of its priority + base of its segment + weight x minutes
/// waited in this queue + a bonus if it was escalated or transferred.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScored {
    /// Points per priority, `{ P1 = 300, P2 = 200, ... }` [points]. Default 0 each.
    #[serde(default)]
    pub priority_points: OrderedMap<f64>,
    /// Points per segment, `{ enterprise = 50 }` [points]. Default 0 each.
    #[serde(default)]
    pub segment_points: OrderedMap<f64>,
    /// Points per minute waited [points/minute]. Default 0.
    #[serde(default)]
    pub points_per_minute_waited: f64,
    /// Points of a ticket escalated into the stage, bounced back or handed over [points].
    /// Default 0.
    #[serde(default)]
    pub escalated_points: f64,
}
