//! `[customers.retrials]`: what customers do after a live contact failed (they gave up
//! waiting, or found the channel closed or full): some try again later.

use super::super::dist::DistSpec;
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
    /// Share of retrials made on the other live channel (chat instead of phone and vice
    /// versa); the rest retry on the channel that failed. Default 0.
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
