//! Property tests of engine invariants on random small scenarios (issue 11, item 6): every
//! ticket is accounted for, no time is negative, fractions stay in [0, 1], utilisation never
//! exceeds 1, and results do not depend on the thread count.
//!
//! Scenarios are generated as TOML text, as a user would write them (1-3 tiers, pools of 1-6
//! agents or shifts, mixed channels, priorities, segments and levels, the four support
//! models, patience, chat concurrency, occupancy caps, escalation costs, SLA targets), and
//! built to pass validation. A failure prints the scenario text, ready to save as a file.

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use supportsim::engine::{ReplicationResult, simulate, simulate_with_sink};
use supportsim::measure::{Catalog, Kind, TicketOutcome, TicketRecord, TicketSink};
use supportsim::montecarlo::MonteCarlo;
use supportsim::scenario::Scenario;

/// Replications per generated scenario (`run.replications`).
const REPS: u32 = 2;

/// Cases per property: about a second for the whole module in release (1,500 cases took
/// 17 s when the generator was tried). Failures print the scenario text, which is what one
/// needs to reproduce them, so no regression file is written into the source tree.
fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 48,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------
// Scenario generator
// ---------------------------------------------------------------------------------------

/// A duration: exponential, lognormal or constant, mean in minutes.
#[derive(Debug, Clone)]
struct Dist {
    kind: u8,
    mean_min: u32,
    cv_tenths: u32,
}

impl Dist {
    fn toml(&self) -> String {
        match self.kind {
            0 => format!("{{ dist = \"exponential\", mean_min = {} }}", self.mean_min),
            1 => format!(
                "{{ dist = \"lognormal\", mean_min = {}, cv = {:.1} }}",
                self.mean_min,
                self.cv_tenths as f64 / 10.0
            ),
            _ => format!("{}", self.mean_min),
        }
    }
}

fn dist(max_mean_min: u32) -> impl Strategy<Value = Dist> {
    (0u8..3, 1..=max_mean_min, 3u32..=15).prop_map(|(kind, mean_min, cv_tenths)| Dist {
        kind,
        mean_min,
        cv_tenths,
    })
}

/// A weekly shift: start and length in quarter hours, the days it starts on (bit 0 = Monday).
#[derive(Debug, Clone)]
struct Shift {
    start_q: u32,
    len_q: u32,
    days: u8,
    headcount: u32,
}

#[derive(Debug, Clone)]
struct PoolGen {
    agents: u32,
    chat_concurrency: u32,
    max_occupancy_pct: Option<u32>,
    shifts: Option<Vec<Shift>>,
    handover_min: Option<u32>,
    cost_per_hour_usd: Option<u32>,
}

fn pool() -> impl Strategy<Value = PoolGen> {
    (1u32..=6)
        .prop_flat_map(|agents| {
            let shift = (0u32..96, 16u32..=48, 1u8..128, 1..=agents).prop_map(
                |(start_q, len_q, days, headcount)| Shift {
                    start_q,
                    len_q,
                    // The run covers Monday to Thursday noon: a shift that never starts
                    // then would leave its pool empty (and a swarm pool invalid).
                    days: if days & 0b111 == 0 { days | 1 } else { days },
                    headcount,
                },
            );
            (
                Just(agents),
                prop_oneof![3 => Just(1u32), 1 => 2u32..=3],
                prop::option::weighted(0.3, 70u32..=100),
                prop::option::weighted(0.35, prop::collection::vec(shift, 1..=2)),
                prop::option::weighted(0.3, 0u32..=15),
                prop::option::weighted(0.3, 20u32..=80),
            )
        })
        .prop_map(
            |(agents, chat_concurrency, max_occupancy_pct, shifts, handover_min, cost)| PoolGen {
                agents,
                chat_concurrency,
                max_occupancy_pct,
                handover_min,
                shifts,
                cost_per_hour_usd: cost,
            },
        )
}

#[derive(Debug, Clone)]
struct TierGen {
    work: Dist,
    chat_work: Option<Dist>,
    write_up: Option<Dist>,
    regather: Option<Dist>,
}

