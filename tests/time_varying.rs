//! Time-varying demand against exact transients: the infinite-server queue below, and (in
//! `shifted`) a queue whose agents on duty change by shift, solved as a Markov chain.
//!
//! With Poisson arrivals at rate λ(t) and ample agents (nobody ever waits), the number of
//! tickets in service at time t is Poisson with mean m(t) = ∫_0^t λ(s) Ḡ(t − s) ds
//! (Eick, Massey & Whitt 1993, "The physics of the M_t/G/∞ queue"); the system starts empty
//! at time 0, so this holds from the first minute, warm-up included. For exponential work,
//! m' = λ(t) − m/E[S], solved exactly on each piece where λ is constant. The arrivals in an
//! interval are Poisson with mean ∫λ. This checks the arrival process (hour and weekday
//! weights, the local-time grid) and the time series, sample by sample, including the lag
//! of the load behind demand that a peak-hour staffing rule misses.

use crate::common::*;
use supportsim::montecarlo::MonteCarlo;

/// Hour weights (local time): a quiet night, a busy day, a medium evening.
const HOURS: [f64; 24] = [
    0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 1.5, 1.5, 1.5,
    1.5, 1.5, 1.5, 1.5, 1.5,
];
/// Weekday weights Monday..Sunday (time 0 is Monday 00:00).
const DAYS: [f64; 7] = [1.2, 1.2, 1.2, 1.2, 1.2, 0.5, 0.5];
const PER_HOUR: f64 = 60.0;
const MEAN_WORK_MIN: f64 = 45.0;
const INTERVAL_MIN: f64 = 30.0;
const REPS: u32 = 200;

/// The column of series `name` in the time-series table (the first pool's, per pool).
fn series_column(mc: &MonteCarlo, name: &str) -> usize {
    mc.layout
        .columns
        .iter()
        .position(|(c, _)| *c == name)
        .unwrap_or_else(|| panic!("no series {name}"))
}

fn normalised(w: &[f64]) -> Vec<f64> {
    let mean = w.iter().sum::<f64>() / w.len() as f64;
    w.iter().map(|x| x / mean).collect()
}

/// λ on minute `t`'s hour [tickets/min].
fn rate_per_min(t: f64) -> f64 {
    let (h, d) = (normalised(&HOURS), normalised(&DAYS));
    let hour = (t / 60.0).floor() as usize;
    PER_HOUR / 60.0 * h[hour % 24] * d[(hour / 24) % 7]
}

