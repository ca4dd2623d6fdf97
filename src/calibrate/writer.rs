//! The calibrated scenario as commented TOML, in the layout of the bundled scenarios: every
//! fitted value says where it came from and how good the fit is, every value that the export
//! cannot tell is marked `ASSUMPTION`.

use super::CHANNELS;
use super::accum::TicketStats;
use super::arrivals::{ArrivalFit, Est};
use super::durations::{DurationFit, Family};
use super::{Calibration, Input, Options, shares};
use crate::scenario::DEFAULT_PRIORITIES;
use std::fmt::Write;

/// Default work times [minutes] when the export has no time tracking (the bundled mid-market
/// scenario's figures): tier 1 by channel, then tiers 2 and 3.
const ASSUMED_L1: [f64; 3] = [8.0, 12.0, 9.0];
const ASSUMED_UPPER: [f64; 2] = [22.0, 90.0];
/// Utilisation the placeholder headcounts are sized for at the peak hour of the peak weekday.
const PEAK_UTILISATION: f64 = 0.85;

/// Shares rounded to 6 decimals that sum to exactly 1 (the rounding residue goes to the
/// largest share), as `key = value` pairs.
fn mix_line(keys: &[String], values: &[f64]) -> String {
    let total: f64 = values.iter().sum();
    let mut micro: Vec<i64> = values
        .iter()
        .map(|v| (v / total * 1e6).round() as i64)
        .collect();
    let residue = 1_000_000 - micro.iter().sum::<i64>();
    if let Some(i) = (0..micro.len()).max_by_key(|&i| micro[i]) {
        micro[i] += residue;
    }
    let parts: Vec<String> = keys
        .iter()
        .zip(&micro)
        .filter(|(_, m)| **m > 0)
        .map(|(k, m)| format!("{k} = {}", trim(*m as f64 / 1e6, 6)))
        .collect();
    format!("{{ {} }}", parts.join(", "))
}

