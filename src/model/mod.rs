//! Support models as routing policies.
//!
//! A model is a list of [`Stage`]s (where a ticket may be served, by which pool, under which
//! [`StageRule`]) plus one step function, [`plan_step`], that decides what the agent at a
//! stage does with a ticket and how the step ends ([`Outcome`]). The engine runs the step
//! function with the ticket's own random draws; the load estimate ([`load`]) runs the very
//! same function with every branch enumerated and mean times, so routing is written once.
//!
//! | model | stages |
//! |---|---|
//! | [`tiered`] | one tier stage per level, each on its own pool |
//! | [`pooled`] | tier stages; the first n share one merged pool and queue |
//! | [`swarm`] | an owner stage at level 1 that keeps the ticket and pulls in experts |
//! | [`hybrid`] | a tier stage at level 1, then an owner stage |

pub mod hybrid;
pub mod load;
pub mod load_incidents;
pub mod pooled;
pub mod swarm;
pub mod tiered;

use crate::scenario::{Dist, ModelKind, Scenario};

/// How a step ends: what happens to the ticket when the agent is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Resolved.
    Resolve,
    /// Handed to the next stage up (or to the vendor from the top stage).
    Escalate,
    /// The receiver sends it back down: the stage below re-writes the escalation.
    BounceBack,
    /// The owner hands it to the L4 vendor (no stage above to escalate to).
    Vendor,
    /// The owner asks for a swarm session with experts.
    Swarm,
    /// Triage classified the ticket: it goes to the tier it needs (or a wrong one).
    Routed,
    /// The receiver discovered a misroute: back to triage, or on to the right tier.
    Misrouted,
    /// A callback attempt found the customer unreachable (`[customers.callbacks]`; set by the
    /// engine, never planned by a model).
    Unreachable,
}

/// What the agent at a stage does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StageRule {
    /// Work its own level; escalate what needs more (tiered ladder).
    Tier,
    /// Keep the ticket: work every level up to the owner level in one go, then swarm.
    Owner,
    /// Classify the ticket and route it (the triage pool).
    Triage,
}

/// One place in a model where tickets queue and are served.
#[derive(Debug, Clone, PartialEq)]
pub struct Stage {
    /// Index into `Scenario::tiers` of the tier settings (work times, write-up, factors).
    pub tier: usize,
    /// Index into `Scenario::pools` of the pool serving it.
    pub pool: usize,
    /// What its agents do.
    pub rule: StageRule,
    /// Stage an escalation goes to (`None`: the vendor).
    pub up: Option<usize>,
    /// Stage a bounce back returns to.
    pub down: Option<usize>,
    /// Base of the stage's per-ticket random stream ids. Today's stages use their tier index,
    /// so results and common random numbers stay those of earlier versions; a new kind of
    /// stage takes a base of its own and leaves the others' streams untouched.
    pub stream: usize,
}

/// A model's stages, built once per scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// Stages; a ticket enters at index 0.
    pub stages: Vec<Stage>,
}

impl Policy {
    /// The policy of the scenario's model.
    pub fn new(s: &Scenario) -> Self {
        let mut stages = match s.model {
            ModelKind::Tiered => tiered::stages(s),
            ModelKind::PooledTiered => pooled::stages(s),
            ModelKind::Swarm => swarm::stages(s),
            ModelKind::Hybrid => hybrid::stages(s),
        };
        // A triage pool's stage goes after the model's, so theirs keep their indices.
        if let Some(pool) = s.triage.as_ref().and_then(|t| t.pool) {
            stages.push(Stage {
                tier: 0,
                pool,
                rule: StageRule::Triage,
                up: None,
                down: None,
                stream: TRIAGE_STREAM,
            });
        }
        Policy { stages }
    }

    /// Stages a ticket can queue at, from the first: a tier stage escalates into the next,
    /// an owner stage keeps its tickets (the stages above it only lend experts).
    pub fn queue_stages(&self) -> usize {
        let mut n = 0;
        for st in &self.stages {
            if st.rule == StageRule::Triage {
                break;
            }
            n += 1;
            if st.rule == StageRule::Owner {
                break;
            }
        }
        n
    }
}

/// The ladder shared by every model: one stage per tier, escalating upwards, on the tier's
/// pool, with the given rule per tier.
pub(crate) fn ladder(s: &Scenario, rule: impl Fn(usize) -> StageRule) -> Vec<Stage> {
    let n = s.tiers.len();
    (0..n)
        .map(|k| Stage {
            tier: k,
            pool: s.tiers[k].pool,
            rule: rule(k),
            up: (k + 1 < n).then_some(k + 1),
            down: k.checked_sub(1),
            stream: k,
        })
        .collect()
}

