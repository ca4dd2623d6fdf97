//! What one replication measures, and the catalog of metrics computed from it.
//!
//! The engine feeds a [`Recorder`] with counters and time integrals (never per-ticket lists,
//! so memory does not grow with tickets). The [`Catalog`] lists every (metric, group) pair a
//! scenario reports, in a fixed order; each replication turns its recorder into one value per
//! catalog entry, which is what the Monte Carlo layer aggregates.

use crate::scenario::{CHANNELS, Costs, PRIORITIES, Scenario};
use crate::stats::hist::LogHistogram;

/// Counters for one priority x segment cell (measured tickets only).
#[derive(Debug, Clone, Default)]
pub struct Cell {
    /// Arrived in the measured window (deflected included).
    pub arrived: u64,
    /// Deflected by self-service.
    pub deflected: u64,
    /// Got a first response.
    pub responded: u64,
    /// Sum of first-response times [minutes].
    pub fr_sum: f64,
    /// Resolved.
    pub resolved: u64,
    /// Sum of resolution times [minutes].
    pub res_sum: f64,
    /// Abandoned while waiting.
    pub abandoned: u64,
    /// Still open when the run ended.
    pub unresolved: u64,
    /// Tickets covered by a first-response target / meeting it.
    pub fr_covered: u64,
    /// Met the first-response target.
    pub fr_met: u64,
    /// Covered by a resolution target.
    pub res_covered: u64,
    /// Met the resolution target.
    pub res_met: u64,
    /// Resolved by the first agent who touched them.
    pub fcr: u64,
    /// Resolved after at least one escalation.
    pub escalated: u64,
    /// Handoffs summed over resolved tickets.
    pub handoffs: u64,
    /// Re-explains summed over resolved tickets.
    pub re_explains: u64,
    /// Time in system summed over resolved and abandoned tickets [minutes].
    pub sojourn_sum: f64,
    /// Resolved with a swarm session.
    pub swarmed: u64,
}

/// Time-weighted integral of a step function over the measured window.
#[derive(Debug, Clone, Copy, Default)]
pub struct Integral {
    last: f64,
    value: f64,
    /// Integral over the window so far [value x minutes].
    pub area: f64,
}

impl Integral {
    /// Moves to time `t` (accumulating the overlap with `[w0, w1)`) and sets a new value.
    #[inline]
    pub fn set(&mut self, t: f64, value: f64, w0: f64, w1: f64) {
        self.advance(t, w0, w1);
        self.value = value;
    }

    /// Accumulates up to time `t` without changing the value.
    #[inline]
    pub fn advance(&mut self, t: f64, w0: f64, w1: f64) {
        let a = self.last.max(w0);
        let b = t.min(w1);
        if b > a {
            self.area += (b - a) * self.value;
        }
        self.last = t;
    }

    /// Current value.
    #[inline]
    pub fn value(&self) -> f64 {
        self.value
    }
}

/// Everything one replication measures.
#[derive(Debug, Clone)]
pub struct Recorder {
    /// Segments in the scenario.
    pub segments: usize,
    /// Cells indexed `priority * segments + segment`.
    pub cells: Vec<Cell>,
    /// First-response histograms: all, P1..P4, then each segment.
    pub fr_hist: Vec<LogHistogram>,
    /// Resolution histograms, same layout.
    pub res_hist: Vec<LogHistogram>,
    /// Per channel: non-deflected measured arrivals.
    pub channel_arrived: [u64; 3],
    /// Per channel: abandoned.
    pub channel_abandoned: [u64; 3],
    /// Per channel: sum and count of initial waits (until first agent or abandonment) [minutes].
    pub channel_wait: [(f64, u64); 3],
    /// Per SLA target: (covered, met) for first response and for resolution.
    pub target_fr: Vec<(u64, u64)>,
    /// Per SLA target: resolution (covered, met).
    pub target_res: Vec<(u64, u64)>,
    /// Busy agents per pool.
    pub busy: Vec<Integral>,
    /// Agents on duty per pool.
    pub staffed: Vec<Integral>,
    /// Queue length per pool.
    pub queued: Vec<Integral>,
    /// Prices (a copy of the scenario's), when anything is priced.
    pub costs: Option<Costs>,
    /// Invoice weeks of the window (1 when nothing is priced).
    pub weeks: usize,
    /// Per SLA target: goals of (first response, resolution) (0 where absent).
    pub goals: Vec<[f64; 2]>,
    /// Per SLA target: penalties per breach of (first response, resolution) [USD].
    pub penalties: Vec<[f64; 2]>,
    /// Measured tickets handed over at a shift end (each hand-over counted).
    pub handovers: u64,
    /// Measured tickets handed to the vendor.
    pub vendor_tickets: u64,
    /// Per invoice week (of arrival): measured tickets handed to the vendor.
    pub week_vendor: Vec<u64>,
    /// Per tier x invoice week (`tier * weeks + week`): measured tickets the tier handled
    /// (counted only when priced, like the two below).
    pub week_handled: Vec<u64>,
    /// Per SLA target x invoice week: first response (covered, met).
    pub week_fr: Vec<(u64, u64)>,
    /// Per SLA target x invoice week: resolution (covered, met).
    pub week_res: Vec<(u64, u64)>,
    /// Swarm sessions started for measured tickets.
    pub swarms: u64,
    /// Waits of those sessions from request to start, summed [minutes].
    pub swarm_wait_sum: f64,
    /// Helpers of those sessions, summed.
    pub helpers_sum: u64,
    /// Open (non-deflected) tickets in the system.
    pub in_system: Integral,
    /// Measured window [minutes].
    pub window: (f64, f64),
    /// Stopped early at the open-ticket cap.
    pub unstable: bool,
    /// Events processed.
    pub events: u64,
    /// Tickets created (whole run, measured or not).
    pub tickets: u64,
}

