//! One output file (`init --out`, `calibrate --out`, `synth-export --out`): checked before
//! any work, written to a temporary file beside it, then put in place in one step, so a
//! failure leaves no partial file and the old one intact.
//!
//! Without `--force` an existing file is never replaced (a hard link fails if the name was
//! taken meanwhile). A path that is not a regular file (a folder, a device such as
//! `/dev/null`, a socket) is refused even with `--force`: renaming over it would replace the
//! device node itself.

use anyhow::{Context, Result, bail};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Refuses `path` before any work when it cannot be written as `flag` (e.g. `--out`).
///
/// # Errors
/// A folder, a path that is not a regular file, or (without `force`) an existing file.
pub(super) fn check(path: &Path, flag: &str, force: bool) -> Result<()> {
    if path.as_os_str().is_empty() {
        bail!("{flag} is empty: give a file name such as scenario.toml");
    }
    let Ok(meta) = std::fs::metadata(path) else {
        return Ok(());
    };
    if meta.is_dir() {
        bail!(
            "{flag} {}: is a folder; give a file name such as {}/scenario.toml",
            path.display(),
            path.display()
        );
    }
    if !meta.is_file() {
        bail!(
            "{flag} {}: exists and is not a regular file (a device, pipe or socket); supportsim writes a file through a temporary copy and would replace it: give a file path, or omit {flag} to write to standard output where the command allows it",
            path.display()
        );
    }
    if !force {
        bail!(
            "{flag} {}: the file exists; choose another name or add --force to replace it",
            path.display()
        );
    }
    Ok(())
}

/// A file written beside its destination and not yet in place; dropping it removes it.
pub(super) struct Staged {
    tmp: PathBuf,
    path: PathBuf,
    flag: String,
    placed: bool,
}

impl Staged {
    /// Checks `path` (see [`check`]) and writes `bytes` to a temporary file beside it.
    ///
    /// # Errors
    /// The checks, or a folder that cannot be written.
    pub(super) fn write(path: &Path, flag: &str, force: bool, bytes: &[u8]) -> Result<Staged> {
        Staged::stream(path, flag, force, |w| w.write_all(bytes))
    }

    /// Checks `path` (see [`check`]) and writes what `fill` writes to a temporary file beside
    /// it, through a buffer: a file of any size is written without holding it in memory.
    ///
    /// # Errors
    /// The checks, a folder that cannot be written, or an error of `fill` (the temporary
    /// file is then removed).
    pub(super) fn stream(
        path: &Path,
        flag: &str,
        force: bool,
        fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<Staged> {
        check(path, flag, force)?;
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .with_context(|| format!("{flag} {} needs a file name", path.display()))?;
        let tmp = dir.join(format!(".{name}.supportsim-{}.tmp", std::process::id()));
        let staged = Staged {
            tmp,
            path: path.to_path_buf(),
            flag: flag.to_string(),
            placed: false,
        };
        let cannot = || {
            format!(
                "{flag} {}: cannot write (does the folder {} exist and is it writable?)",
                path.display(),
                dir.display()
            )
        };
        super::outputs::stage(&staged.tmp);
        let file = std::fs::File::create(&staged.tmp).with_context(cannot)?;
        let mut w = std::io::BufWriter::new(Interruptible(file));
        fill(&mut w).with_context(cannot)?;
        w.into_inner()
            .map_err(std::io::IntoInnerError::into_error)
            .with_context(cannot)?;
        Ok(staged)
    }

    /// Puts the file in place: renamed over an existing file with `force`, else hard-linked,
    /// which fails if the name was taken since [`Staged::write`].
    ///
    /// # Errors
    /// The name was taken (without `force`), or the rename failed; the old file is intact.
    pub(super) fn place(mut self, force: bool) -> Result<()> {
        check(&self.path, &self.flag, force)?;
        let result = if force {
            std::fs::rename(&self.tmp, &self.path).map_err(anyhow::Error::from)
        } else {
            std::fs::hard_link(&self.tmp, &self.path).map_err(|e| {
                if e.kind() == std::io::ErrorKind::AlreadyExists {
                    anyhow::anyhow!(
                        "{} {}: the file exists; choose another name or add --force to replace it",
                        self.flag,
                        self.path.display()
                    )
                } else {
                    anyhow::Error::from(e)
                }
            })
        };
        self.placed = force && result.is_ok();
        result.with_context(|| format!("{} {}: cannot write", self.flag, self.path.display()))
    }
}

/// A file that stops the process cleanly (the staged file removed, exit 130 or 143) when a
/// signal came, checked at each buffered write, so a long stream can be interrupted.
struct Interruptible(std::fs::File);

impl Write for Interruptible {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        super::outputs::checkpoint();
        self.0.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        super::outputs::forget_staged(&self.tmp);
        // After a rename the temporary name is gone; after a hard link it is a second name.
        if !self.placed {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Checks `path`, writes `bytes` beside it and puts it in place (see [`Staged`]).
///
/// # Errors
/// See [`check`] and [`Staged::place`].
pub(super) fn write_file(path: &Path, flag: &str, force: bool, bytes: &[u8]) -> Result<()> {
    Staged::write(path, flag, force, bytes)?.place(force)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn existing_files_need_force_and_devices_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a.toml");
        write_file(&f, "--out", false, b"one").unwrap();
        let e = write_file(&f, "--out", false, b"two").unwrap_err();
        assert!(format!("{e:#}").contains("--force"), "{e:#}");
        assert_eq!(std::fs::read(&f).unwrap(), b"one");
        write_file(&f, "--out", true, b"two").unwrap();
        assert_eq!(std::fs::read(&f).unwrap(), b"two");
        let e = write_file(dir.path(), "--out", true, b"x").unwrap_err();
        assert!(format!("{e:#}").contains("is a folder"), "{e:#}");
        let e = write_file(Path::new("/dev/null"), "--out", true, b"x").unwrap_err();
        assert!(format!("{e:#}").contains("not a regular file"), "{e:#}");
        // No temporary is left behind, whatever happened.
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, ["a.toml"]);
    }

    #[test]
    fn a_staged_file_dropped_before_placing_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("b.toml");
        drop(Staged::write(&f, "--out", false, b"x").unwrap());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
