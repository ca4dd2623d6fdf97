//! Requirements against first principles, the erlang module per interval, and the load
//! estimate's totals.

use super::*;
use crate::model::load::pool_loads;

fn scenario(text: &str) -> Scenario {
    Scenario::from_toml_str(text, Path::new("<test>")).unwrap()
}

const SET30: Settings = Settings {
    interval_min: 30.0,
    week: 0,
    live_target: None,
};

/// pyworkforce's documented ErlangC example: 100 calls per 30 minutes, AHT 3 min, 80% in
/// 20 s, shrinkage 30%.
const PYWORKFORCE: &str = r#"
name = "pyworkforce"
[run]
warmup_days = 1
horizon_days = 7
[demand]
tickets_per_hour = 200
channels = { phone = 1.0 }
priorities = { P3 = 1.0 }
segments = { all = 1.0 }
required_level = { 1 = 1.0 }
[[pools]]
name = "agents"
headcount = 20
shrinkage = 0.3
[[tiers]]
level = 1
pool = "agents"
work_time.default = { dist = "exponential", mean_min = 3 }
[[sla]]
first_response = { target_min = 0.3333333333333333, goal = 0.8 }
"#;

/// Textbook Erlang C service level by the explicit sums (no recursion shared with the
/// module): P(wait) = (a^n/n! n/(n-a)) / (sum_{k<n} a^k/k! + a^n/n! n/(n-a)),
/// SL = 1 - P(wait) exp(-(n-a) t / aht).
fn textbook_sl(n: u32, a: f64, t_over_aht: f64) -> f64 {
    let mut term = 1.0;
    let mut below = 0.0;
    for k in 0..n {
        below += term;
        term *= a / f64::from(k + 1);
    }
    let top = term * f64::from(n) / (f64::from(n) - a);
    let pw = top / (below + top);
    1.0 - pw * (-(f64::from(n) - a) * t_over_aht).exp()
}

#[test]
fn pyworkforce_example_needs_14_agents_and_20_scheduled() {
    // a = 100/30 per min x 3 min = 10 erlangs; target 20 s = 1/9 of the handle time.
    let (a, t) = (10.0, (20.0 / 60.0) / 3.0);
    assert!(textbook_sl(13, a, t) < 0.8, "{}", textbook_sl(13, a, t));
    assert!(textbook_sl(14, a, t) >= 0.8, "{}", textbook_sl(14, a, t));
    // ceil(14 / (1 - 0.3)) = ceil(20.0) = 20.
    let r = requirements(&scenario(PYWORKFORCE), SET30).unwrap();
    let p = &r.pools[0];
    assert_eq!(p.rows.len(), 7 * 48);
    for row in &p.rows {
        assert!((row.live_contacts[1] - 100.0).abs() < 1e-9);
        assert_eq!(row.live_method, "erlang_c");
        assert_eq!(row.live_agents, 14.0);
        assert_eq!(row.deferred_erlangs, 0.0);
        assert_eq!((row.required_on_duty, row.required_scheduled), (14, 20));
        // The file's 20 scheduled agents leave 14 on duty: no gap.
        assert!((row.file_scheduled - 20.0).abs() < 1e-9);
        assert!(
            (row.file_on_duty - 14.0).abs() < 0.5,
            "{}",
            row.file_on_duty
        );
        assert!(row.gap().abs() < 1e-9);
    }
    let sum = p.summary(30.0);
    assert_eq!(sum.short_intervals, 0);
    assert!((sum.required_hours - 20.0 * 168.0).abs() < 1e-9);
}

