//! Engine mechanics on cases whose answer is known exactly or in distribution.

use crate::common::*;
use supportsim::montecarlo::MonteCarlo;

fn series_mean(mc: &MonteCarlo, series: &str, group: &str, k: usize) -> f64 {
    let cols = mc.layout.columns.len();
    let c = mc
        .layout
        .columns
        .iter()
        .position(|(s, g)| *s == series && g.label() == group)
        .unwrap_or_else(|| panic!("no series {series} {group}"));
    mc.series.estimate(k * cols + c).0
}

/// Two tiers with constant times and plenty of agents; every ticket needs level 2 and pays a
/// 20-minute handoff and a 60-minute re-explain round trip.
const ESCALATION_PATH: &str = r#"
name = "path"
[run]
warmup_days = 0.5
horizon_days = 2
drain_days = 1
replications = 3
[demand]
tickets_per_hour = 2
channels = { email = 1.0 }
priorities = { P3 = 1.0 }
segments = { s = 1.0 }
required_level = { 2 = 1.0 }
[[pools]]
name = "l1"
headcount = 50
[[pools]]
name = "l2"
headcount = 50
[[tiers]]
level = 1
pool = "l1"
work_time.default = 10
write_up_min = 5
[[tiers]]
level = 2
pool = "l2"
work_time.default = 30
regather_min = 7
[escalation]
handoff_delay_min = 20
re_explain_probability = 1.0
re_explain_delay_min = 60
"#;

/// Two tiers, constant times and plenty of agents: every level-2 ticket takes exactly
/// L1 work + write-up + handoff + L2 re-gather + L2 work, with one handoff and one re-explain.
#[test]
fn deterministic_escalation_path_takes_exactly_the_sum_of_its_steps() {
    let text = ESCALATION_PATH;
    let mc = run(&scenario(text));
    let e = est(&mc, "resolution_time_min", "all");
    assert!(
        (e.mean - 132.0).abs() < 1e-9,
        "10 + 5 + 20 + 60 + 7 + 30 = 132, got {}",
        e.mean
    );
    assert_eq!(est(&mc, "first_response_time_min", "all").mean, 0.0);
    assert_eq!(est(&mc, "handoffs_per_ticket", "all").mean, 1.0);
    assert_eq!(est(&mc, "re_explains_per_ticket", "all").mean, 1.0);
    assert_eq!(est(&mc, "escalation_rate", "all").mean, 1.0);
    assert_eq!(est(&mc, "first_contact_resolution_rate", "all").mean, 0.0);
    // Pooled quantiles of a constant are the constant (within the histogram's bucket width).
    let q = mc
        .summary()
        .into_iter()
        .find(|r| r.metric == "resolution_time_min" && r.group == "all")
        .unwrap();
    let p90 = q.quantiles.unwrap()[1];
    assert!((p90 - 132.0).abs() / 132.0 < 0.008, "{p90}");
}

/// A level-4 ticket climbs every tier, then waits for the vendor: its resolution time is the
/// sum of every step plus the vendor delay, with one handoff per hop (the vendor included).
#[test]
fn vendor_tickets_climb_every_tier_then_wait_for_the_vendor() {
    let text = r#"
name = "vendor"
[run]
warmup_days = 0.5
horizon_days = 2
drain_days = 5
replications = 2
[demand]
tickets_per_hour = 1
channels = { email = 1.0 }
priorities = { P2 = 1.0 }
segments = { s = 1.0 }
required_level = { 4 = 1.0 }
[[pools]]
name = "l1"
headcount = 50
[[pools]]
name = "l2"
headcount = 50
[[tiers]]
level = 1
pool = "l1"
work_time.default = 10
write_up_min = 5
[[tiers]]
level = 2
pool = "l2"
work_time.default = 30
write_up_min = 6
regather_min = 7
[escalation]
handoff_delay_min = 20
[vendor]
delay_min = 2880
"#;
    let mc = run(&scenario(text));
    // L1 10 + 5, handoff 20, L2 7 + 30 + 6, handoff 20, vendor 2880.
    assert!((est(&mc, "resolution_time_min", "all").mean - 2978.0).abs() < 1e-9);
    assert_eq!(est(&mc, "handoffs_per_ticket", "all").mean, 2.0);
    assert!(est(&mc, "utilisation", "pool=l1").mean > 0.0);
}

