//! The checks behind [`crate::scenario::limits`]: names usable in key paths, no duplicate
//! names, list lengths, and the largest values a key may take, each reported with its key path.

use super::*;
use crate::scenario::error::Num;
use crate::scenario::limits::*;

/// Names (scenario, pools, shifts, segments, calendars) and list lengths.
pub(super) fn check_names_and_counts(raw: &RawScenario, p: &mut Problems) {
    if let Some(m) = name_problem(&raw.name) {
        p.push("name", format!("{m} (it names the output folder)"));
    }
    for (key, len, max) in [
        ("pools", raw.pools.len(), MAX_POOLS),
        ("demand.segments", raw.demand.segments.0.len(), MAX_SEGMENTS),
        ("calendars", raw.calendars.len(), MAX_CALENDARS),
        ("sla", raw.sla.len(), MAX_SLA_ENTRIES),
        ("demand.surges", raw.demand.surges.len(), MAX_SURGES),
    ] {
        if len > max {
            p.push(
                key,
                format!("has {len} entries; at most {max} are supported"),
            );
        }
    }
    for (i, pool) in raw.pools.iter().enumerate() {
        if let Some(m) = name_problem(&pool.name) {
            p.push(format!("pools[{i}].name"), m);
        }
        if pool.shifts.len() > MAX_SHIFTS {
            p.push(
                format!("pools[{i}].shifts"),
                format!(
                    "has {} shifts; at most {MAX_SHIFTS} are supported",
                    pool.shifts.len()
                ),
            );
        }
        for (k, sh) in pool.shifts.iter().enumerate() {
            let Some(name) = &sh.name else { continue };
            if let Some(m) = name_problem(name) {
                p.push(format!("pools[{i}].shifts[{k}].name"), m);
            }
            if let Some(j) = pool.shifts[..k]
                .iter()
                .position(|o| o.name.as_deref() == Some(name))
            {
                p.push(
                    format!("pools[{i}].shifts[{k}].name"),
                    format!(
                        "duplicate shift name {name:?} (also pools[{i}].shifts[{j}]); give every shift of a pool its own name, because `staff` and `sweep` address shifts by name"
                    ),
                );
            }
        }
    }
    for (i, c) in raw.calendars.iter().enumerate() {
        if let Some(m) = name_problem(&c.name) {
            p.push(format!("calendars[{i}].name"), m);
        }
    }
}

/// `v` at most `max` (NaN and infinities are reported by the finiteness checks).
pub(super) fn at_most(p: &mut Problems, path: &str, v: f64, max: f64, what: &str) {
    if v.is_finite() && v > max {
        p.push(
            path,
            format!(
                "is {}, more than the largest supported {what} ({}); use a smaller value",
                Num(v),
                // Limits derived in another unit (1e8 minutes as 1666666.67 hours) are shown
                // whole: the digits after the point carry nothing.
                if (1000.0..1e15).contains(&max) {
                    format!("{max:.0}")
                } else {
                    Num(max).to_string()
                }
            ),
        );
    }
}

