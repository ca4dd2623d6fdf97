//! Helpers shared by the integration tests.

use supportsim::montecarlo::MonteCarlo;
use supportsim::scenario::Scenario;
use supportsim::stats::summary::Estimate;

/// Parses a scenario from TOML text, panicking with the full error on failure.
pub fn scenario(text: &str) -> Scenario {
    match Scenario::from_toml_str(text, std::path::Path::new("<test>")) {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    }
}

/// The validation error of scenario text that must be refused (its origin shown as `x.toml`),
/// panicking if it is accepted.
pub fn refusal(text: &str) -> String {
    match Scenario::from_toml_str(text, std::path::Path::new("x.toml")) {
        Ok(_) => panic!("accepted a scenario that should be refused:\n{text}"),
        Err(e) => e.to_string(),
    }
}

/// Writes `text` to `dir/name` and returns the path (fixtures that name other files, such as
/// a trace or an open-tickets CSV, need a real folder).
pub fn write_file(dir: &std::path::Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// Loads a scenario file, panicking with the full error on failure.
pub fn load_file(path: &std::path::Path) -> Scenario {
    Scenario::load(path).unwrap_or_else(|e| panic!("{e}"))
}

/// The error of a scenario file that must be refused, panicking if it is accepted.
pub fn file_refusal(path: &std::path::Path) -> String {
    match Scenario::load(path) {
        Ok(_) => panic!("{} accepted", path.display()),
        Err(e) => e.to_string(),
    }
}

/// Runs every replication of a scenario on the global rayon pool.
pub fn run(s: &Scenario) -> MonteCarlo {
    MonteCarlo::run(s, s.run.replications, &|| {})
}

/// The estimate of (metric, group), panicking if the catalog lacks it.
pub fn est(mc: &MonteCarlo, metric: &str, group: &str) -> Estimate {
    mc.estimate(metric, group)
        .unwrap_or_else(|| panic!("no metric {metric} for group {group}"))
}

/// Little's law residuals L - lambda W per replication, over the whole window. Lambda counts
/// the tickets that got in: a contact refused by `[access]` is in `arrival_rate_per_hour`
/// (offered, non-deflected arrivals) but never enters, so it is in neither L nor W.
pub fn littles_law_residuals(mc: &MonteCarlo) -> Estimate {
    let at = |metric: &str| mc.catalog.find(metric, "all");
    let need = |metric: &str| at(metric).unwrap_or_else(|| panic!("no metric {metric}"));
    let (l, lam, w) = (
        need("tickets_in_system_mean"),
        need("arrival_rate_per_hour"),
        need("time_in_system_min"),
    );
    let (arrived, deflected) = (need("tickets_arrived"), need("tickets_deflected"));
    // Files without `[access]` refuse nobody and have no such metric.
    let refused = at("tickets_refused");
    let diffs: Vec<f64> = mc
        .values
        .iter()
        .map(|v| {
            let admitted = refused.map_or(1.0, |r| 1.0 - v[r] / (v[arrived] - v[deflected]));
            v[l] - v[lam] * admitted / 60.0 * v[w]
        })
        .collect();
    Estimate::from_values(diffs)
}

/// Asserts `|sim - theory| <= z * SE`, printing both either way (visible with --nocapture).
pub fn assert_within_se(label: &str, e: &Estimate, theory: f64, z: f64) {
    let diff = e.mean - theory;
    eprintln!(
        "{label}: simulated {:.6} (SE {:.6}, n {}) vs theory {:.6}: {:+.2} SE",
        e.mean,
        e.std_error,
        e.n,
        theory,
        diff / e.std_error
    );
    assert!(
        e.n >= 10,
        "{label}: too few replications with data ({})",
        e.n
    );
    assert!(
        diff.abs() <= z * e.std_error,
        "{label}: simulated {} vs theory {theory}: |diff| {} > {z} SE ({})",
        e.mean,
        diff.abs(),
        z * e.std_error
    );
}

/// A one-tier, one-pool, 24x7 scenario: M/M/c (no patience) or M/M/c+M.
pub fn mmc_toml(
    per_hour: f64,
    aht_min: f64,
    agents: u32,
    patience_min: Option<f64>,
    target_min: f64,
    reps: u32,
    horizon_days: f64,
) -> String {
    let patience = patience_min.map_or(String::new(), |p| {
        format!("[customers.patience]\nphone = {{ dist = \"exponential\", mean_min = {p} }}\n")
    });
    OnePool {
        name: "theory",
        replications: reps,
        seed: 11,
        days: (1.0, horizon_days, 1.0),
        channel: "phone",
        trace: false,
        per_hour,
        priority: "P2",
        agents,
        work: &format!("{{ dist = \"exponential\", mean_min = {aht_min} }}"),
        tail: &format!(
            "{patience}\n[[sla]]\nfirst_response = {{ target_min = {target_min}, goal = 0.8 }}\n"
        ),
    }
    .toml()
}

/// A file of one single-channel pool of `agents` on duty around the clock at L1 with work
/// time `work` (a TOML value), arrivals of priority `priority` at `per_hour` (`trace`: none,
/// through an empty trace file), then `tail` (patience, SLA targets, `[initial_state]`
/// entries): [`mmc_toml`] and the backlog fixtures of tests/replay.rs and
/// tests/initial_state.rs.
pub struct OnePool<'a> {
    /// Scenario name.
    pub name: &'a str,
    /// Replications and seed.
    pub replications: u32,
    /// Master seed.
    pub seed: u64,
    /// Warm-up, horizon and drain [days].
    pub days: (f64, f64, f64),
    /// The one channel.
    pub channel: &'a str,
    /// Arrivals through `trace = "none.csv"` (no arrivals) instead of Poisson ones.
    pub trace: bool,
    /// Poisson arrival rate [tickets/hour] (also written with a trace, where it is unused).
    pub per_hour: f64,
    /// The arrivals' priority.
    pub priority: &'a str,
    /// Agents on duty.
    pub agents: u32,
    /// `work_time.default` of L1 (a TOML value: minutes or a distribution table).
    pub work: &'a str,
    /// Appended text.
    pub tail: &'a str,
}

