//! `.supportsim-manifest.json`: the files supportsim wrote into an output folder, and the
//! classification of what an existing folder holds (supportsim's own files, nested output
//! folders of other commands, and foreign files).

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// File name of the manifest, at the top of every output folder.
pub const MANIFEST: &str = ".supportsim-manifest.json";

/// Version of the manifest layout.
const VERSION: u32 = 1;

/// The largest manifest read back (a folder of 100,000 ticket parts fits easily).
const MAX_BYTES: u64 = 64 << 20;

/// One file of the set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Path relative to the output folder, `/`-separated.
    pub path: String,
    /// Size in bytes.
    pub bytes: u64,
}

/// What one commit wrote.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    /// Layout version.
    pub supportsim_manifest: u32,
    /// supportsim version.
    pub supportsim_version: String,
    /// Every file written (the manifest itself excepted).
    pub files: Vec<Entry>,
}

impl Manifest {
    /// A manifest of `files` (no time stamp or id: the same run gives the same bytes).
    pub fn new(files: Vec<Entry>) -> Manifest {
        Manifest {
            supportsim_manifest: VERSION,
            supportsim_version: env!("CARGO_PKG_VERSION").to_string(),
            files,
        }
    }

    /// Reads `dir`'s manifest; `None` when it has none or it does not parse (then every file
    /// there counts as foreign, the safe side).
    pub fn read(dir: &Path) -> Option<Manifest> {
        let p = dir.join(MANIFEST);
        let meta = std::fs::symlink_metadata(&p).ok()?;
        if !meta.is_file() || meta.len() > MAX_BYTES {
            return None;
        }
        let m: Manifest = serde_json::from_slice(&std::fs::read(p).ok()?).ok()?;
        (m.supportsim_manifest == VERSION).then_some(m)
    }
}

/// Files of the folders earlier supportsim versions wrote, before manifests existed (top-level
/// names). A folder with one of the provenance files and no manifest is such a folder: these
/// names in it are replaced, anything else is foreign.
const LEGACY_NAMES: &[&str] = &[
    "summary.csv",
    "summary.parquet",
    "replications.parquet",
    "timeseries.parquet",
    "timeseries.csv",
    "costs_weekly.csv",
    "costs_weekly.parquet",
    "report.html",
    "charts",
    "tickets",
    "scenario.resolved.toml",
    "run_info.toml",
    "comparison.csv",
    "comparison.parquet",
    "compare_info.toml",
    "scenarios",
    "sweep.csv",
    "sweep.parquet",
    "sweep_info.toml",
    "staffing.csv",
    "staffing.parquet",
    "targets.csv",
    "search_log.csv",
    "scenario.staffed.toml",
    "staff_info.toml",
    "partition.toml",
    "values.parquet",
    "series.parquet",
    "histograms.parquet",
    "sweep_partition.toml",
];

/// Provenance files that mark a folder written by supportsim before manifests existed.
const LEGACY_MARKERS: &[&str] = &[
    "run_info.toml",
    "compare_info.toml",
    "sweep_info.toml",
    "staff_info.toml",
    "partition.toml",
    "sweep_partition.toml",
];

/// Whether `dir` is an output folder of supportsim (with a manifest, or of an older version).
pub fn is_output_folder(dir: &Path) -> bool {
    dir.join(MANIFEST).is_file() || LEGACY_MARKERS.iter().any(|m| dir.join(m).is_file())
}

/// What an existing output folder holds, by relative path.
#[derive(Debug, Default)]
pub struct Contents {
    /// Files of the previous commit (replaced).
    pub ours: Vec<PathBuf>,
    /// Subfolders that are output folders of their own (shard partitions below a run's
    /// folder): kept as they are.
    pub nested: Vec<PathBuf>,
    /// Files supportsim did not write: refused, or kept with `--force`.
    pub foreign: Vec<PathBuf>,
}

/// Classifies every file below `dir` (which exists). Symbolic links are entries of their own,
/// never followed.
///
/// # Errors
/// A folder that cannot be listed.
pub fn classify(dir: &Path) -> std::io::Result<Contents> {
    let manifest = Manifest::read(dir);
    let (listed, legacy): (BTreeSet<String>, bool) = match &manifest {
        Some(m) => (m.files.iter().map(|e| e.path.clone()).collect(), false),
        None => (BTreeSet::new(), is_output_folder(dir)),
    };
    let mut out = Contents::default();
    walk(dir, Path::new(""), &listed, legacy, &mut out)?;
    Ok(out)
}

fn walk(
    root: &Path,
    rel: &Path,
    listed: &BTreeSet<String>,
    legacy: bool,
    out: &mut Contents,
) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(root.join(rel))?.collect::<Result<_, _>>()?;
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for e in entries {
        let r = rel.join(e.file_name());
        let key = slash(&r);
        let top_legacy = legacy
            && rel.as_os_str().is_empty()
            && LEGACY_NAMES.contains(&e.file_name().to_string_lossy().as_ref());
        if rel.as_os_str().is_empty() && e.file_name() == MANIFEST {
            out.ours.push(r);
            continue;
        }
        let ty = e.file_type()?;
        if ty.is_dir() {
            let covered = listed
                .range(format!("{key}/")..)
                .next()
                .is_some_and(|p| p.starts_with(&format!("{key}/")));
            if !covered && !top_legacy && is_output_folder(&root.join(&r)) {
                out.nested.push(r);
            } else if top_legacy {
                out.ours.push(r);
            } else {
                walk(root, &r, listed, legacy, out)?;
            }
        } else if listed.contains(&key) || top_legacy {
            out.ours.push(r);
        } else {
            out.foreign.push(r);
        }
    }
    Ok(())
}

/// A relative path with `/` separators (manifest keys are the same on every platform).
pub fn slash(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Every file below `dir` (relative paths, sorted), and their sizes.
///
/// # Errors
/// A folder that cannot be listed.
pub fn list_files(dir: &Path) -> std::io::Result<Vec<Entry>> {
    fn rec(root: &Path, rel: &Path, out: &mut Vec<Entry>) -> std::io::Result<()> {
        for e in std::fs::read_dir(root.join(rel))? {
            let e = e?;
            let r = rel.join(e.file_name());
            let meta = e.metadata()?;
            if e.file_type()?.is_dir() {
                rec(root, &r, out)?;
            } else {
                out.push(Entry {
                    path: slash(&r),
                    bytes: meta.len(),
                });
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    rec(dir, Path::new(""), &mut out)?;
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}
