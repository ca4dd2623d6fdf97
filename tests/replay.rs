//! Issue 16 parts 5 and 6: arrival traces (`[demand] trace`) and the starting backlog
//! (`[initial_state]`). Exact checks on deterministic fixtures (clearing time, Little's law
//! area, conservation), the export -> trace round trip, and the refusals.

use crate::common::{
    OnePool, est, file_refusal as refusal, load_file as load, write_file as write,
};
use polars::prelude::*;
use std::path::Path;
use supportsim::engine::{simulate, simulate_with_sink};
use supportsim::measure::Catalog;
use supportsim::measure::{TicketRecord, TicketSink};
use supportsim::montecarlo::MonteCarlo;
use supportsim::scenario::Scenario;

#[derive(Default)]
struct VecSink(Vec<TicketRecord>);

impl TicketSink for VecSink {
    fn record(&mut self, r: &TicketRecord) {
        self.0.push(*r);
    }
}

/// One pool of `c` agents on duty around the clock, fixed work `w` minutes, `n` open P1
/// tickets of age 60 min at L1, and either no arrivals (an empty trace) or Poisson P4
/// arrivals at `per_hour`.
fn clearing_toml(n: u32, c: u32, w: f64, per_hour: Option<f64>) -> String {
    OnePool {
        name: "clearing",
        replications: 4,
        seed: 11,
        days: (0.0, 3.0, 0.0),
        channel: "email",
        trace: per_hour.is_none(),
        per_hour: per_hour.unwrap_or(1.0),
        priority: "P4",
        agents: c,
        work: &w.to_string(),
        tail: &format!(
            "[[sla]]\nresolution = {{ target_min = 100, goal = 0.8 }}\n[initial_state]\n\
             [[initial_state.open]]\nstage = \"L1\"\npriority = \"P1\"\ncount = {n}\nage_min = 60\n"
        ),
    }
    .toml()
}

/// Departure times of the backlog on `c` agents with fixed work `w`: ticket k leaves at
/// (k / c + 1) w, so the last at ceil(n / c) w.
fn departures(n: u32, c: u32, w: f64) -> Vec<f64> {
    (0..n).map(|k| f64::from(k / c + 1) * w).collect()
}

#[test]
fn a_backlog_of_n_tickets_on_c_agents_with_fixed_work_clears_at_ceil_n_over_c_times_w() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "none.csv",
        "arrival_min,channel,priority,segment\n",
    );
    for (n, c, w) in [
        (10u32, 3u32, 30.0),
        (400, 7, 12.5),
        (5, 8, 45.0),
        (64, 4, 7.0),
    ] {
        let path = write(dir.path(), "clear.toml", &clearing_toml(n, c, w, None));
        let s = load(&path);
        let mc = MonteCarlo::run(&s, s.run.replications, &|| {});
        let want_h = f64::from(n.div_ceil(c)) * w / 60.0;
        let got = est(&mc, "backlog_clear_time_h", "all");
        eprintln!(
            "n {n} c {c} w {w}: backlog_clear_time_h {} (want {want_h})",
            got.mean
        );
        assert_eq!(got.mean, want_h, "n {n} c {c} w {w}");
        assert_eq!(got.std_error, 0.0, "deterministic in every replication");
        assert_eq!(est(&mc, "backlog_tickets", "all").mean, f64::from(n));
        // Little's law over the window: the area under tickets-in-system is the sum of the
        // time each ticket spent in the window (all start at 0, none arrive).
        let dep = departures(n, c, w);
        let area: f64 = dep.iter().sum();
        let horizon = 3.0 * 1440.0;
        let in_sys = est(&mc, "tickets_in_system_mean", "all").mean;
        assert!(
            (in_sys * horizon - area).abs() <= 1e-9 * area,
            "area {} vs {area}",
            in_sys * horizon
        );
        // Resolution time counts the age: 60 + mean departure.
        let res = est(&mc, "resolution_time_min", "origin=backlog").mean;
        let want_res = 60.0 + area / f64::from(n);
        assert!((res - want_res).abs() < 1e-9, "{res} vs {want_res}");
        // Within 100 min of opening: departures at most 40 min after t = 0.
        let met = dep.iter().filter(|&&d| 60.0 + d <= 100.0).count() as f64 / f64::from(n);
        assert_eq!(
            est(&mc, "sla_resolution_attainment", "origin=backlog").mean,
            met
        );
        assert_eq!(est(&mc, "tickets_resolved", "origin=new").mean, 0.0);
        assert_eq!(est(&mc, "tickets_arrived", "all").mean, 0.0);
    }
}

