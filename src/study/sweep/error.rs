//! Why a sweep cannot be set up: a bad `--vary` expression (naming the key, the value and how
//! to write it), a grid too large, or a point whose scenario does not validate.

use super::MAX_POINTS;
use crate::scenario::ScenarioError;

/// A sweep that cannot be built.
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    /// The scenario has no TOML form (not expected for parsed files).
    #[error("cannot represent the scenario as TOML: {0}")]
    Tree(Box<toml::ser::Error>),
    /// Neither `--vary` nor a `[sweep] vary` list.
    #[error(
        "nothing to sweep: give --vary KEY=VALUES (e.g. --vary demand.growth_per_month=0,0.02,0.04, or --vary pools.l1.headcount=4..8:1, pools.l1.shifts.early.headcount=4..8:1 for a pool staffed by shifts) or a [sweep] table with vary = [...] in the scenario file"
    )]
    NothingToSweep,
    /// No `--vary`, and the file's `[sweep] vary` is an empty list.
    #[error(
        "nothing to sweep: the file's sweep.vary is an empty list; give --vary KEY=VALUES (e.g. --vary demand.growth_per_month=0,0.02,0.04) or list the expressions there (vary = [\"pools.l1.headcount=4..8:1\"])"
    )]
    EmptyFileVary,
    /// One expression is wrong; `label` is `--vary` or `[sweep] vary`.
    #[error("{label} {expr}: {error}")]
    Expression {
        /// Where the expression came from.
        label: String,
        /// The expression as given.
        expr: String,
        /// What is wrong with it (boxed: errors travel by value through every point).
        error: Box<VaryError>,
    },
    /// Two expressions vary the same key.
    #[error("{label} {expr}: key {key} is varied twice")]
    VariedTwice {
        /// Where the expression came from.
        label: String,
        /// The second expression.
        expr: String,
        /// The repeated key.
        key: String,
    },
    /// The Cartesian grid exceeds [`MAX_POINTS`].
    #[error(
        "the grid has {points} points ({dims}); at most {MAX_POINTS} are allowed: use fewer values or a coarser step"
    )]
    TooManyPoints {
        /// Points of the grid.
        points: usize,
        /// Values per key, `a x b x ...`.
        dims: String,
    },
    /// A point's tree does not deserialise into a scenario.
    #[error("point {point}: {error}")]
    PointSchema {
        /// `key=value, ...` of the point.
        point: String,
        /// Where and why deserialising failed.
        error: DeError,
    },
    /// An override did not change the scenario it was applied to (a key path that reached
    /// nothing, or a value the scenario does not keep): the point would silently run the
    /// file's value.
    #[error(
        "point {point}: setting {key} = {value} did not take effect (the scenario has {found} there); the key path does not address one value of this scenario"
    )]
    NotApplied {
        /// `key=value, ...` of the point.
        point: String,
        /// The key path.
        key: String,
        /// The value set.
        value: String,
        /// What the resulting scenario has at that path (`nothing` when absent).
        found: String,
    },
    /// The scenario a skill design makes fails validation.
    #[error("point {point}: the scenario of [skill_designs.{design}] is invalid: {error}")]
    DesignInvalid {
        /// `key=value, ...` of the point.
        point: String,
        /// The design's name.
        design: String,
        /// Every validation problem.
        error: Box<ScenarioError>,
    },
    /// A point's scenario fails validation.
    #[error("point {point}: {error}")]
    PointInvalid {
        /// `key=value, ...` of the point.
        point: String,
        /// Every validation problem (boxed: errors travel by value through every search step).
        error: Box<ScenarioError>,
    },
}

/// A tree that does not deserialise into a raw scenario: the key path and serde's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", if path.is_empty() { message.clone() } else { format!("{path}: {message}") })]
pub struct DeError {
    /// Dotted path of the failing key (empty for the whole tree).
    pub path: String,
    /// serde's message.
    pub message: String,
}

