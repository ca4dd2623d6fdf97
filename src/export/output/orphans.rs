//! Temporary folders of commits that never finished (the process was killed), and their
//! clean-up by the next commit beside them.
//!
//! Names: `.supportsim-staging-<host>-<pid>-<nonce>` (a set being built) and
//! `.supportsim-backup-<host>-<pid>-<nonce>` (the previous set, moved aside by the fallback
//! commit; it holds `target`, the output folder's name, and `old/`, the folder). A folder is
//! an orphan only when its host is this machine's and its process is no longer running, so a
//! commit never touches the temporaries of a live run, here or on another machine sharing the
//! file system.

use std::path::{Path, PathBuf};

/// Name prefix of staging folders.
pub const STAGING: &str = ".supportsim-staging-";
/// Name prefix of backup folders.
pub const BACKUP: &str = ".supportsim-backup-";

/// This machine's host name, reduced to letters, digits and `_` (so `-` separates fields).
pub fn host() -> String {
    let raw = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "host".into());
    let h: String = raw
        .trim()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .take(40)
        .collect();
    if h.is_empty() { "host".into() } else { h }
}

/// Whether process `pid` is running on this machine.
pub fn alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    #[cfg(unix)]
    {
        let Ok(p) = libc::pid_t::try_from(pid) else {
            return false;
        };
        // SAFETY: kill with signal 0 only checks whether the process exists.
        let r = unsafe { libc::kill(p, 0) };
        r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }
    #[cfg(not(unix))]
    {
        // Unknown: assume alive, so nothing of a live run is ever removed.
        true
    }
}

/// A temporary folder's kind, host and process, parsed from its name.
fn parse(name: &str) -> Option<(bool, &str, u32)> {
    let (staging, rest) = if let Some(r) = name.strip_prefix(STAGING) {
        (true, r)
    } else {
        (false, name.strip_prefix(BACKUP)?)
    };
    let mut it = rest.rsplitn(3, '-');
    let _nonce = it.next()?;
    let pid = it.next()?.parse().ok()?;
    let host = it.next()?;
    Some((staging, host, pid))
}

/// Files of earlier supportsim versions' temporaries: `.tickets.<pid>.tmp` folders and
/// `.<name>.<pid>.tmp` files inside an output folder, and `.write-probe.<pid>`.
fn parse_legacy(name: &str) -> Option<u32> {
    if let Some(pid) = name.strip_prefix(".write-probe.") {
        return pid.parse().ok();
    }
    let stem = name.strip_prefix('.')?.strip_suffix(".tmp")?;
    stem.rsplit_once('.')?.1.parse().ok()
}

/// What the scan of a folder found.
#[derive(Debug, Default)]
pub struct Scan {
    /// One line per temporary removed or restored.
    pub notices: Vec<String>,
    /// Temporaries of live processes (their folder and pid).
    pub busy: Vec<(PathBuf, u32)>,
}

/// Removes the orphaned temporaries in `dir` (restoring an output folder that a killed
/// fallback commit had moved aside), and reports live ones. The temporaries of earlier
/// versions are looked for only in supportsim's own output folders, so a file of the user's
/// that happens to look like one is never touched.
pub fn sweep(dir: &Path, scan: &mut Scan) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let legacy = super::manifest::is_output_folder(dir);
    let me = host();
    let mut names: Vec<String> = rd
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in names {
        let path = dir.join(&name);
        if let Some((staging, h, pid)) = parse(&name) {
            if h != me {
                continue;
            }
            if alive(pid) {
                scan.busy.push((path, pid));
                continue;
            }
            if staging {
                if std::fs::remove_dir_all(&path).is_ok() {
                    scan.notices.push(format!(
                        "removed {} (temporary outputs of supportsim process {pid}, which was stopped before it finished)",
                        path.display()
                    ));
                }
            } else {
                recover_backup(dir, &path, pid, scan);
            }
        } else if legacy
            && let Some(pid) = parse_legacy(&name)
            && !alive(pid)
        {
            let r = if path.is_dir() {
                std::fs::remove_dir_all(&path)
            } else {
                std::fs::remove_file(&path)
            };
            if r.is_ok() {
                scan.notices.push(format!(
                    "removed {} (a temporary of supportsim process {pid}, which was stopped before it finished)",
                    path.display()
                ));
            }
        }
    }
}

/// A backup left by a killed fallback commit: when its output folder is missing, the kill
/// came between the two renames, so the previous set goes back into place; otherwise the new
/// set is in place and the backup is stale.
fn recover_backup(dir: &Path, backup: &Path, pid: u32, scan: &mut Scan) {
    let old = backup.join("old");
    let target = std::fs::read_to_string(backup.join("target"))
        .ok()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty() && !t.contains('/') && t != "." && t != "..");
    if let Some(t) = target {
        let dest = dir.join(&t);
        if old.is_dir() && std::fs::symlink_metadata(&dest).is_err() {
            if std::fs::rename(&old, &dest).is_ok() {
                scan.notices.push(format!(
                    "restored {} from {} (supportsim process {pid} was stopped while replacing it)",
                    dest.display(),
                    backup.display()
                ));
                let _ = std::fs::remove_dir_all(backup);
            }
            return;
        }
    }
    if std::fs::remove_dir_all(backup).is_ok() {
        scan.notices.push(format!(
            "removed {} (previous outputs already replaced by supportsim process {pid}, which was stopped before it cleaned up)",
            backup.display()
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_with_hyphens_in_the_host() {
        assert_eq!(
            parse(".supportsim-staging-my-box-42-00ab"),
            Some((true, "my-box", 42))
        );
        assert_eq!(parse(".supportsim-backup-h-7-ff"), Some((false, "h", 7)));
        assert_eq!(parse(".supportsim-staging-x"), None);
        assert_eq!(parse_legacy(".tickets.123.tmp"), Some(123));
        assert_eq!(parse_legacy(".summary.csv.99.tmp"), Some(99));
        assert_eq!(parse_legacy(".write-probe.5"), Some(5));
        assert_eq!(parse_legacy("summary.csv"), None);
    }

    #[test]
    fn this_process_is_alive() {
        assert!(alive(std::process::id()));
    }
}
