//! Tier 0 (`[tier0]`): a bot in front of the first human stage. Shares against their
//! configured probabilities (4 standard errors on fixed seeds), bot time counted in the first
//! human response, repeat contacts, and deflect-easy-first on the issue's example: 20% of
//! contacts averaging 3 min resolved by the bot out of a 6-minute mean leave a 6.75-minute
//! mean and 10% less human work, exactly, on a deterministic fixture.

use crate::common::*;
use supportsim::engine::simulate_with_sink;
use supportsim::measure::{Catalog, TicketOutcome, TicketRecord, TicketSink};
use supportsim::model::load::pool_loads;
use supportsim::scenario::Scenario;

const Z: f64 = 4.0;

/// A single-tier phone desk with ample agents (nobody waits), a given work time and extra
/// TOML (the `[tier0]` tables).
fn desk(work: &str, agents: u32, reps: u32, extra: &str) -> String {
    format!(
        r#"
name = "tier0"
[run]
warmup_days = 1
horizon_days = 3
drain_days = 2
replications = {reps}
seed = 5
[demand]
tickets_per_hour = 30
channels = {{ phone = 0.5, chat = 0.5 }}
priorities = {{ P3 = 1.0 }}
segments = {{ all = 1.0 }}
required_level = {{ 1 = 1.0 }}
[[pools]]
name = "l1"
headcount = {agents}
[[tiers]]
level = 1
pool = "l1"
work_time.default = {work}
{extra}
"#
    )
}

#[test]
fn involvement_containment_and_leakage_follow_the_configured_shares() {
    let bot = r#"
[tier0.chat]
involvement = 0.6
resolution = 0.5
time_in_bot_min = { dist = "exponential", mean_min = 4 }
"#;
    let s = scenario(&desk(
        r#"{ dist = "exponential", mean_min = 6 }"#,
        40,
        40,
        bot,
    ));
    let mc = run(&s);
    // Only chat has a bot: groups are `all` (= chat).
    assert_within_se(
        "involvement",
        &est(&mc, "bot_involvement_rate", "all"),
        0.6,
        Z,
    );
    assert_within_se(
        "containment",
        &est(&mc, "bot_containment_rate", "all"),
        0.3,
        Z,
    );
    assert_within_se("leakage", &est(&mc, "bot_leakage_rate", "all"), 0.5, Z);
    assert_within_se("time in bot", &est(&mc, "time_in_bot_min", "all"), 4.0, Z);
    // No repeats configured: net containment equals containment, replication by replication.
    let raw = est(&mc, "bot_containment_rate", "all");
    let net = est(&mc, "bot_net_containment_rate", "all");
    assert_eq!(raw.mean, net.mean);
    assert_eq!(est(&mc, "bot_repeat_contacts", "all").mean, 0.0);
    // Contained chats count as deflected: half the contacts are chat, 30% of those contained.
    assert_within_se("deflection", &est(&mc, "deflection_rate", "all"), 0.15, Z);
    // Metrics of files without a bot stay out of the catalog.
    let plain = scenario(&desk("6", 40, 2, ""));
    let cat = Catalog::new(&plain);
    assert!(cat.defs.iter().all(|d| !d.metric.contains("bot")));
}

