//! Staffing search: the lowest-cost headcount per pool such that every target holds with its
//! one-sided confidence bound on the right side.
//!
//! # Targets
//! `<what> <op> <number>` with `op` one of `>=`, `<=` (see [`parse_target`]):
//! `first_response.P1.attainment >= 0.95`, `resolution.all.p90_hours <= 24`,
//! `abandonment <= 0.05`, `utilisation.l2 <= 0.85`. A `>=` target holds when the lower
//! one-sided bound `mean - t(conf, n-1) x SE` over replications is at or above the threshold;
//! a `<=` target when the upper bound `mean + t x SE` is at or below it. The margin is
//! `bound - threshold` (for `>=`) or `threshold - bound` (for `<=`): non-negative when met.
//!
//! # Search
//! Only the headcounts of the searched pools change (`pools.<name>.headcount` of the file, or
//! for a pool staffed by shifts each shift's `pools.<name>.shifts.<shift>.headcount`,
//! the agents on duty during the pool's hours); every other key stays as in the file.
//! 0. **Reach**: `attainment >=` targets that no headcount can reach, because tickets arrive
//!    while the intake pool has nobody scheduled and the SLA clock runs out before its next
//!    shift, are refused at once with the hours and the fix ([`reach`]).
//! 1. **Start** (Erlang-based): per pool, the smallest headcount whose estimated occupancy
//!    (offered load in erlangs from
//!    [`pool_loads`](crate::model::load::pool_loads) over the agents it keeps on duty on
//!    average) is at most [`PLANNING_OCCUPANCY`]. Occupancy rather than Erlang C on a busy
//!    hour, because support pools staff only part of the week while tickets keep arriving:
//!    the backlog carried into opening hours is what the pool must absorb, which the mean
//!    load over on-duty time captures and a steady-state busy-hour queue does not.
//! 2. **Evaluate** a headcount vector by running the scenario with the same seed and
//!    replications as every other candidate (common random numbers) and computing each
//!    target's bound and margin. Evaluations are cached by headcount vector; the count
//!    reported is of distinct vectors simulated.
//! 3. **Repair** (marginal analysis) while infeasible: evaluate +1 agent in each pool and take
//!    the pool with the largest drop in total normalised shortfall (sum over targets of
//!    `max(0, -margin) / |threshold|`) per unit of added cost; ties go to the earlier pool.
//!    A pool may not exceed [`cap`] (10x its start, at least 10, at most 1,000): reaching it
//!    with targets still failing is an error naming the worst target. A utilisation floor
//!    (`utilisation.<pool> >= x`) is left out of that shortfall, since an added agent only
//!    lowers utilisation: once every other target holds, agents are removed instead (the
//!    removal that most narrows the floors' shortfall while the other targets hold) until the
//!    floors hold, and no such removal left is an error naming the floor.
//! 4. **Descent**: try removing one agent from each pool, largest cost saving first, and keep
//!    the first removal that stays feasible; repeat until no single removal does. Then try
//!    swaps (-1 in one pool, +1 in another) that lower the cost, or keep it equal and give a
//!    lexicographically smaller vector; after an accepted swap, descend again. No pool goes
//!    below its [`stability_floor`] (estimated utilisation below 1): an overloaded pool can
//!    *improve* time metrics over resolved tickets, because its slow tickets never resolve.
//! 5. **Confirm** on fresh random numbers: seed [`confirmation_seed`] (the search seed plus
//!    1,000,000) with the confirmation replications. If a target fails there, agents are added
//!    by marginal analysis on the confirmation seed until all hold (bounded by the caps), and
//!    the outcome says how many were added.
//!
//! Cost is [`CostModel::LabourUsdPerWeek`] when the file prices every pool by the hour
//! (internal `cost_per_hour_usd` or an outsourced `price_per_logged_hour_usd`), else
//! [`CostModel::AgentHoursPerWeek`] ([`crate::study::sweep::agent_hours_per_week`]). Ties in
//! cost between vectors are broken lexicographically (smaller headcount in the first searched
//! pool first).

mod cost;
mod error;
mod pools;
pub mod reach;
mod search;
mod target;