/// A bounce back costs the receiver's re-gather, a return handoff and the sender's re-write,
/// and happens at most once per hop: with probability b the ticket has 3 handoffs, else 1.
#[test]
fn bounce_backs_add_two_handoffs_with_their_probability() {
    let text = r#"
name = "bounce"
[run]
warmup_days = 0.5
horizon_days = 10
drain_days = 1
replications = 20
[demand]
tickets_per_hour = 5
channels = { email = 1.0 }
priorities = { P3 = 1.0 }
segments = { s = 1.0 }
required_level = { 2 = 1.0 }
[[pools]]
name = "l1"
headcount = 50
[[pools]]
name = "l2"
headcount = 50
[[tiers]]
level = 1
pool = "l1"
work_time.default = 10
write_up_min = 5
[[tiers]]
level = 2
pool = "l2"
work_time.default = 30
regather_min = 7
[escalation]
bounce_back_probability = 0.3
"#;
    let mc = run(&scenario(text));
    assert_within_se(
        "handoffs per ticket = 1 + 2b",
        &est(&mc, "handoffs_per_ticket", "all"),
        1.6,
        4.0,
    );
    // Resolution: 52 min without a bounce; a bounce adds 7 (re-gather) + 5 (re-write) = 64.
    assert_within_se(
        "resolution time = 52 + 12b",
        &est(&mc, "resolution_time_min", "all"),
        52.0 + 0.3 * 12.0,
        4.0,
    );
}

/// Pools work only during their hours: nobody is on duty or busy at night, tickets that
/// arrive at night wait until 09:00 local, and the weekend backlog clears on Monday.
#[test]
fn pool_hours_gate_service_in_local_time() {
    let text = r#"
name = "hours"
[run]
start_date = "2026-03-02"
warmup_days = 0
horizon_days = 14
drain_days = 3
replications = 10
[demand]
tickets_per_hour = 4
timezone = "Europe/Berlin"
channels = { email = 1.0 }
priorities = { P3 = 1.0 }
segments = { s = 1.0 }
required_level = { 1 = 1.0 }
[[pools]]
name = "l1"
headcount = 4
hours = { days = ["mon", "tue", "wed", "thu", "fri"], start = "09:00", end = "17:00" }
[[tiers]]
level = 1
pool = "l1"
work_time.default = 5
"#;
    let s = scenario(text);
    let mc = run(&s);
    for (k, &t) in mc.layout.times.iter().enumerate() {
        let local =
            supportsim::scenario::calendar::local_label(s.run.start_date, &s.run.timezone, t);
        let hour: u32 = local[11..13].parse().unwrap();
        let weekend = local.ends_with("Sat") || local.ends_with("Sun");
        let on = series_mean(&mc, "on_duty_agents", "pool=l1", k);
        let busy = series_mean(&mc, "busy_agents", "pool=l1", k);
        let should = !weekend && (9..17).contains(&hour) && !(hour == 9 && local[14..16] == *"00");
        if weekend || !(9..=17).contains(&hour) {
            assert_eq!(on, 0.0, "on duty at {local}");
            assert_eq!(busy, 0.0, "busy at {local}");
        } else if should {
            assert_eq!(on, 4.0, "not on duty at {local}");
        }
    }
    // Night and weekend arrivals wait for the morning: the mean first response is hours.
    let fr = est(&mc, "first_response_time_min", "all").mean;
    assert!(fr > 300.0, "first response {fr} min");
    // Monday 08:00 (after the weekend): the backlog holds all weekend arrivals, ~ 4/h x 63 h.
    let monday8 = mc
        .layout
        .times
        .iter()
        .position(|&t| (t - (7.0 * 1440.0 + 8.0 * 60.0)).abs() < 1e-9)
        .unwrap();
    let backlog = series_mean(&mc, "backlog_tickets", "all", monday8);
    assert!(
        (backlog - 4.0 * 63.0).abs() < 30.0,
        "Monday 08:00 backlog {backlog}"
    );
    let monday17 = monday8 + 9;
    assert!(
        series_mean(&mc, "backlog_tickets", "all", monday17) < 5.0,
        "backlog cleared by 17:00"
    );
}

