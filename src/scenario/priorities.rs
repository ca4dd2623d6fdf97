//! The scenario's priorities: `[demand] priority_names`, most urgent first (rank = index),
//! `P1`..`P4` by default.
//!
//! Every place a file names a priority (mixes, SLA targets, open tickets, trace rows,
//! incident severities, queue scores, staffing targets) resolves it here, so an unknown name
//! gets the same message everywhere: the list of the file's priorities and how to add one.

use super::limits::name_problem;

/// The priorities of a file without `priority_names`, most urgent first.
pub const DEFAULT_PRIORITIES: [&str; 4] = ["P1", "P2", "P3", "P4"];

/// Most priorities a scenario may declare (queue classes, per-priority counters and the swarm
/// desk are sized by the file's count; this bounds them).
pub const MAX_PRIORITIES: usize = 8;

/// The file's priority names: `priority_names` when given, else [`DEFAULT_PRIORITIES`].
pub fn names_of(given: Option<&[String]>) -> Vec<String> {
    match given {
        Some(v) if !v.is_empty() => v.to_vec(),
        _ => DEFAULT_PRIORITIES.iter().map(|s| s.to_string()).collect(),
    }
}

/// Problems of a `priority_names` list: `(key path, message)` each.
pub fn list_problems(names: &[String]) -> Vec<(String, String)> {
    const KEY: &str = "demand.priority_names";
    let mut out = Vec::new();
    if names.is_empty() {
        out.push((
            KEY.to_string(),
            "is empty; list the priorities most urgent first, e.g. [\"urgent\", \"normal\"] (omit the key for P1..P4)".to_string(),
        ));
    }
    if names.len() > MAX_PRIORITIES {
        out.push((
            KEY.to_string(),
            format!(
                "has {} names; at most {MAX_PRIORITIES} priorities are supported",
                names.len()
            ),
        ));
    }
    for (i, n) in names.iter().enumerate() {
        if let Some(m) = name_problem(n) {
            out.push((format!("{KEY}[{i}]"), m));
        }
        // Ignoring case: trace and open-ticket files match priorities that way.
        if let Some(j) = names[..i].iter().position(|o| o.eq_ignore_ascii_case(n)) {
            out.push((
                format!("{KEY}[{i}]"),
                format!(
                    "duplicate priority {n:?} (also {KEY}[{j}], {:?}; names are compared ignoring case); give every priority its own name",
                    names[j]
                ),
            ));
        }
    }
    out
}

/// The rank of priority `name` among `names`.
///
/// # Errors
/// The message for an unknown name: the file's priorities and how to add one.
pub fn resolve(names: &[String], name: &str) -> Result<usize, String> {
    names
        .iter()
        .position(|n| n == name)
        .ok_or_else(|| unknown(names, name))
}

/// The rank of priority `v` in a CSV cell (trace rows, open tickets): as [`resolve`], but
/// ignoring ASCII case like the other categorical cells of those files.
///
/// # Errors
/// The message for an unknown name.
pub fn pick(names: &[String], v: &str) -> Result<u8, String> {
    names
        .iter()
        .position(|n| n.eq_ignore_ascii_case(v))
        .map(|i| i as u8)
        .ok_or_else(|| unknown(names, v))
}

/// The message for a priority `name` the file does not declare.
pub fn unknown(names: &[String], name: &str) -> String {
    format!(
        "unknown priority {name:?}; the file's priorities are {} (set demand.priority_names to add more)",
        names.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(x: &[&str]) -> Vec<String> {
        x.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_default_is_p1_to_p4_and_names_resolve_to_their_rank() {
        let d = names_of(None);
        assert_eq!(d, v(&DEFAULT_PRIORITIES));
        assert_eq!(resolve(&d, "P3"), Ok(2));
        let e = resolve(&d, "P5").unwrap_err();
        assert_eq!(
            e,
            "unknown priority \"P5\"; the file's priorities are P1, P2, P3, P4 (set demand.priority_names to add more)"
        );
        let own = names_of(Some(&v(&["urgent", "low"])));
        assert_eq!(resolve(&own, "low"), Ok(1));
        assert_eq!(pick(&own, "LOW"), Ok(1));
        assert!(
            pick(&own, "P1")
                .unwrap_err()
                .contains("priorities are urgent, low")
        );
    }

    #[test]
    fn bad_lists_are_refused_with_their_key_path() {
        assert!(list_problems(&v(&["a", "b"])).is_empty());
        let empty = list_problems(&[]);
        assert_eq!(empty.len(), 1);
        assert!(empty[0].1.contains("is empty"));
        let dup = list_problems(&v(&["a", "b", "a"]));
        assert_eq!(dup[0].0, "demand.priority_names[2]");
        assert!(dup[0].1.contains("duplicate priority \"a\""));
        let nine: Vec<String> = (1..=9).map(|i| format!("p{i}")).collect();
        assert!(list_problems(&nine)[0].1.contains("at most 8"));
        assert!(
            list_problems(&v(&["High", "high"]))[0]
                .1
                .contains("ignoring case")
        );
        let bad = list_problems(&v(&["a b"]));
        assert_eq!(bad[0].0, "demand.priority_names[0]");
    }
}
