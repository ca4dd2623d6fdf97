//! Swarm, pooled-tiered and hybrid models; common random numbers across models; paired
//! comparisons. Fixed seeds; statistical tolerances are standard errors (see `theory`).

use crate::common::*;
use std::path::Path;
use supportsim::engine::simulate_with_sink;
use supportsim::measure::{Catalog, TicketRecord, TicketSink};
use supportsim::montecarlo::MonteCarlo;
use supportsim::scenario::Scenario;
use supportsim::stats::erlang::{QueueInput, metrics};
use supportsim::stats::paired::{self, Better};
use supportsim::stats::summary::Estimate;
use supportsim::study::compare::{self, Design};

/// A scenario from a TOML text with some keys (dotted paths) replaced.
fn edited(text: &str, edits: &[(&str, toml::Value)]) -> Scenario {
    let mut doc: toml::Table = text.parse().expect("valid TOML");
    for (path, value) in edits {
        let mut parts: Vec<&str> = path.split('.').collect();
        let last = parts.pop().unwrap();
        let mut t = &mut doc;
        for p in parts {
            t = t
                .entry(p)
                .or_insert_with(|| toml::Value::Table(toml::Table::new()))
                .as_table_mut()
                .unwrap_or_else(|| panic!("{path}: {p} is not a table"));
        }
        t.insert(last.to_string(), value.clone());
    }
    scenario(&toml::to_string(&doc).unwrap())
}

fn bundled(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios")
            .join(name),
    )
    .unwrap()
}

/// Shorter runs of a bundled scenario for tests: 2 weeks measured, `reps` replications.
fn short(reps: i64) -> Vec<(&'static str, toml::Value)> {
    vec![
        ("run.horizon_days", toml::Value::Float(14.0)),
        ("run.replications", toml::Value::Integer(reps)),
    ]
}

fn f(x: f64) -> toml::Value {
    toml::Value::Float(x)
}
fn s(x: &str) -> toml::Value {
    toml::Value::String(x.into())
}

pub(crate) const SWARM_PATH: &str = r#"
name = "swarm-path"
model = "swarm"
[run]
warmup_days = 0.5
horizon_days = 3
drain_days = 1
replications = 3
[demand]
tickets_per_hour = 2
channels = { email = 1.0 }
priorities = { P3 = 1.0 }
segments = { s = 1.0 }
required_level = { 3 = 1.0 }
[[pools]]
name = "l1"
headcount = 30
[[pools]]
name = "l2"
headcount = 30
[[pools]]
name = "l3"
headcount = 30
[[tiers]]
level = 1
pool = "l1"
work_time.default = 10
write_up_min = 5
[[tiers]]
level = 2
pool = "l2"
work_time.default = 30
write_up_min = 5
regather_min = 7
[[tiers]]
level = 3
pool = "l3"
work_time.default = 60
regather_min = 7
[escalation]
handoff_delay_min = 20
re_explain_probability = 1.0
re_explain_delay_min = 60
[swarm]
owner_level = 2
coordination_overhead = 0.5
brief_min = 5
context_switch_min = 7
"#;

