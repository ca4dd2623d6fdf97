//! Values of a `--vary` expression: lists typed like the key, and inclusive numeric ranges
//! counted in steps (no float drift).

use super::MAX_POINTS;
use super::error::VaryError;
use toml::Value;

/// `lo..hi` or `lo..hi:step` (step 1 when omitted), as the three number strings.
pub(super) struct Range<'a> {
    lo: &'a str,
    hi: &'a str,
    step: &'a str,
}

pub(super) fn parse_range(s: &str) -> Result<Option<Range<'_>>, VaryError> {
    let Some((lo, rest)) = s.split_once("..") else {
        return Ok(None);
    };
    if s.contains(',') {
        return Err(VaryError::ListAndRange {
            text: s.to_string(),
        });
    }
    let (hi, step) = rest.split_once(':').unwrap_or((rest, "1"));
    Ok(Some(Range {
        lo: lo.trim(),
        hi: hi.trim(),
        step: step.trim(),
    }))
}

fn number(s: &str) -> Result<f64, VaryError> {
    s.parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .ok_or_else(|| VaryError::NotANumber {
            text: s.to_string(),
        })
}

fn integer(s: &str) -> Result<i64, VaryError> {
    s.parse::<i64>().map_err(|_| {
        let text = s.to_string();
        if number(s).is_ok() {
            VaryError::NotWhole { text }
        } else {
            VaryError::NotANumber { text }
        }
    })
}

fn count(lo: f64, hi: f64, step: f64) -> Result<usize, VaryError> {
    if step <= 0.0 {
        return Err(VaryError::Step { step });
    }
    if hi < lo {
        return Err(VaryError::EmptyRange { lo, hi });
    }
    // Counting steps (not adding them up) keeps float grids free of drift; the epsilon keeps
    // `0..0.3:0.1` inclusive of 0.3.
    let n = ((hi - lo) / step + 1e-9).floor() + 1.0;
    if n > MAX_POINTS as f64 {
        return Err(VaryError::RangeTooLong { values: n });
    }
    Ok(n as usize)
}

pub(super) fn int_range(r: Range) -> Result<Vec<Value>, VaryError> {
    let (lo, hi, step) = (integer(r.lo)?, integer(r.hi)?, integer(r.step)?);
    let n = count(lo as f64, hi as f64, step as f64)?;
    Ok((0..n as i64)
        .map(|i| Value::Integer(lo + i * step))
        .collect())
}

pub(super) fn float_range(r: Range) -> Result<Vec<Value>, VaryError> {
    let (lo, hi, step) = (number(r.lo)?, number(r.hi)?, number(r.step)?);
    let n = count(lo, hi, step)?;
    Ok((0..n)
        .map(|i| Value::Float(tidy(lo + i as f64 * step)))
        .collect())
}

/// Rounds away binary noise (`0.30000000000000004`) so values print as typed.
fn tidy(x: f64) -> f64 {
    let r = (x * 1e12).round() / 1e12;
    if r.is_finite() { r } else { x }
}

/// One list value, typed like the key's current value (or guessed for an unset optional key;
/// deserialisation then checks it).
pub(super) fn typed(s: &str, current: Option<&Value>) -> Result<Value, VaryError> {
    if s.is_empty() {
        return Err(VaryError::EmptyValue);
    }
    Ok(match current {
        Some(Value::Integer(_)) => Value::Integer(integer(s)?),
        Some(Value::Float(_)) => Value::Float(number(s)?),
        Some(Value::Boolean(_)) => Value::Boolean(s.parse().map_err(|_| VaryError::NotBool {
            text: s.to_string(),
        })?),
        Some(_) => Value::String(s.to_string()),
        None => {
            if let Ok(i) = s.parse::<i64>() {
                Value::Integer(i)
            } else if let Ok(x) = number(s) {
                Value::Float(x)
            } else if let Ok(b) = s.parse::<bool>() {
                Value::Boolean(b)
            } else {
                Value::String(s.to_string())
            }
        }
    })
}
