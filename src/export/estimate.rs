//! The columns of an [`Estimate`] (a mean over replications with its spread and 95% CI),
//! written one way for every table that has them: the same names, null for a non-finite value,
//! `n_replications` as an unsigned count.

use crate::stats::summary::Estimate;
use polars::prelude::*;

/// One statistic of an [`Estimate`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stat {
    /// Replications with a value.
    N,
    /// Mean over replications.
    Mean,
    /// Standard deviation over replications.
    StdDev,
    /// Standard error of the mean.
    StdError,
    /// Lower end of the 95% CI.
    CiLow,
    /// Upper end of the 95% CI.
    CiHigh,
}

/// `n_replications, mean, std_dev, std_error, ci_low, ci_high` (`summary.csv`).
pub(crate) const FULL: [(&str, Stat); 6] = [
    ("n_replications", Stat::N),
    ("mean", Stat::Mean),
    ("std_dev", Stat::StdDev),
    ("std_error", Stat::StdError),
    ("ci_low", Stat::CiLow),
    ("ci_high", Stat::CiHigh),
];

/// `n_replications, mean, ci_low, ci_high` (comparison and sweep tables).
pub(crate) const MEAN_CI: [(&str, Stat); 4] = [
    ("n_replications", Stat::N),
    ("mean", Stat::Mean),
    ("ci_low", Stat::CiLow),
    ("ci_high", Stat::CiHigh),
];

/// A finite value, or `None` (a null in the table) for NaN and infinities.
pub(crate) fn opt(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

impl Stat {
    fn of(self, e: &Estimate) -> f64 {
        match self {
            Stat::N => e.n as f64,
            Stat::Mean => e.mean,
            Stat::StdDev => e.std_dev,
            Stat::StdError => e.std_error,
            Stat::CiLow => e.ci_low,
            Stat::CiHigh => e.ci_high,
        }
    }
}

/// One column per `(name, stat)`, one row per estimate. A missing estimate (`None`: a
/// difference without a baseline) gives nulls, and 0 replications.
pub(crate) fn estimate_columns(
    estimates: &[Option<&Estimate>],
    stats: &[(&str, Stat)],
) -> Vec<Column> {
    stats
        .iter()
        .map(|&(name, stat)| match stat {
            Stat::N => Column::new(
                name.into(),
                estimates
                    .iter()
                    .map(|e| e.map_or(0, |e| e.n as u32))
                    .collect::<Vec<_>>(),
            ),
            _ => Column::new(
                name.into(),
                estimates
                    .iter()
                    .map(|e| e.and_then(|e| opt(stat.of(e))))
                    .collect::<Vec<_>>(),
            ),
        })
        .collect()
}
