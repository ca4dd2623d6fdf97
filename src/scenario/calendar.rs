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
pub fn origin(start: Date, tz: &TimeZone) -> Result<Timestamp, String> {
    start
        .at(0, 0, 0, 0)
        .to_zoned(tz.clone())
        .map(|z| z.timestamp())
        .map_err(|e| e.to_string())
}

/// Local time of every 15-minute slot covering `[0, span_min)`.
pub fn local_slots(start: Date, tz: &TimeZone, span_min: f64) -> Result<Vec<LocalSlot>, String> {
    let t0 = origin(start, tz)?;
    let n = (span_min / SLOT_MIN).ceil() as i64;
    let mut out = Vec::with_capacity(n as usize);
    for j in 0..n {
        let ts = t0
            .checked_add(SignedDuration::from_mins(15 * j))
            .map_err(|e| e.to_string())?;
        let z = ts.to_zoned(tz.clone());
        let day = start.until(z.date()).map_err(|e| e.to_string())?.get_days();
        out.push(LocalSlot {
            weekday: z.weekday().to_monday_zero_offset() as u8,
            minute_of_day: (z.hour() as u16) * 60 + z.minute() as u16,
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn kolkata_half_hour_offset_stays_on_grid() {
        let tz = TimeZone::get("Asia/Kolkata").unwrap();
        let start: Date = "2026-01-05".parse().unwrap();
        let slots = local_slots(start, &tz, 60.0).unwrap();
        assert_eq!(slots[0].minute_of_day, 0);
        assert_eq!(slots[0].weekday, 0, "2026-01-05 is a Monday");
        assert_eq!(local_label(start, &tz, 90.0), "2026-01-05 01:30 Mon");
    }
}