/// Upper bounds of the money, factor and duration keys that are not distributions.
pub(super) fn check_magnitudes(raw: &RawScenario, p: &mut Problems) {
    let d = &raw.demand;
    for (i, s) in d.surges.iter().enumerate() {
        let base = format!("demand.surges[{i}]");
        at_most(
            p,
            &format!("{base}.multiplier"),
            s.multiplier,
            MAX_FACTOR,
            "multiplier",
        );
        at_most(
            p,
            &format!("{base}.duration_hours"),
            s.duration_hours,
            MAX_DURATION_MIN / 60.0,
            "duration [hours]",
        );
        at_most(
            p,
            &format!("{base}.start_day"),
            s.start_day,
            MAX_SPAN_DAYS,
            "start [days]",
        );
    }
    for (i, pool) in raw.pools.iter().enumerate() {
        let base = format!("pools[{i}]");
        at_most(
            p,
            &format!("{base}.work_time_factor"),
            pool.work_time_factor,
            MAX_FACTOR,
            "factor",
        );
        if let Some(h) = pool.handover_min {
            at_most(
                p,
                &format!("{base}.handover_min"),
                h,
                MAX_DURATION_MIN,
                "duration [minutes]",
            );
        }
        if let Some(r) = &pool.ramp {
            at_most(
                p,
                &format!("{base}.ramp.start_factor"),
                r.start_factor,
                MAX_FACTOR,
                "factor",
            );
            at_most(
                p,
                &format!("{base}.ramp.weeks"),
                r.weeks,
                MAX_DURATION_MIN / (7.0 * DAY_MIN),
                "ramp [weeks]",
            );
        }
        if let Some(c) = pool.cost_per_hour_usd {
            at_most(
                p,
                &format!("{base}.cost_per_hour_usd"),
                c,
                MAX_USD,
                "price [USD]",
            );
        }
        if pool.headcount > MAX_AGENTS {
            p.push(
                format!("{base}.headcount"),
                format!(
                    "is {}; at most {MAX_AGENTS} agents per pool are supported",
                    pool.headcount
                ),
            );
        }
        for (k, sh) in pool.shifts.iter().enumerate() {
            if sh.headcount > MAX_AGENTS {
                p.push(
                    format!("{base}.shifts[{k}].headcount"),
                    format!(
                        "is {}; at most {MAX_AGENTS} agents per pool are supported",
                        sh.headcount
                    ),
                );
            }
        }
        if let Some(c) = &pool.contract {
            let cp = format!("{base}.contract");
            for (key, v, max, what) in [
                (
                    "price_per_logged_hour_usd",
                    c.price_per_logged_hour_usd,
                    MAX_USD,
                    "price [USD]",
                ),
                (
                    "price_per_ticket_usd",
                    c.price_per_ticket_usd,
                    MAX_USD,
                    "price [USD]",
                ),
                ("seats", c.seats, f64::from(MAX_AGENTS), "seat count"),
                (
                    "minimum_seats",
                    Some(c.minimum_seats),
                    f64::from(MAX_AGENTS),
                    "seat count",
                ),
                (
                    "minimum_tickets_per_week",
                    Some(c.minimum_tickets_per_week),
                    MAX_TICKETS_PER_REPLICATION,
                    "ticket count",
                ),
                (
                    "seat_hours_per_week",
                    Some(c.seat_hours_per_week),
                    168.0,
                    "hours in a week",
                ),
                (
                    "over_flex_price_factor",
                    Some(c.over_flex_price_factor),
                    MAX_FACTOR,
                    "factor",
                ),
            ] {
                if let Some(v) = v {
                    at_most(p, &format!("{cp}.{key}"), v, max, what);
                }
            }
        }
    }
    if let Some(v) = raw.vendor.as_ref().and_then(|v| v.cost_per_ticket_usd) {
        at_most(p, "vendor.cost_per_ticket_usd", v, MAX_USD, "price [USD]");
    }
    for (i, e) in raw.sla.iter().enumerate() {
        for (kind, t) in [
            ("first_response", &e.first_response),
            ("resolution", &e.resolution),
        ] {
            let Some(t) = t else { continue };
            let base = format!("sla[{i}].{kind}");
            if let Some(m) = t.target_min {
                at_most(
                    p,
                    &format!("{base}.target_min"),
                    m,
                    MAX_DURATION_MIN,
                    "limit [minutes]",
                );
            }
            if let Some(h) = t.target_hours {
                at_most(
                    p,
                    &format!("{base}.target_hours"),
                    h,
                    MAX_DURATION_MIN / 60.0,
                    "limit [hours]",
                );
            }
            if let Some(x) = t.penalty_usd_per_breach {
                at_most(
                    p,
                    &format!("{base}.penalty_usd_per_breach"),
                    x,
                    MAX_USD,
                    "price [USD]",
                );
            }
        }
    }
    if let Some(w) = &raw.swarm {
        at_most(
            p,
            "swarm.coordination_overhead",
            w.coordination_overhead,
            MAX_FACTOR,
            "overhead",
        );
    }
}
