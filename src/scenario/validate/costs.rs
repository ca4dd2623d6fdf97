//! Money: internal pay, outsourcing contracts (prices, seats, flex band, minimums, SLA credits)
//! and the vendor price, priced per invoice week.

use super::*;
use crate::scenario::error::Num;

/// `sourcing` and `[pools.contract]` of one pool: only outsourced pools have a contract, and
/// its prices, seats, flex band and credits are in range.
pub(super) fn validate_contract(pool: &RawPool, base: &str, p: &mut Problems) {
    match (pool.sourcing, &pool.contract) {
        (Sourcing::Internal, Some(_)) => p.push(
            format!("{base}.contract"),
            "only outsourced pools have a contract; add sourcing = \"outsourced\" or price the internal pool with cost_per_hour_usd",
        ),
        (Sourcing::Outsourced, None) => p.push(
            format!("{base}.contract"),
            "an outsourced pool needs [pools.contract] with price_per_logged_hour_usd or price_per_ticket_usd",
        ),
        (Sourcing::Outsourced, Some(c)) => {
            let cp = format!("{base}.contract");
            if pool.cost_per_hour_usd.is_some() {
                p.push(
                    format!("{base}.cost_per_hour_usd"),
                    "is for internal pools; an outsourced pool is priced by contract.price_per_logged_hour_usd or contract.price_per_ticket_usd",
                );
            }
            match (c.price_per_logged_hour_usd, c.price_per_ticket_usd) {
                (Some(_), Some(_)) | (None, None) => p.push(
                    cp.clone(),
                    "give exactly one of price_per_logged_hour_usd and price_per_ticket_usd",
                ),
                _ => {}
            }
            let nonneg = |v: f64| v.is_finite() && v >= 0.0;
            for (key, v) in [
                ("price_per_logged_hour_usd", c.price_per_logged_hour_usd),
                ("price_per_ticket_usd", c.price_per_ticket_usd),
                ("seats", c.seats),
                ("minimum_seats", Some(c.minimum_seats)),
                ("minimum_tickets_per_week", Some(c.minimum_tickets_per_week)),
                ("credit_per_miss_share", c.credit_per_miss_share),
            ] {
                if let Some(v) = v.filter(|v| !nonneg(*v)) {
                    p.push(
                        format!("{cp}.{key}"),
                        format!("must be a finite number >= 0, got {}", Num(v)),
                    );
                }
            }
            if !(c.seat_hours_per_week.is_finite() && c.seat_hours_per_week > 0.0) {
                p.push(
                    format!("{cp}.seat_hours_per_week"),
                    format!("must be hours > 0, got {}", Num(c.seat_hours_per_week)),
                );
            }
            if c.credit_per_miss_share.is_some_and(|x| x > 1.0) {
                p.push(
                    format!("{cp}.credit_per_miss_share"),
                    "must be a share of the invoice in [0, 1]",
                );
            }
            if !(0.0..1.0).contains(&c.flex) {
                p.push(
                    format!("{cp}.flex"),
                    format!("must be a fraction in [0, 1) (0.1 = +-10%), got {}", Num(c.flex)),
                );
            }
            if !(c.over_flex_price_factor.is_finite() && c.over_flex_price_factor >= 0.0) {
                p.push(
                    format!("{cp}.over_flex_price_factor"),
                    format!(
                        "must be a number >= 0, got {}",
                        Num(c.over_flex_price_factor)
                    ),
                );
            }
            if !(0.0..=1.0).contains(&c.at_risk_share) {
                p.push(
                    format!("{cp}.at_risk_share"),
                    format!(
                        "must be a fraction in [0, 1] of the invoice, got {}",
                        Num(c.at_risk_share)
                    ),
                );
            }
            if c.at_risk_share > 0.0 && c.credit_targets.is_empty() {
                p.push(
                    format!("{cp}.credit_targets"),
                    "at_risk_share > 0 needs the SLA targets that earn credits, e.g. credit_targets = [\"first_response P1/*\"]",
                );
            }
            if c.price_per_ticket_usd.is_some() && (c.minimum_seats > 0.0 || c.seats.is_some()) {
                p.push(
                    cp.clone(),
                    "seats and minimum_seats apply to price_per_logged_hour_usd; a per-ticket contract takes minimum_tickets_per_week",
                );
            }
        }
        (Sourcing::Internal, None) => {}
    }
}

