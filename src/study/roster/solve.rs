//! The integer program of one pool: how many agents work each pattern so that every
//! interval's requirement is covered, at least weekly cost.
//!
//! minimise sum_k cost_k x_k subject to sum_k cover_kj x_k >= need_j for every interval j
//! that some pattern covers, x_k integer in [0, max_j need_j]. Solved by good_lp's microlp
//! backend (branch and bound, pure Rust).

use super::RosterError;
use good_lp::{
    Expression, ResolutionError, Solution, SolutionStatus, SolverModel, WithTimeLimit, microlp,
    variable, variables,
};

/// Time limit of one pool's branch and bound [seconds]. A solve that reaches it returns the
/// best roster found and says so ([`PoolSolution::optimal`] false).
pub const TIME_LIMIT_S: f64 = 60.0;

/// One pool's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct PoolSolution {
    /// Agents per pattern.
    pub agents: Vec<u32>,
    /// Weekly cost of those agents.
    pub cost: f64,
    /// Proven optimal (false: the time limit stopped the search).
    pub optimal: bool,
    /// Intervals with a requirement that no pattern covers (left out of the program).
    pub uncovered: Vec<usize>,
}

/// How often [`solve_pool_waiting`] calls its `wait` while the solver runs [milliseconds].
pub const POLL_MS: u64 = 20;

/// [`solve_pool`] on a scoped thread, calling `wait` every [`POLL_MS`] ms until it returns:
/// the solver itself cannot be interrupted, and its time limit is a minute.
///
/// # Errors
/// As [`solve_pool`].
pub fn solve_pool_waiting(
    pool: &str,
    cost: &[f64],
    cover: &[Vec<f64>],
    need: &[u32],
    wait: &(dyn Fn() + Sync),
) -> Result<PoolSolution, RosterError> {
    std::thread::scope(|scope| {
        let solver = scope.spawn(|| solve_pool(pool, cost, cover, need));
        while !solver.is_finished() {
            wait();
            std::thread::sleep(std::time::Duration::from_millis(POLL_MS));
        }
        solver
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e))
    })
}

/// Solves one pool's covering program (see the module docs). `cover[k][j]` is the share of
/// interval `j` that pattern `k` covers.
///
/// # Errors
/// The solver's failure, named by `pool`.
pub fn solve_pool(
    pool: &str,
    cost: &[f64],
    cover: &[Vec<f64>],
    need: &[u32],
) -> Result<PoolSolution, RosterError> {
    let n = need.len();
    let coverable = |j: usize| cover.iter().any(|c| c[j] > 1e-9);
    let uncovered: Vec<usize> = (0..n).filter(|&j| need[j] > 0 && !coverable(j)).collect();
    if need.iter().all(|&x| x == 0) || cost.is_empty() {
        return Ok(PoolSolution {
            agents: vec![0; cost.len()],
            cost: 0.0,
            optimal: true,
            uncovered,
        });
    }
    // No pattern needs more agents than the largest requirement it could help cover, over
    // its smallest share of a covered interval.
    let ub: Vec<f64> = cover
        .iter()
        .map(|c| {
            (0..n)
                .filter(|&j| c[j] > 1e-9 && need[j] > 0)
                .map(|j| (f64::from(need[j]) / c[j]).ceil())
                .fold(0.0, f64::max)
        })
        .collect();
    let mut vars = variables!();
    let x: Vec<_> = ub
        .iter()
        .map(|&u| vars.add(variable().integer().min(0).max(u)))
        .collect();
    let objective: Expression = x.iter().zip(cost).map(|(v, c)| *c * *v).sum();
    let mut model = vars.minimise(objective).using(microlp);
    for j in 0..n {
        if need[j] == 0 || !coverable(j) {
            continue;
        }
        let mut lhs = Expression::from(0.0);
        for (k, c) in cover.iter().enumerate() {
            if c[j] > 1e-9 {
                lhs.add_mul(c[j], x[k]);
            }
        }
        model.add_constraint(lhs.geq(f64::from(need[j])));
    }
    let model = model.with_time_limit(TIME_LIMIT_S);
    let sol = model.solve().map_err(|e| RosterError::Solver {
        pool: pool.to_string(),
        reason: match e {
            ResolutionError::Infeasible => "infeasible".into(),
            e => e.to_string(),
        },
    })?;
    let agents: Vec<u32> = x
        .iter()
        .map(|v| sol.value(*v).round().max(0.0) as u32)
        .collect();
    let cost_total = agents
        .iter()
        .zip(cost)
        .map(|(a, c)| f64::from(*a) * c)
        .sum();
    Ok(PoolSolution {
        agents,
        cost: cost_total,
        optimal: matches!(sol.status(), SolutionStatus::Optimal),
        uncovered,
    })
}
