//! `merge` trusts none of its inputs: tampered, truncated, retyped, foreign, oversized and
//! special-file partitions are refused, naming the file and what is wrong, before anything is
//! written (and without allocating what a file claims).

use assert_cmd::Command;
use polars::prelude::*;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_supportsim"))
}

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Two shards of a small run of `scenario` (a path), in `dir/<tag>-K`.
fn shards(dir: &Path, scenario: &Path, tag: &str) -> Vec<PathBuf> {
    (0..2)
        .map(|k| {
            let d = dir.join(format!("{tag}-{k}"));
            bin()
                .args(["run", scenario.to_str().unwrap()])
                .args(["--replications", "3", "--seed", "4", "--quiet"])
                .args(["--shard", &format!("{k}/2"), "--out", d.to_str().unwrap()])
                .assert()
                .success();
            d
        })
        .collect()
}

/// `merge` of `dirs` fails with exit 1, its message containing every needle, and writes no
/// output folder.
fn refused(dirs: &[PathBuf], needles: &[&str]) {
    let out = dirs[0].parent().unwrap().join("merged");
    let assert = bin()
        .arg("merge")
        .args(dirs)
        .args(["--out", out.to_str().unwrap()])
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    for n in needles {
        assert!(stderr.contains(n), "missing {n:?} in: {stderr}");
    }
    assert!(!out.exists(), "a refused merge wrote {}", out.display());
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Records `file`'s current size and checksum in the partition's `partition.toml`, as a tool
/// that rewrote the file "properly" would.
fn reseal(dir: &Path, file: &str) {
    let bytes = std::fs::read(dir.join(file)).unwrap();
    let path = dir.join("partition.toml");
    let mut doc: toml::Table = toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let entry = doc["files"].as_table_mut().unwrap()[file]
        .as_table_mut()
        .unwrap();
    entry.insert("bytes".into(), toml::Value::Integer(bytes.len() as i64));
    entry.insert("sha256".into(), toml::Value::String(sha256(&bytes)));
    std::fs::write(path, toml::to_string(&doc).unwrap()).unwrap();
}

fn edit_info(dir: &Path, f: impl Fn(&mut toml::Table)) {
    let path = dir.join("partition.toml");
    let mut doc: toml::Table = toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    f(&mut doc);
    std::fs::write(path, toml::to_string(&doc).unwrap()).unwrap();
}

fn write_parquet(path: &Path, mut df: DataFrame) {
    let f = std::fs::File::create(path).unwrap();
    ParquetWriter::new(f).finish(&mut df).unwrap();
}

fn read_parquet(path: &Path) -> DataFrame {
    ParquetReader::new(std::fs::File::open(path).unwrap())
        .finish()
        .unwrap()
}

#[test]
fn intact_shards_merge() {
    let dir = tempfile::tempdir().unwrap();
    let s = shards(dir.path(), &repo("scenarios/mmc.toml"), "a");
    let info = std::fs::read_to_string(s[0].join("partition.toml")).unwrap();
    assert!(
        info.contains("format = 2") && info.contains("sha256 = "),
        "{info}"
    );
    // An orphan of a killed merge beside the output folder is cleaned, with a notice.
    let mut c = std::process::Command::new("true").spawn().unwrap();
    let dead = c.id();
    c.wait().unwrap();
    let orphan = dir.path().join(format!(
        ".supportsim-staging-{}-{dead}-0",
        supportsim::export::output::orphans::host()
    ));
    std::fs::create_dir(&orphan).unwrap();
    std::fs::write(orphan.join("summary.csv"), "partial").unwrap();
    bin()
        .arg("merge")
        .args(&s)
        .args(["--out", dir.path().join("m").to_str().unwrap()])
        .assert()
        .success()
        .stderr(predicates::str::contains("notice: removed"));
    assert!(!orphan.exists());
}

#[test]
fn tampered_and_truncated_files_are_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let s = shards(dir.path(), &repo("scenarios/mmc.toml"), "a");
    // A metric value edited in place: same size, other bytes.
    let values = s[1].join("values.parquet");
    let df = read_parquet(&values);
    let edited = df
        .clone()
        .lazy()
        .with_column(col("value") * lit(1.5))
        .collect()
        .unwrap();
    write_parquet(&values, edited);
    refused(&s, &["values.parquet"]);
    // The same size exactly (one byte flipped).
    write_parquet(&values, df);
    reseal(&s[1], "values.parquet");
    let mut bytes = std::fs::read(&values).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x55;
    std::fs::write(&values, &bytes).unwrap();
    refused(
        &s,
        &["values.parquet", "does not match its SHA-256 checksum"],
    );
    bytes[mid] ^= 0x55;
    std::fs::write(&values, &bytes).unwrap();
    // Truncated.
    let series = s[0].join("series.parquet");
    let b = std::fs::read(&series).unwrap();
    std::fs::write(&series, &b[..b.len() / 2]).unwrap();
    refused(&s, &["series.parquet is", "truncated or replaced"]);
    std::fs::write(&series, &b).unwrap();
    // The scenario beside the data.
    let sc = s[0].join("scenario.resolved.toml");
    let text = std::fs::read_to_string(&sc).unwrap();
    std::fs::write(&sc, format!("{text}# edited\n")).unwrap();
    refused(&s, &["scenario.resolved.toml is", "truncated or replaced"]);
    std::fs::write(&sc, text).unwrap();
    // Restored, it merges again.
    bin()
        .arg("merge")
        .args(&s)
        .args(["--out", dir.path().join("m").to_str().unwrap()])
        .assert()
        .success();
}

