//! What `report.html` of a comparison shows, and the wording the terminal shares with it: the
//! headline metrics, each design's estimates, the paired differences with their verdicts
//! (including "no practical difference") and every comparison chart.

use super::report::{HtmlChart, HtmlTable, Kpi, ReportInput};
use crate::chart::Rendered;
use crate::format::{fmt_like, min_in, time_unit};
use crate::measure::Kind;
use crate::stats::paired::Better;
use crate::stats::summary::Estimate;
use crate::study::compare::{ComparisonRow, Design, find};

/// Headline rows of a comparison: (metric, group, label).
pub const HEADLINE: [(&str, &str, &str); 15] = [
    (
        "first_response_time_min",
        "all",
        "first response time (mean)",
    ),
    ("resolution_time_min", "all", "resolution time (mean)"),
    ("resolution_time_p90_min", "all", "resolution time P90"),
    (
        "resolution_time_min",
        "priority=P1",
        "P1 resolution time (mean)",
    ),
    (
        "sla_first_response_attainment",
        "all",
        "SLA first response met",
    ),
    ("sla_resolution_attainment", "all", "SLA resolution met"),
    ("abandonment_rate", "all", "abandonment (chat + phone)"),
    (
        "first_contact_resolution_rate",
        "all",
        "first contact resolution",
    ),
    ("handoffs_per_ticket", "all", "handoffs per ticket"),
    ("re_explains_per_ticket", "all", "re-explains per ticket"),
    ("agent_minutes_per_ticket", "all", "agent time per ticket"),
    ("swarm_rate", "all", "tickets swarmed"),
    ("tickets_unresolved_at_end", "all", "unresolved at end"),
    ("cost_usd_per_week", "all", "cost per week [USD]"),
    (
        "cost_per_resolved_ticket_usd",
        "all",
        "cost per resolved ticket [USD]",
    ),
];

/// [`HEADLINE`] for `designs`: the `priority=P1` row names the baseline's most urgent
/// priority (`demand.priority_names`; P1 by default).
pub fn headline(designs: &[Design]) -> Vec<(&'static str, String, String)> {
    let first = designs
        .first()
        .map_or("P1", |d| d.scenario.priority_name(0));
    HEADLINE
        .iter()
        .map(|&(m, g, label)| match g.strip_prefix("priority=") {
            Some(_) => (
                m,
                format!("priority={first}"),
                label.replacen("P1", first, 1),
            ),
            None => (m, g.to_string(), label.to_string()),
        })
        .collect()
}

/// `mean [ci_low .. ci_high]` in the metric's unit.
pub fn fmt_mean_ci(kind: Kind, e: &Estimate) -> String {
    format!(
        "{} [{} .. {}]",
        fmt_like(kind, e.mean, e.mean),
        fmt_like(kind, e.mean, e.ci_low),
        fmt_like(kind, e.mean, e.ci_high)
    )
}

/// A signed difference in the metric's unit (percentage points for fractions), times in the
/// unit `reference` would get.
pub fn fmt_diff(kind: Kind, reference: f64, x: f64) -> String {
    if !x.is_finite() {
        return "-".into();
    }
    let sign = if x < 0.0 { "-" } else { "+" };
    match kind {
        Kind::Time | Kind::Duration => format!("{sign}{}", min_in(x.abs(), time_unit(reference))),
        Kind::Fraction => format!("{sign}{:.1} pp", x.abs() * 100.0),
        Kind::Count if reference.abs() >= 1000.0 => format!("{sign}{:.0}", x.abs()),
        Kind::Count if reference.abs() >= 10.0 => format!("{sign}{:.2}", x.abs()),
        Kind::Count => format!("{sign}{:.3}", x.abs()),
    }
}

/// The paired difference as `diff [low .. high]`.
pub fn fmt_paired(kind: Kind, p: &Estimate) -> String {
    format!(
        "{} [{} .. {}]",
        fmt_diff(kind, p.mean, p.mean),
        fmt_diff(kind, p.mean, p.ci_low),
        fmt_diff(kind, p.mean, p.ci_high)
    )
}

/// The verdict in words: who is better and how sure, or why neither is.
pub fn verdict_text(r: &ComparisonRow, design: &str, baseline: &str) -> String {
    match r.better {
        Better::Design => format!("{design} better ({})", confidence(r.confidence)),
        Better::Baseline => format!("{baseline} better ({})", confidence(r.confidence)),
        Better::NoDifference => "no significant difference".into(),
        Better::NoPracticalDifference => format!(
            "no practical difference (|Δ| < {})",
            fmt_diff(r.kind, r.practical_threshold, r.practical_threshold).trim_start_matches('+')
        ),
        Better::NotApplicable => String::new(),
    }
}

fn confidence(c: f64) -> String {
    if c > 0.999 {
        ">99.9% confidence".into()
    } else {
        format!("{:.1}% confidence", c * 100.0)
    }
}

/// The badge of a verdict for `design`'s row: "meets" where the design wins, "misses" where
/// the baseline does, "borderline" where they do not differ in practice.
fn status(better: Better) -> &'static str {
    match better {
        Better::Design => "meets",
        Better::Baseline => "misses",
        Better::NoPracticalDifference | Better::NoDifference => "borderline",
        Better::NotApplicable => "",
    }
}

