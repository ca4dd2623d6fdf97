//! Results out: Polars tables (CSV, Parquet), charts (PNG, SVG) and provenance files.
//!
//! Builders here produce bytes in memory in an [`OutputSet`]; [`output::OutputDir`] is the one
//! place that writes them: into a staging folder, put in place as a whole only when the set
//! is complete, so a failed or interrupted run leaves the previous outputs as they were.

pub mod backtest;
pub mod charts;
pub mod compare;
pub mod compare_report;
mod error;
mod estimate;
pub mod fit_report;
pub mod keys;
pub mod output;
pub mod partition;
pub mod plan;
pub mod plan_report;
pub mod report;
pub mod requirements;
pub mod roster;
pub mod run_report;
pub mod staff;
pub mod staff_report;
pub mod sweep;
pub mod sweep_report;
pub mod sweep_rows;
pub mod tables;
pub mod tickets;
pub mod xlsx;

pub use error::{ExportError, Result};

use std::path::{Path, PathBuf};

/// Files to write, as (file name, bytes), committed together by [`output::OutputDir`].
#[derive(Debug, Default)]
pub struct OutputSet {
    files: Vec<(PathBuf, Vec<u8>)>,
}

impl OutputSet {
    /// Adds a file (path relative to the output folder).
    pub fn add(&mut self, rel: impl Into<PathBuf>, bytes: Vec<u8>) {
        self.files.push((rel.into(), bytes));
    }

    /// The bytes of file `rel`, if it is in the set.
    pub fn get(&self, rel: &str) -> Option<&[u8]> {
        self.files
            .iter()
            .find(|(p, _)| p == Path::new(rel))
            .map(|(_, b)| b.as_slice())
    }

    /// Relative paths, in insertion order.
    pub fn names(&self) -> impl Iterator<Item = &Path> {
        self.files.iter().map(|(p, _)| p.as_path())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keep_insertion_order() {
        let mut set = OutputSet::default();
        set.add("b.csv", b"x".to_vec());
        set.add("a.csv", b"y".to_vec());
        let names: Vec<_> = set.names().collect();
        assert_eq!(names, [Path::new("b.csv"), Path::new("a.csv")]);
    }
}
