//! Statistics: histograms, summaries over replications, and queueing theory.

pub mod erlang;
pub mod hist;
pub mod paired;
pub mod summary;
