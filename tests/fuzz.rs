//! Fuzzing on stable Rust: structure-aware mutation of real scenario files, command-line
//! expressions and shard partitions, looking for panics, aborts, hangs and outputs left
//! behind by failed commands.
//!
//! cargo-fuzz needs a nightly compiler and a sanitizer runtime, which a fresh machine with
//! stable Rust does not have. Byte-level mutation also wastes nearly every input on the TOML
//! parser. These fuzzers mutate the parsed TOML tree instead: they set values to the extremes
//! (`0`, `-1`, `i64::MAX`, `1e308`, `nan`, empty and huge strings, unicode, path separators),
//! swap in values harvested from other keys, delete and duplicate keys and list entries, add
//! known keys where they do not belong, and sometimes damage the text itself. Every mutant is
//! validated; a valid one runs a short engine run.
//!
//! - `cargo test --release --test tests fuzz::` runs a fixed, seeded budget (part of the suite).
//! - `SUPPORTSIM_FUZZ_SECONDS=600 cargo test --release --test tests fuzz:: -- --nocapture`
//!   fuzzes for that long per target with a seed taken from the clock (printed; rerun a seed
//!   with `SUPPORTSIM_FUZZ_SEED`). `.ci/run` does this for a minute.
//!
//! A finding (panic, abort, exit code other than 0/1/2, a failed command that left an output
//! folder, a case slower than `SLOW_S`) is written to `target/fuzz-findings/` and fails the
//! test. Turn each one into a file under `tests/fuzz/regressions/`, which
//! `every_regression_input_is_refused_or_runs_without_panic` replays on every test run.

use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use supportsim::montecarlo::MonteCarlo;
use supportsim::scenario::Scenario;
use toml::Value;

type FuzzRng = Xoshiro256PlusPlus;

/// Cases per target without `SUPPORTSIM_FUZZ_SECONDS`.
const FIXED_CASES: usize = 250;
/// CLI cases per target without `SUPPORTSIM_FUZZ_SECONDS` (each spawns a process).
const FIXED_CLI_CASES: usize = 30;
/// Valid mutants run only when they expect at most this many tickets per replication.
const MAX_RUN_TICKETS: f64 = 60_000.0;
/// A case taking longer than this is a finding (a near-hang).
const SLOW_S: f64 = 20.0;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The budget: a fixed number of cases, or a wall-clock time from the environment.
struct Budget {
    cases: usize,
    until: Option<Instant>,
    seed: u64,
}

impl Budget {
    fn new(fixed: usize, salt: u64) -> Budget {
        let seconds: Option<f64> = std::env::var("SUPPORTSIM_FUZZ_SECONDS")
            .ok()
            .and_then(|v| v.parse().ok());
        let seed = std::env::var("SUPPORTSIM_FUZZ_SEED")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| match seconds {
                Some(_) => std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(1, |d| d.as_nanos() as u64),
                None => 1,
            });
        Budget {
            cases: if seconds.is_some() { usize::MAX } else { fixed },
            until: seconds.map(|s| Instant::now() + Duration::from_secs_f64(s)),
            seed: seed ^ salt,
        }
    }

    fn more(&self, done: usize) -> bool {
        done < self.cases && self.until.is_none_or(|t| Instant::now() < t)
    }
}

/// Findings of one target, written to `target/fuzz-findings/` and reported at the end.
#[derive(Default)]
struct Findings(Vec<String>);

impl Findings {
    fn add(&mut self, target: &str, what: &str, input: &str) {
        let dir = root().join("target/fuzz-findings");
        let _ = std::fs::create_dir_all(&dir);
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in input.bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        let path = dir.join(format!("{target}-{h:016x}.txt"));
        let _ = std::fs::write(&path, input);
        self.0
            .push(format!("{target}: {what} (input: {})", path.display()));
    }

