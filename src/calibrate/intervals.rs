//! Interval reports (WFM / ACD exports): one row per interval with a timestamp, the contacts
//! offered and optionally handled and the average handle time.
//!
//! The timestamp column is the first whose sampled values read as dates; `offered` is the
//! column named like offered / contacts / calls / volume / count, else the first numeric
//! one, so a plain two-column file needs no flags. The interval length is the shortest step
//! between distinct timestamps (any length: 5, 15, 30, 60 minutes ...). Rows of the same
//! timestamp (several queues) are added up. Days without rows are missing, unless their
//! weekday never has contacts (a centre closed at weekends); intervals missing inside a
//! reported day are closed hours with no contacts.

use super::accum::ArrivalCounts;
use super::dates::DateReader;
use super::error::CalibrateError;
use super::formats::{self, Unit, preview};
use super::joined::Joins;
use super::tickets::{delimiter_note, sniff_prefix, with_prefix};
use super::{Options, bad_row_guard};
use crate::csv_dialect::{decimal_point, sniff_delimiter};
use crate::format::CsvRow;
use jiff::{Timestamp, ToSpan};
use std::collections::BTreeMap;
use std::io::Read;

/// Most contacts one interval row may report (offered or handled): larger counts are typos or
/// the wrong column, and one of them would put the whole week's demand in its hour.
const MAX_PER_INTERVAL: f64 = 1e6;

/// What an interval report gives.
#[derive(Debug, Clone)]
pub struct IntervalStats {
    /// Arrivals per day and weekday x hour.
    pub arrivals: ArrivalCounts,
    /// Interval length [minutes].
    pub interval_min: f64,
    /// Share of steps between consecutive timestamps equal to the interval length.
    pub regular_share: f64,
    /// Distinct intervals.
    pub intervals: usize,
    /// Column names used: timestamp, offered, handled, AHT.
    pub columns: (String, String, Option<String>, Option<String>),
    /// Handled-weighted mean AHT [minutes], when the report has AHT.
    pub aht_min: Option<f64>,
    /// Offered and handled totals, when the report has handled.
    pub handled: Option<(f64, f64)>,
    /// Rows skipped as bad.
    pub bad_rows: u64,
    /// Notes on what was assumed.
    pub notes: Vec<String>,
}

const OFFERED: [&str; 9] = [
    "offered", "contacts", "calls", "volume", "arrivals", "count", "received", "incoming",
    "tickets",
];

