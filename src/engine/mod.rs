//! The discrete-event engine: one replication is a plain sequential loop; parallelism lives
//! across replications (see [`crate::montecarlo`]). The engine never prints and never touches
//! files: it returns a [`ReplicationResult`].
//!
//! | file | owns |
//! |---|---|
//! | `kernel` | the future event list, FIFO-stable on (time, sequence) |
//! | `ticket` | tickets, their [`Phase`] and [`Entry`], the slab |
//! | `arrivals` | the arrival source (Poisson or a trace) and attribute draws |
//! | `backlog` | the open tickets of `[initial_state]` at t = 0 |
//! | `queues` | a pool's waiting line by class |
//! | `agents` | pool state, chat slots, rests, shifts, hand-over, dispatch |
//! | `flow` | a ticket's way through the model's stages |
//! | `retrials` | customers trying again after a failed live contact |
//! | `callbacks` | virtual hold: voice customers called back instead of waiting on the line |
//! | `chasers` | message-channel customers chasing an unanswered ticket |
//! | `sessions` | swarm sessions |
//! | `incidents` | the incident process, incident contacts, detection, bulk closing |
//! | `tier0` | the bot's handling of an arriving contact |
//! | `triage` | classification, misroutes and their discovery |
//! | `sim` | the replication's state and loop |
//! | `rng` | random streams |

mod agents;
pub mod arrivals;
mod backlog;
mod callbacks;
mod chasers;
mod flow;
mod incidents;
pub mod kernel;
mod queues;
mod retrials;
pub mod rng;
mod sessions;
mod sim;
mod skills;
pub mod ticket;
pub mod tier0;
pub mod triage;

pub use agents::PoolState;
pub use incidents::Incident;
pub use sim::{ReplicationResult, Simulation, simulate, simulate_with_sink};
pub use ticket::{Entry, MARK_DUPLICATE, MARK_DURING, MARK_INCIDENT, Phase, Ticket};
