//! `supportsim calibrate EXPORT.csv --format F [--out scenario.toml]` and the hidden
//! `supportsim synth-export`: thin wrappers over `crate::calibrate`.

use crate::calibrate::synth::SynthSpec;
use crate::calibrate::{self, DateOrder, Format, Options, formats};
use crate::scenario::Scenario;
use anyhow::{Context, Result, bail};
use clap::Args;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Arguments of `supportsim calibrate`.
#[derive(Debug, Args)]
pub struct CalibrateArgs {
    /// Ticket export or interval report (CSV); `-` reads standard input.
    pub export: PathBuf,
    /// zendesk, freshdesk, jsm, servicenow, generic (with --map) or intervals.
    #[arg(long)]
    pub format: String,
    /// Scenario file to write; default: standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// IANA zone of the profiles (the account's zone); timestamps without an offset are read
    /// in it. Default UTC.
    #[arg(long)]
    pub timezone: Option<String>,
    /// Dates, column mapping, units, channel and bad rows.
    #[command(flatten)]
    pub read: ReadArgs,
    /// Scenario name; default the --out file's stem, else "calibrated".
    #[arg(long)]
    pub name: Option<String>,
    /// Folder of the fit report (report.html and charts/); default `<out stem>-fit/` beside
    /// `--out` (no report when the scenario goes to standard output without --report).
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// Write no fit report.
    #[arg(long, conflicts_with = "report")]
    pub no_report: bool,
    /// Replace an existing --out file, and keep files in the report folder that supportsim
    /// did not write.
    #[arg(long)]
    pub force: bool,
    /// Print nothing but errors.
    #[arg(long)]
    pub quiet: bool,
}

/// How an export is read, shared by `calibrate` and `backtest` so both read a history the
/// same way.
#[derive(Debug, Args)]
pub struct ReadArgs {
    /// Numeric dates: auto (decided from the values), day-first or month-first.
    #[arg(long, default_value = "auto")]
    pub dates: String,
    /// Column of a role, `ROLE=COLUMN` (comma-separated or repeated): created, solved,
    /// channel, priority, segment, stations, reassignments, work, wait, abandoned; for an
    /// interval report (calibrate only) timestamp, offered, handled, aht. `ROLE=A+B` joins
    /// split columns (`created=Date+Time`). `wait` is the first response [minutes after
    /// creation], `solved` the resolution instant.
    #[arg(long)]
    pub map: Vec<String>,
    /// Unit of plain numbers in the work and wait columns (and an interval report's AHT):
    /// seconds, minutes or hours. Default: the unit a column's name states (`handle_sec`),
    /// else the format's.
    #[arg(long)]
    pub duration_unit: Option<String>,
    /// Every contact is on this channel (email, chat or phone), in place of a channel
    /// column: an ACD or telephony export is all phone.
    #[arg(long)]
    pub channel: Option<String>,
    /// Bad rows to skip (each noted) before failing. Default 0: the first fails.
    #[arg(long, default_value_t = 0)]
    pub max_bad_rows: u64,
}

/// The fit report's folder: `--report`, else `<out stem>-fit/` beside `--out`, else none.
pub(super) fn report_dir(args: &CalibrateArgs) -> Option<PathBuf> {
    if args.no_report {
        return None;
    }
    if let Some(r) = &args.report {
        return Some(r.clone());
    }
    let out = args.out.as_ref()?;
    let stem = out.file_stem()?.to_string_lossy().into_owned();
    Some(out.with_file_name(format!("{stem}-fit")))
}

/// Arguments of `supportsim synth-export`.
#[derive(Debug, Args)]
pub struct SynthArgs {
    /// Export format to write: zendesk, freshdesk, jsm, servicenow, generic, or intervals (an
    /// interval report)
    #[arg(long)]
    pub format: String,
    /// Days of history
    #[arg(long, default_value_t = 182)]
    pub days: u32,
    /// Volume at the start [tickets/week]; it grows over the history
    #[arg(long, default_value_t = 2000.0)]
    pub tickets_per_week: f64,
    /// Seed of the made-up history
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Interval length [minutes] for `--format intervals`
    #[arg(long, default_value_t = 15)]
    pub interval_min: i64,
    /// File to write; default standard output
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace the --out file if it exists
    #[arg(long)]
    pub force: bool,
}

