//! Incident tickets under `[categories]` (issue 15 with issue 14's routing): they carry the
//! category `incident` (or `incidents.category`, else the first category), so `[routing]`
//! can send them to a named pool; and the expected-load estimate counts their work.

use super::common::{assert_within_se, est, refusal, run, scenario};
use supportsim::model::load::pool_loads;

/// Ordinary tickets (10 an hour, 10 min) for `agents`; incidents (20 a month, 100 affected,
/// call-in 0.3, repeats 0.25) whose tickets `desk` may take. `cats` is the `[categories]`
/// and `[routing]` text, `extra` more `[incidents]` keys.
fn fixture(cats: &str, extra: &str, reps: u32) -> String {
    format!(
        r#"
name = "incident-routing"
[run]
warmup_days = 1
horizon_days = 28
drain_days = 2
replications = {reps}
seed = 15
[demand]
tickets_per_hour = 10
channels = {{ email = 1.0 }}
priorities = {{ P3 = 1.0 }}
segments = {{ all = 1.0 }}
required_level = {{ 1 = 1.0 }}
{cats}
[[pools]]
name = "agents"
headcount = 4
[[pools]]
name = "desk"
headcount = 3
[[tiers]]
level = 1
pool = "agents"
work_time.default = {{ dist = "exponential", mean_min = 10 }}
[[sla]]
first_response = {{ target_min = 60, goal = 0.8 }}
[incidents]
accounts = {{ all = 1000 }}
rate_per_month = 20
call_in_probability = 0.3
contact_delay_min = {{ dist = "exponential", mean_min = 30 }}
repeat_share = 0.25
repeat_delay_min = 30
link_min = {{ dist = "exponential", mean_min = 3 }}
detect_after_reports = 3
{extra}
[[incidents.severities]]
name = "outage"
priority = "P2"
duration_min = 600
affected_share = 0.1
"#
    )
}

/// `[categories]` with an `incident` entry (share 0: only incident tickets carry it) routed
/// to `desk`; ordinary tickets to `agents`.
const ROUTED: &str = r#"
[categories]
mix = { general = 1.0, incident = 0.0 }
[[routing.rule]]
level = 1
category = "general"
pools = [{ pool = "agents" }]
[[routing.rule]]
level = 1
category = "incident"
pools = [{ pool = "desk" }]
"#;

/// The same file without incidents: `agents` sees only its own tickets.
fn without_incidents(text: &str) -> String {
    let cut = text.find("[incidents]").unwrap();
    text[..cut].to_string()
}

#[test]
fn incident_tickets_carry_the_incident_category_and_go_to_its_pool() {
    let text = fixture(ROUTED, "", 40);
    let s = scenario(&text);
    assert_eq!(s.incidents.as_ref().unwrap().category, 1);
    let mc = run(&s);
    let plain = run(&scenario(&without_incidents(&text)));
    // The desk works every incident ticket and nothing else; the agents' work is the same
    // as without incidents, bit for bit (the ordinary tickets' draws do not move).
    let agents = est(&mc, "utilisation", "pool=agents");
    let alone = est(&plain, "utilisation", "pool=agents");
    eprintln!(
        "agents: {:.6} with incidents routed to the desk, {:.6} without incidents",
        agents.mean, alone.mean
    );
    assert_eq!(agents.mean, alone.mean);
    let desk = est(&mc, "utilisation", "pool=desk");
    eprintln!(
        "desk utilisation {:.6} (SE {:.6})",
        desk.mean, desk.std_error
    );
    assert!(desk.mean > 0.0);
    let t = est(&mc, "incident_tickets_per_incident", "all");
    assert!(t.mean > 30.0, "{}", t.mean);
}

