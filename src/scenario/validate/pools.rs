//! `[[pools]]`: names, working hours or shifts, shrinkage, chat concurrency, occupancy caps,
//! proficiency and ramps; then each pool's scheduled and available agents over time.

use super::costs::validate_contract;
use super::*;
use crate::scenario::error::Num;

/// Why a pool's staffing schedule cannot be built.
#[derive(Debug, thiserror::Error)]
pub(super) enum ScheduleError {
    /// A shift's local times cannot be placed on the time axis.
    #[error(transparent)]
    Calendar(#[from] calendar::CalendarError),
    /// Overlapping shifts put more agents on duty at once than a pool may have.
    #[error(
        "overlapping shifts put {agents} agents on duty at once (at minute {at_min:.0}); at most {MAX_AGENTS} per pool are supported: lower the shift headcounts"
    )]
    TooMany {
        /// Agents on duty at once.
        agents: i64,
        /// When [simulated minutes].
        at_min: f64,
    },
}

/// Names, shrinkage, proficiency, contracts, shifts and working hours of every pool.
pub(super) fn validate_pool_fields(pools: &[RawPool], p: &mut Problems) {
    if pools.is_empty() {
        p.push("pools", "must list at least one [[pools]] entry");
        return;
    }
    for (i, pool) in pools.iter().enumerate() {
        if pools[..i].iter().any(|q| q.name == pool.name) {
            p.push(
                format!("pools[{i}].name"),
                format!("duplicate pool name {:?}", pool.name),
            );
        }
        let base = format!("pools[{i}]");
        if !(0.0..1.0).contains(&pool.shrinkage) {
            p.push(
                format!("{base}.shrinkage"),
                format!(
                    "must be a fraction in [0, 1) of scheduled time, got {}",
                    pool.shrinkage
                ),
            );
        }
        validate_pool_keys(pool, &base, p);
        validate_contract(pool, &base, p);
        if !pool.shifts.is_empty() && (pool.hours.is_some() || pool.headcount > 0) {
            p.push(
                format!("{base}.shifts"),
                "give either shifts (each with its headcount) or headcount and hours, not both",
            );
        }
        for (k, sh) in pool.shifts.iter().enumerate() {
            let sp = format!("{base}.shifts[{k}]");
            for (key, raw) in [("start", &sh.start), ("end", &sh.end)] {
                match parse_hhmm(raw) {
                    None => p.push(
                        format!("{sp}.{key}"),
                        format!("must be a local time HH:MM, got {raw:?}"),
                    ),
                    Some(m) if m % 15 != 0 => p.push(
                        format!("{sp}.{key}"),
                        format!("must be on a quarter hour (:00, :15, :30, :45), got {raw:?}"),
                    ),
                    _ => {}
                }
            }
            if let Some(tz) = &sh.timezone
                && jiff::tz::TimeZone::get(tz).is_err()
            {
                p.push(
                    format!("{sp}.timezone"),
                    format!(
                        "unknown IANA time zone {tz:?} (e.g. \"Asia/Manila\", \"Europe/Dublin\")"
                    ),
                );
            }
            if sh.headcount == 0 {
                p.push(format!("{sp}.headcount"), "must be at least 1");
            }
        }
        if let Some(h) = &pool.hours {
            for (j, d) in h.days.iter().enumerate() {
                if Day::from_name(d).is_none() {
                    p.push(format!("pools[{i}].hours.days[{j}]"), Day::unknown(d));
                }
            }
            let s = parse_hhmm(&h.start);
            let e = parse_hhmm(&h.end);
            for (key, v, raw) in [("start", s, &h.start), ("end", e, &h.end)] {
                match v {
                    None => {
                        p.push(
                            format!("pools[{i}].hours.{key}"),
                            format!("must be a local time HH:MM, got {raw:?}"),
                        );
                    }
                    Some(m) if m % 15 != 0 => {
                        p.push(
                            format!("pools[{i}].hours.{key}"),
                            format!("must be on a quarter hour (:00, :15, :30, :45), got {raw:?}"),
                        );
                    }
                    _ => {}
                }
            }
            if let (Some(s), Some(e)) = (s, e)
                && e <= s
            {
                p.push(
                    format!("pools[{i}].hours.end"),
                    format!("must be after start ({} >= {}); overnight hours (past midnight) are not supported yet: use 24x7 (omit `hours`) or end at 24:00", h.start, h.end),
                );
            }
        }
    }
}

