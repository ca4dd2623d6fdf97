//! The long tables of a sweep in bounded memory: each point's summary rows and replication
//! values are appended to two scratch files as the point completes (in point order), and
//! `sweep.csv`, `sweep.parquet` and `replications.parquet` are written from them at the end,
//! one Parquet row group at a time, once the frontier (the `pareto_optimal` column) is known.
//!
//! The row groups are the ones Polars makes when it writes the whole table at once (tables
//! below 512² rows in one group, larger ones in `rows / 512²` equal groups, the last one taking
//! the remainder), and the CSV is the concatenation of the batches' rows under one header, so
//! the files are byte-identical to building each table whole in memory.

use super::keys::key_dims;
use super::sweep::{SweepView, TableRow, ValueRow, replications_batch, sweep_batch};
use super::tables::write_parquet_batches;
use super::{ExportError, Result};
use crate::measure::GroupKey;
use crate::study::sweep::PointResult;
use polars::prelude::*;
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

/// Rows Polars puts in one Parquet row group by default.
const ROW_GROUP: usize = 512 * 512;

/// Bytes of one scratch record of the summary table: point, key, n (u32), mean, ci_low,
/// ci_high (f64).
const ROW_BYTES: usize = 12 + 24;
/// Bytes of one scratch record of the replications table: point, replication, key (u32),
/// value (f64).
const VALUE_BYTES: usize = 12 + 8;

