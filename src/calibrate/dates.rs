//! Timestamps as support tools write them: ISO 8601 with or without an offset or zone,
//! `2024-01-12 15:45:10` in the account's zone, `12/Jan/24 3:45 PM` (Jira), `01/12/2024
//! 3:45 PM` (US) or `12/01/2024 15:45` (day first), with an optional trailing offset.
//!
//! Dates are read with `jiff` (already the scenario's time-zone library, with the IANA
//! database bundled, so a calibrated zone and a simulated zone are the same rules). Values
//! with an offset are instants converted to the profile zone; values without one are civil
//! times in that zone. Whether `03/04/2024` is 3 April or 4 March is decided once per column
//! from a sample of its values (a value above 12 settles it), or by `--dates`.

use super::error::CalibrateError;
use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::fmt::strtime;
use jiff::tz::TimeZone;

/// How to read numeric dates with slashes, dots or dashes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateOrder {
    /// Decide from the column's values; refuse when they fit both readings.
    #[default]
    Auto,
    /// `DD/MM/YYYY`.
    DayFirst,
    /// `MM/DD/YYYY`.
    MonthFirst,
}

/// A timestamp read from an export: the instant and its local time in the profile zone.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stamp {
    /// Local civil time in the profile zone.
    pub local: DateTime,
    /// The instant.
    pub ts: Timestamp,
    /// The other reading of a civil time in an hour the clocks repeated (autumn: `ts` is the
    /// earlier reading, this the later) or skipped (spring: `ts` moves forward by the gap, as
    /// jiff's `compatible`, this moves back); `None` for every other value.
    pub alt: Option<Timestamp>,
}

impl Stamp {
    /// Seconds from `start` to this stamp. When the first readings put this stamp before
    /// `start` and either is a civil time in a repeated or skipped hour, the other readings
    /// are tried, and the shortest non-negative span is taken: a ticket created at 01:50 and
    /// solved at 01:10 on the fall-back night was solved in the second 01:00 hour, 20 minutes
    /// later; one created at 02:30 on the spring-forward night (a time that did not exist)
    /// and solved at 03:10 was created at 01:30 by the clock before the change, 40 minutes
    /// before.
    pub fn seconds_since(&self, start: &Stamp) -> i64 {
        let span = |a: Timestamp, b: Timestamp| a.as_second() - b.as_second();
        let first = span(self.ts, start.ts);
        if first >= 0 {
            return first;
        }
        [
            self.alt.map(|s| span(s, start.ts)),
            start.alt.map(|c| span(self.ts, c)),
            self.alt.zip(start.alt).map(|(s, c)| span(s, c)),
        ]
        .into_iter()
        .flatten()
        .filter(|x| *x >= 0)
        .min()
        .unwrap_or(first)
    }

    /// Whether either stamp is a civil time in a repeated or skipped hour, for the message
    /// of a negative duration.
    pub fn either_ambiguous(&self, other: &Stamp) -> bool {
        self.alt.is_some() || other.alt.is_some()
    }
}

/// One way of reading a value; the last one that worked is tried first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// RFC 3339 / ISO 8601 with `Z` or an offset (jiff's `Timestamp` parser).
    Instant,
    /// ISO 8601 with an IANA zone in brackets.
    Zoned,
    /// ISO 8601 without offset: civil time in the profile zone.
    Civil,
    /// A `strptime` pattern (index into the reader's list).
    Pattern(usize),
}

/// Reads one column's timestamps.
#[derive(Debug, Clone)]
pub struct DateReader {
    tz: TimeZone,
    patterns: Vec<String>,
    last: Kind,
    /// Values that carried an offset or zone.
    pub with_offset: u64,
    /// Values that were civil times (read in the profile zone).
    pub civil: u64,
}

const DATES_ANY: [&str; 13] = [
    "%Y-%m-%d",
    // Compact ISO 8601 (`20240112`), as telephony and WFM reports write it, and its
    // two-digit-year form (`990101`, as ACD call logs such as the Technion bank data write
    // it; `%y` reads 69-99 as 19xx). A day-first `DDMMYY` column read this way puts its days
    // years apart, so the history's 90-day gap check refuses it rather than fitting it.
    "%Y%m%d",
    "%y%m%d",
    "%Y/%m/%d",
    "%d/%b/%y",
    "%d/%b/%Y",
    "%d-%b-%Y",
    "%d-%b-%y",
    "%d %b %Y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%d %B %Y",
    "%d.%m.%Y",
];
const DATES_DAY_FIRST: [&str; 3] = ["%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y"];
const DATES_MONTH_FIRST: [&str; 3] = ["%m/%d/%Y", "%m/%d/%y", "%m-%d-%Y"];
const TIMES: [&str; 7] = [
    " %H:%M:%S%.f",
    " %H:%M",
    " %I:%M:%S %p",
    " %I:%M %p",
    " %I:%M%p",
    "T%H:%M:%S%.f",
    "",
];
const ZONES: [&str; 3] = ["", " %z", " %:z"];

