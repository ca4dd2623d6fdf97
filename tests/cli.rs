//! The `supportsim` binary, driven as a user would.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

/// The binary, laid out wide: these tests look for whole table rows (the layout at terminal
/// widths is tested in `tables_fit_the_terminal_width`).
fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_supportsim"));
    c.env("SUPPORTSIM_COLUMNS", "400");
    c
}

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

#[test]
fn validate_prints_offered_load_and_utilisation() {
    bin()
        .arg("validate")
        .arg(repo("scenarios/saas-midmarket-tiered.toml"))
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "valid scenario \"saas-midmarket-tiered\"",
        ))
        .stdout(predicate::str::contains("offered load"))
        .stdout(predicate::str::contains("l3"))
        // Headcount as scheduled FTE and as on duty at peak and on average (L1: 13 FTE in two
        // shifts of 7 and 6; after shrinkage at most 10 on duty where they overlap, 2.17 on average).
        .stdout(predicate::str::contains("scheduled FTE"))
        .stdout(
            predicate::str::is_match(r"l1 +┆ L1 +┆ 1438 +┆ 9\.1 +┆ 1\.30 +┆ 13\.0 +┆ 10 +┆ 2\.17")
                .unwrap(),
        );
}

#[test]
fn validate_fails_naming_file_key_and_problem() {
    bin()
        .arg("validate")
        .arg(repo("tests/data/invalid/missing_pool.toml"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("missing_pool.toml"))
        .stderr(predicate::str::contains(
            "tiers[0].pool: no pool named \"l9\"",
        ));
}

#[test]
fn validate_warns_when_utilisation_reaches_one() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(repo("scenarios/mmc.toml"))
        .unwrap()
        .replace("headcount = 12", "headcount = 9");
    let f = dir.path().join("over.toml");
    std::fs::write(&f, text).unwrap();
    bin()
        .arg("validate")
        .arg(&f)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "warning: pool \"agents\": estimated utilisation 1.11 >= 1",
        ));
}

#[test]
fn run_writes_tables_charts_and_provenance_and_nothing_partial() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    bin()
        .args([
            "run",
            repo("scenarios/mmc.toml").to_str().unwrap(),
            "--replications",
            "8",
            "--seed",
            "3",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("first response time (MTTA)"))
        .stdout(predicate::str::contains("SLA target"));
    for f in [
        "summary.csv",
        "summary.parquet",
        "replications.parquet",
        "timeseries.parquet",
        "timeseries.csv",
        "charts/sla_attainment_by_priority.png",
        "charts/sla_attainment_by_priority.svg",
        "charts/backlog_over_time.png",
        "scenario.resolved.toml",
        "run_info.toml",
    ] {
        let p = out.join(f);
        assert!(
            p.exists() && std::fs::metadata(&p).unwrap().len() > 0,
            "{f} missing or empty"
        );
    }
    // Only the manifest is hidden; no temporary is left in the folder or beside it.
    let leftovers: Vec<_> = [&out, dir.path()]
        .iter()
        .flat_map(|d| std::fs::read_dir(d).unwrap())
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') && n != ".supportsim-manifest.json")
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    let csv = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    assert!(
        csv.starts_with(
            "metric,priority,segment,channel,target,stage,pool,within_min,n_replications,mean,std_dev,std_error,ci_low,ci_high,p50,p90,p99,goal\n"
        ),
        "{csv}"
    );
    let info = std::fs::read_to_string(out.join("run_info.toml")).unwrap();
    assert!(
        info.contains("seed = 3") && info.contains("replications = 8"),
        "{info}"
    );
}

#[test]
fn run_of_an_invalid_scenario_writes_no_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    bin()
        .args([
            "run",
            repo("tests/data/invalid/nan_rate.toml").to_str().unwrap(),
            "--out",
        ])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "demand.tickets_per_hour: must be a finite number",
        ));
    assert!(!out.exists());
}

