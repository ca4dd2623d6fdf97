//! Duration distributions: the raw `{ dist = "...", ... }` tables of a scenario file and
//! their validated, ready-to-sample form.
//!
//! Every duration is in minutes. A plain number in a scenario file is a deterministic duration.

use super::limits::{MAX_DIST_CV, MAX_DURATION_MIN, MIN_DIST_CV};
use crate::scenario::error::Num;
use rand::Rng;
use rand_distr::{Distribution, Exp, Gamma, LogNormal};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A duration distribution as written in a scenario file [minutes].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "dist", rename_all = "snake_case", deny_unknown_fields)]
pub enum RawDist {
    /// Exponential with the given mean [minutes].
    Exponential {
        /// Mean [minutes].
        mean_min: f64,
    },
    /// Lognormal given by its mean [minutes] and coefficient of variation (sd / mean).
    Lognormal {
        /// Mean [minutes].
        mean_min: f64,
        /// Coefficient of variation, sd / mean (> 0).
        cv: f64,
    },
    /// Gamma given by its mean [minutes] and coefficient of variation (sd / mean).
    Gamma {
        /// Mean [minutes].
        mean_min: f64,
        /// Coefficient of variation, sd / mean (> 0).
        cv: f64,
    },
    /// Always the same value [minutes].
    Deterministic {
        /// The value [minutes].
        value_min: f64,
    },
    /// Resampled uniformly from a list of observed durations [minutes].
    Empirical {
        /// Observed durations [minutes], at least one, none negative.
        samples_min: Vec<f64>,
    },
}

/// Accepts either a number (deterministic minutes) or a `{ dist = ... }` table, keeping
/// serde's precise error messages for the table form (an untagged enum would lose them).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct DistSpec(pub RawDist);