fn tier() -> impl Strategy<Value = TierGen> {
    (
        dist(40),
        prop::option::weighted(0.3, dist(20)),
        prop::option::weighted(0.3, dist(10)),
        prop::option::weighted(0.3, dist(15)),
    )
        .prop_map(|(work, chat_work, write_up, regather)| TierGen {
            work,
            chat_work,
            write_up,
            regather,
        })
}

#[derive(Debug, Clone)]
struct DemandGen {
    per_hour: u32,
    channels: [u8; 3],
    priorities: [u8; 4],
    segments: Vec<u8>,
    /// Weights of levels 0..=4 (only levels up to the top tier, and 4 with a vendor, used).
    levels: [u8; 5],
    /// Channel mix override for the last segment.
    by_segment: Option<[u8; 3]>,
    daily_dispersion_pct: Option<u32>,
}

fn demand() -> impl Strategy<Value = DemandGen> {
    (
        1u32..=20,
        prop::array::uniform3(0u8..=3),
        prop::array::uniform4(0u8..=3),
        prop::collection::vec(1u8..=3, 1..=3),
        (0u8..=1, 1u8..=4, 0u8..=3, 0u8..=3, 0u8..=1),
        prop::option::weighted(0.25, prop::array::uniform3(0u8..=3)),
        prop::option::weighted(0.2, 5u32..=30),
    )
        .prop_map(
            |(per_hour, channels, priorities, segments, l, by_segment, daily)| DemandGen {
                per_hour,
                channels,
                priorities,
                segments,
                levels: [l.0, l.1, l.2, l.3, l.4],
                by_segment,
                daily_dispersion_pct: daily,
            },
        )
}

#[derive(Debug, Clone)]
struct BehaviourGen {
    chat_patience: Option<Dist>,
    phone_patience: Option<Dist>,
    abandon_to_email_pct: Option<u32>,
    handoff_delay: Option<Dist>,
    re_explain_pct: Option<u32>,
    re_explain_delay: Dist,
    bounce_back_pct: Option<u32>,
    vendor_delay: Option<Dist>,
    live_first: bool,
}

fn behaviour() -> impl Strategy<Value = BehaviourGen> {
    (
        prop::option::weighted(0.5, dist(10)),
        prop::option::weighted(0.5, dist(10)),
        prop::option::weighted(0.4, 0u32..=100),
        prop::option::weighted(0.4, dist(60)),
        prop::option::weighted(0.3, 0u32..=100),
        dist(120),
        prop::option::weighted(0.3, 0u32..=30),
        prop::option::weighted(0.3, dist(600)),
        any::<bool>(),
    )
        .prop_map(
            |(chat, phone, a2e, handoff, rexp, rexp_delay, bounce, vendor, live_first)| {
                BehaviourGen {
                    chat_patience: chat,
                    phone_patience: phone,
                    abandon_to_email_pct: a2e,
                    handoff_delay: handoff,
                    re_explain_pct: rexp,
                    re_explain_delay: rexp_delay,
                    bounce_back_pct: bounce,
                    vendor_delay: vendor,
                    live_first,
                }
            },
        )
}

/// SLA targets: none, one for every ticket, or one per priority for a subset of priorities.
#[derive(Debug, Clone)]
struct SlaGen {
    mode: u8,
    priorities: [bool; 4],
    fr_target_min: u32,
    res_target_hours: u32,
    business_hours: bool,
    pause_on_customer: bool,
    penalty_usd: Option<u32>,
}

fn sla() -> impl Strategy<Value = SlaGen> {
    (
        prop_oneof![1 => Just(0u8), 2 => Just(1u8), 2 => Just(2u8)],
        prop::array::uniform4(any::<bool>()),
        1u32..=240,
        1u32..=48,
        any::<bool>(),
        any::<bool>(),
        prop::option::weighted(0.3, 1u32..=100),
    )
        .prop_map(|(mode, priorities, fr, res, bh, pause, penalty)| SlaGen {
            mode,
            priorities,
            fr_target_min: fr,
            res_target_hours: res,
            business_hours: bh,
            pause_on_customer: pause,
            penalty_usd: penalty,
        })
}

