//! Erlang B and Erlang C (M/M/n, no abandonment) in closed form.

use super::input::Model;
use super::*;

/// Erlang B blocking probability `B(n, a)` of an M/M/n/n loss system.
///
/// `agents` is the number of servers `n`; `load_erlangs` is the offered load
/// `a` in erlangs (arrival rate per minute × mean service minutes). The result
/// is a probability.
///
/// # Formula
///
/// `B(n, a) = (aⁿ/n!) / Σ_{k=0..=n} aᵏ/k!`, evaluated with the recursion
/// `B(0) = 1`, `B(k) = a B(k−1) / (k + a B(k−1))`, which never overflows and
/// loses no accuracy for any `n` (every step is a ratio of positive terms).
///
/// Returns NaN when `load_erlangs` is NaN or negative, and 1 when it is
/// `+∞`.
///
/// # Examples
///
/// ```
/// use supportsim::stats::erlang::erlang_b;
///
/// assert!((erlang_b(2, 1.0) - 0.2).abs() < 1e-15);
/// assert!((erlang_b(10, 5.0) - 0.018_384_570_336_648).abs() < 1e-14);
/// ```
pub fn erlang_b(agents: u32, load_erlangs: f64) -> f64 {
    if load_erlangs.is_nan() || load_erlangs < 0.0 {
        return f64::NAN;
    }
    if load_erlangs == f64::INFINITY {
        return 1.0;
    }
    let mut b = 1.0_f64;
    for k in 1..=agents {
        let ab = load_erlangs * b;
        b = ab / (f64::from(k) + ab);
        // Once B underflows it stays zero, so the rest of a long loop is moot.
        if b == 0.0 {
            break;
        }
    }
    b
}

/// Erlang C probability of waiting `C(n, a)` of an M/M/n queue.
///
/// `agents` is `n`; `load_erlangs` is the offered load `a` in erlangs. The
/// result is the probability that an arrival finds all agents busy.
///
/// # Formula
///
/// `C(n, a) = n B(n, a) / (n − a (1 − B(n, a)))` for `a < n`, using
/// [`erlang_b`]. For `a ≥ n` there is no steady state and every arrival
/// eventually waits, so 1 is returned. NaN or negative loads give NaN.
///
/// # Examples
///
/// ```
/// use supportsim::stats::erlang::erlang_c;
///
/// // M/M/1: P(wait) = ρ.
/// assert!((erlang_c(1, 0.7) - 0.7).abs() < 1e-15);
/// // 10 erlangs on 12 agents.
/// assert!((erlang_c(12, 10.0) - 0.449_388_224_298_271).abs() < 1e-13);
/// ```
pub fn erlang_c(agents: u32, load_erlangs: f64) -> f64 {
    if load_erlangs.is_nan() || load_erlangs < 0.0 {
        return f64::NAN;
    }
    let n = f64::from(agents);
    if load_erlangs >= n {
        return 1.0;
    }
    let b = erlang_b(agents, load_erlangs);
    n * b / (n - load_erlangs * (1.0 - b))
}

pub(super) fn erlang_c_metrics(
    model: &Model,
    target: Option<f64>,
) -> Result<QueueMetrics, ErlangError> {
    let n = f64::from(model.agents);
    let a = model.load;
    if a >= n {
        return Err(ErlangError::Unstable {
            load_erlangs: a,
            agents: model.agents,
        });
    }
    let c = erlang_c(model.agents, a);
    let gap = n - a;
    let mean_wait = c * model.service / gap;
    // 1 − C e^{−x} written so that small x keeps its relative accuracy.
    let service_level = target.map(|t| (1.0 - c) - c * (-(gap * t / model.service)).exp_m1());
    Ok(QueueMetrics {
        offered_load_erlangs: a,
        p_wait: c,
        mean_wait_min: mean_wait,
        mean_wait_served_min: mean_wait,
        mean_queue_len: model.lambda * mean_wait,
        p_abandon: 0.0,
        occupancy: a / n,
        service_level,
    })
}
