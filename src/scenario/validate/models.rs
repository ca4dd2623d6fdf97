//! Support models: what each one merges (the pooled queue, the case owners), `[pooled]` and
//! `[swarm]`, and the rules merged pools must agree on.

use super::*;
use crate::scenario::error::Num;

/// The compiled model of a file's model name.
pub(super) fn model_kind(m: Model) -> ModelKind {
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
pub(super) fn apply_model(
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
            merge_tier_pools(&mut pools, &mut tiers, 0..levels as usize, &mut p);
            if !p.is_empty() {
                return Err(p.0);
            }
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
                            format!(
                                "must be >= 0 (a fraction added to session time), got {}",
                                Num(*v)
                            ),
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
            merge_tier_pools(&mut pools, &mut tiers, owner_tiers, &mut p);
            if !p.is_empty() {
                return Err(p.0);
            }
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
            format!("probabilities must sum to 1, got {}", Num(total)),
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
fn merge_tier_pools(
    pools: &mut Vec<Pool>,
    tiers: &mut [Tier],
    tier_range: std::ops::Range<usize>,
    p: &mut Problems,
) {
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
        let sums = add_schedules(&merged.schedule, &other.schedule)
            .zip(merged.headcount.checked_add(other.headcount))
            .filter(|(s, h)| *h <= MAX_AGENTS && s.iter().all(|x| x.1 <= MAX_AGENTS));
        let Some((schedule, headcount)) = sums else {
            p.push(
                "pools",
                format!(
                    "the model merges pools {} into one, which would have more than {MAX_AGENTS} agents on duty at once; lower their headcounts",
                    merged.name.replace('+', ", ")
                ),
            );
            return;
        };
        merged.headcount = headcount;
        merged.members.extend(other.members.iter().cloned());
        merged.schedule = schedule;
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

/// Sum of two on-duty step functions `(time, agents)`; `None` when a sum overflows.
fn add_schedules(a: &[(f64, u32)], b: &[(f64, u32)]) -> Option<Vec<(f64, u32)>> {
    let at = |s: &[(f64, u32)], t: f64| {
        let i = s.partition_point(|(x, _)| *x <= t);
        if i == 0 { 0 } else { s[i - 1].1 }
    };
    let mut times: Vec<f64> = a.iter().chain(b).map(|(t, _)| *t).collect();
    times.sort_by(f64::total_cmp);
    times.dedup();
    let mut out: Vec<(f64, u32)> = Vec::new();
    for t in times {
        let n = at(a, t).checked_add(at(b, t))?;
        if out.last().is_none_or(|(_, m)| *m != n) {
            out.push((t, n));
        }
    }
    Some(out)
}

/// Pools a model merges into one must agree on `chat_concurrency` and `max_occupancy`: the
/// merged pool's agents follow one rule.
pub(super) fn check_merged_pool_work(
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
            // An absent hand-over reads "none" in the message (not a sentinel number).
            let shown = |v: Option<f64>| v.map_or("none".to_string(), |x| x.to_string());
            let pairs = [
                (
                    "chat_concurrency",
                    a.chat_concurrency.to_string(),
                    b.chat_concurrency.to_string(),
                ),
                (
                    "max_occupancy",
                    a.max_occupancy.to_string(),
                    b.max_occupancy.to_string(),
                ),
                ("handover_min", shown(a.handover_min), shown(b.handover_min)),
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
