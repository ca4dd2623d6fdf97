//! Incidents (`[incidents]`, issue 15): tickets per incident against affected x call-in x
//! contacts per caller, notifications halving incident tickets on common random numbers,
//! bulk closing of every child at the fix, proactive care, and key-path errors. Files
//! without `[incidents]` keep their golden values (tests/golden.rs).

use super::common::{est, refusal, run, scenario};
use supportsim::engine::simulate_with_sink;
use supportsim::measure::{Catalog, TicketOutcome, TicketRecord, TicketSink};

/// A deterministic-rate fixture: 20 incidents a month, each affecting 10% of 1,000 accounts
/// for 600 min; first contacts 10 min after the start, repeats 30 min apart, all before the
/// fix. `extra` is appended (monitoring, notifications ...).
fn fixture(extra: &str, reps: u32) -> String {
    format!(
        r#"
name = "incidents"
[run]
warmup_days = 1
horizon_days = 28
drain_days = 2
replications = {reps}
seed = 5
[demand]
tickets_per_hour = 2
channels = {{ email = 0.5, chat = 0.5 }}
priorities = {{ P3 = 1.0 }}
segments = {{ all = 1.0 }}
required_level = {{ 1 = 1.0 }}
[[pools]]
name = "agents"
headcount = 30
[[tiers]]
level = 1
pool = "agents"
work_time.default = {{ dist = "exponential", mean_min = 10 }}
[[sla]]
first_response = {{ target_min = 60, goal = 0.8 }}
resolution = {{ target_min = 480, goal = 0.8 }}
[incidents]
accounts = {{ all = 1000 }}
rate_per_month = 20
call_in_probability = 0.3
contact_delay_min = 10
repeat_share = 0.25
repeat_delay_min = 30
link_min = 3
detect_after_reports = 3
[[incidents.severities]]
name = "outage"
priority = "P2"
duration_min = 600
affected_share = 0.1
{extra}
"#
    )
}

#[test]
fn tickets_per_incident_are_affected_times_call_in_times_contacts_per_caller() {
    let s = scenario(&fixture("", 200));
    let inc = s.incidents.as_ref().unwrap();
    // 100 affected x 0.3 x (1 + 0.25 + ... + 0.25^9).
    let theory: f64 = 100.0 * 0.3 * (0..10).map(|n| 0.25f64.powi(n)).sum::<f64>();
    assert!((inc.expected_tickets(0) - theory).abs() < 1e-12);
    let mc = run(&s);
    let e = est(&mc, "incident_tickets_per_incident", "all");
    super::common::assert_within_se("tickets per incident", &e, theory, 4.0);
    // Duplicates: repeats / contacts = (E[contacts] - 1) / E[contacts].
    let per_caller = theory / 30.0;
    let dup = est(&mc, "incident_duplicate_share", "all");
    super::common::assert_within_se(
        "duplicate share",
        &dup,
        (per_caller - 1.0) / per_caller,
        4.0,
    );
    // 20 incidents a month over 28 days.
    let n = est(&mc, "incidents", "all");
    super::common::assert_within_se("incidents", &n, 20.0 * 28.0 / 30.4375, 4.0);
    let d = est(&mc, "incident_duration_min", "all");
    assert!((d.mean - 600.0).abs() < 1e-9, "{}", d.mean);
}

