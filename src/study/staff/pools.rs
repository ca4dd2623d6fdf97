//! The searched pools: `--pools` parsing, staffing units (a pool or each of its shifts), and
//! the occupancy-based start and stability floor per unit.

use super::{MAX_HEADCOUNT, PLANNING_OCCUPANCY, StaffError};
use crate::model::load::pool_loads;
use crate::scenario::Scenario;

/// Parses `--pools a,b` against the file's pools (all of them when `None`).
///
/// # Errors
/// An unknown or repeated pool name, with the file's pools listed.
pub fn parse_pools(spec: Option<&str>, s: &Scenario) -> Result<Vec<String>, StaffError> {
    let names: Vec<String> = s.raw.pools.iter().map(|p| p.name.clone()).collect();
    let Some(spec) = spec else {
        return Ok(names.iter().flat_map(|n| units_of(s, n)).collect());
    };
    let mut out: Vec<String> = Vec::new();
    for p in spec.split(',').map(str::trim) {
        if p.is_empty() {
            return Err(StaffError::EmptyPool {
                spec: spec.to_string(),
            });
        }
        if !names.iter().any(|n| n == p) {
            return Err(StaffError::UnknownPool {
                spec: spec.to_string(),
                pool: p.to_string(),
                pools: names.join(", "),
            });
        }
        if out.iter().any(|o| o == p) {
            return Err(StaffError::PoolTwice {
                spec: spec.to_string(),
                pool: p.to_string(),
            });
        }
        out.push(p.to_string());
    }
    Ok(out.iter().flat_map(|n| units_of(s, n)).collect())
}

/// The staffing units of a file pool, each a key path under `pools.` whose `headcount` the
/// search varies: the pool itself, or each of its shifts (`l1.shifts.night`, by name when
/// every shift has one, else by position).
fn units_of(s: &Scenario, pool: &str) -> Vec<String> {
    let Some(rp) = s.raw.pools.iter().find(|p| p.name == pool) else {
        return vec![pool.to_string()];
    };
    if rp.shifts.is_empty() {
        return vec![pool.to_string()];
    }
    let named = rp.shifts.iter().all(|sh| sh.name.is_some());
    rp.shifts
        .iter()
        .enumerate()
        .map(|(k, sh)| match (&sh.name, named) {
            (Some(n), true) => format!("{pool}.shifts.{n}"),
            _ => format!("{pool}.shifts.{k}"),
        })
        .collect()
}

/// The file pool of a staffing unit (see [`units_of`]): `l1` for `l1` and `l1.shifts.night`.
pub fn pool_of_unit(unit: &str) -> &str {
    unit.split_once(".shifts.").map_or(unit, |(pool, _)| pool)
}

/// The file pool and file headcount of a staffing unit (see [`units_of`]).
pub(super) fn unit_in_file(s: &Scenario, unit: &str) -> (String, u32) {
    let pool = pool_of_unit(unit);
    let shift = unit.split_once(".shifts.").map(|(_, sh)| sh);
    let Some(rp) = s.raw.pools.iter().find(|p| p.name == pool) else {
        return (pool.to_string(), 1);
    };
    let head = match shift {
        None => rp.headcount,
        Some(sh) => rp
            .shifts
            .iter()
            .enumerate()
            .find(|(k, x)| x.name.as_deref() == Some(sh) || k.to_string() == sh)
            .map_or(1, |(_, x)| x.headcount),
    };
    (pool.to_string(), head)
}

/// The Erlang-based start per searched pool (see the module docs): the smallest headcount
/// whose estimated occupancy is at most [`PLANNING_OCCUPANCY`], at least 1. A pool the
/// scenario never staffs in the measured window keeps its file headcount.
pub fn erlang_start(s: &Scenario, pools: &[String]) -> Vec<u32> {
    occupancy_headcount(s, pools, PLANNING_OCCUPANCY, false)
}

/// The stability floor per searched pool: the smallest headcount whose estimated utilisation
/// (offered load over the agents it keeps on duty on average) is below 1, at least 1. The
/// search never goes below it: an overloaded pool's queue grows without bound, and time metrics
/// over *resolved* tickets can then look good only because the slow tickets never finish.
pub fn stability_floor(s: &Scenario, pools: &[String]) -> Vec<u32> {
    occupancy_headcount(s, pools, 1.0, true)
}

/// Smallest headcount per pool with estimated occupancy at most (or, `strict`, below) `occ`.
fn occupancy_headcount(s: &Scenario, pools: &[String], occ: f64, strict: bool) -> Vec<u32> {
    let loads = pool_loads(s);
    pools
        .iter()
        .map(|unit| {
            let (name, file) = unit_in_file(s, unit);
            let Some((k, pool)) = s
                .pools
                .iter()
                .enumerate()
                .find(|(_, p)| p.members.contains(&name))
            else {
                return file.max(1);
            };
            let load = &loads[k];
            if pool.headcount == 0 || load.mean_staffed <= 0.0 {
                return file.max(1);
            }
            // Scale the unit's file headcount by the pool's load over what its current plan
            // keeps on duty: a merged pool's members and a pool's shifts keep their proportions.
            // Under an occupancy cap an agent is held work / cap (the rest after each item),
            // so the load to cover is the offered work over the cap.
            let held = load.offered_erlangs / pool.max_occupancy;
            let need = f64::from(file) * held / (occ * load.mean_staffed);
            let n = if strict {
                need.floor() + 1.0
            } else {
                need.ceil()
            };
            (n.max(1.0) as u32).min(MAX_HEADCOUNT)
        })
        .collect()
}
