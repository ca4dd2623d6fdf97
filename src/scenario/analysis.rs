//! Analytic estimates from a validated scenario: offered load and utilisation per pool.
//!
//! These are expectations computed from the mixes and mean times (no simulation); they feed
//! `supportsim validate`, the overload warnings and the starting point of staffing searches.

use super::{CHAT, DAY_MIN, Scenario};

/// Estimated load on one pool over the measured window.
#[derive(Debug, Clone, PartialEq)]
pub struct PoolLoad {
    /// Pool name.
    pub pool: String,
    /// Tier level the pool staffs (0 when it staffs none).
    pub level: u8,
    /// Ticket visits to the pool's queue [tickets/week] (a merged pool counts a ticket once per tier it works).
    pub tickets_per_week: f64,
    /// Mean agent-minutes of work per visit, swarm help included [minutes].
    pub work_per_ticket_min: f64,
    /// Offered load [erlangs] = arrival rate x work per ticket.
    pub offered_erlangs: f64,
    /// Mean agents on duty over the window [agents].
    pub mean_staffed: f64,
    /// Offered load / (mean staffed x occupancy cap) (infinite with work and no staff).
    pub utilisation: f64,
}

/// Mean arrival rate over `[from, to)` [tickets/minute], before deflection, with daily
/// multipliers at their mean of 1.
pub fn mean_arrival_rate(s: &Scenario, from: f64, to: f64) -> f64 {
    let segs = &s.demand.segments;
    let span = s.run.span_min();
    let mut area = 0.0;
    for (i, seg) in segs.iter().enumerate() {
        let end = segs.get(i + 1).map_or(span, |x| x.start_min);
        let (a, b) = (seg.start_min.max(from), end.min(to));
        if b > a {
            area += (b - a) * seg.rate_per_min;
        }
    }
    area / (to - from)
}

/// Offered load per pool over the measured window, following each ticket type's path
/// through the selected model (tier steps, the owner's work, swarm sessions with their mean
/// helper count, overhead and context switches). The learning option is ignored, so for
/// swarms with learning this is an upper bound.
pub fn pool_loads(s: &Scenario) -> Vec<PoolLoad> {
    let (from, to) = (s.run.warmup_min, s.run.window_end_min());
    let lambda = mean_arrival_rate(s, from, to);
    let n = s.tiers.len();
    let b = s.escalation.bounce_back_p;
    let np = s.pools.len();
    let mut reach = vec![0.0; np];
    let mut work = vec![0.0; np];
    let owner_tier = s.swarm.as_ref().map_or(usize::MAX, |w| w.owner_tier);
    for (w, mix) in s.demand.segment_probs.iter().zip(&s.demand.mixes) {
        for (c, pc) in mix.channel.iter().enumerate() {
            for (lvl, pl) in mix.level.iter().enumerate().skip(1) {
                let p = w * pc * pl;
                if p == 0.0 {
                    continue;
                }
                // Probability mass of this ticket kind still travelling up the ladder: a tier
                // that resolves less than it could (resolve_factor) passes the rest up.
                let mut q = p;
                for (k, tier) in s.tiers.iter().enumerate() {
                    let level = k + 1;
                    if q <= 0.0 {
                        break;
                    }
                    let pool = tier.pool;
                    // Proficiency (and a ramp, at the middle of the window) scales all work;
                    // chats under concurrency take 1/k of an agent (full packing assumed).
                    let speed = tier.factor_at(0.5 * (from + to));
                    let share = if c == CHAT {
                        1.0 / f64::from(s.pools[pool].chat_concurrency.max(1))
                    } else {
                        1.0
                    };
                    reach[pool] += q;
                    let mut m = if k > 0 {
                        (1.0 + b) * tier.regather.mean()
                    } else {
                        0.0
                    };
                    if k == owner_tier {
                        let sw = s.swarm.as_ref().expect("owner tier implies swarm");
                        let top = lvl.min(sw.owner_level as usize);
                        m += s.tiers[k..top]
                            .iter()
                            .map(|t| t.work[c].mean())
                            .sum::<f64>();
                        if lvl > sw.owner_level as usize && (sw.owner_level as usize) < n {
                            let needed = lvl.min(n) - 1;
                            let session = sw
                                .session
                                .as_ref()
                                .unwrap_or(&s.tiers[needed].work[c])
                                .mean();
                            let occupied = sw.brief.mean() + session * (1.0 + sw.overhead);
                            m += occupied;
                            work[s.tiers[needed].pool] +=
                                q * sw.helpers_mean * (occupied + sw.context_switch.mean());
                        }
                        work[pool] += q * m * speed * share;
                        break;
                    }
                    m += tier.work[c].mean();
                    let pass = if lvl > level {
                        1.0
                    } else if k + 1 < n {
                        1.0 - tier.resolve_factor
                    } else {
                        0.0
                    };
                    let bounce = if k + 1 < n { b } else { 0.0 };
                    m += pass * tier.write_up.mean() * (1.0 + bounce);
                    work[pool] += q * m * speed * share;
                    q *= pass;
                }
            }
        }
    }
    s.pools
        .iter()
        .enumerate()
        .map(|(pi, pool)| {
            let level = s
                .tiers
                .iter()
                .position(|t| t.pool == pi)
                .map_or(0, |k| k as u8 + 1);
            // Experts who only join swarms have load but no tickets of their own.
            let (rate, wpt) = if reach[pi] > 0.0 {
                (lambda * reach[pi], work[pi] / reach[pi])
            } else {
                (0.0, 0.0)
            };
            let offered = lambda * work[pi];
            let staffed = pool.mean_staffed(from, to);
            PoolLoad {
                pool: pool.name.clone(),
                level,
                tickets_per_week: rate * 7.0 * DAY_MIN,
                work_per_ticket_min: wpt,
                offered_erlangs: offered,
                mean_staffed: staffed,
                utilisation: if staffed > 0.0 {
                    offered / (staffed * pool.max_occupancy)
                } else if offered > 0.0 {
                    f64::INFINITY
                } else {
                    0.0
                },
            }
        })
        .collect()
}

/// Non-fatal findings shown by `validate` and `run`.
pub fn warnings(s: &Scenario) -> Vec<String> {
    let mut out = Vec::new();
    for l in pool_loads(s) {
        if l.utilisation >= 1.0 {
            out.push(format!(
                "pool {:?}: estimated utilisation {:.2} >= 1 (offered {:.1} erlangs vs {:.1} agents on duty on average): its queue grows without bound, results describe an overloaded system bounded only by the horizon and run.max_open_tickets",
                l.pool, l.utilisation, l.offered_erlangs, l.mean_staffed
            ));
        } else if l.utilisation >= 0.95 {
            out.push(format!(
                "pool {:?}: estimated utilisation {:.2} is close to 1: waits will be long and slow to settle; consider a longer warm-up",
                l.pool, l.utilisation
            ));
        }
    }
    if s.sla.targets.is_empty() {
        out.push("no [[sla]] targets: SLA attainment will not be reported".to_string());
    }
    out
}
