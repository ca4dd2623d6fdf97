//! `[demand]`: volume, weekly and daily profiles, growth, surges, segments and the channel,
//! priority and required-level mixes; then the piecewise-constant arrival rate.

use super::*;
use crate::scenario::error::Num;

/// Checks one mix: entries finite, >= 0, summing to 1.
fn mix<const N: usize>(
    p: &mut Problems,
    path: &str,
    names: [&str; N],
    vals: [Option<f64>; N],
) -> Option<[f64; N]> {
    let v = mix_slice(p, path, &names, &vals)?;
    Some(v.try_into().expect("N entries"))
}

/// [`mix`] for a mix whose length the file decides (priorities, channels).
pub(super) fn mix_slice(
    p: &mut Problems,
    path: &str,
    names: &[&str],
    vals: &[Option<f64>],
) -> Option<Vec<f64>> {
    let mut out = vec![0.0; names.len()];
    let mut ok = true;
    for i in 0..names.len() {
        if let Some(v) = vals[i] {
            match p.probability(&format!("{path}.{}", names[i]), v) {
                Some(v) => out[i] = v,
                None => ok = false,
            }
        }
    }
    if !ok {
        return None;
    }
    let sum: f64 = out.iter().sum();
    if (sum - 1.0).abs() > MIX_TOLERANCE {
        p.push(
            path,
            format!(
                "shares must sum to 1, they sum to {sum}; adjust them (missing keys count as 0)"
            ),
        );
        return None;
    }
    Some(out)
}

/// Priority shares keyed by the file's priority names (`names`, most urgent first); a key
/// that is not one of them is refused with the list. Missing priorities are 0.
pub(super) fn priority_mix(
    p: &mut Problems,
    path: &str,
    names: &[String],
    m: &RawPriorityMix,
) -> Option<Vec<f64>> {
    let mut vals = vec![None; names.len()];
    let mut ok = true;
    for (k, v) in &m.0 {
        match crate::scenario::priorities::resolve(names, k) {
            Ok(i) => vals[i] = Some(*v),
            Err(e) => {
                p.push(format!("{path}.{k}"), e);
                ok = false;
            }
        }
    }
    if !ok {
        // The sum of the remaining shares would only repeat the unknown key's problem.
        return None;
    }
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    // The same checks, in the same order, as every other mix: shares in rank order.
    mix_slice(p, path, &names, &vals)
}

/// Required-level shares `0..4`; not every ticket may be deflected.
pub(super) fn level_mix(p: &mut Problems, path: &str, m: &RawLevelMix) -> Option<[f64; 5]> {
    let r = mix(
        p,
        path,
        ["0", "1", "2", "3", "4"],
        [m.l0, m.l1, m.l2, m.l3, m.l4],
    )?;
    if r[0] >= 1.0 {
        p.push(
            path,
            "every ticket is deflected (level 0 = 1): nothing would reach an agent",
        );
        return None;
    }
    Some(r)
}

type Mixes = (Vec<String>, Vec<f64>, Vec<SegmentMix>);

