//! Shared by the bench targets: the M/M/12 scenario the engine bench runs, and the minimal
//! hand-written M/M/c loop it is measured against (issue 11: the engine's M/M/12 throughput
//! is reported as a share of this loop's).

use rand::SeedableRng;
use rand_distr::{Distribution, Exp1};
use rand_xoshiro::Xoshiro256PlusPlus;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::path::Path;
use supportsim::scenario::Scenario;
use supportsim::stats::erlang::{QueueInput, metrics};

/// Arrival rate of `scenarios/mmc.toml` [tickets/minute] (100 tickets/hour).
pub const MMC_ARRIVALS_PER_MIN: f64 = 100.0 / 60.0;
/// Mean exponential handle time of `scenarios/mmc.toml` [minutes].
pub const MMC_SERVICE_MEAN_MIN: f64 = 6.0;
/// Agents of `scenarios/mmc.toml`.
pub const MMC_AGENTS: usize = 12;

/// `scenarios/mmc.toml` (M/M/12, 100 tickets/hour, 6 min exponential) measured over
/// `horizon_days`, without time series: 1 day warm-up + horizon + 1 day drain of arrivals,
/// about 2,400 tickets per simulated day.
pub fn mmc_scenario(horizon_days: u32) -> Scenario {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/mmc.toml"))
        .expect("bundled scenario")
        .replace(
            "horizon_days = 7",
            &format!("horizon_days = {horizon_days}"),
        )
        .replace("timeseries_interval_min = 60", "");
    Scenario::from_toml_str(&text, Path::new("mmc-bench")).expect("valid")
}

/// A bundled scenario file by name.
pub fn bundled(file: &str) -> Scenario {
    Scenario::load(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios")
            .join(file),
    )
    .expect("valid")
}

/// What one run of the reference loop found.
#[derive(Debug, Clone, Copy)]
pub struct LoopResult {
    /// Mean wait in queue over all tickets, zero waits included [minutes].
    pub mean_wait_min: f64,
    /// Share of tickets that found every agent busy.
    pub p_wait: f64,
}

/// Completion time as a heap key: the bits of a non-negative f64 sort like the number, and
/// `Reverse` makes std's max-heap a min-heap.
#[inline]
fn key(t_min: f64) -> Reverse<u64> {
    Reverse(t_min.to_bits())
}

/// The minimal M/M/c FIFO simulation: `tickets` Poisson arrivals at `arrivals_per_min`,
/// exponential service of mean `service_mean_min` on `agents` agents. The event set is a
/// binary heap of the busy agents' completion times plus the single next arrival; the queue
/// holds arrival times. Both are allocated once, so no event allocates (the queue only grows
/// past its preallocation under overload). Same generator family as the engine
/// (Xoshiro256++ and `Exp1`), one stream for arrivals and one for service, as the engine has.
pub fn mmc_loop(
    arrivals_per_min: f64,
    service_mean_min: f64,
    agents: usize,
    tickets: u64,
    seed: u64,
) -> LoopResult {
    let mut arrivals = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut service = Xoshiro256PlusPlus::seed_from_u64(seed ^ 0x9E37_79B9_7F4A_7C15);
    let mut busy: BinaryHeap<Reverse<u64>> = BinaryHeap::with_capacity(agents);
    let mut queue: VecDeque<f64> = VecDeque::with_capacity(1 << 16);
    let mut now = 0.0;
    let mut wait_sum = 0.0;
    let mut waited = 0u64;
    for _ in 0..tickets {
        let gap: f64 = Exp1.sample(&mut arrivals);
        now += gap / arrivals_per_min;
        // Completions before this arrival: the freed agent takes the queue's head at once.
        while let Some(mut top) = busy.peek_mut() {
            let done = f64::from_bits(top.0);
            if done > now {
                break;
            }
            match queue.pop_front() {
                Some(arrived) => {
                    wait_sum += done - arrived;
                    let work: f64 = Exp1.sample(&mut service);
                    *top = key(done + work * service_mean_min);
                }
                None => {
                    std::collections::binary_heap::PeekMut::pop(top);
                }
            }
        }
        if busy.len() < agents {
            let work: f64 = Exp1.sample(&mut service);
            busy.push(key(now + work * service_mean_min));
        } else {
            waited += 1;
            queue.push_back(now);
        }
    }
    // Drain: serve what is still queued after the last arrival.
    while let Some(Reverse(bits)) = busy.pop() {
        if let Some(arrived) = queue.pop_front() {
            let done = f64::from_bits(bits);
            wait_sum += done - arrived;
            let work: f64 = Exp1.sample(&mut service);
            busy.push(key(done + work * service_mean_min));
        }
    }
    LoopResult {
        mean_wait_min: wait_sum / tickets as f64,
        p_wait: waited as f64 / tickets as f64,
    }
}

/// The reference loop on the M/M/12 parameters of `scenarios/mmc.toml`.
pub fn mmc12_loop(tickets: u64, seed: u64) -> LoopResult {
    mmc_loop(
        MMC_ARRIVALS_PER_MIN,
        MMC_SERVICE_MEAN_MIN,
        MMC_AGENTS,
        tickets,
        seed,
    )
}

/// Checks the reference loop against Erlang C, so the reference is itself a correct M/M/12
/// (a loop that skipped work would be fast and wrong). Panics when off by more than 5%
/// (the loop's relative standard error at a million tickets is about 1%).
pub fn check_mmc12_loop_against_erlang_c(tickets: u64) -> (LoopResult, f64) {
    let r = mmc12_loop(tickets, 1);
    let exact = metrics(
        &QueueInput {
            arrival_rate_per_min: MMC_ARRIVALS_PER_MIN,
            mean_service_min: MMC_SERVICE_MEAN_MIN,
            agents: MMC_AGENTS as u32,
            mean_patience_min: None,
        },
        None,
    )
    .expect("valid M/M/12");
    let rel = (r.mean_wait_min - exact.mean_wait_min).abs() / exact.mean_wait_min;
    assert!(
        rel < 0.05 && (r.p_wait - exact.p_wait).abs() < 0.02,
        "reference loop disagrees with Erlang C: mean wait {} vs {} min, P(wait) {} vs {}",
        r.mean_wait_min,
        exact.mean_wait_min,
        r.p_wait,
        exact.p_wait
    );
    (r, exact.mean_wait_min)
}