/// Agent-hours of a `(time, agents)` schedule over `[from, to)`.
fn agent_hours(schedule: &[(f64, u32)], from: f64, to: f64) -> f64 {
    agent_minutes(schedule, from, to) / 60.0
}

/// Prices per file pool and invoice week, the vendor price and SLA credits, when anything is
/// priced; and the paid (scheduled) agent-hours per week. Internal pools pay scheduled hours
/// (shrinkage is paid); hourly contracts bill logged hours (scheduled less shrinkage: the
/// provider carries its own shrinkage) with the contract's floor, flex band and premium.
#[allow(clippy::too_many_arguments)]
pub(super) fn costs(
    raw: &RawScenario,
    scheduled: &[Vec<(f64, u32)>],
    available: &[Pool],
    tiers: Option<&Vec<Tier>>,
    sla: &Sla,
    run: &RunSettings,
    p: &mut Problems,
    warnings: &mut Vec<String>,
) -> (Option<Costs>, f64) {
    let vendor = raw.vendor.as_ref().and_then(|v| v.cost_per_ticket_usd);
    let penalties = sla
        .targets
        .iter()
        .flat_map(|t| [t.first_response, t.resolution])
        .flatten()
        .any(|t| t.penalty_usd > 0.0);
    let bot_per_conversation = raw.tier0.as_ref().and_then(|t| t.cost_per_conversation_usd);
    let priced = raw
        .pools
        .iter()
        .any(|x| x.cost_per_hour_usd.is_some() || x.sourcing == Sourcing::Outsourced)
        || vendor.is_some()
        || penalties
        || bot_per_conversation.is_some();
    let (from, to) = (run.warmup_min, run.window_end_min());
    const WEEK: f64 = 7.0 * DAY_MIN;
    let total_weeks = (to - from) / WEEK;
    let n_weeks = ((to - from) / WEEK - 1e-9).ceil().max(1.0) as usize;
    let bounds: Vec<(f64, f64)> = (0..n_weeks)
        .map(|w| {
            (
                from + w as f64 * WEEK,
                (from + (w + 1) as f64 * WEEK).min(to),
            )
        })
        .collect();
    let weeks: Vec<f64> = bounds.iter().map(|(a, b)| (b - a) / WEEK).collect();
    let first_day = (run.warmup_min / DAY_MIN).floor() as i64;
    let week_starts = (0..n_weeks as i64)
        .map(|w| {
            run.start_date
                .checked_add(jiff::Span::new().days(first_day + 7 * w))
                .unwrap_or(run.start_date)
        })
        .collect();
    let paid_hours: f64 = scheduled.iter().map(|s| agent_hours(s, from, to)).sum();
    let per_week = paid_hours / total_weeks;
    if !per_week.is_finite() {
        p.push(
            "pools",
            "the paid agent-hours per week are not a finite number",
        );
    }
    if !priced {
        return (None, per_week);
    }
    let mut pools = Vec::new();
    for (i, ((rp, sched), avail)) in raw.pools.iter().zip(scheduled).zip(available).enumerate() {
        let base = format!("pools[{i}]");
        let staffs: Vec<usize> = tiers.map_or_else(Vec::new, |ts| {
            ts.iter()
                .enumerate()
                .filter(|(_, t)| t.file_pool == i)
                .map(|(k, _)| k)
                .collect()
        });
        let mut cost = PoolCost {
            name: rp.name.clone(),
            sourcing: rp.sourcing,
            hourly_usd: vec![0.0; n_weeks],
            per_ticket_usd: 0.0,
            minimum_tickets_per_week: 0.0,
            tiers: staffs,
            credit: None,
        };
        match (&rp.contract, rp.sourcing) {
            (Some(c), Sourcing::Outsourced) => {
                if let Some(price) = c.price_per_logged_hour_usd {
                    let seat_logged = c.seat_hours_per_week * (1.0 - rp.shrinkage);
                    let (floor, cap) = match c.seats {
                        Some(seats) => (
                            c.minimum_seats.max(seats * (1.0 - c.flex)),
                            seats * (1.0 + c.flex),
                        ),
                        None => (c.minimum_seats, f64::INFINITY),
                    };
                    for (w, &(a, b)) in bounds.iter().enumerate() {
                        let logged = agent_hours(&avail.schedule, a, b);
                        let wl = weeks[w];
                        let billed = logged.max(floor * seat_logged * wl);
                        let over = (logged - cap * seat_logged * wl).max(0.0);
                        cost.hourly_usd[w] =
                            price * (billed + over * (c.over_flex_price_factor - 1.0));
                    }
                    let fte = agent_hours(sched, from, to) / total_weeks / c.seat_hours_per_week;
                    if let Some(seats) = c.seats {
                        let (lo, hi) = (seats * (1.0 - c.flex), seats * (1.0 + c.flex));
                        if fte < lo - 1e-9 || fte > hi + 1e-9 {
                            warnings.push(format!(
                                "{base}: {fte:.1} FTE scheduled is outside the contract's flex band {lo:.1}..{hi:.1} seats; hours outside it are billed at the floor or the over-flex price"
                            ));
                        }
                    }
                } else {
                    cost.per_ticket_usd = c.price_per_ticket_usd.unwrap_or(0.0);
                    cost.minimum_tickets_per_week = c.minimum_tickets_per_week;
                }
                cost.credit = credit(c, sla, &format!("{base}.contract"), p);
            }
            _ => {
                let rate = rp.cost_per_hour_usd.unwrap_or(0.0);
                if !(rate.is_finite() && rate >= 0.0) {
                    p.push(
                        format!("{base}.cost_per_hour_usd"),
                        format!("must be a finite number >= 0, got {}", Num(rate)),
                    );
                }
                for (w, &(a, b)) in bounds.iter().enumerate() {
                    cost.hourly_usd[w] = agent_hours(sched, a, b) * rate;
                }
            }
        }
        pools.push(cost);
    }
    let v = vendor.unwrap_or(0.0);
    if !(v.is_finite() && v >= 0.0) {
        p.push(
            "vendor.cost_per_ticket_usd",
            format!("must be a finite number >= 0, got {}", Num(v)),
        );
    }
    let labour_per_week = pools.iter().flat_map(|c| c.hourly_usd.iter()).sum::<f64>() / total_weeks;
    // Inputs are bounded (see `limits`), so this holds; checked anyway, because a non-finite
    // price would otherwise only show up as `inf` in the summary after the whole run.
    if !labour_per_week.is_finite() {
        let worst = pools
            .iter()
            .position(|c| c.hourly_usd.iter().any(|x| !x.is_finite()))
            .unwrap_or(0);
        p.push(
            format!("pools[{worst}]"),
            "its weekly labour cost is not a finite number; lower its price, seats or minimums",
        );
    }
    (
        Some(Costs {
            pools,
            vendor_per_ticket: v,
            weeks,
            week_starts,
            penalties,
            labour_per_week,
            bot_per_conversation,
        }),
        per_week,
    )
}

