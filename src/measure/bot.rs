//! Tier-0 measurement: what the bot did with the measured contacts of each channel, its
//! catalog entries (only for files with `[tier0]`, so other files keep their tables) and
//! their values.

use super::catalog::{GroupKey, Kind, Quantity};
use super::recorder::Recorder;
use crate::engine::Ticket;
use crate::engine::tier0::{BotPath, BotVisit};
use crate::scenario::{DAY_MIN, Scenario};

const WEEK_MIN: f64 = 7.0 * DAY_MIN;

/// First days of the weeks of the measured window when the bot matures (none otherwise):
/// net containment is then reported per week, so the maturity curve shows.
pub fn maturity_weeks(s: &Scenario) -> Vec<jiff::civil::Date> {
    if !s.tier0.as_ref().is_some_and(|b| b.matures()) {
        return Vec::new();
    }
    let n = ((s.run.horizon_min / WEEK_MIN) - 1e-9).ceil().max(1.0) as i64;
    let first_day = (s.run.warmup_min / DAY_MIN).floor() as i64;
    (0..n)
        .map(|w| {
            s.run
                .start_date
                .checked_add(jiff::Span::new().days(first_day + 7 * w))
                .unwrap_or(s.run.start_date)
        })
        .collect()
}

/// What tier 0 did with the measured contacts of one channel.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct BotCounts {
    /// Contacts on a channel with a bot (after the door, level-0 deflections excluded).
    pub offered: u64,
    /// Contacts that met the bot (bot conversations).
    pub involved: u64,
    /// Resolved by the bot and not back.
    pub contained: u64,
    /// Resolved by the bot, then back as a repeat contact.
    pub repeats: u64,
    /// Not resolved by the bot: on to a human.
    pub leaked: u64,
    /// Leaked contacts whose priority went up.
    pub bumped: u64,
    /// Minutes in the bot, summed over involved contacts.
    pub bot_min_sum: f64,
    /// First human response of contacts that met the bot (leaked or back), from first
    /// contact, summed [minutes].
    pub human_fr_sum: f64,
    /// Number of those first human responses.
    pub human_fr_n: u64,
}

impl BotCounts {
    fn add(&mut self, o: &BotCounts) {
        self.offered += o.offered;
        self.involved += o.involved;
        self.contained += o.contained;
        self.repeats += o.repeats;
        self.leaked += o.leaked;
        self.bumped += o.bumped;
        self.bot_min_sum += o.bot_min_sum;
        self.human_fr_sum += o.human_fr_sum;
        self.human_fr_n += o.human_fr_n;
    }
}

/// One tier-0 metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BotMetric {
    /// Involved / offered.
    Involvement,
    /// (Contained + repeats) / offered: containment as the bot reports it.
    Containment,
    /// Contained / offered: net of repeat contacts.
    NetContainment,
    /// Leaked / involved.
    Leakage,
    /// Repeat contacts.
    Repeats,
    /// Bot conversations.
    Conversations,
    /// Mean minutes in the bot per conversation.
    TimeInBot,
    /// Mean first human response of contacts that met the bot [minutes].
    HumanResponseAfterBot,
    /// Leaked contacts whose priority went up.
    Bumps,
    /// Price of the window's bot conversations [USD].
    Cost,
}

impl Recorder {
    /// Measured contact `t` met tier 0 on its channel (`v`: what the bot did).
    pub fn bot_visit(&mut self, t: &Ticket, v: &BotVisit) {
        if !self.bot_weeks.is_empty() {
            let w = ((t.arrival - self.window.0) / WEEK_MIN).max(0.0) as usize;
            let w = w.min(self.bot_weeks.len() - 1);
            self.bot_weeks[w].0 += 1;
            self.bot_weeks[w].1 += u64::from(v.path == BotPath::Contained);
        }
        let b = &mut self.bot[t.channel as usize];
        b.offered += 1;
        if !v.involved() {
            return;
        }
        b.involved += 1;
        b.bot_min_sum += v.minutes;
        match v.path {
            BotPath::Skipped => {}
            BotPath::Contained => b.contained += 1,
            BotPath::Repeat(_) => b.repeats += 1,
            BotPath::Leaked(bump) => {
                b.leaked += 1;
                b.bumped += u64::from(bump);
            }
        }
        if self.costs.is_some() {
            let w = self.week_of(t.arrival);
            self.week_bot[w] += 1;
        }
    }

