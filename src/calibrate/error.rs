//! Why an export could not be calibrated: every error names the file's row and column where
//! one is to blame, and says how to fix it.

use crate::format::CsvRow;

/// A calibration failure.
#[derive(Debug, thiserror::Error)]
pub enum CalibrateError {
    /// The export could not be read.
    #[error("cannot read the export: {0}")]
    Io(#[from] std::io::Error),
    /// The CSV layer failed (bad quoting, invalid UTF-8, ...).
    #[error("{row}: malformed CSV: {message}")]
    Csv {
        /// Where in the file.
        row: CsvRow,
        /// What the CSV reader said.
        message: String,
    },
    /// The file has no header or no data row.
    #[error("the export is empty: {0}")]
    Empty(&'static str),
    /// A column the format needs is not in the header.
    #[error(
        "no column {wanted} for {role} ({format} export); the header has: {found}. \
         Name the column with --map {role}=COLUMN"
    )]
    MissingColumn {
        /// The export format.
        format: &'static str,
        /// What the column is used for (`created`, `offered`, ...).
        role: &'static str,
        /// The names that were looked for.
        wanted: String,
        /// The header as found (first columns).
        found: String,
    },
    /// `--map` names a column that is not in the header, or an unknown role.
    #[error("--map {0}")]
    BadMapping(String),
    /// A timestamp could not be read.
    #[error("{row}, column {column:?}: cannot read {value:?} as a date and time ({hint})")]
    BadDate {
        /// Where in the file.
        row: CsvRow,
        /// Column name.
        column: String,
        /// The value.
        value: String,
        /// The formats tried, or what to pass.
        hint: String,
    },
    /// Day-first and month-first readings both fit every sampled date.
    #[error(
        "column {column:?}: dates like {example:?} read both day-first and month-first; \
         pass --dates day-first or --dates month-first"
    )]
    AmbiguousDates {
        /// Column name.
        column: String,
        /// One of the ambiguous values.
        example: String,
    },
    /// A number (count, duration) could not be read or is out of range.
    #[error("{row}, column {column:?}: {message} (value {value:?})")]
    BadValue {
        /// Where in the file.
        row: CsvRow,
        /// Column name.
        column: String,
        /// The value.
        value: String,
        /// What is wrong.
        message: String,
    },
    /// More rows were bad than `--max-bad-rows` allows.
    #[error("{count} bad rows, more than --max-bad-rows {allowed}; the first: {first}")]
    TooManyBadRows {
        /// Bad rows seen when giving up.
        count: u64,
        /// The allowance.
        allowed: u64,
        /// The first bad row's error.
        first: Box<CalibrateError>,
    },
    /// `--timezone` is not an IANA zone.
    #[error("--timezone {name:?} is not an IANA time zone: {message}")]
    BadTimezone {
        /// The name given.
        name: String,
        /// jiff's message.
        message: String,
    },
    /// A fitted handle time no pool can be sized for (every AHT 0, or beyond a week).
    #[error(
        "column {column:?}: the handled-weighted mean handle time is {} min; a scenario needs one above 0 and at most a week (10080 min): check the column and its unit (--duration-unit seconds, minutes or hours), or map another with --map aht=COLUMN",
        crate::format::Num(*.aht_min)
    )]
    ImplausibleAht {
        /// The AHT column's header.
        column: String,
        /// The mean found [minutes].
        aht_min: f64,
    },
    /// The export spans too little time to fit the named quantity.
    #[error("too little history: {0}")]
    TooShort(String),
    /// The history has a long stretch without any ticket (a stray row with a wrong date).
    #[error(
        "the history has no tickets for {days} days, from {after} to {before}: volume and growth cannot be fitted across that gap. {small} ticket(s) lie {side} it (a stray row with a wrong date?); remove them, or export only the period to model"
    )]
    Gap {
        /// Days without tickets.
        days: i64,
        /// The last day with tickets before the gap.
        after: jiff::civil::Date,
        /// The first day with tickets after it.
        before: jiff::civil::Date,
        /// Tickets on the smaller side.
        small: u64,
        /// "before" or "after".
        side: &'static str,
    },
}

impl CalibrateError {
    /// The record an error is about, if any.
    pub fn row(&self) -> Option<CsvRow> {
        match self {
            CalibrateError::Csv { row, .. }
            | CalibrateError::BadDate { row, .. }
            | CalibrateError::BadValue { row, .. } => Some(*row),
            _ => None,
        }
    }
}
