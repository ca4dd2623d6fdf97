//! `[[tiers]]` and `[escalation]`: the ladder, its pools and work times, handoff mechanics, and
//! whether every required level with tickets has someone to work it.

use super::*;

/// Every required level with tickets has a tier (or the vendor), and every tier such tickets
/// pass through has agents on duty.
pub(super) fn check_levels_served(
    raw: &RawScenario,
    probs: &[f64],
    mixes: &[SegmentMix],
    p: &mut Problems,
) {
    for lvl in 1..=4usize {
        let share: f64 = probs
            .iter()
            .zip(mixes.iter())
            .map(|(w, m)| w * m.level[lvl])
            .sum();
        if share <= 0.0 {
            continue;
        }
        check_level_has_a_server(raw, "demand.required_level", "tickets", lvl, share, p);
        // Every ticket at level >= lvl passes through tiers 1..=min(lvl,3).
        for (i, t) in raw.tiers.iter().enumerate() {
            if (t.level as usize) > lvl.min(3) {
                continue;
            }
            if let Some(pool) = raw.pools.iter().find(|x| x.name == t.pool) {
                let never = pool.hours.as_ref().is_some_and(|h| h.days.is_empty());
                let shifts = pool
                    .shifts
                    .iter()
                    .any(|s| s.headcount > 0 && !s.days.is_empty());
                if (pool.headcount == 0 || never) && !shifts {
                    let msg = format!(
                        "pool {:?} has no agents on duty but tier {} receives tickets; give it headcount > 0 and working hours, or shifts",
                        pool.name, t.level
                    );
                    if !p.0.iter().any(|x| x.message == msg) {
                        p.push(format!("tiers[{i}].pool"), msg);
                    }
                }
            }
        }
    }
}

/// Level `lvl`, needed by `share` of `whose` (as `key.<lvl>` gives it), has a tier (levels
/// 1 to 3) or the vendor (level 4) to work it.
pub(super) fn check_level_has_a_server(
    raw: &RawScenario,
    key: &str,
    whose: &str,
    lvl: usize,
    share: f64,
    p: &mut Problems,
) {
    if lvl <= 3 && !raw.tiers.iter().any(|t| t.level as usize == lvl) {
        p.push(
            format!("{key}.{lvl}"),
            format!(
                "{:.1}% of {whose} need level {lvl} but no tier has level = {lvl}; add a [[tiers]] entry with level = {lvl} or set this share to 0",
                share * 100.0
            ),
        );
    }
    if lvl == 4 && raw.vendor.is_none() {
        p.push(
            format!("{key}.4"),
            format!(
                "{:.2}% of {whose} need the L4 vendor but there is no [vendor] table; add [vendor] with delay_min or set this share to 0",
                share * 100.0
            ),
        );
    }
}

/// The ladder: levels 1, 2, 3 in order, each on a defined pool with a work time per channel.
pub(super) fn validate_tiers(
    tiers: &[RawTier],
    pools: &[RawPool],
    channels: &Channels,
    in_use: &[bool],
    p: &mut Problems,
) -> Option<Vec<Tier>> {
    if tiers.is_empty() {
        p.push("tiers", "must list at least one [[tiers]] entry (level 1)");
        return None;
    }
    let mut out = Vec::new();
    let mut ok = true;
    for (i, t) in tiers.iter().enumerate() {
        let base = format!("tiers[{i}]");
        if t.level as usize != i + 1 || t.level > 3 {
            p.push(
                format!("{base}.level"),
                format!(
                    "tiers must be listed in order as levels 1, 2, 3 (at most 3; level 4 is the [vendor]); expected {}, got {}",
                    i + 1,
                    t.level
                ),
            );
            ok = false;
        }
        let pool = pools.iter().position(|x| x.name == t.pool);
        if pool.is_none() {
            let names: Vec<&str> = pools.iter().map(|x| x.name.as_str()).collect();
            p.push(
                format!("{base}.pool"),
                format!("no pool named {:?}; defined pools: {names:?}", t.pool),
            );
            ok = false;
        }
        let work = times_per_channel(
            p,
            &format!("{base}.work_time"),
            channels,
            &t.work_time,
            Some(in_use),
        );
        let write_up = opt_dist(p, &format!("{base}.write_up_min"), &t.write_up_min);
        let regather = opt_dist(p, &format!("{base}.regather_min"), &t.regather_min);
        if let (Some(pool), Some(work), Some(write_up), Some(regather)) =
            (pool, work, write_up, regather)
        {
            let rp = &pools[pool];
            out.push(Tier {
                level: t.level,
                pool,
                work,
                write_up,
                regather,
                file_pool: pool,
                work_factor: rp.work_time_factor,
                resolve_factor: rp.resolve_factor,
                ramp: rp
                    .ramp
                    .as_ref()
                    .map(|r| (r.start_factor - 1.0, r.weeks * 7.0 * DAY_MIN)),
            });
        } else {
            ok = false;
        }
    }
    ok.then_some(out)
}

