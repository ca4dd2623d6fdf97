//! The incident tickets' share of the expected load (`[incidents]`): the mean contacts of the
//! incidents expected in the measured window, worked as the engine works them. The first
//! `detect_after_reports` tickets of an incident monitoring did not detect are reports: their
//! first step is the full work of a ticket of the severity's level, their later steps (an
//! escalation, a return) come after detection and take the link time; the rest take it, plus
//! the closing touch (every child is taken as still open at the fix notice). A notification
//! about an incident monitoring detected cuts the call-in of the accounts whose first contact
//! would come after it: the share of first contacts before it is the contact delay's CDF at
//! the notification's time from the start (`max(0, delay_min - lead_min)`). A response team
//! adds the agent-minutes it is held (see [`IncidentKind::team`]). Outreach's health checks
//! add their agent time to the outreach pool, evenly over time.

use super::Policy;
use super::load::{At, routed_split, walk};
use crate::engine::Entry;
use crate::scenario::Scenario;
use crate::scenario::incidents::{Incidents, MONTH_MIN};

/// One kind of incident expected in a window: random ones of a severity (a rate), or one
/// scheduled incident, with the expected work each brings (prevented ones counted at zero).
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentKind {
    /// Incidents per minute: a random kind's rate, or 1 / window for a scheduled one.
    pub rate_per_min: f64,
    /// Start of a scheduled incident [minutes]; `None` for random ones.
    pub start_min: Option<f64>,
    /// Mean duration of the incidents that happen, after monitoring's shortening [minutes].
    pub duration_min: f64,
    /// Expected ticket visits per pool per incident of the kind.
    pub reach: Vec<f64>,
    /// Expected agent-minutes of ticket work per pool per incident of the kind.
    pub work: Vec<f64>,
    /// Expected agent-minutes per pool per incident that its response team is held.
    pub team: Vec<f64>,
    /// Mean time from the start to the team's assembly, over the incidents that get one
    /// [minutes].
    pub team_after_min: f64,
}

/// An incident kind before its work is walked: (rate per minute, scheduled start, severity,
/// affected share per segment, mean duration before shortening, a scheduled incident's fixed
/// duration).
type Planned = (f64, Option<f64>, usize, Vec<f64>, f64, Option<f64>);

/// The incident kinds of the window `(from, to)` with their expected work per pool (empty
/// without `[incidents]`).
pub fn incident_kinds(s: &Scenario, policy: &Policy, (from, to): (f64, f64)) -> Vec<IncidentKind> {
    let Some(inc) = &s.incidents else {
        return Vec::new();
    };
    let span = to - from;
    if span <= 0.0 {
        return Vec::new();
    }
    // Random incidents per minute by severity, with their affected shares per segment.
    let mut kinds: Vec<Planned> = Vec::new();
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
            let d = sev.duration.mean();
            kinds.push((
                inc.rate_per_min * share,
                None,
                k,
                sev.affected.clone(),
                d,
                None,
            ));
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
        let d = x.duration_min.unwrap_or_else(|| sev.duration.mean());
        kinds.push((
            1.0 / span,
            Some(x.start_min),
            x.severity,
            affected,
            d,
            x.duration_min,
        ));
    }
    kinds
        .into_iter()
        .map(|(rate, start, k, affected, d, fixed)| {
            let (reach, work, tickets) = per_incident(s, policy, inc, (k, &affected), (from, to));
            let shorten = inc.monitoring.as_ref().map_or(0.0, |m| {
                m.detect_p * (1.0 - m.prevent_p) * m.shorten_share
                    / (1.0 - m.detect_p * m.prevent_p).max(f64::MIN_POSITIVE)
            });
            let (team, team_after_min) = team_time(s, inc, k, fixed, tickets);
            IncidentKind {
                rate_per_min: rate,
                start_min: start,
                duration_min: d * (1.0 - shorten),
                reach,
                work,
                team,
                team_after_min,
            }
        })
        .collect()
}

