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

/// Tail mass, relative to the total, below which stationary states are dropped.
const TAIL_EPS: f64 = 1e-20;

/// States kept in the Erlang A stationary window; beyond it the input is
/// treated as infeasible rather than silently truncated.
const MAX_WINDOW_STATES: usize = 20_000_000;

/// Largest queue length (customers waiting) the Erlang A routines will index.
const MAX_QUEUE_INDEX: f64 = 5_000_000.0;

/// Largest staffing level [`min_agents`] will try.
///
/// Unitless (number of agents). A target not met by then is reported as
/// [`ErlangError::TargetUnreachable`].
pub const MAX_AGENTS_SEARCHED: u32 = 100_000;

/// Error for invalid analytic inputs, or inputs the exact methods here cannot
/// evaluate within their resource limits.
///
/// Every `value` field carries the offending input in its original unit
/// (per minute for rates, minutes for times, erlangs for load).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ErlangError {
    /// An input was NaN or infinite.
    #[error("{name} must be finite, got {value}")]
    NotFinite {
        /// Name of the input (as in [`QueueInput`] or the function signature).
        name: &'static str,
        /// The value given.
        value: f64,
    },
    /// An input that must be strictly positive was zero or negative.
    #[error("{name} must be positive, got {value}")]
    NonPositive {
        /// Name of the input.
        name: &'static str,
        /// The value given.
        value: f64,
    },
    /// An input that must be zero or more was negative.
    #[error("{name} must not be negative, got {value}")]
    Negative {
        /// Name of the input.
        name: &'static str,
        /// The value given.
        value: f64,
    },
    /// A probability target was outside `[0, 1)`.
    #[error("{name} must lie in [0, 1), got {value}")]
    OutOfRange {
        /// Name of the input.
        name: &'static str,
        /// The value given.
        value: f64,
    },
    /// `agents` was zero.
    #[error("at least one agent is required")]
    ZeroAgents,
    /// Erlang C (no abandonment) with offered load at or above the number of
    /// agents: the queue grows without bound, so there is no steady state.
    #[error("Erlang C queue is unstable: offered load {load_erlangs} erlangs >= {agents} agents")]
    Unstable {
        /// Offered load, erlangs.
        load_erlangs: f64,
        /// Number of agents.
        agents: u32,
    },
    /// [`min_agents`] did not meet the target with up to `max_agents` agents.
    #[error("service-level target not reached with up to {max_agents} agents")]
    TargetUnreachable {
        /// Largest staffing level tried (agents).
        max_agents: u32,
    },
    /// The Erlang A computation would exceed its memory or time limit. This
    /// only happens when overload and patience far longer than the service
    /// time combine into queues of millions of callers, or when patience
    /// exceeds 1e300 service times; for effectively infinite patience use
    /// Erlang C (`mean_patience_min: None`).
    #[error("Erlang A computation too large: {what}")]
    TooLarge {
        /// Which limit was hit.
        what: &'static str,
    },
}

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

/// Fewest agents whose service level meets a target, with the metrics there.
///
/// Inputs: `arrival_rate_per_min` (λ, per minute), `mean_service_min` and
/// `mean_patience_min` (minutes; `None` for Erlang C), `target_min` (the
/// answer-time target, minutes) and `target_service_level` (fraction of all
/// arrivals to answer within `target_min`, in `[0, 1)`). Returns the number of
/// agents and its [`QueueMetrics`] (with `service_level` filled in).
///
/// # Search
///
/// Agents are tried one at a time upwards, so the first success is the
/// minimum. Erlang C starts at `floor(a) + 1`, the smallest stable staffing.
/// Erlang A starts at `max(1, floor(target · a))`: an Erlang A queue answers
/// at most `nμ` calls per minute, so its service level is at most `n / a` and
/// every smaller staffing provably fails. Staffing up to
/// [`MAX_AGENTS_SEARCHED`] is tried.
///
/// # Errors
///
/// * Input errors as for [`metrics`]; [`ErlangError::OutOfRange`] when
///   `target_service_level` is outside `[0, 1)` (1 is never reached exactly).
/// * [`ErlangError::TargetUnreachable`] when even [`MAX_AGENTS_SEARCHED`]
///   agents fall short.
/// * [`ErlangError::TooLarge`] when an Erlang A staffing level on the way
///   cannot be evaluated.
///
/// # Examples
///
/// ```
/// use supportsim::stats::erlang::min_agents;
///
/// // 100 calls an hour, 6-minute handle time, 80 % answered within 20 s.
/// let (agents, m) = min_agents(100.0 / 60.0, 6.0, None, 20.0 / 60.0, 0.8).unwrap();
/// assert_eq!(agents, 14);
/// assert!(m.service_level.unwrap() >= 0.8);
/// ```
pub fn min_agents(
    arrival_rate_per_min: f64,
    mean_service_min: f64,
    mean_patience_min: Option<f64>,
    target_min: f64,
    target_service_level: f64,
) -> Result<(u32, QueueMetrics), ErlangError> {
    let probe = QueueInput {
        arrival_rate_per_min,
        mean_service_min,
        agents: 1,
        mean_patience_min,
    };
    let model = validate(&probe)?;
    non_negative("target_min", target_min)?;
    if !target_service_level.is_finite() {
        return Err(ErlangError::NotFinite {
            name: "target_service_level",
            value: target_service_level,
        });
    }
    if !(0.0..1.0).contains(&target_service_level) {
        return Err(ErlangError::OutOfRange {
            name: "target_service_level",
            value: target_service_level,
        });
    }
    let start = match mean_patience_min {
        None => model.load.floor() + 1.0,
        Some(_) => (target_service_level * model.load).floor(),
    }
    .max(1.0);
    let unreachable = ErlangError::TargetUnreachable {
        max_agents: MAX_AGENTS_SEARCHED,
    };
    if start > f64::from(MAX_AGENTS_SEARCHED) {
        return Err(unreachable);
    }
    // In range 1..=MAX_AGENTS_SEARCHED and integral, so the cast is exact.
    let start = start as u32;
    for agents in start..=MAX_AGENTS_SEARCHED {
        let model = Model { agents, ..model };
        let m = match model.patience {
            None => erlang_c_metrics(&model, Some(target_min))?,
            Some(patience) => {
                let detail = erlang_a_detail(&model, patience)?;
                // Answered within the target implies answered, so this cheap
                // bound rules staffing out before the costlier service level.
                if detail.p_served < target_service_level {
                    continue;
                }
                erlang_a_from_detail(&model, patience, &detail, Some(target_min))?
            }
        };
        if m.service_level.is_some_and(|sl| sl >= target_service_level) {
            return Ok((agents, m));
        }
    }
    Err(unreachable)
}