/// Reads an interval report.
///
/// # Errors
/// An empty file, no timestamp or count column, a bad row (beyond `max_bad_rows`), fewer
/// than two distinct timestamps.
pub fn read_intervals<R: Read>(input: R, opts: &Options) -> Result<IntervalStats, CalibrateError> {
    let (prefix, input) = with_prefix(input)?;
    if prefix.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(CalibrateError::Empty("no header line"));
    }
    let delimiter = sniff_delimiter(&prefix);
    let (mut header, mut sample) = sniff_prefix(&prefix, delimiter);
    let decimal_comma = delimiter != b',';
    if sample.is_empty() {
        return Err(CalibrateError::Empty("a header but no data rows"));
    }
    // `--map timestamp=Date+Interval`: date and time of day in two columns.
    let joins = Joins::resolve(&mut header, &opts.map)?;
    for r in &mut sample {
        joins.extend(r);
    }
    let mapped = |key: &str| -> Result<Option<usize>, CalibrateError> {
        match opts.map.iter().find(|(k, _)| k == key) {
            None => Ok(None),
            Some((_, col)) => header
                .iter()
                .position(|h| h.eq_ignore_ascii_case(col.trim()))
                .map(Some)
                .ok_or_else(|| {
                    CalibrateError::BadMapping(format!(
                        "{key}={col}: no such column; the header has: {}",
                        preview(&header)
                    ))
                }),
        }
    };
    let values = |c: usize| -> Vec<String> {
        sample
            .iter()
            .filter_map(|r| r.get(c).map(str::to_string))
            .collect()
    };
    let ts_col = match mapped("timestamp")? {
        Some(c) => c,
        None => (0..header.len())
            .find(|&c| {
                let mut r = DateReader::new(opts.dates, opts.tz.clone());
                let v = values(c);
                let ok = v.iter().filter(|s| r.parse(s).is_some()).count();
                !v.is_empty() && ok * 10 >= v.len() * 9
            })
            .ok_or_else(|| CalibrateError::MissingColumn {
                format: "intervals",
                role: "timestamp",
                wanted: "holding dates and times".into(),
                found: preview(&header),
            })?,
    };
    let numeric = |c: usize| {
        let v = values(c);
        !v.is_empty()
            && v.iter().all(|s| {
                s.trim().is_empty()
                    || decimal_point(s.trim(), decimal_comma)
                        .parse::<f64>()
                        .is_ok()
            })
    };
    let named = |keys: &[&str]| {
        (0..header.len()).find(|&c| {
            c != ts_col && {
                let h = header[c].to_lowercase();
                keys.iter().any(|k| h.contains(k))
            }
        })
    };
    let offered_col = match mapped("offered")? {
        Some(c) => c,
        None => named(&OFFERED)
            .or_else(|| (0..header.len()).find(|&c| c != ts_col && numeric(c)))
            .ok_or_else(|| CalibrateError::MissingColumn {
                format: "intervals",
                role: "offered",
                wanted: "holding numbers (offered, contacts, calls, volume, count ...)".into(),
                found: preview(&header),
            })?,
    };
    let handled_col = mapped("handled")?.or_else(|| named(&["handled", "answered"]));
    let aht_col = mapped("aht")?.or_else(|| named(&["aht", "handle time", "handle_time"]));
    let aht_unit = aht_col.map(|c| {
        let h = header[c].to_lowercase();
        if let Some(forced) = opts.duration_unit {
            forced
        } else if h.contains("min") {
            Unit::Minutes
        } else {
            Unit::Seconds
        }
    });
    let mut notes: Vec<String> = delimiter_note(delimiter).into_iter().collect();
    if let (Some(c), Some(forced)) = (aht_col, opts.duration_unit) {
        notes.push(format!(
            "AHT column {:?}: plain numbers read as {} (--duration-unit)",
            header[c],
            forced.name()
        ));
    }
    if let (Some(c), Some(Unit::Seconds), None) = (aht_col, aht_unit, opts.duration_unit)
        && !header[c].to_lowercase().contains("sec")
        && !header[c].to_lowercase().contains("(s)")
    {
        notes.push(format!(
            "AHT column {:?} names no unit: plain numbers read as seconds (the WFM convention)",
            header[c]
        ));
    }
    let sample_ts = values(ts_col);
    let mut dates = DateReader::sniff(opts.dates, &opts.tz, &header[ts_col], &sample_ts)?;

    // Per distinct timestamp: offered, handled, AHT x handled.
    let mut by_ts: BTreeMap<Timestamp, (f64, f64, f64)> = BTreeMap::new();
    let mut guard = bad_row_guard(opts.max_bad_rows);
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(input);
    let mut rec = csv::StringRecord::new();
    let mut rows = 0u64;
    let num = |rec: &csv::StringRecord, c: usize, row: CsvRow| -> Result<f64, CalibrateError> {
        let v = rec.get(c).unwrap_or("").trim();
        if v.is_empty() {
            return Ok(0.0);
        }
        match decimal_point(v, decimal_comma).parse::<f64>() {
            Ok(x) if (0.0..=MAX_PER_INTERVAL).contains(&x) => Ok(x),
            Ok(x) if x > MAX_PER_INTERVAL => Err(CalibrateError::BadValue {
                row,
                column: header[c].clone(),
                value: v.to_string(),
                message: format!(
                    "more than {MAX_PER_INTERVAL:.0} contacts in one interval; check the value or the column (--map)"
                ),
            }),
            _ => Err(CalibrateError::BadValue {
                row,
                column: header[c].clone(),
                value: v.to_string(),
                message: "not a count >= 0".into(),
            }),
        }
    };
    let mut parse_row = |rec: &csv::StringRecord,
                         row: CsvRow|
     -> Result<(Timestamp, f64, f64, f64), CalibrateError> {
        let v = rec.get(ts_col).unwrap_or("");
        let ts = dates.parse(v).ok_or_else(|| CalibrateError::BadDate {
            row,
            column: header[ts_col].clone(),
            value: v.to_string(),
            hint: "ISO 8601 with or without offset, or the other forms of ticket exports".into(),
        })?;
        let offered = num(rec, offered_col, row)?;
        let handled = match handled_col {
            Some(c) => num(rec, c, row)?,
            None => offered,
        };
        let aht = match (aht_col, aht_unit) {
            (Some(c), Some(u)) => {
                let v = rec.get(c).unwrap_or("").trim();
                if v.is_empty() {
                    0.0
                } else {
                    match formats::duration_min(&decimal_point(v, decimal_comma), u) {
                        Some(x) if x >= 0.0 => x,
                        _ => {
                            return Err(CalibrateError::BadValue {
                                row,
                                column: header[c].clone(),
                                value: v.to_string(),
                                message: "not a duration >= 0".into(),
                            });
                        }
                    }
                }
            }
            _ => 0.0,
        };
        Ok((ts.ts, offered, handled, aht))
    };
    loop {
        match rdr.read_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let row = CsvRow::at(e.position(), rows + 1);
                guard.bad(
                    CalibrateError::Csv {
                        row,
                        message: e.to_string(),
                    },
                    &mut notes,
                )?;
                continue;
            }
        }
        rows += 1;
        let row = CsvRow::at(rec.position(), rows);
        joins.extend(&mut rec);
        let parsed = parse_row(&rec, row);
        match parsed {
            Ok((ts, o, h, a)) => {
                let e = by_ts.entry(ts).or_insert((0.0, 0.0, 0.0));
                e.0 += o;
                e.1 += h;
                e.2 += a * h;
            }
            Err(e) => guard.bad(e, &mut notes)?,
        }
    }
    if by_ts.len() < 2 {
        return Err(CalibrateError::TooShort(
            "fewer than two distinct interval timestamps".into(),
        ));
    }
    let stamps: Vec<Timestamp> = by_ts.keys().copied().collect();
    let steps: Vec<i64> = stamps
        .windows(2)
        .map(|w| w[1].as_second() - w[0].as_second())
        .collect();
    let step = *steps.iter().min().expect("two stamps");
    let regular_share = steps.iter().filter(|s| **s == step).count() as f64 / steps.len() as f64;
    let interval_min = step as f64 / 60.0;
    // Intervals longer than an hour spread their contacts evenly over the hours they cover.
    let chunks = ((interval_min / 60.0).ceil() as i64).max(1);
    let mut arrivals = ArrivalCounts::default();
    let (mut offered, mut handled, mut aht_weighted) = (0.0, 0.0, 0.0);
    for (ts, (o, h, a)) in &by_ts {
        offered += o;
        handled += h;
        aht_weighted += a;
        for j in 0..chunks {
            let t = ts.checked_add((j * 60).minutes()).expect("in range");
            let local = opts.tz.to_datetime(t);
            arrivals.touch(local.date());
            arrivals.add(local, o / chunks as f64);
        }
    }
    if regular_share < 0.5 {
        notes.push(format!(
            "only {:.0}% of steps between timestamps are {interval_min} min: check the report",
            regular_share * 100.0
        ));
    }
    let aht_min = (aht_col.is_some() && handled > 0.0).then(|| aht_weighted / handled);
    if let (Some(a), Some(c)) = (aht_min, aht_col)
        && !(a > 0.0 && a <= 7.0 * 1440.0)
    {
        return Err(CalibrateError::ImplausibleAht {
            column: header[c].clone(),
            aht_min: a,
        });
    }
    Ok(IntervalStats {
        arrivals,
        interval_min,
        regular_share,
        intervals: by_ts.len(),
        columns: (
            header[ts_col].clone(),
            header[offered_col].clone(),
            handled_col.map(|c| header[c].clone()),
            aht_col.map(|c| header[c].clone()),
        ),
        aht_min,
        handled: handled_col.map(|_| (offered, handled)),
        bad_rows: guard.count,
        notes,
    })
}