    fn assert_none(&self, target: &str, cases: usize, seed: u64) {
        eprintln!(
            "fuzz {target}: {cases} cases, seed {seed}, {} findings",
            self.0.len()
        );
        assert!(
            self.0.is_empty(),
            "fuzz {target} (seed {seed}) found:\n{}",
            self.0.join("\n")
        );
    }
}

/// Seed inputs: every bundled scenario, the test data files and `tests/fuzz/corpus/`.
fn corpus() -> Vec<(String, String)> {
    let mut v = Vec::new();
    for dir in [
        "scenarios",
        "tests/data",
        "tests/data/before-access",
        "tests/fuzz/corpus",
    ] {
        let Ok(entries) = std::fs::read_dir(root().join(dir)) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        for p in files {
            if let Ok(text) = std::fs::read_to_string(&p)
                && text.parse::<toml::Table>().is_ok()
            {
                v.push((p.display().to_string(), text));
            }
        }
    }
    assert!(v.len() >= 8, "the fuzz corpus is too small: {}", v.len());
    v
}

#[derive(Clone, Debug)]
enum Seg {
    Key(String),
    Idx(usize),
}

/// Every path in `v` (tables, arrays and scalars), depth first.
fn paths(v: &Value, here: &mut Vec<Seg>, out: &mut Vec<Vec<Seg>>) {
    out.push(here.clone());
    match v {
        Value::Table(t) => {
            for (k, x) in t {
                here.push(Seg::Key(k.clone()));
                paths(x, here, out);
                here.pop();
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                here.push(Seg::Idx(i));
                paths(x, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

fn at<'a>(v: &'a mut Value, path: &[Seg]) -> Option<&'a mut Value> {
    let mut cur = v;
    for s in path {
        cur = match (s, cur) {
            (Seg::Key(k), Value::Table(t)) => t.get_mut(k)?,
            (Seg::Idx(i), Value::Array(a)) => a.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// Values chosen to sit on every boundary a validator has to guard.
fn nasty(rng: &mut FuzzRng) -> Value {
    let ints = [
        0,
        -1,
        1,
        2,
        7,
        24,
        60,
        1440,
        1 << 31,
        1 << 32,
        1_000_000_000,
        i64::MAX,
        i64::MIN,
    ];
    let floats = [
        0.0,
        -0.0,
        -1.5,
        0.5,
        1.0,
        1.000_000_1,
        1e-300,
        5e-324,
        1e300,
        f64::MAX,
        f64::MIN,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
    ];
    let strings = [
        "",
        "x",
        "P1",
        "email",
        "l1",
        "a.b",
        "../../etc/passwd",
        "日本語😀",
        "00:00",
        "24:00",
        "23:59",
        "25:61",
        "2026-02-30",
        "2026-01-05",
        "America/New_York",
        "Mars/Olympus",
        "exponential",
        "lognormal",
        "tiered",
        "swarm",
        "\u{0}",
    ];
    match rng.random_range(0..7u32) {
        0 => Value::Integer(ints[rng.random_range(0..ints.len())]),
        1 => Value::Float(floats[rng.random_range(0..floats.len())]),
        2 => Value::String(strings[rng.random_range(0..strings.len())].to_string()),
        3 => Value::String("z".repeat(rng.random_range(1000..20_000))),
        4 => Value::Boolean(rng.random_bool(0.5)),
        5 => Value::Array(Vec::new()),
        _ => Value::Table(toml::Table::new()),
    }
}

/// Every scalar and key name of the corpus: realistic values put where they do not belong.
struct Harvest {
    values: Vec<Value>,
    keys: Vec<String>,
}

fn harvest(corpus: &[(String, String)]) -> Harvest {
    let mut values = Vec::new();
    let mut keys = Vec::new();
    fn walk(v: &Value, values: &mut Vec<Value>, keys: &mut Vec<String>) {
        match v {
            Value::Table(t) => {
                for (k, x) in t {
                    keys.push(k.clone());
                    walk(x, values, keys);
                }
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, values, keys)),
            x => values.push(x.clone()),
        }
    }
    for (_, text) in corpus {
        let v = Value::Table(text.parse().expect("corpus parses"));
        walk(&v, &mut values, &mut keys);
    }
    keys.sort();
    keys.dedup();
    Harvest { values, keys }
}

/// One to four tree mutations of `text`, and sometimes a text-level one.
fn mutate(rng: &mut FuzzRng, text: &str, h: &Harvest) -> String {
    let mut doc = Value::Table(text.parse().expect("corpus parses"));
    for _ in 0..rng.random_range(1..=4u32) {
        let mut all = Vec::new();
        paths(&doc, &mut Vec::new(), &mut all);
        let path = all[rng.random_range(0..all.len())].clone();
        let op = rng.random_range(0..6u32);
        match op {
            // Replace a value (the root stays a table).
            0 | 1 if !path.is_empty() => {
                let new = if op == 0 {
                    nasty(rng)
                } else {
                    h.values[rng.random_range(0..h.values.len())].clone()
                };
                if let Some(slot) = at(&mut doc, &path) {
                    *slot = new;
                }
            }
            // Remove a key or list entry.
            2 if !path.is_empty() => {
                let (last, parent) = path.split_last().unwrap();
                match (last, at(&mut doc, parent)) {
                    (Seg::Key(k), Some(Value::Table(t))) => {
                        t.remove(k);
                    }
                    (Seg::Idx(i), Some(Value::Array(a))) if *i < a.len() => {
                        a.remove(*i);
                    }
                    _ => {}
                }
            }
            // Duplicate a list entry.
            3 => {
                if let Some(Value::Array(a)) = at(&mut doc, &path)
                    && let Some(x) = a.first().cloned()
                {
                    a.push(x);
                }
            }
            // Add a known key, anywhere.
            _ => {
                let key = h.keys[rng.random_range(0..h.keys.len())].clone();
                let value = if rng.random_bool(0.5) {
                    nasty(rng)
                } else {
                    h.values[rng.random_range(0..h.values.len())].clone()
                };
                if let Some(Value::Table(t)) = at(&mut doc, &path) {
                    t.insert(key, value);
                }
            }
        }
    }
    let mut out = toml::to_string(&doc).unwrap_or_default();
    if rng.random_bool(0.1) && !out.is_empty() {
        // Damage the text: cut a range, or repeat a line.
        let bytes = out.as_bytes();
        let a = rng.random_range(0..bytes.len());
        let b = (a + rng.random_range(1..64)).min(bytes.len());
        let mut v = bytes.to_vec();
        if rng.random_bool(0.5) {
            v.drain(a..b);
        } else {
            let piece = v[a..b].to_vec();
            v.splice(a..a, piece);
        }
        out = String::from_utf8_lossy(&v).into_owned();
    }
    out
}

/// What one scenario input did.
enum Verdict {
    Refused,
    Validated,
    Ran,
}

/// Validates `text` and, when valid and small, runs two replications and checks the
/// invariants every run must keep. A panic anywhere is returned as `Err`.
fn check_scenario(text: &str) -> Result<Verdict, String> {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let Ok(mut s) = Scenario::from_toml_str(text, Path::new("<fuzz>")) else {
            return Ok(Verdict::Refused);
        };
        if supportsim::budget::tickets_per_replication(&s) > MAX_RUN_TICKETS
            || s.run.span_min() > 400.0 * 1440.0
        {
            return Ok(Verdict::Validated);
        }
        s.run.replications = 2;
        let mc = MonteCarlo::run(&s, 2, &|| {});
        let col = |m: &str| mc.catalog.find(m, "all");
        let parts = [
            "tickets_resolved",
            "tickets_abandoned",
            "tickets_deflected",
            "tickets_unresolved_at_end",
            "tickets_refused",
        ]
        .map(col);
        let arrived = col("tickets_arrived").expect("always reported");
        // With `[initial_state]` the open tickets at t = 0 end in an outcome too.
        let backlog = col("backlog_tickets");
        for (r, values) in mc.values.iter().enumerate() {
            // Conservation: every measured arrival (and backlog ticket) ends in exactly one
            // outcome.
            let sum: f64 = parts.iter().flatten().map(|&i| values[i]).sum();
            let entered = values[arrived] + backlog.map_or(0.0, |i| values[i]);
            if entered != sum {
                return Err(format!(
                    "replication {r}: arrived (and backlog) {entered} != sum of outcomes {sum}"
                ));
            }
            for (d, v) in mc.catalog.defs.iter().zip(values) {
                if d.metric.ends_with("attainment") && v.is_finite() && !(0.0..=1.0).contains(v) {
                    return Err(format!(
                        "{} [{}] = {v} outside [0, 1] in replication {r}",
                        d.metric, d.group
                    ));
                }
            }
        }
        Ok(Verdict::Ran)
    }));
    match outcome {
        Ok(r) => r,
        Err(p) => Err(format!("panic: {}", panic_text(&p))),
    }
}

fn panic_text(p: &Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<String>()
        .cloned()
        .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "non-string panic".into())
}

thread_local! {
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// While a fuzz loop runs on this thread, its (expected, caught) panics print nothing; other
/// tests' panics still print through the previous hook.
fn quiet_panics(on: bool) {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(|q| q.get()) {
                previous(info);
            }
        }));
    });
    QUIET.with(|q| q.set(on));
}