pub use cost::CostModel;
pub use error::{StaffError, TargetError};
pub use pools::{erlang_start, parse_pools, pool_of_unit, stability_floor};
pub use reach::unreachable as unreachable_targets;
pub use search::{Eval, Evaluator, Outcome, search, search_from};
pub use target::{Op, Target, TargetResult, parse_target, parse_targets, t_one_sided};

use crate::scenario::Scenario;
use crate::study::sweep;
use std::path::{Path, PathBuf};
use toml::Value;

/// Highest one-sided confidence a search accepts: at 0.999999999 the Student t of two
/// replications is about 3e8, so every bound is meaningless and the search hires to its cap.
pub const MAX_CONFIDENCE: f64 = 0.999;

/// Planning occupancy of the Erlang-based start: the highest estimated share of on-duty time
/// an agent may be busy.
pub const PLANNING_OCCUPANCY: f64 = 0.85;

/// Largest headcount the search gives any pool.
pub const MAX_HEADCOUNT: u32 = 1_000;

/// Most marginal-analysis steps of one repair.
pub(crate) const MAX_REPAIR_STEPS: usize = 2_000;

/// The headcount cap of a pool whose search starts at `start`: 10x the start, at least 10,
/// at most [`MAX_HEADCOUNT`].
pub fn cap(start: u32) -> u32 {
    start.saturating_mul(10).clamp(10, MAX_HEADCOUNT)
}

/// The seed of the confirmation run: `seed + 1,000,000` (wrapping, kept within TOML's integer
/// range), so the confirmation sees random numbers the search never saw.
pub fn confirmation_seed(seed: u64) -> u64 {
    seed.wrapping_add(1_000_000) & (i64::MAX as u64)
}

/// The staffing problem: what is searched, against which targets, on which random numbers.
#[derive(Debug, Clone)]
pub struct Problem {
    /// The scenario as a TOML tree ([`sweep::base_tree`]).
    pub tree: Value,
    /// The scenario file (for messages and validation).
    pub origin: PathBuf,
    /// Searched pools (file names).
    pub pools: Vec<String>,
    /// Targets.
    pub targets: Vec<Target>,
    /// One-sided confidence level of the bounds.
    pub confidence: f64,
    /// Seed of the search.
    pub seed: u64,
    /// Replications per search evaluation.
    pub replications: u32,
    /// Replications of the confirmation.
    pub confirm_replications: u32,
    /// Cost model.
    pub cost: CostModel,
    /// Lowest headcount per searched pool ([`stability_floor`]).
    pub floor: Vec<u32>,
}

impl Problem {
    /// The scenario with `headcount` in the searched pools, run on `seed` with `reps`
    /// replications.
    ///
    /// # Errors
    /// Validation failures, naming the point.
    pub fn scenario(
        &self,
        headcount: &[u32],
        seed: u64,
        reps: u32,
    ) -> Result<Scenario, StaffError> {
        let mut settings: Vec<(String, Value)> = self
            .pools
            .iter()
            .zip(headcount)
            .map(|(p, &h)| (format!("pools.{p}.headcount"), Value::Integer(i64::from(h))))
            .collect();
        settings.push(("run.seed".into(), Value::Integer(seed as i64)));
        settings.push(("run.replications".into(), Value::Integer(i64::from(reps))));
        Ok(sweep::apply(&self.tree, &settings, &self.origin)?)
    }
}

