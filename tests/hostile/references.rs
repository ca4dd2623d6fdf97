//! Names and numbers that are each valid alone but refer to something the file does not have:
//! a category's level without a tier, a target on a group no SLA covers, a roster entry for
//! no pool, an empty sweep grid. Each used to pass validation and then panic, or run to a
//! meaningless answer.

use super::Input::*;
use super::*;

const fn with(
    name: &'static str,
    input: Input,
    args: &'static [&'static str],
    want: &'static [&'static str],
) -> Case {
    Case {
        name,
        input,
        args,
        want,
    }
}

const VALIDATE: &[&str] = &["validate", "{file}"];

pub(super) const REFERENCES: &[Case] = &[
    case(
        "category level without a tier (was a panic at the first such ticket)",
        Add(
            "[categories]\nmix = { general = 0.5, security = 0.5 }\n[categories.profile.security]\nrequired_level = { 3 = 1.0 }",
        ),
        &[
            "categories.profile.security.required_level.3",
            "no tier has level = 3",
            "add a [[tiers]] entry",
        ],
    ),
    case(
        "category level 4 without a vendor",
        Add(
            "[categories]\nmix = { general = 0.5, security = 0.5 }\n[categories.profile.security]\nrequired_level = { 1 = 0.5, 4 = 0.5 }",
        ),
        &[
            "categories.profile.security.required_level.4",
            "no [vendor] table",
        ],
    ),
    with(
        "staff target on a priority no SLA covers",
        Base,
        &[
            "staff",
            "{file}",
            "--target",
            "first_response.P3.attainment >= 0.9",
            "--out",
            "{out}",
        ],
        &[
            "no [[sla]] entry sets a first_response target for \"P3\"",
            "covered: ",
        ],
    ),
    with(
        "roster target on a segment no SLA covers",
        Sub(
            "priority = \"P1\"\nfirst_response",
            "priority = \"P1\"\nsegment = \"enterprise\"\nfirst_response",
        ),
        &[
            "roster",
            "{file}",
            "--target",
            "resolution.smb.attainment >= 0.8",
            "--out",
            "{out}",
        ],
        &["no [[sla]] entry sets a resolution target for \"smb\""],
    ),
    with(
        "plan target on a priority no SLA covers",
        Add("[plan]\nhorizon_months = 1\ntargets = [\"resolution.P4.attainment >= 0.8\"]"),
        VALIDATE,
        &["plan.targets[0]", "resolution target for \"P4\""],
    ),
    with(
        "roster entry for no pool (a typo was ignored)",
        Add("[roster]\nlengths_hours = [8]\n[[roster.pools]]\nname = \"L1\"\nkeep = true"),
        VALIDATE,
        &[
            "roster.pools[0].name",
            "no pool named \"L1\"",
            "pools: l1, l2",
        ],
    ),
    with(
        "sweep with an empty grid and no --vary",
        Add("[sweep]\nvary = []"),
        &["sweep", "{file}", "--out", "{out}"],
        &["sweep.vary is an empty list", "--vary KEY=VALUES"],
    ),
    case(
        "routing rule whose every pool is never (its tickets were never served, silently)",
        Add(
            "[categories]\nmix = { general = 0.8, security = 0.2 }\n[routing]\n[[routing.rule]]\nlevel = 1\ncategory = \"security\"\npools = [{ pool = \"l1\", after_min = inf }]",
        ),
        &["routing.rule[0].pools", "never served", "finite after_min"],
    ),
    with(
        "requirements beyond any organisation (printed a clamped 4294967295)",
        Sub2(
            "name = \"l1\"\ncost_per_hour_usd = 30",
            "name = \"l1\"\ncost_per_hour_usd = 30\nshrinkage = 0.9999999\nmax_occupancy = 0.01",
            "horizon_days = 2",
            "horizon_days = 7",
        ),
        &["requirements", "{file}", "--out", "{out}"],
        &[
            "pool \"l1\" would need",
            "scheduled agents",
            "pools.l1.shrinkage",
        ],
    ),
];
