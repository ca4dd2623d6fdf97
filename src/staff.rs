//! Staffing search: the lowest-cost headcount per pool such that every target holds with its
//! one-sided confidence bound on the right side.
//!
//! # Targets
//! `<what> <op> <number>` with `op` one of `>=`, `<=` (see [`parse_target`]):
//! `first_response.P1.attainment >= 0.95`, `resolution.all.p90_hours <= 24`,
//! `abandonment <= 0.05`, `utilisation.l2 <= 0.85`. A `>=` target holds when the lower
//! one-sided bound `mean - t(conf, n-1) x SE` over replications is at or above the threshold;
//! a `<=` target when the upper bound `mean + t x SE` is at or below it. The margin is
//! `bound - threshold` (for `>=`) or `threshold - bound` (for `<=`): non-negative when met.
//!
//! # Search
//! Only the headcounts of the searched pools change (`pools.<name>.headcount` of the file, or
//! for a pool staffed by shifts each shift's `pools.<name>.shifts.<shift>.headcount`,
//! the agents on duty during the pool's hours); every other key stays as in the file.
//! 1. **Start** (Erlang-based): per pool, the smallest headcount whose estimated occupancy
//!    (offered load in erlangs from [`pool_loads`] over the agents it keeps on duty on
//!    average) is at most [`PLANNING_OCCUPANCY`]. Occupancy rather than Erlang C on a busy
//!    hour, because support pools staff only part of the week while tickets keep arriving:
//!    the backlog carried into opening hours is what the pool must absorb, which the mean
//!    load over on-duty time captures and a steady-state busy-hour queue does not.
//! 2. **Evaluate** a headcount vector by running the scenario with the same seed and
//!    replications as every other candidate (common random numbers) and computing each
//!    target's bound and margin. Evaluations are cached by headcount vector; the count
//!    reported is of distinct vectors simulated.
//! 3. **Repair** (marginal analysis) while infeasible: evaluate +1 agent in each pool and take
//!    the pool with the largest drop in total normalised shortfall (sum over targets of
//!    `max(0, -margin) / |threshold|`) per unit of added cost; ties go to the earlier pool.
//!    A pool may not exceed [`cap`] (10x its start, at least 10, at most 1,000): reaching it
//!    with targets still failing is an error naming the worst target.
//! 4. **Descent**: try removing one agent from each pool, largest cost saving first, and keep
//!    the first removal that stays feasible; repeat until no single removal does. Then try
//!    swaps (-1 in one pool, +1 in another) that lower the cost, or keep it equal and give a
//!    lexicographically smaller vector; after an accepted swap, descend again. No pool goes
//!    below its [`stability_floor`] (estimated utilisation below 1): an overloaded pool can
//!    *improve* time metrics over resolved tickets, because its slow tickets never resolve.
//! 5. **Confirm** on fresh random numbers: seed [`confirmation_seed`] (the search seed plus
//!    1,000,000) with the confirmation replications. If a target fails there, agents are added
//!    by marginal analysis on the confirmation seed until all hold (bounded by the caps), and
//!    the outcome says how many were added.
//!
//! Cost is [`CostModel::LabourUsdPerWeek`] when the file prices every pool by the hour
//! (internal `cost_per_hour_usd` or an outsourced `price_per_logged_hour_usd`), else
//! [`CostModel::AgentHoursPerWeek`] ([`crate::sweep::agent_hours_per_week`]). Ties in cost between vectors are broken lexicographically (smaller headcount
//! in the first searched pool first).

use crate::engine::Catalog;
use crate::scenario::Scenario;
use crate::scenario::analysis::pool_loads;
use crate::stats::summary::Estimate;
use crate::sweep::{self, PointResult};
use statrs::distribution::{ContinuousCDF, StudentsT};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use toml::Value;

/// Planning occupancy of the Erlang-based start: the highest estimated share of on-duty time
/// an agent may be busy.
pub const PLANNING_OCCUPANCY: f64 = 0.85;

/// Largest headcount the search gives any pool.
pub const MAX_HEADCOUNT: u32 = 1_000;

/// Most marginal-analysis steps of one repair.
const MAX_REPAIR_STEPS: usize = 2_000;

/// The headcount cap of a pool whose search starts at `start`: 10x the start, at least 10,
/// at most [`MAX_HEADCOUNT`].
pub fn cap(start: u32) -> u32 {
    start.saturating_mul(10).clamp(10, MAX_HEADCOUNT)
}

/// The seed of the confirmation run: `seed + 1,000,000` (wrapping, kept within TOML's integer
/// range), so the confirmation sees random numbers the search never saw.
pub fn confirmation_seed(seed: u64) -> u64 {
    seed.wrapping_add(1_000_000) & (i64::MAX as u64)
}

/// What a staffing vector costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CostModel {
    /// Paid agent-hours per week ([`sweep::agent_hours_per_week`]).
    AgentHoursPerWeek,
    /// Labour cost per week [USD/week]: internal pools' scheduled hours x `cost_per_hour_usd`
    /// plus hourly contracts' bills (logged hours with their floor and flex band), used when
    /// the file prices every pool by the hour.
    LabourUsdPerWeek,
}