/// Arrivals follow the weekly and hourly profile in local time (daylight-saving included),
/// and a surge multiplies the rate for its duration.
#[test]
fn arrivals_follow_profiles_and_surges() {
    let text = r#"
name = "profile"
[run]
warmup_days = 0
horizon_days = 7
drain_days = 0
replications = 200
[demand]
tickets_per_week = 1680
timezone = "UTC"
weekday_weights = [2, 1, 1, 1, 1, 1, 0]
hour_weights = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]
channels = { email = 1.0 }
priorities = { P3 = 1.0 }
segments = { s = 1.0 }
required_level = { 0 = 1.0, 1 = 0.0 }
[[demand.surges]]
start_day = 2.4375
duration_hours = 2
multiplier = 5
[[pools]]
name = "l1"
headcount = 1
[[tiers]]
level = 1
pool = "l1"
work_time.default = 1
"#;
    let _ = text;
    // Every ticket deflected is rejected (nothing would reach an agent), so keep 1% at level 1.
    let text = text.replace(
        "required_level = { 0 = 1.0, 1 = 0.0 }",
        "required_level = { 0 = 0.99, 1 = 0.01 }",
    );
    let mc = run(&scenario(&text));
    // Base 10/h. Weekday weights have mean 1: Monday 2, Tuesday..Saturday 1, Sunday 0. Hour
    // weights have mean 16/24: hour 10 weighs 4.5, hours 11..23 weigh 1.5, hours 0..9 nothing.
    let per_h = |day: f64, hour: f64| -> f64 {
        let k = (day * 24.0 + hour) as usize; // row k counts arrivals in hour [k, k+1)
        series_mean(&mc, "arrivals_per_interval", "all", k)
    };
    let cases = [
        (0.0, 3.0, 0.0),               // Monday night
        (0.0, 10.0, 10.0 * 2.0 * 4.5), // Monday 10:00
        (1.0, 12.0, 10.0 * 1.0 * 1.5), // Tuesday 12:00
        (6.0, 12.0, 0.0),              // Sunday
        (2.0, 11.0, 10.0 * 1.5 * 5.0), // Wednesday 11:00-12:00, inside the surge (10:30-12:30)
        (2.0, 10.0, 10.0 * 4.5 * 3.0), // Wednesday 10:00-11:00, half inside: (1 + 5) / 2 = 3x
    ];
    for (day, hour, want) in cases {
        let got = per_h(day, hour);
        let se = (want / 200.0f64).sqrt(); // Poisson counts over 200 replications
        assert!(
            (got - want).abs() <= 4.0 * se + 1e-9,
            "day {day} hour {hour}: {got} vs {want}"
        );
    }
}

/// Gamma day multipliers make daily counts over-dispersed: variance = mean + (cv mean)^2.
#[test]
fn daily_dispersion_inflates_variance_of_daily_counts() {
    let text = |cv: f64| {
        format!(
            r#"
name = "disp"
[run]
warmup_days = 0
horizon_days = 1
drain_days = 0
replications = 400
[demand]
tickets_per_hour = 20
daily_dispersion_cv = {cv}
channels = {{ email = 1.0 }}
priorities = {{ P3 = 1.0 }}
segments = {{ s = 1.0 }}
required_level = {{ 1 = 1.0 }}
[[pools]]
name = "l1"
headcount = 30
[[tiers]]
level = 1
pool = "l1"
work_time.default = 1
"#
        )
    };
    for cv in [0.0, 0.3] {
        let mc = run(&scenario(&text(cv)));
        let e = est(&mc, "tickets_arrived", "all");
        let var = e.std_dev * e.std_dev;
        let want = 480.0 + (cv * 480.0f64).powi(2);
        // The sample variance of 400 values has relative SE about sqrt(2/399) (~7%) for a
        // Poisson count, more with gamma mixing: allow 30%.
        assert!(
            (var - want).abs() / want < 0.3,
            "cv {cv}: variance {var} vs {want}"
        );
        assert!(
            (e.mean - 480.0).abs() < 4.0 * e.std_error,
            "cv {cv}: mean {}",
            e.mean
        );
    }
}