#[test]
fn without_an_incident_category_incident_tickets_take_the_first_or_the_named_one() {
    // No "incident" entry: the first category (general, routed to the agents) by default.
    let first = r#"
[categories]
mix = { general = 1.0, billing = 0.0 }
[[routing.rule]]
level = 1
category = "general"
pools = [{ pool = "agents" }]
[[routing.rule]]
level = 1
category = "billing"
pools = [{ pool = "desk" }]
"#;
    let s = scenario(&fixture(first, "", 10));
    assert_eq!(s.incidents.as_ref().unwrap().category, 0);
    let mc = run(&s);
    assert_eq!(est(&mc, "utilisation", "pool=desk").mean, 0.0);
    // incidents.category names another one.
    let s = scenario(&fixture(first, "category = \"billing\"", 10));
    assert_eq!(s.incidents.as_ref().unwrap().category, 1);
    let mc = run(&s);
    assert!(est(&mc, "utilisation", "pool=desk").mean > 0.0);
    // Without [categories] every ticket is of the one default category, as before.
    let s = scenario(&fixture("", "", 1));
    assert_eq!(s.incidents.as_ref().unwrap().category, 0);
}

#[test]
fn a_bad_incident_category_is_refused_with_its_key_path() {
    let e = refusal(&fixture(ROUTED, "category = \"outage\"", 1));
    assert!(
        e.contains("incidents.category: unknown category \"outage\""),
        "{e}"
    );
    let e = refusal(&fixture("", "category = \"incident\"", 1));
    assert!(
        e.contains("incidents.category: is \"incident\" but the file has no [categories]"),
        "{e}"
    );
}

#[test]
fn the_load_estimate_counts_incident_work_within_standard_errors() {
    // Routed: the desk's whole load is incident work (reports at full work, the rest linked).
    let s = scenario(&fixture(ROUTED, "", 100));
    let mc = run(&s);
    let loads = pool_loads(&s);
    let desk = loads.iter().find(|l| l.pool == "desk").unwrap();
    let sim = est(&mc, "utilisation", "pool=desk");
    eprintln!(
        "desk: estimate {:.3} tickets/week, {:.3} min each, {:.5} erlangs",
        desk.tickets_per_week, desk.work_per_ticket_min, desk.offered_erlangs
    );
    assert_within_se("desk utilisation", &sim, desk.utilisation, 4.0);
    // Without categories the agents take both: 1.667 erlangs of ordinary work plus incidents.
    let s = scenario(&fixture("", "", 100));
    let mc = run(&s);
    let agents = &pool_loads(&s)[0];
    let plain = &pool_loads(&scenario(&without_incidents(&fixture("", "", 1))))[0];
    assert!((plain.offered_erlangs - 10.0 / 6.0).abs() < 1e-9);
    assert!(agents.offered_erlangs > plain.offered_erlangs + 0.05);
    let sim = est(&mc, "utilisation", "pool=agents");
    assert_within_se("agents utilisation", &sim, agents.utilisation, 4.0);
    // Monitoring and a notification: fewer tickets, all linked when detected at the start.
    let care = "[incidents.monitoring]\ndetect_share = 1.0\n[incidents.notifications]\ncall_in_factor = 0.5\n";
    let s = scenario(&fixture(ROUTED, care, 100));
    let mc = run(&s);
    let desk = pool_loads(&s)
        .into_iter()
        .find(|l| l.pool == "desk")
        .unwrap();
    let sim = est(&mc, "utilisation", "pool=desk");
    assert_within_se("desk utilisation with care", &sim, desk.utilisation, 4.0);
}

#[test]
fn the_bundled_incident_file_estimate_adds_its_incident_tickets_to_l1() {
    let path = std::path::Path::new("scenarios/saas-midmarket-incidents.toml");
    let s = supportsim::scenario::Scenario::load(path).unwrap();
    let inc = s.incidents.clone().unwrap();
    let mut none = s.clone();
    none.incidents = None;
    let (with, without) = (&pool_loads(&s)[0], &pool_loads(&none)[0]);
    // Three a month (60/30/10% minor/major/critical) plus the scripted critical, over 4 weeks.
    let month_weeks = 30.4375 / 7.0;
    let random: f64 = [0.6, 0.3, 0.1]
        .iter()
        .enumerate()
        .map(|(k, w)| 3.0 / month_weeks * w * inc.expected_tickets(k))
        .sum();
    let expected = random + inc.expected_tickets(2) / 4.0;
    let added = with.tickets_per_week - without.tickets_per_week;
    eprintln!("l1: {added:.2} incident tickets/week estimated, {expected:.2} expected");
    assert!(
        (added - expected).abs() < 1e-6 * expected,
        "{added} vs {expected}"
    );
    assert!(with.offered_erlangs > without.offered_erlangs);
}
