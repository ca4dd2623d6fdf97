//! What a plan reports per week and per month, computed per replication from its report
//! periods, and the targets every month must meet.

use super::PlanError;
use super::config::Setup;
use super::evaluate::{Evaluation, RepPeriods};
use super::horizon::WEEK_MIN;
use crate::measure::Kind;
use crate::scenario::Scenario;
use crate::stats::summary::Estimate;
use crate::study::staff::{self, CostModel, Op, Target, TargetResult, t_one_sided};

/// A week or a month of the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    /// Week index.
    Week(usize),
    /// Month index.
    Month(usize),
}

/// One reported quantity.
#[derive(Debug, Clone, PartialEq)]
pub enum Measure {
    /// SLA attainment of the marked priority x segment cells (first response or resolution).
    Attainment {
        /// Resolution (else first response).
        resolution: bool,
        /// Cells counted.
        cells: Vec<bool>,
    },
    /// Mean resolution time of the marked cells' resolved tickets [minutes].
    ResolutionMin(Vec<bool>),
    /// Tickets in the system, sampled mean.
    Backlog,
    /// Utilisation of a model pool: busy over present agents, sampled.
    Utilisation(usize),
    /// Paid agents of a file pool (time mean; trainees included).
    Headcount(usize),
    /// Productive agents of a file pool (time mean; ramping hires at 1/f).
    Productive(usize),
    /// Agents of a file pool leaving.
    Departures(usize),
    /// Agents hired into a file pool.
    Hires(usize),
    /// Labour (paid agents x price per week) plus hiring costs, in the setup's cost unit.
    Cost,
}

impl Measure {
    /// What the measure is, for the values its confidence bounds may take: a share stays in
    /// [0, 1] and a count or cost of at least 0 stays at least 0, as in every other table.
    pub fn kind(&self) -> Kind {
        match self {
            Measure::Attainment { .. } | Measure::Utilisation(_) => Kind::Fraction,
            Measure::ResolutionMin(_) => Kind::Time,
            Measure::Backlog
            | Measure::Headcount(_)
            | Measure::Productive(_)
            | Measure::Departures(_)
            | Measure::Hires(_)
            | Measure::Cost => Kind::Count,
        }
    }
}

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { f64::NAN }
}

impl RepPeriods {
    /// The value of `m` over the report periods `ks` (those of one week or month).
    pub fn value(&self, setup: &Setup, ks: &[usize], m: &Measure) -> f64 {
        let cells = self.sla.len() / setup.horizon.periods.len().max(1);
        let files = setup.pools.len();
        let pools = setup.scenario.pools.len();
        let len: f64 = ks
            .iter()
            .map(|&k| setup.horizon.period_end(k) - setup.horizon.periods[k])
            .sum();
        match m {
            Measure::Attainment {
                resolution,
                cells: mask,
            } => {
                let (mut cov, mut met) = (0u64, 0u64);
                for &k in ks {
                    for (c, _) in mask.iter().enumerate().filter(|x| *x.1) {
                        let x = &self.sla[k * cells + c];
                        let (a, b) = if *resolution { x.res } else { x.fr };
                        cov += a;
                        met += b;
                    }
                }
                ratio(met as f64, cov as f64)
            }
            Measure::ResolutionMin(mask) => {
                let (mut n, mut sum) = (0u64, 0.0);
                for &k in ks {
                    for (c, _) in mask.iter().enumerate().filter(|x| *x.1) {
                        let x = self.resolved[k * cells + c];
                        n += x.0;
                        sum += x.1;
                    }
                }
                ratio(sum, n as f64)
            }
            Measure::Backlog => {
                let n: u32 = ks.iter().map(|&k| self.samples[k]).sum();
                ratio(ks.iter().map(|&k| self.backlog[k]).sum(), f64::from(n))
            }
            Measure::Utilisation(q) => {
                let (b, p) = ks.iter().fold((0.0, 0.0), |acc, &k| {
                    let x = self.busy[k * pools + q];
                    (acc.0 + x.0, acc.1 + x.1)
                });
                ratio(b, p)
            }
            Measure::Headcount(p) => ratio(ks.iter().map(|&k| self.paid[k * files + p]).sum(), len),
            Measure::Productive(p) => ratio(
                ks.iter().map(|&k| self.productive[k * files + p]).sum(),
                len,
            ),
            Measure::Departures(p) => ks
                .iter()
                .map(|&k| f64::from(self.departures[k * files + p]))
                .sum(),
            Measure::Hires(p) => ks
                .iter()
                .map(|&k| f64::from(self.hired[k * files + p]))
                .sum(),
            Measure::Cost => {
                let mut sum = 0.0;
                for &k in ks {
                    for p in 0..files {
                        sum += self.paid[k * files + p] / WEEK_MIN * setup.cost_per_head_week[p];
                        if setup.cost_model == CostModel::LabourUsdPerWeek {
                            sum += f64::from(self.hired[k * files + p]) * setup.plan.hire_cost_usd;
                        }
                    }
                }
                sum
            }
        }
    }
}

