//! `[initial_state]`: the open tickets a run starts with (`docs/history.md`).
//!
//! An open ticket starts *waiting* in the queue of its stage at t = 0, or with `in_service`
//! in service on an agent of its stage's pool, the rest of its work drawn from the residual
//! distribution (`Dist::sample_residual`). Its arrival is `-age_min`, so every SLA clock on
//! the 24x7 clock has run for its age; business-hours clocks start at t = 0 unless
//! `age_on_business_clocks` extends them back over the oldest age. Backlog tickets never
//! abandon and send no chasers; their work and routing come from their own stream
//! (`Purpose::Backlog`), so the new arrivals keep their numbers.
//!
//! File columns (one row per ticket; extra columns are ignored): `stage` (`L1`..`L3`),
//! `priority`, `age_min` (required); `channel` (default the first asynchronous channel, `email` by default), `segment` (default the
//! first), `category`, `required_level` (default the stage's level), `responded`,
//! `in_service` (`true`/`false`, default false), `in_service_min` (default unknown).

use super::Scenario;
use super::error::{Num, Problems};
use super::limits::{MAX_BACKLOG_TICKETS, MAX_BUSINESS_CLOCK_AGE_MIN, MAX_DURATION_MIN};
use super::raw::RawInitialState;
use super::trace::{CsvFile, attr, attr_of, category_names, level_served, pick};
use std::path::Path;

/// One open ticket at t = 0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OpenTicket {
    /// Tier index (0 = L1) of the stage it waits at.
    pub tier: u8,
    /// Priority index.
    pub priority: u8,
    /// Channel index.
    pub channel: u8,
    /// Segment index.
    pub segment: u8,
    /// Category index.
    pub category: u8,
    /// Required level (>= the stage's level).
    pub level: u8,
    /// Age at t = 0 [minutes].
    pub age_min: f64,
    /// First response already given (always, in service).
    pub responded: bool,
    /// Waiting or in service at t = 0.
    pub start: Start,
}

/// Where an open ticket is at t = 0.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Start {
    /// In the queue of its stage.
    #[default]
    Waiting,
    /// In service on an agent of its stage's pool (its first response was the start of that
    /// step, before t = 0).
    InService {
        /// Minutes it has been worked already; `None`: unknown (the equilibrium residual).
        worked_min: Option<f64>,
    },
}

/// The validated backlog: oldest first (the order they join their queues).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Backlog {
    /// The tickets.
    pub tickets: Vec<OpenTicket>,
}

