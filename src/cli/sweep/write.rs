//! The outputs of a finished sweep (or a merge of sweep shards): points stream in, in grid
//! order, while they complete; their long tables go to scratch files in the staging folder
//! and only a small summary per point stays in memory. [`Sink::finish`] then computes the
//! frontier and writes tables, charts and provenance, and prints the terminal table.

use super::plan::Plan;
use super::print::{info, overloaded, print_sweep};
use crate::cli::outputs;
use crate::export::OutputSet;
use crate::export::output::OutputDir;
use crate::export::sweep::{SweepView, kept};
use crate::export::sweep_rows::SweepRows;
use crate::stats::paired::Direction;
use crate::study::sweep::{self, PointResult};
use anyhow::{Context, Result};

/// Scratch folder of the long tables inside the staging folder (removed before the commit).
const SCRATCH: &str = ".sweep-rows";

/// Points received so far: their long tables on disk, their headline rows in memory.
pub(super) struct Sink {
    out: OutputDir,
    rows: SweepRows,
    /// Per point: the summary rows the frontier, charts and terminal table read (see
    /// [`kept`]), no replication values.
    small: Vec<PointResult>,
    frontier: Option<String>,
}

impl Sink {
    /// Starts streaming into `out`'s staging folder; `frontier` is the user's
    /// `--frontier-metric` (its rows are kept too).
    pub fn new(out: OutputDir, frontier: Option<&str>) -> Result<Sink> {
        let rows = SweepRows::create(&out.staging().join(SCRATCH))?;
        Ok(Sink {
            out,
            rows,
            small: Vec::new(),
            frontier: frontier.map(str::to_string),
        })
    }

    /// Takes the next point's result (points in grid order).
    pub fn push(&mut self, r: PointResult) -> Result<()> {
        self.rows.push(&r)?;
        let f = self.frontier.as_deref();
        self.small.push(PointResult {
            // A new vector, not an in-place `into_iter().filter().collect()`, which would
            // keep the full summary's allocation alive for every point.
            summary: r
                .summary
                .iter()
                .filter(|x| kept(x.metric, &x.group, f))
                .cloned()
                .collect(),
            values: Vec::new(),
            unstable: r.unstable,
            tickets: r.tickets,
        });
        Ok(())
    }

    /// Frontier, tables, charts, provenance and the terminal table of the finished sweep;
    /// with `xlsx` also `tables.xlsx` (the sweep table, read back from the staged Parquet).
    pub fn finish(self, p: &Plan, file: &str, quiet: bool, xlsx: bool) -> Result<()> {
        let Sink {
            mut out,
            rows,
            small: results,
            frontier,
        } = self;
        anyhow::ensure!(
            rows.points() == p.points.len() && !results.is_empty(),
            "internal: {} of {} sweep points were collected",
            rows.points(),
            p.points.len()
        );
        let (base, varies, points, seed, reps) = (&p.base, &p.varies, &p.points, p.seed, p.reps);

        let metric = super::plan::frontier_metric(frontier.as_deref(), &p.facts, &results[0])?;
        // Money when every point is priced (the run's full cost: pay, invoices, vendor,
        // credits, penalties), else paid agent-hours.
        let priced = p.facts.iter().all(|f| f.priced);
        let cost_name = if priced {
            "cost_usd_per_week"
        } else {
            "agent_hours_per_week"
        };
        let cost: Vec<f64> = if priced {
            results
                .iter()
                .map(|r| {
                    crate::montecarlo::find_row(&r.summary, "cost_usd_per_week", "all")
                        .map_or(f64::NAN, |x| x.estimate.mean)
                })
                .collect()
        } else {
            p.facts.iter().map(|f| f.agent_hours).collect()
        };
        let sign = match Direction::of(&metric) {
            Direction::LowerIsBetter => -1.0,
            _ => 1.0,
        };
        let benefit: Vec<(f64, f64)> = results
            .iter()
            .zip(&cost)
            .map(|(r, &c)| {
                let m = crate::montecarlo::find_row(&r.summary, &metric, "all")
                    .map_or(f64::NAN, |x| x.estimate.mean);
                (c, sign * m)
            })
            .collect();
        let pareto = sweep::pareto(&benefit);
        let view = SweepView {
            varies,
            points,
            results: &results,
            cost: &cost,
            cost_name,
            pareto: &pareto,
            frontier_metric: &metric,
        };
        // Every point's summary, cost and Pareto flag are known here: the place for outputs
        // built from the whole sweep (the HTML report of the sweep goes beside the charts).

        outputs::checkpoint();
        for name in rows.finish(&view, out.staging())? {
            out.streamed(name);
        }
        let mut set = OutputSet::default();
        if xlsx {
            use polars::prelude::{ParquetReader, SerReader};
            let path = out.staging().join("sweep.parquet");
            let file = std::fs::File::open(&path)
                .with_context(|| format!("cannot read back {}", path.display()))?;
            let table = ParquetReader::new(file).finish()?;
            set.add(
                "tables.xlsx",
                crate::export::xlsx::workbook(&[("sweep", &table)])?,
            );
        }
        crate::export::sweep_report::add_charts_and_report(&mut set, &view, base, seed, reps)?;
        let over = overloaded(&view, &p.facts);
        set.add(
            "sweep_info.toml",
            info(file, base, varies, (&view, &over), seed, reps).into_bytes(),
        );
        set.add(
            "scenario.resolved.toml",
            toml::to_string(&base.raw)?.into_bytes(),
        );
        let done = outputs::commit(out, &set)?;
        if quiet {
            return Ok(());
        }
        let mut stdout = std::io::stdout().lock();
        print_sweep(&mut stdout, &base.name, (&view, &over), seed, reps)?;
        outputs::print_written(&mut stdout, &done, "")?;
        Ok(())
    }
}
