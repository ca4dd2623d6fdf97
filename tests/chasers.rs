//! Chasers (`[customers.chasers]`): the expected chasers per ticket of an M/M/c email queue
//! in closed form (exponential and deterministic patience), the reading work they add, and
//! their keys. Fixed seeds; tolerances are 4 standard errors, as in theory.rs.

use crate::common::*;
use supportsim::stats::erlang::{QueueInput, metrics};
use supportsim::stats::summary::Estimate;

const Z: f64 = 4.0;

/// An M/M/c queue of email tickets with chasers (no abandonment: email never abandons).
fn email_queue(per_hour: f64, aht: f64, agents: u32, chasers: &str) -> String {
    mmc_toml(per_hour, aht, agents, None, 1.0, 30, 20.0)
        .replace("channels = { phone = 1.0 }", "channels = { email = 1.0 }")
        + "[customers.chasers]\n"
        + chasers
}

/// Chasers per ticket when reading them costs nothing (the queue stays M/M/c): a ticket
/// waits with probability C (Erlang C), and then for an exponential time of rate
/// gamma = c mu - lambda. `p_at_least(k)` is P(at least k chasers | it waits).
fn chasers_theory(
    per_hour: f64,
    aht: f64,
    agents: u32,
    max: u32,
    p_at_least: impl Fn(u32, f64) -> f64,
) -> f64 {
    let lambda = per_hour / 60.0;
    let c = metrics(
        &QueueInput {
            arrival_rate_per_min: lambda,
            mean_service_min: aht,
            agents,
            mean_patience_min: None,
        },
        None,
    )
    .unwrap()
    .p_wait;
    let gamma = agents as f64 / aht - lambda;
    c * (1..=max).map(|k| p_at_least(k, gamma)).sum::<f64>()
}

#[test]
fn chasers_per_ticket_match_the_closed_form_with_exponential_patience() {
    // While it waits, a ticket chases at rate theta; its remaining wait ends at rate gamma:
    // each further chaser comes first with probability q = theta / (theta + gamma).
    let (per_hour, aht, agents, mean) = (36.0, 6.0, 4, 10.0);
    let text = email_queue(
        per_hour,
        aht,
        agents,
        &format!(
            "patience_min = {{ dist = \"exponential\", mean_min = {mean} }}\nmax_chasers = 3\n"
        ),
    );
    let mc = run(&scenario(&text));
    let theta = 1.0 / mean;
    let theory = chasers_theory(per_hour, aht, agents, 3, |k, gamma| {
        (theta / (theta + gamma)).powi(k as i32)
    });
    assert_within_se(
        "M/M/4 at 0.9, exponential patience 10 min, cap 3: chasers per ticket",
        &est(&mc, "chasers_per_ticket", "all"),
        theory,
        Z,
    );
}

#[test]
fn chasers_per_ticket_match_the_closed_form_with_deterministic_patience() {
    // The k-th chaser is sent iff the wait exceeds k x 10 minutes: P = exp(-gamma k 10).
    let (per_hour, aht, agents, p) = (36.0, 6.0, 4, 10.0);
    let text = email_queue(
        per_hour,
        aht,
        agents,
        &format!("patience_min = {p}\nmax_chasers = 2\n"),
    );
    let mc = run(&scenario(&text));
    let theory = chasers_theory(per_hour, aht, agents, 2, |k, gamma| {
        (-gamma * k as f64 * p).exp()
    });
    assert_within_se(
        "M/M/4 at 0.9, deterministic patience 10 min, cap 2: chasers per ticket",
        &est(&mc, "chasers_per_ticket", "all"),
        theory,
        Z,
    );
}

#[test]
fn each_chaser_adds_its_reading_work_to_the_answer() {
    // Agent minutes per ticket = mean work (6) + 1 minute per chaser, replication by
    // replication up to the tickets in flight at the window's edges. (Reading adds load:
    // at most 3 chasers keep this queue below 0.9 erlangs per agent.)
    let text = email_queue(
        24.0,
        6.0,
        4,
        "patience_min = { dist = \"exponential\", mean_min = 5 }\nread_min = 1\nmax_chasers = 3\n",
    );
    let mc = run(&scenario(&text));
    let amt = mc.catalog.find("agent_minutes_per_ticket", "all").unwrap();
    let cpt = mc.catalog.find("chasers_per_ticket", "all").unwrap();
    let chasers = est(&mc, "chasers_per_ticket", "all").mean;
    assert!(chasers > 0.1, "chasers per ticket {chasers}");
    assert_eq!(est(&mc, "unstable_replication", "all").mean, 0.0);
    let work = Estimate::from_values(mc.values.iter().map(|v| v[amt] - v[cpt]));
    assert_within_se("agent minutes per ticket - 1 x chasers", &work, 6.0, Z);
}

#[test]
fn files_without_chasers_report_none_and_live_tickets_never_chase() {
    let mc = run(&scenario(&mmc_toml(40.0, 6.0, 5, None, 1.0, 2, 1.0)));
    assert!(mc.estimate("chasers_per_ticket", "all").is_none());
    // Phone only: nobody sends a chaser.
    let text =
        mmc_toml(44.0, 6.0, 4, None, 1.0, 3, 2.0) + "[customers.chasers]\npatience_min = 1\n";
    let mc = run(&scenario(&text));
    assert_eq!(est(&mc, "chasers", "all").mean, 0.0);
}

#[test]
fn chaser_keys_are_checked_with_key_paths() {
    let base = mmc_toml(40.0, 6.0, 5, None, 1.0, 2, 1.0);
    let err = |extra: &str| refusal(&(base.clone() + extra));
    let e = err("[customers.chasers]\nread_min = 2\n");
    assert!(
        e.contains("customers.chasers.patience_min: is required"),
        "{e}"
    );
    let e = err("[customers.chasers]\npatience_min = 60\nmax_chasers = 0\n");
    assert!(e.contains("customers.chasers.max_chasers: is 0"), "{e}");
    let e = err("[customers.chasers]\npatience_min = 60\nread_min = -1\n");
    assert!(e.contains("customers.chasers.read_min"), "{e}");
}
