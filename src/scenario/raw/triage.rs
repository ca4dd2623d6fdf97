//! `[triage]`: someone (a pool) or something (`automatic`) classifies each ticket and sends
//! it to the tier its required level needs, sometimes to a wrong one.

use super::RawWorkTime;
use super::modes::Reroute;
use serde::{Deserialize, Serialize};

/// `[triage]`. Absent: tickets enter at the first tier (files written before these keys).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTriage {
    /// Name of the `[[pools]]` entry whose agents triage (a pool that staffs no tier). Give
    /// this or `automatic_min`.
    #[serde(default)]
    pub pool: Option<String>,
    /// Automatic classification: no agents, this fixed time per classification [minutes].
    /// Give this or `pool`.
    #[serde(default)]
    pub automatic_min: Option<f64>,
    /// Classification time per channel with a triage pool [minutes] (`default` covers
    /// channels not listed). Required with `pool`.
    #[serde(default)]
    pub classify_min: Option<RawWorkTime>,
    /// Probability that a classification sends the ticket to a wrong tier. Default 0.
    #[serde(default)]
    pub misroute_share: f64,
    /// Share of the wrong tier's work time its agent spends before discovering the misroute.
    /// Default 0.5.
    #[serde(default = "half")]
    pub discovery_share: f64,
    /// Where a misrouted ticket goes once discovered: `"back_to_triage"` (classified again)
    /// or `"right_tier"` (the receiver forwards it). Default `"back_to_triage"`.
    #[serde(default)]
    pub misrouted_go: Reroute,
    /// Share of tickets whose priority triage corrects: a corrected ticket's priority is
    /// drawn afresh from `corrected_priorities`; the rest keep the customer's choice.
    /// Default 0.
    #[serde(default)]
    pub priority_correction_share: f64,
    /// The priority mix triage assigns to the tickets it corrects. Required when
    /// `priority_correction_share` > 0.
    #[serde(default)]
    pub corrected_priorities: Option<super::RawPriorityMix>,
}

fn half() -> f64 {
    0.5
}