impl<'de> Deserialize<'de> for DistSpec {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = DistSpec;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a number of minutes or a table like { dist = \"exponential\", mean_min = 10 }",
                )
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<DistSpec, E> {
                Ok(DistSpec(RawDist::Deterministic { value_min: v }))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<DistSpec, E> {
                Ok(DistSpec(RawDist::Deterministic {
                    value_min: v as f64,
                }))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<DistSpec, E> {
                Ok(DistSpec(RawDist::Deterministic {
                    value_min: v as f64,
                }))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<DistSpec, A::Error> {
                RawDist::deserialize(de::value::MapAccessDeserializer::new(map)).map(DistSpec)
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// A distribution parameter out of range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{key}: {message}")]
pub struct DistError {
    /// The offending key inside the table (`mean_min`, `cv`, ...), so callers can build the
    /// full key path.
    pub key: &'static str,
    /// What is wrong with it.
    pub message: String,
}

/// A validated duration distribution, ready to sample [minutes].
#[derive(Debug, Clone)]
pub enum Dist {
    /// Exponential.
    Exponential(Exp<f64>, f64),
    /// Lognormal (mean and log-scale sigma kept for analytic estimates).
    Lognormal(LogNormal<f64>, f64, f64),
    /// Gamma (mean and shape kept for analytic estimates).
    Gamma(Gamma<f64>, f64, f64),
    /// Constant.
    Deterministic(f64),
    /// Uniform resampling of observations (mean kept).
    Empirical(Vec<f64>, f64),
}

impl Dist {
    /// Validates a raw distribution.
    ///
    /// # Errors
    /// [`DistError`] naming the offending field inside the table.
    pub fn from_raw(raw: &RawDist) -> Result<Dist, DistError> {
        let err = |key: &'static str, message: String| DistError { key, message };
        let positive = |key: &'static str, v: f64| {
            if !v.is_finite() {
                Err(err(key, format!("must be a finite number, got {}", Num(v))))
            } else if v <= 0.0 {
                Err(err(key, format!("must be > 0, got {}", Num(v))))
            } else if key == "cv" && v < MIN_DIST_CV {
                Err(err(
                    key,
                    format!(
                        "must be at least {MIN_DIST_CV:e} (sd / mean), got {}; for a fixed time use dist = \"deterministic\"",
                        Num(v)
                    ),
                ))
            } else if key == "cv" && v > MAX_DIST_CV {
                Err(err(
                    key,
                    format!("must be at most {MAX_DIST_CV} (sd / mean), got {}", Num(v)),
                ))
            } else if key != "cv" && v > MAX_DURATION_MIN {
                Err(err(
                    key,
                    format!(
                        "must be at most {MAX_DURATION_MIN:.0e} minutes (longer than any run), got {}",
                        Num(v)
                    ),
                ))
            } else {
                Ok(v)
            }
        };
        match raw {
            RawDist::Exponential { mean_min } => {
                let m = positive("mean_min", *mean_min)?;
                Ok(Dist::Exponential(
                    Exp::new(1.0 / m).map_err(|e| err("mean_min", e.to_string()))?,
                    m,
                ))
            }
            RawDist::Lognormal { mean_min, cv } => {
                let m = positive("mean_min", *mean_min)?;
                let c = positive("cv", *cv)?;
                let sigma2 = (1.0 + c * c).ln();
                let mu = m.ln() - sigma2 / 2.0;
                Ok(Dist::Lognormal(
                    LogNormal::new(mu, sigma2.sqrt()).map_err(|e| err("cv", e.to_string()))?,
                    m,
                    sigma2.sqrt(),
                ))
            }
            RawDist::Gamma { mean_min, cv } => {
                let m = positive("mean_min", *mean_min)?;
                let c = positive("cv", *cv)?;
                let shape = 1.0 / (c * c);
                Ok(Dist::Gamma(
                    Gamma::new(shape, m / shape).map_err(|e| err("cv", e.to_string()))?,
                    m,
                    shape,
                ))
            }
            RawDist::Deterministic { value_min } => {
                if !value_min.is_finite() {
                    Err(err(
                        "value_min",
                        format!("must be a finite number, got {}", Num(*value_min)),
                    ))
                } else if *value_min < 0.0 {
                    Err(err(
                        "value_min",
                        format!("must be >= 0, got {}", Num(*value_min)),
                    ))
                } else if *value_min > MAX_DURATION_MIN {
                    Err(err(
                        "value_min",
                        format!(
                            "must be at most {MAX_DURATION_MIN:.0e} minutes (longer than any run), got {}",
                            Num(*value_min)
                        ),
                    ))
                } else {
                    Ok(Dist::Deterministic(*value_min))
                }
            }
            RawDist::Empirical { samples_min } => {
                if samples_min.is_empty() {
                    return Err(err(
                        "samples_min",
                        "must list at least one observed duration".to_string(),
                    ));
                }
                if let Some((i, v)) = samples_min
                    .iter()
                    .enumerate()
                    .find(|(_, v)| !v.is_finite() || **v < 0.0 || **v > MAX_DURATION_MIN)
                {
                    return Err(err(
                        "samples_min",
                        format!(
                            "entry [{i}] must be a finite number of minutes in [0, {MAX_DURATION_MIN:.0e}], got {}",
                            Num(*v)
                        ),
                    ));
                }
                let mean = samples_min.iter().sum::<f64>() / samples_min.len() as f64;
                Ok(Dist::Empirical(samples_min.clone(), mean))
            }
        }
    }

    /// A constant duration [minutes].
    pub fn constant(value_min: f64) -> Dist {
        Dist::Deterministic(value_min)
    }

    /// Draws one duration [minutes].
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self {
            Dist::Exponential(d, _) => d.sample(rng),
            Dist::Lognormal(d, ..) => d.sample(rng),
            Dist::Gamma(d, ..) => d.sample(rng),
            Dist::Deterministic(v) => *v,
            Dist::Empirical(v, _) => {
                // Multiply-shift maps a u64 to an index without modulo bias worth caring about.
                let i = ((rng.next_u64() as u128 * v.len() as u128) >> 64) as usize;
                v[i]
            }
        }
    }

    /// Mean [minutes].
    pub fn mean(&self) -> f64 {
        match self {
            Dist::Exponential(_, m)
            | Dist::Lognormal(_, m, _)
            | Dist::Gamma(_, m, _)
            | Dist::Empirical(_, m) => *m,
            Dist::Deterministic(v) => *v,
        }
    }

    /// The least value a draw can take [minutes] (0 for the continuous distributions).
    pub fn min_value(&self) -> f64 {
        match self {
            Dist::Exponential(..) | Dist::Lognormal(..) | Dist::Gamma(..) => 0.0,
            Dist::Deterministic(v) => *v,
            Dist::Empirical(v, _) => v.iter().copied().fold(f64::INFINITY, f64::min),
        }
    }

    /// P(draw < `x`): the share of draws strictly below `x`.
    pub fn cdf_below(&self, x: f64) -> f64 {
        if x.is_nan() {
            return 0.0;
        }
        match self {
            Dist::Exponential(_, m) => {
                if x > 0.0 {
                    -(-x / m).exp_m1()
                } else {
                    0.0
                }
            }
            Dist::Lognormal(_, m, sigma) => {
                if x <= 0.0 {
                    return 0.0;
                }
                let mu = m.ln() - sigma * sigma / 2.0;
                0.5 * statrs::function::erf::erfc(
                    -(x.ln() - mu) / (sigma * std::f64::consts::SQRT_2),
                )
            }
            Dist::Gamma(_, m, shape) => {
                if x <= 0.0 {
                    return 0.0;
                }
                if x.is_infinite() {
                    return 1.0;
                }
                statrs::function::gamma::gamma_lr(*shape, x * shape / m)
            }
            Dist::Deterministic(v) => f64::from(u8::from(*v < x)),
            Dist::Empirical(v, _) => v.iter().filter(|&&y| y < x).count() as f64 / v.len() as f64,
        }
    }

    /// True when every draw is zero, so callers can skip work entirely.
    pub fn is_zero(&self) -> bool {
        matches!(self, Dist::Deterministic(v) if *v == 0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_xoshiro::Xoshiro256PlusPlus;

    /// The closed-form CDFs against the share of draws below a few points.
    #[test]
    fn cdf_below_matches_the_share_of_draws_below() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(11);
        let n = 200_000;
        for raw in [
            RawDist::Exponential { mean_min: 30.0 },
            RawDist::Lognormal {
                mean_min: 30.0,
                cv: 1.2,
            },
            RawDist::Gamma {
                mean_min: 30.0,
                cv: 0.6,
            },
            RawDist::Empirical {
                samples_min: vec![5.0, 10.0, 40.0, 90.0],
            },
        ] {
            let d = Dist::from_raw(&raw).unwrap();
            let draws: Vec<f64> = (0..n).map(|_| d.sample(&mut rng)).collect();
            for x in [0.0, 7.5, 20.0, 30.0, 60.0, 150.0] {
                let p = d.cdf_below(x);
                let share = draws.iter().filter(|&&y| y < x).count() as f64 / n as f64;
                let se = (p * (1.0 - p) / n as f64).sqrt().max(1e-6);
                assert!(
                    (share - p).abs() < 5.0 * se,
                    "{raw:?} at {x}: {share} vs {p}"
                );
            }
        }
        assert_eq!(Dist::constant(10.0).cdf_below(10.0), 0.0);
        assert_eq!(Dist::constant(10.0).cdf_below(10.5), 1.0);
    }

    fn mean_and_cv(d: &Dist, n: usize) -> (f64, f64) {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        let xs: Vec<f64> = (0..n).map(|_| d.sample(&mut rng)).collect();
        let m = xs.iter().sum::<f64>() / n as f64;
        let v = xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n - 1) as f64;
        (m, v.sqrt() / m)
    }

    #[test]
    fn lognormal_and_gamma_hit_their_mean_and_cv() {
        for raw in [
            RawDist::Lognormal {
                mean_min: 8.0,
                cv: 1.0,
            },
            RawDist::Gamma {
                mean_min: 8.0,
                cv: 0.5,
            },
            RawDist::Exponential { mean_min: 8.0 },
        ] {
            let d = Dist::from_raw(&raw).unwrap();
            let (m, cv) = mean_and_cv(&d, 400_000);
            let want_cv = match raw {
                RawDist::Lognormal { cv, .. } | RawDist::Gamma { cv, .. } => cv,
                _ => 1.0,
            };
            // Standard error of the mean is cv*mean/sqrt(n) ~ 0.013 here; 5 SE tolerance.
            assert!(
                (m - 8.0).abs() < 5.0 * want_cv * 8.0 / 400_000f64.sqrt(),
                "{raw:?}: mean {m}"
            );
            assert!((cv - want_cv).abs() < 0.05, "{raw:?}: cv {cv}");
        }
    }

    #[test]
    fn empirical_resamples_only_observed_values() {
        let d = Dist::from_raw(&RawDist::Empirical {
            samples_min: vec![1.0, 2.0, 7.0],
        })
        .unwrap();
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
        let mut seen = [0usize; 3];
        for _ in 0..30_000 {
            let x = d.sample(&mut rng);
            seen[[1.0, 2.0, 7.0].iter().position(|v| *v == x).unwrap()] += 1;
        }
        assert!(
            seen.iter().all(|&c| (9_000..11_000).contains(&c)),
            "{seen:?}"
        );
        assert!((d.mean() - 10.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn rejects_bad_parameters_naming_the_key() {
        let e = Dist::from_raw(&RawDist::Lognormal {
            mean_min: f64::NAN,
            cv: 1.0,
        })
        .unwrap_err();
        assert_eq!(e.key, "mean_min");
        assert!(e.message.contains("finite"));
        let e = Dist::from_raw(&RawDist::Gamma {
            mean_min: 3.0,
            cv: 0.0,
        })
        .unwrap_err();
        assert_eq!(e.key, "cv");
        let e = Dist::from_raw(&RawDist::Empirical {
            samples_min: vec![],
        })
        .unwrap_err();
        assert_eq!(e.key, "samples_min");
    }
}
