//! `supportsim calibrate`: a scenario fitted to a ticket export or an interval report.
//!
//! ```text
//! EXPORT.csv ─csv (streamed)─► tickets / intervals ─► accum (counts, sums, reservoirs)
//!                                                        │
//!          arrivals (Poisson regression: volume, growth, weekday; gamma CV; hour shares)
//!          durations (lognormal / gamma MLE + KS; Kaplan-Meier patience) · mix shares
//!                                                        ▼
//!                                 writer: a commented scenario TOML
//! ```
//!
//! `formats` holds each tool's column names and value vocabularies, `dates` reads their
//! timestamps, `synth` writes synthetic exports from known parameters (the tests' ground truth).

pub mod accum;
pub mod arrivals;
pub mod dates;
pub mod durations;
pub mod error;
pub mod formats;
pub mod history;
pub mod intervals;
mod joined;
mod linalg;
pub mod synth;
pub mod tickets;
pub mod writer;

pub use dates::DateOrder;

/// The channels calibrate maps every tool's vocabulary onto (via, source, contact type), in
/// the index order of the scenario's default channels ([`crate::scenario::DEFAULT_CHANNELS`]),
/// which is what the written scenario declares by leaving `channel_kinds` out.
pub const CHANNELS: [&str; 3] = ["email", "chat", "phone"];
pub use error::CalibrateError;
pub use formats::Format;

use accum::TicketStats;
use arrivals::{ArrivalFit, Est};
use durations::{DurationFit, PatienceFit};
use intervals::IntervalStats;
use jiff::tz::TimeZone;
use std::io::Read;

/// What `calibrate` was asked.
#[derive(Debug, Clone)]
pub struct Options {
    /// Export format.
    pub format: Format,
    /// `--map` entries (role, column).
    pub map: Vec<(String, String)>,
    /// Zone of the profiles; civil timestamps are read in it.
    pub tz: TimeZone,
    /// Its IANA name (written as `demand.timezone`).
    pub tz_name: String,
    /// Whether `--timezone` was given (else UTC, with a note).
    pub tz_given: bool,
    /// Day/month order of numeric dates.
    pub dates: DateOrder,
    /// Bad rows skipped (each listed in the notes, up to 10) before giving up.
    pub max_bad_rows: u64,
    /// `--duration-unit`: the unit of plain numbers in the work, wait and AHT columns,
    /// whatever their names say; `None` reads the unit a column's name states, else the
    /// format's.
    pub duration_unit: Option<formats::Unit>,
    /// `--channel`: the channel of every contact (index into [`CHANNELS`]), for exports of one
    /// channel without a channel column (an ACD's calls); `None` reads the channel column.
    pub channel: Option<usize>,
    /// Scenario name.
    pub name: String,
    /// The export's file name, for the comments.
    pub source: String,
}

impl Options {
    /// Options for `format` with defaults: UTC, automatic date order, no bad rows allowed.
    pub fn new(format: Format) -> Options {
        Options {
            format,
            map: Vec::new(),
            tz: TimeZone::UTC,
            tz_name: "UTC".into(),
            tz_given: false,
            dates: DateOrder::Auto,
            max_bad_rows: 0,
            duration_unit: None,
            channel: None,
            name: "calibrated".into(),
            source: "export".into(),
        }
    }

    /// Sets the profile zone.
    ///
    /// # Errors
    /// [`CalibrateError::BadTimezone`] for an unknown zone.
    pub fn with_timezone(mut self, name: &str) -> Result<Options, CalibrateError> {
        self.tz = dates::zone(name)?;
        self.tz_name = name.to_string();
        self.tz_given = true;
        Ok(self)
    }
}

/// Counts bad rows; fails past the allowance with the first one's error.
pub(crate) struct BadRows {
    allowed: u64,
    /// Bad rows so far.
    pub count: u64,
    first: Option<CalibrateError>,
}

/// A [`BadRows`] allowing `allowed` bad rows.
pub(crate) fn bad_row_guard(allowed: u64) -> BadRows {
    BadRows {
        allowed,
        count: 0,
        first: None,
    }
}

