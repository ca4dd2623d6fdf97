//! Incidents (`[incidents]`): the incident process of one replication, the contacts of the
//! affected accounts, detection, notifications, response teams, and the bulk closing of an
//! incident's child tickets once it is fixed.
//!
//! ```text
//!  start ──► each affected account: calls? (u < call-in x notified factor) ──► contacts
//!    │           (first after a delay from the start, repeats after a repeat delay)
//!    │       contact ──► entry stage queue ──► agent: known incident? link time, wait for fix
//!    │                                          └─ unknown: full work, a report (N: detected)
//!  end (fix) ──► notice ──► every open child resolved (waiting, queued or in service)
//! ```
//!
//! Every draw comes from the replication's incident stream ([`Purpose::Incidents`]) or from
//! keys derived from it (per incident, per account, per contact), never from the streams of
//! ordinary tickets: a file without `[incidents]` keeps its numbers bit for bit, and two
//! designs see the same incidents and the same accounts' decisions (common random numbers).

use super::kernel::{EventKind, IncidentEvent};
use super::rng::{Purpose, SimRng, TicketRng, mix64, stream, ticket_rng};
use super::sim::Simulation;
use super::ticket::{
    MARK_DUPLICATE, MARK_INCIDENT, MARK_LINKED, NO_INCIDENT, OUTREACH, Phase, Ticket,
};
use crate::measure::{Door, TicketSink};
use crate::model::{Outcome, Policy, sid};
use crate::scenario::Scenario;
use crate::scenario::incidents::Incidents;
use rand::{Rng, RngExt};
use rand_distr::{Distribution, Exp1};

/// Stream base of incident work on the ticket's keys (above the bot's and triage's).
const INCIDENT_STREAM: usize = 0x12;
/// Per-incident key slots.
const S_SEVERITY: u32 = 0;
const S_DURATION: u32 = 1;
const S_DETECT: u32 = 2;
const S_PREVENT: u32 = 3;
const S_ASSEMBLY: u32 = 4;
const S_EXPERTS: u32 = 5;
/// Per-account key slots (contact n adds n to the per-contact ones).
const A_CALL: u32 = 0;
const A_DELAY: u32 = 1;
const A_CHANNEL: u32 = 0x100;
const A_REPEAT: u32 = 0x200;
/// Work slots of incident steps (on the ticket's work key).
const W_LINK: u32 = 0;
const W_CLOSE: u32 = 1;
/// Route slot of an incident ticket's patience.
const R_PATIENCE: u32 = 0x10;

/// One incident of a replication.
#[derive(Debug, Clone)]
pub struct Incident {
    /// Key of its draws.
    key: u64,
    /// Severity index.
    pub severity: usize,
    /// Start [minutes].
    pub start: f64,
    /// Fix [minutes].
    pub end: f64,
    /// Detected by monitoring and prevented: it never happens.
    pub prevented: bool,
    /// When monitoring detects it (may be before the start), if it does.
    pub monitored_at: Option<f64>,
    /// When support knew of it (infinite until then).
    pub detected_at: f64,
    /// When the proactive notification went out (infinite until then, or never).
    pub notified_at: f64,
    /// Fixed and announced: its children are closed.
    pub closed: bool,
    /// Reports so far (tickets of the undetected incident that reached an agent).
    pub reports: u32,
    /// Affected accounts per segment, cumulated (`segments + 1` entries from 0).
    offsets: Vec<u32>,
    /// Open children: (slab id, ticket number).
    children: Vec<(u32, u32)>,
    /// Contacts made (tickets created).
    pub contacts: u64,
    /// Of which repeats.
    pub duplicates: u64,
    /// Response team: (pool, agents pulled) and when it was assembled.
    pub team: Vec<(usize, u32)>,
    /// When the team was assembled.
    pub team_at: f64,
}

/// The incident state of one replication.
#[derive(Debug)]
pub struct IncidentRun {
    /// Incidents by start (prevented ones included).
    pub list: Vec<Incident>,
    /// Number of the next incident ticket (a range of its own, above ordinary tickets').
    next_number: u32,
    /// Outreach: the stage its checks queue at, and minutes between two checks.
    outreach: Option<(u8, f64)>,
}

