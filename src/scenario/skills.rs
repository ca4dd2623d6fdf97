//! Ticket categories, pool skills and skills-based routing after validation
//! (`[categories]`, `[[pools]] skills`, `[routing]`; README "Categories, skills and routing").
//!
//! Without `[categories]` and `[routing]` a scenario has no [`Skills`] and the engine keeps its
//! one queue per pool. With them every tier stage of the tiered model has one queue per
//! category, offered to the rule's pools in rank order, each rank after its overflow delay.

use super::Dist;
pub use super::raw::{FreeAgent, NextTicket};

/// Categories, proficiencies and routing rules of a scenario.
#[derive(Debug, Clone)]
pub struct Skills {
    /// Category names in file order (one `"default"` without `[categories]`).
    pub names: Vec<String>,
    /// Per segment: category probabilities (same order as `names`).
    pub mix: Vec<Vec<f64>>,
    /// Per category: how its tickets differ.
    pub profiles: Vec<CategoryProfile>,
    /// Per model pool, per category: the pool's proficiency, `None` when it lacks the skill.
    pub proficiency: Vec<Vec<Option<Proficiency>>>,
    /// Per tier (index into `Scenario::tiers`), per category: eligible pools in rank order.
    pub routes: Vec<Vec<Vec<Rank>>>,
    /// Which free agent takes an arriving ticket.
    pub free_agent: FreeAgent,
    /// Which waiting ticket a freed agent takes.
    pub next_ticket: NextTicket,
    /// Whether the engine routes tier stages by category (the tiered model); the swarm
    /// models use the rules only to pick helpers.
    pub queues_by_category: bool,
    /// Per model pool: the (tier, category) queues it may take from, in the order a freed
    /// agent scans them under `primary_first` (its skills in the order listed, then rank).
    pub scans: Vec<Vec<Scan>>,
}

/// One queue a pool may take from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scan {
    /// Tier index (the stage of the tiered model).
    pub tier: usize,
    /// Category index.
    pub cat: usize,
    /// The pool's overflow delay on this queue [minutes].
    pub after_min: f64,
    /// The pool's rank in the rule (0 = preferred).
    pub rank: usize,
}

/// How a category's tickets differ from the file's.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryProfile {
    /// Work-time multiplier of every tier's work.
    pub work_factor: f64,
    /// Channel mix instead of the segment's.
    pub channel: Option<Vec<f64>>,
    /// Required-level mix instead of the segment's.
    pub level: Option<[f64; 5]>,
}

/// A pool's proficiency on one category.
#[derive(Debug, Clone)]
pub struct Proficiency {
    /// Work-time multiplier: the pool's own factor x the skill's x the category's.
    pub work_factor: f64,
    /// Share of resolvable tickets resolved: the pool's factor x the skill's.
    pub resolve_factor: f64,
    /// The pool's own work time per channel on the category (instead of the tier's).
    pub work: Option<Vec<Dist>>,
}

/// One eligible pool of a routing rule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rank {
    /// Model pool index.
    pub pool: usize,
    /// Minutes waited at the stage before this pool may take the ticket (`INFINITY`: never).
    pub after_min: f64,
}

impl Skills {
    /// Number of categories.
    pub fn count(&self) -> usize {
        self.names.len()
    }

    /// Index of the (tier, category) queue among the category queues.
    #[inline]
    pub fn queue(&self, tier: usize, cat: usize) -> usize {
        tier * self.names.len() + cat
    }

    /// The proficiency of `pool` on category `cat`.
    ///
    /// # Panics
    /// When the pool lacks the skill: validation makes every routed pool hold it.
    #[inline]
    pub fn of(&self, pool: usize, cat: usize) -> &Proficiency {
        self.proficiency[pool][cat]
            .as_ref()
            .expect("validated: routed pools hold the skill")
    }
}
