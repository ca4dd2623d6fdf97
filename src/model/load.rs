//! Expected load per pool, derived from the model's own step function.
//!
//! For each ticket kind (segment, channel, required level) the walk follows the ticket
//! through the stages with [`plan_step`] run under an enumerating [`Draws`]: every decision
//! (bounce back, resolve factor, learning) is taken both ways with its probability, every
//! duration is its mean. So the estimate `validate` prints, the overload warnings and the
//! staffing search's Erlang start cannot drift from what the engine does.

use super::{Draws, Outcome, Policy, StageRule, StepInput, plan_step, swarm, triage_target};
use crate::engine::Entry;
use crate::scenario::analysis::mean_arrival_rate;
use crate::scenario::raw::Reroute;
use crate::scenario::{DAY_MIN, Dist, Scenario};

/// One category's walk in the load estimate: (category, share of the segment's tickets,
/// channel mix, required-level mix).
type CategoryWalk<'m> = (Option<usize>, f64, &'m [f64], [f64; 5]);

/// Estimated load on one pool over the measured window.
#[derive(Debug, Clone, PartialEq)]
pub struct PoolLoad {
    /// Pool name.
    pub pool: String,
    /// Tier level the pool staffs (0 when it staffs none).
    pub level: u8,
    /// Ticket visits to the pool's queue [tickets/week] (a merged pool counts a ticket once
    /// per stage it works; a bounce back's return visit is not counted again).
    pub tickets_per_week: f64,
    /// Mean agent-minutes of work per visit, swarm help (and incident response teams' held
    /// time) included [minutes].
    pub work_per_ticket_min: f64,
    /// Offered load [erlangs] = arrival rate x work per ticket.
    pub offered_erlangs: f64,
    /// Mean agents on duty over the window [agents].
    pub mean_staffed: f64,
    /// Offered load / (mean staffed x occupancy cap) (infinite with work and no staff).
    pub utilisation: f64,
}

/// Draws for the estimate: mean durations, and decisions replayed from a script so that
/// [`branches`] can enumerate every path of one step.
struct Enumerate<'a> {
    script: &'a mut Vec<bool>,
    /// Probability of each scripted decision being true.
    probs: &'a mut Vec<f64>,
    pos: usize,
}

impl Draws for Enumerate<'_> {
    fn time(&mut self, d: &Dist, _stream: u32) -> f64 {
        d.mean()
    }
    fn chance(&mut self, _stream: u32, p: f64) -> bool {
        if p <= 0.0 {
            return false;
        }
        if p >= 1.0 {
            return true;
        }
        if self.pos == self.script.len() {
            self.script.push(true);
            self.probs.push(p);
        }
        let b = self.script[self.pos];
        self.pos += 1;
        b
    }
}

/// Every way one step can go, with its probability: `(probability, step)`.
fn branches(s: &Scenario, p: &Policy, t: &StepInput) -> Vec<(f64, super::Step)> {
    let mut out = Vec::new();
    let (mut script, mut probs) = (Vec::new(), Vec::new());
    loop {
        let mut d = Enumerate {
            script: &mut script,
            probs: &mut probs,
            pos: 0,
        };
        let step = plan_step(s, p, t, &mut d);
        let used = d.pos;
        script.truncate(used);
        probs.truncate(used);
        let weight: f64 = script
            .iter()
            .zip(&probs)
            .map(|(&b, &q)| if b { q } else { 1.0 - q })
            .product();
        out.push((weight, step));
        // Depth-first: flip the last decision taken true; drop those after it.
        match script.iter().rposition(|&b| b) {
            Some(i) => {
                script.truncate(i + 1);
                probs.truncate(i + 1);
                script[i] = false;
            }
            None => return out,
        }
    }
}

/// Where the walk is: a ticket kind at a stage, with the probability mass still there.
#[derive(Clone, Copy)]
pub(super) struct At {
    pub(super) stage: usize,
    pub(super) entry: Entry,
    pub(super) bounced: u8,
    /// Stages visited (bit per stage), for counting queue visits once.
    pub(super) visited: u8,
    pub(super) mass: f64,
    /// Added to the first step's work [minutes]: tier 0 resolving the short contacts first
    /// leaves those reaching a human a different mean tier-1 work time.
    pub(super) first_adj: f64,
}

