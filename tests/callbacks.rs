//! Callbacks (`[customers.callbacks]`, virtual hold) against limiting cases and exact
//! probabilities. Tolerances are 4 standard errors of the replication means.

use crate::common::*;
use supportsim::stats::erlang::{QueueInput, metrics};

const Z: f64 = 4.0;

/// M/M/5 phone queue at 0.85 with exponential patience of mean 3 min.
fn queue() -> String {
    mmc_toml(42.5, 6.0, 5, Some(3.0), 1.0, 30, 20.0)
}

fn with_callbacks(table: &str) -> String {
    format!("{}[customers.callbacks]\n{table}\n", queue())
}

#[test]
fn nobody_accepting_leaves_every_other_result_bit_identical() {
    let plain = run(&scenario(&queue()));
    let declined = run(&scenario(&with_callbacks(
        "offer_after_min = 0.5\naccept_share = 0",
    )));
    for (i, def) in plain.catalog.defs.iter().enumerate() {
        let j = declined
            .catalog
            .find(def.metric, &def.group)
            .unwrap_or_else(|| panic!("{} {} missing", def.metric, def.group));
        for (a, b) in plain.values.iter().zip(&declined.values) {
            assert!(
                a[i].to_bits() == b[j].to_bits(),
                "{} {}: {} vs {}",
                def.metric,
                def.group,
                a[i],
                b[j]
            );
        }
    }
    assert!(est(&declined, "callbacks_offered", "all").mean > 100.0);
    assert_eq!(est(&declined, "callbacks_accepted", "all").mean, 0.0);
}

#[test]
fn callbacks_offered_at_once_and_always_accepted_make_erlang_a_an_erlang_c_queue() {
    // Offered after 0.001 min and always accepted, a customer abandons only if patience runs
    // out in that instant (probability 1 - e^(-0.001/3) = 0.0003 of those who wait): the
    // queue is M/M/5 without abandonment, so waits are Erlang C's.
    let mc = run(&scenario(&with_callbacks(
        "offer_after_min = 0.001\naccept_share = 1",
    )));
    let c = metrics(
        &QueueInput {
            arrival_rate_per_min: 42.5 / 60.0,
            mean_service_min: 6.0,
            agents: 5,
            mean_patience_min: None,
        },
        Some(1.0),
    )
    .unwrap();
    assert_within_se(
        "callbacks at once: mean wait [min] vs Erlang C",
        &est(&mc, "first_response_time_min", "all"),
        c.mean_wait_min,
        Z,
    );
    // A waiting caller is offered the callback if neither service (the conditional wait of
    // M/M/c is exponential with rate c mu - lambda) nor the end of patience comes within
    // 0.001 min: exp(-(c mu - lambda + 1/3) x 0.001).
    let tau: f64 = 0.001;
    let gap_per_min: f64 = 5.0 / 6.0 - 42.5 / 60.0;
    assert_within_se(
        "callbacks at once: callback share of waiting callers",
        &est(&mc, "callback_share", "all"),
        (-(gap_per_min + 1.0 / 3.0) * tau).exp(),
        Z,
    );
    let abandoned = est(&mc, "abandonment_rate", "all").mean;
    assert!(abandoned < 0.002, "abandonment {abandoned}");
    // Without callbacks the same queue loses about a fifth of its callers (Erlang A).
    let a = metrics(
        &QueueInput {
            arrival_rate_per_min: 42.5 / 60.0,
            mean_service_min: 6.0,
            agents: 5,
            mean_patience_min: Some(3.0),
        },
        Some(1.0),
    )
    .unwrap();
    assert!(a.p_abandon > 0.1, "Erlang A abandonment {}", a.p_abandon);
}

#[test]
fn unreachable_customers_are_retried_and_lost_with_the_geometric_probabilities() {
    // Each attempt fails with p = 0.4, at most 3 attempts: a callback connects with
    // probability 1 - 0.4^3 = 0.936 and takes (1 - 0.4^3) / (1 - 0.4) = 1.56 attempts.
    let mc = run(&scenario(&with_callbacks(
        "offer_after_min = 0.5\naccept_share = 0.7\nunreachable_share = 0.4\nfailed_attempt_min = 0.5\nretry_after_min = 10\nmax_attempts = 3",
    )));
    let p: f64 = 0.4;
    assert_within_se(
        "callback success rate vs 1 - p^3",
        &est(&mc, "callback_success_rate", "all"),
        1.0 - p.powi(3),
        Z,
    );
    assert_within_se(
        "attempts per callback vs (1 - p^3) / (1 - p)",
        &est(&mc, "callback_attempts_per_callback", "all"),
        (1.0 - p.powi(3)) / (1.0 - p),
        Z,
    );
    // The acceptance draw: accepted / offered = 0.7.
    let offered = est(&mc, "callbacks_offered", "all").mean;
    let accepted = est(&mc, "callbacks_accepted", "all").mean;
    assert!(
        (accepted / offered - 0.7).abs() < 0.02,
        "{accepted} / {offered}"
    );
    // Every ticket ends one way: lost callbacks count as abandoned.
    let col = |m: &str| mc.catalog.find(m, "all").unwrap();
    let arrived = col("tickets_arrived");
    let ends = [
        "tickets_resolved",
        "tickets_abandoned",
        "tickets_unresolved_at_end",
    ]
    .map(col);
    let lost = col("callbacks_lost");
    for v in &mc.values {
        let ended: f64 = ends.iter().map(|&i| v[i]).sum();
        assert_eq!(v[arrived], ended);
        assert!(v[lost] > 0.0);
    }
}

#[test]
fn callback_keys_are_checked_with_key_paths() {
    let cases = [
        ("accept_share = 0.5", "customers.callbacks.offer_after_min"),
        ("offer_after_min = 5", "customers.callbacks.accept_share"),
        (
            "offer_after_min = 5\naccept_share = 1.5",
            "customers.callbacks.accept_share",
        ),
        (
            "offer_after_min = -1\naccept_share = 0.5",
            "customers.callbacks.offer_after_min",
        ),
        (
            "offer_after_min = 5\naccept_share = 0.5\nunreachable_share = 1",
            "customers.callbacks.unreachable_share",
        ),
        (
            "offer_after_min = 5\naccept_share = 0.5\nunreachable_share = 0.2",
            "customers.callbacks.retry_after_min",
        ),
        (
            "offer_after_min = 5\naccept_share = 0.5\nmax_attempts = 0",
            "customers.callbacks.max_attempts",
        ),
        (
            "offer_after_min = 5\naccept_share = 0.5\nfailed_attempt_min = inf",
            "customers.callbacks.failed_attempt_min",
        ),
        ("offer_after_min = 5\naccept_share = 0.5\nofer = 1", "ofer"),
    ];
    for (table, path) in cases {
        let e = refusal(&with_callbacks(table));
        assert!(e.contains(path), "{table}: {e}");
    }
}