#[test]
fn a_notification_halving_call_in_halves_incident_tickets_on_common_random_numbers() {
    let base = scenario(&fixture("", 100));
    let care = scenario(&fixture(
        "[incidents.monitoring]\ndetect_share = 1.0\n[incidents.notifications]\ncall_in_factor = 0.5\n",
        100,
    ));
    let (a, b) = (run(&base), run(&care));
    let i = a
        .catalog
        .find("incident_tickets_per_incident", "all")
        .unwrap();
    let j = b
        .catalog
        .find("incident_tickets_per_incident", "all")
        .unwrap();
    let n_a = a.catalog.find("incidents", "all").unwrap();
    let n_b = b.catalog.find("incidents", "all").unwrap();
    let (mut ratios, mut sum_a, mut sum_b) = (Vec::new(), 0.0, 0.0);
    for (ra, rb) in a.values.iter().zip(&b.values) {
        // Same incidents in both designs (the incident stream is shared)...
        assert_eq!(ra[n_a], rb[n_b]);
        let (ta, tb) = (ra[i] * ra[n_a], rb[j] * rb[n_b]);
        // ... and the notified design's callers are a subset of the other's.
        assert!(tb <= ta, "{tb} > {ta}");
        sum_a += ta;
        sum_b += tb;
        ratios.push(tb / ta);
    }
    let m = ratios.iter().sum::<f64>() / ratios.len() as f64;
    let sd =
        (ratios.iter().map(|r| (r - m).powi(2)).sum::<f64>() / (ratios.len() - 1) as f64).sqrt();
    let se = sd / (ratios.len() as f64).sqrt();
    eprintln!(
        "incident tickets: {sum_a} -> {sum_b} (ratio {:.4}); per replication {m:.4} (SE {se:.4})",
        sum_b / sum_a
    );
    assert!((m - 0.5).abs() <= 4.0 * se, "ratio {m} vs 0.5, SE {se}");
    let det = est(&b, "incident_detection_min", "all");
    assert_eq!(det.mean, 0.0, "monitoring detects at the start");
    let note = est(&b, "incident_notification_min", "all");
    assert_eq!(note.mean, 0.0);
}

/// Every measured ticket, as it ends.
#[derive(Default)]
struct Records(Vec<TicketRecord>);

impl TicketSink for Records {
    fn record(&mut self, r: &TicketRecord) {
        self.0.push(*r);
    }
}

#[test]
fn bulk_resolution_closes_every_child_ticket_at_the_fix() {
    // One scripted incident at day 2 for 300 min, 200 callers, on 2 agents who spend 30 min
    // on each report and 3 on each linked ticket: at the fix most children still wait in
    // the queue, some are in service, the rest are linked and waiting.
    let text = fixture("", 1)
        .replace("rate_per_month = 20", "")
        .replace("headcount = 30", "headcount = 2")
        .replace("affected_share = 0.1", "affected_share = 0.1\nlevel = 1")
        .replace("call_in_probability = 0.3", "call_in_probability = 1.0")
        .replace("accounts = { all = 1000 }", "accounts = { all = 2000 }")
        .replace("duration_min = 600", "duration_min = 300")
        .replace("mean_min = 10 }", "mean_min = 30 }\n")
        + "[[incidents.scheduled]]\nstart_day = 2\nseverity = \"outage\"\n";
    let s = scenario(&text);
    let catalog = Catalog::new(&s);
    let mut sink = Records::default();
    let r = simulate_with_sink(&s, &catalog, 0, &mut sink);
    let (start, end) = (2.0 * 1440.0, 2.0 * 1440.0 + 300.0);
    let children: Vec<&TicketRecord> = sink.0.iter().filter(|t| t.ticket >= 0x8000_0000).collect();
    let contacts = r.values[catalog
        .find("incident_tickets_per_incident", "all")
        .unwrap()];
    assert_eq!(
        children.len() as f64,
        contacts,
        "every contact is a measured ticket"
    );
    assert!(contacts > 200.0, "{contacts}");
    let mut at_fix = 0;
    for t in &children {
        assert_eq!(t.outcome, TicketOutcome::Resolved, "{t:?}");
        let closed = t.arrival_min + t.resolution_min;
        assert!(
            t.arrival_min >= start && closed <= end + 1e-9,
            "{t:?} closed at {closed}"
        );
        at_fix += usize::from((closed - end).abs() < 1e-9);
    }
    eprintln!(
        "{} children, {at_fix} closed in bulk at the fix",
        children.len()
    );
    assert!(
        at_fix > children.len() / 2,
        "{at_fix} of {}",
        children.len()
    );
}

