//! The recorder as the engine's observer: one method per engine event (a ticket arrived,
//! a step started, a ticket was resolved or abandoned, a pool's counts changed). What is
//! measured, and how SLA clocks and money count, lives here, not in the engine.
//!
//! Other observers implement [`Observer`]: the per-ticket [`TicketSink`] through
//! [`SinkObserver`], and anything a test wants to watch.

use super::recorder::Recorder;
use super::sink::{TicketOutcome, TicketRecord, TicketSink};
use crate::engine::Ticket;
use crate::scenario::Scenario;
use crate::stats::hist::Bucket;

/// Receives engine events. Every method has an empty default, and the engine is generic
/// over its observer, so an observer pays only for the events it listens to.
pub trait Observer {
    /// False for observers that ignore every event: the engine then skips building them.
    const ENABLED: bool = true;
    /// A measured ticket ended (resolved, abandoned, deflected, or open at the end).
    #[inline]
    fn ticket_ended(&mut self, _t: &Ticket, _now: f64, _outcome: TicketOutcome) {}
}

/// A [`TicketSink`] as an observer: one [`TicketRecord`] per measured ticket as it ends.
#[derive(Debug, Default)]
pub struct SinkObserver<K>(pub K);

impl<K: TicketSink> Observer for SinkObserver<K> {
    const ENABLED: bool = K::ENABLED;
    #[inline]
    fn ticket_ended(&mut self, t: &Ticket, now: f64, outcome: TicketOutcome) {
        if K::ENABLED {
            self.0.record(&TicketRecord::of(t, now, outcome));
        }
    }
}

/// What a live contact met on arrival.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Door {
    /// Offered live service.
    Admitted,
    /// Channel closed; left a message.
    ClosedMessage,
    /// Channel closed; went away.
    TurnedAway,
    /// Queue full; left a message.
    BlockedMessage,
    /// Queue full; went away.
    BlockedLost,
}

/// Minutes the resolution clock of `t`'s target stands still during a customer round trip
/// of `wait` minutes starting at `from`; `None` when its target does not pause.
#[inline]
pub fn customer_pause_min(s: &Scenario, t: &Ticket, from: f64, wait: f64) -> Option<f64> {
    let cell = t.priority as usize * s.segment_count() + t.segment as usize;
    let (_, tg) = s.sla.cells[cell].resolution?;
    tg.pause_on_customer
        .then(|| s.sla.clock_minutes(&tg, from, from + wait))
}

impl Recorder {
    #[inline]
    fn cell_of(&self, t: &Ticket) -> usize {
        t.priority as usize * self.segments + t.segment as usize
    }

    /// A measured ticket arrived (level 0: deflected).
    #[inline]
    pub fn arrived(&mut self, t: &Ticket) {
        let i = self.cell_of(t);
        let cell = &mut self.cells[i];
        cell.arrived += 1;
        if t.level == 0 {
            cell.deflected += 1;
        } else {
            self.channel_arrived[t.channel as usize] += 1;
            self.contacts += 1;
            if self.incidents.is_some() {
                self.incident_arrived(t);
            }
        }
    }

    /// A measured ticket's first contact failed at the door and its customer will try
    /// again: the ticket arrived (counted once, now), and made its first contact.
    pub fn arrived_to_retry(&mut self, t: &Ticket) {
        let i = self.cell_of(t);
        self.cells[i].arrived += 1;
        self.contacts += 1;
    }

    /// The customer of a measured ticket tries again (before meeting the door, if any).
    pub fn retrial(&mut self, _t: &Ticket) {
        self.contacts += 1;
        self.retrial_contacts += 1;
    }

    /// A measured ticket's customer sent a chaser.
    #[inline]
    pub fn chaser(&mut self) {
        self.chasers += 1;
    }

    /// A retrial of a measured ticket was admitted to `channel` (email: it left a message).
    pub fn retrial_admitted(&mut self, channel: usize) {
        self.channel_retried[channel] += 1;
    }

    /// A measured ticket's retrial failed at the door and its customer gives up: the ticket
    /// (already counted as arrived) is refused.
    pub fn refused_after_retrials(&mut self, t: &Ticket) {
        let i = self.cell_of(t);
        self.cells[i].refused += 1;
    }

    /// A measured contact arrived on live channel `channel` (which has access rules) and met
    /// `door`.
    pub fn at_the_door(&mut self, channel: usize, door: Door) {
        let a = &mut self.channel_access[channel];
        a.offered += 1;
        match door {
            Door::Admitted => {}
            Door::ClosedMessage => a.closed_message += 1,
            Door::TurnedAway => a.turned_away += 1,
            Door::BlockedMessage => a.blocked_message += 1,
            Door::BlockedLost => a.blocked_lost += 1,
        }
    }

    /// A measured ticket went away at the door (channel closed or full): it arrived, and
    /// is covered by no SLA target, as in contact-centre service levels.
    pub fn refused(&mut self, t: &Ticket) {
        let i = self.cell_of(t);
        self.cells[i].arrived += 1;
        self.cells[i].refused += 1;
        self.contacts += 1;
    }