/// Inputs after validation, with the derived load.
#[derive(Debug, Clone, Copy)]
struct Model {
    lambda: f64,
    service: f64,
    load: f64,
    agents: u32,
    patience: Option<f64>,
}

fn positive(name: &'static str, value: f64) -> Result<f64, ErlangError> {
    if !value.is_finite() {
        Err(ErlangError::NotFinite { name, value })
    } else if value <= 0.0 {
        Err(ErlangError::NonPositive { name, value })
    } else {
        Ok(value)
    }
}

fn non_negative(name: &'static str, value: f64) -> Result<f64, ErlangError> {
    if !value.is_finite() {
        Err(ErlangError::NotFinite { name, value })
    } else if value < 0.0 {
        Err(ErlangError::Negative { name, value })
    } else {
        Ok(value)
    }
}

fn validate(input: &QueueInput) -> Result<Model, ErlangError> {
    let lambda = positive("arrival_rate_per_min", input.arrival_rate_per_min)?;
    let service = positive("mean_service_min", input.mean_service_min)?;
    if input.agents == 0 {
        return Err(ErlangError::ZeroAgents);
    }
    let patience = input
        .mean_patience_min
        .map(|p| positive("mean_patience_min", p))
        .transpose()?;
    // Products and ratios of valid inputs can still overflow or underflow.
    let load = positive("offered_load_erlangs", lambda * service)?;
    if let Some(p) = patience {
        let ratio = positive("mean_service_min / mean_patience_min", service / p)?;
        if ratio < f64::MIN_POSITIVE {
            return Err(ErlangError::TooLarge {
                what: "mean patience over 1e300 service times; use Erlang C",
            });
        }
    }
    Ok(Model {
        lambda,
        service,
        load,
        agents: input.agents,
        patience,
    })
}

