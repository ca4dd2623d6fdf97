//! The pooled-tiered model: tiered routing and handoffs, but the first n tiers share one
//! merged pool and one queue (validation merges the pools). It separates what pooling gains
//! from what collaboration gains when set beside the swarm model.

use super::{Stage, StageRule, ladder};
use crate::scenario::Scenario;

/// Tier stages; tiers sharing the merged pool share its queue.
pub fn stages(s: &Scenario) -> Vec<Stage> {
    ladder(s, |_| StageRule::Tier)
}
