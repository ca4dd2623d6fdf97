//! `supportsim plan`: the capacity plan over months. A plan without hires or attrition is an
//! ordinary run over the same span, bit for bit, and its weekly SLA counts are the invoice
//! weeks'; departures follow the attrition rate within standard errors; a trainee does no
//! work; the search's schedule meets its targets on a fresh seed; bad `[plan]` keys and too
//! long horizons are refused with the key path.

use assert_cmd::Command;
use std::path::Path;
use supportsim::engine::simulate;
use supportsim::measure::Catalog;
use supportsim::scenario::Scenario;
use supportsim::study::plan::{
    self, Hire, Measure, Settings, Span, evaluate::replication, staffing,
};

/// One 24x7 pool (no shrinkage, so the schedule is the headcount), email with first-response
/// and resolution targets, priced by the hour.
fn base(per_hour: f64, heads: u32, plan: &str) -> String {
    format!(
        r#"
name = "plan-test"
[run]
start_date = "2027-01-01"
warmup_days = 0
horizon_days = 7
drain_days = 3
replications = 4
seed = 11
timeseries_interval_min = 60
[demand]
tickets_per_hour = {per_hour}
timezone = "UTC"
channels = {{ email = 1.0 }}
priorities = {{ P2 = 0.3, P3 = 0.7 }}
segments = {{ all = 1.0 }}
required_level = {{ 1 = 1.0 }}
[[pools]]
name = "l1"
headcount = {heads}
cost_per_hour_usd = 40
[[tiers]]
level = 1
pool = "l1"
work_time.default = {{ dist = "exponential", mean_min = 30 }}
[[sla]]
priority = "P2"
first_response = {{ target_hours = 1, goal = 0.8 }}
resolution = {{ target_hours = 2, goal = 0.8 }}
[[sla]]
priority = "P3"
first_response = {{ target_hours = 2, goal = 0.8 }}
[plan]
{plan}
"#
    )
}

fn setup(text: &str) -> plan::Setup {
    let s = Scenario::from_toml_str(text, Path::new("plan.toml")).unwrap_or_else(|e| panic!("{e}"));
    plan::setup(&s, Path::new("plan.toml")).unwrap_or_else(|e| panic!("{e}"))
}

fn refusal(text: &str) -> String {
    let s = Scenario::from_toml_str(text, Path::new("plan.toml")).unwrap_or_else(|e| panic!("{e}"));
    match plan::setup(&s, Path::new("plan.toml")) {
        Ok(_) => panic!("accepted a plan that should be refused:\n{text}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn without_hires_or_attrition_a_plan_is_an_ordinary_run_over_its_span() {
    let text = base(3.0, 2, "horizon_months = 2");
    let st = setup(&text);
    // The ordinary run: the same file with the plan's span as its horizon.
    let mut raw = Scenario::from_toml_str(&text, Path::new("plan.toml"))
        .unwrap()
        .raw;
    raw.run.horizon_days = (st.horizon.end - st.horizon.months[0]) / 1440.0;
    let ordinary = Scenario::from_raw(raw, Path::new("plan.toml")).unwrap();
    assert!(ordinary.run.periods.is_none());
    let cat = Catalog::new(&ordinary);
    assert_eq!(cat.defs.len(), Catalog::new(&st.scenario).defs.len());
    let weeks = ordinary.costs.as_ref().unwrap().weeks.len();
    assert_eq!(weeks, st.horizon.weeks.len());
    for i in 0..3 {
        let plain = simulate(&ordinary, &cat, i);
        let (r, periods) = replication(&st, &cat, &[], ordinary.run.seed, i);
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&plain.values), bits(&r.values), "replication {i}");
        assert_eq!(plain.series.len(), r.series.len());
        // Weekly SLA counts of the plan's periods are the recorder's invoice weeks.
        for w in 0..weeks {
            let ks = st.periods_of(Span::Week(w));
            let cells = periods.sla.len() / st.horizon.periods.len();
            let (mut fr, mut res) = ((0, 0), (0, 0));
            for &k in &ks {
                for c in 0..cells {
                    let x = periods.sla[k * cells + c];
                    fr = (fr.0 + x.fr.0, fr.1 + x.fr.1);
                    res = (res.0 + x.res.0, res.1 + x.res.1);
                }
            }
            let sum = |v: &[(u64, u64)]| {
                (0..ordinary.sla.targets.len())
                    .map(|k| v[k * weeks + w])
                    .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
            };
            assert_eq!(fr, sum(&plain.recorder.week_fr), "week {w} first response");
            assert_eq!(res, sum(&plain.recorder.week_res), "week {w} resolution");
            assert!(fr.0 > 0);
        }
    }
}

