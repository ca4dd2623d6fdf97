//! The arrival side: volume and growth, weekday factors, day-level over-dispersion and the
//! hour profile, from counts per local day and per weekday x hour.
//!
//! Daily counts follow the engine's model: `E[count of day d] = V/7 x f(weekday) x
//! (1 + g)^(months)`, times a mean-1 gamma multiplier of CV `c` per day. A Poisson
//! regression (log link: intercept, trend in months, one dummy per open weekday but the
//! first) fits V, g and f; its confidence intervals use the robust (sandwich) covariance, so
//! they hold whatever the day-level noise. The gamma CV follows by moments from the residuals:
//! `Var(count) = mu + c^2 mu^2`, so `c^2 = (sum (y - mu)^2 - sum mu) / sum mu^2` (residual
//! sum scaled by n / (n - p) for the fitted parameters). Within a day the hours share a
//! day's multiplier, so the hour shares are multinomial and their standard errors binomial.

use super::accum::ArrivalCounts;
use super::error::CalibrateError;
use super::linalg;
use jiff::ToSpan;
use jiff::civil::Date;

/// Days in the scenario's month.
pub const MONTH_DAYS: f64 = 30.4375;
/// Normal quantile of a two-sided 95% interval.
pub const Z95: f64 = 1.959964;

/// An estimate with its standard error.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Est {
    /// Point estimate.
    pub value: f64,
    /// Standard error.
    pub se: f64,
}

impl Est {
    /// The 95% interval `value +- 1.96 se`.
    pub fn ci(&self) -> (f64, f64) {
        (self.value - Z95 * self.se, self.value + Z95 * self.se)
    }
}

/// What the arrival fit found.
#[derive(Debug, Clone)]
pub struct ArrivalFit {
    /// First and last local date of the history.
    pub span: (Date, Date),
    /// Days used by the day-level fits (edge days, closed weekdays and missing days left out).
    pub days_used: usize,
    /// Days of open weekdays with no data at all (interval reports), left out.
    pub days_missing: usize,
    /// Weekdays with no arrivals at all (closed): factor 0.
    pub closed: [bool; 7],
    /// Scenario start: the Monday after the history.
    pub start: Date,
    /// Volume at `start` [tickets/week] (the fitted trend extrapolated), with its SE.
    pub tickets_per_week: Est,
    /// Mean weekly volume over the history [tickets/week].
    pub history_per_week: f64,
    /// Growth per month (fraction), with SE on the log scale turned into an interval.
    pub growth: Est,
    /// 95% interval of the growth per month.
    pub growth_ci: (f64, f64),
    /// Whether the history was long enough (>= 28 days) to fit growth (else 0).
    pub growth_fitted: bool,
    /// Weekday factors Monday..Sunday, normalised to mean 1 over the week.
    pub weekday: [Est; 7],
    /// Day-level gamma CV by moments (0 when the data show none beyond Poisson).
    pub dispersion_cv: Est,
    /// Pearson chi-square / degrees of freedom of the Poisson fit (1 = plain Poisson).
    pub pearson_dispersion: f64,
    /// Hour factors 0..23, normalised to mean 1.
    pub hour: [Est; 24],
    /// Per weekday, half the L1 distance between its hour shape and the pooled one (0 = the
    /// same shape; only weekdays with at least 200 arrivals, else `None`).
    pub hour_shape_distance: [Option<f64>; 7],
    /// The days furthest above the fit (surge candidates): date, count, fitted mean.
    pub outliers: Vec<(Date, f64, f64)>,
    /// Every day of the day-level fits: date, count, fitted mean (for the fit report).
    pub day_fits: Vec<(Date, f64, f64)>,
}

/// Longest stretch without tickets the fit accepts [days]: longer gaps are a stray row with
/// a wrong date (one 1900 row in a 2024 export) or two exports run together, and a trend fitted
/// across them is meaningless (NaN, or growth of 300%/month).
pub const MAX_GAP_DAYS: i64 = 90;

/// The longest stretch of over [`MAX_GAP_DAYS`] days without tickets between two days with
/// some, in a history of (day, tickets) in date order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Gap {
    /// Days without tickets.
    pub days: i64,
    /// The last day with tickets before the gap.
    pub after: Date,
    /// The first day with tickets after it.
    pub before: Date,
    /// Tickets on the smaller side.
    pub small: f64,
    /// Which side is smaller: "before" or "after".
    pub side: &'static str,
}

