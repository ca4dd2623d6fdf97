//! Targets no headcount can reach, found from the scenario's structure in milliseconds
//! instead of by a search that runs to the pool caps.
//!
//! The search only scales the agents of the shifts (or hours) in the file; it never adds
//! hours. So a ticket that arrives while the intake pool (the model's first stage) has
//! nobody scheduled gets its first response no earlier than the next time someone is: if
//! the SLA clock (24x7, or the target's calendar) runs longer than the limit until then,
//! the ticket misses whatever the headcount, and so does its resolution. Per
//! `attainment >=` target this gives an upper bound on the attainment any headcount can
//! reach, and the target is refused when the bound is below its threshold.
//!
//! The bound is conservative (it never refuses a target that could be met): a 15-minute
//! slot counts as uncovered only when nobody is scheduled in all of it, its tickets count
//! as missing only when even its last arrival would miss, and live contacts arriving then
//! count only with the least probability that they stay tickets (they may abandon and
//! leave no message, which removes them from the attainment).

use crate::model::Policy;
use crate::scenario::analysis::{mean_arrival_rate, week_hours};
use crate::scenario::calendar::{SLOT_MIN, local_slots};
use crate::scenario::{Scenario, Target as SlaLimit};
use crate::study::requirements::without_shrinkage;

use super::{Op, Target};

/// A target that no headcount reaches, with why.
#[derive(Debug, Clone, PartialEq)]
pub struct Unreachable {
    /// The `--target` expression.
    pub expr: String,
    /// The most attainment any headcount can reach.
    pub bound: f64,
    /// The threshold asked for.
    pub threshold: f64,
    /// The intake pool.
    pub pool: String,
    /// The SLA targets whose tickets must miss: (label, kind, limit [minutes], clock name,
    /// share of that target's tickets that must miss).
    pub causes: Vec<(String, &'static str, f64, String, f64)>,
    /// Local hours of the week when arriving tickets must miss, like `Sat-Sun 00:00-24:00`.
    pub hours: String,
    /// Found for `roster` (on the file with every allowed pattern staffed), whose fix is a
    /// wider `[roster]`, not a new shift.
    pub roster: bool,
}

impl std::fmt::Display for Unreachable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "--target {:?} cannot be met by any {}: at most {:.1}% of its tickets can meet their limit, below the {:.1}% asked. Pool {:?} takes every new ticket and has nobody scheduled {} (local time){}, and tickets arriving then wait for its next shift longer than their limit: ",
            self.expr,
            if self.roster {
                "roster of the allowed patterns"
            } else {
                "headcount"
            },
            self.bound * 100.0,
            self.threshold * 100.0,
            self.pool,
            self.hours,
            if self.roster {
                " with every allowed pattern staffed"
            } else {
                ""
            }
        )?;
        let causes: Vec<String> = self
            .causes
            .iter()
            .map(|(label, kind, limit, clock, share)| {
                format!(
                    "{label} {kind} within {} on the {clock} clock ({:.1}% of its tickets must miss)",
                    minutes(*limit),
                    share * 100.0
                )
            })
            .collect();
        if self.roster {
            return write!(
                f,
                "{}. No [roster] pattern of pool {:?} covers those hours: widen its starts (earliest_start, latest_start), lengths_hours or days, put the target on a business-hours calendar, or lower the goal below {:.1}%",
                causes.join("; "),
                self.pool,
                self.bound * 100.0
            );
        }
        write!(
            f,
            "{}. The search only scales the file's shifts, it never adds hours: add a shift of pool {:?} covering those hours, put the target on a business-hours calendar, or lower the goal below {:.1}%",
            causes.join("; "),
            self.pool,
            self.bound * 100.0
        )
    }
}

fn minutes(m: f64) -> String {
    if m >= 60.0 && (m / 60.0).fract() == 0.0 {
        format!("{} h", m / 60.0)
    } else {
        format!("{m} min")
    }
}

/// Per kind and priority x segment cell: (tickets weighed, tickets that must miss,
/// hour-of-week cells where they do).
type Tally = (f64, f64, [[bool; 24]; 7]);