/// Proficiency, quality, ramp and hand-over keys of one pool.
fn validate_pool_keys(pool: &RawPool, base: &str, p: &mut Problems) {
    if let Some(h) = pool.handover_min.filter(|h| !(h.is_finite() && *h >= 0.0)) {
        p.push(
            format!("{base}.handover_min"),
            format!("must be minutes >= 0, got {}", Num(h)),
        );
    }
    let f = pool.work_time_factor;
    if !(f.is_finite() && f > 0.0) {
        p.push(
            format!("{base}.work_time_factor"),
            format!(
                "must be a number > 0 (1 = the file's work times), got {}",
                Num(f)
            ),
        );
    }
    let r = pool.resolve_factor;
    if !(0.0..=1.0).contains(&r) {
        p.push(
            format!("{base}.resolve_factor"),
            format!(
                "must be a fraction in [0, 1] of the tickets the tier could resolve, got {}",
                Num(r)
            ),
        );
    }
    if let Some(ramp) = &pool.ramp {
        if !(ramp.start_factor.is_finite() && ramp.start_factor >= 1.0) {
            p.push(
                format!("{base}.ramp.start_factor"),
                format!(
                    "must be >= 1 (1.5 = new hires take 50% longer), got {}",
                    Num(ramp.start_factor)
                ),
            );
        }
        if !(ramp.weeks.is_finite() && ramp.weeks > 0.0) {
            p.push(
                format!("{base}.ramp.weeks"),
                format!("must be a number of weeks > 0, got {}", Num(ramp.weeks)),
            );
        }
    }
}

/// `chat_concurrency` and `max_occupancy` of each pool.
pub(super) fn validate_pool_work(pools: &[RawPool], p: &mut Problems) {
    for (i, pool) in pools.iter().enumerate() {
        if !(1..=8).contains(&pool.chat_concurrency) {
            p.push(
                format!("pools[{i}].chat_concurrency"),
                format!("must be an integer in 1..=8, got {}", pool.chat_concurrency),
            );
        }
        let c = pool.max_occupancy;
        if !(c > 0.0 && c <= 1.0) {
            p.push(
                format!("pools[{i}].max_occupancy"),
                format!("must be a fraction in (0, 1] (1 = no cap), got {}", Num(c)),
            );
        }
    }
}

/// The file's pools with their scheduled (paid) agents and, after shrinkage, the agents
/// available: `(scheduled schedule per file pool, pools)`.
pub(super) fn build_pools(
    raw: &RawScenario,
    slots: &[LocalSlot],
    run: &RunSettings,
    p: &mut Problems,
) -> (Vec<Vec<(f64, u32)>>, Vec<Pool>) {
    let scheduled: Vec<Vec<(f64, u32)>> = raw
        .pools
        .iter()
        .enumerate()
        .map(|(i, rp)| {
            build_schedule(rp, slots, run, &raw.demand.timezone).unwrap_or_else(|e| {
                p.push(format!("pools[{i}].shifts"), e.to_string());
                vec![(0.0, 0)]
            })
        })
        .collect();
    let pools: Vec<Pool> = raw
        .pools
        .iter()
        .zip(&scheduled)
        .map(|(rp, sched)| Pool {
            name: rp.name.clone(),
            headcount: if rp.shifts.is_empty() {
                rp.headcount
            } else {
                sched.iter().map(|x| x.1).max().unwrap_or(0)
            },
            members: vec![rp.name.clone()],
            schedule: apply_shrinkage(sched, rp.shrinkage, run.span_min()),
            chat_concurrency: rp.chat_concurrency as u8,
            max_occupancy: rp.max_occupancy,
            handover_min: rp.handover_min,
            shift_ends: sched
                .windows(2)
                .filter(|w| w[1].1 < w[0].1)
                .map(|w| (w[1].0, w[0].1 - w[1].1))
                .collect(),
        })
        .collect();
    (scheduled, pools)
}

