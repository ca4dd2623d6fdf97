//! The engine against queueing theory. Fixed seeds; tolerances are 4 standard errors of the
//! replication means (replications are independent, so the SE is the textbook one); a
//! correct engine fails one of these checks with probability well under 1 in 10,000.

use crate::common::*;
use supportsim::stats::erlang::{QueueInput, QueueMetrics, metrics};

const Z: f64 = 4.0;

/// Three tiers, exponential work, probabilistic escalation, no handoff costs: a Jackson network.
pub(crate) const JACKSON_TOML: &str = r#"
name = "jackson"
[run]
warmup_days = 1
horizon_days = 5
drain_days = 2
replications = 60
seed = 5
[demand]
tickets_per_hour = 60
channels = { email = 1.0 }
priorities = { P3 = 1.0 }
segments = { all = 1.0 }
required_level = { 1 = 0.6, 2 = 0.3, 3 = 0.1 }
[[pools]]
name = "l1"
headcount = 8
[[pools]]
name = "l2"
headcount = 8
[[pools]]
name = "l3"
headcount = 4
[[tiers]]
level = 1
pool = "l1"
work_time.default = { dist = "exponential", mean_min = 6 }
[[tiers]]
level = 2
pool = "l2"
work_time.default = { dist = "exponential", mean_min = 15 }
[[tiers]]
level = 3
pool = "l3"
work_time.default = { dist = "exponential", mean_min = 30 }
"#;

/// A tiered network with handoff delays, re-explains, bounce backs and abandonment.
pub(crate) const LITTLE_TOML: &str = r#"
name = "little"
[run]
warmup_days = 2
horizon_days = 7
drain_days = 3
replications = 40
seed = 3
[demand]
tickets_per_hour = 30
channels = { email = 0.5, chat = 0.3, phone = 0.2 }
priorities = { P1 = 0.1, P2 = 0.2, P3 = 0.4, P4 = 0.3 }
segments = { a = 0.5, b = 0.5 }
required_level = { 1 = 0.6, 2 = 0.3, 3 = 0.1 }
[[pools]]
name = "l1"
headcount = 6
[[pools]]
name = "l2"
headcount = 6
[[pools]]
name = "l3"
headcount = 3
[[tiers]]
level = 1
pool = "l1"
work_time.default = { dist = "lognormal", mean_min = 8, cv = 1.0 }
write_up_min = 3
[[tiers]]
level = 2
pool = "l2"
work_time.default = { dist = "gamma", mean_min = 20, cv = 0.7 }
write_up_min = 4
regather_min = 5
[[tiers]]
level = 3
pool = "l3"
work_time.default = { dist = "lognormal", mean_min = 40, cv = 1.2 }
regather_min = 10
[escalation]
handoff_delay_min = { dist = "exponential", mean_min = 20 }
re_explain_probability = 0.3
re_explain_delay_min = { dist = "exponential", mean_min = 60 }
bounce_back_probability = 0.1
[customers.patience]
chat = { dist = "exponential", mean_min = 5 }
phone = { dist = "exponential", mean_min = 4 }
"#;

/// Erlang C for `agents` on exponential work of mean `aht` [min] offered `per_hour`
/// [tickets/hour], with the service level at `target_min` when given.
fn erlang_c(per_hour: f64, aht: f64, agents: u32, target_min: Option<f64>) -> QueueMetrics {
    metrics(
        &QueueInput {
            arrival_rate_per_min: per_hour / 60.0,
            mean_service_min: aht,
            agents,
            mean_patience_min: None,
        },
        target_min,
    )
    .unwrap()
}

fn erlang_c_case(rho: f64) {
    let (agents, aht) = (10u32, 6.0);
    let per_hour = rho * agents as f64 * 60.0 / aht;
    let target_min = 1.0;
    let s = scenario(&mmc_toml(per_hour, aht, agents, None, target_min, 60, 6.0));
    let mc = run(&s);
    let theory = erlang_c(per_hour, aht, agents, Some(target_min));
    let label = format!("M/M/10 rho={rho}");
    assert_within_se(
        &format!("{label} mean wait [min]"),
        &est(&mc, "first_response_time_min", "all"),
        theory.mean_wait_min,
        Z,
    );
    assert_within_se(
        &format!("{label} P(wait <= 1 min)"),
        &est(&mc, "sla_first_response_attainment", "all"),
        theory.service_level.unwrap(),
        Z,
    );
    assert_within_se(
        &format!("{label} utilisation"),
        &est(&mc, "utilisation", "pool=agents"),
        theory.occupancy,
        Z,
    );
    assert_within_se(
        &format!("{label} mean queue length"),
        &est(&mc, "queue_length_mean_tickets", "pool=agents"),
        theory.mean_queue_len,
        Z,
    );
}

