//! The fit report of `supportsim calibrate`: how well the fitted scenario matches the history
//! it came from. One self-contained `report.html` (built by [`super::report`]) and every chart
//! as `charts/<name>.png` and `.svg`:
//!
//! - the weekday profile, observed against fitted (with 95% intervals);
//! - the hour-of-week profile: the observed mean arrivals per hour of the week against the
//!   fitted separable weekday x hour profile the scenario uses;
//! - the histogram of daily volumes against the fitted day-level distribution: each day's count
//!   is Poisson given a mean-1 gamma multiplier of the fitted CV, so negative binomial with the
//!   day's fitted mean; the expected histogram is the sum over days of those distributions;
//! - per work-time fit: the histogram (as a density) against the fitted lognormal and gamma
//!   densities, with their Kolmogorov-Smirnov distances.

use super::OutputSet;
use super::report::{self, HtmlChart, HtmlTable, Kpi, ReportInput};
use crate::calibrate::CHANNELS;
use crate::calibrate::arrivals::ArrivalFit;
use crate::calibrate::durations::{DurationFit, Family};
use crate::calibrate::{Calibration, Input, Options, WorkCell};
use crate::chart::{self, ChartError, CiBar, Curve, Rendered};
use statrs::distribution::{Continuous, DiscreteCDF, Gamma, LogNormal, NegativeBinomial, Poisson};

/// Weekday names, Monday first.
const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// The daily-volume histogram: bins `[lo, hi]` of whole counts, the days observed in each and
/// the days the fitted distribution expects.
#[derive(Debug, Clone, PartialEq)]
pub struct DailyHistogram {
    /// Bin bounds (inclusive) [tickets/day].
    pub bins: Vec<(u64, u64)>,
    /// Days observed per bin.
    pub observed: Vec<f64>,
    /// Days expected per bin under the fit.
    pub expected: Vec<f64>,
    /// Pearson chi-square over bins with at least 5 expected days (adjacent bins merged).
    pub chi2: f64,
    /// Its degrees of freedom (merged bins - 1).
    pub chi2_df: usize,
}

/// P(lo <= N <= hi) for a day of fitted mean `mu` and day-level CV `cv`: negative binomial
/// with shape 1/cv^2 (Poisson when cv is 0).
fn day_probability(mu: f64, cv: f64, lo: u64, hi: u64) -> f64 {
    let below = |k: u64, cdf: &dyn Fn(u64) -> f64| if k == 0 { 0.0 } else { cdf(k - 1) };
    if mu <= 0.0 {
        return f64::from(u8::from(lo == 0));
    }
    if cv > 1e-9 {
        let r = 1.0 / (cv * cv);
        if let Ok(nb) = NegativeBinomial::new(r, r / (r + mu)) {
            let cdf = |k: u64| nb.cdf(k);
            return cdf(hi) - below(lo, &cdf);
        }
    }
    match Poisson::new(mu) {
        Ok(p) => {
            let cdf = |k: u64| p.cdf(k);
            cdf(hi) - below(lo, &cdf)
        }
        Err(_) => 0.0,
    }
}

/// The histogram of the fit's daily counts against the fitted day-level distribution.
pub fn daily_histogram(a: &ArrivalFit) -> DailyHistogram {
    let ys: Vec<u64> = a
        .day_fits
        .iter()
        .map(|d| d.1.max(0.0).round() as u64)
        .collect();
    let (Some(&min), Some(&max)) = (ys.iter().min(), ys.iter().max()) else {
        return DailyHistogram {
            bins: vec![],
            observed: vec![],
            expected: vec![],
            chi2: f64::NAN,
            chi2_df: 0,
        };
    };
    let nb = ((ys.len() as f64).sqrt().ceil() as u64).clamp(5, 40);
    let width = ((max - min + 1) as f64 / nb as f64).ceil().max(1.0) as u64;
    let bins: Vec<(u64, u64)> = (0..)
        .map(|i| (min + i * width, min + (i + 1) * width - 1))
        .take_while(|(lo, _)| *lo <= max)
        .collect();
    let mut observed = vec![0.0; bins.len()];
    for y in &ys {
        observed[((y - min) / width) as usize] += 1.0;
    }
    let cv = a.dispersion_cv.value;
    let mut expected = vec![0.0; bins.len()];
    for (i, (lo, hi)) in bins.iter().enumerate() {
        // The first and last bins take the tails, so the expected days sum to the days.
        let lo = if i == 0 { 0 } else { *lo };
        let hi = if i + 1 == bins.len() {
            u64::MAX / 2
        } else {
            *hi
        };
        expected[i] = a
            .day_fits
            .iter()
            .map(|d| day_probability(d.2, cv, lo, hi))
            .sum();
    }
    let (chi2, chi2_df) = pearson(&observed, &expected);
    DailyHistogram {
        bins,
        observed,
        expected,
        chi2,
        chi2_df,
    }
}

