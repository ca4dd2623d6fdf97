//! Maps simulated minutes to local wall-clock time in a named IANA time zone.
//!
//! Simulated time 0 is local midnight of the start date. Daylight-saving changes come from
//! the tz database bundled by `jiff`, never from hand-written offsets. Profiles and working
//! hours are resolved on a 15-minute grid: every time zone's offset is a multiple of 15
//! minutes, so local hours and quarter-hours begin exactly on grid points.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

/// Grid step [minutes].
pub const SLOT_MIN: f64 = 15.0;

/// Why local times could not be placed on the simulated time axis.
#[derive(Debug, thiserror::Error)]
pub enum CalendarError {
    /// A date or time the civil calendar or the time-zone database cannot represent (a run
    /// reaching past year 9999, say); the message is jiff's.
    #[error(transparent)]
    OutOfRange(#[from] jiff::Error),
}

/// Local time at the start of one grid slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalSlot {
    /// Weekday, 0 = Monday.
    pub weekday: u8,
    /// Minute of the local day, 0..1440.
    pub minute_of_day: u16,
    /// Local calendar days since the start date.
    pub day: u32,
}

/// The instant of simulated time 0.
///
/// # Errors
/// [`CalendarError::OutOfRange`] when local midnight of `start` cannot be resolved in `tz`.
pub fn origin(start: Date, tz: &TimeZone) -> Result<Timestamp, CalendarError> {
    Ok(start.at(0, 0, 0, 0).to_zoned(tz.clone())?.timestamp())
}

/// Local time of every 15-minute slot covering `[0, span_min)`.
///
/// # Errors
/// [`CalendarError::OutOfRange`] when the span reaches past what dates can represent.
pub fn local_slots(
    start: Date,
    tz: &TimeZone,
    span_min: f64,
) -> Result<Vec<LocalSlot>, CalendarError> {
    let t0 = origin(start, tz)?;
    let n = (span_min / SLOT_MIN).ceil() as i64;
    let mut out = Vec::with_capacity(n as usize);
    for j in 0..n {
        let ts = t0.checked_add(SignedDuration::from_mins(15 * j))?;
        // The civil time only (no `Zoned`), and the day count as a plain difference of dates
        // (a `Span` is far dearer): the same slot, at a fraction of the cost per slot.
        let local = tz.to_datetime(ts);
        let day = local
            .date()
            .duration_since(start)
            .as_secs()
            .div_euclid(86_400);
        out.push(LocalSlot {
            weekday: local.weekday().to_monday_zero_offset() as u8,
            minute_of_day: (local.hour() as u16) * 60 + local.minute() as u16,
            day: day.max(0) as u32,
        });
    }
    Ok(out)
}

/// Local wall-clock label of simulated time `t_min`, like `2026-01-05 08:00 Mon`.
pub fn local_label(start: Date, tz: &TimeZone, t_min: f64) -> String {
    let Ok(t0) = origin(start, tz) else {
        return String::new();
    };
    match t0.checked_add(SignedDuration::from_secs((t_min * 60.0).round() as i64)) {
        Ok(ts) => ts
            .to_zoned(tz.clone())
            .strftime("%Y-%m-%d %H:%M %a")
            .to_string(),
        Err(_) => String::new(),
    }
}

/// A business-hours clock on the simulated time axis: the open intervals of a calendar in
/// simulated minutes, with running sums, so the business minutes between two instants cost
/// two binary searches.
#[derive(Debug, Clone, PartialEq)]
pub struct BusinessClock {
    /// Calendar name.
    pub name: String,
    /// What the clock was built from, so [`BusinessClock::extend_back`] continues the same
    /// calendar without the caller parsing it again.
    weekly: Weekly,
    /// Open intervals [simulated minutes], sorted, disjoint, with the open minutes before
    /// each (one vector, so a lookup reads both with one bounds check).
    open: Vec<Span>,
    /// Per simulated day d: the intervals starting at or before d x 1440, so a lookup
    /// scans only that day's few intervals instead of searching them all (it is called
    /// twice per SLA-clocked ticket).
    first_of_day: Vec<u32>,
    /// Open intervals before simulated time 0 (`[initial_state] age_on_business_clocks`),
    /// sorted, disjoint, ending by 0; empty otherwise. Kept apart from `open` so a clock
    /// without them answers exactly as before.
    pre: Vec<(f64, f64)>,
    /// Open minutes from the start of each `pre` interval to 0 (one more entry: 0).
    pre_to_zero: Vec<f64>,
}

