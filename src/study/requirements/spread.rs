//! The rule that spreads deferred work (email, escalations, messages left by live customers)
//! within its SLA window.
//!
//! Work that arrives in interval `j` under a window of `W` minutes on a clock is spread
//! uniformly over the next `W` minutes *on that clock*, starting at the start of `j`: each
//! interval `k` from `j` on receives the share (clock minutes of `k` inside the window) / `W`.
//! On the 24x7 clock that is the next `W` wall minutes; on a business-hours calendar only
//! open minutes count, so work arriving at night lands in the next business hours, as its
//! SLA clock does. The typical week repeats, so a window running past its end wraps to its
//! start. This is the least even capacity that finishes every piece of work by its deadline
//! if work were infinitely divisible; it ignores queueing within the window (the simulation
//! is what checks that).

/// A deferred-work window: a limit on a clock.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window {
    /// Limit [minutes on the clock].
    pub limit_min: f64,
    /// Index into `Sla::clocks`; `None` = the 24x7 wall clock.
    pub clock: Option<u16>,
}

/// Spreads `work[j]` (agent-minutes arriving in interval `j`) over the window, given the clock
/// minutes `open[j]` of each interval of the week; returns the agent-minutes each interval must
/// absorb. A clock that never opens in the week falls back to wall minutes (`wall`, the
/// interval length), so no work is lost.
pub fn spread(work: &[f64], open: &[f64], wall: f64, limit_min: f64) -> Vec<f64> {
    let n = work.len();
    let mut out = vec![0.0; n];
    let week: f64 = open.iter().sum();
    let open: Vec<f64> = if week > 0.0 {
        open.to_vec()
    } else {
        vec![wall; n]
    };
    let week: f64 = open.iter().sum();
    if n == 0 || limit_min.is_nan() || limit_min <= 0.0 {
        // A zero window: the work is due at once, in its own interval.
        return work.to_vec();
    }
    // Whole weeks inside the window take each interval's open share.
    let full = (limit_min / week).floor();
    let rest = limit_min - full * week;
    for (j, &w) in work.iter().enumerate() {
        if w == 0.0 {
            continue;
        }
        let per_min = w / limit_min;
        if full > 0.0 {
            for (o, &b) in out.iter_mut().zip(&open) {
                *o += per_min * full * b;
            }
        }
        let mut left = rest;
        let mut k = j;
        while left > 1e-9 {
            let take = open[k].min(left);
            out[k] += per_min * take;
            left -= take;
            k = (k + 1) % n;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wall_clock_work_is_spread_evenly_and_conserved() {
        let work = [60.0, 0.0, 0.0, 0.0];
        let out = spread(&work, &[30.0; 4], 30.0, 60.0);
        assert_eq!(out, vec![30.0, 30.0, 0.0, 0.0]);
        // A window longer than the week wraps; the total is kept.
        let out = spread(&work, &[30.0; 4], 30.0, 150.0);
        assert!((out.iter().sum::<f64>() - 60.0).abs() < 1e-12);
        assert!((out[0] - 60.0 * 60.0 / 150.0).abs() < 1e-12);
        assert!((out[1] - 60.0 * 30.0 / 150.0).abs() < 1e-12);
    }

    #[test]
    fn closed_intervals_receive_nothing_on_a_business_clock() {
        // Interval 1 is closed: work arriving there waits for interval 2.
        let work = [0.0, 40.0, 0.0, 0.0];
        let out = spread(&work, &[30.0, 0.0, 30.0, 30.0], 30.0, 40.0);
        assert_eq!(out[1], 0.0);
        assert!((out[2] - 30.0).abs() < 1e-12 && (out[3] - 10.0).abs() < 1e-12);
        // A clock that never opens falls back to wall minutes.
        let out = spread(&work, &[0.0; 4], 30.0, 30.0);
        assert_eq!(out, vec![0.0, 40.0, 0.0, 0.0]);
    }
}
