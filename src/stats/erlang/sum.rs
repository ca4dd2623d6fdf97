//! A compensated sum for the long Erlang A series.

/// Neumaier-compensated sum: the Erlang A sums run over up to millions of
/// terms and the tests compare to 1e-9 and tighter.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Compensated {
    sum: f64,
    carry: f64,
}

impl Compensated {
    pub(super) fn add(&mut self, x: f64) {
        let t = self.sum + x;
        if self.sum.abs() >= x.abs() {
            self.carry += (self.sum - t) + x;
        } else {
            self.carry += (x - t) + self.sum;
        }
        self.sum = t;
    }

    pub(super) fn value(&self) -> f64 {
        self.sum + self.carry
    }
}
