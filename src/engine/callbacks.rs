//! Callbacks (`[customers.callbacks]`, virtual hold): a voice customer who has waited
//! `offer_after_min` in the queue is offered a callback and may accept. An accepted callback
//! keeps its place in the queue and no longer abandons. When an agent takes it, the agent
//! calls the customer: an unreachable customer costs the agent a failed attempt, and the
//! callback rejoins the back of the queue after a delay, until the attempts run out and the
//! customer is lost.
//!
//! Every draw comes from the ticket's routing stream, one stream id per contact (offer) or
//! per attempt, so files without callbacks draw nothing new and designs with callbacks keep
//! common random numbers.

use super::kernel::EventKind;
use super::rng::ticket_rng;
use super::sim::Simulation;
use super::ticket::Phase;
use crate::measure::{Observer, TicketOutcome, TicketSink};
use crate::model::{Outcome, sid, slot};
use rand::RngExt;

impl<K: TicketSink> Simulation<'_, K> {
    /// The customer of ticket `id` has just joined (or will join at `stage_since`) the first
    /// human queue: the timers of waiting customers start, a chaser for a message-channel ticket, a callback
    /// offer for a call.
    #[inline(always)]
    pub(super) fn start_waiting(&mut self, id: u32) {
        // Checked here, not only inside: most scenarios have neither, and the call itself
        // is then the cost.
        if self.s.behaviour.chasers.is_some() {
            self.next_chaser(id);
        }
        if self.s.behaviour.callbacks.is_some() {
            self.offer_callback_later(id);
        }
    }

    /// Schedules the callback offer of ticket `id`, which has just joined (or is about to
    /// join, at `stage_since`) the queue as an unanswered phone contact.
    #[inline]
    pub(super) fn offer_callback_later(&mut self, id: u32) {
        let Some(c) = &self.s.behaviour.callbacks else {
            return;
        };
        let t = self.slab.get(id);
        if t.responded || t.callback != 0 || !self.s.channels.is_voice(t.channel as usize) {
            return;
        }
        let at = t.stage_since.max(self.now) + c.offer_after_min;
        let generation = t.generation;
        if t.measured {
            self.rec.callbacks.phone_waits += 1;
        }
        self.schedule(
            at,
            EventKind::CallbackOffer {
                ticket: id,
                generation,
            },
        );
    }

    /// The customer has waited long enough: a callback is offered if the ticket still waits
    /// unanswered on the phone in the same place.
    pub(super) fn on_callback_offer(&mut self, id: u32, generation: u32) {
        let Some(c) = &self.s.behaviour.callbacks else {
            return;
        };
        let accept_p = c.accept_p;
        let t = self.slab.get_mut(id);
        if t.generation != generation
            || t.phase != Phase::Queued
            || t.responded
            || t.callback != 0
            || !self.s.channels.is_voice(t.channel as usize)
        {
            return;
        }
        let contact = t.retrials as usize;
        let accepted =
            ticket_rng(t.route_key, sid(contact, slot::CALLBACK_ACCEPT)).random::<f64>() < accept_p;
        if accepted {
            t.callback = 1;
        }
        if t.measured {
            self.rec.callbacks.offered += 1;
            self.rec.callbacks.accepted += u64::from(accepted);
        }
    }

    /// An agent of `pool` takes callback `id`: true if this attempt fails (the agent is then
    /// busy with the failed call, and the ticket's step ends as [`Outcome::Unreachable`]),
    /// false if the customer answers and service goes on as usual.
    pub(super) fn callback_attempt_fails(&mut self, id: u32, pool: usize) -> bool {
        let Some(c) = &self.s.behaviour.callbacks else {
            return false;
        };
        let (unreachable_p, failed_min) = (c.unreachable_p, c.failed_attempt_min);
        let now = self.now;
        let t = self.slab.get_mut(id);
        let attempt = t.callback as usize - 1;
        let fails = unreachable_p > 0.0
            && ticket_rng(t.route_key, sid(attempt, slot::CALLBACK_REACH)).random::<f64>()
                < unreachable_p;
        let measured = t.measured;
        if measured {
            self.rec.callbacks.attempts += 1;
            self.rec.callbacks.connected += u64::from(!fails);
        }
        if !fails {
            return false;
        }
        t.go(Phase::InService);
        t.outcome = Outcome::Unreachable;
        self.occupy(pool, id);
        self.begin(id, pool, now + failed_min);
        true
    }

    /// A failed attempt is over: the callback rejoins the queue after the retry delay, or,
    /// after its last attempt, the customer is lost (counted as abandoned).
    pub(super) fn callback_failed(&mut self, id: u32) {
        let Some(c) = &self.s.behaviour.callbacks else {
            return;
        };
        let now = self.now;
        let max = c.max_attempts;
        let t = self.slab.get_mut(id);
        let failed = t.callback;
        if failed >= max {
            let t = *t;
            if t.measured {
                self.rec.callbacks.lost += 1;
                self.rec.abandoned(self.s, &t, now);
                self.open_measured -= 1;
                self.sink.ticket_ended(&t, now, TicketOutcome::Abandoned);
            }
            self.release(id);
            return;
        }
        let delay = c.retry.sample(&mut ticket_rng(
            t.route_key,
            sid(failed as usize, slot::CALLBACK_RETRY),
        ));
        t.callback = failed + 1;
        t.go(Phase::Away);
        t.stage_since = now + delay;
        self.schedule(now + delay, EventKind::Enqueue { ticket: id });
    }
}
