//! Trim: remove the agents the simulation shows the targets do not need.
//!
//! The requirement is sized for every SLA cell of the file in every interval (a P1 24x7
//! first response staffs every night), while the `--target` expressions a roster must meet
//! are often looser (an attainment over all tickets, a P90). So a roster that meets its
//! targets can carry agents no target needs. From such a roster, agents are removed one at a
//! time: the largest weekly saving first; among equal savings, the pattern whose hours had the
//! shortest mean queue in the last accepted simulation; then pattern order. A removal is kept
//! only when every target still holds on the round seed (common random numbers, so the
//! comparison is not noise). A pattern whose removal broke a target is not tried again:
//! removing agents elsewhere only lengthens the queues, so it would break again. A rostered
//! pool keeps at least one agent, and never goes below its stability floor (estimated
//! utilisation below 1, as in `staff`): an overloaded pool can *improve* time metrics over
//! resolved tickets, because its slow tickets never resolve. At most `max_evaluations`
//! simulations.
//!
//! Trimming to the edge on one seed selects rosters that were lucky on it, so the fresh-seed
//! confirmation may fail; [`restore`] then puts the removed agents back, the last removed
//! first, until the confirmation holds (at worst the untrimmed roster).

use super::repair::{Evaluation, Round};
use super::{Pattern, Roster, RosterError, model_pool};
use crate::montecarlo::MonteCarlo;
use crate::scenario::Scenario;

/// Default most simulations of the trim.
pub const DEFAULT_MAX_TRIM_EVALUATIONS: u32 = 200;

/// What the trim did.
#[derive(Debug, Clone)]
pub struct Trim {
    /// The trimmed roster and its simulation on the round seed (the one confirmed).
    pub round: Round,
    /// Patterns an agent was removed from, in the order of removal (after any restore).
    pub removed: Vec<usize>,
    /// Simulations run on the round seed.
    pub evaluations: u32,
    /// The evaluation budget ran out with removals still untried.
    pub limit_reached: bool,
    /// Agents put back because the confirmation failed a target.
    pub restored: u32,
    /// `(file pool, estimated utilisation one agent fewer would give)` of each pool where a
    /// removal was refused for stability rather than by a target: there the load, not the
    /// targets, sets the headcount.
    pub floored: Vec<(usize, f64)>,
    /// The round before each removal (parallel to `removed`), for [`restore`].
    before: Vec<Round>,
}

/// A roster with one agent fewer on pattern `k`, its cost recomputed.
pub fn without_one(pats: &[Pattern], r: &Roster, k: usize) -> Roster {
    let mut out = r.clone();
    out.agents[k] -= 1;
    out.cost_per_week = pats
        .iter()
        .zip(&out.agents)
        .map(|(p, a)| p.cost_per_week * f64::from(*a))
        .sum();
    out
}

/// Mean queue over the hours pattern `k` covers, from the per-interval queues of its pool.
fn queue_under(p: &Pattern, queue: &[f64]) -> f64 {
    let (mut q, mut w) = (0.0, 0.0);
    for (c, x) in p.coverage.iter().zip(queue) {
        q += c * x;
        w += c;
    }
    if w > 0.0 { q / w } else { 0.0 }
}

/// Mean queue per interval of each file pool with agents under `r`, from its simulation.
fn queues(
    base: &Scenario,
    pats: &[Pattern],
    r: &Roster,
    mc: &MonteCarlo,
    dt: f64,
) -> Result<Vec<(usize, Vec<f64>)>, RosterError> {
    let n = pats.first().map_or(0, |p| p.coverage.len());
    let mut out: Vec<(usize, Vec<f64>)> = Vec::new();
    for (p, a) in pats.iter().zip(&r.agents) {
        if *a > 0 && !out.iter().any(|x| x.0 == p.pool) {
            let m = model_pool(base, p.pool)?;
            out.push((p.pool, super::repair::queue_by_interval(mc, base, m, dt, n)));
        }
    }
    Ok(out)
}

