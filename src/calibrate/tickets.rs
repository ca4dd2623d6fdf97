//! One streaming pass over a ticket export (the `csv` crate, one reused record, so a file of
//! any size is read in constant memory) into [`TicketStats`].

use super::accum::{ArrivalCounts, Durations, Reservoir, TicketStats, Waits};
use super::dates::{DateReader, Stamp};
use super::error::CalibrateError;
use super::formats::{self, Columns, Fate, Role, Unit};
use super::joined::Joins;
use super::{Options, bad_row_guard};
use crate::csv_dialect::{decimal_point, separator_name, sniff_delimiter};
use crate::format::CsvRow;
use std::io::Read;

/// Bytes read ahead to decide the date order of each date column.
const SNIFF_BYTES: u64 = 1 << 20;
/// Rows of that prefix used as date samples.
const SNIFF_ROWS: usize = 5_000;

/// The note saying a separator other than `,` was found, and what it implies for numbers.
pub(super) fn delimiter_note(delimiter: u8) -> Option<String> {
    let name = separator_name(delimiter)?;
    Some(format!(
        "columns separated by {name} (read from the header line); a number with a decimal comma, such as 9,5, reads as 9.5"
    ))
}

/// Reads the header and up to [`SNIFF_ROWS`] rows of a prefix of the file (the last, maybe
/// cut, row dropped): `(header, rows)`.
pub(super) fn sniff_prefix(prefix: &[u8], delimiter: u8) -> (Vec<String>, Vec<csv::StringRecord>) {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(prefix);
    let header = rdr.headers().map(clean_header).unwrap_or_default();
    let mut rows: Vec<csv::StringRecord> = rdr
        .records()
        .take(SNIFF_ROWS + 1)
        .filter_map(Result::ok)
        .collect();
    if rows.len() > SNIFF_ROWS || (prefix.len() as u64) >= SNIFF_BYTES {
        rows.pop();
    }
    (header, rows)
}

/// Header names trimmed, a UTF-8 byte-order mark dropped.
pub(super) fn clean_header(h: &csv::StringRecord) -> Vec<String> {
    h.iter()
        .enumerate()
        .map(|(i, s)| {
            let s = if i == 0 {
                s.trim_start_matches('\u{feff}')
            } else {
                s
            };
            s.trim().to_string()
        })
        .collect()
}

/// Reads the first bytes, then returns them chained with the rest of the input.
pub(super) fn with_prefix<R: Read>(mut input: R) -> Result<(Vec<u8>, impl Read), CalibrateError> {
    let mut prefix = Vec::new();
    (&mut input).take(SNIFF_BYTES).read_to_end(&mut prefix)?;
    let again = std::io::Cursor::new(prefix.clone()).chain(input);
    Ok((prefix, again))
}

/// An export opened for reading: its resolved columns (over the header and the virtual columns
/// of `joins`), and the date readers of the creation and solved columns, sniffed from the
/// first rows.
pub(super) struct Opened<R> {
    /// The whole input again, header included.
    pub(super) input: R,
    /// The field separator, read from the header line.
    pub(super) delimiter: u8,
    /// The file's own columns (a row of another width is skipped).
    pub(super) width: usize,
    /// Columns joined by `--map ROLE=A+B`, appended to each row before it is read.
    pub(super) joins: Joins,
    /// The format's columns found in the header.
    pub(super) cols: Columns,
    /// Index of the creation-time column.
    pub(super) created_col: usize,
    /// The creation time's reader.
    pub(super) created: DateReader,
    /// The solved-time column and its reader, when the export has one.
    pub(super) solved: Option<(usize, DateReader)>,
}

