//! Capacity plan over months (`supportsim plan`, `[plan]`; `docs/planning.md`, section 3):
//! demand growing month by month, hires with training and the pool's ramp, attrition drawn
//! at random, and the search for the hires that keep every target through the horizon.
//!
//! # Run
//! The plan's scenario is the file over `horizon_months` calendar months from the start of
//! the measured window (warm-up and drain as in the file), with `plan.growth_per_month`
//! replacing the file's growth, or `plan.volume_factors` scaling each month's volume
//! ([`config`]). Each replication draws its agents' departures ([`staffing`]), scales the
//! pools' on-duty schedules to the productive agents, runs the engine once over the whole
//! horizon (backlog carried from month to month), and keeps only per-period counts: the
//! recorder counts SLA results per report period (`measure::periods`), the time series is
//! reduced at once ([`evaluate`]). Results per week and per month with t-based CIs across
//! replications come from [`measures`].
//!
//! # Search
//! Targets are `staff`'s (`--target` or `plan.targets`), checked in every month with the
//! one-sided bound at the confidence level. Starting from the file's hires:
//! 1. simulate the schedule on the search seed (the same for every schedule: common random
//!    numbers; an agent's departure depends only on its pool, hire day and number);
//! 2. find the first month that misses a target and that a hire can still reach (a hire made
//!    at the plan's start is on duty by then; earlier months are reported as unreachable);
//! 3. hire one agent, on the latest day that gets them through training by that month's
//!    start, into the pool that is short: the intake pool for a first-response target, the
//!    utilisation target's pool, otherwise the pool whose utilisation rose most since the
//!    first month;
//! 4. repeat until every reachable month holds or `plan.max_hires` hires were added;
//! 5. confirm on fresh random numbers (`staff::confirmation_seed`, as `staff` does): where a
//!    month still misses there, the same walk goes on on that seed, so the schedule holds on
//!    both (the hires added there are counted and reported).
//!
//! Each hire is as late and as small as the first miss allows, so the schedule is the
//! cheapest this greedy walk finds (no later removals are tried).

mod config;
mod error;
pub mod evaluate;
pub mod horizon;
pub mod measures;
pub mod search;
pub mod staffing;

pub use config::{
    DEFAULT_MAX_HIRES, DEFAULT_REPLICATIONS, Hire, MAX_HORIZON_MONTHS, Plan, Setup, setup,
};
pub use error::PlanError;
pub use evaluate::{Evaluation, RepPeriods, evaluate};
pub use measures::{Measure, PlanTarget, Span, plan_targets};
pub use search::{Outcome, Settings, Stop, search};

use crate::model::load::pool_loads;
use crate::scenario::error::Problem;
use crate::scenario::{Scenario, ScenarioError};
use std::path::Path;

