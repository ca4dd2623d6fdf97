//! The Excel workbook of `--xlsx` (`tables.xlsx`): one sheet per table of the command, for
//! planners who live in Excel.
//!
//! Numbers are numeric cells, booleans boolean cells, dates and time-zone-aware timestamps
//! Excel datetimes (the local wall clock of the scenario's zone: Excel has no time zones),
//! nulls empty cells. The first row holds the column names, frozen. The workbook's metadata
//! carries a fixed creation time, so the bytes depend on the tables only.

use super::{ExportError, Result};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use polars::prelude::*;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

/// Rows of an Excel sheet (header included).
pub const MAX_ROWS: usize = 1_048_576;

/// Longest sheet name Excel accepts.
pub const MAX_SHEET_NAME: usize = 31;

/// The workbook bytes of `tables`, given as (sheet name, table), one sheet each in order.
/// Names are cleaned of the characters Excel refuses, cut to 31 characters and made unique.
///
/// # Errors
/// [`ExportError::XlsxRows`] for a table longer than a sheet; [`ExportError::Xlsx`] when the
/// writer fails.
pub fn workbook(tables: &[(&str, &DataFrame)]) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let epoch = ExcelDateTime::from_ymd(2000, 1, 1).map_err(xlsx)?;
    wb.set_properties(&DocProperties::new().set_creation_datetime(&epoch));
    let header = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let datetime = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let mut names: Vec<String> = Vec::new();
    for (name, df) in tables {
        if df.height() + 1 > MAX_ROWS {
            return Err(ExportError::XlsxRows {
                sheet: name.to_string(),
                rows: df.height(),
            });
        }
        let sheet_name = sheet_name(name, &names);
        let ws = wb.add_worksheet();
        ws.set_name(&sheet_name).map_err(xlsx)?;
        names.push(sheet_name);
        for (j, c) in df.columns().iter().enumerate() {
            let col = j as u16;
            ws.write_string_with_format(0, col, c.name().as_str(), &header)
                .map_err(xlsx)?;
            write_column(ws, col, c, &date, &datetime)?;
        }
        ws.set_freeze_panes(1, 0).map_err(xlsx)?;
    }
    wb.save_to_buffer().map_err(xlsx)
}

/// Refuses a table of `rows` rows (expected, before it is built) that no sheet can hold.
///
/// # Errors
/// [`ExportError::XlsxRows`] when `rows` and the header exceed [`MAX_ROWS`].
pub fn check_rows(sheet: &str, rows: f64) -> Result<()> {
    if rows + 1.0 > MAX_ROWS as f64 {
        return Err(ExportError::XlsxRows {
            sheet: sheet.to_string(),
            rows: rows as usize,
        });
    }
    Ok(())
}

fn xlsx(e: XlsxError) -> ExportError {
    ExportError::Xlsx(e.to_string())
}

/// `name` as a sheet name: no `[]:*?/\`, at most 31 characters, not one of `taken`
/// (compared case-insensitively, as Excel does).
pub fn sheet_name(name: &str, taken: &[String]) -> String {
    let clean: String = name
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .collect();
    let cut = |s: &str, n: usize| s.chars().take(n).collect::<String>();
    let free = |s: &str| !taken.iter().any(|t| t.eq_ignore_ascii_case(s));
    let base = cut(
        if clean.is_empty() { "sheet" } else { &clean },
        MAX_SHEET_NAME,
    );
    if free(&base) {
        return base;
    }
    (2..)
        .map(|k| {
            let suffix = format!("~{k}");
            format!(
                "{}{suffix}",
                cut(&base, MAX_SHEET_NAME - suffix.chars().count())
            )
        })
        .find(|s| free(s))
        .unwrap_or(base)
}

fn write_column(
    ws: &mut Worksheet,
    col: u16,
    c: &Column,
    date: &Format,
    datetime: &Format,
) -> Result<()> {
    let row = |i: usize| (i + 1) as u32;
    match c.dtype() {
        DataType::String => {
            for (i, v) in c.str()?.iter().enumerate() {
                if let Some(v) = v {
                    ws.write_string(row(i), col, v).map_err(xlsx)?;
                }
            }
        }
        DataType::Boolean => {
            for (i, v) in c.bool()?.iter().enumerate() {
                if let Some(v) = v {
                    ws.write_boolean(row(i), col, v).map_err(xlsx)?;
                }
            }
        }
        DataType::Date => {
            let days = c.cast(&DataType::Int32)?;
            let epoch = jiff::civil::date(1970, 1, 1);
            for (i, v) in days.i32()?.iter().enumerate() {
                let Some(d) = v.and_then(|v| epoch.checked_add(jiff::Span::new().days(v)).ok())
                else {
                    continue;
                };
                let x = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
                    .map_err(xlsx)?;
                ws.write_datetime_with_format(row(i), col, &x, date)
                    .map_err(xlsx)?;
            }
        }
        DataType::Datetime(unit, zone) => {
            let tz = zone
                .as_ref()
                .and_then(|z| TimeZone::get(z.as_str()).ok())
                .unwrap_or(TimeZone::UTC);
            let per_ms = match unit {
                TimeUnit::Milliseconds => 1,
                TimeUnit::Microseconds => 1_000,
                TimeUnit::Nanoseconds => 1_000_000,
            };
            let raw = c.cast(&DataType::Int64)?;
            for (i, v) in raw.i64()?.iter().enumerate() {
                let Some(t) = v.and_then(|v| Timestamp::from_millisecond(v / per_ms).ok()) else {
                    continue;
                };
                let z = t.to_zoned(tz.clone());
                let x = ExcelDateTime::from_ymd(z.year() as u16, z.month() as u8, z.day() as u8)
                    .and_then(|d| d.and_hms(z.hour() as u16, z.minute() as u8, z.second() as f64))
                    .map_err(xlsx)?;
                ws.write_datetime_with_format(row(i), col, &x, datetime)
                    .map_err(xlsx)?;
            }
        }
        dt if dt.is_primitive_numeric() => {
            let f = c.cast(&DataType::Float64)?;
            for (i, v) in f.f64()?.iter().enumerate() {
                if let Some(v) = v.filter(|v| v.is_finite()) {
                    ws.write_number(row(i), col, v).map_err(xlsx)?;
                }
            }
        }
        _ => {
            let s = c.cast(&DataType::String)?;
            for (i, v) in s.str()?.iter().enumerate() {
                if let Some(v) = v {
                    ws.write_string(row(i), col, v).map_err(xlsx)?;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_short_clean_and_unique() {
        let long = "a_very_long_table_name_that_excel_refuses";
        let first = sheet_name(long, &[]);
        assert_eq!(first.chars().count(), 31);
        let second = sheet_name(long, std::slice::from_ref(&first));
        assert!(second.ends_with("~2") && second.chars().count() == 31);
        assert_eq!(sheet_name("a/b:c", &[]), "a_b_c");
        assert_eq!(sheet_name("Summary", &["summary".into()]), "Summary~2");
    }

    #[test]
    fn the_same_tables_give_the_same_bytes() {
        let df = DataFrame::new_infer_height(vec![
            Column::new("metric".into(), ["a", "b"]),
            Column::new("mean".into(), [Some(1.5), None]),
        ])
        .unwrap();
        let a = workbook(&[("summary", &df)]).unwrap();
        let b = workbook(&[("summary", &df)]).unwrap();
        assert_eq!(a, b);
        assert_eq!(&a[..2], b"PK");
    }
}
