//! What a metric measures: the ticket groups ([`Group`]), the quantities computed from a
//! recorder ([`Quantity`]) and the kind of number each is ([`Kind`]). The catalog
//! (`catalog.rs`) decides which of them a scenario reports, and in what order.

use super::money::CostItem;
use crate::stats::summary::Estimate;

/// A subset of tickets.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Group {
    /// Every ticket.
    All,
    /// One priority (0 = P1).
    Priority(usize),
    /// One segment.
    Segment(usize),
    /// One priority x segment cell.
    Cell(usize, usize),
}

impl Group {
    /// Whether the group holds the tickets of priority `p` and segment `segment`.
    pub fn contains(self, p: usize, segment: usize) -> bool {
        match self {
            Group::All => true,
            Group::Priority(q) => q == p,
            Group::Segment(g) => g == segment,
            Group::Cell(q, g) => q == p && g == segment,
        }
    }
}

/// How a catalog entry is computed from a [`Recorder`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Quantity {
    /// Tickets arrived in the window.
    Arrived(Group),
    /// Tickets deflected.
    Deflected(Group),
    /// Deflected / arrived.
    DeflectionRate(Group),
    /// Non-deflected arrivals per hour.
    ArrivalRatePerHour,
    /// Mean first-response time.
    FirstResponseMean(Group),
    /// Mean resolution time.
    ResolutionMean(Group),
    /// Per-replication first-response quantile.
    FirstResponseQuantile(Group, f64),
    /// Per-replication resolution quantile.
    ResolutionQuantile(Group, f64),
    /// Mean wait until first agent or abandonment, per channel or all.
    InitialWait(Option<usize>),
    /// Abandoned / live arrivals, per channel or all live channels.
    Abandonment(Option<usize>),
    /// First-response attainment over covered cells of a group.
    FrAttainment(Group),
    /// Resolution attainment over covered cells of a group.
    ResAttainment(Group),
    /// First-response attainment of one SLA target.
    TargetFr(usize),
    /// Resolution attainment of one SLA target.
    TargetRes(usize),
    /// First-contact resolution rate.
    Fcr(Group),
    /// Escalation rate.
    Escalation(Group),
    /// Handoffs per resolved ticket.
    Handoffs(Group),
    /// Re-explains per resolved ticket.
    ReExplains(Group),
    /// Busy / on-duty agent time of a pool.
    Utilisation(usize),
    /// Agent-hours a pool is present past its shifts' ends (finishing or resting after the
    /// work in hand) per week of the window.
    PastShiftEnd(usize),
    /// Time-average queue length of a pool.
    QueueMean(usize),
    /// Share of resolved tickets that needed a swarm session.
    SwarmRate,
    /// Mean wait from swarm request to session start.
    SwarmWait,
    /// Mean helpers per swarm session.
    HelpersPerSwarm,
    /// Busy agent-minutes in the window per non-deflected ticket arrived in it.
    AgentMinutesPerTicket,
    /// Paid labour of one file pool over the window [USD].
    LabourCost(usize),
    /// SLA credits of one file pool's contract over the window [USD].
    SlaCredit(usize),
    /// SLA penalties paid to customers over the window [USD].
    SlaPenalties,
    /// One line of one invoice week [USD].
    WeekCost(usize, CostItem),
    /// Hand-overs at shift end per non-deflected ticket.
    Handovers,
    /// Vendor price of the window's tickets handed to the vendor [USD].
    VendorCost,
    /// Labour + vendor - credits + penalties [USD].
    TotalCost,
    /// Total cost per resolved ticket [USD].
    CostPerResolved,
    /// Total cost per week of the window [USD/week].
    TotalCostPerWeek,
    /// Time-average tickets in system.
    InSystemMean,
    /// Mean time in system (resolved or abandoned).
    Sojourn,
    /// Tickets resolved.
    Resolved,
    /// Tickets open at the end.
    Unresolved,
    /// Tickets abandoned.
    Abandoned,
    /// 1 when the replication hit the open-ticket cap.
    Unstable,
    /// Tickets resolved in a group.
    ResolvedIn(Group),
    /// Share of a stage's waits longer than zero, P(wait > 0).
    StageWaited(usize),
    /// Mean wait at a stage [minutes].
    StageWaitMean(usize),
    /// Per-replication quantile of the waits at a stage [minutes].
    StageWaitQuantile(usize, f64),
    /// Share of a stage's waits at or below threshold i of the first-response limits.
    StageWaitWithin(usize, usize),
    /// Mean wait of live customers until they abandoned [minutes].
    AbandonWaitMean,
    /// Per-replication quantile of the waits until abandoning [minutes].
    AbandonWaitQuantile(f64),
    /// Share of abandoners that abandoned within abandonment threshold i.
    AbandonedWithin(usize),
    /// Contacts that arrived on a live channel with access rules.
    ContactsOffered(usize),
    /// First responses to tickets of a channel.
    ContactsAnswered(usize),
    /// Contacts that found their channel closed and went away.
    ContactsTurnedAway(usize),
    /// Contacts that found their channel's queue full and went away.
    ContactsBlockedLost(usize),
    /// Contacts that found their channel closed or full and left a message.
    ContactsLeftMessage(usize),
    /// Share of a channel's contacts that found its queue full.
    BlockingProbability(usize),
    /// Share of a channel's contacts that found it closed.
    ClosedShare(usize),
    /// Tickets that went away at the door (closed or full), all channels.
    TicketsRefused,
    /// A tier-0 metric, for one channel or all (`None`).
    Bot(super::bot::BotMetric, Option<usize>),
    /// A triage metric.
    Triage(super::triage::TriageMetric),
    /// An incident metric.
    Incident(super::incidents::IncidentMetric),
    /// Contacts: first contacts and retrials of non-deflected tickets.
    Contacts,
    /// Retrials (contacts after the first).
    RetrialContacts,
    /// Retrials per non-deflected ticket.
    RetrialsPerTicket,
    /// Chasers sent.
    Chasers,
    /// Chasers per non-deflected ticket.
    ChasersPerTicket,
    /// Net containment of a maturing bot in week w of the measured window.
    BotWeek(usize),
    /// A callback metric (`[customers.callbacks]`).
    Callback(super::customers::CallbackMetric),
    /// A per-category metric of category i.
    Category(super::categories::CategoryMetric, usize),
    /// A backlog metric of origin i (0 new, 1 backlog; `[initial_state]`).
    Origin(super::origin::OriginMetric, usize),
}

