//! `supportsim sweep`: overrides, common random numbers across points, and the command itself.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::{Path, PathBuf};
use supportsim::scenario::{ModelKind, Scenario};
use supportsim::stats::paired::paired;
use supportsim::study::sweep::{self, apply, base_tree, evaluate, grid, parse_all};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_supportsim"))
}

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn load(rel: &str) -> Scenario {
    Scenario::load(&repo(rel)).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn overrides_reach_the_validated_scenario() {
    let file = repo("tests/data/tiered-headcount.toml");
    let base = load("tests/data/tiered-headcount.toml");
    let tree = base_tree(&base.raw).unwrap();
    let varies = parse_all(
        &[
            "model=tiered,swarm".into(),
            "pools.l1.headcount=4,9".into(),
            "demand.growth_per_month=0.05".into(),
            "tiers.3.regather_min.value_min=30".into(),
        ],
        &tree,
        "--vary",
    )
    .unwrap();
    let points = grid(&varies);
    assert_eq!(points.len(), 4);
    let s: Vec<Scenario> = points
        .iter()
        .map(|p| apply(&tree, &p.settings, &file).unwrap())
        .collect();
    assert_eq!(s[0].model, ModelKind::Tiered);
    assert_eq!(s[3].model, ModelKind::Swarm);
    let l1 = |s: &Scenario| s.pools.iter().find(|p| p.name == "l1").unwrap().headcount;
    assert_eq!((l1(&s[0]), l1(&s[1])), (4, 9));
    assert_eq!(s[1].raw.pools[0].headcount, 9);
    for x in &s {
        assert_eq!(x.raw.demand.growth_per_month, 0.05);
        assert_eq!(
            x.run.seed, base.run.seed,
            "the seed is common to all points"
        );
    }
    // Growth raises the arrival rate late in the run above the base's.
    let last_rate = |s: &Scenario| s.demand.segments.last().unwrap().rate_per_min;
    assert!(last_rate(&s[0]) > last_rate(&base));
    // The untouched pools and tiers stay as in the file.
    assert_eq!(s[1].raw.pools[1].headcount, base.raw.pools[1].headcount);
    assert!(
        toml::to_string(&s[0].raw.tiers[2])
            .unwrap()
            .contains("value_min = 30")
    );
}

#[test]
fn a_point_that_fails_validation_is_named() {
    let file = repo("tests/data/tiered-headcount.toml");
    let base = load("tests/data/tiered-headcount.toml");
    let tree = base_tree(&base.raw).unwrap();
    let varies = parse_all(&["pools.l1.headcount=0,4".into()], &tree, "--vary").unwrap();
    let e = apply(&tree, &grid(&varies)[0].settings, &file)
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("point pools.l1.headcount=0: "), "{e}");
    assert!(e.contains("tiers[0].pool"), "{e}");
}

/// More agents never make the mean first-response time worse on common random numbers: the
/// same arrivals and work times meet more servers, and FIFO service with more servers never
/// starts a call later (sample-path monotone), so it holds replication by replication.
#[test]
fn more_staff_never_worsens_wait_on_common_random_numbers() {
    let file = repo("scenarios/mmc.toml");
    let mut base = load("scenarios/mmc.toml");
    base.raw.run.horizon_days = 2.0;
    base.raw.run.replications = 20;
    let tree = base_tree(&base.raw).unwrap();
    let varies = parse_all(&["pools.agents.headcount=11..14".into()], &tree, "--vary").unwrap();
    let points = grid(&varies);
    assert_eq!(points.len(), 4);
    let scenarios: Vec<Scenario> = points
        .iter()
        .map(|p| apply(&tree, &p.settings, &file).unwrap())
        .collect();
    let results = evaluate(&scenarios, 20, &|| {});
    let fr: Vec<Vec<f64>> = results
        .iter()
        .map(|r| r.column("first_response_time_min", "all").unwrap())
        .collect();
    for k in 1..fr.len() {
        let (a, b) = (&fr[k - 1], &fr[k]);
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        assert!(mean(b) <= mean(a), "point {k}: {} > {}", mean(b), mean(a));
        let d = paired(a, b);
        assert!(
            d.ci_high <= 0.0,
            "point {k}: paired difference {:.4} [{:.4}, {:.4}]",
            d.mean,
            d.ci_low,
            d.ci_high
        );
        for (i, (x, y)) in a.iter().zip(b).enumerate() {
            assert!(y <= x, "point {k}, replication {i}: {y} > {x}");
        }
    }
    // Agent-hours grow with headcount (the frontier's cost axis).
    let cost: Vec<f64> = scenarios.iter().map(sweep::agent_hours_per_week).collect();
    assert_eq!(
        cost,
        vec![11.0 * 168.0, 12.0 * 168.0, 13.0 * 168.0, 14.0 * 168.0]
    );
}

