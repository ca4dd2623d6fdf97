//! The metric catalog: every (metric, group) pair a scenario reports, in output order, and
//! which [`Quantity`] computes each from a recorder (`quantity.rs` defines them).

use super::money::CostItem;
use super::recorder::{ABANDON_THRESHOLDS_MIN, HistSlots, wait_thresholds_min};
use crate::model::Policy;
use crate::scenario::Scenario;

pub use super::key::GroupKey;
pub use super::quantity::{Group, Kind, Quantity};

/// One (metric, group) pair a scenario reports.
#[derive(Debug, Clone)]
pub struct MetricDef {
    /// snake_case metric name with unit.
    pub metric: &'static str,
    /// Group label like `all`, `priority=P1`, `pool=l1` (derived from `key`).
    pub group: String,
    /// The group's dimensions, one field each.
    pub key: GroupKey,
    /// How it is computed.
    pub quantity: Quantity,
    /// Kind of number.
    pub kind: Kind,
    /// SLA goal for attainment metrics of one target.
    pub goal: Option<f64>,
    /// Index of the pooled histogram (`Recorder::fr_hist` for first response when
    /// `hist_of_first_response`, else `res_hist`).
    pub hist: Option<(bool, usize)>,
}

/// Every (metric, group) pair of a scenario, in output order.
#[derive(Debug, Clone)]
pub struct Catalog {
    /// Entries.
    pub defs: Vec<MetricDef>,
}

