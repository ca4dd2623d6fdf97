//! Why a staffing search cannot run or finds no answer: bad `--target` / `--pools` /
//! `--confidence`, a candidate scenario that fails, or targets no headcount reaches.

use super::MAX_HEADCOUNT;
use crate::study::sweep::SweepError;

/// Target expressions accepted, for messages.
pub(crate) const WHATS: &str = "first_response.<group>.<measure>, resolution.<group>.<measure>, abandonment, abandonment.<channel>, utilisation.<pool>";

/// Measures of `first_response` and `resolution`, for messages.
pub(crate) const MEASURES: &str = "attainment, mean_min, mean_hours, p90_min, p90_hours";

/// A staffing problem that cannot be set up or solved.
#[derive(Debug, thiserror::Error)]
pub enum StaffError {
    /// No `--target` given.
    #[error(
        "no targets: give at least one --target, e.g. --target 'first_response.P1.attainment >= 0.95'"
    )]
    NoTargets,
    /// A `--target` expression is wrong.
    #[error("--target {expr:?}: {error}")]
    Target {
        /// The expression as given.
        expr: String,
        /// What is wrong with it.
        error: TargetError,
    },
    /// An empty name in `--pools`.
    #[error("--pools {spec:?}: empty pool name")]
    EmptyPool {
        /// The `--pools` value.
        spec: String,
    },
    /// `--pools` names a pool the file lacks.
    #[error("--pools {spec:?}: no pool named {pool:?} (pools: {pools})")]
    UnknownPool {
        /// The `--pools` value.
        spec: String,
        /// The unknown name.
        pool: String,
        /// The file's pools, comma-separated.
        pools: String,
    },
    /// `--pools` names a pool twice.
    #[error("--pools {spec:?}: pool {pool:?} is named twice")]
    PoolTwice {
        /// The `--pools` value.
        spec: String,
        /// The repeated name.
        pool: String,
    },
    /// `--confidence` outside (0.5, [`super::MAX_CONFIDENCE`]].
    #[error(
        "--confidence {confidence}: must be above 0.5 and at most {}, e.g. 0.95 (closer to 1, the bound of a few replications is too wide for any staffing to meet)",
        super::MAX_CONFIDENCE
    )]
    Confidence {
        /// The value given.
        confidence: f64,
    },
    /// Fewer than 2 replications: no confidence bound.
    #[error("--replications must be at least 2 (for confidence bounds)")]
    TooFewReplications,
    /// The scenario tree, or a candidate headcount's scenario, failed.
    #[error(transparent)]
    Sweep(#[from] SweepError),
    /// Targets no headcount reaches, found before any simulation (see
    /// [`super::unreachable_targets`]).
    #[error("{}", .reasons.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    NoHeadcountReaches {
        /// One per such target, with why and what would fix it.
        reasons: Vec<super::reach::Unreachable>,
    },
    /// A utilisation floor still fails where no agent can be removed without breaking
    /// another target.
    #[error(
        "--target {expr:?} conflicts with the other targets: at {headcount} utilisation is {mean:.3} (lower bound {bound:.3}), and no agent can be removed without breaking another target or the pools' stability floor; adding agents only lowers utilisation. Lower the floor, drop it, or relax the other targets"
    )]
    FloorConflict {
        /// The floor's `--target` expression.
        expr: String,
        /// Mean utilisation there.
        mean: f64,
        /// Its one-sided lower bound.
        bound: f64,
        /// `pool headcount` per searched pool, comma-separated.
        headcount: String,
    },
    /// Pools reached their caps with a target still failing.
    #[error(
        "no feasible staffing found: pools reached their cap ({at_cap}; the cap is 10x the Erlang start, at least 10, at most {MAX_HEADCOUNT}) and {worst} still fails; the target may be unreachable by headcount alone"
    )]
    Unreachable {
        /// `pool at headcount` per capped pool, comma-separated.
        at_cap: String,
        /// The worst target with its mean and bound.
        worst: String,
    },
}