#[test]
fn bot_time_counts_in_the_first_human_response_from_first_contact() {
    // Ample agents: nobody waits for a human, so the first human response of a contact that
    // met the bot is exactly its time in the bot (5 min), and 0 for the others.
    let bot = r#"
[tier0]
priority_bump_share = 0.5
[tier0.phone]
involvement = 0.5
resolution = 0.0
time_in_bot_min = 5
[tier0.chat]
involvement = 0.5
resolution = 0.0
time_in_bot_min = 5
"#;
    let s = scenario(&desk("6", 200, 10, bot));
    let mc = run(&s);
    let after = est(&mc, "first_human_response_after_bot_min", "all");
    assert!((after.mean - 5.0).abs() < 1e-9, "{after:?}");
    assert!((est(&mc, "bot_leakage_rate", "channel=phone").mean - 1.0).abs() < 1e-12);
    // Everyone is answered: the mean first response is 5 x the involved share.
    let fr = est(&mc, "first_response_time_min", "all");
    let inv = est(&mc, "bot_involvement_rate", "all");
    assert!((fr.mean - 5.0 * inv.mean).abs() < 0.05, "{fr:?} vs {inv:?}");
    assert_within_se("involvement", &inv, 0.5, Z);
    // Half the leaked contacts (all involved ones leak) arrive one priority up: P3 -> P2.
    let arrived = est(&mc, "tickets_arrived", "all").mean;
    let p2 = est(&mc, "tickets_arrived", "priority=P2").mean;
    let bumps = est(&mc, "bot_priority_bumps", "all").mean;
    assert_eq!(p2, bumps);
    let share = p2 / arrived;
    let se = (0.25 * 0.75 / (arrived * 10.0)).sqrt();
    assert!(
        (share - 0.25).abs() < Z * se,
        "bumped share {share} vs 0.25 (SE {se})"
    );
}

#[test]
fn repeat_contacts_come_back_to_a_human_and_net_containment_drops() {
    let bot = r#"
[tier0]
repeat_share = 0.25
containment_window_hours = 24
[tier0.chat]
involvement = 1.0
resolution = 0.4
[tier0.phone]
involvement = 1.0
resolution = 0.4
"#;
    let s = scenario(&desk("6", 40, 40, bot));
    let mc = run(&s);
    assert_within_se(
        "containment",
        &est(&mc, "bot_containment_rate", "all"),
        0.4,
        Z,
    );
    assert_within_se(
        "net containment",
        &est(&mc, "bot_net_containment_rate", "all"),
        0.4 * 0.75,
        Z,
    );
    // Repeats reach a human: resolved = arrived - deflected (nothing else leaves).
    let arrived = est(&mc, "tickets_arrived", "all").mean;
    let deflected = est(&mc, "tickets_deflected", "all").mean;
    let resolved = est(&mc, "tickets_resolved", "all").mean;
    assert!((arrived - deflected - resolved).abs() < 1e-9);
    // A repeat comes back uniformly within 24 h: its resolution time averages about 12 h.
    let res = est(&mc, "resolution_time_min", "all").mean;
    let share_repeat = 0.1 / (1.0 - 0.3);
    let expect = share_repeat * 12.0 * 60.0 + 6.0;
    assert!((res - expect).abs() < 0.1 * expect, "{res} vs {expect}");
}

/// The issue's example: 20% of contacts at 3 min, 80% at 6.75 min (mean 6), the bot involved
/// in every contact and resolving the 20% shortest.
fn easy_first(selectivity: f64) -> String {
    let mut samples = vec!["3"; 2];
    samples.extend(["6.75"; 8]);
    let work = format!(
        r#"{{ dist = "empirical", samples_min = [{}] }}"#,
        samples.join(", ")
    );
    let bot = format!(
        r#"
[tier0]
selectivity = {selectivity}
[tier0.chat]
involvement = 1.0
resolution = 0.2
[tier0.phone]
involvement = 1.0
resolution = 0.2
"#
    );
    desk(&work, 200, 20, &bot)
}

#[test]
fn deflecting_the_easy_ones_first_leaves_6_75_min_and_10_percent_less_work_exactly() {
    let no_bot = scenario(&desk(
        r#"{ dist = "empirical", samples_min = [3, 3, 6.75, 6.75, 6.75, 6.75, 6.75, 6.75, 6.75, 6.75] }"#,
        200,
        20,
        "",
    ));
    let bot = scenario(&easy_first(1.0));
    let (a, b) = (&pool_loads(&no_bot)[0], &pool_loads(&bot)[0]);
    assert_eq!(a.work_per_ticket_min, 6.0);
    assert_eq!(b.work_per_ticket_min, 6.75, "remaining mean work time");
    let drop = 1.0 - b.offered_erlangs / a.offered_erlangs;
    assert!((drop - 0.10).abs() < 1e-12, "human workload drop {drop}");
    // Uniform selection removes 20% of the work with 20% of the contacts.
    let u = &pool_loads(&scenario(&easy_first(0.0)))[0];
    assert!((u.work_per_ticket_min - 6.0).abs() < 1e-12);
    assert!((1.0 - u.offered_erlangs / a.offered_erlangs - 0.2).abs() < 1e-12);
}