    /// Tickets in the system changed by `delta` at `now`.
    #[inline]
    pub fn in_system_changed(&mut self, now: f64, delta: f64) {
        let (w0, w1) = self.window;
        let v = self.in_system.value() + delta;
        self.in_system.set(now, v, w0, w1);
    }

    /// A pool's queue holds `len` tickets from `now`.
    #[inline]
    pub fn queue_changed(&mut self, pool: usize, now: f64, len: usize) {
        let (w0, w1) = self.window;
        self.queued[pool].set(now, len as f64, w0, w1);
    }

    /// A pool has `busy` agents working from `now`.
    #[inline]
    pub fn busy_changed(&mut self, pool: usize, now: f64, busy: u32) {
        let (w0, w1) = self.window;
        self.busy[pool].set(now, busy as f64, w0, w1);
    }

    /// A pool has `n` agents on duty from `now`.
    #[inline]
    pub fn staffed_changed(&mut self, pool: usize, now: f64, n: u32) {
        let (w0, w1) = self.window;
        self.staffed[pool].set(now, n as f64, w0, w1);
    }

    /// A pool has `n` agents present from `now` (see [`Recorder::present`]). Recorded only
    /// when the count changes, so where it always equals the agents on duty its integral is
    /// exactly theirs.
    #[inline]
    pub fn present_changed(&mut self, pool: usize, now: f64, n: u32) {
        let (w0, w1) = self.window;
        let p = &mut self.present[pool];
        if p.value() != n as f64 {
            p.set(now, n as f64, w0, w1);
        }
    }

    /// An agent of stage `stage` (settings of tier `tier`) started a step of measured ticket
    /// `t` at `now`; `first`: the ticket's first response.
    #[inline]
    pub fn step_started(
        &mut self,
        s: &Scenario,
        t: &Ticket,
        stage: usize,
        tier: usize,
        now: f64,
        first: bool,
    ) {
        if self.costs.is_some() {
            let i = tier * self.weeks + self.week_of(t.arrival);
            self.week_handled[i] += 1;
        }
        if first {
            self.first_response(s, t, now);
        }
        if let Some(w) = self.stage_waits.get_mut(stage) {
            w.record(now - t.stage_since, &self.wait_thresholds_min);
        }
        if !self.categories.is_empty() {
            self.category_step(s, t, tier, now, first);
        }
    }

    #[inline(always)]
    fn first_response(&mut self, s: &Scenario, t: &Ticket, now: f64) {
        let arrival = t.arrival;
        let fr = now - arrival;
        let cell_i = self.cell_of(t);
        let (p, sg) = (t.priority as usize, t.segment as usize);
        let cell = &mut self.cells[cell_i];
        cell.responded += 1;
        cell.fr_sum += fr;
        let b = Bucket::of(fr);
        self.fr_hist[0].record_bucket(b);
        self.fr_hist[self.slots.priority(p)].record_bucket(b);
        self.fr_hist[self.slots.segment(sg)].record_bucket(b);
        let w = &mut self.channel_wait[t.channel as usize];
        w.0 += fr;
        w.1 += 1;
        self.channel_answered[t.channel as usize] += 1;
        if t.met_bot {
            let b = &mut self.bot[t.channel as usize];
            b.human_fr_sum += fr;
            b.human_fr_n += 1;
        }
        if let Some((i, target)) = s.sla.cells[cell_i].first_response {
            let limit = target.limit_min;
            let met = s.sla.clock_minutes(&target, arrival, now) <= limit;
            cell.fr_covered += 1;
            cell.fr_met += u64::from(met);
            self.count_target(i, false, arrival, met);
            self.period_sla(cell_i, false, arrival, met);
            if t.mark != 0 {
                self.incident_sla(t, false, met);
            }
            if self.backlog.is_some() {
                self.origin_first_response(t, fr, Some(met));
            }
        } else if self.backlog.is_some() {
            self.origin_first_response(t, fr, None);
        }
    }

    /// Measured ticket `t` was resolved at `now`.
    #[inline]
    pub fn resolved(&mut self, s: &Scenario, t: &Ticket, now: f64) {
        self.triage_resolved(t);
        let cell_i = self.cell_of(t);
        let res = now - t.arrival;
        if let Some(p) = self.periods.as_deref_mut() {
            p.resolved(cell_i, t.arrival, res);
        }
        let cell = &mut self.cells[cell_i];
        cell.resolved += 1;
        cell.res_sum += res;
        cell.sojourn_sum += res;
        cell.fcr += u64::from(t.handoffs == 0);
        cell.escalated += u64::from(t.ever_escalated);
        cell.handoffs += t.handoffs as u64;
        cell.re_explains += t.re_explains as u64;
        cell.swarmed += u64::from(t.swarmed);
        if let Some((i, target)) = s.sla.cells[cell_i].resolution {
            let limit = target.limit_min;
            let mut clock = s.sla.clock_minutes(&target, t.arrival, now);
            if target.pause_on_customer {
                clock -= t.paused as f64;
            }
            let met = clock <= limit;
            cell.res_covered += 1;
            cell.res_met += u64::from(met);
            self.count_target(i, true, t.arrival, met);
            self.period_sla(cell_i, true, t.arrival, met);
            if t.mark != 0 {
                self.incident_sla(t, true, met);
            }
            if self.backlog.is_some() {
                self.origin_resolved(t, now, res, Some(met));
            }
        } else if self.backlog.is_some() {
            self.origin_resolved(t, now, res, None);
        }
        let b = Bucket::of(res);
        self.res_hist[0].record_bucket(b);
        self.res_hist[self.slots.priority(t.priority as usize)].record_bucket(b);
        self.res_hist[self.slots.segment(t.segment as usize)].record_bucket(b);
        if !self.categories.is_empty() {
            self.category_resolved(s, t, now);
        }
    }