impl Recorder {
    /// An empty recorder for a scenario.
    pub fn new(s: &Scenario) -> Self {
        let ns = s.segment_count();
        let weeks = s.costs.as_ref().map_or(1, |c| c.weeks.len());
        Recorder {
            segments: ns,
            cells: vec![Cell::default(); 4 * ns],
            fr_hist: vec![LogHistogram::new(); 5 + ns],
            res_hist: vec![LogHistogram::new(); 5 + ns],
            channel_arrived: [0; 3],
            channel_abandoned: [0; 3],
            channel_wait: [(0.0, 0); 3],
            target_fr: vec![(0, 0); s.sla.targets.len()],
            target_res: vec![(0, 0); s.sla.targets.len()],
            busy: vec![Integral::default(); s.pools.len()],
            staffed: vec![Integral::default(); s.pools.len()],
            queued: vec![Integral::default(); s.pools.len()],
            costs: s.costs.clone(),
            weeks,
            goals: s
                .sla
                .targets
                .iter()
                .map(|t| [t.first_response, t.resolution].map(|x| x.map_or(0.0, |x| x.goal)))
                .collect(),
            penalties: s
                .sla
                .targets
                .iter()
                .map(|t| [t.first_response, t.resolution].map(|x| x.map_or(0.0, |x| x.penalty_usd)))
                .collect(),
            handovers: 0,
            vendor_tickets: 0,
            week_vendor: vec![0; weeks],
            week_handled: vec![0; s.tiers.len() * weeks],
            week_fr: vec![(0, 0); s.sla.targets.len() * weeks],
            week_res: vec![(0, 0); s.sla.targets.len() * weeks],
            swarms: 0,
            swarm_wait_sum: 0.0,
            helpers_sum: 0,
            in_system: Integral::default(),
            window: (s.run.warmup_min, s.run.window_end_min()),
            unstable: false,
            events: 0,
            tickets: 0,
        }
    }

    /// Invoice week of a measured ticket that arrived at `arrival` [minutes].
    #[inline]
    pub fn week_of(&self, arrival: f64) -> usize {
        if self.weeks == 1 {
            return 0;
        }
        let w = ((arrival - self.window.0) / (7.0 * 1440.0)).max(0.0) as usize;
        w.min(self.weeks - 1)
    }

    /// Counts a measured ticket against SLA target `k` (first response or resolution), in
    /// total and, when the scenario is priced (credits and penalties need it), in the invoice
    /// week it arrived.
    #[inline]
    pub fn count_target(&mut self, k: usize, resolution: bool, arrival: f64, met: bool) {
        let total = if resolution {
            &mut self.target_res[k]
        } else {
            &mut self.target_fr[k]
        };
        total.0 += 1;
        total.1 += u64::from(met);
        if self.costs.is_some() {
            let i = k * self.weeks + self.week_of(arrival);
            let week = if resolution {
                &mut self.week_res[i]
            } else {
                &mut self.week_fr[i]
            };
            week.0 += 1;
            week.1 += u64::from(met);
        }
    }