impl CostModel {
    /// Column / key name of the cost.
    pub fn name(self) -> &'static str {
        match self {
            CostModel::AgentHoursPerWeek => "agent_hours_per_week",
            CostModel::LabourUsdPerWeek => "labour_cost_usd_per_week",
        }
    }

    /// The cost of a scenario.
    pub fn cost(self, s: &Scenario) -> f64 {
        match self {
            CostModel::AgentHoursPerWeek => sweep::agent_hours_per_week(s),
            CostModel::LabourUsdPerWeek => s.costs.as_ref().map_or(0.0, |c| c.labour_per_week),
        }
    }

    /// Money when the file prices every pool by the hour, else paid agent-hours.
    pub fn for_scenario(s: &Scenario) -> CostModel {
        let hourly = |p: &crate::scenario::raw::RawPool| {
            p.cost_per_hour_usd.is_some()
                || p.contract
                    .as_ref()
                    .is_some_and(|c| c.price_per_logged_hour_usd.is_some())
        };
        if s.raw.pools.iter().all(hourly) {
            CostModel::LabourUsdPerWeek
        } else {
            CostModel::AgentHoursPerWeek
        }
    }
}

/// Direction of a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `>=`: the lower bound must reach the threshold.
    AtLeast,
    /// `<=`: the upper bound must stay under the threshold.
    AtMost,
}

impl Op {
    /// `>=` or `<=`.
    pub fn symbol(self) -> &'static str {
        match self {
            Op::AtLeast => ">=",
            Op::AtMost => "<=",
        }
    }
}

/// One parsed `--target`.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// The expression as given (trimmed).
    pub expr: String,
    /// Metric in the summary tables.
    pub metric: &'static str,
    /// Group in the summary tables (`all`, `priority=P1`, `target=P1/enterprise`, ...).
    pub group: String,
    /// Factor from the metric's unit to the target's (1/60 for hours).
    pub scale: f64,
    /// Unit of the threshold (`fraction`, `min`, `hours`).
    pub unit: &'static str,
    /// Direction.
    pub op: Op,
    /// Threshold in the target's unit.
    pub threshold: f64,
}

const MEASURES: &str = "attainment, mean_min, mean_hours, p90_min, p90_hours";
const WHATS: &str = "first_response.<group>.<measure>, resolution.<group>.<measure>, abandonment, abandonment.<channel>, utilisation.<pool>";

/// Short user-facing name of a catalog group: `priority=P1` -> `P1`; `None` for cells.
fn short_group(g: &str) -> Option<&str> {
    if g.contains(',') {
        return None;
    }
    Some(g.split_once('=').map_or(g, |(_, v)| v))
}

/// Catalog groups of `metric` (cells left out), in catalog order.
fn groups_of<'a>(cat: &'a Catalog, metric: &str) -> Vec<&'a str> {
    cat.defs
        .iter()
        .filter(|d| d.metric == metric && !d.group.contains(','))
        .map(|d| d.group.as_str())
        .collect()
}

/// Resolves a user group (`all`, `P1`, `smb`, `P1/enterprise`, a pool or channel name) to the
/// catalog group of `metric`, or an error listing the valid ones.
fn resolve_group(cat: &Catalog, metric: &str, g: &str, what: &str) -> Result<String, String> {
    let groups = groups_of(cat, metric);
    if let Some(found) = groups
        .iter()
        .find(|full| **full == g || short_group(full) == Some(g))
    {
        return Ok(found.to_string());
    }
    let valid: Vec<&str> = groups.iter().filter_map(|x| short_group(x)).collect();
    Err(format!(
        "unknown {what} {g:?} (valid: {})",
        if valid.is_empty() {
            "none in this scenario".to_string()
        } else {
            valid.join(", ")
        }
    ))
}

/// Parses a threshold: a number, or a percentage like `95%` for fractions.
fn threshold(s: &str, fraction: bool) -> Result<f64, String> {
    if s.is_empty() {
        return Err("no number after the operator".into());
    }
    let (num, pct) = match s.strip_suffix('%') {
        Some(n) => (n.trim(), true),
        None => (s, false),
    };
    if pct && !fraction {
        return Err(format!(
            "{s:?}: a percentage only fits a fraction (attainment, abandonment, utilisation)"
        ));
    }
    let x: f64 = num
        .parse()
        .ok()
        .filter(|x: &f64| x.is_finite())
        .ok_or_else(|| format!("{s:?} is not a number"))?;
    let x = if pct { x / 100.0 } else { x };
    if fraction && !(0.0..=1.0).contains(&x) {
        return Err(format!(
            "{s} is not a fraction between 0 and 1 (write 0.95 or 95%)"
        ));
    }
    if x < 0.0 {
        return Err(format!("{s} is negative; times cannot be"));
    }
    Ok(x)
}