/// A clock's calendar, owned: the start of simulated time and its zone, and the weekly hours.
#[derive(Debug, Clone, PartialEq)]
struct Weekly {
    start: Date,
    origin_tz: TimeZone,
    tz: TimeZone,
    days: [bool; 7],
    start_min: u16,
    end_min: u16,
    holidays: Vec<Date>,
}

impl Weekly {
    fn hours(&self) -> Hours<'_> {
        Hours {
            tz: &self.tz,
            days: self.days,
            start_min: self.start_min,
            end_min: self.end_min,
            holidays: &self.holidays,
        }
    }
}

/// One open interval `[start, end)` [simulated minutes] of a [`BusinessClock`].
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Span {
    start: f64,
    end: f64,
    /// Open minutes before the interval (from simulated time 0).
    before: f64,
}

/// A calendar's working time, as validated.
#[derive(Debug, Clone)]
pub struct Hours<'a> {
    /// Time zone of the hours.
    pub tz: &'a TimeZone,
    /// Working weekdays, 0 = Monday.
    pub days: [bool; 7],
    /// Opening minute of the local day.
    pub start_min: u16,
    /// Closing minute of the local day (up to 1440).
    pub end_min: u16,
    /// Closed local dates.
    pub holidays: &'a [Date],
}

/// Intervals `[start, end)` [simulated minutes] of a weekly local schedule over
/// `[0, span_min]`, simulated time 0 being local midnight of `start` in `origin_tz`. An `end`
/// at or before `start` ends on the next local day (overnight). Days in `skip` are left out.
///
/// # Errors
/// [`CalendarError::OutOfRange`] when date arithmetic leaves the representable range.
pub fn weekly_intervals(
    start: Date,
    origin_tz: &TimeZone,
    hours: &Hours,
    span_min: f64,
) -> Result<Vec<(f64, f64)>, CalendarError> {
    intervals_within(start, origin_tz, hours, 0.0, span_min)
}

/// The schedule's intervals clipped to `[lo, hi]` (`lo` may be negative: before the start
/// date, the same weekly hours, holidays and time zone).
fn intervals_within(
    start: Date,
    origin_tz: &TimeZone,
    hours: &Hours,
    lo: f64,
    hi: f64,
) -> Result<Vec<(f64, f64)>, CalendarError> {
    let t0 = origin(start, origin_tz)?;
    let to_min = |d: Date, minute: u16| -> Result<f64, CalendarError> {
        let mut d = d;
        let mut minute = minute;
        while minute >= 1440 {
            d = d.tomorrow()?;
            minute -= 1440;
        }
        let ts = d
            .at((minute / 60) as i8, (minute % 60) as i8, 0, 0)
            .to_zoned(hours.tz.clone())?
            .timestamp();
        Ok(ts.duration_since(t0).as_secs_f64() / 60.0)
    };
    let end_min = if hours.end_min <= hours.start_min {
        hours.end_min + 1440
    } else {
        hours.end_min
    };
    // The schedule's local date at `lo`, one day early for zones behind the demand's and
    // for overnight shifts that started the day before.
    let first = if lo == 0.0 {
        t0
    } else {
        t0.checked_add(SignedDuration::from_secs((lo * 60.0).floor() as i64))?
    };
    let mut d = first.to_zoned(hours.tz.clone()).date().yesterday()?;
    let mut out = Vec::new();
    loop {
        let a = to_min(d, hours.start_min)?;
        if a > hi {
            break;
        }
        let wd = d.weekday().to_monday_zero_offset() as usize;
        if hours.days[wd] && !hours.holidays.contains(&d) {
            let b = to_min(d, end_min)?;
            let (a, b) = (a.max(lo), b.min(hi));
            if b > a {
                out.push((a, b));
            }
        }
        d = d.tomorrow()?;
    }
    Ok(out)
}

