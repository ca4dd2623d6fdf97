//! Malformed and inconsistent scenario files: each must be rejected with a message naming the
//! key path and what is wrong. The files live in `tests/data/invalid/`.

use std::path::Path;
use supportsim::scenario::{Scenario, ScenarioError};

/// (file, expected key path, expected fragment of the message)
const CASES: &[(&str, &str, &str)] = &[
    (
        "nan_rate.toml",
        "demand.tickets_per_hour",
        "must be a finite number, got NaN",
    ),
    (
        "negative_rate.toml",
        "demand.tickets_per_hour",
        "must be > 0, got -5",
    ),
    (
        "mix_not_summing.toml",
        "demand.channels",
        "shares must sum to 1, they sum to 0.8",
    ),
    ("unknown_key.toml", "run.colour", "unknown field `colour`"),
    ("missing_pool.toml", "tiers[0].pool", "no pool named \"l9\""),
    (
        "zero_agents.toml",
        "tiers[0].pool",
        "has no agents on duty but tier 1 receives tickets",
    ),
    (
        "empty_profile.toml",
        "demand.hour_weights",
        "must have 24 entries (one per local hour 0..23), got 0",
    ),
    (
        "unknown_timezone.toml",
        "demand.timezone",
        "unknown IANA time zone \"Mars/Olympus_Mons\"",
    ),
    (
        "zero_cv.toml",
        "tiers[0].work_time.default.cv",
        "must be > 0, got 0",
    ),
    (
        "empty_empirical.toml",
        "tiers[0].work_time.default.samples_min",
        "at least one",
    ),
    (
        "missing_tier_level.toml",
        "demand.required_level.3",
        "no tier has level = 3",
    ),
    (
        "missing_vendor.toml",
        "demand.required_level.4",
        "no [vendor] table",
    ),
    (
        "unknown_channel.toml",
        "demand.channels.fax",
        "unknown channel \"fax\"; the file's channels are email, chat, phone",
    ),
    (
        "probability_out_of_range.toml",
        "escalation.bounce_back_probability",
        "must be a probability between 0 and 1, got 1.5",
    ),
    (
        "sla_unknown_segment.toml",
        "sla[0].segment",
        "unknown segment \"enterprise\"",
    ),
    (
        "sla_overlap.toml",
        "sla[1].first_response",
        "P3 x smb already has a first_response target",
    ),
    (
        "wrong_type.toml",
        "pools[0].headcount",
        "invalid type: string \"two\"",
    ),
    (
        "tier_out_of_order.toml",
        "tiers[0].level",
        "expected 1, got 2",
    ),
    (
        "hours_end_before_start.toml",
        "pools[0].hours.end",
        "must be after start",
    ),
    (
        "unknown_day.toml",
        "pools[0].hours.days[1]",
        "unknown day \"funday\"",
    ),
    (
        "re_explain_without_delay.toml",
        "escalation.re_explain_delay_min",
        "is required when re_explain_probability > 0",
    ),
    ("not_toml.toml", "", "not valid TOML"),
    (
        "duplicate_pool.toml",
        "pools[1].name",
        "duplicate pool name \"l1\"",
    ),
    ("missing_volume.toml", "demand", "missing volume"),
    (
        "zero_horizon.toml",
        "run.horizon_days",
        "must be > 0, got 0",
    ),
    (
        "unknown_dist.toml",
        "tiers[0].work_time.default.dist",
        "unknown variant `weibull`",
    ),
    (
        "sla_clock.toml",
        "sla[0].resolution.clock",
        "unknown clock \"business_hours\"; use \"24x7\" or define a [[calendars]] entry with that name",
    ),
    (
        "sla_clock_typo.toml",
        "sla[0].resolution.clock",
        "unknown clock \"ofice\"; use \"24x7\" or a calendar: office",
    ),
    (
        "shift_and_headcount.toml",
        "pools[0].shifts",
        "give either shifts (each with its headcount) or headcount and hours, not both",
    ),
    (
        "shrinkage_out_of_range.toml",
        "pools[0].shrinkage",
        "must be a fraction in [0, 1) of scheduled time, got 1.2",
    ),
    (
        "outsourced_without_contract.toml",
        "pools[0].contract",
        "an outsourced pool needs [pools.contract] with price_per_logged_hour_usd or price_per_ticket_usd",
    ),
    (
        "contract_credit_target.toml",
        "pools[0].contract.credit_targets[0]",
        "no SLA target \"first_response P1/smb\"; the file's targets: first_response P3/*",
    ),
    (
        "pool_work_out_of_range.toml",
        "pools[1].chat_concurrency",
        "must be an integer in 1..=8, got 0",
    ),
    (
        "pool_work_out_of_range.toml",
        "pools[1].max_occupancy",
        "must be a fraction in (0, 1] (1 = no cap), got 1.5",
    ),
    (
        "merged_pool_work.toml",
        "pools[1].chat_concurrency",
        "model \"pooled_tiered\" merges pools \"l1\" and \"l2\" into one, so they need the same chat_concurrency; got 3 and 1",
    ),
    (
        "merged_pool_handover.toml",
        "pools[1].handover_min",
        "model \"pooled_tiered\" merges pools \"l1\" and \"l2\" into one, so they need the same handover_min; got 5 and none",
    ),
    (
        "calendar_bad_zone_and_holiday.toml",
        "calendars[0].timezone",
        "unknown IANA time zone \"Europe/Atlantis\"",
    ),
    (
        "swarm_helpers_not_summing.toml",
        "swarm.helpers",
        "probabilities must sum to 1, got 0.8",
    ),
    (
        "swarm_too_many_helpers.toml",
        "swarm.helpers",
        "asks for up to 3 helpers but pool \"l3\" (experts for level 3) never has more than 2 agents free",
    ),
    (
        "swarm_unknown_priority.toml",
        "swarm.priority",
        // serde's message for the `SwarmRule` enum (was `unknown rule "owner_first"; use
        // "swarm_first" or "queue_first"`): same key path, same allowed values.
        "unknown variant `owner_first`, expected `swarm_first` or `queue_first`",
    ),
    (
        "swarm_owner_level.toml",
        "swarm.owner_level",
        "must be between 1 and 3 (the number of tiers) for model \"swarm\", got 4",
    ),
    (
        "swarm_negative_overhead.toml",
        "swarm.coordination_overhead",
        "must be >= 0 (a fraction added to session time), got -0.2",
    ),
    (
        "swarm_helper_key.toml",
        "swarm.helpers.9",
        "helper counts are \"1\" to \"8\", got \"9\"",
    ),
    (
        "unknown_queue_order.toml",
        "queues.order",
        "unknown variant `fifo`, expected one of `priority`, `live_first`, `scored`",
    ),
    (
        "unknown_shift_day.toml",
        "pools[0].shifts[0].days[2]",
        "unknown day \"Wednesday\"; use mon, tue, wed, thu, fri, sat, sun",
    ),
    (
        "unknown_model.toml",
        "model",
        "unknown model \"swarm_tiered\"; supported: \"tiered\", \"pooled_tiered\", \"swarm\", \"hybrid\"",
    ),
];

