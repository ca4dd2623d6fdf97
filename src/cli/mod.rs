//! Command-line interface: argument parsing (clap), then one function per subcommand.
//! All terminal output and file writing of the program happens here and in `export`.

mod backtest;
mod calibrate;
mod common;
mod compare;
mod erlang;
mod file_out;
mod init;
mod load;
mod merge;
mod outputs;
mod plan;
mod requirements;
mod roster;
mod run;
mod staff;
mod sweep;
mod table;
mod validate;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// Discrete-event Monte Carlo simulator for customer-support capacity.
#[derive(Debug, Parser)]
#[command(name = "supportsim", version, about, long_about = None)]
pub struct Cli {
    /// Subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a scenario file and print what it resolves to (offered load, utilisation, warnings).
    Validate {
        /// Scenario file (TOML).
        file: PathBuf,
    },
    /// Run a scenario: replications in parallel, then tables, charts and a terminal summary.
    Run(run::RunArgs),
    /// Compare designs on common random numbers: replication i of every scenario sees the same
    /// demand; paired differences from the first file with CIs, a table and charts.
    Compare(compare::CompareArgs),
    /// Sweep a grid of scenario variants (`--vary KEY=VALUES`, repeatable) on common random
    /// numbers: every metric per point, charts against the varied key, cost vs SLA frontier.
    Sweep(sweep::SweepArgs),
    /// Find the lowest-cost headcount per pool meeting every `--target` (e.g.
    /// `first_response.P1.attainment >= 0.95`) with its one-sided confidence bound: Erlang
    /// start, marginal analysis on common random numbers, confirmation on fresh seeds.
    Staff(staff::StaffArgs),
    /// Required agents per pool per 15- or 30-minute interval over a typical week: Erlang C /
    /// A for live contacts, deferred work spread within its SLA window, occupancy cap and
    /// shrinkage applied; a table, charts of requirement vs scheduled, and the gaps.
    Requirements(requirements::RequirementsArgs),
    /// Choose how many agents work each allowed shift pattern (`[roster]`) to cover the
    /// interval requirements at least cost (an integer program), then simulate and repair
    /// until every `--target` holds; the roster, coverage charts and a runnable scenario.
    Roster(roster::RosterArgs),
    /// A capacity plan over the months of `[plan]` (up to 18): growth, hires with training
    /// and ramp, attrition; searches when to hire and how many to keep every target each
    /// month, on common random numbers; results per week and month with CIs, charts.
    Plan(plan::PlanArgs),
    /// Combine the partitions of `run --shard K/N` or `sweep --shard K/N` into the outputs of
    /// one whole run or sweep.
    Merge(merge::MergeArgs),
    /// Erlang C / Erlang A queueing formulas: waits, service level, abandonment, staffing.
    Erlang(erlang::ErlangArgs),
    /// Fit a scenario to a ticket export (Zendesk, Freshdesk, Jira Service Management,
    /// ServiceNow, or any CSV with --map) or an interval report: volume, growth, weekday and
    /// hour profiles, day-level dispersion, mixes, work times and patience, each commented
    /// with where it came from and how well it fits.
    Calibrate(calibrate::CalibrateArgs),
    /// Simulate the weeks of a ticket history (same weeks, the scenario's calendar) and put
    /// the history's weekly volume, first-response and resolution median and P90 and SLA
    /// attainment beside the simulation's 95% range, flagging the weeks outside it.
    Backtest(backtest::BacktestArgs),
    /// Write a commented starter scenario from a few flags (volume, channels, tiers, opening
    /// hours, days, time zone, model), headcounts sized by Erlang C; refuses to overwrite a
    /// file unless --force.
    Init(init::InitArgs),
    /// Write a made-up ticket export (or interval report) from known parameters, to try
    /// `calibrate` and `backtest` on before using your own history
    SynthExport(calibrate::SynthArgs),
}

/// The replications progress bar on standard error, hidden when `quiet` or when standard
/// error is not a terminal (so pipes and logs stay clean).
fn progress_bar(total: u64, quiet: bool) -> indicatif::ProgressBar {
    use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
    use std::io::IsTerminal;
    let bar = if quiet || !std::io::stderr().is_terminal() {
        ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden())
    } else {
        ProgressBar::new(total)
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} {msg} [{bar:40}] {pos}/{len} replications ({eta} left)",
        )
        .expect("valid template")
        .progress_chars("=> "),
    );
    bar
}

/// A spinner counting replications, for searches whose total is not known up front (`staff`,
/// `roster`); hidden when quiet or when standard error is not a terminal.
fn replication_spinner(quiet: bool, message: String) -> indicatif::ProgressBar {
    use indicatif::{ProgressBar, ProgressStyle};
    use std::io::IsTerminal;
    let bar = if quiet || !std::io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        ProgressBar::new_spinner()
    };
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg}: {pos} replications run ({elapsed})")
            .expect("valid template"),
    );
    bar.set_message(message);
    bar
}

/// The command line as clap reads it, with a negative number taken as an option's value in
/// every subcommand: `--seed -1` is then refused as a bad seed, naming the option, instead of
/// as an unknown flag `-1` (clap's default, whose `-- -1` tip does not work for options).
pub fn command() -> clap::Command {
    fn negatives(c: clap::Command) -> clap::Command {
        c.allow_negative_numbers(true).mut_subcommands(negatives)
    }
    negatives(<Cli as clap::CommandFactory>::command())
}

/// Parses the command line and runs the subcommand.
///
/// # Errors
/// Invalid scenarios, failed runs or output errors, with context for the user.
pub fn main() -> anyhow::Result<()> {
    use clap::FromArgMatches;
    let cli = Cli::from_arg_matches(&command().get_matches()).unwrap_or_else(|e| e.exit());
    match cli.command {
        Command::Validate { file } => validate::validate(&file),
        Command::Run(args) => run::run(&args),
        Command::Compare(args) => compare::compare(&args),
        Command::Sweep(args) => sweep::sweep(&args),
        Command::Staff(args) => staff::staff(&args),
        Command::Requirements(args) => requirements::requirements(&args),
        Command::Roster(args) => roster::roster(&args),
        Command::Plan(args) => plan::plan(&args),
        Command::Merge(args) => merge::merge(&args),
        Command::Erlang(args) => erlang::erlang(&args),
        Command::Calibrate(args) => calibrate::calibrate(&args),
        Command::Backtest(args) => backtest::backtest(&args),
        Command::Init(args) => init::init(&args),
        Command::SynthExport(args) => calibrate::synth(&args),
    }
}