/// A number with at most `d` decimals, trailing zeros dropped.
fn trim(x: f64, d: usize) -> String {
    let s = format!("{x:.d$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

fn ci(e: &Est, d: usize) -> String {
    let (lo, hi) = e.ci();
    format!("[{}, {}]", trim(lo, d), trim(hi, d))
}

fn dist(family: Family, mean: f64, cv: f64) -> String {
    let name = match family {
        Family::Lognormal => "lognormal",
        Family::Gamma => "gamma",
    };
    format!(
        "{{ dist = \"{name}\", mean_min = {}, cv = {} }}",
        trim(mean, 3),
        trim(cv, 4)
    )
}

fn fit_comment(f: &DurationFit) -> String {
    let c = f.chosen();
    let other = match f.best {
        Family::Lognormal => ("gamma", &f.gamma),
        Family::Gamma => ("lognormal", &f.lognormal),
    };
    format!(
        "{} tickets; mean 95% CI {}, cv {}; KS distance {:.3} (on {}; {} KS {:.3}, log-likelihood {:+.3}/ticket)",
        f.n,
        ci(&c.mean, 2),
        ci(&c.cv, 3),
        c.ks,
        f.ks_n,
        other.0,
        other.1.ks,
        other.1.loglik - c.loglik
    )
}

/// Renders the scenario.
pub fn render(cal: &Calibration, opts: &Options) -> String {
    let a = &cal.arrivals;
    let mut o = String::new();
    let w = &mut o;
    let _ = writeln!(
        w,
        "# Calibrated by `supportsim calibrate` from {} ({} export), {} to {} in {}.",
        opts.source,
        opts.format.name(),
        a.span.0,
        a.span.1,
        opts.tz_name
    );
    match &cal.input {
        Input::Tickets(t) => {
            let _ = writeln!(
                w,
                "# {} rows read, {} skipped as bad. Values the export cannot tell are marked ASSUMPTION.",
                t.rows, t.bad_rows
            );
        }
        Input::Intervals(i) => {
            let _ = writeln!(
                w,
                "# Interval report: {} intervals of {} min (timestamp {:?}, offered {:?}), {} bad rows skipped.",
                i.intervals,
                trim(i.interval_min, 2),
                i.columns.0,
                i.columns.1,
                i.bad_rows
            );
        }
    }
    for n in &cal.notes {
        let _ = writeln!(w, "# note: {}", n.replace(['\n', '\r'], " "));
    }
    let _ = writeln!(w, "name = \"{}\"", opts.name);
    let _ = writeln!(
        w,
        "description = \"Calibrated from {} ({} to {})\"",
        opts.source.replace(['"', '\\'], "_"),
        a.span.0,
        a.span.1
    );
    let _ = writeln!(w, "model = \"tiered\"\n");
    let _ = writeln!(w, "[run]");
    let _ = writeln!(
        w,
        "start_date = \"{}\"        # the Monday after the history",
        a.start
    );
    let _ = writeln!(
        w,
        "warmup_days = 7\nhorizon_days = 28\ndrain_days = 14\nreplications = 100\nseed = 1\n"
    );
    demand(w, cal, opts, a);
    let levels = level_shares(cal);
    let tiers = levels.iter().rposition(|v| *v > 0.0).map_or(1, |i| i + 1);
    tiers_and_pools(w, cal, a, &levels, tiers);
    patience(w, cal);
    let _ = writeln!(
        w,
        "\n# No [[sla]] targets: add your own (see the README's [[sla]] section); `supportsim staff`\n\
         # then sizes the pools against them."
    );
    o
}

fn demand(w: &mut String, cal: &Calibration, opts: &Options, a: &ArrivalFit) {
    let _ = writeln!(w, "[demand]");
    let _ = writeln!(
        w,
        "# Poisson regression of {} daily counts on weekday and a monthly trend (edge days{}{} left out);\n\
         # the volume is the trend extrapolated to run.start_date, 95% CI {} (history mean {:.1}/week).",
        a.days_used,
        if a.closed.iter().any(|c| *c) {
            ", closed weekdays"
        } else {
            ""
        },
        if a.days_missing > 0 {
            format!(", {} days missing from the report", a.days_missing)
        } else {
            String::new()
        },
        ci(&a.tickets_per_week, 1),
        a.history_per_week
    );
    let _ = writeln!(
        w,
        "tickets_per_week = {}",
        trim(a.tickets_per_week.value, 1)
    );
    let _ = writeln!(w, "timezone = \"{}\"", opts.tz_name);
    let wd: Vec<String> = a.weekday.iter().map(|e| trim(e.value, 4)).collect();
    let cis: Vec<String> = a.weekday.iter().map(|e| ci(e, 3)).collect();
    let _ = writeln!(
        w,
        "# Weekday factors Mon..Sun (mean 1), robust 95% CIs: {}",
        cis.join(" ")
    );
    let _ = writeln!(w, "weekday_weights = [{}]", wd.join(", "));
    let max_se = a.hour.iter().map(|e| e.se).fold(0.0, f64::max);
    let shape = a
        .hour_shape_distance
        .iter()
        .zip(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"])
        .filter_map(|(d, n)| d.map(|d| format!("{n} {d:.3}")))
        .collect::<Vec<_>>()
        .join(", ");
    let _ = writeln!(
        w,
        "# Hour factors 0..23 local time (mean 1), pooled over weekdays; largest SE {max_se:.3}.\n\
         # The scenario's profile is weekday x hour separable; each weekday's own hour shape differs\n\
         # from the pooled one by (total variation) {shape}."
    );
    let hw: Vec<String> = a.hour.iter().map(|e| trim(e.value, 4)).collect();
    let _ = writeln!(w, "hour_weights = [{}]", hw.join(", "));
    if a.growth_fitted {
        let _ = writeln!(
            w,
            "growth_per_month = {}    # 95% CI [{:.4}, {:.4}] (log-linear trend)",
            trim(a.growth.value, 5),
            a.growth_ci.0,
            a.growth_ci.1
        );
    } else {
        let _ = writeln!(
            w,
            "growth_per_month = 0    # ASSUMPTION: under 28 days of history, no trend fitted"
        );
    }
    let _ = writeln!(
        w,
        "daily_dispersion_cv = {}    # gamma CV by moments after weekday and trend, 95% CI {}; Pearson chi2/df {:.2} (1 = Poisson)",
        trim(a.dispersion_cv.value, 4),
        ci(&a.dispersion_cv, 3),
        a.pearson_dispersion
    );
    if !a.outliers.is_empty() {
        let list: Vec<String> = a
            .outliers
            .iter()
            .map(|(d, y, mu)| format!("{d} {y:.0} vs {mu:.0}"))
            .collect();
        let _ = writeln!(
            w,
            "# Days furthest above the fit (surge candidates for [[demand.surges]]): {}",
            list.join(", ")
        );
    }
    let chan: Vec<String> = CHANNELS.iter().map(|s| s.to_string()).collect();
    let prio: Vec<String> = DEFAULT_PRIORITIES.iter().map(|s| s.to_string()).collect();
    match &cal.input {
        Input::Tickets(t) => {
            write_mix(
                w,
                "channels",
                &chan,
                t.channels.as_ref().map(|c| &c[..]),
                "email = 1.0",
            );
            write_mix(
                w,
                "priorities",
                &prio,
                t.priorities.as_ref().map(|c| &c[..]),
                "P3 = 1.0",
            );
            match &t.segments {
                Some(s) => {
                    let names: Vec<String> = s.iter().map(|x| x.0.clone()).collect();
                    let counts: Vec<u64> = s.iter().map(|x| x.1).collect();
                    write_mix(w, "segments", &names, Some(&counts), "");
                }
                None => write_mix(w, "segments", &[], None, "all = 1.0"),
            }
            let lv: Vec<String> = ["1", "2", "3"].iter().map(|s| s.to_string()).collect();
            match &t.levels {
                Some((counts, col)) => {
                    let _ = writeln!(
                        w,
                        "# Required level from {col:?} (1 group / no reassignment = 1, 2 = 2, 3 or more = 3).\n\
                         # Self-service deflection (level 0) and the vendor (4) are not in a ticket export: 0 here."
                    );
                    write_mix(w, "required_level", &lv, Some(&counts[..]), "");
                }
                None => write_mix(w, "required_level", &lv, None, "1 = 1.0"),
            }
        }
        Input::Intervals(_) => {
            let _ = writeln!(
                w,
                "channels = {{ phone = 1.0 }}    # ASSUMPTION: an interval report of one phone/ACD queue\n\
                 priorities = {{ P3 = 1.0 }}    # ASSUMPTION: interval reports carry no priority\n\
                 segments = {{ all = 1.0 }}    # ASSUMPTION\n\
                 required_level = {{ 1 = 1.0 }}    # ASSUMPTION: one tier answers every contact"
            );
        }
    }
}

fn write_mix(w: &mut String, key: &str, names: &[String], counts: Option<&[u64]>, assumed: &str) {
    match counts {
        Some(c) if c.iter().sum::<u64>() > 0 => {
            let sh = shares(c);
            let vals: Vec<f64> = sh.iter().map(|e| e.value).collect();
            let cis: Vec<String> = names
                .iter()
                .zip(&sh)
                .filter(|(_, e)| e.value > 0.0)
                .map(|(n, e)| format!("{n} {}", ci(e, 3)))
                .collect();
            let _ = writeln!(
                w,
                "# {key}: shares of {} tickets, 95% CIs {}",
                c.iter().sum::<u64>(),
                cis.join(", ")
            );
            let _ = writeln!(w, "{key} = {}", mix_line(names, &vals));
        }
        _ => {
            let _ = writeln!(
                w,
                "{key} = {{ {assumed} }}    # ASSUMPTION: the export has no {key} column (--map)"
            );
        }
    }
}

/// Shares of levels 1..3.
fn level_shares(cal: &Calibration) -> [f64; 3] {
    match &cal.input {
        Input::Tickets(t) => match &t.levels {
            Some((c, _)) => {
                let s = shares(c);
                [s[0].value, s[1].value, s[2].value]
            }
            None => [1.0, 0.0, 0.0],
        },
        Input::Intervals(_) => [1.0, 0.0, 0.0],
    }
}

/// `(distribution, comment)` of each channel at tier 1 (`None` = use `default`) and the
/// default, plus the defaults of tiers 2 and 3.
struct WorkPlan {
    l1: [Option<(String, String)>; 3],
    default: Vec<(String, String, f64)>,
}

fn work_plan(cal: &Calibration) -> WorkPlan {
    let mut plan = WorkPlan {
        l1: [None, None, None],
        default: Vec::new(),
    };
    if let Input::Intervals(i) = &cal.input {
        let (d, c, m) = match i.aht_min {
            Some(aht) => (
                dist(Family::Lognormal, aht, 1.0),
                "mean = the report's handled-weighted AHT; cv 1 is an ASSUMPTION".to_string(),
                aht,
            ),
            None => (
                dist(Family::Lognormal, ASSUMED_L1[2], 1.0),
                "ASSUMPTION: the report has no AHT".to_string(),
                ASSUMED_L1[2],
            ),
        };
        plan.default.push((d, c, m));
        for m in ASSUMED_UPPER {
            plan.default
                .push((dist(Family::Lognormal, m, 1.0), "ASSUMPTION".into(), m));
        }
        return plan;
    }
    for ch in 0..3 {
        if let Some(f) = cal.work_fit(1, Some(ch)) {
            let c = f.chosen();
            plan.l1[ch] = Some((dist(f.best, c.mean.value, c.cv.value), fit_comment(f)));
        }
    }
    // The previous level's totals: (mean, variance) [min, min^2]; None after an assumed level.
    let mut prev: Option<(f64, f64)> = None;
    let mut prev_mean: Option<f64> = None;
    for level in 1..=3 {
        let entry = match (cal.work_fit(level, None), prev_mean) {
            (Some(f), _) if level == 1 => {
                let c = f.chosen();
                prev = Some(totals_moments(f));
                (
                    dist(f.best, c.mean.value, c.cv.value),
                    fit_comment(f),
                    c.mean.value,
                )
            }
            (Some(f), Some(prev_total)) => {
                let c = f.chosen();
                let m = (c.mean.value - prev_total).max(1.0);
                let clamped = if c.mean.value - prev_total < 1.0 {
                    " (under 1 min, so 1 min is written: check the work column, higher levels \
                     usually take longer in all)"
                } else {
                    ""
                };
                let totals = totals_moments(f);
                let (cv, cv_how) = increment_cv(totals, prev, m);
                prev = Some(totals);
                (
                    dist(f.best, m, cv),
                    format!(
                        "DERIVED: mean = level-{level} tickets' total time {:.1} min - level-{} tickets' {:.1}{clamped} \
                         (each tier adds its own work), {cv_how}; {}",
                        c.mean.value,
                        level - 1,
                        prev_total,
                        fit_comment(f)
                    ),
                    c.mean.value,
                )
            }
            _ => {
                let m = if level == 1 {
                    ASSUMED_L1[0]
                } else {
                    ASSUMED_UPPER[level - 2]
                };
                let why = match &cal.input {
                    Input::Tickets(t) if t.work.is_none() => {
                        "ASSUMPTION: the export has no time tracking (--map work=COLUMN)"
                    }
                    Input::Tickets(t)
                        if t.work.as_ref().is_some_and(|w| {
                            w[TicketStats::level_index(level)].n >= super::MIN_WORK_SAMPLES
                        }) =>
                    {
                        "ASSUMPTION: the tracked times at this level (nearly) all have one value, so no distribution can be fitted; check the work column"
                    }
                    _ => "ASSUMPTION: too few tickets with tracked time at this level",
                };
                prev = None;
                (
                    dist(Family::Lognormal, m, 1.0),
                    why.to_string(),
                    prev_mean.unwrap_or(0.0) + m,
                )
            }
        };
        prev_mean = Some(entry.2);
        plan.default.push(entry);
    }
    // Keep the plain means (not totals) for sizing.
    plan.default = plan
        .default
        .into_iter()
        .map(|(d, c, _)| {
            let m = mean_of(&d);
            (d, c, m)
        })
        .collect();
    plan
}

/// The sample mean and variance of a level's total work times [min, min^2]. Sample moments,
/// not the fitted family's: variances of independent parts add whatever their family, so the
/// difference below is exact in expectation.
fn totals_moments(f: &DurationFit) -> (f64, f64) {
    (f.sample_mean, (f.sample_cv * f.sample_mean).powi(2))
}

/// The CV of the work a tier adds, `mean_min` on average, and how it was found. A level-k
/// ticket's total is the level-(k-1) work plus the tier's own, taken as independent (the same
/// assumption as the difference of means), so the tier's variance is the difference of the
/// totals' variances. Its CV is that standard deviation over the tier's own mean, not the CV of
/// the totals: the totals' CV understates the tier's spread (synthetic truth CV 1.0 was
/// written as 0.72). Where the difference is not positive (the totals spread less than the
/// level below), the totals' CV is kept and the comment says so.
fn increment_cv(total: (f64, f64), below: Option<(f64, f64)>, mean_min: f64) -> (f64, String) {
    let totals_cv = total.1.sqrt() / total.0;
    match below {
        Some((_, below_var)) if total.1 > below_var => {
            let cv = (total.1 - below_var).sqrt() / mean_min;
            // Within the CVs a scenario accepts, so the written file always validates.
            let cv = cv.clamp(
                crate::scenario::limits::MIN_DIST_CV,
                crate::scenario::limits::MAX_DIST_CV,
            );
            (
                cv,
                format!(
                    "cv = sqrt(variance of the level totals - the level below's) / the mean written, {}",
                    trim(cv, 3)
                ),
            )
        }
        Some(_) => (
            totals_cv,
            "cv of the level totals (they spread no more than the level below's, so the tier's own spread cannot be told apart)".to_string(),
        ),
        None => (
            totals_cv,
            "cv of the level totals (the level below has no fit)".to_string(),
        ),
    }
}

/// The `mean_min` of a distribution written by [`dist`].
fn mean_of(d: &str) -> f64 {
    d.split("mean_min = ")
        .nth(1)
        .and_then(|r| r.split(',').next())
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(1.0)
}

fn tiers_and_pools(
    w: &mut String,
    cal: &Calibration,
    a: &ArrivalFit,
    levels: &[f64; 3],
    tiers: usize,
) {
    let plan = work_plan(cal);
    let peak = a.weekday.iter().map(|e| e.value).fold(0.0, f64::max)
        * a.hour.iter().map(|e| e.value).fold(0.0, f64::max);
    let per_min = a.tickets_per_week.value / (7.0 * 1440.0);
    let _ = writeln!(
        w,
        "\n# ASSUMPTION: pools are placeholders, 24x7, sized for {:.0}% utilisation at the peak hour of the\n\
         # peak weekday ({peak:.2} x the mean rate). Replace them with your rota, or run `supportsim staff`.",
        PEAK_UTILISATION * 100.0
    );
    for k in 0..tiers {
        let reach: f64 = levels[k..].iter().sum();
        let mean = plan.default.get(k).map_or(10.0, |d| d.2);
        let load = per_min * reach * mean * peak;
        let head = ((load / PEAK_UTILISATION).ceil() as u32).max(1);
        let _ = writeln!(
            w,
            "[[pools]]\nname = \"l{}\"\nheadcount = {head}    # peak offered load {load:.2} erlangs\n",
            k + 1
        );
    }
    for k in 0..tiers {
        let _ = writeln!(w, "[[tiers]]\nlevel = {}\npool = \"l{}\"", k + 1, k + 1);
        if k == 0 {
            for (ch, e) in plan.l1.iter().enumerate() {
                if let Some((d, c)) = e {
                    let _ = writeln!(w, "# {}: {c}", CHANNELS[ch]);
                    let _ = writeln!(w, "work_time.{} = {d}", CHANNELS[ch]);
                }
            }
        }
        if let Some((d, c, _)) = plan.default.get(k) {
            let _ = writeln!(w, "# default: {c}");
            let _ = writeln!(w, "work_time.default = {d}");
        }
        let _ = writeln!(w);
    }
}

fn patience(w: &mut String, cal: &Calibration) {
    let has = cal.patience.iter().any(Option::is_some);
    if !has {
        let why = match &cal.input {
            Input::Tickets(t) if t.waits.is_some() => "too few abandoned contacts",
            _ => {
                "the export has no abandoned contacts; map them with --map abandoned=COLUMN,wait=COLUMN"
            }
        };
        let _ = writeln!(
            w,
            "# Patience not fitted ({why}). ASSUMPTION: live customers wait forever."
        );
        return;
    }
    let _ = writeln!(w, "[customers.patience]");
    for (i, p) in cal.patience.iter().enumerate() {
        let Some(p) = p else { continue };
        let ch = ["chat", "phone"][i];
        let med = p
            .km_median
            .map_or("above the longest wait".to_string(), |m| {
                format!("{m:.2} min")
            });
        let at: Vec<String> = p
            .km_at
            .iter()
            .map(|(t, s)| format!("S({t})={s:.3}"))
            .collect();
        let _ = writeln!(
            w,
            "# {ch}: Kaplan-Meier over {} contacts ({} abandoned; answered waits censored): median {med}, {};\n\
             # exponential by censored MLE, mean 95% CI {}, largest gap to the KM curve {:.3} (while 100+ wait).",
            p.n,
            p.events,
            at.join(" "),
            ci(&p.mean, 2),
            p.max_gap
        );
        let _ = writeln!(
            w,
            "{ch} = {{ dist = \"exponential\", mean_min = {} }}",
            trim(p.mean.value, 3)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mixes_sum_to_one_exactly() {
        let names: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        let line = mix_line(&names, &[1.0, 1.0, 1.0]);
        assert_eq!(line, "{ a = 0.333333, b = 0.333333, c = 0.333334 }");
    }
}