/// Expected (visits, agent-minutes) per pool of one incident of severity `k` affecting the
/// shares `affected`, prevention included, and the tickets of an undetected incident.
fn per_incident(
    s: &Scenario,
    policy: &Policy,
    inc: &Incidents,
    (k, affected): (usize, &[f64]),
    (from, to): (f64, f64),
) -> (Vec<f64>, Vec<f64>, f64) {
    let np = s.pools.len();
    let (mut reach, mut work) = (vec![0.0; np], vec![0.0; np]);
    let sev = &inc.severities[k];
    let (detect_p, prevent_p, lead_min) = inc
        .monitoring
        .as_ref()
        .map_or((0.0, 0.0, 0.0), |m| (m.detect_p, m.prevent_p, m.lead_min));
    let happen = 1.0 - detect_p * prevent_p;
    if happen <= 0.0 {
        return (reach, work, 0.0);
    }
    // Of the incidents that happen, the share monitoring detected (prevented ones gone).
    let detected = detect_p * (1.0 - prevent_p) / happen;
    // A detected incident's notification goes out `max(0, delay - lead)` after the start; the
    // accounts whose first contact comes before it call at the full probability.
    let notified = inc.notifications.as_ref().map_or(1.0, |n| {
        let early = inc
            .contact_delay
            .cdf_below((n.delay_min - lead_min).max(0.0));
        early + (1.0 - early) * n.call_in_factor
    });
    let per_caller = inc.contacts_per_caller();
    // Tickets per channel of an undetected and of a detected incident.
    let n_channels = s.channels.len();
    let (mut missed, mut caught) = (vec![0.0; n_channels], vec![0.0; n_channels]);
    for (g, &n) in inc.accounts.iter().enumerate() {
        let outreach = inc
            .outreach
            .as_ref()
            .filter(|o| o.segments[g])
            .map_or(1.0, |o| o.call_in_factor);
        let hit = (affected[g] * n as f64).round().min(n as f64);
        let call = inc.call_in[g] * outreach;
        for (c, pc) in inc.channels[g].iter().enumerate() {
            missed[c] += hit * call * per_caller * pc;
            caught[c] += hit * call * notified * per_caller * pc;
        }
    }
    let total_missed: f64 = missed.iter().sum();
    // Reports of an undetected incident: its first `detect_after` tickets (all of them when
    // reports never detect).
    let reports = if inc.detect_after == 0 {
        total_missed
    } else {
        total_missed.min(f64::from(inc.detect_after))
    };
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
    for c in 0..3 {
        let tickets = happen * ((1.0 - detected) * missed[c] + detected * caught[c]);
        let report_mass = if total_missed > 0.0 {
            happen * (1.0 - detected) * reports * missed[c] / total_missed
        } else {
            0.0
        };
        let link_mass = tickets - report_mass;
        if tickets <= 0.0 {
            continue;
        }
        let share = if s.channels.is_chat(c) {
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
                // A report's later steps (an escalation, a return) come after the report
                // that detects the incident reached an agent: the engine links them then.
                let later = inc.detect_after > 0 && (at.stage != 0 || at.entry != Entry::New);
                if later {
                    let st = &policy.stages[at.stage];
                    let share = if s.channels.is_chat(c) {
                        1.0 / f64::from(s.pools[st.pool].chat_concurrency.max(1))
                    } else {
                        1.0
                    };
                    let mid = 0.5 * (from + to);
                    // A return visit to a stage already worked is not a new visit.
                    let visit = if at.visited & (1u8 << at.stage) == 0 {
                        at.mass
                    } else {
                        0.0
                    };
                    match cat.and_then(|x| routed_split(s, st.tier, x, (from, to))) {
                        Some((pools, f)) => {
                            for (p, w) in pools {
                                reach[p] += visit * w;
                                work[p] += at.mass * link_min * f * share * w;
                            }
                        }
                        None => {
                            let f = s.tiers[st.tier].factor_at(mid);
                            reach[st.pool] += visit;
                            work[st.pool] += at.mass * link_min * f * share;
                        }
                    }
                    continue;
                }
                walk(
                    s,
                    policy,
                    (sev.level as usize, c, cat),
                    at,
                    (from, to),
                    (&mut reach, &mut work),
                    None,
                    &mut todo,
                );
            }
        }
    }
    (reach, work, total_missed)
}

/// Expected agent-minutes per pool that incident severity `k`'s response team is held, per
/// incident (prevention included), and the mean time from the start to its assembly. The
/// team is in `assembly` after detection until the fix: at the start for incidents monitoring
/// detects; for the others when the `detect_after`-th report comes, taken as the time the
/// expected first contacts reach that count (queue waits ignored), none when they never do.
/// Every agent asked for is taken as free (an upper bound when the pools are busy).
fn team_time(
    s: &Scenario,
    inc: &Incidents,
    k: usize,
    fixed_duration: Option<f64>,
    missed_tickets: f64,
) -> (Vec<f64>, f64) {
    let mut team = vec![0.0; s.pools.len()];
    let Some(r) = &inc.severities[k].response else {
        return (team, 0.0);
    };
    let (detect_p, prevent_p, shorten) = inc.monitoring.as_ref().map_or((0.0, 0.0, 0.0), |m| {
        (m.detect_p, m.prevent_p, m.shorten_share)
    });
    let assembly = r.assembly.mean();
    let duration = &inc.severities[k].duration;
    // E[max(0, D x f - c)]: minutes the team is in, for a duration D scaled by f.
    let held = |f: f64, c: f64| match fixed_duration {
        _ if f <= 0.0 => 0.0,
        Some(d) => (d * f - c).max(0.0),
        None => excess(duration, c / f) * f,
    };
    let monitored = detect_p * (1.0 - prevent_p);
    let mut minutes = monitored * held(1.0 - shorten, assembly);
    let mut after = (monitored, monitored * assembly);
    let unmonitored = 1.0 - detect_p;
    if unmonitored > 0.0 && inc.detect_after > 0 && missed_tickets >= f64::from(inc.detect_after) {
        let t = quantile(
            &inc.contact_delay,
            f64::from(inc.detect_after) / missed_tickets,
        );
        minutes += unmonitored * held(1.0, t + assembly);
        after = (
            after.0 + unmonitored,
            after.1 + unmonitored * (t + assembly),
        );
    }
    let sizes: Vec<(usize, f64)> = match r.swarm {
        None => r.pools.iter().map(|&(p, n)| (p, f64::from(n))).collect(),
        Some(t) => {
            let experts = match (t.experts, s.swarm.as_ref()) {
                (Some(n), _) => f64::from(n),
                (None, Some(w)) => {
                    let mut prev = 0.0;
                    let mut mean = 0.0;
                    for (i, &c) in w.helpers_cum.iter().enumerate() {
                        let c = c.min(1.0);
                        mean += (i + 1) as f64 * (c - prev);
                        prev = c;
                    }
                    mean
                }
                (None, None) => 1.0,
            };
            vec![(t.owner, 1.0), (t.expert, experts)]
        }
    };
    for (p, n) in sizes {
        team[p] += n * minutes;
    }
    let after_min = if after.0 > 0.0 {
        after.1 / after.0
    } else {
        0.0
    };
    (team, after_min)
}

