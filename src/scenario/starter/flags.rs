//! Parsing of the `init` flags into the parts of a [`super::StarterSpec`], each refusal
//! naming the flag, the value and the fix.

use super::{STARTER_NAMES, StarterChannel, StarterError, bad, is_default_set};
use crate::scenario::channels::{ChannelKind, DEFAULT_CHANNELS, list_problems};
use crate::scenario::raw::Day;

/// Smallest starter volume [tickets/week]: below it the file would be all rounding.
const MIN_TICKETS_PER_WEEK: f64 = 0.01;

/// Parses a volume (`--tickets-per-week` / `--tickets-per-hour`): a finite number > 0.
///
/// # Errors
/// Not a number, below [`MIN_TICKETS_PER_WEEK`], or absurdly large.
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
    if per_week < MIN_TICKETS_PER_WEEK {
        return Err(bad(
            flag,
            s,
            "below 0.01 tickets a week; a starter file needs some volume to size its pools (write e.g. 1 or more)",
        ));
    }
    if per_week > 2_000_000.0 {
        return Err(bad(
            flag,
            s,
            "above 2,000,000 tickets a week; a starter file is for one support organisation",
        ));
    }
    Ok(v)
}

/// Parses `--channels`: a comma list of `email`, `chat`, `phone` (any subset, any order),
/// or of `name:kind` entries naming the file's own channels with their kinds
/// (`portal:asynchronous,web_chat:chat,phone:voice`); the two forms mix. A list of only
/// today's three names (with their own kinds) comes back in their file order, so the
/// starter writes no `channel_kinds`; any other list keeps the order given.
///
/// # Errors
/// Empty, unknown or repeated channels, unknown kinds, names a scenario refuses (see
/// [`crate::scenario::channels::list_problems`]) or that clash with the starter's priorities
/// and segment, more than [`crate::scenario::MAX_CHANNELS`] channels.
pub fn parse_channels(s: &str) -> Result<Vec<StarterChannel>, StarterError> {
    const HINT: &str = "use a comma list of email, chat, phone, or name:kind entries with kinds asynchronous, chat, voice (e.g. portal:asynchronous,web_chat:chat,phone:voice)";
    let mut out: Vec<StarterChannel> = Vec::new();
    for part in s.split(',').map(str::trim) {
        let channel = match part.split_once(':') {
            Some((name, kind)) => StarterChannel {
                name: name.trim().to_string(),
                kind: parse_kind(kind.trim()).ok_or_else(|| {
                    bad(
                        "--channels",
                        s,
                        format!("unknown kind {:?} in {part:?}; {HINT}", kind.trim()),
                    )
                })?,
            },
            None => {
                let Some(&(name, kind)) = DEFAULT_CHANNELS
                    .iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case(part))
                else {
                    return Err(bad(
                        "--channels",
                        s,
                        format!("unknown channel {part:?}; {HINT}"),
                    ));
                };
                StarterChannel {
                    name: name.to_string(),
                    kind,
                }
            }
        };
        if let Some(first) = out
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(&channel.name))
        {
            return Err(bad(
                "--channels",
                s,
                format!(
                    "{} is listed twice (names are compared ignoring case); list each channel once",
                    first.name
                ),
            ));
        }
        out.push(channel);
    }
    let pairs: Vec<(String, ChannelKind)> = out.iter().map(|c| (c.name.clone(), c.kind)).collect();
    if let Some((key, problem)) = list_problems(&pairs).into_iter().next() {
        let name = key.rsplit_once('.').map_or("", |(_, n)| n);
        let problem = if name.is_empty() || key == "demand.channel_kinds" {
            format!("the list {problem}")
        } else {
            format!("channel {name:?}: {problem}")
        };
        return Err(bad("--channels", s, problem));
    }
    for c in &out {
        if let Some(taken) = STARTER_NAMES
            .iter()
            .find(|n| n.eq_ignore_ascii_case(&c.name))
        {
            return Err(bad(
                "--channels",
                s,
                format!(
                    "channel {:?} clashes with the starter's priority or segment {taken:?}; name it otherwise",
                    c.name
                ),
            ));
        }
    }
    if is_default_set(&out) {
        out.sort_by_key(|c| DEFAULT_CHANNELS.iter().position(|(n, _)| *n == c.name));
    }
    Ok(out)
}

/// A kind as written in `--channels` (`async` is accepted for `asynchronous`).
fn parse_kind(s: &str) -> Option<ChannelKind> {
    match s.to_ascii_lowercase().as_str() {
        "asynchronous" | "async" => Some(ChannelKind::Asynchronous),
        "chat" => Some(ChannelKind::Chat),
        "voice" => Some(ChannelKind::Voice),
        _ => None,
    }
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
