//! Reading a scenario file and parsing its TOML: refusals before reading (not a regular file,
//! too large, not text), and serde's messages turned into ones a scenario author can act on
//! (plain type words, the offending line of a syntax error, "did you mean" for misspellings).

use super::error::{Problem, ScenarioError};
use super::limits;
use super::raw::RawScenario;
use std::path::Path;

/// Reads a scenario file's text, refusing before reading anything that is not a regular file
/// (a FIFO would block, a device never ends) and anything larger than
/// [`limits::MAX_SCENARIO_BYTES`] (also when the file grows while it is read).
///
/// # Errors
/// [`ScenarioError::Io`], [`ScenarioError::NotAFile`], [`ScenarioError::TooLarge`] or
/// [`ScenarioError::NotText`].
pub fn read_scenario_text(path: &Path) -> Result<String, ScenarioError> {
    use std::io::Read;
    let io = |source| ScenarioError::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        let kind = if meta.is_dir() {
            "a folder"
        } else {
            file_kind(&meta)
        };
        return Err(ScenarioError::NotAFile {
            path: path.to_path_buf(),
            kind,
        });
    }
    let limit = limits::MAX_SCENARIO_BYTES;
    let too_large = |bytes| ScenarioError::TooLarge {
        path: path.to_path_buf(),
        bytes,
        limit,
    };
    if meta.len() > limit {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .map_err(io)?
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    String::from_utf8(bytes).map_err(|e| ScenarioError::NotText {
        path: path.to_path_buf(),
        at: e.utf8_error().valid_up_to(),
    })
}

/// What a path that is neither a file nor a folder is.
fn file_kind(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a named pipe";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    let _ = meta;
    "not a regular file"
}

/// Parses TOML into the raw scenario, turning serde's error into a [`Problem`] with the
/// key path (via `serde_path_to_error`) and the line and column.
pub fn parse_raw(text: &str, origin: &Path) -> Result<RawScenario, ScenarioError> {
    let located = |span: Option<std::ops::Range<usize>>| {
        span.map(|s| {
            let before = &text[..s.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let col = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
            (line, col)
        })
    };
    let de = match toml::de::Deserializer::parse(text) {
        Ok(de) => de,
        Err(e) => {
            return Err(ScenarioError::invalid(
                origin,
                vec![Problem {
                    path: String::new(),
                    message: format!(
                        "not valid TOML: {}{}",
                        e.message(),
                        offending_line(text, e.span())
                    ),
                    location: located(e.span()),
                }],
            ));
        }
    };
    serde_path_to_error::deserialize::<_, RawScenario>(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.inner();
        ScenarioError::invalid(
            origin,
            vec![Problem {
                message: with_home_table(&path, with_suggestion(plain_type_words(inner.message()))),
                path: if path == "." { String::new() } else { path },
                location: located(inner.span()),
            }],
        )
    })
}

/// Serde names Rust types ("expected u64"); a scenario author needs the range in words.
fn plain_type_words(message: &str) -> String {
    const WORDS: [(&str, &str); 7] = [
        (
            "expected u64",
            "expected a whole number from 0 to 18446744073709551615",
        ),
        (
            "expected u32",
            "expected a whole number from 0 to 4294967295",
        ),
        ("expected u16", "expected a whole number from 0 to 65535"),
        ("expected u8", "expected a whole number from 0 to 255"),
        (
            "expected usize",
            "expected a whole number from 0 to 18446744073709551615",
        ),
        ("expected i64", "expected a whole number"),
        ("expected f64", "expected a number"),
    ];
    let mut text = message.to_string();
    for (rust, plain) in WORDS {
        if let Some(at) = text.find(rust) {
            let end = at + rust.len();
            // only the whole word: "expected u32" must not match inside "expected u320"
            if !text[end..].starts_with(|c: char| c.is_ascii_alphanumeric()) {
                text.replace_range(at..end, plain);
                break;
            }
        }
    }
    // toml reads integers past i64 as i128 and says so: the width means nothing to a user.
    text.replace("floating point `", "the number `")
        .replace("integer `", "the number `")
        .replace("` as i128", "`")
        .replace("` as u128", "`")
}

