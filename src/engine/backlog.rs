//! `[initial_state]`: the open tickets stored at t = 0, each waiting in the queue of its
//! stage (oldest first), before the first agents come on duty at t = 0; or, in service, on
//! an agent of its stage's pool with the rest of its work to do.

use super::flow::{TicketDraws, work_factor};
use super::rng::ticket_rng;
use super::sim::Simulation;
use super::ticket::{BACKLOG_NUMBER_BASE, Entry, Ticket};
use crate::measure::TicketSink;
use crate::model::{Draws, StageRule, slot};
use crate::scenario::Dist;
use crate::scenario::backlog::Start;
use rand::Rng;

/// The draws of a step under way at t = 0: the step's first work time is its remaining work
/// (`Dist::sample_residual`, on the same stream the whole work time would use); every other
/// draw is the ticket's own, as in any step.
struct InServiceDraws {
    inner: TicketDraws,
    /// Minutes worked already, in the distribution's own units (before the work factor).
    worked_min: Option<f64>,
    /// The residual has been drawn.
    drawn: bool,
}

impl Draws for InServiceDraws {
    fn time(&mut self, d: &Dist, stream: u32) -> f64 {
        if !self.drawn && stream & 0xFF == slot::WORK {
            self.drawn = true;
            return d.sample_residual(
                &mut ticket_rng(self.inner.work_key, stream),
                self.worked_min,
            );
        }
        self.inner.time(d, stream)
    }

    fn chance(&mut self, stream: u32, p: f64) -> bool {
        self.inner.chance(stream, p)
    }
}

impl<K: TicketSink> Simulation<'_, K> {
    /// Stores the backlog and queues every waiting ticket at its stage, then starts the
    /// in-service ones on their pools. Keys come from `Purpose::Backlog`, so the new arrivals
    /// keep theirs.
    pub(super) fn seed_backlog(&mut self) {
        let Some(b) = self.s.backlog.clone() else {
            return;
        };
        let mut serving = Vec::new();
        for (i, o) in b.tickets.iter().enumerate() {
            let tier = o.tier as usize;
            let stage = self
                .policy
                .stages
                .iter()
                .position(|st| st.tier == tier && st.rule != StageRule::Triage)
                .unwrap_or(0);
            let work_key = self.backlog_keys.next_u64();
            let route_key = self.backlog_keys.next_u64();
            let in_service = o.start != Start::Waiting;
            let t = Ticket {
                arrival: -o.age_min,
                number: BACKLOG_NUMBER_BASE.saturating_add(i as u32),
                work_key,
                route_key,
                channel: o.channel,
                priority: o.priority,
                segment: o.segment,
                level: o.level,
                category: o.category,
                stage: stage as u8,
                // A ticket in service above L1 has re-gathered the context and was not
                // bounced: its step is the stage's own work.
                entry: if stage == 0 || in_service {
                    Entry::New
                } else {
                    Entry::Escalated
                },
                ever_escalated: stage > 0,
                responded: o.responded,
                measured: true,
                stage_since: 0.0,
                arrival_channel: o.channel,
                arrival_priority: o.priority,
                backlog: true,
                ..Ticket::default()
            };
            let t = if in_service {
                // Served by its stage's own pool (also under category routing).
                Ticket {
                    pool: self.policy.stages[stage].pool as u8,
                    ..t
                }
            } else {
                t
            };
            self.rec.backlog_stored();
            let (id, _) = self.store(&t);
            match o.start {
                Start::Waiting => self.enqueue(id),
                Start::InService { worked_min } => serving.push((id, worked_min)),
            }
        }
        if serving.is_empty() {
            return;
        }
        // The agents on duty at t = 0 come now for those in service (validation checked
        // there are enough); the Staffing events at t = 0 set the same counts again and
        // give the free ones to the queues, so the waiting backlog keeps its queue order.
        for p in 0..self.s.pools.len() {
            let n = self.s.pools[p].staffed_at(0.0);
            self.set_staffed(p, n);
        }
        for (id, worked_min) in serving {
            self.start_in_service(id, worked_min);
        }
    }

    /// Ticket `id` is in service at t = 0: the model plans its step as for any step, with
    /// the remaining work of the stage's work time (the minutes worked converted by the
    /// stage's work factor at t = 0), then it ends and routes like every step.
    fn start_in_service(&mut self, id: u32, worked_min: Option<f64>) {
        let s = self.s;
        let t = self.slab.get(id);
        let stage = t.stage as usize;
        let tier = self.policy.stages[stage].tier;
        let skill = self
            .routed
            .filter(|_| stage < s.tiers.len())
            .map(|_| (t.pool, t.category));
        let factor = work_factor(s, tier, skill, 0.0);
        let mut draws = InServiceDraws {
            inner: TicketDraws {
                work_key: t.work_key,
                route_key: t.route_key,
            },
            worked_min: worked_min.map(|a| if factor > 0.0 { a / factor } else { a }),
            drawn: false,
        };
        self.work_step(id, &mut draws);
    }
}
