//! Shifts in several time zones, overnight shifts, daylight saving and shrinkage: the staffed
//! agents the engine uses must match the shift plan exactly.

use crate::common::*;
use supportsim::scenario::Scenario;

const H: f64 = 60.0;
const DAY: f64 = 1440.0;

fn with_pools(start: &str, pools: &str) -> Scenario {
    scenario(&format!(
        r#"
name = "shifts"
[run]
start_date = "{start}"
warmup_days = 7
horizon_days = 14
drain_days = 1
replications = 2
[demand]
tickets_per_hour = 1
timezone = "America/New_York"
channels = {{ email = 1.0 }}
priorities = {{ P3 = 1.0 }}
segments = {{ s = 1.0 }}
required_level = {{ 1 = 1.0 }}
{pools}
[[tiers]]
level = 1
pool = "l1"
work_time.default = 10
"#
    ))
}

/// A New York day shift, an offshore Manila shift (UTC+8) and a Friday overnight shift.
#[test]
fn staffed_agents_follow_the_shift_plan_across_time_zones() {
    let s = with_pools(
        "2026-01-05",
        r#"
[[pools]]
name = "l1"
[[pools.shifts]]
start = "08:00"
end = "16:00"
headcount = 4
[[pools.shifts]]
name = "manila"
timezone = "Asia/Manila"
start = "08:00"
end = "17:00"
headcount = 3
[[pools.shifts]]
name = "friday-night"
days = ["fri"]
start = "22:00"
end = "06:00"
headcount = 2
"#,
    );
    let p = &s.pools[0];
    // Time 0 = Monday 00:00 in New York = Monday 13:00 in Manila.
    for (t, want, what) in [
        (0.0, 3, "Manila Monday 13:00"),
        (4.0 * H - 1.0, 3, "Manila 16:59"),
        (4.0 * H, 0, "Manila closes at 17:00 = 04:00 New York"),
        (10.0 * H, 4, "New York day shift"),
        (17.0 * H, 0, "gap between the shifts"),
        (20.0 * H, 3, "Manila Tuesday 09:00"),
        (4.0 * DAY + 19.5 * H, 0, "Manila Saturday 08:30: no shift"),
        (4.0 * DAY + 23.0 * H, 2, "Friday night shift"),
        (
            5.0 * DAY + 5.0 * H,
            2,
            "still Friday's shift on Saturday 05:00",
        ),
        (5.0 * DAY + 6.0 * H, 0, "it ends at 06:00"),
        (
            6.0 * DAY + 20.0 * H,
            3,
            "Manila Monday 09:00 = Sunday 20:00 New York",
        ),
    ] {
        assert_eq!(p.staffed_at(t), want, "t = {t} min: {what}");
    }
    // Agent-hours per week: 4 x 8 x 5 + 3 x 9 x 5 + 2 x 8 = 311.
    let week = p.mean_staffed(7.0 * DAY, 14.0 * DAY) * 168.0;
    assert!((week - 311.0).abs() < 1e-9, "{week}");
    assert_eq!(p.headcount, 4, "the most agents ever scheduled at once");
}

/// A Berlin shift seen from New York across both zones' daylight-saving changes (US on
/// 2026-03-08, EU on 2026-03-29): 09:00 in Berlin is 04:00 in New York on 2026-03-23 (CET vs
/// EDT) and 03:00 on 2026-03-30 (CEST vs EDT).
#[test]
fn shifts_follow_daylight_saving_in_their_own_zone() {
    let s = with_pools(
        "2026-03-16",
        r#"
[[pools]]
name = "l1"
[[pools.shifts]]
timezone = "Europe/Berlin"
start = "09:00"
end = "17:00"
headcount = 5
"#,
    );
    let p = &s.pools[0];
    assert_eq!(
        p.staffed_at(7.0 * DAY + 3.5 * H),
        0,
        "Mon 23 Mar 08:30 Berlin"
    );
    assert_eq!(
        p.staffed_at(7.0 * DAY + 4.0 * H),
        5,
        "Mon 23 Mar 09:00 Berlin"
    );
    assert_eq!(
        p.staffed_at(14.0 * DAY + 3.0 * H),
        5,
        "Mon 30 Mar 09:00 CEST"
    );
    assert_eq!(p.staffed_at(14.0 * DAY + 11.0 * H - 1.0), 5);
    assert_eq!(p.staffed_at(14.0 * DAY + 11.0 * H), 0, "17:00 CEST");
}