#[test]
fn mmc_matches_erlang_c_at_utilisation_0_5() {
    erlang_c_case(0.5);
}

#[test]
fn mmc_matches_erlang_c_at_utilisation_0_8() {
    erlang_c_case(0.8);
}

#[test]
fn mmc_matches_erlang_c_at_utilisation_0_95() {
    erlang_c_case(0.95);
}

#[test]
fn mmc_with_exponential_patience_matches_erlang_a() {
    // Offered load 11 erlangs on 10 agents: unstable without abandonment, stable with it.
    let (agents, aht, patience, per_hour) = (10u32, 6.0, 3.0, 110.0);
    let target_min = 0.5;
    let s = scenario(&mmc_toml(
        per_hour,
        aht,
        agents,
        Some(patience),
        target_min,
        60,
        6.0,
    ));
    let mc = run(&s);
    let theory = metrics(
        &QueueInput {
            arrival_rate_per_min: per_hour / 60.0,
            mean_service_min: aht,
            agents,
            mean_patience_min: Some(patience),
        },
        Some(target_min),
    )
    .unwrap();
    assert_within_se(
        "M/M/10+M abandonment",
        &est(&mc, "abandonment_rate", "all"),
        theory.p_abandon,
        Z,
    );
    assert_within_se(
        "M/M/10+M mean wait, all arrivals [min]",
        &est(&mc, "initial_wait_min", "all"),
        theory.mean_wait_min,
        Z,
    );
    assert_within_se(
        "M/M/10+M mean wait, answered [min]",
        &est(&mc, "first_response_time_min", "all"),
        theory.mean_wait_served_min,
        Z,
    );
    assert_within_se(
        "M/M/10+M answered within 30 s",
        &est(&mc, "sla_first_response_attainment", "all"),
        theory.service_level.unwrap(),
        Z,
    );
    assert_within_se(
        "M/M/10+M occupancy",
        &est(&mc, "utilisation", "pool=agents"),
        theory.occupancy,
        Z,
    );
}

/// The nodes of the `JACKSON_TOML` network as (level, pool, Erlang C at the node's effective
/// rate): every ticket visits L1, 40% reach L2, 10% reach L3, each node at utilisation 0.75.
fn jackson_nodes(target_min: Option<f64>) -> Vec<(u32, &'static str, QueueMetrics)> {
    [
        (1, "l1", 60.0, 6.0, 8u32),
        (2, "l2", 24.0, 15.0, 8),
        (3, "l3", 6.0, 30.0, 4),
    ]
    .into_iter()
    .map(|(tier, pool, per_hour, aht, agents)| {
        (tier, pool, erlang_c(per_hour, aht, agents, target_min))
    })
    .collect()
}

/// Three tiers with probabilistic escalation, exponential work and no handoff costs form a
/// Jackson network: each tier is an M/M/c queue at its effective arrival rate.
#[test]
fn three_tier_network_matches_jackson_per_node_erlang_c() {
    let text = JACKSON_TOML;
    let mc = run(&scenario(text));
    for (tier, pool, m) in jackson_nodes(None) {
        assert_within_se(
            &format!("Jackson tier {tier} mean queue length"),
            &est(&mc, "queue_length_mean_tickets", &format!("pool={pool}")),
            m.mean_queue_len,
            Z,
        );
        assert_within_se(
            &format!("Jackson tier {tier} utilisation"),
            &est(&mc, "utilisation", &format!("pool={pool}")),
            m.occupancy,
            Z,
        );
    }
    // Escalation rate is the share of tickets needing level >= 2.
    assert_within_se(
        "Jackson escalation rate",
        &est(&mc, "escalation_rate", "all"),
        0.4,
        Z,
    );
}

