//! How a ticket moves: arrival, joining a stage's queue, a step of service planned by the
//! model, and what the step's outcome does next (resolve, escalate after the handoff delay,
//! bounce back, vendor, swarm), plus abandonment of a live wait.

use super::kernel::EventKind;
use super::queues::class_of;
use super::rng::{TicketRng, ticket_rng};
use super::sim::Simulation;
use super::ticket::{Entry, Phase, Ticket};
use super::tier0::{self, BotPath};
use crate::measure::{Door, Observer, TicketOutcome, TicketSink, customer_pause_min};
use crate::model::{Draws, Outcome, StageRule, StepInput, plan_step, sid, slot, swarm};
use crate::scenario::{Dist, Failure, Tier0, in_mask};
use rand::{Rng, RngExt};

/// The engine's draws for a step: each from the ticket's own stream for that activity, so
/// the same activity of the same ticket gets the same number under every design.
pub(super) struct TicketDraws {
    pub(super) work_key: u64,
    pub(super) route_key: u64,
}

impl Draws for TicketDraws {
    #[inline(always)]
    fn time(&mut self, d: &Dist, stream: u32) -> f64 {
        d.sample(&mut ticket_rng(self.work_key, stream))
    }
    #[inline]
    fn chance(&mut self, stream: u32, p: f64) -> bool {
        ticket_rng(self.route_key, stream).random::<f64>() < p
    }
}