/// Swarm settings (models swarm and hybrid).
#[derive(Debug, Clone)]
struct SwarmGen {
    /// Owner level above the model's minimum (clamped to the tiers there are).
    owner_offset: u8,
    two_helpers: bool,
    overhead_pct: u32,
    brief: Option<Dist>,
    context_switch: Option<Dist>,
    session: Option<Dist>,
    queue_first: bool,
}

fn swarm() -> impl Strategy<Value = SwarmGen> {
    (
        0u8..=2,
        any::<bool>(),
        0u32..=50,
        prop::option::weighted(0.5, dist(10)),
        prop::option::weighted(0.5, dist(10)),
        prop::option::weighted(0.5, dist(40)),
        any::<bool>(),
    )
        .prop_map(
            |(owner_offset, two_helpers, overhead_pct, brief, context_switch, session, qf)| {
                SwarmGen {
                    owner_offset,
                    two_helpers,
                    overhead_pct,
                    brief,
                    context_switch,
                    session,
                    queue_first: qf,
                }
            },
        )
}

const MODELS: [&str; 4] = ["tiered", "pooled_tiered", "swarm", "hybrid"];
const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

#[derive(Debug, Clone)]
struct ScenarioGen {
    seed: u64,
    model: usize,
    pooled_levels: Option<u8>,
    pools: Vec<PoolGen>,
    tiers: Vec<TierGen>,
    demand: DemandGen,
    behaviour: BehaviourGen,
    sla: SlaGen,
    swarm: SwarmGen,
}

/// Quarter hours as `HH:MM` (a shift may end the next day).
fn hhmm(q: u32) -> String {
    let q = q % 96;
    format!("{:02}:{:02}", q / 4, (q % 4) * 15)
}

/// Integer weights as fractions summing to 1 (within the validator's tolerance).
fn shares(names: &[&str], w: &[u8]) -> String {
    let total: u32 = w.iter().map(|&x| u32::from(x)).sum();
    let parts: Vec<String> = names
        .iter()
        .zip(w)
        .filter(|(_, x)| **x > 0)
        .map(|(n, x)| format!("{n} = {:?}", f64::from(*x) / f64::from(total)))
        .collect();
    format!("{{ {} }}", parts.join(", "))
}

/// At least one non-zero weight (the first, if all were zero).
fn some_weight<const N: usize>(mut w: [u8; N]) -> [u8; N] {
    if w.iter().all(|&x| x == 0) {
        w[0] = 1;
    }
    w
}

