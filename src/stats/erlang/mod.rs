//! Steady-state results for M/M/n (Erlang C) and M/M/n+M (Erlang A) queues.
//!
//! The module serves two masters: planners who want staffing answers
//! ([`min_agents`]) and the discrete-event simulator, whose long-run averages
//! are tested against [`metrics`]. Because it is a test oracle, everything is
//! computed exactly up to floating-point rounding and explicit tail
//! truncations far below `1e-15`; no textbook approximations (square-root
//! staffing, fluid limits, heavy-traffic formulas) are used.
//!
//! Units everywhere: rates are per minute, times are in minutes and offered
//! load is in erlangs (arrival rate × mean service time).
//!
//! # Model
//!
//! Poisson arrivals at rate λ, `n` identical agents with exponential service
//! times of mean `s` (rate μ = 1/s), one FCFS queue of unlimited length. With
//! Erlang A every waiting customer also abandons after an exponential patience
//! of mean `p` (rate θ = 1/p) if not yet answered; Erlang C is the θ → 0
//! limit.
//!
//! # Erlang A method
//!
//! The number in system is a birth–death chain with birth rate λ and death
//! rate `min(k, n) μ + max(k − n, 0) θ`. Its ratios `π_k / π_{k−1}` never
//! increase in `k`, so the distribution is unimodal: it is built outwards from
//! the mode with weight 1 there (no overflow for thousands of agents) and each
//! side stops once a geometric bound proves the rest below `1e-20` of the
//! total.
//!
//! A customer who arrives with `i` customers ahead waits
//! `V_i = Σ_{j=0..=i} Exp(nμ + jθ)` (service completions plus abandonment of
//! those ahead) and is answered iff its own patience exceeds `V_i`. Tilting
//! each exponential by `e^{−θv}` gives, exactly,
//!
//! * `P(answered | i) = nμ / (nμ + (i+1)θ)` (the product telescopes),
//! * `E[V_i; answered] = P(answered | i) · Σ_{j=0..=i} 1/(nμ + (j+1)θ)`,
//! * `P(answered within t | i) = P(answered | i) · P(V'_i ≤ t)`, where `V'_i`
//!   is a sum of exponentials with rates `nμ + (j+1)θ`, `j = 0..=i`.
//!
//! `V'_i` is a sum of exponentials with rates `θ(ρ + m)`, `m = 1..=i+1`,
//! where `ρ = nμ/θ`. Its partial-fraction expansion collapses (the
//! alternating binomial sum is the integral of `u^ρ (1 − u)^i`) to a
//! regularised incomplete beta function, and because `i + 1` is an integer
//! that is a negative binomial tail:
//!
//! * `P(V'_i > t) = I_{e^{−θt}}(ρ + 1, i + 1) = P(M ≤ i)`, where
//!   `P(M = j) = Γ(ρ + 1 + j) / (Γ(ρ + 1) j!) · e^{−θt(ρ+1)} (1 − e^{−θt})^j`.
//!
//! (For integer `ρ` this is the time until `i + 1` of `ρ + i + 1` independent
//! `Exp(θ)` clocks ring; as θ → 0, `M` tends to Poisson(nμt) and the Erlang C
//! waiting time returns.) One negative binomial therefore serves every
//! state. It is evaluated outwards from its mode with the same geometric tail
//! bound as the stationary law, or, when the mode lies beyond the longest
//! queue, upwards from the exact `P(M = 0) = e^{−(nμ + θ)t}`. Every term is
//! positive, so nothing cancels, and the cost does not grow with `t`. The
//! tests check the result against a Runge–Kutta solution of the
//! waiting-time equations, against uniformization, and against 400-digit
//! reference values.
//!
//! # Layout
//!
//! `erlang_c` holds Erlang B and C in closed form, `erlang_a` the Erlang A stationary law and
//! metrics, `answer_time` the Erlang A answered-within-`t` probability, `staffing` the
//! [`min_agents`] search, `input` the checks of [`QueueInput`], `sum` a compensated sum.

mod answer_time;
mod erlang_a;
mod erlang_c;
mod error;
mod input;
mod staffing;
mod sum;
#[cfg(test)]
mod tests;

pub use erlang_c::{erlang_b, erlang_c};
pub use error::ErlangError;
pub use staffing::{MAX_AGENTS_SEARCHED, min_agents};

use erlang_a::erlang_a_metrics;
use erlang_c::erlang_c_metrics;
use input::{non_negative, validate};

/// Tail mass, relative to the total, below which stationary states are dropped.
const TAIL_EPS: f64 = 1e-20;

/// States kept in the Erlang A stationary window; beyond it the input is
/// treated as infeasible rather than silently truncated.
const MAX_WINDOW_STATES: usize = 20_000_000;