/// The per-stage wait metrics of the same Jackson network: at each node, P(wait > 0) and the
/// mean wait of a visit are Erlang C's at the node's effective arrival rate, and the share
/// of waits within the 30-minute first-response limit is Erlang C's service level.
#[test]
fn three_tier_network_stage_waits_match_erlang_c_per_node() {
    let text =
        format!("{JACKSON_TOML}\n[[sla]]\nfirst_response = {{ target_min = 30, goal = 0.8 }}\n");
    let mc = run(&scenario(&text));
    for (tier, pool, m) in jackson_nodes(Some(30.0)) {
        let group = format!("stage=L{tier},pool={pool}");
        assert_within_se(
            &format!("Jackson stage {tier} P(wait > 0)"),
            &est(&mc, "stage_wait_probability", &group),
            m.p_wait,
            Z,
        );
        assert_within_se(
            &format!("Jackson stage {tier} mean wait [min]"),
            &est(&mc, "stage_wait_min", &group),
            m.mean_wait_min,
            Z,
        );
        assert_within_se(
            &format!("Jackson stage {tier} P(wait <= 30 min)"),
            &est(
                &mc,
                "stage_wait_within_share",
                &format!("{group},within_min=30"),
            ),
            m.service_level.unwrap(),
            Z,
        );
    }
}

/// Time to abandon in M/M/c+M: abandoners' waits, and the share within t, against the
/// distribution implied by exponential patience: a customer who abandons waited its patience,
/// so among abandoners P(wait <= t) = P(patience <= t | patience < wait in queue). Checked
/// here in the limit of no agents' capacity at all (every live customer abandons): then
/// abandoners' waits are exactly the patience distribution, mean 3 min, P(<= 2) = 1 - e^(-2/3).
#[test]
fn time_to_abandon_is_the_patience_distribution_when_nobody_answers() {
    // 1 agent, 40-hour calls: after the first call nobody else is answered in the window.
    let text = mmc_toml(30.0, 2400.0, 1, Some(3.0), 1.0, 30, 2.0);
    let mc = run(&scenario(&text));
    assert_within_se(
        "time to abandon mean [min]",
        &est(&mc, "time_to_abandon_min", "all"),
        3.0,
        Z,
    );
    assert_within_se(
        "abandoned within 2 min",
        &est(&mc, "abandoned_within_share", "within_min=2"),
        1.0 - (-2.0f64 / 3.0).exp(),
        Z,
    );
    let p50 = est(&mc, "time_to_abandon_p50_min", "all").mean;
    let exact = 3.0 * 2f64.ln();
    assert!(
        (p50 - exact).abs() < 0.05 * exact,
        "median time to abandon {p50} vs {exact}"
    );
}

/// Little's law, L = lambda W, on a tiered network with handoff delays, re-explains, bounce
/// backs and abandonment: per replication, time-average tickets in system against arrival
/// rate x mean time in system; the mean difference over replications must be within 4 SE of 0.
#[test]
fn littles_law_holds_on_a_tiered_network() {
    let text = LITTLE_TOML;
    let mc = run(&scenario(text));
    let e = littles_law_residuals(&mc);
    let mean_l = est(&mc, "tickets_in_system_mean", "all").mean;
    eprintln!(
        "Little: mean L {mean_l:.3}, mean (L - lambda W) {:.4} (SE {:.4})",
        e.mean, e.std_error
    );
    assert!(
        mean_l > 5.0,
        "the network should hold a real backlog, L = {mean_l}"
    );
    assert_within_se("Little's law L - lambda W", &e, 0.0, Z);
}

/// `mmc_toml` with its phone tickets turned into `channel` tickets and extra `[[pools]]` keys.
pub(crate) fn with_pool_keys(text: String, channel: &str, keys: &str) -> String {
    text.replace(
        "channels = { phone = 1.0 }",
        &format!("channels = {{ {channel} = 1.0 }}"),
    )
    .replace(
        "name = \"agents\"\n",
        &format!("name = \"agents\"\n{keys}\n"),
    )
}

