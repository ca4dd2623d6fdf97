//! Chasers (`[customers.chasers]`): a message-channel customer still waiting for a first response
//! after a patience time sends a chaser, and again after each further patience time, up to
//! a cap. The agent who answers the ticket reads and replies to every chaser: their work is
//! added to that step. Chasers stop once the ticket is answered.
//!
//! The times come from the ticket's routing stream and the reading work from its work
//! stream, one stream id per chaser, so files without chasers draw nothing new.

use super::kernel::EventKind;
use super::rng::ticket_rng;
use super::sim::Simulation;
use super::ticket::{Phase, Ticket};
use crate::measure::TicketSink;
use crate::model::{sid, slot};

impl<K: TicketSink> Simulation<'_, K> {
    /// Schedules the next chaser of ticket `id` if the file has chasers and the ticket waits
    /// in a queue as an unanswered message-channel ticket below the cap (one that started at once has no
    /// chasers to schedule).
    #[inline]
    pub(super) fn next_chaser(&mut self, id: u32) {
        let Some(c) = &self.s.behaviour.chasers else {
            return;
        };
        let t = self.slab.get(id);
        if t.chasers >= c.max
            || t.phase != Phase::Queued
            || t.responded
            || self.s.channels.is_live(t.channel as usize)
        {
            return;
        }
        let wait = c.patience.sample(&mut ticket_rng(
            t.route_key,
            sid(t.chasers as usize, slot::CHASER),
        ));
        let generation = t.generation;
        self.schedule(
            self.now + wait,
            EventKind::Chase {
                ticket: id,
                generation,
            },
        );
    }

    /// A chaser is due: sent if the ticket still waits unanswered on the message channel.
    pub(super) fn on_chase(&mut self, id: u32, generation: u32) {
        let t = self.slab.get_mut(id);
        if t.generation != generation
            || t.phase != Phase::Queued
            || t.responded
            || self.s.channels.is_live(t.channel as usize)
        {
            return;
        }
        t.chasers += 1;
        if t.measured {
            self.rec.chaser();
        }
        self.next_chaser(id);
    }

    /// Agent work of reading and replying to the chasers of `t` [minutes, before the pool's
    /// work-time factor].
    #[inline]
    pub(super) fn chaser_work(&self, t: &Ticket) -> f64 {
        let Some(c) = &self.s.behaviour.chasers else {
            return 0.0;
        };
        (0..t.chasers as usize)
            .map(|k| {
                c.read
                    .sample(&mut ticket_rng(t.work_key, sid(k, slot::CHASER_READ)))
            })
            .sum()
    }
}