#[test]
fn fuzz_scenario_loader_and_short_runs() {
    let corpus = corpus();
    let h = harvest(&corpus);
    let budget = Budget::new(FIXED_CASES, 0x5ce4);
    let mut rng = FuzzRng::seed_from_u64(budget.seed);
    let mut found = Findings::default();
    let (mut refused, mut validated, mut ran) = (0, 0, 0);
    let mut done = 0;
    quiet_panics(true);
    while budget.more(done) {
        let (_, base) = &corpus[rng.random_range(0..corpus.len())];
        let text = mutate(&mut rng, base, &h);
        let t0 = Instant::now();
        match check_scenario(&text) {
            Ok(Verdict::Refused) => refused += 1,
            Ok(Verdict::Validated) => validated += 1,
            Ok(Verdict::Ran) => ran += 1,
            Err(e) => found.add("scenario", &e, &text),
        }
        let dt = t0.elapsed().as_secs_f64();
        if dt > SLOW_S {
            found.add("scenario", &format!("took {dt:.1} s"), &text);
        }
        done += 1;
    }
    quiet_panics(false);
    eprintln!("scenario mutants: {refused} refused, {validated} valid but large, {ran} ran");
    // Mutation must reach past the validator, or the fuzzer tests nothing but refusals.
    assert!(ran * 20 >= done, "only {ran} of {done} mutants ran");
    found.assert_none("scenario", done, budget.seed);
}

