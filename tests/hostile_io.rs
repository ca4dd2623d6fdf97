//! The hostile catalogue's I/O class: faults of the file system rather than of the input. An
//! unreadable scenario file, an output folder on a read-only file system, and a full disk (a
//! tiny tmpfs) under `run` and under `sweep` (whose tables stream into the staging folder).
//! Each case asserts the exit code, a message naming the path and the problem, that earlier
//! outputs are intact byte for byte, and that nothing partial is left (no staging folder, no
//! half-written file).
//!
//! Permission bits do not stop root, and mounting needs root and permission to mount: a case
//! uses another mechanism where one exists (`/proc/self/mem`, which no one can read at
//! offset 0; a tmpfs remounted read-only) and is skipped with a message on stderr otherwise.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn supportsim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_supportsim"))
        .args(args)
        .output()
        .unwrap()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A tmpfs mounted for one case, unmounted when dropped.
struct Mount(PathBuf);

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// Mounts a tmpfs of `size` (e.g. `64k`) on `dir`, or `None` (with a message) where mounting
/// is not permitted.
fn tmpfs(dir: &Path, size: &str, case: &str) -> Option<Mount> {
    std::fs::create_dir_all(dir).unwrap();
    let ok = Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
        .arg(dir)
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!(
            "hostile-io/{case}: skipped (cannot mount a tmpfs here: needs root and mount permission)"
        );
        return None;
    }
    Some(Mount(dir.to_path_buf()))
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p);
            } else {
                out.insert(
                    p.strip_prefix(dir).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    out
}

/// Entries of `dir` (not recursive) whose names start with `.supportsim`: staging folders and
/// other temporaries a failed command must not leave.
fn temporaries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|r| {
            r.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with(".supportsim") && n != ".supportsim-manifest.json")
                .collect()
        })
        .unwrap_or_default()
}

/// A failed command: exit code 1, no panic, and every fragment in its error output.
fn assert_refused(o: &Output, want: &[&str]) {
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    for w in want {
        assert!(err.contains(w), "missing {w:?} in: {err}");
    }
}

/// A successful 2-replication `mmc.toml` run into `out`: the earlier outputs a failure must
/// leave intact, as a snapshot.
fn complete_run_into(out: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let first = supportsim(&[
        "run",
        &mmc(),
        "--replications",
        "2",
        "--out",
        s(out),
        "--quiet",
    ]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    snapshot(out)
}

fn mmc() -> String {
    repo("scenarios/mmc.toml").to_str().unwrap().to_string()
}

/// A scenario file that cannot be read: mode 000 where permission bits stop this user, else
/// (as root) `/proc/self/mem`, whose first byte no process can read.
#[test]
fn unreadable_scenario_file() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("locked.toml");
    std::fs::copy(repo("scenarios/mmc.toml"), &f).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o000)).unwrap();
    }
    let file = if std::fs::read(&f).is_err() {
        f.clone()
    } else {
        eprintln!(
            "hostile-io/unreadable: mode 000 does not stop this user (root): using /proc/self/mem"
        );
        PathBuf::from("/proc/self/mem")
    };
    let out = dir.path().join("out");
    for cmd in ["run", "validate"] {
        let o = supportsim(&[cmd, s(&file), "--out", s(&out)][..if cmd == "run" { 4 } else { 2 }]);
        assert_refused(&o, &[s(&file), "cannot read scenario file"]);
    }
    assert!(!out.exists(), "nothing may be written");
}