impl ScenarioGen {
    /// The scenario file.
    fn toml(&self) -> String {
        use std::fmt::Write;
        let n = self.tiers.len();
        let model = MODELS[self.model];
        let merges = model != "tiered";
        let mut o = String::new();
        let w = &mut o;
        writeln!(w, "name = \"prop\"\nmodel = \"{model}\"").unwrap();
        writeln!(
            w,
            "[run]\nwarmup_days = 0.5\nhorizon_days = 2\ndrain_days = 1\nreplications = {REPS}\nseed = {}",
            self.seed
        )
        .unwrap();

        let d = &self.demand;
        writeln!(w, "[demand]\ntickets_per_hour = {}", d.per_hour).unwrap();
        if let Some(cv) = d.daily_dispersion_pct {
            writeln!(w, "daily_dispersion_cv = {:?}", f64::from(cv) / 100.0).unwrap();
        }
        let channels = ["email", "chat", "phone"];
        writeln!(
            w,
            "channels = {}",
            shares(&channels, &some_weight(d.channels))
        )
        .unwrap();
        writeln!(
            w,
            "priorities = {}",
            shares(&["P1", "P2", "P3", "P4"], &some_weight(d.priorities))
        )
        .unwrap();
        let seg_names: Vec<String> = (0..d.segments.len()).map(|i| format!("s{i}")).collect();
        let seg_refs: Vec<&str> = seg_names.iter().map(String::as_str).collect();
        writeln!(w, "segments = {}", shares(&seg_refs, &d.segments)).unwrap();
        // Levels the ladder can serve: 1..=n, plus 4 when there is a vendor.
        let mut levels = [0u8; 5];
        levels[0] = d.levels[0];
        levels[1..=n].copy_from_slice(&d.levels[1..=n]);
        if levels[1..=n].iter().all(|&x| x == 0) {
            levels[1] = 1;
        }
        if self.behaviour.vendor_delay.is_some() {
            levels[4] = d.levels[4];
        }
        writeln!(
            w,
            "required_level = {}",
            shares(&["\"0\"", "\"1\"", "\"2\"", "\"3\"", "\"4\""], &levels)
        )
        .unwrap();
        if let Some(ch) = d.by_segment {
            let last = seg_names.last().expect("one segment at least");
            writeln!(
                w,
                "[demand.by_segment.{last}]\nchannels = {}",
                shares(&channels, &some_weight(ch))
            )
            .unwrap();
        }

        for (i, p) in self.pools.iter().enumerate() {
            // Pools a model merges must agree on how their agents work: they follow pool 0.
            let rule = if merges { &self.pools[0] } else { p };
            writeln!(w, "[[pools]]\nname = \"p{i}\"").unwrap();
            writeln!(w, "chat_concurrency = {}", rule.chat_concurrency).unwrap();
            if let Some(c) = rule.max_occupancy_pct {
                writeln!(w, "max_occupancy = {:?}", f64::from(c) / 100.0).unwrap();
            }
            if let Some(c) = p.cost_per_hour_usd {
                writeln!(w, "cost_per_hour_usd = {c}").unwrap();
            }
            if let Some(h) = rule.handover_min {
                writeln!(w, "handover_min = {h}").unwrap();
            }
            match &p.shifts {
                None => writeln!(w, "headcount = {}", p.agents).unwrap(),
                Some(shifts) => {
                    for s in shifts {
                        let days: Vec<String> = (0..7)
                            .filter(|b| s.days & (1 << b) != 0)
                            .map(|b| format!("\"{}\"", DAYS[b]))
                            .collect();
                        writeln!(
                            w,
                            "[[pools.shifts]]\nstart = \"{}\"\nend = \"{}\"\ndays = [{}]\nheadcount = {}",
                            hhmm(s.start_q),
                            hhmm(s.start_q + s.len_q),
                            days.join(", "),
                            s.headcount
                        )
                        .unwrap();
                    }
                }
            }
        }

        for (i, t) in self.tiers.iter().enumerate() {
            writeln!(
                w,
                "[[tiers]]\nlevel = {}\npool = \"p{i}\"\nwork_time.default = {}",
                i + 1,
                t.work.toml()
            )
            .unwrap();
            if let Some(c) = &t.chat_work {
                writeln!(w, "work_time.chat = {}", c.toml()).unwrap();
            }
            if let Some(x) = &t.write_up {
                writeln!(w, "write_up_min = {}", x.toml()).unwrap();
            }
            if let Some(x) = &t.regather {
                writeln!(w, "regather_min = {}", x.toml()).unwrap();
            }
        }

        let b = &self.behaviour;
        if b.live_first {
            writeln!(w, "[queues]\norder = \"live_first\"").unwrap();
        }
        writeln!(w, "[escalation]").unwrap();
        if let Some(x) = &b.handoff_delay {
            writeln!(w, "handoff_delay_min = {}", x.toml()).unwrap();
        }
        if let Some(p) = b.re_explain_pct {
            writeln!(
                w,
                "re_explain_probability = {:?}\nre_explain_delay_min = {}",
                f64::from(p) / 100.0,
                b.re_explain_delay.toml()
            )
            .unwrap();
        }
        if let Some(p) = b.bounce_back_pct {
            writeln!(w, "bounce_back_probability = {:?}", f64::from(p) / 100.0).unwrap();
        }
        if let Some(v) = &b.vendor_delay {
            writeln!(w, "[vendor]\ndelay_min = {}", v.toml()).unwrap();
        }
        writeln!(w, "[customers]").unwrap();
        if let Some(p) = b.abandon_to_email_pct {
            writeln!(
                w,
                "abandon_to_email_probability = {:?}",
                f64::from(p) / 100.0
            )
            .unwrap();
        }
        writeln!(w, "[customers.patience]").unwrap();
        if let Some(x) = &b.chat_patience {
            writeln!(w, "chat = {}", x.toml()).unwrap();
        }
        if let Some(x) = &b.phone_patience {
            writeln!(w, "phone = {}", x.toml()).unwrap();
        }

        let s = &self.sla;
        let clock = if s.business_hours {
            writeln!(
                w,
                "[[calendars]]\nname = \"biz\"\ntimezone = \"UTC\"\nstart = \"09:00\"\nend = \"17:00\""
            )
            .unwrap();
            ", clock = \"biz\""
        } else {
            ""
        };
        let penalty = s
            .penalty_usd
            .map(|p| format!(", penalty_usd_per_breach = {p}"))
            .unwrap_or_default();
        let target = |w: &mut String, priority: Option<&str>| {
            writeln!(w, "[[sla]]").unwrap();
            if let Some(p) = priority {
                writeln!(w, "priority = \"{p}\"").unwrap();
            }
            writeln!(
                w,
                "first_response = {{ target_min = {}{clock}{penalty} }}\nresolution = {{ target_hours = {}, pause_on_customer = {}{clock} }}",
                s.fr_target_min, s.res_target_hours, s.pause_on_customer
            )
            .unwrap();
        };
        match s.mode {
            0 => {}
            1 => target(&mut *w, None),
            _ => {
                for (k, p) in ["P1", "P2", "P3", "P4"].iter().enumerate() {
                    if s.priorities[k] {
                        target(&mut *w, Some(p));
                    }
                }
            }
        }

        match model {
            "pooled_tiered" => {
                if let Some(l) = self.pooled_levels {
                    writeln!(w, "[pooled]\nlevels = {l}").unwrap();
                }
            }
            "swarm" | "hybrid" => {
                let g = &self.swarm;
                let min_level = if model == "hybrid" { 2 } else { 1 };
                let owner_level = (min_level + g.owner_offset as usize).min(n);
                // Two helpers only where every pool always has at least three agents on duty.
                let two = g.two_helpers
                    && self
                        .pools
                        .iter()
                        .all(|p| p.shifts.is_none() && p.agents >= 3);
                writeln!(
                    w,
                    "[swarm]\nowner_level = {owner_level}\ncoordination_overhead = {:?}\npriority = \"{}\"",
                    f64::from(g.overhead_pct) / 100.0,
                    if g.queue_first { "queue_first" } else { "swarm_first" }
                )
                .unwrap();
                if two {
                    writeln!(w, "helpers = {{ 1 = 0.7, 2 = 0.3 }}").unwrap();
                }
                for (key, x) in [
                    ("brief_min", &g.brief),
                    ("context_switch_min", &g.context_switch),
                    ("session_min", &g.session),
                ] {
                    if let Some(x) = x {
                        writeln!(w, "{key} = {}", x.toml()).unwrap();
                    }
                }
            }
            _ => {}
        }
        o
    }
}

