//! Incident response teams as swarms, late notifications and outreach in the load estimate
//! (issue 15): a swarm team's agent-minutes leave queue work, experts come from the pool the
//! severity's level needs and their count from `swarm.helpers`; the estimate counts first
//! contacts made before a late notification at the full call-in, and outreach's checks.

use super::common::{assert_within_se, est, refusal, run, scenario};
use supportsim::model::load::pool_loads;
use supportsim::montecarlo::MonteCarlo;
use supportsim::stats::summary::Estimate;

/// Minutes per month (30.4375 days).
const MONTH_MIN: f64 = 43_830.0;

/// Two tiers on ample staff (20 L1, 10 L2 agents around the clock), a few ordinary tickets,
/// and 20 level-2 incidents a month of 300 min each, all detected by monitoring at their
/// start. `response` is the severity's response line, `extra` more text at the end.
fn fixture(model: &str, response: &str, extra: &str, reps: u32) -> String {
    format!(
        r#"
name = "incident-swarm"
model = "{model}"
[run]
warmup_days = 1
horizon_days = 28
drain_days = 2
replications = {reps}
seed = 21
[demand]
tickets_per_hour = 2
channels = {{ email = 1.0 }}
priorities = {{ P3 = 1.0 }}
segments = {{ all = 1.0 }}
required_level = {{ 1 = 0.8, 2 = 0.2 }}
[[pools]]
name = "l1"
headcount = 20
[[pools]]
name = "l2"
headcount = 10
[[tiers]]
level = 1
pool = "l1"
work_time.default = {{ dist = "exponential", mean_min = 10 }}
[[tiers]]
level = 2
pool = "l2"
work_time.default = {{ dist = "exponential", mean_min = 20 }}
[[sla]]
first_response = {{ target_min = 60, goal = 0.8 }}
[incidents]
accounts = {{ all = 1000 }}
rate_per_month = 20
call_in_probability = 0.3
contact_delay_min = {{ dist = "exponential", mean_min = 30 }}
link_min = 3
[incidents.monitoring]
detect_share = 1.0
[[incidents.severities]]
name = "major"
priority = "P2"
level = 2
duration_min = 300
affected_share = 0.05
{response}
{extra}
"#
    )
}

/// Mean and SE over replications of `f(base values, other values)`, paired by replication.
fn paired(a: &MonteCarlo, b: &MonteCarlo, metric: &str, group: &str) -> Estimate {
    let (i, j) = (
        a.catalog.find(metric, group).unwrap(),
        b.catalog.find(metric, group).unwrap(),
    );
    let d: Vec<f64> = a
        .values
        .iter()
        .zip(&b.values)
        .map(|(x, y)| y[j] - x[i])
        .collect();
    let n = d.len() as f64;
    let mean = d.iter().sum::<f64>() / n;
    let var = d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    let mut e = est(a, metric, group);
    e.mean = mean;
    e.std_error = (var / n).sqrt();
    e.n = d.len();
    e
}

#[test]
fn a_swarm_team_takes_its_agent_minutes_from_queue_work() {
    // One owner from L1, three experts from L2 (the pool a level-2 ticket needs), pulled 27
    // min after detection (the start) until the fix: 273 min each per incident.
    let team = "response = { swarm = true, experts = 3, assembly_min = 27 }";
    let base = scenario(&fixture("tiered", "", "", 100));
    let with = scenario(&fixture("tiered", team, "", 100));
    let (a, b) = (run(&base), run(&with));
    let pulled = est(&b, "incident_response_agents", "all");
    eprintln!("agents pulled per incident: {:.4}", pulled.mean);
    assert!(pulled.mean > 3.95 && pulled.mean <= 4.0, "{}", pulled.mean);
    // Incidents start at 20 a month, so on average rate x agents x 273 min of team work is
    // going on at any moment; the busy share rises by it and queue work keeps the rest.
    let rate = 20.0 / MONTH_MIN;
    for (pool, agents, staffed) in [("l1", 1.0, 20.0), ("l2", 3.0, 10.0)] {
        let group = format!("pool={pool}");
        let d = paired(&a, &b, "utilisation", &group);
        let theory = rate * agents * (300.0 - 27.0) / staffed;
        assert_within_se(
            &format!("{pool} utilisation added by the team"),
            &d,
            theory,
            4.0,
        );
    }
    // The same incidents and tickets in both designs (the team has its own draws).
    let n = paired(&a, &b, "incidents", "all");
    assert_eq!((n.mean, n.std_error), (0.0, 0.0));
    // The load estimate holds the team's agent-minutes too, and meets the simulation.
    let (lw, lb) = (pool_loads(&with), pool_loads(&base));
    for (i, agents) in [(0, 1.0), (1, 3.0)] {
        let added = lw[i].offered_erlangs - lb[i].offered_erlangs;
        let want = rate * agents * (300.0 - 27.0);
        assert!((added - want).abs() < 1e-9, "{added} vs {want}");
    }
    let sim = est(&b, "utilisation", "pool=l2");
    assert_within_se("l2 utilisation with the team", &sim, lw[1].utilisation, 4.0);
}

#[test]
fn a_team_of_an_incident_found_by_reports_is_estimated_from_the_third_report() {
    // No monitoring: the third report (15 tickets an incident, first contacts exponential
    // with mean 30 min) detects, the team comes 27 min later.
    let text = fixture(
        "tiered",
        "response = { swarm = true, experts = 3, assembly_min = 27 }",
        "",
        100,
    )
    .replace("[incidents.monitoring]\ndetect_share = 1.0\n", "");
    let s = scenario(&text);
    assert!(s.incidents.as_ref().unwrap().monitoring.is_none());
    let mc = run(&s);
    let loads = pool_loads(&s);
    for (i, pool) in [(0, "l1"), (1, "l2")] {
        let sim = est(&mc, "utilisation", &format!("pool={pool}"));
        assert_within_se(
            &format!("{pool} utilisation, team after reports"),
            &sim,
            loads[i].utilisation,
            4.0,
        );
    }
}

