//! Hard limits on what a scenario may ask for. Validation refuses anything beyond them with
//! the key path and the limit, so that nothing after validation can overflow an integer,
//! produce a non-finite number, or allocate without bound.
//!
//! Every limit is far beyond a real support organisation; each exists because past it some
//! arithmetic or allocation stops being safe (the comment says which).

/// Longest name of a pool, shift, segment, calendar or scenario [characters].
pub const MAX_NAME_LEN: usize = 64;

/// Agents on duty at once in one pool, after overlapping shifts are added up and after a
/// model merges pools: agent counts are `u32` and pools are scanned agent by agent.
pub const MAX_AGENTS: u32 = 1_000_000;

/// Pools in one file (every pool adds metric rows and time-series columns).
pub const MAX_POOLS: usize = 100;

/// Shifts of one pool.
pub const MAX_SHIFTS: usize = 1_000;

/// Segments (a ticket stores its segment in one byte; every segment adds metric rows).
pub const MAX_SEGMENTS: usize = 100;

/// `[[calendars]]` entries (a target stores its clock in 16 bits).
pub const MAX_CALENDARS: usize = 100;

/// `[[sla]]` entries (a target index is stored in 16 bits).
pub const MAX_SLA_ENTRIES: usize = 1_000;

/// `[[demand.surges]]` entries (each splits the rate table; the table is scanned per surge).
pub const MAX_SURGES: usize = 1_000;

/// Replications of one run or point (replication values are kept in memory).
pub const MAX_REPLICATIONS: u32 = 1_000_000;

/// Rows of the time series (`measured window / run.timeseries_interval_min`): every
/// replication holds its rows in memory while it runs.
pub const MAX_SERIES_ROWS: usize = 1_000_000;

/// Retrials of one ticket (`customers.retrials.max_retrials`): a ticket counts them in one
/// byte, and every retrial is one more contact and one more event.
pub const MAX_RETRIALS: u32 = 100;

/// Chasers of one ticket (`customers.chasers.max_chasers`): counted in one byte.
pub const MAX_CHASERS: u32 = 100;
/// Attempts of one callback (`customers.callbacks.max_attempts`): counted in one byte.
pub const MAX_CALLBACK_ATTEMPTS: u32 = 50;

/// Longest duration anywhere in a file (work, delays, patience, limits) [minutes]: about 190
/// years, far past the longest run; larger values overflow simulated time to infinity.
pub const MAX_DURATION_MIN: f64 = 1e8;

/// Largest coefficient of variation of a work-time distribution.
pub const MAX_DIST_CV: f64 = 100.0;

/// Shortest measured window, `run.horizon_days` (one minute).
pub const MIN_HORIZON_DAYS: f64 = 1.0 / 1440.0;

/// Earliest year of `run.start_date`.
pub const MIN_START_YEAR: i16 = 1900;
/// Latest year of `run.start_date` (a ten-year run then still ends far inside the date
/// library's range).
pub const MAX_START_YEAR: i16 = 2200;

/// Smallest coefficient of variation of a lognormal or gamma distribution: below it the
/// gamma's shape `1 / cv²` overflows (and the time is fixed to the last digit anyway).
pub const MIN_DIST_CV: f64 = 1e-6;

/// Largest `demand.daily_dispersion_cv`: beyond it the gamma multiplier's shape is so small
/// that almost every day has no demand and a few have astronomically much.
pub const MAX_DAILY_CV: f64 = 10.0;

/// Expected tickets per replication (arrival rate integrated over the run): beyond it a
/// replication cannot finish in any reasonable time.
pub const MAX_TICKETS_PER_REPLICATION: f64 = 1e9;

/// Largest price or penalty [USD]: keeps every cost sum finite.
pub const MAX_USD: f64 = 1e12;

/// Largest multiplier (surge multiplier, work-time factor, ramp, premium, overhead).
pub const MAX_FACTOR: f64 = 1e6;

/// Largest scenario file read [bytes].
pub const MAX_SCENARIO_BYTES: u64 = 4 * 1024 * 1024;

