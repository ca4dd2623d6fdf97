//! Erlang A answer times: the probability of being answered within a target, from one
//! negative binomial tail shared by every waiting state.

use super::sum::Compensated;
use super::*;

/// `Σ_i served[i] · P(V'_i ≤ tau)`: the probability of being answered within
/// `tau` (in mean service times), summed over the waiting states.
///
/// Uses `P(V'_i ≤ τ) = P(M ≥ i + 1)` for one negative binomial `M` (see the
/// module documentation), so a single tail function serves every state.
pub(super) fn answered_within(
    served: &[f64],
    n: f64,
    gamma: f64,
    tau: f64,
) -> Result<f64, ErlangError> {
    if served.is_empty() || tau == 0.0 {
        return Ok(0.0);
    }
    let at_least = negative_binomial_at_least(n, gamma, tau, served.len())?;
    let mut total = Compensated::default();
    for (i, &y) in served.iter().enumerate() {
        total.add(y * at_least[i + 1]);
    }
    Ok(total.value())
}

/// `P(M ≥ k)` for `k = 0..=kmax`, where `M` is negative binomial with size
/// `r = n/γ + 1` and success probability `e^{−γτ}`:
/// `P(M = j) = Γ(r + j) / (Γ(r) j!) · e^{−γτ r} (1 − e^{−γτ})^j`.
fn negative_binomial_at_least(
    n: f64,
    gamma: f64,
    tau: f64,
    kmax: usize,
) -> Result<Vec<f64>, ErlangError> {
    let gt = gamma * tau;
    let success = (-gt).exp();
    // 1 − e^{−γτ} without cancellation for short targets.
    let fail = -(-gt).exp_m1();
    let size = n / gamma + 1.0;
    // P(M = j + 1) / P(M = j); it falls as j grows, so the law is unimodal.
    let up = |j: f64| (size + j) / (j + 1.0) * fail;
    let mut at_least = vec![1.0; kmax + 1];
    if success == 0.0 {
        // Every patience clock has rung: all mass is beyond any finite k.
        return Ok(at_least);
    }
    let mode = ((size - 1.0) * fail / success).floor();
    if mode > kmax as f64 {
        // Only the rising part below the mode matters, and it starts at the
        // absolute value P(M = 0) = e^{−(nτ + γτ)}: no normalising needed.
        let mut ln_p = -(n * tau + gt);
        let mut below = Compensated::default();
        for (k, slot) in at_least.iter_mut().enumerate().skip(1) {
            below.add(ln_p.exp());
            *slot = (1.0 - below.value()).max(0.0);
            ln_p += up((k - 1) as f64).ln();
        }
        return Ok(at_least);
    }
    // The bulk lies within reach: build it outwards from the mode (weight 1)
    // and stop each side once a geometric bound proves the rest negligible.
    let mode = mode as usize;
    let too_wide = ErlangError::TooLarge {
        what: "service-level distribution wider than the state limit",
    };
    let mut total = Compensated::default();
    total.add(1.0);
    let mut lower = Vec::new();
    let mut w = 1.0;
    let mut j = mode;
    while j > 0 {
        let ratio = 1.0 / up((j - 1) as f64);
        if ratio < 1.0 && w * ratio / (1.0 - ratio) < TAIL_EPS * total.value() {
            break;
        }
        w *= ratio;
        lower.push(w);
        total.add(w);
        j -= 1;
    }
    let first = j;
    let mut upper = Vec::new();
    let mut w = 1.0;
    let mut j = mode;
    loop {
        let ratio = up(j as f64);
        if ratio < 1.0 && w * ratio / (1.0 - ratio) < TAIL_EPS * total.value() {
            break;
        }
        w *= ratio;
        upper.push(w);
        total.add(w);
        j += 1;
        if lower.len() + upper.len() > MAX_WINDOW_STATES {
            return Err(too_wide);
        }
    }
    let mut weights = lower;
    weights.reverse();
    weights.push(1.0);
    weights.extend(upper);
    let norm = total.value();
    // Suffix sums from the top keep small upper tails accurate.
    let mut tail = Compensated::default();
    for (offset, &w) in weights.iter().enumerate().rev() {
        tail.add(w);
        let k = first + offset;
        if k <= kmax {
            at_least[k] = (tail.value() / norm).min(1.0);
        }
    }
    let last = first + weights.len() - 1;
    for slot in at_least.iter_mut().skip(last + 1) {
        *slot = 0.0;
    }
    Ok(at_least)
}
