//! Addressing scenario keys by dotted path in the TOML tree: list entries by name, level or
//! position; reading, setting, and explaining why a value does not deserialise.

use super::error::{DeError, VaryError};
use super::show;
use crate::scenario::RawScenario;
use toml::Value;

pub(super) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "string",
        Value::Integer(_) => "integer",
        Value::Float(_) => "number",
        Value::Boolean(_) => "boolean",
        Value::Datetime(_) => "date-time",
        Value::Array(_) => "list",
        Value::Table(_) => "table",
    }
}

/// How a list's entries are addressed: by `name`, by `level`, or by position.
fn entry_index(arr: &[Value], seg: &str, list_path: &str) -> Result<usize, VaryError> {
    let field = ["name", "level"].into_iter().find(|f| {
        !arr.is_empty()
            && arr
                .iter()
                .all(|e| e.as_table().is_some_and(|t| t.contains_key(*f)))
    });
    let what = list_path.rsplit('.').next().unwrap_or(list_path);
    let singular = what.strip_suffix('s').unwrap_or(what);
    match field {
        Some(f) => {
            let ids: Vec<String> = arr.iter().map(|e| show(&e[f])).collect();
            ids.iter().position(|id| id == seg).ok_or_else(|| {
                let with = if f == "name" {
                    format!("named {seg:?}")
                } else {
                    format!("with {f} {seg}")
                };
                VaryError::NoEntry {
                    singular: singular.to_string(),
                    with,
                    list: what.to_string(),
                    ids: ids.join(", "),
                }
            })
        }
        None => {
            let last = arr.len().saturating_sub(1);
            let i: usize = seg.parse().map_err(|_| VaryError::NotAPosition {
                list: list_path.to_string(),
                last,
                segment: seg.to_string(),
            })?;
            if i < arr.len() {
                Ok(i)
            } else {
                Err(VaryError::NoPosition {
                    list: list_path.to_string(),
                    len: arr.len(),
                    last,
                    index: i,
                })
            }
        }
    }
}

/// The current value at `segs`: `Some` for a scalar, `None` for an optional key the file leaves
/// unset (checked later by deserialising), an error for a non-scalar or a bad list entry.
pub(super) fn lookup(base: &Value, segs: &[&str]) -> Result<Option<Value>, VaryError> {
    let mut cur = base;
    for (i, seg) in segs.iter().enumerate() {
        let path = segs[..i].join(".");
        let next = match cur {
            Value::Table(t) => t.get(*seg),
            Value::Array(a) => Some(&a[entry_index(a, seg, &path)?]),
            _ => {
                return Err(VaryError::BelowScalar {
                    path,
                    segment: seg.to_string(),
                });
            }
        };
        match next {
            Some(v) => cur = v,
            // Unset optional key or unknown key: deserialising with the value decides.
            None => return Ok(None),
        }
    }
    let key = segs.join(".");
    match cur {
        Value::Table(t) => {
            let keys: Vec<&str> = t.keys().map(String::as_str).collect();
            let keys = keys
                .iter()
                .map(|k| format!("{key}.{k}"))
                .collect::<Vec<_>>()
                .join(", ");
            Err(VaryError::Table { key, keys })
        }
        Value::Array(a) => {
            let hint = match a.first() {
                Some(Value::Table(t)) if t.contains_key("name") => {
                    let names: Vec<String> = a.iter().map(|e| show(&e["name"])).collect();
                    let first = names.first().cloned().unwrap_or_default();
                    let field = t.keys().find(|k| *k != "name").cloned().unwrap_or_default();
                    format!(
                        "address one entry by name, e.g. {key}.{first}.{field} ({key}: {})",
                        names.join(", ")
                    )
                }
                Some(Value::Table(t)) if t.contains_key("level") => {
                    format!("address one entry by level, e.g. {key}.1.<key>")
                }
                _ => format!("address one entry by position, e.g. {key}.0"),
            };
            Err(VaryError::List { key, hint })
        }
        Value::Datetime(_) => Err(VaryError::DateTime { key }),
        v => Ok(Some(v.clone())),
    }
}

