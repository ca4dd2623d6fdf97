//! `[incidents]`: the incident process, contacts of affected accounts, proactive care.
//! Pool names (response teams, outreach) are resolved after the model merges pools
//! ([`resolve_pools`]).

use super::care::{monitoring, notifications, outreach};
use super::*;
use crate::scenario::incidents::{Incidents, MONTH_MIN, Response, Scheduled, Severity, SwarmTeam};

/// Most accounts of the customer base (a contact event packs the account index in 24 bits).
const MAX_ACCOUNTS: f64 = 16_000_000.0;
/// Most severity classes and scripted incidents (a ticket stores nothing of them, but each
/// adds work at the start of every replication).
const MAX_SEVERITIES: usize = 100;
const MAX_SCHEDULED: usize = 10_000;
/// Most incidents per month: each one walks its affected accounts.
const MAX_RATE_PER_MONTH: f64 = 10_000.0;
/// Most contacts per account and incident.
const MAX_CONTACTS: u32 = 100;

/// The validated `[incidents]`, or `None` after recording its problems. `mixes`: the demand
/// mix per segment (the default channel mix of incident contacts), when valid.
pub(super) fn validate_incidents(
    r: &RawIncidents,
    raw: &RawScenario,
    segments: &[String],
    mixes: Option<&[SegmentMix]>,
    p: &mut Problems,
) -> Option<Incidents> {
    let n0 = p.0.len();
    let base = "incidents";
    let accounts = per_segment(p, &format!("{base}.accounts"), &r.accounts, segments, None)
        .unwrap_or_default();
    let mut counts = vec![0u32; segments.len()];
    for (name, (c, v)) in segments.iter().zip(counts.iter_mut().zip(&accounts)) {
        let key = format!("{base}.accounts.{name}");
        if *v < 0.0 || v.fract() != 0.0 || *v > MAX_ACCOUNTS {
            p.push(
                key,
                format!(
                    "is {}; accounts are a whole number between 0 and {MAX_ACCOUNTS:.0}",
                    Num(*v)
                ),
            );
        } else {
            *c = *v as u32;
        }
    }
    if !accounts.is_empty() && counts.iter().map(|&c| c as f64).sum::<f64>() > MAX_ACCOUNTS {
        p.push(
            format!("{base}.accounts"),
            format!("add up to more than {MAX_ACCOUNTS:.0} accounts; model a sample of the base"),
        );
    }
    if r.accounts.0.is_empty() {
        p.push(
            format!("{base}.accounts"),
            "is required: the customer accounts per segment an incident affects a share of, e.g. `accounts = { enterprise = 300, smb = 12000 }`",
        );
    }
    let rate = p
        .non_negative(&format!("{base}.rate_per_month"), r.rate_per_month)
        .unwrap_or(0.0);
    at_most(
        p,
        &format!("{base}.rate_per_month"),
        rate,
        MAX_RATE_PER_MONTH,
        "incident rate per month",
    );
    if rate == 0.0 && r.scheduled.is_empty() {
        p.push(
            base,
            "has no incidents: give rate_per_month > 0 or at least one [[incidents.scheduled]] entry (or remove the table)",
        );
    }
    let severities = severities(r, raw, segments, p);
    let severity_cum = severity_shares(r, p);
    let names: Vec<&str> = r.severities.iter().map(|s| s.name.as_str()).collect();
    let scheduled = scheduled(r, &names, raw, p);
    let call_in_default = match r.call_in_probability {
        Some(v) => p.probability(&format!("{base}.call_in_probability"), v),
        None => {
            p.push(
                format!("{base}.call_in_probability"),
                "is required: the probability that an affected account contacts support (a utility saw 0.68 without proactive texts)",
            );
            None
        }
    };
    let call_in = per_segment(
        p,
        &format!("{base}.call_in_by_segment"),
        &r.call_in_by_segment,
        segments,
        Some(call_in_default.unwrap_or(0.0)),
    )
    .unwrap_or_default();
    for (name, v) in segments.iter().zip(&call_in) {
        if !(0.0..=1.0).contains(v) {
            p.push(
                format!("{base}.call_in_by_segment.{name}"),
                format!("must be a probability between 0 and 1, got {}", Num(*v)),
            );
        }
    }
    let channels = match (&r.channels, mixes) {
        (Some(m), _) => channel_mix(p, &format!("{base}.channels"), &channels_of(raw), m)
            .map(|c| vec![c; segments.len()])
            .unwrap_or_default(),
        (None, Some(m)) => m.iter().map(|x| x.channel.clone()).collect(),
        (None, None) => Vec::new(),
    };
    let contact_delay = required_dist(
        p,
        &format!("{base}.contact_delay_min"),
        &r.contact_delay_min,
        "the time from the incident's start to an affected account's first contact, e.g. { dist = \"exponential\", mean_min = 60 }",
    );
    let repeat_p = p
        .probability(&format!("{base}.repeat_share"), r.repeat_share)
        .unwrap_or(0.0);
    if repeat_p >= 1.0 {
        p.push(
            format!("{base}.repeat_share"),
            "must be below 1 (every contact followed by another); max_contacts caps the repeats",
        );
    }
    let repeat_delay = match (&r.repeat_delay_min, repeat_p > 0.0) {
        (Some(d), _) => duration(p, &format!("{base}.repeat_delay_min"), d),
        (None, true) => {
            p.push(
                format!("{base}.repeat_delay_min"),
                "is required when repeat_share > 0: the time from a contact to the same account's next one, e.g. { dist = \"exponential\", mean_min = 120 }",
            );
            None
        }
        (None, false) => Some(Dist::constant(0.0)),
    };
    if r.max_contacts == 0 || r.max_contacts > MAX_CONTACTS {
        p.push(
            format!("{base}.max_contacts"),
            format!(
                "is {}; must be between 1 and {MAX_CONTACTS} contacts per account and incident",
                r.max_contacts
            ),
        );
    }
    let link = required_dist(
        p,
        &format!("{base}.link_min"),
        &r.link_min,
        "the agent time on a ticket of a known incident (link it to the parent and reply), e.g. 4",
    );
    let notice = p
        .non_negative(
            &format!("{base}.resolution_notice_min"),
            r.resolution_notice_min,
        )
        .unwrap_or(0.0);
    at_most(
        p,
        &format!("{base}.resolution_notice_min"),
        notice,
        MAX_DURATION_MIN,
        "duration in minutes",
    );
    let close = match &r.close_min {
        Some(d) => duration(p, &format!("{base}.close_min"), d).filter(|d| !d.is_zero()),
        None => None,
    };
    let (monitoring, monitoring_usd) = match &r.monitoring {
        Some(m) => monitoring(m, p),
        None => (None, 0.0),
    };
    let (notifications, notify_usd) = match &r.notifications {
        Some(n) => notifications(n, p),
        None => (None, 0.0),
    };
    let (outreach, outreach_usd) = match &r.outreach {
        Some(o) => outreach(o, raw, segments, &counts, p),
        None => (None, 0.0),
    };
    if p.0.len() > n0 {
        return None;
    }
    let inc = Incidents {
        accounts: counts,
        rate_per_min: rate / MONTH_MIN,
        severities: severities?,
        severity_cum: severity_cum?,
        scheduled,
        call_in,
        channels,
        contact_delay: contact_delay?,
        repeat_p,
        repeat_delay: repeat_delay?,
        max_contacts: r.max_contacts as u8,
        link: link?,
        detect_after: r.detect_after_reports,
        notice_delay_min: notice,
        close,
        monitoring,
        notifications,
        outreach,
        care_usd_per_month: monitoring_usd + notify_usd + outreach_usd,
        category: 0,
    };
    check_volume(&inc, raw, p);
    (p.0.len() == n0).then_some(inc)
}

