//! Remaining work of a step already under way at t = 0 (`[initial_state]` tickets with
//! `in_service = true`; `docs/history.md`).
//!
//! Without the minutes worked so far, the remaining work R of a step caught in service at a
//! random instant has the equilibrium (excess) density (1 - F(x)) / E[X]: R = U X*, where X*
//! is length-biased (density x f(x) / E[X]) and U uniform on (0, 1). Every work-time
//! distribution has a closed-form X*: exponential -> the same exponential (R is X again);
//! lognormal(mu, sigma) -> lognormal(mu + sigma^2, sigma); gamma(k, theta) ->
//! gamma(k + 1, theta); constant w -> w (R uniform on (0, w)); empirical -> sample i with
//! probability v_i / sum v. With the minutes worked `a`, R is X - a given X > a: memoryless
//! for the exponential, exact for constant and empirical work; for lognormal and gamma by
//! rejection from X (at most [`REJECTION_TRIES`] draws), then by inverting the survival
//! function (closed form for the lognormal, bisection for the gamma), both exact.

use super::dist::Dist;
use super::limits::MAX_DURATION_MIN;
use rand::{Rng, RngExt};
use rand_distr::{Distribution, Gamma, LogNormal};

/// Draws from X before the conditional residual falls back to inverting the survival
/// function (a tail so far out that rejection would rarely accept).
pub const REJECTION_TRIES: u32 = 64;

impl Dist {
    /// The largest value a draw can take [minutes] (infinite for the continuous
    /// distributions).
    pub fn max_value(&self) -> f64 {
        match self {
            Dist::Exponential(..) | Dist::Lognormal(..) | Dist::Gamma(..) => f64::INFINITY,
            Dist::Deterministic(v) => *v,
            Dist::Empirical(v, _) => v.iter().copied().fold(0.0, f64::max),
        }
    }

    /// P(draw > `x`), computed directly in the upper tail (no 1 - F cancellation).
    pub fn survival(&self, x: f64) -> f64 {
        if x.is_nan() {
            return 0.0;
        }
        match self {
            Dist::Exponential(_, m) => {
                if x <= 0.0 {
                    1.0
                } else {
                    (-x / m).exp()
                }
            }
            Dist::Lognormal(_, m, sigma) => {
                if x <= 0.0 {
                    return 1.0;
                }
                let mu = m.ln() - sigma * sigma / 2.0;
                0.5 * statrs::function::erf::erfc(
                    (x.ln() - mu) / (sigma * std::f64::consts::SQRT_2),
                )
            }
            Dist::Gamma(_, m, shape) => {
                if x <= 0.0 {
                    return 1.0;
                }
                if x.is_infinite() {
                    return 0.0;
                }
                statrs::function::gamma::gamma_ur(*shape, x * shape / m)
            }
            Dist::Deterministic(v) => f64::from(u8::from(*v > x)),
            Dist::Empirical(v, _) => v.iter().filter(|&&y| y > x).count() as f64 / v.len() as f64,
        }
    }

    /// The remaining work of a step under way [minutes]: from the equilibrium residual
    /// distribution when `worked_min` is `None`, else X - a given X > a (0 when no draw
    /// exceeds a; validation refuses such a ticket when it can tell). Bounded work, never
    /// infinite.
    pub fn sample_residual<R: Rng + ?Sized>(&self, rng: &mut R, worked_min: Option<f64>) -> f64 {
        let r = match worked_min {
            None => self.equilibrium_residual(rng),
            Some(a) => self.conditional_residual(rng, a.max(0.0)),
        };
        if r.is_finite() {
            r.clamp(0.0, MAX_DURATION_MIN)
        } else {
            MAX_DURATION_MIN
        }
    }

