//! Practical significance: how large a paired difference must be before a comparison calls one
//! design better. With enough replications a 0.1 pp change in SLA attainment is statistically
//! significant, yet no support leader would act on it; `compare` then says "no practical
//! difference" instead of naming a winner.
//!
//! Defaults by unit (each can be overridden per metric with `--practical METRIC=VALUE`):
//! - shares (`fraction`: attainment, abandonment, resolution rates): 1 percentage point,
//!   absolute, the resolution at which SLA reports are read;
//! - times (`minutes`): 5% of the baseline's mean, since a 3-minute change matters on a 10-minute
//!   wait and not on a 2-day resolution time;
//! - money (`USD`): 1% of the baseline's mean, about the precision of a budget line;
//! - everything else (tickets, hand-overs, helpers ...): 5% of the baseline's mean.

use crate::measure::metric;

/// A threshold on the absolute paired difference.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Threshold {
    /// In the metric's own unit (a share: 0.01 is 1 pp).
    Absolute(f64),
    /// A share of the baseline's mean (0.05 is 5%).
    Relative(f64),
}

impl Threshold {
    /// The threshold in the metric's unit, given the baseline's mean.
    pub fn value(self, baseline_mean: f64) -> f64 {
        match self {
            Threshold::Absolute(v) => v,
            Threshold::Relative(r) => r * baseline_mean.abs(),
        }
    }

    /// How a user writes it: `1pp`, `5%`, or a number in the metric's unit.
    pub fn describe(self, unit: &str) -> String {
        match self {
            Threshold::Absolute(v) if unit == "fraction" => {
                format!("{}pp", trim(v * 100.0))
            }
            Threshold::Absolute(v) => format!("{} {unit}", trim(v)),
            Threshold::Relative(r) => format!("{}% of baseline", trim(r * 100.0)),
        }
    }
}

fn trim(v: f64) -> String {
    let s = format!("{v:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A `--practical` value that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PracticalError {
    /// Not of the form `METRIC=VALUE`.
    #[error(
        "--practical {0:?}: expected METRIC=VALUE, e.g. sla_resolution_attainment=2pp, resolution_time_min=10% or cost_usd=500"
    )]
    Form(String),
    /// The metric is unknown.
    #[error(
        "--practical {spec:?}: unknown metric {metric:?}; use a metric name as written in comparison.csv, e.g. sla_first_response_attainment, resolution_time_min, cost_usd"
    )]
    Metric {
        /// The whole argument.
        spec: String,
        /// The metric name given.
        metric: String,
    },
    /// The value is not a non-negative number, percentage or percentage-point figure.
    #[error(
        "--practical {spec:?}: {reason}; write a non-negative number in the metric's unit ({unit}), a share of the baseline like 5%, or for shares percentage points like 1pp"
    )]
    Value {
        /// The whole argument.
        spec: String,
        /// The metric's unit.
        unit: &'static str,
        /// What is wrong.
        reason: String,
    },
}

/// The thresholds of one comparison: the defaults by unit and the user's overrides.
#[derive(Debug, Clone, Default)]
pub struct Practical {
    overrides: Vec<(&'static str, Threshold)>,
}

impl Practical {
    /// Defaults plus overrides parsed from `METRIC=VALUE` arguments (later ones win).
    ///
    /// # Errors
    /// [`PracticalError`] naming the argument, when a metric is unknown or a value unusable.
    pub fn parse<S: AsRef<str>>(specs: &[S]) -> Result<Self, PracticalError> {
        let mut overrides = Vec::new();
        for spec in specs {
            let spec = spec.as_ref().trim();
            let (name, value) = spec
                .split_once('=')
                .ok_or_else(|| PracticalError::Form(spec.to_string()))?;
            let info = metric::info(name.trim()).ok_or_else(|| PracticalError::Metric {
                spec: spec.to_string(),
                metric: name.trim().to_string(),
            })?;
            let bad = |reason: &str| PracticalError::Value {
                spec: spec.to_string(),
                unit: info.unit,
                reason: reason.to_string(),
            };
            let value = value.trim();
            let (number, make): (&str, fn(f64) -> Threshold) =
                if let Some(v) = value.strip_suffix('%') {
                    (v, |x| Threshold::Relative(x / 100.0))
                } else if let Some(v) = value.strip_suffix("pp") {
                    if info.unit != "fraction" {
                        return Err(bad("percentage points (pp) apply only to shares"));
                    }
                    (v, |x| Threshold::Absolute(x / 100.0))
                } else {
                    (value, Threshold::Absolute)
                };
            let x: f64 = number
                .trim()
                .parse()
                .map_err(|_| bad(&format!("{number:?} is not a number")))?;
            if !x.is_finite() || x < 0.0 {
                return Err(bad(&format!("{x} is negative or not finite")));
            }
            if overrides.iter().any(|(m, _)| *m == info.name) {
                return Err(bad(&format!(
                    "{} has a threshold already; give one per metric",
                    info.name
                )));
            }
            overrides.push((info.name, make(x)));
        }
        Ok(Practical { overrides })
    }

    /// The threshold that applies to `metric`.
    pub fn threshold(&self, metric: &str) -> Threshold {
        if let Some((_, t)) = self.overrides.iter().find(|(m, _)| *m == metric) {
            return *t;
        }
        match metric::info(metric).map_or("", |i| i.unit) {
            "fraction" => Threshold::Absolute(0.01),
            "minutes" | "hours" => Threshold::Relative(0.05),
            u if u.starts_with("USD") => Threshold::Relative(0.01),
            _ => Threshold::Relative(0.05),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_the_unit() {
        let p = Practical::default();
        assert_eq!(
            p.threshold("sla_first_response_attainment"),
            Threshold::Absolute(0.01)
        );
        assert_eq!(
            p.threshold("resolution_time_min"),
            Threshold::Relative(0.05)
        );
        assert_eq!(p.threshold("cost_usd"), Threshold::Relative(0.01));
        assert!((p.threshold("cost_usd").value(-20_000.0) - 200.0).abs() < 1e-9);
    }

    #[test]
    fn overrides_parse_and_a_metric_takes_one_threshold() {
        let e = Practical::parse(&["cost_usd = 500", "cost_usd=0"]).unwrap_err();
        assert!(e.to_string().contains("has a threshold already"), "{e}");
        let p = Practical::parse(&[
            "sla_resolution_attainment=2pp",
            "resolution_time_min=10%",
            "cost_usd=0",
        ])
        .unwrap();
        assert_eq!(
            p.threshold("sla_resolution_attainment"),
            Threshold::Absolute(0.02)
        );
        assert_eq!(
            p.threshold("resolution_time_min"),
            Threshold::Relative(0.10)
        );
        assert_eq!(p.threshold("cost_usd"), Threshold::Absolute(0.0));
        assert_eq!(Threshold::Absolute(0.02).describe("fraction"), "2pp");
        assert_eq!(
            Threshold::Relative(0.05).describe("minutes"),
            "5% of baseline"
        );
    }

    #[test]
    fn bad_values_are_refused_with_the_fix() {
        for (spec, needle) in [
            ("cost_usd", "expected METRIC=VALUE"),
            ("costs=5", "unknown metric \"costs\""),
            ("cost_usd=2pp", "only to shares"),
            ("cost_usd=-1", "negative"),
            ("cost_usd=abc", "not a number"),
            ("cost_usd=inf", "not finite"),
        ] {
            let e = Practical::parse(&[spec]).unwrap_err().to_string();
            assert!(e.contains(needle), "{spec}: {e}");
        }
    }
}
