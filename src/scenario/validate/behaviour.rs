//! `[customers.retrials]`: retrials after a failed live contact; `[customers.chasers]`.

use super::super::behaviour::{Behaviour, Callbacks, Chasers, QueueScore, Retrials};
use super::super::error::{Num, Problems};
use super::super::limits::MAX_FACTOR;
use super::super::limits::{MAX_CALLBACK_ATTEMPTS, MAX_CHASERS, MAX_DURATION_MIN, MAX_RETRIALS};
use super::super::raw::{
    QueueRule, RawCallbacks, RawChasers, RawCustomers, RawQueues, RawRetrials,
};
use super::super::{ChannelAccess, Dist};
use super::{dist, opt_dist};

/// The validated behaviour rules. `access` and `patience` tell which failures can happen at
/// all: a share for a failure that never happens is reported (it would silently do nothing).
pub(super) fn validate_behaviour(
    raw: &RawCustomers,
    access: &[ChannelAccess],
    patience: &[Option<Dist>],
    p: &mut Problems,
) -> Behaviour {
    Behaviour {
        retrials: raw
            .retrials
            .as_ref()
            .and_then(|r| retrials(r, access, patience, p)),
        chasers: raw.chasers.as_ref().and_then(|c| chasers(c, p)),
        callbacks: raw.callbacks.as_ref().and_then(|c| callbacks(c, p)),
    }
}

