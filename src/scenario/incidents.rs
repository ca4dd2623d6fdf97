//! `[incidents]` as validated: the incident process, the contacts of affected customers, and
//! proactive care. See [`super::raw::RawIncidents`] for the keys and the README for the model.

use super::{DAY_MIN, Dist};

/// Minutes per month (30.4375 days), as for growth.
pub const MONTH_MIN: f64 = 30.4375 * DAY_MIN;

/// The validated `[incidents]` table.
#[derive(Debug, Clone)]
pub struct Incidents {
    /// Accounts per segment (the customer base).
    pub accounts: Vec<u32>,
    /// Random incidents per minute (a Poisson process over the run).
    pub rate_per_min: f64,
    /// Severity classes.
    pub severities: Vec<Severity>,
    /// Cumulative shares of the severities (the last one infinite).
    pub severity_cum: Vec<f64>,
    /// Scripted incidents, by start.
    pub scheduled: Vec<Scheduled>,
    /// Per segment: probability that an affected account contacts support.
    pub call_in: Vec<f64>,
    /// Per segment: channel mix of incident contacts.
    pub channels: Vec<Vec<f64>>,
    /// From the start of the incident to the first contact [minutes].
    pub contact_delay: Dist,
    /// Probability that a contact is followed by another.
    pub repeat_p: f64,
    /// From a contact to the next [minutes].
    pub repeat_delay: Dist,
    /// Most contacts per account and incident.
    pub max_contacts: u8,
    /// Agent time on a ticket of a known incident [minutes].
    pub link: Dist,
    /// Reports after which support detects an incident (0 = never by reports).
    pub detect_after: u32,
    /// From the fix to the bulk-closing notification [minutes].
    pub notice_delay_min: f64,
    /// Agent time per linked child closed in bulk [minutes]; `None` = no agent time.
    pub close: Option<Dist>,
    /// Proactive monitoring.
    pub monitoring: Option<Monitoring>,
    /// Proactive notifications.
    pub notifications: Option<Notifications>,
    /// Proactive outreach.
    pub outreach: Option<Outreach>,
    /// Monitoring, notification and outreach prices [USD/month].
    pub care_usd_per_month: f64,
    /// Category index of incident tickets (0 without `[categories]`; see
    /// [`super::raw::RawIncidents::category`]).
    pub category: u8,
}

/// One severity class.
#[derive(Debug, Clone)]
pub struct Severity {
    /// Name.
    pub name: String,
    /// Priority index of its tickets (0 = the most urgent).
    pub priority: u8,
    /// Required level of a full diagnosis.
    pub level: u8,
    /// Duration from start to fix [minutes].
    pub duration: Dist,
    /// Per segment: share of accounts affected.
    pub affected: Vec<f64>,
    /// Major-incident response team.
    pub response: Option<Response>,
}

/// A response team: agents pulled from pools after an assembly time.
#[derive(Debug, Clone)]
pub struct Response {
    /// (pool index among the model's pools, agents).
    pub pools: Vec<(usize, u32)>,
    /// Pool names as written (resolved to indices after the model merges pools).
    pub pool_names: Vec<String>,
    /// From detection to assembly [minutes].
    pub assembly: Dist,
    /// An incident swarm instead of (empty) named pools.
    pub swarm: Option<SwarmTeam>,
}

/// An incident swarm: an owner and experts pulled the way the swarm model pulls a session's
/// owner and helpers.
#[derive(Debug, Clone, Copy)]
pub struct SwarmTeam {
    /// The owner's pool: the swarm model's owner pool, else tier 1's (resolved after the
    /// model merges pools).
    pub owner: usize,
    /// The experts' pool: that of the tier the severity's level needs (level 4: the top
    /// tier), as [`crate::model::swarm::expert_stage`] picks helpers.
    pub expert: usize,
    /// Experts pulled; `None`: drawn per incident from the swarm model's `swarm.helpers`.
    pub experts: Option<u32>,
}

/// A scripted incident.
#[derive(Debug, Clone, Copy)]
pub struct Scheduled {
    /// Start [minutes].
    pub start_min: f64,
    /// Severity index.
    pub severity: usize,
    /// Duration [minutes], or drawn from the severity's.
    pub duration_min: Option<f64>,
    /// Affected share of every segment, or the severity's.
    pub affected_share: Option<f64>,
}

/// `[incidents.monitoring]` as validated.
#[derive(Debug, Clone, Copy)]
pub struct Monitoring {
    /// Probability of detecting an incident.
    pub detect_p: f64,
    /// Detection ahead of the start [minutes].
    pub lead_min: f64,
    /// Probability that a detected incident is prevented.
    pub prevent_p: f64,
    /// Share cut from a detected incident's duration.
    pub shorten_share: f64,
}

/// `[incidents.notifications]` as validated.
#[derive(Debug, Clone, Copy)]
pub struct Notifications {
    /// Call-in multiplier after the notification.
    pub call_in_factor: f64,
    /// From detection to notification [minutes].
    pub delay_min: f64,
}

/// `[incidents.outreach]` as validated.
#[derive(Debug, Clone)]
pub struct Outreach {
    /// Per segment: covered by health checks.
    pub segments: Vec<bool>,
    /// Pool (among the model's) whose agents do the checks.
    pub pool: usize,
    /// Pool name as written.
    pub pool_name: String,
    /// Agent time of one check (one per account per month) [minutes].
    pub check_min: f64,
    /// Accounts checked.
    pub accounts: u32,
    /// Call-in multiplier of the covered accounts.
    pub call_in_factor: f64,
}

impl Incidents {
    /// Expected tickets of one incident of severity `k` with no proactive care: affected
    /// accounts x call-in probability x expected contacts per caller.
    pub fn expected_tickets(&self, k: usize) -> f64 {
        let per_caller = self.contacts_per_caller();
        self.accounts
            .iter()
            .enumerate()
            .map(|(g, &n)| {
                (self.severities[k].affected[g] * n as f64).round() * self.call_in[g] * per_caller
            })
            .sum()
    }

    /// Expected contacts of a calling account: 1 + q + q^2 + ... (max_contacts terms).
    pub fn contacts_per_caller(&self) -> f64 {
        (0..self.max_contacts as i32)
            .map(|n| self.repeat_p.powi(n))
            .sum()
    }
}
