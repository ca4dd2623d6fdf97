//! Strict (non-preemptive) priority queues against Cobham's formula.
//!
//! For M/M/c with one exponential service rate μ for every class and classes served in strict
//! priority order (first in, first out within a class), the mean wait of class k is
//! `W_k = W_0 / ((1 - σ_{k-1}) (1 - σ_k))` with `W_0 = C(c, a) / (c μ)` (C the Erlang C
//! probability of waiting) and `σ_k` the load of classes 1..=k over c μ (Cobham 1954; Gross &
//! Harris, *Fundamentals of Queueing Theory*, section 3.4). Every class waits with probability
//! C (PASTA: an arrival waits iff it finds every agent busy, whatever its class). Tolerances are
//! 4 standard errors of the replication means, as in `theory.rs`.

use crate::common::*;
use supportsim::stats::erlang::{QueueInput, metrics};

const Z: f64 = 4.0;

/// Cobham's mean waits [min] per class, highest priority first.
fn cobham_waits_min(per_hour: f64, aht_min: f64, agents: u32, shares: &[f64]) -> Vec<f64> {
    let lambda_per_min = per_hour / 60.0;
    let erlang = metrics(
        &QueueInput {
            arrival_rate_per_min: lambda_per_min,
            mean_service_min: aht_min,
            agents,
            mean_patience_min: None,
        },
        None,
    )
    .unwrap();
    let capacity_per_min = f64::from(agents) / aht_min;
    let w0 = erlang.p_wait / capacity_per_min;
    let mut sigma_before = 0.0;
    shares
        .iter()
        .map(|share| {
            let sigma = sigma_before + share * lambda_per_min / capacity_per_min;
            let w = w0 / ((1.0 - sigma_before) * (1.0 - sigma));
            sigma_before = sigma;
            w
        })
        .collect()
}

fn check(per_hour: f64, aht_min: f64, agents: u32, reps: u32, days: f64) {
    check_classes(
        per_hour,
        aht_min,
        agents,
        reps,
        days,
        None,
        &[("P1", 0.2), ("P2", 0.3), ("P3", 0.5)],
    );
}

/// Cobham's waits for classes `(name, share)` (most urgent first), with `[demand]
/// priority_names` set to `names` when given (else the default P1..P4).
fn check_classes(
    per_hour: f64,
    aht_min: f64,
    agents: u32,
    reps: u32,
    days: f64,
    names: Option<&[&str]>,
    classes: &[(&str, f64)],
) {
    let shares: Vec<f64> = classes.iter().map(|c| c.1).collect();
    let mut mix: Vec<String> = classes.iter().map(|(n, s)| format!("{n} = {s}")).collect();
    if names.is_some() {
        // Ranks come from priority_names, not from the order of the mix's keys.
        mix.reverse();
    }
    let mut demand = format!("priorities = {{ {} }}", mix.join(", "));
    if let Some(names) = names {
        let quoted: Vec<String> = names.iter().map(|n| format!("{n:?}")).collect();
        demand = format!("priority_names = [{}]\n{demand}", quoted.join(", "));
    }
    let text = mmc_toml(per_hour, aht_min, agents, None, 1.0, reps, days)
        .replace("priorities = { P2 = 1.0 }", &demand);
    let mc = run(&scenario(&text));
    let theory = cobham_waits_min(per_hour, aht_min, agents, &shares);
    for ((p, _), w) in classes.iter().zip(&theory) {
        assert_within_se(
            &format!("M/M/{agents} strict priority at {per_hour}/h: {p} mean wait [min]"),
            &est(&mc, "first_response_time_min", &format!("priority={p}")),
            *w,
            Z,
        );
    }
    // The conservation law: the class mix of Cobham's waits is the FIFO (Erlang C) mean wait,
    // so the order changes who waits, not how much waiting there is.
    let fifo = metrics(
        &QueueInput {
            arrival_rate_per_min: per_hour / 60.0,
            mean_service_min: aht_min,
            agents,
            mean_patience_min: None,
        },
        None,
    )
    .unwrap();
    let mixed: f64 = shares.iter().zip(&theory).map(|(s, w)| s * w).sum();
    assert!(
        (mixed - fifo.mean_wait_min).abs() < 1e-9 * fifo.mean_wait_min.max(1.0),
        "Cobham's waits mix to {mixed}, Erlang C says {}",
        fifo.mean_wait_min
    );
    assert_within_se(
        &format!("M/M/{agents} strict priority at {per_hour}/h: mean wait of all [min]"),
        &est(&mc, "first_response_time_min", "all"),
        fifo.mean_wait_min,
        Z,
    );
}

#[test]
fn single_agent_strict_priority_waits_as_cobham() {
    // M/M/1 at ρ = 0.8: P1 waits 3.81 min, P2 6.35 min, P3 26.7 min (FIFO: 16 min for all).
    check(12.0, 4.0, 1, 40, 20.0);
}

#[test]
fn five_agent_strict_priority_waits_as_cobham() {
    // M/M/5 at ρ = 0.9: the lowest class carries almost all of the waiting.
    check(45.0, 6.0, 5, 40, 20.0);
}

#[test]
fn two_renamed_priorities_on_one_agent_wait_as_cobham() {
    // M/M/1 at ρ = 0.8 with the file's own two priorities: urgent 4.2 min, normal 21.1 min.
    check_classes(
        12.0,
        4.0,
        1,
        40,
        20.0,
        Some(&["urgent", "normal"]),
        &[("urgent", 0.3), ("normal", 0.7)],
    );
}