#[derive(Default)]
struct Records(Vec<TicketRecord>);
impl TicketSink for Records {
    fn record(&mut self, r: &TicketRecord) {
        self.0.push(*r);
    }
}

fn records(s: &Scenario, i: u32) -> Vec<TicketRecord> {
    let cat = Catalog::new(s);
    let mut sink = Records::default();
    simulate_with_sink(s, &cat, i, &mut sink);
    sink.0.sort_by_key(|r| r.ticket);
    sink.0
}

#[test]
fn the_bot_resolves_exactly_the_tickets_whose_own_work_draw_is_short() {
    // Common random numbers: ticket n draws the same work time with or without a bot. With
    // ample agents a ticket's resolution time is its work time, so the no-bot run shows each
    // ticket's draw; the strictly selective bot contains exactly the 3-minute ones.
    let no_bot = scenario(&desk(
        r#"{ dist = "empirical", samples_min = [3, 3, 6.75, 6.75, 6.75, 6.75, 6.75, 6.75, 6.75, 6.75] }"#,
        200,
        3,
        "",
    ));
    let bot = scenario(&easy_first(1.0));
    for i in 0..3 {
        let (a, b) = (records(&no_bot, i), records(&bot, i));
        assert_eq!(a.len(), b.len(), "the same contacts arrive");
        let (mut contained, mut human_sum, mut human_n) = (0usize, 0.0, 0usize);
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x.ticket, y.ticket);
            // Resolution = arrival + work - arrival: exact up to rounding of the clock.
            let short = (x.resolution_min - 3.0).abs() < 1e-6;
            assert_eq!(
                y.outcome == TicketOutcome::Contained,
                short,
                "ticket {}",
                x.ticket
            );
            if short {
                contained += 1;
            } else {
                assert!((x.resolution_min - 6.75).abs() < 1e-6);
                human_sum += y.resolution_min;
                human_n += 1;
            }
        }
        assert!(contained > 0);
        let mean = human_sum / human_n as f64;
        assert!(
            (mean - 6.75).abs() < 1e-9,
            "remaining mean work time {mean}"
        );
    }
}