/// Three tiers with constant times and plenty of agents, level-3 tickets only, under the swarm
/// model with owners resolving up to level 2: every ticket takes exactly L1 work + L2 work
/// (the owner, in one go, no handoff) + briefing + L3 work x (1 + overhead), with no handoff,
/// one helper and no wait for it.
#[test]
fn swarm_session_path_takes_exactly_the_sum_of_its_steps() {
    let text = SWARM_PATH;
    let sc = scenario(text);
    assert_eq!(sc.pools.len(), 2, "l1 and l2 merge into one owner pool");
    assert_eq!(sc.pools[0].name, "l1+l2");
    assert_eq!(sc.pools[0].headcount, 60);
    let mc = run(&sc);
    let res = est(&mc, "resolution_time_min", "all").mean;
    assert!(
        (res - 135.0).abs() < 1e-9,
        "10 + 30 + 5 + 60 x 1.5 = 135, got {res}"
    );
    assert_eq!(est(&mc, "handoffs_per_ticket", "all").mean, 0.0);
    assert_eq!(est(&mc, "re_explains_per_ticket", "all").mean, 0.0);
    assert_eq!(est(&mc, "swarm_rate", "all").mean, 1.0);
    assert_eq!(est(&mc, "helpers_per_swarm", "all").mean, 1.0);
    assert_eq!(est(&mc, "swarm_wait_min", "all").mean, 0.0);
    // Owner 10 + 30 + session 95, helper 95 + context switch 7: 237 agent-minutes per ticket
    // (busy time in the window over tickets arriving in it: edge effects of a few tickets).
    let am = est(&mc, "agent_minutes_per_ticket", "all").mean;
    assert!((am - 237.0).abs() / 237.0 < 0.03, "{am}");
    // Helper minutes land on the expert pool (95 session + 7 switch per ticket), the owners'
    // on theirs (135): busy minutes per arriving ticket, from utilisation x agents x window.
    let arrived = est(&mc, "tickets_arrived", "all").mean;
    let per_ticket = |pool: &str, agents: f64| {
        est(&mc, "utilisation", pool).mean * agents * 3.0 * 1440.0 / arrived
    };
    let (e, o) = (per_ticket("pool=l3", 30.0), per_ticket("pool=l1+l2", 60.0));
    assert!(
        (e - 102.0).abs() / 102.0 < 0.03,
        "expert minutes per ticket {e}"
    );
    assert!(
        (o - 135.0).abs() / 135.0 < 0.03,
        "owner minutes per ticket {o}"
    );
}

/// The same ladder under the hybrid model: L1 works and escalates as in tiered (write-up,
/// handoff, re-explain), the L2 owner re-gathers, works level 2 and keeps the ticket, then
/// swarms an L3 expert: 10 + 5 + 20 + 60 + 7 + 30 + 5 + 60 x 1.5 = 227 minutes, one handoff.
#[test]
fn hybrid_path_escalates_once_then_swarms() {
    let text = SWARM_PATH.replace("model = \"swarm\"", "model = \"hybrid\"");
    let sc = scenario(&text);
    let names: Vec<&str> = sc.pools.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["l1", "l2", "l3"]);
    let mc = run(&sc);
    let res = est(&mc, "resolution_time_min", "all").mean;
    assert!((res - 227.0).abs() < 1e-9, "got {res}");
    assert_eq!(est(&mc, "handoffs_per_ticket", "all").mean, 1.0);
    assert_eq!(est(&mc, "re_explains_per_ticket", "all").mean, 1.0);
    assert_eq!(est(&mc, "swarm_rate", "all").mean, 1.0);
}

/// The helper count follows its distribution, and a session waits for all its helpers.
#[test]
fn helper_counts_follow_their_distribution() {
    let text = r#"
name = "helpers"
model = "swarm"
[run]
warmup_days = 0.5
horizon_days = 10
drain_days = 2
replications = 20
seed = 5
[demand]
tickets_per_hour = 4
channels = { email = 1.0 }
priorities = { P3 = 1.0 }
segments = { s = 1.0 }
required_level = { 1 = 0.5, 2 = 0.5 }
[[pools]]
name = "owners"
headcount = 4
[[pools]]
name = "experts"
headcount = 3
[[tiers]]
level = 1
pool = "owners"
work_time.default = { dist = "exponential", mean_min = 10 }
[[tiers]]
level = 2
pool = "experts"
work_time.default = { dist = "exponential", mean_min = 20 }
[swarm]
helpers = { 1 = 0.7, 2 = 0.25, 3 = 0.05 }
"#;
    let mc = run(&scenario(text));
    let h = est(&mc, "helpers_per_swarm", "all");
    assert_within_se("helpers per swarm", &h, 1.35, 4.0);
    let r = est(&mc, "swarm_rate", "all");
    assert_within_se("swarm rate", &r, 0.5, 4.0);
    // Experts are 3 agents, 2 tickets/hour need them for 20 min x 1.35 helpers: busy 30%;
    // requests for 3 helpers must wait for the whole pool, so some sessions wait.
    assert!(est(&mc, "swarm_wait_min", "all").mean > 0.0);
}

