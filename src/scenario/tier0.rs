//! Tier 0 after validation: the bot per channel and segment, and the work-time ranking that
//! lets it resolve the easy contacts first.

use super::DAY_MIN;
use super::dist::{Dist, RawDist};
use statrs::distribution::{ContinuousCDF, Gamma, Normal};
use statrs::function::gamma::gamma_lr;

/// The validated `[tier0]` table.
#[derive(Debug, Clone)]
pub struct Tier0 {
    /// Per channel: the bot there, if any.
    pub channels: Vec<Option<BotChannel>>,
    /// Per segment and channel: share of contacts that meet the bot.
    pub involvement: Vec<Vec<f64>>,
    /// Per segment and channel: share of involved, resolvable contacts it resolves.
    pub resolution: Vec<Vec<f64>>,
    /// Highest required level the bot resolves.
    pub max_level: u8,
    /// 0 = resolves regardless of work time, 1 = strictly the shortest.
    pub selectivity: f64,
    /// Probability that a leaked contact's priority goes up one step.
    pub bump_p: f64,
    /// Probability that a contained contact comes back within the window.
    pub repeat_p: f64,
    /// Containment window [minutes].
    pub window_min: f64,
    /// Price per bot conversation [USD]; `None` = not priced.
    pub cost_per_conversation: Option<f64>,
    /// Per channel: how resolution matures over the run (`None`: constant).
    pub maturity: Vec<Option<Maturity>>,
    /// Per segment and channel: resolution averaged over the measured window, for the
    /// expected-load estimate (equal to `resolution` without maturity).
    pub load_resolution: Vec<Vec<f64>>,
}

/// How a bot's resolution changes as its knowledge base matures.
#[derive(Debug, Clone, PartialEq)]
pub enum Maturity {
    /// `mature - (mature - start) x exp(-t / tau)`, from each segment's start value.
    Curve {
        /// Resolution approached [share].
        mature: f64,
        /// Time constant [minutes].
        tau_min: f64,
    },
    /// Resolution per month from the start (the last value holds afterwards).
    Monthly(Vec<f64>),
}

/// Minutes in a month of the maturity curve (365.25 / 12 days).
pub const MONTH_MIN: f64 = 365.25 / 12.0 * DAY_MIN;

impl Maturity {
    /// Resolution at `t_min` minutes after the run starts, for a segment whose starting
    /// resolution is `start`.
    #[inline]
    pub fn at(&self, start: f64, t_min: f64) -> f64 {
        match self {
            Maturity::Curve { mature, tau_min } => {
                mature - (mature - start) * (-t_min.max(0.0) / tau_min).exp()
            }
            Maturity::Monthly(v) => {
                let m = (t_min.max(0.0) / MONTH_MIN) as usize;
                v[m.min(v.len() - 1)]
            }
        }
    }

    /// Mean resolution over `[from_min, to_min]` (numerically, 2,000 steps).
    pub fn mean(&self, start: f64, from_min: f64, to_min: f64) -> f64 {
        let n = 2000;
        let h = (to_min - from_min) / n as f64;
        (0..n)
            .map(|i| self.at(start, from_min + (i as f64 + 0.5) * h))
            .sum::<f64>()
            / n as f64
    }
}

/// The bot on one channel.
#[derive(Debug, Clone)]
pub struct BotChannel {
    /// Time in the bot [minutes].
    pub time: Dist,
    /// The channel's tier-1 work-time distribution, for ranking contacts by their draw.
    pub rank: WorkRank,
}

impl Tier0 {
    /// Whether the bot is configured on `channel`.
    #[inline]
    pub fn on(&self, channel: usize) -> bool {
        self.channels[channel].is_some()
    }

    /// Minutes per hour (the window is given in hours in files).
    pub const MIN_PER_HOUR: f64 = DAY_MIN / 24.0;

    /// The resolution of segment `segment`'s contacts on `channel` arriving at `t_min`.
    #[inline]
    pub fn resolution_at(&self, segment: usize, channel: usize, t_min: f64) -> f64 {
        let start = self.resolution[segment][channel];
        match &self.maturity[channel] {
            None => start,
            Some(m) => m.at(start, t_min),
        }
    }