/// Chat concurrency k on n agents, chat only, exponential work, no abandonment: every chat
/// takes one of n x k slots (with chats only, packing never leaves a chat waiting while a slot
/// is free), so the queue is M/M/(n k). Occupied agents are not an Erlang quantity, but with m
/// chats in service they lie between ceil(m / k) (perfect packing) and min(m, n) (spread):
/// utilisation is checked against both bounds under the M/M/(n k) distribution of m.
fn chat_concurrency_case(agents: u32, k: u32, rho: f64) {
    let aht = 12.0;
    let slots = agents * k;
    let per_hour = rho * slots as f64 * 60.0 / aht;
    // P(wait <= 1e-6 min) is 1 - P(wait > 0) up to 1e-7.
    let target_min = 1e-6;
    let text = with_pool_keys(
        mmc_toml(per_hour, aht, agents, None, target_min, 60, 6.0),
        "chat",
        &format!("chat_concurrency = {k}"),
    );
    let mc = run(&scenario(&text));
    let theory = metrics(
        &QueueInput {
            arrival_rate_per_min: per_hour / 60.0,
            mean_service_min: aht,
            agents: slots,
            mean_patience_min: None,
        },
        Some(target_min),
    )
    .unwrap();
    let label = format!("{agents} agents x {k} chats = M/M/{slots} at rho {rho}");
    assert_within_se(
        &format!("{label}: mean wait [min]"),
        &est(&mc, "first_response_time_min", "all"),
        theory.mean_wait_min,
        Z,
    );
    assert_within_se(
        &format!("{label}: P(no wait) = 1 - P(wait > 0)"),
        &est(&mc, "sla_first_response_attainment", "all"),
        theory.service_level.unwrap(),
        Z,
    );
    assert_within_se(
        &format!("{label}: mean queue length"),
        &est(&mc, "queue_length_mean_tickets", "pool=agents"),
        theory.mean_queue_len,
        Z,
    );
    // Stationary M/M/s: p_j proportional to a^j / j! up to s, then geometric with ratio rho.
    let a = per_hour / 60.0 * aht;
    let (mut p, mut total, mut lo, mut hi) = (1.0f64, 0.0, 0.0, 0.0);
    for j in 0..(slots as usize + 5000) {
        if j > 0 {
            p *= if j <= slots as usize {
                a / j as f64
            } else {
                rho
            };
        }
        let m = j.min(slots as usize);
        total += p;
        lo += p * m.div_ceil(k as usize) as f64;
        hi += p * m.min(agents as usize) as f64;
    }
    let (lo, hi) = (lo / total / agents as f64, hi / total / agents as f64);
    let u = est(&mc, "utilisation", "pool=agents");
    eprintln!(
        "{label}: utilisation {:.4} (SE {:.4}); packing bounds [{lo:.4}, {hi:.4}]; chats per slot {rho}",
        u.mean, u.std_error
    );
    assert!(
        u.mean >= lo - Z * u.std_error && u.mean <= hi + Z * u.std_error,
        "{label}: utilisation {} outside [{lo}, {hi}] (SE {})",
        u.mean,
        u.std_error
    );
}

#[test]
fn chat_concurrency_4_on_3_agents_is_mm12() {
    chat_concurrency_case(3, 4, 0.85);
}

#[test]
fn chat_concurrency_2_on_4_agents_is_mm8() {
    chat_concurrency_case(4, 2, 0.5);
}

/// An occupancy cap c makes an agent unavailable for d / c after taking work of duration d
/// (d at work, then d (1 - c) / c at rest): with exponential work of mean m that is an
/// exponential occupation of mean m / c, so waits are exactly Erlang C with service m / c,
/// while utilisation (busy share) stays the offered load per agent.
fn occupancy_cap_case(agents: u32, rho: f64, cap: f64) -> (f64, f64) {
    let aht = 6.0;
    let per_hour = rho * agents as f64 * 60.0 / aht;
    let target_min = 1.0;
    let base = mmc_toml(per_hour, aht, agents, None, target_min, 60, 6.0);
    let mc = run(&scenario(&with_pool_keys(
        base.clone(),
        "phone",
        &format!("max_occupancy = {cap}"),
    )));
    let theory = metrics(
        &QueueInput {
            arrival_rate_per_min: per_hour / 60.0,
            mean_service_min: aht / cap,
            agents,
            mean_patience_min: None,
        },
        Some(target_min),
    )
    .unwrap();
    let label = format!("M/M/{agents} at rho {rho} with occupancy cap {cap}");
    let wait = est(&mc, "first_response_time_min", "all");
    assert_within_se(
        &format!("{label}: mean wait [min] (Erlang C, service {aht} / {cap})"),
        &wait,
        theory.mean_wait_min,
        Z,
    );
    assert_within_se(
        &format!("{label}: P(wait <= 1 min)"),
        &est(&mc, "sla_first_response_attainment", "all"),
        theory.service_level.unwrap(),
        Z,
    );
    assert_within_se(
        &format!("{label}: utilisation (busy share)"),
        &est(&mc, "utilisation", "pool=agents"),
        rho,
        Z,
    );
    // The same replications without the cap (common random numbers).
    let free = est(&run(&scenario(&base)), "first_response_time_min", "all");
    eprintln!(
        "{label}: mean wait {:.4} min with the cap vs {:.4} without",
        wait.mean, free.mean
    );
    (wait.mean, free.mean)
}

