//! Names in key paths and folder names, also as `staff` and `sweep` address them.

use super::Input::*;
use super::*;

/// Names used in key paths and folder names: unicode, path traversal, dots, spaces, empty,
/// too long, duplicates.
pub(super) const NAMES: &[Case] = &[
    case(
        "segment named like a default priority",
        Sub("smb = 0.7", "P1 = 0.7"),
        &["demand.segments.P1", "a priority", "name of its own"],
    ),
    case(
        "segment named all",
        Sub("smb = 0.7", "all = 0.7"),
        &["demand.segments.all", "every ticket"],
    ),
    case(
        "segments differing only in case",
        Sub("smb = 0.7", "Enterprise = 0.7"),
        &["demand.segments.enterprise", "only in case"],
    ),
    case(
        "segment named like a default channel",
        Sub("smb = 0.7", "chat = 0.7"),
        &["demand.segments.chat", "a channel"],
    ),
    case(
        "pool name with a dot",
        Sub2(
            "name = \"l1\"",
            "name = \"l1.x\"",
            "pool = \"l1\"",
            "pool = \"l1.x\"",
        ),
        &["pools[0].name", "\"l1_x\""],
    ),
    case(
        "pool name traversal",
        Sub2(
            "name = \"l1\"",
            "name = \"../../etc\"",
            "pool = \"l1\"",
            "pool = \"../../etc\"",
        ),
        &["pools[0].name", "letters, digits"],
    ),
    case(
        "pool name unicode",
        Sub2(
            "name = \"l1\"",
            "name = \"équipe\"",
            "pool = \"l1\"",
            "pool = \"équipe\"",
        ),
        &["pools[0].name", "rename it"],
    ),
    case(
        "pool name emoji",
        Sub2(
            "name = \"l1\"",
            "name = \"🔥\"",
            "pool = \"l1\"",
            "pool = \"🔥\"",
        ),
        &["pools[0].name"],
    ),
    case(
        "pool name empty",
        Sub2(
            "name = \"l1\"",
            "name = \"\"",
            "pool = \"l1\"",
            "pool = \"\"",
        ),
        &["pools[0].name", "must not be empty"],
    ),
    case(
        "pool name space",
        Sub2(
            "name = \"l1\"",
            "name = \"tier one\"",
            "pool = \"l1\"",
            "pool = \"tier one\"",
        ),
        &["pools[0].name", "\"tier_one\""],
    ),
    case(
        "pool name slash",
        Sub2(
            "name = \"l1\"",
            "name = \"a/b\"",
            "pool = \"l1\"",
            "pool = \"a/b\"",
        ),
        &["pools[0].name"],
    ),
    case(
        "pool name too long",
        Sub2(
            "name = \"l1\"",
            "name = \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"",
            "pool = \"l1\"",
            "pool = \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"",
        ),
        &["pools[0].name", "at most 64"],
    ),
    case(
        "pool name newline",
        Sub2(
            "name = \"l1\"",
            "name = \"l1\\nx\"",
            "pool = \"l1\"",
            "pool = \"l1\\nx\"",
        ),
        &["pools[0].name"],
    ),
    case(
        "pool name nul",
        Sub2(
            "name = \"l1\"",
            "name = \"l1\\u0000\"",
            "pool = \"l1\"",
            "pool = \"l1\\u0000\"",
        ),
        &["pools[0].name"],
    ),
    case(
        "duplicate pool",
        Sub("name = \"l2\"", "name = \"l1\""),
        &["pools[1].name", "duplicate pool name"],
    ),
    case(
        "shift name with a dot",
        Sub("name = \"early\"", "name = \"early.shift\""),
        &["pools[0].shifts[0].name", "\"early_shift\""],
    ),
    case(
        "shift name unicode",
        Sub("name = \"early\"", "name = \"früh\""),
        &["pools[0].shifts[0].name"],
    ),
    case(
        "shift name traversal",
        Sub("name = \"early\"", "name = \"../x\""),
        &["pools[0].shifts[0].name"],
    ),
    case(
        "shift name empty",
        Sub("name = \"early\"", "name = \"\""),
        &["pools[0].shifts[0].name", "empty"],
    ),
    case(
        "duplicate shift name",
        Sub("name = \"late\"", "name = \"early\""),
        &["pools[0].shifts[1].name", "duplicate shift name"],
    ),
    case(
        "segment name with a dot",
        Sub("smb = 0.7", "\"s.mb\" = 0.7"),
        &["demand.segments", "\"s_mb\""],
    ),
    case(
        "segment name unicode",
        Sub("smb = 0.7", "\"小企业\" = 0.7"),
        &["demand.segments", "letters, digits"],
    ),
    case(
        "segment name empty",
        Sub("smb = 0.7", "\"\" = 0.7"),
        &["demand.segments", "empty"],
    ),
    case(
        "segment name traversal",
        Sub("smb = 0.7", "\"../../x\" = 0.7"),
        &["demand.segments"],
    ),
    case(
        "calendar name with a dot",
        Sub2(
            "name = \"office\"",
            "name = \"of.fice\"",
            "clock = \"office\"",
            "clock = \"of.fice\"",
        ),
        &["calendars[0].name"],
    ),
    case(
        "calendar name unicode",
        Sub2(
            "name = \"office\"",
            "name = \"büro\"",
            "clock = \"office\"",
            "clock = \"büro\"",
        ),
        &["calendars[0].name"],
    ),
    case(
        "calendar named 24x7",
        Sub2(
            "name = \"office\"",
            "name = \"24x7\"",
            "clock = \"office\"",
            "clock = \"24x7\"",
        ),
        &["calendars[0].name", "wall clock"],
    ),
    case(
        "duplicate calendar",
        Add("[[calendars]]\nname = \"office\"\ntimezone = \"UTC\""),
        &["calendars[1].name", "duplicate calendar name"],
    ),
    case(
        "scenario name traversal",
        Sub("name = \"hostile\"", "name = \"../../tmp/x\""),
        &["name:", "output folder"],
    ),
    case(
        "scenario name unicode",
        Sub("name = \"hostile\"", "name = \"szenário\""),
        &["name:"],
    ),
    case(
        "scenario name empty",
        Sub("name = \"hostile\"", "name = \"\""),
        &["name:", "empty"],
    ),
    case(
        "scenario name absolute",
        Sub("name = \"hostile\"", "name = \"/etc/passwd\""),
        &["name:"],
    ),
    case(
        "unknown pool in tier",
        Sub("pool = \"l2\"", "pool = \"l9\""),
        &["tiers[1].pool", "no pool named \"l9\""],
    ),
    case(
        "unknown calendar clock",
        Sub("clock = \"office\"", "clock = \"offce\""),
        &["sla[0].resolution.clock", "unknown clock"],
    ),
    case(
        "unknown sla segment",
        Sub("priority = \"P1\"", "segment = \"vip\""),
        &["sla[0].segment", "unknown segment"],
    ),
    case(
        "duplicate priority names",
        Sub(
            "[demand]\n",
            "[demand]\npriority_names = [\"P1\", \"P2\", \"P3\", \"P4\", \"P2\"]\n",
        ),
        &["demand.priority_names[4]", "duplicate priority \"P2\""],
    ),
    case(
        "empty priority names",
        Sub("[demand]\n", "[demand]\npriority_names = []\n"),
        &["demand.priority_names", "is empty"],
    ),
    case(
        "nine priority names",
        Sub(
            "[demand]\n",
            "[demand]\npriority_names = [\"P1\", \"P2\", \"P3\", \"P4\", \"P5\", \"P6\", \"P7\", \"P8\", \"P9\"]\n",
        ),
        &["demand.priority_names", "has 9 names; at most 8"],
    ),
    case(
        "priority name with a space",
        Sub(
            "[demand]\n",
            "[demand]\npriority_names = [\"P1\", \"P2\", \"P3\", \"P 4\"]\n",
        ),
        &["demand.priority_names[3]", "\"P_4\""],
    ),
    case(
        "priority name that is a segment",
        Sub(
            "[demand]\n",
            "[demand]\npriority_names = [\"P1\", \"P2\", \"P3\", \"smb\"]\n",
        ),
        &["demand.priority_names[3]", "also the name of a segment"],
    ),
    case(
        "mix priority not among the file's names",
        Sub(
            "[demand]\n",
            "[demand]\npriority_names = [\"P1\", \"P2\", \"P3\"]\n",
        ),
        &[
            "demand.priorities.P4: unknown priority \"P4\"",
            "the file's priorities are P1, P2, P3 (set demand.priority_names to add more)",
        ],
    ),
    case(
        "sla priority not among the file's names",
        Sub2(
            "[demand]\n",
            "[demand]\npriority_names = [\"hi\", \"lo\"]\n",
            "priorities = { P1 = 0.1, P2 = 0.2, P3 = 0.3, P4 = 0.4 }",
            "priorities = { hi = 0.3, lo = 0.7 }",
        ),
        &[
            "sla[0].priority: unknown priority \"P1\"",
            "the file's priorities are hi, lo",
        ],
    ),
    case(
        "backlog priority not among the file's names",
        Add(
            "[initial_state]\n[[initial_state.open]]\nstage = \"L1\"\npriority = \"P9\"\ncount = 5\nage_min = 10\n",
        ),
        &[
            "initial_state.open[0].priority: unknown priority \"P9\"",
            "the file's priorities are P1, P2, P3, P4",
        ],
    ),
    case(
        "severity priority not among the file's names",
        Add(
            "[incidents]\naccounts = { smb = 100, enterprise = 10 }\nrate_per_month = 1\n[[incidents.severities]]\nname = \"major\"\npriority = \"P0\"\nduration_min = 60\naffected_share = 0.1\n",
        ),
        &["incidents.severities[0].priority: unknown priority \"P0\""],
    ),
];

