//! The command side of the output commit: preparing the folder (with notices), stopping
//! cleanly on SIGINT / SIGTERM, and the "wrote N files" list.
//!
//! A signal only sets a flag. The flag is checked at the edges the code offers: after each
//! replication (in the progress callback, on a worker thread) and between the phases of a
//! command (after the runs, before writing, before the commit). When it is set, every staging
//! folder of this process is removed and the process exits with 130 (SIGINT) or 143
//! (SIGTERM): the output folder is as it was. The commit itself is never interrupted. A
//! single file written through a temporary copy (`file_out.rs`) is tracked the same way and
//! checked while it is streamed.

use crate::export::OutputSet;
use crate::export::output::{Committed, OutputDir};
use anyhow::Result;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

struct Signals {
    int: Arc<AtomicBool>,
    term: Arc<AtomicBool>,
}

static SIGNALS: OnceLock<Option<Signals>> = OnceLock::new();
/// Staging folders of this process, removed on interruption (the lock also makes the first
/// interrupted thread the only one that cleans up and exits).
static STAGING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
/// Set once a commit has put its set in place (for the message on a late signal).
static COMMITTED: AtomicBool = AtomicBool::new(false);

fn signals() -> Option<&'static Signals> {
    SIGNALS
        .get_or_init(|| {
            let int = Arc::new(AtomicBool::new(false));
            let term = Arc::new(AtomicBool::new(false));
            let ok = signal_hook::flag::register(signal_hook::consts::SIGINT, int.clone())
                .and_then(|_| {
                    signal_hook::flag::register(signal_hook::consts::SIGTERM, term.clone())
                })
                .is_ok();
            ok.then_some(Signals { int, term })
        })
        .as_ref()
}

/// The exit code a received signal asks for: 130 after SIGINT, 143 after SIGTERM.
fn interrupted() -> Option<i32> {
    let s = SIGNALS.get().and_then(Option::as_ref)?;
    if s.int.load(Ordering::SeqCst) {
        Some(130)
    } else if s.term.load(Ordering::SeqCst) {
        Some(143)
    } else {
        None
    }
}

/// Removes `dirs` and exits with `code`. The caller holds the [`STAGING`] lock, so no other
/// thread of this process writes a staging folder again before the exit.
fn clean_up_and_exit(dirs: &[PathBuf], code: i32) -> ! {
    // A one-file command (init, calibrate, synth-export --out) stages a file, not a folder.
    let only_files = !dirs.is_empty() && dirs.iter().all(|d| d.is_file());
    for d in dirs {
        if d.is_file() {
            // A single staged file (`Staged` in file_out.rs).
            let _ = std::fs::remove_file(d);
            continue;
        }
        // Worker threads may still create a part while the folder goes: retry until it is
        // gone (a file created in a removed folder fails, so this ends).
        for _ in 0..50 {
            if std::fs::remove_dir_all(d).is_ok() || !d.exists() {
                break;
            }
        }
    }
    if COMMITTED.load(Ordering::SeqCst) {
        eprintln!("\ninterrupted after the new outputs were put in place");
    } else if only_files {
        eprintln!("\ninterrupted: temporary file removed, the file it would replace is as it was");
    } else {
        eprintln!("\ninterrupted: temporary files removed, the output folder is as it was");
    }
    std::process::exit(code);
}

/// Exits (130 on SIGINT, 143 on SIGTERM) after removing this process's staging folders, if a
/// signal came. Call it between units of work.
pub fn checkpoint() {
    if let Some(code) = interrupted() {
        let dirs = STAGING.lock().unwrap_or_else(|e| e.into_inner());
        clean_up_and_exit(&dirs, code);
    }
}

/// Installs the signal handlers and records `path`, a staging folder or a temporary file
/// being written, to be removed should a signal come before [`forget_staged`].
pub fn stage(path: &Path) {
    let _ = signals();
    STAGING
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(path.to_path_buf());
}

/// Stops tracking `path` (it was put in place or removed).
pub fn forget_staged(path: &Path) {
    STAGING
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .retain(|d| d != path);
}

/// Prepares the output folder `dir` (see [`OutputDir::prepare`]): installs the signal
/// handlers first, so the staging folder is always removed on interruption, and prints the
/// notices of orphaned temporaries it cleaned (unless `quiet`).
///
/// # Errors
/// Whatever makes the folder unusable, before any work starts.
pub fn prepare(dir: &Path, force: bool, quiet: bool) -> Result<OutputDir> {
    let _ = signals();
    let out = OutputDir::prepare(dir, force)?;
    stage(out.staging());
    if !quiet {
        for n in out.notices() {
            eprintln!("notice: {n}");
        }
    }
    checkpoint();
    Ok(out)
}

/// Writes `set` into the staging folder and commits it, checking for a signal before each
/// step; the commit itself runs to its end.
///
/// # Errors
/// A write or commit failure (the previous outputs are then in place).
pub fn commit(mut out: OutputDir, set: &OutputSet) -> Result<Committed> {
    let staging = out.staging().to_path_buf();
    let done = {
        // Held while the set is written and put in place. A signal seen by another thread
        // (a progress tick at the last replication) then either cleans up before the writing
        // starts, or waits until the set is in place; it can never remove the staging folder
        // while this thread is creating files in it again.
        let mut dirs = STAGING.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(code) = interrupted() {
            clean_up_and_exit(&dirs, code);
        }
        out.write(set)?;
        if let Some(code) = interrupted() {
            clean_up_and_exit(&dirs, code);
        }
        dirs.retain(|d| *d != staging);
        out.commit()
    };
    let done = done?;
    COMMITTED.store(true, Ordering::SeqCst);
    checkpoint();
    Ok(done)
}

/// Folders with more files than this are listed as one line.
const MAX_LISTED: usize = 50;

/// `wrote N files to DIR/` and the files, one per line (folders of many files, such as
/// `tickets/`, as one line with their count), then what was kept.
///
/// # Errors
/// Writing to `out` failed.
pub fn print_written(out: &mut impl Write, c: &Committed, note: &str) -> Result<()> {
    writeln!(
        out,
        "\nwrote {} files to {}/{note}",
        c.files.len(),
        c.dir.display()
    )?;
    let mut per_folder: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for f in &c.files {
        if let Some((d, _)) = f.split_once('/') {
            per_folder.entry(d).or_default().push(f);
        }
    }
    let mut done = std::collections::BTreeSet::new();
    for f in &c.files {
        match f.split_once('/') {
            Some((d, _)) if per_folder[d].len() > MAX_LISTED => {
                if done.insert(d) {
                    let v = &per_folder[d];
                    writeln!(
                        out,
                        "  {d}/ ({} files: {} .. {})",
                        v.len(),
                        v[0],
                        v[v.len() - 1]
                    )?;
                }
            }
            _ => writeln!(out, "  {f}")?,
        }
    }
    if !c.nested.is_empty() {
        let v: Vec<String> = c
            .nested
            .iter()
            .map(|p| format!("{}/", p.display()))
            .collect();
        writeln!(out, "kept the output folders inside it: {}", v.join(", "))?;
    }
    if !c.foreign.is_empty() {
        let v: Vec<String> = c.foreign.iter().map(|p| p.display().to_string()).collect();
        writeln!(
            out,
            "kept {} file(s) supportsim did not write (--force): {}",
            v.len(),
            v.join(", ")
        )?;
    }
    Ok(())
}