/// The `attainment >=` targets among `targets` that no headcount reaches.
pub fn unreachable(s: &Scenario, targets: &[Target]) -> Vec<Unreachable> {
    let wanted: Vec<&Target> = targets
        .iter()
        .filter(|t| {
            t.op == Op::AtLeast
                && matches!(
                    t.metric,
                    "sla_first_response_attainment" | "sla_resolution_attainment"
                )
        })
        .collect();
    if wanted.is_empty() || s.tiers.is_empty() {
        return Vec::new();
    }
    let Ok(scheduled) = without_shrinkage(s) else {
        return Vec::new();
    };
    let entry = Policy::new(s).stages[0].pool;
    let sched = &scheduled[entry];
    let Ok(slots) = local_slots(s.run.start_date, &s.run.timezone, s.run.span_min()) else {
        return Vec::new();
    };
    let (from, to, span) = (s.run.warmup_min, s.run.window_end_min(), s.run.span_min());
    // Next time at or after t with someone scheduled (span when never).
    let next_on = |t: f64| -> f64 {
        let i = sched.partition_point(|(x, _)| *x <= t);
        if i > 0 && sched[i - 1].1 > 0 {
            return t;
        }
        sched[i..]
            .iter()
            .find(|(_, n)| *n > 0)
            .map_or(span, |(x, _)| *x)
    };
    let nobody_in = |a: f64, b: f64| next_on(a) >= b;
    // The least share of a live contact arriving to nobody that stays a ticket.
    let stays = |c: usize| -> f64 {
        let mut p: f64 = 1.0;
        if s.patience[c].is_some() {
            p = p.min(s.abandon_to_email_p);
        }
        if s.access[c].hours.is_some() || s.access[c].min_agents_on_duty > 0 {
            p = p.min(s.access[c].closed_message_p);
        }
        p
    };
    let ns = s.segment_count();
    // tally[kind][cell]
    let cells = s.priority_count() * ns;
    let mut tally: Vec<Vec<Tally>> = vec![vec![(0.0, 0.0, [[false; 24]; 7]); cells]; 2];
    // Per cell: (weight of a covered arrival, weight of an uncovered one).
    let mut cell_weight = vec![(0.0, 0.0); cells];
    for g in 0..ns {
        let mix = &s.demand.mixes[g];
        let live_left: f64 = (0..s.channels.len())
            .map(|c| mix.channel[c] * if s.channels.is_live(c) { stays(c) } else { 1.0 })
            .sum();
        for q in 0..s.priority_count() {
            let w = s.demand.segment_probs[g] * mix.priority[q] * (1.0 - mix.level[0]);
            cell_weight[q * ns + g] = (w, w * live_left);
        }
    }
    let limits = |kind: usize, i: usize| -> Option<SlaLimit> {
        let t = &s.sla.targets[i];
        if kind == 0 {
            t.first_response
        } else {
            t.resolution
        }
    };
    for (j, slot) in slots.iter().enumerate() {
        let (a, b) = (j as f64 * SLOT_MIN, (j + 1) as f64 * SLOT_MIN);
        if b <= from || a >= to {
            continue;
        }
        let mass = mean_arrival_rate(s, a.max(from), b.min(to)) * (b.min(to) - a.max(from));
        if mass <= 0.0 {
            continue;
        }
        let uncovered = nobody_in(a, b);
        let on = if uncovered { next_on(b) } else { b };
        for (kind, of) in [&s.sla.first_response_of, &s.sla.resolution_of]
            .into_iter()
            .enumerate()
        {
            for (cell, idx) in of.iter().enumerate() {
                let Some(i) = idx.map(usize::from) else {
                    continue;
                };
                let (wc, wu) = cell_weight[cell];
                let t = &mut tally[kind][cell];
                if !uncovered {
                    t.0 += mass * wc;
                    continue;
                }
                t.0 += mass * wu;
                let Some(limit) = limits(kind, i) else {
                    continue;
                };
                if s.sla.clock_minutes(&limit, b, on) > limit.limit_min {
                    t.1 += mass * wu;
                    t.2[slot.weekday as usize][(slot.minute_of_day / 60) as usize] = true;
                }
            }
        }
    }
    let mut out = Vec::new();
    for t in wanted {
        let kind = usize::from(t.metric == "sla_resolution_attainment");
        let of = if kind == 0 {
            &s.sla.first_response_of
        } else {
            &s.sla.resolution_of
        };
        let (mut weighed, mut missed) = (0.0, 0.0);
        let mut hours = [[false; 24]; 7];
        // Per SLA target: (weighed, missed).
        let mut per: Vec<(usize, f64, f64)> = Vec::new();
        for cell in members(s, t, of) {
            let Some(i) = of[cell].map(usize::from) else {
                continue;
            };
            let (w, m, h) = &tally[kind][cell];
            weighed += w;
            missed += m;
            for (d, row) in h.iter().enumerate() {
                for (k, x) in row.iter().enumerate() {
                    hours[d][k] |= *x;
                }
            }
            match per.iter_mut().find(|x| x.0 == i) {
                Some(x) => {
                    x.1 += w;
                    x.2 += m;
                }
                None => per.push((i, *w, *m)),
            }
        }
        let mut causes = Vec::new();
        for (i, w, m) in per {
            if m > 0.0 {
                let limit = limits(kind, i).expect("counted targets have limits");
                let clock = limit.clock.map_or("24x7".to_string(), |c| {
                    s.sla.clocks[c as usize].name.clone()
                });
                causes.push((
                    s.sla.targets[i].label.clone(),
                    if kind == 0 {
                        "first response"
                    } else {
                        "resolution"
                    },
                    limit.limit_min,
                    clock,
                    m / w,
                ));
            }
        }
        if weighed <= 0.0 {
            continue;
        }
        let bound = 1.0 - missed / weighed;
        if bound < t.threshold {
            out.push(Unreachable {
                expr: t.expr.clone(),
                bound,
                threshold: t.threshold,
                pool: s.pools[entry].name.clone(),
                causes,
                hours: week_hours(&hours),
                roster: false,
            });
        }
    }
    out
}

