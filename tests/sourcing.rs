//! Outsourced pools: contract billing (logged hours, floors, flex band, per ticket), SLA
//! credits and penalties, proficiency and quality adjustments, ramp.

use crate::common::*;
use supportsim::montecarlo::MonteCarlo;

/// Two tiers, email only, 24x7, P3 tickets with a first-response and a resolution target.
/// `l1` is the pool under test (its TOML given), `l2` is internal at $50/h.
fn two_tiers(l1: &str, extra: &str) -> String {
    format!(
        r#"
name = "sourcing"
[run]
warmup_days = 2
horizon_days = 14
drain_days = 7
replications = 20
seed = 11
[demand]
tickets_per_hour = 6
channels = {{ email = 1.0 }}
priorities = {{ P3 = 1.0 }}
segments = {{ s = 1.0 }}
required_level = {{ 1 = 0.7, 2 = 0.3 }}
[[pools]]
name = "l1"
{l1}
[[pools]]
name = "l2"
headcount = 3
cost_per_hour_usd = 50
[[tiers]]
level = 1
pool = "l1"
work_time.default = {{ dist = "lognormal", mean_min = 20, cv = 1.0 }}
write_up_min = 5
[[tiers]]
level = 2
pool = "l2"
work_time.default = {{ dist = "exponential", mean_min = 25 }}
[[sla]]
priority = "P3"
first_response = {{ target_min = 30, goal = 0.8 }}
resolution = {{ target_hours = 4, goal = 0.9 }}
{extra}
"#
    )
}

fn column(mc: &MonteCarlo, metric: &str, group: &str) -> Vec<f64> {
    let i = mc
        .catalog
        .find(metric, group)
        .unwrap_or_else(|| panic!("no metric {metric} for group {group}"));
    mc.column(i).collect()
}

const INTERNAL_L1: &str = "headcount = 3\ncost_per_hour_usd = 40";
const BPO_L1: &str = r#"headcount = 3
sourcing = "outsourced"
[pools.contract]
price_per_logged_hour_usd = 15"#;

/// The same people under a contract: every replication's service metrics are bit-identical,
/// only the money differs (and by exactly the hour prices).
#[test]
fn switching_a_pool_to_outsourced_changes_only_cost() {
    let a = run(&scenario(&two_tiers(INTERNAL_L1, "")));
    let b = run(&scenario(&two_tiers(BPO_L1, "")));
    assert_eq!(a.catalog.defs.len(), b.catalog.defs.len());
    let mut compared = 0;
    for (i, d) in a.catalog.defs.iter().enumerate() {
        let (x, y): (Vec<f64>, Vec<f64>) = (a.column(i).collect(), b.column(i).collect());
        let money = d.metric.contains("cost");
        if !money {
            let same = x.iter().zip(&y).all(|(p, q)| p.to_bits() == q.to_bits());
            assert!(same, "{} {} differs: {x:?} vs {y:?}", d.metric, d.group);
            compared += 1;
        }
    }
    assert!(compared > 30, "{compared}");
    // 3 agents x 336 h: $40 x 1008 internally, $15 x 1008 logged hours outsourced.
    assert_eq!(est(&a, "labour_cost_usd", "pool=l1").mean, 40_320.0);
    assert_eq!(est(&b, "labour_cost_usd", "pool=l1").mean, 15_120.0);
    let l2 = est(&a, "labour_cost_usd", "pool=l2").mean;
    assert_eq!(l2, 50.0 * 3.0 * 336.0);
    assert_eq!(
        est(&a, "cost_usd", "all").mean - est(&b, "cost_usd", "all").mean,
        40_320.0 - 15_120.0
    );
}

