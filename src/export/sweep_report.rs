//! What `report.html` of a sweep shows: the grid (each point's swept values, cost, headline
//! metrics with 95% CIs and its SLA verdict), the Pareto-optimal points, and every sweep chart
//! with the frontier first (the HTML itself is built by [`super::report`]).

use super::OutputSet;
use super::Result;
use super::compare_report::fmt_mean_ci;
use super::report::{self, HtmlChart, HtmlTable, Kpi, ReportInput};
use super::sweep::{SweepView, sweep_charts};
use crate::chart::Rendered;
use crate::format::thousands;
use crate::montecarlo::Verdict;
use crate::scenario::Scenario;
use crate::study::sweep::show;

/// Rows of the grid table at most; `sweep.csv` has every point.
pub const MAX_GRID_ROWS: usize = 200;

/// Headline metrics of the grid table: (metric, column heading).
/// (Abandonment is in sweep.csv and its own chart: a fourth CI column makes the grid wider
/// than a 1,280 px page.)
const METRICS: [(&str, &str); 3] = [
    ("first_response_time_min", "first response"),
    ("resolution_time_min", "resolution"),
    ("sla_resolution_attainment", "SLA resolution met"),
];

/// Renders the sweep's charts into `set` (`charts/<name>.svg` and `.png`) and adds
/// `report.html` built from the same renderings.
///
/// # Errors
/// A chart that fails to draw.
pub fn add_charts_and_report(
    set: &mut OutputSet,
    v: &SweepView,
    base: &Scenario,
    seed: u64,
    reps: u32,
) -> Result<()> {
    let charts = sweep_charts(v)?;
    for (name, r) in &charts {
        set.add(format!("charts/{name}.svg"), r.svg.clone().into_bytes());
        set.add(format!("charts/{name}.png"), r.png.clone());
    }
    let page = sweep_report(&base.name, &base.description, v, &charts, seed, reps);
    set.add("report.html", report::render(&page).into_bytes());
    Ok(())
}

/// A point's SLA standing: (cell text, badge status) over every per-target attainment row
/// with a goal and tickets.
fn sla_verdict(v: &SweepView, k: usize) -> (String, &'static str) {
    let (mut meets, mut misses, mut borderline) = (0, 0, 0);
    for r in &v.results[k].summary {
        let Some(goal) = r.goal else { continue };
        if r.estimate.n == 0 || !r.estimate.mean.is_finite() {
            continue;
        }
        match r.verdict(goal) {
            Verdict::Meets => meets += 1,
            Verdict::Misses => misses += 1,
            Verdict::Borderline => borderline += 1,
        }
    }
    let n = meets + misses + borderline;
    if n == 0 {
        ("no SLA goals".into(), "")
    } else if misses > 0 {
        (format!("misses {misses}/{n}"), "misses")
    } else if borderline > 0 {
        (format!("borderline {borderline}/{n}"), "borderline")
    } else {
        (format!("meets {n}/{n}"), "meets")
    }
}

/// The cost of point `k` as the report shows it.
fn cost_text(v: &SweepView, k: usize) -> String {
    let c = v.cost[k];
    if !c.is_finite() {
        return "-".into();
    }
    if v.cost_name == "cost_usd_per_week" {
        format!("${}", thousands(c))
    } else {
        thousands(c)
    }
}

fn cost_heading(v: &SweepView) -> &'static str {
    if v.cost_name == "cost_usd_per_week" {
        "cost / week"
    } else {
        "agent-h / week"
    }
}

/// The metric columns shown: the headline ones a point has, plus the frontier metric.
fn metric_columns<'a>(v: &SweepView<'a>) -> Vec<(&'a str, String)> {
    let mut metrics: Vec<(&str, String)> =
        METRICS.iter().map(|(m, l)| (*m, l.to_string())).collect();
    if !metrics.iter().any(|(m, _)| *m == v.frontier_metric) {
        metrics.push((v.frontier_metric, v.frontier_metric.replace('_', " ")));
    }
    metrics.retain(|(m, _)| (0..v.points.len()).any(|k| v.mean(k, m, "all").is_finite()));
    metrics
}

/// A point's settings as one label: `pools.l1.headcount=6, model=swarm`.
fn point_label(v: &SweepView, k: usize) -> String {
    v.points[k].label()
}