#[test]
fn monitoring_prevents_and_shortens_incidents_and_its_price_is_in_the_cost() {
    let text = fixture(
        "[incidents.monitoring]\ndetect_share = 1.0\nprevent_share = 0.5\nshorten_share = 0.5\ncost_usd_per_month = 3043.75\n",
        100,
    )
    .replace(
        "headcount = 30",
        "headcount = 30\ncost_per_hour_usd = 0",
    );
    let s = scenario(&text);
    let mc = run(&s);
    let d = est(&mc, "incident_duration_min", "all");
    assert!((d.mean - 300.0).abs() < 1e-9, "{}", d.mean);
    let (n, prevented) = (
        est(&mc, "incidents", "all"),
        est(&mc, "incidents_prevented", "all"),
    );
    let total = 20.0 * 28.0 / 30.4375;
    super::common::assert_within_se("prevented", &prevented, total / 2.0, 4.0);
    super::common::assert_within_se("happened", &n, total / 2.0, 4.0);
    // $3,043.75 a month is $700 a week: four weeks.
    let c = est(&mc, "incident_care_cost_usd", "all");
    assert!((c.mean - 2800.0).abs() < 1e-6, "{}", c.mean);
}

#[test]
fn bad_incident_keys_are_refused_with_their_key_paths() {
    let e =
        refusal(&fixture("", 1).replace("call_in_probability = 0.3", "call_in_probability = 1.3"));
    assert!(
        e.contains("incidents.call_in_probability: must be a probability"),
        "{e}"
    );
    let e = refusal(&fixture("", 1).replace("link_min = 3", ""));
    assert!(e.contains("incidents.link_min: is required"), "{e}");
    let e = refusal(&fixture(
        "[[incidents.scheduled]]\nstart_day = 3\nseverity = \"storm\"\n",
        1,
    ));
    assert!(
        e.contains("incidents.scheduled[0].severity: unknown severity \"storm\""),
        "{e}"
    );
    let e =
        refusal(&fixture("", 1).replace("accounts = { all = 1000 }", "accounts = { al = 1000 }"));
    assert!(e.contains("incidents.accounts.al: unknown segment"), "{e}");
    let e = refusal(&fixture(
        "[incidents.outreach]\nsegments = [\"all\"]\npool = \"nobody\"\nminutes_per_account_per_month = 10\n",
        1,
    ));
    assert!(e.contains("incidents.outreach.pool"), "{e}");
    let e = refusal(&fixture("", 1).replace("priority = \"P2\"", "priority = \"P9\""));
    assert!(
        e.contains("incidents.severities[0].priority: unknown priority"),
        "{e}"
    );
}

#[test]
fn outreach_adds_its_agent_time_and_cuts_its_accounts_calls_and_teams_are_pulled() {
    // 1,000 accounts x 43.83 min a month = 1,000 checks a month of 43.83 min on 30 agents
    // around the clock: +1,000 x 43.83 / (30 x 43,830) = +3.33 pp of utilisation.
    let extra = "[incidents.outreach]\nsegments = [\"all\"]\npool = \"agents\"\nminutes_per_account_per_month = 43.83\ncall_in_factor = 0.5\n";
    let base = scenario(&fixture("", 100));
    let with = scenario(&fixture(extra, 100));
    let team = scenario(&fixture("", 100).replace(
        "affected_share = 0.1",
        "affected_share = 0.1\nresponse = { pools = { agents = 4 }, assembly_min = 27 }",
    ));
    let (a, b, c) = (run(&base), run(&with), run(&team));
    let (ua, ub) = (
        est(&a, "utilisation", "pool=agents"),
        est(&b, "utilisation", "pool=agents"),
    );
    let check = 43.83 / 43_830.0 * 1_000.0 / 30.0;
    eprintln!(
        "utilisation {:.5} -> {:.5} (+{:.5}, expected +{check:.5} less the halved incident work)",
        ua.mean,
        ub.mean,
        ub.mean - ua.mean
    );
    // Checks add their time; halved incident calls take some away (link work is small).
    assert!(
        (ub.mean - ua.mean - check).abs() < 0.004,
        "{} vs {check}",
        ub.mean - ua.mean
    );
    let t = est(&b, "incident_tickets_per_incident", "all");
    super::common::assert_within_se("tickets with outreach", &t, 20.0, 4.0);
    // The team: 4 of 30 agents are free at assembly in almost every incident.
    let r = est(&c, "incident_response_agents", "all");
    assert!(r.mean > 3.9 && r.mean <= 4.0, "{}", r.mean);
    let u = est(&c, "utilisation", "pool=agents");
    assert!(u.mean > ua.mean, "the team's time counts as work");
}
