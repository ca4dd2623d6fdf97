//! `supportsim backtest`: the scenario simulated over the weeks of a ticket history, week by
//! week side by side with what the history shows.
//!
//! Both sides are measured by the same code ([`Weeks`]): per local week (Monday 00:00 in the
//! scenario's zone) the tickets created, the median and P90 of the first-response and
//! resolution times, and the SLA attainment of the scenario's targets (the first response
//! and resolution on each target's clock, business hours included; a ticket without a first
//! response or resolution is a miss, as in `run`). The simulation's interval for a week is
//! the central 95% of its replications' values: where one history week should fall if the
//! scenario is right (a prediction interval, not the confidence interval of the mean, which
//! shrinks with replications). A correct scenario leaves about 5% of weeks outside it per
//! metric.

use crate::calibrate::accum::Reservoir;
use crate::measure::{TicketOutcome, TicketRecord, TicketSink};
use crate::scenario::{Scenario, ScenarioError};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use std::path::Path;

/// The metrics compared per week: (name, unit shown).
pub const METRICS: [(&str, &str); 7] = [
    ("tickets", "tickets"),
    ("first_response_median_min", "min"),
    ("first_response_p90_min", "min"),
    ("resolution_median_min", "min"),
    ("resolution_p90_min", "min"),
    ("sla_first_response_attainment", "fraction"),
    ("sla_resolution_attainment", "fraction"),
];

/// Days in the scenario's month (growth is compounded per 30.4375 days).
const MONTH_DAYS: f64 = 30.4375;

/// The scenario to simulate over `weeks` weeks from local Monday `week0`: `run.start_date`
/// moved so the measured window starts at `week0` 00:00 (after the file's warm-up, rounded
/// up to whole days), `run.horizon_days` the history's weeks, the volume scaled by the growth
/// so the volume on each date is the file's, surges kept on their dates (those outside the
/// history's span left out). `[initial_state]`
/// is dropped (the history's own start is not the file's backlog). `origin` is the file,
/// for relative paths and messages.
///
/// # Errors
/// A start date the file cannot take, or validation errors of the moved scenario.
pub fn backtest_scenario(
    s: &Scenario,
    origin: &Path,
    week0: Date,
    weeks: u32,
) -> Result<Scenario, ScenarioError> {
    let mut raw = s.raw.clone();
    let warmup_days = raw.run.warmup_days.max(0.0).ceil();
    let start = week0
        .checked_sub(jiff::Span::new().days(warmup_days as i64))
        .unwrap_or(week0);
    let shift_days = (s.run.start_date - start).get_days() as f64;
    raw.run.start_date = start.to_string();
    raw.run.warmup_days = warmup_days;
    raw.run.horizon_days = f64::from(weeks) * 7.0;
    let scale = (1.0 + raw.demand.growth_per_month).powf(-shift_days / MONTH_DAYS);
    if let Some(v) = raw.demand.tickets_per_week.as_mut() {
        *v *= scale;
    }
    if let Some(v) = raw.demand.tickets_per_hour.as_mut() {
        *v *= scale;
    }
    // A surge stays on its date; those outside the history's span (the file's plans for its
    // own run, usually after the history) are left out.
    let span_days = warmup_days + raw.run.horizon_days + raw.run.drain_days.max(0.0);
    for surge in &mut raw.demand.surges {
        surge.start_day += shift_days;
    }
    raw.demand
        .surges
        .retain(|x| x.start_day >= 0.0 && x.start_day < span_days);
    raw.initial_state = None;
    Scenario::from_raw(raw, origin)
}

/// One week's accumulators.
#[derive(Debug, Clone)]
struct Week {
    tickets: f64,
    first_response: Reservoir<f64>,
    resolution: Reservoir<f64>,
    /// (met, with a target) for first response and resolution.
    sla: [(u64, u64); 2],
}

/// Per-week measures of tickets, fed from a history or from a simulation's records.
#[derive(Debug, Clone)]
pub struct Weeks {
    week0: Date,
    tz: TimeZone,
    /// Simulated time 0 as an instant.
    origin: Timestamp,
    weeks: Vec<Week>,
}

/// The chance that one draw from the simulated distribution falls outside the interpolated
/// 2.5% and 97.5% quantiles of `replications` others: about `1 - 0.95 (R - 1) / (R + 1)`
/// (6.9% at 100 replications, 5% only as R grows), the rate a correct scenario is flagged at.
pub fn miss_rate(replications: u32) -> f64 {
    let r = f64::from(replications.max(2));
    1.0 - 0.95 * (r - 1.0) / (r + 1.0)
}

/// Quantile `q` of sorted values (linear interpolation between order statistics).
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let h = (sorted.len() - 1) as f64 * q;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

