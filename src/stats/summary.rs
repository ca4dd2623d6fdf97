//! Summaries over replications: mean, standard error and a Student-t 95% confidence interval
//! per metric, with pooled quantiles from merged histograms; and mean/CI bands per time-series
//! cell. Replications are independent and identically distributed, so the CI over replication
//! values is the textbook one; NaN values (no data in that replication) are left out and the
//! number used is reported.

use statrs::distribution::{ContinuousCDF, StudentsT};

/// Mean, spread and 95% CI of a sample of replication values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// Finite values used.
    pub n: usize,
    /// Sample mean.
    pub mean: f64,
    /// Sample standard deviation.
    pub std_dev: f64,
    /// Standard error of the mean.
    pub std_error: f64,
    /// Lower 95% confidence bound.
    pub ci_low: f64,
    /// Upper 95% confidence bound.
    pub ci_high: f64,
}

impl Estimate {
    /// The estimate with its confidence bounds cut to `[lo, hi]`, the quantity's support: a
    /// t-interval of a share near 1 or a skewed time on few replications can reach past it,
    /// and the long-run value cannot.
    pub fn within(mut self, lo: f64, hi: f64) -> Estimate {
        if self.ci_low < lo {
            self.ci_low = lo;
        }
        if self.ci_high > hi {
            self.ci_high = hi;
        }
        self
    }
}

/// Two-sided 95% Student-t critical value for `n - 1` degrees of freedom.
pub fn t_critical(n: usize) -> f64 {
    if n < 2 {
        return f64::NAN;
    }
    // The inverse CDF is an iterative search; time-series tables ask for the same n thousands
    // of times, so remember the last answer per thread.
    thread_local! {
        static LAST: std::cell::Cell<(usize, f64)> = const { std::cell::Cell::new((0, f64::NAN)) };
    }
    LAST.with(|last| {
        let (m, t) = last.get();
        if m == n {
            return t;
        }
        let t = StudentsT::new(0.0, 1.0, (n - 1) as f64)
            .map(|d| d.inverse_cdf(0.975))
            .unwrap_or(f64::NAN);
        last.set((n, t));
        t
    })
}

impl Estimate {
    /// Estimate from replication values (NaN entries skipped).
    pub fn from_values(values: impl IntoIterator<Item = f64>) -> Estimate {
        // Welford's update keeps the variance accurate for long runs of similar values.
        let (mut n, mut mean, mut m2) = (0usize, 0.0f64, 0.0f64);
        for x in values.into_iter().filter(|x| x.is_finite()) {
            n += 1;
            let d = x - mean;
            mean += d / n as f64;
            m2 += d * (x - mean);
        }
        if n == 0 {
            return Estimate {
                n,
                mean: f64::NAN,
                std_dev: f64::NAN,
                std_error: f64::NAN,
                ci_low: f64::NAN,
                ci_high: f64::NAN,
            };
        }
        let std_dev = if n > 1 {
            (m2 / (n - 1) as f64).sqrt()
        } else {
            f64::NAN
        };
        let std_error = std_dev / (n as f64).sqrt();
        let h = t_critical(n) * std_error;
        Estimate {
            n,
            mean,
            std_dev,
            std_error,
            ci_low: mean - h,
            ci_high: mean + h,
        }
    }
}

/// Running mean and variance of each cell of a fixed-size table (time series over
/// replications), so memory does not grow with replications.
#[derive(Debug, Clone)]
pub struct CellStats {
    n: Vec<u32>,
    mean: Vec<f64>,
    m2: Vec<f64>,
}

impl CellStats {
    /// For `cells` cells.
    pub fn new(cells: usize) -> Self {
        CellStats {
            n: vec![0; cells],
            mean: vec![0.0; cells],
            m2: vec![0.0; cells],
        }
    }

    /// Adds one replication's values (shorter inputs update a prefix).
    pub fn add(&mut self, values: &[f64]) {
        for (i, &x) in values.iter().enumerate().take(self.n.len()) {
            if !x.is_finite() {
                continue;
            }
            self.n[i] += 1;
            let d = x - self.mean[i];
            self.mean[i] += d / self.n[i] as f64;
            self.m2[i] += d * (x - self.mean[i]);
        }
    }

    /// Mean and 95% CI of cell `i` (NaN bounds with fewer than 2 values).
    pub fn estimate(&self, i: usize) -> (f64, f64, f64) {
        let n = self.n[i] as usize;
        if n == 0 {
            return (f64::NAN, f64::NAN, f64::NAN);
        }
        let m = self.mean[i];
        if n < 2 {
            return (m, f64::NAN, f64::NAN);
        }
        let se = (self.m2[i] / (n - 1) as f64).sqrt() / (n as f64).sqrt();
        let h = t_critical(n) * se;
        (m, m - h, m + h)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimate_matches_hand_computation() {
        let e = Estimate::from_values([1.0, 2.0, 3.0, 4.0, f64::NAN]);
        assert_eq!(e.n, 4);
        assert!((e.mean - 2.5).abs() < 1e-12);
        assert!((e.std_dev - (5.0f64 / 3.0).sqrt()).abs() < 1e-12);
        // t(0.975, 3) = 3.182446
        assert!((e.ci_high - (2.5 + 3.182446 * e.std_error)).abs() < 1e-5);
    }

    #[test]
    fn t_critical_tends_to_normal() {
        assert!((t_critical(10_000) - 1.96).abs() < 0.001);
        assert!(t_critical(1).is_nan());
    }

    #[test]
    fn cell_stats_agree_with_estimate() {
        let mut c = CellStats::new(2);
        c.add(&[1.0, 10.0]);
        c.add(&[3.0, f64::NAN]);
        let (m, lo, hi) = c.estimate(0);
        let e = Estimate::from_values([1.0, 3.0]);
        assert_eq!((m, lo, hi), (e.mean, e.ci_low, e.ci_high));
        assert_eq!(c.estimate(1).0, 10.0);
        assert!(c.estimate(1).1.is_nan());
    }
}