/// Customers who abandon a live wait and leave a message become email tickets: they count in
/// the abandonment rate of the live channel but are then answered and resolved.
#[test]
fn abandoned_customers_who_leave_a_message_are_still_resolved() {
    let base = mmc_toml(110.0, 6.0, 10, Some(1.0), 1.0, 10, 2.0);
    let lost = run(&scenario(&base));
    let kept = run(&scenario(&base.replace(
        "[customers.patience]",
        "[customers]\nabandon_to_email_probability = 1.0\n[customers.patience]",
    )));
    assert!(est(&lost, "tickets_abandoned", "all").mean > 100.0);
    assert_eq!(est(&kept, "tickets_abandoned", "all").mean, 0.0);
    assert!(est(&kept, "abandonment_rate", "channel=phone").mean > 0.1);
    let arrived = est(&kept, "tickets_arrived", "all").mean;
    let resolved = est(&kept, "tickets_resolved", "all").mean;
    assert_eq!(arrived, resolved, "every ticket resolved");
}

/// Tickets arriving during the warm-up are not counted; the window's arrivals match its length.
#[test]
fn warm_up_arrivals_are_excluded() {
    let s = scenario(&mmc_toml(60.0, 6.0, 10, None, 1.0, 30, 2.0));
    let mc = run(&s);
    // 60/h over the 2-day window; the 1-day warm-up would add 1440 more.
    assert_within_se(
        "window arrivals",
        &est(&mc, "tickets_arrived", "all"),
        2880.0,
        4.0,
    );
}

/// Under overload the run stays bounded: a replication stops at `max_open_tickets` and is flagged.
#[test]
fn overload_is_bounded_and_flagged() {
    let text = mmc_toml(200.0, 6.0, 10, None, 1.0, 4, 30.0)
        .replace("seed = 11", "seed = 11\nmax_open_tickets = 5000");
    let s = scenario(&text);
    assert!(
        s.warnings.iter().any(|w| w.contains(">= 1")),
        "{:?}",
        s.warnings
    );
    let mc = run(&s);
    assert_eq!(mc.unstable, 4);
    assert_eq!(est(&mc, "unstable_replication", "all").mean, 1.0);
}

/// Per-segment mixes override the global ones for that segment only.
#[test]
fn segment_overrides_change_only_their_segment() {
    let text = r#"
name = "segments"
[run]
warmup_days = 0
horizon_days = 7
drain_days = 2
replications = 20
[demand]
tickets_per_hour = 20
channels = { email = 1.0 }
priorities = { P3 = 0.5, P4 = 0.5 }
segments = { enterprise = 0.25, smb = 0.75 }
required_level = { 1 = 1.0 }
[demand.by_segment.enterprise]
priorities = { P1 = 0.8, P2 = 0.2 }
[[pools]]
name = "l1"
headcount = 10
[[tiers]]
level = 1
pool = "l1"
work_time.default = 5
"#;
    let mc = run(&scenario(text));
    let n = |g: &str| est(&mc, "tickets_arrived", g).mean;
    let total = 20.0 * 24.0 * 7.0;
    assert_eq!(n("priority=P1,segment=smb"), 0.0);
    assert_eq!(n("priority=P3,segment=enterprise"), 0.0);
    let p1 = est(&mc, "tickets_arrived", "priority=P1");
    assert_within_se("P1 tickets = 0.25 x 0.8 x total", &p1, 0.2 * total, 4.0);
    assert_within_se(
        "P4 tickets = 0.75 x 0.5 x total",
        &est(&mc, "tickets_arrived", "priority=P4"),
        0.375 * total,
        4.0,
    );
}