impl DateReader {
    /// A reader for `order` (`Auto` reads like `MonthFirst` until [`DateReader::sniff`] decides).
    pub fn new(order: DateOrder, tz: TimeZone) -> DateReader {
        let numeric: &[&str] = match order {
            DateOrder::DayFirst => &DATES_DAY_FIRST,
            _ => &DATES_MONTH_FIRST,
        };
        let mut patterns = Vec::new();
        for d in DATES_ANY.iter().chain(numeric) {
            for t in TIMES {
                for z in ZONES {
                    if t.is_empty() && !z.is_empty() {
                        continue;
                    }
                    patterns.push(format!("{d}{t}{z}"));
                }
            }
        }
        DateReader {
            tz,
            patterns,
            last: Kind::Instant,
            with_offset: 0,
            civil: 0,
        }
    }

    /// Decides the day/month order of a column from sample values.
    ///
    /// # Errors
    /// [`CalibrateError::AmbiguousDates`] when both readings fit every sample and give
    /// different dates for some.
    pub fn sniff(
        order: DateOrder,
        tz: &TimeZone,
        column: &str,
        samples: &[String],
    ) -> Result<DateReader, CalibrateError> {
        if order != DateOrder::Auto {
            return Ok(DateReader::new(order, tz.clone()));
        }
        let mut day = DateReader::new(DateOrder::DayFirst, tz.clone());
        let mut month = DateReader::new(DateOrder::MonthFirst, tz.clone());
        let mut day_ok = true;
        let mut month_ok = true;
        let mut differs = None;
        for s in samples.iter().filter(|s| !s.trim().is_empty()) {
            let (d, m) = (day.parse(s), month.parse(s));
            day_ok &= d.is_some();
            month_ok &= m.is_some();
            if d.is_some() && m.is_some() && d != m && differs.is_none() {
                differs = Some(s.clone());
            }
        }
        let pick = match (day_ok, month_ok) {
            (true, false) => DateOrder::DayFirst,
            (false, true) => DateOrder::MonthFirst,
            (true, true) => {
                if let Some(example) = differs {
                    return Err(CalibrateError::AmbiguousDates {
                        column: column.to_string(),
                        example,
                    });
                }
                DateOrder::MonthFirst
            }
            // Neither reads every sample: read month first and let the bad row be reported.
            (false, false) => DateOrder::MonthFirst,
        };
        Ok(DateReader::new(pick, tz.clone()))
    }

    /// Reads one value; `None` when no known form fits.
    pub fn parse(&mut self, value: &str) -> Option<Stamp> {
        let v = value.trim();
        if v.is_empty() {
            return None;
        }
        // A trailing " UTC" (some exports) is the zero offset.
        let (v, utc) = match v.strip_suffix(" UTC") {
            Some(rest) => (rest, true),
            None => (v, false),
        };
        if let Some(s) = self.try_kind(self.last, v, utc) {
            return Some(s);
        }
        let kinds = [Kind::Instant, Kind::Zoned, Kind::Civil]
            .into_iter()
            .chain((0..self.patterns.len()).map(Kind::Pattern));
        for k in kinds {
            if k == self.last {
                continue;
            }
            if let Some(s) = self.try_kind(k, v, utc) {
                self.last = k;
                return Some(s);
            }
        }
        None
    }