/// Chat (concurrency 2) and phone with patience, an intraday profile and 15-minute
/// intervals: every interval's live agents are the erlang module's answers.
#[test]
fn live_agents_are_the_erlang_answers_per_interval() {
    let text = r#"
name = "profile"
[run]
warmup_days = 1
horizon_days = 7
[demand]
tickets_per_week = 6000
hour_weights = [1, 1, 1, 1, 1, 1, 2, 3, 5, 6, 6, 5, 4, 5, 5, 4, 3, 2, 2, 1, 1, 1, 1, 1]
weekday_weights = [20, 20, 20, 20, 10, 5, 5]
channels = { chat = 0.4, phone = 0.6 }
priorities = { P2 = 0.5, P3 = 0.5 }
segments = { all = 1.0 }
required_level = { 0 = 0.1, 1 = 0.9 }
[[pools]]
name = "front"
headcount = 10
chat_concurrency = 2
max_occupancy = 0.9
[[tiers]]
level = 1
pool = "front"
work_time.email = { dist = "exponential", mean_min = 10 }
work_time.chat = { dist = "exponential", mean_min = 10 }
work_time.phone = { dist = "exponential", mean_min = 5 }
[customers.patience]
chat = { dist = "exponential", mean_min = 3 }
phone = { dist = "exponential", mean_min = 4 }
[[sla]]
priority = "P2"
first_response = { target_min = 1, goal = 0.9 }
[[sla]]
priority = "P3"
first_response = { target_min = 5, goal = 0.8 }
"#;
    let s = scenario(text);
    let set = Settings {
        interval_min: 15.0,
        ..SET30
    };
    let r = requirements(&s, set).unwrap();
    let rows = &r.pools[0].rows;
    assert_eq!(rows.len(), 7 * 96);
    for row in rows {
        let lambda = mean_arrival_rate(&s, row.start_min, row.start_min + 15.0) * 0.9;
        let need = |rate: f64, aht: f64, patience: f64| {
            // The 90% cap rests an agent 1/9 of each contact's work after it: a server is
            // held aht / 0.9, and the Erlang A queue is that of the held time.
            let held = aht / 0.9;
            let a = min_agents(rate, held, Some(patience), 1.0, 0.9).unwrap().0;
            let b = min_agents(rate, held, Some(patience), 5.0, 0.8).unwrap().0;
            a.max(b).max((rate * aht / 0.9 - 1e-9).ceil() as u32)
        };
        let chat = need(0.4 * lambda, 10.0, 3.0);
        let phone = need(0.6 * lambda, 5.0, 4.0);
        let want = f64::from(chat) / 2.0 + f64::from(phone);
        assert!(
            (row.live_agents - want).abs() < 1e-12,
            "{}: {} vs {want}",
            row.start_min,
            row.live_agents
        );
        assert_eq!(row.live_method, "erlang_a");
        assert_eq!(row.required_on_duty, want.ceil() as u32);
        assert!((row.live_contacts[0] - 0.4 * lambda * 15.0).abs() < 1e-9);
    }
    // The profile shows: the 10:00 weekday peak needs more than the 03:00 trough.
    let at = |h: usize| rows[h * 4].required_on_duty;
    assert!(at(10) > 2 * at(3), "{} vs {}", at(10), at(3));
}

/// Deferred work on a flat profile is spread into a flat load: every interval absorbs the
/// offered erlangs, and the occupancy cap divides them.
#[test]
fn flat_email_load_needs_its_erlangs_over_the_cap() {
    let text = r#"
name = "email"
[run]
warmup_days = 1
horizon_days = 14
[demand]
tickets_per_hour = 30
channels = { email = 1.0 }
priorities = { P3 = 1.0 }
segments = { all = 1.0 }
required_level = { 1 = 1.0 }
[[pools]]
name = "desk"
headcount = 10
max_occupancy = 0.8
[[tiers]]
level = 1
pool = "desk"
work_time.default = { dist = "lognormal", mean_min = 8, cv = 1.0 }
[[sla]]
first_response = { target_hours = 2, goal = 0.9 }
"#;
    let r = requirements(&scenario(text), Settings { week: 1, ..SET30 }).unwrap();
    // 0.5 tickets/min x 8 min = 4 erlangs; 4 / 0.8 = 5 agents.
    for row in &r.pools[0].rows {
        assert!((row.deferred_erlangs - 4.0).abs() < 1e-9);
        assert_eq!(row.live_method, "");
        assert_eq!(row.required_on_duty, 5);
    }
    assert!(r.week_start_min > 7.0 * 1440.0);
}