/// The longest gap over [`MAX_GAP_DAYS`] in `days` ((day, tickets) in date order; days
/// without tickets are skipped), if any: calibrate and backtest both refuse such a history.
pub fn longest_gap(days: impl IntoIterator<Item = (Date, f64)>) -> Option<Gap> {
    let busy: Vec<(Date, f64)> = days.into_iter().filter(|(_, n)| *n > 0.0).collect();
    let total: f64 = busy.iter().map(|(_, n)| n).sum();
    let mut before = 0.0;
    let mut worst: Option<(i64, usize, f64)> = None;
    for (k, w) in busy.windows(2).enumerate() {
        before += w[0].1;
        let days = i64::from((w[1].0 - w[0].0).get_days()) - 1;
        if days > MAX_GAP_DAYS && worst.is_none_or(|(d, _, _)| days > d) {
            worst = Some((days, k, before));
        }
    }
    worst.map(|(days, k, before)| {
        let after = total - before;
        let (small, side) = if before <= after {
            (before, "before")
        } else {
            (after, "after")
        };
        Gap {
            days,
            after: busy[k].0,
            before: busy[k + 1].0,
            small,
            side,
        }
    })
}

/// Refuses a history with a gap over [`MAX_GAP_DAYS`] between days with tickets.
fn check_gaps(c: &ArrivalCounts) -> Result<(), CalibrateError> {
    match longest_gap(c.days.iter().map(|(d, n)| (*d, *n))) {
        None => Ok(()),
        Some(g) => Err(CalibrateError::Gap {
            days: g.days,
            after: g.after,
            before: g.before,
            small: g.small.round() as u64,
            side: g.side,
        }),
    }
}

