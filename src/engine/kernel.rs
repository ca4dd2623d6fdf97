//! The event kernel: a priority queue of timed events, earliest first, ties broken by the
//! order they were scheduled (first in, first out). That tie rule is what makes every run
//! deterministic, so it is part of the kernel's contract, not an accident of the heap.
//!
//! The one pending arrival is kept beside the heap rather than in it: arrivals are about half
//! of all events and there is only ever one pending, so this halves heap traffic.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// What happens at an event. Ticket and pool ids are slab and pool indices.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum EventKind {
    /// The next ticket arrives.
    Arrival,
    /// An agent finishes the current step of a ticket.
    Done {
        /// Slab id.
        ticket: u32,
        /// The ticket's service count when scheduled (stale after a hand-over).
        svc: u32,
    },
    /// A ticket becomes ready to join the queue of its current stage.
    Enqueue {
        /// Slab id.
        ticket: u32,
    },
    /// A waiting customer's patience runs out (ignored if answered meanwhile).
    Abandon {
        /// Slab id.
        ticket: u32,
        /// The ticket's generation when scheduled (stale once it moved on).
        generation: u32,
    },
    /// A customer whose live contact failed tries again (`[customers.retrials]`).
    Retry {
        /// Slab id.
        ticket: u32,
    },
    /// A message-channel customer still waiting for a first response sends a chaser (ignored if
    /// answered meanwhile).
    Chase {
        /// Slab id.
        ticket: u32,
        /// The ticket's generation when scheduled.
        generation: u32,
    },
    /// A voice customer has waited long enough to be offered a callback (ignored if answered
    /// or gone meanwhile).
    CallbackOffer {
        /// Slab id.
        ticket: u32,
        /// The ticket's generation when scheduled.
        generation: u32,
    },
    /// The L4 vendor resolves a ticket.
    VendorDone {
        /// Slab id.
        ticket: u32,
    },
    /// A swarm session ends: the owner is free, the ticket is resolved (or goes to the vendor).
    SessionDone {
        /// Slab id.
        ticket: u32,
    },
    /// A swarm helper is back at its own work after its context switch.
    HelperFree {
        /// Pool index.
        pool: u32,
        /// Minutes the helper worked: session and context switch (for an occupancy cap).
        worked: f32,
    },
    /// An agent's rest under an occupancy cap is over.
    Rested {
        /// Pool index.
        pool: u32,
    },
    /// A pool's staffing changes to `schedule[index]`.
    Staffing {
        /// Pool index.
        pool: u32,
        /// Index into the pool's schedule.
        index: u32,
    },
    /// A shift of a pool with hand-over ends: `shift_ends[index]`.
    ShiftEnd {
        /// Pool index.
        pool: u32,
        /// Index into the pool's shift ends.
        index: u32,
    },
    /// A waiting ticket's overflow delay ends: the pool may now take it (category routing).
    Overflow {
        /// Pool index.
        pool: u32,
    },
    /// A time-series sample.
    Sample,
    /// Something happens to incident `index` (`[incidents]`).
    Incident {
        /// What happens.
        what: IncidentEvent,
        /// Index into the replication's incidents.
        index: u32,
    },
    /// An affected account contacts support about an incident.
    IncidentContact {
        /// Index into the replication's incidents.
        incident: u32,
        /// Account index (high 24 bits) and contact number (low 8 bits).
        contact: u32,
    },
    /// The next proactive health check is due (`[incidents.outreach]`).
    Outreach,
}

/// What happens to an incident at an [`EventKind::Incident`] event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncidentEvent {
    /// It starts: its accounts are affected.
    Start,
    /// Its response team is assembled.
    TeamIn,
    /// It is fixed.
    End,
    /// The fix is announced: its open child tickets are closed in bulk.
    Notice,
}

/// One scheduled event.
#[derive(Debug, Clone, Copy)]
pub struct Event {
    /// `time.to_bits()` in the high 64 bits, the scheduling sequence number in the low 64:
    /// simulated times are never negative, and the bit patterns of non-negative floats sort
    /// like the floats, so one integer comparison orders by (time, sequence). A single u128
    /// compare has no branch, where a tuple compare has two; the heap compares a lot.
    order: u128,
    /// What happens.
    pub kind: EventKind,
}

impl Event {
    /// When it happens [minutes].
    #[inline]
    pub fn time(&self) -> f64 {
        f64::from_bits((self.order >> 64) as u64)
    }
}

impl PartialEq for Event {
    fn eq(&self, o: &Self) -> bool {
        self.order == o.order
    }
}
impl Eq for Event {}
impl PartialOrd for Event {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Event {
    // Reversed: BinaryHeap is a max-heap and we want the earliest (time, seq) first.
    #[inline]
    fn cmp(&self, o: &Self) -> Ordering {
        o.order.cmp(&self.order)
    }
}

/// The future event list of one replication.
#[derive(Debug)]
pub struct EventQueue {
    heap: BinaryHeap<Event>,
    pending_arrival: Option<Event>,
    seq: u64,
    /// The heap's top was handed out by [`EventQueue::pop`] and is logically gone. It is
    /// removed lazily: most events schedule another one right away (an agent done with a
    /// ticket starts the next), and overwriting the top costs one sift down instead of a
    /// pop and a push.
    top_taken: bool,
}

impl Default for EventQueue {
    fn default() -> Self {
        EventQueue {
            heap: BinaryHeap::with_capacity(1024),
            pending_arrival: None,
            seq: 0,
            top_taken: false,
        }
    }
}

impl EventQueue {
    #[inline]
    fn stamp(&mut self, time: f64, kind: EventKind) -> Event {
        debug_assert!(time >= 0.0, "simulated time starts at 0");
        self.seq += 1;
        // `+ 0.0` turns a -0.0 into 0.0, whose bits sort first.
        let key = (time + 0.0).to_bits();
        Event {
            order: (u128::from(key) << 64) | u128::from(self.seq),
            kind,
        }
    }