    /// The money of one invoice week.
    pub fn week_money(&self, w: usize) -> WeekMoney {
        let Some(c) = &self.costs else {
            return WeekMoney::default();
        };
        let n = self.weeks;
        let wl = c.weeks[w];
        let mut out = WeekMoney {
            pools: Vec::with_capacity(c.pools.len()),
            credits: Vec::with_capacity(c.pools.len()),
            vendor: self.week_vendor[w] as f64 * c.vendor_per_ticket,
            penalties: 0.0,
        };
        for pc in &c.pools {
            let handled: u64 = pc.tiers.iter().map(|&k| self.week_handled[k * n + w]).sum();
            let tickets = (handled as f64).max(pc.minimum_tickets_per_week * wl);
            let gross = pc.hourly_usd[w] + pc.per_ticket_usd * tickets;
            let credit = pc.credit.as_ref().map_or(0.0, |cr| {
                let misses = cr
                    .targets
                    .iter()
                    .filter(|&&(k, res)| {
                        let (covered, met) = if res {
                            self.week_res[k as usize * n + w]
                        } else {
                            self.week_fr[k as usize * n + w]
                        };
                        let goal = self.goals[k as usize][usize::from(res)];
                        covered > 0 && (met as f64) < goal * covered as f64
                    })
                    .count();
                gross * (misses as f64 * cr.per_miss_share).min(cr.at_risk_share)
            });
            out.pools.push(gross);
            out.credits.push(credit);
        }
        if c.penalties {
            for (k, pen) in self.penalties.iter().enumerate() {
                let (fc, fm) = self.week_fr[k * n + w];
                let (rc, rm) = self.week_res[k * n + w];
                out.penalties += (fc - fm) as f64 * pen[0] + (rc - rm) as f64 * pen[1];
            }
        }
        out
    }

    /// The money of the whole window (every invoice week summed).
    pub fn money(&self) -> WeekMoney {
        let mut total = WeekMoney::default();
        for w in 0..self.weeks {
            total.add(&self.week_money(w));
        }
        total
    }

    fn total_cost(&self) -> f64 {
        self.money().total()
    }

    fn sum_cells(&self, sel: Group) -> Cell {
        let mut out = Cell::default();
        for p in 0..4 {
            for s in 0..self.segments {
                let keep = match sel {
                    Group::All => true,
                    Group::Priority(x) => x == p,
                    Group::Segment(x) => x == s,
                    Group::Cell(a, b) => a == p && b == s,
                };
                if !keep {
                    continue;
                }
                let c = &self.cells[p * self.segments + s];
                out.arrived += c.arrived;
                out.deflected += c.deflected;
                out.responded += c.responded;
                out.fr_sum += c.fr_sum;
                out.resolved += c.resolved;
                out.res_sum += c.res_sum;
                out.abandoned += c.abandoned;
                out.unresolved += c.unresolved;
                out.fr_covered += c.fr_covered;
                out.fr_met += c.fr_met;
                out.res_covered += c.res_covered;
                out.res_met += c.res_met;
                out.fcr += c.fcr;
                out.escalated += c.escalated;
                out.handoffs += c.handoffs;
                out.re_explains += c.re_explains;
                out.sojourn_sum += c.sojourn_sum;
                out.swarmed += c.swarmed;
            }
        }
        out
    }

    fn hist_index(&self, g: Group) -> Option<usize> {
        match g {
            Group::All => Some(0),
            Group::Priority(p) => Some(1 + p),
            Group::Segment(s) => Some(5 + s),
            _ => None,
        }
    }

