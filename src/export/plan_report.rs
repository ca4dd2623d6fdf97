//! The HTML page of `supportsim plan`: cost and hires as headline figures, the hiring
//! schedule, every month's targets and agents, and the two charts.

use super::Result;
use super::report::{self, HtmlChart, HtmlTable, Kpi, ReportInput};
use crate::chart::Rendered;
use crate::study::plan::{Measure, Outcome, Settings, Setup, Span, search};

/// Total cost over the horizon per replication of the final schedule, formatted.
fn cost_kpi(setup: &Setup, o: &Outcome) -> Kpi {
    let months = setup.horizon.months.len();
    let e = o.confirm.total_cost(setup);
    let unit = if setup.cost_unit() == "usd" {
        "USD"
    } else {
        "agent-hours"
    };
    Kpi {
        label: format!("cost over {months} months ({unit})"),
        value: format!("{:.0}", e.mean),
        ci: format!("95% CI {:.0} – {:.0}", e.ci_low, e.ci_high),
        note: "labour (paid agents, trainees included) plus hiring".into(),
    }
}

/// Adds `report.html` to the output set.
pub fn add_report(
    set: &mut super::OutputSet,
    setup: &Setup,
    st: &Settings,
    o: &Outcome,
    attainment: &Rendered,
    headcount: &Rendered,
) -> Result<()> {
    let h = &setup.horizon;
    let hired: u32 = o.added.iter().map(|x| x.count).sum();
    let checks = search::check_months(setup, st, &o.confirm);
    let before = search::check_months(setup, st, &o.before_confirm);
    let met = checks.iter().filter(|c| c.met()).count();
    let met_before = before.iter().filter(|c| c.met()).count();
    let kpis = vec![
        cost_kpi(setup, o),
        Kpi {
            label: "agents hired by the search".into(),
            value: hired.to_string(),
            ci: String::new(),
            note: o
                .added
                .first()
                .map_or(String::new(), |x| format!("first on {}", x.date)),
        },
        Kpi {
            label: "months meeting every target".into(),
            value: format!("{met} of {}", checks.len()),
            ci: String::new(),
            note: format!("file's hires only: {met_before}"),
        },
    ];
    let training = jiff::Span::new().days((setup.plan.training_weeks * 7.0).round() as i64);
    let hires = HtmlTable {
        title: "Hiring schedule".into(),
        header: ["date", "pool", "count", "on duty from", "source"]
            .map(String::from)
            .to_vec(),
        rows: setup
            .plan
            .hires
            .iter()
            .map(|x| (x, "file"))
            .chain(o.added.iter().map(|x| (x, "search")))
            .map(|(x, src)| {
                vec![
                    x.date.to_string(),
                    setup.pools[x.pool].clone(),
                    x.count.to_string(),
                    x.date.checked_add(training).unwrap_or(x.date).to_string(),
                    src.to_string(),
                ]
            })
            .collect(),
        status: Vec::new(),
    };
    let mut header = vec!["month".to_string()];
    header.extend(st.targets.iter().map(|t| t.target.expr.clone()));
    header.push(format!("paid agents {}", setup.pools.join("/")));
    header.push("verdict".into());
    let mut rows = Vec::new();
    let mut status = Vec::new();
    for (m, c) in checks.iter().enumerate() {
        let mut row = vec![h.month_label(m)];
        for r in &c.results {
            row.push(format!("{:.3} (bound {:.3})", r.mean, r.bound));
        }
        let heads: Vec<String> = (0..setup.pools.len())
            .map(|p| {
                format!(
                    "{:.1}",
                    o.confirm
                        .estimate(setup, Span::Month(m), &Measure::Headcount(p))
                        .mean
                )
            })
            .collect();
        row.push(heads.join("/"));
        let reach = search::reachable(setup, m);
        row.push(match (c.met(), reach) {
            (true, _) => "meets".into(),
            (false, true) => "misses".into(),
            (false, false) => "misses (before any hire is trained)".into(),
        });
        status.push(if c.met() { "meets" } else { "misses" }.to_string());
        rows.push(row);
    }
    let months = HtmlTable {
        title: format!(
            "Targets per month on fresh random numbers (seed {}, {} replications; bound: one-sided {:.0}%)",
            o.confirm.seed,
            st.replications,
            st.confidence * 100.0
        ),
        header,
        rows,
        status,
    };
    let page = ReportInput {
        title: format!("{}: capacity plan", setup.scenario.name),
        subtitle: setup.scenario.description.clone(),
        generated_by: format!(
            "supportsim {}, seed {}, {} replications per evaluation, {} evaluations",
            env!("CARGO_PKG_VERSION"),
            st.seed,
            st.replications,
            o.evaluations
        ),
        assumptions: vec![
            (
                "horizon".into(),
                format!("{} months from {}", h.months.len(), h.month_label(0)),
            ),
            (
                "training".into(),
                format!("{} weeks", setup.plan.training_weeks),
            ),
            (
                "attrition per month".into(),
                setup
                    .pools
                    .iter()
                    .zip(&setup.plan.attrition)
                    .map(|(n, r)| format!("{n} {:.1}%", r * 100.0))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
        ],
        kpis,
        tables: vec![hires, months],
        charts: vec![
            HtmlChart {
                title: "Attainment per month".into(),
                caption: "Mean attainment per plan month with its 95% CI band across replications, against each goal (flat line).".into(),
                svg: attainment.svg.clone(),
            },
            HtmlChart {
                title: "Headcount and requirement per month".into(),
                caption: "Paid agents per pool (trainees included) against the 85%-occupancy requirement estimate.".into(),
                svg: headcount.svg.clone(),
            },
        ],
        warnings: if o.unreachable.is_empty() {
            Vec::new()
        } else {
            vec!["Some early months miss before any hire can finish training; no schedule fixes them.".into()]
        },
    };
    set.add("report.html", report::render(&page).into_bytes());
    Ok(())
}
