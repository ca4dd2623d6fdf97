//! Synthetic exports from known parameters: the ground truth of the calibration tests, and
//! `supportsim synth-export` (hidden) for trying `calibrate` without real data.
//!
//! Arrivals follow the engine's model exactly: per local hour a Poisson count of mean
//! `V/168 x weekday x hour x (1 + g)^(months) x G(day)`, with `G` a mean-1 gamma of CV `c`
//! per local day, and uniform times within the hour. Each ticket draws its channel,
//! priority, segment and required level; its tracked time is the sum of one lognormal work
//! time per tier it visits (tier 1 by channel); live contacts wait an exponential time for an
//! answer and abandon when an exponential patience runs out first.

use super::formats::Format;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, Exp, Gamma, LogNormal, Poisson};
use rand_xoshiro::Xoshiro256PlusPlus;
use std::io::{self, Write};

/// The known parameters.
#[derive(Debug, Clone)]
pub struct SynthSpec {
    /// First local date (a Monday keeps weeks whole).
    pub start: Date,
    /// Days of history.
    pub days: u32,
    /// IANA zone of the profiles.
    pub timezone: String,
    /// Volume at `start` [tickets/week].
    pub tickets_per_week: f64,
    /// Weekday weights Monday..Sunday (any scale).
    pub weekday: [f64; 7],
    /// Hour weights 0..23 (any scale).
    pub hour: [f64; 24],
    /// Compound growth per month (30.4375 days).
    pub growth_per_month: f64,
    /// Day-level gamma CV.
    pub dispersion_cv: f64,
    /// Channel shares email, chat, phone.
    pub channels: [f64; 3],
    /// Priority shares P1..P4.
    pub priorities: [f64; 4],
    /// Segments and shares.
    pub segments: Vec<(String, f64)>,
    /// Required-level shares 1..3.
    pub levels: [f64; 3],
    /// Tier-1 work time per channel: (mean, cv) of a lognormal [minutes].
    pub work_l1: [(f64, f64); 3],
    /// Tier-2 and tier-3 work time: (mean, cv) [minutes].
    pub work_upper: [(f64, f64); 2],
    /// Mean patience of chat and phone customers [minutes].
    pub patience_min: [f64; 2],
    /// Mean wait for an answer of live contacts [minutes].
    pub answer_wait_min: f64,
    /// Seed.
    pub seed: u64,
}

impl Default for SynthSpec {
    fn default() -> Self {
        SynthSpec {
            start: jiff::civil::date(2025, 6, 2),
            days: 182,
            timezone: "America/New_York".into(),
            tickets_per_week: 2000.0,
            weekday: [22.0, 20.0, 19.0, 18.0, 15.0, 3.0, 3.0],
            hour: [
                0.2, 0.2, 0.2, 0.2, 0.2, 0.3, 0.5, 0.8, 1.3, 1.6, 1.7, 1.4, 1.1, 1.3, 1.4, 1.2,
                0.9, 0.6, 0.4, 0.3, 0.3, 0.2, 0.2, 0.2,
            ],
            growth_per_month: 0.02,
            dispersion_cv: 0.15,
            channels: [0.6, 0.3, 0.1],
            priorities: [0.02, 0.13, 0.55, 0.30],
            segments: vec![
                ("enterprise".into(), 0.1),
                ("mid_market".into(), 0.5),
                ("smb".into(), 0.4),
            ],
            levels: [0.65, 0.30, 0.05],
            work_l1: [(8.0, 1.0), (12.0, 0.8), (9.0, 1.2)],
            work_upper: [(22.0, 1.0), (90.0, 1.0)],
            patience_min: [3.0, 4.0],
            answer_wait_min: 2.0,
            seed: 1,
        }
    }
}

/// One synthetic ticket.
#[derive(Debug, Clone, Copy)]
pub struct SynthTicket {
    /// Creation instant.
    pub created: Timestamp,
    /// Channel index (email, chat, phone).
    pub channel: usize,
    /// Priority index (P1 = 0).
    pub priority: usize,
    /// Segment index.
    pub segment: usize,
    /// Required level 1..3.
    pub level: usize,
    /// Tracked work [minutes].
    pub work_min: f64,
    /// Wait until answered or abandoned [minutes].
    pub wait_min: f64,
    /// Abandoned (live channels only).
    pub abandoned: bool,
    /// Solved instant.
    pub solved: Timestamp,
}

