//! Numbers out of range: non-finite, negative and huge values.

use super::Input::*;
use super::*;

/// NaN and infinities (TOML `nan`, `inf`, `-inf`) in every kind of number.
pub(super) const NON_FINITE: &[Case] = &[
    case(
        "rate nan",
        Sub("tickets_per_hour = 20", "tickets_per_hour = nan"),
        &["demand.tickets_per_hour", "finite"],
    ),
    case(
        "rate inf",
        Sub("tickets_per_hour = 20", "tickets_per_hour = inf"),
        &["demand.tickets_per_hour", "finite"],
    ),
    case(
        "weekday weight nan",
        Sub("weekday_weights = [1,", "weekday_weights = [nan,"),
        &["demand.weekday_weights[0]"],
    ),
    case(
        "hour weight inf",
        Sub("hour_weights = [1,", "hour_weights = [inf,"),
        &["demand.hour_weights[0]"],
    ),
    case(
        "growth nan",
        Sub("growth_per_month = 0.0", "growth_per_month = nan"),
        &["demand.growth_per_month"],
    ),
    case(
        "growth inf",
        Sub("growth_per_month = 0.0", "growth_per_month = inf"),
        &["demand.growth_per_month"],
    ),
    case(
        "dispersion nan",
        Sub("daily_dispersion_cv = 0.0", "daily_dispersion_cv = nan"),
        &["demand.daily_dispersion_cv"],
    ),
    case(
        "dispersion inf",
        Sub("daily_dispersion_cv = 0.0", "daily_dispersion_cv = inf"),
        &["demand.daily_dispersion_cv"],
    ),
    case(
        "channel share nan",
        Sub("email = 0.5", "email = nan"),
        &["demand.channels.email"],
    ),
    case(
        "segment share inf",
        Sub("smb = 0.7", "smb = inf"),
        &["demand.segments.smb"],
    ),
    case(
        "level share nan",
        Sub("1 = 0.6", "1 = nan"),
        &["demand.required_level.1"],
    ),
    case(
        "surge multiplier inf",
        Sub("multiplier = 2", "multiplier = inf"),
        &["demand.surges[0].multiplier"],
    ),
    case(
        "surge start nan",
        Sub("start_day = 1", "start_day = nan"),
        &["demand.surges[0].start_day"],
    ),
    case(
        "surge duration inf",
        Sub("duration_hours = 4", "duration_hours = inf"),
        &["demand.surges[0].duration_hours"],
    ),
    case(
        "work mean nan",
        Sub("mean_min = 8", "mean_min = nan"),
        &["tiers[0].work_time.default.mean_min", "finite"],
    ),
    case(
        "work mean inf",
        Sub("mean_min = 8", "mean_min = inf"),
        &["tiers[0].work_time.default.mean_min"],
    ),
    case(
        "work cv inf",
        Sub("cv = 1.0", "cv = inf"),
        &["tiers[1].work_time.default.cv"],
    ),
    case(
        "patience nan",
        Sub("mean_min = 5", "mean_min = nan"),
        &["customers.patience.chat.mean_min"],
    ),
    case(
        "warmup inf",
        Sub("warmup_days = 1", "warmup_days = inf"),
        &["run.warmup_days", "finite"],
    ),
    case(
        "horizon nan",
        Sub("horizon_days = 2", "horizon_days = nan"),
        &["run.horizon_days"],
    ),
    case(
        "drain inf",
        Sub("drain_days = 1", "drain_days = inf"),
        &["run.drain_days"],
    ),
    case(
        "interval nan",
        Sub(
            "timeseries_interval_min = 60",
            "timeseries_interval_min = nan",
        ),
        &["run.timeseries_interval_min"],
    ),
    case(
        "cost per hour inf",
        Sub("cost_per_hour_usd = 30", "cost_per_hour_usd = inf"),
        &["pools[0].cost_per_hour_usd"],
    ),
    case(
        "contract price nan",
        Sub(
            "price_per_logged_hour_usd = 25",
            "price_per_logged_hour_usd = nan",
        ),
        &["pools[1].contract.price_per_logged_hour_usd"],
    ),
    case(
        "minimum seats inf",
        Sub("minimum_seats = 1", "minimum_seats = inf"),
        &["pools[1].contract.minimum_seats"],
    ),
    case(
        "sla limit inf",
        Sub("target_min = 15", "target_min = inf"),
        &["sla[0].first_response.target_min"],
    ),
    case(
        "sla goal nan",
        Sub("goal = 0.9", "goal = nan"),
        &["sla[0].first_response.goal"],
    ),
    case(
        "shrinkage nan",
        Sub(
            "cost_per_hour_usd = 30",
            "cost_per_hour_usd = 30\nshrinkage = nan",
        ),
        &["pools[0].shrinkage"],
    ),
    case(
        "occupancy nan",
        Sub(
            "cost_per_hour_usd = 30",
            "cost_per_hour_usd = 30\nmax_occupancy = nan",
        ),
        &["pools[0].max_occupancy"],
    ),
    case(
        "work factor inf",
        Sub(
            "cost_per_hour_usd = 30",
            "cost_per_hour_usd = 30\nwork_time_factor = inf",
        ),
        &["pools[0].work_time_factor"],
    ),
    case(
        "handover nan",
        Sub(
            "cost_per_hour_usd = 30",
            "cost_per_hour_usd = 30\nhandover_min = nan",
        ),
        &["pools[0].handover_min"],
    ),
    case(
        "deterministic work nan",
        Sub(
            "work_time.default = { dist = \"exponential\", mean_min = 8 }",
            "work_time.default = nan",
        ),
        &["tiers[0].work_time.default", "finite"],
    ),
    case(
        "empirical sample inf",
        Sub(
            "work_time.default = { dist = \"exponential\", mean_min = 8 }",
            "work_time.default = { dist = \"empirical\", samples_min = [1, inf] }",
        ),
        &["tiers[0].work_time.default.samples_min"],
    ),
];

