//! Fixed work times on several agents: M/D/c against Crommelin's (1932) embedded chain.
//!
//! With every step exactly D minutes long, whoever is in service at time t has left by t + D,
//! and whoever waits at t or arrives in (t, t + D] is still there at t + D (a step started in
//! that interval ends after it). So the number in the system N at times D apart is a Markov
//! chain, N' = max(N - c, 0) + A with A ~ Poisson(lambda D), and its stationary law is the
//! law of N at any moment. Poisson arrivals see it (PASTA): P(wait > 0) = P(N >= c), the mean
//! queue is E[(N - c)^+] and the mean wait is that over lambda (Little). The solver is checked
//! against Pollaczek-Khinchine for c = 1. Fixed handle times are common in planning files, and
//! Erlang C (exponential work) overstates their waits about twofold, so the engine's
//! multi-agent deterministic case is worth its own exact check. Tolerances are 4 standard
//! errors, as in theory.rs.

use crate::common::*;
use statrs::distribution::{Discrete, Poisson};

const Z: f64 = 4.0;

/// The stationary law of the number in an M/D/c system offered `erlangs` (lambda D),
/// truncated at `states` (the tail beyond is below 1e-12 at these loads).
fn crommelin(agents: usize, erlangs: f64, states: usize) -> Vec<f64> {
    let poisson = Poisson::new(erlangs).unwrap();
    let arrivals: Vec<f64> = (0..states as u64).map(|k| poisson.pmf(k)).collect();
    let mut start = vec![0.0; states];
    start[0] = 1.0;
    stationary_law(start, 100_000, |pi| {
        let mut next = vec![0.0; states];
        for (n, &p) in pi.iter().enumerate() {
            let base = n.saturating_sub(agents);
            for (x, a) in next[base..].iter_mut().zip(&arrivals) {
                *x += p * a;
            }
        }
        next
    })
}

/// (P(wait > 0), mean queue length) of M/D/c.
fn mdc(agents: usize, erlangs: f64) -> (f64, f64) {
    let pi = crommelin(agents, erlangs, 400);
    let p_wait = pi[agents..].iter().sum();
    let queue = pi[agents..]
        .iter()
        .enumerate()
        .map(|(i, p)| i as f64 * p)
        .sum();
    (p_wait, queue)
}

#[test]
fn the_chain_reproduces_pollaczek_khinchine_for_one_agent() {
    let (p_wait, queue) = mdc(1, 0.7);
    assert!((p_wait - 0.7).abs() < 1e-9, "{p_wait}");
    // M/D/1: Lq = rho^2 / (2 (1 - rho)).
    let pk = 0.49 / 0.6;
    assert!((queue - pk).abs() < 1e-9, "{queue} vs {pk}");
}

fn mdc_case(agents: u32, rho: f64) {
    let aht = 6.0;
    let erlangs = rho * agents as f64;
    let per_hour = erlangs / aht * 60.0;
    let (p_wait, queue) = mdc(agents as usize, erlangs);
    let text = OnePool {
        name: "mdc",
        replications: 60,
        seed: 31,
        days: (1.0, 6.0, 1.0),
        channel: "phone",
        trace: false,
        per_hour,
        priority: "P2",
        agents,
        work: &format!("{aht}"),
        tail: "",
    }
    .toml();
    let mc = run(&scenario(&text));
    let label = format!("M/D/{agents} at utilisation {rho}");
    assert_within_se(
        &format!("{label} P(wait > 0)"),
        &est(&mc, "stage_wait_probability", "stage=L1,pool=agents"),
        p_wait,
        Z,
    );
    assert_within_se(
        &format!("{label} mean wait [min]"),
        &est(&mc, "first_response_time_min", "all"),
        queue / (per_hour / 60.0),
        Z,
    );
    assert_within_se(
        &format!("{label} mean queue length"),
        &est(&mc, "queue_length_mean_tickets", "pool=agents"),
        queue,
        Z,
    );
    assert_within_se(
        &format!("{label} utilisation"),
        &est(&mc, "utilisation", "pool=agents"),
        rho,
        Z,
    );
}

/// M/D/5 at utilisation 0.85: P(wait > 0) 0.6359, mean wait 2.697 min (Erlang C's M/M/5:
/// 0.654 and 5.24 min).
#[test]
fn fixed_work_on_five_agents_waits_as_m_d_5() {
    mdc_case(5, 0.85);
}

/// M/D/12 at utilisation 0.9: P(wait > 0) 0.6164, mean wait 1.655 min (Erlang C's M/M/12:
/// 0.640 and 3.20 min).
#[test]
fn fixed_work_on_twelve_agents_waits_as_m_d_12() {
    mdc_case(12, 0.9);
}
