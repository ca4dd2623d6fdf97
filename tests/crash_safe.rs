//! Output folders under faults, driven through the real binary: a run killed at random points
//! leaves the previous complete set or the new one (never a mix), SIGINT exits 130 leaving no
//! temporaries, orphans are cleaned by the next run, a folder used by another scenario keeps
//! none of its files, foreign files and conflicts are refused before the run starts; an
//! interrupted single-file write (`synth-export --out`) keeps the old file and no temporary.

use assert_cmd::Command;
use predicates::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const MANIFEST: &str = ".supportsim-manifest.json";

fn bin_path() -> &'static str {
    env!("CARGO_BIN_EXE_supportsim")
}

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Every file below `dir` and its bytes (the manifest apart: its commit id differs per run).
fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn rec(root: &Path, d: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                rec(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    if dir.exists() {
        rec(dir, dir, &mut out);
    }
    out.remove(MANIFEST);
    out
}

/// The files the folder's manifest lists.
fn manifest_files(dir: &Path) -> Vec<String> {
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join(MANIFEST)).unwrap()).unwrap();
    let mut files: Vec<String> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap().to_string())
        .collect();
    files.sort();
    files
}

fn temporaries(parent: &Path) -> Vec<String> {
    std::fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".supportsim-"))
        .collect()
}

fn run_args(seed: u32, out: &Path) -> Vec<String> {
    vec![
        "run".into(),
        repo("scenarios/mmc.toml").display().to_string(),
        "--replications".into(),
        "4".into(),
        "--threads".into(),
        "2".into(),
        "--seed".into(),
        seed.to_string(),
        "--tickets".into(),
        "--quiet".into(),
        "--out".into(),
        out.display().to_string(),
    ]
}