#[test]
fn new_low_priority_arrivals_do_not_delay_a_higher_priority_backlog_and_tickets_are_conserved() {
    let dir = tempfile::tempdir().unwrap();
    let (n, c, w) = (90u32, 4u32, 20.0);
    let path = write(dir.path(), "clear.toml", &clearing_toml(n, c, w, Some(6.0)));
    let s = load(&path);
    let mc = MonteCarlo::run(&s, s.run.replications, &|| {});
    let want_h = f64::from(n.div_ceil(c)) * w / 60.0;
    assert_eq!(est(&mc, "backlog_clear_time_h", "all").mean, want_h);
    let cat = Catalog::new(&s);
    for r in 0..s.run.replications {
        let v = simulate(&s, &cat, r).values;
        let at = |m: &str, g: &str| v[cat.find(m, g).unwrap()];
        let arrived = at("tickets_arrived", "all");
        assert!(
            arrived > 300.0,
            "Poisson arrivals at 6/h over 3 days: {arrived}"
        );
        let out = at("tickets_resolved", "all")
            + at("tickets_abandoned", "all")
            + at("tickets_unresolved_at_end", "all")
            + at("tickets_deflected", "all");
        assert_eq!(arrived + at("backlog_tickets", "all"), out, "rep {r}");
        for m in ["tickets_resolved", "tickets_unresolved_at_end"] {
            assert_eq!(
                at(m, "origin=new") + at(m, "origin=backlog"),
                at(m, "all"),
                "{m} rep {r}"
            );
        }
        assert_eq!(at("tickets_resolved", "origin=backlog"), f64::from(n));
    }
}

#[test]
fn without_a_backlog_the_new_arrivals_keep_their_numbers() {
    // Common random numbers: the backlog draws from its own stream, so the new tickets of a
    // run with a backlog get the same keys (here: the same arrivals) as without one.
    let dir = tempfile::tempdir().unwrap();
    let with = load(&write(
        dir.path(),
        "a.toml",
        &clearing_toml(30, 4, 20.0, Some(6.0)),
    ));
    let text = clearing_toml(30, 4, 20.0, Some(6.0));
    let without_text = text.split("[initial_state]").next().unwrap().to_string();
    let without = load(&write(dir.path(), "b.toml", &without_text));
    let arrivals = |s: &Scenario| {
        let mut sink = VecSink::default();
        simulate_with_sink(s, &Catalog::new(s), 0, &mut sink);
        let mut a: Vec<(u64, u64)> = sink
            .0
            .iter()
            .filter(|r| !r.backlog)
            .map(|r| (r.ticket, r.arrival_min.to_bits()))
            .collect();
        a.sort();
        a
    };
    assert_eq!(arrivals(&with), arrivals(&without));
}

/// The bundled tiered file, cut to a replayable run: no warm-up, no drain (the export holds
/// measured tickets only), three weeks (the surge is on day 17).
fn replayable_tiered() -> String {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/saas-midmarket-tiered.toml"
    ))
    .unwrap();
    text.replace("warmup_days = 7 ", "warmup_days = 0 ")
        .replace("horizon_days = 28 ", "horizon_days = 21 ")
        .replace("drain_days = 21 ", "drain_days = 0 ")
}

