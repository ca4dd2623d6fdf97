//! Time-weighted integrals of step functions (busy agents, queue length) over the
//! measured window.

/// Time-weighted integral of a step function over the measured window.
#[derive(Debug, Clone, Copy, Default)]
pub struct Integral {
    last: f64,
    value: f64,
    /// Integral over the window so far [value x minutes].
    pub area: f64,
}

impl Integral {
    /// Moves to time `t` (accumulating the overlap with `[w0, w1)`) and sets a new value.
    #[inline]
    pub fn set(&mut self, t: f64, value: f64, w0: f64, w1: f64) {
        self.advance(t, w0, w1);
        self.value = value;
    }

    /// Accumulates up to time `t` without changing the value.
    #[inline]
    pub fn advance(&mut self, t: f64, w0: f64, w1: f64) {
        // Plain comparisons rather than f64::max/min, whose NaN handling costs a few
        // instructions per call (several calls per ticket). No operand here is NaN (times and
        // window bounds are finite or infinite), and then both give the same bits.
        let a = if self.last > w0 { self.last } else { w0 };
        let b = if t < w1 { t } else { w1 };
        if b > a {
            self.area += (b - a) * self.value;
        }
        self.last = t;
    }

    /// Current value.
    #[inline]
    pub fn value(&self) -> f64 {
        self.value
    }
}
