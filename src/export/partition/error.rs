//! Why a `--shard` spec or a set of partitions is refused: each message names the spec or
//! the folders and what is wrong.

use crate::montecarlo::MergeError;
use crate::scenario::ScenarioError;
use crate::stats::hist::BucketOutOfRange;
use std::path::PathBuf;

/// A `--shard K/N` value that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShardSpecError {
    /// No `/`.
    #[error("--shard {spec:?}: expected K/N, e.g. 0/4 or SLURM_ARRAY_TASK_ID/4")]
    Form {
        /// The spec as given.
        spec: String,
    },
    /// N is not a number.
    #[error("--shard {spec:?}: the shard count {count:?} is not a positive whole number")]
    Count {
        /// The spec as given.
        spec: String,
        /// N as given.
        count: String,
    },
    /// N is 0.
    #[error("--shard {spec:?}: the shard count must be at least 1")]
    ZeroCount {
        /// The spec as given.
        spec: String,
    },
    /// K names an environment variable that is not set.
    #[error(
        "--shard {spec:?}: environment variable {var} is not set (the job scheduler sets it for each task)"
    )]
    Unset {
        /// The spec as given.
        spec: String,
        /// The variable.
        var: String,
    },
    /// K is not a number.
    #[error("--shard {spec:?}: shard index {index:?} is not a whole number")]
    Index {
        /// The spec as given.
        spec: String,
        /// K (or the variable's value) as given.
        index: String,
    },
    /// K is not below N.
    #[error(
        "--shard {spec:?}: shard index {index} must be below the shard count {count} (indices are 0-based)"
    )]
    IndexTooLarge {
        /// The spec as given.
        spec: String,
        /// K.
        index: u32,
        /// N.
        count: u32,
    },
}

/// Partitions that are malformed or do not make one run together.
#[derive(Debug, thiserror::Error)]
pub enum PartitionError {
    /// `partition.toml` of an unknown layout version.
    #[error("{}: partition format {found} is not the {expected} this supportsim reads", path.display())]
    Format {
        /// The file.
        path: PathBuf,
        /// Its format.
        found: u32,
        /// The format read here.
        expected: u32,
    },
    /// A null where the partition layout has none.
    #[error("null {what} in {file}")]
    Null {
        /// `replication`, `metric index`, `cell`.
        what: &'static str,
        /// `values.parquet`, `series.parquet`.
        file: &'static str,
    },
    /// A null in `histograms.parquet`.
    #[error("{}: null in histograms.parquet", dir.display())]
    NullHistogram {
        /// The partition folder.
        dir: PathBuf,
    },
    /// Rows not in the order the writer keeps.
    #[error("{}: {what} out of order", dir.display())]
    OutOfOrder {
        /// The partition folder.
        dir: PathBuf,
        /// `values` or `series`.
        what: &'static str,
    },
    /// Series of a replication without values.
    #[error("{}: series of unknown replication {replication}", dir.display())]
    UnknownReplication {
        /// The partition folder.
        dir: PathBuf,
        /// The replication.
        replication: u32,
    },
    /// The same shard index twice.
    #[error("shard {index}/{count} is given twice: {} and {}", first.display(), second.display())]
    ShardTwice {
        /// The shard index.
        index: u32,
        /// The shard count.
        count: u32,
        /// One folder.
        first: PathBuf,
        /// The other folder.
        second: PathBuf,
    },
    /// A shard index not below the count.
    #[error("{}: shard index out of range", dir.display())]
    ShardOutOfRange {
        /// The folder.
        dir: PathBuf,
    },
    /// Shards not given.
    #[error(
        "missing {what}{} {} of {} (each shard's folder must be given)",
        if missing.len() > 1 { "s" } else { "" },
        missing.join(", "),
        first.display()
    )]
    MissingShards {
        /// `shard` or `sweep shard`.
        what: String,
        /// `k/n` per missing shard.
        missing: Vec<String>,
        /// The first folder given.
        first: PathBuf,
    },
    /// No folder given.
    #[error("merge needs at least one partition folder")]
    Empty,
    /// Shards of different runs.
    #[error(
        "{} and {} are shards of different runs (scenario, seed, replications or shard count differ)",
        first.display(),
        other.display()
    )]
    DifferentRuns {
        /// The first folder.
        first: PathBuf,
        /// The folder that differs.
        other: PathBuf,
    },
    /// Shards written by different supportsim versions.
    #[error(
        "{} was written by supportsim {first_version} and {} by {other_version}: merge shards of one version",
        first.display(),
        other.display()
    )]
    DifferentVersions {
        /// The first folder.
        first: PathBuf,
        /// Its version.
        first_version: String,
        /// The folder that differs.
        other: PathBuf,
        /// Its version.
        other_version: String,
    },
    /// Fewer or more replications than the run has.
    #[error("the shards hold {held} replications, the run has {expected}")]
    ReplicationCount {
        /// Replications found.
        held: usize,
        /// Replications of the run.
        expected: u32,
    },
    /// The stored scenario does not load.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// Replications that do not make a whole run.
    #[error(transparent)]
    Merge(#[from] MergeError),
    /// Histogram data of another layout.
    #[error(transparent)]
    Bucket(#[from] BucketOutOfRange),
}
