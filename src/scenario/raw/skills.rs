//! `[categories]`, `[routing]` and the `skills` of a pool: what a ticket is about, who can
//! work it, and in which order pools are offered it.

use super::{OrderedMap, RawChannelMix, RawLevelMix, RawWorkTime};
use serde::{Deserialize, Serialize};

/// `[categories]`: ticket categories (domains such as security or billing). Absent: one
/// default category, today's behaviour.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCategories {
    /// Category mix `{ general = 0.6, security = 0.05, ... }`, shares summing to 1. The
    /// category names are its keys, in the order written.
    pub mix: OrderedMap<f64>,
    /// Per-segment category mixes (the same category names); segments not listed use `mix`.
    #[serde(default)]
    pub by_segment: OrderedMap<OrderedMap<f64>>,
    /// Per-category settings; categories not listed keep the file's work times and mixes.
    #[serde(default)]
    pub profile: OrderedMap<RawCategoryProfile>,
}

/// `[categories.profile.<name>]`: how a category differs from the file's tickets.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCategoryProfile {
    /// Multiplies every tier work time of the category's tickets. Default 1.
    #[serde(default)]
    pub work_time_factor: Option<f64>,
    /// Required-level mix of the category's tickets (instead of the segment's).
    #[serde(default)]
    pub required_level: Option<RawLevelMix>,
    /// Channel mix of the category's tickets (instead of the segment's).
    #[serde(default)]
    pub channels: Option<RawChannelMix>,
}

/// `skills.<category>` of a `[[pools]]` entry: the pool serves that category, with this
/// proficiency.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSkill {
    /// Multiplies the work times of the category's tickets at this pool (after the pool's
    /// own `work_time_factor`). Default 1.
    #[serde(default)]
    pub work_time_factor: Option<f64>,
    /// Multiplies the pool's `resolve_factor` on the category's tickets. Default 1.
    #[serde(default)]
    pub resolve_factor: Option<f64>,
    /// The pool's own work time on the category's tickets (instead of the tier's), per
    /// channel with `default`.
    #[serde(default)]
    pub work_time: Option<RawWorkTime>,
}

/// Which waiting ticket a freed agent takes (`routing.next_ticket`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NextTicket {
    /// Its pool's skills in the order listed (primary first), each queue by priority then
    /// first in, first out.
    #[default]
    PrimaryFirst,
    /// The longest-waiting eligible ticket (highest priority class first).
    LongestWaiting,
}

/// Which free agent takes an arriving ticket (`routing.free_agent`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FreeAgent {
    /// The first eligible pool in the rule's order with a free agent.
    #[default]
    Preferred,
    /// The eligible pool with the largest share of its on-duty agents free (ties: the
    /// rule's order), spreading work over pools.
    LeastBusy,
}

/// `[routing]`: eligible pools per level and category, overflow delays, selection rules.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRouting {
    /// Which free agent takes an arriving ticket. Default `"preferred"`.
    #[serde(default)]
    pub free_agent: FreeAgent,
    /// Which waiting ticket a freed agent takes. Default `"primary_first"`.
    #[serde(default)]
    pub next_ticket: NextTicket,
    /// Routing rules; a (level, category) without one goes to the level's tier pool.
    #[serde(default)]
    pub rule: Vec<RawRule>,
}

/// `[[routing.rule]]`: who may take tickets of a category at a level, in order.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    /// Tier level (1..=3) the rule applies at.
    pub level: u8,
    /// Category name, or `"*"` for every category without a rule of its own at this level.
    pub category: String,
    /// Eligible pools, most preferred first.
    pub pools: Vec<RawRank>,
}

/// One eligible pool of a rule.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRank {
    /// Pool name.
    pub pool: String,
    /// Minutes a ticket waits at the level before this pool may take it [minutes]. Default
    /// 0; `inf` = never (a dedicated design written as a rule).
    #[serde(default)]
    pub after_min: f64,
}

/// `[skill_designs.<name>]`: a named cross-training design for `supportsim sweep --vary
/// skill_design=...` (ignored by every other command). Applied to the file's TOML before the
/// point's other settings; the result is validated like a file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSkillDesign {
    /// Pool changes, each a `[[pools]]` table with `name`: for a pool of the file its keys
    /// replace the file's (tables key by key, `shifts` by shift name, `skills` as a whole);
    /// with `from = "<pool>"` a new pool, a copy of that pool with these keys changed.
    #[serde(default)]
    pub pools: Vec<toml::Table>,
    /// The design's `[routing]`, replacing the file's as a whole. Default: the file's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routing: Option<RawRouting>,
}