    fn try_kind(&mut self, kind: Kind, v: &str, utc: bool) -> Option<Stamp> {
        let ((ts, alt), zoned) = match kind {
            Kind::Instant if !utc => ((v.parse::<Timestamp>().ok()?, None), true),
            Kind::Zoned if !utc => ((v.parse::<jiff::Zoned>().ok()?.timestamp(), None), true),
            Kind::Instant | Kind::Zoned => return None,
            Kind::Civil => {
                // jiff's civil parser would accept and drop a trailing offset: refuse those here
                // (the `Instant` kind reads them).
                if has_offset(v) || v.contains('[') {
                    return None;
                }
                let dt = v.parse::<DateTime>().ok()?;
                (self.instant_of(dt, utc)?, utc)
            }
            Kind::Pattern(i) => {
                // `%m` and `%d` take one digit too: a compact date is exactly 8 (or 6) digits,
                // so `2024011` (a typo, or an id column) is not 11 January.
                let digits = match &self.patterns[i] {
                    p if p.starts_with("%Y%m%d") => 8,
                    p if p.starts_with("%y%m%d") => 6,
                    _ => 0,
                };
                if digits > 0 {
                    let b = v.as_bytes();
                    if b.len() < digits
                        || !b[..digits].iter().all(u8::is_ascii_digit)
                        || b.get(digits).is_some_and(u8::is_ascii_digit)
                    {
                        return None;
                    }
                }
                let tm = strtime::parse(&self.patterns[i], v).ok()?;
                match tm.offset() {
                    Some(_) => ((tm.to_timestamp().ok()?, None), true),
                    None => (self.instant_of(tm.to_datetime().ok()?, utc)?, utc),
                }
            }
        };
        if zoned {
            self.with_offset += 1;
        } else {
            self.civil += 1;
        }
        Some(Stamp {
            local: self.tz.to_datetime(ts),
            ts,
            alt,
        })
    }

    /// The instant of a civil time: in UTC when the value said so, else in the profile zone
    /// (in a repeated autumn hour the earlier reading, in a skipped spring hour the time moved
    /// forward by the gap, as jiff's `compatible`), with the other reading beside it.
    fn instant_of(&self, dt: DateTime, utc: bool) -> Option<(Timestamp, Option<Timestamp>)> {
        if utc {
            return Some((TimeZone::UTC.to_timestamp(dt).ok()?, None));
        }
        let amb = self.tz.to_ambiguous_timestamp(dt);
        let alt = match amb.offset() {
            jiff::tz::AmbiguousOffset::Fold { .. } => amb.later().ok(),
            jiff::tz::AmbiguousOffset::Gap { .. } => amb.earlier().ok(),
            jiff::tz::AmbiguousOffset::Unambiguous { .. } => None,
        };
        Some((amb.compatible().ok()?, alt))
    }
}

/// Whether an ISO-like value ends in `Z` or a `+HH:MM` / `-HHMM` offset after its time.
fn has_offset(v: &str) -> bool {
    let Some(t) = v.find(['T', ' ']) else {
        return false;
    };
    let time = &v[t + 1..];
    time.ends_with('Z') || time.ends_with('z') || time.contains('+') || time.contains('-')
}

