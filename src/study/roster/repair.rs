//! Simulate the roster, add agents where the simulation shows a shortfall, solve again.

use super::trim::{self, Trim};
use super::{Pattern, Roster, RosterError, build, model_pool, patterns, rostered_pools, scenario};
use crate::model::load::pool_loads;
use crate::montecarlo::{MonteCarlo, SummaryRow};
use crate::scenario::Scenario;
use crate::study::requirements::{self, Requirements};
use crate::study::staff::{
    CostModel, StaffError, Target, TargetResult, confirmation_seed, unreachable_targets,
};
use crate::study::sweep::PointResult;
use std::path::Path;

/// Minutes per week.
const WEEK_MIN: f64 = 7.0 * 1440.0;

/// What to roster against, on which random numbers.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Requirement settings (interval, week, live target).
    pub requirements: requirements::Settings,
    /// Targets the simulated roster must meet (parsed as `staff` does).
    pub targets: Vec<Target>,
    /// One-sided confidence of the bounds.
    pub confidence: f64,
    /// Seed of the repair rounds.
    pub seed: u64,
    /// Replications per round.
    pub replications: u32,
    /// Replications of the confirmation on a fresh seed.
    pub confirm_replications: u32,
    /// Most repair rounds after the first roster.
    pub max_repairs: u32,
    /// Most simulations of the trim once every target holds (0: no trim).
    pub max_trim_evaluations: u32,
}

/// The roster a run ends with: the trimmed one when there is a trim, else the last round's.
fn final_round<'a>(rounds: &'a [Round], trim: Option<&'a Trim>) -> &'a Round {
    trim.map_or_else(|| rounds.last().expect("at least one round"), |t| &t.round)
}

/// One simulated scenario checked against the targets.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// Cost of the scenario by [`CostModel::for_scenario`] of the base file.
    pub cost: f64,
    /// Per target, in order.
    pub targets: Vec<TargetResult>,
    /// Every target met.
    pub feasible: bool,
    /// Summary rows (means with 95% CIs) of every metric.
    pub summary: Vec<SummaryRow>,
    /// Replications stopped at the open-ticket cap.
    pub unstable: u32,
}

/// One round: a roster and its simulation on the round seed.
#[derive(Debug, Clone)]
pub struct Round {
    /// The roster.
    pub roster: Roster,
    /// Its simulation.
    pub eval: Evaluation,
    /// Per rostered file pool, the intervals raised by one agent after this round.
    pub raised: Vec<(usize, Vec<usize>)>,
}

/// The outcome of `roster`.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Interval requirements.
    pub requirements: Requirements,
    /// Every candidate pattern.
    pub patterns: Vec<Pattern>,
    /// The file's own shifts simulated on the round seed.
    pub file: Evaluation,
    /// Rounds in order: 0 is the program's answer to the requirements alone.
    pub rounds: Vec<Round>,
    /// The trim of the last round, when every target held and trimming was allowed.
    pub trim: Option<Trim>,
    /// Extra required agents per file pool per interval added by the repairs.
    pub extra: Vec<Vec<u32>>,
    /// The final roster ([`Outcome::last`]) on the fresh seed.
    pub confirmed: Evaluation,
    /// Seed of the confirmation.
    pub confirmation_seed: u64,
    /// Why the loop stopped.
    pub stop: Stop,
    /// Cost model of every evaluation.
    pub cost_model: CostModel,
}

/// Why the simulate-and-repair loop stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// Every target holds on the round seed.
    Met,
    /// `max_repairs` rounds done with a target failing.
    Limit,
    /// A target fails but no pool's queue shows a shortfall to add agents to.
    NoShortfall,
}

impl Outcome {
    /// The final roster: the trimmed one when there is a trim, else the last round's.
    pub fn last(&self) -> &Round {
        final_round(&self.rounds, self.trim.as_ref())
    }

    /// The last round of the program and its repairs (before any trim).
    pub fn repaired(&self) -> &Round {
        self.rounds.last().expect("at least one round")
    }
}