/// Opens an export: sniffs its header and first rows, resolves the format's columns and
/// the date formats of the creation and solved columns.
///
/// # Errors
/// An empty file, a missing creation-time column, or ambiguous dates.
pub(super) fn open_export<R: Read>(
    input: R,
    opts: &Options,
) -> Result<Opened<impl Read>, CalibrateError> {
    let (prefix, input) = with_prefix(input)?;
    if prefix.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(CalibrateError::Empty("no header line"));
    }
    let delimiter = sniff_delimiter(&prefix);
    let (mut header, mut sample) = sniff_prefix(&prefix, delimiter);
    let width = header.len();
    let joins = Joins::resolve(&mut header, &opts.map)?;
    for r in &mut sample {
        joins.extend(r);
    }
    let mut cols = Columns::resolve(opts.format, &header, &opts.map, opts.duration_unit)?;
    if let Some(channel) = opts.channel {
        cols.force_channel(channel);
    }
    if let Some(note) = delimiter_note(delimiter) {
        cols.decimal_comma = true;
        cols.notes.insert(0, note);
    }
    let reader_for = |role: Role| -> Result<Option<(usize, DateReader)>, CalibrateError> {
        let Some((c, _)) = cols.get(role) else {
            return Ok(None);
        };
        let values: Vec<String> = sample
            .iter()
            .filter_map(|r| r.get(c).map(str::to_string))
            .collect();
        Ok(Some((
            c,
            DateReader::sniff(opts.dates, &opts.tz, cols.name(c), &values)?,
        )))
    };
    // `Columns::resolve` refuses an export without a creation-time column.
    let Some((created_col, created)) = reader_for(Role::Created)? else {
        return Err(CalibrateError::Empty("no creation-time column"));
    };
    let solved = reader_for(Role::Solved)?;
    Ok(Opened {
        input,
        delimiter,
        width,
        joins,
        cols,
        created_col,
        created,
        solved,
    })
}

/// Reads a ticket export.
///
/// # Errors
/// A missing creation-time column, an empty file, ambiguous dates, or a bad row (unless
/// `max_bad_rows` allows skipping it), each naming the row and column.
pub fn read_tickets<R: Read>(input: R, opts: &Options) -> Result<TicketStats, CalibrateError> {
    let Opened {
        input,
        delimiter,
        width,
        joins,
        cols,
        created_col,
        mut created,
        mut solved,
        ..
    } = open_export(input, opts)?;

    let mut st = TicketStats {
        arrivals: ArrivalCounts {
            zero_fill: true,
            ..Default::default()
        },
        rows: 0,
        bad_rows: 0,
        channels: (cols.get(Role::Channel).is_some() || cols.forced_channel.is_some())
            .then_some([0; 3]),
        priorities: cols.get(Role::Priority).map(|_| [0; 4]),
        priority_unknown: 0,
        segments: cols.get(Role::Segment).map(|_| Vec::new()),
        segment_spellings: Vec::new(),
        levels: cols
            .get(Role::Stations)
            .or(cols.get(Role::Reassignments))
            .map(|(c, _)| ([0; 3], cols.name(c).to_string())),
        work: cols
            .get(Role::WorkTime)
            .map(|_| (0..12).map(Durations::new).collect()),
        work_missing: 0,
        waits: match (cols.get(Role::Wait), cols.get(Role::Abandoned)) {
            (Some(_), Some(_)) => Some([Waits::new(20), Waits::new(21)]),
            _ => None,
        },
        never_queued: 0,
        phantom: 0,
        resolution: solved.as_ref().map(|_| Reservoir::new(30)),
        notes: cols.notes.clone(),
    };
    let mut guard = bad_row_guard(opts.max_bad_rows);
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(input);
    let mut rec = csv::StringRecord::new();
    loop {
        match rdr.read_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let row = CsvRow::at(e.position(), st.rows + 1);
                let err = CalibrateError::Csv {
                    row,
                    message: e.to_string(),
                };
                // A ragged row is one bad row; broken quoting or encoding may be too.
                guard.bad(err, &mut st.notes)?;
                st.rows += 1;
                continue;
            }
        }
        st.rows += 1;
        let row = CsvRow::at(rec.position(), st.rows);
        if rec.len() != width {
            continue;
        }
        joins.extend(&mut rec);
        match read_row(
            &rec,
            row,
            &cols,
            created_col,
            &mut created,
            &mut solved,
            &mut st,
        ) {
            Ok(()) => {}
            Err(e) => guard.bad(e, &mut st.notes)?,
        }
    }
    if let Some(segs) = st.segments.as_mut() {
        merged_spellings_note(segs, &st.segment_spellings, &mut st.notes);
        tidy_segments(segs, &mut st.notes);
    }
    if st.phantom > 0 {
        st.notes.push(format!(
            "{} rows with the outcome PHANTOM (not a contact) are left out",
            st.phantom
        ));
    }
    if st.never_queued > 0 {
        st.notes.push(never_queued_note(st.never_queued, st.rows));
    }
    st.bad_rows = guard.count;
    if st.rows == st.bad_rows && st.rows > 0 {
        return Err(guard
            .into_first()
            .unwrap_or(CalibrateError::Empty("no readable row")));
    }
    if st.arrivals.days.is_empty() {
        return Err(CalibrateError::Empty("a header but no data rows"));
    }
    if created.with_offset > 0 && !opts.tz_given {
        st.notes.push(
            "timestamps carry offsets but no --timezone was given: profiles are in UTC".into(),
        );
    } else if created.civil > 0 && !opts.tz_given {
        st.notes.push(
            "timestamps have no offset and no --timezone was given: read as UTC (pass the \
             account's zone, e.g. --timezone America/New_York)"
                .into(),
        );
    }
    Ok(st)
}

