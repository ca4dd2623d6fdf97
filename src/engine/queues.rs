//! The waiting line of one pool: FIFO queues by class, served in class order
//! (non-preemptive). Classes are priorities; under live-first ordering the live tickets
//! awaiting a first response form the first set of classes and everything else the second.
//!
//! Under the scored discipline the line is one heap instead, highest key first (see
//! [`crate::scenario::QueueScore::key`]), ties first in, first out.
//!
//! Entries are (slab id, generation): an entry whose ticket moved on is skipped when popped,
//! so removal on abandonment is O(1) bookkeeping instead of a search.

use super::ticket::Slab;
use crate::scenario::{MAX_CHANNELS, QueueOrder, in_mask};
use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};

/// The class a waiting ticket joins, in a scenario of `priorities` priorities (classes
/// `0..2 x priorities`: the second set is used by live-first); `live`: the ticket's channel
/// is live.
#[inline]
pub fn class_of(
    order: QueueOrder,
    priorities: usize,
    live: bool,
    priority: usize,
    responded: bool,
) -> usize {
    match order {
        QueueOrder::Priority | QueueOrder::Scored => priority,
        QueueOrder::LiveFirst if live && !responded => priority,
        QueueOrder::LiveFirst => priorities + priority,
    }
}

/// A waiting ticket under the scored discipline: greater key first, then earlier `seq`.
#[derive(Debug, Clone, Copy)]
struct Scored {
    key: f64,
    seq: u64,
    id: u32,
    generation: u32,
}

impl PartialEq for Scored {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}
impl Eq for Scored {}
impl PartialOrd for Scored {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Scored {
    // BinaryHeap is a max-heap: the greatest key, and among equal keys the smallest seq.
    fn cmp(&self, o: &Self) -> Ordering {
        self.key.total_cmp(&o.key).then(o.seq.cmp(&self.seq))
    }
}

/// The queue of one pool.
#[derive(Debug)]
pub struct PoolQueue {
    by_class: Vec<VecDeque<(u32, u32)>>,
    /// The line under the scored discipline (`by_class` stays empty then).
    scored: BinaryHeap<Scored>,
    /// Entries pushed to `scored` (first in, first out among equal keys).
    seq: u64,
    /// Live entries (stale ones stay in the deques until popped).
    len: usize,
    /// Live entries per channel (queue limits count them; chats can jump the queue).
    waiting: [usize; MAX_CHANNELS],
    /// Bit `c` set: channel `c` is a chat channel ([`crate::scenario::Channels::is_chat`]).
    chat_mask: u32,
}

impl PoolQueue {
    /// An empty queue for a scenario of `priorities` priorities (two classes each), whose
    /// chat channels are the set bits of `chat_mask`.
    pub fn new(priorities: usize, chat_mask: u32) -> Self {
        PoolQueue {
            by_class: (0..2 * priorities).map(|_| VecDeque::new()).collect(),
            scored: BinaryHeap::new(),
            seq: 0,
            len: 0,
            waiting: [0; MAX_CHANNELS],
            chat_mask,
        }
    }