#[test]
fn a_runs_own_ticket_export_replayed_as_a_trace_reproduces_the_run_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let text = replayable_tiered();
    assert!(text.contains("warmup_days = 0 ") && text.contains("drain_days = 0 "));
    let orig_path = write(dir.path(), "orig.toml", &text);
    let out = dir.path().join("out");
    assert_cmd::Command::new(env!("CARGO_BIN_EXE_supportsim"))
        .args(["run"])
        .arg(&orig_path)
        .args(["--replications", "2", "--quiet", "--tickets", "--out"])
        .arg(&out)
        .assert()
        .success();
    // The one-step mapping: the Parquet part of a replication, written as CSV.
    let orig = load(&orig_path);
    let replay_text = text.replacen("[demand]\n", "[demand]\ntrace = \"arrivals.csv\"\n", 1);
    let replay_path = write(dir.path(), "replay.toml", &replay_text);
    for rep in 0..2u32 {
        let f = std::fs::File::open(out.join(format!("tickets/part-{rep:05}.parquet"))).unwrap();
        let df = ParquetReader::new(f).finish().unwrap();
        // Zoned `arrival_time` as RFC 3339 text, as every table's CSV writes it.
        let mut df = supportsim::export::keys::csv_ready(&df)
            .unwrap()
            .unwrap_or(df);
        let rows = df.height();
        let mut csv = std::fs::File::create(dir.path().join("arrivals.csv")).unwrap();
        CsvWriter::new(&mut csv).finish(&mut df).unwrap();
        drop(csv);
        let replay = load(&replay_path);
        assert_eq!(replay.trace.as_ref().unwrap().rows.len(), rows);
        let cat = Catalog::new(&orig);
        assert_eq!(Catalog::new(&replay).defs.len(), cat.defs.len());
        let (mut a, mut b) = (VecSink::default(), VecSink::default());
        let va = simulate_with_sink(&orig, &cat, rep, &mut a).values;
        let vb = simulate_with_sink(&replay, &cat, rep, &mut b).values;
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        let differ: Vec<_> = cat
            .defs
            .iter()
            .zip(va.iter().zip(&vb))
            .filter(|(_, (x, y))| x.to_bits() != y.to_bits())
            .map(|(d, (x, y))| format!("{} [{}]: {x} vs {y}", d.metric, d.group))
            .collect();
        assert!(differ.is_empty(), "rep {rep}: {}", differ.join("\n"));
        assert_eq!(bits(&va), bits(&vb));
        // Debug text: NaN fields (no first response) compare equal.
        assert_eq!(
            format!("{:?}", a.0),
            format!("{:?}", b.0),
            "every ticket record identical"
        );
        let changed =
            a.0.iter()
                .filter(|r| r.channel != r.arrival_channel)
                .count();
        eprintln!(
            "round trip rep {rep}: {rows} rows, {} metrics bit-identical, {changed} tickets changed channel",
            cat.defs.len()
        );
    }
}

/// A one-pool scenario replaying `trace.csv` (random exponential work and patience).
const TRACE_TOML: &str = r#"
name = "trace"
[run]
warmup_days = 0
horizon_days = 2
drain_days = 1
replications = 2
seed = 5
[demand]
trace = "trace.csv"
tickets_per_hour = 10
channels = { email = 0.5, phone = 0.5 }
priorities = { P3 = 1.0 }
segments = { smb = 0.5, enterprise = 0.5 }
required_level = { 1 = 0.8, 2 = 0.2 }
[[pools]]
name = "l1"
headcount = 2
[[pools]]
name = "l2"
headcount = 1
[[tiers]]
level = 1
pool = "l1"
work_time.default = { dist = "exponential", mean_min = 9 }
[[tiers]]
level = 2
pool = "l2"
work_time.default = { dist = "exponential", mean_min = 20 }
[customers.patience]
phone = { dist = "exponential", mean_min = 10 }
[[sla]]
first_response = { target_min = 30, goal = 0.8 }
"#;

