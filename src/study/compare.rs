//! Comparing designs on common random numbers: the checks that make a comparison fair and the
//! per-metric paired differences against a baseline.
//!
//! Every design runs with the same seed and replication count. The engine derives each
//! replication's arrival, attribute, work-time and routing streams from (seed, replication)
//! only, and each ticket's work and routing draws from its own keys by (tier, activity), so
//! replication i of every design sees the same tickets (arrival times, channels, priorities,
//! segments, required levels, patience) and, where two designs do the same work, the same work
//! times. Differences between designs are then measured on identical demand.

use crate::measure::{GroupKey, Kind};
use crate::montecarlo::MonteCarlo;
use crate::scenario::Scenario;
use crate::stats::paired::{self, Better, Direction, Welch};
use crate::stats::summary::Estimate;
use crate::study::practical::Practical;
use std::path::{Path, PathBuf};

/// Designs that cannot be compared on common random numbers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompareError {
    /// The run windows differ, so replication i of each design measures a different stretch
    /// of time.
    #[error(
        "{} and {} measure different periods ({diffs}): set the same run window in both files to compare them",
        first.display(),
        other.display()
    )]
    DifferentPeriods {
        /// The baseline's file.
        first: PathBuf,
        /// The other design's file.
        other: PathBuf,
        /// Each differing key with both values, comma-separated.
        diffs: String,
    },
}

/// One design of a comparison, after its run.
#[derive(Debug)]
pub struct Design<'a> {
    /// Label in tables and charts (unique within a comparison).
    pub label: &'a str,
    /// The scenario as run.
    pub scenario: &'a Scenario,
    /// Its Monte Carlo results.
    pub mc: &'a MonteCarlo,
}

/// One (metric, group) of one design, with its difference from the baseline (design 0).
#[derive(Debug, Clone)]
pub struct ComparisonRow {
    /// Metric name.
    pub metric: &'static str,
    /// Group label.
    pub group: String,
    /// The group's dimensions.
    pub key: GroupKey,
    /// Kind of number (formatting).
    pub kind: Kind,
    /// Index of the design.
    pub design: usize,
    /// The design's own estimate over replications.
    pub estimate: Estimate,
    /// Paired difference `design - baseline` over replications (None for the baseline itself
    /// or when the baseline lacks the metric).
    pub paired: Option<Estimate>,
    /// Welch's unpaired difference, for contrast.
    pub unpaired: Option<Welch>,
    /// Which way is better.
    pub direction: Direction,
    /// Verdict on the paired difference.
    pub better: Better,
    /// One-sided confidence that the favoured side is better (NaN when not applicable).
    pub confidence: f64,
    /// The smallest difference that counts, in the metric's unit (NaN for the baseline).
    pub practical_threshold: f64,
}

/// Checks that scenarios can be compared on common random numbers.
///
/// # Errors
/// [`CompareError::DifferentPeriods`], naming both files, when their run windows differ (start date, time zone, warm-up,
/// horizon): replications would then measure different stretches of time.
///
/// Returns warnings for differences that leave the comparison valid but change its meaning
/// (a different demand section means different tickets).
pub fn check_comparable(designs: &[(&Path, &Scenario)]) -> Result<Vec<String>, CompareError> {
    let mut warnings = Vec::new();
    let Some(&(f0, s0)) = designs.first() else {
        return Ok(warnings);
    };
    let demand0 = toml::to_string(&s0.raw.demand).unwrap_or_default();
    for &(f, s) in &designs[1..] {
        let (a, b) = (&s0.raw.run, &s.raw.run);
        let mut diffs = Vec::new();
        if a.start_date != b.start_date {
            diffs.push(format!(
                "run.start_date {} vs {}",
                a.start_date, b.start_date
            ));
        }
        if s0.raw.demand.timezone != s.raw.demand.timezone {
            diffs.push(format!(
                "demand.timezone {} vs {}",
                s0.raw.demand.timezone, s.raw.demand.timezone
            ));
        }
        if a.warmup_days != b.warmup_days {
            diffs.push(format!(
                "run.warmup_days {} vs {}",
                a.warmup_days, b.warmup_days
            ));
        }
        if a.horizon_days != b.horizon_days {
            diffs.push(format!(
                "run.horizon_days {} vs {}",
                a.horizon_days, b.horizon_days
            ));
        }
        if !diffs.is_empty() {
            return Err(CompareError::DifferentPeriods {
                first: f0.to_path_buf(),
                other: f.to_path_buf(),
                diffs: diffs.join(", "),
            });
        }
        if toml::to_string(&s.raw.demand).unwrap_or_default() != demand0 {
            warnings.push(format!(
                "{} and {} have different [demand] sections: replication i no longer sees the same tickets in both, so differences mix design and workload",
                f0.display(),
                f.display()
            ));
        }
    }
    Ok(warnings)
}

