//! Retrials (`[customers.retrials]`): an Erlang loss system with retrials against its exact
//! two-dimensional Markov chain, the conservation of tickets and contacts, and abandonment
//! counted per contact. Fixed seeds; tolerances are 4 standard errors, as in theory.rs.

use crate::common::*;

const Z: f64 = 4.0;

/// Solves `x A = b`-style stationary equations: `pi Q = 0`, `sum pi = 1`, by Gaussian
/// elimination with partial pivoting on the transposed generator (last equation replaced
/// by the normalisation).
fn stationary(q: &[Vec<f64>]) -> Vec<f64> {
    let n = q.len();
    let mut a: Vec<Vec<f64>> = (0..n).map(|i| (0..n).map(|j| q[j][i]).collect()).collect();
    let mut b = vec![0.0; n];
    a[n - 1] = vec![1.0; n];
    b[n - 1] = 1.0;
    for col in 0..n {
        let piv = (col..n)
            .max_by(|&x, &y| a[x][col].abs().total_cmp(&a[y][col].abs()))
            .unwrap();
        a.swap(col, piv);
        b.swap(col, piv);
        for row in col + 1..n {
            let f = a[row][col] / a[col][col];
            if f != 0.0 {
                let (top, bottom) = a.split_at_mut(row);
                for (x, y) in bottom[0][col..].iter_mut().zip(&top[col][col..]) {
                    *x -= f * y;
                }
                b[row] -= f * b[col];
            }
        }
    }
    let mut x = vec![0.0; n];
    for row in (0..n).rev() {
        let s: f64 = (row + 1..n).map(|k| a[row][k] * x[k]).sum();
        x[row] = (b[row] - s) / a[row][row];
    }
    x
}

/// M/M/c/c where a blocked attempt (first or retrial) joins the orbit with probability r
/// and each customer in orbit retries at rate theta: the chain on (busy servers n, orbit
/// j), truncated at j = `orbit_max` (its mass there is checked to be negligible).
struct Retrial {
    blocking: f64,
    retrials_per_ticket: f64,
    lost_per_ticket: f64,
    utilisation: f64,
}

fn retrial_theory(c: usize, lambda: f64, mu: f64, r: f64, theta: f64) -> Retrial {
    let orbit_max = 150;
    let idx = |n: usize, j: usize| j * (c + 1) + n;
    let size = (c + 1) * (orbit_max + 1);
    let mut q = vec![vec![0.0; size]; size];
    let mut add = |from: usize, to: usize, rate: f64| {
        q[from][to] += rate;
        q[from][from] -= rate;
    };
    for j in 0..=orbit_max {
        for n in 0..=c {
            let s = idx(n, j);
            if n < c {
                add(s, idx(n + 1, j), lambda);
                if j > 0 {
                    add(s, idx(n + 1, j - 1), j as f64 * theta);
                }
            } else {
                if j < orbit_max {
                    add(s, idx(n, j + 1), lambda * r);
                }
                if j > 0 {
                    // A blocked retrial stays in orbit with probability r (no transition).
                    add(s, idx(n, j - 1), j as f64 * theta * (1.0 - r));
                }
            }
            if n > 0 {
                add(s, idx(n - 1, j), n as f64 * mu);
            }
        }
    }
    let pi = stationary(&q);
    let (mut orbit, mut busy, mut p_full, mut orbit_full, mut tail) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for j in 0..=orbit_max {
        for n in 0..=c {
            let p = pi[idx(n, j)];
            orbit += j as f64 * p;
            busy += n as f64 * p;
            if n == c {
                p_full += p;
                orbit_full += j as f64 * p;
            }
            if j == orbit_max {
                tail += p;
            }
        }
    }
    assert!(tail < 1e-12, "orbit truncation holds mass {tail}");
    let attempts = lambda + theta * orbit;
    let blocked = lambda * p_full + theta * orbit_full;
    Retrial {
        blocking: blocked / attempts,
        retrials_per_ticket: theta * orbit / lambda,
        lost_per_ticket: (1.0 - r) * blocked / lambda,
        utilisation: busy / c as f64,
    }
}

