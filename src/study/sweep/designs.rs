//! Named cross-training designs (`[skill_designs.<name>]`), varied as the sweep key
//! `skill_design`: each design rewrites the file's pools (skills, shifts, new pools copied from
//! existing ones) and optionally its `[routing]`, on the TOML tree, before the point's other
//! settings. The value `file` is the file as written.

use super::error::{DeError, VaryError};
use super::show;
use toml::Value;

/// The sweep key that selects a design.
pub const KEY: &str = "skill_design";

/// The implicit design: the file as written.
pub const FILE: &str = "file";

/// Design names of the tree, in file order.
fn names(base: &Value) -> Vec<String> {
    base.get("skill_designs")
        .and_then(Value::as_table)
        .map(|t| t.keys().cloned().collect())
        .unwrap_or_default()
}

/// The values of `skill_design=a,b,c`: `file` or names of `[skill_designs]` tables, each
/// checked by applying it to the base tree (pool names, `from`, shapes). Whether the result
/// validates is checked per point.
///
/// # Errors
/// A range, an empty or unknown name, or a design that does not apply.
pub(super) fn parse_values(values: &str, base: &Value) -> Result<Vec<Value>, VaryError> {
    if values.contains("..") {
        return Err(VaryError::RangeNeedsNumber {
            key: KEY.to_string(),
            kind: "design name",
        });
    }
    let known = names(base);
    if known.iter().any(|n| n == FILE) {
        return Err(VaryError::Design(DeError {
            path: format!("skill_designs.{FILE}"),
            message: format!(
                "the name {FILE:?} is reserved for the file as written; rename the design"
            ),
        }));
    }
    let mut out = Vec::new();
    for v in values.split(',').map(str::trim) {
        if v.is_empty() {
            return Err(VaryError::EmptyValue);
        }
        if v != FILE && !known.iter().any(|n| n == v) {
            let mut all = vec![FILE.to_string()];
            all.extend(known.iter().cloned());
            return Err(VaryError::NoDesign {
                name: v.to_string(),
                designs: all.join(", "),
            });
        }
        let mut tree = base.clone();
        overlay(&mut tree, v).map_err(VaryError::Design)?;
        out.push(Value::String(v.to_string()));
    }
    Ok(out)
}

/// Applies design `name` to `tree` (nothing for [`FILE`]): pool entries naming a pool of the
/// file merge into it, entries with `from` add a copy of that pool merged with theirs, and a
/// design `routing` replaces the file's.
///
/// # Errors
/// The design's key path (`skill_designs.<name>.pools[i]`) and what is wrong.
pub(super) fn overlay(tree: &mut Value, name: &str) -> Result<(), DeError> {
    if name == FILE {
        return Ok(());
    }
    let at = |path: String, message: String| DeError { path, message };
    let design = tree
        .get("skill_designs")
        .and_then(|d| d.get(name))
        .cloned()
        .ok_or_else(|| {
            at(
                format!("skill_designs.{name}"),
                "no such design in the file".into(),
            )
        })?;
    let Some(Value::Array(pools)) = tree.get_mut("pools") else {
        return Err(at("pools".into(), "the file has no pools".into()));
    };
    let file_pools: Vec<String> = pools.iter().filter_map(pool_name).collect();
    let entries = design
        .get("pools")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    // Pools this design added: (name, the pool it copies).
    let mut copies: Vec<(String, String)> = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let path = format!("skill_designs.{name}.pools[{i}]");
        let Some(t) = entry.as_table() else {
            return Err(at(path, "expected a table".into()));
        };
        let Some(pool) = t.get("name").and_then(Value::as_str) else {
            return Err(at(
                path,
                "missing name: give the pool to change (or to add, with from)".into(),
            ));
        };
        let from = match t.get("from") {
            None => None,
            Some(Value::String(s)) => Some(s.as_str()),
            Some(v) => {
                return Err(at(
                    format!("{path}.from"),
                    format!("expected a pool name, got {}", show(v)),
                ));
            }
        };
        let existing = pools
            .iter()
            .position(|p| pool_name(p).as_deref() == Some(pool));
        let target = match (existing, from) {
            (Some(k), None) => k,
            (Some(_), Some(_)) => {
                return Err(at(
                    format!("{path}.from"),
                    format!(
                        "the file already has a pool named {pool:?}; from is only for new pools (drop it to change {pool:?})"
                    ),
                ));
            }
            (None, Some(src)) => {
                let Some(k) = pools
                    .iter()
                    .position(|p| pool_name(p).as_deref() == Some(src))
                else {
                    return Err(at(
                        format!("{path}.from"),
                        format!(
                            "no pool named {src:?} to copy (pools: {})",
                            file_pools.join(", ")
                        ),
                    ));
                };
                let mut copy = pools[k].clone();
                if let Some(c) = copy.as_table_mut() {
                    c.insert("name".into(), Value::String(pool.to_string()));
                }
                // Right after the pool it copies (and its earlier copies), where one would
                // write it in the file: pool order is the order of the output's pool rows.
                let mut at = k + 1;
                while at < pools.len()
                    && copies
                        .iter()
                        .any(|(c, s)| *s == src && pool_name(&pools[at]).as_deref() == Some(c))
                {
                    at += 1;
                }
                pools.insert(at, copy);
                copies.push((pool.to_string(), src.to_string()));
                at
            }
            (None, None) => {
                return Err(at(
                    format!("{path}.name"),
                    format!(
                        "no pool named {pool:?} in the file (pools: {}); to add a pool, give from = \"<pool to copy>\"",
                        file_pools.join(", ")
                    ),
                ));
            }
        };
        let Some(dst) = pools[target].as_table_mut() else {
            continue;
        };
        for (k, v) in t {
            match k.as_str() {
                "name" | "from" => {}
                // A design states a pool's skills in full: skills it leaves out are dropped.
                "skills" => {
                    dst.insert(k.clone(), v.clone());
                }
                _ => match dst.get_mut(k) {
                    Some(d) => merge(d, v),
                    None => {
                        dst.insert(k.clone(), v.clone());
                    }
                },
            }
        }
    }
    if let Some(r) = design.get("routing")
        && let Some(t) = tree.as_table_mut()
    {
        t.insert("routing".into(), r.clone());
    }
    Ok(())
}

fn pool_name(p: &Value) -> Option<String> {
    p.get("name").and_then(Value::as_str).map(str::to_string)
}

/// Merges `src` into `dst`: tables key by key, lists of named tables (shifts) entry by name
/// (new names appended), anything else replaced.
fn merge(dst: &mut Value, src: &Value) {
    match (dst, src) {
        (Value::Table(d), Value::Table(s)) => {
            for (k, v) in s {
                match d.get_mut(k) {
                    Some(x) => merge(x, v),
                    None => {
                        d.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (Value::Array(d), Value::Array(s))
            if d.iter().chain(s).all(|e| pool_name(e).is_some()) && !s.is_empty() =>
        {
            for e in s {
                match d.iter_mut().find(|x| pool_name(x) == pool_name(e)) {
                    Some(x) => merge(x, e),
                    None => d.push(e.clone()),
                }
            }
        }
        (d, s) => *d = s.clone(),
    }
}
