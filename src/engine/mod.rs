//! The discrete-event engine: one replication is a plain sequential loop; parallelism lives
//! across replications (see [`crate::montecarlo`]). The engine never prints and never touches
//! files: it returns a [`ReplicationResult`].

pub mod record;
pub mod rng;
mod sim;

pub use record::{Catalog, Group, Kind, MetricDef, Quantity, Recorder};
pub use sim::{
    NoSink, ReplicationResult, SeriesLayout, Simulation, TicketOutcome, TicketRecord, TicketSink,
    simulate, simulate_with_sink,
};
