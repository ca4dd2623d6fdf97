//! `[incidents]` proactive care: monitoring, status notifications and health-check outreach
//! (their keys, shares and monthly prices).

use super::*;
use crate::scenario::incidents::{MONTH_MIN, Monitoring, Notifications, Outreach};

fn usd(p: &mut Problems, key: &str, v: f64) -> f64 {
    let v = p.non_negative(key, v).unwrap_or(0.0);
    at_most(p, key, v, MAX_USD, "price in USD");
    v
}

pub(super) fn monitoring(m: &RawMonitoring, p: &mut Problems) -> (Option<Monitoring>, f64) {
    let b = "incidents.monitoring";
    let detect_p = p.probability(&format!("{b}.detect_share"), m.detect_share);
    let lead = p.non_negative(&format!("{b}.lead_min"), m.lead_min);
    if let Some(l) = lead {
        at_most(
            p,
            &format!("{b}.lead_min"),
            l,
            MAX_DURATION_MIN,
            "duration in minutes",
        );
    }
    let prevent = p.probability(&format!("{b}.prevent_share"), m.prevent_share);
    let shorten = p.probability(&format!("{b}.shorten_share"), m.shorten_share);
    if shorten == Some(1.0) {
        p.push(
            format!("{b}.shorten_share"),
            "must be below 1 (a detected incident that lasts no time is a prevented one: use prevent_share)",
        );
    }
    let cost = usd(p, &format!("{b}.cost_usd_per_month"), m.cost_usd_per_month);
    let out = (|| {
        Some(Monitoring {
            detect_p: detect_p?,
            lead_min: lead?,
            prevent_p: prevent?,
            shorten_share: shorten?,
        })
    })();
    (out, cost)
}

pub(super) fn notifications(
    n: &RawNotifications,
    p: &mut Problems,
) -> (Option<Notifications>, f64) {
    let b = "incidents.notifications";
    let factor = p.probability(&format!("{b}.call_in_factor"), n.call_in_factor);
    let delay = p.non_negative(&format!("{b}.delay_min"), n.delay_min);
    if let Some(d) = delay {
        at_most(
            p,
            &format!("{b}.delay_min"),
            d,
            MAX_DURATION_MIN,
            "duration in minutes",
        );
    }
    let cost = usd(p, &format!("{b}.cost_usd_per_month"), n.cost_usd_per_month);
    let out = (|| {
        Some(Notifications {
            call_in_factor: factor?,
            delay_min: delay?,
        })
    })();
    (out, cost)
}

pub(super) fn outreach(
    o: &RawOutreach,
    raw: &RawScenario,
    segments: &[String],
    accounts: &[u32],
    p: &mut Problems,
) -> (Option<Outreach>, f64) {
    let b = "incidents.outreach";
    let n0 = p.0.len();
    let mut covered = vec![false; segments.len()];
    if o.segments.is_empty() {
        p.push(
            format!("{b}.segments"),
            "lists no segment: name the segments whose accounts get health checks, e.g. [\"enterprise\"]",
        );
    }
    for (i, name) in o.segments.iter().enumerate() {
        match segments.iter().position(|s| s == name) {
            Some(k) => covered[k] = true,
            None => p.push(
                format!("{b}.segments[{i}]"),
                format!("unknown segment {name:?}; segments of demand.segments: {segments:?}"),
            ),
        }
    }
    if !raw.tiers.iter().any(|t| t.pool == o.pool) {
        let staffing: Vec<&str> = raw.tiers.iter().map(|t| t.pool.as_str()).collect();
        p.push(
            format!("{b}.pool"),
            format!(
                "{:?} staffs no tier; health checks are done by a pool of the tiers: {staffing:?}",
                o.pool
            ),
        );
    }
    let minutes = p
        .positive(
            &format!("{b}.minutes_per_account_per_month"),
            o.minutes_per_account_per_month,
        )
        .unwrap_or(0.0);
    at_most(
        p,
        &format!("{b}.minutes_per_account_per_month"),
        minutes,
        MONTH_MIN,
        "agent time per account per month (a whole month)",
    );
    let factor = p
        .probability(&format!("{b}.call_in_factor"), o.call_in_factor)
        .unwrap_or(1.0);
    let cost = usd(p, &format!("{b}.cost_usd_per_month"), o.cost_usd_per_month);
    let n: u32 = accounts
        .iter()
        .zip(&covered)
        .filter(|(_, c)| **c)
        .map(|(a, _)| *a)
        .sum();
    if p.0.len() == n0 && n == 0 {
        p.push(
            format!("{b}.segments"),
            "cover no account (incidents.accounts gives them 0): check the segments or remove the table",
        );
    }
    if p.0.len() > n0 {
        return (None, cost);
    }
    (
        Some(Outreach {
            segments: covered,
            pool: usize::MAX,
            pool_name: o.pool.clone(),
            check_min: minutes,
            accounts: n,
            call_in_factor: factor,
        }),
        cost,
    )
}
