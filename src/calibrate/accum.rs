//! Streaming accumulators: what one pass over an export keeps. Memory is bounded whatever the
//! file's size: counts per local day (one entry per day of history), a weekday x hour table,
//! exact moment sums, and fixed-size uniform reservoirs for the tests that need samples
//! (Kolmogorov-Smirnov distances, Kaplan-Meier).

use jiff::civil::{Date, DateTime};
use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use std::collections::BTreeMap;

/// Samples kept per reservoir: enough for a KS distance to +-0.01 and a smooth KM curve.
pub const RESERVOIR: usize = 20_000;

/// A uniform random sample of fixed maximum size (Vitter's algorithm R), seeded so a file
/// always gives the same fit.
#[derive(Debug, Clone)]
pub struct Reservoir<T> {
    /// The kept items (at most [`RESERVOIR`]).
    pub items: Vec<T>,
    seen: u64,
    rng: Xoshiro256PlusPlus,
}

impl<T> Reservoir<T> {
    /// An empty reservoir with its own stream.
    pub fn new(stream: u64) -> Self {
        Reservoir {
            items: Vec::new(),
            seen: 0,
            rng: Xoshiro256PlusPlus::seed_from_u64(0x5eed_ca1b ^ stream),
        }
    }

    /// Offers one item.
    pub fn push(&mut self, x: T) {
        self.seen += 1;
        if self.items.len() < RESERVOIR {
            self.items.push(x);
        } else {
            let j = self.rng.random_range(0..self.seen);
            if (j as usize) < RESERVOIR {
                self.items[j as usize] = x;
            }
        }
    }
}

/// Exact sums of positive durations and of their logarithms (the sufficient statistics of
/// the lognormal and gamma fits), plus a reservoir for goodness of fit.
#[derive(Debug, Clone)]
pub struct Durations {
    /// Count.
    pub n: u64,
    /// Sum of x.
    pub sum: f64,
    /// Sum of x^2.
    pub sum2: f64,
    /// Sum of ln x.
    pub sum_ln: f64,
    /// Sum of (ln x)^2.
    pub sum_ln2: f64,
    /// A uniform sample.
    pub sample: Reservoir<f64>,
}

impl Durations {
    /// Empty, with reservoir stream `stream`.
    pub fn new(stream: u64) -> Self {
        Durations {
            n: 0,
            sum: 0.0,
            sum2: 0.0,
            sum_ln: 0.0,
            sum_ln2: 0.0,
            sample: Reservoir::new(stream),
        }
    }

    /// Adds one positive duration [minutes].
    pub fn push(&mut self, x: f64) {
        let l = x.ln();
        self.n += 1;
        self.sum += x;
        self.sum2 += x * x;
        self.sum_ln += l;
        self.sum_ln2 += l * l;
        self.sample.push(x);
    }

    /// Sample mean.
    pub fn mean(&self) -> f64 {
        self.sum / self.n as f64
    }
}

/// Waits of live contacts: abandoned ones are events, served ones censored.
#[derive(Debug, Clone)]
pub struct Waits {
    /// Abandoned contacts.
    pub events: u64,
    /// Contacts in all.
    pub n: u64,
    /// Total time at risk [minutes] (the exponential MLE is this / events).
    pub exposure: f64,
    /// A sample of (wait, abandoned).
    pub sample: Reservoir<(f64, bool)>,
}

impl Waits {
    /// Empty.
    pub fn new(stream: u64) -> Self {
        Waits {
            events: 0,
            n: 0,
            exposure: 0.0,
            sample: Reservoir::new(stream),
        }
    }

    /// Adds one wait [minutes].
    pub fn push(&mut self, t: f64, abandoned: bool) {
        self.n += 1;
        self.events += u64::from(abandoned);
        self.exposure += t;
        self.sample.push((t, abandoned));
    }
}

/// Arrivals per local day and per weekday x hour, in the profile zone.
#[derive(Debug, Clone, Default)]
pub struct ArrivalCounts {
    /// Arrivals per local date, for the dates the export has rows for.
    pub days: BTreeMap<Date, f64>,
    /// Arrivals per weekday (0 = Monday) and local hour.
    pub hours: [[f64; 24]; 7],
    /// True for ticket exports: a date without tickets inside the span had none (0); false for
    /// interval reports, where a date without rows is missing unless its weekday is closed.
    pub zero_fill: bool,
}

impl ArrivalCounts {
    /// Adds `n` arrivals at local time `t`.
    pub fn add(&mut self, t: DateTime, n: f64) {
        *self.days.entry(t.date()).or_insert(0.0) += n;
        let wd = t.weekday().to_monday_zero_offset() as usize;
        self.hours[wd][t.hour() as usize] += n;
    }

    /// Marks a date as reported (an interval row with 0 offered).
    pub fn touch(&mut self, d: Date) {
        self.days.entry(d).or_insert(0.0);
    }
}

/// Distinct spellings of one segment name kept for the merge note.
pub const SPELLINGS_KEPT: usize = 4;

/// Everything a pass over a ticket export keeps.
#[derive(Debug, Clone)]
pub struct TicketStats {
    /// Arrivals.
    pub arrivals: ArrivalCounts,
    /// Rows read (bad ones included).
    pub rows: u64,
    /// Rows skipped as bad (at most `--max-bad-rows`).
    pub bad_rows: u64,
    /// Tickets per channel (email, chat, phone); `None` without a channel column.
    pub channels: Option<[u64; 3]>,
    /// Tickets per priority P1..P4; `None` without a priority column.
    pub priorities: Option<[u64; 4]>,
    /// Tickets with a blank or unknown priority (counted as P3).
    pub priority_unknown: u64,
    /// Tickets per segment, in order of first appearance; `None` without a segment column.
    pub segments: Option<Vec<(String, u64)>>,
    /// Per entry of `segments` (same order): the distinct export spellings read as it
    /// (trimmed, at most [`SPELLINGS_KEPT`]; none for `other` past the tracked values), so
    /// that values merged by cleaning can be named in a note.
    pub segment_spellings: Vec<Vec<String>>,
    /// Tickets per required level 1..3 and the column it came from; `None` without one.
    pub levels: Option<([u64; 3], String)>,
    /// Work times [minutes] per level (1..3) and channel, then per level over all channels
    /// (see [`TicketStats::work_index`], [`TicketStats::level_index`]); `None` without time
    /// tracking.
    pub work: Option<Vec<Durations>>,
    /// Tickets whose tracked time was 0 or blank (left out of the work-time fit).
    pub work_missing: u64,
    /// Waits of chat and phone contacts (index 0 chat, 1 phone) where the export says which
    /// were abandoned.
    pub waits: Option<[Waits; 2]>,
    /// Chat and phone contacts marked abandoned with a zero wait: never queued for an agent
    /// (see [`super::formats::Fate::NeverQueued`]), left out.
    pub never_queued: u64,
    /// Rows whose outcome is `PHANTOM` (not a contact), left out.
    pub phantom: u64,
    /// Median of (solved - created) [hours] over a sample, when solved times exist.
    pub resolution: Option<Reservoir<f64>>,
    /// Human-readable notes about what was assumed (first few bad rows, missing columns).
    pub notes: Vec<String>,
}

impl TicketStats {
    /// The work-time accumulator of a level (1..3) and channel.
    pub fn work_index(level: usize, channel: usize) -> usize {
        (level - 1) * 3 + channel
    }

    /// The work-time accumulator of a level (1..3), all channels.
    pub fn level_index(level: usize) -> usize {
        9 + level - 1
    }
}
