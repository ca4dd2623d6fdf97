//! Erlang B/C/A against factorial definitions, naive chains, uniformization and reference
//! values; the staffing search and input errors.

use super::answer_time::answered_within;
use super::erlang_a::erlang_a_detail;
use super::sum::Compensated;
use super::*;

const TWENTY_SEC: f64 = 20.0 / 60.0;

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * (1.0 + a.abs().max(b.abs()))
}

macro_rules! assert_close {
    ($a:expr, $b:expr, $tol:expr) => {{
        let (a, b): (f64, f64) = ($a, $b);
        assert!(
            close(a, b, $tol),
            "{} = {a} vs {} = {b}",
            stringify!($a),
            stringify!($b)
        );
    }};
}

fn input(lambda: f64, s: f64, n: u32, p: Option<f64>) -> QueueInput {
    QueueInput {
        arrival_rate_per_min: lambda,
        mean_service_min: s,
        agents: n,
        mean_patience_min: p,
    }
}

/// Erlang B straight from the definition with factorials, small n only.
fn erlang_b_factorial(n: u32, a: f64) -> f64 {
    let terms: Vec<f64> = (0..=n)
        .map(|k| a.powi(k as i32) / (1..=k).map(f64::from).product::<f64>())
        .collect();
    terms[n as usize] / terms.iter().sum::<f64>()
}

/// Erlang C straight from the definition with factorials, small n only.
fn erlang_c_factorial(n: u32, a: f64) -> f64 {
    let fact = |k: u32| (1..=k).map(f64::from).product::<f64>();
    let head: f64 = (0..n).map(|k| a.powi(k as i32) / fact(k)).sum();
    let last = a.powi(n as i32) / fact(n) * f64::from(n) / (f64::from(n) - a);
    last / (head + last)
}

/// Naive oracle: birth–death chain truncated at `kmax`, in minutes.
struct Naive {
    pi: Vec<f64>,
    n: usize,
    mu: f64,
    theta: f64,
}

impl Naive {
    fn new(lambda: f64, s: f64, n: usize, p: Option<f64>, kmax: usize) -> Naive {
        let mu = 1.0 / s;
        let theta = p.map_or(0.0, |p| 1.0 / p);
        let mut pi = vec![1.0];
        for k in 1..=kmax {
            let d = k.min(n) as f64 * mu + k.saturating_sub(n) as f64 * theta;
            let next = pi[k - 1] * lambda / d;
            pi.push(next);
        }
        let z: f64 = pi.iter().sum();
        pi.iter_mut().for_each(|x| *x /= z);
        Naive { pi, n, mu, theta }
    }

    fn p_wait(&self) -> f64 {
        self.pi[self.n..].iter().sum()
    }

    fn mean_queue(&self) -> f64 {
        self.pi[self.n..]
            .iter()
            .enumerate()
            .map(|(i, p)| i as f64 * p)
            .sum()
    }

    fn busy(&self) -> f64 {
        self.pi
            .iter()
            .enumerate()
            .map(|(k, p)| k.min(self.n) as f64 * p)
            .sum()
    }

    /// (P(served | i ahead), E[wait; served | i ahead]) by first-step
    /// analysis of the tagged customer, stage by stage.
    fn served_by_stage(&self) -> Vec<(f64, f64)> {
        let nmu = self.n as f64 * self.mu;
        let (mut s_prev, mut g_prev) = (1.0, 0.0);
        (0..self.pi.len() - self.n)
            .map(|i| {
                let ahead = nmu + i as f64 * self.theta;
                let out = ahead + self.theta;
                let adv = ahead / out;
                let s = adv * s_prev;
                let g = adv * (s_prev / out + g_prev);
                (s_prev, g_prev) = (s, g);
                (s, g)
            })
            .collect()
    }

    fn p_served(&self) -> f64 {
        let head: f64 = self.pi[..self.n].iter().sum();
        let tail: f64 = self
            .served_by_stage()
            .iter()
            .zip(&self.pi[self.n..])
            .map(|((s, _), p)| s * p)
            .sum();
        head + tail
    }

