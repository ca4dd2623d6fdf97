//! What `report.html` of a staffing search shows: the plan (headcount per pool or shift before
//! and after, scheduled FTE per pool), each target with its one-sided bound and margin
//! (percentage points for shares), the weekly cost, and the evaluation history (the HTML
//! itself is built by [`super::report`]).

use super::report::{self, HtmlChart, HtmlTable, Kpi, ReportInput};
use super::{OutputSet, Result};
use crate::chart::{self, Curve, Rendered};
use crate::format::thousands;
use crate::scenario::Scenario;
use crate::study::staff::{CostModel, Eval, Outcome, Problem, Target, TargetResult};

/// Evaluations listed in the history table at most; `search_log.csv` has all of them.
pub const MAX_HISTORY_ROWS: usize = 80;

/// Adds `report.html` and the search-path chart (`charts/search_path.svg`, `.png`) of a
/// staffing search to `set`.
///
/// # Errors
/// The chart fails to draw.
pub fn add_report(
    set: &mut OutputSet,
    base: &Scenario,
    staffed: &Scenario,
    p: &Problem,
    o: &Outcome,
) -> Result<()> {
    let path = search_path_chart(p, o)?;
    let mut page = staff_report(base, staffed, p, o);
    page.charts.push(HtmlChart {
        title: "Search path".into(),
        caption: "Every evaluated headcount vector at its cost and its worst target margin (as a share of the goal): above zero every target holds. The ring is the answer as confirmed on fresh random numbers.".into(),
        svg: path.svg.clone(),
    });
    set.add("charts/search_path.svg", path.svg.into_bytes());
    set.add("charts/search_path.png", path.png);
    set.add("report.html", report::render(&page).into_bytes());
    Ok(())
}

/// Cost against worst margin of every evaluation, feasible and infeasible apart, the confirmed
/// answer ringed.
fn search_path_chart(p: &Problem, o: &Outcome) -> Result<Rendered> {
    let mut groups: Vec<Curve> = Vec::new();
    let mut add = |name: &str, e: &Eval| {
        let pt = (e.cost, e.worst_margin);
        match groups.iter_mut().find(|c| c.name == name) {
            Some(c) => c.points.push(pt),
            None => groups.push(Curve {
                name: name.to_string(),
                points: vec![pt],
            }),
        }
    };
    for e in &o.search_log {
        add(
            if e.feasible {
                "search: all targets met"
            } else {
                "search: a target missed"
            },
            e,
        );
    }
    for e in &o.confirmation_log {
        add("confirmation seed", e);
    }
    let answer = Curve {
        name: "answer (confirmed)".into(),
        points: vec![(o.confirmed.cost, o.confirmed.worst_margin)],
    };
    Ok(chart::scatter(
        "Staffing search: cost vs worst target margin per evaluation",
        match p.cost {
            CostModel::LabourUsdPerWeek => "labour cost per week [USD]",
            CostModel::AgentHoursPerWeek => "paid agent-hours per week",
        },
        "worst margin / goal [%] (≥ 0: all targets met)",
        &groups,
        Some(&answer),
        true,
    )?)
}

/// A value in a target's unit: `93.4%`, `12.5 min`, `4.2 h`; `-` when not finite.
pub fn fmt_target_value(unit: &str, x: f64) -> String {
    if !x.is_finite() {
        return "-".into();
    }
    match unit {
        "fraction" => format!("{:.1}%", x * 100.0),
        "hours" => format!("{x:.2} h"),
        "min" => format!("{x:.1} min"),
        other => format!("{x:.2} {other}"),
    }
}

/// A margin in a target's unit, signed: percentage points for shares (`+3.3 pp`), else the
/// target's time unit (`-0.40 h`); `-` when not finite.
pub fn fmt_margin(unit: &str, x: f64) -> String {
    if !x.is_finite() {
        return "-".into();
    }
    let sign = if x < 0.0 { "-" } else { "+" };
    match unit {
        "fraction" => format!("{sign}{:.1} pp", x.abs() * 100.0),
        _ => format!("{sign}{}", fmt_target_value(unit, x.abs())),
    }
}

/// A cost of `model` as the page shows it: `$66,640` or `910 agent-hours`.
pub fn fmt_cost(model: CostModel, x: f64) -> String {
    if !x.is_finite() {
        return "-".into();
    }
    match model {
        CostModel::LabourUsdPerWeek => format!("${}", thousands(x)),
        CostModel::AgentHoursPerWeek => format!("{} agent-hours", thousands(x)),
    }
}

/// A signed cost change: `+$1,200` / `-35 agent-hours`.
fn fmt_cost_change(model: CostModel, x: f64) -> String {
    if !x.is_finite() {
        return "-".into();
    }
    let sign = if x < 0.0 { "-" } else { "+" };
    format!("{sign}{}", fmt_cost(model, x.abs()))
}

fn signed(d: i64) -> String {
    match d {
        0 => "0".into(),
        d if d > 0 => format!("+{d}"),
        d => d.to_string(),
    }
}

