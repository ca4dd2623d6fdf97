//! Export formats: which header names each tool writes for each role, and how its values map
//! onto the scenario's channels, priorities and levels.
//!
//! Header names are matched case-insensitively after trimming; each role lists the names in
//! the order tried. `--map role=Column` overrides any of them (and is the whole mapping of the
//! `generic` format).

use super::error::CalibrateError;

/// A ticket-export format (or `intervals`, an interval report).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Zendesk Support ticket export (CSV).
    Zendesk,
    /// Freshdesk ticket export (CSV).
    Freshdesk,
    /// Jira Service Management issue export (CSV, all fields).
    Jsm,
    /// ServiceNow incident list export (CSV, field names as headers).
    ServiceNow,
    /// Any CSV with a user-supplied `--map`.
    Generic,
    /// An interval report: timestamp, offered, optionally handled and AHT.
    Intervals,
}

impl Format {
    /// Parses a `--format` name.
    pub fn from_name(s: &str) -> Option<Format> {
        Some(match s.to_ascii_lowercase().as_str() {
            "zendesk" => Format::Zendesk,
            "freshdesk" => Format::Freshdesk,
            "jsm" | "jira" => Format::Jsm,
            "servicenow" => Format::ServiceNow,
            "generic" => Format::Generic,
            "intervals" => Format::Intervals,
            _ => return None,
        })
    }

    /// The `--format` name.
    pub fn name(self) -> &'static str {
        match self {
            Format::Zendesk => "zendesk",
            Format::Freshdesk => "freshdesk",
            Format::Jsm => "jsm",
            Format::ServiceNow => "servicenow",
            Format::Generic => "generic",
            Format::Intervals => "intervals",
        }
    }
}

/// What a ticket-export column is used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Creation time (required): arrivals.
    Created,
    /// Solve / resolve time: checked against creation (a negative span is a bad row).
    Solved,
    /// Channel (via, source, contact type).
    Channel,
    /// Priority.
    Priority,
    /// Customer segment (plan, tier, organisation type).
    Segment,
    /// Number of groups the ticket passed through (Zendesk group stations): level = stations.
    Stations,
    /// Number of reassignments (ServiceNow): level = 1 + reassignments.
    Reassignments,
    /// Hands-on work time (time tracking).
    WorkTime,
    /// Wait until first reply (served) or until abandonment [minutes], for patience.
    Wait,
    /// Whether the contact was abandoned (true/yes/1/abandoned).
    Abandoned,
}

impl Role {
    /// Every role, in `--map` documentation order.
    pub const ALL: [Role; 10] = [
        Role::Created,
        Role::Solved,
        Role::Channel,
        Role::Priority,
        Role::Segment,
        Role::Stations,
        Role::Reassignments,
        Role::WorkTime,
        Role::Wait,
        Role::Abandoned,
    ];

    /// The `--map` key.
    pub fn key(self) -> &'static str {
        match self {
            Role::Created => "created",
            Role::Solved => "solved",
            Role::Channel => "channel",
            Role::Priority => "priority",
            Role::Segment => "segment",
            Role::Stations => "stations",
            Role::Reassignments => "reassignments",
            Role::WorkTime => "work",
            Role::Wait => "wait",
            Role::Abandoned => "abandoned",
        }
    }

    fn from_key(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.key() == s)
    }
}

/// The unit of a duration column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Plain numbers are seconds (`HH:MM:SS` also read).
    Seconds,
    /// Plain numbers are minutes.
    Minutes,
    /// Plain numbers are hours; `hh:mm` means hours and minutes (Freshdesk "Time tracked").
    Hours,
}