/// Parses one target expression against the scenario's metric catalog.
///
/// # Errors
/// A message naming the problem: missing or invalid operator, unknown metric word, group,
/// measure or unit, or a threshold that is not a number.
pub fn parse_target(expr: &str, s: &Scenario) -> Result<Target, String> {
    let expr = expr.trim();
    let (lhs, op, rhs) = if let Some((l, r)) = expr.split_once(">=") {
        (l, Op::AtLeast, r)
    } else if let Some((l, r)) = expr.split_once("<=") {
        (l, Op::AtMost, r)
    } else {
        let found = ["==", "=>", "=<", ">", "<", "="]
            .into_iter()
            .find(|o| expr.contains(o));
        return Err(match found {
            Some(o) => format!("invalid operator `{o}`: use >= or <="),
            None => "missing operator: expected <what> >= <number> or <what> <= <number>, e.g. first_response.P1.attainment >= 0.95".into(),
        });
    };
    let (lhs, rhs) = (lhs.trim(), rhs.trim());
    if rhs.starts_with(['=', '<', '>']) {
        return Err(format!("invalid operator `{}{}`", op.symbol(), &rhs[..1]));
    }
    if lhs.is_empty() {
        return Err(format!(
            "nothing before `{}`: expected one of {WHATS}",
            op.symbol()
        ));
    }
    let cat = Catalog::new(s);
    let parts: Vec<&str> = lhs.split('.').map(str::trim).collect();
    let (metric, group, scale, unit, fraction) = match parts[0] {
        kind @ ("first_response" | "resolution") => {
            if parts.len() != 3 {
                return Err(format!(
                    "{kind} takes a group and a measure: {kind}.<group>.<measure>, e.g. {kind}.P1.attainment (measures: {MEASURES})"
                ));
            }
            let measure = parts[2];
            let (stat, unit) = match measure.split_once('_') {
                Some((a, u)) => (a, u),
                None => (measure, ""),
            };
            let (metric, scale, unit, fraction) = match (kind, stat, unit) {
                ("first_response", "attainment", "") => {
                    ("sla_first_response_attainment", 1.0, "fraction", true)
                }
                ("resolution", "attainment", "") => {
                    ("sla_resolution_attainment", 1.0, "fraction", true)
                }
                (_, "mean" | "p90", "") => {
                    return Err(format!(
                        "measure {measure:?} needs a unit: {measure}_min or {measure}_hours"
                    ));
                }
                (_, "mean" | "p90", u) => {
                    let (scale, unit) = match u {
                        "min" => (1.0, "min"),
                        "hours" => (1.0 / 60.0, "hours"),
                        other => {
                            return Err(format!(
                                "unknown unit {other:?} in {measure:?} (use _min or _hours)"
                            ));
                        }
                    };
                    let metric = match (kind, stat) {
                        ("first_response", "mean") => "first_response_time_min",
                        ("first_response", _) => "first_response_time_p90_min",
                        ("resolution", "mean") => "resolution_time_min",
                        _ => "resolution_time_p90_min",
                    };
                    (metric, scale, unit, false)
                }
                _ => {
                    return Err(format!(
                        "unknown measure {measure:?} (measures: {MEASURES})"
                    ));
                }
            };
            let group = resolve_group(&cat, metric, parts[1], "group")?;
            (metric, group, scale, unit, fraction)
        }
        "abandonment" => {
            let group = match parts.len() {
                1 => "all".to_string(),
                2 => resolve_group(&cat, "abandonment_rate", parts[1], "channel")?,
                _ => {
                    return Err(
                        "abandonment takes at most a channel: abandonment or abandonment.chat"
                            .into(),
                    );
                }
            };
            ("abandonment_rate", group, 1.0, "fraction", true)
        }
        "utilisation" | "utilization" => {
            if parts.len() != 2 {
                return Err(
                    "utilisation takes a pool: utilisation.<pool>, e.g. utilisation.l1".into(),
                );
            }
            let group = resolve_group(&cat, "utilisation", parts[1], "pool")?;
            ("utilisation", group, 1.0, "fraction", true)
        }
        other => {
            return Err(format!("unknown metric {other:?}: expected one of {WHATS}"));
        }
    };
    let threshold = threshold(rhs, fraction)?;
    Ok(Target {
        expr: expr.to_string(),
        metric,
        group,
        scale,
        unit,
        op,
        threshold,
    })
}

/// Parses every `--target`, prefixing errors with the expression.
///
/// # Errors
/// The first failing expression: `--target <expr>: <problem>`.
pub fn parse_targets(exprs: &[String], s: &Scenario) -> Result<Vec<Target>, String> {
    if exprs.is_empty() {
        return Err(
            "no targets: give at least one --target, e.g. --target 'first_response.P1.attainment >= 0.95'"
                .into(),
        );
    }
    exprs
        .iter()
        .map(|e| parse_target(e, s).map_err(|m| format!("--target {e:?}: {m}")))
        .collect()
}