impl BusinessClock {
    /// The clock of `hours` over simulated `[0, span_min]`, simulated time 0 being local
    /// midnight of `start` in `origin_tz`. Local opening and closing times are converted to
    /// instants by the tz database (a time skipped by a daylight-saving jump moves forward).
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`] when date arithmetic leaves the representable range.
    pub fn new(
        name: &str,
        start: Date,
        origin_tz: &TimeZone,
        hours: &Hours,
        span_min: f64,
    ) -> Result<BusinessClock, CalendarError> {
        let intervals = weekly_intervals(start, origin_tz, hours, span_min)?;
        let mut open = Vec::with_capacity(intervals.len());
        let mut total = 0.0;
        for (a, b) in intervals {
            open.push(Span {
                start: a,
                end: b,
                before: total,
            });
            total += b - a;
        }
        let days = (span_min / 1440.0).ceil().max(0.0) as usize + 1;
        let first_of_day = (0..days)
            .map(|d| open.partition_point(|s| s.start <= d as f64 * 1440.0) as u32)
            .collect();
        Ok(BusinessClock {
            name: name.to_string(),
            weekly: Weekly {
                start,
                origin_tz: origin_tz.clone(),
                tz: hours.tz.clone(),
                days: hours.days,
                start_min: hours.start_min,
                end_min: hours.end_min,
                holidays: hours.holidays.to_vec(),
            },
            open,
            first_of_day,
            pre: Vec::new(),
            pre_to_zero: vec![0.0],
        })
    }

    /// Extends the clock back over `[-lookback_min, 0)`: the same weekly hours, holidays and
    /// time zone before the start date, so a ticket that arrived before 0 (a backlog ticket)
    /// counts the open minutes of its age. Times before `-lookback_min` count none of theirs.
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`] when date arithmetic leaves the representable range.
    pub fn extend_back(&mut self, lookback_min: f64) -> Result<(), CalendarError> {
        let lo = -lookback_min.max(0.0);
        let w = &self.weekly;
        self.pre = if lo < 0.0 {
            intervals_within(w.start, &w.origin_tz, &w.hours(), lo, 0.0)?
        } else {
            Vec::new()
        };
        let mut to_zero = vec![0.0; self.pre.len() + 1];
        for (i, (a, b)) in self.pre.iter().enumerate().rev() {
            to_zero[i] = to_zero[i + 1] + (b - a);
        }
        self.pre_to_zero = to_zero;
        Ok(())
    }

    /// Business minutes in `[t, 0)` for `t` < 0, from the intervals before 0.
    fn open_before_zero(&self, t: f64) -> f64 {
        let i = self.pre.partition_point(|(a, _)| *a <= t);
        let partial = match i.checked_sub(1).map(|j| self.pre[j]) {
            Some((_, b)) if b > t => b - t,
            _ => 0.0,
        };
        self.pre_to_zero[i] + partial
    }

    /// The number of intervals starting at or before `t` (what a binary search over all
    /// would find): from the intervals before t's day, step over those of its day.
    #[inline(always)]
    fn started_by(&self, t: f64) -> usize {
        let mut i = if t >= 0.0 {
            // `as u32`, not `as usize`: the same day for any run (it is capped by the
            // table's length anyway), and a cheaper saturating conversion.
            let day = ((t / 1440.0) as u32 as usize).min(self.first_of_day.len().saturating_sub(1));
            self.first_of_day.get(day).map_or(0, |&i| i as usize)
        } else {
            0
        };
        let open = &self.open[..];
        while i < open.len() && open[i].start <= t {
            i += 1;
        }
        i
    }

    /// Business minutes from simulated time 0 to `t` (negative before 0: minus those from
    /// `t` to 0, when the clock was extended back; 0 otherwise).
    #[inline(always)]
    pub fn open_minutes(&self, t: f64) -> f64 {
        // Negative or NaN: no interval starts by then (all start at or after 0).
        if t.is_nan() || t < 0.0 {
            return if t < 0.0 && !self.pre.is_empty() {
                -self.open_before_zero(t)
            } else {
                0.0
            };
        }
        let i = self.started_by(t);
        match i.checked_sub(1).and_then(|j| self.open.get(j)) {
            None => 0.0,
            // `t` is not NaN here, so the comparison picks what `t.min(end)` would, without
            // its NaN handling.
            Some(s) => s.before + ((if t < s.end { t } else { s.end }) - s.start),
        }
    }

    /// True when simulated time `t` falls within opening hours.
    pub fn is_open(&self, t: f64) -> bool {
        let i = self.started_by(t);
        i > 0 && t < self.open[i - 1].end
    }

    /// Business minutes between simulated times `from` and `to`.
    // Out of line, with both lookups inlined here: one call per SLA check, and callers on the
    // 24x7 clock (the recorder's ticket path) do not carry the lookups' code.
    #[inline(never)]
    pub fn elapsed(&self, from: f64, to: f64) -> f64 {
        self.open_minutes(to) - self.open_minutes(from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Mon-Fri 09-17 in `tz`, closed on `holidays`.
    fn office_hours<'a>(tz: &'a TimeZone, holidays: &'a [Date]) -> Hours<'a> {
        let mut days = [false; 7];
        days[..5].fill(true);
        Hours {
            tz,
            days,
            start_min: 9 * 60,
            end_min: 17 * 60,
            holidays,
        }
    }

    fn clock(zone: &str, start: &str, holidays: &[Date]) -> (BusinessClock, TimeZone) {
        let tz = TimeZone::get(zone).unwrap();
        let hours = office_hours(&tz, holidays);
        let c = BusinessClock::new("office", start.parse().unwrap(), &tz, &hours, 40.0 * 1440.0)
            .unwrap();
        (c, tz)
    }

    const H: f64 = 60.0;
    const DAY: f64 = 1440.0;

    #[test]
    fn business_minutes_skip_nights_and_weekends() {
        // 2026-01-05 is a Monday; time 0 is its local midnight.
        let (c, _) = clock("America/New_York", "2026-01-05", &[]);
        // Monday 10:00 -> 12:00: two business hours.
        assert_eq!(c.elapsed(10.0 * H, 12.0 * H), 120.0);
        // Monday 16:00 -> Tuesday 10:00: 1 h Monday + 1 h Tuesday.
        assert_eq!(c.elapsed(16.0 * H, DAY + 10.0 * H), 120.0);
        // Friday 18:00 (after hours) -> Monday 10:00: only Monday's first hour counts.
        assert_eq!(c.elapsed(4.0 * DAY + 18.0 * H, 7.0 * DAY + 10.0 * H), 60.0);
        // A ticket arriving Saturday and answered Sunday: no business time at all.
        assert_eq!(c.elapsed(5.0 * DAY + 12.0 * H, 6.0 * DAY + 20.0 * H), 0.0);
        // One full week: five 8-hour days.
        assert_eq!(c.elapsed(0.0, 7.0 * DAY), 5.0 * 480.0);
    }

    #[test]
    fn the_day_index_finds_what_a_search_of_all_intervals_finds() {
        let mlk: Date = "2026-01-19".parse().unwrap();
        let (c, _) = clock("America/New_York", "2026-01-05", &[mlk]);
        let search = |t: f64| {
            let i = c.open.partition_point(|s| s.start <= t);
            if i == 0 {
                0.0
            } else {
                let s = c.open[i - 1];
                s.before + (t.min(s.end) - s.start)
            }
        };
        let mut x = 7u64;
        for _ in 0..20_000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            // Past the span too, and exactly on interval edges now and then.
            let mut t = (x >> 11) as f64 / (1u64 << 53) as f64 * 45.0 * DAY - DAY;
            if x.is_multiple_of(7) {
                t = (t / H).round() * H;
            }
            assert_eq!(c.open_minutes(t).to_bits(), search(t).to_bits(), "t = {t}");
        }
    }

    #[test]
    fn holidays_are_closed_all_day() {
        let mlk: Date = "2026-01-19".parse().unwrap();
        let (c, _) = clock("America/New_York", "2026-01-05", &[mlk]);
        // Friday 16:00 -> Tuesday 10:00 across a holiday Monday: 1 h + 1 h.
        assert_eq!(
            c.elapsed(11.0 * DAY + 16.0 * H, 15.0 * DAY + 10.0 * H),
            120.0
        );
        assert_eq!(c.elapsed(14.0 * DAY, 15.0 * DAY), 0.0);
        // Open from 09:00 up to, not including, 17:00; closed on the holiday.
        assert!(!c.is_open(7.0 * DAY + 9.0 * H - 1.0));
        assert!(c.is_open(7.0 * DAY + 9.0 * H));
        assert!(c.is_open(7.0 * DAY + 17.0 * H - 1e-9));
        assert!(!c.is_open(7.0 * DAY + 17.0 * H));
        assert!(!c.is_open(14.0 * DAY + 12.0 * H));
    }

    #[test]
    fn business_day_is_eight_hours_across_daylight_saving_changes() {
        // Spring forward: 2026-03-08 (Sunday) 02:00 -> 03:00 in New York. Time 0 is Saturday
        // midnight EST; Monday 09:00 EDT is 2 days + 9 h - 1 h after it.
        let (c, _) = clock("America/New_York", "2026-03-07", &[]);
        let monday_9 = 2.0 * DAY + 8.0 * H;
        assert_eq!(c.open_minutes(monday_9), 0.0);
        assert_eq!(c.elapsed(monday_9, monday_9 + 8.0 * H), 480.0);
        assert_eq!(
            c.elapsed(0.0, monday_9 + DAY),
            480.0,
            "Monday is a full 8 h"
        );
        // Fall back: 2026-11-01 (Sunday) 02:00 -> 01:00. Time 0 is Saturday midnight EDT;
        // Monday 09:00 EST is 2 days + 9 h + 1 h after it.
        let (c, _) = clock("America/New_York", "2026-10-31", &[]);
        let monday_9 = 2.0 * DAY + 10.0 * H;
        assert_eq!(c.open_minutes(monday_9 - 1.0), 0.0);
        assert_eq!(c.elapsed(monday_9, monday_9 + 8.0 * H), 480.0);
        assert_eq!(c.elapsed(monday_9 - 60.0, monday_9 + 60.0), 60.0);
    }

    #[test]
    fn calendar_in_another_zone_than_the_demand() {
        // Demand in New York (time 0 = Monday 00:00 EST = 05:00 London); a London office
        // opens at 09:00 GMT = 4 h after time 0.
        let ny = TimeZone::get("America/New_York").unwrap();
        let london = TimeZone::get("Europe/London").unwrap();
        let mut days = [false; 7];
        days[..5].fill(true);
        let hours = Hours {
            tz: &london,
            days,
            start_min: 9 * 60,
            end_min: 17 * 60,
            holidays: &[],
        };
        let c = BusinessClock::new(
            "london",
            "2026-01-05".parse().unwrap(),
            &ny,
            &hours,
            9.0 * DAY,
        )
        .unwrap();
        assert_eq!(c.open_minutes(4.0 * H), 0.0);
        assert_eq!(c.elapsed(0.0, 5.0 * H), 60.0);
        assert_eq!(c.elapsed(0.0, DAY), 480.0);
    }

    /// A Mon-Fri 09-17 clock in `zone` from `start`, extended back `back_days`.
    fn extended(zone: &str, start: &str, holidays: &[Date], back_days: f64) -> BusinessClock {
        let tz = TimeZone::get(zone).unwrap();
        let hours = office_hours(&tz, holidays);
        let start: Date = start.parse().unwrap();
        let mut c = BusinessClock::new("office", start, &tz, &hours, 20.0 * DAY).unwrap();
        c.extend_back(back_days * DAY).unwrap();
        c
    }

    #[test]
    fn a_clock_extended_back_counts_the_open_minutes_before_the_start() {
        // 2026-01-05 is a Monday: three days back is Friday 00:00 (London = UTC in January).
        let c = extended("Europe/London", "2026-01-05", &[], 3.0);
        assert_eq!(
            c.elapsed(-3.0 * DAY, 0.0),
            480.0,
            "Friday 09-17; the weekend is closed"
        );
        assert_eq!(c.elapsed(-3.0 * DAY, 10.0 * H), 540.0, "and Monday 09-10");
        assert_eq!(
            c.elapsed(-3.0 * DAY + 12.0 * H, 0.0),
            300.0,
            "from Friday noon"
        );
        assert_eq!(c.elapsed(-2.0 * DAY, 0.0), 0.0, "from Saturday");
        assert!(!c.pre.is_empty() && c.pre.iter().all(|(a, b)| *a >= -3.0 * DAY && *b <= 0.0));
        // A holiday Friday counts nothing.
        let hol: Date = "2026-01-02".parse().unwrap();
        let c = extended("Europe/London", "2026-01-05", &[hol], 7.0);
        assert_eq!(c.elapsed(-3.0 * DAY, 0.0), 0.0);
        assert_eq!(
            c.elapsed(-7.0 * DAY, 0.0),
            4.0 * 480.0,
            "Mon-Thu of the week before"
        );
        // Across the spring-forward Sunday (2026-03-08 in New York): the week before Monday
        // 2026-03-09 has five full 8-hour days.
        let c = extended("America/New_York", "2026-03-09", &[], 7.0);
        assert_eq!(c.elapsed(-7.0 * DAY, 0.0), 5.0 * 480.0);
    }

    #[test]
    fn extending_back_leaves_every_time_after_the_start_unchanged() {
        let mlk: Date = "2026-01-19".parse().unwrap();
        let (plain, _) = clock("America/New_York", "2026-01-05", &[mlk]);
        let mut c = extended("America/New_York", "2026-01-05", &[mlk], 30.0);
        let mut x = 3u64;
        for _ in 0..20_000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let t = (x >> 11) as f64 / (1u64 << 53) as f64 * 21.0 * DAY;
            let u = t * 0.5;
            assert_eq!(c.open_minutes(t).to_bits(), plain.open_minutes(t).to_bits());
            assert_eq!(c.elapsed(u, t).to_bits(), plain.elapsed(u, t).to_bits());
            assert_eq!(c.is_open(t), plain.is_open(t));
            // Before 0: the intervals' minutes in [s, 0), by brute force over minutes.
            let s = -((x % (30 * 1440)) as f64);
            let brute: f64 = c
                .pre
                .iter()
                .map(|(a, b)| (b.min(0.0) - a.max(s)).max(0.0))
                .sum();
            assert_eq!(c.elapsed(s, 0.0), brute, "s = {s}");
        }
        // Without the extension a time before 0 counts nothing, as before.
        assert_eq!(plain.open_minutes(-600.0), 0.0);
        c.extend_back(0.0).unwrap();
        assert_eq!(
            c.open_minutes(-600.0),
            0.0,
            "no look-back: nothing before 0"
        );
    }

    #[test]
    fn new_york_spring_forward_skips_a_local_hour() {
        // 2026-03-08 02:00 EST jumps to 03:00 EDT.
        let tz = TimeZone::get("America/New_York").unwrap();
        let start: Date = "2026-03-08".parse().unwrap();
        let slots = local_slots(start, &tz, 24.0 * 60.0).unwrap();
        let hours: Vec<u16> = slots.iter().map(|s| s.minute_of_day / 60).collect();
        assert_eq!(hours[7], 1, "01:45 local");
        assert_eq!(hours[8], 3, "02:00 EST is 03:00 EDT");
        assert!(!hours.contains(&2));
        // 24 elapsed hours later it is already 01:00 on the next day.
        assert_eq!(slots.last().unwrap().day, 1);
    }

    #[test]
    fn local_slots_match_zoned_times_and_date_spans_through_a_year_of_changes() {
        // Half-hour DST (Lord Howe), changes at midnight (Santiago, Havana), a 45-minute
        // offset (Chatham), the southern hemisphere and a zone without DST.
        for zone in [
            "America/New_York",
            "Australia/Lord_Howe",
            "America/Santiago",
            "America/Havana",
            "Pacific/Chatham",
            "Australia/Sydney",
            "Asia/Kolkata",
        ] {
            let tz = TimeZone::get(zone).unwrap();
            let start: Date = "2026-01-01".parse().unwrap();
            let slots = local_slots(start, &tz, 366.0 * 1440.0).unwrap();
            let t0 = origin(start, &tz).unwrap();
            for (j, got) in slots.iter().enumerate() {
                let z = t0
                    .checked_add(SignedDuration::from_mins(15 * j as i64))
                    .unwrap()
                    .to_zoned(tz.clone());
                let day = start.until(z.date()).unwrap().get_days();
                let want = LocalSlot {
                    weekday: z.weekday().to_monday_zero_offset() as u8,
                    minute_of_day: (z.hour() as u16) * 60 + z.minute() as u16,
                    day: day.max(0) as u32,
                };
                assert_eq!(*got, want, "{zone}, slot {j}");
            }
        }
    }

    #[test]
    fn kolkata_half_hour_offset_stays_on_grid() {
        let tz = TimeZone::get("Asia/Kolkata").unwrap();
        let start: Date = "2026-01-05".parse().unwrap();
        let slots = local_slots(start, &tz, 60.0).unwrap();
        assert_eq!(slots[0].minute_of_day, 0);
        assert_eq!(slots[0].weekday, 0, "2026-01-05 is a Monday");
        assert_eq!(local_label(start, &tz, 90.0), "2026-01-05 01:30 Mon");
    }
}
