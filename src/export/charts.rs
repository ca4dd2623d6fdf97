//! Chart selection for a run: which summary rows become which chart (the drawing itself is
//! in [`crate::chart`]).

use super::Result;
use crate::chart::{self, BandSeries, CiBar, Curve, Marker, Rendered, StackedBar};
use crate::montecarlo::{MonteCarlo, SummaryRow, find_row as row};
use crate::scenario::calendar::{SLOT_MIN, local_slots};
use crate::scenario::raw::Sourcing;
use crate::scenario::{Costs, Scenario};
use crate::stats::hist::LogHistogram;

/// The charts of `supportsim run`, as (file stem, rendering).
pub fn run_charts(
    s: &Scenario,
    mc: &MonteCarlo,
    rows: &[SummaryRow],
) -> Result<Vec<(String, Rendered)>> {
    let mut out = Vec::new();
    if !s.sla.targets.is_empty() {
        out.push((
            "sla_attainment_by_priority".to_string(),
            sla_by_priority(s, rows)?,
        ));
        out.push((
            "sla_attainment_by_target".to_string(),
            sla_by_target(s, rows)?,
        ));
        out.push((
            "sla_attainment_by_priority_segment".to_string(),
            sla_by_cell(s, rows)?,
        ));
    }
    out.push(("first_response_cdf".to_string(), cdf_chart(s, mc, true)?));
    out.push(("resolution_cdf".to_string(), cdf_chart(s, mc, false)?));
    out.push(("backlog_over_time".to_string(), backlog(s, mc)?));
    if let Some(c) = &s.costs {
        out.push(("cost_breakdown".to_string(), cost_breakdown(s, c, rows)?));
    }
    out.push((
        "utilisation_heatmap".to_string(),
        utilisation_heatmap(s, mc)?,
    ));
    Ok(out)
}

/// SLA attainment per priority x segment cell covered by a target.
fn sla_by_cell(s: &Scenario, rows: &[SummaryRow]) -> Result<Rendered> {
    let ns = s.segment_count();
    let mut bars = Vec::new();
    for (p, pn) in s.demand.priority_names.iter().enumerate() {
        for (sg, sn) in s.demand.segment_names.iter().enumerate() {
            let cell = p * ns + sg;
            let group = format!("priority={pn},segment={sn}");
            for (metric, fr, idx) in [
                (
                    "sla_first_response_attainment",
                    true,
                    s.sla.first_response_of[cell],
                ),
                (
                    "sla_resolution_attainment",
                    false,
                    s.sla.resolution_of[cell],
                ),
            ] {
                let Some(i) = idx else { continue };
                let t = &s.sla.targets[i as usize];
                let goal = if fr { t.first_response } else { t.resolution }.map(|x| x.goal);
                let series = if fr { "first response" } else { "resolution" };
                if let Some(r) = row(rows, metric, &group).filter(|r| r.estimate.n > 0) {
                    bars.push(bar(r, format!("{pn}/{sn}"), series, goal));
                }
            }
        }
    }
    Ok(chart::grouped_bars_ci(
        &format!(
            "{}: SLA attainment by priority x segment (mean, 95% CI; dashes = goal)",
            s.name
        ),
        "priority/segment",
        "tickets within target [%]",
        &bars,
        (0.0, 1.0),
        true,
    )?)
}

/// Empirical CDF of a merged histogram, as (minutes, fraction) points from quantiles.
pub(crate) fn cdf_points(h: &LogHistogram) -> Vec<(f64, f64)> {
    if h.count() == 0 {
        return Vec::new();
    }
    (0..=400)
        .map(|i| {
            let q = i as f64 / 400.0;
            (h.quantile(q), q)
        })
        .collect()
}

