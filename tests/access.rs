//! Access to live channels (`[access]`): queue limits against M/M/c/K and Erlang B theory,
//! opening hours against the calendar's share of the week, and conservation of contacts.
//! Fixed seeds; tolerances are 4 standard errors of the replication means, as in theory.rs.

use crate::common::*;

const Z: f64 = 4.0;

/// Stationary distribution of M/M/c/K: `p[n]` for n = 0..=K, with offered load `a` erlangs.
fn mmck(c: usize, k: usize, a: f64) -> Vec<f64> {
    let mut p = vec![0.0; k + 1];
    p[0] = 1.0;
    for n in 1..=k {
        // Birth-death: p[n] = p[n-1] * lambda / (min(n, c) mu).
        p[n] = p[n - 1] * a / n.min(c) as f64;
    }
    let total: f64 = p.iter().sum();
    p.iter().map(|x| x / total).collect()
}

/// P(Erlang(k, rate) > t): the first k - 1 terms of the Poisson count at rate x t.
fn erlang_tail(k: usize, rate: f64, t: f64) -> f64 {
    let x = rate * t;
    let mut term = (-x).exp();
    let mut sum = 0.0;
    for j in 0..k {
        if j > 0 {
            term *= x / j as f64;
        }
        sum += term;
    }
    sum
}

/// The M/M/c/K figures an arriving customer sees (PASTA): blocking, and for admitted ones
/// the mean wait and P(wait <= t), plus the agents' utilisation.
struct Mmck {
    blocking: f64,
    /// Time-average tickets in system (waiting plus in service).
    in_system: f64,
    mean_wait_min: f64,
    within: f64,
    utilisation: f64,
}

fn mmck_theory(c: usize, limit: usize, per_min: f64, aht_min: f64, t_min: f64) -> Mmck {
    let k = c + limit;
    let p = mmck(c, k, per_min * aht_min);
    let blocking = p[k];
    let admitted = 1.0 - blocking;
    let rate = c as f64 / aht_min;
    // An admitted arrival that finds n >= c waits for n - c + 1 completions at rate c mu.
    let (mut mean, mut beyond) = (0.0, 0.0);
    for (n, pn) in p.iter().enumerate().take(k).skip(c) {
        let stages = n - c + 1;
        mean += pn * stages as f64 / rate;
        beyond += pn * erlang_tail(stages, rate, t_min);
    }
    Mmck {
        blocking,
        in_system: p.iter().enumerate().map(|(n, pn)| n as f64 * pn).sum(),
        mean_wait_min: mean / admitted,
        within: 1.0 - beyond / admitted,
        utilisation: per_min * admitted * aht_min / c as f64,
    }
}

fn limited_queue_case(agents: u32, limit: u32, per_hour: f64) {
    let aht = 6.0;
    let target_min = 1.0;
    let text = mmc_toml(per_hour, aht, agents, None, target_min, 40, 6.0)
        + &format!("[access.phone]\nqueue_limit = {limit}\n");
    let mc = run(&scenario(&text));
    let th = mmck_theory(
        agents as usize,
        limit as usize,
        per_hour / 60.0,
        aht,
        target_min,
    );
    let label = format!("M/M/{agents}/{} at {per_hour}/h", agents + limit);
    assert_within_se(
        &format!("{label} blocking probability"),
        &est(&mc, "blocking_probability", "channel=phone"),
        th.blocking,
        Z,
    );
    assert_within_se(
        &format!("{label} utilisation"),
        &est(&mc, "utilisation", "pool=agents"),
        th.utilisation,
        Z,
    );
    if limit > 0 {
        assert_within_se(
            &format!("{label} mean wait of admitted [min]"),
            &est(&mc, "first_response_time_min", "all"),
            th.mean_wait_min,
            Z,
        );
        assert_within_se(
            &format!("{label} admitted answered within {target_min} min"),
            &est(&mc, "sla_first_response_attainment", "all"),
            th.within,
            Z,
        );
    }
    assert_within_se(
        &format!("{label} tickets in system"),
        &est(&mc, "tickets_in_system_mean", "all"),
        th.in_system,
        Z,
    );
    assert_within_se(
        &format!("{label} Little's law L - lambda_admitted W"),
        &littles_law_residuals(&mc),
        0.0,
        Z,
    );
    // Blocked contacts went away: none left a message, none abandoned, none turned away.
    assert_eq!(est(&mc, "contacts_left_message", "channel=phone").mean, 0.0);
    assert_eq!(est(&mc, "contacts_turned_away", "channel=phone").mean, 0.0);
    let lost = est(&mc, "contacts_blocked_lost", "channel=phone").mean;
    let offered = est(&mc, "contacts_offered", "channel=phone").mean;
    assert!((lost / offered - est(&mc, "blocking_probability", "channel=phone").mean).abs() < 0.01);
}