/// A uniform in [0, 1) from `key`'s stream `slot`.
#[inline]
fn unit(key: u64, slot: u32) -> f64 {
    ticket_rng(key, slot).random::<f64>()
}

/// The channel of uniform `u` under mix `c` (the last channel of positive share takes any
/// rounding gap, so a channel of share 0 is never picked).
#[inline]
fn pick_channel(c: &[f64], u: f64) -> usize {
    let last = c.iter().rposition(|&x| x > 0.0).unwrap_or(0);
    let mut acc = 0.0;
    for (k, &x) in c.iter().enumerate() {
        acc += x;
        if x > 0.0 && (u < acc || k == last) {
            return k;
        }
    }
    last
}

/// The key of account `k` of an incident.
#[inline]
fn account_key(incident_key: u64, k: u32) -> u64 {
    mix64(incident_key ^ (u64::from(k) + 1).wrapping_mul(0x9FB2_1C65_1E98_DF25))
}

impl IncidentRun {
    /// The incidents of replication `rep`: the scripted ones, then the Poisson process over
    /// the whole run, each with its severity, duration and monitoring outcome.
    pub fn new(s: &Scenario, inc: &Incidents, policy: &Policy, rep: u64) -> Self {
        let mut rng: SimRng = stream(s.run.seed, rep, Purpose::Incidents);
        let span = s.run.span_min();
        let mut planned: Vec<(f64, Option<usize>, u64)> = inc
            .scheduled
            .iter()
            .enumerate()
            .map(|(i, x)| (x.start_min, Some(i), rng.next_u64()))
            .collect();
        if inc.rate_per_min > 0.0 {
            let mut t = 0.0;
            loop {
                let e: f64 = Exp1.sample(&mut rng);
                t += e / inc.rate_per_min;
                if t >= span {
                    break;
                }
                planned.push((t, None, rng.next_u64()));
            }
        }
        planned.sort_by(|a, b| a.0.total_cmp(&b.0));
        let list = planned
            .into_iter()
            .map(|(start, sched, key)| Self::incident(inc, start, sched, key))
            .collect();
        let outreach = inc.outreach.as_ref().and_then(|o| {
            let stage = (0..policy.queue_stages()).find(|&k| policy.stages[k].pool == o.pool)?;
            let interval = crate::scenario::incidents::MONTH_MIN / o.accounts as f64;
            Some((stage as u8, interval))
        });
        IncidentRun {
            list,
            next_number: 0x8000_0000,
            outreach,
        }
    }

    fn incident(inc: &Incidents, start: f64, sched: Option<usize>, key: u64) -> Incident {
        let sc = sched.map(|i| inc.scheduled[i]);
        let severity = match sc {
            Some(x) => x.severity,
            None => {
                let u = unit(key, S_SEVERITY);
                inc.severity_cum.iter().position(|c| u < *c).unwrap_or(0)
            }
        };
        let sev = &inc.severities[severity];
        let mut duration = sc
            .and_then(|x| x.duration_min)
            .unwrap_or_else(|| sev.duration.sample(&mut ticket_rng(key, S_DURATION)));
        let (mut monitored_at, mut prevented) = (None, false);
        if let Some(m) = &inc.monitoring
            && unit(key, S_DETECT) < m.detect_p
        {
            monitored_at = Some(start - m.lead_min);
            prevented = unit(key, S_PREVENT) < m.prevent_p;
            duration *= 1.0 - m.shorten_share;
        }
        let mut offsets = vec![0u32];
        for (g, &n) in inc.accounts.iter().enumerate() {
            let share = sc.and_then(|x| x.affected_share).unwrap_or(sev.affected[g]);
            let affected = (share * n as f64).round() as u32;
            offsets.push(offsets[g] + affected.min(n));
        }
        Incident {
            key,
            severity,
            start,
            end: start + duration.max(0.0),
            prevented,
            monitored_at,
            detected_at: f64::INFINITY,
            notified_at: f64::INFINITY,
            closed: false,
            reports: 0,
            offsets,
            children: Vec::new(),
            contacts: 0,
            duplicates: 0,
            team: Vec::new(),
            team_at: f64::NAN,
        }
    }
}

