//! Malformed input: empty values, wrong types and unknown keys, files that are not scenarios.

use super::Input::*;
use super::Special;
use super::*;

/// Empty strings, lists and tables where something is needed.
pub(super) const EMPTY: &[Case] = &[
    case(
        "no pools",
        Text(
            "name = \"x\"\npools = []\ntiers = []\n[demand]\ntickets_per_hour = 1\nchannels = { email = 1 }\npriorities = { P1 = 1 }\nsegments = { a = 1 }\nrequired_level = { 1 = 1 }\n",
        ),
        &["pools", "at least one"],
    ),
    case(
        "no segments",
        Sub(
            "segments = { smb = 0.7, enterprise = 0.3 }",
            "segments = {}",
        ),
        &["demand.segments", "at least one segment"],
    ),
    case(
        "empty channels",
        Sub(
            "channels = { email = 0.5, chat = 0.3, phone = 0.2 }",
            "channels = {}",
        ),
        &["demand.channels", "sum to 1"],
    ),
    case(
        "empty weekday weights",
        Sub(
            "weekday_weights = [1, 1, 1, 1, 1, 1, 1]",
            "weekday_weights = []",
        ),
        &["demand.weekday_weights", "7 entries"],
    ),
    case(
        "all-zero weights",
        Sub(
            "weekday_weights = [1, 1, 1, 1, 1, 1, 1]",
            "weekday_weights = [0, 0, 0, 0, 0, 0, 0]",
        ),
        &["demand.weekday_weights", "all weights are 0"],
    ),
    case(
        "empty timezone",
        Sub("timezone = \"UTC\"", "timezone = \"\""),
        &["demand.timezone"],
    ),
    case(
        "empty start",
        Sub("start = \"00:00\"", "start = \"\""),
        &["pools[0].shifts[0].start", "HH:MM"],
    ),
    case(
        "empty date",
        Sub("[run]", "[run]\nstart_date = \"\""),
        &["run.start_date", "YYYY-MM-DD"],
    ),
    case(
        "empty empirical",
        Sub(
            "work_time.default = { dist = \"exponential\", mean_min = 8 }",
            "work_time.default = { dist = \"empirical\", samples_min = [] }",
        ),
        &["tiers[0].work_time.default.samples_min", "at least one"],
    ),
    case(
        "empty model",
        Sub("model = \"tiered\"", "model = \"\""),
        &["model", "unknown model"],
    ),
    case(
        "empty sla entry",
        Add("[[sla]]\npriority = \"P2\""),
        &["sla[1]", "neither first_response nor resolution"],
    ),
    case(
        "sla limit missing",
        Sub(
            "first_response = { target_min = 15, goal = 0.9 }",
            "first_response = { goal = 0.9 }",
        ),
        &["sla[0].first_response", "missing time limit"],
    ),
    case("empty file", Text(""), &["missing field"]),
    case("only whitespace", Text("   \n\n  "), &["missing field"]),
    case(
        "empty required level",
        Sub(
            "required_level = { 0 = 0.1, 1 = 0.6, 2 = 0.3 }",
            "required_level = {}",
        ),
        &["demand.required_level"],
    ),
    case(
        "every ticket deflected",
        Sub(
            "required_level = { 0 = 0.1, 1 = 0.6, 2 = 0.3 }",
            "required_level = { 0 = 1.0 }",
        ),
        &["demand.required_level", "deflected"],
    ),
    case(
        "no tiers",
        Sub2(
            "[[tiers]]\nlevel = 1\npool = \"l1\"",
            "[[nottiers]]\nlevel = 1\npool = \"l1\"",
            "[[tiers]]\nlevel = 2",
            "[[nottiers2]]\nlevel = 2",
        ),
        &["unknown field"],
    ),
    case(
        "empty holiday",
        Sub("end = \"17:00\"", "end = \"17:00\"\nholidays = [\"\"]"),
        &["calendars[0].holidays[0]"],
    ),
    case(
        "zero headcount everywhere",
        Sub2(
            "headcount = 4",
            "headcount = 0",
            "headcount = 4",
            "headcount = 0",
        ),
        &["pools[0].shifts[0].headcount", "at least 1"],
    ),
];

