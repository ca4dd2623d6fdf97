//! `[triage]`: a triage pool or an automatic classifier, misroutes and priority correction.

use super::demand::priority_mix;
use super::*;
use crate::scenario::triage::Triage;

/// The validated triage (its pool resolved later, after the model merges pools: the name is
/// returned beside it), or `None` after recording its problems.
pub(super) fn validate_triage(
    t: &RawTriage,
    raw: &RawScenario,
    p: &mut Problems,
) -> Option<(Triage, Option<String>)> {
    let n0 = p.0.len();
    match (&t.pool, t.automatic_min) {
        (Some(_), Some(_)) | (None, None) => p.push(
            "triage",
            "give exactly one of `pool = \"<name>\"` (agents triage) and `automatic_min = <minutes>` (an automatic classifier)",
        ),
        _ => {}
    }
    if let Some(name) = &t.pool {
        if !raw.pools.iter().any(|x| &x.name == name) {
            let names: Vec<&str> = raw.pools.iter().map(|x| x.name.as_str()).collect();
            p.push(
                "triage.pool",
                format!("no pool named {name:?}; defined pools: {names:?}"),
            );
        } else if let Some(i) = raw.tiers.iter().position(|x| &x.pool == name) {
            p.push(
                "triage.pool",
                format!(
                    "pool {name:?} also staffs tiers[{i}]; triage needs a pool of its own (add a [[pools]] entry for the triage team)"
                ),
            );
        }
        if t.classify_min.is_none() {
            p.push(
                "triage.classify_min",
                "is required with a triage pool: the classification time per channel, e.g. `classify_min.default = { dist = \"exponential\", mean_min = 2 }`",
            );
        }
    }
    let channels = channels_of(raw);
    let mut classify: Option<Vec<Dist>> = None;
    if let Some(a) = t.automatic_min {
        if t.classify_min.is_some() {
            p.push(
                "triage.classify_min",
                "is for a triage pool; an automatic classifier takes `automatic_min` for every ticket (remove one of them)",
            );
        }
        let d = p
            .non_negative("triage.automatic_min", a)
            .map(Dist::constant);
        if let Some(v) = d.as_ref() {
            at_most(
                p,
                "triage.automatic_min",
                v.mean(),
                MAX_DURATION_MIN,
                "duration in minutes",
            );
        }
        classify = d.map(|d| vec![d; channels.len()]);
    } else if let Some(wt) = &t.classify_min {
        classify = times_per_channel(p, "triage.classify_min", &channels, wt, None);
    }
    let misroute_p = p
        .probability("triage.misroute_share", t.misroute_share)
        .unwrap_or(0.0);
    if misroute_p > 0.0 && raw.tiers.len() < 2 {
        p.push(
            "triage.misroute_share",
            "needs at least two tiers (a misroute sends the ticket to a wrong one); add a tier or set it to 0",
        );
    }
    if misroute_p >= 1.0 && t.misrouted_go == Reroute::BackToTriage {
        p.push(
            "triage.misroute_share",
            "is 1 with misrouted_go = \"back_to_triage\": no ticket would ever reach its tier; use a share below 1",
        );
    }
    let discovery_share = p
        .probability("triage.discovery_share", t.discovery_share)
        .unwrap_or(0.0);
    let correction_p = p
        .probability(
            "triage.priority_correction_share",
            t.priority_correction_share,
        )
        .unwrap_or(0.0);
    let names = priority_names_of(raw);
    let mut corrected_cum = vec![1.0; names.len()];
    match (&t.corrected_priorities, correction_p > 0.0) {
        (Some(m), _) => {
            if let Some(mix) = priority_mix(p, "triage.corrected_priorities", &names, m) {
                let mut acc = 0.0;
                for (c, x) in corrected_cum.iter_mut().zip(mix) {
                    acc += x;
                    *c = acc;
                }
                corrected_cum[names.len() - 1] = f64::INFINITY;
            }
        }
        (None, true) => p.push(
            "triage.corrected_priorities",
            "is required when priority_correction_share > 0: the priority mix triage assigns, keyed by demand.priority_names, e.g. `{ P1 = 0.05, P2 = 0.25, P3 = 0.5, P4 = 0.2 }`",
        ),
        (None, false) => {}
    }
    if p.0.len() > n0 {
        return None;
    }
    let classify = classify?;
    Some((
        Triage {
            pool: None,
            classify,
            misroute_p,
            discovery_share,
            reroute: t.misrouted_go,
            correction_p,
            corrected_cum,
        },
        t.pool.clone(),
    ))
}
