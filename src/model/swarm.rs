//! The swarm model: one owner keeps the ticket to the end, working every level it can in
//! one go (no write-up, handoff, re-gathering or re-explaining between its levels), and pulls
//! experts into a swarm session for what needs more. A request waits until the owner and all
//! its helpers are free together; the [`SwarmDesk`] matches requests to free agents.

use super::{Draws, Outcome, Policy, Stage, StageRule, StepInput, ladder, sid, slot};
use crate::engine::PoolState;
use crate::scenario::{Dist, Scenario, Swarm, SwarmPriority};
use std::collections::VecDeque;

/// Tier stages with the owner stage at the scenario's owner tier (level 1 here; the hybrid
/// model reuses this with its owner tier at 2). Validation merges the owner levels' pools.
pub fn stages(s: &Scenario) -> Vec<Stage> {
    let owner = s.swarm.as_ref().map_or(usize::MAX, |w| w.owner_tier);
    ladder(s, |k| {
        if k == owner {
            StageRule::Owner
        } else {
            StageRule::Tier
        }
    })
}

/// An owner's work: every level from its stage up to the owner level; then resolve, ask for
/// a swarm, or (learning, or no expert stage exists) do the experts' work alone, handing
/// level-4 tickets to the vendor.
#[inline]
pub(crate) fn owner_work<D: Draws>(
    s: &Scenario,
    p: &Policy,
    t: &StepInput,
    dur: &mut f64,
    d: &mut D,
) -> Outcome {
    let w = s.swarm.as_ref().expect("owner stages imply swarm settings");
    let stage = &p.stages[t.stage];
    let own = w.owner_level as usize;
    let (level, ch) = (t.level, t.channel);
    for j in stage.tier..level.min(own) {
        *dur += d.time(&s.tiers[j].work[ch], sid(p.stages[j].stream, slot::WORK));
    }
    let n = s.tiers.len();
    if level <= own {
        Outcome::Resolve
    } else if own < n && !(t.solo_p > 0.0 && d.chance(slot::LEARN, t.solo_p)) {
        Outcome::Swarm
    } else {
        for j in own..level.min(n) {
            *dur += d.time(&s.tiers[j].work[ch], sid(p.stages[j].stream, slot::WORK));
        }
        if level > n {
            let top = &p.stages[n - 1];
            *dur += d.time(&s.tiers[top.tier].write_up, sid(top.stream, slot::WRITE_UP));
            Outcome::Vendor
        } else {
            Outcome::Resolve
        }
    }
}

/// The stage whose pool provides a swarm's helpers for a ticket of `level`.
#[inline]
pub fn expert_stage(s: &Scenario, level: usize) -> usize {
    level.min(s.tiers.len()) - 1
}

/// Helpers of a swarm request, drawn from the helper-count distribution with uniform `u`.
#[inline]
pub fn helpers(w: &Swarm, u: f64) -> u8 {
    (w.helpers_cum
        .iter()
        .position(|c| u < *c)
        .unwrap_or(w.helpers_cum.len() - 1)
        + 1) as u8
}

/// The session time distribution: the file's, or the expert stage's own work time.
#[inline]
pub fn session_dist<'a>(s: &'a Scenario, w: &'a Swarm, expert: usize, channel: usize) -> &'a Dist {
    w.session.as_ref().unwrap_or(&s.tiers[expert].work[channel])
}

/// Minutes owner and helpers are occupied by a session: briefing, then the session
/// stretched by the coordination overhead.
pub fn session_min<D: Draws>(
    s: &Scenario,
    p: &Policy,
    expert: usize,
    channel: usize,
    d: &mut D,
) -> f64 {
    let w = s.swarm.as_ref().expect("sessions imply swarm settings");
    let st = p.stages[expert].stream;
    d.time(&w.brief, sid(st, slot::BRIEF))
        + d.time(session_dist(s, w, expert, channel), sid(st, slot::SESSION)) * (1.0 + w.overhead)
}

/// Probability that an owner solves above its level alone, grown by the swarms the owner
/// pool has joined (per head), capped; 0 without learning.
#[inline]
pub fn solo_probability(s: &Scenario, sessions_done: u64) -> f64 {
    match s.swarm.as_ref().and_then(|w| w.learning.map(|l| (w, l))) {
        Some((w, (gain, cap))) => {
            let heads = s.pools[w.owner_pool].headcount.max(1) as f64;
            (gain * sessions_done as f64 / heads).min(cap)
        }
        None => 0.0,
    }
}

/// A waiting swarm request: the ticket, its expert pool and helper count.
#[derive(Debug, Clone, Copy)]
pub struct Request {
    /// Slab id of the ticket.
    pub ticket: u32,
    /// Pool providing the helpers.
    pub expert_pool: usize,
    /// Helpers needed.
    pub helpers: u32,
}

/// Waiting swarm requests by priority, oldest first, and the matching of requests to free
/// owners and experts.
#[derive(Debug)]
pub struct SwarmDesk {
    /// One line per priority, most urgent first.
    queues: Vec<VecDeque<Request>>,
    pending: usize,
    /// Pools whose experts the first waiting request could not get (scratch).
    blocked: Vec<bool>,
}

impl SwarmDesk {
    /// An empty desk for `pools` pools and `priorities` priorities.
    pub fn new(pools: usize, priorities: usize) -> Self {
        SwarmDesk {
            queues: (0..priorities).map(|_| VecDeque::new()).collect(),
            pending: 0,
            blocked: vec![false; pools],
        }
    }

    /// Requests waiting.
    #[inline]
    pub fn pending(&self) -> usize {
        self.pending
    }

    /// Files a request at `priority`.
    pub fn push(&mut self, priority: usize, r: Request) {
        self.queues[priority].push_back(r);
        self.pending += 1;
    }

    /// Starts every waiting session whose owner and helpers are free, most urgent and oldest
    /// first, occupying their agents in `pools` and appending the tickets to `started` in
    /// start order. A request that cannot start blocks later requests for the same expert
    /// pool (no overtaking: big swarms are not starved) and, under `swarm_first`, holds that
    /// pool's free agents so they do not take queue work meanwhile.
    pub fn match_sessions(&mut self, w: &Swarm, pools: &mut [PoolState], started: &mut Vec<u32>) {
        for p in pools.iter_mut() {
            p.held = 0;
        }
        if self.pending == 0 {
            return;
        }
        let hold = w.priority == SwarmPriority::SwarmFirst;
        let owner = w.owner_pool;
        self.blocked.iter_mut().for_each(|b| *b = false);
        'classes: for class in 0..self.queues.len() {
            let mut i = 0;
            while i < self.queues[class].len() {
                let r = self.queues[class][i];
                let (e, k) = (r.expert_pool, r.helpers);
                if self.blocked[e] {
                    i += 1;
                    continue;
                }
                let owner_free = pools[owner].free();
                let ready = if e == owner {
                    owner_free > k
                } else {
                    owner_free >= 1 && pools[e].free() >= k
                };
                if ready {
                    self.queues[class].remove(i);
                    self.pending -= 1;
                    pools[owner].busy += 1;
                    pools[e].busy += k;
                    started.push(r.ticket);
                    continue;
                }
                self.blocked[e] = true;
                if hold && (e != owner || owner_free > 0) {
                    pools[e].held = pools[e].free();
                }
                if owner_free == 0 {
                    break 'classes;
                }
                i += 1;
            }
        }
    }
}
