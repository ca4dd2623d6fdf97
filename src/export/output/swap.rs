//! The final step of a commit: putting a complete staging folder in place of the output
//! folder so that, at every instant, the output path holds either the previous complete set
//! or the new one.
//!
//! On Linux the two folders are exchanged by one `renameat2(RENAME_EXCHANGE)`: atomic, and
//! the previous set ends up at the staging path, to be deleted. Where that call is missing
//! (other systems, some file systems) the fallback moves the previous folder into a backup
//! folder, renames the new one in and deletes the backup; a failure of the second rename
//! moves the backup back, and a kill between the two renames is undone by the next commit
//! (see [`super::orphans`]).

use super::OutputError;
use std::path::Path;

/// Which way [`swap`] replaces an existing folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Atomic exchange where the system has it, else the fallback.
    Best,
    /// Always the backup-and-rename fallback (tests of that path).
    Fallback,
}

/// A failure injected into the fallback, for tests of its roll-back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// No failure.
    None,
    /// The rename of the new set into place fails after the old set was moved aside.
    SecondRename,
}

/// Puts `staging` (complete) at `target`. `backup` is a free path beside them, used by the
/// fallback only. Returns the path now holding the previous set, to delete (if any).
///
/// # Errors
/// The swap failed; the previous set is at `target` (or, when even the restore failed, at
/// the backup path the error names).
pub fn swap(
    staging: &Path,
    target: &Path,
    backup: &Path,
    method: Method,
    fault: Fault,
) -> Result<Option<std::path::PathBuf>, OutputError> {
    if std::fs::symlink_metadata(target).is_err() {
        std::fs::rename(staging, target).map_err(|source| OutputError::Swap {
            path: target.to_path_buf(),
            source,
        })?;
        return Ok(None);
    }
    if method == Method::Best {
        match exchange(staging, target) {
            Ok(()) => return Ok(Some(staging.to_path_buf())),
            Err(e) if unsupported(&e) => {}
            Err(source) => {
                return Err(OutputError::Swap {
                    path: target.to_path_buf(),
                    source,
                });
            }
        }
    }
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let fail = |source| OutputError::Swap {
        path: target.to_path_buf(),
        source,
    };
    std::fs::create_dir(backup).map_err(fail)?;
    if let Err(e) = std::fs::write(backup.join("target"), name.as_bytes()) {
        let _ = std::fs::remove_dir_all(backup);
        return Err(fail(e));
    }
    let old = backup.join("old");
    if let Err(e) = std::fs::rename(target, &old) {
        let _ = std::fs::remove_dir_all(backup);
        return Err(fail(e));
    }
    let second = match fault {
        Fault::SecondRename => Err(std::io::Error::other("injected failure")),
        Fault::None => std::fs::rename(staging, target),
    };
    if let Err(e) = second {
        return match std::fs::rename(&old, target) {
            Ok(()) => {
                let _ = std::fs::remove_dir_all(backup);
                Err(fail(e))
            }
            Err(source) => Err(OutputError::Restore {
                path: target.to_path_buf(),
                backup: old,
                source,
            }),
        };
    }
    Ok(Some(backup.to_path_buf()))
}

fn unsupported(e: &std::io::Error) -> bool {
    #[cfg(target_os = "linux")]
    {
        matches!(
            e.raw_os_error(),
            Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP | libc::EXDEV)
        )
    }
    #[cfg(not(target_os = "linux"))]
    {
        e.kind() == std::io::ErrorKind::Unsupported
    }
}

/// Atomically exchanges two paths (Linux `renameat2` with `RENAME_EXCHANGE`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ca = CString::new(a.as_os_str().as_bytes())?;
    let cb = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both paths are valid NUL-terminated strings that outlive the call; the raw
    // syscall avoids depending on a C library version that wraps renameat2.
    let r = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}
