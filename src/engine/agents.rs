//! Pool state: agents on duty, busy, held for a swarm, resting under an occupancy cap; chat
//! slots under chat concurrency; staffing changes, shift ends and hand-over; and dispatching
//! free agents to waiting work.
//!
//! Two optional per-pool rules (README, `[[pools]]`): under chat concurrency an agent holds
//! up to k chats at once (tracked agent by agent in [`ChatAgents`]), and under an occupancy
//! cap c an agent rests d x (1 - c) / c after d minutes of work before taking anything new.

use super::kernel::EventKind;
use super::sim::Simulation;
use super::ticket::{Entry, NO_AGENT, Phase};
use crate::measure::TicketSink;
use crate::scenario::{SwarmPriority, in_mask};

/// Agent counts of one pool.
#[derive(Debug, Default, Clone, Copy)]
pub struct PoolState {
    /// On duty.
    pub staffed: u32,
    /// Working (a chat agent holding any chats counts once).
    pub busy: u32,
    /// Free agents held for a waiting swarm request (rule `swarm_first`).
    pub held: u32,
    /// Resting under an occupancy cap: on duty, neither busy nor free.
    pub resting: u32,
}

impl PoolState {
    /// On duty and neither busy nor resting (held agents included).
    #[inline]
    pub fn free(&self) -> u32 {
        self.staffed.saturating_sub(self.busy + self.resting)
    }
}

/// The agents of one pool holding chats under chat concurrency (`chat_concurrency` > 1), by
/// slot: each agent that takes a first chat gets a slot until it holds none again. Pools are
/// small, so routing scans the slots.
#[derive(Debug, Default)]
pub struct ChatAgents {
    /// Chats held per slot (0 = slot unused).
    pub(super) load: Vec<u8>,
    /// When the slot's agent took its first chat [minutes].
    since: Vec<f64>,
    /// Unused slots.
    unused: Vec<u32>,
}

impl ChatAgents {
    /// The slot a new chat joins under concurrency `k`: the agent holding the most chats
    /// below the limit (packing keeps whole agents free for asynchronous and voice work), lowest slot
    /// first; `None` when no chat agent has room.
    #[inline]
    fn room(&self, k: u8) -> Option<u32> {
        let mut best: Option<(usize, u8)> = None;
        for (i, &l) in self.load.iter().enumerate() {
            if l > 0 && l < k && best.is_none_or(|(_, b)| l > b) {
                best = Some((i, l));
            }
        }
        best.map(|(i, _)| i as u32)
    }

    /// A slot for an agent taking its first chat at `now`.
    fn open(&mut self, now: f64) -> u32 {
        let a = self.unused.pop().unwrap_or_else(|| {
            self.load.push(0);
            self.since.push(0.0);
            (self.load.len() - 1) as u32
        });
        self.since[a as usize] = now;
        a
    }

    /// One chat of slot `a` ends; `Some(start)` when the agent holds none any more (it is
    /// free again after working since `start`).
    fn close(&mut self, a: u32) -> Option<f64> {
        let i = a as usize;
        self.load[i] -= 1;
        if self.load[i] > 0 {
            return None;
        }
        self.unused.push(a);
        Some(self.since[i])
    }
}

