//! What a sweep is defined by before anything runs: the base scenario, the grid, and what the
//! frontier needs of each point's scenario. Points' scenarios are built on demand
//! ([`Plan::scenario`]) and never held together: every point is validated once up front (and
//! dropped), then built again when it runs.

use crate::scenario::Scenario;
use crate::study::sweep::{self, Point, PointResult, Vary};
use anyhow::Result;
use std::path::{Path, PathBuf};

/// What the frontier and the cost axis need of one point's scenario.
#[derive(Debug, Clone)]
pub(super) struct PointFacts {
    /// Paid agent-hours per week (the cost axis when not every point is priced).
    pub agent_hours: f64,
    /// Whether the scenario is priced (`[costs]`).
    pub priced: bool,
    /// Whether it has a resolution target.
    pub resolution: bool,
    /// Whether it has a first-response target.
    pub first_response: bool,
    /// Pools whose estimated offered load reaches their capacity, with that estimated busy
    /// share (`validate`'s, at least 1): candidates for the overload warning.
    pub over_capacity: Vec<(String, f64)>,
}

/// Everything a sweep is defined by, before anything runs.
pub(super) struct Plan {
    pub base: Scenario,
    /// The base scenario as a TOML tree: every point is this tree with its settings applied.
    tree: toml::Value,
    /// The scenario file points are validated as (for messages).
    origin: PathBuf,
    pub varies: Vec<Vary>,
    pub points: Vec<Point>,
    pub facts: Vec<PointFacts>,
    /// Defaults a varied model runs on (see [`crate::scenario::analysis::model_defaults`]),
    /// once each.
    pub notes: Vec<String>,
    pub exprs: Vec<String>,
    pub seed: u64,
    pub reps: u32,
}

impl Plan {
    /// Point `k`'s validated scenario, built from the base tree.
    ///
    /// # Errors
    /// Not expected: every point validated when the plan was made.
    pub fn scenario(&self, k: usize) -> Result<Scenario> {
        Ok(sweep::apply(
            &self.tree,
            &self.points[k].settings,
            &self.origin,
        )?)
    }
}

/// Builds the grid from a base scenario and `--vary` expressions (or the file's `[sweep]`),
/// validating every point (one at a time, so memory does not grow with the grid).
pub(super) fn plan(
    mut base: Scenario,
    file: &Path,
    vary: &[String],
    replications: Option<u32>,
    seed: Option<u64>,
    budget: &dyn Fn(&Scenario, u32, usize) -> Result<()>,
) -> Result<Plan> {
    let reps = replications.unwrap_or(base.run.replications);
    anyhow::ensure!(
        reps >= 2,
        "--replications must be at least 2 (for confidence intervals)"
    );
    let seed = seed.unwrap_or(base.run.seed);
    // Every point inherits these from the base tree: common random numbers.
    base.raw.run.replications = reps;
    base.raw.run.seed = seed;
    let (exprs, label) = if vary.is_empty() {
        let file = base.raw.sweep.as_ref().map(|s| s.vary.clone());
        if file.as_ref().is_some_and(Vec::is_empty) {
            return Err(sweep::SweepError::EmptyFileVary.into());
        }
        (file.unwrap_or_default(), "[sweep] vary")
    } else {
        (vary.to_vec(), "--vary")
    };
    let tree = sweep::base_tree(&base.raw)?;
    let varies = sweep::parse_all(&exprs, &tree, label)?;
    let points = sweep::grid(&varies);
    // Before building every point's scenario, a first estimate from the base and the count
    // refuses the grids that are too large whatever their points.
    budget(&base, reps, points.len())?;
    let mut facts = Vec::with_capacity(points.len());
    let mut notes: Vec<String> = Vec::new();
    // Points differ in size (a varied horizon or volume), so the estimate is then redone on
    // the heaviest point, counted as many times as the grid's tickets fill: the total time of
    // every point and the memory of the largest.
    let mut heaviest: Option<(f64, Scenario)> = None;
    let mut tickets = 0.0;
    for p in &points {
        let s = sweep::apply(&tree, &p.settings, file)?;
        let t = crate::budget::tickets_per_replication(&s);
        tickets += t;
        if heaviest.as_ref().is_none_or(|(h, _)| t > *h) {
            heaviest = Some((t, s.clone()));
        }
        if let Some(n) = crate::scenario::analysis::model_defaults(&s)
            && !notes.contains(&n)
        {
            notes.push(n);
        }
        facts.push(PointFacts {
            agent_hours: sweep::agent_hours_per_week(&s),
            priced: s.costs.is_some(),
            resolution: s.sla.targets.iter().any(|t| t.resolution.is_some()),
            first_response: s.sla.targets.iter().any(|t| t.first_response.is_some()),
            over_capacity: crate::model::load::pool_loads(&s)
                .into_iter()
                .filter(|l| l.utilisation >= 1.0)
                .map(|l| (l.pool, l.utilisation))
                .collect(),
        });
    }
    if let Some((h, s)) = heaviest.filter(|(h, _)| *h > 0.0) {
        let equivalent = (tickets / h).ceil().clamp(1.0, points.len() as f64) as usize;
        budget(&s, reps, equivalent)?;
    }
    Ok(Plan {
        base,
        tree,
        origin: file.to_path_buf(),
        varies,
        points,
        facts,
        notes,
        exprs,
        seed,
        reps,
    })
}

/// `--frontier-metric` names a metric of group `all` of the sweep's scenarios: checked before
/// anything runs.
pub(super) fn check_frontier(frontier: Option<&str>, s: &Scenario) -> Result<()> {
    let Some(m) = frontier else { return Ok(()) };
    let catalog = crate::measure::Catalog::new(s);
    if catalog.find(m, "all").is_none() {
        return Err(unknown_frontier(
            m,
            catalog.defs.iter().map(|x| (x.metric, x.group.as_str())),
        ));
    }
    Ok(())
}

/// The error for a `--frontier-metric` that names no metric of group `all` among `rows`
/// (metric, group), listing the ones it could name.
fn unknown_frontier<'a>(m: &str, rows: impl Iterator<Item = (&'a str, &'a str)>) -> anyhow::Error {
    let mut names: Vec<&str> = rows.filter(|(_, g)| *g == "all").map(|(x, _)| x).collect();
    names.dedup();
    anyhow::anyhow!(
        "--frontier-metric {m}: no metric {m:?} with group \"all\" (metrics: {})",
        names.join(", ")
    )
}

/// The frontier metric: the user's, else resolution attainment when any point has a
/// resolution target, else first-response attainment.
pub(super) fn frontier_metric(
    frontier: Option<&str>,
    facts: &[PointFacts],
    r: &PointResult,
) -> Result<String> {
    if let Some(m) = frontier {
        if crate::montecarlo::find_row(&r.summary, m, "all").is_none() {
            return Err(unknown_frontier(
                m,
                r.summary.iter().map(|x| (x.metric, x.group.as_str())),
            ));
        }
        return Ok(m.to_string());
    }
    let resolution = facts.iter().any(|f| f.resolution);
    let first_response = facts.iter().any(|f| f.first_response);
    Ok(if resolution || !first_response {
        "sla_resolution_attainment".into()
    } else {
        "sla_first_response_attainment".into()
    })
}