/// Fits the arrival side.
///
/// # Errors
/// [`CalibrateError::TooShort`] with fewer than 14 usable days, [`CalibrateError::Gap`] with a
/// stretch of over [`MAX_GAP_DAYS`] days without tickets.
pub fn fit(c: &ArrivalCounts) -> Result<ArrivalFit, CalibrateError> {
    let (first, last) = match (c.days.keys().next(), c.days.keys().next_back()) {
        (Some(a), Some(b)) => (*a, *b),
        _ => return Err(CalibrateError::TooShort("no arrivals".into())),
    };
    check_gaps(c)?;
    let wd = |d: Date| d.weekday().to_monday_zero_offset() as usize;
    let mut closed = [true; 7];
    for (d, n) in &c.days {
        if *n > 0.0 {
            closed[wd(*d)] = false;
        }
    }
    // Every date of the span, without the two edge days (exports start and stop mid-day).
    let mut rows: Vec<(Date, f64)> = Vec::new();
    let mut missing = 0;
    let mut d = first;
    while d <= last {
        let inner = d != first && d != last;
        if inner && !closed[wd(d)] {
            match c.days.get(&d) {
                Some(n) => rows.push((d, *n)),
                None if c.zero_fill => rows.push((d, 0.0)),
                None => missing += 1,
            }
        }
        d = d.tomorrow().expect("date in range");
    }
    if rows.len() < 14 {
        return Err(CalibrateError::TooShort(format!(
            "{} usable days from {first} to {last}; at least 14 full days are needed for the \
             weekday and day-level fits",
            rows.len()
        )));
    }
    let span_days = (last - first).get_days() as f64;
    let growth_fitted = span_days >= 28.0;
    let open: Vec<usize> = (0..7).filter(|k| !closed[*k]).collect();
    // Months are counted from the middle of the history (numerically stable); the intercept
    // is then moved to the scenario start.
    let mid = first
        .checked_add(((span_days / 2.0) as i64).days())
        .expect("in range");
    let months = |d: Date| ((d - mid).get_days() as f64 + 0.5) / MONTH_DAYS;
    let p = 1 + usize::from(growth_fitted) + open.len() - 1;
    let x_of = |d: Date| -> Vec<f64> {
        let mut x = vec![1.0];
        if growth_fitted {
            x.push(months(d));
        }
        for &k in &open[1..] {
            x.push(f64::from(u8::from(wd(d) == k)));
        }
        x
    };
    let xs: Vec<Vec<f64>> = rows.iter().map(|(d, _)| x_of(*d)).collect();
    let ys: Vec<f64> = rows.iter().map(|r| r.1).collect();
    let n = ys.len();
    let mean_y = ys.iter().sum::<f64>() / n as f64;
    if mean_y <= 0.0 {
        return Err(CalibrateError::TooShort(
            "no arrivals on the usable days".into(),
        ));
    }
    // Iteratively reweighted least squares for the Poisson log-linear model.
    let mut beta = vec![0.0; p];
    beta[0] = mean_y.ln();
    let mut info_inv = vec![vec![0.0; p]; p];
    for _ in 0..50 {
        let mut xtwx = vec![vec![0.0; p]; p];
        let mut xtwz = vec![0.0; p];
        for (x, y) in xs.iter().zip(&ys) {
            let eta: f64 = x.iter().zip(&beta).map(|(a, b)| a * b).sum();
            let mu = eta.exp();
            let z = eta + (y - mu) / mu;
            for i in 0..p {
                xtwz[i] += x[i] * mu * z;
                for j in 0..p {
                    xtwx[i][j] += x[i] * mu * x[j];
                }
            }
        }
        info_inv = linalg::invert(&xtwx).ok_or_else(|| {
            CalibrateError::TooShort(
                "the weekday regression is singular (too few days per weekday)".into(),
            )
        })?;
        let next = linalg::mul_vec(&info_inv, &xtwz);
        let step = next
            .iter()
            .zip(&beta)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        beta = next;
        if step < 1e-10 {
            break;
        }
    }
    let mus: Vec<f64> = xs
        .iter()
        .map(|x| x.iter().zip(&beta).map(|(a, b)| a * b).sum::<f64>().exp())
        .collect();
    // Sandwich covariance (X'WX)^-1 X' diag((y - mu)^2) X (X'WX)^-1, scaled by n / (n - p).
    let mut meat = vec![vec![0.0; p]; p];
    for ((x, y), mu) in xs.iter().zip(&ys).zip(&mus) {
        let r2 = (y - mu).powi(2);
        for i in 0..p {
            for j in 0..p {
                meat[i][j] += x[i] * r2 * x[j];
            }
        }
    }
    let small = n as f64 / (n - p).max(1) as f64;
    let mut cov = linalg::mul(&linalg::mul(&info_inv, &meat), &info_inv);
    for row in cov.iter_mut() {
        for v in row.iter_mut() {
            *v *= small;
        }
    }
    let pearson = ys
        .iter()
        .zip(&mus)
        .map(|(y, mu)| (y - mu).powi(2) / mu)
        .sum::<f64>()
        / (n - p).max(1) as f64;

    // Weekday factors f_k = 7 e^{w_k} / sum_j e^{w_j} (w of the first open weekday = 0).
    let off = 1 + usize::from(growth_fitted);
    let w_of = |k: usize| -> f64 {
        open.iter()
            .position(|&o| o == k)
            .map_or(f64::NEG_INFINITY, |i| {
                if i == 0 { 0.0 } else { beta[off + i - 1] }
            })
    };
    let e: Vec<f64> = (0..7).map(|k| w_of(k).exp()).collect();
    let s: f64 = e.iter().sum();
    let mut weekday = [Est {
        value: 0.0,
        se: 0.0,
    }; 7];
    for k in open.iter().copied() {
        let f = 7.0 * e[k] / s;
        let mut g = vec![0.0; p];
        for (i, &j) in open.iter().enumerate().skip(1) {
            g[off + i - 1] = f * (f64::from(u8::from(j == k)) - e[j] / s);
        }
        weekday[k] = Est {
            value: f,
            se: linalg::quad(&cov, &g).max(0.0).sqrt(),
        };
    }

    // Volume at the scenario start (the Monday after the history): log V = b0 + b1 t + ln s.
    let start = next_monday(last);
    let t0 = if growth_fitted {
        months(start) - 0.5 / MONTH_DAYS
    } else {
        0.0
    };
    let log_v = beta[0] + if growth_fitted { beta[1] * t0 } else { 0.0 } + s.ln();
    let mut g = vec![0.0; p];
    g[0] = 1.0;
    if growth_fitted {
        g[1] = t0;
    }
    for (i, &j) in open.iter().enumerate().skip(1) {
        g[off + i - 1] = e[j] / s;
    }
    let v = log_v.exp();
    let tickets_per_week = Est {
        value: v,
        se: v * linalg::quad(&cov, &g).max(0.0).sqrt(),
    };
    let (growth, growth_ci) = if growth_fitted {
        let (b, se) = (beta[1], cov[1][1].max(0.0).sqrt());
        (
            Est {
                value: b.exp() - 1.0,
                se: b.exp() * se,
            },
            ((b - Z95 * se).exp() - 1.0, (b + Z95 * se).exp() - 1.0),
        )
    } else {
        (
            Est {
                value: 0.0,
                se: 0.0,
            },
            (0.0, 0.0),
        )
    };

    // Gamma CV by moments, with a per-day sandwich standard error.
    let resid2: f64 = ys
        .iter()
        .zip(&mus)
        .map(|(y, mu)| (y - mu).powi(2))
        .sum::<f64>()
        * small;
    let sum_mu: f64 = mus.iter().sum();
    let sum_mu2: f64 = mus.iter().map(|m| m * m).sum();
    let c2 = (resid2 - sum_mu) / sum_mu2;
    let var_c2 = ys
        .iter()
        .zip(&mus)
        .map(|(y, mu)| ((y - mu).powi(2) * small - mu - c2 * mu * mu).powi(2))
        .sum::<f64>()
        / (sum_mu2 * sum_mu2);
    let dispersion_cv = if c2 > 0.0 {
        let cv = c2.sqrt();
        Est {
            value: cv,
            se: var_c2.sqrt() / (2.0 * cv),
        }
    } else {
        Est {
            value: 0.0,
            se: var_c2.sqrt().sqrt(),
        }
    };

    let (hour, hour_shape_distance) = hour_profile(&c.hours);
    let day_fits: Vec<(Date, f64, f64)> = rows
        .iter()
        .zip(&mus)
        .map(|((d, y), mu)| (*d, *y, *mu))
        .collect();
    let mut outliers = day_fits.clone();
    outliers.sort_by(|a, b| ((b.1 - b.2) / b.2.sqrt()).total_cmp(&((a.1 - a.2) / a.2.sqrt())));
    outliers.truncate(3);
    let total_days = span_days + 1.0;
    let history_per_week = c.days.values().sum::<f64>() / total_days * 7.0;
    Ok(ArrivalFit {
        span: (first, last),
        days_used: n,
        days_missing: missing,
        closed,
        start,
        tickets_per_week,
        history_per_week,
        growth,
        growth_ci,
        growth_fitted,
        weekday,
        dispersion_cv,
        pearson_dispersion: pearson,
        hour,
        hour_shape_distance,
        outliers,
        day_fits,
    })
}