/// The scratch files of a sweep being run, and the (metric, group) names they refer to.
#[derive(Debug)]
pub struct SweepRows {
    dir: PathBuf,
    rows: BufWriter<File>,
    values: BufWriter<File>,
    keys: Vec<(&'static str, String, GroupKey)>,
    ids: HashMap<(&'static str, String), u32>,
    n_rows: usize,
    n_values: usize,
    points: u32,
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> ExportError + '_ {
    move |source| ExportError::Write {
        path: path.to_path_buf(),
        source,
    }
}

fn create(path: &Path) -> Result<BufWriter<File>> {
    Ok(BufWriter::new(File::create(path).map_err(io(path))?))
}

impl SweepRows {
    /// Creates the scratch folder `dir` (inside the staging folder) and its two files.
    ///
    /// # Errors
    /// The folder or a file cannot be created.
    pub fn create(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        Ok(SweepRows {
            rows: create(&dir.join("rows.bin"))?,
            values: create(&dir.join("values.bin"))?,
            dir: dir.to_path_buf(),
            keys: Vec::new(),
            ids: HashMap::new(),
            n_rows: 0,
            n_values: 0,
            points: 0,
        })
    }

    /// Appends the next point's rows and values (points must come in grid order).
    ///
    /// # Errors
    /// A write failure (a full disk), naming the scratch file.
    pub fn push(&mut self, r: &PointResult) -> Result<()> {
        let k = self.points;
        let mut ids = Vec::with_capacity(r.summary.len());
        for row in &r.summary {
            let key = (row.metric, row.group.clone());
            let next = self.keys.len() as u32;
            let id = *self.ids.entry(key).or_insert_with(|| {
                self.keys
                    .push((row.metric, row.group.clone(), row.key.clone()));
                next
            });
            ids.push(id);
            let e = &row.estimate;
            let mut rec = [0u8; ROW_BYTES];
            rec[0..4].copy_from_slice(&k.to_le_bytes());
            rec[4..8].copy_from_slice(&id.to_le_bytes());
            rec[8..12].copy_from_slice(&(e.n as u32).to_le_bytes());
            rec[12..20].copy_from_slice(&e.mean.to_le_bytes());
            rec[20..28].copy_from_slice(&e.ci_low.to_le_bytes());
            rec[28..36].copy_from_slice(&e.ci_high.to_le_bytes());
            let path = self.dir.join("rows.bin");
            self.rows.write_all(&rec).map_err(io(&path))?;
            self.n_rows += 1;
        }
        let path = self.dir.join("values.bin");
        for (rep, vals) in r.values.iter().enumerate() {
            for (id, x) in ids.iter().zip(vals) {
                let mut rec = [0u8; VALUE_BYTES];
                rec[0..4].copy_from_slice(&k.to_le_bytes());
                rec[4..8].copy_from_slice(&(rep as u32).to_le_bytes());
                rec[8..12].copy_from_slice(&id.to_le_bytes());
                rec[12..20].copy_from_slice(&x.to_le_bytes());
                self.values.write_all(&rec).map_err(io(&path))?;
                self.n_values += 1;
            }
        }
        self.points += 1;
        Ok(())
    }

    /// Points appended so far.
    pub fn points(&self) -> usize {
        self.points as usize
    }

    /// Writes `sweep.csv`, `sweep.parquet` and `replications.parquet` into `staging` from
    /// the scratch files and the finished sweep `v` (cost and frontier), then removes the
    /// scratch folder. Returns the files written, relative to `staging`, in order.
    ///
    /// # Errors
    /// A read, encoding or write failure, naming the file.
    pub fn finish(mut self, v: &SweepView, staging: &Path) -> Result<Vec<&'static str>> {
        let rows_path = self.dir.join("rows.bin");
        let values_path = self.dir.join("values.bin");
        self.rows.flush().map_err(io(&rows_path))?;
        self.values.flush().map_err(io(&values_path))?;
        let keys = std::mem::take(&mut self.keys);
        let dims = key_dims(keys.iter().map(|k| &k.2));
        // Drop the writers (closing the files) before reading them back.
        let SweepRows {
            dir,
            n_rows,
            n_values,
            ..
        } = self;

        let csv_path = staging.join("sweep.csv");
        let mut csv = create(&csv_path)?;
        let mut first = true;
        let mut reader = Records::open(&rows_path, ROW_BYTES)?;
        let sweep_pq = staging.join("sweep.parquet");
        write_parquet_batches(&sweep_pq, row_groups(n_rows), |len| {
            let recs = reader.take(len)?;
            let rows: Vec<TableRow> = recs
                .chunks_exact(ROW_BYTES)
                .map(|b| {
                    let (metric, _, key) = &keys[u32_at(b, 4) as usize];
                    TableRow {
                        point: u32_at(b, 0),
                        metric,
                        key,
                        n: u32_at(b, 8),
                        mean: f64_at(b, 12),
                        ci_low: f64_at(b, 20),
                        ci_high: f64_at(b, 28),
                    }
                })
                .collect();
            let mut df = sweep_batch(v, &dims, &rows)?;
            let mut text = super::keys::csv_ready(&df)?;
            CsvWriter::new(&mut csv)
                .include_header(first)
                .finish(text.as_mut().unwrap_or(&mut df))?;
            first = false;
            Ok(df)
        })?;
        csv.flush().map_err(io(&csv_path))?;
        drop(csv);

        let mut reader = Records::open(&values_path, VALUE_BYTES)?;
        write_parquet_batches(
            &staging.join("replications.parquet"),
            row_groups(n_values),
            |len| {
                let recs = reader.take(len)?;
                let rows: Vec<ValueRow> = recs
                    .chunks_exact(VALUE_BYTES)
                    .map(|b| {
                        let (metric, _, key) = &keys[u32_at(b, 8) as usize];
                        ValueRow {
                            point: u32_at(b, 0),
                            replication: u32_at(b, 4),
                            metric,
                            key,
                            value: f64_at(b, 12),
                        }
                    })
                    .collect();
                replications_batch(&dims, &rows)
            },
        )?;
        std::fs::remove_dir_all(&dir).map_err(io(&dir))?;
        Ok(vec!["sweep.csv", "sweep.parquet", "replications.parquet"])
    }
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    let mut x = [0u8; 4];
    x.copy_from_slice(&b[at..at + 4]);
    u32::from_le_bytes(x)
}

fn f64_at(b: &[u8], at: usize) -> f64 {
    let mut x = [0u8; 8];
    x.copy_from_slice(&b[at..at + 8]);
    f64::from_le_bytes(x)
}

/// Fixed-size records read back from a scratch file.
struct Records {
    path: PathBuf,
    file: BufReader<File>,
    size: usize,
}

impl Records {
    fn open(path: &Path, size: usize) -> Result<Self> {
        let file = File::open(path).map_err(|source| ExportError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        Ok(Records {
            path: path.to_path_buf(),
            file: BufReader::new(file),
            size,
        })
    }

    /// The next `n` records' bytes.
    fn take(&mut self, n: usize) -> Result<Vec<u8>> {
        let mut buf = vec![0u8; n * self.size];
        self.file
            .read_exact(&mut buf)
            .map_err(|source| ExportError::Read {
                path: self.path.clone(),
                source,
            })?;
        Ok(buf)
    }
}

/// The row-group sizes Polars uses for a single-chunk table of `rows` rows: one group below
/// [`ROW_GROUP`] rows, else `rows / ROW_GROUP` groups of equal size with the remainder in the
/// last.
pub fn row_groups(rows: usize) -> Vec<usize> {
    let n = rows / ROW_GROUP;
    if n <= 1 {
        return vec![rows];
    }
    let size = rows / n;
    let mut out = vec![size; n - 1];
    out.push(rows - size * (n - 1));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_groups_follow_polars() {
        assert_eq!(row_groups(0), vec![0]);
        assert_eq!(row_groups(10), vec![10]);
        assert_eq!(row_groups(ROW_GROUP * 2 - 1), vec![ROW_GROUP * 2 - 1]);
        assert_eq!(row_groups(1_020_000), vec![340_000, 340_000, 340_000]);
        assert_eq!(row_groups(1_020_001), vec![340_000, 340_000, 340_001]);
        let df = DataFrame::new_infer_height(vec![Column::new(
            "x".into(),
            (0..1_020_001u32).collect::<Vec<_>>(),
        )])
        .unwrap();
        let mut df2 = df.clone();
        let chunked = polars::frame::chunk_df_for_writing(&mut df2, ROW_GROUP).unwrap();
        let lens: Vec<usize> = chunked
            .column("x")
            .unwrap()
            .as_materialized_series()
            .chunk_lengths()
            .collect();
        assert_eq!(lens, row_groups(1_020_001));
    }
}