fn load(file: &str) -> ScenarioError {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/invalid")
        .join(file);
    match Scenario::load(&path) {
        Ok(_) => panic!("{file} should be rejected"),
        Err(e) => e,
    }
}

#[test]
fn every_malformed_scenario_is_rejected_with_its_key_path_and_reason() {
    let mut failures = Vec::new();
    for (file, path, fragment) in CASES {
        let e = load(file);
        let text = e.to_string();
        let hit = e
            .problems()
            .iter()
            .any(|p| p.path == *path && p.message.contains(fragment));
        if !hit || !text.contains(file) {
            failures.push(format!(
                "{file}: want `{path}: ...{fragment}...`, got:\n{text}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(CASES.len() >= 15);
}

#[test]
fn every_invalid_file_has_a_case() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/invalid");
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name == "several_problems.toml" {
            continue;
        }
        assert!(
            CASES.iter().any(|(f, ..)| *f == name),
            "{name} has no expectation in CASES"
        );
    }
}

#[test]
fn all_problems_are_reported_at_once() {
    let e = load("several_problems.toml");
    let paths: Vec<&str> = e.problems().iter().map(|p| p.path.as_str()).collect();
    for want in [
        "demand.tickets_per_hour",
        "tiers[0].work_time.default.mean_min",
        "escalation.re_explain_probability",
    ] {
        assert!(paths.contains(&want), "missing {want} in {paths:?}");
    }
    assert!(
        e.to_string().contains("3 problems") || e.problems().len() >= 3,
        "{e}"
    );
}

#[test]
fn parse_errors_carry_line_and_column() {
    let e = load("wrong_type.toml");
    let p = &e.problems()[0];
    assert_eq!(p.location.map(|l| l.0), Some(12), "{e}");
    assert!(e.to_string().contains("wrong_type.toml:12:"), "{e}");
}

#[test]
fn bundled_scenarios_are_valid() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            if let Err(e) = Scenario::load(&path) {
                panic!("{e}");
            }
            n += 1;
        }
    }
    assert!(n >= 2);
}

/// The raw scenario is written next to results for provenance: serialising a bundled file
/// must give text that parses back to the same scenario (modes keep their file spelling).
#[test]
fn bundled_scenarios_serialise_to_text_that_parses_back_the_same() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let raw = supportsim::scenario::parse_raw(&std::fs::read_to_string(&path).unwrap(), &path)
            .unwrap();
        let text = toml::to_string(&raw).unwrap();
        let again = supportsim::scenario::parse_raw(&text, &path).unwrap();
        assert_eq!(toml::to_string(&again).unwrap(), text, "{}", path.display());
    }
}

/// A channel no contact can ever be on needs no work time; one that some path can reach
/// (a segment's mix, switching retrials) still does.
#[test]
fn only_channels_a_contact_can_reach_need_a_work_time() {
    let base = r#"
name = "zero-share"
[run]
horizon_days = 3
replications = 2
[demand]
tickets_per_hour = 10
channels = { email = 1.0, chat = 0.0 }
priorities = { P3 = 1.0 }
segments = { a = 0.5, b = 0.5 }
required_level = { 1 = 1.0 }
[[pools]]
name = "l1"
headcount = 3
[[tiers]]
level = 1
pool = "l1"
work_time.email = { dist = "exponential", mean_min = 6 }
"#;
    let s = crate::common::scenario(base);
    let mc = crate::common::run(&s);
    assert!(crate::common::est(&mc, "tickets_resolved", "all").mean > 0.0);
    let reached =
        format!("{base}[demand.by_segment.b]\nchannels = {{ email = 0.5, chat = 0.5 }}\n");
    let e = crate::common::refusal(&reached);
    assert!(
        e.contains("tiers[0].work_time") && e.contains("\"chat\""),
        "{e}"
    );
    assert!(!e.contains("\"phone\""), "{e}");
}