/// Compound monthly growth: over one month at +50%/month the expected count is
/// rate x month x (1.5 - 1) / ln 1.5.
#[test]
fn growth_compounds_monthly() {
    let text = r#"
name = "growth"
[run]
warmup_days = 0
horizon_days = 30.4375
drain_days = 0
replications = 40
[demand]
tickets_per_hour = 10
growth_per_month = 0.5
channels = { email = 1.0 }
priorities = { P3 = 1.0 }
segments = { s = 1.0 }
required_level = { 0 = 0.99, 1 = 0.01 }
[[pools]]
name = "l1"
headcount = 1
[[tiers]]
level = 1
pool = "l1"
work_time.default = 1
"#;
    let mc = run(&scenario(text));
    let month_h = 30.4375 * 24.0;
    let want = 10.0 * month_h * 0.5 / 1.5f64.ln();
    assert_within_se(
        "arrivals over a month of 50% growth",
        &est(&mc, "tickets_arrived", "all"),
        want,
        4.0,
    );
}

/// A business-hours resolution target on a 24x7 operation: every ticket takes exactly 60 wall
/// minutes; the target allows 30 business minutes (Mon-Fri 09:00-17:00, one holiday). A ticket
/// misses exactly when it arrives in the 480 minutes (s - 30, e - 30) of a working day, so with
/// flat demand attainment is 1 - 19 x 480 / (28 x 1440) over the four measured weeks.
#[test]
fn business_hours_clock_counts_only_open_minutes() {
    let text = |zone: &str| {
        format!(
            r#"
name = "clock"
[run]
start_date = "2026-01-05"
warmup_days = 7
horizon_days = 28
drain_days = 2
replications = 20
seed = 3
[demand]
tickets_per_hour = 6
timezone = "America/New_York"
channels = {{ email = 1.0 }}
priorities = {{ P3 = 1.0 }}
segments = {{ s = 1.0 }}
required_level = {{ 1 = 1.0 }}
[[pools]]
name = "l1"
headcount = 60
[[tiers]]
level = 1
pool = "l1"
work_time.default = 60
[[calendars]]
name = "office"
timezone = "{zone}"
holidays = ["2026-01-19"]
[[sla]]
resolution = {{ target_min = 30, clock = "office" }}
"#
        )
    };
    let expected = 1.0 - 19.0 * 480.0 / (28.0 * 1440.0);
    for zone in ["America/New_York", "Europe/London"] {
        let mc = run(&scenario(&text(zone)));
        assert_within_se(
            &format!("business-hours attainment ({zone})"),
            &est(&mc, "sla_resolution_attainment", "all"),
            expected,
            4.0,
        );
    }
    // The same target on the wall clock: nothing is resolved within 30 minutes.
    let wall = text("America/New_York").replace(", clock = \"office\"", "");
    let mc = run(&scenario(&wall));
    assert_eq!(est(&mc, "sla_resolution_attainment", "all").mean, 0.0);
}

/// `pause_on_customer`: the re-explain round trip (60 min) does not count against the
/// resolution clock: 132 wall minutes are 72 on the clock, within a 100-minute target.
#[test]
fn resolution_clock_pauses_while_waiting_on_the_customer() {
    let text = |pause: bool| {
        format!(
            "{ESCALATION_PATH}[[sla]]\nresolution = {{ target_min = 100, pause_on_customer = {pause} }}\n"
        )
    };
    let paused = run(&scenario(&text(true)));
    assert_eq!(est(&paused, "sla_resolution_attainment", "all").mean, 1.0);
    let wall = run(&scenario(&text(false)));
    assert_eq!(est(&wall, "sla_resolution_attainment", "all").mean, 0.0);
    assert_eq!(est(&wall, "resolution_time_min", "all").mean, 132.0);
}

/// Every metric of every bundled scenario's catalog is described (unit, direction) in the
/// metric table, so comparisons never fall back to "neutral" for a metric by accident.
#[test]
fn every_catalog_metric_has_a_unit_and_a_direction() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let s = supportsim::scenario::Scenario::load(&path).unwrap();
        for d in &supportsim::measure::Catalog::new(&s).defs {
            assert!(
                supportsim::measure::metric::info(d.metric).is_some(),
                "{}: metric {} is not in measure::metric::METRICS",
                path.display(),
                d.metric
            );
        }
    }
}
