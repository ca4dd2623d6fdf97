//! Parallel Monte Carlo: replications run on rayon's pool, results are gathered in index
//! order and folded sequentially, so every number is identical whatever the thread count.
//!
//! Replications are processed in chunks: per-replication metric values are kept (they make
//! `replications.parquet` and are small), while histograms and time series are merged chunk by
//! chunk, so memory does not grow with the number of tickets simulated.

use crate::engine::{ReplicationResult, simulate, simulate_with_sink};
use crate::measure::{Catalog, GroupKey, Kind, SeriesLayout, TicketSink};
use crate::scenario::Scenario;
use crate::stats::hist::LogHistogram;
use crate::stats::summary::{CellStats, Estimate};
use rayon::prelude::*;

/// Replications simulated together before folding into the aggregate.
const CHUNK: u32 = 64;

/// Shard replications that do not make one whole run ([`MonteCarlo::from_parts`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MergeError {
    /// Two shards hold the same replication.
    #[error("replication {replication} appears in more than one shard")]
    Duplicate {
        /// The replication index.
        replication: u32,
    },
    /// No shard holds this replication.
    #[error("replication {replication} is missing: a shard was not given or did not finish")]
    Missing {
        /// The replication index.
        replication: usize,
    },
    /// A replication's rows do not fit the scenario's catalog and time-series layout.
    #[error(
        "replication {replication} has {metrics} metrics and {cells} time-series cells, the scenario needs {want_metrics} and {want_cells}: the shards were made by another scenario or version"
    )]
    Shape {
        /// The replication index.
        replication: u32,
        /// Metric values it has.
        metrics: usize,
        /// Time-series cells it has.
        cells: usize,
        /// Metric values the scenario has.
        want_metrics: usize,
        /// Time-series cells the scenario has at most.
        want_cells: usize,
    },
}

/// Aggregated results of all replications of one scenario.
#[derive(Debug, Clone)]
pub struct MonteCarlo {
    /// The metric catalog (row order of every table).
    pub catalog: Catalog,
    /// Time-series layout.
    pub layout: SeriesLayout,
    /// Replication values: `values[k][metric]` for replication `indices[k]`.
    pub values: Vec<Vec<f64>>,
    /// Replication index of each row of `values`, ascending (`0..n` unless a shard ran).
    pub indices: Vec<u32>,
    /// Each replication's time series (same order as `values`), kept only for shard runs,
    /// whose partitions must let `merge` rebuild the time-series statistics exactly.
    pub rep_series: Vec<Vec<f64>>,
    /// First-response histograms merged over replications (all, P1..P4, segments).
    pub fr_hist: Vec<LogHistogram>,
    /// Resolution histograms merged over replications.
    pub res_hist: Vec<LogHistogram>,
    /// Time-series cells over replications.
    pub series: CellStats,
    /// Replications stopped at the open-ticket cap.
    pub unstable: u32,
    /// Events processed in total.
    pub events: u64,
    /// Tickets created in total.
    pub tickets: u64,
}

/// One summary row: a metric for a group over replications.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryRow {
    /// Metric name (snake_case, unit suffix).
    pub metric: &'static str,
    /// Group label.
    pub group: String,
    /// The group's dimensions.
    pub key: GroupKey,
    /// Kind of number.
    pub kind: Kind,
    /// Mean, SE and CI over replications.
    pub estimate: Estimate,
    /// Pooled quantiles (P50, P90, P99) over all tickets of all replications, for time metrics.
    pub quantiles: Option<[f64; 3]>,
    /// SLA goal, for per-target attainment rows.
    pub goal: Option<f64>,
}

/// How an SLA attainment estimate stands against its goal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The whole 95% CI is at or above the goal.
    Meets,
    /// The whole 95% CI is below the goal.
    Misses,
    /// The CI straddles the goal.
    Borderline,
}

impl SummaryRow {
    /// Where this row's confidence interval stands against `goal`.
    pub fn verdict(&self, goal: f64) -> Verdict {
        if self.estimate.ci_low >= goal {
            Verdict::Meets
        } else if self.estimate.ci_high < goal {
            Verdict::Misses
        } else {
            Verdict::Borderline
        }
    }
}