/// Pearson chi-square with adjacent bins merged until each expects at least 5.
fn pearson(observed: &[f64], expected: &[f64]) -> (f64, usize) {
    let mut cells: Vec<(f64, f64)> = Vec::new();
    let mut cur = (0.0, 0.0);
    for (o, e) in observed.iter().zip(expected) {
        cur = (cur.0 + o, cur.1 + e);
        if cur.1 >= 5.0 {
            cells.push(cur);
            cur = (0.0, 0.0);
        }
    }
    if cur.1 > 0.0 || cur.0 > 0.0 {
        match cells.last_mut() {
            Some(last) => *last = (last.0 + cur.0, last.1 + cur.1),
            None => cells.push(cur),
        }
    }
    let chi2 = cells
        .iter()
        .filter(|c| c.1 > 0.0)
        .map(|(o, e)| (o - e).powi(2) / e)
        .sum();
    (chi2, cells.len().saturating_sub(1))
}

/// Observed weekday factors (mean 1 over the week, closed weekdays 0) from the fit's days,
/// with standard errors from the day-to-day spread.
pub fn observed_weekday(a: &ArrivalFit) -> [(f64, f64); 7] {
    let mut sums = [(0.0f64, 0.0f64, 0usize); 7];
    for (d, y, _) in &a.day_fits {
        let k = d.weekday().to_monday_zero_offset() as usize;
        sums[k].0 += y;
        sums[k].1 += y * y;
        sums[k].2 += 1;
    }
    let means: Vec<f64> = sums
        .iter()
        .map(|s| if s.2 == 0 { 0.0 } else { s.0 / s.2 as f64 })
        .collect();
    let scale = means.iter().sum::<f64>() / 7.0;
    let mut out = [(0.0, 0.0); 7];
    if scale <= 0.0 {
        return out;
    }
    for k in 0..7 {
        let (s, s2, n) = sums[k];
        if n == 0 {
            continue;
        }
        let m = s / n as f64;
        let var = if n > 1 {
            ((s2 - n as f64 * m * m) / (n as f64 - 1.0)).max(0.0)
        } else {
            0.0
        };
        out[k] = (m / scale, (var / n as f64).sqrt() / scale);
    }
    out
}

fn hour_of_week(cal: &Calibration) -> Result<Rendered, ChartError> {
    let a = &cal.arrivals;
    let counts = match &cal.input {
        Input::Tickets(t) => &t.arrivals,
        Input::Intervals(i) => &i.arrivals,
    };
    // Dates of each weekday in the history (edge days included, as in the counts).
    let mut n_days = [0.0f64; 7];
    let mut d = a.span.0;
    while d <= a.span.1 {
        n_days[d.weekday().to_monday_zero_offset() as usize] += 1.0;
        match d.tomorrow() {
            Ok(t) => d = t,
            Err(_) => break,
        }
    }
    let mut observed = Vec::with_capacity(2 * 168);
    let mut fitted = Vec::with_capacity(2 * 168);
    let level = a.history_per_week / 168.0;
    for (k, &days) in n_days.iter().enumerate() {
        for h in 0..24 {
            let x = (k * 24 + h) as f64;
            let o = if days > 0.0 {
                counts.hours[k][h] / days
            } else {
                f64::NAN
            };
            let f = level * a.weekday[k].value * a.hour[h].value;
            observed.extend([(x, o), (x + 1.0, o)]);
            fitted.extend([(x, f), (x + 1.0, f)]);
        }
    }
    chart::curves(
        "Arrivals by hour of the week: observed vs fitted",
        "Hour of the week (0 = Monday 00:00, local time)",
        "Mean arrivals per hour",
        &[
            Curve {
                name: "observed".into(),
                points: observed,
            },
            Curve {
                name: "fitted (weekday x hour)".into(),
                points: fitted,
            },
        ],
        &[],
        false,
        false,
    )
}