fn loss_with_retrials_case(agents: u32, per_hour: f64, r: f64, delay_min: f64) {
    let aht = 6.0;
    let text = mmc_toml(per_hour, aht, agents, None, 1.0, 30, 20.0)
        + &format!(
            "[access.phone]\nqueue_limit = 0\n[customers.retrials]\nblocked_share = {r}\n\
             delay_min = {{ dist = \"exponential\", mean_min = {delay_min} }}\nmax_retrials = 100\n"
        );
    let mc = run(&scenario(&text));
    let th = retrial_theory(
        agents as usize,
        per_hour / 60.0,
        1.0 / aht,
        r,
        1.0 / delay_min,
    );
    let label =
        format!("M/M/{agents}/{agents} at {per_hour}/h, retrial p {r}, delay {delay_min} min");
    assert_within_se(
        &format!("{label}: blocking per attempt"),
        &est(&mc, "blocking_probability", "channel=phone"),
        th.blocking,
        Z,
    );
    assert_within_se(
        &format!("{label}: retrials per ticket"),
        &est(&mc, "retrials_per_ticket", "all"),
        th.retrials_per_ticket,
        Z,
    );
    assert_within_se(
        &format!("{label}: utilisation"),
        &est(&mc, "utilisation", "pool=agents"),
        th.utilisation,
        Z,
    );
    // Lost for good, per ticket: refused / arrived, replication by replication.
    let refused = mc.catalog.find("tickets_refused", "all").unwrap();
    let arrived = mc.catalog.find("tickets_arrived", "all").unwrap();
    let lost = supportsim::stats::summary::Estimate::from_values(
        mc.values.iter().map(|v| v[refused] / v[arrived]),
    );
    assert_within_se(
        &format!("{label}: lost per ticket"),
        &lost,
        th.lost_per_ticket,
        Z,
    );
    // Without retrials the loss would be Erlang B: retrials must lower it.
    assert!(th.lost_per_ticket < th.blocking);
}

#[test]
fn an_erlang_loss_system_with_retrials_matches_its_markov_chain() {
    // 4 erlangs on 5 agents (Erlang B 0.199), retrials half a service time later.
    loss_with_retrials_case(5, 40.0, 0.6, 3.0);
}

#[test]
fn an_overloaded_loss_system_with_slow_retrials_matches_its_markov_chain() {
    // 6 erlangs on 5 agents; retrials after 20 minutes (three service times).
    loss_with_retrials_case(5, 60.0, 0.8, 20.0);
}

/// Chat with opening hours and a queue cap, phone with a cap, patience on both, messages,
/// retrials after every kind of failure and channel switches.
const MIXED: &str = r#"
name = "retrials-mixed"
[run]
warmup_days = 7
horizon_days = 14
drain_days = 3
replications = 12
seed = 3
start_date = "2026-01-05"
[demand]
tickets_per_hour = 14
timezone = "Europe/Berlin"
channels = { chat = 0.4, phone = 0.4, email = 0.2 }
priorities = { P2 = 0.5, P3 = 0.5 }
segments = { all = 1.0 }
required_level = { 0 = 0.1, 1 = 0.9 }
[[pools]]
name = "agents"
headcount = 3
[[tiers]]
level = 1
pool = "agents"
work_time.default = { dist = "exponential", mean_min = 12 }
[customers]
abandon_to_email_probability = 0.2
patience.chat = { dist = "exponential", mean_min = 4 }
patience.phone = { dist = "exponential", mean_min = 3 }
[customers.retrials]
abandoned_share = 0.5
closed_share = 0.7
blocked_share = 0.6
delay_min = { dist = "lognormal", mean_min = 45, cv = 1.0 }
switch_share = 0.3
max_retrials = 3
[[calendars]]
name = "office"
timezone = "Europe/Berlin"
days = ["mon", "tue", "wed", "thu", "fri"]
start = "08:00"
end = "20:00"
[access.chat]
hours = "office"
closed_message_share = 0.2
queue_limit = 2
[access.phone]
queue_limit = 3
blocked_message_share = 0.1
[[sla]]
first_response = { target_min = 30, goal = 0.8 }
"#;