/// Shrinkage removes its fraction of scheduled time, spread over the shift like staggered
/// breaks: 6 scheduled at 30% shrinkage are 4 or 5 available, 4.2 on average.
#[test]
fn shrinkage_reduces_available_agents_by_its_fraction() {
    let s = with_pools(
        "2026-01-05",
        r#"
[[pools]]
name = "l1"
shrinkage = 0.3
[[pools.shifts]]
days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
start = "08:00"
end = "20:00"
headcount = 6
"#,
    );
    let p = &s.pools[0];
    let day = p.mean_staffed(7.0 * DAY + 8.0 * H, 7.0 * DAY + 20.0 * H);
    assert!(
        (day - 4.2).abs() <= 1.0 / 48.0,
        "mean over a 12 h shift {day}"
    );
    for k in 0..48 {
        let n = p.staffed_at(7.0 * DAY + 8.0 * H + 15.0 * k as f64);
        assert!(n == 4 || n == 5, "slot {k}: {n}");
    }
    assert_eq!(p.staffed_at(7.0 * DAY + 21.0 * H), 0);
    assert_eq!(p.headcount, 6, "headcount reports scheduled agents");
}

/// No one covers the night: email backlog builds from 16:00 and clears after 08:00.
#[test]
fn backlog_builds_overnight_and_clears_in_the_morning() {
    let mut s = with_pools(
        "2026-01-05",
        r#"
[[pools]]
name = "l1"
[[pools.shifts]]
days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
start = "08:00"
end = "16:00"
headcount = 3
"#,
    );
    s.run.replications = 10;
    let mc = run(&s);
    let cols = mc.layout.columns.len();
    let c = mc
        .layout
        .columns
        .iter()
        .position(|(n, g)| *n == "queue_tickets" && g.label() == "pool=l1")
        .unwrap();
    // Hourly samples at the end of each hour; day 8 of the run (a Tuesday).
    let at = |hour: usize| mc.series.estimate((8 * 24 + hour - 1) * cols + c).0;
    let (night, morning, afternoon) = (at(8), at(10), at(15));
    eprintln!("queue at 08:00 {night:.2}, 10:00 {morning:.2}, 15:00 {afternoon:.2}");
    assert!(night > 12.0, "16 h of arrivals wait overnight: {night}");
    assert!(afternoon < 1.0, "cleared by the afternoon: {afternoon}");
    assert_eq!(est(&mc, "tickets_unresolved_at_end", "all").mean, 0.0);
}

/// Paid labour is scheduled hours x price (shrinkage does not reduce pay), the vendor bill is
/// tickets handed over x price, and the total is their sum in every replication.
#[test]
fn costs_add_up_and_pay_scheduled_hours() {
    let mut s = scenario(
        r#"
name = "costs"
[run]
warmup_days = 1
horizon_days = 7
drain_days = 5
replications = 5
[demand]
tickets_per_hour = 4
channels = { email = 1.0 }
priorities = { P3 = 1.0 }
segments = { s = 1.0 }
required_level = { 1 = 0.9, 4 = 0.1 }
[[pools]]
name = "l1"
shrinkage = 0.3
cost_per_hour_usd = 40
[[pools.shifts]]
days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
start = "00:00"
end = "00:00"
headcount = 10
[[tiers]]
level = 1
pool = "l1"
work_time.default = 10
write_up_min = 5
[vendor]
delay_min = 600
cost_per_ticket_usd = 600
"#,
    );
    s.run.replications = 5;
    let mc = run(&s);
    // 10 agents x 168 h x $40, shrinkage or not.
    assert_eq!(est(&mc, "labour_cost_usd", "pool=l1").mean, 67_200.0);
    let col = |m: &str| -> Vec<f64> { mc.column(mc.catalog.find(m, "all").unwrap()).collect() };
    let (vendor, total) = (col("vendor_cost_usd"), col("cost_usd"));
    for (v, t) in vendor.iter().zip(&total) {
        assert!(*v > 0.0 && v % 600.0 == 0.0, "{v}");
        assert_eq!(*t, 67_200.0 + v, "total = labour + vendor");
    }
    // The measured window is one week.
    assert_eq!(
        est(&mc, "cost_usd_per_week", "all").mean,
        est(&mc, "cost_usd", "all").mean
    );
    let per = est(&mc, "cost_per_resolved_ticket_usd", "all").mean;
    assert!(per > 67_200.0 / (4.0 * 168.0 * 1.1), "{per}");
}