fn retrials(
    r: &RawRetrials,
    access: &[ChannelAccess],
    patience: &[Option<Dist>],
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
            "customers.patience on a live channel (nobody abandons without patience)",
        ),
        (
            "closed_share",
            closed,
            can_close,
            "`hours` or `min_agents_on_duty` in an [access.<live channel>] table (no channel ever closes)",
        ),
        (
            "blocked_share",
            blocked,
            can_block,
            "`queue_limit` in an [access.<live channel>] table (no queue is ever full)",
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

fn chasers(c: &RawChasers, p: &mut Problems) -> Option<Chasers> {
    let base = "customers.chasers";
    let patience = match &c.patience_min {
        Some(spec) => dist(p, &format!("{base}.patience_min"), spec),
        None => {
            p.push(
                format!("{base}.patience_min"),
                "is required: how long an email customer waits for a reply before chasing, e.g. { dist = \"exponential\", mean_min = 1440 }",
            );
            None
        }
    };
    let read = opt_dist(p, &format!("{base}.read_min"), &c.read_min);
    if c.max_chasers == 0 || c.max_chasers > MAX_CHASERS {
        p.push(
            format!("{base}.max_chasers"),
            format!(
                "is {}; must be between 1 and {MAX_CHASERS} chasers per ticket (remove the table for none)",
                c.max_chasers
            ),
        );
        return None;
    }
    if let Some(d) = &patience
        && d.mean() <= 0.0
    {
        p.push(
            format!("{base}.patience_min"),
            "must have a mean above 0 minutes (a chaser the instant an email arrives is not a wait)",
        );
        return None;
    }
    Some(Chasers {
        patience: patience?,
        read: read?,
        max: c.max_chasers as u8,
    })
}

fn callbacks(c: &RawCallbacks, p: &mut Problems) -> Option<Callbacks> {
    let base = "customers.callbacks";
    let offer = match c.offer_after_min {
        Some(m) if m.is_finite() && m > 0.0 && m <= MAX_DURATION_MIN => Some(m),
        Some(m) => {
            p.push(
                format!("{base}.offer_after_min"),
                format!(
                    "is {}; must be a wait above 0 and at most {MAX_DURATION_MIN:.0e} minutes, e.g. 5",
                    Num(m)
                ),
            );
            None
        }
        None => {
            p.push(
                format!("{base}.offer_after_min"),
                "is required: the minutes a phone customer has waited when the callback is offered, e.g. 5",
            );
            None
        }
    };
    let accept = match c.accept_share {
        Some(a) => p.probability(&format!("{base}.accept_share"), a),
        None => {
            p.push(
                format!("{base}.accept_share"),
                "is required: the share of offered customers who accept a callback, e.g. 0.6",
            );
            None
        }
    };
    let unreachable = p.probability(&format!("{base}.unreachable_share"), c.unreachable_share);
    if unreachable == Some(1.0) {
        p.push(
            format!("{base}.unreachable_share"),
            "is 1: no callback would ever reach its customer; use a share below 1",
        );
        return None;
    }
    if c.max_attempts == 0 || c.max_attempts > MAX_CALLBACK_ATTEMPTS {
        p.push(
            format!("{base}.max_attempts"),
            format!(
                "is {}; must be between 1 and {MAX_CALLBACK_ATTEMPTS} attempts per callback",
                c.max_attempts
            ),
        );
        return None;
    }
    if !(c.failed_attempt_min.is_finite()
        && (0.0..=MAX_DURATION_MIN).contains(&c.failed_attempt_min))
    {
        p.push(
            format!("{base}.failed_attempt_min"),
            format!(
                "is {}; must be between 0 and {MAX_DURATION_MIN:.0e} minutes of agent time",
                Num(c.failed_attempt_min)
            ),
        );
        return None;
    }
    let retried = c.unreachable_share > 0.0 && c.max_attempts > 1;
    let retry = match (&c.retry_after_min, retried) {
        (Some(spec), _) => dist(p, &format!("{base}.retry_after_min"), spec),
        (None, false) => Some(Dist::Deterministic(0.0)),
        (None, true) => {
            p.push(
                format!("{base}.retry_after_min"),
                "is required when attempts can fail (`unreachable_share` > 0) and be retried (`max_attempts` > 1): the minutes until the next attempt, e.g. 15 or { dist = \"exponential\", mean_min = 15 }",
            );
            None
        }
    };
    Some(Callbacks {
        offer_after_min: offer?,
        accept_p: accept?,
        unreachable_p: unreachable?,
        failed_attempt_min: c.failed_attempt_min,
        retry: retry?,
        max_attempts: c.max_attempts as u8,
    })
}

/// `[queues.scored]`: required with `order = "scored"`, refused with any other order.
pub(super) fn validate_score(
    q: &RawQueues,
    priorities: &[String],
    segments: &[String],
    p: &mut Problems,
) -> Option<QueueScore> {
    let base = "queues.scored";
    let Some(r) = &q.scored else {
        if q.order == QueueRule::Scored {
            p.push(
                base,
                "is required with queues.order = \"scored\": give priority_points, segment_points, points_per_minute_waited or escalated_points",
            );
        }
        return None;
    };
    if q.order != QueueRule::Scored {
        p.push(
            base,
            "has no effect unless queues.order = \"scored\": set the order or remove the table",
        );
        return None;
    }
    let points = |key: String, v: f64, p: &mut Problems| {
        let v = p.finite(&key, v).unwrap_or(0.0);
        if v.abs() > MAX_FACTOR {
            p.push(
                key,
                format!("is {}; points must be within +-{MAX_FACTOR:e} (scores are compared in floating point)", Num(v)),
            );
            return 0.0;
        }
        v
    };
    let mut by_priority = vec![0.0; priorities.len()];
    for (name, v) in &r.priority_points.0 {
        let key = format!("{base}.priority_points.{name}");
        match crate::scenario::priorities::resolve(priorities, name) {
            Ok(i) => by_priority[i] = points(key, *v, p),
            Err(e) => p.push(key, e),
        }
    }
    let mut by_segment = vec![0.0; segments.len()];
    for (name, v) in &r.segment_points.0 {
        let key = format!("{base}.segment_points.{name}");
        match segments.iter().position(|x| x == name) {
            Some(i) => by_segment[i] = points(key, *v, p),
            None => p.push(
                key,
                format!("unknown segment {name:?}; segments of demand.segments: {segments:?}"),
            ),
        }
    }
    let per_minute = points(
        format!("{base}.points_per_minute_waited"),
        r.points_per_minute_waited,
        p,
    );
    if per_minute < 0.0 {
        p.push(
            format!("{base}.points_per_minute_waited"),
            "must be >= 0 (a negative weight would serve the newest ticket first and let old ones wait forever)",
        );
    }
    let escalated = points(format!("{base}.escalated_points"), r.escalated_points, p);
    let base_points = by_priority
        .iter()
        .flat_map(|bp| by_segment.iter().map(move |bs| bp + bs))
        .collect();
    Some(QueueScore {
        base: base_points,
        per_minute: per_minute.max(0.0),
        escalated,
    })
}
