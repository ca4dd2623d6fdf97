//! Raw scenario -> typed [`Scenario`]: checks every value, reports every problem with its key
//! path, and precomputes what the engine needs (rate segments, staffing schedules, SLA lookup).
//!
//! One file per concern; this one is the entry point that runs them in a fixed order (the
//! order problems are reported in) plus the checks every concern shares (durations, run
//! settings, local times):
//! - `demand`: volume, profiles, surges, segment and mix shares, the arrival-rate segments;
//! - `pools`: pools, working hours, shifts, shrinkage and the staffing schedules;
//! - `tiers`: the tier ladder, escalation, and whether every needed level is served;
//! - `sla`: SLA targets, their clocks and the business-hours calendars;
//! - `costs`: pay, outsourcing contracts, vendor price, SLA credits;
//! - `models`: what each support model merges (pooled queue, case owners) and `[swarm]`.

mod access;
mod behaviour;
mod care;
mod channels;
mod costs;
mod demand;
mod incidents;
mod limits;
mod models;
mod pools;
mod skills;
mod sla;
mod tier0;
mod tiers;
mod triage;

use super::calendar::{self, LocalSlot, SLOT_MIN};
use super::dist::{Dist, DistError, DistSpec};
use super::error::{Problem, Problems};
use super::limits::*;
use super::raw::*;
use super::*;
use crate::scenario::error::Num;
use channels::{
    by_channel, channel_mix, channels_of, check_channel_kinds, check_kinds_needed,
    times_per_channel,
};
use costs::costs;
use demand::{build_rate_segments, validate_mixes};
use limits::{at_most, check_magnitudes, check_names_and_counts};
use models::{apply_model, check_merged_pool_work, model_kind};
use pools::{build_pools, validate_pool_fields, validate_pool_work};
pub(super) use sla::extend_calendars_back;
use sla::{validate_calendars, validate_sla};
use tiers::{channels_in_use, check_levels_served, validate_escalation, validate_tiers};

/// Mixes must sum to 1 within this tolerance (room for decimal rounding in files).
const MIX_TOLERANCE: f64 = 1e-6;

