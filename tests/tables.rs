//! Typed table columns (issue 19): group keys as one column per dimension, pivoting without
//! string parsing, stable CSV types, zone-aware timestamps and dates.

use crate::common::scenario;
use polars::prelude::*;
use std::path::Path;
use supportsim::export::tables::{
    costs_weekly_df, csv_bytes, parquet_bytes, summary_df, timeseries_df,
};
use supportsim::montecarlo::MonteCarlo;

fn bundled(name: &str) -> supportsim::scenario::Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name);
    scenario(&std::fs::read_to_string(path).unwrap())
}

fn read_csv(bytes: Vec<u8>) -> DataFrame {
    CsvReadOptions::default()
        .with_infer_schema_length(None)
        .into_reader_with_file_handle(std::io::Cursor::new(bytes))
        .finish()
        .unwrap()
}

fn read_parquet(bytes: Vec<u8>) -> DataFrame {
    ParquetReader::new(std::io::Cursor::new(bytes))
        .finish()
        .unwrap()
}

#[test]
fn cells_pivot_by_typed_columns_to_their_segment_totals() {
    let s = bundled("saas-midmarket-tiered.toml");
    let mc = MonteCarlo::run(&s, 2, &|| {});
    let df = summary_df(&mc.summary()).unwrap();
    assert!(df.column("group").is_err(), "no packed group column");
    let arrived = df
        .clone()
        .lazy()
        .filter(col("metric").eq(lit("tickets_arrived")));
    // Sum the priority x segment cells per segment, with no string parsing.
    let pivot = arrived
        .clone()
        .filter(
            col("priority")
                .is_not_null()
                .and(col("segment").is_not_null()),
        )
        .group_by([col("segment")])
        .agg([col("mean").sum().alias("cells")])
        .sort(["segment"], Default::default())
        .collect()
        .unwrap();
    let totals = arrived
        .filter(col("priority").is_null().and(col("segment").is_not_null()))
        .select([col("segment"), col("mean")])
        .sort(["segment"], Default::default())
        .collect()
        .unwrap();
    assert_eq!(pivot.height(), s.demand.segment_names.len());
    assert!(pivot.height() >= 2);
    let cells = pivot.column("cells").unwrap().f64().unwrap();
    let whole = totals.column("mean").unwrap().f64().unwrap();
    for (a, b) in cells.iter().zip(whole.iter()) {
        assert_eq!(a, b, "cells of a segment sum to the segment");
    }
    let names = pivot.column("segment").unwrap().str().unwrap();
    let names2 = totals.column("segment").unwrap().str().unwrap();
    assert!(names.iter().zip(names2.iter()).all(|(a, b)| a == b));
}

#[test]
fn csv_columns_keep_one_type_and_times_are_zoned_timestamps() {
    let s = bundled("enterprise-follow-the-sun-outsourced-l1.toml");
    let mc = MonteCarlo::run(&s, 2, &|| {});
    let rows = mc.summary();

    // summary.csv: goal and within_min numeric in every row, null where absent.
    let mut summary = summary_df(&rows).unwrap();
    let csv = read_csv(csv_bytes(&mut summary).unwrap());
    assert_eq!(csv.column("goal").unwrap().dtype(), &DataType::Float64);
    assert_eq!(csv.column("mean").unwrap().dtype(), &DataType::Float64);
    let goal = csv.column("goal").unwrap().f64().unwrap();
    assert!(goal.null_count() > 0 && goal.null_count() < goal.len());
    for name in summary.get_column_names() {
        let c = summary.column(name).unwrap();
        assert!(c.null_count() < c.len(), "{name} is null on every row");
    }

    // timeseries: local_time is a timestamp in the scenario's zone.
    let mut ts = timeseries_df(&mc, &s).unwrap();
    let zone = s.run.timezone.iana_name().unwrap().to_string();
    match ts.column("local_time").unwrap().dtype() {
        DataType::Datetime(TimeUnit::Milliseconds, Some(tz)) => assert_eq!(tz.as_str(), zone),
        other => panic!("local_time is {other}"),
    }
    let pq = read_parquet(parquet_bytes(&mut ts).unwrap());
    assert_eq!(
        pq.column("local_time").unwrap().dtype(),
        ts.column("local_time").unwrap().dtype()
    );
    // In CSV: RFC 3339 with the local offset, the same instant on every row of an interval.
    let csv = read_csv(csv_bytes(&mut ts).unwrap());
    let text = csv.column("local_time").unwrap().str().unwrap();
    let hours = csv.column("interval_end_hours").unwrap().f64().unwrap();
    let t0: jiff::Timestamp = text.get(0).unwrap().parse().unwrap();
    for (t, h) in text.iter().zip(hours.iter()).step_by(97) {
        let t: jiff::Timestamp = t.unwrap().parse().expect("RFC 3339 with offset");
        let h = h.unwrap();
        let since = t.as_second() - t0.as_second();
        assert_eq!(since, ((h - hours.get(0).unwrap()) * 3600.0).round() as i64);
    }
    assert!(text.get(0).unwrap().len() == "2026-01-05T00:00:00+00:00".len());

    // costs_weekly: week_start a Date, pool a column of its own.
    let mut weekly = costs_weekly_df(&s, &rows).unwrap().unwrap();
    assert_eq!(
        weekly.column("week_start").unwrap().dtype(),
        &DataType::Date
    );
    let pq = read_parquet(parquet_bytes(&mut weekly).unwrap());
    assert_eq!(pq.column("week_start").unwrap().dtype(), &DataType::Date);
    let csv = read_csv(csv_bytes(&mut weekly).unwrap());
    let first = csv
        .column("week_start")
        .unwrap()
        .str()
        .unwrap()
        .get(0)
        .unwrap();
    let _: jiff::civil::Date = first.parse().expect("ISO date");
    let labour = csv
        .lazy()
        .filter(col("item").eq(lit("labour")))
        .select([col("pool").n_unique()])
        .collect()
        .unwrap();
    assert_eq!(
        labour
            .column("pool")
            .unwrap()
            .get(0)
            .unwrap()
            .extract::<u32>(),
        Some(s.pools.len() as u32)
    );
}