    /// Measured contact `t` was resolved by the bot for good: it arrived and was deflected.
    pub fn contained(&mut self, t: &Ticket) {
        let i = t.priority as usize * self.segments + t.segment as usize;
        self.cells[i].arrived += 1;
        self.cells[i].deflected += 1;
    }

    /// The value of a tier-0 metric for one channel or all (`None`).
    pub(super) fn bot_value(&self, m: BotMetric, channel: Option<usize>) -> f64 {
        let mut b = BotCounts::default();
        match channel {
            Some(c) => b = self.bot[c],
            None => self.bot.iter().for_each(|x| b.add(x)),
        }
        let ratio = |a: u64, n: u64| {
            if n == 0 {
                f64::NAN
            } else {
                a as f64 / n as f64
            }
        };
        match m {
            BotMetric::Involvement => ratio(b.involved, b.offered),
            BotMetric::Containment => ratio(b.contained + b.repeats, b.offered),
            BotMetric::NetContainment => ratio(b.contained, b.offered),
            BotMetric::Leakage => ratio(b.leaked, b.involved),
            BotMetric::Repeats => b.repeats as f64,
            BotMetric::Conversations => b.involved as f64,
            BotMetric::TimeInBot => {
                if b.involved == 0 {
                    f64::NAN
                } else {
                    b.bot_min_sum / b.involved as f64
                }
            }
            BotMetric::HumanResponseAfterBot => {
                if b.human_fr_n == 0 {
                    f64::NAN
                } else {
                    b.human_fr_sum / b.human_fr_n as f64
                }
            }
            BotMetric::Bumps => b.bumped as f64,
            BotMetric::Cost => self.money().bot,
        }
    }
}

/// Catalog entries of tier 0 (none for files without `[tier0]`).
pub(super) fn bot_entries(
    s: &Scenario,
    push: &mut impl FnMut(&'static str, GroupKey, Quantity, Kind, Option<f64>, Option<(bool, usize)>),
) {
    let Some(bot) = &s.tier0 else { return };
    let channels: Vec<usize> = (0..s.channels.len()).filter(|&c| bot.on(c)).collect();
    let metrics: [(&'static str, BotMetric, Kind); 9] = [
        (
            "bot_involvement_rate",
            BotMetric::Involvement,
            Kind::Fraction,
        ),
        (
            "bot_containment_rate",
            BotMetric::Containment,
            Kind::Fraction,
        ),
        (
            "bot_net_containment_rate",
            BotMetric::NetContainment,
            Kind::Fraction,
        ),
        ("bot_leakage_rate", BotMetric::Leakage, Kind::Fraction),
        ("bot_repeat_contacts", BotMetric::Repeats, Kind::Count),
        ("bot_conversations", BotMetric::Conversations, Kind::Count),
        ("time_in_bot_min", BotMetric::TimeInBot, Kind::Duration),
        (
            "first_human_response_after_bot_min",
            BotMetric::HumanResponseAfterBot,
            Kind::Duration,
        ),
        ("bot_priority_bumps", BotMetric::Bumps, Kind::Count),
    ];
    for (metric, m, kind) in metrics {
        push(
            metric,
            GroupKey::all(),
            Quantity::Bot(m, None),
            kind,
            None,
            None,
        );
        if channels.len() > 1 {
            for &c in &channels {
                push(
                    metric,
                    GroupKey::channel(s.channels.name(c)),
                    Quantity::Bot(m, Some(c)),
                    kind,
                    None,
                    None,
                );
            }
        }
    }
    for (w, day) in maturity_weeks(s).iter().enumerate() {
        push(
            "bot_net_containment_rate",
            GroupKey::week(*day),
            Quantity::BotWeek(w),
            Kind::Fraction,
            None,
            None,
        );
    }
    if bot.cost_per_conversation.is_some() {
        push(
            "bot_cost_usd",
            GroupKey::all(),
            Quantity::Bot(BotMetric::Cost, None),
            Kind::Count,
            None,
            None,
        );
    }
}
