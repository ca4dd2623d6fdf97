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

mod command_line;
mod malformed;
mod names;
mod numbers;
mod references;
mod study_tables;

use command_line::{BUDGET, CLI};
use malformed::{EMPTY, FILES, TYPES_AND_KEYS};
use names::{NAMES, NAMES_IN_STUDIES};
use numbers::{HUGE, NEGATIVE, NON_FINITE};
use references::REFERENCES;
use study_tables::STUDY_TABLES;

#[test]
fn names_in_key_paths() {
    run_cases("names", NAMES);
}

#[test]
fn names_in_staff_sweep_and_compare() {
    run_cases("names-in-studies", NAMES_IN_STUDIES);
}

#[test]
fn references_to_what_the_file_lacks() {
    run_cases("references", REFERENCES);
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
fn study_tables_in_every_command() {
    run_cases("study-tables", STUDY_TABLES);
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
        ("study-tables", STUDY_TABLES.len()),
        ("references", REFERENCES.len()),
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
