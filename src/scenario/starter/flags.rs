//! Parsing of the `init` flags into the parts of a [`super::StarterSpec`], each refusal
//! naming the flag, the value and the fix.

use super::{CHANNELS, StarterError, bad};
use crate::scenario::raw::Day;

/// Parses a volume (`--tickets-per-week` / `--tickets-per-hour`): a finite number > 0.
///
/// # Errors
/// Not a number, not positive, or absurdly large.
pub fn parse_volume(flag: &'static str, s: &str) -> Result<f64, StarterError> {
    let v: f64 = s
        .trim()
        .parse()
        .map_err(|_| bad(flag, s, "not a number; write e.g. 1200"))?;
    if !v.is_finite() || v <= 0.0 {
        return Err(bad(flag, s, "must be a number above 0"));
    }
    let per_week = if flag == "--tickets-per-hour" {
        v * 168.0
    } else {
        v
    };
    if per_week > 2_000_000.0 {
        return Err(bad(
            flag,
            s,
            "above 2,000,000 tickets a week; a starter file is for one support organisation",
        ));
    }
    Ok(v)
}

/// Parses `--channels email,chat,phone` (any subset, any order, no repeats).
///
/// # Errors
/// Empty, unknown or repeated channels.
pub fn parse_channels(s: &str) -> Result<Vec<&'static str>, StarterError> {
    let mut chosen = [false; 3];
    for part in s.split(',').map(str::trim) {
        let Some(i) = CHANNELS.iter().position(|c| c.eq_ignore_ascii_case(part)) else {
            return Err(bad(
                "--channels",
                s,
                format!("unknown channel {part:?}; use a comma list of email, chat, phone"),
            ));
        };
        if chosen[i] {
            return Err(bad("--channels", s, format!("{part} is listed twice")));
        }
        chosen[i] = true;
    }
    Ok((0..3).filter(|&i| chosen[i]).map(|i| CHANNELS[i]).collect())
}

/// Parses `--tiers`: a count `1`, `2`, `3`, or a range of levels from 1 (`1..3`, `1-3`).
///
/// # Errors
/// Anything else, or more than 3 tiers.
pub fn parse_tiers(s: &str) -> Result<u8, StarterError> {
    let t = s.trim();
    let top = match t.split_once("..").or_else(|| t.split_once('-')) {
        Some((lo, hi)) => {
            if lo.trim() != "1" {
                return Err(bad("--tiers", s, "levels start at 1; write 1..3 or just 3"));
            }
            hi.trim()
        }
        None => t,
    };
    match top.parse::<u8>() {
        Ok(n @ 1..=3) => Ok(n),
        _ => Err(bad(
            "--tiers",
            s,
            "use 1, 2 or 3 tiers (or the levels 1..2, 1..3)",
        )),
    }
}

fn parse_hhmm(flag: &'static str, whole: &str, s: &str) -> Result<u32, StarterError> {
    let err = || {
        bad(
            flag,
            whole,
            format!("{s:?} is not a time HH:MM (00:00..24:00, a multiple of 15 minutes)"),
        )
    };
    let (h, m) = s.trim().split_once(':').ok_or_else(err)?;
    let (h, m): (u32, u32) = (h.parse().map_err(|_| err())?, m.parse().map_err(|_| err())?);
    if m >= 60 || h > 24 || (h == 24 && m > 0) || m % 15 != 0 {
        return Err(err());
    }
    Ok(h * 60 + m)
}

/// Parses `--hours 08:00-18:00` (start before end, multiples of 15 minutes, `24:00` allowed).
///
/// # Errors
/// Malformed times, or an end not after the start.
pub fn parse_hours(s: &str) -> Result<(u32, u32), StarterError> {
    let (a, b) = s.split_once('-').ok_or_else(|| {
        bad(
            "--hours",
            s,
            "write the opening hours as HH:MM-HH:MM, e.g. 08:00-18:00",
        )
    })?;
    let (a, b) = (parse_hhmm("--hours", s, a)?, parse_hhmm("--hours", s, b)?);
    if b <= a {
        return Err(bad(
            "--hours",
            s,
            "the end must be after the start on the same day (overnight hours: edit the file's shifts)",
        ));
    }
    Ok((a, b))
}

/// Parses `--days`: ranges and lists of `mon`..`sun` (`mon-fri`, `mon-sat`, `mon,wed,fri`,
/// `mon-fri,sun`).
///
/// # Errors
/// Unknown days, a range running backwards, or a day given twice.
pub fn parse_days(s: &str) -> Result<Vec<Day>, StarterError> {
    let day =
        |d: &str| Day::from_name(d.trim()).ok_or_else(|| bad("--days", s, Day::unknown(d.trim())));
    let mut open = [false; 7];
    for part in s.split(',') {
        let (from, to) = match part.split_once('-') {
            Some((a, b)) => (day(a)?, day(b)?),
            None => (day(part)?, day(part)?),
        };
        if to.index() < from.index() {
            return Err(bad(
                "--days",
                s,
                format!("{part:?} runs backwards; weeks run mon..sun (write e.g. sat-sun)"),
            ));
        }
        for (i, o) in open
            .iter_mut()
            .enumerate()
            .take(to.index() + 1)
            .skip(from.index())
        {
            if *o {
                return Err(bad(
                    "--days",
                    s,
                    format!("{:?} is given twice", Day::ALL[i]),
                ));
            }
            *o = true;
        }
    }
    Ok(Day::ALL.into_iter().filter(|d| open[d.index()]).collect())
}

/// Checks `--timezone` against the bundled IANA database.
///
/// # Errors
/// Unknown zone names.
pub fn parse_timezone(s: &str) -> Result<String, StarterError> {
    let t = s.trim();
    jiff::tz::TimeZone::get(t).map_err(|_| {
        bad(
            "--timezone",
            s,
            "unknown IANA time zone; write e.g. Europe/Berlin, America/New_York or UTC",
        )
    })?;
    Ok(t.to_string())
}
