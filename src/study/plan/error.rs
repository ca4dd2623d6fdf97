//! Why a capacity plan could not be set up or run.

use crate::scenario::ScenarioError;
use crate::study::staff::StaffError;

/// A capacity plan's error: the file (with the `[plan]` key path), a target, or the run.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// The file has no `[plan]` table.
    #[error(
        "{file}: no [plan] table; add one, e.g.\n[plan]\nhorizon_months = 12\ntargets = [\"first_response.all.attainment >= 0.9\"]"
    )]
    NoPlan {
        /// The scenario file.
        file: String,
    },
    /// A `[plan]` key (or the scenario built from it) is invalid: file, key path, problem.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// A target does not parse against the scenario.
    #[error(transparent)]
    Target(#[from] StaffError),
    /// A target parses but has no monthly value in a plan.
    #[error(
        "target {expr:?}: a plan checks every month, and only SLA attainment (`first_response.<group>.attainment`, `resolution.<group>.attainment`), mean resolution time (`resolution.<group>.mean_hours`) and utilisation (`utilisation.<pool>`) are kept per month; use one of those (p90s and abandonment: `supportsim staff` on one month)"
    )]
    Unsupported {
        /// The expression.
        expr: String,
    },
    /// Neither `--target` nor `plan.targets`.
    #[error(
        "no targets: give `--target EXPR` (repeatable) or `targets = [...]` in [plan], e.g. \"first_response.all.attainment >= 0.9\""
    )]
    NoTargets,
}
