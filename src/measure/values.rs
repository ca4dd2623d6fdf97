//! The value of each catalog quantity for one replication, from its recorder.

use super::catalog::{Group, Quantity};
use super::money::CostItem;
use super::recorder::{Cell, Recorder, WaitStats};
use crate::scenario::in_mask;

impl Recorder {
    fn sum_cells(&self, sel: Group) -> Cell {
        let mut out = Cell::default();
        for p in 0..self.cells.len() / self.segments {
            for s in 0..self.segments {
                let keep = match sel {
                    Group::All => true,
                    Group::Priority(x) => x == p,
                    Group::Segment(x) => x == s,
                    Group::Cell(a, b) => a == p && b == s,
                };
                if !keep {
                    continue;
                }
                let c = &self.cells[p * self.segments + s];
                out.arrived += c.arrived;
                out.deflected += c.deflected;
                out.responded += c.responded;
                out.fr_sum += c.fr_sum;
                out.resolved += c.resolved;
                out.res_sum += c.res_sum;
                out.abandoned += c.abandoned;
                out.unresolved += c.unresolved;
                out.fr_covered += c.fr_covered;
                out.fr_met += c.fr_met;
                out.res_covered += c.res_covered;
                out.res_met += c.res_met;
                out.fcr += c.fcr;
                out.escalated += c.escalated;
                out.handoffs += c.handoffs;
                out.re_explains += c.re_explains;
                out.sojourn_sum += c.sojourn_sum;
                out.swarmed += c.swarmed;
            }
        }
        out
    }

    fn hist_index(&self, g: Group) -> Option<usize> {
        match g {
            Group::All => Some(0),
            Group::Priority(p) => Some(self.slots.priority(p)),
            Group::Segment(s) => Some(self.slots.segment(s)),
            _ => None,
        }
    }

    /// Live contacts admitted to channel `c`: first contacts and retrials.
    #[inline]
    fn live_contacts(&self, c: usize) -> u64 {
        self.channel_arrived[c] + self.channel_retried[c]
    }

    /// Live channels' (abandoned, admitted contacts), summed in channel order.
    fn live_abandonment(&self) -> (u64, u64) {
        (0..self.channel_arrived.len())
            .filter(|&c| in_mask(self.live_mask, c))
            .fold((0, 0), |(a, n), c| {
                (a + self.channel_abandoned[c], n + self.live_contacts(c))
            })
    }