/// Parses `--pools a,b` against the file's pools (all of them when `None`).
///
/// # Errors
/// An unknown or repeated pool name, with the file's pools listed.
pub fn parse_pools(spec: Option<&str>, s: &Scenario) -> Result<Vec<String>, String> {
    let names: Vec<String> = s.raw.pools.iter().map(|p| p.name.clone()).collect();
    let Some(spec) = spec else {
        return Ok(names.iter().flat_map(|n| units_of(s, n)).collect());
    };
    let mut out: Vec<String> = Vec::new();
    for p in spec.split(',').map(str::trim) {
        if p.is_empty() {
            return Err(format!("--pools {spec:?}: empty pool name"));
        }
        if !names.iter().any(|n| n == p) {
            return Err(format!(
                "--pools {spec:?}: no pool named {p:?} (pools: {})",
                names.join(", ")
            ));
        }
        if out.iter().any(|o| o == p) {
            return Err(format!("--pools {spec:?}: pool {p:?} is named twice"));
        }
        out.push(p.to_string());
    }
    Ok(out.iter().flat_map(|n| units_of(s, n)).collect())
}

/// The staffing units of a file pool, each a key path under `pools.` whose `headcount` the
/// search varies: the pool itself, or each of its shifts (`l1.shifts.night`, by name when
/// every shift has one, else by position).
fn units_of(s: &Scenario, pool: &str) -> Vec<String> {
    let Some(rp) = s.raw.pools.iter().find(|p| p.name == pool) else {
        return vec![pool.to_string()];
    };
    if rp.shifts.is_empty() {
        return vec![pool.to_string()];
    }
    let named = rp.shifts.iter().all(|sh| sh.name.is_some());
    rp.shifts
        .iter()
        .enumerate()
        .map(|(k, sh)| match (&sh.name, named) {
            (Some(n), true) => format!("{pool}.shifts.{n}"),
            _ => format!("{pool}.shifts.{k}"),
        })
        .collect()
}

/// The file pool and file headcount of a staffing unit (see [`units_of`]).
fn unit_in_file(s: &Scenario, unit: &str) -> (String, u32) {
    let (pool, shift) = match unit.split_once(".shifts.") {
        Some((p, sh)) => (p, Some(sh)),
        None => (unit, None),
    };
    let Some(rp) = s.raw.pools.iter().find(|p| p.name == pool) else {
        return (pool.to_string(), 1);
    };
    let head = match shift {
        None => rp.headcount,
        Some(sh) => rp
            .shifts
            .iter()
            .enumerate()
            .find(|(k, x)| x.name.as_deref() == Some(sh) || k.to_string() == sh)
            .map_or(1, |(_, x)| x.headcount),
    };
    (pool.to_string(), head)
}

/// The Erlang-based start per searched pool (see the module docs): the smallest headcount
/// whose estimated occupancy is at most [`PLANNING_OCCUPANCY`], at least 1. A pool the
/// scenario never staffs in the measured window keeps its file headcount.
pub fn erlang_start(s: &Scenario, pools: &[String]) -> Vec<u32> {
    occupancy_headcount(s, pools, PLANNING_OCCUPANCY, false)
}

/// The stability floor per searched pool: the smallest headcount whose estimated utilisation
/// (offered load over the agents it keeps on duty on average) is below 1, at least 1. The
/// search never goes below it: an overloaded pool's queue grows without bound, and time metrics
/// over *resolved* tickets can then look good only because the slow tickets never finish.
pub fn stability_floor(s: &Scenario, pools: &[String]) -> Vec<u32> {
    occupancy_headcount(s, pools, 1.0, true)
}

/// Smallest headcount per pool with estimated occupancy at most (or, `strict`, below) `occ`.
fn occupancy_headcount(s: &Scenario, pools: &[String], occ: f64, strict: bool) -> Vec<u32> {
    let loads = pool_loads(s);
    pools
        .iter()
        .map(|unit| {
            let (name, file) = unit_in_file(s, unit);
            let Some((k, pool)) = s
                .pools
                .iter()
                .enumerate()
                .find(|(_, p)| p.members.contains(&name))
            else {
                return file.max(1);
            };
            let load = &loads[k];
            if pool.headcount == 0 || load.mean_staffed <= 0.0 {
                return file.max(1);
            }
            // Scale the unit's file headcount by the pool's load over what its current plan
            // keeps on duty: a merged pool's members and a pool's shifts keep their proportions.
            let need = f64::from(file) * load.offered_erlangs / (occ * load.mean_staffed);
            let n = if strict {
                need.floor() + 1.0
            } else {
                need.ceil()
            };
            (n.max(1.0) as u32).min(MAX_HEADCOUNT)
        })
        .collect()
}

/// One-sided critical value of Student's t at `confidence` with `n - 1` degrees of freedom.
pub fn t_one_sided(n: usize, confidence: f64) -> f64 {
    if n < 2 {
        return f64::NAN;
    }
    StudentsT::new(0.0, 1.0, (n - 1) as f64)
        .map(|d| d.inverse_cdf(confidence))
        .unwrap_or(f64::NAN)
}