/// Incident contacts per replication within the engine's limit.
fn check_volume(inc: &Incidents, raw: &RawScenario, p: &mut Problems) {
    let days = raw.run.warmup_days + raw.run.horizon_days + raw.run.drain_days;
    let months = days * DAY_MIN / MONTH_MIN;
    let worst = (0..inc.severities.len())
        .map(|k| inc.expected_tickets(k))
        .fold(0.0, f64::max);
    let incidents = inc.rate_per_min * MONTH_MIN * months + inc.scheduled.len() as f64;
    let expected = incidents * worst;
    if expected > MAX_TICKETS_PER_REPLICATION {
        p.push(
            "incidents",
            format!(
                "about {expected:.3e} incident tickets would arrive per replication; at most {MAX_TICKETS_PER_REPLICATION:.0e} are supported: lower rate_per_month, the affected shares or the accounts"
            ),
        );
    }
}

/// A value per segment: `table` entries (segments of `demand.segments`), the others
/// `default` (or 0 when `None`).
fn per_segment(
    p: &mut Problems,
    path: &str,
    table: &OrderedMap<f64>,
    segments: &[String],
    default: Option<f64>,
) -> Option<Vec<f64>> {
    let mut out = vec![default.unwrap_or(0.0); segments.len()];
    let mut ok = true;
    for (name, v) in &table.0 {
        let key = format!("{path}.{name}");
        match segments.iter().position(|s| s == name) {
            Some(i) => match p.finite(&key, *v) {
                Some(v) => out[i] = v,
                None => ok = false,
            },
            None => {
                p.push(
                    key,
                    format!("unknown segment {name:?}; segments of demand.segments: {segments:?}"),
                );
                ok = false;
            }
        }
    }
    ok.then_some(out)
}

