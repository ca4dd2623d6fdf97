//! `[customers.retrials]`: retrials after a failed live contact.

use super::super::behaviour::{Behaviour, Retrials};
use super::super::error::Problems;
use super::super::limits::MAX_RETRIALS;
use super::super::raw::{RawCustomers, RawRetrials};
use super::super::{CHANNELS, ChannelAccess, Dist};
use super::dist;

/// The validated behaviour rules. `access` and `patience` tell which failures can happen at
/// all: a share for a failure that never happens is reported (it would silently do nothing).
pub(super) fn validate_behaviour(
    raw: &RawCustomers,
    access: &[ChannelAccess; CHANNELS.len()],
    patience: &[Option<Dist>; 3],
    p: &mut Problems,
) -> Behaviour {
    Behaviour {
        retrials: raw
            .retrials
            .as_ref()
            .and_then(|r| retrials(r, access, patience, p)),
    }
}

fn retrials(
    r: &RawRetrials,
    access: &[ChannelAccess; CHANNELS.len()],
    patience: &[Option<Dist>; 3],
    p: &mut Problems,
) -> Option<Retrials> {
    let base = "customers.retrials";
    let share = |p: &mut Problems, key: &str, v: f64| {
        p.probability(&format!("{base}.{key}"), v).unwrap_or(0.0)
    };
    let abandoned = share(p, "abandoned_share", r.abandoned_share);
    let closed = share(p, "closed_share", r.closed_share);
    let blocked = share(p, "blocked_share", r.blocked_share);
    let switch_p = share(p, "switch_share", r.switch_share);
    let can_close = access
        .iter()
        .any(|a| a.hours.is_some() || a.min_agents_on_duty > 0);
    let can_block = access.iter().any(|a| a.queue_limit.is_some());
    for (key, v, possible, needs) in [
        (
            "abandoned_share",
            abandoned,
            patience.iter().any(Option::is_some),
            "customers.patience.chat or .phone (nobody abandons without patience)",
        ),
        (
            "closed_share",
            closed,
            can_close,
            "`hours` or `min_agents_on_duty` in [access.chat] or [access.phone] (no channel ever closes)",
        ),
        (
            "blocked_share",
            blocked,
            can_block,
            "`queue_limit` in [access.chat] or [access.phone] (no queue is ever full)",
        ),
    ] {
        if v > 0.0 && !possible {
            p.push(
                format!("{base}.{key}"),
                format!("has no effect without {needs}: set it or remove this key"),
            );
        }
    }
    let any = abandoned > 0.0 || closed > 0.0 || blocked > 0.0;
    if !any {
        p.push(
            base,
            "sets no retrial share: give abandoned_share, closed_share or blocked_share a value above 0, or remove the table",
        );
        return None;
    }
    let delay = match &r.delay_min {
        Some(spec) => dist(p, &format!("{base}.delay_min"), spec),
        None => {
            p.push(
                format!("{base}.delay_min"),
                "is required: the time from a failed contact to the retrial, e.g. { dist = \"exponential\", mean_min = 30 }",
            );
            None
        }
    };
    if r.max_retrials == 0 || r.max_retrials > MAX_RETRIALS {
        p.push(
            format!("{base}.max_retrials"),
            format!(
                "is {}; must be between 1 and {MAX_RETRIALS} retrials per ticket (remove the table for none)",
                r.max_retrials
            ),
        );
        return None;
    }
    Some(Retrials {
        share: [abandoned, closed, blocked],
        delay: delay?,
        switch_p,
        max: r.max_retrials as u8,
    })
}
