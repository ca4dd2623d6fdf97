//! Raw scenario -> typed [`Scenario`]: checks every value, reports every problem with its key
//! path, and precomputes what the engine needs (rate segments, staffing schedules, SLA lookup).

use super::calendar::{self, LocalSlot, SLOT_MIN};
use super::dist::{Dist, DistSpec};
use super::error::{Problem, Problems};
use super::raw::*;
use super::*;

/// Mixes must sum to 1 within this tolerance (room for decimal rounding in files).
const MIX_TOLERANCE: f64 = 1e-6;

pub(super) fn validate(raw: RawScenario) -> Result<Scenario, Vec<Problem>> {
    let mut p = Problems::default();

    if raw.name.is_empty()
        || !raw
            .name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        p.push(
            "name",
            format!(
                "must be non-empty and use only letters, digits, '-' and '_' (it names the output folder), got {:?}",
                raw.name
            ),
        );
    }
    let model = match Model::from_name(&raw.model) {
        Some(m) => model_kind(m),
        None => {
            let names: Vec<String> = Model::ALL
                .iter()
                .map(|m| format!("{:?}", m.name()))
                .collect();
            p.push(
                "model",
                format!(
                    "unknown model {:?}; supported: {}",
                    raw.model,
                    names.join(", ")
                ),
            );
            ModelKind::Tiered
        }
    };
    let queue_order = match raw.queues.order {
        QueueRule::Priority => QueueOrder::Priority,
        QueueRule::LiveFirst => QueueOrder::LiveFirst,
    };
    let run = validate_run(&raw.run, &raw.demand.timezone, &mut p);
    let segment_names: Vec<String> = raw
        .demand
        .segments
        .0
        .iter()
        .map(|(k, _)| k.clone())
        .collect();
    let mixes = validate_mixes(&raw.demand, &mut p);
    validate_pool_fields(&raw.pools, &mut p);
    validate_pool_work(&raw.pools, &mut p);
    let tiers = validate_tiers(&raw.tiers, &raw.pools, &mut p);
    let escalation = validate_escalation(&raw.escalation, &mut p);
    let vendor = raw
        .vendor
        .as_ref()
        .and_then(|v| dist(&mut p, "vendor.delay_min", &v.delay_min));
    let patience = [
        None,
        raw.customers
            .patience
            .chat
            .as_ref()
            .and_then(|d| dist(&mut p, "customers.patience.chat", d)),
        raw.customers
            .patience
            .phone
            .as_ref()
            .and_then(|d| dist(&mut p, "customers.patience.phone", d)),
    ];
    let abandon_to_email_p = p
        .probability(
            "customers.abandon_to_email_probability",
            raw.customers.abandon_to_email_probability,
        )
        .unwrap_or(0.0);
    let calendar_names: Vec<String> = raw.calendars.iter().map(|c| c.name.clone()).collect();
    let mut sla = validate_sla(&raw.sla, &segment_names, &calendar_names, &mut p);
    sla.clocks = validate_calendars(&raw.calendars, run.as_ref(), &mut p);

    // Cross-checks: which levels are needed, and is someone there to work them.
    if let Some((_, probs, mixes)) = &mixes {
        for lvl in 1..=4usize {
            let share: f64 = probs
                .iter()
                .zip(mixes.iter())
                .map(|(w, m)| w * m.level[lvl])
                .sum();
            if share <= 0.0 {
                continue;
            }
            if lvl <= 3 && !raw.tiers.iter().any(|t| t.level as usize == lvl) {
                p.push(
                    format!("demand.required_level.{lvl}"),
                    format!(
                        "{:.1}% of tickets need level {lvl} but no tier has level = {lvl}; add a [[tiers]] entry with level = {lvl} or set this share to 0",
                        share * 100.0
                    ),
                );
            }
            if lvl == 4 && raw.vendor.is_none() {
                p.push(
                    "demand.required_level.4",
                    format!(
                        "{:.2}% of tickets need the L4 vendor but there is no [vendor] table; add [vendor] with delay_min or set this share to 0",
                        share * 100.0
                    ),
                );
            }
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
    if raw.escalation.re_explain_probability > 0.0 && raw.escalation.re_explain_delay_min.is_none()
    {
        p.push(
            "escalation.re_explain_delay_min",
            "is required when re_explain_probability > 0 (the customer's round-trip time in minutes)",
        );
    }

    if !p.is_empty() {
        return Err(p.0);
    }
    let run = run.expect("no problems implies a valid run");
    let (segment_probs, _, mixes) = mixes.map(|(n, w, m)| (w, n, m)).expect("valid mixes");

    let slots = match calendar::local_slots(run.start_date, &run.timezone, run.span_min()) {
        Ok(s) => s,
        Err(e) => {
            p.push("run.start_date", format!("cannot map to local time: {e}"));
            return Err(p.0);
        }
    };
    let segments = build_rate_segments(&raw.demand, &run, &slots, &mut p);
    // Scheduled (paid) agents per file pool; shrinkage then gives the agents available.
    let scheduled: Vec<Vec<(f64, u32)>> = raw
        .pools
        .iter()
        .enumerate()
        .map(|(i, rp)| {
            build_schedule(rp, &slots, &run, &raw.demand.timezone).unwrap_or_else(|e| {
                p.push(format!("pools[{i}].shifts"), e);
                vec![(0.0, 0)]
            })
        })
        .collect();
    let pools: Vec<Pool> = raw
        .pools
        .iter()
        .zip(&scheduled)
        .map(|(rp, sched)| Pool {
            name: rp.name.clone(),
            headcount: if rp.shifts.is_empty() {
                rp.headcount
            } else {
                sched.iter().map(|x| x.1).max().unwrap_or(0)
            },
            members: vec![rp.name.clone()],
            schedule: apply_shrinkage(sched, rp.shrinkage, run.span_min()),
            chat_concurrency: rp.chat_concurrency as u8,
            max_occupancy: rp.max_occupancy,
            handover_min: rp.handover_min,
            shift_ends: sched
                .windows(2)
                .filter(|w| w[1].1 < w[0].1)
                .map(|w| (w[1].0, w[0].1 - w[1].1))
                .collect(),
        })
        .collect();
    let mut cost_warnings = Vec::new();
    let (costs, paid_agent_hours_per_week) = costs(
        &raw,
        &scheduled,
        &pools,
        tiers.as_ref(),
        &sla,
        &run,
        &mut p,
        &mut cost_warnings,
    );
    if !p.is_empty() {
        return Err(p.0);
    }
    let days = slots.last().map_or(1, |s| s.day + 1);
    let tiers = tiers.expect("valid tiers");
    let level_share: Vec<f64> = (0..=4)
        .map(|lvl| {
            segment_probs
                .iter()
                .zip(mixes.iter())
                .map(|(w, m)| w * m.level[lvl])
                .sum()
        })
        .collect();
    let mut model_warnings = cost_warnings;
    let (pools, tiers, swarm) =
        apply_model(&raw, model, pools, tiers, &level_share, &mut model_warnings)?;
    check_merged_pool_work(&raw, model, &pools)?;
    let mut scenario = Scenario {
        name: raw.name.clone(),
        description: raw.description.clone(),
        model,
        demand: Demand {
            segments,
            days,
            daily_cv: raw.demand.daily_dispersion_cv,
            segment_names,
            segment_probs,
            mixes,
        },
        run,
        pools,
        tiers,
        swarm,
        queue_order,
        costs,
        paid_agent_hours_per_week,
        escalation: escalation.expect("valid escalation"),
        vendor,
        patience,
        abandon_to_email_p,
        sla,
        warnings: Vec::new(),
        raw,
    };
    scenario.warnings = model_warnings;
    scenario
        .warnings
        .extend(super::analysis::warnings(&scenario));
    Ok(scenario)
}

/// The compiled model of a file's model name.
fn model_kind(m: Model) -> ModelKind {
    match m {
        Model::Tiered => ModelKind::Tiered,
        Model::PooledTiered => ModelKind::PooledTiered,
        Model::Swarm => ModelKind::Swarm,
        Model::Hybrid => ModelKind::Hybrid,
    }
}

/// Pools, tiers and swarm mechanics of a model (see [`apply_model`]).
type ModelLayout = (Vec<Pool>, Vec<Tier>, Option<Swarm>);

/// Pools, tiers and swarm mechanics as the selected model uses them: merges the pools the
/// model pools (pooled L1+L2 queue, case owners) and validates `[pooled]` / `[swarm]`.
fn apply_model(
    raw: &RawScenario,
    model: ModelKind,
    mut pools: Vec<Pool>,
    mut tiers: Vec<Tier>,
    level_share: &[f64],
    warnings: &mut Vec<String>,
) -> Result<ModelLayout, Vec<Problem>> {
    let mut p = Problems::default();
    let n = tiers.len();
    let is_swarm = matches!(model, ModelKind::Swarm | ModelKind::Hybrid);
    if raw.swarm.is_some() && !is_swarm {
        warnings.push(format!(
            "[swarm] is ignored: model {:?} has no swarms (it applies to \"swarm\" and \"hybrid\")",
            model.name()
        ));
    }
    if raw.pooled.is_some() && model != ModelKind::PooledTiered {
        warnings.push(format!(
            "[pooled] is ignored: it applies to model \"pooled_tiered\", not {:?}",
            model.name()
        ));
    }
    match model {
        ModelKind::Tiered => Ok((pools, tiers, None)),
        ModelKind::PooledTiered => {
            let levels = raw.pooled.as_ref().map_or(2, |x| x.levels).min(n as u8);
            if raw.pooled.as_ref().is_some_and(|x| x.levels == 0) {
                p.push(
                    "pooled.levels",
                    "must be at least 1 (tiers 1..=levels share one queue)",
                );
                return Err(p.0);
            }
            merge_tier_pools(&mut pools, &mut tiers, 0..levels as usize);
            Ok((pools, tiers, None))
        }
        ModelKind::Swarm | ModelKind::Hybrid => {
            let owner_tier = usize::from(model == ModelKind::Hybrid);
            if n < owner_tier + 1 {
                p.push(
                    "tiers",
                    "model \"hybrid\" needs at least 2 tiers: a tiered level 1 and the owners behind it",
                );
                return Err(p.0);
            }
            let default_swarm = RawSwarm::default();
            let rs = raw.swarm.as_ref().unwrap_or(&default_swarm);
            let min_level = owner_tier as u8 + 1;
            let owner_level = rs
                .owner_level
                .unwrap_or_else(|| (n as u8).saturating_sub(1).max(min_level));
            if owner_level < min_level || owner_level as usize > n {
                p.push(
                    "swarm.owner_level",
                    format!(
                        "must be between {min_level} and {n} (the number of tiers) for model {:?}, got {owner_level}",
                        model.name()
                    ),
                );
            }
            let helpers = validate_helpers(rs.helpers.as_ref(), &mut p);
            let overhead = p
                .finite("swarm.coordination_overhead", rs.coordination_overhead)
                .filter(|v| {
                    *v >= 0.0 || {
                        p.push(
                            "swarm.coordination_overhead",
                            format!("must be >= 0 (a fraction added to session time), got {v}"),
                        );
                        false
                    }
                });
            let context_switch =
                opt_dist(&mut p, "swarm.context_switch_min", &rs.context_switch_min);
            let brief = opt_dist(&mut p, "swarm.brief_min", &rs.brief_min);
            let session = match &rs.session_min {
                Some(d) => dist(&mut p, "swarm.session_min", d).map(Some),
                None => Some(None),
            };
            let priority = match rs.priority {
                SwarmRule::SwarmFirst => SwarmPriority::SwarmFirst,
                SwarmRule::QueueFirst => SwarmPriority::QueueFirst,
            };
            let learning = match &rs.learning {
                None => Some(None),
                Some(l) => {
                    let g = p.probability("swarm.learning.gain_per_swarm", l.gain_per_swarm);
                    let c = p.probability(
                        "swarm.learning.max_solo_probability",
                        l.max_solo_probability,
                    );
                    g.zip(c).map(Some)
                }
            };
            if !p.is_empty() {
                return Err(p.0);
            }
            let owner_tiers = owner_tier..owner_level as usize;
            merge_tier_pools(&mut pools, &mut tiers, owner_tiers);
            let owner_pool = tiers[owner_tier].pool;
            let (helpers_cum, helpers_mean) = helpers.expect("validated helpers");
            let max_helpers = helpers_cum.len() as u32;
            // A session needs all its helpers on duty at once: a request for more helpers than
            // an expert pool ever has would wait forever.
            for k in owner_level as usize..n {
                let demand: f64 = level_share[k + 1..].iter().sum();
                let pool = tiers[k].pool;
                let mut available = pools[pool].max_staffed();
                if pool == owner_pool {
                    available = available.saturating_sub(1);
                }
                if demand > 0.0 && available < max_helpers {
                    p.push(
                        "swarm.helpers",
                        format!(
                            "asks for up to {max_helpers} helpers but pool {:?} (experts for level {}) never has more than {available} agents free for a session; lower the helper counts or staff the pool",
                            pools[pool].name,
                            k + 1
                        ),
                    );
                }
            }
            if !p.is_empty() {
                return Err(p.0);
            }
            let swarm = Swarm {
                owner_tier,
                owner_level,
                owner_pool,
                helpers_cum,
                helpers_mean,
                overhead: overhead.expect("validated"),
                context_switch: context_switch.expect("validated"),
                brief: brief.expect("validated"),
                session: session.expect("validated"),
                priority,
                learning: learning.expect("validated"),
            };
            Ok((pools, tiers, Some(swarm)))
        }
    }
}

/// Helper-count distribution: cumulative probabilities of 1, 2, ... helpers and the mean.
fn validate_helpers(h: Option<&OrderedMap<f64>>, p: &mut Problems) -> Option<(Vec<f64>, f64)> {
    let Some(h) = h else {
        return Some((vec![1.0], 1.0));
    };
    let mut probs = [0.0f64; 8];
    let mut ok = true;
    for (k, v) in &h.0 {
        let path = format!("swarm.helpers.{k}");
        match k.parse::<usize>() {
            Ok(n @ 1..=8) => match p.probability(&path, *v) {
                Some(v) => probs[n - 1] = v,
                None => ok = false,
            },
            _ => {
                p.push(path, format!("helper counts are \"1\" to \"8\", got {k:?}"));
                ok = false;
            }
        }
    }
    if !ok {
        return None;
    }
    let total: f64 = probs.iter().sum();
    if (total - 1.0).abs() > MIX_TOLERANCE {
        p.push(
            "swarm.helpers",
            format!("probabilities must sum to 1, got {total}"),
        );
        return None;
    }
    let last = probs.iter().rposition(|&x| x > 0.0).unwrap_or(0);
    let mut acc = 0.0;
    let mut cum: Vec<f64> = probs[..=last]
        .iter()
        .map(|x| {
            acc += x;
            acc
        })
        .collect();
    *cum.last_mut().expect("one entry") = f64::INFINITY;
    let mean = probs
        .iter()
        .enumerate()
        .map(|(i, x)| (i + 1) as f64 * x)
        .sum();
    Some((cum, mean))
}

/// Merges the pools staffing `tier_range` into one pool (at the position of the first), so
/// those tiers share one queue served by everyone in them; on-duty schedules add up.
fn merge_tier_pools(pools: &mut Vec<Pool>, tiers: &mut [Tier], tier_range: std::ops::Range<usize>) {
    let mut members: Vec<usize> = tiers[tier_range].iter().map(|t| t.pool).collect();
    members.sort_unstable();
    members.dedup();
    if members.len() < 2 {
        return;
    }
    let first = members[0];
    let mut merged = pools[first].clone();
    for &m in &members[1..] {
        let other = &pools[m];
        merged.name = format!("{}+{}", merged.name, other.name);
        merged.headcount += other.headcount;
        merged.members.extend(other.members.iter().cloned());
        merged.schedule = add_schedules(&merged.schedule, &other.schedule);
        merged.shift_ends.extend(other.shift_ends.iter().copied());
        merged.shift_ends.sort_by(|a, b| a.0.total_cmp(&b.0));
    }
    pools[first] = merged;
    // Drop the merged-away pools and renumber every tier's pool index; `first` is the lowest
    // member, so its new index is known before any merged-away pool needs it.
    let removed = &members[1..];
    let mut new_index = vec![0; pools.len()];
    let mut next = 0;
    for i in 0..pools.len() {
        if removed.contains(&i) {
            new_index[i] = new_index[first];
        } else {
            new_index[i] = next;
            next += 1;
        }
    }
    let mut i = 0;
    pools.retain(|_| {
        let keep = !removed.contains(&i);
        i += 1;
        keep
    });
    for t in tiers.iter_mut() {
        t.pool = new_index[t.pool];
    }
}

/// Sum of two on-duty step functions `(time, agents)`.
fn add_schedules(a: &[(f64, u32)], b: &[(f64, u32)]) -> Vec<(f64, u32)> {
    let at = |s: &[(f64, u32)], t: f64| {
        let i = s.partition_point(|(x, _)| *x <= t);
        if i == 0 { 0 } else { s[i - 1].1 }
    };
    let mut times: Vec<f64> = a.iter().chain(b).map(|(t, _)| *t).collect();
    times.sort_by(f64::total_cmp);
    times.dedup();
    let mut out: Vec<(f64, u32)> = Vec::new();
    for t in times {
        let n = at(a, t) + at(b, t);
        if out.last().is_none_or(|(_, m)| *m != n) {
            out.push((t, n));
        }
    }
    out
}

fn dist(p: &mut Problems, path: &str, spec: &DistSpec) -> Option<Dist> {
    match Dist::from_raw(&spec.0) {
        Ok(d) => Some(d),
        Err((key, msg)) => {
            // A plain number is stored as a deterministic table: name the key, not `value_min`.
            let full = if matches!(spec.0, super::RawDist::Deterministic { .. }) {
                path.to_string()
            } else {
                format!("{path}.{key}")
            };
            p.push(full, msg);
            None
        }
    }
}

fn opt_dist(p: &mut Problems, path: &str, spec: &Option<DistSpec>) -> Option<Dist> {
    match spec {
        Some(s) => dist(p, path, s),
        None => Some(Dist::constant(0.0)),
    }
}

fn validate_run(r: &RawRun, tz_name: &str, p: &mut Problems) -> Option<RunSettings> {
    let start_date = match r.start_date.parse::<jiff::civil::Date>() {
        Ok(d) => Some(d),
        Err(e) => {
            p.push(
                "run.start_date",
                format!("must be a date YYYY-MM-DD, got {:?} ({e})", r.start_date),
            );
            None
        }
    };
    let timezone = match jiff::tz::TimeZone::get(tz_name) {
        Ok(tz) => Some(tz),
        Err(_) => {
            p.push(
                "demand.timezone",
                format!("unknown IANA time zone {tz_name:?}; use a name like \"America/New_York\" or \"UTC\""),
            );
            None
        }
    };
    let warmup = p.non_negative("run.warmup_days", r.warmup_days);
    let horizon = p.positive("run.horizon_days", r.horizon_days);
    let drain = p.non_negative("run.drain_days", r.drain_days);
    let interval = p.positive("run.timeseries_interval_min", r.timeseries_interval_min);
    if r.replications == 0 {
        p.push("run.replications", "must be at least 1");
    }
    if r.max_open_tickets == 0 {
        p.push("run.max_open_tickets", "must be at least 1");
    }
    if let (Some(w), Some(h), Some(d)) = (warmup, horizon, drain)
        && w + h + d > 3660.0
    {
        p.push(
            "run.horizon_days",
            format!(
                "warm-up + horizon + drain is {:.0} days; keep it within 10 years",
                w + h + d
            ),
        );
    }
    Some(RunSettings {
        start_date: start_date?,
        timezone: timezone?,
        warmup_min: warmup? * DAY_MIN,
        horizon_min: horizon? * DAY_MIN,
        drain_min: drain? * DAY_MIN,
        replications: r.replications,
        seed: r.seed,
        interval_min: interval?,
        max_open_tickets: r.max_open_tickets,
    })
}

/// Checks one mix: entries finite, >= 0, summing to 1.
fn mix<const N: usize>(
    p: &mut Problems,
    path: &str,
    names: [&str; N],
    vals: [Option<f64>; N],
) -> Option<[f64; N]> {
    let mut out = [0.0; N];
    let mut ok = true;
    for i in 0..N {
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

fn channel_mix(p: &mut Problems, path: &str, m: &RawChannelMix) -> Option<[f64; 3]> {
    mix(p, path, CHANNELS, [m.email, m.chat, m.phone])
}
fn priority_mix(p: &mut Problems, path: &str, m: &RawPriorityMix) -> Option<[f64; 4]> {
    mix(p, path, PRIORITIES, [m.P1, m.P2, m.P3, m.P4])
}
fn level_mix(p: &mut Problems, path: &str, m: &RawLevelMix) -> Option<[f64; 5]> {
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

fn validate_mixes(d: &RawDemand, p: &mut Problems) -> Option<Mixes> {
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
            }
        }
    }
    if let Some(g) = p.finite("demand.growth_per_month", d.growth_per_month)
        && g <= -1.0
    {
        p.push(
            "demand.growth_per_month",
            format!("must be > -1 (a fraction per month), got {g}"),
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
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            p.push(
                format!("demand.segments.{name}"),
                "segment names use letters, digits, '_' and '-'",
            );
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
    let channel = channel_mix(p, "demand.channels", &d.channels);
    let priority = priority_mix(p, "demand.priorities", &d.priorities);
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
            Some(m) => channel_mix(p, &format!("{base}.channels"), m),
            None => channel,
        };
        let pr = match over.and_then(|o| o.priorities.as_ref()) {
            Some(m) => priority_mix(p, &format!("{base}.priorities"), m),
            None => priority,
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

fn parse_hhmm(s: &str) -> Option<u16> {
    let (h, m) = s.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    if m >= 60 || h > 24 || (h == 24 && m != 0) {
        return None;
    }
    Some(h * 60 + m)
}

/// Proficiency, quality, ramp, hand-over and contract keys of one pool.
fn validate_sourcing(pool: &RawPool, base: &str, p: &mut Problems) {
    if let Some(h) = pool.handover_min.filter(|h| !(h.is_finite() && *h >= 0.0)) {
        p.push(
            format!("{base}.handover_min"),
            format!("must be minutes >= 0, got {h}"),
        );
    }
    let f = pool.work_time_factor;
    if !(f.is_finite() && f > 0.0) {
        p.push(
            format!("{base}.work_time_factor"),
            format!("must be a number > 0 (1 = the file's work times), got {f}"),
        );
    }
    let r = pool.resolve_factor;
    if !(0.0..=1.0).contains(&r) {
        p.push(
            format!("{base}.resolve_factor"),
            format!("must be a fraction in [0, 1] of the tickets the tier could resolve, got {r}"),
        );
    }
    if let Some(ramp) = &pool.ramp {
        if !(ramp.start_factor.is_finite() && ramp.start_factor >= 1.0) {
            p.push(
                format!("{base}.ramp.start_factor"),
                format!(
                    "must be >= 1 (1.5 = new hires take 50% longer), got {}",
                    ramp.start_factor
                ),
            );
        }
        if !(ramp.weeks.is_finite() && ramp.weeks > 0.0) {
            p.push(
                format!("{base}.ramp.weeks"),
                format!("must be a number of weeks > 0, got {}", ramp.weeks),
            );
        }
    }
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
                        format!("must be a finite number >= 0, got {v}"),
                    );
                }
            }
            if !(c.seat_hours_per_week.is_finite() && c.seat_hours_per_week > 0.0) {
                p.push(
                    format!("{cp}.seat_hours_per_week"),
                    format!("must be hours > 0, got {}", c.seat_hours_per_week),
                );
            }
            if !(0.0..1.0).contains(&c.flex) {
                p.push(
                    format!("{cp}.flex"),
                    format!("must be a fraction in [0, 1) (0.1 = +-10%), got {}", c.flex),
                );
            }
            if !(c.over_flex_price_factor.is_finite() && c.over_flex_price_factor >= 0.0) {
                p.push(
                    format!("{cp}.over_flex_price_factor"),
                    format!(
                        "must be a number >= 0, got {}",
                        c.over_flex_price_factor
                    ),
                );
            }
            if !(0.0..=1.0).contains(&c.at_risk_share) {
                p.push(
                    format!("{cp}.at_risk_share"),
                    format!(
                        "must be a fraction in [0, 1] of the invoice, got {}",
                        c.at_risk_share
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

fn validate_pool_fields(pools: &[RawPool], p: &mut Problems) {
    if pools.is_empty() {
        p.push("pools", "must list at least one [[pools]] entry");
        return;
    }
    for (i, pool) in pools.iter().enumerate() {
        if pools[..i].iter().any(|q| q.name == pool.name) {
            p.push(
                format!("pools[{i}].name"),
                format!("duplicate pool name {:?}", pool.name),
            );
        }
        let base = format!("pools[{i}]");
        if !(0.0..1.0).contains(&pool.shrinkage) {
            p.push(
                format!("{base}.shrinkage"),
                format!(
                    "must be a fraction in [0, 1) of scheduled time, got {}",
                    pool.shrinkage
                ),
            );
        }
        validate_sourcing(pool, &base, p);
        if !pool.shifts.is_empty() && (pool.hours.is_some() || pool.headcount > 0) {
            p.push(
                format!("{base}.shifts"),
                "give either shifts (each with its headcount) or headcount and hours, not both",
            );
        }
        for (k, sh) in pool.shifts.iter().enumerate() {
            let sp = format!("{base}.shifts[{k}]");
            for (key, raw) in [("start", &sh.start), ("end", &sh.end)] {
                match parse_hhmm(raw) {
                    None => p.push(
                        format!("{sp}.{key}"),
                        format!("must be a local time HH:MM, got {raw:?}"),
                    ),
                    Some(m) if m % 15 != 0 => p.push(
                        format!("{sp}.{key}"),
                        format!("must be on a quarter hour (:00, :15, :30, :45), got {raw:?}"),
                    ),
                    _ => {}
                }
            }
            if let Some(tz) = &sh.timezone
                && jiff::tz::TimeZone::get(tz).is_err()
            {
                p.push(
                    format!("{sp}.timezone"),
                    format!(
                        "unknown IANA time zone {tz:?} (e.g. \"Asia/Manila\", \"Europe/Dublin\")"
                    ),
                );
            }
            if sh.headcount == 0 {
                p.push(format!("{sp}.headcount"), "must be at least 1");
            }
        }
        if let Some(h) = &pool.hours {
            for (j, d) in h.days.iter().enumerate() {
                if Day::from_name(d).is_none() {
                    p.push(format!("pools[{i}].hours.days[{j}]"), Day::unknown(d));
                }
            }
            let s = parse_hhmm(&h.start);
            let e = parse_hhmm(&h.end);
            for (key, v, raw) in [("start", s, &h.start), ("end", e, &h.end)] {
                match v {
                    None => {
                        p.push(
                            format!("pools[{i}].hours.{key}"),
                            format!("must be a local time HH:MM, got {raw:?}"),
                        );
                    }
                    Some(m) if m % 15 != 0 => {
                        p.push(
                            format!("pools[{i}].hours.{key}"),
                            format!("must be on a quarter hour (:00, :15, :30, :45), got {raw:?}"),
                        );
                    }
                    _ => {}
                }
            }
            if let (Some(s), Some(e)) = (s, e)
                && e <= s
            {
                p.push(
                    format!("pools[{i}].hours.end"),
                    format!("must be after start ({} >= {}); overnight hours (past midnight) are not supported yet: use 24x7 (omit `hours`) or end at 24:00", h.start, h.end),
                );
            }
        }
    }
}

/// `chat_concurrency` and `max_occupancy` of each pool.
fn validate_pool_work(pools: &[RawPool], p: &mut Problems) {
    for (i, pool) in pools.iter().enumerate() {
        if !(1..=8).contains(&pool.chat_concurrency) {
            p.push(
                format!("pools[{i}].chat_concurrency"),
                format!("must be an integer in 1..=8, got {}", pool.chat_concurrency),
            );
        }
        let c = pool.max_occupancy;
        if !(c > 0.0 && c <= 1.0) {
            p.push(
                format!("pools[{i}].max_occupancy"),
                format!("must be a fraction in (0, 1] (1 = no cap), got {c}"),
            );
        }
    }
}

/// Pools a model merges into one must agree on `chat_concurrency` and `max_occupancy`: the
/// merged pool's agents follow one rule.
fn check_merged_pool_work(
    raw: &RawScenario,
    model: ModelKind,
    pools: &[Pool],
) -> Result<(), Vec<Problem>> {
    let mut p = Problems::default();
    for pool in pools.iter().filter(|x| x.members.len() > 1) {
        let find = |name: &String| raw.pools.iter().position(|r| &r.name == name);
        let Some(first) = find(&pool.members[0]) else {
            continue;
        };
        let a = &raw.pools[first];
        for name in &pool.members[1..] {
            let Some(i) = find(name) else { continue };
            let b = &raw.pools[i];
            let pairs = [
                (
                    "chat_concurrency",
                    a.chat_concurrency as f64,
                    b.chat_concurrency as f64,
                ),
                ("max_occupancy", a.max_occupancy, b.max_occupancy),
                (
                    "handover_min",
                    a.handover_min.unwrap_or(-1.0),
                    b.handover_min.unwrap_or(-1.0),
                ),
            ];
            for (key, x, y) in pairs {
                if x != y {
                    p.push(
                        format!("pools[{i}].{key}"),
                        format!(
                            "model {:?} merges pools {:?} and {:?} into one, so they need the same {key}; got {x} and {y}",
                            model.name(),
                            a.name,
                            b.name
                        ),
                    );
                }
            }
        }
    }
    if p.is_empty() { Ok(()) } else { Err(p.0) }
}

fn validate_tiers(tiers: &[RawTier], pools: &[RawPool], p: &mut Problems) -> Option<Vec<Tier>> {
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
        let wt = &t.work_time;
        let mut work: Vec<Option<Dist>> = Vec::new();
        for (c, spec) in CHANNELS.iter().zip([&wt.email, &wt.chat, &wt.phone]) {
            let d = match (spec, &wt.default) {
                (Some(s), _) => dist(p, &format!("{base}.work_time.{c}"), s),
                (None, Some(s)) => dist(p, &format!("{base}.work_time.default"), s),
                (None, None) => {
                    p.push(
                        format!("{base}.work_time"),
                        format!("no distribution for channel {c:?} and no `default`; add `{c} = {{ dist = ..., mean_min = ... }}` or `default = ...`"),
                    );
                    None
                }
            };
            work.push(d);
        }
        let write_up = opt_dist(p, &format!("{base}.write_up_min"), &t.write_up_min);
        let regather = opt_dist(p, &format!("{base}.regather_min"), &t.regather_min);
        if let (Some(pool), [Some(a), Some(b), Some(c)], Some(write_up), Some(regather)) =
            (pool, work.as_slice(), write_up, regather)
        {
            let rp = &pools[pool];
            out.push(Tier {
                level: t.level,
                pool,
                work: [a.clone(), b.clone(), c.clone()],
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

fn validate_escalation(e: &RawEscalation, p: &mut Problems) -> Option<Escalation> {
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

fn validate_target(
    p: &mut Problems,
    path: &str,
    t: &RawTarget,
    calendars: &[String],
) -> Option<Target> {
    let limit = match (t.target_min, t.target_hours) {
        (Some(m), None) => p.positive(&format!("{path}.target_min"), m),
        (None, Some(h)) => p
            .positive(&format!("{path}.target_hours"), h)
            .map(|h| h * 60.0),
        (Some(_), Some(_)) => {
            p.push(path, "give either target_min or target_hours, not both");
            None
        }
        (None, None) => {
            p.push(path, "missing time limit: add target_min or target_hours");
            None
        }
    };
    let goal = p.probability(&format!("{path}.goal"), t.goal);
    if goal == Some(0.0) {
        p.push(format!("{path}.goal"), "must be > 0");
    }
    let clock = match &t.clock {
        Clock::Wall => None,
        Clock::Calendar(name) => match calendars.iter().position(|c| c == name) {
            Some(i) => Some(i as u16),
            None => {
                p.push(
                    format!("{path}.clock"),
                    if calendars.is_empty() {
                        format!(
                            "unknown clock {name:?}; use \"24x7\" or define a [[calendars]] entry with that name"
                        )
                    } else {
                        format!(
                            "unknown clock {name:?}; use \"24x7\" or a calendar: {}",
                            calendars.join(", ")
                        )
                    },
                );
                return None;
            }
        },
    };
    let penalty = t.penalty_usd_per_breach.unwrap_or(0.0);
    if !(penalty.is_finite() && penalty >= 0.0) {
        p.push(
            format!("{path}.penalty_usd_per_breach"),
            format!("must be a finite number >= 0, got {penalty}"),
        );
    }
    Some(Target {
        limit_min: limit?,
        goal: goal.filter(|g| *g > 0.0)?,
        clock,
        pause_on_customer: t.pause_on_customer,
        penalty_usd: penalty,
    })
}

/// Business-hours clocks from `[[calendars]]` (empty when the run settings are invalid:
/// their problems are reported already).
fn validate_calendars(
    cals: &[RawCalendar],
    run: Option<&RunSettings>,
    p: &mut Problems,
) -> Vec<calendar::BusinessClock> {
    let mut out = Vec::new();
    for (i, c) in cals.iter().enumerate() {
        let base = format!("calendars[{i}]");
        let before = p.0.len();
        if cals[..i].iter().any(|o| o.name == c.name) {
            p.push(
                format!("{base}.name"),
                format!("duplicate calendar name {:?}", c.name),
            );
        }
        if c.name == Clock::WALL {
            p.push(
                format!("{base}.name"),
                "\"24x7\" is the wall clock's name: choose another",
            );
        }
        let tz = match jiff::tz::TimeZone::get(&c.timezone) {
            Ok(tz) => Some(tz),
            Err(_) => {
                p.push(
                    format!("{base}.timezone"),
                    format!(
                        "unknown IANA time zone {:?} (e.g. \"Europe/Berlin\", \"America/New_York\")",
                        c.timezone
                    ),
                );
                None
            }
        };
        let mut days = [false; 7];
        for d in &c.days {
            days[d.index()] = true;
        }
        let (start, end) = (parse_hhmm(&c.start), parse_hhmm(&c.end));
        for (key, v, raw) in [("start", start, &c.start), ("end", end, &c.end)] {
            if v.is_none() {
                p.push(
                    format!("{base}.{key}"),
                    format!("must be a local time HH:MM, got {raw:?}"),
                );
            }
        }
        if let (Some(a), Some(b)) = (start, end)
            && b <= a
        {
            p.push(
                format!("{base}.end"),
                format!("must be after start ({} >= {})", c.start, c.end),
            );
        }
        let mut holidays = Vec::new();
        for (j, h) in c.holidays.iter().enumerate() {
            match h.parse::<jiff::civil::Date>() {
                Ok(d) => holidays.push(d),
                Err(_) => p.push(
                    format!("{base}.holidays[{j}]"),
                    format!("must be a date YYYY-MM-DD, got {h:?}"),
                ),
            }
        }
        if p.0.len() > before {
            continue;
        }
        let (Some(run), Some(tz), Some(start_min), Some(end_min)) = (run, tz, start, end) else {
            continue;
        };
        let hours = calendar::Hours {
            tz: &tz,
            days,
            start_min,
            end_min,
            holidays: &holidays,
        };
        match calendar::BusinessClock::new(
            &c.name,
            run.start_date,
            &run.timezone,
            &hours,
            run.span_min(),
        ) {
            Ok(clock) => out.push(clock),
            Err(e) => p.push(base, format!("cannot build the calendar: {e}")),
        }
    }
    out
}

fn validate_sla(
    entries: &[RawSla],
    segments: &[String],
    calendars: &[String],
    p: &mut Problems,
) -> Sla {
    let ns = segments.len();
    let mut sla = Sla {
        targets: Vec::new(),
        first_response_of: vec![None; 4 * ns],
        resolution_of: vec![None; 4 * ns],
        clocks: Vec::new(),
    };
    for (i, e) in entries.iter().enumerate() {
        let base = format!("sla[{i}]");
        let prio = match &e.priority {
            None => Some(None),
            Some(s) => match PRIORITIES.iter().position(|x| x == s) {
                Some(k) => Some(Some(k)),
                None => {
                    p.push(
                        format!("{base}.priority"),
                        format!("unknown priority {s:?}; use P1, P2, P3 or P4"),
                    );
                    None
                }
            },
        };
        let seg = match &e.segment {
            None => Some(None),
            Some(s) => match segments.iter().position(|x| x == s) {
                Some(k) => Some(Some(k)),
                None => {
                    p.push(
                        format!("{base}.segment"),
                        format!("unknown segment {s:?}; demand.segments defines {segments:?}"),
                    );
                    None
                }
            },
        };
        if e.first_response.is_none() && e.resolution.is_none() {
            p.push(
                &base,
                "has neither first_response nor resolution: add at least one target",
            );
        }
        let fr = e
            .first_response
            .as_ref()
            .map(|t| validate_target(p, &format!("{base}.first_response"), t, calendars));
        let rs = e
            .resolution
            .as_ref()
            .map(|t| validate_target(p, &format!("{base}.resolution"), t, calendars));
        let (Some(prio), Some(seg)) = (prio, seg) else {
            continue;
        };
        let idx = sla.targets.len() as u16;
        for (kind, present, table) in [
            ("first_response", fr.is_some(), &mut sla.first_response_of),
            ("resolution", rs.is_some(), &mut sla.resolution_of),
        ] {
            if !present {
                continue;
            }
            for (pr, pr_name) in PRIORITIES.iter().enumerate() {
                for (sg, sg_name) in segments.iter().enumerate() {
                    if prio.is_some_and(|x| x != pr) || seg.is_some_and(|x| x != sg) {
                        continue;
                    }
                    let cell = pr * ns + sg;
                    if let Some(prev) = table[cell] {
                        p.push(
                            format!("{base}.{kind}"),
                            format!(
                                "{pr_name} x {sg_name} already has a {kind} target in sla[{prev}]; give each priority x segment at most one"
                            ),
                        );
                    } else {
                        table[cell] = Some(idx);
                    }
                }
            }
        }
        let label = format!(
            "{}/{}",
            e.priority.as_deref().unwrap_or("*"),
            e.segment.as_deref().unwrap_or("*")
        );
        sla.targets.push(SlaTarget {
            label,
            first_response: fr.flatten(),
            resolution: rs.flatten(),
        });
    }
    // Indices in the lookup tables refer to `targets` positions, which equal file positions
    // only when no entry was skipped; problems above stop the run in that case.
    sla
}

fn build_rate_segments(
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

/// Agent-hours of a `(time, agents)` schedule over `[from, to)`.
fn agent_hours(schedule: &[(f64, u32)], from: f64, to: f64) -> f64 {
    agent_minutes(schedule, from, to) / 60.0
}

/// Prices per file pool and invoice week, the vendor price and SLA credits, when anything is
/// priced; and the paid (scheduled) agent-hours per week. Internal pools pay scheduled hours
/// (shrinkage is paid); hourly contracts bill logged hours (scheduled less shrinkage: the
/// provider carries its own shrinkage) with the contract's floor, flex band and premium.
#[allow(clippy::too_many_arguments)]
fn costs(
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
    let priced = raw
        .pools
        .iter()
        .any(|x| x.cost_per_hour_usd.is_some() || x.sourcing == Sourcing::Outsourced)
        || vendor.is_some()
        || penalties;
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
                        format!("must be a finite number >= 0, got {rate}"),
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
            format!("must be a finite number >= 0, got {v}"),
        );
    }
    let labour_per_week = pools.iter().flat_map(|c| c.hourly_usd.iter()).sum::<f64>() / total_weeks;
    (
        Some(Costs {
            pools,
            vendor_per_ticket: v,
            weeks,
            week_starts,
            penalties,
            labour_per_week,
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

/// Scheduled agents `(time, agents)` of a pool: its shifts (in their own zones) or its
/// headcount and hours, before shrinkage.
fn build_schedule(
    rp: &RawPool,
    slots: &[LocalSlot],
    run: &RunSettings,
    demand_tz: &str,
) -> Result<Vec<(f64, u32)>, String> {
    let scheduled = if rp.shifts.is_empty() {
        hours_schedule(rp, slots)
    } else {
        let mut edges: Vec<(f64, i64)> = Vec::new();
        for sh in &rp.shifts {
            let tz = jiff::tz::TimeZone::get(sh.timezone.as_deref().unwrap_or(demand_tz))
                .map_err(|e| e.to_string())?;
            let mut days = [false; 7];
            for d in &sh.days {
                days[d.index()] = true;
            }
            let hours = calendar::Hours {
                tz: &tz,
                days,
                start_min: parse_hhmm(&sh.start).unwrap_or(0),
                end_min: parse_hhmm(&sh.end).unwrap_or(0),
                holidays: &[],
            };
            for (a, b) in
                calendar::weekly_intervals(run.start_date, &run.timezone, &hours, run.span_min())?
            {
                edges.push((a, sh.headcount as i64));
                edges.push((b, -(sh.headcount as i64)));
            }
        }
        edges.sort_by(|x, y| x.0.total_cmp(&y.0));
        let mut out: Vec<(f64, u32)> = vec![(0.0, 0)];
        let mut n: i64 = 0;
        let mut k = 0;
        while k < edges.len() {
            let t = edges[k].0;
            while k < edges.len() && edges[k].0 == t {
                n += edges[k].1;
                k += 1;
            }
            let v = n.max(0) as u32;
            match out.last_mut() {
                Some(last) if last.0 == t => last.1 = v,
                _ => out.push((t, v)),
            }
        }
        out.dedup_by(|b, a| a.1 == b.1);
        out
    };
    Ok(scheduled)
}

/// Available agents after shrinkage, slot by slot on the 15-minute grid: scheduled x
/// (1 - shrinkage), rounded down with the remainder carried to the next slot (as staggered
/// breaks and absences are), restarting at each gap in the schedule. Over any stretch the
/// average is within one agent-slot of scheduled x (1 - shrinkage).
fn apply_shrinkage(s: &[(f64, u32)], shrinkage: f64, span_min: f64) -> Vec<(f64, u32)> {
    if shrinkage <= 0.0 {
        return s.to_vec();
    }
    let n_slots = (span_min / SLOT_MIN).ceil() as usize;
    let mut out: Vec<(f64, u32)> = Vec::new();
    let mut carry = 0.0;
    for j in 0..n_slots {
        let t = j as f64 * SLOT_MIN;
        let i = s.partition_point(|(x, _)| *x <= t);
        let n = if i == 0 { 0 } else { s[i - 1].1 };
        let avail = if n == 0 {
            carry = 0.0;
            0
        } else {
            let want = carry + n as f64 * (1.0 - shrinkage);
            let a = (want + 1e-9).floor();
            carry = want - a;
            a as u32
        };
        if out.last().is_none_or(|(_, m)| *m != avail) {
            out.push((t, avail));
        }
    }
    out
}

fn hours_schedule(rp: &RawPool, slots: &[LocalSlot]) -> Vec<(f64, u32)> {
    let Some(h) = &rp.hours else {
        return vec![(0.0, rp.headcount)];
    };
    let days: Vec<usize> = h
        .days
        .iter()
        .filter_map(|d| Day::from_name(d).map(Day::index))
        .collect();
    let (s, e) = (
        parse_hhmm(&h.start).unwrap_or(0),
        parse_hhmm(&h.end).unwrap_or(0),
    );
    let mut out: Vec<(f64, u32)> = Vec::new();
    for (j, slot) in slots.iter().enumerate() {
        let on = days.contains(&(slot.weekday as usize))
            && slot.minute_of_day >= s
            && slot.minute_of_day < e;
        let n = if on { rp.headcount } else { 0 };
        if out.last().is_none_or(|(_, m)| *m != n) {
            out.push((j as f64 * SLOT_MIN, n));
        }
    }
    out
}