fn format_of(s: &str) -> Result<Format> {
    Format::from_name(s).with_context(|| {
        format!("--format {s:?}: use zendesk, freshdesk, jsm, servicenow, generic or intervals")
    })
}

pub(super) fn calibrate(args: &CalibrateArgs) -> Result<()> {
    let format = format_of(&args.format)?;
    let mut opts = Options::new(format);
    if let Some(tz) = &args.timezone {
        opts = opts.with_timezone(tz)?;
    }
    export_options(&mut opts, &args.read)?;
    opts.name = match &args.name {
        Some(n) => {
            if let Some(problem) = crate::scenario::limits::name_problem(n) {
                bail!("--name {n:?}: {problem}");
            }
            n.clone()
        }
        None => args
            .out
            .as_ref()
            .and_then(|p| p.file_stem())
            .map_or("calibrated".into(), |s| {
                crate::scenario::limits::name_from(&s.to_string_lossy(), "calibrated")
            }),
    };
    // The scenario file is checked before the (possibly long) read, like the report folder:
    // an existing file without --force, a folder or a device fails at once.
    if let Some(out) = &args.out {
        // --force would replace the history being read with the scenario fitted to it.
        if let (Ok(a), Ok(b)) = (
            std::fs::canonicalize(out),
            std::fs::canonicalize(&args.export),
        ) && a == b
        {
            anyhow::bail!(
                "--out {} is the export being read; write the scenario to another file (e.g. --out ours.toml)",
                out.display()
            );
        }
        super::file_out::check(out, "--out", args.force)?;
    }
    // The report folder is checked before the (possibly long) read, so a folder holding
    // foreign files fails at once.
    let report = match report_dir(args) {
        Some(dir) => Some(super::outputs::prepare(&dir, args.force, args.quiet)?),
        None => None,
    };
    opts.source = args
        .export
        .file_name()
        .map_or("standard input".into(), |s| {
            s.to_string_lossy().into_owned()
        });
    let cal = if args.export == Path::new("-") {
        calibrate::calibrate(std::io::stdin().lock(), &opts)
    } else {
        let f = std::fs::File::open(&args.export)
            .with_context(|| format!("{}: cannot open the export", args.export.display()))?;
        calibrate::calibrate(std::io::BufReader::with_capacity(1 << 16, f), &opts)
    }
    .with_context(|| format!("{}", args.export.display()))?;
    let text = calibrate::writer::render(&cal, &opts);
    // The file must be one that `validate` and `run` accept: check before writing anything.
    Scenario::from_toml_str(&text, Path::new("<calibrated scenario>"))
        .context("the scenario fitted to this export does not validate: a value read from the export is outside what a scenario accepts (the key below names it: check the export column it comes from)")?;
    // The scenario is written beside its place first, so a folder that cannot take it fails
    // before the fit report replaces an earlier one; it is put in place after the report.
    let staged = match &args.out {
        Some(out) => Some(super::file_out::Staged::write(
            out,
            "--out",
            args.force,
            text.as_bytes(),
        )?),
        None => None,
    };
    let committed = match report {
        Some(dir) => {
            let set = crate::export::fit_report::fit_report(&cal, &opts)?;
            Some(super::outputs::commit(dir, &set)?)
        }
        None => None,
    };
    match staged {
        Some(s) => s.place(args.force)?,
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
    }
    if !args.quiet {
        let a = &cal.arrivals;
        let mut e = std::io::stderr().lock();
        let (lo, hi) = a.tickets_per_week.ci();
        writeln!(
            e,
            "calibrated {} days ({} to {}): {:.0} tickets/week at {} (95% CI {lo:.0}-{hi:.0}), growth {:+.2}%/month [{:+.2}, {:+.2}], day-level CV {:.3} (SE {:.3})",
            a.days_used,
            a.span.0,
            a.span.1,
            a.tickets_per_week.value,
            a.start,
            a.growth.value * 100.0,
            a.growth_ci.0 * 100.0,
            a.growth_ci.1 * 100.0,
            a.dispersion_cv.value,
            a.dispersion_cv.se
        )?;
        for w in &cal.work {
            let c = w.fit.chosen();
            writeln!(
                e,
                "  work time level {} {}: {:?} mean {:.2} min, cv {:.3}, KS {:.3} ({} tickets)",
                w.level,
                w.channel.map_or("all channels", |c| calibrate::CHANNELS[c]),
                w.fit.best,
                c.mean.value,
                c.cv.value,
                c.ks,
                w.fit.n
            )?;
        }
        for n in &cal.notes {
            writeln!(e, "  note: {n}")?;
        }
        if let Some(out) = &args.out {
            writeln!(e, "wrote {}", out.display())?;
        }
        if let Some(c) = &committed {
            writeln!(
                e,
                "wrote the fit report {}/report.html ({} files)",
                c.dir.display(),
                c.files.len()
            )?;
        }
    }
    Ok(())
}