#[test]
fn erlang_c_reports_the_classic_example_and_sizes_staffing() {
    bin()
        .args([
            "erlang",
            "c",
            "--arrivals-per-hour",
            "100",
            "--aht-min",
            "6",
            "--agents",
            "12",
            "--target-sec",
            "20",
            "--service-level",
            "0.8",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("offered load 10.00 erlangs"))
        .stdout(predicate::str::contains(
            "14 agents (fewest for 80% in 20 s)",
        ));
}

#[test]
fn erlang_without_a_question_is_a_clear_error() {
    bin()
        .args([
            "erlang",
            "a",
            "--arrivals-per-hour",
            "100",
            "--aht-min",
            "6",
            "--patience-min",
            "3",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("give --agents N"));
}

#[test]
fn unknown_subcommand_is_a_usage_error() {
    bin().arg("frobnicate").assert().code(2);
}

#[test]
fn compare_writes_a_paired_comparison_table_and_charts() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cmp");
    let assert = bin()
        .args([
            "compare",
            repo("scenarios/saas-midmarket-tiered.toml")
                .to_str()
                .unwrap(),
            repo("scenarios/saas-midmarket-swarm.toml")
                .to_str()
                .unwrap(),
            "--replications",
            "6",
            "--out",
            out.to_str().unwrap(),
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("common random numbers"))
        .stdout(predicate::str::contains("paired difference [95% CI]"))
        .stdout(predicate::str::contains("unpaired 95% CI"))
        .stdout(predicate::str::contains(
            "saas-midmarket-swarm better (>99.9% confidence)",
        ));
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(stdout.contains("handoffs per ticket"), "{stdout}");
    let csv = std::fs::read_to_string(out.join("comparison.csv")).unwrap();
    let header = csv.lines().next().unwrap();
    // `metric`, the key columns (typed, nullable), then the comparison.
    assert!(header.starts_with("metric,priority,segment,"), "{header}");
    assert!(!header.contains("group"), "{header}");
    assert!(
        header.ends_with(
            ",design,model,n_replications,mean,ci_low,ci_high,baseline,diff_mean,diff_std_error,diff_ci_low,diff_ci_high,unpaired_ci_low,unpaired_ci_high,direction,better,confidence,practical_threshold"
        ),
        "{header}"
    );
    let keys = header.split(',').take_while(|c| *c != "design").count() - 1;
    let all_row = format!(
        "handoffs_per_ticket,{}saas-midmarket-swarm,swarm,6,0.0,",
        ",".repeat(keys)
    );
    assert!(
        csv.lines()
            .any(|l| l.starts_with(&all_row) && l.contains(",lower_is_better,design,")),
        "{csv}"
    );
    for f in [
        "comparison.parquet",
        "replications.parquet",
        "compare_info.toml",
        "charts/resolution_cdf.png",
        "charts/resolution_cdf.svg",
        "charts/sla_resolution_by_priority.png",
        "charts/agent_minutes_per_ticket.svg",
        "charts/handoffs_per_ticket.svg",
        "charts/paired_differences.png",
        "scenarios/saas-midmarket-swarm.resolved.toml",
    ] {
        assert!(out.join(f).exists(), "{f} missing");
    }
}

/// A significant difference below the practical threshold is "no practical difference": the
/// swarm's hand-overs (0 against the tiered baseline's) are significant at any threshold, and
/// a threshold of 150% of the baseline makes them too small to count.
#[test]
fn compare_flags_differences_below_the_practical_threshold() {
    let dir = tempfile::tempdir().unwrap();
    let run = |practical: &str, name: &str| {
        let out = dir.path().join(name);
        let assert = bin()
            .args([
                "compare",
                repo("scenarios/saas-midmarket-tiered.toml")
                    .to_str()
                    .unwrap(),
                repo("scenarios/saas-midmarket-swarm.toml")
                    .to_str()
                    .unwrap(),
                "--replications",
                "4",
                "--practical",
                practical,
                "--out",
                out.to_str().unwrap(),
            ])
            .assert()
            .success();
        let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
        let csv = std::fs::read_to_string(out.join("comparison.csv")).unwrap();
        let row = csv
            .lines()
            .find(|l| l.starts_with("handoffs_per_ticket,") && l.contains(",saas-midmarket-swarm,"))
            .unwrap()
            .to_string();
        (stdout, row)
    };
    let (stdout, row) = run("handoffs_per_ticket=150%", "wide");
    assert!(
        row.contains(",lower_is_better,no_practical_difference,"),
        "{row}"
    );
    assert!(
        stdout.contains("no practical difference (|Δ| <"),
        "{stdout}"
    );
    assert!(
        stdout.contains("change with --practical METRIC=VALUE"),
        "{stdout}"
    );
    let (stdout, row) = run("handoffs_per_ticket=0", "off");
    assert!(row.contains(",lower_is_better,design,"), "{row}");
    assert!(row.ends_with(",0.0"), "{row}");
    assert!(
        stdout
            .lines()
            .any(|l| l.contains("handoffs per ticket") && l.contains("swarm better")),
        "{stdout}"
    );
    bin()
        .args([
            "compare",
            repo("scenarios/saas-midmarket-tiered.toml")
                .to_str()
                .unwrap(),
            repo("scenarios/saas-midmarket-swarm.toml")
                .to_str()
                .unwrap(),
            "--practical",
            "handoffs=1",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("unknown metric \"handoffs\""));
}

#[test]
fn compare_one_file_under_several_models() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cmp");
    bin()
        .args([
            "compare",
            repo("scenarios/saas-midmarket-tiered.toml")
                .to_str()
                .unwrap(),
            "--models",
            "tiered,pooled_tiered,hybrid",
            "--replications",
            "3",
            "--out",
            out.to_str().unwrap(),
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("pooled_tiered [95% CI]"))
        .stdout(predicate::str::contains("hybrid − tiered"));
}

#[test]
fn compare_needs_two_designs_and_valid_models() {
    bin()
        .args([
            "compare",
            repo("scenarios/saas-midmarket-tiered.toml")
                .to_str()
                .unwrap(),
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "compare needs at least two designs",
        ));
    bin()
        .args([
            "compare",
            repo("scenarios/saas-midmarket-tiered.toml")
                .to_str()
                .unwrap(),
            "--models",
            "tiered,swarmy",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("unknown model \"swarmy\""));
}

#[test]
fn compare_output_is_identical_with_one_or_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    let mut tables = Vec::new();
    for threads in ["1", "2"] {
        let out = dir.path().join(format!("t{threads}"));
        bin()
            .args([
                "compare",
                repo("scenarios/saas-midmarket-tiered.toml")
                    .to_str()
                    .unwrap(),
                repo("scenarios/saas-midmarket-swarm.toml")
                    .to_str()
                    .unwrap(),
                "--replications",
                "4",
                "--threads",
                threads,
                "--quiet",
                "--out",
                out.to_str().unwrap(),
            ])
            .assert()
            .success();
        tables.push((
            std::fs::read(out.join("comparison.csv")).unwrap(),
            std::fs::read(out.join("comparison.parquet")).unwrap(),
            std::fs::read(out.join("charts/paired_differences.svg")).unwrap(),
        ));
    }
    assert!(
        tables[0] == tables[1],
        "compare output depends on the thread count"
    );
}

fn shard(dir: &Path, spec: &str, seed: &str, env: Option<(&str, &str)>) -> PathBuf {
    let out = dir.join(format!("shard-{}-{seed}", spec.replace('/', "-")));
    let mut cmd = bin();
    cmd.args([
        "run",
        repo("scenarios/saas-midmarket-swarm.toml")
            .to_str()
            .unwrap(),
        "--replications",
        "7",
        "--seed",
        seed,
        "--shard",
        spec,
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    if let Some((k, v)) = env {
        cmd.env(k, v);
    }
    cmd.assert().success();
    out
}

/// Three shards (one taking its index from a job scheduler's variable), merged in any order,
/// give byte-identical tables, charts and report to a single-machine run.
#[test]
fn merged_shards_equal_the_unsharded_run() {
    let dir = tempfile::tempdir().unwrap();
    let full = dir.path().join("full");
    bin()
        .args([
            "run",
            repo("scenarios/saas-midmarket-swarm.toml")
                .to_str()
                .unwrap(),
            "--replications",
            "7",
            "--seed",
            "5",
            "--quiet",
            "--out",
            full.to_str().unwrap(),
        ])
        .assert()
        .success();
    let s0 = shard(dir.path(), "0/3", "5", None);
    let s1 = shard(
        dir.path(),
        "JOB_COMPLETION_INDEX/3",
        "5",
        Some(("JOB_COMPLETION_INDEX", "1")),
    );
    let s2 = shard(dir.path(), "2/3", "5", None);
    let merged = dir.path().join("merged");
    bin()
        .arg("merge")
        .args([&s2, &s0, &s1])
        .args(["--out", merged.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains("merged 3 shards"));
    for f in [
        "summary.csv",
        "summary.parquet",
        "replications.parquet",
        "timeseries.csv",
        "report.html",
        "charts/resolution_cdf.svg",
        "charts/backlog_over_time.png",
        "scenario.resolved.toml",
    ] {
        let a = std::fs::read(full.join(f)).unwrap();
        let b = std::fs::read(merged.join(f)).unwrap();
        assert!(
            a == b,
            "{f} differs between the merged shards and the single run"
        );
    }
}

#[test]
fn merge_refuses_missing_repeated_or_foreign_shards() {
    let dir = tempfile::tempdir().unwrap();
    let s0 = shard(dir.path(), "0/3", "5", None);
    let s1 = shard(dir.path(), "1/3", "5", None);
    let other = shard(dir.path(), "2/3", "6", None);
    bin()
        .arg("merge")
        .args([&s0, &s1])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("missing shard 2/3"));
    bin()
        .arg("merge")
        .args([&s0, &s1, &s1])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("shard 1/3 is given twice"));
    bin()
        .arg("merge")
        .args([&s0, &s1, &other])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("are shards of different runs"));
    bin()
        .arg("merge")
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is not a shard partition"));
}

#[test]
fn bad_shard_specs_are_refused() {
    bin()
        .args([
            "run",
            repo("scenarios/mmc.toml").to_str().unwrap(),
            "--shard",
            "SLURM_ARRAY_TASK_ID/4",
        ])
        .env_remove("SLURM_ARRAY_TASK_ID")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "environment variable SLURM_ARRAY_TASK_ID is not set",
        ));
    bin()
        .args([
            "run",
            repo("scenarios/mmc.toml").to_str().unwrap(),
            "--shard",
            "4/4",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("must be below the shard count 4"));
}

/// A sweep split over two shards by point (one index from the scheduler's variable) merges
/// into byte-identical sweep outputs.
#[test]
fn merged_sweep_shards_equal_the_unsharded_sweep() {
    let dir = tempfile::tempdir().unwrap();
    let file = repo("scenarios/saas-midmarket-tiered.toml");
    let common = [
        "--vary",
        "model=tiered,swarm",
        "--vary",
        "demand.growth_per_month=0,0.05,0.1",
        "--replications",
        "3",
        "--quiet",
    ];
    let run = |out: &Path, shard: Option<&str>, env: Option<(&str, &str)>| {
        let mut cmd = bin();
        cmd.arg("sweep")
            .arg(&file)
            .args(common)
            .arg("--out")
            .arg(out);
        if let Some(s) = shard {
            cmd.args(["--shard", s]);
        }
        if let Some((k, v)) = env {
            cmd.env(k, v);
        }
        cmd.assert().success();
    };
    let (full, a, b) = (
        dir.path().join("full"),
        dir.path().join("a"),
        dir.path().join("b"),
    );
    run(&full, None, None);
    run(&a, Some("0/2"), None);
    run(
        &b,
        Some("SLURM_ARRAY_TASK_ID/2"),
        Some(("SLURM_ARRAY_TASK_ID", "1")),
    );
    let merged = dir.path().join("merged");
    bin()
        .arg("merge")
        .args([&b, &a])
        .args(["--out", merged.to_str().unwrap(), "--quiet"])
        .assert()
        .success();
    for f in [
        "sweep.csv",
        "sweep.parquet",
        "replications.parquet",
        "sweep_info.toml",
        "charts/frontier.svg",
    ] {
        let x = std::fs::read(full.join(f)).unwrap();
        let y = std::fs::read(merged.join(f)).unwrap();
        assert!(
            x == y,
            "{f} differs between the merged sweep shards and one machine"
        );
    }
    bin()
        .arg("merge")
        .arg(&a)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("missing sweep shard 1/2"));
    bin()
        .arg("merge")
        .args([&a, &dir.path().join("nothing")])
        .assert()
        .code(1);
}

/// The bundled follow-the-sun scenario: SLA attainment on each region's business-hours clock
/// and the full cost breakdown (outsourced invoice, credits, internal pay, vendor, total) in
/// the terminal, per invoice week in costs_weekly.csv.
#[test]
fn enterprise_run_reports_business_hours_slas_and_cost_breakdown() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let assert = bin()
        .arg("run")
        .arg(repo(
            "scenarios/enterprise-follow-the-sun-outsourced-l1.toml",
        ))
        .args(["--replications", "4", "--out"])
        .arg(&out)
        .assert()
        .success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    for needle in [
        "90% in 4 business h (apac)",
        "90% in 8 business h (emea)",
        "l1 (outsourced invoice) ┆ 43680",
        "l1 SLA credits",
        "l2 (internal pay)       ┆ 345600",
        "l3 (internal pay)       ┆ 288000",
        "L4 vendor",
        "total",
        "cost per resolved ticket: $",
    ] {
        assert!(stdout.contains(needle), "missing {needle:?} in\n{stdout}");
    }
    let weekly = std::fs::read_to_string(out.join("costs_weekly.csv")).unwrap();
    let lines: Vec<&str> = weekly.lines().collect();
    assert_eq!(
        lines[0],
        "week_start,item,pool,cost_usd,std_error,ci_low,ci_high"
    );
    // 4 invoice weeks x (3 pools, credits, vendor, total).
    assert_eq!(lines.len(), 1 + 4 * 6);
    assert!(
        lines[1].starts_with("2026-01-12,labour,l1,10920.0,"),
        "{}",
        lines[1]
    );
    assert!(weekly.contains("2026-02-02,sla_credits,"));
    assert!(out.join("charts/cost_breakdown.png").exists());
}

