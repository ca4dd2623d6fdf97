//! `supportsim backtest scenario.toml EXPORT.csv --format F`: simulates the history's weeks and
//! puts them beside the history (see `crate::study::backtest`).

use super::common::CommonArgs;
use super::outputs;
use crate::calibrate::history::each_ticket;
use crate::calibrate::{Options, arrivals::next_monday, formats};
use crate::export::backtest::backtest_outputs;
use crate::montecarlo::MonteCarlo;
use crate::scenario::Scenario;
use crate::study::backtest::{self, METRICS, WeekRow, WeekSink, Weeks};
use anyhow::{Context, Result};
use clap::Args;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Arguments of `supportsim backtest`.
#[derive(Debug, Args)]
pub struct BacktestArgs {
    /// Scenario file (TOML).
    pub file: PathBuf,
    /// Ticket export (CSV) of the history to compare with.
    pub export: PathBuf,
    /// zendesk, freshdesk, jsm, servicenow or generic (with --map), as for `calibrate`.
    #[arg(long)]
    pub format: String,
    /// IANA zone of the export's timestamps without an offset; default the scenario's
    /// `demand.timezone`.
    #[arg(long)]
    pub timezone: Option<String>,
    /// Dates, column mapping, units, channel and bad rows, as for `calibrate`.
    #[command(flatten)]
    pub read: super::calibrate::ReadArgs,
    /// Replications, seed, threads, output folder (default `outputs/<name>-backtest/`), quiet.
    #[command(flatten)]
    pub common: CommonArgs,
}

fn read_export(
    path: &Path,
    opts: &Options,
    s: &Scenario,
    f: impl FnMut(&crate::calibrate::history::HistoryTicket),
) -> Result<crate::calibrate::history::HistorySummary> {
    let file = std::fs::File::open(path)
        .with_context(|| format!("{}: cannot open the export", path.display()))?;
    each_ticket(
        std::io::BufReader::with_capacity(1 << 16, file),
        opts,
        &s.demand.priority_names,
        &s.demand.segment_names,
        f,
    )
    .with_context(|| format!("{}", path.display()))
}