/// Wrong types, unknown keys and broken TOML.
pub(super) const TYPES_AND_KEYS: &[Case] = &[
    case(
        "headcount as text",
        Sub("headcount = 3", "headcount = \"three\""),
        &["pools[1].headcount", "invalid type"],
    ),
    case(
        "headcount as float",
        Sub("headcount = 3", "headcount = 3.5"),
        &["pools[1].headcount"],
    ),
    case(
        "rate as text",
        Sub("tickets_per_hour = 20", "tickets_per_hour = \"20\""),
        &["demand.tickets_per_hour", "invalid type"],
    ),
    case(
        "weights as table",
        Sub(
            "weekday_weights = [1, 1, 1, 1, 1, 1, 1]",
            "weekday_weights = { mon = 1 }",
        ),
        &["demand.weekday_weights"],
    ),
    case(
        "pools as table",
        Text("name = \"x\"\n[pools]\nname = \"l1\"\n"),
        &["pools"],
    ),
    case(
        "days as text",
        Sub(
            "days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\"]\nstart = \"00:00\"",
            "days = \"mon\"\nstart = \"00:00\"",
        ),
        &["pools[0].shifts[0].days"],
    ),
    case(
        "unknown day",
        Sub("days = [\"mon\", \"tue\"", "days = [\"monday\", \"tue\""),
        &["pools[0].shifts[0].days"],
    ),
    case(
        "boolean seed",
        Sub("seed = 1", "seed = true"),
        &["run.seed"],
    ),
    case(
        "date as datetime",
        Sub("[run]", "[run]\nstart_date = 2026-01-05T10:00:00Z"),
        &["run.start_date"],
    ),
    case(
        "unknown top key",
        Add("colour = \"blue\""),
        &["unknown field `colour`"],
    ),
    case(
        "unknown run key",
        Sub("[run]", "[run]\nthreads = 4"),
        &["run.threads", "unknown field"],
    ),
    case(
        "misspelt run key suggests the key",
        Sub("drain_days = 1", "drian_days = 1"),
        &["run.drian_days", "did you mean `drain_days`?"],
    ),
    case(
        "misspelt distribution suggests the variant",
        Sub("dist = \"lognormal\"", "dist = \"lognormel\""),
        &[
            "tiers[1].work_time.default.dist",
            "did you mean `lognormal`?",
        ],
    ),
    case(
        "run key below the last header is sent to [run]",
        Add("replications = 5\n"),
        &["sla[0].replications", "is a key of [run]", "move it below"],
    ),
    case(
        "unknown pool key",
        Sub(
            "cost_per_hour_usd = 30",
            "cost_per_hour_usd = 30\nagents = 4",
        ),
        &["pools[0].agents", "unknown field"],
    ),
    case(
        "unknown channel",
        Sub("email = 0.5", "fax = 0.5"),
        &["demand.channels.fax"],
    ),
    case(
        "unknown priority",
        Sub("P4 = 0.4", "P5 = 0.4"),
        &["demand.priorities.P5"],
    ),
    case(
        "unknown level",
        Sub("2 = 0.3", "5 = 0.3"),
        &["demand.required_level.5"],
    ),
    case(
        "unknown dist",
        Sub("dist = \"exponential\"", "dist = \"weibull\""),
        &["tiers[0].work_time.default.dist"],
    ),
    case(
        "unknown model",
        Sub("model = \"tiered\"", "model = \"matrix\""),
        &["model", "unknown model \"matrix\""],
    ),
    case(
        "unknown sourcing",
        Sub("sourcing = \"outsourced\"", "sourcing = \"robots\""),
        &["pools[1].sourcing"],
    ),
    case(
        "unknown timezone",
        Sub("timezone = \"UTC\"", "timezone = \"Mars/Olympus\""),
        &["demand.timezone", "IANA"],
    ),
    case(
        "unknown priority in sla",
        Sub("priority = \"P1\"", "priority = \"P0\""),
        &["sla[0].priority", "unknown priority"],
    ),
    case("not toml", Text("this is [not toml"), &["not valid TOML"]),
    case(
        "unterminated string",
        Sub("name = \"hostile\"", "name = \"hostile"),
        &["not valid TOML"],
    ),
    case(
        "duplicate key",
        Sub("seed = 1", "seed = 1\nseed = 2"),
        &["not valid TOML", "duplicate key at `seed = 2`"],
    ),
    case(
        "json instead of toml",
        Text("{\"name\": \"x\"}"),
        &["not valid TOML"],
    ),
    case(
        "tier level 4",
        Sub("level = 2", "level = 4"),
        &["tiers[1].level"],
    ),
    case(
        "tier level 0",
        Sub("level = 1", "level = 0"),
        &["tiers[0].level"],
    ),
    case(
        "hours end before start",
        Sub(
            "headcount = 3",
            "headcount = 3\nhours = { days = [\"mon\"], start = \"17:00\", end = \"09:00\" }",
        ),
        &["pools[1].hours.end", "after start"],
    ),
    case(
        "time 25:00",
        Sub("start = \"00:00\"", "start = \"25:00\""),
        &["pools[0].shifts[0].start"],
    ),
    case(
        "time off the quarter hour",
        Sub("start = \"00:00\"", "start = \"00:07\""),
        &["pools[0].shifts[0].start", "quarter hour"],
    ),
    case(
        "shares not summing",
        Sub("email = 0.5", "email = 0.6"),
        &["demand.channels", "sum to 1"],
    ),
];

/// Files that are not scenario files.
pub(super) const FILES: &[Case] = &[
    case(
        "missing file",
        Special(Special::Missing),
        &["no-such-scenario.toml", "cannot read scenario file"],
    ),
    case(
        "a folder",
        Special(Special::Folder),
        &["folder.toml", "not a regular file (a folder)"],
    ),
    case(
        "/dev/zero",
        Special(Special::DevZero),
        &["/dev/zero", "not a regular file (a device)"],
    ),
    case(
        "/dev/null",
        Special(Special::DevNull),
        &["/dev/null", "not a regular file"],
    ),
    case(
        "a named pipe",
        Special(Special::Fifo),
        &["pipe.toml", "named pipe"],
    ),
    case(
        "dangling symlink",
        Special(Special::DanglingLink),
        &["link.toml", "cannot read"],
    ),
    case(
        "path below a file",
        Special(Special::BelowAFile),
        &["inner.toml", "cannot read"],
    ),
    case(
        "5 MB file",
        Special(Special::Huge),
        &["scenario.toml", "at most 4194304 bytes"],
    ),
    case(
        "binary garbage",
        Special(Special::Binary),
        &["scenario.toml", "not a text file"],
    ),
];
