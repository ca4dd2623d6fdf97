//! `[categories]`, the `skills` of `[[pools]]` and `[routing]`: category mixes and profiles,
//! proficiencies, and the eligible pools per (level, category) with their overflow delays.

use super::demand::level_mix;
use super::tiers::check_level_has_a_server;
use super::*;
use crate::scenario::skills::{CategoryProfile, Proficiency, Rank, Scan, Skills};

/// Most categories a file may define (a ticket stores its category in a byte).
const MAX_CATEGORIES: usize = 64;

/// The validated skills, `None` when the file uses none of `[categories]`, `[routing]` or
/// pool `skills` (problems recorded in `p`). `pools` and `tiers` are the model's.
pub(super) fn validate_skills(
    raw: &RawScenario,
    model: ModelKind,
    (pools, tiers, swarm): (&[Pool], &[Tier], Option<&Swarm>),
    segment_names: &[String],
    p: &mut Problems,
) -> Option<Skills> {
    let any_skills = raw.pools.iter().any(|x| x.skills.is_some());
    if raw.categories.is_none() && raw.routing.is_none() && !any_skills {
        return None;
    }
    let n0 = p.0.len();
    let (names, mix, profiles) = categories(raw, segment_names, p);
    let cat_of = |name: &str| names.iter().position(|n| n == name);
    // Model pool of a file pool name (models may merge pools into one).
    let model_pool = |name: &str| {
        pools
            .iter()
            .position(|x| x.members.iter().any(|m| m == name))
    };
    let queues_by_category = model == ModelKind::Tiered;
    if raw.routing.is_some() && model == ModelKind::PooledTiered {
        p.push(
            "routing",
            "is not supported with model \"pooled_tiered\" (its merged queue has no ranks); use model \"tiered\" (ranked pools per level and category) or \"swarm\"/\"hybrid\" (rules pick the helpers)",
        );
    }
    if queues_by_category && raw.queues.order == QueueRule::Scored {
        p.push(
            "queues.order",
            "\"scored\" is not supported with categories or routing yet; use \"priority\" or \"live_first\"",
        );
    }
    // Proficiencies per model pool (a merged pool takes its first member's skills).
    let mut proficiency: Vec<Vec<Option<Proficiency>>> = vec![vec![None; names.len()]; pools.len()];
    for (fi, rp) in raw.pools.iter().enumerate() {
        let Some(mp) = model_pool(&rp.name) else {
            continue;
        };
        if pools[mp].members.first() != Some(&rp.name) {
            continue;
        }
        let base = format!("pools[{fi}].skills");
        match &rp.skills {
            None => {
                for c in 0..names.len() {
                    proficiency[mp][c] = Some(Proficiency {
                        work_factor: rp.work_time_factor * profiles[c].work_factor,
                        resolve_factor: rp.resolve_factor,
                        work: None,
                    });
                }
            }
            Some(list) => {
                if list.0.is_empty() {
                    p.push(
                        &base,
                        "lists no category; give at least one (`skills = { general = {} }`) or remove the key (then the pool serves every category)",
                    );
                }
                for (name, sk) in &list.0 {
                    let key = format!("{base}.{name}");
                    let Some(c) = cat_of(name) else {
                        p.push(
                            &key,
                            format!("no category named {name:?}; categories: {names:?} (define them in [categories].mix)"),
                        );
                        continue;
                    };
                    let wf = factor(p, &format!("{key}.work_time_factor"), sk.work_time_factor);
                    let rf = sk.resolve_factor.unwrap_or(1.0);
                    let rf = p.probability(&format!("{key}.resolve_factor"), rf);
                    if let Some(r) = rf
                        && r * rp.resolve_factor > 1.0
                    {
                        p.push(
                            format!("{key}.resolve_factor"),
                            "times the pool's resolve_factor exceeds 1",
                        );
                    }
                    let work = sk.work_time.as_ref().and_then(|wt| {
                        times_per_channel(
                            p,
                            &format!("{key}.work_time"),
                            &channels_of(raw),
                            wt,
                            None,
                        )
                    });
                    if let (Some(wf), Some(rf)) = (wf, rf) {
                        proficiency[mp][c] = Some(Proficiency {
                            work_factor: rp.work_time_factor * wf * profiles[c].work_factor,
                            resolve_factor: rp.resolve_factor * rf,
                            work,
                        });
                    }
                }
            }
        }
    }
    let routing = raw.routing.clone().unwrap_or_default();
    // Rules per (tier, category); `*` fills the categories without a rule of their own.
    let mut routes: Vec<Vec<Option<Vec<Rank>>>> = vec![vec![None; names.len()]; tiers.len()];
    let mut wildcard: Vec<Option<Vec<Rank>>> = vec![None; tiers.len()];
    for (ri, rule) in routing.rule.iter().enumerate() {
        let key = format!("routing.rule[{ri}]");
        let Some(k) = tiers.iter().position(|t| t.level == rule.level) else {
            let levels: Vec<u8> = tiers.iter().map(|t| t.level).collect();
            p.push(
                format!("{key}.level"),
                format!("no tier has level {}; tier levels: {levels:?}", rule.level),
            );
            continue;
        };
        let cat = if rule.category == "*" {
            None
        } else {
            match cat_of(&rule.category) {
                Some(c) => Some(c),
                None => {
                    p.push(
                        format!("{key}.category"),
                        format!(
                            "no category named {:?}; categories: {names:?} or \"*\"",
                            rule.category
                        ),
                    );
                    continue;
                }
            }
        };
        if rule.pools.is_empty() {
            p.push(
                format!("{key}.pools"),
                "lists no pool; give at least one `{ pool = \"<name>\" }`",
            );
            continue;
        }
        let mut ranks = Vec::new();
        for (j, r) in rule.pools.iter().enumerate() {
            let rk = format!("{key}.pools[{j}]");
            let Some(mp) = model_pool(&r.pool) else {
                let known: Vec<&str> = raw.pools.iter().map(|x| x.name.as_str()).collect();
                p.push(
                    format!("{rk}.pool"),
                    format!("no pool named {:?}; defined pools: {known:?}", r.pool),
                );
                continue;
            };
            if r.after_min.is_nan() || r.after_min < 0.0 {
                p.push(
                    format!("{rk}.after_min"),
                    format!(
                        "must be minutes >= 0 (or inf: never), got {}",
                        Num(r.after_min)
                    ),
                );
                continue;
            }
            if ranks.iter().any(|x: &Rank| x.pool == mp) {
                p.push(
                    format!("{rk}.pool"),
                    format!("pool {:?} is listed twice in this rule", r.pool),
                );
                continue;
            }
            if raw.triage.as_ref().and_then(|t| t.pool.as_ref()) == Some(&r.pool) {
                p.push(
                    format!("{rk}.pool"),
                    format!(
                        "pool {:?} is the triage pool; route to tier pools or specialist pools",
                        r.pool
                    ),
                );
            }
            let cats: Vec<usize> = cat.map_or((0..names.len()).collect(), |c| vec![c]);
            for c in cats {
                if proficiency[mp][c].is_none() {
                    p.push(
                        format!("{rk}.pool"),
                        format!(
                            "pool {:?} lacks skill {:?}; add `{} = {{}}` to its `skills` or remove it from this rule",
                            r.pool, names[c], names[c]
                        ),
                    );
                }
            }
            ranks.push(Rank {
                pool: mp,
                after_min: r.after_min,
            });
        }
        if !ranks.is_empty() && ranks.iter().all(|r| r.after_min.is_infinite()) {
            p.push(
                format!("{key}.pools"),
                "every pool has after_min = inf (never), so this rule's tickets are never served; give one pool a finite after_min (0: at once)",
            );
            continue;
        }
        let slot = match cat {
            Some(c) => &mut routes[k][c],
            None => &mut wildcard[k],
        };
        if slot.is_some() {
            p.push(
                format!("{key}.category"),
                format!(
                    "a rule for level {} and category {:?} is already given; merge the two",
                    rule.level, rule.category
                ),
            );
        }
        *slot = Some(ranks);
    }
    let mut out = Vec::with_capacity(tiers.len());
    for (k, tier) in tiers.iter().enumerate() {
        let mut row = Vec::with_capacity(names.len());
        for c in 0..names.len() {
            let ranks = routes[k][c].take().or_else(|| wildcard[k].clone());
            let ranks = ranks.unwrap_or_else(|| {
                if proficiency[tier.pool][c].is_none() {
                    p.push(
                        "routing",
                        format!(
                            "no rule routes category {:?} at level {} and the tier's pool {:?} lacks that skill; add a [[routing.rule]] with level = {}, category = {:?}, or add `{} = {{}}` to the pool's skills",
                            names[c], tier.level, pools[tier.pool].name, tier.level, names[c], names[c]
                        ),
                    );
                }
                vec![Rank {
                    pool: tier.pool,
                    after_min: 0.0,
                }]
            });
            row.push(ranks);
        }
        out.push(row);
    }
    if queues_by_category {
        for (fi, rp) in raw.pools.iter().enumerate() {
            let routed = model_pool(&rp.name)
                .is_some_and(|mp| out.iter().flatten().flatten().any(|r| r.pool == mp));
            if routed && rp.chat_concurrency > 1 {
                p.push(
                    format!("pools[{fi}].chat_concurrency"),
                    format!(
                        "pool {:?} takes tickets by category routing, which does not support chat concurrency yet; set it to 1",
                        rp.name
                    ),
                );
            }
        }
    }
    // Swarm helpers come from each rule's first pool: a session needs all its helpers at once.
    if let Some(w) = swarm {
        let max_helpers = w.helpers_cum.len() as u32;
        for (k, row) in out.iter().enumerate().skip(w.owner_level as usize) {
            for (c, ranks) in row.iter().enumerate() {
                let pool = ranks[0].pool;
                let mut available = pools[pool].max_staffed();
                if pool == w.owner_pool {
                    available = available.saturating_sub(1);
                }
                if pool != tiers[k].pool && available < max_helpers {
                    p.push(
                        "routing",
                        format!(
                            "category {:?} at level {} swarms pool {:?}, which never has more than {available} agents free, but swarm.helpers asks for up to {max_helpers}; staff the pool or lower the helper counts",
                            names[c], tiers[k].level, pools[pool].name
                        ),
                    );
                }
            }
        }
    }
    if p.0.len() > n0 {
        return None;
    }
    // What each pool scans: its skills in the order listed (the first is its primary skill),
    // then rank, then tier; pools without a skills list in category order.
    let mut scans: Vec<Vec<(usize, Scan)>> = vec![Vec::new(); pools.len()];
    for (k, row) in out.iter().enumerate() {
        for (c, ranks) in row.iter().enumerate() {
            for (j, r) in ranks.iter().enumerate() {
                let listed = pools[r.pool]
                    .members
                    .first()
                    .and_then(|m| raw.pools.iter().find(|x| &x.name == m))
                    .and_then(|x| x.skills.as_ref())
                    .and_then(|l| l.0.iter().position(|(n, _)| n == &names[c]))
                    .unwrap_or(c);
                scans[r.pool].push((
                    listed,
                    Scan {
                        tier: k,
                        cat: c,
                        after_min: r.after_min,
                        rank: j,
                    },
                ));
            }
        }
    }
    let scans = scans
        .into_iter()
        .map(|mut v| {
            v.sort_by_key(|(listed, sc)| (*listed, sc.rank, sc.tier));
            v.into_iter().map(|(_, sc)| sc).collect()
        })
        .collect();
    Some(Skills {
        scans,
        names,
        mix,
        profiles,
        proficiency,
        routes: out,
        free_agent: routing.free_agent,
        next_ticket: routing.next_ticket,
        queues_by_category,
    })
}