/// Three tiers, exponential level-1 work, every ticket at level 1, no abandonment.
pub(crate) fn level_one_toml(model: &str, extra: &str) -> String {
    format!(
        r#"
name = "limit"
model = "{model}"
[run]
warmup_days = 1
horizon_days = 6
drain_days = 1
replications = 40
seed = 23
[demand]
tickets_per_hour = 85
channels = {{ phone = 1.0 }}
priorities = {{ P2 = 1.0 }}
segments = {{ all = 1.0 }}
required_level = {{ 1 = 1.0 }}
[[pools]]
name = "l1"
headcount = 4
[[pools]]
name = "l2"
headcount = 6
[[pools]]
name = "l3"
headcount = 2
[[tiers]]
level = 1
pool = "l1"
work_time.default = {{ dist = "exponential", mean_min = 6 }}
[[tiers]]
level = 2
pool = "l2"
work_time.default = {{ dist = "exponential", mean_min = 20 }}
[[tiers]]
level = 3
pool = "l3"
work_time.default = {{ dist = "exponential", mean_min = 60 }}
[[sla]]
first_response = {{ target_min = 1, goal = 0.8 }}
{extra}
"#
    )
}

/// With every ticket at level 1, owners resolve everything alone: the swarm model is an
/// M/M/c queue of its owners (L1 + L2 merged, 10 agents at 85% load); pooled-tiered over two
/// levels is the same queue. Both must match Erlang C.
#[test]
fn swarm_and_pooled_with_level_one_tickets_are_erlang_c() {
    let theory = metrics(
        &QueueInput {
            arrival_rate_per_min: 85.0 / 60.0,
            mean_service_min: 6.0,
            agents: 10,
            mean_patience_min: None,
        },
        Some(1.0),
    )
    .unwrap();
    for (model, extra) in [
        ("swarm", "[swarm]\nowner_level = 2\n"),
        ("pooled_tiered", "[pooled]\nlevels = 2\n"),
    ] {
        let sc = scenario(&level_one_toml(model, extra));
        assert_eq!(sc.pools[0].name, "l1+l2", "{model}");
        assert_eq!(sc.pools[0].headcount, 10, "{model}");
        let mc = run(&sc);
        assert_within_se(
            &format!("{model} M/M/10 mean wait"),
            &est(&mc, "first_response_time_min", "all"),
            theory.mean_wait_min,
            4.0,
        );
        assert_within_se(
            &format!("{model} M/M/10 P(wait <= 1 min)"),
            &est(&mc, "sla_first_response_attainment", "all"),
            theory.service_level.unwrap(),
            4.0,
        );
        assert_within_se(
            &format!("{model} M/M/10 utilisation"),
            &est(&mc, "utilisation", "pool=l1+l2"),
            theory.occupancy,
            4.0,
        );
        assert_within_se(
            &format!("{model} M/M/10 queue length"),
            &est(&mc, "queue_length_mean_tickets", "pool=l1+l2"),
            theory.mean_queue_len,
            4.0,
        );
    }
}

/// Hybrid with every ticket at level 1 is the tiered L1 queue: M/M/4 (at a load L1 can carry).
#[test]
fn hybrid_with_level_one_tickets_is_the_l1_queue() {
    let text =
        level_one_toml("hybrid", "").replace("tickets_per_hour = 85", "tickets_per_hour = 32");
    let sc = scenario(&text);
    let names: Vec<&str> = sc.pools.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        ["l1", "l2", "l3"],
        "hybrid owners are L2 (owner_level defaults to 2)"
    );
    let mc = run(&sc);
    let theory = metrics(
        &QueueInput {
            arrival_rate_per_min: 32.0 / 60.0,
            mean_service_min: 6.0,
            agents: 4,
            mean_patience_min: None,
        },
        Some(1.0),
    )
    .unwrap();
    assert_within_se(
        "hybrid M/M/4 mean wait",
        &est(&mc, "first_response_time_min", "all"),
        theory.mean_wait_min,
        4.0,
    );
}

/// Collects the arrival trace of one replication.
#[derive(Default)]
struct Trace(Vec<(u64, u64, u8, u8, u8, u8)>);

impl TicketSink for Trace {
    fn record(&mut self, r: &TicketRecord) {
        self.0.push((
            r.ticket,
            r.arrival_min.to_bits(),
            r.channel,
            r.priority,
            r.segment,
            r.required_level,
        ));
    }
}