/// What kind of number a metric is (drives formatting and quantile columns).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A duration [minutes] with pooled quantiles from a histogram.
    Time,
    /// A duration [minutes] without histogram.
    Duration,
    /// A fraction in [0, 1].
    Fraction,
    /// A count or average count.
    Count,
}

impl Kind {
    /// The values a quantity of this kind can take, for confidence bounds: times and counts
    /// whose mean is not negative are at least 0, fractions lie in [0, 1].
    pub fn support(self, mean: f64) -> (f64, f64) {
        match self {
            Kind::Time | Kind::Duration => (0.0, f64::INFINITY),
            Kind::Fraction => (0.0, 1.0),
            Kind::Count if mean >= 0.0 => (0.0, f64::INFINITY),
            Kind::Count => (f64::NEG_INFINITY, f64::INFINITY),
        }
    }

    /// The estimate of a quantity of this kind from replication values, its confidence
    /// bounds cut to the kind's [`Kind::support`]: every reported estimate (summary, compare)
    /// is made here.
    pub fn estimate(self, values: impl IntoIterator<Item = f64>) -> Estimate {
        let e = Estimate::from_values(values);
        let (lo, hi) = self.support(e.mean);
        e.within(lo, hi)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reported_estimates_stay_within_their_kind_support() {
        // Five replications of an attainment near 1: the plain t-interval passes 1.
        let shares = [0.97, 1.0, 1.0, 0.99, 1.0];
        assert!(Estimate::from_values(shares).ci_high > 1.0);
        let e = Kind::Fraction.estimate(shares);
        assert_eq!(e.ci_high, 1.0);
        assert_eq!(e.mean, Estimate::from_values(shares).mean);
        // A skewed time: the t-interval goes below 0.
        let times = [1.0, 1.0, 1.0, 1.0, 400.0];
        assert!(Estimate::from_values(times).ci_low < 0.0);
        assert_eq!(Kind::Time.estimate(times).ci_low, 0.0);
        // A count whose mean is negative (a difference) keeps both bounds, across 0 here;
        // one replication keeps NaN bounds.
        let d = Kind::Count.estimate([-5.0, -1.0, -9.0]);
        assert!(d.ci_low < 0.0 && d.ci_high > 0.0, "{d:?}");
        assert!(Kind::Fraction.estimate([0.5]).ci_low.is_nan());
    }
}
