//! Analytic estimates from a validated scenario: the mean arrival rate, and the warnings
//! drawn from the offered load per pool.
//!
//! The load itself is computed by [`crate::model::load`] from the model's own step
//! function, so it cannot drift from the engine's routing.

use super::Scenario;
use crate::model::load::pool_loads;

/// Mean arrival rate over `[from, to)` [tickets/minute], before deflection, with daily
/// multipliers at their mean of 1. With `[demand] trace` the trace replaces the arrival
/// process, so the rate is its rows in `[from, to)` over the span: the estimates (`validate`,
/// warnings, the run report, the staffing search's start) then follow the replayed volume,
/// not the volume keys.
pub fn mean_arrival_rate(s: &Scenario, from: f64, to: f64) -> f64 {
    if let Some(t) = &s.trace {
        return trace_arrivals(t, from, to) / (to - from);
    }
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

/// Rows of a trace arriving in `[from, to)` (rows are sorted by time).
pub fn trace_arrivals(t: &super::trace::Trace, from: f64, to: f64) -> f64 {
    let a = t.rows.partition_point(|r| r.time_min < from);
    let b = t.rows.partition_point(|r| r.time_min < to);
    b.saturating_sub(a) as f64
}

/// A trace's shares of its rows in `[from, to)` per segment and channel (`[segment][channel]`,
/// summing to 1), `None` without a trace or without rows in the window.
pub fn trace_mix(s: &Scenario, from: f64, to: f64) -> Option<Vec<Vec<f64>>> {
    let t = s.trace.as_ref()?;
    let last = s.channels.len() - 1;
    let mut m = vec![vec![0.0; s.channels.len()]; s.demand.mixes.len()];
    let mut n = 0.0;
    for r in t
        .rows
        .iter()
        .filter(|r| r.time_min >= from && r.time_min < to)
    {
        if let Some(row) = m.get_mut(r.segment as usize) {
            row[(r.channel as usize).min(last)] += 1.0;
            n += 1.0;
        }
    }
    (n > 0.0).then(|| {
        m.iter()
            .map(|row| row.iter().map(|x| x / n).collect())
            .collect::<Vec<Vec<f64>>>()
    })
}

/// Non-fatal findings shown by `validate` and `run`.
pub fn warnings(s: &Scenario) -> Vec<String> {
    let mut out = Vec::new();
    let bounded_by_patience = every_contact_can_abandon(s);
    for l in pool_loads(s) {
        if l.utilisation >= 1.0 && bounded_by_patience {
            out.push(format!(
                "pool {:?}: offered load {:.1} erlangs is at or above its {:.1} agents on duty (estimated utilisation {:.2} before abandonment): every contact has a patience, so the queue stays bounded, but expect heavy abandonment (check it with `supportsim erlang a`)",
                l.pool, l.offered_erlangs, l.mean_staffed, l.utilisation
            ));
        } else if l.utilisation >= 1.0 {
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
    out.extend(channels_never_open(s));
    out.extend(vacuous_targets(s).into_iter().map(|v| v.to_string()));
    out
}

/// Live channels whose `[access]` minimum on duty is above the most agents the entry pool
/// ever has: every contact on them is refused.
fn channels_never_open(s: &Scenario) -> Vec<String> {
    let entry = crate::model::Policy::new(s).stages[0].pool;
    let most = s.pools[entry].max_staffed();
    (0..s.channels.len())
        .filter(|&c| s.access[c].min_agents_on_duty > most)
        .filter(|&c| s.demand.mixes.iter().any(|m| m.channel[c] > 0.0))
        .map(|c| {
            format!(
                "access.{}.min_agents_on_duty = {} is more than the {} agents pool {:?} ever has on duty: the channel never opens, and every contact on it is refused",
                s.channels.name(c),
                s.access[c].min_agents_on_duty,
                most,
                s.pools[entry].name
            )
        })
        .collect()
}

/// Whether every contact waits in one live queue it may leave: one tier, every channel with
/// demand is chat or phone with a patience, and nothing turns into deferred work (no message
/// left on abandoning, no accepted callback waiting without patience). Then an M/M/c+M-like queue is stable at any load (Erlang A), and a
/// load above capacity means abandonment, not a queue growing without bound.
fn every_contact_can_abandon(s: &Scenario) -> bool {
    let live_with_patience = |c: usize| s.channels.is_live(c) && s.patience[c].is_some();
    s.tiers.len() == 1
        && s.abandon_to_email_p == 0.0
        && s.behaviour.callbacks.is_none()
        && s.demand.mixes.iter().all(|m| {
            m.channel
                .iter()
                .enumerate()
                .all(|(c, &share)| share == 0.0 || live_with_patience(c))
        })
}

/// A target or a staffing plan that cannot mean what it seems to: found from the scenario's
/// structure alone, before any simulation.
#[derive(Debug, Clone, PartialEq)]
pub enum Vacuous {
    /// An SLA target's business-hours clock never runs during the measured window and drain:
    /// every ticket meets the limit, whatever the staffing.
    ClosedClock {
        /// `sla[i].first_response` or `sla[i].resolution`.
        path: String,
        /// The target's label (`P1/*`).
        label: String,
        /// The calendar's name.
        calendar: String,
    },
    /// A resolution limit on the wall clock below the least work every ticket needs at
    /// tier 1: no headcount can meet it.
    Unreachable {
        /// `sla[i].resolution`.
        path: String,
        /// The target's label.
        label: String,
        /// The limit [minutes].
        limit_min: f64,
        /// The least tier-1 work of any ticket [minutes].
        least_work_min: f64,
    },
    /// Tickets arrive at local hours when the pool that takes every new ticket has no agent
    /// on duty.
    Uncovered {
        /// The intake pool.
        pool: String,
        /// Share of the measured window's arrivals that arrive then.
        share: f64,
        /// Local hours of the week (demand time zone), like `Sat-Sun 00:00-24:00`.
        hours: String,
        /// Every live channel closes while the pool has nobody on duty (`[access]`
        /// `min_agents_on_duty`), so only asynchronous tickets and left messages wait then.
        live_closed: bool,
        /// The live channels, like `chat and phone`, named in the warning.
        live_names: String,
        /// The asynchronous channels, like `email`, named in the warning.
        asynchronous_names: String,
    },
}

impl std::fmt::Display for Vacuous {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Vacuous::ClosedClock {
                path,
                label,
                calendar,
            } => write!(
                f,
                "{path} ({label}): calendar {calendar:?} is never open during the run (no working days, or every one a holiday), so its clock never starts and every ticket meets the limit: attainment is 100% whatever the staffing; give the calendar working days or use clock = \"24x7\""
            ),
            Vacuous::Unreachable {
                path,
                label,
                limit_min,
                least_work_min,
            } => write!(
                f,
                "{path} ({label}): the limit of {limit_min} min is below the {least_work_min} min of tier-1 work every ticket needs, so no headcount can meet it (attainment 0%); raise the limit or check the work times"
            ),
            Vacuous::Uncovered {
                pool,
                share,
                hours,
                live_closed,
                live_names,
                asynchronous_names,
            } => write!(
                f,
                "pool {pool:?} takes every new ticket but has no agent on duty when {:.1}% of them arrive ({hours}, local time): {}; add a shift covering those hours if that is not intended",
                share * 100.0,
                if *live_closed {
                    let verb = if live_names.contains(" and ") {
                        "are"
                    } else {
                        "is"
                    };
                    let waiting = if asynchronous_names.is_empty() {
                        "nothing waits for its next shift".to_string()
                    } else {
                        format!(
                            "{asynchronous_names} tickets and left messages wait until its next shift"
                        )
                    };
                    format!(
                        "{live_names} {verb} closed then ([access] min_agents_on_duty), and {waiting}"
                    )
                } else {
                    "they wait until its next shift".to_string()
                }
            ),
        }
    }
}

/// SLA clocks that never open and demand arriving when the intake pool is off duty.
pub fn vacuous_targets(s: &Scenario) -> Vec<Vacuous> {
    let mut out = Vec::new();
    let (from, span) = (s.run.warmup_min, s.run.span_min());
    for (i, t) in s.sla.targets.iter().enumerate() {
        for (kind, target) in [
            ("first_response", t.first_response),
            ("resolution", t.resolution),
        ] {
            let Some(c) = target.and_then(|x| x.clock) else {
                continue;
            };
            let Some(clock) = s.sla.clocks.get(c as usize) else {
                continue;
            };
            if clock.elapsed(from, span) <= 0.0 {
                out.push(Vacuous::ClosedClock {
                    path: format!("sla[{i}].{kind}"),
                    label: t.label.clone(),
                    calendar: clock.name.clone(),
                });
            }
        }
    }
    out.extend(unreachable_resolution(s));
    out.extend(uncovered_demand(s));
    out
}

/// Resolution limits on the wall clock shorter than the least tier-1 work of any ticket.
fn unreachable_resolution(s: &Scenario) -> Vec<Vacuous> {
    let Some(tier) = s.tiers.first() else {
        return Vec::new();
    };
    let used = |c: usize| s.demand.mixes.iter().any(|m| m.channel[c] > 0.0);
    let least = (0..s.channels.len())
        .filter(|&c| used(c))
        .map(|c| tier.work[c].min_value() * tier.work_factor)
        .fold(f64::INFINITY, f64::min);
    if !(least.is_finite() && least > 0.0) {
        return Vec::new();
    }
    s.sla
        .targets
        .iter()
        .enumerate()
        .filter_map(|(i, t)| {
            let r = t.resolution?;
            (r.clock.is_none() && r.limit_min < least).then(|| Vacuous::Unreachable {
                path: format!("sla[{i}].resolution"),
                label: t.label.clone(),
                limit_min: r.limit_min,
                least_work_min: least,
            })
        })
        .collect()
}

/// Shares of the measured window's arrivals below which an uncovered hour is not reported
/// (shrinkage rounding can leave single quarter-hours without an agent).
const UNCOVERED_MIN_SHARE: f64 = 0.001;

/// Demand arriving when the first stage's pool has nobody on duty, by local hour of week.
fn uncovered_demand(s: &Scenario) -> Option<Vacuous> {
    use super::calendar::{SLOT_MIN, local_slots};
    let pool = s.pools.get(s.tiers.first()?.pool)?;
    let (from, to) = (s.run.warmup_min, s.run.window_end_min());
    let slots = local_slots(s.run.start_date, &s.run.timezone, s.run.span_min()).ok()?;
    let segs = &s.demand.segments;
    let mut total = 0.0;
    let mut uncovered = 0.0;
    let mut cells = [[false; 24]; 7];
    let mut k = 0;
    for (j, slot) in slots.iter().enumerate() {
        let (a, b) = (j as f64 * SLOT_MIN, (j + 1) as f64 * SLOT_MIN);
        if b <= from || a >= to {
            continue;
        }
        let mid = 0.5 * (a + b);
        while k + 1 < segs.len() && segs[k + 1].start_min <= mid {
            k += 1;
        }
        let demand = segs.get(k).map_or(0.0, |x| x.rate_per_min) * (b.min(to) - a.max(from));
        total += demand;
        if demand > 0.0 && pool.staffed_at(mid) == 0 {
            uncovered += demand;
            cells[slot.weekday as usize][(slot.minute_of_day / 60) as usize] = true;
        }
    }
    let share = uncovered / total;
    (share.is_finite() && share >= UNCOVERED_MIN_SHARE).then(|| Vacuous::Uncovered {
        pool: pool.name.clone(),
        share,
        hours: week_hours(&cells),
        live_closed: s
            .channels
            .live()
            .all(|c| s.access[c].min_agents_on_duty >= 1),
        live_names: names_joined(s, s.channels.live()),
        asynchronous_names: names_joined(
            s,
            (0..s.channels.len()).filter(|&c| s.channels.is_asynchronous(c)),
        ),
    })
}

/// `chat and phone`, `a, b and c`: channel names for a sentence.
fn names_joined(s: &Scenario, channels: impl Iterator<Item = usize>) -> String {
    let names: Vec<&str> = channels.map(|c| s.channels.name(c)).collect();
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// `Mon-Fri 00:00-08:00, 20:00-24:00; Sat-Sun 00:00-24:00` for the marked hours of a week.
pub(crate) fn week_hours(cells: &[[bool; 24]; 7]) -> String {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let ranges = |day: &[bool; 24]| -> String {
        let mut parts = Vec::new();
        let mut h = 0;
        while h < 24 {
            if day[h] {
                let start = h;
                while h < 24 && day[h] {
                    h += 1;
                }
                parts.push(format!("{start:02}:00-{h:02}:00"));
            } else {
                h += 1;
            }
        }
        parts.join(", ")
    };
    let mut out: Vec<String> = Vec::new();
    let mut d = 0;
    while d < 7 {
        let r = ranges(&cells[d]);
        let mut e = d;
        while e + 1 < 7 && cells[e + 1] == cells[d] {
            e += 1;
        }
        if !r.is_empty() {
            let days = if e == d {
                DAYS[d].to_string()
            } else {
                format!("{}-{}", DAYS[d], DAYS[e])
            };
            out.push(format!("{days} {r}"));
        }
        d = e + 1;
    }
    out.join("; ")
}

/// When a model is switched on from the command line (`compare --models`, `sweep --vary
/// model=`) and the file has no table of its own for it, which settings come from defaults:
/// the reader of a comparison must know that "swarm" meant the default swarm.
pub fn model_defaults(s: &Scenario) -> Option<String> {
    use super::ModelKind;
    let mut parts = Vec::new();
    if matches!(s.model, ModelKind::Swarm | ModelKind::Hybrid)
        && s.raw.swarm.is_none()
        && let Some(w) = &s.swarm
    {
        parts.push(format!(
            "[swarm] owner level {}, {:.1} helpers per session on average, coordination overhead {:.0}%, context switch {:.1} min, brief {:.1} min",
            w.owner_level,
            w.helpers_mean,
            w.overhead * 100.0,
            w.context_switch.mean(),
            w.brief.mean()
        ));
    }
    if s.model == ModelKind::PooledTiered && s.raw.pooled.is_none() {
        parts.push("[pooled] levels 1..=2 share one queue".to_string());
    }
    (!parts.is_empty()).then(|| {
        format!(
            "model \"{}\" runs on defaults the file does not set: {}; set them in the file to change them (docs/models.md)",
            s.model.name(),
            parts.join("; ")
        )
    })
}