#[test]
fn three_renamed_priorities_on_three_agents_wait_as_cobham() {
    // M/M/3 at ρ = 0.85: gold 1.7 min, silver 2.9 min, bronze 16.9 min.
    check_classes(
        25.5,
        6.0,
        3,
        40,
        20.0,
        Some(&["gold", "silver", "bronze"]),
        &[("gold", 0.15), ("silver", 0.35), ("bronze", 0.5)],
    );
}

#[test]
fn six_priorities_on_four_agents_wait_as_cobham() {
    // M/M/4 at ρ = 0.85 with six classes: 1.1, 1.4, 2.0, 3.2, 6.6 and 21.5 min.
    let names = ["s1", "s2", "s3", "s4", "s5", "s6"];
    check_classes(
        34.0,
        6.0,
        4,
        40,
        20.0,
        Some(&names),
        &[
            ("s1", 0.1),
            ("s2", 0.15),
            ("s3", 0.15),
            ("s4", 0.2),
            ("s5", 0.2),
            ("s6", 0.2),
        ],
    );
}

/// M/G/1 with strict priority: Cobham's formula holds for any work-time distribution on one
/// agent with `W_0 = λ E[S²] / 2` (the mean residual work found in service), so deterministic
/// and lognormal (cv 1.5) work at utilisation 0.8 check the priority order and the
/// distribution's second moment together.
#[test]
fn single_agent_strict_priority_with_general_work_waits_as_cobham() {
    let (aht, rho, classes) = (6.0, 0.8, [("P1", 0.3), ("P2", 0.7)]);
    let per_hour = rho * 60.0 / aht;
    for (label, work, cv) in [
        ("M/D/1", format!("{aht}"), 0.0),
        (
            "M/G/1 lognormal cv 1.5",
            format!("{{ dist = \"lognormal\", mean_min = {aht}, cv = 1.5 }}"),
            1.5,
        ),
    ] {
        let text = mg1_toml("cobham-mg1", 23, per_hour, &work).replace(
            "priorities = { P3 = 1.0 }",
            "priorities = { P1 = 0.3, P2 = 0.7 }",
        );
        let mc = run(&scenario(&text));
        let lambda = per_hour / 60.0;
        let w0 = lambda * aht * aht * (1.0 + cv * cv) / 2.0;
        let mut sigma_before = 0.0;
        for (p, share) in classes {
            let sigma = sigma_before + share * rho;
            let w = w0 / ((1.0 - sigma_before) * (1.0 - sigma));
            sigma_before = sigma;
            assert_within_se(
                &format!("{label} strict priority: {p} mean wait [min]"),
                &est(&mc, "first_response_time_min", &format!("priority={p}")),
                w,
                Z,
            );
        }
    }
}

/// M/G/1 with strict priority and a different work time per class: Cobham's formula with
/// `W_0 = Σ λ_k E[S_k²] / 2` and σ_k summing each class's own load. Urgent tickets come by a
/// portal and take a fixed 4 minutes; routine ones come by email and take an exponential 8
/// (segments tie class to channel). A wrong channel's work, or a class served out of order,
/// moves both waits.
#[test]
fn single_agent_priority_classes_with_their_own_work_times_wait_as_cobham() {
    let per_hour = 7.0;
    let lambda = per_hour / 60.0;
    // (priority, share, mean work [min], E[S²] [min²]).
    let classes = [("P1", 0.3, 4.0, 16.0), ("P2", 0.7, 8.0, 128.0)];
    let text = mg1_toml("cobham-classes", 29, per_hour, "4")
        .replace(
            "channels = { email = 1.0 }",
            "channel_kinds = { portal = \"asynchronous\", email = \"asynchronous\" }\n\
             channels = { portal = 0.3, email = 0.7 }",
        )
        .replace(
            "priorities = { P3 = 1.0 }",
            "priorities = { P1 = 0.3, P2 = 0.7 }",
        )
        .replace(
            "segments = { all = 1.0 }",
            "segments = { urgent = 0.3, routine = 0.7 }\n\
             by_segment.urgent = { channels = { portal = 1.0 }, priorities = { P1 = 1.0 } }\n\
             by_segment.routine = { channels = { email = 1.0 }, priorities = { P2 = 1.0 } }",
        )
        .replace(
            "work_time.default = 4",
            "work_time.portal = 4\nwork_time.email = { dist = \"exponential\", mean_min = 8 }",
        );
    let mc = run(&scenario(&text));
    let w0: f64 = classes
        .iter()
        .map(|(_, share, _, second)| lambda * share * second / 2.0)
        .sum();
    let mut sigma_before = 0.0;
    for (p, share, mean, _) in classes {
        let sigma = sigma_before + lambda * share * mean;
        let w = w0 / ((1.0 - sigma_before) * (1.0 - sigma));
        sigma_before = sigma;
        assert_within_se(
            &format!("M/G/1 two classes, own work times: {p} mean wait [min]"),
            &est(&mc, "first_response_time_min", &format!("priority={p}")),
            w,
            Z,
        );
    }
    assert_within_se(
        "M/G/1 two classes: utilisation",
        &est(&mc, "utilisation", "pool=agents"),
        sigma_before,
        Z,
    );
}
