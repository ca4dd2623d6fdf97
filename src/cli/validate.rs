//! `supportsim validate FILE`.

pub(crate) use crate::format::{human_min, pct};
use crate::model::load::pool_loads;
use crate::scenario::Scenario;
use crate::scenario::analysis::mean_arrival_rate;
use std::io::Write;
use std::path::Path;

pub(super) fn validate(file: &Path) -> anyhow::Result<()> {
    let s = super::load::scenario(file)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}: valid scenario {:?}", file.display(), s.name)?;
    if !s.description.is_empty() {
        writeln!(out, "  {}", s.description)?;
    }
    let r = &s.run;
    writeln!(
        out,
        "  model {:?}; {} replications, seed {}; warm-up {:.1} d, horizon {:.1} d, drain up to {:.1} d; time zone {}",
        s.raw.model,
        r.replications,
        r.seed,
        r.warmup_min / 1440.0,
        r.horizon_min / 1440.0,
        r.drain_min / 1440.0,
        s.raw.demand.timezone
    )?;
    let lambda = mean_arrival_rate(&s, r.warmup_min, r.window_end_min());
    writeln!(
        out,
        "  demand over the measured window: {:.1} tickets/hour on average ({:.0} tickets/week before deflection)",
        lambda * 60.0,
        lambda * 60.0 * 24.0 * 7.0
    )?;
    let mut t = super::table::new();
    t.set_header(vec![
        "pool",
        "tier",
        "tickets per week",
        "work per ticket [min]",
        "offered load [erlangs]",
        "scheduled FTE",
        "on duty: peak",
        "on duty: mean",
        "busy share (est.)",
    ]);
    // Headcount three ways, as `run` prints it: what is paid for (40-hour FTE), and who is
    // working (after shrinkage) at the busiest moment and on average over the window.
    for l in pool_loads(&s) {
        let pool = s.pools.iter().find(|p| p.name == l.pool);
        t.add_row(vec![
            l.pool.clone(),
            tier_label(&s, &l.pool),
            format!("{:.0}", l.tickets_per_week),
            format!("{:.1}", l.work_per_ticket_min),
            format!("{:.2}", l.offered_erlangs),
            pool.map_or("-".into(), |p| format!("{:.1}", s.pool_scheduled_fte(p))),
            pool.map_or("-".into(), |p| p.max_staffed().to_string()),
            format!("{:.2}", l.mean_staffed),
            if l.utilisation.is_finite() {
                format!("{:.1}%", l.utilisation * 100.0)
            } else {
                "no staff".into()
            },
        ]);
    }
    writeln!(out, "{t}")?;
    // The estimate and `run`'s utilisation measure different things where shifts end, chats
    // pack or contacts are lost: say how, or a planner reads the gap as an error.
    writeln!(
        out,
        "  busy share (est.) = offered load / (mean agents on duty x occupancy cap). run's utilisation can differ: it divides by agents present, which includes work finished past shift ends (run reports past_shift_end_hours_per_week); contacts lost to closed channels or abandonment bring no work; and the estimate packs chats fully, while a chat agent holding fewer than chat_concurrency chats is busy all the same"
    )?;
    if s.sla.targets.is_empty() {
        writeln!(out, "  no SLA targets")?;
    } else {
        writeln!(out, "  SLA targets:")?;
        for tg in &s.sla.targets {
            let f = |x: Option<crate::scenario::Target>| {
                x.map_or("-".to_string(), |t| {
                    format!(
                        "{} within {}",
                        pct(t.goal),
                        crate::format::limit_label(&s.sla, &t)
                    )
                })
            };
            writeln!(
                out,
                "    {:<24} first response {:<22} resolution {}",
                tg.label,
                f(tg.first_response),
                f(tg.resolution)
            )?;
        }
    }
    for (c, a) in s.access.iter().enumerate().filter(|(_, a)| a.reported) {
        let message = format!(
            "{} of closed contacts leave a message",
            pct(a.closed_message_p)
        );
        let hours = match (a.hours, a.min_agents_on_duty) {
            (None, 0) => "open 24x7".to_string(),
            (None, n) => {
                format!("open while at least {n} entry-pool agents are on duty ({message})")
            }
            (Some(k), n) => format!(
                "open on calendar {:?}{} ({message})",
                s.sla.clocks[k as usize].name,
                if n > 0 {
                    format!(" while at least {n} entry-pool agents are on duty")
                } else {
                    String::new()
                }
            ),
        };
        let limit = a.queue_limit.map_or("no queue limit".to_string(), |k| {
            format!(
                "at most {k} waiting ({} of blocked contacts leave a message)",
                pct(a.blocked_message_p)
            )
        });
        writeln!(out, "  access {}: {hours}; {limit}", s.channels.name(c))?;
    }
    if let Some(r) = &s.behaviour.retrials {
        use crate::scenario::Failure::{Abandoned, Blocked, Closed};
        writeln!(
            out,
            "  retrials: {} of abandoners, {} of turned away, {} of blocked try again after {:.1} min on average ({} on the other channel), at most {} per ticket",
            pct(r.share_after(Abandoned)),
            pct(r.share_after(Closed)),
            pct(r.share_after(Blocked)),
            r.delay.mean(),
            pct(r.switch_p),
            r.max
        )?;
    }
    if let Some(c) = &s.behaviour.chasers {
        writeln!(
            out,
            "  chasers: unanswered emails chase after {:.1} min on average, at most {} per ticket, {:.1} agent min each",
            c.patience.mean(),
            c.max,
            c.read.mean()
        )?;
    }
    if let Some(b) = &s.tier0 {
        for (c, ch) in b.channels.iter().enumerate() {
            let Some(ch) = ch else { continue };
            // Segment 0's shares: overrides by segment show in the metrics per segment.
            let (inv, res) = (b.involvement[0][c], b.resolution[0][c]);
            writeln!(
                out,
                "  tier 0 {}: {} of contacts meet the bot, which resolves {} of those up to level {} ({} containment before the level limit), {:.1} min in the bot on average",
                s.channels.name(c),
                pct(inv),
                pct(res),
                b.max_level,
                pct(inv * res),
                ch.time.mean()
            )?;
        }
        writeln!(
            out,
            "  tier 0: selectivity {} (0 = uniform, 1 = strictly the shortest work), {} of contained contacts come back within {:.0} h, {} of leaked ones a priority up{}",
            b.selectivity,
            pct(b.repeat_p),
            b.window_min / 60.0,
            pct(b.bump_p),
            b.cost_per_conversation
                .map_or(String::new(), |c| format!(", ${c:.2} a conversation"))
        )?;
    }
    if let Some(t) = &s.triage {
        let who = t.pool.map_or("automatic".to_string(), |p| {
            format!("pool {}", s.pools[p].name)
        });
        writeln!(
            out,
            "  triage: {who}; {} misrouted (the receiver spends {} of its work finding out), {} of priorities corrected",
            pct(t.misroute_p),
            pct(t.discovery_share),
            pct(t.correction_p)
        )?;
    }
    if let Some(inc) = &s.incidents {
        writeln!(
            out,
            "  incidents: {:.1} a month plus {} scripted; {:.2} contacts per calling account; proactive care ${:.0} a month",
            inc.rate_per_min * crate::scenario::incidents::MONTH_MIN,
            inc.scheduled.len(),
            inc.contacts_per_caller(),
            inc.care_usd_per_month
        )?;
        for (k, sev) in inc.severities.iter().enumerate() {
            writeln!(
                out,
                "    {}: {}, level {}, mean {:.0} min, {:.0} tickets expected without proactive care",
                sev.name,
                s.priority_name(sev.priority as usize),
                sev.level,
                sev.duration.mean(),
                inc.expected_tickets(k)
            )?;
        }
    }
    for w in &s.warnings {
        writeln!(out, "warning: {w}")?;
    }
    Ok(())
}

/// Which tiers a pool staffs, and its role under a swarm model: `L1`, `L1-L2 (owners)`,
/// `L3 (swarm experts)`.
fn tier_label(s: &Scenario, pool: &str) -> String {
    let Some(i) = s.pools.iter().position(|p| p.name == pool) else {
        return "-".into();
    };
    let levels: Vec<u8> = s
        .tiers
        .iter()
        .filter(|t| t.pool == i)
        .map(|t| t.level)
        .collect();
    let mut label = match (levels.first(), levels.last()) {
        (Some(a), Some(b)) if a == b => format!("L{a}"),
        (Some(a), Some(b)) => format!("L{a}-L{b}"),
        _ => return "-".into(),
    };
    if let Some(w) = &s.swarm {
        if w.owner_pool == i {
            label.push_str(" (owners)");
        } else if levels.iter().any(|&l| l > w.owner_level) {
            label.push_str(" (swarm experts)");
        }
    }
    label
}