/// `pools.<name>.headcount` or `.hours` on a pool staffed by `[[pools.shifts]]`: setting it
/// would make the file give both, which validation refuses point by point; the keys that
/// vary such a pool are its shifts' headcounts, named in the error.
pub(super) fn shift_staffed(base: &Value, segs: &[&str]) -> Option<VaryError> {
    let [pools, name, field] = segs else {
        return None;
    };
    if *pools != "pools" || !matches!(*field, "headcount" | "hours") {
        return None;
    }
    let list = base.get("pools")?.as_array()?;
    let pool = &list[entry_index(list, name, "pools").ok()?];
    let shifts = pool.get("shifts")?.as_array().filter(|a| !a.is_empty())?;
    let named = shifts
        .iter()
        .all(|s| s.get("name").and_then(Value::as_str).is_some());
    let keys: Vec<String> = shifts
        .iter()
        .enumerate()
        .map(|(i, s)| match s.get("name").and_then(Value::as_str) {
            Some(n) if named => format!("pools.{name}.shifts.{n}.headcount"),
            _ => format!("pools.{name}.shifts.{i}.headcount"),
        })
        .collect();
    Some(VaryError::ShiftStaffed {
        key: segs.join("."),
        pool: name.to_string(),
        keys: keys.join(", "),
    })
}

/// Sets `segs` to `v`, creating missing tables on the way (for unset optional tables such as
/// `[swarm]`). Paths were checked by [`lookup`], so list entries exist.
pub(super) fn set(tree: &mut Value, segs: &[&str], v: Value) {
    let Some((last, init)) = segs.split_last() else {
        return;
    };
    let mut cur = tree;
    for (i, seg) in init.iter().enumerate() {
        cur = match cur {
            Value::Array(a) => {
                let path = segs[..i].join(".");
                let Ok(k) = entry_index(a, seg, &path) else {
                    return;
                };
                &mut a[k]
            }
            Value::Table(t) => t
                .entry(seg.to_string())
                .or_insert_with(|| Value::Table(toml::Table::new())),
            _ => return,
        };
    }
    match cur {
        Value::Table(t) => {
            t.insert(last.to_string(), v);
        }
        Value::Array(a) => {
            let path = init.join(".");
            if let Ok(k) = entry_index(a, last, &path) {
                a[k] = v;
            }
        }
        _ => {}
    }
}

pub(super) fn deserialize(tree: Value) -> Result<RawScenario, DeError> {
    serde_path_to_error::deserialize::<_, RawScenario>(tree).map_err(|e| {
        let path = e.path().to_string();
        DeError {
            path: if path == "." { String::new() } else { path },
            message: e.inner().to_string().trim().to_string(),
        }
    })
}

/// Turns a deserialisation failure of a single override into a message about the key or value.
pub(super) fn explain_de_error(err: DeError, segs: &[&str], v: &Value) -> VaryError {
    let text = err.to_string();
    if let Some(rest) = text.split("unknown field `").nth(1) {
        let field = rest.split('`').next().unwrap_or("");
        let expected: Vec<&str> = rest
            .split_once("expected")
            .map(|(_, e)| e.split('`').skip(1).step_by(2).collect())
            .unwrap_or_default();
        let pos = segs.iter().position(|s| *s == field).unwrap_or(0);
        let parent = segs[..pos].join(".");
        let place = if parent.is_empty() {
            "at the top level".to_string()
        } else {
            format!("in [{parent}]")
        };
        return VaryError::UnknownKey {
            field: field.to_string(),
            place,
            suggestion: did_you_mean(field, &expected).map(str::to_string),
            keys: expected.iter().map(|k| k.to_string()).collect(),
        };
    }
    VaryError::DoesNotFit {
        value: show(v),
        key: segs.join("."),
        error: err,
    }
}

fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| {
            let d = if c.starts_with(word) || word.starts_with(c) {
                1
            } else {
                levenshtein(word, c)
            };
            (d, *c)
        })
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}
