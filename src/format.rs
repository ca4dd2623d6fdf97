//! Human-readable formatting shared by the terminal output and the HTML report.

/// Minutes in the most readable unit: `45 s`, `12.5 min`, `3.2 h`, `2.1 d`; `-` when not finite.
pub fn human_min(m: f64) -> String {
    if !m.is_finite() {
        "-".into()
    } else if m < 1.0 {
        format!("{:.0} s", m * 60.0)
    } else if m < 120.0 {
        format!("{m:.1} min")
    } else if m < 2880.0 {
        format!("{:.1} h", m / 60.0)
    } else {
        format!("{:.1} d", m / 1440.0)
    }
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
    }
}
