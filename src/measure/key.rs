//! Typed keys of catalog groups: which priority, segment, channel, pool, stage, week ... a
//! (metric, group) entry covers, one field per dimension, `None` where it does not apply.
//!
//! Tables write one column per dimension (issue 19: pivot without parsing strings). The
//! packed label (`priority=P1,segment=smb`, `week=2026-01-12 pool=l1`) is derived from the
//! key in one place, [`GroupKey::label`]: it stays the identifier the command line
//! (`--target metric@group`), the golden files and the terminal tables use.

use jiff::civil::Date;

/// The dimensions of a catalog group; the default (every field `None`) is `all`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GroupKey {
    /// Priority name (one of `demand.priority_names`: `P1` ..).
    pub priority: Option<String>,
    /// Segment name.
    pub segment: Option<String>,
    /// Channel name (one of the file's channels: `email`, `chat`, `phone` ..).
    pub channel: Option<String>,
    /// SLA target label (`P1/enterprise`).
    pub target: Option<String>,
    /// Stage (`L1` ..) of a stage-wait entry.
    pub stage: Option<String>,
    /// Pool name.
    pub pool: Option<String>,
    /// Threshold of a share-within entry [minutes].
    pub within_min: Option<f64>,
    /// Local start date of a week (invoice week, bot maturity week).
    pub week: Option<Date>,
    /// Line item of a weekly invoice (`labour` with `pool`, `sla_credits`, `vendor`,
    /// `sla_penalties`, `bot`, `incident_care`, `total`).
    pub item: Option<&'static str>,
    /// Ticket category (`[categories]`).
    pub category: Option<String>,
    /// Ticket origin (`backlog`, `new`; `[initial_state]`).
    pub origin: Option<&'static str>,
    /// Incident mark of a ticket (`incident`, `other`).
    pub ticket_kind: Option<&'static str>,
    /// When an other ticket arrived (`during_incident`, `outside_incident`).
    pub arrived: Option<&'static str>,
}

/// The key columns of a table, in column order (the order of [`GroupKey`]'s fields).
pub const KEY_COLUMNS: [&str; 13] = [
    "priority",
    "segment",
    "channel",
    "target",
    "stage",
    "pool",
    "within_min",
    "week",
    "item",
    "category",
    "origin",
    "ticket_kind",
    "arrived",
];

impl GroupKey {
    /// Every ticket.
    pub fn all() -> Self {
        Self::default()
    }

    /// One priority.
    pub fn priority(name: &str) -> Self {
        GroupKey {
            priority: Some(name.to_string()),
            ..Self::default()
        }
    }

    /// One segment.
    pub fn segment(name: &str) -> Self {
        GroupKey {
            segment: Some(name.to_string()),
            ..Self::default()
        }
    }

    /// One priority x segment cell.
    pub fn cell(priority: &str, segment: &str) -> Self {
        GroupKey {
            priority: Some(priority.to_string()),
            segment: Some(segment.to_string()),
            ..Self::default()
        }
    }

    /// One channel.
    pub fn channel(name: &str) -> Self {
        GroupKey {
            channel: Some(name.to_string()),
            ..Self::default()
        }
    }

    /// One pool.
    pub fn pool(name: &str) -> Self {
        GroupKey {
            pool: Some(name.to_string()),
            ..Self::default()
        }
    }

    /// One SLA target.
    pub fn target(label: &str) -> Self {
        GroupKey {
            target: Some(label.to_string()),
            ..Self::default()
        }
    }

    /// One week.
    pub fn week(day: Date) -> Self {
        GroupKey {
            week: Some(day),
            ..Self::default()
        }
    }

    /// One category.
    pub fn category(name: &str) -> Self {
        GroupKey {
            category: Some(name.to_string()),
            ..Self::default()
        }
    }

    /// One ticket origin.
    pub fn origin(name: &'static str) -> Self {
        GroupKey {
            origin: Some(name),
            ..Self::default()
        }
    }

    /// A share-within threshold [minutes].
    pub fn within(within_min: f64) -> Self {
        GroupKey {
            within_min: Some(within_min),
            ..Self::default()
        }
    }

    /// This key with a share-within threshold [minutes].
    pub fn and_within(mut self, within_min: f64) -> Self {
        self.within_min = Some(within_min);
        self
    }

    /// Whether this is the group of every ticket.
    pub fn is_all(&self) -> bool {
        *self == Self::default()
    }

    /// The packed label: `all`, `priority=P1,segment=smb`, `stage=L1,pool=l1,within_min=30`,
    /// `week=2026-01-12 pool=l1` (a weekly invoice line) ...
    pub fn label(&self) -> String {
        if let (Some(week), Some(item)) = (self.week, self.item) {
            return match (&self.pool, item) {
                (Some(p), "labour") => format!("week={week} pool={p}"),
                _ => format!("week={week} {item}"),
            };
        }
        let mut parts: Vec<String> = Vec::new();
        let mut part = |k: &str, v: Option<String>| {
            if let Some(v) = v {
                parts.push(format!("{k}={v}"));
            }
        };
        part("priority", self.priority.clone());
        part("segment", self.segment.clone());
        part("channel", self.channel.clone());
        part("target", self.target.clone());
        part("stage", self.stage.clone());
        part("pool", self.pool.clone());
        part("within_min", self.within_min.map(|t| t.to_string()));
        part("week", self.week.map(|d| d.to_string()));
        part("category", self.category.clone());
        part("origin", self.origin.map(str::to_string));
        part("tickets", self.ticket_kind.map(str::to_string));
        part("arrived", self.arrived.map(str::to_string));
        if parts.is_empty() {
            "all".into()
        } else {
            parts.join(",")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_the_packed_strings_of_earlier_versions() {
        let d = jiff::civil::date(2026, 1, 12);
        assert_eq!(GroupKey::all().label(), "all");
        assert_eq!(
            GroupKey::cell("P1", "smb").label(),
            "priority=P1,segment=smb"
        );
        let stage = GroupKey {
            stage: Some("L2".into()),
            pool: Some("l2".into()),
            ..GroupKey::default()
        };
        assert_eq!(stage.label(), "stage=L2,pool=l2");
        assert_eq!(
            stage.and_within(30.0).label(),
            "stage=L2,pool=l2,within_min=30"
        );
        assert_eq!(GroupKey::within(2.5).label(), "within_min=2.5");
        let labour = GroupKey {
            week: Some(d),
            item: Some("labour"),
            pool: Some("l1".into()),
            ..GroupKey::default()
        };
        assert_eq!(labour.label(), "week=2026-01-12 pool=l1");
        let total = GroupKey {
            week: Some(d),
            item: Some("total"),
            ..GroupKey::default()
        };
        assert_eq!(total.label(), "week=2026-01-12 total");
        assert_eq!(GroupKey::week(d).label(), "week=2026-01-12");
        let other = GroupKey {
            ticket_kind: Some("other"),
            arrived: Some("during_incident"),
            ..GroupKey::default()
        };
        assert_eq!(other.label(), "tickets=other,arrived=during_incident");
        assert_eq!(
            GroupKey::target("P1/enterprise").label(),
            "target=P1/enterprise"
        );
    }
}
