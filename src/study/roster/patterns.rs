//! Shift patterns from `[roster]` (or the defaults) and the share of each requirement
//! interval a pattern covers.

use super::RosterError;
use crate::scenario::Scenario;
use crate::scenario::calendar::{self, Hours};
use crate::scenario::limits::MAX_SHIFTS;
use crate::scenario::raw::{Day, RawRosterPool};
use crate::study::requirements::Requirements;

/// Default paid shift lengths [hours]: full time and a part-time half shift.
pub const DEFAULT_LENGTHS_HOURS: [f64; 2] = [8.0, 4.0];

/// Default grid of start times [minutes].
pub const DEFAULT_START_STEP_MIN: u32 = 60;

/// One shift pattern: a pool's agents starting at `start_min` local time on `days`, for
/// `length_min` paid minutes.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    /// Index into the file's pools (`raw.pools`).
    pub pool: usize,
    /// Days the shift starts on.
    pub days: Vec<Day>,
    /// Local start [minute of the day].
    pub start_min: u16,
    /// Paid length [minutes].
    pub length_min: u16,
    /// IANA time zone of start and days.
    pub timezone: String,
    /// Cost of one agent on this pattern for a week (paid hours x hourly price).
    pub cost_per_week: f64,
    /// Paid hours per week of one agent.
    pub hours_per_week: f64,
    /// Per requirement interval, the share of it this pattern covers (0..=1).
    pub coverage: Vec<f64>,
}

/// `HH:MM` of a minute of the day.
pub fn hhmm(min: u32) -> String {
    format!("{:02}:{:02}", (min / 60) % 24, min % 60)
}

/// `mon-fri`, `sat-sun` or `mon_wed_fri`: a days-on pattern as text (a valid name part).
pub fn days_label(days: &[Day]) -> String {
    let mut idx: Vec<usize> = days.iter().map(|d| d.index()).collect();
    idx.sort_unstable();
    idx.dedup();
    const NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let consecutive = idx.windows(2).all(|w| w[1] == w[0] + 1);
    if idx.len() > 2 && consecutive {
        format!("{}-{}", NAMES[idx[0]], NAMES[idx[idx.len() - 1]])
    } else {
        idx.iter().map(|&i| NAMES[i]).collect::<Vec<_>>().join("_")
    }
}

impl Pattern {
    /// Local end [minute of the day, modulo a day].
    pub fn end_min(&self) -> u16 {
        ((u32::from(self.start_min) + u32::from(self.length_min)) % 1440) as u16
    }

    /// `mon-fri_0800-1600`: the pattern as a shift name (letters, digits, `-`, `_`).
    pub fn label(&self) -> String {
        let t = |m: u16| hhmm(u32::from(m)).replace(':', "");
        format!(
            "{}_{}-{}",
            days_label(&self.days),
            t(self.start_min),
            t(self.end_min())
        )
    }
}