/// Stream base of tier 0 (the bot): above every tier index, so tier streams keep their numbers.
pub const BOT_STREAM: usize = 0x10;
/// Stream base of the triage stage.
pub const TRIAGE_STREAM: usize = 0x11;

/// Per-ticket random stream ids: one per (stage, activity), so the same activity of the same
/// ticket draws the same numbers under every model (common random numbers across designs),
/// however differently the models order the work.
#[inline]
pub const fn sid(stage_stream: usize, slot: u32) -> u32 {
    ((stage_stream as u32) << 8) | slot
}
/// Work-key slots.
pub mod slot {
    /// The stage's own work.
    pub const WORK: u32 = 0;
    /// Write-up when escalating.
    pub const WRITE_UP: u32 = 1;
    /// Re-gathering context after an escalation in.
    pub const REGATHER: u32 = 2;
    /// Re-writing an escalation that bounced back.
    pub const REWRITE: u32 = 3;
    /// Swarm session.
    pub const SESSION: u32 = 4;
    /// Owner's briefing of the helpers.
    pub const BRIEF: u32 = 5;
    /// Helper h's context switch uses slot `SWITCH + h`.
    pub const SWITCH: u32 = 16;
    /// Route-key slots.
    pub const ESCALATE: u32 = 0x40;
    /// A second escalation from a stage (after a bounce back).
    pub const ESCALATE_AGAIN: u32 = 0x41;
    /// Bounce-back decision.
    pub const BOUNCE: u32 = 0x42;
    /// Bounce-back delay.
    pub const BOUNCE_DELAY: u32 = 0x43;
    /// Helper count (not per stage).
    pub const HELPERS: u32 = 0x44;
    /// Owner solving alone after learning (not per stage).
    pub const LEARN: u32 = 0x45;
    /// A pool resolving less than its tier would (resolve factor).
    pub const QUALITY: u32 = 0x46;
    /// Leaving a message when the live channel is closed or full (not per stage).
    pub const ACCESS: u32 = 0x47;
    /// A misrouted ticket's receiver discovering the misroute (work key, per stage).
    pub const DISCOVER: u32 = 6;
    /// Handoff delay after a discovered misroute (route key, per stage).
    pub const MISROUTE_DELAY: u32 = 0x48;
    /// Triage (on [`super::TRIAGE_STREAM`]): classification `k` uses work slot
    /// `TRIAGE_CLASSIFY + k` and route slot `TRIAGE_ROUTE + k` (k capped at 63).
    pub const TRIAGE_CLASSIFY: u32 = 0x80;
    /// See [`TRIAGE_CLASSIFY`].
    pub const TRIAGE_ROUTE: u32 = 0xC0;
    /// Triage's priority correction (on the triage stream).
    pub const TRIAGE_PRIORITY: u32 = 0x49;
    /// Tier 0 (on [`super::BOT_STREAM`]): does the contact meet the bot.
    pub const BOT_INVOLVE: u32 = 0x40;
    /// Tier 0: does the bot decide this contact by its work time (selectivity).
    pub const BOT_SELECT: u32 = 0x41;
    /// Tier 0: the uniform that decides a contact the bot resolves regardless of work time.
    pub const BOT_RESOLVE: u32 = 0x42;
    /// Tier 0: the uniform that ranks tied work times.
    pub const BOT_TIE: u32 = 0x43;
    /// Tier 0: does a contained contact come back, and when.
    pub const BOT_REPEAT: u32 = 0x44;
    /// Tier 0: does a leaked contact's priority go up.
    pub const BOT_BUMP: u32 = 0x45;
    /// Customer behaviour (`[customers.*]`), per contact n: `sid(n, slot)`, where contact 0
    /// is the first (not per stage; far from the stage slots, so new stage slots stay free).
    /// Whether and when a failed contact is retried.
    pub const RETRY: u32 = 0x60;
    /// Whether a retrial switches to the other live channel.
    pub const RETRY_SWITCH: u32 = 0x61;
    /// Patience of a retrial (the first contact's comes from the patience stream).
    pub const RETRY_PATIENCE: u32 = 0x62;
    /// Leaving a message after abandoning a retrial (the first contact's uses `u32::MAX`).
    pub const ABANDON_MESSAGE: u32 = 0x63;
    /// Time until chaser n (route key).
    pub const CHASER: u32 = 0x64;
    /// Agent work reading and replying to chaser n (work key).
    pub const CHASER_READ: u32 = 0x65;
    /// Whether a voice customer accepts the callback offered on contact n (route key).
    pub const CALLBACK_ACCEPT: u32 = 0x66;
    /// Whether callback attempt n reaches the customer (route key).
    pub const CALLBACK_REACH: u32 = 0x67;
    /// Delay after failed callback attempt n (route key).
    pub const CALLBACK_RETRY: u32 = 0x68;
}