/// `[escalation]`: handoff delay, re-explain and bounce-back.
pub(super) fn validate_escalation(e: &RawEscalation, p: &mut Problems) -> Option<Escalation> {
    let handoff = opt_dist(p, "escalation.handoff_delay_min", &e.handoff_delay_min);
    let re_p = p.probability(
        "escalation.re_explain_probability",
        e.re_explain_probability,
    );
    let re_d = opt_dist(
        p,
        "escalation.re_explain_delay_min",
        &e.re_explain_delay_min,
    );
    let bb = p.probability(
        "escalation.bounce_back_probability",
        e.bounce_back_probability,
    );
    if bb == Some(1.0) {
        p.push(
            "escalation.bounce_back_probability",
            "must be < 1 (every escalation bouncing back means no ticket ever moves up)",
        );
        return None;
    }
    Some(Escalation {
        handoff_delay: handoff?,
        re_explain_p: re_p?,
        re_explain_delay: re_d?,
        bounce_back_p: bb?,
    })
}

/// Which channels a contact can ever be on: a positive share in some channel mix (demand, a
/// segment, a category, incidents), the message channel wherever a live contact can leave a
/// message, the channel a switching retrial moves to, and every channel with an arrival
/// trace. A channel outside this set needs no work time.
pub(super) fn channels_in_use(raw: &RawScenario, channels: &Channels) -> Vec<bool> {
    let mut used = vec![false; channels.len()];
    let mut add = |m: &RawChannelMix| {
        for (k, v) in &m.0 {
            // Anything but a plain 0 (a typo, NaN, a negative) counts: validation of the mix
            // reports it, and the work time must not be excused on its account. Unknown
            // channels are reported by the mix.
            if let Ok(c) = channels.resolve(k) {
                used[c] |= *v != 0.0;
            }
        }
    };
    add(&raw.demand.channels);
    raw.demand
        .by_segment
        .0
        .iter()
        .filter_map(|(_, m)| m.channels.as_ref())
        .for_each(&mut add);
    if let Some(c) = &raw.categories {
        c.profile
            .0
            .iter()
            .filter_map(|(_, p)| p.channels.as_ref())
            .for_each(&mut add);
    }
    if let Some(m) = raw.incidents.as_ref().and_then(|i| i.channels.as_ref()) {
        add(m);
    }
    if raw.demand.trace.is_some() {
        return vec![true; channels.len()];
    }
    let live = channels.live().any(|c| used[c]);
    let messages = raw.customers.abandon_to_email_probability != 0.0 || !raw.access.is_empty();
    if live && messages {
        used[channels.message()] = true;
    }
    if live
        && raw
            .customers
            .retrials
            .as_ref()
            .is_some_and(|r| r.switch_share != 0.0)
    {
        let from: Vec<usize> = channels.live().filter(|&c| used[c]).collect();
        for c in from {
            used[channels.other_live(c)] = true;
        }
    }
    used
}