    fn mean_wait_served(&self) -> f64 {
        let g: f64 = self
            .served_by_stage()
            .iter()
            .zip(&self.pi[self.n..])
            .map(|((_, g), p)| g * p)
            .sum();
        g / self.p_served()
    }

    /// Service level by RK4 on u_i' = (nμ + iθ)(u_{i-1} - u_i) - θ u_i.
    fn service_level(&self, t: f64, steps: usize) -> f64 {
        let m = self.pi.len() - self.n;
        let nmu = self.n as f64 * self.mu;
        let theta = self.theta;
        let f = |u: &[f64]| -> Vec<f64> {
            (0..m)
                .map(|i| {
                    let prev = if i == 0 { 1.0 } else { u[i - 1] };
                    (nmu + i as f64 * theta) * (prev - u[i]) - theta * u[i]
                })
                .collect()
        };
        let h = t / steps as f64;
        let mut u = vec![0.0; m];
        for _ in 0..steps {
            let k1 = f(&u);
            let y: Vec<f64> = (0..m).map(|i| u[i] + 0.5 * h * k1[i]).collect();
            let k2 = f(&y);
            let y: Vec<f64> = (0..m).map(|i| u[i] + 0.5 * h * k2[i]).collect();
            let k3 = f(&y);
            let y: Vec<f64> = (0..m).map(|i| u[i] + h * k3[i]).collect();
            let k4 = f(&y);
            for i in 0..m {
                u[i] += h / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
            }
        }
        let head: f64 = self.pi[..self.n].iter().sum();
        head + u
            .iter()
            .zip(&self.pi[self.n..])
            .map(|(u, p)| u * p)
            .sum::<f64>()
    }
}

/// Counts outside `[lo, hi]` carry less than e^-50 of a Poisson(x) law
/// (Chernoff's bound for the lower tail, Bernstein's for the upper).
fn poisson_bounds(x: f64) -> (u64, u64) {
    let spread = 10.0 * x.sqrt();
    let lo = (x - spread - 10.0).floor().max(0.0) as u64;
    let hi = (x + spread + 40.0).ceil() as u64;
    (lo, hi)
}

/// Poisson(x) probabilities for counts `lo..=hi`, up to a common factor,
/// built outwards from the mode so that none underflows or overflows.
fn poisson_window(x: f64, lo: u64, hi: u64) -> Vec<f64> {
    let len = (hi - lo + 1) as usize;
    let mut w = vec![0.0; len];
    let mode = (x.floor() as u64).clamp(lo, hi);
    let mi = (mode - lo) as usize;
    w[mi] = 1.0;
    for i in (0..mi).rev() {
        let m = lo + i as u64 + 1;
        w[i] = w[i + 1] * (m as f64 / x);
    }
    for i in mi + 1..len {
        let m = lo + i as u64;
        w[i] = w[i - 1] * (x / m as f64);
    }
    w
}

