//! Opt-in per-ticket records (`supportsim run --tickets`), streamed to Parquet in batches.
//!
//! Each replication writes its own part, `tickets/part-NNNNN.parquet`, from its worker thread,
//! flushing a row group every [`BATCH_ROWS`] tickets: memory holds one batch per thread, never
//! the whole run. Parts are written into the run's staging folder
//! ([`crate::export::output::OutputDir::staging`]) and put in place with the rest of the set. Read them all at once with e.g. `pl.scan_parquet("tickets/*.parquet")`.

use super::estimate::opt;
use super::{ExportError, Result};
use crate::measure::{TicketRecord, TicketSink};
use crate::scenario::Scenario;
use polars::prelude::*;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Rows per Parquet row group (and the most records held in memory per thread).
pub const BATCH_ROWS: usize = 16_384;

/// Column buffers of one batch.
#[derive(Default)]
struct Batch {
    ticket: Vec<u64>,
    arrival_min: Vec<f64>,
    arrival_ms: Vec<Option<i64>>,
    channel: Vec<u8>,
    priority: Vec<u8>,
    segment: Vec<u32>,
    required_level: Vec<u32>,
    outcome: Vec<&'static str>,
    first_response_min: Vec<Option<f64>>,
    resolution_min: Vec<Option<f64>>,
    handoffs: Vec<u32>,
    re_explains: Vec<u32>,
    arrival_channel: Vec<u8>,
    arrival_priority: Vec<u8>,
    category: Vec<u32>,
    origin: Vec<&'static str>,
}

/// Writes one replication's tickets to its Parquet part.
pub struct PartSink<'a> {
    replication: u32,
    /// The run's time 0 [milliseconds since 1970 UTC] (`None` if out of range).
    t0_ms: Option<i64>,
    /// The scenario's time zone, for `arrival_time`.
    zone: &'a str,
    priorities: &'a [String],
    segments: &'a [String],
    channels: &'a [String],
    categories: Vec<String>,
    batch: Batch,
    writer: Option<polars::io::parquet::write::BatchedWriter<File>>,
    error: Option<String>,
}

impl PartSink<'_> {
    fn frame(&mut self) -> PolarsResult<DataFrame> {
        let b = std::mem::take(&mut self.batch);
        let n = b.ticket.len();
        let seg: Vec<&str> = b
            .segment
            .iter()
            .map(|&i| self.segments[i as usize].as_str())
            .collect();
        let prio = |v: &[u8]| -> Vec<&str> {
            v.iter()
                .map(|&i| self.priorities[i as usize].as_str())
                .collect()
        };
        let (priority, arrival_priority) = (prio(&b.priority), prio(&b.arrival_priority));
        let chan = |v: &[u8]| -> Vec<&str> {
            v.iter()
                .map(|&i| self.channels[i as usize].as_str())
                .collect()
        };
        let (channel, arrival_channel) = (chan(&b.channel), chan(&b.arrival_channel));
        let cat: Vec<&str> = b
            .category
            .iter()
            .map(|&i| self.categories[i as usize].as_str())
            .collect();
        DataFrame::new_infer_height(vec![
            Column::new("replication".into(), vec![self.replication; n]),
            Column::new("ticket".into(), b.ticket),
            Column::new("arrival_min".into(), b.arrival_min),
            Int64Chunked::from_iter_options("arrival_time".into(), b.arrival_ms.into_iter())
                .into_datetime(TimeUnit::Milliseconds, arrival_zone(self.zone))
                .into_column(),
            Column::new("channel".into(), channel),
            Column::new("priority".into(), priority),
            Column::new("segment".into(), seg),
            Column::new("required_level".into(), b.required_level),
            Column::new("outcome".into(), b.outcome),
            Column::new("first_response_min".into(), b.first_response_min),
            Column::new("resolution_min".into(), b.resolution_min),
            Column::new("handoffs".into(), b.handoffs),
            Column::new("re_explains".into(), b.re_explains),
            Column::new("arrival_channel".into(), arrival_channel),
            Column::new("arrival_priority".into(), arrival_priority),
            Column::new("category".into(), cat),
            Column::new("origin".into(), b.origin),
        ])
    }

    fn flush(&mut self) {
        if self.error.is_some() || self.batch.ticket.is_empty() {
            return;
        }
        let res = self.frame().and_then(|df| match self.writer.as_mut() {
            Some(w) => w.write_batch(&df),
            None => Ok(()),
        });
        if let Err(e) = res {
            self.error = Some(e.to_string());
        }
    }
}

