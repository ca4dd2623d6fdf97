//! `[access]`: opening hours and queue limits of the live channels.

use super::super::error::Problems;
use super::super::raw::{RawAccess, RawChannelAccess};
use super::super::{ChannelAccess, Channels};
use super::by_channel;

/// The validated access rules, indexed by channel (asynchronous channels are always open and
/// unlimited; a table for one is refused).
pub(super) fn validate_access(
    raw: &RawAccess,
    channels: &Channels,
    calendar_names: &[String],
    p: &mut Problems,
) -> Vec<ChannelAccess> {
    by_channel(p, "access", channels, raw, true)
        .into_iter()
        .enumerate()
        .map(|(c, table)| match table {
            Some(t) => channel(
                &format!("access.{}", channels.name(c)),
                t,
                calendar_names,
                p,
            ),
            None => ChannelAccess::default(),
        })
        .collect()
}

fn channel(
    base: &str,
    t: &RawChannelAccess,
    calendar_names: &[String],
    p: &mut Problems,
) -> ChannelAccess {
    let hours = t.hours.as_ref().and_then(|name| {
        let i = calendar_names.iter().position(|n| n == name);
        if i.is_none() {
            p.push(
                format!("{base}.hours"),
                format!(
                    "no calendar named {name:?}; defined calendars: {calendar_names:?} (add a [[calendars]] entry or remove the key for 24x7 service)"
                ),
            );
        }
        i.map(|i| i as u16)
    });
    let closed_message_p = p
        .probability(
            &format!("{base}.closed_message_share"),
            t.closed_message_share,
        )
        .unwrap_or(0.0);
    let blocked_message_p = p
        .probability(
            &format!("{base}.blocked_message_share"),
            t.blocked_message_share,
        )
        .unwrap_or(0.0);
    if t.hours.is_none() && t.min_agents_on_duty == 0 && t.closed_message_share > 0.0 {
        p.push(
            format!("{base}.closed_message_share"),
            "has no effect without `hours` or `min_agents_on_duty` (the channel is never closed): set `hours = \"<calendar>\"` or remove it",
        );
    }
    if t.queue_limit.is_none() && t.blocked_message_share > 0.0 {
        p.push(
            format!("{base}.blocked_message_share"),
            "has no effect without `queue_limit` (the queue is never full): set `queue_limit` or remove it",
        );
    }
    ChannelAccess {
        reported: true,
        hours,
        closed_message_p,
        queue_limit: t.queue_limit,
        blocked_message_p,
        min_agents_on_duty: t.min_agents_on_duty,
    }
}
