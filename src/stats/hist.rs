//! Log-linear histogram of non-negative durations: bounded memory whatever the number of
//! tickets, mergeable across replications, quantiles within 0.8% relative error.

use serde::Serialize;

/// Sub-buckets per power of two: a bucket is at most 1/128 (0.8%) of its lower bound wide, so
/// any quantile is within 0.8% of the truth even for a point mass; interpolation inside a
/// bucket makes the typical error much smaller.
const SUB_BITS: u32 = 7;
const SUB: usize = 1 << SUB_BITS;
/// Values below 2^MIN_EXP minutes (~0.06 s) count as zero.
const MIN_EXP: i32 = -10;
/// Values at or above 2^MAX_EXP minutes (~4 years) land in the overflow bucket.
const MAX_EXP: i32 = 21;
/// Buckets of every histogram (the same layout for all, so shards' counts add up).
pub const BUCKETS: usize = 2 + (MAX_EXP - MIN_EXP) as usize * SUB;

/// A histogram bucket index outside the layout (data written by another version).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("histogram bucket {index} out of range 0..{BUCKETS}")]
pub struct BucketOutOfRange {
    /// The index given.
    pub index: usize,
}

/// Histogram of durations [minutes].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogHistogram {
    counts: Vec<u64>,
    total: u64,
}

impl Default for LogHistogram {
    fn default() -> Self {
        Self::new()
    }
}

/// The bucket a value falls in, the same for every [`LogHistogram`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bucket(usize);

impl Bucket {
    /// The bucket of `v` [minutes].
    #[inline]
    pub fn of(v: f64) -> Bucket {
        Bucket(LogHistogram::index(v))
    }
}

impl LogHistogram {
    /// Empty histogram.
    pub fn new() -> Self {
        LogHistogram {
            counts: vec![0; BUCKETS],
            total: 0,
        }
    }

    #[inline]
    fn index(v: f64) -> usize {
        // Below the smallest bucket, or NaN.
        if v.is_nan() || v < f64::from_bits(((MIN_EXP + 1023) as u64) << 52) {
            return 0;
        }
        let bits = v.to_bits();
        let exp = ((bits >> 52) & 0x7ff) as i32 - 1023;
        if exp >= MAX_EXP {
            return BUCKETS - 1;
        }
        let mant = ((bits >> (52 - SUB_BITS)) & (SUB as u64 - 1)) as usize;
        1 + (exp - MIN_EXP) as usize * SUB + mant
    }

    /// Lower and upper bound of bucket `i` [minutes].
    fn bounds(i: usize) -> (f64, f64) {
        if i == 0 {
            return (0.0, 0.0);
        }
        if i == BUCKETS - 1 {
            let lo = 2f64.powi(MAX_EXP);
            return (lo, lo);
        }
        let k = i - 1;
        let exp = MIN_EXP + (k / SUB) as i32;
        let base = 2f64.powi(exp);
        let w = base / SUB as f64;
        let lo = base + (k % SUB) as f64 * w;
        (lo, lo + w)
    }

    /// Records one value.
    #[inline]
    pub fn record(&mut self, v: f64) {
        self.record_bucket(Bucket::of(v));
    }

    /// Records one value whose bucket is already known: a value recorded in several
    /// histograms (all tickets, its priority, its segment) computes its bucket once.
    #[inline]
    pub fn record_bucket(&mut self, b: Bucket) {
        self.counts[b.0] += 1;
        self.total += 1;
    }

    /// Number of values recorded.
    pub fn count(&self) -> u64 {
        self.total
    }

    /// The non-empty buckets as `(bucket index, count)`: the whole state, for storing a
    /// histogram (shard partitions).
    pub fn buckets(&self) -> impl Iterator<Item = (usize, u64)> + '_ {
        self.counts
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .map(|(i, c)| (i, *c))
    }

    /// Adds `count` values to bucket `index` (the inverse of [`LogHistogram::buckets`]).
    ///
    /// # Errors
    /// When the index is outside the histogram (data from another layout).
    pub fn add_bucket(&mut self, index: usize, count: u64) -> Result<(), BucketOutOfRange> {
        let c = self
            .counts
            .get_mut(index)
            .ok_or(BucketOutOfRange { index })?;
        *c += count;
        self.total += count;
        Ok(())
    }

    /// Adds another histogram's counts.
    pub fn merge(&mut self, other: &LogHistogram) {
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        self.total += other.total;
    }

    /// Quantile `q` in [0, 1] [minutes]; NaN when empty.
    pub fn quantile(&self, q: f64) -> f64 {
        if self.total == 0 {
            return f64::NAN;
        }
        let rank = q.clamp(0.0, 1.0) * self.total as f64;
        let mut cum = 0u64;
        for (i, &c) in self.counts.iter().enumerate() {
            if c == 0 {
                continue;
            }
            if (cum + c) as f64 >= rank {
                let (lo, hi) = Self::bounds(i);
                let frac = ((rank - cum as f64) / c as f64).clamp(0.0, 1.0);
                return lo + frac * (hi - lo);
            }
            cum += c;
        }
        Self::bounds(BUCKETS - 1).0
    }

    /// Fraction of values <= `x` (bucket-interpolated), the empirical CDF; NaN when empty.
    pub fn cdf(&self, x: f64) -> f64 {
        if self.total == 0 {
            return f64::NAN;
        }
        let j = Self::index(x);
        let below: u64 = self.counts[..j].iter().sum();
        let (lo, hi) = Self::bounds(j);
        let part = if hi > lo {
            ((x - lo) / (hi - lo)).clamp(0.0, 1.0)
        } else {
            1.0
        };
        (below as f64 + part * self.counts[j] as f64) / self.total as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_of_a_uniform_grid_are_within_two_percent() {
        let mut h = LogHistogram::new();
        for i in 1..=100_000 {
            h.record(i as f64 / 100.0); // 0.01 .. 1000 minutes
        }
        for q in [0.5, 0.9, 0.99] {
            let exact = q * 1000.0;
            let got = h.quantile(q);
            assert!((got - exact).abs() / exact < 0.02, "q{q}: {got} vs {exact}");
        }
        assert!((h.cdf(500.0) - 0.5).abs() < 0.01);
    }

    #[test]
    fn zeros_and_merge() {
        let mut a = LogHistogram::new();
        let mut b = LogHistogram::new();
        for _ in 0..60 {
            a.record(0.0);
        }
        for _ in 0..40 {
            b.record(10.0);
        }
        a.merge(&b);
        assert_eq!(a.count(), 100);
        assert_eq!(a.quantile(0.5), 0.0);
        let q = a.quantile(0.9);
        assert!((q - 10.0).abs() < 0.35, "{q}");
        assert!(a.quantile(0.0) == 0.0);
        assert!(LogHistogram::new().quantile(0.5).is_nan());
    }
}