/// Removal candidates of `r`, best first (see the module docs): patterns with an agent, not
/// `tried`, in a pool that keeps one; `queues` as from [`queues`].
pub fn candidates(
    pats: &[Pattern],
    r: &Roster,
    queues: &[(usize, Vec<f64>)],
    tried: &[bool],
) -> Vec<usize> {
    let total = |pool: usize| -> u32 {
        pats.iter()
            .zip(&r.agents)
            .filter(|(q, _)| q.pool == pool)
            .map(|(_, a)| *a)
            .sum()
    };
    let mut out: Vec<(f64, f64, usize)> = Vec::new();
    for (k, p) in pats.iter().enumerate() {
        if r.agents[k] == 0 || tried[k] || total(p.pool) <= 1 {
            continue;
        }
        let q = queues
            .iter()
            .find(|x| x.0 == p.pool)
            .map_or(0.0, |x| queue_under(p, &x.1));
        out.push((p.cost_per_week, q, k));
    }
    out.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then(a.1.total_cmp(&b.1))
            .then(a.2.cmp(&b.2))
    });
    out.into_iter().map(|x| x.2).collect()
}

/// What [`trim`] asks of a candidate roster.
pub enum Tried {
    /// Its simulation on the round seed.
    Simulated(Box<(Evaluation, MonteCarlo)>),
    /// Not simulated: the file pool's estimated utilisation (given) would reach 1.
    Overloaded(f64),
}

/// Trims `from` (a roster meeting every target on the round seed, with its simulation) by
/// the rule in the module docs; `eval` simulates a roster on the round seed, or refuses it
/// when it overloads the file pool given.
///
/// # Errors
/// A merged pool, or a rostered file that does not validate.
#[allow(clippy::too_many_arguments)]
pub fn trim(
    base: &Scenario,
    pats: &[Pattern],
    from: &Round,
    from_mc: MonteCarlo,
    dt: f64,
    max_evaluations: u32,
    eval: &mut dyn FnMut(&Roster, usize) -> Result<Tried, RosterError>,
) -> Result<Trim, RosterError> {
    let mut cur = Round {
        roster: from.roster.clone(),
        eval: from.eval.clone(),
        raised: Vec::new(),
    };
    let mut mc = from_mc;
    let mut tried = vec![false; pats.len()];
    let mut removed = Vec::new();
    let mut before = Vec::new();
    let mut floored = Vec::new();
    let mut evaluations = 0;
    let mut limit_reached = false;
    'outer: loop {
        let q = queues(base, pats, &cur.roster, &mc, dt)?;
        for k in candidates(pats, &cur.roster, &q, &tried) {
            if evaluations >= max_evaluations {
                limit_reached = true;
                break 'outer;
            }
            let r = without_one(pats, &cur.roster, k);
            let (e, m) = match eval(&r, pats[k].pool)? {
                Tried::Simulated(x) => *x,
                Tried::Overloaded(u) => {
                    tried[k] = true;
                    if !floored.iter().any(|f: &(usize, f64)| f.0 == pats[k].pool) {
                        floored.push((pats[k].pool, u));
                    }
                    continue;
                }
            };
            evaluations += 1;
            if e.feasible && e.unstable == 0 {
                let next = Round {
                    roster: r,
                    eval: e,
                    raised: Vec::new(),
                };
                before.push(std::mem::replace(&mut cur, next));
                mc = m;
                removed.push(k);
                continue 'outer;
            }
            tried[k] = true;
        }
        break;
    }
    Ok(Trim {
        round: cur,
        removed,
        evaluations,
        limit_reached,
        restored: 0,
        floored,
        before,
    })
}

/// Puts the trim's removed agents back, the last removed first, while `confirm` (a roster
/// on the confirmation seed) fails a target; returns the confirmation of the roster kept.
///
/// # Errors
/// A rostered file that does not validate.
pub fn restore(
    t: &mut Trim,
    first: Evaluation,
    confirm: &mut dyn FnMut(&Roster) -> Result<Evaluation, RosterError>,
) -> Result<Evaluation, RosterError> {
    let mut confirmed = first;
    while !confirmed.feasible
        && let Some(round) = t.before.pop()
    {
        t.removed.pop();
        t.round = round;
        t.restored += 1;
        confirmed = confirm(&t.round.roster)?;
    }
    Ok(confirmed)
}

#[cfg(test)]
mod tests;