/// The unit a column's name states (`AHT_sec`, `Handle time (minutes)`, `wait_hrs`,
/// `HandleTimeSeconds`), when it states exactly one.
pub fn unit_in_name(name: &str) -> Option<Unit> {
    let lower = name.to_lowercase();
    let word = |w: &str| match w {
        "sec" | "secs" | "second" | "seconds" => Some(Unit::Seconds),
        "min" | "mins" | "minute" | "minutes" => Some(Unit::Minutes),
        "hr" | "hrs" | "hour" | "hours" => Some(Unit::Hours),
        _ => None,
    };
    let mut found: Vec<Unit> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter_map(word)
        .collect();
    // A unit glued to the end of a camel-case or run-together name; only the long spellings,
    // so `admin` is not minutes.
    for (suffix, unit) in [
        ("seconds", Unit::Seconds),
        ("secs", Unit::Seconds),
        ("minutes", Unit::Minutes),
        ("mins", Unit::Minutes),
        ("hours", Unit::Hours),
        ("hrs", Unit::Hours),
    ] {
        if lower.ends_with(suffix) && word(&lower).is_none() {
            found.push(unit);
        }
    }
    found.dedup();
    match found.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

impl Unit {
    /// The unit `--duration-unit` names: `seconds`, `minutes` or `hours` (or `sec`, `min`,
    /// `hrs`).
    pub fn from_name(name: &str) -> Option<Unit> {
        match name.trim().to_lowercase().as_str() {
            "seconds" | "second" | "sec" | "s" => Some(Unit::Seconds),
            "minutes" | "minute" | "min" | "m" => Some(Unit::Minutes),
            "hours" | "hour" | "hrs" | "h" => Some(Unit::Hours),
            _ => None,
        }
    }

    /// The unit's name in notes.
    pub fn name(self) -> &'static str {
        match self {
            Unit::Seconds => "seconds",
            Unit::Minutes => "minutes",
            Unit::Hours => "hours",
        }
    }
}

/// The header names a format writes for a role, and the unit of its durations.
pub fn default_columns(format: Format, role: Role) -> (&'static [&'static str], Unit) {
    use Role::*;
    let m = Unit::Minutes;
    let names: &[&str] = match (format, role) {
        (Format::Zendesk, Created) => &["Created at"],
        (Format::Zendesk, Solved) => &["Solved at"],
        (Format::Zendesk, Channel) => &["Via"],
        (Format::Zendesk, Priority) => &["Priority"],
        (Format::Zendesk, Stations) => &["Group stations"],
        // The Time Tracking app's ticket field (seconds).
        (Format::Zendesk, WorkTime) => {
            return (
                &["Total time spent (sec)", "Total time spent"],
                Unit::Seconds,
            );
        }
        (Format::Zendesk, Wait) => &["First reply time in minutes"],
        (Format::Freshdesk, Created) => &["Created time"],
        (Format::Freshdesk, Solved) => &["Resolved time"],
        (Format::Freshdesk, Channel) => &["Source"],
        (Format::Freshdesk, Priority) => &["Priority"],
        (Format::Freshdesk, WorkTime) => return (&["Time tracked"], Unit::Hours),
        (Format::Freshdesk, Wait) => return (&["First response time (in hrs)"], Unit::Hours),
        (Format::Jsm, Created) => &["Created"],
        (Format::Jsm, Solved) => &["Resolved"],
        (Format::Jsm, Priority) => &["Priority"],
        (Format::Jsm, Channel) => &["Custom field (Request channel)", "Custom field (Source)"],
        (Format::Jsm, WorkTime) => return (&["Time Spent", "Σ Time Spent"], Unit::Seconds),
        (Format::ServiceNow, Created) => &["opened_at", "Opened"],
        (Format::ServiceNow, Solved) => &["resolved_at", "Resolved"],
        (Format::ServiceNow, Channel) => &["contact_type", "Channel"],
        (Format::ServiceNow, Priority) => &["priority", "Priority"],
        (Format::ServiceNow, Reassignments) => &["reassignment_count", "Reassignment count"],
        (Format::ServiceNow, WorkTime) => return (&["time_worked", "Time worked"], Unit::Seconds),
        (Format::Generic, Created) => &["created", "created_at"],
        (Format::Generic, WorkTime) => {
            return (&["work_min", "work_time_min", "handle_time_min"], m);
        }
        (Format::Generic, Wait) => &["wait_min"],
        (Format::Generic, Channel) => &["channel"],
        (Format::Generic, Priority) => &["priority"],
        (Format::Generic, Segment) => &["segment"],
        (Format::Generic, Stations) => &["level", "stations"],
        (Format::Generic, Abandoned) => &["abandoned"],
        (Format::Generic, Solved) => &["solved", "solved_at", "resolved_at"],
        _ => &[],
    };
    (names, m)
}

