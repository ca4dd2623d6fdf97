//! `supportsim init`: a commented starter scenario from a few answers (volume, channels, tiers,
//! opening hours, time zone, model), with headcounts sized by Erlang C from the volume so the
//! file runs at a sane utilisation. Text generation only: no I/O (the CLI writes the file).

use crate::scenario::channels::{ChannelKind, DEFAULT_CHANNELS};
use crate::scenario::raw::Day;
use crate::stats::erlang::min_agents;
use std::fmt::Write;

mod flags;
pub use flags::{
    parse_channels, parse_days, parse_hours, parse_tiers, parse_timezone, parse_volume,
};

/// A flag value `init` cannot use: names the flag, what is wrong and what to write instead.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{flag} {value:?}: {problem}")]
pub struct StarterError {
    /// The flag, e.g. `--hours`.
    pub flag: &'static str,
    /// The value given.
    pub value: String,
    /// What is wrong and the fix.
    pub problem: String,
}

fn bad(flag: &'static str, value: &str, problem: impl Into<String>) -> StarterError {
    StarterError {
        flag,
        value: value.to_string(),
        problem: problem.into(),
    }
}

/// Ticket volume: per week, or per hour (both averages over the whole week).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Volume {
    /// `tickets_per_week`.
    PerWeek(f64),
    /// `tickets_per_hour`.
    PerHour(f64),
}

impl Volume {
    fn per_week(self) -> f64 {
        match self {
            Volume::PerWeek(w) => w,
            Volume::PerHour(h) => h * 168.0,
        }
    }
}

/// The support model of the starter (`--model`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StarterModel {
    /// `tiered`: escalation from tier to tier.
    Tiered,
    /// `swarm`: case owners keep tickets and pull in the top tier as experts.
    Swarm,
    /// `pooled` (`pooled_tiered` in the file): tiers 1 and 2 share one queue.
    Pooled,
}

impl StarterModel {
    /// Parses `tiered`, `swarm` or `pooled` (also `pooled_tiered`).
    ///
    /// # Errors
    /// Any other name.
    pub fn parse(s: &str) -> Result<Self, StarterError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "tiered" => Ok(StarterModel::Tiered),
            "swarm" => Ok(StarterModel::Swarm),
            "pooled" | "pooled_tiered" => Ok(StarterModel::Pooled),
            _ => Err(bad(
                "--model",
                s,
                "unknown model; use tiered, swarm or pooled",
            )),
        }
    }
}

/// One channel of the starter file: its name and kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StarterChannel {
    /// Name in the file (`demand.channels`, `work_time.<name>`, ...).
    pub name: String,
    /// What the channel does.
    pub kind: ChannelKind,
}

impl StarterChannel {
    /// One of today's channels `email`, `chat`, `phone` with its kind.
    fn default_named(name: &str) -> Self {
        let &(name, kind) = DEFAULT_CHANNELS
            .iter()
            .find(|(n, _)| *n == name)
            .unwrap_or(&DEFAULT_CHANNELS[0]);
        StarterChannel {
            name: name.to_string(),
            kind,
        }
    }
}

/// Names the starter file gives its priorities and segment (and `all`), which channel names
/// must differ from.
pub(crate) const STARTER_NAMES: [&str; 6] = ["P1", "P2", "P3", "P4", "all_customers", "all"];

/// Whether every channel is one of today's three with its own kind: such a file needs no
/// `channel_kinds` (the default set holds them).
pub(crate) fn is_default_set(channels: &[StarterChannel]) -> bool {
    channels
        .iter()
        .all(|c| DEFAULT_CHANNELS.contains(&(c.name.as_str(), c.kind)))
}

/// Default share of a channel of each kind before renormalising over the chosen channels
/// (email/chat/phone 60/30/10 %).
fn kind_share(kind: ChannelKind) -> f64 {
    match kind {
        ChannelKind::Asynchronous => 0.6,
        ChannelKind::Chat => 0.3,
        ChannelKind::Voice => 0.1,
    }
}

/// Tier 1 mean work per contact by kind [minutes] (a chat is held two at a time).
fn l1_work_min(kind: ChannelKind) -> f64 {
    match kind {
        ChannelKind::Asynchronous => 8.0,
        ChannelKind::Chat => 12.0,
        ChannelKind::Voice => 9.0,
    }
}

