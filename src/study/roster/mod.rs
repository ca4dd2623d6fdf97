//! Rosters: how many agents work each allowed shift pattern so that the interval
//! requirements are covered at least weekly cost, then verified and repaired by simulation.
//!
//! # Method
//! 1. **Requirements** per pool per interval of the typical week come from
//!    [`crate::study::requirements`] (scheduled agents, shrinkage included).
//! 2. **Patterns** ([`patterns`]): per rostered pool (every internal pool not marked
//!    `keep` in `[[roster.pools]]`), every start on the grid (`roster.start_step_min`,
//!    default 60, from `earliest_start` to `latest_start`, default the whole day) x every
//!    paid length (`lengths_hours`, default 8 and 4: full and part time) x every days-on
//!    pattern (`days`, default Monday-Friday and Saturday-Sunday), in the pool's zone
//!    (`timezone`, per pool or for all: per-zone shifts; default the pool's first shift's
//!    zone, else `demand.timezone`). A pattern costs its paid hours per week x the pool's
//!    price (`cost_per_hour_usd` of `[[roster.pools]]` or of the pool); when some rostered
//!    pool has no price every price is 1 and the cost is paid agent-hours. Breaks are
//!    not patterns of their own: they are in the pool's shrinkage, which the requirement
//!    already adds.
//! 3. **Integer program** per pool ([`solve`]): minimise the weekly cost subject to
//!    covering every interval's requirement; pools are independent (each has its own
//!    requirement and patterns), so each is its own program. An interval no pattern can
//!    cover is left out and reported.
//! 4. **Simulate and repair** ([`repair`]): run the roster (same seed and replications in
//!    every round: common random numbers) and check the targets with their one-sided
//!    bounds (as `staff` does). While one fails, every pool whose queue shows a shortfall
//!    gets one more required agent in the intervals of the typical week where its mean
//!    queue is at least half its peak (and at least one ticket), and the program is solved
//!    again; at most `roster.max_repairs` rounds (default 6).
//! 5. **Trim** ([`trim`]): once every target holds, agents are removed one at a time, largest
//!    saving first, while every target still holds on the round seed: the requirement is
//!    sized for every SLA cell of the file, the targets are often looser. At most
//!    `roster.max_trim_evaluations` simulations (default 200; 0 = no trim).
//! 6. The final roster is confirmed on a fresh seed
//!    ([`crate::study::staff::confirmation_seed`]); when a trimmed roster fails there, its
//!    removals are undone, the last first, until it holds.

mod error;
pub mod patterns;
pub mod repair;
pub mod solve;
pub mod trim;

pub use error::RosterError;
pub use patterns::{Pattern, patterns, priced, rostered_pools};
pub use repair::{Outcome, Round, Settings, roster};
pub use trim::{DEFAULT_MAX_TRIM_EVALUATIONS, Trim};

use crate::scenario::Scenario;
use crate::scenario::raw::{RawScenario, RawShift};
use crate::study::requirements::Requirements;
use std::path::Path;

/// Default most simulate-and-repair rounds after the first roster.
pub const DEFAULT_MAX_REPAIRS: u32 = 6;

/// A roster: agents per pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct Roster {
    /// Agents per pattern (same order as the patterns).
    pub agents: Vec<u32>,
    /// Weekly cost (USD when [`priced`], else paid agent-hours).
    pub cost_per_week: f64,
    /// Every pool's program proven optimal.
    pub optimal: bool,
    /// `(file pool, interval)` with a requirement no pattern covers.
    pub uncovered: Vec<(usize, usize)>,
}

/// The model pool (index into `s.pools`) whose requirement a file pool carries.
///
/// # Errors
/// [`RosterError::MergedPool`] when the model merges the pool with others.
pub fn model_pool(s: &Scenario, file_pool: usize) -> Result<usize, RosterError> {
    let name = &s.raw.pools[file_pool].name;
    let (m, pool) = s
        .pools
        .iter()
        .enumerate()
        .find(|(_, p)| p.members.contains(name))
        .ok_or_else(|| RosterError::MergedPool {
            pool: name.clone(),
            members: String::new(),
        })?;
    if pool.members.len() > 1 {
        return Err(RosterError::MergedPool {
            pool: name.clone(),
            members: pool.members.join(", "),
        });
    }
    Ok(m)
}