#[test]
fn retyped_columns_are_refused_even_with_matching_checksums() {
    let dir = tempfile::tempdir().unwrap();
    let s = shards(dir.path(), &repo("scenarios/mmc.toml"), "a");
    let values = s[0].join("values.parquet");
    let df = read_parquet(&values);
    let retyped = df
        .lazy()
        .with_column(col("value").cast(DataType::String))
        .collect()
        .unwrap();
    write_parquet(&values, retyped);
    reseal(&s[0], "values.parquet");
    refused(&s, &["values.parquet", "column value is str, expected f64"]);
}

#[test]
fn foreign_partitions_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let a = shards(dir.path(), &repo("scenarios/mmc.toml"), "a");
    let text = std::fs::read_to_string(repo("scenarios/mmc.toml")).unwrap();
    let other = dir.path().join("other.toml");
    std::fs::write(&other, text.replace("headcount = 12", "headcount = 13")).unwrap();
    let b = shards(dir.path(), &other, "b");
    refused(
        &[a[0].clone(), b[1].clone()],
        &["are shards of different runs: their scenario differs"],
    );
    // A partition.toml that disagrees with its own scenario.
    edit_info(&a[0], |d| {
        d.insert("seed".into(), toml::Value::Integer(5));
    });
    edit_info(&a[1], |d| {
        d.insert("seed".into(), toml::Value::Integer(5));
    });
    refused(&a, &["partition.toml", "seed = 5", "was edited"]);
    // An older layout.
    edit_info(&a[0], |d| {
        d.insert("format".into(), toml::Value::Integer(1));
    });
    refused(&a, &["partition format 1 is not the 2"]);
}

#[test]
fn claimed_sizes_are_checked_before_allocating() {
    let dir = tempfile::tempdir().unwrap();
    let s = shards(dir.path(), &repo("scenarios/mmc.toml"), "a");
    // Four billion shards: refused at once, without a slot per shard.
    for d in &s {
        edit_info(d, |t| {
            t.insert("shard_count".into(), toml::Value::Integer(4_000_000_000));
        });
    }
    let t = std::time::Instant::now();
    refused(&s, &["missing shards 2/4000000000", "more"]);
    assert!(t.elapsed().as_secs() < 5);
    for d in &s {
        edit_info(d, |t| {
            t.insert("shard_count".into(), toml::Value::Integer(2));
        });
    }
    // A histogram index of four billion.
    let h = s[1].join("histograms.parquet");
    let df = read_parquet(&h);
    let huge = df
        .lazy()
        .with_column(lit(4_000_000_000u32).cast(DataType::UInt32).alias("hist"))
        .collect()
        .unwrap();
    write_parquet(&h, huge);
    reseal(&s[1], "histograms.parquet");
    refused(&s, &["histograms.parquet", "histogram 4000000000"]);
    // A data file that claims to be huge.
    edit_info(&s[1], |t| {
        t["files"].as_table_mut().unwrap()["histograms.parquet"]
            .as_table_mut()
            .unwrap()
            .insert("bytes".into(), toml::Value::Integer(1 << 40));
    });
    refused(
        &s,
        &["histograms.parquet is 1099511627776 bytes, more than"],
    );
    // A device in place of a data file, and a huge partition.toml.
    let v = s[0].join("values.parquet");
    std::fs::remove_file(&v).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &v).unwrap();
    refused(&s, &["values.parquet is not a regular file"]);
    std::fs::write(s[1].join("partition.toml"), vec![b'#'; 2 << 20]).unwrap();
    refused(&s, &["partition.toml is 2097152 bytes, more than"]);
}

#[test]
fn sweep_shards_are_checked_down_to_each_point() {
    let dir = tempfile::tempdir().unwrap();
    let s: Vec<PathBuf> = (0..2)
        .map(|k| {
            let d = dir.path().join(format!("sw-{k}"));
            bin()
                .args(["sweep", repo("scenarios/mmc.toml").to_str().unwrap()])
                .args([
                    "--vary",
                    "pools.agents.headcount=12,13",
                    "--replications",
                    "2",
                ])
                .args([
                    "--quiet",
                    "--shard",
                    &format!("{k}/2"),
                    "--out",
                    d.to_str().unwrap(),
                ])
                .assert()
                .success();
            d
        })
        .collect();
    // A point's partition.toml edited: its checksum in sweep_partition.toml no longer fits.
    let p = s[1].join("point-00001/partition.toml");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, text.replace("unstable = 0", "unstable = 1")).unwrap();
    refused(
        &s,
        &["point-00001/partition.toml", "does not match its SHA-256"],
    );
    std::fs::write(&p, text).unwrap();
    // A point's data file truncated.
    let v = s[0].join("point-00000/values.parquet");
    let b = std::fs::read(&v).unwrap();
    std::fs::write(&v, &b[..b.len() - 10]).unwrap();
    refused(&s, &["point-00000/values.parquet is", "truncated"]);
    std::fs::write(&v, &b).unwrap();
    // The base scenario of one shard edited.
    let sc = s[0].join("scenario.resolved.toml");
    let t = std::fs::read_to_string(&sc).unwrap();
    std::fs::write(&sc, format!("{t}\n")).unwrap();
    refused(
        &s,
        &["sw-0/scenario.resolved.toml is", "truncated or replaced"],
    );
    std::fs::write(&sc, t).unwrap();
    bin()
        .arg("merge")
        .args(&s)
        .args(["--out", dir.path().join("m").to_str().unwrap()])
        .assert()
        .success();
}
