//! Time-varying demand against the exact transient of the infinite-server queue.
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
    let column = |name: &str| {
        mc.layout
            .columns
            .iter()
            .position(|(s, _)| *s == name)
            .unwrap_or_else(|| panic!("no series {name}"))
    };
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