/// Every (metric, group) of every design, with paired and unpaired differences from design 0.
///
/// Rows come per (metric, group), in order of first appearance over the designs' catalogs,
/// then per design. A metric only some designs report (a pool, swarm statistics) appears for
/// those designs only, without a difference when the baseline lacks it.
///
/// A significant difference smaller than its threshold in `practical` is
/// [`Better::NoPracticalDifference`].
pub fn compare(designs: &[Design], practical: &Practical) -> Vec<ComparisonRow> {
    let mut keys: Vec<(&'static str, &str, &GroupKey, Kind)> = Vec::new();
    for d in designs {
        for def in &d.mc.catalog.defs {
            if !keys
                .iter()
                .any(|(m, g, ..)| *m == def.metric && *g == def.group)
            {
                keys.push((def.metric, def.group.as_str(), &def.key, def.kind));
            }
        }
    }
    let column = |d: &Design, metric: &str, group: &str| -> Option<Vec<f64>> {
        d.mc.catalog
            .find(metric, group)
            .map(|i| d.mc.column(i).collect())
    };
    let mut rows = Vec::new();
    for (metric, group, key, kind) in keys {
        let direction = Direction::of(metric);
        let base = designs.first().and_then(|d| column(d, metric, group));
        let base_est = base
            .as_ref()
            .map(|v| Estimate::from_values(v.iter().copied()));
        for (k, d) in designs.iter().enumerate() {
            let Some(vals) = column(d, metric, group) else {
                continue;
            };
            let estimate = kind.estimate(vals.iter().copied());
            let (p, w) = match (&base, &base_est) {
                (Some(b), Some(be)) if k > 0 => (
                    Some(paired::paired(b, &vals)),
                    Some(paired::welch(be, &estimate)),
                ),
                _ => (None, None),
            };
            let threshold = match (&p, &base_est) {
                (Some(_), Some(be)) => practical.threshold(metric).value(be.mean),
                _ => f64::NAN,
            };
            let (mut better, confidence) =
                p.as_ref().map_or((Better::NotApplicable, f64::NAN), |e| {
                    paired::verdict(e, direction)
                });
            if matches!(better, Better::Design | Better::Baseline)
                && p.as_ref().is_some_and(|e| e.mean.abs() < threshold)
            {
                better = Better::NoPracticalDifference;
            }
            rows.push(ComparisonRow {
                metric,
                group: group.to_string(),
                key: key.clone(),
                kind,
                design: k,
                estimate,
                paired: p,
                unpaired: w,
                direction,
                better,
                confidence,
                practical_threshold: threshold,
            });
        }
    }
    rows
}

/// The row of (metric, group, design), if any.
pub fn find<'a>(
    rows: &'a [ComparisonRow],
    metric: &str,
    group: &str,
    design: usize,
) -> Option<&'a ComparisonRow> {
    rows.iter()
        .find(|r| r.metric == metric && r.group == group && r.design == design)
}
