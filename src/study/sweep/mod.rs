//! Parameter sweeps: a Cartesian grid of overrides of scalar scenario keys, every point run on
//! common random numbers.
//!
//! A varied key is addressed by its dotted path in the scenario file as written, with defaults
//! filled in (`model`, `demand.growth_per_month`, `run.warmup_days`); list entries are addressed
//! by their `name` (`pools.l1.headcount`), their `level` (`tiers.2.write_up_min`) or their
//! position (`sla.0.resolution.goal`, `demand.hour_weights.10`).
//!
//! Overrides are applied to the raw scenario as a TOML tree and the result goes through the same
//! deserialisation and validation as a file, so a point is exactly the scenario one would get by
//! editing the file. [`apply`] (one point) and [`evaluate`] (a list of points) are the building
//! blocks a staffing search or a sharded sweep can reuse.

mod designs;
mod error;
mod keys;
mod values;

pub use designs::{FILE as FILE_DESIGN, KEY as DESIGN_KEY};
pub use error::{DeError, SweepError, VaryError};

use crate::montecarlo::{MonteCarlo, SummaryRow};
use crate::scenario::{RawScenario, Scenario};
use keys::{deserialize, explain_de_error, lookup, set, type_name};
use rayon::prelude::*;
use std::path::Path;
use toml::Value;
use values::{float_range, int_range, parse_range, typed};

/// Largest grid a sweep accepts [points].
pub const MAX_POINTS: usize = 10_000;

/// One varied key and the values it takes, typed like the key (integer, float, string, bool).
#[derive(Debug, Clone, PartialEq)]
pub struct Vary {
    /// Dotted key path as given.
    pub key: String,
    /// Values in the order given.
    pub values: Vec<Value>,
}

/// One grid point: the key settings that make it, in `--vary` order.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// Position in the grid (0-based; the last varied key changes fastest).
    pub index: usize,
    /// `(key, value)` per varied key.
    pub settings: Vec<(String, Value)>,
}