/// A duration distribution, its mean within the duration limit.
fn duration(p: &mut Problems, path: &str, spec: &DistSpec) -> Option<Dist> {
    let d = dist(p, path, spec)?;
    if d.mean() > MAX_DURATION_MIN {
        at_most(p, path, d.mean(), MAX_DURATION_MIN, "duration in minutes");
        return None;
    }
    Some(d)
}

fn required_dist(
    p: &mut Problems,
    path: &str,
    spec: &Option<DistSpec>,
    what: &str,
) -> Option<Dist> {
    match spec {
        Some(s) => duration(p, path, s),
        None => {
            p.push(path, format!("is required: {what}"));
            None
        }
    }
}

fn severities(
    r: &RawIncidents,
    raw: &RawScenario,
    segments: &[String],
    p: &mut Problems,
) -> Option<Vec<Severity>> {
    let priority_names = priority_names_of(raw);
    if r.severities.is_empty() {
        p.push(
            "incidents.severities",
            "is required: at least one [[incidents.severities]] entry with name, duration_min and affected_share",
        );
        return None;
    }
    if r.severities.len() > MAX_SEVERITIES {
        p.push(
            "incidents.severities",
            format!(
                "has {} entries; at most {MAX_SEVERITIES}",
                r.severities.len()
            ),
        );
        return None;
    }
    let mut out = Vec::new();
    let mut ok = true;
    for (i, s) in r.severities.iter().enumerate() {
        let base = format!("incidents.severities[{i}]");
        if let Some(why) = crate::scenario::limits::name_problem(&s.name) {
            p.push(format!("{base}.name"), why);
            ok = false;
        }
        if r.severities[..i].iter().any(|x| x.name == s.name) {
            p.push(
                format!("{base}.name"),
                format!(
                    "severity {:?} is defined twice; give each a name of its own",
                    s.name
                ),
            );
            ok = false;
        }
        // Unset: the second priority, as "P2" is among the default names.
        let priority = match &s.priority {
            None => Some(1.min(priority_names.len() - 1)),
            Some(name) => match priorities::resolve(&priority_names, name) {
                Ok(k) => Some(k),
                Err(e) => {
                    p.push(format!("{base}.priority"), e);
                    None
                }
            },
        };
        if !(1..=3).contains(&s.level) {
            p.push(
                format!("{base}.level"),
                format!(
                    "is {}; the required level of a full diagnosis is 1, 2 or 3 (a tier)",
                    s.level
                ),
            );
            ok = false;
        } else if !raw.tiers.iter().any(|t| t.level == s.level) {
            p.push(
                format!("{base}.level"),
                format!(
                    "is {}, but no tier has that level; use the level of one of the [[tiers]]",
                    s.level
                ),
            );
            ok = false;
        }
        let duration = required_dist(
            p,
            &format!("{base}.duration_min"),
            &s.duration_min,
            "the time from the incident's start to its fix, e.g. { dist = \"lognormal\", mean_min = 180, cv = 1 }",
        );
        let default = match s.affected_share {
            Some(v) => p.probability(&format!("{base}.affected_share"), v),
            None => {
                let all = segments
                    .iter()
                    .all(|g| s.affected_by_segment.0.iter().any(|(k, _)| k == g));
                if !all {
                    p.push(
                        format!("{base}.affected_share"),
                        "is required (unless affected_by_segment lists every segment): the share of accounts the incident affects, e.g. 0.05",
                    );
                }
                None
            }
        };
        let affected = per_segment(
            p,
            &format!("{base}.affected_by_segment"),
            &s.affected_by_segment,
            segments,
            Some(default.unwrap_or(0.0)),
        );
        if let Some(a) = &affected {
            for (name, v) in segments.iter().zip(a) {
                if !(0.0..=1.0).contains(v) {
                    p.push(
                        format!("{base}.affected_by_segment.{name}"),
                        format!("must be a share between 0 and 1, got {}", Num(*v)),
                    );
                    ok = false;
                }
            }
        }
        let response = s.response.as_ref().and_then(|x| response(x, &base, p));
        if s.response.is_some() && response.is_none() {
            ok = false;
        }
        match (priority, duration, affected) {
            (Some(pr), Some(d), Some(a)) if ok => out.push(Severity {
                name: s.name.clone(),
                priority: pr as u8,
                level: s.level,
                duration: d,
                affected: a,
                response,
            }),
            _ => ok = false,
        }
    }
    ok.then_some(out)
}