/// The summary row of (metric, group), if any.
pub fn find_row<'a>(rows: &'a [SummaryRow], metric: &str, group: &str) -> Option<&'a SummaryRow> {
    rows.iter().find(|r| r.metric == metric && r.group == group)
}

impl MonteCarlo {
    /// Runs `replications` replications of `s` on the current rayon pool. `tick` is called
    /// once per finished replication (from worker threads) to drive a progress bar.
    pub fn run(s: &Scenario, replications: u32, tick: &(dyn Fn() + Sync)) -> MonteCarlo {
        let all: Vec<u32> = (0..replications).collect();
        Self::run_inner(s, &all, false, tick, &|c, i| simulate(s, c, i))
    }

    /// Runs only the replications `indices` (ascending), keeping each one's time series: one
    /// shard of a run split over machines (see [`MonteCarlo::from_parts`]).
    pub fn run_shard(s: &Scenario, indices: &[u32], tick: &(dyn Fn() + Sync)) -> MonteCarlo {
        Self::run_inner(s, indices, true, tick, &|c, i| simulate(s, c, i))
    }

    /// Rebuilds the aggregate of a whole run from its shards' replications, folding them in
    /// replication order exactly as [`MonteCarlo::run`] does, so every table is identical to
    /// a single-machine run. `reps` holds `(index, values, series)` per replication;
    /// histograms hold integer counts, so their sums do not depend on the shard split.
    ///
    /// # Errors
    /// When the replications are not exactly `0..n` or a row has the wrong width.
    #[allow(clippy::too_many_arguments)]
    pub fn from_parts(
        s: &Scenario,
        mut reps: Vec<(u32, Vec<f64>, Vec<f64>)>,
        fr_hist: Vec<LogHistogram>,
        res_hist: Vec<LogHistogram>,
        unstable: u32,
        events: u64,
        tickets: u64,
    ) -> Result<MonteCarlo, MergeError> {
        let catalog = Catalog::new(s);
        let layout = SeriesLayout::new(s);
        let cells = layout.times.len() * layout.columns.len();
        reps.sort_by_key(|r| r.0);
        for (k, (i, v, ts)) in reps.iter().enumerate() {
            if *i as usize != k {
                return Err(if (*i as usize) < k {
                    MergeError::Duplicate { replication: *i }
                } else {
                    MergeError::Missing { replication: k }
                });
            }
            if v.len() != catalog.defs.len() || ts.len() > cells {
                return Err(MergeError::Shape {
                    replication: *i,
                    metrics: v.len(),
                    cells: ts.len(),
                    want_metrics: catalog.defs.len(),
                    want_cells: cells,
                });
            }
        }
        let mut series = CellStats::new(cells);
        let mut values = Vec::with_capacity(reps.len());
        let mut indices = Vec::with_capacity(reps.len());
        for (i, v, ts) in reps {
            series.add(&ts);
            values.push(v);
            indices.push(i);
        }
        Ok(MonteCarlo {
            catalog,
            layout,
            values,
            indices,
            rep_series: Vec::new(),
            fr_hist,
            res_hist,
            series,
            unstable,
            events,
            tickets,
        })
    }

    /// Like [`MonteCarlo::run`], also sending each replication's measured tickets to a sink:
    /// `open(i)` makes replication i's sink on its worker thread, `close(i, sink)` is called
    /// when the replication ends (so at most one sink per thread is open at a time).
    pub fn run_with_sinks<K, O, C>(
        s: &Scenario,
        replications: u32,
        tick: &(dyn Fn() + Sync),
        open: O,
        close: C,
    ) -> MonteCarlo
    where
        K: TicketSink,
        O: Fn(u32) -> K + Sync,
        C: Fn(u32, K) + Sync,
    {
        let all: Vec<u32> = (0..replications).collect();
        Self::run_inner(s, &all, false, tick, &|c, i| {
            let mut sink = open(i);
            let r = simulate_with_sink(s, c, i, &mut sink);
            close(i, sink);
            r
        })
    }

