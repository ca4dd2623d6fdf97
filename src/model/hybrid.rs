//! The hybrid model: a tiered L1 front line; what it escalates goes to an owner stage (a
//! dispatch swarm of owners from L2 up) instead of L2/L3 queues.

use super::{Stage, StageRule, ladder};
use crate::scenario::Scenario;

/// A tier stage at level 1, then the owner stage (validation puts the owner tier at 1).
pub fn stages(s: &Scenario) -> Vec<Stage> {
    let owner = s.swarm.as_ref().map_or(usize::MAX, |w| w.owner_tier);
    ladder(s, |k| {
        if k == owner {
            StageRule::Owner
        } else {
            StageRule::Tier
        }
    })
}