/// Offered load per pool over the measured window, following each ticket kind's path
/// through the scenario's model. Learning is taken at zero (owners never solve above their
/// level alone), so for swarms with learning this is an upper bound; proficiency ramps are
/// taken at the middle of the window; chats under concurrency take 1/k of an agent (full
/// packing).
pub fn pool_loads(s: &Scenario) -> Vec<PoolLoad> {
    let policy = Policy::new(s);
    let (from, to) = (s.run.warmup_min, s.run.window_end_min());
    let lambda = mean_arrival_rate(s, from, to);
    // A trace's own segment x channel mix in the window replaces the keys' (the level mix
    // still comes from the keys: a trace row without `required_level` draws it from them).
    let tmix = crate::scenario::analysis::trace_mix(s, from, to);
    let np = s.pools.len();
    let mut reach = vec![0.0; np];
    let mut work = vec![0.0; np];
    for (sg, (w, mix)) in s
        .demand
        .segment_probs
        .iter()
        .zip(&s.demand.mixes)
        .enumerate()
    {
        // Under category routing each category walks with its own mixes and pools.
        let cats: Vec<CategoryWalk> = match &s.skills {
            Some(k) if k.queues_by_category => (0..k.count())
                .map(|cat| {
                    let p = &k.profiles[cat];
                    let ch = p.channel.as_deref().unwrap_or(&mix.channel);
                    let lv = p.level.unwrap_or(mix.level);
                    (Some(cat), k.mix[sg][cat], ch, lv)
                })
                .collect(),
            _ => vec![(None, 1.0, &mix.channel, mix.level)],
        };
        for (cat, pk, channels, levels) in cats {
            for (c, pc) in channels.iter().enumerate() {
                for (lvl, pl) in levels.iter().enumerate().skip(1) {
                    let mass = match &tmix {
                        Some(m) if cat.is_none() => m[sg][c] * pl,
                        _ => w * pk * pc * pl,
                    };
                    let mut todo = first_visits(s, &policy, (sg, c, lvl), mass);
                    while let Some(at) = todo.pop() {
                        walk(
                            s,
                            &policy,
                            (lvl, c, cat),
                            at,
                            (from, to),
                            (&mut reach, &mut work),
                            None,
                            &mut todo,
                        );
                    }
                }
            }
        }
    }
    // Incident tickets, as rates of their own (files without `[incidents]` keep their
    // numbers bit for bit: the sums below are then the old ones).
    let (mut inc_reach, mut inc_work) = (vec![0.0; np], vec![0.0; np]);
    super::load_incidents::add_incident_load(s, &policy, (from, to), &mut inc_reach, &mut inc_work);
    s.pools
        .iter()
        .enumerate()
        .map(|(pi, pool)| {
            let level = s
                .tiers
                .iter()
                .position(|t| t.pool == pi)
                .map_or(0, |k| k as u8 + 1);
            // Experts who only join swarms have load but no tickets of their own.
            let (mut rate, mut wpt) = if reach[pi] > 0.0 {
                (lambda * reach[pi], work[pi] / reach[pi])
            } else {
                (0.0, 0.0)
            };
            let mut offered = lambda * work[pi];
            if s.incidents.is_some() {
                rate = lambda * reach[pi] + inc_reach[pi];
                offered += inc_work[pi];
                wpt = if rate > 0.0 {
                    (lambda * work[pi] + inc_work[pi]) / rate
                } else {
                    0.0
                };
            }
            let staffed = pool.mean_staffed(from, to);
            PoolLoad {
                pool: pool.name.clone(),
                level,
                tickets_per_week: rate * 7.0 * DAY_MIN,
                work_per_ticket_min: wpt,
                offered_erlangs: offered,
                mean_staffed: staffed,
                utilisation: if staffed > 0.0 {
                    offered / (staffed * pool.max_occupancy)
                } else if offered > 0.0 {
                    f64::INFINITY
                } else {
                    0.0
                },
            }
        })
        .collect()
}