/// A random command-line expression for `--vary`, `--target` or `--shard`.
fn expression(rng: &mut FuzzRng, h: &Harvest) -> String {
    let atoms = [
        "pools.l1.headcount",
        "pools.l2.shifts.early.headcount",
        "demand.growth_per_month",
        "model",
        "tiers.1.work_time.email.mean_min",
        "sla.0.resolution.goal",
        "demand.hour_weights.10",
        "first_response.P1.attainment",
        "resolution.all.p90_hours",
        "abandonment",
        "utilisation.l1",
        "=",
        "..",
        ":",
        ",",
        ">=",
        "<=",
        "<",
        "/",
        "$",
        " ",
        "-",
        ".",
        "0",
        "1",
        "8",
        "-1",
        "1e308",
        "nan",
        "inf",
        "0.5",
        "18446744073709551616",
        "tiered",
        "swarm",
        "SLURM_ARRAY_TASK_ID",
        "😀",
    ];
    let n = rng.random_range(1..8usize);
    let mut s = String::new();
    for _ in 0..n {
        if rng.random_bool(0.15) {
            s.push_str(&h.keys[rng.random_range(0..h.keys.len())]);
        } else {
            s.push_str(atoms[rng.random_range(0..atoms.len())]);
        }
    }
    s
}