/// A target's standing in one evaluation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TargetResult {
    /// Replications with a value.
    pub n: usize,
    /// Mean in the target's unit.
    pub mean: f64,
    /// One-sided bound at the confidence level (lower for `>=`, upper for `<=`).
    pub bound: f64,
    /// `bound - threshold` for `>=`, `threshold - bound` for `<=` (NaN without data).
    pub margin: f64,
    /// Margin finite and non-negative.
    pub met: bool,
}

impl Target {
    /// The target's standing given the replication values of a point.
    pub fn check(&self, r: &PointResult, confidence: f64) -> TargetResult {
        let vals = r.column(self.metric, &self.group).unwrap_or_default();
        let e = Estimate::from_values(vals.into_iter().map(|x| x * self.scale));
        let t = t_one_sided(e.n, confidence);
        let bound = match self.op {
            Op::AtLeast => e.mean - t * e.std_error,
            Op::AtMost => e.mean + t * e.std_error,
        };
        let margin = match self.op {
            Op::AtLeast => bound - self.threshold,
            Op::AtMost => self.threshold - bound,
        };
        TargetResult {
            n: e.n,
            mean: e.mean,
            bound,
            margin,
            met: margin.is_finite() && margin >= 0.0,
        }
    }

    /// Normalisation of margins: `|threshold|`, or 1 for a zero threshold.
    pub fn norm(&self) -> f64 {
        if self.threshold.abs() > 0.0 {
            self.threshold.abs()
        } else {
            1.0
        }
    }
}

/// The staffing problem: what is searched, against which targets, on which random numbers.
#[derive(Debug, Clone)]
pub struct Problem {
    /// The scenario as a TOML tree ([`sweep::base_tree`]).
    pub tree: Value,
    /// The scenario file (for messages and validation).
    pub origin: PathBuf,
    /// Searched pools (file names).
    pub pools: Vec<String>,
    /// Targets.
    pub targets: Vec<Target>,
    /// One-sided confidence level of the bounds.
    pub confidence: f64,
    /// Seed of the search.
    pub seed: u64,
    /// Replications per search evaluation.
    pub replications: u32,
    /// Replications of the confirmation.
    pub confirm_replications: u32,
    /// Cost model.
    pub cost: CostModel,
    /// Lowest headcount per searched pool ([`stability_floor`]).
    pub floor: Vec<u32>,
}

impl Problem {
    /// The scenario with `headcount` in the searched pools, run on `seed` with `reps`
    /// replications.
    ///
    /// # Errors
    /// Validation failures, naming the point.
    pub fn scenario(&self, headcount: &[u32], seed: u64, reps: u32) -> Result<Scenario, String> {
        let mut settings: Vec<(String, Value)> = self
            .pools
            .iter()
            .zip(headcount)
            .map(|(p, &h)| (format!("pools.{p}.headcount"), Value::Integer(i64::from(h))))
            .collect();
        settings.push(("run.seed".into(), Value::Integer(seed as i64)));
        settings.push(("run.replications".into(), Value::Integer(i64::from(reps))));
        sweep::apply(&self.tree, &settings, &self.origin)
    }
}

/// One evaluated headcount vector.
#[derive(Debug, Clone, PartialEq)]
pub struct Eval {
    /// 0-based order of evaluation.
    pub index: usize,
    /// Headcount per searched pool.
    pub headcount: Vec<u32>,
    /// Cost of the vector.
    pub cost: f64,
    /// Per target, in `--target` order.
    pub targets: Vec<TargetResult>,
    /// Every target met.
    pub feasible: bool,
    /// Smallest margin over targets divided by the target's [`Target::norm`] (NaN without data).
    pub worst_margin: f64,
    /// Sum over targets of the normalised shortfall `max(0, -margin) / norm` (a target without
    /// data counts 1).
    pub shortfall: f64,
    /// Replications stopped at the open-ticket cap.
    pub unstable: u32,
}

/// Evaluates headcount vectors on one seed, caching by vector and logging in order.
pub struct Evaluator<'a> {
    problem: &'a Problem,
    seed: u64,
    reps: u32,
    cache: HashMap<Vec<u32>, usize>,
    /// Every distinct evaluation, in order.
    pub log: Vec<Eval>,
    tick: &'a (dyn Fn() + Sync),
}

impl<'a> Evaluator<'a> {
    /// An evaluator on `seed` with `reps` replications; `tick` is called per replication run.
    pub fn new(problem: &'a Problem, seed: u64, reps: u32, tick: &'a (dyn Fn() + Sync)) -> Self {
        Evaluator {
            problem,
            seed,
            reps,
            cache: HashMap::new(),
            log: Vec::new(),
            tick,
        }
    }