impl Catalog {
    /// The catalog for a scenario.
    pub fn new(s: &Scenario) -> Self {
        let segs = &s.demand.segment_names;
        let mut groups: Vec<(GroupKey, Group)> = vec![(GroupKey::all(), Group::All)];
        let prios = &s.demand.priority_names;
        for (p, name) in prios.iter().enumerate() {
            groups.push((GroupKey::priority(name), Group::Priority(p)));
        }
        for (i, name) in segs.iter().enumerate() {
            groups.push((GroupKey::segment(name), Group::Segment(i)));
        }
        let mut cells = Vec::new();
        for (p, pn) in prios.iter().enumerate() {
            for (i, sn) in segs.iter().enumerate() {
                cells.push((GroupKey::cell(pn, sn), Group::Cell(p, i)));
            }
        }
        let mut d = Vec::new();
        let mut push = |metric: &'static str, key: GroupKey, quantity, kind, goal, hist| {
            d.push(MetricDef {
                metric,
                group: key.label(),
                key,
                quantity,
                kind,
                goal,
                hist,
            })
        };
        let slots = HistSlots::new(s);
        let hist_of = |g: &Group| match g {
            Group::All => Some(0),
            Group::Priority(p) => Some(slots.priority(*p)),
            Group::Segment(i) => Some(slots.segment(*i)),
            Group::Cell(..) => None,
        };
        for (name, g) in groups.iter().chain(cells.iter()) {
            push(
                "tickets_arrived",
                name.clone(),
                Quantity::Arrived(*g),
                Kind::Count,
                None,
                None,
            );
        }
        push(
            "tickets_deflected",
            GroupKey::all(),
            Quantity::Deflected(Group::All),
            Kind::Count,
            None,
            None,
        );
        push(
            "deflection_rate",
            GroupKey::all(),
            Quantity::DeflectionRate(Group::All),
            Kind::Fraction,
            None,
            None,
        );
        push(
            "arrival_rate_per_hour",
            GroupKey::all(),
            Quantity::ArrivalRatePerHour,
            Kind::Count,
            None,
            None,
        );
        push(
            "tickets_resolved",
            GroupKey::all(),
            Quantity::Resolved,
            Kind::Count,
            None,
            None,
        );
        push(
            "tickets_abandoned",
            GroupKey::all(),
            Quantity::Abandoned,
            Kind::Count,
            None,
            None,
        );
        push(
            "tickets_unresolved_at_end",
            GroupKey::all(),
            Quantity::Unresolved,
            Kind::Count,
            None,
            None,
        );
        for (name, g) in groups.iter().chain(cells.iter()) {
            push(
                "first_response_time_min",
                name.clone(),
                Quantity::FirstResponseMean(*g),
                Kind::Time,
                None,
                hist_of(g).map(|i| (true, i)),
            );
        }
        for (name, g) in groups.iter().chain(cells.iter()) {
            push(
                "resolution_time_min",
                name.clone(),
                Quantity::ResolutionMean(*g),
                Kind::Time,
                None,
                hist_of(g).map(|i| (false, i)),
            );
        }
        for (name, g) in groups.iter().take(5) {
            push(
                "first_response_time_p90_min",
                name.clone(),
                Quantity::FirstResponseQuantile(*g, 0.9),
                Kind::Duration,
                None,
                None,
            );
        }
        for (name, g) in groups.iter().take(5) {
            push(
                "resolution_time_p90_min",
                name.clone(),
                Quantity::ResolutionQuantile(*g, 0.9),
                Kind::Duration,
                None,
                None,
            );
        }
        push(
            "initial_wait_min",
            GroupKey::all(),
            Quantity::InitialWait(None),
            Kind::Duration,
            None,
            None,
        );
        for (c, name) in s.channels.names().iter().enumerate() {
            push(
                "initial_wait_min",
                GroupKey::channel(name),
                Quantity::InitialWait(Some(c)),
                Kind::Duration,
                None,
                None,
            );
        }
        push(
            "abandonment_rate",
            GroupKey::all(),
            Quantity::Abandonment(None),
            Kind::Fraction,
            None,
            None,
        );
        for c in s.channels.live() {
            let name = s.channels.name(c);
            push(
                "abandonment_rate",
                GroupKey::channel(name),
                Quantity::Abandonment(Some(c)),
                Kind::Fraction,
                None,
                None,
            );
        }
        if !s.sla.targets.is_empty() {
            for (name, g) in groups.iter().chain(cells.iter()) {
                push(
                    "sla_first_response_attainment",
                    name.clone(),
                    Quantity::FrAttainment(*g),
                    Kind::Fraction,
                    None,
                    None,
                );
            }
            for (i, t) in s.sla.targets.iter().enumerate() {
                if let Some(fr) = t.first_response {
                    push(
                        "sla_first_response_attainment",
                        GroupKey::target(&t.label),
                        Quantity::TargetFr(i),
                        Kind::Fraction,
                        Some(fr.goal),
                        None,
                    );
                }
            }
            for (name, g) in groups.iter().chain(cells.iter()) {
                push(
                    "sla_resolution_attainment",
                    name.clone(),
                    Quantity::ResAttainment(*g),
                    Kind::Fraction,
                    None,
                    None,
                );
            }
            for (i, t) in s.sla.targets.iter().enumerate() {
                if let Some(r) = t.resolution {
                    push(
                        "sla_resolution_attainment",
                        GroupKey::target(&t.label),
                        Quantity::TargetRes(i),
                        Kind::Fraction,
                        Some(r.goal),
                        None,
                    );
                }
            }
        }
        for (name, g) in groups.iter().take(5) {
            push(
                "first_contact_resolution_rate",
                name.clone(),
                Quantity::Fcr(*g),
                Kind::Fraction,
                None,
                None,
            );
        }
        push(
            "escalation_rate",
            GroupKey::all(),
            Quantity::Escalation(Group::All),
            Kind::Fraction,
            None,
            None,
        );
        push(
            "handoffs_per_ticket",
            GroupKey::all(),
            Quantity::Handoffs(Group::All),
            Kind::Count,
            None,
            None,
        );
        push(
            "re_explains_per_ticket",
            GroupKey::all(),
            Quantity::ReExplains(Group::All),
            Kind::Count,
            None,
            None,
        );
        for (i, p) in s.pools.iter().enumerate() {
            push(
                "utilisation",
                GroupKey::pool(&p.name),
                Quantity::Utilisation(i),
                Kind::Fraction,
                None,
                None,
            );
        }
        // Why a pool's utilisation is below its offered load over scheduled agents: the
        // hours spent finishing work after shift ends are present time too.
        for (i, p) in s.pools.iter().enumerate() {
            push(
                "past_shift_end_hours_per_week",
                GroupKey::pool(&p.name),
                Quantity::PastShiftEnd(i),
                Kind::Count,
                None,
                None,
            );
        }
        push(
            "agent_minutes_per_ticket",
            GroupKey::all(),
            Quantity::AgentMinutesPerTicket,
            Kind::Duration,
            None,
            None,
        );
        if s.pools.iter().any(|p| p.handover_min.is_some()) {
            push(
                "shift_handovers_per_ticket",
                GroupKey::all(),
                Quantity::Handovers,
                Kind::Count,
                None,
                None,
            );
        }
        if s.swarm.is_some() {
            push(
                "swarm_rate",
                GroupKey::all(),
                Quantity::SwarmRate,
                Kind::Fraction,
                None,
                None,
            );
            push(
                "swarm_wait_min",
                GroupKey::all(),
                Quantity::SwarmWait,
                Kind::Duration,
                None,
                None,
            );
            push(
                "helpers_per_swarm",
                GroupKey::all(),
                Quantity::HelpersPerSwarm,
                Kind::Count,
                None,
                None,
            );
        }
        if let Some(c) = &s.costs {
            for (i, pc) in c.pools.iter().enumerate() {
                push(
                    "labour_cost_usd",
                    GroupKey::pool(&pc.name),
                    Quantity::LabourCost(i),
                    Kind::Count,
                    None,
                    None,
                );
            }
            for (i, pc) in c.pools.iter().enumerate() {
                if pc.credit.is_some() {
                    push(
                        "sla_credit_usd",
                        GroupKey::pool(&pc.name),
                        Quantity::SlaCredit(i),
                        Kind::Count,
                        None,
                        None,
                    );
                }
            }
            if c.penalties {
                push(
                    "sla_penalty_usd",
                    GroupKey::all(),
                    Quantity::SlaPenalties,
                    Kind::Count,
                    None,
                    None,
                );
            }
            push(
                "vendor_cost_usd",
                GroupKey::all(),
                Quantity::VendorCost,
                Kind::Count,
                None,
                None,
            );
            push(
                "cost_usd",
                GroupKey::all(),
                Quantity::TotalCost,
                Kind::Count,
                None,
                None,
            );
            push(
                "cost_usd_per_week",
                GroupKey::all(),
                Quantity::TotalCostPerWeek,
                Kind::Count,
                None,
                None,
            );
            push(
                "cost_per_resolved_ticket_usd",
                GroupKey::all(),
                Quantity::CostPerResolved,
                Kind::Count,
                None,
                None,
            );
            let credits = c.pools.iter().any(|pc| pc.credit.is_some());
            for (w, day) in c.week_starts.iter().enumerate() {
                let line = |item: &'static str, pool: Option<&str>| GroupKey {
                    week: Some(*day),
                    item: Some(item),
                    pool: pool.map(str::to_string),
                    ..GroupKey::default()
                };
                let mut items: Vec<(GroupKey, CostItem)> = c
                    .pools
                    .iter()
                    .enumerate()
                    .map(|(i, pc)| (line("labour", Some(&pc.name)), CostItem::Pool(i)))
                    .collect();
                if credits {
                    items.push((line("sla_credits", None), CostItem::Credits));
                }
                items.push((line("vendor", None), CostItem::Vendor));
                if c.penalties {
                    items.push((line("sla_penalties", None), CostItem::Penalties));
                }
                if c.bot_per_conversation.is_some() {
                    items.push((line("bot", None), CostItem::Bot));
                }
                if super::incidents::care_usd_per_week(s) > 0.0 {
                    items.push((line("incident_care", None), CostItem::Care));
                }
                items.push((line("total", None), CostItem::Total));
                for (key, ci) in items {
                    push(
                        "weekly_cost_usd",
                        key,
                        Quantity::WeekCost(w, ci),
                        Kind::Count,
                        None,
                        None,
                    );
                }
            }
        }
        for (k, p) in s.pools.iter().enumerate() {
            push(
                "queue_length_mean_tickets",
                GroupKey::pool(&p.name),
                Quantity::QueueMean(k),
                Kind::Count,
                None,
                None,
            );
        }
        push(
            "tickets_in_system_mean",
            GroupKey::all(),
            Quantity::InSystemMean,
            Kind::Count,
            None,
            None,
        );
        push(
            "time_in_system_min",
            GroupKey::all(),
            Quantity::Sojourn,
            Kind::Duration,
            None,
            None,
        );
        push(
            "unstable_replication",
            GroupKey::all(),
            Quantity::Unstable,
            Kind::Fraction,
            None,
            None,
        );
        // Appended after the metrics of earlier versions, so their order in every table is
        // unchanged.
        for (name, g) in groups.iter().skip(1).chain(cells.iter()) {
            push(
                "tickets_resolved",
                name.clone(),
                Quantity::ResolvedIn(*g),
                Kind::Count,
                None,
                None,
            );
        }
        let policy = Policy::new(s);
        let thresholds = wait_thresholds_min(s);
        for k in 0..policy.queue_stages() {
            let st = &policy.stages[k];
            let group = GroupKey {
                stage: Some(format!("L{}", s.tiers[st.tier].level)),
                pool: Some(s.pools[st.pool].name.clone()),
                ..GroupKey::default()
            };
            push(
                "stage_wait_probability",
                group.clone(),
                Quantity::StageWaited(k),
                Kind::Fraction,
                None,
                None,
            );
            push(
                "stage_wait_min",
                group.clone(),
                Quantity::StageWaitMean(k),
                Kind::Duration,
                None,
                None,
            );
            for (metric, q) in [("stage_wait_p50_min", 0.5), ("stage_wait_p90_min", 0.9)] {
                push(
                    metric,
                    group.clone(),
                    Quantity::StageWaitQuantile(k, q),
                    Kind::Duration,
                    None,
                    None,
                );
            }
            for (i, t) in thresholds.iter().enumerate() {
                push(
                    "stage_wait_within_share",
                    group.clone().and_within(*t),
                    Quantity::StageWaitWithin(k, i),
                    Kind::Fraction,
                    None,
                    None,
                );
            }
        }
        if s.patience.iter().any(Option::is_some) {
            push(
                "time_to_abandon_min",
                GroupKey::all(),
                Quantity::AbandonWaitMean,
                Kind::Duration,
                None,
                None,
            );
            for (metric, q) in [
                ("time_to_abandon_p50_min", 0.5),
                ("time_to_abandon_p90_min", 0.9),
            ] {
                push(
                    metric,
                    GroupKey::all(),
                    Quantity::AbandonWaitQuantile(q),
                    Kind::Duration,
                    None,
                    None,
                );
            }
            for (i, t) in ABANDON_THRESHOLDS_MIN.iter().enumerate() {
                push(
                    "abandoned_within_share",
                    GroupKey::within(*t),
                    Quantity::AbandonedWithin(i),
                    Kind::Fraction,
                    None,
                    None,
                );
            }
        }
        super::customers::access_entries(s, &mut push);
        super::bot::bot_entries(s, &mut push);
        super::triage::triage_entries(s, &mut push);
        super::customers::behaviour_entries(s, &mut push);
        super::incidents::incident_entries(s, &mut push);
        super::categories::category_entries(s, &mut push);
        super::origin::origin_entries(s, &mut push);
        Catalog { defs: d }
    }

    /// Index of a (metric, group) entry.
    pub fn find(&self, metric: &str, group: &str) -> Option<usize> {
        self.defs
            .iter()
            .position(|d| d.metric == metric && d.group == group)
    }
}