/// Minimum seats are billed when the provider's agents are idle or not even scheduled, and
/// logged hours above the flex band cost the over-flex price.
#[test]
fn contract_minimums_are_billed_when_idle_and_flex_band_prices_the_excess() {
    let pool = |contract: &str| {
        format!(
            r#"sourcing = "outsourced"
shrinkage = 0.25
[[pools.shifts]]
days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
start = "00:00"
end = "00:00"
headcount = 2
[pools.contract]
price_per_logged_hour_usd = 15
{contract}"#
        )
    };
    // 2 scheduled x 168 h x 0.75 = 252 logged hours a week; 10 seats x 40 h x 0.75 = 300.
    let floor = run(&scenario(&two_tiers(&pool("minimum_seats = 10"), "")));
    for w in ["2026-01-07", "2026-01-14"] {
        let v = column(&floor, "weekly_cost_usd", &format!("week={w} pool=l1"));
        assert!(v.iter().all(|x| *x == 300.0 * 15.0), "{w}: {v:?}");
    }
    assert_eq!(est(&floor, "labour_cost_usd", "pool=l1").mean, 9_000.0);
    // Contracted 4 seats +-10%: 252 logged hours, band cap 4.4 x 30 = 132 h, the 120 h above
    // at 1.5 x the price: 252 x 15 + 120 x 15 x 0.5 = 4,680 a week.
    let flex = run(&scenario(&two_tiers(
        &pool("seats = 4\nflex = 0.1\nover_flex_price_factor = 1.5"),
        "",
    )));
    assert_eq!(est(&flex, "labour_cost_usd", "pool=l1").mean, 2.0 * 4_680.0);
    // Within the band nothing changes: 8.4 FTE at 8 +- 10%.
    let inside = run(&scenario(&two_tiers(
        &pool("seats = 8\nflex = 0.1\nover_flex_price_factor = 1.5"),
        "",
    )));
    assert_eq!(
        est(&inside, "labour_cost_usd", "pool=l1").mean,
        2.0 * 252.0 * 15.0
    );
}

/// A per-ticket contract bills the tickets its tier handled, with a weekly minimum.
#[test]
fn per_ticket_contract_bills_handled_tickets_with_a_weekly_minimum() {
    let bpo = |min: f64| {
        format!(
            "headcount = 3\nsourcing = \"outsourced\"\n[pools.contract]\nprice_per_ticket_usd = 9\nminimum_tickets_per_week = {min}"
        )
    };
    let mc = run(&scenario(&two_tiers(&bpo(0.0), "")));
    let handled = column(&mc, "tickets_arrived", "all");
    let bill = column(&mc, "labour_cost_usd", "pool=l1");
    for (n, usd) in handled.iter().zip(&bill) {
        // Every measured ticket passes through L1 exactly once (no bounce backs).
        assert_eq!(*usd, 9.0 * n, "{n} tickets");
    }
    // ~6 x 168 = 1008 tickets a week: a 2,000-ticket minimum binds every week.
    let mc = run(&scenario(&two_tiers(&bpo(2000.0), "")));
    assert_eq!(
        est(&mc, "labour_cost_usd", "pool=l1").mean,
        2.0 * 2000.0 * 9.0
    );
}

