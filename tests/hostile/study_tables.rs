//! Tables only a study command reads (`[plan]`, `[sweep]`, `[roster]`): a file whose table is
//! invalid is refused by every command, `validate` and `run` included, with every problem of
//! the table named at once.

use super::Input::*;
use super::*;

const VALIDATE: &[&str] = &["validate", "{file}"];

const fn validate(name: &'static str, input: Input, want: &'static [&'static str]) -> Case {
    Case {
        name,
        input,
        args: VALIDATE,
        want,
    }
}

pub(super) const STUDY_TABLES: &[Case] = &[
    validate(
        "plan: every key out of range, all reported",
        Add(
            "[plan]\nhorizon_months = 19\ntraining_weeks = -4\nattrition = { nobody = 0.5 }\nreplications = 0",
        ),
        &[
            "plan.horizon_months",
            "at most 18",
            "plan.training_weeks",
            "plan.attrition.nobody",
            "unknown pool",
            "plan.replications",
        ],
    ),
    case(
        "plan: run refuses an invalid [plan] too",
        Add("[plan]\nhorizon_months = 0"),
        &["plan.horizon_months", "at least 1"],
    ),
    validate(
        "plan: a garbage target named by its key path",
        Add(
            "[plan]\nhorizon_months = 2\ntargets = [\"first_response.all.attainment >= 0.9\", \"garbage\"]",
        ),
        &["plan.targets[1]", "garbage"],
    ),
    validate(
        "sweep: a garbage expression",
        Add("[sweep]\nvary = [\"garbage\"]"),
        &["[sweep] vary", "garbage"],
    ),
    validate(
        "sweep: an undefined pool",
        Add("[sweep]\nvary = [\"pools.nobody.headcount=1,2\"]"),
        &["[sweep] vary", "nobody"],
    ),
    validate(
        "sweep: a value the scenario refuses",
        Add("[sweep]\nvary = [\"run.warmup_days=1,-3\"]"),
        &["run.warmup_days", "-3"],
    ),
    validate(
        "roster: more patterns than a rostered pool holds",
        Add(
            "[roster]\nstart_step_min = 15\nlengths_hours = [4, 6, 8, 10]\ndays = [[\"mon\"], [\"tue\"], [\"wed\"]]",
        ),
        &["roster", "1152 shift patterns", "start_step_min"],
    ),
    validate(
        "roster: a shift length listed twice",
        Add("[roster]\nlengths_hours = [8, 8]"),
        &["roster.lengths_hours[1]", "listed twice"],
    ),
    validate(
        "roster: a day set listed twice",
        Add("[roster]\ndays = [[\"mon\", \"tue\"], [\"tue\", \"mon\"]]"),
        &["roster.days[1]", "same set of days"],
    ),
    validate(
        "roster: two entries for one pool",
        Add(
            "[[roster.pools]]\nname = \"l1\"\ncost_per_hour_usd = 10\n[[roster.pools]]\nname = \"l1\"\ncost_per_hour_usd = 100",
        ),
        &["roster.pools[1].name", "earlier"],
    ),
    validate(
        "roster: a negative trim budget",
        Add("[roster]\nmax_trim_evaluations = -1"),
        &["roster.max_trim_evaluations", "whole number"],
    ),
];
