//! Output tables: Parquet round trips and snapshots of the summary and terminal table.

use polars::prelude::*;
use std::io::Cursor;
use std::path::Path;
use supportsim::export::tables;
use supportsim::montecarlo::MonteCarlo;
use supportsim::scenario::Scenario;

fn small_run() -> (Scenario, MonteCarlo) {
    let mut s = Scenario::load(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/saas-midmarket-tiered.toml"
    )))
    .unwrap();
    s.run.replications = 5;
    let mc = MonteCarlo::run(&s, 5, &|| {});
    (s, mc)
}

fn round_trip(mut df: DataFrame, what: &str) {
    let bytes = tables::parquet_bytes(&mut df).unwrap();
    let back = ParquetReader::new(Cursor::new(bytes)).finish().unwrap();
    assert_eq!(df.shape(), back.shape(), "{what}");
    assert!(
        df.equals_missing(&back),
        "{what}: Parquet round trip changed the table"
    );
}

#[test]
fn parquet_round_trip_equals_the_in_memory_tables() {
    let (s, mc) = small_run();
    round_trip(tables::summary_df(&mc.summary()).unwrap(), "summary");
    round_trip(tables::replications_df(&mc).unwrap(), "replications");
    round_trip(tables::timeseries_df(&mc, &s).unwrap(), "timeseries");
}

#[test]
fn summary_csv_snapshot() {
    let (_, mc) = small_run();
    let mut df = tables::summary_df(&mc.summary()).unwrap();
    let csv = String::from_utf8(tables::csv_bytes(&mut df).unwrap()).unwrap();
    // The header, the rows of group `all` (every key column null) and the SLA target rows:
    // enough to catch any change of numbers or layout.
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let keys = 1..header.iter().position(|c| *c == "n_replications").unwrap();
    let target = header.iter().position(|c| *c == "target").unwrap();
    let keep: Vec<&str> = csv
        .lines()
        .enumerate()
        .filter(|(i, l)| {
            let f: Vec<&str> = l.split(',').collect();
            *i == 0 || keys.clone().all(|k| f[k].is_empty()) || !f[target].is_empty()
        })
        .map(|(_, l)| l)
        .collect();
    insta::assert_snapshot!("summary_csv_midmarket_5_replications", keep.join("\n"));
}

/// `supportsim ARGS` in a fresh folder with tables laid out for `columns`: its stdout.
fn stdout_at(columns: u16, args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = assert_cmd::Command::new(env!("CARGO_BIN_EXE_supportsim"))
        .current_dir(dir.path())
        .args(args)
        .args(["--out", "out"])
        .env("NO_COLOR", "1")
        .env("SUPPORTSIM_COLUMNS", columns.to_string())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

const MMC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/mmc.toml");
const TIERED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/scenarios/saas-midmarket-tiered.toml"
);
const SWARM: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/scenarios/saas-midmarket-swarm.toml"
);

#[test]
fn terminal_summary_snapshot() {
    for columns in [80, 100, 160] {
        let out = stdout_at(
            columns,
            &["run", MMC, "--replications", "4", "--threads", "2"],
        );
        insta::assert_snapshot!(
            format!("terminal_summary_mmc_4_replications_{columns}"),
            out
        );
    }
}

/// Every table row of every command fits the width it was laid out for (long cells wrap
/// inside their column instead of the terminal wrapping whole rows).
#[test]
fn tables_fit_the_terminal_width() {
    let commands: [&[&str]; 4] = [
        &["run", TIERED, "--replications", "3"],
        &["compare", TIERED, SWARM, "--replications", "3"],
        &[
            "sweep",
            MMC,
            "--vary",
            "pools.agents.headcount=11..13",
            "--replications",
            "3",
        ],
        &[
            "staff",
            MMC,
            "--target",
            "first_response.all.attainment >= 0.5",
            "--replications",
            "3",
        ],
    ];
    for columns in [80u16, 100, 160] {
        for args in commands {
            let out = stdout_at(columns, args);
            let widest = out
                .lines()
                .filter(|l| l.starts_with(['┌', '│', '╞', '├', '└']))
                .map(|l| l.chars().count())
                .max()
                .expect("the command prints a table");
            assert!(
                widest <= columns as usize,
                "{} at {columns} columns: a table row is {widest} wide:\n{out}",
                args[0]
            );
        }
    }
}

#[test]
fn json_format_is_parseable_and_complete() {
    let dir = tempfile::tempdir().unwrap();
    let out = assert_cmd::Command::new(env!("CARGO_BIN_EXE_supportsim"))
        .args([
            "run",
            concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/mmc.toml"),
            "--replications",
            "3",
            "--format",
            "json",
            "--out",
        ])
        .arg(dir.path())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("valid JSON");
    assert_eq!(v["scenario"], "mmc");
    assert_eq!(v["replications"], 3);
    let metrics = v["metrics"].as_array().unwrap();
    let mtta = metrics
        .iter()
        .find(|m| m["metric"] == "first_response_time_min" && m["group"] == "all")
        .unwrap();
    assert!(mtta["mean"].as_f64().unwrap() > 0.0);
    assert!(mtta["p90"].as_f64().unwrap() > mtta["p50"].as_f64().unwrap());
    // Groups carry their typed dimensions, as the tables' key columns: filter without parsing.
    let by_priority = metrics
        .iter()
        .find(|m| m["metric"] == "first_response_time_min" && m["group"] == "priority=P3")
        .unwrap();
    assert_eq!(by_priority["priority"], "P3");
    assert!(mtta.get("priority").is_none());
    assert!(v["files"].as_array().unwrap().len() >= 10);
}