/// Replication i of every model sees the same tickets: arrival times, channels, priorities,
/// segments and required levels, bit for bit.
#[test]
fn every_model_sees_the_same_arrival_trace() {
    let text = bundled("saas-midmarket-tiered.toml");
    let mut traces = Vec::new();
    for model in ["tiered", "pooled_tiered", "swarm", "hybrid"] {
        let mut edits = short(4);
        edits.push(("model", s(model)));
        // A message left after abandoning turns a live ticket into email: keep channels as
        // they arrived so the trace compares exactly.
        edits.push(("customers.abandon_to_email_probability", f(0.0)));
        let sc = edited(&text, &edits);
        let catalog = Catalog::new(&sc);
        let mut per_rep = Vec::new();
        for rep in [0u32, 3] {
            let mut t = Trace::default();
            simulate_with_sink(&sc, &catalog, rep, &mut t);
            t.0.sort_unstable();
            per_rep.push(t.0);
        }
        traces.push((model, per_rep));
    }
    let (_, base) = &traces[0];
    assert!(
        base[0].len() > 3000,
        "a two-week trace, got {}",
        base[0].len()
    );
    assert_ne!(base[0], base[1], "replications differ");
    for (model, t) in &traces[1..] {
        assert_eq!(t[0].len(), base[0].len(), "{model}: same number of tickets");
        assert!(
            t[0] == base[0],
            "{model}: replication 0 differs from tiered"
        );
        assert!(
            t[1] == base[1],
            "{model}: replication 3 differs from tiered"
        );
    }
}

fn paired_diff(a: &MonteCarlo, b: &MonteCarlo, metric: &str) -> Estimate {
    let col = |mc: &MonteCarlo| -> Vec<f64> {
        mc.column(mc.catalog.find(metric, "all").unwrap()).collect()
    };
    paired::paired(&col(a), &col(b))
}

/// Raising the handoff delay never makes tiered resolution faster: on common random numbers,
/// each step up is significantly slower (paired 95% CI above zero).
#[test]
fn longer_handoffs_slow_tiered_resolution() {
    let text = bundled("saas-midmarket-tiered.toml");
    let runs: Vec<MonteCarlo> = [0.0, 30.0, 120.0]
        .iter()
        .map(|d| {
            let mut e = short(20);
            e.push(("escalation.handoff_delay_min", f(*d)));
            run(&edited(&text, &e))
        })
        .collect();
    for w in runs.windows(2) {
        let d = paired_diff(&w[0], &w[1], "resolution_time_min");
        eprintln!(
            "handoff step: resolution +{:.1} min [{:.1}, {:.1}]",
            d.mean, d.ci_low, d.ci_high
        );
        assert!(
            d.ci_low > 0.0,
            "longer handoffs must slow resolution: {d:?}"
        );
    }
}

/// Raising the coordination overhead never makes swarm resolution faster.
#[test]
fn more_coordination_overhead_slows_swarm_resolution() {
    let text = bundled("saas-midmarket-swarm.toml");
    let runs: Vec<MonteCarlo> = [0.0, 0.5, 1.0]
        .iter()
        .map(|o| {
            let mut e = short(20);
            e.push(("swarm.coordination_overhead", f(*o)));
            run(&edited(&text, &e))
        })
        .collect();
    for w in runs.windows(2) {
        let d = paired_diff(&w[0], &w[1], "resolution_time_min");
        eprintln!(
            "overhead step: resolution +{:.1} min [{:.1}, {:.1}]",
            d.mean, d.ci_low, d.ci_high
        );
        assert!(d.ci_low > 0.0, "more overhead must slow resolution: {d:?}");
        let a = paired_diff(&w[0], &w[1], "agent_minutes_per_ticket");
        assert!(a.ci_low > 0.0, "more overhead must cost agent time: {a:?}");
    }
}