/// A small deterministic generator for the kill times (the test is reproducible).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Runs killed with SIGKILL (and some with SIGINT) at random points: after each, the folder
/// holds exactly one complete set (the previous or the new one, with a manifest listing
/// exactly its files); SIGINT exits 130 and leaves no temporaries; after the next complete
/// run, no orphan is left.
#[test]
fn killed_runs_leave_the_previous_or_the_new_complete_set() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    // The two complete sets, made in folders of their own.
    let mut sets = Vec::new();
    let mut full = Duration::ZERO;
    for seed in [1, 2] {
        let reference = dir.path().join(format!("ref{seed}"));
        let t = Instant::now();
        Command::new(bin_path())
            .args(run_args(seed, &reference))
            .assert()
            .success();
        full = full.max(t.elapsed());
        sets.push(contents(&reference));
    }
    assert!(sets[0] != sets[1]);
    let which = |c: &BTreeMap<String, Vec<u8>>| sets.iter().position(|s| s == c);
    Command::new(bin_path())
        .args(run_args(1, &out))
        .assert()
        .success();
    let mut state = 0; // the set now in `out`
    let mut rng = Lcg(18);
    let (mut killed, mut interrupted, mut finished, mut replaced, mut early) = (0, 0, 0, 0, 0);
    let mut cleaned = 0;
    // At least 20 runs; more (at most 80), with earlier kill points, until both a SIGKILL and
    // a SIGINT have hit a run in progress: the reference timing above can be far off when
    // the machine's load changes, and the test must not depend on it.
    let mut iterations = 0;
    for it in 0..80 {
        if it >= 20 && killed > 0 && interrupted > 0 {
            break;
        }
        iterations += 1;
        let seed = 2 - state as u32; // the other set
        let log = dir.path().join("stderr.log");
        let mut args = run_args(seed, &out);
        args.retain(|a| a != "--quiet");
        // Orphans of earlier SIGKILLed runs: a run that gets as far as preparing the folder
        // removes them, one stopped before that (an early SIGINT) cannot.
        let mut orphans_before = temporaries(dir.path());
        orphans_before.sort();
        let mut child = std::process::Command::new(bin_path())
            .args(args)
            .stdout(std::process::Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        let reach = if it < 20 { 1.2 } else { 0.6 };
        let wait = full.mul_f64(reach * rng.next());
        std::thread::sleep(wait);
        let sigint = it % 4 == 3;
        if sigint {
            // SAFETY: signalling our own child by its pid.
            unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
        } else {
            let _ = child.kill();
        }
        let status = child.wait().unwrap();
        cleaned += std::fs::read_to_string(&log)
            .unwrap()
            .matches("notice: removed")
            .count();
        let now = contents(&out);
        let Some(k) = which(&now) else {
            panic!(
                "iteration {it} (killed after {wait:?}): the folder holds neither complete set: {:?}",
                now.keys().collect::<Vec<_>>()
            );
        };
        let mut present: Vec<String> = now.keys().cloned().collect();
        present.sort();
        assert_eq!(
            manifest_files(&out),
            present,
            "iteration {it}: manifest and folder disagree"
        );
        if sigint {
            use std::os::unix::process::ExitStatusExt;
            let mut left = temporaries(dir.path());
            left.sort();
            match status.code() {
                Some(130) => interrupted += 1,
                Some(0) => finished += 1,
                // Before the handler is installed (while the scenario loads) the default
                // action stops the process: nothing had been written yet, and orphans of
                // earlier killed runs are still there for the next run to clean.
                None if status.signal() == Some(libc::SIGINT) => {
                    early += 1;
                    assert_eq!(
                        left, orphans_before,
                        "iteration {it}: a SIGINT before the handler changed the temporaries"
                    );
                    left.clear();
                }
                other => panic!("iteration {it}: SIGINT gave exit {other:?}"),
            }
            assert!(left.is_empty(), "iteration {it}: SIGINT left {left:?}");
        } else if status.success() {
            finished += 1;
        } else {
            killed += 1;
        }
        if k != state {
            replaced += 1;
        }
        state = k;
    }
    // The next complete run cleans every orphan, with a notice when there were some.
    let orphans = temporaries(dir.path()).len();
    let seed = 2 - state as u32;
    let mut args = run_args(seed, &out);
    args.retain(|a| a != "--quiet");
    let assert = Command::new(bin_path()).args(args).assert().success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    if orphans > 0 {
        assert!(stderr.contains("notice: removed"), "{stderr}");
    }
    assert!(
        temporaries(dir.path()).is_empty(),
        "{:?}",
        temporaries(dir.path())
    );
    assert_eq!(which(&contents(&out)), Some(1 - state));
    eprintln!(
        "kill loop: {iterations} runs: {killed} killed by SIGKILL, {interrupted} stopped by SIGINT (exit 130), {early} by SIGINT before starting, {finished} finished; the set changed {replaced} times; {cleaned} orphaned staging folders cleaned by a later run, {orphans} by the final one (a full run takes {full:?})"
    );
    assert!(
        killed > 0 && interrupted > 0,
        "the kill points missed the run"
    );
}

#[test]
fn a_folder_used_by_another_scenario_keeps_none_of_its_files_and_the_summary_lists_them_all() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let run = |file: &str| {
        let a = Command::new(bin_path())
            .args(["run", repo(file).to_str().unwrap(), "--replications", "2"])
            .args(["--out", out.to_str().unwrap()])
            .env("NO_COLOR", "1")
            .assert()
            .success();
        String::from_utf8_lossy(&a.get_output().stdout).into_owned()
    };
    run("scenarios/enterprise-follow-the-sun-internal-l1.toml");
    assert!(out.join("costs_weekly.csv").exists());
    let stdout = run("scenarios/mmc.toml");
    assert!(
        !out.join("costs_weekly.csv").exists() && !out.join("charts/cost_breakdown.png").exists(),
        "stale files of the earlier run"
    );
    let present = contents(&out);
    assert!(
        stdout.contains(&format!("wrote {} files to", present.len())),
        "{stdout}"
    );
    for f in present.keys() {
        assert!(stdout.contains(&format!("\n  {f}\n")), "{f} not listed");
    }
    assert_eq!(
        manifest_files(&out),
        present.keys().cloned().collect::<Vec<_>>()
    );
}