/// Checks `raw` and builds the scenario, or returns every problem found.
pub(super) fn validate(raw: RawScenario) -> Result<Scenario, Vec<Problem>> {
    let mut p = Problems::default();

    check_names_and_counts(&raw, &mut p);
    check_channel_kinds(&raw, &mut p);
    let channels = channels_of(&raw);
    if let Some(given) = &raw.demand.priority_names {
        for (path, m) in priorities::list_problems(given) {
            p.push(path, m);
        }
        // `--target first_response.<name>.attainment` finds a group by its bare name.
        for (i, n) in given.iter().enumerate() {
            let clash = if n == "all" {
                Some("the group of every ticket")
            } else if raw.demand.segments.0.iter().any(|(k, _)| k == n) {
                Some("a segment")
            } else if channels.resolve(n).is_ok() {
                Some("a channel")
            } else {
                None
            };
            if let Some(what) = clash {
                p.push(
                    format!("demand.priority_names[{i}]"),
                    group_name_clash(n, what, "priority"),
                );
            }
        }
    }
    check_segment_names(&raw, &channels, &mut p);
    let priority_names = priority_names_of(&raw);
    check_magnitudes(&raw, &mut p);
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
        QueueRule::Scored => QueueOrder::Scored,
    };
    let queue_score = behaviour::validate_score(
        &raw.queues,
        &priority_names,
        &segment_names_of(&raw),
        &mut p,
    );
    let run = validate_run(&raw.run, &raw.demand.timezone, &mut p);
    let segment_names: Vec<String> = raw
        .demand
        .segments
        .0
        .iter()
        .map(|(k, _)| k.clone())
        .collect();
    let mixes = validate_mixes(&raw.demand, &priority_names, &channels, &mut p);
    validate_pool_fields(&raw.pools, &mut p);
    validate_pool_work(&raw.pools, &mut p);
    let in_use = channels_in_use(&raw, &channels);
    let tiers = validate_tiers(&raw.tiers, &raw.pools, &channels, &in_use, &mut p);
    let escalation = validate_escalation(&raw.escalation, &mut p);
    let vendor = raw
        .vendor
        .as_ref()
        .and_then(|v| dist(&mut p, "vendor.delay_min", &v.delay_min));
    let patience: Vec<Option<Dist>> = by_channel(
        &mut p,
        "customers.patience",
        &channels,
        &raw.customers.patience,
        true,
    )
    .into_iter()
    .enumerate()
    .map(|(c, d)| {
        d.and_then(|d| {
            dist(
                &mut p,
                &format!("customers.patience.{}", channels.name(c)),
                d,
            )
        })
    })
    .collect();
    let abandon_to_email_p = p
        .probability(
            "customers.abandon_to_email_probability",
            raw.customers.abandon_to_email_probability,
        )
        .unwrap_or(0.0);
    let calendar_names: Vec<String> = raw.calendars.iter().map(|c| c.name.clone()).collect();
    let access = access::validate_access(&raw.access, &channels, &calendar_names, &mut p);
    check_kinds_needed(&raw, &channels, &access, &mut p);
    let tier0 = raw.tier0.as_ref().and_then(|t| {
        let window = run
            .as_ref()
            .map(|r| (r.warmup_min, r.warmup_min + r.horizon_min));
        tier0::validate_tier0(t, &raw, &segment_names, window, &mut p)
    });
    let triage = raw
        .triage
        .as_ref()
        .and_then(|t| triage::validate_triage(t, &raw, &mut p));
    let behaviour = behaviour::validate_behaviour(&raw.customers, &access, &patience, &mut p);
    let incidents = raw.incidents.as_ref().and_then(|r| {
        let m = mixes.as_ref().map(|(_, _, m)| m.as_slice());
        incidents::validate_incidents(r, &raw, &segment_names, m, &mut p)
    });
    let mut sla = validate_sla(
        &raw.sla,
        &priority_names,
        &segment_names,
        &calendar_names,
        &mut p,
    );
    sla.clocks = validate_calendars(&raw.calendars, run.as_ref(), &mut p);

    // Cross-checks: which levels are needed, and is someone there to work them.
    if let Some((_, probs, mixes)) = &mixes {
        check_levels_served(&raw, probs, mixes, &mut p);
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
    check_arrival_volume(&segments, &run, &mut p);
    let daily_multiplier = daily_multiplier(raw.demand.daily_dispersion_cv, &mut p);
    // Scheduled (paid) agents per file pool; shrinkage then gives the agents available.
    let (scheduled, pools) = build_pools(&raw, &slots, &run, &mut p);
    let scheduled_fte = {
        let (from, to) = (run.warmup_min, run.window_end_min());
        let weeks = (to - from) / (7.0 * DAY_MIN);
        raw.pools
            .iter()
            .zip(&scheduled)
            .map(|(rp, sched)| {
                let hours = agent_minutes(sched, from, to) / 60.0;
                (rp.name.clone(), hours / weeks / 40.0)
            })
            .collect()
    };
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
    let skills = skills::validate_skills(
        &raw,
        model,
        (&pools, &tiers, swarm.as_ref()),
        &segment_names,
        &mut p,
    );
    if !p.is_empty() {
        return Err(p.0);
    }
    // The triage pool, found among the model's pools (merging renumbers them).
    let triage = triage.map(|(mut t, name)| {
        t.pool = name.and_then(|n| pools.iter().position(|x| x.members.contains(&n)));
        t
    });
    let incidents = match incidents {
        Some(mut inc) => {
            incidents::resolve_pools(&mut inc, &pools, (&tiers, swarm.as_ref()), &raw)?;
            incidents::resolve_category(&mut inc, skills.as_ref(), &raw)?;
            Some(inc)
        }
        None => None,
    };
    let mut scenario = Scenario {
        name: raw.name.clone(),
        description: raw.description.clone(),
        model,
        demand: Demand {
            segments,
            days,
            daily_cv: raw.demand.daily_dispersion_cv,
            daily_multiplier,
            priority_names,
            segment_names,
            segment_probs,
            mixes,
        },
        run,
        pools,
        tiers,
        swarm,
        queue_order,
        queue_score,
        costs,
        paid_agent_hours_per_week,
        scheduled_fte,
        escalation: escalation.expect("valid escalation"),
        vendor,
        channels,
        patience,
        abandon_to_email_p,
        access,
        tier0,
        triage,
        skills,
        behaviour,
        incidents,
        sla,
        warnings: Vec::new(),
        trace: None,
        backlog: None,
        raw,
    };
    scenario.warnings = model_warnings;
    scenario
        .warnings
        .extend(super::analysis::warnings(&scenario));
    Ok(scenario)
}

/// A duration distribution at key `path`, its problem recorded under the full key path.
fn dist(p: &mut Problems, path: &str, spec: &DistSpec) -> Option<Dist> {
    match Dist::from_raw(&spec.0) {
        Ok(d) => Some(d),
        Err(DistError { key, message }) => {
            // A plain number is stored as a deterministic table: name the key, not `value_min`.
            let full = if matches!(spec.0, super::RawDist::Deterministic { .. }) {
                path.to_string()
            } else {
                format!("{path}.{key}")
            };
            p.push(full, message);
            None
        }
    }
}