/// The problem for a scenario file: base tree, pools and targets parsed.
///
/// # Errors
/// Bad `--pools` or `--target`, or a scenario that cannot be represented.
#[allow(clippy::too_many_arguments)]
pub fn problem(
    base: &Scenario,
    origin: &Path,
    targets: &[String],
    pools: Option<&str>,
    confidence: f64,
    seed: u64,
    replications: u32,
    confirm_replications: u32,
) -> Result<Problem, StaffError> {
    if !(confidence > 0.5 && confidence <= MAX_CONFIDENCE) {
        return Err(StaffError::Confidence { confidence });
    }
    if replications < 2 || confirm_replications < 2 {
        return Err(StaffError::TooFewReplications);
    }
    let targets = parse_targets(targets, base)?;
    let pools = parse_pools(pools, base)?;
    // Before any simulation: a target the file's hours cannot reach fails now, saying why.
    let reasons = unreachable_targets(base, &targets);
    if !reasons.is_empty() {
        return Err(StaffError::NoHeadcountReaches { reasons });
    }
    let floor = stability_floor(base, &pools);
    Ok(Problem {
        floor,
        tree: sweep::base_tree(&base.raw)?,
        origin: origin.to_path_buf(),
        pools,
        targets,
        confidence,
        seed,
        replications,
        confirm_replications,
        cost: CostModel::for_scenario(base),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::load::pool_loads;

    fn tiered() -> Scenario {
        let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/saas-midmarket-tiered.toml");
        Scenario::load(&p).unwrap()
    }

    #[test]
    fn targets_parse_to_metrics_groups_and_units() {
        let s = tiered();
        let t = parse_target("first_response.P1.attainment >= 0.95", &s).unwrap();
        assert_eq!(
            (t.metric, t.group.as_str(), t.op, t.threshold),
            (
                "sla_first_response_attainment",
                "priority=P1",
                Op::AtLeast,
                0.95
            )
        );
        let t = parse_target("resolution.all.p90_hours<=24", &s).unwrap();
        assert_eq!(t.metric, "resolution_time_p90_min");
        assert_eq!(t.group, "all");
        assert!((t.scale - 1.0 / 60.0).abs() < 1e-15);
        let t = parse_target("resolution.P1/enterprise.attainment >= 90%", &s).unwrap();
        assert_eq!(t.group, "target=P1/enterprise");
        assert!((t.threshold - 0.9).abs() < 1e-12);
        let t = parse_target("first_response.smb.attainment >= 0.9", &s).unwrap();
        assert_eq!(t.group, "segment=smb");
        let t = parse_target("abandonment <= 0.05", &s).unwrap();
        assert_eq!((t.metric, t.group.as_str()), ("abandonment_rate", "all"));
        let t = parse_target("abandonment.chat <= 0.05", &s).unwrap();
        assert_eq!(t.group, "channel=chat");
        let t = parse_target("utilisation.l2 <= 0.85", &s).unwrap();
        assert_eq!(t.group, "pool=l2");
        let t = parse_target("first_response.P2.mean_min <= 30", &s).unwrap();
        assert_eq!(t.metric, "first_response_time_min");
    }

    #[test]
    fn one_sided_bound_uses_student_t() {
        assert!((t_one_sided(11, 0.95) - 1.812_461).abs() < 1e-5);
        assert!(t_one_sided(1, 0.95).is_nan());
        assert_eq!(confirmation_seed(7), 1_000_007);
        assert_eq!(cap(3), 30);
        assert_eq!(cap(0), 10);
        assert_eq!(cap(500), MAX_HEADCOUNT);
    }

    #[test]
    fn erlang_start_keeps_occupancy_under_the_planning_level() {
        // One headcount per pool (the bundled file's shifts become one unit each).
        let mut raw = tiered().raw;
        for (pool, n) in raw.pools.iter_mut().zip([6, 5, 3]) {
            pool.shifts.clear();
            pool.headcount = n;
            pool.hours = Some(crate::scenario::raw::RawHours {
                days: ["mon", "tue", "wed", "thu", "fri"]
                    .map(String::from)
                    .to_vec(),
                start: "08:00".into(),
                end: "21:00".into(),
            });
        }
        let s = Scenario::from_raw(raw, Path::new("<test>")).unwrap();
        let pools = parse_pools(None, &s).unwrap();
        let start = erlang_start(&s, &pools);
        let loads = pool_loads(&s);
        for ((h, l), p) in start.iter().zip(&loads).zip(&s.pools) {
            let duty = l.mean_staffed / f64::from(p.headcount);
            let occ = |n: u32| l.offered_erlangs / (f64::from(n) * duty);
            assert!(occ(*h) <= PLANNING_OCCUPANCY, "{}: {h}", p.name);
            assert!(
                *h == 1 || occ(h - 1) > PLANNING_OCCUPANCY,
                "{}: {h}",
                p.name
            );
        }
    }
}