/// M/M/c/K+M, a queue limit and exponential patience together: the birth-death chain with
/// death rate min(n, c) mu + max(n - c, 0) theta. An arrival finding K in the system is
/// blocked (PASTA); waiting customers give up at rate theta each, so abandoners per admitted
/// arrival are theta E[Q] / lambda_admitted, and an admitted arrival's mean time in queue
/// (answered or not) is E[Q] / lambda_admitted by Little's law.
#[test]
fn a_queue_limit_with_exponential_patience_matches_the_birth_death_chain() {
    let (c, limit, per_hour, aht, patience) = (4usize, 2usize, 48.0, 6.0, 4.0);
    let k = c + limit;
    let (lambda, mu, theta) = (per_hour / 60.0, 1.0 / aht, 1.0 / patience);
    let mut p = vec![1.0f64; k + 1];
    for n in 1..=k {
        let death = n.min(c) as f64 * mu + n.saturating_sub(c) as f64 * theta;
        p[n] = p[n - 1] * lambda / death;
    }
    let total: f64 = p.iter().sum();
    p.iter_mut().for_each(|x| *x /= total);
    let blocking = p[k];
    let admitted = lambda * (1.0 - blocking);
    let queue: f64 = p
        .iter()
        .enumerate()
        .map(|(n, pn)| n.saturating_sub(c) as f64 * pn)
        .sum();
    let in_system: f64 = p.iter().enumerate().map(|(n, pn)| n as f64 * pn).sum();
    let abandon_per_admitted = theta * queue / admitted;
    let utilisation = admitted * (1.0 - abandon_per_admitted) * aht / c as f64;
    let text = mmc_toml(per_hour, aht, c as u32, Some(patience), 1.0, 40, 6.0)
        + &format!("[access.phone]\nqueue_limit = {limit}\n");
    let mc = run(&scenario(&text));
    let label = format!("M/M/{c}/{k}+M at {per_hour}/h");
    for (what, metric, group, theory) in [
        (
            "blocking",
            "blocking_probability",
            "channel=phone",
            blocking,
        ),
        (
            "abandonment of admitted contacts",
            "abandonment_rate",
            "all",
            abandon_per_admitted,
        ),
        (
            "mean time in queue of admitted contacts [min]",
            "initial_wait_min",
            "all",
            queue / admitted,
        ),
        ("utilisation", "utilisation", "pool=agents", utilisation),
        (
            "tickets in system",
            "tickets_in_system_mean",
            "all",
            in_system,
        ),
    ] {
        assert_within_se(
            &format!("{label} {what}"),
            &est(&mc, metric, group),
            theory,
            Z,
        );
    }
}

#[test]
fn a_queue_limit_above_capacity_matches_mmck() {
    // Offered 1.1 erlangs per agent: unstable without a limit, stable with it.
    limited_queue_case(4, 6, 44.0);
}

#[test]
fn a_queue_limit_at_moderate_load_matches_mmck() {
    limited_queue_case(6, 2, 48.0);
}