    /// Whether any channel's resolution matures over the run.
    pub fn matures(&self) -> bool {
        self.maturity.iter().any(Option::is_some)
    }
}

/// A work-time distribution's cumulative distribution function and lower partial means:
/// where a drawn work time ranks among all the tickets of its channel. Built from the file's
/// distribution (the sampler keeps no parameters).
#[derive(Debug, Clone)]
pub enum WorkRank {
    /// Exponential with this mean.
    Exponential(f64),
    /// Lognormal: (mu, sigma) of the log, and the mean.
    Lognormal(f64, f64, f64),
    /// Gamma: shape, scale.
    Gamma(f64, f64),
    /// Always this value.
    Deterministic(f64),
    /// The observations, sorted.
    Empirical(Vec<f64>),
}

impl WorkRank {
    /// The ranking of a validated distribution.
    pub fn new(raw: &RawDist) -> WorkRank {
        match raw {
            RawDist::Exponential { mean_min } => WorkRank::Exponential(*mean_min),
            RawDist::Lognormal { mean_min, cv } => {
                let s2 = (1.0 + cv * cv).ln();
                WorkRank::Lognormal(mean_min.ln() - s2 / 2.0, s2.sqrt(), *mean_min)
            }
            RawDist::Gamma { mean_min, cv } => {
                let shape = 1.0 / (cv * cv);
                WorkRank::Gamma(shape, mean_min / shape)
            }
            RawDist::Deterministic { value_min } => WorkRank::Deterministic(*value_min),
            RawDist::Empirical { samples_min } => {
                let mut v = samples_min.clone();
                v.sort_by(f64::total_cmp);
                WorkRank::Empirical(v)
            }
        }
    }

    /// `(P(W < w), P(W <= w))`: equal for continuous distributions; an atom's mass lies
    /// between them, so a uniform draw inside that gap ranks tied tickets at random.
    pub fn cdf_bounds(&self, w: f64) -> (f64, f64) {
        let c = match self {
            WorkRank::Exponential(m) => 1.0 - (-w / m).exp(),
            WorkRank::Lognormal(mu, sigma, _) => {
                if w <= 0.0 {
                    0.0
                } else {
                    std_normal().cdf((w.ln() - mu) / sigma)
                }
            }
            WorkRank::Gamma(k, theta) => {
                if w <= 0.0 {
                    0.0
                } else {
                    gamma_lr(*k, w / theta)
                }
            }
            WorkRank::Deterministic(v) => {
                return if w < *v {
                    (0.0, 0.0)
                } else if w > *v {
                    (1.0, 1.0)
                } else {
                    (0.0, 1.0)
                };
            }
            WorkRank::Empirical(v) => {
                let n = v.len() as f64;
                let below = v.partition_point(|x| *x < w) as f64;
                let at_or_below = v.partition_point(|x| *x <= w) as f64;
                return (below / n, at_or_below / n);
            }
        };
        (c, c)
    }

    /// E[W; W among the lowest `r` of the probability mass] [minutes x probability]: the
    /// work the bot takes away when it resolves strictly the shortest share `r`.
    pub fn lower_partial(&self, r: f64) -> f64 {
        let r = r.clamp(0.0, 1.0);
        if r == 0.0 {
            return 0.0;
        }
        match self {
            WorkRank::Exponential(m) => {
                if r >= 1.0 {
                    return *m;
                }
                let q = -m * (1.0 - r).ln();
                m * (1.0 - (1.0 - r) * (1.0 + q / m))
            }
            WorkRank::Lognormal(_, sigma, mean) => {
                if r >= 1.0 {
                    return *mean;
                }
                let n = std_normal();
                mean * n.cdf(n.inverse_cdf(r) - sigma)
            }
            WorkRank::Gamma(k, theta) => {
                if r >= 1.0 {
                    return k * theta;
                }
                let q = Gamma::new(*k, 1.0 / theta).map_or(0.0, |g| g.inverse_cdf(r));
                k * theta * gamma_lr(k + 1.0, q / theta)
            }
            WorkRank::Deterministic(v) => v * r,
            WorkRank::Empirical(v) => {
                let n = v.len() as f64;
                let mass = r * n;
                let whole = (mass.floor() as usize).min(v.len());
                let mut sum: f64 = v[..whole].iter().sum();
                if whole < v.len() {
                    sum += (mass - whole as f64) * v[whole];
                }
                sum / n
            }
        }
    }