/// Mean patience of a live customer [minutes], exponential, and the share of contacts that
/// leave a message when the channel is closed.
fn live_defaults(kind: ChannelKind) -> (f64, f64) {
    match kind {
        ChannelKind::Voice => (4.0, 0.5),
        _ => (3.0, 0.7),
    }
}

/// Mean work of tiers 2 and 3 [minutes], write-up before an escalation and re-gather after.
const TIER_WORK_MIN: [f64; 3] = [0.0, 22.0, 90.0];
const WRITE_UP_MIN: f64 = 5.0;
const REGATHER_MIN: [f64; 3] = [0.0, 10.0, 15.0];
/// Highest planned occupancy of the agents on duty (offered load / on duty).
const MAX_OCCUPANCY: f64 = 0.85;
/// Shrinkage of every pool (breaks, meetings, training, absence).
const SHRINKAGE: f64 = 0.30;
const CHAT_CONCURRENCY: f64 = 2.0;
/// Loaded cost per paid hour by tier [USD/hour] (placeholders).
const COST_PER_HOUR_USD: [f64; 3] = [42.0, 55.0, 95.0];
/// Relative volume outside opening hours and on closed days (to opening hours = 1).
const OFF_HOURS_WEIGHT: f64 = 0.2;

/// Everything `init` asks; [`StarterSpec::default`] holds the answers used when a flag is
/// omitted.
#[derive(Debug, Clone, PartialEq)]
pub struct StarterSpec {
    /// Scenario name.
    pub name: String,
    /// Ticket volume.
    pub volume: Volume,
    /// Offered channels, in file order (see [`parse_channels`]).
    pub channels: Vec<StarterChannel>,
    /// Number of tiers, 1..=3.
    pub tiers: u8,
    /// Opening hours, local minutes after midnight: start < end <= 1440, multiples of 15.
    pub open_min: (u32, u32),
    /// Open days.
    pub days: Vec<Day>,
    /// IANA time zone.
    pub timezone: String,
    /// Support model.
    pub model: StarterModel,
}

impl Default for StarterSpec {
    fn default() -> Self {
        StarterSpec {
            name: "starter".into(),
            volume: Volume::PerWeek(1000.0),
            channels: vec![
                StarterChannel::default_named("email"),
                StarterChannel::default_named("chat"),
            ],
            tiers: 2,
            open_min: (8 * 60, 18 * 60),
            days: Day::ALL[..5].to_vec(),
            timezone: "UTC".into(),
            model: StarterModel::Tiered,
        }
    }
}

/// Share of tickets needing each level 1..=tiers (sums to 1).
fn level_shares(tiers: u8) -> &'static [f64] {
    match tiers {
        1 => &[1.0],
        2 => &[0.70, 0.30],
        _ => &[0.65, 0.30, 0.05],
    }
}

/// One pool as sized for the file.
#[derive(Debug, Clone, PartialEq)]
pub struct SizedPool {
    /// Tier 1..=3.
    pub level: u8,
    /// Tickets per open hour reaching the tier.
    pub tickets_per_open_hour: f64,
    /// Mean agent minutes per ticket at the tier.
    pub work_min: f64,
    /// Agents needed on duty (Erlang C).
    pub on_duty: u32,
    /// Scheduled agents, shrinkage added.
    pub headcount: u32,
    /// Offered load / available agents at the scheduled headcount.
    pub utilisation: f64,
}