/// Independent route to `answered_within`: the probability absorbed
/// ("answered") by time `tau` (in mean service times) when `served[i]`
/// starts in stage `i` of the pure-death chain with stage rates
/// `n + (i+1) γ`, by uniformization (a Poisson mixture of powers of a
/// stochastic matrix).
fn answered_within_uniformized(
    served: &[f64],
    n: f64,
    gamma: f64,
    tau: f64,
) -> Result<f64, ErlangError> {
    let stages = served.len();
    if stages == 0 || tau == 0.0 {
        return Ok(0.0);
    }
    let top = (stages - 1) as f64;
    let rate = n + (top + 1.0) * gamma;
    let x = rate * tau;
    let (lo, hi) = poisson_bounds(x);
    let advance: Vec<f64> = (0..stages)
        .map(|j| (n + (j + 1) as f64 * gamma) / rate)
        .collect();
    // Written as the complement's exact numerator to avoid 1 - advance.
    let stay: Vec<f64> = (0..stages)
        .map(|j| (top - j as f64) * gamma / rate)
        .collect();

    let mut state = served.to_vec();
    let start_mass = served.iter().sum::<f64>();
    let mut transient = start_mass;
    let mut absorbed = Compensated::default();
    let mut history = Vec::new();
    let mut work = 0.0;
    let mut m: u64 = 0;
    loop {
        if m >= lo {
            history.push(absorbed.value());
        }
        // Beyond this point absorption can change by at most `transient`.
        if m >= hi || transient <= 1e-17 * start_mass {
            break;
        }
        work += stages as f64;
        if work > 2e9 {
            return Err(ErlangError::TooLarge {
                what: "service-level computation exceeds the work limit",
            });
        }
        absorbed.add(state[0] * advance[0]);
        let mut left = Compensated::default();
        for j in 0..stages - 1 {
            state[j] = state[j] * stay[j] + state[j + 1] * advance[j + 1];
            left.add(state[j]);
        }
        // The top stage has the uniformization rate itself, so it never stays.
        state[stages - 1] = 0.0;
        transient = left.value();
        m += 1;
    }
    if history.is_empty() {
        // Absorption finished before any Poisson count with visible mass.
        return Ok(absorbed.value());
    }
    let weights = poisson_window(x, lo, hi);
    let mut norm = Compensated::default();
    let mut acc = Compensated::default();
    let last = history.len() - 1;
    for (idx, &p) in weights.iter().enumerate() {
        norm.add(p);
        acc.add(p * history[idx.min(last)]);
    }
    Ok(acc.value() / norm.value())
}

#[test]
fn service_level_negative_binomial_matches_uniformization() {
    // Two exact methods that share nothing but the tilted stage rates:
    // small and large systems, short and long targets, under- and
    // over-staffed, patience shorter and longer than service.
    let cases = [
        (100.0 / 60.0, 6.0, 12, 3.0, TWENTY_SEC),
        (100.0 / 60.0, 6.0, 8, 3.0, 5.0),
        (1.2, 1.0, 1, 2.0, 0.75),
        (2.0, 1.0, 3, 0.05, 0.5),
        (180.0, 5.0, 1000, 3.0, TWENTY_SEC),
        (210.0, 5.0, 1000, 3.0, 1.0),
        (210.0, 5.0, 950, 30.0, 2.0),
        (10.0, 1.0, 9, 1e4, 3.0),
        (1.0, 1.0, 2, 0.5, 3.0),
    ];
    for (lambda, s, n, p, t) in cases {
        let model = validate(&input(lambda, s, n, Some(p))).unwrap();
        let d = erlang_a_detail(&model, p).unwrap();
        let (nf, gamma, tau) = (f64::from(n), s / p, t / s);
        let fast = answered_within(&d.served, nf, gamma, tau).unwrap();
        let slow = answered_within_uniformized(&d.served, nf, gamma, tau).unwrap();
        assert_close!(fast, slow, 1e-11);
    }
}

#[test]
fn erlang_b_known_values() {
    assert_eq!(erlang_b(1, 1.0), 0.5);
    assert_close!(erlang_b(2, 1.0), 0.2, 1e-15);
    assert_eq!(erlang_b(0, 3.0), 1.0);
    assert_eq!(erlang_b(5, 0.0), 0.0);
    // Exact rational value 0.018384570336648132 (table value 0.01838).
    assert_close!(erlang_b(10, 5.0), 0.018_384_570_336_648_13, 1e-14);
    for (n, a) in [(1, 0.3), (7, 4.2), (20, 25.0), (30, 12.5)] {
        assert_close!(erlang_b(n, a), erlang_b_factorial(n, a), 1e-12);
    }
    assert!(erlang_b(3, f64::NAN).is_nan());
    assert!(erlang_b(3, -1.0).is_nan());
    assert_eq!(erlang_b(3, f64::INFINITY), 1.0);
    // Large systems stay finite and sensible.
    let b = erlang_b(10_000, 9_000.0);
    assert!(b.is_finite() && b > 0.0 && b < 1e-10);
}