impl SynthSpec {
    /// The spec's weekday factors normalised to mean 1 (what `calibrate` should find).
    pub fn weekday_factors(&self) -> [f64; 7] {
        let s: f64 = self.weekday.iter().sum();
        self.weekday.map(|w| 7.0 * w / s)
    }

    /// The spec's hour factors normalised to mean 1.
    pub fn hour_factors(&self) -> [f64; 24] {
        let s: f64 = self.hour.iter().sum();
        self.hour.map(|w| 24.0 * w / s)
    }

    /// Volume [tickets/week] at `days` after the start.
    pub fn volume_after(&self, days: f64) -> f64 {
        self.tickets_per_week * (1.0 + self.growth_per_month).powf(days / 30.4375)
    }

    /// Generates the tickets in creation order, calling `f` on each (nothing is held).
    ///
    /// # Panics
    /// On an unknown zone or invalid shares (a test helper's programming error).
    pub fn each(&self, mut f: impl FnMut(&SynthTicket)) {
        let tz = TimeZone::get(&self.timezone).expect("known zone");
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(self.seed);
        let wf = self.weekday_factors();
        let hf = self.hour_factors();
        let t0 = tz
            .to_ambiguous_zoned(self.start.at(0, 0, 0, 0))
            .compatible()
            .expect("ok")
            .timestamp();
        let gamma = (self.dispersion_cv > 0.0).then(|| {
            let k = 1.0 / (self.dispersion_cv * self.dispersion_cv);
            Gamma::new(k, 1.0 / k).expect("valid")
        });
        let lognormal = |(mean, cv): (f64, f64)| {
            let s2 = (1.0 + cv * cv).ln();
            LogNormal::new(mean.ln() - s2 / 2.0, s2.sqrt()).expect("valid")
        };
        let l1: Vec<LogNormal<f64>> = self.work_l1.iter().map(|p| lognormal(*p)).collect();
        let up: Vec<LogNormal<f64>> = self.work_upper.iter().map(|p| lognormal(*p)).collect();
        let answer = Exp::new(1.0 / self.answer_wait_min).expect("valid");
        let reply = Exp::new(1.0 / 60.0).expect("valid");
        let resolve_delay = lognormal((240.0, 1.0));
        let seg: Vec<f64> = self.segments.iter().map(|s| s.1).collect();
        let mut day = self.start;
        let mut batch: Vec<SynthTicket> = Vec::new();
        for _ in 0..self.days {
            let g = gamma.as_ref().map_or(1.0, |g| g.sample(&mut rng));
            let wd = day.weekday().to_monday_zero_offset() as usize;
            for h in 0..24 {
                let start = tz
                    .to_ambiguous_zoned(day.at(h, 0, 0, 0))
                    .compatible()
                    .expect("ok")
                    .timestamp();
                let months =
                    ((start.as_second() - t0.as_second()) as f64 + 1800.0) / 86400.0 / 30.4375;
                let rate = self.tickets_per_week / 168.0
                    * wf[wd]
                    * hf[h as usize]
                    * (1.0 + self.growth_per_month).powf(months)
                    * g;
                let n = if rate > 0.0 {
                    Poisson::new(rate).expect("valid").sample(&mut rng) as u64
                } else {
                    0
                };
                batch.clear();
                for _ in 0..n {
                    let created = start
                        .checked_add(rng.random_range(0..3600i64).seconds())
                        .expect("in range");
                    let channel = pick(&mut rng, &self.channels);
                    let priority = pick(&mut rng, &self.priorities);
                    let segment = pick(&mut rng, &seg);
                    let level = pick(&mut rng, &self.levels) + 1;
                    let mut work = l1[channel].sample(&mut rng);
                    for u in up.iter().take(level - 1) {
                        work += u.sample(&mut rng);
                    }
                    let (wait, abandoned) = if channel == 0 {
                        (reply.sample(&mut rng), false)
                    } else {
                        let w = answer.sample(&mut rng);
                        let p = Exp::new(1.0 / self.patience_min[channel - 1])
                            .expect("valid")
                            .sample(&mut rng);
                        (w.min(p), p < w)
                    };
                    let total = wait + work + resolve_delay.sample(&mut rng);
                    let solved = created
                        .checked_add(((total * 60.0) as i64).seconds())
                        .expect("in range");
                    batch.push(SynthTicket {
                        created,
                        channel,
                        priority,
                        segment,
                        level,
                        work_min: work,
                        wait_min: wait,
                        abandoned,
                        solved,
                    });
                }
                batch.sort_by_key(|t| t.created);
                batch.iter().for_each(&mut f);
            }
            day = day.tomorrow().expect("in range");
        }
    }

