//! A ticket export read ticket by ticket, for `supportsim backtest`: each row's creation
//! instant, priority, segment, first-response and resolution times, handed to a callback (one
//! pass, nothing held), with the same column mappings, date handling and bad-row rules as
//! `calibrate`.
//!
//! The first response is the `wait` role's column (Zendesk `First reply time in minutes`,
//! Freshdesk `First response time (in hrs)`, generic `wait_min`), unless the `abandoned`
//! column marks the contact as abandoned; the resolution time is `solved - created`.

use super::error::CalibrateError;
use super::formats::{self, Fate, Role};
use super::tickets::{Opened, bad_value, duration, negative_duration, open_export, parse_stamp};
use super::{Options, bad_row_guard};
use crate::format::CsvRow;
use jiff::Timestamp;
use std::io::Read;

/// One ticket of the history.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryTicket {
    /// Creation instant.
    pub created: Timestamp,
    /// Index into the scenario's priorities (see [`each_ticket`]); a blank or unknown
    /// priority, or no priority column, is the third (the last, in a file with fewer).
    pub priority: usize,
    /// Index into the scenario's segments (see [`each_ticket`]); the first when the export
    /// has no segment column or the scenario no such segment.
    pub segment: usize,
    /// First response [minutes after creation], when the export has one for this ticket.
    pub first_response_min: Option<f64>,
    /// Resolution [minutes after creation], when the ticket was solved.
    pub resolution_min: Option<f64>,
}

/// What the pass found besides the tickets.
#[derive(Debug, Clone, Default)]
pub struct HistorySummary {
    /// Rows read.
    pub rows: u64,
    /// Bad rows skipped.
    pub bad_rows: u64,
    /// Whether the export has a first-response column.
    pub has_first_response: bool,
    /// Whether the export has a solved column.
    pub has_resolution: bool,
    /// Tickets whose priority cell was blank or unknown (counted as the third priority); 0
    /// without a priority column.
    pub priority_unknown: u64,
    /// Tickets whose segment the scenario does not define (counted as its first).
    pub segment_unknown: u64,
    /// Notes (skipped rows, zone assumptions, unknown priorities).
    pub notes: Vec<String>,
}

