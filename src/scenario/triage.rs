//! Triage after validation: who classifies, how long it takes, how often it misroutes.

use super::Dist;
use super::raw::Reroute;

/// The validated `[triage]` table.
#[derive(Debug, Clone)]
pub struct Triage {
    /// The triage pool (index into `Scenario::pools`); `None` = automatic.
    pub pool: Option<usize>,
    /// Classification time per channel [minutes] (the fixed time when automatic).
    pub classify: Vec<Dist>,
    /// Probability that a classification picks a wrong tier.
    pub misroute_p: f64,
    /// Share of the wrong tier's work time spent before the misroute is discovered.
    pub discovery_share: f64,
    /// Where a discovered misroute goes.
    pub reroute: Reroute,
    /// Probability that triage corrects a ticket's priority.
    pub correction_p: f64,
    /// Cumulative priority mix of corrected tickets, one entry per priority (the last is
    /// infinite, so a draw always finds one).
    pub corrected_cum: Vec<f64>,
}
