//! The commit's guarantees on a real file system: exact replacement, refusal of foreign
//! files, kept nested folders, roll-back of a failed swap, clean-up after a kill.

use super::*;
use std::collections::BTreeSet;

fn set(files: &[(&str, &str)]) -> OutputSet {
    let mut s = OutputSet::default();
    for (n, b) in files {
        s.add(*n, b.as_bytes().to_vec());
    }
    s
}

/// Every file below `dir`, relative and sorted.
fn tree(dir: &Path) -> BTreeSet<String> {
    manifest::list_files(dir)
        .unwrap()
        .into_iter()
        .map(|e| e.path)
        .collect()
}

fn names(v: &[&str]) -> BTreeSet<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn write(dir: &Path, files: &[(&str, &str)]) -> Committed {
    let mut out = OutputDir::prepare(dir, false).unwrap();
    out.write(&set(files)).unwrap();
    out.commit().unwrap()
}

/// Hidden temporaries beside `dir`.
fn temporaries(parent: &Path) -> Vec<String> {
    std::fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".supportsim-"))
        .collect()
}

fn dead_pid() -> u32 {
    let mut c = std::process::Command::new("true").spawn().unwrap();
    let pid = c.id();
    c.wait().unwrap();
    pid
}

#[test]
fn a_second_commit_replaces_exactly_the_first_ones_files() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    let c = write(
        &dir,
        &[("a.csv", "1"), ("charts/x.svg", "x"), ("charts/y.svg", "y")],
    );
    assert_eq!(c.files, ["a.csv", "charts/x.svg", "charts/y.svg"]);
    assert_eq!(
        tree(&dir),
        names(&["a.csv", "charts/x.svg", "charts/y.svg", MANIFEST])
    );
    let c = write(&dir, &[("b.csv", "2"), ("a.csv", "3")]);
    assert_eq!(c.files, ["b.csv", "a.csv"], "insertion order");
    assert_eq!(tree(&dir), names(&["a.csv", "b.csv", MANIFEST]));
    assert_eq!(std::fs::read_to_string(dir.join("a.csv")).unwrap(), "3");
    assert!(temporaries(tmp.path()).is_empty());
    let m = Manifest::read(&dir).unwrap();
    assert_eq!(m.files.len(), 2);
}

#[test]
fn foreign_files_are_refused_before_anything_and_kept_with_force() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    std::fs::create_dir_all(dir.join("notes")).unwrap();
    std::fs::write(dir.join("notes/plan.txt"), "mine").unwrap();
    std::fs::write(dir.join("summary.csv"), "my own").unwrap();
    let e = OutputDir::prepare(&dir, false).unwrap_err().to_string();
    assert!(
        e.contains("holds 2 file(s) that supportsim did not write")
            && e.contains("notes/plan.txt")
            && e.contains("--force"),
        "{e}"
    );
    assert!(temporaries(tmp.path()).is_empty(), "refused before staging");
    // --force keeps the user's files; a new output named like one of them is refused at
    // the commit, and the folder is left exactly as it was.
    let mut out = OutputDir::prepare(&dir, true).unwrap();
    out.write(&set(&[("summary.csv", "new"), ("run_info.toml", "x")]))
        .unwrap();
    let e = out.commit().unwrap_err().to_string();
    assert!(
        e.contains("summary.csv") && e.contains("never replaces"),
        "{e}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("summary.csv")).unwrap(),
        "my own"
    );
    assert!(!dir.join("run_info.toml").exists());
    assert!(temporaries(tmp.path()).is_empty(), "staging removed");
    let mut out = OutputDir::prepare(&dir, true).unwrap();
    out.write(&set(&[("report.csv", "new"), ("run_info.toml", "x")]))
        .unwrap();
    let c = out.commit().unwrap();
    assert_eq!(c.files, ["report.csv", "run_info.toml"]);
    assert_eq!(c.foreign.len(), 2);
    assert_eq!(
        std::fs::read_to_string(dir.join("notes/plan.txt")).unwrap(),
        "mine"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("summary.csv")).unwrap(),
        "my own",
        "--force keeps a foreign file"
    );
    // The kept note is still foreign: the next run refuses again without --force.
    assert!(OutputDir::prepare(&dir, false).is_err());
}

