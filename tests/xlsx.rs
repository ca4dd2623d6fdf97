//! `--xlsx`: one workbook, `tables.xlsx`, with one sheet per table, written with the rest of
//! the output folder; numbers are numeric cells, times Excel datetimes. Read back by
//! unzipping the workbook and looking at the sheet XML (no reader crate needed).

use assert_cmd::Command;
use std::io::Read;
use std::path::Path;

fn part(zip: &mut zip::ZipArchive<std::fs::File>, name: &str) -> String {
    let mut s = String::new();
    zip.by_name(name)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .read_to_string(&mut s)
        .unwrap();
    s
}

/// The cells of row `r` of a sheet's XML, as their opening tags plus content.
fn row(sheet: &str, r: u32) -> &str {
    let open = format!("<row r=\"{r}\"");
    let start = sheet.find(&open).unwrap_or_else(|| panic!("no row {r}"));
    let end = sheet[start..].find("</row>").unwrap() + start;
    &sheet[start..end]
}

#[test]
fn run_with_xlsx_writes_one_sheet_per_table_with_numeric_and_datetime_cells() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios/enterprise-follow-the-sun-outsourced-l1.toml");
    let assert = Command::new(env!("CARGO_BIN_EXE_supportsim"))
        .env("SUPPORTSIM_COLUMNS", "400")
        .arg("run")
        .arg(&scenario)
        .args(["--replications", "2", "--xlsx", "--out"])
        .arg(&out)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(
        stdout.contains("tables.xlsx"),
        "listed as written:\n{stdout}"
    );
    let manifest = std::fs::read_to_string(out.join(".supportsim-manifest.json")).unwrap();
    assert!(manifest.contains("tables.xlsx"), "{manifest}");

    let file = std::fs::File::open(out.join("tables.xlsx")).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let workbook = part(&mut zip, "xl/workbook.xml");
    for (k, name) in ["summary", "timeseries", "costs_weekly"].iter().enumerate() {
        assert!(
            workbook.contains(&format!("<sheet name=\"{name}\" sheetId=\"{}\"", k + 1)),
            "{workbook}"
        );
    }
    // summary: the header is text (shared strings), the first data row's n_replications and
    // mean are numbers: a cell with a value and no type attribute.
    let summary = part(&mut zip, "xl/worksheets/sheet1.xml");
    assert!(row(&summary, 1).contains("t=\"s\""));
    let first = row(&summary, 2);
    let numbers = first
        .split("<c ")
        .skip(1)
        .filter(|c| !c.contains("t=\"") && c.contains("<v>"))
        .count();
    assert!(numbers >= 2, "numeric cells in {first}");
    let n = first
        .split("<c ")
        .find(|c| !c.contains("t=\"") && c.contains("<v>"))
        .unwrap();
    let v: f64 = n
        .split("<v>")
        .nth(1)
        .unwrap()
        .split("</v>")
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(v, 2.0, "n_replications of the first row");
    // timeseries: local_time (column B) is an Excel serial date with a date-time style.
    let ts = part(&mut zip, "xl/worksheets/sheet2.xml");
    let b2 = row(&ts, 2)
        .split("<c ")
        .find(|c| c.starts_with("r=\"B2\""))
        .unwrap();
    assert!(b2.contains(" s=\"") && !b2.contains("t=\""), "{b2}");
    let serial: f64 = b2
        .split("<v>")
        .nth(1)
        .unwrap()
        .split("</v>")
        .next()
        .unwrap()
        .parse()
        .unwrap();
    // 2026 lies between serials 46023 (2026-01-01) and 46388 (2027-01-01).
    assert!((46023.0..46388.0).contains(&serial), "{serial}");
    let styles = part(&mut zip, "xl/styles.xml");
    assert!(styles.contains("yyyy-mm-dd hh:mm"), "{styles}");
}

#[test]
fn without_xlsx_there_is_no_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    Command::new(env!("CARGO_BIN_EXE_supportsim"))
        .arg("run")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/mmc.toml"))
        .args(["--replications", "2", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    assert!(out.join("summary.csv").exists());
    assert!(!out.join("tables.xlsx").exists());
}

/// A sweep whose table cannot fit a sheet (5,000 points x 252 metrics of the bundled tiered
/// file) is refused before any point runs: the sweep itself takes a minute.
#[test]
fn a_sweep_too_long_for_a_sheet_is_refused_before_it_runs() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let started = std::time::Instant::now();
    Command::new(env!("CARGO_BIN_EXE_supportsim"))
        .arg("sweep")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/saas-midmarket-tiered.toml"))
        .args([
            "--vary",
            "demand.tickets_per_week=1000..5999",
            "--replications",
            "2",
            "--xlsx",
            "--quiet",
            "--out",
        ])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("table sweep has"))
        .stderr(predicates::str::contains("Excel"));
    assert!(started.elapsed().as_secs_f64() < 10.0, "refused late");
    assert!(!out.exists());
}

/// The sheet names of a written workbook.
fn sheets(path: &Path) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    part(&mut zip, "xl/workbook.xml")
}

/// `plan` and `backtest` take `--xlsx` like every command: they once accepted it and wrote no
/// workbook.
#[test]
fn plan_and_backtest_write_their_tables_as_sheets() {
    let dir = tempfile::tempdir().unwrap();
    let bin = || Command::new(env!("CARGO_BIN_EXE_supportsim"));
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let plan = dir.path().join("plan");
    bin()
        .arg("plan")
        .arg(repo.join("scenarios/saas-midmarket-plan.toml"))
        .args(["--no-search", "--replications", "2", "--xlsx", "--quiet"])
        .arg("--out")
        .arg(&plan)
        .assert()
        .success();
    let wb = sheets(&plan.join("tables.xlsx"));
    for name in ["plan_monthly", "plan_weekly", "hires", "targets"] {
        assert!(wb.contains(&format!("<sheet name=\"{name}\"")), "{wb}");
    }
    let export = crate::common::synth_zendesk_export(dir.path(), 56);
    let fitted = dir.path().join("ours.toml");
    bin()
        .arg("calibrate")
        .arg(&export)
        .args(["--format", "zendesk", "--no-report", "--quiet", "--out"])
        .arg(&fitted)
        .assert()
        .success();
    let bt = dir.path().join("bt");
    bin()
        .arg("backtest")
        .arg(&fitted)
        .arg(&export)
        .args([
            "--format",
            "zendesk",
            "--replications",
            "3",
            "--xlsx",
            "--quiet",
        ])
        .arg("--out")
        .arg(&bt)
        .assert()
        .success();
    assert!(sheets(&bt.join("tables.xlsx")).contains("<sheet name=\"backtest\""));
}