fn weekday_chart(a: &ArrivalFit) -> Result<Rendered, ChartError> {
    let obs = observed_weekday(a);
    let mut bars = Vec::new();
    for k in 0..7 {
        let (m, se) = obs[k];
        bars.push(CiBar {
            category: WEEKDAYS[k].into(),
            series: "observed (mean of days)".into(),
            mean: m,
            ci_low: m - 1.96 * se,
            ci_high: m + 1.96 * se,
            goal: None,
        });
        let (lo, hi) = a.weekday[k].ci();
        bars.push(CiBar {
            category: WEEKDAYS[k].into(),
            series: "fitted (Poisson regression)".into(),
            mean: a.weekday[k].value,
            ci_low: lo,
            ci_high: hi,
            goal: None,
        });
    }
    let top = bars
        .iter()
        .map(|b| b.ci_high)
        .filter(|x| x.is_finite())
        .fold(1.0, f64::max);
    chart::grouped_bars_ci(
        "Weekday factors: observed vs fitted (95% intervals)",
        "Weekday",
        "Factor (mean 1 over the week)",
        &bars,
        (0.0, top * 1.1),
        false,
    )
}

fn daily_chart(a: &ArrivalFit, h: &DailyHistogram) -> Result<Rendered, ChartError> {
    let step = |v: &[f64]| -> Vec<(f64, f64)> {
        let mut pts = Vec::new();
        for ((lo, hi), y) in h.bins.iter().zip(v) {
            pts.push((*lo as f64, *y));
            pts.push(((*hi + 1) as f64, *y));
        }
        pts
    };
    chart::curves(
        "Daily volume: observed days vs the fitted distribution",
        "Tickets per day",
        "Days",
        &[
            Curve {
                name: format!("observed ({} days)", a.day_fits.len()),
                points: step(&h.observed),
            },
            Curve {
                name: format!("fitted: negative binomial, CV {:.3}", a.dispersion_cv.value),
                points: step(&h.expected),
            },
        ],
        &[],
        false,
        false,
    )
}

/// The work-time sample of a fit cell, sorted.
fn work_sample(cal: &Calibration, w: &WorkCell) -> Vec<f64> {
    let Input::Tickets(t) = &cal.input else {
        return vec![];
    };
    let Some(acc) = &t.work else { return vec![] };
    let d = match w.channel {
        Some(c) => &acc[crate::calibrate::accum::TicketStats::work_index(w.level, c)],
        None => &acc[crate::calibrate::accum::TicketStats::level_index(w.level)],
    };
    let mut s = d.sample.items.clone();
    s.sort_by(f64::total_cmp);
    s
}

fn cell_name(w: &WorkCell) -> String {
    format!(
        "L{} {}",
        w.level,
        w.channel.map_or("all channels", |c| CHANNELS[c])
    )
}

fn work_chart(sample: &[f64], w: &WorkCell) -> Result<Rendered, ChartError> {
    let f: &DurationFit = &w.fit;
    let n = sample.len();
    let upper = if n == 0 {
        1.0
    } else {
        sample[((n as f64 * 0.99) as usize).min(n - 1)].max(1e-6)
    };
    let bins = 40usize;
    let width = upper / bins as f64;
    let mut counts = vec![0.0; bins];
    for &x in sample {
        if x < upper {
            counts[((x / width) as usize).min(bins - 1)] += 1.0;
        }
    }
    let mut hist = Vec::new();
    for (i, c) in counts.iter().enumerate() {
        let y = c / (n.max(1) as f64 * width);
        hist.push((i as f64 * width, y));
        hist.push(((i + 1) as f64 * width, y));
    }
    let density = |pdf: &dyn Fn(f64) -> f64| -> Vec<(f64, f64)> {
        (1..=200)
            .map(|i| {
                let x = upper * i as f64 / 200.0;
                (x, pdf(x))
            })
            .collect()
    };
    let ln = &f.lognormal;
    let s2 = (1.0 + ln.cv.value.powi(2)).ln();
    let lnd = LogNormal::new(ln.mean.value.ln() - s2 / 2.0, s2.sqrt()).ok();
    let g = &f.gamma;
    let k = 1.0 / g.cv.value.powi(2);
    let gd = Gamma::new(k, k / g.mean.value).ok();
    let mark = |fam: Family| if f.best == fam { " (chosen)" } else { "" };
    let mut curves = vec![Curve {
        name: format!("observed (sample of {n})"),
        points: hist,
    }];
    if let Some(d) = lnd {
        curves.push(Curve {
            name: format!("lognormal, KS {:.3}{}", ln.ks, mark(Family::Lognormal)),
            points: density(&|x| d.pdf(x)),
        });
    }
    if let Some(d) = gd {
        curves.push(Curve {
            name: format!("gamma, KS {:.3}{}", g.ks, mark(Family::Gamma)),
            points: density(&|x| d.pdf(x)),
        });
    }
    chart::curves(
        &format!("Work time {}: histogram vs fitted densities", cell_name(w)),
        "Work time [minutes] (up to the 99th percentile)",
        "Density [1/minute]",
        &curves,
        &[],
        false,
        false,
    )
}