impl Weeks {
    /// Empty weeks `0..weeks` from `week0`, for the backtest scenario `s` (its zone and time 0).
    ///
    /// # Errors
    /// A start date outside the representable range.
    pub fn new(
        s: &Scenario,
        week0: Date,
        weeks: u32,
    ) -> Result<Weeks, crate::scenario::calendar::CalendarError> {
        let origin = crate::scenario::calendar::origin(s.run.start_date, &s.run.timezone)?;
        Ok(Weeks {
            week0,
            tz: s.run.timezone.clone(),
            origin,
            weeks: (0..weeks)
                .map(|w| Week {
                    tickets: 0.0,
                    first_response: Reservoir::new(2 * u64::from(w)),
                    resolution: Reservoir::new(2 * u64::from(w) + 1),
                    sla: [(0, 0); 2],
                })
                .collect(),
        })
    }

    /// Simulated minutes of an instant.
    pub fn sim_min(&self, ts: Timestamp) -> f64 {
        (ts.as_second() - self.origin.as_second()) as f64 / 60.0
            + f64::from(ts.subsec_nanosecond() - self.origin.subsec_nanosecond()) / 6e10
    }

    /// The week of simulated minute `t`, if inside the span.
    fn week_of(&self, t: f64) -> Option<usize> {
        let ts = self
            .origin
            .checked_add(jiff::SignedDuration::from_secs_f64(t * 60.0))
            .ok()?;
        let days = (self.tz.to_datetime(ts).date() - self.week0).get_days();
        (days >= 0)
            .then_some(days as usize / 7)
            .filter(|w| *w < self.weeks.len())
    }

    /// Adds one ticket created at simulated minute `t` of priority `priority` and segment
    /// `segment` (indices), with its first response and resolution [minutes], if any.
    pub fn add(
        &mut self,
        s: &Scenario,
        t: f64,
        priority: usize,
        segment: usize,
        first_response: Option<f64>,
        resolution: Option<f64>,
    ) {
        let Some(w) = self.week_of(t) else { return };
        let week = &mut self.weeks[w];
        week.tickets += 1.0;
        if let Some(f) = first_response {
            week.first_response.push(f);
        }
        if let Some(r) = resolution {
            week.resolution.push(r);
        }
        let cell = priority * s.segment_count() + segment;
        let cell_targets = s.sla.cells.get(cell).copied().unwrap_or_default();
        let targets = [
            cell_targets.first_response.map(|(_, t)| t),
            cell_targets.resolution.map(|(_, t)| t),
        ];
        for (k, (target, x)) in targets.iter().zip([first_response, resolution]).enumerate() {
            if let Some(tg) = target {
                let met = x.is_some_and(|x| s.sla.clock_minutes(tg, t, t + x) <= tg.limit_min);
                week.sla[k].0 += u64::from(met);
                week.sla[k].1 += 1;
            }
        }
    }

    /// The [`METRICS`] of each week (NaN where a week has nothing to measure).
    pub fn values(&self) -> Vec<[f64; 7]> {
        self.weeks
            .iter()
            .map(|w| {
                let sorted = |r: &Reservoir<f64>| {
                    let mut v = r.items.clone();
                    v.sort_by(f64::total_cmp);
                    v
                };
                let fr = sorted(&w.first_response);
                let res = sorted(&w.resolution);
                let share = |(m, n): (u64, u64)| {
                    if n == 0 {
                        f64::NAN
                    } else {
                        m as f64 / n as f64
                    }
                };
                [
                    w.tickets,
                    quantile(&fr, 0.5),
                    quantile(&fr, 0.9),
                    quantile(&res, 0.5),
                    quantile(&res, 0.9),
                    share(w.sla[0]),
                    share(w.sla[1]),
                ]
            })
            .collect()
    }
}

/// Whether a simulated ticket is one a helpdesk export would hold: it reached the support
/// team (not deflected by self-service, turned away by closed hours or a full queue, or
/// contained by the bot).
pub fn counts_as_history(r: &TicketRecord) -> bool {
    !r.backlog
        && matches!(
            r.outcome,
            TicketOutcome::Resolved | TicketOutcome::Abandoned | TicketOutcome::Unresolved
        )
}

/// A [`TicketSink`] measuring one replication's tickets per week.
pub struct WeekSink<'a> {
    /// The backtest scenario.
    pub s: &'a Scenario,
    /// The weeks being filled.
    pub weeks: Weeks,
}

impl TicketSink for WeekSink<'_> {
    fn record(&mut self, r: &TicketRecord) {
        if !counts_as_history(r) {
            return;
        }
        let f = |x: f64| x.is_finite().then_some(x);
        self.weeks.add(
            self.s,
            r.arrival_min,
            r.arrival_priority as usize,
            r.segment as usize,
            f(r.first_response_min),
            f(r.resolution_min),
        );
    }
}