/// The most rows `synth-export` writes: 100 million is a 6 GB export, far beyond what
/// trying `calibrate` needs, and bounds the time (about a minute).
const MAX_SYNTH_ROWS: f64 = 1e8;

pub(super) fn synth(args: &SynthArgs) -> Result<()> {
    let format = format_of(&args.format)?;
    if !(1..=3650).contains(&args.days) {
        bail!(
            "--days {}: must be a whole number of days from 1 to 3650 (ten years)",
            args.days
        );
    }
    if !(args.tickets_per_week.is_finite() && args.tickets_per_week > 0.0) {
        bail!(
            "--tickets-per-week {}: must be a number above 0, such as 2000",
            args.tickets_per_week
        );
    }
    if !(1..=1440).contains(&args.interval_min) {
        bail!(
            "--interval-min {}: must be a whole number of minutes from 1 to 1440, such as 15 or 30",
            args.interval_min
        );
    }
    let spec = SynthSpec {
        days: args.days,
        tickets_per_week: args.tickets_per_week,
        seed: args.seed,
        ..SynthSpec::default()
    };
    let rows: f64 = (0..args.days)
        .map(|d| spec.volume_after(f64::from(d) + 0.5) / 7.0)
        .sum();
    if rows > MAX_SYNTH_ROWS {
        bail!(
            "--days {} at --tickets-per-week {} would write about {rows:.3e} tickets; synth-export writes at most {MAX_SYNTH_ROWS:.0e}: lower --days or --tickets-per-week",
            args.days,
            args.tickets_per_week
        );
    }
    let write = |sink: &mut dyn Write| match format {
        Format::Intervals => spec.write_intervals(args.interval_min, |_, _| true, false, sink),
        f => spec.write_export(f, sink),
    };
    match &args.out {
        // Streamed to a temporary file and put in place at the end: memory stays flat, and
        // a file of the same name (perhaps the user's real export) is kept unless --force.
        Some(out) => {
            super::file_out::Staged::stream(out, "--out", args.force, write)?.place(args.force)?
        }
        None => {
            let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
            write(&mut stdout)?;
            stdout.flush()?;
        }
    }
    Ok(())
}

/// Sets the options on how an export is read ([`ReadArgs`]), shared with `backtest`.
pub(super) fn export_options(opts: &mut Options, read: &ReadArgs) -> Result<()> {
    opts.dates = match read.dates.as_str() {
        "auto" => DateOrder::Auto,
        "day-first" => DateOrder::DayFirst,
        "month-first" => DateOrder::MonthFirst,
        d => bail!("--dates {d:?}: use auto, day-first or month-first"),
    };
    opts.map = formats::parse_map(&read.map)?;
    opts.duration_unit = read
        .duration_unit
        .as_deref()
        .map(|u| {
            formats::Unit::from_name(u)
                .with_context(|| format!("--duration-unit {u:?}: use seconds, minutes or hours"))
        })
        .transpose()?;
    opts.channel = read
        .channel
        .as_deref()
        .map(|c| {
            calibrate::CHANNELS
                .iter()
                .position(|n| n.eq_ignore_ascii_case(c.trim()))
                .with_context(|| format!("--channel {c:?}: use email, chat or phone"))
        })
        .transpose()?;
    opts.max_bad_rows = read.max_bad_rows;
    Ok(())
}