/// One vertical marker per distinct SLA limit (first response or resolution), labelled with
/// every target that uses it.
///
/// The charts' time axis is wall-clock time. A limit on a business-hours clock has no single
/// place on it (24 business hours end 1 to 3+ wall-clock days after arrival, depending on when
/// the ticket came in), so drawing it at 24 h would claim something false: such a limit is a
/// marker without a position (`x` NaN), which the chart lists under its legend as
/// "`P2/*`: 24 business h (us-business)" instead of drawing it.
pub(crate) fn sla_markers(s: &Scenario, first_response: bool) -> Vec<Marker> {
    let mut markers: Vec<Marker> = Vec::new();
    let mut business: Vec<(String, Vec<String>)> = Vec::new();
    for t in &s.sla.targets {
        let target = if first_response {
            t.first_response
        } else {
            t.resolution
        };
        if let Some(tg) = target.filter(|tg| tg.clock.is_some()) {
            let limit = crate::format::limit_label(&s.sla, &tg);
            match business.iter_mut().find(|(l, _)| *l == limit) {
                Some((_, who)) => who.push(t.label.clone()),
                None => business.push((limit, vec![t.label.clone()])),
            }
            continue;
        }
        if let Some(tg) = target {
            match markers
                .iter_mut()
                .find(|m| (m.x - tg.limit_min).abs() < 1e-9)
            {
                Some(m) => m.label.push_str(&format!(", {}", marker_who(&t.label))),
                None => markers.push(Marker {
                    x: tg.limit_min,
                    label: format!(
                        "{} {}",
                        crate::format::human_min(tg.limit_min),
                        marker_who(&t.label)
                    ),
                }),
            }
        }
    }
    markers.extend(business.into_iter().map(|(limit, who)| Marker {
        x: f64::NAN,
        label: format!("{}: {limit}", who.join(", ")),
    }));
    markers
}

/// Who a target covers, for a chart (see [`crate::format::target_who`]).
fn marker_who(label: &str) -> &str {
    crate::format::target_who(label)
}

/// Distribution (CDF) of first-response or resolution time over every ticket of every
/// replication: all tickets and each priority, with the SLA limits marked.
fn cdf_chart(s: &Scenario, mc: &MonteCarlo, first_response: bool) -> Result<Rendered> {
    let hists = if first_response {
        &mc.fr_hist
    } else {
        &mc.res_hist
    };
    let mut curves = Vec::new();
    if let Some(h) = hists.first() {
        curves.push(Curve {
            name: "all tickets".into(),
            points: cdf_points(h),
        });
    }
    for (p, name) in s.demand.priority_names.iter().enumerate() {
        if let Some(h) = hists.get(1 + p).filter(|h| h.count() > 0) {
            curves.push(Curve {
                name: name.to_string(),
                points: cdf_points(h),
            });
        }
    }
    // With a single priority its curve is the all-tickets curve drawn twice; name it once.
    if curves.len() == 2 {
        let only = curves.pop().map(|c| c.name).unwrap_or_default();
        curves[0].name = format!("all tickets (all {only})");
    }
    let markers = sla_markers(s, first_response);
    let what = if first_response {
        "first response"
    } else {
        "resolution"
    };
    let limits = if markers.is_empty() {
        ""
    } else {
        "; lines = SLA limits"
    };
    Ok(chart::curves(
        &format!("{}: {what} time distribution (CDF{limits})", s.name),
        &format!("{what} time [wall-clock minutes, log scale]"),
        "tickets within time [%]",
        &curves,
        &markers,
        true,
        true,
    )?)
}

