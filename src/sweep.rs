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

use crate::montecarlo::{MonteCarlo, SummaryRow};
use crate::scenario::{RawScenario, Scenario};
use rayon::prelude::*;
use std::path::Path;
use toml::Value;

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
pub fn base_tree(raw: &RawScenario) -> Result<Value, String> {
    Value::try_from(raw).map_err(|e| format!("cannot represent the scenario as TOML: {e}"))
}

/// Parses one `KEY=VALUES` expression against the base tree: the key must address a scalar
/// (or an optional key the file leaves unset) and every value must fit it.
///
/// # Errors
/// A message naming the problem (without the expression itself, which the caller adds).
pub fn parse_vary(expr: &str, base: &Value) -> Result<Vary, String> {
    let Some((key, values)) = expr.split_once('=') else {
        return Err("expected KEY=VALUES, e.g. pools.l1.headcount=4..8:1 or model=tiered,swarm (no `=` found)".into());
    };
    let key = key.trim();
    let values = values.trim();
    if key.is_empty() {
        return Err("empty key before `=`".into());
    }
    if values.is_empty() {
        return Err(format!("no values after `{key}=`"));
    }
    if matches!(key, "run.seed" | "run.replications") {
        return Err(format!(
            "{key} cannot be varied: every point runs with the same seed and replications (common random numbers); use --seed / --replications"
        ));
    }
    if key == "sweep" || key.starts_with("sweep.") {
        return Err("the [sweep] table itself cannot be varied".into());
    }
    let segs: Vec<&str> = key.split('.').collect();
    if segs.iter().any(|s| s.is_empty()) {
        return Err(format!("key {key:?} has an empty part between dots"));
    }
    let current = lookup(base, &segs)?;
    let values = match (&current, parse_range(values)?) {
        (_, None) => values
            .split(',')
            .map(|v| typed(v.trim(), current.as_ref()))
            .collect::<Result<Vec<_>, _>>()?,
        (Some(Value::Integer(_)), Some(r)) => int_range(r)?,
        (Some(Value::Float(_)) | None, Some(r)) => float_range(r)?,
        (Some(v), Some(_)) => {
            return Err(format!(
                "a range needs a numeric key, but {key} is a {}; list the values instead, e.g. {key}=a,b",
                type_name(v)
            ));
        }
    };
    for (i, v) in values.iter().enumerate() {
        if values[..i].contains(v) {
            return Err(format!("value {} is given twice", show(v)));
        }
    }
    // Every value must make a scenario that deserialises: catches wrong types, negative
    // counts and unknown optional keys before anything runs. Validation proper happens per point.
    for v in &values {
        let mut tree = base.clone();
        set(&mut tree, &segs, v.clone());
        if let Err(e) = deserialize(tree) {
            return Err(explain_de_error(&e, &segs, v));
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
pub fn parse_all(exprs: &[String], base: &Value, label: &str) -> Result<Vec<Vary>, String> {
    if exprs.is_empty() {
        return Err(
            "nothing to sweep: give --vary KEY=VALUES (e.g. --vary pools.l1.headcount=4..8:1) or a [sweep] table with vary = [...] in the scenario file"
                .into(),
        );
    }
    let mut out: Vec<Vary> = Vec::new();
    for e in exprs {
        let v = parse_vary(e, base).map_err(|m| format!("{label} {e}: {m}"))?;
        if out.iter().any(|o| o.key == v.key) {
            return Err(format!("{label} {e}: key {} is varied twice", v.key));
        }
        out.push(v);
    }
    let mut n: usize = 1;
    for v in &out {
        n = n.saturating_mul(v.values.len());
    }
    if n > MAX_POINTS {
        let dims: Vec<String> = out.iter().map(|v| v.values.len().to_string()).collect();
        return Err(format!(
            "the grid has {n} points ({}); at most {MAX_POINTS} are allowed: use fewer values or a coarser step",
            dims.join(" x ")
        ));
    }
    Ok(out)
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
/// A message naming the point and every validation problem.
pub fn apply(
    base: &Value,
    settings: &[(String, Value)],
    origin: &Path,
) -> Result<Scenario, String> {
    let mut tree = base.clone();
    for (k, v) in settings {
        let segs: Vec<&str> = k.split('.').collect();
        set(&mut tree, &segs, v.clone());
    }
    let label = Point {
        index: 0,
        settings: settings.to_vec(),
    }
    .label();
    let raw = deserialize(tree).map_err(|e| format!("point {label}: {e}"))?;
    Scenario::from_raw(raw, origin).map_err(|e| format!("point {label}: {e}"))
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

// ---- key paths -------------------------------------------------------------------------------

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "string",
        Value::Integer(_) => "integer",
        Value::Float(_) => "number",
        Value::Boolean(_) => "boolean",
        Value::Datetime(_) => "date-time",
        Value::Array(_) => "list",
        Value::Table(_) => "table",
    }
}

/// How a list's entries are addressed: by `name`, by `level`, or by position.
fn entry_index(arr: &[Value], seg: &str, list_path: &str) -> Result<usize, String> {
    let field = ["name", "level"].into_iter().find(|f| {
        !arr.is_empty()
            && arr
                .iter()
                .all(|e| e.as_table().is_some_and(|t| t.contains_key(*f)))
    });
    let what = list_path.rsplit('.').next().unwrap_or(list_path);
    let singular = what.strip_suffix('s').unwrap_or(what);
    match field {
        Some(f) => {
            let ids: Vec<String> = arr.iter().map(|e| show(&e[f])).collect();
            ids.iter().position(|id| id == seg).ok_or_else(|| {
                let with = if f == "name" {
                    format!("named {seg:?}")
                } else {
                    format!("with {f} {seg}")
                };
                format!("no {singular} {with} ({what}: {})", ids.join(", "))
            })
        }
        None => {
            let i: usize = seg.parse().map_err(|_| {
                format!(
                    "{list_path} is a list: address an entry by its position 0..{}, not {seg:?}",
                    arr.len().saturating_sub(1)
                )
            })?;
            if i < arr.len() {
                Ok(i)
            } else {
                Err(format!(
                    "{list_path} has {} entries (positions 0..{}); there is no entry {i}",
                    arr.len(),
                    arr.len().saturating_sub(1)
                ))
            }
        }
    }
}

/// The current value at `segs`: `Some` for a scalar, `None` for an optional key the file leaves
/// unset (checked later by deserialising), an error for a non-scalar or a bad list entry.
fn lookup(base: &Value, segs: &[&str]) -> Result<Option<Value>, String> {
    let mut cur = base;
    for (i, seg) in segs.iter().enumerate() {
        let path = segs[..i].join(".");
        let next = match cur {
            Value::Table(t) => t.get(*seg),
            Value::Array(a) => Some(&a[entry_index(a, seg, &path)?]),
            _ => {
                return Err(format!("{path} is a single value; it has no key {seg:?}"));
            }
        };
        match next {
            Some(v) => cur = v,
            // Unset optional key or unknown key: deserialising with the value decides.
            None => return Ok(None),
        }
    }
    let key = segs.join(".");
    match cur {
        Value::Table(t) => {
            let keys: Vec<&str> = t.keys().map(String::as_str).collect();
            Err(format!(
                "{key} is a table, not a single value: vary one of its keys ({})",
                keys.iter()
                    .map(|k| format!("{key}.{k}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        }
        Value::Array(a) => {
            let hint = match a.first() {
                Some(Value::Table(t)) if t.contains_key("name") => {
                    let names: Vec<String> = a.iter().map(|e| show(&e["name"])).collect();
                    let first = names.first().cloned().unwrap_or_default();
                    let field = t.keys().find(|k| *k != "name").cloned().unwrap_or_default();
                    format!(
                        "address one entry by name, e.g. {key}.{first}.{field} ({key}: {})",
                        names.join(", ")
                    )
                }
                Some(Value::Table(t)) if t.contains_key("level") => {
                    format!("address one entry by level, e.g. {key}.1.<key>")
                }
                _ => format!("address one entry by position, e.g. {key}.0"),
            };
            Err(format!("{key} is a list, not a single value: {hint}"))
        }
        Value::Datetime(_) => Err(format!("{key} is a date-time, which cannot be varied")),
        v => Ok(Some(v.clone())),
    }
}

/// Sets `segs` to `v`, creating missing tables on the way (for unset optional tables such as
/// `[swarm]`). Paths were checked by [`lookup`], so list entries exist.
fn set(tree: &mut Value, segs: &[&str], v: Value) {
    let Some((last, init)) = segs.split_last() else {
        return;
    };
    let mut cur = tree;
    for (i, seg) in init.iter().enumerate() {
        cur = match cur {
            Value::Array(a) => {
                let path = segs[..i].join(".");
                let Ok(k) = entry_index(a, seg, &path) else {
                    return;
                };
                &mut a[k]
            }
            Value::Table(t) => t
                .entry(seg.to_string())
                .or_insert_with(|| Value::Table(toml::Table::new())),
            _ => return,
        };
    }
    match cur {
        Value::Table(t) => {
            t.insert(last.to_string(), v);
        }
        Value::Array(a) => {
            let path = init.join(".");
            if let Ok(k) = entry_index(a, last, &path) {
                a[k] = v;
            }
        }
        _ => {}
    }
}

fn deserialize(tree: Value) -> Result<RawScenario, String> {
    serde_path_to_error::deserialize::<_, RawScenario>(tree).map_err(|e| {
        let path = e.path().to_string();
        let msg = e.inner().to_string();
        let msg = msg.trim();
        if path == "." || path.is_empty() {
            msg.to_string()
        } else {
            format!("{path}: {msg}")
        }
    })
}

/// Turns a deserialisation failure of a single override into a message about the key or value.
fn explain_de_error(err: &str, segs: &[&str], v: &Value) -> String {
    if let Some(rest) = err.split("unknown field `").nth(1) {
        let field = rest.split('`').next().unwrap_or("");
        let expected: Vec<&str> = rest
            .split_once("expected")
            .map(|(_, e)| e.split('`').skip(1).step_by(2).collect())
            .unwrap_or_default();
        let pos = segs.iter().position(|s| *s == field).unwrap_or(0);
        let parent = segs[..pos].join(".");
        let place = if parent.is_empty() {
            "at the top level".to_string()
        } else {
            format!("in [{parent}]")
        };
        let mut m = format!("unknown key {field:?} {place}");
        if let Some(s) = did_you_mean(field, &expected) {
            m.push_str(&format!("; did you mean {s}?"));
        } else if !expected.is_empty() {
            m.push_str(&format!(" (keys: {})", expected.join(", ")));
        }
        return m;
    }
    format!("value {} does not fit {}: {err}", show(v), segs.join("."))
}

fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| {
            let d = if c.starts_with(word) || word.starts_with(c) {
                1
            } else {
                levenshtein(word, c)
            };
            (d, *c)
        })
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

// ---- values ------------------------------------------------------------------------------------

/// `lo..hi` or `lo..hi:step` (step 1 when omitted), as the three number strings.
struct Range<'a> {
    lo: &'a str,
    hi: &'a str,
    step: &'a str,
}

fn parse_range(s: &str) -> Result<Option<Range<'_>>, String> {
    let Some((lo, rest)) = s.split_once("..") else {
        return Ok(None);
    };
    if s.contains(',') {
        return Err(format!(
            "{s:?} mixes a list and a range: give either a,b,c or lo..hi:step"
        ));
    }
    let (hi, step) = rest.split_once(':').unwrap_or((rest, "1"));
    Ok(Some(Range {
        lo: lo.trim(),
        hi: hi.trim(),
        step: step.trim(),
    }))
}

fn number(s: &str) -> Result<f64, String> {
    s.parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .ok_or_else(|| format!("{s:?} is not a number"))
}

fn integer(s: &str) -> Result<i64, String> {
    s.parse::<i64>().map_err(|_| {
        if number(s).is_ok() {
            format!("{s:?} is not a whole number (this key takes integers)")
        } else {
            format!("{s:?} is not a number")
        }
    })
}

fn count(lo: f64, hi: f64, step: f64) -> Result<usize, String> {
    if step <= 0.0 {
        return Err(format!("step must be > 0 (got {step})"));
    }
    if hi < lo {
        return Err(format!("empty range: {hi} is below {lo}"));
    }
    // Counting steps (not adding them up) keeps float grids free of drift; the epsilon keeps
    // `0..0.3:0.1` inclusive of 0.3.
    let n = ((hi - lo) / step + 1e-9).floor() + 1.0;
    if n > MAX_POINTS as f64 {
        return Err(format!(
            "the range has {n} values; at most {MAX_POINTS} grid points are allowed"
        ));
    }
    Ok(n as usize)
}

fn int_range(r: Range) -> Result<Vec<Value>, String> {
    let (lo, hi, step) = (integer(r.lo)?, integer(r.hi)?, integer(r.step)?);
    let n = count(lo as f64, hi as f64, step as f64)?;
    Ok((0..n as i64)
        .map(|i| Value::Integer(lo + i * step))
        .collect())
}

fn float_range(r: Range) -> Result<Vec<Value>, String> {
    let (lo, hi, step) = (number(r.lo)?, number(r.hi)?, number(r.step)?);
    let n = count(lo, hi, step)?;
    Ok((0..n)
        .map(|i| Value::Float(tidy(lo + i as f64 * step)))
        .collect())
}

/// Rounds away binary noise (`0.30000000000000004`) so values print as typed.
fn tidy(x: f64) -> f64 {
    let r = (x * 1e12).round() / 1e12;
    if r.is_finite() { r } else { x }
}

/// One list value, typed like the key's current value (or guessed for an unset optional key;
/// deserialisation then checks it).
fn typed(s: &str, current: Option<&Value>) -> Result<Value, String> {
    if s.is_empty() {
        return Err("empty value in the list".into());
    }
    Ok(match current {
        Some(Value::Integer(_)) => Value::Integer(integer(s)?),
        Some(Value::Float(_)) => Value::Float(number(s)?),
        Some(Value::Boolean(_)) => Value::Boolean(
            s.parse()
                .map_err(|_| format!("{s:?} is not true or false"))?,
        ),
        Some(_) => Value::String(s.to_string()),
        None => {
            if let Ok(i) = s.parse::<i64>() {
                Value::Integer(i)
            } else if let Ok(x) = number(s) {
                Value::Float(x)
            } else if let Ok(b) = s.parse::<bool>() {
                Value::Boolean(b)
            } else {
                Value::String(s.to_string())
            }
        }
    })
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
        parse_vary(expr, &base()).unwrap_err()
    }

    #[test]
    fn lists_are_typed_like_the_key() {
        let b = base();
        let v = parse_vary("pools.l1.headcount=4,5, 6", &b).unwrap();
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
        let v = parse_vary("pools.l1.headcount=4..8:2", &b).unwrap();
        assert_eq!(
            v.values,
            vec![Value::Integer(4), Value::Integer(6), Value::Integer(8)]
        );
        let v = parse_vary("pools.l1.headcount=4..9:2", &b).unwrap();
        assert_eq!(v.values.len(), 3, "9 is off the grid");
        let v = parse_vary("pools.l1.headcount=4..6", &b).unwrap();
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
            ("pools.l1.headcount", "no `=` found"),
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
            ("pools.l1.headcount=abc", "\"abc\" is not a number"),
            ("pools.l1.headcount=2.5", "not a whole number"),
            ("pools.l1.headcount=-1", "does not fit pools.l1.headcount"),
            ("pools.l1.headcount=3..1:1", "empty range"),
            ("pools.l1.headcount=1..3:0", "step must be > 0"),
            ("pools.l1.headcount=1..3:-1", "step must be > 0"),
            ("demand.growth_per_month=0..x:0.1", "\"x\" is not a number"),
            ("model=tiered..swarm", "a range needs a numeric key"),
            ("pools.l1.headcount=1..100000", "at most 10000"),
            ("model=tiered,tiered", "given twice"),
            ("run.seed=1,2", "common random numbers"),
            ("pools.l1.name.x=1", "single value"),
        ] {
            let e = err(expr);
            assert!(e.contains(want), "{expr}: {e}");
        }
    }

    #[test]
    fn grids_are_capped_and_keys_unique() {
        let b = base();
        let e = parse_all(
            &[
                "pools.l1.headcount=1..200".into(),
                "pools.l2.headcount=1..100".into(),
            ],
            &b,
            "--vary",
        )
        .unwrap_err();
        assert!(e.contains("20000 points (200 x 100)"), "{e}");
        let e =
            parse_all(&["model=tiered".into(), "model=swarm".into()], &b, "--vary").unwrap_err();
        assert!(e.contains("varied twice"), "{e}");
        let e = parse_all(&[], &b, "--vary").unwrap_err();
        assert!(e.contains("nothing to sweep"), "{e}");
        let e = parse_all(&["pools.l9.headcount=3,4".into()], &b, "--vary").unwrap_err();
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
                "pools.l1.headcount=5..7".into(),
            ],
            &b,
            "--vary",
        )
        .unwrap();
        let g = grid(&v);
        assert_eq!(g.len(), 6);
        assert_eq!(g[1].label(), "model=tiered, pools.l1.headcount=6");
        assert_eq!(g[3].label(), "model=swarm, pools.l1.headcount=5");
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