    /// Writes the tickets as an export of `format` (not `intervals`).
    ///
    /// # Errors
    /// Writer errors.
    pub fn write_export<W: Write>(&self, format: Format, out: W) -> io::Result<()> {
        let tz = TimeZone::get(&self.timezone).expect("known zone");
        let mut w = csv::Writer::from_writer(out);
        let local = |t: Timestamp| tz.to_datetime(t);
        let civil = |t: Timestamp| local(t).strftime("%Y-%m-%d %H:%M:%S").to_string();
        let header: &[&str] = match format {
            Format::Zendesk => &[
                "Id",
                "Subject",
                "Created at",
                "Solved at",
                "Group",
                "Priority",
                "Via",
                "Group stations",
                "Assignee stations",
                "Reopens",
                "First reply time in minutes",
                "Full resolution time in minutes",
                "Requester wait time in minutes",
                "Total time spent (sec)",
                "Customer plan",
            ],
            Format::Freshdesk => &[
                "Ticket ID",
                "Subject",
                "Status",
                "Priority",
                "Source",
                "Type",
                "Agent",
                "Group",
                "Created time",
                "Resolved time",
                "Time tracked",
                "First response time (in hrs)",
                "Resolution time (in hrs)",
                "Agent interactions",
                "Customer interactions",
                "Company tier",
            ],
            Format::Jsm => &[
                "Summary",
                "Issue key",
                "Issue id",
                "Issue Type",
                "Status",
                "Priority",
                "Assignee",
                "Created",
                "Updated",
                "Resolved",
                "Time Spent",
                "Custom field (Request Type)",
            ],
            Format::ServiceNow => &[
                "number",
                "opened_at",
                "resolved_at",
                "priority",
                "state",
                "assignment_group",
                "contact_type",
                "reassignment_count",
                "reopen_count",
                "time_worked",
                "u_segment",
            ],
            Format::Generic | Format::Intervals => &[
                "created",
                "channel",
                "priority",
                "segment",
                "level",
                "work_min",
                "wait_min",
                "abandoned",
            ],
        };
        w.write_record(header)?;
        let mut id = 0u64;
        let mut err = None;
        self.each(|t| {
            if err.is_some() {
                return;
            }
            id += 1;
            let seg = &self.segments[t.segment].0;
            let res_min = (t.solved.as_second() - t.created.as_second()) as f64 / 60.0;
            let rec: Vec<String> = match format {
                Format::Zendesk => vec![
                    id.to_string(),
                    format!("Ticket {id}"),
                    civil(t.created),
                    civil(t.solved),
                    format!("Support L{}", t.level),
                    ["Urgent", "High", "Normal", "Low"][t.priority].into(),
                    ["Web form", "Chat", "Phone call (incoming)"][t.channel].into(),
                    t.level.to_string(),
                    t.level.to_string(),
                    "0".into(),
                    format!("{:.0}", t.wait_min),
                    format!("{res_min:.0}"),
                    format!("{res_min:.0}"),
                    format!("{:.0}", t.work_min * 60.0),
                    seg.clone(),
                ],
                Format::Freshdesk => vec![
                    id.to_string(),
                    format!("Ticket {id}"),
                    "Resolved".into(),
                    ["Urgent", "High", "Medium", "Low"][t.priority].into(),
                    ["Email", "Chat", "Phone"][t.channel].into(),
                    "Question".into(),
                    "Agent".into(),
                    format!("L{}", t.level),
                    civil(t.created),
                    civil(t.solved),
                    {
                        let m = t.work_min.round() as i64;
                        format!("{:02}:{:02}", m / 60, m % 60)
                    },
                    format!("{:.2}", t.wait_min / 60.0),
                    format!("{:.2}", res_min / 60.0),
                    "2".into(),
                    "2".into(),
                    seg.clone(),
                ],
                Format::Jsm => vec![
                    format!("Request {id}"),
                    format!("SUP-{id}"),
                    (10_000 + id).to_string(),
                    "Service Request".into(),
                    "Resolved".into(),
                    ["Highest", "High", "Medium", "Low"][t.priority].into(),
                    "agent".into(),
                    local(t.created).strftime("%d/%b/%y %-I:%M %p").to_string(),
                    local(t.solved).strftime("%d/%b/%y %-I:%M %p").to_string(),
                    local(t.solved).strftime("%d/%b/%y %-I:%M %p").to_string(),
                    format!("{:.0}", t.work_min * 60.0),
                    "Get IT help".into(),
                ],
                Format::ServiceNow => vec![
                    format!("INC{id:07}"),
                    civil(t.created),
                    civil(t.solved),
                    ["1 - Critical", "2 - High", "3 - Moderate", "4 - Low"][t.priority].into(),
                    "Resolved".into(),
                    format!("Service Desk L{}", t.level),
                    ["email", "chat", "phone"][t.channel].into(),
                    (t.level - 1).to_string(),
                    "0".into(),
                    format!("{:.0}", t.work_min * 60.0),
                    seg.clone(),
                ],
                Format::Generic | Format::Intervals => vec![
                    t.created
                        .to_zoned(tz.clone())
                        .strftime("%Y-%m-%dT%H:%M:%S%:z")
                        .to_string(),
                    ["email", "chat", "phone"][t.channel].into(),
                    format!("P{}", t.priority + 1),
                    seg.clone(),
                    t.level.to_string(),
                    format!("{:.4}", t.work_min),
                    format!("{:.4}", t.wait_min),
                    u8::from(t.abandoned).to_string(),
                ],
            };
            if let Err(e) = w.write_record(&rec) {
                err = Some(e);
            }
        });
        if let Some(e) = err {
            return Err(e.into());
        }
        w.flush()
    }