#[test]
fn a_zero_queue_limit_is_erlang_b() {
    // M/M/5/5: 4 erlangs offered, blocking = Erlang B(5, 4) = 0.1991.
    limited_queue_case(5, 0, 40.0);
    let b = mmck(5, 5, 4.0)[5];
    assert!((b - 0.199_11).abs() < 1e-4, "Erlang B(5, 4) = {b}");
}

#[test]
fn outside_opening_hours_contacts_leave_a_message_or_go_away() {
    // Chat open Monday to Friday 09:00-17:00: 40 of the week's 168 hours. Arrivals are
    // uniform over the week, so 128/168 of them find it closed; 30% of those leave a message.
    let text = r#"
name = "hours"
[run]
warmup_days = 7
horizon_days = 28
drain_days = 3
replications = 20
seed = 5
start_date = "2026-01-05"
[demand]
tickets_per_hour = 6
timezone = "Europe/Berlin"
channels = { chat = 0.5, email = 0.5 }
priorities = { P3 = 1.0 }
segments = { all = 1.0 }
required_level = { 1 = 1.0 }
[[pools]]
name = "agents"
headcount = 3
[[tiers]]
level = 1
pool = "agents"
work_time.default = { dist = "exponential", mean_min = 10 }
[[calendars]]
name = "office"
timezone = "Europe/Berlin"
days = ["mon", "tue", "wed", "thu", "fri"]
start = "09:00"
end = "17:00"
[access.chat]
hours = "office"
closed_message_share = 0.3
[[sla]]
first_response = { target_min = 60, goal = 0.8 }
"#;
    let mc = run(&scenario(text));
    let closed = 128.0 / 168.0;
    assert_within_se(
        "share of chats finding chat closed",
        &est(&mc, "closed_share", "channel=chat"),
        closed,
        Z,
    );
    let offered = est(&mc, "contacts_offered", "channel=chat").mean;
    let message = est(&mc, "contacts_left_message", "channel=chat").mean;
    let away = est(&mc, "contacts_turned_away", "channel=chat").mean;
    // Binomial: the message share of the closed contacts is 0.3 within 4 SE.
    let n_closed = message + away;
    let se = (0.3 * 0.7 / (n_closed * 20.0)).sqrt();
    assert!(
        (message / n_closed - 0.3).abs() < Z * se,
        "message share {} vs 0.3 (SE {se})",
        message / n_closed
    );
    assert!((n_closed / offered - closed).abs() < 0.02);
    // Every chat answered was answered while open: no live chat wait spans the night.
    let answered = est(&mc, "contacts_answered", "channel=chat").mean;
    assert!(answered <= offered - n_closed + 1e-9);
    // Conservation: every ticket that arrived is resolved, abandoned, refused or still open.
    let arrived = est(&mc, "tickets_arrived", "all").mean;
    let accounted: f64 = [
        "tickets_resolved",
        "tickets_abandoned",
        "tickets_unresolved_at_end",
        "tickets_refused",
        "tickets_deflected",
    ]
    .iter()
    .map(|m| est(&mc, m, "all").mean)
    .sum();
    assert!(
        (arrived - accounted).abs() < 1e-6 * arrived,
        "{arrived} vs {accounted}"
    );
    assert!((est(&mc, "tickets_refused", "all").mean - away).abs() < 1e-9);
}

#[test]
fn files_without_access_rules_report_no_access_metrics() {
    let mc = run(&scenario(&mmc_toml(40.0, 6.0, 5, None, 1.0, 2, 1.0)));
    assert!(
        mc.estimate("blocking_probability", "channel=phone")
            .is_none()
    );
    assert!(mc.estimate("tickets_refused", "all").is_none());
}