/// The Monday after `d`.
pub fn next_monday(d: Date) -> Date {
    let mut m = d.tomorrow().expect("in range");
    while m.weekday() != jiff::civil::Weekday::Monday {
        m = m.tomorrow().expect("in range");
    }
    m
}

/// Hour factors (mean 1) with binomial standard errors, and each weekday's distance from the
/// pooled shape.
fn hour_profile(h: &[[f64; 24]; 7]) -> ([Est; 24], [Option<f64>; 7]) {
    let pooled: Vec<f64> = (0..24).map(|i| (0..7).map(|k| h[k][i]).sum()).collect();
    let n: f64 = pooled.iter().sum();
    let mut out = [Est {
        value: 0.0,
        se: 0.0,
    }; 24];
    for i in 0..24 {
        let p = pooled[i] / n;
        out[i] = Est {
            value: 24.0 * p,
            se: 24.0 * (p * (1.0 - p) / n).sqrt(),
        };
    }
    let mut dist = [None; 7];
    for k in 0..7 {
        let nk: f64 = h[k].iter().sum();
        if nk >= 200.0 {
            dist[k] = Some(
                0.5 * (0..24)
                    .map(|i| (h[k][i] / nk - pooled[i] / n).abs())
                    .sum::<f64>(),
            );
        }
    }
    (out, dist)
}