#[test]
fn occupancy_cap_0_8_at_moderate_load_is_erlang_c_with_longer_service() {
    let (capped, free) = occupancy_cap_case(4, 0.6, 0.8);
    assert!(capped > free, "resting agents lengthen waits");
}

/// Light load: Erlang C says the cap adds 0.14 min to the mean wait (0.079 -> 0.224 min), where
/// at utilisation 0.6 it adds 2.7 min (1.08 -> 3.82 min).
#[test]
fn occupancy_cap_0_8_at_light_load_barely_changes_waits() {
    let (capped, free) = occupancy_cap_case(4, 0.3, 0.8);
    assert!(
        capped - free < 0.25,
        "light load: waits {capped} with the cap vs {free} without"
    );
}

/// One agent offered 0.95 erlangs under a cap of 0.8: it can only take 0.8, so it is always
/// loaded, and its utilisation is the cap (each work item d is followed by d / 4 at rest).
#[test]
fn occupancy_cap_holds_a_saturated_agent_at_the_cap() {
    let aht = 6.0;
    let per_hour = 0.95 * 60.0 / aht;
    let base = mmc_toml(per_hour, aht, 1, None, 1.0, 40, 6.0);
    let capped = with_pool_keys(base.clone(), "phone", "max_occupancy = 0.8");
    let u = est(&run(&scenario(&capped)), "utilisation", "pool=agents");
    assert_within_se("saturated agent under cap 0.8: utilisation", &u, 0.8, Z);
    let free = est(&run(&scenario(&base)), "utilisation", "pool=agents");
    eprintln!(
        "the same agent without the cap: utilisation {:.4} (SE {:.4})",
        free.mean, free.std_error
    );
    assert!(free.mean > 0.9, "without the cap it works 0.95 of the time");
}

/// M/G/1 against the Pollaczek-Khinchine formula, Wq = rho E[S] (1 + cv^2) / (2 (1 - rho)),
/// for deterministic, gamma (cv 0.5) and lognormal (cv 2) work at utilisation 0.7. Each
/// checks the mean wait, the mean queue length (Little: lambda Wq) and P(wait > 0) = rho
/// (arrivals see time averages), so it tests each distribution's second moment, not only its
/// mean.
#[test]
fn mg1_matches_pollaczek_khinchine_for_three_work_time_distributions() {
    let (aht, rho) = (6.0, 0.7);
    let per_hour = rho * 60.0 / aht;
    for (label, work, cv) in [
        ("M/D/1", format!("{aht}"), 0.0),
        (
            "M/G/1 gamma cv 0.5",
            format!("{{ dist = \"gamma\", mean_min = {aht}, cv = 0.5 }}"),
            0.5,
        ),
        (
            "M/G/1 lognormal cv 2",
            format!("{{ dist = \"lognormal\", mean_min = {aht}, cv = 2.0 }}"),
            2.0,
        ),
    ] {
        let text = mg1_toml("pk", 17, per_hour, &work);
        let mc = run(&scenario(&text));
        let wq = rho * aht * (1.0 + cv * cv) / (2.0 * (1.0 - rho));
        assert_within_se(
            &format!("{label} mean wait [min]"),
            &est(&mc, "first_response_time_min", "all"),
            wq,
            Z,
        );
        assert_within_se(
            &format!("{label} mean queue length"),
            &est(&mc, "queue_length_mean_tickets", "pool=agents"),
            per_hour / 60.0 * wq,
            Z,
        );
        assert_within_se(
            &format!("{label} P(wait > 0)"),
            &est(&mc, "stage_wait_probability", "stage=L1,pool=agents"),
            rho,
            Z,
        );
        assert_within_se(
            &format!("{label} utilisation"),
            &est(&mc, "utilisation", "pool=agents"),
            rho,
            Z,
        );
    }
}

/// The p-quantile of the wait in an M/M/c queue: with probability 1 - C an arrival is answered
/// at once, otherwise it waits an exponential time of rate c mu - lambda, so
/// P(W > t) = C exp(-(c mu - lambda) t) and the quantile is 0 when p <= 1 - C.
fn erlang_c_wait_quantile(m: &QueueMetrics, agents: u32, per_hour: f64, aht: f64, p: f64) -> f64 {
    let rate = agents as f64 / aht - per_hour / 60.0;
    if p <= 1.0 - m.p_wait {
        0.0
    } else {
        (m.p_wait / (1.0 - p)).ln() / rate
    }
}