fn scenario_gen() -> impl Strategy<Value = ScenarioGen> {
    (1usize..=3)
        .prop_flat_map(|n| {
            // Hybrid needs a tiered level 1 and owners behind it.
            let models = if n >= 2 { 0usize..4 } else { 0usize..3 };
            (
                0u64..1_000_000,
                models,
                prop::option::of(1u8..=3),
                prop::collection::vec(pool(), n),
                prop::collection::vec(tier(), n),
                demand(),
                behaviour(),
                sla(),
                swarm(),
            )
        })
        .prop_map(
            |(seed, model, pooled_levels, pools, tiers, demand, behaviour, sla, swarm)| {
                ScenarioGen {
                    seed,
                    model,
                    pooled_levels,
                    pools,
                    tiers,
                    demand,
                    behaviour,
                    sla,
                    swarm,
                }
            },
        )
}

/// Scenario text and the parsed scenario.
fn scenario_text() -> impl Strategy<Value = String> {
    scenario_gen().prop_map(|g| g.toml())
}

fn parse(text: &str) -> Result<Scenario, TestCaseError> {
    Scenario::from_toml_str(text, std::path::Path::new("<proptest>")).map_err(|e| {
        TestCaseError::fail(format!(
            "generated scenario rejected: {e}\n--- scenario ---\n{text}"
        ))
    })
}