/// Expected agent work per arriving ticket of one segment and channel, split by pool and by
/// whether it is the ticket's first step (stage 0, new: what a live customer waits for) or
/// later work (escalations, returns, swarm sessions).
#[derive(Debug, Clone, PartialEq)]
pub struct WorkSplit {
    /// `first[pool]`: agent-minutes per arriving ticket of the kind at its first step, before
    /// chat concurrency (a chat's whole duration) [minutes/ticket].
    pub first: Vec<f64>,
    /// `later[pool]`: agent-minutes per arriving ticket of everything after the first step,
    /// before chat concurrency [minutes/ticket].
    pub later: Vec<f64>,
}

/// [`WorkSplit`] per segment and channel (`[segment][channel]`), from the same walk as
/// [`pool_loads`]: per ticket *arriving* in that segment and channel (deflected level-0
/// tickets count as arrivals with no work), so multiplying by the segment's and channel's
/// arrival rate gives erlangs.
pub fn work_split(s: &Scenario) -> Vec<Vec<WorkSplit>> {
    let policy = Policy::new(s);
    let (from, to) = (s.run.warmup_min, s.run.window_end_min());
    let np = s.pools.len();
    let empty = || WorkSplit {
        first: vec![0.0; np],
        later: vec![0.0; np],
    };
    let mut out = Vec::with_capacity(s.demand.mixes.len());
    for (sg, mix) in s.demand.mixes.iter().enumerate() {
        let mut per: Vec<WorkSplit> = (0..s.channels.len()).map(|_| empty()).collect();
        for (c, split) in per.iter_mut().enumerate() {
            let (mut reach, mut work) = (vec![0.0; np], vec![0.0; np]);
            for (lvl, pl) in mix.level.iter().enumerate().skip(1) {
                let mut todo = first_visits(s, &policy, (sg, c, lvl), *pl);
                while let Some(at) = todo.pop() {
                    walk(
                        s,
                        &policy,
                        (lvl, c, None),
                        at,
                        (from, to),
                        (&mut reach, &mut work),
                        Some(&mut *split),
                        &mut todo,
                    );
                }
            }
        }
        out.push(per);
    }
    out
}

/// The first stage visits of `mass` new tickets of segment `sg`, channel `c` and required
/// level `lvl`: after the bot (the share that reaches humans, with easy-first deflection's
/// shift of the first work time), at triage when there is a triage pool, already routed when
/// triage is automatic. Empty when no such ticket reaches a human.
fn first_visits(
    s: &Scenario,
    policy: &Policy,
    (sg, c, lvl): (usize, usize, usize),
    mass: f64,
) -> Vec<At> {
    let (human, first_adj) = tier0_human(s, sg, c, lvl);
    let mass = mass * human;
    let mut todo = Vec::new();
    if mass == 0.0 {
        return todo;
    }
    let start = At {
        stage: 0,
        entry: Entry::New,
        bounced: 0,
        visited: 0,
        mass,
        first_adj,
    };
    match &s.triage {
        None => todo.push(start),
        Some(tr) if tr.pool.is_some() => todo.push(At {
            stage: policy.stages.len() - 1,
            ..start
        }),
        Some(_) => routed(s, policy, lvl, start, &mut todo),
    }
    todo
}