/// On the bundled scenarios the paired CI of every headline difference is narrower than the
/// unpaired (Welch) one: common random numbers pay off.
#[test]
fn paired_intervals_are_narrower_than_unpaired_on_bundled_scenarios() {
    let files = [
        "saas-midmarket-tiered.toml",
        "saas-midmarket-swarm.toml",
        "saas-midmarket-pooled.toml",
    ];
    let scs: Vec<Scenario> = files
        .iter()
        .map(|f| edited(&bundled(f), &short(30)))
        .collect();
    let pairs: Vec<(&Path, &Scenario)> = files
        .iter()
        .zip(&scs)
        .map(|(f, s)| (Path::new(*f), s))
        .collect();
    let warnings = compare::check_comparable(&pairs).unwrap();
    assert!(
        warnings.is_empty(),
        "bundled designs share demand: {warnings:?}"
    );
    let mcs: Vec<MonteCarlo> = scs.iter().map(run).collect();
    let ds: Vec<Design> = scs
        .iter()
        .zip(&mcs)
        .zip(files)
        .map(|((s, mc), f)| Design {
            label: f,
            scenario: s,
            mc,
        })
        .collect();
    let rows = compare::compare(&ds, &Default::default());
    for metric in [
        "first_response_time_min",
        "resolution_time_min",
        "sla_resolution_attainment",
        "sla_first_response_attainment",
    ] {
        for (k, file) in files.iter().enumerate().skip(1) {
            let r = compare::find(&rows, metric, "all", k).unwrap();
            let p = r.paired.unwrap();
            let w = r.unpaired.unwrap();
            let (hp, hw) = (p.ci_high - p.ci_low, w.ci_high - w.ci_low);
            eprintln!(
                "{file} vs tiered, {metric}: diff {:.4}, paired width {hp:.4}, unpaired width {hw:.4} ({:.0}%)",
                p.mean,
                100.0 * hp / hw
            );
            assert!(
                hp < hw,
                "{metric} {}: paired {hp} >= unpaired {hw}",
                files[k]
            );
        }
    }
    // The verdict machinery reads the right way on a clear case: swarming removes handoffs.
    let h = compare::find(&rows, "handoffs_per_ticket", "all", 1).unwrap();
    assert_eq!(h.better, Better::Design, "{h:?}");
    assert!(h.confidence > 0.999);
}

/// Same scenario, same seed, same model: the paired difference is exactly zero.
#[test]
fn a_design_compared_with_itself_differs_by_exactly_zero() {
    let sc = edited(&bundled("saas-midmarket-swarm.toml"), &short(5));
    let (a, b) = (run(&sc), run(&sc));
    let d = paired_diff(&a, &b, "resolution_time_min");
    assert_eq!((d.mean, d.ci_low, d.ci_high), (0.0, 0.0, 0.0));
}

/// Different run windows cannot be compared on common random numbers.
#[test]
fn different_run_windows_are_refused() {
    let text = bundled("saas-midmarket-tiered.toml");
    let a = edited(&text, &short(2));
    let mut e = short(2);
    e.push(("run.warmup_days", f(3.0)));
    let b = edited(&text, &e);
    let err = compare::check_comparable(&[(Path::new("a.toml"), &a), (Path::new("b.toml"), &b)])
        .unwrap_err()
        .to_string();
    assert!(err.contains("run.warmup_days 7 vs 3"), "{err}");
    let mut e = short(2);
    e.push(("demand.tickets_per_week", toml::Value::Integer(2000)));
    let c = edited(&text, &e);
    let w =
        compare::check_comparable(&[(Path::new("a.toml"), &a), (Path::new("c.toml"), &c)]).unwrap();
    assert!(w[0].contains("different [demand] sections"), "{w:?}");
}

/// The known-issues scenario: most tickets routine, owners are the L1 people and a session does
/// not shorten known work. Swarming must not win there: owners tied up in sessions answer
/// later and every swarmed ticket costs owner and expert time together.
#[test]
fn swarming_does_not_win_on_known_issues() {
    let text = bundled("saas-known-issues.toml");
    let design = |model: &str| {
        let mut e = short(20);
        e.push(("model", s(model)));
        run(&edited(&text, &e))
    };
    let (tiered, swarm) = (design("tiered"), design("swarm"));
    for metric in [
        "first_response_time_min",
        "resolution_time_min",
        "agent_minutes_per_ticket",
        "abandonment_rate",
    ] {
        let d = paired_diff(&tiered, &swarm, metric);
        eprintln!(
            "known issues, swarm - tiered, {metric}: {:+.3} [{:+.3}, {:+.3}]",
            d.mean, d.ci_low, d.ci_high
        );
        assert!(d.ci_low > 0.0, "{metric}: swarm should be worse, {d:?}");
    }
}
