//! `supportsim validate FILE`.

use crate::scenario::Scenario;
use crate::scenario::analysis::{mean_arrival_rate, pool_loads};
use comfy_table::{Table, presets::UTF8_FULL_CONDENSED};
use std::io::Write;
use std::path::Path;

pub(super) fn validate(file: &Path) -> anyhow::Result<()> {
    let s = Scenario::load(file)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}: valid scenario {:?}", file.display(), s.name)?;
    if !s.description.is_empty() {
        writeln!(out, "  {}", s.description)?;
    }
    let r = &s.run;
    writeln!(
        out,
        "  model {:?}; {} replications, seed {}; warm-up {:.1} d, horizon {:.1} d, drain up to {:.1} d; time zone {}",
        s.raw.model,
        r.replications,
        r.seed,
        r.warmup_min / 1440.0,
        r.horizon_min / 1440.0,
        r.drain_min / 1440.0,
        s.raw.demand.timezone
    )?;
    let lambda = mean_arrival_rate(&s, r.warmup_min, r.window_end_min());
    writeln!(
        out,
        "  demand over the measured window: {:.1} tickets/hour on average ({:.0} tickets/week before deflection)",
        lambda * 60.0,
        lambda * 60.0 * 24.0 * 7.0
    )?;
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header(vec![
        "pool",
        "tier",
        "tickets/week",
        "work/ticket [min]",
        "offered load [erlangs]",
        "mean on duty [agents]",
        "utilisation (est.)",
    ]);
    for l in pool_loads(&s) {
        t.add_row(vec![
            l.pool.clone(),
            if l.level == 0 {
                "-".into()
            } else {
                format!("L{}", l.level)
            },
            format!("{:.0}", l.tickets_per_week),
            format!("{:.1}", l.work_per_ticket_min),
            format!("{:.2}", l.offered_erlangs),
            format!("{:.2}", l.mean_staffed),
            if l.utilisation.is_finite() {
                format!("{:.1}%", l.utilisation * 100.0)
            } else {
                "no staff".into()
            },
        ]);
    }
    writeln!(out, "{t}")?;
    if s.sla.targets.is_empty() {
        writeln!(out, "  no SLA targets")?;
    } else {
        writeln!(out, "  SLA targets:")?;
        for tg in &s.sla.targets {
            let f = |x: Option<crate::scenario::Target>| {
                x.map_or("-".to_string(), |t| {
                    format!("{} within {}", pct(t.goal), human_min(t.limit_min))
                })
            };
            writeln!(
                out,
                "    {:<24} first response {:<22} resolution {}",
                tg.label,
                f(tg.first_response),
                f(tg.resolution)
            )?;
        }
    }
    for w in &s.warnings {
        writeln!(out, "warning: {w}")?;
    }
    Ok(())
}

/// `0.95` -> `95%`.
pub(crate) fn pct(x: f64) -> String {
    let v = x * 100.0;
    if (v - v.round()).abs() < 1e-9 {
        format!("{v:.0}%")
    } else {
        format!("{v:.1}%")
    }
}

/// Minutes in the most readable unit: `45 s`, `12.5 min`, `3.2 h`, `2.1 d`.
pub(crate) fn human_min(m: f64) -> String {
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