    /// Evaluates several vectors (the new ones in parallel), in the order given.
    ///
    /// # Errors
    /// A vector whose scenario fails validation.
    pub fn eval_many(&mut self, hs: &[Vec<u32>]) -> Result<Vec<Eval>, String> {
        let mut todo: Vec<Vec<u32>> = Vec::new();
        for h in hs {
            if !self.cache.contains_key(h) && !todo.contains(h) {
                todo.push(h.clone());
            }
        }
        let scenarios = todo
            .iter()
            .map(|h| self.problem.scenario(h, self.seed, self.reps))
            .collect::<Result<Vec<_>, _>>()?;
        let results = sweep::evaluate(&scenarios, self.reps, self.tick);
        for ((h, s), r) in todo.into_iter().zip(&scenarios).zip(&results) {
            let p = self.problem;
            let targets: Vec<TargetResult> =
                p.targets.iter().map(|t| t.check(r, p.confidence)).collect();
            let normed: Vec<f64> = targets
                .iter()
                .zip(&p.targets)
                .map(|(r, t)| r.margin / t.norm())
                .collect();
            let worst_margin = if normed.iter().any(|m| !m.is_finite()) {
                f64::NAN
            } else {
                normed.iter().copied().fold(f64::INFINITY, f64::min)
            };
            let shortfall = normed
                .iter()
                .map(|m| if m.is_finite() { (-m).max(0.0) } else { 1.0 })
                .sum();
            let index = self.log.len();
            self.cache.insert(h.clone(), index);
            self.log.push(Eval {
                index,
                headcount: h,
                cost: p.cost.cost(s),
                feasible: targets.iter().all(|t| t.met),
                targets,
                worst_margin,
                shortfall,
                unstable: r.unstable,
            });
        }
        Ok(hs.iter().map(|h| self.log[self.cache[h]].clone()).collect())
    }

    /// Evaluates one vector.
    ///
    /// # Errors
    /// See [`Evaluator::eval_many`].
    pub fn eval(&mut self, h: &[u32]) -> Result<Eval, String> {
        Ok(self.eval_many(&[h.to_vec()])?.remove(0))
    }
}

fn plus(h: &[u32], i: usize, d: i64) -> Vec<u32> {
    let mut v = h.to_vec();
    v[i] = (i64::from(v[i]) + d) as u32;
    v
}

/// Marginal analysis from `from` until feasible (see the module docs).
///
/// # Errors
/// A pool reaching its cap with targets failing, or a validation failure.
fn repair(ev: &mut Evaluator, from: Eval, caps: &[u32]) -> Result<Eval, String> {
    let p = ev.problem;
    let mut cur = from;
    for _ in 0..MAX_REPAIR_STEPS {
        if cur.feasible {
            return Ok(cur);
        }
        let open: Vec<usize> = (0..cur.headcount.len())
            .filter(|&i| cur.headcount[i] < caps[i])
            .collect();
        if open.is_empty() {
            break;
        }
        let cands: Vec<Vec<u32>> = open.iter().map(|&i| plus(&cur.headcount, i, 1)).collect();
        let evals = ev.eval_many(&cands)?;
        let score = |e: &Eval| {
            let dc = (e.cost - cur.cost).max(1e-9);
            (cur.shortfall - e.shortfall) / dc
        };
        let best = evals
            .iter()
            .enumerate()
            .fold(None::<(usize, f64)>, |acc, (k, e)| {
                let s = score(e);
                match acc {
                    Some((_, b)) if s <= b => acc,
                    _ => Some((k, s)),
                }
            })
            .map(|(k, _)| k)
            .expect("at least one candidate");
        cur = evals[best].clone();
    }
    let worst = p
        .targets
        .iter()
        .zip(&cur.targets)
        .min_by(|a, b| {
            (a.1.margin / a.0.norm())
                .partial_cmp(&(b.1.margin / b.0.norm()))
                .unwrap_or(std::cmp::Ordering::Less)
        })
        .map(|(t, r)| format!("{} (mean {:.4}, bound {:.4})", t.expr, r.mean, r.bound))
        .unwrap_or_default();
    let at_cap: Vec<String> = p
        .pools
        .iter()
        .zip(&cur.headcount)
        .zip(caps)
        .filter(|((_, h), c)| h >= c)
        .map(|((n, h), _)| format!("{n} at {h}"))
        .collect();
    Err(format!(
        "no feasible staffing found: pools reached their cap ({}; the cap is 10x the Erlang start, at least 10, at most {MAX_HEADCOUNT}) and {worst} still fails; the target may be unreachable by headcount alone",
        at_cap.join(", ")
    ))
}

/// Is `a` better than `b`: cheaper, or as cheap and lexicographically smaller.
fn better(a: &Eval, b: &Eval) -> bool {
    const EPS: f64 = 1e-9;
    a.cost < b.cost - EPS || ((a.cost - b.cost).abs() <= EPS && a.headcount < b.headcount)
}

