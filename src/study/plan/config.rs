//! `[plan]` validated (every problem with its key path), and the scenario a plan runs: the
//! file over the plan's months, with the plan's growth or monthly forecast, counting SLA
//! results per report period.

use super::PlanError;
use super::horizon::Horizon;
use crate::scenario::error::{Num, Problem};
use crate::scenario::limits::{MAX_REPLICATIONS, MAX_USD};
use crate::scenario::raw::RawPlan;
use crate::scenario::{RateSegment, Scenario, ScenarioError};
use crate::study::staff::CostModel;
use jiff::civil::Date;
use std::path::Path;

/// Longest plan [months]: 18 months of simulated time per replication is what one run may
/// hold (every replication keeps its time series until it is reduced to weeks and months).
pub const MAX_HORIZON_MONTHS: u32 = 18;
/// Replications per evaluation unless `plan.replications` says otherwise.
pub const DEFAULT_REPLICATIONS: u32 = 8;
/// Hires the search may add unless `plan.max_hires` says otherwise.
pub const DEFAULT_MAX_HIRES: u32 = 60;
/// Largest `plan.max_hires`.
pub const MAX_MAX_HIRES: u32 = 10_000;
/// Largest count of one hire, and of the agents one pool may have in a plan.
pub const MAX_COHORT: u32 = 10_000;
/// Longest training [weeks].
pub const MAX_TRAINING_WEEKS: f64 = 104.0;
/// Largest monthly volume factor.
pub const MAX_VOLUME_FACTOR: f64 = 100.0;

/// A cohort of hires.
#[derive(Debug, Clone, PartialEq)]
pub struct Hire {
    /// First paid day (training starts).
    pub date: Date,
    /// File pool index.
    pub pool: usize,
    /// Agents.
    pub count: u32,
}

/// `[plan]` after validation.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Months planned.
    pub horizon_months: u32,
    /// Growth override [fraction/month].
    pub growth_per_month: Option<f64>,
    /// Monthly volume factors (one per month).
    pub volume_factors: Option<Vec<f64>>,
    /// Training [weeks].
    pub training_weeks: f64,
    /// One-off cost per hire [USD].
    pub hire_cost_usd: f64,
    /// Monthly attrition per file pool [fraction/month].
    pub attrition: Vec<f64>,
    /// New hires' ramp per file pool: (extra work-time factor on the first day on duty,
    /// minutes until it reaches 0).
    pub ramp: Vec<Option<(f64, f64)>>,
    /// The file's hires.
    pub hires: Vec<Hire>,
    /// The file's targets (`--target` replaces them).
    pub targets: Vec<String>,
    /// Replications per evaluation.
    pub replications: u32,
    /// Most hires the search adds.
    pub max_hires: u32,
}

/// Everything a plan needs beyond `[plan]`: the plan's scenario and calendar, and per file
/// pool its heads, ramp and price.
#[derive(Debug, Clone)]
pub struct Setup {
    /// `[plan]`.
    pub plan: Plan,
    /// The file over the plan's months, counting per report period.
    pub scenario: Scenario,
    /// Months, weeks, periods.
    pub horizon: Horizon,
    /// File pool names.
    pub pools: Vec<String>,
    /// Agents of each file pool at the plan's start: its headcount, or its shifts'
    /// headcounts summed (each agent works one shift).
    pub heads: Vec<u32>,
    /// Cost of one agent for one week per file pool, in [`Setup::cost_unit`].
    pub cost_per_head_week: Vec<f64>,
    /// Money (all pools priced by the hour) or paid agent-hours.
    pub cost_model: CostModel,
    /// Index of the model pool (`scenario.pools`) each file pool belongs to.
    pub model_pool: Vec<usize>,
}

impl Setup {
    /// The unit of costs: `usd` or `agent_hours`.
    pub fn cost_unit(&self) -> &'static str {
        match self.cost_model {
            CostModel::LabourUsdPerWeek => "usd",
            CostModel::AgentHoursPerWeek => "agent_hours",
        }
    }
}

