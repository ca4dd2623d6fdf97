//! The hybrid model: a tiered L1 front line; what it escalates goes to an owner stage (a
//! dispatch swarm of owners from L2 up) instead of L2/L3 queues.

use super::Stage;
use crate::scenario::Scenario;

/// A tier stage at level 1, then the owner stage: the swarm ladder with the owner tier that
/// validation puts at 1 instead of 0.
pub fn stages(s: &Scenario) -> Vec<Stage> {
    super::swarm::stages(s)
}