impl TicketSink for PartSink<'_> {
    fn record(&mut self, r: &TicketRecord) {
        let b = &mut self.batch;
        b.ticket.push(r.ticket);
        b.arrival_min.push(r.arrival_min);
        b.arrival_ms.push(
            self.t0_ms
                .map(|t0| t0 + (r.arrival_min * 60_000.0).round() as i64),
        );
        b.channel.push(r.channel);
        b.priority.push(r.priority);
        b.segment.push(r.segment as u32);
        b.required_level.push(r.required_level as u32);
        b.outcome.push(r.outcome.name());
        b.first_response_min.push(opt(r.first_response_min));
        b.resolution_min.push(opt(r.resolution_min));
        b.handoffs.push(r.handoffs as u32);
        b.re_explains.push(r.re_explains as u32);
        b.arrival_channel.push(r.arrival_channel);
        b.arrival_priority.push(r.arrival_priority);
        b.category.push(r.category as u32);
        b.origin.push(if r.backlog { "backlog" } else { "new" });
        if b.ticket.len() >= BATCH_ROWS {
            self.flush();
        }
    }
}

/// The Polars time zone of `arrival_time` (the scenario's zone, as the time series' `local_time`).
fn arrival_zone(zone: &str) -> Option<polars::prelude::TimeZone> {
    polars::prelude::TimeZone::opt_try_new(Some(zone))
        .ok()
        .flatten()
}

/// The folder of a run's per-ticket parts (`tickets/` in the staging folder) and the errors
/// met while writing them.
pub struct TicketParts<'a> {
    scenario: &'a Scenario,
    folder: PathBuf,
    errors: Mutex<Vec<String>>,
}

impl<'a> TicketParts<'a> {
    /// Creates `tickets/` inside `staging`.
    ///
    /// # Errors
    /// When the folder cannot be created.
    pub fn new(scenario: &'a Scenario, staging: &Path) -> Result<Self> {
        let folder = staging.join("tickets");
        std::fs::create_dir_all(&folder).map_err(|source| ExportError::TicketFolder {
            path: folder.clone(),
            source,
        })?;
        Ok(TicketParts {
            scenario,
            folder,
            errors: Mutex::new(Vec::new()),
        })
    }

    fn schema(zone: &str) -> Schema {
        Schema::from_iter([
            Field::new("replication".into(), DataType::UInt32),
            Field::new("ticket".into(), DataType::UInt64),
            Field::new("arrival_min".into(), DataType::Float64),
            Field::new(
                "arrival_time".into(),
                DataType::Datetime(TimeUnit::Milliseconds, arrival_zone(zone)),
            ),
            Field::new("channel".into(), DataType::String),
            Field::new("priority".into(), DataType::String),
            Field::new("segment".into(), DataType::String),
            Field::new("required_level".into(), DataType::UInt32),
            Field::new("outcome".into(), DataType::String),
            Field::new("first_response_min".into(), DataType::Float64),
            Field::new("resolution_min".into(), DataType::Float64),
            Field::new("handoffs".into(), DataType::UInt32),
            Field::new("re_explains".into(), DataType::UInt32),
            Field::new("arrival_channel".into(), DataType::String),
            Field::new("arrival_priority".into(), DataType::String),
            Field::new("category".into(), DataType::String),
            Field::new("origin".into(), DataType::String),
        ])
    }

    /// Opens replication `i`'s part (errors are kept and reported by [`TicketParts::finish`]).
    pub fn open(&self, i: u32) -> PartSink<'_> {
        let zone = super::keys::zone_name(&self.scenario.run.timezone);
        let path = self.folder.join(format!("part-{i:05}.parquet"));
        let writer = File::create(&path)
            .map_err(|e| format!("cannot create {}: {e}", path.display()))
            .and_then(|f| {
                ParquetWriter::new(f)
                    .with_compression(ParquetCompression::Zstd(None))
                    .set_parallel(false)
                    .batched(&Self::schema(zone))
                    .map_err(|e| e.to_string())
            });
        let (writer, error) = match writer {
            Ok(w) => (Some(w), None),
            Err(e) => (None, Some(e)),
        };
        PartSink {
            replication: i,
            t0_ms: crate::scenario::calendar::origin(
                self.scenario.run.start_date,
                &self.scenario.run.timezone,
            )
            .ok()
            .map(|t| t.as_millisecond()),
            zone,
            priorities: &self.scenario.demand.priority_names,
            segments: &self.scenario.demand.segment_names,
            channels: self.scenario.channels.names(),
            categories: crate::scenario::trace::category_names(self.scenario)
                .into_iter()
                .map(String::from)
                .collect(),
            batch: Batch::default(),
            writer,
            error,
        }
    }

    /// Flushes and closes a part.
    pub fn close(&self, mut sink: PartSink<'_>) {
        sink.flush();
        if sink.error.is_none()
            && let Some(w) = sink.writer.as_ref()
            && let Err(e) = w.finish()
        {
            sink.error = Some(e.to_string());
        }
        if let Some(e) = sink.error {
            self.errors
                .lock()
                .expect("not poisoned")
                .push(format!("replication {}: {e}", sink.replication));
        }
    }

    /// Fails if any part could not be written (the commit then never happens).
    ///
    /// # Errors
    /// The write errors met by the parts (their count and the first).
    pub fn finish(&self) -> Result<()> {
        let errors = std::mem::take(&mut *self.errors.lock().expect("not poisoned"));
        if let Some(first) = errors.first() {
            return Err(ExportError::TicketParts {
                failed: errors.len(),
                first: first.clone(),
            });
        }
        Ok(())
    }
}
