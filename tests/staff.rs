//! `supportsim staff`: the search against an exhaustive grid, target parsing and its error
//! messages, the command's outputs, and `--shard` merged against the unsharded confirmation.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::{Path, PathBuf};
use supportsim::scenario::Scenario;
use supportsim::study::staff::{self, Evaluator, Op};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_supportsim"))
}

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Two tiers, exponential times, three measured days: L1 24x7, L2 07:00-20:00 every day (so
/// an L1 agent and an L2 agent cost differently and no two vectors in the test box tie).
const TWO_TIER: &str = r#"
name = "two-tier"
[run]
warmup_days = 1
horizon_days = 3
drain_days = 2
replications = 12
seed = 5
[demand]
tickets_per_hour = 12
channels = { email = 1.0 }
priorities = { P1 = 0.2, P2 = 0.8 }
segments = { all = 1.0 }
required_level = { 1 = 0.6, 2 = 0.4 }
[[pools]]
name = "l1"
headcount = 3
[[pools]]
name = "l2"
headcount = 4
hours = { days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], start = "07:00", end = "20:00" }
[[tiers]]
level = 1
pool = "l1"
work_time.default = { dist = "exponential", mean_min = 10 }
[[tiers]]
level = 2
pool = "l2"
work_time.default = { dist = "exponential", mean_min = 30 }
[[sla]]
first_response = { target_min = 30, goal = 0.9 }
resolution = { target_hours = 12, goal = 0.9 }
"#;

const TARGETS: [&str; 2] = [
    "first_response.all.mean_min <= 2",
    "resolution.all.p90_hours <= 8",
];

fn two_tier(dir: &Path) -> (PathBuf, Scenario) {
    let f = dir.join("two-tier.toml");
    std::fs::write(&f, TWO_TIER).unwrap();
    let s = Scenario::load(&f).unwrap_or_else(|e| panic!("{e}"));
    (f, s)
}

/// The search's answer is the cheapest feasible vector of the exhaustive grid (ties broken
/// lexicographically), evaluated with the same function and seed, at a fraction of the cost.
#[test]
fn search_equals_exhaustive_grid_on_two_pools() {
    let dir = tempfile::tempdir().unwrap();
    let (f, s) = two_tier(dir.path());
    let targets: Vec<String> = TARGETS.iter().map(|t| t.to_string()).collect();
    let p = staff::problem(&s, &f, &targets, None, 0.95, 5, 12, 12).unwrap();
    assert_eq!(p.pools, vec!["l1", "l2"]);
    let start = staff::erlang_start(&s, &p.pools);
    let mut ev = Evaluator::new(&p, p.seed, p.replications, &|| {});
    let answer = staff::search_from(&mut ev, &start).unwrap();
    assert!(answer.feasible);
    let search_evals = ev.log.len();

    // The box starts at each pool's stability floor (estimated utilisation below 1): below it
    // L2 never finishes escalated tickets, and P90 resolution over *resolved* tickets looks
    // good (l2 = 1 "meets" the resolution target), which the search rules out by design.
    assert_eq!(p.floor, vec![3, 5]);
    let all = grid(&p);
    let best = cheapest_feasible(&all);
    assert_eq!(answer.headcount, best.headcount, "search vs grid");
    assert!((answer.cost - best.cost).abs() < 1e-9);
    // Interior: the targets bind on both pools.
    assert_eq!(best.headcount, vec![4, 7]);
    assert!(
        search_evals * 4 <= all.len(),
        "search used {search_evals} evaluations vs {} in the grid",
        all.len()
    );
    // The same vector gives the same numbers in both evaluators (same seed: common random numbers).
    let again = all
        .iter()
        .find(|e| e.headcount == answer.headcount)
        .unwrap();
    assert_eq!(again.targets, answer.targets);
}

/// Every vector of the two-pool box, from each pool's stability floor to 10 L1 and 12 L2
/// agents, evaluated on the problem's own seed (common random numbers with the search).
fn grid(p: &staff::Problem) -> Vec<staff::Eval> {
    let vectors: Vec<Vec<u32>> = (p.floor[0]..=10)
        .flat_map(|a| (p.floor[1]..=12).map(move |b| vec![a, b]))
        .collect();
    Evaluator::new(p, p.seed, p.replications, &|| {})
        .eval_many(&vectors)
        .unwrap()
}