fn evaluate(
    s: &Scenario,
    targets: &[Target],
    confidence: f64,
    cost: CostModel,
    reps: u32,
    tick: &(dyn Fn() + Sync),
) -> (Evaluation, MonteCarlo) {
    let mc = MonteCarlo::run(s, reps, tick);
    let point = PointResult {
        summary: mc.summary(),
        values: mc.values.clone(),
        unstable: mc.unstable,
        tickets: mc.tickets,
    };
    let results: Vec<TargetResult> = targets
        .iter()
        .map(|t| t.check(&point, confidence))
        .collect();
    (
        Evaluation {
            cost: cost.cost(s),
            feasible: results.iter().all(|r| r.met),
            targets: results,
            summary: point.summary,
            unstable: mc.unstable,
        },
        mc,
    )
}

fn with_run(base: &Scenario, seed: u64, reps: u32, origin: &Path) -> Result<Scenario, RosterError> {
    let mut raw = base.raw.clone();
    raw.run.seed = seed;
    raw.run.replications = reps;
    Scenario::from_raw(raw, origin).map_err(|e| RosterError::Rostered(Box::new(e)))
}

/// Mean queue of model pool `m` per requirement interval of the typical week, averaged over
/// the measured weeks and replications (time-series samples folded onto the week).
pub fn queue_by_interval(mc: &MonteCarlo, s: &Scenario, m: usize, dt: f64, n: usize) -> Vec<f64> {
    let cols = mc.layout.columns.len();
    let Some(c) =
        mc.layout.columns.iter().position(|(k, g)| {
            *k == "queue_tickets" && g.pool.as_deref() == Some(&s.pools[m].name)
        })
    else {
        return vec![0.0; n];
    };
    let (from, to) = (s.run.warmup_min, s.run.warmup_min + s.run.horizon_min);
    let dts = s.run.interval_min;
    let (mut sum, mut cnt) = (vec![0.0; n], vec![0u32; n]);
    for (k, &t) in mc.layout.times.iter().enumerate() {
        let a = t - dts;
        if a < from - 1e-9 || t > to + 1e-9 {
            continue;
        }
        let q = mc.series.estimate(k * cols + c).0;
        if !q.is_finite() {
            continue;
        }
        let pos = (a - from).rem_euclid(WEEK_MIN);
        let j0 = (pos / dt + 1e-9).floor() as usize;
        let j1 = ((pos + dts) / dt - 1e-9).ceil().max(j0 as f64 + 1.0) as usize;
        for j in j0..j1 {
            let j = j % n;
            sum[j] += q;
            cnt[j] += 1;
        }
    }
    sum.iter()
        .zip(&cnt)
        .map(|(s, c)| if *c > 0 { s / f64::from(*c) } else { 0.0 })
        .collect()
}

/// Intervals of shortfall: mean queue at least half the pool's peak and at least 1 ticket.
pub fn shortfall(queue: &[f64]) -> Vec<usize> {
    let peak = queue.iter().copied().fold(0.0, f64::max);
    let bar = (0.5 * peak).max(1.0);
    (0..queue.len()).filter(|&j| queue[j] >= bar).collect()
}

