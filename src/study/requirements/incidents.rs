//! Incident tickets and outreach checks in the requirements (`[incidents]`): the expected
//! work of the incidents of the week, per interval, from the same per-incident walk as the
//! load estimate ([`crate::model::load_incidents`]).
//!
//! The rule: random incidents start at a constant rate, so their expected work is the same in
//! every interval (rate x work per incident). A scheduled incident starting in the week puts
//! its expected work where its accounts' first contacts fall: spread from its start by the
//! contact delay's distribution, cut at its mean duration (no contact comes after the fix) and
//! scaled back to the whole; repeats are counted with their first contact; its response
//! team's agent-minutes are spread evenly from the team's mean assembly to the mean fix. The
//! typical week repeats, so contacts running past its end wrap to its start. Outreach's
//! checks are evenly spaced: the same work in every interval. The work is counted in the interval it arrives in,
//! on top of the live and deferred work (it is neither spread within an SLA window nor sized
//! as a live queue by Erlang A).

use crate::model::Policy;
use crate::model::load_incidents::{incident_kinds, outreach_load};
use crate::scenario::Scenario;

/// Expected incident and outreach work `[pool][interval]` over the week of intervals of `dt`
/// minutes starting at `starts` [erlangs]; zeros without `[incidents]`.
pub(super) fn incident_work(
    s: &Scenario,
    policy: &Policy,
    starts: &[f64],
    dt: f64,
    week_min: f64,
) -> Vec<Vec<f64>> {
    let n = starts.len();
    let mut out = vec![vec![0.0; n]; s.pools.len()];
    let Some(inc) = &s.incidents else {
        return out;
    };
    let Some(&from) = starts.first() else {
        return out;
    };
    let window = (from, from + week_min);
    for k in incident_kinds(s, policy, window) {
        match k.start_min {
            None => {
                for (p, (w, m)) in k.work.iter().zip(&k.team).enumerate() {
                    out[p]
                        .iter_mut()
                        .for_each(|x| *x += k.rate_per_min * (w + m));
                }
            }
            Some(start) => {
                // The share of the incident's first contacts up to `x` minutes after its start.
                let cut = k.duration_min.min(week_min - dt).max(0.0);
                let whole = inc.contact_delay.cdf_below(cut);
                let upto = |x: f64| {
                    if whole > 0.0 {
                        inc.contact_delay.cdf_below(x.min(cut)) / whole
                    } else {
                        f64::from(u8::from(x > 0.0))
                    }
                };
                // The team is held evenly from its assembly to the mean fix.
                let hi = cut;
                let lo = k.team_after_min.min(hi);
                let held = |x: f64| {
                    if hi - lo > 1e-9 {
                        ((x.clamp(lo, hi)) - lo) / (hi - lo)
                    } else {
                        f64::from(u8::from(x > lo))
                    }
                };
                for (j, &t) in starts.iter().enumerate() {
                    // Minutes from the start to the interval's start, in (-dt, week - dt].
                    let a = (t - start + dt).rem_euclid(week_min) - dt;
                    let share = upto(a + dt) - upto(a);
                    let team = held(a + dt) - held(a);
                    // Per incident (the kind's rate is 1 / week), as erlangs of the interval.
                    let scale = k.rate_per_min * week_min / dt;
                    for (row, (w, m)) in out.iter_mut().zip(k.work.iter().zip(&k.team)) {
                        row[j] += (share * w + team * m) * scale;
                    }
                }
            }
        }
    }
    if let Some((p, _, erlangs)) = outreach_load(s, policy, window) {
        out[p].iter_mut().for_each(|x| *x += erlangs);
    }
    out
}