/// The grid's answer: the cheapest feasible vector, ties to the lexicographically smaller.
fn cheapest_feasible(all: &[staff::Eval]) -> &staff::Eval {
    all.iter()
        .filter(|e| e.feasible)
        .min_by(|x, y| {
            x.cost
                .total_cmp(&y.cost)
                .then(x.headcount.cmp(&y.headcount))
        })
        .expect("the box holds a feasible vector")
}

/// A utilisation floor is met by removing agents: from a start far above it the search still
/// ends on the grid's cheapest vector meeting every target, and a floor the service targets
/// rule out is refused by name instead of running every pool to its cap.
#[test]
fn utilisation_floors_are_met_by_removing_agents() {
    let dir = tempfile::tempdir().unwrap();
    let (f, s) = two_tier(dir.path());
    let mut targets: Vec<String> = TARGETS.iter().map(|t| t.to_string()).collect();
    // L1 takes every ticket: 12/h x 10 min = 2 erlangs, so 0.45 allows 3 or 4 agents.
    targets.push("utilisation.l1 >= 0.45".into());
    let p = staff::problem(&s, &f, &targets, None, 0.95, 5, 12, 12).unwrap();
    let mut ev = Evaluator::new(&p, p.seed, p.replications, &|| {});
    let answer = staff::search_from(&mut ev, &[8, 12]).unwrap();
    assert!(answer.feasible);
    let all = grid(&p);
    let best = cheapest_feasible(&all);
    assert_eq!(answer.headcount, best.headcount, "search vs grid");
    let floor = &answer.targets[2];
    assert!(floor.met && floor.bound >= 0.45, "{floor:?}");

    // At the stability floor of 3 L1 agents utilisation is about 2/3: 0.9 is out of reach.
    targets[2] = "utilisation.l1 >= 0.9".into();
    let p = staff::problem(&s, &f, &targets, None, 0.95, 5, 12, 12).unwrap();
    let mut ev = Evaluator::new(&p, p.seed, p.replications, &|| {});
    let start = staff::erlang_start(&s, &p.pools);
    let err = staff::search_from(&mut ev, &start).unwrap_err().to_string();
    assert!(
        err.contains("\"utilisation.l1 >= 0.9\" conflicts with the other targets")
            && err.contains("utilisation is"),
        "{err}"
    );
    assert!(
        ev.log.len() < 40,
        "{} evaluations before refusing",
        ev.log.len()
    );
}

#[test]
fn full_search_confirms_on_a_fresh_seed() {
    let dir = tempfile::tempdir().unwrap();
    let (f, s) = two_tier(dir.path());
    let targets: Vec<String> = TARGETS.iter().map(|t| t.to_string()).collect();
    let p = staff::problem(&s, &f, &targets, None, 0.95, 5, 12, 16).unwrap();
    let o = staff::search(&p, &s, &|| {}).unwrap();
    assert_eq!(o.confirmation_seed, 1_000_005);
    assert!(o.confirmed.feasible);
    assert!(o.confirmed.targets.iter().all(|t| t.n == 16 && t.met));
    let added: u32 =
        o.confirmed.headcount.iter().sum::<u32>() - o.search_answer.headcount.iter().sum::<u32>();
    assert_eq!(added, o.added_on_confirmation);
    assert!(o.grid_size >= o.search_log.len() as u128);
    // Only the searched pool moves with --pools.
    let p1 = staff::problem(&s, &f, &targets[..1], Some("l1"), 0.95, 5, 12, 12).unwrap();
    let o1 = staff::search(&p1, &s, &|| {}).unwrap();
    assert_eq!(o1.pools, vec!["l1"]);
    assert_eq!(o1.confirmed.headcount.len(), 1);
}

