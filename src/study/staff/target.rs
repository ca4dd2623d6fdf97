//! Staffing targets: parsing `<what> <op> <number>` against the scenario's metric catalog, and
//! a target's one-sided bound and margin in one evaluation.

use super::error::{StaffError, TargetError};
use crate::measure::{Catalog, Group, GroupKey, Quantity};
use crate::scenario::Scenario;
use crate::stats::summary::Estimate;
use crate::study::sweep::PointResult;
use statrs::distribution::{ContinuousCDF, StudentsT};

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
    /// The group's dimensions (typed columns of `targets.csv`).
    pub key: GroupKey,
    /// Factor from the metric's unit to the target's (1/60 for hours).
    pub scale: f64,
    /// Unit of the threshold (`fraction`, `min`, `hours`).
    pub unit: &'static str,
    /// Direction.
    pub op: Op,
    /// Threshold in the target's unit.
    pub threshold: f64,
}

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
fn resolve_group(
    cat: &Catalog,
    metric: &str,
    g: &str,
    what: &'static str,
) -> Result<String, TargetError> {
    let groups = groups_of(cat, metric);
    if let Some(found) = groups
        .iter()
        .find(|full| **full == g || short_group(full) == Some(g))
    {
        return Ok(found.to_string());
    }
    Err(TargetError::UnknownGroup {
        what,
        name: g.to_string(),
        valid: groups
            .iter()
            .filter_map(|x| short_group(x))
            .map(str::to_string)
            .collect(),
    })
}

/// Whether an attainment entry has an SLA target behind it: some priority x segment cell of
/// its group has a target of its kind (an entry per target always has). Other quantities
/// are not attainments and always pass.
fn sla_covers(s: &Scenario, q: &Quantity) -> bool {
    let segments = s.segment_count().max(1);
    let any_cell = |g: Group, first_response: bool| {
        s.sla.cells.iter().enumerate().any(|(cell, t)| {
            g.contains(cell / segments, cell % segments)
                && if first_response {
                    t.first_response.is_some()
                } else {
                    t.resolution.is_some()
                }
        })
    };
    match *q {
        Quantity::FrAttainment(g) => any_cell(g, true),
        Quantity::ResAttainment(g) => any_cell(g, false),
        _ => true,
    }
}

/// Parses a threshold: a number, or a percentage like `95%` for fractions.
fn threshold(s: &str, fraction: bool) -> Result<f64, TargetError> {
    if s.is_empty() {
        return Err(TargetError::NoNumber);
    }
    let text = || s.to_string();
    let (num, pct) = match s.strip_suffix('%') {
        Some(n) => (n.trim(), true),
        None => (s, false),
    };
    if pct && !fraction {
        return Err(TargetError::PercentForTime { text: text() });
    }
    let x: f64 = num
        .parse()
        .ok()
        .filter(|x: &f64| x.is_finite())
        .ok_or_else(|| TargetError::NotANumber { text: text() })?;
    let x = if pct { x / 100.0 } else { x };
    if fraction && !(0.0..=1.0).contains(&x) {
        return Err(TargetError::NotAFraction { text: text() });
    }
    if x < 0.0 {
        return Err(TargetError::Negative { text: text() });
    }
    Ok(x)
}

/// Parses one target expression against the scenario's metric catalog.
///
/// # Errors
/// What is wrong: missing or invalid operator, unknown metric word, group, measure or unit,
/// or a threshold that is not a number.
pub fn parse_target(expr: &str, s: &Scenario) -> Result<Target, TargetError> {
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
            Some(o) => TargetError::InvalidOperator { op: o.to_string() },
            None => TargetError::MissingOperator,
        });
    };
    let (lhs, rhs) = (lhs.trim(), rhs.trim());
    if rhs.starts_with(['=', '<', '>']) {
        return Err(TargetError::DoubledOperator {
            op: format!("{}{}", op.symbol(), &rhs[..1]),
        });
    }
    if lhs.is_empty() {
        return Err(TargetError::NothingBefore { op: op.symbol() });
    }
    let cat = Catalog::new(s);
    let parts: Vec<&str> = lhs.split('.').map(str::trim).collect();
    let (metric, group, scale, unit, fraction) = match parts[0] {
        kind @ ("first_response" | "resolution") => {
            if parts.len() != 3 {
                return Err(TargetError::NeedsGroupAndMeasure {
                    kind: kind.to_string(),
                });
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
                    return Err(TargetError::NeedsUnit {
                        measure: measure.to_string(),
                    });
                }
                (_, "mean" | "p90", u) => {
                    let (scale, unit) = match u {
                        "min" => (1.0, "min"),
                        "hours" => (1.0 / 60.0, "hours"),
                        other => {
                            return Err(TargetError::UnknownUnit {
                                unit: other.to_string(),
                                measure: measure.to_string(),
                            });
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
                    return Err(TargetError::UnknownMeasure {
                        measure: measure.to_string(),
                    });
                }
            };
            let group = resolve_group(&cat, metric, parts[1], "group")?;
            let covers = |g: &str| {
                cat.defs
                    .iter()
                    .find(|d| d.metric == metric && d.group == g)
                    .is_none_or(|d| sla_covers(s, &d.quantity))
            };
            if !covers(&group) {
                let covered = groups_of(&cat, metric)
                    .into_iter()
                    .filter(|g| covers(g))
                    .filter_map(short_group)
                    .map(str::to_string)
                    .collect();
                return Err(TargetError::NoSlaTarget {
                    kind: if kind == "first_response" {
                        "first_response"
                    } else {
                        "resolution"
                    },
                    group: parts[1].to_string(),
                    covered,
                });
            }
            (metric, group, scale, unit, fraction)
        }
        "abandonment" => {
            let group = match parts.len() {
                1 => "all".to_string(),
                2 => resolve_group(&cat, "abandonment_rate", parts[1], "channel")?,
                _ => {
                    return Err(TargetError::AbandonmentArity);
                }
            };
            ("abandonment_rate", group, 1.0, "fraction", true)
        }
        "utilisation" | "utilization" => {
            if parts.len() != 2 {
                return Err(TargetError::UtilisationArity);
            }
            let group = resolve_group(&cat, "utilisation", parts[1], "pool")?;
            ("utilisation", group, 1.0, "fraction", true)
        }
        other => {
            return Err(TargetError::UnknownMetric {
                word: other.to_string(),
            });
        }
    };
    let threshold = threshold(rhs, fraction)?;
    let key = cat
        .defs
        .iter()
        .find(|d| d.metric == metric && d.group == group)
        .map(|d| d.key.clone())
        .unwrap_or_default();
    Ok(Target {
        expr: expr.to_string(),
        metric,
        group,
        key,
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
pub fn parse_targets(exprs: &[String], s: &Scenario) -> Result<Vec<Target>, StaffError> {
    if exprs.is_empty() {
        return Err(StaffError::NoTargets);
    }
    exprs
        .iter()
        .map(|e| {
            parse_target(e, s).map_err(|error| StaffError::Target {
                expr: e.clone(),
                error,
            })
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
    /// `utilisation.<pool> >= x`: met by fewer agents, not more.
    pub fn is_utilisation_floor(&self) -> bool {
        self.metric == "utilisation" && self.op == Op::AtLeast
    }

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