/// E[max(0, D - c)] = the integral of P(D >= x) from `c` on (Simpson's rule over 40 means).
fn excess(d: &crate::scenario::Dist, c: f64) -> f64 {
    let c = c.max(0.0);
    if let crate::scenario::Dist::Deterministic(v) = d {
        return (v - c).max(0.0);
    }
    let len = 40.0 * d.mean().max(1e-9);
    let n = 4000;
    let h = len / n as f64;
    let surv = |x: f64| 1.0 - d.cdf_below(x);
    let mut acc = surv(c) + surv(c + len);
    for i in 1..n {
        let w = if i % 2 == 1 { 4.0 } else { 2.0 };
        acc += w * surv(c + i as f64 * h);
    }
    acc * h / 3.0
}

/// The least `x` with P(D < x) >= `p` (bisection; 0 for p <= 0).
fn quantile(d: &crate::scenario::Dist, p: f64) -> f64 {
    if p <= 0.0 {
        return 0.0;
    }
    let (mut lo, mut hi) = (0.0, d.mean().max(1.0));
    while d.cdf_below(hi) < p && hi < 1e9 {
        hi *= 2.0;
    }
    for _ in 0..100 {
        let mid = 0.5 * (lo + hi);
        if d.cdf_below(mid) < p {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    hi
}

/// Outreach's health checks: (pool, checks per minute, agent-minutes per minute), evenly
/// over time as the engine spaces them; `None` without outreach or when its pool staffs no
/// queue stage (the engine then makes no checks).
pub fn outreach_load(
    s: &Scenario,
    policy: &Policy,
    (from, to): (f64, f64),
) -> Option<(usize, f64, f64)> {
    let o = s.incidents.as_ref()?.outreach.as_ref()?;
    let stage = (0..policy.queue_stages()).find(|&k| policy.stages[k].pool == o.pool)?;
    let speed = s.tiers[policy.stages[stage].tier].factor_at(0.5 * (from + to));
    let checks = f64::from(o.accounts) / MONTH_MIN;
    Some((o.pool, checks, checks * o.check_min * speed))
}

/// Adds incident work (and outreach's checks) to `reach` (ticket visits per minute) and
/// `work` (agent-minutes per minute, i.e. erlangs) per pool, over the window `(from, to)`.
pub(super) fn add_incident_load(
    s: &Scenario,
    policy: &Policy,
    window: (f64, f64),
    reach: &mut [f64],
    work: &mut [f64],
) {
    for k in incident_kinds(s, policy, window) {
        for p in 0..reach.len() {
            reach[p] += k.rate_per_min * k.reach[p];
            work[p] += k.rate_per_min * (k.work[p] + k.team[p]);
        }
    }
    if let Some((p, checks, erlangs)) = outreach_load(s, policy, window) {
        reach[p] += checks;
        work[p] += erlangs;
    }
}

/// Expected incident and outreach work per pool over the measured window [erlangs]: the part
/// of [`super::load::pool_loads`]' offered load that `[incidents]` adds (zeros without it).
pub fn incident_erlangs(s: &Scenario) -> Vec<f64> {
    let policy = Policy::new(s);
    let np = s.pools.len();
    let (mut reach, mut work) = (vec![0.0; np], vec![0.0; np]);
    add_incident_load(
        s,
        &policy,
        (s.run.warmup_min, s.run.window_end_min()),
        &mut reach,
        &mut work,
    );
    work
}
