//! Swarm sessions in the engine: an owner's request joins the [`SwarmDesk`], the desk starts
//! sessions when owner and helpers are free together, and a session's end frees them (each
//! helper after its context switch) and resolves the ticket or passes it to the vendor.
//!
//! [`SwarmDesk`]: crate::model::swarm::SwarmDesk

use super::kernel::EventKind;
use super::rng::ticket_rng;
use super::sim::Simulation;
use super::ticket::Phase;
use crate::measure::TicketSink;
use crate::model::Policy;
use crate::model::swarm::{Request, expert_stage, helpers, session_min};
use crate::model::{Draws, sid, slot};
use crate::scenario::{Dist, Scenario};
use rand::RngExt;

/// Session durations from the ticket's work streams.
struct WorkDraws(u64);

impl Draws for WorkDraws {
    #[inline]
    fn time(&mut self, d: &Dist, stream: u32) -> f64 {
        d.sample(&mut ticket_rng(self.0, stream))
    }
    fn chance(&mut self, _stream: u32, _p: f64) -> bool {
        unreachable!("sessions take no routing decisions")
    }
}

impl<K: TicketSink> Simulation<'_, K> {
    /// The owner asks for a swarm: draws the helper count and files the request.
    pub(super) fn request_swarm(&mut self, id: u32) {
        let s = self.s;
        let w = s
            .swarm
            .as_ref()
            .expect("swarm outcome implies swarm settings");
        let now = self.now;
        let t = self.slab.get_mut(id);
        t.go(Phase::AwaitingSwarm);
        t.swarm_at = now;
        let needed = expert_stage(s, t.level as usize);
        let k = helpers(w, ticket_rng(t.route_key, slot::HELPERS).random());
        t.helpers = k;
        t.expert_stage = needed as u8;
        let e = helper_pool(s, &self.policy, needed, t.category as usize);
        t.pool = e as u8;
        let priority = t.priority as usize;
        self.desk.push(
            priority,
            Request {
                ticket: id,
                expert_pool: e,
                helpers: k as u32,
            },
        );
        // The owner's pool is dispatched by the caller; the expert pool may already be free.
        if e != w.owner_pool {
            self.dispatch(e);
        }
    }

    /// Starts every session the desk can match now, in the desk's order.
    pub(super) fn try_sessions(&mut self) {
        let Some(w) = self.s.swarm.as_ref() else {
            return;
        };
        let mut started = std::mem::take(&mut self.started);
        started.clear();
        self.desk.match_sessions(w, &mut self.pools, &mut started);
        for &id in &started {
            self.start_session(id);
        }
        self.started = started;
    }

    /// Owner and helpers (already counted busy by the desk) start a session together.
    fn start_session(&mut self, id: u32) {
        let s = self.s;
        let w = s.swarm.as_ref().expect("sessions imply swarm settings");
        let now = self.now;
        let t = self.slab.get_mut(id);
        t.go(Phase::InSession);
        t.swarmed = true;
        t.started = now;
        let expert = t.expert_stage as usize;
        let e = helper_pool(s, &self.policy, expert, t.category as usize);
        let dur = session_min(
            s,
            &self.policy,
            expert,
            t.channel as usize,
            &mut WorkDraws(t.work_key),
        );
        let ticket = *t;
        if ticket.measured {
            self.rec.swarm_started(&ticket, now);
        }
        let (owner_busy, expert_busy) = (self.pools[w.owner_pool].busy, self.pools[e].busy);
        self.rec.busy_changed(w.owner_pool, now, owner_busy);
        self.rec.busy_changed(e, now, expert_busy);
        self.note_present(w.owner_pool);
        self.note_present(e);
        self.schedule(now + dur, EventKind::SessionDone { ticket: id });
    }

    /// A session ends: the owner is free, each helper after its context switch; the ticket
    /// is resolved, or goes to the vendor when it needs level 4.
    pub(super) fn on_session_done(&mut self, id: u32) {
        let s = self.s;
        let w = s.swarm.as_ref().expect("sessions imply swarm settings");
        let now = self.now;
        self.sessions_done += 1;
        let t = *self.slab.get(id);
        let worked = now - t.started;
        self.end_work(w.owner_pool, 1, worked);
        let expert = t.expert_stage as usize;
        let st = self.policy.stages[expert].stream;
        let e = helper_pool(s, &self.policy, expert, t.category as usize);
        let mut back_now = 0;
        for h in 0..t.helpers as u32 {
            let c = w
                .context_switch
                .sample(&mut ticket_rng(t.work_key, sid(st, slot::SWITCH + h)));
            if c > 0.0 {
                self.schedule(
                    now + c,
                    EventKind::HelperFree {
                        pool: e as u32,
                        worked: (worked + c) as f32,
                    },
                );
            } else {
                back_now += 1;
            }
        }
        if back_now > 0 {
            self.end_work(e, back_now, worked);
        }
        if t.level as usize > s.tiers.len() {
            self.slab.get_mut(id).go(Phase::Away);
            let mut route = ticket_rng(t.route_key, sid(st, slot::ESCALATE));
            self.hand_to_vendor(id, 0.0, &mut route);
        } else {
            self.resolve(id);
        }
        self.dispatch(w.owner_pool);
        if e != w.owner_pool {
            self.dispatch(e);
        }
    }
}

/// The pool whose experts help on a ticket of category `cat` needing stage `expert`: the
/// expert stage's pool, or with `[routing]` the first pool of the rule for that level and
/// category (the security expert joins security swarms).
#[inline]
fn helper_pool(s: &Scenario, policy: &Policy, expert: usize, cat: usize) -> usize {
    let stage = &policy.stages[expert];
    match &s.skills {
        Some(k) => k.routes[stage.tier][cat][0].pool,
        None => stage.pool,
    }
}