/// Fails with the message and the scenario text.
fn fail(text: &str, msg: String) -> TestCaseError {
    TestCaseError::fail(format!("{msg}\n--- scenario ---\n{text}"))
}

// ---------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------

/// Every ticket the engine hands to the sink, in order.
#[derive(Default)]
struct Collect(Vec<TicketRecord>);

impl TicketSink for Collect {
    fn record(&mut self, r: &TicketRecord) {
        self.0.push(*r);
    }
}

/// Each replication of `s`, with the tickets it handed to a sink.
fn replications(s: &Scenario, cat: &Catalog) -> Vec<(ReplicationResult, Vec<TicketRecord>)> {
    (0..REPS)
        .map(|i| {
            let mut sink = Collect::default();
            let r = simulate_with_sink(s, cat, i, &mut sink);
            (r, sink.0)
        })
        .collect()
}

fn value(cat: &Catalog, r: &ReplicationResult, metric: &str) -> f64 {
    let i = cat
        .find(metric, "all")
        .unwrap_or_else(|| panic!("no metric {metric}"));
    r.values[i]
}

/// arrived = resolved + abandoned + deflected + unresolved, by the metrics and by the
/// tickets the sink received (each measured ticket exactly once, with its outcome).
fn check_conservation(text: &str) -> Result<(), TestCaseError> {
    let s = parse(text)?;
    let cat = Catalog::new(&s);
    for (rep, (r, tickets)) in replications(&s, &cat).iter().enumerate() {
        let [arrived, resolved, abandoned, deflected, unresolved] = [
            "tickets_arrived",
            "tickets_resolved",
            "tickets_abandoned",
            "tickets_deflected",
            "tickets_unresolved_at_end",
        ]
        .map(|m| value(&cat, r, m));
        let sum = resolved + abandoned + deflected + unresolved;
        if arrived != sum {
            return Err(fail(
                text,
                format!(
                    "replication {rep}: arrived {arrived} != resolved {resolved} + abandoned {abandoned} + deflected {deflected} + unresolved {unresolved} = {sum}"
                ),
            ));
        }
        let count = |o: TicketOutcome| tickets.iter().filter(|t| t.outcome == o).count() as f64;
        let by_sink = [
            tickets.len() as f64,
            count(TicketOutcome::Resolved),
            count(TicketOutcome::Abandoned),
            count(TicketOutcome::Deflected),
            count(TicketOutcome::Unresolved),
        ];
        if by_sink != [arrived, resolved, abandoned, deflected, unresolved] {
            return Err(fail(
                text,
                format!(
                    "replication {rep}: sink counts [all, resolved, abandoned, deflected, unresolved] {by_sink:?} differ from the metrics {:?}",
                    [arrived, resolved, abandoned, deflected, unresolved]
                ),
            ));
        }
        let mut numbers: Vec<u64> = tickets.iter().map(|t| t.ticket).collect();
        numbers.sort_unstable();
        numbers.dedup();
        if numbers.len() != tickets.len() {
            return Err(fail(
                text,
                format!(
                    "replication {rep}: {} tickets recorded more than once",
                    tickets.len() - numbers.len()
                ),
            ));
        }
    }
    Ok(())
}

/// Every time metric is >= 0 (or NaN: no data), and so is every ticket's time; a ticket
/// arrives in the measured window and is resolved no earlier than its first response.
fn check_no_negative_time(text: &str) -> Result<(), TestCaseError> {
    let s = parse(text)?;
    let cat = Catalog::new(&s);
    let (w0, w1) = (s.run.warmup_min, s.run.warmup_min + s.run.horizon_min);
    for (rep, (r, tickets)) in replications(&s, &cat).iter().enumerate() {
        for (d, v) in cat.defs.iter().zip(&r.values) {
            let is_time =
                matches!(d.kind, Kind::Time | Kind::Duration) || d.metric.ends_with("_min");
            if is_time && *v < 0.0 {
                return Err(fail(
                    text,
                    format!("replication {rep}: {} [{}] = {v} < 0", d.metric, d.group),
                ));
            }
        }
        for t in tickets {
            let negative = |x: f64| x < 0.0;
            let bad = negative(t.arrival_min)
                || negative(t.first_response_min)
                || negative(t.resolution_min)
                || t.arrival_min < w0
                || t.arrival_min >= w1
                || t.first_response_min > t.resolution_min;
            if bad {
                return Err(fail(text, format!("replication {rep}: ticket {t:?}")));
            }
        }
    }
    Ok(())
}