/// The attacks of the hardening issue through `staff` and `sweep`, which address pools and
/// shifts by name: refused when the file is read, before any search or grid.
pub(super) const NAMES_IN_STUDIES: &[Case] = &[
    Case {
        name: "staff with a dotted shift name",
        input: Sub("name = \"early\"", "name = \"early.shift\""),
        args: &[
            "staff",
            "{file}",
            "--out",
            "{out}",
            "--target",
            "abandonment <= 0.05",
        ],
        want: &["pools[0].shifts[0].name", "\"early_shift\""],
    },
    Case {
        name: "staff with duplicate shift names",
        input: Sub("name = \"late\"", "name = \"early\""),
        args: &[
            "staff",
            "{file}",
            "--out",
            "{out}",
            "--target",
            "abandonment <= 0.05",
        ],
        want: &["duplicate shift name \"early\""],
    },
    Case {
        name: "sweep with a dotted pool name",
        input: Sub2(
            "name = \"l2\"",
            "name = \"agents.x\"",
            "pool = \"l2\"",
            "pool = \"agents.x\"",
        ),
        args: &[
            "sweep",
            "{file}",
            "--out",
            "{out}",
            "--vary",
            "pools.agents.x.headcount=3,4",
        ],
        want: &["pools[1].name", "\"agents_x\""],
    },
    Case {
        name: "compare with a traversal name",
        input: Sub("name = \"hostile\"", "name = \"../../escape\""),
        args: &["compare", "{file}", "{file}", "--out", "{out}"],
        want: &["name:", "output folder"],
    },
];