    fn equilibrium_residual<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self {
            // Memoryless: the residual is the work time itself.
            Dist::Exponential(d, _) => d.sample(rng),
            Dist::Lognormal(_, m, sigma) => {
                let mu = m.ln() - sigma * sigma / 2.0;
                let x = LogNormal::new(mu + sigma * sigma, *sigma).map_or(*m, |d| d.sample(rng));
                x * rng.random::<f64>()
            }
            Dist::Gamma(_, m, shape) => {
                let x = Gamma::new(shape + 1.0, m / shape).map_or(*m, |d| d.sample(rng));
                x * rng.random::<f64>()
            }
            Dist::Deterministic(w) => w * rng.random::<f64>(),
            Dist::Empirical(v, mean) => {
                if *mean <= 0.0 {
                    return 0.0;
                }
                // Length-biased pick: sample i with probability v_i / sum v.
                let total: f64 = v.iter().sum();
                let target = rng.random::<f64>() * total;
                let mut acc = 0.0;
                let mut pick = v.iter().rposition(|&y| y > 0.0).map_or(0.0, |i| v[i]);
                for &y in v {
                    acc += y;
                    if target < acc {
                        pick = y;
                        break;
                    }
                }
                pick * rng.random::<f64>()
            }
        }
    }

    fn conditional_residual<R: Rng + ?Sized>(&self, rng: &mut R, a: f64) -> f64 {
        match self {
            Dist::Exponential(d, _) => d.sample(rng),
            Dist::Deterministic(w) => (w - a).max(0.0),
            Dist::Empirical(v, _) => {
                let n = v.iter().filter(|&&y| y > a).count();
                if n == 0 {
                    return 0.0;
                }
                let k = ((rng.next_u64() as u128 * n as u128) >> 64) as usize;
                v.iter().filter(|&&y| y > a).nth(k).map_or(0.0, |y| y - a)
            }
            Dist::Lognormal(..) | Dist::Gamma(..) => {
                for _ in 0..REJECTION_TRIES {
                    let x = self.sample(rng);
                    if x > a {
                        return x - a;
                    }
                }
                // Deep in the tail: invert the survival function at s = V S(a), V uniform
                // on (0, 1], so x > a has the conditional law exactly.
                let sa = self.survival(a);
                if sa <= 0.0 {
                    return 0.0;
                }
                let s = ((1.0 - rng.random::<f64>()) * sa).max(f64::MIN_POSITIVE);
                (self.inverse_survival(s, a) - a).max(0.0)
            }
        }
    }

    /// The x >= `lo` with P(draw > x) = `s` (`lo` having a survival of at least `s`).
    fn inverse_survival(&self, s: f64, lo: f64) -> f64 {
        if let Dist::Lognormal(_, m, sigma) = self {
            // S(x) = erfc(z / sqrt 2) / 2 with z = (ln x - mu) / sigma.
            let mu = m.ln() - sigma * sigma / 2.0;
            let z = std::f64::consts::SQRT_2 * statrs::function::erf::erfc_inv(2.0 * s);
            return (mu + sigma * z).exp().max(lo);
        }
        // Bisection on the decreasing survival function: bracket, then halve (bounded).
        let mut lo = lo;
        let mut hi = (2.0 * lo).max(self.mean()).max(1.0);
        let mut grow = 0;
        while self.survival(hi) > s && grow < 1100 {
            lo = hi;
            hi *= 2.0;
            grow += 1;
        }
        if !hi.is_finite() {
            return MAX_DURATION_MIN;
        }
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            if mid <= lo || mid >= hi {
                break;
            }
            if self.survival(mid) > s {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        0.5 * (lo + hi)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::dist::RawDist;
    use rand::SeedableRng;
    use rand_xoshiro::Xoshiro256PlusPlus;

    fn dist(raw: RawDist) -> Dist {
        Dist::from_raw(&raw).unwrap()
    }

    /// Mean and standard error of `n` residual draws.
    fn draws(d: &Dist, worked: Option<f64>, n: usize, seed: u64) -> (Vec<f64>, f64, f64) {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let xs: Vec<f64> = (0..n)
            .map(|_| d.sample_residual(&mut rng, worked))
            .collect();
        let m = xs.iter().sum::<f64>() / n as f64;
        let v = xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n - 1) as f64;
        (xs, m, (v / n as f64).sqrt())
    }

    /// ∫ S(x) dx over [lo, hi] (lo > 0) by the trapezoid rule in u = ln x (fine for a
    /// smooth S); from 0, S ~ 1 on [0, 1e-9] adds 1e-9.
    fn integral_of_survival(d: &Dist, lo: f64, hi: f64) -> f64 {
        let n = 200_000;
        let (a, b) = (lo.ln(), hi.ln());
        let h = (b - a) / n as f64;
        let f = |u: f64| d.survival(u.exp()) * u.exp();
        let mut sum = 0.5 * (f(a) + f(b));
        for i in 1..n {
            sum += f(a + i as f64 * h);
        }
        sum * h
    }

    fn continuous() -> Vec<(Dist, f64, f64)> {
        // (dist, mean, cv)
        vec![
            (dist(RawDist::Exponential { mean_min: 12.0 }), 12.0, 1.0),
            (
                dist(RawDist::Lognormal {
                    mean_min: 20.0,
                    cv: 1.3,
                }),
                20.0,
                1.3,
            ),
            (
                dist(RawDist::Gamma {
                    mean_min: 15.0,
                    cv: 0.6,
                }),
                15.0,
                0.6,
            ),
            (
                dist(RawDist::Gamma {
                    mean_min: 15.0,
                    cv: 2.0,
                }),
                15.0,
                2.0,
            ),
        ]
    }

    #[test]
    fn the_equilibrium_residual_has_mean_e_x2_over_2_e_x_and_cdf_of_the_integrated_tail() {
        let n = 200_000;
        for (i, (d, m, cv)) in continuous().into_iter().enumerate() {
            // E[R] = E[X^2] / (2 E[X]) = m (1 + cv^2) / 2.
            let want = m * (1.0 + cv * cv) / 2.0;
            let (xs, got, se) = draws(&d, None, n, 40 + i as u64);
            eprintln!("{d:?}: residual mean {got:.4} +- {se:.4}, theory {want:.4}");
            assert!(
                (got - want).abs() < 4.0 * se,
                "{d:?}: {got} vs {want} (se {se})"
            );
            // P(R <= x) = ∫_0^x S(u) du / E[X].
            for x in [0.25 * m, m, 3.0 * m] {
                let p = (1e-9 + integral_of_survival(&d, 1e-9, x)) / m;
                let share = xs.iter().filter(|&&r| r <= x).count() as f64 / n as f64;
                let se = (p * (1.0 - p) / n as f64).sqrt();
                assert!((share - p).abs() < 5.0 * se, "{d:?} at {x}: {share} vs {p}");
            }
        }
        // Lognormal: E[R] = exp(2 mu + 2 sigma^2) / (2 exp(mu + sigma^2 / 2)).
        let Dist::Lognormal(_, m, sigma) = dist(RawDist::Lognormal {
            mean_min: 20.0,
            cv: 1.3,
        }) else {
            unreachable!()
        };
        let mu = m.ln() - sigma * sigma / 2.0;
        let closed =
            (2.0 * mu + 2.0 * sigma * sigma).exp() / (2.0 * (mu + sigma * sigma / 2.0).exp());
        assert!((closed - 20.0 * (1.0 + 1.3 * 1.3) / 2.0).abs() < 1e-9);
    }

    #[test]
    fn constant_and_empirical_work_have_exact_residuals() {
        let n = 100_000;
        let (xs, got, se) = draws(&Dist::constant(30.0), None, n, 5);
        assert!((got - 15.0).abs() < 4.0 * se, "uniform on (0, 30): {got}");
        assert!(xs.iter().all(|&x| (0.0..30.0).contains(&x)));
        let (xs, ..) = draws(&Dist::constant(30.0), Some(12.5), 10, 5);
        assert!(xs.iter().all(|&x| x == 17.5), "exactly w - a");
        // Empirical {10, 30}: length-biased picks 30 with probability 3/4, so
        // E[R] = E[X^2] / (2 E[X]) = (100 + 900) / 2 / (2 x 20) = 12.5.
        let e = dist(RawDist::Empirical {
            samples_min: vec![10.0, 30.0],
        });
        let (_, got, se) = draws(&e, None, n, 6);
        assert!((got - 12.5).abs() < 4.0 * se, "empirical: {got} +- {se}");
        // Worked 15: only the 30 is left, 15 to go.
        let (xs, ..) = draws(&e, Some(15.0), 100, 6);
        assert!(xs.iter().all(|&x| x == 15.0));
        // Worked past every sample: nothing left (validation refuses such a ticket).
        assert_eq!(draws(&e, Some(40.0), 10, 6).1, 0.0);
        assert_eq!(e.survival(40.0), 0.0);
    }

    #[test]
    fn the_conditional_residual_matches_the_mean_residual_life_in_the_body_and_deep_tail() {
        let n = 100_000;
        for (i, (d, m, _)) in continuous().into_iter().enumerate() {
            // In the body (rejection accepts) and far out (S(a) ~ 1e-7: the inverse).
            let tail = {
                let mut a = m;
                while d.survival(a) > 1e-7 {
                    a *= 1.25;
                }
                a
            };
            for a in [0.5 * m, tail] {
                let sa = d.survival(a);
                let want = integral_of_survival(&d, a, a * 400.0 + 100.0 * m) / sa;
                let (_, got, se) = draws(&d, Some(a), n, 70 + i as u64);
                eprintln!(
                    "{d:?} worked {a:.1} (S = {sa:.2e}): mean {got:.4} +- {se:.4}, theory {want:.4}"
                );
                assert!(
                    (got - want).abs() < 4.0 * se,
                    "{d:?} a {a}: {got} vs {want}"
                );
            }
        }
    }

    #[test]
    fn the_inverse_survival_inverts_the_survival_function() {
        for (d, m, _) in continuous() {
            for s in [0.5, 1e-3, 1e-9, 1e-30] {
                let x = d.inverse_survival(s, 0.0);
                assert!(
                    ((d.survival(x) - s) / s).abs() < 1e-6,
                    "{d:?}: S({x}) = {} vs {s}",
                    d.survival(x)
                );
                assert!(x > 0.0 && x.is_finite(), "{m}");
            }
        }
    }
}