/// A contract's SLA credit terms, with `credit_targets` resolved to SLA targets.
fn credit(c: &RawContract, sla: &Sla, base: &str, p: &mut Problems) -> Option<Credit> {
    if c.credit_targets.is_empty() || c.at_risk_share <= 0.0 {
        return None;
    }
    let mut targets = Vec::new();
    for (j, name) in c.credit_targets.iter().enumerate() {
        let path = format!("{base}.credit_targets[{j}]");
        let mut parts = name.split_whitespace();
        let (measure, label) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        let resolution = match measure {
            "first_response" => false,
            "resolution" => true,
            _ => {
                p.push(
                    path,
                    format!(
                        "expected \"first_response <label>\" or \"resolution <label>\", got {name:?}"
                    ),
                );
                continue;
            }
        };
        let found = sla.targets.iter().position(|t| {
            t.label == label
                && if resolution {
                    t.resolution.is_some()
                } else {
                    t.first_response.is_some()
                }
        });
        match found {
            Some(k) => targets.push((k as u16, resolution)),
            None => {
                let known: Vec<String> = sla
                    .targets
                    .iter()
                    .flat_map(|t| {
                        [
                            t.first_response
                                .map(|_| format!("first_response {}", t.label)),
                            t.resolution.map(|_| format!("resolution {}", t.label)),
                        ]
                    })
                    .flatten()
                    .collect();
                p.push(
                    path,
                    format!(
                        "no SLA target {name:?}; the file's targets: {}",
                        if known.is_empty() {
                            "none (add [[sla]] entries)".to_string()
                        } else {
                            known.join(", ")
                        }
                    ),
                );
            }
        }
    }
    let per_miss = c
        .credit_per_miss_share
        .unwrap_or(c.at_risk_share / c.credit_targets.len() as f64);
    Some(Credit {
        at_risk_share: c.at_risk_share,
        per_miss_share: per_miss,
        targets,
    })
}
