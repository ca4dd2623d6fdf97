//! Measurement: what a replication records, as an observer of engine events, and the
//! catalog of metrics computed from it.
//!
//! The engine calls the [`Recorder`]'s event methods ([`observe`]) and any extra
//! [`Observer`] (the per-ticket [`TicketSink`]); the [`Catalog`] lists every (metric, group)
//! pair a scenario reports, in a fixed order; each replication turns its recorder into one
//! value per catalog entry ([`values`]), which is what the Monte Carlo layer aggregates.
//! Money per invoice week is computed here too ([`money`]).

pub mod bot;
pub mod catalog;
pub mod categories;
pub mod customers;
pub mod incidents;
pub mod integral;
pub mod key;
pub mod metric;
pub mod money;
pub mod observe;
pub mod origin;
pub mod periods;
pub mod quantity;
pub mod recorder;
pub mod series;
pub mod sink;
pub mod triage;
pub mod values;

pub use catalog::{Catalog, Group, Kind, MetricDef, Quantity};
pub use integral::Integral;
pub use key::{GroupKey, KEY_COLUMNS};
pub use metric::{METRICS, MetricInfo};
pub use money::{CostItem, WeekMoney};
pub use observe::{Door, Observer, SinkObserver, customer_pause_min};
pub use recorder::{AccessCounts, CallbackCounts, Cell, HistSlots, Recorder, WaitStats};
pub use series::SeriesLayout;
pub use sink::{NoSink, TicketOutcome, TicketRecord, TicketSink};
