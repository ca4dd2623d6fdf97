//! Crash-safe output folders: every command that writes builds its complete set of files in
//! one hidden staging folder beside the output folder, then puts it in place in one step
//! that can be rolled back (see [`swap`]).
//!
//! - **Before the run** ([`OutputDir::prepare`]): the output path is checked (not a file, not
//!   the working folder, not a mount point), orphaned temporaries of killed runs beside it
//!   and in it are removed (with a notice), and the folder's contents are classified with
//!   its `.supportsim-manifest.json`: files an earlier commit wrote are replaced, output
//!   folders of other commands inside it (shard partitions) are kept, and any other file makes
//!   the command refuse before it starts, unless `--force` (then they are kept too, and a
//!   new output of the same name as one of them makes the commit refuse: a file supportsim
//!   did not write is never replaced).
//! - **During the run** files go to [`OutputDir::staging`] only (per-ticket parts stream
//!   there from worker threads); the output folder is untouched.
//! - **Commit** ([`OutputDir::commit`]): the manifest of the new files is written, kept
//!   entries are hard-linked into the staging folder, and staging replaces the folder. A
//!   failure at any point leaves the previous complete set; dropping an uncommitted
//!   [`OutputDir`] removes its staging folder.

mod error;
pub mod manifest;
pub mod orphans;
pub mod swap;

pub use error::OutputError;
pub use manifest::{MANIFEST, Manifest};
pub use swap::{Fault, Method};

use super::OutputSet;
use manifest::Entry;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// An output folder being prepared: its staging folder exists, the folder itself is as it was.
#[derive(Debug)]
pub struct OutputDir {
    /// The folder as the user named it (for messages).
    shown: PathBuf,
    /// The folder's real path (symbolic links resolved).
    target: PathBuf,
    staging: PathBuf,
    backup: PathBuf,
    /// Entries of the existing folder to carry into the new set (relative paths).
    keep: Vec<PathBuf>,
    /// Of those, the foreign files (kept because of `--force`).
    foreign: Vec<PathBuf>,
    /// Of those, nested output folders.
    nested: Vec<PathBuf>,
    notices: Vec<String>,
    written: Vec<String>,
    committed: bool,
    method: Method,
    fault: Fault,
}

