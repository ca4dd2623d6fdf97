//! `supportsim compare A.toml B.toml ...`: designs on common random numbers, paired
//! differences against the first, a comparison table and charts.

use super::common::{CommonArgs, RunContext};
use super::outputs;
use crate::export::compare_report::{
    self, fmt_diff, fmt_mean_ci, fmt_paired, headline, verdict_text,
};
use crate::export::{OutputSet, compare as export, report, tables};
use crate::montecarlo::MonteCarlo;
use crate::scenario::Scenario;
use crate::stats::paired::Better;
use crate::study::compare::{self, ComparisonRow, Design, find};
use crate::study::practical::Practical;
use anyhow::{Context, Result, bail};
use clap::Args;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Arguments of `supportsim compare`.
#[derive(Debug, Args)]
#[command(
    mut_arg("replications", |a| a.help(
        "Replications per design (overrides the baseline's `run.replications`).",
    )),
    mut_arg("seed", |a| a.help(
        "Master seed shared by every design (overrides the baseline's `run.seed`).",
    )),
    mut_arg("out", |a| a.help(
        "Output folder; default `outputs/compare-<baseline>-vs-<others>/`.",
    )),
)]
pub struct CompareArgs {
    /// Scenario files (TOML); the first is the baseline the others are compared with.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Run every file under each of these models (comma-separated: tiered, pooled_tiered,
    /// swarm, hybrid) instead of the model the file names, e.g. one file with
    /// `--models tiered,swarm`.
    #[arg(long, value_delimiter = ',')]
    pub models: Vec<String>,
    /// Smallest difference that counts, per metric (comma-separated METRIC=VALUE): a number
    /// in the metric's unit, a share of the baseline (`5%`), or for shares percentage points
    /// (`1pp`). A significant difference below it reads "no practical difference". Defaults:
    /// 1pp for shares, 5% of the baseline for times and counts, 1% for money; `=0` turns the
    /// check off for a metric.
    #[arg(long, value_delimiter = ',', value_name = "METRIC=VALUE")]
    pub practical: Vec<String>,
    /// Replications, seed, threads, output folder, quiet.
    #[command(flatten)]
    pub common: CommonArgs,
}

struct Loaded {
    file: PathBuf,
    label: String,
    scenario: Scenario,
}

fn load(args: &CompareArgs) -> Result<Vec<Loaded>> {
    let mut out = Vec::new();
    for f in &args.files {
        let s = super::load::scenario(f)?;
        if args.models.is_empty() {
            out.push(Loaded {
                file: f.clone(),
                label: s.name.clone(),
                scenario: s,
            });
            continue;
        }
        for m in &args.models {
            let mut raw = s.raw.clone();
            raw.model = m.trim().to_string();
            let mut v = Scenario::from_raw(raw, f).with_context(|| format!("--models {m}"))?;
            v.warnings
                .extend(crate::scenario::analysis::model_defaults(&v));
            let label = if args.files.len() == 1 {
                m.trim().to_string()
            } else {
                format!("{}/{}", s.name, m.trim())
            };
            out.push(Loaded {
                file: f.clone(),
                label,
                scenario: v,
            });
        }
    }
    if out.len() < 2 {
        bail!(
            "compare needs at least two designs: give two or more scenario files, or one file with --models, e.g. --models tiered,swarm"
        );
    }
    // Labels name columns and chart series: make repeats unique.
    for i in 1..out.len() {
        let base = out[i].label.clone();
        let mut n = 2;
        while out[..i].iter().any(|o| o.label == out[i].label) {
            out[i].label = format!("{base}-{n}");
            n += 1;
        }
    }
    Ok(out)
}

