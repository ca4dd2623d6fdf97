//! `[access.<live channel>]` (`[access.chat]`, `[access.phone]` by default): how customers
//! reach a live channel. When it is open (a calendar of opening hours), how many may wait at
//! once (a queue limit), and what those who find it closed or full do: leave a message (a
//! ticket on the first asynchronous channel) or go away.

use serde::{Deserialize, Serialize};

/// `[access]`: one optional table per live channel, keyed by its name (`[access.chat]`).
/// Absent: always open, no queue limit (the behaviour of files written before these keys
/// existed).
pub type RawAccess = super::OrderedMap<RawChannelAccess>;

/// Access rules of one live channel.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawChannelAccess {
    /// Name of a `[[calendars]]` entry: the channel's opening hours. Outside them an arriving
    /// contact is not offered live service. Default: open 24x7.
    #[serde(default)]
    pub hours: Option<String>,
    /// Share of contacts finding the channel closed that leave a message, which becomes an
    /// asynchronous ticket with the same attributes and arrival time; the rest are turned away.
    /// Default 0.
    #[serde(default)]
    pub closed_message_share: f64,
    /// At most this many contacts of the channel wait at the entry stage's pool [contacts];
    /// an arrival that finds that many waiting is blocked. Default: no limit.
    #[serde(default)]
    pub queue_limit: Option<u32>,
    /// Share of blocked contacts that leave a message (an asynchronous ticket); the rest are lost.
    /// Default 0.
    #[serde(default)]
    pub blocked_message_share: f64,
    /// The channel also counts as closed while fewer than this many agents of the entry
    /// stage's pool are on duty [agents] (it closes early when a shift thins out). Default 0.
    #[serde(default)]
    pub min_agents_on_duty: u32,
}