#[test]
fn erlang_c_textbook_example() {
    // 100 calls an hour, 6-minute AHT: a = 10 erlangs, 12 agents, 20 s.
    let lambda = 100.0 / 60.0;
    let m = metrics(&input(lambda, 6.0, 12, None), Some(TWENTY_SEC)).unwrap();
    // Values from exact rational arithmetic (50-digit check): C = 0.449388224298271,
    // ASA = 1.34816467289481 min (80.9 s), SL = 0.597869748384513.
    assert_close!(m.offered_load_erlangs, 10.0, 1e-15);
    assert_close!(m.p_wait, 0.449_388_224_298_270_9, 1e-13);
    assert_close!(m.mean_wait_min, 1.348_164_672_894_812_5, 1e-13);
    assert_close!(m.service_level.unwrap(), 0.597_869_748_384_512_6, 1e-13);
    assert_close!(m.occupancy, 10.0 / 12.0, 1e-15);
    assert_eq!(m.p_abandon, 0.0);
    assert_eq!(m.mean_wait_served_min, m.mean_wait_min);
    assert_close!(m.mean_queue_len, lambda * m.mean_wait_min, 1e-14);

    // Independent route 1: factorial closed form.
    let c = erlang_c_factorial(12, 10.0);
    assert_close!(m.p_wait, c, 1e-12);
    assert_close!(m.mean_wait_min, c * 6.0 / 2.0, 1e-12);
    let sl = 1.0 - c * (-(2.0 / 6.0) * TWENTY_SEC).exp();
    assert_close!(m.service_level.unwrap(), sl, 1e-12);

    // Independent route 2: truncated birth–death chain, RK4 for P(W <= t).
    let naive = Naive::new(lambda, 6.0, 12, None, 400);
    assert_close!(m.p_wait, naive.p_wait(), 1e-10);
    assert_close!(m.mean_queue_len, naive.mean_queue(), 1e-10);
    assert_close!(
        m.service_level.unwrap(),
        naive.service_level(TWENTY_SEC, 400),
        1e-10
    );

    // A second widely used example: 360 calls per 30 min, 240 s AHT
    // (48 erlangs), 80 % in 20 s needs 54 agents (SL 0.8172).
    let (n, m) = min_agents(12.0, 4.0, None, TWENTY_SEC, 0.8).unwrap();
    assert_eq!(n, 54);
    assert_close!(m.service_level.unwrap(), 0.817_247_521_014_683_6, 1e-12);
    assert_close!(m.p_wait, 0.301_307_899_376_269_3, 1e-12);
}

#[test]
fn mm1_closed_forms() {
    for (lambda, s) in [(0.5, 1.0), (0.9, 1.0), (2.0, 0.25), (0.01, 3.0)] {
        let rho = lambda * s;
        let mu = 1.0 / s;
        let m = metrics(&input(lambda, s, 1, None), Some(1.5)).unwrap();
        assert_close!(m.p_wait, rho, 1e-14);
        assert_close!(m.mean_wait_min, rho / (mu - lambda), 1e-13);
        assert_close!(m.mean_queue_len, rho * rho / (1.0 - rho), 1e-13);
        let sl = 1.0 - rho * (-(mu - lambda) * 1.5).exp();
        assert_close!(m.service_level.unwrap(), sl, 1e-14);
    }
}

#[test]
fn erlang_a_single_agent_matches_naive_chain() {
    // M/M/1+M: λ = 1.2/min, s = 1 min, patience 2 min (overloaded yet stable).
    for (lambda, s, p) in [(1.2, 1.0, 2.0), (0.5, 1.0, 0.5), (3.0, 0.5, 10.0)] {
        let m = metrics(&input(lambda, s, 1, Some(p)), Some(0.75)).unwrap();
        let naive = Naive::new(lambda, s, 1, Some(p), 600);
        assert_close!(m.p_wait, naive.p_wait(), 1e-11);
        assert_close!(m.mean_queue_len, naive.mean_queue(), 1e-11);
        assert_close!(m.mean_wait_min, naive.mean_queue() / lambda, 1e-11);
        assert_close!(m.p_abandon, naive.mean_queue() / (p * lambda), 1e-11);
        assert_close!(m.occupancy, naive.busy(), 1e-11);
        assert_close!(m.mean_wait_served_min, naive.mean_wait_served(), 1e-11);
        // The naive P(served) is independent of p_abandon: it sums the
        // tagged-customer recursion over the chain.
        assert_close!(naive.p_served(), 1.0 - m.p_abandon, 1e-11);
        assert_close!(
            m.service_level.unwrap(),
            naive.service_level(0.75, 20_000),
            1e-9
        );
    }
}

