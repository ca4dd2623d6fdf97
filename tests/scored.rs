//! The scored queue discipline (`queues.order = "scored"`): its limiting cases. Waiting
//! weight zero with priority points in priority order is strict priority, bit for bit; a
//! waiting weight that dwarfs the points is first in, first out, so every priority waits
//! like the single-class Erlang C queue.

use crate::common::*;
use supportsim::stats::erlang::{QueueInput, metrics};

const Z: f64 = 4.0;

/// Two tiers, four priorities, escalations and bounce backs: the order matters everywhere.
fn two_tiers(queues: &str) -> String {
    format!(
        r#"
name = "scored"
[run]
warmup_days = 1
horizon_days = 5
drain_days = 1
replications = 4
seed = 21
[demand]
tickets_per_hour = 50
channels = {{ email = 0.5, phone = 0.5 }}
priorities = {{ P1 = 0.1, P2 = 0.2, P3 = 0.3, P4 = 0.4 }}
segments = {{ smb = 0.7, enterprise = 0.3 }}
required_level = {{ 1 = 0.7, 2 = 0.3 }}
[[pools]]
name = "l1"
headcount = 6
[[pools]]
name = "l2"
headcount = 3
[[tiers]]
level = 1
pool = "l1"
work_time.default = {{ dist = "exponential", mean_min = 6 }}
[[tiers]]
level = 2
pool = "l2"
work_time.default = {{ dist = "exponential", mean_min = 15 }}
[escalation]
bounce_back_probability = 0.1
[customers.patience]
phone = {{ dist = "exponential", mean_min = 5 }}
[[sla]]
first_response = {{ target_min = 5, goal = 0.8 }}
{queues}
"#
    )
}

#[test]
fn zero_waiting_weight_with_priority_points_is_strict_priority_bit_for_bit() {
    let strict = run(&scenario(&two_tiers("")));
    let scored = run(&scenario(&two_tiers(
        "[queues]\norder = \"scored\"\n[queues.scored]\npriority_points = { P1 = 3, P2 = 2, P3 = 1, P4 = 0 }\n",
    )));
    assert_eq!(strict.catalog.defs.len(), scored.catalog.defs.len());
    for (a, b) in strict.values.iter().zip(&scored.values) {
        for (i, (x, y)) in a.iter().zip(b).enumerate() {
            assert!(
                x.to_bits() == y.to_bits(),
                "{} {}: {x} vs {y}",
                strict.catalog.defs[i].metric,
                strict.catalog.defs[i].group
            );
        }
    }
}

#[test]
fn a_dominant_waiting_weight_is_fifo_and_matches_erlang_c_for_every_priority() {
    // M/M/5 at 0.85 with four priorities: under FIFO each priority waits as the aggregate.
    let (per_hour, aht, agents, target) = (42.5, 6.0, 5u32, 1.0);
    let text = mmc_toml(per_hour, aht, agents, None, target, 30, 20.0).replace(
        "priorities = { P2 = 1.0 }",
        "priorities = { P1 = 0.25, P2 = 0.25, P3 = 0.25, P4 = 0.25 }",
    ) + "[queues]\norder = \"scored\"\n[queues.scored]\npriority_points = { P1 = 300, P2 = 200, P3 = 100 }\npoints_per_minute_waited = 1e6\n";
    let mc = run(&scenario(&text));
    let th = metrics(
        &QueueInput {
            arrival_rate_per_min: per_hour / 60.0,
            mean_service_min: aht,
            agents,
            mean_patience_min: None,
        },
        Some(target),
    )
    .unwrap();
    for p in ["P1", "P4"] {
        assert_within_se(
            &format!("scored, dominant waiting weight: {p} mean wait [min]"),
            &est(&mc, "first_response_time_min", &format!("priority={p}")),
            th.mean_wait_min,
            Z,
        );
    }
    assert_within_se(
        "scored, dominant waiting weight: P(wait <= 1 min), all",
        &est(&mc, "sla_first_response_attainment", "all"),
        th.service_level.unwrap(),
        Z,
    );
}

#[test]
fn score_keys_are_checked_with_key_paths() {
    let base = mmc_toml(40.0, 6.0, 5, None, 1.0, 2, 1.0);
    let err = |extra: &str| refusal(&(base.clone() + extra));
    let e = err("[queues]\norder = \"scored\"\n");
    assert!(e.contains("queues.scored: is required"), "{e}");
    let e = err(
        "[queues]\norder = \"scored\"\n[queues.scored]\npriority_points = { P9 = 1 }\nsegment_points = { vip = 2 }\npoints_per_minute_waited = -1\n",
    );
    assert!(
        e.contains("queues.scored.priority_points.P9: unknown priority"),
        "{e}"
    );
    assert!(
        e.contains("queues.scored.segment_points.vip: unknown segment"),
        "{e}"
    );
    assert!(
        e.contains("queues.scored.points_per_minute_waited: must be >= 0"),
        "{e}"
    );
    let e = err("[queues.scored]\nescalated_points = 5\n");
    assert!(e.contains("queues.scored: has no effect unless"), "{e}");
}
