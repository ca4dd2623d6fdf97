//! Catalog entries of the optional rules on the customer's path: the door of each live
//! channel (`[access]`), retrials and chasers (`[customers.*]`). Files without them add none,
//! so their catalogs stay as they were.

use super::catalog::{Kind, Quantity};
use crate::scenario::{CHANNELS, Scenario};

/// Entries of the channels with `[access]` rules (none for files without them, whose
/// catalog stays as it was).
pub(super) fn access_entries(
    s: &Scenario,
    push: &mut impl FnMut(&'static str, String, Quantity, Kind, Option<f64>, Option<(bool, usize)>),
) {
    let reported: Vec<usize> = (0..CHANNELS.len())
        .filter(|&c| s.access[c].reported)
        .collect();
    if reported.is_empty() {
        return;
    }
    push(
        "tickets_refused",
        "all".into(),
        Quantity::TicketsRefused,
        Kind::Count,
        None,
        None,
    );
    for &c in &reported {
        let g = format!("channel={}", CHANNELS[c]);
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
    push: &mut impl FnMut(&'static str, String, Quantity, Kind, Option<f64>, Option<(bool, usize)>),
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
        push(metric, "all".into(), *q, Kind::Count, None, None);
    }
}