/// Utilisation per pool and local hour of the week over the measured window: busy agents /
/// agents on duty from the time-series snapshots (grey where nobody is on duty).
fn utilisation_heatmap(s: &Scenario, mc: &MonteCarlo) -> Result<Rendered> {
    let cols = mc.layout.columns.len();
    let slots =
        local_slots(s.run.start_date, &s.run.timezone, s.run.span_min()).unwrap_or_default();
    let dt = s.run.interval_min;
    let mut labels = Vec::new();
    let mut values = Vec::new();
    for p in &s.pools {
        let g = crate::measure::GroupKey::pool(&p.name);
        let find = |name: &str| {
            mc.layout
                .columns
                .iter()
                .position(|(n, gg)| *n == name && *gg == g)
        };
        let (Some(cb), Some(cs)) = (find("busy_agents"), find("on_duty_agents")) else {
            continue;
        };
        let mut busy = vec![0.0; 168];
        let mut duty = vec![0.0; 168];
        for (k, &t) in mc.layout.times.iter().enumerate() {
            if t <= s.run.warmup_min {
                continue;
            }
            let mid = t - dt / 2.0;
            let Some(slot) = slots.get((mid / SLOT_MIN) as usize) else {
                continue;
            };
            let how = slot.weekday as usize * 24 + (slot.minute_of_day / 60) as usize;
            let b = mc.series.estimate(k * cols + cb).0;
            let d = mc.series.estimate(k * cols + cs).0;
            if b.is_finite() && d.is_finite() {
                busy[how] += b;
                duty[how] += d;
            }
        }
        labels.push(p.name.clone());
        values.push(
            busy.iter()
                .zip(&duty)
                .map(|(b, d)| if *d > 0.0 { (b / d).min(1.0) } else { f64::NAN })
                .collect(),
        );
    }
    Ok(chart::heatmap_week(
        &format!(
            "{}: utilisation by pool and hour of week ({} time)",
            s.name, s.raw.demand.timezone
        ),
        &format!(
            "local time, Monday to Sunday ({}); small ticks at 06:00 and 18:00",
            s.raw.demand.timezone
        ),
        &labels,
        &values,
    )?)
}

/// The goal shared by every target covering priority `p`, if they agree.
fn common_goal(s: &Scenario, p: usize, fr: bool) -> Option<f64> {
    let ns = s.segment_count();
    let table = if fr {
        &s.sla.first_response_of
    } else {
        &s.sla.resolution_of
    };
    let mut goals = (0..ns).filter_map(|sg| table[p * ns + sg]).map(|i| {
        let t = &s.sla.targets[i as usize];
        if fr { t.first_response } else { t.resolution }.map(|x| x.goal)
    });
    let first = goals.next()??;
    goals.all(|g| g == Some(first)).then_some(first)
}

fn bar(r: &SummaryRow, category: String, series: &str, goal: Option<f64>) -> CiBar {
    CiBar::of_estimate(category, series.to_string(), &r.estimate, goal)
}

fn sla_by_priority(s: &Scenario, rows: &[SummaryRow]) -> Result<Rendered> {
    let mut bars = Vec::new();
    for (p, name) in s.demand.priority_names.iter().enumerate() {
        for (metric, series, fr) in [
            ("sla_first_response_attainment", "first response", true),
            ("sla_resolution_attainment", "resolution", false),
        ] {
            if let Some(r) =
                row(rows, metric, &format!("priority={name}")).filter(|r| r.estimate.n > 0)
            {
                bars.push(bar(r, name.to_string(), series, common_goal(s, p, fr)));
            }
        }
    }
    Ok(chart::grouped_bars_ci(
        &format!(
            "{}: SLA attainment by priority (mean, 95% CI; dashes = goal)",
            s.name
        ),
        "priority",
        "tickets within target [%]",
        &bars,
        (0.0, 1.0),
        true,
    )?)
}

