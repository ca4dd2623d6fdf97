//! The search itself: cached evaluation of headcount vectors on common random numbers, repair
//! by marginal analysis, descent by removals and swaps, and confirmation on a fresh seed.

use super::pools::unit_in_file;
use super::{
    MAX_REPAIR_STEPS, Problem, StaffError, TargetResult, cap, confirmation_seed, erlang_start,
};
use crate::scenario::Scenario;
use crate::study::sweep;
use std::collections::HashMap;

/// One evaluated headcount vector.
#[derive(Debug, Clone, PartialEq)]
pub struct Eval {
    /// 0-based order of evaluation.
    pub index: usize,
    /// Headcount per searched pool.
    pub headcount: Vec<u32>,
    /// Cost of the vector.
    pub cost: f64,
    /// Per target, in `--target` order.
    pub targets: Vec<TargetResult>,
    /// Every target met.
    pub feasible: bool,
    /// Smallest margin over targets divided by the target's [`Target::norm`] (NaN without data).
    pub worst_margin: f64,
    /// Sum over targets of the normalised shortfall `max(0, -margin) / norm` (a target without
    /// data counts 1).
    pub shortfall: f64,
    /// The part of `shortfall` from utilisation floors (`utilisation.<pool> >= x`), which
    /// adding agents cannot close: they are met by removing agents.
    pub floor_shortfall: f64,
    /// Replications stopped at the open-ticket cap.
    pub unstable: u32,
}

/// Evaluates headcount vectors on one seed, caching by vector and logging in order.
pub struct Evaluator<'a> {
    problem: &'a Problem,
    seed: u64,
    reps: u32,
    cache: HashMap<Vec<u32>, usize>,
    /// Every distinct evaluation, in order.
    pub log: Vec<Eval>,
    tick: &'a (dyn Fn() + Sync),
}

impl<'a> Evaluator<'a> {
    /// An evaluator on `seed` with `reps` replications; `tick` is called per replication run.
    pub fn new(problem: &'a Problem, seed: u64, reps: u32, tick: &'a (dyn Fn() + Sync)) -> Self {
        Evaluator {
            problem,
            seed,
            reps,
            cache: HashMap::new(),
            log: Vec::new(),
            tick,
        }
    }

    /// Evaluates several vectors (the new ones in parallel), in the order given.
    ///
    /// # Errors
    /// A vector whose scenario fails validation.
    pub fn eval_many(&mut self, hs: &[Vec<u32>]) -> Result<Vec<Eval>, StaffError> {
        let mut todo: Vec<Vec<u32>> = Vec::new();
        for h in hs {
            if !self.cache.contains_key(h) && !todo.contains(h) {
                todo.push(h.clone());
            }
        }
        let scenarios = todo
            .iter()
            .map(|h| self.problem.scenario(h, self.seed, self.reps))
            .collect::<Result<Vec<_>, _>>()?;
        let results = sweep::evaluate(&scenarios, self.reps, self.tick);
        for ((h, s), r) in todo.into_iter().zip(&scenarios).zip(&results) {
            let p = self.problem;
            let targets: Vec<TargetResult> =
                p.targets.iter().map(|t| t.check(r, p.confidence)).collect();
            let normed: Vec<f64> = targets
                .iter()
                .zip(&p.targets)
                .map(|(r, t)| r.margin / t.norm())
                .collect();
            let worst_margin = if normed.iter().any(|m| !m.is_finite()) {
                f64::NAN
            } else {
                normed.iter().copied().fold(f64::INFINITY, f64::min)
            };
            let short = |m: &f64| if m.is_finite() { (-m).max(0.0) } else { 1.0 };
            let shortfall = normed.iter().map(short).sum();
            let floor_shortfall = normed
                .iter()
                .zip(&p.targets)
                .filter(|(_, t)| t.is_utilisation_floor())
                .map(|(m, _)| short(m))
                .sum();
            let index = self.log.len();
            self.cache.insert(h.clone(), index);
            self.log.push(Eval {
                index,
                headcount: h,
                cost: p.cost.cost(s),
                feasible: targets.iter().all(|t| t.met),
                targets,
                worst_margin,
                shortfall,
                floor_shortfall,
                unstable: r.unstable,
            });
        }
        Ok(hs.iter().map(|h| self.log[self.cache[h]].clone()).collect())
    }

    /// Evaluates one vector.
    ///
    /// # Errors
    /// See [`Evaluator::eval_many`].
    pub fn eval(&mut self, h: &[u32]) -> Result<Eval, StaffError> {
        Ok(self.eval_many(&[h.to_vec()])?.remove(0))
    }
}

fn plus(h: &[u32], i: usize, d: i64) -> Vec<u32> {
    let mut v = h.to_vec();
    v[i] = (i64::from(v[i]) + d) as u32;
    v
}

/// Every target met but the utilisation floors.
fn service_met(p: &Problem, e: &Eval) -> bool {
    p.targets
        .iter()
        .zip(&e.targets)
        .all(|(t, r)| r.met || t.is_utilisation_floor())
}

