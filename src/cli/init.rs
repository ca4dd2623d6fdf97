//! `supportsim init`: write a commented starter scenario from a few flags (see `docs/init.md`).

use crate::scenario::Scenario;
use crate::scenario::starter::{self, StarterModel, StarterSpec, Volume};
use anyhow::Result;
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `supportsim init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Average tickets per week (default 1000). Not with --tickets-per-hour.
    #[arg(long, conflicts_with = "tickets_per_hour")]
    pub tickets_per_week: Option<String>,
    /// Average tickets per hour over the whole week (168 hours).
    #[arg(long)]
    pub tickets_per_hour: Option<String>,
    /// Channels offered: a comma list of email, chat, phone, or of name:kind entries with
    /// kinds asynchronous, chat, voice (e.g. portal:asynchronous,web_chat:chat,phone:voice)
    /// (default email,chat).
    #[arg(long)]
    pub channels: Option<String>,
    /// Number of tiers, 1..3, written as 3 or 1..3 (default 2).
    #[arg(long)]
    pub tiers: Option<String>,
    /// Opening hours, local HH:MM-HH:MM in multiples of 15 minutes (default 08:00-18:00).
    #[arg(long)]
    pub hours: Option<String>,
    /// Open days: ranges and lists of mon..sun, e.g. mon-fri or mon-fri,sat (default mon-fri).
    #[arg(long)]
    pub days: Option<String>,
    /// IANA time zone of the hours and of the SLA business clock (default UTC).
    #[arg(long)]
    pub timezone: Option<String>,
    /// Support model: tiered, swarm or pooled (default tiered).
    #[arg(long)]
    pub model: Option<String>,
    /// File to write (default starter.toml); its name without .toml names the scenario.
    #[arg(long, default_value = "starter.toml")]
    pub out: PathBuf,
    /// Replace an existing file.
    #[arg(long)]
    pub force: bool,
}

/// The spec the flags describe, defaults for the flags omitted.
///
/// # Errors
/// The first flag whose value cannot be used, with the fix.
pub(super) fn spec_from(args: &InitArgs) -> Result<StarterSpec> {
    let mut spec = StarterSpec::default();
    if let Some(v) = &args.tickets_per_week {
        spec.volume = Volume::PerWeek(starter::parse_volume("--tickets-per-week", v)?);
    }
    if let Some(v) = &args.tickets_per_hour {
        spec.volume = Volume::PerHour(starter::parse_volume("--tickets-per-hour", v)?);
    }
    if let Some(v) = &args.channels {
        spec.channels = starter::parse_channels(v)?;
    }
    if let Some(v) = &args.tiers {
        spec.tiers = starter::parse_tiers(v)?;
    }
    if let Some(v) = &args.hours {
        spec.open_min = starter::parse_hours(v)?;
    }
    if let Some(v) = &args.days {
        spec.days = starter::parse_days(v)?;
    }
    if let Some(v) = &args.timezone {
        spec.timezone = starter::parse_timezone(v)?;
    }
    if let Some(v) = &args.model {
        spec.model = StarterModel::parse(v)?;
    }
    if let Some(stem) = args.out.file_stem() {
        spec.name = crate::scenario::limits::name_from(&stem.to_string_lossy(), &spec.name);
    }
    Ok(spec)
}

pub(super) fn init(args: &InitArgs) -> Result<()> {
    super::file_out::check(&args.out, "--out", args.force)?;
    let spec = spec_from(args)?;
    let text = starter::starter_toml(&spec)?;
    // The file must be one `validate` accepts; a failure here is a bug in the starter.
    let scenario = Scenario::from_toml_str(&text, &args.out).map_err(|e| {
        anyhow::anyhow!(
            "internal error: the starter scenario does not validate (please report): {e}"
        )
    })?;
    super::file_out::write_file(&args.out, "--out", args.force, text.as_bytes())?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "wrote {} (scenario {:?}, model {}, {} tickets/week)",
        args.out.display(),
        scenario.name,
        scenario.raw.model,
        match spec.volume {
            Volume::PerWeek(v) => format!("{v}"),
            Volume::PerHour(v) => format!("{}", v * 168.0),
        }
    )?;
    for p in starter::size_pools(&spec)? {
        writeln!(
            out,
            "  l{}: {} scheduled ({} on duty by Erlang C), estimated utilisation {:.0}%",
            p.level,
            p.headcount,
            p.on_duty,
            p.utilisation * 100.0
        )?;
    }
    writeln!(
        out,
        "next: supportsim validate {0}   then   supportsim run {0}",
        args.out.display()
    )?;
    Ok(())
}