/// An optional duration: absent means always zero.
fn opt_dist(p: &mut Problems, path: &str, spec: &Option<DistSpec>) -> Option<Dist> {
    match spec {
        Some(s) => dist(p, path, s),
        None => Some(Dist::constant(0.0)),
    }
}

/// `[run]` and the demand time zone.
fn validate_run(r: &RawRun, tz_name: &str, p: &mut Problems) -> Option<RunSettings> {
    let start_date = match r.start_date.parse::<jiff::civil::Date>() {
        Ok(d) if !(MIN_START_YEAR..=MAX_START_YEAR).contains(&d.year()) => {
            // Calendars, shifts and time zones are built for every day of the run (up to
            // ten years): far-off years overflow the date library.
            p.push(
                "run.start_date",
                format!(
                    "{d} is outside the supported years {MIN_START_YEAR} to {MAX_START_YEAR}; give the date the run starts, like \"2026-01-05\""
                ),
            );
            None
        }
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
    let horizon = p
        .positive("run.horizon_days", r.horizon_days)
        .filter(|h| {
            // Results are scaled per week and per measured hour: a horizon of a few
            // nanoseconds makes them infinite.
            let ok = *h >= MIN_HORIZON_DAYS;
            if !ok {
                p.push(
                    "run.horizon_days",
                    format!(
                        "is {h:e}; the measured window must be at least one minute ({MIN_HORIZON_DAYS:.6} days)"
                    ),
                );
            }
            ok
        });
    let drain = p.non_negative("run.drain_days", r.drain_days);
    let interval = p.positive("run.timeseries_interval_min", r.timeseries_interval_min);
    if r.replications == 0 {
        p.push("run.replications", "must be at least 1");
    } else if r.replications > MAX_REPLICATIONS {
        p.push(
            "run.replications",
            format!(
                "is {}; at most {MAX_REPLICATIONS} replications are supported (the confidence interval shrinks with the square root: 1,000 are plenty)",
                r.replications
            ),
        );
    }
    if r.seed > i64::MAX as u64 {
        // Seeds are written back into TOML (scenario.resolved.toml, sweep and staff trees),
        // whose integers are signed 64-bit.
        p.push(
            "run.seed",
            format!(
                "is {}; must be at most {} (a TOML integer)",
                r.seed,
                i64::MAX
            ),
        );
    }
    if r.max_open_tickets == 0 {
        p.push("run.max_open_tickets", "must be at least 1");
    }
    for (key, v) in [
        ("run.warmup_days", warmup),
        ("run.horizon_days", horizon),
        ("run.drain_days", drain),
    ] {
        if let Some(v) = v {
            at_most(p, key, v, MAX_SPAN_DAYS, "number of days (10 years)");
        }
    }
    if let (Some(w), Some(h), Some(d)) = (warmup, horizon, drain)
        && w <= MAX_SPAN_DAYS
        && h <= MAX_SPAN_DAYS
        && d <= MAX_SPAN_DAYS
        && w + h + d > MAX_SPAN_DAYS
    {
        p.push(
            "run.horizon_days",
            format!(
                "warm-up + horizon + drain is {:.0} days; keep it within 10 years ({MAX_SPAN_DAYS} days)",
                w + h + d
            ),
        );
    }
    if let (Some(w), Some(h), Some(dt)) = (warmup, horizon, interval) {
        let rows = (w + h) * DAY_MIN / dt;
        if rows > MAX_SERIES_ROWS as f64 {
            p.push(
                "run.timeseries_interval_min",
                format!(
                    "{dt} minutes makes {rows:.3e} time-series rows over warm-up + horizon; at most {MAX_SERIES_ROWS} are supported: use an interval of at least {:.3} minutes",
                    (w + h) * DAY_MIN / MAX_SERIES_ROWS as f64
                ),
            );
        }
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
        periods: None,
    })
}

