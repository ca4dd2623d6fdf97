//! `[roster]`: the shift patterns `supportsim roster` may use (ignored by every other command).

use super::Day;
use serde::{Deserialize, Serialize};

/// `[roster]`: which shift patterns the roster's integer program chooses from, and the limit
/// of its simulate-and-repair loop. Every key is optional; see `study::roster` for the
/// defaults.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRoster {
    /// Grid of shift start times [minutes], a multiple of 15 dividing a day. Default 60.
    #[serde(default)]
    pub start_step_min: Option<u32>,
    /// Earliest local start `HH:MM`. Default `00:00`.
    #[serde(default)]
    pub earliest_start: Option<String>,
    /// Latest local start `HH:MM`. Default the last grid time of the day.
    #[serde(default)]
    pub latest_start: Option<String>,
    /// Paid shift lengths [hours], multiples of 0.25 up to 24 (shorter ones are part-time).
    /// Default `[8, 4]`.
    #[serde(default)]
    pub lengths_hours: Option<Vec<f64>>,
    /// Days-on patterns: each a list of days a shift starts on. Default Monday-Friday and
    /// Saturday-Sunday.
    #[serde(default)]
    pub days: Option<Vec<Vec<Day>>>,
    /// Time zone of the starts. Default: each pool's first shift's zone, else
    /// `demand.timezone`.
    #[serde(default)]
    pub timezone: Option<String>,
    /// Most simulate-and-repair rounds after the first roster. Default 6.
    #[serde(default)]
    pub max_repairs: Option<u32>,
    /// Most simulations of the trim that removes agents no target needs, once every target
    /// holds. Default 200; 0 keeps the program's (and repairs') roster as it is.
    #[serde(default)]
    pub max_trim_evaluations: Option<u32>,
    /// Per pool (by file pool name): overrides of the keys above, a price and a cap.
    #[serde(default)]
    pub pools: Vec<RawRosterPool>,
}

/// `[[roster.pools]]`: one pool's own patterns or price.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRosterPool {
    /// File pool name.
    pub name: String,
    /// Paid shift lengths [hours] of this pool.
    #[serde(default)]
    pub lengths_hours: Option<Vec<f64>>,
    /// Days-on patterns of this pool.
    #[serde(default)]
    pub days: Option<Vec<Vec<Day>>>,
    /// Time zone of this pool's starts (a pool in another region: per-zone shifts).
    #[serde(default)]
    pub timezone: Option<String>,
    /// Earliest local start `HH:MM` of this pool.
    #[serde(default)]
    pub earliest_start: Option<String>,
    /// Latest local start `HH:MM` of this pool.
    #[serde(default)]
    pub latest_start: Option<String>,
    /// Cost per paid hour [USD/hour]. Default the pool's `cost_per_hour_usd`, else 1 (the
    /// roster then minimises paid agent-hours).
    #[serde(default)]
    pub cost_per_hour_usd: Option<f64>,
    /// Leave this pool's file staffing as it is.
    #[serde(default)]
    pub keep: bool,
}
