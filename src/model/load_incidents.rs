//! The incident tickets' share of the expected load (`[incidents]`): the mean contacts of the
//! incidents expected in the measured window, worked as the engine works them. The first
//! `detect_after_reports` tickets of an incident monitoring did not detect are reports and
//! walk the model as full tickets of the severity's level; the rest take the link time, plus
//! the closing touch (every child is taken as still open at the fix notice). Notifications
//! are taken to reach every account of a detected incident before its first contact (so the
//! estimate is low when they come late); outreach's health checks are not counted.

use super::Policy;
use super::load::{At, routed_split, walk};
use crate::engine::Entry;
use crate::scenario::{CHAT, Scenario};

/// Adds incident work to `reach` (ticket visits per minute) and `work` (agent-minutes per
/// minute, i.e. erlangs) per pool, over the window `(from, to)`.
pub(super) fn add_incident_load(
    s: &Scenario,
    policy: &Policy,
    (from, to): (f64, f64),
    reach: &mut [f64],
    work: &mut [f64],
) {
    let Some(inc) = &s.incidents else {
        return;
    };
    let span = to - from;
    if span <= 0.0 {
        return;
    }
    let (detect_p, prevent_p) = inc
        .monitoring
        .as_ref()
        .map_or((0.0, 0.0), |m| (m.detect_p, m.prevent_p));
    let notify = inc.notifications.as_ref().map_or(1.0, |n| n.call_in_factor);
    // Incidents per minute by severity, with their affected shares per segment.
    let mut kinds: Vec<(f64, usize, Vec<f64>)> = Vec::new();
    let mut prev = 0.0;
    for (k, sev) in inc.severities.iter().enumerate() {
        let cum = inc.severity_cum[k].min(1.0);
        let share = if k + 1 == inc.severities.len() {
            1.0 - prev
        } else {
            cum - prev
        };
        prev = cum;
        if inc.rate_per_min > 0.0 && share > 0.0 {
            kinds.push((inc.rate_per_min * share, k, sev.affected.clone()));
        }
    }
    for x in inc
        .scheduled
        .iter()
        .filter(|x| x.start_min >= from && x.start_min < to)
    {
        let sev = &inc.severities[x.severity];
        let affected = match x.affected_share {
            Some(a) => vec![a; inc.accounts.len()],
            None => sev.affected.clone(),
        };
        kinds.push((1.0 / span, x.severity, affected));
    }
    let per_caller = inc.contacts_per_caller();
    let link_min = inc.link.mean() + inc.close.as_ref().map_or(0.0, |d| d.mean());
    let stage0 = &policy.stages[0];
    let tier = &s.tiers[stage0.tier];
    let cat = s
        .skills
        .as_ref()
        .filter(|k| k.queues_by_category)
        .map(|_| inc.category as usize);
    let split = cat.and_then(|c| routed_split(s, stage0.tier, c, (from, to)));
    let speed = split
        .as_ref()
        .map_or_else(|| tier.factor_at(0.5 * (from + to)), |x| x.1);
    for (rate, k, affected) in kinds {
        let sev = &inc.severities[k];
        let happen = rate * (1.0 - detect_p * prevent_p);
        // Of the incidents that happen, the share monitoring detected (prevented ones gone).
        let detected = if happen > 0.0 {
            rate * detect_p * (1.0 - prevent_p) / happen
        } else {
            0.0
        };
        let mut tickets = [0.0; 3];
        for (g, &n) in inc.accounts.iter().enumerate() {
            let outreach = inc
                .outreach
                .as_ref()
                .filter(|o| o.segments[g])
                .map_or(1.0, |o| o.call_in_factor);
            let hit = (affected[g] * n as f64).round().min(n as f64);
            let call = inc.call_in[g] * outreach * (1.0 - detected + detected * notify);
            for (c, pc) in inc.channels[g].iter().enumerate() {
                tickets[c] += hit * call * per_caller * pc;
            }
        }
        let total: f64 = tickets.iter().sum();
        if total <= 0.0 {
            continue;
        }
        // Reports per incident: the first `detect_after` tickets (all of them when reports
        // never detect) of the incidents monitoring missed.
        let reports = if inc.detect_after == 0 {
            total
        } else {
            total.min(f64::from(inc.detect_after))
        } * (1.0 - detected);
        for (c, &tc) in tickets.iter().enumerate() {
            let report_mass = happen * reports * tc / total;
            let link_mass = happen * tc - report_mass;
            let share = if c == CHAT {
                1.0 / f64::from(s.pools[stage0.pool].chat_concurrency.max(1))
            } else {
                1.0
            };
            match &split {
                Some((pools, _)) => {
                    for &(p, w) in pools {
                        reach[p] += link_mass * w;
                        work[p] += link_mass * link_min * speed * share * w;
                    }
                }
                None => {
                    reach[stage0.pool] += link_mass;
                    work[stage0.pool] += link_mass * link_min * speed * share;
                }
            }
            if report_mass > 0.0 {
                let mut todo = vec![At {
                    stage: 0,
                    entry: Entry::New,
                    bounced: 0,
                    visited: 0,
                    mass: report_mass,
                    first_adj: 0.0,
                }];
                while let Some(at) = todo.pop() {
                    walk(
                        s,
                        policy,
                        (sev.level as usize, c, cat),
                        at,
                        (from, to),
                        (&mut *reach, &mut *work),
                        None,
                        &mut todo,
                    );
                }
            }
        }
    }
}
