//! What `report.html` of a run shows: headline figures, assumptions, the SLA and pool tables
//! and every chart (the HTML itself is built by [`super::report`]).

use super::report::{HtmlChart, HtmlTable, Kpi, ReportInput};
use crate::chart::Rendered;
use crate::format::{fmt_like, human_min};
use crate::measure::Kind;
use crate::model::load::pool_loads;
use crate::montecarlo::{MonteCarlo, SummaryRow, Verdict, find_row as row};
use crate::scenario::analysis::mean_arrival_rate;
use crate::scenario::{Pool, Scenario};

/// `x` as the report shows it, in the unit and precision `reference` (the row's mean) gets.
fn fmt(kind: Kind, reference: f64, x: f64) -> String {
    fmt_like(kind, reference, x)
}

fn kpi(rows: &[SummaryRow], metric: &str, label: &str, note: &str) -> Option<Kpi> {
    let r = row(rows, metric, "all")?;
    let e = r.estimate;
    Some(Kpi {
        label: label.to_string(),
        value: fmt(r.kind, e.mean, e.mean),
        ci: format!(
            "95% CI {} to {}",
            fmt(r.kind, e.mean, e.ci_low),
            fmt(r.kind, e.mean, e.ci_high)
        ),
        note: match r.quantiles {
            Some(q) => format!("{note}P90 {}", human_min(q[1])),
            None => note.trim_end_matches(", ").to_string(),
        },
    })
}

/// Columns of the pool table, the terminal's and the report's: headcount three ways (paid
/// FTE, on duty at the busiest moment and on average), utilisation, and the hours worked
/// past shift ends (the last; the terminal leaves it out where staffing never changes).
pub const POOL_COLUMNS: [&str; 7] = [
    "pool",
    "scheduled FTE",
    "on duty: peak",
    "on duty: mean",
    "utilisation",
    "95% CI",
    "past shift end [agent-h/week]",
];

/// The cells of pool `p`'s row that the terminal and the report write alike: `(name,
/// scheduled FTE, on duty at peak, on duty mean)` and hours past shift ends; utilisation and
/// its interval are formatted by each.
pub fn pool_cells(s: &Scenario, p: &Pool, rows: &[SummaryRow]) -> ([String; 4], String) {
    let (from, to) = (s.run.warmup_min, s.run.window_end_min());
    let late = row(
        rows,
        "past_shift_end_hours_per_week",
        &format!("pool={}", p.name),
    )
    .map_or("-".to_string(), |r| format!("{:.1}", r.estimate.mean));
    (
        [
            p.name.clone(),
            format!("{:.1}", s.pool_scheduled_fte(p)),
            p.max_staffed().to_string(),
            format!("{:.1}", p.mean_staffed(from, to)),
        ],
        late,
    )
}

