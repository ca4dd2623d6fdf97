//! # supportsim
//!
//! A discrete-event Monte Carlo simulator for customer-support capacity planning: tiered
//! support organisations (L1..L3 plus an L4 vendor) with escalations, handoffs, abandonment
//! and SLA targets, run as many independent replications in parallel with confidence
//! intervals on every metric.
//!
//! ```text
//! scenario.toml ──serde──► RawScenario ──validate──► Scenario ──► model::Policy (stages,
//!                                                     │            plan_step, expected load)
//!            montecarlo (rayon over replication i; random streams from (seed, i, purpose))
//!                                                     │  engine::simulate(&Scenario, i)
//!                                                     ▼
//!   engine (kernel, tickets, flow) ──events──► measure (Recorder observer, Catalog values)
//!                                                     │
//!             MonteCarlo (values per replication, merged histograms, time series)
//!                                                     │
//!      study (compare, sweep, staff) · export (Polars: CSV, Parquet, HTML) · chart · CLI
//! ```
//!
//! See `docs/architecture.md` for what each module owns and how to extend it.
//!
//! Time is in minutes throughout the engine; the engine never prints and never touches files.

pub mod budget;
pub mod calibrate;
pub mod chart;
pub mod cli;
pub mod csv_dialect;
pub mod engine;
pub mod export;
pub mod format;
pub mod measure;
pub mod model;
pub mod montecarlo;
pub mod scenario;
pub mod stats;
pub mod study;