/// Builds the report of one sweep.
pub fn sweep_report(
    name: &str,
    description: &str,
    v: &SweepView,
    charts: &[(String, Rendered)],
    seed: u64,
    reps: u32,
) -> ReportInput {
    let n = v.points.len();
    let metrics = metric_columns(v);
    let verdicts: Vec<(String, &str)> = (0..n).map(|k| sla_verdict(v, k)).collect();

    let mut assumptions = vec![(
        "Method".to_string(),
        format!(
            "{n} points x {reps} replications on common random numbers (seed {seed}): replication i of every point sees the same arrivals, so points differ only by their settings"
        ),
    )];
    for x in v.varies {
        let vals: Vec<String> = x.values.iter().map(show).collect();
        assumptions.push((format!("Varied {}", x.key), vals.join(", ")));
    }
    assumptions.push((
        "Cost".to_string(),
        if v.cost_name == "cost_usd_per_week" {
            "mean total cost per week over replications (pay, invoices, vendor, penalties, credits)"
                .to_string()
        } else {
            "paid (scheduled) agent-hours per week: the file does not price every pool".to_string()
        },
    ));
    assumptions.push((
        "Frontier".to_string(),
        format!(
            "a point is Pareto-optimal when no other point costs no more and does at least as well on {} (means)",
            v.frontier_metric
        ),
    ));
    assumptions.push((
        "SLA verdict".to_string(),
        "over every SLA target's first-response and resolution goal: meets when the whole 95% CI of the attainment is at or above the goal, misses when it is wholly below, borderline otherwise; \"misses 2/12\" = 2 of 12 goals missed".to_string(),
    ));

    let mut warnings: Vec<String> = (0..n)
        .filter(|&k| v.results[k].unstable > 0)
        .map(|k| {
            format!(
                "point #{k} ({}): {} replications hit run.max_open_tickets; its figures understate the queues",
                point_label(v, k),
                v.results[k].unstable
            )
        })
        .collect();
    if n > MAX_GRID_ROWS {
        warnings.push(format!(
            "The grid table shows the first {MAX_GRID_ROWS} of {n} points; sweep.csv has them all."
        ));
    }

    let mut kpis = vec![Kpi {
        label: "Points simulated".into(),
        value: n.to_string(),
        ci: format!("{reps} replications each"),
        note: format!("{} Pareto-optimal", v.pareto.iter().filter(|&&p| p).count()),
    }];
    let cheapest = (0..n)
        .filter(|&k| verdicts[k].1 == "meets" && v.cost[k].is_finite())
        .min_by(|&a, &b| v.cost[a].total_cmp(&v.cost[b]));
    match cheapest {
        Some(k) => kpis.push(Kpi {
            label: "Cheapest point meeting every SLA goal".into(),
            value: format!("#{k}"),
            ci: point_label(v, k),
            note: format!("{}: {}", cost_heading(v), cost_text(v, k)),
        }),
        None if verdicts.iter().any(|(_, s)| !s.is_empty()) => kpis.push(Kpi {
            label: "Cheapest point meeting every SLA goal".into(),
            value: "none".into(),
            ci: "no point's CIs clear every goal".into(),
            note: String::new(),
        }),
        None => {}
    }

    // The settings share one text column, which wraps: the table keeps to the page's width
    // for any number of varied keys.
    let mut grid = HtmlTable {
        title: "Grid: every point, mean [95% CI] over replications (* = Pareto-optimal)".into(),
        header: ["#", "settings", cost_heading(v)]
            .into_iter()
            .map(String::from)
            .chain(metrics.iter().map(|(_, l)| l.clone()))
            .chain(["SLA goals".to_string()])
            .collect(),
        rows: Vec::new(),
        status: Vec::new(),
    };
    for (k, verdict) in verdicts.iter().enumerate().take(n.min(MAX_GRID_ROWS)) {
        let mut cells = vec![
            format!("{k}{}", if v.pareto[k] { "*" } else { "" }),
            point_label(v, k),
        ];
        cells.push(cost_text(v, k));
        for (m, _) in &metrics {
            cells.push(v.row(k, m, "all").map_or("-".into(), |r| {
                if r.estimate.mean.is_finite() {
                    fmt_mean_ci(r.kind, &r.estimate)
                } else {
                    "-".into()
                }
            }));
        }
        cells.push(verdict.0.clone());
        grid.rows.push(cells);
        grid.status.push(verdict.1.to_string());
    }

    let mut front = HtmlTable {
        title: format!(
            "Pareto-optimal points by cost ({} vs {})",
            cost_heading(v),
            v.frontier_metric
        ),
        header: [
            "#",
            "settings",
            cost_heading(v),
            v.frontier_metric,
            "SLA goals",
        ]
        .map(String::from)
        .to_vec(),
        rows: Vec::new(),
        status: Vec::new(),
    };
    let mut best: Vec<usize> = (0..n).filter(|&k| v.pareto[k]).collect();
    best.sort_by(|&a, &b| v.cost[a].total_cmp(&v.cost[b]).then(a.cmp(&b)));
    for k in best {
        front.rows.push(vec![
            k.to_string(),
            point_label(v, k),
            cost_text(v, k),
            v.row(k, v.frontier_metric, "all")
                .map_or("-".into(), |r| fmt_mean_ci(r.kind, &r.estimate)),
            verdicts[k].0.clone(),
        ]);
        front.status.push(verdicts[k].1.to_string());
    }
    let mut tables = Vec::new();
    if !front.rows.is_empty() {
        tables.push(front);
    }
    tables.push(grid);

    // The frontier first: it is the chart the page is about.
    let mut ordered: Vec<&(String, Rendered)> =
        charts.iter().filter(|(c, _)| c == "frontier").collect();
    ordered.extend(charts.iter().filter(|(c, _)| c != "frontier"));
    let charts = ordered
        .into_iter()
        .map(|(c, r)| HtmlChart {
            title: chart_title(c, v),
            caption: chart_caption(c).to_string(),
            svg: r.svg.clone(),
        })
        .collect();

    ReportInput {
        title: format!("Sweep: {name}"),
        subtitle: if description.trim().is_empty() {
            format!(
                "{n} variants of {name}, varying {}",
                v.varies
                    .iter()
                    .map(|x| x.key.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        } else {
            description.to_string()
        },
        generated_by: format!(
            "supportsim {}, seed {seed}, {reps} replications per point",
            env!("CARGO_PKG_VERSION")
        ),
        assumptions,
        kpis,
        tables,
        charts,
        warnings,
    }
}

fn chart_title(stem: &str, v: &SweepView) -> String {
    if stem == "frontier" {
        return format!("Cost vs {} frontier", v.frontier_metric.replace('_', " "));
    }
    stem.replace('_', " ")
}

fn chart_caption(stem: &str) -> &'static str {
    if stem == "frontier" {
        "Each dot is a point of the grid at its mean cost and mean benefit; the ringed points joined by the line are Pareto-optimal (no other point is cheaper and at least as good), each labelled with its settings."
    } else {
        "Mean over replications against the first varied key, with its 95% confidence interval; one line per combination of the other keys."
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::montecarlo::SummaryRow;
    use crate::stats::summary::Estimate;
    use crate::study::sweep::{Point, PointResult, Vary};
    use toml::Value;

    fn row(
        metric: &'static str,
        group: &str,
        mean: f64,
        half: f64,
        goal: Option<f64>,
    ) -> SummaryRow {
        let mut e = Estimate::from_values([mean - half, mean + half]);
        e.ci_low = mean - half;
        e.ci_high = mean + half;
        SummaryRow {
            metric,
            group: group.into(),
            key: crate::measure::GroupKey::default(),
            kind: crate::measure::Kind::Fraction,
            estimate: e,
            quantiles: None,
            goal,
        }
    }

    #[test]
    fn grid_has_a_row_per_point_with_verdicts_and_the_frontier_table() {
        let varies = vec![Vary {
            key: "pools.l1.headcount".into(),
            values: vec![Value::Integer(4), Value::Integer(6)],
        }];
        let points: Vec<Point> = (0..2)
            .map(|k| Point {
                index: k,
                settings: vec![(
                    "pools.l1.headcount".into(),
                    Value::Integer(4 + 2 * k as i64),
                )],
            })
            .collect();
        let results: Vec<PointResult> = [(0.80, 0.9), (0.97, 0.99)]
            .iter()
            .map(|&(m, att)| PointResult {
                summary: vec![
                    row("sla_resolution_attainment", "all", m, 0.01, None),
                    row(
                        "sla_resolution_attainment",
                        "target=P1/*",
                        att,
                        0.005,
                        Some(0.95),
                    ),
                ],
                values: Vec::new(),
                unstable: 0,
                tickets: 0,
            })
            .collect();
        let cost = [1000.0, 1500.0];
        let pareto = [true, true];
        let v = SweepView {
            varies: &varies,
            points: &points,
            results: &results,
            cost: &cost,
            cost_name: "cost_usd_per_week",
            pareto: &pareto,
            frontier_metric: "sla_resolution_attainment",
        };
        let page = sweep_report("demo", "", &v, &[], 7, 2);
        let grid = page.tables.last().unwrap();
        assert_eq!(grid.rows.len(), 2);
        assert_eq!(grid.status, ["misses", "meets"]);
        assert_eq!(grid.rows[0][0], "0*");
        assert_eq!(grid.rows[0][1], "pools.l1.headcount=4");
        assert_eq!(grid.rows[1][2], "$1,500");
        assert_eq!(grid.rows[0].last().unwrap(), "misses 1/1");
        assert_eq!(grid.rows[1].last().unwrap(), "meets 1/1");
        assert_eq!(
            page.tables[0].rows.len(),
            2,
            "both points are on the frontier"
        );
        // The cheapest point meeting every goal is #1.
        assert!(page.kpis.iter().any(|k| k.value == "#1"));
        let html = report::render(&page);
        assert!(html.contains("pools.l1.headcount"));
    }
}
