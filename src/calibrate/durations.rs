//! Duration fits: lognormal and gamma maximum likelihood for work times (from exact streaming
//! sums), the Kolmogorov-Smirnov distance of each on a uniform sample, and patience by
//! Kaplan-Meier (served contacts' waits censored) with the censored exponential MLE.
//!
//! Distributions and special functions come from `statrs`.

use super::accum::{Durations, Waits};
use super::arrivals::Est;
use statrs::distribution::{ContinuousCDF, Gamma, LogNormal};
use statrs::function::gamma::{digamma, ln_gamma};

/// Which family fits better.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Lognormal.
    Lognormal,
    /// Gamma.
    Gamma,
}

/// One family's fit.
#[derive(Debug, Clone, Copy)]
pub struct FamilyFit {
    /// Mean [minutes] with SE.
    pub mean: Est,
    /// Coefficient of variation with SE.
    pub cv: Est,
    /// Log-likelihood per observation.
    pub loglik: f64,
    /// Kolmogorov-Smirnov distance on the sample.
    pub ks: f64,
}

/// Both fits of one set of durations.
#[derive(Debug, Clone, Copy)]
pub struct DurationFit {
    /// Observations.
    pub n: u64,
    /// Sample size of the KS distance.
    pub ks_n: usize,
    /// Sample mean [minutes].
    pub sample_mean: f64,
    /// Sample CV.
    pub sample_cv: f64,
    /// Lognormal MLE.
    pub lognormal: FamilyFit,
    /// Gamma MLE.
    pub gamma: FamilyFit,
    /// The family with the higher likelihood (same number of parameters, so also the lower AIC).
    pub best: Family,
}

impl DurationFit {
    /// The chosen family's fit.
    pub fn chosen(&self) -> &FamilyFit {
        match self.best {
            Family::Lognormal => &self.lognormal,
            Family::Gamma => &self.gamma,
        }
    }
}

/// Fits lognormal and gamma; `None` with fewer than 10 observations or no spread.
pub fn fit(d: &Durations) -> Option<DurationFit> {
    if d.n < 10 {
        return None;
    }
    let n = d.n as f64;
    let mean = d.sum / n;
    let var = (d.sum2 / n - mean * mean).max(0.0) * n / (n - 1.0);
    let mu = d.sum_ln / n;
    let s2 = (d.sum_ln2 / n - mu * mu).max(0.0);
    // No spread, relative to the values: with durations of months the variance of the logs
    // is a difference of numbers near ln(x)^2, whose rounding alone exceeds an absolute cut
    // (and a gamma fit to that noise has a shape so large its CDF takes minutes a value).
    if s2 <= 1e-12 || var <= 1e-8 * mean * mean {
        return None;
    }
    let mut sample = d.sample.items.clone();
    sample.sort_by(f64::total_cmp);

    // Lognormal.
    let sigma = s2.sqrt();
    let ln_mean = (mu + s2 / 2.0).exp();
    let ln_cv = (s2.exp() - 1.0).sqrt();
    let ln = LogNormal::new(mu, sigma).ok()?;
    let lognormal = FamilyFit {
        mean: Est {
            value: ln_mean,
            se: ln_mean * (s2 / n + s2 * s2 / (2.0 * n)).sqrt(),
        },
        cv: Est {
            value: ln_cv,
            se: s2.exp() / (2.0 * ln_cv) * s2 * (2.0 / n).sqrt(),
        },
        loglik: -d.sum_ln / n - sigma.ln() - 0.5 * (2.0 * std::f64::consts::PI).ln() - 0.5,
        ks: ks(&sample, |x| ln.cdf(x)),
    };

    // Gamma: solve ln k - digamma(k) = ln(mean) - mean(ln x) by Newton.
    let s = mean.ln() - mu;
    let mut k = (3.0 - s + ((s - 3.0).powi(2) + 24.0 * s).sqrt()) / (12.0 * s);
    for _ in 0..50 {
        let f = k.ln() - digamma(k) - s;
        let df = 1.0 / k - trigamma(k);
        let next = (k - f / df).max(k / 10.0);
        if (next - k).abs() < 1e-12 * k {
            k = next;
            break;
        }
        k = next;
    }
    let rate = k / mean;
    let g = Gamma::new(k, rate).ok()?;
    let var_k = 1.0 / (n * (trigamma(k) - 1.0 / k));
    let gamma = FamilyFit {
        mean: Est {
            value: mean,
            se: mean / (k * n).sqrt(),
        },
        cv: Est {
            value: 1.0 / k.sqrt(),
            se: 0.5 * k.powf(-1.5) * var_k.sqrt(),
        },
        loglik: k * rate.ln() - ln_gamma(k) + (k - 1.0) * mu - rate * mean,
        ks: ks(&sample, |x| g.cdf(x)),
    };
    let best = if lognormal.loglik >= gamma.loglik {
        Family::Lognormal
    } else {
        Family::Gamma
    };
    Some(DurationFit {
        n: d.n,
        ks_n: sample.len(),
        sample_mean: mean,
        sample_cv: var.sqrt() / mean,
        lognormal,
        gamma,
        best,
    })
}