/// Requirements, the least-cost roster, then simulate-and-repair and confirmation (see the
/// module docs of [`super`]). `tick` is called per replication, `wait` every
/// [`super::solve::POLL_MS`] ms while an integer program is solved.
///
/// # Errors
/// Bad settings or `[roster]` keys, targets no roster of these patterns can reach (refused
/// before simulating), a solver failure, or a rostered file that does not validate.
pub fn roster(
    base: &Scenario,
    origin: &Path,
    set: &Settings,
    tick: &(dyn Fn() + Sync),
    wait: &(dyn Fn() + Sync),
) -> Result<Outcome, RosterError> {
    if set.targets.is_empty() {
        return Err(StaffError::NoTargets.into());
    }
    if !(set.confidence > 0.5 && set.confidence <= crate::study::staff::MAX_CONFIDENCE) {
        return Err(StaffError::Confidence {
            confidence: set.confidence,
        }
        .into());
    }
    if set.replications < 2 || set.confirm_replications < 2 {
        return Err(StaffError::TooFewReplications.into());
    }
    let req = requirements::requirements(base, set.requirements)?;
    let pats = patterns(base, &req)?;
    for &p in &rostered_pools(base) {
        model_pool(base, p)?;
    }
    // Reach: the file with one agent on every pattern has every hour any roster can staff.
    let all = Roster {
        agents: vec![1; pats.len()],
        cost_per_week: 0.0,
        optimal: true,
        uncovered: Vec::new(),
    };
    let widest = scenario(base, &pats, &all, origin)?;
    let mut reasons = unreachable_targets(&widest, &set.targets);
    for r in &mut reasons {
        r.roster = true;
    }
    if !reasons.is_empty() {
        return Err(StaffError::NoHeadcountReaches { reasons }.into());
    }
    let cost_model = CostModel::for_scenario(base);
    let n = req.labels.len();
    let dt = req.settings.interval_min;
    let run = |s: &Scenario, seed: u64, reps: u32| -> Result<_, RosterError> {
        let s = with_run(s, seed, reps, origin)?;
        Ok(evaluate(
            &s,
            &set.targets,
            set.confidence,
            cost_model,
            reps,
            tick,
        ))
    };
    let (file, _) = run(base, set.seed, set.replications)?;
    let mut extra = vec![vec![0u32; n]; base.raw.pools.len()];
    let mut rounds: Vec<Round> = Vec::new();
    let (stop, last_mc) = loop {
        let r = build(base, &req, &pats, &extra, wait)?;
        let s = scenario(base, &pats, &r, origin)?;
        let (eval, mc) = run(&s, set.seed, set.replications)?;
        let feasible = eval.feasible;
        rounds.push(Round {
            roster: r,
            eval,
            raised: Vec::new(),
        });
        if feasible {
            break (Stop::Met, mc);
        }
        if rounds.len() > set.max_repairs as usize {
            break (Stop::Limit, mc);
        }
        let mut raised = Vec::new();
        for p in rostered_pools(base) {
            let m = model_pool(base, p)?;
            let q = queue_by_interval(&mc, &s, m, dt, n);
            let js = shortfall(&q);
            for &j in &js {
                extra[p][j] += 1;
            }
            if !js.is_empty() {
                raised.push((p, js));
            }
        }
        if raised.is_empty() {
            break (Stop::NoShortfall, mc);
        }
        rounds.last_mut().expect("pushed").raised = raised;
    };
    let mut trimmed = None;
    if stop == Stop::Met && set.max_trim_evaluations > 0 {
        let mut on_round_seed = |r: &Roster, pool: usize| {
            let s = scenario(base, &pats, r, origin)?;
            let m = model_pool(base, pool)?;
            let u = pool_loads(&s)[m].utilisation;
            if u >= 1.0 || u.is_nan() {
                return Ok(trim::Tried::Overloaded(u));
            }
            Ok(trim::Tried::Simulated(Box::new(run(
                &s,
                set.seed,
                set.replications,
            )?)))
        };
        let from = rounds.last().expect("one round");
        trimmed = Some(trim::trim(
            base,
            &pats,
            from,
            last_mc,
            dt,
            set.max_trim_evaluations,
            &mut on_round_seed,
        )?);
    }
    let cseed = confirmation_seed(set.seed);
    let mut on_fresh_seed = |r: &Roster| -> Result<Evaluation, RosterError> {
        let s = scenario(base, &pats, r, origin)?;
        Ok(run(&s, cseed, set.confirm_replications)?.0)
    };
    let mut confirmed = on_fresh_seed(&final_round(&rounds, trimmed.as_ref()).roster)?;
    if let Some(t) = trimmed.as_mut() {
        confirmed = trim::restore(t, confirmed, &mut on_fresh_seed)?;
    }
    Ok(Outcome {
        requirements: req,
        patterns: pats,
        file,
        rounds,
        trim: trimmed,
        extra,
        confirmed,
        confirmation_seed: cseed,
        stop,
        cost_model,
    })
}