/// An optional multiplier > 0 (default 1).
fn factor(p: &mut Problems, key: &str, v: Option<f64>) -> Option<f64> {
    let v = p.positive(key, v.unwrap_or(1.0))?;
    at_most(p, key, v, MAX_FACTOR, "work-time factor");
    Some(v)
}

type Categories = (Vec<String>, Vec<Vec<f64>>, Vec<CategoryProfile>);

/// Category names, the mix per segment and the profiles (one default category without
/// `[categories]`).
fn categories(raw: &RawScenario, segments: &[String], p: &mut Problems) -> Categories {
    let default = CategoryProfile {
        work_factor: 1.0,
        channel: None,
        level: None,
    };
    let Some(c) = &raw.categories else {
        return (
            vec!["default".to_string()],
            vec![vec![1.0]; segments.len()],
            vec![default],
        );
    };
    let names: Vec<String> = c.mix.0.iter().map(|(k, _)| k.clone()).collect();
    if names.is_empty() {
        p.push(
            "categories.mix",
            "lists no category; e.g. `mix = { general = 0.9, security = 0.1 }`",
        );
    }
    if names.len() > MAX_CATEGORIES {
        p.push(
            "categories.mix",
            format!(
                "has {} categories; at most {MAX_CATEGORIES} are supported",
                names.len()
            ),
        );
    }
    for (i, n) in names.iter().enumerate() {
        if n == "*" || n.is_empty() || names[..i].contains(n) {
            p.push(
                format!("categories.mix.{n}"),
                "category names must be unique, non-empty and not \"*\"",
            );
        }
    }
    let shares = |p: &mut Problems, key: &str, m: &OrderedMap<f64>| -> Vec<f64> {
        let mut v = vec![0.0; names.len()];
        for (k, x) in &m.0 {
            match names.iter().position(|n| n == k) {
                Some(i) => {
                    if p.non_negative(&format!("{key}.{k}"), *x).is_some() {
                        v[i] = *x;
                    }
                }
                None => p.push(
                    format!("{key}.{k}"),
                    format!("no category named {k:?} in categories.mix; categories: {names:?}"),
                ),
            }
        }
        let sum: f64 = v.iter().sum();
        if (sum - 1.0).abs() > MIX_TOLERANCE {
            p.push(key, format!("shares sum to {sum}, must sum to 1"));
        }
        v
    };
    let overall = shares(p, "categories.mix", &c.mix);
    let mut mix = vec![overall; segments.len()];
    for (seg, m) in &c.by_segment.0 {
        let key = format!("categories.by_segment.{seg}");
        match segments.iter().position(|s| s == seg) {
            Some(i) => mix[i] = shares(p, &key, m),
            None => p.push(
                key,
                format!("no segment named {seg:?}; segments: {segments:?}"),
            ),
        }
    }
    let mut profiles = vec![default; names.len()];
    for (name, pr) in &c.profile.0 {
        let key = format!("categories.profile.{name}");
        let Some(i) = names.iter().position(|n| n == name) else {
            p.push(
                key,
                format!("no category named {name:?} in categories.mix; categories: {names:?}"),
            );
            continue;
        };
        let level = pr
            .required_level
            .as_ref()
            .and_then(|m| level_mix(p, &format!("{key}.required_level"), m));
        // The category's own mix needs a tier (or the vendor) per level, as demand's does.
        for (lvl, &share) in level.iter().flatten().enumerate().skip(1) {
            if share > 0.0 {
                let k = format!("{key}.required_level");
                check_level_has_a_server(raw, &k, "this category's tickets", lvl, share, p);
            }
        }
        profiles[i] = CategoryProfile {
            work_factor: factor(p, &format!("{key}.work_time_factor"), pr.work_time_factor)
                .unwrap_or(1.0),
            channel: pr
                .channels
                .as_ref()
                .and_then(|m| channel_mix(p, &format!("{key}.channels"), &channels_of(raw), m)),
            level,
        };
    }
    (names, mix, profiles)
}