#[test]
fn target_expressions_parse_and_bad_ones_name_the_problem() {
    let s = Scenario::load(&repo("tests/data/tiered-headcount.toml")).unwrap();
    let t = staff::parse_target("  resolution.P2.mean_hours <=  36 ", &s).unwrap();
    assert_eq!(
        (t.metric, t.group.as_str(), t.op, t.threshold, t.unit),
        (
            "resolution_time_min",
            "priority=P2",
            Op::AtMost,
            36.0,
            "hours"
        )
    );
    for (expr, want) in [
        ("first_response.P1.attainment 0.95", "missing operator"),
        (
            "first_response.P1.attainment > 0.95",
            "invalid operator `>`",
        ),
        (
            "first_response.P1.attainment = 0.95",
            "invalid operator `=`",
        ),
        ("first_response.P1.attainment >== 0.95", "invalid operator"),
        (
            "latency.P1.attainment >= 0.95",
            "unknown metric \"latency\"",
        ),
        (
            "first_response.P7.attainment >= 0.9",
            "unknown group \"P7\" (valid: all, P1, P2, P3, P4, enterprise, mid_market, smb, P1/enterprise",
        ),
        (
            "first_response.P1.speed >= 0.9",
            "unknown measure \"speed\"",
        ),
        (
            "resolution.all.p90_days <= 2",
            "unknown unit \"days\" in \"p90_days\"",
        ),
        ("resolution.all.mean <= 2", "needs a unit"),
        ("resolution.all <= 2", "takes a group and a measure"),
        (
            "first_response.P1.attainment >= high",
            "\"high\" is not a number",
        ),
        ("first_response.P1.attainment >=", "no number"),
        ("first_response.P1.attainment >= 1.5", "not a fraction"),
        (
            "resolution.all.p90_hours <= 5%",
            "percentage only fits a fraction",
        ),
        ("abandonment.fax <= 0.1", "unknown channel \"fax\""),
        (
            "utilisation.l9 <= 0.8",
            "unknown pool \"l9\" (valid: l1, l2, l3)",
        ),
        (">= 0.9", "nothing before `>=`"),
    ] {
        let e = staff::parse_target(expr, &s).unwrap_err().to_string();
        assert!(e.contains(want), "{expr}: {e}");
    }
    let e = staff::parse_pools(Some("l1,l9"), &s)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("no pool named \"l9\" (pools: l1, l2, l3)"),
        "{e}"
    );
    let e = staff::parse_targets(&[], &s).unwrap_err().to_string();
    assert!(e.contains("no targets"), "{e}");
}

#[test]
fn staff_command_writes_outputs_and_rejects_bad_targets() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    bin()
        .arg("staff")
        .arg(repo("tests/data/tiered-headcount.toml"))
        .args(["--target", "first_response.P1.attainment >= 0.8"])
        .args(["--target", "resolution.all.p90_hours <= 24"])
        .args(["--replications", "10", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("evaluations:"))
        .stdout(predicate::str::contains("agent_hours_per_week"));
    for f in [
        "staffing.csv",
        "staffing.parquet",
        "targets.csv",
        "search_log.csv",
        "scenario.staffed.toml",
        "staff_info.toml",
    ] {
        assert!(out.join(f).exists(), "missing {f}");
    }
    let staffing = std::fs::read_to_string(out.join("staffing.csv")).unwrap();
    assert!(
        staffing.starts_with(
            "pool,file_headcount,stability_floor,erlang_start,search_answer,answer,cap\nl1,6,"
        ),
        "{staffing}"
    );
    let targets = std::fs::read_to_string(out.join("targets.csv")).unwrap();
    assert_eq!(targets.lines().count(), 3);
    assert!(
        targets.lines().skip(1).all(|l| l.ends_with(",true")),
        "{targets}"
    );
    let log = std::fs::read_to_string(out.join("search_log.csv")).unwrap();
    assert!(log.starts_with("phase,evaluation,l1,l2,l3,agent_hours_per_week,feasible,"));
    // The staffed scenario runs as it is.
    bin()
        .arg("validate")
        .arg(out.join("scenario.staffed.toml"))
        .assert()
        .success();

    for (target, want) in [
        (
            "first_response.P9.attainment >= 0.9",
            "--target \"first_response.P9.attainment >= 0.9\": unknown group \"P9\"",
        ),
        ("abandonment < 0.1", "invalid operator `<`: use >= or <="),
    ] {
        bin()
            .arg("staff")
            .arg(repo("tests/data/tiered-headcount.toml"))
            .args(["--target", target, "--out"])
            .arg(dir.path().join("bad"))
            .assert()
            .code(1)
            .stderr(predicate::str::contains(want));
    }
    bin()
        .arg("staff")
        .arg(repo("tests/data/tiered-headcount.toml"))
        .args([
            "--target",
            "abandonment <= 0.4",
            "--pools",
            "l1,l4",
            "--out",
        ])
        .arg(dir.path().join("bad"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no pool named \"l4\""));
}