pub(super) fn backtest(args: &BacktestArgs) -> Result<()> {
    args.common.check_values(2)?;
    let s = super::load::scenario(&args.file)?;
    // Two passes over the export (its span, then its weeks) need a file that can be read twice.
    if args.export == Path::new("-") || std::fs::metadata(&args.export).is_ok_and(|m| !m.is_file())
    {
        anyhow::bail!(
            "{}: backtest reads the export twice (its span, then its weeks), so it needs a regular file, not standard input or a pipe; save the export to a file first",
            args.export.display()
        );
    }
    anyhow::ensure!(
        s.trace.is_none(),
        "{}: demand.trace replays arrivals; a backtest checks the modelled arrival process, so \
         remove the trace key",
        args.file.display()
    );
    let format = formats::Format::from_name(&args.format)
        .filter(|f| *f != formats::Format::Intervals)
        .with_context(|| {
            format!(
                "--format {:?}: use zendesk, freshdesk, jsm, servicenow or generic",
                args.format
            )
        })?;
    let mut opts = Options::new(format)
        .with_timezone(args.timezone.as_deref().unwrap_or(&s.raw.demand.timezone))?;
    super::calibrate::export_options(&mut opts, &args.read)?;

    // Pass 1: the span, in the scenario's zone. The first and last days may be partial, so
    // the weeks compared are the whole local weeks (Monday 00:00) strictly between them.
    let tz = s.run.timezone.clone();
    let mut per_day: std::collections::BTreeMap<jiff::civil::Date, u64> = Default::default();
    read_export(&args.export, &opts, &s, |t| {
        *per_day.entry(tz.to_datetime(t.created).date()).or_default() += 1;
    })?;
    let (first, last) = match (per_day.keys().next(), per_day.keys().next_back()) {
        (Some(&a), Some(&b)) => (a, b),
        _ => anyhow::bail!("{}: the export has no tickets", args.export.display()),
    };
    let week0 = next_monday(first);
    let weeks = ((last - week0).get_days().max(0) / 7) as u32;
    anyhow::ensure!(
        weeks >= 1,
        "{}: the history ({first} to {last}) holds no whole week from Monday to Sunday between \
         its first and last days",
        args.export.display()
    );

    // The simulation covers the whole history: a long export (or one stray old row) is the
    // export's problem, not the scenario's run.horizon_days.
    let sim_days = s.raw.run.warmup_days.max(0.0).ceil()
        + f64::from(weeks) * 7.0
        + s.raw.run.drain_days.max(0.0);
    let max_days = crate::scenario::limits::MAX_SPAN_DAYS;
    anyhow::ensure!(
        sim_days <= max_days,
        "{}: the history runs from {first} to {last} ({weeks} whole weeks); a backtest simulates all of it, and warm-up + history + drain ({sim_days:.0} days) must stay within {max_days:.0} days (10 years): export a shorter period, or remove stray rows with far-off dates",
        args.export.display()
    );
    // A stray row with a wrong date would make the backtest simulate, and flag, a year of
    // empty weeks: refused as calibrate refuses it.
    if let Some(g) =
        crate::calibrate::arrivals::longest_gap(per_day.iter().map(|(d, n)| (*d, *n as f64)))
    {
        anyhow::bail!(
            "{}: the history has no tickets for {} days, from {} to {}: {} ticket(s) lie {} the gap (a stray row with a wrong date?); remove them, or export only the period to backtest",
            args.export.display(),
            g.days,
            g.after,
            g.before,
            g.small,
            g.side
        );
    }
    let mut bs = backtest::backtest_scenario(&s, &args.file, week0, weeks).with_context(|| {
        format!(
            "{}: the file moved to the history's {weeks} weeks ({first} to {last}) does not validate",
            args.file.display()
        )
    })?;
    if let Some(n) = args.common.replications {
        bs.run.replications = n;
    }
    if let Some(seed) = args.common.seed {
        bs.run.seed = seed;
    }
    args.common.budget(
        &bs,
        crate::budget::Work::simulations(1, bs.run.replications, args.common.thread_count()),
    )?;
    let dir = args
        .common
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("outputs").join(format!("{}-backtest", s.name)));
    let out = outputs::prepare(&dir, args.common.force, args.common.quiet)?;

    // Pass 2: the history's weeks.
    let mut hist = Weeks::new(&bs, week0, weeks)?;
    let summary = read_export(&args.export, &opts, &bs, |t| {
        let m = hist.sim_min(t.created);
        hist.add(
            &bs,
            m,
            t.priority,
            t.segment,
            t.first_response_min,
            t.resolution_min,
        );
    })?;
    let history = hist.values();

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.common.threads.unwrap_or(0))
        .build()
        .context("cannot start worker threads")?;
    let reps = bs.run.replications;
    let bar = super::progress_bar(reps as u64, args.common.quiet);
    bar.set_message(format!("{} backtest", s.name));
    let sims: Mutex<Vec<(u32, Vec<[f64; 7]>)>> = Mutex::new(Vec::new());
    let empty = Weeks::new(&bs, week0, weeks)?;
    let tick = || {
        bar.inc(1);
        outputs::checkpoint();
    };
    pool.install(|| {
        MonteCarlo::run_with_sinks(
            &bs,
            reps,
            &tick,
            |_| WeekSink {
                s: &bs,
                weeks: empty.clone(),
            },
            |i, k: WeekSink| {
                sims.lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push((i, k.weeks.values()));
            },
        )
    });
    bar.finish_and_clear();
    let mut sims = sims.into_inner().unwrap_or_else(|e| e.into_inner());
    sims.sort_by_key(|x| x.0);
    let sims: Vec<Vec<[f64; 7]>> = sims.into_iter().map(|x| x.1).collect();
    let rows = backtest::compare(week0, &history, &sims);

    let mut set = backtest_outputs(&s.name, &rows, args.common.xlsx)?;
    set.add(
        "backtest_info.toml",
        format!(
            "# Provenance of this backtest\nsupportsim_version = \"{}\"\nscenario_file = {:?}\nexport = {:?}\nfirst_week = \"{week0}\"\nweeks = {weeks}\nseed = {}\nreplications = {reps}\nrows_read = {}\nbad_rows = {}\npriority_unknown = {}\nsegment_unknown = {}\n",
            env!("CARGO_PKG_VERSION"),
            args.file.display().to_string(),
            args.export.display().to_string(),
            bs.run.seed,
            summary.rows,
            summary.bad_rows,
            summary.priority_unknown,
            summary.segment_unknown,
        )
        .into_bytes(),
    );
    let done = outputs::commit(out, &set)?;
    if args.common.quiet {
        return Ok(());
    }
    let mut o = std::io::stdout().lock();
    print_summary(&mut o, &s.name, &rows, reps, &summary)?;
    outputs::print_written(&mut o, &done, "")?;
    Ok(())
}