/// One stage visit of the walk: adds the step's expected agent work to the stage's pool (and
/// a swarm's to its experts) and queues the visits the outcomes lead to. With `split`, the
/// same work is also added, without the chat-concurrency share, to the first-step or later
/// side of [`WorkSplit`] (kept apart so `pool_loads` sums exactly as before).
#[allow(clippy::too_many_arguments)]
pub(super) fn walk(
    s: &Scenario,
    policy: &Policy,
    (level, channel, cat): (usize, usize, Option<usize>),
    at: At,
    window: (f64, f64),
    (reach, work): (&mut [f64], &mut [f64]),
    mut split: Option<&mut WorkSplit>,
    todo: &mut Vec<At>,
) {
    let first = at.stage == 0 && at.entry == Entry::New;
    let stage = &policy.stages[at.stage];
    let tier = &s.tiers[stage.tier];
    let pool = stage.pool;
    // Proficiency (and a ramp, at the middle of the window) scales all work; chats under
    // concurrency take 1/k of an agent, as the engine's packing does at full load.
    let mut speed = tier.factor_at(0.5 * (window.0 + window.1));
    // Under category routing the (tier, category) rule's pools without a delay share the
    // work in proportion to their agents on duty (later ranks take overflow only: counted
    // at zero), each at its own proficiency.
    let by_cat = cat.and_then(|c| routed_split(s, stage.tier, c, window));
    if let Some((_, f)) = &by_cat {
        speed = *f;
    }
    let share = if s.channels.is_chat(channel) {
        1.0 / f64::from(s.pools[pool].chat_concurrency.max(1))
    } else {
        1.0
    };
    let bit = 1u8 << at.stage;
    let mut visited = at.visited;
    if visited & bit == 0 {
        match &by_cat {
            Some((pools, _)) => pools.iter().for_each(|&(p, w)| reach[p] += at.mass * w),
            None => reach[pool] += at.mass,
        }
        visited |= bit;
    }
    let input = StepInput {
        stage: at.stage,
        level,
        channel,
        entry: at.entry,
        bounced: at.bounced,
        solo_p: 0.0,
        routes: 0,
        skill: None,
    };
    for (q, step) in branches(s, policy, &input) {
        let mass = at.mass * q;
        if mass <= 0.0 {
            continue;
        }
        // Triage's own step does no tier work (and no proficiency factor applies to it).
        let agent_min = if stage.rule == StageRule::Triage {
            step.work_min
        } else {
            (step.work_min + at.first_adj) * speed
        };
        match &by_cat {
            Some((pools, _)) => {
                for &(p, w) in pools {
                    work[p] += mass * agent_min * share * w;
                }
            }
            None => work[pool] += mass * agent_min * share,
        }
        if let Some(sp) = split.as_deref_mut() {
            let side = if first { &mut sp.first } else { &mut sp.later };
            side[pool] += mass * agent_min;
        }
        let bounced = at.bounced | if step.bounces { bit } else { 0 };
        let next = |stage: usize, entry: Entry| At {
            stage,
            entry,
            bounced,
            visited,
            mass,
            first_adj: 0.0,
        };
        match step.outcome {
            Outcome::Routed => routed(
                s,
                policy,
                level,
                At {
                    first_adj: at.first_adj,
                    ..next(0, Entry::New)
                },
                todo,
            ),
            Outcome::Misrouted => {
                let tr = s.triage.as_ref().expect("a misroute implies [triage]");
                match (tr.reroute, tr.pool) {
                    // A geometric tail of re-classifications: drop what is negligible.
                    (Reroute::BackToTriage, Some(_)) if mass >= 1e-12 => {
                        todo.push(next(policy.stages.len() - 1, Entry::New))
                    }
                    (Reroute::BackToTriage, Some(_)) => {}
                    (Reroute::BackToTriage, None) => {
                        routed(s, policy, level, next(0, Entry::New), todo)
                    }
                    (Reroute::RightTier, _) => todo.push(next(
                        triage_target(level, policy.queue_stages()),
                        Entry::New,
                    )),
                }
            }
            // A failed callback attempt is the engine's, never a planned step.
            Outcome::Resolve | Outcome::Vendor | Outcome::Unreachable => {}
            Outcome::Escalate => {
                if let Some(up) = stage.up {
                    todo.push(next(up, Entry::Escalated));
                }
            }
            Outcome::BounceBack => {
                if let Some(down) = stage.down {
                    todo.push(next(down, Entry::Returned));
                }
            }
            Outcome::Swarm => {
                // The session occupies the owner (whole agent, no proficiency factor) and
                // each helper, who then needs its context switch.
                let w = s
                    .swarm
                    .as_ref()
                    .expect("swarm outcome implies swarm settings");
                debug_assert_eq!(stage.rule, StageRule::Owner);
                let expert = swarm::expert_stage(s, level);
                let occupied = swarm::session_min(s, policy, expert, channel, &mut MeanDraws);
                work[pool] += mass * occupied;
                work[policy.stages[expert].pool] +=
                    mass * w.helpers_mean * (occupied + w.context_switch.mean());
                if let Some(sp) = split.as_deref_mut() {
                    sp.later[pool] += mass * occupied;
                    sp.later[policy.stages[expert].pool] +=
                        mass * w.helpers_mean * (occupied + w.context_switch.mean());
                }
            }
        }
    }
}