    /// Value of one catalog entry; NaN when the replication has no data for it.
    pub fn value(&self, q: &Quantity) -> f64 {
        let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { f64::NAN };
        let window_min = self.window.1 - self.window.0;
        match *q {
            Quantity::Arrived(g) => self.sum_cells(g).arrived as f64,
            Quantity::Deflected(g) => self.sum_cells(g).deflected as f64,
            Quantity::DeflectionRate(g) => {
                let c = self.sum_cells(g);
                ratio(c.deflected as f64, c.arrived as f64)
            }
            Quantity::ArrivalRatePerHour => {
                let c = self.sum_cells(Group::All);
                (c.arrived - c.deflected) as f64 / window_min * 60.0
            }
            Quantity::FirstResponseMean(g) => {
                let c = self.sum_cells(g);
                ratio(c.fr_sum, c.responded as f64)
            }
            Quantity::ResolutionMean(g) => {
                let c = self.sum_cells(g);
                ratio(c.res_sum, c.resolved as f64)
            }
            Quantity::FirstResponseQuantile(g, q) => self
                .hist_index(g)
                .map_or(f64::NAN, |i| self.fr_hist[i].quantile(q)),
            Quantity::ResolutionQuantile(g, q) => self
                .hist_index(g)
                .map_or(f64::NAN, |i| self.res_hist[i].quantile(q)),
            Quantity::InitialWait(ch) => {
                let (s, n) = match ch {
                    Some(c) => self.channel_wait[c],
                    None => self
                        .channel_wait
                        .iter()
                        .fold((0.0, 0), |a, b| (a.0 + b.0, a.1 + b.1)),
                };
                ratio(s, n as f64)
            }
            Quantity::Abandonment(ch) => match ch {
                Some(c) => ratio(
                    self.channel_abandoned[c] as f64,
                    self.channel_arrived[c] as f64,
                ),
                None => ratio(
                    (self.channel_abandoned[1] + self.channel_abandoned[2]) as f64,
                    (self.channel_arrived[1] + self.channel_arrived[2]) as f64,
                ),
            },
            Quantity::FrAttainment(g) => {
                let c = self.sum_cells(g);
                ratio(c.fr_met as f64, c.fr_covered as f64)
            }
            Quantity::ResAttainment(g) => {
                let c = self.sum_cells(g);
                ratio(c.res_met as f64, c.res_covered as f64)
            }
            Quantity::TargetFr(i) => ratio(self.target_fr[i].1 as f64, self.target_fr[i].0 as f64),
            Quantity::TargetRes(i) => {
                ratio(self.target_res[i].1 as f64, self.target_res[i].0 as f64)
            }
            Quantity::Fcr(g) => {
                let c = self.sum_cells(g);
                ratio(c.fcr as f64, c.resolved as f64)
            }
            Quantity::Escalation(g) => {
                let c = self.sum_cells(g);
                ratio(c.escalated as f64, c.resolved as f64)
            }
            Quantity::Handoffs(g) => {
                let c = self.sum_cells(g);
                ratio(c.handoffs as f64, c.resolved as f64)
            }
            Quantity::ReExplains(g) => {
                let c = self.sum_cells(g);
                ratio(c.re_explains as f64, c.resolved as f64)
            }
            Quantity::Utilisation(p) => ratio(self.busy[p].area, self.staffed[p].area),
            Quantity::QueueMean(p) => self.queued[p].area / window_min,
            Quantity::SwarmRate => {
                let c = self.sum_cells(Group::All);
                ratio(c.swarmed as f64, c.resolved as f64)
            }
            Quantity::SwarmWait => ratio(self.swarm_wait_sum, self.swarms as f64),
            Quantity::HelpersPerSwarm => ratio(self.helpers_sum as f64, self.swarms as f64),
            Quantity::LabourCost(i) => self.money().pools[i],
            Quantity::SlaCredit(i) => self.money().credits[i],
            Quantity::SlaPenalties => self.money().penalties,
            Quantity::WeekCost(w, item) => {
                let m = self.week_money(w);
                match item {
                    CostItem::Pool(i) => m.pools[i],
                    CostItem::Credits => m.credits.iter().sum(),
                    CostItem::Vendor => m.vendor,
                    CostItem::Penalties => m.penalties,
                    CostItem::Total => m.total(),
                }
            }
            Quantity::Handovers => {
                let c = self.sum_cells(Group::All);
                ratio(self.handovers as f64, (c.arrived - c.deflected) as f64)
            }
            Quantity::VendorCost => self.money().vendor,
            Quantity::TotalCost => self.total_cost(),
            Quantity::TotalCostPerWeek => self.total_cost() / (window_min / (7.0 * 1440.0)),
            Quantity::CostPerResolved => {
                let c = self.sum_cells(Group::All);
                ratio(self.total_cost(), c.resolved as f64)
            }
            Quantity::AgentMinutesPerTicket => {
                let c = self.sum_cells(Group::All);
                let busy: f64 = self.busy.iter().map(|b| b.area).sum();
                ratio(busy, (c.arrived - c.deflected) as f64)
            }
            Quantity::InSystemMean => self.in_system.area / window_min,
            Quantity::Sojourn => {
                let c = self.sum_cells(Group::All);
                ratio(c.sojourn_sum, (c.resolved + c.abandoned) as f64)
            }
            Quantity::Resolved => self.sum_cells(Group::All).resolved as f64,
            Quantity::Unresolved => self.sum_cells(Group::All).unresolved as f64,
            Quantity::Abandoned => self.sum_cells(Group::All).abandoned as f64,
            Quantity::Unstable => f64::from(u8::from(self.unstable)),
        }
    }
}

