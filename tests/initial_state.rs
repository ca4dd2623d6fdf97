//! Issue 16's `[initial_state]`, its last two parts: backlog age counted on business-hours
//! clocks (`age_on_business_clocks`), and tickets in service at t = 0 whose remaining work
//! comes from the residual distribution (`in_service`, `in_service_min`). Exact checks on
//! deterministic fixtures; the residual means against theory within 4 standard errors.

use crate::common::{
    OnePool, est, file_refusal as refusal, load_file as load, run, write_file as write,
};
use supportsim::engine::simulate;
use supportsim::measure::Catalog;

/// A directory holding the empty trace (no arrivals) the fixtures use.
fn dir() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "none.csv",
        "arrival_min,channel,priority,segment\n",
    );
    d
}

/// One P1 ticket of age 3 days at L1 on one agent on duty around the clock, fixed work
/// `w`, no arrivals; SLA targets on a Mon-Fri 09-17 UTC calendar; the run starts Monday
/// 2026-01-05 00:00 UTC, so the ticket arrived Friday 00:00 and its age holds Friday's eight
/// open hours (480 business minutes) and a closed weekend.
fn office_toml(w: f64, fr_min: f64, res_min: f64, extra: &str) -> String {
    format!(
        r#"
name = "office-age"
[run]
start_date = "2026-01-05"
warmup_days = 0
horizon_days = 2
drain_days = 0
replications = 2
seed = 3
[demand]
trace = "none.csv"
timezone = "UTC"
tickets_per_hour = 1
channels = {{ email = 1.0 }}
priorities = {{ P1 = 1.0 }}
segments = {{ all = 1.0 }}
required_level = {{ 1 = 1.0 }}
[[pools]]
name = "agents"
headcount = 1
[[tiers]]
level = 1
pool = "agents"
work_time.default = {w}
[[calendars]]
name = "office"
timezone = "UTC"
[[sla]]
first_response = {{ target_min = {fr_min}, goal = 0.8, clock = "office" }}
resolution = {{ target_min = {res_min}, goal = 0.8, clock = "office" }}
[initial_state]
{extra}
[[initial_state.open]]
stage = "L1"
priority = "P1"
count = 1
age_min = 4320
"#
    )
}

#[test]
fn with_age_on_business_clocks_a_backlog_ticket_counts_the_open_minutes_of_its_age() {
    let d = dir();
    // First response at t = 0 (Monday 00:00): 480 business minutes on. Resolution after
    // 600 minutes of work, Monday 10:00: 480 + 60 = 540.
    let att = |fr: f64, res: f64, extra: &str| {
        let s = load(&write(
            d.path(),
            "o.toml",
            &office_toml(600.0, fr, res, extra),
        ));
        let mc = run(&s);
        (
            est(&mc, "sla_first_response_attainment", "origin=backlog").mean,
            est(&mc, "sla_resolution_attainment", "origin=backlog").mean,
            est(&mc, "resolution_time_min", "origin=backlog").mean,
        )
    };
    let on = "age_on_business_clocks = true";
    assert_eq!(
        att(480.0, 540.0, on),
        (1.0, 1.0, 4920.0),
        "exactly at the limits"
    );
    assert_eq!(
        att(479.0, 539.0, on),
        (0.0, 0.0, 4920.0),
        "one minute over each"
    );
    // Off (the default): the business clocks start at t = 0, 0 and 60 business minutes.
    for off in ["", "age_on_business_clocks = false"] {
        assert_eq!(att(479.0, 539.0, off), (1.0, 1.0, 4920.0), "{off:?}");
        assert_eq!(att(1.0, 60.0, off), (1.0, 1.0, 4920.0), "{off:?}");
        assert_eq!(att(1.0, 59.0, off), (1.0, 0.0, 4920.0), "{off:?}");
    }
}