/// The priority x segment cells a target's group counts (a group's attainment pools the
/// tickets of its cells): `target=<label>` the cells of that SLA entry.
fn members(s: &Scenario, t: &Target, of: &[Option<u16>]) -> Vec<usize> {
    let ns = s.segment_count();
    let label = t.group.strip_prefix("target=");
    let in_group = |cell: usize| -> bool {
        let (q, g) = (cell / ns, cell % ns);
        if let Some(label) = label {
            return of[cell].is_some_and(|i| s.sla.targets[i as usize].label == label);
        }
        match t.group.split_once('=') {
            Some(("priority", p)) => s.priority_name(q) == p,
            Some(("segment", name)) => s.demand.segment_names[g] == name,
            _ => t.group == "all",
        }
    };
    (0..of.len()).filter(|&c| in_group(c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::study::staff::parse_targets;
    use std::path::Path;

    fn check(text: &str, exprs: &[&str]) -> Vec<Unreachable> {
        let s = Scenario::from_toml_str(text, Path::new("<test>")).unwrap();
        let exprs: Vec<String> = exprs.iter().map(|e| e.to_string()).collect();
        unreachable(&s, &parse_targets(&exprs, &s).unwrap())
    }

    /// A pool whose only shift starts four business hours after the calendar opens: tickets
    /// arriving from 17:00 to 09:00 (and 09:00-11:00) must wait past a 2 BH limit.
    const LATE_SHIFT: &str = r#"
name = "late"
[run]
warmup_days = 7
horizon_days = 14
[demand]
tickets_per_hour = 10
channels = { email = 1.0 }
priorities = { P2 = 1.0 }
segments = { all = 1.0 }
required_level = { 1 = 1.0 }
[[pools]]
name = "desk"
[[pools.shifts]]
name = "late"
days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
start = "13:00"
end = "21:00"
headcount = 3
[[tiers]]
level = 1
pool = "desk"
work_time.default = { dist = "exponential", mean_min = 5 }
[[calendars]]
name = "office"
timezone = "UTC"
days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
start = "09:00"
end = "17:00"
[[sla]]
first_response = { target_hours = 2, goal = 0.9, clock = "office" }
"#;

    #[test]
    fn nobody_on_duty_while_the_clock_runs_is_unreachable() {
        let r = check(LATE_SHIFT, &["first_response.all.attainment >= 0.9"]);
        assert_eq!(r.len(), 1);
        let u = &r[0];
        // Arrivals 21:00-11:00 (14 of 24 hours at a flat rate) must miss; slots ending exactly
        // 2 BH before 13:00 are counted as met (conservative): the bound is at least 10/24.
        assert!(
            u.bound >= 10.0 / 24.0 - 1e-9 && u.bound < 0.5,
            "{}",
            u.bound
        );
        let msg = u.to_string();
        assert!(msg.contains("pool \"desk\""), "{msg}");
        assert!(msg.contains("within 2 h on the office clock"), "{msg}");
        assert!(msg.contains("00:00-11:00, 21:00-24:00"), "{msg}");
        // A goal below the bound is not refused; neither are time targets.
        assert!(check(LATE_SHIFT, &["first_response.all.attainment >= 0.4"]).is_empty());
        assert!(check(LATE_SHIFT, &["first_response.all.mean_min <= 5"]).is_empty());
        // A shift covering the calendar's hours makes it reachable.
        let covered = LATE_SHIFT.replace("start = \"13:00\"", "start = \"08:00\"");
        assert!(check(&covered, &["first_response.all.attainment >= 0.9"]).is_empty());
    }

    #[test]
    fn always_staffed_pools_reach_every_target() {
        let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/mmc.toml");
        let text = std::fs::read_to_string(p).unwrap();
        assert!(check(&text, &["first_response.all.attainment >= 0.99"]).is_empty());
    }
}