#[test]
fn erlang_a_multi_agent_matches_naive_chain() {
    // a = 10 erlangs; under-, critically- and over-staffed; patience 3 min.
    for n in [8_u32, 10, 12] {
        let lambda = 100.0 / 60.0;
        let m = metrics(&input(lambda, 6.0, n, Some(3.0)), Some(TWENTY_SEC)).unwrap();
        let naive = Naive::new(lambda, 6.0, n as usize, Some(3.0), 300);
        assert_close!(m.p_wait, naive.p_wait(), 1e-11);
        assert_close!(m.mean_queue_len, naive.mean_queue(), 1e-11);
        assert_close!(m.occupancy * f64::from(n), naive.busy(), 1e-11);
        assert_close!(m.mean_wait_served_min, naive.mean_wait_served(), 1e-11);
        assert_close!(naive.p_served(), 1.0 - m.p_abandon, 1e-11);
        let sl = naive.service_level(TWENTY_SEC, 5_000);
        assert_close!(m.service_level.unwrap(), sl, 1e-9);
    }
}

#[test]
fn erlang_a_served_probability_is_consistent() {
    // Σ π_k P(served | k) = 1 − θ E[Q] / λ, including large systems.
    for (lambda, s, n, p) in [
        (100.0 / 60.0, 6.0, 12, 3.0),
        (180.0, 5.0, 900, 2.0),
        (180.0, 5.0, 1000, 10.0),
        (200.0, 5.0, 900, 1.0),
        (2.0, 1.0, 1, 0.1),
    ] {
        let model = validate(&input(lambda, s, n, Some(p))).unwrap();
        let d = erlang_a_detail(&model, p).unwrap();
        let p_abandon = d.mean_queue_len / (lambda * p);
        assert_close!(d.p_served, 1.0 - p_abandon, 1e-9);
        let total: f64 = d.p_no_wait + d.queue.iter().sum::<f64>();
        assert_close!(total, 1.0, 1e-12);
        // Mean wait over all arrivals, from E[min(V, patience)] per stage,
        // must match Little's law.
        let all: f64 = d
            .queue
            .iter()
            .zip(&d.served)
            .map(|(q, s)| (q - s) * p)
            .sum();
        assert_close!(all, d.mean_queue_len / lambda, 1e-9);
    }
}

#[test]
fn erlang_a_patience_equal_to_service_is_poisson() {
    // θ = μ makes the chain an M/M/∞ count: π = Poisson(a).
    let (a, n) = (7.5_f64, 8_u32);
    let m = metrics(&input(a, 1.0, n, Some(1.0)), None).unwrap();
    let pois: Vec<f64> = {
        let mut v = vec![(-a).exp()];
        for k in 1..200 {
            v.push(v[k - 1] * a / k as f64);
        }
        v
    };
    let p_wait: f64 = pois[n as usize..].iter().sum();
    let eq: f64 = pois
        .iter()
        .enumerate()
        .skip(n as usize)
        .map(|(k, p)| (k - n as usize) as f64 * p)
        .sum();
    assert_close!(m.p_wait, p_wait, 1e-12);
    assert_close!(m.mean_queue_len, eq, 1e-12);
}