fn erlang_c_metrics(model: &Model, target: Option<f64>) -> Result<QueueMetrics, ErlangError> {
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

/// Erlang A quantities that the metrics and the consistency tests share.
#[derive(Debug, Clone)]
struct ErlangADetail {
    /// P(arrival finds a free agent).
    p_no_wait: f64,
    /// `queue[i]` = P(arrival finds all agents busy and `i` waiting).
    queue: Vec<f64>,
    /// `served[i]` = `queue[i]` × P(answered | i ahead).
    served: Vec<f64>,
    /// E[Q], customers.
    mean_queue_len: f64,
    /// P(answered) summed state by state (must equal 1 − p_abandon).
    p_served: f64,
    /// E[wait; answered] in minutes.
    wait_served_min: f64,
}

fn erlang_a_detail(model: &Model, patience: f64) -> Result<ErlangADetail, ErlangError> {
    let n = f64::from(model.agents);
    // Time measured in mean service times: agents complete at rate n,
    // waiting customers abandon at rate gamma each.
    let gamma = model.service / patience;
    let (p_no_wait, queue) = stationary(model.load, model.agents, gamma)?;

    let mut mean_q = Compensated::default();
    let mut p_served = Compensated::default();
    let mut wait_served = Compensated::default();
    p_served.add(p_no_wait);
    let mut stage_time = 0.0;
    let mut served = Vec::with_capacity(queue.len());
    for (i, &q) in queue.iter().enumerate() {
        let ahead_and_self = (i + 1) as f64;
        mean_q.add(i as f64 * q);
        let rate_after = n + ahead_and_self * gamma;
        stage_time += 1.0 / rate_after;
        let s = q * (n / rate_after);
        served.push(s);
        p_served.add(s);
        wait_served.add(s * stage_time);
    }
    Ok(ErlangADetail {
        p_no_wait,
        queue,
        served,
        mean_queue_len: mean_q.value(),
        p_served: p_served.value(),
        wait_served_min: wait_served.value() * model.service,
    })
}

fn erlang_a_metrics(
    model: &Model,
    patience: f64,
    target: Option<f64>,
) -> Result<QueueMetrics, ErlangError> {
    let detail = erlang_a_detail(model, patience)?;
    erlang_a_from_detail(model, patience, &detail, target)
}

fn erlang_a_from_detail(
    model: &Model,
    patience: f64,
    d: &ErlangADetail,
    target: Option<f64>,
) -> Result<QueueMetrics, ErlangError> {
    let n = f64::from(model.agents);
    let gamma = model.service / patience;
    let mut p_wait = Compensated::default();
    d.queue.iter().for_each(|&q| p_wait.add(q));
    let mean_wait = d.mean_queue_len / model.lambda;
    // θ E[Q] / λ: abandonment rate over arrival rate.
    let p_abandon = mean_wait / patience;
    let service_level = match target {
        None => None,
        Some(t) => {
            let within = answered_within(&d.served, n, gamma, t / model.service)?;
            // Rounding may push the sum a hair past 1.
            Some((d.p_no_wait + within).min(1.0))
        }
    };
    Ok(QueueMetrics {
        offered_load_erlangs: model.load,
        p_wait: p_wait.value(),
        mean_wait_min: mean_wait,
        mean_wait_served_min: d.wait_served_min / d.p_served,
        mean_queue_len: d.mean_queue_len,
        p_abandon,
        occupancy: model.load * (1.0 - p_abandon) / n,
        service_level,
    })
}

/// Stationary distribution of the Erlang A birth–death chain in units of the
/// service rate: birth rate `load`, death rate `d_k = min(k, n) +
/// max(k − n, 0) γ`.
///
/// Returns P(k < n) and the normalised probabilities of `k = n, n+1, …`.
fn stationary(load: f64, agents: u32, gamma: f64) -> Result<(f64, Vec<f64>), ErlangError> {
    let n = u64::from(agents);
    let nf = f64::from(agents);
    let death = |k: u64| -> f64 {
        if k <= n {
            k as f64
        } else {
            nf + (k - n) as f64 * gamma
        }
    };
    // The mode is the last k with d_k <= load; start there so that every
    // weight is at most about 1 and nothing overflows.
    let mode = if load <= nf {
        load.floor() as u64
    } else {
        let extra = ((load - nf) / gamma).floor();
        if extra > MAX_QUEUE_INDEX {
            return Err(ErlangError::TooLarge {
                what: "mean queue length in the millions",
            });
        }
        n + extra as u64
    };
    let too_wide = ErlangError::TooLarge {
        what: "stationary distribution wider than the state limit",
    };

    let mut total = Compensated::default();
    total.add(1.0);
    let mut below_mode = Vec::new();
    let mut w = 1.0;
    let mut k = mode;
    while k > 0 {
        // w_{k-1} / w_k; later ratios going down are smaller still, so the
        // rest of the lower tail is at most w q / (1 - q).
        let q = death(k) / load;
        if q < 1.0 && w * q / (1.0 - q) < TAIL_EPS * total.value() {
            break;
        }
        w *= q;
        below_mode.push(w);
        total.add(w);
        k -= 1;
        if below_mode.len() > MAX_WINDOW_STATES {
            return Err(too_wide);
        }
    }
    let first = k;
    let mut above_mode = Vec::new();
    let mut w = 1.0;
    let mut k = mode;
    loop {
        let r = load / death(k + 1);
        if r < 1.0 && w * r / (1.0 - r) < TAIL_EPS * total.value() {
            break;
        }
        w *= r;
        above_mode.push(w);
        total.add(w);
        k += 1;
        if above_mode.len() + below_mode.len() > MAX_WINDOW_STATES {
            return Err(too_wide);
        }
    }
    let last = k;
    let z = total.value();

    let mut weights = below_mode;
    weights.reverse();
    weights.push(1.0);
    weights.extend(above_mode);

    let mut below = Compensated::default();
    let mut queue = Vec::new();
    if last >= n {
        let top = last - n;
        if top as f64 > MAX_QUEUE_INDEX {
            return Err(ErlangError::TooLarge {
                what: "queue lengths in the millions",
            });
        }
        queue = vec![0.0; top as usize + 1];
    }
    for (offset, &w) in weights.iter().enumerate() {
        let state = first + offset as u64;
        if state < n {
            below.add(w / z);
        } else {
            queue[(state - n) as usize] = w / z;
        }
    }
    Ok((below.value(), queue))
}

/// `Σ_i served[i] · P(V'_i ≤ tau)`: the probability of being answered within
/// `tau` (in mean service times), summed over the waiting states.
///
/// Uses `P(V'_i ≤ τ) = P(M ≥ i + 1)` for one negative binomial `M` (see the
/// module documentation), so a single tail function serves every state.
fn answered_within(served: &[f64], n: f64, gamma: f64, tau: f64) -> Result<f64, ErlangError> {
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

/// Neumaier-compensated sum: the Erlang A sums run over up to millions of
/// terms and the tests compare to 1e-9 and tighter.
#[derive(Debug, Default, Clone, Copy)]
struct Compensated {
    sum: f64,
    carry: f64,
}

impl Compensated {
    fn add(&mut self, x: f64) {
        let t = self.sum + x;
        if self.sum.abs() >= x.abs() {
            self.carry += (self.sum - t) + x;
        } else {
            self.carry += (x - t) + self.sum;
        }
        self.sum = t;
    }

    fn value(&self) -> f64 {
        self.sum + self.carry
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWENTY_SEC: f64 = 20.0 / 60.0;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * (1.0 + a.abs().max(b.abs()))
    }

    macro_rules! assert_close {
        ($a:expr, $b:expr, $tol:expr) => {{
            let (a, b): (f64, f64) = ($a, $b);
            assert!(
                close(a, b, $tol),
                "{} = {a} vs {} = {b}",
                stringify!($a),
                stringify!($b)
            );
        }};
    }

    fn input(lambda: f64, s: f64, n: u32, p: Option<f64>) -> QueueInput {
        QueueInput {
            arrival_rate_per_min: lambda,
            mean_service_min: s,
            agents: n,
            mean_patience_min: p,
        }
    }

    /// Erlang B straight from the definition with factorials, small n only.
    fn erlang_b_factorial(n: u32, a: f64) -> f64 {
        let terms: Vec<f64> = (0..=n)
            .map(|k| a.powi(k as i32) / (1..=k).map(f64::from).product::<f64>())
            .collect();
        terms[n as usize] / terms.iter().sum::<f64>()
    }

    /// Erlang C straight from the definition with factorials, small n only.
    fn erlang_c_factorial(n: u32, a: f64) -> f64 {
        let fact = |k: u32| (1..=k).map(f64::from).product::<f64>();
        let head: f64 = (0..n).map(|k| a.powi(k as i32) / fact(k)).sum();
        let last = a.powi(n as i32) / fact(n) * f64::from(n) / (f64::from(n) - a);
        last / (head + last)
    }

    /// Naive oracle: birth–death chain truncated at `kmax`, in minutes.
    struct Naive {
        pi: Vec<f64>,
        n: usize,
        mu: f64,
        theta: f64,
    }

    impl Naive {
        fn new(lambda: f64, s: f64, n: usize, p: Option<f64>, kmax: usize) -> Naive {
            let mu = 1.0 / s;
            let theta = p.map_or(0.0, |p| 1.0 / p);
            let mut pi = vec![1.0];
            for k in 1..=kmax {
                let d = k.min(n) as f64 * mu + k.saturating_sub(n) as f64 * theta;
                let next = pi[k - 1] * lambda / d;
                pi.push(next);
            }
            let z: f64 = pi.iter().sum();
            pi.iter_mut().for_each(|x| *x /= z);
            Naive { pi, n, mu, theta }
        }

        fn p_wait(&self) -> f64 {
            self.pi[self.n..].iter().sum()
        }

        fn mean_queue(&self) -> f64 {
            self.pi[self.n..]
                .iter()
                .enumerate()
                .map(|(i, p)| i as f64 * p)
                .sum()
        }

        fn busy(&self) -> f64 {
            self.pi
                .iter()
                .enumerate()
                .map(|(k, p)| k.min(self.n) as f64 * p)
                .sum()
        }

        /// (P(served | i ahead), E[wait; served | i ahead]) by first-step
        /// analysis of the tagged customer, stage by stage.
        fn served_by_stage(&self) -> Vec<(f64, f64)> {
            let nmu = self.n as f64 * self.mu;
            let (mut s_prev, mut g_prev) = (1.0, 0.0);
            (0..self.pi.len() - self.n)
                .map(|i| {
                    let ahead = nmu + i as f64 * self.theta;
                    let out = ahead + self.theta;
                    let adv = ahead / out;
                    let s = adv * s_prev;
                    let g = adv * (s_prev / out + g_prev);
                    (s_prev, g_prev) = (s, g);
                    (s, g)
                })
                .collect()
        }

        fn p_served(&self) -> f64 {
            let head: f64 = self.pi[..self.n].iter().sum();
            let tail: f64 = self
                .served_by_stage()
                .iter()
                .zip(&self.pi[self.n..])
                .map(|((s, _), p)| s * p)
                .sum();
            head + tail
        }

        fn mean_wait_served(&self) -> f64 {
            let g: f64 = self
                .served_by_stage()
                .iter()
                .zip(&self.pi[self.n..])
                .map(|((_, g), p)| g * p)
                .sum();
            g / self.p_served()
        }

        /// Service level by RK4 on u_i' = (nμ + iθ)(u_{i-1} - u_i) - θ u_i.
        fn service_level(&self, t: f64, steps: usize) -> f64 {
            let m = self.pi.len() - self.n;
            let nmu = self.n as f64 * self.mu;
            let theta = self.theta;
            let f = |u: &[f64]| -> Vec<f64> {
                (0..m)
                    .map(|i| {
                        let prev = if i == 0 { 1.0 } else { u[i - 1] };
                        (nmu + i as f64 * theta) * (prev - u[i]) - theta * u[i]
                    })
                    .collect()
            };
            let h = t / steps as f64;
            let mut u = vec![0.0; m];
            for _ in 0..steps {
                let k1 = f(&u);
                let y: Vec<f64> = (0..m).map(|i| u[i] + 0.5 * h * k1[i]).collect();
                let k2 = f(&y);
                let y: Vec<f64> = (0..m).map(|i| u[i] + 0.5 * h * k2[i]).collect();
                let k3 = f(&y);
                let y: Vec<f64> = (0..m).map(|i| u[i] + h * k3[i]).collect();
                let k4 = f(&y);
                for i in 0..m {
                    u[i] += h / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
                }
            }
            let head: f64 = self.pi[..self.n].iter().sum();
            head + u
                .iter()
                .zip(&self.pi[self.n..])
                .map(|(u, p)| u * p)
                .sum::<f64>()
        }
    }

    /// Counts outside `[lo, hi]` carry less than e^-50 of a Poisson(x) law
    /// (Chernoff's bound for the lower tail, Bernstein's for the upper).
    fn poisson_bounds(x: f64) -> (u64, u64) {
        let spread = 10.0 * x.sqrt();
        let lo = (x - spread - 10.0).floor().max(0.0) as u64;
        let hi = (x + spread + 40.0).ceil() as u64;
        (lo, hi)
    }

    /// Poisson(x) probabilities for counts `lo..=hi`, up to a common factor,
    /// built outwards from the mode so that none underflows or overflows.
    fn poisson_window(x: f64, lo: u64, hi: u64) -> Vec<f64> {
        let len = (hi - lo + 1) as usize;
        let mut w = vec![0.0; len];
        let mode = (x.floor() as u64).clamp(lo, hi);
        let mi = (mode - lo) as usize;
        w[mi] = 1.0;
        for i in (0..mi).rev() {
            let m = lo + i as u64 + 1;
            w[i] = w[i + 1] * (m as f64 / x);
        }
        for i in mi + 1..len {
            let m = lo + i as u64;
            w[i] = w[i - 1] * (x / m as f64);
        }
        w
    }

    /// Independent route to `answered_within`: the probability absorbed
    /// ("answered") by time `tau` (in mean service times) when `served[i]`
    /// starts in stage `i` of the pure-death chain with stage rates
    /// `n + (i+1) γ`, by uniformization (a Poisson mixture of powers of a
    /// stochastic matrix).
    fn answered_within_uniformized(
        served: &[f64],
        n: f64,
        gamma: f64,
        tau: f64,
    ) -> Result<f64, ErlangError> {
        let stages = served.len();
        if stages == 0 || tau == 0.0 {
            return Ok(0.0);
        }
        let top = (stages - 1) as f64;
        let rate = n + (top + 1.0) * gamma;
        let x = rate * tau;
        let (lo, hi) = poisson_bounds(x);
        let advance: Vec<f64> = (0..stages)
            .map(|j| (n + (j + 1) as f64 * gamma) / rate)
            .collect();
        // Written as the complement's exact numerator to avoid 1 - advance.
        let stay: Vec<f64> = (0..stages)
            .map(|j| (top - j as f64) * gamma / rate)
            .collect();

        let mut state = served.to_vec();
        let start_mass = served.iter().sum::<f64>();
        let mut transient = start_mass;
        let mut absorbed = Compensated::default();
        let mut history = Vec::new();
        let mut work = 0.0;
        let mut m: u64 = 0;
        loop {
            if m >= lo {
                history.push(absorbed.value());
            }
            // Beyond this point absorption can change by at most `transient`.
            if m >= hi || transient <= 1e-17 * start_mass {
                break;
            }
            work += stages as f64;
            if work > 2e9 {
                return Err(ErlangError::TooLarge {
                    what: "service-level computation exceeds the work limit",
                });
            }
            absorbed.add(state[0] * advance[0]);
            let mut left = Compensated::default();
            for j in 0..stages - 1 {
                state[j] = state[j] * stay[j] + state[j + 1] * advance[j + 1];
                left.add(state[j]);
            }
            // The top stage has the uniformization rate itself, so it never stays.
            state[stages - 1] = 0.0;
            transient = left.value();
            m += 1;
        }
        if history.is_empty() {
            // Absorption finished before any Poisson count with visible mass.
            return Ok(absorbed.value());
        }
        let weights = poisson_window(x, lo, hi);
        let mut norm = Compensated::default();
        let mut acc = Compensated::default();
        let last = history.len() - 1;
        for (idx, &p) in weights.iter().enumerate() {
            norm.add(p);
            acc.add(p * history[idx.min(last)]);
        }
        Ok(acc.value() / norm.value())
    }

    #[test]
    fn service_level_negative_binomial_matches_uniformization() {
        // Two exact methods that share nothing but the tilted stage rates:
        // small and large systems, short and long targets, under- and
        // over-staffed, patience shorter and longer than service.
        let cases = [
            (100.0 / 60.0, 6.0, 12, 3.0, TWENTY_SEC),
            (100.0 / 60.0, 6.0, 8, 3.0, 5.0),
            (1.2, 1.0, 1, 2.0, 0.75),
            (2.0, 1.0, 3, 0.05, 0.5),
            (180.0, 5.0, 1000, 3.0, TWENTY_SEC),
            (210.0, 5.0, 1000, 3.0, 1.0),
            (210.0, 5.0, 950, 30.0, 2.0),
            (10.0, 1.0, 9, 1e4, 3.0),
            (1.0, 1.0, 2, 0.5, 3.0),
        ];
        for (lambda, s, n, p, t) in cases {
            let model = validate(&input(lambda, s, n, Some(p))).unwrap();
            let d = erlang_a_detail(&model, p).unwrap();
            let (nf, gamma, tau) = (f64::from(n), s / p, t / s);
            let fast = answered_within(&d.served, nf, gamma, tau).unwrap();
            let slow = answered_within_uniformized(&d.served, nf, gamma, tau).unwrap();
            assert_close!(fast, slow, 1e-11);
        }
    }

    #[test]
    fn erlang_b_known_values() {
        assert_eq!(erlang_b(1, 1.0), 0.5);
        assert_close!(erlang_b(2, 1.0), 0.2, 1e-15);
        assert_eq!(erlang_b(0, 3.0), 1.0);
        assert_eq!(erlang_b(5, 0.0), 0.0);
        // Exact rational value 0.018384570336648132 (table value 0.01838).
        assert_close!(erlang_b(10, 5.0), 0.018_384_570_336_648_13, 1e-14);
        for (n, a) in [(1, 0.3), (7, 4.2), (20, 25.0), (30, 12.5)] {
            assert_close!(erlang_b(n, a), erlang_b_factorial(n, a), 1e-12);
        }
        assert!(erlang_b(3, f64::NAN).is_nan());
        assert!(erlang_b(3, -1.0).is_nan());
        assert_eq!(erlang_b(3, f64::INFINITY), 1.0);
        // Large systems stay finite and sensible.
        let b = erlang_b(10_000, 9_000.0);
        assert!(b.is_finite() && b > 0.0 && b < 1e-10);
    }

    #[test]
    fn erlang_c_textbook_example() {
        // 100 calls an hour, 6-minute AHT: a = 10 erlangs, 12 agents, 20 s.
        let lambda = 100.0 / 60.0;
        let m = metrics(&input(lambda, 6.0, 12, None), Some(TWENTY_SEC)).unwrap();
        // Values from exact rational arithmetic (50-digit check): C = 0.449388224298271,
        // ASA = 1.34816467289481 min (80.9 s), SL = 0.597869748384513.
        assert_close!(m.offered_load_erlangs, 10.0, 1e-15);
        assert_close!(m.p_wait, 0.449_388_224_298_270_9, 1e-13);
        assert_close!(m.mean_wait_min, 1.348_164_672_894_812_5, 1e-13);
        assert_close!(m.service_level.unwrap(), 0.597_869_748_384_512_6, 1e-13);
        assert_close!(m.occupancy, 10.0 / 12.0, 1e-15);
        assert_eq!(m.p_abandon, 0.0);
        assert_eq!(m.mean_wait_served_min, m.mean_wait_min);
        assert_close!(m.mean_queue_len, lambda * m.mean_wait_min, 1e-14);

        // Independent route 1: factorial closed form.
        let c = erlang_c_factorial(12, 10.0);
        assert_close!(m.p_wait, c, 1e-12);
        assert_close!(m.mean_wait_min, c * 6.0 / 2.0, 1e-12);
        let sl = 1.0 - c * (-(2.0 / 6.0) * TWENTY_SEC).exp();
        assert_close!(m.service_level.unwrap(), sl, 1e-12);

        // Independent route 2: truncated birth–death chain, RK4 for P(W <= t).
        let naive = Naive::new(lambda, 6.0, 12, None, 400);
        assert_close!(m.p_wait, naive.p_wait(), 1e-10);
        assert_close!(m.mean_queue_len, naive.mean_queue(), 1e-10);
        assert_close!(
            m.service_level.unwrap(),
            naive.service_level(TWENTY_SEC, 400),
            1e-10
        );

        // A second widely used example: 360 calls per 30 min, 240 s AHT
        // (48 erlangs), 80 % in 20 s needs 54 agents (SL 0.8172).
        let (n, m) = min_agents(12.0, 4.0, None, TWENTY_SEC, 0.8).unwrap();
        assert_eq!(n, 54);
        assert_close!(m.service_level.unwrap(), 0.817_247_521_014_683_6, 1e-12);
        assert_close!(m.p_wait, 0.301_307_899_376_269_3, 1e-12);
    }

    #[test]
    fn mm1_closed_forms() {
        for (lambda, s) in [(0.5, 1.0), (0.9, 1.0), (2.0, 0.25), (0.01, 3.0)] {
            let rho = lambda * s;
            let mu = 1.0 / s;
            let m = metrics(&input(lambda, s, 1, None), Some(1.5)).unwrap();
            assert_close!(m.p_wait, rho, 1e-14);
            assert_close!(m.mean_wait_min, rho / (mu - lambda), 1e-13);
            assert_close!(m.mean_queue_len, rho * rho / (1.0 - rho), 1e-13);
            let sl = 1.0 - rho * (-(mu - lambda) * 1.5).exp();
            assert_close!(m.service_level.unwrap(), sl, 1e-14);
        }
    }

    #[test]
    fn erlang_a_single_agent_matches_naive_chain() {
        // M/M/1+M: λ = 1.2/min, s = 1 min, patience 2 min (overloaded yet stable).
        for (lambda, s, p) in [(1.2, 1.0, 2.0), (0.5, 1.0, 0.5), (3.0, 0.5, 10.0)] {
            let m = metrics(&input(lambda, s, 1, Some(p)), Some(0.75)).unwrap();
            let naive = Naive::new(lambda, s, 1, Some(p), 600);
            assert_close!(m.p_wait, naive.p_wait(), 1e-11);
            assert_close!(m.mean_queue_len, naive.mean_queue(), 1e-11);
            assert_close!(m.mean_wait_min, naive.mean_queue() / lambda, 1e-11);
            assert_close!(m.p_abandon, naive.mean_queue() / (p * lambda), 1e-11);
            assert_close!(m.occupancy, naive.busy(), 1e-11);
            assert_close!(m.mean_wait_served_min, naive.mean_wait_served(), 1e-11);
            // The naive P(served) is independent of p_abandon: it sums the
            // tagged-customer recursion over the chain.
            assert_close!(naive.p_served(), 1.0 - m.p_abandon, 1e-11);
            assert_close!(
                m.service_level.unwrap(),
                naive.service_level(0.75, 20_000),
                1e-9
            );
        }
    }

    #[test]
    fn erlang_a_multi_agent_matches_naive_chain() {
        // a = 10 erlangs; under-, critically- and over-staffed; patience 3 min.
        for n in [8_u32, 10, 12] {
            let lambda = 100.0 / 60.0;
            let m = metrics(&input(lambda, 6.0, n, Some(3.0)), Some(TWENTY_SEC)).unwrap();
            let naive = Naive::new(lambda, 6.0, n as usize, Some(3.0), 300);
            assert_close!(m.p_wait, naive.p_wait(), 1e-11);
            assert_close!(m.mean_queue_len, naive.mean_queue(), 1e-11);
            assert_close!(m.occupancy * f64::from(n), naive.busy(), 1e-11);
            assert_close!(m.mean_wait_served_min, naive.mean_wait_served(), 1e-11);
            assert_close!(naive.p_served(), 1.0 - m.p_abandon, 1e-11);
            let sl = naive.service_level(TWENTY_SEC, 5_000);
            assert_close!(m.service_level.unwrap(), sl, 1e-9);
        }
    }

    #[test]
    fn erlang_a_served_probability_is_consistent() {
        // Σ π_k P(served | k) = 1 − θ E[Q] / λ, including large systems.
        for (lambda, s, n, p) in [
            (100.0 / 60.0, 6.0, 12, 3.0),
            (180.0, 5.0, 900, 2.0),
            (180.0, 5.0, 1000, 10.0),
            (200.0, 5.0, 900, 1.0),
            (2.0, 1.0, 1, 0.1),
        ] {
            let model = validate(&input(lambda, s, n, Some(p))).unwrap();
            let d = erlang_a_detail(&model, p).unwrap();
            let p_abandon = d.mean_queue_len / (lambda * p);
            assert_close!(d.p_served, 1.0 - p_abandon, 1e-9);
            let total: f64 = d.p_no_wait + d.queue.iter().sum::<f64>();
            assert_close!(total, 1.0, 1e-12);
            // Mean wait over all arrivals, from E[min(V, patience)] per stage,
            // must match Little's law.
            let all: f64 = d
                .queue
                .iter()
                .zip(&d.served)
                .map(|(q, s)| (q - s) * p)
                .sum();
            assert_close!(all, d.mean_queue_len / lambda, 1e-9);
        }
    }

    #[test]
    fn erlang_a_patience_equal_to_service_is_poisson() {
        // θ = μ makes the chain an M/M/∞ count: π = Poisson(a).
        let (a, n) = (7.5_f64, 8_u32);
        let m = metrics(&input(a, 1.0, n, Some(1.0)), None).unwrap();
        let pois: Vec<f64> = {
            let mut v = vec![(-a).exp()];
            for k in 1..200 {
                v.push(v[k - 1] * a / k as f64);
            }
            v
        };
        let p_wait: f64 = pois[n as usize..].iter().sum();
        let eq: f64 = pois
            .iter()
            .enumerate()
            .skip(n as usize)
            .map(|(k, p)| (k - n as usize) as f64 * p)
            .sum();
        assert_close!(m.p_wait, p_wait, 1e-12);
        assert_close!(m.mean_queue_len, eq, 1e-12);
    }

    #[test]
    fn erlang_a_reference_values() {
        // Reference values from an independent 400-digit computation (mpmath):
        // the full chain truncated 400 states past n, and P(answered within t)
        // from the partial-fraction (hypoexponential) closed form.
        // Columns: λ, s, n, patience, t | p_wait, E[Q], p_abandon,
        // E[W | answered], SL.
        let cases = [
            (
                (100.0 / 60.0, 6.0, 12, 3.0, TWENTY_SEC),
                [
                    0.263_222_003_432_202_2,
                    0.338_107_953_882_403_95,
                    0.067_621_590_776_480_79,
                    0.167_569_425_798_795_95,
                    0.796_127_463_965_020_4,
                ],
            ),
            (
                (100.0 / 60.0, 6.0, 8, 3.0, TWENTY_SEC),
                [
                    0.681_697_815_949_222_3,
                    1.332_690_688_926_470_3,
                    0.266_538_137_785_294_04,
                    0.726_046_851_039_583_1,
                    0.389_917_219_426_900_7,
                ],
            ),
            (
                (210.0, 5.0, 1000, 3.0, TWENTY_SEC),
                [
                    0.878_496_417_655_528,
                    31.029_712_250_790_503,
                    0.049_253_511_509_191_27,
                    0.149_461_684_999_054_54,
                    0.892_387_619_324_346_5,
                ],
            ),
            (
                (1.2, 1.0, 1, 2.0, 0.75),
                [
                    0.760_554_946_969_179,
                    0.878_890_106_061_641_8,
                    0.366_204_210_859_017_42,
                    0.653_778_348_731_624_7,
                    0.423_458_047_234_327_8,
                ],
            ),
        ];
        for ((lambda, s, n, p, t), [p_wait, eq, p_ab, ws, sl]) in cases {
            let m = metrics(&input(lambda, s, n, Some(p)), Some(t)).unwrap();
            assert_close!(m.p_wait, p_wait, 1e-12);
            assert_close!(m.mean_queue_len, eq, 1e-12);
            assert_close!(m.mean_wait_min, eq / lambda, 1e-12);
            assert_close!(m.p_abandon, p_ab, 1e-12);
            assert_close!(m.mean_wait_served_min, ws, 1e-12);
            assert_close!(m.service_level.unwrap(), sl, 1e-12);
            assert_close!(m.occupancy, lambda * s * (1.0 - p_ab) / f64::from(n), 1e-12);
        }
    }

    #[test]
    fn erlang_a_large_system() {
        // 900 erlangs on 1000 agents: no overflow, and less waiting than
        // Erlang C because some callers leave. (The service level need not
        // beat Erlang C's: abandoned calls count as not answered.)
        let m = metrics(&input(180.0, 5.0, 1000, Some(3.0)), Some(TWENTY_SEC)).unwrap();
        let c = metrics(&input(180.0, 5.0, 1000, None), Some(TWENTY_SEC)).unwrap();
        assert!(m.p_wait > 1e-6 && m.p_wait < c.p_wait);
        assert!(m.mean_wait_min < c.mean_wait_min);
        assert!(m.service_level.unwrap() <= 1.0 - m.p_abandon);
        // 10 000 agents at 99 % load with long patience still evaluates.
        let big = metrics(&input(9_900.0, 1.0, 10_000, Some(600.0)), Some(TWENTY_SEC)).unwrap();
        let model = validate(&input(9_900.0, 1.0, 10_000, Some(600.0))).unwrap();
        let d = erlang_a_detail(&model, 600.0).unwrap();
        assert_close!(d.p_served, 1.0 - big.p_abandon, 1e-9);
        assert!(big.service_level.unwrap() > 0.0 && big.service_level.unwrap() < 1.0);
    }

    #[test]
    fn erlang_a_tends_to_erlang_c() {
        let lambda = 100.0 / 60.0;
        for n in [11_u32, 12, 15] {
            let c = metrics(&input(lambda, 6.0, n, None), Some(TWENTY_SEC)).unwrap();
            let a = metrics(&input(lambda, 6.0, n, Some(1e9)), Some(TWENTY_SEC)).unwrap();
            assert_close!(a.p_wait, c.p_wait, 1e-6);
            assert_close!(a.mean_wait_min, c.mean_wait_min, 1e-6);
            assert_close!(a.mean_wait_served_min, c.mean_wait_served_min, 1e-6);
            assert_close!(a.mean_queue_len, c.mean_queue_len, 1e-6);
            assert_close!(a.service_level.unwrap(), c.service_level.unwrap(), 1e-6);
            assert_close!(a.occupancy, c.occupancy, 1e-6);
            assert!(a.p_abandon < 1e-8);
        }
    }

    #[test]
    fn erlang_a_monotone_in_agents_and_target() {
        let lambda = 100.0 / 60.0;
        let mut prev: Option<QueueMetrics> = None;
        for n in 5..=20 {
            let m = metrics(&input(lambda, 6.0, n, Some(3.0)), Some(TWENTY_SEC)).unwrap();
            if let Some(p) = prev {
                assert!(m.p_abandon < p.p_abandon, "abandonment falls with agents");
                assert!(m.service_level.unwrap() > p.service_level.unwrap());
                assert!(m.p_wait < p.p_wait);
            }
            prev = Some(m);
        }
        let mut prev_sl = -1.0;
        for t in [0.0, 0.05, 0.2, TWENTY_SEC, 1.0, 3.0, 10.0, 100.0] {
            let sl = metrics(&input(lambda, 6.0, 10, Some(3.0)), Some(t))
                .unwrap()
                .service_level
                .unwrap();
            assert!(sl > prev_sl, "SL rises with the target time");
            prev_sl = sl;
        }
        let m = metrics(&input(lambda, 6.0, 10, Some(3.0)), Some(0.0)).unwrap();
        assert_close!(m.service_level.unwrap(), 1.0 - m.p_wait, 1e-14);
        // At a huge target every answered call counts.
        let m = metrics(&input(lambda, 6.0, 10, Some(3.0)), Some(1e4)).unwrap();
        assert_close!(m.service_level.unwrap(), 1.0 - m.p_abandon, 1e-12);
    }

    #[test]
    fn erlang_a_mean_served_wait_integrates_service_curve() {
        // E[W; answered] = ∫ (P(answered) − P(answered within t)) dt, computed
        // from the service-level curve with Gauss–Legendre panels.
        let (lambda, s, n, p) = (1.5, 1.0, 2_u32, 1.0);
        let m0 = metrics(&input(lambda, s, n, Some(p)), None).unwrap();
        let p_served = 1.0 - m0.p_abandon;
        let nodes = [
            (0.0, 128.0 / 225.0),
            (0.538_469_310_105_683_1, 0.478_628_670_499_366_5),
            (-0.538_469_310_105_683_1, 0.478_628_670_499_366_5),
            (0.906_179_845_938_664, 0.236_926_885_056_189_1),
            (-0.906_179_845_938_664, 0.236_926_885_056_189_1),
        ];
        let (width, panels) = (0.125, 240);
        let mut integral = 0.0;
        for k in 0..panels {
            let mid = (k as f64 + 0.5) * width;
            for (x, w) in nodes {
                let t = mid + 0.5 * width * x;
                let sl = metrics(&input(lambda, s, n, Some(p)), Some(t))
                    .unwrap()
                    .service_level
                    .unwrap();
                integral += 0.5 * width * w * (p_served - sl);
            }
        }
        assert_close!(integral / p_served, m0.mean_wait_served_min, 1e-9);
    }

    #[test]
    fn min_agents_textbook_and_erlang_a() {
        let lambda = 100.0 / 60.0;
        // 80 % in 20 s at 10 erlangs: 13 agents give 0.7585, 14 give 0.8606.
        let (n, m) = min_agents(lambda, 6.0, None, TWENTY_SEC, 0.8).unwrap();
        assert_eq!(n, 14);
        assert_close!(m.service_level.unwrap(), 0.860_566_047_728_217_8, 1e-12);
        let below = metrics(&input(lambda, 6.0, 13, None), Some(TWENTY_SEC)).unwrap();
        assert_close!(below.service_level.unwrap(), 0.758_523_774_853_342_5, 1e-12);

        for p in [0.5, 3.0, 30.0] {
            let (na, ma) = min_agents(lambda, 6.0, Some(p), TWENTY_SEC, 0.8).unwrap();
            assert!(na <= n, "patience {p}: Erlang A {na} > Erlang C {n}");
            assert!(ma.service_level.unwrap() >= 0.8);
            let fewer = metrics(&input(lambda, 6.0, na - 1, Some(p)), Some(TWENTY_SEC)).unwrap();
            assert!(fewer.service_level.unwrap() < 0.8);
        }
        // A zero target is met by the first stable staffing.
        assert_eq!(
            min_agents(lambda, 6.0, None, TWENTY_SEC, 0.0).unwrap().0,
            11
        );
        assert_eq!(
            min_agents(lambda, 6.0, Some(3.0), TWENTY_SEC, 0.0)
                .unwrap()
                .0,
            1
        );
    }

    #[test]
    fn errors() {
        let ok = input(1.0, 1.0, 2, None);
        assert_eq!(
            metrics(&QueueInput { agents: 0, ..ok }, None),
            Err(ErlangError::ZeroAgents)
        );
        assert!(matches!(
            metrics(
                &QueueInput {
                    arrival_rate_per_min: f64::NAN,
                    ..ok
                },
                None
            ),
            Err(ErlangError::NotFinite {
                name: "arrival_rate_per_min",
                ..
            })
        ));
        assert_eq!(
            metrics(
                &QueueInput {
                    mean_service_min: -2.0,
                    ..ok
                },
                None
            ),
            Err(ErlangError::NonPositive {
                name: "mean_service_min",
                value: -2.0
            })
        );
        assert_eq!(
            metrics(
                &QueueInput {
                    mean_patience_min: Some(0.0),
                    ..ok
                },
                None
            ),
            Err(ErlangError::NonPositive {
                name: "mean_patience_min",
                value: 0.0
            })
        );
        assert_eq!(
            metrics(&ok, Some(-1.0)),
            Err(ErlangError::Negative {
                name: "target_min",
                value: -1.0
            })
        );
        assert_eq!(
            metrics(&input(2.5, 2.0, 5, None), None),
            Err(ErlangError::Unstable {
                load_erlangs: 5.0,
                agents: 5
            })
        );
        // The same load is fine with abandonment.
        assert!(metrics(&input(2.5, 2.0, 5, Some(1.0)), Some(1.0)).is_ok());
        assert!(matches!(
            min_agents(1.0, 1.0, None, 0.5, 1.0),
            Err(ErlangError::OutOfRange { .. })
        ));
        assert!(matches!(
            min_agents(1.0, f64::INFINITY, None, 0.5, 0.8),
            Err(ErlangError::NotFinite { .. })
        ));
        assert_eq!(
            min_agents(1e6, 1.0, None, 0.5, 0.8),
            Err(ErlangError::TargetUnreachable {
                max_agents: MAX_AGENTS_SEARCHED
            })
        );
        // Decades of patience in heavy overload: refuse rather than truncate.
        assert!(matches!(
            metrics(&input(20.0, 1.0, 10, Some(1e9)), None),
            Err(ErlangError::TooLarge { .. })
        ));
    }
}
