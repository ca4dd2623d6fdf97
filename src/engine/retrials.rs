//! Retrials (`[customers.retrials]`): a customer whose live contact failed (abandoned, or
//! found the channel closed or full, and left no message) may try again after a delay, on
//! the same live channel or the other one, up to a cap. A retrial is the same ticket: it
//! keeps its arrival time (every clock runs from the first contact) and is counted once;
//! each contact goes through the door and may abandon again.
//!
//! Every draw comes from the ticket's routing stream for that contact
//! (`sid(contact, slot::...)`), so files without retrials draw nothing new.

use super::kernel::EventKind;
use super::rng::ticket_rng;
use super::sim::Simulation;
use super::ticket::{Phase, Ticket};
use crate::measure::{Door, Observer, TicketOutcome, TicketSink};
use crate::model::{sid, slot};
use crate::scenario::Failure;
use rand::RngExt;

impl<K: TicketSink> Simulation<'_, K> {
    /// If the customer of `t` tries again after `failure` of its latest contact: the delay
    /// until the retrial. `None` without retrials, past the cap, or when the draw says no.
    #[inline]
    pub(super) fn retrial_delay(&self, t: &Ticket, failure: Failure) -> Option<f64> {
        let r = self.s.behaviour.retrials.as_ref()?;
        let p = r.share_after(failure);
        if p == 0.0 || t.retrials >= r.max {
            return None;
        }
        let mut rng = ticket_rng(t.route_key, sid(t.retrials as usize, slot::RETRY));
        (rng.random::<f64>() < p).then(|| r.delay.sample(&mut rng))
    }

    /// A first contact was turned away (closed) or lost (full) at the door and left no
    /// message: the ticket waits to try again, or it is refused for good.
    pub(super) fn refused_at_first_contact(&mut self, t: Ticket, door: Door) {
        let now = self.now;
        let (failure, outcome) = match door {
            Door::TurnedAway => (Failure::Closed, TicketOutcome::TurnedAway),
            _ => (Failure::Blocked, TicketOutcome::Blocked),
        };
        if let Some(delay) = self.retrial_delay(&t, failure) {
            if t.measured {
                self.rec.arrived_to_retry(&t);
            }
            let (id, _) = self.store(&t);
            self.slab.get_mut(id).go(Phase::Away);
            self.schedule(now + delay, EventKind::Retry { ticket: id });
            return;
        }
        if t.measured {
            self.rec.refused(&t);
            self.sink.ticket_ended(&t, now, outcome);
        }
    }

    /// The customer of ticket `id` tries again: on the same or the other live channel,
    /// through that channel's door, then into the entry stage's queue with a fresh patience.
    pub(super) fn on_retry(&mut self, id: u32) {
        let now = self.now;
        let s = self.s;
        let switch_p = s.behaviour.retrials.as_ref().map_or(0.0, |r| r.switch_p);
        let t = self.slab.get_mut(id);
        t.retrials += 1;
        let n = t.retrials as usize;
        if switch_p > 0.0
            && ticket_rng(t.route_key, sid(n, slot::RETRY_SWITCH)).random::<f64>() < switch_p
        {
            t.channel = s.channels.other_live(t.channel as usize) as u8;
        }
        let t = *t;
        let channel = t.channel as usize;
        if t.measured {
            self.rec.retrial(&t);
        }
        if s.access[channel].reported {
            let door = self.at_the_door(&t);
            if t.measured {
                self.rec.at_the_door(channel, door);
            }
            match door {
                Door::Admitted => {}
                Door::ClosedMessage | Door::BlockedMessage => {
                    self.slab.get_mut(id).channel = s.channels.message() as u8;
                }
                Door::TurnedAway | Door::BlockedLost => {
                    let (failure, outcome) = if door == Door::TurnedAway {
                        (Failure::Closed, TicketOutcome::TurnedAway)
                    } else {
                        (Failure::Blocked, TicketOutcome::Blocked)
                    };
                    if let Some(delay) = self.retrial_delay(&t, failure) {
                        self.schedule(now + delay, EventKind::Retry { ticket: id });
                        return;
                    }
                    if t.measured {
                        self.rec.refused_after_retrials(&t);
                        self.open_measured -= 1;
                        self.sink.ticket_ended(&t, now, outcome);
                    }
                    self.release(id);
                    return;
                }
            }
        }
        let t = self.slab.get_mut(id);
        t.stage_since = now;
        let (channel, generation, route_key, measured) =
            (t.channel as usize, t.generation, t.route_key, t.measured);
        if measured {
            self.rec.retrial_admitted(channel);
        }
        if s.channels.is_live(channel)
            && let Some(d) = &s.patience[channel]
        {
            let p = d.sample(&mut ticket_rng(route_key, sid(n, slot::RETRY_PATIENCE)));
            self.schedule(
                now + p,
                EventKind::Abandon {
                    ticket: id,
                    generation,
                },
            );
        }
        self.enqueue(id);
        self.start_waiting(id);
    }
}