#[test]
fn the_key_off_or_absent_changes_no_number_and_on_changes_only_business_clock_ones() {
    let d = dir();
    // Arrivals too, so every metric has data; targets where the age matters.
    let text = |extra: &str| {
        office_toml(30.0, 240.0, 600.0, extra)
            .replace("trace = \"none.csv\"\n", "")
            .replace("tickets_per_hour = 1", "tickets_per_hour = 1.5")
            .replace("count = 1", "count = 40")
            .replace("age_min = 4320", "age_min = 60\nage_max_min = 8000")
    };
    let values = |extra: &str| {
        let s = load(&write(d.path(), "k.toml", &text(extra)));
        let cat = Catalog::new(&s);
        let v: Vec<Vec<f64>> = (0..2).map(|r| simulate(&s, &cat, r).values).collect();
        (cat, v)
    };
    let (cat, absent) = values("");
    let (_, off) = values("age_on_business_clocks = false");
    let bits = |v: &[Vec<f64>]| -> Vec<u64> { v.iter().flatten().map(|x| x.to_bits()).collect() };
    assert_eq!(bits(&absent), bits(&off));
    let (_, on) = values("age_on_business_clocks = true");
    let mut changed = Vec::new();
    for (i, def) in cat.defs.iter().enumerate() {
        let (a, b) = (absent[0][i], on[0][i]);
        if a.to_bits() != b.to_bits() && !(a.is_nan() && b.is_nan()) {
            changed.push(format!("{} {}", def.metric, def.group));
        }
    }
    assert!(
        !changed.is_empty(),
        "the age must cost backlog tickets attainment"
    );
    assert!(
        changed.iter().all(|m| m.starts_with("sla_")),
        "only SLA measures may change: {changed:?}"
    );
}

#[test]
fn absurd_ages_are_refused_when_they_count_on_business_clocks() {
    let d = dir();
    let text = office_toml(60.0, 480.0, 540.0, "age_on_business_clocks = true")
        .replace("age_min = 4320", "age_min = 6000000");
    let e = refusal(&write(d.path(), "a.toml", &text));
    assert!(
        e.contains("initial_state.open[0].age_min: must be at most 5270400 minutes (10 years) with initial_state.age_on_business_clocks = true"),
        "{e}"
    );
    // The same age without the key is accepted (24x7 clocks need no look-back).
    let text = text.replace("age_on_business_clocks = true", "");
    load(&write(d.path(), "a.toml", &text));
}

/// `c` agents around the clock, `n` email tickets in service at L1 (`in_service_min` if
/// given) of age `age` and `waiting` more waiting, work time `work`, no arrivals.
fn serving_toml(c: u32, n: u32, waiting: u32, work: &str, age: f64, worked: Option<f64>) -> String {
    let worked = worked.map_or(String::new(), |a| format!("in_service_min = {a}\n"));
    let waiting = if waiting > 0 {
        format!(
            "[[initial_state.open]]\nstage = \"L1\"\npriority = \"P2\"\ncount = {waiting}\nage_min = {age}\n"
        )
    } else {
        String::new()
    };
    OnePool {
        name: "in-service",
        replications: 40,
        seed: 19,
        days: (0.0, 3.0, 0.0),
        channel: "email",
        trace: true,
        per_hour: 1.0,
        priority: "P2",
        agents: c,
        work,
        tail: &format!(
            "[initial_state]\n[[initial_state.open]]\nstage = \"L1\"\npriority = \"P2\"\n\
             count = {n}\nage_min = {age}\nin_service = true\n{worked}{waiting}"
        ),
    }
    .toml()
}