/// An output folder whose file system turned read-only after an earlier run (a tmpfs
/// remounted `ro`; without mount permission, a parent of mode 0555 where that stops this
/// user): the run is refused naming the folder, and the earlier outputs are intact.
#[test]
fn output_folder_on_a_read_only_file_system() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ro");
    let mount = tmpfs(&root, "16m", "read-only");
    if mount.is_none() {
        std::fs::create_dir_all(&root).unwrap();
    }
    let out = root.join("out");
    let before = complete_run_into(&out);
    let problem = if mount.is_some() {
        let ok = Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(&root)
            .status()
            .is_ok_and(|st| st.success());
        assert!(ok, "remount read-only");
        "Read-only file system"
    } else {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&root, std::fs::Permissions::from_mode(0o555)).unwrap();
        }
        if std::fs::write(root.join("probe"), "x").is_ok() {
            eprintln!(
                "hostile-io/read-only: skipped (no mount permission, and mode 0555 does not stop this user)"
            );
            return;
        }
        "Permission denied"
    };
    let o = supportsim(&[
        "run",
        &mmc(),
        "--replications",
        "3",
        "--out",
        s(&out),
        "--quiet",
    ]);
    assert_refused(&o, &[s(&root), problem]);
    assert_eq!(snapshot(&out), before, "earlier outputs intact");
    assert!(temporaries(&root).is_empty(), "{:?}", temporaries(&root));
    #[cfg(unix)]
    if mount.is_none() {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&root, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

/// Fills a tmpfs to `free_kb` kilobytes free.
fn fill(root: &Path, free_kb: u64) {
    let o = Command::new("df")
        .args(["-k", "--output=avail"])
        .arg(root)
        .output()
        .unwrap();
    let avail: u64 = String::from_utf8_lossy(&o.stdout)
        .lines()
        .last()
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let f = std::fs::File::create(root.join("filler")).unwrap();
    f.set_len(0).unwrap();
    // tmpfs has no sparse files once written: write the filler for real.
    let block = vec![1u8; 1 << 16];
    let mut w = std::io::BufWriter::new(f);
    let mut left = avail.saturating_sub(free_kb) * 1024;
    while left > 0 {
        let n = left.min(block.len() as u64) as usize;
        if std::io::Write::write_all(&mut w, &block[..n]).is_err() {
            break;
        }
        left -= n as u64;
    }
    let _ = std::io::Write::flush(&mut w);
}

/// A disk that fills up during a run: the run fails naming the file it could not write and
/// the cause, the earlier complete outputs in the folder are untouched, no staging folder is
/// left, and the next run after space is freed succeeds.
#[test]
fn full_disk_during_run_keeps_earlier_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("disk");
    let Some(_mount) = tmpfs(&root, "16m", "full-disk-run") else {
        return;
    };
    let out = root.join("out");
    let before = complete_run_into(&out);
    fill(&root, 64);
    let o = supportsim(&[
        "run",
        &mmc(),
        "--replications",
        "3",
        "--out",
        s(&out),
        "--quiet",
    ]);
    assert_refused(&o, &["cannot write", s(&out), "No space left on device"]);
    assert_eq!(snapshot(&out), before, "earlier outputs intact");
    assert!(temporaries(&root).is_empty(), "{:?}", temporaries(&root));
    std::fs::remove_file(root.join("filler")).unwrap();
    let again = supportsim(&[
        "run",
        &mmc(),
        "--replications",
        "3",
        "--out",
        s(&out),
        "--quiet",
    ]);
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
}

/// A sweep (`extra` arguments added) into `name` on a fresh 64 kB disk: refused naming the
/// disk and the cause, and nothing is left on the disk afterwards.
fn sweep_on_a_tiny_disk(case: &str, name: &str, extra: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("tiny");
    let Some(_mount) = tmpfs(&root, "64k", case) else {
        return;
    };
    let out = root.join(name);
    let mut args = vec![
        "sweep",
        "--vary",
        "pools.agents.headcount=12..31",
        "--replications",
        "2",
    ];
    args.extend_from_slice(extra);
    let scenario = mmc();
    args.extend_from_slice(&[scenario.as_str(), "--out", s(&out), "--quiet"]);
    let o = supportsim(&args);
    assert_refused(&o, &["cannot write", s(&root), "No space left on device"]);
    let left: Vec<_> = std::fs::read_dir(&root).unwrap().collect();
    assert!(left.is_empty(), "nothing partial: {left:?}");
}

/// A sweep on a 64 kB disk: its tables stream into the staging folder while points run, so
/// the disk fills mid-sweep; nothing is left on the disk afterwards.
#[test]
fn full_disk_during_sweep_leaves_nothing() {
    sweep_on_a_tiny_disk("full-disk-sweep", "sweep", &[]);
}

/// A disk that is already full when a sweep shard starts writing its point partitions
/// (streamed one point at a time): refused naming the file, nothing left.
#[test]
fn full_disk_during_sweep_shard_leaves_nothing() {
    sweep_on_a_tiny_disk("full-disk-shard", "shard", &["--shard", "0/2"]);
}
