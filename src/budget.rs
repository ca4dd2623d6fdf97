//! The resource budget of a command, estimated from the scenario and the command line before
//! any simulation starts: peak memory, run time and the size of per-ticket output. A command
//! above a limit is refused (the caller may override with `--force`), so a typo such as
//! `--replications 4000000000` or a 1e-9-minute time-series interval ends in a clear message
//! instead of an allocation failure hours later.
//!
//! The estimates are upper-bound style sums of what the code keeps in memory (see each term);
//! they are deliberately simple, counted in bytes of the vectors involved, and meant to be
//! right within a factor of about two.

use crate::measure::Catalog;
use crate::scenario::Scenario;
use crate::scenario::analysis::mean_arrival_rate;

/// Default memory limit [bytes]: 2 GiB.
pub const DEFAULT_MEMORY_LIMIT: u64 = 2 << 30;
/// Default run-time limit [seconds]: one hour.
pub const DEFAULT_TIME_LIMIT_S: f64 = 3600.0;
/// Default limit on per-ticket output written to disk [bytes]: 20 GiB.
pub const DEFAULT_DISK_LIMIT: u64 = 20 << 30;

/// Tickets simulated per second and thread, for the time estimate: below the slowest bundled
/// benchmark (1.5 million tickets/s on one core, README "Performance"), so the estimate errs
/// on the long side.
pub const TICKETS_PER_SECOND_PER_THREAD: f64 = 1.0e6;

/// Bytes one open ticket costs while it is in the system: the slab entry, its queue entry and
/// its pending events, doubled for vector growth.
const BYTES_PER_OPEN_TICKET: f64 = 320.0;
/// Bytes per replication value kept in the running fold (the f64 and its summary share).
const BYTES_PER_VALUE: f64 = 80.0;
/// Bytes per replication value of a command that writes the long replications table: the
/// value, the table's row (metric and group text) and its CSV and Parquet bytes held until
/// the output commit. Measured 2026-12-08 as the slope of peak resident memory over
/// replications of `run`: 192 bytes on a 150-metric file, 210 on the bundled tiered file
/// (255 metrics); counted at 80 before, which let `run` reach 4.7 GB unrefused.
const BYTES_PER_TABLE_VALUE: f64 = 224.0;
/// Bytes per ticket record in `tickets/part-*.parquet` (compressed columns, generous).
const BYTES_PER_TICKET_RECORD: f64 = 64.0;
/// Bytes per row of the long time-series table while the outputs are built: the table
/// itself (time, local timestamp, series and pool text, mean and CI), its CSV text, and the
/// chart and report points. Measured (`/usr/bin/time`): the bundled tiered file at
/// `timeseries_interval_min = 0.0505`, 2 replications, 10.98 million rows, peaked at 3.14 GB,
/// of which 0.44 GB is the simulation's own series: 245 bytes per row.
const BYTES_PER_SERIES_ROW: f64 = 250.0;
/// Replications simulated together before folding (`montecarlo::CHUNK`): their time series are
/// held at once.
const CHUNK: f64 = 64.0;

/// What a command will do, as far as resources go.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Work {
    /// Scenarios (designs, sweep points) simulated, each with `replications` replications.
    pub scenarios: u64,
    /// Replications per scenario.
    pub replications: u32,
    /// Worker threads.
    pub threads: usize,
    /// Whether every scenario's replication values are held until the end (`compare`; a
    /// sweep streams each point's rows out as it ends).
    pub keep_all: bool,
    /// Whether each replication's time series is kept (shard runs).
    pub keep_series: bool,
    /// Whether one record per measured ticket is written (`run --tickets`).
    pub tickets: bool,
    /// Whether the long time-series table is built and written (`run`).
    pub series_table: bool,
    /// Whether the long replications table (one row per replication x metric) is built and
    /// written (`run`, `compare`, `merge`; a sweep, one point at a time).
    pub replication_table: bool,
}

impl Work {
    /// `scenarios` simulations of `replications` each on `threads`, nothing kept beyond the
    /// running fold (no replication values across scenarios, no series, no ticket records,
    /// no time-series table); set the flags a command needs on the result.
    pub fn simulations(scenarios: u64, replications: u32, threads: usize) -> Work {
        Work {
            scenarios,
            replications,
            threads,
            keep_all: false,
            keep_series: false,
            tickets: false,
            series_table: false,
            replication_table: false,
        }
    }
}