/// The trigamma function, by a central difference of `statrs`' digamma (accurate to ~1e-8,
/// plenty for a Newton step and a standard error).
fn trigamma(x: f64) -> f64 {
    let h = 1e-5 * x.max(1e-3);
    (digamma(x + h) - digamma(x - h)) / (2.0 * h)
}

/// sup |F_n - F| over a sorted sample.
fn ks(sorted: &[f64], cdf: impl Fn(f64) -> f64) -> f64 {
    let m = sorted.len() as f64;
    sorted
        .iter()
        .enumerate()
        .map(|(i, &x)| {
            let f = cdf(x);
            (f - i as f64 / m).max((i + 1) as f64 / m - f)
        })
        .fold(0.0, f64::max)
}

/// Patience of one live channel.
#[derive(Debug, Clone)]
pub struct PatienceFit {
    /// Contacts and abandoned contacts.
    pub n: u64,
    /// Abandoned contacts.
    pub events: u64,
    /// Exponential mean [minutes] from the censored MLE (time at risk / abandonments).
    pub mean: Est,
    /// Kaplan-Meier median [minutes], when the curve falls below 1/2.
    pub km_median: Option<f64>,
    /// Kaplan-Meier survival at 1, 2, 5 and 10 minutes.
    pub km_at: [(f64, f64); 4],
    /// Largest distance between the Kaplan-Meier curve and the exponential fit, where at least
    /// [`MIN_AT_RISK`] contacts are still at risk.
    pub max_gap: f64,
}

/// Contacts still waiting below which the Kaplan-Meier curve is not compared with the fit.
pub const MIN_AT_RISK: f64 = 100.0;

