//! A ticket export read ticket by ticket, for `supportsim backtest`: each row's creation
//! instant, priority, segment, first-response and resolution times, handed to a callback (one
//! pass, nothing held), with the same column mappings, date handling and bad-row rules as
//! `calibrate`.
//!
//! The first response is the `wait` role's column (Zendesk `First reply time in minutes`,
//! Freshdesk `First response time (in hrs)`, generic `wait_min`), unless the `abandoned`
//! column marks the contact as abandoned; the resolution time is `solved - created`.

use super::error::CalibrateError;
use super::formats::{self, Role};
use super::tickets::{Opened, bad_value, duration, open_export, parse_stamp};
use super::{Options, bad_row_guard};
use jiff::Timestamp;
use std::io::Read;

/// One ticket of the history.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryTicket {
    /// Creation instant.
    pub created: Timestamp,
    /// Priority index (0 = P1); a blank or unknown priority, or no priority column, is P3.
    pub priority: usize,
    /// Segment name (as `calibrate` writes it), when the export has a segment column.
    pub segment: Option<String>,
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
    /// Notes (skipped rows, zone assumptions).
    pub notes: Vec<String>,
}

/// Streams the export, calling `f` on each readable ticket.
///
/// # Errors
/// As `calibrate`: no creation column, an empty file, ambiguous dates, a bad row beyond
/// `--max-bad-rows` (naming its row and column).
pub fn each_ticket<R: Read>(
    input: R,
    opts: &Options,
    mut f: impl FnMut(&HistoryTicket),
) -> Result<HistorySummary, CalibrateError> {
    let Opened {
        input,
        header,
        cols,
        created_col,
        mut created,
        mut solved,
    } = open_export(input, opts)?;
    let mut sum = HistorySummary {
        has_first_response: cols.get(Role::Wait).is_some(),
        has_resolution: solved.is_some(),
        ..HistorySummary::default()
    };
    let mut guard = bad_row_guard(opts.max_bad_rows);
    let mut rdr = csv::ReaderBuilder::new().from_reader(input);
    let mut rec = csv::StringRecord::new();
    let width = header.len();
    let mut good = 0u64;
    loop {
        match rdr.read_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let row = e.position().map_or(0, |p| p.line());
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
        let row = rec.position().map_or(sum.rows + 1, |p| p.line());
        if rec.len() != width {
            continue;
        }
        let t = (|| -> Result<HistoryTicket, CalibrateError> {
            let t0 = parse_stamp(&mut created, &rec, created_col, row, &cols)?;
            let mut resolution_min = None;
            if let Some((c, r)) = solved.as_mut()
                && !rec.get(*c).unwrap_or("").trim().is_empty()
            {
                let t1 = parse_stamp(r, &rec, *c, row, &cols)?;
                let m = (t1.ts.as_second() - t0.ts.as_second()) as f64 / 60.0;
                if m < 0.0 {
                    return Err(bad_value(
                        row,
                        &cols,
                        *c,
                        rec.get(*c).unwrap_or(""),
                        "negative duration: solved before it was created",
                    ));
                }
                resolution_min = Some(m);
            }
            let wait = match cols.get(Role::Wait) {
                Some(col) => duration(&rec, col, row, &cols)?,
                None => None,
            };
            let abandoned = cols
                .get(Role::Abandoned)
                .is_some_and(|(c, _)| formats::truthy(rec.get(c).unwrap_or("")));
            Ok(HistoryTicket {
                created: t0.ts,
                priority: cols
                    .get(Role::Priority)
                    .and_then(|(c, _)| formats::priority_of(rec.get(c).unwrap_or("")))
                    .unwrap_or(2),
                segment: cols
                    .get(Role::Segment)
                    .map(|(c, _)| formats::segment_name(rec.get(c).unwrap_or(""))),
                first_response_min: wait.filter(|_| !abandoned),
                resolution_min,
            })
        })();
        match t {
            Ok(t) => {
                good += 1;
                f(&t);
            }
            Err(e) => guard.bad(e, &mut sum.notes)?,
        }
    }
    sum.bad_rows = guard.count;
    if good == 0 {
        return Err(guard
            .into_first()
            .unwrap_or(CalibrateError::Empty("a header but no data rows")));
    }
    Ok(sum)
}