/// What a commit put in place.
#[derive(Debug, Clone)]
pub struct Committed {
    /// The output folder as the user named it.
    pub dir: PathBuf,
    /// Every file supportsim wrote there (relative, `/`-separated): the set's files in the
    /// order they were added, then the files streamed into staging (tickets), sorted. The
    /// manifest itself is not listed.
    pub files: Vec<String>,
    /// Files supportsim did not write, kept because of `--force`.
    pub foreign: Vec<PathBuf>,
    /// Output folders of other commands inside this one, kept.
    pub nested: Vec<PathBuf>,
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn commit_id() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!(
        "{:x}{:x}",
        nanos & 0xffff_ffff_ffff,
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

impl OutputDir {
    /// Checks `dir`, cleans orphaned temporaries beside and inside it, classifies what it
    /// holds and creates the staging folder. `force` keeps foreign files instead of refusing.
    ///
    /// # Errors
    /// A path that cannot hold outputs, foreign files without `force`, a live writer inside
    /// the folder, or a parent where the staging folder cannot be created.
    pub fn prepare(dir: &Path, force: bool) -> Result<OutputDir, OutputError> {
        let shown = dir.to_path_buf();
        let mut target = dir.to_path_buf();
        let meta = std::fs::symlink_metadata(&target).ok();
        if meta.as_ref().is_some_and(|m| m.file_type().is_symlink()) {
            target = std::fs::canonicalize(&target).map_err(|_| OutputError::NotAFolder {
                path: shown.clone(),
            })?;
        }
        if target.file_name().is_none() {
            // `.`, `..`, `/`: name the folder by its real path.
            target = std::fs::canonicalize(&target).unwrap_or(target);
        }
        let Some(name) = target.file_name().map(|n| n.to_owned()) else {
            return Err(OutputError::ContainsWorkingDir { path: shown });
        };
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let exists = match std::fs::metadata(&target) {
            Ok(m) if m.is_dir() => true,
            Ok(_) => return Err(OutputError::NotAFolder { path: shown }),
            Err(_) => false,
        };
        std::fs::create_dir_all(&parent).map_err(|source| OutputError::Staging {
            parent: parent.clone(),
            source,
        })?;
        let mut scan = orphans::Scan::default();
        let (mut keep, mut foreign, mut nested) = (Vec::new(), Vec::new(), Vec::new());
        if exists {
            let real = std::fs::canonicalize(&target).unwrap_or_else(|_| target.clone());
            if let Ok(cwd) = std::env::current_dir().and_then(std::fs::canonicalize)
                && cwd.starts_with(&real)
            {
                return Err(OutputError::ContainsWorkingDir { path: shown });
            }
            if is_mount_point(&target, &parent) {
                return Err(OutputError::MountPoint { path: shown });
            }
            orphans::sweep(&target, &mut scan);
            if let Some((path, pid)) = scan.busy.first() {
                return Err(OutputError::Busy {
                    path: path.clone(),
                    pid: *pid,
                });
            }
            let c = manifest::classify(&target).map_err(|source| OutputError::List {
                path: shown.clone(),
                source,
            })?;
            if !c.foreign.is_empty() && !force {
                return Err(OutputError::ForeignFiles {
                    dir: shown,
                    examples: c
                        .foreign
                        .iter()
                        .take(5)
                        .map(|p| manifest::slash(p))
                        .collect(),
                    count: c.foreign.len(),
                });
            }
            keep.extend(c.nested.iter().cloned());
            keep.extend(c.foreign.iter().cloned());
            foreign = c.foreign;
            nested = c.nested;
        }
        // Beside the folder, live temporaries belong to other folders' commits: leave them.
        orphans::sweep(&parent, &mut scan);
        let id = commit_id();
        let stem = format!("{}-{}-{id}", orphans::host(), std::process::id());
        let staging = parent.join(format!("{}{stem}", orphans::STAGING));
        let backup = parent.join(format!("{}{stem}", orphans::BACKUP));
        std::fs::create_dir(&staging).map_err(|source| OutputError::Staging {
            parent: parent.clone(),
            source,
        })?;
        Ok(OutputDir {
            shown,
            target: parent.join(name),
            staging,
            backup,
            keep,
            foreign,
            nested,
            notices: scan.notices,
            written: Vec::new(),
            committed: false,
            method: Method::Best,
            fault: Fault::None,
        })
    }

    /// The output folder as the user named it.
    pub fn path(&self) -> &Path {
        &self.shown
    }

    /// The staging folder: files streamed during the run go here.
    pub fn staging(&self) -> &Path {
        &self.staging
    }

    /// Orphaned temporaries removed (or outputs restored) while preparing, one line each.
    pub fn notices(&self) -> &[String] {
        &self.notices
    }

    /// Chooses how the final swap is done and injects a failure (tests of the roll-back).
    #[cfg(test)]
    pub fn with_method(mut self, method: Method, fault: Fault) -> Self {
        self.method = method;
        self.fault = fault;
        self
    }

    /// Writes the files of `set` into the staging folder.
    ///
    /// # Errors
    /// An I/O error, naming the file's final path.
    pub fn write(&mut self, set: &OutputSet) -> Result<(), OutputError> {
        for (rel, bytes) in &set.files {
            let path = self.staging.join(rel);
            let fail = |source| OutputError::Write {
                path: self.shown.join(rel),
                source,
            };
            if let Some(p) = path.parent() {
                std::fs::create_dir_all(p).map_err(fail)?;
            }
            std::fs::write(&path, bytes).map_err(fail)?;
            self.written.push(manifest::slash(rel));
        }
        Ok(())
    }

    /// Notes a file the caller streamed into [`OutputDir::staging`] itself (at `rel`), so the
    /// committed file list shows it at this place in the order instead of after the set.
    pub fn streamed(&mut self, rel: &str) {
        self.written.push(rel.to_string());
    }

    /// Writes the manifest, carries the kept entries over and puts the new set in place.
    ///
    /// # Errors
    /// Any failure; the output folder then holds the previous complete set (or, if even
    /// putting it back failed, the error says where it is).
    pub fn commit(mut self) -> Result<Committed, OutputError> {
        let entries = manifest::list_files(&self.staging).map_err(|source| OutputError::List {
            path: self.staging.clone(),
            source,
        })?;
        let files = order(&self.written, &entries);
        let m = Manifest::new(entries);
        serde_json::to_vec_pretty(&m)
            .map_err(std::io::Error::other)
            .and_then(|json| std::fs::write(self.staging.join(MANIFEST), json))
            .map_err(|source| OutputError::Write {
                path: self.shown.join(MANIFEST),
                source,
            })?;
        for rel in &self.keep {
            let dst = self.staging.join(rel);
            if std::fs::symlink_metadata(&dst).is_ok() {
                if self.foreign.contains(rel) {
                    // `--force` promised to keep the user's file: refuse rather than replace it.
                    return Err(OutputError::ForeignCollision {
                        dir: self.shown.clone(),
                        file: rel.clone(),
                    });
                }
                continue; // a new output replaces an older nested output folder of its name
            }
            link_tree(&self.target.join(rel), &dst).map_err(|source| OutputError::Keep {
                path: self.shown.join(rel),
                source,
            })?;
        }
        if let Ok(meta) = std::fs::metadata(&self.target) {
            let _ = std::fs::set_permissions(&self.staging, meta.permissions());
            // A shard that started writing inside the folder since `prepare` would lose its
            // staging folder with the previous set: refuse rather than swap it away.
            let mut scan = orphans::Scan::default();
            orphans::sweep(&self.target, &mut scan);
            if let Some((path, pid)) = scan.busy.into_iter().next() {
                return Err(OutputError::Busy { path, pid });
            }
        }
        let old = swap::swap(
            &self.staging,
            &self.target,
            &self.backup,
            self.method,
            self.fault,
        )?;
        self.committed = true;
        if let Some(old) = old {
            let _ = std::fs::remove_dir_all(old);
        }
        Ok(Committed {
            dir: self.shown.clone(),
            files,
            foreign: std::mem::take(&mut self.foreign),
            nested: std::mem::take(&mut self.nested),
        })
    }
}

impl Drop for OutputDir {
    /// An uncommitted set leaves nothing behind.
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

/// The set's files in insertion order, then the others (streamed into staging), sorted.
fn order(written: &[String], entries: &[Entry]) -> Vec<String> {
    let present: std::collections::BTreeSet<&str> =
        entries.iter().map(|e| e.path.as_str()).collect();
    let mut seen = std::collections::BTreeSet::new();
    let mut out: Vec<String> = written
        .iter()
        .filter(|w| present.contains(w.as_str()) && seen.insert(w.as_str()))
        .cloned()
        .collect();
    out.extend(
        entries
            .iter()
            .filter(|e| !seen.contains(e.path.as_str()))
            .map(|e| e.path.clone()),
    );
    out
}

/// Recreates `src` at `dst` with hard links (folders recreated, symbolic links copied), so
/// the original stays intact until the swap and a kill before it loses nothing.
fn link_tree(src: &Path, dst: &Path) -> std::io::Result<()> {
    let meta = std::fs::symlink_metadata(src)?;
    if let Some(p) = dst.parent() {
        std::fs::create_dir_all(p)?;
    }
    if meta.file_type().is_symlink() {
        let to = std::fs::read_link(src)?;
        #[cfg(unix)]
        return std::os::unix::fs::symlink(to, dst);
        #[cfg(not(unix))]
        return Err(std::io::Error::other(format!(
            "cannot keep the symbolic link to {}",
            to.display()
        )));
    }
    if meta.is_dir() {
        std::fs::create_dir(dst)?;
        for e in std::fs::read_dir(src)? {
            let e = e?;
            link_tree(&e.path(), &dst.join(e.file_name()))?;
        }
        return Ok(());
    }
    std::fs::hard_link(src, dst)
}

#[cfg(unix)]
fn is_mount_point(dir: &Path, parent: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(dir), std::fs::metadata(parent)) {
        (Ok(a), Ok(b)) => a.dev() != b.dev(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn is_mount_point(_: &Path, _: &Path) -> bool {
    false
}

#[cfg(test)]
mod tests;
