//! Results out: Polars tables (CSV, Parquet), charts (PNG, SVG) and provenance files.
//!
//! Builders here produce bytes in memory; [`OutputSet`] is the one place that writes files.
//! Every file is written under a temporary name in the target folder and renamed into place
//! once complete, so a failed or interrupted run never leaves a partial file behind.

pub mod charts;
pub mod compare;
mod error;
mod estimate;
pub mod partition;
pub mod report;
pub mod run_report;
pub mod staff;
pub mod sweep;
pub mod tables;
pub mod tickets;

pub use error::{ExportError, Result};

use std::path::{Path, PathBuf};

/// Files to write, as (file name, bytes), committed together.
#[derive(Debug, Default)]
pub struct OutputSet {
    files: Vec<(PathBuf, Vec<u8>)>,
}

impl OutputSet {
    /// Adds a file (path relative to the output folder).
    pub fn add(&mut self, rel: impl Into<PathBuf>, bytes: Vec<u8>) {
        self.files.push((rel.into(), bytes));
    }

    /// Relative paths, in insertion order.
    pub fn names(&self) -> impl Iterator<Item = &Path> {
        self.files.iter().map(|(p, _)| p.as_path())
    }

    /// Writes every file into `dir`: all temporary files first, then the renames, so a failure
    /// while writing leaves no new file at all (temporary files are removed).
    ///
    /// # Errors
    /// Any I/O error, naming the file.
    pub fn commit(&self, dir: &Path) -> Result<Vec<PathBuf>> {
        let mut temps: Vec<(PathBuf, PathBuf)> = Vec::new();
        let cleanup = |temps: &[(PathBuf, PathBuf)]| {
            for (t, _) in temps {
                let _ = std::fs::remove_file(t);
            }
        };
        for (rel, bytes) in &self.files {
            let target = dir.join(rel);
            let parent = target.parent().unwrap_or(dir).to_path_buf();
            if let Err(e) = std::fs::create_dir_all(&parent) {
                cleanup(&temps);
                return Err(ExportError::CreateFolder {
                    path: parent,
                    source: e,
                });
            }
            let name = target
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let tmp = parent.join(format!(".{name}.{}.tmp", std::process::id()));
            if let Err(e) = std::fs::write(&tmp, bytes) {
                let _ = std::fs::remove_file(&tmp);
                cleanup(&temps);
                return Err(ExportError::Write {
                    path: target,
                    source: e,
                });
            }
            temps.push((tmp, target));
        }
        let mut done = Vec::new();
        for (tmp, target) in &temps {
            std::fs::rename(tmp, target).map_err(|source| ExportError::MoveIntoPlace {
                path: target.clone(),
                source,
            })?;
            done.push(target.clone());
        }
        Ok(done)
    }
}

/// Checks early (before a long run) that `dir` can be created and written to.
///
/// # Errors
/// When the folder cannot be created or a probe file cannot be written.
pub fn check_writable(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|source| ExportError::CreateOutputFolder {
        path: dir.to_path_buf(),
        source,
    })?;
    let probe = dir.join(format!(".write-probe.{}", std::process::id()));
    std::fs::write(&probe, b"").map_err(|source| ExportError::NotWritable {
        path: dir.to_path_buf(),
        source,
    })?;
    let _ = std::fs::remove_file(probe);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_writes_all_files_and_no_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        let mut set = OutputSet::default();
        set.add("a.csv", b"x".to_vec());
        set.add("charts/b.svg", b"<svg/>".to_vec());
        set.commit(dir.path()).unwrap();
        assert_eq!(std::fs::read(dir.path().join("a.csv")).unwrap(), b"x");
        assert!(dir.path().join("charts/b.svg").exists());
        let leftovers: Vec<_> = walk(dir.path())
            .into_iter()
            .filter(|p| p.to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn failed_commit_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        // A file where a folder must go makes the second write fail.
        std::fs::write(dir.path().join("charts"), b"not a folder").unwrap();
        let mut set = OutputSet::default();
        set.add("summary.csv", b"x".to_vec());
        set.add("charts/b.svg", b"<svg/>".to_vec());
        assert!(set.commit(dir.path()).is_err());
        assert!(!dir.path().join("summary.csv").exists());
        assert_eq!(
            walk(dir.path()).len(),
            1,
            "only the pre-existing file remains"
        );
    }

    fn walk(p: &Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(p).unwrap() {
            let e = e.unwrap().path();
            if e.is_dir() {
                out.extend(walk(&e));
            } else {
                out.push(e);
            }
        }
        out
    }
}
