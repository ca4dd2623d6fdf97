//! Golden check: every bundled scenario and the theory/model fixtures, a few replications at
//! a fixed seed, compared value by value (bit patterns) with values recorded before the
//! engine redesign. Any change to the engine that moves a single bit of a single metric of
//! a single replication fails here.
//!
//! The recorded values live in `tests/golden/<fixture>.csv`. To record them anew (only in a
//! commit of its own, naming the bug fixed and the metrics it moves):
//! `SUPPORTSIM_BLESS_GOLDEN=1 cargo test --release golden`.
//!
//! Metrics added after the recording are allowed (they are not in the file); a recorded
//! (metric, group) pair missing from the run is a failure.

use crate::common::{mmc_toml, scenario};
use crate::models::{SWARM_PATH, level_one_toml};
use crate::theory::{JACKSON_TOML, LITTLE_TOML, with_pool_keys};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use supportsim::montecarlo::MonteCarlo;

/// The bundled files as they were before they gained `[access]` rules (issue 12): realistic
/// opening hours changed their results on purpose, not the engine.
const BEFORE_ACCESS: &str = "tests/data/before-access";

/// Replications per fixture: enough to exercise replication-indexed streams, cheap to run.
const REPS: u32 = 3;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// `text` with dotted keys replaced (`pools.0.handover_min` indexes an array of tables).
fn edited(text: &str, edits: &[(&str, toml::Value)]) -> String {
    let mut doc: toml::Table = text.parse().expect("valid TOML");
    for (path, value) in edits {
        let parts: Vec<&str> = path.split('.').collect();
        let (last, head) = parts.split_last().unwrap();
        let mut v = toml::Value::Table(std::mem::take(&mut doc));
        {
            let mut cur = &mut v;
            for p in head {
                cur = match p.parse::<usize>() {
                    Ok(i) => &mut cur.as_array_mut().unwrap()[i],
                    Err(_) => cur
                        .as_table_mut()
                        .unwrap()
                        .entry(p.to_string())
                        .or_insert_with(|| toml::Value::Table(toml::Table::new())),
                };
            }
            cur.as_table_mut()
                .unwrap()
                .insert(last.to_string(), value.clone());
        }
        doc = match v {
            toml::Value::Table(t) => t,
            _ => unreachable!(),
        };
    }
    toml::to_string(&doc).unwrap()
}

fn f(x: f64) -> toml::Value {
    toml::Value::Float(x)
}

/// Every fixture: (name, scenario text).
fn fixtures() -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(root().join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    for p in files {
        let name = p.file_stem().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&p).unwrap();
        // A bundled file changed on purpose keeps its earlier version under its own name (so
        // the recording made before the change still proves the engine unchanged), and the
        // current version is recorded as `<name>-bundled`.
        match std::fs::read_to_string(root().join(BEFORE_ACCESS).join(format!("{name}.toml"))) {
            Ok(before) => {
                v.push((format!("{name}-bundled"), text));
                v.push((name, before));
            }
            Err(_) => v.push((name, text)),
        }
    }
    v.push((
        "tiered-headcount".into(),
        read("tests/data/tiered-headcount.toml"),
    ));
    // Variants of the bundled files that switch on rules no bundled file uses.
    let tiered = read(&format!("{BEFORE_ACCESS}/saas-midmarket-tiered.toml"));
    v.push((
        "variant-tiered-handover".into(),
        edited(
            &tiered,
            &[
                ("pools.0.handover_min", f(5.0)),
                ("pools.1.handover_min", f(10.0)),
            ],
        ),
    ));
    let swarm = read(&format!("{BEFORE_ACCESS}/saas-midmarket-swarm.toml"));
    v.push((
        "variant-swarm-learning-queue-first".into(),
        edited(
            &swarm,
            &[
                ("swarm.priority", toml::Value::String("queue_first".into())),
                ("swarm.learning.gain_per_swarm", f(0.01)),
                ("swarm.learning.max_solo_probability", f(0.4)),
            ],
        ),
    ));
    // The fixtures of tests/theory.rs and tests/models.rs.
    v.push((
        "theory-mmc-erlang-c".into(),
        mmc_toml(80.0, 6.0, 10, None, 1.0, REPS, 3.0),
    ));
    v.push((
        "theory-mmc-erlang-a".into(),
        mmc_toml(110.0, 6.0, 10, Some(3.0), 1.0, REPS, 3.0),
    ));
    v.push(("theory-jackson".into(), JACKSON_TOML.to_string()));
    v.push((
        "theory-little".into(),
        edited(
            LITTLE_TOML,
            &[
                ("customers.abandon_to_email_probability", f(0.5)),
                ("demand.daily_dispersion_cv", f(0.2)),
            ],
        ),
    ));
    v.push((
        "theory-chat-concurrency".into(),
        with_pool_keys(
            mmc_toml(200.0, 12.0, 3, None, 1e-6, REPS, 3.0),
            "chat",
            "chat_concurrency = 4",
        ),
    ));
    v.push((
        "theory-occupancy-cap".into(),
        with_pool_keys(
            mmc_toml(24.0, 6.0, 4, None, 1.0, REPS, 3.0),
            "phone",
            "max_occupancy = 0.8",
        ),
    ));
    v.push(("models-swarm-path".into(), SWARM_PATH.to_string()));
    for model in ["swarm", "pooled_tiered", "hybrid"] {
        v.push((
            format!("models-level-one-{model}"),
            level_one_toml(model, ""),
        ));
    }
    v
}