#[test]
fn in_service_tickets_with_fixed_work_end_uniformly_within_it_or_exactly_at_w_minus_a() {
    let d = dir();
    let (c, w) = (50u32, 30.0);
    let s = load(&write(
        d.path(),
        "s.toml",
        &serving_toml(c, c, 0, "30", 0.0, None),
    ));
    let mc = run(&s);
    // Age 0: the resolution time is the completion time, uniform on (0, w): mean w / 2.
    let got = est(&mc, "resolution_time_min", "origin=backlog");
    eprintln!(
        "fixed w {w}: in-service completion mean {:.4} +- {:.4} (theory {})",
        got.mean,
        got.std_error,
        w / 2.0
    );
    assert!((got.mean - w / 2.0).abs() < 4.0 * got.std_error, "{got:?}");
    assert!(got.std_error > 0.0);
    // The last of c uniforms: E[max] = c w / (c + 1).
    let clear = est(&mc, "backlog_clear_time_h", "all");
    let want = f64::from(c) * w / f64::from(c + 1) / 60.0;
    eprintln!(
        "clear time {:.5} h +- {:.5} (theory {want:.5})",
        clear.mean, clear.std_error
    );
    assert!(
        (clear.mean - want).abs() < 4.0 * clear.std_error,
        "{clear:?}"
    );
    assert_eq!(
        est(&mc, "tickets_resolved", "origin=backlog").mean,
        f64::from(c)
    );
    // Worked a = 12 of w = 30: each ends at exactly 18; the age (20) counts on the clock.
    let s = load(&write(
        d.path(),
        "s.toml",
        &serving_toml(c, c, 0, "30", 20.0, Some(12.0)),
    ));
    let mc = run(&s);
    assert_eq!(est(&mc, "backlog_clear_time_h", "all").mean, 18.0 / 60.0);
    assert_eq!(est(&mc, "resolution_time_min", "origin=backlog").mean, 38.0);
    assert_eq!(
        est(&mc, "resolution_time_min", "origin=backlog").std_error,
        0.0
    );
}

#[test]
fn waiting_backlog_tickets_start_when_the_in_service_ones_free_their_agents() {
    // 4 agents busy for w - a = 5 more minutes, then 10 waiting tickets of w = 20:
    // they clear at 5 + ceil(10 / 4) x 20 = 65.
    let d = dir();
    let s = load(&write(
        d.path(),
        "m.toml",
        &serving_toml(4, 4, 10, "20", 30.0, Some(15.0)),
    ));
    let mc = run(&s);
    assert_eq!(est(&mc, "backlog_clear_time_h", "all").mean, 65.0 / 60.0);
    assert_eq!(est(&mc, "backlog_tickets", "all").mean, 14.0);
    assert_eq!(est(&mc, "tickets_resolved", "all").mean, 14.0);
    // Every in-service and waiting ticket counted once: the Little's-law area is
    // 4 x 5 + (4 x 25 + 4 x 45 + 2 x 65).
    let area = 4.0 * 5.0 + 4.0 * 25.0 + 4.0 * 45.0 + 2.0 * 65.0;
    let in_sys = est(&mc, "tickets_in_system_mean", "all").mean;
    assert!(
        (in_sys * 3.0 * 1440.0 - area).abs() < 1e-9 * area,
        "{in_sys}"
    );
}

#[test]
fn exponential_and_lognormal_residuals_have_the_means_theory_gives() {
    let d = dir();
    let c = 200u32;
    for (work, m, cv) in [
        ("{ dist = \"exponential\", mean_min = 20 }", 20.0, 1.0),
        (
            "{ dist = \"lognormal\", mean_min = 20, cv = 1.5 }",
            20.0,
            1.5,
        ),
        ("{ dist = \"gamma\", mean_min = 20, cv = 0.5 }", 20.0, 0.5),
    ] {
        let s = load(&write(
            d.path(),
            "r.toml",
            &serving_toml(c, c, 0, work, 0.0, None),
        ));
        let mc = run(&s);
        // E[R] = E[X^2] / (2 E[X]) = m (1 + cv^2) / 2: the exponential's m (memoryless);
        // the lognormal's exp(2 mu + 2 sigma^2) / (2 exp(mu + sigma^2 / 2)).
        let want = m * (1.0 + cv * cv) / 2.0;
        let got = est(&mc, "resolution_time_min", "origin=backlog");
        eprintln!(
            "{work}: residual mean {:.3} +- {:.3} (theory {want:.3})",
            got.mean, got.std_error
        );
        assert!(
            (got.mean - want).abs() < 4.0 * got.std_error,
            "{work}: {got:?}"
        );
    }
    // Worked a: exponential memoryless (mean m again); lognormal X - a | X > a, against
    // the mean residual life ∫_a^∞ S / S(a) (numerically, in supportsim::scenario::residual).
    let s = load(&write(
        d.path(),
        "r.toml",
        &serving_toml(
            c,
            c,
            0,
            "{ dist = \"exponential\", mean_min = 20 }",
            100.0,
            Some(45.0),
        ),
    ));
    let got = est(&run(&s), "resolution_time_min", "origin=backlog");
    eprintln!(
        "exponential worked 45: {:.3} +- {:.3} (theory 20 + age 100)",
        got.mean, got.std_error
    );
    assert!((got.mean - 120.0).abs() < 4.0 * got.std_error, "{got:?}");
}