#[test]
fn foreign_files_and_conflicts_are_refused_before_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    Command::new(bin_path())
        .args(run_args(1, &out))
        .assert()
        .success();
    let before = contents(&out);
    // `tickets` as a file where the run puts a folder, and a note of the user's.
    std::fs::remove_dir_all(out.join("tickets")).unwrap();
    std::fs::write(out.join("tickets"), "not a folder").unwrap();
    std::fs::write(out.join("my-notes.txt"), "mine").unwrap();
    let t = Instant::now();
    Command::new(bin_path())
        .args(run_args(2, &out))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("supportsim did not write"))
        .stderr(predicate::str::contains("my-notes.txt"))
        .stderr(predicate::str::contains("tickets"))
        .stderr(predicate::str::contains("--force"));
    assert!(t.elapsed() < Duration::from_secs(5), "refused late");
    assert!(temporaries(dir.path()).is_empty());
    assert_eq!(
        std::fs::read_to_string(out.join("my-notes.txt")).unwrap(),
        "mine"
    );
    // --force never replaces a file supportsim did not write: the `tickets` file (where the
    // run writes a folder) is refused at the end, and the folder is left as it was.
    let mut args = run_args(1, &out);
    args.push("--force".into());
    Command::new(bin_path())
        .args(&args)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("tickets"))
        .stderr(predicate::str::contains("never replaces"));
    assert_eq!(
        std::fs::read_to_string(out.join("tickets")).unwrap(),
        "not a folder"
    );
    assert!(temporaries(dir.path()).is_empty());
    // Once it is moved away, --force replaces supportsim's files and keeps the note.
    std::fs::remove_file(out.join("tickets")).unwrap();
    Command::new(bin_path()).args(args).assert().success();
    let after = contents(&out);
    assert_eq!(after["my-notes.txt"], b"mine");
    assert!(out.join("tickets").is_dir());
    let mut without_note = after.clone();
    without_note.remove("my-notes.txt");
    assert_eq!(without_note, before, "the same set as the first run");
    // An output path that is a file is refused.
    let f = dir.path().join("file");
    std::fs::write(&f, "x").unwrap();
    Command::new(bin_path())
        .args(run_args(1, &f))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("exists and is not a folder"));
}

#[test]
fn shard_folders_inside_a_run_folder_are_kept_by_merge_into_it() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("outputs/mmc");
    let mut shards = Vec::new();
    for k in 0..2 {
        let d = base.join(format!("shard-{k}-of-2"));
        Command::new(bin_path())
            .args(["run", repo("scenarios/mmc.toml").to_str().unwrap()])
            .args([
                "--replications",
                "3",
                "--quiet",
                "--shard",
                &format!("{k}/2"),
            ])
            .args(["--out", d.to_str().unwrap()])
            .assert()
            .success();
        shards.push(d);
    }
    for _ in 0..2 {
        Command::new(bin_path())
            .arg("merge")
            .args(&shards)
            .args(["--out", base.to_str().unwrap()])
            .assert()
            .success()
            .stdout(predicate::str::contains(
                "kept the output folders inside it",
            ));
    }
    assert!(base.join("summary.csv").exists());
    for d in &shards {
        assert!(d.join("partition.toml").exists());
    }
}

#[test]
fn compare_folder_names_include_the_scenario() {
    let dir = tempfile::tempdir().unwrap();
    Command::new(bin_path())
        .current_dir(dir.path())
        .args([
            "compare",
            repo("scenarios/saas-midmarket-tiered.toml")
                .to_str()
                .unwrap(),
            "--models",
            "tiered,swarm",
            "--replications",
            "2",
            "--quiet",
        ])
        .assert()
        .success();
    assert!(
        dir.path()
            .join("outputs/compare-saas-midmarket-tiered-tiered-vs-swarm/comparison.csv")
            .exists()
    );
}

/// SIGINT while the replications run (and per-ticket parts stream into staging): exit 130,
/// no temporary left, the earlier complete set untouched.
#[test]
fn sigint_during_the_run_exits_130_and_leaves_the_previous_set() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    Command::new(bin_path())
        .args(run_args(1, &out))
        .assert()
        .success();
    let before = contents(&out);
    let mut args = run_args(2, &out);
    args[3] = "400".into(); // replications: long enough to be caught mid-run
    let mut child = std::process::Command::new(bin_path())
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the staging folder holds a ticket part: the run is under way.
    let t = Instant::now();
    loop {
        let parts = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with(".supportsim-staging-")
            })
            .any(|e| {
                std::fs::read_dir(e.path().join("tickets"))
                    .map(|mut r| r.next().is_some())
                    .unwrap_or(false)
            });
        if parts {
            break;
        }
        assert!(
            t.elapsed() < Duration::from_secs(30) && child.try_wait().unwrap().is_none(),
            "the run never started or ended early"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    // SAFETY: signalling our own child by its pid.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(130));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("interrupted: temporary files removed"),
        "{stderr}"
    );
    assert!(
        temporaries(dir.path()).is_empty(),
        "{:?}",
        temporaries(dir.path())
    );
    assert!(contents(&out) == before, "the previous set changed");
}

