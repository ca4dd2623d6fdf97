//! Category routing (`[categories]`, `[routing]`, pool `skills`): one queue per (tier stage,
//! category), offered to the rule's pools in rank order, a lower rank only once the ticket
//! has waited its overflow delay at the stage.
//!
//! Design: the category queues sit after the pools' own queues in `Simulation::queues`
//! (index `pools + tier x categories + category`). A ticket that joins a stage goes to the
//! first eligible pool with a free agent ([`FreeAgent`]); otherwise it waits in its queue and
//! an [`EventKind::Overflow`] is scheduled for each rank whose delay is finite, at which the
//! rank's pool is dispatched. A freed agent scans the queues its pool may take from
//! ([`NextTicket`]): a queue's ticket is visible to the pool when it has waited at least the
//! pool's delay (checked at the head of each class). Nothing here runs without category
//! routing: `enqueue` and `dispatch` branch once on `Simulation::routed`.

use super::kernel::EventKind;
use super::queues::class_of;
use super::sim::Simulation;
use super::ticket::{Phase, Ticket};
use crate::measure::TicketSink;
use crate::scenario::skills::{FreeAgent, NextTicket, Rank, Skills};

impl<'a, K: TicketSink> Simulation<'a, K> {
    /// Index into `queues` of the queue ticket `t` waits in.
    #[inline]
    pub(super) fn queue_of(&self, t: &Ticket) -> usize {
        let stage = t.stage as usize;
        match self.routed {
            Some(k) if stage < self.s.tiers.len() => {
                self.pools.len() + k.queue(stage, t.category as usize)
            }
            _ => self.policy.stages[stage].pool,
        }
    }

    /// The pool serving ticket `t` at its stage.
    #[inline(always)]
    pub(super) fn serving_pool(&self, t: &Ticket) -> usize {
        let stage = t.stage as usize;
        match self.routed {
            Some(_) if stage < self.s.tiers.len() => t.pool as usize,
            _ => self.policy.stages[stage].pool,
        }
    }

    /// Whether `pool` has an agent free to take a ticket.
    #[inline]
    fn has_free(&self, pool: usize) -> bool {
        let ps = self.pools[pool];
        ps.busy + ps.held + ps.resting < ps.staffed
    }

    /// Among `ranks`, the pool whose agent takes a ticket that joined at `since`: eligible
    /// (delay elapsed) with a free agent, by the scenario's free-agent rule.
    fn pick_free(&self, k: &Skills, ranks: &[Rank], since: f64) -> Option<usize> {
        let now = self.now;
        let eligible = ranks
            .iter()
            .filter(|r| since + r.after_min <= now && self.has_free(r.pool));
        match k.free_agent {
            FreeAgent::Preferred => eligible.map(|r| r.pool).next(),
            FreeAgent::LeastBusy => {
                let mut best: Option<(usize, f64)> = None;
                for r in eligible {
                    let ps = self.pools[r.pool];
                    let share = ps.free() as f64 / ps.staffed.max(1) as f64;
                    if best.is_none_or(|(_, b)| share > b) {
                        best = Some((r.pool, share));
                    }
                }
                best.map(|(p, _)| p)
            }
        }
    }

    /// A ticket joins its stage under category routing: straight to a free eligible agent,
    /// or into its category queue with an overflow event per later rank.
    pub(super) fn routed_enqueue(&mut self, k: &'a Skills, id: u32) {
        let now = self.now;
        let t = self.slab.get_mut(id);
        t.go(Phase::Queued);
        let t = *t;
        let tier = self.policy.stages[t.stage as usize].tier;
        let ranks = &k.routes[tier][t.category as usize];
        if let Some(pool) = self.pick_free(k, ranks, t.stage_since) {
            self.slab.get_mut(id).pool = pool as u8;
            self.start_service(id);
            return;
        }
        let q = self.queue_of(&t);
        let class = class_of(
            self.s.queue_order,
            self.s.priority_count(),
            self.s.channels.is_live(t.channel as usize),
            t.priority as usize,
            t.responded,
        );
        self.queues[q].push(class, id, t.generation, t.channel as usize);
        self.note_queue(q);
        for r in ranks {
            let at = t.stage_since + r.after_min;
            if at > now && at.is_finite() {
                self.schedule(
                    at,
                    EventKind::Overflow {
                        pool: r.pool as u32,
                    },
                );
            }
        }
    }

    /// Free agents of `pool` take visible waiting tickets by the next-ticket rule.
    pub(super) fn routed_dispatch(&mut self, k: &'a Skills, pool: usize) {
        let now = self.now;
        let base = self.pools.len();
        while self.has_free(pool) {
            let mut best: Option<(usize, usize, f64)> = None;
            for sc in &k.scans[pool] {
                let q = base + k.queue(sc.tier, sc.cat);
                let Some((class, since)) =
                    self.queues[q].visible_head(&self.slab, now, sc.after_min)
                else {
                    continue;
                };
                match k.next_ticket {
                    NextTicket::PrimaryFirst => {
                        best = Some((q, class, since));
                        break;
                    }
                    NextTicket::LongestWaiting => {
                        if best.is_none_or(|(_, c, t)| (class, since) < (c, t)) {
                            best = Some((q, class, since));
                        }
                    }
                }
            }
            let Some((q, class, _)) = best else {
                break;
            };
            let id = self.queues[q].pop_class(class, &self.slab);
            self.note_queue(q);
            self.slab.get_mut(id).pool = pool as u8;
            self.start_service(id);
        }
    }

    /// Queue `q` changed: the observers hear the waiting line of its pool (a category queue
    /// counts at its preferred pool, beside that pool's own queue).
    #[inline]
    pub(super) fn note_queue(&mut self, q: usize) {
        let np = self.pools.len();
        let pool = match self.routed {
            Some(k) if q >= np => {
                let nc = k.count();
                k.routes[(q - np) / nc][(q - np) % nc][0].pool
            }
            _ => q,
        };
        let len = self.pool_queue_len(pool);
        self.rec.queue_changed(pool, self.now, len);
    }

    /// Tickets waiting for `pool`: its own queue, plus the category queues it is preferred in.
    pub(super) fn pool_queue_len(&self, pool: usize) -> usize {
        let own = self.queues[pool].len();
        let Some(k) = self.routed else {
            return own;
        };
        let np = self.pools.len();
        let mut n = own;
        for sc in &k.scans[pool] {
            if sc.rank == 0 {
                n += self.queues[np + k.queue(sc.tier, sc.cat)].len();
            }
        }
        n
    }
}