/// The note on chat and phone contacts left out as never queued.
pub(super) fn never_queued_note(never_queued: u64, rows: u64) -> String {
    format!(
        "{never_queued} chat and phone contacts ({:.1}% of rows) are marked abandoned with a \
         wait of 0 s: they ended before queueing for an agent (a caller who hung up in the \
         IVR) and are left out of the arrivals and the patience fit; model the IVR as a \
         [tier0] bot to count them",
        100.0 * never_queued as f64 / rows.max(1) as f64
    )
}

pub(super) fn bad_value(
    row: CsvRow,
    cols: &Columns,
    c: usize,
    v: &str,
    message: &str,
) -> CalibrateError {
    CalibrateError::BadValue {
        row,
        column: cols.name(c).to_string(),
        value: v.to_string(),
        message: message.to_string(),
    }
}

/// The message for a ticket solved `early_h` hours before it was created, saying so when a
/// time falls in an hour the clocks repeated or skipped (its other reading was tried).
pub(super) fn negative_duration(early_h: f64, created: &Stamp, solved: &Stamp) -> String {
    let mut m = format!("negative duration: solved {early_h:.1} h before it was created");
    if created.either_ambiguous(solved) {
        m.push_str(
            " even with its times in an hour the clocks repeated or skipped read either way; \
             check the export, or export the times with their UTC offset",
        );
    }
    m
}

pub(super) fn parse_stamp(
    r: &mut DateReader,
    rec: &csv::StringRecord,
    c: usize,
    row: CsvRow,
    cols: &Columns,
) -> Result<Stamp, CalibrateError> {
    let v = rec.get(c).unwrap_or("");
    r.parse(v).ok_or_else(|| CalibrateError::BadDate {
        row,
        column: cols.name(c).to_string(),
        value: v.to_string(),
        hint: if v.trim().is_empty() {
            "the value is empty".into()
        } else {
            "ISO 8601, YYYY-MM-DD HH:MM[:SS] [offset], DD/Mon/YY h:mm AM, MM/DD/YYYY or \
             DD/MM/YYYY (see --dates) are read"
                .into()
        },
    })
}

/// Records that the export spelled a segment as `raw` in `seen`, its spellings so far (a
/// few per segment).
fn note_spelling(seen: &mut Vec<String>, raw: &str) {
    if seen.len() < super::accum::SPELLINGS_KEPT && !seen.iter().any(|x| x == raw) {
        seen.push(raw.to_string());
    }
}

/// Names the segment values that cleaning (lower case; characters other than letters,
/// digits, `_` and `-` made `_`) read as one segment: usually intended ("SMB" and "smb"),
/// but a user whose "Mid Market" and "mid_market" meant two things must be told.
fn merged_spellings_note(
    segs: &[(String, u64)],
    spellings: &[Vec<String>],
    notes: &mut Vec<String>,
) {
    let merged: Vec<String> = segs
        .iter()
        .zip(spellings)
        .filter(|(_, seen)| seen.len() > 1)
        .map(|((name, _), seen)| {
            let list: Vec<String> = seen.iter().map(|x| format!("{x:?}")).collect();
            format!("{} as {name:?}", list.join(", "))
        })
        .collect();
    if merged.is_empty() {
        return;
    }
    const SHOWN: usize = 5;
    let more = merged.len().saturating_sub(SHOWN);
    notes.push(format!(
        "segment values that differ only in case, spaces or punctuation are read as one segment: {}{}",
        merged[..merged.len().min(SHOWN)].join("; "),
        if more > 0 {
            format!("; and {more} more")
        } else {
            String::new()
        }
    ));
}