fn tier_of(s: &Scenario, v: &str) -> Result<u8, String> {
    let names: Vec<String> = (1..=s.tiers.len()).map(|l| format!("L{l}")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    pick(&refs, v, "stage")
}

fn level_for(s: &Scenario, tier: u8, v: Option<&str>) -> Result<u8, String> {
    let Some(v) = v else { return Ok(tier + 1) };
    let l = level_served(s, v, false)?;
    if l <= tier {
        return Err(format!(
            "required level {l} is below the stage L{}; a ticket waits at a stage at or below its level",
            tier + 1
        ));
    }
    Ok(l)
}

/// Checks `[initial_state]` of scenario `s` (file `origin`) and reads its file.
pub(crate) fn load(
    s: &Scenario,
    origin: &Path,
    raw: &RawInitialState,
    p: &mut Problems,
) -> Option<Backlog> {
    if s.run.warmup_min > 0.0 {
        p.push(
            "run.warmup_days",
            "must be 0 with [initial_state]: the backlog is the starting state; set warmup_days = 0",
        );
    }
    let segs: Vec<&str> = s.demand.segment_names.iter().map(String::as_str).collect();
    let cats = category_names(s);
    let mut out = Vec::new();
    let mut total: u64 = 0;
    for (i, g) in raw.open.iter().enumerate() {
        let key = format!("initial_state.open[{i}]");
        let before = p.0.len();
        let mut r = |k: &str, v: Result<u8, String>| match v {
            Ok(x) => x,
            Err(m) => {
                p.push(format!("{key}.{k}"), m);
                0
            }
        };
        let tier = r("stage", tier_of(s, &g.stage));
        let priority = r(
            "priority",
            super::priorities::pick(&s.demand.priority_names, &g.priority),
        );
        let channel = r(
            "channel",
            match g.channel.as_deref() {
                Some(v) => s.channels.pick(v),
                None => Ok(s.channels.message() as u8),
            },
        );
        let segment = r(
            "segment",
            g.segment
                .as_deref()
                .map_or(Ok(0), |v| pick(&segs, v, "segment")),
        );
        let category = r(
            "category",
            g.category
                .as_deref()
                .map_or(Ok(0), |v| pick(&cats, v, "category")),
        );
        let lv = g.required_level.map(|l| l.to_string());
        let level = r("required_level", level_for(s, tier, lv.as_deref()));
        let max = g.age_max_min.unwrap_or(g.age_min);
        // Only the keys the file sets are checked (an unset age_max_min is age_min).
        let ages = std::iter::once(("age_min", g.age_min))
            .chain(g.age_max_min.map(|m| ("age_max_min", m)));
        for (k, v) in ages {
            if let Err(m) = age_ok(raw, v) {
                p.push(format!("{key}.{k}"), m);
            }
        }
        let start = match in_service_of(s, tier, channel, g.in_service, g.in_service_min, g.age_min)
        {
            Ok(st) => st,
            Err((k, m)) => {
                p.push(format!("{key}.{k}"), m);
                Start::Waiting
            }
        };
        if max < g.age_min {
            p.push(
                format!("{key}.age_max_min"),
                format!(
                    "must be >= age_min ({}), got {}; swap them",
                    Num(g.age_min),
                    Num(max)
                ),
            );
        }
        total += u64::from(g.count);
        if total > MAX_BACKLOG_TICKETS {
            p.push(
                format!("{key}.count"),
                format!("the backlog exceeds {MAX_BACKLOG_TICKETS} tickets; lower the counts"),
            );
            return None;
        }
        if p.0.len() > before {
            continue;
        }
        for j in 0..g.count {
            let age_min = if g.count > 1 {
                g.age_min + (max - g.age_min) * f64::from(j) / f64::from(g.count - 1)
            } else {
                g.age_min
            };
            out.push(OpenTicket {
                tier,
                priority,
                channel,
                segment,
                category,
                level,
                age_min,
                responded: g.responded || start != Start::Waiting,
                start,
            });
        }
    }
    if raw.file.is_some() {
        read_file(s, origin, raw, &segs, &cats, &mut out, p);
    }
    if out.len() as u64 > MAX_BACKLOG_TICKETS {
        p.push(
            "initial_state",
            format!("the backlog exceeds {MAX_BACKLOG_TICKETS} tickets; lower the counts"),
        );
        return None;
    }
    // A replication stops as overloaded once it holds run.max_open_tickets, so a backlog at
    // the cap would stop every replication at its first arrival and call it overload.
    let cap = u64::from(s.run.max_open_tickets);
    if out.len() as u64 >= cap {
        p.push(
            "initial_state",
            format!(
                "the backlog holds {} open tickets, at or above run.max_open_tickets ({cap}), where a replication stops as overloaded; raise run.max_open_tickets well above the backlog (e.g. {}) or lower the counts",
                out.len(),
                2 * out.len()
            ),
        );
    }
    check_agents_on_duty(s, &out, p);
    // Oldest first: the order they joined their queues.
    out.sort_by(|a, b| b.age_min.total_cmp(&a.age_min));
    Some(Backlog { tickets: out })
}

/// An age is minutes >= 0, at most [`MAX_BUSINESS_CLOCK_AGE_MIN`] when it counts on
/// business-hours clocks (each calendar is built back over it).
fn age_ok(raw: &RawInitialState, v: f64) -> Result<(), String> {
    if !(v.is_finite() && (0.0..=MAX_DURATION_MIN).contains(&v)) {
        return Err(format!(
            "must be minutes from 0 to {} (about 190 years), got {}",
            Num(MAX_DURATION_MIN),
            Num(v)
        ));
    }
    if raw.age_on_business_clocks && v > MAX_BUSINESS_CLOCK_AGE_MIN {
        return Err(format!(
            "must be at most {} minutes (10 years) with initial_state.age_on_business_clocks = true (every calendar is built back over the oldest age), got {}; correct the age or set age_on_business_clocks = false",
            Num(MAX_BUSINESS_CLOCK_AGE_MIN),
            Num(v)
        ));
    }
    Ok(())
}

/// A ticket's `in_service` and `in_service_min`: where it starts, or the key at fault and
/// the fix. Worked minutes must be below the age, and (when the stage's work time has a
/// largest value) below that, or no work would be left.
fn in_service_of(
    s: &Scenario,
    tier: u8,
    channel: u8,
    on: bool,
    worked: Option<f64>,
    age_min: f64,
) -> Result<Start, (&'static str, String)> {
    let Some(a) = worked else {
        return Ok(if on {
            Start::InService { worked_min: None }
        } else {
            Start::Waiting
        });
    };
    let bad = |m: String| Err(("in_service_min", m));
    if !on {
        return bad("is only for a ticket in service: set in_service = true or drop it".into());
    }
    if !(a.is_finite() && a >= 0.0) {
        return bad(format!("must be minutes >= 0, got {}", Num(a)));
    }
    if a > age_min {
        return bad(format!(
            "must be at most the age ({} minutes): a ticket cannot have been worked longer than it has been open, got {}",
            Num(age_min),
            Num(a)
        ));
    }
    let Some(t) = s.tiers.get(tier as usize) else {
        return Ok(Start::InService {
            worked_min: Some(a),
        });
    };
    let d = &t.work[channel as usize];
    let f = t.factor_at(0.0);
    let ch = s.channels.name(channel as usize);
    if a >= d.max_value() * f {
        return bad(format!(
            "{} minutes worked leaves no work: the stage's {ch} work time is at most {} minutes; give less, or drop in_service_min for the equilibrium residual",
            Num(a),
            Num(d.max_value() * f)
        ));
    }
    if d.survival(a / f) <= 0.0 {
        return bad(format!(
            "{} minutes worked leaves no work: the stage's {ch} work time exceeds it with probability 0 (to double precision); give less, or drop in_service_min for the equilibrium residual",
            Num(a)
        ));
    }
    Ok(Start::InService {
        worked_min: Some(a),
    })
}

/// Every in-service ticket needs an agent of its stage's pool on duty at t = 0 (a chat
/// under chat concurrency k a k-th of one): refuse up front rather than start work nobody
/// is there to do.
fn check_agents_on_duty(s: &Scenario, out: &[OpenTicket], p: &mut Problems) {
    let mut whole = vec![0u64; s.pools.len()];
    let mut chats = vec![0u64; s.pools.len()];
    for o in out.iter().filter(|o| o.start != Start::Waiting) {
        let Some(t) = s.tiers.get(o.tier as usize) else {
            continue;
        };
        if s.channels.is_chat(o.channel as usize) && s.pools[t.pool].chat_concurrency > 1 {
            chats[t.pool] += 1;
        } else {
            whole[t.pool] += 1;
        }
    }
    for (i, pool) in s.pools.iter().enumerate() {
        let k = u64::from(pool.chat_concurrency.max(1));
        let need = whole[i] + chats[i].div_ceil(k);
        let on_duty = pool.staffed_at(0.0);
        if need > u64::from(on_duty) {
            let chat_note = if chats[i] > 0 {
                format!(" ({} chats at {k} per agent)", chats[i])
            } else {
                String::new()
            };
            p.push(
                "initial_state",
                format!(
                    "{} tickets are in service at t = 0 in pool {:?}{chat_note}, needing {need} agents, but it has {on_duty} on duty at t = 0; give fewer tickets in_service = true (the rest wait), or staff the pool at the start",
                    whole[i] + chats[i],
                    pool.name
                ),
            );
        }
    }
}

fn read_file(
    s: &Scenario,
    origin: &Path,
    raw: &RawInitialState,
    segs: &[&str],
    cats: &[&str],
    out: &mut Vec<OpenTicket>,
    p: &mut Problems,
) {
    let rel = raw.file.as_deref().unwrap_or_default();
    let Some(mut f) = CsvFile::open(origin, rel, "initial_state.file", p) else {
        return;
    };
    let (stage, priority, age) = (
        f.column(&["stage"]),
        f.column(&["priority"]),
        f.column(&["age_min"]),
    );
    let (Some(stage), Some(priority), Some(age)) = (stage, priority, age) else {
        f.whole(
            p,
            format!(
                "needs columns stage, priority and age_min; the header has {}",
                f.header_text()
            ),
        );
        return;
    };
    let channel = f.column(&["channel"]);
    let channel_names: Vec<&str> = s.channels.names().iter().map(String::as_str).collect();
    let segment = f.column(&["segment"]);
    let category = f.column(&["category"]);
    let level = f.column(&["required_level"]);
    let responded = f.column(&["responded"]);
    let in_service = f.column(&["in_service"]);
    let in_service_min = f.column(&["in_service_min"]);
    let mut record = csv::StringRecord::new();
    let mut row = 0usize;
    loop {
        match f.read(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                f.bad(p, row + 1, "*", format!("unreadable row: {e}; fix the CSV"));
                break;
            }
        }
        row += 1;
        if out.len() as u64 >= MAX_BACKLOG_TICKETS {
            f.whole(p, format!("more than {MAX_BACKLOG_TICKETS} open tickets"));
            break;
        }
        let get = |i: usize| record.get(i).unwrap_or("");
        let opt = |i: Option<usize>| i.map(get).filter(|v| !v.is_empty());
        let before = f.errors;
        let tier = match tier_of(s, get(stage)) {
            Ok(t) => t,
            Err(m) => {
                f.bad(p, row, "stage", m);
                0
            }
        };
        let pr = attr_of(
            &mut f,
            p,
            row,
            priority,
            super::priorities::pick(&s.demand.priority_names, get(priority)),
        );
        let ch = match opt(channel) {
            Some(v) => attr(
                &mut f,
                p,
                row,
                v,
                channel.expect("present"),
                &channel_names,
                "channel",
            ),
            None => s.channels.message() as u8,
        };
        let sg = match opt(segment) {
            Some(v) => attr(
                &mut f,
                p,
                row,
                v,
                segment.expect("present"),
                segs,
                "segment",
            ),
            None => 0,
        };
        let ct = match opt(category) {
            Some(v) => attr(
                &mut f,
                p,
                row,
                v,
                category.expect("present"),
                cats,
                "category",
            ),
            None => 0,
        };
        let lv = match level_for(s, tier, opt(level)) {
            Ok(l) => l,
            Err(m) => {
                f.bad(p, row, "required_level", m);
                0
            }
        };
        let age_min = match f.number(get(age)) {
            Ok(a) => match age_ok(raw, a) {
                Ok(()) => a,
                Err(m) => {
                    f.bad(p, row, "age_min", m);
                    0.0
                }
            },
            Err(_) => {
                f.bad(
                    p,
                    row,
                    "age_min",
                    format!("{:?} is not an age in minutes (>= 0)", get(age)),
                );
                0.0
            }
        };
        let mut flag =
            |col: Option<usize>, name: &str| match opt(col).map(|v| v.to_ascii_lowercase()) {
                None => false,
                Some(v) if v == "true" || v == "1" || v == "yes" => true,
                Some(v) if v == "false" || v == "0" || v == "no" => false,
                Some(v) => {
                    f.bad(p, row, name, format!("{v:?} is not true or false"));
                    false
                }
            };
        let resp = flag(responded, "responded");
        let serving = flag(in_service, "in_service");
        let worked = match opt(in_service_min).map(|v| f.number(v)) {
            None => None,
            Some(Ok(a)) => Some(a),
            Some(Err(_)) => {
                let v = opt(in_service_min).unwrap_or("");
                f.bad(
                    p,
                    row,
                    "in_service_min",
                    format!("{v:?} is not a number of minutes"),
                );
                None
            }
        };
        let start = match in_service_of(s, tier, ch, serving, worked, age_min) {
            Ok(st) => st,
            Err((k, m)) => {
                f.bad(p, row, k, m);
                Start::Waiting
            }
        };
        if f.errors > before {
            continue;
        }
        out.push(OpenTicket {
            tier,
            priority: pr,
            channel: ch,
            segment: sg,
            category: ct,
            level: lv,
            age_min,
            responded: resp || start != Start::Waiting,
            start,
        });
    }
    f.finish(p);
}