/// The estimate for one command.
#[derive(Debug, Clone, PartialEq)]
pub struct Budget {
    /// Peak memory [bytes].
    pub memory_bytes: f64,
    /// Run time on [`TICKETS_PER_SECOND_PER_THREAD`] [seconds].
    pub seconds: f64,
    /// Per-ticket output [bytes] (0 without `--tickets`).
    pub disk_bytes: f64,
    /// The memory terms, largest first: `(what, bytes)`.
    pub terms: Vec<(String, f64)>,
    /// Tickets simulated in total (expected).
    pub tickets: f64,
    /// Contacts simulated in total, at most (tickets times the retrial bound), which the run
    /// time is reckoned on.
    pub contacts: f64,
}

/// `2.16e6 tickets`, or `2.16e6 tickets (up to 4.30e6 contacts with retrials)`.
fn work_label(tickets: f64, contacts: f64) -> String {
    if contacts > tickets {
        format!("{tickets:.2e} tickets (up to {contacts:.2e} contacts with retrials)")
    } else {
        format!("{tickets:.2e} tickets")
    }
}

/// Limits a [`Budget`] is checked against.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Peak memory [bytes].
    pub memory_bytes: u64,
    /// Run time [seconds].
    pub seconds: f64,
    /// Per-ticket output [bytes].
    pub disk_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            memory_bytes: DEFAULT_MEMORY_LIMIT,
            seconds: DEFAULT_TIME_LIMIT_S,
            disk_bytes: DEFAULT_DISK_LIMIT,
        }
    }
}

/// A command over its budget.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BudgetError {
    /// Too much memory.
    #[error(
        "this would need about {} of memory (limit {}): {}; lower it (fewer replications, points or rows; a larger run.timeseries_interval_min; a smaller run.max_open_tickets), or pass --force to run anyway",
        bytes(*need),
        bytes(*limit as f64),
        terms
    )]
    Memory {
        /// Estimated peak [bytes].
        need: f64,
        /// The limit [bytes].
        limit: u64,
        /// The largest terms, described.
        terms: String,
    },
    /// Too long.
    #[error(
        "this would simulate about {}, roughly {} on {threads} thread(s) (limit {}); use fewer replications or points, a shorter run, or pass --force to run anyway",
        work_label(*tickets, *contacts),
        duration(*seconds),
        duration(*limit)
    )]
    Time {
        /// Estimated run time [seconds].
        seconds: f64,
        /// The limit [seconds].
        limit: f64,
        /// Tickets simulated.
        tickets: f64,
        /// Contacts simulated, at most: retrials make a ticket several contacts.
        contacts: f64,
        /// Threads.
        threads: usize,
    },
    /// Too much per-ticket output.
    #[error(
        "--tickets would write about {} of per-ticket records (limit {}); use fewer replications or a shorter horizon, or pass --force to write them anyway",
        bytes(*need),
        bytes(*limit as f64)
    )]
    Disk {
        /// Estimated output [bytes].
        need: f64,
        /// The limit [bytes].
        limit: u64,
    },
}

/// A byte count for people: `1.5 GB`.
pub fn bytes(b: f64) -> String {
    const UNITS: [&str; 6] = ["B", "kB", "MB", "GB", "TB", "PB"];
    let mut x = b;
    let mut u = 0;
    while x >= 1000.0 && u + 1 < UNITS.len() {
        x /= 1000.0;
        u += 1;
    }
    if u == 0 {
        format!("{x:.0} {}", UNITS[u])
    } else if x.is_finite() && u + 1 == UNITS.len() && x >= 1000.0 {
        format!("{x:.2e} {}", UNITS[u])
    } else {
        format!("{x:.1} {}", UNITS[u])
    }
}

/// A duration for people: `42 s`, `3.5 min`, `7.2 h`, `12 days`.
pub fn duration(s: f64) -> String {
    if s < 120.0 {
        format!("{s:.0} s")
    } else if s < 7200.0 {
        format!("{:.1} min", s / 60.0)
    } else if s < 3.0 * 86400.0 {
        format!("{:.1} h", s / 3600.0)
    } else {
        format!("{:.0} days", s / 86400.0)
    }
}

/// Expected tickets per replication of `s` (arrival rate over the whole run, before
/// deflection).
pub fn tickets_per_replication(s: &Scenario) -> f64 {
    let span = s.run.span_min();
    mean_arrival_rate(s, 0.0, span) * span
}

