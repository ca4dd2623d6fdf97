//! Triage (`[triage]`): routing attempts against the geometric mean 1/(1 - p), misroute
//! rate, the triage pool's load, forwarding to the right tier and priority correction.
//! Fixed seeds; tolerances are 4 standard errors of the replication means.

use crate::common::*;
use supportsim::model::load::pool_loads;
use supportsim::scenario::Scenario;

const Z: f64 = 4.0;

/// Two tiers (level-1 and level-2 tickets), ample agents, a triage pool `triage` and the
/// given `[triage]` keys.
fn desk(levels: &str, triage: &str, reps: u32) -> String {
    format!(
        r#"
name = "triage"
[run]
warmup_days = 1
horizon_days = 3
drain_days = 2
replications = {reps}
seed = 9
[demand]
tickets_per_hour = 20
channels = {{ email = 1.0 }}
priorities = {{ P3 = 1.0 }}
segments = {{ all = 1.0 }}
required_level = {levels}
[[pools]]
name = "l1"
headcount = 30
[[pools]]
name = "l2"
headcount = 30
[[pools]]
name = "triage"
headcount = 4
[[tiers]]
level = 1
pool = "l1"
work_time.default = {{ dist = "exponential", mean_min = 6 }}
[[tiers]]
level = 2
pool = "l2"
work_time.default = {{ dist = "exponential", mean_min = 10 }}
[triage]
{triage}
"#
    )
}

#[test]
fn routing_attempts_average_one_over_one_minus_the_misroute_probability() {
    for p in [0.2, 0.5] {
        let s = scenario(&desk(
            "{ 1 = 0.6, 2 = 0.4 }",
            &format!("automatic_min = 0.5\nmisroute_share = {p}\n"),
            40,
        ));
        let mc = run(&s);
        assert_within_se(
            &format!("routing attempts at p = {p}"),
            &est(&mc, "routing_attempts_per_ticket", "all"),
            1.0 / (1.0 - p),
            Z,
        );
        assert_within_se(
            &format!("misroute rate at p = {p}"),
            &est(&mc, "triage_misroute_rate", "all"),
            p,
            Z,
        );
        // Each misroute costs one wasted step at the wrong tier: steps = attempts (one
        // service per misroute plus the right tier's, no triage agents).
        let steps = est(&mc, "steps_to_resolve", "all");
        let attempts = est(&mc, "routing_attempts_per_ticket", "all");
        assert!(
            (steps.mean - attempts.mean).abs() < 1e-9,
            "{steps:?} {attempts:?}"
        );
        assert_eq!(est(&mc, "triage_time_min", "all").mean, 0.5);
    }
}

#[test]
fn forwarding_to_the_right_tier_takes_one_wasted_step_at_most() {
    let s = scenario(&desk(
        "{ 1 = 0.6, 2 = 0.4 }",
        "automatic_min = 0.5\nmisroute_share = 0.3\nmisrouted_go = \"right_tier\"\n",
        40,
    ));
    let mc = run(&s);
    assert_eq!(est(&mc, "routing_attempts_per_ticket", "all").mean, 1.0);
    assert_within_se(
        "steps with forwarding",
        &est(&mc, "steps_to_resolve", "all"),
        1.3,
        Z,
    );
    // Triage sends level-2 tickets straight to L2: no escalations.
    assert_eq!(est(&mc, "escalation_rate", "all").mean, 0.0);
}

#[test]
fn a_triage_pool_classifies_every_ticket_and_carries_its_load() {
    let text = desk(
        "{ 1 = 1.0 }",
        "pool = \"triage\"\nclassify_min.default = { dist = \"exponential\", mean_min = 3 }\nmisroute_share = 0.25\ndiscovery_share = 0.5\npriority_correction_share = 0.4\ncorrected_priorities = { P2 = 1.0 }\n",
        40,
    );
    let s = scenario(&text);
    let mc = run(&s);
    // Offered load of triage: 20/h x 3 min x 1/(1 - 0.25) classifications per ticket.
    let expect = 20.0 / 60.0 * 3.0 / 0.75 / 4.0;
    assert_within_se(
        "triage utilisation",
        &est(&mc, "utilisation", "pool=triage"),
        expect,
        Z,
    );
    let load = pool_loads(&s);
    let tl = load.iter().find(|l| l.pool == "triage").unwrap();
    assert!((tl.utilisation - expect).abs() < 1e-6, "{tl:?}");
    // L2 gets the misroutes, 0.25/0.75 per ticket, each discovered after half a 10-minute
    // work time.
    let l2 = load.iter().find(|l| l.pool == "l2").unwrap();
    let l2_expect = 20.0 / 60.0 * (0.25 / 0.75) * 5.0;
    assert!((l2.offered_erlangs - l2_expect).abs() < 1e-9, "{l2:?}");
    assert_within_se("triage time", &est(&mc, "triage_time_min", "all"), 3.0, Z);
    assert_within_se(
        "priority corrected",
        &est(&mc, "triage_priority_corrected_share", "all"),
        0.4,
        Z,
    );
    // Steps: one classification per attempt plus one wasted step per misroute, then the work.
    assert_within_se("steps", &est(&mc, "steps_to_resolve", "all"), 2.0 / 0.75, Z);
}

#[test]
fn bad_triage_keys_are_named() {
    let err = Scenario::from_toml_str(
        &desk(
            "{ 1 = 1.0 }",
            "pool = \"l1\"\nautomatic_min = 1\nmisroute_share = 1.5\npriority_correction_share = 0.2\n",
            2,
        ),
        std::path::Path::new("t.toml"),
    )
    .unwrap_err()
    .to_string();
    for key in [
        "triage:",
        "triage.pool",
        "triage.misroute_share",
        "triage.corrected_priorities",
        "t.toml",
    ] {
        assert!(err.contains(key), "{key} missing in:\n{err}");
    }
}