/// Asserts a simulated quantile is within `z` standard errors of theory, plus the histogram's
/// quantile resolution (0.8% relative, `stats::hist`), printing both either way.
fn assert_quantile(label: &str, simulated: f64, se: f64, theory: f64, z: f64) {
    let tol = z * se + 0.008 * theory;
    let z_seen = if se > 0.0 {
        format!("{:+.2} SE", (simulated - theory) / se)
    } else {
        "every replication equal".to_string()
    };
    eprintln!(
        "{label}: simulated {simulated:.4} vs theory {theory:.4} (tolerance {tol:.4}): {z_seen}"
    );
    assert!(
        (simulated - theory).abs() <= tol,
        "{label}: simulated {simulated} vs theory {theory}, tolerance {tol}"
    );
}

/// Wait quantiles, per replication and pooled over replications, against the exact Erlang C
/// wait distribution of M/M/10 at utilisation 0.8 (C = 0.409: the median is 0, the 90th
/// percentile 4.22 min, the 99th 11.13 min). The per-replication p90's standard error sets the
/// tolerance of the pooled p90 (the pooled quantile uses the same tickets). For an exponential
/// tail the standard error of a p-quantile is proportional to sqrt(p / (1 - p)) / rate, so
/// the p99's is sqrt(99 / 9) = 3.32 times the p90's.
#[test]
fn wait_quantiles_match_the_erlang_c_wait_distribution() {
    let (agents, aht, per_hour) = (10u32, 6.0, 80.0);
    let s = scenario(&mmc_toml(per_hour, aht, agents, None, 1.0, 60, 6.0));
    let mc = run(&s);
    let m = erlang_c(per_hour, aht, agents, None);
    let q = |p: f64| erlang_c_wait_quantile(&m, agents, per_hour, aht, p);
    let p90 = est(&mc, "first_response_time_p90_min", "all");
    assert_quantile(
        "M/M/10 rho=0.8 per-replication p90 wait [min]",
        p90.mean,
        p90.std_error,
        q(0.9),
        Z,
    );
    let pooled = mc
        .summary()
        .into_iter()
        .find(|r| r.metric == "first_response_time_min" && r.group == "all")
        .and_then(|r| r.quantiles)
        .expect("pooled quantiles of the first response");
    assert_eq!(pooled[0], 0.0, "the median wait is 0 when C < 0.5");
    assert_quantile(
        "M/M/10 rho=0.8 pooled p90 wait [min]",
        pooled[1],
        p90.std_error,
        q(0.9),
        Z,
    );
    assert_quantile(
        "M/M/10 rho=0.8 pooled p99 wait [min]",
        pooled[2],
        p90.std_error * (99.0f64 / 9.0).sqrt(),
        q(0.99),
        Z,
    );
}

/// Stage wait quantiles of the Jackson network: at each node the median and the 90th
/// percentile of a visit's wait are Erlang C's at the node's effective arrival rate (L1 at
/// 60/h on 8 agents and L2 at 24/h on 8: C = 0.357, p50 0, p90 3.82 and 9.54 min; L3 at 6/h
/// on 4: C = 0.509, p90 48.84 min). L3's median (0.56 min) is not checked: it sits where the
/// atom at 0 ends (1 - C = 0.491), so a replication's sample median is 0 or positive by the
/// luck of its share answered at once, and the mean of that kinked estimate is biased by far
/// more than its standard error. A quantile within 0.05 of 1 - C is skipped for that reason.
#[test]
fn three_tier_network_stage_wait_quantiles_match_erlang_c_per_node() {
    let mc = run(&scenario(JACKSON_TOML));
    let nodes = [(60.0, 6.0, 8u32), (24.0, 15.0, 8), (6.0, 30.0, 4)];
    let mut checked = 0;
    for ((tier, pool, m), (per_hour, aht, agents)) in jackson_nodes(None).into_iter().zip(nodes) {
        let group = format!("stage=L{tier},pool={pool}");
        for (metric, p) in [("stage_wait_p50_min", 0.5), ("stage_wait_p90_min", 0.9)] {
            if (p - (1.0 - m.p_wait)).abs() < 0.05 {
                continue;
            }
            let e = est(&mc, metric, &group);
            assert_quantile(
                &format!("Jackson stage {tier} {metric}"),
                e.mean,
                e.std_error,
                erlang_c_wait_quantile(&m, agents, per_hour, aht, p),
                Z,
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 5, "L3's median is the only quantile skipped");
}