#[test]
fn busy_agents_follow_the_infinite_server_transient_mean() {
    let fmt = |w: &[f64]| {
        w.iter()
            .map(|x| x.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    // Saturday and Sunday are in the window, so the weekday weights are checked too.
    let text = format!(
        r#"
name = "mt_m_inf"
[run]
warmup_days = 1
horizon_days = 6
drain_days = 0
replications = {REPS}
seed = 31
timeseries_interval_min = {INTERVAL_MIN}
[demand]
tickets_per_hour = {PER_HOUR}
hour_weights = [{hours}]
weekday_weights = [{days}]
channels = {{ email = 1.0 }}
priorities = {{ P3 = 1.0 }}
segments = {{ all = 1.0 }}
required_level = {{ 1 = 1.0 }}
[[pools]]
name = "agents"
headcount = 400
[[tiers]]
level = 1
pool = "agents"
work_time.default = {{ dist = "exponential", mean_min = {MEAN_WORK_MIN} }}
"#,
        hours = fmt(&HOURS),
        days = fmt(&DAYS),
    );
    let mc = run(&scenario(&text));
    let column = |name: &str| series_column(&mc, name);
    let (busy_col, arrivals_col) = (column("busy_agents"), column("arrivals_per_interval"));
    let width = mc.layout.columns.len();
    // Exact mean in service and arrivals per interval, minute piece by minute piece (λ is
    // constant on each hour, so on each minute).
    let mu = 1.0 / MEAN_WORK_MIN;
    let (mut m, mut t) = (0.0f64, 0.0f64);
    let mut worst = (0.0f64, 0.0f64);
    let mut peak_gap = 0.0f64;
    for (k, &sample_t) in mc.layout.times.iter().enumerate() {
        let mut arrivals_exact = 0.0;
        while t < sample_t - 1e-9 {
            let lam = rate_per_min(t);
            let dt = 1.0f64.min(sample_t - t);
            m = lam / mu + (m - lam / mu) * (-mu * dt).exp();
            arrivals_exact += lam * dt;
            t += dt;
        }
        // The mean over replications of one cell of the series table.
        let at = |col: usize| mc.series.estimate(k * width + col).0;
        for (what, mean, exact) in [
            ("busy agents", at(busy_col), m),
            ("arrivals in the interval", at(arrivals_col), arrivals_exact),
        ] {
            // Both are Poisson: the variance is the mean, so the SE is exact, not estimated.
            let se = (exact / REPS as f64).sqrt();
            let z = (mean - exact) / se;
            if z.abs() > worst.1.abs() {
                worst = (sample_t, z);
            }
            // 2 x 336 comparisons: 5 SE keeps a correct engine's chance of failing < 4e-4.
            assert!(
                z.abs() < 5.0,
                "{what} at minute {sample_t}: simulated {mean:.3} vs exact {exact:.3} ({z:+.2} SE)"
            );
        }
        // How far the load lags demand: the gap between m and the stationary λ/μ.
        peak_gap = peak_gap.max((rate_per_min(sample_t - 1e-9) / mu - m).abs());
    }
    eprintln!(
        "M_t/M/inf: {} samples, worst {:+.2} SE at minute {}; largest gap between m(t) and lambda(t) E[S]: {peak_gap:.1} tickets",
        mc.layout.times.len(),
        worst.1,
        worst.0
    );
    // The check has teeth: a stationary (λ/μ) answer would be off by tens of tickets.
    assert!(peak_gap > 20.0, "the profile must make the lag visible");
}

/// The M_t/M/s_t case: demand by the hour and staffing by shift, queues included.
mod shifted {
    use crate::common::*;
    use supportsim::stats::summary::t_critical;

    /// Hour weights: 30, 180 and 90 tickets/hour at night, by day and in the evening.
    const HOURS: [f64; 3] = [0.3, 1.8, 0.9];
    const PER_HOUR: f64 = 100.0;
    const MEAN_WORK_MIN: f64 = 6.0;
    const REPS: u32 = 200;
    /// Truncation of the exact chain: at most this many waiting (the largest mean queue, at
    /// 08:15 just before the day shift, is 35.7; the test checks the mass left at the bound).
    const MAX_QUEUE: usize = 200;

    /// λ on minute `t`: the hour weights change on the hour.
    fn rate_per_min(t: f64) -> f64 {
        let hour = ((t / 60.0).floor() as usize) % 24;
        PER_HOUR / 60.0 * HOURS[hour / 8]
    }

    /// The exact distribution of (agents busy, tickets waiting) of a pool whose agents on
    /// duty follow `schedule`, fed Poisson arrivals at `rate_per_min` and exponential work.
    /// An agent whose shift ends finishes the ticket in hand (the engine's rule without
    /// hand-over), so busy agents may exceed those on duty for a while: the state needs both
    /// numbers. Solved by uniformisation on pieces where both rates are constant.
    struct Chain {
        max_busy: usize,
        p: Vec<f64>,
    }

    impl Chain {
        fn at(&self, busy: usize, queue: usize) -> usize {
            busy * (MAX_QUEUE + 1) + queue
        }

        fn means(&self) -> (f64, f64) {
            let (mut b, mut q) = (0.0, 0.0);
            for busy in 0..=self.max_busy {
                for queue in 0..=MAX_QUEUE {
                    let x = self.p[self.at(busy, queue)];
                    b += x * busy as f64;
                    q += x * queue as f64;
                }
            }
            (b, q)
        }

        /// Agents on duty rise to `on_duty`: waiting tickets start at once.
        fn staff_up(&mut self, on_duty: usize) {
            for busy in 0..on_duty.min(self.max_busy + 1) {
                for queue in 1..=MAX_QUEUE {
                    let from = self.at(busy, queue);
                    let x = std::mem::take(&mut self.p[from]);
                    let k = queue.min(on_duty - busy);
                    let to = self.at(busy + k, queue - k);
                    self.p[to] += x;
                }
            }
        }

        /// One step of the uniformised chain, rates `lam` and `mu`, `on_duty` agents.
        fn step(&self, v: &[f64], lam: f64, mu: f64, on_duty: usize, uniform: f64) -> Vec<f64> {
            let mut out = vec![0.0; v.len()];
            for busy in 0..=self.max_busy {
                for queue in 0..=MAX_QUEUE {
                    let x = v[self.at(busy, queue)];
                    if x == 0.0 {
                        continue;
                    }
                    let arrive = if busy < on_duty {
                        self.at(busy + 1, queue)
                    } else {
                        self.at(busy, (queue + 1).min(MAX_QUEUE))
                    };
                    out[arrive] += x * lam / uniform;
                    let done = busy as f64 * mu;
                    if busy > 0 {
                        let next = if busy > on_duty || queue == 0 {
                            self.at(busy - 1, queue)
                        } else {
                            self.at(busy, queue - 1)
                        };
                        out[next] += x * done / uniform;
                    }
                    out[self.at(busy, queue)] += x * (1.0 - (lam + done) / uniform);
                }
            }
            out
        }

        /// Advances `minutes` at constant rates.
        fn advance(&mut self, minutes: f64, lam: f64, mu: f64, on_duty: usize) {
            let uniform = lam + self.max_busy as f64 * mu;
            let m = uniform * minutes;
            let mut weight = (-m).exp();
            let (mut total, mut k) = (weight, 0u32);
            let mut term = self.p.clone();
            let mut sum: Vec<f64> = term.iter().map(|x| x * weight).collect();
            while total < 1.0 - 1e-13 {
                k += 1;
                term = self.step(&term, lam, mu, on_duty, uniform);
                weight *= m / k as f64;
                total += weight;
                sum.iter_mut()
                    .zip(&term)
                    .for_each(|(s, t)| *s += weight * t);
            }
            self.p = sum;
        }
    }

    /// Queue and busy agents at every 30-minute sample against the exact chain: the day shift
    /// comes on at 08:15, a quarter of an hour after the day's demand, so a queue of 35.7 on
    /// average builds on the 4 night agents and then drains; the evening shift drops from 20 to 11 agents at
    /// 16:15 while up to 20 are busy.
    #[test]
    fn queues_follow_the_exact_transient_under_hourly_demand_and_shifts() {
        let fmt = |w: &[f64]| {
            (0..24)
                .map(|h| w[h / 8].to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let text = format!(
            r#"
name = "mt_m_st"
[run]
warmup_days = 1
horizon_days = 2
drain_days = 0
replications = {REPS}
seed = 37
timeseries_interval_min = 30
[demand]
tickets_per_hour = {PER_HOUR}
hour_weights = [{hours}]
channels = {{ phone = 1.0 }}
priorities = {{ P3 = 1.0 }}
segments = {{ all = 1.0 }}
required_level = {{ 1 = 1.0 }}
[[pools]]
name = "agents"
[[pools.shifts]]
name = "night"
start = "00:15"
end = "08:15"
headcount = 4
[[pools.shifts]]
name = "day"
start = "08:15"
end = "16:15"
headcount = 20
[[pools.shifts]]
name = "evening"
start = "16:15"
end = "00:15"
headcount = 11
[[tiers]]
level = 1
pool = "agents"
work_time.default = {{ dist = "exponential", mean_min = {MEAN_WORK_MIN} }}
"#,
            hours = fmt(&HOURS),
        );
        let s = scenario(&text);
        let schedule = s.pools[0].schedule.clone();
        // The plan as the engine reads it: from 00:15 on, 4 / 20 / 11 agents by shift.
        let on_duty_at = |t: f64| {
            schedule
                .iter()
                .take_while(|&&(at, _)| at <= t)
                .last()
                .map_or(0, |&(_, n)| n as usize)
        };
        for (t, n) in [(20.0, 4), (600.0, 20), (1000.0, 11), (1440.0 + 20.0, 4)] {
            assert_eq!(on_duty_at(t), n, "agents on duty at minute {t}");
        }
        let mc = run(&s);
        let column = |name: &str| super::series_column(&mc, name);
        let (busy_col, queue_col) = (column("busy_agents"), column("queue_tickets"));
        let width = mc.layout.columns.len();
        let mu = 1.0 / MEAN_WORK_MIN;
        let max_busy = schedule.iter().map(|&(_, n)| n as usize).max().unwrap();
        let mut chain = Chain {
            max_busy,
            p: vec![0.0; (max_busy + 1) * (MAX_QUEUE + 1)],
        };
        chain.p[0] = 1.0;
        // Piece ends: every quarter hour holds every rate and staffing change.
        let mut t = 0.0f64;
        let mut on_duty = on_duty_at(0.0);
        let (mut worst, mut largest_queue) = ((0.0f64, 0.0f64), 0.0f64);
        for (k, &sample_t) in mc.layout.times.iter().enumerate() {
            while t < sample_t - 1e-9 {
                let end = ((t / 15.0).floor() + 1.0) * 15.0;
                let end = end.min(sample_t);
                chain.advance(end - t, rate_per_min(t), mu, on_duty);
                t = end;
                largest_queue = largest_queue.max(chain.means().1);
                let now_on = on_duty_at(t);
                if now_on > on_duty {
                    chain.staff_up(now_on);
                }
                on_duty = now_on;
            }
            let (busy, queue) = chain.means();
            let tail: f64 = (0..=max_busy)
                .map(|b| chain.p[chain.at(b, MAX_QUEUE)])
                .sum();
            assert!(
                tail < 1e-9,
                "truncation at {MAX_QUEUE} waiting holds {tail}"
            );
            for (what, col, exact) in [("busy agents", busy_col, busy), ("queue", queue_col, queue)]
            {
                let (mean, _, high) = mc.series.estimate(k * width + col);
                let se = (high - mean) / t_critical(REPS as usize);
                if se == 0.0 {
                    assert!(
                        (mean - exact).abs() < 1e-3,
                        "{what} at minute {sample_t}: every replication {mean} vs exact {exact}"
                    );
                    continue;
                }
                let z = (mean - exact) / se;
                if z.abs() > worst.1.abs() {
                    worst = (sample_t, z);
                }
                // 2 x 144 comparisons: 5 SE keeps a correct engine's chance of failing small.
                assert!(
                    z.abs() < 5.0,
                    "{what} at minute {sample_t}: simulated {mean:.3} vs exact {exact:.3} ({z:+.2} SE)"
                );
            }
        }
        eprintln!(
            "M_t/M/s_t: {} samples, worst {:+.2} SE at minute {}; largest exact mean queue {largest_queue:.1}",
            mc.layout.times.len(),
            worst.1,
            worst.0
        );
        assert!(
            largest_queue > 30.0,
            "the late day shift must build a queue"
        );
    }
}