/// Column indices per role, resolved against a header.
#[derive(Debug, Clone, Default)]
pub struct Columns {
    idx: Vec<(Role, usize, Unit)>,
    /// Header names, for messages.
    pub header: Vec<String>,
    /// How the export is read (its separator, mapped duration columns), for the calibrated
    /// file's notes.
    pub notes: Vec<String>,
    /// Whether numbers may have a decimal comma (the export is not comma-separated).
    pub decimal_comma: bool,
    /// `--channel`: the channel of every contact (index into [`super::CHANNELS`]), in place
    /// of a channel column.
    pub forced_channel: Option<usize>,
}

impl Columns {
    /// Resolves the roles of `format` against `header`, `map` (parsed `--map`) first.
    ///
    /// # Errors
    /// [`CalibrateError::BadMapping`] for a mapped column not in the header;
    /// [`CalibrateError::MissingColumn`] when there is no creation-time column.
    pub fn resolve(
        format: Format,
        header: &[String],
        map: &[(String, String)],
        duration_unit: Option<Unit>,
    ) -> Result<Columns, CalibrateError> {
        let find = |name: &str| {
            let n = name.trim().to_lowercase();
            header.iter().position(|h| h.trim().to_lowercase() == n)
        };
        let mut idx = Vec::new();
        let mut notes = Vec::new();
        for role in Role::ALL {
            let (names, unit) = default_columns(format, role);
            let mapped = map.iter().find(|(k, _)| k == role.key());
            let col = match mapped {
                Some((_, col)) => Some(find(col).ok_or_else(|| {
                    CalibrateError::BadMapping(format!(
                        "{}={col}: no such column; the header has: {}",
                        role.key(),
                        preview(header)
                    ))
                })?),
                None => names.iter().find_map(|n| find(n)),
            };
            if let Some(c) = col {
                // A column the user names may be in any unit; its name usually says which.
                let duration = matches!(role, Role::WorkTime | Role::Wait);
                let unit = match (mapped, duration_unit) {
                    (_, Some(forced)) if duration => {
                        notes.push(format!(
                            "{} column {:?}: plain numbers read as {} (--duration-unit)",
                            role.key(),
                            header[c],
                            forced.name()
                        ));
                        forced
                    }
                    (Some(_), None) if duration => {
                        let stated = unit_in_name(&header[c]);
                        notes.push(format!(
                            "{} column {:?}: plain numbers read as {}{}",
                            role.key(),
                            header[c],
                            stated.unwrap_or(unit).name(),
                            if stated.is_some() {
                                ", as its name says"
                            } else {
                                " (the format's unit; its name states none)"
                            }
                        ));
                        stated.unwrap_or(unit)
                    }
                    _ => unit,
                };
                idx.push((role, c, unit));
            } else if role == Role::Created {
                return Err(CalibrateError::MissingColumn {
                    format: format.name(),
                    role: "created",
                    wanted: names
                        .iter()
                        .map(|n| format!("{n:?}"))
                        .collect::<Vec<_>>()
                        .join(" or "),
                    found: preview(header),
                });
            }
        }
        Ok(Columns {
            idx,
            header: header.to_vec(),
            notes,
            decimal_comma: false,
            forced_channel: None,
        })
    }

    /// Puts every contact on `channel` (`--channel`), ignoring any channel column: an ACD or
    /// telephony export is all phone, and only chat and phone contacts give patience fits.
    pub fn force_channel(&mut self, channel: usize) {
        let ignored = self.get(Role::Channel).map(|(c, _)| self.header[c].clone());
        self.idx.retain(|(r, _, _)| *r != Role::Channel);
        self.forced_channel = Some(channel);
        self.notes.push(format!(
            "every contact counts as {} (--channel){}",
            super::CHANNELS[channel],
            ignored.map_or(String::new(), |c| format!("; column {c:?} is not read"))
        ));
    }

    /// The channel of a row: the forced one, else the channel column's, else email.
    pub fn channel_of_row(&self, rec: &csv::StringRecord) -> usize {
        match (self.forced_channel, self.get(Role::Channel)) {
            (Some(c), _) => c,
            (None, Some((c, _))) => channel_of(rec.get(c).unwrap_or("")),
            (None, None) => 0,
        }
    }