fn trace_csv(n: usize) -> String {
    let mut s = String::from("arrival_min,channel,priority,segment,work_min\n");
    for i in 0..n {
        let t = i as f64 * 2880.0 / n as f64 + (i % 7) as f64 * 0.37;
        let ch = if i % 3 == 0 { "phone" } else { "email" };
        let seg = if i % 5 == 0 { "enterprise" } else { "smb" };
        let work = if i % 10 == 0 { "4.5" } else { "" };
        s.push_str(&format!("{t},{ch},P{},{seg},{work}\n", 1 + i % 4));
    }
    s
}

#[test]
fn replications_of_a_trace_share_the_arrivals_and_differ_in_the_waits() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "trace.csv", &trace_csv(480));
    let s = load(&write(dir.path(), "t.toml", TRACE_TOML));
    let cat = Catalog::new(&s);
    let recs: Vec<Vec<TicketRecord>> = (0..2)
        .map(|r| {
            let mut k = VecSink::default();
            simulate_with_sink(&s, &cat, r, &mut k);
            k.0.sort_by_key(|r| r.ticket);
            k.0
        })
        .collect();
    assert_eq!(recs[0].len(), 480);
    assert_eq!(recs[1].len(), 480);
    let key = |r: &TicketRecord| {
        (
            r.arrival_min.to_bits(),
            r.arrival_channel,
            r.arrival_priority,
            r.segment,
        )
    };
    let same = recs[0].iter().zip(&recs[1]).all(|(a, b)| key(a) == key(b));
    assert!(same, "both replications replay the same arrivals");
    let levels_differ = recs[0]
        .iter()
        .zip(&recs[1])
        .any(|(a, b)| a.required_level != b.required_level);
    assert!(
        levels_differ,
        "required_level is absent, so drawn per replication"
    );
    let waits_differ = recs[0]
        .iter()
        .zip(&recs[1])
        .filter(|(a, b)| a.first_response_min.to_bits() != b.first_response_min.to_bits())
        .count();
    eprintln!("trace: 480 arrivals in both replications, {waits_differ} first responses differ");
    assert!(waits_differ > 100, "{waits_differ}");
    let v0 = simulate(&s, &cat, 0).values;
    let v1 = simulate(&s, &cat, 1).values;
    let i = cat.find("tickets_arrived", "all").unwrap();
    assert_eq!(v0[i], 480.0);
    assert_eq!(v0[i], v1[i]);
    let j = cat.find("first_response_time_min", "all").unwrap();
    assert_ne!(v0[j], v1[j]);
}

/// A trace saved by a spreadsheet in a European locale (`;` between fields, decimal commas)
/// replays exactly the arrivals of the same trace written with commas.
#[test]
fn a_semicolon_separated_trace_with_decimal_commas_replays_the_same_arrivals() {
    let dir = tempfile::tempdir().unwrap();
    let comma = trace_csv(480);
    let semicolon = comma.replace(',', ";").replace('.', ",");
    assert!(semicolon.contains("4,5") && !semicolon.contains('.'));
    let run = |csv: &str| {
        write(dir.path(), "trace.csv", csv);
        let s = load(&write(dir.path(), "t.toml", TRACE_TOML));
        let cat = Catalog::new(&s);
        simulate(&s, &cat, 0).values
    };
    let (a, b) = (run(&comma), run(&semicolon));
    assert_eq!(a.len(), b.len());
    let same = a.iter().zip(&b).all(|(x, y)| x.to_bits() == y.to_bits());
    assert!(same, "the two dialects replay the same tickets");
}

