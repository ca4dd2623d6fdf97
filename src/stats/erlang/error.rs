//! Why an analytic queue could not be evaluated.

/// Error for invalid analytic inputs, or inputs the exact methods here cannot
/// evaluate within their resource limits.
///
/// Every `value` field carries the offending input in its original unit
/// (per minute for rates, minutes for times, erlangs for load).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ErlangError {
    /// An input was NaN or infinite.
    #[error("{name} must be finite, got {}", crate::format::Num(*.value))]
    NotFinite {
        /// Name of the input (as in [`QueueInput`](super::QueueInput) or the function signature).
        name: &'static str,
        /// The value given.
        value: f64,
    },
    /// An input that must be strictly positive was zero or negative.
    #[error("{name} must be positive, got {}", crate::format::Num(*.value))]
    NonPositive {
        /// Name of the input.
        name: &'static str,
        /// The value given.
        value: f64,
    },
    /// An input that must be zero or more was negative.
    #[error("{name} must not be negative, got {}", crate::format::Num(*.value))]
    Negative {
        /// Name of the input.
        name: &'static str,
        /// The value given.
        value: f64,
    },
    /// A probability target was outside `[0, 1)`.
    #[error("{name} must lie in [0, 1), got {}", crate::format::Num(*.value))]
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
    /// [`min_agents`](super::min_agents) did not meet the target with up to `max_agents` agents.
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