fn problem(path: impl Into<String>, message: impl Into<String>) -> Problem {
    Problem {
        path: path.into(),
        message: message.into(),
        location: None,
    }
}

/// Validates `base`'s `[plan]` and builds the plan's scenario.
///
/// # Errors
/// No `[plan]`, every invalid `[plan]` key with its path, or the plan's scenario failing
/// validation (an arrival volume too large over the months, say).
pub fn setup(base: &Scenario, origin: &Path) -> Result<Setup, PlanError> {
    let raw = base.raw.plan.as_ref().ok_or_else(|| PlanError::NoPlan {
        file: origin.display().to_string(),
    })?;
    let mut problems = Vec::new();
    let h = raw.horizon_months;
    // An out-of-range horizon is reported with every other key's problem: the keys are
    // checked on the nearest valid horizon.
    let checked_months = h.clamp(1, MAX_HORIZON_MONTHS);
    if h == 0 {
        problems.push(problem("plan.horizon_months", "must be at least 1"));
    } else if h > MAX_HORIZON_MONTHS {
        problems.push(problem(
            "plan.horizon_months",
            format!(
                "is {h}; a plan covers at most {MAX_HORIZON_MONTHS} months (each replication simulates every month, and the run's memory and time grow with it): plan {MAX_HORIZON_MONTHS} months, then plan again from a later start_date"
            ),
        ));
    }
    if base.raw.demand.trace.is_some() {
        problems.push(problem(
            "demand.trace",
            "a plan needs a volume model over months, and a trace only replays the arrivals it recorded: remove `trace` (or fit a volume with `supportsim calibrate`)",
        ));
    }
    let horizon = match Horizon::new(
        base.run.start_date,
        &base.run.timezone,
        base.run.warmup_min,
        checked_months,
    ) {
        Ok(horizon) => horizon,
        Err(e) => {
            problems.push(problem("plan.horizon_months", e.to_string()));
            return Err(ScenarioError::invalid(origin, problems).into());
        }
    };
    let pools: Vec<String> = base.raw.pools.iter().map(|p| p.name.clone()).collect();
    let plan = check_keys(raw, &pools, &horizon, &mut problems);
    if !problems.is_empty() {
        return Err(ScenarioError::invalid(origin, problems).into());
    }
    let mut file = base.raw.clone();
    file.run.horizon_days = (horizon.end - base.run.warmup_min) / 1440.0;
    if let Some(g) = plan.growth_per_month {
        file.demand.growth_per_month = g;
    }
    if plan.volume_factors.is_some() {
        file.demand.growth_per_month = 0.0;
    }
    let mut scenario = Scenario::from_raw(file, origin)?;
    if let Some(f) = &plan.volume_factors {
        scale_months(&mut scenario.demand.segments, &horizon, f);
    }
    scenario.run.periods = Some(horizon.periods.clone());
    let heads: Vec<u32> = base
        .raw
        .pools
        .iter()
        .map(|p| {
            if p.shifts.is_empty() {
                p.headcount
            } else {
                p.shifts.iter().map(|s| s.headcount).sum()
            }
        })
        .collect();
    let cost_model = CostModel::for_scenario(base);
    let cost_per_head_week = (0..pools.len())
        .map(|p| {
            let n = f64::from(heads[p].max(1));
            match (cost_model, &base.costs) {
                (CostModel::LabourUsdPerWeek, Some(c)) => {
                    let weeks: f64 = c.weeks.iter().sum();
                    c.pools[p].hourly_usd.iter().sum::<f64>() / weeks / n
                }
                _ => base.scheduled_fte[p].1 * 40.0 / n,
            }
        })
        .collect();
    let model_pool = pools
        .iter()
        .map(|name| {
            scenario
                .pools
                .iter()
                .position(|q| q.members.contains(name))
                .unwrap_or(0)
        })
        .collect();
    Ok(Setup {
        plan,
        scenario,
        horizon,
        pools,
        heads,
        cost_per_head_week,
        cost_model,
        model_pool,
    })
}

