//! One evaluation of a hiring schedule: every replication simulated over the plan's months
//! on the same seed (common random numbers between schedules), each reduced at once to its
//! report periods (SLA counts, resolutions, sampled backlog and utilisation, paid and
//! productive agent-minutes), so memory stays periods x cells per replication whatever the
//! horizon. Weekly and monthly values per replication come from summing periods; their
//! means and t-based CIs are taken across replications.

use super::config::{Hire, Setup};
use super::staffing::{self, Agent};
use crate::engine::{ReplicationResult, simulate};
use crate::measure::periods::PeriodSla;
use crate::measure::{Catalog, SeriesLayout};
use rayon::prelude::*;

/// Step of the numeric integral of productive agents (ramps) [minutes].
const CAPACITY_STEP_MIN: f64 = 60.0;

/// One replication, reduced to report periods.
#[derive(Debug, Clone)]
pub struct RepPeriods {
    /// Per `period * cells + cell`: SLA counts.
    pub sla: Vec<PeriodSla>,
    /// Per `period * cells + cell`: (resolved, resolution minutes summed).
    pub resolved: Vec<(u64, f64)>,
    /// Per period: time-series samples in it.
    pub samples: Vec<u32>,
    /// Per period: tickets in the system, summed over samples.
    pub backlog: Vec<f64>,
    /// Per `period * model pools + pool`: (busy, present) agents summed over samples.
    pub busy: Vec<(f64, f64)>,
    /// Per `period * file pools + pool`: paid agent-minutes.
    pub paid: Vec<f64>,
    /// Per `period * file pools + pool`: productive agent-minutes (ramping hires at 1/f).
    pub productive: Vec<f64>,
    /// Per `period * file pools + pool`: agents leaving.
    pub departures: Vec<u32>,
    /// Per `period * file pools + pool`: agents hired (paid from that period).
    pub hired: Vec<u32>,
    /// Stopped at the open-ticket cap.
    pub unstable: bool,
}

/// Every replication of one hiring schedule.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// The hires simulated (the file's, then the search's).
    pub hires: Vec<Hire>,
    /// Seed.
    pub seed: u64,
    /// Per replication, in index order.
    pub reps: Vec<RepPeriods>,
}

/// Replication `rep` of the schedule `hires` on `seed`: the engine's result and its
/// reduction to periods.
pub fn replication(
    setup: &Setup,
    catalog: &Catalog,
    hires: &[Hire],
    seed: u64,
    rep: u32,
) -> (ReplicationResult, RepPeriods) {
    let agents = staffing::agents(setup, hires, seed, rep);
    let mut s = staffing::staffed_scenario(setup, &agents);
    s.run.seed = seed;
    let r = simulate(&s, catalog, rep);
    let reduced = reduce(setup, &s, &r, &agents);
    (r, reduced)
}

/// Runs every replication of `hires` on `seed` (on the current rayon pool; results in index
/// order, so identical for any thread count). `tick` is called once per replication.
pub fn evaluate(
    setup: &Setup,
    hires: &[Hire],
    seed: u64,
    replications: u32,
    tick: &(dyn Fn() + Sync),
) -> Evaluation {
    let catalog = Catalog::new(&setup.scenario);
    let reps = (0..replications)
        .into_par_iter()
        .map(|i| {
            let (_, p) = replication(setup, &catalog, hires, seed, i);
            tick();
            p
        })
        .collect();
    Evaluation {
        hires: hires.to_vec(),
        seed,
        reps,
    }
}

/// Agent-minutes of `[from, to)` within `[a, b)`.
fn overlap(from: f64, to: f64, a: f64, b: f64) -> f64 {
    (to.min(b) - from.max(a)).max(0.0)
}

fn reduce(
    setup: &Setup,
    s: &crate::scenario::Scenario,
    r: &ReplicationResult,
    agents: &[Agent],
) -> RepPeriods {
    let h = &setup.horizon;
    let np = h.periods.len();
    let files = setup.pools.len();
    let pools = s.pools.len();
    let (sla, resolved) = match &r.recorder.periods {
        Some(p) => (p.sla.clone(), p.resolved.clone()),
        None => (Vec::new(), Vec::new()),
    };
    let mut out = RepPeriods {
        sla,
        resolved,
        samples: vec![0; np],
        backlog: vec![0.0; np],
        busy: vec![(0.0, 0.0); np * pools],
        paid: vec![0.0; np * files],
        productive: vec![0.0; np * files],
        departures: vec![0; np * files],
        hired: vec![0; np * files],
        unstable: r.recorder.unstable,
    };
    let layout = SeriesLayout::new(s);
    let cols = layout.columns.len();
    let busy_col = 2 + pools + usize::from(s.swarm.is_some());
    let staffed_col = busy_col + pools;
    let (w0, end) = (h.months[0], h.end);
    for (k, &t) in layout.times.iter().enumerate() {
        if t < w0 || t >= end || (k + 1) * cols > r.series.len() {
            continue;
        }
        let row = &r.series[k * cols..(k + 1) * cols];
        let p = h.periods.partition_point(|&x| x <= t).saturating_sub(1);
        out.samples[p] += 1;
        out.backlog[p] += row[1];
        for q in 0..pools {
            let (busy, on) = (row[busy_col + q], row[staffed_col + q]);
            let c = &mut out.busy[p * pools + q];
            c.0 += busy;
            c.1 += busy.max(on);
        }
    }
    let period_of = |t: f64| h.periods.partition_point(|&x| x <= t).saturating_sub(1);
    for a in agents {
        for k in 0..np {
            let (pa, pb) = (h.periods[k], h.period_end(k));
            let i = k * files + a.pool;
            out.paid[i] += overlap(a.paid_from, a.leaves, pa, pb);
            let (on, off) = (a.on_duty_from.max(pa), a.leaves.min(pb));
            if off > on {
                out.productive[i] += match setup.plan.ramp[a.pool] {
                    Some(ramp) if a.hired && on < a.on_duty_from + ramp.1 => {
                        let mut sum = 0.0;
                        let mut t = on;
                        while t < off {
                            let dt = CAPACITY_STEP_MIN.min(off - t);
                            sum += a.capacity_at(t + 0.5 * dt, Some(ramp)) * dt;
                            t += dt;
                        }
                        sum
                    }
                    _ => off - on,
                };
            }
        }
        if a.leaves >= w0 && a.leaves < end {
            out.departures[period_of(a.leaves) * files + a.pool] += 1;
        }
        if a.hired && a.paid_from < end {
            out.hired[period_of(a.paid_from.max(w0)) * files + a.pool] += 1;
        }
    }
    out
}