/// The file's own targets (`plan.targets`), each checked on its own so every bad one is
/// reported with its key path (`plan.targets[1]`).
///
/// # Errors
/// [`PlanError::NoTargets`] for an empty list, else every target that does not parse or has
/// no monthly value, as one [`ScenarioError`] of `origin`.
pub fn file_targets(setup: &Setup, origin: &Path) -> Result<Vec<PlanTarget>, PlanError> {
    let exprs = &setup.plan.targets;
    if exprs.is_empty() {
        return Err(PlanError::NoTargets);
    }
    let mut out = Vec::with_capacity(exprs.len());
    let mut problems = Vec::new();
    for (i, e) in exprs.iter().enumerate() {
        match plan_targets(std::slice::from_ref(e), setup) {
            Ok(t) => out.extend(t),
            Err(err) => problems.push(Problem {
                path: format!("plan.targets[{i}]"),
                message: err.to_string(),
                location: None,
            }),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(ScenarioError::invalid(origin, problems).into())
    }
}

/// Checks `base`'s `[plan]` as `supportsim plan` would (every key, the plan's scenario, the
/// file's targets), for commands that only read the file (`validate`, `run`): a file is
/// valid for every command or for none. Does nothing without `[plan]`.
///
/// # Errors
/// As [`setup`] and [`file_targets`] (an empty target list is allowed: `--target` or
/// `plan --no-search` supply or skip them).
pub fn check(base: &Scenario, origin: &Path) -> Result<(), PlanError> {
    if base.raw.plan.is_none() {
        return Ok(());
    }
    let s = setup(base, origin)?;
    if s.plan.targets.is_empty() {
        return Ok(());
    }
    file_targets(&s, origin).map(|_| ())
}
use crate::study::staff::PLANNING_OCCUPANCY;

/// Agents each file pool needs in each month by the occupancy estimate (offered load over
/// the month at [`PLANNING_OCCUPANCY`], scaled from the file's staffing, the start of
/// `staff`): `[pool][month]`. A reference line for the charts, not the search's answer.
pub fn requirements(setup: &Setup) -> Vec<Vec<f64>> {
    let h = &setup.horizon;
    let mut out = vec![vec![f64::NAN; h.months.len()]; setup.pools.len()];
    for m in 0..h.months.len() {
        let mut s = setup.scenario.clone();
        s.run.warmup_min = h.months[m];
        s.run.horizon_min = h.month_end(m) - h.months[m];
        let loads = pool_loads(&s);
        for (p, row) in out.iter_mut().enumerate() {
            let q = setup.model_pool[p];
            let Some(l) = loads.get(q) else { continue };
            let heads: f64 = (0..setup.pools.len())
                .filter(|&x| setup.model_pool[x] == q)
                .map(|x| f64::from(setup.heads[x]))
                .sum();
            if l.mean_staffed > 0.0 && heads > 0.0 {
                let need = l.offered_erlangs / (PLANNING_OCCUPANCY * l.mean_staffed) * heads;
                row[m] = need * f64::from(setup.heads[p]) / heads;
            }
        }
    }
    out
}

/// A file pool whose offered load outgrows its agents in some months of a plan: its queue
/// grows without bound there, whatever the plan's targets say (a first-response target, for
/// instance, never looks past the entry tier).
#[derive(Debug, Clone, PartialEq)]
pub struct Overload {
    /// File pool index.
    pub pool: usize,
    /// The months (indices) in which it is overloaded, in order.
    pub months: Vec<usize>,
    /// The month in which the shortfall is largest.
    pub worst_month: usize,
    /// Agents its offered load needs in that month at an occupancy of 1 (the least that keeps
    /// up: no queue can be served faster than the work arrives).
    pub need_agents: f64,
    /// Productive agents the evaluated schedule has then (time mean over replications).
    pub productive_agents: f64,
}

/// Simulated utilisation from which a pool whose estimated load exceeds its agents is taken
/// as falling behind (a stable queue that busy has a mean wait of dozens of work times).
pub const SATURATED: f64 = 0.95;

/// The pools of `setup` whose offered load in a month needs more productive agents than `e`
/// gives them, and which the simulation keeps at least [`SATURATED`] busy, with `requirements` from [`requirements`] (at [`PLANNING_OCCUPANCY`], so the
/// need at occupancy 1 is that times the occupancy).
pub fn overloaded(setup: &Setup, e: &Evaluation, requirements: &[Vec<f64>]) -> Vec<Overload> {
    let mut out = Vec::new();
    for (p, need_by_month) in requirements.iter().enumerate() {
        let mut months = Vec::new();
        let mut worst: Option<(usize, f64, f64)> = None;
        for (m, need) in need_by_month.iter().enumerate() {
            let need = need * PLANNING_OCCUPANCY;
            let have = e
                .estimate(setup, Span::Month(m), &Measure::Productive(p))
                .mean;
            // The load estimate is analytic (the same routing as validate's), so the month
            // is flagged only where the simulation agrees: its pool is busy nearly all the
            // time it is on duty. An overloaded pool upstream holds work back from this
            // one, and the estimate does not see that.
            let busy = e
                .estimate(
                    setup,
                    Span::Month(m),
                    &Measure::Utilisation(setup.model_pool[p]),
                )
                .mean;
            let saturated = busy.is_finite() && busy >= SATURATED;
            if !(need.is_finite() && have.is_finite()) || need <= have || !saturated {
                continue;
            }
            months.push(m);
            if worst.is_none_or(|(_, n, h)| need - have > n - h) {
                worst = Some((m, need, have));
            }
        }
        if let Some((worst_month, need_agents, productive_agents)) = worst {
            out.push(Overload {
                pool: p,
                months,
                worst_month,
                need_agents,
                productive_agents,
            });
        }
    }
    out
}