/// Bytes a validated scenario itself occupies (rate table, schedules, clocks, raw file).
fn scenario_bytes(s: &Scenario) -> f64 {
    let segs = s.demand.segments.len() as f64 * 24.0;
    let pools: f64 = s
        .pools
        .iter()
        .map(|p| (p.schedule.len() + p.shift_ends.len()) as f64 * 16.0)
        .sum();
    let raw: f64 = s
        .raw
        .tiers
        .iter()
        .map(|t| {
            t.work_time
                .0
                .iter()
                .map(|(_, d)| match &d.0 {
                    crate::scenario::RawDist::Empirical { samples_min } => samples_min.len() as f64,
                    _ => 1.0,
                })
                .sum::<f64>()
                * 16.0
        })
        .sum();
    // Business clocks: about one open interval per day and calendar.
    let clocks = s.sla.clocks.len() as f64 * (s.run.span_min() / 1440.0 + 1.0) * 16.0;
    4096.0 + segs + pools + raw + clocks
}

/// The budget of `work` on scenarios like `s` (every scenario of the command is assumed to be
/// the size of `s`; for sweeps, the base scenario).
pub fn estimate(s: &Scenario, work: Work) -> Budget {
    let reps = f64::from(work.replications);
    let n = work.scenarios as f64;
    let threads = work.threads.max(1) as f64;
    let metrics = Catalog::new(s).defs.len() as f64;
    let cols = series_columns(s) as f64;
    let rows = (s.run.window_end_min() / s.run.interval_min).floor();
    let cells = rows * cols;
    let per_rep_tickets = tickets_per_replication(s);
    let open = f64::from(s.run.max_open_tickets).min(2.0 * per_rep_tickets + 1000.0);
    let in_flight = threads.min(reps);
    let mut terms = vec![
        (
            format!(
                "time series {rows:.0} rows x {cols:.0} columns for {:.0} replications at once",
                CHUNK.min(reps)
            ),
            cells * 8.0 * (CHUNK.min(reps) + 3.0),
        ),
        (
            format!(
                "open tickets up to {open:.0} per replication x {in_flight:.0} running at once"
            ),
            open * BYTES_PER_OPEN_TICKET * in_flight,
        ),
        (
            format!(
                "replication values {reps:.0} replications x {metrics:.0} metrics{}",
                if work.keep_all && n > 1.0 {
                    format!(" x {n:.0} scenarios")
                } else {
                    String::new()
                }
            ),
            reps * metrics
                * if work.replication_table {
                    BYTES_PER_TABLE_VALUE
                } else {
                    BYTES_PER_VALUE
                }
                * if work.keep_all { n } else { 1.0 },
        ),
        (
            format!("{n:.0} scenario(s) held in memory"),
            scenario_bytes(s) * n * 2.0,
        ),
    ];
    if work.series_table {
        // The long table has one row per cell (interval x series): `series_table_rows`.
        terms.push((
            format!(
                "time-series table {cells:.0} rows ({rows:.0} intervals x {cols:.0} series) as a table, CSV and charts"
            ),
            cells * BYTES_PER_SERIES_ROW,
        ));
    }
    if work.keep_series {
        terms.push((
            format!("kept time series of {reps:.0} replications"),
            cells * 8.0 * reps,
        ));
    }
    terms.sort_by(|a, b| b.1.total_cmp(&a.1));
    let memory_bytes = terms.iter().map(|t| t.1).sum::<f64>() + 50e6;
    let tickets = per_rep_tickets * reps * n;
    let window_share = s.run.horizon_min / s.run.span_min();
    let contacts = tickets * contacts_per_ticket_bound(s);
    Budget {
        memory_bytes,
        seconds: contacts / (threads * TICKETS_PER_SECOND_PER_THREAD),
        disk_bytes: if work.tickets {
            per_rep_tickets * window_share * reps * BYTES_PER_TICKET_RECORD
        } else {
            0.0
        },
        terms,
        tickets,
        contacts,
    }
}

/// An upper bound on the expected contacts per ticket, for the time estimate: under
/// `[customers.retrials]` a failed live contact comes back with probability q (the largest of
/// the three shares) up to `max_retrials` m times, so even if every contact failed a ticket
/// would make 1 + q + ... + q^m contacts on average, each costing about what a ticket does.
/// Without retrials, 1.
fn contacts_per_ticket_bound(s: &Scenario) -> f64 {
    let Some(r) = &s.behaviour.retrials else {
        return 1.0;
    };
    let q = r.share.iter().copied().fold(0.0, f64::max);
    (0..=u32::from(r.max)).map(|k| q.powi(k as i32)).sum()
}

