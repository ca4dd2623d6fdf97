//! The cost of a staffing vector: labour money when the file prices every pool by the hour,
//! else paid agent-hours.

use crate::scenario::Scenario;
use crate::study::sweep;

/// What a staffing vector costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CostModel {
    /// Paid agent-hours per week ([`sweep::agent_hours_per_week`]).
    AgentHoursPerWeek,
    /// Labour cost per week [USD/week]: internal pools' scheduled hours x `cost_per_hour_usd`
    /// plus hourly contracts' bills (logged hours with their floor and flex band), used when
    /// the file prices every pool by the hour.
    LabourUsdPerWeek,
}

impl CostModel {
    /// Column / key name of the cost.
    pub fn name(self) -> &'static str {
        match self {
            CostModel::AgentHoursPerWeek => "agent_hours_per_week",
            CostModel::LabourUsdPerWeek => "labour_cost_usd_per_week",
        }
    }

    /// The cost of a scenario.
    pub fn cost(self, s: &Scenario) -> f64 {
        match self {
            CostModel::AgentHoursPerWeek => sweep::agent_hours_per_week(s),
            CostModel::LabourUsdPerWeek => s.costs.as_ref().map_or(0.0, |c| c.labour_per_week),
        }
    }

    /// Money when the file prices every pool by the hour, else paid agent-hours.
    pub fn for_scenario(s: &Scenario) -> CostModel {
        let hourly = |p: &crate::scenario::raw::RawPool| {
            p.cost_per_hour_usd.is_some()
                || p.contract
                    .as_ref()
                    .is_some_and(|c| c.price_per_logged_hour_usd.is_some())
        };
        if s.raw.pools.iter().all(hourly) {
            CostModel::LabourUsdPerWeek
        } else {
            CostModel::AgentHoursPerWeek
        }
    }
}