/// Scheduled agents `(time, agents)` of a pool: its shifts (in their own zones) or its
/// headcount and hours, before shrinkage.
fn build_schedule(
    rp: &RawPool,
    slots: &[LocalSlot],
    run: &RunSettings,
    demand_tz: &str,
) -> Result<Vec<(f64, u32)>, ScheduleError> {
    let scheduled = if rp.shifts.is_empty() {
        hours_schedule(rp, slots)
    } else {
        let mut edges: Vec<(f64, i64)> = Vec::new();
        for sh in &rp.shifts {
            let tz = jiff::tz::TimeZone::get(sh.timezone.as_deref().unwrap_or(demand_tz))
                .map_err(calendar::CalendarError::from)?;
            let mut days = [false; 7];
            for d in &sh.days {
                days[d.index()] = true;
            }
            let hours = calendar::Hours {
                tz: &tz,
                days,
                start_min: parse_hhmm(&sh.start).unwrap_or(0),
                end_min: parse_hhmm(&sh.end).unwrap_or(0),
                holidays: &[],
            };
            for (a, b) in
                calendar::weekly_intervals(run.start_date, &run.timezone, &hours, run.span_min())?
            {
                edges.push((a, sh.headcount as i64));
                edges.push((b, -(sh.headcount as i64)));
            }
        }
        edges.sort_by(|x, y| x.0.total_cmp(&y.0));
        let mut out: Vec<(f64, u32)> = vec![(0.0, 0)];
        let mut n: i64 = 0;
        let mut k = 0;
        while k < edges.len() {
            let t = edges[k].0;
            while k < edges.len() && edges[k].0 == t {
                n += edges[k].1;
                k += 1;
            }
            // Each shift is at most MAX_AGENTS and there are at most MAX_SHIFTS of them, so
            // the i64 sum cannot overflow; its total on duty at once must fit a pool.
            let v = u32::try_from(n.max(0))
                .ok()
                .filter(|v| *v <= MAX_AGENTS)
                .ok_or(ScheduleError::TooMany {
                    agents: n,
                    at_min: t,
                })?;
            match out.last_mut() {
                Some(last) if last.0 == t => last.1 = v,
                _ => out.push((t, v)),
            }
        }
        out.dedup_by(|b, a| a.1 == b.1);
        out
    };
    Ok(scheduled)
}

/// Available agents after shrinkage, slot by slot on the 15-minute grid: scheduled x
/// (1 - shrinkage), rounded down with the remainder carried to the next slot (as staggered
/// breaks and absences are), restarting at each gap in the schedule. Over any stretch the
/// average is within one agent-slot of scheduled x (1 - shrinkage).
fn apply_shrinkage(s: &[(f64, u32)], shrinkage: f64, span_min: f64) -> Vec<(f64, u32)> {
    if shrinkage <= 0.0 {
        return s.to_vec();
    }
    let n_slots = (span_min / SLOT_MIN).ceil() as usize;
    let mut out: Vec<(f64, u32)> = Vec::new();
    let mut carry = 0.0;
    for j in 0..n_slots {
        let t = j as f64 * SLOT_MIN;
        let i = s.partition_point(|(x, _)| *x <= t);
        let n = if i == 0 { 0 } else { s[i - 1].1 };
        let avail = if n == 0 {
            carry = 0.0;
            0
        } else {
            let want = carry + n as f64 * (1.0 - shrinkage);
            let a = (want + 1e-9).floor();
            carry = want - a;
            a as u32
        };
        if out.last().is_none_or(|(_, m)| *m != avail) {
            out.push((t, avail));
        }
    }
    out
}

/// Scheduled agents of a pool without shifts: its headcount during its working hours (or
/// always, without `hours`).
fn hours_schedule(rp: &RawPool, slots: &[LocalSlot]) -> Vec<(f64, u32)> {
    let Some(h) = &rp.hours else {
        return vec![(0.0, rp.headcount)];
    };
    let days: Vec<usize> = h
        .days
        .iter()
        .filter_map(|d| Day::from_name(d).map(Day::index))
        .collect();
    let (s, e) = (
        parse_hhmm(&h.start).unwrap_or(0),
        parse_hhmm(&h.end).unwrap_or(0),
    );
    let mut out: Vec<(f64, u32)> = Vec::new();
    for (j, slot) in slots.iter().enumerate() {
        let on = days.contains(&(slot.weekday as usize))
            && slot.minute_of_day >= s
            && slot.minute_of_day < e;
        let n = if on { rp.headcount } else { 0 };
        if out.last().is_none_or(|(_, m)| *m != n) {
            out.push((j as f64 * SLOT_MIN, n));
        }
    }
    out
}