fn sla_by_target(s: &Scenario, rows: &[SummaryRow]) -> Result<Rendered> {
    let mut bars = Vec::new();
    for t in &s.sla.targets {
        let g = format!("target={}", t.label);
        if let (Some(r), Some(tg)) = (
            row(rows, "sla_first_response_attainment", &g),
            t.first_response,
        ) && r.estimate.n > 0
        {
            bars.push(bar(r, t.label.clone(), "first response", Some(tg.goal)));
        }
        if let (Some(r), Some(tg)) = (row(rows, "sla_resolution_attainment", &g), t.resolution)
            && r.estimate.n > 0
        {
            bars.push(bar(r, t.label.clone(), "resolution", Some(tg.goal)));
        }
    }
    Ok(chart::grouped_bars_ci(
        &format!(
            "{}: SLA attainment by target (mean, 95% CI; dashes = goal)",
            s.name
        ),
        "SLA target (priority/segment)",
        "tickets within target [%]",
        &bars,
        (0.0, 1.0),
        true,
    )?)
}

/// Cost of each invoice week by component (means over replications), stacked: each pool's
/// pay or invoice, the vendor, SLA penalties, and SLA credits below zero.
fn cost_breakdown(s: &Scenario, c: &Costs, rows: &[SummaryRow]) -> Result<Rendered> {
    let mut bars = Vec::new();
    for day in &c.week_starts {
        let get = |item: &str| {
            row(rows, "weekly_cost_usd", &format!("week={day} {item}")).map(|r| r.estimate.mean)
        };
        let mut parts: Vec<(String, f64)> = Vec::new();
        for pc in &c.pools {
            let label = match pc.sourcing {
                Sourcing::Internal => format!("{} (internal)", pc.name),
                Sourcing::Outsourced => format!("{} (outsourced)", pc.name),
            };
            if let Some(v) = get(&format!("pool={}", pc.name)) {
                parts.push((label, v));
            }
        }
        parts.extend(get("vendor").map(|v| ("L4 vendor".to_string(), v)));
        parts.extend(get("sla_penalties").map(|v| ("SLA penalties".to_string(), v)));
        parts.extend(get("sla_credits").map(|v| ("SLA credits".to_string(), -v)));
        bars.push(StackedBar {
            category: format!("week of {day}"),
            parts,
        });
    }
    Ok(chart::stacked_bars(
        &format!(
            "{}: cost per invoice week by component (mean over replications)",
            s.name
        ),
        "USD (credits below zero)",
        &bars,
    )?)
}

fn backlog(s: &Scenario, mc: &MonteCarlo) -> Result<Rendered> {
    let cols = mc.layout.columns.len();
    let mut series = Vec::new();
    for (c, (name, group)) in mc.layout.columns.iter().enumerate() {
        let label = match (*name, group.pool.as_deref()) {
            ("backlog_tickets", _) => "all open tickets".to_string(),
            ("queue_tickets", Some(p)) => format!("waiting for pool {p}"),
            ("swarm_requests_waiting", _) => "swarm requests waiting".to_string(),
            _ => continue,
        };
        let mut b = BandSeries {
            name: label,
            x: Vec::new(),
            mean: Vec::new(),
            low: Vec::new(),
            high: Vec::new(),
        };
        for (k, &t) in mc.layout.times.iter().enumerate() {
            let (m, lo, hi) = mc.series.estimate(k * cols + c);
            b.x.push(t / 1440.0);
            b.mean.push(m);
            // A count is never negative: the normal-theory band of a mean near zero is cut
            // at zero rather than drawn below the axis.
            b.low.push(if lo.is_finite() { lo.max(0.0) } else { m });
            b.high.push(if hi.is_finite() { hi } else { m });
        }
        series.push(b);
    }
    let warmup_end = s
        .run
        .start_date
        .checked_add(jiff::Span::new().days((s.run.warmup_min / 1440.0).round() as i64))
        .map_or_else(
            |_| String::new(),
            |d| d.strftime("%a %-d %b %Y").to_string(),
        );
    Ok(chart::lines_with_bands_dated(
        &format!("{}: backlog over time (mean, 95% CI band)", s.name),
        &format!(
            "local date ({}; ticks at midnight; warm-up ends {warmup_end})",
            s.raw.demand.timezone
        ),
        "tickets",
        &series,
        s.run.start_date,
    )?)
}
