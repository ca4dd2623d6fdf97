//! One integration-test binary (fast to link), one module per concern.

mod access;
mod agents;
mod browser;
mod calibrate;
mod chasers;
mod cli;
mod common;
mod crash_safe;
mod determinism;
mod engine;
mod golden;
mod hostile;
mod invalid_scenarios;
mod merge_checks;
mod models;
mod outputs;
mod properties;
mod retrials;
mod scored;
mod shifts;
mod sourcing;
mod staff;
mod sweep;
mod theory;