/// The least-cost roster covering `req` plus `extra[file pool][interval]` agents. `wait` is
/// called every [`solve::POLL_MS`] ms while a solver runs (the CLI's signal checkpoint, so a
/// long branch and bound can be interrupted).
///
/// # Errors
/// A merged pool or a solver failure.
pub fn build(
    s: &Scenario,
    req: &Requirements,
    pats: &[Pattern],
    extra: &[Vec<u32>],
    wait: &(dyn Fn() + Sync),
) -> Result<Roster, RosterError> {
    let mut agents = vec![0; pats.len()];
    let mut cost = 0.0;
    let mut optimal = true;
    let mut uncovered = Vec::new();
    for pool in rostered_pools(s) {
        let m = model_pool(s, pool)?;
        let idx: Vec<usize> = (0..pats.len()).filter(|&k| pats[k].pool == pool).collect();
        let need: Vec<u32> = req.pools[m]
            .rows
            .iter()
            .enumerate()
            .map(|(j, r)| r.required_scheduled + extra[pool][j])
            .collect();
        let costs: Vec<f64> = idx.iter().map(|&k| pats[k].cost_per_week).collect();
        let cover: Vec<Vec<f64>> = idx.iter().map(|&k| pats[k].coverage.clone()).collect();
        let sol = solve::solve_pool_waiting(&s.raw.pools[pool].name, &costs, &cover, &need, wait)?;
        for (&k, a) in idx.iter().zip(&sol.agents) {
            agents[k] = *a;
        }
        cost += sol.cost;
        optimal &= sol.optimal;
        uncovered.extend(sol.uncovered.into_iter().map(|j| (pool, j)));
    }
    Ok(Roster {
        agents,
        cost_per_week: cost,
        optimal,
        uncovered,
    })
}

/// Scheduled agents of file pool `pool` per interval under `roster`.
pub fn coverage(pats: &[Pattern], roster: &Roster, pool: usize) -> Vec<f64> {
    let n = pats.first().map_or(0, |p| p.coverage.len());
    let mut out = vec![0.0; n];
    for (p, a) in pats.iter().zip(&roster.agents) {
        if p.pool == pool && *a > 0 {
            for (o, c) in out.iter_mut().zip(&p.coverage) {
                *o += c * f64::from(*a);
            }
        }
    }
    out
}

/// The scenario file with each rostered pool's shifts replaced by the roster's patterns
/// (named by [`Pattern::label`]).
pub fn apply(raw: &RawScenario, pats: &[Pattern], roster: &Roster) -> RawScenario {
    let mut out = raw.clone();
    let pools: Vec<usize> = pats.iter().map(|p| p.pool).collect();
    for &pool in &pools {
        let rp = &mut out.pools[pool];
        rp.shifts.clear();
        rp.hours = None;
        rp.headcount = 0;
    }
    for (p, a) in pats.iter().zip(&roster.agents) {
        if *a == 0 {
            continue;
        }
        out.pools[p.pool].shifts.push(RawShift {
            name: Some(p.label()),
            days: p.days.clone(),
            start: patterns::hhmm(u32::from(p.start_min)),
            end: patterns::hhmm(u32::from(p.end_min())),
            timezone: Some(p.timezone.clone()),
            headcount: *a,
        });
    }
    out
}

/// The scenario with `roster` applied, validated.
///
/// # Errors
/// The rostered file fails validation.
pub fn scenario(
    base: &Scenario,
    pats: &[Pattern],
    roster: &Roster,
    origin: &Path,
) -> Result<Scenario, RosterError> {
    Scenario::from_raw(apply(&base.raw, pats, roster), origin)
        .map_err(|e| RosterError::Rostered(Box::new(e)))
}

#[cfg(test)]
mod tests;