/// Money of one invoice week or of the whole window [USD].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WeekMoney {
    /// Per file pool: pay (internal) or invoice before credits (outsourced).
    pub pools: Vec<f64>,
    /// Per file pool: SLA credits the provider gives back.
    pub credits: Vec<f64>,
    /// Vendor (L4) price of the tickets handed over.
    pub vendor: f64,
    /// Penalties paid to customers for SLA breaches.
    pub penalties: f64,
}

impl WeekMoney {
    /// Adds another week.
    pub fn add(&mut self, o: &WeekMoney) {
        self.pools.resize(o.pools.len().max(self.pools.len()), 0.0);
        self.credits
            .resize(o.credits.len().max(self.credits.len()), 0.0);
        for (a, b) in self.pools.iter_mut().zip(&o.pools) {
            *a += b;
        }
        for (a, b) in self.credits.iter_mut().zip(&o.credits) {
            *a += b;
        }
        self.vendor += o.vendor;
        self.penalties += o.penalties;
    }

    /// Pools + vendor - credits + penalties.
    pub fn total(&self) -> f64 {
        self.pools.iter().sum::<f64>() - self.credits.iter().sum::<f64>()
            + self.vendor
            + self.penalties
    }
}

/// One line of the weekly cost table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CostItem {
    /// A file pool's pay or invoice before credits.
    Pool(usize),
    /// SLA credits of all pools (a negative cost, reported as a positive amount).
    Credits,
    /// Vendor price.
    Vendor,
    /// SLA penalties.
    Penalties,
    /// Everything.
    Total,
}

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

