//! The hostile-input catalogue: scenario files and command lines a careless or malicious user
//! might give. Every case runs the real binary and must fail cleanly: a non-zero exit code, a
//! message naming what is wrong (the file, the key path, the fix), no panic, and nothing
//! written to the output folder. Every case stops in validation or argument checking, so the
//! whole catalogue runs in seconds.
//!
//! Cases are grouped by class (one test per class); `catalogue_has_at_least_150_cases` keeps
//! the count honest.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A small scenario using most tables: two tiers (one outsourced), shifts, a surge, chat
/// patience, a business-hours calendar and SLA targets. It validates and runs in a blink.
const BASE: &str = r#"
name = "hostile"
model = "tiered"

[run]
warmup_days = 1
horizon_days = 2
drain_days = 1
replications = 2
seed = 1
timeseries_interval_min = 60
max_open_tickets = 100000

[demand]
tickets_per_hour = 20
timezone = "UTC"
weekday_weights = [1, 1, 1, 1, 1, 1, 1]
hour_weights = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]
growth_per_month = 0.0
daily_dispersion_cv = 0.0
channels = { email = 0.5, chat = 0.3, phone = 0.2 }
priorities = { P1 = 0.1, P2 = 0.2, P3 = 0.3, P4 = 0.4 }
segments = { smb = 0.7, enterprise = 0.3 }
required_level = { 0 = 0.1, 1 = 0.6, 2 = 0.3 }

[[demand.surges]]
start_day = 1
duration_hours = 4
multiplier = 2

[[pools]]
name = "l1"
cost_per_hour_usd = 30
[[pools.shifts]]
name = "early"
days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
start = "00:00"
end = "12:00"
headcount = 4
[[pools.shifts]]
name = "late"
days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
start = "12:00"
end = "00:00"
headcount = 4

[[pools]]
name = "l2"
headcount = 3
sourcing = "outsourced"
[pools.contract]
price_per_logged_hour_usd = 25
minimum_seats = 1

[[tiers]]
level = 1
pool = "l1"
work_time.default = { dist = "exponential", mean_min = 8 }

[[tiers]]
level = 2
pool = "l2"
work_time.default = { dist = "lognormal", mean_min = 20, cv = 1.0 }

[customers]
patience.chat = { dist = "exponential", mean_min = 5 }

[[calendars]]
name = "office"
timezone = "Europe/Berlin"
days = ["mon", "tue", "wed", "thu", "fri"]
start = "09:00"
end = "17:00"

[[sla]]
priority = "P1"
first_response = { target_min = 15, goal = 0.9 }
resolution = { target_hours = 8, goal = 0.8, clock = "office" }
"#;

/// The scenario file of a case.
#[derive(Clone, Copy)]
enum Input {
    /// `BASE` with the first occurrence of `.0` replaced by `.1` (which must occur).
    Sub(&'static str, &'static str),
    /// `BASE` with two replacements.
    Sub2(&'static str, &'static str, &'static str, &'static str),
    /// `BASE` with text appended.
    Add(&'static str),
    /// A whole file.
    Text(&'static str),
    /// `BASE` unchanged.
    Base,
    /// A special path instead of a file.
    Special(Special),
}

#[derive(Clone, Copy)]
enum Special {
    Missing,
    Folder,
    DevZero,
    DevNull,
    Fifo,
    DanglingLink,
    BelowAFile,
    Huge,
    Binary,
}

/// One hostile input: its class, a name, the file, the command (`{file}` and `{out}` are
/// filled in), and fragments every one of which the error output must contain.
struct Case {
    name: &'static str,
    input: Input,
    args: &'static [&'static str],
    want: &'static [&'static str],
}

/// `supportsim run {file} --out {out}`: the default command of scenario cases.
const RUN: &[&str] = &["run", "{file}", "--out", "{out}", "--quiet"];

const fn case(name: &'static str, input: Input, want: &'static [&'static str]) -> Case {
    Case {
        name,
        input,
        args: RUN,
        want,
    }
}

const fn cli(
    name: &'static str,
    args: &'static [&'static str],
    want: &'static [&'static str],
) -> Case {
    Case {
        name,
        input: Input::Base,
        args,
        want,
    }
}

fn base_with(from: &str, to: &str, text: &str) -> String {
    assert!(text.contains(from), "the base scenario has no {from:?}");
    text.replacen(from, to, 1)
}

/// Writes the case's input and returns its path (`None` for inputs it cannot make here).
fn make_input(dir: &Path, input: Input) -> Option<PathBuf> {
    let file = dir.join("scenario.toml");
    let text = match input {
        Input::Sub(a, b) => base_with(a, b, BASE),
        Input::Sub2(a, b, c, d) => base_with(c, d, &base_with(a, b, BASE)),
        Input::Add(extra) => format!("{BASE}\n{extra}\n"),
        Input::Text(t) => t.to_string(),
        Input::Base => BASE.to_string(),
        Input::Special(s) => {
            return match s {
                Special::Missing => Some(dir.join("no-such-scenario.toml")),
                Special::Folder => {
                    let d = dir.join("folder.toml");
                    std::fs::create_dir(&d).unwrap();
                    Some(d)
                }
                Special::DevZero => Some(PathBuf::from("/dev/zero")),
                Special::DevNull => Some(PathBuf::from("/dev/null")),
                Special::Fifo => {
                    let f = dir.join("pipe.toml");
                    let ok = Command::new("mkfifo")
                        .arg(&f)
                        .status()
                        .is_ok_and(|s| s.success());
                    ok.then_some(f)
                }
                Special::DanglingLink => {
                    let f = dir.join("link.toml");
                    #[cfg(unix)]
                    std::os::unix::fs::symlink(dir.join("gone.toml"), &f).unwrap();
                    Some(f)
                }
                Special::BelowAFile => {
                    std::fs::write(&file, BASE).unwrap();
                    Some(file.join("inner.toml"))
                }
                Special::Huge => {
                    let mut t = BASE.to_string();
                    let pad = format!("# {}\n", "x".repeat(1000));
                    while t.len() < 5 * 1024 * 1024 {
                        t.push_str(&pad);
                    }
                    std::fs::write(&file, t).unwrap();
                    Some(file)
                }
                Special::Binary => {
                    let mut b = BASE.as_bytes().to_vec();
                    b.extend_from_slice(&[0xff, 0xfe, 0x00, 0x80]);
                    std::fs::write(&file, b).unwrap();
                    Some(file)
                }
            };
        }
    };
    std::fs::write(&file, text).unwrap();
    Some(file)
}