#[test]
fn a_file_without_tier0_is_unchanged_and_a_bad_tier0_names_its_keys() {
    let err = Scenario::from_toml_str(
        &desk(
            "6",
            5,
            2,
            r#"
[tier0]
selectivity = 2
containment_window_hours = 0
[tier0.chat]
involvement = 1.5
resolution = 0.2
[tier0.by_segment.nobody]
involvement = 0.1
"#,
        ),
        std::path::Path::new("bot.toml"),
    )
    .unwrap_err()
    .to_string();
    for key in [
        "tier0.selectivity",
        "tier0.containment_window_hours",
        "tier0.chat.involvement",
        "tier0.by_segment.nobody",
        "bot.toml",
    ] {
        assert!(err.contains(key), "{key} missing in:\n{err}");
    }
    let err = Scenario::from_toml_str(&desk("6", 5, 2, "[tier0]\n"), std::path::Path::new("x"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("configures no channel"), "{err}");
}

/// A chat desk whose bot matures over `horizon_days` (warm-up 7 days), with `keys` in the
/// `[tier0.chat]` table; every contact meets the bot (involvement 1, no repeats).
fn maturing(keys: &str, horizon_days: u32) -> String {
    desk(
        r#"{ dist = "exponential", mean_min = 6 }"#,
        40,
        20,
        &format!("[tier0.chat]\ninvolvement = 1\nresolution = 0.2\n{keys}\n"),
    )
    .replace(
        "warmup_days = 1\nhorizon_days = 3",
        &format!("warmup_days = 7\nhorizon_days = {horizon_days}"),
    )
}

#[test]
fn a_maturing_bot_follows_its_curve_week_by_week() {
    // resolution(t) = 0.6 - 0.4 exp(-t / 1 month): each week's net containment is the curve's
    // mean over that week (arrivals are uniform in time, every contact meets the bot).
    let s = scenario(&maturing(
        "mature_resolution = 0.6\nmaturity_months = 1",
        56,
    ));
    let mc = run(&s);
    let month_min = 365.25 / 12.0 * 1440.0;
    let curve = |t: f64| 0.6 - 0.4 * (-t / month_min).exp();
    let mut weeks = 0;
    for w in 0..8 {
        let (from, to) = (
            (7.0 + 7.0 * w as f64) * 1440.0,
            (14.0 + 7.0 * w as f64) * 1440.0,
        );
        let n = 1000;
        let mean: f64 = (0..n)
            .map(|i| curve(from + (i as f64 + 0.5) * (to - from) / n as f64))
            .sum::<f64>()
            / n as f64;
        let def = mc
            .catalog
            .defs
            .iter()
            .filter(|d| d.metric == "bot_net_containment_rate" && d.group.starts_with("week="))
            .nth(w)
            .expect("a weekly containment row per week");
        assert_within_se(
            &format!("maturing bot, {}", def.group),
            &est(&mc, "bot_net_containment_rate", &def.group),
            mean,
            Z,
        );
        weeks += 1;
    }
    assert_eq!(weeks, 8);
    // The load estimate uses the window's mean resolution, not the starting one.
    let bot = s.tier0.as_ref().unwrap();
    let window_mean = bot.load_resolution[0][1];
    assert!(window_mean > 0.45 && window_mean < 0.55, "{window_mean}");
}

#[test]
fn a_monthly_resolution_list_steps_month_by_month_and_keys_are_checked() {
    // Month 1 (the warm-up and 23 measured days) at 0.2, then 0.5 from day 30.44 on.
    let s = scenario(&maturing("resolution_by_month = [0.2, 0.5]", 49));
    let mc = run(&s);
    let rows: Vec<String> = mc
        .catalog
        .defs
        .iter()
        .filter(|d| d.metric == "bot_net_containment_rate" && d.group.starts_with("week="))
        .map(|d| d.group.clone())
        .collect();
    assert_eq!(rows.len(), 7);
    // Week 1 (days 7-14) is all month 1; week 6 (days 42-49) all month 2.
    assert_within_se(
        "monthly list, first week",
        &est(&mc, "bot_net_containment_rate", &rows[0]),
        0.2,
        Z,
    );
    assert_within_se(
        "monthly list, last week",
        &est(&mc, "bot_net_containment_rate", &rows[6]),
        0.5,
        Z,
    );
    for (keys, path) in [
        ("mature_resolution = 0.6", "tier0.chat.maturity_months"),
        ("maturity_months = 2", "tier0.chat.mature_resolution"),
        (
            "mature_resolution = 1.5\nmaturity_months = 2",
            "tier0.chat.mature_resolution",
        ),
        (
            "mature_resolution = 0.6\nmaturity_months = -1",
            "tier0.chat.maturity_months",
        ),
        ("resolution_by_month = []", "tier0.chat.resolution_by_month"),
        (
            "resolution_by_month = [0.2, 2]",
            "tier0.chat.resolution_by_month[1]",
        ),
        (
            "resolution_by_month = [0.2]\nmature_resolution = 0.5\nmaturity_months = 1",
            "tier0.chat.resolution_by_month",
        ),
    ] {
        let e = refusal(&maturing(keys, 14));
        assert!(e.contains(path), "{keys}: {e}");
    }
}
