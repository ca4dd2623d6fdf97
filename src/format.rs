//! Human-readable formatting shared by the terminal output and the HTML report.

use crate::measure::Kind;

/// A unit for times: minutes per unit, suffix, decimals.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimeUnit {
    min_per_unit: f64,
    suffix: &'static str,
    decimals: usize,
}

/// The most readable unit for `m` minutes: seconds below a minute, minutes below 2 h,
/// hours below 2 days, then days.
pub fn time_unit(m: f64) -> TimeUnit {
    let m = m.abs();
    let (min_per_unit, suffix, decimals) = if m < 1.0 {
        (1.0 / 60.0, "s", 0)
    } else if m < 120.0 {
        (1.0, "min", 1)
    } else if m < 2880.0 {
        (60.0, "h", 1)
    } else {
        (1440.0, "d", 1)
    };
    TimeUnit {
        min_per_unit,
        suffix,
        decimals,
    }
}

/// `m` minutes in `unit`; `-` when not finite.
pub fn min_in(m: f64, unit: TimeUnit) -> String {
    if !m.is_finite() {
        return "-".into();
    }
    format!(
        "{:.*} {}",
        unit.decimals,
        m / unit.min_per_unit,
        unit.suffix
    )
}

/// Minutes in the most readable unit: `45 s`, `12.5 min`, `3.2 h`, `2.1 d`; `-` when not finite.
pub fn human_min(m: f64) -> String {
    min_in(m, time_unit(m))
}

/// Who an SLA target covers, for people: `P1/enterprise` and `P1/*` stay, a target over every
/// priority and segment (`*/*`) reads "all tickets".
pub fn target_who(label: &str) -> &str {
    if label == "*/*" { "all tickets" } else { label }
}

/// An SLA limit on its clock: `30.0 min` (24x7 wall clock) or `8 business h (us-business)`.
pub fn limit_label(sla: &crate::scenario::Sla, t: &crate::scenario::Target) -> String {
    match t.clock {
        None => human_min(t.limit_min),
        Some(c) => {
            let h = t.limit_min / 60.0;
            let name = &sla.clocks[c as usize].name;
            if (h - h.round()).abs() < 1e-9 {
                format!("{h:.0} business h ({name})")
            } else {
                format!("{h:.1} business h ({name})")
            }
        }
    }
}

/// A fraction as a percentage: `0.95` -> `95%`, `0.955` -> `95.5%`.
pub fn pct(x: f64) -> String {
    let v = x * 100.0;
    if (v - v.round()).abs() < 1e-9 {
        format!("{v:.0}%")
    } else {
        format!("{v:.1}%")
    }
}

/// `x` in its metric's unit, times in the unit `reference` would get, so that a mean and
/// its bounds (or a difference and its CI) share one unit in a row.
pub fn fmt_like(kind: Kind, reference: f64, x: f64) -> String {
    if !x.is_finite() {
        return "-".into();
    }
    match kind {
        Kind::Time | Kind::Duration => min_in(x, time_unit(reference)),
        Kind::Fraction => format!("{:.1}%", x * 100.0),
        // Large counts and money read better without spurious decimals.
        Kind::Count if reference.abs() >= 1000.0 => format!("{x:.0}"),
        Kind::Count if reference.abs() >= 10.0 => format!("{x:.2}"),
        Kind::Count => format!("{x:.3}"),
    }
}

/// A whole number with thousands separators: `66640.4` -> `66,640`; `-` when not finite.
pub fn thousands(x: f64) -> String {
    if !x.is_finite() {
        return "-".into();
    }
    let digits = format!("{:.0}", x.abs());
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if x < 0.0 && digits != "0" {
        out.insert(0, '-');
    }
    out
}

/// A number as people read it in a message: plain for ordinary magnitudes, in exponent
/// notation when very large or very small (`1.7e308`, not 309 digits).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Num(pub f64);

impl std::fmt::Display for Num {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let v = self.0;
        let a = v.abs();
        if v.is_finite() && v != 0.0 && !(1e-6..1e15).contains(&a) {
            write!(f, "{v:e}")
        } else {
            write!(f, "{v}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_readable_units() {
        assert_eq!(human_min(0.5), "30 s");
        assert_eq!(human_min(12.5), "12.5 min");
        assert_eq!(human_min(180.0), "3.0 h");
        assert_eq!(human_min(4320.0), "3.0 d");
        assert_eq!(human_min(f64::NAN), "-");
        assert_eq!(pct(0.95), "95%");
        assert_eq!(pct(0.955), "95.5%");
        assert_eq!(thousands(66_640.4), "66,640");
        assert_eq!(thousands(-1_234_567.0), "-1,234,567");
        assert_eq!(thousands(999.0), "999");
        assert_eq!(thousands(-0.2), "0");
    }
}

/// Where a record is in a CSV file: its data row (the first row under the header is row 1)
/// and the file line it starts on. The two drift apart after a quoted cell with a line break,
/// so messages give both: a spreadsheet user counts rows, an editor user finds the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvRow {
    /// 1-based data row (the header is not counted).
    pub row: u64,
    /// 1-based line of the file the record starts on (the header is line 1).
    pub line: u64,
}

impl CsvRow {
    /// The place of the record the CSV reader just read or failed on, from the position the
    /// csv crate gives it; `fallback_row` (and the line after it) where it gives none.
    pub fn at(position: Option<&csv::Position>, fallback_row: u64) -> CsvRow {
        match position {
            // The csv reader counts the header as record 0.
            Some(p) => CsvRow {
                row: p.record(),
                line: p.line(),
            },
            None => CsvRow {
                row: fallback_row,
                line: fallback_row + 1,
            },
        }
    }
}

impl std::fmt::Display for CsvRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "row {} (line {})", self.row, self.line)
    }
}