/// Evaluations a staffing search over `pools` pools is expected to run, for its time
/// estimate: `1 + 3n + n²`, the start, about three repair or removal candidates per pool and
/// one round of swaps (one per ordered pair of pools, `n(n - 1)`, plus `n` for the vectors
/// the swaps lead to). Fitted to searches of the bundled files at 20 replications
/// (docs/staff.md, "How long a search takes"): n = 1 ran 4 and 8 (estimate 5), n = 2 ran 14
/// (11), n = 6 ran 32 and 43 (55), n = 8 ran 72 (89), n = 11 ran 9 (155, a target the file
/// nearly meets). A typical case, not a bound: a search that starts far from its answer runs
/// more, one that starts on it fewer. The confirmation's evaluations are counted apart
/// ([`staff_work`]).
pub fn staff_evaluations(pools: usize) -> u64 {
    let n = pools as u64;
    1 + 3 * n + n * n
}

/// The [`Work`] of a staffing search: [`staff_evaluations`] of `replications` each, then the
/// confirmation (its first evaluation and one repair step, `1 + n` evaluations) of
/// `confirm_replications`, expressed as scenarios of the larger replication count.
pub fn staff_work(
    pools: usize,
    replications: u32,
    confirm_replications: u32,
    threads: usize,
    keep_series: bool,
) -> Work {
    let reps = replications.max(confirm_replications).max(1);
    let runs = staff_evaluations(pools) * u64::from(replications)
        + (1 + pools as u64) * u64::from(confirm_replications);
    Work {
        scenarios: runs.div_ceil(u64::from(reps)),
        replications: reps,
        threads,
        keep_all: false,
        keep_series,
        tickets: false,
        series_table: false,
        replication_table: false,
    }
}

/// Simulations of `replications` a `roster` search runs at most: the first round, up to
/// `max_repairs` repair rounds and up to `max_trim_evaluations` trim evaluations.
pub fn roster_simulations(max_repairs: u32, max_trim_evaluations: u32) -> u64 {
    1 + u64::from(max_repairs) + u64::from(max_trim_evaluations)
}

/// The [`Work`] of a roster: [`roster_simulations`] of `replications`, then two
/// confirmations of `confirm_replications` (the confirmation and one re-check after putting
/// a trimmed agent back; a re-check per agent is the worst case, but every removal it undoes
/// already held on the search's seed, so more than one is rare), expressed as scenarios of
/// the larger count.
pub fn roster_work(
    max_repairs: u32,
    max_trim_evaluations: u32,
    replications: u32,
    confirm_replications: u32,
    threads: usize,
) -> Work {
    let reps = replications.max(confirm_replications).max(1);
    let runs = roster_simulations(max_repairs, max_trim_evaluations) * u64::from(replications)
        + 2 * u64::from(confirm_replications);
    Work::simulations(runs.div_ceil(u64::from(reps)), reps, threads)
}

/// Rows of the long time-series table of `s` (`timeseries.csv`): intervals x series, as
/// [`crate::measure::SeriesLayout::new`] lays them out.
pub fn series_table_rows(s: &Scenario) -> f64 {
    (s.run.window_end_min() / s.run.interval_min).floor() * series_columns(s) as f64
}

/// Time-series columns of `s` without building its layout (see [`crate::measure::SeriesLayout::new`]).
fn series_columns(s: &Scenario) -> usize {
    2 + 3 * s.pools.len() + usize::from(s.swarm.is_some())
}

/// `x` within `limit`; a NaN estimate never fits.
fn fits(x: f64, limit: f64) -> bool {
    x <= limit
}

impl Budget {
    /// Checks the estimate against `limits`.
    ///
    /// # Errors
    /// The first limit exceeded: memory, then time, then disk.
    pub fn check(&self, limits: Limits, threads: usize) -> Result<(), BudgetError> {
        if !fits(self.memory_bytes, limits.memory_bytes as f64) {
            let terms: Vec<String> = self
                .terms
                .iter()
                .take(2)
                .map(|(what, b)| format!("{what} = {}", bytes(*b)))
                .collect();
            return Err(BudgetError::Memory {
                need: self.memory_bytes,
                limit: limits.memory_bytes,
                terms: terms.join("; "),
            });
        }
        if !fits(self.seconds, limits.seconds) {
            return Err(BudgetError::Time {
                seconds: self.seconds,
                limit: limits.seconds,
                tickets: self.tickets,
                contacts: self.contacts,
                threads,
            });
        }
        if !fits(self.disk_bytes, limits.disk_bytes as f64) {
            return Err(BudgetError::Disk {
                need: self.disk_bytes,
                limit: limits.disk_bytes,
            });
        }
        Ok(())
    }