impl<K: TicketSink> Simulation<'_, K> {
    pub(super) fn on_arrival(&mut self) {
        let now = self.now;
        let row = self.source.arriving();
        self.schedule_next_arrival();
        self.rec.tickets += 1;
        self.arrivals_seen += 1;
        let number = (self.arrivals_seen - 1) as u32;
        self.interval_arrivals += 1;
        let a = match &row {
            None => self.attributes.draw(),
            Some(r) => self.attributes.complete(r),
        };
        let work_key: u64 = self.work.next_u64();
        let route_key: u64 = self.routing.next_u64();
        let patience = self.s.patience[a.channel]
            .as_ref()
            .map(|d| d.sample(&mut self.patience));
        let (w0, w1) = self.rec.window;
        let measured = now >= w0 && now < w1;
        let first_work_min = row.and_then(|r| r.work_min).unwrap_or(f64::NAN);
        let mark = if self.active_incidents > 0 {
            super::ticket::MARK_DURING
        } else {
            0
        };
        let fresh = |generation: u32, svc: u32| Ticket {
            arrival: now,
            number,
            work_key,
            route_key,
            channel: a.channel as u8,
            priority: a.priority as u8,
            segment: a.segment as u8,
            level: a.level as u8,
            category: a.category as u8,
            measured,
            stage_since: now,
            arrival_channel: a.channel as u8,
            arrival_priority: a.priority as u8,
            first_work_min,
            mark,
            generation,
            svc,
            ..Ticket::default()
        };
        let s = self.s;
        let plain = a.level != 0
            && !s.access[a.channel].reported
            && s.triage.is_none()
            && !s.tier0.as_ref().is_some_and(|bot| bot.on(a.channel));
        if plain {
            // The common arrival (no door, bot or triage to meet first) is built in its slab
            // slot: a ticket is 128 bytes, and building it aside and copying it in was a
            // measurable share of an arrival's cost.
            let id = self.slab.alloc();
            let slot = self.slab.get_mut(id);
            let (generation, svc) = (slot.generation, slot.svc);
            *slot = fresh(generation, svc);
            if measured {
                self.rec.arrived(self.slab.get(id));
            }
            self.stored(id);
            self.join_first_queue(id, generation, now, patience);
            return;
        }
        let mut t = fresh(0, 0);
        if a.level == 0 {
            if measured {
                self.rec.arrived(&t);
                self.sink.ticket_ended(&t, now, TicketOutcome::Deflected);
            }
            return;
        }
        let access = &self.s.access[a.channel];
        if access.reported {
            let door = self.at_the_door(&t);
            if measured {
                self.rec.at_the_door(a.channel, door);
            }
            match door {
                Door::Admitted => {}
                Door::ClosedMessage | Door::BlockedMessage => {
                    t.channel = self.s.channels.message() as u8
                }
                Door::TurnedAway | Door::BlockedLost => {
                    self.refused_at_first_contact(t, door);
                    return;
                }
            }
        }
        // Tier 0: the bot may resolve the contact or hold it before the first human stage.
        let mut join = now;
        if let Some(bot) = &s.tier0
            && bot.on(t.channel as usize)
        {
            match self.meet_bot(bot, &mut t) {
                Some(at) => join = at,
                None => return,
            }
        }
        if let Some(tr) = &s.triage {
            join += self.triage_at_arrival(tr, &mut t);
        }
        if measured {
            self.rec.arrived(&t);
        }
        t.stage_since = join;
        let (id, generation) = self.store(&t);
        self.join_first_queue(id, generation, join, patience);
    }

    /// New ticket `id` (of `generation`) joins its first human queue at `join` (now, or
    /// later after time in the bot or triage): its patience runs from then on a live
    /// channel, and its customer's timers start.
    #[inline(always)]
    fn join_first_queue(&mut self, id: u32, generation: u32, join: f64, patience: Option<f64>) {
        if let Some(p) = patience
            && in_mask(self.live_mask, self.slab.get(id).channel as usize)
        {
            // Patience runs from joining the queue (after any time in the bot).
            self.schedule(
                join + p,
                EventKind::Abandon {
                    ticket: id,
                    generation,
                },
            );
        }
        if join > self.now {
            self.slab.get_mut(id).go(Phase::Away);
            self.schedule(join, EventKind::Enqueue { ticket: id });
        } else {
            self.enqueue(id);
        }
        self.start_waiting(id);
    }

    /// Puts a new open ticket in the slab: its id and generation.
    #[inline(always)]
    pub(super) fn store(&mut self, t: &Ticket) -> (u32, u32) {
        let id = self.slab.alloc();
        let slot = self.slab.get_mut(id);
        // The slot keeps its generation and its service count: a ticket whose service was
        // cut short (an incident's bulk close) leaves a stale `Done` that must never match
        // the slot's next ticket.
        let (generation, svc) = (slot.generation, slot.svc);
        *slot = *t;
        slot.generation = generation;
        slot.svc = svc;
        self.stored(id);
        (id, generation)
    }

    /// Counts the ticket just put in slot `id` as open.
    #[inline(always)]
    fn stored(&mut self, id: u32) {
        let t = self.slab.get(id);
        let (measured, incident, number) = (t.measured, t.incident, t.number);
        self.open_total += 1;
        if measured {
            self.open_measured += 1;
        }
        self.rec.in_system_changed(self.now, 1.0);
        if incident < super::ticket::OUTREACH {
            self.register_child(incident as usize, id, number);
        }
    }

    /// Contact `t` meets its channel's bot: contained (recorded, and `None`: the contact
    /// ends here), or on to the first human stage at the returned time (leaked after its
    /// time in the bot, perhaps at a higher priority, or back as a repeat contact).
    fn meet_bot(&mut self, bot: &Tier0, t: &mut Ticket) -> Option<f64> {
        let now = self.now;
        let v = tier0::visit(self.s, bot, t);
        let end = now + v.minutes;
        let join = match v.path {
            BotPath::Skipped => now,
            BotPath::Contained => end,
            BotPath::Repeat(after) => end + after,
            BotPath::Leaked(bump) => {
                if bump {
                    t.priority = t.priority.saturating_sub(1);
                }
                end
            }
        };
        t.met_bot = v.involved();
        if t.measured {
            self.rec.bot_visit(t, &v);
        }
        if v.path == BotPath::Contained {
            if t.measured {
                self.rec.contained(t);
                self.sink.ticket_ended(t, end, TicketOutcome::Contained);
            }
            return None;
        }
        Some(join)
    }

    /// What arriving live contact `t` meets: its channel open, or closed (outside its hours,
    /// or fewer agents on duty at the entry pool than its minimum), or full (it would wait,
    /// and its queue limit is reached at the entry stage's pool); a refused contact leaves a
    /// message with the channel's probability, drawn from the ticket's own routing stream
    /// for that contact (the first, or a retrial).
    pub(super) fn at_the_door(&self, t: &Ticket) -> Door {
        let channel = t.channel as usize;
        let access = &self.s.access[channel];
        let entry_pool = self.policy.stages[t.stage as usize].pool;
        let closed = access
            .hours
            .is_some_and(|c| !self.s.sla.clocks[c as usize].is_open(self.now))
            || self.pools[entry_pool].staffed < access.min_agents_on_duty;
        let full = !closed
            && access.queue_limit.is_some_and(|k| match self.routed {
                None => {
                    self.queues[entry_pool].waiting(channel) >= k as usize
                        && !self.starts_at_once(entry_pool, self.s.channels.is_chat(channel))
                }
                // Under category routing the limit counts the contact's own category queue.
                Some(_) => self.queues[self.queue_of(t)].waiting(channel) >= k as usize,
            });
        if !closed && !full {
            return Door::Admitted;
        }
        let p = if closed {
            access.closed_message_p
        } else {
            access.blocked_message_p
        };
        let stream = sid(t.retrials as usize, slot::ACCESS);
        let message = p > 0.0 && ticket_rng(t.route_key, stream).random::<f64>() < p;
        match (closed, message) {
            (true, true) => Door::ClosedMessage,
            (true, false) => Door::TurnedAway,
            (false, true) => Door::BlockedMessage,
            (false, false) => Door::BlockedLost,
        }
    }

    /// True when a ticket joining `pool`'s queue now would start at once: a free agent and
    /// nobody waiting, or (a chat) room beside a chat agent and no chat waiting.
    #[inline(always)]
    fn starts_at_once(&self, pool: usize, chat: bool) -> bool {
        let ps = self.pools[pool];
        (ps.busy + ps.held + ps.resting < ps.staffed && self.queues[pool].is_empty())
            || (chat && self.queues[pool].chats() == 0 && self.chat_room(pool).is_some())
    }

    /// Puts a ticket in its stage's pool queue, or straight to a free agent.
    #[inline(always)]
    pub(super) fn enqueue(&mut self, id: u32) {
        if let Some(k) = self.routed
            && (self.slab.get(id).stage as usize) < self.s.tiers.len()
        {
            self.routed_enqueue(k, id);
            return;
        }
        let t = self.slab.get_mut(id);
        let stage = t.stage as usize;
        t.go(Phase::Queued);
        let chat = in_mask(self.chat_mask, t.channel as usize);
        let pool = self.policy.stages[stage].pool;
        if self.starts_at_once(pool, chat) {
            self.start_service(id);
            return;
        }
        let t = self.slab.get(id);
        let (generation, channel) = (t.generation, t.channel as usize);
        if let Some(score) = &self.s.queue_score {
            let cell = t.priority as usize * self.s.segment_count() + t.segment as usize;
            let key = score.key(cell, t.entry != Entry::New, self.now);
            self.queues[pool].push_scored(key, id, generation, channel);
        } else {
            let class = class_of(
                self.s.queue_order,
                self.s.priority_count(),
                in_mask(self.live_mask, t.channel as usize),
                t.priority as usize,
                t.responded,
            );
            self.queues[pool].push(class, id, generation, channel);
        }
        let q = &mut self.queues[pool];
        let len = q.len();
        self.rec.queue_changed(pool, self.now, len);
    }

    /// An agent of the ticket's stage starts a step: the model plans it, the pool's
    /// proficiency scales it, the observers hear of it.
    #[inline]
    pub(super) fn start_service(&mut self, id: u32) {
        let t = self.slab.get(id);
        // One test for every rarer kind of start, so an ordinary step pays for one branch.
        let special = t.entry == Entry::HandedOver
            || (t.callback != 0 && !t.responded)
            || t.incident != super::ticket::NO_INCIDENT
            || self.policy.stages[t.stage as usize].rule == StageRule::Triage;
        if special {
            self.start_special(id);
            return;
        }
        let mut draws = TicketDraws {
            work_key: t.work_key,
            route_key: t.route_key,
        };
        self.work_step(id, &mut draws);
    }

    /// The rarer starts, in this order: a hand-over taken over, a callback's call, a
    /// triage step, an incident ticket's step; else an ordinary step.
    #[cold]
    fn start_special(&mut self, id: u32) {
        if self.slab.get(id).entry == Entry::HandedOver {
            self.take_over(id);
            return;
        }
        let t = self.slab.get(id);
        if t.callback != 0 && !t.responded {
            // An accepted callback (only under [customers.callbacks]): the agent calls first.
            let pool = self.serving_pool(t);
            if self.callback_attempt_fails(id, pool) {
                return;
            }
        }
        if self.policy.stages[self.slab.get(id).stage as usize].rule == StageRule::Triage {
            self.start_triage(id);
            return;
        }
        if self.slab.get(id).incident != super::ticket::NO_INCIDENT && self.incident_step(id) {
            return;
        }
        let t = self.slab.get(id);
        let mut draws = TicketDraws {
            work_key: t.work_key,
            route_key: t.route_key,
        };
        self.work_step(id, &mut draws);
    }

    /// The step of ticket `id` at its stage, planned by the model with `draws` (the ticket's
    /// own streams; a step under way at t = 0 draws its remaining work instead), on an agent
    /// of its serving pool from now on.
    #[inline]
    pub(super) fn work_step<D: Draws>(&mut self, id: u32, draws: &mut D) {
        let now = self.now;
        let s = self.s;
        let solo_p = swarm::solo_probability(s, self.sessions_done);
        let pool = self.serving_pool(self.slab.get(id));
        let t = self.slab.get_mut(id);
        t.go(Phase::InService);
        t.steps = t.steps.saturating_add(1);
        let stage = t.stage as usize;
        let skill = self
            .routed
            .filter(|_| stage < s.tiers.len())
            .map(|_| (pool as u8, t.category));
        let input = StepInput {
            stage,
            level: t.level as usize,
            channel: t.channel as usize,
            entry: t.entry,
            bounced: t.bounced,
            solo_p,
            routes: t.routes,
            skill,
        };
        let step = plan_step(s, &self.policy, &input, draws);
        if step.bounces {
            t.bounced |= 1u8 << stage;
        }
        t.outcome = step.outcome;
        let tier = self.policy.stages[stage].tier;
        let first = !t.responded;
        let mut work = if first && !t.first_work_min.is_nan() {
            t.first_work_min
        } else {
            step.work_min
        };
        if first && t.chasers > 0 {
            // The agent who answers reads and replies to the customer's chasers.
            let t = *t;
            work += self.chaser_work(&t);
        }
        let dur = work * work_factor(s, tier, skill, now);
        let t = self.slab.get_mut(id);
        if first {
            t.first_response = (now - t.arrival) as f32;
        }
        t.responded = true;
        let measured = t.measured;
        self.occupy(pool, id);
        if measured {
            self.rec
                .step_started(s, self.slab.get(id), stage, tier, now, first);
        }
        self.begin(id, pool, now + dur);
    }

    /// The agent is done with the step: the outcome decides where the ticket goes.
    pub(super) fn on_done(&mut self, id: u32) {
        let now = self.now;
        let s = self.s;
        let stage_i = self.slab.get(id).stage as usize;
        let stage = &self.policy.stages[stage_i];
        let (up, down, stream) = (stage.up, stage.down, stage.stream);
        let pool = self.serving_pool(self.slab.get(id));
        if s.pools[pool].handover_min.is_some() {
            let list = &mut self.in_service[pool];
            if let Some(i) = list.iter().position(|&x| x == id) {
                list.swap_remove(i);
            }
        }
        self.vacate(pool, id);
        let t = self.slab.get_mut(id);
        match t.outcome {
            Outcome::Resolve => self.resolve(id),
            Outcome::Escalate => {
                t.handoffs = t.handoffs.saturating_add(1);
                t.ever_escalated = true;
                t.go(Phase::Away);
                // A second escalation into the same stage (after a bounce back) draws afresh.
                let again = t.bounced & (1u8 << up.unwrap_or(stage_i + 1)) != 0;
                let sl = if again {
                    slot::ESCALATE_AGAIN
                } else {
                    slot::ESCALATE
                };
                let mut route = ticket_rng(t.route_key, sid(stream, sl));
                let mut delay = s.escalation.handoff_delay.sample(&mut route);
                if let Some(next) = up {
                    t.stage = next as u8;
                    t.entry = Entry::Escalated;
                    if s.escalation.re_explain_p > 0.0
                        && route.random::<f64>() < s.escalation.re_explain_p
                    {
                        t.re_explains = t.re_explains.saturating_add(1);
                        let wait = s.escalation.re_explain_delay.sample(&mut route);
                        // The customer's round trip: SLA clocks with pause_on_customer stop.
                        if let Some(paused) = customer_pause_min(s, t, now + delay, wait) {
                            t.paused += paused as f32;
                        }
                        delay += wait;
                    }
                    t.stage_since = now + delay;
                    self.schedule(now + delay, EventKind::Enqueue { ticket: id });
                } else {
                    self.hand_to_vendor(id, delay, &mut route);
                }
            }
            Outcome::Vendor => {
                t.go(Phase::Away);
                let mut route = ticket_rng(t.route_key, sid(stream, slot::ESCALATE));
                self.hand_to_vendor(id, 0.0, &mut route);
            }
            Outcome::BounceBack => {
                t.handoffs = t.handoffs.saturating_add(1);
                t.go(Phase::Away);
                t.stage = down.expect("only an escalation in bounces back") as u8;
                t.entry = Entry::Returned;
                let mut route = ticket_rng(t.route_key, sid(stream, slot::BOUNCE_DELAY));
                let delay = s.escalation.handoff_delay.sample(&mut route);
                t.stage_since = now + delay;
                self.schedule(now + delay, EventKind::Enqueue { ticket: id });
            }
            Outcome::Swarm => self.request_swarm(id),
            Outcome::Routed => self.route(id, 0.0),
            Outcome::Misrouted => self.misroute_found(id, stream),
            Outcome::Unreachable => self.callback_failed(id),
        }
        self.dispatch(pool);
    }

    /// Hands a ticket to the L4 vendor after `delay_min` (the handoff, if any): the vendor's
    /// own delay is drawn from `route`, the ticket's routing stream of that step.
    pub(super) fn hand_to_vendor(&mut self, id: u32, delay_min: f64, route: &mut TicketRng) {
        let vendor = self
            .s
            .vendor
            .as_ref()
            .expect("validated: level 4 needs a vendor");
        let delay = delay_min + vendor.sample(route);
        let t = self.slab.get(id);
        if t.measured {
            self.rec.vendor_taken(t);
        }
        self.schedule(self.now + delay, EventKind::VendorDone { ticket: id });
    }

    /// The ticket is resolved: observers record it, its slot is freed.
    #[inline(always)]
    pub(super) fn resolve(&mut self, id: u32) {
        let now = self.now;
        // A child of an incident not yet fixed waits for the fix instead.
        if self.slab.get(id).incident < super::ticket::OUTREACH && self.park_child(id) {
            return;
        }
        let t = self.slab.get(id);
        if t.measured {
            self.rec.resolved(self.s, t, now);
            self.open_measured -= 1;
            self.sink.ticket_ended(t, now, TicketOutcome::Resolved);
        }
        self.release(id);
    }

    /// A waiting live customer's patience ran out: leave a message (the ticket goes on on the
    /// message channel) or go away.
    pub(super) fn on_abandon(&mut self, id: u32, generation: u32) {
        let t = *self.slab.get(id);
        // An accepted callback no longer waits on the line: it cannot abandon.
        if t.generation != generation || t.phase != Phase::Queued || t.responded || t.callback != 0
        {
            return;
        }
        let q = self.queue_of(&t);
        self.queues[q].forget(t.channel as usize);
        self.note_queue(q);
        if t.measured {
            self.rec.live_abandoned(&t, self.now);
        }
        let p = self.s.abandon_to_email_p;
        let stream = match t.retrials {
            0 => u32::MAX,
            n => sid(n as usize, slot::ABANDON_MESSAGE),
        };
        if p > 0.0 && ticket_rng(t.route_key, stream).random::<f64>() < p {
            // The customer leaves a message: the same ticket continues on the message channel.
            // Its old queue entry goes stale (new generation) and it rejoins at the back of the
            // queue.
            let message = self.s.channels.message() as u8;
            let tk = self.slab.get_mut(id);
            tk.channel = message;
            tk.generation = tk.generation.wrapping_add(1);
            self.enqueue(id);
            self.next_chaser(id);
            return;
        }
        if let Some(delay) = self.retrial_delay(&t, Failure::Abandoned) {
            let tk = self.slab.get_mut(id);
            tk.generation = tk.generation.wrapping_add(1);
            tk.go(Phase::Away);
            self.schedule(self.now + delay, EventKind::Retry { ticket: id });
            return;
        }
        if t.measured {
            self.rec.abandoned(self.s, &t, self.now);
            self.open_measured -= 1;
            self.sink
                .ticket_ended(&t, self.now, TicketOutcome::Abandoned);
        }
        self.release(id);
    }
}

/// The work-time multiplier of a step at tier `tier` at time `now`: the tier pool's
/// proficiency and ramp, or under category routing the serving pool's proficiency on the
/// category (the ramp applies when the tier's own pool serves).
#[inline(always)]
pub(super) fn work_factor(
    s: &crate::scenario::Scenario,
    tier: usize,
    skill: Option<(u8, u8)>,
    now: f64,
) -> f64 {
    let t = &s.tiers[tier];
    let Some((pool, cat)) = skill else {
        return t.factor_at(now);
    };
    let k = s.skills.as_ref().expect("routing implies skills");
    let wf = k.of(pool as usize, cat as usize).work_factor;
    if pool as usize == t.pool {
        t.factor_at(now) * (wf / t.work_factor)
    } else {
        wf
    }
}