/// Removals then swaps from a feasible vector (see the module docs).
fn descend(ev: &mut Evaluator, from: Eval) -> Result<Eval, String> {
    let mut cur = from;
    let n = cur.headcount.len();
    let floor = ev.problem.floor.clone();
    'outer: loop {
        // Removals, largest saving first (cost saving is computed on the candidate).
        let cands: Vec<Vec<u32>> = (0..n)
            .filter(|&i| cur.headcount[i] > floor[i])
            .map(|i| plus(&cur.headcount, i, -1))
            .collect();
        let mut costed: Vec<(f64, Vec<u32>)> = cands
            .into_iter()
            .map(|h| Ok((ev.problem.scenario(&h, ev.seed, ev.reps)?, h)))
            .collect::<Result<Vec<_>, String>>()?
            .into_iter()
            .map(|(s, h)| (ev.problem.cost.cost(&s), h))
            .collect();
        costed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for (_, h) in &costed {
            let e = ev.eval(h)?;
            if e.feasible {
                cur = e;
                continue 'outer;
            }
        }
        // Swaps: -1 in pool i, +1 in pool j, when that is better than the current vector.
        let mut swaps: Vec<(f64, Vec<u32>)> = Vec::new();
        for (i, &fl) in floor.iter().enumerate() {
            for j in 0..n {
                if i == j || cur.headcount[i] <= fl {
                    continue;
                }
                let h = plus(&plus(&cur.headcount, i, -1), j, 1);
                let s = ev.problem.scenario(&h, ev.seed, ev.reps)?;
                let c = ev.problem.cost.cost(&s);
                let probe = Eval {
                    cost: c,
                    headcount: h.clone(),
                    ..cur.clone()
                };
                if better(&probe, &cur) {
                    swaps.push((c, h));
                }
            }
        }
        swaps.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for (_, h) in &swaps {
            let e = ev.eval(h)?;
            if e.feasible {
                cur = e;
                continue 'outer;
            }
        }
        return Ok(cur);
    }
}

/// What [`search`] found.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Searched pools.
    pub pools: Vec<String>,
    /// File headcount per searched pool.
    pub file_headcount: Vec<u32>,
    /// Erlang-based start per searched pool.
    pub start: Vec<u32>,
    /// Cap per searched pool.
    pub caps: Vec<u32>,
    /// The search's answer on the search seed.
    pub search_answer: Eval,
    /// Every distinct evaluation of the search.
    pub search_log: Vec<Eval>,
    /// The confirmed answer, evaluated on the confirmation seed.
    pub confirmed: Eval,
    /// Every distinct evaluation on the confirmation seed.
    pub confirmation_log: Vec<Eval>,
    /// Agents added because the confirmation failed a target (0 when it passed).
    pub added_on_confirmation: u32,
    /// Seed of the confirmation.
    pub confirmation_seed: u64,
    /// Vectors in the full grid over the explored ranges (each pool from the smallest to the
    /// largest headcount the search evaluated).
    pub grid_size: u128,
}

/// The search alone (steps 1-4 of the module docs) on the problem's seed, from `start`.
///
/// # Errors
/// See [`repair`]; validation failures.
pub fn search_from(ev: &mut Evaluator, start: &[u32]) -> Result<Eval, String> {
    let start: Vec<u32> = start
        .iter()
        .zip(&ev.problem.floor)
        .map(|(&s, &f)| s.max(f))
        .collect();
    let caps: Vec<u32> = start.iter().map(|&s| cap(s)).collect();
    let first = ev.eval(&start)?;
    let feasible = repair(ev, first, &caps)?;
    descend(ev, feasible)
}

/// Runs the whole staffing search: start, repair, descent, confirmation (module docs).
///
/// # Errors
/// Unreachable targets (a pool at its cap), or validation failures of a candidate.
pub fn search(p: &Problem, base: &Scenario, tick: &(dyn Fn() + Sync)) -> Result<Outcome, String> {
    let start = erlang_start(base, &p.pools);
    let caps: Vec<u32> = start.iter().map(|&s| cap(s)).collect();
    let file_headcount: Vec<u32> = p.pools.iter().map(|n| unit_in_file(base, n).1).collect();
    let mut ev = Evaluator::new(p, p.seed, p.replications, tick);
    let answer = search_from(&mut ev, &start)?;
    let search_log = std::mem::take(&mut ev.log);
    let cseed = confirmation_seed(p.seed);
    let mut cev = Evaluator::new(p, cseed, p.confirm_replications, tick);
    let first = cev.eval(&answer.headcount)?;
    let confirmed = repair(&mut cev, first, &caps)?;
    let added = confirmed.headcount.iter().sum::<u32>() - answer.headcount.iter().sum::<u32>();
    let mut grid_size: u128 = 1;
    for i in 0..p.pools.len() {
        let (lo, hi) = search_log
            .iter()
            .map(|e| e.headcount[i])
            .fold((u32::MAX, 0), |(a, b), h| (a.min(h), b.max(h)));
        grid_size = grid_size.saturating_mul(u128::from(hi - lo + 1));
    }
    Ok(Outcome {
        pools: p.pools.clone(),
        file_headcount,
        start,
        caps,
        search_answer: answer,
        search_log,
        confirmed,
        confirmation_log: cev.log,
        added_on_confirmation: added,
        confirmation_seed: cseed,
        grid_size,
    })
}