pub(super) fn compare(args: &CompareArgs) -> Result<()> {
    args.common.check_values(2)?;
    let practical = Practical::parse(&args.practical)?;
    let mut designs = load(args)?;
    let pairs: Vec<(&Path, &Scenario)> = designs
        .iter()
        .map(|d| (d.file.as_path(), &d.scenario))
        .collect();
    let warnings = compare::check_comparable(&pairs)?;
    let reps = args
        .common
        .replications
        .unwrap_or(designs[0].scenario.run.replications);
    anyhow::ensure!(reps >= 2, "--replications must be at least 2 to compare");
    let seed = args.common.seed.unwrap_or(designs[0].scenario.run.seed);
    for d in &mut designs {
        d.scenario.run.replications = reps;
        d.scenario.raw.run.replications = reps;
        d.scenario.run.seed = seed;
        d.scenario.raw.run.seed = seed;
    }
    let design_warnings = designs.iter().flat_map(|d| {
        d.scenario
            .warnings
            .iter()
            .map(move |w| format!("{}: {w}", d.label))
    });
    let budget = args.common.budget(
        &designs[0].scenario,
        crate::budget::Work {
            keep_all: true,
            replication_table: true,
            ..crate::budget::Work::simulations(
                designs.len() as u64,
                reps,
                args.common.thread_count(),
            )
        },
    )?;
    let RunContext { pool, out, quiet } = args.common.context(
        || Path::new("outputs").join(default_folder(&designs, args.files.len())),
        design_warnings.chain(warnings).collect::<Vec<_>>(),
    )?;
    let total = reps as u64 * designs.len() as u64;
    let bar = super::progress_bar(total, quiet);
    let mut results: Vec<MonteCarlo> = Vec::new();
    for d in &designs {
        bar.set_message(format!("{} ({})", d.label, budget.label()));
        let tick = || {
            bar.inc(1);
            outputs::checkpoint();
        };
        results.push(pool.install(|| MonteCarlo::run(&d.scenario, reps, &tick)));
    }
    bar.finish_and_clear();
    outputs::checkpoint();
    for (d, mc) in designs.iter().zip(&results) {
        let infinite = mc.infinite_metrics();
        anyhow::ensure!(
            infinite.is_empty(),
            "{}: design {} produced infinite values for {}; nothing was written",
            d.file.display(),
            d.label,
            infinite.join(", ")
        );
    }

    let ds: Vec<Design> = designs
        .iter()
        .zip(&results)
        .map(|(d, mc)| Design {
            label: &d.label,
            scenario: &d.scenario,
            mc,
        })
        .collect();
    let rows = compare::compare(&ds, &practical);
    let mut set = OutputSet::default();
    let mut table = export::comparison_df(&ds, &rows)?;
    set.add("comparison.csv", tables::csv_bytes(&mut table)?);
    set.add("comparison.parquet", tables::parquet_bytes(&mut table)?);
    if args.common.xlsx {
        set.add(
            "tables.xlsx",
            crate::export::xlsx::workbook(&[("comparison", &table)])?,
        );
    }
    let mut reps_df = export::replications_df(&ds)?;
    set.add("replications.parquet", tables::parquet_bytes(&mut reps_df)?);
    let charts = export::compare_charts(&ds, &rows)?;
    let page = compare_report::compare_report(&ds, &rows, &charts, seed, reps);
    set.add("report.html", report::render(&page).into_bytes());
    for (name, r) in charts {
        set.add(format!("charts/{name}.svg"), r.svg.into_bytes());
        set.add(format!("charts/{name}.png"), r.png);
    }
    let mut info = format!(
        "# Provenance of this output folder\nsupportsim_version = \"{}\"\nseed = {seed}\nreplications = {reps}\nbaseline = {:?}\n",
        env!("CARGO_PKG_VERSION"),
        designs[0].label
    );
    for d in &designs {
        info.push_str(&format!(
            "\n[[design]]\nlabel = {:?}\nscenario_file = {:?}\nscenario_name = {:?}\nmodel = {:?}\n",
            d.label,
            d.file.display().to_string(),
            d.scenario.name,
            d.scenario.model.name()
        ));
    }
    set.add("compare_info.toml", info.into_bytes());
    for d in &designs {
        set.add(
            format!("scenarios/{}.resolved.toml", d.label.replace('/', "_")),
            toml::to_string(&d.scenario.raw)?.into_bytes(),
        );
    }
    let done = outputs::commit(out, &set)?;
    if quiet {
        return Ok(());
    }
    let mut out = std::io::stdout().lock();
    print_comparison(&mut out, &ds, &rows, seed, reps)?;
    outputs::print_written(&mut out, &done, "")?;
    Ok(())
}

/// The default folder name, `compare-<design>-vs-<design>...`, where each design is named by
/// its scenario (and model, with `--models`): two comparisons of different files never share
/// a folder. Characters other than letters, digits, `-`, `_` and `.` become `_`.
fn default_folder(designs: &[Loaded], files: usize) -> String {
    let labels: Vec<&str> = designs.iter().map(|d| d.label.as_str()).collect();
    let name = if files == 1 {
        // One file under several models: the labels are model names only.
        format!(
            "compare-{}-{}",
            designs[0].scenario.name,
            labels.join("-vs-")
        )
    } else {
        format!("compare-{}", labels.join("-vs-"))
    };
    let name: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    shorten_folder_name(name)
}

