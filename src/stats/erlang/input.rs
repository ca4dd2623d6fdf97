//! Checks of [`QueueInput`]: finite, positive rates and times, at least one agent, and a load
//! the exact methods can represent.

use super::*;

/// Inputs after validation, with the derived load.
#[derive(Debug, Clone, Copy)]
pub(super) struct Model {
    pub(super) lambda: f64,
    pub(super) service: f64,
    pub(super) load: f64,
    pub(super) agents: u32,
    pub(super) patience: Option<f64>,
}

pub(super) fn positive(name: &'static str, value: f64) -> Result<f64, ErlangError> {
    if !value.is_finite() {
        Err(ErlangError::NotFinite { name, value })
    } else if value <= 0.0 {
        Err(ErlangError::NonPositive { name, value })
    } else {
        Ok(value)
    }
}

pub(super) fn non_negative(name: &'static str, value: f64) -> Result<f64, ErlangError> {
    if !value.is_finite() {
        Err(ErlangError::NotFinite { name, value })
    } else if value < 0.0 {
        Err(ErlangError::Negative { name, value })
    } else {
        Ok(value)
    }
}

pub(super) fn validate(input: &QueueInput) -> Result<Model, ErlangError> {
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