#[test]
fn departures_follow_the_monthly_attrition_rate() {
    // 400 agents at 5% a month: expected departures in month m are 400 x 0.95^m x 0.05
    // (a departure is an exponential time with P(leave within a month) = 5%).
    let st = setup(&base(
        3.0,
        400,
        "horizon_months = 3\nattrition = { l1 = 0.05 }",
    ));
    let reps = 60u32;
    let month_min = 30.4375 * 1440.0;
    let start = st.horizon.months[0];
    for m in 0..3 {
        let (a, b) = (
            start + m as f64 * month_min,
            start + (m + 1) as f64 * month_min,
        );
        let counts: Vec<f64> = (0..reps)
            .map(|i| {
                staffing::agents(&st, &[], 11, i)
                    .iter()
                    .filter(|x| x.leaves >= a && x.leaves < b)
                    .count() as f64
            })
            .collect();
        let n = counts.len() as f64;
        let mean = counts.iter().sum::<f64>() / n;
        let sd = (counts.iter().map(|c| (c - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        let expected = 400.0 * 0.95f64.powi(m) * 0.05;
        let se = sd / n.sqrt();
        assert!(
            (mean - expected).abs() < 4.0 * se,
            "month {m}: {mean:.2} departures vs {expected:.2} (SE {se:.2})"
        );
    }
    // Reproducible from seed and replication; another replication draws others.
    assert_eq!(
        staffing::agents(&st, &[], 11, 3),
        staffing::agents(&st, &[], 11, 3)
    );
    assert_ne!(
        staffing::agents(&st, &[], 11, 3),
        staffing::agents(&st, &[], 11, 4)
    );
    // Through the whole pipeline: the monthly departures measure of a plan run.
    let st = setup(&base(
        0.5,
        40,
        "horizon_months = 2\nattrition = { l1 = 0.2 }\nreplications = 12",
    ));
    let e = plan::evaluate(&st, &[], 11, 12, &|| {});
    let d = e.estimate(&st, Span::Month(0), &Measure::Departures(0));
    let expected = 40.0 * 0.2;
    assert!(
        (d.mean - expected).abs() < 4.0 * d.std_error,
        "{:?} vs {expected}",
        d
    );
}

#[test]
fn a_trainee_does_no_work_before_training_ends() {
    let st = setup(&base(3.0, 2, "horizon_months = 2\ntraining_weeks = 2"));
    let date: jiff::civil::Date = "2027-01-08".parse().unwrap();
    let hires = [Hire {
        date,
        pool: 0,
        count: 1,
    }];
    let agents = staffing::agents(&st, &hires, 11, 0);
    let s = staffing::staffed_scenario(&st, &agents);
    let hired_at = st.horizon.minute_of(date).unwrap();
    let trained = hired_at + 14.0 * 1440.0;
    let pool = &s.pools[0];
    for t in [0.0, hired_at, hired_at + 1.0, trained - 15.0] {
        assert_eq!(
            pool.staffed_at(t),
            2,
            "on duty at minute {t} during training"
        );
    }
    assert_eq!(pool.staffed_at(trained), 3);
    assert_eq!(pool.staffed_at(st.horizon.end - 15.0), 3);
    // Paid from the hire date, productive only after training.
    let e = plan::evaluate(&st, &hires, 11, 2, &|| {});
    let w1 = e.estimate(&st, Span::Week(1), &Measure::Productive(0));
    let paid = e.estimate(&st, Span::Week(1), &Measure::Headcount(0));
    assert_eq!(w1.mean, 2.0, "a trainee adds no productive time");
    assert_eq!(paid.mean, 3.0, "a trainee is paid");
    let w3 = e.estimate(&st, Span::Week(3), &Measure::Productive(0));
    assert_eq!(w3.mean, 3.0);
}

#[test]
fn the_search_schedule_meets_the_targets_on_a_fresh_seed() {
    // 2 agents, 1 erlang at the start, volume +20% a month: month 3 needs more agents.
    let st = setup(&base(
        2.0,
        2,
        "horizon_months = 4\ngrowth_per_month = 0.2\ntraining_weeks = 1\nreplications = 8",
    ));
    let targets =
        plan::plan_targets(&["first_response.all.attainment >= 0.8".to_string()], &st).unwrap();
    let settings = Settings {
        targets,
        confidence: 0.95,
        seed: 11,
        replications: 8,
        max_hires: 10,
    };
    let o = plan::search(&st, &settings, &|| {});
    assert_eq!(o.stop, plan::Stop::Met);
    // The same schedule and numbers on one thread (results are folded in replication order).
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let o1 = one.install(|| plan::search(&st, &settings, &|| {}));
    assert_eq!(o1.added, o.added);
    let m = Measure::Backlog;
    for k in 0..4 {
        let (a, b) = (
            o.confirm.values(&st, Span::Month(k), &m),
            o1.confirm.values(&st, Span::Month(k), &m),
        );
        assert_eq!(
            a.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
            b.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
        );
    }
    assert!(!o.added.is_empty(), "growth of 20% a month needs hires");
    let before = plan::search::check_months(&st, &settings, &o.before);
    assert!(
        before.iter().any(|c| !c.met()),
        "the file's staff alone misses"
    );
    for h in &o.added {
        assert_eq!(h.pool, 0);
    }
    let fresh = plan::search::check_months(&st, &settings, &o.confirm);
    assert_ne!(o.confirm.seed, settings.seed);
    for (m, c) in fresh.iter().enumerate() {
        assert!(
            c.met() || !plan::search::reachable(&st, m),
            "month {m} misses on the fresh seed: {:?}",
            c.results
        );
    }
}

#[test]
fn bad_plan_keys_are_refused_with_their_path() {
    let e = refusal(&base(
        3.0,
        2,
        "horizon_months = 2\nattrition = { l9 = 0.1 }",
    ));
    assert!(
        e.contains("plan.attrition.l9") && e.contains("unknown pool"),
        "{e}"
    );
    let e = refusal(&base(
        3.0,
        2,
        "horizon_months = 2\n[[plan.hires]]\ndate = \"2027-01-10\"\npool = \"l1\"\ncount = 0",
    ));
    assert!(e.contains("plan.hires[0].count"), "{e}");
    let e = refusal(&base(3.0, 2, "horizon_months = 2\nvolume_factors = [1.0]"));
    assert!(
        e.contains("plan.volume_factors") && e.contains("one factor per plan month"),
        "{e}"
    );
    // Unknown keys are refused by the parser with their path.
    let text = base(3.0, 2, "horizon_months = 2\ngrowth = 0.1");
    let e = Scenario::from_toml_str(&text, Path::new("plan.toml"))
        .expect_err("unknown key refused")
        .to_string();
    assert!(e.contains("plan") && e.contains("growth"), "{e}");
}

#[test]
fn a_horizon_beyond_18_months_is_refused() {
    let e = refusal(&base(3.0, 2, "horizon_months = 24"));
    assert!(
        e.contains("plan.horizon_months") && e.contains("at most 18 months"),
        "{e}"
    );
}

#[test]
fn the_command_writes_its_tables_and_prints_the_hiring_schedule() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.toml");
    std::fs::write(
        &file,
        base(
            2.0,
            2,
            "horizon_months = 3\ngrowth_per_month = 0.2\nreplications = 4\ntargets = [\"first_response.all.attainment >= 0.8\"]",
        ),
    )
    .unwrap();
    let out = dir.path().join("out");
    let assert = Command::new(env!("CARGO_BIN_EXE_supportsim"))
        .args([
            "plan",
            file.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .env("SUPPORTSIM_COLUMNS", "100")
        .assert()
        .success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(stdout.contains("hiring schedule"), "{stdout}");
    for line in stdout.lines() {
        assert!(
            line.chars().count() <= 100 || line.starts_with("  "),
            "too wide: {line}"
        );
    }
    for f in [
        "plan_monthly.csv",
        "plan_monthly.parquet",
        "plan_weekly.csv",
        "hires.csv",
        "targets.csv",
        "charts/attainment_per_month.svg",
        "charts/headcount_per_month.png",
        "report.html",
    ] {
        assert!(out.join(f).exists(), "{f} missing");
    }
    let monthly = std::fs::read_to_string(out.join("plan_monthly.csv")).unwrap();
    assert!(monthly.contains("sla_first_response_attainment"));
    assert!(monthly.contains("requirement_agents"));
    // Confidence bounds stay where the quantity can be, as in every other table: a share in
    // [0, 1], a count at least 0. On 4 replications the plain t-interval of a weekly
    // attainment near 1 passes 1, so some bounds must have been cut.
    let mut cut = 0;
    for name in ["plan_monthly.csv", "plan_weekly.csv"] {
        let text = std::fs::read_to_string(out.join(name)).unwrap();
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        let col = |n: &str| header.iter().position(|h| *h == n).unwrap();
        let (metric, mean, lo, hi) = (col("metric"), col("mean"), col("ci_low"), col("ci_high"));
        for line in lines {
            let f: Vec<&str> = line.split(',').collect();
            let num = |i: usize| f[i].parse::<f64>().ok().filter(|x| x.is_finite());
            let (Some(m), Some(l), Some(h)) = (num(mean), num(lo), num(hi)) else {
                continue;
            };
            assert!(l >= 0.0, "{name}: {line}");
            if f[metric].contains("attainment") || f[metric].contains("utilisation") {
                assert!(h <= 1.0, "{name}: {line}");
                if h == 1.0 && m < 1.0 {
                    cut += 1;
                }
            }
        }
    }
    assert!(cut > 0, "no bound was cut: the check above tested nothing");
}

/// Two tiers with a first-response target only: the target never looks past L1, so a plan can
/// meet it while L2 falls behind without bound. The command must say so, naming the pool and
/// the fix; with L2 staffed for its load it must not.
#[test]
fn a_pool_the_targets_do_not_cover_is_flagged_when_its_load_outgrows_it() {
    let run = |l2_heads: u32| {
        let text = base(
            2.0,
            4,
            "horizon_months = 2\nreplications = 2\ntargets = [\"first_response.all.attainment >= 0.8\"]",
        )
        .replace("required_level = { 1 = 1.0 }", "required_level = { 1 = 0.5, 2 = 0.5 }")
        .replace(
            "[plan]\n",
            &format!(
                "[[pools]]\nname = \"l2\"\nheadcount = {l2_heads}\ncost_per_hour_usd = 60\n\
                 [[tiers]]\nlevel = 2\npool = \"l2\"\n\
                 work_time.default = {{ dist = \"exponential\", mean_min = 90 }}\n[plan]\n"
            ),
        );
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("p.toml");
        std::fs::write(&file, text).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_supportsim"))
            .args(["plan", file.to_str().unwrap(), "--out"])
            .arg(dir.path().join("out"))
            .assert()
            .success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    };
    // 1 ticket/h reaches L2 at 90 min each: 1.5 erlangs on 1 agent.
    let stdout = run(1);
    assert!(
        stdout.contains("warning: pool l2 cannot keep up in every month from")
            && stdout.contains(
                "needs 1.5 productive agents even at full occupancy and the plan gives it 1.0"
            )
            && stdout.contains("--target 'utilisation.l2 <= 0.9'"),
        "{stdout}"
    );
    assert!(!stdout.contains("pool l1 cannot"), "{stdout}");
    // 3 agents for 1.5 erlangs keep up.
    let stdout = run(3);
    assert!(!stdout.contains("cannot keep up"), "{stdout}");
}