    #[inline]
    fn is_chat(&self, channel: usize) -> bool {
        in_mask(self.chat_mask, channel)
    }
}

/// Drops the stale entries (tickets that left the line) at the head of `dq`; live entries
/// keep their order.
#[inline]
fn drop_stale_heads(dq: &mut VecDeque<(u32, u32)>, slab: &Slab) {
    while let Some(&(id, g)) = dq.front() {
        if slab.is_waiting(id, g) {
            break;
        }
        dq.pop_front();
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
        // Most files have one chat channel: one load, as before channels had kinds.
        if self.chat_mask.is_power_of_two() {
            return self.waiting[self.chat_mask.trailing_zeros() as usize % MAX_CHANNELS];
        }
        let (mut bits, mut n) = (self.chat_mask, 0);
        while bits != 0 {
            n += self.waiting[bits.trailing_zeros() as usize];
            bits &= bits - 1;
        }
        n
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

    /// Adds a ticket of `channel` under the scored discipline with its `key`.
    #[inline]
    pub fn push_scored(&mut self, key: f64, id: u32, generation: u32, channel: usize) {
        self.seq += 1;
        self.scored.push(Scored {
            key,
            seq: self.seq,
            id,
            generation,
        });
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
    #[inline]
    pub fn pop(&mut self, slab: &Slab) -> Option<u32> {
        if self.len == 0 {
            return None;
        }
        if !self.scored.is_empty() {
            return self.pop_scored(slab, false);
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

    /// Under category routing: the first class (in class order) whose oldest live ticket has
    /// waited at its stage at least `after_min` at `now` (`stage_since + after_min <= now`,
    /// the very sum its overflow event was scheduled at), with that ticket's join time.
    /// Stale entries at the heads are dropped. Within a class tickets are first in, first
    /// out, so when the head is not visible yet nobody behind it is.
    #[inline]
    pub fn visible_head(&mut self, slab: &Slab, now: f64, after_min: f64) -> Option<(usize, f64)> {
        if self.len == 0 {
            return None;
        }
        for (class, dq) in self.by_class.iter_mut().enumerate() {
            drop_stale_heads(dq, slab);
            if let Some(&(id, _)) = dq.front() {
                let since = slab.get(id).stage_since;
                if since + after_min <= now {
                    return Some((class, since));
                }
            }
        }
        None
    }

    /// Pops the head of `class`, a live ticket found by [`Self::visible_head`].
    #[inline]
    pub fn pop_class(&mut self, class: usize, slab: &Slab) -> u32 {
        let (id, _) = self.by_class[class].pop_front().expect("a visible head");
        self.len -= 1;
        self.waiting[slab.get(id).channel as usize] -= 1;
        id
    }

    /// Pops the highest-scored waiting ticket (only a chat if `chat_only`), skipping and
    /// dropping stale entries; live entries passed over keep their places.
    fn pop_scored(&mut self, slab: &Slab, chat_only: bool) -> Option<u32> {
        let mut passed = Vec::new();
        let mut found = None;
        while let Some(e) = self.scored.pop() {
            if !slab.is_waiting(e.id, e.generation) {
                continue;
            }
            let channel = slab.get(e.id).channel as usize;
            if chat_only && !self.is_chat(channel) {
                passed.push(e);
                continue;
            }
            self.len -= 1;
            self.waiting[channel] -= 1;
            found = Some(e.id);
            break;
        }
        self.scored.extend(passed);
        found
    }

    /// Pops the first waiting chat in queue order (other tickets keep their places).
    pub fn pop_chat(&mut self, slab: &Slab) -> Option<u32> {
        if !self.scored.is_empty() {
            return self.pop_scored(slab, true);
        }
        let chat_mask = self.chat_mask;
        for dq in self.by_class.iter_mut() {
            // Customers who gave up stay in the deque until popped; under heavy abandonment
            // a scan from the front would pass over them on every chat pop (quadratic in the
            // line's length), so they go first.
            drop_stale_heads(dq, slab);
            let found = dq.iter().position(|&(id, g)| {
                slab.is_waiting(id, g) && in_mask(chat_mask, slab.get(id).channel as usize)
            });
            if let Some(i) = found {
                let (id, _) = dq.remove(i).expect("found");
                let channel = slab.get(id).channel as usize;
                self.len -= 1;
                self.waiting[channel] -= 1;
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

    // The default channels: email, chat, phone.
    const EMAIL: usize = 0;
    const CHAT: usize = 1;
    const CHATS: u32 = 1 << CHAT;

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
        let mut q = PoolQueue::new(4, CHATS);
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
        let mut q = PoolQueue::new(4, CHATS);
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
    fn a_chat_pop_drops_the_stale_heads_it_passes_and_keeps_live_order() {
        let mut slab = Slab::default();
        let mut q = PoolQueue::new(1, CHATS);
        let gone: Vec<_> = (0..50).map(|_| waiting(&mut slab, CHAT)).collect();
        let first = waiting(&mut slab, CHAT);
        let second = waiting(&mut slab, CHAT);
        for &(id, g) in gone.iter().chain([&first, &second]) {
            q.push(0, id, g, CHAT);
        }
        for &(id, _) in &gone {
            slab.release(id);
            q.forget(CHAT);
        }
        assert_eq!(q.pop_chat(&slab), Some(first.0));
        // The 50 abandoned entries are gone, not scanned again by the next pop.
        assert_eq!(q.by_class[0].len(), 1);
        assert_eq!(q.pop_chat(&slab), Some(second.0));
        assert!(q.is_empty());
    }

    #[test]
    fn the_scored_line_takes_the_highest_key_first_in_first_out_among_ties() {
        let mut slab = Slab::default();
        let mut q = PoolQueue::new(4, CHATS);
        let a = waiting(&mut slab, EMAIL);
        let b = waiting(&mut slab, CHAT);
        let c = waiting(&mut slab, EMAIL);
        let d = waiting(&mut slab, EMAIL);
        q.push_scored(1.0, a.0, a.1, EMAIL);
        q.push_scored(5.0, b.0, b.1, CHAT);
        q.push_scored(5.0, c.0, c.1, EMAIL);
        q.push_scored(-2.0, d.0, d.1, EMAIL);
        // A stale entry is skipped.
        slab.release(c.0);
        q.forget(EMAIL);
        assert_eq!(q.pop_chat(&slab), Some(b.0));
        let order: Vec<u32> = std::iter::from_fn(|| q.pop(&slab)).collect();
        assert_eq!(order, [a.0, d.0]);
        assert!(q.is_empty());
    }

    #[test]
    fn live_first_puts_unanswered_live_tickets_before_everything_else() {
        let o = QueueOrder::LiveFirst;
        assert_eq!(class_of(o, 4, true, 3, false), 3);
        assert_eq!(class_of(o, 4, false, 0, false), 4);
        assert_eq!(class_of(o, 4, true, 0, true), 4);
        assert_eq!(class_of(QueueOrder::Priority, 4, true, 2, false), 2);
        // Two priorities: the second set of classes starts at 2.
        assert_eq!(class_of(o, 2, false, 1, false), 3);
    }

    #[test]
    fn every_chat_channel_counts_as_a_chat_and_can_jump_the_line() {
        // Channels: phone, web chat, email, app chat.
        let mut slab = Slab::default();
        let mut q = PoolQueue::new(2, 0b1010);
        let phone = waiting(&mut slab, 0);
        let app = waiting(&mut slab, 3);
        let web = waiting(&mut slab, 1);
        q.push(0, phone.0, phone.1, 0);
        q.push(1, app.0, app.1, 3);
        q.push(1, web.0, web.1, 1);
        assert_eq!((q.len(), q.chats()), (3, 2));
        assert_eq!(q.pop_chat(&slab), Some(app.0));
        assert_eq!((q.waiting(3), q.waiting(1), q.chats()), (0, 1, 1));
        assert_eq!(q.pop_chat(&slab), Some(web.0));
        assert_eq!((q.chats(), q.pop_chat(&slab)), (0, None));
        assert_eq!(q.pop(&slab), Some(phone.0));
    }
}