impl OnePool<'_> {
    /// The TOML text.
    pub fn toml(&self) -> String {
        let trace = if self.trace {
            "trace = \"none.csv\"\n"
        } else {
            ""
        };
        format!(
            r#"
name = "{name}"
[run]
warmup_days = {warmup}
horizon_days = {horizon}
drain_days = {drain}
replications = {reps}
seed = {seed}
[demand]
{trace}tickets_per_hour = {rate}
channels = {{ {channel} = 1.0 }}
priorities = {{ {prio} = 1.0 }}
segments = {{ all = 1.0 }}
required_level = {{ 1 = 1.0 }}
[[pools]]
name = "agents"
headcount = {agents}
[[tiers]]
level = 1
pool = "agents"
work_time.default = {work}
{tail}"#,
            name = self.name,
            reps = self.replications,
            seed = self.seed,
            warmup = self.days.0,
            horizon = self.days.1,
            drain = self.days.2,
            channel = self.channel,
            rate = self.per_hour,
            prio = self.priority,
            agents = self.agents,
            work = self.work,
            tail = self.tail,
        )
    }
}

/// One email agent around the clock with work `work` (a TOML value) at `per_hour`, 2 days of
/// warm-up, 20 measured and 2 of drain, 60 replications: the M/G/1 fixtures of theory.rs and
/// priority.rs.
pub fn mg1_toml(name: &str, seed: u64, per_hour: f64, work: &str) -> String {
    OnePool {
        name,
        replications: 60,
        seed,
        days: (2.0, 20.0, 2.0),
        channel: "email",
        trace: false,
        per_hour,
        priority: "P3",
        agents: 1,
        work,
        tail: "",
    }
    .toml()
}

/// The stationary law of a finite Markov chain by power iteration from `start`: `step` maps
/// a law to the next one, renormalised here (a truncated chain loses a little mass), until
/// the total change is below 1e-14 or after `max_steps`.
pub fn stationary_law(
    start: Vec<f64>,
    max_steps: usize,
    step: impl Fn(&[f64]) -> Vec<f64>,
) -> Vec<f64> {
    let mut law = start;
    for _ in 0..max_steps {
        let mut next = step(&law);
        let total: f64 = next.iter().sum();
        next.iter_mut().for_each(|x| *x /= total);
        let change: f64 = next.iter().zip(&law).map(|(a, b)| (a - b).abs()).sum();
        law = next;
        if change < 1e-14 {
            break;
        }
    }
    law
}

/// Writes a made-up Zendesk export of `days` days (`synth-export`, seed 1) to `dir/tickets.csv`
/// and returns its path: the history that calibrate, backtest and report tests read.
pub fn synth_zendesk_export(dir: &std::path::Path, days: u32) -> std::path::PathBuf {
    let export = dir.join("tickets.csv");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_supportsim"))
        .args(["synth-export", "--format", "zendesk", "--days"])
        .arg(days.to_string())
        .arg("--out")
        .arg(&export)
        .status()
        .expect("cannot start supportsim");
    assert!(status.success(), "synth-export failed");
    export
}
