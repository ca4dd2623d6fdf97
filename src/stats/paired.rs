//! Comparing two designs run on common random numbers.
//!
//! Replication i of every design sees the same demand trace, so the per-replication
//! differences `b_i - a_i` cancel the demand noise both designs share: their mean and Student-t
//! CI (the *paired* comparison) are the estimate to trust. The Welch interval, which treats the
//! two samples as independent, is reported beside it to show how much the pairing gains.

use super::summary::Estimate;
use statrs::distribution::{ContinuousCDF, StudentsT};

/// Which way a metric is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Smaller is better (waits, handoffs, abandonment).
    LowerIsBetter,
    /// Larger is better (SLA attainment, first-contact resolution).
    HigherIsBetter,
    /// Describes the design; neither way is better (utilisation, arrivals, swarm rate).
    Neutral,
}

impl Direction {
    /// Name used in tables.
    pub fn name(self) -> &'static str {
        match self {
            Direction::LowerIsBetter => "lower_is_better",
            Direction::HigherIsBetter => "higher_is_better",
            Direction::Neutral => "neutral",
        }
    }

    /// The direction of a catalog metric (from [`crate::measure::metric::METRICS`]; unknown
    /// names are neutral).
    pub fn of(metric: &str) -> Direction {
        crate::measure::metric::info(metric).map_or(Direction::Neutral, |m| m.direction)
    }
}

/// Mean and 95% CI of the per-replication differences `b_i - a_i`, over the replications
/// where both values are finite.
pub fn paired(a: &[f64], b: &[f64]) -> Estimate {
    Estimate::from_values(
        a.iter()
            .zip(b)
            .filter(|(x, y)| x.is_finite() && y.is_finite())
            .map(|(x, y)| y - x),
    )
}

/// Welch's unpaired comparison of two independent samples.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Welch {
    /// Difference of means `mean(b) - mean(a)`.
    pub diff: f64,
    /// Standard error of the difference.
    pub std_error: f64,
    /// Welch–Satterthwaite degrees of freedom.
    pub df: f64,
    /// Lower 95% bound.
    pub ci_low: f64,
    /// Upper 95% bound.
    pub ci_high: f64,
}

/// Welch's 95% CI for `mean(b) - mean(a)`, ignoring the pairing (NaN with fewer than two
/// values on either side).
pub fn welch(a: &Estimate, b: &Estimate) -> Welch {
    let nan = Welch {
        diff: b.mean - a.mean,
        std_error: f64::NAN,
        df: f64::NAN,
        ci_low: f64::NAN,
        ci_high: f64::NAN,
    };
    if a.n < 2 || b.n < 2 {
        return nan;
    }
    let va = a.std_error * a.std_error;
    let vb = b.std_error * b.std_error;
    let se = (va + vb).sqrt();
    let diff = b.mean - a.mean;
    if se == 0.0 {
        return Welch {
            std_error: 0.0,
            df: (a.n + b.n - 2) as f64,
            ci_low: diff,
            ci_high: diff,
            ..nan
        };
    }
    let df = (va + vb).powi(2) / (va * va / (a.n as f64 - 1.0) + vb * vb / (b.n as f64 - 1.0));
    let t = StudentsT::new(0.0, 1.0, df)
        .map(|d| d.inverse_cdf(0.975))
        .unwrap_or(f64::NAN);
    Welch {
        diff,
        std_error: se,
        df,
        ci_low: diff - t * se,
        ci_high: diff + t * se,
    }
}

/// Which of two designs a paired difference favours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    /// The compared design (b) is better: the 95% CI of `b - a` lies on its side of zero.
    Design,
    /// The baseline (a) is better.
    Baseline,
    /// The 95% CI contains zero.
    NoDifference,
    /// The difference is significant but smaller than the metric's practical threshold
    /// (`study::practical`).
    NoPracticalDifference,
    /// The metric has no better direction, or there is no data.
    NotApplicable,
}

impl Better {
    /// Name used in tables.
    pub fn name(self) -> &'static str {
        match self {
            Better::Design => "design",
            Better::Baseline => "baseline",
            Better::NoDifference => "no_difference",
            Better::NoPracticalDifference => "no_practical_difference",
            Better::NotApplicable => "",
        }
    }
}