#[test]
fn every_ticket_is_counted_once_and_every_contact_is_a_ticket_or_a_retrial() {
    let mc = run(&scenario(MIXED));
    let col = |m: &str| mc.catalog.find(m, "all").unwrap();
    let (arrived, deflected, contacts, retrials) = (
        col("tickets_arrived"),
        col("tickets_deflected"),
        col("contacts"),
        col("retrial_contacts"),
    );
    let ends = [
        "tickets_resolved",
        "tickets_abandoned",
        "tickets_unresolved_at_end",
        "tickets_refused",
        "tickets_deflected",
    ]
    .map(col);
    for v in &mc.values {
        // contacts = tickets + retrials, replication by replication.
        assert_eq!(v[contacts], v[arrived] - v[deflected] + v[retrials]);
        // Each ticket ends one way, however many contacts it made.
        let ended: f64 = ends.iter().map(|&i| v[i]).sum();
        assert_eq!(v[arrived], ended);
        assert!(v[retrials] > 0.0);
    }
    // Door counts include retrials: blocked and closed shares are per attempt, and the
    // share of turned-away contacts that try again is near closed_share x (1 - message).
    let per_ticket = est(&mc, "retrials_per_ticket", "all").mean;
    assert!(per_ticket > 0.05, "retrials per ticket {per_ticket}");
}

#[test]
fn abandonment_counts_every_contact_and_the_clock_runs_from_the_first() {
    // One agent held by a warm-up call for the whole run: nobody in the window is
    // answered. Every customer abandons (patience mean 3), retries 10 minutes later, twice.
    let text = mmc_toml(30.0, 1.0, 1, Some(3.0), 1.0, 20, 2.0).replace(
        "work_time.default = { dist = \"exponential\", mean_min = 1 }",
        "work_time.default = 1000000",
    ) + "[customers.retrials]\nabandoned_share = 1.0\ndelay_min = 10\nmax_retrials = 2\n";
    let mc = run(&scenario(&text));
    let col = |m: &str| mc.catalog.find(m, "all").unwrap();
    let rate = mc
        .catalog
        .find("abandonment_rate", "channel=phone")
        .unwrap();
    for v in &mc.values {
        // Two retrials per ticket, each ticket abandoned once, every contact abandoned.
        assert_eq!(v[col("retrials_per_ticket")], 2.0);
        assert_eq!(v[col("tickets_abandoned")], v[col("tickets_arrived")]);
        assert_eq!(v[col("contacts")], 3.0 * v[col("tickets_arrived")]);
        assert_eq!(v[rate], 1.0);
    }
    // Each contact's wait until abandoning is a fresh patience: mean 3 minutes.
    assert_within_se(
        "time to abandon per contact [min]",
        &est(&mc, "time_to_abandon_min", "all"),
        3.0,
        Z,
    );
    // From the first contact to giving up: three patiences and two delays, 3 x 3 + 2 x 10.
    assert_within_se(
        "first contact to giving up [min]",
        &est(&mc, "initial_wait_min", "channel=phone"),
        29.0,
        Z,
    );
}

#[test]
fn files_without_retrials_report_no_retrial_metrics() {
    let mc = run(&scenario(&mmc_toml(40.0, 6.0, 5, Some(3.0), 1.0, 2, 1.0)));
    assert!(mc.estimate("retrials_per_ticket", "all").is_none());
    assert!(mc.estimate("contacts", "all").is_none());
}

#[test]
fn retrial_keys_are_checked_with_key_paths() {
    let base = mmc_toml(40.0, 6.0, 5, None, 1.0, 2, 1.0);
    let err = |extra: &str| refusal(&(base.clone() + extra));
    let e = err("[customers.retrials]\nblocked_share = 0.5\n");
    assert!(
        e.contains("customers.retrials.delay_min: is required"),
        "{e}"
    );
    assert!(
        e.contains("customers.retrials.blocked_share: has no effect without `queue_limit`"),
        "{e}"
    );
    let e = err("[customers.retrials]\nabandoned_share = 1.5\ndelay_min = 5\n");
    assert!(
        e.contains("customers.retrials.abandoned_share: must be a probability"),
        "{e}"
    );
    let e = err(
        "[access.phone]\nqueue_limit = 1\n[customers.retrials]\nblocked_share = 0.5\ndelay_min = 5\nmax_retrials = 0\n",
    );
    assert!(e.contains("customers.retrials.max_retrials: is 0"), "{e}");
    let e = err("[customers.retrials]\ndelay_min = 5\n");
    assert!(
        e.contains("customers.retrials: sets no retrial share"),
        "{e}"
    );
}