/// `validate` says what the bot does, per channel, with its price.
#[test]
fn validate_prints_the_bot() {
    bin()
        .args(["validate"])
        .arg(repo("scenarios/saas-midmarket-bot.toml"))
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "tier 0 chat: 75% of contacts meet the bot, which resolves 62% of those up to level 1",
        ))
        .stdout(predicate::str::contains("$0.90 a conversation"));
}

/// A model switched on from the command line says which of its settings came from defaults,
/// and says nothing when the file sets them.
#[test]
fn switching_the_model_names_the_defaults_it_runs_on() {
    let dir = tempfile::tempdir().unwrap();
    bin()
        .args(["compare", "--replications", "2", "--models", "tiered,swarm"])
        .arg(repo("scenarios/saas-midmarket-tiered.toml"))
        .arg("--out")
        .arg(dir.path().join("a"))
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "swarm: model \"swarm\" runs on defaults the file does not set: [swarm] owner level 2",
        ));
    bin()
        .args(["compare", "--replications", "2", "--models", "tiered,swarm"])
        .arg(repo("scenarios/saas-midmarket-swarm.toml"))
        .arg("--out")
        .arg(dir.path().join("b"))
        .assert()
        .success()
        .stderr(predicate::str::contains("runs on defaults").not());
}

/// An error's cause is printed once: the library message already quotes the I/O error, and
/// printing anyhow's chain as well said "No such file or directory" twice.
#[test]
fn an_error_cause_is_printed_once() {
    let out = bin()
        .arg("run")
        .arg("no-such-scenario.toml")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no-such-scenario.toml: cannot read scenario file"),
        "{err}"
    );
    assert_eq!(err.matches("os error 2").count(), 1, "{err}");
}

