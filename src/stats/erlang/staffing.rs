//! Staffing search: the fewest agents that meet a service-level target.

use super::erlang_a::{erlang_a_detail, erlang_a_from_detail};
use super::input::Model;
use super::*;

/// Largest staffing level [`min_agents`] will try.
///
/// Unitless (number of agents). A target not met by then is reported as
/// [`ErlangError::TargetUnreachable`].
pub const MAX_AGENTS_SEARCHED: u32 = 100_000;

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