impl<K: TicketSink> Simulation<'_, K> {
    /// Schedules every incident's start (prevented ones never start) and the first health
    /// check.
    pub(super) fn schedule_incidents(&mut self) {
        let Some(run) = &self.inc else { return };
        let starts: Vec<(f64, u32)> = run
            .list
            .iter()
            .enumerate()
            .filter(|(_, x)| !x.prevented)
            .map(|(i, x)| (x.start, i as u32))
            .collect();
        let first_check = run.outreach.map(|(_, dt)| dt / 2.0);
        for (t, index) in starts {
            self.schedule(
                t,
                EventKind::Incident {
                    what: IncidentEvent::Start,
                    index,
                },
            );
        }
        if let Some(t) = first_check {
            self.schedule(t, EventKind::Outreach);
        }
    }

    /// An incident event.
    pub(super) fn on_incident(&mut self, what: IncidentEvent, i: usize) {
        match what {
            IncidentEvent::Start => self.incident_starts(i),
            IncidentEvent::TeamIn => self.team_in(i),
            IncidentEvent::End => self.incident_ends(i),
            IncidentEvent::Notice => self.close_children(i),
        }
    }

    fn incidents(&self) -> &Incidents {
        self.s
            .incidents
            .as_ref()
            .expect("an incident event implies [incidents]")
    }

    /// Incident `i` starts: monitoring may already know it; every affected account that may
    /// call gets its first contact scheduled (whether it calls is decided then, when the
    /// notification may have reached it).
    fn incident_starts(&mut self, i: usize) {
        let now = self.now;
        self.active_incidents += 1;
        let s = self.s;
        let inc = s.incidents.as_ref().expect("[incidents]");
        let run = self.inc.as_ref().expect("incidents");
        let x = &run.list[i];
        let (end, key, monitored) = (x.end, x.key, x.monitored_at);
        let offsets = x.offsets.clone();
        self.schedule(
            end,
            EventKind::Incident {
                what: IncidentEvent::End,
                index: i as u32,
            },
        );
        if let Some(at) = monitored {
            self.detect(i, at);
        }
        for g in 0..offsets.len() - 1 {
            let p_max = self.call_in_max(inc, g);
            if p_max == 0.0 {
                continue;
            }
            for k in offsets[g]..offsets[g + 1] {
                let ak = account_key(key, k);
                if unit(ak, A_CALL) >= p_max {
                    continue;
                }
                let t = now + inc.contact_delay.sample(&mut ticket_rng(ak, A_DELAY));
                if t < end {
                    self.schedule(
                        t,
                        EventKind::IncidentContact {
                            incident: i as u32,
                            contact: k << 8,
                        },
                    );
                }
            }
        }
    }

    /// Call-in probability of segment `g` before any notification (outreach included).
    fn call_in_max(&self, inc: &Incidents, g: usize) -> f64 {
        let o = inc
            .outreach
            .as_ref()
            .filter(|o| o.segments[g])
            .map_or(1.0, |o| o.call_in_factor);
        inc.call_in[g] * o
    }

    /// Support learns of incident `i` at `at` (monitoring may know before the start): the
    /// notification goes out after its delay (never before the start), and the response
    /// team starts assembling.
    pub(super) fn detect(&mut self, i: usize, at: f64) {
        let s = self.s;
        let inc = s.incidents.as_ref().expect("[incidents]");
        let now = self.now;
        let run = self.inc.as_mut().expect("incidents");
        let x = &mut run.list[i];
        if x.detected_at.is_finite() {
            return;
        }
        x.detected_at = at;
        if let Some(n) = &inc.notifications {
            x.notified_at = (at + n.delay_min).max(x.start);
        }
        let (key, end, start) = (x.key, x.end, x.start);
        if let Some(r) = &inc.severities[x.severity].response {
            let t = at.max(start).max(now) + r.assembly.sample(&mut ticket_rng(key, S_ASSEMBLY));
            if t < end {
                self.schedule(
                    t,
                    EventKind::Incident {
                        what: IncidentEvent::TeamIn,
                        index: i as u32,
                    },
                );
            }
        }
    }

    /// The response team of incident `i` is assembled: its agents leave the queues (as many
    /// as are free now, up to the team's size) until the fix. An incident swarm asks its
    /// owner's pool for one agent and its experts' pool for the experts (drawn from the swarm
    /// model's helper distribution when the file gives no count).
    fn team_in(&mut self, i: usize) {
        let s = self.s;
        let inc = s.incidents.as_ref().expect("[incidents]");
        let x = &self.inc.as_ref().expect("incidents").list[i];
        let (sev, key) = (x.severity, x.key);
        let Some(r) = &inc.severities[sev].response else {
            return;
        };
        let swarm_pools;
        let asked: &[(usize, u32)] = match r.swarm {
            None => &r.pools,
            Some(t) => {
                let k = match (t.experts, s.swarm.as_ref()) {
                    (Some(k), _) => k,
                    (None, Some(w)) => {
                        u32::from(crate::model::swarm::helpers(w, unit(key, S_EXPERTS)))
                    }
                    (None, None) => 1,
                };
                swarm_pools = if t.owner == t.expert {
                    vec![(t.owner, 1 + k)]
                } else {
                    vec![(t.owner, 1), (t.expert, k)]
                };
                &swarm_pools
            }
        };
        let mut team = Vec::new();
        for &(pool, n) in asked {
            let ps = self.pools[pool];
            let free = ps.staffed.saturating_sub(ps.busy + ps.held + ps.resting);
            let k = n.min(free);
            if k > 0 {
                self.set_busy(pool, k as i32);
                team.push((pool, k));
            }
        }
        let now = self.now;
        let x = &mut self.inc.as_mut().expect("incidents").list[i];
        x.team = team;
        x.team_at = now;
    }

    /// Incident `i` is fixed: the team goes back to the queues, the notice follows.
    fn incident_ends(&mut self, i: usize) {
        self.active_incidents -= 1;
        let now = self.now;
        let delay = self.incidents().notice_delay_min;
        let x = &self.inc.as_ref().expect("incidents").list[i];
        let (team, worked) = (x.team.clone(), now - x.team_at);
        for (pool, k) in team {
            self.end_work(pool, k, worked);
            self.dispatch(pool);
        }
        self.schedule(
            now + delay,
            EventKind::Incident {
                what: IncidentEvent::Notice,
                index: i as u32,
            },
        );
    }

    /// Contact `n` of account `k` about incident `i`: a first contact happens unless the
    /// notification reached the account first and it decides not to call; the ticket joins
    /// the entry stage like any contact (through its channel's door); a repeat may follow.
    pub(super) fn on_incident_contact(&mut self, i: usize, contact: u32) {
        let now = self.now;
        let s = self.s;
        let inc = s.incidents.as_ref().expect("[incidents]");
        let (k, n) = (contact >> 8, (contact & 0xFF) as u8);
        let run = self.inc.as_ref().expect("incidents");
        let x = &run.list[i];
        if x.closed || now >= x.end {
            return;
        }
        let g = x.offsets[1..].partition_point(|&o| o <= k);
        let ak = account_key(x.key, k);
        if n == 0 && x.notified_at <= now {
            let factor = inc.notifications.as_ref().map_or(1.0, |f| f.call_in_factor);
            if unit(ak, A_CALL) >= self.call_in_max(inc, g) * factor {
                return;
            }
        }
        let (end, severity) = (x.end, x.severity);
        let sev = &inc.severities[severity];
        let channel = pick_channel(&inc.channels[g], unit(ak, A_CHANNEL + u32::from(n)));
        let run = self.inc.as_mut().expect("incidents");
        let number = run.next_number;
        run.next_number = run.next_number.wrapping_add(1);
        let x = &mut run.list[i];
        x.contacts += 1;
        x.duplicates += u64::from(n > 0);
        let (w0, w1) = self.rec.window;
        let ck = mix64(ak ^ (u64::from(n) + 1).wrapping_mul(0xD1B5_4A32_D192_ED03));
        let t = Ticket {
            arrival: now,
            number,
            work_key: mix64(ck ^ 0x5851_F42D_4C95_7F2D),
            route_key: mix64(ck ^ 0x1405_7B7E_F767_814F),
            channel: channel as u8,
            priority: sev.priority,
            segment: g as u8,
            level: sev.level,
            category: inc.category,
            measured: now >= w0 && now < w1,
            stage_since: now,
            incident: i as u32,
            mark: MARK_INCIDENT | if n > 0 { MARK_DUPLICATE } else { 0 },
            ..Ticket::default()
        };
        self.interval_arrivals += 1;
        self.admit_incident_ticket(t);
        if n + 1 < inc.max_contacts && inc.repeat_p > 0.0 {
            let mut r: TicketRng = ticket_rng(ak, A_REPEAT + u32::from(n));
            if r.random::<f64>() < inc.repeat_p {
                let at = now + inc.repeat_delay.sample(&mut r);
                if at < end {
                    self.schedule(
                        at,
                        EventKind::IncidentContact {
                            incident: i as u32,
                            contact: (k << 8) | u32::from(n + 1),
                        },
                    );
                }
            }
        }
    }

    /// An incident contact arrives: its channel's door (as for any contact), then the entry
    /// stage's queue with a patience of its own (drawn from the ticket's route key). Incident
    /// contacts skip the bot and triage: they are about a known symptom.
    fn admit_incident_ticket(&mut self, mut t: Ticket) {
        let now = self.now;
        let s = self.s;
        let channel = t.channel as usize;
        if s.access[channel].reported {
            let door = self.at_the_door(&t);
            if t.measured {
                self.rec.at_the_door(channel, door);
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
        if t.measured {
            self.rec.arrived(&t);
        }
        let (id, generation) = self.store(&t);
        if s.channels.is_live(t.channel as usize)
            && let Some(d) = &s.patience[t.channel as usize]
        {
            let p = d.sample(&mut ticket_rng(
                t.route_key,
                sid(INCIDENT_STREAM, R_PATIENCE),
            ));
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

    /// An agent takes incident or outreach ticket `id`: a short step (a health check; the
    /// link-and-reply of a known incident's ticket; the closing touch of a fixed one), or
    /// `false` for a report of an undetected incident, which gets the full work (and may
    /// make support detect it).
    pub(super) fn incident_step(&mut self, id: u32) -> bool {
        let now = self.now;
        let s = self.s;
        let inc = s.incidents.as_ref().expect("[incidents]");
        let t = *self.slab.get(id);
        let work = if t.incident == OUTREACH {
            inc.outreach.as_ref().map_or(0.0, |o| o.check_min)
        } else {
            let i = t.incident as usize;
            let x = &mut self.inc.as_mut().expect("incidents").list[i];
            let draw = |d: &crate::scenario::Dist, slot| {
                d.sample(&mut ticket_rng(t.work_key, sid(INCIDENT_STREAM, slot)))
            };
            if x.closed && t.mark & MARK_LINKED != 0 {
                inc.close.as_ref().map_or(0.0, |d| draw(d, W_CLOSE))
            } else if x.closed || x.detected_at <= now {
                draw(&inc.link, W_LINK)
            } else {
                if !t.responded {
                    x.reports += 1;
                    if inc.detect_after > 0 && x.reports >= inc.detect_after {
                        self.detect(i, now);
                    }
                }
                return false;
            }
        };
        let stage = t.stage as usize;
        // Under category routing the agent who took the ticket may be of another pool
        // (the incident category's rule), at that pool's proficiency on the category.
        let tier = self.policy.stages[stage].tier;
        let pool = self.serving_pool(&t);
        let skill = self
            .routed
            .filter(|_| stage < s.tiers.len())
            .map(|_| (pool as u8, t.category));
        let first = !t.responded;
        let tk = self.slab.get_mut(id);
        tk.go(Phase::InService);
        tk.steps = tk.steps.saturating_add(1);
        tk.outcome = Outcome::Resolve;
        if first {
            tk.first_response = (now - tk.arrival) as f32;
        }
        tk.responded = true;
        let measured = tk.measured;
        let dur = work * super::flow::work_factor(s, tier, skill, now);
        self.occupy(pool, id);
        if measured {
            self.rec
                .step_started(s, self.slab.get(id), stage, tier, now, first);
        }
        self.begin(id, pool, now + dur);
        true
    }

    /// A child ticket of incident `i` was stored with slab id `id`: the notice finds it.
    pub(super) fn register_child(&mut self, i: usize, id: u32, number: u32) {
        if let Some(run) = &mut self.inc {
            run.list[i].children.push((id, number));
        }
    }

    /// Child ticket `id` would be resolved: while its incident is not fixed and announced it
    /// waits for the fix instead, linked to it (`true`).
    pub(super) fn park_child(&mut self, id: u32) -> bool {
        let i = self.slab.get(id).incident as usize;
        if self.inc.as_ref().expect("incidents").list[i].closed {
            return false;
        }
        let t = self.slab.get_mut(id);
        t.mark |= MARK_LINKED;
        if t.phase != Phase::Away {
            t.go(Phase::Away);
        }
        true
    }

    /// The fix of incident `i` is announced: every open child is closed in bulk: those
    /// waiting for the fix (after a closing touch when `close_min` is set), those still
    /// queued, and those an agent is working on (the agent stops). Children elsewhere (in a
    /// handoff, at the vendor, in a swarm) are resolved when they next reach an agent.
    fn close_children(&mut self, i: usize) {
        let run = self.inc.as_mut().expect("incidents");
        run.list[i].closed = true;
        let children = std::mem::take(&mut run.list[i].children);
        let closing_touch = self.incidents().close.is_some();
        for (id, number) in children {
            let t = *self.slab.get(id);
            if t.phase == Phase::Free || t.number != number || t.incident as usize != i {
                continue;
            }
            let pool = self.policy.stages[t.stage as usize].pool;
            match t.phase {
                Phase::Away if t.mark & MARK_LINKED != 0 => {
                    if closing_touch {
                        self.enqueue(id);
                    } else {
                        self.resolve(id);
                    }
                }
                Phase::Queued => {
                    let q = &mut self.queues[pool];
                    q.forget(t.channel as usize);
                    let len = q.len();
                    self.rec.queue_changed(pool, self.now, len);
                    let tk = self.slab.get_mut(id);
                    tk.generation = tk.generation.wrapping_add(1);
                    self.resolve(id);
                }
                Phase::InService => {
                    if self.s.pools[pool].handover_min.is_some() {
                        let list = &mut self.in_service[pool];
                        if let Some(k) = list.iter().position(|&x| x == id) {
                            list.swap_remove(k);
                        }
                    }
                    self.vacate(pool, id);
                    let tk = self.slab.get_mut(id);
                    tk.svc = tk.svc.wrapping_add(1);
                    self.resolve(id);
                    self.dispatch(pool);
                }
                _ => {}
            }
        }
    }

    /// A health check is due: one unmeasured task of the check's agent time at the outreach
    /// pool's stage (lowest priority, the message channel: the first asynchronous one), then the
    /// next one.
    pub(super) fn on_outreach(&mut self) {
        let Some((stage, interval)) = self.inc.as_ref().and_then(|r| r.outreach) else {
            return;
        };
        let now = self.now;
        let tier = self.policy.stages[stage as usize].tier;
        let t = Ticket {
            arrival: now,
            number: NO_INCIDENT,
            channel: self.s.channels.message() as u8,
            priority: (self.s.priority_count() - 1) as u8,
            level: self.s.tiers[tier].level,
            stage,
            stage_since: now,
            incident: OUTREACH,
            ..Ticket::default()
        };
        let (id, _) = self.store(&t);
        self.enqueue(id);
        self.schedule(now + interval, EventKind::Outreach);
    }
}