/// Inputs of an M/M/n (+M) queue.
///
/// Rates are per minute and times are in minutes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QueueInput {
    /// Poisson arrival rate λ, arrivals per minute; must be finite and > 0.
    pub arrival_rate_per_min: f64,
    /// Mean of the exponential service (handle) time, minutes; finite and > 0.
    pub mean_service_min: f64,
    /// Number of identical agents `n`; must be at least 1.
    pub agents: u32,
    /// Mean of the exponential patience, minutes (finite and > 0): Erlang A,
    /// M/M/n+M. `None` means infinite patience: Erlang C, M/M/n.
    pub mean_patience_min: Option<f64>,
}

/// Steady-state metrics of an M/M/n (+M) queue.
///
/// Probabilities are fractions in `[0, 1]`, times are in minutes, lengths are
/// numbers of customers. "Arrivals" means all arriving customers, as seen by
/// them (Poisson arrivals see time averages).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QueueMetrics {
    /// Offered load `a = λ · s`, erlangs.
    pub offered_load_erlangs: f64,
    /// Probability that an arrival has to wait at all, i.e. finds every agent
    /// busy.
    pub p_wait: f64,
    /// Mean time in queue over all arrivals, minutes: those answered at once
    /// count zero, those who abandon count until they abandon. Equals
    /// `mean_queue_len / λ` (Little's law).
    pub mean_wait_min: f64,
    /// Mean time in queue of the arrivals that are eventually answered
    /// (including those answered at once), minutes. Equals `mean_wait_min`
    /// for Erlang C.
    pub mean_wait_served_min: f64,
    /// Time-average number of customers waiting (not in service).
    pub mean_queue_len: f64,
    /// Fraction of arrivals that abandon; 0 for Erlang C.
    pub p_abandon: f64,
    /// Mean number of busy agents divided by agents,
    /// `λ (1 − p_abandon) s / n`.
    pub occupancy: f64,
    /// Fraction of all arrivals answered within the target time (waiting at
    /// most `target_min` minutes); abandoned calls count as not answered.
    /// `Some` exactly when a target time was given.
    pub service_level: Option<f64>,
}

/// Steady-state metrics of an Erlang C (M/M/n) or Erlang A (M/M/n+M) queue.
///
/// `input` gives rates per minute and times in minutes; `target_min` is the
/// service-level target time in minutes (for example `20.0 / 60.0` for 20
/// seconds), and when given, [`QueueMetrics::service_level`] is filled in.
///
/// # Formula
///
/// Erlang C (`mean_patience_min: None`), with `a = λ s`, `C = C(n, a)`:
/// `p_wait = C`, `mean_wait = C s / (n − a)`,
/// `service_level = 1 − C exp(−(n − a) t / s)`, `occupancy = a / n`.
///
/// Erlang A: exact stationary distribution of the birth–death chain, queue
/// metrics `E[Q]`, `mean_wait = E[Q]/λ`, `p_abandon = θ E[Q]/λ`, and the
/// answered-within-`t` probability from the tagged-customer chain (see the
/// module documentation). Results are exact up to rounding and tail
/// truncations that each drop less than `1e-20` of the probability mass.
///
/// # Errors
///
/// * [`ErlangError::NotFinite`], [`ErlangError::NonPositive`],
///   [`ErlangError::Negative`], [`ErlangError::ZeroAgents`] for invalid
///   inputs (including a negative `target_min`).
/// * [`ErlangError::Unstable`] for Erlang C when the load is at least the
///   number of agents. Erlang A is stable for any load.
/// * [`ErlangError::TooLarge`] for Erlang A inputs outside the exact method's
///   resource limits (see that variant).
///
/// # Examples
///
/// ```
/// use supportsim::stats::erlang::{metrics, QueueInput};
///
/// // 100 calls an hour, 6-minute handle time (10 erlangs), 12 agents.
/// let input = QueueInput {
///     arrival_rate_per_min: 100.0 / 60.0,
///     mean_service_min: 6.0,
///     agents: 12,
///     mean_patience_min: None,
/// };
/// let m = metrics(&input, Some(20.0 / 60.0)).unwrap();
/// assert!((m.p_wait - 0.449_388).abs() < 1e-6);
/// assert!((m.mean_wait_min - 1.348_165).abs() < 1e-6);
/// assert!((m.service_level.unwrap() - 0.597_870).abs() < 1e-6);
///
/// // The same queue where callers hang up after 3 minutes on average.
/// let a = metrics(&QueueInput { mean_patience_min: Some(3.0), ..input }, None).unwrap();
/// assert!(a.p_abandon > 0.0 && a.p_wait < m.p_wait);
/// ```
pub fn metrics(input: &QueueInput, target_min: Option<f64>) -> Result<QueueMetrics, ErlangError> {
    let model = validate(input)?;
    let target = target_min
        .map(|t| non_negative("target_min", t))
        .transpose()?;
    match model.patience {
        None => erlang_c_metrics(&model, target),
        Some(patience) => erlang_a_metrics(&model, patience, target),
    }
}
