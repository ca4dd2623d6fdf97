//! `[plan]`: the capacity plan `supportsim plan` runs over months (ignored by every other
//! command; `docs/planning.md`, section 3).

use super::{OrderedMap, RawRamp};
use serde::{Deserialize, Serialize};

/// `[plan]`: horizon, monthly volume, hiring, attrition, training and the search's limits.
/// Every key but `horizon_months` is optional; see `study::plan` for the defaults.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPlan {
    /// Months planned from the start of the measured window (`run.start_date` +
    /// `run.warmup_days`), 1..=18.
    pub horizon_months: u32,
    /// Compound volume growth [fraction/month] over the plan; replaces
    /// `demand.growth_per_month` (which a fit of `supportsim calibrate` may have written).
    /// Default: `demand.growth_per_month`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub growth_per_month: Option<f64>,
    /// Explicit monthly forecast: one factor per plan month on the file's volume (1 = the
    /// file's `[demand]` volume); growth is then 0. Not with `growth_per_month`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_factors: Option<Vec<f64>>,
    /// Weeks a new hire is paid but not on duty (training). Default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub training_weeks: Option<f64>,
    /// One-off cost of each hire [USD] (recruiting, onboarding). Default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hire_cost_usd: Option<f64>,
    /// Monthly attrition per file pool [fraction of its agents leaving per month], e.g.
    /// `attrition = { l1 = 0.03 }`. Default 0 for every pool.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attrition: Option<OrderedMap<f64>>,
    /// New hires' ramp per file pool, after training: the work-time factor starts at
    /// `start_factor` and falls linearly to 1 over `weeks` (the pool `ramp` model, for each
    /// cohort from its first day on duty), e.g. `l1 = { start_factor = 1.5, weeks = 8 }`.
    /// Default: hires work at full speed. (A pool's own `ramp` keeps its meaning: the whole
    /// team at the run's start.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ramp: Option<OrderedMap<RawRamp>>,
    /// Hires already decided (the search adds to them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hires: Vec<RawHire>,
    /// Targets every plan month must meet, as `staff --target` (`--target` replaces them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<String>,
    /// Replications of each plan evaluation. Default 8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replications: Option<u32>,
    /// Most hires the search adds before it stops. Default 60.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_hires: Option<u32>,
}

/// `[[plan.hires]]`: a cohort of new hires.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHire {
    /// First paid day, local date `YYYY-MM-DD` (training starts then).
    pub date: String,
    /// File pool name.
    pub pool: String,
    /// Agents hired.
    pub count: u32,
}