/// With a patience on every contact the queue is stable at any load (Erlang A): offered load
/// at capacity is a warning about abandonment, not about a queue growing without bound.
#[test]
fn overload_with_patience_warns_of_abandonment_not_of_an_unbounded_queue() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(repo("scenarios/mmc.toml"))
        .unwrap()
        .replace("headcount = 12", "headcount = 9")
        + "\n[customers]\npatience.phone = { dist = \"exponential\", mean_min = 5 }\n";
    let f = dir.path().join("over-patient.toml");
    std::fs::write(&f, text).unwrap();
    bin()
        .arg("validate")
        .arg(&f)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "offered load 10.0 erlangs is at or above its 9.0 agents on duty",
        ))
        .stdout(predicate::str::contains("expect heavy abandonment"))
        .stdout(predicate::str::contains("grows without bound").not());
}

/// A time series fine enough to build a table of millions of rows is refused before any work
/// (the bundled tiered file at 0.0505-minute intervals: 998k intervals x 11 series, which
/// peaked at 3 GB while its outputs were built), and `--xlsx` with a table longer than a sheet
/// is refused before the runs, not after them.
#[test]
fn output_tables_are_sized_before_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(repo("scenarios/saas-midmarket-tiered.toml")).unwrap();
    let fine = dir.path().join("fine.toml");
    std::fs::write(
        &fine,
        text.replacen(
            "timeseries_interval_min = 60",
            "timeseries_interval_min = 0.0505",
            1,
        ),
    )
    .unwrap();
    let out = dir.path().join("out");
    let started = std::time::Instant::now();
    bin()
        .arg("run")
        .arg(&fine)
        .args(["--replications", "2", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("time-series table"))
        .stderr(predicate::str::contains("--force"));
    let xlsx = dir.path().join("xlsx.toml");
    std::fs::write(
        &xlsx,
        text.replacen(
            "timeseries_interval_min = 60",
            "timeseries_interval_min = 0.5",
            1,
        ),
    )
    .unwrap();
    bin()
        .arg("run")
        .arg(&xlsx)
        .args([
            "--replications",
            "5000",
            "--force",
            "--quiet",
            "--xlsx",
            "--out",
        ])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("table timeseries has"))
        .stderr(predicate::str::contains("Excel"));
    // Both refusals come from the file alone, in about a second: the 5,000 replications
    // (60 million tickets) the second one would otherwise run first take half a minute or
    // more.
    assert!(started.elapsed().as_secs_f64() < 10.0);
    assert!(!out.exists());
}

