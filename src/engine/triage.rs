//! Triage: classify each ticket and send it to the tier its required level needs, sometimes
//! to a wrong one, whose agent discovers it after part of the work and sends it back to
//! triage or on to the right tier. A triage pool is a stage of its own (after the model's);
//! an automatic classifier is a fixed delay. Draws come from the ticket's own streams on the
//! triage stream base, one per classification.

use super::flow::TicketDraws;
use super::kernel::EventKind;
use super::rng::ticket_rng;
use super::sim::Simulation;
use super::ticket::{Entry, Phase, Ticket};
use crate::measure::TicketSink;
use crate::model::{StepInput, TRIAGE_STREAM, plan_step, sid, slot, triage_target};
use crate::scenario::Triage;
use crate::scenario::raw::Reroute;
use rand::RngExt;

/// Classifies ticket `t`: sets its stage (the right tier, or with the misroute probability a
/// wrong one, uniformly among the others) and how it enters it. Returns whether it was
/// misrouted.
pub fn classify(tr: &Triage, queue_stages: usize, t: &mut Ticket) -> bool {
    let k = u32::from(t.routes.min(63));
    t.routes = t.routes.saturating_add(1);
    let right = triage_target(t.level as usize, queue_stages);
    let mut rng = ticket_rng(t.route_key, sid(TRIAGE_STREAM, slot::TRIAGE_ROUTE + k));
    let wrong = queue_stages > 1 && tr.misroute_p > 0.0 && rng.random::<f64>() < tr.misroute_p;
    if wrong {
        let j = ((rng.random::<f64>() * (queue_stages - 1) as f64) as usize).min(queue_stages - 2);
        t.stage = if j >= right { j + 1 } else { j } as u8;
        t.entry = Entry::Misrouted;
    } else {
        t.stage = right as u8;
        t.entry = Entry::New;
    }
    wrong
}

/// Triage's priority correction of ticket `t` at arrival: with the correction probability
/// a priority drawn from the corrected mix. Returns whether the priority was corrected.
pub fn correct_priority(tr: &Triage, t: &mut Ticket) -> bool {
    if tr.correction_p <= 0.0 {
        return false;
    }
    let mut rng = ticket_rng(t.route_key, sid(TRIAGE_STREAM, slot::TRIAGE_PRIORITY));
    if rng.random::<f64>() >= tr.correction_p {
        return false;
    }
    let u: f64 = rng.random();
    let p = tr
        .corrected_cum
        .iter()
        .position(|c| u < *c)
        .unwrap_or(tr.corrected_cum.len() - 1);
    let changed = p as u8 != t.priority;
    t.priority = p as u8;
    changed
}

impl<K: TicketSink> Simulation<'_, K> {
    /// Triage for an arriving ticket (before it is stored): its priority correction, then
    /// the triage stage (a pool), or an automatic classification. Returns the minutes the
    /// ticket spends before joining its first queue (the automatic classifier's time).
    pub(super) fn triage_at_arrival(&mut self, tr: &Triage, t: &mut Ticket) -> f64 {
        let corrected = correct_priority(tr, t);
        if t.measured {
            self.rec.triage_corrected(corrected);
        }
        if tr.pool.is_some() {
            t.stage = (self.policy.stages.len() - 1) as u8;
            t.entry = Entry::New;
            return 0.0;
        }
        let minutes = tr.classify[t.channel as usize].mean();
        self.classified(tr, t, Some(minutes));
        minutes
    }

    /// Classifies `t` and records it; `automatic`: the classifier's time (a pool's agents'
    /// time is recorded when they start).
    fn classified(&mut self, tr: &Triage, t: &mut Ticket, automatic: Option<f64>) {
        let wrong = classify(tr, self.policy.queue_stages(), t);
        if t.measured {
            self.rec.triage_routed(wrong);
            if let Some(m) = automatic {
                self.rec.triage_time(m);
            }
        }
    }

    /// A triage agent starts classifying ticket `id` (no tier proficiency factor, and not a
    /// response to the customer).
    pub(super) fn start_triage(&mut self, id: u32) {
        let now = self.now;
        let s = self.s;
        let t = self.slab.get_mut(id);
        t.go(Phase::InService);
        t.steps = t.steps.saturating_add(1);
        let stage = t.stage as usize;
        let input = StepInput {
            stage,
            level: t.level as usize,
            channel: t.channel as usize,
            entry: t.entry,
            bounced: t.bounced,
            solo_p: 0.0,
            routes: t.routes,
            skill: None,
        };
        let mut draws = TicketDraws {
            work_key: t.work_key,
            route_key: t.route_key,
        };
        let step = plan_step(s, &self.policy, &input, &mut draws);
        t.outcome = step.outcome;
        let pool = self.policy.stages[stage].pool;
        self.occupy(pool, id);
        let t = self.slab.get(id);
        if t.measured {
            self.rec.triage_time(step.work_min);
        }
        self.begin(id, pool, now + step.work_min);
    }

    /// Classification of ticket `id` done (pool) or due again (automatic, after `delay`
    /// minutes): it goes to the stage triage picks.
    pub(super) fn route(&mut self, id: u32, delay: f64) {
        let s = self.s;
        let tr = s.triage.as_ref().expect("routing implies [triage]");
        let now = self.now;
        let mut t = *self.slab.get(id);
        let automatic = tr
            .pool
            .is_none()
            .then(|| tr.classify[t.channel as usize].mean());
        self.classified(tr, &mut t, automatic);
        let at = now + delay;
        t.stage_since = at;
        *self.slab.get_mut(id) = t;
        if delay > 0.0 {
            let t = self.slab.get_mut(id);
            if t.phase != Phase::Away {
                t.go(Phase::Away);
            }
            self.schedule(at, EventKind::Enqueue { ticket: id });
        } else {
            self.enqueue(id);
        }
    }

    /// The receiver of misrouted ticket `id` found out: a handoff, then back to triage or on
    /// to the right tier. `stream` is the receiving stage's stream base.
    pub(super) fn misroute_found(&mut self, id: u32, stream: usize) {
        let s = self.s;
        let tr = s.triage.as_ref().expect("a misroute implies [triage]");
        let now = self.now;
        let qs = self.policy.queue_stages();
        let triage_stage = self.policy.stages.len() - 1;
        let t = self.slab.get_mut(id);
        t.handoffs = t.handoffs.saturating_add(1);
        t.go(Phase::Away);
        let mut rng = ticket_rng(t.route_key, sid(stream, slot::MISROUTE_DELAY));
        let delay = s.escalation.handoff_delay.sample(&mut rng);
        match (tr.reroute, tr.pool) {
            (Reroute::BackToTriage, None) => {
                let d = delay + tr.classify[t.channel as usize].mean();
                self.route(id, d.max(f64::MIN_POSITIVE));
                return;
            }
            (Reroute::BackToTriage, Some(_)) => {
                t.stage = triage_stage as u8;
                t.entry = Entry::New;
            }
            (Reroute::RightTier, _) => {
                t.stage = triage_target(t.level as usize, qs) as u8;
                t.entry = Entry::New;
            }
        }
        t.stage_since = now + delay;
        self.schedule(now + delay, EventKind::Enqueue { ticket: id });
    }
}