/// A sink that keeps records in memory (tests only).
struct VecSink(Vec<supportsim::measure::TicketRecord>);
impl supportsim::measure::TicketSink for VecSink {
    fn record(&mut self, r: &supportsim::measure::TicketRecord) {
        self.0.push(*r);
    }
}

#[test]
fn per_ticket_records_agree_with_the_replication_metrics() {
    use std::sync::Mutex;
    use supportsim::measure::TicketOutcome;
    let (s, _) = small_run();
    let kept: Mutex<Vec<(u32, Vec<supportsim::measure::TicketRecord>)>> = Mutex::new(Vec::new());
    let mc = MonteCarlo::run_with_sinks(
        &s,
        3,
        &|| {},
        |_| VecSink(Vec::new()),
        |i, k| kept.lock().unwrap().push((i, k.0)),
    );
    let kept = kept.into_inner().unwrap();
    assert_eq!(kept.len(), 3);
    for (i, recs) in kept {
        let v = &mc.values[i as usize];
        let get = |m: &str| v[mc.catalog.find(m, "all").unwrap()];
        assert_eq!(
            recs.len() as f64,
            get("tickets_arrived"),
            "replication {i}: one record per measured ticket"
        );
        let count = |o: TicketOutcome| recs.iter().filter(|r| r.outcome == o).count() as f64;
        assert_eq!(count(TicketOutcome::Resolved), get("tickets_resolved"));
        assert_eq!(count(TicketOutcome::Abandoned), get("tickets_abandoned"));
        assert_eq!(count(TicketOutcome::Deflected), get("tickets_deflected"));
        let res: Vec<f64> = recs
            .iter()
            .filter(|r| r.outcome == TicketOutcome::Resolved)
            .map(|r| r.resolution_min)
            .collect();
        let mean = res.iter().sum::<f64>() / res.len() as f64;
        assert!(
            (mean - get("resolution_time_min")).abs() < 1e-6 * mean,
            "replication {i}: {mean}"
        );
        let mut numbers: Vec<u64> = recs.iter().map(|r| r.ticket).collect();
        numbers.sort_unstable();
        numbers.dedup();
        assert_eq!(numbers.len(), recs.len(), "ticket numbers are unique");
    }
}

#[test]
fn tickets_flag_writes_one_parquet_part_per_replication() {
    let dir = tempfile::tempdir().unwrap();
    assert_cmd::Command::new(env!("CARGO_BIN_EXE_supportsim"))
        .args([
            "run",
            concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/mmc.toml"),
            "--replications",
            "3",
            "--quiet",
            "--tickets",
            "--out",
        ])
        .arg(dir.path())
        .assert()
        .success();
    let mut rows = 0;
    for i in 0..3 {
        let f =
            std::fs::File::open(dir.path().join(format!("tickets/part-{i:05}.parquet"))).unwrap();
        let df = ParquetReader::new(f).finish().unwrap();
        assert_eq!(
            df.get_column_names()[..4],
            ["replication", "ticket", "arrival_min", "arrival_time"]
        );
        // arrival_time is a zoned timestamp: time 0 is the run's start date at local midnight,
        // and each ticket's timestamp is that plus its arrival_min.
        let zoned = df.column("arrival_time").unwrap();
        assert!(
            matches!(
                zoned.dtype(),
                DataType::Datetime(TimeUnit::Milliseconds, Some(tz)) if tz.as_str() == "UTC"
            ),
            "{:?}",
            zoned.dtype()
        );
        let ms = zoned.cast(&DataType::Int64).unwrap();
        let ms = ms.i64().unwrap();
        let min = df.column("arrival_min").unwrap();
        let min = min.f64().unwrap();
        // mmc.toml: start_date 2026-01-05 (the default) in UTC (the default zone).
        let t0 = 1_767_571_200_000.0;
        assert!((ms.get(0).unwrap() as f64 - (t0 + min.get(0).unwrap() * 60_000.0)).abs() <= 1.0);
        for k in [1, df.height() / 2, df.height() - 1] {
            let expect = t0 + min.get(k).unwrap() * 60_000.0;
            assert!((ms.get(k).unwrap() as f64 - expect).abs() <= 1.0, "row {k}");
        }
        rows += df.height();
    }
    assert!(rows > 3 * 16_000, "{rows} rows");
    let hidden: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') && n != ".supportsim-manifest.json")
        .collect();
    assert!(hidden.is_empty(), "{hidden:?}");
}

/// The run report's pool table is the terminal's: scheduled FTE, agents on duty at peak and
/// on average, utilisation, and the hours worked past shift ends (positive for L3, whose
/// 90-minute tickets run past 16:00 and 21:00).
#[test]
fn the_report_pool_table_shows_headcount_and_work_past_shift_ends() {
    let (s, mc) = small_run();
    let rows = mc.summary();
    let input = supportsim::export::run_report::run_report(&s, &mc, &rows, &[]);
    let pools = input.tables.iter().find(|t| t.title == "Pools").unwrap();
    assert_eq!(pools.header, supportsim::export::run_report::POOL_COLUMNS);
    assert_eq!(
        pools.header.last().unwrap(),
        "past shift end [agent-h/week]"
    );
    let l3 = pools.rows.iter().find(|r| r[0] == "l3").unwrap();
    assert_eq!(&l3[1..4], ["6.0", "5", "1.0"]);
    let late: f64 = l3[6].parse().unwrap();
    assert!(late > 1.0, "{l3:?}");
}