#[test]
fn erlang_a_reference_values() {
    // Reference values from an independent 400-digit computation (mpmath):
    // the full chain truncated 400 states past n, and P(answered within t)
    // from the partial-fraction (hypoexponential) closed form.
    // Columns: λ, s, n, patience, t | p_wait, E[Q], p_abandon,
    // E[W | answered], SL.
    let cases = [
        (
            (100.0 / 60.0, 6.0, 12, 3.0, TWENTY_SEC),
            [
                0.263_222_003_432_202_2,
                0.338_107_953_882_403_95,
                0.067_621_590_776_480_79,
                0.167_569_425_798_795_95,
                0.796_127_463_965_020_4,
            ],
        ),
        (
            (100.0 / 60.0, 6.0, 8, 3.0, TWENTY_SEC),
            [
                0.681_697_815_949_222_3,
                1.332_690_688_926_470_3,
                0.266_538_137_785_294_04,
                0.726_046_851_039_583_1,
                0.389_917_219_426_900_7,
            ],
        ),
        (
            (210.0, 5.0, 1000, 3.0, TWENTY_SEC),
            [
                0.878_496_417_655_528,
                31.029_712_250_790_503,
                0.049_253_511_509_191_27,
                0.149_461_684_999_054_54,
                0.892_387_619_324_346_5,
            ],
        ),
        (
            (1.2, 1.0, 1, 2.0, 0.75),
            [
                0.760_554_946_969_179,
                0.878_890_106_061_641_8,
                0.366_204_210_859_017_42,
                0.653_778_348_731_624_7,
                0.423_458_047_234_327_8,
            ],
        ),
    ];
    for ((lambda, s, n, p, t), [p_wait, eq, p_ab, ws, sl]) in cases {
        let m = metrics(&input(lambda, s, n, Some(p)), Some(t)).unwrap();
        assert_close!(m.p_wait, p_wait, 1e-12);
        assert_close!(m.mean_queue_len, eq, 1e-12);
        assert_close!(m.mean_wait_min, eq / lambda, 1e-12);
        assert_close!(m.p_abandon, p_ab, 1e-12);
        assert_close!(m.mean_wait_served_min, ws, 1e-12);
        assert_close!(m.service_level.unwrap(), sl, 1e-12);
        assert_close!(m.occupancy, lambda * s * (1.0 - p_ab) / f64::from(n), 1e-12);
    }
}

#[test]
fn erlang_a_large_system() {
    // 900 erlangs on 1000 agents: no overflow, and less waiting than
    // Erlang C because some callers leave. (The service level need not
    // beat Erlang C's: abandoned calls count as not answered.)
    let m = metrics(&input(180.0, 5.0, 1000, Some(3.0)), Some(TWENTY_SEC)).unwrap();
    let c = metrics(&input(180.0, 5.0, 1000, None), Some(TWENTY_SEC)).unwrap();
    assert!(m.p_wait > 1e-6 && m.p_wait < c.p_wait);
    assert!(m.mean_wait_min < c.mean_wait_min);
    assert!(m.service_level.unwrap() <= 1.0 - m.p_abandon);
    // 10 000 agents at 99 % load with long patience still evaluates.
    let big = metrics(&input(9_900.0, 1.0, 10_000, Some(600.0)), Some(TWENTY_SEC)).unwrap();
    let model = validate(&input(9_900.0, 1.0, 10_000, Some(600.0))).unwrap();
    let d = erlang_a_detail(&model, 600.0).unwrap();
    assert_close!(d.p_served, 1.0 - big.p_abandon, 1e-9);
    assert!(big.service_level.unwrap() > 0.0 && big.service_level.unwrap() < 1.0);
}

#[test]
fn erlang_a_tends_to_erlang_c() {
    let lambda = 100.0 / 60.0;
    for n in [11_u32, 12, 15] {
        let c = metrics(&input(lambda, 6.0, n, None), Some(TWENTY_SEC)).unwrap();
        let a = metrics(&input(lambda, 6.0, n, Some(1e9)), Some(TWENTY_SEC)).unwrap();
        assert_close!(a.p_wait, c.p_wait, 1e-6);
        assert_close!(a.mean_wait_min, c.mean_wait_min, 1e-6);
        assert_close!(a.mean_wait_served_min, c.mean_wait_served_min, 1e-6);
        assert_close!(a.mean_queue_len, c.mean_queue_len, 1e-6);
        assert_close!(a.service_level.unwrap(), c.service_level.unwrap(), 1e-6);
        assert_close!(a.occupancy, c.occupancy, 1e-6);
        assert!(a.p_abandon < 1e-8);
    }
}