/// The verdict on a paired difference `d = b - a` and the one-sided confidence that the side
/// it favours is really better: `P(T < |mean| / se)` for Student's t with `n - 1` degrees of
/// freedom (1 minus the one-sided p-value of "no difference"). Identical replications
/// (`se = 0`, a nonzero mean) give confidence 1.
pub fn verdict(d: &Estimate, direction: Direction) -> (Better, f64) {
    if direction == Direction::Neutral || d.n < 2 || !d.mean.is_finite() {
        return (Better::NotApplicable, f64::NAN);
    }
    let favours_design = match direction {
        Direction::LowerIsBetter => d.mean < 0.0,
        Direction::HigherIsBetter => d.mean > 0.0,
        Direction::Neutral => unreachable!(),
    };
    let confidence = if d.std_error > 0.0 {
        StudentsT::new(0.0, 1.0, (d.n - 1) as f64)
            .map(|t| t.cdf(d.mean.abs() / d.std_error))
            .unwrap_or(f64::NAN)
    } else if d.mean != 0.0 {
        1.0
    } else {
        0.5
    };
    let significant = d.ci_low > 0.0 || d.ci_high < 0.0;
    let better = match (significant, favours_design) {
        (false, _) => Better::NoDifference,
        (true, true) => Better::Design,
        (true, false) => Better::Baseline,
    };
    (better, confidence)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paired_skips_missing_pairs() {
        let a = [1.0, 2.0, f64::NAN, 4.0];
        let b = [2.0, 2.5, 9.0, f64::NAN];
        let d = paired(&a, &b);
        assert_eq!(d.n, 2);
        assert!((d.mean - 0.75).abs() < 1e-12);
    }

    #[test]
    fn welch_matches_textbook_example() {
        // Two samples with known Welch df: a = 1..=5 (var 2.5), b = 2,4,6,8,10 (var 10).
        let a = Estimate::from_values([1.0, 2.0, 3.0, 4.0, 5.0]);
        let b = Estimate::from_values([2.0, 4.0, 6.0, 8.0, 10.0]);
        let w = welch(&a, &b);
        assert!((w.diff - 3.0).abs() < 1e-12);
        let se = (2.5f64 / 5.0 + 10.0 / 5.0).sqrt();
        assert!((w.std_error - se).abs() < 1e-12);
        // df = (0.5 + 2)^2 / (0.25/4 + 4/4) = 6.25 / 1.0625
        assert!((w.df - 6.25 / 1.0625).abs() < 1e-9);
        // t(0.975, 5.882) = 2.4600 (interpolated from tables: 2.447 at 6, 2.571 at 5)
        let t = (w.ci_high - w.diff) / se;
        assert!(t > 2.447 && t < 2.571, "{t}");
    }

    #[test]
    fn pairing_cancels_shared_noise() {
        // b = a + 1 exactly: the paired CI is a point, the unpaired one is wide.
        let a: Vec<f64> = (0..20).map(|i| (i * 7 % 11) as f64).collect();
        let b: Vec<f64> = a.iter().map(|x| x + 1.0).collect();
        let d = paired(&a, &b);
        assert_eq!((d.mean, d.ci_low, d.ci_high), (1.0, 1.0, 1.0));
        let w = welch(&Estimate::from_values(a), &Estimate::from_values(b));
        assert!(w.ci_low < 0.0 && w.ci_high > 2.0);
    }

    #[test]
    fn verdict_follows_direction_and_significance() {
        let lower = Estimate::from_values([-1.0, -1.2, -0.8, -1.1, -0.9]);
        let (b, c) = verdict(&lower, Direction::LowerIsBetter);
        assert_eq!(b, Better::Design);
        assert!(c > 0.999, "{c}");
        assert_eq!(
            verdict(&lower, Direction::HigherIsBetter).0,
            Better::Baseline
        );
        let noise = Estimate::from_values([-1.0, 1.0, -0.5, 0.6]);
        let (b, c) = verdict(&noise, Direction::LowerIsBetter);
        assert_eq!(b, Better::NoDifference);
        assert!(c > 0.5 && c < 0.9, "{c}");
        assert_eq!(verdict(&noise, Direction::Neutral).0, Better::NotApplicable);
    }
}
