//! `[[sla]]` and `[[calendars]]`: targets per priority x segment, their limits, goals and
//! clocks, and the business-hours clocks the calendars define.

use super::*;
use crate::scenario::error::Num;

/// One limit (`target_min` or `target_hours`), its goal, clock and penalty.
fn validate_target(
    p: &mut Problems,
    path: &str,
    t: &RawTarget,
    calendars: &[String],
) -> Option<Target> {
    let limit = match (t.target_min, t.target_hours) {
        (Some(m), None) => p.positive(&format!("{path}.target_min"), m),
        (None, Some(h)) => p
            .positive(&format!("{path}.target_hours"), h)
            .map(|h| h * 60.0),
        (Some(_), Some(_)) => {
            p.push(path, "give either target_min or target_hours, not both");
            None
        }
        (None, None) => {
            p.push(path, "missing time limit: add target_min or target_hours");
            None
        }
    };
    let goal = p.probability(&format!("{path}.goal"), t.goal);
    if goal == Some(0.0) {
        p.push(format!("{path}.goal"), "must be > 0");
    }
    let clock = match &t.clock {
        Clock::Wall => None,
        Clock::Calendar(name) => match calendars.iter().position(|c| c == name) {
            Some(i) => Some(i as u16),
            None => {
                p.push(
                    format!("{path}.clock"),
                    if calendars.is_empty() {
                        format!(
                            "unknown clock {name:?}; use \"24x7\" or define a [[calendars]] entry with that name"
                        )
                    } else {
                        format!(
                            "unknown clock {name:?}; use \"24x7\" or a calendar: {}",
                            calendars.join(", ")
                        )
                    },
                );
                return None;
            }
        },
    };
    let penalty = t.penalty_usd_per_breach.unwrap_or(0.0);
    if !(penalty.is_finite() && penalty >= 0.0) {
        p.push(
            format!("{path}.penalty_usd_per_breach"),
            format!("must be a finite number >= 0, got {}", Num(penalty)),
        );
    }
    Some(Target {
        limit_min: limit?,
        goal: goal.filter(|g| *g > 0.0)?,
        clock,
        pause_on_customer: t.pause_on_customer,
        penalty_usd: penalty,
    })
}

/// Business-hours clocks from `[[calendars]]` (empty when the run settings are invalid:
/// their problems are reported already).
pub(super) fn validate_calendars(
    cals: &[RawCalendar],
    run: Option<&RunSettings>,
    p: &mut Problems,
) -> Vec<calendar::BusinessClock> {
    let mut out = Vec::new();
    for (i, c) in cals.iter().enumerate() {
        let base = format!("calendars[{i}]");
        let before = p.0.len();
        if cals[..i].iter().any(|o| o.name == c.name) {
            p.push(
                format!("{base}.name"),
                format!("duplicate calendar name {:?}", c.name),
            );
        }
        if c.name == Clock::WALL {
            p.push(
                format!("{base}.name"),
                "\"24x7\" is the wall clock's name: choose another",
            );
        }
        let tz = match jiff::tz::TimeZone::get(&c.timezone) {
            Ok(tz) => Some(tz),
            Err(_) => {
                p.push(
                    format!("{base}.timezone"),
                    format!(
                        "unknown IANA time zone {:?} (e.g. \"Europe/Berlin\", \"America/New_York\")",
                        c.timezone
                    ),
                );
                None
            }
        };
        let mut days = [false; 7];
        for d in &c.days {
            days[d.index()] = true;
        }
        let (start, end) = (parse_hhmm(&c.start), parse_hhmm(&c.end));
        for (key, v, raw) in [("start", start, &c.start), ("end", end, &c.end)] {
            if v.is_none() {
                p.push(
                    format!("{base}.{key}"),
                    format!("must be a local time HH:MM, got {raw:?}"),
                );
            }
        }
        if let (Some(a), Some(b)) = (start, end)
            && b <= a
        {
            p.push(
                format!("{base}.end"),
                format!("must be after start ({} >= {})", c.start, c.end),
            );
        }
        let mut holidays = Vec::new();
        for (j, h) in c.holidays.iter().enumerate() {
            match h.parse::<jiff::civil::Date>() {
                Ok(d) => holidays.push(d),
                Err(_) => p.push(
                    format!("{base}.holidays[{j}]"),
                    format!("must be a date YYYY-MM-DD, got {h:?}"),
                ),
            }
        }
        if p.0.len() > before {
            continue;
        }
        let (Some(run), Some(tz), Some(start_min), Some(end_min)) = (run, tz, start, end) else {
            continue;
        };
        let hours = calendar::Hours {
            tz: &tz,
            days,
            start_min,
            end_min,
            holidays: &holidays,
        };
        match calendar::BusinessClock::new(
            &c.name,
            run.start_date,
            &run.timezone,
            &hours,
            run.span_min(),
        ) {
            Ok(clock) => out.push(clock),
            Err(e) => p.push(base, format!("cannot build the calendar: {e}")),
        }
    }
    out
}