/// One (metric, group) pair a scenario reports.
#[derive(Debug, Clone)]
pub struct MetricDef {
    /// snake_case metric name with unit.
    pub metric: &'static str,
    /// Group label like `all`, `priority=P1`, `pool=l1`.
    pub group: String,
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
        let mut groups: Vec<(String, Group)> = vec![("all".into(), Group::All)];
        for (p, name) in PRIORITIES.iter().enumerate() {
            groups.push((format!("priority={name}"), Group::Priority(p)));
        }
        for (i, name) in segs.iter().enumerate() {
            groups.push((format!("segment={name}"), Group::Segment(i)));
        }
        let mut cells = Vec::new();
        for (p, pn) in PRIORITIES.iter().enumerate() {
            for (i, sn) in segs.iter().enumerate() {
                cells.push((format!("priority={pn},segment={sn}"), Group::Cell(p, i)));
            }
        }
        let mut d = Vec::new();
        let mut push = |metric: &'static str, group: String, quantity, kind, goal, hist| {
            d.push(MetricDef {
                metric,
                group,
                quantity,
                kind,
                goal,
                hist,
            })
        };
        let hist_of = |g: &Group| match g {
            Group::All => Some(0),
            Group::Priority(p) => Some(1 + p),
            Group::Segment(i) => Some(5 + i),
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
            "all".into(),
            Quantity::Deflected(Group::All),
            Kind::Count,
            None,
            None,
        );
        push(
            "deflection_rate",
            "all".into(),
            Quantity::DeflectionRate(Group::All),
            Kind::Fraction,
            None,
            None,
        );
        push(
            "arrival_rate_per_hour",
            "all".into(),
            Quantity::ArrivalRatePerHour,
            Kind::Count,
            None,
            None,
        );
        push(
            "tickets_resolved",
            "all".into(),
            Quantity::Resolved,
            Kind::Count,
            None,
            None,
        );
        push(
            "tickets_abandoned",
            "all".into(),
            Quantity::Abandoned,
            Kind::Count,
            None,
            None,
        );
        push(
            "tickets_unresolved_at_end",
            "all".into(),
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
            "all".into(),
            Quantity::InitialWait(None),
            Kind::Duration,
            None,
            None,
        );
        for (c, name) in CHANNELS.iter().enumerate() {
            push(
                "initial_wait_min",
                format!("channel={name}"),
                Quantity::InitialWait(Some(c)),
                Kind::Duration,
                None,
                None,
            );
        }
        push(
            "abandonment_rate",
            "all".into(),
            Quantity::Abandonment(None),
            Kind::Fraction,
            None,
            None,
        );
        for (c, name) in CHANNELS.iter().enumerate().skip(1) {
            push(
                "abandonment_rate",
                format!("channel={name}"),
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
                        format!("target={}", t.label),
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
                        format!("target={}", t.label),
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
            "all".into(),
            Quantity::Escalation(Group::All),
            Kind::Fraction,
            None,
            None,
        );
        push(
            "handoffs_per_ticket",
            "all".into(),
            Quantity::Handoffs(Group::All),
            Kind::Count,
            None,
            None,
        );
        push(
            "re_explains_per_ticket",
            "all".into(),
            Quantity::ReExplains(Group::All),
            Kind::Count,
            None,
            None,
        );
        for (i, p) in s.pools.iter().enumerate() {
            push(
                "utilisation",
                format!("pool={}", p.name),
                Quantity::Utilisation(i),
                Kind::Fraction,
                None,
                None,
            );
        }
        push(
            "agent_minutes_per_ticket",
            "all".into(),
            Quantity::AgentMinutesPerTicket,
            Kind::Duration,
            None,
            None,
        );
        if s.pools.iter().any(|p| p.handover_min.is_some()) {
            push(
                "shift_handovers_per_ticket",
                "all".into(),
                Quantity::Handovers,
                Kind::Count,
                None,
                None,
            );
        }
        if s.swarm.is_some() {
            push(
                "swarm_rate",
                "all".into(),
                Quantity::SwarmRate,
                Kind::Fraction,
                None,
                None,
            );
            push(
                "swarm_wait_min",
                "all".into(),
                Quantity::SwarmWait,
                Kind::Duration,
                None,
                None,
            );
            push(
                "helpers_per_swarm",
                "all".into(),
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
                    format!("pool={}", pc.name),
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
                        format!("pool={}", pc.name),
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
                    "all".into(),
                    Quantity::SlaPenalties,
                    Kind::Count,
                    None,
                    None,
                );
            }
            push(
                "vendor_cost_usd",
                "all".into(),
                Quantity::VendorCost,
                Kind::Count,
                None,
                None,
            );
            push(
                "cost_usd",
                "all".into(),
                Quantity::TotalCost,
                Kind::Count,
                None,
                None,
            );
            push(
                "cost_usd_per_week",
                "all".into(),
                Quantity::TotalCostPerWeek,
                Kind::Count,
                None,
                None,
            );
            push(
                "cost_per_resolved_ticket_usd",
                "all".into(),
                Quantity::CostPerResolved,
                Kind::Count,
                None,
                None,
            );
            let credits = c.pools.iter().any(|pc| pc.credit.is_some());
            for (w, day) in c.week_starts.iter().enumerate() {
                let mut items: Vec<(String, CostItem)> = c
                    .pools
                    .iter()
                    .enumerate()
                    .map(|(i, pc)| (format!("pool={}", pc.name), CostItem::Pool(i)))
                    .collect();
                if credits {
                    items.push(("sla_credits".into(), CostItem::Credits));
                }
                items.push(("vendor".into(), CostItem::Vendor));
                if c.penalties {
                    items.push(("sla_penalties".into(), CostItem::Penalties));
                }
                items.push(("total".into(), CostItem::Total));
                for (item, ci) in items {
                    push(
                        "weekly_cost_usd",
                        format!("week={day} {item}"),
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
                format!("pool={}", p.name),
                Quantity::QueueMean(k),
                Kind::Count,
                None,
                None,
            );
        }
        push(
            "tickets_in_system_mean",
            "all".into(),
            Quantity::InSystemMean,
            Kind::Count,
            None,
            None,
        );
        push(
            "time_in_system_min",
            "all".into(),
            Quantity::Sojourn,
            Kind::Duration,
            None,
            None,
        );
        push(
            "unstable_replication",
            "all".into(),
            Quantity::Unstable,
            Kind::Fraction,
            None,
            None,
        );
        Catalog { defs: d }
    }

    /// Index of a (metric, group) entry.
    pub fn find(&self, metric: &str, group: &str) -> Option<usize> {
        self.defs
            .iter()
            .position(|d| d.metric == metric && d.group == group)
    }
}
