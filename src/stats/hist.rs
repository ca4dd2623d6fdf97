//! Log-linear histogram of non-negative durations: bounded memory whatever the number of
//! tickets, mergeable across replications, quantiles within 0.8% relative error.

use serde::Serialize;
use serde::ser::{SerializeStruct, Serializer};

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
#[derive(Debug, Clone, PartialEq)]
pub struct LogHistogram {
    /// A fixed-size array, so that recording into a [`Bucket`] (always inside the layout)
    /// needs no bounds check.
    counts: Box<[u64; BUCKETS]>,
    total: u64,
}

impl Serialize for LogHistogram {
    /// As a struct of the count sequence and the total, as when the counts were a `Vec`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut st = serializer.serialize_struct("LogHistogram", 2)?;
        st.serialize_field("counts", &self.counts[..])?;
        st.serialize_field("total", &self.total)?;
        st.end()
    }
}

impl Default for LogHistogram {
    fn default() -> Self {
        Self::new()
    }
}

/// The bucket a value falls in, the same for every [`LogHistogram`]; always below
/// [`BUCKETS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bucket(usize);

impl Bucket {
    /// The bucket of `v` [minutes].
    #[inline]
    pub fn of(v: f64) -> Bucket {
        // `index` never exceeds the last bucket; the `min` says so to the compiler, which
        // then drops the bounds checks of the (usually three) records of the bucket.
        Bucket(LogHistogram::index(v).min(BUCKETS - 1))
    }
}

impl LogHistogram {
    /// Empty histogram.
    pub fn new() -> Self {
        LogHistogram {
            counts: Box::new([0; BUCKETS]),
            total: 0,
        }
    }

    #[inline]
    fn index(v: f64) -> usize {
        // On the bits: non-negative floats order like their bits, and every negative float
        // or NaN has bits above those of +infinity. Above the smallest bucket's bits,
        // `bits - MIN_BITS` is (exponent - MIN_EXP) << 52 plus the mantissa, so its top bits
        // are the bucket: (exponent - MIN_EXP) x SUB + the mantissa's first SUB_BITS bits.
        const MIN_BITS: u64 = ((MIN_EXP + 1023) as u64) << 52;
        const MAX_BITS: u64 = ((MAX_EXP + 1023) as u64) << 52;
        const INF_BITS: u64 = 0x7ff0_0000_0000_0000;
        let bits = v.to_bits();
        if bits < MIN_BITS {
            // Zero and anything below the smallest bucket.
            0
        } else if bits < MAX_BITS {
            1 + ((bits - MIN_BITS) >> (52 - SUB_BITS)) as usize
        } else if bits <= INF_BITS {
            BUCKETS - 1
        } else {
            // Negative (minus zero included) or NaN.
            0
        }
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
        for (a, b) in self.counts.iter_mut().zip(other.counts.iter()) {
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
        // Whole blocks are skipped while even their last count stays below the rank (u64 to
        // f64 never decreases, so no bucket inside the block could reach it): the same bucket
        // and the same `cum` as a bucket-by-bucket scan, with fewer steps.
        const BLOCK: usize = 16;
        for (k, block) in self.counts.chunks(BLOCK).enumerate() {
            let sum: u64 = block.iter().sum();
            if ((cum + sum) as f64) < rank {
                cum += sum;
                continue;
            }
            for (j, &c) in block.iter().enumerate() {
                if c == 0 {
                    continue;
                }
                if (cum + c) as f64 >= rank {
                    let (lo, hi) = Self::bounds(k * BLOCK + j);
                    let frac = ((rank - cum as f64) / c as f64).clamp(0.0, 1.0);
                    return lo + frac * (hi - lo);
                }
                cum += c;
            }
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

    /// The bucket as first written: exponent and mantissa taken apart.
    fn reference_index(v: f64) -> usize {
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

    /// Quantile by a bucket-by-bucket scan, as first written.
    fn reference_quantile(h: &LogHistogram, q: f64) -> f64 {
        let rank = q.clamp(0.0, 1.0) * h.total as f64;
        let mut cum = 0u64;
        for (i, &c) in h.counts.iter().enumerate() {
            if c == 0 {
                continue;
            }
            if (cum + c) as f64 >= rank {
                let (lo, hi) = LogHistogram::bounds(i);
                let frac = ((rank - cum as f64) / c as f64).clamp(0.0, 1.0);
                return lo + frac * (hi - lo);
            }
            cum += c;
        }
        LogHistogram::bounds(BUCKETS - 1).0
    }

    #[test]
    fn buckets_and_quantiles_match_the_first_formulas_bit_for_bit() {
        let edges = [
            0.0,
            -0.0,
            -1.0,
            f64::NAN,
            -f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MIN_POSITIVE,
            f64::MAX,
            2f64.powi(MIN_EXP),
            2f64.powi(MIN_EXP).next_down(),
            2f64.powi(MAX_EXP),
            2f64.powi(MAX_EXP).next_down(),
            1.0,
            1440.0,
        ];
        for v in edges {
            assert_eq!(LogHistogram::index(v), reference_index(v), "v = {v}");
        }
        let mut x = 11u64;
        let mut h = LogHistogram::new();
        for i in 0..200_000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            // Log-uniform over 2^-14 .. 2^24 minutes, so every bucket range is visited, and
            // raw bit patterns (negatives, NaNs, subnormals) now and then.
            let u = (x >> 11) as f64 / (1u64 << 53) as f64;
            let v = if i % 5 == 0 {
                f64::from_bits(x)
            } else {
                2f64.powf(-14.0 + 38.0 * u)
            };
            assert_eq!(LogHistogram::index(v), reference_index(v), "v = {v}");
            if i % 3 != 0 {
                h.record(v.abs() * 0.001);
            }
        }
        for k in 0..=1000 {
            let q = k as f64 / 1000.0;
            assert_eq!(
                h.quantile(q).to_bits(),
                reference_quantile(&h, q).to_bits(),
                "q{q}"
            );
        }
        assert_eq!(
            h.quantile(f64::NAN).to_bits(),
            reference_quantile(&h, f64::NAN).to_bits()
        );
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