    /// Schedules `kind` at `time` [minutes].
    #[inline]
    pub fn schedule(&mut self, time: f64, kind: EventKind) {
        let ev = self.stamp(time, kind);
        if self.top_taken {
            self.top_taken = false;
            if let Some(mut top) = self.heap.peek_mut() {
                *top = ev;
                return;
            }
        }
        self.heap.push(ev);
    }

    /// Sets the one pending arrival (`None`: no more arrivals). It takes a sequence number
    /// like any event, so it ties with heap events in scheduling order.
    #[inline]
    pub fn set_next_arrival(&mut self, time: Option<f64>) {
        self.pending_arrival = time.map(|t| self.stamp(t, EventKind::Arrival));
    }

    /// Removes and returns the earliest event (FIFO among equal times).
    #[inline]
    pub fn pop(&mut self) -> Option<Event> {
        if self.top_taken {
            self.top_taken = false;
            self.heap.pop();
        }
        match (self.pending_arrival, self.heap.peek()) {
            (Some(a), Some(h)) if h.order < a.order => self.take_top(),
            (Some(a), _) => {
                self.pending_arrival = None;
                Some(a)
            }
            (None, _) => self.take_top(),
        }
    }

    /// Hands out the heap's top, leaving it in place until the next pop or schedule.
    #[inline]
    fn take_top(&mut self) -> Option<Event> {
        let top = self.heap.peek().copied();
        self.top_taken = top.is_some();
        top
    }

    /// Events waiting (the pending arrival included).
    pub fn len(&self) -> usize {
        self.heap.len() - usize::from(self.top_taken) + usize::from(self.pending_arrival.is_some())
    }

    /// True when nothing is scheduled.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drain(q: &mut EventQueue) -> Vec<(f64, EventKind)> {
        std::iter::from_fn(|| q.pop().map(|e| (e.time(), e.kind))).collect()
    }

    #[test]
    fn events_come_out_in_time_order() {
        let mut q = EventQueue::default();
        for (t, p) in [(5.0, 0), (1.0, 1), (3.0, 2), (0.0, 3)] {
            q.schedule(t, EventKind::Rested { pool: p });
        }
        let times: Vec<f64> = drain(&mut q).iter().map(|e| e.0).collect();
        assert_eq!(times, [0.0, 1.0, 3.0, 5.0]);
        assert!(q.is_empty());
    }

    #[test]
    fn equal_times_come_out_first_in_first_out() {
        let mut q = EventQueue::default();
        for p in 0..50 {
            q.schedule(2.0, EventKind::Rested { pool: p });
        }
        let pools: Vec<u32> = drain(&mut q)
            .iter()
            .map(|e| match e.1 {
                EventKind::Rested { pool } => pool,
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(pools, (0..50).collect::<Vec<_>>());
    }

    #[test]
    fn the_pending_arrival_ties_with_heap_events_in_scheduling_order() {
        let mut q = EventQueue::default();
        q.schedule(1.0, EventKind::Rested { pool: 0 });
        q.set_next_arrival(Some(1.0));
        q.schedule(1.0, EventKind::Rested { pool: 1 });
        q.schedule(0.5, EventKind::Sample);
        assert_eq!(q.len(), 4);
        let kinds: Vec<EventKind> = drain(&mut q).into_iter().map(|e| e.1).collect();
        assert_eq!(
            kinds,
            [
                EventKind::Sample,
                EventKind::Rested { pool: 0 },
                EventKind::Arrival,
                EventKind::Rested { pool: 1 },
            ]
        );
    }

    #[test]
    fn negative_zero_sorts_as_zero_and_a_replaced_arrival_is_gone() {
        let mut q = EventQueue::default();
        q.schedule(-0.0, EventKind::Sample);
        q.schedule(0.0, EventKind::Rested { pool: 0 });
        q.set_next_arrival(Some(0.25));
        q.set_next_arrival(None);
        let kinds: Vec<EventKind> = drain(&mut q).into_iter().map(|e| e.1).collect();
        assert_eq!(kinds, [EventKind::Sample, EventKind::Rested { pool: 0 }]);
    }

    #[test]
    fn interleaved_pops_and_schedules_match_a_sorted_list() {
        // The lazily removed top must never come out twice nor hide an earlier event.
        let mut q = EventQueue::default();
        let mut reference: Vec<(u64, u64, u32)> = Vec::new();
        let (mut seq, mut x, mut now) = (0u64, 12345u64, 0.0f64);
        for step in 0..5_000u32 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            if x >> 62 == 0 && !reference.is_empty() {
                let e = q.pop().expect("reference says non-empty");
                reference.sort();
                let (k, _, id) = reference.remove(0);
                assert_eq!(
                    (e.time().to_bits(), e.kind),
                    (k, EventKind::Rested { pool: id })
                );
                now = e.time();
            } else {
                // Coarse times, so that ties are frequent.
                let t = now + ((x >> 40) % 4) as f64;
                q.schedule(t, EventKind::Rested { pool: step });
                seq += 1;
                reference.push((t.to_bits(), seq, step));
            }
            assert_eq!(q.len(), reference.len());
        }
    }
}