    /// `~1.2 GB, ~3.5 min` for the progress bar.
    pub fn label(&self) -> String {
        format!(
            "est. {} memory, {}",
            bytes(self.memory_bytes),
            duration(self.seconds)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn mmc() -> Scenario {
        Scenario::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/mmc.toml")).unwrap()
    }

    fn work(replications: u32) -> Work {
        Work {
            scenarios: 1,
            replications,
            threads: 2,
            keep_all: false,
            keep_series: false,
            tickets: false,
            series_table: true,
            replication_table: true,
        }
    }

    #[test]
    fn a_fine_time_series_is_counted_before_the_run() {
        let mut s = mmc();
        let b = estimate(&s, work(2));
        b.check(Limits::default(), 2).unwrap();
        // One-second intervals over mmc's 8 days of warm-up and horizon: 691,200 intervals x
        // 5 series = 3.5 million table rows, about 860 MB to build and write: under the
        // limit...
        s.run.interval_min = 1.0 / 60.0;
        let rows = series_table_rows(&s);
        assert!((rows - 691_200.0 * 5.0).abs() < 10.0, "{rows}");
        estimate(&s, work(2)).check(Limits::default(), 2).unwrap();
        // ... and with 4 pools (14 series, 9.7 million rows, about 2.4 GB) over it.
        for k in 0..3 {
            let mut p = s.pools[0].clone();
            p.name = format!("extra{k}");
            s.pools.push(p);
        }
        let e = estimate(&s, work(2)).check(Limits::default(), 2);
        match e {
            Err(BudgetError::Memory { terms, .. }) => {
                assert!(terms.contains("time-series table"), "{terms}");
            }
            other => panic!("{other:?}"),
        }
    }

    /// A patience that fails every contact, retried up to 100 times, makes about 101
    /// contacts a ticket: the time estimate counts them (it once counted 1 and let a
    /// five-hour run through as 58 minutes); a file without retrials is unchanged.
    #[test]
    fn retrials_multiply_the_time_estimate_by_their_contacts() {
        let s = mmc();
        let plain = estimate(&s, work(100)).seconds;
        let text = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/mmc.toml"),
        )
        .unwrap()
            + "\n[customers]\npatience.phone = 0.0001\n[customers.retrials]\nabandoned_share = 1\ndelay_min = 0.0001\nmax_retrials = 100\n";
        let r = Scenario::from_toml_str(&text, Path::new("retrials.toml")).unwrap();
        let with = estimate(&r, work(100)).seconds;
        assert!((with / plain - 101.0).abs() < 1e-9, "{with} vs {plain}");
        // The refusal says what it counted: the tickets and the contacts they may make.
        let time_only = Limits {
            memory_bytes: 1 << 40,
            ..Limits::default()
        };
        let e = estimate(&r, work(100_000))
            .check(time_only, 2)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("2.16e9 tickets (up to 2.18e11 contacts with retrials)"),
            "{e}"
        );
        let half = Scenario::from_toml_str(
            &text
                .replace("abandoned_share = 1", "abandoned_share = 0.5")
                .replace("max_retrials = 100", "max_retrials = 3"),
            Path::new("retrials.toml"),
        )
        .unwrap();
        let with = estimate(&half, work(100)).seconds;
        assert!((with / plain - 1.875).abs() < 1e-9, "{with} vs {plain}");
    }

    #[test]
    fn ordinary_runs_fit_and_absurd_ones_do_not() {
        let s = mmc();
        let b = estimate(&s, work(100));
        // mmc: 100 tickets/hour over 9 days = 21,600 tickets per replication.
        assert!((b.tickets - 2.16e6).abs() < 1e3, "{}", b.tickets);
        assert!(b.memory_bytes < 200e6, "{}", b.memory_bytes);
        b.check(Limits::default(), 2).unwrap();
        let e = estimate(&s, work(1_000_000)).check(Limits::default(), 2);
        assert!(matches!(e, Err(BudgetError::Memory { .. })), "{e:?}");
        // 10,000 replications of 21,600 tickets: about 2 minutes on two threads.
        let e = estimate(&s, work(10_000)).check(
            Limits {
                seconds: 60.0,
                ..Limits::default()
            },
            2,
        );
        assert!(matches!(e, Err(BudgetError::Time { .. })), "{e:?}");
        let mut big = s.clone();
        big.run.interval_min = 0.01;
        let e = estimate(&big, work(100))
            .check(Limits::default(), 2)
            .unwrap_err();
        assert!(e.to_string().contains("time series"), "{e}");
        assert!(e.to_string().contains("--force"), "{e}");
    }