/// Shards repeat the search and split the confirmation replications; merging them gives the
/// run of the staffed scenario on the confirmation seed byte for byte.
#[test]
fn sharded_confirmation_merges_into_the_unsharded_run() {
    let dir = tempfile::tempdir().unwrap();
    let (f, _) = two_tier(dir.path());
    let staff_cmd = |extra: &[&str], out: &Path| {
        let mut c = bin();
        c.arg("staff").arg(&f);
        for t in TARGETS {
            c.args(["--target", t]);
        }
        c.args(["--replications", "6", "--quiet"])
            .args(extra)
            .arg("--out")
            .arg(out)
            .assert()
            .success();
    };
    let whole = dir.path().join("whole");
    staff_cmd(&[], &whole);
    let (s0, s1) = (dir.path().join("s0"), dir.path().join("s1"));
    staff_cmd(&["--shard", "0/2"], &s0);
    staff_cmd(&["--shard", "1/2"], &s1);
    let merged = dir.path().join("merged");
    bin()
        .arg("merge")
        .arg(&s0)
        .arg(&s1)
        .args(["--quiet", "--out"])
        .arg(&merged)
        .assert()
        .success();
    let run = dir.path().join("run");
    bin()
        .arg("run")
        .arg(whole.join("scenario.staffed.toml"))
        .args(["--quiet", "--out"])
        .arg(&run)
        .assert()
        .success();
    let a = std::fs::read(merged.join("summary.csv")).unwrap();
    let b = std::fs::read(run.join("summary.csv")).unwrap();
    assert!(a == b, "merged shards differ from the staffed run");
    let info = std::fs::read_to_string(whole.join("staff_info.toml")).unwrap();
    assert!(info.contains("confirmation_seed = 1000005"), "{info}");
}

/// A pool staffed by a day and a night shift: the search varies each shift's headcount and
/// returns the grid's cheapest feasible pair.
#[test]
fn shift_pools_are_searched_per_shift() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("shifts.toml");
    std::fs::write(
        &f,
        r#"
name = "shiftpool"
[run]
warmup_days = 1
horizon_days = 4
drain_days = 1
replications = 10
[demand]
tickets_per_hour = 20
channels = { phone = 1.0 }
priorities = { P2 = 1.0 }
segments = { s = 1.0 }
required_level = { 1 = 1.0 }
[[pools]]
name = "l1"
[[pools.shifts]]
name = "day"
days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
start = "06:00"
end = "18:00"
headcount = 4
[[pools.shifts]]
name = "night"
days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
start = "18:00"
end = "06:00"
headcount = 4
[[tiers]]
level = 1
pool = "l1"
work_time.default = { dist = "exponential", mean_min = 6 }
[[sla]]
first_response = { target_min = 5, goal = 0.8 }
"#,
    )
    .unwrap();
    let s = Scenario::load(&f).unwrap();
    let targets = vec!["first_response.all.attainment >= 0.8".to_string()];
    let p = staff::problem(&s, &f, &targets, None, 0.95, 5, 10, 10).unwrap();
    assert_eq!(p.pools, vec!["l1.shifts.day", "l1.shifts.night"]);
    let start = staff::erlang_start(&s, &p.pools);
    let mut ev = Evaluator::new(&p, p.seed, p.replications, &|| {});
    let answer = staff::search_from(&mut ev, &start).unwrap();
    let mut grid = Evaluator::new(&p, p.seed, p.replications, &|| {});
    let vectors: Vec<Vec<u32>> = (p.floor[0]..=6)
        .flat_map(|a| (p.floor[1]..=6).map(move |b| vec![a, b]))
        .collect();
    let all = grid.eval_many(&vectors).unwrap();
    let best = all
        .iter()
        .filter(|e| e.feasible)
        .min_by(|x, y| {
            x.cost
                .total_cmp(&y.cost)
                .then(x.headcount.cmp(&y.headcount))
        })
        .unwrap();
    assert_eq!(answer.headcount, best.headcount);
    // 7 agents on 12-hour shifts, every day: 7 x 84 agent-hours per week.
    assert!((answer.cost - 588.0).abs() < 1e-9, "{}", answer.cost);
}