/// Builds the report of one comparison.
pub fn compare_report(
    designs: &[Design],
    rows: &[ComparisonRow],
    charts: &[(String, Rendered)],
    seed: u64,
    reps: u32,
) -> ReportInput {
    let base = designs.first().map_or("", |d| d.label);
    let mut assumptions = vec![(
        "Method".to_string(),
        format!(
            "{reps} replications per design on common random numbers (seed {seed}): replication i of every design sees the same tickets, so differences are paired"
        ),
    )];
    for d in designs {
        assumptions.push((
            format!("Design {}", d.label),
            format!(
                "model {}, scenario {}, {} tickets simulated",
                d.scenario.model.name(),
                d.scenario.name,
                d.mc.tickets
            ),
        ));
    }
    let mut warnings: Vec<String> = designs
        .iter()
        .filter(|d| d.mc.unstable > 0)
        .map(|d| {
            format!(
                "{}: {} replications overloaded (hit run.max_open_tickets); its figures understate the queues",
                d.label, d.mc.unstable
            )
        })
        .collect();
    if rows
        .iter()
        .any(|r| r.better == Better::NoPracticalDifference)
    {
        warnings.push(
            "\"No practical difference\" marks differences that are statistically significant but below the metric's practical threshold (defaults: 1 pp for shares, 5% of the baseline for times and counts, 1% for money; `compare --practical` changes them).".into(),
        );
    }

    // Cards: the headline differences of the first challenger.
    let headline = headline(designs);
    let mut kpis = Vec::new();
    if designs.len() > 1 {
        for (m, g, label) in headline.iter().take(7) {
            let Some(r) = find(rows, m, g, 1) else {
                continue;
            };
            let Some(p) = r.paired else { continue };
            kpis.push(Kpi {
                label: format!("{label}: {} − {base}", designs[1].label),
                value: fmt_diff(r.kind, p.mean, p.mean),
                ci: format!(
                    "paired 95% CI {} to {}",
                    fmt_diff(r.kind, p.mean, p.ci_low),
                    fmt_diff(r.kind, p.mean, p.ci_high)
                ),
                note: verdict_text(r, designs[1].label, base),
            });
        }
    }

    let mut means = HtmlTable {
        title: "Each design: mean [95% CI] over replications".into(),
        header: std::iter::once("metric".to_string())
            .chain(designs.iter().map(|d| d.label.to_string()))
            .collect(),
        rows: Vec::new(),
        status: Vec::new(),
    };
    for (m, g, label) in &headline {
        let cells: Vec<String> = (0..designs.len())
            .map(|k| find(rows, m, g, k).map_or("-".into(), |r| fmt_mean_ci(r.kind, &r.estimate)))
            .collect();
        if cells.iter().all(|c| c == "-") {
            continue;
        }
        means
            .rows
            .push(std::iter::once(label.to_string()).chain(cells).collect());
        means.status.push(String::new());
    }
    let mut tables = vec![means];
    for (k, d) in designs.iter().enumerate().skip(1) {
        let mut t = HtmlTable {
            title: format!("{} − {base}: paired differences", d.label),
            header: ["metric", "paired difference [95% CI]", "verdict"]
                .map(String::from)
                .to_vec(),
            rows: Vec::new(),
            status: Vec::new(),
        };
        for (m, g, label) in &headline {
            let Some(r) = find(rows, m, g, k) else {
                continue;
            };
            let Some(p) = r.paired else { continue };
            t.rows.push(vec![
                label.to_string(),
                fmt_paired(r.kind, &p),
                verdict_text(r, d.label, base),
            ]);
            t.status.push(status(r.better).to_string());
        }
        tables.push(t);
    }

    let charts = charts
        .iter()
        .map(|(name, r)| HtmlChart {
            title: chart_title(name).to_string(),
            caption: chart_caption(name).to_string(),
            svg: r.svg.clone(),
        })
        .collect();
    ReportInput {
        title: format!(
            "Comparison: {}",
            designs
                .iter()
                .map(|d| d.label)
                .collect::<Vec<_>>()
                .join(" vs ")
        ),
        subtitle: format!("Baseline {base}; every difference is design − baseline."),
        generated_by: format!(
            "supportsim {}, seed {seed}, {reps} replications per design",
            env!("CARGO_PKG_VERSION")
        ),
        assumptions,
        kpis,
        tables,
        charts,
        warnings,
    }
}

fn chart_title(name: &str) -> &str {
    match name {
        "resolution_cdf" => "Resolution time distribution",
        "first_response_cdf" => "First response time distribution",
        "sla_resolution_by_priority" => "SLA resolution attainment by priority",
        "sla_first_response_by_priority" => "SLA first response attainment by priority",
        "handoffs_per_ticket" => "Handoffs per ticket",
        "agent_minutes_per_ticket" => "Agent time per ticket",
        "cost_per_resolved_ticket" => "Cost per resolved ticket",
        "paired_differences" => "Paired differences from the baseline",
        other => other,
    }
}

fn chart_caption(name: &str) -> &str {
    match name {
        "resolution_cdf" | "first_response_cdf" => {
            "Share of tickets done within each time, every design overlaid, with the baseline's SLA limits."
        }
        "paired_differences" => {
            "Mean paired difference as % of the baseline's mean, with 95% CIs: bars clear of zero differ significantly."
        }
        _ => "Designs side by side, mean with 95% CI over replications.",
    }
}