/// Longest default folder name [bytes]: file systems refuse names over 255, and the staging
/// folder beside it adds a prefix and a suffix.
const MAX_FOLDER_NAME: usize = 120;

/// `name` (ASCII) if short enough, else its first part and a hash of the whole, so that
/// different long comparisons still get different folders (refused only at the commit, after
/// every simulation, before this).
fn shorten_folder_name(name: String) -> String {
    if name.len() <= MAX_FOLDER_NAME {
        return name;
    }
    // FNV-1a: stable across runs and platforms, unlike std's hasher.
    let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{}-{hash:016x}", &name[..MAX_FOLDER_NAME - 17])
}

/// The terminal comparison: each design's headline means, then per design the paired
/// difference from the baseline with its CI, the unpaired CI for contrast, and the verdict.
pub(crate) fn print_comparison(
    out: &mut impl Write,
    ds: &[Design],
    rows: &[ComparisonRow],
    seed: u64,
    reps: u32,
) -> Result<()> {
    writeln!(
        out,
        "compare — {} designs, {reps} replications each on common random numbers (seed {seed}); baseline: {}",
        ds.len(),
        ds[0].label
    )?;
    for d in ds {
        writeln!(
            out,
            "  {}: model {}, {} tickets simulated{}",
            d.label,
            d.scenario.model.name(),
            d.mc.tickets,
            if d.mc.unstable > 0 {
                format!(
                    ", WARNING: {} replications overloaded (hit run.max_open_tickets)",
                    d.mc.unstable
                )
            } else {
                String::new()
            }
        )?;
    }
    let headline = headline(ds);
    let mut t = super::table::new();
    let mut header = vec!["metric".to_string()];
    header.extend(ds.iter().map(|d| format!("{} [95% CI]", d.label)));
    t.set_header(header);
    for (m, g, label) in &headline {
        let cells: Vec<String> = (0..ds.len())
            .map(|k| find(rows, m, g, k).map_or("-".into(), |r| fmt_mean_ci(r.kind, &r.estimate)))
            .collect();
        if cells.iter().all(|c| c == "-") {
            continue;
        }
        let mut row = vec![label.to_string()];
        row.extend(cells);
        t.add_row(row);
    }
    writeln!(out, "{t}")?;
    for (k, d) in ds.iter().enumerate().skip(1) {
        let mut t = super::table::new();
        t.set_header(vec![
            format!("{} − {}", d.label, ds[0].label),
            "paired difference [95% CI]".into(),
            "unpaired 95% CI".into(),
            "verdict".into(),
        ]);
        for (m, g, label) in &headline {
            let Some(r) = find(rows, m, g, k) else {
                continue;
            };
            let Some(p) = r.paired else {
                continue;
            };
            let unpaired = r.unpaired.map_or("-".into(), |w| {
                format!(
                    "{} .. {}",
                    fmt_diff(r.kind, p.mean, w.ci_low),
                    fmt_diff(r.kind, p.mean, w.ci_high)
                )
            });
            let verdict = verdict_text(r, d.label, ds[0].label);
            t.add_row(vec![
                label.to_string(),
                fmt_paired(r.kind, &p),
                unpaired,
                verdict,
            ]);
        }
        writeln!(out, "{t}")?;
    }
    if rows
        .iter()
        .any(|r| r.better == Better::NoPracticalDifference)
    {
        writeln!(
            out,
            "\"no practical difference\": significant, but smaller than the threshold (defaults: shares 1 pp, times and counts 5% of the baseline, money 1%; change with --practical METRIC=VALUE)"
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::shorten_folder_name;

    #[test]
    fn long_default_folder_names_are_cut_with_a_hash_of_the_whole() {
        let short = "compare-a-vs-b".to_string();
        assert_eq!(shorten_folder_name(short.clone()), short);
        let long = |tail: &str| format!("compare-{}{tail}", "x".repeat(300));
        let (a, b) = (
            shorten_folder_name(long("-vs-a")),
            shorten_folder_name(long("-vs-b")),
        );
        assert_eq!(a.len(), 120);
        assert_ne!(a, b, "different comparisons keep different folders");
        assert_eq!(a, shorten_folder_name(long("-vs-a")), "stable");
    }
}