/// Every key of `[plan]` but the horizon, checked.
fn check_keys(raw: &RawPlan, pools: &[String], h: &Horizon, p: &mut Vec<Problem>) -> Plan {
    let months = raw.horizon_months as usize;
    if let Some(g) = raw.growth_per_month
        && !(g.is_finite() && g > -0.5 && g <= 1.0)
    {
        p.push(problem(
            "plan.growth_per_month",
            format!(
                "must be a fraction per month in (-0.5, 1] (0.03 = +3% a month), got {}",
                Num(g)
            ),
        ));
    }
    if let Some(f) = &raw.volume_factors {
        if raw.growth_per_month.is_some() {
            p.push(problem(
                "plan.volume_factors",
                "give either growth_per_month or volume_factors (a forecast per month), not both",
            ));
        }
        if f.len() != months {
            p.push(problem(
                "plan.volume_factors",
                format!(
                    "has {} entries; give one factor per plan month (horizon_months = {months})",
                    f.len()
                ),
            ));
        }
        for (i, x) in f.iter().enumerate() {
            if !(x.is_finite() && *x > 0.0 && *x <= MAX_VOLUME_FACTOR) {
                p.push(problem(
                    format!("plan.volume_factors[{i}]"),
                    format!(
                        "must be a factor in (0, {MAX_VOLUME_FACTOR}] on the file's volume (1 = as in [demand]), got {}",
                        Num(*x)
                    ),
                ));
            }
        }
    }
    let training = raw.training_weeks.unwrap_or(0.0);
    if !(training.is_finite() && (0.0..=MAX_TRAINING_WEEKS).contains(&training)) {
        p.push(problem(
            "plan.training_weeks",
            format!(
                "must be weeks in [0, {MAX_TRAINING_WEEKS}], got {}",
                Num(training)
            ),
        ));
    }
    let hire_cost = raw.hire_cost_usd.unwrap_or(0.0);
    if !(hire_cost.is_finite() && (0.0..=MAX_USD).contains(&hire_cost)) {
        p.push(problem(
            "plan.hire_cost_usd",
            format!("must be USD in [0, {MAX_USD:e}], got {}", Num(hire_cost)),
        ));
    }
    let known = pools.join(", ");
    let mut attrition = vec![0.0; pools.len()];
    for (name, r) in raw.attrition.iter().flat_map(|m| m.0.iter()) {
        let path = format!("plan.attrition.{name}");
        match pools.iter().position(|x| x == name) {
            None => p.push(problem(
                path,
                format!("unknown pool {name:?}; the file's pools are {known}"),
            )),
            Some(i) if r.is_finite() && (0.0..1.0).contains(r) => attrition[i] = *r,
            Some(_) => p.push(problem(
                path,
                format!("must be a fraction in [0, 1) of the pool's agents leaving per month (0.03 = 3%), got {r}"),
            )),
        }
    }
    let mut ramp = vec![None; pools.len()];
    for (name, r) in raw.ramp.iter().flat_map(|m| m.0.iter()) {
        let path = format!("plan.ramp.{name}");
        let Some(i) = pools.iter().position(|x| x == name) else {
            p.push(problem(
                path,
                format!("unknown pool {name:?}; the file's pools are {known}"),
            ));
            continue;
        };
        let mut ok = true;
        if !(r.start_factor.is_finite() && (1.0..=MAX_VOLUME_FACTOR).contains(&r.start_factor)) {
            ok = false;
            p.push(problem(
                format!("{path}.start_factor"),
                format!(
                    "must be a factor in [1, {MAX_VOLUME_FACTOR}] (1.5 = new hires take 50% longer), got {}",
                    Num(r.start_factor)
                ),
            ));
        }
        if !(r.weeks.is_finite() && r.weeks > 0.0 && r.weeks <= MAX_TRAINING_WEEKS) {
            ok = false;
            p.push(problem(
                format!("{path}.weeks"),
                format!(
                    "must be weeks in (0, {MAX_TRAINING_WEEKS}] until full speed, got {}",
                    Num(r.weeks)
                ),
            ));
        }
        if ok {
            ramp[i] = Some((r.start_factor - 1.0, r.weeks * super::horizon::WEEK_MIN));
        }
    }
    let first = h.month_dates.first().copied().unwrap_or_default();
    let last = h.date_at(h.end - 1.0);
    let mut hires = Vec::new();
    for (i, hr) in raw.hires.iter().enumerate() {
        let base = format!("plan.hires[{i}]");
        let date = match hr.date.parse::<Date>() {
            Err(e) => {
                p.push(problem(
                    format!("{base}.date"),
                    format!("must be a date YYYY-MM-DD, got {:?} ({e})", hr.date),
                ));
                None
            }
            Ok(d) if d < first || d > last => {
                p.push(problem(
                    format!("{base}.date"),
                    format!(
                        "{d} is outside the plan ({first} to {last}); agents already on staff belong in the pool's headcount"
                    ),
                ));
                None
            }
            Ok(d) => Some(d),
        };
        let pool = pools.iter().position(|x| *x == hr.pool);
        if pool.is_none() {
            p.push(problem(
                format!("{base}.pool"),
                format!("unknown pool {:?}; the file's pools are {known}", hr.pool),
            ));
        }
        if !(1..=MAX_COHORT).contains(&hr.count) {
            p.push(problem(
                format!("{base}.count"),
                format!("must be 1..={MAX_COHORT} agents, got {}", hr.count),
            ));
        }
        if let (Some(date), Some(pool)) = (date, pool) {
            hires.push(Hire {
                date,
                pool,
                count: hr.count,
            });
        }
    }
    let replications = raw.replications.unwrap_or(DEFAULT_REPLICATIONS);
    if !(2..=MAX_REPLICATIONS).contains(&replications) {
        p.push(problem(
            "plan.replications",
            format!(
                "must be 2..={MAX_REPLICATIONS} (confidence intervals need two), got {replications}"
            ),
        ));
    }
    let max_hires = raw.max_hires.unwrap_or(DEFAULT_MAX_HIRES);
    if max_hires > MAX_MAX_HIRES {
        p.push(problem(
            "plan.max_hires",
            format!("must be at most {MAX_MAX_HIRES}, got {max_hires}"),
        ));
    }
    Plan {
        horizon_months: raw.horizon_months,
        growth_per_month: raw.growth_per_month,
        volume_factors: raw.volume_factors.clone(),
        training_weeks: training,
        hire_cost_usd: hire_cost,
        attrition,
        ramp,
        hires,
        targets: raw.targets.clone(),
        replications,
        max_hires,
    }
}

/// Multiplies the arrival rate of plan month `m` by `factors[m]` (the warm-up takes the
/// first month's factor, the drain the last's), splitting rate segments at month starts.
fn scale_months(segments: &mut Vec<RateSegment>, h: &Horizon, factors: &[f64]) {
    let mut cuts: Vec<f64> = h.months[1..].to_vec();
    cuts.push(h.end);
    let mut out: Vec<RateSegment> = Vec::with_capacity(segments.len() + cuts.len());
    for (i, seg) in segments.iter().enumerate() {
        let end = segments.get(i + 1).map_or(f64::INFINITY, |s| s.start_min);
        out.push(*seg);
        for &c in cuts.iter().filter(|&&c| c > seg.start_min && c < end) {
            out.push(RateSegment {
                start_min: c,
                ..*seg
            });
        }
    }
    for seg in &mut out {
        let m = h
            .months
            .partition_point(|&t| t <= seg.start_min)
            .saturating_sub(1)
            .min(factors.len().saturating_sub(1));
        seg.rate_per_min *= factors.get(m).copied().unwrap_or(1.0);
    }
    *segments = out;
}