/// The row of one target on one evaluation: target, threshold, mean, bound, margin, verdict.
fn target_row(t: &Target, r: &TargetResult, confidence: f64) -> (Vec<String>, &'static str) {
    let bound_side = match t.op {
        crate::study::staff::Op::AtLeast => "lower",
        crate::study::staff::Op::AtMost => "upper",
    };
    (
        vec![
            t.expr.clone(),
            format!(
                "{} {}",
                t.op.symbol(),
                fmt_target_value(t.unit, t.threshold)
            ),
            fmt_target_value(t.unit, r.mean),
            format!(
                "{} ({bound_side}, {:.0}%)",
                fmt_target_value(t.unit, r.bound),
                confidence * 100.0
            ),
            fmt_margin(t.unit, r.margin),
            if r.met { "met" } else { "missed" }.into(),
        ],
        if r.met { "meets" } else { "misses" },
    )
}

/// Builds the report of one staffing search: `base` is the file's scenario, `staffed` the
/// answer's (as confirmed).
pub fn staff_report(base: &Scenario, staffed: &Scenario, p: &Problem, o: &Outcome) -> ReportInput {
    let model = p.cost;
    let before = model.cost(base);
    let after = o.confirmed.cost;
    let met = o.confirmed.targets.iter().filter(|r| r.met).count();

    let mut kpis = vec![
        Kpi {
            label: match model {
                CostModel::LabourUsdPerWeek => "Labour cost per week (USD)".into(),
                CostModel::AgentHoursPerWeek => "Paid agent-hours per week".into(),
            },
            value: fmt_cost(model, after),
            ci: format!(
                "file's staffing: {} ({})",
                fmt_cost(model, before),
                fmt_cost_change(model, after - before)
            ),
            note: "scheduled hours x price; shrinkage is paid".into(),
        },
        Kpi {
            label: "Targets met on fresh random numbers".into(),
            value: format!("{met} of {}", p.targets.len()),
            ci: format!(
                "one-sided {:.0}% bounds, {} replications",
                p.confidence * 100.0,
                p.confirm_replications
            ),
            note: format!("confirmation seed {}", o.confirmation_seed),
        },
    ];
    let added: i64 = o
        .confirmed
        .headcount
        .iter()
        .zip(&o.file_headcount)
        .map(|(&a, &b)| i64::from(a) - i64::from(b))
        .sum();
    kpis.push(Kpi {
        label: "Agents changed (all searched units)".into(),
        value: signed(added),
        ci: format!(
            "{} evaluations in the search, {} in the confirmation",
            o.search_log.len(),
            o.confirmation_log.len()
        ),
        note: String::new(),
    });

    let mut plan = HtmlTable {
        title: "Plan: agents on duty per pool or shift (file → answer)".into(),
        header: [
            "pool / shift",
            "file",
            "answer",
            "change",
            "search answer",
            "Erlang start",
            "stability floor",
        ]
        .map(String::from)
        .to_vec(),
        rows: Vec::new(),
        status: Vec::new(),
    };
    for (i, unit) in o.pools.iter().enumerate() {
        let (file, ans) = (o.file_headcount[i], o.confirmed.headcount[i]);
        plan.rows.push(vec![
            unit.replace(".shifts.", " / shift "),
            file.to_string(),
            ans.to_string(),
            signed(i64::from(ans) - i64::from(file)),
            o.search_answer.headcount[i].to_string(),
            o.start[i].to_string(),
            p.floor[i].to_string(),
        ]);
        plan.status.push(String::new());
    }

    let mut fte = HtmlTable {
        title: "Scheduled FTE per pool (40 paid hours a week, shrinkage included)".into(),
        header: ["pool", "file", "answer", "change"]
            .map(String::from)
            .to_vec(),
        rows: Vec::new(),
        status: Vec::new(),
    };
    for (name, b) in &base.scheduled_fte {
        let a = staffed
            .scheduled_fte
            .iter()
            .find(|(n, _)| n == name)
            .map_or(f64::NAN, |(_, a)| *a);
        let d = a - b;
        fte.rows.push(vec![
            name.clone(),
            format!("{b:.1}"),
            format!("{a:.1}"),
            if d.abs() < 0.05 {
                "0".into()
            } else {
                format!("{}{:.1}", if d > 0.0 { "+" } else { "-" }, d.abs())
            },
        ]);
        fte.status.push(String::new());
    }

    let mut targets = HtmlTable {
        title: format!(
            "Targets on the confirmation run (seed {}, {} replications); margins in percentage points for shares",
            o.confirmation_seed, p.confirm_replications
        ),
        header: ["target", "goal", "mean", "bound", "margin", "verdict"]
            .map(String::from)
            .to_vec(),
        rows: Vec::new(),
        status: Vec::new(),
    };
    for (t, r) in p.targets.iter().zip(&o.confirmed.targets) {
        let (cells, status) = target_row(t, r, p.confidence);
        targets.rows.push(cells);
        targets.status.push(status.to_string());
    }

    let mut history = HtmlTable {
        title: "Evaluation history (search seed, then confirmation seed)".into(),
        header: ["phase", "#"]
            .into_iter()
            .map(String::from)
            .chain(o.pools.iter().map(|u| u.replace(".shifts.", " / ")))
            .chain([
                match model {
                    CostModel::LabourUsdPerWeek => "USD / week".to_string(),
                    CostModel::AgentHoursPerWeek => "agent-h / week".to_string(),
                },
                "worst margin".to_string(),
                "feasible".to_string(),
            ])
            .collect(),
        rows: Vec::new(),
        status: Vec::new(),
    };
    let log: Vec<(&str, &Eval)> = o
        .search_log
        .iter()
        .map(|e| ("search", e))
        .chain(o.confirmation_log.iter().map(|e| ("confirmation", e)))
        .collect();
    for (phase, e) in log.iter().take(MAX_HISTORY_ROWS) {
        let mut cells = vec![phase.to_string(), e.index.to_string()];
        cells.extend(e.headcount.iter().map(u32::to_string));
        cells.push(thousands(e.cost));
        cells.push(if e.worst_margin.is_finite() {
            format!("{:+.1}%", e.worst_margin * 100.0)
        } else {
            "-".into()
        });
        cells.push(if e.feasible { "yes" } else { "no" }.into());
        history.rows.push(cells);
        history
            .status
            .push(if e.feasible { "meets" } else { "misses" }.into());
    }

    let mut warnings = Vec::new();
    if o.added_on_confirmation > 0 {
        warnings.push(format!(
            "The search answer failed a target on the confirmation seed: {} agent(s) were added by marginal analysis on that seed.",
            o.added_on_confirmation
        ));
    }
    if o.confirmed.unstable > 0 {
        warnings.push(format!(
            "{} confirmation replications hit run.max_open_tickets: the answer's queues are understated.",
            o.confirmed.unstable
        ));
    }
    if log.len() > MAX_HISTORY_ROWS {
        warnings.push(format!(
            "The history shows the first {MAX_HISTORY_ROWS} of {} evaluations; search_log.csv has them all.",
            log.len()
        ));
    }

    let assumptions = vec![
        (
            "Method".to_string(),
            format!(
                "lowest-cost headcount per searched pool (or shift) such that every target holds with its one-sided {:.0}% bound: Erlang-based start, marginal analysis, descent and swaps on common random numbers (seed {}, {} replications per evaluation), then a confirmation on fresh random numbers",
                p.confidence * 100.0,
                p.seed,
                p.replications
            ),
        ),
        (
            "Cost".to_string(),
            match model {
                CostModel::LabourUsdPerWeek => "labour cost per week in USD: internal pools' scheduled hours x cost_per_hour_usd plus hourly contracts' bills".to_string(),
                CostModel::AgentHoursPerWeek => "paid (scheduled) agent-hours per week: the file does not price every pool by the hour".to_string(),
            },
        ),
        (
            "Margin".to_string(),
            "bound − goal for ≥ targets, goal − bound for ≤ targets: not negative when met; shares in percentage points (pp)".to_string(),
        ),
        (
            "Worst margin".to_string(),
            "in the history: the smallest margin over targets as a share of its goal".to_string(),
        ),
    ];

    let mut tables = vec![targets, plan, fte];
    if !history.rows.is_empty() {
        tables.push(history);
    }
    ReportInput {
        title: format!("Staffing plan: {}", base.name),
        subtitle: format!(
            "Targets: {}",
            p.targets
                .iter()
                .map(|t| t.expr.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        ),
        generated_by: format!(
            "supportsim {}, seed {}, {} replications per evaluation, confirmation {} replications",
            env!("CARGO_PKG_VERSION"),
            p.seed,
            p.replications,
            p.confirm_replications
        ),
        assumptions,
        kpis,
        tables,
        charts: Vec::new(),
        warnings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn margins_of_shares_are_percentage_points_and_costs_read_as_money() {
        assert_eq!(fmt_margin("fraction", 0.0329), "+3.3 pp");
        assert_eq!(fmt_margin("fraction", -0.004), "-0.4 pp");
        assert_eq!(fmt_margin("hours", -0.4), "-0.40 h");
        assert_eq!(fmt_margin("min", 2.25), "+2.2 min");
        assert_eq!(fmt_target_value("fraction", 0.95), "95.0%");
        assert_eq!(fmt_margin("fraction", f64::NAN), "-");
        assert_eq!(fmt_cost(CostModel::LabourUsdPerWeek, 66_640.0), "$66,640");
        assert_eq!(
            fmt_cost(CostModel::AgentHoursPerWeek, 910.4),
            "910 agent-hours"
        );
        assert_eq!(
            fmt_cost_change(CostModel::LabourUsdPerWeek, -1200.0),
            "-$1,200"
        );
    }
}