#[test]
fn sweep_command_writes_table_charts_and_frontier() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    bin()
        .arg("sweep")
        .arg(repo("tests/data/tiered-headcount.toml"))
        .args(["--vary", "model=tiered,swarm"])
        .args(["--vary", "demand.growth_per_month=0,0.05"])
        .args(["--replications", "3"])
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("4 points x 3 replications"))
        .stdout(predicate::str::contains("Pareto-optimal"));
    let csv = std::fs::read_to_string(out.join("sweep.csv")).unwrap();
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    assert!(
        header.starts_with(
            "point,model,demand.growth_per_month,agent_hours_per_week,pareto_optimal,metric,priority,segment,"
        ) && header.ends_with(",n_replications,mean,ci_low,ci_high")
            && !header.contains("group"),
        "{header}"
    );
    let mut points: Vec<&str> = lines.map(|l| l.split(',').next().unwrap()).collect();
    points.dedup();
    assert_eq!(points, vec!["0", "1", "2", "3"]);
    assert!(
        csv.contains("\n3,swarm,0.05,910.0,"),
        "agent-hours: 14 agents x 65 h"
    );
    for f in [
        "sweep.parquet",
        "replications.parquet",
        "sweep_info.toml",
        "charts/frontier.png",
        "charts/frontier.svg",
        "charts/resolution_time_min_vs_model.png",
    ] {
        assert!(out.join(f).exists(), "missing {f}");
    }
}

#[test]
fn sweep_command_rejects_bad_vary_naming_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    for (vary, want) in [
        (
            "pools.l9.headcount=3,4",
            "--vary pools.l9.headcount=3,4: no pool named \"l9\" (pools: l1, l2, l3)",
        ),
        ("pools.l1.headcount=3..1:1", "empty range"),
        ("demand.growth=0.1", "did you mean growth_per_month?"),
    ] {
        bin()
            .arg("sweep")
            .arg(repo("tests/data/tiered-headcount.toml"))
            .args(["--vary", vary])
            .arg("--out")
            .arg(dir.path())
            .assert()
            .code(1)
            .stderr(predicate::str::contains(want));
    }
}

#[test]
fn sweep_table_in_the_file_is_used_and_ignored_by_run() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(repo("scenarios/mmc.toml"))
        .unwrap()
        .replace("horizon_days = 7", "horizon_days = 1")
        + "\n[sweep]\nvary = [\"pools.agents.headcount=12..13\"]\n";
    let f = dir.path().join("mmc-sweep.toml");
    std::fs::write(&f, text).unwrap();
    bin().arg("validate").arg(&f).assert().success();
    let out = dir.path().join("out");
    bin()
        .arg("sweep")
        .arg(&f)
        .args(["--replications", "2", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("2 points x 2 replications"));
    let csv = std::fs::read_to_string(out.join("sweep.csv")).unwrap();
    assert!(csv.starts_with("point,pools.agents.headcount,agent_hours_per_week,"));
    // mmc has only a first-response target: the frontier uses it.
    let info = std::fs::read_to_string(out.join("sweep_info.toml")).unwrap();
    assert!(
        info.contains("frontier_metric = \"sla_first_response_attainment\""),
        "{info}"
    );
    // An explicit --vary replaces the file's list.
    bin()
        .arg("sweep")
        .arg(&f)
        .args([
            "--vary",
            "pools.agents.headcount=14",
            "--replications",
            "2",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("1 points x 2 replications"));
}

/// When every point is priced the sweep's cost axis is money: the mean total cost per week,
/// which moves by exactly the added agents' pay when the vendor bill is the same.
#[test]
fn priced_sweeps_cost_money() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    bin()
        .arg("sweep")
        .arg(repo("scenarios/saas-midmarket-tiered.toml"))
        .args(["--vary", "pools.l1.shifts.early.headcount=6,8"])
        .args(["--replications", "4", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("Pareto-optimal on USD/week"));
    let csv = std::fs::read_to_string(out.join("sweep.csv")).unwrap();
    assert!(
        csv.starts_with("point,pools.l1.shifts.early.headcount,cost_usd_per_week,pareto_optimal,")
    );
    let mean = csv
        .lines()
        .next()
        .unwrap()
        .split(',')
        .position(|c| c == "mean")
        .unwrap();
    let value = |point: &str, metric: &str| -> f64 {
        let line = csv
            .lines()
            .find(|l| l.starts_with(&format!("{point},")) && l.contains(&format!(",{metric},")))
            .unwrap();
        line.split(',').nth(mean).unwrap().parse().unwrap()
    };
    // Two more early-shift L1 agents: 2 x 40 h x $42 a week, over the 4-week window.
    let l1 = value("1", "labour_cost_usd") - value("0", "labour_cost_usd");
    assert_eq!(l1, 2.0 * 40.0 * 42.0 * 4.0);
    let week = |p: &str| value(p, "cost_usd_per_week");
    let vendor = |p: &str| value(p, "vendor_cost_usd");
    let diff = week("1") - week("0") - (vendor("1") - vendor("0")) / 4.0;
    assert!((diff - 3_360.0).abs() < 1e-6, "{diff}");
    // The cost column is that per-week mean.
    let first = csv.lines().nth(1).unwrap();
    let cost: f64 = first.split(',').nth(2).unwrap().parse().unwrap();
    assert_eq!(cost, week("0"));
}

/// The sweep's long tables stream to the staging folder point by point and are written one
/// Parquet row group at a time: the bytes do not depend on the thread count, equal what a
/// whole-table write of the same rows gives, and no scratch file is left in the folder.
#[test]
fn streamed_sweep_tables_equal_whole_table_writes_on_any_thread_count() {
    use polars::prelude::{ParquetReader, SerReader};
    use supportsim::export::tables;
    let dir = tempfile::tempdir().unwrap();
    let mut outs = Vec::new();
    for threads in ["1", "3"] {
        let out = dir.path().join(format!("t{threads}"));
        bin()
            .arg("sweep")
            .arg(repo("scenarios/mmc.toml"))
            .args(["--vary", "pools.agents.headcount=12..17"])
            .args(["--vary", "demand.tickets_per_hour=90,100"])
            .args([
                "--replications",
                "2",
                "--threads",
                threads,
                "--quiet",
                "--out",
            ])
            .arg(&out)
            .assert()
            .success();
        outs.push(out);
    }
    for f in [
        "sweep.csv",
        "sweep.parquet",
        "replications.parquet",
        "sweep_info.toml",
        "charts/frontier.svg",
    ] {
        let a = std::fs::read(outs[0].join(f)).unwrap();
        let b = std::fs::read(outs[1].join(f)).unwrap();
        assert!(a == b, "{f} differs between 1 and 3 threads");
    }
    let names: Vec<String> = std::fs::read_dir(&outs[0])
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names.iter().any(|n| n.starts_with(".sweep")),
        "scratch left: {names:?}"
    );
    for (parquet, csv) in [
        ("sweep.parquet", Some("sweep.csv")),
        ("replications.parquet", None),
    ] {
        let bytes = std::fs::read(outs[0].join(parquet)).unwrap();
        let mut df = ParquetReader::new(std::io::Cursor::new(bytes.clone()))
            .finish()
            .unwrap();
        assert_eq!(tables::parquet_bytes(&mut df).unwrap(), bytes, "{parquet}");
        if let Some(csv) = csv {
            let text = std::fs::read(outs[0].join(csv)).unwrap();
            assert_eq!(tables::csv_bytes(&mut df).unwrap(), text, "{csv}");
            // 12 points of every metric.
            assert_eq!(df.column("point").unwrap().n_unique().unwrap(), 12);
        }
    }
}

