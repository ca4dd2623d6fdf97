//! `supportsim requirements FILE [--interval 15|30]`: required agents per pool per interval
//! over a typical week (Erlang C / A for live contacts, deferred work spread within its SLA
//! window, occupancy cap and shrinkage applied), next to the file's staffing; see
//! [`crate::study::requirements`].

use super::outputs;
use crate::export::OutputSet;
use crate::export::requirements::{requirements_chart, requirements_df};
use crate::export::tables;
use crate::scenario::Scenario;
use crate::study::requirements::{self, Requirements, Settings};
use anyhow::{Context, Result};
use clap::Args;
use comfy_table::{Table, presets::UTF8_FULL_CONDENSED};
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `supportsim requirements`.
#[derive(Debug, Args)]
pub struct RequirementsArgs {
    /// Scenario file (TOML).
    pub file: PathBuf,
    /// Interval length [minutes].
    #[arg(long, default_value_t = 30, value_parser = clap::builder::TypedValueParser::map(
        clap::builder::PossibleValuesParser::new(["15", "30"]),
        |s: String| s.parse::<u32>().expect("15 or 30"),
    ))]
    pub interval: u32,
    /// Which whole week of the measured window is the typical week (1 = the first after the
    /// warm-up).
    #[arg(long, default_value_t = 1)]
    pub week: u32,
    /// Answer-time limit for every live contact [seconds], 24x7, instead of the file's
    /// first-response targets (with `--live-goal`).
    #[arg(long, requires = "live_goal")]
    pub live_sec: Option<f64>,
    /// Share of live contacts to answer within `--live-sec` (e.g. 0.8).
    #[arg(long, requires = "live_sec")]
    pub live_goal: Option<f64>,
    /// Output folder; default `outputs/requirements-<scenario name>/`.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print nothing but errors.
    #[arg(long)]
    pub quiet: bool,
    /// Write into an output folder that holds files supportsim did not write.
    #[arg(long)]
    pub force: bool,
}

pub(super) fn requirements(args: &RequirementsArgs) -> Result<()> {
    anyhow::ensure!(
        args.week >= 1,
        "--week {}: weeks count from 1 (the first whole week after the warm-up)",
        args.week
    );
    if let (Some(t), Some(g)) = (args.live_sec, args.live_goal) {
        // Checked here, in the flags' own units.
        anyhow::ensure!(
            t.is_finite() && t > 0.0,
            "--live-sec {t}: must be a number of seconds above 0 (e.g. 20)"
        );
        anyhow::ensure!(
            g.is_finite() && g > 0.0 && g <= 1.0,
            "--live-goal {g}: must be a fraction above 0 and at most 1 (e.g. 0.8 for 80%)"
        );
    }
    let s = super::load::scenario(&args.file)?;
    let settings = Settings {
        interval_min: f64::from(args.interval),
        week: args.week - 1,
        live_target: args
            .live_sec
            .zip(args.live_goal)
            .map(|(t, g)| (t / 60.0, g)),
    };
    let r = requirements::requirements(&s, settings)
        .with_context(|| format!("requirements of {}", args.file.display()))?;
    let dir = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("outputs").join(format!("requirements-{}", s.name)));
    let out = outputs::prepare(&dir, args.force, args.quiet)?;
    if !args.quiet {
        for w in &s.warnings {
            eprintln!("warning: {w}");
        }
    }
    let mut set = OutputSet::default();
    let mut df = requirements_df(&r)?;
    set.add("requirements.csv", tables::csv_bytes(&mut df)?);
    set.add("requirements.parquet", tables::parquet_bytes(&mut df)?);
    set.add("gaps.csv", gaps_csv(&r).into_bytes());
    set.add("summary.csv", summary_csv(&r).into_bytes());
    for (p, pool) in r.pools.iter().enumerate() {
        let c = requirements_chart(&s.name, &r, p)?;
        let name = format!("requirements_{}", pool.pool);
        set.add(format!("charts/{name}.svg"), c.svg.into_bytes());
        set.add(format!("charts/{name}.png"), c.png);
    }
    set.add("requirements_info.toml", info(args, &s, &r).into_bytes());
    let done = outputs::commit(out, &set)?;
    if args.quiet {
        return Ok(());
    }
    let mut o = std::io::stdout().lock();
    print_summary(&mut o, &s, &r)?;
    outputs::print_written(&mut o, &done, "")?;
    Ok(())
}

