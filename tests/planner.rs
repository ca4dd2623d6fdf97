//! The planner's commands, driven as a user would: `requirements` (and the fast answers for
//! targets no headcount can reach).

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_supportsim"))
}

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// M/M/12 at 10 erlangs with 80% in 20 s: Erlang C needs 14 agents in every interval (the
/// `erlang` command's classic answer), the file has 12, so every interval is 2 short.
#[test]
fn requirements_of_the_mmc_file_are_the_erlang_answer_in_every_interval() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("req");
    bin()
        .args([
            "requirements",
            "--interval",
            "15",
            "--live-sec",
            "20",
            "--live-goal",
            "0.8",
        ])
        .arg(repo("scenarios/mmc.toml"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("15-minute intervals"))
        .stdout(predicate::str::contains("80% within 20 s"))
        .stdout(predicate::str::contains("672 of 672"));
    let csv = std::fs::read_to_string(out.join("requirements.csv")).unwrap();
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), 672);
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    for r in &rows {
        let f: Vec<&str> = r.split(',').collect();
        assert_eq!(f[col("live_method")], "erlang_c");
        assert_eq!(f[col("required_on_duty")], "14");
        assert_eq!(f[col("required_scheduled")], "14");
        assert_eq!(f[col("gap")], "-2.0");
    }
    for f in [
        "requirements.parquet",
        "gaps.csv",
        "summary.csv",
        "charts/requirements_agents.png",
        "charts/requirements_agents.svg",
        "requirements_info.toml",
    ] {
        assert!(out.join(f).is_file(), "{f}");
    }
    // 14 agents x 168 h.
    let summary = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    assert!(summary.contains("agents,0,2352,2016,14,"), "{summary}");
}

#[test]
fn requirements_refuse_bad_intervals_and_weeks() {
    bin()
        .args(["requirements", "--interval", "20"])
        .arg(repo("scenarios/mmc.toml"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("--interval"));
    let dir = tempfile::tempdir().unwrap();
    bin()
        .args(["requirements", "--week", "2"])
        .arg(repo("scenarios/mmc.toml"))
        .arg("--out")
        .arg(dir.path().join("x"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("run.horizon_days = 7"));
    assert!(!dir.path().join("x").exists());
}

/// A P1 24x7 first-response target with no night coverage: `staff` says so at once (no
/// search to the caps), naming the target, the uncovered hours and the fix.
#[test]
fn staff_explains_a_target_no_headcount_reaches_within_seconds() {
    let dir = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    bin()
        .arg("staff")
        .arg(repo("scenarios/saas-midmarket-tiered.toml"))
        .args(["--target", "first_response.P1.attainment >= 0.95"])
        .args(["--target", "resolution.all.p90_hours <= 200"])
        .arg("--out")
        .arg(dir.path().join("out"))
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "--target \"first_response.P1.attainment >= 0.95\" cannot be met by any headcount",
        ))
        .stderr(predicate::str::contains(
            "nobody scheduled Mon-Fri 00:00-08:00, 21:00-24:00; Sat-Sun 00:00-24:00",
        ))
        .stderr(predicate::str::contains(
            "P1/enterprise first response within 30 min on the 24x7 clock",
        ))
        .stderr(predicate::str::contains("add a shift of pool \"l1\""));
    let took = started.elapsed().as_secs_f64();
    assert!(took < 10.0, "took {took} s");
    assert!(!dir.path().join("out").exists());
}
