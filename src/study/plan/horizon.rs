//! The plan's calendar: months from the start of the measured window, weeks of 7 days from
//! the same instant (the invoice weeks of every other command), and the report periods the
//! recorder counts in (their union, so each period lies in exactly one week and one month).

use crate::scenario::calendar::{self, CalendarError};
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Span, Timestamp};
use std::sync::Arc;

/// Minutes per week.
pub const WEEK_MIN: f64 = 7.0 * 1440.0;

/// Months, weeks and report periods of a plan, in simulated minutes.
#[derive(Debug, Clone)]
pub struct Horizon {
    /// Start of each plan month [minutes]; month `m` ends where `m + 1` starts (or at `end`).
    pub months: Vec<f64>,
    /// First local day of each month.
    pub month_dates: Vec<Date>,
    /// Start of each week [minutes] (the last one may be shorter).
    pub weeks: Vec<f64>,
    /// First local day of each week.
    pub week_dates: Vec<Date>,
    /// End of the plan (= end of the measured window) [minutes].
    pub end: f64,
    /// Report periods: the union of week and month starts, ascending.
    pub periods: Arc<[f64]>,
    /// Week of each period.
    pub period_week: Vec<usize>,
    /// Month of each period.
    pub period_month: Vec<usize>,
    origin: Timestamp,
    tz: TimeZone,
}

impl Horizon {
    /// `months` months from `start_min` (the window's start) of a run starting at local
    /// midnight of `start` in `tz`.
    ///
    /// # Errors
    /// Dates past what the calendar represents.
    pub fn new(
        start: Date,
        tz: &TimeZone,
        start_min: f64,
        months: u32,
    ) -> Result<Horizon, CalendarError> {
        let origin = calendar::origin(start, tz)?;
        let first = origin
            .checked_add(SignedDuration::from_secs((start_min * 60.0).round() as i64))?
            .to_zoned(tz.clone())
            .datetime();
        let at = |dt: DateTime| -> Result<f64, CalendarError> {
            let ts = dt.to_zoned(tz.clone())?.timestamp();
            Ok(ts.duration_since(origin).as_secs_f64() / 60.0)
        };
        let mut starts = Vec::with_capacity(months as usize + 1);
        let mut dates = Vec::with_capacity(months as usize);
        for m in 0..=months {
            let dt = first.checked_add(Span::new().months(m))?;
            starts.push(if m == 0 { start_min } else { at(dt)? });
            if m < months {
                dates.push(dt.date());
            }
        }
        let end = starts.pop().unwrap_or(start_min);
        let n_weeks = ((end - start_min) / WEEK_MIN - 1e-9).ceil().max(1.0) as usize;
        let weeks: Vec<f64> = (0..n_weeks)
            .map(|w| start_min + w as f64 * WEEK_MIN)
            .collect();
        let week_dates = (0..n_weeks as i64)
            .map(|w| {
                first
                    .date()
                    .checked_add(Span::new().days(7 * w))
                    .unwrap_or(first.date())
            })
            .collect();
        let mut periods: Vec<f64> = starts.iter().chain(&weeks).copied().collect();
        periods.sort_by(f64::total_cmp);
        periods.dedup();
        let index_in = |list: &[f64], t: f64| list.partition_point(|&x| x <= t).saturating_sub(1);
        let period_week = periods.iter().map(|&t| index_in(&weeks, t)).collect();
        let period_month = periods.iter().map(|&t| index_in(&starts, t)).collect();
        Ok(Horizon {
            months: starts,
            month_dates: dates,
            weeks,
            week_dates,
            end,
            periods: periods.into(),
            period_week,
            period_month,
            origin,
            tz: tz.clone(),
        })
    }

    /// End of month `m` [minutes].
    pub fn month_end(&self, m: usize) -> f64 {
        self.months.get(m + 1).copied().unwrap_or(self.end)
    }

    /// End of week `w` [minutes].
    pub fn week_end(&self, w: usize) -> f64 {
        self.weeks.get(w + 1).copied().unwrap_or(self.end)
    }

    /// End of period `k` [minutes].
    pub fn period_end(&self, k: usize) -> f64 {
        self.periods.get(k + 1).copied().unwrap_or(self.end)
    }

    /// Local midnight of `date` [simulated minutes].
    ///
    /// # Errors
    /// A date the time zone cannot place.
    pub fn minute_of(&self, date: Date) -> Result<f64, CalendarError> {
        let ts = date.at(0, 0, 0, 0).to_zoned(self.tz.clone())?.timestamp();
        Ok(ts.duration_since(self.origin).as_secs_f64() / 60.0)
    }

    /// The local date at simulated minute `t`.
    pub fn date_at(&self, t: f64) -> Date {
        self.origin
            .checked_add(SignedDuration::from_secs((t * 60.0).floor() as i64))
            .map(|ts| ts.to_zoned(self.tz.clone()).date())
            .unwrap_or_else(|_| self.month_dates.first().copied().unwrap_or_default())
    }

    /// Month label: `2027-01` for a month starting on the 1st, else its first day.
    pub fn month_label(&self, m: usize) -> String {
        let d = self.month_dates[m];
        if d.day() == 1 {
            format!("{:04}-{:02}", d.year(), d.month())
        } else {
            d.to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_calendar_months_at_local_midnight_and_periods_split_weeks_at_them() {
        let tz = TimeZone::get("America/New_York").unwrap();
        let start: Date = "2026-12-25".parse().unwrap();
        let h = Horizon::new(start, &tz, 7.0 * 1440.0, 4).unwrap();
        assert_eq!(h.month_label(0), "2027-01");
        assert_eq!(h.month_label(3), "2027-04");
        // January has 31 days; March starts on local midnight after the DST change (one
        // hour fewer).
        assert_eq!(h.months[1] - h.months[0], 31.0 * 1440.0);
        assert_eq!(h.months[3] - h.months[2], 31.0 * 1440.0 - 60.0);
        assert_eq!(
            h.minute_of("2027-02-01".parse().unwrap()).unwrap(),
            h.months[1]
        );
        assert_eq!(
            h.date_at(h.months[2]),
            "2027-03-01".parse::<Date>().unwrap()
        );
        // Every period lies in one week and one month, and covers the whole plan.
        assert_eq!(h.periods[0], h.months[0]);
        for k in 0..h.periods.len() {
            let (a, b) = (h.periods[k], h.period_end(k));
            let (w, m) = (h.period_week[k], h.period_month[k]);
            assert!(a >= h.weeks[w] && b <= h.week_end(w), "period {k}");
            assert!(a >= h.months[m] && b <= h.month_end(m), "period {k}");
        }
        assert_eq!(h.periods.len(), h.weeks.len() + h.months.len() - 1);
    }
}