/// Runs every case, collecting every failure so one run shows them all.
fn run_cases(class: &str, cases: &[Case]) {
    let mut failures = Vec::new();
    for c in cases {
        let dir = tempfile::tempdir().unwrap();
        let Some(file) = make_input(dir.path(), c.input) else {
            eprintln!("{class}/{}: skipped (cannot make the input here)", c.name);
            continue;
        };
        let out = dir.path().join("out");
        let args: Vec<String> = c
            .args
            .iter()
            .map(|a| {
                a.replace("{file}", file.to_str().unwrap())
                    .replace("{out}", out.to_str().unwrap())
            })
            .collect();
        let started = std::time::Instant::now();
        let o = Command::new(env!("CARGO_BIN_EXE_supportsim"))
            .args(&args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        let took = started.elapsed().as_secs_f64();
        let err = String::from_utf8_lossy(&o.stderr).to_string();
        let mut why = Vec::new();
        if o.status.success() || o.status.code().is_none() {
            why.push(format!("exit status {:?}", o.status));
        }
        if err.contains("panicked") || err.contains("RUST_BACKTRACE") {
            why.push("panicked".to_string());
        }
        for w in c.want {
            if !err.contains(w) {
                why.push(format!("missing {w:?}"));
            }
        }
        if out.exists() {
            why.push("the output folder was created".to_string());
        }
        if dir.path().join("outputs").exists() {
            why.push("the default output folder was created".to_string());
        }
        if took > 10.0 {
            why.push(format!("took {took:.1} s (must stop in validation)"));
        }
        if !why.is_empty() {
            failures.push(format!(
                "{class}/{}: {}\n    stderr: {}",
                c.name,
                why.join("; "),
                err.trim().replace('\n', "\n            ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} {class} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

use Input::*;

/// Names used in key paths and folder names: unicode, path traversal, dots, spaces, empty,
/// too long, duplicates.
const NAMES: &[Case] = &[
    case(
        "pool name with a dot",
        Sub2(
            "name = \"l1\"",
            "name = \"l1.x\"",
            "pool = \"l1\"",
            "pool = \"l1.x\"",
        ),
        &["pools[0].name", "\"l1_x\""],
    ),
    case(
        "pool name traversal",
        Sub2(
            "name = \"l1\"",
            "name = \"../../etc\"",
            "pool = \"l1\"",
            "pool = \"../../etc\"",
        ),
        &["pools[0].name", "letters, digits"],
    ),
    case(
        "pool name unicode",
        Sub2(
            "name = \"l1\"",
            "name = \"équipe\"",
            "pool = \"l1\"",
            "pool = \"équipe\"",
        ),
        &["pools[0].name", "rename it"],
    ),
    case(
        "pool name emoji",
        Sub2(
            "name = \"l1\"",
            "name = \"🔥\"",
            "pool = \"l1\"",
            "pool = \"🔥\"",
        ),
        &["pools[0].name"],
    ),
    case(
        "pool name empty",
        Sub2(
            "name = \"l1\"",
            "name = \"\"",
            "pool = \"l1\"",
            "pool = \"\"",
        ),
        &["pools[0].name", "must not be empty"],
    ),
    case(
        "pool name space",
        Sub2(
            "name = \"l1\"",
            "name = \"tier one\"",
            "pool = \"l1\"",
            "pool = \"tier one\"",
        ),
        &["pools[0].name", "\"tier_one\""],
    ),
    case(
        "pool name slash",
        Sub2(
            "name = \"l1\"",
            "name = \"a/b\"",
            "pool = \"l1\"",
            "pool = \"a/b\"",
        ),
        &["pools[0].name"],
    ),
    case(
        "pool name too long",
        Sub2(
            "name = \"l1\"",
            "name = \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"",
            "pool = \"l1\"",
            "pool = \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"",
        ),
        &["pools[0].name", "at most 64"],
    ),
    case(
        "pool name newline",
        Sub2(
            "name = \"l1\"",
            "name = \"l1\\nx\"",
            "pool = \"l1\"",
            "pool = \"l1\\nx\"",
        ),
        &["pools[0].name"],
    ),
    case(
        "pool name nul",
        Sub2(
            "name = \"l1\"",
            "name = \"l1\\u0000\"",
            "pool = \"l1\"",
            "pool = \"l1\\u0000\"",
        ),
        &["pools[0].name"],
    ),
    case(
        "duplicate pool",
        Sub("name = \"l2\"", "name = \"l1\""),
        &["pools[1].name", "duplicate pool name"],
    ),
    case(
        "shift name with a dot",
        Sub("name = \"early\"", "name = \"early.shift\""),
        &["pools[0].shifts[0].name", "\"early_shift\""],
    ),
    case(
        "shift name unicode",
        Sub("name = \"early\"", "name = \"früh\""),
        &["pools[0].shifts[0].name"],
    ),
    case(
        "shift name traversal",
        Sub("name = \"early\"", "name = \"../x\""),
        &["pools[0].shifts[0].name"],
    ),
    case(
        "shift name empty",
        Sub("name = \"early\"", "name = \"\""),
        &["pools[0].shifts[0].name", "empty"],
    ),
    case(
        "duplicate shift name",
        Sub("name = \"late\"", "name = \"early\""),
        &["pools[0].shifts[1].name", "duplicate shift name"],
    ),
    case(
        "segment name with a dot",
        Sub("smb = 0.7", "\"s.mb\" = 0.7"),
        &["demand.segments", "\"s_mb\""],
    ),
    case(
        "segment name unicode",
        Sub("smb = 0.7", "\"小企业\" = 0.7"),
        &["demand.segments", "letters, digits"],
    ),
    case(
        "segment name empty",
        Sub("smb = 0.7", "\"\" = 0.7"),
        &["demand.segments", "empty"],
    ),
    case(
        "segment name traversal",
        Sub("smb = 0.7", "\"../../x\" = 0.7"),
        &["demand.segments"],
    ),
    case(
        "calendar name with a dot",
        Sub2(
            "name = \"office\"",
            "name = \"of.fice\"",
            "clock = \"office\"",
            "clock = \"of.fice\"",
        ),
        &["calendars[0].name"],
    ),
    case(
        "calendar name unicode",
        Sub2(
            "name = \"office\"",
            "name = \"büro\"",
            "clock = \"office\"",
            "clock = \"büro\"",
        ),
        &["calendars[0].name"],
    ),
    case(
        "calendar named 24x7",
        Sub2(
            "name = \"office\"",
            "name = \"24x7\"",
            "clock = \"office\"",
            "clock = \"24x7\"",
        ),
        &["calendars[0].name", "wall clock"],
    ),
    case(
        "duplicate calendar",
        Add("[[calendars]]\nname = \"office\"\ntimezone = \"UTC\""),
        &["calendars[1].name", "duplicate calendar name"],
    ),
    case(
        "scenario name traversal",
        Sub("name = \"hostile\"", "name = \"../../tmp/x\""),
        &["name:", "output folder"],
    ),
    case(
        "scenario name unicode",
        Sub("name = \"hostile\"", "name = \"szenário\""),
        &["name:"],
    ),
    case(
        "scenario name empty",
        Sub("name = \"hostile\"", "name = \"\""),
        &["name:", "empty"],
    ),
    case(
        "scenario name absolute",
        Sub("name = \"hostile\"", "name = \"/etc/passwd\""),
        &["name:"],
    ),
    case(
        "unknown pool in tier",
        Sub("pool = \"l2\"", "pool = \"l9\""),
        &["tiers[1].pool", "no pool named \"l9\""],
    ),
    case(
        "unknown calendar clock",
        Sub("clock = \"office\"", "clock = \"offce\""),
        &["sla[0].resolution.clock", "unknown clock"],
    ),
    case(
        "unknown sla segment",
        Sub("priority = \"P1\"", "segment = \"vip\""),
        &["sla[0].segment", "unknown segment"],
    ),
];

/// The attacks of the hardening issue through `staff` and `sweep`, which address pools and
/// shifts by name: refused when the file is read, before any search or grid.
const NAMES_IN_STUDIES: &[Case] = &[
    Case {
        name: "staff with a dotted shift name",
        input: Sub("name = \"early\"", "name = \"early.shift\""),
        args: &[
            "staff",
            "{file}",
            "--out",
            "{out}",
            "--target",
            "abandonment <= 0.05",
        ],
        want: &["pools[0].shifts[0].name", "\"early_shift\""],
    },
    Case {
        name: "staff with duplicate shift names",
        input: Sub("name = \"late\"", "name = \"early\""),
        args: &[
            "staff",
            "{file}",
            "--out",
            "{out}",
            "--target",
            "abandonment <= 0.05",
        ],
        want: &["duplicate shift name \"early\""],
    },
    Case {
        name: "sweep with a dotted pool name",
        input: Sub2(
            "name = \"l2\"",
            "name = \"agents.x\"",
            "pool = \"l2\"",
            "pool = \"agents.x\"",
        ),
        args: &[
            "sweep",
            "{file}",
            "--out",
            "{out}",
            "--vary",
            "pools.agents.x.headcount=3,4",
        ],
        want: &["pools[1].name", "\"agents_x\""],
    },
    Case {
        name: "compare with a traversal name",
        input: Sub("name = \"hostile\"", "name = \"../../escape\""),
        args: &["compare", "{file}", "{file}", "--out", "{out}"],
        want: &["name:", "output folder"],
    },
];

/// NaN and infinities (TOML `nan`, `inf`, `-inf`) in every kind of number.
const NON_FINITE: &[Case] = &[
    case(
        "rate nan",
        Sub("tickets_per_hour = 20", "tickets_per_hour = nan"),
        &["demand.tickets_per_hour", "finite"],
    ),
    case(
        "rate inf",
        Sub("tickets_per_hour = 20", "tickets_per_hour = inf"),
        &["demand.tickets_per_hour", "finite"],
    ),
    case(
        "weekday weight nan",
        Sub("weekday_weights = [1,", "weekday_weights = [nan,"),
        &["demand.weekday_weights[0]"],
    ),
    case(
        "hour weight inf",
        Sub("hour_weights = [1,", "hour_weights = [inf,"),
        &["demand.hour_weights[0]"],
    ),
    case(
        "growth nan",
        Sub("growth_per_month = 0.0", "growth_per_month = nan"),
        &["demand.growth_per_month"],
    ),
    case(
        "growth inf",
        Sub("growth_per_month = 0.0", "growth_per_month = inf"),
        &["demand.growth_per_month"],
    ),
    case(
        "dispersion nan",
        Sub("daily_dispersion_cv = 0.0", "daily_dispersion_cv = nan"),
        &["demand.daily_dispersion_cv"],
    ),
    case(
        "dispersion inf",
        Sub("daily_dispersion_cv = 0.0", "daily_dispersion_cv = inf"),
        &["demand.daily_dispersion_cv"],
    ),
    case(
        "channel share nan",
        Sub("email = 0.5", "email = nan"),
        &["demand.channels.email"],
    ),
    case(
        "segment share inf",
        Sub("smb = 0.7", "smb = inf"),
        &["demand.segments.smb"],
    ),
    case(
        "level share nan",
        Sub("1 = 0.6", "1 = nan"),
        &["demand.required_level.1"],
    ),
    case(
        "surge multiplier inf",
        Sub("multiplier = 2", "multiplier = inf"),
        &["demand.surges[0].multiplier"],
    ),
    case(
        "surge start nan",
        Sub("start_day = 1", "start_day = nan"),
        &["demand.surges[0].start_day"],
    ),
    case(
        "surge duration inf",
        Sub("duration_hours = 4", "duration_hours = inf"),
        &["demand.surges[0].duration_hours"],
    ),
    case(
        "work mean nan",
        Sub("mean_min = 8", "mean_min = nan"),
        &["tiers[0].work_time.default.mean_min", "finite"],
    ),
    case(
        "work mean inf",
        Sub("mean_min = 8", "mean_min = inf"),
        &["tiers[0].work_time.default.mean_min"],
    ),
    case(
        "work cv inf",
        Sub("cv = 1.0", "cv = inf"),
        &["tiers[1].work_time.default.cv"],
    ),
    case(
        "patience nan",
        Sub("mean_min = 5", "mean_min = nan"),
        &["customers.patience.chat.mean_min"],
    ),
    case(
        "warmup inf",
        Sub("warmup_days = 1", "warmup_days = inf"),
        &["run.warmup_days", "finite"],
    ),
    case(
        "horizon nan",
        Sub("horizon_days = 2", "horizon_days = nan"),
        &["run.horizon_days"],
    ),
    case(
        "drain inf",
        Sub("drain_days = 1", "drain_days = inf"),
        &["run.drain_days"],
    ),
    case(
        "interval nan",
        Sub(
            "timeseries_interval_min = 60",
            "timeseries_interval_min = nan",
        ),
        &["run.timeseries_interval_min"],
    ),
    case(
        "cost per hour inf",
        Sub("cost_per_hour_usd = 30", "cost_per_hour_usd = inf"),
        &["pools[0].cost_per_hour_usd"],
    ),
    case(
        "contract price nan",
        Sub(
            "price_per_logged_hour_usd = 25",
            "price_per_logged_hour_usd = nan",
        ),
        &["pools[1].contract.price_per_logged_hour_usd"],
    ),
    case(
        "minimum seats inf",
        Sub("minimum_seats = 1", "minimum_seats = inf"),
        &["pools[1].contract.minimum_seats"],
    ),
    case(
        "sla limit inf",
        Sub("target_min = 15", "target_min = inf"),
        &["sla[0].first_response.target_min"],
    ),
    case(
        "sla goal nan",
        Sub("goal = 0.9", "goal = nan"),
        &["sla[0].first_response.goal"],
    ),
    case(
        "shrinkage nan",
        Sub(
            "cost_per_hour_usd = 30",
            "cost_per_hour_usd = 30\nshrinkage = nan",
        ),
        &["pools[0].shrinkage"],
    ),
    case(
        "occupancy nan",
        Sub(
            "cost_per_hour_usd = 30",
            "cost_per_hour_usd = 30\nmax_occupancy = nan",
        ),
        &["pools[0].max_occupancy"],
    ),
    case(
        "work factor inf",
        Sub(
            "cost_per_hour_usd = 30",
            "cost_per_hour_usd = 30\nwork_time_factor = inf",
        ),
        &["pools[0].work_time_factor"],
    ),
    case(
        "handover nan",
        Sub(
            "cost_per_hour_usd = 30",
            "cost_per_hour_usd = 30\nhandover_min = nan",
        ),
        &["pools[0].handover_min"],
    ),
    case(
        "deterministic work nan",
        Sub(
            "work_time.default = { dist = \"exponential\", mean_min = 8 }",
            "work_time.default = nan",
        ),
        &["tiers[0].work_time.default", "finite"],
    ),
    case(
        "empirical sample inf",
        Sub(
            "work_time.default = { dist = \"exponential\", mean_min = 8 }",
            "work_time.default = { dist = \"empirical\", samples_min = [1, inf] }",
        ),
        &["tiers[0].work_time.default.samples_min"],
    ),
];

/// Negative numbers where only non-negative ones make sense.
const NEGATIVE: &[Case] = &[
    case(
        "rate",
        Sub("tickets_per_hour = 20", "tickets_per_hour = -20"),
        &["demand.tickets_per_hour", "must be > 0"],
    ),
    case(
        "weekday weight",
        Sub("weekday_weights = [1,", "weekday_weights = [-1,"),
        &["demand.weekday_weights[0]", ">= 0"],
    ),
    case(
        "growth below -1",
        Sub("growth_per_month = 0.0", "growth_per_month = -1.5"),
        &["demand.growth_per_month", "> -1"],
    ),
    case(
        "dispersion",
        Sub("daily_dispersion_cv = 0.0", "daily_dispersion_cv = -0.2"),
        &["demand.daily_dispersion_cv"],
    ),
    case(
        "channel share",
        Sub("email = 0.5", "email = -0.5"),
        &["demand.channels.email"],
    ),
    case(
        "surge multiplier",
        Sub("multiplier = 2", "multiplier = -2"),
        &["demand.surges[0].multiplier"],
    ),
    case(
        "surge duration",
        Sub("duration_hours = 4", "duration_hours = -4"),
        &["demand.surges[0].duration_hours"],
    ),
    case(
        "headcount",
        Sub("headcount = 3", "headcount = -3"),
        &["pools[1].headcount"],
    ),
    case(
        "shift headcount",
        Sub("headcount = 4", "headcount = -4"),
        &["pools[0].shifts[0].headcount"],
    ),
    case(
        "work mean",
        Sub("mean_min = 8", "mean_min = -8"),
        &["tiers[0].work_time.default.mean_min", "> 0"],
    ),
    case(
        "deterministic work",
        Sub(
            "work_time.default = { dist = \"exponential\", mean_min = 8 }",
            "work_time.default = -3",
        ),
        &["tiers[0].work_time.default", ">= 0"],
    ),
    case(
        "warmup",
        Sub("warmup_days = 1", "warmup_days = -1"),
        &["run.warmup_days", ">= 0"],
    ),
    case(
        "interval",
        Sub(
            "timeseries_interval_min = 60",
            "timeseries_interval_min = -60",
        ),
        &["run.timeseries_interval_min"],
    ),
    case(
        "replications",
        Sub("replications = 2", "replications = -2"),
        &["run.replications"],
    ),
    case("seed", Sub("seed = 1", "seed = -1"), &["run.seed"]),
    case(
        "max open",
        Sub("max_open_tickets = 100000", "max_open_tickets = -1"),
        &["run.max_open_tickets"],
    ),
    case(
        "cost per hour",
        Sub("cost_per_hour_usd = 30", "cost_per_hour_usd = -30"),
        &["pools[0].cost_per_hour_usd"],
    ),
    case(
        "contract price",
        Sub(
            "price_per_logged_hour_usd = 25",
            "price_per_logged_hour_usd = -25",
        ),
        &["pools[1].contract.price_per_logged_hour_usd"],
    ),
    case(
        "minimum seats",
        Sub("minimum_seats = 1", "minimum_seats = -1"),
        &["pools[1].contract.minimum_seats"],
    ),
    case(
        "sla limit",
        Sub("target_min = 15", "target_min = -15"),
        &["sla[0].first_response.target_min"],
    ),
    case(
        "penalty",
        Sub("goal = 0.9 }", "goal = 0.9, penalty_usd_per_breach = -5 }"),
        &["sla[0].first_response.penalty_usd_per_breach"],
    ),
    case(
        "chat concurrency",
        Sub(
            "cost_per_hour_usd = 30",
            "cost_per_hour_usd = 30\nchat_concurrency = -1",
        ),
        &["pools[0].chat_concurrency"],
    ),
];

/// Huge values everywhere: integer overflow, float overflow, allocations.
const HUGE: &[Case] = &[
    case(
        "dispersion cv 1e200",
        Sub("daily_dispersion_cv = 0.0", "daily_dispersion_cv = 1e200"),
        &["demand.daily_dispersion_cv", "between"],
    ),
    case(
        "dispersion cv 1e-200",
        Sub("daily_dispersion_cv = 0.0", "daily_dispersion_cv = 1e-200"),
        &["demand.daily_dispersion_cv", "between"],
    ),
    case(
        "dispersion cv 11",
        Sub("daily_dispersion_cv = 0.0", "daily_dispersion_cv = 11"),
        &["demand.daily_dispersion_cv"],
    ),
    case(
        "shift headcount above u32",
        Sub("headcount = 4", "headcount = 4294967296"),
        &["pools[0].shifts[0].headcount"],
    ),
    case(
        "shift headcount at u32 max",
        Sub("headcount = 4", "headcount = 4294967295"),
        &["pools[0].shifts[0].headcount", "at most 1000000"],
    ),
    case(
        "overlapping shifts overflow",
        Sub2(
            "headcount = 4",
            "headcount = 900000",
            "end = \"00:00\"\nheadcount = 4",
            "end = \"00:00\"\nheadcount = 900000\n[[pools.shifts]]\nname = \"extra\"\nstart = \"06:00\"\nend = \"18:00\"\nheadcount = 900000",
        ),
        &["pools[0].shifts", "on duty at once"],
    ),
    case(
        "merged pools overflow",
        Sub2(
            "model = \"tiered\"",
            "model = \"pooled_tiered\"",
            "headcount = 3",
            "headcount = 999999",
        ),
        &["pools", "more than 1000000 agents"],
    ),
    case(
        "pool headcount above the limit",
        Sub("headcount = 3", "headcount = 2000000"),
        &["pools[1].headcount", "at most 1000000"],
    ),
    case(
        "rate 1e300",
        Sub("tickets_per_hour = 20", "tickets_per_hour = 1e300"),
        &["demand", "tickets would arrive"],
    ),
    case(
        "weights near the float maximum",
        Sub(
            "weekday_weights = [1, 1,",
            "weekday_weights = [1.7e308, 1.7e308,",
        ),
        &["demand.weekday_weights", "overflows"],
    ),
    case(
        "subnormal weights",
        Sub(
            "hour_weights = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]",
            "hour_weights = [5e-324, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]",
        ),
        &["demand.hour_weights"],
    ),
    case(
        "growth overflow",
        Sub2(
            "growth_per_month = 0.0",
            "growth_per_month = 1e300",
            "horizon_days = 2",
            "horizon_days = 3000",
        ),
        &["demand"],
    ),
    case(
        "surge multiplier 1e300",
        Sub("multiplier = 2", "multiplier = 1e300"),
        &["demand.surges[0].multiplier", "largest supported"],
    ),
    case(
        "drain near the float maximum",
        Sub("drain_days = 1", "drain_days = 1.7e308"),
        &[
            "run.drain_days",
            "is 1.7e308, more than the largest supported",
        ],
    ),
    case(
        "horizon 100 years",
        Sub("horizon_days = 2", "horizon_days = 36500"),
        &["run.horizon_days"],
    ),
    case(
        "span over 10 years",
        Sub2(
            "horizon_days = 2",
            "horizon_days = 3000",
            "drain_days = 1",
            "drain_days = 3000",
        ),
        &["run.horizon_days", "within 10 years"],
    ),
    case(
        "interval 1e-9",
        Sub(
            "timeseries_interval_min = 60",
            "timeseries_interval_min = 1e-9",
        ),
        &["run.timeseries_interval_min", "time-series rows"],
    ),
    case(
        "interval 0.001",
        Sub(
            "timeseries_interval_min = 60",
            "timeseries_interval_min = 0.001",
        ),
        &["run.timeseries_interval_min", "at least"],
    ),
    case(
        "replications 4 billion",
        Sub("replications = 2", "replications = 4000000000"),
        &["run.replications", "at most"],
    ),
    case(
        "replications above u32",
        Sub("replications = 2", "replications = 5000000000"),
        &["run.replications"],
    ),
    case(
        "seed above i64",
        Sub("seed = 1", "seed = 18446744073709551615"),
        &["run.seed", "at most 9223372036854775807"],
    ),
    case(
        "work mean 1e300",
        Sub("mean_min = 8", "mean_min = 1e300"),
        &["tiers[0].work_time.default.mean_min", "at most"],
    ),
    case(
        "deterministic work 1e300",
        Sub(
            "work_time.default = { dist = \"exponential\", mean_min = 8 }",
            "work_time.default = 1e300",
        ),
        &["tiers[0].work_time.default", "at most"],
    ),
    case(
        "work cv 1e6",
        Sub("cv = 1.0", "cv = 1e6"),
        &["tiers[1].work_time.default.cv", "at most"],
    ),
    case(
        "work cv negative zero",
        Sub("cv = 1.0", "cv = -0.0"),
        &["tiers[1].work_time.default.cv", "> 0"],
    ),
    case(
        "gamma cv tiny",
        Sub(
            "dist = \"lognormal\", mean_min = 20, cv = 1.0",
            "dist = \"gamma\", mean_min = 20, cv = 1e-200",
        ),
        &["tiers[1].work_time.default.cv"],
    ),
    case(
        "patience 1e300",
        Sub("mean_min = 5", "mean_min = 1e300"),
        &["customers.patience.chat.mean_min"],
    ),
    case(
        "contract minimum tickets 1e300",
        Sub(
            "price_per_logged_hour_usd = 25\nminimum_seats = 1",
            "price_per_ticket_usd = 25\nminimum_tickets_per_week = 1e300",
        ),
        &["pools[1].contract.minimum_tickets_per_week"],
    ),
    case(
        "contract minimum seats 1e300",
        Sub("minimum_seats = 1", "minimum_seats = 1e300"),
        &["pools[1].contract.minimum_seats"],
    ),
    case(
        "contract price 1e300",
        Sub(
            "price_per_logged_hour_usd = 25",
            "price_per_logged_hour_usd = 1e300",
        ),
        &["pools[1].contract.price_per_logged_hour_usd"],
    ),
    case(
        "cost per hour 1e300",
        Sub("cost_per_hour_usd = 30", "cost_per_hour_usd = 1e300"),
        &["pools[0].cost_per_hour_usd"],
    ),
    case(
        "penalty 1e300",
        Sub(
            "goal = 0.9 }",
            "goal = 0.9, penalty_usd_per_breach = 1e300 }",
        ),
        &["sla[0].first_response.penalty_usd_per_breach"],
    ),
    case(
        "sla limit 1e300",
        Sub("target_min = 15", "target_min = 1e300"),
        &["sla[0].first_response.target_min"],
    ),
    case(
        "handover 1e300",
        Sub(
            "cost_per_hour_usd = 30",
            "cost_per_hour_usd = 30\nhandover_min = 1e300",
        ),
        &["pools[0].handover_min"],
    ),
    case(
        "work factor 1e300",
        Sub(
            "cost_per_hour_usd = 30",
            "cost_per_hour_usd = 30\nwork_time_factor = 1e300",
        ),
        &["pools[0].work_time_factor"],
    ),
    case(
        "chat concurrency 1000",
        Sub(
            "cost_per_hour_usd = 30",
            "cost_per_hour_usd = 30\nchat_concurrency = 1000",
        ),
        &["pools[0].chat_concurrency", "1..=8"],
    ),
    case(
        "seat hours per week 1000",
        Sub(
            "minimum_seats = 1",
            "minimum_seats = 1\nseat_hours_per_week = 1000",
        ),
        &["pools[1].contract.seat_hours_per_week"],
    ),
    case(
        "pooled levels 256",
        Sub(
            "model = \"tiered\"",
            "model = \"pooled_tiered\"\n[pooled]\nlevels = 256",
        ),
        &["pooled.levels"],
    ),
    case(
        "start date year 9999",
        Sub("[run]", "[run]\nstart_date = \"9999-12-30\""),
        &["cannot build the calendar", "overflowed"],
    ),
    case(
        "huge integer literal",
        Sub("seed = 1", "seed = 99999999999999999999999"),
        &["run.seed"],
    ),
];

/// Empty strings, lists and tables where something is needed.
const EMPTY: &[Case] = &[
    case(
        "no pools",
        Text(
            "name = \"x\"\npools = []\ntiers = []\n[demand]\ntickets_per_hour = 1\nchannels = { email = 1 }\npriorities = { P1 = 1 }\nsegments = { a = 1 }\nrequired_level = { 1 = 1 }\n",
        ),
        &["pools", "at least one"],
    ),
    case(
        "no segments",
        Sub(
            "segments = { smb = 0.7, enterprise = 0.3 }",
            "segments = {}",
        ),
        &["demand.segments", "at least one segment"],
    ),
    case(
        "empty channels",
        Sub(
            "channels = { email = 0.5, chat = 0.3, phone = 0.2 }",
            "channels = {}",
        ),
        &["demand.channels", "sum to 1"],
    ),
    case(
        "empty weekday weights",
        Sub(
            "weekday_weights = [1, 1, 1, 1, 1, 1, 1]",
            "weekday_weights = []",
        ),
        &["demand.weekday_weights", "7 entries"],
    ),
    case(
        "all-zero weights",
        Sub(
            "weekday_weights = [1, 1, 1, 1, 1, 1, 1]",
            "weekday_weights = [0, 0, 0, 0, 0, 0, 0]",
        ),
        &["demand.weekday_weights", "all weights are 0"],
    ),
    case(
        "empty timezone",
        Sub("timezone = \"UTC\"", "timezone = \"\""),
        &["demand.timezone"],
    ),
    case(
        "empty start",
        Sub("start = \"00:00\"", "start = \"\""),
        &["pools[0].shifts[0].start", "HH:MM"],
    ),
    case(
        "empty date",
        Sub("[run]", "[run]\nstart_date = \"\""),
        &["run.start_date", "YYYY-MM-DD"],
    ),
    case(
        "empty empirical",
        Sub(
            "work_time.default = { dist = \"exponential\", mean_min = 8 }",
            "work_time.default = { dist = \"empirical\", samples_min = [] }",
        ),
        &["tiers[0].work_time.default.samples_min", "at least one"],
    ),
    case(
        "empty model",
        Sub("model = \"tiered\"", "model = \"\""),
        &["model", "unknown model"],
    ),
    case(
        "empty sla entry",
        Add("[[sla]]\npriority = \"P2\""),
        &["sla[1]", "neither first_response nor resolution"],
    ),
    case(
        "sla limit missing",
        Sub(
            "first_response = { target_min = 15, goal = 0.9 }",
            "first_response = { goal = 0.9 }",
        ),
        &["sla[0].first_response", "missing time limit"],
    ),
    case("empty file", Text(""), &["missing field"]),
    case("only whitespace", Text("   \n\n  "), &["missing field"]),
    case(
        "empty required level",
        Sub(
            "required_level = { 0 = 0.1, 1 = 0.6, 2 = 0.3 }",
            "required_level = {}",
        ),
        &["demand.required_level"],
    ),
    case(
        "every ticket deflected",
        Sub(
            "required_level = { 0 = 0.1, 1 = 0.6, 2 = 0.3 }",
            "required_level = { 0 = 1.0 }",
        ),
        &["demand.required_level", "deflected"],
    ),
    case(
        "no tiers",
        Sub2(
            "[[tiers]]\nlevel = 1\npool = \"l1\"",
            "[[nottiers]]\nlevel = 1\npool = \"l1\"",
            "[[tiers]]\nlevel = 2",
            "[[nottiers2]]\nlevel = 2",
        ),
        &["unknown field"],
    ),
    case(
        "empty holiday",
        Sub("end = \"17:00\"", "end = \"17:00\"\nholidays = [\"\"]"),
        &["calendars[0].holidays[0]"],
    ),
    case(
        "zero headcount everywhere",
        Sub2(
            "headcount = 4",
            "headcount = 0",
            "headcount = 4",
            "headcount = 0",
        ),
        &["pools[0].shifts[0].headcount", "at least 1"],
    ),
];

/// Wrong types, unknown keys and broken TOML.
const TYPES_AND_KEYS: &[Case] = &[
    case(
        "headcount as text",
        Sub("headcount = 3", "headcount = \"three\""),
        &["pools[1].headcount", "invalid type"],
    ),
    case(
        "headcount as float",
        Sub("headcount = 3", "headcount = 3.5"),
        &["pools[1].headcount"],
    ),
    case(
        "rate as text",
        Sub("tickets_per_hour = 20", "tickets_per_hour = \"20\""),
        &["demand.tickets_per_hour", "invalid type"],
    ),
    case(
        "weights as table",
        Sub(
            "weekday_weights = [1, 1, 1, 1, 1, 1, 1]",
            "weekday_weights = { mon = 1 }",
        ),
        &["demand.weekday_weights"],
    ),
    case(
        "pools as table",
        Text("name = \"x\"\n[pools]\nname = \"l1\"\n"),
        &["pools"],
    ),
    case(
        "days as text",
        Sub(
            "days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\"]\nstart = \"00:00\"",
            "days = \"mon\"\nstart = \"00:00\"",
        ),
        &["pools[0].shifts[0].days"],
    ),
    case(
        "unknown day",
        Sub("days = [\"mon\", \"tue\"", "days = [\"monday\", \"tue\""),
        &["pools[0].shifts[0].days"],
    ),
    case(
        "boolean seed",
        Sub("seed = 1", "seed = true"),
        &["run.seed"],
    ),
    case(
        "date as datetime",
        Sub("[run]", "[run]\nstart_date = 2026-01-05T10:00:00Z"),
        &["run.start_date"],
    ),
    case(
        "unknown top key",
        Add("colour = \"blue\""),
        &["unknown field `colour`"],
    ),
    case(
        "unknown run key",
        Sub("[run]", "[run]\nthreads = 4"),
        &["run.threads", "unknown field"],
    ),
    case(
        "unknown pool key",
        Sub(
            "cost_per_hour_usd = 30",
            "cost_per_hour_usd = 30\nagents = 4",
        ),
        &["pools[0].agents", "unknown field"],
    ),
    case(
        "unknown channel",
        Sub("email = 0.5", "fax = 0.5"),
        &["demand.channels.fax"],
    ),
    case(
        "unknown priority",
        Sub("P4 = 0.4", "P5 = 0.4"),
        &["demand.priorities.P5"],
    ),
    case(
        "unknown level",
        Sub("2 = 0.3", "5 = 0.3"),
        &["demand.required_level.5"],
    ),
    case(
        "unknown dist",
        Sub("dist = \"exponential\"", "dist = \"weibull\""),
        &["tiers[0].work_time.default.dist"],
    ),
    case(
        "unknown model",
        Sub("model = \"tiered\"", "model = \"matrix\""),
        &["model", "unknown model \"matrix\""],
    ),
    case(
        "unknown sourcing",
        Sub("sourcing = \"outsourced\"", "sourcing = \"robots\""),
        &["pools[1].sourcing"],
    ),
    case(
        "unknown timezone",
        Sub("timezone = \"UTC\"", "timezone = \"Mars/Olympus\""),
        &["demand.timezone", "IANA"],
    ),
    case(
        "unknown priority in sla",
        Sub("priority = \"P1\"", "priority = \"P0\""),
        &["sla[0].priority", "unknown priority"],
    ),
    case("not toml", Text("this is [not toml"), &["not valid TOML"]),
    case(
        "unterminated string",
        Sub("name = \"hostile\"", "name = \"hostile"),
        &["not valid TOML"],
    ),
    case(
        "duplicate key",
        Sub("seed = 1", "seed = 1\nseed = 2"),
        &["not valid TOML"],
    ),
    case(
        "json instead of toml",
        Text("{\"name\": \"x\"}"),
        &["not valid TOML"],
    ),
    case(
        "tier level 4",
        Sub("level = 2", "level = 4"),
        &["tiers[1].level"],
    ),
    case(
        "tier level 0",
        Sub("level = 1", "level = 0"),
        &["tiers[0].level"],
    ),
    case(
        "hours end before start",
        Sub(
            "headcount = 3",
            "headcount = 3\nhours = { days = [\"mon\"], start = \"17:00\", end = \"09:00\" }",
        ),
        &["pools[1].hours.end", "after start"],
    ),
    case(
        "time 25:00",
        Sub("start = \"00:00\"", "start = \"25:00\""),
        &["pools[0].shifts[0].start"],
    ),
    case(
        "time off the quarter hour",
        Sub("start = \"00:00\"", "start = \"00:07\""),
        &["pools[0].shifts[0].start", "quarter hour"],
    ),
    case(
        "shares not summing",
        Sub("email = 0.5", "email = 0.6"),
        &["demand.channels", "sum to 1"],
    ),
];

/// Files that are not scenario files.
const FILES: &[Case] = &[
    case(
        "missing file",
        Special(Special::Missing),
        &["no-such-scenario.toml", "cannot read scenario file"],
    ),
    case(
        "a folder",
        Special(Special::Folder),
        &["folder.toml", "not a regular file (a folder)"],
    ),
    case(
        "/dev/zero",
        Special(Special::DevZero),
        &["/dev/zero", "not a regular file (a device)"],
    ),
    case(
        "/dev/null",
        Special(Special::DevNull),
        &["/dev/null", "not a regular file"],
    ),
    case(
        "a named pipe",
        Special(Special::Fifo),
        &["pipe.toml", "named pipe"],
    ),
    case(
        "dangling symlink",
        Special(Special::DanglingLink),
        &["link.toml", "cannot read"],
    ),
    case(
        "path below a file",
        Special(Special::BelowAFile),
        &["inner.toml", "cannot read"],
    ),
    case(
        "5 MB file",
        Special(Special::Huge),
        &["scenario.toml", "at most 4194304 bytes"],
    ),
    case(
        "binary garbage",
        Special(Special::Binary),
        &["scenario.toml", "not a text file"],
    ),
];

/// Command-line values: every one refused before any work (exit code 1 from the program's
/// checks, 2 from argument parsing).
const CLI: &[Case] = &[
    cli(
        "replications 0",
        &["run", "{file}", "--out", "{out}", "--replications", "0"],
        &["--replications must be at least 1"],
    ),
    cli(
        "replications 4 billion",
        &[
            "run",
            "{file}",
            "--out",
            "{out}",
            "--replications",
            "4000000000",
        ],
        &["--replications 4000000000", "at most"],
    ),
    cli(
        "replications 4e9",
        &["run", "{file}", "--out", "{out}", "--replications", "4e9"],
        &["--replications"],
    ),
    cli(
        "replications -1",
        &["run", "{file}", "--out", "{out}", "--replications", "-1"],
        &["'-1'"],
    ),
    cli(
        "replications text",
        &["run", "{file}", "--out", "{out}", "--replications", "many"],
        &["--replications"],
    ),
    cli(
        "replications above u32",
        &[
            "run",
            "{file}",
            "--out",
            "{out}",
            "--replications",
            "99999999999",
        ],
        &["--replications"],
    ),
    cli(
        "replications 1 million over budget",
        &[
            "run",
            "{file}",
            "--out",
            "{out}",
            "--replications",
            "1000000",
        ],
        &["would need about", "--force"],
    ),
    cli(
        "threads 0",
        &["run", "{file}", "--out", "{out}", "--threads", "0"],
        &["--threads 0", "between 1 and"],
    ),
    cli(
        "threads 100000",
        &["run", "{file}", "--out", "{out}", "--threads", "100000"],
        &["--threads 100000"],
    ),
    cli(
        "threads -1",
        &["run", "{file}", "--out", "{out}", "--threads", "-1"],
        &["'-1'"],
    ),
    cli(
        "seed text",
        &["run", "{file}", "--out", "{out}", "--seed", "abc"],
        &["--seed"],
    ),
    cli(
        "seed -1",
        &["run", "{file}", "--out", "{out}", "--seed", "-1"],
        &["'-1'"],
    ),
    cli(
        "seed above i64",
        &[
            "run",
            "{file}",
            "--out",
            "{out}",
            "--seed",
            "18446744073709551615",
        ],
        &["--seed 18446744073709551615", "at most"],
    ),
    cli(
        "format bogus",
        &["run", "{file}", "--out", "{out}", "--format", "xml"],
        &["--format"],
    ),
    cli(
        "unknown option",
        &["run", "{file}", "--out", "{out}", "--colour"],
        &["--colour"],
    ),
    cli(
        "shard no slash",
        &["run", "{file}", "--out", "{out}", "--shard", "3"],
        &["--shard"],
    ),
    cli(
        "shard 1/0",
        &["run", "{file}", "--out", "{out}", "--shard", "1/0"],
        &["1/0"],
    ),
    cli(
        "shard index too large",
        &["run", "{file}", "--out", "{out}", "--shard", "3/2"],
        &["3/2"],
    ),
    cli(
        "shard letters",
        &["run", "{file}", "--out", "{out}", "--shard", "a/b"],
        &["a/b"],
    ),
    cli(
        "shard 4 billion",
        &["run", "{file}", "--out", "{out}", "--shard", "0/4000000000"],
        &["0/4000000000", "at most"],
    ),
    cli(
        "shard empty",
        &["run", "{file}", "--out", "{out}", "--shard", "/"],
        &["--shard"],
    ),
    cli(
        "shard unset variable",
        &[
            "run",
            "{file}",
            "--out",
            "{out}",
            "--shard",
            "SUPPORTSIM_NO_SUCH_VAR/4",
        ],
        &["SUPPORTSIM_NO_SUCH_VAR"],
    ),
    cli(
        "shard negative",
        &["run", "{file}", "--out", "{out}", "--shard", "-1/4"],
        &["'-1'"],
    ),
    cli(
        "tickets with shard",
        &[
            "run",
            "{file}",
            "--out",
            "{out}",
            "--shard",
            "0/2",
            "--tickets",
        ],
        &["--tickets cannot be combined with --shard"],
    ),
    cli(
        "vary without equals",
        &[
            "sweep",
            "{file}",
            "--out",
            "{out}",
            "--vary",
            "pools.l2.headcount",
        ],
        &["--vary pools.l2.headcount", "no `=`"],
    ),
    cli(
        "vary empty key",
        &["sweep", "{file}", "--out", "{out}", "--vary", "=3"],
        &["empty key"],
    ),
    cli(
        "vary no values",
        &["sweep", "{file}", "--out", "{out}", "--vary", "model="],
        &["no values"],
    ),
    cli(
        "vary unknown pool",
        &[
            "sweep",
            "{file}",
            "--out",
            "{out}",
            "--vary",
            "pools.l9.headcount=3,4",
        ],
        &["no pool named \"l9\""],
    ),
    cli(
        "vary unknown key",
        &[
            "sweep",
            "{file}",
            "--out",
            "{out}",
            "--vary",
            "demand.growth=0.1",
        ],
        &["unknown key \"growth\""],
    ),
    cli(
        "vary dotted name",
        &[
            "sweep",
            "{file}",
            "--out",
            "{out}",
            "--vary",
            "pools.l1.x.headcount=3",
        ],
        &["--vary pools.l1.x.headcount=3"],
    ),
    cli(
        "vary zero step",
        &[
            "sweep",
            "{file}",
            "--out",
            "{out}",
            "--vary",
            "pools.l2.headcount=1..3:0",
        ],
        &["step must be > 0"],
    ),
    cli(
        "vary too many points",
        &[
            "sweep",
            "{file}",
            "--out",
            "{out}",
            "--vary",
            "pools.l2.headcount=1..200",
            "--vary",
            "demand.growth_per_month=0..0.99:0.01",
        ],
        &["at most 10000"],
    ),
    cli(
        "vary seed",
        &[
            "sweep",
            "{file}",
            "--out",
            "{out}",
            "--vary",
            "run.seed=1,2",
        ],
        &["common random numbers"],
    ),
    cli(
        "vary text into number",
        &[
            "sweep",
            "{file}",
            "--out",
            "{out}",
            "--vary",
            "pools.l2.headcount=abc",
        ],
        &["\"abc\" is not a number"],
    ),
    cli(
        "vary negative headcount",
        &[
            "sweep",
            "{file}",
            "--out",
            "{out}",
            "--vary",
            "pools.l2.headcount=-1",
        ],
        &["does not fit"],
    ),
    cli(
        "vary nan",
        &[
            "sweep",
            "{file}",
            "--out",
            "{out}",
            "--vary",
            "demand.growth_per_month=nan",
        ],
        &["not a number"],
    ),
    cli(
        "vary invalid point",
        &[
            "sweep",
            "{file}",
            "--out",
            "{out}",
            "--vary",
            "demand.tickets_per_hour=0,1",
        ],
        &["demand.tickets_per_hour"],
    ),
    cli(
        "vary twice",
        &[
            "sweep",
            "{file}",
            "--out",
            "{out}",
            "--vary",
            "model=tiered",
            "--vary",
            "model=swarm",
        ],
        &["varied twice"],
    ),
    cli(
        "sweep nothing to vary",
        &["sweep", "{file}", "--out", "{out}"],
        &["nothing to sweep"],
    ),
    cli(
        "sweep replications 1",
        &[
            "sweep",
            "{file}",
            "--out",
            "{out}",
            "--vary",
            "model=tiered,swarm",
            "--replications",
            "1",
        ],
        &["at least 2"],
    ),
    cli(
        "sweep bad frontier metric",
        &[
            "sweep",
            "{file}",
            "--out",
            "{out}",
            "--vary",
            "pools.l2.headcount=3,4",
            "--frontier-metric",
            "happiness",
        ],
        &["--frontier-metric happiness"],
    ),
    cli(
        "sweep over the memory budget",
        &[
            "sweep",
            "{file}",
            "--out",
            "{out}",
            "--vary",
            "pools.l2.headcount=1..100",
            "--vary",
            "run.horizon_days=3000,3001",
            "--replications",
            "10000",
        ],
        &["--force"],
    ),
    cli(
        "target unknown measure",
        &[
            "staff",
            "{file}",
            "--out",
            "{out}",
            "--target",
            "happiness >= 0.9",
        ],
        &["happiness"],
    ),
    cli(
        "target no operator",
        &[
            "staff",
            "{file}",
            "--out",
            "{out}",
            "--target",
            "abandonment 0.05",
        ],
        &["abandonment 0.05"],
    ),
    cli(
        "target bad number",
        &[
            "staff",
            "{file}",
            "--out",
            "{out}",
            "--target",
            "abandonment <= x",
        ],
        &["abandonment <= x"],
    ),
    cli(
        "target unknown pool",
        &[
            "staff",
            "{file}",
            "--out",
            "{out}",
            "--target",
            "utilisation.l9 <= 0.8",
        ],
        &["l9"],
    ),
    cli(
        "target unknown priority",
        &[
            "staff",
            "{file}",
            "--out",
            "{out}",
            "--target",
            "first_response.P7.attainment >= 0.9",
        ],
        &["P7"],
    ),
    cli(
        "target empty",
        &["staff", "{file}", "--out", "{out}", "--target", ""],
        &["--target"],
    ),
    cli(
        "target nan",
        &[
            "staff",
            "{file}",
            "--out",
            "{out}",
            "--target",
            "abandonment <= nan",
        ],
        &["abandonment <= nan"],
    ),
    cli(
        "staff unknown pool",
        &[
            "staff",
            "{file}",
            "--out",
            "{out}",
            "--target",
            "abandonment <= 0.05",
            "--pools",
            "l9",
        ],
        &["l9"],
    ),
    cli(
        "staff confidence 2",
        &[
            "staff",
            "{file}",
            "--out",
            "{out}",
            "--target",
            "abandonment <= 0.05",
            "--confidence",
            "2",
        ],
        &["confidence"],
    ),
    cli(
        "staff confidence nan",
        &[
            "staff",
            "{file}",
            "--out",
            "{out}",
            "--target",
            "abandonment <= 0.05",
            "--confidence",
            "nan",
        ],
        &["confidence"],
    ),
    cli(
        "staff confirm replications 0",
        &[
            "staff",
            "{file}",
            "--out",
            "{out}",
            "--target",
            "abandonment <= 0.05",
            "--confirm-replications",
            "0",
        ],
        &["--confirm-replications"],
    ),
    cli(
        "staff replications 4 billion",
        &[
            "staff",
            "{file}",
            "--out",
            "{out}",
            "--target",
            "abandonment <= 0.05",
            "--replications",
            "4000000000",
        ],
        &["at most"],
    ),
    cli(
        "compare one design",
        &["compare", "{file}", "--out", "{out}"],
        &["at least two designs"],
    ),
    cli(
        "compare unknown model",
        &[
            "compare",
            "{file}",
            "--out",
            "{out}",
            "--models",
            "tiered,matrix",
        ],
        &["--models matrix"],
    ),
    cli(
        "compare replications 1",
        &[
            "compare",
            "{file}",
            "{file}",
            "--out",
            "{out}",
            "--replications",
            "1",
        ],
        &["at least 2"],
    ),
    cli(
        "compare threads 0",
        &[
            "compare",
            "{file}",
            "{file}",
            "--out",
            "{out}",
            "--threads",
            "0",
        ],
        &["--threads 0"],
    ),
    cli("merge nothing", &["merge", "--out", "{out}"], &[]),
    cli(
        "merge a scenario file",
        &["merge", "{file}", "--out", "{out}"],
        &[],
    ),
    cli(
        "erlang nan arrivals",
        &[
            "erlang",
            "c",
            "--arrivals-per-hour",
            "nan",
            "--aht-min",
            "6",
            "--agents",
            "12",
        ],
        &[],
    ),
    cli(
        "erlang negative aht",
        &[
            "erlang",
            "c",
            "--arrivals-per-hour",
            "100",
            "--aht-min",
            "-6",
            "--agents",
            "12",
        ],
        &[],
    ),
    cli(
        "erlang nothing to do",
        &[
            "erlang",
            "c",
            "--arrivals-per-hour",
            "100",
            "--aht-min",
            "6",
        ],
        &["--agents"],
    ),
    cli("no subcommand", &[], &["Usage"]),
    cli("unknown subcommand", &["simulate", "{file}"], &["simulate"]),
];

/// Runs a budget case: inputs that validate but would need too much memory or time.
const BUDGET: &[Case] = &[
    case(
        "replications over the memory budget",
        Sub("replications = 2", "replications = 1000000"),
        &["would need about", "replication values", "--force"],
    ),
    case(
        "volume over the time budget",
        Sub2(
            "tickets_per_hour = 20",
            "tickets_per_hour = 2000000",
            "replications = 2",
            "replications = 200",
        ),
        &["tickets", "--force"],
    ),
    Case {
        name: "interval over the memory budget",
        input: Sub2(
            "timeseries_interval_min = 60",
            "timeseries_interval_min = 1",
            "horizon_days = 2",
            "horizon_days = 600",
        ),
        args: &["run", "{file}", "--out", "{out}", "--replications", "100"],
        want: &["time series", "--force"],
    },
];

#[test]
fn names_in_key_paths() {
    run_cases("names", NAMES);
}

#[test]
fn names_in_staff_sweep_and_compare() {
    run_cases("names-in-studies", NAMES_IN_STUDIES);
}

#[test]
fn non_finite_numbers() {
    run_cases("non-finite", NON_FINITE);
}

#[test]
fn negative_numbers() {
    run_cases("negative", NEGATIVE);
}

#[test]
fn huge_values() {
    run_cases("huge", HUGE);
}

#[test]
fn empty_values() {
    run_cases("empty", EMPTY);
}

#[test]
fn wrong_types_unknown_keys_broken_toml() {
    run_cases("types-and-keys", TYPES_AND_KEYS);
}

#[test]
fn files_that_are_not_scenarios() {
    run_cases("files", FILES);
}

#[test]
fn command_line_values() {
    run_cases("cli", CLI);
}

#[test]
fn resource_budget() {
    run_cases("budget", BUDGET);
}

#[test]
fn catalogue_has_at_least_150_cases() {
    let classes = [
        ("names", NAMES.len()),
        ("names-in-studies", NAMES_IN_STUDIES.len()),
        ("non-finite", NON_FINITE.len()),
        ("negative", NEGATIVE.len()),
        ("huge", HUGE.len()),
        ("empty", EMPTY.len()),
        ("types-and-keys", TYPES_AND_KEYS.len()),
        ("files", FILES.len()),
        ("cli", CLI.len()),
        ("budget", BUDGET.len()),
    ];
    let total: usize = classes.iter().map(|c| c.1).sum();
    eprintln!("hostile catalogue: {total} cases {classes:?}");
    assert!(total >= 150, "{total} cases");
}

/// The base scenario itself is valid (so every case fails for its own reason), and the
/// structural warnings are printed by `validate`.
#[test]
fn base_is_valid_and_vacuous_targets_warn() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("base.toml");
    std::fs::write(&f, BASE).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_supportsim"))
        .arg("validate")
        .arg(&f)
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!out.contains("never open"), "{out}");

    // A calendar whose only working day is a holiday, and an L1 that works only mornings.
    let text = base_with(
        "days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]\nstart = \"09:00\"",
        "days = [\"tue\"]\nholidays = [\"2026-01-06\"]\nstart = \"09:00\"",
        BASE,
    );
    let text = base_with(
        "start = \"12:00\"\nend = \"00:00\"",
        "start = \"06:00\"\nend = \"12:00\"",
        &text,
    );
    std::fs::write(&f, text).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_supportsim"))
        .arg("validate")
        .arg(&f)
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        out.contains("sla[0].resolution (P1/*): calendar \"office\" is never open"),
        "{out}"
    );
    assert!(
        !out.contains("no headcount can meet it"),
        "exponential work has no least value: {out}"
    );
    assert!(
        out.contains("pool \"l1\" takes every new ticket but has no agent on duty when")
            && out.contains("(Tue-Wed 12:00-24:00, local time)"),
        "{out}"
    );
}

/// A resolution limit below the least work every ticket needs warns that no headcount can
/// meet it.
#[test]
fn unreachable_resolution_limit_warns() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("unreachable.toml");
    let text = base_with(
        "work_time.default = { dist = \"exponential\", mean_min = 8 }",
        "work_time.default = { dist = \"empirical\", samples_min = [12, 30] }",
        BASE,
    );
    let text = format!("{text}\n[[sla]]\npriority = \"P2\"\nresolution = {{ target_min = 10 }}\n");
    std::fs::write(&f, text).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_supportsim"))
        .arg("validate")
        .arg(&f)
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        out.contains(
            "sla[1].resolution (P2/*): the limit of 10 min is below the 12 min of tier-1 work"
        ),
        "{out}"
    );
}
