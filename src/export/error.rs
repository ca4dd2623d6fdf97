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
    /// Some per-ticket parts failed while the replications ran.
    #[error("per-ticket output failed ({failed} parts): {first}")]
    TicketParts {
        /// Parts that failed.
        failed: usize,
        /// The first failure, naming its replication.
        first: String,
    },
    /// The per-ticket folder could not be created in the staging folder.
    #[error("cannot create {}", path.display())]
    TicketFolder {
        /// The folder.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A file to read back could not be opened.
    #[error("cannot open {}", path.display())]
    Open {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A file could not be written (a full disk, a read-only folder).
    #[error("cannot write {}", path.display())]
    Write {
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
    /// An output folder that cannot be prepared or committed.
    #[error(transparent)]
    Output(#[from] super::output::OutputError),
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
    /// A table has more rows than an Excel sheet holds.
    #[error(
        "table {sheet} has {rows} rows, more than an Excel sheet holds (1,048,575 below the header); leave out --xlsx and use the CSV or Parquet file"
    )]
    XlsxRows {
        /// The sheet (table) name.
        sheet: String,
        /// Its rows.
        rows: usize,
    },
    /// The Excel writer failed.
    #[error("cannot write tables.xlsx: {0}")]
    Xlsx(String),
}