impl Setup {
    /// The report periods of a week or month.
    pub fn periods_of(&self, span: Span) -> Vec<usize> {
        let h = &self.horizon;
        (0..h.periods.len())
            .filter(|&k| match span {
                Span::Week(w) => h.period_week[k] == w,
                Span::Month(m) => h.period_month[k] == m,
            })
            .collect()
    }
}

impl Evaluation {
    /// Per replication: the value of `m` over `span`.
    pub fn values(&self, setup: &Setup, span: Span, m: &Measure) -> Vec<f64> {
        let ks = setup.periods_of(span);
        self.reps.iter().map(|r| r.value(setup, &ks, m)).collect()
    }

    /// Mean and 95% CI of `m` over `span` across replications.
    pub fn estimate(&self, setup: &Setup, span: Span, m: &Measure) -> Estimate {
        m.kind().estimate(self.values(setup, span, m))
    }

    /// Mean and 95% CI of the cost over the whole horizon (labour plus hiring), summed month
    /// by month in each replication.
    pub fn total_cost(&self, setup: &Setup) -> Estimate {
        let months = setup.horizon.months.len();
        let per_rep = self.reps.iter().map(|r| {
            (0..months)
                .map(|m| r.value(setup, &setup.periods_of(Span::Month(m)), &Measure::Cost))
                .sum::<f64>()
        });
        Measure::Cost.kind().estimate(per_rep)
    }
}

/// A target every plan month must meet.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanTarget {
    /// The parsed target (threshold, direction, unit scale).
    pub target: Target,
    /// Its monthly value.
    pub measure: Measure,
}

impl PlanTarget {
    /// The target's standing in month `m` of `e` at one-sided `confidence`.
    pub fn check(&self, setup: &Setup, e: &Evaluation, m: usize, confidence: f64) -> TargetResult {
        let vals = e.values(setup, Span::Month(m), &self.measure);
        let est = Estimate::from_values(vals.into_iter().map(|x| x * self.target.scale));
        let t = t_one_sided(est.n, confidence);
        let (bound, margin) = match self.target.op {
            Op::AtLeast => {
                let b = est.mean - t * est.std_error;
                (b, b - self.target.threshold)
            }
            Op::AtMost => {
                let b = est.mean + t * est.std_error;
                (b, self.target.threshold - b)
            }
        };
        TargetResult {
            n: est.n,
            mean: est.mean,
            bound,
            margin,
            met: margin.is_finite() && margin >= 0.0,
        }
    }

    /// Whether the target is a first-response one (met by the intake pool).
    pub fn first_response(&self) -> bool {
        matches!(
            self.measure,
            Measure::Attainment {
                resolution: false,
                ..
            }
        )
    }
}

/// The cells of a catalog group (`all`, `priority=P1`, `segment=smb`, `target=P1/ent`).
pub fn group_cells(s: &Scenario, group: &str, resolution: bool) -> Option<Vec<bool>> {
    let ns = s.segment_count();
    let n = s.priority_count() * ns;
    let cell = |c: usize| (c / ns, c % ns);
    if group == "all" {
        return Some(vec![true; n]);
    }
    let (key, value) = group.split_once('=')?;
    match key {
        "priority" => {
            let p = s.demand.priority_names.iter().position(|x| x == value)?;
            Some((0..n).map(|c| cell(c).0 == p).collect())
        }
        "segment" => {
            let g = s.demand.segment_names.iter().position(|x| x == value)?;
            Some((0..n).map(|c| cell(c).1 == g).collect())
        }
        "target" => {
            let k = s.sla.targets.iter().position(|t| t.label == value)? as u16;
            let of = if resolution {
                &s.sla.resolution_of
            } else {
                &s.sla.first_response_of
            };
            Some((0..n).map(|c| of[c] == Some(k)).collect())
        }
        _ => None,
    }
}

/// Parses targets as `staff --target` does and maps each to its monthly value.
///
/// # Errors
/// No targets, a target that does not parse, or one with no monthly value.
pub fn plan_targets(exprs: &[String], setup: &Setup) -> Result<Vec<PlanTarget>, PlanError> {
    if exprs.is_empty() {
        return Err(PlanError::NoTargets);
    }
    let s = &setup.scenario;
    let parsed = staff::parse_targets(exprs, s)?;
    parsed
        .into_iter()
        .map(|t| {
            let unsupported = || PlanError::Unsupported {
                expr: t.expr.clone(),
            };
            let measure = match t.metric {
                "sla_first_response_attainment" | "sla_resolution_attainment" => {
                    let resolution = t.metric == "sla_resolution_attainment";
                    Measure::Attainment {
                        resolution,
                        cells: group_cells(s, &t.group, resolution).ok_or_else(unsupported)?,
                    }
                }
                "resolution_time_min" => {
                    Measure::ResolutionMin(group_cells(s, &t.group, true).ok_or_else(unsupported)?)
                }
                "utilisation" => {
                    let name = t.group.strip_prefix("pool=").ok_or_else(unsupported)?;
                    Measure::Utilisation(
                        s.pools
                            .iter()
                            .position(|p| p.name == name)
                            .ok_or_else(unsupported)?,
                    )
                }
                _ => return Err(unsupported()),
            };
            Ok(PlanTarget { target: t, measure })
        })
        .collect()
}