/// Reads an IANA zone name.
///
/// # Errors
/// [`CalibrateError::BadTimezone`] when the bundled database does not know it.
pub fn zone(name: &str) -> Result<TimeZone, CalibrateError> {
    TimeZone::get(name).map_err(|e| CalibrateError::BadTimezone {
        name: name.to_string(),
        message: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(order: DateOrder, v: &str) -> Option<String> {
        let mut r = DateReader::new(order, zone("America/New_York").unwrap());
        r.parse(v).map(|s| s.local.to_string())
    }

    #[test]
    fn reads_the_forms_tools_write() {
        let m = DateOrder::MonthFirst;
        assert_eq!(
            read(m, "2024-01-12 15:45:10").unwrap(),
            "2024-01-12T15:45:10"
        );
        assert_eq!(
            read(m, "2024-01-12T15:45:10").unwrap(),
            "2024-01-12T15:45:10"
        );
        // An instant is converted to the profile zone (UTC-5 in January).
        assert_eq!(
            read(m, "2024-01-12T20:45:10Z").unwrap(),
            "2024-01-12T15:45:10"
        );
        assert_eq!(
            read(m, "2024-01-12 20:45:10 UTC").unwrap(),
            "2024-01-12T15:45:10"
        );
        assert_eq!(
            read(m, "2024-01-12 16:45:10 -0400").unwrap(),
            "2024-01-12T15:45:10"
        );
        assert_eq!(
            read(m, "2024-01-12T21:45:10+01:00").unwrap(),
            "2024-01-12T15:45:10"
        );
        assert_eq!(read(m, "12/Jan/24 3:45 PM").unwrap(), "2024-01-12T15:45:00");
        assert_eq!(read(m, "20240112 9:05:10").unwrap(), "2024-01-12T09:05:10");
        assert_eq!(read(m, "20240112").unwrap(), "2024-01-12T00:00:00");
        assert_eq!(read(m, "2024011").map(|_| ()), None);
        assert_eq!(read(m, "990101 0:00:31").unwrap(), "1999-01-01T00:00:31");
        assert_eq!(read(m, "240112").unwrap(), "2024-01-12T00:00:00");
        assert_eq!(read(m, "99010").map(|_| ()), None);
        assert_eq!(read(m, "9901011").map(|_| ()), None);
        // A day-first `DDMMYY` value that cannot be `YYMMDD` is a bad row, not a guess.
        assert_eq!(read(m, "311299").map(|_| ()), None);
        assert_eq!(
            read(m, "01/12/2024 3:45 PM").unwrap(),
            "2024-01-12T15:45:00"
        );
        assert_eq!(
            read(DateOrder::DayFirst, "12/01/2024 15:45").unwrap(),
            "2024-01-12T15:45:00"
        );
        assert_eq!(read(m, "2024-01-12").unwrap(), "2024-01-12T00:00:00");
        assert_eq!(
            read(m, "Jan 12, 2024 3:45 PM").unwrap(),
            "2024-01-12T15:45:00"
        );
        assert!(read(m, "yesterday").is_none());
        assert!(read(m, "13/13/2024 10:00").is_none());
    }

    #[test]
    fn day_first_is_detected_and_ambiguity_refused() {
        let tz = zone("UTC").unwrap();
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let mut r = DateReader::sniff(
            DateOrder::Auto,
            &tz,
            "c",
            &s(&["03/04/2024 10:00", "13/04/2024 10:00"]),
        )
        .unwrap();
        assert_eq!(
            r.parse("03/04/2024 10:00").unwrap().local.to_string(),
            "2024-04-03T10:00:00"
        );
        let e =
            DateReader::sniff(DateOrder::Auto, &tz, "c", &s(&["03/04/2024 10:00"])).unwrap_err();
        assert!(e.to_string().contains("--dates day-first"), "{e}");
        // ISO dates are not ambiguous.
        DateReader::sniff(DateOrder::Auto, &tz, "c", &s(&["2024-03-04 10:00"])).unwrap();
    }

    #[test]
    fn a_time_in_a_repeated_or_skipped_hour_is_read_so_that_time_moves_forward() {
        let mut r = DateReader::new(DateOrder::MonthFirst, zone("America/New_York").unwrap());
        let mut at = |v: &str| r.parse(v).unwrap();
        let created = at("2026-11-01 01:50:00");
        let solved = at("2026-11-01 01:10:00");
        // The earlier (EDT) reading is the instant; the EST one is kept beside it.
        assert_eq!(created.ts.to_string(), "2026-11-01T05:50:00Z");
        assert_eq!(solved.alt.unwrap().to_string(), "2026-11-01T06:10:00Z");
        assert_eq!(solved.seconds_since(&created), 20 * 60);
        // A solve after the creation in the first reading keeps that reading.
        let solved_first = at("2026-11-01 01:55:00");
        assert_eq!(solved_first.seconds_since(&created), 5 * 60);
        // 02:30 did not exist on 2026-03-08: read as 03:30 EDT, or 01:30 EST by the old clock.
        let gap = at("2026-03-08 02:30:00");
        assert_eq!(gap.ts.to_string(), "2026-03-08T07:30:00Z");
        assert_eq!(gap.alt.unwrap().to_string(), "2026-03-08T06:30:00Z");
        assert_eq!(at("2026-03-08 03:10:00").seconds_since(&gap), 40 * 60);
        assert_eq!(at("2026-03-08 03:40:00").seconds_since(&gap), 10 * 60);
        // Times outside those hours, and times with an offset, have one reading.
        assert_eq!(at("2026-11-01 02:10:00").alt, None);
        assert_eq!(at("2026-11-01T01:10:00-05:00").alt, None);
        let plain = at("2026-11-02 01:10:00");
        assert_eq!(plain.seconds_since(&at("2026-11-02 01:50:00")), -40 * 60);
        assert!(!plain.either_ambiguous(&at("2026-11-02 01:50:00")));
        assert!(solved.either_ambiguous(&plain));
    }

    #[test]
    fn a_bracketed_zone_is_the_zone_of_the_time_not_the_profile_zone() {
        let mut r = DateReader::new(DateOrder::MonthFirst, zone("UTC").unwrap());
        // 10:00 in Tokyo is 01:00 UTC; read in the profile zone it was 10:00 UTC.
        let s = r.parse("2026-10-20T10:00:00[Asia/Tokyo]").unwrap();
        assert_eq!(s.ts.to_string(), "2026-10-20T01:00:00Z");
        assert_eq!(r.parse("2026-10-20T10:00:00[Mars/Olympus]"), None);
        // The civil form still reads after a zoned value.
        let c = r.parse("2026-10-20 10:00:00").unwrap();
        assert_eq!(c.ts.to_string(), "2026-10-20T10:00:00Z");
    }
}