/// serde's "unknown field `horizon_day`, expected one of `start_date`, ..." (or "unknown
/// variant") with "; did you mean `horizon_days`?" when one candidate is a near spelling.
fn with_suggestion(message: String) -> String {
    let Some(rest) = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("unknown variant `"))
    else {
        return message;
    };
    let Some((given, after)) = rest.split_once('`') else {
        return message;
    };
    let Some(list) = after
        .strip_prefix(", expected one of ")
        .or_else(|| after.strip_prefix(", expected "))
    else {
        return message;
    };
    let best = list
        .split(", ")
        .map(|c| c.trim_matches('`'))
        .filter(|c| !c.is_empty())
        .map(|c| (strsim::jaro_winkler(&given.to_lowercase(), c), c))
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match best {
        Some((score, c)) if score >= 0.85 && c != given => {
            format!("{message}; did you mean `{c}`?")
        }
        _ => message,
    }
}

/// The tables whose keys are fixed, each with its keys, read once from serde's own "expected
/// one of" list (so they never drift from the types).
fn table_keys() -> &'static [(&'static str, Vec<String>)] {
    use super::raw::*;
    fn keys<T: serde::de::DeserializeOwned>() -> Vec<String> {
        match toml::from_str::<T>("__probe__ = 0") {
            Ok(_) => Vec::new(),
            // serde lists 3+ keys as "expected one of `a`, `b`, `c`", two as "expected `a`
            // or `b`" and one as "expected `a`".
            Err(e) => e
                .message()
                .split_once("expected ")
                .map(|(_, list)| {
                    let list = list.strip_prefix("one of ").unwrap_or(list);
                    list.split(", ")
                        .flat_map(|k| k.split(" or "))
                        .map(|k| k.trim_matches('`').to_string())
                        .filter(|k| !k.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
        }
    }
    static KEYS: std::sync::OnceLock<Vec<(&'static str, Vec<String>)>> = std::sync::OnceLock::new();
    KEYS.get_or_init(|| {
        vec![
            ("[run]", keys::<RawRun>()),
            ("[demand]", keys::<RawDemand>()),
            ("[[pools]]", keys::<RawPool>()),
            ("[[tiers]]", keys::<RawTier>()),
            ("[queues]", keys::<RawQueues>()),
            ("[escalation]", keys::<RawEscalation>()),
            ("[vendor]", keys::<RawVendor>()),
            ("[customers]", keys::<RawCustomers>()),
            ("[triage]", keys::<RawTriage>()),
            ("[incidents]", keys::<RawIncidents>()),
            ("[routing]", keys::<RawRouting>()),
            ("[[sla]]", keys::<RawSla>()),
            ("[[calendars]]", keys::<RawCalendar>()),
            ("[pooled]", keys::<RawPooled>()),
            ("[swarm]", keys::<RawSwarm>()),
            ("[sweep]", keys::<RawSweep>()),
            ("[roster]", keys::<RawRoster>()),
            ("[plan]", keys::<RawPlan>()),
            ("[initial_state]", keys::<RawInitialState>()),
            ("the top level", keys::<RawScenario>()),
        ]
    })
}

/// An unknown key that is a key of another table (`replications` written after `[demand]`,
/// or `start_date` above any header) usually sits below the wrong header: TOML puts a key in
/// the table whose header is above it. Says which table it belongs to.
fn with_home_table(path: &str, message: String) -> String {
    let Some(rest) = message.strip_prefix("unknown field `") else {
        return message;
    };
    let Some((key, _)) = rest.split_once('`') else {
        return message;
    };
    // The table the key was found in: "run.replications" -> "run", "pools[0].x" -> "pools".
    let parent = path.rsplit_once('.').map_or("", |(p, _)| p);
    let parent = parent.split('[').next().unwrap_or(parent);
    let homes: Vec<&str> = table_keys()
        .iter()
        .filter(|(table, keys)| {
            let name = table.trim_matches(['[', ']']);
            let here = if parent.is_empty() {
                *table == "the top level"
            } else {
                name == parent
            };
            !here && keys.iter().any(|k| k == key)
        })
        .map(|(table, _)| *table)
        .collect();
    match homes.as_slice() {
        [] => message,
        ["the top level"] => format!(
            "{message}; `{key}` is a top-level key: a key belongs to the table whose header is above it, so move it above the first [table] header"
        ),
        [home] => format!(
            "{message}; `{key}` is a key of {home}: a key belongs to the table whose header is above it, so move it below {home}"
        ),
        more => format!(
            "{message}; `{key}` is a key of {}: a key belongs to the table whose header is above it, so move it below the one you meant",
            more.join(" or ")
        ),
    }
}

/// The source line of a TOML syntax error, quoted (` at `seed = 2``): the parser's messages
/// ("duplicate key", "invalid table header") do not say which key or header they mean.
fn offending_line(text: &str, span: Option<std::ops::Range<usize>>) -> String {
    let Some(span) = span else {
        return String::new();
    };
    let start = span.start.min(text.len());
    let begin = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let end = text[begin..].find('\n').map_or(text.len(), |i| begin + i);
    let line = text[begin..end].trim();
    if line.is_empty() {
        return String::new();
    }
    let shown: String = line.chars().take(80).collect();
    let more = if line.chars().count() > 80 { "..." } else { "" };
    format!(" at `{shown}{more}`")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_type_names_become_words() {
        assert_eq!(
            plain_type_words("invalid value: integer `-1`, expected u32"),
            "invalid value: the number `-1`, expected a whole number from 0 to 4294967295"
        );
        assert_eq!(
            plain_type_words("invalid type: integer `99999999999999999999` as i128, expected f64"),
            "invalid type: the number `99999999999999999999`, expected a number"
        );
        // Only whole words: a longer type name is left alone.
        assert_eq!(plain_type_words("expected u320"), "expected u320");
    }

    #[test]
    fn a_near_spelling_is_suggested_and_a_far_one_is_not() {
        let list = ", expected one of `warmup_days`, `horizon_days`, `drain_days`";
        assert!(
            with_suggestion(format!("unknown field `horizon_day`{list}"))
                .ends_with("; did you mean `horizon_days`?")
        );
        assert!(
            with_suggestion(format!("unknown field `DRAIN_DAYS`{list}"))
                .ends_with("; did you mean `drain_days`?")
        );
        let far = format!("unknown field `colour`{list}");
        assert_eq!(with_suggestion(far.clone()), far);
        let other = "missing field `name`".to_string();
        assert_eq!(with_suggestion(other.clone()), other);
    }

    #[test]
    fn a_key_below_the_wrong_header_is_sent_home() {
        let unknown = |key: &str| format!("unknown field `{key}`, expected one of `x`");
        let m = with_home_table("sla[0].replications", unknown("replications"));
        assert!(m.contains("is a key of [run] or [plan]"), "{m}");
        let m = with_home_table("warmup_days", unknown("warmup_days"));
        assert!(m.ends_with("so move it below [run]"), "{m}");
        let m = with_home_table("run.model", unknown("model"));
        assert!(m.contains("`model` is a top-level key"), "{m}");
        let m = with_home_table("pools[1].headcount_typo", unknown("headcount_typo"));
        assert_eq!(m, unknown("headcount_typo"));
        // Every fixed table was probed: its key list is not empty.
        for (table, keys) in table_keys() {
            assert!(!keys.is_empty(), "{table}");
        }
    }

    #[test]
    fn a_syntax_error_quotes_its_line_shortened() {
        let text = "a = 1\nseed = 2\n";
        assert_eq!(offending_line(text, Some(6..7)), " at `seed = 2`");
        assert_eq!(offending_line(text, None), "");
        let long = format!("k = \"{}\"", "x".repeat(200));
        let shown = offending_line(&long, Some(0..1));
        assert!(
            shown.ends_with("...`") && shown.chars().count() < 100,
            "{shown}"
        );
        // A span past the end (an error at end of input) stays in bounds.
        assert_eq!(offending_line(text, Some(99..100)), "");
    }
}