    /// What became of a row's contact, from its `abandoned` cell and its wait [minutes] (see
    /// [`Fate`]).
    pub fn fate_of_row(&self, rec: &csv::StringRecord, wait_min: Option<f64>) -> Fate {
        let Some((c, _)) = self.get(Role::Abandoned) else {
            return Fate::Answered;
        };
        let cell = rec.get(c).unwrap_or("");
        if cell.trim().eq_ignore_ascii_case("phantom") {
            return Fate::Phantom;
        }
        if !truthy(cell) {
            return Fate::Answered;
        }
        // A zero wait only means "never queued" when the wait is kept to the second: a
        // whole-minute column says 0 for a caller who gave up after 40 seconds.
        let to_the_second = self.get(Role::Wait).is_some_and(|(w, unit)| {
            unit == Unit::Seconds || rec.get(w).is_some_and(|v| v.contains(':'))
        });
        if wait_min == Some(0.0) && to_the_second && self.channel_of_row(rec) > 0 {
            Fate::NeverQueued
        } else {
            Fate::Abandoned
        }
    }

    /// The column of a role and its duration unit, when present.
    pub fn get(&self, role: Role) -> Option<(usize, Unit)> {
        self.idx
            .iter()
            .find(|(r, _, _)| *r == role)
            .map(|&(_, c, u)| (c, u))
    }

    /// The header name of a column.
    pub fn name(&self, col: usize) -> &str {
        self.header.get(col).map_or("?", |s| s.as_str())
    }
}

/// Longest header name an error message repeats in full [characters]: a header cell of
/// megabytes (a binary file, a broken export) would otherwise be echoed whole.
const PREVIEW_NAME_CHARS: usize = 80;