/// `[[sla]]` entries and the priority x segment lookup tables (at most one target of each
/// kind per cell).
pub(super) fn validate_sla(
    entries: &[RawSla],
    priorities: &[String],
    segments: &[String],
    calendars: &[String],
    p: &mut Problems,
) -> Sla {
    let ns = segments.len();
    let mut sla = Sla {
        targets: Vec::new(),
        first_response_of: vec![None; priorities.len() * ns],
        resolution_of: vec![None; priorities.len() * ns],
        cells: Vec::new(),
        clocks: Vec::new(),
    };
    for (i, e) in entries.iter().enumerate() {
        let base = format!("sla[{i}]");
        let prio = match &e.priority {
            None => Some(None),
            Some(s) => match crate::scenario::priorities::resolve(priorities, s) {
                Ok(k) => Some(Some(k)),
                Err(e) => {
                    p.push(format!("{base}.priority"), e);
                    None
                }
            },
        };
        let seg = match &e.segment {
            None => Some(None),
            Some(s) => match segments.iter().position(|x| x == s) {
                Some(k) => Some(Some(k)),
                None => {
                    p.push(
                        format!("{base}.segment"),
                        format!("unknown segment {s:?}; demand.segments defines {segments:?}"),
                    );
                    None
                }
            },
        };
        if e.first_response.is_none() && e.resolution.is_none() {
            p.push(
                &base,
                "has neither first_response nor resolution: add at least one target",
            );
        }
        let fr = e
            .first_response
            .as_ref()
            .map(|t| validate_target(p, &format!("{base}.first_response"), t, calendars));
        let rs = e
            .resolution
            .as_ref()
            .map(|t| validate_target(p, &format!("{base}.resolution"), t, calendars));
        let (Some(prio), Some(seg)) = (prio, seg) else {
            continue;
        };
        let idx = sla.targets.len() as u16;
        for (kind, present, table) in [
            ("first_response", fr.is_some(), &mut sla.first_response_of),
            ("resolution", rs.is_some(), &mut sla.resolution_of),
        ] {
            if !present {
                continue;
            }
            for (pr, pr_name) in priorities.iter().enumerate() {
                for (sg, sg_name) in segments.iter().enumerate() {
                    if prio.is_some_and(|x| x != pr) || seg.is_some_and(|x| x != sg) {
                        continue;
                    }
                    let cell = pr * ns + sg;
                    if let Some(prev) = table[cell] {
                        p.push(
                            format!("{base}.{kind}"),
                            format!(
                                "{pr_name} x {sg_name} already has a {kind} target in sla[{prev}]; give each priority x segment at most one"
                            ),
                        );
                    } else {
                        table[cell] = Some(idx);
                    }
                }
            }
        }
        let label = format!(
            "{}/{}",
            e.priority.as_deref().unwrap_or("*"),
            e.segment.as_deref().unwrap_or("*")
        );
        sla.targets.push(SlaTarget {
            label,
            first_response: fr.flatten(),
            resolution: rs.flatten(),
        });
    }
    // Indices in the lookup tables refer to `targets` positions, which equal file positions
    // only when no entry was skipped; problems above stop the run in that case.
    let targets = &sla.targets;
    let pick = |k: Option<u16>, of: fn(&SlaTarget) -> Option<Target>| {
        k.and_then(|k| of(&targets[k as usize]).map(|t| (k as usize, t)))
    };
    sla.cells = sla
        .first_response_of
        .iter()
        .zip(&sla.resolution_of)
        .map(|(&fr, &res)| CellTargets {
            first_response: pick(fr, |t| t.first_response),
            resolution: pick(res, |t| t.resolution),
        })
        .collect();
    sla
}

/// Extends the business-hours clocks back `lookback_min` before t = 0 (`[initial_state]
/// age_on_business_clocks`): each calendar's weekly hours, holidays and time zone before the
/// start date, so backlog tickets count the open minutes of their age.
pub(in crate::scenario) fn extend_calendars_back(
    clocks: &mut [calendar::BusinessClock],
    lookback_min: f64,
    p: &mut Problems,
) {
    for clock in clocks.iter_mut() {
        if let Err(e) = clock.extend_back(lookback_min) {
            p.push(
                "initial_state.age_on_business_clocks",
                format!(
                    "cannot build calendar {:?} back {} days before the start date: {e}; lower the oldest age_min or set it false",
                    clock.name,
                    Num(lookback_min / 1440.0)
                ),
            );
        }
    }
}