    /// Value of one catalog entry; NaN when the replication has no data for it.
    pub fn value(&self, q: &Quantity) -> f64 {
        let window_min = self.window.1 - self.window.0;
        let window_weeks = window_min / (7.0 * 1440.0);
        match *q {
            Quantity::Arrived(g) => self.sum_cells(g).arrived as f64,
            Quantity::Deflected(g) => self.sum_cells(g).deflected as f64,
            Quantity::DeflectionRate(g) => {
                let c = self.sum_cells(g);
                ratio(c.deflected as f64, c.arrived as f64)
            }
            Quantity::ArrivalRatePerHour => {
                let c = self.sum_cells(Group::All);
                (c.arrived - c.deflected) as f64 / window_min * 60.0
            }
            Quantity::FirstResponseMean(g) => {
                let c = self.sum_cells(g);
                ratio(c.fr_sum, c.responded as f64)
            }
            Quantity::ResolutionMean(g) => {
                let c = self.sum_cells(g);
                ratio(c.res_sum, c.resolved as f64)
            }
            Quantity::FirstResponseQuantile(g, q) => self
                .hist_index(g)
                .map_or(f64::NAN, |i| self.fr_hist[i].quantile(q)),
            Quantity::ResolutionQuantile(g, q) => self
                .hist_index(g)
                .map_or(f64::NAN, |i| self.res_hist[i].quantile(q)),
            Quantity::InitialWait(ch) => {
                let (s, n) = match ch {
                    Some(c) => self.channel_wait[c],
                    None => self
                        .channel_wait
                        .iter()
                        .fold((0.0, 0), |a, b| (a.0 + b.0, a.1 + b.1)),
                };
                ratio(s, n as f64)
            }
            Quantity::Abandonment(ch) => match ch {
                Some(c) => ratio(
                    self.channel_abandoned[c] as f64,
                    self.live_contacts(c) as f64,
                ),
                None => {
                    let (a, n) = self.live_abandonment();
                    ratio(a as f64, n as f64)
                }
            },
            Quantity::FrAttainment(g) => {
                let c = self.sum_cells(g);
                ratio(c.fr_met as f64, c.fr_covered as f64)
            }
            Quantity::ResAttainment(g) => {
                let c = self.sum_cells(g);
                ratio(c.res_met as f64, c.res_covered as f64)
            }
            Quantity::TargetFr(i) => ratio(self.target_fr[i].1 as f64, self.target_fr[i].0 as f64),
            Quantity::TargetRes(i) => {
                ratio(self.target_res[i].1 as f64, self.target_res[i].0 as f64)
            }
            Quantity::Fcr(g) => {
                let c = self.sum_cells(g);
                ratio(c.fcr as f64, c.resolved as f64)
            }
            Quantity::Escalation(g) => {
                let c = self.sum_cells(g);
                ratio(c.escalated as f64, c.resolved as f64)
            }
            Quantity::Handoffs(g) => {
                let c = self.sum_cells(g);
                ratio(c.handoffs as f64, c.resolved as f64)
            }
            Quantity::ReExplains(g) => {
                let c = self.sum_cells(g);
                ratio(c.re_explains as f64, c.resolved as f64)
            }
            Quantity::Utilisation(p) => {
                let present = if self.tracks_present[p] {
                    &self.present[p]
                } else {
                    &self.staffed[p]
                };
                // Busy time never exceeds present time, but the two integrals round apart: a
                // pool busy throughout gave 1.0000000000000004. NaN (no one present) stays.
                let u = ratio(self.busy[p].area, present.area);
                if u > 1.0 { 1.0 } else { u }
            }
            Quantity::PastShiftEnd(p) if self.tracks_present[p] => {
                (self.present[p].area - self.staffed[p].area).max(0.0) / 60.0 / window_weeks
            }
            Quantity::PastShiftEnd(_) => 0.0,
            Quantity::QueueMean(p) => self.queued[p].area / window_min,
            Quantity::SwarmRate => {
                let c = self.sum_cells(Group::All);
                ratio(c.swarmed as f64, c.resolved as f64)
            }
            Quantity::SwarmWait => ratio(self.swarm_wait_sum, self.swarms as f64),
            Quantity::HelpersPerSwarm => ratio(self.helpers_sum as f64, self.swarms as f64),
            Quantity::LabourCost(i) => self.money().pools[i],
            Quantity::SlaCredit(i) => self.money().credits[i],
            Quantity::SlaPenalties => self.money().penalties,
            Quantity::WeekCost(w, item) => {
                let m = self.week_money(w);
                match item {
                    CostItem::Pool(i) => m.pools[i],
                    CostItem::Credits => m.credits.iter().sum(),
                    CostItem::Vendor => m.vendor,
                    CostItem::Penalties => m.penalties,
                    CostItem::Bot => m.bot,
                    CostItem::Care => m.care,
                    CostItem::Total => m.total(),
                }
            }
            Quantity::Handovers => {
                let c = self.sum_cells(Group::All);
                ratio(self.handovers as f64, (c.arrived - c.deflected) as f64)
            }
            Quantity::VendorCost => self.money().vendor,
            Quantity::TotalCost => self.total_cost(),
            Quantity::TotalCostPerWeek => self.total_cost() / window_weeks,
            Quantity::CostPerResolved => {
                let c = self.sum_cells(Group::All);
                ratio(self.total_cost(), c.resolved as f64)
            }
            Quantity::AgentMinutesPerTicket => {
                let c = self.sum_cells(Group::All);
                let busy: f64 = self.busy.iter().map(|b| b.area).sum();
                ratio(busy, (c.arrived - c.deflected) as f64)
            }
            Quantity::InSystemMean => self.in_system.area / window_min,
            Quantity::Sojourn => {
                let c = self.sum_cells(Group::All);
                ratio(c.sojourn_sum, (c.resolved + c.abandoned) as f64)
            }
            Quantity::Resolved => self.sum_cells(Group::All).resolved as f64,
            Quantity::Unresolved => self.sum_cells(Group::All).unresolved as f64,
            Quantity::Abandoned => self.sum_cells(Group::All).abandoned as f64,
            Quantity::Unstable => f64::from(u8::from(self.unstable)),
            Quantity::ResolvedIn(g) => self.sum_cells(g).resolved as f64,
            Quantity::StageWaited(k) => wait_share(&self.stage_waits[k]),
            Quantity::StageWaitMean(k) => {
                let w = &self.stage_waits[k];
                ratio(w.sum_min, w.n as f64)
            }
            Quantity::StageWaitQuantile(k, q) => quantile(&self.stage_waits[k], q),
            Quantity::StageWaitWithin(k, i) => {
                let w = &self.stage_waits[k];
                ratio(w.within(i) as f64, w.n as f64)
            }
            Quantity::AbandonWaitMean => {
                ratio(self.abandon_wait.sum_min, self.abandon_wait.n as f64)
            }
            Quantity::AbandonWaitQuantile(q) => quantile(&self.abandon_wait, q),
            Quantity::AbandonedWithin(i) => ratio(
                self.abandon_wait.within(i) as f64,
                self.abandon_wait.n as f64,
            ),
            Quantity::ContactsOffered(c) => self.channel_access[c].offered as f64,
            Quantity::ContactsAnswered(c) => self.channel_answered[c] as f64,
            Quantity::ContactsTurnedAway(c) => self.channel_access[c].turned_away as f64,
            Quantity::ContactsBlockedLost(c) => self.channel_access[c].blocked_lost as f64,
            Quantity::ContactsLeftMessage(c) => {
                let a = &self.channel_access[c];
                (a.closed_message + a.blocked_message) as f64
            }
            Quantity::BlockingProbability(c) => {
                let a = &self.channel_access[c];
                ratio(
                    (a.blocked_lost + a.blocked_message) as f64,
                    a.offered as f64,
                )
            }
            Quantity::ClosedShare(c) => {
                let a = &self.channel_access[c];
                ratio((a.turned_away + a.closed_message) as f64, a.offered as f64)
            }
            Quantity::Bot(m, c) => self.bot_value(m, c),
            Quantity::Triage(m) => self.triage_value(m),
            Quantity::Incident(m) => self.incident_value(m),
            Quantity::Category(m, c) => self.category_value(m, c),
            Quantity::Origin(m, o) => self.origin_value(m, o),
            Quantity::TicketsRefused => self.cells.iter().map(|c| c.refused).sum::<u64>() as f64,
            Quantity::Contacts => self.contacts as f64,
            Quantity::RetrialContacts => self.retrial_contacts as f64,
            Quantity::Chasers => self.chasers as f64,
            Quantity::Callback(m) => m.value(&self.callbacks),
            Quantity::BotWeek(w) => {
                let (offered, contained) = self.bot_weeks[w];
                ratio(contained as f64, offered as f64)
            }
            Quantity::ChasersPerTicket => {
                let c = self.sum_cells(Group::All);
                ratio(self.chasers as f64, (c.arrived - c.deflected) as f64)
            }
            Quantity::RetrialsPerTicket => {
                let c = self.sum_cells(Group::All);
                ratio(
                    self.retrial_contacts as f64,
                    (c.arrived - c.deflected) as f64,
                )
            }
        }
    }
}

/// P(wait > 0); NaN without waits.
fn wait_share(w: &WaitStats) -> f64 {
    if w.n > 0 {
        w.positive as f64 / w.n as f64
    } else {
        f64::NAN
    }
}

/// A quantile of the waits; NaN without waits.
fn quantile(w: &WaitStats, q: f64) -> f64 {
    if w.n > 0 {
        w.hist.quantile(q)
    } else {
        f64::NAN
    }
}

/// `a / b`, or NaN when there is nothing to divide by (no data in this replication).
#[inline]
pub(super) fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { f64::NAN }
}
