//! `[demand] channel_kinds` and every table keyed by channel name (mixes, work times,
//! patience, access, the bot): one reader, so an unknown or misplaced channel gets the same
//! message everywhere.

use super::*;
use crate::scenario::channels;

/// The file's channels: `demand.channel_kinds` when given (cut to [`MAX_CHANNELS`], which
/// [`check_channel_kinds`] reports), else email, chat and phone.
pub(super) fn channels_of(raw: &RawScenario) -> Channels {
    match &raw.demand.channel_kinds {
        Some(m) if !m.is_empty() => Channels::new(m.0.iter().take(MAX_CHANNELS).cloned().collect()),
        _ => Channels::default(),
    }
}

/// Problems of `demand.channel_kinds` itself, and of channel names that are also a
/// segment's or a priority's (staffing targets name groups by their bare name).
pub(super) fn check_channel_kinds(raw: &RawScenario, p: &mut Problems) {
    let Some(m) = &raw.demand.channel_kinds else {
        return;
    };
    for (path, msg) in channels::list_problems(&m.0) {
        p.push(path, msg);
    }
    let priorities = crate::scenario::priorities::names_of(raw.demand.priority_names.as_deref());
    for (n, _) in &m.0 {
        let clash = if n == "all" {
            Some("the group of every ticket")
        } else if raw.demand.segments.0.iter().any(|(k, _)| k == n) {
            Some("a segment")
        } else if raw.demand.priority_names.is_none() && priorities.contains(n) {
            // A clash with declared priority names is reported at demand.priority_names.
            Some("a priority")
        } else {
            None
        };
        if let Some(what) = clash {
            p.push(
                format!("demand.channel_kinds.{n}"),
                super::group_name_clash(n, what, "channel"),
            );
        }
    }
}

/// Rules that need a channel of a kind the file does not declare: a left message needs an
/// asynchronous channel to become; chasers and callbacks would silently do nothing.
pub(super) fn check_kinds_needed(
    raw: &RawScenario,
    channels: &Channels,
    access: &[ChannelAccess],
    p: &mut Problems,
) {
    let names = channels.names().join(", ");
    if !channels.has(ChannelKind::Asynchronous) {
        let fix = format!(
            "the file has no asynchronous channel for the message to become (channels: {names}); add one to demand.channel_kinds (e.g. email = \"asynchronous\") or set this to 0"
        );
        if raw.customers.abandon_to_email_probability > 0.0 {
            p.push("customers.abandon_to_email_probability", fix.clone());
        }
        for (c, a) in access.iter().enumerate() {
            for (key, v) in [
                ("closed_message_share", a.closed_message_p),
                ("blocked_message_share", a.blocked_message_p),
            ] {
                if v > 0.0 {
                    p.push(format!("access.{}.{key}", channels.name(c)), fix.clone());
                }
            }
        }
        if raw.customers.chasers.is_some() {
            p.push(
                "customers.chasers",
                format!("has no effect: chasers come from customers waiting on an asynchronous channel, and the file has none (channels: {names}); add one to demand.channel_kinds or remove the table"),
            );
        }
    }
    if raw.customers.callbacks.is_some() && !channels.has(ChannelKind::Voice) {
        p.push(
            "customers.callbacks",
            format!("has no effect: callbacks are offered on voice channels, and the file has none (channels: {names}); add one to demand.channel_kinds (e.g. phone = \"voice\") or remove the table"),
        );
    }
}

/// The entries of a channel-keyed table at `path`, by channel index. A key that is not a
/// channel is refused with the list; with `live_only`, so is an asynchronous channel.
pub(super) fn by_channel<'a, T>(
    p: &mut Problems,
    path: &str,
    channels: &Channels,
    m: &'a OrderedMap<T>,
    live_only: bool,
) -> Vec<Option<&'a T>> {
    let mut out = vec![None; channels.len()];
    for (k, v) in &m.0 {
        match channels.resolve(k) {
            Ok(c) if live_only && !channels.is_live(c) => p.push(
                format!("{path}.{k}"),
                format!(
                    "{k:?} is an asynchronous channel; this table is for live channels ({}), whose customers wait on the line",
                    live_names(channels)
                ),
            ),
            Ok(c) => out[c] = Some(v),
            Err(e) => p.push(format!("{path}.{k}"), e),
        }
    }
    out
}

/// The live channels' names, for messages.
pub(super) fn live_names(channels: &Channels) -> String {
    let v: Vec<&str> = channels.live().map(|c| channels.name(c)).collect();
    if v.is_empty() {
        "the file has none".to_string()
    } else {
        v.join(", ")
    }
}

/// Shares keyed by channel name at `path`: each in [0, 1], summing to 1; missing channels
/// are 0.
pub(super) fn channel_mix(
    p: &mut Problems,
    path: &str,
    channels: &Channels,
    m: &RawChannelMix,
) -> Option<Vec<f64>> {
    let n0 = p.0.len();
    let given = by_channel(p, path, channels, m, false);
    if p.0.len() > n0 {
        // The sum of the remaining shares would only repeat the unknown key's problem.
        return None;
    }
    let vals: Vec<Option<f64>> = given.iter().map(|v| v.copied()).collect();
    let names: Vec<&str> = channels.names().iter().map(String::as_str).collect();
    super::demand::mix_slice(p, path, &names, &vals)
}

/// A time per channel at `path` (`work_time`, `classify_min`), `default` covering channels
/// without their own entry. A channel whose `in_use` entry is false needs none (its time is
/// never drawn; it gets 0).
pub(super) fn times_per_channel(
    p: &mut Problems,
    path: &str,
    channels: &Channels,
    wt: &RawWorkTime,
    in_use: Option<&[bool]>,
) -> Option<Vec<Dist>> {
    let n0 = p.0.len();
    let mut default = None;
    let mut own = vec![None; channels.len()];
    for (k, spec) in &wt.0 {
        if k == "default" {
            default = Some(spec);
            continue;
        }
        match channels.resolve(k) {
            Ok(c) => own[c] = Some(spec),
            Err(e) => p.push(format!("{path}.{k}"), format!("{e}, or `default`")),
        }
    }
    let mut out = Vec::with_capacity(channels.len());
    for (c, spec) in own.iter().enumerate() {
        let name = channels.name(c);
        out.push(match (spec, default) {
            (Some(s), _) => dist(p, &format!("{path}.{name}"), s),
            (None, Some(s)) => dist(p, &format!("{path}.default"), s),
            // No contact can ever reach this channel: its time is never drawn.
            (None, None) if in_use.is_some_and(|u| !u[c]) => Some(Dist::Deterministic(0.0)),
            (None, None) => {
                p.push(
                    path,
                    format!("no distribution for channel {name:?} and no `default`; add `{name} = {{ dist = ..., mean_min = ... }}` or `default = ...`"),
                );
                None
            }
        });
    }
    if p.0.len() > n0 {
        return None;
    }
    out.into_iter().collect()
}