/// Every arrival rate finite, and the expected tickets per replication within
/// [`MAX_TICKETS_PER_REPLICATION`] (volume x profile x growth x surges can overflow).
fn check_arrival_volume(segments: &[RateSegment], run: &RunSettings, p: &mut Problems) {
    let span = run.span_min();
    let mut expected = 0.0;
    for (i, seg) in segments.iter().enumerate() {
        let end = segments.get(i + 1).map_or(span, |x| x.start_min);
        if !(seg.rate_per_min.is_finite() && seg.rate_per_min >= 0.0) {
            p.push(
                "demand",
                format!(
                    "the arrival rate at minute {:.0} is {} (volume x weekday and hour weights x growth x surge multipliers overflows); lower the volume, growth_per_month or surge multipliers",
                    seg.start_min, seg.rate_per_min
                ),
            );
            return;
        }
        expected += seg.rate_per_min * (end - seg.start_min);
    }
    if expected.is_nan() || expected > MAX_TICKETS_PER_REPLICATION {
        p.push(
            "demand",
            format!(
                "about {expected:.3e} tickets would arrive per replication (warm-up + horizon + drain); at most {MAX_TICKETS_PER_REPLICATION:.0e} are supported: lower the volume, growth or surges, or shorten the run"
            ),
        );
    }
}

/// The gamma distribution of the daily demand multiplier (mean 1, CV `cv`), `None` for no
/// dispersion. Built here, so the engine only samples it.
fn daily_multiplier(cv: f64, p: &mut Problems) -> Option<rand_distr::Gamma<f64>> {
    const MIN_CV: f64 = 1e-6;
    if cv == 0.0 || !cv.is_finite() {
        return None;
    }
    if !(MIN_CV..=MAX_DAILY_CV).contains(&cv) {
        p.push(
            "demand.daily_dispersion_cv",
            format!("must be 0 (no day-to-day dispersion) or between {MIN_CV} and {MAX_DAILY_CV} (a coefficient of variation of the daily volume), got {}", Num(cv)),
        );
        return None;
    }
    let shape = 1.0 / (cv * cv);
    match rand_distr::Gamma::new(shape, 1.0 / shape) {
        Ok(g) => Some(g),
        Err(e) => {
            p.push(
                "demand.daily_dispersion_cv",
                format!("{cv} gives no valid gamma distribution ({e}); use a value between {MIN_CV} and {MAX_DAILY_CV}"),
            );
            None
        }
    }
}

/// Minutes after local midnight of `HH:MM` (`24:00` allowed).
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

/// Segment names in file order (before the demand is validated).
/// Segment names that are also `all` (beside other segments), a default priority name or a
/// default channel name:
/// staffing targets name groups by their bare name, so `first_response.P1.attainment` would
/// silently mean the priority. Clashes with declared priority names and channel kinds are
/// reported at `demand.priority_names` and `demand.channel_kinds`.
fn check_segment_names(raw: &RawScenario, channels: &Channels, p: &mut Problems) {
    let priorities = priorities::names_of(raw.demand.priority_names.as_deref());
    let several = raw.demand.segments.0.len() > 1;
    let segments = &raw.demand.segments.0;
    for (i, (n, _)) in segments.iter().enumerate() {
        // Traces, exports and targets match segment names ignoring case.
        if let Some((first, _)) = segments[..i]
            .iter()
            .find(|(m, _)| m.eq_ignore_ascii_case(n))
        {
            p.push(
                format!("demand.segments.{n}"),
                format!(
                    "{n:?} differs from the segment {first:?} only in case; trace and export rows match segment names ignoring case, so merge them or rename one"
                ),
            );
        }
    }
    for (n, _) in &raw.demand.segments.0 {
        // A sole segment `all` is every ticket (a common way to write "no segments").
        let clash = if n == "all" && several {
            Some("the group of every ticket")
        } else if raw.demand.priority_names.is_none() && priorities.contains(n) {
            Some("a priority")
        } else if raw.demand.channel_kinds.is_none() && channels.resolve(n).is_ok() {
            Some("a channel")
        } else {
            None
        };
        if let Some(what) = clash {
            p.push(
                format!("demand.segments.{n}"),
                group_name_clash(n, what, "segment"),
            );
        }
    }
}

/// Why a priority, segment or channel (`thing`) may not be named `name`, also the name of
/// `what`: staffing targets find groups by their bare name.
pub(super) fn group_name_clash(name: &str, what: &str, thing: &str) -> String {
    format!(
        "{name:?} is also the name of {what}; staffing targets name groups by their bare name (first_response.<name>.attainment), so give the {thing} a name of its own"
    )
}

/// The file's priority names (the default `P1`..`P4` without `demand.priority_names`).
fn priority_names_of(raw: &RawScenario) -> Vec<String> {
    priorities::names_of(raw.demand.priority_names.as_deref())
}

fn segment_names_of(raw: &RawScenario) -> Vec<String> {
    raw.demand
        .segments
        .0
        .iter()
        .map(|(k, _)| k.clone())
        .collect()
}
