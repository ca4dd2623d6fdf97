//! Why a roster cannot be built.

use crate::scenario::ScenarioError;
use crate::study::requirements::RequirementsError;
use crate::study::staff::StaffError;

/// Why a roster cannot be built or verified.
#[derive(Debug, thiserror::Error)]
pub enum RosterError {
    /// A `[roster]` key is wrong.
    #[error("{key}: {problem}")]
    Key {
        /// Key path, like `roster.lengths_hours`.
        key: String,
        /// What is wrong and how to fix it.
        problem: String,
    },
    /// The model merges a rostered pool with others: requirements are per merged pool.
    #[error(
        "pool {pool:?} is merged by the model with [{members}]: roster plans file pools one by one; mark all but one of them `keep = true` in [[roster.pools]] or use a tiered model"
    )]
    MergedPool {
        /// File pool.
        pool: String,
        /// Members of the merged pool.
        members: String,
    },
    /// The integer program failed.
    #[error("integer program of pool {pool:?}: {reason}")]
    Solver {
        /// File pool.
        pool: String,
        /// Solver's reason.
        reason: String,
    },
    /// Calendar arithmetic failed.
    #[error("shift pattern times: {0}")]
    Calendar(String),
    /// Requirements failed.
    #[error(transparent)]
    Requirements(#[from] RequirementsError),
    /// Targets or settings (shared with `staff`).
    #[error(transparent)]
    Staff(#[from] StaffError),
    /// The file with the roster's shifts does not validate.
    #[error("the rostered scenario does not validate: {0}")]
    Rostered(Box<ScenarioError>),
}