#[test]
fn nested_output_folders_are_kept_without_force() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    write(&dir.join("shard-0-of-2"), &[("partition.toml", "p")]);
    let c = write(&dir, &[("summary.csv", "s")]);
    assert_eq!(c.nested, [PathBuf::from("shard-0-of-2")]);
    assert_eq!(
        tree(&dir),
        names(&[
            "summary.csv",
            MANIFEST,
            "shard-0-of-2/partition.toml",
            &format!("shard-0-of-2/{MANIFEST}")
        ])
    );
    write(&dir, &[("summary.csv", "t")]);
    assert!(dir.join("shard-0-of-2/partition.toml").exists());
}

#[test]
fn folders_of_older_versions_are_recognised_by_their_provenance_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    std::fs::create_dir_all(dir.join("charts")).unwrap();
    for f in ["run_info.toml", "summary.csv", "charts/old.png"] {
        std::fs::write(dir.join(f), "old").unwrap();
    }
    write(&dir, &[("summary.csv", "new")]);
    assert_eq!(tree(&dir), names(&["summary.csv", MANIFEST]));
}

#[test]
fn a_file_where_the_folder_goes_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("out");
    std::fs::write(&f, "x").unwrap();
    let e = OutputDir::prepare(&f, true).unwrap_err().to_string();
    assert!(e.contains("exists and is not a folder"), "{e}");
}

#[test]
fn the_working_folder_is_refused() {
    let cwd = std::env::current_dir().unwrap();
    let e = OutputDir::prepare(&cwd, true).unwrap_err().to_string();
    assert!(e.contains("contains it"), "{e}");
}

#[test]
fn a_failed_write_or_an_abandoned_set_leaves_the_previous_set_and_no_temporaries() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    write(&dir, &[("a.csv", "1")]);
    let mut out = OutputDir::prepare(&dir, false).unwrap();
    // A file where a folder must go makes the second write fail.
    let e = out
        .write(&set(&[("charts", "file"), ("charts/b.svg", "<svg/>")]))
        .unwrap_err();
    assert!(e.to_string().contains("charts/b.svg"), "{e}");
    drop(out);
    assert_eq!(tree(&dir), names(&["a.csv", MANIFEST]));
    assert!(temporaries(tmp.path()).is_empty());
}

#[test]
fn a_failed_swap_rolls_back_to_the_previous_set() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    write(&dir, &[("a.csv", "1")]);
    let mut out = OutputDir::prepare(&dir, false)
        .unwrap()
        .with_method(Method::Fallback, Fault::SecondRename);
    out.write(&set(&[("b.csv", "2")])).unwrap();
    let e = out.commit().unwrap_err().to_string();
    assert!(e.contains("the previous outputs are unchanged"), "{e}");
    assert_eq!(tree(&dir), names(&["a.csv", MANIFEST]));
    assert!(temporaries(tmp.path()).is_empty());
    // And the fallback without a fault replaces the set.
    let mut out = OutputDir::prepare(&dir, false)
        .unwrap()
        .with_method(Method::Fallback, Fault::None);
    out.write(&set(&[("b.csv", "2")])).unwrap();
    out.commit().unwrap();
    assert_eq!(tree(&dir), names(&["b.csv", MANIFEST]));
    assert!(temporaries(tmp.path()).is_empty());
}