/// From a vector that meets every target but some utilisation floors, removes agents (largest
/// cost saving first, keeping the other targets met and the floors' shortfall falling) until
/// the floors hold too.
///
/// # Errors
/// No such removal left with a floor still failing ([`StaffError::FloorConflict`]), or a
/// validation failure.
fn lower_to_floors(ev: &mut Evaluator, from: Eval) -> Result<Eval, StaffError> {
    let p = ev.problem;
    let mut cur = from;
    while !cur.feasible {
        let cands: Vec<Vec<u32>> = (0..cur.headcount.len())
            .filter(|&i| cur.headcount[i] > p.floor[i])
            .map(|i| plus(&cur.headcount, i, -1))
            .collect();
        let evals = ev.eval_many(&cands)?;
        let next = evals
            .into_iter()
            .filter(|e| service_met(p, e) && e.floor_shortfall < cur.floor_shortfall)
            .min_by(|a, b| {
                a.floor_shortfall
                    .total_cmp(&b.floor_shortfall)
                    .then(a.cost.total_cmp(&b.cost))
                    .then(a.headcount.cmp(&b.headcount))
            });
        match next {
            Some(e) => cur = e,
            None => {
                let (t, r) = p
                    .targets
                    .iter()
                    .zip(&cur.targets)
                    .find(|(t, r)| t.is_utilisation_floor() && !r.met)
                    .expect("an infeasible vector that meets the service targets fails a floor");
                let headcount: Vec<String> = p
                    .pools
                    .iter()
                    .zip(&cur.headcount)
                    .map(|(n, h)| format!("{n} {h}"))
                    .collect();
                return Err(StaffError::FloorConflict {
                    expr: t.expr.clone(),
                    mean: r.mean,
                    bound: r.bound,
                    headcount: headcount.join(", "),
                });
            }
        }
    }
    Ok(cur)
}

/// Marginal analysis from `from` until feasible (see the module docs).
///
/// # Errors
/// A pool reaching its cap with targets failing, a utilisation floor that conflicts with the
/// other targets, or a validation failure.
fn repair(ev: &mut Evaluator, from: Eval, caps: &[u32]) -> Result<Eval, StaffError> {
    let p = ev.problem;
    let mut cur = from;
    for _ in 0..MAX_REPAIR_STEPS {
        if cur.feasible {
            return Ok(cur);
        }
        if service_met(p, &cur) {
            // Only floors fail: more agents would lower utilisation further.
            return lower_to_floors(ev, cur);
        }
        let open: Vec<usize> = (0..cur.headcount.len())
            .filter(|&i| cur.headcount[i] < caps[i])
            .collect();
        if open.is_empty() {
            break;
        }
        let cands: Vec<Vec<u32>> = open.iter().map(|&i| plus(&cur.headcount, i, 1)).collect();
        let evals = ev.eval_many(&cands)?;
        // Floors are left out: an added agent always widens them, and lower_to_floors
        // closes them once the other targets hold.
        let score = |e: &Eval| {
            let dc = (e.cost - cur.cost).max(1e-9);
            ((cur.shortfall - cur.floor_shortfall) - (e.shortfall - e.floor_shortfall)) / dc
        };
        let best = evals
            .iter()
            .enumerate()
            .fold(None::<(usize, f64)>, |acc, (k, e)| {
                let s = score(e);
                match acc {
                    Some((_, b)) if s <= b => acc,
                    _ => Some((k, s)),
                }
            })
            .map(|(k, _)| k)
            .expect("at least one candidate");
        cur = evals[best].clone();
    }
    let worst = p
        .targets
        .iter()
        .zip(&cur.targets)
        .min_by(|a, b| {
            (a.1.margin / a.0.norm())
                .partial_cmp(&(b.1.margin / b.0.norm()))
                .unwrap_or(std::cmp::Ordering::Less)
        })
        .map(|(t, r)| format!("{} (mean {:.4}, bound {:.4})", t.expr, r.mean, r.bound))
        .unwrap_or_default();
    let at_cap: Vec<String> = p
        .pools
        .iter()
        .zip(&cur.headcount)
        .zip(caps)
        .filter(|((_, h), c)| h >= c)
        .map(|((n, h), _)| format!("{n} at {h}"))
        .collect();
    Err(StaffError::Unreachable {
        at_cap: at_cap.join(", "),
        worst,
    })
}

/// Is `a` better than `b`: cheaper, or as cheap and lexicographically smaller.
fn better(a: &Eval, b: &Eval) -> bool {
    const EPS: f64 = 1e-9;
    a.cost < b.cost - EPS || ((a.cost - b.cost).abs() <= EPS && a.headcount < b.headcount)
}