/// Sizes every tier's pool with Erlang C: all the week's work is served in opening hours, at
/// tier 1 80% answered within 1 minute when a live channel is offered (else 60 minutes), at
/// higher tiers 80% within 60 minutes, and at most 85% occupancy on duty; then headcount = on
/// duty / (1 - shrinkage).
///
/// # Errors
/// A volume too large for the staffing search (reported on `--tickets-per-week`).
pub fn size_pools(spec: &StarterSpec) -> Result<Vec<SizedPool>, StarterError> {
    let open_hours = f64::from(spec.open_min.1 - spec.open_min.0) / 60.0 * spec.days.len() as f64;
    let per_open_hour = spec.volume.per_week() / open_hours;
    let shares = channel_shares(&spec.channels);
    let levels = level_shares(spec.tiers);
    let live = spec
        .channels
        .iter()
        .any(|c| c.kind != ChannelKind::Asynchronous);
    let mut out = Vec::new();
    for level in 1..=spec.tiers {
        let k = usize::from(level - 1);
        let reach: f64 = levels[k..].iter().sum();
        let escalate: f64 = levels[k + 1..].iter().sum::<f64>() / reach;
        let base = if level == 1 {
            spec.channels
                .iter()
                .zip(&shares)
                .map(|(c, s)| {
                    let held = if c.kind == ChannelKind::Chat {
                        CHAT_CONCURRENCY
                    } else {
                        1.0
                    };
                    s * l1_work_min(c.kind) / held
                })
                .sum()
        } else {
            TIER_WORK_MIN[k] + REGATHER_MIN[k]
        };
        let work_min = base + escalate * WRITE_UP_MIN;
        let lambda_per_min = per_open_hour * reach / 60.0;
        let target_min = if level == 1 && live { 1.0 } else { 60.0 };
        let (on_duty, _) =
            min_agents(lambda_per_min, work_min, None, target_min, 0.8).map_err(|e| {
                bad(
                    "--tickets-per-week",
                    &format!("{:.0}", spec.volume.per_week()),
                    format!("tier {level} cannot be sized: {e}"),
                )
            })?;
        // Erlang C alone lets a large pool with a loose target run near 100% busy; cap the
        // occupancy so the simulated weeks (with their peaks) stay stable.
        let on_duty = on_duty.max((lambda_per_min * work_min / MAX_OCCUPANCY).ceil() as u32);
        let headcount = (f64::from(on_duty) / (1.0 - SHRINKAGE)).ceil() as u32;
        let utilisation = lambda_per_min * work_min / (f64::from(headcount) * (1.0 - SHRINKAGE));
        out.push(SizedPool {
            level,
            tickets_per_open_hour: per_open_hour * reach,
            work_min,
            on_duty,
            headcount,
            utilisation,
        });
    }
    Ok(out)
}

/// Shares of the chosen channels: their kinds' defaults renormalised, rounded to 3 decimals
/// with the rounding on the first, so the file sums to 1.
fn channel_shares(channels: &[StarterChannel]) -> Vec<f64> {
    let total: f64 = channels.iter().map(|c| kind_share(c.kind)).sum();
    let mut shares: Vec<f64> = channels
        .iter()
        .map(|c| (kind_share(c.kind) / total * 1000.0).round() / 1000.0)
        .collect();
    let rest: f64 = shares[1..].iter().sum();
    shares[0] = ((1.0 - rest) * 1000.0).round() / 1000.0;
    shares
}

fn hhmm(min: u32) -> String {
    format!("{:02}:{:02}", min / 60, min % 60)
}

fn day_list(days: &[Day]) -> String {
    let names: Vec<String> = days
        .iter()
        .map(|d| format!("\"{}\"", format!("{d:?}").to_ascii_lowercase()))
        .collect();
    format!("[{}]", names.join(", "))
}