#[test]
fn orphans_of_killed_runs_are_cleaned_and_an_interrupted_swap_is_undone() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    write(&dir, &[("a.csv", "1")]);
    let pid = dead_pid();
    let host = orphans::host();
    // A staging folder of a killed run, and a killed fallback swap between its renames:
    // the previous set sits in the backup, the output folder is missing.
    let staging = tmp
        .path()
        .join(format!("{}{host}-{pid}-aa", orphans::STAGING));
    std::fs::create_dir_all(staging.join("tickets")).unwrap();
    let backup = tmp
        .path()
        .join(format!("{}{host}-{pid}-bb", orphans::BACKUP));
    std::fs::create_dir(&backup).unwrap();
    std::fs::write(backup.join("target"), "out").unwrap();
    std::fs::rename(&dir, backup.join("old")).unwrap();
    // A live run's staging (this process) is never touched.
    let live = tmp.path().join(format!(
        "{}{host}-{}-cc",
        orphans::STAGING,
        std::process::id()
    ));
    std::fs::create_dir(&live).unwrap();
    let out = OutputDir::prepare(&dir, false).unwrap();
    let notices = out.notices().join("\n");
    assert!(
        notices.contains("restored") && notices.contains("removed"),
        "{notices}"
    );
    drop(out);
    assert_eq!(tree(&dir), names(&["a.csv", MANIFEST]));
    assert_eq!(
        temporaries(tmp.path()),
        [live.file_name().unwrap().to_string_lossy()]
    );
}

#[test]
fn a_live_writer_inside_the_folder_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    write(&dir, &[("a.csv", "1")]);
    let inner = OutputDir::prepare(&dir.join("shard-0-of-2"), false).unwrap();
    let e = OutputDir::prepare(&dir, false).unwrap_err().to_string();
    assert!(e.contains("another supportsim"), "{e}");
    drop(inner);
    assert!(OutputDir::prepare(&dir, false).is_ok());
}

#[test]
fn files_streamed_into_staging_are_listed_and_recorded() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    let mut out = OutputDir::prepare(&dir, false).unwrap();
    std::fs::create_dir(out.staging().join("tickets")).unwrap();
    std::fs::write(out.staging().join("tickets/part-00000.parquet"), "p").unwrap();
    out.write(&set(&[("summary.csv", "s")])).unwrap();
    let c = out.commit().unwrap();
    assert_eq!(c.files, ["summary.csv", "tickets/part-00000.parquet"]);
    let m = Manifest::read(&dir).unwrap();
    assert_eq!(m.files[1].path, "tickets/part-00000.parquet");
}

#[test]
fn temporaries_of_earlier_versions_are_removed_only_in_output_folders() {
    let tmp = tempfile::tempdir().unwrap();
    let pid = dead_pid();
    // An output folder of an earlier version, with the per-ticket staging of a killed run.
    let dir = tmp.path().join("out");
    std::fs::create_dir_all(dir.join(format!(".tickets.{pid}.tmp"))).unwrap();
    std::fs::write(
        dir.join(format!(".tickets.{pid}.tmp/part-00000.parquet")),
        "p",
    )
    .unwrap();
    std::fs::write(dir.join("run_info.toml"), "old").unwrap();
    let out = OutputDir::prepare(&dir, false).unwrap();
    assert!(
        out.notices().join("\n").contains(".tickets."),
        "{:?}",
        out.notices()
    );
    drop(out);
    // A folder of the user's: a look-alike name is foreign, never removed.
    let mine = tmp.path().join("mine");
    std::fs::create_dir(&mine).unwrap();
    std::fs::write(mine.join(format!(".notes.{pid}.tmp")), "mine").unwrap();
    assert!(OutputDir::prepare(&mine, false).is_err());
    assert!(mine.join(format!(".notes.{pid}.tmp")).exists());
}

#[test]
fn a_writer_that_starts_inside_the_folder_during_the_run_stops_the_swap() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    write(&dir, &[("a.csv", "1")]);
    let mut out = OutputDir::prepare(&dir, false).unwrap();
    out.write(&set(&[("b.csv", "2")])).unwrap();
    let inner = OutputDir::prepare(&dir.join("shard-0-of-2"), false).unwrap();
    let e = out.commit().unwrap_err().to_string();
    assert!(e.contains("another supportsim"), "{e}");
    assert!(inner.staging().exists());
    drop(inner);
    assert_eq!(tree(&dir), names(&["a.csv", MANIFEST]));
    assert!(temporaries(tmp.path()).is_empty());
}