/// `[sweep] vary = []` is no grid: `validate` and `run` accept the file, and `sweep --vary`
/// replaces the empty list as it replaces a full one (all three once refused the file with
/// "nothing to sweep").
#[test]
fn an_empty_file_grid_is_ignored_by_run_and_replaced_by_vary() {
    let dir = tempfile::tempdir().unwrap();
    let text =
        std::fs::read_to_string(repo("scenarios/mmc.toml")).unwrap() + "\n[sweep]\nvary = []\n";
    let file = dir.path().join("empty-grid.toml");
    std::fs::write(&file, text).unwrap();
    bin().arg("validate").arg(&file).assert().success();
    bin()
        .args(["run", "--replications", "2", "--quiet", "--out"])
        .arg(dir.path().join("run"))
        .arg(&file)
        .assert()
        .success();
    bin()
        .args([
            "sweep",
            "--vary",
            "pools.agents.headcount=12,13",
            "--replications",
            "2",
        ])
        .args(["--quiet", "--out"])
        .arg(dir.path().join("sweep"))
        .arg(&file)
        .assert()
        .success();
}

/// A point whose pool needs more than its agents (M/M/12 at 12.5 erlangs) is named as one
/// that cannot keep up, in the terminal and in `sweep_info.toml`; the stable point is not.
#[test]
fn a_point_past_capacity_is_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    bin()
        .arg("sweep")
        .arg(repo("scenarios/mmc.toml"))
        .args(["--vary", "demand.tickets_per_hour=100,125"])
        .args(["--replications", "2"])
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "WARNING: a pool cannot keep up at these points",
        ))
        .stdout(predicate::str::contains(
            "#1 (demand.tickets_per_hour=125.0: agents needs 104% of its capacity, 100% busy)",
        ))
        .stdout(predicate::str::contains("=100.0: agents needs").not());
    let info = std::fs::read_to_string(out.join("sweep_info.toml")).unwrap();
    let pools: Vec<&str> = info
        .lines()
        .filter(|l| l.starts_with("overloaded_pools"))
        .collect();
    assert_eq!(
        pools,
        vec!["overloaded_pools = []", "overloaded_pools = [\"agents\"]"]
    );
}