/// Distinct segment values counted by name; later new values count as `other`.
const TRACKED_SEGMENTS: usize = 1000;

/// Makes the segment values a scenario can hold: at most [`MAX_SEGMENTS`] (the largest kept,
/// the rest as `other`), and names that are also a default channel or priority name, or
/// `all` beside other segments, prefixed `segment_` (targets name groups by their bare name).
/// Each change is noted in the file.
fn tidy_segments(segs: &mut Vec<(String, u64)>, notes: &mut Vec<String>) {
    use crate::scenario::limits::MAX_SEGMENTS;
    if segs.len() > MAX_SEGMENTS {
        let mut order: Vec<usize> = (0..segs.len()).collect();
        order.sort_by(|&a, &b| segs[b].1.cmp(&segs[a].1).then(a.cmp(&b)));
        let keep: std::collections::BTreeSet<usize> = order
            .iter()
            .copied()
            .filter(|&i| segs[i].0 != "other")
            .take(MAX_SEGMENTS - 1)
            .collect();
        let (mut kept, mut other, mut folded) = (Vec::new(), 0u64, 0usize);
        for (i, (n, k)) in segs.drain(..).enumerate() {
            if keep.contains(&i) {
                kept.push((n, k));
            } else {
                other += k;
                folded += usize::from(n != "other");
            }
        }
        kept.push(("other".into(), other));
        notes.push(format!(
            "the segment column has more values than a scenario holds ({MAX_SEGMENTS}): the {} largest are kept, {folded} others are counted as \"other\"",
            MAX_SEGMENTS - 1
        ));
        *segs = kept;
    }
    let several = segs.len() > 1;
    // Stricter than the validator, which lets a segment `p1` stand beside the priority `P1`
    // (targets find groups by exact name): values here were lowercased, so `p1` was most
    // likely a priority written in the segment column, and two groups differing only in
    // case would be easy to confuse in every table.
    let clashes = |n: &str| {
        crate::scenario::Channels::default().resolve(n).is_ok()
            || crate::scenario::priorities::names_of(None)
                .iter()
                .any(|p| p.eq_ignore_ascii_case(n))
            || (several && n == "all")
    };
    for i in 0..segs.len() {
        if clashes(&segs[i].0) {
            let mut renamed = format!("segment_{}", segs[i].0);
            while segs.iter().any(|(n, _)| *n == renamed) {
                renamed.push('_');
            }
            notes.push(format!(
                "segment value {:?} is also a channel, priority or group name: written as {renamed:?}",
                segs[i].0
            ));
            segs[i].0 = renamed;
        }
    }
}

/// Longest work or wait time read from a cell [minutes] (366 days): a longer one is a wrong
/// unit or a typo, and would overflow the scenario's numbers.
const MAX_CELL_DURATION_MIN: f64 = 366.0 * 1440.0;

/// A duration cell in minutes: `None` when blank, an error when unreadable, negative or
/// longer than [`MAX_CELL_DURATION_MIN`].
pub(super) fn duration(
    rec: &csv::StringRecord,
    col: (usize, Unit),
    row: CsvRow,
    cols: &Columns,
) -> Result<Option<f64>, CalibrateError> {
    let v = rec.get(col.0).unwrap_or("").trim();
    if v.is_empty() || v == "-" {
        return Ok(None);
    }
    match formats::duration_min(&decimal_point(v, cols.decimal_comma), col.1) {
        None => Err(bad_value(row, cols, col.0, v, "not a duration")),
        Some(x) if x < 0.0 => Err(bad_value(row, cols, col.0, v, "negative duration")),
        Some(x) if x > MAX_CELL_DURATION_MIN => Err(bad_value(
            row,
            cols,
            col.0,
            v,
            "longer than a year; check the column's unit (--map) or the value",
        )),
        Some(x) => Ok(Some(x)),
    }
}