/// What is wrong with one target expression (the caller adds the expression).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TargetError {
    /// Neither `>=` nor `<=`.
    #[error(
        "missing operator: expected <what> >= <number> or <what> <= <number>, e.g. first_response.P1.attainment >= 0.95"
    )]
    MissingOperator,
    /// Another comparison operator (`>`, `==`, ...).
    #[error("invalid operator `{op}`: use >= or <=")]
    InvalidOperator {
        /// The operator found.
        op: String,
    },
    /// `>=` or `<=` followed by another operator character (`>==`).
    #[error("invalid operator `{op}`")]
    DoubledOperator {
        /// The operator as written.
        op: String,
    },
    /// Nothing before the operator.
    #[error("nothing before `{op}`: expected one of {WHATS}")]
    NothingBefore {
        /// `>=` or `<=`.
        op: &'static str,
    },
    /// `first_response` / `resolution` without group and measure.
    #[error(
        "{kind} takes a group and a measure: {kind}.<group>.<measure>, e.g. {kind}.P1.attainment (measures: {MEASURES})"
    )]
    NeedsGroupAndMeasure {
        /// `first_response` or `resolution`.
        kind: String,
    },
    /// `mean` or `p90` without a unit.
    #[error("measure {measure:?} needs a unit: {measure}_min or {measure}_hours")]
    NeedsUnit {
        /// The measure.
        measure: String,
    },
    /// A unit other than `_min` or `_hours`.
    #[error("unknown unit {unit:?} in {measure:?} (use _min or _hours)")]
    UnknownUnit {
        /// The unit.
        unit: String,
        /// The measure it came with.
        measure: String,
    },
    /// A measure that does not exist.
    #[error("unknown measure {measure:?} (measures: {MEASURES})")]
    UnknownMeasure {
        /// The measure.
        measure: String,
    },
    /// An attainment target on a group no `[[sla]]` target of that kind covers: its value
    /// is undefined, so no headcount can meet it.
    #[error(
        "no [[sla]] entry sets a {kind} target for {group:?}, so its attainment is undefined; add an [[sla]] entry with {kind} = {{ ... }} covering it, or target a group that has one (covered: {})",
        if covered.is_empty() { "none".to_string() } else { covered.join(", ") }
    )]
    NoSlaTarget {
        /// `first_response` or `resolution`.
        kind: &'static str,
        /// The group as given.
        group: String,
        /// Groups that have such a target.
        covered: Vec<String>,
    },
    /// A group, channel or pool the scenario does not report.
    #[error("unknown {what} {name:?} (valid: {})", if valid.is_empty() { "none in this scenario".to_string() } else { valid.join(", ") })]
    UnknownGroup {
        /// `group`, `channel` or `pool`.
        what: &'static str,
        /// The name given.
        name: String,
        /// The valid names.
        valid: Vec<String>,
    },
    /// `abandonment.a.b`.
    #[error("abandonment takes at most a channel: abandonment or abandonment.chat")]
    AbandonmentArity,
    /// `utilisation` without exactly one pool.
    #[error("utilisation takes a pool: utilisation.<pool>, e.g. utilisation.l1")]
    UtilisationArity,
    /// An unknown metric word.
    #[error("unknown metric {word:?}: expected one of {WHATS}")]
    UnknownMetric {
        /// The word.
        word: String,
    },
    /// Nothing after the operator.
    #[error("no number after the operator")]
    NoNumber,
    /// A percentage for a time.
    #[error("{text:?}: a percentage only fits a fraction (attainment, abandonment, utilisation)")]
    PercentForTime {
        /// The threshold as given.
        text: String,
    },
    /// Not a number.
    #[error("{text:?} is not a number")]
    NotANumber {
        /// The threshold as given.
        text: String,
    },
    /// A fraction outside [0, 1].
    #[error("{text} is not a fraction between 0 and 1 (write 0.95 or 95%)")]
    NotAFraction {
        /// The threshold as given.
        text: String,
    },
    /// A negative time.
    #[error("{text} is negative; times cannot be")]
    Negative {
        /// The threshold as given.
        text: String,
    },
}