/// The table of one run: `metric,group,replication,bits,value`, plus one hash line per
/// replication for its time series and one per pooled histogram quantile row.
fn table(mc: &MonteCarlo) -> String {
    let mut out = String::from("metric,group,replication,bits,value\n");
    for (r, values) in mc.values.iter().enumerate() {
        for (d, v) in mc.catalog.defs.iter().zip(values) {
            writeln!(
                out,
                "{},\"{}\",{},{:016x},{}",
                d.metric,
                d.group,
                mc.indices[r],
                v.to_bits(),
                v
            )
            .unwrap();
        }
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for x in &mc.rep_series[r] {
            h = (h ^ x.to_bits()).wrapping_mul(0x0100_0000_01b3);
        }
        writeln!(out, "@series_fnv,\"all\",{},{h:016x},0", mc.indices[r]).unwrap();
    }
    for row in mc.summary() {
        if let Some(q) = row.quantiles {
            for (k, x) in q.iter().enumerate() {
                writeln!(
                    out,
                    "@quantile{k}:{},\"{}\",-1,{:016x},{x}",
                    row.metric,
                    row.group,
                    x.to_bits()
                )
                .unwrap();
            }
        }
    }
    out
}

fn parse(text: &str) -> HashMap<(String, String, String), String> {
    text.lines()
        .skip(1)
        .map(|l| {
            // metric,"group",replication,bits,value (groups may hold commas, never quotes)
            let (metric, rest) = l.split_once(",\"").unwrap();
            let (group, rest) = rest.split_once("\",").unwrap();
            let mut it = rest.split(',');
            let rep = it.next().unwrap().to_string();
            let bits = it.next().unwrap().to_string();
            ((metric.to_string(), group.to_string(), rep), bits)
        })
        .collect()
}

#[test]
fn every_metric_of_every_fixture_is_bit_identical_to_the_recording() {
    let bless = std::env::var_os("SUPPORTSIM_BLESS_GOLDEN").is_some();
    let dir = root().join("tests/golden");
    let mut failures = Vec::new();
    for (name, text) in fixtures() {
        let mut s = scenario(&text);
        s.run.replications = REPS;
        // A shard run keeps each replication's time series (hashed into the table).
        let indices: Vec<u32> = (0..REPS).collect();
        let mc = MonteCarlo::run_shard(&s, &indices, &|| {});
        let got = table(&mc);
        let path = dir.join(format!("{name}.csv"));
        if bless {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!("{}: {e}; record with SUPPORTSIM_BLESS_GOLDEN=1", rel(&path))
        });
        let (want, got) = (parse(&want), parse(&got));
        let mut diffs: Vec<String> = want
            .iter()
            .filter(|(k, bits)| got.get(*k) != Some(*bits))
            .map(|((m, g, r), bits)| {
                let now = got.get(&(m.clone(), g.clone(), r.clone()));
                let as_f = |b: &str| f64::from_bits(u64::from_str_radix(b, 16).unwrap_or(0));
                format!(
                    "{m} [{g}] rep {r}: recorded {} ({bits}), now {}",
                    as_f(bits),
                    now.map_or("missing".to_string(), |b| format!("{} ({b})", as_f(b)))
                )
            })
            .collect();
        diffs.sort();
        if !diffs.is_empty() {
            failures.push(format!(
                "{name}: {} of {} values differ, e.g.\n    {}",
                diffs.len(),
                want.len(),
                diffs
                    .iter()
                    .take(8)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("\n    ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "golden values changed:\n{}",
        failures.join("\n")
    );
}

fn rel(p: &Path) -> String {
    p.strip_prefix(root()).unwrap_or(p).display().to_string()
}
