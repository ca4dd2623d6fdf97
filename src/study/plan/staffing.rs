//! Who works when in one replication of a plan: the file's agents and the hired cohorts,
//! each leaving at a random time under the pool's monthly attrition, and the pools' on-duty
//! schedules scaled to the agents productive at each moment.
//!
//! # Model
//! - A file pool's agents at the plan's start are its `heads` (headcount, or its shifts'
//!   headcounts summed). Its shifts keep their shape: at every 15-minute slot the on-duty
//!   agents of the file's schedule (after shrinkage) are scaled by productive agents / heads,
//!   rounded down with the remainder carried to the next slot (as shrinkage is), so over any
//!   stretch the mean is within one agent-slot of the exact product.
//! - A hire is paid from its date, off duty for `training_weeks`, then on duty and ramping:
//!   with the pool's `ramp` (work-time factor `start_factor` falling linearly to 1 over
//!   `weeks`), an agent at factor f does the work of 1/f agents, so it counts as 1/f of one
//!   (the same capacity; the engine's pools are counts, not individuals).
//! - Attrition: each agent leaves after an exponential time with monthly hazard
//!   `-ln(1 - rate)` (a month being 30.4375 days), so the chance of leaving within a month
//!   is exactly `rate`; hires are not replaced unless the plan hires again. The file's
//!   agents are exposed from the plan's start, hires from their date.
//! - Random numbers: agent `k` of the file's pool `p`, or the `k`-th agent hired into `p` on
//!   local day `d`, draws its one uniform from a generator keyed by (seed, replication,
//!   [`Purpose::Attrition`], p, d, k). Adding a hire on another day, or another agent to the
//!   same day, leaves every other agent's draw as it was: candidate plans share their
//!   departures (common random numbers) as far as they share agents.

use super::config::{Hire, Setup};
use crate::engine::rng::{Purpose, mix64, stream, ticket_rng};
use crate::scenario::calendar::SLOT_MIN;
use crate::scenario::incidents::MONTH_MIN;
use crate::scenario::{Pool, Scenario};
use rand::{Rng, RngExt};

/// One agent of a plan replication.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Agent {
    /// File pool index.
    pub pool: usize,
    /// Paid from [minutes] (`-inf` for the file's agents).
    pub paid_from: f64,
    /// On duty from [minutes] (after training).
    pub on_duty_from: f64,
    /// Leaves at [minutes] (`inf` when not before the end).
    pub leaves: f64,
    /// Hired by the plan (not one of the file's agents).
    pub hired: bool,
}

/// Day key of the file's agents (no hire day).
const FILE_DAY: u64 = u64::MAX;

impl Agent {
    /// Share of one agent's work this agent does at `t` (0 off duty, 1/f while ramping).
    #[inline]
    pub fn capacity_at(&self, t: f64, ramp: Option<(f64, f64)>) -> f64 {
        if t < self.on_duty_from || t >= self.leaves {
            return 0.0;
        }
        match ramp {
            Some((extra, len)) if self.hired => {
                let f = 1.0 + extra * (1.0 - (t - self.on_duty_from) / len).max(0.0);
                1.0 / f
            }
            _ => 1.0,
        }
    }

    /// Whether the agent is paid at `t`.
    #[inline]
    pub fn paid_at(&self, t: f64) -> bool {
        t >= self.paid_from && t < self.leaves
    }
}

/// The time an agent keyed `(pool, day, k)` stays from `from`, under `rate` a month.
fn stay_min(seed: u64, rep: u32, pool: usize, day: u64, k: u32, rate: f64) -> f64 {
    if rate <= 0.0 {
        return f64::INFINITY;
    }
    let base = stream(seed, u64::from(rep), Purpose::Attrition).next_u64();
    let key = mix64(mix64(base ^ pool as u64) ^ day) ^ u64::from(k);
    let u: f64 = ticket_rng(key, 0).random();
    let hazard = -(1.0 - rate).ln() / MONTH_MIN;
    -(1.0 - u).ln() / hazard
}

