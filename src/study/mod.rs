//! Studies built on Monte Carlo runs: comparing designs, sweeping a grid of variants and
//! searching for the cheapest staffing, all on common random numbers.

pub mod backtest;
pub mod compare;
pub mod plan;
pub mod practical;
pub mod requirements;
pub mod roster;
pub mod staff;
pub mod sweep;
