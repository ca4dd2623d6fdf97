//! `[tier0]`: a bot or knowledge base in front of the first human stage. Per channel it is
//! involved in a share of contacts and resolves a share of those (the easy ones first, by
//! `selectivity`); the rest reach a human after their time in the bot, with the clock
//! running from first contact. A contained contact may come back within the containment
//! window as a repeat contact on the same ticket.

use super::OrderedMap;
use crate::scenario::dist::DistSpec;
use serde::{Deserialize, Serialize};

/// `[tier0]`. Absent: no bot (required level 0 still means deflected by self-service, as in
/// files written before these keys existed).
///
/// Unknown keys are not refused by serde here: they are the per-channel tables
/// (`[tier0.email]`, `[tier0.phone]`: an IVR or voice bot), whose names the file decides;
/// validation reads each as a [`RawBotChannel`] and refuses any other key with the list of
/// settings and channels.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RawTier0 {
    /// Per channel, by its name: the bot's settings there. Default: no bot on any channel.
    #[serde(flatten)]
    pub channels: OrderedMap<toml::Value>,
    /// Per-segment overrides of `involvement` and `resolution` (for every channel with a bot).
    #[serde(default)]
    pub by_segment: OrderedMap<RawBotSegment>,
    /// Highest required level the bot can resolve, 1..=4; contacts needing more always leak.
    /// Default 1.
    #[serde(default = "one_level")]
    pub max_level: u8,
    /// Which contacts the bot resolves, by their drawn tier-1 work time: 0 = regardless of
    /// work time (uniform), 1 = strictly the shortest; in between, that share of decisions
    /// goes by work time and the rest are uniform. Default 0.
    #[serde(default)]
    pub selectivity: f64,
    /// Share of leaked contacts whose priority goes up one step (P3 to P2) because the
    /// customer is now angrier. Default 0.
    #[serde(default)]
    pub priority_bump_share: f64,
    /// Share of contained contacts that come back within the containment window, as a repeat
    /// contact on the same ticket that goes to the first human stage. Default 0.
    #[serde(default)]
    pub repeat_share: f64,
    /// Containment window [hours]: a repeat contact comes back uniformly within it after the
    /// bot conversation ends. Default 48.
    #[serde(default = "default_window")]
    pub containment_window_hours: f64,
    /// Price of one bot conversation [USD/conversation] (every involved contact). Default:
    /// none (no bot cost reported).
    #[serde(default)]
    pub cost_per_conversation_usd: Option<f64>,
}

/// `[tier0.<channel>]`: the bot on one channel.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBotChannel {
    /// Share of the channel's contacts that meet the bot, in [0, 1].
    pub involvement: f64,
    /// Share of involved contacts (of a required level up to `max_level`) that the bot
    /// resolves, in [0, 1].
    pub resolution: f64,
    /// Time a customer spends in the bot [minutes]. Default 0.
    #[serde(default)]
    pub time_in_bot_min: Option<DistSpec>,
    /// Maturity: the resolution the bot approaches as its knowledge base grows, in [0, 1];
    /// with `maturity_months`, resolution at t months after the run starts is
    /// `mature - (mature - resolution) x exp(-t / maturity_months)`. Default: no maturity.
    #[serde(default)]
    pub mature_resolution: Option<f64>,
    /// Time constant of the maturity curve [months of 30.44 days]. Required with
    /// `mature_resolution`.
    #[serde(default)]
    pub maturity_months: Option<f64>,
    /// Maturity as a list: the resolution in month 1, 2, ... after the run starts (months
    /// of 30.44 days; the last value holds afterwards). Replaces `resolution` for every
    /// segment. Default: none.
    #[serde(default)]
    pub resolution_by_month: Option<Vec<f64>>,
}

/// `[tier0.by_segment.<name>]`: the bot for one segment's contacts.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBotSegment {
    /// Replaces every channel's `involvement` for this segment.
    #[serde(default)]
    pub involvement: Option<f64>,
    /// Replaces every channel's `resolution` for this segment.
    #[serde(default)]
    pub resolution: Option<f64>,
}

fn one_level() -> u8 {
    1
}
fn default_window() -> f64 {
    48.0
}