#[test]
fn fuzz_vary_target_and_shard_expressions() {
    let corpus = corpus();
    let h = harvest(&corpus);
    let text =
        std::fs::read_to_string(root().join("scenarios/saas-midmarket-tiered.toml")).unwrap();
    let s = Scenario::from_toml_str(&text, Path::new("<fuzz>")).unwrap();
    let base = Value::Table(text.parse().unwrap());
    let budget = Budget::new(FIXED_CASES * 8, 0xe4b);
    let mut rng = FuzzRng::seed_from_u64(budget.seed);
    let mut found = Findings::default();
    let mut done = 0;
    quiet_panics(true);
    while budget.more(done) {
        let expr = expression(&mut rng, &h);
        let r = catch_unwind(AssertUnwindSafe(|| {
            let _ = supportsim::study::sweep::parse_vary(&expr, &base);
            let _ = supportsim::study::staff::parse_target(&expr, &s);
            let _ = supportsim::export::partition::ShardSpec::parse(&expr, |_| {
                Some("18446744073709551617".into())
            });
        }));
        if let Err(p) = r {
            found.add("expression", &format!("panic: {}", panic_text(&p)), &expr);
        }
        done += 1;
    }
    quiet_panics(false);
    found.assert_none("expression", done, budget.seed);
}

/// One random invocation of the binary, its `--out` inside `dir`.
fn invocation(
    rng: &mut FuzzRng,
    h: &Harvest,
    files: &[PathBuf],
    intact: &Path,
    out: &Path,
) -> Vec<String> {
    let file = files[rng.random_range(0..files.len())]
        .display()
        .to_string();
    let mut args: Vec<String> = match rng.random_range(0..5u32) {
        0 => vec!["run".into(), file, "--replications".into(), "2".into()],
        1 => vec!["validate".into(), file],
        2 => vec!["sweep".into(), file, "--vary".into(), expression(rng, h)],
        3 => vec![
            "staff".into(),
            file,
            "--target".into(),
            expression(rng, h),
            "--replications".into(),
            "2".into(),
        ],
        _ => {
            // The damaged partition (last in `files`) with the intact other shard.
            let bad = files[files.len() - 1].display().to_string();
            vec!["merge".into(), bad, intact.display().to_string()]
        }
    };
    // Replications stay at 2 (set above) so that every case is short; a case slower than
    // SLOW_S is then a near-hang, not a big run.
    let options = [
        "--seed",
        "--threads",
        "--shard",
        "--frontier-metric",
        "--pools",
        "--tickets",
        "--quiet",
        "--force",
    ];
    for _ in 0..rng.random_range(0..3u32) {
        args.push(options[rng.random_range(0..options.len())].into());
        args.push(expression(rng, h));
    }
    args.push("--out".into());
    args.push(out.display().to_string());
    args
}

