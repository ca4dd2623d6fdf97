//! Arrivals that are not Poisson: a trace of evenly spaced arrivals (one every D minutes)
//! makes the one-pool file a D/M/c queue, whose exact solution is the GI/M/c embedded chain
//! (Kendall 1953; Gross & Harris, *Fundamentals of Queueing Theory*, section 6.4). Erlang C
//! overstates the waits of such regular arrivals, so this checks that the trace path feeds the
//! queue exactly the arrivals it reads, and that the engine's waits follow from them.
//!
//! The chain: let q_n be the probability that an arrival finds n in the system. Between two
//! arrivals nobody joins, so from k = n + 1 in the system the next arrival finds j with
//! - k <= c: each of the k in service is still there with probability e^(-mu D): Binomial;
//! - j >= c: exactly k - j departures at rate c mu: Poisson(c mu D);
//! - k > c > j: the queue empties after an Erlang(k - c, c mu) time tau <= D, then each of
//!   the c still there after D - tau more: integrated numerically.
//!
//! An arrival finding n >= c waits Erlang(n - c + 1, c mu). For n >= c - 1, q_n is geometric
//! with the ratio sigma that solves sigma = exp(-c mu D (1 - sigma)); the test checks its
//! solver against that root and, for c = 1, against the closed form P(wait > 0) = sigma, mean
//! wait sigma / (mu (1 - sigma)). Replications replay the same arrivals and draw their own work
//! times, so they are independent: tolerances are 4 standard errors, as in theory.rs.

use crate::common::*;
use statrs::distribution::{Binomial, Continuous, ContinuousCDF, Discrete, Gamma, Poisson};

const Z: f64 = 4.0;

/// The exact D/M/c wait distribution: `q[n]`, the probability an arrival finds n in the system.
struct DmcChain {
    agents: usize,
    mu: f64,
    q: Vec<f64>,
}

/// P(j of n remain) when each remains with probability `p`.
fn binomial(n: usize, j: usize, p: f64) -> f64 {
    Binomial::new(p, n as u64).unwrap().pmf(j as u64)
}

impl DmcChain {
    /// Solves the embedded chain for c agents, work rate `mu` [1/min] and arrivals every
    /// `gap_min`, truncated at `states` (the geometric tail beyond is below 1e-12).
    fn solve(agents: usize, mu: f64, gap_min: f64, states: usize) -> Self {
        let c = agents;
        let cmu = c as f64 * mu;
        // p[k][j]: from k in the system just after an arrival to j just before the next.
        let mut p = vec![vec![0.0; states]; states + 1];
        for (k, row) in p.iter_mut().enumerate().skip(1) {
            if k <= c {
                for (j, x) in row.iter_mut().enumerate().take(k + 1) {
                    *x = binomial(k, j, (-mu * gap_min).exp());
                }
                continue;
            }
            let departures = Poisson::new(cmu * gap_min).unwrap();
            for (j, x) in row.iter_mut().enumerate().take(k + 1).skip(c) {
                *x = departures.pmf((k - j) as u64);
            }
            // Below c: Simpson's rule over tau, the moment the queue empties.
            let steps = 2000;
            let h = gap_min / steps as f64;
            let emptied = Gamma::new((k - c) as f64, cmu).unwrap();
            for (j, x) in row.iter_mut().enumerate().take(c) {
                let f = |tau: f64| emptied.pdf(tau) * binomial(c, j, (-mu * (gap_min - tau)).exp());
                let mut sum = f(0.0) + f(gap_min);
                for i in 1..steps {
                    sum += f(i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 };
                }
                *x = sum * h / 3.0;
            }
        }
        // Power iteration on q' = q P (an arrival finding n leaves n + 1 behind).
        let mut start = vec![0.0; states];
        start[0] = 1.0;
        let q = stationary_law(start, 20_000, |q| {
            let mut next = vec![0.0; states];
            for (n, &qn) in q.iter().enumerate() {
                if qn == 0.0 {
                    continue;
                }
                for (j, x) in next.iter_mut().enumerate() {
                    *x += qn * p[n + 1][j];
                }
            }
            next
        });
        DmcChain { agents: c, mu, q }
    }

    fn p_wait(&self) -> f64 {
        self.q[self.agents..].iter().sum()
    }

    /// Mean wait [min]: an arrival finding n >= c waits n - c + 1 departures at rate c mu.
    fn mean_wait_min(&self) -> f64 {
        let cmu = self.agents as f64 * self.mu;
        self.q[self.agents..]
            .iter()
            .enumerate()
            .map(|(i, q)| q * (i + 1) as f64 / cmu)
            .sum()
    }

