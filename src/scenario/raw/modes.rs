//! The modes a scenario file selects by name (support model, queue order, swarm rule,
//! sourcing, weekdays, SLA clocks): serde enums, so the file's spelling is the variant's
//! name and an unknown value is rejected with the allowed ones.

use serde::de::Deserializer;
use serde::{Deserialize, Serialize};

/// The support models a scenario can select with `model`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Model {
    /// `"tiered"`: tier 1..k queues with escalation and handoffs.
    #[default]
    Tiered,
    /// `"pooled_tiered"`: tiered routing, but the lower tiers share one queue and one pool.
    PooledTiered,
    /// `"swarm"`: case owners keep every ticket and pull experts into swarm sessions.
    Swarm,
    /// `"hybrid"`: a tiered L1 front line in front of a dispatch swarm.
    Hybrid,
}

impl Model {
    /// Every model, in the order the docs list them.
    pub const ALL: [Model; 4] = [
        Model::Tiered,
        Model::PooledTiered,
        Model::Swarm,
        Model::Hybrid,
    ];

    /// The name used in scenario files (the serde spelling).
    pub fn name(self) -> &'static str {
        match self {
            Model::Tiered => "tiered",
            Model::PooledTiered => "pooled_tiered",
            Model::Swarm => "swarm",
            Model::Hybrid => "hybrid",
        }
    }

    /// The model a file names, if any (exact spelling, as serde would accept it).
    pub fn from_name(name: &str) -> Option<Model> {
        Model::ALL.into_iter().find(|m| m.name() == name)
    }
}

/// `swarm.priority`: who gets a free agent first when a pool has both queued tickets and
/// swarm requests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SwarmRule {
    /// `"swarm_first"`: free experts are held for the oldest most urgent request, and an owner
    /// returns to a ready session before taking a new ticket.
    #[default]
    SwarmFirst,
    /// `"queue_first"`: queued tickets first; sessions get only agents left free.
    QueueFirst,
}

/// Who employs a pool's agents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sourcing {
    /// Employees, paid per scheduled hour.
    #[default]
    Internal,
    /// A provider (BPO/MSP) under a contract.
    Outsourced,
}

/// `queues.order`: the order in which waiting tickets are taken.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QueueRule {
    /// `"priority"`: P1 first, then first in, first out.
    #[default]
    Priority,
    /// `"live_first"`: live tickets awaiting a first response before every other ticket.
    LiveFirst,
    /// `"scored"`: highest score first, the score set in `[queues.scored]`.
    Scored,
}

/// A day of the week as scenario files name it: `mon` .. `sun`, in any letter case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Day {
    /// Monday.
    Mon,
    /// Tuesday.
    Tue,
    /// Wednesday.
    Wed,
    /// Thursday.
    Thu,
    /// Friday.
    Fri,
    /// Saturday.
    Sat,
    /// Sunday.
    Sun,
}

impl Day {
    /// Monday to Sunday.
    pub const ALL: [Day; 7] = [
        Day::Mon,
        Day::Tue,
        Day::Wed,
        Day::Thu,
        Day::Fri,
        Day::Sat,
        Day::Sun,
    ];

    /// Weekday index, 0 = Monday (as [`crate::scenario::calendar::LocalSlot::weekday`]).
    pub fn index(self) -> usize {
        self as usize
    }

    /// The day a file names, ignoring letter case (`"Mon"` and `"mon"` are both Monday).
    pub fn from_name(name: &str) -> Option<Day> {
        const NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        let lower = name.to_ascii_lowercase();
        NAMES.iter().position(|n| *n == lower).map(|i| Day::ALL[i])
    }

    /// The problem reported for a name that is not a day.
    pub fn unknown(name: &str) -> String {
        format!("unknown day {name:?}; use mon, tue, wed, thu, fri, sat, sun")
    }
}

// By hand rather than derived: files have always accepted any letter case.
impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Day::from_name(&name).ok_or_else(|| serde::de::Error::custom(Day::unknown(&name)))
    }
}

/// The clock an SLA limit runs on, written as one string: `"24x7"` or a calendar's name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum Clock {
    /// `"24x7"`: the wall clock.
    #[default]
    Wall,
    /// Business minutes of the `[[calendars]]` entry with this name.
    Calendar(String),
}

impl Clock {
    /// The wall clock's name in files (no calendar may take it).
    pub const WALL: &'static str = "24x7";
}

impl From<String> for Clock {
    fn from(name: String) -> Self {
        if name == Clock::WALL {
            Clock::Wall
        } else {
            Clock::Calendar(name)
        }
    }
}

impl From<Clock> for String {
    fn from(clock: Clock) -> Self {
        match clock {
            Clock::Wall => Clock::WALL.to_string(),
            Clock::Calendar(name) => name,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Serialises one value the way files spell it.
    fn spelled<T: Serialize>(v: T) -> String {
        #[derive(Serialize)]
        struct W<T> {
            v: T,
        }
        toml::to_string(&W { v })
            .expect("serialisable")
            .trim()
            .trim_start_matches("v = ")
            .trim_matches('"')
            .to_string()
    }

    #[test]
    fn model_names_are_the_serde_spellings() {
        for m in Model::ALL {
            assert_eq!(spelled(m), m.name());
            assert_eq!(Model::from_name(m.name()), Some(m));
        }
        assert_eq!(Model::from_name("Tiered"), None);
    }

    #[test]
    fn day_names_ignore_case_and_serialise_lowercase() {
        for (i, d) in Day::ALL.into_iter().enumerate() {
            assert_eq!(d.index(), i);
            assert_eq!(Day::from_name(&spelled(d)), Some(d));
            assert_eq!(Day::from_name(&spelled(d).to_uppercase()), Some(d));
        }
        assert_eq!(Day::from_name("funday"), None);
    }

    #[test]
    fn clock_reads_and_writes_one_string() {
        assert_eq!(Clock::from("24x7".to_string()), Clock::Wall);
        assert_eq!(spelled(Clock::Wall), "24x7");
        let office = Clock::from("office".to_string());
        assert_eq!(office, Clock::Calendar("office".into()));
        assert_eq!(spelled(office), "office");
    }
}

/// `triage.misrouted_go`: where a misrouted ticket goes once its receiver discovers it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reroute {
    /// `"back_to_triage"`: classified again (and may be misrouted again).
    #[default]
    BackToTriage,
    /// `"right_tier"`: the receiver forwards it to the tier it needs.
    RightTier,
}