/// What is wrong with one `KEY=VALUES` expression (the caller adds the expression itself).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum VaryError {
    /// No `=`.
    #[error(
        "expected KEY=VALUES, e.g. pools.l1.headcount=4..8:1 or model=tiered,swarm (no `=` found)"
    )]
    NoEquals,
    /// Nothing before `=`.
    #[error("empty key before `=`")]
    EmptyKey,
    /// Nothing after `=`.
    #[error("no values after `{key}=`")]
    NoValues {
        /// The key.
        key: String,
    },
    /// `run.seed` or `run.replications`: fixed for common random numbers.
    #[error(
        "{key} cannot be varied: every point runs with the same seed and replications (common random numbers); use --seed / --replications"
    )]
    Fixed {
        /// The key.
        key: String,
    },
    /// `pools.<name>.headcount` (or `.hours`) of a pool staffed by `[[pools.shifts]]`.
    #[error(
        "{key} cannot be varied: pool {pool:?} is staffed by [[pools.shifts]], each with its own headcount; vary those instead: {keys}"
    )]
    ShiftStaffed {
        /// The key.
        key: String,
        /// The pool's name.
        pool: String,
        /// The keys of its shifts' headcounts.
        keys: String,
    },
    /// The `[sweep]` table itself.
    #[error("the [sweep] table itself cannot be varied")]
    SweepTable,
    /// `a..b` in the key.
    #[error("key {key:?} has an empty part between dots")]
    EmptySegment {
        /// The key.
        key: String,
    },
    /// A range for a string or boolean key.
    #[error(
        "a range needs a numeric key, but {key} is a {kind}; list the values instead, e.g. {key}=a,b"
    )]
    RangeNeedsNumber {
        /// The key.
        key: String,
        /// Type of its current value (`string`, `boolean`, ...).
        kind: &'static str,
    },
    /// A value listed twice.
    #[error("value {value} is given twice")]
    Duplicate {
        /// The value as typed.
        value: String,
    },
    /// An override names a key the scenario schema does not have.
    #[error("unknown key {field:?} {place}{}", unknown_hint(suggestion.as_deref(), keys))]
    UnknownKey {
        /// The unknown key.
        field: String,
        /// `at the top level` or `in [table]`.
        place: String,
        /// A close known key, if any.
        suggestion: Option<String>,
        /// The keys the table has.
        keys: Vec<String>,
    },
    /// A value of the wrong type or out of range for its key.
    #[error("value {value} does not fit {key}: {error}")]
    DoesNotFit {
        /// The value as typed.
        value: String,
        /// The key.
        key: String,
        /// serde's complaint.
        error: DeError,
    },
    /// A list has no entry with this name or level.
    #[error("no {singular} {with} ({list}: {ids})")]
    NoEntry {
        /// Singular of the list's name (`pool`).
        singular: String,
        /// `named "x"` or `with level 7`.
        with: String,
        /// The list's name (`pools`).
        list: String,
        /// Names or levels of its entries, comma-separated.
        ids: String,
    },
    /// A list addressed by position with something else.
    #[error("{list} is a list: address an entry by its position 0..{last}, not {segment:?}")]
    NotAPosition {
        /// Path of the list.
        list: String,
        /// Last valid position.
        last: usize,
        /// What was given.
        segment: String,
    },
    /// A position past the end of a list.
    #[error("{list} has {len} entries (positions 0..{last}); there is no entry {index}")]
    NoPosition {
        /// Path of the list.
        list: String,
        /// Entries in the list.
        len: usize,
        /// Last valid position.
        last: usize,
        /// The position given.
        index: usize,
    },
    /// A key below a scalar.
    #[error("{path} is a single value; it has no key {segment:?}")]
    BelowScalar {
        /// Path of the scalar.
        path: String,
        /// The key asked for under it.
        segment: String,
    },
    /// The key names a table.
    #[error("{key} is a table, not a single value: vary one of its keys ({keys})")]
    Table {
        /// The key.
        key: String,
        /// Its keys as full paths, comma-separated.
        keys: String,
    },
    /// The key names a list.
    #[error("{key} is a list, not a single value: {hint}")]
    List {
        /// The key.
        key: String,
        /// How to address one entry.
        hint: String,
    },
    /// The key names a date-time.
    #[error("{key} is a date-time, which cannot be varied")]
    DateTime {
        /// The key.
        key: String,
    },
    /// `skill_design=` names no design of the file.
    #[error(
        "no skill design named {name:?} (designs: {designs}); define it as [skill_designs.{name}] in the file"
    )]
    NoDesign {
        /// The name given.
        name: String,
        /// `file` and the file's design names.
        designs: String,
    },
    /// A `[skill_designs.<name>]` table that cannot be applied to the file.
    #[error("{0}")]
    Design(DeError),
    /// A list and a range mixed.
    #[error("{text:?} mixes a list and a range: give either a,b,c or lo..hi:step")]
    ListAndRange {
        /// The values as given.
        text: String,
    },
    /// Not a number.
    #[error("{text:?} is not a number")]
    NotANumber {
        /// The value as given.
        text: String,
    },
    /// A fractional value for an integer key.
    #[error("{text:?} is not a whole number (this key takes integers)")]
    NotWhole {
        /// The value as given.
        text: String,
    },
    /// Not `true` or `false`.
    #[error("{text:?} is not true or false")]
    NotBool {
        /// The value as given.
        text: String,
    },
    /// An empty list item (`a,,b`).
    #[error("empty value in the list")]
    EmptyValue,
    /// A range step of zero or below.
    #[error("step must be > 0 (got {step})")]
    Step {
        /// The step.
        step: f64,
    },
    /// A range whose end is below its start.
    #[error("empty range: {hi} is below {lo}")]
    EmptyRange {
        /// Start.
        lo: f64,
        /// End.
        hi: f64,
    },
    /// A range with more values than a grid may have points.
    #[error("the range has {values} values; at most {MAX_POINTS} grid points are allowed")]
    RangeTooLong {
        /// Values the range would give.
        values: f64,
    },
}

fn unknown_hint(suggestion: Option<&str>, keys: &[String]) -> String {
    match suggestion {
        Some(s) => format!("; did you mean {s}?"),
        None if !keys.is_empty() => format!(" (keys: {})", keys.join(", ")),
        None => String::new(),
    }
}
