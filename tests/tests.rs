//! One integration-test binary (fast to link), one module per concern.

mod agents;
mod browser;
mod calibrate;
mod cli;
mod common;
mod determinism;
mod engine;
mod golden;
mod invalid_scenarios;
mod models;
mod outputs;
mod properties;
mod shifts;
mod sourcing;
mod staff;
mod sweep;
mod theory;