/// On the bundled mid-market file (made stationary: no growth, no surge, one measured week)
/// the deferred work of L2 and L3, spread over the week, adds up to the load estimate's
/// offered erlangs (same walk, same rates; messages left by abandoning customers switched
/// off, which the load estimate does not count), and L1's live contacts get Erlang A.
#[test]
fn midmarket_deferred_work_is_conserved() {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/saas-midmarket-tiered.toml");
    let mut raw = Scenario::load(&p).unwrap().raw;
    raw.demand.growth_per_month = 0.0;
    raw.demand.surges.clear();
    raw.run.horizon_days = 7.0;
    raw.customers.abandon_to_email_probability = 0.0;
    let s = Scenario::from_raw(raw, &p).unwrap();
    let r = requirements(&s, SET30).unwrap();
    let loads = pool_loads(&s);
    for (pr, l) in r.pools.iter().zip(&loads).skip(1) {
        let mean: f64 =
            pr.rows.iter().map(|x| x.deferred_erlangs).sum::<f64>() / pr.rows.len() as f64;
        assert!(
            (mean - l.offered_erlangs).abs() < 1e-9 * l.offered_erlangs,
            "{}: {mean} vs {}",
            pr.pool,
            l.offered_erlangs
        );
    }
    let l1 = &r.pools[0];
    assert!(l1.rows.iter().any(|x| x.live_method == "erlang_a"));
    // P1 enterprise and mid-market first responses run 24x7: live contacts need an agent at
    // 03:00 although the file has nobody then.
    let night = &l1.rows[6];
    assert!(r.labels[6].contains("03:00"), "{}", r.labels[6]);
    assert!(night.required_on_duty >= 1 && night.file_on_duty == 0.0);
    assert!(l1.summary(30.0).short_intervals > 0);
}

#[test]
fn bad_settings_are_refused() {
    let s = scenario(PYWORKFORCE);
    let e = requirements(
        &s,
        Settings {
            interval_min: 20.0,
            ..SET30
        },
    )
    .unwrap_err();
    assert!(e.to_string().contains("multiple of 15"), "{e}");
    let e = requirements(&s, Settings { week: 1, ..SET30 }).unwrap_err();
    assert!(e.to_string().contains("holds 1 whole week"), "{e}");
}

/// The bundled incident file made stationary for one measured week, its scripted critical
/// outage moved into that week (Wednesday 10:00): the incident work of the intervals adds up
/// to the load estimate's incident erlangs per pool (same per-incident walk, reports on L2
/// and L3 included), the random incidents' share is flat, and the outage's work comes after
/// its start, within its duration.
#[test]
fn incident_work_adds_up_to_the_load_estimates_incident_erlangs() {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/saas-midmarket-incidents.toml");
    let mut raw = Scenario::load(&p).unwrap().raw;
    raw.demand.growth_per_month = 0.0;
    raw.demand.surges.clear();
    raw.run.horizon_days = 7.0;
    let start_day = raw.run.warmup_days + 2.0 + 10.0 / 24.0;
    raw.incidents.as_mut().unwrap().scheduled[0].start_day = start_day;
    let s = Scenario::from_raw(raw, &p).unwrap();
    let r = requirements(&s, SET30).unwrap();
    assert!(r.incidents);
    let want = crate::model::load_incidents::incident_erlangs(&s);
    assert!(want[0] > 0.0 && want[1] > 0.0, "{want:?}");
    let start = start_day * 1440.0;
    let outage = s.incidents.as_ref().unwrap().severities[2].duration.mean();
    for (pr, w) in r.pools.iter().zip(&want) {
        let mean: f64 =
            pr.rows.iter().map(|x| x.incident_erlangs).sum::<f64>() / pr.rows.len() as f64;
        eprintln!("{}: {mean:.6} vs {w:.6} erlangs", pr.pool);
        assert!(
            (mean - w).abs() < 1e-9 * w.max(1e-12),
            "{}: {mean} vs {w}",
            pr.pool
        );
        // Before the outage and after its fix only the flat random part remains.
        let flat = pr.rows[0].incident_erlangs;
        for x in &pr.rows {
            let (a, b) = (x.start_min, x.start_min + 30.0);
            if b <= start || a >= start + outage {
                assert!((x.incident_erlangs - flat).abs() < 1e-12, "{}", pr.pool);
            }
        }
        if *w > 0.0 {
            let peak = pr
                .rows
                .iter()
                .map(|x| x.incident_erlangs)
                .fold(0.0, f64::max);
            assert!(peak > flat, "{}", pr.pool);
        }
    }
    // The file without [incidents] keeps its table: no incident work, no column.
    let mut none = s.clone();
    none.incidents = None;
    let r0 = requirements(&none, SET30).unwrap();
    assert!(!r0.incidents);
    assert!(
        r0.pools
            .iter()
            .all(|p| p.rows.iter().all(|x| x.incident_erlangs == 0.0))
    );
}