/// The first header names, for error messages, each cut at [`PREVIEW_NAME_CHARS`].
pub fn preview(header: &[String]) -> String {
    let mut s = header
        .iter()
        .take(12)
        .map(|h| {
            let n = h.chars().count();
            if n <= PREVIEW_NAME_CHARS {
                format!("{h:?}")
            } else {
                let cut: String = h.chars().take(PREVIEW_NAME_CHARS).collect();
                format!("{cut:?}... ({n} characters)")
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    if header.len() > 12 {
        s.push_str(&format!(", ... ({} columns)", header.len()));
    }
    s
}

/// The `--map` keys of `--format intervals`.
pub const INTERVAL_KEYS: [&str; 4] = ["timestamp", "offered", "handled", "aht"];

/// Parses `--map created=Opened,priority=Sev` (repeatable; keys are role names).
///
/// # Errors
/// [`CalibrateError::BadMapping`] naming the bad entry and the known roles.
pub fn parse_map(entries: &[String]) -> Result<Vec<(String, String)>, CalibrateError> {
    let mut out = Vec::new();
    for e in entries.iter().flat_map(|e| e.split(',')) {
        let e = e.trim();
        if e.is_empty() {
            continue;
        }
        let (k, v) = e
            .split_once('=')
            .ok_or_else(|| CalibrateError::BadMapping(format!("{e:?}: expected ROLE=COLUMN")))?;
        let k = k.trim().to_lowercase();
        if Role::from_key(&k).is_none() && !INTERVAL_KEYS.contains(&k.as_str()) {
            let roles: Vec<_> = Role::ALL.iter().map(|r| r.key()).collect();
            return Err(CalibrateError::BadMapping(format!(
                "{e:?}: unknown role {k:?}; roles are {} (tickets) and {} (intervals)",
                roles.join(", "),
                INTERVAL_KEYS.join(", ")
            )));
        }
        if let Some((_, first)) = out.iter().find(|(r, _)| *r == k) {
            return Err(CalibrateError::BadMapping(format!(
                "{e:?}: role {k:?} is already mapped to {first:?}; map each role once"
            )));
        }
        out.push((k, v.trim().to_string()));
    }
    Ok(out)
}

/// The scenario channel (index into [`super::CHANNELS`]) of a via / source / contact type.
/// Live messaging counts as chat, voice as phone, everything else (email, web form, portal,
/// API, self-service) as email.
pub fn channel_of(v: &str) -> usize {
    let v = v.to_lowercase();
    if [
        "chat",
        "messag",
        "whatsapp",
        "sms",
        "widget",
        "virtual_agent",
        "facebook",
    ]
    .iter()
    .any(|k| v.contains(k))
    {
        1
    } else if ["phone", "voice", "call", "walk-in"]
        .iter()
        .any(|k| v.contains(k))
    {
        2
    } else {
        0
    }
}

/// The scenario priority index (0 = P1) of a tool's priority, `None` when blank or unknown.
/// Zendesk urgent/high/normal/low, Freshdesk urgent/high/medium/low, Jira
/// highest/high/medium/low/lowest, ServiceNow `1 - Critical` .. `5 - Planning`, and `P1`..`P4`.
pub fn priority_of(v: &str) -> Option<usize> {
    let v = v.trim().to_lowercase();
    if let Some(d) = v.chars().next().and_then(|c| c.to_digit(10))
        && (v.len() == 1 || v[1..].trim_start().starts_with('-'))
    {
        return Some((d as usize).clamp(1, 4) - 1);
    }
    Some(match v.as_str() {
        "p1" | "urgent" | "critical" | "highest" | "blocker" => 0,
        "p2" | "high" | "major" => 1,
        "p3" | "normal" | "medium" | "moderate" => 2,
        "p4" | "p5" | "low" | "lowest" | "minor" | "trivial" | "planning" => 3,
        _ => return None,
    })
}

/// The index in `names` (a scenario's priorities, most urgent first) of an export's priority
/// `v`: the scenario's own name (ignoring case) first, so a file with `priority_names` reads
/// its own labels back; else the tool's rank ([`priority_of`]), where ranks past the file's
/// last priority count as its last. `None` when blank or unknown.
pub fn priority_in(v: &str, names: &[String]) -> Option<usize> {
    let v = v.trim();
    if v.is_empty() || names.is_empty() {
        return None;
    }
    names
        .iter()
        .position(|n| n.eq_ignore_ascii_case(v))
        .or_else(|| priority_of(v).map(|r| r.min(names.len() - 1)))
}

/// A segment name the scenario accepts: letters, digits, `_`, `-`; others become `_`.
pub fn segment_name(v: &str) -> String {
    let s: String = v
        .trim()
        .to_lowercase()
        .chars()
        .map(crate::scenario::limits::name_char)
        .collect();
    if s.is_empty() { "unknown".into() } else { s }
}

/// What an export says became of a contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Answered, or not marked abandoned.
    Answered,
    /// Gave up while waiting for an agent.
    Abandoned,
    /// A chat or phone contact marked abandoned with a wait of exactly 0 s: it ended before
    /// it queued for an agent (in an ACD log, a caller who hung up in the IVR, often served
    /// by it). It put no load on agents and says nothing about patience, so it is neither an
    /// arrival nor an abandonment; the IVR is modelled as a tier-0 bot.
    NeverQueued,
    /// An outcome the source documents as not a contact (`PHANTOM`, "a virtual call, to be
    /// ignored", in the Technion call-centre data).
    Phantom,
}

/// Whether a cell says "abandoned": a true flag, or an outcome column's word for a caller
/// who hung up waiting (`HANG` in the Technion call-centre data, `lost` in ACD reports).
pub fn truthy(v: &str) -> bool {
    matches!(
        v.trim().to_lowercase().as_str(),
        "1" | "true"
            | "yes"
            | "y"
            | "abandoned"
            | "abandon"
            | "hang"
            | "hangup"
            | "hung up"
            | "lost"
    )
}

/// Reads a duration in `unit` as minutes: a plain number, `HH:MM[:SS]` (`hh:mm` for
/// hours), `1970-01-01 HH:MM:SS` (ServiceNow durations), or `1 Hour 5 Minutes`.
/// `None` when unreadable; negative values are returned (the caller rejects them).
pub fn duration_min(v: &str, unit: Unit) -> Option<f64> {
    let v = v.trim();
    if let Ok(x) = v.parse::<f64>() {
        return x.is_finite().then_some(match unit {
            Unit::Seconds => x / 60.0,
            Unit::Minutes => x,
            Unit::Hours => x * 60.0,
        });
    }
    let v = v.strip_prefix("1970-01-01 ").unwrap_or(v);
    if v.contains(':') {
        // A sign belongs to the whole clock value: "-0:10" is minus ten minutes, not
        // (-0) hours and 10 minutes. A sign inside ("1:-5") is not a duration.
        let (sign, body) = match v.strip_prefix('-') {
            Some(rest) => (-1.0, rest),
            None => (1.0, v.strip_prefix('+').unwrap_or(v)),
        };
        let parts: Vec<f64> = body
            .split(':')
            .map(|p| {
                let p = p.trim();
                (!p.starts_with(['-', '+']))
                    .then(|| p.parse::<f64>().ok())
                    .flatten()
                    .filter(|x| x.is_finite())
            })
            .collect::<Option<_>>()?;
        let magnitude = match (parts.as_slice(), unit) {
            ([h, m], Unit::Hours) => h * 60.0 + m,
            ([m, s], _) => m + s / 60.0,
            ([h, m, s], _) => h * 60.0 + m + s / 60.0,
            _ => return None,
        };
        return Some(sign * magnitude);
    }
    // "2 Days 1 Hour 5 Minutes 3 Seconds"
    let words: Vec<&str> = v.split_whitespace().collect();
    if words.is_empty() || !words.len().is_multiple_of(2) {
        return None;
    }
    let mut total = 0.0;
    for w in words.chunks(2) {
        let n: f64 = w[0].parse().ok()?;
        let per = match w[1].to_lowercase().trim_end_matches('s') {
            "day" => 1440.0,
            "hour" => 60.0,
            "minute" => 1.0,
            "second" => 1.0 / 60.0,
            _ => return None,
        };
        total += n * per;
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_huge_header_cell_is_cut_in_messages() {
        let header = vec!["x".repeat(3_000_000), "Created at".to_string()];
        let p = preview(&header);
        assert!(p.len() < 200, "{}", p.len());
        assert!(
            p.contains("(3000000 characters)") && p.contains("\"Created at\""),
            "{p}"
        );
    }

    #[test]
    fn a_clock_duration_carries_its_sign_as_a_whole() {
        // M:SS unless the column is in hours (H:MM).
        assert_eq!(duration_min("-0:10", Unit::Seconds), Some(-10.0 / 60.0));
        assert_eq!(duration_min("-1:00:30", Unit::Seconds), Some(-60.5));
        assert_eq!(duration_min("-0:10", Unit::Hours), Some(-10.0));
        assert_eq!(duration_min("0:10", Unit::Seconds), Some(10.0 / 60.0));
        assert_eq!(duration_min("+0:10", Unit::Seconds), Some(10.0 / 60.0));
        assert_eq!(duration_min("1:-5", Unit::Seconds), None);
        assert_eq!(duration_min("1:inf", Unit::Seconds), None);
    }

    #[test]
    fn a_zero_wait_abandonment_never_queued_only_when_waits_are_kept_to_the_second() {
        let header: Vec<String> = ["created", "channel", "wait", "outcome"]
            .map(String::from)
            .into();
        let fate = |wait_col: &str, row: [&str; 4]| {
            let map = parse_map(&[format!("wait={wait_col},abandoned=outcome")]).unwrap();
            let mut h = header.clone();
            h[2] = wait_col.to_string();
            let cols = Columns::resolve(Format::Generic, &h, &map, None).unwrap();
            let rec = csv::StringRecord::from(row.to_vec());
            let wait = duration_min(row[2], cols.get(Role::Wait).unwrap().1);
            cols.fate_of_row(&rec, wait)
        };
        let t = "2024-01-01 10:00";
        assert_eq!(
            fate("wait_sec", [t, "phone", "0", "HANG"]),
            Fate::NeverQueued
        );
        assert_eq!(fate("wait_sec", [t, "phone", "3", "HANG"]), Fate::Abandoned);
        assert_eq!(fate("wait", [t, "chat", "0:00:00", "1"]), Fate::NeverQueued);
        // A whole-minute 0 may be 40 seconds of waiting.
        assert_eq!(fate("wait_min", [t, "phone", "0", "1"]), Fate::Abandoned);
        // Email has no patience: the flag stays what it says.
        assert_eq!(fate("wait_sec", [t, "email", "0", "1"]), Fate::Abandoned);
        assert_eq!(fate("wait_sec", [t, "phone", "0", "AGENT"]), Fate::Answered);
        assert_eq!(
            fate("wait_sec", [t, "phone", "9", " Phantom "]),
            Fate::Phantom
        );
    }

    #[test]
    fn a_column_name_states_its_unit() {
        for (name, unit) in [
            ("AHT_sec", Some(Unit::Seconds)),
            ("Handle time (seconds)", Some(Unit::Seconds)),
            ("HandleTimeSeconds", Some(Unit::Seconds)),
            ("talk_time_min", Some(Unit::Minutes)),
            ("Wait (mins)", Some(Unit::Minutes)),
            ("First response time (in hrs)", Some(Unit::Hours)),
            ("BusinessHours", Some(Unit::Hours)),
            ("Time Spent", None),
            ("admin", None),
            ("min_sec", None),
            ("Minutes", Some(Unit::Minutes)),
        ] {
            assert_eq!(unit_in_name(name), unit, "{name}");
        }
        let header: Vec<String> = ["created", "AHT_sec", "wait"].map(String::from).into();
        let map = parse_map(&["work=AHT_sec,wait=wait".to_string()]).unwrap();
        let cols = Columns::resolve(Format::Generic, &header, &map, None).unwrap();
        let forced = Columns::resolve(Format::Generic, &header, &map, Some(Unit::Hours)).unwrap();
        assert_eq!(forced.get(Role::WorkTime), Some((1, Unit::Hours)));
        assert_eq!(forced.get(Role::Wait), Some((2, Unit::Hours)));
        assert!(forced.notes[0].ends_with("read as hours (--duration-unit)"));
        assert_eq!(Unit::from_name(" Seconds"), Some(Unit::Seconds));
        assert_eq!(Unit::from_name("days"), None);
        assert_eq!(cols.get(Role::WorkTime), Some((1, Unit::Seconds)));
        assert_eq!(cols.get(Role::Wait), Some((2, Unit::Minutes)));
        assert_eq!(cols.notes.len(), 2, "{:?}", cols.notes);
        assert!(cols.notes[0].contains("seconds, as its name says"));
        assert!(cols.notes[1].contains("its name states none"));
    }

    #[test]
    fn values_map_onto_the_scenario() {
        assert_eq!(channel_of("Web form"), 0);
        assert_eq!(channel_of("Chat"), 1);
        assert_eq!(channel_of("Phone call (incoming)"), 2);
        assert_eq!(priority_of("1 - Critical"), Some(0));
        assert_eq!(priority_of("5 - Planning"), Some(3));
        assert_eq!(priority_of("Normal"), Some(2));
        for v in ["1", "TRUE", " Abandoned ", "HANG", "lost"] {
            assert!(truthy(v), "{v}");
        }
        for v in ["0", "false", "AGENT", "PHANTOM", "answered", ""] {
            assert!(!truthy(v), "{v}");
        }
        assert_eq!(priority_of("-"), None);
        let own: Vec<String> = ["sev1", "sev2", "sev3"].map(String::from).into();
        assert_eq!(priority_in(" SEV2 ", &own), Some(1), "the file's own name");
        assert_eq!(priority_in("sev3", &own), Some(2));
        assert_eq!(
            priority_in("Low", &own),
            Some(2),
            "rank 4 counts as the last"
        );
        assert_eq!(priority_in("urgent", &own), Some(0), "tool rank 1");
        assert_eq!(priority_in("sev9", &own), None);
        assert_eq!(priority_in("", &own), None);
        let default: Vec<String> = ["P1", "P2", "P3", "P4"].map(String::from).into();
        assert_eq!(priority_in("p5", &default), Some(3), "as priority_of");
        assert_eq!(priority_in("Normal", &default), Some(2));
        assert_eq!(duration_min("01:30", Unit::Hours), Some(90.0));
        assert_eq!(duration_min("600", Unit::Seconds), Some(10.0));
        assert_eq!(
            duration_min("1970-01-01 00:15:30", Unit::Seconds),
            Some(15.5)
        );
        assert_eq!(duration_min("1 Hour 5 Minutes", Unit::Seconds), Some(65.0));
        assert_eq!(segment_name("Mid Market"), "mid_market");
    }

    #[test]
    fn map_errors_name_the_role() {
        assert!(parse_map(&["created=Opened,priority=Sev".into()]).is_ok());
        let e = parse_map(&["colour=Red".into()]).unwrap_err();
        assert!(e.to_string().contains("unknown role \"colour\""), "{e}");
    }
}