fn num(x: f64) -> String {
    let s = format!("{x:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

/// Writes the starter scenario text for `spec`.
///
/// # Errors
/// Combinations the models do not allow (`swarm` and `pooled` need at least 2 tiers), empty
/// channel or day lists, and volumes the staffing search cannot size.
pub fn starter_toml(spec: &StarterSpec) -> Result<String, StarterError> {
    let model_flag = match spec.model {
        StarterModel::Tiered => "tiered",
        StarterModel::Swarm => "swarm",
        StarterModel::Pooled => "pooled",
    };
    if spec.model != StarterModel::Tiered && spec.tiers < 2 {
        return Err(bad(
            "--model",
            model_flag,
            "needs at least 2 tiers (the top tier serves as experts or the lower tiers share a queue); add --tiers 2 or --tiers 3, or use --model tiered",
        ));
    }
    if spec.channels.is_empty() {
        return Err(bad(
            "--channels",
            "",
            "give at least one channel, e.g. email,chat",
        ));
    }
    if spec.days.is_empty() {
        return Err(bad(
            "--days",
            "",
            "give at least one open day, e.g. mon-fri",
        ));
    }
    let pools = size_pools(spec)?;
    let shares = channel_shares(&spec.channels);
    let has = |k: ChannelKind| spec.channels.iter().any(|c| c.kind == k);
    let live = has(ChannelKind::Chat) || has(ChannelKind::Voice);
    let custom = !is_default_set(&spec.channels);
    // Messages left by live customers go to the first asynchronous channel, if any.
    let message = spec
        .channels
        .iter()
        .find(|c| c.kind == ChannelKind::Asynchronous)
        .map(|c| c.name.as_str());
    let names: Vec<&str> = spec.channels.iter().map(|c| c.name.as_str()).collect();
    let (open, close) = (hhmm(spec.open_min.0), hhmm(spec.open_min.1));
    let days = day_list(&spec.days);
    let mut t = String::new();
    let w = &mut t;
    // Writing to a String cannot fail.
    let _ = writeln!(
        w,
        "# Starter scenario written by `supportsim init`. Every number below is a"
    );
    let _ = writeln!(
        w,
        "# placeholder to replace with your own (or fit them: `supportsim calibrate`)."
    );
    let _ = writeln!(
        w,
        "# Check it with `supportsim validate FILE`, then `supportsim run FILE`."
    );
    let file_model = match spec.model {
        StarterModel::Tiered => "tiered",
        StarterModel::Swarm => "swarm",
        StarterModel::Pooled => "pooled_tiered",
    };
    let _ = writeln!(w, "name = {:?}", spec.name);
    let _ = writeln!(
        w,
        "description = \"{} tickets/week over {}, {} tier(s), open {open}-{close} {} ({})\"",
        num(spec.volume.per_week()),
        names.join("/"),
        spec.tiers,
        spec.days
            .iter()
            .map(|d| format!("{d:?}").to_ascii_lowercase())
            .collect::<Vec<_>>()
            .join(","),
        spec.timezone
    );
    let _ = writeln!(w, "model = \"{file_model}\"");
    let _ = writeln!(w);
    let _ = writeln!(w, "[run]");
    let _ = writeln!(w, "start_date = \"2026-01-05\"        # a Monday");
    let _ = writeln!(w, "warmup_days = 7                  # discarded [days]");
    let _ = writeln!(w, "horizon_days = 28                # measured [days]");
    let _ = writeln!(
        w,
        "drain_days = 14                  # let measured tickets finish [days]"
    );
    let _ = writeln!(w, "replications = 100");
    let _ = writeln!(w, "seed = 1");
    let _ = writeln!(w);
    let _ = writeln!(w, "[demand]");
    match spec.volume {
        Volume::PerWeek(v) => {
            let _ = writeln!(
                w,
                "tickets_per_week = {}          # average over the week",
                v
            );
        }
        Volume::PerHour(v) => {
            let _ = writeln!(
                w,
                "tickets_per_hour = {}          # average over all 168 hours of the week",
                v
            );
        }
    }
    let _ = writeln!(w, "timezone = {:?}", spec.timezone);
    let _ = writeln!(
        w,
        "# Open days carry full volume, closed days {OFF_HOURS_WEIGHT} of it (Mon..Sun)."
    );
    let wd: Vec<String> = Day::ALL
        .iter()
        .map(|d| {
            num(if spec.days.contains(d) {
                1.0
            } else {
                OFF_HOURS_WEIGHT
            })
        })
        .collect();
    let _ = writeln!(w, "weekday_weights = [{}]", wd.join(", "));
    let _ = writeln!(
        w,
        "# Opening hours carry full volume, other hours {OFF_HOURS_WEIGHT} of it (local hours 0..23)."
    );
    let hw: Vec<String> = (0..24u32)
        .map(|h| {
            let (a, b) = (h * 60, h * 60 + 60);
            let open_part = f64::from(
                b.min(spec.open_min.1)
                    .saturating_sub(a.max(spec.open_min.0)),
            ) / 60.0;
            num(open_part + (1.0 - open_part) * OFF_HOURS_WEIGHT)
        })
        .collect();
    let _ = writeln!(w, "hour_weights = [{}]", hw.join(", "));
    if custom {
        let kinds: Vec<String> = spec
            .channels
            .iter()
            .map(|c| format!("{} = \"{}\"", c.name, c.kind.name()))
            .collect();
        let _ = writeln!(
            w,
            "# The file's channels and what each does (asynchronous: no patience; chat: live,\n# several per agent; voice: live)."
        );
        let _ = writeln!(w, "channel_kinds = {{ {} }}", kinds.join(", "));
    }
    let ch: Vec<String> = spec
        .channels
        .iter()
        .zip(&shares)
        .map(|(c, s)| format!("{} = {}", c.name, num(*s)))
        .collect();
    let _ = writeln!(w, "channels = {{ {} }}", ch.join(", "));
    let _ = writeln!(
        w,
        "priorities = {{ P1 = 0.02, P2 = 0.13, P3 = 0.55, P4 = 0.30 }}"
    );
    let _ = writeln!(w, "segments = {{ all_customers = 1.0 }}");
    let lv: Vec<String> = level_shares(spec.tiers)
        .iter()
        .enumerate()
        .map(|(i, s)| format!("{} = {}", i + 1, num(*s)))
        .collect();
    let _ = writeln!(
        w,
        "# Share of tickets each tier must solve (1 = front line)."
    );
    let _ = writeln!(w, "required_level = {{ {} }}", lv.join(", "));
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "# Headcounts sized by Erlang C: all the week's work served in opening hours; tier 1"
    );
    let _ = writeln!(
        w,
        "# answers 80% within {}, higher tiers 80% within 60 min, at most {:.0}% busy on duty;\n# scheduled = on duty / (1 - shrinkage).",
        if live { "1 min" } else { "60 min" },
        MAX_OCCUPANCY * 100.0
    );
    let pooled = spec.model == StarterModel::Pooled;
    for p in &pools {
        let k = usize::from(p.level - 1);
        let _ = writeln!(w);
        let _ = writeln!(
            w,
            "# Tier {}: {:.1} tickets per open hour x {:.1} min = {:.2} erlangs; {} on duty -> utilisation ~{:.0}%.",
            p.level,
            p.tickets_per_open_hour,
            p.work_min,
            p.tickets_per_open_hour * p.work_min / 60.0,
            p.on_duty,
            p.utilisation * 100.0
        );
        let _ = writeln!(w, "[[pools]]");
        let _ = writeln!(w, "name = \"l{}\"", p.level);
        let _ = writeln!(
            w,
            "headcount = {}                    # scheduled agents [agents]",
            p.headcount
        );
        let _ = writeln!(
            w,
            "hours = {{ days = {days}, start = \"{open}\", end = \"{close}\" }}"
        );
        let _ = writeln!(
            w,
            "shrinkage = {SHRINKAGE}                 # breaks, meetings, training, absence"
        );
        // Pools a model merges must agree on chat concurrency: give every pool the same.
        if has(ChannelKind::Chat) && (p.level == 1 || pooled || spec.model == StarterModel::Swarm) {
            let _ = writeln!(
                w,
                "chat_concurrency = {CHAT_CONCURRENCY}             # chats held at once"
            );
        }
        let _ = writeln!(
            w,
            "cost_per_hour_usd = {}          # loaded cost per paid hour (placeholder)",
            COST_PER_HOUR_USD[k]
        );
    }
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "# Work minutes, lognormal with CV 1 (typical of support work)."
    );
    for p in &pools {
        let k = usize::from(p.level - 1);
        let _ = writeln!(w);
        let _ = writeln!(w, "[[tiers]]");
        let _ = writeln!(w, "level = {}", p.level);
        let _ = writeln!(w, "pool = \"l{}\"", p.level);
        if p.level == 1 {
            for c in &spec.channels {
                let _ = writeln!(
                    w,
                    "work_time.{} = {{ dist = \"lognormal\", mean_min = {}, cv = 1.0 }}",
                    c.name,
                    num(l1_work_min(c.kind))
                );
            }
            // Without channel_kinds the file has all of email, chat and phone.
            if !custom && spec.channels.len() < DEFAULT_CHANNELS.len() {
                let _ = writeln!(
                    w,
                    "work_time.default = {{ dist = \"lognormal\", mean_min = {}, cv = 1.0 }}   # channels not offered (unused)",
                    num(l1_work_min(spec.channels[0].kind))
                );
            }
        } else {
            let _ = writeln!(
                w,
                "work_time.default = {{ dist = \"lognormal\", mean_min = {}, cv = 1.0 }}",
                num(TIER_WORK_MIN[k])
            );
            let _ = writeln!(
                w,
                "regather_min = {}                 # re-reading the case after a handoff",
                num(REGATHER_MIN[k])
            );
        }
        if p.level < spec.tiers {
            let _ = writeln!(
                w,
                "write_up_min = {}                  # handoff note before escalating",
                num(WRITE_UP_MIN)
            );
        }
    }
    match spec.model {
        StarterModel::Tiered => {}
        StarterModel::Pooled => {
            let _ = writeln!(w);
            let _ = writeln!(
                w,
                "# Tiers 1 and 2 share one queue served by pools l1 and l2 together."
            );
            let _ = writeln!(w, "[pooled]");
            let _ = writeln!(w, "levels = 2");
        }
        StarterModel::Swarm => {
            let _ = writeln!(w);
            let _ = writeln!(
                w,
                "# Case owners (tiers 1..{}) keep every ticket and pull a tier-{} expert into a",
                spec.tiers - 1,
                spec.tiers
            );
            let _ = writeln!(
                w,
                "# session for work above their level (see README, \"How the swarm model works\")."
            );
            let _ = writeln!(w, "[swarm]");
            let _ = writeln!(w, "owner_level = {}", spec.tiers - 1);
            let _ = writeln!(
                w,
                "helpers = {{ 1 = 1.0 }}             # one expert per session"
            );
            let _ = writeln!(
                w,
                "coordination_overhead = 0.10       # sessions take 10% longer"
            );
            let _ = writeln!(w, "priority = \"swarm_first\"");
        }
    }
    if live {
        let _ = writeln!(w);
        let _ = writeln!(w, "[queues]");
        let _ = writeln!(
            w,
            "order = \"live_first\"               # chats and calls before asynchronous work"
        );
        if let Some(m) = message {
            let _ = writeln!(w);
            let _ = writeln!(w, "[customers]");
            let _ = writeln!(
                w,
                "abandon_to_email_probability = 0.7 # an unanswered chat or call leaves a message ({m})"
            );
        }
        let _ = writeln!(w);
        let _ = writeln!(
            w,
            "[customers.patience]                # minutes a live customer waits before leaving"
        );
        for c in spec
            .channels
            .iter()
            .filter(|c| c.kind != ChannelKind::Asynchronous)
        {
            let (patience, _) = live_defaults(c.kind);
            let _ = writeln!(
                w,
                "{} = {{ dist = \"exponential\", mean_min = {} }}",
                c.name,
                num(patience)
            );
        }
        for c in spec
            .channels
            .iter()
            .filter(|c| c.kind != ChannelKind::Asynchronous)
        {
            let (_, share) = live_defaults(c.kind);
            let _ = writeln!(w);
            match message {
                Some(m) => {
                    let _ = writeln!(
                        w,
                        "# Outside opening hours {} is closed; {share} of those contacts leave a message ({m}).",
                        c.name
                    );
                }
                None => {
                    let _ = writeln!(
                        w,
                        "# Outside opening hours {} is closed and its contacts are turned away.",
                        c.name
                    );
                }
            }
            let _ = writeln!(w, "[access.{}]", c.name);
            let _ = writeln!(w, "min_agents_on_duty = 1");
            if message.is_some() {
                let _ = writeln!(w, "closed_message_share = {share}");
            }
        }
    }
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "# SLA clocks run in business hours (the opening hours above)."
    );
    let _ = writeln!(w, "[[calendars]]");
    let _ = writeln!(w, "name = \"business\"");
    let _ = writeln!(w, "timezone = {:?}", spec.timezone);
    let _ = writeln!(w, "days = {days}");
    let _ = writeln!(w, "start = \"{open}\"");
    let _ = writeln!(w, "end = \"{close}\"");
    for (p, fr, res) in [("P1", 1, 8), ("P2", 4, 24), ("P3", 8, 40), ("P4", 16, 80)] {
        let _ = writeln!(w);
        let _ = writeln!(w, "[[sla]]");
        let _ = writeln!(w, "priority = \"{p}\"");
        let _ = writeln!(
            w,
            "first_response = {{ target_hours = {fr}, goal = 0.90, clock = \"business\" }}"
        );
        let _ = writeln!(
            w,
            "resolution = {{ target_hours = {res}, goal = 0.90, clock = \"business\" }}"
        );
    }
    Ok(t)
}

#[cfg(test)]
mod tests;