/// With patience far below the service time every caller who finds the agents busy leaves:
/// M/M/n+M tends to the loss system M/M/n/n, abandonment to Erlang B's blocking. Down to
/// patience 1e-300 minutes (where every queue state but "all busy" falls below the tail cut).
#[test]
fn erlang_a_tends_to_erlang_b_as_patience_vanishes() {
    let lambda = 100.0 / 60.0;
    for n in [1_u32, 5, 12] {
        let b = erlang_b(n, lambda * 6.0);
        for p in [1e-9, 1e-12, 1e-19, 1e-20, 1e-100, 1e-300] {
            let a = metrics(&input(lambda, 6.0, n, Some(p)), Some(TWENTY_SEC)).unwrap();
            assert_close!(a.p_abandon, b, 1e-6);
            assert_close!(a.occupancy, lambda * 6.0 * (1.0 - b) / f64::from(n), 1e-6);
            assert!(a.occupancy <= 1.0, "n {n} patience {p}: {}", a.occupancy);
            assert_close!(a.service_level.unwrap(), 1.0 - b, 1e-6);
        }
    }
}

#[test]
fn erlang_a_monotone_in_agents_and_target() {
    let lambda = 100.0 / 60.0;
    let mut prev: Option<QueueMetrics> = None;
    for n in 5..=20 {
        let m = metrics(&input(lambda, 6.0, n, Some(3.0)), Some(TWENTY_SEC)).unwrap();
        if let Some(p) = prev {
            assert!(m.p_abandon < p.p_abandon, "abandonment falls with agents");
            assert!(m.service_level.unwrap() > p.service_level.unwrap());
            assert!(m.p_wait < p.p_wait);
        }
        prev = Some(m);
    }
    let mut prev_sl = -1.0;
    for t in [0.0, 0.05, 0.2, TWENTY_SEC, 1.0, 3.0, 10.0, 100.0] {
        let sl = metrics(&input(lambda, 6.0, 10, Some(3.0)), Some(t))
            .unwrap()
            .service_level
            .unwrap();
        assert!(sl > prev_sl, "SL rises with the target time");
        prev_sl = sl;
    }
    let m = metrics(&input(lambda, 6.0, 10, Some(3.0)), Some(0.0)).unwrap();
    assert_close!(m.service_level.unwrap(), 1.0 - m.p_wait, 1e-14);
    // At a huge target every answered call counts.
    let m = metrics(&input(lambda, 6.0, 10, Some(3.0)), Some(1e4)).unwrap();
    assert_close!(m.service_level.unwrap(), 1.0 - m.p_abandon, 1e-12);
}

#[test]
fn erlang_a_mean_served_wait_integrates_service_curve() {
    // E[W; answered] = ∫ (P(answered) − P(answered within t)) dt, computed
    // from the service-level curve with Gauss–Legendre panels.
    let (lambda, s, n, p) = (1.5, 1.0, 2_u32, 1.0);
    let m0 = metrics(&input(lambda, s, n, Some(p)), None).unwrap();
    let p_served = 1.0 - m0.p_abandon;
    let nodes = [
        (0.0, 128.0 / 225.0),
        (0.538_469_310_105_683_1, 0.478_628_670_499_366_5),
        (-0.538_469_310_105_683_1, 0.478_628_670_499_366_5),
        (0.906_179_845_938_664, 0.236_926_885_056_189_1),
        (-0.906_179_845_938_664, 0.236_926_885_056_189_1),
    ];
    let (width, panels) = (0.125, 240);
    let mut integral = 0.0;
    for k in 0..panels {
        let mid = (k as f64 + 0.5) * width;
        for (x, w) in nodes {
            let t = mid + 0.5 * width * x;
            let sl = metrics(&input(lambda, s, n, Some(p)), Some(t))
                .unwrap()
                .service_level
                .unwrap();
            integral += 0.5 * width * w * (p_served - sl);
        }
    }
    assert_close!(integral / p_served, m0.mean_wait_served_min, 1e-9);
}

