//! Impatience that is not exponential: M/M/n+G against the exact stationary solution of
//! Baccelli & Hebuterne (1981), as written by Zeltyn & Mandelbaum (2005, Queueing Systems 51).
//!
//! In M/M/n+G the offered (virtual) wait V of an arrival, the wait it would have if it never
//! gave up, has an atom of π_j at "an agent is free" (j < n agents busy, π_j ∝ (λ/μ)^j / j!)
//! and the density f(x) = λ π_{n-1} exp(λ H(x) − nμx) for x > 0, where H(x) = ∫_0^x Ḡ(u) du
//! and Ḡ is the patience survival function. A customer with patience τ is answered after V if
//! τ ≥ V, and gives up after τ otherwise. Every metric below is an integral of f. Real call
//! centres' patience is far from exponential (Brown et al. 2005), so Erlang A alone does not
//! cover what planners feed the engine. Tolerances are 4 standard errors, as in theory.rs.

use crate::common::*;
use statrs::distribution::{ContinuousCDF, Gamma, LogNormal};
use supportsim::stats::erlang::{QueueInput, metrics};

const Z: f64 = 4.0;

/// The exact M/M/n+G measures the engine reports.
#[derive(Debug)]
struct Exact {
    p_abandon: f64,
    /// Creation to answer or giving up, over all arrivals [min].
    mean_wait_all_min: f64,
    /// Over answered arrivals [min].
    mean_wait_answered_min: f64,
    /// Answered within `target_min` (abandoners count as misses).
    answered_within: f64,
    /// Abandoners' mean time to give up [min].
    mean_time_to_abandon_min: f64,
    /// Abandoners that gave up within `abandon_within_min`.
    abandoned_within: f64,
    /// Busy agents / agents.
    occupancy: f64,
}