fn response(r: &RawResponse, base: &str, p: &mut Problems) -> Option<Response> {
    let key = format!("{base}.response");
    if r.swarm && !r.pools.is_empty() {
        p.push(
            format!("{key}.pools"),
            "is given with `swarm = true`: a team comes from named pools or is a swarm; remove one of the two",
        );
        return None;
    }
    if let Some(n) = r.experts {
        if !r.swarm {
            p.push(
                format!("{key}.experts"),
                "needs `swarm = true` (named pools give their agents in `pools`)",
            );
            return None;
        }
        if n == 0 || n > MAX_AGENTS {
            p.push(
                format!("{key}.experts"),
                format!("is {n}; pull between 1 and {MAX_AGENTS} experts"),
            );
            return None;
        }
    }
    if !r.swarm && r.pools.is_empty() {
        p.push(
            format!("{key}.pools"),
            "lists no pool: give agents per pool, e.g. `pools = { l2 = 2 }`, or `swarm = true`",
        );
        return None;
    }
    let mut names = Vec::new();
    let mut pools = Vec::new();
    for (name, n) in &r.pools.0 {
        if *n == 0 || *n > MAX_AGENTS {
            p.push(
                format!("{key}.pools.{name}"),
                format!("is {n}; pull between 1 and {MAX_AGENTS} agents"),
            );
            return None;
        }
        names.push(name.clone());
        pools.push((usize::MAX, *n));
    }
    let assembly = match &r.assembly_min {
        Some(d) => duration(p, &format!("{key}.assembly_min"), d)?,
        None => Dist::constant(27.0),
    };
    Some(Response {
        pools,
        pool_names: names,
        assembly,
        // Pools are resolved after the model merges them (`resolve_pools`).
        swarm: r.swarm.then_some(SwarmTeam {
            owner: usize::MAX,
            expert: usize::MAX,
            experts: r.experts,
        }),
    })
}

fn severity_shares(r: &RawIncidents, p: &mut Problems) -> Option<Vec<f64>> {
    let n = r.severities.len();
    let mut acc = 0.0;
    let mut cum = Vec::with_capacity(n);
    for (i, s) in r.severities.iter().enumerate() {
        let key = format!("incidents.severities[{i}].share");
        let v = match (s.share, n) {
            (Some(v), _) => p.probability(&key, v)?,
            (None, 1) => 1.0,
            (None, _) => {
                p.push(key, "is required with several severities: the share of random incidents of this severity (shares sum to 1)");
                return None;
            }
        };
        acc += v;
        cum.push(acc);
    }
    if n > 0 && (acc - 1.0).abs() > MIX_TOLERANCE {
        p.push(
            "incidents.severities",
            format!("shares sum to {acc}; they must sum to 1"),
        );
        return None;
    }
    if let Some(last) = cum.last_mut() {
        *last = f64::INFINITY;
    }
    Some(cum)
}