/// Volume, profiles, growth, dispersion, surges and the per-segment mixes:
/// `(segment names, segment shares, mix per segment)` when all are valid.
pub(super) fn validate_mixes(
    d: &RawDemand,
    priority_names: &[String],
    channels: &Channels,
    p: &mut Problems,
) -> Option<Mixes> {
    let mut ok = true;
    match (d.tickets_per_week, d.tickets_per_hour) {
        (Some(_), Some(_)) => {
            p.push(
                "demand",
                "give either tickets_per_week or tickets_per_hour, not both",
            );
            ok = false;
        }
        (None, None) => {
            p.push(
                "demand",
                "missing volume: add tickets_per_week (or tickets_per_hour)",
            );
            ok = false;
        }
        (Some(v), None) => ok &= p.positive("demand.tickets_per_week", v).is_some(),
        (None, Some(v)) => ok &= p.positive("demand.tickets_per_hour", v).is_some(),
    }
    for (key, w, len, what) in [
        (
            "demand.weekday_weights",
            &d.weekday_weights,
            7,
            "one per weekday Monday..Sunday",
        ),
        (
            "demand.hour_weights",
            &d.hour_weights,
            24,
            "one per local hour 0..23",
        ),
    ] {
        if let Some(w) = w {
            if w.len() != len {
                p.push(
                    key,
                    format!("must have {len} entries ({what}), got {}", w.len()),
                );
                ok = false;
                continue;
            }
            for (i, v) in w.iter().enumerate() {
                ok &= p.non_negative(&format!("{key}[{i}]"), *v).is_some();
            }
            if w.iter().all(|v| *v == 0.0) {
                p.push(key, "all weights are 0: no ticket could ever arrive");
                ok = false;
            } else if w.iter().all(|v| v.is_finite() && *v >= 0.0) {
                // Weights are divided by their mean: it must be a positive finite number, and
                // so must every weight over it (huge or subnormal weights break either).
                let mean = w.iter().sum::<f64>() / len as f64;
                if !(mean.is_finite() && mean > 0.0 && w.iter().all(|v| (v / mean).is_finite())) {
                    p.push(
                        key,
                        "weights are relative: their sum overflows or they are too small to divide by; scale them to ordinary numbers (e.g. 0 to 100)",
                    );
                    ok = false;
                }
            }
        }
    }
    if let Some(g) = p.finite("demand.growth_per_month", d.growth_per_month)
        && g <= -1.0
    {
        p.push(
            "demand.growth_per_month",
            format!("must be > -1 (a fraction per month), got {}", Num(g)),
        );
        ok = false;
    }
    ok &= p
        .non_negative("demand.daily_dispersion_cv", d.daily_dispersion_cv)
        .is_some();
    for (i, s) in d.surges.iter().enumerate() {
        let base = format!("demand.surges[{i}]");
        ok &= p
            .non_negative(&format!("{base}.start_day"), s.start_day)
            .is_some();
        ok &= p
            .positive(&format!("{base}.duration_hours"), s.duration_hours)
            .is_some();
        ok &= p
            .non_negative(&format!("{base}.multiplier"), s.multiplier)
            .is_some();
    }

    if d.segments.0.is_empty() {
        p.push(
            "demand.segments",
            "must name at least one segment, e.g. { smb = 1.0 }",
        );
        return None;
    }
    let mut probs = Vec::new();
    let mut names = Vec::new();
    for (name, v) in &d.segments.0 {
        if let Some(m) = crate::scenario::limits::name_problem(name) {
            p.push("demand.segments", format!("segment name {m}"));
            ok = false;
        }
        match p.probability(&format!("demand.segments.{name}"), *v) {
            Some(v) => probs.push(v),
            None => ok = false,
        }
        names.push(name.clone());
    }
    if ok {
        let sum: f64 = probs.iter().sum();
        if (sum - 1.0).abs() > MIX_TOLERANCE {
            p.push(
                "demand.segments",
                format!("shares must sum to 1, they sum to {sum}"),
            );
            ok = false;
        }
    }
    for (name, _) in &d.by_segment.0 {
        if !names.contains(name) {
            p.push(
                format!("demand.by_segment.{name}"),
                format!("unknown segment {name:?}; segments are {names:?}"),
            );
            ok = false;
        }
    }
    let channel = channel_mix(p, "demand.channels", channels, &d.channels);
    let priority = priority_mix(p, "demand.priorities", priority_names, &d.priorities);
    let level = level_mix(p, "demand.required_level", &d.required_level);
    let mut mixes = Vec::new();
    for name in &names {
        let over = d
            .by_segment
            .0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v);
        let base = format!("demand.by_segment.{name}");
        let c = match over.and_then(|o| o.channels.as_ref()) {
            Some(m) => channel_mix(p, &format!("{base}.channels"), channels, m),
            None => channel.clone(),
        };
        let pr = match over.and_then(|o| o.priorities.as_ref()) {
            Some(m) => priority_mix(p, &format!("{base}.priorities"), priority_names, m),
            None => priority.clone(),
        };
        let l = match over.and_then(|o| o.required_level.as_ref()) {
            Some(m) => level_mix(p, &format!("{base}.required_level"), m),
            None => level,
        };
        match (c, pr, l) {
            (Some(channel), Some(priority), Some(level)) => mixes.push(SegmentMix {
                channel,
                priority,
                level,
            }),
            _ => ok = false,
        }
    }
    ok.then_some((names, probs, mixes))
}