    /// Mean [minutes].
    pub fn mean(&self) -> f64 {
        self.lower_partial(1.0)
    }
}

fn std_normal() -> Normal {
    Normal::new(0.0, 1.0).expect("the standard normal is valid")
}

/// Share and mean work time of the contacts a bot leaves to humans, on one channel: a share
/// `involvement` meets the bot, independently of work time, and it resolves a share
/// `resolution` of those, chosen by work time with `selectivity` (that share of its decisions
/// goes by rank, so picks the shortest; the rest are uniform); a share `repeat` of the
/// contained contacts come back to a human.
///
/// Returns `(human share of contacts, mean work time of the human contacts [minutes])`.
pub fn human_work(
    rank: &WorkRank,
    involvement: f64,
    resolution: f64,
    selectivity: f64,
    repeat: f64,
) -> (f64, f64) {
    let mean = rank.mean();
    // Work of the contained contacts, as minutes per contact.
    let picked = involvement
        * (selectivity * rank.lower_partial(resolution) + (1.0 - selectivity) * resolution * mean);
    let human = 1.0 - involvement * resolution * (1.0 - repeat);
    if human <= 0.0 {
        return (0.0, 0.0);
    }
    (human, (mean - picked * (1.0 - repeat)) / human)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_means_match_the_closed_forms_and_the_total() {
        for raw in [
            RawDist::Exponential { mean_min: 6.0 },
            RawDist::Lognormal {
                mean_min: 6.0,
                cv: 0.8,
            },
            RawDist::Gamma {
                mean_min: 6.0,
                cv: 0.5,
            },
        ] {
            let r = WorkRank::new(&raw);
            assert!((r.mean() - 6.0).abs() < 1e-9, "{raw:?}");
            // The lowest 20% hold less than 20% of the work, and the cdf at the 20% point is 0.2.
            let part = r.lower_partial(0.2);
            assert!(part > 0.0 && part < 0.2 * 6.0, "{raw:?} {part}");
            // Numerical check: midpoint integration of the quantile function.
            let n = 20_000;
            let mut q_sum = 0.0;
            for i in 0..n {
                let u = 0.2 * (i as f64 + 0.5) / n as f64;
                // invert the cdf by bisection
                let (mut lo, mut hi) = (0.0, 200.0);
                for _ in 0..80 {
                    let mid = 0.5 * (lo + hi);
                    if r.cdf_bounds(mid).1 < u {
                        lo = mid;
                    } else {
                        hi = mid;
                    }
                }
                q_sum += 0.5 * (lo + hi);
            }
            let numeric = q_sum * 0.2 / n as f64;
            assert!(
                (numeric - part).abs() < 1e-4,
                "{raw:?}: {numeric} vs {part}"
            );
        }
    }

    #[test]
    fn the_easy_first_example_is_exact() {
        // 20% of contacts at 3 min, 80% at 6.75 min: mean 6; the bot takes the 20% shortest.
        let mut v = vec![3.0; 2];
        v.extend([6.75; 8]);
        let r = WorkRank::new(&RawDist::Empirical { samples_min: v });
        assert_eq!(r.mean(), 6.0);
        let (share, mean) = human_work(&r, 1.0, 0.2, 1.0, 0.0);
        assert_eq!(mean, 6.75);
        assert_eq!(share, 0.8);
        assert!((share * mean / 6.0 - 0.9).abs() < 1e-15);
        // Uniform selection leaves the mean where it was.
        let (_, mean) = human_work(&r, 1.0, 0.2, 0.0, 0.0);
        assert!((mean - 6.0).abs() < 1e-12);
    }
}