/// The case of the report: a second sweep into the same folder left the first one's charts.
#[test]
fn a_second_sweep_leaves_none_of_the_first_ones_charts() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sweep");
    let sweep = |vary: &str| {
        Command::new(bin_path())
            .args(["sweep", repo("scenarios/mmc.toml").to_str().unwrap()])
            .args(["--vary", vary, "--replications", "2", "--quiet"])
            .args(["--out", out.to_str().unwrap()])
            .assert()
            .success();
    };
    sweep("pools.agents.headcount=12,13");
    assert!(
        contents(&out)
            .keys()
            .any(|k| k.starts_with("charts/") && k.contains("headcount"))
    );
    sweep("demand.tickets_per_hour=90,100");
    let files = contents(&out);
    assert!(
        !files.keys().any(|k| k.contains("headcount")),
        "charts of the first sweep left: {:?}",
        files.keys().collect::<Vec<_>>()
    );
    assert_eq!(
        manifest_files(&out),
        files.keys().cloned().collect::<Vec<_>>()
    );
}

/// A long `synth-export --out` stopped by SIGINT exits 130, removes its temporary file and
/// keeps the file it was to replace (with `--force`) as it was.
#[test]
fn an_interrupted_synth_export_leaves_the_old_file_and_no_temporary() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("big.csv");
    std::fs::write(&export, "my real history\n").unwrap();
    // About 10 million rows: several seconds of writing, so the signal lands mid-stream.
    let child = std::process::Command::new(bin_path())
        .args([
            "synth-export",
            "--format",
            "generic",
            "--days",
            "364",
            "--tickets-per-week",
            "200000",
            "--force",
            "--out",
        ])
        .arg(&export)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the temporary file exists and has grown, so the handler is installed.
    let started = Instant::now();
    loop {
        let tmp: u64 = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap())
            .filter(|e| e.file_name() != "big.csv")
            .map(|e| e.metadata().map(|m| m.len()).unwrap_or(0))
            .sum();
        if tmp > 1_000_000 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no temporary file grew within 60 s"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read(&export).unwrap(), b"my real history\n");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("temporary file removed, the file it would replace is as it was"),
        "a one-file command speaks of its file, not of an output folder: {stderr}"
    );
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["big.csv"], "the temporary file is removed");
}

/// SIGTERM while `roster`'s integer program runs stops the command at once (143, nothing
/// left behind): the solver runs on its own thread while the command checks for signals. It
/// used to be acted on only when the solver's one-minute limit ended (`lengths_hours =
/// [23.75]` on the M/M/12 file takes that minute).
#[test]
fn a_signal_during_rosters_solver_stops_it_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(repo("scenarios/mmc.toml")).unwrap()
        + "\n[roster]\nlengths_hours = [23.75]\n";
    let file = dir.path().join("long-solve.toml");
    std::fs::write(&file, text).unwrap();
    let out = dir.path().join("out");
    let child = std::process::Command::new(bin_path())
        .arg("roster")
        .arg(&file)
        .args(["--target", "first_response.all.attainment >= 0.8"])
        .args([
            "--replications",
            "3",
            "--confirm-replications",
            "3",
            "--quiet",
        ])
        .arg("--out")
        .arg(&out)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The requirements and patterns take well under a second; the solve is under way then.
    std::thread::sleep(Duration::from_secs(2));
    let sent = Instant::now();
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
    let o = child.wait_with_output().unwrap();
    let took = sent.elapsed();
    assert_eq!(
        o.status.code(),
        Some(143),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        took < Duration::from_secs(5),
        "stopped {took:?} after SIGTERM"
    );
    assert!(!out.exists());
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 1, "only the scenario is left: {left:?}");
}