/// Builds the report of one run.
pub fn run_report(
    s: &Scenario,
    mc: &MonteCarlo,
    rows: &[SummaryRow],
    charts: &[(String, Rendered)],
) -> ReportInput {
    let r = &s.run;
    let lambda = mean_arrival_rate(s, r.warmup_min, r.window_end_min());
    let mut assumptions = vec![
        ("Model".to_string(), s.raw.model.clone()),
        (
            "Simulated".to_string(),
            format!(
                "{} replications of {:.1} days after a {:.1}-day warm-up, from {} ({})",
                mc.values.len(),
                r.horizon_min / 1440.0,
                r.warmup_min / 1440.0,
                r.start_date,
                s.raw.demand.timezone
            ),
        ),
        (
            "Demand".to_string(),
            format!(
                "{:.1} contacts/hour on average before deflection ({:.0} per week)",
                lambda * 60.0,
                lambda * 60.0 * 24.0 * 7.0
            ),
        ),
    ];
    for l in pool_loads(s) {
        assumptions.push((
            format!("Pool {}", l.pool),
            format!(
                "{} on duty in working hours, tier L{}; offered {:.2} erlangs over {:.2} agents on average (estimated utilisation {:.0}%)",
                s.pools.iter().find(|p| p.name == l.pool).map_or(0, |p| p.headcount),
                l.level,
                l.offered_erlangs,
                l.mean_staffed,
                l.utilisation * 100.0
            ),
        ));
    }
    let kpis = [
        ("first_response_time_min", "First response (MTTA)", "mean; "),
        ("resolution_time_min", "Resolution (MTTR)", "mean; "),
        (
            "sla_first_response_attainment",
            "SLA first response met",
            "tickets covered by a target, ",
        ),
        (
            "sla_resolution_attainment",
            "SLA resolution met",
            "tickets covered by a target, ",
        ),
        ("abandonment_rate", "Abandonment", "chat and phone, "),
        (
            "first_contact_resolution_rate",
            "First contact resolution",
            "no handoff, ",
        ),
    ]
    .iter()
    .filter_map(|(m, l, n)| kpi(rows, m, l, n))
    .collect();

    let mut tables = Vec::new();
    if !s.sla.targets.is_empty() {
        let mut t = HtmlTable {
            title: "SLA targets (attainment: mean and 95% CI over replications)".into(),
            header: [
                "target",
                "first response goal",
                "attained",
                "resolution goal",
                "attained",
                "verdict",
            ]
            .map(String::from)
            .to_vec(),
            rows: Vec::new(),
            status: Vec::new(),
        };
        for tg in &s.sla.targets {
            let mut cells = vec![crate::format::target_who(&tg.label).to_string()];
            let mut verdicts = Vec::new();
            for (metric, target) in [
                ("sla_first_response_attainment", tg.first_response),
                ("sla_resolution_attainment", tg.resolution),
            ] {
                let Some(target) = target else {
                    cells.push("-".into());
                    cells.push("-".into());
                    continue;
                };
                cells.push(format!(
                    "{:.0}% within {}",
                    target.goal * 100.0,
                    crate::format::limit_label(&s.sla, &target)
                ));
                match row(rows, metric, &format!("target={}", tg.label))
                    .filter(|r| r.estimate.n > 0)
                {
                    Some(r) => {
                        let e = r.estimate;
                        cells.push(format!(
                            "{:.1}% [{:.1}, {:.1}]",
                            e.mean * 100.0,
                            e.ci_low * 100.0,
                            e.ci_high * 100.0
                        ));
                        verdicts.push(match r.verdict(target.goal) {
                            Verdict::Meets => "meets",
                            Verdict::Misses => "misses",
                            Verdict::Borderline => "borderline",
                        });
                    }
                    None => cells.push("no tickets".into()),
                }
            }
            let status = if verdicts.contains(&"misses") {
                "misses"
            } else if verdicts.contains(&"borderline") {
                "borderline"
            } else if verdicts.is_empty() {
                ""
            } else {
                "meets"
            };
            cells.push(String::new());
            t.rows.push(cells);
            t.status.push(status.to_string());
        }
        tables.push(t);
    }
    // The terminal's pool table: headcount as paid for and as on duty, and the time worked
    // past shift ends that keeps utilisation below the offered load over those on duty.
    let mut pools = HtmlTable {
        title: "Pools".into(),
        header: POOL_COLUMNS.map(String::from).to_vec(),
        rows: Vec::new(),
        status: Vec::new(),
    };
    for p in &s.pools {
        if let Some(r) = row(rows, "utilisation", &format!("pool={}", p.name)) {
            let e = r.estimate;
            let (head, late) = pool_cells(s, p, rows);
            let mut cells = head.to_vec();
            cells.push(fmt(Kind::Fraction, e.mean, e.mean));
            cells.push(format!(
                "{} to {}",
                fmt(Kind::Fraction, e.mean, e.ci_low),
                fmt(Kind::Fraction, e.mean, e.ci_high)
            ));
            cells.push(late);
            pools.rows.push(cells);
            pools.status.push(String::new());
        }
    }
    tables.push(pools);
    let mut other = HtmlTable {
        title: "Other metrics".into(),
        header: ["metric", "mean", "95% CI"].map(String::from).to_vec(),
        rows: Vec::new(),
        status: Vec::new(),
    };
    for m in [
        "tickets_arrived",
        "arrival_rate_per_hour",
        "deflection_rate",
        "escalation_rate",
        "handoffs_per_ticket",
        "re_explains_per_ticket",
        "tickets_in_system_mean",
        "tickets_unresolved_at_end",
    ] {
        if let Some(r) = row(rows, m, "all") {
            let e = r.estimate;
            other.rows.push(vec![
                m.to_string(),
                fmt(r.kind, e.mean, e.mean),
                format!(
                    "{} to {}",
                    fmt(r.kind, e.mean, e.ci_low),
                    fmt(r.kind, e.mean, e.ci_high)
                ),
            ]);
            other.status.push(String::new());
        }
    }
    tables.push(other);

    let charts = charts
        .iter()
        .map(|(name, r)| HtmlChart {
            title: name.replace('_', " "),
            caption: caption(name),
            svg: r.svg.clone(),
        })
        .collect();
    let mut warnings = s.warnings.clone();
    if mc.unstable > 0 {
        warnings.push(format!(
            "{} of {} replications hit run.max_open_tickets and stopped early: the system is overloaded",
            mc.unstable,
            mc.values.len()
        ));
    }
    ReportInput {
        title: s.name.clone(),
        subtitle: s.description.clone(),
        // No thread count here: the report is byte-identical for any number of threads
        // (run_info.toml records it).
        generated_by: format!(
            "supportsim {}, seed {}, {} replications",
            env!("CARGO_PKG_VERSION"),
            r.seed,
            mc.values.len()
        ),
        assumptions,
        kpis,
        tables,
        charts,
        warnings,
    }
}

fn caption(name: &str) -> String {
    match name {
        "sla_attainment_by_priority" => "Share of tickets within their SLA limit per priority; bars are means over replications, whiskers 95% confidence intervals, dashes the goal.",
        "sla_attainment_by_target" => "The same per SLA target (priority/segment; * = any).",
        "sla_attainment_by_priority_segment" => "The same per priority x segment cell covered by a target.",
        "first_response_cdf" => "Share of tickets answered within a time, over every ticket of every replication; dashed lines are the SLA limits.",
        "resolution_cdf" => "Share of tickets resolved within a time; dashed lines are the SLA limits.",
        "cost_breakdown" => "Cost of each invoice week by component (mean over replications): internal pools' pay (scheduled hours x price, shrinkage included), outsourced pools' invoices (logged hours or tickets at the contract price, with minimums and flex band), the L4 vendor bill and SLA penalties; SLA credits from providers below zero.",
        "backlog_over_time" => "Open tickets and tickets waiting per tier, mean over replications with a 95% band; the warm-up is included.",
        "utilisation_heatmap" => "Busy agents / agents on duty by local hour of the week over the measured window; grey = nobody on duty.",
        _ => "",
    }
    .to_string()
}