/// Kaplan-Meier over the sample and the censored exponential MLE; `None` without abandonments.
pub fn patience(w: &Waits) -> Option<PatienceFit> {
    if w.events < 5 {
        return None;
    }
    let mean = w.exposure / w.events as f64;
    let mut s: Vec<(f64, bool)> = w.sample.items.clone();
    // Events before censorings at equal times (the usual convention).
    s.sort_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
    let mut at_risk = s.len() as f64;
    let mut surv = 1.0;
    // (time, survival, contacts still at risk just before it)
    let mut curve: Vec<(f64, f64, f64)> = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let t = s[i].0;
        let (mut d, mut c) = (0.0, 0.0);
        while i < s.len() && s[i].0 == t {
            if s[i].1 {
                d += 1.0;
            } else {
                c += 1.0;
            }
            i += 1;
        }
        if d > 0.0 {
            surv *= 1.0 - d / at_risk;
            curve.push((t, surv, at_risk));
        }
        at_risk -= d + c;
    }
    let at = |t: f64| {
        curve
            .iter()
            .take_while(|(x, _, _)| *x <= t)
            .last()
            .map_or(1.0, |p| p.1)
    };
    // The tail, where a handful of contacts remain, says little: compare where at least
    // MIN_AT_RISK are still waiting.
    let max_gap = curve
        .iter()
        .filter(|p| p.2 >= MIN_AT_RISK)
        .map(|&(t, sv, _)| (sv - (-t / mean).exp()).abs())
        .fold(0.0, f64::max);
    Some(PatienceFit {
        n: w.n,
        events: w.events,
        mean: Est {
            value: mean,
            se: mean / (w.events as f64).sqrt(),
        },
        km_median: curve.iter().find(|p| p.1 <= 0.5).map(|p| p.0),
        km_at: [1.0, 2.0, 5.0, 10.0].map(|t| (t, at(t))),
        max_gap,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_distr::Distribution;

    /// 21,000 work times of 31e6 s (under the one-year cell limit) are one value: the
    /// rounding of the log variance must not pass for spread (a gamma shape fitted to it made
    /// the KS step run for minutes), nor may one value in 1,800 a second longer.
    #[test]
    fn months_long_constant_durations_have_no_spread() {
        let mut d = Durations::new(1);
        for _ in 0..21_000 {
            d.push(31e6 / 60.0);
        }
        assert!(fit(&d).is_none());
        let mut d = Durations::new(1);
        for i in 0..1_807 {
            d.push(if i == 0 { 601.0 / 60.0 } else { 10.0 });
        }
        assert!(fit(&d).is_none(), "a cv of 4e-5 would be written as 0");
    }

    #[test]
    fn lognormal_sample_is_recognised() {
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(3);
        // mean 10, cv 0.8: sigma^2 = ln(1.64)
        let s2: f64 = 1.64f64.ln();
        let mu = 10f64.ln() - s2 / 2.0;
        let ln = rand_distr::LogNormal::new(mu, s2.sqrt()).unwrap();
        let mut d = Durations::new(1);
        for _ in 0..20_000 {
            d.push(ln.sample(&mut rng));
        }
        let f = fit(&d).unwrap();
        assert_eq!(f.best, Family::Lognormal);
        assert!((f.lognormal.mean.value - 10.0).abs() < 4.0 * f.lognormal.mean.se);
        assert!((f.lognormal.cv.value - 0.8).abs() < 4.0 * f.lognormal.cv.se);
        assert!(f.lognormal.ks < 0.02 && f.gamma.ks > f.lognormal.ks);
    }

    #[test]
    fn gamma_sample_is_recognised() {
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(4);
        let g = rand_distr::Gamma::new(4.0, 2.5).unwrap(); // mean 10, cv 0.5
        let mut d = Durations::new(1);
        for _ in 0..20_000 {
            d.push(g.sample(&mut rng));
        }
        let f = fit(&d).unwrap();
        assert_eq!(f.best, Family::Gamma);
        assert!(
            (f.gamma.cv.value - 0.5).abs() < 4.0 * f.gamma.cv.se,
            "{f:?}"
        );
    }

    #[test]
    fn kaplan_meier_recovers_exponential_patience_under_censoring() {
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(5);
        let pat = rand_distr::Exp::new(1.0 / 3.0).unwrap();
        let wait = rand_distr::Exp::new(1.0 / 2.0).unwrap();
        let mut w = Waits::new(1);
        for _ in 0..10_000 {
            let (p, q): (f64, f64) = (pat.sample(&mut rng), wait.sample(&mut rng));
            w.push(p.min(q), p < q);
        }
        let f = patience(&w).unwrap();
        assert!((f.mean.value - 3.0).abs() < 4.0 * f.mean.se, "{f:?}");
        let med = f.km_median.unwrap();
        assert!((med - 3.0 * 2f64.ln()).abs() < 0.15, "{med}");
        assert!(f.max_gap < 0.03, "{f:?}");
    }
}