/// Streams the export, calling `f` on each readable ticket. `priorities` are the scenario's
/// priority names, most urgent first: an export's priority is read as one of them by name,
/// else by the tool's rank (urgent/high/normal/low, `1 - Critical`, ...; see
/// [`formats::priority_in`]). `segments` are the scenario's segment names: an export's
/// segment (lower-cased by [`formats::segment_name`]) is one of them ignoring case, else the
/// first.
///
/// # Errors
/// As `calibrate`: no creation column, an empty file, ambiguous dates, a bad row beyond
/// `--max-bad-rows` (naming its row and column).
pub fn each_ticket<R: Read>(
    input: R,
    opts: &Options,
    priorities: &[String],
    segments: &[String],
    mut f: impl FnMut(&HistoryTicket),
) -> Result<HistorySummary, CalibrateError> {
    let unknown_priority = 2.min(priorities.len().saturating_sub(1));
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
    let mut sum = HistorySummary {
        has_first_response: cols.get(Role::Wait).is_some(),
        has_resolution: solved.is_some(),
        notes: cols.notes.clone(),
        ..HistorySummary::default()
    };
    let has_priority = cols.get(Role::Priority).is_some();
    // Up to five of the segment names the scenario does not define, for the note.
    let mut unknown_segments: Vec<String> = Vec::new();
    let mut guard = bad_row_guard(opts.max_bad_rows);
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(input);
    let mut rec = csv::StringRecord::new();
    let mut good = 0u64;
    let mut left_out = 0u64;
    loop {
        match rdr.read_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let row = CsvRow::at(e.position(), sum.rows + 1);
                guard.bad(
                    CalibrateError::Csv {
                        row,
                        message: e.to_string(),
                    },
                    &mut sum.notes,
                )?;
                sum.rows += 1;
                continue;
            }
        }
        sum.rows += 1;
        let row = CsvRow::at(rec.position(), sum.rows);
        if rec.len() != width {
            continue;
        }
        joins.extend(&mut rec);
        // `None`: a row that was not a contact for an agent (see `Fate`).
        let t = (|| -> Result<Option<(HistoryTicket, Option<String>)>, CalibrateError> {
            let t0 = parse_stamp(&mut created, &rec, created_col, row, &cols)?;
            let mut resolution_min = None;
            if let Some((c, r)) = solved.as_mut()
                && !rec.get(*c).unwrap_or("").trim().is_empty()
            {
                let t1 = parse_stamp(r, &rec, *c, row, &cols)?;
                let m = t1.seconds_since(&t0) as f64 / 60.0;
                if m < 0.0 {
                    return Err(bad_value(
                        row,
                        &cols,
                        *c,
                        rec.get(*c).unwrap_or(""),
                        &negative_duration(-m / 60.0, &t0, &t1),
                    ));
                }
                resolution_min = Some(m);
            }
            let wait = match cols.get(Role::Wait) {
                Some(col) => duration(&rec, col, row, &cols)?,
                None => None,
            };
            let fate = cols.fate_of_row(&rec, wait);
            if matches!(fate, Fate::Phantom | Fate::NeverQueued) {
                return Ok(None);
            }
            let abandoned = fate == Fate::Abandoned;
            // The scenario's segment, or the export's name when the scenario has none such.
            let segment = cols.get(Role::Segment).map(|(c, _)| {
                let name = formats::segment_name(rec.get(c).unwrap_or(""));
                segments
                    .iter()
                    .position(|s| s.eq_ignore_ascii_case(&name))
                    .ok_or(name)
            });
            Ok(Some((
                HistoryTicket {
                    created: t0.ts,
                    priority: cols
                        .get(Role::Priority)
                        .and_then(|(c, _)| {
                            formats::priority_in(rec.get(c).unwrap_or(""), priorities)
                        })
                        .unwrap_or(usize::MAX),
                    segment: match &segment {
                        Some(Ok(k)) => *k,
                        _ => 0,
                    },
                    first_response_min: wait.filter(|_| !abandoned),
                    resolution_min,
                },
                segment.and_then(Result::err),
            )))
        })();
        match t {
            Ok(None) => left_out += 1,
            Ok(Some((mut t, unknown_segment))) => {
                good += 1;
                if t.priority == usize::MAX {
                    t.priority = unknown_priority;
                    sum.priority_unknown += u64::from(has_priority);
                }
                if let Some(name) = unknown_segment {
                    sum.segment_unknown += 1;
                    if unknown_segments.len() < 5 && !unknown_segments.contains(&name) {
                        unknown_segments.push(name);
                    }
                }
                f(&t);
            }
            Err(e) => guard.bad(e, &mut sum.notes)?,
        }
    }
    sum.bad_rows = guard.count;
    if left_out > 0 {
        sum.notes.push(format!(
            "{left_out} rows are left out as not contacts for an agent (the outcome PHANTOM, or \
             marked abandoned with a wait of 0 s), as calibrate leaves them out"
        ));
    }
    if sum.priority_unknown > 0 {
        sum.notes.push(format!(
            "{} tickets had a blank or unknown priority and count as {}",
            sum.priority_unknown,
            priorities
                .get(unknown_priority)
                .map_or("the third", String::as_str)
        ));
    }
    if sum.segment_unknown > 0 && segments.len() > 1 {
        sum.notes.push(format!(
            "{} tickets had a segment the scenario does not define (such as {}) and count as {}",
            sum.segment_unknown,
            unknown_segments.join(", "),
            segments[0]
        ));
    }
    if good == 0 {
        return Err(guard
            .into_first()
            .unwrap_or(CalibrateError::Empty("a header but no data rows")));
    }
    Ok(sum)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calibrate::formats::Format;

    /// The priorities `each_ticket` reads from a generic export `csv`, and its summary.
    fn read_csv(csv: &str, names: &[&str]) -> (Vec<usize>, HistorySummary) {
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let mut got = Vec::new();
        let segments = ["all".to_string()];
        let sum = each_ticket(
            csv.as_bytes(),
            &Options::new(Format::Generic),
            &names,
            &segments,
            |t| got.push(t.priority),
        )
        .unwrap();
        (got, sum)
    }

    /// The priorities read from a priority column holding `values`, and the summary.
    fn read(values: &[&str], names: &[&str]) -> (Vec<usize>, HistorySummary) {
        let mut csv = String::from("created,priority\n");
        for (i, v) in values.iter().enumerate() {
            csv.push_str(&format!("2025-09-01T0{i}:00:00Z,{v}\n"));
        }
        read_csv(&csv, names)
    }

    #[test]
    fn priorities_are_read_by_the_scenario_s_names_then_by_the_tool_s_rank() {
        let (got, sum) = read(
            &["SEV1", "sev3", "urgent", "Low", "", "weird"],
            &["sev1", "sev2", "sev3"],
        );
        assert_eq!(got, [0, 2, 0, 2, 2, 2]);
        assert_eq!(sum.priority_unknown, 2);
        assert!(
            sum.notes
                .iter()
                .any(|n| n == "2 tickets had a blank or unknown priority and count as sev3"),
            "{:?}",
            sum.notes
        );
    }

    #[test]
    fn default_priorities_read_as_before_and_a_short_list_takes_its_last() {
        let (got, sum) = read(
            &["P1", "high", "1 - Critical", "p5", "?"],
            &["P1", "P2", "P3", "P4"],
        );
        assert_eq!(got, [0, 1, 0, 3, 2]);
        assert_eq!(sum.priority_unknown, 1);
        let (got, _) = read(&["normal", "?", "urgent"], &["only"]);
        assert_eq!(got, [0, 0, 0]);
    }

    #[test]
    fn without_a_priority_column_every_ticket_is_the_third_and_none_is_unknown() {
        let (got, sum) = read_csv(
            "created\n2025-09-01T00:00:00Z\n2025-09-01T01:00:00Z\n",
            &["a", "b", "c", "d"],
        );
        assert_eq!(got, [2, 2]);
        assert_eq!(sum.priority_unknown, 0);
        assert!(
            sum.notes.iter().all(|n| !n.contains("priority")),
            "{:?}",
            sum.notes
        );
    }

    #[test]
    fn phantom_and_never_queued_rows_are_left_out_as_calibrate_leaves_them_out() {
        let csv = "created,channel,wait_sec,abandoned\n\
                   2025-09-01T00:00:00Z,phone,30,0\n\
                   2025-09-01T01:00:00Z,phone,0,HANG\n\
                   2025-09-01T02:00:00Z,phone,12,PHANTOM\n\
                   2025-09-01T03:00:00Z,phone,45,HANG\n";
        let mut opts = Options::new(Format::Generic);
        opts.map = formats::parse_map(&["wait=wait_sec".to_string()]).unwrap();
        let mut got = Vec::new();
        let sum = each_ticket(csv.as_bytes(), &opts, &[], &["all".to_string()], |t| {
            got.push(t.first_response_min)
        })
        .unwrap();
        assert_eq!(
            got,
            [Some(0.5), None],
            "answered at 30 s; abandoned after 45 s"
        );
        assert!(
            sum.notes
                .iter()
                .any(|n| n.starts_with("2 rows are left out")),
            "{:?}",
            sum.notes
        );
    }
}
