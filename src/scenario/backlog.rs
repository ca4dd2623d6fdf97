//! `[initial_state]`: the open tickets a run starts with (`docs/history.md`).
//!
//! Every open ticket starts *waiting* in the queue of its stage at t = 0 (a ticket that was
//! in service at the cut-off is given as waiting with `responded = true`: in-service work
//! is not modelled). Its arrival is `-age_min`, so every SLA clock on the 24x7 clock has run
//! for its age (business-hours clocks start at t = 0). Backlog tickets never abandon and
//! send no chasers; their work and routing come from their own stream
//! (`Purpose::Backlog`), so the new arrivals keep their numbers.
//!
//! File columns (one row per ticket; extra columns are ignored): `stage` (`L1`..`L3`),
//! `priority`, `age_min` (required); `channel` (default `email`), `segment` (default the
//! first), `category`, `required_level` (default the stage's level), `responded`
//! (`true`/`false`, default false).

use super::Scenario;
use super::error::{Num, Problems};
use super::limits::MAX_BACKLOG_TICKETS;
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
    /// First response already given.
    pub responded: bool,
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
            pick(
                &super::CHANNELS,
                g.channel.as_deref().unwrap_or("email"),
                "channel",
            ),
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
        for (k, v) in [("age_min", g.age_min), ("age_max_min", max)] {
            if !(v.is_finite() && (0.0..=super::limits::MAX_DURATION_MIN).contains(&v)) {
                p.push(
                    format!("{key}.{k}"),
                    format!("must be minutes >= 0, got {}", Num(v)),
                );
            }
        }
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
                responded: g.responded,
            });
        }
    }
    if let Some(rel) = &raw.file {
        read_file(s, origin, rel, &segs, &cats, &mut out, p);
    }
    if out.len() as u64 > MAX_BACKLOG_TICKETS {
        p.push(
            "initial_state",
            format!("the backlog exceeds {MAX_BACKLOG_TICKETS} tickets; lower the counts"),
        );
        return None;
    }
    // Oldest first: the order they joined their queues.
    out.sort_by(|a, b| b.age_min.total_cmp(&a.age_min));
    Some(Backlog { tickets: out })
}

fn read_file(
    s: &Scenario,
    origin: &Path,
    rel: &str,
    segs: &[&str],
    cats: &[&str],
    out: &mut Vec<OpenTicket>,
    p: &mut Problems,
) {
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
                f.header.join(", ")
            ),
        );
        return;
    };
    let channel = f.column(&["channel"]);
    let segment = f.column(&["segment"]);
    let category = f.column(&["category"]);
    let level = f.column(&["required_level"]);
    let responded = f.column(&["responded"]);
    let mut record = csv::StringRecord::new();
    let mut row = 0usize;
    loop {
        match f.reader.read_record(&mut record) {
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
                &super::CHANNELS,
                "channel",
            ),
            None => 0,
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
        let age_min = match get(age).parse::<f64>() {
            Ok(a) if a.is_finite() && (0.0..=super::limits::MAX_DURATION_MIN).contains(&a) => a,
            _ => {
                f.bad(
                    p,
                    row,
                    "age_min",
                    format!("{:?} is not an age in minutes (>= 0)", get(age)),
                );
                0.0
            }
        };
        let resp = match opt(responded).map(|v| v.to_ascii_lowercase()) {
            None => false,
            Some(v) if v == "true" || v == "1" || v == "yes" => true,
            Some(v) if v == "false" || v == "0" || v == "no" => false,
            Some(v) => {
                f.bad(p, row, "responded", format!("{v:?} is not true or false"));
                false
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
            responded: resp,
        });
    }
    f.finish(p);
}
