//! Typed columns at the export edge: a table's group keys as one column per dimension
//! (`priority`, `segment`, `pool`, `week` ...), and times as time-zone-aware timestamps.
//!
//! A table carries the key columns that at least one of its rows uses, in the fixed order
//! of [`KEY_COLUMNS`]; a row that does not have a dimension holds a null there. A column is
//! never null on every row, so a CSV reader never has to guess the type of an empty column.
//! `within_min` is Float64, `week` a Date, every other key column a String.

use super::Result;
use crate::measure::{GroupKey, KEY_COLUMNS};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use polars::prelude::TimeZone as TimeZone_;
use polars::prelude::*;

/// Which key columns a table needs: the indices into [`KEY_COLUMNS`] that some key uses.
pub fn key_dims<'a>(keys: impl IntoIterator<Item = &'a GroupKey>) -> Vec<usize> {
    let mut used = [false; KEY_COLUMNS.len()];
    for k in keys {
        for (i, u) in used.iter_mut().enumerate() {
            *u |= has(k, i);
        }
    }
    (0..KEY_COLUMNS.len()).filter(|&i| used[i]).collect()
}

fn has(k: &GroupKey, i: usize) -> bool {
    match i {
        0 => k.priority.is_some(),
        1 => k.segment.is_some(),
        2 => k.channel.is_some(),
        3 => k.target.is_some(),
        4 => k.stage.is_some(),
        5 => k.pool.is_some(),
        6 => k.within_min.is_some(),
        7 => k.week.is_some(),
        8 => k.item.is_some(),
        9 => k.category.is_some(),
        10 => k.origin.is_some(),
        11 => k.ticket_kind.is_some(),
        _ => k.arrived.is_some(),
    }
}

fn text(k: &GroupKey, i: usize) -> Option<&str> {
    match i {
        0 => k.priority.as_deref(),
        1 => k.segment.as_deref(),
        2 => k.channel.as_deref(),
        3 => k.target.as_deref(),
        4 => k.stage.as_deref(),
        5 => k.pool.as_deref(),
        8 => k.item,
        9 => k.category.as_deref(),
        10 => k.origin,
        11 => k.ticket_kind,
        _ => k.arrived,
    }
}

/// The key columns `dims` (from [`key_dims`]) of `keys`, one value per row.
///
/// # Errors
/// A Polars cast failure (not expected: dates are in range).
pub fn key_columns(dims: &[usize], keys: &[&GroupKey]) -> Result<Vec<Column>> {
    dims.iter()
        .map(|&i| {
            let name = KEY_COLUMNS[i].into();
            Ok(match i {
                6 => Column::new(name, keys.iter().map(|k| k.within_min).collect::<Vec<_>>()),
                7 => date_column(name, keys.iter().map(|k| k.week))?,
                _ => Column::new(name, keys.iter().map(|k| text(k, i)).collect::<Vec<_>>()),
            })
        })
        .collect()
}

/// The key columns a table of `keys` needs ([`key_dims`] then [`key_columns`]).
///
/// # Errors
/// See [`key_columns`].
pub fn keys_of(keys: &[&GroupKey]) -> Result<Vec<Column>> {
    key_columns(&key_dims(keys.iter().copied()), keys)
}

/// A Date column (days since 1970-01-01) of local dates.
///
/// # Errors
/// A Polars cast failure.
pub fn date_column(name: PlSmallStr, dates: impl Iterator<Item = Option<Date>>) -> Result<Column> {
    let epoch = jiff::civil::date(1970, 1, 1);
    let days: Vec<Option<i32>> = dates
        .map(|d| {
            d.and_then(|d| epoch.until((jiff::Unit::Day, d)).ok())
                .map(|s| s.get_days())
        })
        .collect();
    Ok(Column::new(name, days).cast(&DataType::Date)?)
}

/// The IANA name of a time zone for a Datetime column (`UTC` for a zone without one).
pub fn zone_name(tz: &TimeZone) -> &str {
    tz.iana_name().unwrap_or("UTC")
}