/// Every fraction (attainment, rates, shares) is in [0, 1] or NaN; utilisation <= 1 + 1e-9
/// for every pool, including agents who work or rest past their shift's end (utilisation
/// divides by the agents present, not only those on duty).
fn check_fractions(text: &str) -> Result<(), TestCaseError> {
    let s = parse(text)?;
    let cat = Catalog::new(&s);
    for (rep, (r, _)) in replications(&s, &cat).iter().enumerate() {
        for (d, v) in cat.defs.iter().zip(&r.values) {
            let fraction = d.kind == Kind::Fraction || d.metric.contains("attainment");
            if !fraction || v.is_nan() {
                continue;
            }
            let top = if d.metric == "utilisation" {
                1.0 + 1e-9
            } else {
                1.0
            };
            if !(0.0..=top).contains(v) {
                return Err(fail(
                    text,
                    format!(
                        "replication {rep}: {} [{}] = {v} outside [0, {top}]",
                        d.metric, d.group
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// The Monte Carlo run on 1 and on 2 threads gives the same bits, and so does a single
/// replication run alone with a ticket sink.
fn check_thread_independence(text: &str) -> Result<(), TestCaseError> {
    let s = parse(text)?;
    let on = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("thread pool")
            .install(|| MonteCarlo::run(&s, REPS, &|| {}))
    };
    let (one, two) = (on(1), on(2));
    let bits = |rows: &[Vec<f64>]| -> Vec<Vec<u64>> {
        rows.iter()
            .map(|r| r.iter().map(|v| v.to_bits()).collect())
            .collect()
    };
    if bits(&one.values) != bits(&two.values)
        || (one.events, one.tickets) != (two.events, two.tickets)
        || one.fr_hist != two.fr_hist
        || one.res_hist != two.res_hist
    {
        return Err(fail(text, "1 and 2 threads give different results".into()));
    }
    let cat = Catalog::new(&s);
    for (rep, (r, _)) in replications(&s, &cat).iter().enumerate() {
        let alone = simulate(&s, &cat, rep as u32);
        if bits(std::slice::from_ref(&r.values)) != bits(&one.values[rep..=rep])
            || bits(std::slice::from_ref(&alone.values)) != bits(&one.values[rep..=rep])
        {
            return Err(fail(
                text,
                format!(
                    "replication {rep}: alone or with a ticket sink it differs from the Monte Carlo run"
                ),
            ));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn every_ticket_is_accounted_for(text in scenario_text()) {
        check_conservation(&text)?;
    }

    #[test]
    fn no_time_is_negative(text in scenario_text()) {
        check_no_negative_time(&text)?;
    }

    #[test]
    fn fractions_stay_in_the_unit_interval(text in scenario_text()) {
        check_fractions(&text)?;
    }

    #[test]
    fn results_do_not_depend_on_the_thread_count(text in scenario_text()) {
        check_thread_independence(&text)?;
    }
}

/// The generator itself: almost every generated file passes validation (the checks above
/// would otherwise test little), and the scenarios cover every model.
#[test]
fn generated_scenarios_are_valid_and_cover_every_model() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut models = [0u32; 4];
    for _ in 0..200 {
        let g = scenario_gen().new_tree(&mut runner).unwrap().current();
        let text = g.toml();
        if let Err(e) = Scenario::from_toml_str(&text, std::path::Path::new("<gen>")) {
            panic!("generated scenario rejected: {e}\n--- scenario ---\n{text}");
        }
        models[g.model] += 1;
    }
    assert!(models.iter().all(|&m| m > 0), "models drawn: {models:?}");
}