impl BadRows {
    /// Records a bad row: an error past the allowance, else a note (the first 10).
    pub fn bad(
        &mut self,
        e: CalibrateError,
        notes: &mut Vec<String>,
    ) -> Result<(), CalibrateError> {
        self.count += 1;
        if self.count > self.allowed {
            return Err(match self.first.take() {
                None => e,
                Some(first) => CalibrateError::TooManyBadRows {
                    count: self.count,
                    allowed: self.allowed,
                    first: Box::new(first),
                },
            });
        }
        if self.count <= 10 {
            notes.push(format!("skipped bad row: {e}"));
        }
        if self.first.is_none() {
            self.first = Some(e);
        }
        Ok(())
    }

    /// The first bad row's error.
    pub fn into_first(self) -> Option<CalibrateError> {
        self.first
    }
}

/// What was read.
#[derive(Debug, Clone)]
pub enum Input {
    /// A ticket export.
    Tickets(Box<TicketStats>),
    /// An interval report.
    Intervals(Box<IntervalStats>),
}

/// One work-time fit: level 1..3, channel (index into [`CHANNELS`], `None` = all).
#[derive(Debug, Clone)]
pub struct WorkCell {
    /// Required level of the tickets.
    pub level: usize,
    /// Channel, `None` for every channel of the level.
    pub channel: Option<usize>,
    /// The fit.
    pub fit: DurationFit,
}

/// The whole calibration.
#[derive(Debug, Clone)]
pub struct Calibration {
    /// What was read.
    pub input: Input,
    /// Volume, growth, weekday, dispersion, hours.
    pub arrivals: ArrivalFit,
    /// Work-time fits with at least 30 tickets.
    pub work: Vec<WorkCell>,
    /// Patience of chat (0) and phone (1), where abandoned contacts exist.
    pub patience: [Option<PatienceFit>; 2],
    /// Notes: assumptions and skipped rows.
    pub notes: Vec<String>,
}

impl Calibration {
    /// The work-time fit of a level and channel.
    pub fn work_fit(&self, level: usize, channel: Option<usize>) -> Option<&DurationFit> {
        self.work
            .iter()
            .find(|w| w.level == level && w.channel == channel)
            .map(|w| &w.fit)
    }
}

/// Tickets needed for a work-time fit of its own.
pub const MIN_WORK_SAMPLES: u64 = 30;

/// Reads an export and fits everything.
///
/// # Errors
/// Any [`CalibrateError`]: unreadable or malformed export, missing columns, too little history.
pub fn calibrate<R: Read>(input: R, opts: &Options) -> Result<Calibration, CalibrateError> {
    let input = match opts.format {
        Format::Intervals => Input::Intervals(Box::new(intervals::read_intervals(input, opts)?)),
        _ => Input::Tickets(Box::new(tickets::read_tickets(input, opts)?)),
    };
    let (counts, mut notes) = match &input {
        Input::Tickets(t) => (&t.arrivals, t.notes.clone()),
        Input::Intervals(i) => (&i.arrivals, i.notes.clone()),
    };
    let arrivals = arrivals::fit(counts)?;
    let mut work = Vec::new();
    let mut patience = [None, None];
    if let Input::Tickets(t) = &input {
        if let Some(w) = &t.work {
            for level in 1..=3 {
                for channel in (0..3).map(Some).chain([None]) {
                    let d = match channel {
                        Some(c) => &w[TicketStats::work_index(level, c)],
                        None => &w[TicketStats::level_index(level)],
                    };
                    if d.n >= MIN_WORK_SAMPLES
                        && let Some(fit) = durations::fit(d)
                    {
                        work.push(WorkCell {
                            level,
                            channel,
                            fit,
                        });
                    }
                }
            }
        }
        if let Some(ws) = &t.waits {
            patience = [durations::patience(&ws[0]), durations::patience(&ws[1])];
        }
        if t.priority_unknown > 0 {
            notes.push(format!(
                "{} tickets had a blank or unknown priority and count as P3",
                t.priority_unknown
            ));
        }
    }
    Ok(Calibration {
        input,
        arrivals,
        work,
        patience,
        notes,
    })
}

/// Shares of counts with binomial standard errors.
pub fn shares(counts: &[u64]) -> Vec<Est> {
    let n: u64 = counts.iter().sum();
    counts
        .iter()
        .map(|&k| {
            let p = if n == 0 { 0.0 } else { k as f64 / n as f64 };
            Est {
                value: p,
                se: if n == 0 {
                    0.0
                } else {
                    (p * (1.0 - p) / n as f64).sqrt()
                },
            }
        })
        .collect()
}