/// `merge --out` at one of its own shard folders (or inside one) would replace the shard's
/// partition with the merged outputs: refused, the shard intact.
#[test]
fn merge_never_writes_over_its_own_shards() {
    let dir = tempfile::tempdir().unwrap();
    let a = shard(dir.path(), "0/2", "5", None);
    let b = shard(dir.path(), "1/2", "5", None);
    let before = std::fs::read(a.join("partition.toml")).unwrap();
    for out in [a.clone(), b.join("inner")] {
        bin()
            .arg("merge")
            .arg(&a)
            .arg(&b)
            .arg("--out")
            .arg(&out)
            .arg("--quiet")
            .assert()
            .code(1)
            .stderr(predicate::str::contains("would delete the shard"));
    }
    assert_eq!(std::fs::read(a.join("partition.toml")).unwrap(), before);
    assert!(!b.join("inner").exists());
    // Their parent folder is fine (the shards are kept inside it).
    bin()
        .arg("merge")
        .arg(&a)
        .arg(&b)
        .arg("--out")
        .arg(dir.path())
        .arg("--quiet")
        .assert()
        .success();
    assert_eq!(std::fs::read(a.join("partition.toml")).unwrap(), before);
}

/// A negative number given to an option is that option's bad value, named with its range:
/// clap's default read `-10` as an unknown flag `-1`, and its `-- -1` tip did not work.
#[test]
fn negative_numbers_are_refused_as_the_options_values() {
    let dir = tempfile::tempdir().unwrap();
    let file = repo("scenarios/mmc.toml");
    for (args, want) in [
        (
            vec!["--seed", "-1"],
            "invalid value '-1' for '--seed <SEED>': expected a whole number from 0 to",
        ),
        (
            vec!["--replications=-5"],
            "expected a whole number of replications from 1",
        ),
        (
            vec!["--threads", "-2"],
            "expected a whole number of threads from 1 to",
        ),
    ] {
        bin()
            .arg("run")
            .arg(&file)
            .args(&args)
            .arg("--out")
            .arg(dir.path().join("out"))
            .assert()
            .failure()
            .stderr(predicate::str::contains(want))
            .stderr(predicate::str::contains("unexpected argument").not());
    }
    bin()
        .args(["init", "--tickets-per-week", "-10", "--out"])
        .arg(dir.path().join("mine.toml"))
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "--tickets-per-week \"-10\": must be a number above 0",
        ));
    assert!(!dir.path().join("out").exists());
}