    fn run_inner(
        s: &Scenario,
        indices: &[u32],
        keep_series: bool,
        tick: &(dyn Fn() + Sync),
        sim: &(dyn Fn(&Catalog, u32) -> ReplicationResult + Sync),
    ) -> MonteCarlo {
        let catalog = Catalog::new(s);
        let layout = SeriesLayout::new(s);
        let cols = layout.columns.len();
        let mut out = MonteCarlo {
            values: Vec::with_capacity(indices.len()),
            indices: Vec::with_capacity(indices.len()),
            rep_series: Vec::new(),
            fr_hist: Vec::new(),
            res_hist: Vec::new(),
            series: CellStats::new(layout.times.len() * cols),
            unstable: 0,
            events: 0,
            tickets: 0,
            catalog,
            layout,
        };
        for chunk in indices.chunks(CHUNK as usize) {
            let results: Vec<ReplicationResult> = chunk
                .par_iter()
                .map(|&i| {
                    let mut r = sim(&out.catalog, i);
                    r.index = i;
                    tick();
                    r
                })
                .collect();
            for r in results {
                if keep_series {
                    out.rep_series.push(r.series.clone());
                }
                out.fold(r);
            }
        }
        out
    }

    fn fold(&mut self, r: ReplicationResult) {
        if self.fr_hist.is_empty() {
            self.fr_hist = r.recorder.fr_hist.clone();
            self.res_hist = r.recorder.res_hist.clone();
        } else {
            for (a, b) in self.fr_hist.iter_mut().zip(&r.recorder.fr_hist) {
                a.merge(b);
            }
            for (a, b) in self.res_hist.iter_mut().zip(&r.recorder.res_hist) {
                a.merge(b);
            }
        }
        self.series.add(&r.series);
        self.unstable += u32::from(r.recorder.unstable);
        self.events += r.recorder.events;
        self.tickets += r.recorder.tickets;
        self.indices.push(r.index);
        self.values.push(r.values);
    }

    /// Catalog entries with an infinite value in some replication, as `metric (group)`: a
    /// reported figure must be finite (NaN means "no data" and is allowed). Validation bounds
    /// every input so that this stays empty; callers refuse to report a run where it is not.
    pub fn infinite_metrics(&self) -> Vec<String> {
        infinite_in(&self.catalog, &self.values)
    }

    /// Replication values of catalog entry `i`.
    pub fn column(&self, i: usize) -> impl Iterator<Item = f64> + '_ {
        self.values.iter().map(move |v| v[i])
    }

    /// One summary row per catalog entry.
    pub fn summary(&self) -> Vec<SummaryRow> {
        self.catalog
            .defs
            .iter()
            .enumerate()
            .map(|(i, d)| SummaryRow {
                metric: d.metric,
                group: d.group.clone(),
                key: d.key.clone(),
                kind: d.kind,
                estimate: d.kind.estimate(self.column(i)),
                quantiles: d.hist.map(|(fr, h)| {
                    let hist = if fr {
                        &self.fr_hist[h]
                    } else {
                        &self.res_hist[h]
                    };
                    [hist.quantile(0.5), hist.quantile(0.9), hist.quantile(0.99)]
                }),
                goal: d.goal,
            })
            .collect()
    }

    /// Estimate of one (metric, group), if the catalog has it.
    pub fn estimate(&self, metric: &str, group: &str) -> Option<Estimate> {
        self.catalog
            .find(metric, group)
            .map(|i| self.catalog.defs[i].kind.estimate(self.column(i)))
    }
}

/// `metric (group)` of every catalog column of `values` holding an infinity.
pub fn infinite_in(catalog: &Catalog, values: &[Vec<f64>]) -> Vec<String> {
    catalog
        .defs
        .iter()
        .enumerate()
        .filter(|(i, _)| {
            values
                .iter()
                .any(|v| v.get(*i).is_some_and(|x| x.is_infinite()))
        })
        .map(|(_, d)| format!("{} ({})", d.metric, d.group))
        .collect()
}