/// SLA credits: a target that every week misses returns the whole at-risk share, one that is
/// always met returns nothing; penalties are paid per breach; total = pools + vendor -
/// credits + penalties in every replication and week.
#[test]
fn sla_credits_and_penalties_add_up() {
    let bpo = |target: &str| {
        format!(
            r#"headcount = 4
sourcing = "outsourced"
[pools.contract]
price_per_logged_hour_usd = 15
at_risk_share = 0.1
credit_targets = ["{target}"]"#
        )
    };
    // The P3 first-response goal is 80% in 30 min; an impossible resolution target (1 min,
    // penalised at $100 per breach) is added for the segment.
    let extra = r#"
[[sla]]
priority = "P3"
segment = "s"
resolution = { target_min = 1, goal = 0.9, penalty_usd_per_breach = 100 }
"#;
    // Replace the file's P3/* resolution target (a cell has at most one) by dropping it.
    let text = |target: &str| {
        two_tiers(&bpo(target), extra)
            .replace("resolution = { target_hours = 4, goal = 0.9 }\n", "")
    };
    let missed = run(&scenario(&text("resolution P3/s")));
    let gross = est(&missed, "labour_cost_usd", "pool=l1").mean;
    assert_eq!(gross, 20_160.0);
    assert_eq!(est(&missed, "sla_credit_usd", "pool=l1").mean, 2_016.0);
    // $100 per breach: covered tickets (resolved or still open; nobody abandons email) that
    // missed the 1-minute limit (nearly all: a lognormal work time can be under a minute).
    let penalties = column(&missed, "sla_penalty_usd", "all");
    let resolved = column(&missed, "tickets_resolved", "all");
    let open = column(&missed, "tickets_unresolved_at_end", "all");
    let att = column(&missed, "sla_resolution_attainment", "target=P3/s");
    for r in 0..penalties.len() {
        let breaches = ((resolved[r] + open[r]) * (1.0 - att[r])).round();
        assert_eq!(penalties[r], 100.0 * breaches);
        assert!(att[r] < 0.01, "{}", att[r]);
    }
    // First response within 30 min at 6/h on 4 agents (occupancy ~54%): met every week, no
    // credit.
    let met = run(&scenario(&text("first_response P3/*")));
    let fr = est(&met, "sla_first_response_attainment", "target=P3/*");
    assert!(fr.mean > 0.95, "{}", fr.mean);
    assert_eq!(est(&met, "sla_credit_usd", "pool=l1").mean, 0.0);
    // Conservation, per replication and per week.
    for mc in [&missed, &met] {
        let total = column(mc, "cost_usd", "all");
        let parts = [
            column(mc, "labour_cost_usd", "pool=l1"),
            column(mc, "labour_cost_usd", "pool=l2"),
            column(mc, "vendor_cost_usd", "all"),
            column(mc, "sla_penalty_usd", "all"),
        ];
        let credits = column(mc, "sla_credit_usd", "pool=l1");
        for r in 0..total.len() {
            let sum: f64 = parts.iter().map(|c| c[r]).sum::<f64>() - credits[r];
            assert!((total[r] - sum).abs() < 1e-6, "{} vs {sum}", total[r]);
            let weeks: f64 = ["2026-01-07", "2026-01-14"]
                .iter()
                .map(|w| column(mc, "weekly_cost_usd", &format!("week={w} total"))[r])
                .sum();
            assert!((total[r] - weeks).abs() < 1e-6, "{} vs {weeks}", total[r]);
        }
    }
}

/// Proficiency: an M/M/c pool whose work takes 1.15x as long has utilisation
/// lambda x 1.15 x AHT / c. Quality: a tier that resolves 85% of what it could escalates
/// the other 15% of its resolvable tickets.
#[test]
fn work_time_factor_and_resolve_factor_match_their_definitions() {
    let text = mmc_toml(6.0, 20.0, 3, None, 30.0, 40, 14.0)
        .replace("[[tiers]]", "work_time_factor = 1.15\n[[tiers]]");
    let mc = run(&scenario(&text));
    let rho = 6.0 / 60.0 * 20.0 * 1.15 / 3.0;
    assert_within_se(
        "utilisation at work_time_factor 1.15",
        &est(&mc, "utilisation", "pool=agents"),
        rho,
        4.0,
    );
    let bpo = "headcount = 4\nresolve_factor = 0.85";
    let mut s = scenario(&two_tiers(bpo, ""));
    // Every ticket could be resolved at L1.
    s.demand.mixes[0].level = [0.0, 1.0, 0.0, 0.0, 0.0];
    let mc = run(&s);
    assert_within_se(
        "escalation rate at resolve_factor 0.85",
        &est(&mc, "escalation_rate", "all"),
        0.15,
        4.0,
    );
}

/// Ramp: the work-time factor falls linearly from 2 to 1 over the first week, so light-load
/// deterministic work of 10 min averages 15 agent-minutes per ticket that week.
#[test]
fn ramp_decays_linearly_over_its_weeks() {
    let text = r#"
name = "ramp"
[run]
warmup_days = 0
horizon_days = 7
drain_days = 1
replications = 10
[demand]
tickets_per_hour = 2
channels = { email = 1.0 }
priorities = { P3 = 1.0 }
segments = { s = 1.0 }
required_level = { 1 = 1.0 }
[[pools]]
name = "l1"
headcount = 5
ramp = { start_factor = 2.0, weeks = 1 }
[[tiers]]
level = 1
pool = "l1"
work_time.default = 10
"#;
    let mc = run(&scenario(text));
    let e = est(&mc, "agent_minutes_per_ticket", "all");
    // Busy time is counted inside the window only: the last tickets' work past the end is
    // cut, a few minutes out of ~5,000 agent-minutes a week.
    assert!(
        (e.mean - 15.0).abs() < 0.1,
        "{} (SE {})",
        e.mean,
        e.std_error
    );
}