    /// A measured live customer gave up waiting at `now` (whether or not it then leaves a
    /// message or tries again): the wait of this contact, from joining the queue (the
    /// arrival, for a first contact).
    #[inline]
    pub fn live_abandoned(&mut self, t: &Ticket, now: f64) {
        self.channel_abandoned[t.channel as usize] += 1;
        self.abandon_wait.record(
            now - t.stage_since,
            &super::recorder::ABANDON_THRESHOLDS_MIN,
        );
    }

    /// Measured ticket `t` abandoned at `now` and left no message: it breaches both targets.
    pub fn abandoned(&mut self, s: &Scenario, t: &Ticket, now: f64) {
        let cell_i = self.cell_of(t);
        if self.backlog.is_some() {
            let (fr, res) = (
                s.sla.cells[cell_i].first_response.is_some(),
                s.sla.cells[cell_i].resolution.is_some(),
            );
            self.origin_breach(t, now, fr, res, false);
        }
        let wait = now - t.arrival;
        let cell = &mut self.cells[cell_i];
        cell.abandoned += 1;
        cell.sojourn_sum += wait;
        let ch = t.channel as usize;
        self.channel_wait[ch].0 += wait;
        self.channel_wait[ch].1 += 1;
        // An abandoned ticket never got a response nor a resolution: it breaches both.
        if let Some((i, _)) = s.sla.cells[cell_i].first_response {
            cell.fr_covered += 1;
            self.count_target(i, false, t.arrival, false);
            self.period_sla(cell_i, false, t.arrival, false);
            if t.mark != 0 {
                self.incident_sla(t, false, false);
            }
        }
        if let Some((i, _)) = s.sla.cells[cell_i].resolution {
            self.cells[cell_i].res_covered += 1;
            self.count_target(i, true, t.arrival, false);
            self.period_sla(cell_i, true, t.arrival, false);
            if t.mark != 0 {
                self.incident_sla(t, true, false);
            }
        }
    }

    /// Measured ticket `t` is still open when the run ends: unresolved, and a breach of every
    /// target it has not met yet.
    pub fn open_at_end(&mut self, s: &Scenario, t: &Ticket) {
        let cell_i = self.cell_of(t);
        if self.backlog.is_some() {
            let (fr, res) = (
                !t.responded && s.sla.cells[cell_i].first_response.is_some(),
                s.sla.cells[cell_i].resolution.is_some(),
            );
            self.origin_breach(t, f64::NAN, fr, res, true);
        }
        let cell = &mut self.cells[cell_i];
        cell.unresolved += 1;
        if let Some((k, _)) = s.sla.cells[cell_i].resolution {
            cell.res_covered += 1;
            self.count_target(k, true, t.arrival, false);
            self.period_sla(cell_i, true, t.arrival, false);
            if t.mark != 0 {
                self.incident_sla(t, true, false);
            }
        }
        if !t.responded
            && let Some((i, _)) = s.sla.cells[cell_i].first_response
        {
            self.cells[cell_i].fr_covered += 1;
            self.count_target(i, false, t.arrival, false);
            self.period_sla(cell_i, false, t.arrival, false);
            if t.mark != 0 {
                self.incident_sla(t, false, false);
            }
        }
    }

    /// Measured ticket `t` went to the vendor.
    #[inline]
    pub fn vendor_taken(&mut self, t: &Ticket) {
        self.vendor_tickets += 1;
        let w = self.week_of(t.arrival);
        self.week_vendor[w] += 1;
    }

    /// A swarm session for measured ticket `t` started at `now`.
    #[inline]
    pub fn swarm_started(&mut self, t: &Ticket, now: f64) {
        self.swarms += 1;
        self.swarm_wait_sum += now - t.swarm_at;
        self.helpers_sum += t.helpers as u64;
    }

    /// A measured ticket was handed over at a shift end.
    #[inline]
    pub fn handed_over(&mut self) {
        self.handovers += 1;
    }

    /// Closes the time integrals at the end of the window, or at `now` if the run went on
    /// past it.
    pub fn close(&mut self, now: f64) {
        let (w0, w1) = self.window;
        let end = now.max(w1);
        for i in 0..self.busy.len() {
            self.busy[i].advance(end, w0, w1);
            self.staffed[i].advance(end, w0, w1);
            self.present[i].advance(end, w0, w1);
        }
        for q in &mut self.queued {
            q.advance(end, w0, w1);
        }
        self.in_system.advance(end, w0, w1);
    }
}