    #[test]
    fn staff_time_counts_every_evaluation() {
        assert_eq!(staff_evaluations(1), 5);
        assert_eq!(staff_evaluations(3), 19);
        assert_eq!(staff_evaluations(6), 55);
        let w = staff_work(1, 100, 100, 2, false);
        // 5 search evaluations + 2 of the confirmation, 100 replications each.
        assert_eq!((w.scenarios, w.replications), (7, 100));
        let w = staff_work(2, 10, 1000, 2, false);
        // 11 x 10 + 3 x 1000 = 3110 replications = 4 scenarios of 1000 (rounded up).
        assert_eq!((w.scenarios, w.replications), (4, 1000));
        let s = mmc();
        // 1,000 replications of 21,600 tickets: 10.8 s per evaluation on two threads, so one
        // evaluation fits a 1-minute limit and the search's 7 (76 s) do not.
        let limit = Limits {
            seconds: 60.0,
            ..Limits::default()
        };
        estimate(&s, work(1000)).check(limit, 2).unwrap();
        let e = estimate(&s, staff_work(1, 1000, 1000, 2, false)).check(limit, 2);
        assert!(matches!(e, Err(BudgetError::Time { .. })), "{e:?}");
    }

    #[test]
    fn roster_time_counts_every_round_the_search_may_run() {
        assert_eq!(roster_simulations(6, 200), 207);
        assert_eq!(roster_simulations(0, 0), 1);
        // 207 x 20 + 2 x 20 replications = 209 scenarios of 20.
        let w = roster_work(6, 200, 20, 20, 2);
        assert_eq!((w.scenarios, w.replications), (209, 20));
        // 7 x 10 + 2 x 100 = 270 replications = 3 scenarios of 100 (rounded up).
        let w = roster_work(6, 0, 10, 100, 2);
        assert_eq!((w.scenarios, w.replications), (3, 100));
        // 100 replications of 21,600 tickets: about 1.1 s a simulation on two threads. The old
        // count (one simulation) fitted a 1-minute limit; the search's bound (209) does not.
        let limit = Limits {
            seconds: 60.0,
            ..Limits::default()
        };
        let s = mmc();
        estimate(&s, work(100)).check(limit, 2).unwrap();
        let e = estimate(&s, roster_work(6, 200, 100, 100, 2)).check(limit, 2);
        assert!(matches!(e, Err(BudgetError::Time { .. })), "{e:?}");
        estimate(&s, roster_work(0, 0, 100, 100, 2))
            .check(limit, 2)
            .unwrap();
    }

    #[test]
    fn a_replications_table_is_counted_at_its_measured_size() {
        // `run` with 100,000 replications of a small file peaked at 2.95 GB (measured
        // 2026-12-08, estimated 1.2 GB then): a value of the long table is counted at its
        // measured size, a value in a running fold (staff, roster, plan) as before.
        let s = mmc();
        let metrics = crate::measure::Catalog::new(&s).defs.len() as f64;
        let table = estimate(&s, work(100_000));
        let fold = estimate(
            &s,
            Work {
                series_table: false,
                replication_table: false,
                ..work(100_000)
            },
        );
        let values = |b: &Budget| {
            b.terms
                .iter()
                .find(|t| t.0.starts_with("replication values"))
                .unwrap()
                .1
        };
        assert_eq!(values(&table), 100_000.0 * metrics * 224.0);
        assert_eq!(values(&fold), 100_000.0 * metrics * 80.0);
    }

    #[test]
    fn sizes_print_for_people() {
        assert_eq!(bytes(999.0), "999 B");
        assert_eq!(bytes(2.5e9), "2.5 GB");
        assert_eq!(duration(30.0), "30 s");
        assert_eq!(duration(5400.0), "90.0 min");
        assert_eq!(duration(36_000.0), "10.0 h");
    }
}