/// The piecewise-constant arrival rate over the whole run: the 15-minute grid (weekday and
/// hour weights, growth) split further at surge edges; surges starting after the run are
/// reported.
pub(super) fn build_rate_segments(
    d: &RawDemand,
    run: &RunSettings,
    slots: &[LocalSlot],
    p: &mut Problems,
) -> Vec<RateSegment> {
    let per_min = match (d.tickets_per_week, d.tickets_per_hour) {
        (Some(w), _) => w / (7.0 * DAY_MIN),
        (_, Some(h)) => h / 60.0,
        _ => 0.0,
    };
    let norm = |w: &Option<Vec<f64>>, n: usize| -> Vec<f64> {
        match w {
            Some(v) => {
                let mean = v.iter().sum::<f64>() / n as f64;
                v.iter().map(|x| x / mean).collect()
            }
            None => vec![1.0; n],
        }
    };
    let wd = norm(&d.weekday_weights, 7);
    let hr = norm(&d.hour_weights, 24);
    let span = run.span_min();
    // Breakpoints: the 15-minute grid plus surge edges, so surges need not align to the grid.
    let mut edges: Vec<f64> = (0..slots.len()).map(|j| j as f64 * SLOT_MIN).collect();
    for (i, s) in d.surges.iter().enumerate() {
        let a = s.start_day * DAY_MIN;
        if a >= span {
            p.0.push(Problem {
                path: format!("demand.surges[{i}].start_day"),
                message: format!(
                    "starts at day {} but the run covers only {:.1} days (warm-up + horizon + drain)",
                    s.start_day,
                    span / DAY_MIN
                ),
                location: None,
            });
            continue;
        }
        edges.push(a);
        edges.push((a + s.duration_hours * 60.0).min(span));
    }
    edges.sort_by(f64::total_cmp);
    edges.dedup();
    let month = 30.4375 * DAY_MIN;
    let mut out: Vec<RateSegment> = Vec::with_capacity(edges.len());
    for (k, &a) in edges.iter().enumerate() {
        let b = edges.get(k + 1).copied().unwrap_or(span);
        if b <= a {
            continue;
        }
        let mid = 0.5 * (a + b);
        let slot = slots[((a / SLOT_MIN) as usize).min(slots.len() - 1)];
        let surge: f64 = d
            .surges
            .iter()
            .filter(|s| {
                let s0 = s.start_day * DAY_MIN;
                mid >= s0 && mid < s0 + s.duration_hours * 60.0
            })
            .map(|s| s.multiplier)
            .product();
        // Growth is compounded continuously and evaluated at the segment midpoint.
        let growth = (1.0 + d.growth_per_month).powf(mid / month);
        let rate = per_min
            * wd[slot.weekday as usize]
            * hr[(slot.minute_of_day / 60) as usize]
            * growth
            * surge;
        let day = if d.daily_dispersion_cv > 0.0 {
            slot.day
        } else {
            0
        };
        match out.last() {
            Some(last) if last.rate_per_min == rate && last.day == day => {}
            _ => out.push(RateSegment {
                start_min: a,
                rate_per_min: rate,
                day,
            }),
        }
    }
    out
}