/// Every agent of replication `rep` on `seed`, given the hires (the file's and the search's).
pub fn agents(setup: &Setup, hires: &[Hire], seed: u64, rep: u32) -> Vec<Agent> {
    let start = setup.horizon.months[0];
    let training = setup.plan.training_weeks * super::horizon::WEEK_MIN;
    let mut out = Vec::new();
    for (p, &n) in setup.heads.iter().enumerate() {
        let rate = setup.plan.attrition[p];
        for k in 0..n {
            out.push(Agent {
                pool: p,
                paid_from: f64::NEG_INFINITY,
                on_duty_from: f64::NEG_INFINITY,
                leaves: start + stay_min(seed, rep, p, FILE_DAY, k, rate),
                hired: false,
            });
        }
    }
    // Agents hired into one pool on one day are numbered 0, 1, ... in hire order.
    let mut seen: Vec<(usize, jiff::civil::Date, u32)> = Vec::new();
    for h in hires {
        let at = setup.horizon.minute_of(h.date).unwrap_or(start).max(start);
        let day = (at / 1440.0).floor() as u64;
        let first = seen
            .iter()
            .find(|(p, d, _)| *p == h.pool && *d == h.date)
            .map_or(0, |x| x.2);
        for k in first..first + h.count {
            out.push(Agent {
                pool: h.pool,
                paid_from: at,
                on_duty_from: at + training,
                leaves: at + stay_min(seed, rep, h.pool, day, k, setup.plan.attrition[h.pool]),
                hired: true,
            });
        }
        match seen
            .iter_mut()
            .find(|(p, d, _)| *p == h.pool && *d == h.date)
        {
            Some(x) => x.2 += h.count,
            None => seen.push((h.pool, h.date, h.count)),
        }
    }
    out
}

/// Productive agents of file pool `p` at `t` (ramping hires counted as 1/f).
pub fn capacity(setup: &Setup, agents: &[Agent], p: usize, t: f64) -> f64 {
    agents
        .iter()
        .filter(|a| a.pool == p)
        .map(|a| a.capacity_at(t, setup.plan.ramp[p]))
        .sum()
}

/// The plan's scenario with every pool's on-duty schedule scaled to the productive agents
/// of its file pools (see the module docs). With every agent present and none ramping, the
/// schedules are the file's, bit for bit.
pub fn staffed_scenario(setup: &Setup, agents: &[Agent]) -> Scenario {
    let mut s = setup.scenario.clone();
    let span = s.run.span_min();
    let files = setup.pools.len();
    for (q, pool) in s.pools.iter_mut().enumerate() {
        let members: Vec<usize> = (0..files).filter(|&p| setup.model_pool[p] == q).collect();
        let heads: f64 = members.iter().map(|&p| f64::from(setup.heads[p])).sum();
        if heads <= 0.0 {
            continue;
        }
        let mine: Vec<&Agent> = agents
            .iter()
            .filter(|a| members.contains(&a.pool))
            .collect();
        let changes = mine
            .iter()
            .any(|a| a.hired || a.leaves < span || a.on_duty_from > 0.0);
        if !changes {
            continue;
        }
        let ratio = |t: f64| -> f64 {
            mine.iter()
                .map(|a| a.capacity_at(t, setup.plan.ramp[a.pool]))
                .sum::<f64>()
                / heads
        };
        scale_schedule(pool, span, &ratio);
    }
    s
}

/// Scales a pool's schedule slot by slot by `ratio(t)`, carrying the remainder.
fn scale_schedule(pool: &mut Pool, span: f64, ratio: &dyn Fn(f64) -> f64) {
    let n_slots = (span / SLOT_MIN).ceil() as usize;
    let old = std::mem::take(&mut pool.schedule);
    let mut out: Vec<(f64, u32)> = Vec::with_capacity(old.len());
    let mut carry = 0.0;
    let mut i = 0;
    for j in 0..n_slots {
        let t = j as f64 * SLOT_MIN;
        while i + 1 < old.len() && old[i + 1].0 <= t {
            i += 1;
        }
        let n = if old.first().is_some_and(|x| x.0 <= t) {
            old[i].1
        } else {
            0
        };
        let v = if n == 0 {
            carry = 0.0;
            0
        } else {
            let want = carry + f64::from(n) * ratio(t);
            let a = (want + 1e-9).floor().max(0.0);
            carry = want - a;
            a.min(f64::from(crate::scenario::limits::MAX_AGENTS)) as u32
        };
        if out.last().is_none_or(|&(_, m)| m != v) {
            out.push((t, v));
        }
    }
    if out.is_empty() {
        out.push((0.0, 0));
    }
    pool.headcount = out.iter().map(|x| x.1).max().unwrap_or(0);
    pool.schedule = out;
}
