//! The waiting line of one pool: FIFO queues by class, served in class order
//! (non-preemptive). Classes are priorities; under live-first ordering the live tickets
//! awaiting a first response form the first set of classes and everything else the second.
//!
//! Entries are (slab id, generation): an entry whose ticket moved on is skipped when popped,
//! so removal on abandonment is O(1) bookkeeping instead of a search.

use super::ticket::Slab;
use crate::scenario::{CHANNELS, CHAT, EMAIL, PRIORITIES, QueueOrder};
use std::collections::VecDeque;

/// Queue classes of a scenario: two sets of priorities (the second used by live-first).
pub const CLASSES: usize = 2 * PRIORITIES.len();

/// The class a waiting ticket joins.
#[inline]
pub fn class_of(order: QueueOrder, channel: usize, priority: usize, responded: bool) -> usize {
    match order {
        QueueOrder::Priority => priority,
        QueueOrder::LiveFirst if channel != EMAIL && !responded => priority,
        QueueOrder::LiveFirst => PRIORITIES.len() + priority,
    }
}

/// The queue of one pool.
#[derive(Debug)]
pub struct PoolQueue {
    by_class: Vec<VecDeque<(u32, u32)>>,
    /// Live entries (stale ones stay in the deques until popped).
    len: usize,
    /// Live entries per channel (queue limits count them; chats can jump the queue).
    waiting: [usize; CHANNELS.len()],
}

impl Default for PoolQueue {
    fn default() -> Self {
        PoolQueue {
            by_class: (0..CLASSES).map(|_| VecDeque::new()).collect(),
            len: 0,
            waiting: [0; CHANNELS.len()],
        }
    }
}

impl PoolQueue {
    /// Tickets waiting.
    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when nobody waits.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Chats waiting.
    #[inline]
    pub fn chats(&self) -> usize {
        self.waiting[CHAT]
    }

    /// Tickets of `channel` waiting.
    #[inline]
    pub fn waiting(&self, channel: usize) -> usize {
        self.waiting[channel]
    }

    /// Adds a ticket of `channel` at the back of its class.
    #[inline]
    pub fn push(&mut self, class: usize, id: u32, generation: u32, channel: usize) {
        self.by_class[class].push_back((id, generation));
        self.len += 1;
        self.waiting[channel] += 1;
    }

    /// Forgets a waiting ticket of `channel` that left without being served (its entry goes
    /// stale).
    #[inline]
    pub fn forget(&mut self, channel: usize) {
        self.len -= 1;
        self.waiting[channel] -= 1;
    }

    /// Pops the next waiting ticket in class order, skipping stale entries.
    pub fn pop(&mut self, slab: &Slab) -> Option<u32> {
        if self.len == 0 {
            return None;
        }
        for dq in self.by_class.iter_mut() {
            while let Some((id, g)) = dq.pop_front() {
                if slab.is_waiting(id, g) {
                    self.len -= 1;
                    self.waiting[slab.get(id).channel as usize] -= 1;
                    return Some(id);
                }
            }
        }
        None
    }

    /// Pops the first waiting chat in queue order (other tickets keep their places).
    pub fn pop_chat(&mut self, slab: &Slab) -> Option<u32> {
        for dq in self.by_class.iter_mut() {
            let found = dq.iter().position(|&(id, g)| {
                slab.is_waiting(id, g) && slab.get(id).channel as usize == CHAT
            });
            if let Some(i) = found {
                let (id, _) = dq.remove(i).expect("found");
                self.len -= 1;
                self.waiting[CHAT] -= 1;
                return Some(id);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ticket::Phase;

    fn waiting(slab: &mut Slab, channel: usize) -> (u32, u32) {
        let id = slab.alloc();
        let t = slab.get_mut(id);
        t.channel = channel as u8;
        t.go(Phase::Queued);
        (id, t.generation)
    }

    #[test]
    fn classes_are_served_in_order_and_fifo_within_a_class() {
        let mut slab = Slab::default();
        let mut q = PoolQueue::default();
        let a = waiting(&mut slab, EMAIL);
        let b = waiting(&mut slab, EMAIL);
        let c = waiting(&mut slab, EMAIL);
        q.push(3, a.0, a.1, EMAIL);
        q.push(0, b.0, b.1, EMAIL);
        q.push(3, c.0, c.1, EMAIL);
        assert_eq!(q.len(), 3);
        let order: Vec<u32> = std::iter::from_fn(|| q.pop(&slab)).collect();
        assert_eq!(order, [b.0, a.0, c.0]);
        assert!(q.is_empty());
    }

    #[test]
    fn stale_entries_are_skipped_and_chats_can_jump_the_line() {
        let mut slab = Slab::default();
        let mut q = PoolQueue::default();
        let e = waiting(&mut slab, EMAIL);
        let gone = waiting(&mut slab, CHAT);
        let chat = waiting(&mut slab, CHAT);
        q.push(0, e.0, e.1, EMAIL);
        q.push(0, gone.0, gone.1, CHAT);
        q.push(1, chat.0, chat.1, CHAT);
        assert_eq!((q.waiting(EMAIL), q.waiting(CHAT)), (1, 2));
        // The first chat abandons: its entry goes stale.
        slab.release(gone.0);
        q.forget(CHAT);
        assert_eq!((q.len(), q.chats()), (2, 1));
        assert_eq!(q.pop_chat(&slab), Some(chat.0));
        assert_eq!((q.len(), q.chats()), (1, 0));
        assert_eq!(q.pop(&slab), Some(e.0));
        assert_eq!(q.pop(&slab), None);
    }

    #[test]
    fn live_first_puts_unanswered_live_tickets_before_everything_else() {
        let o = QueueOrder::LiveFirst;
        assert_eq!(class_of(o, CHAT, 3, false), 3);
        assert_eq!(class_of(o, EMAIL, 0, false), PRIORITIES.len());
        assert_eq!(class_of(o, CHAT, 0, true), PRIORITIES.len());
        assert_eq!(class_of(QueueOrder::Priority, CHAT, 2, false), 2);
    }
}