/// Negative numbers where only non-negative ones make sense.
pub(super) const NEGATIVE: &[Case] = &[
    case(
        "rate",
        Sub("tickets_per_hour = 20", "tickets_per_hour = -20"),
        &["demand.tickets_per_hour", "must be > 0"],
    ),
    case(
        "weekday weight",
        Sub("weekday_weights = [1,", "weekday_weights = [-1,"),
        &["demand.weekday_weights[0]", ">= 0"],
    ),
    case(
        "growth below -1",
        Sub("growth_per_month = 0.0", "growth_per_month = -1.5"),
        &["demand.growth_per_month", "> -1"],
    ),
    case(
        "dispersion",
        Sub("daily_dispersion_cv = 0.0", "daily_dispersion_cv = -0.2"),
        &["demand.daily_dispersion_cv"],
    ),
    case(
        "channel share",
        Sub("email = 0.5", "email = -0.5"),
        &["demand.channels.email"],
    ),
    case(
        "surge multiplier",
        Sub("multiplier = 2", "multiplier = -2"),
        &["demand.surges[0].multiplier"],
    ),
    case(
        "surge duration",
        Sub("duration_hours = 4", "duration_hours = -4"),
        &["demand.surges[0].duration_hours"],
    ),
    case(
        "headcount",
        Sub("headcount = 3", "headcount = -3"),
        &["pools[1].headcount"],
    ),
    case(
        "shift headcount",
        Sub("headcount = 4", "headcount = -4"),
        &["pools[0].shifts[0].headcount"],
    ),
    case(
        "work mean",
        Sub("mean_min = 8", "mean_min = -8"),
        &["tiers[0].work_time.default.mean_min", "> 0"],
    ),
    case(
        "deterministic work",
        Sub(
            "work_time.default = { dist = \"exponential\", mean_min = 8 }",
            "work_time.default = -3",
        ),
        &["tiers[0].work_time.default", ">= 0"],
    ),
    case(
        "warmup",
        Sub("warmup_days = 1", "warmup_days = -1"),
        &["run.warmup_days", ">= 0"],
    ),
    case(
        "interval",
        Sub(
            "timeseries_interval_min = 60",
            "timeseries_interval_min = -60",
        ),
        &["run.timeseries_interval_min"],
    ),
    case(
        "replications",
        Sub("replications = 2", "replications = -2"),
        &["run.replications"],
    ),
    case(
        "seed",
        Sub("seed = 1", "seed = -1"),
        &[
            "run.seed",
            "the number `-1`, expected a whole number from 0",
        ],
    ),
    case(
        "max open",
        Sub("max_open_tickets = 100000", "max_open_tickets = -1"),
        &["run.max_open_tickets"],
    ),
    case(
        "cost per hour",
        Sub("cost_per_hour_usd = 30", "cost_per_hour_usd = -30"),
        &["pools[0].cost_per_hour_usd"],
    ),
    case(
        "contract price",
        Sub(
            "price_per_logged_hour_usd = 25",
            "price_per_logged_hour_usd = -25",
        ),
        &["pools[1].contract.price_per_logged_hour_usd"],
    ),
    case(
        "minimum seats",
        Sub("minimum_seats = 1", "minimum_seats = -1"),
        &["pools[1].contract.minimum_seats"],
    ),
    case(
        "sla limit",
        Sub("target_min = 15", "target_min = -15"),
        &["sla[0].first_response.target_min"],
    ),
    case(
        "penalty",
        Sub("goal = 0.9 }", "goal = 0.9, penalty_usd_per_breach = -5 }"),
        &["sla[0].first_response.penalty_usd_per_breach"],
    ),
    case(
        "chat concurrency",
        Sub(
            "cost_per_hour_usd = 30",
            "cost_per_hour_usd = 30\nchat_concurrency = -1",
        ),
        &["pools[0].chat_concurrency"],
    ),
];