/// When every pool has a price the search minimises labour dollars per week (scheduled hours
/// x price), else paid agent-hours.
#[test]
fn priced_pools_are_searched_on_labour_cost() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(repo("tests/data/tiered-headcount.toml"))
        .unwrap()
        .replace(
            "name = \"l1\"\nheadcount = 6",
            "name = \"l1\"\nheadcount = 6\ncost_per_hour_usd = 35",
        )
        .replace(
            "name = \"l2\"\nheadcount = 5",
            "name = \"l2\"\nheadcount = 5\ncost_per_hour_usd = 55",
        )
        .replace(
            "name = \"l3\"\nheadcount = 3",
            "name = \"l3\"\nheadcount = 3\ncost_per_hour_usd = 85",
        );
    let f = dir.path().join("priced.toml");
    std::fs::write(&f, text).unwrap();
    let s = Scenario::load(&f).unwrap();
    let targets = vec!["abandonment <= 0.5".to_string()];
    let p = staff::problem(&s, &f, &targets, None, 0.95, 5, 4, 4).unwrap();
    assert_eq!(p.cost, staff::CostModel::LabourUsdPerWeek);
    // 65 scheduled hours a week per agent: (6 x 35 + 5 x 55 + 3 x 85) x 65.
    assert!(
        (p.cost.cost(&s) - 740.0 * 65.0).abs() < 1e-6,
        "{}",
        p.cost.cost(&s)
    );
    let plain = Scenario::load(&repo("tests/data/tiered-headcount.toml")).unwrap();
    let q = staff::problem(&plain, &f, &targets, None, 0.95, 5, 4, 4).unwrap();
    assert_eq!(q.cost, staff::CostModel::AgentHoursPerWeek);
    assert!((q.cost.cost(&plain) - 14.0 * 65.0).abs() < 1e-6);
}

/// `staff` estimates the whole search before it starts (expected evaluations x replications
/// x tickets per replication at the budget's speed) and refuses above the time limit unless
/// `--force`, naming the estimate. One evaluation alone (what was checked before) fits:
/// 100,000 replications of mmc's 21,600 tickets are 18 min on two threads; the search's 5
/// evaluations and the confirmation's 2 are 2.1 h.
#[test]
fn staff_refuses_a_search_over_its_time_budget() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let args = [
        "--target",
        "first_response.all.attainment >= 0.8",
        "--replications",
        "100000",
        "--threads",
        "2",
    ];
    let started = std::time::Instant::now();
    bin()
        .arg("staff")
        .arg(repo("scenarios/mmc.toml"))
        .args(args)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "staffing search of 1 pool(s): about 5 evaluations x 100000 replications, then a confirmation of 100000 replications",
        ))
        .stderr(predicate::str::contains(
            "would simulate about 1.51e10 tickets, roughly 2.1 h on 2 thread(s) (limit 60.0 min)",
        ))
        .stderr(predicate::str::contains("--force"));
    assert!(!out.exists(), "nothing may be written");
    assert!(started.elapsed().as_secs() < 30, "refused before any work");
    // With --force the estimate is not a refusal: the command goes on to the output folder
    // (here a file, so it stops there, before simulating anything).
    let file = dir.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    bin()
        .arg("staff")
        .arg(repo("scenarios/mmc.toml"))
        .args(args)
        .arg("--force")
        .arg("--out")
        .arg(&file)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("would simulate").not())
        .stderr(predicate::str::contains("a-file"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
}

/// A first-response target never looks past L1, so the search leaves L2 at its stability
/// floor, where the load, not a target, sets it: the command must say so and name a target
/// that covers it.
#[test]
fn an_answer_at_the_stability_floor_is_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let (file, _) = two_tier(dir.path());
    let out = bin()
        .arg("staff")
        .arg(&file)
        .args(["--target", "first_response.all.mean_min <= 2"])
        .args(["--replications", "6", "--out"])
        .arg(dir.path().join("out"))
        .assert()
        .success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(
        stdout.contains("note: l2 is at the stability floor")
            && stdout.contains("--target 'utilisation.l2 <= 0.9'"),
        "{stdout}"
    );
}