#[test]
fn bad_trace_rows_are_refused_naming_file_row_column_and_fix() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "t.toml", TRACE_TOML);
    write(
        dir.path(),
        "trace.csv",
        "arrival_min,channel,priority,segment,required_level,work_min\n\
         1,email,P1,smb,,\n\
         2,fax,P1,smb,,\n\
         -3,email,P1,smb,,\n\
         4,email,P9,smb,,\n\
         5,email,P1,nobody,,\n\
         6,email,P1,smb,3,\n\
         7,email,P1,smb,1,-2\n",
    );
    let e = refusal(&path);
    eprintln!("{e}");
    for want in [
        "demand.trace",
        "trace.csv row 2 (line 3), column `channel`: unknown channel \"fax\"; use one of email, chat, phone",
        "row 3 (line 4), column `arrival_min`",
        "row 4 (line 5), column `priority`",
        "row 5 (line 6), column `segment`: unknown segment \"nobody\"",
        "row 6 (line 7), column `required_level`: level 3 has no tier",
        "row 7 (line 8), column `work_min`",
    ] {
        assert!(e.contains(want), "missing {want:?} in:\n{e}");
    }
    // A quoted line break in an extra column: the line is the record's own, not row + 1.
    write(
        dir.path(),
        "trace.csv",
        "arrival_min,channel,priority,segment,note\n\
         1,email,P1,smb,\"two\nlines\"\n\
         2,fax,P1,smb,\n",
    );
    let e = refusal(&path);
    assert!(
        e.contains("trace.csv row 2 (line 4), column `channel`"),
        "{e}"
    );
    write(dir.path(), "trace.csv", "time,channel\n1,email\n");
    let e = refusal(&path);
    assert!(
        e.contains("missing column(s) arrival_min, priority, segment"),
        "{e}"
    );
    write(
        dir.path(),
        "trace.csv",
        "replication,arrival_min,channel,priority,segment\n0,1,email,P1,smb\n1,2,email,P1,smb\n",
    );
    assert!(refusal(&path).contains("keep one replication's rows"));
    std::fs::remove_file(dir.path().join("trace.csv")).unwrap();
    let e = refusal(&path);
    assert!(
        e.contains("demand.trace: cannot read") && e.contains("trace.csv"),
        "{e}"
    );
}

#[test]
fn bad_initial_state_is_refused_naming_the_key_and_fix() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "none.csv",
        "arrival_min,channel,priority,segment\n",
    );
    let base = clearing_toml(3, 1, 5.0, None);
    let bad = base
        .replace("stage = \"L1\"", "stage = \"L7\"")
        .replace("age_min = 60", "age_min = -1")
        .replace("warmup_days = 0", "warmup_days = 1");
    let e = refusal(&write(dir.path(), "b.toml", &bad));
    eprintln!("{e}");
    for want in [
        "initial_state.open[0].stage: unknown stage \"L7\"; use one of L1",
        "initial_state.open[0].age_min: must be minutes from 0 to 100000000",
        "run.warmup_days: must be 0 with [initial_state]",
    ] {
        assert!(e.contains(want), "missing {want:?} in:\n{e}");
    }
    // From a file of open tickets.
    let with_file = base.replace(
        "[initial_state]\n",
        "[initial_state]\nfile = \"open.csv\"\n",
    );
    let path = write(dir.path(), "f.toml", &with_file);
    write(
        dir.path(),
        "open.csv",
        "stage,priority,age_min,responded\nL1,P2,30,true\nL1,P2,abc,false\nL2,P2,5,\n",
    );
    let e = refusal(&path);
    assert!(
        e.contains("open.csv row 2 (line 3), column `age_min`"),
        "{e}"
    );
    assert!(
        e.contains("row 3 (line 4), column `stage`: unknown stage \"L2\""),
        "{e}"
    );
    write(
        dir.path(),
        "open.csv",
        "stage,priority,age_min,responded\nL1,P2,30,true\nL1,P3,10,\n",
    );
    let s = load(&path);
    let b = s.backlog.as_ref().unwrap();
    assert_eq!(b.tickets.len(), 5, "3 counted + 2 from the file");
    assert_eq!(b.tickets[0].age_min, 60.0, "oldest first");
}