/// Hand-over at shift end: with `handover_min` the leaving agents put their tickets down at
/// 12:00 (nobody is busy after the shift; the tickets wait for the next morning and cost the
/// hand-over time once more), without it they finish them after 12:00.
#[test]
fn shift_end_hands_over_tickets_or_finishes_them() {
    let text = |handover: &str| {
        format!(
            r#"
name = "handover"
[run]
warmup_days = 7
horizon_days = 14
drain_days = 2
replications = 20
timeseries_interval_min = 15
[demand]
tickets_per_hour = 0.25
channels = {{ email = 1.0 }}
priorities = {{ P3 = 1.0 }}
segments = {{ s = 1.0 }}
required_level = {{ 1 = 1.0 }}
[[pools]]
name = "l1"
{handover}
[[pools.shifts]]
days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
start = "08:00"
end = "12:00"
headcount = 2
[[tiers]]
level = 1
pool = "l1"
work_time.default = {{ dist = "exponential", mean_min = 45 }}
"#
        )
    };
    let finish = run(&scenario(&text("")));
    let hand = run(&scenario(&text("handover_min = 5")));
    let busy = |mc: &supportsim::montecarlo::MonteCarlo, day: usize, minute: usize| {
        let cols = mc.layout.columns.len();
        let c = mc
            .layout
            .columns
            .iter()
            .position(|(n, g)| *n == "busy_agents" && g.label() == "pool=l1")
            .unwrap();
        mc.series
            .estimate(((day * 1440 + minute) / 15 - 1) * cols + c)
            .0
    };
    let mut after_finish = 0.0;
    for day in 8..20 {
        assert_eq!(busy(&hand, day, 12 * 60 + 15), 0.0, "day {day}");
        after_finish += busy(&finish, day, 12 * 60 + 15);
    }
    assert!(
        after_finish > 1.0,
        "agents finish after 12:00: {after_finish}"
    );
    let h = est(&hand, "shift_handovers_per_ticket", "all").mean;
    assert!(h > 0.05, "{h}");
    assert!(
        finish
            .catalog
            .find("shift_handovers_per_ticket", "all")
            .is_none()
    );
    // Each hand-over adds its 5 minutes of agent time; the work itself is never repeated.
    let minutes = |mc| est(mc, "agent_minutes_per_ticket", "all").mean;
    let expected = minutes(&finish) + 5.0 * h;
    assert!(
        (minutes(&hand) - expected).abs() < 0.02 * expected,
        "{} vs {expected}",
        minutes(&hand)
    );
    assert_eq!(est(&hand, "tickets_unresolved_at_end", "all").mean, 0.0);
    // Handed-over tickets wait for the morning: resolution takes longer than finishing.
    assert!(
        est(&hand, "resolution_time_min", "all").mean
            > est(&finish, "resolution_time_min", "all").mean
    );
}

/// A saturated pool of `agents` working 08:00-12:00 every day: at 12:00 each agent has a
/// ticket in hand and finishes it, whatever the queue, then leaves.
fn saturated_morning(agents: u32, work: &str, reps: u32) -> Scenario {
    scenario(&format!(
        r#"
name = "past-shift-end"
[run]
warmup_days = 7
horizon_days = 14
drain_days = 1
replications = {reps}
[demand]
tickets_per_hour = 2
channels = {{ email = 1.0 }}
priorities = {{ P3 = 1.0 }}
segments = {{ s = 1.0 }}
required_level = {{ 1 = 1.0 }}
[[pools]]
name = "l1"
[[pools.shifts]]
days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
start = "08:00"
end = "12:00"
headcount = {agents}
[[tiers]]
level = 1
pool = "l1"
work_time.default = {work}
"#
    ))
}

/// Work past shift ends, exactly: two agents start 50-minute tickets at 08:00, 08:50, ...,
/// 11:20, so each works 10 minutes past 12:00 every day: 2 x 10 x 7 = 140 agent-minutes a
/// week. Present time includes them, so a pool busy whenever anyone is there is at
/// utilisation 1. A pool whose staffing never changes has none.
#[test]
fn work_past_shift_ends_is_the_work_in_hand_at_the_end() {
    let mc = run(&saturated_morning(2, "50", 2));
    let late = est(&mc, "past_shift_end_hours_per_week", "pool=l1");
    assert!(
        (late.mean - 140.0 / 60.0).abs() < 1e-9 && late.std_error < 1e-9,
        "{late:?}"
    );
    let u = est(&mc, "utilisation", "pool=l1").mean;
    assert!((u - 1.0).abs() < 1e-12, "{u}");
    let flat = run(&scenario(&mmc_toml(10.0, 6.0, 2, None, 10.0, 2, 2.0)));
    assert_eq!(
        est(&flat, "past_shift_end_hours_per_week", "pool=agents").mean,
        0.0
    );
}

/// The same with exponential work (mean 45 min): by memorylessness each of the two agents
/// busy at 12:00 has Exp(45) left, so they work 2 x 45 minutes past the end a day on
/// average, 10.5 agent-hours a week; within 4 SE over 40 replications.
#[test]
fn work_past_shift_ends_matches_the_memoryless_residual() {
    let mc = run(&saturated_morning(
        2,
        r#"{ dist = "exponential", mean_min = 45 }"#,
        40,
    ));
    let late = est(&mc, "past_shift_end_hours_per_week", "pool=l1");
    assert_within_se("hours past shift end", &late, 2.0 * 45.0 * 7.0 / 60.0, 4.0);
}