fn scheduled(
    r: &RawIncidents,
    names: &[&str],
    raw: &RawScenario,
    p: &mut Problems,
) -> Vec<Scheduled> {
    if r.scheduled.len() > MAX_SCHEDULED {
        p.push(
            "incidents.scheduled",
            format!("has {} entries; at most {MAX_SCHEDULED}", r.scheduled.len()),
        );
        return Vec::new();
    }
    let span = raw.run.warmup_days + raw.run.horizon_days + raw.run.drain_days;
    let mut out = Vec::new();
    for (i, s) in r.scheduled.iter().enumerate() {
        let base = format!("incidents.scheduled[{i}]");
        let start = p.non_negative(&format!("{base}.start_day"), s.start_day);
        if let Some(d) = start
            && d >= span
        {
            p.push(
                format!("{base}.start_day"),
                format!("is day {d}, after the end of the run (day {span}); move it inside the run or remove it"),
            );
        }
        let severity = names.iter().position(|n| *n == s.severity);
        if severity.is_none() {
            p.push(
                format!("{base}.severity"),
                format!("unknown severity {:?}; severities: {names:?}", s.severity),
            );
        }
        let duration = s
            .duration_min
            .and_then(|d| p.positive(&format!("{base}.duration_min"), d));
        if let Some(d) = duration {
            at_most(
                p,
                &format!("{base}.duration_min"),
                d,
                MAX_DURATION_MIN,
                "duration in minutes",
            );
        }
        let affected = s
            .affected_share
            .and_then(|v| p.probability(&format!("{base}.affected_share"), v));
        if let (Some(st), Some(k)) = (start, severity) {
            out.push(Scheduled {
                start_min: st * DAY_MIN,
                severity: k,
                duration_min: duration,
                affected_share: affected,
            });
        }
    }
    out.sort_by(|a, b| a.start_min.total_cmp(&b.start_min));
    out
}

/// Resolves the pool names of response teams and outreach among the model's pools (after
/// merging, a file pool is a member of one of them).
///
/// An incident swarm takes its owner from the swarm model's owner pool (tier 1's pool under
/// the other models) and its experts from the pool of the tier its severity's level needs;
/// without `experts` and without a swarm model, one expert (the swarm model's default
/// `helpers = { 1 = 1.0 }`).
pub(super) fn resolve_pools(
    inc: &mut Incidents,
    pools: &[Pool],
    (tiers, swarm): (&[Tier], Option<&Swarm>),
    raw: &RawScenario,
) -> Result<(), Vec<Problem>> {
    let mut p = Problems::default();
    let find = |name: &str| {
        pools
            .iter()
            .position(|x| x.members.iter().any(|m| m == name))
    };
    for (i, s) in inc.severities.iter_mut().enumerate() {
        let level = usize::from(s.level);
        if let Some(t) = s.response.as_mut().and_then(|r| r.swarm.as_mut()) {
            t.owner = swarm.map_or(tiers[0].pool, |w| w.owner_pool);
            t.expert = tiers[level.clamp(1, tiers.len()) - 1].pool;
            if swarm.is_none() {
                t.experts = Some(t.experts.unwrap_or(1));
            }
        }
        if let Some(r) = &mut s.response {
            for (j, name) in r.pool_names.iter().enumerate() {
                match find(name) {
                    Some(k) => r.pools[j].0 = k,
                    None => {
                        let names: Vec<&str> = raw.pools.iter().map(|x| x.name.as_str()).collect();
                        p.push(
                            format!("incidents.severities[{i}].response.pools.{name}"),
                            format!("no pool named {name:?}; defined pools: {names:?}"),
                        );
                    }
                }
            }
        }
    }
    if let Some(o) = &mut inc.outreach {
        match find(&o.pool_name) {
            Some(k) => o.pool = k,
            None => p.push(
                "incidents.outreach.pool",
                format!("no pool named {:?}", o.pool_name),
            ),
        }
    }
    if p.is_empty() { Ok(()) } else { Err(p.0) }
}

/// The category of incident tickets among the validated categories: `incidents.category`
/// when given (it must name one, and needs `[categories]`), else the one named `"incident"`,
/// else the first (without `[categories]`, the one default category: today's behaviour).
pub(super) fn resolve_category(
    inc: &mut Incidents,
    skills: Option<&crate::scenario::skills::Skills>,
    raw: &RawScenario,
) -> Result<(), Vec<Problem>> {
    let mut p = Problems::default();
    let asked = raw.incidents.as_ref().and_then(|r| r.category.as_deref());
    let names: &[String] = match (skills, raw.categories.is_some()) {
        (Some(k), true) => &k.names,
        _ => &[],
    };
    inc.category = match asked {
        Some(c) if names.is_empty() => {
            p.push(
                "incidents.category",
                format!(
                    "is {c:?} but the file has no [categories]; add a `categories.mix` with a {c:?} entry, or remove the key"
                ),
            );
            0
        }
        Some(c) => match names.iter().position(|n| n == c) {
            Some(k) => k as u8,
            None => {
                p.push(
                    "incidents.category",
                    format!("unknown category {c:?}; categories.mix has {names:?}"),
                );
                0
            }
        },
        None => names.iter().position(|n| n == "incident").unwrap_or(0) as u8,
    };
    if p.is_empty() { Ok(()) } else { Err(p.0) }
}