/// Where triage sends the mass of `at`: the right tier, or a wrong one (each equally likely)
/// entered as a misroute. Mass below 1e-12 of a ticket kind is dropped (a geometric tail of
/// re-classifications).
fn routed(s: &Scenario, policy: &Policy, level: usize, at: At, todo: &mut Vec<At>) {
    if at.mass < 1e-12 {
        return;
    }
    let tr = s.triage.as_ref().expect("routing implies [triage]");
    let qs = policy.queue_stages();
    let right = triage_target(level, qs);
    let p = if qs > 1 { tr.misroute_p } else { 0.0 };
    todo.push(At {
        stage: right,
        entry: Entry::New,
        mass: at.mass * (1.0 - p),
        ..at
    });
    if p > 0.0 {
        for k in (0..qs).filter(|&k| k != right) {
            todo.push(At {
                stage: k,
                entry: Entry::Misrouted,
                mass: at.mass * p / (qs - 1) as f64,
                first_adj: 0.0,
                ..at
            });
        }
    }
}

/// Share of one ticket kind (segment, channel, required level) that tier 0 leaves to
/// humans, and how much its first human step's mean work differs from the tier-1 mean
/// (`(1, 0)` without a bot on the channel).
fn tier0_human(s: &Scenario, segment: usize, channel: usize, level: usize) -> (f64, f64) {
    let Some(bot) = &s.tier0 else {
        return (1.0, 0.0);
    };
    let Some(b) = &bot.channels[channel] else {
        return (1.0, 0.0);
    };
    if level > bot.max_level as usize {
        return (1.0, 0.0);
    }
    let (human, mean) = crate::scenario::tier0::human_work(
        &b.rank,
        bot.involvement[segment][channel],
        bot.load_resolution[segment][channel],
        bot.selectivity,
        bot.repeat_p,
    );
    (human, mean - s.tiers[0].work[channel].mean())
}

/// Mean durations, no decisions (sessions have none).
struct MeanDraws;

impl Draws for MeanDraws {
    fn time(&mut self, d: &Dist, _stream: u32) -> f64 {
        d.mean()
    }
    fn chance(&mut self, _stream: u32, p: f64) -> bool {
        p >= 1.0
    }
}

/// The pools sharing the work of category `cat` at tier `tier` under category routing, with
/// their shares (by mean agents on duty among the rule's pools without a delay), and the
/// share-weighted work-time factor; `None` when the tier does not route by category.
pub(super) fn routed_split(
    s: &Scenario,
    tier: usize,
    cat: usize,
    (from, to): (f64, f64),
) -> Option<(Vec<(usize, f64)>, f64)> {
    let k = s.skills.as_ref().filter(|k| k.queues_by_category)?;
    let ranks = k.routes.get(tier)?.get(cat)?;
    let mut pools: Vec<(usize, f64)> = ranks
        .iter()
        .filter(|r| r.after_min == 0.0)
        .map(|r| (r.pool, s.pools[r.pool].mean_staffed(from, to)))
        .collect();
    let total: f64 = pools.iter().map(|x| x.1).sum();
    if pools.is_empty() || total <= 0.0 {
        pools = vec![(ranks[0].pool, 1.0)];
    } else {
        pools.iter_mut().for_each(|x| x.1 /= total);
    }
    let factor = pools
        .iter()
        .map(|&(p, w)| w * k.of(p, cat).work_factor)
        .sum();
    Some((pools, factor))
}