#[test]
fn the_bundled_backlog_scenario_reports_clearing_and_origin_groups() {
    let s = load(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/saas-midmarket-backlog.toml"
    )));
    let cat = Catalog::new(&s);
    let v = simulate(&s, &cat, 0).values;
    let at = |m: &str, g: &str| v[cat.find(m, g).unwrap_or_else(|| panic!("{m} {g}"))];
    let clear = at("backlog_clear_time_h", "all");
    eprintln!(
        "bundled backlog: {} tickets clear in {clear:.1} h; resolution SLA backlog {:.3} vs new {:.3}",
        at("backlog_tickets", "all"),
        at("sla_resolution_attainment", "origin=backlog"),
        at("sla_resolution_attainment", "origin=new"),
    );
    assert_eq!(at("backlog_tickets", "all"), 640.0);
    assert!(clear.is_finite() && clear > 0.0);
}

/// An email-only pool replaying a trace three times the volume keys' rate.
const TRACE_LOAD_TOML: &str = r#"
name = "trace-load"
[run]
warmup_days = 0
horizon_days = 2
drain_days = 1
replications = 12
seed = 9
[demand]
trace = "trace.csv"
tickets_per_hour = 20
channels = { email = 1.0 }
priorities = { P3 = 1.0 }
segments = { smb = 1.0 }
required_level = { 1 = 1.0 }
[[pools]]
name = "l1"
headcount = 18
[[tiers]]
level = 1
pool = "l1"
work_time.default = { dist = "exponential", mean_min = 9 }
"#;

#[test]
fn the_load_estimate_of_a_trace_follows_its_arrivals_and_matches_the_simulation() {
    use supportsim::model::load::pool_loads;
    let dir = tempfile::tempdir().unwrap();
    // One arrival a minute over the two measured days: 60/h, three times the keys' 20/h.
    let mut csv = String::from("arrival_min,channel,priority,segment\n");
    for i in 0..2880 {
        csv.push_str(&format!("{}.5,email,P3,smb\n", i));
    }
    write(dir.path(), "trace.csv", &csv);
    let s = load(&write(dir.path(), "t.toml", TRACE_LOAD_TOML));
    let l = &pool_loads(&s)[0];
    // 60/h x 9 min = 9 erlangs over 18 agents; the keys alone would say 3 erlangs.
    assert!((l.offered_erlangs - 9.0).abs() < 1e-9, "{l:?}");
    assert!((l.tickets_per_week - 60.0 * 168.0).abs() < 1e-6, "{l:?}");
    let mc = MonteCarlo::run(&s, s.run.replications, &|| {});
    let u = est(&mc, "utilisation", "pool=l1");
    println!(
        "trace load: estimated utilisation {:.4}, simulated {:.4} +- {:.4} (SE)",
        l.utilisation, u.mean, u.std_error
    );
    // Work started before the window's end but done after it is the only bias (< 9 min of
    // 2880 per agent, 0.3%).
    assert!(
        (u.mean - l.utilisation).abs() < 4.0 * u.std_error + 0.005,
        "estimated {} vs simulated {u:?}",
        l.utilisation
    );
}

