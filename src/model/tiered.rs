//! The tiered model: L1, L2, L3 stages on their own pools, each working its own level and
//! escalating what needs more (with write-up, handoff delay, re-gathering, re-explains and
//! bounce backs), and the L4 vendor above the top stage.

use super::{Draws, Outcome, Policy, Stage, StageRule, StepInput, ladder, sid, slot};
use crate::scenario::Scenario;

/// One tier stage per level, each on its tier's pool.
pub fn stages(s: &Scenario) -> Vec<Stage> {
    ladder(s, |_| StageRule::Tier)
}

/// A tier agent's work: its own level's work time; resolve what its level covers, else
/// write up and escalate. A pool that resolves less than the file's tier would
/// (`resolve_factor` < 1) passes the rest of its resolvable tickets up.
#[inline]
pub(crate) fn work<D: Draws>(
    s: &Scenario,
    p: &Policy,
    t: &StepInput,
    dur: &mut f64,
    d: &mut D,
) -> Outcome {
    let stage = &p.stages[t.stage];
    let tier = &s.tiers[stage.tier];
    let st = stage.stream;
    *dur += d.time(&tier.work[t.channel], sid(st, slot::WORK));
    let passed_up = tier.resolve_factor < 1.0
        && stage.up.is_some()
        && !d.chance(sid(st, slot::QUALITY), tier.resolve_factor);
    if t.level <= stage.tier + 1 && !passed_up {
        Outcome::Resolve
    } else {
        *dur += d.time(&tier.write_up, sid(st, slot::WRITE_UP));
        Outcome::Escalate
    }
}