/// One week of the comparison.
#[derive(Debug, Clone)]
pub struct WeekRow {
    /// Week index from the first.
    pub week: usize,
    /// Its Monday.
    pub start: Date,
    /// The history's [`METRICS`].
    pub history: [f64; 7],
    /// The simulation's mean over replications.
    pub sim_mean: [f64; 7],
    /// The 2.5% quantile over replications.
    pub sim_low: [f64; 7],
    /// The 97.5% quantile over replications.
    pub sim_high: [f64; 7],
    /// History outside `[sim_low, sim_high]`.
    pub outside: [bool; 7],
}

/// Puts the history's weeks beside the replications' (`sims[replication][week]`).
pub fn compare(week0: Date, history: &[[f64; 7]], sims: &[Vec<[f64; 7]>]) -> Vec<WeekRow> {
    history
        .iter()
        .enumerate()
        .map(|(w, h)| {
            let mut row = WeekRow {
                week: w,
                start: week0
                    .checked_add(jiff::Span::new().days(7 * w as i64))
                    .unwrap_or(week0),
                history: *h,
                sim_mean: [f64::NAN; 7],
                sim_low: [f64::NAN; 7],
                sim_high: [f64::NAN; 7],
                outside: [false; 7],
            };
            for m in 0..7 {
                let mut v: Vec<f64> = sims
                    .iter()
                    .filter_map(|s| s.get(w).map(|x| x[m]))
                    .filter(|x| x.is_finite())
                    .collect();
                if v.is_empty() {
                    continue;
                }
                v.sort_by(f64::total_cmp);
                row.sim_mean[m] = v.iter().sum::<f64>() / v.len() as f64;
                row.sim_low[m] = quantile(&v, 0.025);
                row.sim_high[m] = quantile(&v, 0.975);
                row.outside[m] =
                    h[m].is_finite() && (h[m] < row.sim_low[m] || h[m] > row.sim_high[m]);
            }
            row
        })
        .collect()
}

/// Writes simulated tickets as a generic export (`created`, `solved`, `wait_min` = first
/// response, `priority`, `segment`): a synthetic history with known truth for tests and
/// demonstrations. `s` is the scenario that simulated them (its zone and start).
///
/// # Errors
/// Writer errors.
pub fn write_generic_export<W: std::io::Write>(
    s: &Scenario,
    records: &[TicketRecord],
    out: W,
) -> std::io::Result<()> {
    let origin = crate::scenario::calendar::origin(s.run.start_date, &s.run.timezone)
        .map_err(std::io::Error::other)?;
    let stamp = |m: f64| -> String {
        origin
            .checked_add(jiff::SignedDuration::from_secs_f64((m * 60.0).round()))
            .map(|t| {
                t.to_zoned(s.run.timezone.clone())
                    .strftime("%Y-%m-%dT%H:%M:%S%:z")
                    .to_string()
            })
            .unwrap_or_default()
    };
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["created", "solved", "wait_min", "priority", "segment"])?;
    for r in records.iter().filter(|r| counts_as_history(r)) {
        // Times are written to the second: the history's created instant is rounded, and
        // the durations are kept relative to it.
        let created = (r.arrival_min * 60.0).round() / 60.0;
        w.write_record([
            stamp(created),
            if r.resolution_min.is_finite() {
                stamp(created + r.resolution_min)
            } else {
                String::new()
            },
            if r.first_response_min.is_finite() {
                format!("{:.4}", r.first_response_min)
            } else {
                String::new()
            },
            s.priority_name(r.arrival_priority as usize).to_string(),
            s.demand.segment_names[r.segment as usize].clone(),
        ])?;
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate() {
        assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0, 5.0], 0.5), 3.0);
        assert!((quantile(&[0.0, 10.0], 0.9) - 9.0).abs() < 1e-12);
        assert!(quantile(&[], 0.5).is_nan());
    }

    #[test]
    fn a_week_far_from_every_replication_is_flagged() {
        let sims: Vec<Vec<[f64; 7]>> = (0..40)
            .map(|i| vec![[100.0 + f64::from(i % 10); 7], [100.0; 7]])
            .collect();
        let rows = compare(
            jiff::civil::date(2025, 6, 2),
            &[[104.0; 7], [200.0; 7]],
            &sims,
        );
        assert!(rows[0].outside.iter().all(|o| !o));
        assert!(rows[1].outside.iter().all(|o| *o));
        assert_eq!(rows[1].start, jiff::civil::date(2025, 6, 9));
    }
}
