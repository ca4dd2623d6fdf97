//! `[tier0]`: the bot per channel and segment, its selectivity, repeats and price.

use super::*;
use crate::scenario::tier0::{BotChannel, Tier0, WorkRank};

/// The validated tier 0, or `None` after recording its problems.
pub(super) fn validate_tier0(
    t: &RawTier0,
    raw: &RawScenario,
    segment_names: &[String],
    p: &mut Problems,
) -> Option<Tier0> {
    let n0 = p.0.len();
    let tables = [&t.email, &t.chat, &t.phone];
    if tables.iter().all(|c| c.is_none()) {
        p.push(
            "tier0",
            "configures no channel; add [tier0.chat] (or email / phone) with involvement and resolution, or remove [tier0]",
        );
    }
    let mut channels: [Option<BotChannel>; CHANNELS.len()] = [None, None, None];
    let mut inv = [0.0; CHANNELS.len()];
    let mut res = [0.0; CHANNELS.len()];
    for (c, table) in tables.iter().enumerate() {
        let Some(b) = table else { continue };
        let base = format!("tier0.{}", CHANNELS[c]);
        inv[c] = p
            .probability(&format!("{base}.involvement"), b.involvement)
            .unwrap_or(0.0);
        res[c] = p
            .probability(&format!("{base}.resolution"), b.resolution)
            .unwrap_or(0.0);
        let time = opt_dist(p, &format!("{base}.time_in_bot_min"), &b.time_in_bot_min);
        // The bot ranks contacts by their tier-1 work time on this channel.
        let spec = raw.tiers.first().and_then(|t1| {
            let w = &t1.work_time;
            [&w.email, &w.chat, &w.phone][c]
                .as_ref()
                .or(w.default.as_ref())
        });
        if let (Some(time), Some(spec)) = (time, spec) {
            channels[c] = Some(BotChannel {
                time,
                rank: WorkRank::new(&spec.0),
            });
        }
    }
    let mut involvement = vec![inv; segment_names.len()];
    let mut resolution = vec![res; segment_names.len()];
    for (name, o) in &t.by_segment.0 {
        let base = format!("tier0.by_segment.{name}");
        let Some(i) = segment_names.iter().position(|s| s == name) else {
            p.push(
                base,
                format!(
                    "no segment named {name:?}; segments are {segment_names:?} (the keys of demand.segments)"
                ),
            );
            continue;
        };
        for (key, v, out) in [
            ("involvement", o.involvement, &mut involvement[i]),
            ("resolution", o.resolution, &mut resolution[i]),
        ] {
            if let Some(v) = v {
                let v = p.probability(&format!("{base}.{key}"), v).unwrap_or(0.0);
                for (c, x) in out.iter_mut().enumerate() {
                    if tables[c].is_some() {
                        *x = v;
                    }
                }
            }
        }
    }
    if !(1..=4).contains(&t.max_level) {
        p.push(
            "tier0.max_level",
            format!(
                "must be a required level 1..=4 (the highest the bot resolves), got {}",
                t.max_level
            ),
        );
    }
    let selectivity = p
        .probability("tier0.selectivity", t.selectivity)
        .unwrap_or(0.0);
    let bump_p = p
        .probability("tier0.priority_bump_share", t.priority_bump_share)
        .unwrap_or(0.0);
    let repeat_p = p
        .probability("tier0.repeat_share", t.repeat_share)
        .unwrap_or(0.0);
    let window = p
        .positive("tier0.containment_window_hours", t.containment_window_hours)
        .unwrap_or(1.0);
    at_most(
        p,
        "tier0.containment_window_hours",
        window,
        MAX_CONTAINMENT_WINDOW_HOURS,
        "number of hours (a year)",
    );
    if let Some(c) = t.cost_per_conversation_usd
        && !(c.is_finite() && (0.0..=MAX_USD).contains(&c))
    {
        p.push(
            "tier0.cost_per_conversation_usd",
            format!(
                "must be a price in USD between 0 and {MAX_USD:.0e}, got {}",
                Num(c)
            ),
        );
    }
    if p.0.len() > n0 {
        return None;
    }
    Some(Tier0 {
        channels,
        involvement,
        resolution,
        max_level: t.max_level,
        selectivity,
        bump_p,
        repeat_p,
        window_min: window * Tier0::MIN_PER_HOUR,
        cost_per_conversation: t.cost_per_conversation_usd,
    })
}