#[test]
fn validate_names_each_channels_access_rules() {
    let dir = std::env::temp_dir().join(format!("supportsim-access-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("limited.toml");
    let text = mmc_toml(40.0, 6.0, 5, None, 1.0, 2, 1.0)
        + "[access.phone]\nqueue_limit = 3\nblocked_message_share = 0.25\n";
    std::fs::write(&file, text).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_supportsim"))
        .arg("validate")
        .arg(&file)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains(
            "access phone: open 24x7; at most 3 waiting (25% of blocked contacts leave a message)"
        ),
        "{stdout}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn access_rules_are_checked_with_key_paths() {
    let text = mmc_toml(40.0, 6.0, 5, None, 1.0, 2, 1.0)
        + "[access.phone]\nhours = \"office\"\nblocked_message_share = 1.5\n";
    let err = refusal(&text);
    assert!(
        err.contains("access.phone.hours") && err.contains("no calendar named \"office\""),
        "{err}"
    );
    assert!(err.contains("access.phone.blocked_message_share"), "{err}");
}

#[test]
fn a_channel_closes_while_too_few_agents_are_on_duty() {
    // The only shift is Mon-Fri 09:00-17:00 local: with a minimum of one agent on duty the
    // chat channel is open exactly those 40 of 168 hours, as with the calendar above.
    let text = r#"
name = "staffed-hours"
[run]
warmup_days = 7
horizon_days = 28
drain_days = 3
replications = 20
seed = 9
start_date = "2026-01-05"
[demand]
tickets_per_hour = 6
timezone = "Europe/Berlin"
channels = { chat = 1.0 }
priorities = { P3 = 1.0 }
segments = { all = 1.0 }
required_level = { 1 = 1.0 }
[[pools]]
name = "agents"
[[pools.shifts]]
name = "day"
days = ["mon", "tue", "wed", "thu", "fri"]
start = "09:00"
end = "17:00"
headcount = 3
[[tiers]]
level = 1
pool = "agents"
work_time.default = { dist = "exponential", mean_min = 10 }
[access.chat]
min_agents_on_duty = 1
"#;
    let mc = run(&scenario(text));
    assert_within_se(
        "share of chats finding no agent on duty",
        &est(&mc, "closed_share", "channel=chat"),
        128.0 / 168.0,
        Z,
    );
    // Nobody waits overnight: every admitted chat was answered within the shift.
    assert_eq!(est(&mc, "tickets_unresolved_at_end", "all").mean, 0.0);
}

/// Per-replication values of (metric, group).
fn column(mc: &supportsim::montecarlo::MonteCarlo, metric: &str, group: &str) -> Vec<f64> {
    let i = mc
        .catalog
        .find(metric, group)
        .unwrap_or_else(|| panic!("no metric {metric} for group {group}"));
    mc.column(i).collect()
}

fn bundled_text(rel: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).unwrap()
}

/// The bundled mid-market file closes chat and phone while L1 has nobody on duty. The share
/// of live contacts finding them closed must then be the share of demand arriving in the
/// uncovered hours, which `validate` computes from the arrival profile and the shifts alone;
/// and the abandonment that used to come from contacts nobody could answer must be gone.
#[test]
fn bundled_midmarket_closes_live_channels_when_nobody_is_on_duty() {
    use supportsim::scenario::analysis::{Vacuous, vacuous_targets};
    let mut after = scenario(&bundled_text("scenarios/saas-midmarket-tiered.toml"));
    let mut before = scenario(&bundled_text(
        "tests/data/before-access/saas-midmarket-tiered.toml",
    ));
    after.run.replications = 40;
    before.run.replications = 40;
    let uncovered = vacuous_targets(&after)
        .into_iter()
        .find_map(|v| match v {
            Vacuous::Uncovered {
                share, live_closed, ..
            } => {
                assert!(
                    live_closed,
                    "the warning must say chat and phone are closed"
                );
                let text = v.to_string();
                assert!(
                    text.contains("chat and phone are closed then")
                        && text.contains("email tickets and left messages wait"),
                    "{text}"
                );
                Some(share)
            }
            _ => None,
        })
        .expect("the file leaves nights and weekends uncovered");
    let (a, b) = (run(&after), run(&before));
    for channel in ["chat", "phone"] {
        let closed = est(&a, "closed_share", &format!("channel={channel}"));
        // Daily gamma noise makes each replication's share vary; the expectation is the
        // profile's share (the noise multiplies open and closed hours of a day alike).
        assert_within_se(&format!("closed share of {channel}"), &closed, uncovered, Z);
    }
    let (ab_after, ab_before) = (
        est(&a, "abandonment_rate", "all").mean,
        est(&b, "abandonment_rate", "all").mean,
    );
    eprintln!("abandonment: before {ab_before:.4}, after {ab_after:.4}");
    assert!(
        ab_before > 0.3 && ab_after < 0.5 * ab_before,
        "abandonment before {ab_before}, after {ab_after}"
    );
    assert!(est(&a, "tickets_refused", "all").mean > 0.0);
    let d = supportsim::stats::paired::paired(
        &column(&b, "sla_resolution_attainment", "all"),
        &column(&a, "sla_resolution_attainment", "all"),
    );
    assert!(
        d.mean - Z * d.std_error > 0.0,
        "closing at night must raise attainment: {d:?}"
    );
}

/// Issue 12's check on the bundled files: the L2 headcount sweep's SLA attainment responds
/// to staffing. Two early-shift L2 agents (7 in all for about 8.8 agents of L2 work) must
/// give clearly lower resolution attainment than the file's 6, on common random numbers.
#[test]
fn bundled_l2_headcount_moves_sla_attainment() {
    let text = bundled_text("scenarios/saas-midmarket-tiered.toml");
    let at = |early: u32| {
        let mut doc: toml::Table = text.parse().unwrap();
        let pools = doc["pools"].as_array_mut().unwrap();
        let l2 = pools
            .iter_mut()
            .find(|p| p["name"].as_str() == Some("l2"))
            .unwrap();
        let shifts = l2["shifts"].as_array_mut().unwrap();
        shifts[0]["headcount"] = toml::Value::Integer(early.into());
        let mut s = scenario(&toml::to_string(&doc).unwrap());
        s.run.replications = 30;
        run(&s)
    };
    let (short, file) = (at(2), at(6));
    let d = supportsim::stats::paired::paired(
        &column(&short, "sla_resolution_attainment", "all"),
        &column(&file, "sla_resolution_attainment", "all"),
    );
    eprintln!("attainment, 6 minus 2 early L2 agents: {d:?}");
    assert!(
        d.mean - Z * d.std_error > 0.02,
        "attainment must rise by more than 2 points: {d:?}"
    );
}

/// A channel whose `min_agents_on_duty` is above anything its entry pool ever has never
/// opens: `validate` and `run` say so (it used to refuse every contact without a word), and
/// a minimum the pool reaches gives no such warning.
#[test]
fn a_channel_that_can_never_open_is_warned_about() {
    use supportsim::scenario::analysis::warnings;
    let text = |min: u32| {
        format!(
            "name = \"never-open\"\n[run]\nwarmup_days = 0\nhorizon_days = 7\ndrain_days = 1\nreplications = 2\n[demand]\ntickets_per_hour = 10\nchannels = {{ email = 0.5, chat = 0.5 }}\npriorities = {{ P1 = 1.0 }}\nsegments = {{ smb = 1.0 }}\nrequired_level = {{ 1 = 1.0 }}\n[[pools]]\nname = \"l1\"\nheadcount = 3\n[[tiers]]\nlevel = 1\npool = \"l1\"\nwork_time.default = {{ dist = \"exponential\", mean_min = 6 }}\n[access.chat]\nmin_agents_on_duty = {min}\n"
        )
    };
    let never = warnings(&scenario(&text(4)));
    assert!(
        never
            .iter()
            .any(|w| w.contains("access.chat.min_agents_on_duty = 4") && w.contains("never opens")),
        "{never:?}"
    );
    let reached = warnings(&scenario(&text(3)));
    assert!(
        !reached.iter().any(|w| w.contains("never opens")),
        "{reached:?}"
    );
}