/// The intervals where the file schedules fewer agents than required.
fn gaps_csv(r: &Requirements) -> String {
    let mut out =
        String::from("pool,interval_start,required_scheduled,file_scheduled,gap,live_method\n");
    for p in &r.pools {
        for (j, row) in p.rows.iter().enumerate() {
            if row.gap() < -1e-9 {
                out.push_str(&format!(
                    "{},{},{},{},{},{}\n",
                    p.pool,
                    r.labels[j],
                    row.required_scheduled,
                    row.file_scheduled,
                    row.gap(),
                    row.live_method
                ));
            }
        }
    }
    out
}

fn summary_csv(r: &Requirements) -> String {
    let mut out = String::from(
        "pool,shrinkage,required_agent_hours_per_week,file_agent_hours_per_week,peak_required_scheduled,peak_at,short_intervals,short_agent_hours_per_week\n",
    );
    for p in &r.pools {
        let m = p.summary(r.settings.interval_min);
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{}\n",
            p.pool,
            p.shrinkage,
            m.required_hours,
            m.file_hours,
            m.peak.0,
            r.labels[m.peak.1],
            m.short_intervals,
            m.short_hours
        ));
    }
    out
}

fn info(args: &RequirementsArgs, s: &Scenario, r: &Requirements) -> String {
    format!(
        "# Provenance of this output folder\nsupportsim_version = \"{}\"\nscenario_file = {:?}\nscenario_name = {:?}\ninterval_min = {}\nweek = {}\nweek_start = {:?}\nlive_target = {:?}\ndeferred_default_window_min = {}\n",
        env!("CARGO_PKG_VERSION"),
        args.file.display().to_string(),
        s.name,
        args.interval,
        args.week,
        r.labels.first().cloned().unwrap_or_default(),
        match r.settings.live_target {
            Some((t, g)) => format!("{} s at {g}", t * 60.0),
            None => "the file's first-response targets".into(),
        },
        requirements::DEFAULT_WINDOW_MIN,
    )
}

fn print_summary(out: &mut impl Write, s: &Scenario, r: &Requirements) -> Result<()> {
    writeln!(
        out,
        "staffing requirements of {} — {}-minute intervals over the week from {} ({})",
        s.name,
        r.settings.interval_min,
        r.labels.first().map_or("", String::as_str),
        match r.settings.live_target {
            Some((t, g)) => format!("live contacts: {:.0}% within {} s", g * 100.0, t * 60.0),
            None => "live contacts: the file's first-response targets".into(),
        }
    )?;
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header(vec![
        "pool",
        "required agent-h/week",
        "file agent-h/week",
        "peak required",
        "short intervals",
        "short agent-h/week",
    ]);
    for p in &r.pools {
        let m = p.summary(r.settings.interval_min);
        t.add_row(vec![
            p.pool.clone(),
            format!("{:.0}", m.required_hours),
            format!("{:.0}", m.file_hours),
            format!("{} at {}", m.peak.0, r.labels[m.peak.1]),
            format!("{} of {}", m.short_intervals, p.rows.len()),
            format!("{:.0}", m.short_hours),
        ]);
    }
    writeln!(out, "{t}")?;
    writeln!(
        out,
        "scheduled = ceil(on duty / (1 - shrinkage)); on duty = max(Erlang A/C servers for live contacts (chats / concurrency), (live busy + deferred work spread within its SLA window) / occupancy cap)"
    )?;
    if r.incidents {
        writeln!(
            out,
            "incident tickets and outreach checks count in the interval they arrive in (incident_erlangs), added to live busy + deferred work"
        )?;
    }
    Ok(())
}