#[test]
fn a_trace_with_no_row_in_the_measured_window_warns_instead_of_reporting_silence() {
    let dir = tempfile::tempdir().unwrap();
    // One day of warm-up: rows at minutes 100..500 are simulated but never measured; one
    // row after the end (minute 5000 of a 4,320-minute span) is ignored.
    let toml = TRACE_TOML.replace("warmup_days = 0", "warmup_days = 1");
    let mut csv = String::from("arrival_min,channel,priority,segment\n");
    for i in 1..=5 {
        csv.push_str(&format!("{},email,P3,smb\n", i * 100));
    }
    csv.push_str("99999,email,P3,smb\n");
    write(dir.path(), "trace.csv", &csv);
    let s = load(&write(dir.path(), "t.toml", &toml));
    let text = s.warnings.join("\n");
    assert!(
        text.contains("1 row of") && text.contains("arrives after the run's end"),
        "{text}"
    );
    assert!(
        text.contains("none of the 5 rows of") && text.contains("measured window"),
        "{text}"
    );
    assert!(text.contains("run.warmup_days = 0"), "{text}");
    // With the rows inside the window there is no such warning.
    let s = load(&write(dir.path(), "t.toml", TRACE_TOML));
    assert!(
        !s.warnings.iter().any(|w| w.contains("measured window")),
        "{:?}",
        s.warnings
    );
}

/// A backlog at run.max_open_tickets would stop every replication at its first arrival and
/// report overload; it is refused naming both, with a cap that fits.
#[test]
fn a_backlog_at_the_open_ticket_cap_is_refused_up_front() {
    let dir = tempfile::tempdir().unwrap();
    let text = clearing_toml(50, 2, 10.0, Some(1.0));
    assert!(text.contains("[run]\n"));
    let capped = |cap: u32| text.replace("[run]\n", &format!("[run]\nmax_open_tickets = {cap}\n"));
    let e = refusal(&write(dir.path(), "at.toml", &capped(50)));
    assert!(
        e.contains("initial_state")
            && e.contains(
                "the backlog holds 50 open tickets, at or above run.max_open_tickets (50)"
            )
            && e.contains("e.g. 100"),
        "{e}"
    );
    load(&write(dir.path(), "above.toml", &capped(51)));
}

/// The file as run (`scenario.resolved.toml`, a shard's copy) is written into the output
/// folder; its trace and backlog paths are absolute, so it reads the same files from there.
#[test]
fn the_file_as_run_reads_its_trace_and_backlog_from_another_folder() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "trace.csv", &trace_csv(48));
    write(
        dir.path(),
        "open.csv",
        "stage,priority,age_min\nL1,P1,30\nL1,P2,60\n",
    );
    let text = format!("{TRACE_TOML}\n[initial_state]\nfile = \"open.csv\"\n")
        .replace("warmup_days = 1", "warmup_days = 0");
    let s = load(&write(dir.path(), "t.toml", &text));
    let elsewhere = tempfile::tempdir().unwrap();
    let resolved = write(
        elsewhere.path(),
        "scenario.resolved.toml",
        &toml::to_string(&s.raw).unwrap(),
    );
    let again = load(&resolved);
    assert_eq!(again.raw.demand.trace, s.raw.demand.trace);
    let cat = Catalog::new(&s);
    let (a, b) = (
        simulate(&s, &cat, 0).values,
        simulate(&again, &cat, 0).values,
    );
    assert!(a.iter().zip(&b).all(|(x, y)| x.to_bits() == y.to_bits()));
}

/// A header read at a separator the user did not mean says so, and a column named twice is
/// refused (the first one used to win silently).
#[test]
fn trace_headers_say_their_separator_and_refuse_a_column_named_twice() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "t.toml", TRACE_TOML);
    write(
        dir.path(),
        "trace.csv",
        "arrival_min,channel,priority,segment,notes;a;b;c;d;e\n1,email,P1,smb,x\n",
    );
    let e = refusal(&path);
    assert!(
        e.contains("missing column(s) arrival_min, channel, priority, segment")
            && e.contains("(split at `;`, read from the header line)"),
        "{e}"
    );
    write(
        dir.path(),
        "trace.csv",
        "arrival_min,channel,priority,segment,channel\n0,email,P1,smb,chat\n",
    );
    let e = refusal(&path);
    assert!(
        e.contains("column \"channel\" appears twice in the header"),
        "{e}"
    );
    write(dir.path(), "trace.csv", "");
    let e = refusal(&path);
    assert!(e.contains("the header has no column names"), "{e}");
}