fn show(metric: usize, x: f64) -> String {
    if !x.is_finite() {
        return "-".into();
    }
    match METRICS[metric].1 {
        "fraction" => format!("{:.1}%", x * 100.0),
        "tickets" => format!("{x:.0}"),
        _ => crate::format::human_min(x),
    }
}

/// The per-metric counts of weeks outside, then the flagged weeks, laid out for the terminal.
fn print_summary(
    o: &mut impl Write,
    name: &str,
    rows: &[WeekRow],
    reps: u32,
    summary: &crate::calibrate::history::HistorySummary,
) -> Result<()> {
    let n = rows.len();
    writeln!(
        o,
        "{name}: backtest over {n} weeks from {} ({reps} replications).",
        rows.first().map_or(String::new(), |r| r.start.to_string()),
    )?;
    writeln!(
        o,
        "A week is flagged when the history lies outside the central 95% of the replications;"
    )?;
    writeln!(
        o,
        "a right scenario is flagged in about {:.1} weeks per metric by chance.",
        backtest::miss_rate(reps) * n as f64
    )?;
    let mut t = super::table::new();
    t.set_header(vec![
        "metric",
        "weeks outside",
        "history (mean)",
        "simulated (mean)",
    ]);
    for (k, (metric, _)) in METRICS.iter().enumerate() {
        let finite: Vec<&WeekRow> = rows.iter().filter(|r| r.history[k].is_finite()).collect();
        if finite.is_empty() {
            let why = if k > 0 && k < 3 && !summary.has_first_response {
                "no first-response column"
            } else if (3..5).contains(&k) && !summary.has_resolution {
                "no solved column"
            } else {
                "no data"
            };
            t.add_row(vec![metric.to_string(), "-".into(), why.into(), "-".into()]);
            continue;
        }
        let mean = |f: &dyn Fn(&WeekRow) -> f64| {
            let v: Vec<f64> = finite
                .iter()
                .map(|r| f(r))
                .filter(|x| x.is_finite())
                .collect();
            v.iter().sum::<f64>() / v.len().max(1) as f64
        };
        t.add_row(vec![
            metric.to_string(),
            format!(
                "{} of {}",
                finite.iter().filter(|r| r.outside[k]).count(),
                finite.len()
            ),
            show(k, mean(&|r| r.history[k])),
            show(k, mean(&|r| r.sim_mean[k])),
        ]);
    }
    writeln!(o, "{t}")?;
    for note in &summary.notes {
        writeln!(o, "note: {note}")?;
    }
    let flagged: Vec<(&WeekRow, usize)> = rows
        .iter()
        .flat_map(|r| (0..7).filter(|k| r.outside[*k]).map(move |k| (r, k)))
        .collect();
    if flagged.is_empty() {
        writeln!(o, "no week is outside the simulation's 95% range")?;
        return Ok(());
    }
    let mut t = super::table::new();
    t.set_header(vec![
        "week of",
        "metric",
        "history",
        "simulated 95% range",
        "",
    ]);
    for (r, k) in flagged.iter().take(40) {
        t.add_row(vec![
            r.start.to_string(),
            METRICS[*k].0.to_string(),
            show(*k, r.history[*k]),
            format!(
                "{} to {}",
                show(*k, r.sim_low[*k]),
                show(*k, r.sim_high[*k])
            ),
            if r.history[*k] > r.sim_high[*k] {
                "above".into()
            } else {
                "below".into()
            },
        ]);
    }
    writeln!(o, "{t}")?;
    if flagged.len() > 40 {
        writeln!(o, "... and {} more in backtest.csv", flagged.len() - 40)?;
    }
    Ok(())
}
