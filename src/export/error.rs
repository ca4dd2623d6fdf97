//! Why an output could not be built, written or read back. I/O failures name the file or
//! folder; the underlying error is the source, so `error: cannot write x: <reason>` reads as
//! one line.

use super::partition::PartitionError;
use crate::chart::ChartError;
use polars::prelude::PolarsError;
use std::path::PathBuf;

/// Result of the export module.
pub type Result<T, E = ExportError> = std::result::Result<T, E>;

/// A failure to produce or read outputs.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// An output folder could not be created before the run.
    #[error("cannot create output folder {}", path.display())]
    CreateOutputFolder {
        /// The folder.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The output folder exists but a probe file cannot be written to it.
    #[error("output folder {} is not writable", path.display())]
    NotWritable {
        /// The folder.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A folder (a subfolder of the outputs, or a staging folder) could not be created.
    #[error("cannot create folder {}", path.display())]
    CreateFolder {
        /// The folder.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A file could not be written.
    #[error("cannot write {}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A finished file could not be renamed into place.
    #[error("cannot move {} into place", path.display())]
    MoveIntoPlace {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The per-ticket staging folder could not be created.
    #[error("cannot create {}", path.display())]
    CreateStaging {
        /// The staging folder.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The per-ticket parts could not be moved into the output folder.
    #[error("cannot move tickets into {}", path.display())]
    MoveTickets {
        /// The target folder.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Some per-ticket parts failed while the replications ran.
    #[error("per-ticket output failed ({failed} parts): {first}")]
    TicketParts {
        /// Parts that failed.
        failed: usize,
        /// The first failure, naming its replication.
        first: String,
    },
    /// A file to read back could not be opened.
    #[error("cannot open {}", path.display())]
    Open {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A text file to read back could not be read.
    #[error("cannot read {}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A folder given to `merge` has no readable `partition.toml`.
    #[error(
        "{} is not a shard partition (no readable partition.toml; write one with `supportsim run --shard K/N --out {}`)",
        dir.display(),
        dir.display()
    )]
    NotAPartition {
        /// The folder.
        dir: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A TOML file read back does not parse.
    #[error("{} is malformed", path.display())]
    Malformed {
        /// The file.
        path: PathBuf,
        /// The parser's complaint.
        source: toml::de::Error,
    },
    /// A Parquet file read back does not parse.
    #[error("{} is not a readable Parquet file", path.display())]
    NotParquet {
        /// The file.
        path: PathBuf,
        /// Polars' complaint.
        source: PolarsError,
    },
    /// Partitions that do not combine into one run.
    #[error(transparent)]
    Partition(#[from] PartitionError),
    /// Building or encoding a table failed.
    #[error(transparent)]
    Polars(#[from] PolarsError),
    /// Drawing or encoding a chart failed.
    #[error(transparent)]
    Chart(#[from] ChartError),
    /// A value could not be written as TOML.
    #[error(transparent)]
    Toml(#[from] toml::ser::Error),
}