/// Removals then swaps from a feasible vector (see the module docs).
fn descend(ev: &mut Evaluator, from: Eval) -> Result<Eval, StaffError> {
    let mut cur = from;
    let n = cur.headcount.len();
    let floor = ev.problem.floor.clone();
    'outer: loop {
        // Removals, largest saving first (cost saving is computed on the candidate).
        let cands: Vec<Vec<u32>> = (0..n)
            .filter(|&i| cur.headcount[i] > floor[i])
            .map(|i| plus(&cur.headcount, i, -1))
            .collect();
        let mut costed: Vec<(f64, Vec<u32>)> = cands
            .into_iter()
            .map(|h| Ok((ev.problem.scenario(&h, ev.seed, ev.reps)?, h)))
            .collect::<Result<Vec<_>, StaffError>>()?
            .into_iter()
            .map(|(s, h)| (ev.problem.cost.cost(&s), h))
            .collect();
        costed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for (_, h) in &costed {
            let e = ev.eval(h)?;
            if e.feasible {
                cur = e;
                continue 'outer;
            }
        }
        // Swaps: -1 in pool i, +1 in pool j, when that is better than the current vector.
        let mut swaps: Vec<(f64, Vec<u32>)> = Vec::new();
        for (i, &fl) in floor.iter().enumerate() {
            for j in 0..n {
                if i == j || cur.headcount[i] <= fl {
                    continue;
                }
                let h = plus(&plus(&cur.headcount, i, -1), j, 1);
                let s = ev.problem.scenario(&h, ev.seed, ev.reps)?;
                let c = ev.problem.cost.cost(&s);
                let probe = Eval {
                    cost: c,
                    headcount: h.clone(),
                    ..cur.clone()
                };
                if better(&probe, &cur) {
                    swaps.push((c, h));
                }
            }
        }
        swaps.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for (_, h) in &swaps {
            let e = ev.eval(h)?;
            if e.feasible {
                cur = e;
                continue 'outer;
            }
        }
        return Ok(cur);
    }
}

/// What [`search`] found.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Searched pools.
    pub pools: Vec<String>,
    /// File headcount per searched pool.
    pub file_headcount: Vec<u32>,
    /// Erlang-based start per searched pool.
    pub start: Vec<u32>,
    /// Cap per searched pool.
    pub caps: Vec<u32>,
    /// The search's answer on the search seed.
    pub search_answer: Eval,
    /// Every distinct evaluation of the search.
    pub search_log: Vec<Eval>,
    /// The confirmed answer, evaluated on the confirmation seed.
    pub confirmed: Eval,
    /// Every distinct evaluation on the confirmation seed.
    pub confirmation_log: Vec<Eval>,
    /// Agents added because the confirmation failed a target (0 when it passed).
    pub added_on_confirmation: u32,
    /// Seed of the confirmation.
    pub confirmation_seed: u64,
    /// Vectors in the full grid over the explored ranges (each pool from the smallest to the
    /// largest headcount the search evaluated).
    pub grid_size: u128,
}

/// The search alone (steps 1-4 of the module docs) on the problem's seed, from `start`.
///
/// # Errors
/// See [`repair`]; validation failures.
pub fn search_from(ev: &mut Evaluator, start: &[u32]) -> Result<Eval, StaffError> {
    let start: Vec<u32> = start
        .iter()
        .zip(&ev.problem.floor)
        .map(|(&s, &f)| s.max(f))
        .collect();
    let caps: Vec<u32> = start.iter().map(|&s| cap(s)).collect();
    let first = ev.eval(&start)?;
    let feasible = repair(ev, first, &caps)?;
    descend(ev, feasible)
}

/// Runs the whole staffing search: start, repair, descent, confirmation (module docs).
///
/// # Errors
/// Unreachable targets (a pool at its cap), or validation failures of a candidate.
pub fn search(
    p: &Problem,
    base: &Scenario,
    tick: &(dyn Fn() + Sync),
) -> Result<Outcome, StaffError> {
    let start = erlang_start(base, &p.pools);
    let caps: Vec<u32> = start.iter().map(|&s| cap(s)).collect();
    let file_headcount: Vec<u32> = p.pools.iter().map(|n| unit_in_file(base, n).1).collect();
    let mut ev = Evaluator::new(p, p.seed, p.replications, tick);
    let answer = search_from(&mut ev, &start)?;
    let search_log = std::mem::take(&mut ev.log);
    let cseed = confirmation_seed(p.seed);
    let mut cev = Evaluator::new(p, cseed, p.confirm_replications, tick);
    let first = cev.eval(&answer.headcount)?;
    let confirmed = repair(&mut cev, first, &caps)?;
    let added = confirmed.headcount.iter().sum::<u32>() - answer.headcount.iter().sum::<u32>();
    let mut grid_size: u128 = 1;
    for i in 0..p.pools.len() {
        let (lo, hi) = search_log
            .iter()
            .map(|e| e.headcount[i])
            .fold((u32::MAX, 0), |(a, b), h| (a.min(h), b.max(h)));
        grid_size = grid_size.saturating_mul(u128::from(hi - lo + 1));
    }
    Ok(Outcome {
        pools: p.pools.clone(),
        file_headcount,
        start,
        caps,
        search_answer: answer,
        search_log,
        confirmed,
        confirmation_log: cev.log,
        added_on_confirmation: added,
        confirmation_seed: cseed,
        grid_size,
    })
}