/// The randomness a step needs. The engine draws from the ticket's own streams; the load
/// estimate enumerates both sides of every decision with its probability and uses means.
pub trait Draws {
    /// A duration from `d` on work stream `stream` [minutes].
    fn time(&mut self, d: &Dist, stream: u32) -> f64;
    /// True with probability `p` on routing stream `stream` (a uniform draw below `p`).
    fn chance(&mut self, stream: u32, p: f64) -> bool;
}

/// What a step needs to know about the ticket.
#[derive(Debug, Clone, Copy)]
pub struct StepInput {
    /// Stage index.
    pub stage: usize,
    /// Required level (1..=4).
    pub level: usize,
    /// Channel index.
    pub channel: usize,
    /// How the ticket joined this stage.
    pub entry: crate::engine::Entry,
    /// Stages whose escalation in already bounced once (bit per stage).
    pub bounced: u8,
    /// Probability that an owner solves above its level alone (swarm learning).
    pub solo_p: f64,
    /// Triage classifications so far (picks the classification's stream).
    pub routes: u8,
    /// Under category routing: (serving pool, category), whose proficiency replaces the
    /// tier pool's work time and resolve factor.
    pub skill: Option<(u8, u8)>,
}

/// The stage triage sends a ticket of required level `level` to: the tier that level needs
/// (the top queue stage for the vendor's tickets), among the `queue_stages` first stages.
#[inline]
pub fn triage_target(level: usize, queue_stages: usize) -> usize {
    level.clamp(1, queue_stages) - 1
}

/// What the agent does: work of `work_min` (before proficiency factors), then `outcome`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step {
    /// Agent minutes of the step before the pool's work-time factor.
    pub work_min: f64,
    /// How it ends.
    pub outcome: Outcome,
    /// The escalation in bounced: set this stage's bit in `bounced`.
    pub bounces: bool,
}

/// The step of ticket `t` at its stage: re-write a bounced escalation, or re-gather an
/// escalation in (which may bounce back), then the stage rule's work.
#[inline(always)]
pub fn plan_step<D: Draws>(s: &Scenario, p: &Policy, t: &StepInput, d: &mut D) -> Step {
    use crate::engine::Entry;
    let stage = &p.stages[t.stage];
    let tier = &s.tiers[stage.tier];
    let st = stage.stream;
    if stage.rule == StageRule::Triage {
        let k = u32::from(t.routes.min(63));
        let tr = s.triage.as_ref().expect("a triage stage implies [triage]");
        return Step {
            work_min: d.time(&tr.classify[t.channel], sid(st, slot::TRIAGE_CLASSIFY + k)),
            outcome: Outcome::Routed,
            bounces: false,
        };
    }
    if t.entry == Entry::Misrouted {
        let tr = s.triage.as_ref().expect("a misroute implies [triage]");
        return Step {
            work_min: tr.discovery_share * d.time(&tier.work[t.channel], sid(st, slot::DISCOVER)),
            outcome: Outcome::Misrouted,
            bounces: false,
        };
    }
    if t.entry == Entry::Returned {
        return Step {
            work_min: d.time(&tier.write_up, sid(st, slot::REWRITE)),
            outcome: Outcome::Escalate,
            bounces: false,
        };
    }
    let mut dur = 0.0;
    if t.entry == Entry::Escalated {
        dur += d.time(&tier.regather, sid(st, slot::REGATHER));
        let bit = 1u8 << t.stage;
        if t.bounced & bit == 0
            && s.escalation.bounce_back_p > 0.0
            && d.chance(sid(st, slot::BOUNCE), s.escalation.bounce_back_p)
        {
            return Step {
                work_min: dur,
                outcome: Outcome::BounceBack,
                bounces: true,
            };
        }
    }
    let outcome = match stage.rule {
        StageRule::Tier => tiered::work(s, p, t, &mut dur, d),
        StageRule::Owner => swarm::owner_work(s, p, t, &mut dur, d),
        StageRule::Triage => unreachable!("triage returned above"),
    };
    Step {
        work_min: dur,
        outcome,
        bounces: false,
    }
}