#[test]
fn after_its_remaining_work_an_in_service_ticket_routes_like_any_step() {
    // Required level 2 in service at L1: the rest of L1's work (30 - 10), a write-up of 5,
    // then L2's 40 minutes: resolved at exactly 65 (no handoff delay, L2 agents free).
    let d = dir();
    let text = serving_toml(3, 3, 0, "30", 10.0, Some(10.0))
        .replace("required_level = { 1 = 1.0 }", "required_level = { 1 = 0.5, 2 = 0.5 }")
        .replace(
            "[initial_state]",
            "[[pools]]\nname = \"l2\"\nheadcount = 3\n[[tiers]]\nlevel = 2\npool = \"l2\"\nwork_time.default = 40\n[initial_state]",
        )
        .replace("work_time.default = 30\n", "work_time.default = 30\nwrite_up_min = 5\n")
        .replace("in_service = true\n", "in_service = true\nrequired_level = 2\n");
    let s = load(&write(d.path(), "e.toml", &text));
    let mc = run(&s);
    assert_eq!(est(&mc, "backlog_clear_time_h", "all").mean, 65.0 / 60.0);
    assert_eq!(est(&mc, "resolution_time_min", "origin=backlog").mean, 75.0);
    // An in-service ticket at L2 is in its own work (no re-gathering, no bounce back).
    let text = text
        .replace("stage = \"L1\"", "stage = \"L2\"")
        .replace("in_service_min = 10", "in_service_min = 4");
    let text = text.replace(
        "work_time.default = 40\n",
        "work_time.default = 40\nregather_min = 15\n",
    );
    let mc = run(&load(&write(d.path(), "e.toml", &text)));
    assert_eq!(est(&mc, "backlog_clear_time_h", "all").mean, 36.0 / 60.0);
}

#[test]
fn in_service_tickets_with_arrivals_conserve_tickets_and_keep_the_arrivals_numbers() {
    let d = dir();
    let base = serving_toml(
        6,
        6,
        30,
        "{ dist = \"lognormal\", mean_min = 15, cv = 1.0 }",
        90.0,
        None,
    )
    .replace("trace = \"none.csv\"\n", "")
    .replace("tickets_per_hour = 1", "tickets_per_hour = 12")
    .replace("replications = 40", "replications = 6");
    let s = load(&write(d.path(), "c.toml", &base));
    let waiting = load(&write(
        d.path(),
        "w.toml",
        &base.replace("in_service = true\n", ""),
    ));
    let cat = Catalog::new(&s);
    for r in 0..s.run.replications {
        let v = simulate(&s, &cat, r).values;
        let u = simulate(&waiting, &Catalog::new(&waiting), r).values;
        let at = |v: &[f64], m: &str| v[cat.find(m, "all").unwrap()];
        let out = at(&v, "tickets_resolved")
            + at(&v, "tickets_abandoned")
            + at(&v, "tickets_unresolved_at_end")
            + at(&v, "tickets_deflected");
        assert_eq!(
            at(&v, "tickets_arrived") + at(&v, "backlog_tickets"),
            out,
            "rep {r}"
        );
        assert_eq!(at(&v, "backlog_tickets"), 36.0);
        // The same arrivals with or without tickets in service at t = 0.
        assert_eq!(
            at(&v, "tickets_arrived"),
            at(&u, "tickets_arrived"),
            "rep {r}"
        );
    }
}

