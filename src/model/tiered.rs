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
#[inline(always)]
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
    let (work, resolve_factor) = match t.skill {
        None => (&tier.work[t.channel], tier.resolve_factor),
        Some((pool, cat)) => {
            let k = s.skills.as_ref().expect("routing implies skills");
            let pr = k.of(pool as usize, cat as usize);
            let w = pr
                .work
                .as_ref()
                .map_or(&tier.work[t.channel], |w| &w[t.channel]);
            (w, pr.resolve_factor)
        }
    };
    *dur += d.time(work, sid(st, slot::WORK));
    let passed_up = resolve_factor < 1.0
        && stage.up.is_some()
        && !d.chance(sid(st, slot::QUALITY), resolve_factor);
    if t.level <= stage.tier + 1 && !passed_up {
        Outcome::Resolve
    } else {
        *dur += d.time(&tier.write_up, sid(st, slot::WRITE_UP));
        Outcome::Escalate
    }
}