    /// P(wait <= t): the Erlang(i + 1, c mu) distribution function, summed over arrivals
    /// finding c + i.
    fn within(&self, t_min: f64) -> f64 {
        let cmu = self.agents as f64 * self.mu;
        let waiting: f64 = self.q[self.agents..]
            .iter()
            .enumerate()
            .map(|(i, q)| q * Gamma::new((i + 1) as f64, cmu).unwrap().cdf(t_min))
            .sum();
        1.0 - self.p_wait() + waiting
    }
}

/// The root in (0, 1) of sigma = exp(-c mu D (1 - sigma)), by fixed-point iteration.
fn sigma(agents: usize, mu: f64, gap_min: f64) -> f64 {
    let mut s: f64 = 0.5;
    for _ in 0..100_000 {
        s = (-(agents as f64) * mu * gap_min * (1.0 - s)).exp();
    }
    s
}

/// Runs `agents` on exponential work of mean `aht_min` fed an arrival every `gap_min` and
/// checks P(wait > 0), the mean wait, P(wait <= 1 min) and utilisation against the chain.
fn dmc_case(agents: u32, aht_min: f64, gap_min: f64) -> (f64, f64) {
    let mu = 1.0 / aht_min;
    let chain = DmcChain::solve(agents as usize, mu, gap_min, 400);
    let root = sigma(agents as usize, mu, gap_min);
    let c = agents as usize;
    let ratio = chain.q[c + 1] / chain.q[c];
    assert!(
        (ratio - root).abs() < 1e-6,
        "the chain's tail ratio {ratio} is the root sigma {root}"
    );
    let days = (1.0, 6.0, 1.0);
    let span_min = (days.0 + days.1 + days.2) * 1440.0;
    let mut csv = String::from("arrival_min,channel,priority,segment\n");
    let mut i = 0u32;
    while (i as f64) * gap_min < span_min {
        csv.push_str(&format!("{},phone,P2,all\n", i as f64 * gap_min));
        i += 1;
    }
    let text = OnePool {
        name: "dmc",
        replications: 60,
        seed: 29,
        days,
        channel: "phone",
        trace: true,
        per_hour: 60.0 / gap_min,
        priority: "P2",
        agents,
        work: &format!("{{ dist = \"exponential\", mean_min = {aht_min} }}"),
        tail: "[[sla]]\nfirst_response = { target_min = 1, goal = 0.8 }\n",
    }
    .toml()
    .replacen("none.csv", "arrivals.csv", 1);
    let dir = tempfile::tempdir().unwrap();
    write_file(dir.path(), "arrivals.csv", &csv);
    let s = load_file(&write_file(dir.path(), "dmc.toml", &text));
    let mc = run(&s);
    let label = format!(
        "D/M/{agents} at utilisation {:.3}",
        aht_min / gap_min / agents as f64
    );
    let waited = est(&mc, "first_response_time_min", "all");
    assert_within_se(
        &format!("{label} mean wait [min]"),
        &waited,
        chain.mean_wait_min(),
        Z,
    );
    assert_within_se(
        &format!("{label} P(wait <= 1 min)"),
        &est(&mc, "sla_first_response_attainment", "all"),
        chain.within(1.0),
        Z,
    );
    assert_within_se(
        &format!("{label} P(wait > 0)"),
        &est(&mc, "stage_wait_probability", "stage=L1,pool=agents"),
        chain.p_wait(),
        Z,
    );
    assert_within_se(
        &format!("{label} utilisation"),
        &est(&mc, "utilisation", "pool=agents"),
        aht_min / gap_min / agents as f64,
        Z,
    );
    (chain.p_wait(), chain.mean_wait_min())
}

/// D/M/1 at utilisation 0.8: the closed form (P(wait > 0) = sigma = 0.6286, mean wait
/// sigma / (mu (1 - sigma)) = 10.16 min, where Erlang C's M/M/1 says 0.8 and 24 min).
#[test]
fn evenly_spaced_arrivals_on_one_agent_wait_as_d_m_1() {
    let (aht, gap) = (6.0, 7.5);
    let s = sigma(1, 1.0 / aht, gap);
    let (p_wait, mean_wait) = dmc_case(1, aht, gap);
    assert!((p_wait - s).abs() < 1e-9, "{p_wait} vs sigma {s}");
    let closed = s * aht / (1.0 - s);
    assert!((mean_wait - closed).abs() < 1e-9, "{mean_wait} vs {closed}");
}

/// D/M/4 at utilisation 0.85: P(wait > 0) = 0.5257 and mean wait 2.775 min by the chain,
/// where Erlang C's M/M/4 at the same load says 0.689 and 6.89 min.
#[test]
fn evenly_spaced_arrivals_on_four_agents_wait_as_d_m_4() {
    dmc_case(4, 6.0, 6.0 / 3.4);
}