#[test]
fn in_service_chats_pack_on_chat_agents_and_too_many_are_refused() {
    let d = dir();
    let chats = |n: u32| {
        serving_toml(2, n, 0, "12", 0.0, None)
            .replace("channels = { email = 1.0 }", "channels = { chat = 1.0 }")
            .replace("headcount = 2\n", "headcount = 2\nchat_concurrency = 3\n")
            .replace(
                "in_service = true\n",
                "in_service = true\nchannel = \"chat\"\n",
            )
    };
    let s = load(&write(d.path(), "ch.toml", &chats(6)));
    let mc = run(&s);
    assert_eq!(est(&mc, "tickets_resolved", "origin=backlog").mean, 6.0);
    assert!(est(&mc, "backlog_clear_time_h", "all").mean <= 12.0 / 60.0);
    let e = refusal(&write(d.path(), "ch.toml", &chats(7)));
    assert!(
        e.contains("initial_state: 7 tickets are in service at t = 0 in pool \"agents\" (7 chats at 3 per agent), needing 3 agents, but it has 2 on duty at t = 0"),
        "{e}"
    );
}

#[test]
fn bad_in_service_keys_are_refused_naming_the_key_row_and_fix() {
    let d = dir();
    let e = refusal(&write(
        d.path(),
        "b.toml",
        &serving_toml(3, 4, 0, "30", 60.0, None),
    ));
    assert!(
        e.contains("4 tickets are in service at t = 0 in pool \"agents\", needing 4 agents, but it has 3 on duty at t = 0; give fewer tickets in_service = true"),
        "{e}"
    );
    let e = refusal(&write(
        d.path(),
        "b.toml",
        &serving_toml(3, 3, 0, "30", 60.0, Some(30.0)),
    ));
    assert!(
        e.contains("initial_state.open[0].in_service_min: 30 minutes worked leaves no work: the stage's email work time is at most 30 minutes"),
        "{e}"
    );
    let e = refusal(&write(
        d.path(),
        "b.toml",
        &serving_toml(3, 3, 0, "30", 5.0, Some(6.0)),
    ));
    assert!(
        e.contains("initial_state.open[0].in_service_min: must be at most the age (5 minutes)"),
        "{e}"
    );
    let text = serving_toml(3, 3, 0, "30", 60.0, Some(6.0)).replace("in_service = true\n", "");
    let e = refusal(&write(d.path(), "b.toml", &text));
    assert!(
        e.contains("initial_state.open[0].in_service_min: is only for a ticket in service: set in_service = true"),
        "{e}"
    );
    // The file form: columns in_service and in_service_min.
    let text = serving_toml(3, 1, 0, "30", 60.0, None).replace(
        "[initial_state]\n",
        "[initial_state]\nfile = \"open.csv\"\n",
    );
    let path = write(d.path(), "f.toml", &text);
    write(
        d.path(),
        "open.csv",
        "stage,priority,age_min,in_service,in_service_min\nL1,P2,30,true,10\nL1,P2,30,maybe,\nL1,P2,30,true,x\nL1,P2,30,,5\n",
    );
    let e = refusal(&path);
    for want in [
        "row 2 (line 3), column `in_service`: \"maybe\" is not true or false",
        "row 3 (line 4), column `in_service_min`: \"x\" is not a number of minutes",
        "row 4 (line 5), column `in_service_min`: is only for a ticket in service",
    ] {
        assert!(e.contains(want), "missing {want:?} in:\n{e}");
    }
    write(
        d.path(),
        "open.csv",
        "stage,priority,age_min,in_service,in_service_min\nL1,P2,30,true,10\nL1,P2,30,false,\n",
    );
    let s = load(&path);
    let b = s.backlog.as_ref().unwrap();
    assert_eq!(b.tickets.len(), 3);
    assert_eq!(
        b.tickets
            .iter()
            .filter(|t| t.start != supportsim::scenario::backlog::Start::Waiting)
            .count(),
        2
    );
    let mc = run(&s);
    // Worked 10 of 30 -> 20; the counted one uniform on (0, 30); the waiting one starts
    // on the third agent at 0 and ends at 30.
    assert_eq!(est(&mc, "backlog_clear_time_h", "all").mean, 0.5);
}
