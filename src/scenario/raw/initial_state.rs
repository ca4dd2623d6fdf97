//! `[initial_state]` as written (validated in `scenario::backlog`; `docs/history.md`).

use serde::{Deserialize, Serialize};

/// `[initial_state]`: the backlog a run starts with, from a file of open tickets and/or
/// counts per stage x priority.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawInitialState {
    /// CSV file of open tickets, one row each (path relative to the scenario file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Groups of identical open tickets.
    #[serde(default)]
    pub open: Vec<RawOpenGroup>,
    /// Business-hours SLA clocks count the open minutes of each ticket's age, the calendar
    /// extended back before the start date. Default false: they start at t = 0.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub age_on_business_clocks: bool,
}

/// `[[initial_state.open]]`: `count` open tickets waiting at one stage.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOpenGroup {
    /// The tier they wait at: `"L1"`, `"L2"`, `"L3"`.
    pub stage: String,
    /// Priority, one of `demand.priority_names` (`"P1"`..`"P4"` by default).
    pub priority: String,
    /// How many tickets.
    pub count: u32,
    /// Age at t = 0: minutes since each was opened [minutes].
    pub age_min: f64,
    /// With it, ages are spread evenly from `age_min` to this [minutes]. Default: all `age_min`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_max_min: Option<f64>,
    /// Channel. Default the first asynchronous channel (`"email"` by default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// Segment name. Default: the first segment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment: Option<String>,
    /// Category name (with `[categories]`). Default: the first category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Required level 1..4. Default: the stage's own level (resolved there).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_level: Option<u8>,
    /// First response already given. Default false.
    #[serde(default)]
    pub responded: bool,
    /// In service at t = 0 (on an agent of the stage's pool, the rest of its work drawn from
    /// the residual distribution). Default false: waiting.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub in_service: bool,
    /// With `in_service`: minutes it has been worked already [minutes]. Default: unknown (the
    /// equilibrium residual).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_service_min: Option<f64>,
}