/// Parses `HH:MM` on the 15-minute grid into a minute of the day.
fn minute_of(text: &str, key: &str) -> Result<u32, RosterError> {
    let bad = || RosterError::Key {
        key: key.to_string(),
        problem: format!("{text:?} is not a time HH:MM on the 15-minute grid (00:00 to 23:45)"),
    };
    let (h, m) = text.split_once(':').ok_or_else(bad)?;
    let (h, m): (u32, u32) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if h > 23 || m > 59 || !m.is_multiple_of(15) {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

/// The settings of one pool after defaults and overrides.
struct PoolSpec {
    step: u32,
    earliest: u32,
    latest: u32,
    lengths: Vec<f64>,
    days: Vec<Vec<Day>>,
    timezone: String,
    price: f64,
}

/// The rostered file pools (by index), in file order: every pool not marked `keep` and not
/// outsourced (a contract prices seats, not shifts).
pub fn rostered_pools(s: &Scenario) -> Vec<usize> {
    let keep = |name: &str| {
        s.raw
            .roster
            .as_ref()
            .is_some_and(|r| r.pools.iter().any(|p| p.name == name && p.keep))
    };
    s.raw
        .pools
        .iter()
        .enumerate()
        .filter(|(_, p)| p.contract.is_none() && !keep(&p.name))
        .map(|(i, _)| i)
        .collect()
}

/// Whether every rostered pool has a price per hour (then costs are USD, else paid hours).
pub fn priced(s: &Scenario) -> bool {
    let over = |name: &str| {
        s.raw.roster.as_ref().and_then(|r| {
            r.pools
                .iter()
                .find(|p| p.name == name)
                .and_then(|p| p.cost_per_hour_usd)
        })
    };
    rostered_pools(s).iter().all(|&i| {
        let p = &s.raw.pools[i];
        over(&p.name).or(p.cost_per_hour_usd).is_some()
    })
}

fn spec(s: &Scenario, pool: usize) -> Result<PoolSpec, RosterError> {
    let rp = &s.raw.pools[pool];
    let default = crate::scenario::raw::RawRoster::default();
    let r = s.raw.roster.as_ref().unwrap_or(&default);
    let empty = RawRosterPool::default();
    let (k, over) = r
        .pools
        .iter()
        .enumerate()
        .find(|(_, p)| p.name == rp.name)
        .map_or((usize::MAX, &empty), |(k, p)| (k, p));
    let key = |name: &str, own: bool| {
        if own {
            format!("roster.pools[{k}].{name}")
        } else {
            format!("roster.{name}")
        }
    };
    let step = r.start_step_min.unwrap_or(DEFAULT_START_STEP_MIN);
    if step == 0 || !step.is_multiple_of(15) || !1440u32.is_multiple_of(step) {
        return Err(RosterError::Key {
            key: "roster.start_step_min".into(),
            problem: format!(
                "{step} is not a multiple of 15 minutes dividing a day (15, 30, 60, 120 ...)"
            ),
        });
    }
    let time = |own: &Option<String>, all: &Option<String>, name: &str, dflt: u32| match (own, all)
    {
        (Some(t), _) => minute_of(t, &key(name, true)),
        (None, Some(t)) => minute_of(t, &key(name, false)),
        (None, None) => Ok(dflt),
    };
    let earliest = time(&over.earliest_start, &r.earliest_start, "earliest_start", 0)?;
    let latest = time(
        &over.latest_start,
        &r.latest_start,
        "latest_start",
        1440 - step,
    )?;
    if latest < earliest {
        return Err(RosterError::Key {
            key: key("latest_start", over.latest_start.is_some()),
            problem: format!(
                "{} is before the earliest start {}",
                hhmm(latest),
                hhmm(earliest)
            ),
        });
    }
    let (lengths, own) = match (&over.lengths_hours, &r.lengths_hours) {
        (Some(l), _) => (l.clone(), true),
        (None, Some(l)) => (l.clone(), false),
        (None, None) => (DEFAULT_LENGTHS_HOURS.to_vec(), false),
    };
    if lengths.is_empty() {
        return Err(RosterError::Key {
            key: key("lengths_hours", own),
            problem: "is empty: give at least one shift length, like [8, 4]".into(),
        });
    }
    for h in &lengths {
        if !(h.is_finite() && *h > 0.0 && *h <= 24.0 && (h * 4.0).fract() == 0.0) {
            return Err(RosterError::Key {
                key: key("lengths_hours", own),
                problem: format!("{h} is not a length in (0, 24] hours on the quarter hour"),
            });
        }
    }
    let (days, own) = match (&over.days, &r.days) {
        (Some(d), _) => (d.clone(), true),
        (None, Some(d)) => (d.clone(), false),
        (None, None) => (
            vec![
                vec![Day::Mon, Day::Tue, Day::Wed, Day::Thu, Day::Fri],
                vec![Day::Sat, Day::Sun],
            ],
            false,
        ),
    };
    if let Some(i) = (1..lengths.len()).find(|&i| lengths[..i].contains(&lengths[i])) {
        return Err(RosterError::Key {
            key: format!("{}[{i}]", key("lengths_hours", own)),
            problem: format!(
                "{} hours is listed twice; list each shift length once",
                lengths[i]
            ),
        });
    }
    if days.is_empty() || days.iter().any(Vec::is_empty) {
        return Err(RosterError::Key {
            key: key("days", own),
            problem: "needs at least one non-empty list of days, like [[\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]]".into(),
        });
    }
    let starts = (latest - earliest) / step + 1;
    let count = days.len() * lengths.len() * starts as usize;
    if count > MAX_SHIFTS {
        return Err(RosterError::Key {
            key: "roster".into(),
            problem: format!(
                "allows {count} shift patterns for pool {:?} ({} day set(s) x {} length(s) x {starts} start times every {step} min); a rostered pool holds at most {MAX_SHIFTS} shifts: raise start_step_min (e.g. 60), narrow earliest_start..latest_start, or list fewer lengths_hours or days",
                rp.name,
                days.len(),
                lengths.len()
            ),
        });
    }
    let day_set = |d: &Vec<Day>| {
        let mut on = [false; 7];
        for x in d {
            on[x.index()] = true;
        }
        on
    };
    if let Some(i) =
        (1..days.len()).find(|&i| days[..i].iter().any(|d| day_set(d) == day_set(&days[i])))
    {
        return Err(RosterError::Key {
            key: format!("{}[{i}]", key("days", own)),
            problem: "is the same set of days as an earlier entry; list each day set once".into(),
        });
    }
    let timezone = over
        .timezone
        .clone()
        .or_else(|| r.timezone.clone())
        .or_else(|| rp.shifts.first().and_then(|sh| sh.timezone.clone()))
        .unwrap_or_else(|| s.raw.demand.timezone.clone());
    let price = if priced(s) {
        over.cost_per_hour_usd
            .or(rp.cost_per_hour_usd)
            .unwrap_or(1.0)
    } else {
        1.0
    };
    if !(price.is_finite() && price > 0.0) {
        return Err(RosterError::Key {
            key: key("cost_per_hour_usd", true),
            problem: format!("{price} is not a positive price"),
        });
    }
    Ok(PoolSpec {
        step,
        earliest,
        latest,
        lengths,
        days,
        timezone,
        price,
    })
}

/// Checks `[roster]` for every rostered pool (keys, and the pattern count a rostered
/// scenario can hold), for commands that only read the file. Does nothing without `[roster]`.
///
/// # Errors
/// The first bad `[roster]` key, named.
pub fn check(s: &Scenario) -> Result<(), RosterError> {
    let Some(r) = &s.raw.roster else {
        return Ok(());
    };
    for (i, p) in r.pools.iter().enumerate() {
        if !s.raw.pools.iter().any(|q| q.name == p.name) {
            let names: Vec<&str> = s.raw.pools.iter().map(|q| q.name.as_str()).collect();
            return Err(RosterError::Key {
                key: format!("roster.pools[{i}].name"),
                problem: format!("no pool named {:?}; pools: {}", p.name, names.join(", ")),
            });
        }
        if r.pools[..i].iter().any(|q| q.name == p.name) {
            return Err(RosterError::Key {
                key: format!("roster.pools[{i}].name"),
                problem: format!(
                    "pool {:?} has an earlier [[roster.pools]] entry; give each pool one entry",
                    p.name
                ),
            });
        }
    }
    for pool in rostered_pools(s) {
        let sp = spec(s, pool)?;
        jiff::tz::TimeZone::get(&sp.timezone).map_err(|e| RosterError::Key {
            key: "roster.timezone".into(),
            problem: format!("{:?}: {e}", sp.timezone),
        })?;
    }
    Ok(())
}

/// Every pattern of every rostered pool, with its coverage of the requirement intervals.
///
/// # Errors
/// A bad `[roster]` key (named), or a time zone the database does not know.
pub fn patterns(s: &Scenario, req: &Requirements) -> Result<Vec<Pattern>, RosterError> {
    let dt = req.settings.interval_min;
    let n = req.labels.len();
    let from = req.week_start_min;
    let mut out = Vec::new();
    for pool in rostered_pools(s) {
        let sp = spec(s, pool)?;
        let tz = jiff::tz::TimeZone::get(&sp.timezone).map_err(|e| RosterError::Key {
            key: "roster.timezone".into(),
            problem: format!("{:?}: {e}", sp.timezone),
        })?;
        for days in &sp.days {
            let mut on = [false; 7];
            for d in days {
                on[d.index()] = true;
            }
            let days_on = on.iter().filter(|x| **x).count() as f64;
            for &hours in &sp.lengths {
                let length_min = (hours * 60.0).round() as u32;
                let mut start = sp.earliest;
                while start <= sp.latest {
                    let hours_def = Hours {
                        tz: &tz,
                        days: on,
                        start_min: start as u16,
                        end_min: ((start + length_min) % 1440) as u16,
                        holidays: &[],
                    };
                    let spans = calendar::weekly_intervals(
                        s.run.start_date,
                        &s.run.timezone,
                        &hours_def,
                        s.run.span_min(),
                    )
                    .map_err(|e| RosterError::Calendar(e.to_string()))?;
                    let mut coverage = vec![0.0; n];
                    for (a, b) in spans {
                        let j0 = (((a - from) / dt).floor().max(0.0)) as usize;
                        let j1 = (((b - from) / dt).ceil().max(0.0) as usize).min(n);
                        for (j, c) in coverage.iter_mut().enumerate().take(j1).skip(j0) {
                            let (lo, hi) = (from + j as f64 * dt, from + (j + 1) as f64 * dt);
                            let o = b.min(hi) - a.max(lo);
                            if o > 0.0 {
                                *c += o / dt;
                            }
                        }
                    }
                    let hours_per_week = days_on * hours;
                    out.push(Pattern {
                        pool,
                        days: Day::ALL.into_iter().filter(|d| on[d.index()]).collect(),
                        start_min: start as u16,
                        length_min: length_min as u16,
                        timezone: sp.timezone.clone(),
                        cost_per_week: hours_per_week * sp.price,
                        hours_per_week,
                        coverage: coverage.into_iter().map(|c: f64| c.min(1.0)).collect(),
                    });
                    start += sp.step;
                }
            }
        }
    }
    Ok(out)
}