/// Huge values everywhere: integer overflow, float overflow, allocations.
pub(super) const HUGE: &[Case] = &[
    case(
        "gamma cv 1e-160 (shape overflows)",
        Sub(
            "{ dist = \"lognormal\", mean_min = 20, cv = 1.0 }",
            "{ dist = \"gamma\", mean_min = 20, cv = 1e-160 }",
        ),
        &["tiers[1].work_time", "cv", "at least 1e-6", "deterministic"],
    ),
    case(
        "backlog age 1e300 names the bound and only the key set",
        Add(
            "[initial_state]\n[[initial_state.open]]\nstage = \"L1\"\npriority = \"P3\"\ncount = 5\nage_min = 1e300\nchannel = \"email\"",
        ),
        &["initial_state.open[0].age_min", "from 0 to 100000000"],
    ),
    case(
        "horizon of 1e-300 days",
        Sub("horizon_days = 2", "horizon_days = 1e-300"),
        &["run.horizon_days", "at least one minute"],
    ),
    case(
        "start date 0001-01-01",
        Sub("seed = 1", "seed = 1\nstart_date = \"0001-01-01\""),
        &["run.start_date", "1900 to 2200"],
    ),
    case(
        "dispersion cv 1e200",
        Sub("daily_dispersion_cv = 0.0", "daily_dispersion_cv = 1e200"),
        &["demand.daily_dispersion_cv", "between"],
    ),
    case(
        "dispersion cv 1e-200",
        Sub("daily_dispersion_cv = 0.0", "daily_dispersion_cv = 1e-200"),
        &["demand.daily_dispersion_cv", "between"],
    ),
    case(
        "dispersion cv 11",
        Sub("daily_dispersion_cv = 0.0", "daily_dispersion_cv = 11"),
        &["demand.daily_dispersion_cv"],
    ),
    case(
        "shift headcount above u32",
        Sub("headcount = 4", "headcount = 4294967296"),
        &["pools[0].shifts[0].headcount"],
    ),
    case(
        "shift headcount at u32 max",
        Sub("headcount = 4", "headcount = 4294967295"),
        &["pools[0].shifts[0].headcount", "at most 1000000"],
    ),
    case(
        "overlapping shifts overflow",
        Sub2(
            "headcount = 4",
            "headcount = 900000",
            "end = \"00:00\"\nheadcount = 4",
            "end = \"00:00\"\nheadcount = 900000\n[[pools.shifts]]\nname = \"extra\"\nstart = \"06:00\"\nend = \"18:00\"\nheadcount = 900000",
        ),
        &["pools[0].shifts", "on duty at once"],
    ),
    case(
        "merged pools overflow",
        Sub2(
            "model = \"tiered\"",
            "model = \"pooled_tiered\"",
            "headcount = 3",
            "headcount = 999999",
        ),
        &["pools", "more than 1000000 agents"],
    ),
    case(
        "pool headcount above the limit",
        Sub("headcount = 3", "headcount = 2000000"),
        &["pools[1].headcount", "at most 1000000"],
    ),
    case(
        "rate 1e300",
        Sub("tickets_per_hour = 20", "tickets_per_hour = 1e300"),
        &["demand", "tickets would arrive"],
    ),
    case(
        "weights near the float maximum",
        Sub(
            "weekday_weights = [1, 1,",
            "weekday_weights = [1.7e308, 1.7e308,",
        ),
        &["demand.weekday_weights", "overflows"],
    ),
    case(
        "subnormal weights",
        Sub(
            "hour_weights = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]",
            "hour_weights = [5e-324, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]",
        ),
        &["demand.hour_weights"],
    ),
    case(
        "growth overflow",
        Sub2(
            "growth_per_month = 0.0",
            "growth_per_month = 1e300",
            "horizon_days = 2",
            "horizon_days = 3000",
        ),
        &["demand"],
    ),
    case(
        "surge multiplier 1e300",
        Sub("multiplier = 2", "multiplier = 1e300"),
        &["demand.surges[0].multiplier", "largest supported"],
    ),
    case(
        "drain near the float maximum",
        Sub("drain_days = 1", "drain_days = 1.7e308"),
        &[
            "run.drain_days",
            "is 1.7e308, more than the largest supported",
        ],
    ),
    case(
        "resolution target 1e308 hours names a whole limit",
        Add("\n[[sla]]\npriority = \"P2\"\nresolution = { target_hours = 1e308, goal = 0.8 }\n"),
        &["sla[1].resolution.target_hours", "is 1e308", "(1666667)"],
    ),
    case(
        "horizon 100 years",
        Sub("horizon_days = 2", "horizon_days = 36500"),
        &["run.horizon_days"],
    ),
    case(
        "span over 10 years",
        Sub2(
            "horizon_days = 2",
            "horizon_days = 3000",
            "drain_days = 1",
            "drain_days = 3000",
        ),
        &["run.horizon_days", "within 10 years"],
    ),
    case(
        "interval 1e-9",
        Sub(
            "timeseries_interval_min = 60",
            "timeseries_interval_min = 1e-9",
        ),
        &["run.timeseries_interval_min", "time-series rows"],
    ),
    case(
        "interval 0.001",
        Sub(
            "timeseries_interval_min = 60",
            "timeseries_interval_min = 0.001",
        ),
        &["run.timeseries_interval_min", "at least"],
    ),
    case(
        "replications 4 billion",
        Sub("replications = 2", "replications = 4000000000"),
        &["run.replications", "at most"],
    ),
    case(
        "replications above u32",
        Sub("replications = 2", "replications = 5000000000"),
        &["run.replications"],
    ),
    case(
        "seed above i64",
        Sub("seed = 1", "seed = 18446744073709551615"),
        &["run.seed", "at most 9223372036854775807"],
    ),
    case(
        "work mean 1e300",
        Sub("mean_min = 8", "mean_min = 1e300"),
        &["tiers[0].work_time.default.mean_min", "at most"],
    ),
    case(
        "deterministic work 1e300",
        Sub(
            "work_time.default = { dist = \"exponential\", mean_min = 8 }",
            "work_time.default = 1e300",
        ),
        &["tiers[0].work_time.default", "at most"],
    ),
    case(
        "work cv 1e6",
        Sub("cv = 1.0", "cv = 1e6"),
        &["tiers[1].work_time.default.cv", "at most"],
    ),
    case(
        "work cv negative zero",
        Sub("cv = 1.0", "cv = -0.0"),
        &["tiers[1].work_time.default.cv", "> 0"],
    ),
    case(
        "gamma cv tiny",
        Sub(
            "dist = \"lognormal\", mean_min = 20, cv = 1.0",
            "dist = \"gamma\", mean_min = 20, cv = 1e-200",
        ),
        &["tiers[1].work_time.default.cv"],
    ),
    case(
        "patience 1e300",
        Sub("mean_min = 5", "mean_min = 1e300"),
        &["customers.patience.chat.mean_min"],
    ),
    case(
        "contract minimum tickets 1e300",
        Sub(
            "price_per_logged_hour_usd = 25\nminimum_seats = 1",
            "price_per_ticket_usd = 25\nminimum_tickets_per_week = 1e300",
        ),
        &["pools[1].contract.minimum_tickets_per_week"],
    ),
    case(
        "contract minimum seats 1e300",
        Sub("minimum_seats = 1", "minimum_seats = 1e300"),
        &["pools[1].contract.minimum_seats"],
    ),
    case(
        "contract price 1e300",
        Sub(
            "price_per_logged_hour_usd = 25",
            "price_per_logged_hour_usd = 1e300",
        ),
        &["pools[1].contract.price_per_logged_hour_usd"],
    ),
    case(
        "cost per hour 1e300",
        Sub("cost_per_hour_usd = 30", "cost_per_hour_usd = 1e300"),
        &["pools[0].cost_per_hour_usd"],
    ),
    case(
        "penalty 1e300",
        Sub(
            "goal = 0.9 }",
            "goal = 0.9, penalty_usd_per_breach = 1e300 }",
        ),
        &["sla[0].first_response.penalty_usd_per_breach"],
    ),
    case(
        "sla limit 1e300",
        Sub("target_min = 15", "target_min = 1e300"),
        &["sla[0].first_response.target_min"],
    ),
    case(
        "handover 1e300",
        Sub(
            "cost_per_hour_usd = 30",
            "cost_per_hour_usd = 30\nhandover_min = 1e300",
        ),
        &["pools[0].handover_min"],
    ),
    case(
        "work factor 1e300",
        Sub(
            "cost_per_hour_usd = 30",
            "cost_per_hour_usd = 30\nwork_time_factor = 1e300",
        ),
        &["pools[0].work_time_factor"],
    ),
    case(
        "chat concurrency 1000",
        Sub(
            "cost_per_hour_usd = 30",
            "cost_per_hour_usd = 30\nchat_concurrency = 1000",
        ),
        &["pools[0].chat_concurrency", "1..=8"],
    ),
    case(
        "seat hours per week 1000",
        Sub(
            "minimum_seats = 1",
            "minimum_seats = 1\nseat_hours_per_week = 1000",
        ),
        &["pools[1].contract.seat_hours_per_week"],
    ),
    case(
        "pooled levels 256",
        Sub(
            "model = \"tiered\"",
            "model = \"pooled_tiered\"\n[pooled]\nlevels = 256",
        ),
        &["pooled.levels"],
    ),
    case(
        "start date year 9999",
        Sub("[run]", "[run]\nstart_date = \"9999-12-30\""),
        &["run.start_date", "1900 to 2200"],
    ),
    case(
        "huge integer literal",
        Sub("seed = 1", "seed = 99999999999999999999999"),
        &["run.seed", "the number `99999999999999999999999`, expected"],
    ),
    case(
        "ramp weeks -1e300 is shown short",
        Sub(
            "headcount = 3\nsourcing",
            "headcount = 3\nramp = { start_factor = 1.5, weeks = -1e300 }\nsourcing",
        ),
        &["pools[1].ramp.weeks", "got -1e300"],
    ),
    case(
        "fractional replications name a whole number",
        Sub("replications = 2", "replications = 2.5"),
        &[
            "run.replications",
            "the number `2.5`, expected a whole number from 0 to",
        ],
    ),
    case(
        "integer past i64 in a float key reads plainly",
        Sub("multiplier = 2", "multiplier = 99999999999999999999"),
        &[
            "demand.surges[0].multiplier",
            "the number `99999999999999999999`, expected a number",
        ],
    ),
    case(
        "text rate names a number",
        Sub("tickets_per_hour = 20", "tickets_per_hour = \"x\""),
        &["demand.tickets_per_hour", "expected a number"],
    ),
];