impl<K: TicketSink> Simulation<'_, K> {
    /// Changes a pool's busy count by `delta` and tells the observers.
    #[inline(always)]
    pub(super) fn set_busy(&mut self, pool: usize, delta: i32) {
        let ps = &mut self.pools[pool];
        ps.busy = ps.busy.wrapping_add_signed(delta);
        let busy = ps.busy;
        self.rec.busy_changed(pool, self.now, busy);
        self.note_present(pool);
    }

    /// Tells the observers how many agents of `pool` are present (on duty, or working or
    /// resting past their shift's end).
    #[inline]
    pub(super) fn note_present(&mut self, pool: usize) {
        // With one staffing level for the whole run nobody works past a shift's end: the
        // agents present are those on duty, and the recorder uses their integral.
        if !self.rec.tracks_present[pool] {
            return;
        }
        let ps = self.pools[pool];
        let n = ps.staffed.max(ps.busy + ps.resting);
        self.rec.present_changed(pool, self.now, n);
    }

    /// Sets a pool's agents on duty and tells the observers.
    pub(super) fn set_staffed(&mut self, pool: usize, n: u32) {
        self.pools[pool].staffed = n;
        self.rec.staffed_changed(pool, self.now, n);
        self.note_present(pool);
    }

    /// Under chat concurrency, the chat agent a new chat of `pool` joins. None without
    /// concurrency, when no chat agent has room, or while the pool has agents in excess of
    /// those on duty (after a shift end nobody knows which agent is leaving, so no chat joins
    /// anyone then).
    #[inline]
    pub(super) fn chat_room(&self, pool: usize) -> Option<u32> {
        let k = self.s.pools[pool].chat_concurrency;
        let ps = &self.pools[pool];
        if k <= 1 || ps.busy + ps.resting > ps.staffed {
            return None;
        }
        self.chats[pool].room(k)
    }

    /// An agent of `pool` takes ticket `id`: a chat under chat concurrency joins a chat agent
    /// with room, else (like any other ticket) occupies a free agent, which then counts busy.
    #[inline(always)]
    pub(super) fn occupy(&mut self, pool: usize, id: u32) {
        let now = self.now;
        let t = self.slab.get_mut(id);
        t.started = now;
        if self.s.pools[pool].chat_concurrency > 1 && in_mask(self.chat_mask, t.channel as usize) {
            let slot = match self.chat_room(pool) {
                Some(a) => a,
                None => {
                    let a = self.chats[pool].open(now);
                    self.set_busy(pool, 1);
                    a
                }
            };
            self.chats[pool].load[slot as usize] += 1;
            self.slab.get_mut(id).agent = slot;
            return;
        }
        self.set_busy(pool, 1);
    }

    /// The agent of `pool` working ticket `id` is done with it. A chat agent still holding
    /// chats stays busy; any other agent is free again, after its rest under an occupancy cap
    /// (a chat agent's work item is the whole span it held chats).
    #[inline(always)]
    pub(super) fn vacate(&mut self, pool: usize, id: u32) {
        let now = self.now;
        let t = self.slab.get_mut(id);
        let mut worked = now - t.started;
        let slot = std::mem::replace(&mut t.agent, NO_AGENT);
        if slot != NO_AGENT {
            match self.chats[pool].close(slot) {
                None => return,
                Some(since) => worked = now - since,
            }
        }
        self.end_work(pool, 1, worked);
    }

    /// `n` agents of `pool` finish work items of `worked` minutes each: free at once, or under
    /// an occupancy cap c free after resting worked x (1 - c) / c.
    #[inline(always)]
    pub(super) fn end_work(&mut self, pool: usize, n: u32, worked: f64) {
        self.set_busy(pool, -(n as i32));
        let c = self.s.pools[pool].max_occupancy;
        if c < 1.0 {
            self.pools[pool].resting += n;
            self.note_present(pool);
            let back = self.now + worked * (1.0 - c) / c;
            for _ in 0..n {
                self.schedule(back, EventKind::Rested { pool: pool as u32 });
            }
        }
    }

    /// Lets idle on-duty agents of a pool take waiting tickets and start ready swarm sessions,
    /// in the order the swarm priority rule says.
    #[inline]
    pub(super) fn dispatch(&mut self, pool: usize) {
        let swarm_rule = self.s.swarm.as_ref().map(|w| w.priority);
        if self.desk.pending() > 0 && swarm_rule == Some(SwarmPriority::SwarmFirst) {
            self.try_sessions();
        }
        if let Some(k) = self.routed
            && !k.scans[pool].is_empty()
        {
            self.routed_dispatch(k, pool);
        }
        loop {
            let ps = self.pools[pool];
            if ps.busy + ps.held + ps.resting >= ps.staffed {
                break;
            }
            match self.queues[pool].pop(&self.slab) {
                Some(id) => {
                    self.queue_popped(pool);
                    self.start_service(id);
                }
                None => break,
            }
        }
        if self.s.pools[pool].chat_concurrency > 1 {
            self.dispatch_chats(pool);
        }
        if self.desk.pending() > 0 && swarm_rule == Some(SwarmPriority::QueueFirst) {
            self.try_sessions();
        }
    }

    /// A ticket left `pool`'s queue for service: the observers hear the new length.
    #[inline(always)]
    fn queue_popped(&mut self, pool: usize) {
        let len = self.queues[pool].len();
        self.rec.queue_changed(pool, self.now, len);
    }

    /// Under chat concurrency, gives waiting chats to chat agents with room, in queue order:
    /// waiting asynchronous and voice tickets, which need a whole agent, do not hold them back.
    fn dispatch_chats(&mut self, pool: usize) {
        while self.queues[pool].chats() > 0 && self.chat_room(pool).is_some() {
            let Some(id) = self.queues[pool].pop_chat(&self.slab) else {
                break;
            };
            self.queue_popped(pool);
            self.start_service(id);
        }
    }

    /// Schedules the end of the ticket's service step at `due`, and tracks it for hand-over
    /// when its pool hands over at shift end (concurrent chats excepted).
    #[inline(always)]
    pub(super) fn begin(&mut self, id: u32, pool: usize, due: f64) {
        let t = self.slab.get_mut(id);
        t.svc = t.svc.wrapping_add(1);
        t.due = due;
        let (svc, whole_agent) = (t.svc, t.agent == NO_AGENT);
        if whole_agent && self.s.pools[pool].handover_min.is_some() {
            self.in_service[pool].push(id);
        }
        self.schedule(due, EventKind::Done { ticket: id, svc });
    }

    /// An agent takes over a ticket handed over at a shift end: the hand-over time, then the
    /// work that was left (its outcome was decided when the work started).
    pub(super) fn take_over(&mut self, id: u32) {
        let pool = self.serving_pool(self.slab.get(id));
        let handover = self.s.pools[pool].handover_min.unwrap_or(0.0);
        let t = self.slab.get_mut(id);
        // Nothing else is owed: the step's outcome stands.
        t.entry = Entry::New;
        t.go(Phase::InService);
        let due = self.now + handover + t.remaining_min as f64;
        self.occupy(pool, id);
        self.begin(id, pool, due);
    }

    /// A shift ends in a pool that hands over: as many agents as are now busy beyond those on
    /// duty (at most the shift's leavers) put down their tickets, most recently started first;
    /// each ticket rejoins its queue with the work it has left.
    pub(super) fn on_shift_end(&mut self, pool: usize, index: usize) {
        let p = &self.s.pools[pool];
        let (_, leaving) = p.shift_ends[index];
        if let Some(&(t, _)) = p.shift_ends.get(index + 1) {
            self.schedule(
                t,
                EventKind::ShiftEnd {
                    pool: pool as u32,
                    index: index as u32 + 1,
                },
            );
        }
        let on_duty = p.staffed_at(self.now);
        // The staffing change at this instant may not have been processed yet (same-time
        // events run in scheduling order): apply it now so handed tickets do not restart on
        // the leaving agents. The Staffing event then sets the same value again.
        if self.pools[pool].staffed != on_duty {
            self.set_staffed(pool, on_duty);
        }
        let ps = self.pools[pool];
        let excess = (ps.busy + ps.resting).saturating_sub(on_duty).min(leaving);
        for _ in 0..excess {
            let list = &self.in_service[pool];
            let Some((i, &id)) = list.iter().enumerate().max_by(|a, b| {
                let (x, y) = (self.slab.get(*a.1), self.slab.get(*b.1));
                x.started.total_cmp(&y.started).then(a.1.cmp(b.1))
            }) else {
                break;
            };
            self.in_service[pool].swap_remove(i);
            let now = self.now;
            let t = self.slab.get_mut(id);
            t.remaining_min = (t.due - now).max(0.0) as f32;
            t.svc = t.svc.wrapping_add(1);
            t.entry = Entry::HandedOver;
            // Old queue entries and patience timers of this ticket go stale.
            t.generation = t.generation.wrapping_add(1);
            let measured = t.measured;
            self.set_busy(pool, -1);
            if measured {
                self.rec.handed_over();
            }
            self.enqueue(id);
        }
    }

    /// A pool's staffing changes to `schedule[index]`; the next change is scheduled.
    pub(super) fn on_staffing(&mut self, pool: usize, index: usize) {
        let sched = &self.s.pools[pool].schedule;
        let (_, n) = sched[index];
        if let Some(&(t, _)) = sched.get(index + 1) {
            self.schedule(
                t,
                EventKind::Staffing {
                    pool: pool as u32,
                    index: index as u32 + 1,
                },
            );
        }
        self.set_staffed(pool, n);
        self.dispatch(pool);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;

    // The default channels' indices.
    const EMAIL: usize = 0;
    const CHAT: usize = 1;

    /// One pool of agents at chat concurrency 3.
    fn chat_pool() -> Scenario {
        let text = r#"
name = "packing"
[demand]
tickets_per_hour = 10
channels = { email = 0.5, chat = 0.5 }
priorities = { P3 = 1.0 }
segments = { all = 1.0 }
required_level = { 1 = 1.0 }
[[pools]]
name = "agents"
headcount = 3
chat_concurrency = 3
[[tiers]]
level = 1
pool = "agents"
work_time.default = 10
"#;
        Scenario::from_toml_str(text, std::path::Path::new("<test>")).unwrap()
    }

    /// Puts a new ticket of `channel` in service on pool 0, as `start_service` does.
    fn take(sim: &mut Simulation<'_>, channel: usize) -> u32 {
        let id = sim.slab.alloc();
        sim.slab.get_mut(id).channel = channel as u8;
        sim.occupy(0, id);
        id
    }

    #[test]
    fn a_new_chat_joins_the_busiest_chat_agent_with_room() {
        let s = chat_pool();
        let mut sim = Simulation::new(&s, 0);
        sim.pools[0].staffed = 3;
        // Packing: the first agent fills up before a second one takes a chat.
        let c: Vec<u32> = (0..4).map(|_| take(&mut sim, CHAT)).collect();
        assert_eq!(sim.chats[0].load, [3, 1]);
        assert_eq!(sim.pools[0].busy, 2);
        // An email takes a whole agent; chat agents are untouched.
        let e = take(&mut sim, EMAIL);
        assert_eq!(sim.pools[0].busy, 3);
        assert_eq!(sim.slab.get(e).agent, NO_AGENT);
        // A freed chat place goes to the agent holding the most chats below the limit.
        sim.vacate(0, c[0]);
        assert_eq!(sim.chats[0].load, [2, 1]);
        let c4 = take(&mut sim, CHAT);
        assert_eq!(
            (sim.slab.get(c4).agent, sim.chats[0].load.as_slice()),
            (0, &[3, 1][..])
        );
        // Ties go to the first slot.
        sim.vacate(0, c[1]);
        sim.vacate(0, c[2]);
        assert_eq!(sim.chats[0].load, [1, 1]);
        take(&mut sim, CHAT);
        assert_eq!(sim.chats[0].load, [2, 1]);
        // An agent holding no chat any more is free (its slot is reused later).
        sim.vacate(0, c[3]);
        assert_eq!(sim.chats[0].load, [2, 0]);
        assert_eq!(sim.pools[0].busy, 2);
        // After a shift end leaves more agents busy than on duty, no chat joins anyone.
        sim.pools[0].staffed = 1;
        assert_eq!(sim.chat_room(0), None);
        sim.pools[0].staffed = 2;
        assert_eq!(sim.chat_room(0), Some(0));
        sim.vacate(0, e);
        take(&mut sim, CHAT);
        take(&mut sim, CHAT);
        assert_eq!(sim.chats[0].load, [3, 1]);
        assert_eq!(sim.pools[0].busy, 2);
    }

    #[test]
    fn an_occupancy_cap_rests_an_agent_in_proportion_to_its_work() {
        let mut s = chat_pool();
        s.pools[0].max_occupancy = 0.8;
        let mut sim = Simulation::new(&s, 0);
        sim.pools[0].staffed = 3;
        let e = take(&mut sim, EMAIL);
        sim.now = 40.0;
        sim.vacate(0, e);
        assert_eq!((sim.pools[0].busy, sim.pools[0].resting), (0, 1));
        assert_eq!(sim.pools[0].free(), 2, "a resting agent is not free");
        // 40 min of work at a cap of 0.8 earns 40 x 0.2 / 0.8 = 10 min of rest.
        let ev = sim.events.pop().expect("the rest's end is scheduled");
        assert_eq!(ev.kind, EventKind::Rested { pool: 0 });
        assert!((ev.time() - 50.0).abs() < 1e-12, "{}", ev.time());
    }
}
