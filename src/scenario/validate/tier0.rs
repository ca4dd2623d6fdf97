//! `[tier0]`: the bot per channel and segment, its selectivity, repeats and price.

use super::*;
use crate::scenario::tier0::{BotChannel, MONTH_MIN, Maturity, Tier0, WorkRank};

/// Most months of `resolution_by_month` (20 years).
const MAX_MATURITY_MONTHS: usize = 240;

/// The validated tier 0, or `None` after recording its problems.
pub(super) fn validate_tier0(
    t: &RawTier0,
    raw: &RawScenario,
    segment_names: &[String],
    window_min: Option<(f64, f64)>,
    p: &mut Problems,
) -> Option<Tier0> {
    let n0 = p.0.len();
    let names = channels_of(raw);
    let tables = bot_tables(t, &names, p);
    if tables.iter().all(|c| c.is_none()) && p.0.len() == n0 {
        p.push(
            "tier0",
            format!(
                "configures no channel; add a [tier0.<channel>] table (channels: {}) with involvement and resolution, or remove [tier0]",
                names.names().join(", ")
            ),
        );
    }
    let n = names.len();
    let mut channels: Vec<Option<BotChannel>> = vec![None; n];
    let mut inv = vec![0.0; n];
    let mut res = vec![0.0; n];
    let mut maturity: Vec<Option<Maturity>> = vec![None; n];
    for (c, table) in tables.iter().enumerate() {
        let Some(b) = table else { continue };
        let base = format!("tier0.{}", names.name(c));
        maturity[c] = validate_maturity(&base, b, p);
        inv[c] = p
            .probability(&format!("{base}.involvement"), b.involvement)
            .unwrap_or(0.0);
        res[c] = p
            .probability(&format!("{base}.resolution"), b.resolution)
            .unwrap_or(0.0);
        let time = opt_dist(p, &format!("{base}.time_in_bot_min"), &b.time_in_bot_min);
        // The bot ranks contacts by their tier-1 work time on this channel.
        let spec = raw.tiers.first().and_then(|t1| {
            let w = &t1.work_time.0;
            let own = w.iter().find(|(k, _)| k == names.name(c));
            own.or_else(|| w.iter().find(|(k, _)| k == "default"))
                .map(|(_, s)| s)
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
    if maturity
        .iter()
        .any(|m| matches!(m, Some(Maturity::Monthly(_))))
        && t.by_segment.0.iter().any(|(_, o)| o.resolution.is_some())
    {
        p.push(
            "tier0.by_segment",
            "a segment's `resolution` cannot be combined with `resolution_by_month`, which sets the resolution of every segment; remove one of them",
        );
    }
    if p.0.len() > n0 {
        return None;
    }
    let (from, to) = window_min.unwrap_or((0.0, 1.0));
    let load_resolution = resolution
        .iter()
        .map(|r| {
            let mut out = r.clone();
            for (c, m) in maturity.iter().enumerate() {
                if let Some(m) = m {
                    out[c] = m.mean(r[c], from, to);
                }
            }
            out
        })
        .collect();
    Some(Tier0 {
        maturity,
        load_resolution,
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

/// The settings of `[tier0]` that are not channel tables.
const SETTINGS: &str = "by_segment, max_level, selectivity, priority_bump_share, repeat_share, containment_window_hours, cost_per_conversation_usd";

/// The per-channel tables of `[tier0]`, by channel index: every key that is not a setting
/// must name a channel and hold a bot table.
fn bot_tables(t: &RawTier0, channels: &Channels, p: &mut Problems) -> Vec<Option<RawBotChannel>> {
    let mut out = vec![None; channels.len()];
    for (k, v) in &t.channels.0 {
        let Ok(c) = channels.resolve(k) else {
            p.push(
                format!("tier0.{k}"),
                format!(
                    "unknown key {k:?}; [tier0] takes {SETTINGS}, or a table per channel ({})",
                    channels.names().join(", ")
                ),
            );
            continue;
        };
        match serde_path_to_error::deserialize::<_, RawBotChannel>(v.clone()) {
            Ok(b) => out[c] = Some(b),
            Err(e) => {
                let at = e.path().to_string();
                let path = if at == "." {
                    format!("tier0.{k}")
                } else {
                    format!("tier0.{k}.{at}")
                };
                p.push(path, e.into_inner().to_string());
            }
        }
    }
    out
}

/// A channel's maturity keys: a curve (`mature_resolution` with `maturity_months`) or a
/// monthly list, not both.
fn validate_maturity(base: &str, b: &RawBotChannel, p: &mut Problems) -> Option<Maturity> {
    match (
        b.mature_resolution,
        b.maturity_months,
        &b.resolution_by_month,
    ) {
        (None, None, None) => None,
        (_, _, Some(_)) if b.mature_resolution.is_some() || b.maturity_months.is_some() => {
            p.push(
                format!("{base}.resolution_by_month"),
                "cannot be combined with `mature_resolution` / `maturity_months`: give the curve or the monthly list",
            );
            None
        }
        (_, _, Some(list)) => {
            if list.is_empty() || list.len() > MAX_MATURITY_MONTHS {
                p.push(
                    format!("{base}.resolution_by_month"),
                    format!(
                        "has {} values; give 1 to {MAX_MATURITY_MONTHS} monthly resolutions, e.g. [0.25, 0.3, 0.35]",
                        list.len()
                    ),
                );
                return None;
            }
            let mut ok = true;
            for (i, v) in list.iter().enumerate() {
                ok &= p
                    .probability(&format!("{base}.resolution_by_month[{i}]"), *v)
                    .is_some();
            }
            ok.then(|| Maturity::Monthly(list.clone()))
        }
        (Some(mature), Some(months), None) => {
            let mature = p.probability(&format!("{base}.mature_resolution"), mature);
            let months = p.positive(&format!("{base}.maturity_months"), months);
            if let Some(m) = months {
                at_most(
                    p,
                    &format!("{base}.maturity_months"),
                    m,
                    MAX_MATURITY_MONTHS as f64,
                    "number of months (20 years)",
                );
            }
            Some(Maturity::Curve {
                mature: mature?,
                tau_min: months? * MONTH_MIN,
            })
        }
        (Some(_), None, None) => {
            p.push(
                format!("{base}.maturity_months"),
                "is required with `mature_resolution`: the curve's time constant in months, e.g. 3",
            );
            None
        }
        (None, Some(_), None) => {
            p.push(
                format!("{base}.mature_resolution"),
                "is required with `maturity_months`: the resolution the bot approaches, e.g. 0.5",
            );
            None
        }
    }
}