/// Solves M/M/n+G by the trapezoid rule on a grid of `step_min` out to `horizon_min`, where
/// f has vanished; `survival` is the patience's Ḡ. A kink of Ḡ (deterministic patience) must
/// fall on the grid.
#[allow(clippy::too_many_arguments)]
fn solve(
    agents: u32,
    per_min: f64,
    mean_service_min: f64,
    survival: &dyn Fn(f64) -> f64,
    target_min: f64,
    abandon_within_min: f64,
    step_min: f64,
    horizon_min: f64,
) -> Exact {
    let (n, lambda, mu) = (agents as f64, per_min, 1.0 / mean_service_min);
    let a = lambda / mu;
    // Σ_{j<n} π_j / π_{n-1} = Σ_j (n-1)! / j! · a^(j-n+1), summed from j = n-1 down.
    let (mut ratio, mut atoms) = (1.0, 0.0);
    for j in (0..agents).rev() {
        atoms += ratio;
        ratio *= j as f64 / a;
    }
    let steps = (horizon_min / step_min).round() as usize;
    // Running integrals of e(x) = exp(λH(x) − nμx) times 1, G, H, xḠ, e·Ḡ up to the target,
    // and e·G(min(x, t)) for the abandoners within t.
    let (mut j_int, mut ab_int, mut h_int, mut served_int, mut within_int, mut ab_within_int) =
        (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    let mut h = 0.0;
    let mut prev: Option<[f64; 6]> = None;
    let mut prev_sf = 1.0;
    for k in 0..=steps {
        let x = k as f64 * step_min;
        let sf = survival(x);
        if k > 0 {
            h += step_min * (prev_sf + sf) / 2.0;
        }
        prev_sf = sf;
        let e = (lambda * h - n * mu * x).exp();
        let cdf_capped = 1.0 - survival(x.min(abandon_within_min));
        let within = if x <= target_min + 1e-12 { e * sf } else { 0.0 };
        let now = [e, e * (1.0 - sf), e * h, e * x * sf, within, e * cdf_capped];
        if let Some(p) = prev {
            let trap = |i: usize| step_min * (p[i] + now[i]) / 2.0;
            j_int += trap(0);
            ab_int += trap(1);
            h_int += trap(2);
            served_int += trap(3);
            // The target falls on the grid: the step past it integrates a jump, not a slope.
            if x <= target_min + 1e-12 {
                within_int += trap(4);
            }
            ab_within_int += trap(5);
        }
        prev = Some(now);
    }
    let pi = 1.0 / (atoms + lambda * j_int);
    let p_abandon = pi * lambda * ab_int;
    let answered_waits = pi * lambda * served_int;
    let all_waits = pi * lambda * h_int;
    Exact {
        p_abandon,
        mean_wait_all_min: all_waits,
        mean_wait_answered_min: answered_waits / (1.0 - p_abandon),
        answered_within: pi * atoms + pi * lambda * within_int,
        mean_time_to_abandon_min: (all_waits - answered_waits) / p_abandon,
        abandoned_within: pi * lambda * ab_within_int / p_abandon,
        occupancy: a * (1.0 - p_abandon) / n,
    }
}

/// The solver itself: with exponential patience M/M/n+G is Erlang A, which the library
/// computes state by state; the two must agree to numerical precision.
#[test]
fn the_mmng_solver_reproduces_erlang_a_for_exponential_patience() {
    let (agents, aht, patience, per_min, target) = (10u32, 6.0, 3.0, 110.0 / 60.0, 0.5);
    let x = solve(
        agents,
        per_min,
        aht,
        &|t| (-t / patience).exp(),
        target,
        2.0,
        1e-3,
        200.0,
    );
    let a = metrics(
        &QueueInput {
            arrival_rate_per_min: per_min,
            mean_service_min: aht,
            agents,
            mean_patience_min: Some(patience),
        },
        Some(target),
    )
    .unwrap();
    let close = |what: &str, got: f64, want: f64| {
        assert!(
            (got - want).abs() < 1e-6 * want.abs().max(1.0),
            "{what}: solver {got} vs Erlang A {want}"
        );
    };
    close("P(abandon)", x.p_abandon, a.p_abandon);
    close("mean wait, all", x.mean_wait_all_min, a.mean_wait_min);
    close(
        "mean wait, answered",
        x.mean_wait_answered_min,
        a.mean_wait_served_min,
    );
    close(
        "answered within 30 s",
        x.answered_within,
        a.service_level.unwrap(),
    );
    close("occupancy", x.occupancy, a.occupancy);
    // Exponential patience is memoryless: abandoners' waits are the patience given it ran
    // out first, and their mean is E[min(V, τ)] − E[V; answered] over P(abandon).
    assert!(x.mean_time_to_abandon_min > 0.0 && x.mean_time_to_abandon_min < patience);
}

/// Simulates 110 calls an hour on 10 agents at 6 minutes (offered 1.1 erlangs per agent,
/// stable only because callers give up) with `patience` (a TOML value) and checks every
/// measure against `exact`.
fn check_case(label: &str, patience: &str, exact: &Exact, target_min: f64, within_min: f64) {
    let tail = format!(
        "[customers.patience]\nphone = {patience}\n\
         [[sla]]\nfirst_response = {{ target_min = {target_min}, goal = 0.8 }}\n"
    );
    let text = OnePool {
        name: "impatience",
        replications: 60,
        seed: 23,
        days: (1.0, 6.0, 1.0),
        channel: "phone",
        trace: false,
        per_hour: 110.0,
        priority: "P2",
        agents: 10,
        work: "{ dist = \"exponential\", mean_min = 6 }",
        tail: &tail,
    }
    .toml();
    let mc = run(&scenario(&text));
    eprintln!("{label} exact: {exact:?}");
    let checks = [
        ("abandonment", "abandonment_rate", "all", exact.p_abandon),
        (
            "mean wait, all arrivals [min]",
            "initial_wait_min",
            "all",
            exact.mean_wait_all_min,
        ),
        (
            "mean wait, answered [min]",
            "first_response_time_min",
            "all",
            exact.mean_wait_answered_min,
        ),
        (
            "answered within target",
            "sla_first_response_attainment",
            "all",
            exact.answered_within,
        ),
        ("occupancy", "utilisation", "pool=agents", exact.occupancy),
    ];
    for (what, metric, group, theory) in checks {
        assert_within_se(
            &format!("{label} {what}"),
            &est(&mc, metric, group),
            theory,
            Z,
        );
    }
    let tta = est(&mc, "time_to_abandon_min", "all");
    let share = est(
        &mc,
        "abandoned_within_share",
        &format!("within_min={within_min}"),
    );
    if tta.std_error > 1e-9 {
        assert_within_se(
            &format!("{label} time to abandon [min]"),
            &tta,
            exact.mean_time_to_abandon_min,
            Z,
        );
        assert_within_se(
            &format!("{label} abandoned within {within_min} min"),
            &share,
            exact.abandoned_within,
            Z,
        );
    } else {
        // Deterministic patience: every abandoner waited exactly its patience.
        // (The solver's grid puts its own answer within 1e-4 of the exact 3 minutes.)
        assert!((tta.mean - exact.mean_time_to_abandon_min).abs() < 1e-3);
        assert!((share.mean - exact.abandoned_within).abs() < 1e-3);
    }
}

/// M/M/10+D: every caller waits exactly 3 minutes at most. P(abandon) is P(V > 3); the
/// answered-within-1-minute share has no Erlang A counterpart.
#[test]
fn mmn_with_deterministic_patience_matches_the_exact_solution() {
    let tau = 3.0;
    let exact = solve(
        10,
        110.0 / 60.0,
        6.0,
        &|t| if t < tau { 1.0 } else { 0.0 },
        1.0,
        5.0,
        1e-4,
        60.0,
    );
    assert!((exact.mean_time_to_abandon_min - tau).abs() < 1e-3);
    check_case("M/M/10+D(3)", "3", &exact, 1.0, 5.0);
}

/// The exact solution for a smooth patience survival `sf` on a 1e-3-minute grid out to
/// `horizon_min`, checked against the simulation of `patience` (a TOML value); the target is
/// 1 minute and the abandoners' share is taken within 2.
fn smooth_case(label: &str, patience: &str, sf: &dyn Fn(f64) -> f64, horizon_min: f64) {
    let survival = |t: f64| if t <= 0.0 { 1.0 } else { sf(t) };
    let exact = solve(
        10,
        110.0 / 60.0,
        6.0,
        &survival,
        1.0,
        2.0,
        1e-3,
        horizon_min,
    );
    check_case(label, patience, &exact, 1.0, 2.0);
}

/// M/M/10+lognormal with mean 3 min and cv 1 (log-scale sigma √ln 2): the shape fitted to
/// real call-centre patience, with a hazard that rises and then falls.
#[test]
fn mmn_with_lognormal_patience_matches_the_exact_solution() {
    let sigma = 2f64.ln().sqrt();
    let patience = LogNormal::new(3f64.ln() - sigma * sigma / 2.0, sigma).unwrap();
    smooth_case(
        "M/M/10+LN(3, cv 1)",
        "{ dist = \"lognormal\", mean_min = 3, cv = 1.0 }",
        &|t| patience.sf(t),
        400.0,
    );
}

/// M/M/10+gamma with mean 3 min and cv 0.5 (shape 4): patience more regular than
/// exponential, so fewer callers give up early.
#[test]
fn mmn_with_gamma_patience_matches_the_exact_solution() {
    let patience = Gamma::new(4.0, 4.0 / 3.0).unwrap();
    smooth_case(
        "M/M/10+Gamma(3, cv 0.5)",
        "{ dist = \"gamma\", mean_min = 3, cv = 0.5 }",
        &|t| patience.sf(t),
        200.0,
    );
}
