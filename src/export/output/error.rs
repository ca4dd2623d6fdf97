//! Why an output folder cannot be prepared or committed. Each message names the folder or
//! file and says what to do.

use std::path::PathBuf;

/// A refusal or failure of the output commit.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The output path exists and is not a folder.
    #[error("output path {} exists and is not a folder: remove it or choose another --out", path.display())]
    NotAFolder {
        /// The path.
        path: PathBuf,
    },
    /// The output folder would contain the working directory (or is `/`).
    #[error(
        "output folder {} is the current folder or contains it: supportsim replaces its output folder as a whole, so choose a subfolder, e.g. --out outputs/run",
        path.display()
    )]
    ContainsWorkingDir {
        /// The folder.
        path: PathBuf,
    },
    /// The output folder is a mount point (its parent is on another file system).
    #[error(
        "output folder {} is a mount point: supportsim writes a staging folder beside it and renames it into place, which cannot cross file systems; use a subfolder, e.g. --out {}/run",
        path.display(),
        path.display()
    )]
    MountPoint {
        /// The folder.
        path: PathBuf,
    },
    /// The folder holds files that no supportsim manifest lists.
    #[error(
        "output folder {} holds {count} file(s) that supportsim did not write: {}{}; choose another --out, move them away, or pass --force to keep them beside the new outputs (--force never replaces a file supportsim did not write)",
        dir.display(),
        examples.join(", "),
        if *count > examples.len() { ", ..." } else { "" }
    )]
    ForeignFiles {
        /// The folder.
        dir: PathBuf,
        /// Some of the files (relative paths).
        examples: Vec<String>,
        /// How many there are.
        count: usize,
    },
    /// A file supportsim did not write (kept by `--force`) has the name of a new output.
    #[error(
        "output folder {} holds {} that supportsim did not write, and this command writes a file of that name: --force keeps such files and never replaces them, so move it away or choose another --out (the folder is unchanged)",
        dir.display(),
        file.display()
    )]
    ForeignCollision {
        /// The folder.
        dir: PathBuf,
        /// The file (relative path).
        file: PathBuf,
    },
    /// Another running supportsim is writing into or beside the folder.
    #[error(
        "another supportsim (process {pid}) is writing {}: wait for it to finish, or choose another --out",
        path.display()
    )]
    Busy {
        /// Its staging folder.
        path: PathBuf,
        /// Its process id.
        pid: u32,
    },
    /// The staging folder could not be created (the parent is not writable).
    #[error("cannot create a staging folder in {} (supportsim stages outputs beside the output folder)", parent.display())]
    Staging {
        /// The parent folder.
        parent: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A file could not be written into the staging folder.
    #[error("cannot write {}", path.display())]
    Write {
        /// The file (its final path).
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The staging folder could not be listed.
    #[error("cannot read {}", path.display())]
    List {
        /// The folder.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A file to keep could not be linked into the new set.
    #[error("cannot keep {} in the new outputs (hard link failed)", path.display())]
    Keep {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The final rename failed; the previous outputs were restored.
    #[error("cannot move the new outputs into {} (the previous outputs are unchanged)", path.display())]
    Swap {
        /// The output folder.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The final rename failed and the previous outputs could not be put back.
    #[error(
        "cannot move the new outputs into {} and cannot restore the previous ones: they are in {}",
        path.display(),
        backup.display()
    )]
    Restore {
        /// The output folder.
        path: PathBuf,
        /// Where the previous outputs are.
        backup: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}