    /// Writes an interval report of the arrivals: `interval_min` intervals (dividing 60 or a
    /// multiple of it), only while `open(weekday, hour)` (closed intervals and days are
    /// absent), with offered, handled and AHT in seconds; `plain` writes only
    /// `Time,Calls`. Timestamps are ISO 8601 local times without offset.
    ///
    /// # Errors
    /// Writer errors.
    pub fn write_intervals<W: Write>(
        &self,
        interval_min: i64,
        open: impl Fn(usize, u8) -> bool,
        plain: bool,
        out: W,
    ) -> io::Result<()> {
        let tz = TimeZone::get(&self.timezone).expect("known zone");
        let mut bins: std::collections::BTreeMap<i64, (f64, f64, f64)> = Default::default();
        let step = interval_min * 60;
        self.each(|t| {
            let s = t.created.as_second();
            let e = bins.entry(s - s.rem_euclid(step)).or_default();
            e.0 += 1.0;
            if !t.abandoned {
                e.1 += 1.0;
                e.2 += t.work_min * 60.0;
            }
        });
        let mut w = csv::Writer::from_writer(out);
        if plain {
            w.write_record(["Time", "Calls"])?;
        } else {
            w.write_record(["interval_start", "offered", "handled", "aht_sec"])?;
        }
        let first = tz
            .to_ambiguous_zoned(self.start.at(0, 0, 0, 0))
            .compatible()
            .expect("ok");
        let end = first.timestamp().as_second() + i64::from(self.days) * 86_400;
        let mut s = first.timestamp().as_second();
        while s < end {
            let ts = Timestamp::from_second(s).expect("in range");
            let l = tz.to_datetime(ts);
            if open(l.weekday().to_monday_zero_offset() as usize, l.hour() as u8) {
                let (o, h, a) = bins.get(&s).copied().unwrap_or_default();
                let stamp = l.strftime("%Y-%m-%dT%H:%M:%S").to_string();
                if plain {
                    w.write_record([stamp, format!("{o}")])?;
                } else {
                    let aht = if h > 0.0 { a / h } else { 0.0 };
                    w.write_record([stamp, format!("{o}"), format!("{h}"), format!("{aht:.1}")])?;
                }
            }
            s += step;
        }
        w.flush()
    }
}

/// A categorical draw from shares.
fn pick(rng: &mut Xoshiro256PlusPlus, shares: &[f64]) -> usize {
    let total: f64 = shares.iter().sum();
    let mut u = rng.random::<f64>() * total;
    for (i, s) in shares.iter().enumerate() {
        if u < *s {
            return i;
        }
        u -= s;
    }
    shares.len() - 1
}