/// Reads one row into the accumulators; nothing is added when any cell is bad.
fn read_row(
    rec: &csv::StringRecord,
    row: CsvRow,
    cols: &Columns,
    created_col: usize,
    created: &mut DateReader,
    solved: &mut Option<(usize, DateReader)>,
    st: &mut TicketStats,
) -> Result<(), CalibrateError> {
    let t0 = parse_stamp(created, rec, created_col, row, cols)?;
    let mut resolution_h = None;
    if let Some((c, r)) = solved.as_mut()
        && !rec.get(*c).unwrap_or("").trim().is_empty()
    {
        let t1 = parse_stamp(r, rec, *c, row, cols)?;
        let h = t1.seconds_since(&t0) as f64 / 3600.0;
        if h < 0.0 {
            return Err(bad_value(
                row,
                cols,
                *c,
                rec.get(*c).unwrap_or(""),
                &negative_duration(-h, &t0, &t1),
            ));
        }
        resolution_h = Some(h);
    }
    let work = match cols.get(Role::WorkTime) {
        Some(col) => duration(rec, col, row, cols)?,
        None => None,
    };
    let wait = match cols.get(Role::Wait) {
        Some(col) => duration(rec, col, row, cols)?,
        None => None,
    };
    let level = match cols
        .get(Role::Stations)
        .map(|c| (c, 0))
        .or(cols.get(Role::Reassignments).map(|c| (c, 1)))
    {
        Some(((c, _), add)) => {
            let v = rec.get(c).unwrap_or("").trim();
            if v.is_empty() {
                1
            } else {
                let n: u64 = v
                    .parse::<f64>()
                    .ok()
                    .filter(|x| *x >= 0.0 && x.fract() == 0.0)
                    .map(|x| x as u64)
                    .ok_or_else(|| bad_value(row, cols, c, v, "not a whole number >= 0"))?;
                (n + add).clamp(1, 3) as usize
            }
        }
        None => 1,
    };
    // Every cell read: count the ticket, unless it never was one for an agent.
    let fate = cols.fate_of_row(rec, wait);
    match fate {
        Fate::Phantom => {
            st.phantom += 1;
            return Ok(());
        }
        Fate::NeverQueued => {
            st.never_queued += 1;
            return Ok(());
        }
        Fate::Answered | Fate::Abandoned => {}
    }
    st.arrivals.add(t0.local, 1.0);
    let channel = cols.channel_of_row(rec);
    if let Some(ch) = st.channels.as_mut() {
        ch[channel] += 1;
    }
    if let (Some(p), Some((c, _))) = (st.priorities.as_mut(), cols.get(Role::Priority)) {
        match formats::priority_of(rec.get(c).unwrap_or("")) {
            Some(i) => p[i] += 1,
            None => {
                p[2] += 1;
                st.priority_unknown += 1;
            }
        }
    }
    if let (Some(segs), Some((c, _))) = (st.segments.as_mut(), cols.get(Role::Segment)) {
        let raw = rec.get(c).unwrap_or("").trim();
        let mut name = formats::segment_name(raw);
        // Past the tracked values (an id column mapped as the segment), new values are
        // counted as `other`: memory and the search per row stay bounded.
        let folded = segs.len() >= TRACKED_SEGMENTS && !segs.iter().any(|(n, _)| *n == name);
        if folded {
            name = "other".into();
        }
        // `segment_spellings` runs parallel to `segs`: one search finds both.
        let i = match segs.iter().position(|(n, _)| *n == name) {
            Some(i) => i,
            None => {
                segs.push((name, 0));
                st.segment_spellings.push(Vec::new());
                segs.len() - 1
            }
        };
        segs[i].1 += 1;
        if !folded {
            note_spelling(&mut st.segment_spellings[i], raw);
        }
    }
    if let Some((l, _)) = st.levels.as_mut() {
        l[level - 1] += 1;
    }
    if let Some(w) = st.work.as_mut() {
        match work {
            Some(x) if x > 0.0 => {
                w[TicketStats::work_index(level, channel)].push(x);
                w[TicketStats::level_index(level)].push(x);
            }
            _ => st.work_missing += 1,
        }
    }
    if let (Some(ws), Some(t)) = (st.waits.as_mut(), wait)
        && channel > 0
    {
        ws[channel - 1].push(t, fate == Fate::Abandoned);
    }
    if let (Some(r), Some(h)) = (st.resolution.as_mut(), resolution_h) {
        r.push(h);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_comma_separated_export_needs_no_note() {
        assert_eq!(delimiter_note(b','), None);
    }
}
