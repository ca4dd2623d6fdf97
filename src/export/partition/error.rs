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
        "--shard {spec:?}: shard index {index} must be below the shard count {count} (indices are 0-based; if the scheduler numbers its tasks from 1, write the variable with an offset, e.g. SLURM_ARRAY_TASK_ID-1/{count})"
    )]
    IndexTooLarge {
        /// The spec as given.
        spec: String,
        /// K.
        index: u32,
        /// N.
        count: u32,
    },
    /// `VAR-D` with the variable's value below D.
    #[error(
        "--shard {spec:?}: the task number is {value}, below the offset {offset} (use the offset of the first task number: -1 for arrays numbered from 1)"
    )]
    BelowOffset {
        /// The spec as given.
        spec: String,
        /// The variable's value.
        value: u32,
        /// D.
        offset: u32,
    },
}

/// Partitions that are malformed or do not make one run together.
#[derive(Debug, thiserror::Error)]
pub enum PartitionError {
    /// `partition.toml` of an unknown layout version.
    #[error("{}: partition format {found} is not the {expected} this supportsim reads (re-run the shard with this version)", path.display())]
    Format {
        /// The file.
        path: PathBuf,
        /// Its format.
        found: u32,
        /// The format read here.
        expected: u32,
    },
    /// A path that is not a regular file (a folder, device or pipe).
    #[error("{} is not a regular file", path.display())]
    NotAFile {
        /// The path.
        path: PathBuf,
    },
    /// A file larger than a partition of this run can hold (refused before reading).
    #[error("{} is {bytes} bytes, more than the {max} a partition of this run can hold: not a partition file", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size (or the size recorded for it).
        bytes: u64,
        /// The bound.
        max: u64,
    },
    /// A file whose size is not the one `partition.toml` records.
    #[error("{} is {bytes} bytes but partition.toml records {recorded}: truncated or replaced", path.display())]
    Size {
        /// The file.
        path: PathBuf,
        /// Its size (at least).
        bytes: u64,
        /// The size recorded.
        recorded: u64,
    },
    /// A file whose contents do not match the SHA-256 `partition.toml` records.
    #[error("{} does not match its SHA-256 checksum in partition.toml: it was edited or corrupted after the shard wrote it", path.display())]
    Checksum {
        /// The file.
        path: PathBuf,
    },
    /// A data file `partition.toml` has no checksum for.
    #[error("partition.toml has no checksum for {}", path.display())]
    NoChecksum {
        /// The file.
        path: PathBuf,
    },
    /// A text file that is not UTF-8.
    #[error("{} is not UTF-8 text", path.display())]
    NotText {
        /// The file.
        path: PathBuf,
    },
    /// A table with more (or, when exact, other) rows than the scenario implies.
    #[error(
        "{} has {rows} rows, the scenario's shard needs {}{expected}",
        path.display(),
        if *exact { "" } else { "at most " }
    )]
    Rows {
        /// The file.
        path: PathBuf,
        /// Rows found.
        rows: u64,
        /// Rows expected.
        expected: u64,
        /// Whether exactly `expected`.
        exact: bool,
    },
    /// A column missing from a table.
    #[error("{} has no column {column}", path.display())]
    MissingColumn {
        /// The file.
        path: PathBuf,
        /// The column.
        column: &'static str,
    },
    /// A column of another type than the writer uses.
    #[error("{}: column {column} is {found}, expected {expected} (the file was rewritten by another tool)", path.display())]
    ColumnType {
        /// The file.
        path: PathBuf,
        /// The column.
        column: &'static str,
        /// Its type.
        found: String,
        /// The type written by supportsim.
        expected: String,
    },
    /// A null where the partition layout has none.
    #[error("{}: null value in a key column", path.display())]
    Null {
        /// The file.
        path: PathBuf,
    },
    /// Rows not in the order the writer keeps.
    #[error("{}: rows out of order or repeated", path.display())]
    OutOfOrder {
        /// The file.
        path: PathBuf,
    },
    /// A replication that is not this shard's.
    #[error("{}: replication {replication} does not belong to shard {index}/{count}", path.display())]
    ForeignReplication {
        /// The file.
        path: PathBuf,
        /// The replication.
        replication: u32,
        /// The shard index.
        index: u32,
        /// The shard count.
        count: u32,
    },
    /// Histogram rows outside the scenario's layout.
    #[error("{}: {what}", path.display())]
    Histogram {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        what: String,
    },
    /// A counter of `partition.toml` that cannot be right.
    #[error("{}: {what}", path.display())]
    Counter {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        what: String,
    },
    /// `partition.toml` and the scenario beside it disagree.
    #[error("{}: {what} (partition.toml or scenario.resolved.toml was edited)", path.display())]
    Disagrees {
        /// The file.
        path: PathBuf,
        /// What differs.
        what: String,
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
        "{} and {} are shards of different runs: their {what} differ{}",
        first.display(),
        other.display(),
        if what.ends_with('s') { "" } else { "s" }
    )]
    DifferentRuns {
        /// The first folder.
        first: PathBuf,
        /// The folder that differs.
        other: PathBuf,
        /// What differs (`scenario`, `seed`, `replications`, `shard count`).
        what: &'static str,
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
    /// Counters that overflow when added up.
    #[error("the shards' {what} overflow when added up: a partition.toml was edited")]
    Overflow {
        /// `events`, `tickets` or `histogram counts`.
        what: &'static str,
    },
    /// Histogram data of another layout.
    #[error(transparent)]
    Bucket(#[from] BucketOutOfRange),
}