/// Longest run, warm-up + horizon + drain [days].
pub const MAX_SPAN_DAYS: f64 = 3660.0;

/// Longest tier-0 containment window [hours] (a repeat contact within a year).
pub const MAX_CONTAINMENT_WINDOW_HOURS: f64 = 8760.0;

/// Why `name` cannot be used in key paths and folder names, if it cannot: empty, too long,
/// or a character other than ASCII letters, digits, `-` and `_`.
pub fn name_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("must not be empty; use letters, digits, '-' and '_'".to_string());
    }
    if name.chars().count() > MAX_NAME_LEN {
        return Some(format!(
            "is {} characters long; use at most {MAX_NAME_LEN}",
            name.chars().count()
        ));
    }
    if name.chars().all(|c| name_char(c) == c) {
        return None;
    }
    let fixed: String = name.chars().map(name_char).collect();
    Some(format!(
        "{name:?} may use only letters, digits, '-' and '_' (names are parts of key paths such as pools.<name>.headcount and of folder names); rename it, e.g. {fixed:?}"
    ))
}

/// The character a name may hold for `c`: `c` itself when it is an ASCII letter, digit, `-`
/// or `_`, else `_`.
pub fn name_char(c: char) -> char {
    if c.is_ascii_alphanumeric() || c == '-' {
        c
    } else {
        '_'
    }
}

/// A valid scenario name made from `text` (a file stem): characters other than ASCII
/// letters, digits, `-` and `_` become `_`, leading dots and `_` are dropped, and the result
/// is cut to [`MAX_NAME_LEN`]; `fallback` when nothing is left.
pub fn name_from(text: &str, fallback: &str) -> String {
    let name: String = text
        .trim_start_matches(['.', '_'])
        .chars()
        .map(name_char)
        .take(MAX_NAME_LEN)
        .collect();
    if name.trim_matches('_').is_empty() {
        fallback.to_string()
    } else {
        name
    }
}

/// Largest arrival trace or open-ticket file (`[demand] trace`, `[initial_state] file`)
/// [bytes]: it is read whole into memory at validation.
pub const MAX_TRACE_BYTES: u64 = 1 << 30;

/// Most rows of a trace (each is held in memory, 40 bytes, by every replication's source).
pub const MAX_TRACE_ROWS: usize = 10_000_000;

/// Most tickets of an initial backlog (all are stored at t = 0).
pub const MAX_BACKLOG_TICKETS: u64 = 1_000_000;

/// Oldest backlog ticket when its age counts on business-hours clocks
/// (`[initial_state] age_on_business_clocks`): every calendar is built back over it, one
/// local day at a time [minutes] (10 years).
pub const MAX_BUSINESS_CLOCK_AGE_MIN: f64 = 3660.0 * 1440.0;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_made_from_file_stems_are_valid() {
        for (stem, want) in [
            ("my starter", "my_starter"),
            ("équipe", "_quipe"),
            (".toml", "toml"),
            ("", "starter"),
            ("___", "starter"),
            ("ok-name_1", "ok-name_1"),
        ] {
            let got = name_from(stem, "starter");
            assert_eq!(got, want, "{stem:?}");
            assert_eq!(name_problem(&got), None, "{stem:?}");
        }
        let long = name_from(&"x".repeat(500), "s");
        assert_eq!(long.len(), MAX_NAME_LEN);
        assert_eq!(name_problem(&long), None);
    }

    #[test]
    fn names_are_restricted_with_a_suggestion() {
        assert!(name_problem("l1-early_2").is_none());
        assert!(name_problem("").unwrap().contains("empty"));
        let m = name_problem("early.shift").unwrap();
        assert!(m.contains("\"early_shift\""), "{m}");
        assert!(name_problem("../etc").is_some());
        assert!(name_problem("équipe").is_some());
        assert!(
            name_problem(&"x".repeat(65))
                .unwrap()
                .contains("at most 64")
        );
    }
}