/// The file stem of a work-time chart.
fn work_stem(w: &WorkCell) -> String {
    format!(
        "work_time_l{}_{}",
        w.level,
        w.channel.map_or("all", |c| CHANNELS[c])
    )
}

fn est(v: f64, lo: f64, hi: f64, digits: usize) -> String {
    format!("{v:.digits$} [{lo:.digits$} .. {hi:.digits$}]")
}

/// The fit report as files: `report.html` and `charts/<name>.png|svg`.
///
/// # Errors
/// A chart that cannot be drawn.
pub fn fit_report(cal: &Calibration, opts: &Options) -> Result<OutputSet, ChartError> {
    let a = &cal.arrivals;
    let hist = daily_histogram(a);
    let mut charts: Vec<(String, String, String, Rendered)> = vec![
        (
            "weekday_profile".into(),
            "Weekday factors".into(),
            "Observed: each weekday's mean count over the fitted days, over the mean of the \
             seven. Fitted: the Poisson regression's factors (the trend removed), as written to \
             demand.weekday_weights."
                .into(),
            weekday_chart(a)?,
        ),
        (
            "hour_of_week".into(),
            "Hour-of-week profile".into(),
            "Observed mean arrivals in each hour of the week against the scenario's separable \
             profile (history volume x weekday factor x pooled hour factor). A gap that repeats \
             on one weekday means that day's hour shape differs from the pooled one."
                .into(),
            hour_of_week(cal)?,
        ),
        (
            "daily_volume".into(),
            "Daily volume".into(),
            format!(
                "Days per bin of tickets per day, against the sum over the fitted days of a \
                 negative binomial of each day's fitted mean and the day-level CV {:.3}. \
                 Pearson chi-square {:.1} on {} degrees of freedom (bins merged to at least 5 \
                 expected days).",
                a.dispersion_cv.value, hist.chi2, hist.chi2_df
            ),
            daily_chart(a, &hist)?,
        ),
    ];
    for w in &cal.work {
        let sample = work_sample(cal, w);
        let f = &w.fit;
        charts.push((
            work_stem(w),
            format!("Work time {}", cell_name(w)),
            format!(
                "{} tickets; histogram of a uniform sample of {} as a density, with the \
                 lognormal and gamma maximum-likelihood densities. Kolmogorov-Smirnov distance \
                 lognormal {:.3}, gamma {:.3}; log-likelihood per ticket {:.3} and {:.3}.",
                f.n,
                sample.len(),
                f.lognormal.ks,
                f.gamma.ks,
                f.lognormal.loglik,
                f.gamma.loglik
            ),
            work_chart(&sample, w)?,
        ));
    }

    let obs = observed_weekday(a);
    let weekday_table = HtmlTable {
        title: "Weekday factors (mean 1 over the week)".into(),
        header: vec![
            "weekday".into(),
            "observed [95% CI]".into(),
            "fitted [95% CI]".into(),
        ],
        rows: (0..7)
            .map(|k| {
                let (m, se) = obs[k];
                let (lo, hi) = a.weekday[k].ci();
                vec![
                    WEEKDAYS[k].to_string(),
                    est(m, m - 1.96 * se, m + 1.96 * se, 3),
                    est(a.weekday[k].value, lo, hi, 3),
                ]
            })
            .collect(),
        status: vec![],
    };
    let work_table = HtmlTable {
        title: "Work-time fits [minutes]".into(),
        header: vec![
            "level, channel".into(),
            "tickets".into(),
            "written".into(),
            "mean [95% CI]".into(),
            "CV [95% CI]".into(),
            "KS lognormal".into(),
            "KS gamma".into(),
        ],
        rows: cal
            .work
            .iter()
            .map(|w| {
                let c = w.fit.chosen();
                let (ml, mh) = c.mean.ci();
                let (cl, ch) = c.cv.ci();
                vec![
                    cell_name(w),
                    w.fit.n.to_string(),
                    format!("{:?}", w.fit.best).to_lowercase(),
                    est(c.mean.value, ml, mh, 2),
                    est(c.cv.value, cl, ch, 3),
                    format!("{:.3}", w.fit.lognormal.ks),
                    format!("{:.3}", w.fit.gamma.ks),
                ]
            })
            .collect(),
        status: vec![],
    };
    let hist_table = HtmlTable {
        title: "Daily volume histogram".into(),
        header: vec![
            "tickets per day".into(),
            "days observed".into(),
            "days expected".into(),
        ],
        rows: hist
            .bins
            .iter()
            .zip(hist.observed.iter().zip(&hist.expected))
            .map(|((lo, hi), (o, e))| {
                vec![format!("{lo}-{hi}"), format!("{o:.0}"), format!("{e:.1}")]
            })
            .collect(),
        status: vec![],
    };
    let (vlo, vhi) = a.tickets_per_week.ci();
    let (clo, chi) = a.dispersion_cv.ci();
    let kpis = vec![
        Kpi {
            label: format!("Volume at {}", a.start),
            value: format!("{:.0} tickets/week", a.tickets_per_week.value),
            ci: format!("95% CI {vlo:.0} to {vhi:.0}"),
            note: format!("history mean {:.0}/week", a.history_per_week),
        },
        Kpi {
            label: "Growth per month".into(),
            value: format!("{:+.2}%", a.growth.value * 100.0),
            ci: if a.growth_fitted {
                format!(
                    "95% CI {:+.2}% to {:+.2}%",
                    a.growth_ci.0 * 100.0,
                    a.growth_ci.1 * 100.0
                )
            } else {
                String::new()
            },
            note: if a.growth_fitted {
                String::new()
            } else {
                "not fitted (under 28 days of history)".into()
            },
        },
        Kpi {
            label: "Day-level dispersion CV".into(),
            value: format!("{:.3}", a.dispersion_cv.value),
            ci: format!("95% CI {:.3} to {:.3}", clo.max(0.0), chi),
            note: format!("Pearson chi2/df {:.2} (1 = Poisson)", a.pearson_dispersion),
        },
        Kpi {
            label: "Days fitted".into(),
            value: a.days_used.to_string(),
            ci: String::new(),
            note: format!("{} to {}", a.span.0, a.span.1),
        },
    ];
    let mut tables = vec![weekday_table, hist_table];
    if !cal.work.is_empty() {
        tables.push(work_table);
    }
    let mut warnings = cal.notes.clone();
    if cal.work.is_empty() {
        warnings.push(
            "no work-time fits: the export has no time tracking (or fewer than 30 tickets per \
             cell); the scenario's work times are assumptions"
                .into(),
        );
    }
    let input = ReportInput {
        title: format!("{}: fit to {}", opts.name, opts.source),
        subtitle: format!(
            "How well the calibrated scenario matches the history ({} format, profiles in {})",
            opts.format.name(),
            opts.tz_name
        ),
        generated_by: format!("supportsim {} calibrate", env!("CARGO_PKG_VERSION")),
        assumptions: vec![
            ("Export".into(), opts.source.clone()),
            (
                "History".into(),
                format!(
                    "{} to {}; {} days fitted ({} missing days left out)",
                    a.span.0, a.span.1, a.days_used, a.days_missing
                ),
            ),
            ("Time zone".into(), opts.tz_name.clone()),
        ],
        kpis,
        tables,
        charts: charts
            .iter()
            .map(|(_, title, caption, r)| HtmlChart {
                title: title.clone(),
                caption: caption.clone(),
                svg: r.svg.clone(),
            })
            .collect(),
        warnings,
    };
    let mut set = OutputSet::default();
    set.add("report.html", report::render(&input).into_bytes());
    for (stem, _, _, r) in charts {
        set.add(format!("charts/{stem}.png"), r.png);
        set.add(format!("charts/{stem}.svg"), r.svg.into_bytes());
    }
    Ok(set)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negative_binomial_bins_sum_to_one_and_match_the_moments() {
        let (mu, cv) = (200.0, 0.2);
        let total: f64 = (0..100)
            .map(|i| day_probability(mu, cv, i * 10, i * 10 + 9))
            .sum();
        assert!((total - 1.0).abs() < 1e-9, "{total}");
        // Variance mu + cv^2 mu^2 = 200 + 1600: the mean +- 1 sd holds about 68%.
        let sd = (mu + cv * cv * mu * mu).sqrt();
        let p = day_probability(mu, cv, (mu - sd) as u64, (mu + sd) as u64);
        assert!((p - 0.68).abs() < 0.04, "{p}");
        let poisson = day_probability(4.0, 0.0, 0, 0);
        assert!((poisson - (-4f64).exp()).abs() < 1e-12);
    }

    #[test]
    fn pearson_merges_small_bins() {
        let (chi2, df) = pearson(&[1.0, 9.0, 10.0, 0.0], &[2.0, 8.0, 10.0, 0.5]);
        // cells: (10, 10), (10, 10.5)
        assert_eq!(df, 1);
        assert!((chi2 - 0.25 / 10.5).abs() < 1e-12);
    }
}