impl Point {
    /// `key=value, key=value` as used in error messages and labels.
    pub fn label(&self) -> String {
        self.settings
            .iter()
            .map(|(k, v)| format!("{k}={}", show(v)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A value as a user would type it (strings without quotes).
pub fn show(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The raw scenario as a TOML tree with every defaulted key present: the base of all points.
///
/// # Errors
/// When the scenario cannot be represented in TOML (not expected for parsed files).
pub fn base_tree(raw: &RawScenario) -> Result<Value, SweepError> {
    Value::try_from(raw).map_err(|e| SweepError::Tree(Box::new(e)))
}

/// Parses one `KEY=VALUES` expression against the base tree: the key must address a scalar
/// (or an optional key the file leaves unset) and every value must fit it.
///
/// # Errors
/// What is wrong, without the expression itself (which the caller adds).
pub fn parse_vary(expr: &str, base: &Value) -> Result<Vary, VaryError> {
    let Some((key, values)) = expr.split_once('=') else {
        return Err(VaryError::NoEquals);
    };
    let key = key.trim();
    let values = values.trim();
    if key.is_empty() {
        return Err(VaryError::EmptyKey);
    }
    let key_owned = || key.to_string();
    if values.is_empty() {
        return Err(VaryError::NoValues { key: key_owned() });
    }
    if matches!(key, "run.seed" | "run.replications") {
        return Err(VaryError::Fixed { key: key_owned() });
    }
    if key == "sweep" || key.starts_with("sweep.") {
        return Err(VaryError::SweepTable);
    }
    if key == designs::KEY {
        let values = designs::parse_values(values, base)?;
        for (i, v) in values.iter().enumerate() {
            if values[..i].contains(v) {
                return Err(VaryError::Duplicate { value: show(v) });
            }
            let mut tree = base.clone();
            designs::overlay(&mut tree, &show(v)).map_err(VaryError::Design)?;
            if let Err(e) = deserialize(tree) {
                return Err(VaryError::Design(DeError {
                    path: format!("skill_designs.{}", show(v)),
                    message: format!("applied to the file: {e}"),
                }));
            }
        }
        return Ok(Vary {
            key: key.to_string(),
            values,
        });
    }
    let segs: Vec<&str> = key.split('.').collect();
    if segs.iter().any(|s| s.is_empty()) {
        return Err(VaryError::EmptySegment { key: key_owned() });
    }
    let current = lookup(base, &segs)?;
    if let Some(e) = keys::shift_staffed(base, &segs) {
        return Err(e);
    }
    let values = match (&current, parse_range(values)?) {
        (_, None) => values
            .split(',')
            .map(|v| typed(v.trim(), current.as_ref()))
            .collect::<Result<Vec<_>, _>>()?,
        (Some(Value::Integer(_)), Some(r)) => int_range(r)?,
        (Some(Value::Float(_)) | None, Some(r)) => float_range(r)?,
        (Some(v), Some(_)) => {
            return Err(VaryError::RangeNeedsNumber {
                key: key_owned(),
                kind: type_name(v),
            });
        }
    };
    for (i, v) in values.iter().enumerate() {
        if values[..i].contains(v) {
            return Err(VaryError::Duplicate { value: show(v) });
        }
    }
    // Every value must make a scenario that deserialises: catches wrong types, negative
    // counts and unknown optional keys before anything runs. Validation proper happens per point.
    for v in &values {
        let mut tree = base.clone();
        set(&mut tree, &segs, v.clone());
        if let Err(e) = deserialize(tree) {
            return Err(explain_de_error(e, &segs, v));
        }
    }
    Ok(Vary {
        key: key.to_string(),
        values,
    })
}

/// Parses every expression; rejects a key varied twice and grids above [`MAX_POINTS`].
///
/// # Errors
/// The first failing expression, prefixed with `label` and the expression
/// (e.g. `--vary pools.l9.headcount=3,4: no pool named "l9" (pools: l1, l2, l3)`).
pub fn parse_all(exprs: &[String], base: &Value, label: &str) -> Result<Vec<Vary>, SweepError> {
    if exprs.is_empty() {
        return Err(SweepError::NothingToSweep);
    }
    let mut out: Vec<Vary> = Vec::new();
    for e in exprs {
        let v = parse_vary(e, base).map_err(|error| SweepError::Expression {
            label: label.to_string(),
            expr: e.clone(),
            error: Box::new(error),
        })?;
        if out.iter().any(|o| o.key == v.key) {
            return Err(SweepError::VariedTwice {
                label: label.to_string(),
                expr: e.clone(),
                key: v.key,
            });
        }
        out.push(v);
    }
    let mut n: usize = 1;
    for v in &out {
        n = n.saturating_mul(v.values.len());
    }
    if n > MAX_POINTS {
        let dims: Vec<String> = out.iter().map(|v| v.values.len().to_string()).collect();
        return Err(SweepError::TooManyPoints {
            points: n,
            dims: dims.join(" x "),
        });
    }
    Ok(out)
}

/// Values of a long `[sweep]` range that [`check_file`] validates at each end.
const CHECKED_AT_EACH_END: usize = 8;

/// Checks `base`'s `[sweep]` for commands that only read the file (`validate`, `run`): every
/// expression parses against the file, and each value of each key (the first and last
/// [`CHECKED_AT_EACH_END`] of a longer list), applied alone, gives a valid scenario.
/// Combinations of values are checked by `sweep` itself, point by point, before it runs. Does
/// nothing without `[sweep]` or with an empty `vary` list.
///
/// # Errors
/// The first expression or value that fails, as [`parse_all`] and [`apply`] report it.
pub fn check_file(base: &Scenario, origin: &Path) -> Result<(), SweepError> {
    // An empty list is no grid: `sweep` says so when it has no --vary either.
    let Some(sweep) = base.raw.sweep.as_ref().filter(|s| !s.vary.is_empty()) else {
        return Ok(());
    };
    let tree = base_tree(&base.raw)?;
    for v in parse_all(&sweep.vary, &tree, "[sweep] vary")? {
        // A long range is checked at its ends, where values fail, to keep `validate` quick.
        let n = v.values.len();
        let ends = (0..n).filter(|&i| i < CHECKED_AT_EACH_END || i + CHECKED_AT_EACH_END >= n);
        for i in ends {
            apply(&tree, &[(v.key.clone(), v.values[i].clone())], origin)?;
        }
    }
    Ok(())
}

/// The Cartesian grid of `varies`, the last key changing fastest.
pub fn grid(varies: &[Vary]) -> Vec<Point> {
    let mut points = vec![Vec::new()];
    for v in varies {
        points = points
            .into_iter()
            .flat_map(|p: Vec<(String, Value)>| {
                v.values.iter().map(move |x| {
                    let mut q = p.clone();
                    q.push((v.key.clone(), x.clone()));
                    q
                })
            })
            .collect();
    }
    points
        .into_iter()
        .enumerate()
        .map(|(index, settings)| Point { index, settings })
        .collect()
}

/// Applies one point's settings to the base tree and validates the result; `origin` names
/// the scenario file in messages.
///
/// # Errors
/// The point's label with every validation problem.
pub fn apply(
    base: &Value,
    settings: &[(String, Value)],
    origin: &Path,
) -> Result<Scenario, SweepError> {
    let label = Point {
        index: 0,
        settings: settings.to_vec(),
    }
    .label();
    let mut tree = base.clone();
    // The design first, so that other varied keys (a headcount) apply on top of it.
    let design = settings
        .iter()
        .find(|(k, _)| k == designs::KEY)
        .map(|(_, v)| show(v));
    if let Some(d) = &design {
        designs::overlay(&mut tree, d).map_err(|error| SweepError::PointSchema {
            point: label.clone(),
            error,
        })?;
    }
    for (k, v) in settings.iter().filter(|(k, _)| k != designs::KEY) {
        let segs: Vec<&str> = k.split('.').collect();
        set(&mut tree, &segs, v.clone());
    }
    let raw = deserialize(tree).map_err(|error| SweepError::PointSchema {
        point: label.clone(),
        error,
    })?;
    verify_applied(&raw, settings, &label)?;
    Scenario::from_raw(raw, origin).map_err(|error| match design {
        Some(design) if design != designs::FILE => SweepError::DesignInvalid {
            point: label,
            design,
            error: Box::new(error),
        },
        _ => SweepError::PointInvalid {
            point: label,
            error: Box::new(error),
        },
    })
}

/// Checks that every override is in the scenario that came out: the scenario, written back
/// as a tree, has each set value at its key path. A key path that addresses nothing (say a
/// name that contains a dot) would otherwise leave the file's value in place unnoticed.
/// Keys that rename the entry they address (`.name`, `.level`) are not looked up again.
///
/// # Errors
/// [`SweepError::NotApplied`] for the first override that did not take effect.
fn verify_applied(
    raw: &RawScenario,
    settings: &[(String, Value)],
    label: &str,
) -> Result<(), SweepError> {
    let tree = base_tree(raw)?;
    for (k, v) in settings {
        if k.ends_with(".name") || k.ends_with(".level") || k == designs::KEY {
            continue;
        }
        let segs: Vec<&str> = k.split('.').collect();
        let found = lookup(&tree, &segs).ok().flatten();
        let same = match (&found, v) {
            (Some(a), b) if a == b => true,
            (Some(Value::Integer(a)), Value::Float(b))
            | (Some(Value::Float(b)), Value::Integer(a)) => *a as f64 == *b,
            _ => false,
        };
        if !same {
            return Err(SweepError::NotApplied {
                point: label.to_string(),
                key: k.clone(),
                value: show(v),
                found: found.as_ref().map_or_else(|| "nothing".to_string(), show),
            });
        }
    }
    Ok(())
}

/// What a sweep keeps of one point's Monte Carlo run (histograms and time series are dropped
/// so that large grids fit in memory).
#[derive(Debug, Clone)]
pub struct PointResult {
    /// One row per catalog entry.
    pub summary: Vec<SummaryRow>,
    /// Replication values: `values[rep][k]` belongs to `summary[k]`.
    pub values: Vec<Vec<f64>>,
    /// Replications stopped at the open-ticket cap.
    pub unstable: u32,
    /// Tickets created in total.
    pub tickets: u64,
}

impl PointResult {
    /// Replication values of `(metric, group)`, if the point has that metric.
    pub fn column(&self, metric: &str, group: &str) -> Option<Vec<f64>> {
        let k = self
            .summary
            .iter()
            .position(|r| r.metric == metric && r.group == group)?;
        Some(self.values.iter().map(|v| v[k]).collect())
    }
}

/// Runs every scenario with `replications` replications on the current rayon pool. Callers give
/// every scenario the same `run.seed` so that replication i of every point sees the same random
/// streams (common random numbers). `tick` is called once per finished replication.
pub fn evaluate(
    scenarios: &[Scenario],
    replications: u32,
    tick: &(dyn Fn() + Sync),
) -> Vec<PointResult> {
    scenarios
        .par_iter()
        .map(|s| {
            let mc = MonteCarlo::run(s, replications, tick);
            PointResult {
                summary: mc.summary(),
                values: mc.values,
                unstable: mc.unstable,
                tickets: mc.tickets,
            }
        })
        .collect()
}

/// Paid agent-hours per week of a scenario: scheduled agents (shrinkage is paid) over the
/// measured window, summed over pools, per 7 days. The sweep's cost axis.
pub fn agent_hours_per_week(s: &Scenario) -> f64 {
    s.paid_agent_hours_per_week
}

/// Pareto-optimal flags for `(cost, benefit)` pairs, lower cost and higher benefit being
/// better: a point is optimal when no other point is at least as good on both with one strictly
/// better. Points with a non-finite coordinate are never optimal and never dominate.
pub fn pareto(points: &[(f64, f64)]) -> Vec<bool> {
    let ok = |p: &(f64, f64)| p.0.is_finite() && p.1.is_finite();
    points
        .iter()
        .map(|a| {
            ok(a)
                && !points
                    .iter()
                    .any(|b| ok(b) && b.0 <= a.0 && b.1 >= a.1 && (b.0 < a.0 || b.1 > a.1))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Value {
        let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/saas-midmarket-tiered.toml");
        let s = Scenario::load(&p).unwrap();
        base_tree(&s.raw).unwrap()
    }

    fn err(expr: &str) -> String {
        parse_vary(expr, &base()).unwrap_err().to_string()
    }

    #[test]
    fn lists_are_typed_like_the_key() {
        let b = base();
        let v = parse_vary("pools.l1.shifts.early.headcount=4,5, 6", &b).unwrap();
        assert_eq!(
            v.values,
            vec![Value::Integer(4), Value::Integer(5), Value::Integer(6)]
        );
        let v = parse_vary("demand.growth_per_month=0,0.05", &b).unwrap();
        assert_eq!(v.values, vec![Value::Float(0.0), Value::Float(0.05)]);
        let v = parse_vary("model=tiered,swarm", &b).unwrap();
        assert_eq!(
            v.values,
            vec![
                Value::String("tiered".into()),
                Value::String("swarm".into())
            ]
        );
        let v = parse_vary("tiers.2.regather_min.value_min=5,10", &b).unwrap();
        assert_eq!(v.values.len(), 2);
        let v = parse_vary("sla.0.resolution.goal=0.8,0.9", &b).unwrap();
        assert_eq!(v.values.len(), 2);
    }

    #[test]
    fn ranges_include_the_end_on_the_grid() {
        let b = base();
        let v = parse_vary("pools.l1.shifts.early.headcount=4..8:2", &b).unwrap();
        assert_eq!(
            v.values,
            vec![Value::Integer(4), Value::Integer(6), Value::Integer(8)]
        );
        let v = parse_vary("pools.l1.shifts.early.headcount=4..9:2", &b).unwrap();
        assert_eq!(v.values.len(), 3, "9 is off the grid");
        let v = parse_vary("pools.l1.shifts.early.headcount=4..6", &b).unwrap();
        assert_eq!(v.values.len(), 3, "step defaults to 1");
        let v = parse_vary("demand.growth_per_month=0..0.3:0.1", &b).unwrap();
        assert_eq!(
            v.values,
            [0.0, 0.1, 0.2, 0.3].map(Value::Float).to_vec(),
            "inclusive end, no drift"
        );
        let v = parse_vary("demand.growth_per_month=2..2", &b).unwrap();
        assert_eq!(v.values, vec![Value::Float(2.0)], "integers become floats");
    }

    #[test]
    fn bad_expressions_name_the_problem() {
        for (expr, want) in [
            ("pools.l1.shifts.early.headcount", "no `=` found"),
            ("=3", "empty key"),
            ("model=", "no values"),
            (
                "pools.l9.headcount=3,4",
                "no pool named \"l9\" (pools: l1, l2, l3)",
            ),
            (
                "tiers.7.write_up_min=1",
                "no tier with level 7 (tiers: 1, 2, 3)",
            ),
            (
                "demand.growth=0.1",
                "unknown key \"growth\" in [demand]; did you mean growth_per_month?",
            ),
            (
                "demnd.growth_per_month=0.1",
                "unknown key \"demnd\" at the top level; did you mean demand?",
            ),
            ("demand=1", "demand is a table, not a single value"),
            (
                "pools=1",
                "pools is a list, not a single value: address one entry by name, e.g. pools.l1.headcount",
            ),
            (
                "pools.l1.shifts.early.headcount=abc",
                "\"abc\" is not a number",
            ),
            ("pools.l1.shifts.early.headcount=2.5", "not a whole number"),
            (
                "pools.l1.shifts.early.headcount=-1",
                "does not fit pools.l1.shifts.early.headcount",
            ),
            ("pools.l1.shifts.early.headcount=3..1:1", "empty range"),
            ("pools.l1.shifts.early.headcount=1..3:0", "step must be > 0"),
            (
                "pools.l1.shifts.early.headcount=1..3:-1",
                "step must be > 0",
            ),
            ("demand.growth_per_month=0..x:0.1", "\"x\" is not a number"),
            ("model=tiered..swarm", "a range needs a numeric key"),
            ("pools.l1.shifts.early.headcount=1..100000", "at most 10000"),
            ("model=tiered,tiered", "given twice"),
            ("run.seed=1,2", "common random numbers"),
            ("pools.l1.name.x=1", "single value"),
        ] {
            let e = err(expr);
            assert!(e.contains(want), "{expr}: {e}");
        }
    }

    #[test]
    fn a_pool_staffed_by_shifts_names_its_shift_keys() {
        // The help's and the docs' `pools.l1.headcount` would make the bundled file give both
        // shifts and a headcount, refused at every point; the error says what to vary.
        let e = err("pools.l1.headcount=5..10");
        assert!(
            e.contains("pool \"l1\" is staffed by [[pools.shifts]]")
                && e.contains("pools.l1.shifts.early.headcount, pools.l1.shifts.late.headcount"),
            "{e}"
        );
        assert!(err("pools.l2.hours=8").contains("pools.l2.shifts.late.headcount"));
    }

    #[test]
    fn grids_are_capped_and_keys_unique() {
        let b = base();
        let e = parse_all(
            &[
                "pools.l1.shifts.early.headcount=1..200".into(),
                "pools.l2.shifts.early.headcount=1..100".into(),
            ],
            &b,
            "--vary",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("20000 points (200 x 100)"), "{e}");
        let e = parse_all(&["model=tiered".into(), "model=swarm".into()], &b, "--vary")
            .unwrap_err()
            .to_string();
        assert!(e.contains("varied twice"), "{e}");
        let e = parse_all(&[], &b, "--vary").unwrap_err().to_string();
        assert!(e.contains("nothing to sweep"), "{e}");
        let e = parse_all(&["pools.l9.headcount=3,4".into()], &b, "--vary")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("--vary pools.l9.headcount=3,4: no pool named"),
            "{e}"
        );
    }

    #[test]
    fn grid_is_cartesian_last_key_fastest() {
        let b = base();
        let v = parse_all(
            &[
                "model=tiered,swarm".into(),
                "pools.l1.shifts.early.headcount=5..7".into(),
            ],
            &b,
            "--vary",
        )
        .unwrap();
        let g = grid(&v);
        assert_eq!(g.len(), 6);
        assert_eq!(
            g[1].label(),
            "model=tiered, pools.l1.shifts.early.headcount=6"
        );
        assert_eq!(
            g[3].label(),
            "model=swarm, pools.l1.shifts.early.headcount=5"
        );
    }

    #[test]
    fn an_override_that_reaches_nothing_fails_loudly() {
        let b = base();
        let origin = Path::new("<test>");
        let ok = apply(
            &b,
            &[("pools.l1.shifts.early.headcount".into(), Value::Integer(9))],
            origin,
        );
        assert!(ok.is_ok(), "{:?}", ok.err());
        // `set` cannot place a value under a pool that does not exist: the point would run
        // the file's headcounts unchanged.
        let e = apply(
            &b,
            &[("pools.l9.headcount".into(), Value::Integer(9))],
            origin,
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("setting pools.l9.headcount = 9 did not take effect"),
            "{e}"
        );
        // An integer for a float key is the same number.
        let ok = apply(
            &b,
            &[("demand.growth_per_month".into(), Value::Integer(0))],
            origin,
        );
        assert!(ok.is_ok(), "{:?}", ok.err());
    }

    #[test]
    fn pareto_flags_non_dominated_points() {
        let f = pareto(&[
            (1.0, 0.5),
            (2.0, 0.7),
            (2.0, 0.6),
            (3.0, 0.7),
            (0.5, f64::NAN),
        ]);
        assert_eq!(f, vec![true, true, false, false, false]);
    }
}