/// The problem for a scenario file: base tree, pools and targets parsed.
///
/// # Errors
/// Bad `--pools` or `--target`, or a scenario that cannot be represented.
#[allow(clippy::too_many_arguments)]
pub fn problem(
    base: &Scenario,
    origin: &Path,
    targets: &[String],
    pools: Option<&str>,
    confidence: f64,
    seed: u64,
    replications: u32,
    confirm_replications: u32,
) -> Result<Problem, String> {
    if !(confidence > 0.5 && confidence < 1.0) {
        return Err(format!(
            "--confidence {confidence}: must be between 0.5 and 1 (exclusive), e.g. 0.95"
        ));
    }
    if replications < 2 || confirm_replications < 2 {
        return Err("--replications must be at least 2 (for confidence bounds)".into());
    }
    let targets = parse_targets(targets, base)?;
    let pools = parse_pools(pools, base)?;
    let floor = stability_floor(base, &pools);
    Ok(Problem {
        floor,
        tree: sweep::base_tree(&base.raw)?,
        origin: origin.to_path_buf(),
        pools,
        targets,
        confidence,
        seed,
        replications,
        confirm_replications,
        cost: CostModel::for_scenario(base),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiered() -> Scenario {
        let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/saas-midmarket-tiered.toml");
        Scenario::load(&p).unwrap()
    }

    #[test]
    fn targets_parse_to_metrics_groups_and_units() {
        let s = tiered();
        let t = parse_target("first_response.P1.attainment >= 0.95", &s).unwrap();
        assert_eq!(
            (t.metric, t.group.as_str(), t.op, t.threshold),
            (
                "sla_first_response_attainment",
                "priority=P1",
                Op::AtLeast,
                0.95
            )
        );
        let t = parse_target("resolution.all.p90_hours<=24", &s).unwrap();
        assert_eq!(t.metric, "resolution_time_p90_min");
        assert_eq!(t.group, "all");
        assert!((t.scale - 1.0 / 60.0).abs() < 1e-15);
        let t = parse_target("resolution.P1/enterprise.attainment >= 90%", &s).unwrap();
        assert_eq!(t.group, "target=P1/enterprise");
        assert!((t.threshold - 0.9).abs() < 1e-12);
        let t = parse_target("first_response.smb.attainment >= 0.9", &s).unwrap();
        assert_eq!(t.group, "segment=smb");
        let t = parse_target("abandonment <= 0.05", &s).unwrap();
        assert_eq!((t.metric, t.group.as_str()), ("abandonment_rate", "all"));
        let t = parse_target("abandonment.chat <= 0.05", &s).unwrap();
        assert_eq!(t.group, "channel=chat");
        let t = parse_target("utilisation.l2 <= 0.85", &s).unwrap();
        assert_eq!(t.group, "pool=l2");
        let t = parse_target("first_response.P2.mean_min <= 30", &s).unwrap();
        assert_eq!(t.metric, "first_response_time_min");
    }

    #[test]
    fn one_sided_bound_uses_student_t() {
        assert!((t_one_sided(11, 0.95) - 1.812_461).abs() < 1e-5);
        assert!(t_one_sided(1, 0.95).is_nan());
        assert_eq!(confirmation_seed(7), 1_000_007);
        assert_eq!(cap(3), 30);
        assert_eq!(cap(0), 10);
        assert_eq!(cap(500), MAX_HEADCOUNT);
    }

    #[test]
    fn erlang_start_keeps_occupancy_under_the_planning_level() {
        // One headcount per pool (the bundled file's shifts become one unit each).
        let mut raw = tiered().raw;
        for (pool, n) in raw.pools.iter_mut().zip([6, 5, 3]) {
            pool.shifts.clear();
            pool.headcount = n;
            pool.hours = Some(crate::scenario::raw::RawHours {
                days: ["mon", "tue", "wed", "thu", "fri"]
                    .map(String::from)
                    .to_vec(),
                start: "08:00".into(),
                end: "21:00".into(),
            });
        }
        let s = Scenario::from_raw(raw, Path::new("<test>")).unwrap();
        let pools = parse_pools(None, &s).unwrap();
        let start = erlang_start(&s, &pools);
        let loads = pool_loads(&s);
        for ((h, l), p) in start.iter().zip(&loads).zip(&s.pools) {
            let duty = l.mean_staffed / f64::from(p.headcount);
            let occ = |n: u32| l.offered_erlangs / (f64::from(n) * duty);
            assert!(occ(*h) <= PLANNING_OCCUPANCY, "{}: {h}", p.name);
            assert!(
                *h == 1 || occ(h - 1) > PLANNING_OCCUPANCY,
                "{}: {h}",
                p.name
            );
        }
    }
}