/// The binary never panics (exit code 101) or dies of a signal, and a command that fails
/// leaves no output folder. Inputs: mutated scenario files, random options and expressions,
/// and shard partitions with damaged files.
#[test]
fn fuzz_command_line_and_partitions() {
    let corpus = corpus();
    let h = harvest(&corpus);
    let dir = tempfile::tempdir().unwrap();
    let small = std::fs::read_to_string(root().join("scenarios/mmc.toml")).unwrap();
    // Real partitions: shard 0 gets damaged, shard 1 stays intact.
    let shard = |k: u32| {
        let d = dir.path().join(format!("part-{k}"));
        let ok = std::process::Command::new(env!("CARGO_BIN_EXE_supportsim"))
            .args([
                "run",
                &root().join("scenarios/mmc.toml").display().to_string(),
            ])
            .args([
                "--replications",
                "2",
                "--quiet",
                "--shard",
                &format!("{k}/2"),
                "--out",
            ])
            .arg(&d)
            .status()
            .unwrap();
        assert!(ok.success());
        d
    };
    let (part, intact) = (shard(0), shard(1));
    let part_files: Vec<PathBuf> = std::fs::read_dir(&part)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    let budget = Budget::new(FIXED_CLI_CASES, 0xc11);
    let mut rng = FuzzRng::seed_from_u64(budget.seed);
    let mut found = Findings::default();
    let mut done = 0;
    while budget.more(done) {
        let case = dir.path().join(format!("case-{done}"));
        std::fs::create_dir_all(&case).unwrap();
        let mut files = Vec::new();
        for k in 0..2 {
            // Small inputs keep runs short: the mmc file and the bundled ones, mutated.
            let base = if k == 0 {
                &small
            } else {
                &corpus[rng.random_range(0..corpus.len())].1
            };
            let p = case.join(format!("s{k}.toml"));
            std::fs::write(&p, mutate(&mut rng, base, &h)).unwrap();
            files.push(p);
        }
        // A copy of the partition with one file damaged.
        let bad = case.join("partition");
        std::fs::create_dir_all(&bad).unwrap();
        for f in &part_files {
            std::fs::copy(f, bad.join(f.file_name().unwrap())).unwrap();
        }
        let victim = bad.join(
            part_files[rng.random_range(0..part_files.len())]
                .file_name()
                .unwrap(),
        );
        let mut bytes = std::fs::read(&victim).unwrap();
        if !bytes.is_empty() {
            let i = rng.random_range(0..bytes.len());
            match rng.random_range(0..3u32) {
                0 => bytes.truncate(i),
                1 => bytes[i] ^= 1 << rng.random_range(0..8u32),
                _ => bytes
                    .splice(i..i, std::iter::repeat_n(0xff, 64))
                    .for_each(drop),
            }
        }
        std::fs::write(&victim, &bytes).unwrap();
        files.push(bad);
        let out = case.join("out");
        let args = invocation(&mut rng, &h, &files, &intact, &out);
        let t0 = Instant::now();
        let result = std::process::Command::new(env!("CARGO_BIN_EXE_supportsim"))
            .args(&args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .output()
            .unwrap();
        // The finding keeps the mutated files, which the case folder loses.
        let mut line = args.join(" ");
        for f in &files[..2] {
            line.push_str(&format!(
                "\n--- {}\n{}",
                f.display(),
                std::fs::read_to_string(f).unwrap_or_default()
            ));
        }
        let stderr = String::from_utf8_lossy(&result.stderr);
        match result.status.code() {
            Some(0) => {}
            Some(1 | 2) => {
                if out.exists() {
                    found.add("cli", "a failed command left its output folder", &line);
                }
                if stderr.trim().is_empty() {
                    found.add("cli", "a failed command said nothing", &line);
                }
            }
            code => found.add(
                "cli",
                &format!("exit {code:?}: {}", stderr.lines().last().unwrap_or("")),
                &format!("{line}\n{stderr}"),
            ),
        }
        let dt = t0.elapsed().as_secs_f64();
        if dt > SLOW_S {
            found.add("cli", &format!("took {dt:.1} s"), &line);
        }
        let _ = std::fs::remove_dir_all(&case);
        done += 1;
    }
    found.assert_none("cli", done, budget.seed);
}

/// Inputs that once broke something: each must be refused with an error or run cleanly.
#[test]
fn every_regression_input_is_refused_or_runs_without_panic() {
    let dir = root().join("tests/fuzz/regressions");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    for p in entries.filter_map(|e| e.ok().map(|e| e.path())) {
        let text = std::fs::read_to_string(&p).unwrap();
        if let Err(e) = check_scenario(&text) {
            panic!("{}: {e}", p.display());
        }
    }
}