#[test]
fn min_agents_textbook_and_erlang_a() {
    let lambda = 100.0 / 60.0;
    // 80 % in 20 s at 10 erlangs: 13 agents give 0.7585, 14 give 0.8606.
    let (n, m) = min_agents(lambda, 6.0, None, TWENTY_SEC, 0.8).unwrap();
    assert_eq!(n, 14);
    assert_close!(m.service_level.unwrap(), 0.860_566_047_728_217_8, 1e-12);
    let below = metrics(&input(lambda, 6.0, 13, None), Some(TWENTY_SEC)).unwrap();
    assert_close!(below.service_level.unwrap(), 0.758_523_774_853_342_5, 1e-12);

    for p in [0.5, 3.0, 30.0] {
        let (na, ma) = min_agents(lambda, 6.0, Some(p), TWENTY_SEC, 0.8).unwrap();
        assert!(na <= n, "patience {p}: Erlang A {na} > Erlang C {n}");
        assert!(ma.service_level.unwrap() >= 0.8);
        let fewer = metrics(&input(lambda, 6.0, na - 1, Some(p)), Some(TWENTY_SEC)).unwrap();
        assert!(fewer.service_level.unwrap() < 0.8);
    }
    // A zero target is met by the first stable staffing.
    assert_eq!(
        min_agents(lambda, 6.0, None, TWENTY_SEC, 0.0).unwrap().0,
        11
    );
    assert_eq!(
        min_agents(lambda, 6.0, Some(3.0), TWENTY_SEC, 0.0)
            .unwrap()
            .0,
        1
    );
}

#[test]
fn errors() {
    let ok = input(1.0, 1.0, 2, None);
    assert_eq!(
        metrics(&QueueInput { agents: 0, ..ok }, None),
        Err(ErlangError::ZeroAgents)
    );
    assert!(matches!(
        metrics(
            &QueueInput {
                arrival_rate_per_min: f64::NAN,
                ..ok
            },
            None
        ),
        Err(ErlangError::NotFinite {
            name: "arrival_rate_per_min",
            ..
        })
    ));
    assert_eq!(
        metrics(
            &QueueInput {
                mean_service_min: -2.0,
                ..ok
            },
            None
        ),
        Err(ErlangError::NonPositive {
            name: "mean_service_min",
            value: -2.0
        })
    );
    assert_eq!(
        metrics(
            &QueueInput {
                mean_patience_min: Some(0.0),
                ..ok
            },
            None
        ),
        Err(ErlangError::NonPositive {
            name: "mean_patience_min",
            value: 0.0
        })
    );
    assert_eq!(
        metrics(&ok, Some(-1.0)),
        Err(ErlangError::Negative {
            name: "target_min",
            value: -1.0
        })
    );
    assert_eq!(
        metrics(&input(2.5, 2.0, 5, None), None),
        Err(ErlangError::Unstable {
            load_erlangs: 5.0,
            agents: 5
        })
    );
    // The same load is fine with abandonment.
    assert!(metrics(&input(2.5, 2.0, 5, Some(1.0)), Some(1.0)).is_ok());
    assert!(matches!(
        min_agents(1.0, 1.0, None, 0.5, 1.0),
        Err(ErlangError::OutOfRange { .. })
    ));
    assert!(matches!(
        min_agents(1.0, f64::INFINITY, None, 0.5, 0.8),
        Err(ErlangError::NotFinite { .. })
    ));
    assert_eq!(
        min_agents(1e6, 1.0, None, 0.5, 0.8),
        Err(ErlangError::TargetUnreachable {
            max_agents: MAX_AGENTS_SEARCHED
        })
    );
    // Decades of patience in heavy overload: refuse rather than truncate.
    assert!(matches!(
        metrics(&input(20.0, 1.0, 10, Some(1e9)), None),
        Err(ErlangError::TooLarge { .. })
    ));
}
