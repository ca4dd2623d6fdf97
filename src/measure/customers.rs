//! Catalog entries of the optional rules on the customer's path: the door of each live
//! channel (`[access]`), retrials and chasers (`[customers.*]`). Files without them add none,
//! so their catalogs stay as they were.

use super::catalog::{GroupKey, Kind, Quantity};
use super::recorder::CallbackCounts;
use super::values::ratio;
use crate::scenario::Scenario;

/// Entries of the channels with `[access]` rules (none for files without them, whose
/// catalog stays as it was).
pub(super) fn access_entries(
    s: &Scenario,
    push: &mut impl FnMut(&'static str, GroupKey, Quantity, Kind, Option<f64>, Option<(bool, usize)>),
) {
    let reported: Vec<usize> = (0..s.channels.len())
        .filter(|&c| s.access[c].reported)
        .collect();
    if reported.is_empty() {
        return;
    }
    push(
        "tickets_refused",
        GroupKey::all(),
        Quantity::TicketsRefused,
        Kind::Count,
        None,
        None,
    );
    for &c in &reported {
        let g = GroupKey::channel(s.channels.name(c));
        let entries: [(&'static str, Quantity, Kind); 7] = [
            (
                "contacts_offered",
                Quantity::ContactsOffered(c),
                Kind::Count,
            ),
            (
                "contacts_answered",
                Quantity::ContactsAnswered(c),
                Kind::Count,
            ),
            (
                "contacts_turned_away",
                Quantity::ContactsTurnedAway(c),
                Kind::Count,
            ),
            (
                "contacts_blocked_lost",
                Quantity::ContactsBlockedLost(c),
                Kind::Count,
            ),
            (
                "contacts_left_message",
                Quantity::ContactsLeftMessage(c),
                Kind::Count,
            ),
            (
                "blocking_probability",
                Quantity::BlockingProbability(c),
                Kind::Fraction,
            ),
            ("closed_share", Quantity::ClosedShare(c), Kind::Fraction),
        ];
        for (metric, q, kind) in entries {
            push(metric, g.clone(), q, kind, None, None);
        }
    }
}

/// Entries of retrials and chasers, for files that use them.
pub(super) fn behaviour_entries(
    s: &Scenario,
    push: &mut impl FnMut(&'static str, GroupKey, Quantity, Kind, Option<f64>, Option<(bool, usize)>),
) {
    let retrials = [
        ("contacts", Quantity::Contacts),
        ("retrial_contacts", Quantity::RetrialContacts),
        ("retrials_per_ticket", Quantity::RetrialsPerTicket),
    ];
    let chasers = [
        ("chasers", Quantity::Chasers),
        ("chasers_per_ticket", Quantity::ChasersPerTicket),
    ];
    let used = [
        (s.behaviour.retrials.is_some(), &retrials[..]),
        (s.behaviour.chasers.is_some(), &chasers[..]),
    ];
    for (metric, q) in used.into_iter().filter(|(on, _)| *on).flat_map(|(_, e)| e) {
        push(metric, GroupKey::all(), *q, Kind::Count, None, None);
    }
    if s.behaviour.callbacks.is_some() {
        for m in CallbackMetric::ALL {
            push(
                m.name(),
                GroupKey::all(),
                Quantity::Callback(m),
                m.kind(),
                None,
                None,
            );
        }
    }
}

/// The callback metrics (`[customers.callbacks]`), in catalog order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallbackMetric {
    /// Callbacks offered.
    Offered,
    /// Callbacks accepted.
    Accepted,
    /// Accepted callbacks per phone contact that joined a queue.
    Share,
    /// Callbacks that reached their customer, of those whose outcome is known.
    SuccessRate,
    /// Attempts per callback whose outcome is known.
    AttemptsPerCallback,
    /// Callbacks whose last attempt failed.
    Lost,
}

impl CallbackMetric {
    const ALL: [CallbackMetric; 6] = [
        CallbackMetric::Offered,
        CallbackMetric::Accepted,
        CallbackMetric::Share,
        CallbackMetric::SuccessRate,
        CallbackMetric::AttemptsPerCallback,
        CallbackMetric::Lost,
    ];

    fn name(self) -> &'static str {
        match self {
            CallbackMetric::Offered => "callbacks_offered",
            CallbackMetric::Accepted => "callbacks_accepted",
            CallbackMetric::Share => "callback_share",
            CallbackMetric::SuccessRate => "callback_success_rate",
            CallbackMetric::AttemptsPerCallback => "callback_attempts_per_callback",
            CallbackMetric::Lost => "callbacks_lost",
        }
    }

    fn kind(self) -> Kind {
        match self {
            CallbackMetric::Share | CallbackMetric::SuccessRate => Kind::Fraction,
            _ => Kind::Count,
        }
    }

    /// The metric's value in one replication.
    pub(super) fn value(self, c: &CallbackCounts) -> f64 {
        let settled = (c.connected + c.lost) as f64;
        match self {
            CallbackMetric::Offered => c.offered as f64,
            CallbackMetric::Accepted => c.accepted as f64,
            CallbackMetric::Share => ratio(c.accepted as f64, c.phone_waits as f64),
            CallbackMetric::SuccessRate => ratio(c.connected as f64, settled),
            CallbackMetric::AttemptsPerCallback => ratio(c.attempts as f64, settled),
            CallbackMetric::Lost => c.lost as f64,
        }
    }
}
