//! `[initial_state]`: the open tickets stored at t = 0, each waiting in the queue of its
//! stage (oldest first), before the first agents come on duty at t = 0.

use super::sim::Simulation;
use super::ticket::{BACKLOG_NUMBER_BASE, Entry, Ticket};
use crate::measure::TicketSink;
use crate::model::StageRule;
use rand::Rng;

impl<K: TicketSink> Simulation<'_, K> {
    /// Stores the backlog and queues every ticket at its stage. Keys come from
    /// `Purpose::Backlog`, so the new arrivals keep theirs.
    pub(super) fn seed_backlog(&mut self) {
        let Some(b) = self.s.backlog.clone() else {
            return;
        };
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
                entry: if stage == 0 {
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
            self.rec.backlog_stored();
            let (id, _) = self.store(t);
            self.enqueue(id);
        }
    }
}