#[test]
fn a_swarm_models_incident_swarm_draws_its_experts_from_swarm_helpers() {
    // Under the swarm model (owners: L1; experts of level 2: L2) with one or three helpers,
    // half each: 1 owner + 2 experts on average.
    let swarm = "[swarm]\nowner_level = 1\nhelpers = { \"1\" = 0.5, \"3\" = 0.5 }\n";
    let s = scenario(&fixture(
        "swarm",
        "response = { swarm = true, assembly_min = 27 }",
        swarm,
        100,
    ));
    let mc = run(&s);
    let pulled = est(&mc, "incident_response_agents", "all");
    assert_within_se("agents pulled, helpers drawn", &pulled, 3.0, 4.0);
    let r = s.incidents.as_ref().unwrap().severities[0]
        .response
        .as_ref()
        .unwrap()
        .swarm
        .unwrap();
    assert_eq!(
        (
            s.pools[r.owner].name.as_str(),
            s.pools[r.expert].name.as_str()
        ),
        ("l1", "l2")
    );
    assert_eq!(r.experts, None);
}

#[test]
fn bad_swarm_response_keys_are_refused_with_their_key_paths() {
    let e = refusal(&fixture(
        "tiered",
        "response = { swarm = true, pools = { l2 = 2 } }",
        "",
        1,
    ));
    assert!(
        e.contains("incidents.severities[0].response.pools: is given with `swarm = true`"),
        "{e}"
    );
    let e = refusal(&fixture("tiered", "response = { experts = 2 }", "", 1));
    assert!(
        e.contains("incidents.severities[0].response.experts: needs `swarm = true`"),
        "{e}"
    );
    let e = refusal(&fixture(
        "tiered",
        "response = { swarm = true, experts = 0 }",
        "",
        1,
    ));
    assert!(
        e.contains("incidents.severities[0].response.experts: is 0"),
        "{e}"
    );
    let e = refusal(&fixture(
        "tiered",
        "response = { assembly_min = 27 }",
        "",
        1,
    ));
    assert!(e.contains("response.pools: lists no pool"), "{e}");
}

/// One pool taking ordinary tickets and incident tickets (no response team).
fn one_pool(extra: &str, reps: u32) -> String {
    fixture("tiered", "", extra, reps)
        .replace(
            "required_level = { 1 = 0.8, 2 = 0.2 }",
            "required_level = { 1 = 1.0 }",
        )
        .replace("level = 2\nduration_min", "level = 1\nduration_min")
}

#[test]
fn the_estimate_counts_first_contacts_before_a_late_notification_at_full_call_in() {
    // First contacts exponential with mean 30 min; the notification goes out 30 min after
    // detection (the start) and cuts call-in to 0.2: 1 - e^-1 of the accounts have called
    // by then. Expected tickets: 50 x 0.3 x (0.632 + 0.368 x 0.2) = 10.58 (not 3.0).
    let text = one_pool(
        "[incidents.notifications]\ncall_in_factor = 0.2\ndelay_min = 30\n",
        200,
    );
    let s = scenario(&text);
    let mc = run(&s);
    let early = 1.0 - (-1.0f64).exp();
    let theory = 50.0 * 0.3 * (early + (1.0 - early) * 0.2);
    let t = est(&mc, "incident_tickets_per_incident", "all");
    assert_within_se("tickets per incident, late notice", &t, theory, 4.0);
    // Taking the notification as reaching every account first (50 x 0.3 x 0.2 = 3) is
    // rejected by the same simulation.
    assert!((t.mean - 3.0).abs() > 50.0 * t.std_error);
    // The estimate's incident work: 20 a month x the tickets x 3 min on L1.
    let inc = supportsim::model::load_incidents::incident_erlangs(&s);
    let want = 20.0 / MONTH_MIN * theory * 3.0;
    assert!((inc[0] - want).abs() < 1e-12, "{} vs {want}", inc[0]);
    let l1 = &pool_loads(&s)[0];
    let sim = est(&mc, "utilisation", "pool=l1");
    assert_within_se("l1 utilisation, late notice", &sim, l1.utilisation, 4.0);
}

#[test]
fn the_estimate_counts_outreach_checks_on_their_pool() {
    // 1,000 checks a month of 87.66 min each on 20 L1 agents: +0.1 utilisation.
    let text = one_pool(
        "[incidents.outreach]\nsegments = [\"all\"]\npool = \"l1\"\nminutes_per_account_per_month = 87.66\ncall_in_factor = 0.5\n",
        100,
    );
    let s = scenario(&text);
    let none = scenario(&one_pool("", 1));
    let (with, without) = (&pool_loads(&s)[0], &pool_loads(&none)[0]);
    let checks = 1000.0 * 87.66 / MONTH_MIN;
    // Outreach also halves the accounts' incident calls (linked tickets of 3 min each).
    let calls = 20.0 / MONTH_MIN * 50.0 * 0.3 * 0.5 * 3.0;
    let added = with.offered_erlangs - without.offered_erlangs;
    assert!(
        (added - checks + calls).abs() < 1e-9,
        "{added} vs {}",
        checks - calls
    );
    let mc = run(&s);
    let sim = est(&mc, "utilisation", "pool=l1");
    assert_within_se("l1 utilisation with outreach", &sim, with.utilisation, 4.0);
}