/// A Datetime column (milliseconds, time zone `zone`) of instants.
///
/// # Errors
/// A Polars cast failure.
pub fn datetime_column(
    name: PlSmallStr,
    zone: &str,
    times: impl Iterator<Item = Option<Timestamp>>,
) -> Result<Column> {
    let ms: Vec<Option<i64>> = times.map(|t| t.map(|t| t.as_millisecond())).collect();
    // Without Polars' `timezones` feature a zone name is stored as given, unvalidated; it
    // comes from a jiff `TimeZone`, so it names a zone of the bundled database.
    let tz = TimeZone::get(zone).ok().map(|_| zone.to_string());
    let ca = Int64Chunked::from_iter_options(name, ms.into_iter());
    Ok(ca
        .into_datetime(TimeUnit::Milliseconds, TimeZone_::opt_try_new(tz)?)
        .into_column())
}

/// `df` ready for Polars' CSV writer, which (with this crate's narrow Polars features) can
/// write neither dates nor zoned timestamps: Date columns become `YYYY-MM-DD` text and
/// time-zone-aware Datetime columns RFC 3339 text with the local offset
/// (`2026-01-12T09:00:00-05:00`). Readers parse both back as temporal types
/// (`pl.read_csv(..., try_parse_dates=True)`). `None` when there is nothing to convert.
///
/// # Errors
/// A Polars failure.
pub fn csv_ready(df: &DataFrame) -> Result<Option<DataFrame>> {
    let temporal: Vec<(PlSmallStr, Option<String>)> = df
        .columns()
        .iter()
        .filter_map(|c| match c.dtype() {
            DataType::Date => Some((c.name().clone(), None)),
            DataType::Datetime(TimeUnit::Milliseconds, Some(tz)) => {
                Some((c.name().clone(), Some(tz.as_str().to_string())))
            }
            _ => None,
        })
        .collect();
    if temporal.is_empty() {
        return Ok(None);
    }
    let epoch = jiff::civil::date(1970, 1, 1);
    let mut out = df.clone();
    for (name, zone) in temporal {
        let text: Vec<Option<String>> = match zone {
            None => {
                let days = df.column(&name)?.cast(&DataType::Int32)?;
                days.i32()?
                    .iter()
                    .map(|v| {
                        v.and_then(|v| epoch.checked_add(jiff::Span::new().days(v)).ok())
                            .map(|d| d.to_string())
                    })
                    .collect()
            }
            Some(zone) => {
                let tz = TimeZone::get(&zone).unwrap_or(TimeZone::UTC);
                let ms = df.column(&name)?.cast(&DataType::Int64)?;
                ms.i64()?
                    .iter()
                    .map(|v| {
                        v.and_then(|v| Timestamp::from_millisecond(v).ok())
                            .map(|t| rfc3339(&t.to_zoned(tz.clone())))
                    })
                    .collect()
            }
        };
        out.with_column(Column::new(name, text))?;
    }
    Ok(Some(out))
}

/// `2026-01-12T09:00:00-05:00`: seconds precision, the zone's offset at that instant.
pub fn rfc3339(z: &jiff::Zoned) -> String {
    z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_used_dimensions_become_columns_in_fixed_order() {
        let a = GroupKey::all();
        let p = GroupKey::pool("l1");
        let c = GroupKey::cell("P1", "smb");
        let dims = key_dims([&a, &p, &c]);
        let names: Vec<_> = dims.iter().map(|&i| KEY_COLUMNS[i]).collect();
        assert_eq!(names, ["priority", "segment", "pool"]);
        let cols = key_columns(&dims, &[&a, &p, &c]).unwrap();
        assert_eq!(cols[2].str().unwrap().get(1), Some("l1"));
        assert_eq!(cols[0].str().unwrap().get(1), None);
    }

    #[test]
    fn weeks_are_dates_and_times_carry_their_zone_in_csv_text() {
        let d = jiff::civil::date(2026, 1, 12);
        let col = date_column("week".into(), [Some(d), None].into_iter()).unwrap();
        assert_eq!(col.dtype(), &DataType::Date);
        let tz = TimeZone::get("America/New_York").unwrap();
        let t = d.at(9, 0, 0, 0).to_zoned(tz).unwrap().timestamp();
        let col = datetime_column("t".into(), "America/New_York", [Some(t)].into_iter()).unwrap();
        assert!(
            matches!(col.dtype(), DataType::Datetime(_, Some(z)) if z.as_str() == "America/New_York")
        );
        let df = DataFrame::new_infer_height(vec![col]).unwrap();
        let text = csv_ready(&df).unwrap().unwrap();
        assert_eq!(
            text.column("t").unwrap().str().unwrap().get(0),
            Some("2026-01-12T09:00:00-05:00")
        );
    }
}
