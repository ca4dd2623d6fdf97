//! Erlang A (M/M/n+M): the exact stationary law of the birth-death chain and the metrics
//! built on it (see the module documentation of [`super`]).

use super::answer_time::answered_within;
use super::input::Model;
use super::sum::Compensated;
use super::*;

/// Largest queue length (customers waiting) the Erlang A routines will index.
const MAX_QUEUE_INDEX: f64 = 5_000_000.0;

/// Erlang A quantities that the metrics and the consistency tests share.
#[derive(Debug, Clone)]
pub(super) struct ErlangADetail {
    /// P(arrival finds a free agent).
    pub(super) p_no_wait: f64,
    /// `queue[i]` = P(arrival finds all agents busy and `i` waiting).
    pub(super) queue: Vec<f64>,
    /// `served[i]` = `queue[i]` × P(answered | i ahead).
    pub(super) served: Vec<f64>,
    /// E[Q], customers.
    pub(super) mean_queue_len: f64,
    /// P(answered) summed state by state (must equal 1 − p_abandon).
    pub(super) p_served: f64,
    /// P(abandon) summed state by state: `Σ queue[i] (i+1)γ / (n + (i+1)γ)`. Equal to
    /// `θ E[Q] / λ`, but a sum of positive terms: it stays right when patience is so short
    /// that every state but "all busy, none waiting" falls below the tail cut (E[Q] = 0), where
    /// the abandonment is Erlang B's blocking.
    pub(super) p_abandon: f64,
    /// E[wait; answered] in minutes.
    pub(super) wait_served_min: f64,
}

pub(super) fn erlang_a_detail(model: &Model, patience: f64) -> Result<ErlangADetail, ErlangError> {
    let n = f64::from(model.agents);
    // Time measured in mean service times: agents complete at rate n,
    // waiting customers abandon at rate gamma each.
    let gamma = model.service / patience;
    let (p_no_wait, queue) = stationary(model.load, model.agents, gamma)?;

    let mut mean_q = Compensated::default();
    let mut p_served = Compensated::default();
    let mut wait_served = Compensated::default();
    let mut p_abandon = Compensated::default();
    p_served.add(p_no_wait);
    let mut stage_time = 0.0;
    let mut served = Vec::with_capacity(queue.len());
    for (i, &q) in queue.iter().enumerate() {
        let ahead_and_self = (i + 1) as f64;
        mean_q.add(i as f64 * q);
        let rate_after = n + ahead_and_self * gamma;
        stage_time += 1.0 / rate_after;
        let s = q * (n / rate_after);
        p_abandon.add(q * (ahead_and_self * gamma / rate_after));
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
        p_abandon: p_abandon.value(),
        wait_served_min: wait_served.value() * model.service,
    })
}

pub(super) fn erlang_a_metrics(
    model: &Model,
    patience: f64,
    target: Option<f64>,
) -> Result<QueueMetrics, ErlangError> {
    let detail = erlang_a_detail(model, patience)?;
    erlang_a_from_detail(model, patience, &detail, target)
}

pub(super) fn erlang_a_from_detail(
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
    let p_abandon = d.p_abandon;
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
